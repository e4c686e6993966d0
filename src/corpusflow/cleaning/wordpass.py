"""The word pass of one OCR document: witness collation, then the noisy channel for the
tokens no witness settles, then the lexicon rules (corpus confusions, case, real words); and
the review rows' evidence, context and priority."""

from __future__ import annotations

from collections import Counter

from corpusflow.cleaning.amounts import amount_corrections
from corpusflow.cleaning.channel import Decoder
from corpusflow.cleaning.decoding import channel_corrections
from corpusflow.cleaning.edits import Edit
from corpusflow.cleaning.lexicon import Lexicon, english_index, normalise_token, tokens
from corpusflow.cleaning.review import (
    EVIDENCE_COLUMNS,
    GAIN_COLUMNS,
    READS,
    context,
    evidence,
    gains,
    likelihood,
    merge_spans,
    priority,
)
from corpusflow.cleaning.settings import CleaningSettings
from corpusflow.cleaning.structure import NO_LINE_ENDS, LineEnds
from corpusflow.cleaning.witness import witness_corrections
from corpusflow.cleaning.words import in_older_spelling, lexicon_corrections, text_tokens


def _bigrams(texts: list[str]) -> Counter:
    counts = Counter()
    for text in texts:
        toks = text_tokens(text)
        counts.update((t.key, t.following) for t in toks if t.following)
    return counts


def word_corrections(
    text: str,
    witnesses: dict[str, str],
    settings: CleaningSettings,
    derived: frozenset,
    noise: float,
    line_ends: LineEnds = NO_LINE_ENDS,
) -> tuple[list[Edit], list[dict]]:
    """Witness collation, then the channel and the lexicon rules for what no witness settles
    (edits on ``text``); ``noise``: the document's noise share (:mod:`.noise`); ``line_ends``:
    the spaces joining wrapped lines and the hyphens kept (:func:`.structure.joined_line_ends`)."""
    toks = text_tokens(text, frozenset(settings.name_titles))
    corpus_words = Counter(t.key for t in toks)
    witness_tokens = {name: tokens(body) for name, body in witnesses.items()}
    for body in witness_tokens.values():
        corpus_words.update(normalise_token(form) for _, _, form in body)
    copies = sorted(set(witnesses) & derived)
    lexicon = Lexicon(
        corpus_words,
        _bigrams([text, *witnesses.values()]),
        min_zipf=settings.lexicon_min_zipf,
        copied_words=Counter(
            normalise_token(form) for name in copies for _, _, form in witness_tokens[name]
        ),
        copied_bigrams=_bigrams([witnesses[name] for name in copies]),
    )
    proper_case = Counter((t.key, t.text[:1].isupper()) for t in toks if not t.sentence_start)
    found, covered = witness_corrections(
        text, toks, witness_tokens, lexicon, settings, proper_case, derived
    )
    index = _index(corpus_words, lexicon, settings)
    cautious = in_older_spelling(toks, lexicon, index, settings)
    amounts, amount_review = amount_corrections(
        text, settings, cautious=cautious, settled=[(toks[i].start, toks[i].end) for i in covered]
    )
    covered |= _inside(toks, amounts)
    witnessed = frozenset(
        (normalise_token(text[edit.start : edit.end]), normalise_token(edit.after))
        for edit in found.edits
    )
    channel_edits, channel_review = channel_corrections(
        text,
        toks,
        covered,
        Decoder(settings, lexicon, index, cautious=cautious, noise=noise, line_ends=line_ends),
        protected=settings.protected_terms,
    )
    changed = _inside(toks, channel_edits)
    lexical = lexicon_corrections(
        text, toks, covered | changed, lexicon, index, settings, proper_case, witnessed
    )
    rows = found.review + amount_review + channel_review + lexical.review
    review = _with_evidence(text, rows, toks, lexicon, witnessed)
    return found.edits + amounts + channel_edits + lexical.edits, review


def _index(corpus_words: Counter, lexicon: Lexicon, settings: CleaningSettings):
    """The English words' index (built once per process) with the document's own words."""
    own = [w for w, n in corpus_words.items() if n >= lexicon.min_corpus_count]
    return english_index(settings.candidate_vocabulary_size).extended(w for w in own if w.isalpha())


def _inside(toks, edits: list[Edit]) -> set[int]:
    """Indices of the tokens that start inside one of ``edits``."""
    spans = [(edit.start, edit.end) for edit in edits]
    return {i for i, t in enumerate(toks) if any(a <= t.start < b for a, b in spans)}


def _with_evidence(
    text: str, rows: list[dict], toks, lexicon: Lexicon, witnessed: frozenset
) -> list[dict]:
    """Evidence columns, context words and priority of each suspect; one row per span.
    ``witnessed``: the (token, reading) confusions the witnesses corrected in this document."""
    by_start = {t.start: t for t in toks}
    for row in rows:
        token = by_start.get(row["start"])
        pair = (normalise_token(row["token"]), normalise_token(row["candidate"]))
        row["witnessed_confusion"] = pair in witnessed
        if token is not None and token.end == row["end"] and row["candidate"]:
            row.update(
                evidence(lexicon, token.previous, token.text, row["candidate"], token.following)
            )
            row.update(gains(token.previous, token.text, row["candidate"], token.following))
        else:
            row.update(dict.fromkeys(EVIDENCE_COLUMNS, -1))
            row.update(dict.fromkeys(GAIN_COLUMNS))
        row["left"], row["right"] = context(text, row["start"], row["end"])
        row["witnesses"] = "; ".join(READS.findall(row["evidence"]))
        row["candidate_others"] = ""
        row.pop("context", None)
        row["rule_likelihood"] = row["likelihood"]
        row["score"] = priority(row)
        row["likelihood"] = likelihood(row["score"])
    return merge_spans(rows)
