"""Figures of the keyness stage: a Fightin'-words plot and a two-sided keyword bar chart.

Both draw from the stage's tables, so they agree with them: colours follow the table's q (the
one ``keyness_top.csv`` filters on), bars are ordered by the Log Ratio they draw and carry its
bootstrap interval, a Log Ratio resting on the 0.5 stand-in for a zero count is drawn open and
hatched, and the Fightin'-words labels are the terms with the largest plotted z. Group colours
come from :func:`corpusflow.plotting.group_colours`. Labels are placed by
:func:`place_labels`, a small deterministic label-repel (no extra dependency).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from corpusflow.keyness.sides import DESCRIPTIVE
from corpusflow.keyness.tables import Q_COLUMNS
from corpusflow.plotting import OTHER_COLOUR, apply_style, group_colours

NEUTRAL_COLOUR = "#9a9a9a"
#: Legend text of a bar whose Log Ratio rests on the 0.5 stand-in for a zero count.
ZERO_LABEL = "count 0 on the other side: hatched bar\n(0.5 stand-in), interval open (arrow)"
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
    renderer = ax.figure.canvas.get_renderer()
    to_pixels = ax.figure.dpi / 72.0
    centres, obstacles = _point_boxes(ax, x, y, avoid, marker=2.5 * to_pixels)
    axes_box = np.array([ax.get_window_extent(renderer).extents])
    artists = []
    for index, label in enumerate(labels):
        size = _text_size(ax, label, renderer, text_kw)
        dx, dy, radius, box = _free_offset(centres[index], size, obstacles, axes_box, to_pixels)
        leader = radius > _RADII[1]
        artists.append(_annotate(ax, label, (x[index], y[index]), (dx, dy), leader, text_kw))
        obstacles = np.vstack([obstacles, box])
    return artists


def _point_boxes(ax, x, y, avoid, *, marker: float) -> tuple[np.ndarray, np.ndarray]:
    """The points' centres in pixels (the labelled ones first, then those of ``avoid``) and a
    box of half-width ``marker`` around each (rows x0, y0, x1, y1)."""
    avoid_x = [*x, *(avoid[0] if avoid else ())]
    avoid_y = [*y, *(avoid[1] if avoid else ())]
    centres = ax.transData.transform(np.column_stack([avoid_x, avoid_y]).reshape(-1, 2))
    return centres, np.column_stack([centres - marker, centres + marker])


def _text_size(ax, label: str, renderer, text_kw) -> tuple[float, float]:
    """Width and height in pixels of ``label`` drawn with ``text_kw``."""
    probe = ax.text(0, 0, label, **text_kw)
    extent = probe.get_window_extent(renderer)
    probe.remove()
    return extent.width, extent.height


def _free_offset(centre, size, obstacles: np.ndarray, axes_box: np.ndarray, to_pixels: float):
    """The offset of a label of ``size`` from its point ``centre``: the first on the rings of
    :data:`_RADII` (directions :data:`_ANGLES`) whose box overlaps no obstacle and stays inside
    ``axes_box``, else the least overlapping. Returns dx, dy (points), the ring's radius and the
    label's box (pixels)."""
    (px, py), (width, height) = centre, size
    best = None
    for radius in _RADII:
        for angle in _ANGLES:
            dx = radius * math.cos(math.radians(angle))
            dy = radius * math.sin(math.radians(angle))
            box = _label_box(px + dx * to_pixels, py + dy * to_pixels, width, height, dx, dy)
            overlap = _overlaps(box, obstacles).sum()
            overlap += width * height - _overlaps(box, axes_box)[0]
            if best is None or overlap < best[0] - 1e-9:
                best = (overlap, dx, dy, radius, box)
            if overlap <= 0:
                break
        if best[0] <= 0:
            break
    return best[1:]


def _annotate(ax, label: str, xy, offset, leader: bool, text_kw):
    """``label`` at ``offset`` (points) from the point ``xy``, aligned away from it, with a thin
    leader line when ``leader``."""
    dx, dy = offset
    ha = "left" if dx > 1e-9 else "right" if dx < -1e-9 else "center"
    va = "bottom" if dy > 1e-9 else "top" if dy < -1e-9 else "center"
    arrow = {"arrowstyle": "-", "lw": 0.5, "color": "#555555"} if leader else None
    return ax.annotate(
        label,
        xy,
        xytext=(dx, dy),
        textcoords="offset points",
        ha=ha,
        va=va,
        arrowprops=arrow,
        **text_kw,
    )


def _label_box(x, y, width, height, dx, dy) -> np.ndarray:
    left = x if dx > 1e-9 else x - width if dx < -1e-9 else x - width / 2
    bottom = y if dy > 1e-9 else y - height if dy < -1e-9 else y - height / 2
    return np.array([left, bottom, left + width, bottom + height])


def _overlaps(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Overlap areas of ``box`` with each row of ``others`` (boxes as x0, y0, x1, y1)."""
    width = np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0])
    height = np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1])
    return np.clip(width, 0, None) * np.clip(height, 0, None)


@dataclass(frozen=True)
class FigureSides:
    """The two sides as the figures show them, and the q column they colour by (``top_q``)."""

    target_name: str
    reference_name: str
    target_colour: str
    reference_colour: str
    top_q: str


def fightin_words_figure(
    table: pd.DataFrame,
    *,
    sides: FigureSides,
    alpha_0: float,
    labels_per_side: int,
    max_q: float,
):
    """Weighted log-odds z against frequency (log axis), the largest |z| of each side labelled.

    A point is coloured by the side it characterises when the table's q (``sides.top_q``: the
    column ``keyness_top.csv`` filters on) is at most ``max_q``, grey otherwise. Terms with the
    same frequency and z share one point, whose area grows with their number (stated in the
    figure). The ``labels_per_side`` terms with the largest z and the smallest z are labelled.
    """
    apply_style()
    fig, ax = plt.subplots(figsize=(9, 6.5))
    frequency = (table["count_target"] + table["count_reference"]).to_numpy()
    z = table["z"].to_numpy()
    points = _points(table, frequency, z, sides, max_q)
    _scatter(ax, points, frequency, z)
    chosen = _extremes(table, z, labels_per_side)
    place_labels(
        ax,
        frequency[chosen].tolist(),
        z[chosen].tolist(),
        table["term"].iloc[chosen].to_list(),
        avoid=(points["x"].to_numpy(), points["z"].to_numpy()),
        fontsize=8,
    )
    ax.set_xlabel("Frequency of the term on both sides (count, log scale)")
    ax.set_ylabel(f"Weighted log-odds z (Monroe et al., \u03b1\u2080 = {alpha_0:g})")
    ax.set_title(
        f"Characteristic words: {sides.target_name} (z > 0)\nagainst {sides.reference_name} "
        "(z < 0)" + _design_note(table)
    )
    _fightin_legend(ax, sides, max_q)
    _points_note(ax, len(table), points, labels_per_side)
    return fig


def _scatter(ax, points: pd.DataFrame, frequency: np.ndarray, z: np.ndarray) -> None:
    """The points (area by their number of terms) on a log frequency axis, z symmetric about
    its zero line."""
    ax.scatter(
        points["x"],
        points["z"],
        s=10 * points["terms"],
        c=points["colour"].to_list(),
        alpha=0.6,
        linewidths=0.3,
        edgecolors="white",
    )
    ax.set_xscale("log")
    ax.axhline(0, color="#333333", lw=0.6)
    if len(frequency):
        ax.set_xlim(frequency.min() / 1.3, frequency.max() * 1.6)
        span = max(abs(z).max(), 1.0) * 1.15
        ax.set_ylim(-span, span)


def _extremes(table: pd.DataFrame, z: np.ndarray, labels_per_side: int) -> list[int]:
    """Row numbers of the ``labels_per_side`` largest positive and most negative z, by |z|
    (ties: term), the order :func:`place_labels` places them in."""
    order = np.argsort(-z, kind="stable")
    chosen = [i for i in order[:labels_per_side] if z[i] > 0]
    chosen += [i for i in order[::-1][:labels_per_side] if z[i] < 0]
    chosen.sort(key=lambda i: (-abs(z[i]), table["term"].iloc[i]))
    return chosen


def _points_note(ax, terms: int, points: pd.DataFrame, labels_per_side: int) -> None:
    """What a point's area means and which terms are labelled, in the lower left corner."""
    largest = int(points["terms"].max()) if len(points) else 0
    ax.text(
        0.01,
        0.01,
        f"{terms} terms at {len(points)} distinct points; point area grows with the "
        f"number of terms sharing it (largest: {largest})."
        f"\nLabelled: the {labels_per_side} largest z of each side.",
        transform=ax.transAxes,
        fontsize=7.5,
        color="#444444",
    )


def _points(table, frequency, z, sides: FigureSides, max_q: float) -> pd.DataFrame:
    """One point per distinct (frequency, z, colour) with the number of its terms; grey points
    first, so that coloured (passing) points are drawn on top."""
    passing = (table[Q_COLUMNS[sides.top_q]] <= max_q).to_numpy()
    colour = np.select(
        [passing & (z > 0), passing & (z < 0)],
        [sides.target_colour, sides.reference_colour],
        default=NEUTRAL_COLOUR,
    )
    points = (
        pd.DataFrame({"x": frequency, "z": z.round(9), "colour": colour})
        .groupby(["x", "z", "colour"], sort=True)
        .size()
        .rename("terms")
        .reset_index()
    )
    return points.assign(grey=points["colour"] == NEUTRAL_COLOUR).sort_values(
        ["grey", "x", "z"], ascending=[False, True, True], kind="stable"
    )


def _fightin_legend(ax, sides: FigureSides, max_q: float) -> None:
    q_column = Q_COLUMNS[sides.top_q]
    handles = [
        plt.Line2D([], [], marker="o", ls="", color=c, ms=5)
        for c in (sides.target_colour, sides.reference_colour, NEUTRAL_COLOUR)
    ]
    names = [
        f"{textwrap.shorten(sides.target_name, 40)}: {q_column} \u2264 {max_q:g}",
        f"{textwrap.shorten(sides.reference_name, 40)}: {q_column} \u2264 {max_q:g}",
        f"{q_column} > {max_q:g}",
    ]
    ax.legend(handles, names, fontsize=7, loc="upper left", frameon=False)


def keyword_bars_figure(top: pd.DataFrame, *, sides: FigureSides):
    """Bar chart of the top keywords: bar = Log Ratio with its bootstrap interval, shade = q band.

    Bars are ordered by the Log Ratio they draw (largest at the top); a bar whose Log Ratio
    rests on the 0.5 stand-in for a zero count is open and hatched. The number at the bar's
    end is |G2|; the shade is the band of the table's q (``sides.top_q``).
    """
    apply_style()
    q_column = Q_COLUMNS[sides.top_q]
    rows = top.sort_values(["log_ratio", "term"], kind="stable").reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, 1.8 + 0.24 * max(len(rows), 4)))
    positions = np.arange(len(rows))
    _bars(ax, rows, positions, sides, q_column)
    limit = _extent(rows) * 1.3
    ax.set_xlim(-limit, limit)
    if len(rows):
        _whiskers(ax, rows, positions, limit)
    _g2_labels(ax, rows, positions, limit)
    ax.set_yticks(positions, rows["term"].to_list(), fontsize=8)
    ax.set_ylim(-0.8, max(len(rows), 1) - 0.2)
    ax.axvline(0, color="#333333", lw=0.8)
    ax.grid(axis="y", visible=False)
    target_name, reference_name = sides.target_name, sides.reference_name
    ax.set_xlabel(
        "Log Ratio (log\u2082 of the ratio of relative frequencies), whiskers: bootstrap "
        "interval, at least the exact one\n"
        f"+ more frequent in {target_name}, \u2212 more frequent in {reference_name}"
    )
    ax.set_title(f"Top keywords: {target_name}\nagainst {reference_name}" + _design_note(top))
    _bars_legend(ax, sides, q_column)
    if not len(rows):
        ax.text(0.5, 0.5, "no term passes the filters", transform=ax.transAxes, ha="center")
    return fig


def _bars(ax, rows: pd.DataFrame, positions, sides: FigureSides, q_column: str) -> None:
    """One bar per row in its side's colour, shaded by its q band; a bar resting on the 0.5
    stand-in for a zero count is open and hatched."""
    colours = np.where(rows["side"] == "target", sides.target_colour, sides.reference_colour)
    for y, row, colour in zip(positions, rows.itertuples(), colours, strict=True):
        shade = _shade(getattr(row, q_column))
        if row.zero_count != "none":
            ax.barh(
                y,
                row.log_ratio,
                height=0.75,
                facecolor="none",
                edgecolor=colour,
                hatch="////",
                lw=0.8,
                alpha=max(shade, 0.6),
            )
        else:
            ax.barh(y, row.log_ratio, color=colour, alpha=shade, height=0.75, edgecolor=colour)


def _g2_labels(ax, rows: pd.DataFrame, positions, limit: float) -> None:
    """|G2| beyond the end of each bar's interval (clipped to the axis), on the bar's side; an
    interval open to the left edge has it inside, above the arrow, clear of the terms."""
    for y, row in zip(positions, rows.itertuples(), strict=True):
        end = row.log_ratio_high if row.log_ratio >= 0 else row.log_ratio_low
        end = float(np.clip(end, -limit, limit))
        label = f"G\u00b2 {abs(row.g2):.1f}"
        if row.log_ratio < 0 and end <= -limit:
            ax.text(end + 0.02 * limit, y + 0.1, label, va="bottom", ha="left", fontsize=7)
            continue
        ha, offset = ("left", 0.06) if row.log_ratio >= 0 else ("right", -0.06)
        ax.text(end + offset, y, label, va="center", ha=ha, fontsize=7)


def _bars_legend(ax, sides: FigureSides, q_column: str) -> None:
    """The sides' colours, the q bands' shades and the hatched zero-count bar."""
    colours = (sides.target_colour, sides.reference_colour)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours]
    handles += [plt.Rectangle((0, 0), 1, 1, color="#555555", alpha=a) for _, a, _ in Q_BANDS]
    handles += [plt.Rectangle((0, 0), 1, 1, facecolor="none", edgecolor="#555555", hatch="////")]
    names = [textwrap.fill(name, 32) for name in (sides.target_name, sides.reference_name)]
    names += [band.replace("q", q_column) for *_, band in Q_BANDS]
    names += [ZERO_LABEL]
    # Target bars point right at the top, reference bars left at the bottom: the upper left
    # corner is free.
    ax.legend(handles, names, fontsize=7, loc="upper left", frameon=False)


#: The figures' subtitle when the design is descriptive (keyness.csv's ``design`` column).
DESCRIPTIVE_NOTE = "\n(describes these texts: too few documents per side to test beyond them)"


def _design_note(table: pd.DataFrame) -> str:
    descriptive = "design" in table and (table["design"] == DESCRIPTIVE).any()
    return DESCRIPTIVE_NOTE if descriptive else ""


def _extent(rows: pd.DataFrame) -> float:
    """The largest finite |Log Ratio| or bound drawn (at least 1)."""
    values = rows[["log_ratio", "log_ratio_low", "log_ratio_high"]].to_numpy(dtype=float)
    finite = np.abs(values[np.isfinite(values)])
    return max([1.0, *finite.tolist()])


def _whiskers(ax, rows: pd.DataFrame, positions: np.ndarray, limit: float) -> None:
    """The interval of each bar; an open bound (a zero count: inf) runs to the axis edge and
    ends in an arrow head instead of a cap."""
    low = rows["log_ratio_low"].to_numpy(dtype=float)
    high = rows["log_ratio_high"].to_numpy(dtype=float)
    ax.errorbar(
        rows["log_ratio"],
        positions,
        xerr=[
            (rows["log_ratio"] - np.clip(low, -limit, limit)).clip(lower=0),
            (np.clip(high, -limit, limit) - rows["log_ratio"]).clip(lower=0),
        ],
        fmt="none",
        ecolor="#222222",
        elinewidth=0.8,
        capsize=2,
    )
    for bound, marker in ((low, "<"), (high, ">")):
        open_end = np.isinf(bound)
        if open_end.any():
            ax.plot(
                np.sign(bound[open_end]) * limit,
                positions[open_end],
                ls="none",
                marker=marker,
                color="#222222",
                ms=5,
            )


def _shade(q: float) -> float:
    for limit, shade, _ in Q_BANDS:
        if q < limit:
            return shade
    return 0.2


def side_colours(groups: Sequence[str], target: str, reference: str) -> dict[str, str]:
    """Colours of the two sides: each group's colour of :func:`group_colours` (``groups`` in the
    config's order), :data:`~corpusflow.plotting.OTHER_COLOUR` for "rest"."""
    colours = group_colours(groups)
    return {
        side: colours.get(group, OTHER_COLOUR)
        for side, group in (("target", target), ("reference", reference))
    }
