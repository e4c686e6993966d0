"""Rule segment: cut each analysed document of a shard into segments (corpusflow.segment)."""

from corpusflow import io
from corpusflow.runlog import logged
from corpusflow.segment import SEGMENT_INPUT, run
from corpusflow.segment_settings import SegmentSettings
from corpusflow.settings import from_params
from corpusflow.shards import shard_record

with logged(snakemake.log[0]) as log:
    params = snakemake.params
    settings = from_params(SegmentSettings, params.settings)
    for doc_id, tokens_path, segments_path in zip(
        params.doc_ids, params.tokens, params.segments, strict=True
    ):
        # The columns segmentation needs, a batch of rows at a time: memory holds one batch
        # and one row per sentence, not the token table.
        segments = run(io.read_parquet_batches(tokens_path, SEGMENT_INPUT), doc_id, settings)
        io.write_parquet(segments, segments_path)
        log.info("%s: %d segments", doc_id, len(segments))
    io.write_json(shard_record(params.segments), snakemake.output.record)
