"""The explorer page: one self-contained, offline HTML file to read the evidence behind the tables.

Data assembly is a set of pure functions that take the pipeline's tables and texts and return
plain, JSON-ready structures (:func:`keyness_view`, :func:`kwic_view`, :func:`topics_view`,
:func:`cleaning_view`); :func:`corpusflow.explorer.page.render_page` puts them into the page.
Tables written by other stages are read defensively: columns are rendered generically from the
table itself, so a column added by another stage shows up without a change here.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from corpusflow.cleaning import curated as _curated
from corpusflow.cleaning.curated import COLUMNS as CURATED_COLUMNS
from corpusflow.cleaning.curated import Curated, curated_edits
from corpusflow.cleaning.edits import apply_edits
from corpusflow.cleaning.review import DECISION_COLUMNS
from corpusflow.errors import InputError
from corpusflow.manifest import Manifest
from corpusflow.terms import learn_phrase_model, spelling_variants, term_occurrences

#: What a keyness column means; columns not listed here are shown with an empty description,
#: or with a description made from a known stem and side suffix (e.g. ``dp_norm_target``).
COLUMN_DESCRIPTIONS = {
    "term": "the counted unit (word form, lemma or multiword unit)",
    "forms": "the word forms counted as the term, as written (several: spelling variants "
    "folded into it)",
    "side": "the side the term is characteristic of",
    "rank": "rank among the terms of its side",
    "count": "occurrences",
    "total": "counted tokens of the side",
    "per10k": "occurrences per 10,000 counted tokens",
    "g2": "signed log-likelihood G2 (positive: target side)",
    "p": "p-value of G2",
    "q": "Benjamini-Hochberg q of p",
    "token_test": "the token-level test giving p: g2 (chi-squared) or fisher (exact)",
    "p_segment": "p-value of the dispersion-aware test over segments (or documents)",
    "q_segment": "Benjamini-Hochberg q of p_segment",
    "zero_count": "the side on which the term never occurs (Log Ratio then uses 0.5), or none",
    "log_ratio": "Log Ratio: binary log of the ratio of relative frequencies",
    "z": "weighted log-odds z with an informative Dirichlet prior",
    "dp": "Gries' deviation of proportions over segments (0 even, 1 concentrated)",
    "dp_norm": "normalised deviation of proportions",
    "range": "segments in which the term occurs",
    "top_segment_share": "share of the term's occurrences in its most frequent segment",
    "concentrated": "most occurrences in one passage",
    "low": "lower end of the interval",
    "high": "upper end of the interval",
}
_SUFFIXES = {"target": "target side", "reference": "reference side"}
#: Significant digits kept for numbers on the page (the CSV files keep ten).
DIGITS = 6
#: Settings of :func:`corpusflow.terms.term_occurrences` taken from the keyness record as
#: they are (``unit`` is checked, ``variants`` is built from ``spelling_variants``).
_COUNTING_KEYS = (
    "drop_stopwords",
    "pos",
    "phrases",
    "learn_phrases",
    "phrase_min_count",
    "phrase_threshold",
)
#: The curated table's row pattern, used to search only near a word's literal occurrences
#: (None if the cleaning stage no longer has it: the whole text is searched instead).
_PATTERN = getattr(_curated, "_pattern", None)


def describe_column(name: str) -> str:
    """A column's description from :data:`COLUMN_DESCRIPTIONS`; "" for an unknown column."""
    if name in COLUMN_DESCRIPTIONS:
        return COLUMN_DESCRIPTIONS[name]
    for suffix, side in _SUFFIXES.items():
        stem = name.removesuffix(f"_{suffix}")
        if stem != name:
            known = describe_column(stem)
            return f"{known} ({side})" if known else ""
    for prefix in ("low", "high"):
        stem = name.removeprefix(f"{prefix}_")
        if stem != name and stem in COLUMN_DESCRIPTIONS:
            return f"{COLUMN_DESCRIPTIONS[prefix]} of {stem}"
    for suffix in ("low", "high"):
        stem = name.removesuffix(f"_{suffix}")
        if stem != name and stem in COLUMN_DESCRIPTIONS:
            return f"{COLUMN_DESCRIPTIONS[suffix]} of {stem}"
    return ""


def _number(value):
    """A JSON-ready number with :data:`DIGITS` significant digits (None for NaN, "inf")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    value = float(value)
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    rounded = float(f"{value:.{DIGITS}g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded


#: Letters that occur in no text a number parses from (those of "inf", "nan", "infinity",
#: exponents, hexadecimal and complex markers are left out).
_NOT_NUMERIC = r"[b-dg-hk-mo-su-wzB-DG-HK-MO-SU-WZ]"


def table_columns(table: pd.DataFrame) -> tuple[list[dict], list[list]]:
    """Columns (name, kind "number"/"text", description) and rows of any table, JSON-ready.

    A column is numeric when every non-empty cell parses as a number; booleans and other
    values are shown as text.
    """
    columns, values = [], []
    for name in table.columns:
        column = table[name]
        if column.dtype == bool:
            kind, cells = "text", ["true" if v else "false" for v in column]
        elif column.dtype.kind in "iuf" and len(column) and bool(column.notna().all()):
            # A numeric column without gaps is numbers as they are (what the general case
            # below finds, without parsing every cell as text).
            kind, cells = "number", [_number(v) for v in column.tolist()]
        elif column.dtype.kind in "OUT" and bool(
            column.astype("str").str.contains(_NOT_NUMERIC, regex=True, na=False).any()
        ):
            # A cell with a letter that no number has (not even inf, nan, 1e5, 0x1, 1j) cannot
            # parse as one: the column is text, as the general case below finds.
            kind, cells = "text", ["" if pd.isna(v) else str(v) for v in column]
        else:
            empty = column.astype(str).str.strip() == ""
            numbers = pd.to_numeric(column.where(~empty, None), errors="coerce")
            if bool((numbers.notna() | empty).all()) and not bool(empty.all()):
                kind, cells = "number", [_number(v) for v in numbers]
            else:
                kind, cells = "text", ["" if pd.isna(v) else str(v) for v in column]
        columns.append({"name": str(name), "kind": kind, "description": describe_column(name)})
        values.append(cells)
    rows = [list(row) for row in zip(*values, strict=True)] if values else []
    return columns, rows


def keyness_view(table: pd.DataFrame, record: Mapping) -> dict:
    """The keyness table as shown on the page, with the counting unit and the sides' documents
    from the stage's record (``results/tables/keyness.json``)."""
    if "term" not in table.columns:
        raise InputError("CF701", "keyness table: no 'term' column; rerun the keyness stage")
    columns, rows = table_columns(table)
    return {
        "columns": columns,
        "rows": rows,
        "unit": unit_of(record),
        "target_docs": list(record.get("target_docs", [])),
        "reference_docs": list(record.get("reference_docs", [])),
    }


def unit_of(record: Mapping) -> str:
    """The counting unit (``lower`` or ``lemma``) recorded by the keyness stage."""
    parameters = record.get("parameters", record)
    unit = parameters.get("unit")
    if unit not in ("lower", "lemma"):
        raise InputError(
            "CF701",
            f"keyness record: counting unit {unit!r} is not 'lower' or 'lemma'; rerun the "
            "keyness stage",
        )
    return unit


# --------------------------------------------------------------------------------------------
# KWIC: every occurrence of every term, counted as the keyness stage counts
# --------------------------------------------------------------------------------------------


def counting_settings(record: Mapping) -> dict:
    """The keyness stage's counting settings from its record (``results/tables/keyness.json``):
    the keyword arguments of :func:`corpusflow.terms.term_occurrences`, with the spelling
    variant table built from the recorded ``spelling_variants`` section."""
    parameters = record.get("parameters", record)
    unit = unit_of(record)
    try:
        section = parameters["spelling_variants"]
        settings = {key: parameters[key] for key in _COUNTING_KEYS}
        variants = spelling_variants(fold=section["fold"], to=section["to"], extra=section["extra"])
    except (KeyError, TypeError) as missing:
        raise InputError(
            "CF701",
            f"keyness record: no counting setting {missing}; rerun the keyness stage",
        ) from None
    return {**settings, "unit": unit, "pos": list(settings["pos"]), "variants": variants}


def find_occurrences(
    documents: Callable[[], Iterable[pd.DataFrame]],
    terms: Iterable[str],
    *,
    doc_ids: Sequence[str],
    counting: Mapping,
    phrase_model=None,
) -> pd.DataFrame:
    """Every occurrence of ``terms`` in the documents ``doc_ids``, counted as the keyness stage
    counts them.

    The units are :func:`corpusflow.terms.term_occurrences` of the same tokens (those inside a
    segment, as in the keyness stage) with the stage's own settings (``counting``:
    :func:`counting_settings` of its record): stopwords and parts of speech filtered, spelling
    variants folded (a folded term's occurrences are every form folded into it), listed
    phrases matched and two-word units learned on the same words. So a term has as many
    occurrences as the keyness table counts.

    ``documents()`` gives the token tables as pieces of whole sentences of one document each,
    with their tokens' ``segment_id`` (:func:`corpusflow.terms.token_pieces` over
    :func:`corpusflow.io.read_documents`); pieces of other documents are skipped. It is called
    twice when two-word units are learned: once to learn them on every piece, as the keyness
    stage does (:func:`corpusflow.terms.learn_phrase_model`), once to count; given the
    keyness stage's own learned ``phrase_model``, it is used instead and ``documents()`` is
    read once. Memory holds one piece and the occurrences of ``terms``, never every token
    table.

    Returns ``term, surface, doc_id, start, end`` (``surface``: the unit as written before
    folding; offsets: characters of the text the tokens came from), sorted by term, document
    (in ``doc_ids`` order) and offset.
    """
    columns = ["term", "surface", "doc_id", "start", "end"]
    doc_ids = list(doc_ids)
    wanted = set(doc_ids)
    # An index of the terms, built once: Series.isin(set) converts the whole set at each call.
    wanted_terms = pd.Index(sorted(set(terms)))

    def asked() -> Iterator[pd.DataFrame]:
        return (piece for piece in documents() if len(piece) and piece["doc_id"].iat[0] in wanted)

    model = phrase_model if counting["learn_phrases"] else None
    if counting["learn_phrases"] and model is None:
        model = learn_phrase_model(
            asked,
            **{key: counting[key] for key in ("unit", "variants", "phrases")},
            phrase_min_count=counting["phrase_min_count"],
            phrase_threshold=counting["phrase_threshold"],
        )
    parts = []
    for piece in asked():
        units = term_occurrences(piece, **counting, phrase_model=model)
        parts.append(units.loc[wanted_terms.get_indexer(units["term"]) >= 0, columns])
    if not parts:
        return pd.DataFrame(columns=columns)
    units = pd.concat(parts, ignore_index=True)
    order = {doc_id: n for n, doc_id in enumerate(doc_ids)}
    units = units.assign(_doc=units["doc_id"].map(order))
    units = units.sort_values(["term", "_doc", "start"], kind="stable")
    return units[columns].reset_index(drop=True)


def kwic_view(
    occurrences: pd.DataFrame,
    segments: pd.DataFrame,
    texts: Mapping[str, str],
    *,
    doc_ids: Sequence[str],
    lines_per_term: int,
    context_chars: int,
) -> dict:
    """Occurrences as compact arrays for the page, which cuts the KWIC lines from ``texts``.

    Each term gets a flat list ``[doc, start, end, segment, ...]`` (indices into ``docs`` and
    into that document's ``segments``; -1 outside every segment). With ``lines_per_term > 0`` a
    term keeps that many occurrences, evenly spaced through the texts; ``found`` keeps the full
    count so the page can say how many were left out.
    """
    for doc_id in doc_ids:
        if doc_id not in texts:
            raise InputError("CF702", f"explorer: no cleaned text for {doc_id}; rerun cleaning")
    segment_ids, segment_starts, segment_ends = [], [], []
    by_doc = dict(tuple(segments.groupby("doc_id", sort=False)))
    empty = segments.iloc[0:0]
    for doc_id in doc_ids:
        doc_segments = by_doc.get(doc_id, empty).sort_values("start")
        segment_ids.append(doc_segments["segment_id"].astype(str).tolist())
        segment_starts.append(doc_segments["start"].to_numpy(dtype=np.int64))
        segment_ends.append(doc_segments["end"].to_numpy(dtype=np.int64))
    index = {doc_id: n for n, doc_id in enumerate(doc_ids)}
    occurrences = occurrences[occurrences["doc_id"].isin(index)]
    # Each term's occurrences together, in their given order (as a groupby by term keeps them).
    occurrences = occurrences.sort_values("term", kind="stable")
    # The segment of every occurrence at once: segment starts of all documents as one sorted
    # key (document, start), searched for each occurrence's (document, start).
    docs = occurrences["doc_id"].map(index).to_numpy(dtype=np.int64)
    starts = occurrences["start"].to_numpy(dtype=np.int64)
    ends = occurrences["end"].to_numpy(dtype=np.int64)
    scale = 1 + max(int(starts.max(initial=0)), *(int(e.max(initial=0)) for e in segment_ends), 0)
    first = np.cumsum([0] + [len(s) for s in segment_starts])
    keys = np.concatenate(
        [np.asarray(s, dtype=np.int64) + n * scale for n, s in enumerate(segment_starts)]
        + [np.zeros(0, dtype=np.int64)]
    )
    all_ends = np.concatenate([*segment_ends, np.zeros(0, dtype=np.int64)])
    found_at = np.searchsorted(keys, docs * scale + starts, side="right") - 1
    local = found_at - first[docs]
    inside = (local >= 0) & (starts < all_ends[np.maximum(found_at, 0)])
    positions = np.where(inside, local, -1)
    lines, found = {}, {}
    terms = occurrences["term"].to_numpy()
    bounds = np.flatnonzero(terms[1:] != terms[:-1]) + 1 if len(terms) else np.zeros(0, int)
    for lo, hi in zip([0, *bounds.tolist()], [*bounds.tolist(), len(terms)], strict=True):
        if hi <= lo:
            continue
        term, count = terms[lo], hi - lo
        keep = np.arange(lo, hi)
        if lines_per_term > 0 and count > lines_per_term:
            keep = lo + np.unique(np.linspace(0, count - 1, lines_per_term).round().astype(int))
        found[term] = count
        lines[term] = (
            np.column_stack([docs[keep], starts[keep], ends[keep], positions[keep]])
            .ravel()
            .tolist()
        )
    return {
        "docs": list(doc_ids),
        "segments": segment_ids,
        "lines": lines,
        "found": found,
        "lines_per_term": lines_per_term,
        "context_chars": context_chars,
        "texts": [texts[doc_id] for doc_id in doc_ids],
    }


# --------------------------------------------------------------------------------------------
# Topics
# --------------------------------------------------------------------------------------------


def relevant_terms(
    log_pwt: np.ndarray, log_pw: np.ndarray, *, n_terms: int, steps: int = 100
) -> np.ndarray:
    """Indices of the terms that are among a topic's ``n_terms`` most relevant at some lambda
    of the grid 0, 1/steps, ..., 1 (Sievert & Shirley 2014: relevance = lambda log p(w|t) +
    (1 - lambda) log(p(w|t) / p(w))). The page ranks them again at the slider's lambda, so
    its top terms are exact at every grid value."""
    lift = log_pwt - log_pw
    chosen: set[int] = set()
    for step in range(steps + 1):
        lam = step / steps
        relevance = lam * log_pwt + (1 - lam) * lift
        order = np.lexsort((np.arange(len(relevance)), -relevance))
        chosen.update(order[:n_terms].tolist())
    return np.array(sorted(chosen), dtype=np.int64)


def term_marginals(texts: Iterable[Iterable[str]], vocabulary: Sequence[str]) -> np.ndarray:
    """p(w) of each vocabulary term: its share of all term tokens of the modelled documents."""
    position = {term: n for n, term in enumerate(vocabulary)}
    counts = np.zeros(len(vocabulary), dtype=np.float64)
    for text in texts:
        for term in text:
            n = position.get(term)
            if n is not None:
                counts[n] += 1
    total = counts.sum()
    if total == 0:
        raise InputError("CF703", "explorer: the topic model's terms never occur in its documents")
    return counts / total


def _records(table: pd.DataFrame | None) -> tuple[list[dict], list[list]]:
    if table is None:
        return [], []
    return table_columns(table)


def topics_view(
    *,
    terms: pd.DataFrame,
    topic_term: np.ndarray | None,
    vocabulary: Sequence[str] | None,
    marginals: np.ndarray | None,
    passages: pd.DataFrame | None,
    prevalence: pd.DataFrame | None,
    nmf: pd.DataFrame | None,
    n_terms: int,
    relevance_lambda: float,
) -> dict:
    """Per topic: id (the tables' ``topic``), the model's own index (``model_topic``), label,
    ``flag`` (the topic stage's failed check, "" if none), recurrence, the candidate terms for
    the relevance slider, passages, prevalence and NMF rows.

    ``topic_term`` is the model's K x V matrix of p(w|t) (rows are model topics), ``marginals``
    p(w). Without them the terms table's weights are shown and the slider is disabled.
    """
    if "topic" not in terms.columns:
        raise InputError("CF703", "topics terms table: no 'topic' column; rerun the topic stage")
    topics = []
    slider = topic_term is not None and marginals is not None and vocabulary is not None
    for topic, group in terms.groupby("topic", sort=True):
        first = group.iloc[0]
        entry = {"topic": _number(topic)}
        for column in ("label", "flag", "model_topic", "recurrence"):
            if column in group.columns:
                value = first[column]
                entry[column] = value if isinstance(value, str) else _number(value)
        if "flag" in entry:  # a failed check (topics stage): "" for a topic that passes them all
            entry["flag"] = entry["flag"] or ""
        model_topic = entry.get("model_topic")
        if slider and isinstance(model_topic, int) and 0 <= model_topic < len(topic_term):
            log_pwt = np.log(np.maximum(topic_term[model_topic], 1e-300))
            log_pw = np.log(np.maximum(marginals, 1e-300))
            chosen = relevant_terms(log_pwt, log_pw, n_terms=n_terms)
            entry["terms"] = [
                [str(vocabulary[i]), _number(log_pwt[i]), _number(log_pw[i])] for i in chosen
            ]
        else:
            weights = group.sort_values("rank") if "rank" in group else group
            entry["terms"] = [
                [str(t), _number(math.log(max(float(w), 1e-300))), None]
                for t, w in zip(weights["term"], weights.get("weight", 1.0), strict=False)
            ]
        topics.append(entry)

    def by_topic(table: pd.DataFrame | None) -> dict:
        columns, rows = _records(table)
        names = [c["name"] for c in columns]
        grouped: dict[str, list] = {}
        if "topic" in names:
            at = names.index("topic")
            for row in rows:
                grouped.setdefault(str(row[at]), []).append(row)
        return {"columns": columns, "rows": grouped}

    return {
        "slider": bool(slider),
        "lambda": relevance_lambda,
        "n_terms": n_terms,
        "topics": topics,
        "passages": by_topic(passages),
        "prevalence": by_topic(prevalence),
        "nmf": by_topic(nmf),
    }


# --------------------------------------------------------------------------------------------
# Cleaning
# --------------------------------------------------------------------------------------------


class OffsetShift:
    """Where each offset of a text moves when edits are applied: ``shift[x]`` is ``x`` plus the
    length change of every edit ending at or before ``x``. Holds one entry per edit, not per
    character (an array per character of a 50 MB text is 400 MB)."""

    def __init__(self, ends: Sequence[int], deltas: Sequence[int], length: int):
        self._ends = np.asarray(ends, dtype=np.int64)
        self._total = np.cumsum(np.asarray(deltas, dtype=np.int64))
        self._length = length

    def __len__(self) -> int:
        return self._length + 1

    def __getitem__(self, offset: int) -> int:
        offset = int(offset)
        if not 0 <= offset <= self._length:
            raise IndexError(f"offset {offset} outside the text (0-{self._length})")
        n = int(np.searchsorted(self._ends, offset, side="right"))
        return offset + (int(self._total[n - 1]) if n else 0)


def replay_edits(
    text: str, edits: pd.DataFrame, *, skip_rules: Iterable[str] = ()
) -> tuple[str, OffsetShift]:
    """Apply the logged edits (``ingest_start, ingest_end, after, rule``) to the ingested
    ``text``, leaving out those of ``skip_rules``; return the text and, for every offset of
    ``text`` (and its end), the offset it moves to (an :class:`OffsetShift`)."""
    skip = set(skip_rules)
    ends, deltas = [], []
    parts, position = [], 0
    for start, end, after, rule in zip(
        edits["ingest_start"], edits["ingest_end"], edits["after"], edits["rule"], strict=True
    ):
        start, end = int(start), int(end)
        if rule in skip:
            continue
        if start < position or end > len(text) or end < start:
            raise InputError(
                "CF704",
                f"corrections log: the edit at {start}-{end} overlaps an earlier one or lies "
                "outside the ingested text; rerun the cleaning stage",
            )
        parts += [text[position:start], after]
        ends.append(end)
        deltas.append(len(after) - (end - start))
        position = end
    parts.append(text[position:])
    return "".join(parts), OffsetShift(ends, deltas, len(text))


def word_index(text: str) -> dict[str, list[int]]:
    """Start offsets of every word (``\\w+``) of ``text``, by word."""
    index: dict[str, list[int]] = {}
    for match in re.finditer(r"\w+", text):
        index.setdefault(match.group(), []).append(match.start())
    return index


def _only_match(text, pattern, places, window, length, span, left, right) -> bool:
    """Whether ``span`` is the only group-1 span of ``pattern`` in the windows around
    ``places`` (``window`` characters either side of each). Stops at the first other span, and
    skips a window that lacks one of the literal words of ``left`` or ``right`` (every match
    contains them all), so that a frequent word's windows are mostly never searched."""
    words = [*left.split(), *right.split()]
    found = False
    for at in places:
        lo, hi = max(0, at - window), at + length + window
        if any(text.find(word, lo, hi) < 0 for word in words):
            continue
        for match in pattern.finditer(text, lo, hi):
            if match.span(1) != span:
                return False
            found = True
    return found


def binding_context(
    text: str,
    start: int,
    end: int,
    doc_id: str,
    *,
    max_words: int,
    index: Mapping[str, list[int]] | None = None,
) -> tuple[str, str] | None:
    """The fewest words either side (up to ``max_words``) that make a curated-corrections row
    for ``text[start:end]`` match exactly once, and at this place; None if no count does.

    Matching is the curated table's own (:func:`corpusflow.cleaning.curated.curated_edits`).
    With ``index`` (:func:`word_index` of ``text``) and a one-word ``before``, only windows
    around that word's occurrences are searched, since every match contains it.
    """
    before = text[start:end]
    reach = 60 * max_words + 64
    left_text = text[max(0, start - reach) : start]
    right_text = text[end : end + reach]
    left_words, right_words = left_text.split(), right_text.split()
    if start > reach and left_words and not left_text[:1].isspace():
        left_words = left_words[1:]  # the window may cut the first word
    if end + reach < len(text) and right_words and not right_text[-1:].isspace():
        right_words = right_words[:-1]
    places = None
    if index is not None and _PATTERN is not None and re.fullmatch(r"\w+", before):
        places = index.get(before, [])
    for n in range(1, max_words + 1):
        if n > max(len(left_words), len(right_words)):
            break
        left, right = " ".join(left_words[-n:]), " ".join(right_words[:n])
        row = Curated(doc_id, left, before, before + "\u0000", right, "", 0)
        if places is not None:
            pattern = _PATTERN(row)
            window = 4 * (len(left) + len(right)) + 64  # generous: whitespace between words
            if _only_match(text, pattern, places, window, len(before), (start, end), left, right):
                return left, right
            continue
        edits, _ = curated_edits(text, [row], doc_id)
        if len(edits) == 1 and (edits[0].start, edits[0].end) == (start, end):
            return left, right
    return None


def _log_edits(corrections: pd.DataFrame) -> Iterator[tuple]:
    """``(ingest_start, ingest_end, after, rule, evidence)`` of each row of a cleaning log."""
    columns = ["ingest_start", "ingest_end", "after", "rule", "evidence"]
    return zip(*(corrections[column] for column in columns), strict=True)


def curated_base(
    ingested: str,
    cleaned: str,
    corrections: pd.DataFrame,
    curated: Sequence[Curated],
    doc_id: str,
) -> tuple[str, OffsetShift, list[dict]]:
    """The text the curated rows were matched on (the cleaned text before the curated edits),
    the offset map from ``ingested`` to it, and the place of every curated edit in it.

    Skipping the curated edits of the log is not enough: a curated row that changes the result
    of an automatic edit (e.g. undoes the corpus rule's "hands" with "bonds", or rewrites the
    non-word rule's "ALL" as "All") is logged as one edit of the ingested text, the automatic
    edit absorbed into it. The row itself (found by the log's evidence, ``curated table line
    N: note``, among ``curated``: the curated table's rows and the accepted review decisions)
    gives back what the automatic edits had written there. The result is checked: the rows,
    applied to it as the cleaning stage applies them, give ``cleaned``.

    Returns ``(base, mapping, places)``; ``places`` holds, per curated edit in log order,
    ``edit`` (its index in ``corrections``), ``line``, ``note``, ``left``, ``before``, ``after``,
    ``right`` (the row) and ``start``/``end`` (its span in ``base``).
    """
    rows = [row for row in curated if row.doc_id == doc_id]
    by_evidence = {f"curated table line {row.line}: {row.note}".strip(): row for row in rows}
    afters, places = [], []
    for number, (start, end, after, rule, evidence) in enumerate(_log_edits(corrections)):
        after = str(after)
        row = by_evidence.get(str(evidence)) if rule == "curated" else None
        if rule == "curated":
            at = -1 if row is None else after.find(row.after)
            if at < 0:
                raise InputError(
                    "CF705",
                    f"results/clean/{doc_id}.corrections.tsv: the curated edit at ingested "
                    f"offsets {start}-{end} ({evidence!r}) comes from no row of the curated "
                    "corrections table or the review decisions; rerun the cleaning stage",
                )
            after = after[:at] + row.before + after[at + len(row.after) :]
            places.append({"edit": number, "row": row, "offset": at})
        afters.append(after)
    base, mapping = replay_edits(ingested, corrections.assign(after=afters))
    for place in places:
        row, edit = place.pop("row"), place["edit"]
        start = int(mapping[int(corrections["ingest_start"].iloc[edit])]) + place.pop("offset")
        place.update(
            line=row.line,
            note=row.note,
            left=row.left,
            before=row.before,
            after=row.after,
            right=row.right,
            start=start,
            end=start + len(row.before),
        )
    edits, _ = curated_edits(base, rows, doc_id)
    spans = sorted((edit.start, edit.end) for edit in edits)
    logged = sorted((place["start"], place["end"]) for place in places)
    if spans != logged or apply_edits(base, edits) != cleaned:
        raise InputError(
            "CF705",
            f"results/clean/{doc_id}.corrections.tsv: the curated rows do not apply to the text "
            "before the curated edits as the log says (the curated corrections table or the "
            "review decisions changed since the cleaning run); rerun the cleaning stage",
        )
    return base, mapping, places


def cleaning_view(
    doc_id: str,
    ingested: str,
    cleaned: str,
    corrections: pd.DataFrame,
    review: pd.DataFrame,
    *,
    curated: Sequence[Curated],
    context_words: int,
) -> dict:
    """One document's cleaning evidence: the ingested text, every logged edit (ingest offsets,
    after, rule, evidence; ``before`` is the text's own slice), the row of the curated tables
    behind every curated edit (``curated``: :func:`curated_base`'s places) and the review
    queue with, for each suspect, its binding: ``curated`` where a curated edit already covers
    it, else ``ok`` with the words that bind a new curated-corrections row to its one place in
    the text the curated rows are matched on (:func:`curated_base`), ``ambiguous`` if no
    context up to ``context_words`` words does, ``unplaced`` for a row without a place (a
    curated row that was not applied).

    ``curated`` are the rows the cleaning stage applied: the curated corrections table's and
    the accepted review decisions (:func:`corpusflow.cleaning.review.read_review_decisions`).
    """
    corrections = corrections.sort_values(["ingest_start", "ingest_end"], kind="stable")
    replayed, _ = replay_edits(ingested, corrections)
    if replayed != cleaned:
        raise InputError(
            "CF704",
            f"results/clean/{doc_id}.corrections.tsv does not turn the ingested text into the "
            "cleaned text; rerun the cleaning stage",
        )
    base, mapping, places = curated_base(ingested, cleaned, corrections, curated, doc_id)
    curated_log = corrections[corrections["rule"] == "curated"]
    curated_spans = list(zip(curated_log["ingest_start"], curated_log["ingest_end"], strict=True))
    edits = [[int(s), int(e), str(a), str(r), str(v)] for s, e, a, r, v in _log_edits(corrections)]
    review_columns, review_rows = table_columns(review)
    names = [c["name"] for c in review_columns]
    bindings = []
    index = None  # built at the first suspect that needs it (a whole text's words)
    for row in review_rows:
        record = dict(zip(names, row, strict=True))
        start, end = record.get("ingest_start"), record.get("ingest_end")
        binding = None
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(ingested):
            if any(s < end and start < e for s, e in curated_spans):
                binding = {"status": "curated"}
            else:
                base_start, base_end = int(mapping[start]), int(mapping[end])
                index = word_index(base) if index is None else index
                found = binding_context(
                    base, base_start, base_end, doc_id, max_words=context_words, index=index
                )
                if found is None:
                    binding = {"status": "ambiguous"}
                else:
                    binding = {
                        "status": "ok",
                        "left": found[0],
                        "before": base[base_start:base_end],
                        "right": found[1],
                    }
        bindings.append(binding or {"status": "unplaced"})
    return {
        "doc_id": doc_id,
        "text": ingested,
        "edits": edits,
        "curated": places,
        "review": {"columns": review_columns, "rows": review_rows, "bindings": bindings},
    }


# --------------------------------------------------------------------------------------------
# Very long documents: passages instead of the whole text
# --------------------------------------------------------------------------------------------


def _merged(windows: Sequence[tuple[int, int]], keep: Iterable[int]) -> list[list[int]]:
    """The windows ``keep`` (indices in start order) merged where they touch or overlap."""
    pieces: list[list[int]] = []
    for k in keep:
        start, end = windows[k]
        if pieces and start <= pieces[-1][1]:
            pieces[-1][1] = max(pieces[-1][1], end)
        else:
            pieces.append([start, end])
    return pieces


def excerpt(
    text: str, spans: Sequence[tuple[int, int]], *, context: int, budget: int
) -> tuple[dict, list[bool]]:
    """The passages of ``text`` around ``spans`` (``context`` characters either side of each),
    at most ``budget`` characters in all: ``({"length": len(text), "pieces": [[start,
    passage], ...]}, held)``, the pieces in text order and disjoint, ``held[i]`` whether span
    ``i`` lies in a piece. When the passages of every span would exceed ``budget``, an evenly
    spaced share of the spans (in text order) is held, as the KWIC cap keeps evenly spaced
    lines."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], spans[i][1], i))
    windows = [
        (max(0, spans[i][0] - context), min(len(text), max(spans[i][1], spans[i][0]) + context))
        for i in order
    ]
    keep = list(range(len(order)))
    pieces = _merged(windows, keep)
    size = sum(end - start for start, end in pieces)
    while size > budget and keep:
        count = min(len(keep) - 1, len(keep) * budget // size)
        spaced = np.linspace(0, len(order) - 1, count).round().astype(int)
        keep = np.unique(spaced).tolist() if count else []
        pieces = _merged(windows, keep)
        size = sum(end - start for start, end in pieces)
    held = [False] * len(spans)
    for k in keep:
        held[order[k]] = True
    return {"length": len(text), "pieces": [[a, text[a:b]] for a, b in pieces]}, held


def _inside(text: dict) -> Callable[[int, int], bool]:
    """Whether ``start..end`` lies in one piece of the :func:`excerpt` ``text`` (what the page
    can show)."""
    starts = [piece[0] for piece in text["pieces"]]
    stops = [start + len(piece[1]) for start, piece in zip(starts, text["pieces"], strict=True)]

    def inside(start: int, end: int) -> bool:
        at = bisect.bisect_right(starts, start) - 1
        return at >= 0 and end <= stops[at]

    return inside


def cap_kwic_texts(kwic: dict, *, max_text_chars: int) -> dict:
    """Replace each KWIC text longer than ``max_text_chars`` (0: no cap) by the passages around
    its lines (:func:`excerpt`); lines whose context is not in a passage are left out
    (``found`` keeps their count, so the page says how many). ``capped`` lists the documents
    cut this way."""
    if max_text_chars <= 0:
        return kwic
    long = [d for d, text in enumerate(kwic["texts"]) if len(text) > max_text_chars]
    if not long:
        return kwic
    context = kwic["context_chars"]
    places = {d: [] for d in long}  # (term, position in its flat list) of each line
    for term, flat in kwic["lines"].items():
        for at in range(0, len(flat), 4):
            if flat[at] in places:
                places[flat[at]].append((term, at))
    texts, dropped = list(kwic["texts"]), set()
    for d in long:
        spans = [(kwic["lines"][t][at + 1], kwic["lines"][t][at + 2]) for t, at in places[d]]
        length = len(texts[d])
        texts[d], _ = excerpt(texts[d], spans, context=context, budget=max_text_chars)
        inside = _inside(texts[d])
        dropped.update(
            place
            for place, (start, end) in zip(places[d], spans, strict=True)
            if not inside(max(0, start - context), min(length, end + context))
        )
    lines = {}
    for term, flat in kwic["lines"].items():
        lines[term] = [
            value
            for at in range(0, len(flat), 4)
            if (term, at) not in dropped
            for value in flat[at : at + 4]
        ]
    return {
        **kwic,
        "texts": texts,
        "lines": lines,
        "capped": [kwic["docs"][d] for d in long],
        "max_text_chars": max_text_chars,
    }


def cap_cleaning_text(view: dict, *, context: int, max_text_chars: int) -> dict:
    """A :func:`cleaning_view` whose ingested text is longer than ``max_text_chars`` (0: no cap)
    with the passages around its edits and suspects instead (:func:`excerpt`); every edit and
    suspect stays listed and counted, those outside the passages are not drawn in the text.
    ``capped`` says how many of them the passages hold (what the page draws)."""
    text = view["text"]
    if max_text_chars <= 0 or len(text) <= max_text_chars:
        return view
    spans = [(edit[0], edit[1]) for edit in view["edits"]]
    names = [column["name"] for column in view["review"]["columns"]]
    if "ingest_start" in names and "ingest_end" in names:
        at, to = names.index("ingest_start"), names.index("ingest_end")
        spans += [
            (row[at], row[to])
            for row in view["review"]["rows"]
            if isinstance(row[at], int) and isinstance(row[to], int) and row[at] < row[to]
        ]
    excerpted, _ = excerpt(text, spans, context=context, budget=max_text_chars)
    inside = _inside(excerpted)
    held = sum(inside(start, end) for start, end in spans)
    return {
        **view,
        "text": excerpted,
        "capped": {"spans": len(spans), "held": held, "max_text_chars": max_text_chars},
    }


# --------------------------------------------------------------------------------------------
# The page's data
# --------------------------------------------------------------------------------------------


def manifest_documents(manifest: Manifest) -> dict[str, dict[str, str]]:
    """doc_id -> title, group and role, in manifest order."""
    return {
        row["doc_id"]: {key: str(row[key]) for key in ("title", "group", "role")}
        for row in manifest
    }


def topic_model_arrays(model) -> tuple[np.ndarray, list[str]]:
    """p(w|t) (K x V, rows are the model's topic indices) and the vocabulary of a gensim
    ``LdaModel``."""
    matrix = np.asarray(model.get_topics(), dtype=np.float64)
    vocabulary = [str(model.id2word[i]) for i in range(matrix.shape[1])]
    return matrix, vocabulary


def explorer_data(
    *,
    documents: Mapping[str, Mapping[str, str]],
    groups: Mapping[str, str],
    keyness_table: pd.DataFrame,
    keyness_record: Mapping,
    pieces: Callable[[], Iterable[pd.DataFrame]],
    phrase_model,
    segments: pd.DataFrame,
    texts: Mapping[str, str],
    terms_table: pd.DataFrame | None,
    topic_term: np.ndarray | None,
    vocabulary: Sequence[str] | None,
    topic_documents: Iterable[Iterable[str]] | None,
    passages: pd.DataFrame | None,
    prevalence: pd.DataFrame | None,
    nmf: pd.DataFrame | None,
    ingested: Mapping[str, str],
    cleaned: Mapping[str, str],
    corrections: Mapping[str, pd.DataFrame],
    review: Mapping[str, pd.DataFrame],
    curated: Sequence[Curated],
    kwic_lines_per_term: int,
    kwic_context_chars: int,
    topic_terms: int,
    relevance_lambda: float,
    export_context_words: int,
    max_text_chars: int,
) -> dict:
    """Everything the page shows, as one JSON-ready dict (see :func:`render_page`).

    ``documents`` maps doc_id to its manifest fields (title, group, role), in manifest order;
    ``pieces`` (the token tables in pieces, read as they are needed: see
    :func:`find_occurrences`), ``segments`` and ``texts`` cover the keyness documents, and
    ``phrase_model`` is the keyness stage's learned two-word units (``None``: none learned,
    or learn them again here);
    ``ingested``/``cleaned``/``corrections``/``review`` the documents of the cleaning view,
    keyed by doc_id; ``curated`` the rows the cleaning stage applied (curated table and
    accepted review decisions). A text longer than ``max_text_chars`` (0: no cap) is held as
    the passages around what the views show (:func:`cap_kwic_texts`,
    :func:`cap_cleaning_text`), so that a very long document does not make a page of its size.
    """
    keyness = keyness_view(keyness_table, keyness_record)
    doc_ids = [*keyness["target_docs"], *keyness["reference_docs"]]
    terms = keyness_table["term"].astype(str).tolist()
    occurrences = find_occurrences(
        pieces,
        terms,
        doc_ids=doc_ids,
        counting=counting_settings(keyness_record),
        phrase_model=phrase_model,
    )
    keyness["kwic"] = cap_kwic_texts(
        kwic_view(
            occurrences,
            segments,
            texts,
            doc_ids=doc_ids,
            lines_per_term=kwic_lines_per_term,
            context_chars=kwic_context_chars,
        ),
        max_text_chars=max_text_chars,
    )
    topics = None
    if terms_table is not None:
        marginals = None
        if topic_term is not None and vocabulary is not None and topic_documents is not None:
            marginals = term_marginals(topic_documents, vocabulary)
        topics = topics_view(
            terms=terms_table,
            topic_term=topic_term,
            vocabulary=vocabulary,
            marginals=marginals,
            passages=passages,
            prevalence=prevalence,
            nmf=nmf,
            n_terms=topic_terms,
            relevance_lambda=relevance_lambda,
        )
    cleaning_docs = [
        cap_cleaning_text(
            cleaning_view(
                doc_id,
                ingested[doc_id],
                cleaned[doc_id],
                corrections[doc_id],
                review[doc_id],
                curated=curated,
                context_words=export_context_words,
            ),
            context=kwic_context_chars,
            max_text_chars=max_text_chars,
        )
        for doc_id in documents
        if doc_id in corrections
    ]
    return {
        "meta": {
            "docs": {doc_id: dict(fields) for doc_id, fields in documents.items()},
            "groups": dict(groups),
        },
        "keyness": keyness,
        "topics": topics,
        "cleaning": {
            "docs": cleaning_docs,
            "columns": list(CURATED_COLUMNS),
            "decision_columns": list(DECISION_COLUMNS),
            "context_words": export_context_words,
        },
    }
