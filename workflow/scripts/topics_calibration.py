"""Rule topics_calibration: how often the K rule claims topic structure on shuffled-words
corpora built from the analysed texts (corpusflow.topics.calibration)."""

import logging

import pandas as pd

from corpusflow.io import read_parquet, write_csv
from corpusflow.runlog import logged
from corpusflow.settings import from_params
from corpusflow.topics.calibration import COLUMNS, calibrate
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    logging.getLogger("gensim").setLevel(logging.WARNING)
    settings = from_params(TopicsSettings, snakemake.params.settings)
    texts = [list(t) for t in read_parquet(snakemake.input.documents)["terms"]]
    row = calibrate(texts, settings, snakemake.params.seeds, settings.fit)
    write_csv(pd.DataFrame([row], columns=COLUMNS), snakemake.output.table)
    log.info("calibration of the K rule: %s", row)
