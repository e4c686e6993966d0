"""Wall time of the keyness stage on the real corpus and on a 10x corpus.

The 10x corpus replicates each analysed document's text, token and segment tables ten times
as separate documents (``<doc_id>-r00`` ... ``-r09``), so counting, dispersion (10x the
segments), KWIC (10x the lines) and the figures all see ten times the data. Tokens come from
``results/tokens`` and ``results/segments`` of a workflow run when present, otherwise from the
package's own tokenise and segment functions on the ingested text.

Run from the repository folder: ``python benchmarks/bench_keyness.py`` (config from
``config/config.yaml`` over the schema's defaults). Prints one line per corpus size, the best of
``--repeat`` runs: tokens read, counted units (after stopwords and multiword units), terms
tested, KWIC lines, and the wall time of the tables (what the rule's script does: read through
``corpusflow.io``, ``run_keyness`` with the Log Ratio bootstrap and the sensitivity reruns,
write) and of the figures. A second table gives the number of terms significant (q <= max_q)
under each test: G2 alone, the configured token-level test (G2, Fisher where sparse), Fisher
for all, the Wilcoxon-Mann-Whitney segment test and Lijffijt et al.'s bootstrap test (both on
units: segments, or documents for a side with at least ``document_min``; the 10x copies make
ten documents per side, identical copies: with no variation between documents every
difference is "significant" at the document level, so only the 1x counts say anything about
the tests). Learned multiword units differ between sizes (ten copies of a bigram
pass ``min_count`` more often), so the 10x corpus has fewer units than ten times the 1x corpus.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import tempfile
import time
from pathlib import Path

import yaml

from corpusflow import io
from corpusflow.config import SCHEMA_PATH, load_schema, validated
from corpusflow.ingest import ingest_document
from corpusflow.io import read_parquet, write_parquet
from corpusflow.keyness.counting import inputs_from_tables
from corpusflow.keyness.figures import (
    FigureSides,
    fightin_words_figure,
    keyword_bars_figure,
    side_colours,
)
from corpusflow.keyness.measures import benjamini_hochberg, fisher_p_value, g2_p_value
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.keyness.sides import side_documents
from corpusflow.keyness.stage import run
from corpusflow.keyness.tables import read_keyness_table
from corpusflow.manifest import read_manifest
from corpusflow.segment import make_segments
from corpusflow.settings import from_mapping
from corpusflow.tokenise import load_pipeline, tokenise_text


def stage(paths, folder: Path, target_docs, reference_docs, settings):
    """What the keyness rule's script does: read, run_keyness, write; returns the record."""
    inputs = inputs_from_tables(
        io.read_parquets(paths["tokens_paths"]),
        io.read_parquets(paths["segments_paths"]),
        io.read_texts(paths["text_paths"]),
        target_docs=target_docs,
        reference_docs=reference_docs,
    )
    result = run(inputs, settings)
    for name in ("table", "top", "sensitivity", "kwic"):
        io.write_csv(result[name], folder / f"{name}.csv")
    io.write_json(result["record"], folder / "keyness.json")
    return result


def significant_counts(table, bootstrap_table, max_q: float) -> dict[str, int]:
    """Terms with q <= max_q under each test."""
    a, b = table["count_target"], table["count_reference"]
    n_a, n_b = table["total_target"].iloc[0], table["total_reference"].iloc[0]
    return {
        "g2": int((benjamini_hochberg(g2_p_value(table["g2"])) <= max_q).sum()),
        "token": int((table["q"] <= max_q).sum()),
        "fisher_all": int((benjamini_hochberg(fisher_p_value(a, b, n_a, n_b)) <= max_q).sum()),
        "wmw": int((table["q_segment"] <= max_q).sum()),
        "bootstrap": int((bootstrap_table["q_segment"] <= max_q).sum()),
    }


def source_tables(manifest, doc_ids, results: Path, config: dict):
    """(text, tokens, segments) per analysed document, from a workflow run or built here."""
    tables, nlp = {}, None
    for doc_id in doc_ids:
        tokens_path = results / "tokens" / f"{doc_id}.parquet"
        segments_path = results / "segments" / f"{doc_id}.parquet"
        text_path = results / "ingest" / f"{doc_id}.txt"
        if tokens_path.exists() and segments_path.exists() and text_path.exists():
            text = text_path.read_text(encoding="utf-8")
            tables[doc_id] = (text, read_parquet(tokens_path), read_parquet(segments_path))
            continue
        row = manifest[doc_id]
        text = ingest_document(
            row["path"], encoding=row["encoding"], unicode_form=config["ingest"]["unicode_form"]
        ).text
        nlp = nlp or load_pipeline()
        tokens = tokenise_text(text, doc_id, nlp, batch_size=config["tokenise"]["batch_size"])
        tables[doc_id] = (
            text,
            tokens,
            make_segments(tokens, doc_id, target_tokens=config["segments"]["target_tokens"]),
        )
    return tables


def write_corpus(tables, folder: Path, copies: int):
    """Write ``copies`` replicas of every document; return paths and the replica ids per doc."""
    paths = {"tokens_paths": [], "segments_paths": [], "text_paths": []}
    replicas = {}
    for doc_id, (text, tokens, segments) in tables.items():
        for copy in range(copies):
            name = doc_id if copies == 1 else f"{doc_id}-r{copy:02d}"
            replicas.setdefault(doc_id, []).append(name)
            (folder / "texts").mkdir(parents=True, exist_ok=True)
            text_path = folder / "texts" / f"{name}.txt"
            text_path.write_text(text, encoding="utf-8")
            segments = segments.assign(
                doc_id=name, segment_id=segments["segment_id"].str.replace(doc_id, name)
            )
            write_parquet(tokens.assign(doc_id=name), folder / "tokens" / f"{name}.parquet")
            write_parquet(segments, folder / "segments" / f"{name}.parquet")
            paths["tokens_paths"].append(folder / "tokens" / f"{name}.parquet")
            paths["segments_paths"].append(folder / "segments" / f"{name}.parquet")
            paths["text_paths"].append(text_path)
    return paths, replicas


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="config/config.yaml")
    parser.add_argument("--results", default="results")
    parser.add_argument("--sizes", default="1,10", help="corpus multiples, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    config = yaml.safe_load(Path(args.config).read_text(encoding="utf-8"))
    config = validated(config, load_schema(SCHEMA_PATH), [args.config])
    section = config["keyness"]
    settings = from_mapping(KeynessSettings, {**section, "segment_test": "wmw"})
    manifest = read_manifest(config["manifest"])
    target_docs, reference_docs = side_documents(manifest, section["target"], section["reference"])
    tables = source_tables(manifest, target_docs + reference_docs, Path(args.results), config)
    groups = list(config.get("groups", {}))
    colours = side_colours(groups, section["target"], section["reference"])
    sides = {
        "sides": FigureSides(
            section["target"],
            section["reference"],
            colours["target"],
            colours["reference"],
            section["top_q"],
        )
    }

    print(
        f"bootstrap draws {section['bootstrap']['draws']}, segment test wmw (timed) and "
        f"bootstrap (counted), document_min {section['document_min']}"
    )
    print("size  tokens     units     terms  kwic_lines  tables_s  figures_s  total_s  units")
    counts = {}
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            paths, replicas = write_corpus(tables, folder, size)
            n_tokens = sum(len(tokens) for _, tokens, _ in tables.values()) * size
            target = [r for d in target_docs for r in replicas[d]]
            reference = [r for d in reference_docs for r in replicas[d]]
            best = None
            for _ in range(args.repeat):
                start = time.perf_counter()
                result = stage(paths, folder, target, reference, settings)
                middle = time.perf_counter()
                table = read_keyness_table(folder / "table.csv")
                top = read_keyness_table(folder / "top.csv")
                io.write_figure(
                    fightin_words_figure(
                        table,
                        alpha_0=section["alpha_0"],
                        labels_per_side=section["figure_labels"],
                        max_q=section["max_q"],
                        **sides,
                    ),
                    [folder / "fw.png", folder / "fw.svg"],
                )
                io.write_figure(
                    keyword_bars_figure(top, **sides), [folder / "b.png", folder / "b.svg"]
                )
                end = time.perf_counter()
                timing = (middle - start, end - middle)
                best = timing if best is None or sum(timing) < sum(best) else best
            record = result["record"]
            units = record["total_target"] + record["total_reference"]
            kinds = ",".join(
                f"{u['count']} {u['kind']}s" for u in record["segment_test_units"].values()
            )
            print(
                f"{size:>4}x {n_tokens:>9,} {units:>9,} {record['terms_tested']:>7,} "
                f"{record['kwic_lines']:>10,} {best[0]:>9.2f} {best[1]:>10.2f} {sum(best):>8.2f}"
                f"  {kinds}"
            )
            start = time.perf_counter()
            bootstrapped = stage(
                paths,
                folder,
                target,
                reference,
                dataclasses.replace(settings, segment_test="bootstrap"),
            )
            seconds = time.perf_counter() - start
            counts[size] = (
                significant_counts(result["table"], bootstrapped["table"], section["max_q"]),
                seconds,
            )
    print(f"\nterms with q <= {section['max_q']} under each test")
    print("size    g2  token  fisher_all   wmw  bootstrap  (tables_s with segment_test: bootstrap)")
    for size, (count, seconds) in counts.items():
        print(
            f"{size:>4}x {count['g2']:>5} {count['token']:>6} {count['fisher_all']:>11} "
            f"{count['wmw']:>5} {count['bootstrap']:>10}  ({seconds:.2f})"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
