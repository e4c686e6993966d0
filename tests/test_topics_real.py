"""The topic stage on the real corpus: in-process on real tokens, and as real Snakemake runs."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest
import yaml

from corpusflow import topics
from corpusflow.ingest import ingest_document
from corpusflow.manifest import analysis_ids, read_manifest
from corpusflow.segment import make_segments
from corpusflow.tokenise import load_pipeline, stopword_set, tokenise_text
from tests.conftest import REPO, copy_project, run_snakemake

FAST = {"passes": 20, "iterations": 50}


@pytest.fixture(scope="module")
def real_documents():
    """Bags of words of the real analysed segments, built with the pipeline's own functions."""
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    manifest = read_manifest(REPO / config["manifest"])
    nlp = load_pipeline(config["tokenise"]["pipeline"])
    tokens, segments = [], []
    for doc_id in analysis_ids(manifest):
        row = manifest.loc[doc_id]
        text = ingest_document(REPO / row["path"], encoding=row["encoding"]).text
        doc_tokens = tokenise_text(
            text,
            doc_id,
            nlp,
            lemma_overrides=config["tokenise"]["lemma_overrides"],
            stopwords=stopword_set(nlp, config["tokenise"]["extra_stopwords"]),
        )
        tokens.append(doc_tokens)
        segments.append(make_segments(doc_tokens, doc_id))
    tokens, segments = pd.concat(tokens), pd.concat(segments)
    documents = topics.segment_documents(tokens, segments)
    documents["terms"] = topics.filter_vocabulary(list(documents["terms"]))
    documents["group"] = documents["doc_id"].map(manifest["group"])
    return documents, segments


def test_real_segments_make_a_usable_corpus(real_documents):
    documents, segments = real_documents
    assert len(documents) == len(segments) > 80
    lengths = documents["terms"].map(len)
    assert lengths.min() > 20  # ~250 tokens a segment, a third of them kept
    vocabulary = {t for terms in documents["terms"] for t in terms}
    assert {"union", "bureaucracy", "specialist"} <= vocabulary
    assert not {"the", "of", "and"} & vocabulary
    topics.check_topics_config({"topics": {}}, n_segments=len(documents))


def test_a_topic_of_its_own_for_the_commentary(real_documents):
    """The commentary is another author writing 90 years later: at K = 4 one topic holds most
    of its segments and almost none of Kollontai's."""
    documents, _ = real_documents
    texts = documents["terms"].tolist()
    held = topics.heldout_mask(documents["order"], 5)
    runs = [topics.evaluate_run(texts, held, 4, seed, **FAST) for seed in (1, 2, 3)]
    final = topics.fit_final(texts, runs, 4, **FAST)
    groups = dict(zip(documents["doc_id"], documents["group"], strict=False))
    segments = documents[["segment_id"]].assign(start=0, end=1, n_tokens=0)
    labels, _ = topics.label_topics(final.topics)
    table = topics.segments_table(documents, segments, final.theta, final.order, labels, groups)
    prevalence = topics.prevalence_by_group(table, n_boot=200).set_index(["topic", "group"])
    commentary = prevalence.xs("commentary", level="group")
    own = commentary["mean"].idxmax()
    assert commentary.loc[own, "mean"] > 0.5
    assert prevalence.loc[(own, "kollontai"), "high"] < 0.2


SMALL_SWEEP = """\
topics:
  k_min: 3
  k_max: 4
  seeds: 2
  k: 4
  passes: 20
  iterations: 50
  bootstrap: {n: 200}
"""


def topic_outputs(workdir):
    files = sorted((workdir / "results" / "tables").glob("topics_*.csv"))
    files += sorted((workdir / "results" / "figures").glob("topics_*"))
    files += sorted((workdir / "results" / "models" / "topics").iterdir())
    return {str(p.relative_to(workdir)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.mark.workflow
def test_the_topic_stage_gives_identical_bytes_in_two_fresh_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(REPO / "src"))
    hashes = []
    for name in ("first", "second"):
        workdir = copy_project(tmp_path / name)
        (workdir / "small.yaml").write_text(SMALL_SWEEP)
        targets = [
            "results/tables/topics_model_selection.csv",
            "results/tables/topics_prevalence.csv",
            "results/figures/topics_flow.png",
        ]
        run_snakemake(workdir, *targets, "--configfile", "config/config.yaml", "small.yaml")
        hashes.append(topic_outputs(workdir))
    first = hashes[0]
    assert first == hashes[1]
    assert sum(name.startswith("results/tables/") for name in first) == 6
    assert sum(name.startswith("results/figures/") for name in first) == 6
    assert "results/models/topics/lda.gensim" in first
    selection = pd.read_csv(
        tmp_path / "first" / "results" / "tables" / "topics_model_selection.csv"
    )
    assert selection[["k", "seed"]].values.tolist() == [[3, 1], [3, 2], [4, 1], [4, 2]]
    passages = pd.read_csv(tmp_path / "first" / "results" / "tables" / "topics_passages.csv")
    results = tmp_path / "first" / "results"
    source = json.loads((results / "tokens" / "kollontai-ocr.json").read_text())["source_text"]
    text = (tmp_path / "first" / source).read_text(encoding="utf-8")
    row = passages[passages["doc_id"] == "kollontai-ocr"].iloc[0]
    assert row["text"] == " ".join(text[row["start"] : row["end"]].split())
