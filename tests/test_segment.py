import pandas as pd
import pytest

from corpusflow.errors import ConfigError
from corpusflow.segment import SEGMENT_COLUMNS, make_segments, tokens_with_segments


def fake_tokens(paragraph_sizes, sentence_size=10):
    """Alphabetic tokens of 4 characters plus a space; paragraphs one line apart."""
    rows, position, sentence = [], 0, -1
    for paragraph, size in enumerate(paragraph_sizes):
        for i in range(size):
            if i % sentence_size == 0:
                sentence += 1
            rows.append(
                {
                    "paragraph": paragraph,
                    "sentence": sentence,
                    "start": position,
                    "end": position + 4,
                    "is_alpha": True,
                }
            )
            position += 5
        position += 1
    return pd.DataFrame(rows)


def test_segments_end_at_paragraph_ends_near_the_target():
    tokens = fake_tokens([100, 100, 100, 100, 100, 100])
    segments = make_segments(tokens, "d", target_tokens=200)
    assert list(segments.columns) == SEGMENT_COLUMNS
    assert segments["n_tokens"].tolist() == [200, 200, 200]
    assert segments["segment_id"].tolist() == ["d:000", "d:001", "d:002"]
    assert segments["first_paragraph"].tolist() == [0, 2, 4]


def test_a_long_paragraph_is_cut_at_sentence_ends():
    tokens = fake_tokens([1000], sentence_size=10)
    segments = make_segments(tokens, "d", target_tokens=200)
    assert segments["n_tokens"].tolist() == [200] * 5
    assert set(segments["first_paragraph"]) == {0}


def test_a_short_last_segment_joins_the_one_before():
    tokens = fake_tokens([200, 200, 50])
    segments = make_segments(tokens, "d", target_tokens=200)
    assert segments["n_tokens"].tolist() == [200, 250]


def test_a_short_segment_between_long_paragraphs_joins_its_smaller_neighbour():
    # The greedy pass closes 90 before the 380-token paragraph; 90 < 100 joins the 200.
    tokens = fake_tokens([200, 90, 380, 200])
    segments = make_segments(tokens, "d", target_tokens=200)
    assert segments["n_tokens"].tolist() == [290, 380, 200]
    assert (segments["n_tokens"] >= 100).all()


def test_every_token_falls_in_exactly_one_segment():
    tokens = fake_tokens([37, 180, 5, 260, 90, 12, 300, 41])
    segments = make_segments(tokens, "d", target_tokens=150)
    assigned = tokens_with_segments(tokens.assign(doc_id="d"), segments)
    assert len(assigned) == len(tokens)
    counts = assigned.groupby("segment_id")["is_alpha"].sum()
    assert counts.to_dict() == dict(zip(segments["segment_id"], segments["n_tokens"], strict=True))


def test_target_must_be_positive():
    with pytest.raises(ConfigError, match="target_tokens"):
        make_segments(fake_tokens([10]), "d", target_tokens=0)
