"""Rule topics_shard_documents (map): one bag of words per analysed segment of one shard
(corpusflow.topics.run.documents)."""

from types import SimpleNamespace

from corpusflow import io
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.topics.run.documents import shard_documents
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    settings = from_config(TopicsSettings, snakemake.config, "topics")
    # the shard's per-document files, listed by the shard records in input
    files = SimpleNamespace(
        tokens=snakemake.params.tokens,
        segments=snakemake.params.segments,
        phrases=snakemake.input.phrases,
    )
    table = shard_documents(files, settings)
    io.write_parquet(table, snakemake.output.documents)
    log.info("%d segments", len(table))
