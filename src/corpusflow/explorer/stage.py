"""The explorer stage's work: :func:`run` reads the sources, builds the views, renders the page."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

from corpusflow.cleaning.curated import COLUMNS as CURATED_COLUMNS
from corpusflow.cleaning.review import DECISION_COLUMNS
from corpusflow.cleaning.stage import WORD_RULES
from corpusflow.explorer.capping import cap_cleaning_text, cap_kwic_texts
from corpusflow.explorer.cleaning import DocumentTexts, cleaning_view
from corpusflow.explorer.keyness import keyness_view, kwic_occurrences, kwic_view
from corpusflow.explorer.page import render_page_parts
from corpusflow.explorer.settings import ExplorerSettings
from corpusflow.explorer.sources import (
    CleaningSources,
    KeynessSources,
    TopicSources,
    manifest_documents,
    read_sources,
)
from corpusflow.explorer.topics import term_marginals, topics_view


def keyness_data(sources: KeynessSources, settings: ExplorerSettings) -> dict:
    """The keyness view with every occurrence of every term as KWIC lines."""
    keyness = keyness_view(sources.table, sources.record)
    doc_ids = [*keyness["target_docs"], *keyness["reference_docs"]]
    occurrences = kwic_occurrences(
        sources.occurrences(), sources.table["term"].astype(str).tolist(), doc_ids=doc_ids
    )
    kwic = kwic_view(
        occurrences,
        sources.segments,
        sources.texts,
        doc_ids=doc_ids,
        lines_per_term=settings.kwic_lines_per_term,
        context_chars=settings.kwic_context_chars,
    )
    keyness["kwic"] = cap_kwic_texts(kwic, max_text_chars=settings.max_text_chars)
    keyness["top"] = list(sources.top)  # the top keywords of keyness_top.csv, marked on the page
    return keyness


def topics_data(sources: TopicSources, settings: ExplorerSettings) -> dict | None:
    """The topics view (None for a run without topic tables)."""
    if sources.terms is None:
        return None
    marginals = None
    if all(
        part is not None for part in (sources.topic_term, sources.vocabulary, sources.documents)
    ):
        marginals = term_marginals(sources.documents, sources.vocabulary)
    return topics_view(
        sources,
        marginals,
        n_terms=settings.topic_terms,
        relevance_lambda=settings.relevance_lambda,
    )


def cleaning_data(sources: CleaningSources, doc_ids, settings: ExplorerSettings) -> dict:
    """The cleaning view of every document of ``doc_ids`` that has an edit log."""
    docs = [
        cap_cleaning_text(
            cleaning_view(
                doc_id,
                DocumentTexts(
                    sources.ingested[doc_id], sources.automatic[doc_id], sources.cleaned[doc_id]
                ),
                sources.corrections[doc_id],
                sources.review[doc_id],
                curated=sources.curated,
                context_words=settings.export_context_words,
            ),
            context=settings.kwic_context_chars,
            max_text_chars=settings.max_text_chars,
        )
        for doc_id in doc_ids
        if doc_id in sources.corrections
    ]
    return {
        "docs": docs,
        "columns": list(CURATED_COLUMNS),
        "decision_columns": list(DECISION_COLUMNS),
        "word_rules": list(WORD_RULES),
        "context_words": settings.export_context_words,
    }


def explorer_data(
    documents: Mapping[str, Mapping[str, str]],
    groups: Mapping[str, str],
    sources: tuple[KeynessSources, TopicSources, CleaningSources],
    settings: ExplorerSettings,
) -> dict:
    """Everything the page shows, as one JSON-ready dict (see :func:`render_page_parts`).

    ``documents`` maps doc_id to its manifest fields (title, group, role), in manifest order.
    A text longer than ``settings.max_text_chars`` (0: no cap) is held as the passages around
    what the views show (:mod:`corpusflow.explorer.capping`), so that a very long document does
    not make a page of its size."""
    keyness, topics, cleaning = sources
    return {
        "meta": {
            "docs": {doc_id: dict(fields) for doc_id, fields in documents.items()},
            "groups": dict(groups),
        },
        "keyness": keyness_data(keyness, settings),
        "topics": topics_data(topics, settings),
        "cleaning": cleaning_data(cleaning, documents, settings),
    }


class Page(NamedTuple):
    """The page's text in pieces (the data's JSON streamed) and a line saying what it holds."""

    parts: Iterator[str]
    summary: str


def run(inputs, settings: ExplorerSettings, *, groups: Mapping[str, str]) -> Page:
    """The explorer page from the rule's named inputs (workflow/rules/explorer.smk) and the
    config's group labels."""
    data = explorer_data(
        manifest_documents(inputs.manifest), groups, read_sources(inputs), settings
    )
    topics = len(data["topics"]["topics"]) if data["topics"] else 0
    summary = (
        f"{len(data['keyness']['rows'])} terms, {topics} topics, "
        f"{len(data['cleaning']['docs'])} documents in the cleaning view"
    )
    return Page(render_page_parts(data), summary)
