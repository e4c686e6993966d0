"""Re-segmentation of OCR tokens by the noisy channel (corpusflow.cleaning.segment), with the
real trigram model and word lists."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from corpusflow.cleaning import channel, segment
from corpusflow.cleaning.channel import Context, Decision, Decoder
from corpusflow.cleaning.lexicon import Lexicon, english_index
from corpusflow.cleaning.stage import clean_document, settings_from_config
from corpusflow.cleaning.structure import LineEnds, joined_line_ends
from corpusflow.cleaning.words import text_tokens
from corpusflow.config import default_config
from tests.test_cleaning_channel import SETTINGS, channel_edits


@pytest.fixture(scope="module")
def decoder() -> Decoder:
    index = english_index(SETTINGS.candidate_vocabulary_size)
    return Decoder(SETTINGS, Lexicon(Counter(), Counter()), index, cautious=False, noise=0.0)


@pytest.mark.parametrize(
    ("text", "edit"),
    [
        # a capitalised fragment starts the join; the case of each part is kept
        (
            "The meeting of the Con servatives was held in the town hall.",
            ("Con servatives", "Conservatives"),
        ),
        # a broken word garbled one edit away ("sequtnt")
        (
            "The meeting was held on a sub sequtnt day in the town.",
            ("sub sequtnt", "subsequent"),
        ),
        # junk inside a word
        ("The w^ork of the union went on through the winter.", ("w^ork", "work")),
        # a run-together pair that wordfreq's web text counts as a word
        ("He spoke ofthe party to the workers.", ("ofthe", "of the")),
    ],
)
def test_broken_and_run_together_words_are_resegmented(text, edit):
    assert channel_edits(text) == [edit]


@pytest.mark.parametrize(
    "text",
    [
        # a drop capital and a heading in capitals stay as printed
        "The notice was signed by the L OST PROPERTY office in the town.",
        # two words the language model reads as well apart
        "They did it any way they could for the workers in the town.",
    ],
)
def test_capitals_and_words_apart_are_left_alone(text):
    assert channel_edits(text) == []


def test_two_words_joined_as_written_need_no_extra():
    # "without" gains about 2.2 here, under the threshold plus the real-word extra; an exact
    # join's evidence is the language model's gain alone ("any way" is not read as one; in
    # older spelling the extra stays: test_joins_of_two_words_need_the_extra_in_older_spelling)
    text = "They did it any way they could, with out the help of the leaders."
    assert channel_edits(text) == [("with out", "without")]


@pytest.mark.parametrize(
    ("written", "words", "needs"),
    [
        ("pre ceded", ["preceded"], False),  # two words joined as written
        ("t wins", ["twins"], True),  # a single letter: an initial or debris as often
        ("bo th", ["bath"], True),  # a garbled reading of two words
    ],
)
def test_which_joins_need_the_real_word_extra(decoder, written, words, needs):
    parts = text_tokens(written)
    assert segment.join_needs_extra(decoder, parts, words, proper=False) is needs


def test_joins_of_two_words_need_the_extra_in_older_spelling():
    # "with out", "your selves", "he re" are period forms: the text's own spelling decides,
    # not the model
    index = english_index(SETTINGS.candidate_vocabulary_size)
    older = Decoder(SETTINGS, Lexicon(Counter(), Counter()), index, cautious=True, noise=0.0)
    for written, word in (
        ("with out", "without"),
        ("your selves", "yourselves"),
        ("he re", "here"),
    ):
        assert segment.join_needs_extra(older, text_tokens(written), [word], proper=False)
    # a part that is no modern English word ("tleman", "nesse") is a fragment, as elsewhere
    for written, word in (("gen tleman", "gentleman"), ("busi nesse", "businesse")):
        assert not segment.join_needs_extra(older, text_tokens(written), [word], proper=False)
    # a garbled reading and a single letter still need it
    assert segment.join_needs_extra(older, text_tokens("gen tlemen"), ["gentleman"], proper=False)
    assert segment.join_needs_extra(older, text_tokens("t wins"), ["twins"], proper=False)


def test_a_lost_letter_read_as_a_space_costs_one_edit():
    text = "The quart rly meeting of the society was held in the town."
    cleaning = {**default_config()["cleaning"], "clean_text_max_noise": 0.0}
    result = clean_document(
        text, doc_id="t", hard_wrapped=False, correct_words=True, **settings_from_config(cleaning)
    )
    (edit,) = [e for e in result.edits if e.rule == "channel"]
    assert (text[edit.start : edit.end], edit.after) == ("quart rly", "quarterly")
    # one edit (the space for "e"), not a space deleted and a letter inserted
    assert f"channel {SETTINGS.channel_edit_log10:.2f})" in edit.evidence


def test_a_garbled_join_must_use_both_tokens(decoder):
    # "ofv" is one edit from "of": that reading throws a token away, it does not join it
    assert "of" in decoder.candidates("ofv", False)
    assert "of" not in segment._garbled(["of", "v"], "of v", decoder.candidates("ofv", False))
    found = segment._garbled(["maga", "ine"], "maga ine", decoder.candidates("magaine", False))
    assert found == ["magazine"]


# --- the channel learns lost line-end hyphens from the document's joins (issue #23) -------
CONFIDENT_JOINS = (
    " The com pletion of the work was pre sently announced, and the con tracted workers"
    " were re warded."
)


@pytest.mark.parametrize(
    ("sentence", "join"),
    [
        ("The shop sold a rose wood table.", ("rose wood", "rosewood")),
        ("The shares were with drawn in the morning.", ("with drawn", "withdrawn")),
    ],
)
def test_joins_in_the_document_make_a_space_inside_a_word_likelier(sentence, join):
    # alone, the space costs a full edit and the join's gain stays under the threshold; in a
    # text whose first pass joined broken words as written, a space inside a word is likelier
    assert channel_edits(sentence) == []
    edits = channel_edits(sentence + CONFIDENT_JOINS)
    assert join in edits
    assert len(edits) == 5


def test_only_joins_as_written_of_two_letters_or_more_learn_and_use_the_space(decoder):
    text = "con tented maaa zine tbe w^ork t wins"

    def decision(written, word, kind="join"):
        start = text.index(written)
        ocr = "".join(ch for ch in written if ch.isalpha())
        return Decision(start, start + len(written), word, 3.0, "", kind, ocr, word, 1)

    applied = [
        decision("con tented", "contented"),
        decision("maaa zine", "magazine"),  # garbled: no evidence of a lost hyphen
        decision("tbe", "the", "substitution"),
        decision("w^ork", "work"),  # junk, no space
        decision("t wins", "twins"),  # a single letter: an initial, debris
    ]
    assert segment.learned(text, applied) == [segment.SPACE_READ]
    edit = SETTINGS.channel_edit_log10
    decoder.channel.learned = Counter({segment.SPACE_READ: 9})
    try:
        garbled = decoder.channel.log10("at ail", "stall")
        assert segment.gap_log10(decoder, " ", ["con", "tented"]) == pytest.approx(edit + 1.0)
        assert segment.gap_log10(decoder, " ", ["t", "wins"]) == edit  # an initial, debris
        assert segment.gap_log10(decoder, "^", ["wo", "rk"]) == edit  # junk, no space
        decoder.channel.learned = Counter()
        assert segment.gap_log10(decoder, " ", ["con", "tented"]) == edit
        # a garbled reading across the space ("at ail" -> stall) is not made likelier
        assert decoder.channel.log10("at ail", "stall") == garbled
    finally:
        decoder.channel.learned = Counter()


@pytest.mark.parametrize(
    ("text", "edit"),
    [
        # every part a "word" by wordfreq's web counts (th, ir, rd, use), and the reading
        # garbled: read as one word with the real-word extra a noisy text lowers
        ("Durham tried h rd to win the match before the end of the game.", ("h rd", "hard")),
        ("The players did their best, and th ir efforts were rewarded.", ("th ir", "their")),
        ("The meeting will be held at the h use of Mr. Redmond.", ("h use", "house")),
    ],
)
def test_a_garbled_join_of_parts_that_are_words(text, edit):
    assert channel_edits(text) == [edit]


@pytest.mark.parametrize(
    ("text", "edit"),
    [
        # rarer words, in symspellpy's list only: the language model decides
        ("He was a well known an tiquary and collector of old coins.", ("an tiquary", "antiquary")),
        ("It was a great deside ratum of the society.", ("deside ratum", "desideratum")),
    ],
)
def test_two_tokens_joined_into_a_rarer_word(text, edit):
    assert channel_edits(text) == [edit]


def test_no_garbled_join_of_two_longer_words(decoder):
    # "sandwick" is one edit from "sandwich", but "sand" and "wick" are both words longer
    # than an OCR fragment: no garbled reading is tried ("th ir", "h rd" are fragments)
    text = "a sand wick lamp and th ir lamp"
    toks = text_tokens(text)
    context = Context(toks, [t.key for t in toks])

    def joins(i):
        rows = segment._joined(decoder, text, toks[i], toks[i + 1], i, context)
        return [row[1] for row in rows]

    assert "sandwich" in decoder.candidates("sandwick", False)
    assert joins(1) == []
    assert ["their"] in joins(5)


def test_no_garbled_join_of_a_phrase():
    # "of the", "will be": two words the language model reads as a phrase get no candidate
    # search for a garbled reading, short as a part is; fragments of one word do ("Let eat"
    # -> Latest, "Wai son" -> Watson: P(son | wai) is the model's backing off to P(son)),
    # and so does a single letter ("d y" -> day: P(y | d) is high) or a part the model does
    # not know ("th ir")
    decoder = Decoder(
        SETTINGS,
        Lexicon(Counter(), Counter()),
        english_index(SETTINGS.candidate_vocabulary_size),
        cautious=False,
        noise=0.0,
    )
    # the cut: "the gulf" (-3.60) is a phrase, "by rail" (-4.04) is not
    phrases = [["of", "the"], ["will", "be"], ["and", "when"], ["on", "foot"], ["the", "gulf"]]
    for phrase in phrases:
        assert not segment.garbled_tried(decoder, phrase)
    fragments = [["d", "y"], ["h", "use"], ["let", "eat"], ["wai", "son"], ["th", "ir"]]
    for parts in [*fragments, ["by", "rail"], ["no", "re"], ["sub", "sequtnt"]]:
        assert segment.garbled_tried(decoder, parts)
    # "willbe" is no word, so only the gate stands between the pair and a candidate search
    text = "one will be there"
    toks = text_tokens(text)
    segment._joined(decoder, text, toks[1], toks[2], 1, Context(toks, [t.key for t in toks]))
    assert "willbe|False" not in decoder._candidates


@pytest.mark.parametrize(
    ("text", "edit"),
    [
        # a stop inside a word, read as noise ("t.he") or for a letter ("furn.shed")
        ("The house was furn.shed with care by the owner.", ("furn.shed", "furnished")),
        ("It was the end of t.he matter for the men.", ("t.he", "the")),
    ],
)
def test_a_stop_inside_a_word_is_read_as_a_letter_or_noise(text, edit):
    assert channel_edits(text) == [edit]


def test_a_junk_gap_is_read_as_a_letter_even_where_dropping_it_spells_a_word():
    # "tate" is a word too; the "#" read as a letter gives "taste", at the same channel cost
    # as dropping it: the language model decides
    text = "He had a good ta#te for the arts and the music."
    assert channel_edits(text) == [("ta#te", "taste")]
    # only the gap is read as a letter: the letters as written stay ("tasty" is no reading)
    assert segment._gap_read("ta#te", ["taste", "tasty", "tate", "tastes"]) == ["taste"]


@pytest.mark.parametrize(
    "text",
    [
        # abbreviations: the part after the stop one letter ("a.m", "e.g") or a capital
        "He came at ten a.m and left at six p.m on the day of the meeting.",
        "He wrote to J.Smith and to the men, e.g the father of the boy.",
        # a space lost after a sentence's stop: the next part capitalised
        "The meeting was over at noon.The men went home to their wives.",
    ],
)
def test_abbreviations_and_a_lost_space_after_a_stop_are_not_joined(text):
    assert channel_edits(text) == []


@pytest.mark.parametrize(
    ("written", "inner"),
    [
        ("furn.shed", True),
        ("furn,shed", True),
        ("furn;shed", False),  # a semicolon or colon is punctuation
        ("furn:shed", False),
        ("y.ar", True),
        ("so.n", False),  # one letter after the stop: "a.m", "e.g"
        ("J.Smith", False),  # a capital after it: an initial, a sentence after a lost space
        ("ma.Tter", False),
        ("sir, madam", False),  # a space: two words
    ],
)
def test_which_stops_and_commas_are_inside_a_word(written, inner):
    first, second = text_tokens(written)
    gap = written[first.end : second.start]
    assert segment._inner_mark(gap, first, second) is inner


def _decoder(cautious: bool) -> Decoder:
    index = english_index(SETTINGS.candidate_vocabulary_size)
    return Decoder(SETTINGS, Lexicon(Counter(), Counter()), index, cautious=cautious, noise=0.0)


def test_no_gap_is_read_as_a_letter_in_older_spelling():
    # there a mark inside a word may be a superscript abbreviation ("w^th", "y^t")
    text = "He had a good ta#te for the arts."
    toks = text_tokens(text)
    i = [t.key for t in toks].index("ta")
    context = Context(toks, [t.key for t in toks])
    for cautious, read in ((False, True), (True, False)):
        rows = segment._joined(_decoder(cautious), text, toks[i], toks[i + 1], i, context)
        assert (["taste"] in [row[1] for row in rows]) is read


@pytest.mark.parametrize(("text", "scored"), [("will b# the", True), ("in F# minor", False)])
def test_only_a_lowercase_lone_letter_is_read_with_its_junk(text, scored):
    # a capital with a mark is a note, an initial, a grade ("F#", "B+")
    toks = text_tokens(text)
    reason = channel.alone_reason(_decoder(False), text, toks, 1)
    assert (reason == "") is scored


def _layout(text: str):
    settings = settings_from_config(default_config()["cleaning"])
    result = clean_document(
        text, doc_id="t", hard_wrapped=True, correct_words=False, ocr=True, **settings
    )
    return result.text, joined_line_ends(result.edits)


def test_the_spaces_that_join_wrapped_lines_are_found():
    # leading and doubled spaces before the join: the offsets are the cleaned text's
    text = "  the first  line of the page is\nfull and the next  one is broken by a hy-\n"
    text += "phen\n\nA new paragraph.\n"
    cleaned, ends = _layout(text)
    # the line join's space only: not the hyphen's join, the paragraph break or a word's space
    assert [cleaned[k - 2 : k + 5] for k in sorted(ends.joined)] == ["is full"]
    assert ends.hyphens == 1  # "hy-phen": the OCR kept that hyphen
    # a compound kept at a line end ("self-Government") is a kept hyphen too
    text = "the first line of the page is about self-\nGovernment of the town and the\nstate.\n"
    assert _layout(text)[1].hyphens == 1


def test_a_join_across_a_page_number_is_a_line_end_too():
    page = "the first line of a page of the book and it is quite full of words, as\n"
    text = page * 3 + "the last line\n12\nruns on in the next page of the book\n" + page * 3
    cleaned, ends = _layout(text)
    assert "12" not in cleaned
    assert "line runs" in [cleaned[k - 4 : k + 5] for k in ends.joined]
    # a hyphen kept across a removed page number counts as kept
    text = page * 3 + "the word is broken by a hy-\n12\nphen and runs on in the book\n" + page * 3
    assert _layout(text)[1].hyphens == 1


# "to ward" scores under channel_min_gain inside a line, above it across a line end once the
# first pass has joined a word broken there ("con stitution": the OCR loses line-end hyphens)
LINES = "The members of the party, under the con{}stitution of the town, turned their faces\n"
LINES += "to{}ward the people of the town and asked for their help in the matter.\n"


def channel_joins(text: str) -> dict[str, str]:
    cleaning = {**default_config()["cleaning"], "clean_text_max_noise": 0.0}
    result = clean_document(
        text, doc_id="t", hard_wrapped=True, correct_words=True, **settings_from_config(cleaning)
    )
    return {text[e.start : e.end]: e for e in result.edits if e.rule == "channel"}


def test_a_join_across_a_line_end_costs_a_lost_hyphen_not_a_space():
    joins = channel_joins(LINES.format("\n", "\n"))
    assert joins["to\nward"].after == "toward"
    assert joins["to\nward"].evidence.startswith("join (across a line end)")
    # one space learned, "con stitution": its LINE_END_READ is no second operation
    assert joins["to\nward"].evidence.endswith("channel learned 1 operations")
    assert "to ward" not in channel_joins(LINES.format("\n", " "))  # inside a line: queued
    # no join across a line end in the first pass: the OCR keeps its hyphens, "to" is a word
    assert "to\nward" not in channel_joins(LINES.format("", "\n"))
    # a join inside a line is no evidence of lost line-end hyphens, and has no such label
    joins = channel_joins(LINES.format(" ", "\n"))
    assert "to\nward" not in joins
    assert joins["con stitution"].evidence.startswith("join: ")


def test_a_kept_line_end_hyphen_outweighs_a_lost_one():
    # the OCR kept the hyphen of "com-pany" and lost that of "con stitution": no evidence
    text = LINES.format("\n", "\n") + "They thanked the com-\npany of the town for its help.\n"
    joins = channel_joins(text)
    assert "to\nward" not in joins
    # joined at the full cost of a space: no line-end label while the gate is shut
    assert joins["con\nstitution"].evidence.startswith("join: ")
    # two lost, one kept: the OCR loses line-end hyphens
    text = "The owner of the house, by the con\nstitution of the town, had a right to it.\n" + text
    assert channel_joins(text)["to\nward"].after == "toward"


def test_a_garbled_join_across_a_line_end_costs_a_lost_hyphen_too():
    text = "The members of the party, under the con{}stitution of the town, turned their faces\n"
    text += "and they said that the do{}vices of the company were sold at\nthe sale of the town.\n"
    assert channel_joins(text.format("\n", "\n"))["do\nvices"].after == "devices"
    assert "do vices" not in channel_joins(text.format("\n", " "))
    assert "do\nvices" not in channel_joins(text.format("", "\n"))  # no evidence


def _line_end_decoder(decoder, hyphens: int, end: int) -> Decoder:
    return Decoder(
        decoder.s,
        decoder.lexicon,
        decoder.index,
        cautious=False,
        noise=0.0,
        line_ends=LineEnds(frozenset({end}), hyphens),
    )


@pytest.mark.parametrize(
    ("text", "hyphens", "lost"),
    [
        ("to ward", 0, True),
        ("to ward", 1, False),  # as many line-end hyphens kept as lost
        ("to |ward", 0, False),  # junk at the line end: no lost hyphen
    ],
)
def test_a_line_end_gap_costs_an_ocr_confusion_once_the_ocr_loses_hyphens(
    decoder, text, hyphens, lost
):
    decoder = _line_end_decoder(decoder, hyphens, text.index(" "))
    # the first pass joined one word as written, across a line end
    decoder.channel.learned = Counter({segment.SPACE_READ: 1, segment.LINE_END_READ: 1})
    end, start = text.index(" "), text.index("w")
    assert segment.lost_hyphen(decoder, text, end, start) is lost
    assert not segment.lost_hyphen(decoder, text.replace(" ", "  "), end, start + 1)
    edit = SETTINGS.channel_edit_log10
    # half a unit, then the learned share of one join: log10(2)
    got = segment.gap_log10(decoder, " ", ["to", "ward"], line_end=True)
    assert got == pytest.approx(edit * 0.5 + math.log10(2))
    assert segment.gap_log10(decoder, " ", ["to", "ward"], line_end=True, learn=False) == edit / 2


def test_a_garbled_join_gets_no_learned_share(decoder):
    text = "the do vices of it"
    toks = text_tokens(text)
    decoder = _line_end_decoder(decoder, 0, toks[1].end)
    decoder.channel.learned = Counter({segment.SPACE_READ: 9, segment.LINE_END_READ: 9})
    rows = segment._joined(decoder, text, toks[1], toks[2], 1, Context(toks, [t.key for t in toks]))
    gap = SETTINGS.channel_edit_log10 * segment.LINE_END_COST  # no log10(1 + 9) off
    channel_part = {row[1][0]: row[3] for row in rows}["devices"]
    assert channel_part == pytest.approx(gap + decoder.channel.log10("dovices", "devices"))
