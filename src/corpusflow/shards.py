"""Shards: the per-document stages (ingest, clean, tokenise, segment) run one job per shard.

A shard is a run of consecutive documents in manifest order whose raw files add up to at most
``workflow.shard_mb`` megabytes (a larger document is a shard of its own). The plan depends on
the manifest's order and the raw files' sizes only, so it is the same on every call; each
document's outputs depend on that document (and its witnesses) alone, so they are the same
bytes whatever the shard size.

A shard job writes its documents' files where they always were (``results/<stage>/<doc_id>
<suffix>``) and, last, a shard record ``results/<stage>/shards/<shard>.json`` (each file's
size and sha256). The record is the job's one declared output, and later rules take the
records as inputs and the per-document files as params: Snakemake matches every requested
file against every listed output of a rule, so per-document outputs made planning grow with
the square of the documents (2,000 documents took 70 s to dry-run); records keep the DAG at
one file per shard and stage.

Plain Python, light imports: the workflow plans the shards when it is parsed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from corpusflow import io

#: Shard names: ``shard-000``, ``shard-001``, ... (wider when there are more shards).
PREFIX = "shard-"
#: A shard record's path (``shard-NNN.json``; a map step's ``shard-NNN.<part>.json`` is not).
_RECORD = re.compile(r"(^|/)results/[^/]+/shards/[^/.]+\.json$")


@dataclass(frozen=True)
class WorkflowSettings:
    """The schema's ``workflow`` section: how the per-document stages are cut into jobs."""

    shard_mb: float


def plan_shards(sizes: Mapping[str, int], shard_bytes: float) -> list[list[str]]:
    """Documents (``doc_id -> raw bytes``, in manifest order) cut into consecutive runs of at
    most ``shard_bytes`` bytes; a document larger than that is a shard of its own."""
    shards: list[list[str]] = []
    total = 0
    for doc_id, size in sizes.items():
        if not shards or total + size > shard_bytes:
            shards.append([])
            total = 0
        shards[-1].append(doc_id)
        total += size
    return shards


def shard_names(count: int) -> list[str]:
    """Names of ``count`` shards, zero-padded so that they sort in shard order."""
    width = max(3, len(str(count - 1)))
    return [f"{PREFIX}{index:0{width}d}" for index in range(count)]


def record_path(stage: str, shard: str) -> str:
    return f"results/{stage}/shards/{shard}.json"


def doc_files(stage: str, suffix: str, doc_ids: Iterable[str]) -> list[str]:
    """The stage's per-document files of ``doc_ids``, in their order."""
    return [f"results/{stage}/{doc_id}{suffix}" for doc_id in doc_ids]


class ShardPlan:
    """The shards of a corpus (``documents``: shard name -> doc_ids) and their records."""

    def __init__(self, sizes: Mapping[str, int], shard_mb: float) -> None:
        shards = plan_shards(sizes, shard_mb * 1e6)
        self.documents = dict(zip(shard_names(len(shards)), shards, strict=True))
        #: raw megabytes of each shard (known at parse time: what ingest's runtime grows with)
        self.megabytes = {
            name: sum(sizes[doc_id] for doc_id in docs) / 1e6
            for name, docs in self.documents.items()
        }
        self.shard_of = {doc_id: name for name, docs in self.documents.items() for doc_id in docs}

    def shards_of(self, doc_ids: Iterable[str]) -> list[str]:
        """The shards holding ``doc_ids``, in shard order."""
        held = {self.shard_of[doc_id] for doc_id in doc_ids}
        return [name for name in self.documents if name in held]

    def records(self, stage: str, doc_ids: Iterable[str]) -> list[str]:
        """The stage's records of the shards holding ``doc_ids``."""
        return [record_path(stage, name) for name in self.shards_of(doc_ids)]


def shard_record(paths: Sequence[str]) -> dict:
    """What a shard job wrote: each file's size and sha256 (the job's declared output)."""
    return {
        "files": {
            str(path): {"bytes": os.path.getsize(path), "sha256": io.sha256_file(path)}
            for path in paths
        }
    }


def input_mb(paths: Iterable[str | Path]) -> float:
    """Megabytes of a job's inputs, a shard record counted as the files it lists: what a
    rule's resources grow with. A missing path raises ``FileNotFoundError`` naming it, which
    Snakemake reads as "to be determined" until the job's inputs exist."""
    total = 0
    for path in map(str, paths):
        if _RECORD.search(path):
            total += sum(entry["bytes"] for entry in io.read_json(path)["files"].values())
        else:
            total += os.stat(path).st_size
    return total / 2**20


class ShardFiles:
    """A rule's named inputs as a stage's ``run`` reads them: a name of ``params.files``
    (``shard_files`` in common.smk) gives the per-document files its shard records list, any
    other name the rule's input itself."""

    def __init__(self, inputs, files: Mapping[str, Sequence[str]]) -> None:
        self._inputs = inputs
        self._files = files

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._files:
            return self._files[name]
        return getattr(self._inputs, name)

    def get(self, name: str, default=None):
        return self._files[name] if name in self._files else self._inputs.get(name, default)
