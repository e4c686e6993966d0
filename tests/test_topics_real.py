"""The topic stage on the real corpus: in-process on real tokens, and as real Snakemake runs."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from corpusflow.config import default_config, study_config
from corpusflow.ingest import ingest_document
from corpusflow.manifest import analysis_ids, read_manifest
from corpusflow.rawfiles import read_facts, segment_bound
from corpusflow.segment import make_segments
from corpusflow.settings import from_mapping
from corpusflow.tokenise import load_pipeline, stopword_set, tokenise_text
from corpusflow.topics import checks
from corpusflow.topics.documents import segment_documents, term_rules
from corpusflow.topics.settings import TopicsSettings
from corpusflow.topics.sweep import Corpus
from tests.conftest import REPO, copy_project, run_snakemake
from tests.defaults import BATCH_SIZE, TARGET_TOKENS, UNICODE_FORM

DEFAULTS = default_config()["topics"]


@pytest.fixture(scope="module")
def real_documents():
    """Bags of words of the real analysed segments, built with the pipeline's own functions."""
    config = study_config(REPO / "config" / "config.yaml")
    manifest = read_manifest(REPO / config["manifest"])
    nlp = load_pipeline(config["tokenise"]["pipeline"])
    tokens, segments, sizes = [], [], []
    for doc_id in analysis_ids(manifest):
        row = manifest[doc_id]
        sizes.append(read_facts(REPO / row["path"], row["encoding"])["letter_runs"])
        text = ingest_document(
            REPO / row["path"], encoding=row["encoding"], unicode_form=UNICODE_FORM
        ).text
        doc_tokens = tokenise_text(
            text,
            doc_id,
            nlp,
            lemma_overrides=config["tokenise"]["lemma_overrides"],
            stopwords=stopword_set(nlp, config["tokenise"]["extra_stopwords"]),
            batch_size=BATCH_SIZE,
        )
        tokens.append(doc_tokens)
        segments.append(make_segments(doc_tokens, doc_id, target_tokens=TARGET_TOKENS))
    tokens, segments = pd.concat(tokens), pd.concat(segments)
    rules = term_rules(from_mapping(TopicsSettings, DEFAULTS))
    documents = segment_documents(tokens, segments, rules)
    return documents, segments, sizes


def test_real_segments_make_a_usable_corpus(real_documents):
    documents, segments, _ = real_documents
    assert len(documents) == len(segments) > 80
    corpus = Corpus.build(documents["terms"].tolist(), no_below=3, no_above=0.5)
    assert min(len(t) for t in corpus.texts) > 20  # ~250 tokens a segment, a third kept
    vocabulary = set(corpus.dictionary.token2id)
    assert {"union", "bureaucracy", "specialist"} <= vocabulary
    assert not {"the", "of", "and"} & vocabulary
    # token positions run through each text without gaps
    for _, doc in documents.groupby("doc_id"):
        assert doc["token_start"].iloc[0] == 0
        assert (doc["token_start"].to_numpy()[1:] == doc["token_end"].to_numpy()[:-1]).all()


def test_the_startup_bound_on_segments_holds_for_the_real_texts(real_documents):
    documents, _, letter_runs = real_documents
    bound = sum(segment_bound(runs, 250) for runs in letter_runs)
    assert len(documents) <= bound < 3 * len(documents)
    # the parse-time estimate is close: within its allowance of the real count
    estimate = sum(checks.segment_estimate(runs, 250) for runs in letter_runs)
    assert len(documents) <= checks.ESTIMATE_ALLOWANCE * estimate
    assert abs(estimate - len(documents)) <= 0.1 * len(documents)


#: A small sweep with the schema's early stop (this study's config turns it off).
SMALL_SWEEP = """\
topics:
  k_min: 2
  k_max: 3
  seeds: 2
  sweep_jobs: 2
  passes: 10
  pass_tolerance: {TOLERANCE}
  iterations: 30
  perturbation: {replicates: 2, max_replicates: 4, min_heldout_words: 10}
  bootstrap: {n: 200}
""".replace("{TOLERANCE}", str(default_config()["topics"]["pass_tolerance"]))


def topic_outputs(workdir):
    files = sorted((workdir / "results" / "tables").glob("topics_*.csv"))
    files += sorted((workdir / "results" / "figures").glob("topics_*"))
    files += sorted((workdir / "results" / "models" / "topics").iterdir())
    return {str(p.relative_to(workdir)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture(scope="module")
def small_runs(tmp_path_factory):
    """Two fresh runs of the topic stage on the real corpus with a small sweep, the second with
    one sweep job per K and group of fits (6 jobs in place of 2): their folders and the sha256
    of every topic output."""
    tmp_path = tmp_path_factory.mktemp("topics")
    environment = {"PYTHONPATH": str(REPO / "src")}
    hashes = []
    split = "  sweep_split: fits\n  sweep_jobs: 6\n"
    for name, extra in (("first", ""), ("second", split)):
        workdir = copy_project(tmp_path / name)
        (workdir / "small.yaml").write_text(SMALL_SWEEP + extra)
        targets = [
            "results/tables/topics_model_selection.csv",
            "results/tables/topics_prevalence.csv",
            "results/figures/topics_flow.png",
        ]
        args = (*targets, "--configfile", "config/config.yaml", "small.yaml")
        run_snakemake(workdir, *args, env=environment)
        hashes.append(topic_outputs(workdir))
    return tmp_path, hashes


@pytest.mark.workflow
def test_prevalence_is_the_final_models_mean_segment_share_on_the_real_run(small_runs):
    """topics_prevalence and topics_flow show the same model: each group's prevalence is the
    mean over its segments of the proportions the flow figure draws (issue #22 item 6)."""
    tables = small_runs[0] / "first" / "results" / "tables"
    prevalence = pd.read_csv(tables / "topics_prevalence.csv")
    segments = pd.read_csv(tables / "topics_segments.csv")
    flow = segments.groupby(["group", "topic"])["proportion"].mean()
    shown = prevalence.set_index(["group", "topic"])["mean"]
    assert (shown - flow.reindex(shown.index)).abs().max() < 0.02
    assert (prevalence["seed_low"] <= prevalence["mean"] + 1e-9).all()
    assert (prevalence["mean"] <= prevalence["seed_high"] + 1e-9).all()


@pytest.mark.workflow
def test_the_model_records_its_units_and_the_evidence_for_its_k(small_runs):
    results = small_runs[0] / "first" / "results"
    model = json.loads((results / "models" / "topics" / "model.json").read_text())
    choice = json.loads((results / "topics" / "choice.json").read_text())
    documents = pd.read_parquet(results / "topics" / "documents.parquet")
    assert model["n_documents"] == documents["doc_id"].nunique() == 2
    assert model["n_segments"] == len(documents)
    assert 2 <= model["passes"] <= model["max_passes"] == 10 and model["pass_tolerance"] > 0
    assert model["k_evidence"] == choice["k_evidence"] in ("none", "stability_over_shuffled_null")
    selection = pd.read_csv(results / "tables" / "topics_model_selection.csv")
    assert choice["beats_null"] == selection.loc[selection["beats_null"], "k"].tolist()


@pytest.mark.workflow
def test_the_topic_stage_gives_identical_bytes_in_two_fresh_runs_however_split(small_runs):
    tmp_path, hashes = small_runs
    first = hashes[0]
    assert first == hashes[1]
    sweep_jobs = sorted((tmp_path / "second" / "results" / "topics" / "sweep").glob("*.json"))
    # 6 parts, then 2 jobs (sweep_jobs over the 2 K) fit the replicates the pilots ask for
    assert [p.name for p in sweep_jobs].count("extra0.json") == 1 and len(sweep_jobs) == 8
    assert sum(name.startswith("results/tables/") for name in first) == 6
    assert sum(name.startswith("results/figures/") for name in first) == 6
    assert "results/models/topics/lda.gensim" in first
    selection = pd.read_csv(
        tmp_path / "first" / "results" / "tables" / "topics_model_selection.csv"
    )
    assert selection["k"].tolist() == [2, 3]
    assert selection["rule_k"].sum() == 1 and selection["chosen"].sum() == 1
    choice = json.loads((tmp_path / "first" / "results" / "topics" / "choice.json").read_text())
    assert selection.loc[selection["chosen"], "k"].item() == choice["k"] == choice["rule_k"]
    terms = pd.read_csv(tmp_path / "first" / "results" / "tables" / "topics_terms.csv")
    assert terms["topic"].nunique() == choice["k"]
    assert {"flag", "recurrence", "nmf_jaccard", "exclusivity"} <= set(terms.columns)
    passages = pd.read_csv(tmp_path / "first" / "results" / "tables" / "topics_passages.csv")
    results = tmp_path / "first" / "results"
    source = json.loads((results / "tokens" / "kollontai-ocr.json").read_text())["source_text"]
    text = (tmp_path / "first" / source).read_text(encoding="utf-8")
    row = passages[passages["doc_id"] == "kollontai-ocr"].iloc[0]
    assert row["text"] == " ".join(text[row["start"] : row["end"]].split())


@pytest.mark.workflow
def test_a_k_the_texts_cannot_support_is_refused_at_startup(tmp_path, monkeypatch):
    """K against the segments estimated from the analysed files' words: K = 90 (98 segments,
    78 in a replicate's training set) stops the run while the workflow is parsed (a dry run),
    before any job, naming the keys to change."""
    monkeypatch.setenv("PYTHONPATH", str(REPO / "src"))
    workdir = copy_project(tmp_path / "run")
    (workdir / "big.yaml").write_text("topics:\n  k_max: 90\n")
    result = run_snakemake(
        workdir, "-n", "--configfile", "config/config.yaml", "big.yaml", check=False
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "CF602" in output and "give about 98 segments" in output
    assert "topics.k_max" in output
    assert not (workdir / "results" / "ingest").exists()


def shuffled_study(workdir, seed=1):
    """This study's analysed texts as raw words shuffled across both, refilled into two
    documents with the originals' lines and words per line (so paragraphs and lengths are the
    originals'), with a manifest and a config naming them: a corpus set up by config alone."""
    import numpy as np

    config = study_config(REPO / "config" / "config.yaml")
    manifest = read_manifest(REPO / config["manifest"])
    ids = analysis_ids(manifest)
    lines = {
        d: (REPO / manifest[d]["path"]).read_text(encoding=manifest[d]["encoding"]).splitlines()
        for d in ids
    }
    words = np.array([w for d in ids for line in lines[d] for w in line.split()], dtype=object)
    words = words[np.random.default_rng(seed).permutation(len(words))]
    rows, at = [], 0
    (workdir / "shuffled").mkdir()
    for d in ids:
        out = []
        for line in lines[d]:
            n = len(line.split())
            out.append(" ".join(words[at : at + n]))
            at += n
        (workdir / "shuffled" / f"{d}.txt").write_text("\n".join(out) + "\n", encoding="utf-8")
        group = manifest[d]["group"]
        rows.append(
            f"{d}\tshuffled/{d}.txt\t{d} shuffled\tnone\t2026\t{group}\tanalysis\tutf-8\tfalse"
        )
    header = "doc_id\tpath\ttitle\tauthor\tyear\tgroup\trole\tencoding\tocr"
    (workdir / "shuffled.tsv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    (workdir / "shuffled.yaml").write_text("manifest: shuffled.tsv\n", encoding="utf-8")


@pytest.mark.workflow
def test_the_studys_words_shuffled_into_two_documents_have_no_topic_structure(tmp_path):
    """Issue #22: on this study's words shuffled into two documents of the original lengths
    (set up by config alone), the K rule says there is no topic structure beyond chance."""
    workdir = copy_project(tmp_path / "shuffled-run")
    shuffled_study(workdir)
    target = "results/tables/topics_model_selection.csv"
    args = (target, "--configfile", "config/config.yaml", "shuffled.yaml")
    run_snakemake(workdir, *args, env={"PYTHONPATH": str(REPO / "src")})
    choice = json.loads((workdir / "results" / "topics" / "choice.json").read_text())
    assert choice["k_evidence"] == "none" and choice["beats_null"] == []
