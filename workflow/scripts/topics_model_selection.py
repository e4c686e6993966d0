"""Rule topics_model_selection: the sweep's measures per (K, seed) and their figure."""

from corpusflow.io import write_csv
from corpusflow.plotting import save_figure
from corpusflow.runlog import logged
from corpusflow.topics import model_selection_table, plot_model_selection, read_runs, suggest_k

with logged(snakemake.log[0]) as log:
    table = model_selection_table(read_runs(snakemake.input.runs))
    write_csv(table, snakemake.output.table)
    save_figure(plot_model_selection(table, chosen_k=snakemake.params.k), snakemake.output.figures)
    means = table.groupby("k")[["stability", "coherence_npmi", "completion_loglik"]].mean()
    log.info("mean per K:\n%s", means.to_string())
    log.info(
        "configured K = %d; one-sd stability rule suggests K = %d",
        snakemake.params.k,
        suggest_k(table),
    )
