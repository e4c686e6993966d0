"""Rules topics_phrases, topics_shard_documents (map) and topics_documents (reduce)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd

from corpusflow import io
from corpusflow.topics.settings import TopicsSettings


def documents_reader(inputs, rules) -> Callable:
    """The analysed documents' token tables (``inputs.tokens``, ``inputs.segments``) as
    :func:`corpusflow.io.read_documents` reads them: one document at a time, in batches, only
    the columns counting needs."""
    from corpusflow.terms import PIECE_ROWS, counting_columns

    columns = counting_columns(rules)
    return lambda: io.read_documents(inputs.tokens, inputs.segments, columns, rows=PIECE_ROWS)


def phrases(inputs, settings: TopicsSettings) -> dict:
    """Rule topics_phrases: the two-word units of the analysed documents, learned as keyness
    learns its units, in two streamed passes (:func:`corpusflow.terms.learn_phrase_models`),
    as a record (:func:`corpusflow.terms.phrase_model_record`; none without
    ``topics.phrases``)."""
    from corpusflow.terms import learn_phrase_models, phrase_model_record, token_pieces
    from corpusflow.topics.documents import term_rules

    rules = term_rules(settings)
    if rules.learning is None:
        return phrase_model_record(None)
    documents = documents_reader(inputs, rules)
    (model,) = learn_phrase_models(lambda: token_pieces(documents()), [rules])
    return phrase_model_record(model)


def shard_documents(inputs, settings: TopicsSettings) -> pd.DataFrame:
    """Rule topics_shard_documents (map, one shard): the documents table's rows of the shard's
    analysed documents, with the two-word units of ``inputs.phrases``."""
    from corpusflow.terms import phrase_model_from_record
    from corpusflow.topics.documents import DOCUMENTS_ROWS, documents_in_pieces, term_rules

    rules = term_rules(settings)
    pieces = documents_in_pieces(
        documents_reader(inputs, rules),
        rules,
        rows=DOCUMENTS_ROWS,
        model=phrase_model_from_record(io.read_json(inputs.phrases)),
    )
    return pd.concat(list(pieces), ignore_index=True)


def documents(inputs, settings: TopicsSettings) -> tuple[Iterator[pd.DataFrame], object]:
    """Rule topics_documents (reduce): the documents table's pieces, the shards' tables in
    doc_id order (written as they come), and the summary they fill as they are written
    (segments, term tokens, distinct terms)."""
    from corpusflow.topics.documents import DOCUMENTS_ROWS, DocumentsSummary, merged_documents

    summary = DocumentsSummary()
    pieces = merged_documents(map(io.read_parquet, inputs.shards), rows=DOCUMENTS_ROWS)
    return map(summary.add, pieces), summary
