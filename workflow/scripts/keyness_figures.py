"""Rule keyness_figures: Fightin'-words plot and keyword bar chart (corpusflow.keyness.figures)."""

from corpusflow import io
from corpusflow.keyness.figures import (
    FigureSides,
    fightin_words_figure,
    keyword_bars_figure,
    side_colours,
)
from corpusflow.keyness.sides import side_names
from corpusflow.keyness.tables import read_keyness_table
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    table = read_keyness_table(snakemake.input.table)
    top = read_keyness_table(snakemake.input.top)
    # Labels are free text: read from the config (the rule carries their checksum).
    groups, section = snakemake.config["groups"], snakemake.config["keyness"]
    names = side_names(groups, section["target"], section["reference"])
    colours = side_colours(list(groups), section["target"], section["reference"])
    sides = FigureSides(
        names["target"],
        names["reference"],
        colours["target"],
        colours["reference"],
        snakemake.params.top_q,
    )
    figure = fightin_words_figure(
        table,
        sides=sides,
        alpha_0=snakemake.params.alpha_0,
        labels_per_side=snakemake.params.labels_per_side,
        max_q=snakemake.params.max_q,
    )
    io.write_figure(figure, snakemake.output.fightin_words)
    io.write_figure(keyword_bars_figure(top, sides=sides), snakemake.output.bars)
    log.info("figures of %d terms, %d top keywords", len(table), len(top))
