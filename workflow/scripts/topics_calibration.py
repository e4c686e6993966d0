"""Rule topics_calibration: how often the K rule claims topic structure on shuffled-words
corpora built from the analysed texts (corpusflow.topics.run.calibration)."""

import logging

from corpusflow.io import write_csv
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.topics.run.calibration import calibration
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    logging.getLogger("gensim").setLevel(logging.WARNING)
    settings = from_config(TopicsSettings, snakemake.config, "topics")
    table = calibration(snakemake.input, settings)
    write_csv(table, snakemake.output.table)
    log.info("calibration of the K rule:\n%s", table.to_string())
