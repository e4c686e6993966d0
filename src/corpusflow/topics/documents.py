"""The documents of the topic model: one bag of words per analysed segment.

Two texts are too few documents, so the model's documents are the segments. The documents
table keeps every kept term in text order (before the document-frequency filter), so each fit
can build its vocabulary from its own training segments only (:func:`vocabulary`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from corpusflow.errors import ConfigError
from corpusflow.segment import tokens_with_segments
from corpusflow.topics.checks import UNITS, train_segments


def _join_phrases(sentences: list[list[str]], min_count: int, threshold: float) -> list[list[str]]:
    """Join frequent collocations (NPMI scoring) into single terms such as ``trade_union``."""
    from gensim.models.phrases import Phrases

    model = Phrases(sentences, min_count=min_count, threshold=threshold, scoring="npmi")
    frozen = model.freeze()
    return [frozen[s] for s in sentences]


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
    segments left without terms), sorted by ``doc_id`` and ``order``.
    """
    if unit not in UNITS:
        raise ConfigError("CF601", f"topics.unit = {unit!r}: use one of {UNITS}")
    if pos and "pos" not in tokens.columns:
        raise ConfigError(
            "CF605",
            f"topics.pos = {list(pos)} keeps tokens by part of speech, but the token tables "
            "have no 'pos' column; set topics.pos: [] or tokenise with part-of-speech tags",
        )
    toks = tokens_with_segments(tokens, segments)
    keep = toks["is_alpha"].astype(bool) & (toks[unit].str.len() >= min_length)
    if drop_stopwords:
        extra = {w.lower() for w in extra_stopwords}
        stop = toks["is_stop"].astype(bool) | toks["lower"].isin(extra) | toks[unit].isin(extra)
        keep &= ~stop
    if pos:
        keep &= toks["pos"].isin(set(pos))
    toks = toks[keep]
    groups = toks.groupby(["doc_id", "segment_id", "sentence"], sort=True)[unit]
    keys = list(groups.groups.keys())
    sentences = [list(v) for _, v in groups]
    if phrases and sentences:
        sentences = _join_phrases(sentences, phrase_min_count, phrase_threshold)
    terms: dict[str, list[str]] = {}
    for (_, segment_id, _), sentence in zip(keys, sentences, strict=True):
        terms.setdefault(segment_id, []).extend(sentence)
    docs = segments[["doc_id", "segment_id", "order", "n_tokens"]].copy()
    docs = docs.sort_values(["doc_id", "order"], kind="stable").reset_index(drop=True)
    docs["token_end"] = docs.groupby("doc_id")["n_tokens"].cumsum().astype("int64")
    docs["token_start"] = docs["token_end"] - docs["n_tokens"]
    docs["terms"] = [terms.get(s, []) for s in docs["segment_id"]]
    columns = ["doc_id", "segment_id", "order", "n_tokens", "token_start", "token_end", "terms"]
    return docs[columns]


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
