"""Rule topics_model_selection (a checkpoint): the sweep's measures per K and the K rule
against the shuffled-words null (corpusflow.topics.run.selection)."""

from corpusflow.io import write_csv, write_json
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.topics.run.selection import model_selection
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    settings = from_config(TopicsSettings, snakemake.config, "topics")
    table, choice = model_selection(snakemake.input, settings)
    write_csv(table, snakemake.output.table)
    write_json(choice, snakemake.output.choice)
    min_words = settings.perturbation.min_heldout_words
    for row in table[table["heldout_words"] < min_words].itertuples():
        log.warning(
            "K=%d: only %d held-out words were scored (topics.perturbation.min_heldout_words "
            "= %d); held-out values left empty",
            row.k,
            row.heldout_words,
            min_words,
        )
    log.info("per K:\n%s\nchoice: %s", table.to_string(), choice)
