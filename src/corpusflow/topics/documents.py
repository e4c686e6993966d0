"""The documents of the topic model: one bag of words per analysed segment.

Two texts are too few documents, so the model's documents are the segments. Their terms are
those of the one terms builder (:func:`corpusflow.terms.term_occurrences`, with the topics
section's :func:`term_rules`); this module groups them by segment. The documents table keeps
every kept term in text order (before the document-frequency filter), so each fit can build
its vocabulary from its own training segments only (:func:`vocabulary`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from corpusflow.terms import Learning, TermRules, term_occurrences, token_pieces
from corpusflow.topics.checks import train_segments
from corpusflow.topics.settings import TopicsSettings

#: Rows (segments) per row group of the documents table the stage writes: a corpus of fewer
#: segments is written in one piece (the bytes of ``corpusflow.io.write_parquet``).
DOCUMENTS_ROWS = 1 << 14
#: The columns of the documents table.
DOCUMENT_COLUMNS = [
    "doc_id",
    "segment_id",
    "order",
    "n_tokens",
    "token_start",
    "token_end",
    "terms",
]


def term_rules(settings: TopicsSettings) -> TermRules:
    """The terms of the topic models (:class:`corpusflow.terms.TermRules`) from the topics
    settings: no spelling folding and no listed phrases (topics has no such keys); the learned
    two-word units (``topics.phrases``) are learned as keyness learns them."""
    s = settings
    return TermRules(
        section="topics",
        unit=s.unit,
        drop_stopwords=s.drop_stopwords,
        extra_stopwords=frozenset(word.lower() for word in s.extra_stopwords),
        min_length=s.min_length,
        pos=tuple(s.pos),
        variants={},
        phrases=(),
        learning=Learning(s.phrase_min_count, s.phrase_threshold) if s.phrases else None,
    )


def segment_documents(
    tokens: pd.DataFrame, segments: pd.DataFrame, rules: TermRules
) -> pd.DataFrame:
    """One document per segment: the sequence of its terms (under ``rules``), and its place in
    the text.

    Returns ``doc_id``, ``segment_id``, ``order``, ``n_tokens`` (the segment's alphabetic
    tokens), ``token_start``/``token_end`` (its position in the text, in alphabetic tokens
    from the start) and ``terms`` (list of str, in text order), one row per segment (also
    segments left without terms), sorted by ``doc_id`` and ``order``. The stacked tables'
    version of :func:`documents_in_pieces` (the same rows).
    """
    documents = [
        (segments[segments["doc_id"] == doc_id], [tokens[tokens["doc_id"] == doc_id]])
        for doc_id in sorted(segments["doc_id"].unique())
    ]
    pieces = list(documents_in_pieces(lambda: documents, rules, rows=max(1, len(segments))))
    return pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]


def documents_in_pieces(
    documents: Callable[[], Iterable[tuple[pd.DataFrame, Iterable[pd.DataFrame]]]],
    rules: TermRules,
    *,
    rows: int,
    model=None,
) -> Iterator[pd.DataFrame]:
    """The rows of :func:`segment_documents`, one document at a time, as consecutive frames
    of about ``rows`` rows (at least one frame; a frame ends with a document).

    ``documents()`` gives, in doc_id order, each document's segment table and its token table
    as consecutive batches (:func:`corpusflow.io.read_documents`). With ``rules.learning`` the
    two-word units are those of ``model`` (:func:`corpusflow.terms.learn_phrase_models`, e.g.
    learned by the topics_phrases job); without one, ``documents()`` is read twice more to
    learn them first. Memory holds one batch, one document's terms and one frame, never every
    token of the corpus.
    """
    if rules.learning is not None and model is None:
        from corpusflow.terms import learn_phrase_models

        (model,) = learn_phrase_models(lambda: token_pieces(documents()), [rules])
    frames, held, yielded = [], 0, False
    for segments, batches in documents():
        terms: dict[str, list[str]] = {}
        for piece in token_pieces([(segments, batches)]):
            found = term_occurrences(piece, rules, model)
            for segment_id, kept in found.groupby("segment_id", sort=False)["term"]:
                terms.setdefault(segment_id, []).extend(kept.tolist())
        frame = _document_rows(segments, terms)
        frames.append(frame)
        held += len(frame)
        if held >= rows:
            yield pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
            frames, held, yielded = [], 0, True
    if frames or not yielded:
        frames = frames or [_document_rows(_NO_SEGMENTS, {})]
        yield pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def merged_documents(tables: Iterable[pd.DataFrame], *, rows: int) -> Iterator[pd.DataFrame]:
    """The reduce step of the documents table: the shards' tables (:func:`documents_in_pieces`
    of each shard's documents) in doc_id order, as frames cut as :func:`documents_in_pieces`
    cuts them (whole documents, about ``rows`` rows): the same row groups, so the same bytes,
    as one job over every document."""
    parts = [table for table in tables if len(table)] or [_document_rows(_NO_SEGMENTS, {})]
    table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    table = table.sort_values("doc_id", kind="stable").reset_index(drop=True)
    doc_ids = table["doc_id"].to_numpy()
    ends = [*(np.flatnonzero(doc_ids[1:] != doc_ids[:-1]) + 1).tolist(), len(table)]
    start, last = 0, 0
    for end in ends:
        if end - start >= rows:
            yield table.iloc[start:end].reset_index(drop=True)
            start = end
        last = end
    if start < last or start == 0:
        yield table.iloc[start:].reset_index(drop=True)


_NO_SEGMENTS = pd.DataFrame(
    {
        "doc_id": pd.Series(dtype="str"),
        "segment_id": pd.Series(dtype="str"),
        "order": pd.Series(dtype="int32"),
        "n_tokens": pd.Series(dtype="int64"),
    }
)


def _document_rows(segments: pd.DataFrame, terms: Mapping[str, list[str]]) -> pd.DataFrame:
    docs = segments[["doc_id", "segment_id", "order", "n_tokens"]].copy()
    docs = docs.sort_values(["doc_id", "order"], kind="stable").reset_index(drop=True)
    docs["token_end"] = docs.groupby("doc_id")["n_tokens"].cumsum().astype("int64")
    docs["token_start"] = docs["token_end"] - docs["n_tokens"]
    docs["terms"] = [terms.get(s, []) for s in docs["segment_id"]]
    return docs[DOCUMENT_COLUMNS]


class DocumentsSummary:
    """Counts of the frames of :func:`documents_in_pieces` as they pass (``map(summary.add,
    frames)``): segments, term tokens and distinct terms (before the vocabulary filter)."""

    def __init__(self) -> None:
        self.segments, self.term_tokens, self._terms = 0, 0, set()

    def add(self, frame: pd.DataFrame) -> pd.DataFrame:
        self.segments += len(frame)
        for terms in frame["terms"]:
            self.term_tokens += len(terms)
            self._terms.update(terms)
        return frame

    @property
    def distinct_terms(self) -> int:
        return len(self._terms)


def vocabulary(texts: Sequence[Sequence[str]], *, no_below: int, no_above: float):
    """A gensim ``Dictionary`` of the terms in at least ``no_below`` of ``texts`` and at most a
    ``no_above`` share of them. Built from the texts a model is trained on, never from the
    held-out ones."""
    from gensim.corpora import Dictionary

    dictionary = Dictionary(texts)
    dictionary.filter_extremes(no_below=no_below, no_above=no_above, keep_n=None)
    return dictionary


def filter_texts(texts: Sequence[Sequence[str]], dictionary) -> list[list[str]]:
    """``texts`` keeping only the dictionary's terms."""
    vocab = dictionary.token2id
    return [[t for t in text if t in vocab] for text in texts]


def perturbation_masks(n_segments: int, *, replicates: int, fraction: float, seed: int):
    """Training masks (replicates x segments) of the data-perturbation replicates.

    Each replicate trains on a simple random sample of ``round(fraction * n)`` segments
    (without replacement; seeded by ``seed`` and the replicate number, so the same replicates
    are used at every K) and holds out the rest. The same masks serve perturbation stability
    (Greene et al. 2014) and the held-out evaluation.
    """
    n_train = train_segments(n_segments, fraction)
    masks = np.zeros((replicates, n_segments), dtype=bool)
    for r in range(replicates):
        rng = np.random.default_rng([seed, r])
        masks[r, rng.choice(n_segments, size=n_train, replace=False)] = True
    return masks


def split_heldout_words(ids: Sequence[int], rng: np.random.Generator) -> tuple[list, list]:
    """Split a held-out segment's word ids at random into an observed half and a scored half
    (document completion with words held out at random, not by position)."""
    ids = np.asarray(ids, dtype=int)
    perm = rng.permutation(len(ids))
    half = len(ids) // 2
    return ids[perm[:half]].tolist(), ids[perm[half:]].tolist()
