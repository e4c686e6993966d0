"""Rule report_tables: the first rows of each results table as an HTML page for the report."""

from corpusflow import io
from corpusflow.report_tables import table_page
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    for table, page in zip(snakemake.input.tables, snakemake.output.pages, strict=True):
        frame = io.read_csv(table)
        io.write_text(table_page(frame, source=table, max_rows=snakemake.params.max_rows), page)
        log.info("%s: %d rows", table, len(frame))
