"""Re-segmentation for the noisy channel: readings of a window of up to three OCR tokens as
other words ("Maga ine" -> Magazine, "Con servatives" -> Conservatives, "o f the" -> of
the), and of a run-together token the document uses often ("ofthe" -> of the).

A window is the token being decoded and the next one or two, separated by one space or one
or two junk characters (:data:`JUNK_GAP`: "w^ork"). Its letters are concatenated
(the junk dropped) and read as

- one word: the concatenation if it is a word, else (when a token of the window is no word)
  its candidates within two edits (:meth:`.channel.Decoder.candidates`): a word broken by a
  lost line-end hyphen and garbled too;
- two words (windows of three tokens, or a single token): the concatenation split where both
  halves are words (:meth:`.channel.Decoder.split`).

Each reading is scored like any other (:func:`.channel.decide_token`): its language-model
gain over the tokens as written plus its channel cost, where every space deleted or inserted
and every junk character dropped costs one ``channel_edit_log10`` and a garbled word its
channel cost from the concatenation. Readings are rows ``(gain, words, lm, channel, last)``,
``last`` the index of the window's last token.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from corpusflow.cleaning import trigram
from corpusflow.cleaning.lexicon import match_case, ocr_distance

#: What may separate the parts of a broken word: one space, or one or two junk characters
#: ("w^ork", "a|l"; not letters, digits, hyphens, apostrophes or punctuation).
JUNK_GAP = re.compile(r"^(?: |[^\w\s\-'’.,;:!?\"“”()]{1,2})$")

#: Letters that stand alone as words; any other single letter in a window is a fragment.
LONE_WORDS = frozenset({"a", "i", "o"})


def window_readings(decoder, text: str, toks, i: int, context, usable) -> list[tuple]:
    """Readings of the windows starting at token ``i`` (see the module docstring); ``usable``
    says whether a following token may join a window (not covered, not protected)."""
    rows = _run_together(decoder, toks[i].key, context.left(i), context.right(i), i)
    window = [toks[i]]
    for last in (i + 1, i + 2):
        if last >= len(toks) or not usable(last) or _capitals(decoder, window[0]):
            break
        gap = text[window[-1].end : toks[last].start]
        if not JUNK_GAP.match(gap) or not toks[last].key.isalpha():
            break
        if _capitals(decoder, toks[last]):
            break
        window.append(toks[last])
        rows += _window(decoder, text, window, i, context)
    return rows


def _capitals(decoder, token) -> bool:
    """A word in capitals (a heading's, a drop capital's "T HE") is left as printed, as the
    decoder leaves capitalised words."""
    return token.text.isupper() and decoder.is_word(token.key)


def cased(window: list, words: list[str]) -> str:
    """``words`` in the case of the window's tokens: each word takes the case of the token
    its first letter comes from ("the Con servatives" -> "the Conservatives")."""
    owners, offset = [], 0
    for token in window:
        owners += [token.text] * len(token.key)
    out = []
    for word in words:
        owner = owners[min(offset, len(owners) - 1)]
        out.append(match_case(owner, word))
        offset += len(word)
    return " ".join(out)


def _run_together(decoder, key: str, left: tuple, right: tuple, i: int) -> list[tuple]:
    """Two words run together in a token that counts as a word (used often in the document,
    or in wordfreq's web text: "ofthe") but that the trigram model does not know;
    :meth:`.channel.Decoder.split` covers non-words only."""
    if not decoder.is_word(key) or trigram.known(key):
        return []
    base = decoder.lm(left, [key], right)
    rows = []
    for pair in decoder.split(key):
        lm = decoder.lm(left, list(pair), right)
        channel = decoder.s.channel_edit_log10
        rows.append((lm + channel - base, list(pair), lm - base, channel, i))
    return rows


def _window(decoder, text: str, window: list, i: int, context) -> list[tuple]:
    """Readings of the tokens of ``window`` (starting at token ``i``) as one or two words."""
    keys = [t.key for t in window]
    last = i + len(window) - 1
    joined = "".join(keys)
    left, right = context.left(i), context.right(last)
    base = decoder.lm(left, keys, right)
    fragment = any(not decoder.is_word(k) and k not in LONE_WORDS for k in keys)
    gaps = _gaps(text, window)
    edit = decoder.s.channel_edit_log10
    readings = []  # (words, channel log10)
    if decoder.is_word(joined) or joined in decoder.index.vocabulary:
        readings.append(([joined], edit * _space_edits(gaps, [joined])))
    elif fragment and len(window) == 2:
        spaced = text[window[0].start : window[1].end].lower()
        for word in _garbled(keys, spaced, decoder.candidates(joined, False)):
            # the gap dropped and the letters garbled, or the gap read for a lost letter
            dropped = edit * _space_edits(gaps, [word]) + decoder.channel.log10(joined, word)
            readings.append(([word], max(dropped, decoder.channel.log10(spaced, word))))
    if len(window) == 3 and fragment:  # a pair keeping an end token is a two-token window's
        pairs = (p for p in decoder.split(joined) if p[0] != keys[0] and p[1] != keys[-1])
        readings += [(list(pair), edit * _space_edits(gaps, list(pair))) for pair in pairs]
    rows = []
    for words, channel in readings:
        lm = decoder.lm(left, words, right)
        rows.append((lm + channel - base, words, lm - base, channel, last))
    return rows


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


def _gaps(text: str, window: list) -> dict[int, str]:
    """The gaps between the window's tokens by their offset in the concatenated letters."""
    gaps, offset = {}, 0
    for a, b in zip(window, window[1:], strict=False):
        offset += len(a.key)
        gaps[offset] = text[a.end : b.start]
    return gaps


def _space_edits(gaps: dict[int, str], words: list[str]) -> int:
    """Characters edited to read the window as ``words``: a space inserted where the OCR has
    none, and every character of a gap that is no word boundary of the reading, or that is
    junk (not one space) at a boundary it keeps."""
    bounds, offset = set(), 0
    for word in words[:-1]:
        offset += len(word)
        bounds.add(offset)
    inserted = len(bounds - gaps.keys())
    return inserted + sum(
        0 if pos in bounds and gap == " " else len(gap) for pos, gap in gaps.items()
    )
