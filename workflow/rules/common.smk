# Startup checks and helpers shared by every rule. Everything here runs when the workflow is
# parsed, so bad config or a bad manifest stops the run before any job starts.

import json
import re
from pathlib import Path

from snakemake.utils import validate

from corpusflow.config import check_against_schema, load_schema
from corpusflow.manifest import (
    analysis_ids,
    check_manifest,
    check_manifest_schema,
    read_manifest,
)
from corpusflow.provenance import code_fingerprint
from corpusflow.tokenise import check_pipeline_available
from corpusflow.topics import check_topics_config, resolve_seeds

SCHEMAS = Path(workflow.basedir) / "workflow" / "schemas"

check_against_schema(config, load_schema(SCHEMAS / "config.schema.yaml"))
validate(config, schema=str(SCHEMAS / "config.schema.yaml"))  # fills in the defaults

MANIFEST = read_manifest(config["manifest"])
check_manifest_schema(MANIFEST, load_schema(SCHEMAS / "manifest.schema.yaml"), path=config["manifest"])
check_manifest(
    MANIFEST,
    groups=list(config["groups"]),
    boilerplate_profiles=list(config["ingest"]["boilerplate_profiles"]),
    path=config["manifest"],
)
check_pipeline_available(config["tokenise"]["pipeline"])

ALL_DOCS = MANIFEST["doc_id"].tolist()
ANALYSIS_DOCS = analysis_ids(MANIFEST)
FIGURE_FORMATS = config["figures"]["formats"]

# The text that tokenisation and everything after it read.
TEXT_FOR_ANALYSIS = "results/clean/{doc_id}.txt"


wildcard_constraints:
    doc_id="|".join(re.escape(doc_id) for doc_id in ALL_DOCS),


def manifest_value(column):
    """An input function returning the manifest's ``column`` for the job's doc_id."""
    return lambda wildcards: MANIFEST.loc[wildcards.doc_id, column]


def boilerplate_profile(wildcards):
    """The job's boilerplate profile as a JSON string (a stable params value), or ""."""
    name = MANIFEST.loc[wildcards.doc_id, "boilerplate"]
    if not name:
        return ""
    return json.dumps(config["ingest"]["boilerplate_profiles"][name], sort_keys=True)


def figure_paths(name):
    """The files of one figure, one per configured format."""
    return expand("results/figures/{name}.{ext}", name=name, ext=FIGURE_FORMATS)


def report_figure(name, caption, category, subcategory=None):
    """The files of one figure; the PNG (or the first format) is shown in the HTML report."""
    paths = figure_paths(name)
    shown = next((p for p in paths if p.endswith(".png")), paths[0])
    flagged = report(shown, caption=caption, category=category, subcategory=subcategory)
    return [flagged if path == shown else path for path in paths]


def reported_outputs():
    """Every table and figure of the analysis (what provenance.json fingerprints)."""
    return [
        "results/tables/corpus_overview.csv",
        *figure_paths("corpus_overview"),
        "results/tables/cleaning_summary.csv",
        "results/tables/keyness.csv",
        "results/tables/keyness_top.csv",
        "results/tables/kwic.csv",
        *figure_paths("keyness_fightin_words"),
        *figure_paths("keyness_bars"),
        *topics_outputs(),
    ]


def final_outputs():
    """Everything `snakemake` (rule all) builds."""
    return [
        *expand("results/tokens/{doc_id}.parquet", doc_id=ALL_DOCS),
        *expand("results/segments/{doc_id}.parquet", doc_id=ANALYSIS_DOCS),
        *reported_outputs(),
        "results/provenance.json",
        "results/models/topics",
    ]


# Topics (workflow/rules/topics.smk): the sweep's K values and seeds, and its outputs.
check_topics_config(config)

TOPICS = config["topics"]
TOPIC_SEEDS = resolve_seeds(TOPICS["seeds"], TOPICS["base_seed"])
TOPIC_SWEEP_KS = list(range(TOPICS["k_min"], TOPICS["k_max"] + 1))
TOPIC_FIT = {
    "passes": TOPICS["passes"],
    "iterations": TOPICS["iterations"],
    "alpha": TOPICS["alpha"],
    "eta": TOPICS["eta"],
}
TOPIC_FIGURES = ["topics_model_selection", "topics_prevalence", "topics_flow"]


def topic_runs(ks):
    """The sweep-run result files at the given K values, one per seed."""
    return expand("results/topics/runs/k{k}_seed{seed}.json", k=ks, seed=TOPIC_SEEDS)


def topics_outputs():
    """The topic stage's tables and figures (the model itself is in results/models/topics)."""
    tables = ["model_selection", "terms", "segments", "passages", "nmf_agreement", "prevalence"]
    return [
        *expand("results/tables/topics_{table}.csv", table=tables),
        *expand("results/figures/{name}.{ext}", name=TOPIC_FIGURES, ext=FIGURE_FORMATS),
    ]


# --- cleaning -------------------------------------------------------------------------------
from corpusflow.cleaning import STRUCTURE_KEYS, WORD_KEYS, check_cleaning_config

check_cleaning_config(config, MANIFEST)


def witness_texts(wildcards):
    """The ingested texts of the job's witnesses (manifest column `witnesses`)."""
    return expand("results/ingest/{doc_id}.txt", doc_id=MANIFEST.loc[wildcards.doc_id, "witnesses"])


def corrections_table_input():
    """The curated corrections table as a named input, or nothing when it is disabled."""
    table = config["cleaning"]["corrections_table"]
    return {"corrections_table": table} if table else {}


def cleaning_structure_params():
    return {key: config["cleaning"][key] for key in STRUCTURE_KEYS}


def cleaning_word_params():
    return {key: config["cleaning"][key] for key in WORD_KEYS}
