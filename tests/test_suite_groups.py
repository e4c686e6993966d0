"""The worker groups of `make test` (tests/conftest.py): a test that reads a shared workflow run
runs on that run's worker, however it asks for the run."""

from types import SimpleNamespace

import pytest

from tests.conftest import worker_group


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
    assert worker_group(fake_item(["tmp_path"])) == "tests/test_x.py"
    assert worker_group(fake_item(["tmp_path"], slurm=True)) == "slurm"


def test_a_test_reading_runs_of_two_groups_is_refused():
    with pytest.raises(pytest.UsageError, match="several groups"):
        worker_group(fake_item(["workflow_run", "hostile_run"]))
