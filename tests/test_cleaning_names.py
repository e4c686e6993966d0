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
    assert marks("Mrs. Chave", frozenset())["Chave"] == ""  # no titles: only initials


def test_a_name_is_a_word_the_model_finds_likelier_after_the_title_than_alone():
    index = english_index(SETTINGS.candidate_vocabulary_size)
    decoder = Decoder(SETTINGS, None, index, cautious=False, noise=0.0)
    assert decoder.name_like("jones", "mr") and decoder.name_like("george", "mrs")
    assert not decoder.name_like("have", "mrs") and not decoder.name_like("see", "mr")
    # after an initial (or a title the model does not know) the first title is asked
    assert decoder.titles[0] == "mr"
    assert decoder.name_like("hughes", "j") and not decoder.name_like("down", "sergt")
    assert not decoder.name_like("chave", "mrs")  # a word the model does not know
    untitled = dataclasses.replace(SETTINGS, name_titles=())
    none = Decoder(untitled, None, index, cautious=False, noise=0.0)
    assert not none.name_like("jones", "j")


def test_a_name_after_a_title_or_an_initial_is_read_only_as_a_name():
    # "Slee" and "Dowan" were read as "See" and "Down" at what looked like a sentence start
    assert channel_edits("The wounded are Pte. J. Slee, Pte. T. Brown and Sergt. Dowan.") == []
    # a garbled name is still read as a name
    assert channel_edits("The letter was sent by Mr. Georgo Smith to the council.") == [
        ("Georgo", "George")
    ]
