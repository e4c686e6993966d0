"""The keyness tables: every measure per term, the top keywords, the sensitivity table, KWIC.

:func:`keyness_table` counts each term on both sides and puts the token-level measures
(:mod:`corpusflow.keyness.measures`) beside the dispersion-aware ones
(:mod:`corpusflow.keyness.inference`); :func:`top_keywords` filters it; :func:`kwic` gives the
concordance; :func:`sensitivity_table` says which keywords depend on one analysis choice;
:func:`run_keyness` is the whole stage on data (the rule's script reads and writes the files).
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from corpusflow.errors import ConfigError
from corpusflow.io import read_csv
from corpusflow.keyness.inference import bootstrap as bootstrap_draws
from corpusflow.keyness.inference import unit_counts, wmw_test
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
from corpusflow.keyness.sides import READING, design_of
from corpusflow.terms import (
    check_counting,
    learn_phrase_models,
    phrase_model_record,
    spelling_variants,
    term_occurrences,
    token_pieces,
)

RANK_MEASURES = ("g2", "log_ratio", "z")
#: Sides in table order; ``neither`` holds terms with exactly equal rates.
SIDES = ("target", "reference", "neither")
SEGMENT_TESTS = ("wmw", "bootstrap")
FISHER = ("sparse", "all", "never")
#: Which q-value ``keyness_top.csv`` filters on: the segment-level or the token-level test.
Q_COLUMNS = {"segment": "q_segment", "token": "q"}

TABLE_COLUMNS = [
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
    "design",
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
#: Analysis choices of the sensitivity table: factor -> (its two choices).
CHOICES = {
    "phrases": ("learned_phrases", "listed_phrases_only"),
    "q": ("segment_q", "token_q"),
    "spelling": ("folded", "unfolded"),
}
SENSITIVITY_COLUMNS = [
    "term",
    "side",
    "top_rank",
    *(f"key_{choice}" for pair in CHOICES.values() for choice in pair),
    "key_only_under",
    "robust",
    "design",
]


def keyness_table(
    occurrences: pd.DataFrame,
    *,
    target_docs: Iterable[str],
    reference_docs: Iterable[str],
    min_count: int,
    yates: bool,
    alpha_0: float,
    rank_by: str,
    concentration_share: float,
    fisher: str,
    fisher_min_expected: float,
    segment_test: str,
    document_min: int,
    bootstrap: Mapping | None,
) -> pd.DataFrame:
    """Every measure for every term counted at least ``min_count`` times on both sides together.

    Token level: ``p`` is the chi-squared p of ``g2``, or Fisher's exact p where ``fisher`` is
    ``"all"``, or ``"sparse"`` and the table's smallest expected count is below
    ``fisher_min_expected`` (``token_test`` names the test); ``q`` is its BH adjustment.
    Segment level: ``p_segment`` from ``segment_test`` (``"wmw"`` or ``"bootstrap"``) over the
    units of :func:`corpusflow.keyness.inference.unit_matrix` (documents for a side with at
    least ``document_min`` documents, else segments), ``q_segment`` its BH adjustment.
    ``log_ratio_low``/``log_ratio_high``: the bootstrap percentile interval of Log Ratio
    (``bootstrap``: ``draws``, ``seed``, ``level``; ``None`` leaves the interval empty, for
    reruns that need only the tests); ``zero_count`` names the side whose count
    is zero (Log Ratio then rests on the 0.5 stand-in), else ``"none"``. ``forms``: the surface
    forms counted as the term (``|``-separated; several when spelling variants were folded).

    Totals ``N_A``, ``N_B`` count all units of a side (also the terms below ``min_count``).
    ``side`` is ``target`` or ``reference`` by the sign of ``g2`` (``neither`` for equal rates);
    ``rank`` orders terms within their side by ``|rank_by|`` (ties: larger ``|g2|``, then
    term). ``top_segment_share`` is the share of the term's occurrences on its side (both
    sides for ``neither``) in its busiest segment; ``concentrated`` is
    ``top_segment_share >= concentration_share``. Rows are ordered by side, then rank.
    """
    if rank_by not in RANK_MEASURES:
        raise ValueError(f"rank_by must be one of {RANK_MEASURES}, got {rank_by!r}")
    if segment_test not in SEGMENT_TESTS:
        raise ValueError(f"segment_test must be one of {SEGMENT_TESTS}, got {segment_test!r}")
    if fisher not in FISHER:
        raise ValueError(f"fisher must be one of {FISHER}, got {fisher!r}")
    target_docs, reference_docs = list(target_docs), list(reference_docs)
    occurrences = term_counts(occurrences)
    side = np.select(
        [
            occurrences["doc_id"].isin(target_docs).to_numpy(),
            occurrences["doc_id"].isin(reference_docs).to_numpy(),
        ],
        ["target", "reference"],
        default="",
    )
    occurrences = occurrences.assign(side=side)[side != ""]
    totals = occurrences.groupby("side")["count"].sum()
    for name, docs in (("target", target_docs), ("reference", reference_docs)):
        if totals.get(name, 0) == 0:
            raise ConfigError(
                "CF503",
                f"keyness.{name}: the {name} side ({', '.join(docs) or 'no documents'}) has no "
                "counted tokens; check the group, the stopword setting and the documents' text",
            )
    n_a, n_b = int(totals["target"]), int(totals["reference"])

    counts = occurrences.groupby(["term", "side"])["count"].sum().unstack("side", fill_value=0)
    counts = counts.reindex(columns=["target", "reference"], fill_value=0)
    counts = counts[counts.sum(axis=1) >= min_count].sort_index()
    a, b = counts["target"].to_numpy(), counts["reference"].to_numpy()

    table = pd.DataFrame({"term": counts.index.astype("str")})
    table["forms"] = _forms(occurrences, table["term"])
    table["count_target"], table["count_reference"] = a, b
    table["total_target"], table["total_reference"] = n_a, n_b
    table["per10k_target"] = a / n_a * 10_000
    table["per10k_reference"] = b / n_b * 10_000
    table["g2"] = log_likelihood(a, b, n_a, n_b, yates=yates)
    exact = np.full(len(a), fisher == "all")
    if fisher == "sparse":
        exact = expected_counts(a, b, n_a, n_b) < fisher_min_expected
    p = g2_p_value(table["g2"])
    if exact.any():
        p[exact] = fisher_p_value(a[exact], b[exact], n_a, n_b)
    table["p"] = p
    table["q"] = benjamini_hochberg(p)
    table["token_test"] = np.where(exact, "fisher", "g2")
    units = {
        name: unit_counts(occurrences, table["term"], docs=docs, document_min=document_min)
        for name, docs in (("target", target_docs), ("reference", reference_docs))
    }
    (counts_a, sizes_a, _), (counts_b, sizes_b, _) = units["target"], units["reference"]
    if bootstrap is None:  # no interval wanted (the sensitivity reruns)
        if segment_test == "bootstrap":
            raise ValueError("segment_test 'bootstrap' needs the bootstrap settings")
        nothing = np.full(len(a), np.nan)
        drawn = {"p": nothing, "low": nothing, "high": nothing}
    else:
        drawn = bootstrap_draws(
            counts_a,
            sizes_a,
            counts_b,
            sizes_b,
            draws=bootstrap["draws"],
            seed=bootstrap["seed"],
            level=bootstrap["level"],
        )
    if segment_test == "wmw":
        table["p_segment"] = wmw_test(counts_a, sizes_a, counts_b, sizes_b)
    else:
        table["p_segment"] = drawn["p"]
    del units, counts_a, counts_b
    table["q_segment"] = benjamini_hochberg(table["p_segment"])
    table["log_ratio"] = log_ratio(a, b, n_a, n_b)
    table["log_ratio_low"], table["log_ratio_high"] = interval_at_least_exact(
        drawn, a, b, n_a, n_b, level=None if bootstrap is None else bootstrap["level"]
    )
    table["zero_count"] = np.select([a == 0, b == 0], ["target", "reference"], default="none")
    table["z"] = weighted_log_odds_z(a, b, n_a, n_b, alpha_0=alpha_0)
    sign = direction(a, b, n_a, n_b)
    table["side"] = np.select([sign > 0, sign < 0], ["target", "reference"], default="neither")

    share = {}
    tested = occurrences["term"].isin(table["term"])
    for name in ("target", "reference"):
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
    share["both"] = busiest.reindex(table["term"]).to_numpy() / (a + b)
    table["top_segment_share"] = np.select(
        [table["side"] == "target", table["side"] == "reference"],
        [share["target"], share["reference"]],
        default=share["both"],
    )
    table["concentrated"] = table["top_segment_share"] >= concentration_share
    table["design"] = design_of(len(target_docs), len(reference_docs), document_min)
    return _rank(table, rank_by)[TABLE_COLUMNS]


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
) -> pd.DataFrame:
    """The first ``top_n`` terms of each side (in :func:`keyness_table` order) passing the filters.

    See :func:`is_key` for the filters.
    """
    keep = is_key(
        table,
        top_q=top_q,
        max_q=max_q,
        min_log_ratio=min_log_ratio,
        min_range=min_range,
        exclude_concentrated=exclude_concentrated,
    )
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


def kwic(
    occurrences: pd.DataFrame,
    keywords: pd.DataFrame,
    texts: Mapping[str, str],
    *,
    context_chars: int,
    max_lines_per_term: int,
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
# Sensitivity
# --------------------------------------------------------------------------------------------


def sensitivity_table(
    tables: Mapping[str, pd.DataFrame],
    *,
    defaults: Mapping[str, str],
    top_n: int,
    max_q: float,
    min_log_ratio: float,
    min_range: int,
    exclude_concentrated: bool,
) -> pd.DataFrame:
    """Whether each top keyword stays key under the other choice of each analysis factor.

    ``tables`` maps every choice of :data:`CHOICES` except the q choice to the keyness table
    made with it (and the default choices of the other factors); ``defaults`` names the
    default choice of each factor (``{"phrases": ..., "q": ..., "spelling": ...}``), whose
    table is the one under both of its names. The rows are the union of the top keywords
    (:func:`top_keywords`) under every choice, the default run's first, in its order, then the
    others by side and term; ``top_rank`` is the ``rank`` (in ``keyness.csv``) of a term
    in the default run's top list, 0 for a term in another choice's top list only.
    ``key_<choice>`` says whether the term passes the keyword filters (:func:`is_key`,
    without the top_n cut) under that choice; ``key_only_under`` lists the choices under
    which a term is key while it is not under the other choice of the same factor, and
    ``robust`` is true for a term key under every choice.
    """
    q_choice = {"segment_q": "segment", "token_q": "token"}
    filters = {
        "max_q": max_q,
        "min_log_ratio": min_log_ratio,
        "min_range": min_range,
        "exclude_concentrated": exclude_concentrated,
    }
    default_q = q_choice[defaults["q"]]
    runs = {choice: (tables[choice], default_q) for choice in CHOICES["phrases"]}
    runs |= {choice: (tables[choice], default_q) for choice in CHOICES["spelling"]}
    default_table = tables[defaults["phrases"]]
    runs |= {choice: (default_table, q_choice[choice]) for choice in CHOICES["q"]}
    top_default = top_keywords(default_table, top_n=top_n, top_q=default_q, **filters)
    rows = top_default[["term", "side"]].assign(top_rank=top_default["rank"].to_numpy())
    others = [
        top_keywords(table, top_n=top_n, top_q=top_q, **filters)[["term", "side"]]
        for table, top_q in runs.values()
    ]
    extra = pd.concat(others).drop_duplicates("term")
    extra = extra[~extra["term"].isin(rows["term"])].sort_values(["side", "term"])
    rows = pd.concat([rows, extra.assign(top_rank=0)], ignore_index=True)
    for choice, (table, top_q) in runs.items():
        key = table.loc[is_key(table, top_q=top_q, **filters), "term"]
        rows[f"key_{choice}"] = rows["term"].isin(set(key))
    only = [[] for _ in range(len(rows))]
    for first, second in CHOICES.values():
        for this, other in ((first, second), (second, first)):
            for index in np.flatnonzero(rows[f"key_{this}"] & ~rows[f"key_{other}"]).tolist():
                only[index].append(this)
    rows["key_only_under"] = [";".join(choices) for choices in only]
    rows["robust"] = rows[[c for c in rows if c.startswith("key_") and c != "key_only_under"]].all(
        axis=1
    )
    rows["design"] = default_table["design"].iloc[0] if len(default_table) else ""
    return rows[SENSITIVITY_COLUMNS]


# --------------------------------------------------------------------------------------------
# The stage
# --------------------------------------------------------------------------------------------


def read_keyness_table(path) -> pd.DataFrame:
    """Read ``keyness.csv`` or ``keyness_top.csv`` back; terms such as "nan" stay strings."""
    empty = ("dp_target", "dp_reference", "dp_norm_target", "dp_norm_reference")
    return read_csv(
        path,
        na_values={column: [""] for column in empty},
        dtype={"term": "str", "side": "str", "forms": "str"},
    )


def run_keyness(
    tokens: pd.DataFrame,
    segments: pd.DataFrame,
    texts: Mapping[str, str],
    *,
    target_docs: Sequence[str],
    reference_docs: Sequence[str],
    **settings,
) -> dict:
    """:func:`run_keyness_by_document` on the stacked token and segment tables of the
    documents (the same results; the stage itself reads one document at a time)."""
    documents = [
        (segments[segments["doc_id"] == doc_id], [tokens[tokens["doc_id"] == doc_id]])
        for doc_id in sorted(segments["doc_id"].unique())
    ]
    return run_keyness_by_document(
        lambda: token_pieces(documents),
        texts,
        target_docs=target_docs,
        reference_docs=reference_docs,
        **settings,
    )


def run_keyness_by_document(
    pieces: Callable[[], Iterable[pd.DataFrame]],
    texts: Mapping[str, str],
    *,
    target_docs: Sequence[str],
    reference_docs: Sequence[str],
    unit: str,
    drop_stopwords: bool,
    pos: Sequence[str],
    spelling_variants: Mapping,
    min_count: int,
    phrases: Sequence[str],
    learn_phrases: bool,
    phrase_min_count: int,
    phrase_threshold: float,
    yates: bool,
    alpha_0: float,
    rank_by: str,
    concentration_share: float,
    fisher: str,
    fisher_min_expected: float,
    segment_test: str,
    document_min: int,
    bootstrap: Mapping,
    top_q: str,
    top_n: int,
    max_q: float,
    min_log_ratio: float,
    min_range: int,
    exclude_concentrated: bool,
    kwic_context_chars: int,
    kwic_max_lines: int,
    processes: int = 1,
) -> dict:
    """The keyness stage on data: count, measure, filter, test the choices, concordance.

    ``pieces()`` gives the token tables with their ``segment_id``, in pieces of whole
    sentences of one document (:func:`corpusflow.terms.token_pieces`); it is called once per
    pass over the corpus (two to learn the phrases of both spelling choices, one to count the
    default choices, one to count the two other choices of the sensitivity table together,
    one for the concordance of the top keywords: five), and each pass keeps per-segment term
    counts (:func:`term_counts`), never every token. ``texts`` are the cleaned texts by
    doc_id. With ``processes`` > 1 the other choices are learned, counted and measured in a
    forked worker (three passes) while this process makes the default run (four; ``pieces``
    must then be callable in a forked child); the results are the same whatever
    ``processes``. Returns ``table`` (:func:`keyness_table`),
    ``top`` (:func:`top_keywords`), ``sensitivity`` (:func:`sensitivity_table`), ``kwic``
    (:func:`kwic`), ``record`` (sides, totals, units of the segment test, parameters) and
    ``phrase_model`` (the default spelling's learned units,
    :func:`corpusflow.terms.phrase_model_record`, for a later stage that counts the same
    terms).
    """
    parameters = {
        key: value
        for key, value in locals().items()
        if key not in ("pieces", "texts", "target_docs", "reference_docs", "processes")
    }
    target_docs, reference_docs = list(target_docs), list(reference_docs)
    analysed = set(target_docs + reference_docs)

    def side_pieces():
        for piece in pieces():
            piece = piece[piece["doc_id"].isin(analysed)]
            if len(piece):
                check_counting(piece, unit=unit, pos=pos)
                yield piece

    counting = {
        "unit": unit,
        "drop_stopwords": drop_stopwords,
        "pos": list(pos),
        "phrases": list(phrases),
        "phrase_min_count": phrase_min_count,
        "phrase_threshold": phrase_threshold,
    }
    measuring = {
        "target_docs": target_docs,
        "reference_docs": reference_docs,
        "min_count": min_count,
        "yates": yates,
        "alpha_0": alpha_0,
        "rank_by": rank_by,
        "concentration_share": concentration_share,
        "fisher": fisher,
        "fisher_min_expected": fisher_min_expected,
        "segment_test": segment_test,
        "document_min": document_min,
        "bootstrap": bootstrap,
    }
    learning = {
        "unit": unit,
        "phrases": list(phrases),
        "phrase_min_count": phrase_min_count,
        "phrase_threshold": phrase_threshold,
    }
    variants = spelling_variants_of(spelling_variants, fold=spelling_variants["fold"])
    flipped_variants = spelling_variants_of(spelling_variants, fold=not spelling_variants["fold"])

    spellings = {"default": variants, "flipped": flipped_variants}
    # Each choice of a run: (its spelling, whether it merges learned two-word units).
    choices = {
        "default": ("default", learn_phrases),
        "other_phrases": ("default", not learn_phrases),
        "other_spelling": ("flipped", learn_phrases),
    }

    def learned(names):
        """The phrase models the choices ``names`` need, learned together (two passes)."""
        spellings_needed = sorted({choices[name][0] for name in names if choices[name][1]})
        if not spellings_needed:
            return {}
        models = learn_phrase_models(
            side_pieces,
            variant_sets=[spellings[spelling] for spelling in spellings_needed],
            **learning,
        )
        return dict(zip(spellings_needed, models, strict=True))

    def counted(names, models):
        """Per-segment term counts of each choice in ``names``, in one pass."""
        settings = []
        for name in names:
            spelling, learn = choices[name]
            settings.append((spellings[spelling], learn, models.get(spelling) if learn else None))
        parts = [[] for _ in names]
        for piece in side_pieces():
            for part, (variants, learn, model) in zip(parts, settings, strict=True):
                occurrences = term_occurrences(
                    piece, variants=variants, learn_phrases=learn, phrase_model=model, **counting
                )
                part.append(term_counts(occurrences))
        return [term_counts(pd.concat(p, ignore_index=True) if p else _NONE) for p in parts]

    # The reruns need the tests, not the Log Ratio interval (the bootstrap's cost).
    rerun = {**measuring, "bootstrap": bootstrap if segment_test == "bootstrap" else None}
    others = ["other_phrases", "other_spelling"]

    def other_tables(models):
        """The tables under the other phrase choice and the other spelling choice (each
        with the default choice of the other factors), counted in one pass."""
        return [keyness_table(counts, **rerun) for counts in counted(others, models)]

    # The sensitivity reruns are independent of the default run: with ``processes`` > 1 a
    # forked worker makes them while this process makes the default run (the same tables).
    worker = _Forked(lambda: other_tables(learned(others))) if processes > 1 else None
    try:
        # One process learns every phrase model in the same two passes.
        models = learned(["default"] if worker is not None else ["default", *others])
        model = models.get("default") if learn_phrases else None
        (occurrences,) = counted(["default"], models)
        table = keyness_table(occurrences, **measuring)
        filters = {
            "max_q": max_q,
            "min_log_ratio": min_log_ratio,
            "min_range": min_range,
            "exclude_concentrated": exclude_concentrated,
        }
        top = top_keywords(table, top_n=top_n, top_q=top_q, **filters)
        units = {
            name: unit_counts(occurrences, [], docs=docs, document_min=document_min)
            for name, docs in (("target", target_docs), ("reference", reference_docs))
        }
        segments = {
            name: int(occurrences.loc[occurrences["doc_id"].isin(docs), "segment_id"].nunique())
            for name, docs in (("target", target_docs), ("reference", reference_docs))
        }
        totals = {
            name: int(occurrences.loc[occurrences["doc_id"].isin(docs), "count"].sum())
            for name, docs in (("target", target_docs), ("reference", reference_docs))
        }
        del occurrences
        other_phrases_table, other_spelling_table = (
            worker.result() if worker is not None else other_tables(models)
        )
    finally:
        if worker is not None:
            worker.stop()

    defaults = {
        "phrases": CHOICES["phrases"][0 if learn_phrases else 1],
        "q": CHOICES["q"][0 if top_q == "segment" else 1],
        "spelling": CHOICES["spelling"][0 if spelling_variants["fold"] else 1],
    }
    tables = {defaults["phrases"]: table, defaults["spelling"]: table}
    tables[_other("phrases", defaults)] = other_phrases_table
    tables[_other("spelling", defaults)] = other_spelling_table
    sensitivity = sensitivity_table(tables, defaults=defaults, top_n=top_n, **filters)
    design = design_of(len(target_docs), len(reference_docs), document_min)

    # The concordance: a last pass keeps the occurrences of the top keywords only.
    keywords, found = set(top["term"]), []
    for piece in side_pieces():
        occurrences = term_occurrences(
            piece, variants=variants, learn_phrases=learn_phrases, phrase_model=model, **counting
        )
        found.append(occurrences[occurrences["term"].isin(keywords)])
    lines = kwic(
        pd.concat(found, ignore_index=True) if found else _NONE,
        top,
        texts,
        context_chars=kwic_context_chars,
        max_lines_per_term=kwic_max_lines,
    )
    record = {
        "target_docs": target_docs,
        "reference_docs": reference_docs,
        "total_target": totals["target"],
        "total_reference": totals["reference"],
        "segment_test_units": {
            name: {"kind": kind, "count": len(sizes)} for name, (_, sizes, kind) in units.items()
        },
        "terms_tested": len(table),
        "design": {
            "design": design,
            "reading": READING[design],
            "document_min": document_min,
            "units": {
                name: {
                    "documents": len(docs),
                    "segments": segments[name],
                    "test_unit": units[name][2],
                }
                for name, docs in (("target", target_docs), ("reference", reference_docs))
            },
        },
        "q_at_most_max_q": {
            "token_q": int((table["q"] <= max_q).sum()),
            "segment_q": int((table["q_segment"] <= max_q).sum()),
            "fisher_tables": int((table["token_test"] == "fisher").sum()),
        },
        "top_terms": {side: int((top["side"] == side).sum()) for side in ("target", "reference")},
        "sensitivity": {
            "terms": len(sensitivity),
            "robust": int(sensitivity["robust"].sum()),
        },
        "kwic_lines": len(lines),
        "parameters": parameters,
    }
    return {
        "table": table,
        "top": top,
        "sensitivity": sensitivity,
        "kwic": lines,
        "record": record,
        "phrase_model": phrase_model_record(model),
    }


#: No occurrences (no tokens on either side): the columns of term_occurrences, no rows.
_NONE = pd.DataFrame(
    {
        "doc_id": pd.Series(dtype="str"),
        "segment_id": pd.Series(dtype="str"),
        "start": pd.Series(dtype="int64"),
        "end": pd.Series(dtype="int64"),
        "term": pd.Series(dtype="str"),
        "surface": pd.Series(dtype="str"),
    }
)


class _Forked:
    """``function()`` run in a forked child process; :meth:`result` returns its value.

    The child sees everything the parent had loaded when it was forked (no pickling of
    ``function``); its value, or the exception it raised, comes back pickled through a pipe.
    """

    def __init__(self, function: Callable[[], object]):
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)

        def child() -> None:
            try:
                outcome = ("value", function())
            except BaseException as error:  # noqa: BLE001 - handed to the parent, raised there
                # Sent as class, args and attributes: coded errors take (code, message) and
                # do not unpickle from their formatted args.
                outcome = ("error", (type(error), error.args, vars(error)))
            send.send(outcome)
            send.close()

        self._process = context.Process(target=child, daemon=True)
        self._process.start()
        send.close()

    def result(self):
        try:
            kind, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(
                f"the forked worker ended without a result (exit code {self._process.exitcode})"
            ) from None
        self._process.join()
        if kind == "error":
            error_type, args, attributes = value
            error = error_type.__new__(error_type)
            error.args = args
            vars(error).update(attributes)
            raise error
        return value

    def stop(self) -> None:
        """End the child if it still runs (the parent failed first), and close the pipe."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()


def spelling_variants_of(section: Mapping, *, fold: bool) -> dict[str, str]:
    """The variant table of a ``keyness.spelling_variants`` config section, folding or not."""
    return spelling_variants(fold=fold, to=section["to"], extra=section["extra"])


def _other(factor: str, defaults: Mapping[str, str]) -> str:
    first, second = CHOICES[factor]
    return second if defaults[factor] == first else first
