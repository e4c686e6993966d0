"""Collation of a text with its witnesses: token alignment and the readings it supports.

Whole texts are aligned token by token: n-grams that occur once in each text anchor the
alignment (their longest chain in common order), and the stretches between anchors are aligned
with rapidfuzz's Levenshtein opcodes (a global alignment of a partial witness with extra
material, such as the IWW edition's preface, scatters its matches). A witness token is a
*reading* of the OCR token it is aligned with when the two sit inside a well-anchored stretch
(most tokens around them match) of a region where the two editions are the same translation
(most tokens of a wider window match). One-for-one differences there are candidate
corrections; other small differences are queued for review; the rest is different wording.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

from rapidfuzz.distance import Levenshtein

from corpusflow.cleaning.settings import CleaningSettings


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


def anchors(ocr: list[str], witness: list[str], n: int = 4) -> list[tuple[int, int]]:
    """Positions ``(i, j)`` of n-grams occurring once in each text, in a common increasing order.

    The longest chain increasing in both texts (patience sorting) drops anchors that would
    cross, so a witness with extra material (a preface, another chapter order) still lines up.
    """

    def unique(tokens: list[str]) -> dict[tuple, int]:
        seen: dict[tuple, int] = {}
        for i in range(len(tokens) - n + 1):
            gram = tuple(tokens[i : i + n])
            seen[gram] = -1 if gram in seen else i
        return {gram: i for gram, i in seen.items() if i >= 0}

    in_witness = unique(witness)
    pairs = sorted((i, in_witness[g]) for g, i in unique(ocr).items() if g in in_witness)
    tails: list[int] = []  # index into pairs of the smallest tail of each chain length
    tail_values: list[int] = []  # the witness position of each of those tails
    parents = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        length = bisect_left(tail_values, j)
        if length == len(tails):
            tails.append(k)
            tail_values.append(j)
        else:
            tails[length] = k
            tail_values[length] = j
        parents[k] = tails[length - 1] if length else -1
    chain = []
    k = tails[-1] if tails else -1
    while k >= 0:
        chain.append(pairs[k])
        k = parents[k]
    return chain[::-1]


def align(ocr: list[str], witness: list[str], max_gap: int = 60, n: int = 4) -> list[tuple]:
    """Opcodes ``(tag, i1, i2, j1, j2)`` aligning the anchored parts of two token lists.

    Between consecutive anchors (unique ``n``-grams) closer than ``max_gap`` tokens on both
    sides the stretch is aligned with rapidfuzz's Levenshtein opcodes; longer gaps are left
    unaligned.
    """
    ops: list[tuple] = []
    chain = anchors(ocr, witness, n)
    if chain:  # the last anchor's own n-gram matches too
        chain.append((chain[-1][0] + n, chain[-1][1] + n))
    for (i1, j1), (i2, j2) in zip(chain, chain[1:], strict=False):
        if i2 - i1 > max_gap or j2 - j1 > max_gap:
            continue
        for op in Levenshtein.opcodes(ocr[i1:i2], witness[j1:j2]):
            ops.append(
                (op.tag, i1 + op.src_start, i1 + op.src_end, j1 + op.dest_start, j1 + op.dest_end)
            )
    return ops


class _Matches:
    """Where the OCR tokens match the witness (prefix sums of the ``equal`` opcodes), and the
    two tests of :func:`collate` on a stretch ``[i, j)`` of OCR tokens."""

    def __init__(self, opcodes: list[tuple], size: int, settings: CleaningSettings):
        matched = [0] * size
        for tag, i, j, _, _ in opcodes:
            if tag == "equal":
                matched[i:j] = [1] * (j - i)
        self.prefix = [0, *accumulate(matched)]
        self.size, self.settings = size, settings

    def region(self, i: int, j: int) -> bool:
        """Same translation: enough matches within ``region_window`` on either side."""
        window = self.settings.region_window
        return _density(self.prefix, i - window, j + window) >= self.settings.region_min

    def anchored(self, i: int, j: int) -> bool:
        """Well anchored: enough matches among the ``anchor_window`` tokens on each side."""
        window, prefix = self.settings.anchor_window, self.prefix
        left = prefix[i] - prefix[max(0, i - window)]
        right = prefix[min(self.size, j + window)] - prefix[j]
        return left + right >= self.settings.anchor_min * 2 * window

    def anchored_region(self, i: int, j: int) -> bool:
        return self.anchored(i, j) and self.region(i, j)


def collate(
    ocr: list[str],
    witness: list[str],
    witness_forms: list[str],
    name: str,
    settings: CleaningSettings,
    max_block: int = 1,
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
    settings : CleaningSettings
        ``anchor_window``, ``anchor_min``: a difference is well anchored if at least
        ``anchor_min`` of the ``anchor_window`` tokens on each side (together) match;
        ``region_window``, ``region_min``: same-translation test, at least ``region_min`` of
        the tokens within ``region_window`` on either side match.
    max_block : int
        Largest one-for-one block (n OCR tokens against n witness tokens) read pairwise.

    Returns
    -------
    readings : dict
        OCR token index -> :class:`Reading`, for tokens in same-translation regions.
    variances : list of Variance
        Unequal replace blocks (up to ``max_block + 1`` tokens) in well-anchored regions.
    """
    opcodes = align(ocr, witness)
    matches = _Matches(opcodes, len(ocr), settings)
    readings: dict[int, Reading] = {}
    variances: list[Variance] = []
    for tag, i, j, k, k_end in opcodes:
        if tag == "equal":
            for offset in range(j - i):
                if matches.region(i + offset, i + offset + 1):
                    readings[i + offset] = Reading(name, witness_forms[k + offset], True)
        elif tag == "replace" and j - i == k_end - k <= max_block:
            if matches.anchored_region(i, j):
                for offset in range(j - i):
                    readings[i + offset] = Reading(name, witness_forms[k + offset], False)
        elif 0 < max(j - i, k_end - k) <= max_block + 1 and matches.anchored_region(i, j):
            variances.append(Variance(name, i, j, " ".join(witness_forms[k:k_end])))
    return readings, variances
