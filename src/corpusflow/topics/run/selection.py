"""Rule topics_model_selection: the K rule over the sweep's records."""

from __future__ import annotations

import pandas as pd

from corpusflow import io
from corpusflow.topics.run.inputs import joined_records
from corpusflow.topics.settings import TopicsSettings


def model_selection(inputs, settings: TopicsSettings) -> tuple[pd.DataFrame, dict]:
    """Rule topics_model_selection: the marked model-selection table and the K rule's choice."""
    from corpusflow.topics.stability import choose_k, mark_choice, selection_table

    # the completed records replace the pilots' (Snakemake leaves out an empty named input)
    paths = [*inputs.sweep, *getattr(inputs, "extra", [])]
    records = joined_records([io.read_json(path)["records"] for path in paths])
    min_words = settings.perturbation.min_heldout_words
    table = selection_table(records, min_heldout_words=min_words, level=settings.null.level)
    choice = choose_k(table, settings.k)
    return mark_choice(table, choice), choice
