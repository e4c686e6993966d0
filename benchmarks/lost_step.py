"""Which step of the decoder's candidate search loses a gold word that is within the token's
reach (a real word one OCR-weighted unit, a non-word two): for diagnose_channel.py.

The steps are those of :meth:`corpusflow.cleaning.channel.Decoder._find`: the index search
(a real word: one edit or one multi-letter confusion, :meth:`CandidateIndex.candidates`; a
non-word: two edits, :meth:`CandidateIndex.within_two`, or one folded edit of four letters or
more, :func:`confusable_words`), then the filters (one letter, a spelling variant, an older
spelling, a real word's reading under ``candidate_min_zipf``).
"""

from __future__ import annotations

from corpusflow.cleaning.channel import CONFUSABLE_MIN_LENGTH
from corpusflow.cleaning.lexicon import (
    confusable_words,
    historical_variant,
    spelling_key,
    zipf_frequency,
)


def lost_step(decoder, key: str, word: str, real: bool) -> str:
    """Why lowercase ``word``, a vocabulary word within reach of lowercase ``key``, was no
    reading: the first filter that drops it, else the index search that misses it."""
    if len(word) < 2:
        return "filtered: one letter"
    if spelling_key(word, False) == spelling_key(key, False):
        return "filtered: a spelling variant"
    if historical_variant(key, word):
        return "filtered: an older spelling"
    if real and zipf_frequency(word) < decoder.s.candidate_min_zipf:
        return "filtered: under candidate_min_zipf"
    if real:
        if word not in decoder.index.candidates(key):
            return "not indexed: more than one edit or one confusion"
    elif word not in decoder.index.within_two(key) and not (
        len(key) >= CONFUSABLE_MIN_LENGTH
        and word in confusable_words(key, decoder.s.candidate_vocabulary_size)
    ):
        return "not indexed: more than two edits or one folded edit"
    return "filtered otherwise"
