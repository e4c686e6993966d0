"""Whole-corpus stages aggregate one document at a time (issue 15, bounded memory): the topic
documents built from token tables read in small batches are the rows built from the stacked
tables, two-word units included, and the stage's file is the bytes of one write_parquet."""

from __future__ import annotations

import pandas as pd
import pytest

from corpusflow import io
from corpusflow.config import default_config
from corpusflow.segment import tokens_with_segments
from corpusflow.settings import from_mapping
from corpusflow.terms import term_occurrences, token_pieces
from corpusflow.topics.documents import documents_in_pieces, segment_documents, term_rules
from corpusflow.topics.settings import TopicsSettings
from tests import keyness_corpus

DEFAULTS = default_config()["topics"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return keyness_corpus.build(tmp_path_factory.mktemp("memory-corpus"))


@pytest.fixture(scope="module")
def stacked(corpus):
    return io.read_parquets(corpus["tokens"]), io.read_parquets(corpus["segments"])


def rules(phrases: bool):
    """The topics stage's term rules of the schema's defaults, learning two-word units or not."""
    return term_rules(from_mapping(TopicsSettings, {**DEFAULTS, "phrases": phrases}))


def test_token_pieces_cut_batches_at_sentence_ends(corpus, stacked):
    tokens, segments = stacked
    documents = io.read_documents(corpus["tokens"], corpus["segments"], rows=700)
    pieces = list(token_pieces(documents))
    assert len(pieces) > 25
    for piece in pieces:  # one document, whole sentences, at most a batch and a sentence
        assert piece["doc_id"].nunique() == 1 and len(piece) < 700 + 200
    for before, after in zip(pieces, pieces[1:], strict=False):
        if before["doc_id"].iloc[0] == after["doc_id"].iloc[0]:
            assert before["sentence"].iloc[-1] < after["sentence"].iloc[0]
    pd.testing.assert_frame_equal(
        pd.concat(pieces, ignore_index=True), tokens_with_segments(tokens, segments)
    )


@pytest.mark.parametrize("phrases", [True, False])
def test_documents_from_small_batches_are_the_stacked_tables_documents(
    corpus, stacked, phrases, tmp_path
):
    expected = segment_documents(*stacked, rules(phrases))
    frames = list(
        documents_in_pieces(
            lambda: io.read_documents(corpus["tokens"], corpus["segments"], rows=500),
            rules(phrases),
            rows=40,
        )
    )
    assert len(frames) > 1
    whole = pd.concat(frames, ignore_index=True)
    pd.testing.assert_frame_equal(whole, expected)
    # One frame (a corpus under documents.DOCUMENTS_ROWS segments): write_parquet's bytes.
    one = list(
        documents_in_pieces(
            lambda: io.read_documents(corpus["tokens"], corpus["segments"], rows=500),
            rules(phrases),
            rows=10_000,
        )
    )
    assert len(one) == 1
    io.write_parquet_chunks(one, tmp_path / "chunks.parquet")
    io.write_parquet(expected, tmp_path / "whole.parquet")
    assert (tmp_path / "chunks.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()
    if phrases:
        # The two-word units are those learned on the stacked tables at once.
        kept = set(expected["terms"].explode().dropna())
        once = term_occurrences(tokens_with_segments(*stacked), rules(phrases))
        joined = {term for term in once["term"] if " " in term}
        assert len(joined) > 5 and {term for term in kept if " " in term} == joined


def test_topic_documents_counted_per_shard_and_merged_are_the_one_jobs(corpus, tmp_path):
    """The bag of words as map-reduce: the two-word units learned once (written as JSON and
    read back), each document a shard (its documents with those units, written and read
    back; the tables stacked in doc_id order) gives the one job's table, row groups and bytes
    included."""
    from corpusflow.terms import learn_phrase_models, phrase_model_from_record, phrase_model_record
    from corpusflow.topics.documents import merged_documents

    chosen = rules(True)
    pairs = list(zip(corpus["tokens"], corpus["segments"], strict=True))[::-1]  # not doc_id order

    def documents(shard):
        return lambda: io.read_documents(*zip(*shard, strict=True), rows=500)

    (learned,) = learn_phrase_models(lambda: token_pieces(documents(pairs)()), [chosen])
    assert len(learned.phrasegrams) > 10
    io.write_json(phrase_model_record(learned), tmp_path / "phrases.json")
    model = phrase_model_from_record(io.read_json(tmp_path / "phrases.json"))
    shards = []
    for n, pair in enumerate(pairs):
        table = pd.concat(
            list(documents_in_pieces(documents([pair]), chosen, rows=40, model=model)),
            ignore_index=True,
        )
        io.write_parquet(table, tmp_path / f"{n}.parquet")
        shards.append(io.read_parquet(tmp_path / f"{n}.parquet"))
    for rows in (40, 10_000):
        expected = list(documents_in_pieces(documents(pairs), chosen, rows=rows))
        io.write_parquet_chunks(expected, tmp_path / "one.parquet")
        io.write_parquet_chunks(merged_documents(shards, rows=rows), tmp_path / "merged.parquet")
        assert (tmp_path / "merged.parquet").read_bytes() == (tmp_path / "one.parquet").read_bytes()
        assert len(expected) == (1 if rows == 10_000 else 2)  # 40 rows: a frame per document
