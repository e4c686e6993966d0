"""Rule topics_prevalence: the final model's mean topic share per group with posterior-and-
resampling intervals and the seeds' range (corpusflow.topics.run.prevalence)."""

from corpusflow.io import write_csv
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.topics.run.prevalence import prevalence
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    settings = from_config(TopicsSettings, snakemake.config, "topics")
    table = prevalence(snakemake.input, settings)
    write_csv(table, snakemake.output.table)
    log.info("prevalence:\n%s", table.to_string())
