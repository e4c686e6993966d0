"""config/README.md is written from the schema, the one place where defaults live, and the
package has no defaults of its own for config values."""

import ast
from pathlib import Path

from corpusflow import config_docs
from corpusflow.config import SCHEMA_PATH, load_schema

README = Path(__file__).resolve().parents[1] / "config" / "README.md"


def test_config_readme_is_written_from_the_current_schema_and_study():
    """Run `python -m corpusflow.config_docs` after changing a schema or config/config.yaml."""
    text = README.read_text(encoding="utf-8")
    assert config_docs.BEGIN in text and config_docs.END in text
    assert config_docs.written_readme(text, config_docs.current_part()) == text


def test_the_tables_give_every_leaf_its_schema_default_and_this_studys_value():
    schema = load_schema(SCHEMA_PATH)
    schema["properties"]["segments"]["properties"]["target_tokens"]["default"] = 999
    study = {"topics": {"k_max": 8, "passes": 50}}  # passes: the default, so no study column
    part = config_docs.keys_markdown(schema, study, {"properties": {"doc_id": {}}})
    assert "| `target_tokens` | `999` |  |" in part
    assert "| `k_max` | `10` | `8` |" in part
    assert "| `passes` | `50` |  |" in part
    leaves = [
        key
        for name in schema["properties"]
        for key, _ in config_docs.leaves(schema["properties"][name], f"{name}.")
    ]
    assert all(f"| `{key.split('.', 1)[1]}` |" in part for key in leaves if "." in key)


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
    schema = load_schema(SCHEMA_PATH)
    names = {
        key.rsplit(".", 1)[-1]
        for name, spec in schema["properties"].items()
        for key, _ in config_docs.leaves(spec, f"{name}.")
    }
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
