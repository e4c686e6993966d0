"""The noisy channel's joins of two words and its real-word threshold in noisy documents
(corpusflow.cleaning.channel), with the real trigram model and word lists."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter

import pytest

from corpusflow.cleaning.channel import digits_for_letters, realword_extra
from corpusflow.cleaning.hyphenated import spelled
from corpusflow.cleaning.junk import is_junk, junk_span
from corpusflow.cleaning.lexicon import (
    CONFUSION_COST,
    Lexicon,
    confusable_words,
    english_index,
    ocr_distance,
)
from corpusflow.cleaning.stage import clean_document, settings_from_config
from corpusflow.cleaning.wordpass import word_corrections
from corpusflow.cleaning.words import in_older_spelling, text_tokens
from corpusflow.config import default_config

SETTINGS = settings_from_config(default_config()["cleaning"])["settings"]


def channel_edits(text: str) -> list[tuple[str, str]]:
    """The channel's edits on a one-sentence text declared OCR (the manifest trusted: one
    sentence cannot look like OCR)."""
    cleaning = {**default_config()["cleaning"], "clean_text_max_noise": 0.0}
    result = clean_document(
        text, doc_id="t", hard_wrapped=False, correct_words=True, **settings_from_config(cleaning)
    )
    return [(text[e.start : e.end], e.after) for e in result.edits if e.rule == "channel"]


def test_two_words_that_are_one_broken_word_are_joined():
    # a word broken at a lost line-end hyphen leaves two words ("con", "tented")
    assert channel_edits("The members were con tented with the decision of the congress.") == [
        ("con tented", "contented")
    ]
    assert channel_edits("The workers were re warded for their labour in the evening.") == [
        ("re warded", "rewarded")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "He walked a long way to the station and took the train to the city.",
        "They went in to the house and sat down by the fire for the evening.",
        # "with out" is joined here: tests/test_cleaning_segment.py
        "They did it any way they could for the workers in the town.",
    ],
)
def test_two_words_that_read_well_apart_stay_apart(text):
    assert channel_edits(text) == []


def test_the_real_word_extra_gain_shrinks_with_the_documents_noise():
    full, reference = SETTINGS.channel_realword_extra, SETTINGS.channel_noise_reference
    assert realword_extra(SETTINGS, 0.0, cautious=False) == full
    assert realword_extra(SETTINGS, reference, cautious=False) == full
    assert realword_extra(SETTINGS, 10 * reference, cautious=False) == pytest.approx(full - 1)
    assert realword_extra(SETTINGS, 1.0, cautious=False) == max(
        0.0, full - math.log10(1 / reference)
    )
    # a text in older spelling keeps all of it: its non-words are period spellings
    assert realword_extra(SETTINGS, 10 * reference, cautious=True) == full


def test_a_noisy_document_gets_a_real_word_fix_that_a_clean_one_does_not():
    # "ol" is a word (zipf about 4); "of" gains about 3.6 here: under the full extra gain, over
    # the extra of a document with ten times the reference noise
    text = "The president of the society ol the town opened the meeting at noon."

    def fixes(noise: float) -> list[tuple[str, str]]:
        edits, _ = word_corrections(text, {}, SETTINGS, frozenset(), noise)
        return [(text[e.start : e.end], e.after) for e in edits]

    assert fixes(0.0) == []
    assert fixes(10 * SETTINGS.channel_noise_reference) == [("ol", "of")]


@pytest.mark.parametrize(
    ("text", "edit"),
    [
        ("The workers met in a smal room of the union hall.", ("smal", "small")),
        ("The congress wiil meet again in the spring of next year.", ("wiil", "will")),
    ],
)
def test_a_doubled_or_undoubled_letter_is_an_ocr_error_not_a_spelling(text, edit):
    # transliteration keys ("-ff"/"-v", doubled letters) are for the names of witnessed text;
    # in the channel they would hide "small" from "smal"
    assert channel_edits(text) == [edit]


@pytest.mark.parametrize(("ocr", "word"), [("wdl", "will"), ("shad", "shall"), ("aH", "all")])
def test_a_d_for_il_or_ll_and_an_h_for_ll_are_one_ocr_confusion(ocr, word):
    # real words get readings one confusion away only: "wdl", "shad" were never read as
    # "will", "shall" (19th-century type)
    assert ocr_distance(ocr, word) == CONFUSION_COST


def test_a_short_garble_gets_readings_two_edits_away():
    # "ih" shares one letter with "the": found through the index's one-letter keys
    assert channel_edits("They went to ih house of the president at noon.") == [("ih", "the")]


def test_a_capitalised_word_at_a_sentence_start_is_scored():
    # "aud" counts as a word (wordfreq); its capital is the sentence's, not a name's, so it
    # is scored as a real word (with the extra gain), the case restored
    text = "The meeting was long. Aud the workers went home at night."
    noise = 10 * SETTINGS.channel_noise_reference
    edits, _ = word_corrections(text, {}, SETTINGS, frozenset(), noise)
    assert [(text[e.start : e.end], e.after) for e in edits if e.rule == "channel"] == [
        ("Aud", "And")
    ]


def test_a_non_word_several_ocr_confusions_from_its_word_gets_it_as_a_reading():
    # "caratnl" is three edits from "careful" (a for e, t for f, n for u): confusions all
    # but one, found through the index of folded forms
    text = "The workers were very caratnl of their tools and machines."
    assert channel_edits(text) == [("caratnl", "careful")]


def test_debris_with_a_capital_inside_is_mended_in_a_text_in_older_spelling():
    # "deedes" makes this a text in older spelling, where every change needs the real-word
    # extra; "called" gains about 3.5 here, short of it, but "caUed" is OCR debris, no period
    # form, and needs only channel_min_gain
    text = (
        "Then there was a great master named Lucifer, who caUed all the rest to make a "
        "reckoning of their deedes."
    )
    edits, _ = word_corrections(text, {}, SETTINGS, frozenset(), 0.05)
    assert [(text[e.start : e.end], e.after) for e in edits] == [("caUed", "called")]


#: Modern prose with two place names that look like period spellings ("ryde" for ride,
#: "moreton"), 2 of its 113 words, and a garble whose reading gains about 3.5: over
#: channel_min_gain, under it plus the real-word extra a text in older spelling asks.
NAMES = (
    "They sailed from Ryde to Moreton and back again. "
    + "The mayor said that the work on the new road would be done by the end of the month, "
    "and the people of the district were glad to hear it at last. "
    * 3
    + "He could not speak for himsef that evening."
)


@pytest.mark.parametrize(("text", "older"), [(NAMES, False), (NAMES.lower(), True)])
def test_capitalised_words_inside_a_sentence_are_no_evidence_of_older_spelling(text, older):
    # names look like period spellings by chance; lowercase, the same forms are evidence
    toks = text_tokens(text)
    index = english_index(SETTINGS.candidate_vocabulary_size)
    assert in_older_spelling(toks, Lexicon(Counter(), Counter()), index, SETTINGS) is older
    edits, _ = word_corrections(text, {}, SETTINGS, frozenset(), 0.05)
    assert [(text[e.start : e.end], e.after) for e in edits] == (
        [] if older else [("himsef", "himself")]
    )


def test_the_channel_learns_from_every_first_pass_correction():
    # "himself" gains about 3.5 in the first pass: applied (over channel_min_gain) though not
    # twice the threshold; its insertion is learned, and the second pass scores it higher
    # ("himsel", which wordfreq knows, needs the real-word extra: needs_extra)
    text = "He could not speak for himsef that evening."
    edits, _ = word_corrections(text, {}, SETTINGS, frozenset(), 0.05)
    assert [(text[e.start : e.end], e.after) for e in edits] == [("himsef", "himself")]
    assert edits[0].evidence.endswith("channel learned 1 operations")


def test_a_capitalised_form_only_the_document_repeats_is_scored_inside_a_sentence():
    # "Hke" is no English word ("li" read as "H"); repeated, the document makes it a word of
    # its own, but a capitalised word inside a sentence is taken for a name only when
    # English knows it: scored as a real word, with the extra gain, the case kept
    text = " ".join(["The men were Hke their fathers."] * 4)
    edits, _ = word_corrections(text, {}, SETTINGS, frozenset(), 0.05)
    assert [(text[e.start : e.end], e.after) for e in edits] == [("Hke", "Like")] * 4


def test_a_capitalised_english_word_inside_a_sentence_is_left_as_a_name():
    # "Bis" is an English form (a name, or "his" garbled): inside a sentence it is not
    # scored; scored, the language model would read it as "His"
    text = "He spoke with his wife and Bis son on the matter of the day."
    edits, _ = word_corrections(text, {}, SETTINGS, frozenset(), 0.05)
    assert edits == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Apply at the office in Oxford-stroet, London, before noon.", [("stroet", "street")]),
        ("The meeting of the twenty-fivo members was held in the hall.", [("fivo", "five")]),
        # the two parts make a word: a word broken at a hyphen, its part no word of its own
        ("The con-dition of the workers was bad.", []),
        # a part shorter than three letters: left alone ("cember" is not "member")
        ("The meeting was held in De-cember of that year.", []),
        # a hyphen with no other part (the text's last word broken at a line end)
        ("The members of the society met in the Assem-", []),
    ],
)
def test_a_non_word_part_of_a_hyphenated_word_is_scored_beside_an_english_word(text, expected):
    edits, _ = word_corrections(text, {}, SETTINGS, frozenset(), 0.05)
    assert [(text[e.start : e.end], e.after) for e in edits] == expected


def test_a_word_hyphenated_in_the_ocr_is_read_as_one_word_with_the_hyphen_kept():
    # both parts non-words: the concatenation "questfon" gets a non-word's candidates; only
    # letters change, the printed hyphen stays where the letters align
    text = "He wrote on the ques-tfon of the extension of the franchise."
    edits, _ = word_corrections(text, {}, SETTINGS, frozenset(), 0.05)
    assert [(text[e.start : e.end], e.after) for e in edits] == [("ques-tfon", "ques-tion")]
    assert "substitution (hyphen kept)" in edits[0].evidence


@pytest.mark.parametrize(
    ("span", "reading", "expected"),
    [
        ("ques-tfon", "question", "ques-tion"),
        ("horixen-tal", "horizontal", "horizon-tal"),
        ("Chancery-lanv", "chancerylane", "Chancery-lane"),
        ("NEW-YROK", "newyork", "NEW-YORK"),
        ("Tuee-day", "tuesday", "Tues-day"),
        ("\u0130stan-bui", "i\u0307stanbul", "I\u0307stan-bul"),  # "İ" lowercases to two
        ("ofthe", "of the", "of the"),  # no hyphen: the case only
        ("x-ray", "ray", None),  # a part would be empty: no reading
    ],
)
def test_a_reading_is_written_with_the_hyphen_where_its_letters_align(span, reading, expected):
    assert spelled(span, reading) == expected


def test_a_hyphenated_word_with_a_part_under_three_letters_is_not_read_as_one():
    # a piece of one or two letters is as often debris as a syllable: "schoo-l" would win
    assert channel_edits("He went to secoo-t with his son.") == []


def test_a_part_of_a_compound_is_read_after_the_other_part():
    # "lanv" alone, its left context cut at the hyphen, read best as "and"; after "chancery"
    # the language model reads "lane"
    text = "Apply at the office in Chancery-lanv, London, before noon."
    edits, _ = word_corrections(text, {}, SETTINGS, frozenset(), 0.05)
    assert [(text[e.start : e.end], e.after) for e in edits] == [("lanv", "lane")]


def test_a_non_word_part_beside_a_capitalised_name_is_scored():
    # "Welbeck" is no English word but, capitalised, a name: "slreet" is read after it
    text = "He lived in a house in Welbeck-slreet with his wife."
    edits, _ = word_corrections(text, {}, SETTINGS, frozenset(), 0.05)
    assert [(text[e.start : e.end], e.after) for e in edits] == [("slreet", "street")]


@pytest.mark.parametrize(
    ("text", "edit"),
    [
        ("He spoke with hi# wife and his son on the matter of the day.", ("hi#", "his")),
        ("The men an# women of the town met in the hall at noon.", ("an#", "and")),
        ("The meeting was held in •bis town last year.", ("•bis", "this")),
        # the case is the letters', not the junk's (which has none)
        ("The meeting ended at noon. •Tbis was the end of it all.", ("•Tbis", "This")),
    ],
)
def test_a_junk_character_beside_a_word_is_read_as_a_letter(text, edit):
    # "#" after a word, "•" before it: a letter the OCR did not recognise; the edit takes
    # the junk character in ("hi" alone is a word: without the junk, no reading is needed)
    assert channel_edits(text) == [edit]


@pytest.mark.parametrize(
    "text",
    [
        # the language model prefers the word as printed: the junk is left, the word kept
        "He wrote to the officer# of the society on the matter.",
        # marks that do stand against words are no junk, even where a letter would read
        # better ("his", "and")
        "He spoke with hi* wife and his son on the matter of the day.",
        "The men an® women of the town met in the hall at noon.",
    ],
)
def test_a_junk_character_is_read_as_a_letter_only_when_that_reads_better(text):
    assert channel_edits(text) == []


@pytest.mark.parametrize(
    ("text", "edit"),
    [
        ("It will b# the end of the matter for the town.", ("b#", "be")),
        ("He spoke #f the matter with his son in the town.", ("#f", "of")),
        # the letter's readings without the junk (context cut at the junk) are not scored:
        # they would compete with the junk's ("b" -> be, the "#" left)
        ("A moderate salary will b# g for the first year.", ("b#", "be")),
    ],
)
def test_a_lone_letter_with_a_junk_character_is_read_as_a_word(text, edit):
    # a lone letter is never scored alone ("a", an initial, a list marker): with a junk
    # character touching it, the junk read as a letter is its only reading
    assert channel_edits(text) == [edit]


def test_a_lone_letter_is_read_only_with_its_junk_character():
    # "t" alone is as often debris, an initial or a letter as "to": left as printed; so is a
    # list marker
    assert channel_edits("He went t the house of the man at the time of the fire.") == []
    assert channel_edits("The list (a) of the men and (b) of the women was read.") == []


@pytest.mark.parametrize(
    ("text", "edits"),
    [
        # 9 for s, 8 for S: a digit after a letter is read as a non-word's letter
        (
            "The goods were sold at mo9t of the shops before CHRI8TMAS last.",
            [("mo9t", "most"), ("CHRI8TMAS", "CHRISTMAS")],
        ),
        # 8 for S at the end of a word in capitals (as written: the key is lowercase)
        ("The GOLD MEDAL8 WERE GIVEN TO THE WINNERS.", [("MEDAL8", "MEDALS")]),
        # a digit first: a number ("3s. 6d.", "8vo", "21st") or a garble as often read wrong
        ("He paid 3s. 6d. for the 8vo edition on the 21st of May last.", []),
        ("8econd hand furniture was sold at the sale of the house.", []),
    ],
)
def test_digits_read_for_letters_inside_a_word(text, edits):
    assert channel_edits(text) == edits


@pytest.mark.parametrize(
    ("key", "garble"),
    [
        ("mo9t", True),
        ("c0ntents", True),
        ("MEDAL8", True),  # digits at the end of a word in capitals
        ("book8", False),  # ... not of another: a footnote, a code
        ("treaty3", False),
        ("Smith2", False),
        ("blS2", False),
        ("f4ir", False),  # 4 is no OCR confusion of a letter
        ("l0s", False),  # a number with a letter read for a digit
        ("L0S", False),
        ("I5th", False),
        ("o1d", True),  # ... but no number starts with 0, and "0st" is no ordinal
        ("l0st", True),
        ("L1ST", True),  # 11th, not 11st
        ("TREATY1", False),  # at the end of a word in capitals only 5 or 8, for S
        ("NO8", False),  # a number after one or two letters
        ("mo9t's", False),
        ("8econd", False),  # a digit first
        ("3s", False),
        ("no3", False),  # a number after one or two letters
        ("p12", False),
        ("abc123", False),  # as many digits as letters
        ("don't", False),  # an apostrophe: never scored
    ],
)
def test_which_tokens_are_words_with_digits_for_letters(key, garble):
    assert digits_for_letters(key) is garble


def test_8_for_s_is_an_ocr_confusion():
    # the most frequent digit read for a letter in the ICDAR 2017 tuning half ("8econd")
    assert ocr_distance("8ervice", "service") == CONFUSION_COST


def test_a_junk_character_is_one_beside_a_word_not_one_between_two():
    assert junk_span("case#, ten", 0, 4) == (0, 5)
    assert junk_span("the •bis town", 5, 8) == (4, 8)
    assert junk_span("w^ork", 0, 1) is None  # a junk gap: the re-segmentation's join
    assert junk_span("tools* and", 0, 5) is None
    assert not is_junk("£") and not is_junk("]") and is_junk("■")
    assert not is_junk("¬") and not is_junk("<")  # a line-end hyphen, a bracket


@pytest.mark.parametrize(
    ("ocr", "word"),
    [
        ("tiie", "the"),
        ("tile", "the"),
        ("ami", "and"),
        ("winch", "which"),
        ("inatance", "instance"),
    ],
)
def test_ii_or_il_for_h_mi_for_nd_in_for_hi_a_for_s_are_one_ocr_confusion(ocr, word):
    assert ocr_distance(ocr, word) == CONFUSION_COST


def test_a_for_s_is_a_confusion_of_the_folded_search_too():
    # "inataoee" is three edits from "instance" (a for s, o for n, e for c) but two
    # OCR-weighted units: one folded edit once a and s share a class, as their confusion says
    assert "instance" in confusable_words("inataoee", SETTINGS.candidate_vocabulary_size)
    text = "They were the first in an inataoee of this kind."
    assert channel_edits(text) == [("inataoee", "instance")]


def test_a_garble_the_document_repeats_is_read_through_a_multi_letter_confusion():
    # repeated, "tiie" is a word of the document: its readings are one confusion away, and
    # "ii" for "h" is one
    text = " ".join(["He went to tiie house of his father."] * 4)
    edits, _ = word_corrections(text, {}, SETTINGS, frozenset(), 0.05)
    assert [(text[e.start : e.end], e.after) for e in edits] == [("tiie", "the")] * 4


def test_a_long_english_form_the_trigram_model_does_not_know_needs_the_extra():
    # "clime" (wordfreq Zipf 1.9) is no word of the trigram model: scored as an unknown word,
    # "time" gains over channel_min_gain on the language model alone; a form of five letters
    # or more that wordfreq knows is rarely OCR damage, so it needs the real-word extra
    text = "From the torrid clime of the south came the traveller."

    def changed_and_queued(settings):
        edits, review = word_corrections(text, {}, settings, frozenset(), 0.0)
        return [(text[e.start : e.end], e.after) for e in edits], [r["token"] for r in review]

    assert changed_and_queued(SETTINGS) == ([], ["clime"])
    # the length is the schema's: from six letters on, "clime" is held to channel_min_gain
    six = dataclasses.replace(SETTINGS, channel_wordlike_min_length=6)
    assert changed_and_queued(six) == ([("clime", "time")], [])
    # a shorter garble that wordfreq knows ("tbe", Zipf 2.6) is still read at channel_min_gain
    assert channel_edits("The workers met in tbe hall of the union.") == [("tbe", "the")]
    # so is a long one the document uses and the trigram model knows ("himsel" gains less)
    himsel = "He could not speak for himsel that evening."
    edits, review = word_corrections(himsel, {}, SETTINGS, frozenset(), 0.05)
    assert edits == [] and ("himsel", "himself") in [(r["token"], r["candidate"]) for r in review]
