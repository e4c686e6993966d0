"""The segment stage's settings (schema section ``segments``): built once from the validated
config at parse time, passed to the job as ``params.settings`` (``corpusflow.settings``).

A module beside ``corpusflow.segment`` (which imports pandas) until the stage becomes a package
(``segment/settings.py`` of the stage contract, docs/development.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SegmentSettings:
    target_tokens: int
