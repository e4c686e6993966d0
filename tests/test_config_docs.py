"""config/README.md agrees with the schema, the one place where defaults live.

Each section of config/README.md (`### `section``) documents its keys in `| key | default |
meaning |` tables; a row may name several keys (`` `a`, `b` ``) with their defaults in the same
order. Every leaf key of the schema must have a row, and the default written there must be the
schema's default. Nested objects are documented by their dotted leaves (`bootstrap.n`).
"""

import ast
import re
from pathlib import Path

import yaml

from corpusflow.config import SCHEMA_PATH, load_schema

README = Path(__file__).resolve().parents[1] / "config" / "README.md"
ROW = re.compile(r"^\| ((?:`[^`]+`(?:, )?)+) \| (.*?) \| ")


def documented_defaults(text: str) -> dict[str, str]:
    """dotted key -> the default written in its row (each row's default cell split per key)."""
    rows, section = {}, None
    for line in text.splitlines():
        if heading := re.match(r"^### `([a-z_]+)`", line):
            section = heading.group(1)
        elif line.startswith("## "):
            section = None
        elif section and (match := ROW.match(line)):
            keys = re.findall(r"`([^`]+)`", match.group(1))
            # the first backticked value per key; what follows (e.g. this study's value) is prose
            defaults = re.findall(r"`([^`]*)`", match.group(2))[: len(keys)]
            for key, default in zip(keys, defaults, strict=False):
                rows[f"{section}.{key}"] = default
    return rows


def schema_defaults(schema: dict, prefix: str = "") -> dict:
    """dotted key -> default of every leaf key inside the schema's sections."""
    leaves = {}
    for key, spec in schema.get("properties", {}).items():
        dotted = f"{prefix}{key}"
        if "properties" in spec:
            leaves.update(schema_defaults(spec, f"{dotted}."))
        elif prefix:
            leaves[dotted] = spec["default"]
    return leaves


def as_written(value) -> str:
    """A default as the docs write it: YAML flow style, `""` for the empty string."""
    if value == "":
        return '""'
    return yaml.safe_dump(value, default_flow_style=True, width=1000).strip().removesuffix("...")


#: How the docs point at a long list or table default instead of copying it.
SEE_SCHEMA = "(the schema's table)"


def same(written: str | None, default) -> bool:
    if written is None:
        return False
    if written == SEE_SCHEMA:
        return isinstance(default, dict | list) and len(default) > 5
    try:
        return yaml.safe_load(written) == default or written == as_written(default).strip()
    except yaml.YAMLError:
        return False


def mismatches(text: str, schema: dict) -> dict:
    documented = documented_defaults(text)
    return {
        key: (documented.get(key, "(no row)"), as_written(default).strip())
        for key, default in schema_defaults(schema).items()
        if not same(documented.get(key), default)
    }


def test_every_schema_key_is_documented_with_the_schema_default():
    wrong = mismatches(README.read_text(encoding="utf-8"), load_schema(SCHEMA_PATH))
    assert wrong == {}, "config/README.md (written, schema):\n" + "\n".join(
        f"  {key}: {pair}" for key, pair in sorted(wrong.items())
    )


def test_the_docs_document_no_key_that_the_schema_lacks():
    documented = documented_defaults(README.read_text(encoding="utf-8"))
    assert sorted(set(documented) - set(schema_defaults(load_schema(SCHEMA_PATH)))) == []


def test_a_default_changed_in_the_schema_alone_is_caught():
    schema = load_schema(SCHEMA_PATH)
    schema["properties"]["segments"]["properties"]["target_tokens"]["default"] = 999
    assert "segments.target_tokens" in mismatches(README.read_text(encoding="utf-8"), schema)


PACKAGE = Path(__file__).resolve().parents[1] / "src" / "corpusflow"
#: Parameter names that coincide with an unrelated schema leaf (``topics.bootstrap.n``).
UNRELATED_NAMES = {"n"}


def code_defaults(source: str, names: set[str]) -> list[tuple[int, str, str, str]]:
    """(line, function, parameter, default) for parameters named like a config key whose
    default is a value, not an absence (None or an empty string or container)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        args = node.args
        positional = args.posonlyargs + args.args
        pairs = list(
            zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
        )
        pairs += [
            (a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None
        ]
        for arg, default in pairs:
            absent = isinstance(default, ast.Constant) and default.value in (None, "")
            empty = isinstance(default, ast.Tuple | ast.List | ast.Dict) and not ast.unparse(
                default
            ).strip("()[]{}")
            if arg.arg in names and not (absent or empty):
                found.append((node.lineno, node.name, arg.arg, ast.unparse(default)))
    return found


def test_the_package_has_no_defaults_of_its_own_for_config_values():
    """A function taking a config value gets it from the validated config: a default in code
    would be a second source of truth that can drift from the schema."""
    names = {key.rsplit(".", 1)[-1] for key in schema_defaults(load_schema(SCHEMA_PATH))}
    names -= UNRELATED_NAMES
    found = {
        f"{path.relative_to(PACKAGE)}:{line} {function}({name}={default})"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, function, name, default in code_defaults(path.read_text("utf-8"), names)
    }
    assert found == set(), "remove these defaults and pass the config's value:\n" + "\n".join(
        sorted(found)
    )


def test_a_default_in_code_is_caught():
    source = "def tokenise(text, *, batch_size: int = 256, overrides=None, extra=()):\n    pass\n"
    assert code_defaults(source, {"batch_size", "overrides", "extra"}) == [
        (1, "tokenise", "batch_size", "256")
    ]
