"""What the explorer page is assembled from: the other stages' outputs, read once.

Each view has its sources (:class:`KeynessSources`, :class:`TopicSources`,
:class:`CleaningSources`), read from a rule's named inputs by :func:`read_sources`; the views
are then built from them without reading any file (:func:`corpusflow.explorer.explorer_data`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from corpusflow import io
from corpusflow.cleaning.curated import Curated, read_corrections
from corpusflow.cleaning.review import read_review_decisions
from corpusflow.explorer.topics import topic_model_arrays
from corpusflow.manifest import read_manifest

CORRECTIONS = {"before": "str", "after": "str", "rule": "str", "evidence": "str"}
REVIEW = {"token": "str", "candidate": "str", "kind": "str", "evidence": "str", "context": "str"}


@dataclass(frozen=True)
class KeynessSources:
    """The keyness table, its top keywords (keyness_top.csv) and record, the occurrences the
    keyness stage wrote (one table per shard, read as they are needed), and the keyness
    documents' segments and texts."""

    table: pd.DataFrame
    top: Sequence[str]
    record: Mapping
    occurrences: Callable[[], Iterable[pd.DataFrame]]
    segments: pd.DataFrame
    texts: Mapping[str, str]


@dataclass(frozen=True)
class TopicSources:
    """The final model's tables, its p(w|t) and vocabulary, and the modelled segments' terms
    (None where a run has no model)."""

    terms: pd.DataFrame | None
    topic_term: np.ndarray | None
    vocabulary: Sequence[str] | None
    documents: Iterable[Iterable[str]] | None
    passages: pd.DataFrame | None
    prevalence: pd.DataFrame | None
    nmf: pd.DataFrame | None


@dataclass(frozen=True)
class CleaningSources:
    """Per doc_id: the ingested texts, the texts before the curated corrections, the cleaned
    texts, the edit log and the review queue; and the rows the cleaning stage applied (the
    curated table's and the accepted review decisions)."""

    ingested: Mapping[str, str]
    automatic: Mapping[str, str]
    cleaned: Mapping[str, str]
    corrections: Mapping[str, pd.DataFrame]
    review: Mapping[str, pd.DataFrame]
    curated: Sequence[Curated]


def manifest_documents(path: str | Path) -> dict[str, dict[str, str]]:
    """doc_id -> title, group and role, in manifest order."""
    return {
        row["doc_id"]: {key: str(row[key]) for key in ("title", "group", "role")}
        for row in read_manifest(path)
    }


def _keyness(inputs, texts: Mapping[str, str]) -> KeynessSources:
    return KeynessSources(
        table=io.read_csv(inputs.keyness, dtype={"term": "str", "side": "str", "forms": "str"}),
        top=io.read_csv(inputs.keyness_top, dtype={"term": "str"})["term"].tolist(),
        record=io.read_json(inputs.keyness_record),
        occurrences=lambda: map(io.read_parquet, inputs.keyness_occurrences),
        segments=io.read_parquets(inputs.segments),
        texts={io.doc_id_of(path): texts[str(path)] for path in inputs.texts},
    )


def _topics(inputs) -> TopicSources:
    topic_term, vocabulary = topic_model_arrays(io.load_lda(Path(inputs.model) / "lda.gensim"))
    return TopicSources(
        terms=io.read_csv(inputs.topic_terms, dtype={"term": "str", "label": "str"}),
        topic_term=topic_term,
        vocabulary=vocabulary,
        # the modelled segments' terms, a batch of segments at a time (counted once)
        documents=(
            terms
            for batch in io.read_parquet_batches(inputs.topic_documents, ["terms"], rows=1024)
            for terms in batch["terms"]
        ),
        passages=io.read_csv(inputs.passages, dtype={"text": "str", "label": "str"}),
        prevalence=io.read_csv(inputs.prevalence, dtype={"label": "str", "group": "str"}),
        nmf=io.read_csv(inputs.nmf, dtype={"label": "str"}),
    )


def _cleaning(inputs, texts: Mapping[str, str]) -> CleaningSources:
    table = getattr(inputs, "corrections_table", None)
    decisions = getattr(inputs, "review_decisions", None)
    curated = (read_corrections(table) if table else []) + (
        read_review_decisions(decisions)[0] if decisions else []
    )
    return CleaningSources(
        ingested=io.read_texts(inputs.ingested),
        automatic=io.read_texts(inputs.automatic),
        cleaned={io.doc_id_of(path): texts[str(path)] for path in inputs.cleaned},
        corrections={
            io.doc_id_of(p): io.read_tsv(p, dtype=CORRECTIONS) for p in inputs.corrections
        },
        review={io.doc_id_of(p): io.read_tsv(p, dtype=REVIEW) for p in inputs.review},
        curated=curated,
    )


def read_sources(inputs) -> tuple[KeynessSources, TopicSources, CleaningSources]:
    """The three views' sources from the explorer rule's named inputs
    (workflow/rules/explorer.smk). Each text file is read once: the analysed texts are the
    cleaned ones (a large document is then held once, not twice)."""
    texts = {
        str(path): io.read_text(path) for path in dict.fromkeys([*inputs.cleaned, *inputs.texts])
    }
    return _keyness(inputs, texts), _topics(inputs), _cleaning(inputs, texts)
