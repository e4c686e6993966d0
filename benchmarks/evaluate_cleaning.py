"""Evaluate the cleaning stage: precision and recall against the gold list, false positives on
clean text, and wall time for the whole corpus.

Run from the repository root:  python benchmarks/evaluate_cleaning.py [--quick] [-v]
(the last lines are the ICDAR 2017 sample of benchmarks/evaluate_external_ocr.py, 5-10 min;
--quick leaves it out)

The automatic method runs first with the curated table disabled; the gold list is read only
afterwards, to score it. Word substitutions (rules witness, channel, corpus, case, realword,
curated) are scored; structural edits are not. An edit is correct when it overlaps a gold
error (offsets in the ingested text) and its replacement equals the gold correction
(case-insensitive).
"""

from __future__ import annotations

import csv
import os
import sys
import time
from pathlib import Path

import yaml
from evaluate_external_ocr import previous_priority

from corpusflow.cleaning.collate import align
from corpusflow.cleaning.curated import Curated, _pattern, read_corrections
from corpusflow.cleaning.edits import OffsetMap
from corpusflow.cleaning.lexicon import (
    english_unigrams,
    normalise_token,
    spelling_key,
    tokens,
    zipf_frequency,
)
from corpusflow.cleaning.review import read_review_decisions
from corpusflow.cleaning.stage import WORD_RULES as CLEANING_WORD_RULES
from corpusflow.cleaning.stage import (
    Decisions,
    Witnesses,
    clean_document,
    settings_from_config,
    wrapped_flag,
)
from corpusflow.config import SCHEMA_PATH, fill_defaults, load_schema
from corpusflow.ingest import BoilerplateProfile, ingest_document
from corpusflow.manifest import derived_witnesses, read_manifest

ROOT = Path(__file__).resolve().parents[1]
WORD_RULES = set(CLEANING_WORD_RULES)
OCR_DOC = "kollontai-ocr"
DERIVED: dict[str, list[str]] = {}  # doc_id -> witnesses made from it (manifest derived_from)


def load_corpus(config: dict) -> tuple:
    """The manifest and the ingested text of every document (as the ingest rule makes it)."""
    manifest = read_manifest(ROOT / config["manifest"])
    texts = {}
    for row in manifest:
        profile = config["ingest"]["boilerplate_profiles"].get(row["boilerplate"])
        texts[row["doc_id"]] = ingest_document(
            ROOT / row["path"],
            encoding=row["encoding"],
            unicode_form=config["ingest"]["unicode_form"],
            boilerplate=BoilerplateProfile(**profile) if profile else None,
        ).text
    return manifest, texts


def clean(row, texts, cleaning, curated, correct_words=None, ocr=None):
    """Run the cleaning stage on one manifest row with the config's ``cleaning`` section."""
    return clean_document(
        texts[row["doc_id"]],
        doc_id=row["doc_id"],
        hard_wrapped=wrapped_flag(row["wrapped"]),
        correct_words=row["ocr"] if correct_words is None else correct_words,
        ocr=ocr,
        witnesses=Witnesses({w: texts[w] for w in row["witnesses"]}, DERIVED[row["doc_id"]]),
        decisions=Decisions(curated or ()),
        **settings_from_config(cleaning),
    )


def gold_spans(path: Path, row, texts, cleaning) -> list[tuple]:
    """Gold errors as (start, end) in the ingested text, with their error, correction and
    class (:func:`error_class`)."""
    structure = clean(row, texts, cleaning, None, correct_words=False, ocr=True)
    mapping = OffsetMap(structure.edits)
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    spans = []
    for record in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        if record["doc_id"] != row["doc_id"]:
            continue
        pattern = _pattern(
            Curated(row["doc_id"], record["left"], record["error"], "", record["right"], "", 0)
        )
        matches = list(pattern.finditer(structure.text))
        if len(matches) != 1:
            raise SystemExit(f"gold entry {record} matches {len(matches)} times")
        start, end = matches[0].span(1)
        spans.append(
            (
                mapping.original(start),
                mapping.original(end, is_end=True),
                record["error"],
                record["correction"],
                error_class(record),
            )
        )
    return spans


CLASSES = ("witnessed", "unwitnessed real word", "non-word", "hyphenation", "case")


def error_class(record: dict) -> str:
    """The class of a gold error: case (differs only in case), hyphenation (a hyphen added or
    removed), witnessed (a witness reads the correction), non-word (the error is no word of
    English: not in symspellpy's list, wordfreq Zipf < 3), else unwitnessed real word."""
    error, correction = record["error"], record["correction"]
    if error.lower() == correction.lower():
        return "case"
    if ("-" in error) != ("-" in correction) or error.replace("-", "") == correction:
        return "hyphenation"
    if record["source"].startswith("witness"):
        return "witnessed"
    key = error.lower()
    if key not in english_unigrams() and zipf_frequency(key) < 3:
        return "non-word"
    return "unwitnessed real word"


def by_class(edits, gold) -> dict:
    """Fixed / missed / wrongly changed gold errors per class, and changes outside the list."""
    word_edits = [edit for edit in edits if edit.rule in WORD_RULES]
    table = {name: {"errors": 0, "fixed": 0, "wrong": 0} for name in CLASSES}
    for start, end, _, correction, name in gold:
        touching = [e for e in word_edits if e.start < end and e.end > start]
        table[name]["errors"] += 1
        if any(_same(e.after, correction) for e in touching):
            table[name]["fixed"] += 1
        elif touching:
            table[name]["wrong"] += 1
    outside = sum(not any(e.start < g[1] and e.end > g[0] for g in gold) for e in word_edits)
    return {"classes": table, "outside": outside}


def print_classes(name: str, result: dict) -> None:
    print(f"  {name}: per error class (fixed / missed / wrongly changed, of errors)")
    for cls, row in result["classes"].items():
        missed = row["errors"] - row["fixed"] - row["wrong"]
        print(
            f"    {cls:>22}: {row['fixed']:3d} / {missed:3d} / {row['wrong']:3d}"
            f"  of {row['errors']}"
        )
    print(f"    {'changes outside the list':>22}: {result['outside']}")


def precision_at(queue: list[dict], gold, ks=(20, 50, 100)) -> dict:
    """Share of the top k queue rows that overlap a gold error."""
    hits = [any(r["ingest_start"] < g[1] and r["ingest_end"] > g[0] for g in gold) for r in queue]
    return {k: sum(hits[:k]) / min(k, len(hits)) if hits else float("nan") for k in ks}


def score(edits, gold) -> dict:
    """Precision and recall of the word substitutions in ``edits`` against ``gold``."""
    word_edits = [edit for edit in edits if edit.rule in WORD_RULES]
    correct_edits, found = 0, set()
    for edit in word_edits:
        for index, (start, end, _, correction, _) in enumerate(gold):
            if edit.start < end and edit.end > start and _same(edit.after, correction):
                correct_edits += 1
                found.add(index)
                break
    return {
        "substitutions": len(word_edits),
        "correct": correct_edits,
        "precision": correct_edits / len(word_edits) if word_edits else float("nan"),
        "recall": len(found) / len(gold),
        "found": found,
    }


def paragraph_tokens(text: str) -> tuple[list[str], list[int]]:
    """Alignment keys of the word tokens of a cleaned text, and each token's paragraph number."""
    keys, paragraphs = [], []
    for number, paragraph in enumerate(text.split("\n\n")):
        for _, _, form in tokens(paragraph):
            keys.append(spelling_key(normalise_token(form)))
            paragraphs.append(number)
    return keys, paragraphs


def paragraph_agreement(ocr_text: str, witness_texts: list[str]) -> dict:
    """Paragraph breaks of the cleaned OCR text against witnesses with true paragraphing.

    Token pairs that are adjacent in both texts (inside aligned matching stretches) are
    compared: a break in both is a true positive, in the OCR text only a false positive, in the
    witness only a false negative.
    """
    ocr_keys, ocr_paragraphs = paragraph_tokens(ocr_text)
    counts = {"tp": 0, "fp": 0, "fn": 0, "pairs": 0}
    for witness in witness_texts:
        keys, paragraphs = paragraph_tokens(witness)
        matched = {}
        for tag, i1, i2, j1, _ in align(ocr_keys, keys):
            if tag == "equal":
                matched.update({i1 + k: j1 + k for k in range(i2 - i1)})
        for i, j in matched.items():
            if matched.get(i + 1) != j + 1:
                continue
            ocr_break = ocr_paragraphs[i] != ocr_paragraphs[i + 1]
            witness_break = paragraphs[j] != paragraphs[j + 1]
            counts["pairs"] += 1
            counts["tp"] += ocr_break and witness_break
            counts["fp"] += ocr_break and not witness_break
            counts["fn"] += witness_break and not ocr_break
    return counts


def _same(after: str, correction: str) -> bool:
    clean = lambda s: "".join(c for c in s.lower() if c.isalnum())  # noqa: E731
    return clean(after) == clean(correction)


def main() -> None:
    with open(ROOT / "config" / "config.yaml", encoding="utf-8") as handle:
        config = fill_defaults(yaml.safe_load(handle), load_schema(SCHEMA_PATH))
    cleaning = config["cleaning"]
    manifest, texts = load_corpus(config)
    rows = {row["doc_id"]: row for row in manifest}
    DERIVED.update({doc_id: derived_witnesses(manifest, doc_id) for doc_id in rows})

    # 1. The automatic method alone, on all five documents, timed; no curated table, no gold.
    started, cpu = time.perf_counter(), time.process_time()
    automatic = {doc_id: clean(row, texts, cleaning, None) for doc_id, row in rows.items()}
    wall_automatic = time.perf_counter() - started
    cpu_automatic = time.process_time() - cpu

    # 2. As configured (with the curated table), timed.
    table = cleaning["corrections_table"]
    started, cpu = time.perf_counter(), time.process_time()
    curated = read_corrections(ROOT / table) if table else []
    decisions = cleaning["review_decisions"]
    accepted, _ = read_review_decisions(ROOT / decisions) if decisions else ([], [])
    curated += accepted  # accepted review decisions are applied like curated rows
    configured = {doc_id: clean(row, texts, cleaning, curated) for doc_id, row in rows.items()}
    wall_configured = time.perf_counter() - started
    cpu_configured = time.process_time() - cpu

    # 3. Only now read the gold list and score.
    gold = gold_spans(ROOT / "benchmarks" / "cleaning_gold.tsv", rows[OCR_DOC], texts, cleaning)
    alone = score(automatic[OCR_DOC].edits, gold)
    both = score(configured[OCR_DOC].edits, gold)
    commentary = configured["olivier-commentary"].edits
    forced = clean(rows["olivier-commentary"], texts, cleaning, None, correct_words=True).edits

    print(f"gold errors in {OCR_DOC}: {len(gold)}")
    for name, result in (("automatic only", alone), ("with curated table", both)):
        print(
            f"{name:>20}: precision {result['precision']:.3f} "
            f"({result['correct']}/{result['substitutions']} substitutions correct), "
            f"recall {result['recall']:.3f} ({len(result['found'])}/{len(gold)})"
        )
    print(
        "olivier-commentary: word substitutions made by the stage = "
        f"{sum(e.rule in WORD_RULES for e in commentary)}; if the word correctors were forced on "
        f"(as for OCR text, no witnesses) = {sum(e.rule in WORD_RULES for e in forced)}"
    )
    for edit in (e for e in forced if e.rule in WORD_RULES):
        before = texts["olivier-commentary"][edit.start : edit.end]
        print(f"    forced on commentary: {before!r} -> {edit.after!r} ({edit.rule})")
    for name in ("automatic only", "with curated table"):
        edits = (automatic if name == "automatic only" else configured)[OCR_DOC].edits
        print_classes(name, by_class(edits, gold))
    queue = sorted(automatic[OCR_DOC].review, key=lambda row: (-row["score"], row["ingest_start"]))
    at = precision_at(queue, gold)
    print(
        f"review queue of {OCR_DOC}: one row per suspect span, precision at 20/50/100 against "
        f"the gold list: {at[20]:.2f} / {at[50]:.2f} / {at[100]:.2f} (queue of the automatic "
        "run, no curated table: a row is a hit when it overlaps a gold error; the errors the "
        "automatic method fixed are not in it)"
    )
    previous = sorted(
        automatic[OCR_DOC].review, key=lambda row: (-previous_priority(row), row["ingest_start"])
    )
    before = precision_at(previous, gold)
    print(
        f"    the same queue in the previous ranking (rule likelihood + rarity + witness): "
        f"{before[20]:.2f} / {before[50]:.2f} / {before[100]:.2f}"
    )
    missed = [g for i, g in enumerate(gold) if i not in alone["found"]]
    queued = [
        g for g in missed if any(r["ingest_start"] < g[1] and r["ingest_end"] > g[0] for r in queue)
    ]
    top = queue[:50]
    top_hits = sum(
        any(r["ingest_start"] < g[1] and r["ingest_end"] > g[0] for g in gold) for r in top
    )
    print(
        f"review queue of {OCR_DOC} (automatic run): {len(queue)} suspects; {len(queued)} of the "
        f"{len(missed)} gold errors the automatic method missed are in it; {top_hits} of the "
        "top 50 suspects are gold errors"
    )
    witnesses = [configured[w].text for w in ("kollontai-web", "kollontai-bureaucracy")]
    breaks = paragraph_agreement(configured[OCR_DOC].text, witnesses)
    print(
        f"paragraph breaks of {OCR_DOC} against kollontai-web and kollontai-bureaucracy "
        f"({breaks['pairs']} aligned word pairs): {breaks['tp']} agree, {breaks['fp']} extra, "
        f"{breaks['fn']} missed"
    )
    print(
        f"stage time, all {len(rows)} documents, one process, first run (cold caches, includes "
        f"loading the dictionaries): wall {wall_automatic:.2f} s, CPU {cpu_automatic:.2f} s "
        "(target: wall < 10 s)"
    )
    print(
        f"stage time, all {len(rows)} documents, second run (as configured): wall "
        f"{wall_configured:.2f} s, CPU {cpu_configured:.2f} s"
    )
    print(f"machine load average (1 min) during the run: {os.getloadavg()[0]:.1f}")
    if "--quick" not in sys.argv:
        from evaluate_external_ocr import documents, evaluate, print_report

        cleaning = fill_defaults({}, load_schema(SCHEMA_PATH))["cleaning"]
        print_report(evaluate(documents(half="all"), cleaning), "ICDAR 2017 English, all files")
    else:
        print("external OCR (ICDAR 2017 sample): left out (--quick)")
    if "-v" in sys.argv:
        missed = [g for i, g in enumerate(gold) if i not in both["found"]]
        print("missed (with curated):", [f"{g[2]}->{g[3]}" for g in missed])
        wrong = [
            e
            for e in configured[OCR_DOC].edits
            if e.rule in WORD_RULES
            and not any(e.start < g[1] and e.end > g[0] and _same(e.after, g[3]) for g in gold)
        ]
        for edit in wrong:
            before = texts[OCR_DOC][edit.start : edit.end]
            print(f"    not in gold: {before!r} -> {edit.after!r} ({edit.rule})")


if __name__ == "__main__":
    main()
