"""Rule topics_figures: prevalence by group (dot and whisker) and topic flow along each text."""

import pandas as pd

from corpusflow.plotting import save_figure
from corpusflow.runlog import logged
from corpusflow.topics import plot_flow, plot_prevalence

with logged(snakemake.log[0]) as log:
    prevalence = pd.read_csv(snakemake.input.prevalence)
    segment_topics = pd.read_csv(snakemake.input.segments)
    save_figure(
        plot_prevalence(
            prevalence, group_labels=snakemake.params.group_labels, level=snakemake.params.level
        ),
        snakemake.output.prevalence,
    )
    save_figure(plot_flow(segment_topics), snakemake.output.flow)
    log.info("figures written for %d topics", prevalence["topic"].nunique())
