"""The real workflow run through SLURM (snakemake's slurm executor) gives a local run's bytes.

Starts a throw-away single-node cluster with `.ci/slurm-up.sh` (munged, slurmctld and slurmd in
the foreground, tracked by PID) and stops it with `.ci/slurm-down.sh`. Where SLURM cannot be
installed or started (not root, no apt, daemons refuse to start) the test is skipped and says
why; `pytest -rs` lists the reason.
"""

import contextlib
import csv
import importlib.util
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

from corpusflow.shards import ShardPlan

pytestmark = [pytest.mark.slurm, pytest.mark.workflow]

REPO = Path(__file__).resolve().parents[1]
CI = REPO / ".ci"
# What a run needs from the repository (results/ and .snakemake/ are left behind).
REPO_PARTS = ("Snakefile", "pyproject.toml", "config", "corpus", "workflow", "src")
# Outputs that must be byte-identical; logs, benchmarks and run metadata legitimately differ.
NOT_COMPARED = ("logs", "benchmarks")
SLURM_TOOLS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue")
#: CPUs the test cluster's node declares: all five shard jobs of a stage of the 10^4-document
#: test at once (two threads each for clean and tokenise), so none waits for a slot.
DECLARED_CPUS = 10
#: The executor's first status check 1 s after a submission (the profile's 5 s): it waits 10 s
#: longer after each check that finds no job finished, so each stage's end is seen sooner.
FAST_STATUS_CHECKS = ("--slurm-init-seconds-before-status-checks", "1")


def slurm_unavailable_reason():
    """Why SLURM cannot run here (installing it if it is missing and we may), or None."""
    if importlib.util.find_spec("snakemake_executor_plugin_slurm") is None:
        return "snakemake-executor-plugin-slurm is not installed (pip install '.[slurm]')"
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "SLURM test needs root (slurmd starts jobs as their owner)"
    if all(shutil.which(tool) for tool in SLURM_TOOLS):
        return None
    if not shutil.which("apt-get"):
        return "slurm-wlm and munge are not installed and there is no apt-get to install them"
    install = subprocess.run(
        [str(CI / "slurm-install.sh")], capture_output=True, text=True, check=False
    )
    if install.returncode != 0:
        return f".ci/slurm-install.sh failed: {install.stderr.strip()[-500:]}"
    return None


@pytest.fixture(scope="module")
def slurm_env(tmp_path_factory):
    """Environment variables for a client of a freshly started single-node cluster."""
    reason = slurm_unavailable_reason()
    if reason:
        pytest.skip(reason)
    state_dir = tmp_path_factory.mktemp("slurm-state")
    # more CPUs than a 2-core CI machine has, so that several shard jobs of a stage run at once
    env = {**os.environ, "CORPUSFLOW_SLURM_CPUS": str(DECLARED_CPUS)}
    try:
        up = subprocess.run(
            [str(CI / "slurm-up.sh"), str(state_dir)],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        if up.returncode != 0:
            pytest.skip(
                f"SLURM could not be started (.ci/slurm-up.sh exit {up.returncode}): "
                f"{up.stderr.strip()[-1500:]}"
            )
        yield {**os.environ, "SLURM_CONF": str(state_dir / "slurm.conf")}
    finally:
        subprocess.run([str(CI / "slurm-down.sh"), str(state_dir)], check=False)


def copy_repository(destination):
    destination.mkdir()
    for part in REPO_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(
                source, destination / part, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(source, destination / part)
    return destination


#: Smaller samples of the same jobs: the topic sweep (K x seeds), keyness's bootstrap draws
#: and its calibration's null corpora. Every rule still runs, as often as before.
SMALL_RUN = {
    "topics": {"k_min": 3, "k_max": 4, "k": 4, "seeds": 2},
    "keyness": {"bootstrap": {"draws": 200}, "calibration": {"replicates": 4}},
}


def small_sweep_configfile(workdir):
    """A configfile with SMALL_RUN's sections of the study's config, to keep the test short.

    Both runs use it, so the comparison is unaffected.
    """
    config = yaml.safe_load((workdir / "config" / "config.yaml").read_text(encoding="utf-8"))
    overrides = {section: value for section, value in SMALL_RUN.items() if section in config}
    path = workdir / "config" / "slurm-test.yaml"
    path.write_text(yaml.safe_dump(overrides), encoding="utf-8")
    return path.relative_to(workdir)


def start_snakemake(workdir, *arguments, env):
    """Start the workflow in ``workdir`` in its own process group, its output to a file beside
    the folder (a pipe nobody reads while the other run goes on would stall it)."""
    env = {**env, "PYTHONPATH": str(workdir / "src")}
    command = [sys.executable, "-m", "snakemake", *arguments]
    with open(workdir.parent / f"{workdir.name}-snakemake.txt", "w") as output:
        return subprocess.Popen(
            command, cwd=workdir, env=env, stdout=output, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,
        )  # fmt: skip


def finish_snakemake(process, workdir):
    """Wait for a run of ``start_snakemake``; fail the test with the end of its output if it
    failed. Returns its output."""
    process.wait()
    output = (workdir.parent / f"{workdir.name}-snakemake.txt").read_text()
    if process.returncode != 0:
        slurm_logs = sorted((workdir / ".snakemake" / "slurm_logs").rglob("*.log"))
        last_slurm_log = slurm_logs[-1].read_text()[-3000:] if slurm_logs else "(none)"
        pytest.fail(
            f"{' '.join(process.args)} failed in {workdir}:\n{output[-5000:]}\n"
            f"last SLURM job log:\n{last_slurm_log}"
        )
    return output


def run_snakemake(workdir, *arguments, env):
    """Run the workflow in ``workdir``; fail the test with the end of its output if it fails."""
    return finish_snakemake(start_snakemake(workdir, *arguments, env=env), workdir)


@contextlib.contextmanager
def running_beside(workdir, *arguments, env):
    """The workflow of ``workdir`` running while the block runs (the local reference run beside
    the cluster run, which spends much of its time waiting on SLURM): waited for, and checked,
    at the end of the block; killed with its jobs if the block fails."""
    process = start_snakemake(workdir, *arguments, env=env)
    try:
        yield
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    finish_snakemake(process, workdir)


def compared_outputs(results):
    """Relative paths of the outputs a SLURM run must reproduce byte for byte. (``os.walk``
    reads each folder's file names and kinds at once; ``Path.rglob`` with ``is_file`` stats
    every one of the 9 x 10^4 files of the 10^4-document run again: 19 s against 0.5 s.)"""
    found = []
    for folder, _, files in os.walk(results):
        relative = Path(folder).relative_to(results)
        if not relative.parts or relative.parts[0] not in NOT_COMPARED:
            found += [relative / name for name in files]
    return sorted(found)


def differing_outputs(local, cluster, paths):
    """The ``paths`` whose bytes differ between two results folders."""
    return [str(p) for p in paths if (local / p).read_bytes() != (cluster / p).read_bytes()]


# --- 10^4 small documents in shards --------------------------------------------------------
DOCUMENTS = 10_000
#: About 2,000 documents of ~150 bytes per shard: 5 shard jobs for each per-document stage.
SHARD_MB = 0.3
#: The four per-document stages (ingest, clean, tokenise, segment) end in the segment records
#: of the shards; nothing after them runs. A reduce over every document (corpus_overview,
#: keyness, cleaning_summary) would be one more single job, not a sharded stage: the test
#: through SLURM of the real corpus runs each of them. (corpus_overview was the target here:
#: 40 CPU s on the cluster, 15 locally, and a minute of the run's wall time.)
SHARDED_STAGE = "segments"


def synthetic_project(workdir):
    """A copy of the workflow and package with a synthetic corpus of DOCUMENTS documents;
    returns the arguments that run its per-document stages (the targets, then the configfile,
    which takes every argument that follows it)."""
    spec = importlib.util.spec_from_file_location("planning", REPO / "benchmarks" / "planning.py")
    planning = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(planning)
    configfile = planning.synthetic_corpus(workdir, DOCUMENTS, workflow={"shard_mb": SHARD_MB})
    shutil.copytree(REPO / "src", workdir / "src", ignore=shutil.ignore_patterns("__pycache__"))
    with open(workdir / "config" / "synthetic.tsv", encoding="utf-8") as manifest:
        rows = list(csv.DictReader(manifest, delimiter="\t"))
    # the workflow's own plan (common.smk): raw bytes of each document, in manifest order
    sizes = {row["doc_id"]: (workdir / row["path"]).stat().st_size for row in rows}
    targets = ShardPlan(sizes, SHARD_MB).records(SHARDED_STAGE, sizes)
    return [*targets, "--configfile", "config/config.yaml", str(configfile)]


def squeue(columns, env):
    """Every job the controller still knows (any state), one line each with ``columns``
    (squeue's ``--format``)."""
    command = ["squeue", "--states=all", "--noheader", f"--format={columns}"]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


def jobs_at_once(queue):
    """Most jobs of each rule that ran at the same time, from ``squeue`` lines of
    ``comment start end`` (the executor's comment is ``rule_<rule>_wildcards_...``)."""
    spans = {}
    for line in queue.splitlines():
        comment, start, end = line.split()
        rule = re.match(r"rule_(\w+?)(?:_wildcards_|$)", comment)
        if rule:
            spans.setdefault(rule.group(1), []).append((start, end))
    return {
        rule: max(sum(s <= start < e for s, e in runs) for start, _ in runs)
        for rule, runs in spans.items()
    }


def test_ten_thousand_documents_run_as_shard_jobs_at_once_through_slurm(slurm_env, tmp_path):
    local, cluster = tmp_path / "local", tmp_path / "cluster"
    arguments = synthetic_project(local)
    assert synthetic_project(cluster) == arguments
    assert len([a for a in arguments if a.startswith("results/")]) == 5  # 5 shards a stage
    local_run = ("--cores", "2", *arguments)
    with running_beside(local, *local_run, env=os.environ):
        run_snakemake(
            cluster,
            "--workflow-profile",
            "workflow/profiles/slurm-ci",
            *FAST_STATUS_CHECKS,
            "--jobs",
            str(DECLARED_CPUS),
            *arguments,
            env=slurm_env,
        )
    queue = squeue("%k %S %e", slurm_env)
    at_once = jobs_at_once(queue)
    for rule in ("ingest", "clean", "tokenise", "segment"):
        assert at_once.get(rule, 0) >= 1, queue
    assert max(at_once[rule] for rule in ("clean", "tokenise")) >= 4, at_once

    expected = compared_outputs(local / "results")
    assert len([p for p in expected if p.parts[0] == "tokens"]) >= 2 * DOCUMENTS
    assert compared_outputs(cluster / "results") == expected
    differing = differing_outputs(local / "results", cluster / "results", expected)
    assert not differing, f"outputs differ between the local and the SLURM run: {differing[:20]}"


def test_workflow_through_slurm_reproduces_local_outputs(slurm_env, tmp_path):
    local = copy_repository(tmp_path / "local")
    cluster = copy_repository(tmp_path / "cluster")
    configfile = str(small_sweep_configfile(local))
    small_sweep_configfile(cluster)
    local_run = ("--cores", "2", "--configfile", "config/config.yaml", configfile)
    with running_beside(local, *local_run, env=os.environ):
        output = run_snakemake(
            cluster,
            "--workflow-profile",
            "workflow/profiles/slurm-ci",
            *FAST_STATUS_CHECKS,
            "--configfile",
            "config/config.yaml",
            configfile,
            env=slurm_env,
        )

    # Every job went through sbatch: one submission per job that ran (every rule has a
    # benchmark file), and the controller saw each of them complete.
    submitted = re.findall(r"submitted with SLURM jobid (\d+)", output)
    jobs_run = list((cluster / "results" / "benchmarks").rglob("*.tsv"))
    assert jobs_run
    assert len(submitted) == len(jobs_run)
    states = dict(line.split() for line in squeue("%i %T", slurm_env).splitlines())
    not_completed = {job: states.get(job) for job in submitted if states.get(job) != "COMPLETED"}
    assert not not_completed, f"SLURM jobs not seen COMPLETED by squeue: {not_completed}"

    expected = compared_outputs(local / "results")
    assert expected, "the local run wrote nothing to compare"
    assert compared_outputs(cluster / "results") == expected
    differing = differing_outputs(local / "results", cluster / "results", expected)
    assert not differing, f"outputs differ between the local and the SLURM run: {differing}"


def test_jobs_at_once_counts_overlapping_jobs_of_each_rule():
    queue = (
        "rule_tokenise_wildcards_shard-000 2026-12-06T10:00:00 2026-12-06T10:00:20\n"
        "rule_tokenise_wildcards_shard-001 2026-12-06T10:00:05 2026-12-06T10:00:30\n"
        "rule_tokenise_wildcards_shard-002 2026-12-06T10:00:25 2026-12-06T10:00:40\n"
        "rule_keyness 2026-12-06T10:01:00 2026-12-06T10:02:00\n"
    )
    assert jobs_at_once(queue) == {"tokenise": 2, "keyness": 1}


def test_compared_outputs_are_every_file_but_logs_and_benchmarks(tmp_path):
    local, cluster = tmp_path / "local", tmp_path / "cluster"
    kept = ["explorer.html", "tables/logs.csv", "tokens/a.parquet", "tokens/shards/s.json"]
    for name in [*kept, "logs/tokenise/s.log", "benchmarks/ingest.tsv"]:
        (local / name).parent.mkdir(parents=True, exist_ok=True)
        (local / name).write_text(name)
    shutil.copytree(local, cluster)
    assert [str(p) for p in compared_outputs(local)] == kept
    (cluster / "tokens" / "a.parquet").write_text("other bytes")
    (cluster / "logs" / "tokenise" / "s.log").write_text("other bytes")
    assert differing_outputs(local, cluster, compared_outputs(local)) == ["tokens/a.parquet"]


BESIDE_SNAKEFILE = """
rule slow:
    output: "slow"
    shell: "sleep 120; touch {output}"

rule bad:
    output: "bad"
    shell: "exit 3"
"""


def processes_in(folder):
    """The processes whose working directory is ``folder``."""
    import psutil

    found = []
    for process in psutil.process_iter(["cwd", "name"]):
        if process.info["cwd"] == str(folder):
            found.append(process.info["name"])
    return found


def test_the_run_beside_is_killed_if_the_block_fails_and_fails_the_test_if_it_fails(tmp_path):
    workdir = tmp_path / "beside"
    workdir.mkdir()
    (workdir / "Snakefile").write_text(BESIDE_SNAKEFILE)
    slow = running_beside(workdir, "--cores", "1", "slow", env=os.environ)
    with pytest.raises(KeyError), slow:
        for _ in range(600):
            if "sleep" in processes_in(workdir):
                raise KeyError("the cluster run failed")
            time.sleep(0.1)
    time.sleep(0.5)
    assert processes_in(workdir) == [] and not (workdir / "slow").exists()
    bad = running_beside(workdir, "--cores", "1", "bad", env=os.environ)
    with pytest.raises(pytest.fail.Exception, match="exit 3|Error in rule bad"), bad:
        pass
