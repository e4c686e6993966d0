"""The keyness tables: every measure per term and the top keywords.

:func:`keyness_table` counts each term on both sides and puts the token-level measures
(:mod:`corpusflow.keyness.measures`) beside the dispersion-aware ones
(:mod:`corpusflow.keyness.inference`, :mod:`corpusflow.keyness.robustness`);
:func:`top_keywords` filters it. The stage itself is :func:`corpusflow.keyness.stage.run`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corpusflow.errors import ConfigError
from corpusflow.io import read_csv
from corpusflow.keyness.inference import bootstrap as bootstrap_draws
from corpusflow.keyness.inference import unit_counts
from corpusflow.keyness.measures import (
    benjamini_hochberg,
    direction,
    dispersion,
    expected_counts,
    fisher_p_value,
    g2_p_value,
    log_likelihood,
    log_ratio,
    log_ratio_exact_interval,
    weighted_log_odds_z,
)
from corpusflow.keyness.robustness import unit_p
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.keyness.sides import design_of

RANK_MEASURES = ("g2", "log_ratio", "z")
#: Sides in table order; ``neither`` holds terms with exactly equal rates.
SIDES = ("target", "reference", "neither")
SEGMENT_TESTS = ("wmw", "welch", "bootstrap")
FISHER = ("sparse", "all", "never")
#: Which q-value ``keyness_top.csv`` filters on: the segment-level or the token-level test.
Q_COLUMNS = {"segment": "q_segment", "token": "q"}

#: The columns of :func:`keyness_table`.
MEASURE_COLUMNS = [
    "term",
    "forms",
    "side",
    "rank",
    "count_target",
    "count_reference",
    "total_target",
    "total_reference",
    "per10k_target",
    "per10k_reference",
    "g2",
    "p",
    "q",
    "token_test",
    "p_segment",
    "q_segment",
    "log_ratio",
    "log_ratio_low",
    "log_ratio_high",
    "zero_count",
    "z",
    "dp_target",
    "dp_reference",
    "dp_norm_target",
    "dp_norm_reference",
    "range_target",
    "range_reference",
    "top_segment_share",
    "concentrated",
    "td_target",
    "td_reference",
    "td_g2",
    "design",
]
#: The columns of keyness.csv: :data:`MEASURE_COLUMNS` and the robustness count of the stage
#: (:mod:`corpusflow.keyness.robustness`): key under ``robustness`` of ``alternatives``.
TABLE_COLUMNS = [*MEASURE_COLUMNS, "robustness", "alternatives"]


def keyness_table(
    occurrences: pd.DataFrame,
    *,
    sides: Mapping[str, Sequence[str]],
    settings: KeynessSettings,
    test: str,
    interval: bool,
) -> pd.DataFrame:
    """Every measure for every term counted at least ``min_count`` times on both sides together.

    ``sides``: the ``target`` and ``reference`` doc_ids. Token level: ``p`` is the chi-squared
    p of ``g2``, or Fisher's exact p where ``fisher`` is ``"all"``, or ``"sparse"`` and the
    table's smallest expected count is below ``fisher_min_expected`` (``token_test`` names the
    test); ``q`` is its BH adjustment. Unit level: ``p_segment`` from ``test`` (one of
    :data:`SEGMENT_TESTS`) over the units of :func:`corpusflow.keyness.inference.unit_counts`
    (documents for a side with at least ``document_min`` documents, else segments),
    ``q_segment`` its BH adjustment. ``log_ratio_low``/``log_ratio_high``: the interval of
    :func:`interval_at_least_exact` (``interval`` False leaves it empty, for reruns that need
    only the tests); ``zero_count`` names the side whose count is zero, else ``"none"``.
    ``forms``: the surface forms counted as the term (``|``-separated).

    Totals ``N_A``, ``N_B`` count all units of a side (also the terms below ``min_count``).
    ``side`` is ``target`` or ``reference`` by the sign of ``g2`` (``neither`` for equal rates);
    ``rank`` orders terms within their side by ``|rank_by|`` (ties: larger ``|g2|``, then
    term). ``top_segment_share`` is the share of the term's occurrences on its side (both
    sides for ``neither``) in its busiest segment; ``concentrated`` is
    ``top_segment_share >= concentration_share``; ``design`` is
    :func:`corpusflow.keyness.sides.design_of` the sides. Rows are ordered by side, then rank.
    """
    _check_choices(settings, test, interval)
    occurrences = _on_sides(term_counts(occurrences), sides)
    counts = _side_counts(occurrences, settings.min_count)
    table = pd.DataFrame({"term": counts.terms})
    table["forms"] = _forms(occurrences, table["term"])
    table["count_target"], table["count_reference"] = counts.a, counts.b
    table["total_target"], table["total_reference"] = counts.n_a, counts.n_b
    table["per10k_target"] = counts.a / counts.n_a * 10_000
    table["per10k_reference"] = counts.b / counts.n_b * 10_000
    _token_tests(table, counts, settings)
    drawn = _unit_tests(occurrences, table["term"], sides, settings, test, interval)
    for column in ("td_target", "td_reference", "td_g2"):
        table[column] = drawn[column]
    table["p_segment"] = drawn["test"]
    table["q_segment"] = benjamini_hochberg(table["p_segment"])
    level = settings.bootstrap.level if interval else None
    _effect_sizes(table, counts, drawn, level=level, alpha_0=settings.alpha_0)
    _spread(table, occurrences, settings.concentration_share)
    table["design"] = design_of(
        len(sides["target"]), len(sides["reference"]), settings.document_min
    )
    return _rank(table, settings.rank_by)[MEASURE_COLUMNS]


@dataclass(frozen=True)
class _Counts:
    """The terms counted at least ``min_count`` times, their counts on the two sides (``a``:
    target, ``b``: reference) and the sides' totals (``n_a``, ``n_b``: all counted units)."""

    terms: pd.Index
    a: np.ndarray
    b: np.ndarray
    n_a: int
    n_b: int


def _side_counts(occurrences: pd.DataFrame, min_count: int) -> _Counts:
    """Each term's count per side, the terms below ``min_count`` dropped (not from the totals),
    sorted by term."""
    totals = occurrences.groupby("side")["count"].sum()
    counts = occurrences.groupby(["term", "side"])["count"].sum().unstack("side", fill_value=0)
    counts = counts.reindex(columns=["target", "reference"], fill_value=0)
    counts = counts[counts.sum(axis=1) >= min_count].sort_index()
    return _Counts(
        terms=counts.index.astype("str"),
        a=counts["target"].to_numpy(),
        b=counts["reference"].to_numpy(),
        n_a=int(totals["target"]),
        n_b=int(totals["reference"]),
    )


def _token_tests(table: pd.DataFrame, counts: _Counts, settings: KeynessSettings) -> None:
    """The token-level columns: ``g2``, its ``p`` (``token_test`` names the test) and ``q``."""
    a, b, n_a, n_b = counts.a, counts.b, counts.n_a, counts.n_b
    table["g2"] = log_likelihood(a, b, n_a, n_b, yates=settings.yates)
    table["p"], table["token_test"] = _token_p(a, b, n_a, n_b, table["g2"], settings)
    table["q"] = benjamini_hochberg(table["p"])


def _effect_sizes(table: pd.DataFrame, counts: _Counts, drawn, *, level, alpha_0) -> None:
    """The effect sizes and the side: ``log_ratio`` with its interval at ``level`` (None: left
    empty) and ``zero_count``, the weighted log-odds ``z`` and the ``side`` the rates favour."""
    a, b, n_a, n_b = counts.a, counts.b, counts.n_a, counts.n_b
    table["log_ratio"] = log_ratio(a, b, n_a, n_b)
    table["log_ratio_low"], table["log_ratio_high"] = interval_at_least_exact(
        drawn, a, b, n_a, n_b, level=level
    )
    table["zero_count"] = np.select([a == 0, b == 0], ["target", "reference"], default="none")
    table["z"] = weighted_log_odds_z(a, b, n_a, n_b, alpha_0=alpha_0)
    sign = direction(a, b, n_a, n_b)
    table["side"] = np.select([sign > 0, sign < 0], ["target", "reference"], default="neither")


def _check_choices(settings: KeynessSettings, test: str, interval: bool) -> None:
    if settings.rank_by not in RANK_MEASURES:
        raise ValueError(f"rank_by must be one of {RANK_MEASURES}, got {settings.rank_by!r}")
    if test not in SEGMENT_TESTS:
        raise ValueError(f"test must be one of {SEGMENT_TESTS}, got {test!r}")
    if settings.fisher not in FISHER:
        raise ValueError(f"fisher must be one of {FISHER}, got {settings.fisher!r}")


def _on_sides(occurrences: pd.DataFrame, sides: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """The counted occurrences of the two sides with a ``side`` column; a side without any
    counted token is a config error (CF503)."""
    conditions = [occurrences["doc_id"].isin(list(sides[name])).to_numpy() for name in SIDES[:2]]
    side = np.select(conditions, list(SIDES[:2]), default="")
    occurrences = occurrences.assign(side=side)[side != ""]
    counted = set(occurrences["side"])
    for name in SIDES[:2]:
        if name not in counted:
            docs = ", ".join(sides[name]) or "no documents"
            raise ConfigError(
                "CF503",
                f"keyness.{name}: the {name} side ({docs}) has no counted tokens; check the "
                "group, the stopword setting and the documents' text",
            )
    return occurrences


def _token_p(a, b, n_a, n_b, g2, settings: KeynessSettings):
    """Token-level p (G2's chi-squared, or Fisher's exact where chosen) and the test's name."""
    exact = np.full(len(a), settings.fisher == "all")
    if settings.fisher == "sparse":
        exact = expected_counts(a, b, n_a, n_b) < settings.fisher_min_expected
    p = g2_p_value(g2)
    if exact.any():
        p[exact] = fisher_p_value(a[exact], b[exact], n_a, n_b)
    return p, np.where(exact, "fisher", "g2")


def _unit_tests(occurrences, terms, sides, settings: KeynessSettings, test: str, interval: bool):
    """The unit-level test's p (``test``), the bootstrap interval (``low``, ``high``; NaN
    without ``interval``) and Egbert & Biber's (2019) text dispersion per term: the share of
    each side's units containing it (``td_target``, ``td_reference``) and the signed G2 of
    those unit counts (``td_g2``)."""
    units = [
        unit_counts(occurrences, terms, docs=sides[name], document_min=settings.document_min)
        for name in SIDES[:2]
    ]
    (counts_a, sizes_a, _), (counts_b, sizes_b, _) = units
    present = [np.asarray((counts > 0).sum(axis=0)).ravel() for counts in (counts_a, counts_b)]
    drawn = {
        "td_target": present[0] / len(sizes_a),
        "td_reference": present[1] / len(sizes_b),
        "td_g2": log_likelihood(present[0], present[1], len(sizes_a), len(sizes_b), yates=False),
    }
    if interval:
        drawn |= bootstrap_draws(counts_a, sizes_a, counts_b, sizes_b, **settings.draws)
    else:
        nothing = np.full(len(terms), np.nan)
        drawn |= {"p": nothing, "low": nothing, "high": nothing}
    if test == "bootstrap" and interval:
        drawn["test"] = drawn["p"]
    else:
        drawn["test"] = unit_p(test, counts_a, sizes_a, counts_b, sizes_b, draws=settings.draws)
    return drawn


def _spread(table: pd.DataFrame, occurrences: pd.DataFrame, concentration_share: float) -> None:
    """Dispersion columns of ``table`` (DP, DP_norm, range per side; the busiest segment's
    share and the concentration flag), from the occurrences with their ``side``."""
    share = {}
    tested = occurrences["term"].isin(table["term"])
    for name in SIDES[:2]:
        on_side = occurrences["side"] == name
        per_segment = (
            occurrences[on_side & tested].groupby(["term", "segment_id"])["count"].sum()
        ).reset_index()
        sizes = occurrences[on_side].groupby("segment_id")["count"].sum()
        spread = dispersion(per_segment, sizes).reindex(table["term"])
        table[f"dp_{name}"] = spread["dp"].to_numpy()
        table[f"dp_norm_{name}"] = spread["dp_norm"].to_numpy()
        table[f"range_{name}"] = spread["range"].fillna(0).astype(int).to_numpy()
        share[name] = spread["top_segment_share"].to_numpy()
    both = occurrences[tested]
    busiest = both.groupby(["term", "segment_id"])["count"].sum().groupby("term").max()
    total = table["count_target"].to_numpy() + table["count_reference"].to_numpy()
    share["both"] = busiest.reindex(table["term"]).to_numpy() / total
    table["top_segment_share"] = np.select(
        [table["side"] == "target", table["side"] == "reference"],
        [share["target"], share["reference"]],
        default=share["both"],
    )
    table["concentrated"] = table["top_segment_share"] >= concentration_share


def interval_at_least_exact(drawn, a, b, n_a, n_b, *, level):
    """The Log Ratio interval: the bootstrap interval widened to contain the exact token-level
    one (:func:`~corpusflow.keyness.measures.log_ratio_exact_interval`), so it is never
    narrower than what the counts alone allow; a term with a zero count takes the exact
    interval, open on that side (its bootstrap draws rest on the 0.5 stand-in, not data).
    ``level`` None (no bootstrap) leaves both bounds empty."""
    if level is None:
        return drawn["low"], drawn["high"]
    exact_low, exact_high = log_ratio_exact_interval(a, b, n_a, n_b, level=level)
    zero = (np.asarray(a) == 0) | (np.asarray(b) == 0)
    low = np.where(zero, exact_low, np.minimum(drawn["low"], exact_low))
    high = np.where(zero, exact_high, np.maximum(drawn["high"], exact_high))
    return low, high


#: The columns of :func:`term_counts`.
COUNT_KEYS = ["doc_id", "segment_id", "term", "surface"]


def term_counts(occurrences: pd.DataFrame) -> pd.DataFrame:
    """Occurrences (one row per counted unit, :func:`corpusflow.terms.term_occurrences`)
    summed: one row per ``doc_id``, ``segment_id``, ``term`` and ``surface`` with its
    ``count``, sorted by those columns. A table that already has a ``count`` column (a sum
    of parts, e.g. of one document's pieces) is summed again the same way, so sums of parts
    combine. This is all the keyness measures need of the occurrences: its size follows the
    segments and their vocabulary, not the tokens."""
    if "surface" not in occurrences:
        occurrences = occurrences.assign(surface=occurrences["term"])
    if "count" not in occurrences:
        occurrences = occurrences.assign(count=np.ones(len(occurrences), dtype=np.int64))
    if not len(occurrences):
        return occurrences[[*COUNT_KEYS, "count"]].reset_index(drop=True)
    summed = occurrences.groupby(COUNT_KEYS, sort=True)["count"].sum()
    return summed.reset_index()


def _forms(occurrences: pd.DataFrame, terms: pd.Series) -> list[str]:
    """The surface forms counted as each term, sorted and joined by ``|``."""
    pairs = pd.DataFrame({"term": occurrences["term"], "form": occurrences["surface"]})
    pairs = pairs[pairs["term"].isin(terms)].drop_duplicates()
    forms: dict[str, list[str]] = {}
    for term, form in zip(pairs["term"], pairs["form"], strict=True):
        forms.setdefault(term, []).append(form)
    return ["|".join(sorted(forms[term])) for term in terms]


def _rank(table: pd.DataFrame, rank_by: str) -> pd.DataFrame:
    order = pd.DataFrame(
        {
            "side": pd.Categorical(table["side"], categories=SIDES, ordered=True),
            "key": -np.abs(table[rank_by].to_numpy()),
            "g2": -np.abs(table["g2"].to_numpy()),
            "term": table["term"],
        }
    )
    order = order.sort_values(["side", "key", "g2", "term"], kind="stable")
    table = table.loc[order.index].reset_index(drop=True)
    table["rank"] = table.groupby("side", sort=False).cumcount() + 1
    return table


def top_keywords(
    table: pd.DataFrame,
    *,
    top_n: int,
    top_q: str,
    max_q: float,
    min_log_ratio: float,
    min_range: int,
    exclude_concentrated: bool,
    min_robustness: float,
) -> pd.DataFrame:
    """The first ``top_n`` terms of each side (in :func:`keyness_table` order) passing the
    filters of :func:`is_key` and key under at least ``min_robustness`` (a share) of the
    alternatives of the ``robustness`` column (0: no robustness filter)."""
    keep = is_key(
        table,
        top_q=top_q,
        max_q=max_q,
        min_log_ratio=min_log_ratio,
        min_range=min_range,
        exclude_concentrated=exclude_concentrated,
    )
    if min_robustness > 0:
        keep &= table["robustness"] >= min_robustness * table["alternatives"]
    return table[keep].groupby("side", sort=False).head(top_n).reset_index(drop=True)


def is_key(
    table: pd.DataFrame,
    *,
    top_q: str,
    max_q: float,
    min_log_ratio: float,
    min_range: int,
    exclude_concentrated: bool,
) -> pd.Series:
    """Which terms pass the keyword filters.

    A term passes when its q (``top_q``: ``"segment"`` = ``q_segment``, ``"token"`` = ``q``)
    is at most ``max_q``, ``|log_ratio| >= min_log_ratio``, it occurs in at least
    ``min_range`` segments of its own side, and (with ``exclude_concentrated``) it is not
    concentrated in one passage. Terms with equal rates never pass.
    """
    if top_q not in Q_COLUMNS:
        raise ValueError(f"top_q must be one of {tuple(Q_COLUMNS)}, got {top_q!r}")
    own_range = np.where(table["side"] == "target", table["range_target"], table["range_reference"])
    keep = (
        table["side"].isin(["target", "reference"])
        & (table[Q_COLUMNS[top_q]] <= max_q)
        & (table["log_ratio"].abs() >= min_log_ratio)
        & (own_range >= min_range)
    )
    if exclude_concentrated:
        keep &= ~table["concentrated"]
    return keep


def keyword_filters(settings: KeynessSettings) -> dict:
    """The keyword filters of :func:`is_key` but the q column (``top_q``) from the settings."""
    return {
        "max_q": settings.max_q,
        "min_log_ratio": settings.min_log_ratio,
        "min_range": settings.min_range,
        "exclude_concentrated": settings.exclude_concentrated,
    }


def read_keyness_table(path) -> pd.DataFrame:
    """Read ``keyness.csv`` or ``keyness_top.csv`` back; terms such as "nan" stay strings."""
    empty = ("dp_target", "dp_reference", "dp_norm_target", "dp_norm_reference")
    return read_csv(
        path,
        na_values={column: [""] for column in empty},
        dtype={"term": "str", "side": "str", "forms": "str"},
    )
