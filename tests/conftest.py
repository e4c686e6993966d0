"""Shared fixtures: the repository, and real Snakemake runs in temporary copies of it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


def run_snakemake(
    workdir: Path, *args: str, check: bool = True, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run the real workflow in ``workdir`` with the repository's default profile.

    ``env`` adds variables to the environment (e.g. PYTHONPATH to an edited copy of the code).
    """
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "--workflow-profile",
        str(workdir / "workflow" / "profiles" / "default"),
        "--cores",
        "2",
        *args,
    ]
    environment = {**os.environ, **(env or {})}
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True, env=environment)
    if check and result.returncode != 0:
        raise AssertionError(
            f"snakemake failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


@pytest.fixture(scope="session")
def workflow_run(tmp_path_factory) -> Path:
    """One complete run of the default workflow on the real corpus, shared by the e2e tests."""
    workdir = copy_project(tmp_path_factory.mktemp("run"))
    run_snakemake(workdir, *REPORT_ARGS)
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
    killed_after = kill_mid_run(workdir, *REPORT_ARGS, after="results/topics/runs/*.json")
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
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "--workflow-profile",
        str(workdir / "workflow" / "profiles" / "default"),
        "--cores",
        "2",
        *args,
    ]
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
