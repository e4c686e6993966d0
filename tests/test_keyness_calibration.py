"""Calibration on null corpora and the robustness count, on synthetic corpora with a known
answer: words that cluster in passages make token-level G2 exceed its level while the rank test
holds; the nulls keep every total; blocks pool neighbouring segments of one document only."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from corpusflow import keyness as k
from corpusflow.calibration import COLUMNS, combine
from corpusflow.errors import InputError
from tests.keyness_corpus import settings

VOCABULARY = [f"w{i:03d}" for i in range(120)]


def _clustered(seed=5, segments=(40, 40), size=150):
    """Two one-document sides drawn alike, but each segment favours a few words (a passage's
    topic): no difference between the sides, strong clustering within them."""
    rng = np.random.default_rng(seed)
    base = 1 / np.arange(1, len(VOCABULARY) + 1)
    rows = []
    for doc, n in zip(("t", "r"), segments, strict=True):
        for s in range(n):
            weights = base * rng.gamma(0.3, 1.0, len(VOCABULARY))
            words = rng.choice(VOCABULARY, size=size, p=weights / weights.sum())
            rows += [(doc, f"{doc}:{s:03d}", w) for w in words]
    return pd.DataFrame(rows, columns=["doc_id", "segment_id", "term"])


SIDES = {"target": ["t"], "reference": ["r"]}


@pytest.fixture(scope="module")
def calibrated():
    occurrences = k.term_counts(_clustered())
    chosen = settings(calibration=dataclasses.replace(settings().calibration, replicates=12))
    return occurrences, chosen, k.calibrate(occurrences, SIDES, chosen)


def test_clustered_words_break_token_g2_not_the_rank_test(calibrated):
    _, chosen, table = calibrated
    assert list(table.columns) == COLUMNS and set(table["stage"]) == {"keyness"}
    assert set(table["null"]) == {"shuffled_words", "permuted_segments"}
    rows = table.set_index(["procedure", "null"])
    # Segments dealt at random keep the clustering: G2 (tokens independent) calls far more
    # terms key than its level; WMW on segments holds.
    assert rows.loc[("g2", "permuted_segments"), "false_positive_rate"] > 3 * chosen.max_q
    assert not rows.loc[("g2", "permuted_segments"), "holds"]
    assert rows.loc[("wmw", "permuted_segments"), "holds"]
    assert rows.loc[("wmw", "shuffled_words"), "holds"]
    # Words shuffled across segments remove the clustering: G2 is near its level again.
    assert rows.loc[("g2", "shuffled_words"), "false_positive_rate"] < 2 * chosen.max_q
    assert (table["replicates"] == 12).all() and (table["mc_error"] > 0).all()
    again = k.calibrate(*calibrated[:1], SIDES, chosen)
    pd.testing.assert_frame_equal(again, table)  # seeded: the same rates


def test_the_nulls_keep_every_total():
    occurrences = k.term_counts(_clustered(segments=(6, 4), size=30))
    data = k.segment_matrix(occurrences, SIDES, min_count=1)
    shuffled = k.shuffled_words(np.random.default_rng(1), data["counts"])
    np.testing.assert_array_equal(shuffled.sum(axis=1), data["counts"].sum(axis=1))
    np.testing.assert_array_equal(shuffled.sum(axis=0), data["counts"].sum(axis=0))
    assert (shuffled != data["counts"]).any()


def test_choose_test_falls_back_to_a_test_that_holds(calibrated):
    _, chosen, table = calibrated
    welch = dataclasses.replace(chosen, segment_test="welch")
    rows = table.copy()
    rows.loc[rows["procedure"] == "welch", "holds"] = False
    choice = k.choose_test(rows, welch)
    assert choice["test"] == "wmw" and choice["holds"] and "welch does not hold" in choice["why"]
    rows.loc[rows["procedure"].isin(["wmw", "bootstrap"]), "holds"] = False
    none = k.choose_test(rows, welch)
    assert none["test"] == "welch" and not none["holds"]


def test_blocks_pool_adjacent_segments_of_one_document_only():
    counts = np.arange(10, dtype=float).reshape(5, 2)
    sizes = np.array([1.0, 2, 3, 4, 5])
    documents = np.array(["a", "a", "a", "b", "b"])
    pooled, pooled_sizes = k.blocked(counts, sizes, documents, 2)
    np.testing.assert_array_equal(pooled, [[2, 4], [4, 5], [14, 16]])
    np.testing.assert_array_equal(pooled_sizes, [3, 3, 9])


def test_robustness_counts_the_alternatives_a_term_is_key_under():
    table = pd.DataFrame({"term": ["a", "b", "c"], "q_segment": [0.01, 0.01, 0.5]})
    q = {"x": np.array([0.01, 0.5, 0.5]), "y": np.array([0.01, 0.01, 0.5])}
    other = pd.DataFrame({"term": ["a", "c"], "q_segment": [0.01, 0.01]})

    def is_key(t):
        return t["q_segment"] <= 0.05

    count, names = k.robustness_count(table, q, {"z": other}, is_key=is_key)
    assert names == ["x", "y", "z"] and count.tolist() == [3, 1, 1]


def test_combine_checks_the_columns():
    table = pd.DataFrame([["keyness", "wmw", "n", 1, 0.05, 0.0, 0.0, True]], columns=COLUMNS)
    assert len(combine([("a", table), ("b", table)])) == 2
    with pytest.raises(InputError, match="CF506"):
        combine([("topics.csv", table.drop(columns="holds"))])
