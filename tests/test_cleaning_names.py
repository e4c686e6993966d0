"""Names after a title or an initial (corpusflow.cleaning.words.text_tokens marks them,
corpusflow.cleaning.channel.Decoder.name_like reads them), with the real trigram model."""

from __future__ import annotations

import dataclasses

from corpusflow.cleaning.channel import Decoder
from corpusflow.cleaning.lexicon import english_index
from corpusflow.cleaning.stage import clean_document, settings_from_config
from corpusflow.cleaning.words import text_tokens
from corpusflow.config import default_config

SETTINGS = settings_from_config(default_config()["cleaning"])["settings"]


def channel_edits(text: str) -> list[tuple[str, str]]:
    """The channel's edits on a short text declared OCR (the manifest trusted)."""
    cleaning = {**default_config()["cleaning"], "clean_text_max_noise": 0.0}
    result = clean_document(
        text, doc_id="t", hard_wrapped=False, correct_words=True, **settings_from_config(cleaning)
    )
    return [(text[e.start : e.end], e.after) for e in result.edits if e.rule == "channel"]


def marks(text: str, titles=frozenset({"mr", "mrs"})) -> dict[str, str]:
    return {t.text: t.after_title for t in text_tokens(text, titles)}


def test_a_capital_after_a_title_or_an_initial_and_its_stop_is_marked_with_it():
    found = marks("Present: Mrs. Chave, J. Slee and Mr.\nBrown. The end. Then Dr. Smith came.")
    assert found["Chave"] == "mrs"
    assert found["Slee"] == "j"
    assert found["Brown"] == "mr"  # across a line break
    # a sentence end, a title not in the list, a title without its stop: no mark
    assert found["The"] == found["Then"] == found["Smith"] == ""
    assert marks("Mr Jones said so.")["Jones"] == ""
    assert marks("asked Mr. about it")["about"] == ""  # not capitalised
    assert marks("Mrs. Chave and J. Slee", frozenset()) == {  # no titles: the rule is off
        "Mrs": "",
        "Chave": "",
        "and": "",
        "J": "",
        "Slee": "",
    }


def test_the_gap_is_a_stop_and_spaces_with_one_line_break_at_most():
    assert marks("Mr.  Brown")["Brown"] == "mr"
    assert marks("J. \n Slee")["Slee"] == "j"
    assert marks("Mr.\n\nBrown")["Brown"] == ""  # a paragraph break
    assert marks("J.Slee")["Slee"] == ""  # no space


def test_an_initial_is_one_capital_not_the_pronoun_nor_a_letter_of_an_abbreviation():
    assert marks("p. Smith")["Smith"] == ""  # lowercase
    assert marks("LAND SALE. Then")["Then"] == ""  # a word in capitals
    assert marks("so did I. The end")["The"] == ""  # the pronoun
    assert marks("the N.S.W. Government")["Government"] == ""
    assert marks("the U.S. Senate")["Senate"] == ""
    # left: a Roman numeral and a letter that names a part pass for initials
    assert marks("CHAPTER V. The")["The"] == "v"


def test_a_name_is_a_word_the_model_finds_likelier_after_the_title_than_alone():
    index = english_index(SETTINGS.candidate_vocabulary_size)
    decoder = Decoder(SETTINGS, None, index, cautious=False, noise=0.0)
    assert decoder.name_like("jones", "mr") and decoder.name_like("george", "mrs")
    assert not decoder.name_like("have", "mrs") and not decoder.name_like("see", "mr")
    # after an initial (or a title the model does not know) the first title it knows is asked
    assert decoder.name_like("hughes", "j") and not decoder.name_like("down", "sergt")
    assert decoder.name_like("hughes", "sergt") and decoder.name_like("george", "j")
    assert not decoder.name_like("chave", "mrs")  # a word the model does not know
    ordered = dataclasses.replace(SETTINGS, name_titles=tuple(sorted(SETTINGS.name_titles)))
    assert ordered.name_titles[0] == "capt"  # unknown to the model: "dr" is asked
    sorted_decoder = Decoder(ordered, None, index, cautious=False, noise=0.0)
    assert sorted_decoder.name_like("george", "j")
    untitled = dataclasses.replace(SETTINGS, name_titles=())
    none = Decoder(untitled, None, index, cautious=False, noise=0.0)
    assert not none.name_like("jones", "j") and not none.name_like("jones", "mr")


def test_titles_are_lowercase_in_the_settings():
    mixed = dataclasses.replace(SETTINGS, name_titles=("MR", "Mrs"))
    assert mixed.name_titles == ("mr", "mrs")


def test_a_name_after_a_title_or_an_initial_is_read_only_as_a_name():
    # "Slee" and "Dowan" were read as "See" and "Down" at what looked like a sentence start
    assert channel_edits("The wounded are Pte. J. Slee, Pte. T. Brown and Sergt. Dowan.") == []
    # a garbled name is still read as a name
    assert channel_edits("The letter was sent by Mr. Georgo Smith to the council.") == [
        ("Georgo", "George")
    ]
    # read alone, only as one word: no split ("Johnand" would be "John and")
    assert channel_edits("The letter was sent by Mr. Johnand his wife to the council.") == []
