"""Every check that can run before any job, with all their problems reported together.

The workflow calls :func:`check_run` when it is parsed (``workflow/rules/common.smk``), so a run
with a bad config, manifest or raw file stops before any job and lists every problem it can see
at once, instead of one per attempt. Light imports only: this runs on every Snakemake call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corpusflow.cleaning import check_cleaning_config
from corpusflow.config import ValidationMemo, load_schema, validated, with_origin
from corpusflow.errors import Collector, ConfigError, raise_all
from corpusflow.manifest import (
    Manifest,
    check_groups_can_be_analysed,
    check_manifest,
    check_manifest_schema,
    read_manifest,
)
from corpusflow.pipelines import check_pipeline_available
from corpusflow.rawfiles import RawFiles
from corpusflow.report.checks import check_report_text
from corpusflow.topics import check_k_fits_corpus, check_topics_config

#: Config sections the manifest's own checks read: with a schema error there, they cannot run.
MANIFEST_KEYS = ("manifest", "groups", "ingest")


@dataclass(frozen=True)
class Checked:
    """What the checks read and the rules use: the manifest and the raw files' facts."""

    manifest: Manifest
    raw_files: RawFiles

    def raw_fingerprint(self, doc_ids: Sequence[str]) -> str:
        """A hash of these documents' raw bytes, for a rule's params (see corpusflow.rawfiles)."""
        return self.raw_files.fingerprint(
            (self.manifest[d]["path"], self.manifest[d]["encoding"]) for d in doc_ids
        )


def check_run(
    config: dict,
    *,
    schemas: Path,
    configfiles: Sequence[str | Path],
    state: Path,
    thorough: bool = True,
) -> Checked:
    """Fill the config's defaults and check config, manifest and raw files, in place.

    ``schemas`` is the folder of the two JSON schemas, ``state`` a folder the checks may keep
    their memory in (schema checks passed, raw files' facts). Raises the one coded error found,
    or :class:`corpusflow.errors.Problems` listing all of them. ``thorough=False`` (a job's own
    Snakemake process, started after the main process checked everything) fills the defaults
    and reads the manifest only: the manifest's and raw files' checks, per row, cost a cluster
    job of 10^4 documents about 2 CPU-seconds in each of its two Snakemake processes.
    """
    found = Collector()
    memo = ValidationMemo(state / "schema-checks")
    with found.check():
        validated(config, load_schema(schemas / "config.schema.yaml"), configfiles, memo=memo)
    if any((e.key or "").split(".")[0] in MANIFEST_KEYS for e in found.errors):
        found.raise_all()
    manifest = read_manifest(config["manifest"])
    if thorough:
        _check_manifest(config, manifest, schemas / "manifest.schema.yaml", memo, found)
    found.raise_all()  # the rest reads the files the rows name, with the config's types
    config["keyness"]["target"] = config["keyness"]["target"] or next(iter(config["groups"]))
    checked = Checked(manifest, RawFiles(state / "raw-files.json"))
    if not thorough:
        return checked
    found.errors += checked.raw_files.problems((row["path"], row["encoding"]) for row in manifest)
    _check_sizes_and_settings(config, checked, found)
    checked.raw_files.remember()
    raise_all(
        [with_origin(e, configfiles) if isinstance(e, ConfigError) else e for e in found.errors]
    )
    return checked


def _check_manifest(
    config: dict, manifest: Manifest, schema: Path, memo: ValidationMemo, found: Collector
) -> None:
    """The manifest's rows against its schema, the config and the files on disk."""
    with found.check():
        check_manifest_schema(manifest, load_schema(schema), path=config["manifest"], memo=memo)
    with found.check():
        check_manifest(
            manifest,
            groups=list(config["groups"]),
            boilerplate_profiles=list(config["ingest"]["boilerplate_profiles"]),
            path=config["manifest"],
            corpus_root=config["ingest"]["corpus_root"],
        )


def _check_sizes_and_settings(config: dict, checked: Checked, found: Collector) -> None:
    """The checks of settings against each other and against the corpus's size."""
    manifest = checked.manifest
    runs = {
        row["doc_id"]: checked.raw_files.facts(row["path"], row["encoding"])["letter_runs"]
        for row in manifest
    }
    target_tokens = config["segments"]["target_tokens"]
    with found.check():
        check_groups_can_be_analysed(
            manifest,
            runs,
            target=config["keyness"]["target"],
            reference=config["keyness"]["reference"],
            target_tokens=target_tokens,
            min_range=config["keyness"]["min_range"],
            path=config["manifest"],
        )
    with found.check():
        check_pipeline_available(config["tokenise"]["pipeline"])
    with found.check():
        check_topics_config(config)
        analysed = [row["doc_id"] for row in manifest.analysed()]
        check_k_fits_corpus(config["topics"], [runs[d] for d in analysed], target_tokens)
    with found.check():
        check_cleaning_config(config, manifest)
    with found.check():  # Snakemake writes rule params into report.html unescaped
        check_report_text(config)
