"""Whole-corpus stages aggregate one document at a time (issue 15, bounded memory): the topic
documents built from token tables read in small batches are the rows built from the stacked
tables, collocations included, and the stage's file is the bytes of one write_parquet."""

from __future__ import annotations

import pandas as pd
import pytest
from gensim.models.phrases import Phrases

from corpusflow import io
from corpusflow.config import default_config
from corpusflow.segment import tokens_with_segments
from corpusflow.terms import token_pieces
from corpusflow.topics.documents import documents_in_pieces, segment_documents
from tests import keyness_corpus

DEFAULTS = default_config()["topics"]
KEYS = ("unit", "drop_stopwords", "extra_stopwords", "min_length", "pos", "phrase_min_count")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return keyness_corpus.build(tmp_path_factory.mktemp("memory-corpus"))


@pytest.fixture(scope="module")
def stacked(corpus):
    return io.read_parquets(corpus["tokens"]), io.read_parquets(corpus["segments"])


def settings(phrases):
    return {key: DEFAULTS[key] for key in KEYS} | {
        "phrases": phrases,
        "phrase_threshold": DEFAULTS["phrase_threshold"],
    }


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
    expected = segment_documents(*stacked, **settings(phrases))
    frames = list(
        documents_in_pieces(
            lambda: io.read_documents(corpus["tokens"], corpus["segments"], rows=500),
            rows=40,
            **settings(phrases),
        )
    )
    assert len(frames) > 1
    whole = pd.concat(frames, ignore_index=True)
    pd.testing.assert_frame_equal(whole, expected)
    # One frame (a corpus under documents.DOCUMENTS_ROWS segments): write_parquet's bytes.
    one = list(
        documents_in_pieces(
            lambda: io.read_documents(corpus["tokens"], corpus["segments"], rows=500),
            rows=10_000,
            **settings(phrases),
        )
    )
    assert len(one) == 1
    io.write_parquet_chunks(one, tmp_path / "chunks.parquet")
    io.write_parquet(expected, tmp_path / "whole.parquet")
    assert (tmp_path / "chunks.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()
    if phrases:
        # The collocations are those of one Phrases over every sentence of the corpus at once.
        kept = expected["terms"].explode().dropna()
        joined = {term for term in kept if "_" in term}
        words = tokens_with_segments(*stacked)
        unit = DEFAULTS["unit"]
        keep = words["is_alpha"] & ~words["is_stop"]
        keep &= words[unit].str.len() >= DEFAULTS["min_length"]
        sentences = [
            list(group)
            for _, group in words[keep].groupby(["doc_id", "segment_id", "sentence"])[unit]
        ]
        model = Phrases(
            sentences,
            min_count=DEFAULTS["phrase_min_count"],
            threshold=DEFAULTS["phrase_threshold"],
            scoring="npmi",
        ).freeze()
        reference = {term for sentence in sentences for term in model[sentence] if "_" in term}
        assert len(joined) > 5 and joined == reference


def test_topic_documents_counted_per_shard_and_merged_are_the_one_jobs(corpus, tmp_path):
    """The bag of words as map-reduce: each document a shard (collocation counts per shard,
    written as JSON and summed; the shard's documents with the merged collocations, written
    and read back; the tables stacked in doc_id order) gives the one job's table, row groups
    and bytes included."""
    from corpusflow.terms import phrase_model_from_record, phrase_model_record
    from corpusflow.topics.documents import (
        _keeping,
        merged_documents,
        phrase_model,
        phrase_vocabulary,
    )

    chosen = settings(True)
    keeping = _keeping(*(chosen[key] for key in KEYS[:5]))
    pairs = list(zip(corpus["tokens"], corpus["segments"], strict=True))[::-1]  # not doc_id order

    def documents(shard):
        return lambda: io.read_documents(*zip(*shard, strict=True), rows=500)

    counts = []
    for n, pair in enumerate(pairs):
        io.write_json(phrase_vocabulary(documents([pair])(), keeping), tmp_path / f"{n}.json")
        counts.append(io.read_json(tmp_path / f"{n}.json"))
    learning = {"min_count": chosen["phrase_min_count"], "threshold": chosen["phrase_threshold"]}
    merged = phrase_model(counts, **learning)
    whole = phrase_model([phrase_vocabulary(documents(pairs)(), keeping)], **learning)
    assert len(merged.phrasegrams) > 10 and merged.phrasegrams == whole.phrasegrams
    io.write_json(phrase_model_record(merged), tmp_path / "phrases.json")
    model = phrase_model_from_record(io.read_json(tmp_path / "phrases.json"))
    shards = []
    for n, pair in enumerate(pairs):
        table = pd.concat(
            list(documents_in_pieces(documents([pair]), rows=40, model=model, **chosen)),
            ignore_index=True,
        )
        io.write_parquet(table, tmp_path / f"{n}.parquet")
        shards.append(io.read_parquet(tmp_path / f"{n}.parquet"))
    for rows in (40, 10_000):
        expected = list(documents_in_pieces(documents(pairs), rows=rows, **chosen))
        io.write_parquet_chunks(expected, tmp_path / "one.parquet")
        io.write_parquet_chunks(merged_documents(shards, rows=rows), tmp_path / "merged.parquet")
        assert (tmp_path / "merged.parquet").read_bytes() == (tmp_path / "one.parquet").read_bytes()
        assert len(expected) == (1 if rows == 10_000 else 2)  # 40 rows: a frame per document
