"""Rule topics_final: the model at topics.k with the medoid seed, and its tables."""

import json
import logging
from pathlib import Path

import pandas as pd

from corpusflow.io import read_parquet, write_csv
from corpusflow.runlog import logged
from corpusflow.topics import (
    fit_final,
    label_topics,
    nmf_agreement,
    passages_table,
    read_runs,
    read_topic_labels,
    save_model,
    segments_table,
    terms_table,
)

with logged(snakemake.log[0]) as log:
    logging.getLogger("gensim").setLevel(logging.WARNING)  # per-pass topic dumps
    params = snakemake.params
    documents = read_parquet(snakemake.input.documents)
    texts = [list(terms) for terms in documents["terms"]]
    segments = pd.concat([read_parquet(p) for p in snakemake.input.segments], ignore_index=True)
    final = fit_final(
        texts,
        read_runs(snakemake.input.runs),
        params.k,
        top_n=params.top_n,
        recurrence_threshold=params.recurrence_threshold,
        **params.fit,
    )
    labels_file = read_topic_labels(snakemake.input.labels[0]) if snakemake.input.labels else None
    labels, unmatched = label_topics(final.topics, labels_file)
    for terms in unmatched:
        log.warning("labels file row %r matches no topic of this model", terms)

    model_dir = Path(snakemake.output.model)
    model_dir.mkdir(parents=True, exist_ok=True)
    save_model(final.model, model_dir / "lda.gensim")
    description = {"k": params.k, "seed": final.seed, "topic_order": final.order.tolist()}
    (model_dir / "model.json").write_text(
        json.dumps({**description, **params.fit}, indent=1, sort_keys=True) + "\n"
    )

    write_csv(
        terms_table(final.model, final.order, labels, final.recurrence, params.top_n_terms),
        snakemake.output.terms,
    )
    segment_topics = segments_table(
        documents, segments, final.theta, final.order, labels, params.groups
    )
    write_csv(segment_topics, snakemake.output.segments)
    texts_by_doc = {
        Path(path).stem: Path(path).read_text(encoding="utf-8") for path in snakemake.input.texts
    }
    write_csv(
        passages_table(segment_topics, texts_by_doc, params.n_passages), snakemake.output.passages
    )
    agreement = nmf_agreement(
        texts, final.topics, final.theta[:, final.order], params.k, final.seed, params.top_n
    )
    agreement.insert(0, "topic", range(1, params.k + 1))
    agreement.insert(1, "label", labels)
    write_csv(agreement, snakemake.output.nmf)
    log.info("K=%d, medoid seed %d; topics: %s", params.k, final.seed, labels)
    log.info("NMF agreement (mean top-term Jaccard) %.3f", agreement["jaccard"].mean())
