"""Rule topics_sweep: the fits and measures of the sweep at this job's K values, and the same
fits on the shuffled-words null (corpusflow.topics.null)."""

import logging

from corpusflow.io import read_parquet, save_lda, write_json
from corpusflow.runlog import logged
from corpusflow.topics.documents import perturbation_masks
from corpusflow.topics.null import null_k, shuffled_words
from corpusflow.topics.sweep import Corpus, replicate_data, sweep_k

with logged(snakemake.log[0]) as log:
    logging.getLogger("gensim").setLevel(logging.WARNING)  # per-pass topic dumps
    params = snakemake.params
    texts = [list(t) for t in read_parquet(snakemake.input.documents)["terms"]]
    corpus = Corpus.build(texts, no_below=params.no_below, no_above=params.no_above)
    perturbation = params.perturbation
    masks = perturbation_masks(
        len(texts),
        replicates=perturbation["replicates"],
        fraction=perturbation["fraction"],
        seed=perturbation["seed"],
    )
    # The replicates' vocabularies and bags of words are the same at every K: built once.
    replicates = replicate_data(texts, masks, no_below=params.no_below, no_above=params.no_above)
    null_texts = shuffled_words(texts, params.null["seed"])
    null_corpus = Corpus.build(null_texts, no_below=params.no_below, no_above=params.no_above)
    null_masks = perturbation_masks(
        len(texts),
        replicates=params.null["replicates"],
        fraction=perturbation["fraction"],
        seed=perturbation["seed"],
    )
    null_replicates = replicate_data(
        null_texts, null_masks, no_below=params.no_below, no_above=params.no_above
    )
    fit = {**params.fit, "update_segments": params.update_segments}
    records = []
    for k in params.ks:
        record, models = sweep_k(
            texts,
            corpus,
            k,
            seeds=params.seeds,
            masks=masks,
            perturbation_seed=perturbation["seed"],
            null_draws=perturbation["null_draws"],
            no_below=params.no_below,
            no_above=params.no_above,
            top_n=params.top_n,
            frex_weight=params.frex_weight,
            fit=fit,
            replicates=replicates,
        )
        record["shuffled_null"] = null_k(
            null_corpus,
            null_replicates,
            k,
            seeds=params.seeds[: params.null["seeds"]],
            fit=fit,
            top_n=params.top_n,
            heldout_seed=perturbation["seed"],
        )
        records.append(record)
        for seed, model in models.items():
            save_lda(model, f"{snakemake.output.models}/k{k}_seed{seed}.gensim")
        log.info("K=%d: %d seed fits, %d replicates, and the null's", k, len(models), len(masks))
    write_json({"records": records}, snakemake.output.sweep)
