"""One figure style for the whole report, and byte-identical figure files.

Matplotlib stamps the software version and creation date into PNG/PDF metadata and random ids
into SVG; :func:`save_figure` turns all of that off so reruns give identical bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]

STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "svg.hashsalt": "corpusflow",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",
}

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Producer": None, "Creator": None},
}


def apply_style() -> None:
    """Set the shared matplotlib style; call before creating figures."""
    plt.rcParams.update(STYLE)


def save_figure(fig: plt.Figure, paths: Iterable[str | Path]) -> None:
    """Save ``fig`` to each path (format from the suffix) without volatile metadata; close it."""
    for path in paths:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fmt = path.suffix.lstrip(".").lower()
        if fmt not in _METADATA:
            raise ValueError(f"{path}: unsupported figure format {fmt!r}; use png, svg or pdf")
        with plt.rc_context({"svg.hashsalt": "corpusflow"}):
            fig.savefig(path, format=fmt, metadata=_METADATA[fmt], bbox_inches="tight")
    plt.close(fig)


def group_colours(groups: Iterable[str]) -> dict[str, str]:
    """One colour per group, by the group's position in the config's ``groups`` (the same
    colour for a group in every figure): PALETTE in order, repeating after eight groups."""
    return {group: PALETTE[i % len(PALETTE)] for i, group in enumerate(groups)}
