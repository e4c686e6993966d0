"""Rule report_tables: the first rows of each results table as an HTML page for the report."""

from corpusflow import io
from corpusflow.report.settings import ReportSettings
from corpusflow.report.tables import run
from corpusflow.runlog import logged
from corpusflow.settings import from_params

with logged(snakemake.log[0]) as log:
    settings = from_params(ReportSettings, snakemake.params.settings)
    sources = snakemake.input.tables
    tables = ((table, io.read_csv(table)) for table in sources)
    for table, (page, rows), path in zip(
        sources, run(tables, settings), snakemake.output.pages, strict=True
    ):
        io.write_text(page, path)
        log.info("%s: %d rows", table, rows)
