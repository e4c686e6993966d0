"""The decoder's pass over a document: for every token the best of its readings
(:mod:`.channel` scores them), applied or queued for review.

A token's readings are its own (:func:`.channel.decide_token`), those with a junk character
beside it read as a letter (:mod:`.junk`), with its neighbours as one word or two
(:func:`.segment.window_readings`) and as one word with its hyphenated neighbour
(:mod:`.hyphenated`). The best replaces the token when its gain clears
``channel_min_gain`` plus the extra it needs (:func:`needs_extra`) and it beats the runner-up
by ``channel_margin``; otherwise it is queued above ``channel_review_gain``.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from corpusflow.cleaning import channel, hyphenated, junk, segment
from corpusflow.cleaning.channel import Context, Decision, Decoder, operations
from corpusflow.cleaning.edits import Edit
from corpusflow.cleaning.lexicon import zipf_frequency
from corpusflow.cleaning.words import Token, review_row


@dataclass
class ChannelResult:
    """The decisions of one pass: applied, queued, and the character operations learned."""

    applied: list[Decision] = field(default_factory=list)
    queued: list[Decision] = field(default_factory=list)

    def learned(self, text: str, line_ends: frozenset[int]) -> Counter:
        """The character operations of the substitutions and joins applied to ``text``
        (``line_ends``: the spaces that join wrapped lines, :func:`.segment.learned`)."""
        counts = Counter(segment.learned(text, self.applied, line_ends))
        for decision in self.applied:
            if decision.kind == "substitution":
                counts.update(operations(decision.word, decision.ocr))
        return counts


def decode(
    text: str,
    toks: list[Token],
    covered: set[int],
    decoder: Decoder,
    *,
    protected,
    guide: list[str | None] | None = None,
) -> tuple[ChannelResult, list[str | None]]:
    """One left-to-right pass over the tokens not in ``covered``; the right context is read
    from ``guide`` (the readings of a previous pass), by default the text as written. Returns
    the decisions and the readings chosen."""
    s, result = decoder.s, ChannelResult()
    context = Context(toks, guide or [t.key for t in toks])
    next_free = 0
    for i, token in enumerate(toks):
        if i < next_free:
            continue
        if i in covered or channel.skip_reason(text, token, protected):
            continue
        decision, extra, clear = best_reading(decoder, text, toks, i, context, covered, protected)
        if decision is None:
            continue
        period = decision.kind == "substitution" and decoder.period_spelling(decision.ocr)
        if decision.gain >= s.channel_min_gain + extra and clear and not period:
            result.applied.append(decision)
            next_free = decision.last + 1
            words = decision.after.lower().replace(hyphenated.HYPHEN, "").split()
            context.choose(i, words, decision.last)
        else:
            result.queued.append(decision)
    return result, context.chosen


def best_reading(
    decoder: Decoder, text: str, toks: list[Token], i: int, context: Context, covered, protected
) -> tuple[Decision | None, float, bool]:
    """The best reading of token ``i`` (None below ``channel_review_gain``), the extra gain it
    needs and whether it beats the next reading by ``channel_margin``."""
    s, token = decoder.s, toks[i]
    # a capital inside a lowercase word ("weU", "CoUection") is OCR debris, not a word
    inner = token.inner_capital
    real = decoder.is_word(token.key) and not inner
    proper = token.text[:1].isupper() and not token.sentence_start and not inner
    scored, junk_rows = token_readings(decoder, text, toks, i, context, covered, protected, real)
    scored.sort(key=lambda row: (-row[0], row[1]))
    if not scored or scored[0][0] < s.channel_review_gain:
        return None, 0.0, False
    gain, words, lm, channel_part, last = scored[0]
    end = toks[last].end
    hyphen = hyphenated.HYPHEN in text[token.start : end]  # one word, the hyphen kept
    kind = "join" if last > i and not hyphen else "split" if len(words) > 1 else "substitution"
    pairs = zip(toks[i:last], toks[i + 1 : last + 1], strict=True)
    if kind == "join" and any(segment.lost_hyphen(decoder, text, a.end, b.start) for a, b in pairs):
        kind_note = " (across a line end)"  # segment.LINE_END_COST
    else:
        kind_note = " (hyphen kept)" if hyphen else ""
    runner_up = scored[1][0] if len(scored) > 1 else -99.0
    listing = "; ".join(f"{' '.join(row[1])} {row[0]:.2f}" for row in scored[:3])
    evidence = (
        f"{kind}{kind_note}: gain {gain:.2f} (language model "
        f"{lm:.2f}, channel {channel_part:.2f}); readings {listing}"
    )
    # the junk read as a letter (junk_rows may hold rows no longer in scored)
    junk_read = any(row is scored[0] for row in junk_rows)
    start, end = junk.junk_span(text, token.start, end) if junk_read else (token.start, end)
    # the case of the token's letters: a junk character before them has none ("•Tbis")
    after = hyphenated.spelled(text[token.start : toks[last].end], " ".join(words))
    ocr = text[start:end].lower() if junk_read else "".join(t.key for t in toks[i : last + 1])
    decision = Decision(start, end, after, gain, evidence, kind, ocr, words[0], last)
    # some readings need more evidence: needs_extra; for joins segment.join_needs_extra
    if last > i:
        extra = segment.join_needs_extra(decoder, toks[i : last + 1], words, proper)
    else:
        extra = needs_extra(decoder, token, real, len(words) == 1 and not junk_read, proper)
    return decision, decoder.extra if extra else 0.0, gain - runner_up >= s.channel_margin


def needs_extra(decoder: Decoder, token: Token, real: bool, one: bool, proper: bool) -> bool:
    """Whether a reading of ``token`` alone needs the real-word extra
    (``one``: as one word, its letters as printed; not a split, nor its junk character read
    as a letter, "case#"). It does for a real word (``real``), a capitalised word (a name?),
    any word of a text in older spelling (entred, shewed), and a form of
    ``channel_wordlike_min_length`` letters or more that wordfreq knows from
    ``channel_oov_zipf`` but that is no real word ("clime", "gulled": scored as an unknown
    word, it loses to any common word on the language model alone; random OCR damage seldom
    lands on so long a form). A split of a "word" the trigram model does not know ("ofthe")
    needs none; nor does debris with a capital inside ("caUed") in older spelling: no
    period form."""
    key, inner = token.key, token.inner_capital
    wordlike = (  # a real word needs the extra anyway
        len(key) >= decoder.s.channel_wordlike_min_length
        and zipf_frequency(key) >= decoder.s.channel_oov_zipf
    )
    return bool((real or wordlike) and one or proper or (decoder.cautious and not inner))


def token_readings(
    decoder: Decoder,
    text: str,
    toks: list[Token],
    i: int,
    context: Context,
    covered,
    protected,
    real: bool,
) -> tuple[list[tuple], list[tuple]]:
    """The scored readings of token ``i`` (alone, with a junk character beside it read as a
    letter, with the next token: :func:`.segment.window_readings`, as one word with its
    hyphenated neighbour: :func:`.hyphenated.readings`), and those of the junk."""
    token, scored, junk_rows = toks[i], [], []
    if not channel.alone_reason(decoder, text, toks, i):
        left, right = hyphenated.sides(text, toks, i, context)
        inner = token.inner_capital
        # a lone letter is read only with its junk character ("b#" -> be): read alone, it
        # would leave the junk ("b" -> be, "#" kept)
        alone = len(token.key) > 1
        rows = channel.decide_token(decoder, left, token.key, right, real, inner) if alone else []
        written = channel.UNKNOWN if inner else token.key
        junk_rows = junk.junk_readings(decoder, text, toks, i, context, written)
        scored = [(*row, i) for row in rows]
        if junk_rows:  # one row per word: the junk read as a letter or left as printed
            best = {}
            for row in sorted(scored + junk_rows, key=lambda row: row[0]):
                best[tuple(row[1])] = row
            scored = list(best.values())
        if token.after_title:  # a name: read only as a name ("Mrs. Chave" not as "Have")
            title = token.after_title
            scored = [r for r in scored if len(r[1]) == 1 and decoder.name_like(r[1][0], title)]

    def free(j: int) -> bool:
        return not (j in covered or channel.skip_reason(text, toks[j], protected))

    def usable(j: int) -> bool:
        return free(j) and not any(hyphenated.hyphen_sides(text, toks[j]))

    if not any(hyphenated.hyphen_sides(text, token)):
        scored += segment.window_readings(decoder, text, toks, i, context, usable)
    scored += hyphenated.readings(decoder, text, toks, i, context, free)
    return scored, junk_rows


def channel_corrections(
    text: str, toks: list[Token], covered: set[int], decoder: Decoder, *, protected
) -> tuple[list[Edit], list[dict]]:
    """Self-trained noisy-channel corrections of the tokens not in ``covered``: the edits
    (rule ``channel``) and the review rows of the suspects below the threshold."""
    first, readings = decode(text, toks, covered, decoder, protected=protected)
    decoder.channel.learned = first.learned(text, decoder.line_ends.joined)
    final, _ = decode(text, toks, covered, decoder, protected=protected, guide=readings)
    # the operations and the spaces joined; LINE_END_READ counts some of those joins again
    learned = sum(n for op, n in decoder.channel.learned.items() if op != segment.LINE_END_READ)
    note = f"channel learned {learned} operations"  # and joined spaces
    edits = [
        Edit(d.start, d.end, d.after, channel.RULE, f"{d.evidence}; {note}") for d in final.applied
    ]
    review = [
        review_row(text, d.start, d.end, d.after, d.evidence, f"channel_{d.kind}", _likely(d.gain))
        for d in final.queued
    ]
    return edits, review


def _likely(gain: float) -> float:
    return 1 - math.exp(-max(gain, 0.0) / 4)
