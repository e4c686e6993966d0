"""benchmarks/lost_step.py: why a gold word within a token's reach was no reading."""

from __future__ import annotations

import importlib.util
from types import SimpleNamespace

import pytest

from corpusflow.cleaning.lexicon import english_index
from corpusflow.cleaning.stage import settings_from_config
from corpusflow.config import default_config
from tests.conftest import REPO

SPEC = importlib.util.spec_from_file_location("lost_step", REPO / "benchmarks" / "lost_step.py")
LOST_STEP = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(LOST_STEP)
SETTINGS = settings_from_config(default_config()["cleaning"])["settings"]


@pytest.mark.parametrize(
    ("key", "word", "real", "step"),
    [
        ("tv", "in", True, "not indexed: more than one edit or one confusion"),
        ("pie", "pte", True, "filtered: under candidate_min_zipf"),
        ("prises", "prizes", False, "filtered: a spelling variant"),
        ("vpon", "upon", False, "filtered: an older spelling"),
        ("ac", "c", True, "filtered: one letter"),
        ("ilie", "the", False, "not indexed: more than two edits or one folded edit"),
    ],
)
def test_the_step_that_loses_a_gold_within_reach_is_named(key, word, real, step):
    decoder = SimpleNamespace(s=SETTINGS, index=english_index(SETTINGS.candidate_vocabulary_size))
    assert LOST_STEP.lost_step(decoder, key, word, real) == step
