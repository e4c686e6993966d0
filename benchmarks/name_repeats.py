"""How often an OCR error's gold is written right elsewhere in the same document.

Run from the repository root:  python benchmarks/name_repeats.py [--data NAME] [--half tuning]
[--show N] [--known-only] [--trace [--set KEY=VALUE ...]]   (tuning halves only)

Without ``--trace`` no cleaning is run (~20 s on the 2017 tuning half): the raw OCR's words
are aligned one for one with the gold's (as threshold_classes.py does). For every OCR error,
the count N of OCR words elsewhere in the document written exactly as its gold (edge
punctuation stripped; a capitalised gold counted with its capital), split by the gold's case
(capitalised or lowercase), by whether the OCR word is a non-word in no vocabulary (not
wordfreq, symspellpy's list or the trigram model) and by OCR-weighted distance. Then the
narrow class a reading "a capitalised form the document writes" would serve: a capitalised
non-word in no vocabulary whose gold the document writes at least N times, within one
OCR-weighted unit, and a plausible form (in wordfreq or the trigram model, or written at least
twice). And the risk: capitalised non-words the OCR has right that would get such a reading
(another capitalised form within one unit, written N times, plausible), and errors whose
such reading is not their gold. An opportunity whose gold is a reading already (in the
candidate vocabulary, or written ``min_corpus_count`` times: the document's own words join
the index) gains nothing from a new reading. ``--known-only``: a form written twice is not
plausible by that alone; ``--show N``: examples at N >= 2; ``--trace``: each document is
cleaned at the schema's defaults (~75 s) and each opportunity binned as diagnose_channel.py
bins it (fixed, gold not a reading, gold best under the threshold, other reading best, not
scored).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from diagnose_channel import EDGE_PUNCTUATION, READINGS, _bin, _key, install_recorders
from evaluate_external_ocr import (
    _alignment,
    benchmark_parser,
    clean,
    cleaning_settings,
    documents,
    normalise,
)
from rapidfuzz.distance import Levenshtein

from corpusflow.cleaning import trigram
from corpusflow.cleaning.lexicon import (
    Lexicon,
    english_index,
    english_unigrams,
    ocr_distance,
    zipf_frequency,
)
from corpusflow.config import default_config

BANDS = ((0.0, 0.5), (0.5, 1.0), (1.0, 2.0), (2.0, 99.0))


def no_vocabulary(key: str) -> bool:
    """In no vocabulary: not wordfreq, symspellpy's list or the trigram model."""
    return not (zipf_frequency(key) > 0 or key in english_unigrams() or trigram.known(key))


#: Whether a form written identically twice counts as plausible (``--known-only``: not).
REPEATED_PLAUSIBLE = [True]


def plausible(form: str, count: int) -> bool:
    """A form the document writes that is no garble: known to wordfreq or the trigram model,
    or written identically at least twice."""
    key = form.lower()
    return count >= 2 and REPEATED_PLAUSIBLE[0] or zipf_frequency(key) > 0 or trigram.known(key)


def pairs(document, cleaning: dict | None):
    """(OCR word, gold word, OCR form counts, what became of the error) one for one, edge
    punctuation stripped; with ``cleaning``, the document is cleaned and each error binned as
    diagnose_channel.py does (fixed, gold not a reading...)."""
    ocr, gold = (normalise(t).split() for t in (document.apply([]), document.gold()))
    right = None
    if cleaning is not None:
        READINGS.clear()
        after = normalise(document.apply(clean(document, cleaning).edits)).split()
        right, _ = _alignment(after, gold)
    forms = Counter(EDGE_PUNCTUATION.sub("", w) for w in ocr)
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(ocr, gold):
        if tag not in ("equal", "replace") or i2 - i1 != j2 - j1:
            continue
        for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
            o, g = (EDGE_PUNCTUATION.sub("", w) for w in (ocr[i], gold[j]))
            if o.isalpha() and g.isalpha():
                yield o, g, forms, _bin(_key(o), _key(g), j in right) if right else ""


def band(distance: float) -> str:
    low, high = next(b for b in BANDS if b[0] < distance <= b[1] or distance == b[0] == 0)
    return f"({low}, {high}]"


def nearby(o: str, forms: Counter, n: int) -> list[str]:
    """Capitalised forms of the document within one OCR-weighted unit of ``o``, written at
    least ``n`` times and plausible."""
    return [
        f
        for f, c in forms.items()
        if c >= n
        and f[:1].isupper()
        and f.lower() != o.lower()
        and f.isalpha()
        and plausible(f, c)
        and ocr_distance(o, f) <= 1.0
    ]


EXAMPLES = defaultdict(list)


def already(gold: str, forms: Counter) -> bool:
    """Whether ``gold`` is a reading without the new rule: in the candidate vocabulary, or
    written three times (``min_corpus_count``: the document's own words join the index)."""
    key = gold.lower()
    written = sum(c for f, c in forms.items() if f.lower() == key)
    size = default_config()["cleaning"]["candidate_vocabulary_size"]
    return key in english_index(size).vocabulary or written >= Lexicon.min_corpus_count


def count(docs, cleaning: dict | None) -> tuple[Counter, Counter]:
    table, narrow = Counter(), Counter()
    for document in docs:
        for o, g, forms, where in pairs(document, cleaning):
            key = o.lower()
            capital = o[:1].isupper() and not o.isupper()
            nonword = no_vocabulary(key)
            if key != g.lower():
                written = (
                    forms[g]
                    if g[:1].isupper()
                    else sum(c for f, c in forms.items() if f.lower() == g.lower())
                )
                case = "capitalised" if g[:1].isupper() else "lowercase"
                kind = "non-word, no vocabulary" if nonword else "other"
                distance = band(ocr_distance(key, g.lower()))
                for n in (1, 2, 3):
                    if written >= n:
                        table[(case, kind, distance, n)] += 1
                table[(case, kind, distance, 0)] += 1
            if not (capital and nonword):
                continue
            for n in (1, 2, 3):
                found = nearby(o, forms, n)
                if not found:
                    continue
                if key == g.lower():
                    what = "risk: right word given a reading"
                elif g in found:
                    reach = "a reading now" if already(g, forms) else "no reading now"
                    what = f"opportunity: gold among them, {reach}"
                    if where:
                        what = f"{what}: {where}"
                else:
                    what = "error, gold not among them"
                narrow[(what, n)] += 1
                if n == 2:
                    EXAMPLES[what].append(f"{o}->{g} ({', '.join(found)})")
    return table, narrow


def main() -> None:
    parser = benchmark_parser(__doc__.split("\n")[0], data="icdar2017-en", half="tuning")
    parser.add_argument("--show", type=int, default=0, help="examples per row (N>=2)")
    parser.add_argument(
        "--known-only", action="store_true", help="plausible: wordfreq or trigram model only"
    )
    parser.add_argument("--trace", action="store_true", help="clean, and bin each opportunity")
    args = parser.parse_args()
    if args.half != "tuning":
        raise SystemExit("tuning halves only")
    REPEATED_PLAUSIBLE[0] = not args.known_only
    cleaning = None
    if args.trace:
        cleaning = cleaning_settings(args.set)
        install_recorders()
    table, narrow = count(documents(args.data, args.half), cleaning)
    print(f"{args.data} {args.half}: OCR errors one for one; N = gold written N+ times elsewhere")
    print(f"{'gold case':12} {'OCR word':24} {'OCR-weighted':12} {'all':>6} N>=1  N>=2  N>=3")
    for case, kind, distance in sorted({k[:3] for k in table}):
        row = [table[(case, kind, distance, n)] for n in (0, 1, 2, 3)]
        print(f"{case:12} {kind:24} {distance:12} {row[0]:6} {row[1]:5} {row[2]:5} {row[3]:5}")
    print("\ncapitalised non-words in no vocabulary with a capitalised form of the document")
    print("within one OCR-weighted unit, written N+ times, plausible:")
    for what in sorted({k[0] for k in narrow}):
        print(f"  {what:72} " + "  ".join(f"N>={n}: {narrow[(what, n)]}" for n in (1, 2, 3)))
    if args.show:
        for what, rows in sorted(EXAMPLES.items()):
            print(f"\n{what} (N>=2): " + "; ".join(rows[: args.show]))


if __name__ == "__main__":
    main()
