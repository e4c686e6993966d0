"""The overProof evaluation sets (newspaper articles, OCR with a hand-corrected gold standard),
read as :class:`evaluate_external_ocr.Document` objects so that every script on the ICDAR sets
runs on them too (``--data overproof-en``).

The files are not vendored (their site states no licence): ``benchmarks/data/overproof-en/
README.md`` says where to get them and gives their SHA-256. Each file holds many articles; an
article starts with a line ``*$*OVERPROOF*$* <id> year <year> ...`` and every following line is
``OCR||@@||gold||@@||overProof's correction``. The OCR input of an article is its OCR lines
joined by newlines (the printed column's lines), its gold the gold lines likewise; the two are
aligned character by character over the whole article (Levenshtein), as the gold sometimes
moves text across a line break (dataset3's often pulls the rest of a broken word onto the
first line). overProof's own correction (the third field) is not read.
"""

from __future__ import annotations

from pathlib import Path

from rapidfuzz.distance import Levenshtein

HEADER = "*$*OVERPROOF*$* "
FIELDS = "||@@||"
#: Gap and no-gold marks of the alignment: characters the texts cannot hold (an OCR line of
#: these sets has "@" and "#"). The gold covers every article, so NO_GOLD never occurs: it
#: only keeps a "#" of the gold text from being read as a mark.
GAP, NO_GOLD = "\x00", "\x01"
FILES = ("dataset2/allArticles.txt", "dataset3/allArticles.txt")


def align(ocr: str, gold: str) -> tuple[str, str]:
    """``ocr`` and ``gold`` padded with :data:`GAP` to one length, character by character."""
    top, bottom = [], []
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(ocr, gold):
        a, b = ocr[i1:i2], gold[j1:j2]
        width = max(len(a), len(b))
        top.append(a.ljust(width, GAP) if tag != "insert" else GAP * width)
        bottom.append(b.ljust(width, GAP) if tag != "delete" else GAP * width)
    return "".join(top), "".join(bottom)


def articles(path: Path) -> list[list[tuple[str, str]]]:
    """[(OCR line, gold line), ...] for each article of one file."""
    found: list[list[tuple[str, str]]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if line.startswith(HEADER):
            found.append([])
        elif line:
            fields = line.split(FIELDS)
            if not found or len(fields) != 3:
                raise SystemExit(f"{path}:{number}: expected OCR{FIELDS}gold{FIELDS}correction")
            found[-1].append((fields[0], fields[1]))
    return found


def read_set(folder: Path, document_class) -> list:
    """Every article of the set's files, named by file and place (``dataset3/7``: the file's
    seventh article; article ids repeat within dataset3), with empty lines dropped."""
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise SystemExit(
            f"{folder}: {', '.join(missing)} missing; see {folder / 'README.md'} for where to "
            "get the overProof files"
        )
    docs = []
    for name in FILES:
        for place, pairs in enumerate(articles(folder / name), 1):
            pairs = [(o, g) for o, g in pairs if o.strip() or g.strip()]
            ocr = "\n".join(o for o, _ in pairs)
            aligned_ocr, aligned_gold = align(ocr, "\n".join(g for _, g in pairs))
            docs.append(
                document_class(
                    f"{name.split('/')[0]}/{place}",
                    ocr,
                    aligned_ocr,
                    aligned_gold,
                    gap=GAP,
                    no_gold=NO_GOLD,
                )
            )
    return docs
