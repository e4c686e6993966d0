"""The explorer page for keyboard, screen-reader and narrow-window use (#25 items 6, 7).

axe-core (npm, test-only: `npm ci` installs it from package.json into node_modules/; the page
never holds it) runs in Chromium on every view; the page's CSP is bypassed for the test's own
script only. Views are ARIA tabs operated by the arrow keys; no view is wider than the window
from 800 to 1440 px.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.workflow

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VIEWS = ("keyness", "topics", "cleaning")
WIDTHS = (800, 1440)


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        message = "axe-core is not installed: run `npm ci` at the repository's root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def open_page(browser, path: Path, width: int, problems: list):
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready]")
    return context, page


def use_view(page, view: str) -> None:
    """Show ``view`` with its content drawn as a reader would have it: a term's KWIC lines, a
    topic's terms, a document's review queue."""
    page.get_by_role("tab", name=view.capitalize()).click()
    if view == "keyness":
        page.get_by_test_id("term-row").first.get_by_role("button").click()
        page.get_by_test_id("kwic-line").first.wait_for()
    if view == "cleaning":
        page.get_by_test_id("queue-row").first.wait_for()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_axe_violation_nor_overflow_in_a_view(page_path, browser, axe_source, width):
    problems, found = [], {}
    context, page = open_page(browser, page_path, width, problems)
    page.add_script_tag(content=axe_source)
    for view in VIEWS:
        use_view(page, view)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ' (' + v.nodes.length + '): ' + v.nodes[0].target.join(' '))"
        )
        wide = page.evaluate("document.documentElement.scrollWidth")
        found[view] = (violations, wide)
    context.close()
    assert problems == []
    assert {view: v for view, (v, _) in found.items() if v} == {}
    assert {view: w for view, (_, w) in found.items() if w > width} == {}, "wider than the window"


def test_views_are_tabs_worked_by_the_arrow_keys(page_path, browser):
    problems = []
    context, page = open_page(browser, page_path, 1024, problems)
    tabs = page.get_by_role("tablist").get_by_role("tab")
    assert tabs.count() == len(VIEWS)
    keyness = page.get_by_role("tab", name="Keyness")
    assert keyness.get_attribute("aria-selected") == "true"
    assert page.get_by_role("tabpanel").get_attribute("data-testid") == "view-keyness"
    keyness.focus()
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("tab", name="Topics").get_attribute("aria-selected") == "true"
    assert page.evaluate("document.activeElement.id") == "tab-topics"
    assert page.get_by_test_id("view-topics").is_visible()
    assert not page.get_by_test_id("view-keyness").is_visible()
    page.keyboard.press("End")
    assert page.get_by_test_id("view-cleaning").is_visible()
    page.keyboard.press("ArrowRight")  # wraps round to the first tab
    assert page.get_by_test_id("view-keyness").is_visible()
    # One Tab stop for the tab list: the next Tab leaves it for the view's content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('role')") != "tab"
    context.close()
    assert problems == []


def test_edits_are_stepped_through_by_keyboard_word_corrections_first(page_path, browser):
    problems = []
    context, page = open_page(browser, page_path, 1024, problems)
    page.get_by_role("tab", name="Cleaning").click()
    assert page.locator("#clean-rule").input_value() == "@words"
    words = page.locator("#clean-text mark.edit").count()
    assert words > 0 and page.locator("#clean-text mark.edit.layout").count() == 0
    page.select_option("#clean-rule", "*")
    assert page.locator("#clean-text mark.edit").count() > words  # the layout edits too
    page.select_option("#clean-rule", "@words")
    page.locator("#edit-next").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    focused = page.locator("#clean-text mark.edit.focus")
    assert focused.count() == 1
    assert focused.get_attribute("data-edit") == page.locator("#clean-text mark.edit").nth(
        1
    ).get_attribute("data-edit")
    assert "rule" in page.inner_text("#edit-detail")
    context.close()
    assert problems == []


def test_a_corpus_of_many_documents_names_each_title_once(page_path, browser, tmp_path):
    """Ten copies of each side's document (as benchmarks/bench_explorer.py makes at 10x): the
    heading names each title once and the documents wait behind a disclosure."""
    import json
    import re

    from corpusflow.explorer.page import render_page

    page_text = page_path.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="explorer-data">(.*?)</script>', page_text, re.S).group(1))
    for side in ("target_docs", "reference_docs"):
        copies = [f"{d}-x{i:03d}" for d in data["keyness"][side] for i in range(1, 10)]
        for doc_id, copy_id in zip(data["keyness"][side] * 9, copies, strict=False):
            data["meta"]["docs"][copy_id] = data["meta"]["docs"][doc_id.split("-x")[0]]
        data["keyness"][side] = data["keyness"][side] + copies
    many = tmp_path / "explorer.html"
    many.write_text(render_page(data), encoding="utf-8")
    problems = []
    context, page = open_page(browser, many, 1440, problems)
    title = page.inner_text("#title")
    titles = {data["meta"]["docs"][d]["title"] for d in data["keyness"]["target_docs"]}
    assert all(title.count(t) == 1 for t in titles)
    assert not page.locator("#kw-unit p").first.is_visible()  # closed until asked for
    assert "Target: 10 documents" in page.inner_text("#kw-unit summary")
    context.close()
    assert problems == []
