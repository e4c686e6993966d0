"""The worker groups of `make test` (tests/conftest.py): a test that reads a shared workflow run
runs on that run's worker, however it asks for the run."""

import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest

from tests.conftest import FIRST_GROUPS, REPO, SHARED_RUNS, worker_group


def asks_by_name(request):
    """A fixture body like the explorer tests' ``run``."""
    return request.getfixturevalue("workflow_run")


def fake_item(fixtures, functions=(), slurm=False, nodeid="tests/test_x.py::test_y"):
    definitions = {f"fixture{n}": [SimpleNamespace(func=f)] for n, f in enumerate(functions)}
    return SimpleNamespace(
        nodeid=nodeid,
        fixturenames=list(fixtures),
        _fixtureinfo=SimpleNamespace(name2fixturedefs=definitions),
        get_closest_marker=lambda name: object() if slurm and name == "slurm" else None,
    )


def test_a_test_reading_a_shared_run_is_in_that_runs_group():
    assert worker_group(fake_item(["workflow_run", "tmp_path"])) == "workflow_run"
    assert worker_group(fake_item(["page_path"])) == "workflow_run"
    assert worker_group(fake_item(["resumed_run", "workflow_run"])) == "workflow_run"
    assert worker_group(fake_item(["hostile_run", "browser"])) == "hostile_run"


def test_a_run_asked_for_by_name_counts_too():
    assert worker_group(fake_item(["run", "browser"], [asks_by_name])) == "workflow_run"


def test_other_tests_are_grouped_by_module_and_slurm_tests_together():
    assert worker_group(fake_item(["tmp_path"])) == "test_x"
    assert worker_group(fake_item(["tmp_path"], slurm=True)) == "slurm"


def test_every_group_sent_first_is_a_group_of_this_suite():
    """A renamed test module would silently lose its place at the front of the queue."""
    modules = {path.stem for path in (REPO / "tests").glob("test_*.py")}
    unknown = set(FIRST_GROUPS) - modules - set(SHARED_RUNS.values()) - {"slurm"}
    assert not unknown
    assert FIRST_GROUPS[0] == "slurm" and len(set(FIRST_GROUPS)) == len(FIRST_GROUPS)


def test_a_test_reading_runs_of_two_groups_is_refused():
    with pytest.raises(pytest.UsageError, match="several groups"):
        worker_group(fake_item(["workflow_run", "hostile_run"]))


SHARED_RUN_TEST = """
import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def workflow_run():
    return "a stand-in for the shared run"


@pytest.mark.parametrize("n", range(4))
def test_reads_the_run(workflow_run, n):
    Path("workers", f"{{__name__}}-{{n}}").write_text(os.environ["PYTEST_XDIST_WORKER"])
"""


def test_tests_of_one_shared_run_in_two_modules_run_on_one_worker(tmp_path):
    """With this suite's conftest under `make test`'s options, eight tests in two modules that
    read workflow_run all run on one worker (pytest-xdist's own grouping is lost on pytest 9)."""
    pytest.importorskip("xdist")
    shutil.copy2(REPO / "tests" / "conftest.py", tmp_path / "conftest.py")
    for name in ("test_one.py", "test_two.py"):
        (tmp_path / name).write_text(SHARED_RUN_TEST.format())
    (tmp_path / "workers").mkdir()
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2"]
    command += ["--dist", "loadgroup", "--no-loadscope-reorder", "--rootdir", str(tmp_path)]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    workers = {path.name: path.read_text() for path in (tmp_path / "workers").iterdir()}
    assert len(workers) == 8 and len(set(workers.values())) == 1, workers
