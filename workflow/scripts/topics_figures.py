"""Rule topics_figures: model selection, prevalence by group and topic flow
(corpusflow.topics.run.figures)."""

from corpusflow import io
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.topics.run.figures import figures
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    settings = from_config(TopicsSettings, snakemake.config, "topics")
    groups = snakemake.config["groups"]  # labels are free text: read here, not from params
    for name, figure in figures(snakemake.input, settings, groups=groups).items():
        io.write_figure(figure, getattr(snakemake.output, name))
    log.info("figures written")
