"""Why the decoder left an exact join ("Con servatives") or run-together words ("ofthe"):
the part of ``diagnose_channel.py``'s trace that reads the decoder's last pass per pair of
neighbouring tokens.

:func:`install` wraps :func:`corpusflow.cleaning.decoding.decode` and ``best_reading``; each
pass records, per pair of token forms (and per token form, for a split), why the pair was not
joined (the token split): the rule that kept the reading out (:func:`_blocked`: a witness, a
hyphen, the gap, a word in capitals, the joined letters no word) or, when it was scored, the
decision (another reading best, the gain under ``channel_min_gain``, under the real-word extra
and why it was needed, within ``channel_margin``). The last occurrence of a pair in a
document stands for all of them, as in the rest of the trace.
"""

from __future__ import annotations

from corpusflow.cleaning import channel, decoding, hyphenated, segment

#: Per pair of token keys (one key for a split): the reason of the document's last pass and
#: the gains behind it.
PAIRS: dict[tuple, tuple[str, str]] = {}
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
            PAIRS[(token.key,)] = _reason(*args, split=True)
            if i + 1 < len(toks):
                PAIRS[(token.key, toks[i + 1].key)] = _reason(*args, split=False)
        return result

    decoding.token_readings, decoding.best_reading = token_readings, best_reading
    decoding.decode = decoded


def reason(ocr: list[str], gold: list[str], key) -> tuple[str, str]:
    """Why the exact join or run-together words ``ocr`` -> ``gold`` (normalised words, of
    the document last cleaned) were left; ``key`` gives a word's token key."""
    if not PAIRS:
        return "document looked clean (not corrected)", ""
    keys = [key(w) for w in ocr]
    if not all(k.isalpha() for k in keys + [key(w) for w in gold]):
        return "a mark inside a word (hyphen, apostrophe, stop)", ""
    if len(ocr) == 1:
        return PAIRS.get(
            (keys[0],), ("no one token (a hyphen the normaliser dropped, or an earlier step)", "")
        )
    wanted = {key(w) for w in gold}
    pairs = [tuple(keys[k : k + 2]) for k in range(len(keys) - 1)]
    pairs = [p for p in pairs if "".join(p) in wanted]
    if not pairs:
        return "three tokens or more for one word", ""
    return PAIRS.get(pairs[0], ("no such pair of tokens (an earlier step changed it)", ""))


def _reason(decoder, text, toks, i, covered, protected, split: bool) -> tuple[str, str]:
    """Why tokens ``i`` and ``i + 1`` were not joined (``split``: token ``i`` not split),
    and the gains behind it."""
    if i not in _PASS:
        return _unscored(text, toks[i], i in covered, protected), ""
    rows, decision, extra, clear = _PASS[i]
    last, size = (i, 2) if split else (i + 1, 1)
    want = [r for r in rows if r[4] == last and len(r[1]) == size]
    if not want:
        why = "no split reading" if split else _blocked(decoder, text, toks, i, covered, protected)
        return why, ""
    row = max(want, key=lambda r: r[0])
    detail = f"gain {row[0]:.2f}, extra {extra:.2f}"
    if decision is None:
        return "gain under channel_review_gain", detail
    if (decision.last, decision.word) != (row[4], row[1][0]):
        return f"another reading scored better ({decision.kind})", f"{detail}; {decision.after!r}"
    s = decoder.s
    if row[0] < s.channel_min_gain:
        return "gain under channel_min_gain", detail
    if row[0] < s.channel_min_gain + extra:
        return "gain under the extra: " + _why_extra(decoder, toks[i : row[4] + 1]), detail
    return ("within channel_margin" if not clear else "applied"), detail


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
    """The rule of :func:`.segment.window_readings` that kept the join of tokens ``i`` and
    ``i + 1`` from being a reading."""
    first = toks[i]
    if i + 1 >= len(toks):
        return "last token"
    second = toks[i + 1]
    if any(hyphenated.hyphen_sides(text, first)) or any(hyphenated.hyphen_sides(text, second)):
        return "a hyphen beside a part"
    if i + 1 in covered or channel.skip_reason(text, second, protected):
        return "next token settled or protected"
    gap = text[first.end : second.start]
    if not segment.JUNK_GAP.match(gap):
        return f"gap {gap!r} not one space or junk"
    if segment._capitals(decoder, first, second):
        return "a part a word in capitals"
    joined = first.key + second.key
    if not (decoder.is_word(joined) or joined in decoder.index.vocabulary):
        return "the letters joined no word" + (", older spelling" if decoder.cautious else "")
    return "no join reading (other)"
