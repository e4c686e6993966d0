"""Rule cleaning_summary: changes per document per rule (corpusflow.cleaning)."""

from corpusflow.cleaning.stage import summarise_corrections
from corpusflow.io import write_csv
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    summary = summarise_corrections(snakemake.params.files["corrections"])
    write_csv(summary, snakemake.output.summary)
    log.info("%d rows", len(summary))
