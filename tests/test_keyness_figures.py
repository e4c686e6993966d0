"""Figures of the keyness stage: label placement, content and byte-identical files."""

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from corpusflow import keyness_figures as kf
from corpusflow.plotting import apply_style, save_figure


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
            "g2": z * 5,
            "q": np.clip(np.exp(-np.abs(z)), 0, 1),
            "log_ratio": z / 2,
        }
    )
    table["side"] = np.where(table["g2"] > 0, "target", "reference")
    top = table.reindex(table["g2"].abs().sort_values(ascending=False).index)
    top = top.groupby("side", sort=False).head(10).sort_values("side", ascending=False)
    return table, top


def test_figures_have_titles_axis_labels_and_the_top_terms(tables):
    table, top = tables
    fig = kf.fightin_words_figure(
        table, top, target_name="T", reference_name="R", alpha_0=1000, labels_per_side=5
    )
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert "z" in ax.get_ylabel() and "1000" in ax.get_ylabel() and "count" in ax.get_xlabel()
    shown = {text.get_text() for text in ax.texts}
    expected = set(top[top["side"] == "target"].head(5)["term"]) | set(
        top[top["side"] == "reference"].head(5)["term"]
    )
    assert expected <= shown
    plt.close(fig)
    fig = kf.keyword_bars_figure(top, target_name="T", reference_name="R")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == (
        top[top["side"] == "reference"]["term"].iloc[::-1].tolist()
        + top[top["side"] == "target"]["term"].tolist()
    )
    assert "Log Ratio" in ax.get_xlabel() and ax.get_title()
    widths = [patch.get_width() for patch in ax.patches[: len(top)]]
    assert sum(w < 0 for w in widths) == (top["side"] == "reference").sum()
    plt.close(fig)


def test_figures_are_byte_identical_and_survive_an_empty_top(tables, tmp_path):
    table, top = tables
    for run in ("a", "b"):
        fig = kf.fightin_words_figure(table, top, target_name="T", reference_name="R", alpha_0=1000)
        save_figure(fig, [tmp_path / f"{run}.png", tmp_path / f"{run}.svg"])
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    empty = top.iloc[0:0]
    fig = kf.keyword_bars_figure(empty, target_name="T", reference_name="R")
    assert any("no term passes" in t.get_text() for t in fig.axes[0].texts)
    save_figure(fig, [tmp_path / "empty.png"])
    save_figure(
        kf.fightin_words_figure(table, empty, target_name="T", reference_name="R", alpha_0=1),
        [tmp_path / "empty-fw.png"],
    )
