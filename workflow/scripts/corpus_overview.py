"""Rule corpus_overview: the table and figure of documents, sizes and corrections."""

from pathlib import Path

import pandas as pd

from corpusflow.cleaning import WORD_RULES, read_corrections_log
from corpusflow.overview import corpus_overview, count_word_corrections, plot_overview
from corpusflow.runlog import logged
from corpusflow.io import read_parquet, write_csv

with logged(snakemake.log[0]) as log:
    manifest = pd.DataFrame.from_records(snakemake.params.manifest)
    tokens = {Path(path).stem: read_parquet(path) for path in snakemake.input.tokens}
    segments = {Path(path).stem: len(read_parquet(path)) for path in snakemake.input.segments}
    corrections = {
        Path(path).name.removesuffix(".corrections.tsv"): count_word_corrections(
            read_corrections_log(path), WORD_RULES
        )
        for path in snakemake.input.corrections
    }
    overview = corpus_overview(manifest, tokens, segments, corrections)
    write_csv(overview, snakemake.output.table)
    plot_overview(overview, snakemake.params.group_labels, snakemake.output.figure)
    log.info("overview of %d documents", len(overview))
