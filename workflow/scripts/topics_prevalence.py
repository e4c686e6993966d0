"""Rule topics_prevalence: mean topic proportion per group with posterior-and-resampling
intervals (corpusflow.topics.prevalence)."""

from corpusflow.io import read_csv, read_parquet, write_csv
from corpusflow.runlog import logged
from corpusflow.topics.prevalence import prevalence_by_group

with logged(snakemake.log[0]) as log:
    table = prevalence_by_group(
        read_csv(snakemake.input.segments),
        read_parquet(snakemake.input.posterior),
        **snakemake.params.bootstrap,
    )
    write_csv(table, snakemake.output.table)
    log.info("prevalence:\n%s", table.to_string())
