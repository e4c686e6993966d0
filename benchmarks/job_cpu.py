"""Job-CPU per token of a finished run: what a study's results/ cost, stage by stage.

Prints figures; asserts nothing. Sums the ``cpu_time`` of every Snakemake benchmark file of
the run (``results/benchmarks/**/*.tsv``, one per job) and divides by the tokens of its token
tables (``results/tokens/*.parquet``, every document), per 100,000 tokens. Run from the
repository root after a run of a study folder (``make analysis PROJECT=folder``):

    PYTHONPATH=src .venv/bin/python benchmarks/job_cpu.py [folder ...]

CPU time depends less on what else the machine runs than wall time does, so it is the figure
to compare between studies and machines.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq


def job_cpu(results: Path) -> dict[str, float]:
    """CPU seconds by rule (the benchmark file's first folder under results/benchmarks)."""
    by_rule: dict[str, float] = defaultdict(float)
    for path in sorted((results / "benchmarks").rglob("*.tsv")):
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        rule = "/".join(path.relative_to(results / "benchmarks").parts[:2]).removesuffix(".tsv")
        by_rule[rule.split("/part")[0]] += sum(float(row["cpu_time"]) for row in rows)
    return dict(by_rule)


def tokens(results: Path) -> int:
    """Rows of the run's token tables (every document's tokens)."""
    return sum(pq.ParquetFile(p).metadata.num_rows for p in (results / "tokens").glob("*.parquet"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", default=["."], type=Path)
    for folder in parser.parse_args().folders:
        results = folder / "results"
        cpu, n = job_cpu(results), tokens(results)
        total = sum(cpu.values())
        topics = sum(v for k, v in cpu.items() if k.startswith("topics/"))
        sweep = sum(v for k, v in cpu.items() if k.startswith("topics/sweep"))
        print(f"{folder}: {n:,} tokens, {total:.1f} job-CPU s, {1e5 * total / n:.1f} per 100k")
        print(f"  topics {topics:.1f} s ({topics / total:.0%}), of it the sweep {sweep:.1f} s")
        for rule, seconds in sorted(cpu.items(), key=lambda item: -item[1])[:8]:
            print(f"  {rule:<32} {seconds:7.1f}")


if __name__ == "__main__":
    main()
