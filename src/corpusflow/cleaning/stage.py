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
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from corpusflow import io
from corpusflow.cleaning.curated import Curated, curated_edits
from corpusflow.cleaning.edits import Edit, OffsetMap, apply_edits, compose, output_spans
from corpusflow.cleaning.lexicon import zipf_frequency
from corpusflow.cleaning.noise import NoiseEstimate, estimate_noise
from corpusflow.cleaning.review import (
    EVIDENCE_COLUMNS,
    GAIN_COLUMNS,
    Rejected,
    drop_rejected,
)
from corpusflow.cleaning.settings import CleaningSettings
from corpusflow.cleaning.structure import (
    HyphenEvidence,
    detect_hard_wrapped,
    hyphen_edits,
    joined_line_ends,
    missing_space_edits,
    structure_edits,
)
from corpusflow.cleaning.wordpass import word_corrections
from corpusflow.settings import from_mapping

if TYPE_CHECKING:
    import pandas as pd

COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
WORD_RULES = ("witness", "amount", "channel", "corpus", "case", "realword", "curated")

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


@dataclass(frozen=True)
class Witnesses:
    """A document's witness editions: ``texts`` (doc_id -> ingested text), and ``derived``,
    those made from this document (manifest column ``derived_from``): their agreement with the
    OCR reading casts no vote."""

    texts: Mapping[str, str] = field(default_factory=dict)
    derived: Collection[str] = frozenset()


@dataclass(frozen=True)
class Decisions:
    """What readers decided: ``curated`` rows (the curated table,
    :func:`~corpusflow.cleaning.curated.read_corrections`, and the accepted review decisions)
    are applied last; ``rejected`` suspects (review decisions) leave the review queue."""

    curated: Sequence[Curated] = ()
    rejected: Sequence[Rejected] = ()


def clean_document(
    text: str,
    *,
    doc_id: str,
    hard_wrapped: bool | None,
    correct_words: bool,
    ocr: bool | None = None,
    witnesses: Witnesses | None = None,
    decisions: Decisions | None = None,
    settings: CleaningSettings,
) -> CleanResult:
    """Clean one ingested document: layout, then (``correct_words``) the word pass, then
    the curated rows.

    ``text`` is the ingested text (``results/ingest/{doc_id}.txt``); ``doc_id`` selects the
    curated rows and review decisions that apply. ``hard_wrapped``: join hard-wrapped lines
    into paragraphs, else every line is a paragraph; None detects it from the text
    (:func:`~corpusflow.cleaning.structure.detect_hard_wrapped`, manifest ``wrapped: auto``).
    ``correct_words`` (manifest column ``ocr``): run the word correctors, remove page
    furniture and join words hyphenated at line ends on evidence; clean text (witness
    editions, the commentary, an e-text) gets only layout and whitespace edits. A document
    declared OCR without witnesses whose noise estimate (:mod:`.noise`) is below
    ``settings.clean_text_max_noise`` is treated as clean text (``result.looked_clean``).
    ``ocr``: the layout part of ``correct_words`` alone (None: the same), so ``ocr=True,
    correct_words=False`` gives the OCR layout without word corrections. ``settings``: the
    config section ``cleaning`` (:func:`settings_from_config`).
    """
    witnesses, decisions = witnesses or Witnesses(), decisions or Decisions()
    noise, looked_clean, noise_evidence = None, False, ""
    if correct_words:
        noise, looked_clean, noise_evidence = _noise_gate(text, bool(witnesses.texts), settings)
        if looked_clean:  # a clean text declared OCR: layout only, every word kept
            correct_words, ocr = False, False
    settings = replace(
        settings, protected_terms=frozenset(term.lower() for term in settings.protected_terms)
    )
    wrap_evidence = "declared in the manifest"
    if hard_wrapped is None:
        hard_wrapped, wrap_evidence = detect_hard_wrapped(text)
    layout = Layout(hard_wrapped, correct_words if ocr is None else ocr, correct_words)
    edits, spacing = _layout_edits(text, witnesses, layout, settings)
    noise_evidence += spacing
    review: list[dict] = []
    if correct_words:
        edits, review = _with_word_corrections(
            text, edits, witnesses, decisions, doc_id, settings, noise.share
        )
    automatic = current = apply_edits(text, edits)
    problems: list[dict] = []
    if decisions.curated:
        chosen, problems = curated_edits(current, list(decisions.curated), doc_id)
        edits = compose(edits, current, chosen)
        current = apply_edits(text, edits)
    return CleanResult(
        *(current, edits, review, problems, hard_wrapped, wrap_evidence),
        *(noise, looked_clean, noise_evidence, automatic),
    )


@dataclass(frozen=True)
class Layout:
    """How a document's layout is treated: ``hard_wrapped`` (lines joined into paragraphs),
    ``ocr`` (page furniture removed, hyphens joined on evidence) and ``respace`` (the spaces
    OCR lost after sentence ends put back: word-corrected documents only)."""

    hard_wrapped: bool
    ocr: bool
    respace: bool


def _layout_edits(
    text: str, witnesses: Witnesses, layout: Layout, settings: CleaningSettings
) -> tuple[list[Edit], str]:
    """Paragraphs, page furniture, hyphens (at line ends, then inside lines of hard-wrapped
    OCR, on the witnesses' and the document's usage) and lost spaces; and the log's note on
    the document's spacing of marks (:func:`spacing_convention`), if it was respaced."""
    decide = HyphenEvidence(
        _compound_counts("\n".join(witnesses.texts.values())),
        _compound_counts(text),
        zipf_frequency,
        min_zipf=settings.hyphen_min_zipf,
    )
    edits = structure_edits(
        text,
        hard_wrapped=layout.hard_wrapped,
        ocr=layout.ocr,
        full_ratio=settings.full_ratio,
        punct_ratio=settings.punct_ratio,
        running_head_repeats=settings.running_head_repeats,
        decide_hyphen=decide,
    )
    if layout.hard_wrapped and layout.ocr:
        current = apply_edits(text, edits)
        decide.corpus_counts = _compound_counts(current)  # now with line-end compounds joined
        edits = compose(edits, current, hyphen_edits(current, decide))
    if not layout.respace:
        return edits, ""
    current = apply_edits(text, edits)
    respaced, evidence = missing_space_edits(current, settings.missing_space_max_share)
    return compose(edits, current, respaced), f"; spacing: {evidence}"


def _with_word_corrections(
    text: str,
    edits: list[Edit],
    witnesses: Witnesses,
    decisions: Decisions,
    doc_id: str,
    settings: CleaningSettings,
    noise: float,
) -> tuple[list[Edit], list[dict]]:
    """``edits`` followed by the word corrections, and the review queue (without the
    suspects a reader rejected, offsets in the ingested text); ``noise``: the document's
    noise share."""
    current = apply_edits(text, edits)
    word_edits, review = word_corrections(
        current,
        dict(witnesses.texts),
        settings,
        frozenset(witnesses.derived),
        noise,
        line_ends=joined_line_ends(edits),
    )
    review = drop_rejected(review, current, list(decisions.rejected), doc_id)
    mapping = OffsetMap(edits)
    review = [_with_origin(row, mapping) for row in review]
    return compose(edits, current, word_edits), review


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
