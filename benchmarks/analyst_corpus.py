"""Build "another corpus at the schema's neutral defaults" for the cost figures of docs/topics.md.

About 111,000 words in 159 documents, all from this repository: the gold-standard text of the
ICDAR 2017 and 2019 English OCR benchmark files (benchmarks/data/, one document per file, the
alignment padding removed; files under 50 words left out) and the parts of
examples/many-documents/texts/. Its config names only the manifest, two groups and the keyness
sides: every other key, every topics key included, takes the schema's default. Then run it and
read its cost:

    PYTHONPATH=src .venv/bin/python benchmarks/analyst_corpus.py /tmp/analyst
    (cd /tmp/analyst && ../path/to/.venv/bin/snakemake --snakefile .../Snakefile \\
        --workflow-profile .../workflow/profiles/default --cores 2)
    PYTHONPATH=src .venv/bin/python benchmarks/job_cpu.py /tmp/analyst
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONFIG = """manifest: config/corpus.tsv
groups:
  monograph: "ICDAR 2017 monographs (gold standard)"
  periodical: "ICDAR periodicals and pamphlet parts"
keyness:
  target: monograph
  reference: periodical
"""


def icdar_documents() -> list[tuple[str, str, str, str]]:
    """(doc_id, text, group, source) of each ICDAR file's gold standard of 50 words or more."""
    out = []
    for path in sorted((REPO / "benchmarks" / "data").glob("icdar*-en/*/*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        gold = next(line for line in lines if line.startswith("[ GS_aligned]"))
        text = " ".join(re.sub(r"[@#]", "", gold[len("[ GS_aligned]") :]).split())
        if len(text.split()) < 50:
            continue
        collection, kind = path.parts[-3].split("-")[0], path.parts[-2].lower().replace("_", "-")
        group = "monograph" if "monograph" in kind else "periodical"
        source = str(path.relative_to(REPO))
        out.append((f"{collection}-{kind}-{path.stem}", text, group, source))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    folder = parser.parse_args().folder
    (folder / "texts").mkdir(parents=True)
    (folder / "config").mkdir()
    parts = REPO / "examples" / "many-documents" / "texts"
    documents = icdar_documents() + [
        (p.stem, p.read_text(encoding="utf-8"), "periodical", str(p.relative_to(REPO)))
        for p in sorted(parts.glob("*.txt"))
    ]
    header = (REPO / "examples" / "many-documents" / "config" / "corpus.tsv").open().readline()
    rows = [header]
    for doc_id, text, group, source in documents:
        path = f"texts/{doc_id}.txt"
        (folder / path).write_text(text.strip() + "\n", encoding="utf-8")
        cells = [doc_id, path, doc_id, "", "", group, "analysis", "utf-8", "false", "", "", source]
        rows.append("\t".join(cells) + "\n")
    (folder / "config" / "corpus.tsv").write_text("".join(rows), encoding="utf-8")
    (folder / "config" / "config.yaml").write_text(CONFIG, encoding="utf-8")
    print(f"{folder}: {len(documents)} documents")


if __name__ == "__main__":
    main()
