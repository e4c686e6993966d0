"""The documents of the topic model: one bag of words per analysed segment.

Two texts are too few documents, so the model's documents are the segments. The documents
table keeps every kept term in text order (before the document-frequency filter), so each fit
can build its vocabulary from its own training segments only (:func:`vocabulary`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from corpusflow.errors import ConfigError
from corpusflow.terms import token_pieces
from corpusflow.topics.checks import UNITS, train_segments

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


def segment_documents(
    tokens: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    unit: str,
    drop_stopwords: bool,
    extra_stopwords: Sequence[str],
    min_length: int,
    pos: Sequence[str],
    phrases: bool,
    phrase_min_count: int,
    phrase_threshold: float,
) -> pd.DataFrame:
    """One document per segment: the sequence of its terms, and its place in the text.

    Keeps alphabetic tokens of at least ``min_length`` characters, without stopwords (the
    tokens' ``is_stop`` flag and ``extra_stopwords``, compared on ``lower`` and on the unit)
    when ``drop_stopwords``; with a non-empty ``pos`` only tokens whose universal POS tag (the
    token table's ``pos`` column) is listed. ``phrases`` joins collocations learned with gensim
    ``Phrases`` within sentences.

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
    pieces = list(
        documents_in_pieces(
            lambda: documents,
            unit=unit,
            drop_stopwords=drop_stopwords,
            extra_stopwords=extra_stopwords,
            min_length=min_length,
            pos=pos,
            phrases=phrases,
            phrase_min_count=phrase_min_count,
            phrase_threshold=phrase_threshold,
            rows=max(1, len(segments)),
        )
    )
    return pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]


def documents_in_pieces(
    documents: Callable[[], Iterable[tuple[pd.DataFrame, Iterable[pd.DataFrame]]]],
    *,
    unit: str,
    drop_stopwords: bool,
    extra_stopwords: Sequence[str],
    min_length: int,
    pos: Sequence[str],
    phrases: bool,
    phrase_min_count: int,
    phrase_threshold: float,
    rows: int,
    model=None,
) -> Iterator[pd.DataFrame]:
    """The rows of :func:`segment_documents`, one document at a time, as consecutive frames
    of about ``rows`` rows (at least one frame; a frame ends with a document).

    ``documents()`` gives, in doc_id order, each document's segment table and its token table
    as consecutive batches (:func:`corpusflow.io.read_documents`). With ``phrases`` the
    collocations are those of ``model`` (:func:`phrase_model` of the corpus's
    :func:`phrase_vocabulary`, e.g. merged over shards); without one, ``documents()`` is read
    once more to learn them first. Memory holds one batch, one document's terms and one
    frame, never every token of the corpus.
    """
    keeping = _keeping(unit, drop_stopwords, extra_stopwords, min_length, pos)
    if phrases and model is None:
        vocabulary = phrase_vocabulary(documents(), keeping)
        model = phrase_model([vocabulary], min_count=phrase_min_count, threshold=phrase_threshold)
    frozen = model if phrases else None
    frames, held, yielded = [], 0, False
    for segments, batches in documents():
        terms: dict[str, list[str]] = {}
        for piece in token_pieces([(segments, batches)]):
            keys, sentences = _sentences(piece, **keeping)
            for (_, segment_id, _), sentence in zip(keys, sentences, strict=True):
                terms.setdefault(segment_id, []).extend(
                    frozen[sentence] if frozen is not None else sentence
                )
        frame = _document_rows(segments, terms)
        frames.append(frame)
        held += len(frame)
        if held >= rows:
            yield pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
            frames, held, yielded = [], 0, True
    if frames or not yielded:
        frames = frames or [_document_rows(_NO_SEGMENTS, {})]
        yield pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _keeping(unit, drop_stopwords, extra_stopwords, min_length, pos) -> dict:
    """The token filters of :func:`_sentences` (checked)."""
    if unit not in UNITS:
        raise ConfigError("CF601", f"topics.unit = {unit!r}: use one of {UNITS}")
    return {
        "unit": unit,
        "drop_stopwords": drop_stopwords,
        "extra": {w.lower() for w in extra_stopwords},
        "min_length": min_length,
        "pos": list(pos),
    }


def phrase_vocabulary(documents: Iterable, keeping: Mapping) -> dict:
    """The map step of the collocations: gensim ``Phrases`` counts (words and word pairs, no
    connector words) of the kept terms of ``documents`` (as :func:`documents_in_pieces` reads
    them; ``keeping``: :func:`_keeping`), as ``{"words": total, "vocab": {term: count}}``."""
    from gensim.models.phrases import Phrases

    model = Phrases()
    for piece in token_pieces(documents):
        model.add_vocab(_sentences(piece, **keeping)[1])
    return {"words": int(model.corpus_word_count), "vocab": dict(model.vocab)}


def phrase_model(vocabularies: Iterable[Mapping], *, min_count: int, threshold: float):
    """The reduce step: the frozen collocations (NPMI) of the summed ``vocabularies``
    (:func:`phrase_vocabulary` per shard): the same counts, so the same collocations, as one
    ``Phrases`` over every sentence (below gensim's 40-million-entry vocabulary limit)."""
    from gensim.models.phrases import Phrases

    model = Phrases(min_count=min_count, threshold=threshold, scoring="npmi")
    vocab: dict[str, int] = {}
    for part in vocabularies:
        model.corpus_word_count += part["words"]
        for term, count in part["vocab"].items():
            vocab[term] = vocab.get(term, 0) + count
    model.vocab = vocab
    return model.freeze()


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


def _sentences(toks: pd.DataFrame, *, unit, drop_stopwords, extra, min_length, pos):
    """The kept terms of each sentence of a token piece (with ``segment_id``): the
    ``(doc_id, segment_id, sentence)`` keys in sorted order, and the terms in text order."""
    if pos and "pos" not in toks.columns:
        raise ConfigError(
            "CF605",
            f"topics.pos = {list(pos)} keeps tokens by part of speech, but the token tables "
            "have no 'pos' column; set topics.pos: [] or tokenise with part-of-speech tags",
        )
    keep = toks["is_alpha"].astype(bool) & (toks[unit].str.len() >= min_length)
    if drop_stopwords:
        stop = toks["is_stop"].astype(bool) | toks["lower"].isin(extra) | toks[unit].isin(extra)
        keep &= ~stop
    if pos:
        keep &= toks["pos"].isin(set(pos))
    toks = toks[keep]
    groups = toks.groupby(["doc_id", "segment_id", "sentence"], sort=True)[unit]
    return list(groups.groups.keys()), [list(v) for _, v in groups]


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
