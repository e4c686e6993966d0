"""The keyness stage's settings: the leaves of the schema's ``keyness`` section, built once.

Built at parse time with ``corpusflow.settings.from_config(KeynessSettings, config,
"keyness")``; the rule passes ``as_params`` of it and the script rebuilds it with
``from_params`` (:mod:`corpusflow.settings`). No defaults here: they live in the schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class SpellingSettings:
    fold: bool
    to: str
    extra: Mapping[str, str]


@dataclass(frozen=True)
class BootstrapSettings:
    draws: int
    seed: int
    level: float


@dataclass(frozen=True)
class CalibrationSettings:
    replicates: int
    seed: int


@dataclass(frozen=True)
class KeynessSettings:
    target: str
    reference: str
    unit: str
    drop_stopwords: bool
    pos: tuple[str, ...]
    spelling_variants: SpellingSettings
    min_count: int
    phrases: tuple[str, ...]
    learn_phrases: bool
    phrase_min_count: int
    phrase_threshold: float
    yates: bool
    alpha_0: float
    rank_by: str
    fisher: str
    fisher_min_expected: float
    segment_test: str
    document_min: int
    bootstrap: BootstrapSettings
    calibration: CalibrationSettings
    top_q: str
    concentration_share: float
    top_n: int
    max_q: float
    min_log_ratio: float
    min_range: int
    min_robustness: float
    exclude_concentrated: bool
    kwic_context_chars: int
    kwic_max_lines: int
    figure_labels: int

    @property
    def draws(self) -> dict:
        """The bootstrap settings as keyword arguments of ``inference.bootstrap``."""
        return {
            "draws": self.bootstrap.draws,
            "seed": self.bootstrap.seed,
            "level": self.bootstrap.level,
        }
