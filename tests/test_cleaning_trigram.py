"""The channel's offline trigram model (corpusflow.cleaning.trigram, the CMU model bundled in
the pocketsphinx wheel) and the channel's use of two words of context on each side."""

from __future__ import annotations

from corpusflow.cleaning import trigram
from corpusflow.cleaning.stage import clean_document, settings_from_config
from corpusflow.config import default_config

#: Trust the manifest's OCR flag (a one-sentence text cannot look like OCR), and decide at a
#: gain of 1.5: "rank and tile" gains about 1.9 here, under the default set for documents.
TRUST_MANIFEST = {"clean_text_max_noise": 0.0, "channel_min_gain": 1.5}


def channel_edits(text: str) -> list[tuple[str, str]]:
    arguments = settings_from_config({**default_config()["cleaning"], **TRUST_MANIFEST})
    result = clean_document(text, doc_id="t", hard_wrapped=False, correct_words=True, **arguments)
    return [(text[e.start : e.end], e.after) for e in result.edits if e.rule == "channel"]


def test_the_model_reads_its_history_oldest_word_first():
    assert trigram.known("the") and trigram.known("thou")
    assert not trigram.known("kollontai") and not trigram.known("tbe")
    # P(the | one of) is high; the same words in the other order ("of one the") are not
    assert trigram.log10("the", "one", "of") > trigram.log10("the", "of", "one") + 1.0
    # the word two back counts: "rank and file" against "rank and tile"
    with_rank = trigram.log10("file", "rank", "and") - trigram.log10("tile", "rank", "and")
    without = trigram.log10("file", None, "and") - trigram.log10("tile", None, "and")
    assert with_rank > without + 1.0


def test_the_channel_fixes_a_real_word_that_only_two_words_of_context_expose():
    text = "It was hidden from the rank and tile of the party, sadly, for many years."
    assert channel_edits(text) == [("tile", "file")]
    # without "rank" before it the same words stay
    assert channel_edits("It was hidden from them and tile of the party, sadly.") == []
