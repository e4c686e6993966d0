"""Rule clean: cleaned text, edit log and review queue of one document (corpusflow.cleaning)."""

from pathlib import Path

from corpusflow.cleaning import WordSettings, clean_document, write_outputs
from corpusflow.cleaning.curated import read_corrections
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    params = snakemake.params
    text = Path(snakemake.input.text).read_text(encoding="utf-8")
    witnesses = {
        doc_id: Path(path).read_text(encoding="utf-8")
        for doc_id, path in zip(params.witness_ids, snakemake.input.witnesses, strict=True)
    }
    table = snakemake.input.get("corrections_table")
    result = clean_document(
        text,
        doc_id=snakemake.wildcards.doc_id,
        hard_wrapped=params.ocr,
        correct_words=params.ocr,
        witnesses=witnesses,
        curated=read_corrections(table) if table else None,
        settings=WordSettings(**params.word_settings),
        **params.structure,
    )
    write_outputs(
        text,
        result,
        snakemake.wildcards.doc_id,
        text_path=snakemake.output.text,
        corrections_path=snakemake.output.corrections,
        review_path=snakemake.output.review,
    )
    for problem in result.curated_problems:
        log.warning("curated row at line %s %s", problem["row"].line, problem["problem"])
    log.info(
        "%s: %d edits, %d suspects queued",
        snakemake.wildcards.doc_id,
        len(result.edits),
        len(result.review),
    )
