"""Corpus overview: what each document is and how much of it the analysis sees.

The first table and figure of the report: documents, groups, roles, tokens, types, segments and
OCR corrections per document, so a reader knows the size of the evidence behind every number.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator, StrMethodFormatter

from corpusflow.manifest import Manifest
from corpusflow.plotting import apply_style, group_colours

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
    manifest: Manifest,
    token_counts: Mapping[str, Mapping[str, int]],
    segment_counts: Mapping[str, int],
    correction_counts: Mapping[str, int],
) -> pd.DataFrame:
    """One row per manifest document, in manifest order.

    ``token_counts`` holds each document's counts as the tokenise stage records them
    (``results/tokens/{doc_id}.json``: tokens, alphabetic_tokens, types, sentences,
    paragraphs), so the overview aggregates per document and never loads a token table.
    ``words`` counts alphabetic tokens, ``types`` their distinct lowercase forms; ``segments``
    is 0 for documents that are not analysed; ``ocr_corrections`` counts word-level changes of
    the cleaning stage (structural edits such as joined lines are not counted).
    """
    rows = []
    for doc in manifest:
        counts = token_counts[doc["doc_id"]]
        rows.append(
            {
                "doc_id": doc["doc_id"],
                "title": doc["title"],
                "author": doc["author"],
                "year": doc["year"],
                "group": doc["group"],
                "role": doc["role"],
                "ocr": bool(doc["ocr"]),
                "tokens": int(counts["tokens"]),
                "words": int(counts["alphabetic_tokens"]),
                "types": int(counts["types"]),
                "sentences": int(counts["sentences"]),
                "paragraphs": int(counts["paragraphs"]),
                "segments": int(segment_counts.get(doc["doc_id"], 0)),
                "ocr_corrections": int(correction_counts.get(doc["doc_id"], 0)),
            }
        )
    return pd.DataFrame(rows, columns=OVERVIEW_COLUMNS)


def count_word_corrections(corrections: pd.DataFrame, word_rules: Iterable[str]) -> int:
    """Rows of a cleaning log whose rule changes words (not layout)."""
    return int(corrections["rule"].isin(list(word_rules)).sum())


#: Up to this many documents the figure has one bar per document; beyond, it summarises each
#: group (a bar per document would be too thin to label: 77 documents made a 5,645 px tall PNG).
MAX_DOCUMENT_BARS = 30


def plot_overview(overview: pd.DataFrame, group_labels: Mapping[str, str]) -> plt.Figure:
    """The corpus at a glance, readable from 2 to thousands of documents.

    Up to :data:`MAX_DOCUMENT_BARS` documents: horizontal bars of words per document, coloured
    by group, witnesses hatched. Beyond: one row per group, total words (analysed documents
    solid, witnesses hatched) beside the spread of words per document (every document a dot,
    log scale), so the figure's size depends on the number of groups, not documents.
    """
    apply_style()
    present = set(overview["group"])
    groups = [group for group in group_labels if group in present]
    colours = group_colours(group_labels)  # the config's order: a group's colour everywhere
    if len(overview) <= MAX_DOCUMENT_BARS:
        fig = _document_bars(overview, groups, colours, group_labels)
    else:
        fig = _group_summary(overview, groups, colours, group_labels)
    return fig


def _document_bars(overview, groups, colours, group_labels) -> plt.Figure:
    frame = overview.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(frame) + 1.6))
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
    ax.set_xlim(0, max(overview["words"].max(), 1) * 1.75)
    ax.set_title("Corpus overview: words per document (hatched: witness editions, not counted)")
    ax.grid(axis="y", visible=False)
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours[g]) for g in groups]
    ax.legend(handles, [_label(group_labels, g) for g in groups], loc="lower right", fontsize=8)
    return fig


def _group_summary(overview, groups, colours, group_labels) -> plt.Figure:
    ordered = list(reversed(groups))
    height = 0.9 * len(groups) + 1.8
    fig, (totals, spread) = plt.subplots(
        1, 2, figsize=(11, height), sharey=True, gridspec_kw={"width_ratios": [1, 1.3]}
    )
    positions = np.arange(len(ordered))
    widest, notes = 1, []
    for position, group in zip(positions, ordered, strict=True):
        rows = overview[overview["group"] == group]
        analysed = rows[rows["role"] == "analysis"]
        witnesses = rows[rows["role"] == "witness"]
        words, witness_words = int(analysed["words"].sum()), int(witnesses["words"].sum())
        totals.barh(position, words, color=colours[group], height=0.6)
        totals.barh(
            position,
            witness_words,
            left=words,
            color="white",
            edgecolor=colours[group],
            hatch="//",
            height=0.6,
        )
        widest = max(widest, words + witness_words)
        note = f"{len(analysed):,} analysed ({int(analysed['segments'].sum()):,} segments)"
        if len(witnesses):
            note += f", {len(witnesses):,} witnesses"
        notes.append(note)
        _document_dots(spread, position, analysed, witnesses, colours[group])
    labels = [
        f"{_label(group_labels, group)}\n{note}" for group, note in zip(ordered, notes, strict=True)
    ]
    totals.set_yticks(positions, labels)
    totals.set_xlim(0, widest * 1.05)
    totals.set_xlabel("words per group (hatched: witnesses)")
    totals.xaxis.set_major_locator(MaxNLocator(4))
    totals.xaxis.set_major_formatter(FuncFormatter(_compact))
    totals.grid(axis="y", visible=False)
    spread.set_xscale("log")
    spread.set_xlabel("words per document (log scale; o analysed, x witness, | median)")
    spread.grid(axis="y", visible=False)
    fig.suptitle(
        f"Corpus overview: {len(overview):,} documents in {len(groups)} groups", fontsize=11
    )
    fig.tight_layout()
    return fig


def _document_dots(spread, position, analysed, witnesses, colour) -> None:
    """Every document of a group a dot (o analysed, x witness) at its words, jittered
    deterministically within the group's row, and a bar at the analysed documents' median."""
    for role, frame, marker in (("analysis", analysed, "o"), ("witness", witnesses, "x")):
        if frame.empty:
            continue
        offsets = (np.arange(len(frame)) % 7 - 3) * 0.06
        spread.scatter(
            frame["words"].clip(lower=1),
            position + offsets,
            s=12,
            marker=marker,
            color=colour,
            alpha=0.7,
            linewidths=0.8,
            label=None if role == "analysis" else "_witness",
        )
    if not analysed.empty:
        median = float(analysed["words"].median())
        spread.plot([median, median], [position - 0.3, position + 0.3], color="black", lw=1.5)


def _compact(value: float, _position=None) -> str:
    """1,500,000 -> '1.5M', 250,000 -> '250k': tick labels that fit side by side."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.3g}{suffix}"
    return f"{value:,.0f}"


def _label(group_labels: Mapping[str, str], group: str) -> str:
    """The group's label, wrapped so that long labels do not widen the figure."""
    return textwrap.fill(str(group_labels.get(group, group)), 40)
