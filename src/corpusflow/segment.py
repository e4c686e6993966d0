"""Segments: cut each analysed document into passages of about ``target_tokens`` words.

Two texts are too few documents for topic models and dispersion measures, so the analysis works
on segments. Segments end at paragraph ends; a paragraph longer than twice the target is cut at
sentence ends instead. Each segment keeps its character offsets, so every number computed on it
can be traced back to the passage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corpusflow.errors import ConfigError
from corpusflow.segment_settings import SegmentSettings

SEGMENT_COLUMNS = [
    "doc_id",
    "segment_id",
    "order",
    "start",
    "end",
    "n_tokens",
    "first_paragraph",
    "last_paragraph",
]


@dataclass(frozen=True)
class _Unit:
    """A stretch that is never cut: a paragraph, or a run of sentences of a long paragraph."""

    start: int
    end: int
    n_tokens: int
    paragraph: int


def make_segments(tokens: pd.DataFrame, doc_id: str, *, target_tokens: int) -> pd.DataFrame:
    """Segment one document's token table (see :mod:`corpusflow.tokenise`).

    Greedy over paragraphs: a segment closes before the next paragraph when that brings it
    closer to ``target_tokens`` alphabetic tokens; then any segment under half the target
    joins its smaller neighbour.
    """
    return make_segments_from_pieces([tokens], doc_id, target_tokens=target_tokens)


def make_segments_from_pieces(
    pieces: Iterable[pd.DataFrame], doc_id: str, *, target_tokens: int
) -> pd.DataFrame:
    """:func:`make_segments` of the token table given as consecutive pieces (e.g. Parquet
    batches, ``corpusflow.io.read_parquet_batches``): memory holds one piece and one row per
    sentence, never the document's token table."""
    if target_tokens < 1:
        raise ConfigError(
            "CF101", f"segments.target_tokens must be a positive integer, not {target_tokens}"
        )
    sentences = _join_sentences([_sentence_table(piece) for piece in pieces if len(piece)])
    if not len(sentences["paragraph"]):
        return pd.DataFrame(columns=SEGMENT_COLUMNS)
    return _segment_frame(
        _group_units(_paragraph_units(sentences, target_tokens), target_tokens), doc_id
    )


def _paragraph_units(sentences: dict[str, np.ndarray], target_tokens: int) -> list[_Unit]:
    """One unit per paragraph, except that a paragraph of more than twice ``target_tokens``
    alphabetic tokens is cut at sentence ends into units near the target."""
    units = []
    paragraph_firsts = np.flatnonzero(
        np.r_[True, sentences["paragraph"][1:] != sentences["paragraph"][:-1]]
    )
    bounds = np.r_[paragraph_firsts, len(sentences["paragraph"])]
    n_alpha = np.add.reduceat(sentences["n_alpha"], paragraph_firsts)
    for first, last, size in zip(
        bounds[:-1].tolist(), bounds[1:].tolist(), n_alpha.tolist(), strict=True
    ):
        paragraph = int(sentences["paragraph"][first])
        if size > 2 * target_tokens:
            pieces = [
                _Unit(start, end, alpha, paragraph)
                for start, end, alpha in zip(
                    sentences["start"][first:last].tolist(),
                    sentences["end"][first:last].tolist(),
                    sentences["n_alpha"][first:last].tolist(),
                    strict=True,
                )
            ]
            units.extend(_merge(group) for group in _group_units(pieces, target_tokens))
        else:
            start, end = int(sentences["start"][first]), int(sentences["end"][last - 1])
            units.append(_Unit(start, end, int(size), paragraph))
    return units


def _segment_frame(groups: list[list[_Unit]], doc_id: str) -> pd.DataFrame:
    """The segment table: one row per group of units, in order."""
    records = []
    for order, group in enumerate(groups):
        records.append(
            {
                "doc_id": doc_id,
                "segment_id": f"{doc_id}:{order:03d}",
                "order": order,
                "start": group[0].start,
                "end": group[-1].end,
                "n_tokens": sum(unit.n_tokens for unit in group),
                "first_paragraph": group[0].paragraph,
                "last_paragraph": group[-1].paragraph,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=SEGMENT_COLUMNS)
    return frame.astype(
        {
            "order": "int32",
            "start": "int64",
            "end": "int64",
            "n_tokens": "int64",
            "first_paragraph": "int32",
            "last_paragraph": "int32",
        }
    )


#: The token columns segmentation reads (``corpusflow.io.read_parquet(path, SEGMENT_INPUT)``).
SEGMENT_INPUT = ["paragraph", "sentence", "start", "end", "is_alpha"]


def _sentence_table(tokens: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per sentence, in order: paragraph, first token's start, last token's end, alphabetic
    tokens. Arrays of one value per sentence, never per-token Python objects."""
    sentence = tokens["sentence"].to_numpy()
    paragraph = tokens["paragraph"].to_numpy()
    firsts = np.flatnonzero(
        np.r_[True, (sentence[1:] != sentence[:-1]) | (paragraph[1:] != paragraph[:-1])]
    )
    lasts = np.r_[firsts[1:], len(sentence)] - 1
    return {
        "paragraph": paragraph[firsts],
        "sentence": sentence[firsts],
        "start": tokens["start"].to_numpy()[firsts],
        "end": tokens["end"].to_numpy()[lasts],
        "n_alpha": np.add.reduceat(tokens["is_alpha"].to_numpy().astype(np.int64), firsts),
    }


def _join_sentences(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """One sentence table from the tables of consecutive pieces; a sentence cut by a piece
    boundary is joined back (the later piece's first row adds to the earlier's last)."""
    if not parts:
        return {key: np.zeros(0, dtype=np.int64) for key in _SENTENCE_KEYS}
    joined = [dict(parts[0])]
    for part in parts[1:]:
        before = joined[-1]
        same = (before["paragraph"][-1], before["sentence"][-1]) == (
            part["paragraph"][0],
            part["sentence"][0],
        )
        if same:
            before["end"] = before["end"].copy()
            before["n_alpha"] = before["n_alpha"].copy()
            before["end"][-1] = part["end"][0]
            before["n_alpha"][-1] += part["n_alpha"][0]
            part = {key: values[1:] for key, values in part.items()}
        if len(part["paragraph"]):
            joined.append(part)
    return {key: np.concatenate([part[key] for part in joined]) for key in _SENTENCE_KEYS}


_SENTENCE_KEYS = ("paragraph", "sentence", "start", "end", "n_alpha")


def _group_units(units: list[_Unit], target: int) -> list[list[_Unit]]:
    groups: list[list[_Unit]] = []
    current: list[_Unit] = []
    size = 0
    for unit in units:
        if (
            current
            and size + unit.n_tokens > target
            and (target - size) <= (size + unit.n_tokens - target)
        ):
            groups.append(current)
            current, size = [], 0
        current.append(unit)
        size += unit.n_tokens
    if current:
        groups.append(current)
    return _absorb_small_groups(groups, target)


def _absorb_small_groups(groups: list[list[_Unit]], target: int) -> list[list[_Unit]]:
    """Join every group under half the target to its smaller neighbour, smallest first."""

    def size(group: list[_Unit]) -> int:
        return sum(unit.n_tokens for unit in group)

    groups = [list(group) for group in groups]
    while len(groups) > 1:
        sizes = [size(group) for group in groups]
        smallest = min(range(len(groups)), key=lambda i: (sizes[i], i))
        if sizes[smallest] >= target / 2:
            break
        neighbours = [i for i in (smallest - 1, smallest + 1) if 0 <= i < len(groups)]
        into = min(neighbours, key=lambda i: (sizes[i], i))
        first, second = sorted((smallest, into))
        groups[first : second + 1] = [groups[first] + groups[second]]
    return groups


def _merge(units: list[_Unit]) -> _Unit:
    return _Unit(units[0].start, units[-1].end, sum(u.n_tokens for u in units), units[0].paragraph)


def tokens_with_segments(tokens: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Return ``tokens`` with a ``segment_id`` column (a token belongs to the segment whose
    ``[start, end)`` holds its start); tokens of documents without segments are dropped."""
    parts = []
    for doc_id, doc_segments in segments.groupby("doc_id", sort=False):
        doc_tokens = tokens[tokens["doc_id"] == doc_id]
        ordered = doc_segments.sort_values("start")
        position = (
            np.searchsorted(
                ordered["start"].to_numpy(), doc_tokens["start"].to_numpy(), side="right"
            )
            - 1
        )
        inside = (position >= 0) & (
            doc_tokens["start"].to_numpy() < ordered["end"].to_numpy()[position.clip(0)]
        )
        part = doc_tokens[inside].copy()
        part["segment_id"] = ordered["segment_id"].to_numpy()[position[inside]]
        parts.append(part)
    if not parts:
        return tokens.iloc[0:0].assign(segment_id=pd.Series(dtype="str"))
    return pd.concat(parts, ignore_index=True)


def run(
    token_batches: Iterable[pd.DataFrame], doc_id: str, settings: SegmentSettings
) -> pd.DataFrame:
    """The stage's work on one document (the stage contract): its segments, from its token
    table read in batches of :data:`SEGMENT_INPUT` columns."""
    return make_segments_from_pieces(token_batches, doc_id, target_tokens=settings.target_tokens)
