"""Config checks that run before any job: the JSON schema first, then cross-field rules.

The schema (``workflow/schemas/config.schema.yaml``) rejects unknown keys, wrong types and
out-of-range values; the message names the dotted key and where to fix it.
"""

from __future__ import annotations

import copy
from pathlib import Path

import jsonschema
import yaml

from corpusflow.errors import ConfigError


def load_schema(path: str | Path) -> dict:
    with Path(path).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def check_against_schema(config: dict, schema: dict) -> None:
    """Raise :class:`ConfigError` for the first schema violation, naming the key."""
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
    raise ConfigError(
        "CF101",
        f"config key {key}: {problem}. "
        "Fix it in config/config.yaml or in the file passed with --configfile",
    )


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
    """The config a run gets when it sets nothing: the schema's defaults, validated."""
    schema = load_schema(SCHEMA_PATH)
    config = fill_defaults({}, schema)
    check_against_schema(config, schema)
    return config
