"""The clean rule's work on one shard: every document cleaned, its four files written, and
what the run log keeps of it."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from corpusflow import io
from corpusflow.cleaning.curated import read_corrections
from corpusflow.cleaning.review import read_review_decisions
from corpusflow.cleaning.settings import CleaningSettings
from corpusflow.cleaning.stage import (
    Decisions,
    Witnesses,
    clean_document,
    output_tables,
    wrapped_flag,
)
from corpusflow.parallel import map_documents


@dataclass(frozen=True)
class DocumentFiles:
    """One document of the shard: its manifest values and the paths it is read from and
    written to (``text`` cleaned, ``automatic`` before the curated rows, the edit log and the
    review queue)."""

    doc_id: str
    ocr: bool
    witness_ids: Sequence[str]
    wrapped: str
    derived: Sequence[str]
    ingested: str
    text: str
    automatic: str
    corrections: str
    review: str


@dataclass(frozen=True)
class Shard:
    """What every document of a shard is cleaned with: the ingested witness files by doc_id,
    the readers' decisions and the stage's settings."""

    documents: Sequence[DocumentFiles]
    witness_paths: Mapping[str, str]
    decisions: Decisions
    settings: CleaningSettings

    def written(self) -> list[str]:
        """Every file the shard writes, grouped by kind as the shard record lists them."""
        kinds = ("text", "automatic", "corrections", "review")
        return [getattr(document, kind) for kind in kinds for document in self.documents]


@dataclass(frozen=True)
class Cleaned:
    """What the log says of one cleaned document."""

    doc_id: str
    hard_wrapped: bool
    wrapping_evidence: str
    noise: str
    edits: int
    suspects: int
    curated_problems: Sequence[tuple[int, str]]


def read_decisions(corrections_table: str | None, review_decisions: str | None) -> Decisions:
    """The curated table's rows and the review decisions; accepted suspects are applied like
    curated rows, rejected ones leave the queue."""
    accepted, rejected = read_review_decisions(review_decisions) if review_decisions else ([], [])
    curated = read_corrections(corrections_table) if corrections_table else []
    return Decisions([*curated, *accepted], rejected)


def clean_shard(shard: Shard, processes: int) -> list[Cleaned]:
    """Clean and write every document of ``shard`` (in forked workers), in shard order."""
    return map_documents(partial(_clean_one, shard=shard), list(shard.documents), processes)


def _clean_one(document: DocumentFiles, shard: Shard) -> Cleaned:
    text = io.read_text(document.ingested)
    witnesses = {w: io.read_text(shard.witness_paths[w]) for w in document.witness_ids}
    result = clean_document(
        text,
        doc_id=document.doc_id,
        hard_wrapped=wrapped_flag(document.wrapped),
        correct_words=document.ocr,
        witnesses=Witnesses(witnesses, document.derived),
        decisions=shard.decisions,
        settings=shard.settings,
    )
    corrections, review = output_tables(text, result, document.doc_id)
    io.write_text(result.text, document.text)
    io.write_text(result.automatic, document.automatic)  # what the curated rows are matched on
    io.write_tsv(corrections, document.corrections)
    io.write_tsv(review, document.review)
    return Cleaned(
        document.doc_id,
        result.hard_wrapped,
        result.wrapping_evidence,
        result.noise_evidence or "not declared OCR",
        len(result.edits),
        len(result.review),
        [(p["row"].line, p["problem"]) for p in result.curated_problems],
    )
