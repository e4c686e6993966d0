"""Rule keyness: keyword contrast tables, sensitivity table and concordance (corpusflow.keyness).

The token tables are read one document at a time, in batches (corpusflow.io.read_documents),
once per pass over the corpus: the stage keeps per-segment counts, never every token. Given 2
threads, the sensitivity table's reruns are made in a forked worker beside the default run."""

from corpusflow import io
from corpusflow.keyness.tables import run_keyness_by_document
from corpusflow.runlog import logged
from corpusflow.terms import PIECE_ROWS, counting_columns, token_pieces

with logged(snakemake.log[0]) as log:
    settings = snakemake.params.settings
    columns = counting_columns(unit=settings["unit"], pos=settings["pos"])
    result = run_keyness_by_document(
        lambda: token_pieces(
            io.read_documents(
                snakemake.params.files["tokens"],
                snakemake.params.files["segments"],
                columns,
                rows=PIECE_ROWS,
            )
        ),
        io.read_texts(snakemake.params.files["texts"]),
        target_docs=snakemake.params.target_docs,
        reference_docs=snakemake.params.reference_docs,
        processes=snakemake.threads,
        **settings,
    )
    io.write_csv(result["table"], snakemake.output.table)
    io.write_csv(result["top"], snakemake.output.top)
    io.write_csv(result["sensitivity"], snakemake.output.sensitivity)
    io.write_csv(result["kwic"], snakemake.output.kwic)
    io.write_json(result["record"], snakemake.output.record)
    io.write_json(result["phrase_model"], snakemake.output.phrase_model)
    record = result["record"]
    log.info(
        "%d terms tested (N_target=%d, N_reference=%d); significant %s; top terms %s; "
        "segment-test units %s; %d KWIC lines",
        record["terms_tested"],
        record["total_target"],
        record["total_reference"],
        record["significant"],
        record["top_terms"],
        record["segment_test_units"],
        record["kwic_lines"],
    )
