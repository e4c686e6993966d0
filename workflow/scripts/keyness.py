"""Rule keyness: keyword contrast tables and concordance (corpusflow.keyness)."""

from corpusflow.keyness import run_keyness
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    record = run_keyness(
        tokens_paths=snakemake.input.tokens,
        segments_paths=snakemake.input.segments,
        text_paths=snakemake.input.texts,
        target_docs=snakemake.params.target_docs,
        reference_docs=snakemake.params.reference_docs,
        table_path=snakemake.output.table,
        top_path=snakemake.output.top,
        kwic_path=snakemake.output.kwic,
        record_path=snakemake.output.record,
        **snakemake.params.settings,
    )
    log.info(
        "%d terms tested (N_target=%d, N_reference=%d); top terms %s; %d KWIC lines",
        record["terms_tested"],
        record["total_target"],
        record["total_reference"],
        record["top_terms"],
        record["kwic_lines"],
    )
