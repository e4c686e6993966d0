"""Money amounts whose digits the OCR read as letters: "Is. 6d." for "1s. 6d.", "2s. fid."
for "2s. 6d.", "£lOO" for "£100".

No vocabulary holds amounts and "Is" is a common word, so the channel (:mod:`.channel`)
never reads them. A whitespace-delimited chunk is read as an amount when its SHAPE is one
(a currency sign of ``amount_prefixes`` or a unit of ``amount_units`` after a number whose
letters are all OCR readings of digits, :data:`GLYPH_DIGITS`) and its CONTEXT shows one
(:func:`verdict`): a currency sign; or a neighbouring amount (a number with digits and a unit
or sign, or another such reading) together with a stop after the unit or the neighbour in
money order (sign, then the units in the schema's order: "Is 6d", "£1. Is"). A real word
("Is", "id") needs more: amounts on both sides, or a capital where no sentence starts and
then such a neighbour with a stop or in order; "It Is a" stays. A reading with less evidence
(a non-word with a unit and a stop only; a real word with one neighbour) is queued for
review, never applied. Each edit (rule ``amount``) logs the glyphs read and its evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpusflow.cleaning.edits import Edit
from corpusflow.cleaning.lexicon import zipf_frequency
from corpusflow.cleaning.words import review_row

RULE = "amount"
#: Letters (and letter pairs) whose printed shapes OCR reads for digits, a property of print
#: not of a corpus: l, I, i, | for 1 (the channel's confusion group "iltfj1!|I"), O, o for 0,
#: S for 5, b for 6 (the groups "o0", "s58", "b6h"), and what the ICDAR 2017 tuning half's
#: "number" class shows (counts in docs/cleaning.md): "fi" and c, C, G for 6 (a 6 read as
#: the ligature or with its loop open), "ft" for 5, Z, z for 2. Not B for 8: seen once, for 2.
GLYPH_DIGITS = {
    "fi": "6",
    "ft": "5",
    **dict.fromkeys("lIi|", "1"),
    **dict.fromkeys("Oo", "0"),
    "S": "5",
    **dict.fromkeys("bcCG", "6"),
    **dict.fromkeys("Zz", "2"),
}
#: One digit of a number as printed: a digit or a letter of :data:`GLYPH_DIGITS`.
GLYPH = "|".join(sorted(map(re.escape, GLYPH_DIGITS), key=len, reverse=True)) + r"|\d"
#: A whole chunk that begins a sentence after it ends with one of these.
SENTENCE_END = re.compile(r"[.!?]['\"’”)]*$")


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
    glyphs: list = field(default_factory=list)  # the letters read, "I->1"
    confirmed: bool = False  # a reading applied: an amount for its neighbours

    @property
    def core_end(self) -> int:
        """The end of the amount, before its stop."""
        return self.start + len(self.prefix) + len(self.number) + len(self.unit)

    @property
    def amount(self) -> bool:
        """In the shape of an amount, in digits or read from letters."""
        return self.digits or bool(self.reading)


def shape_pattern(prefixes, units) -> re.Pattern:
    """A chunk that may be an amount: a sign or not, a number, a unit or not, a stop or not."""
    prefix = "|".join(map(re.escape, prefixes)) or "(?!)"
    unit = "|".join(map(re.escape, units)) or "(?!)"
    return re.compile(
        rf"(?P<prefix>{prefix})?(?P<number>(?:{GLYPH})+?)(?P<unit>{unit})?(?P<stop>[.,;:]*)"
    )


def read_number(number: str) -> tuple[str, list[str]]:
    """The digits of ``number`` (glyphs of :data:`GLYPH_DIGITS` and digits), left to right,
    and the glyphs read."""
    out, glyphs, i = [], [], 0
    while i < len(number):
        glyph = number[i : i + 2] if number[i : i + 2] in GLYPH_DIGITS else number[i]
        out.append(GLYPH_DIGITS.get(glyph, glyph))
        if glyph in GLYPH_DIGITS:
            glyphs.append(f"{glyph}->{GLYPH_DIGITS[glyph]}")
        i += len(glyph)
    return "".join(out), glyphs


def parse(match_start: int, text: str, pattern: re.Pattern) -> Chunk:
    """A chunk with its amount reading, if its shape is one (see the module docstring)."""
    chunk = Chunk(match_start, match_start + len(text), text)
    match = pattern.fullmatch(text)
    if not match or not (match["prefix"] or match["unit"]):
        return chunk
    chunk.prefix, chunk.number = match["prefix"] or "", match["number"]
    chunk.unit, chunk.stop = match["unit"] or "", match["stop"].startswith(".")
    digits, chunk.glyphs = read_number(chunk.number)
    if chunk.number.isdigit():
        chunk.digits = True
    elif not (len(digits) > 1 and digits[0] == "0"):  # "Od" is 0d, "oils" no number
        chunk.reading = f"{chunk.prefix}{digits}{chunk.unit}"
    return chunk


def chunks(text: str, settings) -> list[Chunk]:
    """The text's whitespace-delimited chunks, each parsed (:func:`parse`)."""
    pattern = shape_pattern(settings.amount_prefixes, settings.amount_units)
    return [parse(m.start(), m.group(), pattern) for m in re.finditer(r"\S+", text)]


def rank(chunk: Chunk, units) -> int:
    """Place in money order: a sign first, then the units in the schema's order."""
    return -1 if chunk.prefix and not chunk.unit else list(units).index(chunk.unit)


def verdict(chunks_: list[Chunk], i: int, units, word: bool) -> tuple[str, list[str]]:
    """('apply' | 'review' | '', the evidence) for the reading of chunk ``i``; ``word``: the
    chunk's letters spell a real word."""
    chunk, evidence = chunks_[i], []
    if chunk.prefix:
        return "apply", ["a currency sign"]
    ordered, near = False, []
    for j, before in ((i - 1, True), (i + 1, False)):
        if not 0 <= j < len(chunks_) or not chunks_[j].amount:
            continue
        other = chunks_[j]
        in_order = (rank(other, units) < rank(chunk, units)) == before and other.unit != chunk.unit
        # two readings vouch for each other only with stops, in money order
        if (
            other.digits
            or other.prefix
            or other.confirmed
            or (other.stop and chunk.stop and in_order)
        ):
            near.append(other.text)
            ordered |= in_order
    if near:
        evidence.append(f"next to {' and '.join(near)}{' in money order' if ordered else ''}")
    if chunk.stop:
        evidence.append("a stop after the unit")
    fits = bool(near) and (chunk.stop or ordered)
    if not word:
        return ("apply" if fits else "review" if chunk.stop else ""), evidence
    capital = chunk.number[:1].isupper() and not starts_sentence(chunks_, i)
    if capital:
        evidence.append("a capital where no sentence starts")
    if len(near) == 2 or (fits and capital):
        return "apply", evidence
    return ("review" if near else ""), evidence


def starts_sentence(chunks_: list[Chunk], i: int) -> bool:
    """Whether chunk ``i`` may begin a sentence: first, or after a stop that does not end an
    amount in digits, after a sign or read ("18s. Cd.", "£l. Is. Od.")."""
    if i == 0:
        return True
    previous = chunks_[i - 1]
    return bool(SENTENCE_END.search(previous.text)) and not (
        previous.digits or previous.prefix or previous.confirmed
    )


def amount_corrections(text: str, settings, min_zipf: float) -> tuple[list[Edit], list[dict]]:
    """Edits (rule ``amount``) and review rows of the amounts read in ``text``; a chunk whose
    letters spell a word of Zipf frequency ``min_zipf`` or more is a real word. A reading
    applied counts as an amount in digits for its neighbours ("£l. Is. Od."): the passes
    repeat until no more is applied."""
    units, parsed = settings.amount_units, chunks(text, settings)
    words = set()
    for i, chunk in enumerate(parsed):
        letters = chunk.text[len(chunk.prefix) : chunk.core_end - chunk.start].lower()
        if chunk.reading and zipf_frequency(letters) >= min_zipf:
            if len(chunk.glyphs) > 1:  # "Gold", "lid", "bills": words, not amounts
                chunk.reading = ""
            words.add(i)
    verdicts: dict[int, tuple[str, list[str]]] = {}
    while True:
        before = sum(chunk.confirmed for chunk in parsed)
        for i, chunk in enumerate(parsed):
            if chunk.reading and not chunk.confirmed:
                verdicts[i] = verdict(parsed, i, units, i in words)
                chunk.confirmed = verdicts[i][0] == "apply"
        if sum(chunk.confirmed for chunk in parsed) == before:
            break
    edits, review = [], []
    for i, (kind, evidence) in sorted(verdicts.items()):
        chunk = parsed[i]
        note = f"amount: read as {chunk.reading} ({', '.join(chunk.glyphs)}); " + "; ".join(
            evidence
        )
        if kind == "apply":
            edits.append(Edit(chunk.start, chunk.core_end, chunk.reading, RULE, note))
        elif kind == "review":
            row = review_row(text, chunk.start, chunk.core_end, chunk.reading, note, RULE, 0.5)
            review.append(row)
    return edits, review
