"""Rule corpus_overview: the table and figure of documents, sizes and corrections."""

from pathlib import Path

import pandas as pd

from corpusflow.cleaning import WORD_RULES, read_corrections_log
from corpusflow.io import doc_id_of, read_json, read_parquet, write_csv
from corpusflow.overview import corpus_overview, count_word_corrections, plot_overview
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    manifest = pd.DataFrame.from_records(snakemake.params.manifest)
    # Per-document counts only: the tokenise stage's metadata, the segment tables' ids.
    tokens = {doc_id_of(path): read_json(path) for path in snakemake.input.tokens}
    segments = {
        doc_id_of(path): len(read_parquet(path, columns=["segment_id"]))
        for path in snakemake.input.segments
    }
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
