"""Other kinds of text from the manifest alone: hard wrapping declared or detected apart from
OCR (joining lines never changes a word), older spellings kept, derived witnesses as a manifest
column."""

from __future__ import annotations

import pytest

from corpusflow.cleaning import check_cleaning_config
from corpusflow.cleaning.lexicon import tokens
from corpusflow.cleaning.stage import WORD_RULES, clean_document, settings_from_config
from corpusflow.cleaning.structure import detect_hard_wrapped
from corpusflow.config import default_config
from corpusflow.errors import ConfigError, InputError
from corpusflow.manifest import check_manifest, derived_witnesses, read_manifest
from tests.conftest import REPO

SWIFT = REPO / "tests" / "data" / "swift-modest-proposal-1729.txt"
#: The arguments of clean_document from the schema's neutral defaults.
DEFAULTS = settings_from_config(default_config()["cleaning"])


def words(text: str) -> list[str]:
    return [form for _, _, form in tokens(text)]


def paragraphs(text: str) -> list[str]:
    return text.rstrip("\n").split("\n\n")


def test_wrapped_prose_that_is_not_ocr_is_joined_without_changing_a_word():
    """Swift 1729, hard-wrapped at ~72 characters, declared ocr: false, wrapped: auto."""
    text = SWIFT.read_text(encoding="utf-8")
    result = clean_document(
        text, doc_id="swift", hard_wrapped=None, correct_words=False, **DEFAULTS
    )
    assert result.hard_wrapped
    assert words(result.text) == words(text)
    assert not [edit for edit in result.edits if edit.rule in WORD_RULES]
    assert len(paragraphs(result.text)) == 17
    assert "\n" not in paragraphs(result.text)[5]  # "It is a melancholy ..." is one line
    assert paragraphs(result.text)[-1].startswith("Infant's flesh will be in season")


def test_declared_wrapping_overrides_detection():
    text = SWIFT.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    result = clean_document(
        text, doc_id="swift", hard_wrapped=False, correct_words=False, **DEFAULTS
    )
    assert not result.hard_wrapped
    assert len(paragraphs(result.text)) == len(lines)


def test_detection_tells_wrapped_ocr_from_one_paragraph_per_line():
    found = {
        path.stem: detect_hard_wrapped(path.read_text(encoding="utf-8"))[0]
        for path in sorted((REPO / "corpus").glob("*.txt"))
    }
    assert found == {
        "kollontai-ocr": True,
        "kollontai-web": False,
        "kollontai-iww": False,
        "kollontai-bureaucracy": False,
        "olivier-commentary": False,
    }
    # Short lines that are not wrapped: one sentence per line (each starts a sentence).
    prose = " ".join(SWIFT.read_text(encoding="utf-8").split())
    clauses = prose.replace(";", ".").split(". ")
    sentences = [c[:1].upper() + c[1:] + "." for c in clauses if 20 < len(c) < 140]
    assert len(sentences) >= 5
    assert detect_hard_wrapped("\n".join(sentences))[0] is False


def test_blank_lines_end_paragraphs_in_wrapped_text_that_is_not_ocr():
    # The line before the blank line is full: in OCR that is a page break inside a paragraph,
    # in a wrapped e-text a paragraph end. A line-end hyphen is kept outside OCR.
    first = "The first paragraph runs on and on over several lines of the same wil-"
    text = (
        f"{first}\nderness until this line is nearly as full as the one before\n\n"
        "it goes on here in lowercase after the blank line, which could be a page break.\n"
        "Another line of text to make the width estimate stable enough for the test.\n"
        "And a last one that is also quite long, long enough to look like wrapped prose.\n"
    )
    ocr = clean_document(
        text, doc_id="d", hard_wrapped=True, correct_words=False, ocr=True, **DEFAULTS
    )
    plain = clean_document(text, doc_id="d", hard_wrapped=True, correct_words=False, **DEFAULTS)
    assert len(paragraphs(ocr.text)) < len(paragraphs(plain.text))
    assert "wil-derness" in plain.text
    assert words(plain.text) == words(text)


def test_older_spellings_survive_even_the_ocr_path():
    """Declared as OCR by mistake, the period's spellings are still not 'corrected': none at
    all with the neutral defaults, and none of the spelling variants even when non-word
    candidates one letter away are allowed (as this study's config does)."""
    text = SWIFT.read_text(encoding="utf-8")
    cleaning = default_config()["cleaning"]

    def changed(**changes):
        arguments = settings_from_config({**cleaning, **changes})
        result = clean_document(
            text, doc_id="swift", hard_wrapped=None, correct_words=True, **arguments
        )
        return {text[e.start : e.end].lower() for e in result.edits if e.rule in WORD_RULES}

    assert changed() == set()
    # declared OCR and taken as OCR (no noise gate): older spellings still kept
    assert not changed(clean_text_max_noise=0) & {"publick", "prolifick", "catholick", "expence"}


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "corpus").mkdir()
    for name in ("one", "two"):
        (tmp_path / "corpus" / f"{name}.txt").write_text(f"Text of {name}.\n")
    return tmp_path


def manifest_with(tmp_path, wrapped="auto", derived_from=""):
    header = "doc_id\tpath\ttitle\tauthor\tyear\tgroup\trole\tencoding\tocr\twitnesses\t"
    header += "wrapped\tderived_from\n"
    rows = [
        f"one\tcorpus/one.txt\tT\tA\t1921\ta\tanalysis\tutf-8\ttrue\ttwo\t{wrapped}\t\n",
        f"two\tcorpus/two.txt\tT\tA\t1921\ta\twitness\tutf-8\tfalse\t\tfalse\t{derived_from}\n",
    ]
    path = tmp_path / "corpus.tsv"
    path.write_text(header + "".join(rows))
    return path


def test_manifest_wrapped_and_derived_from_columns(corpus):
    path = manifest_with(corpus, wrapped="true", derived_from="one")
    manifest = read_manifest(path)
    check_manifest(
        manifest, groups=["a"], path=path, root=corpus, boilerplate_profiles=[], corpus_root=""
    )
    assert manifest["one"]["wrapped"] == "true"
    assert manifest["two"]["wrapped"] == "false"
    assert derived_witnesses(manifest, "one") == ["two"]
    assert derived_witnesses(manifest, "two") == []


def test_shipped_manifest_names_the_web_edition_as_made_from_the_ocr():
    manifest = read_manifest(REPO / "config" / "corpus.tsv")
    assert derived_witnesses(manifest, "kollontai-ocr") == ["kollontai-web"]


@pytest.mark.parametrize("value", ["sometimes", "wrap"])
def test_bad_wrapped_value_is_a_coded_error_naming_the_line(corpus, value):
    with pytest.raises(InputError, match=r"CF213.*line 2, column wrapped"):
        read_manifest(manifest_with(corpus, wrapped=value))


@pytest.mark.parametrize("value", ["three", "two"])
def test_bad_derived_from_is_a_coded_error_naming_the_line(corpus, value):
    path = manifest_with(corpus, derived_from=value)
    with pytest.raises(InputError, match=r"CF214.*line 3 \(two\), column derived_from"):
        check_manifest(
            read_manifest(path),
            groups=["a"],
            path=path,
            root=corpus,
            boilerplate_profiles=[],
            corpus_root="",
        )


def test_derived_from_a_document_that_does_not_list_the_witness_is_a_coded_error(corpus):
    manifest = read_manifest(manifest_with(corpus, derived_from="one"))
    check_cleaning_config({"cleaning": {}}, manifest)
    manifest["one"]["witnesses"] = []
    with pytest.raises(ConfigError, match=r"CF302.*line 3 \(two\), column derived_from"):
        check_cleaning_config({"cleaning": {}}, manifest)
