"""Counting for keyness (corpusflow.terms): spelling variants, the POS filter, surface forms,
and the sensitivity table's marking of keywords that rest on one choice."""

import pandas as pd
import pytest

from corpusflow import keyness as k
from corpusflow import terms
from corpusflow.errors import ConfigError
from corpusflow.tokenise import load_pipeline, tokenise_text
from tests.defaults import BATCH_SIZE
from tests.keyness_corpus import settings as keyness_settings
from tests.keyness_corpus import table_of
from tests.term_rules import keyness_rules

TEXT = (
    "The organisation of labour differs from the organization of labor.\n\n"
    "Organisations of the Labour movement met in the centre; the organization stayed.\n"
)


@pytest.fixture(scope="module")
def tokens():
    return tokenise_text(TEXT, "d", load_pipeline(), batch_size=BATCH_SIZE)


def _count(tokens, variants, **settings):
    occurrences = terms.term_occurrences(tokens, keyness_rules(variants=variants, **settings))
    return occurrences, occurrences["term"].value_counts().to_dict()


def test_organisation_and_organization_are_counted_together(tokens):
    variants = terms.spelling_variants(fold=True, to="american", extra={})
    occurrences, counts = _count(tokens, variants)
    assert counts["organization"] == 3 and "organisation" not in counts
    assert counts["labor"] == 3 and counts["center"] == 1
    assert counts["organizations"] == 1
    # The surface forms are kept: what was written, before folding.
    surfaces = occurrences.loc[occurrences["term"] == "organization", "surface"]
    assert sorted(surfaces) == ["organisation", "organization", "organization"]
    for row in occurrences.itertuples():  # offsets still slice the written word
        assert TEXT[row.start : row.end].lower() == row.surface
    _, unfolded = _count(tokens, {})
    assert unfolded["organisation"] == 1 and unfolded["organization"] == 2


def test_folding_to_british_and_extra_variants(tokens):
    british = terms.spelling_variants(fold=True, to="british", extra={})
    _, counts = _count(tokens, british)
    assert counts["organisation"] == 3 and counts["labour"] == 3
    extra = terms.spelling_variants(fold=True, to="american", extra={"movement": "motion"})
    _, counts = _count(tokens, extra)
    assert counts["motion"] == 1 and "movement" not in counts
    assert terms.spelling_variants(fold=False, to="american", extra={"a": "b"}) == {}


def test_folded_words_make_one_multiword_unit(tokens):
    variants = terms.spelling_variants(fold=True, to="american", extra={})
    occurrences, counts = _count(tokens, variants, phrases=["labour movement"])
    assert counts["labor movement"] == 1  # listed in British, folded like the words
    row = occurrences[occurrences["term"] == "labor movement"].iloc[0]
    assert row["surface"] == "labour movement"
    assert TEXT[row["start"] : row["end"]] == "Labour movement"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"Colour": "color"}, "form 'Colour'"),
        ({"two words": "x"}, "form 'two words'"),
        ({"colour": "hue", "hue": "tint"}, "'hue' is a key other forms fold into"),
    ],
)
def test_bad_extra_variants_are_coded_errors(extra, message):
    with pytest.raises(ConfigError, match=f"CF505: .*{message}"):
        terms.spelling_variants(fold=True, to="american", extra=extra)


def test_pos_filter_and_its_missing_column(tokens):
    for untagged in (tokens.drop(columns="pos"), tokens.assign(pos="")):
        with pytest.raises(ConfigError, match="CF504: keyness.pos is set \\(NOUN\\)"):
            _count(untagged, {}, pos=["NOUN"])
    tagged = tokens.assign(pos=["NOUN" if t.startswith("organi") else "X" for t in tokens["lower"]])
    _, counts = _count(tagged, {}, pos=["NOUN"])
    assert set(counts) == {"organisation", "organization", "organisations"}
    _, everything = _count(tagged, {}, pos=[])
    assert "labour" in everything


def test_keyness_table_lists_the_folded_forms(tokens):
    variants = terms.spelling_variants(fold=True, to="american", extra={})
    occurrences, _ = _count(tokens.assign(segment_id="d:000"), variants)
    other = occurrences.assign(doc_id="e", segment_id="e:000")
    table = table_of(pd.concat([occurrences, other]), ["d"], ["e"], min_count=1).set_index("term")
    assert table.loc["organization", "forms"] == "organisation|organization"
    assert table.loc["center", "forms"] == "centre"


def _toy_table(rows):
    """rows: term -> (side, q, q_segment)."""
    frame = pd.DataFrame(
        [
            {
                "term": term,
                "side": side,
                "rank": i + 1,
                "q": q,
                "q_segment": q_segment,
                "log_ratio": 2.0 if side == "target" else -2.0,
                "range_target": 5,
                "range_reference": 5,
                "concentrated": False,
                "design": "descriptive",
            }
            for i, (term, (side, q, q_segment)) in enumerate(rows.items())
        ]
    )
    return frame


def test_sensitivity_marks_keywords_key_under_one_choice_only():
    default = _toy_table(
        {
            "solid": ("target", 0.001, 0.001),
            "tokens only": ("target", 0.001, 0.5),
            "other": ("reference", 0.001, 0.01),
        }
    )
    no_phrases = _toy_table({"solid": ("target", 0.001, 0.001), "other": ("reference", 0.5, 0.5)})
    unfolded = _toy_table(
        {
            "solid": ("target", 0.001, 0.001),
            "other": ("reference", 0.001, 0.01),
            "split": ("target", 0.001, 0.01),
        }
    )
    table = k.sensitivity_table(
        {
            "learned_phrases": default,
            "folded": default,
            "listed_phrases_only": no_phrases,
            "unfolded": unfolded,
        },
        defaults={"phrases": "learned_phrases", "q": "segment_q", "spelling": "folded"},
        settings=keyness_settings(
            top_n=20, max_q=0.05, min_log_ratio=1.0, min_range=3, exclude_concentrated=True
        ),
    ).set_index("term")
    assert list(table.reset_index().columns) == k.SENSITIVITY_COLUMNS
    assert table.loc["solid", "robust"] and table.loc["solid", "key_only_under"] == ""
    # "tokens only" is not in the default top (segment q 0.5) but key under token q.
    assert table.loc["tokens only", "top_rank"] == 0
    assert table.loc["tokens only", "key_only_under"] == "token_q"
    assert table.loc["other", "key_only_under"] == "learned_phrases"
    assert table.loc["split", "key_only_under"] == "unfolded"
    assert table.index.tolist()[:2] == ["solid", "other"]  # the default top list first
