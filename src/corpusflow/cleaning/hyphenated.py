"""Words hyphenated in the OCR whose parts are not words, read as one word with the hyphen
kept ("ques-tfon" -> ques-tion, "horixen-tal" -> horizon-tal).

A token joined to the next by one hyphen (no space between) whose concatenation is no word
and whose parts are not both words is read as one non-word: its readings are the candidates
of the concatenation (:meth:`.channel.Decoder.candidates`, as for any non-word), each scored
by the language model in the place of the two tokens plus its channel cost from the
concatenation, against the concatenation as written. The hyphen costs nothing: it is kept,
where the reading's letters align with the concatenation's (:func:`spelled`), so that only
letters change. Left alone: a compound of two words ("Chancery-lane"), a word broken at a
hyphen whose parts make a word ("con-dition"), and hyphenated words of three parts or more.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from corpusflow.cleaning.lexicon import match_case

HYPHEN = "-"
#: The fewest letters of each part of a hyphenated word read as one word.
MIN_PART = 3


def readings(decoder, text: str, toks, i: int, context, free) -> list[tuple]:
    """Readings of tokens ``i`` and ``i + 1`` joined by a hyphen as one word (see the module
    docstring): rows ``(gain, [word], lm, channel, i + 1)``; ``free`` says whether token
    ``i + 1`` may be read (not covered by a witness, not protected, letters only)."""
    if not _one_word_in_parts(decoder, text, toks, i, free):
        return []
    first, second = toks[i], toks[i + 1]
    joined, span = first.key + second.key, text[first.start : second.end]
    left, right = context.left(i), context.right(i + 1)
    base = decoder.lm(left, [joined], right)
    readings = [
        ([word], decoder.channel.log10(joined, word))
        for word in decoder.candidates(joined, False)
        if spelled(span, word) is not None
    ]
    return [(*row, i + 1) for row in decoder.scored(left, right, base, readings)]


def _one_word_in_parts(decoder, text: str, toks, i: int, free) -> bool:
    """Whether tokens ``i`` and ``i + 1`` are the two parts of a hyphenated word whose
    concatenation is no word and whose parts are not both words."""
    if i + 1 >= len(toks) or not free(i + 1):
        return False
    first, second = toks[i], toks[i + 1]
    if text[first.end : second.start] != HYPHEN:
        return False
    if hyphen_sides(text, first)[0] or hyphen_sides(text, second)[1]:
        return False  # three parts or more
    if min(len(first.key), len(second.key)) < MIN_PART:
        return False  # "he-eby", "secoo-t": a short piece is as often debris as a syllable
    joined = first.key + second.key
    if decoder.is_word(joined) or joined in decoder.index.vocabulary:
        return False
    return not (decoder.is_word(first.key) and decoder.is_word(second.key))


def hyphen_sides(text: str, token) -> tuple[bool, bool]:
    """Whether a hyphen touches ``token`` on its left, on its right."""
    return text[token.start - 1 : token.start] == HYPHEN, text[token.end : token.end + 1] == HYPHEN


def spelled(span: str, reading: str) -> str | None:
    """``reading`` written in the form of ``span``: a hyphen wherever ``span`` has one, at the
    place where the reading's letters align with the span's, and each part in the case of the
    span's part (lower, Capitalised or UPPER); None if a part would be empty. A span without
    a hyphen gets its case only (:func:`.lexicon.match_case`)."""
    parts = span.split(HYPHEN)
    letters = "".join(parts).lower()
    bounds, at = [0], 0
    for part in parts[:-1]:
        at += len(part.lower())  # the place in ``letters`` (lowercasing may add letters)
        bounds.append(_aligned(letters, reading, at))
    bounds.append(len(reading))
    pieces = [reading[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    if not all(pieces):
        return None
    return HYPHEN.join(match_case(p, piece) for p, piece in zip(parts, pieces, strict=True))


def _aligned(source: str, target: str, at: int) -> int:
    """The place in ``target`` aligned with place ``at`` in ``source`` (letters inserted at
    that place go before it)."""
    for _, i1, i2, j1, j2 in Levenshtein.opcodes(source, target):
        if i1 <= at < i2:
            return j1 + min(at - i1, j2 - j1)
    return len(target)


def sides(text: str, toks, i: int, context) -> tuple[tuple, tuple]:
    """The context of token ``i`` as :class:`.channel.Context` gives it, where a hyphen joins
    it to its neighbour read as a space ("Chancery-lanv": "lanv" after "chancery")."""
    left, right = context.left(i), context.right(i)
    if i > 0 and text[toks[i - 1].end : toks[i].start] == HYPHEN:
        left = (context.left(i - 1)[1], context.chosen[i - 1])
    if i + 1 < len(toks) and text[toks[i].end : toks[i + 1].start] == HYPHEN:
        right = (context.guide[i + 1], context.right(i + 1)[0])
    return left, right
