"""The cleaning view: the edit log over the ingested text, and the review queue bound to one
place each (the rows the page exports)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from corpusflow.cleaning import curated as _curated
from corpusflow.cleaning.curated import Curated, curated_edits
from corpusflow.cleaning.edits import Edit, apply_edits
from corpusflow.errors import InputError
from corpusflow.explorer.columns import table_columns

#: The curated table's row pattern, used to search only near a word's literal occurrences
#: (None if the cleaning stage no longer has it: the whole text is searched instead).
_PATTERN = getattr(_curated, "_pattern", None)

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


class DocumentTexts(NamedTuple):
    """A document's texts: ingested, before the curated corrections (``automatic``: what their
    rows are matched on, ``results/clean/{doc_id}.automatic.txt``) and cleaned."""

    ingested: str
    automatic: str
    cleaned: str


def logged_edits(texts: DocumentTexts, corrections: pd.DataFrame, doc_id: str) -> list[list]:
    """The log's edits, ``[ingest_start, ingest_end, after, rule, evidence]`` in text order,
    checked to turn the ingested text into the cleaned one (what the page's cleaned column
    shows), else CF704."""
    edits = [[int(s), int(e), str(a), str(r), str(v)] for s, e, a, r, v in _log_edits(corrections)]
    try:
        replayed = apply_edits(texts.ingested, [Edit(s, e, a) for s, e, a, _, _ in edits])
    except ValueError:  # overlapping or outside the text
        replayed = None
    if replayed != texts.cleaned:
        raise InputError(
            "CF704",
            f"results/clean/{doc_id}.corrections.tsv does not turn the ingested text into the "
            "cleaned text; rerun the cleaning stage",
        )
    return edits


def curated_places(
    texts: DocumentTexts, edits: Sequence[list], curated: Sequence[Curated], doc_id: str
) -> list[dict]:
    """Where every curated edit of the log (``edits``: :func:`logged_edits`) stands in the text
    before the curated corrections, and the row behind it.

    The rows are matched on that text as the cleaning stage matched them
    (:func:`corpusflow.cleaning.curated.curated_edits`); they must give the cleaned text and
    the log's curated edits, one each in order, else CF705. A row may change an automatic
    edit's result (undo the corpus rule's "hands" with "bonds"), which the log shows as one
    edit of the ingested text; its place here is the row's own.

    Per curated edit in log order: ``edit`` (its index in ``edits``), ``line``, ``note``,
    ``left``, ``before``, ``after``, ``right`` (the row) and ``start``/``end`` (its span in
    ``texts.automatic``).
    """
    rows = [row for row in curated if row.doc_id == doc_id]
    by_evidence = {f"curated table line {row.line}: {row.note}".strip(): row for row in rows}
    applied, _ = curated_edits(texts.automatic, rows, doc_id)
    applied.sort()
    logged = [number for number, edit in enumerate(edits) if edit[3] == "curated"]
    if apply_edits(texts.automatic, applied) != texts.cleaned or [
        edit.evidence for edit in applied
    ] != [edits[number][4] for number in logged]:
        raise InputError(
            "CF705",
            f"results/clean/{doc_id}.corrections.tsv: the curated rows do not apply to the text "
            "before the curated edits as the log says (the curated corrections table or the "
            "review decisions changed since the cleaning run); rerun the cleaning stage",
        )
    places = []
    for number, edit in zip(logged, applied, strict=True):
        row = by_evidence[edit.evidence]
        fields = ("line", "note", "left", "before", "after", "right")
        places.append(
            {"edit": number, **{f: getattr(row, f) for f in fields}}
            | {"start": edit.start, "end": edit.end}
        )
    return places


def automatic_offsets(edits: Sequence[list], places: Sequence[dict], length: int) -> OffsetShift:
    """Where each offset of the ingested text (of ``length``) stands in the text before the
    curated corrections: the log's length changes less the curated rows' own."""
    own = {p["edit"]: len(p["after"]) - (p["end"] - p["start"]) for p in places}
    deltas = [len(a) - (e - s) - own.get(n, 0) for n, (s, e, a, _, _) in enumerate(edits)]
    return OffsetShift([edit[1] for edit in edits], deltas, length)


@dataclass
class SuspectBinder:
    """Binds each review row of one document (:func:`cleaning_view`'s bindings): ``curated``
    holds the log's curated spans (ingested offsets), ``mapping`` where ingested offsets stand
    in ``automatic`` (:func:`automatic_offsets`)."""

    doc_id: str
    automatic: str
    curated: list[tuple[int, int]]
    mapping: OffsetShift
    context_words: int
    index: dict[str, list[int]] | None = None  # built at the first suspect that needs it

    def __call__(self, record: Mapping) -> dict:
        start, end = record.get("ingest_start"), record.get("ingest_end")
        if not (isinstance(start, int) and isinstance(end, int)):
            return {"status": "unplaced"}
        if not 0 <= start < end < len(self.mapping):
            return {"status": "unplaced"}
        if any(s < end and start < e for s, e in self.curated):
            return {"status": "curated"}
        at, to = self.mapping[start], self.mapping[end]
        if self.index is None:
            self.index = word_index(self.automatic)
        found = binding_context(
            self.automatic,
            at,
            to,
            self.doc_id,
            max_words=self.context_words,
            index=self.index,
        )
        if found is None:
            return {"status": "ambiguous"}
        return {
            "status": "ok",
            "left": found[0],
            "before": self.automatic[at:to],
            "right": found[1],
        }


def cleaning_view(
    doc_id: str,
    texts: DocumentTexts,
    corrections: pd.DataFrame,
    review: pd.DataFrame,
    *,
    curated: Sequence[Curated],
    context_words: int,
) -> dict:
    """One document's cleaning evidence: the ingested text, every logged edit (ingest offsets,
    after, rule, evidence; ``before`` is the text's own slice), the row of the curated tables
    behind every curated edit (``curated``: :func:`curated_places`) and the review queue with,
    for each suspect, its binding: ``curated`` where a curated edit already covers it, else
    ``ok`` with the words that bind a new curated-corrections row to its one place in the text
    before the curated corrections, ``ambiguous`` if no context up to ``context_words`` words
    does, ``unplaced`` for a row without a place (a curated row that was not applied).

    ``curated`` are the rows the cleaning stage applied: the curated corrections table's and
    the accepted review decisions (:func:`corpusflow.cleaning.review.read_review_decisions`).
    """
    corrections = corrections.sort_values(["ingest_start", "ingest_end"], kind="stable")
    edits = logged_edits(texts, corrections, doc_id)
    places = curated_places(texts, edits, curated, doc_id)
    bind = SuspectBinder(
        doc_id,
        texts.automatic,
        [(s, e) for s, e, _, rule, _ in edits if rule == "curated"],
        automatic_offsets(edits, places, len(texts.ingested)),
        context_words,
    )
    review_columns, review_rows = table_columns(review)
    names = [c["name"] for c in review_columns]
    bindings = [bind(dict(zip(names, row, strict=True))) for row in review_rows]
    return {
        "doc_id": doc_id,
        "text": texts.ingested,
        "edits": edits,
        "curated": places,
        "review": {"columns": review_columns, "rows": review_rows, "bindings": bindings},
    }
