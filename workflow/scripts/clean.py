"""Rule clean: cleaned text, edit log and review queue of each document (corpusflow.cleaning)."""

from corpusflow import io
from corpusflow.cleaning.run import DocumentFiles, Shard, clean_shard, read_decisions
from corpusflow.cleaning.settings import CleaningSettings
from corpusflow.runlog import logged
from corpusflow.settings import from_params
from corpusflow.shards import shard_record

with logged(snakemake.log[0]) as log:
    params = snakemake.params
    columns = ("doc_ids", "ocr", "witness_ids", "wrapped", "derived", "ingested", "text")
    columns += ("automatic", "corrections", "review")
    shard = Shard(
        [DocumentFiles(*row) for row in zip(*(getattr(params, c) for c in columns), strict=True)],
        {io.doc_id_of(path): path for path in params.witness_files},
        read_decisions(
            snakemake.input.get("corrections_table"), snakemake.input.get("review_decisions")
        ),
        from_params(CleaningSettings, params.settings),
    )
    for cleaned in clean_shard(shard, snakemake.threads):
        for line, problem in cleaned.curated_problems:
            log.warning("curated row at line %s %s", line, problem)
        log.info(
            "%s: hard-wrapped %s (%s); %s; %d edits, %d suspects queued",
            cleaned.doc_id,
            cleaned.hard_wrapped,
            cleaned.wrapping_evidence,
            cleaned.noise,
            cleaned.edits,
            cleaned.suspects,
        )
    io.write_json(shard_record(shard.written()), snakemake.output.record)
