"""Each topics rule's params carry only the settings it reads (corpusflow.topics.settings
RULE_FIELDS): a changed key reruns the rules that read it, not the sweep behind them."""

from __future__ import annotations

import re

import pytest

from corpusflow.config import default_config
from corpusflow.settings import field_paths, from_config
from corpusflow.topics.settings import RULE_FIELDS, TopicsSettings, rule_params
from tests.conftest import run_snakemake


def settings(**changes) -> TopicsSettings:
    config = default_config()
    config["topics"].update(changes)
    return from_config(TopicsSettings, config, "topics")


def test_every_topics_key_is_read_by_a_rule():
    read = {
        f
        for paths in RULE_FIELDS.values()
        for f in field_paths(TopicsSettings)
        for p in paths
        if f == p or f.startswith(f"{p}.")
    }
    # sweep_jobs and sweep_split share the sweep at parse time; a job's units are its params
    assert field_paths(TopicsSettings) - read == {"sweep_jobs", "sweep_split"}


@pytest.mark.parametrize(
    ("change", "changed", "kept"),
    [
        ({"flow_max_panels": 3}, {"topics_figures"}, {"topics_sweep", "topics_final"}),
        ({"top_n_terms": 9}, {"topics_final"}, {"topics_sweep", "topics_documents"}),
        ({"passes": 7}, {"topics_sweep", "topics_final"}, {"topics_documents"}),
    ],
)
def test_a_rule_params_change_only_with_the_keys_it_reads(change, changed, kept):
    before, after = settings(), settings(**change)
    differ = {r for r in RULE_FIELDS if rule_params(before, r) != rule_params(after, r)}
    assert changed <= differ and not kept & differ


def scheduled_rules(output: str) -> set[str]:
    return set(re.findall(r"^rule (\w+):", output, re.MULTILINE))


@pytest.mark.workflow
@pytest.mark.parametrize(
    ("yaml", "reran", "kept"),
    [
        ("flow_max_panels: 2", {"topics_figures"}, {"topics_sweep", "topics_final"}),
        ("passes: 7", {"topics_sweep"}, {"topics_documents"}),
    ],
)
def test_a_changed_key_reruns_only_the_rules_that_read_it(workflow_run, yaml, reran, kept):
    (workflow_run / "topics-change.yaml").write_text(f"topics:\n  {yaml}\n")
    result = run_snakemake(
        workflow_run, "--dry-run", "--configfile", "config/config.yaml", "topics-change.yaml"
    )
    rules = scheduled_rules(result.stdout + result.stderr)
    assert reran <= rules and not kept & rules, rules
