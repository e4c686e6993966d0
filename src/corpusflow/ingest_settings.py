"""The ingest stage's settings (schema section ``ingest``): built once from the validated config.

A module beside ``corpusflow.ingest`` until the stage becomes a package (``ingest/settings.py``
of the stage contract, docs/development.md); light imports, so the workflow builds it at parse
time. The boilerplate profiles are regexes (free text), so the rule passes a checksum of the
settings and the job rebuilds them from the config (``from_config``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class IngestSettings:
    allowed_control_characters: tuple[int, ...]
    boilerplate_profiles: dict[str, Any]
    corpus_root: str
    unicode_form: str
