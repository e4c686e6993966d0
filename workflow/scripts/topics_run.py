"""Rule topics_run: fit and measure one (K, seed) run of the sweep (corpusflow.topics)."""

import logging

from corpusflow.io import read_parquet
from corpusflow.runlog import logged
from corpusflow.topics import check_k_fits, evaluate_run, heldout_mask, write_run

with logged(snakemake.log[0]) as log:
    logging.getLogger("gensim").setLevel(logging.WARNING)  # per-pass topic dumps
    documents = read_parquet(snakemake.input.documents)
    texts = [list(terms) for terms in documents["terms"]]
    check_k_fits(int(snakemake.wildcards.k), len(texts), snakemake.params.heldout_every)
    run = evaluate_run(
        texts,
        heldout_mask(documents["order"], snakemake.params.heldout_every),
        int(snakemake.wildcards.k),
        int(snakemake.wildcards.seed),
        top_n=snakemake.params.top_n,
        **snakemake.params.fit,
    )
    write_run(run, snakemake.output.run)
    log.info(
        "K=%d seed=%d: NPMI %.4f, completion %.4f",
        run["k"],
        run["seed"],
        run["coherence_npmi"],
        run["completion_loglik"],
    )
