"""The scaling benchmark's corpus builder and log parser (the runs themselves are not tested)."""

import csv
import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scaling():
    spec = importlib.util.spec_from_file_location("scaling", REPO / "benchmarks" / "scaling.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_manifest(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_build_corpus_copies_every_document_with_its_own_witnesses(scaling, tmp_path):
    (tmp_path / "config").mkdir()
    original = read_manifest(REPO / "config" / "corpus.tsv")
    manifest = scaling.build_corpus(tmp_path, REPO / "config" / "corpus.tsv", copies=3)
    rows = read_manifest(manifest)

    assert len(rows) == 3 * len(original)
    assert len({row["doc_id"] for row in rows}) == len(rows)
    assert [row["doc_id"] for row in rows[: len(original)]] == [r["doc_id"] for r in original]
    by_id = {row["doc_id"]: row for row in rows}
    for position, row in enumerate(rows):
        source = original[position % len(original)]
        assert (tmp_path / row["path"]).read_bytes() == (REPO / source["path"]).read_bytes()
        suffix = row["doc_id"][len(source["doc_id"]) :]
        witnesses = list(filter(None, row["witnesses"].split(";")))
        assert len(witnesses) == len(list(filter(None, source["witnesses"].split(";"))))
        for witness in witnesses:
            assert witness in by_id
            assert witness.endswith(suffix)


def test_copy_ids_keep_the_real_ids_for_copy_zero(scaling):
    assert scaling.copy_id("kollontai-ocr", 0) == "kollontai-ocr"
    assert scaling.copy_id("kollontai-ocr", 7) == "kollontai-ocr-x007"


def test_fixed_k_overrides_only_when_the_workflow_has_topics(scaling):
    assert scaling.fixed_k_overrides({"manifest": "x"}, 6, 1) == {}
    overrides = scaling.fixed_k_overrides({"topics": {}}, 6, 2)
    assert overrides == {"topics": {"k_min": 6, "k_max": 6, "k": 6, "seeds": 2}}


def test_jobs_from_log_reads_rule_benchmark_and_doc_id(scaling):
    output = (
        "[Sun Nov 22 00:00:59 2026]\n"
        "localrule tokenise:\n"
        "    input: results/clean/a-x001.txt\n"
        "    output: results/tokens/a-x001.parquet\n"
        "    jobid: 4\n"
        "    benchmark: results/benchmarks/tokenise/a-x001.tsv\n"
        "    wildcards: doc_id=a-x001\n"
        "    resources: tmpdir=/tmp, mem_mb=423\n"
        "\n"
        "rule keyness:\n"
        "    jobid: 9\n"
        "    benchmark: results/benchmarks/keyness/keyness.tsv\n"
        "\n"
        "localrule all:\n"
        "    jobid: 0\n"
    )
    assert scaling.jobs_from_log(output) == [
        ("tokenise", "results/benchmarks/tokenise/a-x001.tsv", ("a-x001",)),
        ("keyness", "results/benchmarks/keyness/keyness.tsv", ()),
    ]


def test_jobs_from_log_reads_the_documents_of_a_stage_job_from_its_outputs(scaling):
    output = (
        "rule clean:\n"
        "    input: results/ingest/a.txt, results/ingest/b-x001.txt\n"
        "    output: results/clean/a.txt, results/clean/b-x001.txt, results/clean/a.review.tsv,"
        " results/clean/b-x001.review.tsv\n"
        "    benchmark: results/benchmarks/clean.tsv\n"
    )
    assert scaling.jobs_from_log(output) == [
        ("clean", "results/benchmarks/clean.tsv", ("a", "b-x001")),
    ]


def test_timeline_reads_each_jobs_start_and_end(scaling):
    from datetime import datetime

    output = (
        "[Mon Nov 30 12:55:21 2026]\n"
        "localrule ingest:\n"
        "    input: corpus/a.txt\n"
        "    jobid: 3\n"
        "    benchmark: results/benchmarks/ingest.tsv\n"
        "\n"
        "[Mon Nov 30 12:58:30 2026]\n"
        "Finished jobid: 3 (Rule: ingest)\n"
        "[Mon Nov 30 12:58:30 2026]\n"
        "rule keyness:\n"
        "    jobid: 12\n"
        "\n"
        "[Mon Nov 30 12:58:31 2026]\n"
        "localrule clean:\n"
        "    jobid: 2\n"
        "[Mon Nov 30 13:01:00 2026]\n"
        "Finished jobid: 2 (Rule: clean)\n"
    )
    frame = scaling.timeline(output, datetime(2026, 11, 30, 12, 55, 7))
    assert frame["rule"].tolist() == ["ingest", "keyness", "clean"]
    assert frame["start"].tolist() == [14.0, 203.0, 204.0]
    assert frame["end"].tolist()[0] == 203.0 and frame["end"].tolist()[2] == 353.0
    assert frame["end"].isna().tolist() == [False, True, False]


def test_the_runs_use_the_default_profiles_checksum_setting(scaling, tmp_path):
    profile = tmp_path / "config.yaml"
    profile.write_text("cores: all\nmax-checksum-file-size: 0\nlogger: corpusflow\n")
    assert scaling.profile_arguments(profile) == ["--max-checksum-file-size", "0"]
    profile.write_text("cores: all\n")
    assert scaling.profile_arguments(profile) == []
    # The workflow's own profile sets it: the benchmark measures what a run with it does.
    assert scaling.profile_arguments()[0] == "--max-checksum-file-size"


@pytest.fixture(scope="module")
def planning():
    spec = importlib.util.spec_from_file_location("planning", REPO / "benchmarks" / "planning.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synthetic_corpus_is_small_analysed_documents_of_both_groups(planning, tmp_path):
    configfile = planning.synthetic_corpus(tmp_path, 7, doc_bytes=120, workflow={"shard_mb": 1})
    rows = read_manifest(tmp_path / "config" / "synthetic.tsv")
    assert [row["doc_id"] for row in rows] == [f"doc{i:07d}" for i in range(7)]
    assert [row["group"] for row in rows] == ["kollontai", "commentary"] * 3 + ["kollontai"]
    assert {row["role"] for row in rows} == {"analysis"}
    texts = [(tmp_path / row["path"]).read_text(encoding="utf-8") for row in rows]
    assert all(0 < len(text) <= 121 and text.endswith("\n") for text in texts)
    assert texts[0] != texts[2]  # each group's paragraphs in turn
    assert (tmp_path / configfile).read_text() == (
        "manifest: config/synthetic.tsv\nworkflow:\n  shard_mb: 1\n"
    )


def test_planned_jobs_reads_the_total_of_the_job_table(planning):
    output = "job      count\n-----  -------\ningest       3\ntotal       42\n"
    assert planning.planned_jobs(output) == 42
    with pytest.raises(ValueError):
        planning.planned_jobs("nothing planned")


def test_jobs_from_log_reads_a_shard_jobs_documents_from_its_record(scaling, tmp_path):
    record = tmp_path / "results" / "tokens" / "shards" / "shard-001.json"
    record.parent.mkdir(parents=True)
    files = ["results/tokens/b-x001.parquet", "results/tokens/b-x001.json", "results/tokens/c.json"]
    record.write_text(json.dumps({"files": {name: {"bytes": 1} for name in files}}))
    output = (
        "rule tokenise:\n"
        "    output: results/tokens/shards/shard-001.json\n"
        "    benchmark: results/benchmarks/tokenise/shard-001.tsv\n"
        "    wildcards: shard=shard-001\n"
    )
    jobs = scaling.jobs_from_log(output, lambda path: scaling.record_documents(tmp_path / path))
    assert jobs == [("tokenise", "results/benchmarks/tokenise/shard-001.tsv", ("b-x001", "c"))]
