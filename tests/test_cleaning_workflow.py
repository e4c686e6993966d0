"""End-to-end: the cleaning rules in the real workflow on the real corpus."""

from __future__ import annotations

import pandas as pd
import pytest

from corpusflow.cleaning.edits import Edit, apply_edits
from corpusflow.cleaning.stage import WORD_RULES, read_corrections_log
from corpusflow.io import read_parquet
from tests.conftest import ALL_DOCS, run_snakemake

pytestmark = pytest.mark.workflow


def test_cleaned_files_equal_ingested_files_plus_their_logs(workflow_run):
    for doc_id in ALL_DOCS:
        ingested = (workflow_run / "results" / "ingest" / f"{doc_id}.txt").read_text("utf-8")
        cleaned = (workflow_run / "results" / "clean" / f"{doc_id}.txt").read_text("utf-8")
        log = read_corrections_log(workflow_run / "results" / "clean" / f"{doc_id}.corrections.tsv")
        edits = [Edit(r.ingest_start, r.ingest_end, r.after) for r in log.itertuples()]
        assert apply_edits(ingested, edits) == cleaned, doc_id
        assert "\n\n\n" not in cleaned and cleaned.endswith("\n") and not cleaned.endswith("\n\n")


def test_tokens_come_from_the_cleaned_text(workflow_run):
    tokens = read_parquet(workflow_run / "results" / "tokens" / "kollontai-ocr.parquet")
    words = set(tokens["lower"])
    assert "homogeneous" in words and "geneous" not in words
    assert "opposition" in words and "apportion" not in words
    assert tokens["paragraph"].nunique() > 100  # joined lines, not one paragraph per OCR line


def test_summary_counts_every_logged_change(workflow_run):
    summary = pd.read_csv(workflow_run / "results" / "tables" / "cleaning_summary.csv")
    for doc_id in ALL_DOCS:
        log = read_corrections_log(workflow_run / "results" / "clean" / f"{doc_id}.corrections.tsv")
        counted = summary.loc[summary["doc_id"] == doc_id, "changes"].sum()
        assert counted == len(log), doc_id
    commentary = summary[summary["doc_id"] == "olivier-commentary"]
    assert not set(commentary["rule"]) & set(WORD_RULES)


def test_disabling_the_curated_table_reruns_cleaning_and_what_follows(workflow_run, tmp_path):
    override = tmp_path / "no-curated.yaml"
    override.write_text('cleaning:\n  corrections_table: ""\n')
    result = run_snakemake(
        workflow_run, "--dry-run", "--configfile", "config/config.yaml", str(override)
    )
    output = result.stdout + result.stderr
    assert "rule clean:" in output and "rule tokenise:" in output
    assert "rule ingest:" not in output
