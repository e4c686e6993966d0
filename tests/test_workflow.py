"""End-to-end: the real workflow on the real corpus, and bad input stopping it before any job."""

from __future__ import annotations

import hashlib
import json
import shutil

import pandas as pd
import pytest

from corpusflow.io import read_parquet
from tests.conftest import ALL_DOCS, ANALYSIS_DOCS, REPO, copy_project, run_snakemake

pytestmark = pytest.mark.workflow


def test_raw_inputs_are_untouched_and_fingerprinted(workflow_run):
    for doc_id in ALL_DOCS:
        raw = (workflow_run / "corpus" / f"{doc_id}.txt").read_bytes()
        assert raw == (REPO / "corpus" / f"{doc_id}.txt").read_bytes()
        metadata = json.loads((workflow_run / "results" / "ingest" / f"{doc_id}.json").read_text())
        assert metadata["sha256"] == hashlib.sha256(raw).hexdigest()


def test_boilerplate_is_stripped_from_the_iww_edition(workflow_run):
    text = (workflow_run / "results" / "ingest" / "kollontai-iww.txt").read_text()
    assert text.startswith("The Workers Opposition in Russia\n")
    assert "Critics Corner" not in text and "Bakunin" not in text
    assert text.rstrip().endswith("inherent-")


def test_tokens_slice_back_to_the_text_they_came_from(workflow_run):
    for doc_id in ALL_DOCS:
        tokens = read_parquet(workflow_run / "results" / "tokens" / f"{doc_id}.parquet")
        metadata = json.loads((workflow_run / "results" / "tokens" / f"{doc_id}.json").read_text())
        text = (workflow_run / metadata["source_text"]).read_text(encoding="utf-8")
        assert len(tokens) == metadata["tokens"]
        sliced = [text[s:e] for s, e in zip(tokens["start"], tokens["end"], strict=True)]
        assert sliced == tokens["text"].tolist(), doc_id
        assert tokens["index"].tolist() == list(range(len(tokens)))


def test_token_counts_match_the_sizes_of_the_texts(workflow_run):
    # SOURCES.md: ~18,700 words in the OCR edition, ~5,800 in the commentary.
    words = {
        doc_id: int(
            read_parquet(workflow_run / "results" / "tokens" / f"{doc_id}.parquet")[
                "is_alpha"
            ].sum()
        )
        for doc_id in ANALYSIS_DOCS
    }
    assert 17_500 < words["kollontai-ocr"] < 19_500
    assert 5_300 < words["olivier-commentary"] < 6_300


def test_segments_cover_the_analysed_documents_at_the_target_size(workflow_run):
    assert sorted(
        p.stem for p in (workflow_run / "results" / "segments").glob("*.parquet")
    ) == sorted(ANALYSIS_DOCS)
    for doc_id in ANALYSIS_DOCS:
        segments = read_parquet(workflow_run / "results" / "segments" / f"{doc_id}.parquet")
        tokens = read_parquet(workflow_run / "results" / "tokens" / f"{doc_id}.parquet")
        assert segments["n_tokens"].sum() == tokens["is_alpha"].sum()
        assert segments["start"].is_monotonic_increasing
        assert (segments["end"].iloc[:-1].to_numpy() <= segments["start"].iloc[1:].to_numpy()).all()
        assert segments["n_tokens"].between(125, 600).all(), segments["n_tokens"].describe()
        assert abs(segments["n_tokens"].median() - 250) < 60


def test_a_second_run_has_nothing_to_do(workflow_run):
    result = run_snakemake(workflow_run, "--dry-run")
    assert "Nothing to be done" in result.stdout + result.stderr


def test_changing_segment_size_reruns_only_segmentation(workflow_run):
    (workflow_run / "bigger-segments.yaml").write_text("segments:\n  target_tokens: 300\n")
    result = run_snakemake(workflow_run, "--dry-run", "--configfile", "bigger-segments.yaml")
    output = result.stdout + result.stderr
    assert "rule segment:" in output
    assert "rule tokenise:" not in output and "rule ingest:" not in output


def test_editing_a_stage_module_reruns_the_jobs_that_use_it(workflow_run, tmp_path):
    edited = tmp_path / "src"
    shutil.copytree(REPO / "src", edited)
    module = edited / "corpusflow" / "segment.py"
    module.write_text(module.read_text() + "\n# an edit that changes the module's fingerprint\n")
    result = run_snakemake(workflow_run, "--dry-run", env={"PYTHONPATH": str(edited)})
    output = result.stdout + result.stderr
    assert "rule segment:" in output
    assert "rule tokenise:" not in output and "rule ingest:" not in output


def test_batched_jobs_write_the_same_per_document_files(workflow_run, tmp_path):
    """workflow.documents_per_job > 1 runs a stage over several documents per job (rules
    <stage>_batchNNNN) and writes byte-identical per-document files."""
    workdir = copy_project(tmp_path / "batched")
    (workdir / "batched.yaml").write_text("workflow:\n  documents_per_job: 2\n")
    targets = [
        *(f"results/tokens/{doc_id}.parquet" for doc_id in ALL_DOCS),
        *(f"results/segments/{doc_id}.parquet" for doc_id in ANALYSIS_DOCS),
    ]
    result = run_snakemake(workdir, *targets, "--configfile", "batched.yaml")
    output = result.stdout + result.stderr
    assert "rule tokenise_batch0002:" in output and "rule segment_batch0000:" in output
    assert "rule tokenise:" not in output
    per_document = [
        path.relative_to(workflow_run)
        for stage in ("ingest", "clean", "tokens", "segments")
        for path in sorted((workflow_run / "results" / stage).iterdir())
    ]
    assert len(per_document) == 5 * 2 + 5 * 3 + 5 * 2 + 2
    for path in per_document:
        assert (workdir / path).read_bytes() == (workflow_run / path).read_bytes(), path


# --- bad input stops the run before any job ---------------------------------------------------


def stopped_run(tmp_path, *args):
    workdir = copy_project(tmp_path / "project")
    return workdir, run_snakemake(workdir, *args, check=False)


def assert_stopped(workdir, result, *fragments):
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for fragment in fragments:
        assert fragment in output, output
    assert not (workdir / "results" / "ingest").exists(), "a job ran although the input was bad"


def edit_manifest(workdir, old, new):
    path = workdir / "config" / "corpus.tsv"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_missing_raw_file_stops_the_run(tmp_path):
    workdir = copy_project(tmp_path / "project")
    (workdir / "corpus" / "kollontai-web.txt").unlink()
    result = run_snakemake(workdir, check=False)
    assert_stopped(workdir, result, "config/corpus.tsv, line 3 (kollontai-web)", "not found")


def test_unknown_group_stops_the_run(tmp_path):
    workdir = copy_project(tmp_path / "project")
    edit_manifest(workdir, "\tcommentary\tanalysis", "\tcomentary\tanalysis")
    result = run_snakemake(workdir, check=False)
    assert_stopped(workdir, result, "line 6 (olivier-commentary): unknown group 'comentary'")


def test_duplicate_doc_id_stops_the_run(tmp_path):
    workdir = copy_project(tmp_path / "project")
    edit_manifest(workdir, "kollontai-web\tcorpus/", "kollontai-ocr\tcorpus/")
    result = run_snakemake(workdir, check=False)
    assert_stopped(workdir, result, "doc_id 'kollontai-ocr' is used twice")


def test_unknown_config_key_stops_the_run(tmp_path):
    workdir = copy_project(tmp_path / "project")
    (workdir / "mine.yaml").write_text("segments:\n  target_token: 300\n")
    result = run_snakemake(workdir, "--configfile", "mine.yaml", check=False)
    assert_stopped(workdir, result, "config key segments: unknown key", "target_token")


def test_wrong_config_type_stops_the_run(tmp_path):
    workdir = copy_project(tmp_path / "project")
    (workdir / "mine.yaml").write_text("tokenise:\n  batch_size: many\n")
    result = run_snakemake(workdir, "--configfile", "mine.yaml", check=False)
    assert_stopped(workdir, result, "tokenise.batch_size: 'many' is not of type 'integer'")


def test_missing_spacy_pipeline_stops_the_run(tmp_path):
    workdir = copy_project(tmp_path / "project")
    (workdir / "mine.yaml").write_text("tokenise:\n  pipeline: en_core_web_nonexistent\n")
    result = run_snakemake(workdir, "--configfile", "mine.yaml", check=False)
    assert_stopped(workdir, result, "'en_core_web_nonexistent' is not installed")


def test_wrong_encoding_fails_the_first_job_that_reads_the_file(tmp_path):
    workdir = copy_project(tmp_path / "project")
    # Long enough for the startup bound on a keyness side's segments (CF215).
    text = "Caf\u00e9\n" + "A line of text.\n" * 100
    (workdir / "corpus" / "olivier-commentary.txt").write_bytes(text.encode("latin-1"))
    result = run_snakemake(workdir, "results/ingest/olivier-commentary.txt", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "corpus/olivier-commentary.txt, line 1, column 4" in output, output
    assert not (workdir / "results" / "ingest" / "olivier-commentary.txt").exists()


def test_empty_document_fails_without_leaving_output(tmp_path):
    workdir = copy_project(tmp_path / "project")
    # Long enough for the startup bound on a keyness side's segments (CF215).
    (workdir / "corpus" / "olivier-commentary.txt").write_text("\n  \n" * 400)
    result = run_snakemake(workdir, "results/ingest/olivier-commentary.txt", check=False)
    assert result.returncode != 0
    assert "empty or whitespace only" in result.stdout + result.stderr
    assert not (workdir / "results" / "ingest" / "olivier-commentary.txt").exists()


def test_worked_example_of_another_corpus_runs(tmp_path):
    workdir = copy_project(tmp_path / "project")
    example = REPO / "examples" / "web-vs-commentary"
    run_snakemake(workdir, "--configfile", str(example / "config.yaml"))
    segments = pd.concat(
        read_parquet(p) for p in (workdir / "results" / "segments").glob("*.parquet")
    )
    assert set(segments["doc_id"]) == {"kollontai-web", "olivier-commentary"}
