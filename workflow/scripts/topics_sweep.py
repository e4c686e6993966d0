"""Rule topics_sweep: the fits and measures of the sweep at this job's K values, and the same
fits on the shuffled-words null (corpusflow.topics.run.sweep)."""

import logging

from corpusflow.io import save_lda, write_json
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.topics.run import sweep
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    logging.getLogger("gensim").setLevel(logging.WARNING)  # per-pass topic dumps
    settings = from_config(TopicsSettings, snakemake.config, "topics")
    records, models = sweep(snakemake.input, settings, ks=snakemake.params.ks)
    for k, by_seed in models.items():
        for seed, model in by_seed.items():
            save_lda(model, f"{snakemake.output.models}/k{k}_seed{seed}.gensim")
        log.info("K=%d: %d seed fits, their replicates and the null's", k, len(by_seed))
    write_json({"records": records}, snakemake.output.sweep)
