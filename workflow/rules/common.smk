# Startup checks and helpers shared by every rule. Everything here runs when the workflow is
# parsed, so bad config or a bad manifest stops the run before any job starts.

import json
import re
import warnings
from pathlib import Path

from snakemake.utils import validate

from corpusflow.config import check_against_schema, load_schema
from corpusflow.manifest import (
    analysis_ids,
    batches,
    check_groups_can_be_analysed,
    check_manifest,
    check_manifest_schema,
    read_manifest,
)
from corpusflow.provenance import code_fingerprint
from corpusflow.tokenise import check_pipeline_available
from corpusflow.topics import check_topics_config, resolve_seeds

SCHEMAS = Path(workflow.basedir) / "workflow" / "schemas"

# Snakemake 9.27 re-evaluates `input.size_mb` resources while it writes the report, inside its
# own event loop; it then falls back to "to be determined" and Python warns that the size
# coroutine was never awaited. Nothing is lost (the jobs have run), so that one warning is
# silenced instead of printed once per such rule at the end of every clean run.
warnings.filterwarnings(
    "ignore",
    message=r"coroutine 'InputFiles\._predicated_size_files\.<locals>\.sizes' was never awaited",
    category=RuntimeWarning,
)

check_against_schema(config, load_schema(SCHEMAS / "config.schema.yaml"))
validate(config, schema=str(SCHEMAS / "config.schema.yaml"))  # fills in the defaults

MANIFEST = read_manifest(config["manifest"])
check_manifest_schema(MANIFEST, load_schema(SCHEMAS / "manifest.schema.yaml"), path=config["manifest"])
check_manifest(
    MANIFEST,
    groups=list(config["groups"]),
    boilerplate_profiles=list(config["ingest"]["boilerplate_profiles"]),
    path=config["manifest"],
    corpus_root=config["ingest"]["corpus_root"],
)
if "keyness" in config:
    check_groups_can_be_analysed(
        MANIFEST,
        {doc_id: Path(path).stat().st_size for doc_id, path in MANIFEST["path"].items()},
        target=config["keyness"]["target"],
        reference=config["keyness"]["reference"],
        target_tokens=config["segments"]["target_tokens"],
        min_range=config["keyness"]["min_range"],
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


# Jobs of the per-document stages: one per document (rules with a {doc_id} wildcard) when
# workflow.documents_per_job is 1, else one per batch of that many documents in manifest order
# (rules named <stage>_batchNNNN). Either way every input, output and params value the scripts
# read is a list with one entry per document of the job.
DOCUMENTS_PER_JOB = config["workflow"]["documents_per_job"]
BATCHED = DOCUMENTS_PER_JOB > 1


def per_document(function, doc_ids=None):
    """``function(doc_id)`` for each document of a job: an input function of the job's doc_id
    wildcard (per-document rules), or the list for ``doc_ids`` (batch rules)."""
    if doc_ids is None:
        return lambda wildcards: [function(wildcards.doc_id)]
    return [function(doc_id) for doc_id in doc_ids]


def manifest_column(column):
    """A function of a doc_id returning the manifest's ``column``."""
    return lambda doc_id: MANIFEST.loc[doc_id, column]


def boilerplate_profile(doc_id):
    """The document's boilerplate profile as a JSON string (a stable params value), or ""."""
    name = MANIFEST.loc[doc_id, "boilerplate"]
    if not name:
        return ""
    return json.dumps(config["ingest"]["boilerplate_profiles"][name], sort_keys=True)


def document_paths(pattern, doc_ids=None):
    """``pattern`` for each document of a job: the {doc_id} pattern itself (per-document rules)
    or its paths for ``doc_ids`` (batch rules), always as a list."""
    return [pattern] if doc_ids is None else expand(pattern, doc_id=doc_ids)


def stage_jobs(stage, doc_ids):
    """The rules of a per-document stage as (name, documents, log/benchmark file stem): one
    with a {doc_id} wildcard (documents None), or one per batch of ``doc_ids``."""
    if not BATCHED:
        return [(stage, None, "{doc_id}")]
    return [
        (f"{stage}_batch{number:04d}", batch, f"batch{number:04d}")
        for number, batch in enumerate(batches(doc_ids, DOCUMENTS_PER_JOB))
    ]


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


def witness_texts(doc_ids=None):
    """The ingested texts of the witnesses (manifest column `witnesses`) of each document of
    the job, in order: an input function (per-document rules) or a list (batch rules)."""

    def paths(ids):
        witnesses = [w for doc_id in ids for w in MANIFEST.loc[doc_id, "witnesses"]]
        return expand("results/ingest/{doc_id}.txt", doc_id=witnesses)

    if doc_ids is None:
        return lambda wildcards: paths([wildcards.doc_id])
    return paths(doc_ids)


def corrections_table_input():
    """The curated corrections table as a named input, or nothing when it is disabled."""
    table = config["cleaning"]["corrections_table"]
    return {"corrections_table": table} if table else {}


def cleaning_structure_params():
    return {key: config["cleaning"][key] for key in STRUCTURE_KEYS}


def cleaning_word_params():
    return {key: config["cleaning"][key] for key in WORD_KEYS}
