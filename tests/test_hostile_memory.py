"""Large input in bounded memory (issue 15): tokenise and segment work chunk by chunk and give
the same tables as in one piece; the corpus overview aggregates per document and its figure
stays readable from 2 to 500 documents."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from PIL import Image

import corpusflow.tokenise as tokenise
from corpusflow import io, overview
from corpusflow.config import default_config
from corpusflow.ingest import ingest_document
from corpusflow.io import read_parquet, read_parquet_batches, write_parquet, write_parquet_chunks
from corpusflow.manifest import Manifest, read_manifest
from corpusflow.plotting import group_colours
from corpusflow.rawfiles import read_facts, segment_bound
from corpusflow.segment import SEGMENT_INPUT, make_segments, make_segments_from_pieces
from tests.conftest import REPO
from tests.defaults import BATCH_SIZE, UNICODE_FORM


@pytest.fixture(scope="module")
def nlp():
    return tokenise.load_pipeline(default_config()["tokenise"]["pipeline"])


@pytest.fixture(scope="module")
def texts():
    """The analysed documents of the real manifest, ingested."""
    manifest = read_manifest(REPO / "config" / "corpus.tsv")
    return {
        row["doc_id"]: ingest_document(
            REPO / row["path"], encoding=row["encoding"], unicode_form=UNICODE_FORM
        ).text
        for row in manifest.analysed()
    }


@pytest.fixture(scope="module")
def tables(texts, nlp):
    """Each analysed document's token table, tokenised in one piece."""
    return {
        doc_id: tokenise.tokenise_text(text, doc_id, nlp, batch_size=BATCH_SIZE)
        for doc_id, text in texts.items()
    }


def tokens_of(text, doc_id, nlp, chunk, monkeypatch):
    monkeypatch.setattr(tokenise, "CHUNK_CHARACTERS", chunk)
    return list(tokenise.tokenise_chunks(text, doc_id, nlp, batch_size=BATCH_SIZE))


def test_chunked_tokenisation_gives_the_table_of_one_piece(texts, tables, nlp, monkeypatch):
    for doc_id, text in texts.items():
        pieces = tokens_of(text, doc_id, nlp, 5_000, monkeypatch)
        assert len(pieces) > 5
        table = pd.concat(pieces, ignore_index=True)
        pd.testing.assert_frame_equal(table, tables[doc_id])
        assert table["index"].tolist() == list(range(len(table)))
        counts = tokenise.TokenCounts()
        for piece in pieces:
            counts.add(piece)
        assert counts.as_dict() == {
            "tokens": len(table),
            "alphabetic_tokens": int(table["is_alpha"].sum()),
            "types": table.loc[table["is_alpha"], "lower"].nunique(),
            "sentences": table["sentence"].nunique(),
            "paragraphs": table["paragraph"].nunique(),
        }


def test_parquet_chunks_read_back_as_one_table(texts, nlp, monkeypatch, tmp_path):
    doc_id, text = next(iter(texts.items()))
    pieces = tokens_of(text, doc_id, nlp, 4_000, monkeypatch)
    whole = pd.concat(pieces, ignore_index=True)
    write_parquet_chunks(iter(pieces), tmp_path / "chunks.parquet")
    write_parquet(whole, tmp_path / "whole.parquet")
    pd.testing.assert_frame_equal(read_parquet(tmp_path / "chunks.parquet"), whole)
    # One chunk (every document under CHUNK_CHARACTERS) gives the same bytes as write_parquet.
    write_parquet_chunks([whole], tmp_path / "one.parquet")
    assert (tmp_path / "one.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()


def peak_bytes(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_tokenise_memory_does_not_grow_with_the_document(texts, nlp, monkeypatch, tmp_path):
    """Tokenising and writing a document 4 times longer: chunked, the peak of Python
    allocations (numpy included) stays about the same; in one piece it grows with the text."""
    text = min(texts.values(), key=len)

    documents = {copies: "\n\n".join([text] * copies) for copies in (1, 4)}

    def write(copies, chunk):
        monkeypatch.setattr(tokenise, "CHUNK_CHARACTERS", chunk)
        chunks = tokenise.tokenise_chunks(documents[copies], "doc", nlp, batch_size=BATCH_SIZE)
        counts = tokenise.TokenCounts()
        write_parquet_chunks(map(counts.add, chunks), tmp_path / "tokens.parquet")

    write(1, 2_000)  # the pipeline's vocabulary learns the text's forms once
    short = peak_bytes(lambda: write(1, 2_000))
    long = peak_bytes(lambda: write(4, 2_000))
    whole = peak_bytes(lambda: write(4, 10**9))
    assert long < 1.5 * short, (short, long)
    assert whole > 2 * long, (long, whole)


# --- segments --------------------------------------------------------------------------------


def reference_units(tokens: pd.DataFrame, target: int):
    """Units by the plain pandas definition (groupby paragraph, then sentence)."""
    from corpusflow.segment import _group_units, _merge, _Unit

    units = []
    for paragraph, rows in tokens.groupby("paragraph", sort=True):
        n_alpha = int(rows["is_alpha"].sum())
        if n_alpha > 2 * target:
            sentences = [
                _Unit(
                    int(s["start"].iloc[0]),
                    int(s["end"].iloc[-1]),
                    int(s["is_alpha"].sum()),
                    int(paragraph),
                )
                for _, s in rows.groupby("sentence", sort=True)
            ]
            units.extend(_merge(g) for g in _group_units(sentences, target))
        else:
            units.append(
                _Unit(
                    int(rows["start"].iloc[0]), int(rows["end"].iloc[-1]), n_alpha, int(paragraph)
                )
            )
    return _group_units(units, target)


@pytest.mark.parametrize("target", [40, 250, 2_000])
def test_segments_from_five_columns_match_the_groupby_definition(tables, target):
    for doc_id, tokens in tables.items():
        segments = make_segments(tokens[SEGMENT_INPUT], doc_id, target_tokens=target)
        groups = reference_units(tokens, target)
        assert segments["start"].tolist() == [g[0].start for g in groups]
        assert segments["end"].tolist() == [g[-1].end for g in groups]
        assert segments["n_tokens"].tolist() == [sum(u.n_tokens for u in g) for g in groups]
        assert segments["first_paragraph"].tolist() == [g[0].paragraph for g in groups]


# --- corpus overview -------------------------------------------------------------------------


def test_overview_counts_come_from_the_token_metadata(texts, tables):
    manifest = Manifest(
        {"doc_id": d, "title": "T", "author": "A", "year": "1", "group": "g"}
        | {"role": "analysis", "ocr": False}
        for d in texts
    )
    metadata = {}
    for doc_id, table in tables.items():
        counts = tokenise.TokenCounts()
        counts.add(table)
        metadata[doc_id] = counts.as_dict()
    table = overview.corpus_overview(manifest, metadata, {d: 3 for d in texts}, {})
    for row in table.itertuples():
        tokens = tables[row.doc_id]
        assert row.tokens == len(tokens) and row.words == tokens["is_alpha"].sum()
        assert row.types == tokens.loc[tokens["is_alpha"], "lower"].nunique()
        assert row.sentences == tokens["sentence"].nunique() and row.segments == 3


def synthetic_overview(n_documents: int, n_groups: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(n_documents)
    rows = []
    for i in range(n_documents):
        witness = i % 4 == 3
        rows.append(
            {
                "doc_id": f"document-{i:04d}",
                "group": f"group-{i % n_groups}",
                "role": "witness" if witness else "analysis",
                "ocr": i % 5 == 0,
                "words": int(rng.integers(5, 200_000)),
                "segments": 0 if witness else int(rng.integers(1, 800)),
                "ocr_corrections": int(rng.integers(0, 100)),
            }
        )
    return pd.DataFrame(rows)


LABELS = {f"group-{i}": f"A long group label number {i} that needs wrapping" for i in range(3)}


@pytest.mark.parametrize("n_documents", [2, 77, 500])
def test_overview_figure_size_does_not_grow_with_the_documents(tmp_path, n_documents):
    path = tmp_path / "overview.png"
    io.write_figure(overview.plot_overview(synthetic_overview(n_documents), LABELS), [path])
    width, height = Image.open(path).size
    assert 400 <= width <= 2000 and 250 <= height <= 1400, (width, height)


@pytest.mark.parametrize("n_documents", [2, 30, 77, 500])
def test_overview_figure_labels_do_not_overlap(n_documents):
    frame = synthetic_overview(n_documents)
    groups = list(dict.fromkeys(frame["group"]))
    colours = dict.fromkeys(groups, "#000000")
    build = (
        overview._document_bars
        if n_documents <= overview.MAX_DOCUMENT_BARS
        else overview._group_summary
    )
    fig = build(frame, groups, colours, LABELS)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            boxes = [
                label.get_window_extent(renderer)
                for label in axis.get_ticklabels()
                if label.get_visible() and label.get_text()
            ]
            for first, second in zip(boxes, boxes[1:], strict=False):
                assert not first.overlaps(second), [t.get_text() for t in axis.get_ticklabels()]


# --- impossible requests known at startup ---------------------------------------------------


@pytest.mark.parametrize("target", [20, 250, 1_000])
def test_the_startup_bound_on_segments_holds_for_the_real_documents(tables, target):
    manifest = read_manifest(REPO / "config" / "corpus.tsv")
    for doc_id, tokens in tables.items():
        row = manifest[doc_id]
        runs = read_facts(REPO / row["path"], row["encoding"])["letter_runs"]
        segments = make_segments(tokens[SEGMENT_INPUT], doc_id, target_tokens=target)
        assert 1 <= len(segments) <= segment_bound(runs, target)


@pytest.mark.parametrize("rows", [41, 5_000])
def test_segments_from_parquet_batches_equal_those_of_the_whole_table(tables, tmp_path, rows):
    """Batches cut sentences and paragraphs anywhere; the segments do not change."""
    for doc_id, tokens in tables.items():
        path = tmp_path / f"{doc_id}.parquet"
        write_parquet(tokens, path)
        pieces = read_parquet_batches(path, SEGMENT_INPUT, rows=rows)
        batched = make_segments_from_pieces(pieces, doc_id, target_tokens=60)
        pd.testing.assert_frame_equal(batched, make_segments(tokens, doc_id, target_tokens=60))


def test_overview_colours_a_group_as_every_other_figure_does():
    """The config's group order decides colours (plotting.group_colours), not the manifest's."""
    table = synthetic_overview(6).sort_values("group", ascending=False)  # group-2 listed first
    fig = overview.plot_overview(table, LABELS)
    legend = next(ax.get_legend() for ax in fig.axes if ax.get_legend())
    shown = {
        " ".join(text.get_text().split()): to_hex(handle.get_facecolor())
        for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True)
    }
    expected = group_colours(LABELS)
    for group, label in LABELS.items():
        assert shown[label] == expected[group].lower(), shown
