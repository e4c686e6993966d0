"""Tables as the page shows them: columns typed from the table itself, described when known."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: What a keyness column means; columns not listed here are shown with an empty description,
#: or with a description made from a known stem and side suffix (e.g. ``dp_norm_target``).
COLUMN_DESCRIPTIONS = {
    "term": "the counted unit (word form, lemma or multiword unit)",
    "forms": "the word forms counted as the term, as written (several: spelling variants "
    "folded into it)",
    "side": "the side the term is characteristic of",
    "rank": "rank among the terms of its side",
    "count": "occurrences",
    "total": "counted tokens of the side",
    "per10k": "occurrences per 10,000 counted tokens",
    "g2": "signed log-likelihood G2 (positive: target side)",
    "p": "p-value of G2",
    "q": "Benjamini-Hochberg q of p",
    "token_test": "the token-level test giving p: g2 (chi-squared) or fisher (exact)",
    "p_segment": "p-value of the dispersion-aware test over segments (or documents)",
    "q_segment": "Benjamini-Hochberg q of p_segment",
    "zero_count": "the side on which the term never occurs (Log Ratio then uses 0.5), or none",
    "log_ratio": "Log Ratio: binary log of the ratio of relative frequencies",
    "z": "weighted log-odds z with an informative Dirichlet prior",
    "dp": "Gries' deviation of proportions over segments (0 even, 1 concentrated)",
    "dp_norm": "normalised deviation of proportions",
    "range": "segments in which the term occurs",
    "top_segment_share": "share of the term's occurrences in its most frequent segment",
    "concentrated": "most occurrences in one passage",
    "low": "lower end of the interval",
    "high": "upper end of the interval",
}
_SUFFIXES = {"target": "target side", "reference": "reference side"}
#: Significant digits kept for numbers on the page (the CSV files keep ten).
DIGITS = 6


def describe_column(name: str) -> str:
    """A column's description from :data:`COLUMN_DESCRIPTIONS`; "" for an unknown column."""
    if name in COLUMN_DESCRIPTIONS:
        return COLUMN_DESCRIPTIONS[name]
    for suffix, side in _SUFFIXES.items():
        stem = name.removesuffix(f"_{suffix}")
        if stem != name:
            known = describe_column(stem)
            return f"{known} ({side})" if known else ""
    for prefix in ("low", "high"):
        stem = name.removeprefix(f"{prefix}_")
        if stem != name and stem in COLUMN_DESCRIPTIONS:
            return f"{COLUMN_DESCRIPTIONS[prefix]} of {stem}"
    for suffix in ("low", "high"):
        stem = name.removesuffix(f"_{suffix}")
        if stem != name and stem in COLUMN_DESCRIPTIONS:
            return f"{COLUMN_DESCRIPTIONS[suffix]} of {stem}"
    return ""


def plain_number(value):
    """A JSON-ready number with :data:`DIGITS` significant digits (None for NaN, "inf")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    value = float(value)
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    rounded = float(f"{value:.{DIGITS}g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded


#: Letters that occur in no text a number parses from (those of "inf", "nan", "infinity",
#: exponents, hexadecimal and complex markers are left out).
_NOT_NUMERIC = r"[b-dg-hk-mo-su-wzB-DG-HK-MO-SU-WZ]"


def table_columns(table: pd.DataFrame) -> tuple[list[dict], list[list]]:
    """Columns (name, kind "number"/"text", description) and rows of any table, JSON-ready.

    A column is numeric when every non-empty cell parses as a number; booleans and other
    values are shown as text.
    """
    columns, values = [], []
    for name in table.columns:
        column = table[name]
        if column.dtype == bool:
            kind, cells = "text", ["true" if v else "false" for v in column]
        elif column.dtype.kind in "iuf" and len(column) and bool(column.notna().all()):
            # A numeric column without gaps is numbers as they are (what the general case
            # below finds, without parsing every cell as text).
            kind, cells = "number", [plain_number(v) for v in column.tolist()]
        elif column.dtype.kind in "OUT" and bool(
            column.astype("str").str.contains(_NOT_NUMERIC, regex=True, na=False).any()
        ):
            # A cell with a letter that no number has (not even inf, nan, 1e5, 0x1, 1j) cannot
            # parse as one: the column is text, as the general case below finds.
            kind, cells = "text", ["" if pd.isna(v) else str(v) for v in column]
        else:
            empty = column.astype(str).str.strip() == ""
            numbers = pd.to_numeric(column.where(~empty, None), errors="coerce")
            if bool((numbers.notna() | empty).all()) and not bool(empty.all()):
                kind, cells = "number", [plain_number(v) for v in numbers]
            else:
                kind, cells = "text", ["" if pd.isna(v) else str(v) for v in column]
        columns.append({"name": str(name), "kind": kind, "description": describe_column(name)})
        values.append(cells)
    rows = [list(row) for row in zip(*values, strict=True)] if values else []
    return columns, rows
