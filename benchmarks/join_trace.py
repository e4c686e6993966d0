"""Why the decoder left a join ("Con servatives", "Maga ine") or run-together words
("ofthe"): the part of ``diagnose_channel.py``'s trace that reads the decoder's last pass per
pair of neighbouring tokens.

:func:`install` wraps :func:`corpusflow.cleaning.decoding.decode` and ``best_reading``; each
pass records, per pair of token forms (and per token form, for a split), either the rule that
kept any join (split) out (:func:`_blocked`: a witness, a hyphen, the gap, a word in capitals,
the joined letters no word) or the readings scored and the decision. :func:`reason` then says
why the gold was not applied: no reading (for a garbled join, why: the letters joined a word,
two words not searched (:func:`.segment.garbled_tried`), the gold outside the candidates or
further than one OCR-weighted unit), another reading best,
the gain under ``channel_min_gain``, under the real-word extra (and why it was needed), within
``channel_margin``. The last occurrence of a pair in a document stands for all of them, as in
the rest of the trace.

:class:`Split` and :func:`split_kind` classify a split or merge of the trace (OCR words for a
different number of gold words) by kind: which of them are joins :func:`reason` explains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from corpusflow.cleaning import channel, decoding, hyphenated, segment
from corpusflow.cleaning.lexicon import ocr_distance

NOT_LETTERS = re.compile(r"[\W\d_]+")
LONE_MARK = re.compile(r"\s+(?=[^\w\s]+(?:\s|$))")
INNER_MARK = re.compile(r"(?<=\w)[.,;:?!]+(?=\w)")

#: Per pair of token keys (one key for a split), the document's last pass: a reason string
#: (no reading was possible) or (rows, decision, extra, clear, decoder, parts).
PAIRS: dict[tuple, str | tuple] = {}
#: Per token index of the current pass: the scored rows and the decision of best_reading.
_PASS: dict[int, tuple] = {}
_ROWS: list = []


def install() -> None:
    """Wraps the decoder's functions to record, per pass, why pairs were not joined."""
    readings, best, decode = decoding.token_readings, decoding.best_reading, decoding.decode

    def token_readings(*args, **kwargs):
        scored, junk_rows = readings(*args, **kwargs)
        _ROWS[:] = [list(scored)]
        return scored, junk_rows

    def best_reading(decoder, text, toks, i, context, covered, protected):
        found = best(decoder, text, toks, i, context, covered, protected)
        _PASS[i] = (_ROWS[0] if _ROWS else [], *found)
        return found

    def decoded(text, toks, covered, decoder, *, protected, guide=None):
        _PASS.clear()
        result = decode(text, toks, covered, decoder, protected=protected, guide=guide)
        for i, token in enumerate(toks):
            args = (decoder, text, toks, i, covered, protected)
            PAIRS[(token.key,)] = _state(*args, split=True)
            if i + 1 < len(toks):
                PAIRS[(token.key, toks[i + 1].key)] = _state(*args, split=False)
        return result

    decoding.token_readings, decoding.best_reading = token_readings, best_reading
    decoding.decode = decoded


def reason(ocr: list[str], gold: list[str], key) -> tuple[str, str]:
    """Why the join or run-together words ``ocr`` -> ``gold`` (normalised words, of the
    document last cleaned) were left, and the gains behind it; ``key`` gives a word's token
    key."""
    if not PAIRS:
        return "document looked clean (not corrected)", ""
    keys, wanted = [key(w) for w in ocr], [key(w) for w in gold]
    if not all(k.isalpha() for k in keys + wanted):
        return "a mark inside a word (hyphen, apostrophe, stop)", ""
    if len(ocr) == 1:
        if (keys[0],) not in PAIRS:
            return "no one token (a hyphen the normaliser dropped, or an earlier step)", ""
        return _decided(PAIRS[(keys[0],)], wanted, keys)
    pairs = [tuple(keys[k : k + 2]) for k in range(len(keys) - 1)]
    pairs = [p for p in pairs if p in PAIRS]
    if not pairs:
        return "no such pair of tokens (an earlier step changed it)", ""
    for pair in pairs:  # the pair one of whose readings is a gold word
        state = PAIRS[pair]
        for word in wanted:
            if not isinstance(state, str) and any(row[1] == [word] for row in state[0]):
                return _decided(state, [word], list(pair))
    pair, word = min(
        ((p, w) for p in pairs for w in wanted), key=lambda pw: ocr_distance("".join(pw[0]), pw[1])
    )
    return _decided(PAIRS[pair], [word], list(pair))


def _state(decoder, text, toks, i, covered, protected, split: bool) -> str | tuple:
    """What the pass did with tokens ``i`` and ``i + 1`` read as one word (``split``: token
    ``i`` as two)."""
    if i not in _PASS:
        return _unscored(text, toks[i], i in covered, protected)
    rows, decision, extra, clear = _PASS[i]
    last, size = (i, 2) if split else (i + 1, 1)
    want = [r for r in rows if r[4] == last and len(r[1]) == size]
    if not want and split:
        return "no split reading"
    if not want and (blocked := _blocked(decoder, text, toks, i, covered, protected)):
        return blocked
    return want, decision, extra, clear, decoder, toks[i : last + 1]


def _decided(state, words: list[str], keys: list[str]) -> tuple[str, str]:
    """Why the reading ``words`` of tokens ``keys`` was not applied."""
    if isinstance(state, str):
        return state, ""
    rows, decision, extra, clear, decoder, parts = state
    row = next((r for r in rows if r[1] == words), None)
    if row is None:
        return _no_reading(decoder, keys, words), ""
    detail = f"gain {row[0]:.2f}, extra {extra:.2f}"
    if decision is None:
        return "gain under channel_review_gain", detail
    if (decision.last, decision.word) != (row[4], row[1][0]):
        return f"another reading scored better ({decision.kind})", f"{detail}; {decision.after!r}"
    s = decoder.s
    if row[0] < s.channel_min_gain:
        return "gain under channel_min_gain", detail
    if row[0] < s.channel_min_gain + extra:
        return "gain under the extra: " + _why_extra(decoder, parts), detail
    return ("within channel_margin" if not clear else "applied (a word beside it left)"), detail


def _no_reading(decoder, keys: list[str], words: list[str]) -> str:
    """Why the gold ``words`` was no reading of the tokens ``keys``."""
    if len(keys) == 1:
        return "no split into the gold"
    joined, word = "".join(keys), words[0]
    if word == joined:
        return "the letters joined no word" + (", older spelling" if decoder.cautious else "")
    if segment.is_joined_word(decoder, joined):
        return "the letters joined a word (no garbled reading)"
    if word not in decoder.index.vocabulary:
        return "gold outside the candidate vocabulary"
    if not segment.garbled_tried(decoder, keys):
        if min(map(len, keys)) > segment.FRAGMENT_MAX_LENGTH:
            return "two words, no fragment (no garbled reading searched)"
        return "two words read as a phrase (no garbled reading searched)"
    if min(ocr_distance(joined, word), ocr_distance(" ".join(keys), word)) > 1.0:
        return "gold further than one OCR-weighted unit"
    return "gold nearer one token alone, or filtered"


def _why_extra(decoder, parts) -> str:
    if decoder.cautious:
        return "older spelling"
    if any(len(t.key) < 2 for t in parts):
        return "a part one letter"
    return "garbled, every part a word or a capital"


def _unscored(text: str, token, covered: bool, protected) -> str:
    if covered:
        return "settled by a witness"
    return channel.skip_reason(text, token, protected) or "inside an earlier applied reading"


def _blocked(decoder, text, toks, i, covered, protected) -> str:
    """The rule of :func:`.segment.window_readings` that kept any join of tokens ``i`` and
    ``i + 1`` from being a reading ('' if none did)."""
    first = toks[i]
    if i + 1 >= len(toks):
        return "last token"
    second = toks[i + 1]
    if any(hyphenated.hyphen_sides(text, first)) or any(hyphenated.hyphen_sides(text, second)):
        return "a hyphen beside a part"
    if i + 1 in covered or channel.skip_reason(text, second, protected):
        return "next token settled or protected"
    gap = text[first.end : second.start]
    if not (segment.JUNK_GAP.match(gap) or segment._inner_mark(gap, first, second)):
        return f"gap {gap!r} not one space, junk or a stop inside a word"
    if segment._capitals(decoder, first, second):
        return "a part a word in capitals"
    return ""  # no rule: no reading was found (:func:`_no_reading`)


@dataclass(frozen=True)
class Split:
    """A split or merge: OCR words for gold words, and whether the cleaned text has the gold."""

    ocr: list[str]
    gold: list[str]
    fixed: bool
    why: tuple[str, str] = ("", "")  # of an exact join or run-together words left

    @property
    def shape(self) -> str:
        """OCR words -> gold words, 3 for three or more."""
        return f"{min(len(self.ocr), 3)}->{min(len(self.gold), 3)}"

    @property
    def kind(self) -> str:
        return split_kind(self.ocr, self.gold)


def split_kind(ocr: list[str], gold: list[str]) -> str:
    """The kind of a split or merge, OCR words ``ocr`` for gold words ``gold`` (see the
    docstring of ``diagnose_channel.py``). Garbled: the letters of the two sides,
    concatenated, at most a quarter of the gold letters apart (at least one edit)."""
    if not (ocr and gold):
        return "junk words" if ocr else "missing words"
    if len(_attached(ocr)) == len(gold) < len(ocr):
        return "space before punctuation" + _stray_space_kind(ocr, gold)
    if len(_attached(gold)) == len(ocr) < len(gold) and _marks(ocr) == _marks(gold):
        return "space before punctuation in the gold"
    if sum(map(_has_alnum, ocr)) == sum(map(_has_alnum, gold)):
        return "a mark alone added or lost"
    if len(INNER_MARK.sub(" ", " ".join(ocr)).split()) == len(gold) > len(ocr):
        return "space lost after punctuation"
    if any(c.isdigit() for c in "".join(ocr + gold)):
        return "broken number"
    a, b = (NOT_LETTERS.sub("", "".join(words)).lower() for words in (ocr, gold))
    close = Levenshtein.distance(a, b) <= max(1, len(b) // 4)
    if len(ocr) > len(gold):
        return "exact join" if a == b else "garbled join" if close else "other"
    return "run-together words" if a == b else "garbled split" if close else "other"


def _stray_space_kind(ocr: list[str], gold: list[str]) -> str:
    """Of a space before punctuation: "" if removing it gives the gold, ", a letter read
    as the space" if the gold has one or two letters there instead ("Director ," for
    "Directors,"), else ", and garbled"."""
    attached, wanted = " ".join(_attached(ocr)).lower(), " ".join(gold).lower()
    if attached == wanted:
        return ""
    letters = LONE_MARK.sub("\0", " ".join(ocr).lower()).split("\0")
    pattern = r"[^\W\d_]{0,2}".join(re.escape(part) for part in letters)
    return ", a letter read as the space" if re.fullmatch(pattern, wanted) else ", and garbled"


def _has_alnum(word: str) -> bool:
    return any(c.isalnum() for c in word)


def _marks(words: list[str]) -> list[str]:
    """The characters of ``words`` that are neither letters nor digits, in order."""
    return [c for c in "".join(words) if not c.isalnum()]


def _attached(words: list[str]) -> list[str]:
    """``words`` with each word of punctuation only joined to the word before it."""
    return LONE_MARK.sub("", " ".join(words)).split()
