"""Rules topics_sweep and topics_sweep_extra: the fits over K, seeds and replicates."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace

from corpusflow import io
from corpusflow.topics.run.inputs import joined_records, seeds_of, texts
from corpusflow.topics.settings import TopicsSettings


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
    random-topic null ("replicates") and its shuffled-words null's fits ("null"); the
    model selection (:mod:`corpusflow.topics.run.selection`) joins a K's parts from several
    jobs. A unit "all" also fits the replicates the pilots' spreads ask for; split by fits,
    :func:`sweep_extra` does, once the pilots are in. Each fit is seeded on its own, so the
    records do not depend on how the units are shared among jobs."""
    from corpusflow.topics.null import null_k
    from corpusflow.topics.sweep import replicate_fits, seed_fits

    groups = {group for _, group in units}
    designs = _designs(texts(inputs.documents), settings, null=bool(groups & {"all", "null"}))
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
    designs = _designs(texts(inputs.documents), settings, null=True)
    for k in ks:
        _complete(records[k], designs, settings)
    return [records[k] for k in sorted(ks)]
