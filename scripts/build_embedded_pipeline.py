"""Rebuild the embedded spaCy pipeline (src/corpusflow/data/pipelines/en_corpusflow_ewt) from UD.

Trains a small tok2vec + tagger + morphologizer with spaCy's own ``spacy train`` CLI on the train
split of UD English EWT (dev split for model selection), with the committed config
``scripts/pipeline/train.cfg`` (seed 0), then assembles the shipped pipeline: sentencizer,
tok2vec, tagger, morphologizer and spaCy's rule lemmatiser, whose tables (from
spacy-lookups-data, plus the lemmas of closed-class words counted in the same train split) are
saved inside the pipeline so that loading it needs nothing else.

spaCy's English rule tables cover nouns, verbs, adjectives and adverbs only; without the
closed-class table "is"/"was" stay themselves instead of "be", "me" instead of "I", "an" instead
of "a" (UD's lemmas, and en_core_web_sm's). The table holds, for every (lowercase form, UPOS) of
a closed class (AUX, PRON, DET, PART, ADP, CCONJ, SCONJ) seen at least twice in the train split
whose most frequent lemma differs from the form, that lemma (lowercased). It goes into the
lemmatiser's exception table (``lemma_exc``, one sub-table per part of speech, which spaCy's
rule lemmatiser consults before its rules) rather than into an attribute_ruler, which gives the
same lemmas but costs a third of the pipeline's time (a retokenisation per matched token).

    PYTHONPATH=src nice -n 10 .venv/bin/python scripts/build_embedded_pipeline.py \\
        /path/to/UD_English-EWT --workdir /tmp/ewt-train

The UD folder is a local copy of https://github.com/UniversalDependencies/UD_English-EWT
(CC BY-SA 4.0). If its ``en_ewt-ud-train.conllu`` is absent (some snapshots keep only the
per-source files), the train split is assembled from ``not-to-release/sources/`` in the order of
``not-to-release/file-lists/files.train`` (12,544 sentences, as the released file). Training
takes about 30-60 minutes on 2 shared cores. spaCy trains deterministically on CPU with a fixed
seed, but the weights may differ in the last bits between machines/BLAS builds; the pipeline's
sha256 is recorded in every run's provenance.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "scripts" / "pipeline" / "train.cfg"
OUTPUT = REPO / "src" / "corpusflow" / "data" / "pipelines" / "en_corpusflow_ewt"
NAME, VERSION = "corpusflow_ewt", "1.0.0"
TRAIN_SENTENCES = 12544


def train_conllu(ud: Path, workdir: Path) -> Path:
    """The train split: the released file, or the same sentences assembled from the sources."""
    released = ud / "en_ewt-ud-train.conllu"
    if released.is_file() and released.stat().st_size > 1_000_000:
        return released
    listing = ud / "not-to-release" / "file-lists" / "files.train"
    assembled = workdir / "en_ewt-ud-train.conllu"
    with assembled.open("w", encoding="utf-8") as out:
        for name in listing.read_text(encoding="utf-8").split():
            out.write((ud / "not-to-release" / "sources" / name).read_text(encoding="utf-8"))
    sentences = assembled.read_text(encoding="utf-8").count("\n# sent_id = ") + 1
    if sentences != TRAIN_SENTENCES:
        sys.exit(f"assembled train split has {sentences} sentences, expected {TRAIN_SENTENCES}")
    return assembled


CLOSED_CLASSES = ("ADP", "AUX", "CCONJ", "DET", "PART", "PRON", "SCONJ")


def closed_class_lemmas(conllu: Path, min_count: int = 2) -> dict[tuple[str, str], str]:
    """(lowercase form, UPOS) -> most frequent lowercase lemma, for closed-class words whose
    lemma is not their form (ties: the lemma seen first)."""
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for line in conllu.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) == 10 and cols[0].isdigit() and cols[3] in CLOSED_CLASSES:
            counts[(cols[1].lower(), cols[3])][cols[2].lower()] += 1
    table = {}
    for (form, upos), lemmas in sorted(counts.items()):
        lemma, _ = lemmas.most_common(1)[0]
        if lemmas.total() >= min_count and lemma != form:
            table[(form, upos)] = lemma
    return table


def spacy_cli(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "spacy", *args], cwd=cwd, check=True)


def assemble(trained: Path, output: Path, ud: Path, train: Path) -> None:
    import spacy
    import srsly

    nlp = spacy.load(trained)
    if "trainable_lemmatizer" in nlp.pipe_names:
        nlp.remove_pipe("trainable_lemmatizer")
    nlp.add_pipe("sentencizer", first=True)
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "rule"})
    lemmatizer.initialize()  # loads the rule tables from spacy-lookups-data
    table = closed_class_lemmas(train)
    exceptions = lemmatizer.lookups.get_table("lemma_exc")
    for upos in CLOSED_CLASSES:
        if upos.lower() in exceptions:
            sys.exit(f"spacy-lookups-data now has lemma exceptions for {upos}: review the merge")
        exceptions[upos.lower()] = {
            form: [lemma] for (form, pos), lemma in table.items() if pos == upos
        }
    nlp.meta.update(
        {
            "name": NAME,
            "version": VERSION,
            "description": "corpusflow's embedded pipeline: tok2vec + tagger + morphologizer "
            "trained on UD English EWT (train split) with spaCy's training CLI, closed-class "
            f"lemmas counted in the train split ({len(table)} forms), and spaCy's rule "
            "lemmatiser (tables of spacy-lookups-data). See README.md.",
            "license": "CC BY-SA 4.0",
            "sources": [
                {
                    "name": "UD English EWT",
                    "url": "https://github.com/UniversalDependencies/UD_English-EWT",
                    "license": "CC BY-SA 4.0",
                },
                {
                    "name": "spacy-lookups-data (English lemma rules, index, exceptions)",
                    "url": "https://github.com/explosion/spacy-lookups-data",
                    "license": "MIT",
                },
            ],
        }
    )
    readme = (output / "README.md").read_bytes() if (output / "README.md").exists() else None
    if output.exists():
        shutil.rmtree(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    # The sentencizer saves its punctuation set in hash order: sort it, so that a rebuild from
    # the same weights gives the same bytes (and the same sha256 in the provenance).
    sentencizer = srsly.read_json(output / "sentencizer.json")
    sentencizer["punct_chars"] = sorted(sentencizer["punct_chars"])
    srsly.write_json(output / "sentencizer.json", sentencizer)
    shutil.copyfile(ud / "LICENSE.txt", output / "LICENSE")
    if readme is not None:
        (output / "README.md").write_bytes(readme)
    print(json.dumps({"saved": str(output), "components": nlp.pipe_names}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ud", type=Path, help="local UD_English-EWT folder")
    parser.add_argument("--workdir", type=Path, required=True, help="scratch folder")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--trained", type=Path, help="skip training: assemble this model-best")
    args = parser.parse_args()
    ud, workdir = args.ud.resolve(), args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    trained = args.trained
    train = train_conllu(ud, workdir)
    if trained is None:
        splits = {"train": train, "dev": ud / "en_ewt-ud-dev.conllu"}
        for path in splits.values():
            spacy_cli("convert", str(path), ".", "-c", "conllu", "-n", "10", cwd=workdir)
        shutil.copyfile(CONFIG, workdir / "train.cfg")
        spacy_cli(
            "train",
            "train.cfg",
            "--paths.train",
            "en_ewt-ud-train.spacy",
            "--paths.dev",
            "en_ewt-ud-dev.spacy",
            "--output",
            "out",
            cwd=workdir,
        )
        trained = workdir / "out" / "model-best"
    assemble(trained, args.output, ud, train)


if __name__ == "__main__":
    main()
