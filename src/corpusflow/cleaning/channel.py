"""A noisy-channel corrector for OCR without witnesses: substitutions, splits and joins.

For every word token the witnesses do not settle, the reading ``w`` that maximises
``log10 P(w | neighbours) + log10 P(ocr | w)`` is chosen among the token as written and its
candidates, and replaces the token when it beats the token by ``channel_min_gain`` (log10);
a reading that beats it by ``channel_review_gain`` goes to the review queue instead.

- **Candidates**: English and document words within Levenshtein distance 2 of the token
  (a deletion index, :class:`~corpusflow.cleaning.lexicon.CandidateIndex`, searched with the
  token's deletions at depth 2), its OCR-confusion variants (rn/m, li/h, cl/d ...) and, for
  a longer non-word, words one edit away once OCR confusions are folded
  (:func:`~corpusflow.cleaning.lexicon.confusable_words`); a token with a junk character
  beside it ("case#", "•bis", also a lowercase lone letter, "b#"), the candidates of that form
  (:mod:`.junk`); a word with digits read for letters ("mo9t"), those of a non-word
  (:func:`digits_for_letters`). A real word gets
  only candidates one OCR confusion or one edit away and needs ``channel_realword_extra``
  more gain (not when its junk character is read as a letter); an
  English word with a capital is scored only at a sentence start or in capitals (inside a
  sentence, a name); a capitalised word after a title or an initial and its stop ("Mrs.
  Chave") is read alone only as a name (:meth:`Decoder.name_like`).
  Splits: a non-word that is two words run together
  ("ofthe"). Joins: two neighbouring tokens that are one word ("De cember" after a lost
  line-end hyphen, "w^ork" with junk inside, "gov ernment", "con tented"; a garbled
  reading of two words, or a single letter joined, needs ``channel_realword_extra`` more
  gain, and so does a join in older spelling unless it is of the letters as written with a
  fragment, "busi nesse": :func:`.segment.join_needs_extra`). A word
  hyphenated in the OCR whose parts are not words is read as one word, the hyphen kept
  ("ques-tfon" -> ques-tion, :mod:`.hyphenated`).
- **Language model**: the CMU trigram model bundled in pocketsphinx (:mod:`.trigram`), two
  words of context on each side. A token that it does not know is scored as a word of Zipf
  frequency ``channel_oov_zipf`` (or its own wordfreq frequency if that is higher), so that a
  rare name is not replaced by a common word on the language model alone.
- **Channel model**: ``channel_edit_log10`` per unit of OCR-weighted edit distance (an OCR
  confusion is half a unit, :func:`~corpusflow.cleaning.lexicon.ocr_distance`), learned from
  the document's own OCR by self-training: a first pass with that prior, then every
  character operation of the first pass's corrections (and a space inside a word, by its
  joins of the letters as written, :func:`.segment.learned`) is made likelier by log10(1 +
  its count), at most ``channel_learn_cap`` (and such joins across line ends, more of them
  than the line-end hyphens the OCR kept, make the others there cost half a unit before
  that: :func:`.segment.lost_hyphen`); the second pass decides. Nothing from a gold
  standard is used.

The decoder (:mod:`.decoding`) runs left to right; the left context is the readings already
chosen, the right context the previous pass's readings (:class:`Context`). Every edit logs
its gain, the language model and channel parts and the runners-up.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from corpusflow.cleaning import hyphenated, junk, trigram
from corpusflow.cleaning.lexicon import (
    FOLD,
    CandidateIndex,
    Lexicon,
    confusable_words,
    historical_variant,
    inflection_variant,
    ocr_distance,
    older_spellings,
    spelling_key,
    zipf_frequency,
)
from corpusflow.cleaning.settings import CleaningSettings
from corpusflow.cleaning.structure import NO_LINE_ENDS, LineEnds
from corpusflow.cleaning.words import Token

RULE = "channel"
#: Shorter non-words get no readings from :func:`~.lexicon.confusable_words` (too many).
CONFUSABLE_MIN_LENGTH = 4
#: A number after one or two letters ("No3", "p12"): never read as a word.
NUMBER_FORM = re.compile(r"[^\W\d_]{1,2}\d+")
#: A number with letters OCR reads for digits (l, I, i for 1; o, O for 0, never first) and an
#: ending: shillings or pence ("l0s", "I5d") or an ordinal that fits the number ("I5th",
#: "l1th"; not "l0st", "o1d": those are words).
NUMBER_WITH_LETTERS = re.compile(
    r"(?P<number>[\dli][\dlio]*)(?P<ending>[sd]|st|nd|rd|th)?", re.IGNORECASE
)
#: The digits read for the letters of a :data:`NUMBER_WITH_LETTERS`.
LETTER_DIGITS = str.maketrans("lio", "110")
#: Stands for OCR debris in the language model ("aU" is not the word "au"): an unknown word.
UNKNOWN = "\u2063"


@dataclass
class Channel:
    """Channel model log10 P(ocr | word): a prior per unit of OCR-weighted distance, plus
    what self-training learned about character operations."""

    edit_log10: float
    learn_cap: float
    learned: Counter = field(default_factory=Counter)

    def log10(self, ocr: str, word: str) -> float:
        if ocr == word:
            return 0.0
        score = self.edit_log10 * ocr_distance(ocr, word)
        if self.learned:
            for operation in operations(word, ocr):
                score += min(self.learn_cap, math.log10(1 + self.learned[operation]))
        return min(score, 0.0)


def operations(word: str, ocr: str) -> list[tuple]:
    """Character operations turning ``word`` into ``ocr`` (lowercase), as hashable keys."""
    return [
        (kind, word[i] if kind != "insert" else "", ocr[j] if kind != "delete" else "")
        for kind, i, j in Levenshtein.editops(word, ocr)
    ]


@dataclass
class Decision:
    """A chosen reading of tokens ``first``..``last`` (inclusive): the text span, the
    replacement, its gain over the text as written and the evidence."""

    start: int
    end: int
    after: str
    gain: float
    evidence: str
    kind: str
    ocr: str = ""
    word: str = ""
    last: int = 0


def realword_extra(settings: CleaningSettings, noise: float, cautious: bool) -> float:
    """The extra gain a real word, a capitalised word or a join (when
    :func:`.segment.join_needs_extra`) need in a document of this noise share
    (:mod:`.noise`): ``channel_realword_extra``, lowered by
    log10(noise / ``channel_noise_reference``) where the document is noisier than that (the
    prior odds of a real-word error grow with the document's error rate), never below 0. A
    text in older spelling keeps all of it: its "non-words" are period spellings."""
    full = settings.channel_realword_extra
    if cautious or noise <= settings.channel_noise_reference:
        return full
    return max(0.0, full - math.log10(noise / settings.channel_noise_reference))


@lru_cache(maxsize=8)
def fallback_title(titles: tuple) -> str:
    """The title asked after an initial or a title the language model does not know: the
    first of ``titles`` (lowercase) that it knows, '' if none."""
    return next((title for title in titles if trigram.known(title)), "")


class Decoder:
    """Scores readings of one document's tokens (see the module docstring)."""

    def __init__(
        self,
        settings: CleaningSettings,
        lexicon: Lexicon,
        index: CandidateIndex,
        *,
        cautious: bool,
        noise: float,
        line_ends: LineEnds = NO_LINE_ENDS,
    ):
        self.s, self.lexicon, self.index, self.cautious = settings, lexicon, index, cautious
        self.line_ends = line_ends  # the spaces that join wrapped lines, the hyphens kept
        self.channel = Channel(settings.channel_edit_log10, settings.channel_learn_cap)
        self.extra = realword_extra(settings, noise, cautious)
        self.noise = noise  # the document's noise share, for diagnose_channel.py's trace
        self._candidates: dict[str, list[str]] = {}

    # --- language model ---------------------------------------------------------------
    def unknown_log10(self, key: str) -> float:
        """Unigram log10 probability given to a token that is no English word."""
        return max(self.s.channel_oov_zipf, zipf_frequency(key)) - 9.0

    def scored(self, left: tuple, right: tuple, base: float, readings) -> list[tuple]:
        """``(gain, words, lm, channel)`` of each reading ``(words, channel log10)`` between
        the ``left`` and ``right`` context: the language model's gain over ``base`` (log10 P
        of the tokens as written there) plus the channel's."""
        rows = []
        for words, channel in readings:
            lm = self.lm(left, words, right)
            rows.append((lm + channel - base, words, lm - base, channel))
        return rows

    def lm(self, left: tuple, words: list[str], right: tuple) -> float:
        """log10 P of ``words`` and then the ``right`` context after the ``left`` context
        (each two words, nearest inner; None past a sentence or punctuation) in the trigram
        model (:mod:`.trigram`); a word it does not know is scored as an unknown word
        (:meth:`unknown_log10`) and cuts the history."""
        history = []
        for word in left:
            history = [*history, word][-2:] if word is not None and trigram.known(word) else []
        score = 0.0
        for word in [*words, *right]:
            if word is None:
                break
            if trigram.known(word):
                first = history[-2] if len(history) > 1 else None
                score += trigram.log10(word, first, history[-1] if history else None)
                history = [*history, word][-2:]
            else:
                score += self.unknown_log10(word)
                history = []
        return score

    # --- candidates -------------------------------------------------------------------
    def candidates(self, key: str, real: bool) -> list[str]:
        cache_key = f"{key}|{real}"
        if cache_key not in self._candidates:
            self._candidates[cache_key] = self._find(key, real)
        return self._candidates[cache_key]

    def _find(self, key: str, real: bool) -> list[str]:
        found = self.search(key, real)
        return sorted(word for word in found if self.drop_reason(key, word, real) is None)

    def search(self, key: str, real: bool) -> set[str]:
        """The index search for lowercase ``key``: a real word's words one edit or one OCR
        confusion away, a non-word's two edits away and, from four letters, one edit away
        once letters are folded to their confusion class ("caratnl", "careful")."""
        if real:
            return self.index.candidates(key)
        found = self.index.within_two(key)
        if len(key) >= CONFUSABLE_MIN_LENGTH:
            found |= confusable_words(key, self.s.candidate_vocabulary_size)
        return found

    def drop_reason(self, key: str, word: str, real: bool) -> str | None:
        """Why ``word``, found by the index search for lowercase ``key``, is no reading (None:
        it is one); the filters in the order they apply."""
        if word == key or len(word) < 2 or not word.isalpha():
            return "the token itself, one letter or not letters"
        edits = Levenshtein.distance(key, word, score_cutoff=5)
        if edits > 4:  # an OCR confusion costs at least half an edit per letter pair
            return "more than four edits"
        distance = ocr_distance(key, word)
        if distance > (1.0 if real else 2.0) and edits > 2:
            return "beyond reach"
        if real and distance > 1.0:
            return "a real word's reading beyond one OCR-weighted unit"
        if real and zipf_frequency(word) < self.s.candidate_min_zipf:
            return "under candidate_min_zipf"
        # no transliteration keys here: they equate doubled letters (smal, small)
        if spelling_key(word, False) == spelling_key(key, False):
            return "a spelling variant"
        if historical_variant(key, word):
            return "an older spelling"
        if real and inflection_variant(key, word):
            return "an inflection"
        return None

    def split(self, key: str) -> list[tuple[str, str]]:
        """Ways to read a non-word as two words run together."""
        pairs = []
        for i in range(1, len(key)):
            left, right = key[:i], key[i:]
            shape = (len(left) > 1 or left in ("a", "i")) and (len(right) > 1 or right == "a")
            if shape and min(map(zipf_frequency, (left, right))) >= self.s.candidate_min_zipf:
                pairs.append((left, right))
        return pairs

    def is_word(self, key: str) -> bool:
        """A real word: frequent enough in English (``lexicon_min_zipf``; in a text in older
        spelling, ``channel_oov_zipf``: shew, spake, bade), or in the document (names, terms).
        symspellpy's list alone is not enough: it holds OCR debris ("ell")."""
        lexicon = self.lexicon
        return self.is_english(key) or lexicon.corpus_words[key] >= lexicon.min_corpus_count

    def is_english(self, key: str) -> bool:
        """A word of English, not only of the document (see :meth:`is_word`)."""
        known = self.cautious or trigram.known(key)
        floor = self.s.channel_oov_zipf if known else self.lexicon.min_zipf
        return zipf_frequency(key) >= floor

    def name_like(self, word: str, title: str) -> bool:
        """Whether the language model finds ``word`` likelier after ``title`` (lowercase;
        for an initial or a title it does not know, :func:`fallback_title`) than alone: a
        name it has seen after one ("jones" after "mr"), seldom a common word ("have" after
        "mrs"). False for every word if no title of ``name_titles`` is known to it."""
        if not trigram.known(word):
            return False
        if not (title in self.s.name_titles and trigram.known(title)):
            title = fallback_title(self.s.name_titles)
        return bool(title) and trigram.log10(word, None, title) > trigram.log10(word, None, None)

    def period_spelling(self, key: str) -> bool:
        """In a text in older spelling, a form that is an older spelling of a vocabulary word
        (olde, doore, thinke): queued, never replaced."""
        return self.cautious and bool(older_spellings(key) & self.index.vocabulary)


def decide_token(
    decoder: Decoder, left: tuple, key: str, right: tuple, real: bool, debris: bool = False
) -> list[tuple]:
    """Scored readings of one token: ``(gain, reading words, lm, channel)``, best first; the
    gain is over the token as written (``debris``: scored as an unknown word, whatever word
    its letters spell)."""
    base = decoder.lm(left, [UNKNOWN if debris else key], right)
    readings = [
        ([word], decoder.channel.log10(key, word)) for word in decoder.candidates(key, real)
    ]
    if not real:
        readings += [(list(pair), decoder.s.channel_edit_log10) for pair in decoder.split(key)]
    scored = decoder.scored(left, right, base, readings)
    scored.sort(key=lambda row: (-row[0], row[1]))
    return scored


class Context:
    """The readings around each token in one pass: on the left the readings this pass chose,
    on the right those of ``guide`` (the previous pass's readings; the text's at first).
    A neighbour across anything but one space is None (:class:`~.words.Token`)."""

    def __init__(self, toks: list[Token], guide: list[str | None]):
        self.toks, self.chosen, self.guide = toks, [t.key for t in toks], guide

    def left(self, i: int, across: bool = False) -> tuple:
        """The two readings before token ``i`` (``across``: whatever separates them)."""
        toks, chosen = self.toks, self.chosen
        if i == 0 or (toks[i].previous is None and not across):
            return (None, None)
        far = chosen[i - 2] if i > 1 and toks[i - 1].previous is not None else None
        return (far, chosen[i - 1])

    def right(self, j: int, across: bool = False) -> tuple:
        """The two readings after token ``j`` (``across``: whatever separates them)."""
        toks, guide = self.toks, self.guide
        if j + 1 >= len(toks) or (toks[j].following is None and not across):
            return (None, None)
        far = guide[j + 2] if j + 2 < len(toks) and toks[j + 1].following is not None else None
        return (guide[j + 1], far if guide[j + 1] is not None else None)

    def choose(self, i: int, words: list[str], last: int) -> None:
        """Record reading ``words`` of tokens ``i`` to ``last``: the token after them sees
        the reading's last two words (or the word before them and the joined word)."""
        self.chosen[i : last + 1] = [*self.left(i), *words][-(last - i + 1) :]


def skip_reason(text: str, token: Token, protected: frozenset) -> str:
    """Why the decoder scores no reading that starts or joins at ``token`` ('' if it does)."""
    if token.key in protected:
        return "protected term"
    if not (token.key.isalpha() or digits_for_letters(token.text)):
        return "digit or apostrophe"
    return ""


def digits_for_letters(word: str) -> bool:
    """Whether ``word`` (as written) is a word with digits read for letters ("mo9t",
    "c0ntents", "MEDAL8"): letters and digits only, a letter first, fewer digits than letters,
    each digit an OCR confusion of a letter (0/o, 1/l, 5/s, 8/s, 6/b, 9/g; not 2, 3, 4, 7),
    a digit at the end only as 5 or 8 for S in a word in capitals ("MEDAL8"; a footnote
    number, "treaty3", "TREATY1", or a code, "blS2", stays), and no number
    (:data:`NUMBER_FORM`, :func:`number_with_letters`).
    Its readings are those of any non-word. A digit first is a number ("3s", "21st", "8vo",
    "2lst") or a garble read as often wrong as right ("8wan" as "war", "8tre")."""
    digits = [c for c in word if c.isdigit()]
    letters = sum(c.isalpha() for c in word)
    if not word[:1].isalpha() or not 0 < len(digits) < letters:
        return False
    if len(digits) + letters != len(word) or not all(c in FOLD for c in digits):
        return False
    if word[-1].isdigit() and not (word.isupper() and word[-1] in "58"):
        return False
    return not (NUMBER_FORM.fullmatch(word) or number_with_letters(word))


def number_with_letters(word: str) -> bool:
    """Whether ``word`` is a :data:`NUMBER_WITH_LETTERS` (with a digit, its ordinal ending
    the one its last digits take)."""
    match = NUMBER_WITH_LETTERS.fullmatch(word)
    if not match or not any(c.isdigit() for c in match["number"]):
        return False
    number = match["number"].lower().translate(LETTER_DIGITS)
    ending = (match["ending"] or "").lower()
    if ending in ("", "s", "d"):
        return True
    tens, last = number[-2:-1], number[-1]
    fits = {"1": "st", "2": "nd", "3": "rd"}.get(last, "th") if tens != "1" else "th"
    return ending == fits


def alone_reason(decoder: Decoder, text: str, toks: list[Token], i: int) -> str:
    """Why the decoder scores no reading of token ``i`` alone ('' if it does; it may still be
    part of a join): one letter (unless lowercase with a junk character touching it, "b#",
    "•f": then only the junk read as a letter is scored, :func:`.decoding.token_readings`);
    a part of a
    hyphenated word (unless a non-word of three letters or more whose other part is an
    English word or a capitalised name of three letters or more and which with it makes no
    word: "Oxford-stroet", "Welbeck-slreet", not "con-dition"; it is read after or before that
    part, :func:`.hyphenated.sides`); a capitalised English word inside a sentence (a name;
    a form only the document repeats, "Hke" for "like", is scored)."""
    token = toks[i]
    if len(token.key) < 2 and not (
        token.text.islower() and junk.junk_span(text, token.start, token.end)
    ):
        return "one letter"
    left, right = hyphenated.hyphen_sides(text, token)
    if left or right:
        j = i - 1 if left else i + 1
        other = toks[j] if 0 <= j < len(toks) else None
        joined = other is not None and (
            other.end + 1 == token.start or token.end + 1 == other.start
        )
        whole = (left and right) or not joined or min(len(other.key), len(token.key)) < 3
        one_word = whole or decoder.is_word(
            other.key + token.key if left else token.key + other.key
        )
        # a capitalised part is a name ("Welbeck-slreet"), as good a neighbour as English
        named = not whole and other.text[:1].isupper() and not other.inner_capital
        if one_word or not (named or decoder.is_english(other.key)) or decoder.is_word(token.key):
            return "next to a hyphen"
    capital = token.text[:1].isupper() and not token.text.isupper() and not token.inner_capital
    if capital and not token.sentence_start and decoder.is_english(token.key):
        return "capitalised word inside a sentence"
    return ""
