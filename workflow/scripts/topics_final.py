"""Rule topics_final: the model at the chosen K (medoid seed), its tables and posterior."""

import logging

from corpusflow.io import (
    load_lda,
    read_json,
    read_parquet,
    read_parquets,
    read_texts,
    read_topic_labels,
    save_lda,
    write_csv,
    write_json,
    write_parquet,
)
from corpusflow.runlog import logged
from corpusflow.topics.final import (
    diagnostics_table,
    final_model,
    label_topics,
    nmf_agreement,
    passages_table,
    posterior_table,
    segments_table,
    terms_table,
    topic_flags,
)
from corpusflow.topics.sweep import Corpus

with logged(snakemake.log[0]) as log:
    logging.getLogger("gensim").setLevel(logging.WARNING)
    params = snakemake.params
    documents = read_parquet(snakemake.input.documents)
    texts = [list(t) for t in documents["terms"]]
    corpus = Corpus.build(texts, no_below=params.no_below, no_above=params.no_above)
    k = read_json(snakemake.input.choice)["k"]
    models = {
        seed: load_lda(f"{snakemake.input.models}/k{k}_seed{seed}.gensim") for seed in params.seeds
    }
    final = final_model(
        models, corpus.bows, top_n=params.top_n, recurrence_threshold=params.recurrence_threshold
    )
    labels_file = read_topic_labels(snakemake.input.labels[0]) if snakemake.input.labels else None
    labels, unmatched = label_topics(final.topics, labels_file)
    for terms in unmatched:
        log.warning("labels file row %r matches no topic of this model", terms)

    agreement = nmf_agreement(
        corpus.texts, final.topics, final.theta, seed=final.seed, top_n=params.top_n
    )
    agreement.insert(1, "label", labels)
    diagnostics = diagnostics_table(
        final, corpus, top_n=params.top_n, frex_weight=params.frex_weight
    )
    diagnostics["nmf_jaccard"] = agreement["jaccard"].to_numpy()
    diagnostics["flag"] = topic_flags(
        diagnostics["recurrence"],
        diagnostics["nmf_jaccard"],
        min_recurrence=params.min_recurrence,
        min_nmf_jaccard=params.min_nmf_jaccard,
    )
    write_csv(
        terms_table(final, labels, diagnostics, top_n=params.top_n_terms), snakemake.output.terms
    )
    write_csv(agreement, snakemake.output.nmf)
    segment_topics = segments_table(
        documents,
        read_parquets(snakemake.params.files["segments"]),
        final.theta,
        labels,
        params.groups,
        list(diagnostics["flag"]),
    )
    write_csv(segment_topics, snakemake.output.segments)
    texts_by_doc = read_texts(snakemake.params.files["texts"])
    write_csv(
        passages_table(segment_topics, texts_by_doc, n_passages=params.n_passages),
        snakemake.output.passages,
    )
    write_parquet(posterior_table(final, documents), snakemake.output.posterior)
    save_lda(final.model, f"{snakemake.output.model}/lda.gensim")
    write_json(
        {"k": k, "seed": final.seed, "topic_order": final.order.tolist(), **params.fit},
        f"{snakemake.output.model}/model.json",
    )
    log.info("K=%d, medoid seed %d; topics: %s", k, final.seed, labels)
    log.info("diagnostics:\n%s", diagnostics.to_string())
