"""Rule topics_final: the final model at the chosen K and its tables."""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace

import pandas as pd

from corpusflow import io
from corpusflow.topics.run.inputs import seeds_of
from corpusflow.topics.settings import TopicsSettings


def _final_tables(final, corpus, documents_table, settings: TopicsSettings) -> dict:
    """The NMF cross-check and the per-topic diagnostics with their flags."""
    from corpusflow.topics.final import (
        diagnostics_table,
        document_shares,
        nmf_agreement,
        topic_flags,
    )

    top_n = settings.measure_top_n
    agreement = nmf_agreement(corpus.texts, final.topics, final.theta, seed=final.seed, top_n=top_n)
    diagnostics = diagnostics_table(final, corpus, top_n=top_n, frex_weight=settings.frex_weight)
    diagnostics["nmf_jaccard"] = agreement["jaccard"].to_numpy()
    lengths = [len(t) for t in corpus.texts]
    shares = document_shares(final.theta, lengths, documents_table["doc_id"])
    diagnostics = pd.concat([diagnostics, shares], axis=1)
    thresholds = {
        "min_recurrence": settings.min_recurrence,
        "min_nmf_jaccard": settings.min_nmf_jaccard,
        "text_identity_share": settings.text_identity_share,
    }
    n_documents = documents_table["doc_id"].nunique()
    diagnostics["flag"] = topic_flags(diagnostics, thresholds, n_documents)
    return {"agreement": agreement, "diagnostics": diagnostics, "n_documents": n_documents}


def final(inputs, settings: TopicsSettings, *, groups: Mapping[str, str]) -> SimpleNamespace:
    """Rule topics_final: the final model at the chosen K and its tables (``groups``: doc_id ->
    group). Returns the model, the tables, ``model_json`` and the unmatched label rows."""
    from corpusflow.topics import final as final_mod
    from corpusflow.topics.sweep import Corpus

    documents_table = io.read_parquet(inputs.documents)
    texts = [list(t) for t in documents_table["terms"]]
    corpus = Corpus.build(texts, no_below=settings.no_below, no_above=settings.no_above)
    choice = io.read_json(inputs.choice)
    models = {
        s: io.load_lda(f"{inputs.models}/k{choice['k']}_seed{s}.gensim") for s in seeds_of(settings)
    }
    model = final_mod.final_model(
        models,
        corpus.bows,
        top_n=settings.measure_top_n,
        recurrence_threshold=settings.recurrence_threshold,
    )
    labels_file = io.read_topic_labels(inputs.labels[0]) if inputs.labels else None
    labels, unmatched = final_mod.label_topics(model.topics, labels_file)
    tables = _final_tables(model, corpus, documents_table, settings)
    tables["agreement"].insert(1, "label", labels)
    flags = list(tables["diagnostics"]["flag"])
    segment_topics = final_mod.segments_table(
        documents_table, io.read_parquets(inputs.segments), model.theta, labels, groups, flags
    )
    return SimpleNamespace(
        model=model.model,
        terms=final_mod.terms_table(
            model, labels, tables["diagnostics"], top_n=settings.top_n_terms
        ),
        nmf=tables["agreement"],
        segments=segment_topics,
        passages=final_mod.passages_table(
            segment_topics, io.read_texts(inputs.texts), n_passages=settings.n_passages
        ),
        posterior=final_mod.posterior_table(model, documents_table),
        model_json=_model_json(choice, model, tables, len(documents_table), settings),
        diagnostics=tables["diagnostics"],
        labels=labels,
        unmatched=unmatched,
    )


def _model_json(choice: dict, model, tables: dict, n_segments: int, settings) -> dict:
    """What model.json records: the K, where it came from and the evidence for it, the fit,
    the independent units (documents; segments nest in them) and the text-identity topics."""
    fit = {key: settings.fit[key] for key in ("iterations", "alpha", "eta", "pass_tolerance")}
    fit["max_passes"] = settings.fit["passes"]
    fit["passes"] = model.model.passes_used  # the final model's fit stopped here
    flags = tables["diagnostics"]["flag"]
    return {
        "k": choice["k"],
        "k_source": choice["k_source"],
        "k_evidence": choice["k_evidence"],
        "rule_k": choice["rule_k"],
        "seed": model.seed,
        "topic_order": model.order.tolist(),
        **fit,
        "n_documents": int(tables["n_documents"]),
        "n_segments": n_segments,
        "text_identity_topics": [i + 1 for i, f in enumerate(flags) if "text identity" in f],
    }
