"""The cleaning view beside the text (#25 item 5), tried in Chromium as a reviewer would: the
cleaned text stands beside the ingested (OCR) text, the rule filter marks the same edits in
both, and a review-queue row's button moves the keyboard focus to its suspect in the text."""

from __future__ import annotations

import pytest

from corpusflow import io
from corpusflow.cleaning.stage import WORD_RULES
from tests.test_explorer import CORRECTIONS, REVIEW, select_document
from tests.test_explorer_a11y import open_page

pytestmark = pytest.mark.workflow

DOC = "kollontai-ocr"


def cleaning_page(browser, page_path, problems):
    context, page = open_page(browser, page_path, 1440, problems)
    page.get_by_role("tab", name="Cleaning").click()
    select_document(page, DOC)
    return context, page


def marked(page, box: str) -> list[tuple[int, str]]:
    """(edit number, text) of each edit marked in ``box``."""
    return page.locator(f"{box} mark.edit").evaluate_all(
        "ms => ms.map(m => [Number(m.dataset.edit), m.textContent])"
    )


def test_the_cleaned_text_stands_beside_the_ocr_text_with_the_same_edits_marked(page_path, browser):
    run = page_path.parents[1]
    cleaned = io.read_text(run / f"results/clean/{DOC}.txt")
    log = io.read_tsv(run / f"results/clean/{DOC}.corrections.tsv", dtype=CORRECTIONS)
    log = log.sort_values(["ingest_start", "ingest_end"], kind="stable", ignore_index=True)
    problems = []
    context, page = cleaning_page(browser, page_path, problems)
    assert page.is_visible("#clean-result") and page.is_checked("#clean-beside")
    for rule, count in (("@words", log["rule"].isin(WORD_RULES).sum()), ("*", len(log))):
        page.select_option("#clean-rule", rule)
        # every edit applied, whatever the filter; the filter's edits marked with their result
        assert page.inner_text("#clean-result").replace("‸", "") == cleaned
        right = marked(page, "#clean-result")
        assert [n for n, _ in marked(page, "#clean-text")] == [n for n, _ in right]
        assert len(right) == count > 0
        assert all(text == (log["after"][n] or "‸") for n, text in right)
    # a mark on the right shows its edit and highlights it on both sides
    page.locator("#clean-result mark.edit").nth(5).click()
    number = page.locator("#clean-result mark.edit").nth(5).get_attribute("data-edit")
    assert page.locator(f'#clean-text mark.focus[data-edit="{number}"]').count() == 1
    assert log["rule"][int(number)] in page.inner_text("#edit-detail")
    # by keyboard: the checkbox leaves the ingested text alone and brings the cleaned one back
    page.focus("#clean-beside")
    page.keyboard.press("Space")
    assert page.is_hidden("#clean-result") and page.is_visible("#clean-text")
    page.keyboard.press("Space")
    assert page.is_visible("#clean-result")
    context.close()
    assert problems == []


def test_a_queue_row_moves_the_focus_to_its_suspect_in_the_text(page_path, browser):
    run = page_path.parents[1]
    ingested = io.read_text(run / f"results/ingest/{DOC}.txt")
    review = io.read_tsv(run / f"results/clean/{DOC}.review.tsv", dtype=REVIEW)
    problems = []
    context, page = cleaning_page(browser, page_path, problems)
    drawn = page.locator("#clean-text mark.suspect").evaluate_all(
        "ms => ms.map(m => Number(m.id.slice('suspect-'.length)))"
    )
    for row in (drawn[0], drawn[len(drawn) // 2], drawn[-1]):
        page.get_by_test_id("queue-row").nth(row).get_by_test_id("queue-show").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == f"suspect-{row}"
        suspect = page.locator(f"#suspect-{row}")
        start, end = review["ingest_start"][row], review["ingest_end"][row]
        assert suspect.text_content() == ingested[start:end]
        assert "focus" in suspect.get_attribute("class")
        assert page.locator("#clean-text mark.focus").count() == 1
        twin = page.locator(f"#clean-suspect-{row}")
        assert twin.count() == 0 or "focus" in twin.get_attribute("class")
        # scrolled into its panel's view
        inside = suspect.evaluate(
            "m => { const box = m.closest('.scroll').getBoundingClientRect(),"
            " r = m.getBoundingClientRect(); return r.top >= box.top && r.bottom <= box.bottom; }"
        )
        assert inside, row
    context.close()
    assert problems == []
