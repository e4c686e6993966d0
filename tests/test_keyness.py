"""Unit tests of corpusflow.keyness: measures against independent values, edge cases by hand."""

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import false_discovery_control

from corpusflow import keyness as k
from corpusflow.config import default_config
from corpusflow.errors import ConfigError
from corpusflow.io import write_csv
from corpusflow.manifest import Manifest, read_manifest
from corpusflow.terms import term_occurrences
from corpusflow.tokenise import load_pipeline, tokenise_text
from tests.defaults import BATCH_SIZE
from tests.keyness_corpus import table_of
from tests.term_rules import keyness_rules

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = pd.read_csv(ROOT / "tests" / "data" / "keyness-reference.csv")
N_A, N_B = 25_000, 10_000

DEFAULTS = default_config()["keyness"]
FILTERS = {
    key: DEFAULTS[key]
    for key in ("top_n", "top_q", "max_q", "min_log_ratio", "min_range", "exclude_concentrated")
} | {"min_robustness": 0}


def occurrences_of(tokens, **settings):
    """Plain counting (no listed or learned multiword units, no spelling folding) but for
    ``settings``."""
    return term_occurrences(tokens, keyness_rules(**settings))


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


# --- measures against keyness-reference.csv (computed independently) -------------------------


def test_log_likelihood_matches_reference():
    g2 = k.log_likelihood(REFERENCE["a"], REFERENCE["b"], N_A, N_B, yates=False)
    np.testing.assert_allclose(g2, REFERENCE["G2_signed"], rtol=1e-6, atol=1e-6)


def test_p_value_matches_reference():
    p = k.g2_p_value(REFERENCE["G2_signed"])
    np.testing.assert_allclose(p, REFERENCE["p_G2"], rtol=1e-5)


def test_log_ratio_matches_reference():
    lr = k.log_ratio(REFERENCE["a"], REFERENCE["b"], N_A, N_B)
    np.testing.assert_allclose(lr, REFERENCE["log_ratio"], rtol=1e-6, atol=1e-6)


def test_weighted_log_odds_matches_reference():
    z = k.weighted_log_odds_z(REFERENCE["a"], REFERENCE["b"], N_A, N_B, alpha_0=1000)
    np.testing.assert_allclose(z, REFERENCE["mcq_z_alpha0_1000"], rtol=1e-6, atol=1e-6)


def test_alpha_0_changes_z():
    a, b = np.array([38]), np.array([0])
    weak = k.weighted_log_odds_z(a, b, N_A, N_B, alpha_0=10)
    strong = k.weighted_log_odds_z(a, b, N_A, N_B, alpha_0=1000)
    assert abs(weak[0] - strong[0]) > 1  # the prior matters: record alpha_0


# --- edge cases computed by hand --------------------------------------------------------------


def test_zero_count_in_target():
    # 2x2 table: a=0, b=10, N_A=N_B=100; expected 5, 5, 95, 95.
    hand = 2 * (10 * math.log(10 / 5) + 100 * math.log(100 / 95) + 90 * math.log(90 / 95))
    assert k.log_likelihood([0], [10], 100, 100, yates=False)[0] == pytest.approx(-hand)
    assert k.log_ratio([0], [10], 100, 100)[0] == pytest.approx(math.log2(0.5 / 10))
    alpha_w = 100 * 10 / 200
    delta = math.log(alpha_w / (200 - alpha_w)) - math.log((10 + alpha_w) / (200 - 10 - alpha_w))
    z = delta / math.sqrt(1 / alpha_w + 1 / (10 + alpha_w))
    assert k.weighted_log_odds_z([0], [10], 100, 100, alpha_0=100)[0] == pytest.approx(z)


def test_zero_count_in_reference_mirrors_target():
    assert k.log_likelihood([10], [0], 100, 100, yates=False)[0] == pytest.approx(
        -k.log_likelihood([0], [10], 100, 100, yates=False)[0]
    )
    assert k.log_ratio([10], [0], 100, 100)[0] == pytest.approx(math.log2(10 / 0.5))
    assert k.weighted_log_odds_z([10], [0], 100, 100, alpha_0=100)[0] == pytest.approx(
        -k.weighted_log_odds_z([0], [10], 100, 100, alpha_0=100)[0]
    )


def test_equal_rates_score_exactly_zero():
    # 20 / 200 == 60 / 600
    assert k.direction([20], [60], 200, 600)[0] == 0
    assert k.log_likelihood([20], [60], 200, 600, yates=False)[0] == 0
    assert k.g2_p_value([0.0])[0] == 1
    assert k.log_ratio([20], [60], 200, 600)[0] == 0
    assert k.weighted_log_odds_z([20], [60], 200, 600, alpha_0=50)[0] == pytest.approx(0, abs=1e-12)
    assert k.direction([21, 20], [60, 61], 200, 600).tolist() == [1, -1]


def test_yates_moves_cells_half_a_count_towards_expected():
    corrected = [9.5, 0.5, 90.5, 99.5]
    expected = [5, 5, 95, 95]
    hand = 2 * sum(o * math.log(o / e) for o, e in zip(corrected, expected, strict=True))
    assert k.log_likelihood([10], [0], 100, 100, yates=True)[0] == pytest.approx(hand)
    # A cell within 0.5 of its expected value is set to it, not pushed past it.
    assert k.log_likelihood([1], [1], 100, 101, yates=True)[0] == 0


def test_p_value_at_the_chi2_critical_value():
    assert k.g2_p_value([3.841458820694124, -3.841458820694124]) == pytest.approx([0.05, 0.05])


def test_benjamini_hochberg_by_hand_and_against_scipy():
    p = np.array([0.01, 0.04, 0.03, 0.20])
    np.testing.assert_allclose(k.benjamini_hochberg(p), [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.2])
    rng = np.random.default_rng(0)
    p = rng.uniform(size=500) ** 3
    np.testing.assert_allclose(k.benjamini_hochberg(p), false_discovery_control(p))


def test_measures_reject_impossible_counts():
    with pytest.raises(ValueError, match="totals"):
        k.log_likelihood([1], [1], 0, 10, yates=False)
    with pytest.raises(ValueError, match="between 0"):
        k.log_ratio([11], [1], 10, 10)
    with pytest.raises(ValueError, match="at least one side"):
        k.weighted_log_odds_z([0], [0], 10, 10, alpha_0=1)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        k.benjamini_hochberg([0.5, np.nan])


def test_dispersion_by_hand():
    sizes = pd.Series({"s1": 50, "s2": 30, "s3": 20})
    counts = pd.DataFrame(
        {
            "term": ["even", "even", "even", "one", "two", "two"],
            "segment_id": ["s1", "s2", "s3", "s3", "s1", "s2"],
            "count": [5, 3, 2, 4, 1, 1],
        }
    )
    result = k.dispersion(counts, sizes)
    assert result.loc["even", "dp"] == pytest.approx(0)
    assert result.loc["one", "dp"] == pytest.approx(1 - 0.2)  # present in one segment only
    assert result.loc["two", "dp"] == pytest.approx(0.5 * (0 + 0.2 + 0.2))
    assert result["range"].to_dict() == {"even": 3, "one": 1, "two": 2}
    assert result.loc["one", "top_segment_share"] == 1
    assert result.loc["even", "top_segment_share"] == 0.5


def test_dispersion_needs_every_segment_size():
    counts = pd.DataFrame({"term": ["x"], "segment_id": ["s9"], "count": [1]})
    with pytest.raises(ValueError, match="s9"):
        k.dispersion(counts, pd.Series({"s1": 10}))


# --- counting ---------------------------------------------------------------------------------

TEXT = (
    "The Workers' Opposition met the trade-unions.\n"
    "Trade unions, workers and the opposition; trade unions again.\n"
)


def test_listed_phrases_join_across_apostrophes_and_hyphens(nlp):
    tokens = tokenise_text(TEXT, "d", nlp, batch_size=BATCH_SIZE)
    occurrences = occurrences_of(tokens, phrases=["trade unions", "Workers’ Opposition"])
    counts = occurrences["term"].value_counts().to_dict()
    assert counts == {
        "trade unions": 3,
        "workers’ opposition": 1,
        "met": 1,
        "workers": 1,
        "opposition": 1,
    }
    # "unions, workers" is not one unit: the comma breaks a run.
    first = occurrences[occurrences["term"] == "workers’ opposition"].iloc[0]
    assert TEXT[first["start"] : first["end"]] == "Workers' Opposition"
    hyphenated = occurrences[occurrences["term"] == "trade unions"].iloc[0]
    assert TEXT[hyphenated["start"] : hyphenated["end"]] == "trade-unions"


def test_stopwords_and_units(nlp):
    tokens = tokenise_text(
        "The masses were working. The mass works.", "d", nlp, batch_size=BATCH_SIZE
    )
    kept = occurrences_of(tokens, drop_stopwords=False)
    assert "the" in set(kept["term"]) and "were" in set(kept["term"])
    dropped = occurrences_of(tokens)
    assert not {"the", "were"} & set(dropped["term"])
    assert "." not in set(kept["term"])  # only alphabetic tokens count
    lemmas = occurrences_of(tokens, unit="lemma")
    assert (
        lemmas["term"].tolist()
        == tokens.loc[tokens["is_alpha"] & ~tokens["is_stop"], "lemma"].tolist()
    )
    with pytest.raises(ValueError, match="unit"):
        occurrences_of(tokens, unit="stem")


def test_phrase_path_without_matches_equals_plain_counting(nlp):
    text = (ROOT / "corpus" / "olivier-commentary.txt").read_text(encoding="utf-8")
    tokens = tokenise_text(text, "olivier", nlp, batch_size=BATCH_SIZE)
    plain = occurrences_of(tokens)
    via_phrases = occurrences_of(tokens, phrases=["zzz qqq"])
    pd.testing.assert_frame_equal(plain, via_phrases, check_dtype=False)


def test_learned_phrases_allow_stopwords_inside_only(nlp):
    sentence = "The dictatorship of the proletariat and the red army won {}."
    others = ["today", "again", "slowly", "there", "twice", "later"]
    text = "\n".join(sentence.format(word) for word in others) + "\n"
    tokens = tokenise_text(text, "d", nlp, batch_size=BATCH_SIZE)
    occurrences = occurrences_of(tokens, learn_phrases=True, phrase_min_count=5)
    counts = occurrences["term"].value_counts().to_dict()
    assert counts["dictatorship of the proletariat"] == 6
    assert counts["red army"] == 6
    assert "dictatorship" not in counts and "the red army" not in counts
    row = occurrences[occurrences["term"] == "dictatorship of the proletariat"].iloc[0]
    assert text[row["start"] : row["end"]] == "dictatorship of the proletariat"
    rare = occurrences_of(tokens, learn_phrases=True, phrase_min_count=7)
    assert "red army" not in set(rare["term"])


# --- tables -----------------------------------------------------------------------------------


def _occurrences(rows):
    """rows: (doc_id, segment_id, term, count) -> one occurrence row per count."""
    records, position = [], 0
    for doc_id, segment_id, term, count in rows:
        for _ in range(count):
            records.append((doc_id, segment_id, position, position + len(term), term))
            position += len(term) + 1
    return pd.DataFrame(records, columns=["doc_id", "segment_id", "start", "end", "term"])


TOY = [
    ("t1", "t1:0", "alpha", 4),
    ("t1", "t1:1", "alpha", 4),
    ("t1", "t1:2", "alpha", 4),
    ("t1", "t1:0", "even", 6),
    ("t1", "t1:1", "filler", 30),
    ("t1", "t1:0", "lonely", 12),
    ("r1", "r1:0", "beta", 4),
    ("r1", "r1:1", "beta", 3),
    ("r1", "r1:2", "beta", 3),
    ("r1", "r1:0", "even", 2),
    ("r1", "r1:1", "alpha", 1),
    ("r1", "r1:1", "rare", 1),
    ("r1", "r1:0", "filler", 6),
]


def _table(**kwargs):
    return table_of(_occurrences(TOY), ["t1"], ["r1"], **kwargs)


def test_keyness_table_columns_counts_and_totals():
    table = _table(min_count=2).set_index("term")
    assert list(_table(min_count=2).columns) == k.MEASURE_COLUMNS
    assert "rare" not in table.index  # below min_count, but counted in the totals
    assert set(table["total_target"]) == {60} and set(table["total_reference"]) == {20}
    assert table.loc["alpha", ["count_target", "count_reference"]].tolist() == [12, 1]
    assert table.loc["alpha", "per10k_target"] == pytest.approx(12 / 60 * 10_000)
    assert table.loc["even", "side"] == "neither"  # 6/60 == 2/20
    assert table.loc["even", "g2"] == 0
    expected = k.log_likelihood([12], [1], 60, 20, yates=False)[0]
    assert table.loc["alpha", "g2"] == pytest.approx(expected)
    assert table.loc["beta", "side"] == "reference" and table.loc["beta", "g2"] < 0
    assert table.loc["beta", "range_reference"] == 3 and table.loc["beta", "range_target"] == 0
    assert np.isnan(table.loc["beta", "dp_target"])  # the target never uses it
    # q and q_segment: the Benjamini-Hochberg adjustment of the table's own p values.
    np.testing.assert_allclose(table["q"], k.benjamini_hochberg(table["p"]))
    np.testing.assert_allclose(table["q_segment"], k.benjamini_hochberg(table["p_segment"]))


def test_keyness_table_is_symmetric():
    forward = _table().set_index("term")
    backward = table_of(_occurrences(TOY), ["r1"], ["t1"]).set_index("term")
    backward = backward.loc[forward.index]
    for column in ("g2", "log_ratio", "z"):
        np.testing.assert_allclose(forward[column], -backward[column], atol=1e-12)
    np.testing.assert_allclose(forward["q"], backward["q"])
    assert (forward["range_target"] == backward["range_reference"]).all()
    swapped = {"target": "reference", "reference": "target", "neither": "neither"}
    assert (forward["side"].map(swapped) == backward["side"]).all()


def test_keyness_table_order_and_concentration():
    table = _table()
    sides = table["side"].tolist()
    assert sides == sorted(sides, key=k.SIDES.index)
    target = table[table["side"] == "target"]
    assert target["g2"].is_monotonic_decreasing
    assert target["rank"].tolist() == list(range(1, len(target) + 1))
    row = table.set_index("term").loc["lonely"]
    assert row["top_segment_share"] == 1 and row["concentrated"]  # one passage only
    assert not table.set_index("term").loc["alpha", "concentrated"]  # 4 + 4 + 4
    by_z = _table(rank_by="z")
    reference = by_z[by_z["side"] == "reference"]
    assert reference["z"].abs().is_monotonic_decreasing
    pd.testing.assert_frame_equal(_table(), _table())


def test_keyness_table_side_without_tokens_is_a_config_error():
    occurrences = _occurrences(TOY)
    with pytest.raises(ConfigError, match="reference side \\(r9\\)"):
        table_of(occurrences, ["t1"], ["r9"])


def _top(table, **settings):
    return k.top_keywords(table, **{**FILTERS, "top_q": "token", **settings})


def test_top_keywords_filters():
    table = _table(min_count=2)
    top = _top(table, max_q=1, min_log_ratio=0, min_range=1)
    assert "lonely" not in set(top["term"])  # concentrated in one segment
    assert "even" not in set(top["term"])  # equal rates never pass
    loose = _top(table, max_q=1, min_log_ratio=0, min_range=1, exclude_concentrated=False)
    assert "lonely" in set(loose["term"])
    assert set(_top(table, max_q=1, min_log_ratio=0, min_range=2)["term"]) <= {
        "alpha",
        "beta",
        "filler",
    }
    assert _top(table, max_q=1e-12).empty
    assert len(_top(table, top_n=1, max_q=1, min_log_ratio=0, min_range=1)) == 2
    strong = _top(table, max_q=1, min_log_ratio=2, min_range=1)
    assert (strong["log_ratio"].abs() >= 2).all()


def test_kwic_lines_slice_the_text():
    text = "Alpha beta\n\ngamma alpha, delta alpha."
    occurrences = pd.DataFrame(
        {
            "doc_id": ["d"] * 3,
            "segment_id": ["d:000", "d:001", "d:001"],
            "start": [0, 18, 31],
            "end": [5, 23, 36],
            "term": ["alpha"] * 3,
        }
    )
    keywords = pd.DataFrame({"term": ["alpha"], "side": ["target"], "rank": [1]})
    lines = k.kwic(occurrences, keywords, {"d": text}, context_chars=8, max_lines_per_term=0)
    assert list(lines.columns) == k.KWIC_COLUMNS
    assert lines["keyword"].tolist() == ["Alpha", "alpha", "alpha"]
    assert lines.loc[1, "left"] == " gamma "  # paragraph break shown as one space
    assert lines.loc[1, "right"] == ", delta "
    assert lines.loc[0, "left"] == ""
    sample = k.kwic(occurrences, keywords, {"d": text}, context_chars=8, max_lines_per_term=2)
    assert sample["start"].tolist() == [0, 31]  # first and last: evenly spaced


def test_read_keyness_table_keeps_words_that_look_like_missing_values(tmp_path):
    table = _table().head(2).assign(term=["nan", "null"])
    write_csv(table, tmp_path / "k.csv")
    back = k.read_keyness_table(tmp_path / "k.csv")
    assert back["term"].tolist() == ["nan", "null"]
    assert back["dp_target"].dtype == float


# --- config -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def manifest():
    return read_manifest(ROOT / "config" / "corpus.tsv")


def _config(**keyness):
    section = {"target": "kollontai", "reference": "commentary", "phrases": []}
    section.update(keyness)
    return {"keyness": section}


def test_default_sides(manifest):
    k.check_keyness_config(_config(), manifest)
    assert k.side_documents(manifest, "kollontai", "commentary") == (
        ["kollontai-ocr"],
        ["olivier-commentary"],
    )
    assert k.side_documents(manifest, "commentary", "rest") == (
        ["olivier-commentary"],
        ["kollontai-ocr"],
    )


@pytest.mark.parametrize(
    ("keyness", "message"),
    [
        ({"target": "kolontai"}, "keyness.target: group 'kolontai' is not in the manifest"),
        ({"reference": "kollontai"}, "both 'kollontai'"),
        ({"target": "rest", "reference": "kollontai"}, "can only be the reference"),
        ({"phrases": ["unions"]}, "not a multiword unit"),
    ],
)
def test_bad_config_is_a_clear_error(manifest, keyness, message):
    with pytest.raises(ConfigError, match=message):
        k.check_keyness_config(_config(**keyness), manifest)


def test_group_with_witnesses_only_or_nothing_left_for_rest(manifest):
    witnesses_only = Manifest(
        {**row, "group": "editions" if row["role"] == "witness" else row["group"]}
        for row in manifest
    )
    with pytest.raises(ConfigError, match="no document with role 'analysis'"):
        k.check_keyness_config(_config(reference="editions"), witnesses_only)
    one_group = Manifest({**row, "group": "kollontai"} for row in manifest)
    with pytest.raises(ConfigError, match="leaves no analysed document"):
        k.check_keyness_config(_config(reference="rest"), one_group)


def test_longer_listed_phrases_win(nlp):
    text = "The trade unions congress met; trade unions agreed.\n"
    tokens = tokenise_text(text, "d", nlp, batch_size=BATCH_SIZE)
    occurrences = occurrences_of(tokens, phrases=["trade unions", "trade unions congress"])
    assert occurrences["term"].tolist() == [
        "trade unions congress",
        "met",
        "trade unions",
        "agreed",
    ]
    assert occurrences["start"].is_monotonic_increasing


def test_a_forked_worker_returns_its_value_and_raises_its_coded_error():
    """The keyness stage's worker (forked.Forked) hands back the child's value, re-raises a
    coded error the child raised with its class, code and message, and says when the child
    died without a result."""
    from corpusflow.keyness.forked import Forked as _Forked

    parent = os.getpid()
    worker = _Forked(lambda: (os.getpid(), pd.DataFrame({"a": [1, 2]})))
    child, frame = worker.result()
    worker.stop()
    assert child != parent
    assert frame["a"].tolist() == [1, 2]

    def fails():
        raise ConfigError("CF503", "keyness.reference: no counted tokens", key="keyness")

    worker = _Forked(fails)
    with pytest.raises(ConfigError, match="^CF503: keyness.reference: no counted tokens") as info:
        worker.result()
    worker.stop()
    assert (info.value.code, info.value.key) == ("CF503", "keyness")

    worker = _Forked(lambda: os._exit(3))
    with pytest.raises(RuntimeError, match="without a result \\(exit code 3\\)"):
        worker.result()
    worker.stop()
