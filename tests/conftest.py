"""Shared fixtures: the repository, and real Snakemake runs in temporary copies of it."""

from __future__ import annotations

import functools
import inspect
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
#: What a fresh clone holds that a run needs (results/ and .snakemake/ are left behind).
#: The documents of the default manifest (config/corpus.tsv), and those it analyses.
ALL_DOCS = [
    "kollontai-ocr",
    "kollontai-web",
    "kollontai-iww",
    "kollontai-bureaucracy",
    "olivier-commentary",
]
ANALYSIS_DOCS = ["kollontai-ocr", "olivier-commentary"]
#: The README's main command runs the workflow with these arguments (see the Makefile).
REPORT_ARGS = ("--report", "results/report.html", "--report-after-run")
RUN_FILES = ["Snakefile", "workflow", "config", "corpus", "examples"]


#: The session fixtures that run the whole workflow, and the worker group of the tests that read
#: them. `make test` runs pytest on two workers (`-n 2 --dist loadgroup`); a session fixture runs
#: once per worker that asks for it, and some tests edit the run folder for a moment (a raw
#: file, a rule script) while dry-running in it. So every test that reads a shared run is in
#: that run's group, on one worker: each run happens once, and no test of another worker sees
#: its folder mid-edit. resumed_run and sharded_run are compared with workflow_run, so they
#: share its group.
SHARED_RUNS = {
    "workflow_run": "workflow_run",
    "resumed_run": "workflow_run",
    "page_path": "workflow_run",
    "hostile_run": "hostile_run",
    "sharded_run": "workflow_run",
}
#: Groups sent to the workers first, in this order (with `--no-loadscope-reorder`), longest
#: first so that the short ones fill the end: the SLURM tests (two runs of 10^4 documents, two
#: of the real corpus) on one worker, the shared run on the other, then the groups that run the
#: workflow themselves, by their time in `make test --durations` (docs/testing.md).
FIRST_GROUPS = (
    "slurm",
    "workflow_run",
    "hostile_run",
    "test_topics_real",
    "test_workflow",
)


@functools.cache
def _asked_by_name(function) -> frozenset[str]:
    """The fixtures a fixture function asks for at run time, ``request.getfixturevalue("x")``
    (the explorer's ``run`` asks for workflow_run unless CORPUSFLOW_EXPLORER_RUN is set)."""
    return frozenset(re.findall(r"getfixturevalue\(\"(\w+)\"\)", inspect.getsource(function)))


def requested_fixtures(item: pytest.Item) -> set[str]:
    """The fixtures a test uses, directly, through other fixtures or asked for by name."""
    names = set(getattr(item, "fixturenames", ()))
    info = getattr(item, "_fixtureinfo", None)  # pytest's record of the test's fixtures
    for definitions in info.name2fixturedefs.values() if info else ():
        for definition in definitions:
            names |= _asked_by_name(definition.func)
    return names


def worker_group(item: pytest.Item) -> str:
    """The xdist group of a test: its shared run's, the SLURM tests', else its module's (so a
    module-scoped fixture is built once, on one worker)."""
    if item.get_closest_marker("slurm"):
        return "slurm"
    groups = {SHARED_RUNS[name] for name in requested_fixtures(item) if name in SHARED_RUNS}
    if len(groups) > 1:
        raise pytest.UsageError(f"{item.nodeid} reads runs of several groups: {sorted(groups)}")
    return groups.pop() if groups else Path(item.nodeid.split("::")[0]).stem


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its worker group and send the longest groups first (stable sort:
    within a group, file order; tests/test_slurm.py puts its longest test first). Without
    pytest-xdist (a developer's `pytest tests/test_x.py`) there is nothing to group."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        group = worker_group(item)
        item.add_marker(pytest.mark.xdist_group(group))
        if getattr(config.option, "loadgroup", False):
            # What xdist 3.8.0 does with the mark, for pytest 9: xdist appends "@group" to
            # `item._nodeid`, which pytest 9 no longer reads (the id is `item._id`), so without
            # this the groups are silently ignored and two workers start two SLURM clusters.
            item._id = type(item._id).parse(f"{item.nodeid}@{group}")
    rank = {group: n for n, group in enumerate(FIRST_GROUPS)}
    items.sort(key=lambda item: rank.get(worker_group(item), len(rank)))


def copy_project(destination: Path) -> Path:
    """Copy the workflow, config and corpus into ``destination`` (a fresh working folder)."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in RUN_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy2(source, destination / name)
    return destination


def snakemake_command(workdir: Path, *args: str, python: str | Path = sys.executable) -> list[str]:
    """The command that runs ``workdir``'s workflow with its default profile on 2 cores, as
    `make analysis` does, with ``python`` (the test's own interpreter by default)."""
    return [
        str(python),
        "-m",
        "snakemake",
        "--snakefile",
        str(workdir / "Snakefile"),
        "--workflow-profile",
        str(workdir / "workflow" / "profiles" / "default"),
        "--cores",
        "2",
        *args,
    ]


def run_snakemake(
    workdir: Path,
    *args: str,
    check: bool = True,
    env: dict | None = None,
    project: Path | None = None,
) -> subprocess.CompletedProcess:
    """Run the real workflow of ``workdir`` with its default profile, as `make analysis` does.

    ``project`` is the study folder to run in (its config/config.yaml and results/), by default
    ``workdir`` itself. ``env`` adds variables to the environment (e.g. PYTHONPATH to an edited
    copy of the code).
    """
    command = snakemake_command(workdir, *args)
    environment = {**os.environ, **(env or {})}
    result = subprocess.run(
        command, cwd=project or workdir, capture_output=True, text=True, env=environment
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"snakemake failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


@pytest.fixture(scope="session")
def workflow_run(tmp_path_factory) -> Path:
    """One complete run of the default workflow on the real corpus, shared by the e2e tests."""
    workdir = copy_project(tmp_path_factory.mktemp("run"))
    result = run_snakemake(workdir, *REPORT_ARGS)
    run_output(workdir).write_text(result.stdout + result.stderr, encoding="utf-8")
    return workdir


#: What the shard tests run: every stage that reads the per-document files of the shards.
SHARD_TARGETS = (
    "results/tables/keyness.csv",
    "results/topics/documents.parquet",
    "results/tables/corpus_overview.csv",
    "results/tables/cleaning_summary.csv",
)


def shards_config(workdir: Path, shard_mb: str) -> list[str]:
    """The arguments that run ``workdir``'s study with shards of at most ``shard_mb`` MB."""
    path = workdir / "config" / "shards.yaml"
    path.write_text(f"workflow:\n  shard_mb: {shard_mb}\n", encoding="utf-8")
    return ["--configfile", "config/config.yaml", "config/shards.yaml"]


@pytest.fixture(scope="session")
def sharded_run(tmp_path_factory) -> tuple[Path, list[str]]:
    """The real corpus in one shard per document (workflow.shard_mb 0.05 MB: every document is
    larger) up to SHARD_TARGETS, and its config arguments. Shared by the shard tests (its bytes
    against workflow_run's, in one shard) and keyness's map-reduce tests (the jobs it plans)."""
    workdir = copy_project(tmp_path_factory.mktemp("sharded"))
    config = shards_config(workdir, "0.05")
    run_snakemake(workdir, *SHARD_TARGETS, *config)
    return workdir, config


@pytest.fixture(scope="session")
def page_path(request) -> Path:
    """The explorer page of a finished run: the suite's shared one, or, while developing, the
    run folder named by CORPUSFLOW_EXPLORER_RUN."""
    folder = os.environ.get("CORPUSFLOW_EXPLORER_RUN")
    run = Path(folder) if folder else request.getfixturevalue("workflow_run")
    return run / "results" / "explorer.html"


def run_output(workdir: Path) -> Path:
    """Where the shared run's terminal output is kept: beside its folder, not inside it."""
    return workdir.parent / "snakemake-output.txt"


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: Debian's Chromium, headless, with nothing that would reach the network on its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by playwright (which never downloads a browser of its own).

    Without Chromium the browser tests are skipped on a developer's machine but fail in CI
    (CI=true), where .ci/run installs it: a missing browser must not pass silently.
    """
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed (apt-get install chromium; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


#: Markup in a document's text, repeated six times so that "script" is a keyword with KWIC lines.
HOSTILE_TEXT = (
    "\n\nThe committee wrote <script>window.__pwned = 'script';</script> in its minutes and "
    "an image <img src=x onerror=\"window.__pwned = 'img'\"> beside <b>bold</b> words. "
)
HOSTILE_TITLE = '<b>Bold</b><img src=x onerror="window.__pwned=1">'
#: For manifest sources: closes a script block, opens one, and an image that runs code.
HOSTILE_FIELD = (
    "</script><script>window.__pwned = 'field';</script>"
    "<img src=x onerror=\"window.__pwned = 'field'\">"
)
#: For the group labels and listed phrases, which the report's captions and params show: markup
#: with no '</' (a config string with '</' stops the run, CF706), reST directives after a blank
#: line (raw HTML, a local file) and a `javascript:` link.
HOSTILE_CONFIG = (
    "<script>window.__pwned = 'config'; <img src=x onerror=\"window.__pwned = 'config'\">"
    "\n\n.. raw:: html\n\n   <img src=x onerror=\"window.__pwned = 'raw'\">\n\n"
    ".. include:: /etc/passwd\n\n`workers opposition <javascript:window.__pwned='link'>`_"
)


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory) -> Path:
    """The whole workflow, report included, on the real corpus with markup in a document's text,
    a manifest title, every manifest source and the group labels (a topic sweep over K = 2
    and 3 only, to keep the run short). Shared by the injection tests of the report and explorer."""
    workdir = copy_project(tmp_path_factory.mktemp("hostile"))
    manifest = workdir / "config" / "corpus.tsv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [line.split("\t") for line in lines[1:] if line.strip()]
    for cells in rows:
        cells[header.index("source")] = f"Source {HOSTILE_FIELD}"
        if cells[0] == "olivier-commentary":
            cells[header.index("title")] = HOSTILE_TITLE
            path = workdir / cells[header.index("path")]
            path.write_text(path.read_text(encoding="utf-8") + HOSTILE_TEXT * 6, encoding="utf-8")
    manifest.write_text("\n".join(["\t".join(header), *map("\t".join, rows)]) + "\n")
    config = yaml.safe_load((workdir / "config" / "config.yaml").read_text(encoding="utf-8"))
    groups = config["groups"].items()
    overrides = {
        "groups": {group: f"{label} {HOSTILE_CONFIG}" for group, label in groups},
        "keyness": {"phrases": [*config["keyness"].get("phrases", []), HOSTILE_CONFIG]},
        "topics": {"k_min": 2, "k_max": 3},
    }
    (workdir / "hostile.yaml").write_text(yaml.safe_dump(overrides), encoding="utf-8")
    result = run_snakemake(
        workdir, *REPORT_ARGS, "--configfile", "config/config.yaml", "hostile.yaml"
    )
    run_output(workdir).write_text(result.stdout + result.stderr, encoding="utf-8")
    return workdir


@pytest.fixture(scope="session")
def resumed_run(tmp_path_factory) -> tuple[Path, list[str], str]:
    """A second complete run from scratch in another folder, killed with SIGKILL mid-way (as
    soon as the first topic-sweep job has written its result, while others run) and resumed as
    README.md says: rerun the same command and, if Snakemake reports the lock a killed run
    leaves, run it once with --unlock, then again. Returns the folder, the files that existed
    when the run was killed and the output of the first resume attempt. Shared by the tests of
    byte-identical reruns (a run in another folder) and of resuming."""
    workdir = copy_project(tmp_path_factory.mktemp("resumed"))
    killed_after = kill_mid_run(workdir, *REPORT_ARGS, after="results/topics/sweep/part*.json")
    first = run_snakemake(workdir, *REPORT_ARGS, check=False)
    output = first.stdout + first.stderr
    if first.returncode != 0:
        assert "--unlock" in output, output
        run_snakemake(workdir, "--unlock")
        run_snakemake(workdir, *REPORT_ARGS)
    return workdir, killed_after, output


def kill_mid_run(workdir: Path, *args: str, after: str, timeout: float = 1800) -> list[str]:
    """Start the workflow, SIGKILL its whole process group as soon as ``after`` (a glob under
    workdir) matches a file; return the files that matched."""
    command = snakemake_command(workdir, *args)
    process = subprocess.Popen(
        command,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and process.poll() is None:
            done = sorted(str(p.relative_to(workdir)) for p in workdir.glob(after))
            if done:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return done
            time.sleep(0.2)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return []
