"""Unit tests of corpusflow.topics on small hand-made and planted corpora."""

from __future__ import annotations

import math
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from corpusflow import topics
from corpusflow.errors import ConfigError, InputError
from corpusflow.plotting import save_figure

FAST = {"passes": 20, "iterations": 50}


def planted_corpus(k_true=4, n_docs=80, length=120, words_per_topic=30, seed=0):
    """Documents drawn from ``k_true`` topics with disjoint vocabularies (``t{topic}w{i}``)."""
    rng = np.random.default_rng(seed)
    vocab = [[f"t{t}w{i:02d}" for i in range(words_per_topic)] for t in range(k_true)]
    phi = [rng.dirichlet(np.full(words_per_topic, 0.5)) for _ in range(k_true)]
    texts = []
    for _ in range(n_docs):
        theta = rng.dirichlet(np.full(k_true, 0.2))
        z = rng.choice(k_true, size=length, p=theta)
        texts.append([vocab[t][rng.choice(words_per_topic, p=phi[t])] for t in z])
    return texts


@pytest.fixture(scope="module")
def planted():
    return planted_corpus()


@pytest.fixture(scope="module")
def planted_sweep(planted):
    """Runs at K = 2..6 with 3 seeds on the planted corpus (true K = 4)."""
    held = topics.heldout_mask(range(len(planted)), 5)
    return [
        topics.evaluate_run(planted, held, k, seed, **FAST)
        for k in range(2, 7)
        for seed in (1, 2, 3)
    ]


def purity(topic_terms):
    """Share of a topic's terms coming from its most common planted topic."""
    prefixes = pd.Series([t.split("w")[0] for t in topic_terms])
    return prefixes.value_counts().iloc[0] / len(topic_terms)


# --------------------------------------------------------------------------- config


def test_resolve_seeds_from_a_count_or_a_list():
    assert topics.resolve_seeds(3, base_seed=10) == [10, 11, 12]
    assert topics.resolve_seeds([7, 3]) == [7, 3]
    with pytest.raises(ConfigError):
        topics.resolve_seeds(True)


def config(**changes):
    base = {"k_min": 3, "k_max": 15, "k": 6, "seeds": 5, "base_seed": 1, "heldout_every": 5}
    return {"topics": {**base, **changes}}


def test_check_topics_config_accepts_the_defaults():
    topics.check_topics_config(config())
    topics.check_topics_config(config(), n_segments=98)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"k_min": 8, "k_max": 5}, "range is empty"),
        ({"seeds": 0}, "zero seeds"),
        ({"seeds": []}, "zero seeds"),
        ({"seeds": [1, 1]}, "repeats a seed"),
        ({"k_min": 1}, "at least 2 topics"),
        ({"k": 1}, "at least 2 topics"),
        ({"unit": "stem"}, "topics.unit"),
    ],
)
def test_check_topics_config_rejects_bad_values(changes, message):
    with pytest.raises(ConfigError, match=message):
        topics.check_topics_config(config(**changes))


def test_check_k_fits_counts_training_segments_only():
    topics.check_k_fits(15, 20, heldout_every=5)  # 16 training segments
    with pytest.raises(ConfigError, match="16 for training"):
        topics.check_k_fits(16, 20, heldout_every=5)
    topics.check_k_fits(19, 20, heldout_every=0)


def test_check_topics_config_rejects_k_larger_than_the_segments_allow():
    with pytest.raises(ConfigError, match="K = 15 needs more than 15 training segments"):
        topics.check_topics_config(config(), n_segments=18)
    with pytest.raises(ConfigError, match="K = 40"):
        topics.check_topics_config(config(k=40), n_segments=45)


# --------------------------------------------------------------------------- documents


def toy_tables():
    """Two segments of one document; sentence 2 is in segment 1."""
    rows = [
        # text, lemma, is_alpha, is_stop, sentence
        ("Unions", "union", True, False, 0),
        ("the", "the", True, True, 0),
        ("trade", "trade", True, False, 0),
        ("unions", "union", True, False, 0),
        (".", ".", False, False, 0),
        ("A", "a", True, True, 1),
        ("x", "x", True, False, 1),
        ("workers", "worker", True, False, 2),
        ("strike", "strike", True, False, 2),
    ]
    tokens = pd.DataFrame(rows, columns=["text", "lemma", "is_alpha", "is_stop", "sentence"])
    tokens["lower"] = tokens["text"].str.lower()
    tokens["doc_id"] = "d"
    tokens["index"] = range(len(tokens))
    tokens["start"] = [i * 10 for i in range(len(tokens))]
    tokens["end"] = tokens["start"] + tokens["text"].str.len()
    tokens["paragraph"] = 0
    segments = pd.DataFrame(
        {
            "doc_id": ["d", "d", "d"],
            "segment_id": ["d:000", "d:001", "d:002"],
            "order": [0, 1, 2],
            "start": [0, 70, 200],
            "end": [70, 90, 210],
            "n_tokens": [5, 2, 0],
        }
    )
    return tokens, segments


def test_segment_documents_drops_stopwords_and_short_terms():
    tokens, segments = toy_tables()
    docs = topics.segment_documents(tokens, segments)
    assert docs["segment_id"].tolist() == ["d:000", "d:001", "d:002"]
    assert docs["terms"].tolist() == [["union", "trade", "union"], ["worker", "strike"], []]


def test_segment_documents_units_and_options():
    tokens, segments = toy_tables()
    lower = topics.segment_documents(tokens, segments, unit="lower", drop_stopwords=False)
    assert lower["terms"][0] == ["unions", "the", "trade", "unions"]
    extra = topics.segment_documents(tokens, segments, extra_stopwords=["Strike"], min_length=1)
    assert extra["terms"].tolist()[:2] == [["union", "trade", "union", "x"], ["worker"]]
    with pytest.raises(ConfigError):
        topics.segment_documents(tokens, segments, unit="stem")


def test_segment_documents_joins_learned_phrases():
    rows = []
    for s in range(12):
        words = ["trade", "union", "congress"] if s % 2 else ["trade", "union", "soviet"]
        for w in words:
            rows.append((w, s))
    tokens = pd.DataFrame(rows, columns=["text", "sentence"])
    tokens = tokens.assign(
        lemma=tokens["text"], lower=tokens["text"], is_alpha=True, is_stop=False, doc_id="d"
    )
    tokens["index"] = range(len(tokens))
    tokens["start"] = tokens["index"] * 10
    segments = pd.DataFrame(
        {"doc_id": ["d"], "segment_id": ["d:000"], "order": [0], "start": [0], "end": [10**6]}
    )
    docs = topics.segment_documents(tokens, segments, phrases=True, phrase_min_count=5)
    assert docs["terms"][0][:2] == ["trade_union", "soviet"]
    assert "union" not in docs["terms"][0]


def test_filter_vocabulary_applies_document_frequency_limits():
    texts = [["a", "b", "c"], ["a", "b"], ["a", "d"], ["a", "b", "d"]]
    assert topics.filter_vocabulary(texts, no_below=2, no_above=0.8) == [
        ["b"],
        ["b"],
        ["d"],
        ["b", "d"],
    ]


def test_heldout_mask_spreads_held_out_segments_along_each_text():
    mask = topics.heldout_mask([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4], every=5)
    assert np.flatnonzero(mask).tolist() == [4, 9, 14]
    assert not topics.heldout_mask([0, 1, 2], every=0).any()


# --------------------------------------------------------------------------- one model


def test_fit_lda_is_reproducible_and_recovers_planted_topics(planted):
    a = topics.fit_lda(planted, 4, seed=3, **FAST)
    b = topics.fit_lda(planted, 4, seed=3, **FAST)
    assert np.array_equal(a.get_topics(), b.get_topics())
    assert a.chunksize == len(planted)
    assert all(purity(t) == 1.0 for t in topics.top_terms(a, 10))


def test_top_terms_gives_topn_terms_per_topic(planted):
    model = topics.fit_lda(planted, 3, seed=1, **FAST)
    terms = topics.top_terms(model, topn=7)
    assert len(terms) == 3
    assert all(len(t) == 7 and len(set(t)) == 7 for t in terms)


def test_npmi_coherence_rewards_words_that_occur_together():
    from gensim.corpora import Dictionary

    texts = [["a", "b", "x"], ["a", "b", "y"], ["c", "x", "z"], ["d", "y", "z"]] * 5
    scores = topics.npmi_coherence([["a", "b"], ["c", "d"]], texts, Dictionary(texts))
    assert scores[0] > 0.9
    assert scores[1] < 0


def test_document_topics_rows_are_proportions(planted):
    model = topics.fit_lda(planted, 4, seed=1, **FAST)
    theta = topics.document_topics(model, [model.id2word.doc2bow(t) for t in planted[:5]])
    assert theta.shape == (5, 4)
    assert np.allclose(theta.sum(axis=1), 1.0)
    assert topics.document_topics(model, []).shape == (0, 4)


def test_completion_loglik_beats_a_uniform_guess_and_handles_empty_input(planted):
    model = topics.fit_lda(planted[:60], 4, seed=1, **FAST)
    score = topics.completion_loglik(model, planted[60:])
    uniform = math.log(1 / len(model.id2word))
    assert uniform + 0.5 < score < 0
    assert math.isnan(topics.completion_loglik(model, [["t0w00"], ["unknown", "words"]]))


def test_evaluate_run_reports_the_measures(planted):
    run = topics.evaluate_run(planted, topics.heldout_mask(range(80), 5), 4, 2, top_n=8, **FAST)
    assert (run["k"], run["seed"]) == (4, 2)
    assert len(run["topics"]) == 4 and all(len(t) == 8 for t in run["topics"])
    assert 0 < run["coherence_npmi"] <= 1
    assert run["completion_loglik"] < 0
    no_heldout = topics.evaluate_run(planted, [False] * 80, 3, 1, **FAST)
    assert math.isnan(no_heldout["completion_loglik"])


def test_write_run_and_read_runs_round_trip(tmp_path):
    runs = [
        {
            "k": 3,
            "seed": 2,
            "coherence_npmi": 0.1,
            "completion_loglik": math.nan,
            "topics": [["a"]],
        },
        {"k": 3, "seed": 1, "coherence_npmi": 0.2, "completion_loglik": -5.5, "topics": [["b"]]},
    ]
    for run in runs:
        topics.write_run(run, tmp_path / f"run{run['seed']}.json")
    assert "null" in (tmp_path / "run2.json").read_text()
    back = topics.read_runs([tmp_path / "run2.json", tmp_path / "run1.json"])
    assert [r["seed"] for r in back] == [1, 2]
    assert math.isnan(back[1]["completion_loglik"])
    assert back[0]["topics"] == [["b"]]


# --------------------------------------------------------------------------- across seeds


def test_jaccard_of_term_sets():
    sim = topics.jaccard([["a", "b"], ["c"]], [["b", "c"], ["a", "b"], []])
    assert np.allclose(sim, [[1 / 3, 1.0, 0.0], [0.5, 0.0, 0.0]])


def test_match_topics_finds_the_one_to_one_matching():
    a = [["a", "b"], ["c", "d"], ["e", "f"]]
    b = [["e", "f"], ["a", "b", "x"], ["c", "d"]]
    partner, sim = topics.match_topics(a, b)
    assert partner.tolist() == [1, 2, 0]
    assert np.allclose(sim, [2 / 3, 1.0, 1.0])
    partner, sim = topics.match_topics(a, b[:2])
    assert partner.tolist() == [1, -1, 0] and sim[1] == 0.0


def run(k, seed, topic_sets, coherence=0.0, completion=-6.0):
    return {
        "k": k,
        "seed": seed,
        "coherence_npmi": coherence,
        "completion_loglik": completion,
        "topics": topic_sets,
    }


def test_stability_table_is_mean_matched_jaccard_against_other_seeds():
    runs = [
        run(2, 1, [["a", "b"], ["c", "d"]]),
        run(2, 2, [["c", "d"], ["a", "b"]]),
        run(2, 3, [["a", "x"], ["c", "d"]]),
        run(3, 1, [["a"], ["b"], ["c"]]),
    ]
    table = topics.stability_table(runs)
    got = dict(zip(zip(table["k"], table["seed"], strict=True), table["stability"], strict=True))
    assert got[(2, 1)] == pytest.approx((1.0 + (1 / 3 + 1) / 2) / 2)
    assert got[(2, 3)] == pytest.approx((1 / 3 + 1) / 2)
    assert math.isnan(got[(3, 1)])


def test_model_selection_table_has_one_row_per_run():
    runs = [run(2, s, [["a", "b"], ["c", "d"]], coherence=0.1 * s) for s in (2, 1)]
    table = topics.model_selection_table(runs)
    assert table.columns.tolist() == [
        "k",
        "seed",
        "coherence_npmi",
        "completion_loglik",
        "stability",
    ]
    assert table["seed"].tolist() == [1, 2]
    assert table["stability"].tolist() == [1.0, 1.0]


def test_medoid_seed_is_the_seed_closest_to_the_others():
    runs = [
        run(2, 1, [["x", "y"], ["z", "w"]]),
        run(2, 2, [["a", "b"], ["c", "d"]]),
        run(2, 3, [["a", "b"], ["c", "e"]]),
        run(2, 4, [["a", "f"], ["c", "d"]]),
    ]
    assert topics.medoid_seed(runs, 2) == 2
    tie = [run(2, 5, [["a"], ["b"]]), run(2, 4, [["a"], ["b"]])]
    assert topics.medoid_seed(tie, 2) == 4
    with pytest.raises(InputError, match="K = 7"):
        topics.medoid_seed(runs, 7)


def test_recurrence_counts_seeds_where_the_topic_reappears():
    final = [["a", "b", "c"], ["x", "y", "z"]]
    others = [[["a", "b", "c"], ["x", "q", "r"]], [["a", "b", "d"], ["x", "y", "z"]]]
    assert topics.recurrence(final, others, threshold=0.5).tolist() == [1.0, 0.5]
    assert topics.recurrence(final, others, threshold=0.9).tolist() == [0.5, 0.5]
    assert np.isnan(topics.recurrence(final, [])).all()


def test_stability_finds_the_planted_number_of_topics(planted_sweep):
    table = topics.model_selection_table(planted_sweep)
    by_k = table.groupby("k")["stability"].mean()
    assert by_k.idxmax() == 4
    assert by_k[4] > 0.9


def test_fit_final_refits_the_medoid_and_finds_the_planted_topics(planted, planted_sweep):
    final = topics.fit_final(planted, planted_sweep, 4, **FAST)
    assert final.seed in (1, 2, 3)
    assert sorted(final.order.tolist()) == [0, 1, 2, 3]
    assert final.theta.shape == (80, 4)
    assert all(purity(t) >= 0.9 for t in final.topics)
    assert len({t[0].split("w")[0] for t in final.topics}) == 4  # each planted topic once
    assert (final.recurrence == 1.0).all()
    with pytest.raises(InputError, match="differs from its sweep run"):
        topics.fit_final(planted[:70], planted_sweep, 4, **FAST)


# --------------------------------------------------------------------------- labels


def test_read_topic_labels_validates_the_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        topics.read_topic_labels(tmp_path / "missing.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_text("words\tlabel\nunion\tUnions\n")
    with pytest.raises(InputError, match="missing column"):
        topics.read_topic_labels(bad)
    empty = tmp_path / "empty.tsv"
    empty.write_text("terms\tlabel\nunion trade\t\n")
    with pytest.raises(InputError, match="line 2"):
        topics.read_topic_labels(empty)
    good = tmp_path / "labels.tsv"
    good.write_text("# analyst's names\nterms\tlabel\nunion trade\tTrade unions\n")
    assert topics.read_topic_labels(good).to_dict("records") == [
        {"terms": "union trade", "label": "Trade unions"}
    ]


def test_label_topics_defaults_to_top_terms_and_matches_by_terms():
    top = [["union", "trade", "party", "state"], ["new", "production", "labour", "economy"]]
    labels, unmatched = topics.label_topics(top)
    assert labels == ["union / trade / party", "new / production / labour"]
    assert unmatched == []
    table = pd.DataFrame(
        {
            "terms": ["union", "union trade", "bureaucracy", "production labour"],
            "label": ["Unions", "Trade unions", "Bureaucracy", "Production"],
        }
    )
    labels, unmatched = topics.label_topics(top, table)
    assert labels == ["Trade unions", "Production"]
    assert unmatched == ["bureaucracy"]


# --------------------------------------------------------------------------- final tables


@pytest.fixture(scope="module")
def final_tables(planted, planted_sweep):
    final = topics.fit_final(planted, planted_sweep, 4, **FAST)
    n = len(planted)
    documents = pd.DataFrame(
        {
            "doc_id": ["a"] * 60 + ["b"] * (n - 60),
            "segment_id": [f"s{i:03d}" for i in range(n)],
            "order": list(range(60)) + list(range(n - 60)),
        }
    )
    segments = documents[["segment_id"]].assign(
        start=[i * 10 for i in range(n)], end=[i * 10 + 9 for i in range(n)], n_tokens=120
    )
    labels, _ = topics.label_topics(final.topics)
    table = topics.segments_table(
        documents, segments, final.theta, final.order, labels, {"a": "ga", "b": "gb"}
    )
    return final, labels, table


def test_prevalence_order_sorts_topics_by_mean_proportion():
    theta = np.array([[0.1, 0.6, 0.3], [0.1, 0.5, 0.4]])
    assert topics.prevalence_order(theta).tolist() == [1, 2, 0]


def test_terms_table_lists_top_terms_per_topic(final_tables):
    final, labels, _ = final_tables
    table = topics.terms_table(final.model, final.order, labels, final.recurrence, top_n=5)
    assert len(table) == 20
    assert table["topic"].unique().tolist() == [1, 2, 3, 4]
    first = table[table["topic"] == 1]
    assert first["term"].tolist()[:3] == labels[0].split(" / ")
    assert first["weight"].is_monotonic_decreasing
    assert first["model_topic"].iloc[0] == final.order[0]


def test_segments_table_has_proportions_per_segment_and_topic(final_tables):
    final, _, table = final_tables
    assert len(table) == 80 * 4
    sums = table.groupby("segment_id")["proportion"].sum()
    assert np.allclose(sums, 1.0)
    assert set(table["group"]) == {"ga", "gb"}
    means = table.groupby("topic")["proportion"].mean()
    assert means.is_monotonic_decreasing  # topic 1 is the most prevalent


def test_passages_table_gives_top_segments_with_their_text(final_tables):
    _, _, table = final_tables
    texts = {"a": "".join(f"seg{i:03d}\n  ab" for i in range(60)), "b": "x" * 400}
    passages = topics.passages_table(table, texts, n_passages=2)
    assert len(passages) == 8
    assert passages["rank"].tolist() == [1, 2] * 4
    row = passages.iloc[0]
    top = table[table["topic"] == 1].sort_values("proportion", ascending=False).iloc[0]
    assert row["segment_id"] == top["segment_id"]
    assert row["text"] == " ".join(texts[row["doc_id"]][row["start"] : row["end"]].split())


def test_nmf_agreement_matches_nmf_components_to_lda_topics(planted, final_tables):
    final, _, _ = final_tables
    table = topics.nmf_agreement(planted, final.topics, final.theta[:, final.order], 4, 1)
    assert len(table) == 4
    assert sorted(table["nmf_component"]) == [0, 1, 2, 3]
    assert (table["jaccard"] > 0.5).all()
    assert (table["segment_correlation"] > 0.8).all()


def test_prevalence_by_group_intervals_are_seeded_and_contain_the_mean(final_tables):
    _, _, table = final_tables
    prev = topics.prevalence_by_group(table, n_boot=300, block_size=4, seed=7)
    again = topics.prevalence_by_group(table, n_boot=300, block_size=4, seed=7)
    pd.testing.assert_frame_equal(prev, again)
    assert len(prev) == 8 and set(prev["group"]) == {"ga", "gb"}
    assert ((prev["low"] <= prev["mean"]) & (prev["mean"] <= prev["high"])).all()
    assert (prev["high"] > prev["low"]).all()
    other = topics.prevalence_by_group(table, n_boot=300, block_size=4, seed=8)
    assert not np.allclose(prev["low"], other["low"])


def test_prevalence_by_group_interval_collapses_for_constant_proportions():
    table = pd.DataFrame(
        {
            "group": "g",
            "doc_id": "d",
            "order": np.repeat(range(10), 2),
            "topic": [1, 2] * 10,
            "label": ["one", "two"] * 10,
            "proportion": [0.3, 0.7] * 10,
        }
    )
    prev = topics.prevalence_by_group(table, n_boot=100, block_size=20)
    assert np.allclose(prev["low"], [0.3, 0.7]) and np.allclose(prev["high"], [0.3, 0.7])


def test_circular_block_indices_are_wrapped_blocks_cut_to_the_text_length():
    indices = topics.circular_block_indices(23, 5, np.random.default_rng(0))
    assert len(indices) == 23 and indices.min() >= 0 and indices.max() < 23
    blocks = [indices[i : i + 5] for i in range(0, 23, 5)]
    assert all(((block[1:] - block[:-1]) % 23 == 1).all() for block in blocks)
    again = topics.circular_block_indices(23, 5, np.random.default_rng(0))
    assert np.array_equal(indices, again)
    # A block longer than the text is the whole text, rotated.
    short = topics.circular_block_indices(3, 5, np.random.default_rng(0))
    assert sorted(short) == [0, 1, 2]


def test_circular_block_indices_give_every_segment_equal_weight():
    # Blocks cut at the text's end would draw the first and last segments ~0.25 times per
    # replicate instead of once; wrapped blocks draw each segment once on average.
    rng = np.random.default_rng(5)
    n, replicates = 23, 20_000
    counts = sum(
        np.bincount(topics.circular_block_indices(n, 5, rng), minlength=n)
        for _ in range(replicates)
    )
    assert np.allclose(counts / replicates, 1.0, atol=0.05)


def _one_text(first_topic: np.ndarray) -> pd.DataFrame:
    n = len(first_topic)
    return pd.DataFrame(
        {
            "group": "g",
            "doc_id": "d",
            "order": np.repeat(range(n), 2),
            "topic": [1, 2] * n,
            "label": ["edge", "middle"] * n,
            "proportion": np.column_stack([first_topic, 1 - first_topic]).ravel(),
        }
    )


def test_prevalence_by_group_interval_contains_the_mean_when_edges_differ():
    # Topic 1 fills only the first and last of 40 segments. A moving-block bootstrap (blocks of
    # 10 kept inside the text) rarely draws them: its 97.5% quantile was 0.026, below the mean
    # 0.05, and the figure's whisker length went negative.
    edges = np.zeros(40)
    edges[[0, -1]] = 1.0
    prev = topics.prevalence_by_group(_one_text(edges), n_boot=1000, block_size=10, seed=3)
    assert np.allclose(prev["mean"], [0.05, 0.95])
    assert ((prev["low"] <= prev["mean"]) & (prev["mean"] <= prev["high"])).all()
    assert (prev["high"] > prev["mean"]).all() and (prev["low"] < prev["mean"]).all()


# --------------------------------------------------------------------------- figures


def test_plot_model_selection_shows_three_measures(planted_sweep, tmp_path):
    fig = topics.plot_model_selection(topics.model_selection_table(planted_sweep), chosen_k=4)
    axes = fig.get_axes()
    assert len(axes) == 3
    assert all(ax.get_xlabel() == "Number of topics K" for ax in axes)
    assert "Stability" in axes[0].get_ylabel()
    save_figure(fig, [tmp_path / "sel.png", tmp_path / "sel.svg"])
    assert (tmp_path / "sel.png").stat().st_size > 0


def test_plot_prevalence_and_flow(final_tables, tmp_path):
    _, labels, table = final_tables
    prev = topics.prevalence_by_group(table, n_boot=100)
    fig = topics.plot_prevalence(prev, group_labels={"ga": "Group A"})
    ax = fig.get_axes()[0]
    assert [t.get_text() for t in ax.get_yticklabels()][0] == f"T1  {labels[0]}"
    assert "Group A" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)
    fig = topics.plot_flow(table)
    assert len(fig.get_axes()) == 3  # two texts and the colour bar
    save_figure(fig, [tmp_path / "flow.png"])


def test_plot_prevalence_draws_an_interval_that_misses_the_mean(tmp_path):
    prev = pd.DataFrame(
        {
            "group": ["g", "g"],
            "topic": [1, 2],
            "label": ["one", "two"],
            "mean": [0.3, 0.7],
            "low": [0.25, 0.72],  # topic 2's interval lies above its mean
            "high": [0.278, 0.8],  # topic 1's interval lies below its mean
            "n_segments": [10, 10],
        }
    )
    fig = topics.plot_prevalence(prev)
    assert "percentile interval" in fig.get_axes()[0].get_xlabel()
    save_figure(fig, [tmp_path / "prev.png"])
    assert (tmp_path / "prev.png").stat().st_size > 0


def test_suggest_k_prefers_the_largest_k_within_one_sd_of_the_most_stable():
    table = pd.DataFrame(
        {
            "k": [3, 3, 4, 4, 5, 5],
            "seed": [1, 2] * 3,
            "stability": [0.40, 0.50, 0.42, 0.44, 0.20, 0.30],
        }
    )
    # best K = 3 (mean 0.45, sd 0.0707): K = 4 (0.43) is within one sd, K = 5 (0.25) is not
    assert topics.suggest_k(table) == 4
    assert topics.suggest_k(table[table["k"] != 4]) == 3


SAVE_ONE_MODEL = """
import sys
from corpusflow.topics import fit_lda, save_model
texts = [["a", "b", "c"], ["a", "b"], ["c", "d", "e"], ["d", "e"], ["a", "e"]] * 4
save_model(fit_lda(texts, 2, seed=1, passes=5, iterations=20), sys.argv[1])
"""


def test_save_model_gives_identical_bytes_whatever_the_hash_seed(tmp_path):
    import subprocess
    import sys

    from gensim.models import LdaModel

    src = str(Path(topics.__file__).parents[1])
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": src}
        target = tmp_path / hash_seed / "lda"
        subprocess.run([sys.executable, "-c", SAVE_ONE_MODEL, str(target)], env=env, check=True)
    for suffix in ("", ".state", ".id2word", ".expElogbeta.npy"):
        first = (tmp_path / "1" / f"lda{suffix}").read_bytes()
        assert first == (tmp_path / "2" / f"lda{suffix}").read_bytes(), suffix
    loaded = LdaModel.load(str(tmp_path / "1" / "lda"))
    assert loaded.num_topics == 2
