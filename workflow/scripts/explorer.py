"""Rule explorer: the offline explorer page (corpusflow.explorer)."""

from corpusflow import io
from corpusflow.explorer.settings import ExplorerSettings
from corpusflow.explorer.stage import run
from corpusflow.runlog import logged
from corpusflow.settings import from_params

with logged(snakemake.log[0]) as log:
    settings = from_params(ExplorerSettings, snakemake.params.settings)
    page = run(snakemake.input, settings, groups=snakemake.config["groups"])
    io.write_lines(page.parts, snakemake.output.page)  # the data's JSON streamed
    log.info(page.summary)
