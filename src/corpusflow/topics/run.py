"""The work of each topics rule, as ``<rule>(inputs, settings)`` (the stage contract).

Each function takes the rule's ``snakemake.input`` (named input files) and the stage's
:class:`~corpusflow.topics.settings.TopicsSettings`, reads its inputs through
:mod:`corpusflow.io` and returns what the rule's script writes; the scripts only read
``snakemake.*``, build the settings, call one of these and write. Values that depend on the
job (the sweep part's K values) or on free text outside the topics section (the groups) come
as keyword arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from types import SimpleNamespace

import pandas as pd

from corpusflow import io
from corpusflow.topics.checks import resolve_seeds
from corpusflow.topics.settings import TopicsSettings


def seeds_of(settings: TopicsSettings) -> list[int]:
    """The sweep's seeds (``topics.seeds`` as a list, or a count from ``base_seed``)."""
    return resolve_seeds(settings.seeds, settings.base_seed)


def _texts(path) -> list[list[str]]:
    return [list(t) for t in io.read_parquet(path)["terms"]]


def _documents(inputs, rules) -> Callable:
    """The analysed documents' token tables (``inputs.tokens``, ``inputs.segments``) as
    :func:`corpusflow.io.read_documents` reads them: one document at a time, in batches, only
    the columns counting needs."""
    from corpusflow.terms import PIECE_ROWS, counting_columns

    columns = counting_columns(rules)
    return lambda: io.read_documents(inputs.tokens, inputs.segments, columns, rows=PIECE_ROWS)


def phrases(inputs, settings: TopicsSettings) -> dict:
    """Rule topics_phrases: the two-word units of the analysed documents, learned as keyness
    learns its units, in two streamed passes (:func:`corpusflow.terms.learn_phrase_models`),
    as a record (:func:`corpusflow.terms.phrase_model_record`; none without
    ``topics.phrases``)."""
    from corpusflow.terms import learn_phrase_models, phrase_model_record, token_pieces
    from corpusflow.topics.documents import term_rules

    rules = term_rules(settings)
    if rules.learning is None:
        return phrase_model_record(None)
    documents = _documents(inputs, rules)
    (model,) = learn_phrase_models(lambda: token_pieces(documents()), [rules])
    return phrase_model_record(model)


def shard_documents(inputs, settings: TopicsSettings) -> pd.DataFrame:
    """Rule topics_shard_documents (map, one shard): the documents table's rows of the shard's
    analysed documents, with the two-word units of ``inputs.phrases``."""
    from corpusflow.terms import phrase_model_from_record
    from corpusflow.topics.documents import DOCUMENTS_ROWS, documents_in_pieces, term_rules

    rules = term_rules(settings)
    pieces = documents_in_pieces(
        _documents(inputs, rules),
        rules,
        rows=DOCUMENTS_ROWS,
        model=phrase_model_from_record(io.read_json(inputs.phrases)),
    )
    return pd.concat(list(pieces), ignore_index=True)


def documents(inputs, settings: TopicsSettings) -> tuple[Iterator[pd.DataFrame], object]:
    """Rule topics_documents (reduce): the documents table's pieces, the shards' tables in
    doc_id order (written as they come), and the summary they fill as they are written
    (segments, term tokens, distinct terms)."""
    from corpusflow.topics.documents import DOCUMENTS_ROWS, DocumentsSummary, merged_documents

    summary = DocumentsSummary()
    pieces = merged_documents(map(io.read_parquet, inputs.shards), rows=DOCUMENTS_ROWS)
    return map(summary.add, pieces), summary


def _designs(texts: list, settings: TopicsSettings, *, null: bool) -> SimpleNamespace:
    """The corpus's and (with ``null``) its shuffled-words null's full data and replicates
    (:func:`corpusflow.topics.sweep.design`), planned up to the most replicates a side can
    get and built as used."""
    from corpusflow.topics.null import shuffled_words
    from corpusflow.topics.sweep import design, most_replicates

    most = most_replicates(settings, settings.perturbation.replicates)
    corpus, replicates = design(texts, settings, most)
    designs = SimpleNamespace(corpus=corpus, replicates=replicates)
    if null:
        most = most_replicates(settings, settings.null.replicates)
        designs.null_corpus, designs.null_replicates = design(
            shuffled_words(texts, settings.null.seed), settings, most
        )
    return designs


def _complete(record: dict, designs: SimpleNamespace, settings: TopicsSettings) -> None:
    """Both sides of a K's ``record`` (pilots fitted) with the replicates their pilots' spreads
    ask for (:func:`corpusflow.topics.sweep.extend_side`; :mod:`corpusflow.topics.replicates`)."""
    from corpusflow.topics.sweep import extend_side

    k, seeds = record["k"], seeds_of(settings)
    pilot = settings.perturbation.replicates
    extend_side(record, designs.replicates, k, settings, seeds=seeds, pilot=pilot)
    null_seeds, null_pilot = seeds[: settings.null.seeds], settings.null.replicates
    side = record["shuffled_null"]
    extend_side(side, designs.null_replicates, k, settings, seeds=null_seeds, pilot=null_pilot)


def sweep(inputs, settings: TopicsSettings, *, units: Sequence) -> tuple[list, dict]:
    """Rule topics_sweep: the records of this job's ``units`` of the sweep
    (:func:`corpusflow.topics.checks.sweep_units`: ``[k, group]``, group "all" or one of
    :data:`~corpusflow.topics.checks.FIT_GROUPS`), one per K, and the full-data models by K
    and seed. A K's record holds its seed fits ("seeds"), its perturbation replicates and
    random-topic null ("replicates") and its shuffled-words null's fits ("null");
    :func:`model_selection` joins a K's parts from several jobs. A unit "all" also fits the
    replicates the pilots' spreads ask for; split by fits, :func:`sweep_extra` does, once the
    pilots are in. Each fit is seeded on its own, so the records do not depend on how the
    units are shared among jobs."""
    from corpusflow.topics.null import null_k
    from corpusflow.topics.sweep import replicate_fits, seed_fits

    groups = {group for _, group in units}
    designs = _designs(_texts(inputs.documents), settings, null=bool(groups & {"all", "null"}))
    corpus, seeds = designs.corpus, seeds_of(settings)
    records, models = {}, {}
    for k, group in units:
        record = records.setdefault(k, {"k": int(k)})
        if group in ("all", "seeds"):
            record["seeds"], models[k] = seed_fits(corpus, k, settings, seeds=seeds)
        if group in ("all", "replicates"):
            record.update(replicate_fits(corpus, designs.replicates, k, settings, seeds=seeds))
        if group in ("all", "null"):
            record["shuffled_null"] = null_k(
                designs.null_corpus,
                designs.null_replicates,
                k,
                settings,
                seeds=seeds[: settings.null.seeds],
                pilot=settings.null.replicates,
            )
        if group == "all":
            _complete(record, designs, settings)
    return [records[k] for k in sorted(records)], models


def sweep_extra(inputs, settings: TopicsSettings, *, ks: Sequence[int]) -> list[dict]:
    """Rule topics_sweep_extra (the sweep split by fits): the whole records of ``ks``, their
    pilot fits read from the sweep's parts (``inputs.sweep``) and completed with the
    replicates the pilots' spreads ask for, on both sides (:func:`_complete`). They come after
    the parts in :func:`joined_records`, so they replace the pilots' records."""
    parts = [io.read_json(path)["records"] for path in inputs.sweep]
    records = {record["k"]: record for record in joined_records(parts)}
    designs = _designs(_texts(inputs.documents), settings, null=True)
    for k in ks:
        _complete(records[k], designs, settings)
    return [records[k] for k in sorted(ks)]


def joined_records(parts: Sequence[Sequence[dict]]) -> list[dict]:
    """The sweep's records, one per K, from the jobs' ``parts`` (each a list of records that
    may hold only some of a K's groups), sorted by K."""
    joined: dict[int, dict] = {}
    for records in parts:
        for record in records:
            joined.setdefault(record["k"], {}).update(record)
    return [joined[k] for k in sorted(joined)]


def model_selection(inputs, settings: TopicsSettings) -> tuple[pd.DataFrame, dict]:
    """Rule topics_model_selection: the marked model-selection table and the K rule's choice."""
    from corpusflow.topics.stability import choose_k, mark_choice, selection_table

    # the completed records replace the pilots' (Snakemake leaves out an empty named input)
    paths = [*inputs.sweep, *getattr(inputs, "extra", [])]
    records = joined_records([io.read_json(path)["records"] for path in paths])
    min_words = settings.perturbation.min_heldout_words
    table = selection_table(records, min_heldout_words=min_words, level=settings.null.level)
    choice = choose_k(table, settings.k)
    return mark_choice(table, choice), choice


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


def prevalence(inputs, settings: TopicsSettings) -> pd.DataFrame:
    """Rule topics_prevalence: the final model's prevalence per group (interval, seeds' range)."""
    from dataclasses import asdict

    from corpusflow.topics.prevalence import prevalence_by_group

    return prevalence_by_group(
        io.read_csv(inputs.segments),
        io.read_parquet(inputs.posterior),
        **asdict(settings.bootstrap),
    )


def calibration(inputs, settings: TopicsSettings) -> pd.DataFrame:
    """Rule topics_calibration: the K rule's calibration row on shuffled-words corpora."""
    from corpusflow.calibration import COLUMNS
    from corpusflow.topics.calibration import calibrate

    row = calibrate(_texts(inputs.documents), settings, seeds_of(settings))
    return pd.DataFrame([row], columns=COLUMNS)


def figures(inputs, settings: TopicsSettings, *, groups: Mapping[str, str]) -> dict:
    """Rule topics_figures: the model-selection, prevalence and flow figures (``groups``:
    group -> label, in the config's order)."""
    from corpusflow.topics.figures import plot_flow, plot_model_selection, plot_prevalence

    choice = io.read_json(inputs.choice)
    order = list(groups)
    return {
        "selection": plot_model_selection(io.read_csv(inputs.selection, na_values=[""]), choice),
        "prevalence": plot_prevalence(
            io.read_csv(inputs.prevalence),
            group_order=order,
            group_labels=groups,
            level=settings.bootstrap.level,
        ),
        "flow": plot_flow(
            io.read_csv(inputs.segments),
            group_order=order,
            group_labels=groups,
            max_panels=settings.flow_max_panels,
        ),
    }
