"""Shards of the per-document stages: the plan, the records, and the workflow's jobs and bytes.

The workflow tests run the real Snakemake on the real corpus at several shard sizes and hold
every per-document file and table to the bytes of the default (one-shard) run, the suite's
shared ``workflow_run``.
"""

import importlib.util
import json
import re
from pathlib import Path

import pytest

from corpusflow.shards import (
    ShardFiles,
    ShardPlan,
    doc_files,
    input_mb,
    plan_shards,
    record_path,
    shard_names,
    shard_record,
)
from tests.conftest import (
    ALL_DOCS,
    ANALYSIS_DOCS,
    REPO,
    SHARD_TARGETS,
    copy_project,
    run_snakemake,
    shards_config,
)


def test_shards_are_consecutive_runs_in_manifest_order_up_to_the_size():
    sizes = {"a": 40, "b": 30, "c": 30, "d": 100, "e": 10}
    assert plan_shards(sizes, 70) == [["a", "b"], ["c"], ["d"], ["e"]]
    assert plan_shards(sizes, 1000) == [["a", "b", "c", "d", "e"]]
    # a document larger than the size is a shard alone; none is ever dropped or reordered
    assert plan_shards(sizes, 1) == [[d] for d in sizes]


def test_the_plan_depends_on_order_and_sizes_only():
    sizes = {f"d{i}": (i * 7919) % 500 + 1 for i in range(200)}
    first, second = ShardPlan(sizes, 0.002), ShardPlan(dict(sizes), 0.002)
    assert first.documents == second.documents
    assert [d for docs in first.documents.values() for d in docs] == list(sizes)
    assert all(sum(sizes[d] for d in docs) <= 2000 or len(docs) == 1
               for docs in first.documents.values())  # fmt: skip


def test_shard_names_sort_in_shard_order():
    assert shard_names(3) == ["shard-000", "shard-001", "shard-002"]
    names = shard_names(12345)
    assert names == sorted(names) and names[-1] == "shard-12344"


def test_records_of_the_shards_that_hold_documents():
    plan = ShardPlan({"a": 10, "b": 10, "c": 10}, 15e-6)
    assert plan.records("tokens", ["c", "a"]) == [
        record_path("tokens", "shard-000"),
        record_path("tokens", "shard-002"),
    ]
    assert doc_files("clean", ".txt", ["c", "a"]) == ["results/clean/c.txt", "results/clean/a.txt"]


class _Inputs(dict):
    """Named inputs as a rule's input is: by attribute and by ``get``."""

    __getattr__ = dict.__getitem__


def test_a_stage_reads_the_files_of_params_in_place_of_their_records():
    records = [record_path("tokens", "shard-000")]
    inputs = _Inputs(tokens=records, choice="results/calibration/keyness_test.json")
    files = {"tokens": doc_files("tokens", ".parquet", ["a", "b"])}
    view = ShardFiles(inputs, files)
    assert view.tokens == ["results/tokens/a.parquet", "results/tokens/b.parquet"]
    assert view.get("tokens") == view.tokens
    assert view.choice == view.get("choice") == "results/calibration/keyness_test.json"
    assert view.get("labels") is None


def test_a_record_counts_as_the_files_it_lists(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = []
    for name, size in (("a", 3000), ("b", 5000)):
        path = Path("results/tokens") / f"{name}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
        files.append(str(path))
    record = Path(record_path("tokens", "shard-000"))
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps(shard_record(files)))
    plain = Path("table.csv")
    plain.write_bytes(b"y" * 1000)
    assert input_mb([str(record), str(plain)]) == pytest.approx(9000 / 2**20)
    # a missing input names itself, so Snakemake waits for it ("to be determined")
    with pytest.raises(FileNotFoundError) as missing:
        input_mb([record_path("tokens", "shard-001")])
    assert missing.value.filename == record_path("tokens", "shard-001")


# --- the real workflow ---------------------------------------------------------------------
PER_DOCUMENT = ("ingest", "clean", "tokens", "segments")
#: Bookkeeping that legitimately differs between runs or between shard plans.
NOT_COMPARED = re.compile(r"^(logs|benchmarks)/|/shards/")


def compared_files(results: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(results)): path.read_bytes()
        for path in sorted(results.rglob("*"))
        if path.is_file() and not NOT_COMPARED.search(str(path.relative_to(results)))
    }


def assert_same_bytes_in_shard_jobs(workflow_run, workdir, config, jobs):
    """``workdir``'s run with ``config`` planned ``jobs`` jobs for each per-document stage and
    wrote the files of the default run in one shard (the shared ``workflow_run``, which also
    runs every later stage), with the same bytes, but for the shard records: every file of
    the per-document stages and each file of those after them that it wrote."""
    plan = run_snakemake(workdir, *SHARD_TARGETS, *config, "-n", "-q", "rules", "--forceall")
    table = plan.stdout + plan.stderr
    for rule in ("ingest", "clean", "tokenise"):
        assert re.search(rf"^{rule}\s+{jobs}$", table, re.MULTILINE), table
    expected = compared_files(workflow_run / "results")
    assert len(list((workflow_run / "results" / "tokens" / "shards").iterdir())) == 1
    assert len(list((workdir / "results" / "tokens" / "shards").iterdir())) == jobs
    actual = compared_files(workdir / "results")
    for stage in PER_DOCUMENT:
        files = sorted(name for name in expected if name.startswith(f"{stage}/"))
        assert files and files == sorted(name for name in actual if name.startswith(f"{stage}/"))
    for target in SHARD_TARGETS:
        assert target.removeprefix("results/") in actual, target
    assert sorted(set(actual) - set(expected)) == []
    assert [name for name in actual if actual[name] != expected[name]] == []


@pytest.mark.workflow
def test_outputs_are_the_same_bytes_with_each_document_a_shard(workflow_run, sharded_run):
    """0.05 MB: every document of this corpus is larger, so each is a shard of its own (5)."""
    assert_same_bytes_in_shard_jobs(workflow_run, *sharded_run, jobs=5)


@pytest.mark.workflow
def test_outputs_are_the_same_bytes_with_witnesses_in_another_shard(workflow_run, tmp_path):
    """0.12 MB: the OCR text alone, its three witnesses together, the commentary (3 shards),
    so a document's witnesses sit in another shard."""
    workdir = copy_project(tmp_path / "project")
    config = shards_config(workdir, "0.12")
    run_snakemake(workdir, *SHARD_TARGETS, *config)
    assert_same_bytes_in_shard_jobs(workflow_run, workdir, config, jobs=3)


@pytest.mark.workflow
def test_each_shard_record_lists_its_documents_files(workflow_run):
    results = workflow_run / "results"
    record = json.loads((results / "tokens" / "shards" / "shard-000.json").read_text())
    assert sorted(record["files"]) == sorted(
        doc_files("tokens", ".parquet", ALL_DOCS) + doc_files("tokens", ".json", ALL_DOCS)
    )
    segments = json.loads((results / "segments" / "shards" / "shard-000.json").read_text())
    assert sorted(segments["files"]) == sorted(doc_files("segments", ".parquet", ANALYSIS_DOCS))
    entry = record["files"]["results/tokens/kollontai-ocr.parquet"]
    assert entry["bytes"] == (results / "tokens" / "kollontai-ocr.parquet").stat().st_size


def load_planning():
    spec = importlib.util.spec_from_file_location("planning", REPO / "benchmarks" / "planning.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.workflow
def test_two_thousand_small_documents_plan_few_jobs(tmp_path):
    """Issue 26: 2,000 small documents plan at most 60 jobs; a shard size that cuts them in
    shards of ~100 documents plans one job per shard for each per-document stage."""
    planning = load_planning()
    default = planning.synthetic_corpus(tmp_path / "default", 2000)
    output = run_snakemake(tmp_path / "default", "--configfile", "config/config.yaml",
                           str(default), "--dry-run", "--quiet", "rules")  # fmt: skip
    table = output.stdout + output.stderr
    assert planning.planned_jobs(table) <= 60
    for rule in ("ingest", "clean", "tokenise", "segment"):
        assert re.search(rf"^{rule}\s+1$", table, re.MULTILINE), table
    sharded = planning.synthetic_corpus(tmp_path / "sharded", 2000, workflow={"shard_mb": 0.015})
    output = run_snakemake(tmp_path / "sharded", "--configfile", "config/config.yaml",
                           str(sharded), "--dry-run", "--quiet", "rules")  # fmt: skip
    table = output.stdout + output.stderr
    for rule in ("ingest", "clean", "tokenise", "segment"):
        assert re.search(rf"^{rule}\s+(19|20)$", table, re.MULTILINE), table
