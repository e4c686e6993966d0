"""Rule keyness: keyword tables, concordance and record (corpusflow.keyness.stage.run); the
token tables are read one document at a time, once per pass over the corpus."""

from corpusflow import io
from corpusflow.keyness.counting import Inputs, document_pieces
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.keyness.stage import run
from corpusflow.runlog import logged
from corpusflow.settings import from_params

with logged(snakemake.log[0]) as log:
    settings = from_params(KeynessSettings, snakemake.params.settings)
    files = snakemake.params.files  # per-document files, listed by the shard records in input
    inputs = Inputs(
        pieces=document_pieces(files["tokens"], files["segments"], settings),
        texts=io.read_texts(files["texts"]),
        target_docs=snakemake.params.target_docs,
        reference_docs=snakemake.params.reference_docs,
        choice=io.read_json(snakemake.input.choice),
        processes=snakemake.threads,
    )
    result = run(inputs, settings)
    for name in ("table", "top", "sensitivity", "kwic"):
        io.write_csv(result[name], snakemake.output[name])
    io.write_json(result["record"], snakemake.output.record)
    io.write_json(result["phrase_model"], snakemake.output.phrase_model)
    log.info("design %(design)s, test %(test)s, top terms %(top_terms)s", result["record"])
