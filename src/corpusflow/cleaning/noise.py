"""Does a document declared OCR need correcting? An estimate from the text alone.

A user unsure of a text may declare a clean e-text as OCR. Its words are then at the mercy of
correctors built for noisy text, which change rare and period spellings. Before any word is
corrected, the share of the document's whitespace-separated tokens that look like OCR damage
is estimated:

- a **non-word**: a plain word (letters, inner apostrophes, surrounding punctuation) of two or
  more letters that wordfreq does not know at ``min_zipf`` and that the document uses fewer
  than three times (a period or proper spelling recurs; OCR damage rarely repeats exactly);
- **debris**: a token mixing letters with digits or stray characters ("tbe1", "w^ork", "a|l"),
  or a single letter other than "a", "A", "I" and "O"; not a number with an ordinal or money
  ending ("3rd", "1920s", "5s.", "6d."), a token with a hyphen, dash or slash, or an
  abbreviation ("U.S.A.").

Clean e-texts, witnesses and commentaries come out under 1%, and every document of the ICDAR
sets' OCR of older newspapers and books over it (tests/test_cleaning_noise.py holds both
sides). The estimate catches heavily damaged OCR only: a carefully made OCR text can measure
as clean (this study's does, below one of its witnesses); without witnesses it then gets no
word correction, and ``clean_text_max_noise: 0`` trusts the manifest instead.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

TOKEN = re.compile(r"\S+")
PLAIN = re.compile(
    r"""^["'‘“(\[]*([^\W\d_]+(?:['’][^\W\d_]+)*)["'’”)\].,;:!?]*$""",
)
LETTER = re.compile(r"[^\W\d_]")
#: Tokens with letters that are not debris: numbers with letters ("1920s", "3rd", shillings
#: "5s", pence and old ordinals "6d", "2d"), hyphenated and dashed forms (a line-end hyphen,
#: "self-activity"), abbreviations ("U.S.A.").
NOT_DEBRIS = re.compile(r"^[\W]*[0-9]+(?:st|nd|rd|th|s|d)?[\W]*$|.*[-–—/].*|^(?:[^\W\d_]\.)+\W*$")
SINGLE_LETTERS = frozenset("aAIO")
RECURRING = 3
DESCRIBED = re.compile(r"of (\d+) tokens, (\d+) non-words and (\d+) debris")


@dataclass(frozen=True)
class NoiseEstimate:
    """Tokens, non-words and debris of a document; ``share`` is their part of the tokens."""

    tokens: int
    nonwords: int
    debris: int

    @property
    def share(self) -> float:
        return (self.nonwords + self.debris) / self.tokens if self.tokens else 0.0

    def describe(self, limit: float) -> str:
        verdict = "looks clean" if self.share < limit else "looks like OCR"
        return (
            f"{verdict}: {self.share:.2%} of {self.tokens} tokens, {self.nonwords} non-words and "
            f"{self.debris} debris; limit {limit:.2%}"
        )

    @classmethod
    def parse(cls, evidence: str) -> NoiseEstimate:
        """The estimate back from its :meth:`describe` text (the review queue's note)."""
        tokens, nonwords, debris = DESCRIBED.search(evidence).groups()
        return cls(int(tokens), int(nonwords), int(debris))


def estimate_noise(text: str, zipf: Callable[[str], float], *, min_zipf: float) -> NoiseEstimate:
    """Count the tokens of ``text`` that look like OCR damage (see the module docstring);
    ``zipf`` maps a lowercase word to its wordfreq Zipf frequency."""
    plain: list[str] = []
    debris = 0
    tokens = TOKEN.findall(text)
    for token in tokens:
        match = PLAIN.match(token)
        if match:
            plain.append(match.group(1))
        elif LETTER.search(token) and not NOT_DEBRIS.match(token):
            debris += 1
    counts = Counter(word.lower() for word in plain)
    nonwords = 0
    for word in plain:
        if len(word) == 1:
            debris += word not in SINGLE_LETTERS
        elif counts[word.lower()] < RECURRING and zipf(word.lower()) < min_zipf:
            nonwords += 1
    return NoiseEstimate(len(tokens), nonwords, debris)
