"""Rule topics_prevalence: mean topic proportion per group with block-bootstrap intervals."""

import pandas as pd

from corpusflow.io import write_csv
from corpusflow.runlog import logged
from corpusflow.topics import prevalence_by_group

with logged(snakemake.log[0]) as log:
    segment_topics = pd.read_csv(snakemake.input.segments)
    table = prevalence_by_group(
        segment_topics,
        n_boot=snakemake.params.n_boot,
        block_size=snakemake.params.block_size,
        seed=snakemake.params.seed,
        level=snakemake.params.level,
    )
    write_csv(table, snakemake.output.table)
    log.info("prevalence:\n%s", table.to_string())
