"""Tables shown inside the HTML report: the first rows of a CSV as a small, escaped HTML page.

Snakemake's report offers CSV files only as downloads; an HTML file is shown in the page. Every
cell goes through :func:`html.escape`, so corpus text and manifest fields in a table are shown
as text, never interpreted as markup. :func:`run` is the report_tables rule's work.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator

import pandas as pd

from corpusflow.report.settings import ReportSettings

STYLE = (
    "body{font:13px system-ui,sans-serif;margin:8px}"
    "table{border-collapse:collapse}"
    "th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}"
    "th{background:#f0f0f0;position:sticky;top:0}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def table_page(frame: pd.DataFrame, *, source: str, max_rows: int) -> str:
    """An HTML page with the first ``max_rows`` rows of ``frame`` (read from ``source``)."""
    shown = frame.head(max_rows)
    numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in shown.itertuples(index=False):
        cells = "".join(
            f'<td class="n">{html.escape(_cell(v))}</td>'
            if c in numeric
            else f"<td>{html.escape(_cell(v))}</td>"
            for c, v in zip(frame.columns, record, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    note = (
        f"All {len(frame)} rows"
        if len(frame) <= max_rows
        else f"The first {max_rows} of {len(frame)} rows"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<title>{html.escape(source)}</title><style>{STYLE}</style></head><body>"
        f"<p>{html.escape(note)} of <code>{html.escape(source)}</code> "
        "(the whole table is in that file, and a download in the report).</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</body></html>\n"
    )


def run(
    tables: Iterable[tuple[str, pd.DataFrame]], settings: ReportSettings
) -> Iterator[tuple[str, int]]:
    """The page of each ``(source, frame)`` table, with its row count, one table at a time (so
    memory holds one table however many the report shows)."""
    for source, frame in tables:
        yield table_page(frame, source=source, max_rows=settings.table_rows), len(frame)
