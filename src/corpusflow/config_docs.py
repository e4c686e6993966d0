"""config/README.md's tables of keys and manifest columns, written from the schemas.

The schemas are the one source of every key's default and meaning; this module writes the tables
between the markers of config/README.md, with this study's values read from config/config.yaml.
Run ``python -m corpusflow.config_docs`` after changing a schema or the study's config;
``tests/test_config_docs.py`` fails while the page is out of date.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from corpusflow import io

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "config" / "README.md"
CONFIG_SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
MANIFEST_SCHEMA = ROOT / "workflow" / "schemas" / "manifest.schema.yaml"
STUDY = ROOT / "config" / "config.yaml"
BEGIN = "<!-- Written by `python -m corpusflow.config_docs` from the schemas: do not edit. -->"
END = "<!-- End of the written part. -->"


def value(data: Any) -> str:
    """A value as inline code, in YAML's flow style (JSON is valid YAML)."""
    text = json.dumps(data, ensure_ascii=False)
    if len(text) > 60:
        text = text[:57] + "..."
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`"


def cell(text: str) -> str:
    """Schema prose as one table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def leaves(schema: Mapping, prefix: str = "") -> Iterator[tuple[str, Mapping]]:
    """(dotted key, property schema) of each leaf under ``schema``'s properties."""
    for key, spec in schema.get("properties", {}).items():
        if spec.get("type") == "object" and "properties" in spec:
            yield from leaves(spec, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", spec


def lookup(config: Mapping, dotted: str) -> tuple[bool, Any]:
    """Whether the study's config sets ``dotted``, and its value."""
    node: Any = config
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False, None
        node = node[part]
    return True, node


def section_table(name: str, spec: Mapping, study: Mapping) -> list[str]:
    """The heading, description and key table of one top-level section."""
    lines = [f"### `{name}`", ""]
    if spec.get("description"):
        lines += [cell(spec["description"]), ""]
    rows = list(leaves(spec)) if spec.get("type") == "object" and "properties" in spec else []
    if not rows:
        default = value(spec["default"]) if "default" in spec else "required"
        is_set, studied = lookup(study, name)
        mine = f" This study: {value(studied)}." if is_set else ""
        lines += [f"Default: {default}.{mine}", ""]
        return lines
    lines += ["| key | default | this study | meaning |", "|---|---|---|---|"]
    for key, leaf in rows:
        is_set, studied = lookup(study, f"{name}.{key}")
        default = value(leaf["default"]) if "default" in leaf else "required"
        mine = value(studied) if is_set and studied != leaf.get("default") else ""
        lines.append(f"| `{key}` | {default} | {mine} | {cell(leaf.get('description', ''))} |")
    return [*lines, ""]


def keys_markdown(schema: Mapping, study: Mapping, manifest_schema: Mapping) -> str:
    """The written part of config/README.md."""
    lines = [BEGIN, "", "## Keys", ""]
    for name, spec in schema["properties"].items():
        lines += section_table(name, spec, study)
    lines += ["## Manifest columns", "", cell(manifest_schema.get("description", "")), ""]
    lines += ["| column | required | meaning |", "|---|---|---|"]
    required = set(manifest_schema.get("required", []))
    for column, spec in manifest_schema["properties"].items():
        needed = "yes" if column in required else "no"
        lines.append(f"| `{column}` | {needed} | {cell(spec.get('description', ''))} |")
    return "\n".join([*lines, "", END])


def written_readme(readme: str, part: str) -> str:
    """``readme`` with the text between the markers replaced by ``part``."""
    head, _, rest = readme.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return head + part + tail


def current_part() -> str:
    return keys_markdown(
        io.read_yaml(CONFIG_SCHEMA), io.read_yaml(STUDY) or {}, io.read_yaml(MANIFEST_SCHEMA)
    )


if __name__ == "__main__":
    io.write_text(written_readme(io.read_text(README), current_part()), README)
    sys.exit(0)
