"""The keyness view and its KWIC lines: every occurrence of every term, as the keyness stage
counted and wrote them (its map step's occurrence tables); nothing is counted again here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corpusflow.errors import InputError
from corpusflow.explorer.columns import table_columns
from corpusflow.keyness.concordance import evenly_spaced, occurrences_of


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
# KWIC: every occurrence of every term, as the keyness stage wrote them
# --------------------------------------------------------------------------------------------


def kwic_occurrences(
    parts: Iterable[pd.DataFrame], terms: Iterable[str], *, doc_ids: Sequence[str]
) -> pd.DataFrame:
    """Every occurrence of ``terms`` in the documents ``doc_ids``, from the occurrence tables
    the keyness stage wrote (``parts``, one per shard: :mod:`corpusflow.keyness.counting`), so
    a term has as many occurrences as the keyness table counts.

    Returns ``term, surface, doc_id, start, end`` (``surface``: the unit as written before
    folding; offsets: characters of the cleaned text), sorted by term, document (in
    ``doc_ids`` order) and offset.
    """
    columns = ["term", "surface", "doc_id", "start", "end"]
    order = {doc_id: n for n, doc_id in enumerate(doc_ids)}
    units = occurrences_of(parts, terms)
    units = units[units["doc_id"].isin(order)]
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
    bounds = _DocumentSegments.of(segments, doc_ids)
    index = {doc_id: n for n, doc_id in enumerate(doc_ids)}
    occurrences = occurrences[occurrences["doc_id"].isin(index)]
    # Each term's occurrences together, in their given order (as a groupby by term keeps them).
    occurrences = occurrences.sort_values("term", kind="stable")
    docs = occurrences["doc_id"].map(index).to_numpy(dtype=np.int64)
    starts = occurrences["start"].to_numpy(dtype=np.int64)
    ends = occurrences["end"].to_numpy(dtype=np.int64)
    rows = np.column_stack([docs, starts, ends, bounds.position(docs, starts)])
    lines, found = _term_lines(occurrences["term"].to_numpy(), rows, lines_per_term)
    return {
        "docs": list(doc_ids),
        "segments": bounds.ids,
        "lines": lines,
        "found": found,
        "lines_per_term": lines_per_term,
        "context_chars": context_chars,
        "texts": [texts[doc_id] for doc_id in doc_ids],
    }


@dataclass(frozen=True)
class _DocumentSegments:
    """Each document's segments in text order: their ids, start and end offsets."""

    ids: list[list[str]]
    starts: list[np.ndarray]
    ends: list[np.ndarray]

    @classmethod
    def of(cls, segments: pd.DataFrame, doc_ids: Sequence[str]) -> _DocumentSegments:
        """The segments of ``doc_ids``, in that order (none for a document without any)."""
        by_doc = dict(tuple(segments.groupby("doc_id", sort=False)))
        empty = segments.iloc[0:0]
        ordered = [by_doc.get(doc_id, empty).sort_values("start") for doc_id in doc_ids]
        return cls(
            ids=[doc["segment_id"].astype(str).tolist() for doc in ordered],
            starts=[doc["start"].to_numpy(dtype=np.int64) for doc in ordered],
            ends=[doc["end"].to_numpy(dtype=np.int64) for doc in ordered],
        )

    def position(self, docs: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """The segment of each occurrence (document ``docs``, offset ``starts``) as its index in
        the document's segments, -1 outside every segment. All at once: the segment starts of
        all documents as one sorted key (document, start), searched for each occurrence's."""
        scale = 1 + max(int(starts.max(initial=0)), *(int(e.max(initial=0)) for e in self.ends), 0)
        first = np.cumsum([0] + [len(s) for s in self.starts])
        keys = np.concatenate(
            [np.asarray(s, dtype=np.int64) + n * scale for n, s in enumerate(self.starts)]
            + [np.zeros(0, dtype=np.int64)]
        )
        all_ends = np.concatenate([*self.ends, np.zeros(0, dtype=np.int64)])
        found_at = np.searchsorted(keys, docs * scale + starts, side="right") - 1
        local = found_at - first[docs]
        inside = (local >= 0) & (starts < all_ends[np.maximum(found_at, 0)])
        return np.where(inside, local, -1)


def _term_lines(terms: np.ndarray, rows: np.ndarray, lines_per_term: int) -> tuple[dict, dict]:
    """Per term (``terms`` grouped together), its ``rows`` flattened (``lines``; at most
    ``lines_per_term`` of them, evenly spaced, when it is above 0) and its count (``found``)."""
    lines, found = {}, {}
    bounds = np.flatnonzero(terms[1:] != terms[:-1]) + 1 if len(terms) else np.zeros(0, int)
    for lo, hi in zip([0, *bounds.tolist()], [*bounds.tolist(), len(terms)], strict=True):
        if hi <= lo:
            continue
        term, count = terms[lo], hi - lo
        keep = np.arange(lo, hi)
        if lines_per_term > 0 and count > lines_per_term:
            keep = lo + evenly_spaced(count, lines_per_term)
        found[term] = count
        lines[term] = rows[keep].ravel().tolist()
    return lines, found
