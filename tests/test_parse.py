"""Parsing the workflow stays light: no heavy library is imported before a job runs.

`snakemake -n` parses every rule file and runs the startup checks; spaCy, gensim, scipy and
wordfreq are only needed inside jobs. `python -X importtime` lists every module the parsing
process imported.

pandas and pyarrow are needed inside jobs too, but an installed Snakemake plugin may import them
first (the SLURM executor plugin imports pandas), which hides a later import from that list; so
the modules the rule files import are also imported alone, in a fresh interpreter.
"""

import re
import subprocess
import sys

import pytest

from tests.conftest import REPO

HEAVY = ("spacy", "gensim", "scipy", "wordfreq", "sklearn", "matplotlib")
#: About 0.4 s of every Snakemake call (a dry run, a no-op rerun) if the parse imported them.
TABLES = ("pandas", "pyarrow")
RULE_FILES = [REPO / "Snakefile", *sorted((REPO / "workflow" / "rules").glob("*.smk"))]


def dry_run_imports(workdir) -> set[str]:
    """The top-level packages a dry run of ``workdir``'s workflow imports."""
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "snakemake",
            "--workflow-profile",
            "workflow/profiles/default",
            "-n",
            "--quiet",
            "all",
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return {
        line.split("|")[-1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }


@pytest.mark.workflow
def test_a_dry_run_imports_no_heavy_library():
    assert sorted(dry_run_imports(REPO) & set(HEAVY)) == []


def test_the_rule_files_import_no_table_library():
    modules = sorted(
        {
            match.group(1)
            for path in RULE_FILES
            for match in re.finditer(
                r"^(?:from|import) (corpusflow[\w.]*)", path.read_text(), re.MULTILINE
            )
        }
    )
    assert "corpusflow.startup" in modules  # the checks: config, manifest, raw files, stages
    code = (
        "import importlib, sys\n"
        f"for module in {modules!r}: importlib.import_module(module)\n"
        f"print(sorted(m for m in {TABLES + HEAVY!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", f"imported by {modules}: {result.stdout}"
