"""Figures of the keyness stage: a Fightin'-words plot and a two-sided keyword bar chart.

Both draw from the stage's tables, so they agree with them: the labelled terms are the top
keywords of ``keyness_top.csv``. Labels are placed by :func:`place_labels`, a small
deterministic label-repel (no extra dependency).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from corpusflow.plotting import PALETTE, apply_style

TARGET_COLOUR = PALETTE[0]  # blue
REFERENCE_COLOUR = PALETTE[5]  # vermillion
NEUTRAL_COLOUR = "#9a9a9a"
#: q-value bands shaded in the bar chart, darkest first.
Q_BANDS = ((0.001, 1.0, "q < 0.001"), (0.01, 0.7, "q < 0.01"), (0.05, 0.45, "q < 0.05"))

# Offsets tried around a point, in points: rings of growing radius, 8 directions each.
_RADII = (4, 10, 18, 28, 40, 55)
_ANGLES = tuple(range(0, 360, 45))


def place_labels(
    ax,
    x: Sequence[float],
    y: Sequence[float],
    labels: Sequence[str],
    *,
    avoid: tuple[Sequence[float], Sequence[float]] | None = None,
    **text_kw,
):
    """Label points without overlapping labels, deterministically; return the text artists.

    Labels are placed in the given order (put the most important first). For each, offsets on
    rings of growing radius around its point are tried in a fixed order; the first position
    whose box overlaps no earlier label and no point (the labelled ones and those in ``avoid``)
    and stays inside the axes wins. If none is free, the position with the least overlap is
    used. Labels away from their point get a thin leader line. Set the axes limits first.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    to_pixels = fig.dpi / 72.0
    marker = 2.5 * to_pixels
    avoid_x = [*x, *(avoid[0] if avoid else ())]
    avoid_y = [*y, *(avoid[1] if avoid else ())]
    centres = ax.transData.transform(np.column_stack([avoid_x, avoid_y]).reshape(-1, 2))
    obstacles = np.column_stack([centres - marker, centres + marker])  # x0, y0, x1, y1
    axes_box = ax.get_window_extent(renderer)
    artists = []
    for index, label in enumerate(labels):
        px, py = centres[index]
        probe = ax.text(0, 0, label, **text_kw)
        extent = probe.get_window_extent(renderer)
        probe.remove()
        width, height = extent.width, extent.height
        best = None
        for radius in _RADII:
            for angle in _ANGLES:
                dx = radius * math.cos(math.radians(angle))
                dy = radius * math.sin(math.radians(angle))
                box = _label_box(px + dx * to_pixels, py + dy * to_pixels, width, height, dx, dy)
                overlap = _overlaps(box, obstacles).sum()
                overlap += width * height - _overlaps(box, np.array([axes_box.extents]))[0]
                if best is None or overlap < best[0] - 1e-9:
                    best = (overlap, dx, dy, radius, box)
                if overlap <= 0:
                    break
            if best[0] <= 0:
                break
        _, dx, dy, radius, box = best
        ha = "left" if dx > 1e-9 else "right" if dx < -1e-9 else "center"
        va = "bottom" if dy > 1e-9 else "top" if dy < -1e-9 else "center"
        arrow = {"arrowstyle": "-", "lw": 0.5, "color": "#555555"} if radius > _RADII[1] else None
        artist = ax.annotate(
            label,
            (x[index], y[index]),
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            arrowprops=arrow,
            **text_kw,
        )
        obstacles = np.vstack([obstacles, box])
        artists.append(artist)
    return artists


def _label_box(x, y, width, height, dx, dy) -> np.ndarray:
    left = x if dx > 1e-9 else x - width if dx < -1e-9 else x - width / 2
    bottom = y if dy > 1e-9 else y - height if dy < -1e-9 else y - height / 2
    return np.array([left, bottom, left + width, bottom + height])


def _overlaps(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Overlap areas of ``box`` with each row of ``others`` (boxes as x0, y0, x1, y1)."""
    width = np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0])
    height = np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1])
    return np.clip(width, 0, None) * np.clip(height, 0, None)


def fightin_words_figure(
    table: pd.DataFrame,
    top: pd.DataFrame,
    *,
    target_name: str,
    reference_name: str,
    alpha_0: float,
    labels_per_side: int = 12,
    z_threshold: float = 1.96,
):
    """Weighted log-odds z against frequency (log axis), top keywords of each side labelled.

    Points beyond ``|z| >= z_threshold`` are coloured by the side they characterise.
    """
    apply_style()
    fig, ax = plt.subplots(figsize=(9, 6.5))
    frequency = (table["count_target"] + table["count_reference"]).to_numpy()
    z = table["z"].to_numpy()
    colour = np.select(
        [z >= z_threshold, z <= -z_threshold],
        [TARGET_COLOUR, REFERENCE_COLOUR],
        default=NEUTRAL_COLOUR,
    )
    ax.scatter(frequency, z, s=10, c=colour, alpha=0.7, linewidths=0)
    ax.set_xscale("log")
    for level in (z_threshold, -z_threshold):
        ax.axhline(level, color="#666666", lw=0.7, ls="--")
    ax.axhline(0, color="#333333", lw=0.6)
    if len(table):
        low, high = frequency.min(), frequency.max()
        ax.set_xlim(low / 1.3, high * 1.6)
        span = max(abs(z).max(), z_threshold) * 1.15
        ax.set_ylim(-span, span)
    labelled = pd.concat(
        [top[top["side"] == side].head(labels_per_side) for side in ("target", "reference")]
    )
    labelled = labelled.sort_values("g2", key=np.abs, ascending=False, kind="stable")
    place_labels(
        ax,
        (labelled["count_target"] + labelled["count_reference"]).to_list(),
        labelled["z"].to_list(),
        labelled["term"].to_list(),
        avoid=(frequency, z),
        fontsize=8,
    )
    ax.set_xlabel("Frequency of the term on both sides (count, log scale)")
    ax.set_ylabel(f"Weighted log-odds z (Monroe et al., \u03b1\u2080 = {alpha_0:g})")
    ax.set_title(f"Characteristic words: {target_name} (z > 0)\nagainst {reference_name} (z < 0)")
    ax.text(
        0.01,
        0.01,
        f"dashed: |z| = {z_threshold:g}; labelled: top keywords of each side",
        transform=ax.transAxes,
        fontsize=7.5,
        color="#444444",
    )
    return fig


def keyword_bars_figure(top: pd.DataFrame, *, target_name: str, reference_name: str):
    """Two-sided bar chart of the top keywords: bar = Log Ratio, shade = q band, label = G2."""
    apply_style()
    target = top[top["side"] == "target"]
    reference = top[top["side"] == "reference"].iloc[::-1]
    rows = pd.concat([reference, target], ignore_index=True)
    fig, ax = plt.subplots(figsize=(8, 1.5 + 0.24 * max(len(rows), 4)))
    positions = np.arange(len(rows))
    colours = np.where(rows["side"] == "target", TARGET_COLOUR, REFERENCE_COLOUR)
    shades = [_shade(q) for q in rows["q"]]
    for y, value, colour, shade in zip(positions, rows["log_ratio"], colours, shades, strict=True):
        ax.barh(y, value, color=colour, alpha=shade, height=0.75, edgecolor=colour, lw=0.6)
    limit = max(float(rows["log_ratio"].abs().max()) if len(rows) else 1.0, 1.0) * 1.35
    ax.set_xlim(-limit, limit)
    for y, value, g2 in zip(positions, rows["log_ratio"], rows["g2"], strict=True):
        ha, offset = ("left", 0.06) if value >= 0 else ("right", -0.06)
        ax.text(value + offset, y, f"G\u00b2 {abs(g2):.1f}", va="center", ha=ha, fontsize=7)
    ax.set_yticks(positions, rows["term"].to_list(), fontsize=8)
    ax.set_ylim(-0.8, max(len(rows), 1) - 0.2)
    ax.axvline(0, color="#333333", lw=0.8)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(
        "Log Ratio (log\u2082 of the ratio of relative frequencies)\n"
        f"+ more frequent in {target_name}, \u2212 more frequent in {reference_name}"
    )
    ax.set_title(f"Top keywords: {target_name}\nagainst {reference_name}")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in (TARGET_COLOUR, REFERENCE_COLOUR)]
    handles += [plt.Rectangle((0, 0), 1, 1, color="#555555", alpha=a) for _, a, _ in Q_BANDS]
    names = [textwrap.fill(name, 32) for name in (target_name, reference_name)]
    names += [band for *_, band in Q_BANDS]
    # Target bars point right, reference bars left: the upper left corner is free.
    ax.legend(handles, names, fontsize=7, loc="upper left", frameon=False)
    if not len(rows):
        ax.text(0.5, 0.5, "no term passes the filters", transform=ax.transAxes, ha="center")
    return fig


def _shade(q: float) -> float:
    for limit, shade, _ in Q_BANDS:
        if q < limit:
            return shade
    return 0.2
