"""Rule clean: cleaned text, edit log and review queue of each document (corpusflow.cleaning)."""

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
from corpusflow.runlog import logged
from corpusflow.settings import from_params
from corpusflow.shards import shard_record


def clean_one(job: tuple) -> tuple:
    """Clean one document and write its four files; what the log should say of it."""
    (doc_id, ocr, witness_ids, wrapped, derived, text_path, clean_path, automatic_path,
     corrections_path, review_path) = job  # fmt: skip
    text = io.read_text(text_path)
    result = clean_document(
        text,
        doc_id=doc_id,
        hard_wrapped=wrapped_flag(wrapped),
        correct_words=ocr,
        witnesses=Witnesses({w: io.read_text(witness_paths[w]) for w in witness_ids}, derived),
        decisions=Decisions(curated, rejected),
        settings=settings,
    )
    corrections, review = output_tables(text, result, doc_id)
    io.write_text(result.text, clean_path)
    io.write_text(result.automatic, automatic_path)  # what the curated rows are matched on
    io.write_tsv(corrections, corrections_path)
    io.write_tsv(review, review_path)
    problems = [(p["row"].line, p["problem"]) for p in result.curated_problems]
    wrapping = (result.hard_wrapped, result.wrapping_evidence)
    counts = (len(result.edits), len(result.review))
    return doc_id, wrapping, counts, result.noise_evidence or "not declared OCR", problems


with logged(snakemake.log[0]) as log:
    params = snakemake.params
    settings = from_params(CleaningSettings, params.settings)
    table = snakemake.input.get("corrections_table")
    decisions = snakemake.input.get("review_decisions")
    accepted, rejected = read_review_decisions(decisions) if decisions else ([], [])
    # accepted review decisions are applied like curated rows
    curated = (read_corrections(table) if table else []) + accepted
    witness_paths = {io.doc_id_of(path): path for path in params.witness_files}
    jobs = list(
        zip(
            params.doc_ids,
            params.ocr,
            params.witness_ids,
            params.wrapped,
            params.derived,
            params.ingested,
            params.text,
            params.automatic,
            params.corrections,
            params.review,
            strict=True,
        )
    )
    for doc_id, wrapping, counts, noise, problems in map_documents(
        clean_one, jobs, snakemake.threads
    ):
        for line, problem in problems:
            log.warning("curated row at line %s %s", line, problem)
        log.info(
            "%s: hard-wrapped %s (%s); %s; %d edits, %d suspects queued",
            doc_id,
            *wrapping,
            noise,
            *counts,
        )
    written = [*params.text, *params.automatic, *params.corrections, *params.review]
    io.write_json(shard_record(written), snakemake.output.record)
