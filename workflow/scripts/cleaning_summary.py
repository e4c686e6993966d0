"""Rule cleaning_summary: changes per document per rule, OCR noise (corpusflow.cleaning)."""

from corpusflow.cleaning.stage import summarise_corrections
from corpusflow.io import write_csv
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    files = snakemake.params.files  # per-document files, listed by the shard records in input
    summary = summarise_corrections(files["corrections"], files["review"])
    write_csv(summary, snakemake.output.summary)
    log.info("%d rows", len(summary))
