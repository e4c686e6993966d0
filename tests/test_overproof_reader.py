"""benchmarks/overproof.py: the overProof files read as aligned documents for the benchmarks."""

from __future__ import annotations

import hashlib
import importlib

import pytest

from tests.conftest import REPO

SAMPLE = (
    "*$*OVERPROOF*$* 3 year 1871 type Article title THE CAIRO DAILY\n"
    "county arc opposed to the Cairo ami||@@||county are opposed to the Cairo and||@@||x\n"
    "radicals, and a bran -new||@@||radicals, and a bran-new ||@@||x\n"
    "||@@||||@@||\n"
    "*$*OVERPROOF*$* 3 year 1872 type Article title THE CAIRO DAILY\n"
    "Upset price 20s pei acie. @ #||@@||Upset price 20s. per acre. No. #4||@@||x\n"
    "||@@||a line the OCR lost||@@||x\n"
)


@pytest.fixture(scope="module")
def evaluate():
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(REPO / "benchmarks"))
        module = importlib.import_module("evaluate_external_ocr")
        overproof = importlib.import_module("overproof")
    return module, overproof


@pytest.fixture
def folder(tmp_path):
    for name in ("dataset2", "dataset3"):
        (tmp_path / name).mkdir()
    (tmp_path / "dataset2" / "allArticles.txt").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "dataset3" / "allArticles.txt").write_text(
        SAMPLE[: SAMPLE.index("\n*$*", 1) + 1], encoding="utf-8"
    )
    return tmp_path


def test_alignment_keeps_both_texts_and_one_length(evaluate):
    _, overproof = evaluate
    top, bottom = overproof.align("pei acie. @", "per acre.")
    assert len(top) == len(bottom)
    assert top.replace(overproof.GAP, "") == "pei acie. @"
    assert bottom.replace(overproof.GAP, "") == "per acre."


def test_articles_are_named_by_place_and_hold_ocr_and_gold(evaluate, folder):
    module, overproof = evaluate
    docs = overproof.read_set(folder, module.Document)
    # ids repeat within a file (dataset3 numbers articles per title), so places name them
    assert [d.name for d in docs] == ["dataset2/1", "dataset2/2", "dataset3/1"]
    first, second = docs[0], docs[1]
    assert first.ocr == "county arc opposed to the Cairo ami\nradicals, and a bran -new"
    assert first.gold() == "county are opposed to the Cairo and\nradicals, and a bran-new "
    # the OCR's own "@" and "#", and the gold's "#", are text, not alignment marks
    assert second.ocr == "Upset price 20s pei acie. @ #\n"
    assert second.apply([]) == second.ocr
    assert second.gold() == "Upset price 20s. per acre. No. #4\na line the OCR lost"
    assert all(second.kept(i) for i in range(len(second.ocr)))
    start = second.ocr.index("pei")
    assert second.gold_between(start, start + len("pei acie.")) == "per acre."
    line = second.ocr.index("\n")
    assert second.gold_between(0, line + 1) == "Upset price 20s. per acre. No. #4\n"


def test_a_line_without_three_fields_is_refused_with_its_place(evaluate, folder):
    _, overproof = evaluate
    path = folder / "dataset2" / "allArticles.txt"
    path.write_text(SAMPLE + "no fields here\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"allArticles.txt:8: expected"):
        overproof.articles(path)


def test_missing_files_name_the_readme(evaluate, tmp_path):
    module, overproof = evaluate
    with pytest.raises(SystemExit, match="README.md"):
        overproof.read_set(tmp_path, module.Document)


@pytest.mark.parametrize(
    ("data", "half", "digest"),
    [
        ("icdar2017-en", "tuning", "9648271979b0477e"),
        ("icdar2019-en", "held-out", "14430300a297f767"),
    ],
)
def test_the_icdar_halves_are_the_ones_every_figure_was_measured_on(evaluate, data, half, digest):
    # the split of the vendored sets by SEED must not move: the figures in docs/cleaning.md
    # are of these documents
    module, _ = evaluate
    names = "\n".join(d.name for d in module.documents(data, half))
    assert hashlib.sha256(names.encode()).hexdigest()[:16] == digest
