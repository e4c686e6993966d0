"""The keyness rules in the real workflow: outputs, reruns, and bad config stopping the run."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest
import yaml

from corpusflow.keyness.sensitivity import SENSITIVITY_COLUMNS
from corpusflow.keyness.tables import TABLE_COLUMNS, read_keyness_table
from tests.conftest import copy_project, run_snakemake

pytestmark = pytest.mark.workflow


def test_keyness_outputs_of_the_default_run(workflow_run):
    tables = workflow_run / "results" / "tables"
    table = read_keyness_table(tables / "keyness.csv")
    top = read_keyness_table(tables / "keyness_top.csv")
    assert list(table.columns) == TABLE_COLUMNS
    kronstadt = table.set_index("term").loc["kronstadt"]
    assert kronstadt["side"] == "reference" and kronstadt["count_target"] == 0
    assert "trade unions" in set(top.loc[top["side"] == "target", "term"])
    sensitivity = pd.read_csv(tables / "keyness_sensitivity.csv", keep_default_na=False)
    assert list(sensitivity.columns) == SENSITIVITY_COLUMNS
    assert set(top["term"]) <= set(sensitivity["term"])
    # This study folds spelling variants: the two spellings of "organization" are one term.
    assert table.set_index("term").loc["organization", "forms"] == "organisation|organization"
    record = json.loads((tables / "keyness.json").read_text())
    assert record["segment_test_units"]["target"]["kind"] == "segment"
    # The learned two-word units, for a stage counting the same terms: every multiword term
    # of the table is a listed phrase or one of them.
    phrases = json.loads((workflow_run / "results/models/keyness_phrases.json").read_text())
    assert phrases["learned"] and phrases["connector_words"]
    multiword = {term for term in table["term"] if " " in term}
    assert multiword & set(phrases["phrases"])
    assert multiword <= set(phrases["phrases"]) | set(record["parameters"]["phrases"])
    assert record["design"]["design"] == "descriptive"
    assert record["target_docs"] == ["kollontai-ocr"]
    assert record["reference_docs"] == ["olivier-commentary"]
    kwic = pd.read_csv(tables / "kwic.csv", keep_default_na=False)
    assert set(kwic["term"]) == set(top["term"])
    for doc_id, lines in kwic.groupby("doc_id"):
        metadata = json.loads((workflow_run / "results" / "tokens" / f"{doc_id}.json").read_text())
        text = (workflow_run / metadata["source_text"]).read_text(encoding="utf-8")
        sliced = [text[s:e] for s, e in zip(lines["start"], lines["end"], strict=True)]
        assert sliced == lines["keyword"].tolist()
    for name in ("keyness_fightin_words", "keyness_bars"):
        for ext in ("png", "svg"):
            assert (workflow_run / "results" / "figures" / f"{name}.{ext}").stat().st_size > 1000


def test_a_keyness_threshold_reruns_only_keyness(workflow_run):
    (workflow_run / "stricter.yaml").write_text("keyness:\n  max_q: 0.01\n")
    result = run_snakemake(
        workflow_run, "--dry-run", "--configfile", "config/config.yaml", "stricter.yaml"
    )
    output = result.stdout + result.stderr
    assert "rule keyness:" in output
    for rule in ("ingest", "tokenise", "segment"):
        assert f"rule {rule}:" not in output


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            "keyness:\n  target: kolontai\n",
            "keyness.target: group 'kolontai' is not in the manifest",
        ),
        ("keyness:\n  reference: kollontai\n", "keyness.target and keyness.reference are both"),
        ("keyness:\n  phrases: [unions]\n", "keyness.phrases: 'unions' is not a multiword unit"),
    ],
)
def test_bad_keyness_config_stops_the_run_before_any_job(tmp_path, override, message):
    workdir = copy_project(tmp_path / "project")
    (workdir / "mine.yaml").write_text(override)
    result = run_snakemake(workdir, "--configfile", "config/config.yaml", "mine.yaml", check=False)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert not (workdir / "results").exists() or not any((workdir / "results").rglob("*.txt"))


def test_the_many_documents_example_tests_documents(tmp_path):
    """examples/many-documents: twelve documents per side, so documents are the test's units."""
    workdir = copy_project(tmp_path / "project")
    example = workdir / "examples" / "many-documents"
    outputs = ["results/tables/keyness.csv", "results/figures/keyness_bars.png"]
    run_snakemake(workdir, *outputs, project=example)
    tables = example / "results" / "tables"
    record = json.loads((tables / "keyness.json").read_text())
    assert len(record["target_docs"]) == len(record["reference_docs"]) == 12
    assert record["segment_test_units"] == {
        "target": {"kind": "document", "count": 12},
        "reference": {"kind": "document", "count": 12},
    }
    assert record["design"]["design"] == "inferential"
    # Calibrated on documents dealt at random to the sides, not on segments.
    calibration = pd.read_csv(tables / "calibration_keyness.csv")
    assert set(calibration["null"]) == {"shuffled_words", "permuted_documents"}
    assert record["test"]["used"] in {"wmw", "welch", "bootstrap"}
    assert record["design"]["units"]["target"]["documents"] == 12
    table = read_keyness_table(tables / "keyness.csv")
    assert list(table.columns) == TABLE_COLUMNS
    assert (table["log_ratio_low"] <= table["log_ratio"] + 1e-9).all()
    assert (table["log_ratio"] <= table["log_ratio_high"] + 1e-9).all()
    # Document-level q is stricter than token-level q.
    assert (table["q_segment"] <= 0.05).sum() < (table["q"] <= 0.05).sum()
    assert (tables / "keyness_sensitivity.csv").exists()


def test_this_studys_words_shuffled_into_two_documents_give_no_keyword_list(tmp_path):
    """The study's words shuffled across both texts and dealt back into two documents of the
    original lengths, configured by config alone (a manifest, the study's keyness section):
    nothing distinguishes the two, and keyness_top.csv holds at most one term per side."""
    workdir = copy_project(tmp_path / "project")
    project = tmp_path / "shuffled"
    (project / "config").mkdir(parents=True)
    (project / "texts").mkdir()
    words = {
        doc_id: (workdir / "corpus" / f"{doc_id}.txt").read_text(encoding="utf-8").split()
        for doc_id in ("kollontai-ocr", "olivier-commentary")
    }
    pooled = words["kollontai-ocr"] + words["olivier-commentary"]
    random.Random(1).shuffle(pooled)
    cut = len(words["kollontai-ocr"])
    columns = "doc_id path title author year group role encoding ocr witnesses boilerplate source"
    rows = ["\t".join(columns.split())]
    for doc_id, group, part in (("a", "one", pooled[:cut]), ("b", "two", pooled[cut:])):
        paragraphs = [" ".join(part[i : i + 80]) for i in range(0, len(part), 80)]
        (project / "texts" / f"{doc_id}.txt").write_text("\n\n".join(paragraphs) + "\n")
        cells = [doc_id, f"texts/{doc_id}.txt", f"Shuffled {doc_id}", "none", "2026", group]
        rows.append("\t".join([*cells, "analysis", "utf-8", "false", "", "", "shuffled"]))
    (project / "config" / "corpus.tsv").write_text("\n".join(rows) + "\n")
    study = yaml.safe_load((workdir / "config" / "config.yaml").read_text(encoding="utf-8"))
    config = {
        "manifest": "config/corpus.tsv",
        "groups": {"one": "Shuffled one", "two": "Shuffled two"},
        "keyness": {**study["keyness"], "target": "one", "reference": "two"},
    }
    (project / "config" / "config.yaml").write_text(yaml.safe_dump(config))
    run_snakemake(workdir, "results/tables/keyness_top.csv", project=project)
    top = read_keyness_table(project / "results" / "tables" / "keyness_top.csv")
    assert top["side"].value_counts().max() <= 1 if len(top) else True
    record = json.loads((project / "results" / "tables" / "keyness.json").read_text())
    assert record["design"]["design"] == "descriptive" and record["test"]["holds"]
