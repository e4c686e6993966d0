"""Rule segment: cut each analysed document into segments (corpusflow.segment)."""

from corpusflow import io
from corpusflow.runlog import logged
from corpusflow.segment import SEGMENT_INPUT, make_segments_from_pieces

with logged(snakemake.log[0]) as log:
    for doc_id, tokens_path, segments_path in zip(
        snakemake.params.doc_ids, snakemake.input.tokens, snakemake.output.segments, strict=True
    ):
        # The columns segmentation needs, a batch of rows at a time: memory holds one batch
        # and one row per sentence, not the token table.
        segments = make_segments_from_pieces(
            io.read_parquet_batches(tokens_path, SEGMENT_INPUT),
            doc_id,
            target_tokens=snakemake.params.target_tokens,
        )
        io.write_parquet(segments, segments_path)
        log.info("%s: %d segments", doc_id, len(segments))
