"""Rule topics_sweep_extra (the sweep split by fits): the K values' records completed with the
replicates their pilots' spreads ask for, on both sides (corpusflow.topics.run.sweep)."""

import logging

from corpusflow.io import write_json
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.topics.run.sweep import sweep_extra
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    logging.getLogger("gensim").setLevel(logging.WARNING)  # per-pass topic dumps
    settings = from_config(TopicsSettings, snakemake.config, "topics")
    records = sweep_extra(snakemake.input, settings, ks=snakemake.params.ks)
    for record in records:
        plans = [record["replicate_plan"], record["shuffled_null"]["replicate_plan"]]
        log.info("K=%d: replicates %s", record["k"], plans)
    write_json({"records": records}, snakemake.output.sweep)
