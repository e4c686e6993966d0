"""benchmarks/name_repeats.py: which forms of a document a garbled name could be read as."""

from __future__ import annotations

import importlib.util
from collections import Counter

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def name_repeats():
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(REPO / "benchmarks"))
        path = REPO / "benchmarks" / "name_repeats.py"
        spec = importlib.util.spec_from_file_location("name_repeats", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


FORMS = Counter(
    {
        "Strachau": 1,  # the garble itself
        "Strachan": 2,  # the name, written twice
        "strachan": 5,  # lowercase: no name
        "Stracbau": 1,  # a garble written once, in no vocabulary: not plausible
        "Struchau": 2,  # a garble written twice: plausible, but not at three
        "Stretton": 4,  # more than one OCR-weighted unit away
    }
)


def test_a_capitalised_plausible_form_within_one_unit_is_found(name_repeats):
    assert name_repeats.nearby("Strachau", FORMS, 1) == ["Strachan", "Struchau"]
    assert name_repeats.nearby("Strachau", FORMS, 2) == ["Strachan", "Struchau"]
    assert name_repeats.nearby("Strachau", Counter({**FORMS, "Strachan": 3}), 3) == ["Strachan"]
    assert name_repeats.nearby("Strachau", FORMS, 3) == []


def test_a_form_already_a_reading_is_told_apart(name_repeats):
    assert name_repeats.already("Secretary", Counter())  # in the candidate vocabulary
    assert name_repeats.already("Strachan", Counter({"Strachan": 2, "STRACHAN": 1}))
    assert not name_repeats.already("Strachan", Counter({"Strachan": 2}))
