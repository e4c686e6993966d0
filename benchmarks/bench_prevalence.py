"""Benchmark of ``prevalence_by_group`` at the scale of the 100x scaling run.

Prints wall time and peak resident memory; asserts nothing (target: peak memory independent of
``n_boot`` and well under the rule's ``mem_mb``). Run from the repository root:

    PYTHONPATH=src .venv/bin/python benchmarks/bench_prevalence.py [--segments 50000]

Synthetic input: two groups of one text each, ``--segments`` segments in all, K topics with
Dirichlet proportions, ``--n-boot`` replicates of blocks of 5 segments.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd

from corpusflow.topics import prevalence_by_group


def synthetic_segment_topics(n_segments: int, k: int, seed: int = 0) -> pd.DataFrame:
    theta = np.random.default_rng(seed).dirichlet(np.full(k, 0.3), size=n_segments)
    position = np.arange(n_segments)
    half = n_segments // 2
    group = np.where(position < half, "a", "b")
    order = np.where(position < half, position, position - half)
    return pd.DataFrame(
        {
            "group": np.repeat(group, k),
            "doc_id": np.repeat(np.char.add("doc-", group), k),
            "order": np.repeat(order, k),
            "topic": np.tile(np.arange(1, k + 1), n_segments),
            "label": np.tile([f"t{j}" for j in range(1, k + 1)], n_segments),
            "proportion": theta.ravel(),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=50_000)
    parser.add_argument("--k", type=int, default=6)
    parser.add_argument("--n-boot", type=int, default=1000)
    args = parser.parse_args()
    table = synthetic_segment_topics(args.segments, args.k)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    prevalence_by_group(table, n_boot=args.n_boot, block_size=5, seed=1)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"segments={args.segments} K={args.k} n_boot={args.n_boot}")
    print(f"prevalence_by_group: {elapsed:.1f} s, peak RSS {peak:.0f} MB")
    print(f"(peak RSS once the input was built: {before:.0f} MB)")


if __name__ == "__main__":
    main()
