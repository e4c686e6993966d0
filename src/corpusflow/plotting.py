"""One figure style for the whole report, and byte-identical figure files.

Figures are written with :func:`corpusflow.io.write_figure`, which leaves out the volatile
metadata matplotlib would stamp into them.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def apply_style() -> None:
    """Set the shared matplotlib style; call before creating figures."""
    plt.rcParams.update(STYLE)


#: Colour of a side that is not one group ("rest": every other analysed group).
OTHER_COLOUR = "#666666"


def group_colours(groups: Iterable[str]) -> dict[str, str]:
    """One colour per group, the same in every figure: the palette in the order of ``groups``.

    Pass the groups in the order the config declares them (``config["groups"]``), so a group
    keeps its colour whichever figure, side or subset it appears in. More groups than colours
    reuse the palette from the start.
    """
    return {group: PALETTE[index % len(PALETTE)] for index, group in enumerate(groups)}
