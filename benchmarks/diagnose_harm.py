"""Which edits make a document worse: each edit removed alone, per document and kind.

Run from the repository root:  python benchmarks/diagnose_harm.py [--data NAME]
[--half tuning|held-out|all] [--set KEY=VALUE ...]   (tune on the tuning halves only)

Each document is cleaned as evaluate_external_ocr.py does. For every edit, the document's
character errors against the gold are counted with that edit left out; an edit whose removal
lowers them is harmful (it made the document worse by that many characters), one whose removal
raises them helped. Edits are classed by kind: the channel's ``substitution``, ``join`` and
``split`` (from its evidence), else the rule (``missing_space``, ``dehyphenate``,
``line_join``, ...). Printed: per kind, edits that helped / harmed / changed nothing and the
net characters; then every document made worse (with ``-v``: every document) with its
harmful edits (OCR -> edit).
"""

from __future__ import annotations

from collections import Counter

from evaluate_external_ocr import (
    SETS,
    benchmark_parser,
    clean,
    cleaning_settings,
    documents,
    normalise,
)
from rapidfuzz.distance import Levenshtein


def kind(edit) -> str:
    if edit.rule == "channel":
        return "channel " + edit.evidence.split(":", 1)[0]
    return edit.rule


def char_errors(document, edits, gold: str) -> int:
    return Levenshtein.distance(normalise(document.apply(edits)), gold)


def attribute(document, cleaning: dict) -> tuple[int, int, list[tuple]]:
    """Character errors before and after, and ``(kind, delta, edit)`` for every edit but an
    empty one: delta is the change in errors its removal undoes (> 0: the edit harmed, 0: it
    changed nothing)."""
    edits = clean(document, cleaning).edits
    gold = normalise(document.gold())
    before, after = char_errors(document, [], gold), char_errors(document, edits, gold)
    rows = []
    for k, edit in enumerate(edits):
        if edit.start == edit.end and not edit.after:
            continue
        without = char_errors(document, edits[:k] + edits[k + 1 :], gold)
        rows.append((kind(edit), after - without, edit))
    return before, after, rows


def main() -> None:
    parser = benchmark_parser(__doc__.split("\n")[0], data=SETS[1], half="tuning")
    parser.add_argument("-v", action="store_true", help="harmful edits of every document")
    args = parser.parse_args()
    cleaning = cleaning_settings(args.set)
    helped, harmed, idle, net = Counter(), Counter(), Counter(), Counter()
    worse = []
    for document in documents(args.data, args.half):
        before, after, rows = attribute(document, cleaning)
        for name, delta, _ in rows:
            helped[name] += delta < 0
            harmed[name] += delta > 0
            idle[name] += delta == 0
            net[name] += delta
        if after > before or (args.v and any(r[1] > 0 for r in rows)):
            worse.append((document, before, after, [r for r in rows if r[1] > 0]))
    print("kind\thelped\tharmed\tno change\tnet characters (+ worse)")
    for name in sorted(net, key=lambda n: net[n]):
        print(f"{name}\t{helped[name]}\t{harmed[name]}\t{idle[name]}\t{net[name]:+d}")
    for document, before, after, rows in worse:
        print(f"\n{document.name}: character errors {before} -> {after}")
        for name, delta, edit in rows:
            ocr = document.ocr[max(0, edit.start - 12) : edit.end + 12].replace("\n", " ")
            print(f"  +{delta}\t{name}\t{ocr!r} -> {edit.after!r}")


if __name__ == "__main__":
    main()
