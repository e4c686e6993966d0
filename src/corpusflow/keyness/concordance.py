"""Keyword in context, the one builder: the occurrences of some terms picked from those the
keyness stage wrote (:func:`occurrences_of`), a term's lines evenly spaced through them
(:func:`evenly_spaced`), and the lines cut from the cleaned texts (:func:`kwic`, kwic.csv; the
explorer page cuts its own from the same picks)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

KWIC_COLUMNS = [
    "term",
    "side",
    "rank",
    "doc_id",
    "segment_id",
    "start",
    "end",
    "left",
    "keyword",
    "right",
]


def occurrences_of(parts: Iterable[pd.DataFrame], terms: Iterable[str]) -> pd.DataFrame:
    """The rows of ``terms`` in the occurrence tables ``parts`` (the keyness stage's, one shard
    at a time: memory holds one shard's table and the rows kept), stacked in their order."""
    wanted = pd.Index(sorted(set(terms)))  # built once: isin(set) converts the set each call
    kept = [part[wanted.get_indexer(part["term"]) >= 0] for part in parts]
    if not kept:
        from corpusflow.keyness.counting import NONE

        return NONE
    return pd.concat(kept, ignore_index=True)


def kwic(
    occurrences: pd.DataFrame,
    keywords: pd.DataFrame,
    texts: Mapping[str, str],
    *,
    context_chars: int,
    max_lines_per_term: int,
) -> pd.DataFrame:
    """Keyword-in-context lines for every occurrence of ``keywords`` in the documents of ``texts``.

    ``start``/``end`` are character offsets into ``texts[doc_id]`` (the cleaned text), so
    ``keyword == text[start:end]``; ``left``/``right`` hold ``context_chars`` characters either
    side with runs of whitespace (line and paragraph breaks) shown as one space. With
    ``max_lines_per_term > 0`` a term keeps that many lines, evenly spaced through its
    occurrences. Ordered like ``keywords``, then by document and offset.
    """
    info = keywords[["term", "side", "rank"]].reset_index(drop=True)
    info["order"] = np.arange(len(info))
    lines = occurrences[occurrences["doc_id"].isin(list(texts))].merge(info, on="term")
    lines = lines.sort_values(["order", "doc_id", "start"], kind="stable").reset_index(drop=True)
    if max_lines_per_term > 0:
        lines = lines.groupby("order", group_keys=False, sort=False)[lines.columns].apply(
            lambda group: group.iloc[evenly_spaced(len(group), max_lines_per_term)]
        )
    left, keyword, right = [], [], []
    for doc_id, start, end in zip(lines["doc_id"], lines["start"], lines["end"], strict=True):
        text = texts[doc_id]
        left.append(_squash(text[max(0, start - context_chars) : start]))
        keyword.append(text[start:end])
        right.append(_squash(text[end : end + context_chars]))
    lines = lines.assign(left=left, keyword=keyword, right=right)
    if "segment_id" not in lines:
        lines["segment_id"] = ""
    return lines[KWIC_COLUMNS].reset_index(drop=True)


def evenly_spaced(n: int, k: int) -> np.ndarray:
    """Positions of ``k`` of ``n`` lines evenly spaced from the first to the last (all if
    ``n <= k``)."""
    if n <= k:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, k).round().astype(int))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)
