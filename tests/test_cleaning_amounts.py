"""Money amounts whose digits the OCR read as letters (corpusflow.cleaning.amounts): the
shape, the context that must show an amount, and real words left alone."""

from __future__ import annotations

import pytest

from corpusflow.cleaning.amounts import RULE, amount_corrections, chunks
from corpusflow.cleaning.stage import clean_document, settings_from_config
from corpusflow.config import default_config

SETTINGS = settings_from_config(default_config()["cleaning"])["settings"]


def readings(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(applied, queued) as (text as written, reading)."""
    edits, review = amount_corrections(text, SETTINGS, SETTINGS.lexicon_min_zipf)
    applied = [(text[e.start : e.end], e.after) for e in edits]
    return applied, [(row["token"], row["candidate"]) for row in review]


@pytest.mark.parametrize(
    ("chunk", "reading"),
    [
        ("fid.", "6d"),  # "fi" for 6, the unit and its stop
        ("£lOO", "£100"),  # l for 1, O for 0 after the sign
        ("lid", "11d"),
        ("Cd.", "6d"),
        ("Os.", "0s"),  # one 0 is a number ("£1 1s. 0d.")
        ("12s", ""),  # digits already: nothing to read
        ("ft", ""),  # neither unit nor sign
        ("oils", ""),  # a number does not begin with 0
        ("Ihe.", ""),  # h is no digit
        ("£", ""),
    ],
)
def test_a_chunk_reads_as_an_amount_only_in_the_shape_of_one(chunk, reading):
    (parsed,) = chunks(chunk, SETTINGS)
    assert parsed.reading == reading


def test_an_amount_needs_a_neighbouring_amount_with_a_stop_or_in_money_order():
    # in money order with a neighbour in digits, with or without a stop
    assert readings("bound in cloth at 2s fid each") == ([("fid", "6d")], [])
    assert readings("in case for 8s. Cd. rosewood") == ([("Cd", "6d")], [])
    # two readings vouch for each other with stops, in money order (s before d)
    assert readings("Price Is. fid. In case") == ([("Is", "1s"), ("fid", "6d")], [])
    # a sign is evidence enough
    assert readings("a deposit of £ft per share") == ([("£ft", "£5")], [])
    # a unit and a stop alone: to the review queue only
    assert readings("copy books, 30. fid. per dozen") == ([], [("fid", "6d")])
    # a neighbour out of money order and no stop: nothing
    assert readings("sold at 6d fid each") == ([], [])
    # two readings without stops do not vouch for each other
    assert readings("sold at Is fid each") == ([], [])


def test_a_real_word_needs_more_evidence_and_is_left_otherwise():
    assert readings("It Is a fine day and it is so.") == ([], [])
    # a real word with one neighbouring amount: queued, never applied
    assert readings("the price is 6d. a copy") == ([], [("is", "1s")])
    assert readings("Is 6d. the price of it?") == ([], [("Is", "1s")])
    # a capital where no sentence starts, or amounts on both sides
    assert readings("frames at either Is 6d or 2s") == ([("Is", "1s")], [])
    assert readings("pub. at £1. Is 12s Pugin") == ([("Is", "1s")], [])
    # a word of more than one glyph is a word, not an amount, nor a neighbouring one
    assert readings("Rings, £1. Gold 12s. each") == ([], [])
    assert readings("unpaid bills. fid. more") == ([], [("fid", "6d")])


PASSAGE = """NEW PUBLICATIONS.
THE GENERAL ALMANACK for the coming year. Price Is. fid. In case for the
pocket, 2s. fid. It Is a work which every household should have, and is
sold by all booksellers. Bound in cloth, gilt edges, £l. Is. Od.; the
trade supplied at 18s. Cd. the dozen. Artificial gums, £ift usually charged."""


def test_a_newspaper_advertisement_gets_its_amounts_and_keeps_its_words():
    result = clean_document(
        PASSAGE,
        doc_id="ad",
        hard_wrapped=False,
        correct_words=True,
        **settings_from_config({**default_config()["cleaning"], "clean_text_max_noise": 0.0}),
    )
    amounts = [(PASSAGE[e.start : e.end], e.after) for e in result.edits if e.rule == RULE]
    assert amounts == [
        ("Is", "1s"),
        ("fid", "6d"),
        ("fid", "6d"),
        ("£l", "£1"),
        ("Is", "1s"),
        ("Od", "0d"),
        ("Cd", "6d"),
        ("£ift", "£15"),
    ]
    assert all("amount: read as" in e.evidence for e in result.edits if e.rule == RULE)
    # the amounts read are no channel suspects ("fid" -> did, "ift" -> it)
    spans = [(e.start, e.end) for e in result.edits if e.rule == RULE]
    assert not [
        row
        for row in result.review
        if any(a < row["ingest_end"] and row["ingest_start"] < b for a, b in spans)
    ]
    words = " ".join(result.text.split())
    assert "It Is a work" in words and "and is sold" in words
