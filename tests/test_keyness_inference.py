"""Dispersion-aware inference on synthetic corpora with a known answer.

A term planted in one passage is significant at token level and not at segment level; a term
spread over one document of many is not significant once documents are the units; DP_norm and
Fisher's p are recomputed independently; the bootstrap interval of Log Ratio covers the true
value at its nominal rate.
"""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest, fisher_exact, mannwhitneyu

from corpusflow import keyness as k
from corpusflow.config import default_config
from tests.keyness_corpus import table_of

DEFAULTS = default_config()["keyness"]
VOCABULARY = [f"w{i:02d}" for i in range(60)]


def _side(rng, doc_prefix, n_docs, segments_per_doc, size, planted=None):
    """Occurrence rows of one side: filler words drawn alike on both sides, plus planted ones.

    ``planted``: {(doc index, segment index): {term: count}} added on top of ``size`` fillers.
    """
    weights = 1 / np.arange(1, len(VOCABULARY) + 1)
    weights /= weights.sum()
    rows = []
    for d in range(n_docs):
        doc_id = f"{doc_prefix}{d:02d}"
        for s in range(segments_per_doc):
            words = list(rng.choice(VOCABULARY, size=size, p=weights))
            for term, count in (planted or {}).get((d, s), {}).items():
                words += [term] * count
            rows += [(doc_id, f"{doc_id}:{s:03d}", term) for term in words]
    frame = pd.DataFrame(rows, columns=["doc_id", "segment_id", "term"])
    frame["start"] = np.arange(len(frame)) * 10
    frame["end"] = frame["start"] + 5
    return frame


def _table(occurrences, target_docs, reference_docs, **settings):
    return table_of(occurrences, target_docs, reference_docs, **settings).set_index("term")


@pytest.fixture(scope="module")
def one_passage():
    """One document per side, 40 segments of 200 words; "planted" fills one target segment,
    "spread" occurs once in 30 target segments."""
    rng = np.random.default_rng(7)
    planted = {(0, 5): {"planted": 30}}
    for s in range(30):
        planted.setdefault((0, s), {})["spread"] = 1
    occurrences = pd.concat(
        [_side(rng, "t", 1, 40, 200, planted), _side(rng, "r", 1, 40, 200)], ignore_index=True
    )
    return occurrences


@pytest.mark.parametrize("segment_test", ["wmw", "bootstrap"])
def test_a_term_planted_in_one_passage_is_key_by_tokens_not_by_segments(one_passage, segment_test):
    table = _table(one_passage, ["t00"], ["r00"], segment_test=segment_test)
    planted = table.loc["planted"]
    assert planted["count_target"] == 30 and planted["count_reference"] == 0
    assert planted["q"] < 1e-6  # the token-level test is fooled by clustering
    assert planted["q_segment"] > 0.05  # one segment of 40 is no evidence
    assert planted["concentrated"] and planted["zero_count"] == "reference"
    spread = table.loc["spread"]  # same side, fewer tokens, but in 30 of 40 segments
    # (The bootstrap's p cannot fall below 1 / (draws + 1): its q is only just under 0.05.)
    assert spread["q_segment"] < 0.05 and spread["p_segment"] < 0.001
    # Filler words drawn alike on both sides are rarely significant at segment level.
    fillers = table.loc[table.index.str.startswith("w")]
    assert (fillers["q_segment"] <= 0.05).mean() < 0.1


def test_segments_nested_in_documents_test_documents(one_passage):
    rng = np.random.default_rng(11)
    # 12 documents of 10 segments per side; "clique" is in every segment of two documents.
    planted = {(d, s): {"clique": 3} for d in (3, 8) for s in range(10)}
    occurrences = pd.concat(
        [_side(rng, "t", 12, 10, 100, planted), _side(rng, "r", 12, 10, 100)], ignore_index=True
    )
    target = [f"t{d:02d}" for d in range(12)]
    reference = [f"r{d:02d}" for d in range(12)]
    by_segment = _table(occurrences, target, reference, document_min=13)
    by_document = _table(occurrences, target, reference, document_min=12)
    assert by_segment.loc["clique", "p_segment"] < 1e-4  # 20 "independent" segments of 120
    assert by_document.loc["clique", "p_segment"] > 0.05  # two documents of twelve
    counts, sizes, kind = k.unit_matrix(occurrences, ["clique"], docs=target, document_min=12)
    assert kind == "document" and len(sizes) == 12 and counts.sum() == 60
    assert sizes.sum() == (occurrences["doc_id"].isin(target)).sum()
    _, sizes, kind = k.unit_matrix(occurrences, ["clique"], docs=target, document_min=13)
    assert kind == "segment" and len(sizes) == 120


def test_dp_norm_recomputed_by_hand(one_passage):
    table = _table(one_passage, ["t00"], ["r00"])
    side = one_passage[one_passage["doc_id"] == "t00"]
    sizes = side.groupby("segment_id").size()
    shares = sizes / sizes.sum()
    for term in ("planted", "spread", "w00", "w30"):
        per_segment = side[side["term"] == term].groupby("segment_id").size()
        v = per_segment.reindex(sizes.index, fill_value=0)
        dp = 0.5 * sum(abs(v[s] / v.sum() - shares[s]) for s in sizes.index)
        assert table.loc[term, "dp_target"] == pytest.approx(dp, abs=1e-12)
        assert table.loc[term, "dp_norm_target"] == pytest.approx(dp / (1 - shares.min()))
    # The most uneven case reaches 1: all occurrences in the smallest segment.
    sizes = pd.Series({"a": 10, "b": 30, "c": 60})
    counts = pd.DataFrame({"term": ["x"], "segment_id": ["a"], "count": [4]})
    assert k.dispersion(counts, sizes).loc["x", "dp_norm"] == pytest.approx(1.0)


def test_fisher_p_recomputed_with_scipy():
    a = np.array([0, 5, 3, 12, 1, 40, 7])
    b = np.array([5, 0, 9, 2, 1, 4, 30])
    n_a, n_b = 2000, 700
    ours = k.fisher_p_value(a, b, n_a, n_b)
    for i in range(len(a)):
        table = [[a[i], b[i]], [n_a - a[i], n_b - b[i]]]
        assert ours[i] == pytest.approx(fisher_exact(table).pvalue, rel=1e-9)
    expected = k.expected_counts(a, b, n_a, n_b)
    assert expected[0] == pytest.approx(5 * 700 / 2700)


def test_fisher_replaces_g2_on_sparse_tables_only(one_passage):
    # Sparse tables: "rare" 3 + 1 and "sparse" 4 + 0 expect about 2 on each side.
    extra = pd.DataFrame(
        [("t00", "t00:001", "rare")] * 3
        + [("r00", "r00:001", "rare")]
        + [("t00", "t00:002", "sparse")] * 4,
        columns=["doc_id", "segment_id", "term"],
    ).assign(start=0, end=1)
    occurrences = pd.concat([one_passage, extra], ignore_index=True)
    table = _table(occurrences, ["t00"], ["r00"], min_count=1, fisher_min_expected=5)
    n_a, n_b = table["total_target"].iloc[0], table["total_reference"].iloc[0]
    small = k.expected_counts(table["count_target"], table["count_reference"], n_a, n_b)
    assert (table["token_test"] == "fisher").tolist() == (small < 5).tolist()
    assert table.loc[["rare", "sparse"], "token_test"].tolist() == ["fisher", "fisher"]
    assert table.loc["planted", "token_test"] == "g2"  # 30 + 0 expects 15 on each side
    for term in ("rare", "sparse"):
        row = table.loc[term]
        cells = [[row.count_target, row.count_reference]]
        cells += [[n_a - row.count_target, n_b - row.count_reference]]
        assert row["p"] == pytest.approx(fisher_exact(cells).pvalue, rel=1e-9)
    never = _table(occurrences, ["t00"], ["r00"], min_count=1, fisher="never")
    assert set(never["token_test"]) == {"g2"}
    np.testing.assert_allclose(never["p"], k.g2_p_value(never["g2"]))
    every = _table(occurrences, ["t00"], ["r00"], min_count=1, fisher="all")
    assert set(every["token_test"]) == {"fisher"}


def test_bootstrap_interval_covers_the_true_log_ratio_at_its_level():
    """400 independent replicate terms, over-dispersed counts per segment (gamma-Poisson),
    true rates 0.01 and 0.005 per word: the true Log Ratio is 1."""
    rng = np.random.default_rng(3)
    replicates, n_segments = 400, 40
    sizes_a = rng.integers(150, 300, n_segments).astype(float)
    sizes_b = rng.integers(150, 300, n_segments).astype(float)
    shape = 2.0  # gamma mixing: segments differ in their rate, as passages do

    def counts(sizes, rate):
        mixing = rng.gamma(shape, 1 / shape, (n_segments, replicates))
        return rng.poisson(rate * sizes[:, None] * mixing).astype(float)

    a, b = counts(sizes_a, 0.01), counts(sizes_b, 0.005)
    drawn = k.bootstrap(a, sizes_a, b, sizes_b, draws=2000, seed=1, level=0.95)
    covered = (drawn["low"] <= 1.0) & (drawn["high"] >= 1.0)
    assert 0.90 <= covered.mean() <= 0.99, covered.mean()
    # The same draws give the same numbers: the interval is reproducible.
    again = k.bootstrap(a, sizes_a, b, sizes_b, draws=2000, seed=1, level=0.95)
    np.testing.assert_array_equal(drawn["low"], again["low"])
    # A token-level (Poisson) interval ignores the clustering and covers less often.
    pooled_a, pooled_b = a.sum(axis=0), b.sum(axis=0)
    estimate = np.log2((pooled_a / sizes_a.sum()) / (pooled_b / sizes_b.sum()))
    half = 1.96 * np.sqrt(1 / pooled_a + 1 / pooled_b) / math.log(2)
    naive = ((estimate - half) <= 1.0) & ((estimate + half) >= 1.0)
    assert naive.mean() < covered.mean() - 0.05


def test_bootstrap_p_follows_lijffijt_et_al():
    # Side A always higher: p1 = 1, p = (1 + 0) / (N + 1), the smallest possible.
    a = np.array([[5.0], [6.0], [7.0]])
    b = np.array([[0.0], [1.0], [0.0]])
    sizes = np.array([100.0, 100.0, 100.0])
    drawn = k.bootstrap(a, sizes, b, sizes, draws=999, seed=1, level=0.95)
    assert drawn["p"][0] == pytest.approx(1 / 1000)
    # Identical sides: every draw pair is exchangeable, p is large.
    same = k.bootstrap(a, sizes, a, sizes, draws=999, seed=1, level=0.95)
    assert same["p"][0] > 0.5


def _reference_bootstrap(counts_a, sizes_a, counts_b, sizes_b, *, draws, seed, level):
    """The bootstrap written the direct way: every draw's weights at once, dense matrices."""
    rng = np.random.default_rng(seed)
    weights_a = rng.multinomial(len(sizes_a), np.full(len(sizes_a), 1 / len(sizes_a)), draws)
    weights_b = rng.multinomial(len(sizes_b), np.full(len(sizes_b), 1 / len(sizes_b)), draws)
    drawn_a, drawn_b = weights_a @ counts_a, weights_b @ counts_b
    total_a, total_b = (weights_a @ sizes_a)[:, None], (weights_b @ sizes_b)[:, None]
    difference = drawn_a * total_b - drawn_b * total_a
    p1 = ((difference > 0).sum(axis=0) + 0.5 * (difference == 0).sum(axis=0)) / draws
    p = np.minimum(1.0, (1 + 2 * draws * np.minimum(p1, 1 - p1)) / (draws + 1))
    ratio = np.log2(np.maximum(drawn_a, 0.5)) - np.log2(np.maximum(drawn_b, 0.5))
    ratio += np.log2(total_b) - np.log2(total_a)
    wide = k.expanded_level(level, min(len(sizes_a), len(sizes_b)))
    low, high = np.quantile(ratio, [(1 - wide) / 2, (1 + wide) / 2], axis=0)
    return {"p": p, "low": low, "high": high}


def test_sparse_blocked_tests_equal_the_dense_direct_computation(one_passage, monkeypatch):
    """The tests run on sparse unit counts, a block of terms (WMW) or of draws (bootstrap) at
    a time, so memory follows the non-zero counts: the numbers are exactly those of the dense
    matrices in one piece."""
    terms = sorted(one_passage["term"].unique())
    settings = {"document_min": DEFAULTS["document_min"]}
    dense = [k.unit_matrix(one_passage, terms, docs=[d], **settings) for d in ("t00", "r00")]
    sparse = [k.unit_counts(one_passage, terms, docs=[d], **settings) for d in ("t00", "r00")]
    for doc_id, (matrix, sizes, kind), (counts, sparse_sizes, sparse_kind) in zip(
        ("t00", "r00"), dense, sparse, strict=True
    ):
        side = one_passage[one_passage["doc_id"] == doc_id]
        table = pd.crosstab(side["segment_id"], side["term"]).reindex(columns=terms, fill_value=0)
        assert (matrix == table.to_numpy()).all() and (counts.toarray() == matrix).all()
        assert (sizes == table.sum(axis=1).to_numpy()).all() and (sizes == sparse_sizes).all()
        assert kind == sparse_kind == "segment" and matrix.shape == (40, len(terms))
    (counts_a, sizes_a, _), (counts_b, sizes_b, _) = dense
    (sparse_a, _, _), (sparse_b, _, _) = sparse
    bootstrap = {"draws": 300, "seed": 4, "level": 0.9}
    expected = _reference_bootstrap(counts_a, sizes_a, counts_b, sizes_b, **bootstrap)
    rates_a, rates_b = counts_a / sizes_a[:, None], counts_b / sizes_b[:, None]
    direct = mannwhitneyu(rates_a, rates_b, axis=0, method="asymptotic", use_continuity=True)
    wmw = np.nan_to_num(direct.pvalue, nan=1.0)
    monkeypatch.setattr(k.inference, "TERM_BLOCK", 7)
    monkeypatch.setattr(k.inference, "DRAW_BLOCK", 32)
    for a, b in ((counts_a, counts_b), (sparse_a, sparse_b)):
        drawn = k.bootstrap(a, sizes_a, b, sizes_b, **bootstrap)
        for name in ("p", "low", "high"):
            np.testing.assert_array_equal(drawn[name], expected[name])
        np.testing.assert_array_equal(k.wmw_test(a, sizes_a, b, sizes_b), wmw)


def test_counted_occurrences_give_the_table_of_the_occurrences(one_passage):
    """keyness_table on the per-segment counts (term_counts, what the stage keeps) equals the
    table of the occurrences one row each."""
    settings = {"target_docs": ["t00"], "reference_docs": ["r00"]}
    counted = k.term_counts(one_passage)
    assert len(counted) < len(one_passage) / 3 and counted["count"].sum() == len(one_passage)
    # Sums of parts combine: counting two halves and summing gives the same counts.
    middle = len(one_passage) // 2
    halves = [k.term_counts(one_passage.iloc[:middle]), k.term_counts(one_passage.iloc[middle:])]
    pd.testing.assert_frame_equal(k.term_counts(pd.concat(halves, ignore_index=True)), counted)
    pd.testing.assert_frame_equal(
        _table(counted, **settings).reset_index(), _table(one_passage, **settings).reset_index()
    )


REFERENCE_TABLE = Path(__file__).parent / "data" / "keyness-reference.csv"


def _exact_by_binomtest(a, b, n_a, n_b, level):
    """Clopper-Pearson bounds from scipy's binomtest, mapped to log2 ratios of rates."""
    interval = binomtest(int(a), int(a + b)).proportion_ci(confidence_level=level, method="exact")
    with np.errstate(divide="ignore"):
        return tuple(
            math.log2(p / (1 - p) * n_b / n_a) if 0 < p < 1 else (-math.inf if p == 0 else math.inf)
            for p in (interval.low, interval.high)
        )


def test_exact_interval_is_clopper_pearson_on_the_reference_table():
    """keyness-reference.csv (DESIGN.md): every row's exact interval, recomputed with scipy's
    binomtest; a zero count gives an open bound, and the interval holds the Log Ratio."""
    rows = pd.read_csv(REFERENCE_TABLE) if REFERENCE_TABLE.exists() else None
    if rows is None:
        pytest.skip(f"{REFERENCE_TABLE} not present")
    low, high = k.log_ratio_exact_interval(
        rows["a"], rows["b"], rows["N_A"][0], rows["N_B"][0], level=0.95
    )
    for row, lo, hi in zip(rows.itertuples(), low, high, strict=True):
        expected = _exact_by_binomtest(row.a, row.b, row.N_A, row.N_B, 0.95)
        assert (lo, hi) == pytest.approx(expected, rel=1e-9)
        if row.a and row.b:
            assert lo < row.log_ratio < hi
    zero = rows["b"] == 0
    assert np.isinf(high[zero]).all() and np.isfinite(low[zero]).all()
    assert np.isneginf(low[rows["a"] == 0]).all()


def test_interval_covers_planted_rare_and_zero_count_terms_at_its_level():
    """Planted terms of known rate ratio in 30 + 30 segments of 200 words, over-dispersed
    (gamma-Poisson), from common to so rare that one side often counts 0: the stage's interval
    (bootstrap widened to the exact one) covers the true Log Ratio at least at its level for
    every kind, and is never narrower than the exact interval; zero counts get open bounds."""
    rng = np.random.default_rng(11)
    replicates, n_segments, level = 300, 30, 0.95
    sizes = np.full(n_segments, 200.0)
    n_total = sizes.sum()
    planted = {"common": (0.01, 0.005), "rare": (0.0008, 0.0004), "rarest": (0.0004, 0.0001)}

    def counts(rate):
        mixing = rng.gamma(2.0, 0.5, (n_segments, replicates))
        return rng.poisson(rate * sizes[:, None] * mixing).astype(float)

    for name, (rate_a, rate_b) in planted.items():
        seg_a, seg_b = counts(rate_a), counts(rate_b)
        a, b = seg_a.sum(axis=0), seg_b.sum(axis=0)
        seen = (a + b) > 0  # a term with no occurrence is never tested
        drawn = k.bootstrap(seg_a, sizes, seg_b, sizes, draws=400, seed=2, level=level)
        low, high = k.interval_at_least_exact(drawn, a, b, n_total, n_total, level=level)
        exact_low, exact_high = k.log_ratio_exact_interval(
            a[seen], b[seen], n_total, n_total, level=level
        )
        assert (low[seen] <= exact_low).all() and (high[seen] >= exact_high).all(), name
        truth = math.log2(rate_a / rate_b)
        covered = ((low <= truth) & (truth <= high))[seen]
        mc_error = math.sqrt(level * (1 - level) / seen.sum())
        # Rare terms rest on the exact interval: at least the level. A common term rests on
        # the (expanded percentile) bootstrap: the level within Monte Carlo error.
        floor = level - 2 * mc_error if name == "common" else level
        assert covered.mean() >= floor, (name, covered.mean())
        zero_b = seen & (b == 0)
        assert np.isposinf(high[zero_b]).all()
        if name == "rarest":
            assert zero_b.sum() > 20  # the zero-count case is exercised
