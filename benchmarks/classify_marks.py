"""What the OCR word errors with marks or digits inside are: sub-bins of the trace's "not
letters" bin, of the evaluation's "number" class, and the lone letters left with junk.

Run from the repository root:  python benchmarks/classify_marks.py [--data NAME]
[--half tuning|held-out|all] [--set KEY=VALUE ...] [--show N]   (use the tuning halves)

- "not letters" (:mod:`diagnose_channel`: the OCR or gold word, edge punctuation stripped,
  holds a mark inside), per kind: marks on both sides, marks only in the gold or only in the
  OCR, or the OCR's inner mark (a stop, comma, apostrophe, hyphen or junk character) standing
  for a letter of the gold or for nothing (the gold nearer the OCR with the mark dropped);
- "number" (:func:`evaluate_external_ocr.error_classes`: a digit on either side; these never
  reach the trace), per kind: digits on both sides, in the gold only, alone in the OCR, or
  among the OCR's letters where the gold is letters, with the digits read for letters;
- real-word errors left "not scored" as one letter whose OCR word has a junk character.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict

import diagnose_channel as trace_module
from evaluate_external_ocr import (
    PUNCTUATION,
    SETS,
    _blocks,
    _word_class,
    benchmark_parser,
    cleaning_settings,
    documents,
    normalise,
)
from rapidfuzz.distance import Levenshtein

from corpusflow.cleaning.junk import is_junk

MARKS = frozenset(".,'’-;:")


def mark_kind(ocr: str, gold: str) -> str:
    """The sub-bin of a "not letters" error (both words as the trace keys them)."""
    if not ocr or not gold:
        return "OCR marks only" if not ocr else "gold marks only"
    inner_ocr = {c for c in ocr if not c.isalnum()}
    if inner_ocr and any(not c.isalnum() for c in gold):
        return "marks on both sides"
    if not inner_ocr:
        return "a mark inside the gold only"
    mark = "".join(sorted(inner_ocr)) if inner_ocr <= MARKS else "junk"
    dropped = re.sub(r"\W", "", ocr)
    extra = Levenshtein.distance(dropped, gold) < Levenshtein.distance(ocr, gold)
    return f"OCR {mark!r} inside, {'for nothing' if extra else 'for a letter'}"


def number_kind(ocr: str, gold: str) -> str:
    """The sub-bin of a "number" error (words as the evaluation aligns them)."""
    a, b = PUNCTUATION.sub("", ocr), PUNCTUATION.sub("", gold)
    digits_a, digits_b = (any(c.isdigit() for c in w) for w in (a, b))
    if digits_a and digits_b:
        return "digits on both sides"
    if digits_b:
        return "digits in the gold only"
    if re.search(r"[^\W\d_]", a):
        return "digits among letters, gold letters"
    return "digits alone in the OCR, gold letters"


def digits_read(pairs) -> Counter:
    """Per (digit, gold letter or ''), how often a digit among letters stands for it."""
    read = Counter()
    for ocr, gold in pairs:
        a, b = (PUNCTUATION.sub("", w).lower() for w in (ocr, gold))
        for kind, i, j in Levenshtein.editops(a, b):
            if kind != "insert" and a[i].isdigit():
                read[(a[i], b[j] if kind == "replace" else "")] += 1
    return read


def number_pairs(docs) -> list[tuple[str, str]]:
    """The raw OCR's errors of class "number", aligned one for one with the gold."""
    pairs = []
    for document in docs:
        ocr, gold = (normalise(t).split() for t in (document.apply([]), document.gold()))
        for i1, i2, j1, j2 in _blocks(ocr, gold):
            if i2 - i1 == j2 - j1:
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    if _word_class([ocr[i]], [gold[j]]) == "number":
                        pairs.append((ocr[i], gold[j]))
    return pairs


def main() -> None:
    parser = benchmark_parser(__doc__.split("\n")[0], data=SETS[0], half="tuning")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="examples per kind")
    args = parser.parse_args()
    marked, plain_bin = [], trace_module._bin

    def recording_bin(ocr: str, gold: str, fixed: bool) -> str:
        where = plain_bin(ocr, gold, fixed)
        if where == "not letters":
            marked.append((ocr, gold))
        return where

    trace_module._bin = recording_bin
    trace_module.install_recorders()
    docs = documents(args.data, args.half)
    trace_module.trace(docs, cleaning_settings(args.set))
    numbers = number_pairs(docs)
    print(f"{args.data}, {args.half} half")
    kinds = (("not letters", marked, mark_kind), ("number", numbers, number_kind))
    for title, pairs, kind in kinds:
        groups = defaultdict(list)
        for ocr, gold in pairs:
            groups[kind(ocr, gold)].append(f"{ocr}->{gold}")
        print(f"  {title} ({len(pairs)}):")
        for name, forms in sorted(groups.items(), key=lambda item: -len(item[1])):
            sample = random.Random(1).sample(forms, min(args.show, len(forms)))
            print(f"    {name} {len(forms)}" + (f": {', '.join(sample)}" if sample else ""))
    among = [p for p in numbers if number_kind(*p) == "digits among letters, gold letters"]
    read = ", ".join(f"{d}->{g or '-'} {n}" for (d, g), n in digits_read(among).most_common())
    print(f"  digits among letters read as (digit -> gold letter): {read}")
    lone = [
        (o, g)
        for o, g, _, reason in trace_module.EXAMPLES["not scored"]
        if reason == "one letter" and any(is_junk(c) for c in o)
    ]
    print(f"  one letter not scored, with a junk character: {len(lone)}")


if __name__ == "__main__":
    main()
