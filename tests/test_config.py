import copy

import pytest
import yaml

from corpusflow.config import (
    ValidationMemo,
    check_against_schema,
    default_config,
    load_schema,
    origin_of,
    study_config,
    validated,
    with_origin,
)
from corpusflow.errors import ConfigError
from tests.conftest import REPO

SCHEMA = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")
STUDY = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
CONFIG = study_config(REPO / "config" / "config.yaml")


def with_change(path, value):
    config = copy.deepcopy(CONFIG)
    node = config
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return config


def test_the_shipped_config_is_valid():
    check_against_schema(CONFIG, SCHEMA)


def study_leaves(node, defaults, prefix=""):
    """(dotted key, value, default) of each value the study's file sets."""
    for key, value in node.items():
        default = defaults.get(key) if isinstance(defaults, dict) else None
        if isinstance(value, dict) and value and isinstance(default, dict) and default:
            yield from study_leaves(value, default, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value, default


def test_the_study_config_holds_only_the_studys_choices():
    """A value equal to the schema's default would hide a later change of that default."""
    leaves = list(study_leaves(STUDY, default_config()))
    assert len(leaves) <= 40
    assert [key for key, value, default in leaves if value == default] == []


def test_every_schema_property_has_a_description_and_a_default():
    def walk(schema, where):
        for name, prop in schema.get("properties", {}).items():
            assert "description" in prop, f"{where}{name} lacks a description"
            if name not in schema.get("required", []):
                assert "default" in prop, f"{where}{name} lacks a default"
            walk(prop, f"{where}{name}.")
            if isinstance(prop.get("additionalProperties"), dict):
                walk(prop["additionalProperties"], f"{where}{name}.*.")

    walk(SCHEMA, "")


def test_unknown_top_level_key_is_rejected():
    with pytest.raises(ConfigError, match=r"\(top level\): unknown key.*'segmentz'"):
        check_against_schema(with_change(["segmentz"], {}), SCHEMA)


def test_unknown_nested_key_is_rejected_with_its_path():
    with pytest.raises(ConfigError, match=r"config key segments: unknown key.*'target'"):
        check_against_schema(with_change(["segments", "target"], 10), SCHEMA)


def test_wrong_type_names_the_dotted_key():
    with pytest.raises(
        ConfigError, match=r"segments.target_tokens: '250' is not of type 'integer'"
    ):
        check_against_schema(with_change(["segments", "target_tokens"], "250"), SCHEMA)


def test_out_of_range_value_is_rejected():
    with pytest.raises(ConfigError, match=r"segments.target_tokens: 0 is less than the minimum"):
        check_against_schema(with_change(["segments", "target_tokens"], 0), SCHEMA)


def test_bad_enum_value_is_rejected():
    with pytest.raises(ConfigError, match=r"figures.formats.0: 'jpg' is not one of"):
        check_against_schema(with_change(["figures", "formats"], ["jpg"]), SCHEMA)


def test_an_error_names_the_config_file_that_set_the_key(tmp_path):
    study, mine = tmp_path / "study.yaml", tmp_path / "mine.yaml"
    study.write_text("segments:\n  target_tokens: 300\ncleaning:\n  derived_witnesses: [a]\n")
    mine.write_text("segments:\n  target_tokens: 5\n")
    files = [study, mine]
    assert origin_of("segments.target_tokens", files) == str(mine)
    assert origin_of("cleaning.derived_witnesses", files) == str(study)
    assert "schema" in origin_of("topics.k", files)
    config = {"manifest": "m.tsv", "groups": {"a": "A"}, "segments": {"target_tokens": 5}}
    with pytest.raises(ConfigError, match=f"It is set in {mine}"):
        validated(config, SCHEMA, files)
    error = with_origin(ConfigError("CF302", "bad", key="cleaning.derived_witnesses"), files)
    assert f"(cleaning.derived_witnesses is set in {study})" in str(error)


def test_the_schema_fills_every_default_of_a_minimal_config():
    config = validated({"manifest": "m.tsv", "groups": {"a": "A"}}, SCHEMA)
    assert (
        config["segments"]["target_tokens"]
        == SCHEMA["properties"]["segments"]["properties"]["target_tokens"]["default"]
    )
    assert config["cleaning"]["corrections_table"] == ""  # neutral: no study file inherited


def test_a_remembered_config_is_not_checked_again_and_a_changed_one_is(tmp_path, monkeypatch):
    memo = ValidationMemo(tmp_path / "checks")
    checks = []
    monkeypatch.setattr("corpusflow.config.check_against_schema", lambda *args: checks.append(args))
    validated(copy.deepcopy(CONFIG), SCHEMA, memo=memo)
    validated(copy.deepcopy(CONFIG), SCHEMA, memo=memo)
    assert len(checks) == 1  # the second, identical config was remembered
    validated(with_change(["segments", "target_tokens"], 300), SCHEMA, memo=memo)
    assert len(checks) == 2  # any change is checked again


def test_a_bad_config_is_never_remembered(tmp_path):
    memo = ValidationMemo(tmp_path / "checks")
    bad = with_change(["segments", "target_tokens"], 0)
    for _ in range(2):
        with pytest.raises(ConfigError, match="CF101"):
            validated(copy.deepcopy(bad), SCHEMA, memo=memo)
    assert not memo.passed(bad, SCHEMA)


def test_a_memo_folder_that_cannot_be_written_only_means_checking_every_time(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    memo = ValidationMemo(blocker / "checks")  # a folder inside a file cannot be made
    validated(copy.deepcopy(CONFIG), SCHEMA, memo=memo)
    assert not memo.passed(CONFIG, SCHEMA)
