"""Logging for the workflow's scripts: everything a job says goes to its ``log:`` file."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def logged(path: str | Path, name: str = "corpusflow") -> Iterator[logging.Logger]:
    """Send log records to ``path`` (overwritten); a failure is logged with its traceback."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    logging.basicConfig(
        level=logging.INFO,
        handlers=[handler],
        format="%(levelname)s %(name)s: %(message)s",
        force=True,
    )
    logger = logging.getLogger(name)
    try:
        yield logger
    except Exception:
        logger.exception("job failed")
        raise
    finally:
        handler.flush()
