"""Rule segment: cut one analysed document into segments (corpusflow.segment)."""

from corpusflow.runlog import logged
from corpusflow.segment import make_segments
from corpusflow.tables import read_parquet, write_parquet

with logged(snakemake.log[0]) as log:
    tokens = read_parquet(snakemake.input.tokens)
    segments = make_segments(
        tokens, snakemake.wildcards.doc_id, target_tokens=snakemake.params.target_tokens
    )
    write_parquet(segments, snakemake.output.segments)
    log.info("%s: %d segments", snakemake.wildcards.doc_id, len(segments))
