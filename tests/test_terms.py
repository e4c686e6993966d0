"""One terms builder (corpusflow.terms) for keyness, topics and the explorer: the same tokens
through the keyness stage's counting and the topics stage's bag of words give the same terms
when the two sections' settings agree (issue 24, item 2).

The real corpus, tokenised by the real spaCy pipeline; each stage's own entry points (keyness:
its Counter, learning then counting; topics: its documents, learning then grouping by segment).
"""

from __future__ import annotations

import dataclasses

import pytest

from corpusflow import io
from corpusflow.config import default_config
from corpusflow.keyness.counting import Counter, term_rules
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.settings import from_config
from corpusflow.terms import token_pieces
from corpusflow.topics import documents as topic_documents
from corpusflow.topics.settings import TopicsSettings
from tests import keyness_corpus

CONFIG = default_config()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return keyness_corpus.build(tmp_path_factory.mktemp("terms-corpus"))


def agreeing(unit: str, learned: bool) -> tuple[KeynessSettings, TopicsSettings]:
    """Keyness and topics settings that ask for the same terms: the schema's defaults, with
    the keys only one section has set to what the other does (no spelling folding, no listed
    phrases, no length or extra stopword filter)."""
    keyness = from_config(KeynessSettings, CONFIG, "keyness")
    topics = from_config(TopicsSettings, CONFIG, "topics")
    common = {"unit": unit, "drop_stopwords": True, "pos": ()}
    learning = {
        "phrase_min_count": topics.phrase_min_count,
        "phrase_threshold": topics.phrase_threshold,
    }
    keyness = dataclasses.replace(
        keyness,
        **common,
        **learning,
        learn_phrases=learned,
        phrases=(),
        spelling_variants=dataclasses.replace(keyness.spelling_variants, fold=False),
    )
    topics = dataclasses.replace(
        topics, **common, phrases=learned, min_length=1, extra_stopwords=()
    )
    return keyness, topics


def keyness_terms(corpus, settings: KeynessSettings) -> dict[str, list[str]]:
    """Segment -> the terms keyness counts there (its default counting choice), in text order."""

    def pieces():
        return token_pieces(io.read_documents(corpus["tokens"], corpus["segments"], rows=3000))

    counter = Counter(pieces, keyness_corpus.ANALYSED, settings)
    _, occurrences = counter.count(counter.learned())
    terms: dict[str, list[str]] = {}
    for segment_id, term in zip(occurrences["segment_id"], occurrences["term"], strict=True):
        terms.setdefault(segment_id, []).append(term)
    return terms


def topic_terms(corpus, settings: TopicsSettings) -> dict[str, list[str]]:
    """Segment -> the terms of the topic models' document of that segment (those with any)."""
    documents = topic_documents.segment_documents(
        io.read_parquets(corpus["tokens"]),
        io.read_parquets(corpus["segments"]),
        topic_documents.term_rules(settings),
    )
    pairs = zip(documents["segment_id"], documents["terms"], strict=True)
    return {segment_id: list(terms) for segment_id, terms in pairs if len(terms)}


@pytest.mark.parametrize(("unit", "learned"), [("lower", True), ("lemma", True), ("lemma", False)])
def test_keyness_and_topics_keep_the_same_terms_when_their_settings_agree(corpus, unit, learned):
    keyness, topics = agreeing(unit, learned)
    rules = term_rules(keyness, fold=False, learn=learned)
    assert dataclasses.replace(rules, section="topics") == topic_documents.term_rules(topics)
    counted, bagged = keyness_terms(corpus, keyness), topic_terms(corpus, topics)
    assert len(counted) > 80 and sum(map(len, counted.values())) > 10_000
    if learned:  # two-word units were learned, and both stages join them
        assert len({term for terms in bagged.values() for term in terms if " " in term}) > 10
    assert counted == bagged


def test_settings_only_one_stage_has_still_change_its_terms(corpus):
    """The differences that are settings stay settings: topics' length and extra stopword
    filters, keyness's listed phrases, act on the same tokens where the agreeing run did not."""
    keyness, topics = agreeing("lower", False)
    plain = topic_terms(corpus, topics)
    shorter = topic_terms(corpus, dataclasses.replace(topics, min_length=4))
    words = {term for terms in plain.values() for term in terms}
    assert {term for terms in shorter.values() for term in terms} == {
        w for w in words if len(w) >= 4
    }
    without = topic_terms(corpus, dataclasses.replace(topics, extra_stopwords=("Workers",)))
    assert "workers" in words and all("workers" not in terms for terms in without.values())
    listed = keyness_terms(corpus, dataclasses.replace(keyness, phrases=("trade unions",)))
    assert any("trade unions" in terms for terms in listed.values())
