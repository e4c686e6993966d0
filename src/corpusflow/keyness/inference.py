"""Dispersion-aware inference: tests on per-unit frequencies and a bootstrap of Log Ratio.

Token-level tests (G2, Fisher) treat every token as an independent draw; words cluster in
passages, so they overstate the evidence for a term used heavily in a few passages. Following
Lijffijt et al. (2016, "Significance testing of word frequencies in corpora"), the tests here
compare the *units* of the two sides instead: each unit's relative frequency of the term.

**Units.** A side's unit is its segment, unless the side has at least ``document_min``
documents: then segments are nested in documents and not independent draws of the side, so
each document (all its segments pooled) is one unit. With fewer documents, segments are the
best available units, and the test describes these texts rather than a population of texts.

* :func:`wmw_test`: Wilcoxon-Mann-Whitney rank test of the per-unit relative frequencies
  (normal approximation with tie correction and continuity correction). It asks whether a
  unit of one side tends to use the term more often than a unit of the other.
* :func:`welch_test`: Welch's t-test of the per-unit relative frequencies (unequal variances).
* :func:`bootstrap`: Lijffijt et al.'s bootstrap test (resample each side's units with
  replacement, compare the pooled relative frequencies; ``p = (1 + 2 N min(p1, 1 - p1)) /
  (N + 1)``), and from the same draws the percentile interval of Log Ratio. A term absent
  from every unit of one side is never drawn there, so the test calls any use on the other
  side significant: it is anti-conservative for rare terms (see config/README.md).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import mannwhitneyu

#: Terms per block of the per-unit tests: a block's dense rates are units x this many floats.
TERM_BLOCK = 64
#: Bootstrap draws per block: a block's resampling weights are this many x units numbers.
DRAW_BLOCK = 64


def unit_matrix(
    occurrences: pd.DataFrame,
    terms: Sequence[str],
    *,
    docs: Sequence[str],
    document_min: int,
) -> tuple[np.ndarray, np.ndarray, str]:
    """Counts of ``terms`` per unit of one side, the units' sizes, and the unit kind.

    ``occurrences`` holds the counted units of every side (columns ``doc_id``, ``segment_id``,
    ``term``; with a ``count`` column, each row counts that many, see
    :func:`corpusflow.keyness.tables.term_counts`). A unit's size counts all its counted units
    (also the terms not in ``terms``). The unit is ``"document"`` when ``docs`` has at least
    ``document_min`` documents, else ``"segment"``. Rows are units in sorted order of their
    ids, columns follow ``terms``. :func:`unit_counts` gives the same counts as a sparse
    matrix.
    """
    counts, sizes, kind = unit_counts(occurrences, terms, docs=docs, document_min=document_min)
    return counts.toarray(), sizes, kind


def unit_counts(
    occurrences: pd.DataFrame,
    terms: Sequence[str],
    *,
    docs: Sequence[str],
    document_min: int,
):
    """:func:`unit_matrix` with the counts as a ``scipy.sparse`` CSC matrix (units x terms):
    memory follows the non-zero counts, not units x terms."""
    from scipy.sparse import coo_matrix

    docs = list(docs)
    kind = "document" if len(docs) >= document_min else "segment"
    column = "doc_id" if kind == "document" else "segment_id"
    side = occurrences[occurrences["doc_id"].isin(docs)]
    weight = (
        side["count"].to_numpy(dtype=float) if "count" in side else np.ones(len(side), dtype=float)
    )
    units = np.sort(side[column].unique())
    sizes = (
        pd.Series(weight, index=side[column].to_numpy())
        .groupby(level=0)
        .sum()
        .reindex(units)
        .to_numpy(dtype=float)
    )
    term_index = pd.Index(list(terms))
    rows = pd.Index(units).get_indexer(side[column])
    cols = term_index.get_indexer(side["term"])
    keep = cols >= 0
    counts = coo_matrix(
        (weight[keep], (rows[keep], cols[keep])), shape=(len(units), len(term_index))
    ).tocsc()
    counts.sum_duplicates()
    return counts, sizes, kind


def _dense(counts, first: int, last: int) -> np.ndarray:
    """Columns ``first:last`` of a dense or sparse counts matrix as a dense array."""
    block = counts[:, first:last]
    return block.toarray() if hasattr(block, "toarray") else np.asarray(block, dtype=float)


def wmw_test(counts_a, sizes_a, counts_b, sizes_b) -> np.ndarray:
    """Two-sided Wilcoxon-Mann-Whitney p of each term's per-unit relative frequencies.

    ``counts_a``/``counts_b``: units x terms, dense or sparse (:func:`unit_counts`); the test
    runs on :data:`TERM_BLOCK` terms at a time (each term's test is its own)."""
    n_terms = counts_a.shape[1]
    p = np.empty(n_terms, dtype=float)
    for first in range(0, n_terms, TERM_BLOCK):
        last = min(first + TERM_BLOCK, n_terms)
        rates_a = _dense(counts_a, first, last) / sizes_a[:, None]
        rates_b = _dense(counts_b, first, last) / sizes_b[:, None]
        result = mannwhitneyu(
            rates_a,
            rates_b,
            axis=0,
            alternative="two-sided",
            method="asymptotic",
            use_continuity=True,
        )
        p[first:last] = result.pvalue
    # All units tied (only possible for a term absent from every unit): no evidence.
    return np.nan_to_num(p, nan=1.0)


def welch_test(counts_a, sizes_a, counts_b, sizes_b) -> np.ndarray:
    """Two-sided Welch t-test p of each term's per-unit relative frequencies (unequal
    variances), :data:`TERM_BLOCK` terms at a time; no variance on either side gives 1."""
    from scipy.stats import ttest_ind

    n_terms = counts_a.shape[1]
    p = np.empty(n_terms, dtype=float)
    for first in range(0, n_terms, TERM_BLOCK):
        last = min(first + TERM_BLOCK, n_terms)
        rates_a = _dense(counts_a, first, last) / sizes_a[:, None]
        rates_b = _dense(counts_b, first, last) / sizes_b[:, None]
        # Identical units (no variance) warn of precision loss; their p is NaN, taken as 1.
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            p[first:last] = ttest_ind(rates_a, rates_b, axis=0, equal_var=False).pvalue
    return np.nan_to_num(p, nan=1.0)


def _resampled(rng, counts, sizes, draws: int) -> tuple[np.ndarray, np.ndarray]:
    """Summed counts (draws x terms) and sizes (draws x 1) of ``draws`` resamples of the
    units, drawn :data:`DRAW_BLOCK` at a time (the same numbers as one multinomial call)."""
    n = len(sizes)
    pvals = np.full(n, 1 / n)
    drawn = np.empty((draws, counts.shape[1]), dtype=float)
    total = np.empty(draws, dtype=float)
    for first in range(0, draws, DRAW_BLOCK):
        weights = rng.multinomial(n, pvals, min(DRAW_BLOCK, draws - first)).astype(float)
        last = first + len(weights)
        # Whole numbers throughout: every product and sum is exact, whatever the order.
        drawn[first:last] = (counts.T @ weights.T).T
        total[first:last] = weights @ sizes
    return drawn, total[:, None]


def bootstrap(
    counts_a, sizes_a, counts_b, sizes_b, *, draws: int, seed: int, level: float | None
) -> dict[str, np.ndarray]:
    """Lijffijt et al.'s bootstrap test and the percentile interval of Log Ratio, per term.

    Each draw resamples the units of each side with replacement (as many as the side has),
    pools their counts and sizes, and computes both sides' relative frequencies and the Log
    Ratio (a zero count replaced by 0.5, as in the point estimate). ``p1`` is the share of
    draws in which the target frequency exceeds the reference one (ties count half); ``p =
    min(1, (1 + 2 draws min(p1, 1 - p1)) / (draws + 1))``. ``low``/``high`` are the
    quantiles of the drawn Log Ratios at the :func:`expanded_level` of ``level`` for the side
    with fewer units (Hesterberg 2015). The
    generator is numpy's PCG64 seeded with ``seed``; the target side is drawn first, so the
    same inputs give the same numbers. ``level`` None: the test only (no ``low``/``high``).
    """
    rng = np.random.default_rng(seed)
    drawn_a, total_a = _resampled(rng, counts_a, sizes_a, draws)
    drawn_b, total_b = _resampled(rng, counts_b, sizes_b, draws)
    difference = drawn_a * total_b
    difference -= drawn_b * total_a  # sign of a/N_A - b/N_B, exact for integer counts
    p1 = ((difference > 0).sum(axis=0) + 0.5 * (difference == 0).sum(axis=0)) / draws
    del difference
    p = np.minimum(1.0, (1 + 2 * draws * np.minimum(p1, 1 - p1)) / (draws + 1))
    if level is None:
        return {"p": p}
    # Counts are whole numbers, so max(count, 0.5) replaces exactly the zeros by 0.5.
    ratio = np.log2(np.maximum(drawn_a, 0.5, out=drawn_a), out=drawn_a)
    ratio -= np.log2(np.maximum(drawn_b, 0.5, out=drawn_b), out=drawn_b)
    ratio += np.log2(total_b) - np.log2(total_a)
    wide = expanded_level(level, min(len(sizes_a), len(sizes_b)))
    low, high = np.quantile(ratio, [(1 - wide) / 2, (1 + wide) / 2], axis=0)
    return {"p": p, "low": low, "high": high}


def expanded_level(level: float, units: int) -> float:
    """The level of Hesterberg's (2015) expanded percentile interval for ``units`` units:
    ``2 Phi(sqrt(n / (n - 1)) t_{n-1}((1 + level) / 2)) - 1``. The plain percentile interval
    is too narrow in small samples (its spread is the plug-in one, its quantiles normal ones);
    this widens it as a t interval would (0.95 becomes 0.966 for 23 units, 0.955 for 75)."""
    from scipy.stats import norm, t

    if units < 2:
        return level
    scale = math.sqrt(units / (units - 1)) * t.ppf((1 + level) / 2, units - 1)
    return float(2 * norm.cdf(scale) - 1)
