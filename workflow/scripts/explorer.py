"""Rule explorer: the offline explorer page (corpusflow.explorer)."""

from corpusflow import io
from corpusflow.explorer.settings import ExplorerSettings
from corpusflow.explorer.stage import run
from corpusflow.runlog import logged
from corpusflow.settings import from_params
from corpusflow.shards import ShardFiles

with logged(snakemake.log[0]) as log:
    settings = from_params(ExplorerSettings, snakemake.params.settings)
    # the per-document files of params.files in place of the shard records that list them
    inputs = ShardFiles(snakemake.input, snakemake.params.files)
    page = run(inputs, settings, groups=snakemake.config["groups"])
    io.write_lines(page.parts, snakemake.output.page)  # the data's JSON streamed
    log.info(page.summary)
