"""The stage contract: each stage's settings dataclass has exactly its schema section's leaves.

A key added to the schema and not to the stage's settings (or the other way round) fails here.
Each stage adds its settings class to STAGE_SETTINGS as it adopts the contract
(src/corpusflow/settings.py).
"""

from dataclasses import FrozenInstanceError, dataclass
from pathlib import Path

import pytest

from corpusflow import io
from corpusflow.cleaning.settings import CleaningSettings
from corpusflow.explorer.settings import ExplorerSettings
from corpusflow.ingest_settings import IngestSettings
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.report.settings import ReportSettings
from corpusflow.segment_settings import SegmentSettings
from corpusflow.settings import (
    as_params,
    field_paths,
    from_config,
    from_params,
    schema_leaf_paths,
)
from corpusflow.shards import WorkflowSettings
from corpusflow.tokenise_settings import TokeniseSettings
from corpusflow.topics.settings import TopicsSettings
from tests.defaults import DEFAULTS

SCHEMA = io.read_yaml(Path(__file__).parents[1] / "workflow" / "schemas" / "config.schema.yaml")

# schema section -> settings class, one line per stage that follows the contract
STAGE_SETTINGS: dict[str, type] = {
    "cleaning": CleaningSettings,
    "explorer": ExplorerSettings,
    "ingest": IngestSettings,
    "keyness": KeynessSettings,
    "report": ReportSettings,
    "segments": SegmentSettings,
    "tokenise": TokeniseSettings,
    "topics": TopicsSettings,
    "workflow": WorkflowSettings,
}


@pytest.mark.parametrize("section", sorted(STAGE_SETTINGS))
def test_settings_fields_are_the_schema_leaves(section):
    cls = STAGE_SETTINGS[section]
    assert field_paths(cls) == schema_leaf_paths(SCHEMA, section)


@pytest.mark.parametrize("section", sorted(STAGE_SETTINGS))
def test_settings_build_from_the_defaults_and_round_trip(section):
    cls = STAGE_SETTINGS[section]
    settings = from_config(cls, DEFAULTS, section)
    assert from_params(cls, as_params(settings)) == settings


@dataclass(frozen=True)
class _Inner:
    b: int
    c: tuple


@dataclass(frozen=True)
class _Outer:
    a: str
    inner: _Inner


def test_contract_helpers_on_a_toy_schema():
    schema = {
        "properties": {
            "toy": {
                "type": "object",
                "properties": {
                    "a": {"type": "string"},
                    "inner": {
                        "type": "object",
                        "properties": {"b": {"type": "integer"}, "c": {"type": "array"}},
                    },
                },
            }
        }
    }
    assert schema_leaf_paths(schema, "toy") == field_paths(_Outer) == {"a", "inner.b", "inner.c"}
    built = from_config(_Outer, {"toy": {"a": "x", "inner": {"b": 1, "c": [1, 2]}}}, "toy")
    assert built == _Outer("x", _Inner(1, (1, 2)))
    assert as_params(built) == {"a": "x", "inner": {"b": 1, "c": [1, 2]}}
    with pytest.raises(FrozenInstanceError):
        built.a = "y"
    with pytest.raises(TypeError, match="no field"):
        from_config(_Outer, {"toy": {"a": "x", "inner": {"b": 1, "c": []}, "d": 0}}, "toy")
    with pytest.raises(KeyError, match="inner"):
        from_config(_Outer, {"toy": {"a": "x"}}, "toy")
