"""Rule corpus_overview: the table and figure of documents, sizes and corrections."""

from pathlib import Path

import pandas as pd

from corpusflow.overview import corpus_overview, plot_overview
from corpusflow.runlog import logged
from corpusflow.tables import read_parquet, write_csv

with logged(snakemake.log[0]) as log:
    manifest = pd.DataFrame.from_records(snakemake.params.manifest)
    tokens = {Path(path).stem: read_parquet(path) for path in snakemake.input.tokens}
    segments = {Path(path).stem: len(read_parquet(path)) for path in snakemake.input.segments}
    overview = corpus_overview(manifest, tokens, segments, correction_counts={})
    write_csv(overview, snakemake.output.table)
    plot_overview(overview, snakemake.params.group_labels, snakemake.output.figure)
    log.info("overview of %d documents", len(overview))
