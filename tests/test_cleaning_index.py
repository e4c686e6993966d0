"""The cleaning stage's candidate index: the English words' index is built once per process and
extended with each document's words (corpusflow.cleaning.lexicon.english_index)."""

from __future__ import annotations

import copy

from corpusflow.cleaning.lexicon import CandidateIndex, english_index, english_unigrams


def test_an_extended_english_index_is_the_index_built_from_both_vocabularies():
    size = 5000
    english = [w for w in list(english_unigrams())[:size] if w.isalpha()]
    own = ["workers", "kollontai", "tbe", "bureaucracy", "syndicalism", "opposition", "rn"]
    base = english_index(size)
    before = copy.deepcopy((base.vocabulary, base.deletes))
    extended = base.extended(own)
    fresh = CandidateIndex(english + own)
    assert extended.vocabulary == fresh.vocabulary
    assert extended.deletes == fresh.deletes
    assert (base.vocabulary, base.deletes) == before  # the shared index is never changed
    assert english_index(size) is base  # built once per process
    for token in ("tbe", "kollontal", "workera", "oppositiou", "bureaucraey", "rnan", "the"):
        assert extended.candidates(token) == fresh.candidates(token)
    assert "kollontai" in extended.candidates("kollontal")
    assert "kollontai" not in base.candidates("kollontal")
