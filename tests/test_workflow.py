"""End-to-end: the real workflow on the real corpus, and bad input stopping it before any job."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpusflow.io import read_parquet, read_parquets
from tests.conftest import (
    ALL_DOCS,
    ANALYSIS_DOCS,
    REPO,
    REPORT_ARGS,
    copy_project,
    run_output,
    run_snakemake,
)
from tests.test_parse import dry_run_imports

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
    result = run_snakemake(
        workflow_run, "--dry-run", "--configfile", "config/config.yaml", "bigger-segments.yaml"
    )
    output = result.stdout + result.stderr
    assert "rule segment:" in output
    assert "rule tokenise:" not in output and "rule ingest:" not in output


def scheduled_rules(output: str) -> set[str]:
    """The rules a dry run's output schedules."""
    return set(re.findall(r"^rule (\w+):", output, re.MULTILINE))


@pytest.mark.parametrize(
    ("module", "reran", "kept"),
    [
        ("segment.py", {"segment"}, {"ingest", "clean", "tokenise"}),
        ("io.py", {"ingest", "clean", "tokenise", "segment"}, set()),
        # keyness -> terms -> phrases: found from the imports, listed nowhere
        ("phrases.py", {"keyness", "topics_documents", "explorer"}, {"tokenise", "segment"}),
    ],
)
def test_editing_a_package_module_reruns_exactly_the_rules_that_import_it(
    workflow_run, tmp_path, module, reran, kept
):
    edited = tmp_path / "src"
    shutil.copytree(REPO / "src", edited)
    path = edited / "corpusflow" / module
    path.write_text(path.read_text() + "\n# an edit that changes the module's fingerprint\n")
    result = run_snakemake(workflow_run, "--dry-run", env={"PYTHONPATH": str(edited)})
    scheduled = scheduled_rules(result.stdout + result.stderr)
    assert reran <= scheduled and not kept & scheduled, sorted(scheduled)


def test_a_raw_file_changed_under_an_older_time_stamp_reruns(workflow_run):
    """tar, rsync -a and cp -p keep a file's old time stamp: its bytes still rerun ingest."""
    raw = workflow_run / "corpus" / "kollontai-web.txt"
    original, stat = raw.read_bytes(), raw.stat()
    try:
        raw.write_bytes(original.replace(b"the", b"thE", 1))
        os.utime(raw, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10**12))
        changed = run_snakemake(workflow_run, "--dry-run")
    finally:
        raw.write_bytes(original)
        os.utime(raw, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "rule ingest:" in changed.stdout + changed.stderr
    again = run_snakemake(workflow_run, "--dry-run")
    assert "Nothing to be done" in again.stdout + again.stderr


def test_editing_a_rule_script_reruns_its_jobs_and_nothing_upstream(workflow_run):
    """The profile turns Snakemake's own `code` trigger off, so this holds only because each
    rule's fingerprint (`rule_code`) covers its script."""
    script = workflow_run / "workflow" / "scripts" / "segment.py"
    original = script.read_bytes()
    try:
        script.write_bytes(original + b"\n# an edit that changes the script's fingerprint\n")
        result = run_snakemake(workflow_run, "--dry-run")
    finally:
        script.write_bytes(original)
    output = result.stdout + result.stderr
    assert "rule segment:" in output
    assert "rule tokenise:" not in output and "rule ingest:" not in output
    again = run_snakemake(workflow_run, "--dry-run")
    assert "Nothing to be done" in again.stdout + again.stderr


def test_a_no_op_rerun_imports_neither_nbformat_nor_jsonschema(workflow_run):
    """About 0.1 s of every no-op rerun: Snakemake's `code` trigger (off in the profile)
    imports nbformat, which imports jsonschema, and the config and manifest passed their schema
    checks before (remembered under .snakemake/corpusflow/)."""
    imported = dry_run_imports(workflow_run)
    assert sorted(imported & {"nbformat", "jsonschema"}) == []


def test_each_per_document_stage_is_one_job_with_a_stable_rule_name(workflow_run):
    """ingest, clean, tokenise and segment run one job each over all their documents, so a
    rule name (for --set-resources RULE:...) never depends on the corpus's size."""
    result = run_snakemake(workflow_run, "--dry-run", "--forceall", "--quiet", "rules")
    output = result.stdout + result.stderr
    for rule in ("ingest", "clean", "tokenise", "segment"):
        assert re.search(rf"^{rule}\s+1$", output, re.MULTILINE), output
    assert "_batch" not in output


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
    result = run_snakemake(workdir, "--configfile", "config/config.yaml", "mine.yaml", check=False)
    assert_stopped(workdir, result, "config key segments: unknown key", "target_token")


def test_wrong_config_type_stops_the_run(tmp_path):
    workdir = copy_project(tmp_path / "project")
    (workdir / "mine.yaml").write_text("tokenise:\n  batch_size: many\n")
    result = run_snakemake(workdir, "--configfile", "config/config.yaml", "mine.yaml", check=False)
    assert_stopped(workdir, result, "tokenise.batch_size: 'many' is not of type 'integer'")


def test_missing_spacy_pipeline_stops_the_run(tmp_path):
    workdir = copy_project(tmp_path / "project")
    (workdir / "mine.yaml").write_text("tokenise:\n  pipeline: en_core_web_nonexistent\n")
    result = run_snakemake(workdir, "--configfile", "config/config.yaml", "mine.yaml", check=False)
    assert_stopped(workdir, result, "'en_core_web_nonexistent' is not installed")


def test_wrong_encoding_fails_the_first_job_that_reads_the_file(tmp_path):
    workdir = copy_project(tmp_path / "project")
    # Long enough for the startup bound on a keyness side's segments (CF217).
    text = "Caf\u00e9\n" + "A line of text.\n" * 100
    (workdir / "corpus" / "olivier-commentary.txt").write_bytes(text.encode("latin-1"))
    # The ingest job of the shard holding the document (the corpus is one shard by default).
    result = run_snakemake(workdir, "results/ingest/shards/shard-000.json", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "corpus/olivier-commentary.txt, line 1, column 4" in output, output
    assert not (workdir / "results" / "ingest" / "shards" / "shard-000.json").exists()
    assert not (workdir / "results" / "ingest" / "olivier-commentary.txt").exists()


def test_empty_document_stops_the_run_before_any_job(tmp_path):
    workdir = copy_project(tmp_path / "project")
    (workdir / "corpus" / "olivier-commentary.txt").write_text("\n  \n" * 400)
    result = run_snakemake(workdir, check=False)
    assert_stopped(workdir, result, "CF212", "olivier-commentary.txt: the document is empty")
    assert "Traceback" not in result.stdout + result.stderr


def test_a_utf16_file_declared_utf8_stops_the_run_naming_the_encoding_to_declare(tmp_path):
    workdir = copy_project(tmp_path / "project")
    path = workdir / "corpus" / "olivier-commentary.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    result = run_snakemake(workdir, check=False)
    assert_stopped(workdir, result, "CF211", "set its encoding column to utf-16")
    edit_manifest(workdir, "commentary\tanalysis\tutf-8", "commentary\tanalysis\tutf-16")
    assert run_snakemake(workdir, "--dry-run").returncode == 0


def test_every_config_and_manifest_mistake_is_reported_in_one_run(tmp_path):
    workdir = copy_project(tmp_path / "project")
    (workdir / "mine.yaml").write_text(
        "segments:\n  target_token: 300\ntokenise:\n  batch_size: many\n"
    )
    result = run_snakemake(workdir, "--configfile", "config/config.yaml", "mine.yaml", check=False)
    assert_stopped(workdir, result, "2 problems", "target_token", "'many' is not of type")
    edit_manifest(workdir, "\tcommentary\tanalysis", "\tcomentary\tanalysis")
    edit_manifest(workdir, "kollontai-web\tcorpus/kollontai-web.txt", "kollontai-web\tnone.txt")
    result = run_snakemake(workdir, check=False)
    assert_stopped(workdir, result, "2 problems", "unknown group 'comentary'", "'none.txt' not")


def plain_snakemake(workdir, *args: str) -> subprocess.CompletedProcess:
    """Snakemake run in ``workdir`` with no flag but ``args``, as a catalog user runs it."""
    command = [sys.executable, "-m", "snakemake", *args]
    return subprocess.run(command, cwd=workdir, capture_output=True, text=True)


def test_plain_snakemake_in_a_clone_runs_this_study(tmp_path):
    """The catalog's usage: `snakemake --cores all` in the clone, no profile or config flags."""
    workdir = copy_project(tmp_path / "project")
    result = plain_snakemake(workdir, "--cores", "all", "--dry-run")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "rule ingest:" in result.stdout + result.stderr


def test_the_workflow_runs_as_a_module_of_another_workflow(tmp_path):
    """A catalog user's own Snakefile with a `module` block and its own config (docs/usage)."""
    workdir = tmp_path / "mine"
    shutil.copytree(REPO / "config", workdir / "config")
    shutil.copytree(REPO / "corpus", workdir / "corpus")
    (workdir / "Snakefile").write_text(
        'configfile: "config/config.yaml"\n\n\n'
        f"module corpusflow:\n    snakefile:\n        {str(REPO / 'Snakefile')!r}\n"
        "    config:\n        config\n\n\nuse rule * from corpusflow\n"
    )
    result = plain_snakemake(workdir, "--cores", "1", "--dry-run")
    assert result.returncode == 0, result.stderr[-3000:]
    assert {"ingest", "keyness", "topics_documents"} <= scheduled_rules(
        result.stdout + result.stderr
    )


def test_worked_example_runs_in_its_own_folder_and_mentions_only_its_own_corpus(tmp_path):
    """`make analysis PROJECT=examples/web-vs-commentary`: the example's own config, results and
    report, with nothing of the default study (its other documents, group labels, phrases)."""
    workdir = copy_project(tmp_path / "project")
    example = workdir / "examples" / "web-vs-commentary"
    run_snakemake(workdir, *REPORT_ARGS, project=example)
    results = example / "results"
    assert not (workdir / "results" / "tables").exists()
    segments = read_parquets(sorted((results / "segments").glob("*.parquet")))
    assert set(segments["doc_id"]) == {"kollontai-web", "olivier-commentary"}
    outside = [doc for doc in ALL_DOCS if doc not in ("kollontai-web", "olivier-commentary")]
    study_only = [*outside, "The Workers' Opposition (1921)", "workers' opposition"]
    texts = {
        path.name: path.read_text(encoding="utf-8")
        for path in [*results.glob("tables/*.csv"), *results.glob("figures/*.svg")]
    }
    texts["report.html"] = decoded_report(results / "report.html")
    texts["provenance.json"] = (results / "provenance.json").read_text(encoding="utf-8")
    for name, text in texts.items():
        for phrase in study_only:
            assert phrase not in text, f"{name} mentions {phrase!r}"
    assert "pamphlet" in texts["report.html"]


def decoded_report(path: Path) -> str:
    """The report page with every embedded (base64) file decoded, so tables can be searched."""
    html = path.read_text(encoding="utf-8")
    blobs = re.findall(r"base64,([A-Za-z0-9+/=]+)", html)
    return html + "".join(base64.b64decode(blob).decode("utf-8", "replace") for blob in blobs)


START = re.compile(r"^\[\d\d:\d\d:\d\d\] start   (\w+)(?: \(\d+ threads\))?$")
DONE = re.compile(r"^\[\d\d:\d\d:\d\d\] done    (\w+) in \d+ s  ·  (\d+) of (\d+) steps \(\d+%\)$")


def test_a_run_prints_one_line_as_each_job_starts_and_one_as_it_ends(workflow_run):
    """The corpusflow logger plugin (workflow profile): no file lists, no shell commands."""
    lines = run_output(workflow_run).read_text(encoding="utf-8").splitlines()
    started = [m.group(1) for line in lines if (m := START.match(line))]
    done = [m.groups() for line in lines if (m := DONE.match(line))]
    assert len(started) >= 15 and sorted(started) == sorted(rule for rule, _, _ in done)
    assert [int(step) for _, step, _ in done] == list(range(1, len(done) + 1))
    assert done[-1][1] == done[-1][2]
    chatter = ("input:", "output:", "Shell command", "Select jobs", "Warning", "jobid")
    assert not [line for line in lines if any(word in line for word in chatter)]
