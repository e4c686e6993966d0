"""The calibration table of the run (results/tables/calibration.csv): every stage's table of
false-positive rates on null corpora built from the analysed texts, one after the other.

Each stage writes its own table with :data:`COLUMNS` (keyness:
:mod:`corpusflow.keyness.calibration`); :func:`combine` checks and concatenates them.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from corpusflow.errors import InputError

#: The columns of every calibration table, in order.
COLUMNS = [
    "stage",
    "procedure",
    "null",
    "replicates",
    "nominal_level",
    "false_positive_rate",
    "mc_error",
    "holds",
]


def combine(tables: Sequence[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """The named tables (``(name, table)``, name for messages) concatenated in order; a table
    whose columns are not :data:`COLUMNS` is an InputError (CF506)."""
    for name, table in tables:
        if list(table.columns) != COLUMNS:
            raise InputError(
                "CF506",
                f"{name}: columns {list(table.columns)} are not the calibration columns "
                f"{COLUMNS}; write it as calibration_keyness.csv is written",
            )
    return pd.concat([table for _, table in tables], ignore_index=True)[COLUMNS]
