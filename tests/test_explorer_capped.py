"""The explorer's cap on a very long document (explorer.max_text_chars): the page holds the
passages around what its views show, not the whole text. Built on the real corpus by lowering
the cap below its documents' lengths, and read back in a real browser."""

# ruff: noqa: F811 (the fixtures and tests below take the imported fixture `run`)
from __future__ import annotations

import json
import re

import pytest

from corpusflow import io
from corpusflow.config import default_config
from corpusflow.explorer.capping import cap_cleaning_text, cap_kwic_texts, excerpt
from corpusflow.explorer.cleaning import cleaning_view
from corpusflow.explorer.keyness import kwic_view
from corpusflow.explorer.page import render_page
from tests.test_explorer import (
    cleaning_inputs,
    curated_rows,
    found_occurrences,
    keyness_inputs,
    open_page,
    run,  # noqa: F401 (the fixture the ones below take)
    select_document,
)

#: Below every analysed document's length (the shortest is about 30,000 characters).
CAP = 8_000
DOC = "kollontai-ocr"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def check_pieces(whole: str, text: dict) -> int:
    """The pieces are slices of ``whole`` in order, disjoint; returns the characters held."""
    assert text["length"] == len(whole)
    end = -1
    for start, passage in text["pieces"]:
        assert start > end and whole[start : start + len(passage)] == passage
        end = start + len(passage)
    return sum(len(passage) for _, passage in text["pieces"])


def test_excerpt_holds_evenly_spaced_spans_within_the_budget():
    text = "".join(f"w{n:04d} " for n in range(2000))  # 12,000 characters
    spans = [(6 * n, 6 * n + 5) for n in range(0, 2000, 10)]  # 200 words
    whole, held = excerpt(text, spans[::-1], context=5, budget=len(text))
    assert all(held) and check_pieces(text, whole) == 199 * 15 + 10  # the first at 0
    small, held = excerpt(text, spans[::-1], context=5, budget=300)
    kept = [span for span, h in zip(spans[::-1], held, strict=True) if h]
    assert len(kept) == 20 and check_pieces(text, small) <= 300
    starts = sorted(start for start, _ in kept)
    assert starts[0] == 0 and starts[-1] == spans[-1][0]  # spread over the whole text
    gaps = {b - a for a, b in zip(starts, starts[1:], strict=False)}
    assert max(gaps) - min(gaps) <= 60  # evenly spaced
    for start, end in kept:
        assert any(s <= start and end <= s + len(p) for s, p in small["pieces"])
    nothing, held = excerpt(text, spans, context=5, budget=0)
    assert nothing["pieces"] == [] and not any(held)


@pytest.fixture(scope="module")
def page_data(run) -> dict:
    """The explorer's data as the run's page holds it."""
    page = (run / "results" / "explorer.html").read_text(encoding="utf-8")
    return json.loads(re.search(r'id="explorer-data">(.*?)</script>', page, flags=re.S).group(1))


@pytest.fixture(scope="module")
def capped_kwic(run) -> dict:
    """The run's KWIC view, ``whole`` and capped at :data:`CAP` (``kwic``), with its ``docs``
    and their ``texts``."""
    settings = default_config()["explorer"]
    table, _, docs, _ = keyness_inputs(run)
    segments = io.read_parquets([run / f"results/segments/{d}.parquet" for d in docs])
    found = found_occurrences(run, table, docs)
    texts = {d: io.read_text(run / f"results/clean/{d}.txt") for d in docs}
    whole = kwic_view(
        found,
        segments,
        texts,
        doc_ids=docs,
        lines_per_term=settings["kwic_lines_per_term"],
        context_chars=settings["kwic_context_chars"],
    )
    kwic = cap_kwic_texts(whole, max_text_chars=CAP)
    return {"whole": whole, "kwic": kwic, "docs": docs, "texts": texts}


@pytest.fixture(scope="module")
def capped_cleaning(run) -> dict:
    """The cleaning view of :data:`DOC`, ``whole`` and capped at :data:`CAP` (``capped``), its
    ``ingested`` text and the ``edits`` and ``suspects`` inside the capped passages."""
    settings = default_config()["explorer"]
    own, corrections, review = cleaning_inputs(run, DOC)
    curated = curated_rows(run)
    context = settings["export_context_words"]
    view = cleaning_view(DOC, own, corrections, review, curated=curated, context_words=context)
    capped = cap_cleaning_text(view, context=settings["kwic_context_chars"], max_text_chars=CAP)

    def on_page(start, end):
        return any(s <= start and end <= s + len(p) for s, p in capped["text"]["pieces"])

    names = [c["name"] for c in view["review"]["columns"]]
    at, to = names.index("ingest_start"), names.index("ingest_end")
    return {
        "whole": view,
        "capped": capped,
        "ingested": own.ingested,
        "edits": [e for e in view["edits"] if on_page(e[0], e[1])],
        "suspects": [r for r in view["review"]["rows"] if on_page(r[at], r[to])],
    }


@pytest.mark.workflow
def test_the_default_cap_holds_every_text_of_the_real_corpus_whole(page_data):
    assert "capped" not in page_data["keyness"]["kwic"]
    assert all(isinstance(text, str) for text in page_data["keyness"]["kwic"]["texts"])
    docs = page_data["cleaning"]["docs"]
    assert all("capped" not in d and isinstance(d["text"], str) for d in docs)


@pytest.mark.workflow
def test_kwic_texts_above_the_cap_hold_the_context_of_every_kept_line(capped_kwic):
    whole, kwic, docs, texts = (capped_kwic[key] for key in ("whole", "kwic", "docs", "texts"))
    context = whole["context_chars"]
    assert kwic["capped"] == docs and kwic["found"] == whole["found"]
    shown, total = 0, 0
    for d, doc_id in enumerate(docs):
        assert check_pieces(texts[doc_id], kwic["texts"][d]) <= CAP
    for term, flat in whole["lines"].items():
        lines = [tuple(flat[at : at + 4]) for at in range(0, len(flat), 4)]
        kept = [
            tuple(kwic["lines"][term][at : at + 4]) for at in range(0, len(kwic["lines"][term]), 4)
        ]
        assert set(kept) <= set(lines)
        shown, total = shown + len(kept), total + len(lines)
        for d, start, end, _ in kept:  # every kept line's context is on the page
            text = kwic["texts"][d]
            lo, hi = max(0, start - context), min(text["length"], end + context)
            assert any(s <= lo and hi <= s + len(p) for s, p in text["pieces"])
    assert 0 < shown < total


@pytest.mark.workflow
def test_a_cleaning_text_above_the_cap_counts_the_edits_and_suspects_it_holds(capped_cleaning):
    view, capped = capped_cleaning["whole"], capped_cleaning["capped"]
    assert check_pieces(capped_cleaning["ingested"], capped["text"]) <= CAP
    assert capped["edits"] == view["edits"] and capped["review"] == view["review"]
    assert 0 < capped["capped"]["held"] < capped["capped"]["spans"]
    # The page states how many it draws: every edit and suspect inside a passage.
    held = len(capped_cleaning["edits"]) + len(capped_cleaning["suspects"])
    assert capped["capped"]["held"] == held


@pytest.mark.workflow
def test_a_page_above_the_cap_says_so_and_cuts_lines_from_the_whole_text(
    run, page_data, capped_kwic, capped_cleaning, tmp_path, browser
):
    kwic, capped = capped_kwic["kwic"], capped_cleaning["capped"]
    data = {**page_data, "keyness": {**page_data["keyness"], "kwic": kwic}}
    docs = list(page_data["cleaning"]["docs"])
    docs[[d["doc_id"] for d in docs].index(DOC)] = capped
    data["cleaning"] = {**page_data["cleaning"], "docs": docs}
    path = tmp_path / "explorer.html"
    io.write_text(render_page(data), path)
    assert path.stat().st_size < (run / "results" / "explorer.html").stat().st_size
    problems = []
    browser_context, browser_page = open_page(browser, path, problems)
    _check_capped_kwic(browser_page, capped_kwic)
    browser_page.click("#tab-cleaning")
    select_document(browser_page, DOC)
    note = browser_page.inner_text("#clean-capped")
    held = capped["capped"]
    assert f"{held['held']} of its {held['spans']} edits and suspects" in note
    browser_page.select_option("#clean-rule", "*")  # every edit, the layout ones too
    marks = browser_page.locator("#clean-text mark.edit")
    edits, ingested = capped_cleaning["edits"], capped_cleaning["ingested"]
    assert marks.count() == len(edits)
    shown = marks.evaluate_all("ms => ms.map(m => m.textContent)")
    assert shown == [ingested[s:e] or "‸" for s, e, *_ in edits]
    assert "characters not on this page" in browser_page.inner_text("#clean-text")
    browser_context.close()
    assert problems == []


def _check_capped_kwic(browser_page, capped_kwic: dict) -> None:
    """The lines of the term with the most kept lines: the summary names the cap, each line
    is cut from the whole text."""
    kwic, docs, texts = capped_kwic["kwic"], capped_kwic["docs"], capped_kwic["texts"]
    context = kwic["context_chars"]
    top = max(kwic["found"], key=lambda t: (len(kwic["lines"][t]), t))
    browser_page.fill("#kw-filter", top)
    browser_page.locator("#kw-table button.term", has_text=re.compile(f"^{top}$")).click()
    summary = browser_page.inner_text("#kwic-summary")
    assert "longer than the page holds" in summary and str(CAP) in summary
    rows = browser_page.locator("#kwic-table tbody tr").evaluate_all(
        "trs => trs.map(tr => Array.from(tr.cells, td => td.textContent))"
    )
    flat = kwic["lines"][top]
    assert len(rows) == len(flat) // 4 > 0
    for n, cells in enumerate(rows):  # each line as cut from the whole text
        d, start, end = flat[4 * n : 4 * n + 3]
        text = texts[docs[d]]
        assert cells[:3] == [
            squash(text[max(0, start - context) : start]),
            text[start:end],
            squash(text[end : end + context]),
        ]
