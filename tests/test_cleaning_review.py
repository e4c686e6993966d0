"""The review queue (one row per suspect span, evidence, decisions that persist) and the
function-word rule, on real text: kollontai-ocr and a vendored ICDAR 2017 newspaper page."""

from __future__ import annotations

import re
import unicodedata

import pytest

from corpusflow.cleaning.lexicon import historical_variant, zipf_frequency
from corpusflow.cleaning.review import read_review_decisions
from corpusflow.cleaning.stage import (
    EVIDENCE_COLUMNS,
    Decisions,
    Witnesses,
    clean_document,
    settings_from_config,
)
from corpusflow.config import default_config
from corpusflow.errors import InputError
from corpusflow.ingest import ingest_document
from corpusflow.manifest import read_manifest
from tests.conftest import REPO
from tests.defaults import UNICODE_FORM

HEADER = "doc_id\tleft\tbefore\tafter\tright\tdecision\tnote\n"
ICDAR = REPO / "benchmarks" / "data" / "icdar2017-en"
NEWSPAPER = ICDAR / "eng_periodical" / "8.txt"


def settings(**changes) -> dict:
    """The arguments of clean_document from the schema's defaults with ``changes``."""
    return settings_from_config({**default_config()["cleaning"], **changes})


def pamphlet_inputs() -> tuple[str, dict[str, str]]:
    """The ingested OCR text of the pamphlet and its witnesses' texts, as the stage gets them."""
    manifest = read_manifest(REPO / "config" / "corpus.tsv")
    texts = {
        row["doc_id"]: ingest_document(
            REPO / row["path"], encoding=row["encoding"], unicode_form=UNICODE_FORM
        ).text
        for row in manifest
        if row["doc_id"].startswith("kollontai")
    }
    return texts["kollontai-ocr"], {w: texts[w] for w in manifest["kollontai-ocr"]["witnesses"]}


def clean_pamphlet(text: str, witnesses: dict[str, str], **arguments):
    """The stage on the pamphlet's ingested text as the workflow runs it: word correction on,
    its witnesses, the web edition declared as derived from it."""
    return clean_document(
        text,
        doc_id="kollontai-ocr",
        hard_wrapped=None,
        correct_words=True,
        witnesses=Witnesses(witnesses, ["kollontai-web"]),
        **arguments,
    )


@pytest.fixture(scope="module")
def kollontai():
    text, witnesses = pamphlet_inputs()

    def run(**kwargs):
        return clean_pamphlet(text, witnesses, **settings(), **kwargs)

    return run, run()


def test_the_queue_has_one_row_per_span_with_its_evidence(kollontai):
    _, result = kollontai
    spans = [(row["ingest_start"], row["ingest_end"]) for row in result.review]
    assert len(result.review) > 100
    assert len(spans) == len(set(spans))
    realword = [row for row in result.review if row["kind"] == "realword"]
    assert realword
    for row in realword:
        assert all(row[column] >= 0 for column in EVIDENCE_COLUMNS), row
        assert row["left"] and row["right"] and row["token"] != row["candidate"]
    witnessed = [row for row in result.review if row["kind"] == "witness_rejected"]
    assert witnessed and all(" reads " in row["witnesses"] for row in witnessed)


def test_rejected_suspects_leave_the_queue_and_accepted_ones_are_applied(kollontai, tmp_path):
    run, result = kollontai
    top = sorted(result.review, key=lambda row: -row["likelihood"])[:2]
    table = tmp_path / "decisions.tsv"
    rows = [
        f"kollontai-ocr\t{top[0]['left']}\t{top[0]['token']}\t\t{top[0]['right']}\treject\tok\n",
        f"kollontai-ocr\t{top[1]['left']}\t{top[1]['token']}\t{top[1]['candidate']}\t"
        f"{top[1]['right']}\taccept\tread it\n",
    ]
    table.write_text(HEADER + "".join(rows))
    accepted, rejected = read_review_decisions(table)
    decided = run(decisions=Decisions(accepted, rejected))
    spans = {(row["ingest_start"], row["ingest_end"]) for row in decided.review}
    assert (top[0]["ingest_start"], top[0]["ingest_end"]) not in spans
    assert len(decided.review) == len(result.review) - 1
    applied = [edit for edit in decided.edits if edit.rule == "curated"]
    assert [edit.after for edit in applied] == [top[1]["candidate"]]
    assert applied[0].start == top[1]["ingest_start"]
    assert not decided.curated_problems


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("d\ta\tb\tc\td\tmaybe\tn\n", "decision 'maybe'"),
        ("d\ta\tb\tb\td\taccept\tn\n", "after that differs"),
        ("d\ta\tb\tc\td\taccept\n", "expected 7"),
    ],
)
def test_malformed_decisions_are_coded_errors_naming_the_line(tmp_path, body, message):
    table = tmp_path / "decisions.tsv"
    table.write_text("# comment\n" + HEADER + body)
    with pytest.raises(InputError, match=rf"CF303.*decisions.tsv:3: .*{message}"):
        read_review_decisions(table)


def newspaper(path=NEWSPAPER):
    lines = path.read_text(encoding="utf-8").split("\n")
    ocr, aligned_ocr, aligned_gold = (line.split("] ", 1)[1] for line in lines[:3])
    position = [k for k, c in enumerate(aligned_ocr) if c != "@"]

    def gold(start, end):
        span = aligned_gold[position[start] : position[end - 1] + 1]
        return None if "#" in span else "".join(c for c in span if c != "@")

    return ocr, gold


@pytest.fixture(scope="module")
def cleaned_newspaper():
    ocr, gold = newspaper()
    result = clean_document(ocr, doc_id="p8", hard_wrapped=None, correct_words=True, **settings())
    return ocr, gold, result


LINE_BREAK = re.compile(r"(?<=[^\W\d_])[-‐‑¬\xad]\s+(?=[a-z])")


def test_channel_corrections_agree_with_the_gold_in_real_newspaper_ocr(cleaned_newspaper):
    """ICDAR 2017 English periodical 8 (1857): nine in ten of the channel's changes where a
    gold standard exists are the gold's reading."""
    ocr, gold, result = cleaned_newspaper
    changes = [e for e in result.edits if e.rule == "channel"]
    changes = [e for e in changes if gold(e.start, e.end) is not None]  # where gold exists
    assert len(changes) >= 20
    # the gold keeps the printed line breaks' hyphens ("neigh- bours"): a word is joined
    # and spells ligatures as one character ("suﬃcient"): NFKC
    spans = [unicodedata.normalize("NFKC", gold(e.start, e.end)) for e in changes]
    words = [" ".join(LINE_BREAK.sub("", span).split()) for span in spans]
    right = [e for e, word in zip(changes, words, strict=True) if word == e.after]
    assert len(right) >= 0.9 * len(changes), [
        (e.after, word) for e, word in zip(changes, words, strict=True) if word != e.after
    ]


def test_the_channel_never_runs_outside_ocr():
    ocr, _ = newspaper()
    result = clean_document(ocr, doc_id="p8", hard_wrapped=None, correct_words=False, **settings())
    assert not [e for e in result.edits if e.rule == "channel"]
    assert " tbe " in result.text or " aud " in result.text or " nnd " in result.text


@pytest.mark.parametrize(
    ("form", "word", "older"),
    [
        ("selfe", "self", True),
        ("greatnesse", "greatness", True),
        ("vpon", "upon", True),
        ("cryed", "cried", True),
        ("fetcht", "fetch", True),
        ("peeces", "pieces", True),
        ("compleated", "completed", True),
        ("daies", "days", True),
        ("enioy", "enjoy", True),
        ("jn", "in", False),  # a j for i is OCR's, not the printer's
        ("viij", "viii", True),  # ... except the last letter of a numeral
        ("hawaij", "hawaii", False),  # ... of a numeral only
        ("wlll", "will", False),
        ("tbe", "the", False),
        ("qnite", "quite", False),
    ],
)
def test_older_spellings_are_told_from_ocr_errors(form, word, older):
    assert historical_variant(form, word) is older


def test_common_english_words_are_no_corpus_confusions(cleaned_newspaper):
    """In one newspaper page, "hate" -> "have" or "bell" -> "hall" is no OCR evidence."""
    ocr, _, result = cleaned_newspaper
    cleaning = default_config()["cleaning"]
    changed = [ocr[e.start : e.end].lower() for e in result.edits if e.rule == "corpus"]
    assert all(zipf_frequency(w) < cleaning["corpus_max_token_zipf"] for w in changed)


def test_amounts_are_not_non_words_to_correct():
    """ICDAR periodical 4 (1893) has amounts such as "5s" and "6d"; none becomes a word."""
    ocr, _ = newspaper(ICDAR / "eng_periodical" / "4.txt")
    assert re.search(r"\b[0-9]+[sd]\b", ocr)
    result = clean_document(ocr, doc_id="p4", hard_wrapped=None, correct_words=True, **settings())
    changed = [ocr[e.start : e.end] for e in result.edits if e.rule == "channel"]
    assert changed
    assert not [form for form in changed if form[0].isdigit()]


def test_a_text_in_older_spelling_keeps_its_period_spellings():
    """ICDAR monograph 8 (Friar Bacon: himselfe, unlesse, thankes, chuse) is in older
    spelling: at the schema's thresholds none of its period spellings is changed; with no
    gain required some would be ("chuse", "loth")."""
    ocr, _ = newspaper(ICDAR / "eng_monograph" / "8.txt")
    period = {"himselfe", "unlesse", "thankes", "hee", "bee", "chuse", "selfe", "doe", "loth"}

    def changed(**changes) -> set[str]:
        arguments = settings(**changes)
        result = clean_document(
            ocr, doc_id="m8", hard_wrapped=None, correct_words=True, **arguments
        )
        return {ocr[e.start : e.end].lower() for e in result.edits if e.rule == "channel"}

    assert "resti tution" in changed()  # the channel did act on this text
    assert not changed() & period
    eager = {"channel_min_gain": 0.0, "channel_margin": 0.0, "channel_realword_extra": 0.0}
    assert changed(**eager) & period


def test_by_default_only_ocr_confusable_capitals_are_lowercased():
    """ICDAR periodical 7 (1857): "He", "Two" after a lowercase word are the page's own."""
    ocr, _ = newspaper(ICDAR / "eng_periodical" / "7.txt")
    result = clean_document(ocr, doc_id="p7", hard_wrapped=None, correct_words=True, **settings())
    initials = default_config()["cleaning"]["case_lowercase_initials"]
    lowered = [ocr[e.start] for e in result.edits if e.rule == "case" and e.after.islower()]
    assert all(letter in initials for letter in lowered)


def test_a_real_word_needs_support_from_the_context():
    """ICDAR monograph 29 quotes German ("wo ..."): "wo" is not "we" there, and only the
    context gain tells (with no gain required it would be changed)."""
    ocr, _ = newspaper(ICDAR / "eng_monograph" / "29.txt")

    def changed(**changes):
        result = clean_document(
            ocr, doc_id="m29", hard_wrapped=None, correct_words=True, **settings(**changes)
        )
        return [ocr[e.start : e.end] for e in result.edits if e.rule == "channel"]

    assert "wo" not in changed()
    assert "wo" in changed(channel_min_gain=0.0, channel_realword_extra=0.0, channel_margin=0.0)
