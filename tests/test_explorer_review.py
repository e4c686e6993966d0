"""Review that persists (#25 item 1), tried in Chromium as a reviewer would.

Decisions are kept in the browser under the page's data hash and restored on reload; every
decision, rejections included, is exported as config/review_decisions.tsv rows that the cleaning
stage's reader parses; a decisions file imported into a fresh browser restores them; the page
shows how many decisions are not yet exported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpusflow.cleaning.curated import read_corrections
from corpusflow.cleaning.review import read_review_decisions
from tests.test_explorer import exportable_rows, select_document

pytestmark = pytest.mark.workflow

DOC = "kollontai-ocr"


@pytest.fixture(scope="module")
def exportable(page_path) -> list[int]:
    """Queue rows of DOC whose acceptance the page exports (tests.test_explorer)."""
    return exportable_rows(page_path.parents[1], DOC)[2]


def open_review(context, path: Path, problems: list):
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready]")
    page.click("#tab-cleaning")
    select_document(page, DOC)
    return page


def queue_rows(page, indices: list[int]) -> list:
    rows = page.locator('[data-testid="queue-row"]')
    return [rows.nth(i) for i in indices[:3]]


def decided(page, indices: list[int]) -> list:
    return [row.get_attribute("data-decision") for row in queue_rows(page, indices)]


def unexported(page) -> str:
    return page.locator("#unexported").get_attribute("data-unexported")


def test_decisions_survive_a_reload_export_whole_and_import_back(
    page_path, exportable, browser, tmp_path
):
    problems = []
    context = browser.new_context(accept_downloads=True)
    page = open_review(context, page_path, problems)
    rows = queue_rows(page, exportable)
    rows[0].get_by_test_id("decision-accept").click()
    rows[1].get_by_test_id("decision-reject").click()
    assert decided(page, exportable) == ["accept", "reject", None]
    assert unexported(page) == "2"
    assert "accepted" in rows[0].inner_text()  # said in words, not by colour alone

    page.reload()
    page.wait_for_selector("body[data-ready]")
    page.click("#tab-cleaning")
    assert decided(page, exportable) == ["accept", "reject", None], "a reload lost the decisions"
    assert unexported(page) == "2"

    with page.expect_download() as download:
        page.click("#download-decisions")
    saved = tmp_path / "review_decisions.tsv"
    download.value.save_as(saved)
    assert unexported(page) == "0"
    accepted, rejected = read_review_decisions(saved)
    assert (len(accepted), len(rejected)) == (1, 1)
    # The accepted decision is the row the corrections export binds to the same place.
    corrections = tmp_path / "corrections.tsv"
    corrections.write_text(page.input_value("#export"), encoding="utf-8")
    (row,) = read_corrections(corrections)
    assert (row.doc_id, row.left, row.before, row.after, row.right) == (
        accepted[0].doc_id,
        accepted[0].left,
        accepted[0].before,
        accepted[0].after,
        accepted[0].right,
    )
    context.close()

    fresh = browser.new_context()
    page = open_review(fresh, page_path, problems)
    assert decided(page, exportable) == [None, None, None], "another browser starts fresh"
    page.set_input_files("#import-decisions", saved)
    page.wait_for_selector("#import-note:not(:empty)")
    assert "2 decisions applied" in page.inner_text("#import-note")
    assert decided(page, exportable) == ["accept", "reject", None]
    fresh.close()
    assert problems == []


def test_decisions_are_kept_per_page_data(page_path, exportable, browser, tmp_path):
    """Another run's page (other data, another hash) does not show this page's decisions."""
    html = page_path.read_text(encoding="utf-8")
    marker = '<script type="application/json" id="explorer-hash">"'
    assert html.count(marker) == 1
    same = tmp_path / "same.html"
    other = tmp_path / "other.html"
    same.write_text(html, encoding="utf-8")
    other.write_text(html.replace(marker, marker + "0"), encoding="utf-8")
    problems = []
    context = browser.new_context()
    page = open_review(context, page_path, problems)
    queue_rows(page, exportable)[0].get_by_test_id("decision-reject").click()
    assert decided(open_review(context, same, problems), exportable)[0] == "reject"
    assert decided(open_review(context, other, problems), exportable)[0] is None
    context.close()
    assert problems == []


def test_topic_labels_persist_and_export_as_a_labels_file_the_topic_stage_applies(
    page_path, browser, tmp_path
):
    from corpusflow.io import read_csv, read_topic_labels
    from corpusflow.topics.final import label_topics

    problems = []
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(page_path.as_uri())
    page.wait_for_selector("body[data-ready]")
    page.get_by_role("tab", name="Topics").click()
    page.locator("#topic-list button.topic").nth(1).click()
    chosen = int(page.locator("#topic-list button.topic").nth(1).get_attribute("data-topic"))
    page.get_by_label("label of this topic").fill("Party and state")
    page.reload()
    page.wait_for_selector("body[data-ready]")
    page.get_by_role("tab", name="Topics").click()
    page.locator("#topic-list button.topic").nth(1).click()
    assert page.get_by_label("label of this topic").input_value() == "Party and state"
    with page.expect_download() as download:
        page.click("#download-labels")
    saved = tmp_path / "topic_labels.tsv"
    download.value.save_as(saved)
    context.close()
    assert problems == []
    # The topic stage names the chosen topic with it, and no other.
    terms = read_csv(page_path.parent / "tables" / "topics_terms.csv", dtype={"term": "str"})
    topics = [list(group.sort_values("rank")["term"]) for _, group in terms.groupby("topic")]
    numbers = sorted(terms["topic"].unique())
    labels, unmatched = label_topics(topics, read_topic_labels(saved))
    assert unmatched == []
    assert [n for n, label in zip(numbers, labels, strict=True) if label == "Party and state"] == [
        chosen
    ]
