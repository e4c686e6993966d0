"""Curated corrections: reviewed replacements that fire only in their recorded context.

The table (TSV, UTF-8) has the columns ``doc_id``, ``left``, ``before``, ``after``, ``right``
and ``note``. A row replaces ``before`` by ``after`` in document ``doc_id`` where ``before``
stands between the words ``left`` and ``right`` (either may be empty; whitespace between the
parts is flexible). A row that matches nothing, matches more than once, or overlaps the place of
an earlier row is not applied but reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from corpusflow import io
from corpusflow.cleaning.edits import Edit
from corpusflow.errors import InputError

COLUMNS = ["doc_id", "left", "before", "after", "right", "note"]


@dataclass(frozen=True)
class Curated:
    """One reviewed correction (a row of the table; ``line`` is its line number)."""

    doc_id: str
    left: str
    before: str
    after: str
    right: str
    note: str
    line: int


def read_corrections(path: str | Path) -> list[Curated]:
    """Read and check a curated corrections table; raise ``InputError`` naming the bad line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(
            "CF301", f"{path}: curated corrections table not found; fix cleaning.corrections_table"
        )
    lines = io.read_tsv_rows(path, skip_comments=True, quoted=False)
    header = lines[0][1] if lines else None
    if header != COLUMNS:
        expected = " <tab> ".join(COLUMNS)
        raise InputError("CF301", f"{path}: the header must be {expected}, found {header!r}")
    rows = []
    for number, row in lines[1:]:
        if len(row) != len(COLUMNS):
            raise InputError(
                "CF301", f"{path}:{number}: expected {len(COLUMNS)} tab-separated fields"
            )
        record = Curated(*row, line=number)
        if not record.doc_id or not record.before or record.before == record.after:
            raise InputError(
                "CF301", f"{path}:{number}: doc_id and before are required and after must differ"
            )
        rows.append(record)
    return rows


def _pattern(row: Curated) -> re.Pattern:
    def join(a: str, b: str) -> str:
        glue = r"\s+" if re.match(r"\w", b) and re.search(r"\w$", a) else r"\s*"
        return glue

    parts = []
    if row.left:
        parts.append(re.escape(row.left).replace(r"\ ", r"\s+") + join(row.left, row.before))
    parts.append("(" + re.escape(row.before).replace(r"\ ", r"\s+") + ")")
    if row.right:
        parts.append(join(row.before, row.right) + re.escape(row.right).replace(r"\ ", r"\s+"))
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)")


def curated_edits(text: str, rows: list[Curated], doc_id: str) -> tuple[list[Edit], list[dict]]:
    """Edits for the rows of ``doc_id`` matching ``text`` exactly once; problems for the rest."""
    edits, problems = [], []
    for row in rows:
        if row.doc_id != doc_id:
            continue
        matches = list(_pattern(row).finditer(text))
        if len(matches) != 1:
            problem = "matches nothing" if not matches else f"matches {len(matches)} times"
            problems.append({"row": row, "problem": problem})
            continue
        start, end = matches[0].span(1)
        clash = next((e for e in edits if e.start < end and start < e.end), None)
        if clash is not None:
            problems.append({"row": row, "problem": f"overlaps an earlier row ({clash.evidence})"})
            continue
        evidence = f"curated table line {row.line}: {row.note}".strip()
        edits.append(Edit(start, end, row.after, "curated", evidence))
    return edits, problems
