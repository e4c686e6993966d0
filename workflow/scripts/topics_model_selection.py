"""Rule topics_model_selection (a checkpoint): the sweep's measures per K and the K rule."""

from corpusflow.io import read_json, write_csv, write_json
from corpusflow.runlog import logged
from corpusflow.topics.stability import choose_k, mark_choice, selection_table

with logged(snakemake.log[0]) as log:
    records = [r for path in snakemake.input.sweep for r in read_json(path)["records"]]
    min_words = snakemake.params.min_heldout_words
    table = selection_table(records, min_heldout_words=min_words)
    choice = choose_k(table, snakemake.params.k)
    write_csv(mark_choice(table, choice), snakemake.output.table)
    write_json(choice, snakemake.output.choice)
    for row in table[table["heldout_words"] < min_words].itertuples():
        log.warning(
            "K=%d: only %d held-out words were scored (topics.perturbation.min_heldout_words "
            "= %d); held-out values left empty",
            row.k,
            row.heldout_words,
            min_words,
        )
    log.info("per K:\n%s", table.to_string())
    log.info("choice: %s", choice)
