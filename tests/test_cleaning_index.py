"""The cleaning stage's candidate index: the English words' index is built once per process and
extended with each document's words (corpusflow.cleaning.lexicon.english_index)."""

from __future__ import annotations

import copy

from corpusflow.cleaning.lexicon import CandidateIndex, english_index, english_unigrams, fold


def test_an_extended_english_index_is_the_index_built_from_both_vocabularies():
    size = 5000
    english = [w for w in list(english_unigrams())[:size] if w.isalpha()]
    own = ["workers", "kollontai", "tbe", "bureaucracy", "syndicalism", "opposition", "rn"]
    base = english_index(size)
    before = copy.deepcopy((base.vocabulary, base.deletes))
    far_before = copy.deepcopy(base.far)
    extended = base.extended(own)
    fresh = CandidateIndex(english + own, far=True)
    assert extended.vocabulary == fresh.vocabulary
    assert extended.deletes == fresh.deletes
    assert extended.far == fresh.far
    assert (base.vocabulary, base.deletes) == before  # the shared index is never changed
    assert base.far == far_before
    assert english_index(size) is base  # built once per process
    for token in ("tbe", "kollontal", "workera", "oppositiou", "bureaucraey", "rnan", "the"):
        assert extended.candidates(token) == fresh.candidates(token)
        assert extended.within_two(token) == fresh.within_two(token)
    assert "kollontai" in extended.candidates("kollontal")
    assert "kollontai" not in base.candidates("kollontal")


def test_within_two_finds_every_word_at_distance_two_and_candidates_stay_near():
    """Two letters longer ("wdl" -> "will": a substitution and an insertion), two insertions,
    two substitutions: all found by within_two; candidates keeps its one-edit reach."""
    index = CandidateIndex(["will", "miles", "killed", "which", "winter"], far=True)
    pairs = (("wdl", "will"), ("mdes", "miles"), ("kdled", "killed"), ("wbicb", "which"))
    for token, word in pairs:
        assert word in index.within_two(token), (token, word)
    # ("wdl" is one OCR confusion from "will" too, d for il: candidates finds it that way)
    assert "which" not in index.candidates("wbicb")
    assert "winter" not in index.within_two("wdl")


def test_fold_classes_join_confusions_of_one_letter_but_not_of_several():
    # a/s is a one-letter pair of CONFUSABLE_PAIRS; m/in, h/li are pairs of several letters
    assert fold("s") == fold("a") == fold("e")
    assert fold("m") != fold("i")
    assert fold("h") != fold("l")
