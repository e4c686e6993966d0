"""Config checks that run before any job: the JSON schema first, then cross-field rules.

The schema (``workflow/schemas/config.schema.yaml``) rejects unknown keys, wrong types and
out-of-range values; the message names the dotted key and where to fix it.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path

import jsonschema
import yaml

from corpusflow import io
from corpusflow.errors import ConfigError


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
    """Raise :class:`ConfigError` for the first schema violation, naming the key and its file."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: (list(e.absolute_path), e.message))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors)
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
    raise ConfigError("CF101", f"config key {key}: {problem}. It is set in {where}", key=key)


def with_origin(error: ConfigError, configfiles: Sequence[str | Path]) -> ConfigError:
    """``error`` with the file that set its key named, for errors found after the schema."""
    if error.key is None:
        return error
    where = origin_of(error.key, configfiles)
    return type(error)(
        error.code, f"{error.message} ({error.key} is set in {where})", key=error.key
    )


def validated(config: dict, schema: dict, configfiles: Sequence[str | Path] = ()) -> dict:
    """Fill in the schema's defaults in place and check the result against the schema once."""
    config.update(fill_defaults(config, schema))
    check_against_schema(config, schema, configfiles)
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
