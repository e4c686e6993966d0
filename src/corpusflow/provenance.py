"""What produced each output: fingerprints of the code and the inputs, and package versions."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import platform
import re
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
    "pocketsphinx",
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


#: ``from corpusflow.x import a, b`` or ``import corpusflow.x``, anywhere in a file (a function's
#: own imports count: they run when the function does).
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(corpusflow(?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)"
    r"|import[ \t]+(corpusflow(?:\.\w+)*))",
    re.MULTILINE,
)
PACKAGE_ROOT = Path(__file__).resolve().parent


def module_path(module: str, root: Path = PACKAGE_ROOT) -> Path | None:
    """The source file of ``corpusflow.a.b`` under ``root``, found without importing it."""
    base = root.joinpath(*module.split(".")[1:])
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def imported_modules(source: str, root: Path = PACKAGE_ROOT) -> set[str]:
    """The corpusflow modules a file's source imports (``from corpusflow.x import y`` counts
    ``corpusflow.x.y`` where y is a module), with the packages that importing them runs."""
    found: set[str] = set()
    for base, names, plain in _IMPORT.findall(source):
        module = base or plain
        found.add(module)
        for name in names.strip("() \t\n").split(","):
            words = name.split()
            if words and module_path(f"{module}.{words[0]}", root) is not None:
                found.add(f"{module}.{words[0]}")
    parents = {".".join(m.split(".")[:i]) for m in found for i in range(1, m.count(".") + 2)}
    return {m for m in parents if module_path(m, root) is not None}


def script_modules(script: str | Path, root: Path = PACKAGE_ROOT) -> list[str]:
    """Every corpusflow module a rule's script runs: what it imports, transitively, sorted."""
    seen: set[str] = set()
    pending = imported_modules(read_bytes(Path(script)).decode("utf-8"), root)
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        pending |= _module_imports(module, root) - seen
    return sorted(seen)


@functools.cache
def _module_imports(module: str, root: Path) -> set[str]:
    """Cached: the workflow's scripts share most modules (``io``, ``errors``, ``runlog``)."""
    return imported_modules(read_bytes(module_path(module, root)).decode("utf-8"), root)


def module_files(module: str, root: Path = PACKAGE_ROOT) -> list[Path]:
    """The files of ``corpusflow.<...>`` that running it reads: its source and, for a module of
    a subpackage, the subpackage's non-Python files (assets such as the explorer's template)."""
    path = module_path(module, root)
    if path is None:
        raise ValueError(f"{module} does not exist")
    if path.parent == root:
        return [path]
    assets = (
        p
        for p in path.parent.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    )
    return [path, *sorted(assets)]


def code_fingerprint(script: str | Path, root: Path = PACKAGE_ROOT) -> str:
    """A short hash of a rule's ``script`` and of every corpusflow module it runs.

    Rules pass it as a ``params:`` value, so Snakemake reruns a job when the code it runs
    changes. The modules are found from the code (:func:`script_modules`), never listed by
    hand, so a new import is covered the day it is written.
    """
    digest = hashlib.sha256(_file_digest(Path(script)))
    for module in script_modules(script, root):
        digest.update(module.encode() + b"\0")
        for path in module_files(module, root):
            digest.update(_file_digest(path))
    return digest.hexdigest()[:16]


@functools.cache
def _file_digest(path: Path) -> bytes:
    """Cached per process: the parse fingerprints every rule, most of them with ``io``."""
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
