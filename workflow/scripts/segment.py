"""Rule segment: cut each analysed document of the job into segments (corpusflow.segment)."""

from corpusflow.io import read_parquet, write_parquet
from corpusflow.runlog import logged
from corpusflow.segment import SEGMENT_INPUT, make_segments

with logged(snakemake.log[0]) as log:
    for doc_id, tokens_path, segments_path in zip(
        snakemake.params.doc_ids, snakemake.input.tokens, snakemake.output.segments, strict=True
    ):
        # Only the columns segmentation needs: a fifth of the token table's memory.
        tokens = read_parquet(tokens_path, columns=SEGMENT_INPUT)
        segments = make_segments(tokens, doc_id, target_tokens=snakemake.params.target_tokens)
        write_parquet(segments, segments_path)
        log.info("%s: %d segments", doc_id, len(segments))
