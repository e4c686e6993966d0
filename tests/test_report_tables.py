"""The report stage's run(): one page per results table, as many rows as the settings say."""

import dataclasses

import pandas as pd

from corpusflow.report.settings import ReportSettings
from corpusflow.report.tables import run
from corpusflow.settings import from_config
from tests.defaults import DEFAULTS


def test_run_shows_the_configured_rows_of_each_table_one_at_a_time():
    settings = dataclasses.replace(from_config(ReportSettings, DEFAULTS, "report"), table_rows=2)
    read = []

    def tables():
        for name, rows in (("long.csv", 3), ("short.csv", 1)):
            read.append(name)
            yield name, pd.DataFrame({"term": [f"word{n}" for n in range(rows)]})

    pages = run(tables(), settings)
    page, rows = next(pages)
    assert read == ["long.csv"]  # the next table is read only when its page is asked for
    assert rows == 3 and "The first 2 of 3 rows" in page
    assert "word1" in page and "word2" not in page
    page, rows = next(pages)
    assert rows == 1 and "All 1 rows" in page
