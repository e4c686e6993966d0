"""Money amounts whose digits the OCR read as letters: "Is. 6d." for "1s. 6d.", "2s. fid."
for "2s. 6d.", "£lOO" for "£100".

No vocabulary holds amounts and "Is" is a common word, so the channel (:mod:`.channel`)
never reads them. A whitespace-delimited chunk is read as an amount when its SHAPE is one
(a currency sign of ``amount_prefixes`` or a unit of ``amount_units`` after a number whose
letters are OCR readings of digits, :func:`glyph_table`; without a sign at most one such
glyph, and never a sign and a unit around a glyph, "£Is") and its CONTEXT shows one
(:func:`verdict`): a currency sign (but a real word of several glyphs in its ordinary
case, "£Ill", "£boil", "£IS", is only queued; "£lOO" is read); or a neighbouring amount in
money order (sign, then the units in the schema's order: "fis 6d", "£1. fis"; "June 3d. fid."
is no price): a number with digits and a unit or sign, a reading applied, or another
reading with stops on both ("fis. fid."; a non-word may lean on a queued real word: "Price
Is. fid." -> "Price Is. 6d."). A real word ("Is", "Id") without a sign is never applied,
only queued when a neighbour in money order shows an amount: "£1. Is. 6d." may be the
verb ("worth £1. Is 6d. too much?"). A reading with less evidence (a non-word with a unit
and a stop only) is queued for review, never applied; so is every reading in a text of
older spelling (``cautious``: "3s. fid."), and none is made on a token a witness settled (an
amount in digits a witness agrees with still vouches). Each edit (rule ``amount``) logs the
glyphs read and its evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from corpusflow.cleaning.edits import Edit
from corpusflow.cleaning.lexicon import zipf_frequency
from corpusflow.cleaning.words import review_row

RULE = "amount"
#: Letters whose printed shapes OCR reads for digits, as the channel's confusion groups
#: (:data:`~corpusflow.cleaning.lexicon.CONFUSABLE_GROUPS`, compared without case) already hold
#: them: l, I, i, | for 1 ("iltfj1!|I"), O, o for 0 ("o0"), S for 5 ("s58"; lowercase s is a
#: unit) and b for 6 ("b6h"). Not t, f, j, ! or h: their shapes are far from the digits' in
#: print. What a corpus shows besides ("fi" for 6) is the setting ``amount_glyphs``.
PRINT_GLYPHS = {**dict.fromkeys("lIi|", "1"), **dict.fromkeys("Oo", "0"), "S": "5", "b": "6"}
#: Ligatures a glyph of letters may be printed as ("fi" -> "ﬁ", U+FB01).
LIGATURES = {"fi": "\ufb01"}


def glyph_table(extra: Iterable[tuple[str, str]] | Mapping[str, str] = ()) -> dict[str, str]:
    """Glyph -> digit: :data:`PRINT_GLYPHS`, then ``extra`` (the setting ``amount_glyphs``,
    (glyph, digit) pairs; a glyph there overrides the code's), each glyph also with its
    ligatures ("ﬁ" wherever "fi" is read)."""
    table = {**PRINT_GLYPHS, **dict(extra)}
    for glyph, digit in list(table.items()):
        for letters, ligature in LIGATURES.items():
            if letters in glyph:
                table.setdefault(glyph.replace(letters, ligature), digit)
    return table


@dataclass
class Chunk:
    """One whitespace-delimited chunk of the text; ``reading`` its amount reading (or '')."""

    start: int
    end: int
    text: str
    prefix: str = ""
    number: str = ""
    unit: str = ""
    stop: bool = False
    reading: str = ""
    digits: bool = False  # already an amount in digits ("6d.", "£47")
    glyphs: list[str] = field(default_factory=list)  # the letters read, "I->1"
    zipf: float = 0.0  # of the chunk's letters as a word ("Is" -> is)
    word: bool = False  # its letters spell a real word
    confirmed: bool = False  # a reading applied: an amount for its neighbours

    @property
    def core_end(self) -> int:
        """The end of the amount, before its stop."""
        return self.start + len(self.prefix) + len(self.number) + len(self.unit)

    @property
    def amount(self) -> bool:
        """In the shape of an amount, in digits or read from letters."""
        return self.digits or bool(self.reading)


def shape_pattern(prefixes, units, table: Mapping[str, str]) -> re.Pattern:
    """A chunk that may be an amount: a sign or not, a number, a unit or not, a stop or not."""
    prefix = "|".join(map(re.escape, prefixes)) or "(?!)"
    unit = "|".join(map(re.escape, units)) or "(?!)"
    glyph = "|".join(sorted(map(re.escape, table), key=len, reverse=True)) + "|[0-9]"
    return re.compile(
        rf"(?P<prefix>{prefix})?(?P<number>(?:{glyph})+?)(?P<unit>{unit})?(?P<stop>[.,;:]*)"
    )


def read_number(number: str, table: Mapping[str, str]) -> tuple[str, list[str]]:
    """The digits of ``number`` (glyphs of ``table`` and digits), left to right, and the
    glyphs read (a glyph of two letters, "fi", is one)."""
    out, glyphs, i = [], [], 0
    while i < len(number):
        glyph = number[i : i + 2] if number[i : i + 2] in table else number[i]
        out.append(table.get(glyph, glyph))
        if glyph in table:
            glyphs.append(f"{glyph}->{table[glyph]}")
        i += len(glyph)
    return "".join(out), glyphs


def parse(match_start: int, text: str, pattern: re.Pattern, table: Mapping[str, str]) -> Chunk:
    """A chunk with its amount reading, if its shape is one (see the module docstring)."""
    chunk = Chunk(match_start, match_start + len(text), text)
    match = pattern.fullmatch(text)
    if not match or not (match["prefix"] or match["unit"]):
        return chunk
    chunk.prefix, chunk.number = match["prefix"] or "", match["number"]
    chunk.unit, chunk.stop = match["unit"] or "", match["stop"].startswith(".")
    digits, chunk.glyphs = read_number(chunk.number, table)
    both = bool(chunk.prefix and chunk.unit)  # "£Is": no amount
    many = not chunk.prefix and len(chunk.glyphs) > 1  # "Ibid." is no 161d, "Ibs." no 16s
    zero = len(digits) > 1 and digits[0] == "0"  # "Od" is 0d, "oils" no number
    if not chunk.glyphs:
        chunk.digits = True
    elif not (both or many or zero):
        chunk.reading = f"{chunk.prefix}{digits}{chunk.unit}"
    return chunk


def chunks(text: str, settings) -> list[Chunk]:
    """The text's whitespace-delimited chunks, each parsed (:func:`parse`)."""
    table = glyph_table(settings.amount_glyphs)
    pattern = shape_pattern(settings.amount_prefixes, settings.amount_units, table)
    return [parse(m.start(), m.group(), pattern, table) for m in re.finditer(r"\S+", text)]


def rank(chunk: Chunk, units) -> int:
    """Place in money order: a sign first, then the units in the schema's order."""
    return -1 if chunk.prefix and not chunk.unit else list(units).index(chunk.unit)


def neighbours(chunks_: list[Chunk], i: int, units) -> tuple[list[Chunk], list[bool]]:
    """The amounts next to chunk ``i`` that count (in digits, a reading applied, or another
    reading with stops on both and in money order) and whether each is in money order."""
    chunk, near, ordered = chunks_[i], [], []
    for j, before in ((i - 1, True), (i + 1, False)):
        if not 0 <= j < len(chunks_) or not chunks_[j].amount:
            continue
        other = chunks_[j]
        places = (rank(other, units), rank(chunk, units))
        in_order = places[0] < places[1] if before else places[0] > places[1]
        if not (other.digits or other.confirmed or (other.stop and chunk.stop and in_order)):
            continue
        near.append(other)
        ordered.append(in_order)
    return near, ordered


def verdict(chunks_: list[Chunk], i: int, units) -> tuple[str, list[str]]:
    """('apply' | 'review' | '', the evidence) for the reading of chunk ``i``."""
    chunk, evidence = chunks_[i], []
    if chunk.word:
        evidence.append(f"a real word (Zipf {chunk.zipf:.2f})")
    if chunk.prefix:
        # "£Ill", "£boil", "£IS": a word in its ordinary spelling is no misread number
        letters = chunk.number
        plain = letters.islower() or letters.istitle() or letters.isupper()
        if chunk.word and len(chunk.glyphs) > 1 and plain:
            return "review", [*evidence, "a currency sign", "a word in ordinary case"]
        return "apply", [*evidence, "a currency sign"]
    near, ordered = neighbours(chunks_, i, units)
    if near:
        order = " in money order" if any(ordered) else ""
        evidence.append(f"next to {' and '.join(o.text for o in near)}{order}")
    if chunk.stop:
        evidence.append("a stop after the unit")
    if not chunk.word:
        # a neighbour out of money order is no price beside it: "June 3d. fid." is queued
        return ("apply" if any(ordered) else "review" if chunk.stop else ""), evidence
    # a real word between amounts may be the word ("worth £1. Is 6d. too much?"): queued
    return ("review" if any(ordered) else ""), evidence  # not "June 3d. Is it?"


def amount_corrections(
    text: str, settings, *, cautious: bool = False, settled: Iterable[tuple[int, int]] = ()
) -> tuple[list[Edit], list[dict]]:
    """Edits (rule ``amount``) and review rows of the amounts read in ``text``; a chunk whose
    letters spell a word of Zipf frequency ``settings.lexicon_min_zipf`` or more is a real
    word. A reading applied counts as an amount in digits for its neighbours ("£l. fis. fid."):
    the passes repeat until no more is applied. ``cautious`` (a text of older spelling):
    every reading is only queued. ``settled``: the spans of the tokens a witness settled; a
    chunk overlapping one gets no reading, but an amount in digits there still counts for its
    neighbours ("2s" a witness agrees with, next to "fid")."""
    units, parsed, settled = settings.amount_units, chunks(text, settings), list(settled)
    for chunk in parsed:
        if any(a < chunk.end and chunk.start < b for a, b in settled):
            chunk.reading = ""  # an amount in digits a witness agrees with still vouches
            continue
        letters = chunk.text[len(chunk.prefix) : chunk.core_end - chunk.start].lower()
        chunk.zipf = zipf_frequency(letters) if chunk.reading else 0.0
        chunk.word = bool(chunk.reading) and chunk.zipf >= settings.lexicon_min_zipf
    verdicts: dict[int, tuple[str, list[str]]] = {}
    while True:
        before = sum(chunk.confirmed for chunk in parsed)
        for i, chunk in enumerate(parsed):
            if chunk.reading and not chunk.confirmed:
                verdicts[i] = verdict(parsed, i, units)
                chunk.confirmed = verdicts[i][0] == "apply"
        if sum(chunk.confirmed for chunk in parsed) == before:
            break
    edits, review = [], []
    for i, (kind, evidence) in sorted(verdicts.items()):
        chunk = parsed[i]
        if kind == "apply" and cautious:
            kind, evidence = "review", [*evidence, "older spelling: queued only"]
        glyphs = ", ".join(chunk.glyphs)
        note = f"amount: read as {chunk.reading} ({glyphs}); " + "; ".join(evidence)
        if kind == "apply":
            edits.append(Edit(chunk.start, chunk.core_end, chunk.reading, RULE, note))
        elif kind == "review":
            row = review_row(text, chunk.start, chunk.core_end, chunk.reading, note, RULE, 0.5)
            review.append(row)
    return edits, review
