"""The explorer stage's settings: the schema's ``explorer`` section, built once at parse time
(the stage contract: :mod:`corpusflow.settings`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExplorerSettings:
    """The ``explorer`` section of the config (defaults and meanings: the schema)."""

    kwic_lines_per_term: int
    kwic_context_chars: int
    topic_terms: int
    relevance_lambda: float
    export_context_words: int
    max_text_chars: int
