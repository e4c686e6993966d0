"""The HTML report and the provenance record, checked as a reviewer would use them."""

from __future__ import annotations

import json

import pytest

from corpusflow.provenance import sha256_file

pytestmark = pytest.mark.workflow


def test_provenance_fingerprints_every_table_and_figure(workflow_run):
    record = json.loads((workflow_run / "results" / "provenance.json").read_text())
    produced = sorted(
        str(path.relative_to(workflow_run))
        for folder in ("tables", "figures")
        for path in (workflow_run / "results" / folder).iterdir()
    )
    produced = sorted([*produced, "results/explorer.html"])
    assert sorted(record["outputs"]) == produced
    for path, digest in record["outputs"].items():
        assert sha256_file(workflow_run / path) == digest
    raw = record["raw_inputs"]["kollontai-ocr"]
    assert raw["sha256"] == sha256_file(workflow_run / "corpus" / "kollontai-ocr.txt")
    assert record["software"]["packages"]["spacy"] != "not installed"
    assert record["spacy_pipeline"]["requested"] == "embedded"
    assert record["config"]["segments"]["target_tokens"] == 250
    assert str(workflow_run) not in json.dumps(record), "absolute paths make provenance unportable"


def test_corpus_overview_counts_match_the_token_tables(workflow_run):
    import pandas as pd

    from corpusflow.io import read_parquet

    overview = pd.read_csv(workflow_run / "results" / "tables" / "corpus_overview.csv")
    assert overview["doc_id"].tolist()[0] == "kollontai-ocr"
    for row in overview.itertuples():
        tokens = read_parquet(workflow_run / "results" / "tokens" / f"{row.doc_id}.parquet")
        assert row.tokens == len(tokens)
        assert row.words == tokens["is_alpha"].sum()
    witnesses = overview[overview["role"] == "witness"]
    assert (witnesses["segments"] == 0).all()


def test_report_opens_in_a_real_browser_and_shows_every_figure(workflow_run, browser):
    report = workflow_run / "results" / "report.html"
    figures = sorted(p.name for p in (workflow_run / "results" / "figures").glob("*.png"))
    assert figures, "no figures to show"
    problems = []
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.goto(report.as_uri())
    categories = [
        page.get_by_role("link", name=name)
        for name in ("1. Corpus", "2. Cleaning", "3. Keyness", "4. Topics")
        if page.get_by_role("link", name=name).count()
    ]
    shown = []
    for category in range(len(categories)):
        page.goto(report.as_uri())
        categories[category].click()
        for name in figures:
            entry = page.get_by_text(f"results/figures/{name}", exact=True)
            if not entry.count():
                continue
            entry.locator("xpath=ancestor::tr[1]").locator("a[iconname=eye]").click()
            image = page.locator("img[src^='data:image/png']").last
            image.wait_for(state="visible")
            assert image.evaluate("img => img.complete && img.naturalWidth > 300"), name
            shown.append(name)
            page.go_back()
    page.close()
    assert problems == []
    assert sorted(shown) == figures


def test_two_runs_from_scratch_in_different_folders_give_identical_bytes(workflow_run, resumed_run):
    # The second run (conftest.resumed_run) was killed mid-way and resumed: shared with
    # tests/test_hostile_workflow.py instead of a third run of the whole workflow.
    second = resumed_run[0]
    for folder in ("tables", "figures"):
        first_files = sorted(p.name for p in (workflow_run / "results" / folder).iterdir())
        second_files = sorted(p.name for p in (second / "results" / folder).iterdir())
        assert first_files == second_files
        for name in first_files:
            a = (workflow_run / "results" / folder / name).read_bytes()
            b = (second / "results" / folder / name).read_bytes()
            assert a == b, f"results/{folder}/{name} differs between two runs"
    assert (workflow_run / "results" / "provenance.json").read_bytes() == (
        second / "results" / "provenance.json"
    ).read_bytes()


def test_a_run_ends_naming_the_report_and_the_explorer(workflow_run):
    from tests.conftest import run_output

    last = run_output(workflow_run).read_text(encoding="utf-8").strip().splitlines()[-1]
    assert "results/report.html" in last and "results/explorer.html" in last, last
