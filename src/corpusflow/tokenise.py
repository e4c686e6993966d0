"""Tokenise: spaCy tokens with character offsets, paragraphs, sentences, lemmas and stopwords.

The embedded default pipeline works offline: ``spacy.blank("en")`` with a sentencizer and the
lookup lemmatiser of ``spacy-lookups-data``. A trained pipeline (e.g. ``en_core_web_sm``) is
used instead when config names it; naming one that is not installed is an error, never a silent
fallback to the default.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import numpy as np
import pandas as pd
import spacy
from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, LEMMA, LENGTH, LOWER, SENT_START
from spacy.language import Language

from corpusflow.errors import ConfigError

EMBEDDED = "embedded"

TOKEN_COLUMNS = [
    "doc_id",
    "paragraph",
    "sentence",
    "index",
    "start",
    "end",
    "text",
    "lower",
    "lemma",
    "is_alpha",
    "is_stop",
    "is_punct",
]


def check_pipeline_available(name: str) -> None:
    """Raise :class:`ConfigError` if ``name`` is neither the embedded default nor installed."""
    if name != EMBEDDED and not spacy.util.is_package(name):
        raise ConfigError(
            "CF401",
            f"tokenise.pipeline: spaCy pipeline {name!r} is not installed. Install it into this "
            f"environment (pip install the {name} wheel) or set tokenise.pipeline: {EMBEDDED}",
        )


def load_pipeline(name: str = EMBEDDED) -> Language:
    """Load the embedded default pipeline or an installed trained one (parser/NER disabled)."""
    check_pipeline_available(name)
    if name != EMBEDDED:
        return spacy.load(name, exclude=["ner"])
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def pipeline_description(nlp: Language, name: str) -> dict:
    """What produced the tokens, for the provenance record."""
    return {
        "requested": name,
        "lang": nlp.lang,
        "name": nlp.meta.get("name"),
        "version": nlp.meta.get("version"),
        "components": list(nlp.pipe_names),
        "spacy_version": spacy.__version__,
    }


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the paragraphs of ``text``: its non-blank lines, stripped.

    Walks the text line by line without splitting it (a list of every line would double a
    long document's memory).
    """
    offset, size = 0, len(text)
    while offset <= size:
        end = text.find("\n", offset)
        if end < 0:
            end = size
        line = text[offset:end]
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped[0])
            yield start, start + len(stripped)
        offset = end + 1


def stopword_set(nlp: Language, extra: Iterable[str] = ()) -> frozenset[str]:
    """The pipeline's stopwords plus ``extra``, lowercased."""
    return frozenset(word.lower() for word in nlp.Defaults.stop_words) | {w.lower() for w in extra}


#: Text fed to spaCy and turned into one token table at a time (characters): a long document is
#: tokenised chunk by chunk of whole paragraphs, so memory holds one chunk's spaCy Docs and
#: table, whatever the document's size. The tokens do not depend on it.
CHUNK_CHARACTERS = 1_000_000


def tokenise_text(
    text: str,
    doc_id: str,
    nlp: Language,
    *,
    lemma_overrides: Mapping[str, str] | None = None,
    stopwords: frozenset[str] | None = None,
    batch_size: int = 256,
) -> pd.DataFrame:
    """Tokenise ``text`` paragraph by paragraph; one row per non-whitespace token.

    The whole table of :func:`tokenise_chunks` (see there); for long documents write the chunks
    as they come instead (``corpusflow.io.write_parquet_chunks``).
    """
    chunks = list(
        tokenise_chunks(
            text,
            doc_id,
            nlp,
            lemma_overrides=lemma_overrides,
            stopwords=stopwords,
            batch_size=batch_size,
        )
    )
    return pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]


def tokenise_chunks(
    text: str,
    doc_id: str,
    nlp: Language,
    *,
    lemma_overrides: Mapping[str, str] | None = None,
    stopwords: frozenset[str] | None = None,
    batch_size: int = 256,
) -> Iterator[pd.DataFrame]:
    """The token table of ``text`` in consecutive chunks of whole paragraphs (about
    :data:`CHUNK_CHARACTERS` characters each), numbered as one table.

    ``start``/``end`` are offsets into ``text``; ``lemma`` is lowercase, taken from
    ``lemma_overrides`` (keyed by the lowercase form) when present, else from the pipeline.
    Token attributes are read with ``Doc.to_array`` and strings resolved once per distinct
    form, which keeps the stage close to the speed of bare ``nlp.pipe``. A lookup lemmatiser is
    applied to the lowercase form once per type (so "Workers" and "workers" share a lemma)
    instead of token by token inside the pipeline.
    """
    overrides = dict(lemma_overrides or {})
    stopwords = stopword_set(nlp) if stopwords is None else stopwords
    paragraph, sentence, index = 0, 0, 0
    chunk: list[tuple[int, int]] = []
    size, yielded = 0, False
    for span in paragraph_spans(text):
        chunk.append(span)
        size += span[1] - span[0]
        if size >= CHUNK_CHARACTERS:
            frame = _token_frame(
                text,
                doc_id,
                nlp,
                chunk,
                overrides,
                stopwords,
                batch_size,
                paragraph,
                sentence,
                index,
            )
            yield frame
            yielded = True
            paragraph, sentence, index = _next_numbers(frame, paragraph + len(chunk), sentence)
            chunk, size = [], 0
    if chunk or not yielded:
        yield _token_frame(
            text, doc_id, nlp, chunk, overrides, stopwords, batch_size, paragraph, sentence, index
        )


def _next_numbers(frame: pd.DataFrame, paragraph: int, sentence: int) -> tuple[int, int, int]:
    """Paragraph, sentence and token numbers where the chunk after ``frame`` starts."""
    if frame.empty:
        return paragraph, sentence, 0
    return paragraph, int(frame["sentence"].iloc[-1]) + 1, int(frame["index"].iloc[-1]) + 1


def _token_frame(
    text: str,
    doc_id: str,
    nlp: Language,
    spans: list[tuple[int, int]],
    overrides: Mapping[str, str],
    stopwords: frozenset[str],
    batch_size: int,
    first_paragraph: int,
    first_sentence: int,
    first_index: int,
) -> pd.DataFrame:
    """The token table of the paragraphs ``spans`` of ``text``, numbered from the given
    paragraph, sentence and token numbers."""
    blocks = []
    paragraph_texts = (text[start:end] for start, end in spans)
    lookup = _lemma_lookup_table(nlp)
    disabled = ["lemmatizer"] if lookup is not None else []
    with nlp.select_pipes(disable=disabled):
        docs = nlp.pipe(paragraph_texts, batch_size=batch_size)
        for paragraph, (doc, (offset, _)) in enumerate(zip(docs, spans, strict=True)):
            block = (
                doc.to_array(_ATTRIBUTES)
                .astype(np.uint64, copy=False)
                .reshape(-1, len(_ATTRIBUTES))
            )
            paragraph_column = np.full(
                (len(block), 1), first_paragraph + paragraph, dtype=np.uint64
            )
            offset_column = np.full((len(block), 1), offset, dtype=np.uint64)
            blocks.append(np.hstack([block, paragraph_column, offset_column]))
    table = np.vstack(blocks) if blocks else np.zeros((0, len(_ATTRIBUTES) + 2), dtype=np.uint64)
    idx, length, is_alpha, is_punct, is_space, sent_start, lower_id, lemma_id, paragraph, offset = (
        table.T
    )
    # A sentence starts at the first token of every paragraph and wherever the pipeline says so.
    first_in_paragraph = (
        np.r_[True, paragraph[1:] != paragraph[:-1]] if len(table) else np.zeros(0, bool)
    )
    sentence = (
        first_sentence + np.cumsum(first_in_paragraph | (sent_start.astype(np.int64) == 1)) - 1
    )
    keep = is_space == 0
    start = (offset + idx)[keep].astype(np.int64)
    end = start + length[keep].astype(np.int64)
    # Strings and flags are resolved once per distinct form, then spread back to the tokens.
    strings = nlp.vocab.strings
    lower_types, lower_inverse = np.unique(lower_id[keep], return_inverse=True)
    lower_strings = [strings[int(h)] for h in lower_types]
    lower = np.array(lower_strings, dtype=object)[lower_inverse]
    is_stop = np.array([form in stopwords for form in lower_strings], dtype=bool)[lower_inverse]
    if lookup is not None:
        lemma_strings = [lookup.get(form, form).lower() for form in lower_strings]
        lemma = np.array(lemma_strings, dtype=object)[lower_inverse]
    else:
        lemma_types, lemma_inverse = np.unique(lemma_id[keep], return_inverse=True)
        lemma = np.array([strings[int(h)].lower() for h in lemma_types], dtype=object)[
            lemma_inverse
        ]
        lemma = np.where(lemma == "", lower, lemma)
    for form_index, form in enumerate(lower_strings):
        if form in overrides:
            lemma[lower_inverse == form_index] = overrides[form]
    n_kept = int(keep.sum())
    frame = pd.DataFrame(
        {
            "doc_id": doc_id,
            "paragraph": paragraph[keep].astype(np.int32),
            "sentence": sentence[keep].astype(np.int32),
            "index": np.arange(first_index, first_index + n_kept, dtype=np.int64),
            "start": start,
            "end": end,
            "text": [text[s:e] for s, e in zip(start.tolist(), end.tolist(), strict=True)],
            "lower": lower,
            "lemma": lemma,
            "is_alpha": is_alpha[keep].astype(bool),
            "is_stop": is_stop,
            "is_punct": is_punct[keep].astype(bool),
        }
    )
    return frame[TOKEN_COLUMNS]


class TokenCounts:
    """The counts of a document's token metadata, accumulated chunk by chunk in memory that
    grows with the vocabulary, not the document."""

    def __init__(self):
        self.tokens = 0
        self.alphabetic_tokens = 0
        self.types: set[str] = set()
        self.sentences = _RunCounter()
        self.paragraphs = _RunCounter()

    def add(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Count ``frame`` (the next chunk of :func:`tokenise_chunks`) and return it."""
        self.tokens += len(frame)
        alpha = frame["is_alpha"].to_numpy()
        self.alphabetic_tokens += int(alpha.sum())
        self.types.update(frame["lower"].to_numpy()[alpha].tolist())
        self.sentences.add(frame["sentence"].to_numpy())
        self.paragraphs.add(frame["paragraph"].to_numpy())
        return frame

    def as_dict(self) -> dict:
        return {
            "tokens": self.tokens,
            "alphabetic_tokens": self.alphabetic_tokens,
            "types": len(self.types),
            "sentences": self.sentences.count,
            "paragraphs": self.paragraphs.count,
        }


class _RunCounter:
    """Distinct values of a non-decreasing sequence seen in pieces (sentence, paragraph)."""

    def __init__(self):
        self.count, self.last = 0, None

    def add(self, values: np.ndarray) -> None:
        if not len(values):
            return
        self.count += int((np.diff(values) != 0).sum()) + int(values[0] != self.last)
        self.last = values[-1]


_ATTRIBUTES = [IDX, LENGTH, IS_ALPHA, IS_PUNCT, IS_SPACE, SENT_START, LOWER, LEMMA]


def _lemma_lookup_table(nlp: Language):
    """The lookup lemmatiser's table, or None when the pipeline lemmatises by rule or model."""
    if "lemmatizer" not in nlp.pipe_names:
        return None
    lemmatizer = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", None) != "lookup":
        return None
    return lemmatizer.lookups.get_table("lemma_lookup")
