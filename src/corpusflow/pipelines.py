"""Which spaCy pipeline tokenises: the shipped one, the lookup one, or an installed one.

Light on purpose (no spaCy import): the workflow checks the configured pipeline and fingerprints
its files when it is parsed, before any job runs.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from corpusflow.errors import ConfigError
from corpusflow.provenance import sha256_tree

EMBEDDED = "embedded"
LOOKUP = "lookup"
#: The shipped pipeline: name and version in its meta.json, weights under CC BY-SA 4.0.
EMBEDDED_DIR = "en_corpusflow_ewt"


def embedded_pipeline_path() -> Path:
    """The folder of the shipped pipeline (inside the installed package)."""
    return Path(__file__).parent / "data" / "pipelines" / EMBEDDED_DIR


def _package_path(name: str) -> Path | None:
    """The folder of an installed Python package, or None."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def check_pipeline_available(name: str) -> None:
    """Raise :class:`ConfigError` if ``name`` is neither shipped nor installed."""
    if name == EMBEDDED:
        if not (embedded_pipeline_path() / "meta.json").is_file():
            raise ConfigError(
                "CF402",
                f"tokenise.pipeline: the embedded pipeline is missing from this installation "
                f"({embedded_pipeline_path()} has no meta.json). Reinstall corpusflow from a "
                f"complete checkout (the folder is package data), or set tokenise.pipeline: "
                f"{LOOKUP}",
            )
    elif name != LOOKUP and _package_path(name) is None:
        raise ConfigError(
            "CF401",
            f"tokenise.pipeline: spaCy pipeline {name!r} is not installed. Install it into this "
            f"environment (pip install the {name} wheel) or set tokenise.pipeline: {EMBEDDED}",
        )


def pipeline_checksum(name: str) -> str:
    """sha256 of the files of the named pipeline (shipped or installed), or, for ``"lookup"``,
    of the lookup table it uses; it changes whenever the tokens could."""
    if name == EMBEDDED:
        return sha256_tree(embedded_pipeline_path())
    if name == LOOKUP:
        data = _package_path("spacy_lookups_data") / "data"
        return sha256_tree(data / "en_lemma_lookup.json.gz")
    return sha256_tree(_package_path(name))
