"""Wall time of the keyness stage on the real corpus and on a 10x corpus.

The 10x corpus replicates each analysed document's text, token and segment tables ten times
as separate documents (``<doc_id>-r00`` ... ``-r09``), so counting, dispersion (10x the
segments), KWIC (10x the lines) and the figures all see ten times the data. Tokens come from
``results/tokens`` and ``results/segments`` of a workflow run when present, otherwise from the
package's own tokenise and segment functions on the ingested text.

Run from the repository folder: ``python benchmarks/bench_keyness.py`` (config from
``config/config.yaml``). Prints one line per corpus size, the best of ``--repeat`` runs:
tokens read, counted units (after stopwords and multiword units), terms tested, KWIC lines,
and the wall time of the tables (``run_keyness``: read, count, measure, write) and figures.
Learned multiword units differ between sizes (ten copies of a bigram pass ``min_count`` more
often), so the 10x corpus has fewer units than ten times the 1x corpus.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import yaml

from corpusflow.ingest import ingest_document
from corpusflow.keyness import read_keyness_table, run_keyness, side_documents
from corpusflow.keyness_figures import fightin_words_figure, keyword_bars_figure
from corpusflow.manifest import read_manifest
from corpusflow.plotting import save_figure
from corpusflow.segment import make_segments
from corpusflow.io import read_parquet, write_parquet
from corpusflow.tokenise import load_pipeline, tokenise_text

FIGURE_KEYS = ("figure_labels",)


def source_tables(manifest, doc_ids, results: Path):
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
        row = manifest.loc[doc_id]
        text = ingest_document(row["path"], encoding=row["encoding"]).text
        nlp = nlp or load_pipeline()
        tokens = tokenise_text(text, doc_id, nlp)
        tables[doc_id] = (text, tokens, make_segments(tokens, doc_id))
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
    section = config["keyness"]
    settings = {k: v for k, v in section.items() if k not in ("target", "reference", *FIGURE_KEYS)}
    manifest = read_manifest(config["manifest"])
    target_docs, reference_docs = side_documents(manifest, section["target"], section["reference"])
    tables = source_tables(manifest, target_docs + reference_docs, Path(args.results))

    print("size  tokens     units     terms  kwic_lines  tables_s  figures_s  total_s")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            paths, replicas = write_corpus(tables, folder, size)
            n_tokens = sum(len(tokens) for _, tokens, _ in tables.values()) * size
            best = None
            for _ in range(args.repeat):
                start = time.perf_counter()
                record = run_keyness(
                    **paths,
                    target_docs=[r for d in target_docs for r in replicas[d]],
                    reference_docs=[r for d in reference_docs for r in replicas[d]],
                    table_path=folder / "keyness.csv",
                    top_path=folder / "keyness_top.csv",
                    kwic_path=folder / "kwic.csv",
                    record_path=folder / "keyness.json",
                    **settings,
                )
                middle = time.perf_counter()
                table = read_keyness_table(folder / "keyness.csv")
                top = read_keyness_table(folder / "keyness_top.csv")
                names = {"target_name": section["target"], "reference_name": section["reference"]}
                save_figure(
                    fightin_words_figure(
                        table,
                        top,
                        alpha_0=section["alpha_0"],
                        labels_per_side=section["figure_labels"],
                        **names,
                    ),
                    [folder / "fw.png", folder / "fw.svg"],
                )
                save_figure(keyword_bars_figure(top, **names), [folder / "b.png", folder / "b.svg"])
                end = time.perf_counter()
                timing = (middle - start, end - middle)
                best = timing if best is None or sum(timing) < sum(best) else best
            units = record["total_target"] + record["total_reference"]
            print(
                f"{size:>4}x {n_tokens:>9,} {units:>9,} {record['terms_tested']:>7,} "
                f"{record['kwic_lines']:>10,} {best[0]:>9.2f} {best[1]:>10.2f} {sum(best):>8.2f}"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
