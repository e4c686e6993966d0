"""Keywords that survive choices: a robustness count per term, and text-dispersion keyness.

A keyword list depends on choices a reader cannot see: the test of the per-unit frequencies,
how much text counts as one unit, whether two-word units are merged and spelling variants
folded (on this study's corpus Wilcoxon-Mann-Whitney, Welch's t and Lijffijt et al.'s bootstrap
give 5, 37 and 166 target keywords). :func:`alternative_keys` recomputes the keyword filter of
``keyness_top.csv`` (:func:`corpusflow.keyness.tables.is_key`) under each alternative:

* each test of :data:`TESTS` on units pooled into blocks of 1, 2 or 3 adjacent segments of one
  document (:data:`BLOCKS`; a side tested on its documents has blocks of 1 only);
* the other phrase choice and the other spelling choice (their tables, the chosen test).

A term's ``robustness`` is the number of alternatives under which it is key; ``keyness_top.csv``
keeps terms key under at least ``keyness.min_robustness`` of them (a share).

Text-dispersion keyness (Egbert & Biber 2019): the share of a side's units (segments, or
documents for a side tested on its documents) that contain the term, ``td_target`` and
``td_reference``, and ``td_g2``, the signed log-likelihood of those unit counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from corpusflow.keyness.inference import bootstrap, unit_counts, welch_test, wmw_test
from corpusflow.keyness.measures import benjamini_hochberg, log_likelihood

#: The tests of the per-unit frequencies, in order of preference when calibration chooses.
TESTS = ("wmw", "welch", "bootstrap")
#: Adjacent segments pooled into one unit.
BLOCKS = (1, 2, 3)


def unit_p(test: str, counts_a, sizes_a, counts_b, sizes_b, *, draws: Mapping) -> np.ndarray:
    """p of ``test`` (one of :data:`TESTS`) per term; ``draws``: the bootstrap settings."""
    if test == "wmw":
        return wmw_test(counts_a, sizes_a, counts_b, sizes_b)
    if test == "welch":
        return welch_test(counts_a, sizes_a, counts_b, sizes_b)
    if test == "bootstrap":
        return bootstrap(counts_a, sizes_a, counts_b, sizes_b, **{**draws, "level": None})["p"]
    raise ValueError(f"test must be one of {TESTS}, got {test!r}")


def blocked(counts, sizes: np.ndarray, documents: np.ndarray, size: int):
    """Units pooled into blocks of ``size`` adjacent units of the same document.

    ``counts`` (units x terms, sparse or dense) and ``sizes`` are in unit order, ``documents``
    names each unit's document; units are in document order (sorted ids). A document's last
    block may hold fewer units."""
    from scipy.sparse import csr_matrix

    if size == 1:
        return counts, sizes
    starts = np.r_[True, documents[1:] != documents[:-1]]
    document_index = np.cumsum(starts) - 1
    position = np.arange(len(documents)) - np.flatnonzero(starts)[document_index]
    keys = pd.MultiIndex.from_arrays([document_index, position // size])
    block, _ = pd.factorize(keys, sort=True)
    pool = csr_matrix(
        (np.ones(len(block)), (block, np.arange(len(block)))),
        shape=(block.max() + 1, len(block)),
    )
    return pool @ counts, pool @ sizes


def side_units(occurrences: pd.DataFrame, terms: Sequence[str], docs, document_min: int):
    """A side's unit counts, sizes, kind and each unit's document
    (:func:`corpusflow.keyness.inference.unit_counts`)."""
    counts, sizes, kind = unit_counts(occurrences, terms, docs=docs, document_min=document_min)
    side = occurrences[occurrences["doc_id"].isin(list(docs))]
    if kind == "document":
        return counts, sizes, kind, np.sort(side["doc_id"].unique())
    document_of = side.drop_duplicates("segment_id").set_index("segment_id")["doc_id"]
    documents = document_of.reindex(np.sort(side["segment_id"].unique())).to_numpy()
    return counts, sizes, kind, documents


def alternative_q(
    occurrences: pd.DataFrame,
    terms: Sequence[str],
    *,
    sides: Mapping[str, Sequence[str]],
    document_min: int,
    draws: Mapping,
) -> dict[str, np.ndarray]:
    """BH q of every test of :data:`TESTS` on blocks of :data:`BLOCKS` units, per term in
    ``terms`` order, named ``<test>_block<size>``. ``sides``: target and reference doc_ids."""
    units = {
        name: side_units(occurrences, terms, docs, document_min) for name, docs in sides.items()
    }
    segment_units = all(kind == "segment" for _, _, kind, _ in units.values())
    q = {}
    for size in BLOCKS if segment_units else (1,):
        (counts_a, sizes_a), (counts_b, sizes_b) = (
            blocked(counts, sizes, documents, size)
            for counts, sizes, _, documents in units.values()
        )
        for test in TESTS:
            p = unit_p(test, counts_a, sizes_a, counts_b, sizes_b, draws=draws)
            q[f"{test}_block{size}"] = benjamini_hochberg(p)
    return q


def text_dispersion(occurrences: pd.DataFrame, terms: Sequence[str], *, sides, document_min):
    """Egbert & Biber's (2019) text dispersion per term: ``td_target``, ``td_reference`` (share
    of the side's units containing it) and ``td_g2`` (signed G2 of those unit counts)."""
    present = {}
    for name, docs in sides.items():
        counts, sizes, _ = unit_counts(occurrences, terms, docs=docs, document_min=document_min)
        present[name] = (np.asarray((counts > 0).sum(axis=0)).ravel(), len(sizes))
    (a, n_a), (b, n_b) = present["target"], present["reference"]
    return pd.DataFrame(
        {
            "td_target": a / n_a,
            "td_reference": b / n_b,
            "td_g2": log_likelihood(a, b, n_a, n_b, yates=False),
        }
    )


def robustness_count(
    table: pd.DataFrame,
    q: Mapping[str, np.ndarray],
    others: Mapping[str, pd.DataFrame],
    *,
    is_key,
) -> tuple[np.ndarray, list[str]]:
    """Under how many alternatives each term of ``table`` is key, and the alternatives' names.

    ``q``: q per alternative test (in ``table`` order, :func:`alternative_q`), put in place of
    ``q_segment``; ``others``: tables of other counting choices (keyed by term). ``is_key``:
    the keyword filter, called on a table and returning a boolean Series."""
    keys = []
    for values in q.values():
        keys.append(is_key(table.assign(q_segment=values)).to_numpy())
    for other in others.values():
        passing = set(other.loc[is_key(other), "term"])
        keys.append(table["term"].isin(passing).to_numpy())
    return np.sum(keys, axis=0).astype(int), [*q, *others]
