"""Rule corpus_overview: the table and figure of documents, sizes and corrections."""

from corpusflow import io
from corpusflow.cleaning.stage import WORD_RULES, read_corrections_log
from corpusflow.manifest import read_manifest
from corpusflow.overview import corpus_overview, count_word_corrections, plot_overview
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    manifest = read_manifest(snakemake.config["manifest"])
    # Per-document counts only: the tokenise stage's metadata, the segment tables' ids.
    tokens = {io.doc_id_of(path): io.read_json(path) for path in snakemake.params.files["tokens"]}
    segments = {
        io.doc_id_of(path): len(io.read_parquet(path, columns=["segment_id"]))
        for path in snakemake.params.files["segments"]
    }
    corrections = {
        io.doc_id_of(path): count_word_corrections(read_corrections_log(path), WORD_RULES)
        for path in snakemake.params.files["corrections"]
    }
    overview = corpus_overview(manifest, tokens, segments, corrections)
    io.write_csv(overview, snakemake.output.table)
    io.write_figure(plot_overview(overview, snakemake.config["groups"]), snakemake.output.figure)
    log.info("overview of %d documents", len(overview))
