"""Very long documents: the passages around what the views show instead of the whole text."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence

import numpy as np

# --------------------------------------------------------------------------------------------
# Very long documents: passages instead of the whole text
# --------------------------------------------------------------------------------------------


def _merged(windows: Sequence[tuple[int, int]], keep: Iterable[int]) -> list[list[int]]:
    """The windows ``keep`` (indices in start order) merged where they touch or overlap."""
    pieces: list[list[int]] = []
    for k in keep:
        start, end = windows[k]
        if pieces and start <= pieces[-1][1]:
            pieces[-1][1] = max(pieces[-1][1], end)
        else:
            pieces.append([start, end])
    return pieces


def excerpt(
    text: str, spans: Sequence[tuple[int, int]], *, context: int, budget: int
) -> tuple[dict, list[bool]]:
    """The passages of ``text`` around ``spans`` (``context`` characters either side of each),
    at most ``budget`` characters in all: ``({"length": len(text), "pieces": [[start,
    passage], ...]}, held)``, the pieces in text order and disjoint, ``held[i]`` whether span
    ``i`` lies in a piece. When the passages of every span would exceed ``budget``, an evenly
    spaced share of the spans (in text order) is held, as the KWIC cap keeps evenly spaced
    lines."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], spans[i][1], i))
    windows = [
        (max(0, spans[i][0] - context), min(len(text), max(spans[i][1], spans[i][0]) + context))
        for i in order
    ]
    keep = list(range(len(order)))
    pieces = _merged(windows, keep)
    size = sum(end - start for start, end in pieces)
    while size > budget and keep:
        count = min(len(keep) - 1, len(keep) * budget // size)
        spaced = np.linspace(0, len(order) - 1, count).round().astype(int)
        keep = np.unique(spaced).tolist() if count else []
        pieces = _merged(windows, keep)
        size = sum(end - start for start, end in pieces)
    held = [False] * len(spans)
    for k in keep:
        held[order[k]] = True
    return {"length": len(text), "pieces": [[a, text[a:b]] for a, b in pieces]}, held


def _inside(text: dict) -> Callable[[int, int], bool]:
    """Whether ``start..end`` lies in one piece of the :func:`excerpt` ``text`` (what the page
    can show)."""
    starts = [piece[0] for piece in text["pieces"]]
    stops = [start + len(piece[1]) for start, piece in zip(starts, text["pieces"], strict=True)]

    def inside(start: int, end: int) -> bool:
        at = bisect.bisect_right(starts, start) - 1
        return at >= 0 and end <= stops[at]

    return inside


def cap_kwic_texts(kwic: dict, *, max_text_chars: int) -> dict:
    """Replace each KWIC text longer than ``max_text_chars`` (0: no cap) by the passages around
    its lines (:func:`excerpt`); lines whose context is not in a passage are left out
    (``found`` keeps their count, so the page says how many). ``capped`` lists the documents
    cut this way."""
    if max_text_chars <= 0:
        return kwic
    long = [d for d, text in enumerate(kwic["texts"]) if len(text) > max_text_chars]
    if not long:
        return kwic
    context = kwic["context_chars"]
    places = {d: [] for d in long}  # (term, position in its flat list) of each line
    for term, flat in kwic["lines"].items():
        for at in range(0, len(flat), 4):
            if flat[at] in places:
                places[flat[at]].append((term, at))
    texts, dropped = list(kwic["texts"]), set()
    for d in long:
        spans = [(kwic["lines"][t][at + 1], kwic["lines"][t][at + 2]) for t, at in places[d]]
        length = len(texts[d])
        texts[d], _ = excerpt(texts[d], spans, context=context, budget=max_text_chars)
        inside = _inside(texts[d])
        dropped.update(
            place
            for place, (start, end) in zip(places[d], spans, strict=True)
            if not inside(max(0, start - context), min(length, end + context))
        )
    lines = {}
    for term, flat in kwic["lines"].items():
        lines[term] = [
            value
            for at in range(0, len(flat), 4)
            if (term, at) not in dropped
            for value in flat[at : at + 4]
        ]
    return {
        **kwic,
        "texts": texts,
        "lines": lines,
        "capped": [kwic["docs"][d] for d in long],
        "max_text_chars": max_text_chars,
    }


def cap_cleaning_text(view: dict, *, context: int, max_text_chars: int) -> dict:
    """A :func:`cleaning_view` whose ingested text is longer than ``max_text_chars`` (0: no cap)
    with the passages around its edits and suspects instead (:func:`excerpt`); every edit and
    suspect stays listed and counted, those outside the passages are not drawn in the text.
    ``capped`` says how many of them the passages hold (what the page draws)."""
    text = view["text"]
    if max_text_chars <= 0 or len(text) <= max_text_chars:
        return view
    spans = [(edit[0], edit[1]) for edit in view["edits"]]
    names = [column["name"] for column in view["review"]["columns"]]
    if "ingest_start" in names and "ingest_end" in names:
        at, to = names.index("ingest_start"), names.index("ingest_end")
        spans += [
            (row[at], row[to])
            for row in view["review"]["rows"]
            if isinstance(row[at], int) and isinstance(row[to], int) and row[at] < row[to]
        ]
    excerpted, _ = excerpt(text, spans, context=context, budget=max_text_chars)
    inside = _inside(excerpted)
    held = sum(inside(start, end) for start, end in spans)
    return {
        **view,
        "text": excerpted,
        "capped": {"spans": len(spans), "held": held, "max_text_chars": max_text_chars},
    }
