"""The report stage's settings (schema section ``report``): built once from the validated config
at parse time (workflow/rules/report.smk), passed to the job as ``params.settings``
(``corpusflow.settings``). Light imports: the workflow builds it while it parses."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportSettings:
    table_rows: int
