"""Rule topics_phrases: the topic bag of words' two-word units, learned in one streamed pass
over the analysed documents' token tables (corpusflow.topics.run.documents)."""

from corpusflow import io
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.shards import ShardFiles
from corpusflow.topics.run.documents import phrases
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    settings = from_config(TopicsSettings, snakemake.config, "topics")
    # the per-document files, listed by the shard records in input
    record = phrases(ShardFiles(snakemake.input, snakemake.params.files), settings)
    io.write_json(record, snakemake.output.phrases)
    log.info("%d two-word units", len(record.get("phrases", {})))
