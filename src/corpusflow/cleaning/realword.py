"""Real-word errors without a witness: a correction only when the evidence agrees on both sides.

A real word in the wrong place ("new farms of production") is invisible to a dictionary. A
candidate replaces it automatically only when all of these hold (:func:`two_sided_fix`):

- **channel**: the candidate is one OCR confusion away (OCR-weighted distance at most
  ``realword_auto_max_distance``: c/e, rn/m, li/h ...), or this very confusion (token ->
  candidate) was corrected by a witness elsewhere in the same document (the document's own
  OCR engine is known to make it);
- **the document's own phrasing, on both sides**: the candidate occurs elsewhere in the
  document or its witnesses after the left neighbour and, separately, before the right
  neighbour, while the token occurs with neither of them anywhere else (a derived witness's
  copy of the line is not another occurrence: :meth:`Lexicon.elsewhere`);
- **English, on both sides**: a bigram language model from symspellpy's bigram and unigram
  lists (:func:`conditional`) prefers the candidate after the left neighbour and before the right
  neighbour, each by at least ``realword_auto_min_english_gain`` (log10); a side where neither
  reading is in the bigram list is uninformative and left to the document's evidence, but at
  least one side must be informative;
- the token is rare in the document (at most ``realword_auto_max_token_count`` times), unless
  the confusion was witnessed (function words such as "if" -> "of" are frequent).

Measured (benchmarks/evaluate_cleaning.py, evaluate_external_ocr.py): the thresholds were
chosen on the ICDAR 2017 sample, not on the project's gold list; see config/README.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from corpusflow.cleaning.lexicon import Lexicon, english_bigrams, english_unigrams

#: The most frequent words whose listed bigrams estimate the lists' relative scale.
SCALE_WORDS = 100


@cache
def _totals() -> tuple[float, float, float]:
    """Total unigram count of symspellpy's list; its bigram list's cut-off (the smallest count
    listed: an unlisted bigram was seen less often than that); and the bigram list's scale
    relative to the unigram list (the two come from corpora of different sizes: "of the" is
    listed 13 times as often as "of"). The scale is the largest ratio, over the most frequent
    words, of the summed counts of the listed bigrams that start with the word to its unigram
    count: for those words the listed bigrams hold nearly all continuations."""
    unigrams, bigrams = english_unigrams(), english_bigrams()
    following: dict[str, float] = {}
    for (first, _), count in bigrams.items():
        following[first] = following.get(first, 0.0) + count
    frequent = sorted(unigrams, key=lambda word: (-unigrams[word], word))[:SCALE_WORDS]
    scale = max(following.get(word, 0.0) / unigrams[word] for word in frequent)
    return float(sum(unigrams.values())), float(min(bigrams.values())), scale


def conditional(first: str | None, second: str) -> float:
    """log10 P(second | first) in English, from symspellpy's bigram and unigram counts.

    A listed bigram gives its relative frequency (bigram count over the first word's count,
    brought to one scale). An unlisted one is estimated as if the two words were independent
    (P(second)), but never above what the list's cut-off allows (cut-off / count(first)). An
    unknown word counts once. Without a neighbour (None) the unigram probability.
    """
    unigrams, bigrams = english_unigrams(), english_bigrams()
    total, cutoff, scale = _totals()
    p_second = max(unigrams.get(second, 0), 1) / total
    if first is None:
        return math.log10(p_second)
    count_first = unigrams.get(first, 0) * scale
    listed = bigrams.get((first, second))
    if listed and count_first:
        return math.log10(min(1.0, listed / count_first))
    if count_first:
        return math.log10(min(p_second, cutoff / count_first))
    return math.log10(p_second)


def english_gains(
    previous: str | None, candidate: str, word: str, following: str | None
) -> tuple[float, float]:
    """How much better (log10) ``candidate`` than ``word`` fits after ``previous`` and before
    ``following``: P(candidate | previous) / P(word | previous) and
    P(following | candidate) / P(following | word). Without a neighbour (None) that side is
    the ratio of the two words' unigram probabilities (left) or 0 (right)."""
    left = conditional(previous, candidate) - conditional(previous, word)
    if following is None:
        return left, 0.0
    right = conditional(candidate, following) - conditional(word, following)
    return left, right


def _informative_gains(
    previous: str | None, candidate: str, word: str, following: str | None
) -> tuple[float, float, list[float]]:
    """The English gains (:func:`english_gains`) left and right, and those of the sides that
    speak: a side without a neighbour, or where neither reading is in the bigram list, says
    nothing (both estimates are mere upper bounds there)."""
    left, right = english_gains(previous, candidate, word, following)
    listed = english_bigrams()
    informative = [
        gain
        for gain, pairs, neighbour in (
            (left, ((previous, candidate), (previous, word)), previous),
            (right, ((candidate, following), (word, following)), following),
        )
        if neighbour is not None and any(pair in listed for pair in pairs)
    ]
    return left, right, informative


@dataclass(frozen=True)
class TwoSided:
    """Thresholds of :func:`two_sided_fix` (config keys ``realword_auto_*``)."""

    max_distance: float
    min_english_gain: float
    max_token_count: int


def two_sided_fix(
    word: str,
    previous: str | None,
    following: str | None,
    candidates: list[tuple[str, float]],
    lexicon: Lexicon,
    witnessed: frozenset,
    rule: TwoSided,
) -> tuple[str, str] | None:
    """The candidate that replaces real word ``word`` on two-sided evidence, with its evidence
    text, or None (see the module docstring).

    ``word`` and its neighbours ``previous`` and ``following`` (both required) are lowercase;
    ``candidates`` are ``(word, OCR-weighted distance from word)``; ``lexicon`` holds the
    corpus counts (the document and its witnesses); ``witnessed`` the ``(token, reading)``
    pairs the witnesses corrected in this document; ``rule`` the thresholds.
    """
    if previous is None or following is None:
        return None
    bigrams = lexicon.corpus_bigrams
    # The token's own occurrence is one of the counted bigrams; any other (a derived
    # witness's copy of it aside) means the text uses the word in this context, so it stays.
    if lexicon.elsewhere((previous, word)) or lexicon.elsewhere((word, following)):
        return None
    best = None
    for candidate, distance in candidates:
        seen = (word, candidate) in witnessed
        too_common = lexicon.own_count(word) > rule.max_token_count
        if not seen and (distance > rule.max_distance or too_common):
            continue
        left_corpus, right_corpus = bigrams[(previous, candidate)], bigrams[(candidate, following)]
        if left_corpus < 1 or right_corpus < 1:
            continue
        left, right, informative = _informative_gains(previous, candidate, word, following)
        # At least one side must speak, and every side that does must prefer the candidate.
        if not informative or min(informative) < rule.min_english_gain:
            continue
        if best is None or left + right > best[0]:
            channel = "confusion corrected by a witness here" if seen else "OCR confusion"
            evidence = (
                f"real word, two-sided evidence: {candidate!r} ({channel}, distance "
                f"{distance:.1f}); corpus {previous!r}+{candidate!r} x{left_corpus}, "
                f"{candidate!r}+{following!r} x{right_corpus}, {word!r} with neither; English "
                f"gain left {left:+.2f}, right {right:+.2f} log10"
            )
            best = (left + right, candidate, evidence)
    return None if best is None else (best[1], best[2])


def one_sided_fix(
    word: str,
    previous: str | None,
    following: str | None,
    candidates: list[tuple[str, float]],
    lexicon: Lexicon,
    witnessed: frozenset,
    min_total_gain: float,
) -> tuple[str, str] | None:
    """The candidate that replaces real word ``word`` on one-sided evidence, or None.

    For errors :func:`two_sided_fix` leaves because one side says nothing or too little ("in
    the bosom if this": the document never writes "bosom of", and English makes "of this" only
    a little likelier than "if this"). Only a confusion that a witness corrected elsewhere in
    the same document (token -> candidate in ``witnessed``) qualifies: the document's own OCR
    engine is known to make it. Then the document uses the candidate with at least one of the
    neighbours elsewhere while the word occurs with neither; no informative English side (one
    where either reading is in the bigram list) prefers the word; and the informative sides
    together prefer the candidate by at least ``min_total_gain`` (log10).

    Without that channel the rule is not safe: on the ICDAR 2017 sample (no witnesses) the same
    test applied to every candidate one OCR confusion away took the real-word changes from 6/6
    right to 41/55 at a margin of 2.0 (45/61 at 1.5), 10 of them harmful ("tithe" -> "time",
    "of me" -> "of the"), 6 of 88 documents worse.
    """
    if previous is None and following is None:
        return None
    bigrams = lexicon.corpus_bigrams
    if lexicon.elsewhere((previous, word)) or lexicon.elsewhere((word, following)):
        return None
    best = None
    for candidate, distance in candidates:
        if (word, candidate) not in witnessed:
            continue
        left_corpus, right_corpus = bigrams[(previous, candidate)], bigrams[(candidate, following)]
        if left_corpus + right_corpus < 1:
            continue
        left, right, informative = _informative_gains(previous, candidate, word, following)
        if not informative or min(informative) < 0 or sum(informative) < min_total_gain:
            continue
        if best is None or sum(informative) > best[0]:
            evidence = (
                f"real word, one-sided evidence: {candidate!r} (confusion corrected by a "
                f"witness here, distance {distance:.1f}); corpus {previous!r}+{candidate!r} "
                f"x{left_corpus}, {candidate!r}+{following!r} x{right_corpus}, {word!r} with "
                f"neither; English gain left {left:+.2f}, right {right:+.2f} log10 "
                f"(informative sides {sum(informative):+.2f})"
            )
            best = (sum(informative), candidate, evidence)
    return None if best is None else (best[1], best[2])
