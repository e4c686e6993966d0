"""Rule topics_final: the model at the chosen K (medoid seed), its tables, posterior and
model.json (corpusflow.topics.run.final)."""

import logging

from corpusflow.io import save_lda, write_csv, write_json, write_parquet
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.shards import ShardFiles
from corpusflow.topics.run.final import final
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    logging.getLogger("gensim").setLevel(logging.WARNING)
    settings = from_config(TopicsSettings, snakemake.config, "topics")
    # the per-document files of params.files in place of the shard records that list them
    inputs = ShardFiles(snakemake.input, snakemake.params.files)
    out = final(inputs, settings, groups=snakemake.params.groups)
    for terms in out.unmatched:
        log.warning("labels file row %r matches no topic of this model", terms)
    for name in ("terms", "nmf", "segments", "passages"):
        write_csv(getattr(out, name), getattr(snakemake.output, name))
    write_parquet(out.posterior, snakemake.output.posterior)
    save_lda(out.model, f"{snakemake.output.model}/lda.gensim")
    write_json(out.model_json, f"{snakemake.output.model}/model.json")
    log.info("model: %s\ntopics: %s", out.model_json, out.labels)
    log.info("diagnostics:\n%s", out.diagnostics.to_string())
