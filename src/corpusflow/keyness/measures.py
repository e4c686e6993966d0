"""Keyness measures of one term's 2x2 table and of its spread over a side's segments.

Notation: ``a``, ``b`` are a term's counts on the target and the reference side, ``N_A``,
``N_B`` the numbers of counted units (tokens, or multiword units) on each side.

* ``g2``: log-likelihood over the 2x2 table (4-term form), signed ``+`` where the target
  rate ``a/N_A`` is higher, ``-`` where the reference rate is higher, 0 for equal rates;
  optional Yates continuity correction. ``p``: chi-squared (1 df) tail at ``|g2|``.
* ``fisher``: Fisher's exact test of the 2x2 table (two-sided, by summing the hypergeometric
  probabilities no larger than the observed one), for tables with small expected counts.
* ``benjamini_hochberg``: the BH adjusted p-values (q-values).
* ``log_ratio``: Hardie's Log Ratio, ``log2((a/N_A) / (b/N_B))`` with a zero count replaced
  by 0.5.
* ``log_ratio_exact_interval``: the exact token-level interval of Log Ratio: conditional on
  ``a + b``, ``a`` is binomial with ``p = a / (a + b)``; Clopper-Pearson bounds on ``p`` map to
  ``log2(p / (1 - p) * N_B / N_A)``, open (``-inf`` / ``inf``) where a count is zero.
* ``z``: Monroe, Colaresi & Quinn (2008) weighted log-odds with an informative Dirichlet prior
  from the combined counts, ``alpha_w = alpha_0 * (a + b) / (N_A + N_B)``.
* ``dispersion``: Gries' DP over a side's segments, ``0.5 * sum_i |v_i/f - s_i|``, its
  normalised form DP_norm = DP / (1 - min_i s_i) (Lijffijt & Gries 2012), and range.

All functions are vectorised over numpy arrays.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import gammaln
from scipy.stats import chi2


def _as_counts(a, b, total_target, total_reference):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    n_a, n_b = float(total_target), float(total_reference)
    if n_a <= 0 or n_b <= 0:
        raise ValueError(f"totals must be positive, got N_A={n_a:g}, N_B={n_b:g}")
    if np.any(a < 0) or np.any(b < 0) or np.any(a > n_a) or np.any(b > n_b):
        raise ValueError("counts must lie between 0 and their side's total")
    return a, b, n_a, n_b


def direction(a, b, total_target, total_reference) -> np.ndarray:
    """+1 where the target rate ``a/N_A`` is higher, -1 where the reference rate is, 0 if equal.

    Compares ``a * N_B`` with ``b * N_A``, which is exact for integer counts.
    """
    a, b, n_a, n_b = _as_counts(a, b, total_target, total_reference)
    return np.sign(a * n_b - b * n_a)


def log_likelihood(a, b, total_target, total_reference, *, yates: bool) -> np.ndarray:
    """Signed log-likelihood G2 of the 2x2 table (term / other units by target / reference).

    ``G2 = 2 * sum O * ln(O / E)`` over the four cells (a zero cell contributes 0), signed by
    :func:`direction`. With ``yates=True`` each observed cell moves 0.5 towards its expected
    value first (not past it).
    """
    a, b, n_a, n_b = _as_counts(a, b, total_target, total_reference)
    total = n_a + n_b
    with_term = a + b
    observed = np.stack([a, b, n_a - a, n_b - b])
    expected = np.stack(
        [
            n_a * with_term / total,
            n_b * with_term / total,
            n_a * (total - with_term) / total,
            n_b * (total - with_term) / total,
        ]
    )
    if yates:
        diff = observed - expected
        observed = np.where(np.abs(diff) <= 0.5, expected, observed - 0.5 * np.sign(diff))
    terms = np.zeros_like(observed)
    positive = observed > 0
    terms[positive] = observed[positive] * np.log(observed[positive] / expected[positive])
    g2 = np.maximum(2.0 * terms.sum(axis=0), 0.0)
    return direction(a, b, n_a, n_b) * g2


def g2_p_value(g2) -> np.ndarray:
    """p-value of a (signed) G2 statistic: chi-squared with 1 degree of freedom at ``|g2|``."""
    return chi2.sf(np.abs(np.asarray(g2, dtype=float)), df=1)


def benjamini_hochberg(p) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values), in the input's order."""
    p = np.asarray(p, dtype=float)
    if np.any(np.isnan(p)) or np.any((p < 0) | (p > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    m = p.size
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(scaled[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    return q


def fisher_p_value(a, b, total_target, total_reference) -> np.ndarray:
    """Two-sided p of Fisher's exact test of each 2x2 table (term / other units by side).

    Conditional on the margins, ``a`` is hypergeometric (population ``N_A + N_B``, ``a + b``
    successes, ``N_A`` draws); p sums the probabilities of every table no more probable than
    the observed one (with a relative tolerance of 1e-7, as R's ``fisher.test``).
    """
    a, b, n_a, n_b = _as_counts(a, b, total_target, total_reference)
    total, drawn = int(n_a + n_b), int(n_a)
    p = np.empty(a.size)
    for index, (x, with_term) in enumerate(zip(a.astype(int), (a + b).astype(int), strict=True)):
        low, high = max(0, drawn - (total - with_term)), min(with_term, drawn)
        support = np.arange(low, high + 1)
        log_pmf = _log_hypergeom_pmf(support, total, with_term, drawn)
        observed = log_pmf[x - low]
        p[index] = np.exp(log_pmf[log_pmf <= observed + 1e-7]).sum()
    return np.minimum(p, 1.0).reshape(a.shape)


def _log_hypergeom_pmf(x, total, successes, drawn):
    """log P(X = x) of the hypergeometric distribution (scipy's parametrisation M, n, N)."""

    def log_choose(n, k):
        return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)

    return (
        log_choose(successes, x)
        + log_choose(total - successes, drawn - x)
        - log_choose(total, drawn)
    )


def expected_counts(a, b, total_target, total_reference) -> np.ndarray:
    """The smallest expected count of each 2x2 table under equal rates (Fisher's criterion)."""
    a, b, n_a, n_b = _as_counts(a, b, total_target, total_reference)
    total = n_a + n_b
    with_term = a + b
    cells = np.stack(
        [
            n_a * with_term / total,
            n_b * with_term / total,
            n_a * (total - with_term) / total,
            n_b * (total - with_term) / total,
        ]
    )
    return cells.min(axis=0)


def log_ratio(a, b, total_target, total_reference, *, zero: float = 0.5) -> np.ndarray:
    """Hardie's Log Ratio: ``log2((a/N_A) / (b/N_B))``, a zero count replaced by ``zero``."""
    a, b, n_a, n_b = _as_counts(a, b, total_target, total_reference)
    a = np.where(a == 0, zero, a)
    b = np.where(b == 0, zero, b)
    return np.log2((a / n_a) / (b / n_b))


def log_ratio_exact_interval(a, b, total_target, total_reference, *, level: float):
    """The exact (Clopper-Pearson, conditional binomial) interval of Log Ratio at ``level``.

    Given ``a + b`` occurrences, each falls on the target side with probability
    ``p = r_A N_A / (r_A N_A + r_B N_B)``, so ``log2(r_A / r_B) = log2(p / (1 - p) * N_B / N_A)``
    and Clopper-Pearson bounds on ``p`` give the bounds. A zero count leaves its bound open:
    ``a = 0`` gives ``low = -inf``, ``b = 0`` gives ``high = inf`` (no 0.5 stand-in). Returns
    ``(low, high)`` arrays. It treats tokens as independent draws, so it is the narrowest
    interval the counts allow: an interval over segments should never be narrower.
    """
    from scipy.stats import beta

    a, b, n_a, n_b = _as_counts(a, b, total_target, total_reference)
    tail = (1.0 - level) / 2.0
    with np.errstate(divide="ignore"):
        p_low = np.where(a > 0, beta.ppf(tail, np.maximum(a, 1), b + 1), 0.0)
        p_high = np.where(b > 0, beta.ppf(1.0 - tail, a + 1, np.maximum(b, 1)), 1.0)
        shift = np.log2(n_b) - np.log2(n_a)
        low = np.log2(p_low) - np.log2(1.0 - p_low) + shift
        high = np.log2(p_high) - np.log2(1.0 - p_high) + shift
    return low, high


def weighted_log_odds_z(a, b, total_target, total_reference, *, alpha_0: float):
    """Monroe, Colaresi & Quinn (2008) z-score of the weighted log-odds ratio.

    The informative Dirichlet prior comes from the combined counts:
    ``alpha_w = alpha_0 * (a + b) / (N_A + N_B)``;
    ``delta = ln((a + alpha_w) / (N_A + alpha_0 - a - alpha_w))
    - ln((b + alpha_w) / (N_B + alpha_0 - b - alpha_w))``;
    ``z = delta / sqrt(1 / (a + alpha_w) + 1 / (b + alpha_w))``.
    Larger ``alpha_0`` shrinks rare terms more strongly towards 0.
    """
    a, b, n_a, n_b = _as_counts(a, b, total_target, total_reference)
    if alpha_0 <= 0:
        raise ValueError(f"alpha_0 must be positive, got {alpha_0}")
    if np.any(a + b == 0):
        raise ValueError("every term needs a count on at least one side")
    alpha_w = alpha_0 * (a + b) / (n_a + n_b)
    delta = np.log((a + alpha_w) / (n_a + alpha_0 - a - alpha_w)) - np.log(
        (b + alpha_w) / (n_b + alpha_0 - b - alpha_w)
    )
    return delta / np.sqrt(1.0 / (a + alpha_w) + 1.0 / (b + alpha_w))


def dispersion(counts: pd.DataFrame, segment_sizes: pd.Series) -> pd.DataFrame:
    """Gries' DP, range and the share of the busiest segment, per term, over one side's segments.

    Parameters
    ----------
    counts : DataFrame with columns ``term``, ``segment_id``, ``count`` (non-zero counts only).
    segment_sizes : counted units per segment, indexed by ``segment_id`` (all of the side's
        segments; a segment missing here is an error).

    Returns
    -------
    DataFrame indexed by term with ``dp`` (0 = spread exactly like the text, towards 1 = in one
    small part), ``dp_norm`` (DP / (1 - min_i s_i), Lijffijt & Gries 2012: reaches 1 for a
    term in the smallest segment only, whatever the number and sizes of segments), ``range``
    (segments containing the term) and ``top_segment_share`` (share of
    the term's occurrences in its busiest segment).
    """
    total = float(segment_sizes.sum())
    if total <= 0:
        raise ValueError("the segments hold no counted units")
    share = counts["segment_id"].map(segment_sizes / total)
    if share.isna().any():
        missing = counts.loc[share.isna(), "segment_id"].iloc[0]
        raise ValueError(f"segment {missing!r} has counts but no size")
    frequency = counts.groupby("term", sort=True)["count"].transform("sum")
    parts = pd.DataFrame(
        {
            "term": counts["term"],
            "deviation": (counts["count"] / frequency - share).abs(),
            "covered": share,
            "part": counts["count"] / frequency,
        }
    )
    grouped = parts.groupby("term", sort=True)
    summary = grouped.agg(
        deviation=("deviation", "sum"),
        covered=("covered", "sum"),
        range=("part", "size"),
        top_segment_share=("part", "max"),
    )
    # Segments without the term contribute |0 - s_i| = s_i, i.e. 1 - (shares of its segments).
    summary["dp"] = 0.5 * (summary["deviation"] + 1.0 - summary["covered"])
    smallest = float(segment_sizes.min()) / total
    summary["dp_norm"] = summary["dp"] / (1.0 - smallest) if smallest < 1 else 0.0
    return summary[["dp", "dp_norm", "range", "top_segment_share"]]
