"""Rule keyness: keyword contrast tables, sensitivity table and concordance (corpusflow.keyness)."""

from corpusflow import io
from corpusflow.keyness.tables import run_keyness
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    result = run_keyness(
        io.read_parquets(snakemake.input.tokens),
        io.read_parquets(snakemake.input.segments),
        io.read_texts(snakemake.input.texts),
        target_docs=snakemake.params.target_docs,
        reference_docs=snakemake.params.reference_docs,
        **snakemake.params.settings,
    )
    io.write_csv(result["table"], snakemake.output.table)
    io.write_csv(result["top"], snakemake.output.top)
    io.write_csv(result["sensitivity"], snakemake.output.sensitivity)
    io.write_csv(result["kwic"], snakemake.output.kwic)
    io.write_json(result["record"], snakemake.output.record)
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
