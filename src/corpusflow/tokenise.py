"""Tokenise: spaCy tokens with character offsets, paragraphs, sentences, lemmas, parts of speech
and stopwords.

The embedded default pipeline ships inside the package and works offline: a small tagger and
morphologizer trained on UD English EWT (CC BY-SA 4.0) with spaCy's rule lemmatiser, loaded from
``corpusflow/data/pipelines/`` (how it was built: its README.md there). ``"lookup"`` selects the
former default, ``spacy.blank("en")`` + the lookup table of ``spacy-lookups-data`` (no tags,
lemmas without context). A trained pipeline (e.g. ``en_core_web_sm``) is used instead when config
names it; naming one that is not installed is an error, never a silent fallback to the default.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
import spacy
from spacy.attrs import (
    IDX,
    IS_ALPHA,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    LENGTH,
    LOWER,
    MORPH,
    ORTH,
    POS,
    SENT_START,
    TAG,
)
from spacy.language import Language

from corpusflow.pipelines import (
    EMBEDDED,
    LOOKUP,
    check_pipeline_available,
    embedded_pipeline_path,
    pipeline_checksum,
)
from corpusflow.tokenise_settings import TokeniseSettings

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
    "pos",
    "tag",
    "is_alpha",
    "is_stop",
    "is_punct",
]


def load_pipeline(name: str = EMBEDDED) -> Language:
    """Load the shipped pipeline, the lookup one, or an installed trained one (NER disabled)."""
    check_pipeline_available(name)
    if name == EMBEDDED:
        return spacy.load(embedded_pipeline_path())
    if name != LOOKUP:
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
        "sha256": pipeline_checksum(name),
        "components": list(nlp.pipe_names),
        "spacy_version": spacy.__version__,
    }


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the paragraphs of ``text``: its non-blank lines, stripped."""
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped[0])
            yield start, start + len(stripped)
        offset += len(line) + 1


def stopword_set(nlp: Language, extra: Iterable[str] = ()) -> frozenset[str]:
    """The pipeline's stopwords plus ``extra``, lowercased."""
    return frozenset(word.lower() for word in nlp.Defaults.stop_words) | {w.lower() for w in extra}


#: Paragraphs are tokenised and written in chunks of about this many characters, so the
#: stage's memory holds one chunk's tokens, not a long document's whole table.
CHUNK_CHARACTERS = 1_000_000


def tokenise_text(
    text: str,
    doc_id: str,
    nlp: Language,
    *,
    lemma_overrides: Mapping[str, str] | None = None,
    stopwords: frozenset[str] | None = None,
    batch_size: int,
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
    batch_size: int,
) -> Iterator[pd.DataFrame]:
    """The token table of ``text`` in consecutive chunks of whole paragraphs (about
    :data:`CHUNK_CHARACTERS` characters each), numbered as one table.

    ``start``/``end`` are offsets into ``text``; ``lemma`` is lowercase, taken from
    ``lemma_overrides`` (keyed by the lowercase form) when present, else from the pipeline.
    ``pos`` (universal part of speech) and ``tag`` (the pipeline's fine-grained tag, Penn
    Treebank for English) are "" when the pipeline does not assign them.
    Token attributes are read with ``Doc.to_array`` and strings resolved once per distinct
    form, which keeps the stage close to the speed of bare ``nlp.pipe``. A lookup lemmatiser is
    applied to the lowercase form once per type (so "Workers" and "workers" share a lemma)
    instead of token by token inside the pipeline; a rule lemmatiser (the last component) once
    per distinct (form, part of speech, morphology), which is what its result depends on, so
    the lemmas are those of the bare pipeline.
    """
    document = _Document(
        text=text,
        doc_id=doc_id,
        nlp=nlp,
        overrides=dict(lemma_overrides or {}),
        stopwords=stopword_set(nlp) if stopwords is None else stopwords,
        batch_size=batch_size,
    )
    paragraph, sentence, index = 0, 0, 0
    chunk: list[tuple[int, int]] = []
    size, yielded = 0, False
    for span in paragraph_spans(text):
        chunk.append(span)
        size += span[1] - span[0]
        if size >= CHUNK_CHARACTERS:
            frame = _token_frame(document, chunk, (paragraph, sentence, index))
            yield frame
            yielded = True
            paragraph, sentence, index = _next_numbers(frame, paragraph + len(chunk), sentence)
            chunk, size = [], 0
    if chunk or not yielded:
        yield _token_frame(document, chunk, (paragraph, sentence, index))


def _next_numbers(frame: pd.DataFrame, paragraph: int, sentence: int) -> tuple[int, int, int]:
    """Paragraph, sentence and token numbers where the chunk after ``frame`` starts."""
    if frame.empty:
        return paragraph, sentence, 0
    return paragraph, int(frame["sentence"].iloc[-1]) + 1, int(frame["index"].iloc[-1]) + 1


@dataclass(frozen=True, eq=False)
class _Document:
    """What every chunk of one document is tokenised with."""

    text: str
    doc_id: str
    nlp: Language
    overrides: Mapping[str, str]
    stopwords: frozenset[str]
    batch_size: int


class _Forms(NamedTuple):
    """The distinct lowercase forms of a chunk's tokens, and each token's form (its index
    into ``strings``, and the string)."""

    strings: list[str]
    inverse: np.ndarray
    lower: np.ndarray


def _forms(strings, lower_ids: np.ndarray) -> _Forms:
    types, inverse = np.unique(lower_ids, return_inverse=True)
    forms = [strings[int(h)] for h in types]
    return _Forms(forms, inverse, np.array(forms, dtype=object)[inverse])


def _parse(
    document: _Document, spans: list[tuple[int, int]], *, lemmatizer: bool
) -> tuple[list, np.ndarray]:
    """The pipeline's docs of the paragraphs ``spans`` (its lemmatizer off unless
    ``lemmatizer``) and their tokens as one array: the columns of ``_ATTRIBUTES``, then the
    paragraph's number in the chunk, its offset in the text and the token's position in it."""
    paragraph_texts = (document.text[start:end] for start, end in spans)
    with document.nlp.select_pipes(disable=[] if lemmatizer else ["lemmatizer"]):
        pipe = document.nlp.pipe(paragraph_texts, batch_size=document.batch_size)
        docs = [_drop_tensor(doc) for doc in pipe]
    blocks = []
    for paragraph, (doc, (offset, _)) in enumerate(zip(docs, spans, strict=True)):
        block = (
            doc.to_array(_ATTRIBUTES).astype(np.uint64, copy=False).reshape(-1, len(_ATTRIBUTES))
        )
        paragraph_column = np.full((len(block), 1), paragraph, dtype=np.uint64)
        offset_column = np.full((len(block), 1), offset, dtype=np.uint64)
        position_column = np.arange(len(block), dtype=np.uint64).reshape(-1, 1)
        blocks.append(np.hstack([block, paragraph_column, offset_column, position_column]))
    width = len(_ATTRIBUTES) + 3
    return docs, np.vstack(blocks) if blocks else np.zeros((0, width), dtype=np.uint64)


def _lemma_column(strings, lookup, lemma_ids: np.ndarray, forms: _Forms, overrides) -> np.ndarray:
    """Each token's lowercase lemma: the lookup table's for its form when there is one, else
    the pipeline's (its form where that is empty); then the study's overrides by form."""
    if lookup is not None:
        lemma_strings = [lookup.get(form, form).lower() for form in forms.strings]
        lemma = np.array(lemma_strings, dtype=object)[forms.inverse]
    else:
        lemma_types, lemma_inverse = np.unique(lemma_ids, return_inverse=True)
        lemma = np.array([strings[int(h)].lower() for h in lemma_types], dtype=object)[
            lemma_inverse
        ]
        lemma = np.where(lemma == "", forms.lower, lemma)
    for form_index, form in enumerate(forms.strings):
        if form in overrides:
            lemma[forms.inverse == form_index] = overrides[form]
    return lemma


def _token_frame(
    document: _Document, spans: list[tuple[int, int]], first: tuple[int, int, int]
) -> pd.DataFrame:
    """The token table of the paragraphs ``spans`` of the document, numbered from ``first``
    (its first paragraph, sentence and token numbers)."""
    first_paragraph, first_sentence, first_index = first
    nlp, text = document.nlp, document.text
    lookup = _lemma_lookup_table(nlp)
    rule_lemmatizer = _last_rule_lemmatizer(nlp)
    docs, table = _parse(document, spans, lemmatizer=lookup is None and rule_lemmatizer is None)
    (idx, length, is_alpha, is_punct, is_space, sent_start, lower_id, lemma_id, pos_id, tag_id,
     orth_id, morph_id, paragraph, offset, position) = table.T  # fmt: skip
    if rule_lemmatizer is not None:
        lemma_id = _rule_lemmas(rule_lemmatizer, docs, table, lemma_id, orth_id, pos_id, morph_id)
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
    forms = _forms(strings, lower_id[keep])
    frame = pd.DataFrame(
        {
            "doc_id": document.doc_id,
            "paragraph": (first_paragraph + paragraph[keep]).astype(np.int32),
            "sentence": sentence[keep].astype(np.int32),
            "index": np.arange(first_index, first_index + int(keep.sum()), dtype=np.int64),
            "start": start,
            "end": end,
            "text": [text[s:e] for s, e in zip(start.tolist(), end.tolist(), strict=True)],
            "lower": forms.lower,
            "lemma": _lemma_column(strings, lookup, lemma_id[keep], forms, document.overrides),
            "pos": _resolve(strings, pos_id[keep]),
            "tag": _resolve(strings, tag_id[keep]),
            "is_alpha": is_alpha[keep].astype(bool),
            "is_stop": np.array([f in document.stopwords for f in forms.strings], dtype=bool)[
                forms.inverse
            ],
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


_ATTRIBUTES = [
    IDX,
    LENGTH,
    IS_ALPHA,
    IS_PUNCT,
    IS_SPACE,
    SENT_START,
    LOWER,
    LEMMA,
    POS,
    TAG,
    ORTH,
    MORPH,
]
_PARAGRAPH, _POSITION = len(_ATTRIBUTES), len(_ATTRIBUTES) + 2


def _drop_tensor(doc):
    """Free the token vectors a tok2vec leaves on the doc (width x 4 bytes per token)."""
    if doc.tensor.size:
        doc.tensor = np.zeros((0,), dtype=np.float32)
    return doc


def _last_rule_lemmatizer(nlp: Language):
    """The pipeline's rule lemmatiser if it is its last component and fills only missing lemmas
    (so that running it per type after the pipeline gives the pipeline's lemmas), else None."""
    if not nlp.pipe_names or nlp.pipe_names[-1] != "lemmatizer":
        return None
    lemmatizer = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", None) != "rule" or getattr(lemmatizer, "overwrite", True):
        return None
    return lemmatizer


def _rule_lemmas(lemmatizer, docs, table, lemma_id, orth_id, pos_id, morph_id) -> np.ndarray:
    """Fill the missing lemmas with the rule lemmatiser, once per (form, POS, morphology)."""
    missing = np.flatnonzero(lemma_id == 0)
    if not len(missing):
        return lemma_id
    keys = np.stack([orth_id[missing], pos_id[missing], morph_id[missing]], axis=1)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    strings = lemmatizer.vocab.strings
    type_lemmas = np.empty(len(first), dtype=np.uint64)
    for type_index, row in enumerate(missing[first]):
        token = docs[int(table[row, _PARAGRAPH])][int(table[row, _POSITION])]
        type_lemmas[type_index] = strings.add(lemmatizer.lemmatize(token)[0])
    filled = lemma_id.copy()
    filled[missing] = type_lemmas[inverse.reshape(-1)]
    return filled


def _resolve(strings, ids: np.ndarray) -> np.ndarray:
    """The strings of symbol/string ids, looked up once per distinct id (0 -> "")."""
    types, inverse = np.unique(ids, return_inverse=True)
    return np.array([strings[int(h)] if h else "" for h in types], dtype=object)[inverse]


def _lemma_lookup_table(nlp: Language):
    """The lookup lemmatiser's table, or None when the pipeline lemmatises by rule or model."""
    if "lemmatizer" not in nlp.pipe_names:
        return None
    lemmatizer = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", None) != "lookup":
        return None
    return lemmatizer.lookups.get_table("lemma_lookup")


def run(
    text: str, doc_id: str, settings: TokeniseSettings, nlp: Language
) -> Iterator[pd.DataFrame]:
    """The stage's work on one document (the stage contract): its token table in chunks
    (:func:`tokenise_chunks`), with ``nlp`` loaded once per job from ``settings.pipeline``."""
    return tokenise_chunks(
        text,
        doc_id,
        nlp,
        lemma_overrides=settings.lemma_overrides,
        stopwords=stopword_set(nlp, settings.extra_stopwords),
        batch_size=settings.batch_size,
    )
