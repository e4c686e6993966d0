"""Corpus overview: what each document is and how much of it the analysis sees.

The first table and figure of the report: documents, groups, roles, tokens, types, segments and
OCR corrections per document, so a reader knows the size of the evidence behind every number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import StrMethodFormatter

from corpusflow.plotting import PALETTE, apply_style, save_figure

OVERVIEW_COLUMNS = [
    "doc_id",
    "title",
    "author",
    "year",
    "group",
    "role",
    "ocr",
    "tokens",
    "words",
    "types",
    "sentences",
    "paragraphs",
    "segments",
    "ocr_corrections",
]


def corpus_overview(
    manifest: pd.DataFrame,
    token_tables: Mapping[str, pd.DataFrame],
    segment_counts: Mapping[str, int],
    correction_counts: Mapping[str, int],
) -> pd.DataFrame:
    """One row per manifest document, in manifest order.

    ``words`` counts alphabetic tokens, ``types`` their distinct lowercase forms; ``segments``
    is 0 for documents that are not analysed; ``ocr_corrections`` counts word-level changes of
    the cleaning stage (structural edits such as joined lines are not counted).
    """
    rows = []
    for doc in manifest.itertuples(index=False):
        tokens = token_tables[doc.doc_id]
        alphabetic = tokens.loc[tokens["is_alpha"], "lower"]
        rows.append(
            {
                "doc_id": doc.doc_id,
                "title": doc.title,
                "author": doc.author,
                "year": doc.year,
                "group": doc.group,
                "role": doc.role,
                "ocr": bool(doc.ocr),
                "tokens": len(tokens),
                "words": len(alphabetic),
                "types": alphabetic.nunique(),
                "sentences": tokens["sentence"].nunique(),
                "paragraphs": tokens["paragraph"].nunique(),
                "segments": int(segment_counts.get(doc.doc_id, 0)),
                "ocr_corrections": int(correction_counts.get(doc.doc_id, 0)),
            }
        )
    return pd.DataFrame(rows, columns=OVERVIEW_COLUMNS)


def count_word_corrections(corrections: pd.DataFrame, word_rules: Iterable[str]) -> int:
    """Rows of a cleaning log whose rule changes words (not layout)."""
    return int(corrections["rule"].isin(list(word_rules)).sum())


def plot_overview(
    overview: pd.DataFrame, group_labels: Mapping[str, str], paths: Iterable[str | Path]
) -> None:
    """Horizontal bars of words per document, coloured by group, witnesses hatched."""
    apply_style()
    frame = overview.iloc[::-1].reset_index(drop=True)
    groups = list(dict.fromkeys(overview["group"]))
    colours = {group: PALETTE[i % len(PALETTE)] for i, group in enumerate(groups)}
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(frame) + 1.6))
    positions = np.arange(len(frame))
    for position, row in zip(positions, frame.itertuples(index=False), strict=True):
        witness = row.role == "witness"
        ax.barh(
            position,
            row.words,
            color="white" if witness else colours[row.group],
            edgecolor=colours[row.group],
            hatch="//" if witness else None,
            linewidth=1.2,
        )
        note = f"{row.segments} segments" if row.role == "analysis" else "witness"
        if row.ocr:
            note += f", {row.ocr_corrections} OCR corrections"
        ax.text(row.words, position, f"  {row.words:,} words ({note})", va="center", fontsize=9)
    ax.set_yticks(positions, frame["doc_id"])
    ax.set_xlabel("words (alphabetic tokens)")
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_xlim(0, overview["words"].max() * 1.75)
    ax.set_title("Corpus overview: words per document (hatched: witness editions, not counted)")
    ax.grid(axis="y", visible=False)
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours[g]) for g in groups]
    ax.legend(handles, [group_labels.get(g, g) for g in groups], loc="lower right", fontsize=8)
    save_figure(fig, paths)
