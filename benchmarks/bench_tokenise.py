"""Lemmatiser and tagger candidates against the UD English EWT test set, and their speed.

Prints figures; asserts nothing (targets are in issue #16 and the README). Fetches nothing:
give it a local copy of UD_English-EWT (https://github.com/UniversalDependencies/UD_English-EWT,
CC BY-SA 4.0); without one it says so and skips the accuracy part.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_tokenise.py /path/to/UD_English-EWT

For each candidate, on the gold tokens of ``en_ewt-ud-test.conllu`` (alphabetic tokens only,
i.e. ``str.isalpha()``, as the token table's ``is_alpha``):

- lemma accuracy over all of them and over content words (gold UPOS NOUN, PROPN, VERB, ADJ,
  ADV), compared in lowercase (the token table's lemmas are lowercase);
- UPOS and PTB tag accuracy where the candidate tags;
- tokens/s on the real corpus (``corpus/*.txt``): bare ``nlp.pipe`` of the candidate's spaCy
  pipeline, and the tokenise stage (``tokenise_text``) with it, best of 3 each, per wall second
  and per CPU second of this process (the CPU figure is the fairer one on a shared machine);
- the size on disk of the shipped pipeline.

Candidates: ``lookup`` (spacy.blank + the lookup table of spacy-lookups-data on the lowercase
form, the former default), ``simplemma`` (context-free, if installed), ``lemminflect`` (if
installed) given the shipped pipeline's UPOS, the shipped pipeline with spaCy's rule lemmatiser
and its closed-class lemma table (``embedded``, the default; also shown without the table), and a
trained edit-tree lemmatiser when a training run's output with one is given with
``--edit-tree PATH`` (scripts/pipeline/edit-tree.cfg; not shipped).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from corpusflow import pipelines, tokenise
from corpusflow.config import default_config
from corpusflow.tokenise import load_pipeline, paragraph_spans, tokenise_text

REPO = Path(__file__).resolve().parents[1]
#: The tokenise stage's batch size, as the workflow runs it (the schema's default).
BATCH_SIZE = default_config()["tokenise"]["batch_size"]
CONTENT = {"NOUN", "PROPN", "VERB", "ADJ", "ADV"}


def read_conllu(path: Path) -> Iterator[list[tuple[str, str, str, str, bool]]]:
    """Sentences of (form, lemma, upos, xpos, space_after); multiword ranges and empty nodes
    are skipped (their parts are the tokens)."""
    sentence: list[tuple[str, str, str, str, bool]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line:
            if sentence:
                yield sentence
            sentence = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue
            sentence.append((cols[1], cols[2], cols[3], cols[4], "SpaceAfter=No" not in cols[9]))
    if sentence:
        yield sentence


def score(gold, predicted) -> dict[str, float]:
    """Accuracies over the alphabetic gold tokens; ``predicted`` is [(lemma, upos, tag)]."""
    counts = dict.fromkeys(["n", "lemma", "content", "content_ok", "pos", "tag"], 0)
    for (form, lemma, upos, xpos, _), (p_lemma, p_pos, p_tag) in zip(gold, predicted, strict=True):
        if not form.isalpha():
            continue
        ok = p_lemma.lower() == lemma.lower()
        counts["n"] += 1
        counts["lemma"] += ok
        counts["content"] += upos in CONTENT
        counts["content_ok"] += ok and upos in CONTENT
        counts["pos"] += p_pos == upos
        counts["tag"] += p_tag == xpos
    n = counts["n"]
    return {
        "tokens": n,
        "lemma": counts["lemma"] / n,
        "content": counts["content_ok"] / counts["content"],
        "pos": counts["pos"] / n,
        "tag": counts["tag"] / n,
    }


def spacy_predictions(nlp: Language, sentences) -> list[tuple[str, str, str]]:
    """Run ``nlp`` over the gold tokens (no tokenizer) and return (lemma, pos, tag)."""
    docs = (Doc(nlp.vocab, words=[t[0] for t in s], spaces=[t[4] for t in s]) for s in sentences)
    predicted = []
    for doc in nlp.pipe(docs, batch_size=BATCH_SIZE):
        predicted.extend((t.lemma_ or t.text, t.pos_, t.tag_) for t in doc)
    return predicted


def lookup_predictions(nlp: Language, sentences) -> list[tuple[str, str, str]]:
    """The former default: the lookup table applied to the lowercase form."""
    table = tokenise._lemma_lookup_table(nlp)
    return [(table.get(t[0].lower(), t[0].lower()), "", "") for s in sentences for t in s]


def without_closed_class_table() -> Language:
    """The shipped pipeline with spaCy's own English lemma exceptions only (no closed-class
    lemmas from the UD train split, see scripts/build_embedded_pipeline.py)."""
    nlp = load_pipeline(pipelines.EMBEDDED)
    exceptions = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_exc")
    for pos in ("adp", "aux", "cconj", "det", "part", "pron", "sconj"):
        exceptions[pos] = {}
    return nlp


def function_predictions(lemmatise: Callable[[str, str], str], tagged) -> list:
    return [(lemmatise(form, pos), pos, tag) for form, pos, tag in tagged]


def best_of(function, repeats=3) -> tuple[float, float, object]:
    """Best wall time and best CPU time (this process, all threads) of ``repeats`` calls."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def speed(nlp: Language, text: str) -> dict[str, float]:
    """Tokens/s (wall and CPU) of bare nlp.pipe over the paragraphs of ``text`` and of the
    tokenise stage on ``text``."""
    paragraphs = [text[start:end] for start, end in paragraph_spans(text)]
    list(nlp.pipe(paragraphs[:50]))  # warm up
    bare_wall, bare_cpu, bare_tokens = best_of(
        lambda: sum(len(doc) for doc in nlp.pipe(paragraphs, batch_size=BATCH_SIZE))
    )
    stage_wall, stage_cpu, stage_tokens = best_of(
        lambda: len(tokenise_text(text, "bench", nlp, batch_size=BATCH_SIZE))
    )
    return {
        "bare_wall": bare_tokens / bare_wall,
        "bare_cpu": bare_tokens / bare_cpu,
        "stage_wall": stage_tokens / stage_wall,
        "stage_cpu": stage_tokens / stage_cpu,
    }


def tree_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ud", nargs="?", type=Path, help="local UD_English-EWT folder")
    parser.add_argument(
        "--edit-tree",
        type=Path,
        help="a trained spaCy pipeline folder whose "
        "trainable_lemmatizer to measure as an extra candidate",
    )
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measurements")
    args = parser.parse_args(argv)

    shipped = pipelines.embedded_pipeline_path()
    print(
        f"shipped pipeline: {shipped.relative_to(REPO / 'src')} "
        f"({tree_size(shipped) / 1e6:.1f} MB on disk)"
    )
    candidates: dict[str, Language] = {
        "lookup": load_pipeline(pipelines.LOOKUP),
        "embedded": load_pipeline(pipelines.EMBEDDED),
    }
    if args.edit_tree is not None:
        import spacy

        candidates["edit-tree"] = spacy.load(args.edit_tree)
        candidates["edit-tree"].add_pipe("sentencizer", first=True)

    test = args.ud / "en_ewt-ud-test.conllu" if args.ud else None
    if test is None or not test.exists():
        print(
            f"UD test set not found ({test}); skipping accuracy. Give the path of a local "
            "UD_English-EWT folder as the argument."
        )
    else:
        sentences = list(read_conllu(test))
        gold = [t for s in sentences for t in s]
        results = {}
        for name, nlp in candidates.items():
            if name == "lookup":
                results[name] = score(gold, lookup_predictions(nlp, sentences))
            else:
                results[name] = score(gold, spacy_predictions(nlp, sentences))
            if name == "embedded":
                results["embedded, no closed-class table"] = score(
                    gold, spacy_predictions(without_closed_class_table(), sentences)
                )
        tagged = [
            (g[0], p[1], p[2])
            for g, p in zip(gold, spacy_predictions(candidates["embedded"], sentences), strict=True)
        ]
        try:
            import simplemma

            results["simplemma"] = score(
                gold, [(simplemma.lemmatize(g[0], lang="en"), "", "") for g in gold]
            )
        except ImportError:
            print("simplemma not installed: skipped")
        try:
            import lemminflect

            open_classes = {"NOUN", "PROPN", "VERB", "AUX", "ADJ", "ADV"}

            def lemminflect_lemma(form: str, pos: str) -> str:
                lemmas = lemminflect.getLemma(form, upos=pos) if pos in open_classes else ()
                return lemmas[0] if lemmas else form

            results["lemminflect+tagger"] = score(
                gold, function_predictions(lemminflect_lemma, tagged)
            )
        except ImportError:
            print("lemminflect not installed: skipped")
        print(
            f"\nUD English EWT test set, {results['lookup']['tokens']:,} alphabetic tokens "
            "(gold tokenisation; lemmas compared in lowercase)"
        )
        print(f"{'candidate':<32} {'lemma':>7} {'content':>8} {'UPOS':>7} {'tag':>7}")
        for name, r in results.items():
            pos = f"{r['pos']:.1%}" if r["pos"] else "-"
            tag = f"{r['tag']:.1%}" if r["tag"] else "-"
            print(f"{name:<32} {r['lemma']:>7.1%} {r['content']:>8.1%} {pos:>7} {tag:>7}")

    if not args.no_speed:
        text = "\n".join(
            p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").glob("*.txt"))
        )
        print("\nreal corpus (corpus/*.txt), tokens/s, best of 3; CPU = per CPU-second")
        print(
            f"{'pipeline':<12} {'bare wall':>10} {'stage wall':>11} {'ratio':>6}"
            f" {'bare CPU':>10} {'stage CPU':>10} {'ratio':>6}"
        )
        for name, nlp in candidates.items():
            r = speed(nlp, text)
            print(
                f"{name:<12} {r['bare_wall']:>10,.0f} {r['stage_wall']:>11,.0f}"
                f" {r['stage_wall'] / r['bare_wall']:>5.2f}x {r['bare_cpu']:>10,.0f}"
                f" {r['stage_cpu']:>10,.0f} {r['stage_cpu'] / r['bare_cpu']:>5.2f}x"
            )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
