"""Unit tests of corpusflow.topics on small hand-made and planted corpora."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from gensim.corpora import Dictionary
from gensim.models import LdaModel

from corpusflow import io
from corpusflow.config import default_config
from corpusflow.errors import ConfigError
from corpusflow.rawfiles import segment_bound
from corpusflow.settings import from_mapping
from corpusflow.topics import checks, stability, sweep
from corpusflow.topics import documents as docs_mod
from corpusflow.topics import final as final_mod
from corpusflow.topics import null as null_mod
from corpusflow.topics import prevalence as prev_mod
from corpusflow.topics.lda import BatchLdaModel
from corpusflow.topics.settings import TopicsSettings

DEFAULTS = default_config()["topics"]
FAST = {
    "passes": 20,
    "pass_tolerance": 0.0,  # every pass: the unit tests' fits do not depend on the default
    "iterations": 50,
    "alpha": "symmetric",
    "eta": "symmetric",
    "update_segments": DEFAULTS["update_segments"],
}


def planted_corpus(k_true=4, n_docs=80, length=120, words_per_topic=30, seed=0, theta=None):
    """Documents drawn from ``k_true`` topics with disjoint vocabularies (``t{topic}w{i}``).
    ``theta`` (documents x topics) fixes each document's topic mix; else Dirichlet(0.2)."""
    rng = np.random.default_rng(seed)
    vocab = [[f"t{t}w{i:02d}" for i in range(words_per_topic)] for t in range(k_true)]
    phi = [rng.dirichlet(np.full(words_per_topic, 0.5)) for _ in range(k_true)]
    texts = []
    for d in range(n_docs):
        mix = theta[d] if theta is not None else rng.dirichlet(np.full(k_true, 0.2))
        z = rng.choice(k_true, size=length, p=mix)
        texts.append([vocab[t][rng.choice(words_per_topic, p=phi[t])] for t in z])
    return texts


def sweep_settings(replicates=4, fraction=0.8, **changes):
    """The stage's settings for the unit tests' sweeps: the schema's defaults with FAST fits,
    a loose vocabulary filter and ``replicates`` perturbation and null replicates, no more
    (``max_replicates`` = ``replicates``: a fixed design, unless ``changes`` say otherwise)."""
    perturbation = {**DEFAULTS["perturbation"], "replicates": replicates, "fraction": fraction}
    perturbation.update(null_draws=10, max_replicates=replicates)
    mapping = {
        **DEFAULTS,
        **{key: FAST[key] for key in ("passes", "iterations", "alpha", "eta")},
        "no_below": 2,
        "no_above": 0.9,
        "measure_top_n": 10,
        "perturbation": perturbation,
        "null": {**DEFAULTS["null"], "seeds": 2, "replicates": replicates},
        **changes,
    }
    return from_mapping(TopicsSettings, mapping)


def run_sweep(texts, ks, seeds=(1, 2, 3), replicates=4, fraction=0.8):
    """The sweep's records at ``ks``, each with its shuffled-words null (2 seeds, as many
    replicates), as the sweep job builds them (corpusflow.topics.run.sweep.sweep)."""
    settings = sweep_settings(replicates, fraction)
    corpus, data = sweep.design(texts, settings, replicates)
    null_corpus, null_data = sweep.design(null_mod.shuffled_words(texts, 1), settings, replicates)
    records, models = [], {}
    for k in ks:
        record, models[k] = sweep.sweep_k(corpus, data, k, settings, seeds=list(seeds))
        record["shuffled_null"] = null_mod.null_k(
            null_corpus, null_data, k, settings, seeds=list(seeds)[:2], pilot=replicates
        )
        records.append(record)
    return corpus, records, models


@pytest.fixture(scope="module")
def planted():
    return planted_corpus()


@pytest.fixture(scope="module")
def planted_sweep(planted):
    """K = 2..6 with 3 seeds and 4 replicates on the planted corpus (true K = 4)."""
    return run_sweep(planted, range(2, 7))


# --------------------------------------------------------------------------- checks


def topics_config(**changes):
    return {"topics": {**DEFAULTS, **changes}}


def test_resolve_seeds_from_a_count_or_a_list():
    assert checks.resolve_seeds(3, base_seed=10) == [10, 11, 12]
    assert checks.resolve_seeds([7, 3], base_seed=0) == [7, 3]
    with pytest.raises(ConfigError):
        checks.resolve_seeds(True, base_seed=0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"k_min": 8, "k_max": 5}, "range is empty"),
        ({"k": 12, "k_min": 2, "k_max": 10}, "outside the sweep"),
        ({"seeds": [1, 1]}, "repeats a seed"),
        ({"seeds": [4]}, "at least 2"),
    ],
)
def test_check_topics_config_rejects_bad_values(changes, message):
    checks.check_topics_config(topics_config())
    with pytest.raises(ConfigError, match=message):
        checks.check_topics_config(topics_config(**changes))


def test_sweep_parts_share_the_units_round_robin_without_empty_jobs():
    assert checks.sweep_parts([2, 3, 4, 5, 6], 2) == [[2, 4, 6], [3, 5]]
    assert checks.sweep_parts([2, 3], 5) == [[2], [3]]
    assert checks.sweep_units([2, 3], "k") == [[2, "all"], [3, "all"]]
    units = checks.sweep_units([2, 3], "fits")
    assert units[:3] == [[2, "seeds"], [2, "replicates"], [2, "null"]] and len(units) == 6
    assert checks.sweep_parts(units, 6) == [[u] for u in units]


def test_the_jobs_completing_k_values_read_the_parts_that_hold_them():
    parts = checks.sweep_parts(checks.sweep_units([2, 3, 4], "fits"), 4)
    assert parts[0] == [[2, "seeds"], [3, "replicates"], [4, "null"]]
    assert [checks.parts_holding(parts, [k]) for k in (2, 3, 4)] == [
        [0, 1, 2],
        [0, 1, 3],
        [0, 2, 3],
    ]
    assert checks.parts_holding(parts, [2, 4]) == [0, 1, 2, 3]
    assert checks.parts_holding(checks.sweep_parts(checks.sweep_units([2, 3], "k"), 2), [3]) == [1]


def test_check_k_fits_counts_the_training_segments_of_a_replicate():
    checks.check_k_fits(15, 20, 0.8, where="x")  # 16 training segments
    with pytest.raises(ConfigError, match="CF602.*K = 16.*16 of them"):
        checks.check_k_fits(16, 20, 0.8, where="x")


def test_the_segment_bound_catches_impossible_k():
    assert segment_bound(10, 250) == 1  # one short document: one segment
    assert segment_bound(1000, 250) + segment_bound(1000, 250) == 20  # 1250 tokens at most
    with pytest.raises(ConfigError, match="CF602"):
        checks.check_k_fits(30, 2 * segment_bound(1000, 250), 0.8, where="x")


def test_the_parse_time_estimate_allows_a_tenth_more_segments_and_never_the_bound():
    topics = topics_config(k_max=17)["topics"]
    # two documents of 1000 runs at 100 tokens: about 20 segments, 22 allowed, 18 training
    assert checks.segment_estimate(1000, 100) == 10
    checks.check_k_fits_corpus(topics, [1000, 1000], 100)
    with pytest.raises(ConfigError, match="K = 18.*about 20 segments.*22 segments, 18 of them"):
        checks.check_k_fits_corpus(topics_config(k_max=18)["topics"], [1000, 1000], 100)
    # one short document: one segment whatever the estimate
    with pytest.raises(ConfigError, match="CF602"):
        checks.check_k_fits_corpus(topics_config(k_max=2)["topics"], [10], 100)


# --------------------------------------------------------------------------- documents


def toy_tables(pos=False):
    """Two segments of one document and an empty one; sentence 2 is in segment 1."""
    rows = [
        # text, lemma, is_alpha, is_stop, sentence, pos
        ("Unions", "union", True, False, 0, "NOUN"),
        ("the", "the", True, True, 0, "DET"),
        ("trade", "trade", True, False, 0, "NOUN"),
        ("unions", "union", True, False, 0, "NOUN"),
        (".", ".", False, False, 0, "PUNCT"),
        ("A", "a", True, True, 1, "DET"),
        ("x", "x", True, False, 1, "X"),
        ("workers", "worker", True, False, 2, "NOUN"),
        ("strike", "strike", True, False, 2, "VERB"),
    ]
    columns = ["text", "lemma", "is_alpha", "is_stop", "sentence", "pos"]
    tokens = pd.DataFrame(rows, columns=columns)
    if not pos:
        tokens = tokens.drop(columns="pos")
    tokens["lower"] = tokens["text"].str.lower()
    tokens["doc_id"] = "d"
    tokens["index"] = range(len(tokens))
    tokens["start"] = [i * 10 for i in range(len(tokens))]
    tokens["end"] = tokens["start"] + tokens["text"].str.len()
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


def rules(**changes):
    """The topics stage's term rules of the schema's defaults with ``changes`` (topics keys)."""
    return docs_mod.term_rules(from_mapping(TopicsSettings, {**DEFAULTS, **changes}))


def test_segment_documents_keeps_terms_in_order_with_token_positions():
    tokens, segments = toy_tables()
    docs = docs_mod.segment_documents(tokens, segments, rules())
    assert docs["terms"].tolist() == [["union", "trade", "union"], ["worker", "strike"], []]
    assert docs["token_start"].tolist() == [0, 5, 7]
    assert docs["token_end"].tolist() == [5, 7, 7]


def test_segment_documents_filters_by_part_of_speech_or_says_it_cannot():
    tokens, segments = toy_tables(pos=True)
    docs = docs_mod.segment_documents(tokens, segments, rules(pos=["NOUN"]))
    assert docs["terms"].tolist()[:2] == [["union", "trade", "union"], ["worker"]]
    tokens, segments = toy_tables(pos=False)
    with pytest.raises(ConfigError, match="CF605.*no 'pos' column"):
        docs_mod.segment_documents(tokens, segments, rules(pos=["NOUN"]))


def test_perturbation_masks_are_seeded_subsamples_of_the_stated_size():
    masks = docs_mod.perturbation_masks(50, replicates=4, fraction=0.8, seed=3)
    assert masks.shape == (4, 50) and (masks.sum(axis=1) == 40).all()
    again = docs_mod.perturbation_masks(50, replicates=4, fraction=0.8, seed=3)
    assert (masks == again).all()
    assert len({tuple(m) for m in masks}) == 4  # the replicates differ


# --------------------------------------------------------------------------- fits


def test_batch_lda_model_gives_gensims_results_reproducibly(planted):
    dictionary = Dictionary(planted)
    bows = [dictionary.doc2bow(t) for t in planted] + [[]]  # and an empty document
    args = {"id2word": dictionary, "num_topics": 4, "chunksize": len(bows), "random_state": 2}
    ours = BatchLdaModel(bows, passes=10, iterations=50, **args)
    theirs = LdaModel(bows, passes=10, iterations=50, **args)
    assert np.abs(ours.get_topics() - theirs.get_topics()).max() < 1e-4
    again = BatchLdaModel(bows, passes=10, iterations=50, **args)
    assert (again.get_topics() == ours.get_topics()).all()
    gamma_ours, _ = ours.inference(bows[:5] + [[]])
    ours.random_state = np.random.RandomState(0)
    theirs.random_state = np.random.RandomState(0)
    theirs.expElogbeta = ours.expElogbeta
    a, _ = ours.inference(bows[:5] + [[]])
    b, _ = theirs.inference(bows[:5] + [[]])
    assert np.allclose(a, b, rtol=1e-4)


def test_fit_schedule_keeps_small_corpora_in_batch_and_at_least_passes_updates_on_large():
    assert sweep.fit_schedule(98, passes=20, update_segments=2000) == (98, 20)
    assert sweep.fit_schedule(2000, passes=20, update_segments=2000) == (2000, 20)
    assert sweep.fit_schedule(50_000, passes=20, update_segments=0) == (50_000, 20)
    assert sweep.fit_schedule(0, passes=20, update_segments=2000) == (1, 20)
    # 9,800 segments: 5 equal chunks of 1,960, 4 passes = 20 updates
    assert sweep.fit_schedule(9800, passes=20, update_segments=2000) == (1960, 4)
    for n in (2001, 4001, 7840, 9800, 123_457):
        for passes in (1, 7, 20, 50):
            chunksize, fewer = sweep.fit_schedule(n, passes=passes, update_segments=2000)
            chunks = math.ceil(n / chunksize)
            assert 1000 < chunksize <= 2000
            assert passes <= fewer * chunks < passes + chunks


def test_online_updates_on_a_large_corpus_find_the_planted_topics_as_the_batch_fit_does():
    """Above update_segments the fit runs in chunks with fewer passes: on a planted corpus it
    recovers the same topics as the batch fit, and is reproducible."""
    texts = planted_corpus(k_true=4, n_docs=400, length=60, seed=3)
    corpus = sweep.Corpus.build(texts, no_below=2, no_above=0.9)
    batch = sweep.fit_lda(corpus.bows, corpus.dictionary, 4, 1, {**FAST, "update_segments": 0})
    online_fit = {**FAST, "update_segments": 100}  # 4 chunks of 100 segments, 5 passes
    online = sweep.fit_lda(corpus.bows, corpus.dictionary, 4, 1, online_fit)
    assert online.chunksize == 100 and online.passes_used == 5
    assert batch.chunksize == 400 and batch.passes_used == 20
    jaccard = stability.match_topics(sweep.top_terms(batch, 10), sweep.top_terms(online, 10))[1]
    assert jaccard.min() >= 0.8
    again = sweep.fit_lda(corpus.bows, corpus.dictionary, 4, 1, online_fit)
    assert (again.get_topics() == online.get_topics()).all()


def test_the_sweep_split_into_fit_groups_joins_to_the_sweep_by_k(planted, tmp_path):
    """Every fit is seeded on its own: one job per K's seeds, replicates and null gives, once
    the parts are joined, the records and models of one job over whole K values."""
    from types import SimpleNamespace

    from corpusflow.topics.run import inputs as run_inputs
    from corpusflow.topics.run import sweep as run

    path = tmp_path / "documents.parquet"
    io.write_parquet(pd.DataFrame({"terms": planted[:40]}), path)
    inputs = SimpleNamespace(documents=str(path))
    perturbation = {**DEFAULTS["perturbation"], "replicates": 2, "max_replicates": 4}
    perturbation.update(null_draws=10, target_se=0.01)  # every side asks for more
    settings = sweep_settings(replicates=2, seeds=2, passes=5, perturbation=perturbation)
    whole, models = run.sweep(inputs, settings, units=checks.sweep_units([2, 3], "k"))
    parts = [
        run.sweep(inputs, settings, units=[unit]) for unit in checks.sweep_units([2, 3], "fits")
    ]
    assert {"seeds", "replicates", "null", "shuffled_null"} <= set(whole[0])
    assert [len(r["replicates"]) for r in whole] == [4, 4]  # the pilot's 2 and 2 more
    assert [len(r["shuffled_null"]["replicates"]) for r in whole] == [4, 4]
    paths = []
    for i, (records, _) in enumerate(parts):
        paths.append(tmp_path / f"part{i}.json")
        io.write_json({"records": records}, paths[-1])
    extra = [
        run.sweep_extra(SimpleNamespace(documents=str(path), sweep=paths), settings, ks=ks)
        for ks in ([2], [3])
    ]
    # the extra jobs' records replace the pilots' (as in topics_model_selection)
    joined = run_inputs.joined_records([records for records, _ in parts] + extra)
    io.write_json(joined, tmp_path / "a")
    io.write_json(whole, tmp_path / "b")
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()
    split_models = {k: m for _, by_k in parts for k, m in by_k.items()}
    for k in (2, 3):
        for seed, model in models[k].items():
            assert (split_models[k][seed].get_topics() == model.get_topics()).all()


def test_replicates_needed_follows_the_spread_alone_within_the_pilot_and_the_most():
    from corpusflow.topics.replicates import replicates_needed

    spread = [0.2, 0.4, 0.6, 0.3, 0.5]  # sd 0.158
    plan = {"pilot": 5, "target_se": 0.05, "most": 20}
    assert replicates_needed(spread, **plan) == math.ceil((np.std(spread, ddof=1) / 0.05) ** 2)
    assert replicates_needed([v + 0.3 for v in spread], **plan) == 10  # the mean does not count
    assert replicates_needed([v / 4 for v in spread], **plan) == 5  # never under the pilot
    assert replicates_needed([v * 4 for v in spread], **plan) == 20  # never over the most
    assert replicates_needed([0.1, math.nan, 0.1, None], **plan) == 5  # sd 0: the pilot
    assert replicates_needed([0.5, math.nan], **plan) == 5  # one score: no spread known
    assert replicates_needed(spread, pilot=5, target_se=0.05, most=3) == 5


def test_a_k_whose_pilot_replicates_disagree_gets_more_replicates_than_one_that_agrees():
    """Planted topics at their own K: every replicate finds them (no spread, the pilot is
    enough); the same words shuffled: the replicates disagree, and get ceil((sd/target)^2).
    The pilot's fits are the same either way: the extra replicates only follow them."""
    # ten words a topic, the measures' top five: a fit that finds the topics matches exactly
    texts = planted_corpus(k_true=3, n_docs=60, length=100, words_per_topic=10, seed=3)
    perturbation = {**DEFAULTS["perturbation"], "replicates": 4, "max_replicates": 12}
    perturbation.update(null_draws=10, target_se=0.015)
    settings = sweep_settings(4, perturbation=perturbation, measure_top_n=5, no_above=1.0)
    plans = {}
    for name, words in (("planted", texts), ("shuffled", null_mod.shuffled_words(texts, 5))):
        corpus, data = sweep.design(words, settings, 12)
        record, _ = sweep.sweep_k(corpus, data, 3, settings, seeds=[1, 2])
        plan = record["replicate_plan"]
        assert len(record["replicates"]) == plan["replicates"]
        assert [r["replicate"] for r in record["replicates"]] == list(range(plan["replicates"]))
        pilot = sweep.replicate_fits(corpus, data, 3, settings, seeds=[1, 2])["replicates"]
        assert record["replicates"][:4] == pilot
        plans[name] = plan
    assert plans["planted"]["pilot_sd"] == 0.0 and plans["planted"]["replicates"] == 4
    sd = plans["shuffled"]["pilot_sd"]
    assert plans["shuffled"]["replicates"] == min(12, math.ceil((sd / 0.015) ** 2)) > 4


def test_a_fit_stops_once_its_bound_settles_and_is_then_the_fit_of_that_many_passes(planted):
    corpus = sweep.Corpus.build(planted, no_below=2, no_above=0.9)
    bows, dictionary = corpus.bows, corpus.dictionary
    model = sweep.fit_lda(bows, dictionary, 4, 1, {**FAST, "passes": 60, "pass_tolerance": 1e-3})
    assert 3 <= model.passes_used < 60
    tighter = sweep.fit_lda(bows, dictionary, 4, 1, {**FAST, "passes": 60, "pass_tolerance": 1e-4})
    assert model.passes_used < tighter.passes_used
    # stopped at p passes, the fit is bitwise gensim's one-call fit of p passes
    one_call = BatchLdaModel(
        bows,
        id2word=dictionary,
        num_topics=4,
        chunksize=len(bows),
        passes=model.passes_used,
        iterations=FAST["iterations"],
        random_state=1,
        eval_every=None,
    )
    assert (one_call.get_topics() == model.get_topics()).all()


def test_save_and_load_lda_round_trip_byte_identically(planted, tmp_path):
    corpus = sweep.Corpus.build(planted, no_below=2, no_above=0.9)
    model = sweep.fit_lda(corpus.bows, corpus.dictionary, 3, 1, FAST)
    io.save_lda(model, tmp_path / "a" / "m.gensim")
    io.save_lda(model, tmp_path / "b" / "m.gensim")
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()
    loaded = io.load_lda(tmp_path / "a" / "m.gensim")
    assert (loaded.get_topics() == model.get_topics()).all()


# --------------------------------------------------------------------------- measures


def test_npmi_and_semantic_coherence_reward_words_that_occur_together():
    texts = [["a", "b"], ["a", "b"], ["a"], ["c"], ["d"], ["c", "e"], ["d", "e"]]
    corpus = sweep.Corpus.build(texts, no_below=1, no_above=1.0)
    ids = corpus.dictionary.token2id
    together = [ids["a"], ids["b"]]  # D(a) = 3, D(b) = 2, D(a, b) = 2, of 7 segments
    apart = [ids["c"], ids["d"]]  # never in one segment
    npmi = math.log((2 / 7) / ((3 / 7) * (2 / 7))) / -math.log(2 / 7)
    assert sweep.npmi_coherence(corpus.presence, together) == pytest.approx(npmi)
    assert sweep.npmi_coherence(corpus.presence, apart) == -1.0
    # Mimno: log((D(w2, w1) + 1) / D(w1)), w1 the higher-ranked word: log(3 / 3), log(1 / 2)
    assert sweep.semantic_coherence(corpus.presence, together) == pytest.approx(0.0)
    assert sweep.semantic_coherence(corpus.presence, apart) == pytest.approx(math.log(0.5))


def test_frex_exclusivity_follows_stms_definition():
    phi = np.array([[0.4, 0.3, 0.2, 0.1], [0.5, 0.05, 0.05, 0.4]])
    # topic 0's top words: word 0 (frequency rank 4/4, exclusivity 0.4/0.9 rank 2/4) and
    # word 1 (frequency 3/4, exclusivity 0.3/0.35 rank 4/4); FREX weight 0.7 on exclusivity
    expected = 1 / (0.7 / 0.5 + 0.3 / 1.0) + 1 / (0.7 / 1.0 + 0.3 / 0.75)
    assert sweep.frex_exclusivity(phi, top_n=2, weight=0.7)[0] == pytest.approx(expected)


def test_effective_words_and_corpus_distance():
    uniform = np.full((1, 5), 0.2)
    assert sweep.effective_words(uniform) == pytest.approx([5.0])
    assert sweep.corpus_distance(uniform, np.ones(5)) == pytest.approx([0.0])
    peaked = np.array([[1.0, 0, 0, 0, 0]])
    assert sweep.corpus_distance(peaked, np.ones(5)) == pytest.approx([math.log(5)])


def test_heldout_vocabulary_comes_from_training_segments_only(planted):
    """Words seen only in held-out segments are not scored: each replicate's vocabulary is
    fitted on its training segments. "zzz" fills 2 segments; a replicate holding out either
    has too few training segments with it (no_below = 2) to keep it."""
    texts = [list(t) for t in planted[:43]] + [["zzz"] * 30 + list(t) for t in planted[43:45]]
    _, records, _ = run_sweep(texts, [3], replicates=6)
    masks = docs_mod.perturbation_masks(len(texts), replicates=6, fraction=0.8, seed=1)
    dropped = 0
    for mask, replicate in zip(masks, records[0]["replicates"], strict=True):
        train = [texts[i] for i in np.flatnonzero(mask)]
        vocab = docs_mod.vocabulary(train, no_below=2, no_above=0.9).token2id
        expected = 0
        for i in np.flatnonzero(~mask):
            n = sum(w in vocab for w in texts[i])
            expected += n - n // 2 if n >= 2 else 0
        assert replicate["words"] == expected
        dropped += "zzz" not in vocab and not mask[43:].all()
    assert dropped > 0  # some replicate had held-out "zzz" segments and did not score them


def test_replicates_built_once_for_a_job_give_the_records_built_at_each_k(planted):
    """A sweep job builds the replicates' vocabularies once for all its K: its records are
    the ones sweep_k builds on its own, and each replicate trains on its mask's segments."""
    texts = [list(t) for t in planted[:60]]
    corpus = sweep.Corpus.build(texts, no_below=2, no_above=0.9)
    masks = docs_mod.perturbation_masks(len(texts), replicates=3, fraction=0.8, seed=2)
    shared = sweep.replicate_data(texts, masks, no_below=2, no_above=0.9)
    for data, mask in zip(shared, masks, strict=True):
        train = [texts[i] for i in np.flatnonzero(mask)]
        vocab = docs_mod.vocabulary(train, no_below=2, no_above=0.9)
        assert data.dictionary.token2id == vocab.token2id
        assert data.bows == [vocab.doc2bow(t) for t in train]
        assert data.heldout == [texts[i] for i in np.flatnonzero(~mask)]
    perturbation = {**DEFAULTS["perturbation"], "seed": 2, "replicates": 3, "max_replicates": 3}
    settings = sweep_settings(3, 0.8, perturbation=perturbation)
    built = sweep.design(texts, settings, 3)[1]
    assert [(d.bows, d.heldout) for d in built] == [(d.bows, d.heldout) for d in shared]
    record, _ = sweep.sweep_k(corpus, shared, 2, settings, seeds=[1, 2])
    assert record["replicates"][0]["words"] > 0


def test_the_topic_model_beats_the_unigram_baseline_on_planted_data(planted_sweep):
    table = stability.selection_table(planted_sweep[1], min_heldout_words=100, level=0.05)
    at_four = table.set_index("k").loc[4]
    assert at_four["heldout_gain"] > 0.3  # nats per word: topics predict held-out words
    assert at_four["heldout_words"] > 1000


def test_too_few_heldout_words_leave_the_value_empty_not_zero(planted_sweep):
    table = stability.selection_table(planted_sweep[1], min_heldout_words=10**9, level=0.05)
    assert table["heldout_gain"].isna().all()
    assert (table["heldout_words"] > 0).all()


# --------------------------------------------------------------------------- stability and K


def test_match_topics_finds_the_one_to_one_matching():
    a = [["x", "y"], ["p", "q"]]
    b = [["p", "q"], ["x", "z"]]
    partner, sim = stability.match_topics(a, b)
    assert partner.tolist() == [1, 0]
    assert sim.tolist() == pytest.approx([1 / 3, 1.0])


def test_the_k_rule_recovers_the_planted_number_of_topics(planted_sweep):
    table = stability.selection_table(planted_sweep[1], min_heldout_words=100, level=0.05)
    choice = stability.choose_k(table, None)
    assert choice["rule_k"] == 4
    assert choice["edge"] == "none"
    assert choice["k"] == 4 and not choice["pinned"]
    assert choice["k_evidence"] == stability.EVIDENCE_RULE and choice["k_source"] == "rule"
    assert 4 in choice["beats_null"]
    best = table.set_index("k")["excess_stability"]
    assert best[4] > 0.8 and (best.drop(4) < best[4]).all()


def test_k_2_is_the_smallest_k_not_an_edge_of_the_grid(planted_sweep):
    table = stability.selection_table(planted_sweep[1], min_heldout_words=100, level=0.05)
    table = table[table["k"] <= 4].copy()
    table.loc[table["k"] == 2, "stability_over_null"] = table["stability_over_null"].max() + 1
    table.loc[table["k"] == 2, "beats_null"] = True
    assert stability.choose_k(table, None)["edge"] == "minimum"


def test_the_k_rule_says_when_its_k_is_at_the_grids_edge_and_a_pin_wins(planted_sweep):
    records = [r for r in planted_sweep[1] if r["k"] >= 4]
    table = stability.selection_table(records, min_heldout_words=100, level=0.05)
    choice = stability.choose_k(table, 6)
    assert (choice["rule_k"], choice["edge"]) == (4, "lower")
    assert (choice["k"], choice["pinned"]) == (6, True)
    marked = stability.mark_choice(table, choice)
    assert marked.loc[marked["rule_k"], "edge"].tolist() == ["lower"]
    assert marked.loc[marked["chosen"], "k"].tolist() == [6]


def test_random_topic_null_is_far_below_the_planted_stability(planted_sweep):
    corpus, records, _ = planted_sweep
    for record in records:
        assert 0 <= record["null"] < 0.2
    assert sweep.random_topics_null(
        corpus.word_freq, 3, top_n=10, draws=5, seed=1
    ) == sweep.random_topics_null(corpus.word_freq, 3, top_n=10, draws=5, seed=1)


# --------------------------------------------------------------------------- final model


@pytest.fixture(scope="module")
def final(planted, planted_sweep):
    corpus, _, models = planted_sweep
    return corpus, final_mod.final_model(models[4], corpus.bows, top_n=10, recurrence_threshold=0.5)


def test_final_model_is_the_medoid_with_recurrent_planted_topics(final):
    _, model = final
    assert model.seed in (1, 2, 3)
    assert (model.recurrence == 1.0).all()
    for terms in model.topics:  # every topic is one planted topic
        assert len({t.split("w")[0] for t in terms}) == 1
    assert set(model.gamma) == {1, 2, 3}
    # the other seeds' topics are aligned to the final model's: same planted topic per column
    theta = {s: g / g.sum(axis=1, keepdims=True) for s, g in model.gamma.items()}
    for s in theta:
        assert np.corrcoef(theta[s][:, 0], theta[model.seed][:, 0])[0, 1] > 0.95


def test_flags_name_topics_that_fail():
    diagnostics = pd.DataFrame(
        {
            "recurrence": [1.0, 0.0, 1.0, 0.0, 1.0],
            "nmf_jaccard": [0.5, 0.5, 0.0, 0.0, 0.5],
            "main_document_share": [0.5, 0.5, 0.5, 0.5, 0.95],
        }
    )
    thresholds = {"min_recurrence": 0.5, "min_nmf_jaccard": 0.1, "text_identity_share": 0.9}
    flags = final_mod.topic_flags(diagnostics, thresholds, n_documents=2)
    assert flags == [
        "",
        "no recurrence",
        "no NMF partner",
        "no recurrence; no NMF partner",
        "text identity",
    ]
    # one document: every topic comes from it, which says nothing
    assert final_mod.topic_flags(diagnostics, thresholds, n_documents=1)[-1] == ""


def test_terms_table_carries_diagnostics_and_flags(final):
    corpus, model = final
    diagnostics = final_mod.diagnostics_table(model, corpus, top_n=10, frex_weight=0.7)
    diagnostics["nmf_jaccard"] = 0.5
    diagnostics["flag"] = ["", "no recurrence", "", ""]
    labels = [f"L{i}" for i in range(4)]
    table = final_mod.terms_table(model, labels, diagnostics, top_n=5)
    assert len(table) == 20
    assert table.loc[table["topic"] == 2, "flag"].unique().tolist() == ["no recurrence"]
    for column in ("npmi", "semantic_coherence", "exclusivity", "effective_words"):
        assert table[column].notna().all()


def test_label_topics_defaults_to_top_terms_and_matches_by_terms():
    topics = [["a", "b", "c", "d"], ["e", "f", "g", "h"]]
    labels = pd.DataFrame({"terms": ["b a", "zz"], "label": ["AB", "none"]})
    named, unmatched = final_mod.label_topics(topics, labels)
    assert named == ["AB", "e / f / g"]
    assert unmatched == ["zz"]


# --------------------------------------------------------------------------- prevalence


def group_corpus(n_per_group=40, shares=(0.7, 0.2), seed=5):
    """Two groups of one text each; each segment's mix is drawn around its group's mean, whose
    share of topic 0 differs between the groups. Returns the texts and the planted mixes."""
    rng = np.random.default_rng(seed)
    theta = []
    for share in shares:
        mean = np.array([share, (1 - share) / 2, (1 - share) / 2])
        theta.extend(rng.dirichlet(2 * mean + 1e-3, size=n_per_group))
    theta = np.array(theta)
    texts = planted_corpus(k_true=3, n_docs=2 * n_per_group, theta=theta, seed=seed)
    return texts, theta


def prevalence_inputs(texts, groups, docs_per_group=1):
    corpus, _, models = run_sweep(texts, [3], replicates=2)
    model = final_mod.final_model(models[3], corpus.bows, top_n=10, recurrence_threshold=0.5)
    n = len(texts)
    documents = pd.DataFrame({"segment_id": [f"s{i:04d}" for i in range(n)]})
    per_doc = n // (len(set(groups)) * docs_per_group)
    segments = pd.DataFrame(
        {
            "segment_id": documents["segment_id"],
            "group": groups,
            "doc_id": [f"{g}-{i // per_doc}" for i, g in enumerate(groups)],
            "order": [i % per_doc for i in range(n)],
        }
    )
    return model, segments, final_mod.posterior_table(model, documents)


def bootstrap(**changes):
    return {**DEFAULTS["bootstrap"], "n": 400, **changes}


def test_prevalence_interval_covers_the_planted_group_difference():
    texts, theta = group_corpus()
    groups = ["a"] * 40 + ["b"] * 40
    model, segments, posterior = prevalence_inputs(texts, groups)
    table = prev_mod.prevalence_by_group(segments, posterior, **bootstrap())
    # the final model's topic carrying planted topic 0 (words t0w..)
    planted_topic = 1 + next(i for i, t in enumerate(model.topics) if t[0].startswith("t0"))
    rows = table[table["topic"] == planted_topic].set_index("group")
    truth = {"a": theta[:40, 0].mean(), "b": theta[40:, 0].mean()}
    assert truth["a"] - truth["b"] > 0.3
    for group in ("a", "b"):
        assert rows.loc[group, "low"] <= truth[group] <= rows.loc[group, "high"]
    assert rows.loc["b", "high"] < rows.loc["a", "low"]  # the difference is resolved
    again = prev_mod.prevalence_by_group(segments, posterior, **bootstrap())
    pd.testing.assert_frame_equal(table, again)
    assert (table["resampled"] == "passages").all()
    assert table["block_length"].tolist()[0] == round(40 ** (1 / 3))


def test_prevalence_marks_the_prior_floor_and_resamples_documents_when_there_are_many():
    texts, _ = group_corpus(shares=(0.0, 0.6))
    groups = ["a"] * 40 + ["b"] * 40
    model, segments, posterior = prevalence_inputs(texts, groups, docs_per_group=10)
    table = prev_mod.prevalence_by_group(
        segments, posterior, **bootstrap(resample_documents_from=10)
    )
    planted_topic = 1 + next(i for i, t in enumerate(model.topics) if t[0].startswith("t0"))
    floor = table.set_index(["topic", "group"])["at_prior_floor"]
    assert floor[(planted_topic, "a")]
    assert not floor[(planted_topic, "b")]
    assert (table["resampled"] == "documents").all() and (table["n_documents"] == 10).all()


def test_block_length_rule():
    assert prev_mod.block_length(75, "auto") == 4
    assert prev_mod.block_length(1, "auto") == 1
    assert prev_mod.block_length(8, 5) == 5 and prev_mod.block_length(3, 5) == 3


def test_circular_block_indices_give_every_segment_equal_weight():
    rng = np.random.default_rng(0)
    counts = np.zeros(10)
    for _ in range(4000):
        counts += np.bincount(prev_mod.circular_block_indices(10, 4, rng), minlength=10)
    assert counts.min() / counts.max() > 0.9
