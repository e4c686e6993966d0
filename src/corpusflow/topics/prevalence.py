"""Topic prevalence per group, with the model's own uncertainty and the passages' sampling.

Each bootstrap replicate combines two sources of uncertainty (the "method of composition" of
stm's ``estimateEffect``, with a resampling step for the data):

1. **The data**: a resample of the group's material. With fewer than
   ``resample_documents_from`` documents in the group, each text is rebuilt from blocks of
   contiguous segments (:func:`circular_block_indices`; neighbouring passages share their
   themes, so single segments would understate the spread). With at least that many
   documents, whole documents are drawn with replacement: the group is then a sample of
   texts, and the documents are the units.
2. **The model**: each drawn segment's topic shares are drawn from its variational Dirichlet
   posterior (gensim's ``gamma``), of one of the chosen K's seeds in turn (replicate ``b``
   uses seed ``b mod S``), so the interval also covers what the seeds disagree on.

Block length (:func:`block_length`): ``"auto"`` takes ``max(1, round(n ** (1/3)))`` for a
text of ``n`` segments, the order of the block length that minimises the error of a block
bootstrap estimate of a mean's variance (Hall, Horowitz & Jing 1995, block length ~ n^(1/3));
an integer fixes it.

A topic's value in a group is **at the prior floor** when the group's segments carry on
average fewer than ``prior_floor_words`` words of it (``gamma - alpha``, the expected count):
the value then reflects the Dirichlet prior, not the text, and is marked as such.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def block_length(n: int, block_size: int | str) -> int:
    """Block length for a text of ``n`` segments: ``round(n ** (1/3))`` (at least 1) when
    ``block_size`` is "auto", else ``block_size`` (never more than ``n``)."""
    length = max(1, round(n ** (1 / 3))) if block_size == "auto" else int(block_size)
    return max(1, min(length, n))


def circular_block_indices(n: int, block: int, rng: np.random.Generator) -> np.ndarray:
    """One circular block-bootstrap resample of ``n`` segments, as indices: blocks of ``block``
    contiguous segments start anywhere and wrap round the text's end (every segment has the
    same chance), joined and cut to ``n``."""
    b = min(block, n)
    starts = rng.integers(0, n, size=math.ceil(n / b))
    return ((starts[:, None] + np.arange(b)) % n).ravel()[:n]


def _draw_theta(gamma: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    draws = rng.standard_gamma(gamma)
    return draws / draws.sum(axis=1, keepdims=True)


def prevalence_by_group(
    segments: pd.DataFrame,
    posterior: pd.DataFrame,
    *,
    n: int,
    block_size: int | str,
    seed: int,
    level: float,
    resample_documents_from: int,
    prior_floor_words: float,
) -> pd.DataFrame:
    """Mean topic proportion per group with a percentile interval (see the module docstring).

    ``segments``: one row per segment with ``segment_id``, ``doc_id``, ``group``, ``order``;
    ``posterior``: ``seed``, ``segment_id``, ``topic``, ``gamma``, ``alpha``
    (:func:`corpusflow.topics.final.posterior_table`); ``topic`` labels come from
    ``segments``' ``label`` column when present. ``mean`` is the mean over seeds of the group's
    mean posterior share. Groups are processed in sorted order with one generator seeded by
    ``seed``, so the table is reproducible.
    """
    info = (
        segments.drop_duplicates("segment_id")
        .sort_values(["group", "doc_id", "order"], kind="stable")
        .reset_index(drop=True)
    )
    seeds = sorted(posterior["seed"].unique())
    wide = {
        s: frame.pivot(index="segment_id", columns="topic", values="gamma")
        .reindex(info["segment_id"])
        .to_numpy()
        for s, frame in posterior.groupby("seed", sort=True)
    }
    alpha = posterior.drop_duplicates("topic").sort_values("topic")["alpha"].to_numpy()
    topics = sorted(posterior["topic"].unique())
    per_topic = (
        segments.drop_duplicates("topic").set_index("topic") if "topic" in segments else None
    )
    labels = per_topic["label"].to_dict() if per_topic is not None and "label" in per_topic else {}
    flags = per_topic["flag"].to_dict() if per_topic is not None and "flag" in per_topic else {}
    rng = np.random.default_rng(seed)
    rows = []
    for group, frame in info.groupby("group", sort=True):
        index = frame.index.to_numpy()
        docs = [d.index.to_numpy() for _, d in frame.groupby("doc_id", sort=True)]
        by_documents = len(docs) >= resample_documents_from
        blocks = [block_length(len(d), block_size) for d in docs]
        replicates = np.zeros((n, len(topics)))
        for b in range(n):
            gamma = wide[seeds[b % len(seeds)]]
            if by_documents:
                chosen = rng.integers(0, len(docs), size=len(docs))
                drawn = np.concatenate([docs[c] for c in chosen])
            else:
                drawn = np.concatenate(
                    [
                        d[circular_block_indices(len(d), block, rng)]
                        for d, block in zip(docs, blocks, strict=True)
                    ]
                )
            replicates[b] = _draw_theta(gamma[drawn], rng).mean(axis=0)
        low, high = np.quantile(replicates, [(1 - level) / 2, (1 + level) / 2], axis=0)
        means = np.mean(
            [
                (wide[s][index] / wide[s][index].sum(axis=1, keepdims=True)).mean(axis=0)
                for s in seeds
            ],
            axis=0,
        )
        words = np.mean([(wide[s][index] - alpha).mean(axis=0) for s in seeds], axis=0)
        for j, topic in enumerate(topics):
            rows.append(
                {
                    "group": group,
                    "topic": int(topic),
                    "label": labels.get(topic, str(topic)),
                    "flag": flags.get(topic, ""),
                    "mean": float(means[j]),
                    "low": float(low[j]),
                    "high": float(high[j]),
                    "expected_words": float(words[j]),
                    "at_prior_floor": bool(words[j] < prior_floor_words),
                    "n_segments": len(index),
                    "n_documents": len(docs),
                    "resampled": "documents" if by_documents else "passages",
                    "block_length": 0 if by_documents else int(max(blocks)),
                    "n_seeds": len(seeds),
                }
            )
    table = pd.DataFrame(rows)
    return table.sort_values(["topic", "group"], kind="stable").reset_index(drop=True)
