"""The edit log: every change the cleaner makes, as a replacement of a span of the ingested text.

The cleaned text is, by construction, the ingested text with the logged edits applied
(:func:`apply_edits`); nothing reaches the output any other way. Stages that work on an
intermediate text (e.g. the word-level correctors, which see the text after line joining) log
their edits against that text and :func:`compose` carries them back to ingested offsets.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` by ``after``; ``rule`` and ``evidence`` say why."""

    start: int
    end: int
    after: str
    rule: str = ""
    evidence: str = ""


def check_edits(edits: list[Edit], length: int) -> list[Edit]:
    """Return ``edits`` sorted; raise ``ValueError`` if two overlap or one is out of range."""
    ordered = sorted(edits)
    previous_end = 0
    for edit in ordered:
        if edit.start < previous_end or edit.end < edit.start or edit.end > length:
            raise ValueError(f"overlapping or out-of-range edit {edit!r} (text length {length})")
        previous_end = edit.end
    return ordered


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Return ``text`` with the (non-overlapping) ``edits`` applied."""
    pieces = []
    position = 0
    for edit in check_edits(edits, len(text)):
        pieces.append(text[position : edit.start])
        pieces.append(edit.after)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


def output_spans(edits: list[Edit]) -> list[tuple[int, int]]:
    """Span of each edit's replacement in the edited text, for edits sorted by position."""
    spans = []
    shift = 0
    for edit in edits:
        start = edit.start + shift
        spans.append((start, start + len(edit.after)))
        shift += len(edit.after) - (edit.end - edit.start)
    return spans


class OffsetMap:
    """Maps positions in the result of ``edits`` back to the original text."""

    def __init__(self, edits: list[Edit]):
        self.edits = sorted(edits)
        self.spans = output_spans(self.edits)
        self.starts = [span[0] for span in self.spans]
        self.shifts = []
        shift = 0
        for edit, (out_start, out_end) in zip(self.edits, self.spans, strict=True):
            shift += (out_end - out_start) - (edit.end - edit.start)
            self.shifts.append(shift)

    def original(self, position: int, *, is_end: bool = False) -> int:
        """Original offset of ``position``; a deletion exactly there lies before a start and
        after an end; a position inside a replacement maps to the replaced span's edge."""
        index = (bisect_left if is_end else bisect_right)(self.starts, position) - 1
        if index < 0:
            return position
        out_start, out_end = self.spans[index]
        if out_start < position < out_end:
            edit = self.edits[index]
            return edit.end if is_end else edit.start
        return position - self.shifts[index]


def compose(base: list[Edit], text1: str, later: list[Edit]) -> list[Edit]:
    """Express ``later`` edits (made on ``text1``, the result of ``base``) on the original text.

    A later edit whose span touches the inside of a base edit's replacement (a word correction
    across a dehyphenation join, say) absorbs that base edit: the merged edit replaces the
    union of both spans and keeps the later edit's rule and evidence.
    """
    mapping = OffsetMap(base)
    base, spans, starts = mapping.edits, mapping.spans, mapping.starts
    absorbed = set()
    result = []
    for edit in sorted(later):
        a, b = edit.start, edit.end
        hits = [
            i
            for i in range(max(0, bisect_right(starts, a) - 2), bisect_right(starts, b) + 1)
            if i < len(base) and _overlaps(spans[i], a, b)
        ]
        if not hits:
            start, end = mapping.original(a), mapping.original(b, is_end=True)
            result.append(Edit(start, end, edit.after, edit.rule, edit.evidence))
            continue
        lo = min(a, spans[hits[0]][0])
        hi = max(b, spans[hits[-1]][1])
        start = base[hits[0]].start if lo == spans[hits[0]][0] else mapping.original(lo)
        end = base[hits[-1]].end if hi == spans[hits[-1]][1] else mapping.original(hi, is_end=True)
        after = text1[lo:a] + edit.after + text1[b:hi]
        result.append(Edit(start, end, after, edit.rule, edit.evidence))
        absorbed.update(hits)
    result.extend(edit for i, edit in enumerate(base) if i not in absorbed)
    return sorted(result)


def _overlaps(span: tuple[int, int], a: int, b: int) -> bool:
    """Whether a base replacement ``span`` lies (partly) inside ``[a, b)``, not just at its edge."""
    start, end = span
    if start == end:
        return a < start < b
    return start < b and end > a
