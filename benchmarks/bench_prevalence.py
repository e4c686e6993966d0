"""Benchmark of ``prevalence_by_group`` at the scale of the 100x scaling run.

Prints wall time and peak resident memory; asserts nothing (target: peak memory independent of
``n_boot`` and well under the rule's ``mem_mb``). Run from the repository root:

    PYTHONPATH=src .venv/bin/python benchmarks/bench_prevalence.py [--segments 50000]

Synthetic input: two groups of one text each, ``--segments`` segments in all, K topics, the
posterior of ``--seeds`` seed fits (Dirichlet parameters per segment), ``--n-boot`` replicates
(posterior draws of every resampled segment, blocks of the "auto" length n^(1/3)).
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd

from corpusflow.topics.prevalence import prevalence_by_group


def synthetic_inputs(n_segments: int, k: int, seeds: int, seed: int = 0):
    """A segments table (two groups of one text each) and a posterior table."""
    rng = np.random.default_rng(seed)
    position = np.arange(n_segments)
    half = n_segments // 2
    group = np.where(position < half, "a", "b")
    segments = pd.DataFrame(
        {
            "segment_id": [f"s{i:07d}" for i in position],
            "group": group,
            "doc_id": np.char.add("doc-", group),
            "order": np.where(position < half, position, position - half),
        }
    )
    frames = []
    for s in range(1, seeds + 1):
        gamma = 0.1 + rng.gamma(0.3, 80, size=(n_segments, k))
        frames.append(
            pd.DataFrame(
                {
                    "seed": s,
                    "final": s == 1,
                    "segment_id": np.repeat(segments["segment_id"].to_numpy(), k),
                    "topic": np.tile(np.arange(1, k + 1), n_segments),
                    "gamma": gamma.ravel(),
                    "alpha": 0.1,
                }
            )
        )
    return segments, pd.concat(frames, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=50_000)
    parser.add_argument("--k", type=int, default=6)
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    segments, posterior = synthetic_inputs(args.segments, args.k, args.seeds)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    prevalence_by_group(
        segments,
        posterior,
        n=args.n_boot,
        block_size="auto",
        seed=1,
        level=0.95,
        resample_documents_from=10,
        prior_floor_words=0.5,
    )
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"segments={args.segments} K={args.k} seeds={args.seeds} n_boot={args.n_boot}")
    print(f"prevalence_by_group: {elapsed:.1f} s, peak RSS {peak:.0f} MB")
    print(f"(peak RSS once the input was built: {before:.0f} MB)")


if __name__ == "__main__":
    main()
