import pytest

from corpusflow.errors import ConfigError
from corpusflow.tokenise import (
    TOKEN_COLUMNS,
    check_pipeline_available,
    load_pipeline,
    paragraph_spans,
    stopword_set,
    tokenise_text,
)

TEXT = (
    "The masses rose.  Workers' councils met!\n\n"
    "  Second paragraph here.\n"
    "Third one, with commas.\n"
)


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_paragraph_spans_are_stripped_non_blank_lines():
    spans = list(paragraph_spans(TEXT))
    assert [TEXT[s:e] for s, e in spans] == [
        "The masses rose.  Workers' councils met!",
        "Second paragraph here.",
        "Third one, with commas.",
    ]


def test_tokens_slice_back_to_their_text(nlp):
    tokens = tokenise_text(TEXT, "doc", nlp)
    assert list(tokens.columns) == TOKEN_COLUMNS
    assert all(
        TEXT[s:e] == t
        for s, e, t in zip(tokens["start"], tokens["end"], tokens["text"], strict=True)
    )
    assert tokens["index"].tolist() == list(range(len(tokens)))
    assert (tokens["doc_id"] == "doc").all()
    assert not tokens["text"].str.isspace().any()


def test_paragraphs_and_sentences_are_numbered_document_wide(nlp):
    tokens = tokenise_text(TEXT, "doc", nlp)
    assert tokens.groupby("paragraph")["text"].first().tolist() == ["The", "Second", "Third"]
    assert tokens["sentence"].max() == 3  # two sentences, then one per paragraph
    assert tokens.loc[tokens["text"] == "Workers", "sentence"].item() == 1


def test_lemmas_are_lowercase_with_overrides(nlp):
    tokens = tokenise_text(TEXT, "doc", nlp, lemma_overrides={"masses": "mass"})
    lemma = dict(zip(tokens["lower"], tokens["lemma"], strict=True))
    assert lemma["masses"] == "mass"
    assert lemma["councils"] == "council"
    assert lemma["workers"] == "worker"  # capitalised in the text, lemmatised as lowercase
    assert lemma["rose"] == "rise"


def test_flags(nlp):
    tokens = tokenise_text(TEXT, "doc", nlp, stopwords=stopword_set(nlp, ["Councils"]))
    flags = tokens.set_index("text")
    assert flags.loc["The", "is_stop"]
    assert flags.loc["councils", "is_stop"]  # from the extra list, case-insensitive
    assert not flags.loc["masses", "is_stop"]
    assert flags.loc["!", "is_punct"] and not flags.loc["!", "is_alpha"]
    assert flags.loc["masses", "is_alpha"]


def test_empty_text_gives_an_empty_table(nlp):
    tokens = tokenise_text("\n\n", "doc", nlp)
    assert tokens.empty and list(tokens.columns) == TOKEN_COLUMNS


def test_a_pipeline_that_is_not_installed_is_an_error():
    with pytest.raises(ConfigError, match="'en_core_web_nonexistent' is not installed"):
        check_pipeline_available("en_core_web_nonexistent")
