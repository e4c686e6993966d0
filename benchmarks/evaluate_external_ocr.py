"""The cleaning stage on OCR the project did not write: the English part of the ICDAR 2017
post-OCR correction set (vendored under benchmarks/data/icdar2017-en, see its README).

Run from the repository root:  python benchmarks/evaluate_external_ocr.py [--limit N] [-v]
[--set KEY=VALUE ...] (a cleaning setting other than the schema's default, to compare)

Each file is one document without witnesses, declared as OCR with ``wrapped: auto``; the
cleaning stage runs with the schema's neutral defaults (``corpusflow.config.default_config``,
not this study's config) and no curated table. Scored against the aligned gold standard:

- word and character error rate (WER, CER) before and after, over the whole sample and per
  document; whitespace is collapsed in both texts, and stretches without gold standard (``#``
  in the alignment) are left out of both;
- the share of documents made worse (CER after > CER before; HIPE-OCRepair style);
- the precision of the applied word substitutions: a change is right when its replacement
  equals the gold text at the same aligned place, harmful when the OCR text there already
  equalled the gold;
- the review queue's precision at 20/50/100/500, all documents' queues pooled and ranked by
  ``score``: a row is a hit when the OCR text of its span differs from the gold there
  (rows where no gold exists are left out); also for the ranking used before (the rule's own
  likelihood + 0.2 for a token seen once (0.1 twice) + 0.2 for a witness reading), for
  comparison.

Nothing is fetched at run time.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz.distance import Levenshtein

from corpusflow.cleaning.stage import WORD_RULES, clean_document, settings_from_config
from corpusflow.config import default_config

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data" / "icdar2017-en"
PREFIXES = ("[OCR_toInput] ", "[OCR_aligned] ", "[ GS_aligned] ")
#: Function-word confusions to report separately (counted in the gold alignment).
SPACE = re.compile(r"\s+")


@dataclass
class Document:
    """One ICDAR file: the OCR input and its character alignment with the gold standard."""

    name: str
    ocr: str
    aligned_ocr: str
    aligned_gold: str

    def __post_init__(self):
        # aligned position of each character of the OCR input
        self.position = [k for k, c in enumerate(self.aligned_ocr) if c != "@"]
        if len(self.position) != len(self.ocr):
            raise SystemExit(f"{self.name}: OCR input and aligned OCR differ in length")

    def kept(self, i: int) -> bool:
        """Whether input character ``i`` lies where a gold standard exists."""
        return self.aligned_gold[self.position[i]] != "#"

    def gold(self) -> str:
        return "".join(c for c in self.aligned_gold if c not in "@#")

    def gold_between(self, start: int, end: int) -> str:
        """The gold text aligned with input characters ``start`` to ``end``."""
        if start == end:
            return ""
        first, last = self.position[start], self.position[end - 1] + 1
        return "".join(c for c in self.aligned_gold[first:last] if c not in "@#")

    def apply(self, edits) -> str:
        """The OCR input with ``edits`` applied, restricted to where gold exists."""
        out, i = [], 0
        for edit in sorted(edits, key=lambda e: (e.start, e.end)):
            if edit.start < i:
                continue
            out.extend(self.ocr[j] for j in range(i, edit.start) if self.kept(j))
            inside = range(edit.start, max(edit.end, edit.start + 1))
            if all(self.kept(j) for j in inside if j < len(self.ocr)):
                out.append(edit.after)
            else:
                out.extend(self.ocr[j] for j in range(edit.start, edit.end) if self.kept(j))
            i = edit.end
        out.extend(self.ocr[j] for j in range(i, len(self.ocr)) if self.kept(j))
        return "".join(out)


def read_document(path: Path) -> Document:
    lines = path.read_text(encoding="utf-8").split("\n")
    fields = []
    for prefix, line in zip(PREFIXES, lines, strict=False):
        if not line.startswith(prefix):
            raise SystemExit(f"{path}: expected a line starting with {prefix!r}")
        fields.append(line[len(prefix) :])
    if len(fields[1]) != len(fields[2]):
        raise SystemExit(f"{path}: aligned OCR and gold differ in length")
    return Document(f"{path.parent.name}/{path.name}", *fields)


def documents(limit: int | None = None) -> list[Document]:
    paths = sorted(
        DATA.glob("*/*.txt"), key=lambda p: (p.parent.name, int(p.stem) if p.stem.isdigit() else 0)
    )
    return [read_document(path) for path in paths[:limit]]


def normalise(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def error_counts(hypothesis: str, gold: str) -> tuple[int, int, int, int]:
    """(word edits, gold words, character edits, gold characters), whitespace collapsed."""
    hypothesis, gold = normalise(hypothesis), normalise(gold)
    words = Levenshtein.distance(hypothesis.split(), gold.split())
    return words, len(gold.split()), Levenshtein.distance(hypothesis, gold), len(gold)


def clean(document: Document, cleaning: dict):
    return clean_document(
        document.ocr,
        doc_id=document.name,
        hard_wrapped=None,
        correct_words=True,
        **settings_from_config(cleaning),
    )


def evaluate(docs: list[Document], cleaning: dict, verbose: bool = False) -> dict:
    """Run the stage on every document and score it (see the module docstring)."""
    totals = dict.fromkeys(("w0", "w1", "words", "c0", "c1", "chars"), 0)
    worse, better, changes, queue = [], [], [], []
    started = time.perf_counter()
    for document in docs:
        result = clean(document, cleaning)
        gold = document.gold()
        before = document.apply([])
        after = document.apply(result.edits)
        w0, words, c0, chars = error_counts(before, gold)
        w1, _, c1, _ = error_counts(after, gold)
        for key, value in zip(totals, (w0, w1, words, c0, c1, chars), strict=True):
            totals[key] += value
        if c1 > c0:
            worse.append(document.name)
        elif c1 < c0:
            better.append(document.name)
        for row in result.review:
            start, end = row["ingest_start"], row["ingest_end"]
            if 0 <= start < end and all(document.kept(j) for j in range(start, end)):
                hit = document.gold_between(start, end).strip() != document.ocr[start:end]
                queue.append((row["score"], previous_priority(row), document.name, start, hit))
        for edit in result.edits:
            if edit.rule not in WORD_RULES:
                continue
            if not all(document.kept(j) for j in range(edit.start, edit.end)):
                continue
            ocr = document.ocr[edit.start : edit.end]
            target = document.gold_between(edit.start, edit.end).strip()
            verdict = "right" if edit.after == target else "harmful" if ocr == target else "wrong"
            changes.append((document.name, edit.rule, ocr, edit.after, target, verdict))
    seconds = time.perf_counter() - started
    report = {
        "documents": len(docs),
        "words": totals["words"],
        "wer_before": totals["w0"] / totals["words"],
        "wer_after": totals["w1"] / totals["words"],
        "cer_before": totals["c0"] / totals["chars"],
        "cer_after": totals["c1"] / totals["chars"],
        "worse": worse,
        "better": better,
        "changes": changes,
        "queue": queue,
        "seconds": seconds,
    }
    if verbose:
        for change in changes:
            print("   ", *change, sep="\t")
    return report


def previous_priority(row: dict) -> float:
    """The queue ranking used before the two-sided evidence (for comparison only)."""
    if row["kind"] == "curated_row_not_applied":
        return 2.0
    count = row["token_corpus"]
    rare = 1.0 if 0 <= count <= 1 else 0.5 if 0 <= count <= 2 else 0.0
    return row["rule_likelihood"] + 0.2 * rare + 0.2 * bool(row["witnesses"])


def queue_precision(queue: list[tuple], column: int, ks=(20, 50, 100, 500)) -> dict:
    """Precision at k of queue rows ``(score, previous, doc, start, hit)`` ranked by
    ``column`` (0: the shipped ranking, 1: the previous one)."""
    ranked = sorted(queue, key=lambda row: (-row[column], row[2], row[3]))
    return {k: sum(row[4] for row in ranked[:k]) / min(k, len(ranked)) for k in ks if ranked}


def print_report(report: dict) -> None:
    changes = report["changes"]
    right = sum(c[-1] == "right" for c in changes)
    harmful = sum(c[-1] == "harmful" for c in changes)
    print(
        f"ICDAR 2017 English sample: {report['documents']} documents, {report['words']} gold "
        f"words, no witnesses, neutral defaults ({report['seconds']:.0f} s)"
    )
    print(
        f"  WER {report['wer_before']:.4f} -> {report['wer_after']:.4f}, "
        f"CER {report['cer_before']:.4f} -> {report['cer_after']:.4f}"
    )
    print(
        f"  documents made worse (CER): {len(report['worse'])}/{report['documents']} "
        f"({len(report['worse']) / report['documents']:.1%}), better: {len(report['better'])}"
        + (f"; worse: {', '.join(report['worse'])}" if report["worse"] else "")
    )
    rules = sorted({c[1] for c in changes})
    by_rule = ", ".join(
        f"{rule} {sum(c[-1] == 'right' for c in changes if c[1] == rule)}/"
        f"{sum(c[1] == rule for c in changes)}"
        for rule in rules
    )
    precision = right / len(changes) if changes else float("nan")
    print(
        f"  word substitutions: {len(changes)}, right {right} (precision {precision:.3f}), "
        f"changed a correct word {harmful}; right per rule: {by_rule or '-'}"
    )
    queue = report["queue"]
    if queue:
        hits = sum(row[4] for row in queue)
        for name, column in (("shipped ranking", 0), ("previous ranking", 1)):
            at = queue_precision(queue, column)
            figures = " / ".join(f"{at[k]:.2f}" for k in sorted(at))
            print(
                f"  review queue ({len(queue)} rows, {hits} on an OCR error), {name}: precision "
                f"at {' / '.join(str(k) for k in sorted(at))} = {figures}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("-v", action="store_true", help="list every word substitution")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a cleaning setting (YAML value), e.g. realword_auto_min_english_gain=0",
    )
    args = parser.parse_args()
    cleaning = default_config()["cleaning"]
    for setting in args.set:
        key, _, value = setting.partition("=")
        if key not in cleaning:
            raise SystemExit(f"--set {setting}: no cleaning setting {key!r}")
        cleaning[key] = yaml.safe_load(value)
        print(f"cleaning.{key} = {cleaning[key]!r}")
    print_report(evaluate(documents(args.limit), cleaning, verbose=args.v))


if __name__ == "__main__":
    sys.exit(main())
