"""Clean text declared OCR is left alone: the noise estimate tells it from OCR (#23 item 4)."""

from __future__ import annotations

import pytest

from corpusflow.cleaning.lexicon import tokens, zipf_frequency
from corpusflow.cleaning.noise import NoiseEstimate, estimate_noise
from corpusflow.cleaning.stage import (
    clean_document,
    output_tables,
    settings_from_config,
    summarise_corrections,
)
from corpusflow.config import default_config
from corpusflow.ingest import ingest_document
from corpusflow.io import write_tsv
from tests.conftest import REPO

CLEANING = default_config()["cleaning"]
DEFAULTS = settings_from_config(CLEANING)
LIMIT = CLEANING["clean_text_max_noise"]
#: Public-domain clean texts: Swift 1729 (hard-wrapped, older spelling) and the corpus's
#: clean witnesses and commentary, each declared OCR without witnesses.
CLEAN = [
    REPO / "tests" / "data" / "swift-modest-proposal-1729.txt",
    *(REPO / "corpus" / f"{name}.txt" for name in ("kollontai-web", "kollontai-iww")),
    REPO / "corpus" / "olivier-commentary.txt",
]
ICDAR = REPO / "benchmarks" / "data" / "icdar2017-en"


def _noise(text: str) -> NoiseEstimate:
    return estimate_noise(text, zipf_frequency, min_zipf=CLEANING["noise_min_zipf"])


def _icdar_ocr() -> list[str]:
    paths = sorted(ICDAR.glob("*/*.txt"))
    return [
        p.read_text(encoding="utf-8").split("\n")[0].removeprefix("[OCR_toInput] ") for p in paths
    ]


def test_noise_counts_nonwords_and_debris_but_not_recurring_or_known_words():
    text = "Ovcr qnick brovvn fox, ovcr lazy dog: 1920s U.S.A. self-activity w^ork t a jumpcd."
    estimate = _noise(text + " Wbich wbich, wbich")
    # "ovcr" (twice), "qnick", "brovvn", "jumpcd" unknown, "wbich" recurs; "w^ork", "t" debris
    assert (estimate.nonwords, estimate.debris) == (5, 2)
    assert estimate.tokens == 17
    assert NoiseEstimate.parse(estimate.describe(LIMIT)) == estimate


def test_amounts_in_digits_and_old_ordinals_are_no_debris():
    duty = "The stamp duty on a receipt for 5s. is 2d. and on a bill of 10s. is 6d."
    assert _noise(duty).debris == 0
    assert _noise("On the 3d of June, at 2d. a copy; the 22d and 1st; 3rd, 1920s").debris == 0
    assert _noise("tbe1 6dd d6 5x").debris == 4
    assert _noise("\u0666d \u0663s").debris == 2  # other scripts' digits: no amount


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.stem)
def test_clean_text_declared_ocr_keeps_every_word_and_paragraph(path):
    text = ingest_document(path, encoding="utf-8", boilerplate=None, unicode_form="NFC").text
    as_ocr = clean_document(
        text, doc_id=path.stem, hard_wrapped=None, correct_words=True, **DEFAULTS
    )
    as_clean = clean_document(
        text, doc_id=path.stem, hard_wrapped=None, correct_words=False, **DEFAULTS
    )
    words = len(tokens(text))
    assert as_ocr.looked_clean and as_ocr.noise.share < LIMIT, as_ocr.noise_evidence
    # at most 2 word changes per 100,000 words; paragraphs, hyphens and spellings as declared clean
    assert as_ocr.text == as_clean.text, words
    _, review = output_tables(text, as_ocr, path.stem)
    assert list(review["kind"]) == ["ocr_estimate_looked_clean"]


def test_clean_text_declared_ocr_is_not_respaced():
    text = ingest_document(CLEAN[0], encoding="utf-8", boilerplate=None, unicode_form="NFC").text
    text += "\nIt was typed so.It was kept,and it was clean.\n"
    result = clean_document(text, doc_id="swift", hard_wrapped=None, correct_words=True, **DEFAULTS)
    assert result.looked_clean
    assert "so.It was kept,and it" in result.text


def test_every_icdar_ocr_document_looks_like_ocr():
    shares = [_noise(text).share for text in _icdar_ocr()]
    assert len(shares) == 88 and min(shares) >= LIMIT


def test_the_summary_says_which_document_declared_ocr_looked_clean(tmp_path):
    text = CLEAN[0].read_text(encoding="utf-8")
    paths = {}
    for name, ocr in (("as-ocr", True), ("as-clean", False)):
        result = clean_document(text, doc_id=name, hard_wrapped=None, correct_words=ocr, **DEFAULTS)
        corrections, review = output_tables(text, result, name)
        paths[name] = (tmp_path / f"{name}.corrections.tsv", tmp_path / f"{name}.review.tsv")
        write_tsv(corrections, paths[name][0])
        write_tsv(review, paths[name][1])
    summary = summarise_corrections(*zip(*paths.values(), strict=True))
    as_ocr = summary[summary["doc_id"] == "as-ocr"]
    assert as_ocr["looked_clean"].all() and (as_ocr["ocr_noise"] < LIMIT).all()
    assert summary[summary["doc_id"] == "as-clean"]["looked_clean"].isna().all()
