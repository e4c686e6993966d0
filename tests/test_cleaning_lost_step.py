"""benchmarks/lost_step.py: why a gold word within a token's reach was no reading."""

from __future__ import annotations

import importlib.util

import pytest

from corpusflow.cleaning.channel import Decoder
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
        ("hamper", "pamper", True, "filtered: under candidate_min_zipf"),
        ("pie", "pte", True, "not indexed: more than one edit or one confusion"),
        ("prises", "prizes", False, "filtered: a spelling variant"),
        ("vpon", "upon", False, "filtered: an older spelling"),
        ("as", "a", True, "filtered: the token itself, one letter or not letters"),
        ("ilie", "the", False, "not indexed: more than two edits or one folded edit"),
        ("wdl", "will", False, "a reading (lost after the search)"),
        ("inataoee", "instance", False, "a reading (lost after the search)"),
        ("gaie", "gate", True, "a reading (lost after the search)"),
        ("walks", "walk", True, "filtered: an inflection"),
    ],
)
def test_the_step_that_loses_a_gold_within_reach_is_named(key, word, real, step):
    index = english_index(SETTINGS.candidate_vocabulary_size)
    decoder = Decoder(SETTINGS, None, index, cautious=False, noise=0.0)
    assert LOST_STEP.lost_step(decoder, key, word, real) == step
