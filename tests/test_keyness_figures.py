"""Figures of the keyness stage: label placement, content and byte-identical files."""

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from corpusflow import io
from corpusflow.keyness import figures as kf
from corpusflow.plotting import OTHER_COLOUR, PALETTE, apply_style, group_colours


def _boxes(fig, artists):
    """The labels' text boxes (an annotation's own extent also holds its leader line)."""
    renderer = fig.canvas.get_renderer()
    boxes = []
    for artist in artists:
        artist.get_window_extent(renderer)  # places the text
        boxes.append(Text.get_window_extent(artist, renderer))
    return boxes


def _overlap(a, b):
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)


def test_place_labels_avoids_overlaps_in_a_crowd():
    apply_style()
    fig, ax = plt.subplots(figsize=(6, 4))
    rng = np.random.default_rng(1)
    x, y = rng.normal(5, 0.3, 20), rng.normal(0, 0.3, 20)  # a tight cluster
    ax.scatter(x, y)
    ax.set_xlim(0, 10)
    ax.set_ylim(-4, 4)
    labels = [f"term{i}" for i in range(20)]
    artists = kf.place_labels(ax, x, y, labels, fontsize=8)
    boxes = _boxes(fig, artists)
    assert [a.get_text() for a in artists] == labels
    assert not any(_overlap(a, b) for a, b in itertools.combinations(boxes, 2))
    axes_box = ax.get_window_extent(fig.canvas.get_renderer())
    assert all(axes_box.x0 <= b.x0 and b.x1 <= axes_box.x1 for b in boxes)
    plt.close(fig)


def test_place_labels_is_deterministic():
    def positions():
        fig, ax = plt.subplots()
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        artists = kf.place_labels(ax, [0.5] * 5, [0.5] * 5, list("abcde"))
        result = [a.xyann for a in artists]
        plt.close(fig)
        return result

    assert positions() == positions()


SIDES = {"sides": kf.FigureSides("T", "R", "#0072B2", "#E69F00", "segment")}


@pytest.fixture
def tables():
    rng = np.random.default_rng(0)
    n = 200
    a = rng.integers(0, 60, n)
    b = rng.integers(0, 30, n) + (a == 0)
    z = (a / 8000 - b / 2500) * 800 + rng.normal(0, 0.3, n)
    table = pd.DataFrame(
        {
            "term": [f"word{i}" for i in range(n)],
            "count_target": a,
            "count_reference": b,
            "z": z,
            # Same sign as z, another order: what is labelled must follow the plotted z.
            "g2": np.sign(z) * rng.uniform(0, 50, n),
            "q": np.clip(np.exp(-np.abs(z)), 0, 1),
            "q_segment": np.clip(np.exp(-np.abs(z) / 2), 0, 1),
            "log_ratio": z / 2 + np.where(z > 0, 0.5, -0.5),
        }
    )
    table["log_ratio_low"] = table["log_ratio"] - rng.uniform(0.1, 1, n)
    table["log_ratio_high"] = table["log_ratio"] + rng.uniform(0.1, 1, n)
    table["zero_count"] = np.select([a == 0, b == 0], ["target", "reference"], default="none")
    table["side"] = np.where(table["g2"] > 0, "target", "reference")
    top = table.reindex(table["g2"].abs().sort_values(ascending=False).index)
    top = top.groupby("side", sort=False).head(10).sort_values("side", ascending=False)
    return table, top


def _fightin(table, **settings):
    return kf.fightin_words_figure(
        table, **{**SIDES, "alpha_0": 1000, "labels_per_side": 5, "max_q": 0.05, **settings}
    )


def test_fightin_words_labels_the_largest_plotted_z_and_colours_by_the_table_q(tables):
    table, _ = tables
    fig = _fightin(table)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert "z" in ax.get_ylabel() and "1000" in ax.get_ylabel() and "count" in ax.get_xlabel()
    shown = {text.get_text() for text in ax.texts}
    by_z = table.sort_values("z")
    expected = set(by_z["term"].head(5)) | set(by_z["term"].tail(5))
    assert expected <= shown
    assert len(shown & set(table["term"])) == 10  # nothing else is labelled
    # Colours follow q_segment <= max_q: count the coloured points.
    colours = fig.axes[0].collections[0].get_facecolors()
    significant = (table["q_segment"] <= 0.05).sum()
    grey = np.isclose(colours[:, :3], plt.matplotlib.colors.to_rgb(kf.NEUTRAL_COLOUR)).all(axis=1)
    points = table.groupby(["count_target", "count_reference", "z"]).ngroups
    assert len(colours) == points
    assert (~grey).sum() == table[table["q_segment"] <= 0.05].groupby(
        ["count_target", "count_reference", "z"]
    ).ngroups
    assert 0 < significant < len(table)
    plt.close(fig)


def test_fightin_words_shows_overplotting(tables):
    table, _ = tables
    crowded = pd.concat([table, table.head(30).assign(term=lambda t: t["term"] + "b")])
    fig = _fightin(crowded)
    sizes = fig.axes[0].collections[0].get_sizes()
    assert sizes.max() == 2 * sizes.min()  # two terms on one point: twice the area
    note = " ".join(text.get_text() for text in fig.axes[0].texts)
    assert f"{len(crowded)} terms at {len(table)} distinct points" in note
    plt.close(fig)


def test_bars_are_ordered_by_what_they_draw_with_intervals_and_open_zero_bars(tables):
    _, top = tables
    top = top.assign(zero_count="none")
    top.loc[top.index[:3], "zero_count"] = "reference"
    fig = kf.keyword_bars_figure(top, **SIDES)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == top.sort_values("log_ratio")["term"].tolist()  # bottom to top
    assert "Log Ratio" in ax.get_xlabel() and ax.get_title()
    bars = ax.patches[: len(top)]
    widths = [patch.get_width() for patch in bars]
    assert widths == pytest.approx(top.sort_values("log_ratio")["log_ratio"].tolist())
    open_bars = [bar for bar in bars if bar.get_hatch()]
    assert len(open_bars) == 3 and all(bar.get_facecolor()[3] == 0 for bar in open_bars)
    assert any(t.get_text() == kf.ZERO_LABEL for t in ax.get_legend().get_texts())
    whiskers = [c for c in ax.collections if c.get_segments()]
    segments = whiskers[0].get_segments()
    ordered = top.sort_values("log_ratio")
    assert [seg[0][0] for seg in segments] == pytest.approx(ordered["log_ratio_low"].tolist())
    assert [seg[1][0] for seg in segments] == pytest.approx(ordered["log_ratio_high"].tolist())
    plt.close(fig)
    # A descriptive design says so in the title.
    fig = kf.keyword_bars_figure(top.assign(design="descriptive"), **SIDES)
    assert "describes these texts" in fig.axes[0].get_title()
    plt.close(fig)
    fig = kf.keyword_bars_figure(top.assign(design="inferential"), **SIDES)
    assert "describes" not in fig.axes[0].get_title()
    plt.close(fig)
    # A zero count's open bound (inf) runs to the axis edge and ends in an arrow head.
    top.loc[top.index[:3], "log_ratio_high"] = np.inf
    fig = kf.keyword_bars_figure(top, **SIDES)
    ax = fig.axes[0]
    limit = ax.get_xlim()[1]
    assert np.isfinite(limit)
    ends = [seg[1][0] for seg in [c for c in ax.collections if c.get_segments()][0].get_segments()]
    assert sum(end == pytest.approx(limit) for end in ends) == 3
    arrows = [line for line in ax.lines if line.get_marker() == ">"]
    assert len(arrows) == 1 and len(arrows[0].get_xdata()) == 3
    plt.close(fig)


def test_the_g2_label_of_an_interval_open_to_the_left_stays_inside_the_axes(tables):
    # beyond the left edge it would run into the terms' labels
    _, top = tables
    top = top.copy()
    top.loc[top.index[top["log_ratio"] < 0][:2], "log_ratio_low"] = -np.inf
    fig = kf.keyword_bars_figure(top, **SIDES)
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_text().startswith("G\u00b2")]
    assert len(labels) == len(top)
    assert all(t.get_position()[0] > ax.get_xlim()[0] for t in labels)
    plt.close(fig)


def test_figures_are_byte_identical_and_survive_an_empty_top(tables, tmp_path):
    table, top = tables
    for run in ("a", "b"):
        io.write_figure(_fightin(table), [tmp_path / f"{run}.png", tmp_path / f"{run}.svg"])
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    empty = top.iloc[0:0]
    fig = kf.keyword_bars_figure(empty, **SIDES)
    assert any("no term passes" in t.get_text() for t in fig.axes[0].texts)
    io.write_figure(fig, [tmp_path / "empty.png"])
    io.write_figure(_fightin(empty), [tmp_path / "empty-fw.png"])


def test_group_colours_are_the_same_in_every_figure():
    colours = group_colours(["kollontai", "commentary", "third"])
    assert colours == {"kollontai": PALETTE[0], "commentary": PALETTE[1], "third": PALETTE[2]}
    # Whichever side a group is on, it keeps its colour; "rest" is the neutral other colour.
    forward = kf.side_colours(["kollontai", "commentary"], "kollontai", "commentary")
    backward = kf.side_colours(["kollontai", "commentary"], "commentary", "kollontai")
    assert forward["target"] == backward["reference"] == PALETTE[0]
    assert kf.side_colours(["kollontai", "commentary"], "commentary", "rest") == {
        "target": PALETTE[1],
        "reference": OTHER_COLOUR,
    }
