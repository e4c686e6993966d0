"""Stability across seeds and across perturbed data, the model-selection table and the K rule.

- **Seed stability** of a fit: the mean top-term Jaccard of its topics matched one-to-one
  (Hungarian algorithm) to each other seed's at the same K. The seeds' values share the same
  pairs, so their spread is shown as a standard deviation, not a standard error.
- **Perturbation stability** (Greene, O'Callaghan & Cunningham 2014): each replicate is a fit
  on a random subsample of the segments; its agreement is the mean matched top-term Jaccard
  with the full-data fits of every seed. Replicates are independent draws given the full-data
  fits, so their standard error is ``sd / sqrt(R)``; ``R`` is set per K by the pilot
  replicates' spread (:mod:`corpusflow.topics.replicates`) and is a column of the table. The
  random-topic null (:func:`corpusflow.topics.sweep.random_topics_null`) is what chance
  matching gives at that K.
- **The K rule** (:func:`choose_k`): each K's perturbation stability and held-out gain are set
  against the same statistics on the shuffled-words null at that K
  (:mod:`corpusflow.topics.null`). A K beats the null when both exceed the null's by more than
  ``null_margin`` standard errors of the difference, the one-sided normal quantile at
  ``topics.null.level`` divided by the grid's number of K (Bonferroni over the grid); the
  rule's K is the one with the highest stability over the null among those (ties: smaller
  K). When no K beats the null the rule says so (``k_evidence`` "none") and the final model
  is a descriptive map at a pinned K or the grid's smallest. The table also marks every K
  within one standard error of the rule's K, and the rule says when its K is at an edge of
  the grid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from corpusflow.errors import InputError


def jaccard(a: Sequence[Sequence], b: Sequence[Sequence]) -> np.ndarray:
    """Jaccard similarity of every topic term set in ``a`` with every one in ``b``."""
    sets_a, sets_b = [set(t) for t in a], [set(t) for t in b]
    return np.array(
        [[len(x & y) / len(x | y) if x | y else 0.0 for y in sets_b] for x in sets_a]
    ).reshape(len(sets_a), len(sets_b))


def match_topics(a: Sequence[Sequence], b: Sequence[Sequence]) -> tuple[np.ndarray, np.ndarray]:
    """One-to-one matching of topics in ``a`` to topics in ``b`` maximising total Jaccard.

    Returns ``partner`` (for each topic of ``a``, its match in ``b``, -1 if none) and
    ``similarity`` (the matched pair's Jaccard, 0 if none)."""
    sim = jaccard(a, b)
    partner = np.full(len(a), -1)
    similarity = np.zeros(len(a))
    if sim.size:
        rows, cols = linear_sum_assignment(sim, maximize=True)
        partner[rows] = cols
        similarity[rows] = sim[rows, cols]
    return partner, similarity


def mean_match(a: Sequence[Sequence], b: Sequence[Sequence]) -> float:
    """Mean matched Jaccard of two topic sets (0 when either is empty)."""
    if not len(a) or not len(b):
        return 0.0
    return float(match_topics(a, b)[1].mean())


def seed_stability(seed_topics: Sequence[Sequence[Sequence[str]]]) -> np.ndarray:
    """Per seed, the mean matched Jaccard against the other seeds (NaN with one seed)."""
    n = len(seed_topics)
    match = np.full((n, n), np.nan)
    for i in range(n):
        for j in range(i + 1, n):
            match[i, j] = match[j, i] = mean_match(seed_topics[i], seed_topics[j])
    if n < 2:
        return np.full(n, np.nan)
    return np.array([np.nanmean(np.delete(match[i], i)) for i in range(n)])


def recurrence(
    topics: Sequence[Sequence[str]], others: Sequence[Sequence[Sequence[str]]], threshold: float
) -> np.ndarray:
    """Share of the other seeds' fits in which each topic reappears: its one-to-one partner
    there has a top-term Jaccard of at least ``threshold``. NaN when there are no others."""
    if not others:
        return np.full(len(topics), np.nan)
    hits = np.zeros(len(topics))
    for other in others:
        hits += match_topics(topics, other)[1] >= threshold
    return hits / len(others)


def _se(values: Sequence[float]) -> float:
    values = np.asarray([v for v in values if v is not None and not math.isnan(v)], dtype=float)
    return float(values.std(ddof=1) / math.sqrt(len(values))) if len(values) > 1 else math.nan


def _mean(values) -> float:
    values = [v for v in values if v is not None and not math.isnan(v)]
    return float(np.mean(values)) if values else math.nan


def replicate_measures(seed_topics: Sequence, replicates: Sequence[dict]) -> tuple[list, list]:
    """Per replicate: its agreement (mean matched Jaccard with every full-data fit's topics)
    and its held-out gain over the unigram model (nats per scored word)."""
    agreements = [
        _mean([mean_match(r["topics"], t) for t in seed_topics]) if r["topics"] else math.nan
        for r in replicates
    ]
    gains = [
        (r["model"] - r["unigram"]) / r["words"] if r["words"] else math.nan for r in replicates
    ]
    return agreements, gains


def _null_columns(record: dict, stability: list, gains: list, enough: bool) -> dict:
    """The shuffled-words null's columns (:mod:`corpusflow.topics.null`) and the differences
    of the real statistics from it, each with the standard error of the difference (the two
    sides' replicates are independent fits: their squared standard errors add)."""
    null = record.get("shuffled_null")
    if null is None:
        return {}
    null_stability, null_gains = replicate_measures(
        [s["topics"] for s in null["seeds"]], null["replicates"]
    )
    null_words = sum(r["words"] for r in null["replicates"])
    null_enough = enough and null_words > 0
    columns = {
        "null_stability": _mean(null_stability),
        "null_stability_se": _se(null_stability),
        "null_replicates": len(null["replicates"]),
        "stability_over_null": _mean(stability) - _mean(null_stability),
        "stability_over_null_se": math.hypot(_se(stability), _se(null_stability)),
        "null_heldout_gain": _mean(null_gains) if null_enough else math.nan,
        "null_heldout_gain_se": _se(null_gains) if null_enough else math.nan,
    }
    columns["heldout_over_null"] = (
        _mean(gains) - columns["null_heldout_gain"] if null_enough else math.nan
    )
    columns["heldout_over_null_se"] = (
        math.hypot(_se(gains), columns["null_heldout_gain_se"]) if null_enough else math.nan
    )
    return columns


def null_margin(level: float, tests: int) -> float:
    """How many standard errors a K's differences from the null must exceed: the one-sided
    normal quantile at ``level / tests``, so that on a corpus without topics the rule claims
    structure at some K of a grid of ``tests`` values at most at about ``level``
    (Bonferroni over the grid)."""
    return NormalDist().inv_cdf(1 - level / tests)


def beats_null(row: dict, margin: float) -> bool:
    """A K beats the shuffled-words null when its stability exceeds the null's by more than
    ``margin`` standard errors of the difference and, where held-out gain was scored, so does
    its gain."""

    def above(value: float, se: float) -> bool:
        return not math.isnan(value) and value > (0.0 if math.isnan(se) else margin * se)

    heldout = row["heldout_over_null"]
    gain_ok = math.isnan(heldout) or above(heldout, row["heldout_over_null_se"])
    return above(row["stability_over_null"], row["stability_over_null_se"]) and gain_ok


#: The per-topic diagnostics of a full-data fit (corpusflow.topics.sweep.topic_diagnostics).
DIAGNOSTICS = ("npmi", "semantic_coherence", "exclusivity", "effective_words", "corpus_distance")


def k_summary(record: dict, *, min_heldout_words: int) -> dict:
    """One row of the model-selection table from one K's sweep record."""
    seeds = record["seeds"]
    seed_topics = [s["topics"] for s in seeds]
    agreements, gains = replicate_measures(seed_topics, record["replicates"])
    excess = [a - record["null"] for a in agreements]
    words = int(sum(r["words"] for r in record["replicates"]))
    enough = words >= min_heldout_words
    stab = seed_stability(seed_topics)
    # a record without the seeds' diagnostics (the calibration's) gives the rule's columns
    per_seed = {
        key: [float(np.mean(s[key])) for s in seeds] for key in DIAGNOSTICS if key in seeds[0]
    }
    return {
        "k": record["k"],
        "perturbation_stability": _mean(agreements),
        "perturbation_se": _se(agreements),
        "replicates": len(record["replicates"]),
        "null_jaccard": record["null"],
        "excess_stability": _mean(excess),
        "excess_se": _se(excess),
        "seed_stability": _mean(stab),
        "seed_stability_sd": float(np.nanstd(stab, ddof=1)) if len(stab) > 1 else math.nan,
        "heldout_gain": _mean(gains) if enough else math.nan,
        "heldout_gain_se": _se(gains) if enough else math.nan,
        "heldout_words": words,
        **{f"{key}": _mean(v) for key, v in per_seed.items()},
        **{
            f"{key}_sd": float(np.std(v, ddof=1)) if len(v) > 1 else math.nan
            for key, v in per_seed.items()
        },
        **_null_columns(record, agreements, gains, enough),
    }


#: The smallest K of a topic model: nothing below it can be tried.
MIN_K = 2


#: What ``k_evidence`` says when a K beat the shuffled-words null: the rule that chose it.
EVIDENCE_RULE = "stability_over_shuffled_null"


def choose_k(table: pd.DataFrame, pinned: int | None) -> dict:
    """The K rule on the model-selection table (one row per K, sorted by K, with the
    shuffled-words null's columns of :func:`k_summary`).

    ``beats_null``: the K values whose stability (and held-out gain) beat the null's by more
    than ``null_margin`` standard errors (:func:`beats_null`). ``k_evidence``:
    :data:`EVIDENCE_RULE` when any K does, else "none". ``rule_k``: among the K that beat the
    null (all K when none does), the highest stability over the null (ties: smaller K);
    ``within_one_se``: the K values within the best's standard error of it; ``edge``:
    "lower"/"upper" when ``rule_k`` is the grid's smallest/largest K, "minimum" when it is
    K = 2 (nothing lies below), "none" otherwise.
    ``k``: ``pinned`` when the config pins K; else ``rule_k`` when there is evidence; else the
    grid's smallest K, a descriptive map (``k_source`` says which).
    """
    indexed = table.set_index("k")
    if indexed["excess_stability"].isna().all():
        raise InputError(
            "CF606",
            "no perturbation replicate could be fitted at any K: the training segments hold "
            "fewer terms than topics; lower topics.k_max or topics.no_below",
        )
    scores = indexed["stability_over_null"].fillna(-np.inf)
    beating = [int(k) for k in indexed.index[indexed["beats_null"].astype(bool)]]
    best = int(scores.loc[beating or list(indexed.index)].idxmax())
    se = indexed.loc[best, "stability_over_null_se"]
    margin = 0.0 if math.isnan(se) else float(se)
    within = [int(k) for k, v in scores.items() if v > -np.inf and v >= scores[best] - margin]
    ks = [int(k) for k in indexed.index]
    edge = "none"
    if best == MIN_K:
        edge = "minimum"
    elif best == min(ks):
        edge = "lower"
    elif best == max(ks):
        edge = "upper"
    if pinned is not None:
        k, source = int(pinned), "pinned"
    elif beating:
        k, source = best, "rule"
    else:
        k, source = min(ks), "default"
    return {
        "rule_k": best,
        "k": k,
        "k_source": source,
        "pinned": pinned is not None,
        "k_evidence": EVIDENCE_RULE if beating else "none",
        "beats_null": beating,
        "edge": edge,
        "within_one_se": within,
        "grid": [min(ks), max(ks)],
    }


def selection_table(
    records: Sequence[dict], *, min_heldout_words: int, level: float
) -> pd.DataFrame:
    """The model-selection table: one row per K (see :func:`k_summary`), sorted by K; with the
    shuffled-words null, ``null_margin`` (:func:`null_margin` at ``level`` over the grid's K
    values) and ``beats_null`` (:func:`beats_null`)."""
    rows = [k_summary(r, min_heldout_words=min_heldout_words) for r in records]
    table = pd.DataFrame(rows).sort_values("k", kind="stable").reset_index(drop=True)
    if "stability_over_null" in table:
        margin = null_margin(level, len(table))
        table["null_margin"] = margin
        table["beats_null"] = [beats_null(row, margin) for row in table.to_dict("records")]
    return table


def mark_choice(table: pd.DataFrame, choice: dict) -> pd.DataFrame:
    """The table with the rule's marks: ``within_one_se``, ``rule_k``, ``chosen``, ``edge``."""
    table = table.copy()
    table["within_one_se"] = table["k"].isin(choice["within_one_se"])
    table["rule_k"] = table["k"] == choice["rule_k"]
    table["chosen"] = table["k"] == choice["k"]
    table["edge"] = np.where(table["rule_k"], choice["edge"], "")
    return table


def medoid_seed(seed_topics: dict[int, Sequence[Sequence[str]]]) -> int:
    """The seed whose topics best match the other seeds' (smallest seed on ties)."""
    seeds = sorted(seed_topics)
    stab = np.nan_to_num(seed_stability([seed_topics[s] for s in seeds]), nan=0.0)
    return seeds[int(np.lexsort((seeds, -stab))[0])]
