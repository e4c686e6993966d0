"""What produced each output: fingerprints of the code and the inputs, and package versions."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import platform
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from corpusflow.io import read_bytes, sha256_file

#: Packages whose versions can change a result; recorded in provenance.json.
KEY_PACKAGES = [
    "corpusflow",
    "snakemake",
    "spacy",
    "spacy-lookups-data",
    "gensim",
    "scikit-learn",
    "scipy",
    "numpy",
    "pandas",
    "pyarrow",
    "matplotlib",
    "rapidfuzz",
    "symspellpy",
    "wordfreq",
]


def sha256_tree(path: str | Path) -> str:
    """The sha256 of a file, or of a folder's files: their relative paths and bytes, in sorted
    order (so the same folder anywhere gives the same checksum); Python bytecode caches are
    left out."""
    root = Path(path)
    if root.is_file():
        return sha256_file(root)
    digest = hashlib.sha256()
    files = (p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for file in sorted(files):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        digest.update(sha256_file(file).encode())
    return digest.hexdigest()


def module_files(module: str) -> list[Path]:
    """The source files of ``corpusflow.<module>``: every file of a subpackage (its ``.py``
    files and assets such as the explorer's template, script and style), not bytecode."""
    spec = importlib.util.find_spec(f"corpusflow.{module}")
    if spec is None or spec.origin is None:
        raise ValueError(f"corpusflow.{module} does not exist")
    origin = Path(spec.origin)
    if origin.name == "__init__.py":
        return sorted(
            path
            for path in origin.parent.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        )
    return [origin]


def code_fingerprint(*modules: str, script: str | Path | None = None) -> str:
    """A short hash of the named stage modules' source code and of a rule's ``script``.

    Rules pass it as a ``params:`` value, so Snakemake reruns a job when the code it runs
    changes: its script and the package modules the script calls (Snakemake's own ``code``
    trigger covers only the script, and the profiles turn it off as redundant).
    """
    digest = hashlib.sha256()
    for module in sorted(set(modules)):
        digest.update(_module_digest(module))
    if script is not None:
        digest.update(_file_digest(Path(script)))
    return digest.hexdigest()[:16]


@functools.cache
def _module_digest(module: str) -> bytes:
    """Cached: the workflow fingerprints 17 rules at parse time, most of them with ``io``."""
    return b"".join(_file_digest(path) for path in module_files(module))


def _file_digest(path: Path) -> bytes:
    return hashlib.sha256(path.name.encode() + b"\0" + read_bytes(path)).digest()


def checksum(value) -> str:
    """A short hash of a JSON-serialisable value, for ``params:`` that must not hold free text.

    Snakemake embeds params in the report page; a checksum still reruns the rule when the value
    changes, while the script reads the text itself from ``snakemake.config`` or the manifest.
    """
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def package_versions(names: Iterable[str] = KEY_PACKAGES) -> dict[str, str]:
    """Installed versions of ``names`` ("not installed" where missing)."""
    versions = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def find_seeds(config: Mapping, prefix: str = "") -> dict:
    """Every config value whose key mentions "seed", by dotted key."""
    seeds = {}
    for key, value in config.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            seeds.update(find_seeds(value, f"{dotted}."))
        elif "seed" in str(key).lower():
            seeds[dotted] = value
    return seeds


def build_provenance(
    *,
    raw_inputs: Mapping[str, Mapping],
    config: Mapping,
    spacy_pipeline: Mapping,
    outputs: Iterable[str | Path],
) -> dict:
    """The provenance record of a run: no timestamps or absolute paths, so it is reproducible.

    Parameters
    ----------
    raw_inputs : doc_id -> ingest metadata (path, sha256, bytes, encoding).
    config : the effective config (after --configfile merges and schema defaults).
    spacy_pipeline : the tokenise stage's description of the spaCy pipeline it used (name,
        version, sha256 of its files, components; see corpusflow.tokenise.pipeline_description).
    outputs : the tables and figures to fingerprint (relative paths).
    """
    return {
        "raw_inputs": {
            doc_id: {key: meta[key] for key in ("path", "sha256", "bytes", "encoding")}
            for doc_id, meta in sorted(raw_inputs.items())
        },
        "config": config,
        "seeds": find_seeds(config),
        "software": {
            "python": sys.version.split()[0],
            "implementation": platform.python_implementation(),
            "platform": f"{platform.system()} {platform.machine()}",
            "packages": package_versions(),
        },
        "spacy_pipeline": dict(spacy_pipeline),
        "outputs": {str(path): sha256_file(path) for path in sorted(map(str, outputs))},
    }
