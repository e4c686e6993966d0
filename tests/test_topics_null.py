"""Findings that know their design (issue #22 items 5-6): the K rule against the shuffled-words
null (a corpus with planted topics gets its K with evidence, the same words shuffled get
"none"), a topic that is one document flagged as text identity, and prevalence that is the
final model's."""

from __future__ import annotations

import numpy as np
import pytest

from corpusflow.topics import final as final_mod
from corpusflow.topics import null as null_mod
from corpusflow.topics import stability
from corpusflow.topics.prevalence import prevalence_by_group
from tests.test_topics import (
    bootstrap,
    group_corpus,
    planted_corpus,
    prevalence_inputs,
    run_sweep,
)


def test_shuffled_words_keep_the_words_and_lengths_and_are_seeded():
    texts = [["a", "b", "c"], ["d"], [], ["e", "f"]]
    shuffled = null_mod.shuffled_words(texts, 3)
    assert [len(t) for t in shuffled] == [3, 1, 0, 2]
    assert sorted(w for t in shuffled for w in t) == list("abcdef")
    assert shuffled == null_mod.shuffled_words(texts, 3)
    assert any(null_mod.shuffled_words(texts, s) != shuffled for s in range(4, 10))


def test_the_null_margin_widens_with_the_grid_so_the_rule_keeps_its_level():
    """One standard error at every K of a grid is no 5% test: the margin is the normal
    quantile at level / (number of K), and independent null differences clear it at some K
    of the grid at most about ``level`` of the time."""
    assert stability.null_margin(0.05, 1) == pytest.approx(1.645, abs=1e-3)
    assert stability.null_margin(0.05, 7) == pytest.approx(2.450, abs=1e-3)
    two_se = {
        "stability_over_null": 0.05,
        "stability_over_null_se": 0.025,
        "heldout_over_null": np.nan,
        "heldout_over_null_se": np.nan,
    }
    assert stability.beats_null(two_se, stability.null_margin(0.05, 1))
    assert not stability.beats_null(two_se, stability.null_margin(0.05, 7))
    draws = np.random.default_rng(0).standard_normal((20000, 7))
    claims = (draws > stability.null_margin(0.05, 7)).any(axis=1).mean()
    assert 0.04 < claims <= 0.05
    assert (draws > 1.0).any(axis=1).mean() > 0.6  # what one standard error at each K gave


@pytest.fixture(scope="module")
def planted():
    """Three planted topics, 60 documents: small enough for a fast sweep at K = 2..5."""
    return planted_corpus(k_true=3, n_docs=60, length=100, seed=3)


def rule(texts):
    _, records, _ = run_sweep(texts, range(2, 6), seeds=(1, 2, 3), replicates=4)
    return stability.choose_k(
        stability.selection_table(records, min_heldout_words=100, level=0.05), None
    )


def test_a_planted_k_is_recovered_with_evidence(planted):
    choice = rule(planted)
    assert choice["k_evidence"] == stability.EVIDENCE_RULE
    assert (choice["rule_k"], choice["k"], choice["k_source"]) == (3, 3, "rule")


def test_the_same_words_shuffled_have_no_topic_structure(planted):
    choice = rule(null_mod.shuffled_words(planted, 99))
    assert choice["k_evidence"] == "none" and choice["beats_null"] == []
    # a descriptive map at the grid's smallest K, not the rule's
    assert (choice["k"], choice["k_source"]) == (2, "default")


def test_a_topic_from_one_document_is_flagged_text_identity():
    theta = np.array([[0.95, 0.05], [0.9, 0.1], [0.5, 0.5], [0.02, 0.98]])
    shares = final_mod.document_shares(theta, [100, 100, 10, 100], ["a", "a", "b", "b"])
    assert shares["main_document"].tolist() == ["a", "b"]
    assert shares["main_document_share"].tolist() == pytest.approx([185 / 192, 103 / 118])


def test_prevalence_is_the_final_models_mean_with_the_seeds_range_apart():
    texts, _ = group_corpus()
    groups = ["a"] * 40 + ["b"] * 40
    model, segments, posterior = prevalence_inputs(texts, groups)
    table = prevalence_by_group(segments, posterior, **bootstrap())
    for group, rows in ((g, slice(40 * i, 40 * i + 40)) for i, g in enumerate("ab")):
        shown = table[table["group"] == group].sort_values("topic")["mean"]
        assert shown.tolist() == pytest.approx(model.theta[rows].mean(axis=0).tolist(), abs=1e-6)
    assert (table["seed_low"] <= table["mean"] + 1e-12).all()
    assert (table["mean"] <= table["seed_high"] + 1e-12).all()
    assert table["seed_range"].to_numpy() == pytest.approx(table["seed_high"] - table["seed_low"])
    assert (table["seed_range"] > 0).any() and (table["n_seeds"] == 3).all()
