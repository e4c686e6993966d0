"""Rule topics_phrase_counts (map): one shard's collocation counts for the topic bag of words
(corpusflow.topics.run.phrase_counts)."""

from types import SimpleNamespace

from corpusflow import io
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.topics.run import phrase_counts
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    settings = from_config(TopicsSettings, snakemake.config, "topics")
    # the shard's per-document files, listed by the shard records in input
    files = SimpleNamespace(tokens=snakemake.params.tokens, segments=snakemake.params.segments)
    counts = phrase_counts(files, settings)
    io.write_json(counts, snakemake.output.counts)
    log.info("%d words, %d words and pairs counted", counts["words"], len(counts["vocab"]))
