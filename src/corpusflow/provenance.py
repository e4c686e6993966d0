"""What produced each output: fingerprints of the code and the inputs, and package versions."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path


def sha256_file(path: str | Path) -> str:
    """The sha256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def module_files(module: str) -> list[Path]:
    """The source files of ``corpusflow.<module>`` (every ``.py`` file of a subpackage)."""
    spec = importlib.util.find_spec(f"corpusflow.{module}")
    if spec is None or spec.origin is None:
        raise ValueError(f"corpusflow.{module} does not exist")
    origin = Path(spec.origin)
    if origin.name == "__init__.py":
        return sorted(origin.parent.rglob("*.py"))
    return [origin]


def code_fingerprint(*modules: str) -> str:
    """A short hash of the named stage modules' source code.

    Rules pass it as a ``params:`` value, so Snakemake reruns a job when the package code it
    calls changes (Snakemake itself only tracks the rule's script file).
    """
    digest = hashlib.sha256()
    for module in sorted(set(modules)):
        for path in module_files(module):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
