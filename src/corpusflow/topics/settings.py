"""The topics stage's settings: frozen dataclasses of the schema's ``topics`` leaves.

Built once from the validated config (:func:`corpusflow.settings.from_config`), passed to the
rules as ``params.settings`` and rebuilt in the scripts (:func:`corpusflow.settings.from_params`).
Defaults live in ``workflow/schemas/config.schema.yaml`` only; each field means what its key's
description there says.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Perturbation:
    replicates: int
    fraction: float
    seed: int
    null_draws: int
    min_heldout_words: int


@dataclass(frozen=True)
class Null:
    seeds: int
    replicates: int
    seed: int


@dataclass(frozen=True)
class Calibration:
    replicates: int
    seed: int
    level: float


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
    passes: int
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
            "iterations": self.iterations,
            "alpha": self.alpha,
            "eta": self.eta,
            "update_segments": self.update_segments,
        }
