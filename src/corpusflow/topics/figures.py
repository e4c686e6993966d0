"""Figures of the topic stage: model selection, prevalence by group, topic flow along the texts.

Each function returns a matplotlib figure for :func:`corpusflow.io.write_figure`. Groups
are coloured by :func:`corpusflow.plotting.group_colours` (the config's group order), as in
every other figure of the report.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

EDGE_WORDS = {
    "minimum": "the smallest K a topic model can have, so no smaller K was left out",
    "lower": "at the grid's lower edge: a smaller K was not tried",
    "upper": "at the grid's upper edge: a larger K was not tried",
    "none": "inside the grid",
}

#: (column, its uncertainty column, what the uncertainty is, y label)
SELECTION_PANELS = [
    (
        "stability_over_null",
        "stability_over_null_se",
        "± 1 SE",
        "Perturbation stability minus\nshuffled-words null",
    ),
    ("perturbation_stability", "perturbation_se", "± 1 SE", "Perturbation stability\n(Jaccard)"),
    ("seed_stability", "seed_stability_sd", "± 1 sd", "Seed stability\n(Jaccard)"),
    ("heldout_gain", "heldout_gain_se", "± 1 SE", "Held-out gain over unigram\n(nats/word)"),
    ("npmi", "npmi_sd", "± 1 sd", "Coherence (NPMI)"),
    ("semantic_coherence", "semantic_coherence_sd", "± 1 sd", "Semantic coherence\n(Mimno)"),
    ("exclusivity", "exclusivity_sd", "± 1 sd", "Exclusivity (FREX)"),
    ("effective_words", "effective_words_sd", "± 1 sd", "Effective number\nof words"),
    ("corpus_distance", "corpus_distance_sd", "± 1 sd", "Distance from corpus\n(KL, nats)"),
]


def _topic_names(table: pd.DataFrame) -> list[str]:
    """ "T<n>  <label>", with the topic's flag in brackets when it has one (a topic that fails
    its reproducibility checks is not shown as a finding)."""
    names = table.drop_duplicates("topic").sort_values("topic")
    flags = names["flag"] if "flag" in names else [""] * len(names)
    return [
        f"T{t}  {lab}" + (f"  [{flag}]" if flag else "")
        for t, lab, flag in zip(names["topic"], names["label"], flags, strict=True)
    ]


def _selection_panel(ax, table: pd.DataFrame, panel: tuple, choice: dict) -> None:
    """One measure of the model-selection figure against K (:data:`SELECTION_PANELS`): its
    mean with error bars, the nulls it is set against, and the K lines."""
    from corpusflow.plotting import PALETTE

    column, spread, what, ylabel = panel
    ks = table["k"].to_numpy()
    values = table[column].to_numpy(dtype=float)
    errors = np.nan_to_num(table[spread].to_numpy(dtype=float), nan=0.0)
    shown = ~np.isnan(values)
    ax.errorbar(
        ks[shown],
        values[shown],
        yerr=errors[shown],
        color=PALETTE[0],
        marker="o",
        ms=4,
        capsize=3,
    )
    if column == "perturbation_stability":
        ax.plot(ks, table["null_jaccard"], color="#777777", ls=":")
        ax.plot(ks, table["null_stability"], color=PALETTE[1], ls="--", marker="x", ms=4)
    if column == "heldout_gain":
        ax.axhline(0, color="#777777", lw=0.8, ls=":")
        ax.plot(ks, table["null_heldout_gain"], color=PALETTE[1], ls="--", marker="x", ms=4)
    if column == "stability_over_null":
        ax.axhline(0, color="#777777", lw=0.8, ls=":")
        if "null_margin" in table:  # what the rule asks: a K beats the null above this line
            asked = table["null_margin"] * table["stability_over_null_se"]
            ax.plot(
                ks, asked, color=PALETTE[2], ls="none", marker="_", ms=12, mew=1.5, gid="margin"
            )
    if not shown.any():
        ax.text(
            0.5,
            0.5,
            "not enough held-out words\n(see heldout_words)",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="#aa0000",
        )
    ax.axvline(choice["k"], color=PALETTE[5], ls="--", lw=1.2)
    if choice["rule_k"] != choice["k"]:
        ax.axvline(choice["rule_k"], color=PALETTE[2], ls="-.", lw=1.2)
    ax.set_ylabel(f"{ylabel}\n(mean {what})", fontsize=9)


def _selection_handles(choice: dict) -> list:
    """The model-selection figure's legend: means, the nulls, the K used and the rule's K."""
    from matplotlib.lines import Line2D

    from corpusflow.plotting import PALETTE

    handles = [
        Line2D([], [], color=PALETTE[0], marker="o", label="mean over replicates or seeds"),
        Line2D([], [], color=PALETTE[1], ls="--", marker="x", label="shuffled-words null"),
        Line2D(
            [], [], color="#777777", ls=":", label="random topics (stability) / unigram (held out)"
        ),
        Line2D([], [], color=PALETTE[5], ls="--", label=f"K used = {choice['k']}"),
        Line2D(
            [],
            [],
            color=PALETTE[2],
            ls="none",
            marker="_",
            ms=12,
            mew=1.5,
            label="the rule's margin (null_margin × SE; top left)",
        ),
    ]
    if choice["rule_k"] != choice["k"]:
        handles.append(
            Line2D([], [], color=PALETTE[2], ls="-.", label=f"rule's K = {choice['rule_k']}")
        )
    return handles


def plot_model_selection(table: pd.DataFrame, choice: dict):
    """Every measure of the model-selection table against K, with its uncertainty (error bars:
    standard errors over perturbation replicates, or standard deviations over seeds, as the
    panel says), the rule's K and the K used (dashed lines), and where the rule's K lies."""
    import matplotlib.pyplot as plt

    from corpusflow.plotting import apply_style

    apply_style()
    fig, axes = plt.subplots(3, 3, figsize=(12, 9.5), sharex=True)
    for ax, panel in zip(axes.ravel(), SELECTION_PANELS, strict=True):
        _selection_panel(ax, table, panel, choice)
    for ax in axes[-1]:
        ax.set_xlabel("Number of topics K")
        ax.set_xticks(table["k"].to_numpy())
    handles = _selection_handles(choice)
    fig.suptitle(selection_title(choice), fontsize=11)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=8, frameon=False)
    return fig


def selection_title(choice: dict) -> str:
    """The model-selection figure's title: what the K rule found and which K is shown."""
    source = {
        "pinned": "pinned by topics.k",
        "rule": "the rule's K",
        "default": "the grid's smallest K, a descriptive map",
    }[choice["k_source"]]
    if choice["k_evidence"] == "none":
        found = "no K beats the shuffled-words null: no topic structure beyond chance"
    else:
        found = f"rule's K = {choice['rule_k']} (beats the shuffled-words null), "
        found += EDGE_WORDS[choice["edge"]]
    return f"Topic model selection: {found}\nK used = {choice['k']} ({source})"


def _draw_group(ax, rows: pd.DataFrame, offset: float, colour: str) -> None:
    """One group's dots and whiskers (hollow and dotted at the prior floor) and ticks at the
    seeds' smallest and largest means."""
    for floor in (False, True):
        part = rows[rows["at_prior_floor"].astype(bool) == floor]
        if part.empty:
            continue
        bars = ax.errorbar(
            part["mean"],
            part["topic"].to_numpy() + offset,
            xerr=np.clip([part["mean"] - part["low"], part["high"] - part["mean"]], 0, None),
            fmt="o",
            ms=5,
            color=colour,
            mfc="white" if floor else colour,
            capsize=3,
        )
        if floor:
            bars[-1][0].set_linestyle(":")
    for edge in ("seed_low", "seed_high"):
        y = rows["topic"].to_numpy() + offset
        ax.plot(rows[edge], y, "|", ms=9, color=colour, alpha=0.6, gid="seed_range")


def _prevalence_handles(prevalence: pd.DataFrame, drawn: list) -> list:
    """The prevalence figure's legend: the groups drawn, the seeds' range and, when any value
    is at the prior floor, its hollow marker."""
    from matplotlib.lines import Line2D

    handles = list(drawn)
    handles.append(
        Line2D([], [], color="#555555", marker="|", ls="", ms=9, label="range over seed fits")
    )
    if prevalence["at_prior_floor"].astype(bool).any():
        handles.append(
            Line2D(
                [],
                [],
                color="#555555",
                marker="o",
                mfc="white",
                ls=":",
                label="at the prior floor (no evidence in the text)",
            )
        )
    return handles


def plot_prevalence(
    prevalence: pd.DataFrame, *, group_order: Sequence[str], group_labels: dict, level: float
):
    """Dot-and-whisker plot of the final model's mean topic proportion per group with its
    interval, and ticks at the smallest and largest mean over the seed fits.

    Groups keep their colours (config order); values at the prior floor are drawn as hollow
    markers with dotted whiskers. The legend sits below the axes, never over the data."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from corpusflow.plotting import apply_style, group_colours

    apply_style()
    colours = group_colours(group_order)
    names = _topic_names(prevalence)
    groups = [g for g in group_order if g in set(prevalence["group"])]
    n = len(groups)
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(names) * max(1, n / 3) + 2.2))
    offsets = np.linspace(-0.3, 0.3, n) if n > 1 else [0.0]
    drawn = []
    for group, off in zip(groups, offsets, strict=True):
        rows = prevalence[prevalence["group"] == group].sort_values("topic")
        _draw_group(ax, rows, off, colours[group])
        label = group_labels.get(group, group)
        drawn.append(Line2D([], [], color=colours[group], marker="o", label=label))
    handles = _prevalence_handles(prevalence, drawn)
    ax.set_yticks(range(1, len(names) + 1), names)
    ax.set_ylim(len(names) + 0.6, 0.4)
    ax.set_xlim(left=0)
    ax.set_xlabel(
        f"Final model's mean topic proportion per segment\n({level:.0%} interval: posterior "
        "draws x resampled passages or documents; ticks: range over seed fits)"
    )
    ax.set_title("Topic prevalence by group")
    fig.tight_layout()
    fig.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=min(3, len(handles)),
        fontsize=8,
        frameon=False,
    )
    return fig


def _flow_panel(ax, x_edges: np.ndarray, values: np.ndarray, names, show_names: bool):
    image = ax.pcolormesh(
        x_edges, np.arange(len(names) + 1), values, cmap="viridis", vmin=0, vmax=1, shading="flat"
    )
    ax.set_ylim(len(names), 0)
    ax.set_yticks(np.arange(len(names)) + 0.5, names if show_names else [])
    ax.grid(False)
    return image


def _flow_panels(segment_topics: pd.DataFrame, group_order, max_panels: int) -> tuple:
    """The flow figure's panels, ``(name, rows)``: one per document when there are at most
    ``max_panels``, else one per group (config order); and whether they are documents."""
    docs = sorted(segment_topics["doc_id"].unique())
    if len(docs) <= max_panels:
        return [(doc, segment_topics[segment_topics["doc_id"] == doc]) for doc in docs], True
    present = set(segment_topics["group"])
    panels = [
        (g, segment_topics[segment_topics["group"] == g]) for g in group_order if g in present
    ]
    return panels, False


def _draw_flow(ax, name: str, frame: pd.DataFrame, per_document: bool, context: dict):
    """One panel of the flow figure: a document's segments over their token spans, or a
    group's binned mean (``context``: names, bins, k, group_labels). Returns the image."""
    names, bins = context["names"], context["bins"]
    if per_document:
        wide = frame.pivot_table(index="topic", columns="order", values="proportion", sort=True)
        spans = frame.drop_duplicates("order").sort_values("order")
        edges = np.append(spans["token_start"].to_numpy(), spans["token_end"].iloc[-1])
        image = _flow_panel(ax, edges, wide.to_numpy(), names, True)
        ax.set_title(f"{name} ({frame['group'].iloc[0]})", loc="left", fontsize=9)
        ax.set_xlabel("Position in the text (alphabetic tokens)")
        return image
    values = _binned(frame, bins, context["k"])
    image = _flow_panel(ax, np.linspace(0, 100, bins + 1), values, names, True)
    n_docs = frame["doc_id"].nunique()
    label = context["group_labels"].get(name, name)
    ax.set_title(f"{label}: {n_docs} documents", loc="left", fontsize=9)
    return image


def plot_flow(
    segment_topics: pd.DataFrame,
    *,
    group_order: Sequence[str],
    group_labels: dict,
    max_panels: int,
    bins: int = 20,
):
    """Topic proportions along the texts, x = position in the text (alphabetic tokens).

    Up to ``max_panels`` documents: one panel per document, each segment drawn over its token
    span. More documents: one panel per group, the mean proportion of each topic in ``bins``
    equal stretches of relative position (share of each text's tokens), weighted by tokens,
    over the group's documents; labels never multiply with the number of documents."""
    import matplotlib.pyplot as plt

    from corpusflow.plotting import apply_style

    apply_style()
    names = _topic_names(segment_topics)
    context = {"names": names, "bins": bins, "k": len(names), "group_labels": group_labels}
    panels, per_document = _flow_panels(segment_topics, group_order, max_panels)
    height = 0.28 * len(names) + 0.9
    fig, axes = plt.subplots(
        len(panels),
        1,
        figsize=(11, height * len(panels) + 1.2),
        squeeze=False,
        sharex=not per_document,
        layout="constrained",
    )
    image = None
    for ax, (name, frame) in zip(axes[:, 0], panels, strict=True):
        image = _draw_flow(ax, name, frame, per_document, context)
    if not per_document:
        axes[-1, 0].set_xlabel("Position in the text (% of the text's alphabetic tokens)")
    fig.colorbar(image, ax=axes[:, 0].tolist(), label="Topic proportion", shrink=0.9)
    what = "each text" if per_document else f"the texts of each group (mean of {bins} stretches)"
    fig.suptitle(f"Topic flow along {what}")
    return fig


def _binned(frame: pd.DataFrame, bins: int, k: int) -> np.ndarray:
    """Token-weighted mean topic proportion (topics x bins) by relative position."""
    seg = frame.copy()
    length = seg.groupby("doc_id")["token_end"].transform("max").clip(lower=1)
    middle = (seg["token_start"] + seg["token_end"]) / 2 / length
    seg["bin"] = np.minimum((middle * bins).astype(int), bins - 1)
    seg["weighted"] = seg["proportion"] * seg["n_tokens"]
    sums = seg.pivot_table(index="topic", columns="bin", values="weighted", aggfunc="sum")
    weights = seg[seg["topic"] == seg["topic"].min()].groupby("bin")["n_tokens"].sum()
    values = (sums / weights).reindex(index=range(1, k + 1), columns=range(bins))
    return np.ma.masked_invalid(values.to_numpy(dtype=float))
