"""Rule topics_sweep: the fits and measures of this job's units of the sweep (K values, or one
K's seed fits, replicates or shuffled-words null: corpusflow.topics.run.sweep)."""

import logging

from corpusflow.io import save_lda, write_json
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.topics.run.sweep import sweep
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    logging.getLogger("gensim").setLevel(logging.WARNING)  # per-pass topic dumps
    settings = from_config(TopicsSettings, snakemake.config, "topics")
    records, models = sweep(snakemake.input, settings, units=snakemake.params.units)
    saved = {}
    for k, by_seed in models.items():
        for seed, model in by_seed.items():
            saved[f"k{k}_seed{seed}"] = model.passes_used
            save_lda(model, f"{snakemake.output.models}/k{k}_seed{seed}.gensim")
    log.info("units %s; seed fits saved: %d", snakemake.params.units, len(saved))
    # the folder's index (passes by model) also makes it for a job without seed fits
    write_json({"passes": saved}, f"{snakemake.output.models}/index.json")
    write_json({"records": records}, snakemake.output.sweep)
