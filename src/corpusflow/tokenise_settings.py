"""The tokenise stage's settings (schema section ``tokenise``): built once from the validated
config at parse time, passed to the job as ``params.settings`` (``corpusflow.settings``).

A module beside ``corpusflow.tokenise`` (which imports spaCy) until the stage becomes a package
(``tokenise/settings.py`` of the stage contract, docs/development.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TokeniseSettings:
    batch_size: int
    extra_stopwords: tuple[str, ...]
    lemma_overrides: dict[str, str]
    pipeline: str
