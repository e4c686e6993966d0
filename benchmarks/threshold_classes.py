"""Whether a class of non-words would pay a lower threshold than ``channel_min_gain``.

Run from the repository root:  python benchmarks/threshold_classes.py [--data NAME]
[--half tuning] [--set KEY=VALUE ...]   (tuning halves only)

Each document is cleaned as evaluate_external_ocr.py does. Every OCR word aligned one for
one with a gold word (errors and words the OCR has right) whose form the decoder scored
alone as a non-word is one row: the best reading's gain (the decoder's last pass, per form,
as diagnose_channel.py records it), whether that reading is the gold, and the form's class
features: lowercase or capitalised, its length, whether any vocabulary holds it (wordfreq,
symspellpy's list, the trigram model), whether the document repeats it, the document's noise
share, older spelling, and whether a neighbouring OCR word is a non-word too (a foreign
passage?). Printed per class and gain band: the best reading right (the gold), wrong on an
OCR error, and wrong on a word the OCR had right (a harmful change).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from diagnose_channel import SCORES, _key, _recording
from evaluate_external_ocr import benchmark_parser, clean, cleaning_settings, documents
from evaluate_external_ocr import normalise as normalise_text
from rapidfuzz.distance import Levenshtein

from corpusflow.cleaning import channel, trigram
from corpusflow.cleaning.lexicon import english_unigrams, zipf_frequency

BANDS = ((-99, 0.5), (0.5, 1.0), (1.0, 1.5), (1.5, 2.0), (2.0, 99))


def rows(docs, cleaning: dict) -> list[dict]:
    """One row per OCR word scored alone as a non-word, aligned with a gold word."""
    out = []
    for document in docs:
        SCORES.clear()
        clean(document, cleaning)
        ocr, gold = (normalise_text(t).split() for t in (document.apply([]), document.gold()))
        counts = Counter(_key(w) for w in ocr)
        for tag, i1, i2, j1, j2 in Levenshtein.opcodes(ocr, gold):
            if tag not in ("equal", "replace") or i2 - i1 != j2 - j1:
                continue
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                row = _row(ocr, i, _key(gold[j]), counts)
                if row:
                    out.append(row)
    return out


def _row(ocr: list[str], i: int, gold: str, counts: Counter) -> dict | None:
    key = _key(ocr[i])
    if not key.isalpha() or key not in SCORES:
        return None
    scored, _, _, real, noise, _, cautious = SCORES[key]
    if real or not scored:
        return None
    best = max(scored, key=lambda r: r[0])
    neighbours = [_key(ocr[k]) for k in (i - 1, i + 1) if 0 <= k < len(ocr)]
    return {
        "gain": best[0],
        "right": best[1] == [gold],
        "harm": key == gold,
        "lower": ocr[i].lstrip("\"'([").islower(),
        "length": len(key),
        "vocab": bool(zipf_frequency(key) > 0 or key in english_unigrams() or trigram.known(key)),
        "repeated": counts[key] > 1,
        "noise": noise,
        "older": cautious,
        "run": any(n.isalpha() and n in SCORES and not SCORES[n][3] for n in neighbours),
    }


def candidate(r: dict, length: int = 4, noise: float = 0.0) -> bool:
    """The class asked about: lowercase, ``length`` letters or more, in no vocabulary, not
    repeated in the document, no older spelling, no non-word beside it, noise from ``noise``."""
    plain = r["lower"] and not (r["vocab"] or r["repeated"] or r["older"] or r["run"])
    return plain and r["length"] >= length and r["noise"] >= noise


CLASSES = {
    "all non-words": lambda r: True,
    "lowercase": lambda r: r["lower"],
    "capitalised": lambda r: not r["lower"],
    "older spelling": lambda r: r["older"],
    "repeated in the document": lambda r: r["repeated"],
    "beside another non-word": lambda r: r["run"],
    "candidate (lowercase, 4+ letters, no vocabulary, not repeated, modern, alone)": candidate,
    **{
        f"candidate, noise >= {n:.2f}": lambda r, n=n: candidate(r, noise=n)
        for n in (0.05, 0.1, 0.15)
    },
    **{f"candidate, {k}+ letters": lambda r, k=k: candidate(r, length=k) for k in (5, 6, 7)},
}


def _cells(table: list[dict], member) -> str:
    """Right / wrong on an error / wrong on a right word per gain band, for one class."""
    cells = defaultdict(Counter)
    for r in table:
        if member(r):
            band = next(b for b in BANDS if b[0] <= r["gain"] < b[1])
            cells[band]["right" if r["right"] else "harm" if r["harm"] else "wrong"] += 1
    parts = []
    for band in BANDS:
        c, n = cells[band], sum(cells[band].values())
        share = f"{c['right'] / n:.0%}" if n else "-"
        parts.append(f"{band[0]:g}-{band[1]:g}: {c['right']}/{c['wrong']}/{c['harm']} ({share})")
    return "; ".join(parts)


def main() -> None:
    parser = benchmark_parser(__doc__.split("\n")[0], data="icdar2017-en", half="tuning")
    args = parser.parse_args()
    channel.decide_token = _recording(channel.decide_token)
    table = rows(documents(args.data, args.half), cleaning_settings(args.set))
    print(f"{args.data}, {args.half} half: {len(table)} non-word forms scored alone")
    print("  class: per gain band right / wrong on an error / wrong on a right word (right %)")
    for name, member in CLASSES.items():
        print(f"  {name}: {_cells(table, member)}")


if __name__ == "__main__":
    main()
