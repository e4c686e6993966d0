"""The stage contract's settings: frozen dataclasses built once from the validated config.

Every stage package (``corpusflow.<stage>``) has the same three parts:

- ``settings.py``: a frozen dataclass whose fields are exactly the leaves of the stage's section
  of ``workflow/schemas/config.schema.yaml`` (nested sections are nested dataclasses). It is
  built once, at parse time, with :func:`from_config`; the rule passes :func:`as_params` of it
  as ``params.settings`` (so a changed value reruns the rule) and the script rebuilds it with
  :func:`from_params`. ``tests/test_settings_contract.py`` holds the fields to the schema.
- ``checks.py``: the checks that run at parse time, before any job.
- ``run(inputs, settings)``: the work, returning what the script writes.

Defaults live in the schema only: a settings class has no default values of its own.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")


def _dataclass_of(annotation: Any) -> type | None:
    """The dataclass an annotation names, if any (``X`` or ``X | None``)."""
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return annotation
    for arg in typing.get_args(annotation):
        if dataclasses.is_dataclass(arg) and isinstance(arg, type):
            return arg
    return None


def _freeze(value: Any) -> Any:
    """Lists become tuples and mappings stay plain dicts, so a settings object hashes by value
    where it can and compares equal after a round trip through params."""
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, Mapping):
        return {k: _freeze(v) for k, v in value.items()}
    return value


def from_mapping(cls: type[T], mapping: Mapping[str, Any]) -> T:
    """Build ``cls`` from a mapping of exactly its fields (nested dataclasses recursively).

    A missing or extra key is a programming error (the schema fills every default and rejects
    unknown keys), so it raises ``KeyError``/``TypeError`` naming the key.
    """
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    extra = sorted(set(mapping) - names)
    if extra:
        raise TypeError(f"{cls.__name__} has no field(s) {extra}")
    values = {}
    for name in names:
        if name not in mapping:
            raise KeyError(f"{cls.__name__}.{name} is missing from the config section")
        nested = _dataclass_of(hints[name])
        value = mapping[name]
        values[name] = (
            from_mapping(nested, value)
            if nested is not None and isinstance(value, Mapping)
            else _freeze(value)
        )
    return cls(**values)


def from_config(cls: type[T], config: Mapping[str, Any], section: str) -> T:
    """Build ``cls`` from the validated config's top-level ``section``."""
    return from_mapping(cls, config[section])


def as_params(settings: Any) -> dict:
    """A plain, JSON-able dict of ``settings`` for a rule's ``params:`` (tuples become lists)."""

    def plain(value: Any) -> Any:
        if isinstance(value, tuple | list):
            return [plain(v) for v in value]
        if isinstance(value, Mapping):
            return {k: plain(v) for k, v in value.items()}
        return value

    return plain(dataclasses.asdict(settings))


def from_params(cls: type[T], params: Mapping[str, Any]) -> T:
    """Rebuild the settings a rule passed with :func:`as_params`."""
    return from_mapping(cls, params)


def field_paths(cls: type) -> set[str]:
    """The dotted paths of ``cls``'s leaf fields (nested dataclasses expanded)."""
    hints = typing.get_type_hints(cls)
    paths: set[str] = set()
    for f in dataclasses.fields(cls):
        nested = _dataclass_of(hints[f.name])
        if nested is None:
            paths.add(f.name)
        else:
            paths |= {f"{f.name}.{p}" for p in field_paths(nested)}
    return paths


def schema_leaf_paths(schema: Mapping[str, Any], section: str) -> set[str]:
    """The dotted paths of the leaves under ``section`` of a config JSON schema; an object with
    ``properties`` is a branch, anything else (including a free-form mapping) is a leaf."""

    def walk(node: Mapping[str, Any], prefix: str) -> set[str]:
        if node.get("type") == "object" and "properties" in node:
            out: set[str] = set()
            for key, child in node["properties"].items():
                out |= walk(child, f"{prefix}{key}.")
            return out
        return {prefix[:-1]}

    return walk(schema["properties"][section], "")
