"""Rule keyness_figures: Fightin'-words plot and keyword bar chart (corpusflow.keyness_figures)."""

from corpusflow.keyness import read_keyness_table
from corpusflow.keyness_figures import fightin_words_figure, keyword_bars_figure
from corpusflow.plotting import save_figure
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    table = read_keyness_table(snakemake.input.table)
    top = read_keyness_table(snakemake.input.top)
    names = {
        "target_name": snakemake.params.target_name,
        "reference_name": snakemake.params.reference_name,
    }
    figure = fightin_words_figure(
        table,
        top,
        alpha_0=snakemake.params.alpha_0,
        labels_per_side=snakemake.params.labels_per_side,
        **names,
    )
    save_figure(figure, snakemake.output.fightin_words)
    save_figure(keyword_bars_figure(top, **names), snakemake.output.bars)
    log.info("figures of %d terms, %d top keywords", len(table), len(top))
