"""Calibration on the corpus itself: how often each keyness test calls a term key where no
difference was planted, on null corpora built from the analysed texts.

Nulls (each keeps every term's total count and every segment's size):

* ``shuffled_words``: the counted words of all segments of both sides shuffled across the
  segments (no passage, no text: every segment a random draw of the corpus's words);
* ``permuted_segments``: the segments dealt at random to the two sides, as many as each has
  (passages stay whole; no side differs but by chance) -- for a side tested on its segments;
* ``permuted_documents``: the documents dealt at random to the sides -- when both sides are
  tested on their documents (at least ``keyness.document_min`` each).

Each null is drawn ``replicates`` times (numpy's PCG64 seeded with ``calibration.seed``); on
each, every test of :data:`corpusflow.keyness.robustness.TESTS` and the token-level G2 runs on
the tested terms. A test's false-positive rate is the mean share of terms with p at most the
nominal level (``keyness.max_q``), its Monte Carlo error the replicates' standard error; it
holds when the rate is at most nominal + 2 MC errors. ``<test>+bh`` rows: the share of
replicates in which any term reaches BH q at most the level (the keyword list's own error),
MC error the binomial one at the nominal level. :func:`choose_test` picks the test
keyness_top.csv uses.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from corpusflow.calibration import COLUMNS
from corpusflow.keyness.measures import benjamini_hochberg, g2_p_value, log_likelihood
from corpusflow.keyness.robustness import TESTS, unit_p
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.keyness.sides import INFERENTIAL, design_of


def segment_matrix(occurrences: pd.DataFrame, sides: Mapping, min_count: int) -> dict:
    """Per-segment counts of the tested terms (segments x terms, dense integers) and the rest
    of each segment's counted units as a last column; each segment's document and side."""
    docs = {doc: name for name, side_docs in sides.items() for doc in side_docs}
    occurrences = occurrences[occurrences["doc_id"].isin(list(docs))]
    totals = occurrences.groupby("term")["count"].sum()
    terms = np.sort(totals.index[totals >= min_count].to_numpy().astype(str))
    segments = occurrences.drop_duplicates("segment_id").sort_values("segment_id")
    rows = pd.Index(segments["segment_id"]).get_indexer(occurrences["segment_id"])
    cols = pd.Index(terms).get_indexer(occurrences["term"])
    cols[cols < 0] = len(terms)  # every other counted unit
    matrix = np.zeros((len(segments), len(terms) + 1), dtype=np.int64)
    np.add.at(matrix, (rows, cols), occurrences["count"].to_numpy())
    return {
        "counts": matrix,
        "documents": segments["doc_id"].to_numpy(),
        "side": segments["doc_id"].map(docs).to_numpy(),
        "terms": terms,
    }


def shuffled_words(rng, matrix: np.ndarray) -> np.ndarray:
    """The words of all segments shuffled across them (segment sizes and term totals kept)."""
    words = np.repeat(np.tile(np.arange(matrix.shape[1]), matrix.shape[0]), matrix.ravel())
    rng.shuffle(words)
    segment = np.repeat(np.arange(matrix.shape[0]), matrix.sum(axis=1))
    flat = np.bincount(segment * matrix.shape[1] + words, minlength=matrix.size)
    return flat.reshape(matrix.shape)


def _units(counts: np.ndarray, documents: np.ndarray, by_document: bool):
    """Unit counts and sizes: segments as they are, or pooled per document."""
    if not by_document:
        return counts, counts.sum(axis=1).astype(float)
    names, index = np.unique(documents, return_inverse=True)
    pooled = np.zeros((len(names), counts.shape[1]), dtype=counts.dtype)
    np.add.at(pooled, index, counts)
    return pooled, pooled.sum(axis=1).astype(float)


def _replicate_p(counts, side, documents, by_document: bool, draws: Mapping) -> dict:
    """p per tested term of every test and of G2 on one (null) corpus."""
    parts = [_units(counts[side == name], documents[side == name], by_document) for name in SIDES]
    (units_a, sizes_a), (units_b, sizes_b) = parts
    tested_a, tested_b = units_a[:, :-1].astype(float), units_b[:, :-1].astype(float)
    p = {test: unit_p(test, tested_a, sizes_a, tested_b, sizes_b, draws=draws) for test in TESTS}
    a, b = tested_a.sum(axis=0), tested_b.sum(axis=0)
    p["g2"] = g2_p_value(log_likelihood(a, b, sizes_a.sum(), sizes_b.sum(), yates=False))
    return p


SIDES = ("target", "reference")


def calibrate(occurrences: pd.DataFrame, sides: Mapping, settings: KeynessSettings) -> pd.DataFrame:
    """calibration_keyness.csv (:data:`COLUMNS`) from the default choice's per-segment counts
    (:func:`corpusflow.keyness.tables.term_counts` of the analysed documents)."""
    data = segment_matrix(occurrences, sides, settings.min_count)
    design = design_of(len(sides["target"]), len(sides["reference"]), settings.document_min)
    by_document = design == INFERENTIAL
    nulls = ["shuffled_words", "permuted_documents" if by_document else "permuted_segments"]
    rng = np.random.default_rng(settings.calibration.seed)
    level, replicates = settings.max_q, settings.calibration.replicates
    rows = []
    for null in nulls:
        drawn = []
        for _ in range(replicates):
            counts, side = _null(rng, null, data)
            drawn.append(_replicate_p(counts, side, data["documents"], by_document, settings.draws))
        for procedure in (*TESTS, "g2"):
            rows.append(_rates(procedure, null, [d[procedure] for d in drawn], level))
            if procedure in TESTS:
                rows.append(_family_rate(procedure, null, [d[procedure] for d in drawn], level))
    return pd.DataFrame(rows, columns=COLUMNS)


def _null(rng, null: str, data: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """One null corpus: counts per segment and each segment's side."""
    if null == "shuffled_words":
        return shuffled_words(rng, data["counts"]), data["side"]
    if null == "permuted_segments":
        return data["counts"], rng.permutation(data["side"])
    names, index = np.unique(data["documents"], return_inverse=True)
    first = pd.Series(data["side"]).groupby(index).first().to_numpy()
    return data["counts"], rng.permutation(first)[index]


def _rates(procedure: str, null: str, p_values, level: float) -> dict:
    shares = np.array([np.mean(p <= level) if len(p) else 0.0 for p in p_values])
    rate = float(shares.mean())
    error = float(shares.std(ddof=1) / math.sqrt(len(shares))) if len(shares) > 1 else math.nan
    return _row(procedure, null, len(shares), level, rate, error)


def _family_rate(test: str, null: str, p_values, level: float) -> dict:
    any_key = np.array([bool((benjamini_hochberg(p) <= level).any()) for p in p_values])
    error = math.sqrt(level * (1 - level) / len(any_key))
    return _row(f"{test}+bh", null, len(any_key), level, float(any_key.mean()), error)


def _row(procedure, null, replicates, level, rate, error) -> dict:
    holds = bool(rate <= level + 2 * (0.0 if math.isnan(error) else error))
    return dict(
        zip(
            COLUMNS,
            ["keyness", procedure, null, replicates, level, rate, error, holds],
            strict=True,
        )
    )


def run(
    counts: pd.DataFrame, sides: Mapping, settings: KeynessSettings
) -> tuple[pd.DataFrame, dict]:
    """The calibration stage on the default choice's per-segment term counts of the analysed
    documents (merged over the shards: :func:`corpusflow.keyness.counting.merged_counts`;
    ``sides``: the target and reference doc_ids): :func:`calibrate`, and :func:`choose_test` on
    the result. Returns the table and the choice."""
    table = calibrate(counts, sides, settings)
    return table, choose_test(table, settings)


def choose_test(calibration: pd.DataFrame, settings: KeynessSettings) -> dict:
    """The unit-level test keyness_top.csv uses: ``test``, whether it ``holds`` its level,
    ``rate`` (its largest false-positive rate over the nulls) and ``why``.

    ``keyness.segment_test`` if it holds its level under every null of ``calibration``
    (calibration_keyness.csv), else the first of :data:`TESTS` that does; if none does, the
    configured one, not holding."""
    preferred, level = settings.segment_test, settings.max_q
    rows = calibration[(calibration["stage"] == "keyness") & calibration["procedure"].isin(TESTS)]
    holding = rows.groupby("procedure")["holds"].all()
    worst = rows.groupby("procedure")["false_positive_rate"].max()
    chosen = next((t for t in (preferred, *TESTS) if holding.get(t, False)), None)
    if chosen is None:
        why = f"no test holds its level (nominal {level}) on this corpus's null corpora"
        return {"test": preferred, "holds": False, "rate": float(worst[preferred]), "why": why}
    rate = worst[chosen]
    why = f"{chosen} holds its level (false-positive rate at most {rate:.3f}, nominal {level})"
    if chosen != preferred:
        why = (
            f"the configured {preferred} does not hold its level (false-positive rate up to "
            f"{worst[preferred]:.3f}, nominal {level}); {why}"
        )
    return {"test": chosen, "holds": True, "rate": float(worst[chosen]), "why": why}
