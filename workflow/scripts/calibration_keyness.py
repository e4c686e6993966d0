"""Rule calibration_keyness: false-positive rates of the keyness tests on null corpora built
from the analysed texts, and the test keyness_top.csv uses (corpusflow.keyness.calibration)."""

from corpusflow import io
from corpusflow.keyness.calibration import run
from corpusflow.keyness.counting import Inputs, document_pieces
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.runlog import logged
from corpusflow.settings import from_params

with logged(snakemake.log[0]) as log:
    settings = from_params(KeynessSettings, snakemake.params.settings)
    files = snakemake.params.files  # per-document files, listed by the shard records in input
    inputs = Inputs(
        pieces=document_pieces(files["tokens"], files["segments"], settings),
        texts={},
        target_docs=snakemake.params.target_docs,
        reference_docs=snakemake.params.reference_docs,
    )
    table, choice = run(inputs, settings)
    io.write_csv(table, snakemake.output.table)
    io.write_json(choice, snakemake.output.choice)
    log.info("%d rows; test used: %s", len(table), choice["why"])
