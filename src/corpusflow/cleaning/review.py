"""The review queue: one row per suspect span, its evidence, a ranking, and reviewed decisions.

A reader works through ``results/clean/{doc_id}.review.tsv`` from the top. Each row is one
suspect span of the text (all candidates and witness readings for it merged), with the evidence
to decide it at a glance: corpus and English bigram counts of the OCR reading and of the
candidate with the neighbouring words, the witnesses' readings and the OCR-confusion distance.
``left``/``token``/``candidate``/``right`` are ready to be copied into the review decisions
table (``cleaning.review_decisions``): a row with decision ``accept`` is applied like a curated
correction (bound to its context), a row with ``reject`` removes the suspect from later queues.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from corpusflow import io
from corpusflow.cleaning.curated import Curated, _pattern
from corpusflow.cleaning.lexicon import Lexicon, normalise_token, ocr_distance
from corpusflow.cleaning.realword import english_gains
from corpusflow.errors import InputError

DECISION_COLUMNS = ["doc_id", "left", "before", "after", "right", "decision", "note"]
DECISIONS = ("accept", "reject")
#: Evidence columns of a queue row (numbers; -1 where a column does not apply).
EVIDENCE_COLUMNS = [
    "ocr_distance",
    "token_corpus",
    "candidate_corpus",
    "token_bigrams_corpus",
    "candidate_bigrams_corpus",
    "token_bigrams_english",
    "candidate_bigrams_english",
]
#: English two-sided evidence of a queue row (log10; empty where a row has no single-token
#: candidate): how much likelier the candidate is than the token after the left neighbour
#: and before the right neighbour (:func:`corpusflow.cleaning.realword.english_gains`).
GAIN_COLUMNS = ["english_gain_left", "english_gain_right"]
READS = re.compile(r"""[\w-]+ reads (?:'[^']*'|"[^"]*")""")
CONTEXT_WORDS = 3


@dataclass(frozen=True)
class Rejected:
    """A suspect a reader rejected: ``before`` between ``left`` and ``right`` in ``doc_id``."""

    doc_id: str
    left: str
    before: str
    right: str
    line: int


def evidence(lexicon: Lexicon, previous: str | None, token: str, candidate: str, following):
    """The evidence columns for ``token`` read as ``candidate`` between two neighbours.

    Corpus counts are of the document and its witnesses (the token's own occurrence
    excluded from its bigram count); English counts are symspellpy's bigram list. Bigram
    columns are the sum over the left and right neighbour.
    """
    key, cand = normalise_token(token), normalise_token(candidate)
    pairs = lambda word: [  # noqa: E731
        pair for pair in ((previous, word), (word, following)) if None not in pair
    ]
    return {
        "ocr_distance": round(ocr_distance(key, cand), 2),
        "token_corpus": lexicon.corpus_words[key],
        "candidate_corpus": lexicon.corpus_words[cand],
        "token_bigrams_corpus": sum(max(0, lexicon.corpus_bigrams[p] - 1) for p in pairs(key)),
        "candidate_bigrams_corpus": sum(lexicon.corpus_bigrams[p] for p in pairs(cand)),
        "token_bigrams_english": sum(lexicon.bigrams.get(p, 0) for p in pairs(key)),
        "candidate_bigrams_english": sum(lexicon.bigrams.get(p, 0) for p in pairs(cand)),
    }


def gains(previous: str | None, token: str, candidate: str, following: str | None) -> dict:
    """The :data:`GAIN_COLUMNS` of a suspect (None on a side without a neighbour)."""
    key, cand = normalise_token(token), normalise_token(candidate)
    left, right = english_gains(previous, cand, key, following)
    return {
        "english_gain_left": None if previous is None else round(left, 2),
        "english_gain_right": None if following is None else round(right, 2),
    }


#: Weights of :func:`priority`, chosen on the ICDAR 2017 sample's review queue (not on this
#: project's gold list): log10 units per unit of OCR-weighted distance, per log10 of the
#: corpus bigram ratio, per log10 of the token's corpus count; and the credit of a witness
#: reading (the cost of one OCR confusion, fixed a priori: ICDAR has no witnesses).
DISTANCE_WEIGHT = 4.0
CORPUS_WEIGHT = 1.0
RARITY_WEIGHT = 1.0
WITNESS_CREDIT = 2.0
#: OCR-weighted distance charged for a confusion a witness corrected in the same document.
WITNESSED_DISTANCE = 0.5


def priority(row: dict) -> float:
    """Rank score of a suspect in the queue (higher first): log10 odds that it is an error.

    score = English gain left + English gain right (:data:`GAIN_COLUMNS`: how much likelier
    the candidate is than the token beside each neighbour) - ``DISTANCE_WEIGHT`` x the
    OCR-weighted distance (``WITNESSED_DISTANCE`` for a confusion a witness corrected in this
    document, ``row["witnessed_confusion"]``) + ``CORPUS_WEIGHT`` x log10 of (1 + the
    candidate's corpus bigrams with the neighbours) / (1 + the token's) - ``RARITY_WEIGHT`` x
    log10(1 + the token's corpus count) + ``WITNESS_CREDIT`` if a witness reads differently.
    Rows without a one-word candidate (a witness reading many words differently) have no such
    evidence and come after all others (score -100 + the rule's own likelihood). A curated
    row that did not apply comes first (100).
    """
    if row["kind"] == "curated_row_not_applied":
        return 100.0
    left, right = row.get("english_gain_left"), row.get("english_gain_right")
    if left is None and right is None:
        return round(-100.0 + row["rule_likelihood"], 3)
    distance = WITNESSED_DISTANCE if row.get("witnessed_confusion") else row["ocr_distance"]
    score = (left or 0.0) + (right or 0.0) - DISTANCE_WEIGHT * max(distance, 0)
    support = (1 + max(row["candidate_bigrams_corpus"], 0)) / (
        1 + max(row["token_bigrams_corpus"], 0)
    )
    score += CORPUS_WEIGHT * math.log10(support)
    score -= RARITY_WEIGHT * math.log10(1 + max(row["token_corpus"], 0))
    score += WITNESS_CREDIT * bool(row["witnesses"])
    return round(max(-99.0, min(99.0, score)), 3)


def likelihood(score: float) -> float:
    """The queue's ``likelihood`` column: the score as a probability, 1 / (1 + 10**-score)."""
    return round(1 / (1 + 10 ** -min(max(score, -30.0), 30.0)), 3)


def context(text: str, start: int, end: int, words: int = CONTEXT_WORDS) -> tuple[str, str]:
    """Up to ``words`` words left and right of a span, inside its paragraph."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    left = " ".join(text[line_start:start].split()[-words:])
    right = " ".join(text[end:line_end].split()[:words])
    return left, right


def merge_spans(rows: list[dict]) -> list[dict]:
    """One row per suspect span: rows with the same offsets are merged (highest score first;
    other candidates and witness readings listed)."""
    by_span: dict[tuple, list[dict]] = {}
    for row in rows:
        by_span.setdefault((row["start"], row["end"]), []).append(row)
    merged = []
    for group in by_span.values():
        group.sort(key=lambda r: (-r["score"], r["kind"], r["candidate"]))
        first = dict(group[0])
        others = sorted({r["candidate"] for r in group[1:]} - {first["candidate"]})
        if others:
            first["candidate_others"] = " | ".join(others)
        readings = sorted({w for r in group for w in r["witnesses"].split("; ") if w})
        first["witnesses"] = "; ".join(readings)
        merged.append(first)
    return merged


def read_review_decisions(path: str | Path) -> tuple[list[Curated], list[Rejected]]:
    """Read the review decisions table: accepted rows (as curated corrections) and rejected
    suspects. Raises ``InputError`` (CF303) naming the line of a malformed row."""
    path = Path(path)
    if not path.is_file():
        raise InputError("CF303", f"{path}: review decisions table not found")
    rows = io.read_tsv_rows(path, skip_comments=True, quoted=False)
    header = rows[0][1] if rows else None
    if header != DECISION_COLUMNS:
        expected = " <tab> ".join(DECISION_COLUMNS)
        raise InputError("CF303", f"{path}: the header must be {expected}, found {header!r}")
    accepted, rejected = [], []
    for number, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(DECISION_COLUMNS):
            raise InputError(
                "CF303",
                f"{path}:{number}: expected {len(DECISION_COLUMNS)} tab-separated fields "
                f"({', '.join(DECISION_COLUMNS)}), found {len(row)}",
            )
        doc_id, left, before, after, right, decision, note = row
        if decision not in DECISIONS:
            raise InputError(
                "CF303",
                f"{path}:{number}: decision {decision!r} must be accept or reject",
            )
        if not doc_id or not before:
            raise InputError("CF303", f"{path}:{number}: doc_id and before are required")
        if decision == "accept":
            if after == before or not after:
                raise InputError(
                    "CF303",
                    f"{path}:{number}: an accepted row needs an after that differs from before",
                )
            note = f"review decision ({path.name} line {number}): {note}"
            accepted.append(Curated(doc_id, left, before, after, right, note, number))
        else:
            rejected.append(Rejected(doc_id, left, before, right, number))
    return accepted, rejected


def drop_rejected(rows: list[dict], text: str, rejected: list[Rejected], doc_id: str):
    """The rows whose span is not a suspect a reader rejected (matched in its context)."""
    spans = set()
    for decision in rejected:
        if decision.doc_id != doc_id:
            continue
        row = Curated(doc_id, decision.left, decision.before, "", decision.right, "", 0)
        spans |= {match.span(1) for match in _pattern(row).finditer(text)}
    return [row for row in rows if (row["start"], row["end"]) not in spans]
