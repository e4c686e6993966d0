"""Readings of a token touching a junk character that stands for a letter the OCR did not
recognise ("case#," -> cases, "lit#" -> life, "•bis" -> this).

A junk character is a symbol no text puts against a word (:func:`is_junk`: "#", "•", "■",
"^", "|"...; not punctuation, quotes, brackets, footnote marks, currency, trademark or degree
signs) directly after the token and before a space, punctuation or the end, or directly
before it after a space or the start; one between two words is the re-segmentation's
(:mod:`.segment`). The form with the junk (lowercase) gets the candidates of any non-word
(:meth:`.channel.Decoder.candidates`), each scored against the token's letters with the junk
dropped: both pay the channel cost of their edits from the form as printed, so the language
model decides whether the junk was a letter ("cases") or noise ("case", left as printed).
"""

from __future__ import annotations

import unicodedata

#: Symbols that do stand against words: footnote marks, per cent, ampersand, slash, at, the
#: ellipsis and primes, angle brackets and the "¬" some transcriptions use for a line-end
#: hyphen; marks of kind "Sc" (currency) are never junk either.
LEGIT_SYMBOLS = frozenset("*†‡§¶%&/@…′″·°©®™<>¬")
#: Unicode categories of junk: other punctuation, math, modifier and other symbols.
JUNK_CATEGORIES = frozenset({"Po", "Sm", "Sk", "So"})
#: Punctuation that may follow a word (so the junk before it ends the word).
WORD_END = frozenset(".,;:!?'\"’”)]")


def is_junk(char: str) -> bool:
    """Whether ``char`` is a symbol no text puts against a word (see the module docstring)."""
    return (
        unicodedata.category(char) in JUNK_CATEGORIES
        and char not in LEGIT_SYMBOLS
        and char not in WORD_END
    )


def junk_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the token ``text[start:end]`` with the junk character directly after it
    (then a space, a word-end punctuation mark or the end) or directly before it (after a space
    or the start); None if there is none."""
    after, beyond = text[end : end + 1], text[end + 1 : end + 2]
    if after and is_junk(after) and (not beyond or beyond.isspace() or beyond in WORD_END):
        return start, end + 1
    before, behind = text[start - 1 : start] if start else "", text[start - 2 : start - 1]
    if before and is_junk(before) and (start < 2 or behind.isspace()):
        return start - 1, end
    return None


def junk_readings(decoder, text: str, toks, i: int, context, written: str) -> list[tuple]:
    """Readings ``(gain, words, lm, channel, i)`` of token ``i`` with its junk character read
    as a letter; empty if no junk touches it. The gain is over ``written`` (the token's
    letters, or the channel's unknown word for debris) with the junk dropped; the context
    reaches across the junk to a word one space away (:class:`.channel.Context`)."""
    token = toks[i]
    span = junk_span(text, token.start, token.end)
    if span is None:
        return []
    after = span[1] > token.end
    spaced = (
        i + 1 < len(toks) and text[span[1] : toks[i + 1].start] == " "
        if after
        else i > 0 and text[toks[i - 1].end : span[0]] == " "
    )
    left = context.left(i, across=spaced and not after)
    right = context.right(i, across=spaced and after)
    form = text[span[0] : span[1]].lower()
    # the gain's parts, as for any reading: the language model's over the token as written,
    # the channel's over dropping the junk (a letter read costs its edit, noise its drop)
    written_lm, dropped = decoder.lm(left, [written], right), decoder.channel.log10(form, token.key)
    readings = [
        ([word], decoder.channel.log10(form, word) - dropped)
        for word in decoder.candidates(form, False)
        if word != token.key
    ]
    return [(*row, i) for row in decoder.scored(left, right, written_lm, readings)]
