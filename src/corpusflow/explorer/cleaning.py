"""The cleaning view: the edit log over the ingested text, and the review queue bound to one
place each (the rows the page exports)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from corpusflow.cleaning import curated as _curated
from corpusflow.cleaning.curated import Curated, curated_edits
from corpusflow.cleaning.edits import apply_edits
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
