"""Rule clean: cleaned text, edit log and review queue of each document of the job
(corpusflow.cleaning)."""

from pathlib import Path

from corpusflow.cleaning import WordSettings, clean_document, wrapped_flag, write_outputs
from corpusflow.cleaning.curated import read_corrections
from corpusflow.cleaning.review import read_review_decisions
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    params, output = snakemake.params, snakemake.output
    table = snakemake.input.get("corrections_table")
    curated = read_corrections(table) if table else []
    decisions = snakemake.input.get("review_decisions")
    accepted, rejected = read_review_decisions(decisions) if decisions else ([], [])
    curated = curated + accepted  # accepted review decisions are applied like curated rows
    # The job's witness texts, in the order of the documents' witness lists.
    witness_paths = dict(
        zip([w for ids in params.witness_ids for w in ids], snakemake.input.witnesses, strict=True)
    )
    for (
        doc_id,
        ocr,
        witness_ids,
        wrapped,
        derived,
        text_path,
        clean_path,
        corrections_path,
        review_path,
    ) in zip(
        params.doc_ids,
        params.ocr,
        params.witness_ids,
        params.wrapped,
        params.derived,
        snakemake.input.text,
        output.text,
        output.corrections,
        output.review,
        strict=True,
    ):
        text = Path(text_path).read_text(encoding="utf-8")
        witnesses = {w: Path(witness_paths[w]).read_text(encoding="utf-8") for w in witness_ids}
        result = clean_document(
            text,
            doc_id=doc_id,
            hard_wrapped=wrapped_flag(wrapped),
            correct_words=ocr,
            witnesses=witnesses,
            derived_witnesses=derived,
            rejected=rejected,
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
        for problem in result.curated_problems:
            log.warning("curated row at line %s %s", problem["row"].line, problem["problem"])
        log.info(
            "%s: hard-wrapped %s (%s); %d edits, %d suspects queued",
            doc_id,
            result.hard_wrapped,
            result.wrapping_evidence,
            len(result.edits),
            len(result.review),
        )
