"""Deterministic reading and writing of the pipeline's tables.

Every table the workflow writes goes through :func:`write_csv` or :func:`write_parquet`, so that
the same data always gives the same bytes: fixed column order, rows sorted by the caller,
``\\n`` line endings, and floats printed with a fixed number of significant digits.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FLOAT_FORMAT = "%.10g"


def write_csv(frame: pd.DataFrame, path: str | Path, *, sep: str = ",") -> None:
    """Write ``frame`` as UTF-8 CSV (or TSV with ``sep="\\t"``) with stable float formatting."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, sep=sep, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


def write_tsv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` as a tab-separated table (see :func:`write_csv`)."""
    write_csv(frame, path, sep="\t")


def write_parquet(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` as Parquet without pandas' index metadata, byte-stable across runs."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata(None)
    pq.write_table(table, path, compression="zstd", write_statistics=False)


def read_parquet(path: str | Path) -> pd.DataFrame:
    """Read a table written by :func:`write_parquet`."""
    return pq.read_table(path).to_pandas()
