"""Tables, figures and fingerprints are byte-stable: the basis of reproducible outputs."""

import ast
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from corpusflow import io, provenance
from corpusflow.io import read_parquet, write_csv, write_parquet
from corpusflow.provenance import code_fingerprint, imported_modules, module_files, sha256_file

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"


def test_csv_floats_are_formatted_stably(tmp_path):
    frame = pd.DataFrame({"term": ["a", "b"], "value": [1 / 3, 1e-12]})
    write_csv(frame, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text() == "term,value\na,0.3333333333\nb,1e-12\n"


def test_parquet_round_trips_and_is_byte_stable(tmp_path):
    frame = pd.DataFrame({"doc_id": ["d", "d"], "start": [0, 5]})
    write_parquet(frame, tmp_path / "a.parquet")
    write_parquet(frame, tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    assert read_parquet(tmp_path / "a.parquet").equals(frame)


SAVE_FIGURE = """
import sys
import matplotlib.pyplot as plt
from corpusflow import io
from corpusflow.plotting import apply_style
apply_style()
fig, ax = plt.subplots()
ax.plot([1, 2, 3], [2, 1, 3], label="line")
ax.set_title("Title")
ax.legend()
io.write_figure(fig, [sys.argv[1]])
"""


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_figures_are_byte_identical_across_processes_and_time(tmp_path, fmt):
    """Two fresh processes, seconds apart and with different hash seeds: no timestamp, no
    random id may reach the file."""
    paths = [tmp_path / f"{name}.{fmt}" for name in ("a", "b")]
    for seed, path in enumerate(paths):
        if seed:
            time.sleep(1.1)
        env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(SRC)}
        subprocess.run([sys.executable, "-c", SAVE_FIGURE, str(path)], check=True, env=env)
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_unknown_figure_format_is_an_error(tmp_path):
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="unsupported figure format 'bmp'"):
        io.write_figure(fig, [tmp_path / "x.bmp"])


SCRIPTS = REPO / "workflow" / "scripts"


def test_code_fingerprint_follows_what_each_script_imports(tmp_path):
    """Edit a copy of the package: exactly the scripts that import the edited module, directly
    or through another module, get a new fingerprint."""
    root = tmp_path / "corpusflow"
    shutil.copytree(SRC / "corpusflow", root)
    scripts = ["ingest", "segment", "keyness", "topics_sweep", "topics_figures"]

    def fingerprints() -> dict[str, str]:
        provenance._file_digest.cache_clear()
        return {name: code_fingerprint(SCRIPTS / f"{name}.py", root) for name in scripts}

    def edited(module: str) -> set[str]:
        before = fingerprints()
        with (root / module).open("a") as handle:
            handle.write("\n# an edit\n")
        after = fingerprints()
        return {name for name in scripts if after[name] != before[name]}

    assert edited("ingest.py") == {"ingest"}
    assert edited("io.py") == set(scripts)
    # keyness -> terms -> phrases: found through another module, listed nowhere
    assert "keyness" in edited("phrases.py") and not {"ingest", "segment"} & edited("phrases.py")
    assert edited("topics/figures.py") == {"topics_figures"}
    # each topics rule has its own run module: the figures' code does not rerun the sweep
    assert edited("topics/sweep.py") == {"topics_sweep"}
    assert edited("topics/run/figures.py") == {"topics_figures"}
    assert len(code_fingerprint(SCRIPTS / "ingest.py")) == 16


def test_imports_are_found_wherever_and_however_they_are_written():
    source = (
        "from corpusflow import (\n    io,\n    phrases as p,  # a comment\n)\n"
        "import corpusflow.segment\n"
        "def f():\n    from corpusflow.keyness import tables, measures as m\n"
        "from corpusflow.errors import InputError\n"
    )
    assert imported_modules(source) == {
        "corpusflow",
        "corpusflow.io",
        "corpusflow.phrases",
        "corpusflow.segment",
        "corpusflow.keyness",
        "corpusflow.keyness.tables",
        "corpusflow.keyness.measures",
        "corpusflow.errors",
    }


def test_a_subpackage_module_covers_its_assets_not_its_bytecode():
    """The explorer rule reruns when the page's template, script or style changes."""
    names = {path.name for path in module_files("corpusflow.explorer")}
    assert {"explorer.js", "explorer.css", "explorer.html.j2", "__init__.py"} <= names
    assert not any(name.endswith(".pyc") for name in names)


def test_sha256_file(tmp_path):
    (tmp_path / "f").write_bytes(b"abc")
    assert sha256_file(tmp_path / "f").startswith("ba7816bf")


def test_report_table_pages_escape_every_cell():
    from corpusflow.report.tables import table_page

    frame = pd.DataFrame({"title": ["<script>alert(1)</script>", "a & b"], "n": [1.23456, 2]})
    page = table_page(frame, source="results/tables/x.csv", max_rows=1)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "The first 1 of 2 rows" in page
    assert "a &amp; b" not in page  # only max_rows rows are shown


PACKAGE = Path(__file__).resolve().parents[1] / "src" / "corpusflow"
#: Calls that read or write files; outside corpusflow.io only the job log may make them.
FILE_CALLS = {
    "open", "read_text", "write_text", "read_bytes", "write_bytes", "mkdir", "savefig",
    "to_csv", "to_parquet", "read_csv", "read_parquet", "safe_load", "dump", "reader",
    "writer", "files", "FileHandler", "save", "unlink",
}  # fmt: skip
#: The job log (corpusflow.runlog) is Python logging's file handler, not a result.
LOG_MODULE = "runlog.py"


def file_calls(source: str) -> list[str]:
    """``line: name`` of each call in ``source`` named like a file operation, except calls of
    corpusflow.io's own functions (``io.read_csv(...)``, or imported from it by name)."""
    tree = ast.parse(source)
    from_io = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "corpusflow.io"
        for alias in node.names
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            name, through_io = func.attr, getattr(func.value, "id", "") == "io"
        else:
            name, through_io = getattr(func, "id", ""), getattr(func, "id", "") in from_io
        if name in FILE_CALLS and not through_io:
            found.append(f"{node.lineno}: {name}")
    return found


def test_only_the_io_module_touches_files():
    offending = {
        f"{path.relative_to(PACKAGE)}:{call}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name not in {"io.py", LOG_MODULE}
        for call in file_calls(path.read_text(encoding="utf-8"))
    }
    assert offending == set(), "do this file I/O through corpusflow.io:\n" + "\n".join(
        sorted(offending)
    )


def test_a_file_call_outside_io_is_caught():
    source = "from pathlib import Path\n\ndef f(p):\n    return Path(p).read_text()\n"
    assert file_calls(source) == ["4: read_text"]
