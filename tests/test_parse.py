"""Parsing the workflow stays light: no heavy library is imported before a job runs.

`snakemake -n` parses every rule file and runs the startup checks; spaCy, gensim, scipy and
wordfreq are only needed inside jobs. `python -X importtime` lists every module the parsing
process imported.
"""

import subprocess
import sys

import pytest

from tests.conftest import REPO

HEAVY = ("spacy", "gensim", "scipy", "wordfreq", "sklearn", "matplotlib")


@pytest.mark.workflow
def test_a_dry_run_imports_no_heavy_library(tmp_path):
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
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    imported = {
        line.split("|")[-1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert sorted(imported & set(HEAVY)) == []
