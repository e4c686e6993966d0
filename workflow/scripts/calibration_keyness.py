"""Rule calibration_keyness: false-positive rates of the keyness tests on null corpora built
from the analysed texts' merged counts, and the test keyness_top.csv uses
(corpusflow.keyness.calibration)."""

from corpusflow import io
from corpusflow.keyness.calibration import run
from corpusflow.keyness.counting import merged_counts
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.runlog import logged
from corpusflow.settings import from_params

with logged(snakemake.log[0]) as log:
    settings = from_params(KeynessSettings, snakemake.params.settings)
    (counts,) = merged_counts(snakemake.input.counts, ["default"]).values()
    sides = {
        "target": list(snakemake.params.target_docs),
        "reference": list(snakemake.params.reference_docs),
    }
    table, choice = run(counts, sides, settings)
    io.write_csv(table, snakemake.output.table)
    io.write_json(choice, snakemake.output.choice)
    log.info("%d rows; test used: %s", len(table), choice["why"])
