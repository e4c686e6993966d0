"""Hostile input and rough handling of the real workflow (issue 15): paths that escape the
project stop it at startup, a binary file stops ingest, a run killed with SIGKILL resumes to the
same bytes, and a local run starts no cluster tool."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import matplotlib
import pytest

from tests.conftest import REPO, copy_project, run_snakemake, snakemake_command

pytestmark = pytest.mark.workflow

PNG = Path(matplotlib.get_data_path()) / "images" / "home.png"
#: SLURM's client tools, faked: each records that it was started, then fails like a login node
#: whose controller cannot be reached.
SLURM_TOOLS = ("scontrol", "sinfo", "sacct", "squeue", "sbatch", "scancel")


def set_manifest_path(workdir: Path, doc_id: str, path: str, encoding: str | None = None):
    manifest = workdir / "config" / "corpus.tsv"
    lines = manifest.read_text().split("\n")
    header = lines[0].split("\t")
    for number, line in enumerate(lines):
        fields = line.split("\t")
        if fields[0] == doc_id:
            fields[header.index("path")] = path
            if encoding:
                fields[header.index("encoding")] = encoding
            lines[number] = "\t".join(fields)
    manifest.write_text("\n".join(lines))


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "symlink"])
def test_a_path_out_of_the_project_stops_the_run_before_any_job(tmp_path, kind):
    workdir = copy_project(tmp_path / "project")
    (tmp_path / "outside-secret.txt").write_text("secret\n")
    path = {
        "absolute": "/etc/passwd",
        "dotdot": "../outside-secret.txt",
        "symlink": "corpus/link.txt",
    }[kind]
    (workdir / "corpus" / "link.txt").symlink_to(tmp_path / "outside-secret.txt")
    set_manifest_path(workdir, "olivier-commentary", path)
    result = run_snakemake(workdir, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "CF215" in output and f"path {path!r}" in output, output
    assert not (workdir / "results" / "ingest").exists()


def test_a_side_too_small_for_the_asked_range_stops_the_run_before_any_job(tmp_path):
    workdir = copy_project(tmp_path / "project")
    (workdir / "mine.yaml").write_text("keyness:\n  min_range: 100000\n")
    result = run_snakemake(
        workdir, "--dry-run", "--configfile", "config/config.yaml", "mine.yaml", check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "CF217" in output and "keyness.min_range = 100000" in output, output


def test_a_png_declared_latin1_stops_ingest_naming_it_binary(tmp_path):
    workdir = copy_project(tmp_path / "project")
    (workdir / "corpus" / "picture.txt").write_bytes(PNG.read_bytes())
    set_manifest_path(workdir, "olivier-commentary", "corpus/picture.txt", encoding="latin-1")
    # A small picture as a whole keyness side also fails the startup bound (CF217); let it
    # reach ingest.
    (workdir / "mine.yaml").write_text("keyness:\n  min_range: 1\n")
    # The ingest job of the one shard this small corpus makes (workflow.shard_mb's default).
    result = run_snakemake(
        workdir,
        "results/ingest/shards/shard-000.json",
        "--configfile",
        "config/config.yaml",
        "mine.yaml",
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "CF216" in output and "corpus/picture.txt" in output and "PNG image" in output
    assert not (workdir / "results" / "ingest" / "olivier-commentary.txt").exists()


# --- local runs start no cluster tools ------------------------------------------------------


def fake_slurm(folder: Path) -> tuple[Path, Path]:
    """A folder of fake SLURM tools and the file they record their calls in."""
    folder.mkdir()
    record = folder / "calls.txt"
    for tool in SLURM_TOOLS:
        script = folder / tool
        script.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{record}"\nexit 1\n')
        script.chmod(0o755)
    return folder, record


def environment_without(tmp_path: Path, prefix: str) -> Path:
    """A site-packages folder holding everything of this environment except the packages
    starting with ``prefix``: what `make setup` installs when it leaves an extra out."""
    site = Path(sysconfig.get_paths()["purelib"])
    farm = tmp_path / "site-packages"
    farm.mkdir()
    for entry in site.iterdir():
        if not entry.name.startswith(prefix):
            (farm / entry.name).symlink_to(entry)
    return farm


def test_snakemake_with_the_slurm_plugin_installed_calls_scontrol(tmp_path):
    """Why the local environment leaves the plugin out: importing it (Snakemake imports every
    installed executor plugin at start-up) runs `scontrol show config` when SLURM is on PATH."""
    pytest.importorskip("snakemake_executor_plugin_slurm")
    tools, record = fake_slurm(tmp_path / "bin")
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(
        [sys.executable, "-m", "snakemake", "--version"], env=env, check=True, capture_output=True
    )
    assert "scontrol show config" in record.read_text()


def test_a_local_run_without_the_cluster_extra_starts_no_cluster_tool(tmp_path):
    """A local run (start-up, jobs, report) in the environment `make setup` builds, with SLURM's
    tools on PATH, never starts one of them."""
    tools, record = fake_slurm(tmp_path / "bin")
    farm = environment_without(tmp_path, "snakemake_executor_plugin_slurm")
    workdir = copy_project(tmp_path / "project")
    # -S: no site-packages but the filtered copy (PYTHONPATH); jobs inherit the same.
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
    python.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(farm)]),
    }
    # The ingest job of the corpus's one shard (workflow.shard_mb's default).
    command = snakemake_command(workdir, "results/ingest/shards/shard-000.json", python=python)
    result = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (workdir / "results" / "ingest" / "olivier-commentary.txt").exists()
    assert not record.exists(), record.read_text()
    makefile = (REPO / "Makefile").read_text()
    assert "EXTRAS ?= workflow,test\n" in makefile and '--editable ".[$(EXTRAS)]"' in makefile


# --- kill and resume --------------------------------------------------------------------------


def test_a_run_killed_mid_way_resumes_to_the_same_bytes(resumed_run, workflow_run):
    workdir, killed_after, resume_output = resumed_run
    assert killed_after, "the run was killed before any job finished"
    for folder in ("tables", "figures"):
        names = sorted(p.name for p in (workflow_run / "results" / folder).iterdir())
        assert names == sorted(p.name for p in (workdir / "results" / folder).iterdir())
        for name in names:
            path = Path("results") / folder / name
            assert (workdir / path).read_bytes() == (workflow_run / path).read_bytes(), path
    assert (workdir / "results" / "provenance.json").read_bytes() == (
        workflow_run / "results" / "provenance.json"
    ).read_bytes()
    # The lock a killed run leaves is met with Snakemake's own hint, which the README repeats.
    if "LockException" in resume_output or "cannot be locked" in resume_output:
        assert "--unlock" in resume_output
    assert "--unlock" in (REPO / "README.md").read_text()
    assert "--unlock" in (REPO / "docs" / "cluster.md").read_text()
