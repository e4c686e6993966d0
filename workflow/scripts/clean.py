"""Rule clean: cleaned text, edit log and review queue of each document (corpusflow.cleaning)."""

from corpusflow import io
from corpusflow.cleaning import WordSettings, clean_document, write_outputs
from corpusflow.cleaning.curated import read_corrections
from corpusflow.parallel import map_documents
from corpusflow.runlog import logged


def clean_one(job: tuple) -> tuple[str, int, int, list]:
    """Clean one document and write its three files; what the log should say of it."""
    doc_id, ocr, witness_ids, text_path, clean_path, corrections_path, review_path = job
    text = io.read_text(text_path)
    result = clean_document(
        text,
        doc_id=doc_id,
        hard_wrapped=ocr,
        correct_words=ocr,
        witnesses={w: io.read_text(witness_paths[w]) for w in witness_ids},
        curated=curated,
        settings=WordSettings(**params.word_settings),
        **params.structure,
    )
    write_outputs(
        text,
        result,
        doc_id,
        text_path=clean_path,
        corrections_path=corrections_path,
        review_path=review_path,
    )
    problems = [(p["row"].line, p["problem"]) for p in result.curated_problems]
    return doc_id, len(result.edits), len(result.review), problems


with logged(snakemake.log[0]) as log:
    params, output = snakemake.params, snakemake.output
    table = snakemake.input.get("corrections_table")
    curated = read_corrections(table) if table else None
    witness_paths = {io.doc_id_of(path): path for path in snakemake.input.witnesses}
    jobs = list(
        zip(
            params.doc_ids,
            params.ocr,
            params.witness_ids,
            snakemake.input.text,
            output.text,
            output.corrections,
            output.review,
            strict=True,
        )
    )
    for doc_id, edits, suspects, problems in map_documents(clean_one, jobs, snakemake.threads):
        for line, problem in problems:
            log.warning("curated row at line %s %s", line, problem)
        log.info("%s: %d edits, %d suspects queued", doc_id, edits, suspects)
