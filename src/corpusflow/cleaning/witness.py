"""Witness collation: corrections where another edition of the text reads differently.

Tokens a witness settles are not touched by the lexicon rules or the noisy channel
(:func:`witness_corrections` returns their indices).
"""

from __future__ import annotations

from collections import Counter

from corpusflow.cleaning.collate import Reading, collate
from corpusflow.cleaning.edits import Edit
from corpusflow.cleaning.lexicon import (
    Lexicon,
    inflection_variant,
    match_case,
    normalise_token,
    ocr_distance,
    spelling_key,
    zipf_frequency,
)
from corpusflow.cleaning.settings import CleaningSettings
from corpusflow.cleaning.words import Token, WordResult, review_row


def _close(ocr: str, reading: str, settings: CleaningSettings) -> tuple[bool, float]:
    distance = ocr_distance(ocr, reading)
    limit = settings.max_distance_base + settings.max_distance_ratio * max(len(ocr), len(reading))
    return distance <= limit, distance


def witness_corrections(
    text: str,
    toks: list[Token],
    witnesses: dict[str, list[tuple[int, int, str]]],
    lexicon: Lexicon,
    settings: CleaningSettings,
    proper_case: Counter,
    derived: frozenset = frozenset(),
) -> tuple[WordResult, set[int]]:
    """Corrections supported by the witnesses, and the token indices the witnesses settle.

    For each OCR token read differently by a witness (one-for-one, well anchored, same
    translation; see :func:`~corpusflow.cleaning.collate.collate`) the most supported reading
    is taken when all of these hold: it is not a spelling variant or (for a capitalised word
    inside a sentence) a transliteration of the OCR form; it is not a singular/plural or tense
    variant of a real OCR word; it is close by OCR-weighted edit distance; it is a word; more
    witnesses read it than independent witnesses read the OCR form; and it fits its two
    neighbours no worse than ``witness_context_tolerance`` below the OCR form (where a derived
    witness agrees with a common OCR word: ``derived_override_gain`` better and within
    ``derived_override_distance``). Rejected readings go to the review queue.

    Parameters
    ----------
    text : str
        The text being corrected (after the layout rules).
    toks : list of Token
        Its word tokens (:func:`text_tokens`).
    witnesses : dict
        Witness doc_id -> its word tokens (:func:`~corpusflow.cleaning.lexicon.tokens`).
    lexicon : Lexicon
        Word and context evidence.
    settings : CleaningSettings
        Thresholds.
    derived : frozenset
        The witnesses made from this document (manifest column ``derived_from``).
    proper_case : Counter
        ``(lowercase word, capitalised?)`` counts of in-sentence tokens, for the case of a
        reading.
    """
    result = WordResult()
    readings = _readings(text, toks, witnesses, settings, result)
    for index, group in sorted(readings.items()):
        token = toks[index]
        if token.key in settings.protected_terms or not any(not r.same for r in group):
            continue
        verdict = _judge(text, token, group, lexicon, settings, proper_case, derived)
        if isinstance(verdict, Edit):
            result.edits.append(verdict)
        elif verdict is not None:
            result.review.append(verdict)
    # Tokens settled by the witnesses: an independent witness agrees, or some witness differs
    # (corrected or queued above). Agreement of a derived witness alone settles nothing.
    covered = {
        index
        for index, group in readings.items()
        if any(not r.same or r.witness not in derived for r in group)
    }
    return result, covered


def _readings(
    text: str,
    toks: list[Token],
    witnesses: dict[str, list[tuple[int, int, str]]],
    settings: CleaningSettings,
    result: WordResult,
) -> dict[int, list[Reading]]:
    """Every witness's readings of the OCR tokens (token index -> readings); the differences
    that are not one-for-one go to ``result.review`` as ``witness_variance``."""
    # Align on spelling keys, so that spelling variants (centres/centers) count as matches
    # and anchor the stretch instead of breaking it.
    keys = [spelling_key(token.key, transliteration=False) for token in toks]
    readings: dict[int, list[Reading]] = {}
    for name, witness_tokens in sorted(witnesses.items()):
        forms = [form for _, _, form in witness_tokens]
        found, variances = collate(
            keys,
            [spelling_key(normalise_token(form), transliteration=False) for form in forms],
            forms,
            name,
            settings,
        )
        for index, reading in found.items():
            readings.setdefault(index, []).append(reading)
        for variance in variances:
            if variance.ocr_end <= variance.ocr_start:
                continue
            start, end = toks[variance.ocr_start].start, toks[variance.ocr_end - 1].end
            if end > start:
                why = f"{name} reads differently (not one-for-one)"
                row = review_row(
                    text, start, end, variance.witness_text, why, "witness_variance", 0.3
                )
                result.review.append(row)
    return readings


def _judge(
    text: str,
    token: Token,
    group: list[Reading],
    lexicon: Lexicon,
    settings: CleaningSettings,
    proper_case: Counter,
    derived: frozenset,
) -> Edit | dict | None:
    """The witness edit for one OCR token that a witness reads differently, or its review row
    (the reading rejected), or None (a spelling or translation variant: nothing to do)."""
    keep = [r.witness for r in group if r.same and r.witness not in derived]
    votes: dict[str, list[Reading]] = {}
    for reading in group:
        if not reading.same:
            votes.setdefault(normalise_token(reading.text), []).append(reading)
    best_key, support = max(votes.items(), key=lambda item: (len(item[1]), item[0]))
    evidence = "; ".join(f"{r.witness} reads {r.text!r}" for r in group)
    name = token.text[:1].isupper() and not token.sentence_start
    if spelling_key(token.key, name) == spelling_key(best_key, name):
        return None  # a spelling variant (or a transliteration of a name)
    if not any(c.isalpha() for c in best_key):
        return None
    if lexicon.is_word(token.key) and inflection_variant(token.key, best_key):
        return None  # singular/plural, tense: a translation difference, not an OCR error
    close, distance = _close(token.key, best_key, settings)
    derived_agree = any(r.same and r.witness in derived for r in group)
    # A derived witness agreeing with a common word is evidence for it; agreeing with a
    # rare word ("refection") it has most likely just kept the OCR error.
    needed = -settings.witness_context_tolerance
    if derived_agree and zipf_frequency(token.key) >= settings.lexicon_min_zipf:
        needed = settings.derived_override_gain
        close = close and distance <= settings.derived_override_distance
    plausible = lexicon.is_word(best_key) or any(c.isdigit() for c in best_key)
    gain = lexicon.context_score(token.previous, best_key, token.following) - (
        lexicon.context_score(token.previous, token.key, token.following, in_text=True)
        if lexicon.is_word(token.key)
        else -99.0
    )
    if close and plausible and len(support) > len(keep) and gain >= needed:
        after = _witness_case(token, support[0].text, proper_case)
        evidence += f"; ocr distance {distance:.1f}; context gain {gain:+.2f}"
        return Edit(token.start, token.end, after, "witness", evidence)
    why = (
        "not close in spelling"
        if not close
        else "reading not a word"
        if not plausible
        else "witnesses disagree"
        if len(support) <= len(keep)
        else "context favours OCR"
    )
    likely = 0.5 if close else 0.2
    reading, evidence = support[0].text, f"{evidence}; {why}"
    return review_row(text, token.start, token.end, reading, evidence, "witness_rejected", likely)


def _witness_case(token: Token, reading: str, proper_case: Counter) -> str:
    """Case of a witness reading at the OCR token's position (sentence start, proper noun)."""
    key = normalise_token(reading)
    if token.sentence_start:
        return reading[:1].upper() + reading[1:]
    capitalised, lower = proper_case[(key, True)], proper_case[(key, False)]
    if reading[:1].isupper() and capitalised > lower:
        return reading
    return match_case(token.text, reading) if not reading.isupper() else reading
