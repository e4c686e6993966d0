"""The topics stage's settings: frozen dataclasses of the schema's ``topics`` leaves.

Built once from the validated config (:func:`corpusflow.settings.from_config`), passed to the
rules as ``params.settings`` and rebuilt in the scripts (:func:`corpusflow.settings.from_params`).
Defaults live in ``workflow/schemas/config.schema.yaml`` only; each field means what its key's
description there says.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpusflow.settings import as_params, field_paths


@dataclass(frozen=True)
class Perturbation:
    replicates: int
    target_se: float
    max_replicates: int
    fraction: float
    seed: int
    null_draws: int
    min_heldout_words: int


@dataclass(frozen=True)
class Null:
    seeds: int
    replicates: int
    seed: int
    level: float


@dataclass(frozen=True)
class Calibration:
    replicates: int
    seed: int


@dataclass(frozen=True)
class Bootstrap:
    n: int
    block_size: int | str
    seed: int
    level: float
    resample_documents_from: int
    prior_floor_words: float


@dataclass(frozen=True)
class TopicsSettings:
    unit: str
    drop_stopwords: bool
    extra_stopwords: tuple
    min_length: int
    phrases: bool
    phrase_min_count: int
    phrase_threshold: float
    no_below: int
    no_above: float
    pos: tuple
    k_min: int
    k_max: int
    seeds: int | tuple
    base_seed: int
    k: int | None
    sweep_jobs: int
    sweep_split: str
    passes: int
    pass_tolerance: float
    update_segments: int
    iterations: int
    alpha: str | float
    eta: str | float
    measure_top_n: int
    frex_weight: float
    perturbation: Perturbation
    null: Null
    calibration: Calibration
    text_identity_share: float
    recurrence_threshold: float
    min_recurrence: float
    min_nmf_jaccard: float
    top_n_terms: int
    n_passages: int
    flow_max_panels: int
    bootstrap: Bootstrap
    labels_file: str

    @property
    def fit(self) -> dict:
        """The settings of every LDA fit (the `fit` of corpusflow.topics.sweep.fit_lda)."""
        return {
            "passes": self.passes,
            "pass_tolerance": self.pass_tolerance,
            "iterations": self.iterations,
            "alpha": self.alpha,
            "eta": self.eta,
            "update_segments": self.update_segments,
        }


#: The keys of every LDA fit (:attr:`TopicsSettings.fit`).
FIT_FIELDS = ("passes", "pass_tolerance", "iterations", "alpha", "eta", "update_segments")

#: What every fitted model reads: its vocabulary filter, seeds, fit and top-term measures.
_MODEL_FIELDS = (
    "no_below",
    "no_above",
    "seeds",
    "base_seed",
    "measure_top_n",
    "frex_weight",
    *FIT_FIELDS,
)
#: What a sweep fits and measures (the sweep's and the calibration's K grids come apart).
_SWEEP_FIELDS = (
    *_MODEL_FIELDS,
    "perturbation.replicates",
    "perturbation.target_se",
    "perturbation.max_replicates",
    "perturbation.fraction",
    "perturbation.seed",
    "perturbation.null_draws",
    "null.seeds",
    "null.replicates",
    "null.seed",
)

#: What the bag of words' map and reduce rules read (the terms and their collocations).
_BAG_FIELDS = (
    "unit",
    "drop_stopwords",
    "extra_stopwords",
    "min_length",
    "phrases",
    "phrase_min_count",
    "phrase_threshold",
    "pos",
)

#: The settings each topics rule reads (dotted paths; a section name stands for all its keys).
#: A rule's ``params.settings`` carries only these, so a changed key reruns only the rules that
#: read it (and, through their outputs, the rules after them). ``sweep_jobs`` and ``sweep_split``
#: are read at parse time only (each sweep job's units of work are its own params).
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "topics_phrases": _BAG_FIELDS,
    "topics_shard_documents": _BAG_FIELDS,
    "topics_documents": (*_BAG_FIELDS, "k_max", "perturbation.fraction"),
    "topics_sweep": _SWEEP_FIELDS,
    "topics_sweep_extra": _SWEEP_FIELDS,
    "topics_model_selection": ("k", "perturbation.min_heldout_words", "null.level"),
    "topics_final": (
        *_MODEL_FIELDS,
        "recurrence_threshold",
        "min_recurrence",
        "min_nmf_jaccard",
        "text_identity_share",
        "top_n_terms",
        "n_passages",
        "labels_file",
    ),
    "topics_prevalence": ("bootstrap",),
    "topics_calibration": (
        *_SWEEP_FIELDS,
        "k_min",
        "k_max",
        "perturbation.min_heldout_words",
        "null.level",
        "calibration",
    ),
    "topics_figures": ("bootstrap.level", "flow_max_panels"),
}


def rule_params(settings: TopicsSettings, rule: str) -> dict:
    """The part of ``as_params(settings)`` that ``rule`` reads (:data:`RULE_FIELDS`), nested as
    in the config, for the rule's ``params.settings`` checksum."""
    paths = RULE_FIELDS[rule]
    unknown = [
        p
        for p in paths
        if not any(f == p or f.startswith(f"{p}.") for f in field_paths(type(settings)))
    ]
    if unknown:
        raise KeyError(f"{rule}: no topics setting {unknown}")
    out: dict = {}
    full = as_params(settings)
    for path in paths:
        *parents, leaf = path.split(".")
        source, target = full, out
        for part in parents:
            source, target = source[part], target.setdefault(part, {})
        target[leaf] = source[leaf]
    return out
