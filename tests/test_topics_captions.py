"""The topics captions say only what the run's numbers support (issue #22 item 7): the K
rule's verdict and the K's source come from the run, never from a hand-written figure."""

from __future__ import annotations

import re
from types import SimpleNamespace

import jinja2
import pytest

from corpusflow.config import default_config
from tests.conftest import REPO

REPORT = REPO / "workflow" / "report"


def render(name: str, **params) -> str:
    template = jinja2.Template((REPORT / name).read_text(encoding="utf-8"))
    snakemake = SimpleNamespace(config=default_config(), params=SimpleNamespace(**params))
    return " ".join(template.render(snakemake=snakemake).split())


NONE = {"k": 2, "rule_k": 3, "k_source": "default", "k_evidence": "none", "beats_null": []}
RULE = {
    "k": 3,
    "rule_k": 3,
    "k_source": "rule",
    "k_evidence": "stability_over_shuffled_null",
    "beats_null": [3, 6],
    "edge": "none",
}


def test_no_evidence_is_said_and_no_k_is_called_chosen():
    text = render("topics_model_selection.rst", edge="lower", **NONE)
    assert "no topic structure beyond chance in this corpus" in text
    assert "descriptive map" in text and "rule's K is" not in text
    terms = render("topics_terms.rst", **NONE)
    assert "descriptive map" in terms and "the K rule's" not in terms
    flow = render("topics_flow.rst", **NONE)
    assert "descriptive map" in flow


def test_evidence_names_the_k_values_that_beat_the_null():
    text = render("topics_model_selection.rst", **RULE)
    assert "beat the null: 3, 6" in text and "rule's K is 3" in text
    assert "no topic structure" not in text
    assert "descriptive map" not in render("topics_terms.rst", **RULE)


@pytest.mark.parametrize("name", sorted(p.name for p in REPORT.glob("topics*.rst")))
def test_topic_captions_quote_no_figure_of_a_run(name):
    """Outside template expressions, a topics caption holds no decimal number (a figure a run
    can change); years of citations and counts in the method are integers."""
    text = (REPORT / name).read_text(encoding="utf-8")
    prose = re.sub(r"{{.*?}}|{%.*?%}", "", text, flags=re.S)
    assert re.findall(r"\b\d+\.\d+\b", prose) == []
    assert "Two texts" not in prose and "significant" not in prose


def test_the_workflow_caption_claims_no_themes():
    text = render("workflow.rst")
    assert "themes" not in text and "shuffled-words null" in text
