"""Config checks that run before any job: the JSON schema first, then cross-field rules.

The schema (``workflow/schemas/config.schema.yaml``) rejects unknown keys, wrong types and
out-of-range values; the message names the dotted key and where to fix it.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from corpusflow import io
from corpusflow.errors import ConfigError, raise_all


def load_schema(path: str | Path) -> dict:
    return io.read_yaml(path)


def origin_of(key: str, configfiles: Sequence[str | Path]) -> str:
    """Which file sets the dotted ``key``: the last of ``configfiles`` that does, else the schema.

    Snakemake merges the config files in order, so the last one that names a key wins.
    """
    parts = [part for part in key.split(".") if part]
    for path in reversed([Path(p) for p in configfiles]):
        try:
            node = io.read_yaml(path) or {}
        except (OSError, yaml.YAMLError):
            continue
        for part in parts:
            if not isinstance(node, dict) or part not in node:
                break
            node = node[part]
        else:
            return str(path)
    return "the schema's default (workflow/schemas/config.schema.yaml)"


def check_against_schema(
    config: dict, schema: dict, configfiles: Sequence[str | Path] = ()
) -> None:
    """Raise :class:`ConfigError` for each key that breaks the schema, all together (the most
    relevant message per key), naming the key and the file that sets it."""
    import jsonschema  # here, not at the top: a remembered valid config never needs it

    validator = jsonschema.Draft202012Validator(schema)
    by_key: dict[tuple, list] = {}
    for error in validator.iter_errors(config):
        by_key.setdefault(tuple(map(str, error.absolute_path)), []).append(error)
    raise_all(
        [
            _schema_error(jsonschema.exceptions.best_match(errors), configfiles)
            for _, errors in sorted(by_key.items())
        ]
    )


def _schema_error(error, configfiles: Sequence[str | Path]) -> ConfigError:
    key = ".".join(str(part) for part in error.absolute_path) or "(top level)"
    if error.validator == "additionalProperties":
        problem = f"unknown key(s): {error.message}. Check the spelling against config/README.md"
    else:
        problem = error.message
    where = (
        origin_of(key, configfiles)
        if error.absolute_path
        else ", ".join(map(str, configfiles)) or "no config file (pass one with --configfile)"
    )
    return ConfigError("CF101", f"config key {key}: {problem}. It is set in {where}", key=key)


def with_origin(error: ConfigError, configfiles: Sequence[str | Path]) -> ConfigError:
    """``error`` with the file that set its key named, for errors found after the schema."""
    if error.key is None:
        return error
    where = origin_of(error.key, configfiles)
    return type(error)(
        error.code, f"{error.message} ({error.key} is set in {where})", key=error.key
    )


class ValidationMemo:
    """Remembers which (document, schema) pairs passed a schema check, by a hash of both.

    Importing jsonschema takes about 0.06 s, and every no-op rerun would pay it to check an
    unchanged config again (a run with jobs to do imports it anyway, through Snakemake's
    nbformat import when it checks their scripts). A
    pair that passed once passes again (a JSON schema check depends on nothing else), so a
    marker file named by the SHA-256 of both is proof enough; any change of the config, the
    manifest or the schema gives another name and a full check. A folder that cannot be
    written only means the check runs every time.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _marker(self, document: Any, schema: dict) -> Path:
        content = json.dumps([document, schema], sort_keys=True, default=str)
        return self.folder / hashlib.sha256(content.encode("utf-8")).hexdigest()

    def passed(self, document: Any, schema: dict) -> bool:
        return self._marker(document, schema).is_file()

    def remember(self, document: Any, schema: dict) -> None:
        with contextlib.suppress(OSError):
            io.write_text("", self._marker(document, schema))


def validated(
    config: dict,
    schema: dict,
    configfiles: Sequence[str | Path] = (),
    memo: ValidationMemo | None = None,
) -> dict:
    """Fill in the schema's defaults in place and check the result against the schema once
    (not at all when ``memo`` remembers this config passing this schema)."""
    config.update(fill_defaults(config, schema))
    if memo is None or not memo.passed(config, schema):
        check_against_schema(config, schema, configfiles)
        if memo is not None:
            memo.remember(config, schema)
    return config


#: The config schema: the one place where every config key has its default.
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"


def fill_defaults(config: dict, schema: dict) -> dict:
    """A copy of ``config`` with every missing key set to the schema's default, recursively."""
    filled = dict(config)
    for key, spec in schema.get("properties", {}).items():
        if key not in filled and "default" in spec:
            filled[key] = copy.deepcopy(spec["default"])
        if spec.get("type") == "object" and isinstance(filled.get(key), dict):
            filled[key] = fill_defaults(filled[key], spec)
    return filled


def default_config() -> dict:
    """The schema's defaults for every key that has one, validated (the required keys,
    `manifest` and `groups`, have none: a study must name them)."""
    schema = load_schema(SCHEMA_PATH)
    config = fill_defaults({}, schema)
    check_against_schema(config, {key: value for key, value in schema.items() if key != "required"})
    return config


def study_config(path: str | Path) -> dict:
    """A study's config file over the schema's defaults: the config a run of it uses (for
    benchmarks and tests; the workflow itself validates it too)."""
    return fill_defaults(io.read_yaml(path) or {}, load_schema(SCHEMA_PATH))
