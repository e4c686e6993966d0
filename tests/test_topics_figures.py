"""The topic figures stay readable from 2 to 500 documents, and say what they show."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from corpusflow import io
from corpusflow.plotting import PALETTE, group_colours
from corpusflow.topics.figures import plot_flow, plot_model_selection, plot_prevalence

GROUPS = {"g1": "First group", "g2": "Second group"}


def segment_topics(n_docs: int, k: int = 4, seed: int = 0) -> pd.DataFrame:
    """A synthetic topics_segments table: n_docs documents of 2-30 segments in two groups."""
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(n_docs):
        n_segments = int(rng.integers(2, 31))
        sizes = rng.integers(150, 350, size=n_segments)
        ends = np.cumsum(sizes)
        for order, (size, end) in enumerate(zip(sizes, ends, strict=True)):
            theta = rng.dirichlet(np.full(k, 0.5))
            for topic in range(1, k + 1):
                rows.append(
                    {
                        "doc_id": f"document-{d:03d}",
                        "group": "g1" if d % 3 else "g2",
                        "segment_id": f"document-{d:03d}:{order:03d}",
                        "order": order,
                        "n_tokens": int(size),
                        "token_start": int(end - size),
                        "token_end": int(end),
                        "topic": topic,
                        "label": f"word{topic} / other{topic} / more{topic}",
                        "proportion": theta[topic - 1],
                    }
                )
    return pd.DataFrame(rows)


def text_boxes(fig):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = []
    for text in fig.findobj(plt.Text):
        if text.get_visible() and text.get_text().strip():
            boxes.append((text.get_text(), text.get_window_extent(renderer)))
    return boxes


def overprinted(fig):
    """Pairs of visible texts whose boxes overlap (by more than a pixel each way)."""
    pairs = []
    for (a, box_a), (b, box_b) in itertools.combinations(text_boxes(fig), 2):
        width = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        height = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        if width > 1 and height > 1:
            pairs.append((a, b))
    return pairs


@pytest.mark.parametrize("n_docs", [2, 77, 500])
def test_flow_figure_is_readable_at_any_number_of_documents(n_docs, tmp_path):
    table = segment_topics(n_docs)
    fig = plot_flow(table, group_order=list(GROUPS), group_labels=GROUPS, max_panels=6)
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert len(panels) == (n_docs if n_docs <= 6 else 2)
    assert overprinted(fig) == []
    width, height = fig.get_size_inches() * 150
    assert width < 2000 and height < 2000
    if n_docs <= 6:  # x axis: position in the text, in tokens, up to the text's length
        first = table[table["doc_id"] == "document-000"]
        assert panels[0].get_xlim()[1] == pytest.approx(first["token_end"].max())
        assert "tokens" in panels[0].get_xlabel()
    else:
        assert "%" in panels[-1].get_xlabel()
        assert panels[0].get_title(loc="left").startswith("First group")
    io.write_figure(fig, [tmp_path / f"flow_{n_docs}.png"])


def prevalence_table():
    rows = []
    for topic in (1, 2, 3):
        for group, mean in (("g1", 0.6), ("g2", 0.05)):
            rows.append(
                {
                    "group": group,
                    "topic": topic,
                    "label": f"t{topic}",
                    "mean": mean / topic,
                    "low": mean / topic * 0.7,
                    "high": mean / topic * 1.3,
                    "at_prior_floor": group == "g2" and topic == 3,
                    "flag": "no recurrence" if topic == 2 else "",
                    "seed_low": mean / topic * 0.5,
                    "seed_high": mean / topic * 1.1,
                }
            )
    return pd.DataFrame(rows)


def test_prevalence_legend_never_covers_data_and_uses_the_group_colours():
    # group order from the config: g2 first, so g2 gets the first colour everywhere
    order = ["g2", "g1"]
    fig = plot_prevalence(prevalence_table(), group_order=order, group_labels=GROUPS, level=0.95)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (ax,) = fig.axes
    legend_box = fig.legends[0].get_window_extent(renderer)
    assert not legend_box.overlaps(ax.get_window_extent(renderer))
    colours = group_colours(order)
    assert colours == {"g2": PALETTE[0], "g1": PALETTE[1]}
    legend = fig.legends[0]
    lines = {t.get_text(): h for t, h in zip(legend.texts, legend.legend_handles, strict=True)}
    assert lines["Second group"].get_color() == PALETTE[0]
    assert lines["First group"].get_color() == PALETTE[1]
    # the prior-floor value is drawn hollow, the others filled
    faces = [line.get_markerfacecolor() for line in ax.lines if line.get_marker() == "o"]
    assert "white" in faces and PALETTE[0] in faces
    assert any("prior floor" in t.get_text() for t in fig.legends[0].texts)
    # the seeds' range is drawn apart from the interval, as ticks
    ticks = [line for line in ax.lines if line.get_gid() == "seed_range"]
    assert sorted(x for line in ticks for x in line.get_xdata()) == pytest.approx(
        sorted(prevalence_table()[["seed_low", "seed_high"]].to_numpy().ravel())
    )
    assert any("seed fits" in t.get_text() for t in fig.legends[0].texts)
    # a flagged topic says so where it is drawn
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == ["T1  t1", "T2  t2  [no recurrence]", "T3  t3"]
    plt.close(fig)


def selection_table(heldout=True):
    ks = np.arange(2, 7)
    table = pd.DataFrame({"k": ks})
    for column in (
        "excess_stability",
        "perturbation_stability",
        "null_jaccard",
        "seed_stability",
        "heldout_gain",
        "npmi",
        "semantic_coherence",
        "exclusivity",
        "effective_words",
        "corpus_distance",
        "stability_over_null",
        "null_stability",
        "null_heldout_gain",
    ):
        table[column] = np.linspace(0.5, 0.2, len(ks))
    for column in ("excess_se", "perturbation_se", "heldout_gain_se", "stability_over_null_se"):
        table[column] = 0.02
    for column in ("seed_stability", "npmi", "semantic_coherence", "exclusivity"):
        table[f"{column}_sd"] = 0.03
    table["effective_words_sd"] = 0.03
    table["corpus_distance_sd"] = 0.03
    table["null_margin"] = 2.45
    if not heldout:
        table["heldout_gain"] = np.nan
    return table


def test_model_selection_figure_shows_every_measure_the_choice_and_the_edge():
    choice = {
        "k": 4,
        "rule_k": 2,
        "pinned": True,
        "edge": "lower",
        "k_source": "pinned",
        "k_evidence": "stability_over_shuffled_null",
    }
    fig = plot_model_selection(selection_table(heldout=False), choice)
    assert len(fig.axes) == 9
    title = fig._suptitle.get_text()
    assert "rule's K = 2" in title and "lower edge" in title and "K used = 4" in title
    assert "pinned" in title and "beats the shuffled-words null" in title
    plt.close(fig)
    none = {**choice, "k": 2, "pinned": False, "k_source": "default", "k_evidence": "none"}
    title = plot_model_selection(selection_table(), none)._suptitle.get_text()
    assert "no topic structure beyond chance" in title and "descriptive map" in title
    assert "rule's K" not in title
    labels = [t.get_text() for t in fig.legends[0].texts]
    assert "K used = 4" in labels and "rule's K = 2" in labels
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("not enough held-out words" in t for t in texts)  # NaN is not drawn as 0
    # the top-left panel draws what the rule asks of each K: null_margin standard errors
    over_null = next(ax for ax in fig.axes if "minus" in ax.get_ylabel())
    asked = [line.get_ydata() for line in over_null.lines if line.get_gid() == "margin"]
    assert len(asked) == 1 and np.allclose(asked[0], 2.45 * 0.02)
    assert any("margin" in label for label in labels)
    heldout = next(ax for ax in fig.axes if "Held-out" in ax.get_ylabel())
    assert all(len(line.get_xdata()) == 0 for line in heldout.lines[:1])
    plt.close(fig)
