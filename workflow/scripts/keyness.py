"""Rule keyness: keyword contrast tables, concordance and record (corpusflow.keyness.stage).

The token tables are read one document at a time, in batches (corpusflow.io.read_documents),
once per pass over the corpus; the test keyness_top.csv uses is chosen by calibration."""

from corpusflow import io
from corpusflow.keyness.counting import Inputs
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.keyness.stage import run
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
        texts=io.read_texts(snakemake.input.texts),
        target_docs=snakemake.params.target_docs,
        reference_docs=snakemake.params.reference_docs,
        calibration=io.read_csv(snakemake.input.calibration),
        processes=snakemake.threads,
    )
    result = run(inputs, settings)
    for name in ("table", "top", "sensitivity", "kwic"):
        io.write_csv(result[name], snakemake.output[name])
    io.write_json(result["record"], snakemake.output.record)
    io.write_json(result["phrase_model"], snakemake.output.phrase_model)
    log.info("design %(design)s, test %(test)s, top terms %(top_terms)s", result["record"])
