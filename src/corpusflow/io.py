"""The one place where the package reads and writes files.

Scripts under ``workflow/scripts`` read ``snakemake.*``, load their inputs with these functions,
call package functions that take and return data, and write the results with these functions.
Everything written here is deterministic: the same data always gives the same bytes (fixed
column order, rows sorted by the caller, ``\\n`` line endings, floats with a fixed number of
significant digits, JSON with sorted keys and two-space indentation).

pandas and pyarrow are imported inside the functions that use them: the workflow imports this
module when it is parsed, on every Snakemake call (a dry run, a no-op rerun), and those two
imports alone would add about 0.4 s to each.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import yaml

if TYPE_CHECKING:
    import pandas as pd

FLOAT_FORMAT = "%.10g"


def _parent(path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def doc_id_of(path: str | Path) -> str:
    """The doc_id of a per-document file (``results/<stage>/<doc_id>.<ext>``)."""
    return Path(path).name.split(".", 1)[0]


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text written by the pipeline (never a raw input: see corpusflow.ingest)."""
    return Path(path).read_text(encoding="utf-8")


def read_texts(paths: Iterable[str | Path]) -> dict[str, str]:
    """Per-document texts keyed by doc_id (see :func:`doc_id_of`)."""
    return {doc_id_of(path): read_text(path) for path in paths}


def write_text(text: str, path: str | Path) -> None:
    """Write ``text`` as UTF-8 with ``\\n`` line endings."""
    with _parent(path).open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def write_lines(lines: Iterable[str], path: str | Path) -> None:
    """Write ``lines`` (each with its own ``\\n``) as UTF-8 as they come, never all at once."""
    with _parent(path).open("w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(lines)


def read_json(path: str | Path) -> Any:
    return json.loads(read_text(path))


def write_json(data: Any, path: str | Path) -> None:
    """Write ``data`` as JSON: sorted keys, two-space indent, UTF-8, a final newline."""
    write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", path)


def open_bytes(path: str | Path) -> BinaryIO:
    """Open a raw input for streaming; ``corpusflow.ingest`` reads and checks it chunk by
    chunk (a raw input is never written: every writer here takes an output path)."""
    return Path(path).open("rb")


def sha256_file(path: str | Path) -> str:
    """The sha256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_package_text(package: str, name: str) -> str:
    """A UTF-8 data file shipped inside an installed package (e.g. symspellpy's word lists)."""
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


#: Matplotlib stamps its version and the date into PNG/PDF metadata; these values turn it off.
FIGURE_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Producer": None, "Creator": None},
}


def write_figure(fig: Any, paths: Iterable[str | Path]) -> None:
    """Save a matplotlib figure to each path (format from the suffix) and close it.

    No volatile metadata and a fixed SVG id salt, so reruns give identical bytes.
    """
    import matplotlib.pyplot as plt  # a figure exists, so matplotlib is already loaded

    for path in map(Path, paths):
        fmt = path.suffix.lstrip(".").lower()
        if fmt not in FIGURE_METADATA:
            raise ValueError(f"{path}: unsupported figure format {fmt!r}; use png, svg or pdf")
        with plt.rc_context({"svg.hashsalt": "corpusflow"}):
            fig.savefig(
                _parent(path), format=fmt, metadata=FIGURE_METADATA[fmt], bbox_inches="tight"
            )
    plt.close(fig)


def read_bytes(path: str | Path) -> bytes:
    return Path(path).read_bytes()


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file (a config, a schema) with libyaml's fast safe loader when installed."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with Path(path).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # noqa: S506 (a safe loader)


def read_tsv_rows(
    path: str | Path, *, skip_comments: bool = False, quoted: bool = True
) -> list[tuple[int, list[str]]]:
    """``(line number, fields)`` of every line of a hand-edited TSV (a manifest, a curated
    table), 1-based, for messages that point at a line. ``skip_comments`` drops lines starting
    with ``#``; ``quoted=False`` reads ``"`` as an ordinary character."""
    quoting = csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE
    rows, start = [], 1
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=quoting)
        for row in reader:
            if not (skip_comments and row and row[0].startswith("#")):
                rows.append((start, row))
            start = reader.line_num + 1  # a quoted field may span lines
    return rows


def read_csv(path: str | Path, *, sep: str = ",", **kwargs) -> pd.DataFrame:
    """Read a table written by :func:`write_csv`; empty cells stay empty strings."""
    import pandas as pd

    return pd.read_csv(path, sep=sep, keep_default_na=False, **kwargs)


def read_tsv(path: str | Path, **kwargs) -> pd.DataFrame:
    return read_csv(path, sep="\t", **kwargs)


def write_csv(frame: pd.DataFrame, path: str | Path, *, sep: str = ",") -> None:
    """Write ``frame`` as UTF-8 CSV (or TSV with ``sep="\\t"``) with stable float formatting."""
    frame.to_csv(
        _parent(path), sep=sep, index=False, float_format=FLOAT_FORMAT, lineterminator="\n"
    )


def write_tsv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` as a tab-separated table (see :func:`write_csv`)."""
    write_csv(frame, path, sep="\t")


def write_parquet(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` as Parquet without pandas' index metadata, byte-stable across runs."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata(None)
    pq.write_table(table, _parent(path), compression="zstd", write_statistics=False)


def write_parquet_chunks(frames: Iterable[pd.DataFrame], path: str | Path) -> None:
    """Write consecutive pieces of one table as row groups of one Parquet file, as they come
    (memory holds one piece). Reads back like :func:`write_parquet` of the whole table; a
    single piece gives the same bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    try:
        for frame in frames:
            table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
            if writer is None:
                schema = table.schema
                writer = pq.ParquetWriter(
                    _parent(path), schema, compression="zstd", write_statistics=False
                )
            writer.write_table(table.cast(schema))
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        raise ValueError(f"{path}: no table to write")


def read_parquet(path: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a table written by :func:`write_parquet` (only ``columns`` if given)."""
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=columns).to_pandas()


def read_parquet_batches(
    path: str | Path, columns: list[str] | None = None, *, rows: int = 1 << 18
) -> Iterator[pd.DataFrame]:
    """A table written by :func:`write_parquet` as consecutive frames of at most ``rows`` rows,
    so that a reader of a very large table holds one piece at a time."""
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(path).iter_batches(batch_size=rows, columns=columns):
        yield batch.to_pandas()


def read_documents(
    tokens: Iterable[str | Path],
    segments: Iterable[str | Path],
    columns: list[str] | None = None,
    *,
    rows: int = 1 << 18,
) -> Iterator[tuple[pd.DataFrame, Iterator[pd.DataFrame]]]:
    """Per-document token tables one document at a time, in doc_id order: for each document
    its segment table and its token table as batches of at most ``rows`` rows (only
    ``columns``; see :func:`read_parquet_batches`). Tokens and segments are paired by doc_id
    (:func:`doc_id_of`); a document missing from either list is a ``ValueError``. A stage that
    aggregates the corpus this way holds one batch at a time, never every token table."""
    token_paths = {doc_id_of(path): path for path in tokens}
    segment_paths = {doc_id_of(path): path for path in segments}
    if set(token_paths) != set(segment_paths):
        unpaired = sorted(set(token_paths) ^ set(segment_paths))
        raise ValueError(f"documents without both a token and a segment table: {unpaired}")
    for doc_id in sorted(token_paths):
        yield (
            read_parquet(segment_paths[doc_id]),
            read_parquet_batches(token_paths[doc_id], columns, rows=rows),
        )


def read_parquets(paths: Iterable[str | Path], columns: list[str] | None = None) -> pd.DataFrame:
    """Read per-document tables and stack them in the order of ``paths``."""
    import pandas as pd

    frames = [read_parquet(path, columns) for path in paths]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def save_lda(model: Any, path: str | Path) -> None:
    """Save a gensim ``LdaModel`` (``path`` plus companion files), byte-identical run to run.

    gensim records a wall-clock "lifecycle event" in every object it creates or saves; those
    records are switched off first. ``ignore=()`` keeps gensim's fixed list of attributes left
    out of the pickle: any other value is passed through a ``set``, whose order (and so the
    file's bytes) changes with Python's string-hash seed.
    """
    for obj in (model, model.state, model.id2word):
        obj.lifecycle_events = None
    model.save(str(_parent(path)), ignore=())


def load_lda(path: str | Path) -> Any:
    """Load a model written by :func:`save_lda`."""
    from gensim.models import LdaModel

    return LdaModel.load(str(path))


def read_topic_labels(path: str | Path) -> pd.DataFrame:
    """Read a topic labels file: TSV with columns ``terms`` (space-separated) and ``label``."""
    import pandas as pd

    from corpusflow.errors import ConfigError, InputError

    path = Path(path)
    if not path.is_file():
        raise ConfigError(
            "CF102", f"topics.labels_file: {path} does not exist; fix the path or set ''"
        )
    table = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, comment="#")
    missing = {"terms", "label"} - set(table.columns)
    if missing:
        raise InputError(
            "CF604", f"{path}: missing column(s) {sorted(missing)}; need 'terms' and 'label'"
        )
    for line, row in enumerate(table.itertuples(), start=2):
        if not row.terms.split() or not row.label.strip():
            raise InputError(
                "CF604", f"{path}, line {line}: both 'terms' and 'label' must be non-empty"
            )
    return table[["terms", "label"]]
