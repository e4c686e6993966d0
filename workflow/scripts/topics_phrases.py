"""Rule topics_phrases (reduce): the topic bag of words' collocations from the shards' summed
counts (corpusflow.topics.run.phrases)."""

from corpusflow import io
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.topics.run import phrases
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    settings = from_config(TopicsSettings, snakemake.config, "topics")
    record = phrases(snakemake.input, settings)
    io.write_json(record, snakemake.output.phrases)
    log.info("%d collocations", len(record.get("phrases", {})))
