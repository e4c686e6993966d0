"""Benchmark of the topic stage: its job-CPU against the rest of the workflow, and the sweep.

Prints figures; asserts nothing. Targets (issue #12): the topic stage's job-CPU at most 1.5x
the job-CPU of all other stages together, the whole cold workflow under 60 s on a quiet 2-core
machine, and the sweep of an analyst's corpus (~180k words) under 5 minutes. Run from the
repository root with the project's environment:

    PYTHONPATH=src .venv/bin/python benchmarks/bench_topics.py [--cores 2] [--scale 8]

1. In a fresh temporary copy of the project, the whole workflow (default targets, no report)
   runs cold with ``--cores N``; its wall time is printed. Every job writes a Snakemake
   benchmark file (``results/benchmarks/**.tsv``): the topic stage's job-CPU (the
   ``cpu_time`` of every job under ``results/benchmarks/topics``) is compared with the
   job-CPU of every other job. CPU time does not depend on what else the machine runs as much
   as wall time does, so the ratio is the figure to compare across machines.
2. The sweep: wall and CPU of its jobs, and CPU per fit (fits = K values x (seeds +
   perturbation replicates)).
3. With ``--scale S``: the study's sweep settings in this process on S copies of the real
   segments (each copy's words shuffled within segments, seeded), i.e. a corpus S times the
   real one's size (S = 8: ~190k words), CPU seconds printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from corpusflow.config import study_config

REPO = Path(__file__).resolve().parents[1]
COPY = ["Snakefile", "workflow", "config", "corpus", "examples"]


def job_table(results: Path) -> pd.DataFrame:
    """One row per job: its benchmark file (relative to results/benchmarks), seconds, CPU."""
    rows = []
    for path in sorted((results / "benchmarks").rglob("*.tsv")):
        frame = pd.read_csv(path, sep="\t")
        rows.append(
            {
                "job": str(path.relative_to(results / "benchmarks")),
                "seconds": float(frame["s"].iloc[-1]),
                "cpu": float(frame["cpu_time"].iloc[-1]),
                "max_rss": float(frame["max_rss"].iloc[-1]),
            }
        )
    return pd.DataFrame(rows)


def scaled_sweep(workdir: Path, scale: int) -> tuple[float, int, int]:
    """CPU seconds of the study's sweep on ``scale`` shuffled copies of the real segments."""
    from types import SimpleNamespace

    import numpy as np

    from corpusflow.io import read_parquet, write_parquet
    from corpusflow.settings import from_config
    from corpusflow.topics.checks import sweep_ks, sweep_units
    from corpusflow.topics.run.sweep import sweep
    from corpusflow.topics.settings import TopicsSettings

    config = study_config(workdir / "config" / "config.yaml")
    settings = from_config(TopicsSettings, config, "topics")
    base = [list(t) for t in read_parquet(workdir / "results/topics/documents.parquet")["terms"]]
    rng = np.random.default_rng(0)
    texts = [list(rng.permutation(t)) if copy else t for copy in range(scale) for t in base]
    scaled = workdir / "results" / "topics" / f"documents_x{scale}.parquet"
    write_parquet(pd.DataFrame({"terms": texts}), scaled)
    start = time.process_time()
    units = sweep_units(sweep_ks(config["topics"]), "k")
    sweep(SimpleNamespace(documents=scaled), settings, units=units)
    return time.process_time() - start, len(texts), sum(len(t) for t in texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--scale", type=int, default=0, help="copies of the real segments")
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for name in COPY:
            source = REPO / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, workdir / name)
        command = [sys.executable, "-m", "snakemake", "--cores", str(args.cores), "--quiet", "all"]
        start = time.perf_counter()
        subprocess.run(command, cwd=workdir, check=True, capture_output=True)
        wall = time.perf_counter() - start
        jobs = job_table(workdir / "results")
        topics = jobs[jobs["job"].str.startswith("topics/")]
        rest = jobs[~jobs["job"].str.startswith("topics/")]
        sweep = jobs[jobs["job"].str.startswith("topics/sweep/")]
        config = study_config(workdir / "config" / "config.yaml")["topics"]
        n_k = config["k_max"] - config["k_min"] + 1
        seeds = config["seeds"] if isinstance(config["seeds"], int) else len(config["seeds"])
        fits = n_k * (seeds + config["perturbation"]["replicates"])
        print(f"whole cold workflow, {args.cores} cores : {wall:6.1f} s wall (target < 60 s)")
        print(f"  machine load average (1 min)     : {os.getloadavg()[0]:6.2f}")
        print(f"  jobs: {len(jobs)} ({len(topics)} in the topic stage)")
        print(f"  job-CPU, topic stage             : {topics['cpu'].sum():6.1f} s")
        print(f"  job-CPU, all other stages        : {rest['cpu'].sum():6.1f} s")
        ratio = topics["cpu"].sum() / rest["cpu"].sum()
        print(f"  ratio topics / rest              : {ratio:6.2f} (target <= 1.5)")
        print("  topic-stage jobs (s wall, s CPU, MiB):")
        for row in topics.itertuples():
            print(f"    {row.job:36s} {row.seconds:7.1f} {row.cpu:7.1f} {row.max_rss:7.0f}")
        print(
            f"sweep: {len(sweep)} jobs, {n_k} K x ({seeds} seeds + "
            f"{config['perturbation']['replicates']} replicates) = {fits} fits"
        )
        print(f"  wall of the longest sweep job    : {sweep['seconds'].max():6.1f} s")
        print(f"  job-CPU of the sweep             : {sweep['cpu'].sum():6.1f} s")
        print(f"  CPU per fit (with its measures)  : {sweep['cpu'].sum() / fits:6.2f} s")
        if args.scale:
            cpu, n_segments, n_terms = scaled_sweep(workdir, args.scale)
            print(
                f"sweep in-process on {args.scale}x the real segments ({n_segments} segments, "
                f"{n_terms} kept terms): {cpu:6.1f} s CPU (target < 300 s)"
            )


if __name__ == "__main__":
    main()
