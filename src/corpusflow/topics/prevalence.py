"""Topic prevalence per group: the final model's mean share, its own uncertainty and the
passages' sampling, and what the seeds disagree on beside it.

The value is the **final model's** mean segment share in the group (the model whose topics,
terms and flow the report shows; averaging several seeds' models would average different
models). Each bootstrap replicate of its interval combines two sources of uncertainty (the
"method of composition" of stm's ``estimateEffect``, with a resampling step for the data):

1. **The data**: a resample of the group's material. With fewer than
   ``resample_documents_from`` documents in the group, each text is rebuilt from blocks of
   contiguous segments (:func:`circular_block_indices`; neighbouring passages share their
   themes, so single segments would understate the spread). With at least that many
   documents, whole documents are drawn with replacement: the group is then a sample of
   texts, and the documents are the units.
2. **The model**: each drawn segment's topic shares are drawn from the final model's
   variational Dirichlet posterior (gensim's ``gamma``).

**Seed disagreement** is its own columns: the group's mean share under each of the chosen K's
seed fits (topics matched to the final model's), as their smallest, largest and range. It is
not sampling error and is not folded into the interval.

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
from types import SimpleNamespace

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


def _resampled_means(
    gamma: np.ndarray, docs: list[np.ndarray], blocks: list[int] | None, n: int, rng
) -> np.ndarray:
    """``n`` replicates (rows) of a group's mean topic shares: each resamples the group's
    documents (``blocks`` None) or each text's passages in circular blocks of ``blocks``, and
    draws every drawn segment's shares from its Dirichlet posterior ``gamma``."""
    replicates = np.zeros((n, gamma.shape[1]))
    for b in range(n):
        if blocks is None:
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
    return replicates


def _shares(gamma: np.ndarray) -> np.ndarray:
    return gamma / gamma.sum(axis=1, keepdims=True)


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
    """The final model's mean topic share per group with a percentile interval from its
    posterior draws and resampling, and the other seeds' means beside it (module docstring).

    ``segments``: one row per segment with ``segment_id``, ``doc_id``, ``group``, ``order``
    (and ``label``, ``flag`` per ``topic`` when present); ``posterior``: ``seed``, ``final``,
    ``segment_id``, ``topic``, ``gamma``, ``alpha``
    (:func:`corpusflow.topics.final.posterior_table`). ``mean`` is the final model's mean
    segment share, the value the flow figure draws; ``seed_low``/``seed_high`` the smallest and
    largest mean over the chosen K's seed fits (matched to the final model's topics),
    ``seed_range`` their difference. Groups are processed in sorted order with one generator
    seeded by ``seed``, so the table is reproducible.
    """
    info = (
        segments.drop_duplicates("segment_id")
        .sort_values(["group", "doc_id", "order"], kind="stable")
        .reset_index(drop=True)
    )
    wide = {
        s: frame.pivot(index="segment_id", columns="topic", values="gamma")
        .reindex(info["segment_id"])
        .to_numpy()
        for s, frame in posterior.groupby("seed", sort=True)
    }
    final = wide[int(posterior.loc[posterior["final"], "seed"].iloc[0])]
    alpha = posterior.drop_duplicates("topic").sort_values("topic")["alpha"].to_numpy()
    topics = sorted(posterior["topic"].unique())
    per_topic = (
        segments.drop_duplicates("topic").set_index("topic")
        if "topic" in segments
        else pd.DataFrame()
    )
    labels = per_topic["label"].to_dict() if "label" in per_topic else {}
    flags = per_topic["flag"].to_dict() if "flag" in per_topic else {}
    rng = np.random.default_rng(seed)
    gammas = SimpleNamespace(final=final, wide=wide, alpha=alpha)
    options = {"n": n, "block_size": block_size, "level": level}
    options["resample_documents_from"] = resample_documents_from
    frames = []
    for group, frame in info.groupby("group", sort=True):
        table = _group_table(frame, gammas, rng, options)
        table.insert(0, "group", group)
        table.insert(1, "topic", [int(t) for t in topics])
        table.insert(2, "label", [labels.get(t, str(t)) for t in topics])
        table.insert(3, "flag", [flags.get(t, "") for t in topics])
        table.insert(8, "at_prior_floor", table["expected_words"] < prior_floor_words)
        frames.append(table)
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values(["topic", "group"], kind="stable").reset_index(drop=True)


def _group_table(frame: pd.DataFrame, gammas, rng, options: dict) -> pd.DataFrame:
    """One group's columns, one row per topic: the final model's mean share, its interval,
    expected words, the design (segments, documents, what was resampled) and the seeds' range."""
    index = frame.index.to_numpy()
    docs = [d.index.to_numpy() for _, d in frame.groupby("doc_id", sort=True)]
    by_documents = len(docs) >= options["resample_documents_from"]
    blocks = [block_length(len(d), options["block_size"]) for d in docs]
    replicates = _resampled_means(
        gammas.final, docs, None if by_documents else blocks, options["n"], rng
    )
    level = options["level"]
    low, high = np.quantile(replicates, [(1 - level) / 2, (1 + level) / 2], axis=0)
    by_seed = np.array([_shares(g[index].astype(float)).mean(axis=0) for g in gammas.wide.values()])
    final = gammas.final[index].astype(float)
    return pd.DataFrame(
        {
            "mean": _shares(final).mean(axis=0),
            "low": low,
            "high": high,
            "expected_words": (final - gammas.alpha).mean(axis=0),
            "n_segments": len(index),
            "n_documents": len(docs),
            "resampled": "documents" if by_documents else "passages",
            "block_length": 0 if by_documents else int(max(blocks)),
            "n_seeds": len(gammas.wide),
            "seed_low": by_seed.min(axis=0),
            "seed_high": by_seed.max(axis=0),
            "seed_range": by_seed.max(axis=0) - by_seed.min(axis=0),
        }
    )
