"""The cleaning stage on one document, and its per-document and summary tables.

:func:`clean_document` runs the stage on one document and returns the cleaned text together
with the full edit log (every change as a replacement of a span of the ingested text), so that
``apply_edits(ingested, result.edits) == result.text`` holds by construction and is tested.

Output layout of the cleaned text: one paragraph per line (headings are paragraphs of their
own), paragraphs separated by exactly one blank line, no line-internal runs of spaces, a final
``\\n``. Quotes and dashes are kept as they are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from corpusflow import io
from corpusflow.cleaning.channel import Decoder, channel_corrections
from corpusflow.cleaning.curated import Curated, curated_edits
from corpusflow.cleaning.edits import Edit, OffsetMap, apply_edits, compose, output_spans
from corpusflow.cleaning.lexicon import (
    Lexicon,
    english_index,
    normalise_token,
    tokens,
    zipf_frequency,
)
from corpusflow.cleaning.noise import NoiseEstimate, estimate_noise
from corpusflow.cleaning.review import (
    EVIDENCE_COLUMNS,
    GAIN_COLUMNS,
    READS,
    Rejected,
    context,
    drop_rejected,
    evidence,
    gains,
    likelihood,
    merge_spans,
    priority,
)
from corpusflow.cleaning.settings import CleaningSettings
from corpusflow.cleaning.structure import (
    HyphenEvidence,
    detect_hard_wrapped,
    hyphen_edits,
    missing_space_edits,
    structure_edits,
)
from corpusflow.cleaning.witness import witness_corrections
from corpusflow.cleaning.words import lexicon_corrections, older_spelling_share, text_tokens
from corpusflow.settings import from_mapping

if TYPE_CHECKING:
    import pandas as pd

COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
WORD_RULES = ("witness", "channel", "corpus", "case", "realword", "curated")

CORRECTION_COLUMNS = [
    "doc_id",
    "ingest_start",
    "ingest_end",
    "clean_start",
    "clean_end",
    "before",
    "after",
    "rule",
    "evidence",
]
REVIEW_COLUMNS = [
    "doc_id",
    "likelihood",
    "score",
    "kind",
    "left",
    "token",
    "candidate",
    "right",
    "candidate_others",
    "witnesses",
    *EVIDENCE_COLUMNS,
    *GAIN_COLUMNS,
    "ingest_start",
    "ingest_end",
    "evidence",
]


@dataclass
class CleanResult:
    """The cleaned text, the edits that produce it from the ingested text, the review queue,
    and ``automatic``: the text before the curated corrections (what their rows match)."""

    text: str
    edits: list[Edit]
    review: list[dict] = field(default_factory=list)
    curated_problems: list[dict] = field(default_factory=list)
    hard_wrapped: bool = False
    wrapping_evidence: str = ""
    noise: NoiseEstimate | None = None
    looked_clean: bool = False
    noise_evidence: str = ""
    automatic: str = ""


def wrapped_flag(value: str) -> bool | None:
    """The manifest's ``wrapped`` value (auto, true, false) as ``clean_document``'s
    ``hard_wrapped`` argument (None: detect from the text)."""
    return {"auto": None, "true": True, "false": False}[value]


def _compound_counts(text: str) -> Counter:
    return Counter(match.group().lower() for match in COMPOUND.finditer(text))


def _bigrams(texts: list[str]) -> Counter:
    counts = Counter()
    for text in texts:
        toks = text_tokens(text)
        counts.update((t.key, t.following) for t in toks if t.following)
    return counts


def clean_document(
    text: str,
    *,
    doc_id: str,
    hard_wrapped: bool | None,
    correct_words: bool,
    ocr: bool | None = None,
    witnesses: dict[str, str] | None = None,
    derived_witnesses: list[str] | None = None,
    rejected: list[Rejected] | None = None,
    curated: list[Curated] | None = None,
    settings: CleaningSettings,
) -> CleanResult:
    """Clean one ingested document.

    Parameters
    ----------
    text : str
        The ingested text (``results/ingest/{doc_id}.txt``).
    doc_id : str
        Its id (selects the curated rows that apply).
    hard_wrapped : bool or None
        Join hard-wrapped lines into paragraphs; otherwise every line is a paragraph. None
        detects it from the text (:func:`~corpusflow.cleaning.structure.detect_hard_wrapped`;
        manifest column ``wrapped: auto``).
    correct_words : bool
        OCR text (manifest column ``ocr``): run the word-level correctors (witness collation
        and lexicon), remove page furniture and join words hyphenated at line ends on evidence.
        False for clean text (witness editions, the commentary, a wrapped e-text), which then
        only gets layout and whitespace edits and keeps every word as it is. A document
        declared OCR without witnesses whose noise estimate (:mod:`.noise`) is below
        ``settings.clean_text_max_noise`` is treated as clean text (``result.looked_clean``).
    ocr : bool, optional
        The layout part of ``correct_words`` alone (None: the same as ``correct_words``):
        True with ``correct_words=False`` gives the OCR layout without word corrections.
    witnesses : dict, optional
        doc_id -> ingested text of each witness edition.
    derived_witnesses : list, optional
        The witnesses made from this document (manifest column ``derived_from``): their
        agreement with the OCR reading casts no vote.
    rejected : list of Rejected, optional
        Suspects a reader rejected (review decisions table): left out of the review queue.
        (Accepted decisions are passed in ``curated``.)
    curated : list of Curated, optional
        Reviewed corrections (:func:`~corpusflow.cleaning.curated.read_corrections`); None or
        empty disables them.
    settings : CleaningSettings
        The config section ``cleaning`` (:func:`settings_from_config`): layout, witness,
        noise, channel and lexicon thresholds.
    """
    witnesses = witnesses or {}
    noise, looked_clean, noise_evidence = None, False, ""
    if correct_words:
        noise, looked_clean, noise_evidence = _noise_gate(text, bool(witnesses), settings)
        if looked_clean:  # a clean text declared OCR: layout only, every word kept
            correct_words, ocr = False, False
    settings = replace(
        settings, protected_terms=frozenset(term.lower() for term in settings.protected_terms)
    )
    decide = HyphenEvidence(
        _compound_counts("\n".join(witnesses.values())),
        _compound_counts(text),
        zipf_frequency,
        min_zipf=settings.hyphen_min_zipf,
    )
    wrap_evidence = "declared in the manifest"
    if hard_wrapped is None:
        hard_wrapped, wrap_evidence = detect_hard_wrapped(text)
    edits = structure_edits(
        text,
        hard_wrapped=hard_wrapped,
        ocr=correct_words if ocr is None else ocr,
        full_ratio=settings.full_ratio,
        punct_ratio=settings.punct_ratio,
        running_head_repeats=settings.running_head_repeats,
        decide_hyphen=decide,
    )
    current = apply_edits(text, edits)
    if hard_wrapped and (correct_words if ocr is None else ocr):
        decide.corpus_counts = _compound_counts(current)  # now with line-end compounds joined
        edits = compose(edits, current, hyphen_edits(current, decide))
        current = apply_edits(text, edits)
    if correct_words:
        edits = compose(edits, current, missing_space_edits(current))
        current = apply_edits(text, edits)
    review: list[dict] = []
    if correct_words:
        derived = frozenset(derived_witnesses or ())
        word_edits, review = _word_corrections(current, witnesses, settings, derived)
        review = drop_rejected(review, current, rejected or [], doc_id)
        mapping = OffsetMap(edits)
        review = [_with_origin(row, mapping) for row in review]
        edits = compose(edits, current, word_edits)
        current = apply_edits(text, edits)
    problems: list[dict] = []
    automatic = current
    if curated:
        chosen, problems = curated_edits(current, curated, doc_id)
        edits = compose(edits, current, chosen)
        current = apply_edits(text, edits)
    return CleanResult(
        current,
        edits,
        review,
        problems,
        hard_wrapped,
        wrap_evidence,
        noise,
        looked_clean,
        noise_evidence,
        automatic,
    )


def _noise_gate(
    text: str, witnessed: bool, settings: CleaningSettings
) -> tuple[NoiseEstimate, bool, str]:
    """The noise estimate of a document declared OCR, whether it looked clean (no witnesses
    and below ``clean_text_max_noise``), and what the log says of it."""
    noise = estimate_noise(text, zipf_frequency, min_zipf=settings.noise_min_zipf)
    limit = settings.clean_text_max_noise
    looked_clean = not witnessed and noise.share < limit
    note = (
        "; word corrections skipped"
        if looked_clean
        else "; witnesses present: corrections run"
        if noise.share < limit
        else ""
    )
    return noise, looked_clean, noise.describe(limit) + note


def _word_corrections(
    text: str, witnesses: dict[str, str], settings: CleaningSettings, derived: frozenset
) -> tuple[list[Edit], list[dict]]:
    """Witness collation, then the lexicon rules for what no witness settles (edits on ``text``)."""
    toks = text_tokens(text)
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
    # The English words' index is built once per process; each document adds its own words.
    own = [w for w, n in corpus_words.items() if n >= lexicon.min_corpus_count]
    index = english_index(settings.candidate_vocabulary_size).extended(
        w for w in own if w.isalpha()
    )
    witnessed = frozenset(
        (normalise_token(text[edit.start : edit.end]), normalise_token(edit.after))
        for edit in found.edits
    )
    channel_edits, channel_review = channel_corrections(
        text,
        toks,
        covered,
        Decoder(
            settings,
            lexicon,
            index,
            cautious=older_spelling_share(toks, lexicon, index) >= settings.older_spelling_share,
        ),
        protected=settings.protected_terms,
    )
    spans = [(edit.start, edit.end) for edit in channel_edits]
    changed = {i for i, t in enumerate(toks) if any(a <= t.start < b for a, b in spans)}
    lexical = lexicon_corrections(
        text, toks, covered | changed, lexicon, index, settings, proper_case, witnessed
    )
    rows = found.review + channel_review + lexical.review
    review = _with_evidence(text, rows, toks, lexicon, witnessed)
    return found.edits + channel_edits + lexical.edits, review


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


def _with_origin(row: dict, mapping: OffsetMap) -> dict:
    """Replace a review row's offsets by its span in the ingested text."""
    start, end = row.pop("start"), row.pop("end")
    origin = {
        "ingest_start": mapping.original(start),
        "ingest_end": mapping.original(end, is_end=True),
    }
    return {**origin, **row}


def correction_rows(text: str, result: CleanResult, doc_id: str) -> list[dict]:
    """One row per edit: ingested and clean offsets, before, after, rule, evidence."""
    rows = []
    for edit, (clean_start, clean_end) in zip(
        result.edits, output_spans(result.edits), strict=True
    ):
        rows.append(
            {
                "doc_id": doc_id,
                "ingest_start": edit.start,
                "ingest_end": edit.end,
                "clean_start": clean_start,
                "clean_end": clean_end,
                "before": text[edit.start : edit.end],
                "after": edit.after,
                "rule": edit.rule,
                "evidence": edit.evidence,
            }
        )
    return rows


def settings_from_config(cleaning: Mapping) -> dict:
    """The keyword argument ``settings`` of :func:`clean_document` from the validated config
    section ``cleaning`` (every key is there)."""
    return {"settings": from_mapping(CleaningSettings, cleaning)}


def output_tables(text: str, result: CleanResult, doc_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The edit log and the review queue (sorted by score) of a cleaned document; with
    ``result.text`` they are the stage's three per-document files."""
    import pandas as pd  # not at the top: the workflow imports this package when it is parsed

    corrections = pd.DataFrame(correction_rows(text, result, doc_id), columns=CORRECTION_COLUMNS)
    rows = [{"doc_id": doc_id, **row} for row in result.review]
    for problem in result.curated_problems:
        row = problem["row"]
        rows.append(
            {
                "doc_id": doc_id,
                "likelihood": 1.0,
                "score": 100.0,
                "kind": "curated_row_not_applied",
                "left": row.left,
                "token": row.before,
                "candidate": row.after,
                "right": row.right,
                "candidate_others": "",
                "witnesses": "",
                **dict.fromkeys(EVIDENCE_COLUMNS, -1),
                **dict.fromkeys(GAIN_COLUMNS),
                "ingest_start": -1,
                "ingest_end": -1,
                "evidence": f"curated table line {row.line} {problem['problem']}",
            }
        )
    review = pd.DataFrame(rows, columns=REVIEW_COLUMNS)
    review = review.sort_values(["score", "ingest_start", "kind"], ascending=[False, True, True])
    if result.noise is not None:  # the document's note comes last, after every suspect
        note = pd.DataFrame([_noise_row(doc_id, result)], columns=REVIEW_COLUMNS)
        review = pd.concat([review, note], ignore_index=True) if len(review) else note
    return corrections, review


def _noise_row(doc_id: str, result: CleanResult) -> dict:
    """The review queue's last row for a document declared OCR: its noise estimate
    (:meth:`NoiseEstimate.describe` in ``evidence``) and whether it looked clean (``kind``)."""
    kind = "ocr_estimate_looked_clean" if result.looked_clean else "ocr_estimate"
    return {
        "doc_id": doc_id,
        "likelihood": 0.0,
        "score": 0.0,
        "kind": kind,
        **dict.fromkeys(("left", "token", "candidate", "right", "candidate_others"), ""),
        "witnesses": "",
        **dict.fromkeys(EVIDENCE_COLUMNS, -1),
        **dict.fromkeys(GAIN_COLUMNS),
        "ingest_start": -1,
        "ingest_end": -1,
        "evidence": result.noise_evidence,
    }


def read_corrections_log(path: str | Path) -> pd.DataFrame:
    """Read a ``{doc_id}.corrections.tsv`` edit log (strings kept verbatim)."""
    return io.read_tsv(path, dtype={"before": str, "after": str, "evidence": str})


def summarise_corrections(
    paths: list[str | Path], review_paths: list[str | Path] = ()
) -> pd.DataFrame:
    """Changes per document per rule, from the edit logs (columns doc_id, rule, changes), with
    each document's OCR noise estimate from its review queue (columns ocr_noise, looked_clean;
    empty for documents not declared OCR). A document without changes has one row of rule
    ``none``."""
    import pandas as pd

    frames = [read_corrections_log(path) for path in paths]
    logs = (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["doc_id", "rule"])
    )
    summary = logs.groupby(["doc_id", "rule"]).size().rename("changes").reset_index()
    notes = [_noise_note(io.read_tsv(path, dtype={"evidence": str})) for path in review_paths]
    noise = pd.DataFrame([n for n in notes if n], columns=["doc_id", "ocr_noise", "looked_clean"])
    unchanged = sorted(set(noise["doc_id"]) - set(summary["doc_id"]))
    idle = pd.DataFrame({"doc_id": unchanged, "rule": "none", "changes": 0})
    summary = pd.concat([summary, idle], ignore_index=True).merge(noise, on="doc_id", how="left")
    return summary.sort_values(["doc_id", "rule"], ignore_index=True)


def _noise_note(review: pd.DataFrame) -> dict | None:
    rows = review[review["kind"].str.startswith("ocr_estimate", na=False)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    looked_clean = row["kind"] == "ocr_estimate_looked_clean"
    share = NoiseEstimate.parse(row["evidence"]).share
    return {"doc_id": row["doc_id"], "ocr_noise": share, "looked_clean": looked_clean}
