"""How many perturbation replicates a K gets: a two-stage design set by the spread alone.

The K rule reads each K's perturbation stability and its standard error, on the corpus and on
its shuffled-words null (:mod:`corpusflow.topics.stability`). A fixed number of replicates
gives a K whose replicates disagree a wide standard error and a K whose replicates agree a
needlessly narrow one. Here each side of each K first fits its **pilot** replicates
(``perturbation.replicates``, ``null.replicates``); their standard deviation ``sd`` of the
stability score sets the total

    n = ceil((sd / target_se)^2), within pilot .. max(pilot, max_replicates),

and replicates ``pilot .. n - 1`` are fitted next (Stein's two-stage design, 1945). ``n``
depends on the pilot's spread only, never on its mean nor on the difference from the null,
and is set in the same way for the corpus and for its null, so stopping cannot favour a K: a
sequential rule that stopped once a K looked better (or worse) than its null would. The mean
and standard error reported are over all ``n`` replicates. Held-out gain is not part of the
plan: it is scored on the same replicates, and its difference from the null is many standard
errors wide wherever it was measured (docs/topics.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np


def replicates_needed(scores: Sequence[float], *, pilot: int, target_se: float, most: int) -> int:
    """Replicates of a side of a K: ``ceil((sd / target_se)^2)`` of the pilot's ``scores``
    (their standard deviation; NaN, a replicate that could not be fitted, left out), within
    ``pilot .. max(pilot, most)``; ``pilot`` when fewer than two scores are known."""
    known = [s for s in scores if s is not None and not math.isnan(s)]
    if len(known) < 2:
        return pilot
    sd = float(np.std(known, ddof=1))
    return int(min(max(pilot, most), max(pilot, math.ceil((sd / target_se) ** 2 - 1e-9))))


def stability_scores(side: dict) -> list[float]:
    """Each replicate's stability on one side of a K (``{"seeds", "replicates"}``): its mean
    matched top-term Jaccard with every full-data fit (NaN when it could not be fitted)."""
    from corpusflow.topics.stability import replicate_measures

    return replicate_measures([s["topics"] for s in side["seeds"]], side["replicates"])[0]


def extend(side: dict, fit_one: Callable[[int], dict], *, pilot: int, perturbation) -> None:
    """Complete one side of a K in place: from its ``pilot`` replicates' stability, the number
    it needs (:func:`replicates_needed`, ``perturbation.target_se`` and ``max_replicates``);
    ``fit_one(r)`` makes replicate ``r``'s record for each one missing. The plan is recorded
    as ``side["replicate_plan"]``: pilot, the pilot's sd, and the replicates made."""
    scores = stability_scores({"seeds": side["seeds"], "replicates": side["replicates"][:pilot]})
    n = replicates_needed(
        scores,
        pilot=pilot,
        target_se=perturbation.target_se,
        most=perturbation.max_replicates,
    )
    known = [s for s in scores if not math.isnan(s)]
    side["replicates"] = side["replicates"][:pilot] + [fit_one(r) for r in range(pilot, n)]
    side["replicate_plan"] = {
        "pilot": pilot,
        "pilot_sd": float(np.std(known, ddof=1)) if len(known) > 1 else None,
        "replicates": n,
    }
