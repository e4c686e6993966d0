"""Keyword contrast (keyness) between a target and a reference side of the corpus.

Notation: ``a``, ``b`` are a term's counts on the target and the reference side, ``N_A``,
``N_B`` the numbers of counted units (tokens, or multiword units) on each side.

* ``g2``: log-likelihood over the 2x2 table (4-term form), signed ``+`` where the target
  rate ``a/N_A`` is higher, ``-`` where the reference rate is higher, 0 for equal rates;
  optional Yates continuity correction.
* ``p``: upper tail of chi-squared with 1 degree of freedom at ``|g2|``; ``q``: the
  Benjamini-Hochberg adjusted p-value over all tested terms.
* ``log_ratio``: Hardie's Log Ratio, ``log2((a/N_A) / (b/N_B))`` with a zero count replaced
  by 0.5.
* ``z``: Monroe, Colaresi & Quinn (2008) weighted log-odds with an informative Dirichlet prior
  from the combined counts, ``alpha_w = alpha_0 * (a + b) / (N_A + N_B)``.
* ``dp_*``: Gries' DP over a side's segments, ``0.5 * sum_i |v_i/f - s_i|`` (``v_i`` the
  term's count in segment ``i``, ``f`` its count on the side, ``s_i`` the segment's share of
  the side's counted units); ``range_*``: the number of segments containing the term.

Measure functions are vectorised over numpy arrays; :func:`run_keyness` is the whole stage.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from gensim.models.phrases import Phrases
from scipy.stats import chi2

from corpusflow.errors import ConfigError
from corpusflow.io import read_parquet, write_csv
from corpusflow.segment import tokens_with_segments

UNITS = ("lower", "lemma")
RANK_MEASURES = ("g2", "log_ratio", "z")
#: Value of ``keyness.reference`` that means "every analysed group except the target".
REST = "rest"
#: Sides in table order; ``neither`` holds terms with exactly equal rates.
SIDES = ("target", "reference", "neither")

TABLE_COLUMNS = [
    "term",
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
    "log_ratio",
    "z",
    "dp_target",
    "dp_reference",
    "range_target",
    "range_reference",
    "top_segment_share",
    "concentrated",
]
KWIC_COLUMNS = [
    "term",
    "side",
    "rank",
    "doc_id",
    "segment_id",
    "start",
    "end",
    "left",
    "keyword",
    "right",
]

# Tokens that may sit inside a multiword unit without breaking it: apostrophes, hyphens and the
# possessive "'s" ("workers' opposition", "trade-unions", "Kollontai's pamphlet").
_JOINER = re.compile(r"(?:['\u2019\u2018\-\u2010]+|['\u2019][sS])")
_WORD = re.compile(r"[^\W\d_]+")


# --------------------------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------------------------


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


def log_likelihood(a, b, total_target, total_reference, *, yates: bool = False) -> np.ndarray:
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


def log_ratio(a, b, total_target, total_reference, *, zero: float = 0.5) -> np.ndarray:
    """Hardie's Log Ratio: ``log2((a/N_A) / (b/N_B))``, a zero count replaced by ``zero``."""
    a, b, n_a, n_b = _as_counts(a, b, total_target, total_reference)
    a = np.where(a == 0, zero, a)
    b = np.where(b == 0, zero, b)
    return np.log2((a / n_a) / (b / n_b))


def weighted_log_odds_z(a, b, total_target, total_reference, *, alpha_0: float = 1000.0):
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
    small part), ``range`` (segments containing the term) and ``top_segment_share`` (share of
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
    return summary[["dp", "range", "top_segment_share"]]


# --------------------------------------------------------------------------------------------
# Sides and config
# --------------------------------------------------------------------------------------------


def side_documents(manifest: pd.DataFrame, target: str, reference: str) -> tuple[list, list]:
    """The analysed doc_ids of the target group and of the reference group (or the rest)."""
    analysed = manifest[manifest["role"] == "analysis"]
    target_docs = analysed.loc[analysed["group"] == target, "doc_id"].tolist()
    if reference == REST:
        reference_docs = analysed.loc[analysed["group"] != target, "doc_id"].tolist()
    else:
        reference_docs = analysed.loc[analysed["group"] == reference, "doc_id"].tolist()
    return target_docs, reference_docs


def check_keyness_config(config: Mapping, manifest: pd.DataFrame) -> None:
    """Check the ``keyness`` section against the manifest; raise ConfigError if it cannot work.

    Catches a target or reference group that has no analysed document, the same group on both
    sides, and listed multiword units with fewer than two words.
    """
    section = config["keyness"]
    target, reference = section["target"], section["reference"]
    analysed = manifest[manifest["role"] == "analysis"]
    groups = sorted(set(analysed["group"]))
    known = ", ".join(groups)
    if target == REST:
        raise ConfigError(
            "CF501", f"keyness.target: {REST!r} can only be the reference; name one group ({known})"
        )
    if target == reference:
        raise ConfigError(
            "CF501",
            f"keyness.target and keyness.reference are both {target!r}; a group cannot be "
            "compared with itself. Choose two different groups, or reference: rest",
        )
    for key, group in (("target", target), ("reference", reference)):
        if group == REST:
            continue
        if group not in set(manifest["group"]):
            raise ConfigError(
                "CF501",
                f"keyness.{key}: group {group!r} is not in the manifest; analysed groups: {known}",
            )
        if group not in groups:
            raise ConfigError(
                "CF501",
                f"keyness.{key}: group {group!r} has no document with role 'analysis' in the "
                f"manifest; analysed groups: {known}",
            )
    target_docs, reference_docs = side_documents(manifest, target, reference)
    if not reference_docs:
        raise ConfigError(
            "CF501",
            f"keyness.reference: {REST!r} leaves no analysed document outside group "
            f"{target!r}; add documents of another group to the manifest or name a group",
        )
    for phrase in section.get("phrases", []):
        if len(_phrase_words(phrase)) < 2:
            raise ConfigError(
                "CF502",
                f"keyness.phrases: {phrase!r} is not a multiword unit; list at least two words",
            )


def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(phrase.lower()))


# --------------------------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------------------------


def term_occurrences(
    tokens: pd.DataFrame,
    *,
    unit: str = "lower",
    drop_stopwords: bool = True,
    phrases: Sequence[str] = (),
    learn_phrases: bool = False,
    phrase_min_count: int = 5,
    phrase_threshold: float = 0.5,
) -> pd.DataFrame:
    """One row per counted unit (a word, or a multiword unit) with its position.

    Only alphabetic tokens are counted. Multiword units are matched, and learned, inside runs
    of alphabetic tokens within one sentence; apostrophes, hyphens and possessive "'s" do not
    break a run, other punctuation does.

    Parameters
    ----------
    tokens : token table (see the tokenise stage), optionally with ``segment_id``.
    unit : ``"lower"`` (lowercase word form) or ``"lemma"``.
    drop_stopwords : drop single stopword tokens (``is_stop``). Multiword units are kept even
        if they contain stopwords.
    phrases : multiword units to count as one term, e.g. ``["trade unions"]``. They match the
        lowercase word forms (punctuation in the phrase is ignored), longest first, and the
        term is the phrase as listed (lowercased).
    learn_phrases : also learn two-word units (with stopwords allowed between them) with
        gensim ``Phrases`` (NPMI scoring) on these tokens.
    phrase_min_count, phrase_threshold : gensim ``Phrases`` ``min_count`` and NPMI
        ``threshold`` (in (-1, 1]).

    Returns
    -------
    DataFrame with ``doc_id``, ``segment_id`` (if the tokens have it), ``start``, ``end``
    (character offsets of the unit in the text the tokens came from) and ``term``.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, got {unit!r}")
    tokens = tokens.sort_values(["doc_id", "index"], kind="stable").reset_index(drop=True)
    columns = ["doc_id", "start", "end"] + (["segment_id"] if "segment_id" in tokens else [])
    if not phrases and not learn_phrases:
        keep = tokens["is_alpha"].to_numpy(dtype=bool, copy=True)
        if drop_stopwords:
            keep &= ~tokens["is_stop"].to_numpy(dtype=bool)
        occurrences = tokens.loc[keep, columns].assign(term=tokens.loc[keep, unit])
        return occurrences.reset_index(drop=True)
    return _occurrences_with_phrases(
        tokens,
        columns=columns,
        unit=unit,
        drop_stopwords=drop_stopwords,
        phrases=phrases,
        learn_phrases=learn_phrases,
        phrase_min_count=phrase_min_count,
        phrase_threshold=phrase_threshold,
    )


def _occurrences_with_phrases(
    tokens,
    *,
    columns,
    unit,
    drop_stopwords,
    phrases,
    learn_phrases,
    phrase_min_count,
    phrase_threshold,
):
    alpha = tokens["is_alpha"].to_numpy(dtype=bool)
    joiner = tokens["text"].str.fullmatch(_JOINER.pattern).to_numpy(dtype=bool)
    doc_codes = pd.factorize(tokens["doc_id"])[0]
    sentence = tokens["sentence"].to_numpy()
    boundary = ~(alpha | joiner)
    boundary[1:] |= (doc_codes[1:] != doc_codes[:-1]) | (sentence[1:] != sentence[:-1])
    words = tokens[alpha].assign(run=np.cumsum(boundary)[alpha])

    run = words["run"].to_numpy()
    terms = words[unit].to_numpy(dtype=object)
    first, last, unit_terms = _match_listed(
        words["lower"].to_numpy(dtype=object), run, terms, phrases
    )

    if learn_phrases:
        stopwords = frozenset(words.loc[words["is_stop"].to_numpy(dtype=bool), unit])
        edges = np.flatnonzero(np.diff(run[first])) + 1
        runs = [
            list(zip(*parts, strict=True))
            for parts in zip(*(np.split(a, edges) for a in (unit_terms, first, last)), strict=True)
        ]
        model = Phrases(
            [[term for term, _, _ in units] for units in runs],
            min_count=phrase_min_count,
            threshold=phrase_threshold,
            scoring="npmi",
            delimiter=" ",
            connector_words=stopwords,
        ).freeze()
        merged = [unit_ for units in runs for unit_ in _merge_learned(units, model)]
        unit_terms = np.array([term for term, _, _ in merged], dtype=object)
        first = np.array([f for _, f, _ in merged], dtype=np.int64)
        last = np.array([la for _, _, la in merged], dtype=np.int64)

    single_stop = (first == last) & words["is_stop"].to_numpy(dtype=bool)[first]
    occurrences = words.iloc[first][columns].reset_index(drop=True)
    occurrences["end"] = words["end"].to_numpy()[last]
    occurrences["term"] = pd.Series(unit_terms, dtype="str")
    if drop_stopwords:
        occurrences = occurrences[~single_stop].reset_index(drop=True)
    return occurrences


def _match_listed(lower: np.ndarray, run: np.ndarray, terms: np.ndarray, phrases: Sequence[str]):
    """Listed phrases as units, longest first then left to right; other words as themselves.

    Returns arrays ``first``, ``last`` (word positions of each unit) and the units' terms,
    ordered by position. A phrase matches consecutive words of one run.
    """
    n = len(lower)
    covered = np.zeros(n, dtype=bool)
    starts, lengths, names = [], [], []
    for words, term in _listed_phrases(phrases):
        k = len(words)
        if n < k:
            continue
        match = run[k - 1 :] == run[: n - k + 1]
        for offset, word in enumerate(words):
            match &= lower[offset : n - k + 1 + offset] == word
        for start in np.flatnonzero(match).tolist():
            if not covered[start : start + k].any():
                covered[start : start + k] = True
                starts.append(start)
                lengths.append(k)
                names.append(term)
    singles = np.flatnonzero(~covered)
    starts = np.array(starts, dtype=np.int64)
    first = np.concatenate([singles, starts])
    last = np.concatenate([singles, starts + np.array(lengths, dtype=np.int64) - 1])
    unit_terms = np.concatenate([terms[singles], np.array(names, dtype=object)])
    order = np.argsort(first, kind="stable")
    return first[order], last[order], unit_terms[order]


def _listed_phrases(phrases: Sequence[str]) -> list[tuple[tuple[str, ...], str]]:
    """(words, term) of each listed phrase, longest first."""
    listed = []
    for phrase in phrases:
        words = _phrase_words(phrase)
        if len(words) < 2:
            raise ValueError(f"phrase {phrase!r} has fewer than two words")
        listed.append((words, " ".join(phrase.lower().split())))
    return sorted(listed, key=lambda item: (-len(item[0]), item[1]))


def _merge_learned(run, model):
    merged, i = [], 0
    for item, score in model.analyze_sentence([term for term, _, _ in run]):
        if score is None:
            merged.append(run[i])
            i += 1
            continue
        k, joined = 1, run[i][0]
        while joined != item:
            joined += " " + run[i + k][0]
            k += 1
        merged.append((item, run[i][1], run[i + k - 1][2]))
        i += k
    return merged


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def keyness_table(
    occurrences: pd.DataFrame,
    *,
    target_docs: Iterable[str],
    reference_docs: Iterable[str],
    min_count: int = 5,
    yates: bool = False,
    alpha_0: float = 1000.0,
    rank_by: str = "g2",
    concentration_share: float = 0.5,
) -> pd.DataFrame:
    """Every measure for every term counted at least ``min_count`` times on both sides together.

    Totals ``N_A``, ``N_B`` count all units of a side (also the terms below ``min_count``).
    ``side`` is ``target`` or ``reference`` by the sign of ``g2`` (``neither`` for equal rates);
    ``rank`` orders terms within their side by ``|rank_by|`` (ties: larger ``|g2|``, then
    term). ``top_segment_share`` is the share of the term's occurrences on its side (both
    sides for ``neither``) in its busiest segment; ``concentrated`` is
    ``top_segment_share >= concentration_share``. Rows are ordered by side, then rank.
    """
    if rank_by not in RANK_MEASURES:
        raise ValueError(f"rank_by must be one of {RANK_MEASURES}, got {rank_by!r}")
    target_docs, reference_docs = list(target_docs), list(reference_docs)
    side = np.select(
        [
            occurrences["doc_id"].isin(target_docs).to_numpy(),
            occurrences["doc_id"].isin(reference_docs).to_numpy(),
        ],
        ["target", "reference"],
        default="",
    )
    occurrences = occurrences.assign(side=side)[side != ""]
    totals = occurrences["side"].value_counts()
    for name, docs in (("target", target_docs), ("reference", reference_docs)):
        if totals.get(name, 0) == 0:
            raise ConfigError(
                "CF503",
                f"keyness.{name}: the {name} side ({', '.join(docs) or 'no documents'}) has no "
                "counted tokens; check the group, the stopword setting and the documents' text",
            )
    n_a, n_b = int(totals["target"]), int(totals["reference"])

    counts = occurrences.groupby(["term", "side"]).size().unstack("side", fill_value=0)
    counts = counts.reindex(columns=["target", "reference"], fill_value=0)
    counts = counts[counts.sum(axis=1) >= min_count].sort_index()
    a, b = counts["target"].to_numpy(), counts["reference"].to_numpy()

    table = pd.DataFrame({"term": counts.index.astype("str")})
    table["count_target"], table["count_reference"] = a, b
    table["total_target"], table["total_reference"] = n_a, n_b
    table["per10k_target"] = a / n_a * 10_000
    table["per10k_reference"] = b / n_b * 10_000
    table["g2"] = log_likelihood(a, b, n_a, n_b, yates=yates)
    table["p"] = g2_p_value(table["g2"])
    table["q"] = benjamini_hochberg(table["p"])
    table["log_ratio"] = log_ratio(a, b, n_a, n_b)
    table["z"] = weighted_log_odds_z(a, b, n_a, n_b, alpha_0=alpha_0)
    sign = direction(a, b, n_a, n_b)
    table["side"] = np.select([sign > 0, sign < 0], ["target", "reference"], default="neither")

    share = {}
    for name in ("target", "reference"):
        part = occurrences[(occurrences["side"] == name) & occurrences["term"].isin(table["term"])]
        per_segment = part.groupby(["term", "segment_id"]).size().rename("count").reset_index()
        sizes = occurrences.loc[occurrences["side"] == name].groupby("segment_id").size()
        spread = dispersion(per_segment, sizes).reindex(table["term"])
        table[f"dp_{name}"] = spread["dp"].to_numpy()
        table[f"range_{name}"] = spread["range"].fillna(0).astype(int).to_numpy()
        share[name] = spread["top_segment_share"].to_numpy()
    both = occurrences[occurrences["term"].isin(table["term"])]
    busiest = both.groupby(["term", "segment_id"]).size().groupby("term").max()
    share["both"] = busiest.reindex(table["term"]).to_numpy() / (a + b)
    table["top_segment_share"] = np.select(
        [table["side"] == "target", table["side"] == "reference"],
        [share["target"], share["reference"]],
        default=share["both"],
    )
    table["concentrated"] = table["top_segment_share"] >= concentration_share
    return _rank(table, rank_by)[TABLE_COLUMNS]


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
    top_n: int = 20,
    max_q: float = 0.05,
    min_log_ratio: float = 1.0,
    min_range: int = 3,
    exclude_concentrated: bool = True,
) -> pd.DataFrame:
    """The first ``top_n`` terms of each side (in :func:`keyness_table` order) passing the filters.

    A term passes when ``q <= max_q``, ``|log_ratio| >= min_log_ratio``, it occurs in at least
    ``min_range`` segments of its own side, and (with ``exclude_concentrated``) it is not
    concentrated in one passage. Terms with equal rates never pass.
    """
    own_range = np.where(table["side"] == "target", table["range_target"], table["range_reference"])
    keep = (
        table["side"].isin(["target", "reference"])
        & (table["q"] <= max_q)
        & (table["log_ratio"].abs() >= min_log_ratio)
        & (own_range >= min_range)
    )
    if exclude_concentrated:
        keep &= ~table["concentrated"]
    return table[keep].groupby("side", sort=False).head(top_n).reset_index(drop=True)


def kwic(
    occurrences: pd.DataFrame,
    keywords: pd.DataFrame,
    texts: Mapping[str, str],
    *,
    context_chars: int = 60,
    max_lines_per_term: int = 0,
) -> pd.DataFrame:
    """Keyword-in-context lines for every occurrence of ``keywords`` in the documents of ``texts``.

    ``start``/``end`` are character offsets into ``texts[doc_id]`` (the cleaned text), so
    ``keyword == text[start:end]``; ``left``/``right`` hold ``context_chars`` characters either
    side with runs of whitespace (line and paragraph breaks) shown as one space. With
    ``max_lines_per_term > 0`` a term keeps that many lines, evenly spaced through its
    occurrences. Ordered like ``keywords``, then by document and offset.
    """
    info = keywords[["term", "side", "rank"]].reset_index(drop=True)
    info["order"] = np.arange(len(info))
    lines = occurrences[occurrences["doc_id"].isin(list(texts))].merge(info, on="term")
    lines = lines.sort_values(["order", "doc_id", "start"], kind="stable").reset_index(drop=True)
    if max_lines_per_term > 0:
        lines = lines.groupby("order", group_keys=False, sort=False)[lines.columns].apply(
            lambda group: group.iloc[_evenly_spaced(len(group), max_lines_per_term)]
        )
    left, keyword, right = [], [], []
    for doc_id, start, end in zip(lines["doc_id"], lines["start"], lines["end"], strict=True):
        text = texts[doc_id]
        left.append(_squash(text[max(0, start - context_chars) : start]))
        keyword.append(text[start:end])
        right.append(_squash(text[end : end + context_chars]))
    lines = lines.assign(left=left, keyword=keyword, right=right)
    if "segment_id" not in lines:
        lines["segment_id"] = ""
    return lines[KWIC_COLUMNS].reset_index(drop=True)


def _evenly_spaced(n: int, k: int) -> np.ndarray:
    if n <= k:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, k).round().astype(int))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --------------------------------------------------------------------------------------------
# The stage
# --------------------------------------------------------------------------------------------


def read_keyness_table(path: str | Path) -> pd.DataFrame:
    """Read ``keyness.csv`` or ``keyness_top.csv`` back; terms such as "nan" stay strings."""
    return pd.read_csv(
        path,
        keep_default_na=False,
        na_values={"dp_target": [""], "dp_reference": [""]},
        dtype={"term": "str", "side": "str"},
    )


def load_tokens(tokens_paths: Iterable[str | Path], segments_paths: Iterable[str | Path]):
    """Read token and segment tables and give every token its ``segment_id``."""
    tokens = pd.concat([read_parquet(path) for path in tokens_paths], ignore_index=True)
    segments = pd.concat([read_parquet(path) for path in segments_paths], ignore_index=True)
    return tokens_with_segments(tokens, segments)


def run_keyness(
    *,
    tokens_paths: Sequence[str | Path],
    segments_paths: Sequence[str | Path],
    text_paths: Sequence[str | Path],
    target_docs: Sequence[str],
    reference_docs: Sequence[str],
    table_path: str | Path,
    top_path: str | Path,
    kwic_path: str | Path,
    record_path: str | Path,
    unit: str = "lower",
    drop_stopwords: bool = True,
    min_count: int = 5,
    phrases: Sequence[str] = (),
    learn_phrases: bool = False,
    phrase_min_count: int = 5,
    phrase_threshold: float = 0.5,
    yates: bool = False,
    alpha_0: float = 1000.0,
    rank_by: str = "g2",
    concentration_share: float = 0.5,
    top_n: int = 20,
    max_q: float = 0.05,
    min_log_ratio: float = 1.0,
    min_range: int = 3,
    exclude_concentrated: bool = True,
    kwic_context_chars: int = 60,
    kwic_max_lines: int = 0,
) -> dict:
    """The keyness stage: count, measure, filter, concordance; write the tables.

    ``text_paths`` are the texts the tokens came from, named ``<doc_id>.txt``. Writes
    ``keyness.csv`` (:func:`keyness_table`), ``keyness_top.csv`` (:func:`top_keywords`),
    ``kwic.csv`` (:func:`kwic`) and a JSON record of the sides, totals and parameters, which it
    returns.
    """
    parameters = {
        "unit": unit,
        "drop_stopwords": drop_stopwords,
        "min_count": min_count,
        "phrases": list(phrases),
        "learn_phrases": learn_phrases,
        "phrase_min_count": phrase_min_count,
        "phrase_threshold": phrase_threshold,
        "yates": yates,
        "alpha_0": alpha_0,
        "rank_by": rank_by,
        "concentration_share": concentration_share,
        "top_n": top_n,
        "max_q": max_q,
        "min_log_ratio": min_log_ratio,
        "min_range": min_range,
        "exclude_concentrated": exclude_concentrated,
        "kwic_context_chars": kwic_context_chars,
        "kwic_max_lines": kwic_max_lines,
    }
    target_docs, reference_docs = list(target_docs), list(reference_docs)
    tokens = load_tokens(tokens_paths, segments_paths)
    tokens = tokens[tokens["doc_id"].isin(target_docs + reference_docs)]
    occurrences = term_occurrences(
        tokens,
        unit=unit,
        drop_stopwords=drop_stopwords,
        phrases=phrases,
        learn_phrases=learn_phrases,
        phrase_min_count=phrase_min_count,
        phrase_threshold=phrase_threshold,
    )
    table = keyness_table(
        occurrences,
        target_docs=target_docs,
        reference_docs=reference_docs,
        min_count=min_count,
        yates=yates,
        alpha_0=alpha_0,
        rank_by=rank_by,
        concentration_share=concentration_share,
    )
    top = top_keywords(
        table,
        top_n=top_n,
        max_q=max_q,
        min_log_ratio=min_log_ratio,
        min_range=min_range,
        exclude_concentrated=exclude_concentrated,
    )
    texts = {Path(path).stem: Path(path).read_text(encoding="utf-8") for path in text_paths}
    lines = kwic(
        occurrences, top, texts, context_chars=kwic_context_chars, max_lines_per_term=kwic_max_lines
    )
    write_csv(table, table_path)
    write_csv(top, top_path)
    write_csv(lines, kwic_path)
    record = {
        "target_docs": target_docs,
        "reference_docs": reference_docs,
        "total_target": int(occurrences["doc_id"].isin(target_docs).sum()),
        "total_reference": int(occurrences["doc_id"].isin(reference_docs).sum()),
        "terms_tested": len(table),
        "top_terms": {side: int((top["side"] == side).sum()) for side in ("target", "reference")},
        "kwic_lines": len(lines),
        "parameters": parameters,
    }
    Path(record_path).write_text(
        json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return record
