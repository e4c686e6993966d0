"""The explorer's concordance as a corpus linguist uses it (#25 item 2), in Chromium.

Lines fit their panel; they sort by the first or second word left or right of the keyword; a
line opens its passage in the whole cleaned text, scrolled to and marked; a spelling variant
finds its folded term.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from corpusflow import io

pytestmark = pytest.mark.workflow

WORD = re.compile(r"[^\s.,;:!?()\"“”'‘’\[\]-]+")


@pytest.fixture(scope="module")
def run(request) -> Path:
    """A finished run: the suite's shared one, or the folder named by CORPUSFLOW_EXPLORER_RUN."""
    folder = os.environ.get("CORPUSFLOW_EXPLORER_RUN")
    return Path(folder) if folder else request.getfixturevalue("workflow_run")


@pytest.fixture
def page(run, browser):
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto((run / "results" / "explorer.html").as_uri())
    page.wait_for_selector("body[data-ready]")
    yield page
    context.close()
    assert problems == []


def open_term(page, term: str) -> None:
    page.fill("#kw-filter", term)
    page.locator(f'[data-testid="term-row"][data-term="{term}"] button.term').click()
    page.get_by_test_id("kwic-line").first.wait_for()


def busiest_word(run: Path) -> str:
    """The most frequent one-word keyness term (many lines to sort)."""
    table = io.read_csv(run / "results/tables/keyness.csv", dtype={"term": "str", "forms": "str"})
    words = table[~table["term"].str.contains(" ")]
    counts = words["count_target"] + words["count_reference"]
    return words.loc[counts.idxmax(), "term"]


@pytest.mark.parametrize(
    ("order", "side", "nth"),
    [("L1", "left", -1), ("L2", "left", -2), ("R1", "right", 0), ("R2", "right", 1)],
)
def test_lines_sort_by_the_words_either_side_and_fit_their_panel(run, page, order, side, nth):
    open_term(page, busiest_word(run))
    page.select_option("#kwic-sort", order)
    contexts = page.locator(f'[data-testid="kwic-line"] td.{side}').all_text_contents()
    assert len(contexts) > 20

    def key(text: str) -> str:
        words = WORD.findall(text.lower())
        return words[nth] if len(words) >= abs(nth) + (nth >= 0) else ""

    keys = [key(text) for text in contexts]
    assert keys != sorted(keys, reverse=True)  # not trivially one word
    in_order = "keys => keys.every((k, i) => i === 0 || keys[i - 1].localeCompare(k) <= 0)"
    assert page.evaluate(in_order, keys), f"lines not sorted by {order}"
    fits = page.evaluate(
        "() => { const t = document.getElementById('kwic-table');"
        " return t.scrollWidth <= t.parentElement.clientWidth; }"
    )
    assert fits, "a concordance line is wider than its panel"


def test_a_line_opens_its_passage_in_the_whole_cleaned_text(run, page):
    term = busiest_word(run)
    open_term(page, term)
    line = page.get_by_test_id("kwic-line").nth(5)
    doc_id, start = line.get_attribute("data-doc"), int(line.get_attribute("data-start"))
    line.locator("button.kw-open").click()
    cleaned = io.read_text(run / "results" / "clean" / f"{doc_id}.txt")
    box = page.locator("#passage pre")
    assert box.text_content() == cleaned, "the passage is not the whole cleaned text"
    mark = page.locator("#passage-mark")
    before = mark.evaluate("m => m.previousSibling.textContent.length")
    assert before == start
    assert cleaned[start : start + len(mark.text_content())] == mark.text_content()
    shown = page.evaluate(
        "() => { const m = document.getElementById('passage-mark').getBoundingClientRect();"
        " const s = document.querySelector('#passage .scroll').getBoundingClientRect();"
        " return m.top >= s.top && m.bottom <= s.bottom; }"
    )
    assert shown, "the passage is not scrolled to the line"


def test_a_spelling_variant_finds_its_folded_term(run, page):
    table = io.read_csv(run / "results/tables/keyness.csv", dtype={"term": "str", "forms": "str"})
    folded = table[
        [
            all(form not in term for form in str(forms).split("|"))
            for term, forms in zip(table["term"], table["forms"], strict=True)
        ]
    ]
    assert len(folded), "no term of this run has a spelling variant"
    term, variant = folded["term"].iloc[0], str(folded["forms"].iloc[0]).split("|")[0]
    page.fill("#kw-filter", variant)
    assert term in page.locator('[data-testid="term-row"] button.term').all_inner_texts()


def test_a_link_opens_the_same_view_term_and_topic(run, page):
    term = busiest_word(run)
    open_term(page, term)
    link = page.url
    assert "view=keyness" in link and f"term={term}" in link
    again = page.context.new_page()
    again.goto(link)
    again.wait_for_selector("body[data-ready]")
    assert again.inner_text("#kwic-term") == term
    assert again.get_by_test_id("kwic-line").count() > 0
    page.get_by_role("tab", name="Topics").click()
    topics = page.locator("#topic-list button.topic")
    topics.nth(1).click()
    chosen = topics.nth(1).get_attribute("data-topic")
    again.close()
    again = page.context.new_page()  # a fresh load: a changed hash alone reloads nothing
    again.goto(page.url)
    again.wait_for_selector("body[data-ready]")
    assert again.get_by_test_id("view-topics").is_visible()
    pressed = again.locator('#topic-list button.topic[aria-pressed="true"]')
    assert pressed.get_attribute("data-topic") == chosen
    again.close()


def test_top_keywords_are_marked_and_a_topic_term_opens_its_concordance(run, page):
    top = io.read_csv(run / "results/tables/keyness_top.csv", dtype={"term": "str"})["term"]
    page.fill("#kw-filter", top.iloc[0])
    row = page.locator(f'[data-testid="term-row"][data-term="{top.iloc[0]}"]')
    assert row.locator(".top-mark").inner_text() == "top"
    page.fill("#kw-filter", "")
    marked = page.locator('[data-testid="term-row"]:has(.top-mark)').count()
    assert 0 < marked <= len(top)
    page.get_by_role("tab", name="Topics").click()
    link = page.locator("#topic-terms td.term-name button.term").first
    term = link.inner_text()
    link.click()
    assert page.get_by_test_id("view-keyness").is_visible()
    assert page.inner_text("#kwic-term") == term
    assert f"term={term}" in page.url.replace("%20", " ")


def test_a_strip_shows_where_the_lines_are_along_each_text(run, page):
    term = busiest_word(run)
    open_term(page, term)
    lines = page.get_by_test_id("kwic-line")
    docs = sorted(set(lines.evaluate_all("rows => rows.map(r => r.dataset.doc)")))
    strips = page.get_by_test_id("kwic-strip")
    assert sorted(strips.evaluate_all("s => s.map(x => x.dataset.doc)")) == docs
    for doc_id in docs:
        strip = page.locator(f'[data-testid="kwic-strip"][data-doc="{doc_id}"]')
        starts = sorted(
            int(s)
            for s in lines.evaluate_all(
                f"rows => rows.filter(r => r.dataset.doc === '{doc_id}').map(r => r.dataset.start)"
            )
        )
        length = len(io.read_text(run / "results" / "clean" / f"{doc_id}.txt"))
        lefts = sorted(
            float(v.rstrip("%"))
            for v in strip.locator(".tick").evaluate_all("ticks => ticks.map(t => t.style.left)")
        )
        assert lefts == pytest.approx([100 * s / length for s in starts], abs=0.01)
