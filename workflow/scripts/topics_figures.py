"""Rule topics_figures: model selection, prevalence by group and topic flow."""

from corpusflow import io
from corpusflow.io import read_csv, read_json
from corpusflow.runlog import logged
from corpusflow.topics.figures import plot_flow, plot_model_selection, plot_prevalence

with logged(snakemake.log[0]) as log:
    groups = snakemake.config["groups"]  # labels are free text: read here, not from params
    choice = read_json(snakemake.input.choice)
    io.write_figure(
        plot_model_selection(read_csv(snakemake.input.selection, na_values=[""]), choice),
        snakemake.output.selection,
    )
    prevalence = read_csv(snakemake.input.prevalence)
    io.write_figure(
        plot_prevalence(
            prevalence, group_order=list(groups), group_labels=groups, level=snakemake.params.level
        ),
        snakemake.output.prevalence,
    )
    io.write_figure(
        plot_flow(
            read_csv(snakemake.input.segments),
            group_order=list(groups),
            group_labels=groups,
            max_panels=snakemake.params.flow_max_panels,
        ),
        snakemake.output.flow,
    )
    log.info("figures written for K = %d", choice["k"])
