"""One line per job on the terminal: Snakemake's log, made readable for long runs.

Snakemake's own stderr log prints a 10-20 line block per job that lists every input and output
file, so a 500-document corpus prints thousands of file names per job. This handler, which
Snakemake loads as the logger plugin ``corpusflow`` (``--logger corpusflow``, set in the
workflow profiles), prints a job as it starts and ends, with the run's progress:

    [10:20:31] start   clean (2 threads)
    [10:20:48] done    clean in 17 s  ·  2 of 9 steps (22%)

Everything else (errors with the failed job's log, the job table, a dry run's listing of jobs
with their reasons, warnings) goes through Snakemake's own formatter unchanged. Snakemake's
full log under ``.snakemake/log/`` keeps every detail.
"""

from __future__ import annotations

import logging
import sys
import time

from snakemake_interface_logger_plugins.base import LogHandlerBase
from snakemake_interface_logger_plugins.common import LogEvent

#: Scheduler chatter with no information for a reader of the run.
NOISE = ("Select jobs to execute...",)
#: Snakemake's last message of a run with --report, which names no file.
REPORT_CREATED = "Report created."
#: The explorer page (workflow/rules/explorer.smk), named beside the report at a run's end.
EXPLORER = "results/explorer.html"


def report_path(argv: list[str]) -> str:
    """The report file given to ``--report`` on the command line (Snakemake's default if bare)."""
    for i, arg in enumerate(argv):
        if arg.startswith("--report="):
            return arg.split("=", 1)[1]
        if arg == "--report" and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            return argv[i + 1]
    return "report.html"


def _clock() -> str:
    return time.strftime("%H:%M:%S")


class ProgressHandler(LogHandlerBase):
    """Writes one line per job start and end to stderr; delegates the rest to Snakemake."""

    def __post_init__(self) -> None:
        from snakemake.logging import DefaultFormatter

        self.stream = sys.stderr
        self.snakemake_format = DefaultFormatter(
            self.common_settings.quiet, self.common_settings.show_failed_logs
        )
        self.started: dict[int, tuple[str, float]] = {}
        self.finished: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format_record(record)
            if line:
                self.stream.write(line + "\n")
                self.stream.flush()
        except Exception:  # a log line must never break the run
            self.handleError(record)

    def format_record(self, record: logging.LogRecord) -> str | None:
        event = getattr(record, "event", None)
        if event == LogEvent.JOB_INFO and not self.common_settings.dryrun:
            self.started[record.jobid] = (record.rule_name, time.monotonic())
            threads = f" ({record.threads} threads)" if record.threads > 1 else ""
            return f"[{_clock()}] start   {record.rule_name}{threads}"
        if event == LogEvent.SHELLCMD:
            return None
        if record.getMessage() == REPORT_CREATED:
            return f"[{_clock()}] open    {report_path(sys.argv)} (the report) and {EXPLORER}"
        if event == LogEvent.JOB_STARTED or record.getMessage() in NOISE:
            return None
        if event == LogEvent.JOB_FINISHED:
            rule, start = self.started.pop(record.job_id, (f"job {record.job_id}", None))
            took = f" in {time.monotonic() - start:.0f} s" if start is not None else ""
            self.finished.append(rule + took)
            return None
        if event == LogEvent.PROGRESS:
            rules = ", ".join(self.finished) or "job"
            self.finished = []
            share = f"{100 * record.done / max(record.total, 1):.0f}%"
            return (
                f"[{_clock()}] done    {rules}  ·  {record.done} of {record.total} steps ({share})"
            )
        return self.snakemake_format.format(record)

    @property
    def writes_to_stream(self) -> bool:
        return True

    @property
    def writes_to_file(self) -> bool:
        return False

    @property
    def has_filter(self) -> bool:
        return False  # Snakemake's filter applies --quiet and --verbose

    @property
    def has_formatter(self) -> bool:
        return True

    @property
    def needs_rulegraph(self) -> bool:
        return False
