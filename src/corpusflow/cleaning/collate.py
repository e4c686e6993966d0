"""Collation of a text with its witnesses: token alignment and the readings it supports.

Whole texts are aligned token by token with rapidfuzz's Levenshtein opcodes (bit-parallel,
a fraction of a second for 20k tokens). A witness token is a *reading* of the OCR token it is
aligned with when the two sit inside a well-anchored stretch (most tokens around them match)
of a region where the two editions are the same translation (most tokens of a wider window
match). One-for-one differences there are candidate corrections; everything else is ignored
(different wording) or, when small and well covered, queued for review.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from rapidfuzz.distance import Levenshtein


@dataclass(frozen=True)
class Reading:
    """What ``witness`` reads at one OCR token: ``text`` (original form), ``same`` if equal."""

    witness: str
    text: str
    same: bool


@dataclass(frozen=True)
class Variance:
    """A many-to-many difference in a covered region, for the review queue."""

    witness: str
    ocr_start: int
    ocr_end: int
    witness_text: str


def _density(flags: list[int], start: int, end: int) -> float:
    """Share of matched tokens in ``flags[start:end]`` given prefix sums ``flags``."""
    start, end = max(0, start), min(len(flags) - 1, end)
    return (flags[end] - flags[start]) / (end - start) if end > start else 0.0


def collate(
    ocr: list[str],
    witness: list[str],
    witness_forms: list[str],
    name: str,
    *,
    anchor_window: int = 4,
    anchor_min: float = 0.75,
    region_window: int = 25,
    region_min: float = 0.7,
    max_block: int = 3,
) -> tuple[dict[int, Reading], list[Variance]]:
    """Align OCR tokens with one witness and return its readings and reviewable differences.

    Parameters
    ----------
    ocr, witness : list of str
        Normalised (comparison) tokens of the OCR text and the witness.
    witness_forms : list of str
        The witness tokens as written (to carry their spelling and case).
    name : str
        The witness's doc_id, for the evidence.
    anchor_window, anchor_min : int, float
        A difference is well anchored if at least ``anchor_min`` of the ``anchor_window``
        tokens on each side (together) match.
    region_window, region_min : int, float
        Same-translation test: at least ``region_min`` of the tokens within
        ``region_window`` on either side match.
    max_block : int
        Largest one-for-one block (n OCR tokens against n witness tokens) read pairwise.

    Returns
    -------
    readings : dict
        OCR token index -> :class:`Reading`, for tokens in same-translation regions.
    variances : list of Variance
        Unequal replace blocks (up to ``max_block + 1`` tokens) in well-anchored regions.
    """
    opcodes = Levenshtein.opcodes(ocr, witness)
    matched = [0] * len(ocr)
    for op in opcodes:
        if op.tag == "equal":
            matched[op.src_start : op.src_end] = [1] * (op.src_end - op.src_start)
    prefix = [0, *accumulate(matched)]

    def region(i: int, j: int) -> bool:
        return _density(prefix, i - region_window, j + region_window) >= region_min

    def anchored(i: int, j: int) -> bool:
        left = prefix[i] - prefix[max(0, i - anchor_window)]
        right = prefix[min(len(ocr), j + anchor_window)] - prefix[j]
        return left + right >= anchor_min * 2 * anchor_window

    readings: dict[int, Reading] = {}
    variances: list[Variance] = []
    for op in opcodes:
        i, j, k = op.src_start, op.src_end, op.dest_start
        if op.tag == "equal":
            for offset in range(j - i):
                if region(i + offset, i + offset + 1):
                    readings[i + offset] = Reading(name, witness_forms[k + offset], True)
        elif op.tag == "replace" and j - i == op.dest_end - k <= max_block:
            if anchored(i, j) and region(i, j):
                for offset in range(j - i):
                    readings[i + offset] = Reading(name, witness_forms[k + offset], False)
        elif 0 < max(j - i, op.dest_end - k) <= max_block + 1 and anchored(i, j) and region(i, j):
            text = " ".join(witness_forms[k : op.dest_end])
            variances.append(Variance(name, i, j, text))
    return readings, variances
