"""Rule topics_prevalence."""

from __future__ import annotations

import pandas as pd

from corpusflow import io
from corpusflow.topics.settings import TopicsSettings


def prevalence(inputs, settings: TopicsSettings) -> pd.DataFrame:
    """Rule topics_prevalence: the final model's prevalence per group (interval, seeds' range)."""
    from dataclasses import asdict

    from corpusflow.topics.prevalence import prevalence_by_group

    return prevalence_by_group(
        io.read_csv(inputs.segments),
        io.read_parquet(inputs.posterior),
        **asdict(settings.bootstrap),
    )
