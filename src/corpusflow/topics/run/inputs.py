"""What several topics rules read: the seeds, the segments' terms, the sweep's records."""

from __future__ import annotations

from collections.abc import Sequence

from corpusflow import io
from corpusflow.topics.checks import resolve_seeds
from corpusflow.topics.settings import TopicsSettings


def seeds_of(settings: TopicsSettings) -> list[int]:
    """The sweep's seeds (``topics.seeds`` as a list, or a count from ``base_seed``)."""
    return resolve_seeds(settings.seeds, settings.base_seed)


def texts(path) -> list[list[str]]:
    """The documents table's terms, one list per segment."""
    return [list(t) for t in io.read_parquet(path)["terms"]]


def joined_records(parts: Sequence[Sequence[dict]]) -> list[dict]:
    """The sweep's records, one per K, from the jobs' ``parts`` (each a list of records that
    may hold only some of a K's groups), sorted by K."""
    joined: dict[int, dict] = {}
    for records in parts:
        for record in records:
            joined.setdefault(record["k"], {}).update(record)
    return [joined[k] for k in sorted(joined)]
