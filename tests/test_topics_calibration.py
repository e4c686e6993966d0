"""Calibration of the K rule (issue #22 item 2, topics): how often it claims structure on
shuffled-words corpora built from the texts, written as a calibration row."""

from __future__ import annotations

import dataclasses

import pytest

from corpusflow.calibration import COLUMNS
from corpusflow.config import default_config
from corpusflow.settings import from_mapping
from corpusflow.topics import calibration
from corpusflow.topics.settings import TopicsSettings
from tests.test_topics import FAST, planted_corpus


@pytest.fixture(scope="module")
def settings():
    topics = default_config()["topics"]
    small = {
        **topics,
        "k_min": 2,
        "k_max": 4,
        "no_below": 2,
        "no_above": 0.9,
        **FAST,
        "perturbation": {
            **topics["perturbation"],
            "replicates": 4,
            "max_replicates": 4,
            "min_heldout_words": 100,
        },
        "null": {**topics["null"], "seeds": 2, "replicates": 4},
        "calibration": {**topics["calibration"], "replicates": 3},
    }
    return from_mapping(TopicsSettings, small)


def test_the_rule_finds_planted_topics_and_its_calibration_claims_none(settings):
    texts = planted_corpus(k_true=3, n_docs=50, length=80, seed=11)
    assert calibration.rule_on(texts, settings, [1, 2])["k_evidence"] != "none"
    row = calibration.calibrate(texts, settings, [1, 2])
    assert list(row) == COLUMNS
    assert row["stage"] == "topics" and row["replicates"] == 3
    assert row["false_positive_rate"] == 0.0 and row["mc_error"] == 0.0 and row["holds"]
    assert row["nominal_level"] == settings.null.level


def test_holds_compares_the_rate_with_the_level_and_its_monte_carlo_error(settings, monkeypatch):
    claims = iter([True, False, False, False])
    monkeypatch.setattr(
        calibration, "rule_on", lambda *a: {"k_evidence": "x" if next(claims) else "none"}
    )
    four = dataclasses.replace(
        settings,
        calibration=dataclasses.replace(settings.calibration, replicates=4),
        null=dataclasses.replace(settings.null, level=0.05),
    )
    row = calibration.calibrate([["a", "b"]] * 4, four, [1, 2])
    assert row["false_positive_rate"] == 0.25
    assert row["mc_error"] == pytest.approx((0.25 * 0.75 / 4) ** 0.5)
    assert row["holds"]  # 0.25 is within two Monte Carlo errors (0.43) of 0.05
    monkeypatch.setattr(calibration, "rule_on", lambda *a: {"k_evidence": "x"})
    row = calibration.calibrate([["a", "b"]] * 4, four, [1, 2])
    assert (row["false_positive_rate"], row["mc_error"], row["holds"]) == (1.0, 0.0, False)


def test_no_replicates_says_the_rule_was_not_calibrated(settings):
    off = dataclasses.replace(
        settings, calibration=dataclasses.replace(settings.calibration, replicates=0)
    )
    row = calibration.calibrate([["a", "b"], ["b", "c"]], off, [1, 2])
    assert row["replicates"] == 0 and not row["holds"]
    assert "not run" in row["procedure"]
