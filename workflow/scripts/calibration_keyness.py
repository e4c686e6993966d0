"""Rule calibration_keyness: false-positive rates of the keyness tests on null corpora built
from the analysed texts (corpusflow.keyness.calibration)."""

from corpusflow import io
from corpusflow.keyness.calibration import run
from corpusflow.keyness.counting import Inputs
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.runlog import logged
from corpusflow.settings import from_params
from corpusflow.terms import PIECE_ROWS, counting_columns, token_pieces

with logged(snakemake.log[0]) as log:
    settings = from_params(KeynessSettings, snakemake.params.settings)
    columns = counting_columns(unit=settings.unit, pos=settings.pos)
    inputs = Inputs(
        pieces=lambda: token_pieces(
            io.read_documents(
                snakemake.input.tokens, snakemake.input.segments, columns, rows=PIECE_ROWS
            )
        ),
        texts={},
        target_docs=snakemake.params.target_docs,
        reference_docs=snakemake.params.reference_docs,
    )
    table = run(inputs, settings)
    io.write_csv(table, snakemake.output.table)
    log.info("%d rows, %d hold their level", len(table), int(table["holds"].sum()))
