"""Rule calibration: every stage's calibration table in one (corpusflow.calibration)."""

from corpusflow import io
from corpusflow.calibration import combine
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    paths = [snakemake.input.keyness, *snakemake.input.extra]
    table = combine([(str(path), io.read_csv(path)) for path in paths])
    io.write_csv(table, snakemake.output.table)
    log.info("%d rows from %d tables", len(table), len(paths))
