"""Re-segmentation for the noisy channel: readings of two neighbouring OCR tokens as one word
("Maga ine" -> Magazine, "Con servatives" -> Conservatives, "w^ork" -> work), and of a
run-together token the document uses often as two words ("ofthe" -> of the).

The two tokens are separated by one space or one or two junk characters (:data:`JUNK_GAP`),
or by a stop or comma inside a word (:data:`INNER_MARK`: "furn.shed", "t.he").
Their letters are concatenated (the junk dropped) and read as the concatenation if that is a
word (:func:`is_joined_word`: also a rarer word of symspellpy's list, "an tiquary"; and then
also with a gap that is no space read as a letter, "ta#te" -> taste: :func:`_gap_read`), else as a
word one OCR confusion or one edit from the concatenation or from the tokens as written with
the gap read for a lost letter ("Swi s" -> Swiss), also where both tokens are "words" ("h rd"
-> hard, "th ir" -> their: OCR fragments are often words by wordfreq's web counts) where one
has at most three letters and the language model does not read the two as a phrase ("of
the", :func:`garbled_tried`); such a reading needs the real-word extra
(:func:`join_needs_extra`). Windows of three tokens were built and measured: they changed
nothing on the tuning halves and made one wrong join on a newspaper page ("h an d" -> hand
for ", and").

Each reading is scored like any other (:func:`.channel.decide_token`): its language-model
gain over the tokens as written plus its channel cost, where every space deleted or inserted
and every junk character dropped costs one ``channel_edit_log10``, and a garbled word its
channel cost. A join of the letters as written ("con tented") is evidence that this
document's OCR loses line-end hyphens: each one the first pass applies makes a space inside a
word likelier in the second, as a learned character operation (:func:`learned`,
:func:`gap_log10`); such joins across wrapped lines' ends (:attr:`.channel.Decoder.line_ends`)
outnumbering the hyphens the layout step found there also make a join across a line end cost
half a unit (:data:`LINE_END_COST`, :func:`lost_hyphen`). Readings are
rows ``(gain, words, lm, channel, last)``, ``last`` the index of the last token read.
"""

from __future__ import annotations

import math
import re

from rapidfuzz.distance import Levenshtein

from corpusflow.cleaning import trigram
from corpusflow.cleaning.lexicon import (
    CONFUSION_COST,
    english_unigrams,
    ocr_distance,
    zipf_frequency,
)

#: What may separate the parts of a broken word: one space, or one or two junk characters
#: ("w^ork", "a|l"; not letters, digits, hyphens, apostrophes or punctuation).
JUNK_GAP = re.compile(r"^(?: |[^\w\s\-'’.,;:!?\"“”()]{1,2})$")

#: A stop or comma inside a word, read for a letter or as noise ("y.ar", "furn.shed"):
#: between letters, the part after it lowercase and of two letters or more (not "a.m",
#: "e.g", "J.Smith", "centres.If").
INNER_MARK = frozenset(".,")

#: What the channel learns from a join of the letters as written: a space inside a word (a
#: line-end hyphen lost). Not one of :func:`.channel.operations`: a garbled reading across a
#: space ("at ail" -> stall) is not made likelier by it.
SPACE_READ = ("join", "", " ")
#: Two parts of two letters or more across one space: the joins that teach and use it.
SPACED_PARTS = re.compile(r"\S{2,} \S{2,}")
#: A garbled reading of two tokens that are both words is tried only where one is this short
#: (an OCR fragment that wordfreq counts as a word: "h rd", "th ir", "Tr de"): for two longer
#: words it is rarely right, and it costs a candidate search for nearly every pair of words.
FRAGMENT_MAX_LENGTH = 3
#: ... and, for two parts of two letters or more that the trigram model knows, only where it
#: does not read them as a phrase: log10 P(second | first) at least this and more than
#: log10 P(second) alone (the model knows the pair; not a rare first part it backs off from,
#: "Wai son"). "Of the", "will be" are phrases; "Let eat", "Be tore", "Es#ay" are not. The cut
#: trades speed for recall (docs/cleaning.md): it skips a third of the searches and can only
#: lose a correction ("at ways" -> always). A single letter, which can read as a phrase ("d y":
#: -3.21 against -4.28 for "y" alone), or a part the model does not know ("th ir") is a fragment.
PHRASE_MIN_LOG10 = -4.0
#: Units of ``channel_edit_log10`` a join pays for a space that joins two wrapped lines
#: (:func:`.structure.joined_line_ends`): a word broken at a line end whose hyphen the OCR
#: lost, one faint mark misread, costs what an OCR confusion does
#: (:data:`.lexicon.CONFUSION_COST`), not what a space put inside a line does (one unit) ...
LINE_END_COST = CONFUSION_COST
#: ... once the document shows that its OCR loses them (:func:`lost_hyphen`): the first
#: pass joined the letters as written across line ends more often than the layout step found
#: line-end hyphens (a book whose OCR keeps its hyphens, with one lost, read "as such, in
#: subordination to" as "insubordination" at that cost when one join sufficed).
LINE_END_READ = ("join", "", "\n")


def learned(text: str, decisions, line_ends: frozenset[int] = frozenset()) -> list[tuple]:
    """The operations the joins among ``decisions`` (a pass's applied readings of ``text``)
    teach the channel: one :data:`SPACE_READ` per join of the letters as written of two parts
    of two letters or more across one space ("con tented"; not "w^ork", "t wins"), the joins
    :func:`gap_log10` makes likelier; and one :data:`LINE_END_READ` more where that space is
    one of ``line_ends`` (a line-end hyphen the OCR lost)."""
    found = []
    for d in decisions:
        if d.kind == "join" and d.word == d.ocr and SPACED_PARTS.fullmatch(text[d.start : d.end]):
            found.append(SPACE_READ)
            if any(k in line_ends for k in range(d.start, d.end)):
                found.append(LINE_END_READ)
    return found


def lost_hyphen(decoder, text: str, end: int, start: int) -> bool:
    """Whether the gap ``text[end:start]`` between two tokens is a word's lost line-end
    hyphen: one space that joins two wrapped lines (:attr:`.channel.Decoder.line_ends`), in a
    document whose first pass joined the letters as written across line ends
    (:data:`LINE_END_READ`) more often than the layout step found line-end hyphens kept."""
    line_ends, count = decoder.line_ends, decoder.channel.learned[LINE_END_READ]
    return text[end:start] == " " and end in line_ends.joined and count > line_ends.hyphens


def gap_log10(decoder, gap: str, keys: list[str], *, line_end=False, learn=True) -> float:
    """Channel log10 of reading ``gap`` (the characters between the parts ``keys``) as
    nothing: one ``channel_edit_log10`` per character, but a lost line-end hyphen
    (``line_end``, :func:`lost_hyphen`) :data:`LINE_END_COST` units. With ``learn``, the
    letters as written of parts of two letters or more across a space are made likelier by
    the document's first-pass joins of that kind, as any learned operation
    (:class:`.channel.Channel`): log10(1 + joins), at most ``channel_learn_cap``, and the
    sum at most 0; a lost hyphen gets both (half a unit, then the learned share)."""
    score = decoder.s.channel_edit_log10 * (LINE_END_COST if line_end else len(gap))
    if not learn or gap != " " or min(map(len, keys)) < 2:
        return score
    joins = decoder.channel.learned[SPACE_READ]
    return min(score + min(decoder.s.channel_learn_cap, math.log10(1 + joins)), 0.0)


def window_readings(decoder, text: str, toks, i: int, context, usable) -> list[tuple]:
    """Readings of token ``i`` alone (a run-together pair) and with the next token (see the
    module docstring); ``usable`` says whether the next token may be read with it (not
    covered by a witness, not protected, not part of a hyphenated word)."""
    rows = _run_together(decoder, toks[i].key, context.left(i), context.right(i), i)
    if i + 1 >= len(toks) or not usable(i + 1):
        return rows
    first, second = toks[i], toks[i + 1]
    gap = text[first.end : second.start]
    if not second.key.isalpha() or _capitals(decoder, first, second):
        return rows
    if JUNK_GAP.match(gap) or _inner_mark(gap, first, second):
        rows += _joined(decoder, text, first, second, i, context)
    return rows


def _inner_mark(gap: str, first, second) -> bool:
    """Whether ``gap`` is a stop or comma inside a word (:data:`INNER_MARK`)."""
    after = len(second.key) > 1 and second.text.islower()
    return gap in INNER_MARK and first.key.isalpha() and after


def join_needs_extra(decoder, parts, words: list[str], proper: bool) -> bool:
    """Whether a join of the tokens ``parts`` read as ``words`` needs the real-word extra.
    An exact join (the letters as written) of parts of two letters or more does not: the
    language model's gain is its evidence ("con tented", "pre ceded"); in a text in older
    spelling only where a part is no English word at ``lexicon_min_zipf`` ("busi nesse":
    "with out", "your selves", "he re" are period forms). Any other join does in older
    spelling, and elsewhere when every part is a word (a single letter joined to a word,
    "t wins", is as often an initial or debris) or when a garbled reading is capitalised
    (a name?)."""
    garbled = "".join(t.key for t in parts) != "".join(words)
    if not garbled and all(len(t.key) >= 2 for t in parts):
        if not decoder.cautious:
            return False
        if not all(zipf_frequency(t.key) >= decoder.lexicon.min_zipf for t in parts):
            return False
    later_capital = any(t.text[:1].isupper() for t in parts[1:])
    every_word = all(decoder.is_word(t.key) for t in parts)
    return every_word or decoder.cautious or ((proper or later_capital) and garbled)


def _capitals(decoder, *tokens) -> bool:
    """A word in capitals (a heading's, a drop capital's "T HE") is left as printed, as the
    decoder leaves capitalised words."""
    return any(t.text.isupper() and decoder.is_word(t.key) for t in tokens)


def _run_together(decoder, key: str, left: tuple, right: tuple, i: int) -> list[tuple]:
    """Two words run together in a token that counts as a word (used often in the document,
    or in wordfreq's web text: "ofthe") but that the trigram model does not know;
    :meth:`.channel.Decoder.split` covers non-words only."""
    if not decoder.is_word(key) or trigram.known(key):
        return []
    base = decoder.lm(left, [key], right)
    readings = [(list(pair), decoder.s.channel_edit_log10) for pair in decoder.split(key)]
    return [(*row, i) for row in decoder.scored(left, right, base, readings)]


def is_joined_word(decoder, joined: str) -> bool:
    """Whether the letters of two tokens, concatenated, are a word: of the document or of
    English (:meth:`.channel.Decoder.is_word`), a candidate, or a rarer word of symspellpy's
    list ("antiquary", "desideratum", "upholsterer"; the language model decides)."""
    vocabulary = decoder.index.vocabulary
    return decoder.is_word(joined) or joined in vocabulary or joined in english_unigrams()


def _joined(decoder, text: str, first, second, i: int, context) -> list[tuple]:
    """Readings of tokens ``i`` and ``i + 1`` as one word."""
    keys = [first.key, second.key]
    joined = "".join(keys)
    left, right = context.left(i), context.right(i + 1)
    base = decoder.lm(left, keys, right)
    readings = []  # ([word], channel log10)
    spaced = text[first.start : second.end].lower()
    gap_text = text[first.end : second.start]
    line_end = lost_hyphen(decoder, text, first.end, second.start)
    if is_joined_word(decoder, joined):
        readings.append(([joined], gap_log10(decoder, gap_text, keys, line_end=line_end)))
        # junk or a stop may hide a letter ("ta#te"): no search across a space, nor in older
        # spelling, where a mark may be a superscript abbreviation ("w^th", "y^t")
        if gap_text != " " and not decoder.cautious:
            for word in _gap_read(spaced, decoder.candidates(joined, False)):
                readings.append(([word], decoder.channel.log10(spaced, word)))
    elif garbled_tried(decoder, keys):
        # a line end's lost hyphen, but no space learned from joins of the letters as written
        gap = gap_log10(decoder, gap_text, keys, line_end=line_end, learn=False)
        for word in _garbled(keys, spaced, decoder.candidates(joined, False)):
            # the gap dropped and the letters garbled, or the gap read for a lost letter
            dropped = gap + decoder.channel.log10(joined, word)
            readings.append(([word], max(dropped, decoder.channel.log10(spaced, word))))
    return [(*row, i + 1) for row in decoder.scored(left, right, base, readings)]


def garbled_tried(decoder, keys: list[str]) -> bool:
    """Whether a garbled reading of the tokens ``keys`` is searched for: where a part is no
    word, or where one has at most :data:`FRAGMENT_MAX_LENGTH` letters and the two are no
    phrase (:data:`PHRASE_MIN_LOG10`)."""
    if not all(map(decoder.is_word, keys)):
        return True
    return min(map(len, keys)) <= FRAGMENT_MAX_LENGTH and not _phrase(*keys)


def _phrase(first: str, second: str) -> bool:
    """Two parts of two letters or more the trigram model knows and reads as a phrase."""
    if min(len(first), len(second)) < 2 or not (trigram.known(first) and trigram.known(second)):
        return False
    after = trigram.log10(second, None, first)
    return after >= PHRASE_MIN_LOG10 and after > trigram.log10(second, None, None)


def _gap_read(spaced: str, candidates: list[str]) -> list[str]:
    """The ``candidates`` that are the tokens as written with each character of the gap read
    as a letter ("ta#te" -> taste, where "tate" is a word too); the caller passes no gap
    that is a space."""
    return [
        word
        for word in candidates
        if len(word) == len(spaced)
        and all(a == b or not a.isalnum() for a, b in zip(spaced, word, strict=True))
    ]


def _garbled(keys: list[str], spaced: str, candidates: list[str]) -> list[str]:
    """The ``candidates`` (words within two edits of the tokens' letters) one OCR confusion
    or one edit from those letters ("Maga ine" -> magazine) or from the tokens as written, the
    gap read for a lost letter ("th s" -> this); and closer to them than to either token
    alone (not "of v" -> of). Two edits read too many broken names as words."""
    joined = "".join(keys)
    words = []
    for word in candidates:
        near = min(ocr_distance(joined, word), ocr_distance(spaced, word))
        distance = min(Levenshtein.distance(joined, word), Levenshtein.distance(spaced, word))
        if near <= 1.0 and all(Levenshtein.distance(key, word) > distance for key in keys):
            words.append(word)
    return words
