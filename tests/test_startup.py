"""The startup checks (corpusflow.startup.check_run) in the main Snakemake process and in a
job's own Snakemake process, which only fills the defaults and reads the manifest."""

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from corpusflow.errors import InputError, Problems
from corpusflow.startup import check_run
from tests.conftest import REPO


def run_checks(config, thorough):
    return check_run(
        config,
        schemas=REPO / "workflow" / "schemas",
        configfiles=["config/config.yaml"],
        state=Path(".snakemake") / "corpusflow",
        thorough=thorough,
    )


@pytest.fixture
def study(tmp_path, monkeypatch):
    """This study's config, manifest and corpus in a fresh folder, the working directory."""
    for folder in ("config", "corpus"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    return yaml.safe_load((tmp_path / "config" / "config.yaml").read_text(encoding="utf-8"))


def test_a_jobs_process_fills_the_same_config_and_manifest_as_the_main_one(study):
    del study["keyness"]["target"]  # filled in: the first group
    main_config, job_config = copy.deepcopy(study), copy.deepcopy(study)
    main, job = run_checks(main_config, True), run_checks(job_config, False)
    assert job_config == main_config and job_config["keyness"]["target"] == "kollontai"
    assert list(job.manifest) == list(main.manifest)
    ids = main.manifest.doc_ids
    assert job.raw_fingerprint(ids) == main.raw_fingerprint(ids)


def test_a_jobs_process_leaves_the_per_row_checks_to_the_main_one(study):
    Path("corpus", "kollontai-web.txt").unlink()
    with pytest.raises((InputError, Problems), match="kollontai-web"):
        run_checks(copy.deepcopy(study), True)
    job = run_checks(copy.deepcopy(study), False)
    assert "kollontai-web" in job.manifest.doc_ids
