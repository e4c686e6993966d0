"""Calibration of the K rule on the corpus itself: how often it claims topic structure where
there is none.

Each replicate builds a corpus with no topic structure from the analysed texts (their terms
shuffled across all segments, segment lengths kept: :func:`corpusflow.topics.null.shuffled_words`
with the replicate's own seed), runs the whole K rule on it exactly as on the real corpus
(the same K grid, seeds, perturbation replicates and its own shuffled-words null) and records
whether the rule claimed structure (``k_evidence`` not "none"). The false-positive rate over
the replicates, with its Monte Carlo error ``sqrt(p (1 - p) / R)``, is compared with the
nominal level: the rule holds when the rate is within two Monte Carlo errors of it or below.
Only the fits the rule reads are made (top terms and held-out completion; no diagnostics).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from corpusflow.topics.null import null_k, shuffled_words
from corpusflow.topics.stability import choose_k, selection_table
from corpusflow.topics.sweep import design, extend_side, most_replicates, random_topics_null


def rule_on(texts: Sequence[Sequence[str]], settings, seeds: Sequence[int]) -> dict:
    """The K rule's choice on ``texts`` (the sweep's design, its own shuffled-words null, each
    side with the replicates its pilot's spread asks for, as in the sweep)."""
    perturbation, null = settings.perturbation, settings.null
    most = most_replicates(settings, perturbation.replicates)
    corpus, data = design(texts, settings, most)
    null_most = most_replicates(settings, null.replicates)
    null_corpus, null_data = design(shuffled_words(texts, null.seed), settings, null_most)
    null_seeds = seeds[: null.seeds]
    records = []
    for k in range(settings.k_min, settings.k_max + 1):
        pilot = perturbation.replicates
        record = null_k(corpus, data, k, settings, seeds=seeds, pilot=pilot)
        extend_side(record, data, k, settings, seeds=seeds, pilot=pilot)
        record["k"] = k
        record["null"] = random_topics_null(
            corpus.word_freq,
            k,
            top_n=settings.measure_top_n,
            draws=perturbation.null_draws,
            seed=perturbation.seed,
        )
        side = null_k(null_corpus, null_data, k, settings, seeds=null_seeds, pilot=null.replicates)
        extend_side(side, null_data, k, settings, seeds=null_seeds, pilot=null.replicates)
        record["shuffled_null"] = side
        records.append(record)
    table = selection_table(
        records, min_heldout_words=perturbation.min_heldout_words, level=settings.null.level
    )
    return choose_k(table, None)


def calibrate(texts: Sequence[Sequence[str]], settings, seeds: Sequence[int]) -> dict:
    """The calibration row of the K rule on shuffled-words corpora built from ``texts``.

    Every replicate is a whole sweep with its null (about 30 CPU-seconds on this study), so
    ``topics.calibration.replicates`` is 0 by default: the row then says the rule was not
    calibrated in this run (rate and error empty, ``holds`` false)."""
    calibration = settings.calibration
    claims = []
    for r in range(calibration.replicates):
        shuffled = shuffled_words(
            texts, int(np.random.default_rng([calibration.seed, r]).integers(2**31))
        )
        claims.append(rule_on(shuffled, settings, seeds)["k_evidence"] != "none")
    rate = float(np.mean(claims)) if claims else math.nan
    error = math.sqrt(rate * (1 - rate) / len(claims)) if claims else math.nan
    procedure = "K rule (stability and held-out gain over the shuffled-words null)"
    return {
        "stage": "topics",
        "procedure": procedure if claims else f"{procedure}; not run (replicates: 0)",
        "null": "words shuffled across all segments",
        "replicates": len(claims),
        "nominal_level": settings.null.level,
        "false_positive_rate": rate,
        "mc_error": error,
        "holds": bool(claims) and bool(rate <= settings.null.level + 2 * error),
    }
