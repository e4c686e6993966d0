"""Rule topics_calibration."""

from __future__ import annotations

import pandas as pd

from corpusflow.topics.run.inputs import seeds_of, texts
from corpusflow.topics.settings import TopicsSettings


def calibration(inputs, settings: TopicsSettings) -> pd.DataFrame:
    """Rule topics_calibration: the K rule's calibration row on shuffled-words corpora."""
    from corpusflow.calibration import COLUMNS
    from corpusflow.topics.calibration import calibrate

    row = calibrate(texts(inputs.documents), settings, seeds_of(settings))
    return pd.DataFrame([row], columns=COLUMNS)
