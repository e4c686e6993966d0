"""The space lost after a sentence end or a comma is put back only where the document itself
spaces such marks as a rule (corpusflow.cleaning.structure.spacing_convention), on real text:
an early modern page of the ICDAR 2019 tuning half and the pamphlet's OCR."""

from __future__ import annotations

import re

from corpusflow.cleaning.edits import apply_edits
from corpusflow.cleaning.stage import clean_document, settings_from_config
from corpusflow.cleaning.structure import missing_space_edits, spacing_convention
from corpusflow.config import default_config
from corpusflow.ingest import ingest_document
from tests.conftest import REPO
from tests.defaults import UNICODE_FORM

#: A 17th-century travel account whose commas are often set without a space ("Bulles,and").
EARLY_PAGE = REPO / "benchmarks" / "data" / "icdar2019-en" / "EN1" / "32.txt"
RUN_IN_COMMA = re.compile(r"[^\W\d_]{2},[^\W\d_]{2}")
LIMIT = default_config()["cleaning"]["missing_space_max_share"]


def early_page() -> str:
    first = EARLY_PAGE.read_text(encoding="utf-8").split("\n")[0]
    return first.removeprefix("[OCR_toInput] ")


def clean(text: str, **changes):
    settings = settings_from_config({**default_config()["cleaning"], **changes})
    return clean_document(text, doc_id="page", hard_wrapped=None, correct_words=True, **settings)


def test_commas_the_page_runs_in_as_a_rule_are_kept_and_the_log_says_why():
    text = early_page()
    run_in = RUN_IN_COMMA.findall(text)
    assert len(run_in) >= 5
    result = clean(text)
    assert not [e for e in result.edits if e.rule == "missing_space"]
    assert all(form in result.text for form in run_in)
    assert "comma run in" in result.noise_evidence and "kept as printed" in result.noise_evidence
    # the setting is what keeps them: at 1 every run-in comma gets its space back
    respaced = clean(text, missing_space_max_share=1.0)
    assert sum(e.rule == "missing_space" for e in respaced.edits) >= len(run_in)


def test_the_pamphlets_lost_spaces_are_still_put_back():
    text = ingest_document(
        REPO / "corpus" / "kollontai-ocr.txt", encoding="ascii", unicode_form=UNICODE_FORM
    ).text
    marks, evidence = spacing_convention(text, LIMIT)
    assert marks == frozenset(".?!,"), evidence
    respaced = apply_edits(text, missing_space_edits(text, LIMIT)[0])
    assert "centres. If" in respaced and "centres.If" in text


def test_each_class_of_mark_is_decided_on_its_own_counts():
    spaced = "It was so. Then we went, and came back. " * 30
    text = spaced + "They came,and went.So it was."
    marks, _ = spacing_convention(text, LIMIT)
    assert marks == frozenset(".?!,")
    run_in = text.replace(", ", ",")
    marks, evidence = spacing_convention(run_in, LIMIT)
    assert marks == frozenset(".?!") and "comma run in 31 of 31" in evidence
    assert apply_edits(run_in, missing_space_edits(run_in, LIMIT)[0]).endswith("went. So it was.")
