"""Money amounts whose digits the OCR read as letters (corpusflow.cleaning.amounts): the
shape, the context that must show an amount, and real words left alone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from corpusflow.cleaning.amounts import RULE, amount_corrections, chunks
from corpusflow.cleaning.checks import check_amount_glyphs, check_cleaning_config
from corpusflow.cleaning.lexicon import zipf_frequency
from corpusflow.cleaning.stage import clean_document, settings_from_config
from corpusflow.cleaning.wordpass import word_corrections
from corpusflow.config import SCHEMA_PATH, check_against_schema, default_config, load_schema
from corpusflow.errors import ConfigError
from corpusflow.manifest import Manifest

SETTINGS = settings_from_config(default_config()["cleaning"])["settings"]


def readings(text: str, **options) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(applied, queued) as (text as written, reading)."""
    edits, review = amount_corrections(text, SETTINGS, **options)
    applied = [(text[e.start : e.end], e.after) for e in edits]
    return applied, [(row["token"], row["candidate"]) for row in review]


@pytest.mark.parametrize(
    ("chunk", "reading"),
    [
        # one case per glyph: the print confusions in code, then the setting's "fi"
        ("ld.", "1d"),
        ("Is.", "1s"),
        ("id", "1d"),
        ("|d", "1d"),
        ("£lOO", "£100"),  # O for 0 after the sign
        ("£loo", "£100"),  # o for 0
        ("£S", "£5"),
        ("bd.", "6d"),
        ("fid.", "6d"),  # "fi" for 6 (amount_glyphs), the unit and its stop
        ("\ufb01d.", "6d"),  # the ligature "ﬁ" wherever "fi" is read
        ("Os.", "0s"),  # one 0 is a number ("£1 1s. 0d.")
        # no glyph of the channel's groups nor of the default setting
        ("Cd.", ""),
        ("cd", ""),
        ("Gd", ""),
        ("fts", ""),
        ("Zs.", ""),
        ("zd", ""),
        # without a sign at most one glyph; a sign and a unit around glyphs: no amount
        ("lid", ""),
        ("Ibid.", ""),
        ("Ibs.", ""),
        ("£Is", ""),
        ("£is", ""),
        ("£l\u0663", ""),  # an Arabic-Indic three is no digit here
        ("12s", ""),  # digits already: nothing to read
        ("ft", ""),  # neither unit nor sign
        ("oils", ""),  # a number does not begin with 0
        ("£Oil", ""),  # after a sign neither
        ("0Is.", ""),
        ("Ihe.", ""),  # h is no digit
        ("£", ""),
    ],
)
def test_a_chunk_reads_as_an_amount_only_in_the_shape_of_one(chunk, reading):
    (parsed,) = chunks(chunk, SETTINGS)
    assert parsed.reading == reading


def test_the_setting_amount_glyphs_adds_a_glyph():
    (parsed,) = chunks("Cd.", replace(SETTINGS, amount_glyphs={"C": "6"}))
    assert (parsed.reading, parsed.glyphs) == ("6d", ["C->6"])
    (parsed,) = chunks("fid.", replace(SETTINGS, amount_glyphs={}))
    assert parsed.reading == ""
    # the setting comes after the code's glyphs: a corpus may read b for 8
    (parsed,) = chunks("bd.", replace(SETTINGS, amount_glyphs={"b": "8"}))
    assert (parsed.reading, parsed.glyphs) == ("8d", ["b->8"])


def test_the_setting_amount_glyphs_is_hashable_and_rejects_units_signs_and_stops():
    assert SETTINGS.amount_glyphs == (("fi", "6"),)
    assert hash(SETTINGS) == hash(replace(SETTINGS, amount_glyphs={"fi": "6"}))
    cleaning = default_config()["cleaning"]
    check_amount_glyphs(cleaning)
    for glyph, mark in (("s", "s"), ("£", "£"), ("d", "d"), ("Id", "d")):
        with pytest.raises(ConfigError, match=rf"CF304.*glyph {glyph!r} with {mark!r} of"):
            check_amount_glyphs({**cleaning, "amount_glyphs": {glyph: "5"}})
    # a glyph held in a longer unit, and every clash named with its list
    with pytest.raises(ConfigError, match="'o' with 'ob' of amount_units"):
        check_amount_glyphs({**cleaning, "amount_units": ["ob"], "amount_glyphs": {"o": "0"}})
    with pytest.raises(ConfigError, match="'s' with 's' of amount_units; the glyph 'd'"):
        check_amount_glyphs({**cleaning, "amount_glyphs": {"s": "5", "d": "0"}})
    # pairs in any order give the same settings
    two = replace(SETTINGS, amount_glyphs={"fi": "6", "Z": "2"})
    assert two == replace(SETTINGS, amount_glyphs={"Z": "2", "fi": "6"})
    # the parse-time checks run it
    with pytest.raises(ConfigError, match="CF304"):
        check_cleaning_config({"cleaning": {**cleaning, "amount_glyphs": {"s": "5"}}}, Manifest([]))
    schema = {k: v for k, v in load_schema(SCHEMA_PATH).items() if k != "required"}
    for glyph in ("f.", ",", "l;", ":"):
        config = default_config()
        config["cleaning"]["amount_glyphs"] = {glyph: "1"}
        with pytest.raises(ConfigError, match="CF101.*amount_glyphs"):
            check_against_schema(config, schema)


def test_an_amount_needs_a_neighbouring_amount_in_money_order():
    # in money order with a neighbour in digits, with or without a stop
    assert readings("bound in cloth at 2s fid each") == ([("fid", "6d")], [])
    assert readings("in case for 8s. fid. rosewood") == ([("fid", "6d")], [])
    # two readings vouch for each other with stops, in money order (s before d)
    assert readings("price fis. fid. each") == ([("fis", "6s"), ("fid", "6d")], [])
    assert readings("price fid. fis. each") == ([], [("fid", "6d"), ("fis", "6s")])
    # a non-word leans on a real word's reading queued ("Is", one neighbour)
    assert readings("Price Is. fid. In case") == ([("fid", "6d")], [("Is", "1s")])
    # a sign is evidence enough, for one glyph and for letters in no word's case ("lOO")
    assert readings("a deposit of £S per share") == ([("£S", "£5")], [])
    assert readings("a sum of £lOO paid") == ([("£lOO", "£100")], [])
    # a unit and a stop alone: to the review queue only
    assert readings("copy books, 30. fid. per dozen") == ([], [("fid", "6d")])
    # a comma is no stop
    assert readings("copy books, 30, fid, per dozen") == ([], [])
    assert readings("sold at 6d, fid, each") == ([], [])
    # a neighbour out of money order (either side): nothing, or queued with a stop ("June
    # 3d." is a date)
    assert readings("on June 3d. fid. the") == ([], [("fid", "6d")])
    assert readings("sold at 6d fid each") == ([], [])
    assert readings("sold at fid 6d each") == ([], [])
    # two readings without stops do not vouch for each other
    assert readings("sold at Is fid each") == ([], [])


def test_a_reading_applied_is_an_amount_for_its_neighbours_in_a_second_pass():
    # "Is" (one amount applied beside it) waits; "fid." is applied; then "Is", between two
    # "fid." leans on "Is." (stops, money order), which stays queued as a real word
    assert readings("pub. £1. Is. fid. net") == ([("fid", "6d")], [("Is", "1s")])
    # "fid." next to "6d." out of money order: queued, and "Is" gets nothing from it
    assert readings("either Is fid. 6d.") == ([], [("fid", "6d")])
    # with three units a reading can wait for one on its right: "fis" is applied next to
    # "6d", then "fiq" next to it (units q, s, d)
    three = replace(SETTINGS, amount_units=("q", "s", "d"))
    edits, _ = amount_corrections("a sum of fiq fis 6d paid", three)
    assert [e.after for e in edits] == ["6q", "6s"]
    # out of money order on one side ("3d" after "fid"): the neighbour in order suffices
    assert readings("sold at 2s fid 3d each") == ([("fid", "6d")], [])


def test_after_a_sign_a_word_of_several_glyphs_in_ordinary_case_is_only_queued():
    for word, reading in (("Ill", "£111"), ("boil", "£6011"), ("Sol", "£501"), ("IS", "£15")):
        assert readings(f"a sum of £{word} paid") == ([], [(f"£{word}", reading)])
    # one glyph ("£S"), or letters in no word's case ("£lOO", "£Oil"), are read
    assert readings("a sum of £lOO paid") == ([("£lOO", "£100")], [])
    assert readings("a sum of £IOl paid") == ([("£IOl", "£101")], [])


def test_a_real_word_without_a_sign_is_never_applied_only_queued_beside_an_amount():
    assert readings("It Is a fine day and it is so.") == ([], [])
    assert readings("pub. at £1. Is. 6d. net") == ([], [("Is", "1s")])
    # the verb between two amounts in digits, in money order (a third review's sentences)
    for text in (
        "The book is worth £1. Is 6d. too much to ask for postage?",
        "He said £1. Is 6d. enough? No.",
        "Cost £2, Is 6d. Cheaper?",
        "Why the Loaf at £1 Is 6d. Dearer",
    ):
        assert readings(text)[0] == []
    # "£1. Is. Od." is queued whole, not half read; so are "£5. Is. Id." and a lowercase
    # neighbour
    assert readings("pub. at £1. Is. Od. net") == ([], [("Is", "1s"), ("Od", "0d")])
    assert readings("bound, £5. Is. Id. net") == ([], [("Is", "1s"), ("Id", "1d")])
    # lowercase: queued at most (finding 1)
    duty = "The stamp duty on a receipt for 5s. is 2d. and on a bill of 10s. is 6d."
    assert readings(duty)[0] == []
    assert readings("bound, £1. is. 6d. net")[0] == []
    # one neighbour, or out of money order: queued (finding 2; no "capital where no sentence
    # starts" any more)
    assert readings("the price is 6d. a copy") == ([], [("is", "1s")])
    assert readings("Is 6d. the price of it?") == ([], [("Is", "1s")])
    assert readings("The Price Is 6d. Weekly") == ([], [("Is", "1s")])
    assert readings("What Is 3d Printing") == ([], [("Is", "1s")])
    # a neighbour out of money order is no price beside it: not even queued
    assert readings("nominal damages of 6d. Id. at 45.") == ([], [])
    assert readings("on June 3d. Is it?") == ([], [])
    assert readings("frames at either Is 6d or 2s") == ([], [("Is", "1s")])
    assert readings("either Is 12s") == ([], [])  # out of order: not even queued
    assert readings("pub. at £1. Is 12s Pugin") == ([], [("Is", "1s")])
    # without a sign more than one glyph is no amount, nor a neighbouring one; G is no glyph
    assert readings("Rings, £1. Gold 12s. each") == ([], [])
    assert readings("unpaid bills. fid. more") == ([], [("fid", "6d")])
    # without a sign one glyph at most (finding 3)
    assert readings("3s. 4d. Ibid. p. 12") == ([], [])
    assert readings("weighing 10 Ibs. 6d. a pound") == ([], [])


def test_the_evidence_of_an_edit_says_what_was_read_and_why():
    edits, review = amount_corrections("pub. at £1. Is. 6d. net", SETTINGS)
    assert review[0]["evidence"] == (
        f"amount: read as 1s (I->1); a real word (Zipf {zipf_frequency('is'):.2f}); "
        "next to £1. and 6d. in money order; a stop after the unit"
    )
    edits, _ = amount_corrections("bound in cloth at 2s. fid. each", SETTINGS)
    assert edits[0].evidence == (
        "amount: read as 6d (fi->6); next to 2s. in money order; a stop after the unit"
    )
    edits, _ = amount_corrections("a sum of £lOO paid", SETTINGS)
    assert edits[0].evidence == (
        f"amount: read as £100 (l->1, O->0, O->0); a real word (Zipf "
        f"{zipf_frequency('loo'):.2f}); a currency sign"
    )
    _, review = amount_corrections("a sum of £Ill paid", SETTINGS)
    assert review[0]["evidence"] == (
        f"amount: read as £111 (I->1, l->1, l->1); a real word (Zipf "
        f"{zipf_frequency('ill'):.2f}); a currency sign; a word in ordinary case"
    )
    _, review = amount_corrections("copy books, 30. fid. per dozen", SETTINGS)
    assert [(row["evidence"], row["likelihood"]) for row in review] == [
        ("amount: read as 6d (fi->6); a stop after the unit", 0.5)
    ]


def test_a_text_of_older_spelling_gets_its_readings_queued_only():
    assert readings("sold at 2s fid each", cautious=True) == ([], [("fid", "6d")])
    assert readings("the yarde at 3s. fid.") == ([("fid", "6d")], [])
    assert readings("the yarde at 3s. fid.", cautious=True) == ([], [("fid", "6d")])
    old = "This booke is sold vpon the bridge at 2s fid each, and hath beene cryed in the streetes."
    new = "This book is sold upon the bridge at 2s fid each, and has been cried in the streets."
    assert amount_edits(old, {}) == []
    assert amount_edits(new, {}) == [("fid", "6d")]


def test_a_token_a_witness_settled_gets_no_reading_and_no_review_row():
    ocr = "The new almanack is bound in cloth at 2s fid each and sold by all the booksellers."
    assert amount_edits(ocr, {}) == [("fid", "6d")]
    for witness in (ocr.replace("fid", "6d"), ocr.replace("fid", "9d")):
        edits, review = word_corrections(ocr, {"w": witness}, SETTINGS, frozenset(), 0.05)
        assert not [e for e in edits if e.rule == RULE]
        assert not [row for row in review if row["kind"] == RULE]
    # a reading on a chunk a witness settled is dropped; an amount in digits a witness
    # agrees with still vouches for its neighbour ("2s" for "fid")
    assert readings("sold at Is. 6d. each", settled=[(8, 11)]) == ([], [])
    assert readings("sold at 2s fid each", settled=[(8, 10)]) == ([("fid", "6d")], [])
    ocr = "The new almanack is sold at 2s fid each and bound in cloth by all the booksellers."
    # a witness that lacks the price settles "2s" (it agrees) but not "fid"
    assert amount_edits(ocr, {"w": ocr.replace(" fid", "")}) == [("fid", "6d")]


def amount_edits(text: str, witnesses: dict) -> list[tuple[str, str]]:
    """The amount edits of the whole word pass on ``text``."""
    edits, _ = word_corrections(text, witnesses, SETTINGS, frozenset(), 0.05)
    return [(text[e.start : e.end], e.after) for e in edits if e.rule == RULE]


PASSAGE = """NEW PUBLICATIONS.
THE GENERAL ALMANACK for the coming year. Price Is. fid. In case for the
pocket, 2s. fid. It Is a work which every household should have, and is
sold by all booksellers. Bound in cloth, gilt edges, £l. Is. Od.; the
trade supplied at 18s. Cd. the dozen. Artificial gums, £S usually charged."""


def test_a_newspaper_advertisement_gets_its_amounts_and_keeps_its_words():
    result = clean_document(
        PASSAGE,
        doc_id="ad",
        hard_wrapped=False,
        correct_words=True,
        **settings_from_config({**default_config()["cleaning"], "clean_text_max_noise": 0.0}),
    )
    amounts = [(PASSAGE[e.start : e.end], e.after) for e in result.edits if e.rule == RULE]
    # "Is." and "Od." are real words with no amount applied on one side: queued; c is no
    # glyph by default
    assert amounts == [("fid", "6d"), ("fid", "6d"), ("£l", "£1"), ("£S", "£5")]
    assert all("amount: read as" in e.evidence for e in result.edits if e.rule == RULE)
    # the amounts read are no channel suspects ("fid" -> did)
    spans = [(e.start, e.end) for e in result.edits if e.rule == RULE]
    assert not [
        row
        for row in result.review
        if any(a < row["ingest_end"] and row["ingest_start"] < b for a, b in spans)
    ]
    words = " ".join(result.text.split())
    assert "It Is a work" in words and "and is sold" in words
