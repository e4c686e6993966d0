"""The explorer page (results/explorer.html): its data against the pipeline's tables, and the
page itself in a real browser (Debian's chromium driven by playwright, as the report test)."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corpusflow import io
from corpusflow.cleaning.curated import COLUMNS, Curated, curated_edits, read_corrections
from corpusflow.cleaning.edits import Edit, apply_edits
from corpusflow.cleaning.review import read_review_decisions
from corpusflow.cleaning.stage import WORD_RULES
from corpusflow.config import default_config
from corpusflow.errors import InputError
from corpusflow.explorer.cleaning import DocumentTexts, binding_context, cleaning_view, word_index
from corpusflow.explorer.columns import describe_column, table_columns
from corpusflow.explorer.keyness import keyness_view, kwic_occurrences, kwic_view
from corpusflow.explorer.page import data_json, data_json_parts, render_page, render_page_parts
from corpusflow.explorer.topics import relevant_terms, term_marginals
from corpusflow.keyness.counting import term_rules
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.segment import tokens_with_segments
from corpusflow.settings import from_params
from corpusflow.terms import term_occurrences

CORRECTIONS = {"before": "str", "after": "str", "rule": "str", "evidence": "str"}
REVIEW = {"token": "str", "candidate": "str", "kind": "str", "evidence": "str", "context": "str"}


@pytest.fixture(scope="module")
def run(request) -> Path:
    """A finished run of the default workflow: the suite's shared one (``workflow_run``), or,
    while developing, the folder named by CORPUSFLOW_EXPLORER_RUN (a worktree after
    ``snakemake``)."""
    folder = os.environ.get("CORPUSFLOW_EXPLORER_RUN")
    if folder:
        return Path(folder)
    return request.getfixturevalue("workflow_run")


def keyness_inputs(run: Path):
    table = io.read_csv(
        run / "results/tables/keyness.csv", dtype={"term": "str", "side": "str", "forms": "str"}
    )
    record = io.read_json(run / "results/tables/keyness.json")
    docs = record["target_docs"] + record["reference_docs"]
    tokens = io.read_parquets([run / f"results/tokens/{d}.parquet" for d in docs])
    return table, record, docs, tokens


def found_occurrences(run: Path, table: pd.DataFrame, docs) -> pd.DataFrame:
    """Every occurrence of the table's terms in ``docs``, as the explorer reads them: from the
    occurrence tables keyness wrote, one per shard."""
    parts = sorted((run / "results/keyness/shards").glob("*.occurrences.parquet"))
    assert parts, "keyness writes its occurrences once, one table per shard"
    return kwic_occurrences(map(io.read_parquet, parts), table["term"], doc_ids=docs)


def cleaning_inputs(run: Path, doc_id: str):
    """A document's texts (ingested, before the curated corrections, cleaned), edit log and
    review queue, as the explorer reads them."""
    return (
        DocumentTexts(
            io.read_text(run / f"results/ingest/{doc_id}.txt"),
            io.read_text(run / f"results/clean/{doc_id}.automatic.txt"),
            io.read_text(run / f"results/clean/{doc_id}.txt"),
        ),
        io.read_tsv(run / f"results/clean/{doc_id}.corrections.tsv", dtype=CORRECTIONS),
        io.read_tsv(run / f"results/clean/{doc_id}.review.tsv", dtype=REVIEW),
    )


def curated_rows(run: Path):
    """The rows the run's cleaning stage applied: its curated table and accepted decisions."""
    accepted, _ = read_review_decisions(run / "config/review_decisions.tsv")
    return read_corrections(run / "config/corrections.tsv") + accepted


def exportable_rows(run: Path, doc_id: str) -> tuple[dict, int, list[int]]:
    """The cleaning view of ``doc_id`` as the run's page shows it, the position of the review
    queue's candidate column, and the queue rows whose acceptance the page exports: bound to
    one place, with a candidate that differs from the text there (the curated table settles
    some suspects, and the automatic method has already corrected others)."""
    texts, corrections, review = cleaning_inputs(run, doc_id)
    view = cleaning_view(
        doc_id,
        texts,
        corrections,
        review,
        curated=curated_rows(run),
        context_words=default_config()["explorer"]["export_context_words"],
    )
    at = [c["name"] for c in view["review"]["columns"]].index("candidate")
    pairs = zip(view["review"]["rows"], view["review"]["bindings"], strict=True)
    rows = [i for i, (r, b) in enumerate(pairs) if b["status"] == "ok" and r[at] != b["before"]]
    return view, at, rows


def matching(table: pd.DataFrame, text: str) -> pd.Series:
    """The keyness rows the page's filter shows for ``text``: in the term or its forms."""
    forms = table["forms"].fillna("").str.lower()
    return table["term"].str.contains(text, regex=False) | forms.str.contains(text, regex=False)


def raw_counts(tokens: pd.DataFrame, unit: str) -> pd.Series:
    """Alphabetic tokens per unit value: what a word's count is when no phrase takes it."""
    return tokens[tokens["is_alpha"]].groupby(unit).size()


def open_page(browser, page_path: Path, problems: list, requests: list | None = None):
    """``page_path`` in a fresh context of the session's Chromium (conftest ``browser``)."""
    context = browser.new_context(viewport={"width": 1500, "height": 950}, accept_downloads=True)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
    if requests is not None:
        context.on("request", lambda r: requests.append(r.url))
    page.goto(page_path.as_uri())
    page.wait_for_selector("body[data-ready]")
    return context, page


def select_document(page, doc_id: str) -> None:
    """Choose ``doc_id`` in the cleaning view's document list."""
    value = page.locator("#clean-doc option").evaluate_all(
        "(options, id) => options.find(o => o.textContent.startsWith(id + ' ')).value", doc_id
    )
    page.select_option("#clean-doc", value=value)


# ------------------------------------------------------------------------------- data


@pytest.mark.workflow
def test_occurrences_match_the_keyness_counts_and_the_token_tables(run):
    table, record, docs, tokens = keyness_inputs(run)
    unit = record["parameters"]["unit"]
    found = found_occurrences(run, table, docs)
    per_term = found.groupby("term").size().reindex(table["term"], fill_value=0).to_numpy()
    counted = (table["count_target"] + table["count_reference"]).to_numpy()
    # Every term: as many lines as the keyness stage counts (same units, same settings).
    assert (per_term == counted).all()
    # Words that no phrase takes and no spelling folds: the token tables' own count too.
    raw = raw_counts(tokens, unit).reindex(table["term"], fill_value=0).to_numpy()
    free = raw == counted
    assert free.sum() > 0.5 * len(table)
    assert (per_term[free] == raw[free]).all()
    # Listed phrases: the keyness counts exactly.
    listed = table["term"].isin(record["parameters"]["phrases"]).to_numpy()
    assert listed.any()
    assert (per_term[listed] == counted[listed]).all()
    # Words that phrases take (found under their own spelling only): fewer lines than tokens.
    single = ~table["term"].str.contains(" ").to_numpy()
    forms = table["forms"].astype(str)
    unfolded = (forms == table["term"]).to_numpy()
    taken = single & unfolded & (raw > counted)
    assert taken.sum() >= 10
    assert (per_term[taken] < raw[taken]).all()
    # Folded terms: their lines are every form the table lists, each shown as written.
    folded = table[forms.str.contains("|", regex=False)]
    assert len(folded) > 0, "the study folds spelling variants: some term has several forms"
    shown = found.groupby("term")["surface"].agg(lambda s: "|".join(sorted(set(s))))
    assert (shown.reindex(folded["term"]).to_numpy() == folded["forms"].to_numpy()).all()
    assert (shown.reindex(table["term"]).to_numpy() == forms.to_numpy()).all()
    texts = {d: io.read_text(run / f"results/clean/{d}.txt") for d in docs}
    words = re.compile(r"[^\W\d_]+")
    respelled = found[found["term"] != found["surface"]]
    phrases = found[found["term"].str.contains(" ")]
    sample = pd.concat([found.sample(200, random_state=0), respelled, phrases])
    for term, surface, doc_id, start, end in sample.itertuples(index=False):
        span = words.findall(texts[doc_id][start:end].lower())
        surface_words = words.findall(surface)
        # A phrase may span a token the tables drop ("people's economy"): the surface's words
        # are then the span's in order, starting and ending on the same words.
        kept = iter(span)
        in_order = all(word in kept for word in surface_words)
        same_ends = span[:1] + span[-1:] == surface_words[:1] + surface_words[-1:]
        assert (in_order and same_ends) or unit == "lemma", (term, span)


@pytest.mark.workflow
def test_written_occurrences_are_those_of_counting_the_stacked_table(run):
    """The occurrences keyness wrote, one shard at a time, with the two-word units learned in
    their own job, are those of counting (and learning on) the stacked table of every keyness
    document at once with the stage's settings; documents outside doc_ids are left out."""
    table, record, docs, tokens = keyness_inputs(run)
    settings = from_params(KeynessSettings, record["parameters"])
    assert settings.learn_phrases, "the study learns two-word units: the test needs them"
    segments = io.read_parquets([run / f"results/segments/{d}.parquet" for d in docs])
    stacked = term_occurrences(
        pd.concat(
            [tokens_with_segments(tokens[tokens["doc_id"] == d], segments) for d in docs],
            ignore_index=True,
        ),
        term_rules(settings, fold=settings.spelling_variants.fold, learn=True),
    )
    order = {doc_id: n for n, doc_id in enumerate(docs)}
    expected = (
        stacked[stacked["term"].isin(set(table["term"]))]
        .assign(_doc=lambda f: f["doc_id"].map(order))
        .sort_values(["term", "_doc", "start"], kind="stable")[
            ["term", "surface", "doc_id", "start", "end"]
        ]
        .reset_index(drop=True)
    )
    found = found_occurrences(run, table, docs)
    pd.testing.assert_frame_equal(found, expected, check_dtype=False)
    fewer = found_occurrences(run, table, docs[:1])
    assert set(fewer["doc_id"]) == {docs[0]} and 0 < len(fewer) < len(expected)
    assert len(expected) > 1000


@pytest.mark.workflow
def test_keyness_columns_are_rendered_from_the_table_including_unknown_ones(run):
    table, record, _, _ = keyness_inputs(run)
    table = table.assign(q_segments=np.linspace(0, 1, len(table)), dp_norm_target="")
    view = keyness_view(table, record)
    names = [c["name"] for c in view["columns"]]
    assert names == list(table.columns)
    kinds = {c["name"]: c["kind"] for c in view["columns"]}
    assert kinds["q_segments"] == "number" and kinds["term"] == "text"
    assert kinds["concentrated"] == "text"
    assert describe_column("q_segments") == ""
    assert "target side" in describe_column("dp_norm_target")
    assert "interval" in describe_column("log_ratio_low")
    assert len(view["rows"]) == len(table)
    at = names.index("g2")
    assert view["rows"][0][at] == pytest.approx(table["g2"].iloc[0], rel=1e-5)
    with pytest.raises(InputError, match="CF701"):
        keyness_view(table, {"parameters": {"unit": "stem"}})


def test_table_columns_keep_empty_cells_and_odd_terms_as_text():
    table = pd.DataFrame({"term": ["nan", "true", "1e5"], "x": ["", "2.5", "3"]})
    columns, rows = table_columns(table)
    assert [c["kind"] for c in columns] == ["text", "number"]
    assert rows == [["nan", None], ["true", 2.5], ["1e5", 3]]


def test_relevance_candidates_hold_the_top_terms_at_every_lambda_of_the_slider():
    rng = np.random.default_rng(3)
    pwt = rng.dirichlet(np.full(400, 1.0))
    pw = rng.dirichlet(np.full(400, 1.0))
    log_pwt, log_pw = np.log(pwt), np.log(pw)
    chosen = relevant_terms(log_pwt, log_pw, n_terms=10)
    assert 10 < len(chosen) < 400  # lambda changes the top terms, and not all are kept
    for lam in np.linspace(0, 1, 101):
        relevance = lam * log_pwt + (1 - lam) * (log_pwt - log_pw)
        top = set(np.argsort(-relevance, kind="stable")[:10].tolist())
        assert top <= set(chosen.tolist()), lam


@pytest.mark.workflow
def test_cleaning_writes_the_text_the_curated_rows_are_matched_on(run):
    """results/clean/{doc_id}.automatic.txt, listed in the shard record: the curated rows,
    matched on it as the cleaning stage matches them, make exactly the log's curated edits and
    give the cleaned text; without curated edits it is the cleaned text."""
    records = [io.read_json(p) for p in sorted((run / "results/clean/shards").glob("*.json"))]
    listed = json.dumps(records)
    rows = curated_rows(run)
    for doc_id in io.read_json(run / "results/tables/keyness.json")["target_docs"] + [
        "kollontai-web"
    ]:
        texts, corrections, _ = cleaning_inputs(run, doc_id)
        assert f"results/clean/{doc_id}.automatic.txt" in listed
        applied, _ = curated_edits(texts.automatic, rows, doc_id)
        assert apply_edits(texts.automatic, applied) == texts.cleaned, doc_id
        logged = corrections[corrections["rule"] == "curated"]
        assert sorted(e.evidence for e in applied) == sorted(logged["evidence"]), doc_id
        if logged.empty:
            assert texts.automatic == texts.cleaned, doc_id
    ocr, _, _ = cleaning_inputs(run, "kollontai-ocr")
    assert ocr.automatic != ocr.cleaned


OCR = "kollontai-ocr"


@pytest.fixture(scope="module")
def ocr_cleaning(run) -> dict:
    """The OCR document's cleaning view and what it is built from: its ``texts``, edit log
    (``corrections``, and ``ordered`` by ingested offset), review queue and the run's curated
    ``rows``."""
    texts, corrections, review = cleaning_inputs(run, OCR)
    rows = curated_rows(run)
    view = cleaning_view(
        OCR,
        texts,
        corrections,
        review,
        curated=rows,
        context_words=default_config()["explorer"]["export_context_words"],
    )
    ordered = corrections.sort_values(["ingest_start", "ingest_end"], kind="stable")
    return {
        "texts": texts,
        "corrections": corrections,
        "ordered": ordered,
        "review": review,
        "rows": rows,
        "view": view,
    }


@pytest.mark.workflow
def test_cleaning_view_binds_every_curated_edit_to_its_row_and_one_place(ocr_cleaning):
    texts, ordered, view = (ocr_cleaning[key] for key in ("texts", "ordered", "view"))
    assert len(view["edits"]) == len(ocr_cleaning["corrections"])
    assert len(view["review"]["rows"]) == len(ocr_cleaning["review"])
    # The text the curated rows are matched on: the rows, applied to it, give the cleaned text.
    base = texts.automatic
    # Rows that change an automatic edit's result (undo it) are matched on that result, which
    # the log, where the curated edit absorbs the automatic one, no longer shows by itself.
    automatic = ordered[ordered["rule"] != "curated"]
    naive = apply_edits(
        texts.ingested,
        [Edit(r.ingest_start, r.ingest_end, r.after) for r in automatic.itertuples()],
    )
    undoing = [
        r for r in ocr_cleaning["rows"] if r.doc_id == OCR and not curated_edits(naive, [r], OCR)[0]
    ]
    # Such rows are bound where the undone edit's result stands ("ALL" -> "All" while the case
    # rule made it; the guards and the noisy channel made the study's others unnecessary).
    assert all(r.before in base for r in undoing)
    curated_log = ordered["rule"].to_numpy() == "curated"
    assert [p["edit"] for p in view["curated"]] == np.flatnonzero(curated_log).tolist()
    for place in view["curated"]:
        row = Curated(OCR, place["left"], place["before"], place["after"], place["right"], "", 0)
        edits, problems = curated_edits(base, [row], OCR)
        assert problems == [] and [(e.start, e.end) for e in edits] == [
            (place["start"], place["end"])
        ], place


@pytest.mark.workflow
def test_cleaning_view_settles_or_places_every_suspect_of_the_queue(ocr_cleaning):
    ordered, review, view = (ocr_cleaning[key] for key in ("ordered", "review", "view"))
    statuses = [b["status"] for b in view["review"]["bindings"]]
    located = (review["ingest_start"] >= 0).sum()
    assert set(statuses) <= {"ok", "curated", "unplaced"}
    assert statuses.count("ok") + statuses.count("curated") == located
    logged = ordered[ordered["rule"] == "curated"]
    spans = list(zip(logged["ingest_start"], logged["ingest_end"], strict=True))
    settled = [
        any(s < end and start < e for s, e in spans)
        for start, end in zip(review["ingest_start"], review["ingest_end"], strict=True)
    ]
    # (The curated table also holds proofreading rows that were never suspects of the queue.)
    assert statuses.count("curated") == sum(settled) > 0
    edited = list(zip(ordered["ingest_start"], ordered["ingest_end"], strict=True))
    untouched = 0
    suspects = zip(
        view["review"]["bindings"],
        review["token"],
        review["ingest_start"],
        review["ingest_end"],
        strict=True,
    )
    for number, (binding, token, start, end) in enumerate(suspects):
        if binding["status"] != "ok":
            continue
        # A suspect no edit touches is bound where it stands in the text before the curated
        # corrections (the log's length changes before it, less the curated rows' own).
        if not any(s <= end and start <= e for s, e in edited):
            assert binding["before"] == token, (binding, token)
            untouched += 1
        row = Curated(OCR, binding["left"], binding["before"], "X", binding["right"], "", number)
        edits, problems = curated_edits(ocr_cleaning["texts"].automatic, [row], OCR)
        assert problems == [] and len(edits) == 1, binding
    assert untouched > 100


@pytest.mark.workflow
def test_cleaning_view_refuses_a_log_or_curated_rows_that_do_not_fit(ocr_cleaning):
    texts, corrections, review = (ocr_cleaning[key] for key in ("texts", "corrections", "review"))
    # A corrections log that does not reproduce the cleaned text is refused.
    broken = corrections.copy()
    broken.loc[broken.index[-1], "after"] = "#"
    with pytest.raises(InputError, match="CF704"):
        cleaning_view(OCR, texts, broken, review, curated=ocr_cleaning["rows"], context_words=3)
    # Curated edits whose rows are not among the tables' rows are refused.
    with pytest.raises(InputError, match="CF705"):
        cleaning_view(OCR, texts, corrections, review, curated=[], context_words=3)


def test_term_marginals_are_shares_of_the_modelled_term_tokens():
    marginals = term_marginals([["a", "b", "a"], ["c", "a"], []], ["a", "b"])
    assert marginals.tolist() == [0.75, 0.25]
    with pytest.raises(InputError, match="CF703"):
        term_marginals([["c"]], ["a", "b"])


def test_binding_context_takes_the_fewest_words_that_make_a_row_match_once():
    text = "the cat sat on the mat. the cat sat on the hat. a dog sat here."
    second = text.index("sat", text.index("sat") + 1)
    assert binding_context(text, second, second + 3, "d", max_words=5) == (
        "mat. the cat",
        "on the hat.",
    )
    third = text.index("sat here")
    assert binding_context(text, third, third + 3, "d", max_words=5) == ("dog", "here.")
    assert binding_context(text, second, second + 3, "d", max_words=2) is None
    index = word_index(text)
    assert binding_context(text, second, second + 3, "d", max_words=5, index=index) == (
        "mat. the cat",
        "on the hat.",
    )


def test_the_indexed_binding_search_agrees_with_the_whole_text_search_everywhere():
    """With the word index, binding_context searches only windows around the word's places
    (skipping windows that lack a context word, stopping at a second match): for every word
    of a text full of repeats, line breaks and punctuation it finds what matching the whole
    text finds, at every context size."""
    text = (
        "the cat sat on the mat. the cat sat on the\nhat. a dog sat here, the cat\n\nsat "
        "on the mat. The cat sat on the mat! sat sat sat. on the mat, the dog sat on the mat."
    )
    index = word_index(text)
    checked = bound = 0
    for match in re.finditer(r"\w+", text):
        for max_words in (1, 2, 3, 5):
            args = (text, match.start(), match.end(), "d")
            whole = binding_context(*args, max_words=max_words)
            assert binding_context(*args, max_words=max_words, index=index) == whole, match
            checked += 1
            bound += whole is not None
    assert checked > 100 and 0 < bound < checked


@pytest.mark.workflow
def test_the_page_is_deterministic_and_its_csp_hashes_its_only_script_and_style(run):
    page = (run / "results" / "explorer.html").read_text(encoding="utf-8")
    record = json.loads((run / "results" / "provenance.json").read_text())
    digest = hashlib.sha256(page.encode("utf-8")).hexdigest()
    assert record["outputs"]["results/explorer.html"] == digest
    assert len(page.encode("utf-8")) <= 5_000_000
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    csp = html.unescape(csp)
    assert csp.startswith("default-src 'none';")
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    styles = re.findall(r"<style>(.*?)</style>", page, flags=re.S)
    assert len(scripts) == 1 and len(styles) == 1
    for kind, body in (("script-src", scripts[0]), ("style-src", styles[0])):
        sha = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"{kind} 'sha256-{sha}'" in csp
    assert "http://" not in page.split("<script")[0] and "https://" not in page
    data = re.search(
        r'<script type="application/json" id="explorer-data">(.*?)</script>', page, flags=re.S
    ).group(1)
    assert "<" not in data
    assert render_page(json.loads(data)) == page


def test_the_streamed_page_is_the_one_shot_page_byte_for_byte():
    """The script writes the page in pieces (the data's JSON one document at a time); joined,
    they are the page of the whole JSON text encoded at once: sorted keys at every depth,
    markup characters escaped, empty containers and non-ASCII text as json.dumps writes
    them."""
    data = {
        "z": {"b": [1, 2.5, None, True], "a": {}, "c": []},
        "keyness": {"rows": [["</script>", "a&b", 3], ["é—ж", "<x>", -1e-7]], "unit": "lemma"},
        "cleaning": {"docs": [{"text": "x" * 50, "edits": [[0, 1, "<", "r", ""]], "k": {}}]},
        "meta": {"docs": {"d2": {"t": "2"}, "d1": {"t": "1"}}, "groups": {}},
        "deep": [[[[["<deep>", {"y": 1, "x": 2}]]]]],
        "empty": "",
    }
    one_shot = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    escaped = one_shot.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    parts = list(data_json_parts(data))
    assert len(parts) > 10  # streamed, not one piece
    assert "".join(parts) == escaped == data_json(data)
    assert all("<" not in part and ">" not in part and "&" not in part for part in parts)
    page = "".join(render_page_parts(data))
    assert page == render_page(data)
    assert f'id="explorer-data">{escaped}</script>' in page
    assert page.count("</script>") == 3  # the data block's, its hash's and the script's
    # The page keys a reader's saved review decisions by the sha256 of its data's JSON text.
    digest = hashlib.sha256(escaped.encode("utf-8")).hexdigest()
    assert f'id="explorer-hash">"{digest}"</script>' in page


# ------------------------------------------------------------------------------- browser


@pytest.mark.workflow
def test_keyness_view_sorts_filters_and_shows_every_occurrence(run, browser):
    table, record, docs, tokens = keyness_inputs(run)
    unit = record["parameters"]["unit"]
    cap = default_config()["explorer"]["kwic_lines_per_term"]
    raw = raw_counts(tokens, unit)
    counted = table.set_index("term")["count_target"] + table.set_index("term")["count_reference"]
    # A word no phrase takes, with its count from the token tables, and the most frequent term.
    free = [t for t in table["term"] if raw.get(t, -1) == counted[t] and " " not in t]
    word = max(free, key=lambda t: (raw[t] <= cap, raw[t], t))
    problems = []
    context, page = open_page(browser, run / "results" / "explorer.html", problems)
    header = page.locator("#kw-table thead button.sort", has_text=re.compile("^g2$"))
    header.click()  # numbers sort descending first
    first = page.locator("#kw-table tbody tr").first.locator("button.term").inner_text()
    assert first == table.loc[table["g2"].idxmax(), "term"]
    header.click()
    first = page.locator("#kw-table tbody tr").first.locator("button.term").inner_text()
    assert first == table.loc[table["g2"].idxmin(), "term"]
    # A piece from inside a term: the filter matches anywhere in the term.
    infix = next(t[1:4] for t in table["term"] if len(t) > 5 and t[1:4].isalpha())
    page.fill("#kw-filter", infix)
    expected = matching(table, infix).sum()  # the filter reads the surface forms too
    assert expected > 0 and f"{expected} of {len(table)} terms" in page.inner_text("#kw-count")
    page.fill("#kw-filter", word)
    terms = page.locator("#kw-table tbody button.term").all_inner_texts()
    assert word in terms
    assert len(terms) == matching(table, word).sum()
    side = table.loc[table["term"] == word, "side"].iloc[0]
    page.select_option("#kw-side", side)
    assert page.locator("#kw-table tbody button.term").all_inner_texts() == list(
        table.loc[matching(table, word) & (table["side"] == side), "term"]
    )
    page.locator("#kw-table tbody button.term", has_text=re.compile(f"^{word}$")).click()
    lines = page.locator("#kwic-table tbody tr")
    assert lines.count() == raw[word] == counted[word]
    keywords = page.locator("#kwic-table td.kw").all_inner_texts()
    assert {k.lower() for k in keywords} <= set(tokens.loc[tokens[unit] == word, "lower"])
    assert str(raw[word]) in page.inner_text("#kwic-summary")
    # The most frequent term: capped, and the page says so.
    page.fill("#kw-filter", "")
    page.select_option("#kw-side", "")
    top = counted.idxmax()
    page.fill("#kw-filter", top)
    page.locator("#kw-table tbody button.term", has_text=re.compile(f"^{top}$")).click()
    expected = min(counted[top], cap) if cap else counted[top]
    assert abs(page.locator("#kwic-table tbody tr").count() - expected) <= 0.02 * expected
    if cap and counted[top] > cap:
        assert f"at most {cap} per term" in page.inner_text("#kwic-summary")
    context.close()
    assert problems == []


@pytest.mark.workflow
def test_the_kwic_cap_keeps_evenly_spaced_lines_and_the_page_states_it(run, tmp_path, browser):
    table, record, docs, tokens = keyness_inputs(run)
    page = (run / "results" / "explorer.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="explorer-data">(.*?)</script>', page, flags=re.S).group(1))
    segments = io.read_parquets([run / f"results/segments/{d}.parquet" for d in docs])
    found = found_occurrences(run, table, docs)
    texts = {d: io.read_text(run / f"results/clean/{d}.txt") for d in docs}
    kwic = kwic_view(found, segments, texts, doc_ids=docs, lines_per_term=5, context_chars=20)
    for term, group in found.groupby("term"):
        flat = kwic["lines"][term]
        assert kwic["found"][term] == len(group)
        assert len(flat) // 4 == min(5, len(group))
        kept = list(zip(flat[1::4], flat[2::4], strict=True))
        assert kept[0] == tuple(group[["start", "end"]].iloc[0])
        assert kept[-1] == tuple(group[["start", "end"]].iloc[-1])
    data["keyness"]["kwic"] = kwic
    capped = tmp_path / "explorer.html"
    capped.write_text(render_page(data), encoding="utf-8")
    top = max(kwic["found"], key=lambda t: (kwic["found"][t], t))
    problems = []
    context, browser_page = open_page(browser, capped, problems)
    browser_page.fill("#kw-filter", top)
    browser_page.locator("#kw-table button.term", has_text=re.compile(f"^{top}$")).click()
    assert browser_page.locator("#kwic-table tbody tr").count() == 5
    summary = browser_page.inner_text("#kwic-summary")
    assert "at most 5 per term" in summary
    assert f"{kwic['found'][top] - 5} left out" in summary
    context.close()
    assert problems == []


@pytest.mark.workflow
def test_each_kwic_line_names_the_segment_its_occurrence_lies_in(run):
    """A line's segment is the one whose span holds the occurrence's start; with each
    document's second segment missing from the table, its occurrences lie in none (-1)."""
    table, _, docs, _ = keyness_inputs(run)
    segments = io.read_parquets([run / f"results/segments/{d}.parquet" for d in docs])
    segments = segments.drop(index=segments.groupby("doc_id").nth(1).index)
    texts = {d: io.read_text(run / f"results/clean/{d}.txt") for d in docs}
    found = found_occurrences(run, table, docs)
    kwic = kwic_view(found, segments, texts, doc_ids=docs, lines_per_term=0, context_chars=20)
    lines = np.array([value for flat in kwic["lines"].values() for value in flat]).reshape(-1, 4)
    assert len(lines) == len(found)
    for d, doc_id in enumerate(docs):
        own = segments[segments["doc_id"] == doc_id].sort_values("start")
        spans = pd.IntervalIndex.from_arrays(own["start"], own["end"], closed="left")
        on_doc = lines[lines[:, 0] == d]
        expected = spans.get_indexer(on_doc[:, 1])
        assert on_doc[:, 3].tolist() == expected.tolist()
        assert kwic["segments"][d] == own["segment_id"].tolist()
        assert 0 < (expected == -1).sum() < len(expected)


@pytest.mark.workflow
def test_topics_and_cleaning_views(run, browser):
    terms = io.read_csv(run / "results/tables/topics_terms.csv", dtype={"term": "str"})
    shown = default_config()["explorer"]["topic_terms"]
    texts, corrections, review = cleaning_inputs(run, "kollontai-ocr")
    ingested = texts.ingested
    problems = []
    context, page = open_page(browser, run / "results" / "explorer.html", problems)
    page.click("#tab-topics")
    assert page.is_hidden("#view-keyness") and page.is_visible("#view-topics")
    ids = page.locator("#topic-list button.topic").evaluate_all(
        "bs => bs.map(b => Number(b.dataset.topic))"
    )
    assert ids == sorted(terms["topic"].unique().tolist())
    assert page.locator("#topic-terms tbody tr").count() == shown
    page.locator("#lambda").fill("1")
    by_weight = page.locator("#topic-terms td.term-name").all_inner_texts()
    first_topic = terms[terms["topic"] == ids[0]].sort_values("weight", ascending=False)
    top_n = min(len(first_topic), 5)
    assert by_weight[:top_n] == first_topic["term"].tolist()[:top_n]
    page.locator("#lambda").fill("0")
    assert page.locator("#topic-terms td.term-name").all_inner_texts() != by_weight
    assert page.locator(".passage").count() > 0
    assert page.locator("#prevalence-chart .prev-row").count() > 0
    page.click("#tab-cleaning")
    assert page.is_visible("#view-cleaning") and page.is_hidden("#view-topics")
    select_document(page, "kollontai-ocr")
    # Word corrections first; every edit of the log with the layout edits.
    words = corrections["rule"].isin(WORD_RULES).sum()
    assert 0 < page.locator("#clean-text mark.edit").count() == words < len(corrections)
    page.select_option("#clean-rule", "*")
    assert page.locator("#clean-text mark.edit").count() == len(corrections)
    assert page.locator("#review-table tbody tr").count() == len(review)
    assert page.inner_text("#clean-text").replace("‸", "") == ingested
    page.locator("#clean-text mark.edit").nth(10).click()
    assert "rule" in page.inner_text("#edit-detail")
    context.close()
    assert problems == []


@pytest.mark.workflow
def test_two_accepted_suspects_export_rows_the_curated_reader_parses_and_applies(
    run, tmp_path, browser
):
    doc_id = "kollontai-ocr"
    problems = []
    context, page = open_page(browser, run / "results" / "explorer.html", problems)
    page.click("#tab-cleaning")
    select_document(page, doc_id)
    # The first suspects that can be exported: the curated table already settles others.
    view, at, ok = exportable_rows(run, doc_id)
    rows = page.locator("#review-table tbody tr")
    rows.nth(ok[0]).locator("button.accept").click()
    rows.nth(ok[1]).locator("input.correction").fill("typed")
    rows.nth(ok[1]).locator("button.accept").click()
    rows.nth(ok[2]).locator("button.reject").click()
    exported = page.input_value("#export")
    with page.expect_download() as download:
        page.click("#download")
    saved = tmp_path / "accepted.tsv"
    download.value.save_as(saved)
    context.close()
    assert problems == []
    assert saved.read_text(encoding="utf-8") == exported
    accepted = read_corrections(saved)
    assert len(accepted) == 2
    assert exported.splitlines()[0].split("\t") == COLUMNS
    assert accepted[1].after == "typed"
    # The rows are the first two suspects the page offers, with the context it computed.
    offered = [view["review"]["bindings"][i] for i in ok[:2]]
    assert [(r.doc_id, r.left, r.before, r.right) for r in accepted] == [
        (doc_id, b["left"], b["before"], b["right"]) for b in offered
    ]
    assert accepted[0].after == view["review"]["rows"][ok[0]][at]
    # Appended to the study's table, every row applies once to the text it is matched on.
    combined = tmp_path / "corrections.tsv"
    study = (Path(__file__).resolve().parents[1] / "config" / "corrections.tsv").read_text()
    combined.write_text(study + "".join(exported.splitlines(keepends=True)[1:]))
    decisions, _ = read_review_decisions(run / "config/review_decisions.tsv")
    rows = [r for r in read_corrections(combined) + decisions if r.doc_id == doc_id]
    base = cleaning_inputs(run, doc_id)[0].automatic
    edits, unapplied = curated_edits(base, rows, doc_id)
    assert unapplied == []
    assert len(edits) == len(rows)
    corrected = apply_edits(base, edits)
    assert "typed" in corrected and corrected.count("typed") == base.count("typed") + 1


@pytest.mark.workflow
def test_the_page_makes_no_request_of_any_kind(run, browser):
    requests, problems = [], []
    page_path = run / "results" / "explorer.html"
    context, page = open_page(browser, page_path, problems, requests)
    page.locator("#kw-table tbody button.term").first.click()
    page.click("#tab-topics")
    page.locator("#lambda").fill("0.2")
    page.click("#tab-cleaning")
    page.locator("#review-table button.accept").first.click()
    page.locator("#clean-text mark.edit").first.click()
    with page.expect_download():
        page.click("#download")
    context.close()
    assert problems == []
    assert requests == [page_path.as_uri()], "the page asked for something beyond itself"


# ------------------------------------------------------------------------------- injection


@pytest.mark.workflow
def test_markup_in_the_corpus_is_shown_as_text_and_never_runs(hostile_run, browser):
    problems = []
    context, page = open_page(browser, hostile_run / "results" / "explorer.html", problems)
    page.fill("#kw-filter", "script")
    page.locator("#kw-table tbody button.term", has_text=re.compile("^script$")).click()
    lines = page.locator("#kwic-table tbody tr")
    assert lines.count() >= 6
    shown = " ".join(lines.nth(0).locator("td").all_inner_texts()[:3])
    assert "< script >window.__pwned = 'script';</script>" in shown.replace("\t", " ")
    page.click("#tab-topics")
    page.click("#tab-cleaning")
    select_document(page, "olivier-commentary")
    text = page.inner_text("#clean-text")
    assert "<script>window.__pwned = 'script';</script>" in text
    assert "<b>Bold</b><img" in page.inner_text("#title")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("main img, main b, main script, header b, header img").count() == 0
    assert page.locator("script").count() == 3  # the page's data, its hash and code
    context.close()
    assert problems == []
