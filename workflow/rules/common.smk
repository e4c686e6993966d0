# Startup checks and helpers shared by every rule. Everything here runs when the workflow is
# parsed, so bad config or a bad manifest stops the run before any job starts.

import json
import re
import warnings
from pathlib import Path

from snakemake.io import get_flag_value, is_flagged

from corpusflow.manifest import analysis_ids, derived_witnesses
from corpusflow.pipelines import pipeline_checksum
from corpusflow.provenance import checksum, code_fingerprint
from corpusflow.startup import check_run
from corpusflow.topics import resolve_seeds, sweep_ks, sweep_parts, sweep_units

# Snakemake 9.27 re-evaluates `input.size_mb` resources while it writes the report, inside its
# own event loop; it then falls back to "to be determined" and Python warns that the size
# coroutine was never awaited. Nothing is lost (the jobs have run), so that one warning is
# silenced instead of printed once per such rule at the end of every clean run.
warnings.filterwarnings(
    "ignore",
    message=r"coroutine 'InputFiles\._predicated_size_files\.<locals>\.sizes' was never awaited",
    category=RuntimeWarning,
)

# The workflow's own folder (workflow/), also when it runs as a module of another workflow.
WORKFLOW_DIR = Path(workflow.current_basedir).parent

# Every check that can run before any job, all problems reported together; a config or
# manifest that passed its schema before is not checked again, and a raw file is read only when
# its bytes may have changed (both remembered under .snakemake/corpusflow/). A job's own
# Snakemake processes (on a cluster: two per job, each parsing this file) only fill the
# defaults and read the manifest: the main process checked everything before any job.
CHECKED = check_run(
    config,
    schemas=WORKFLOW_DIR / "schemas",
    configfiles=workflow.configfiles,
    state=Path(".snakemake") / "corpusflow",
    thorough=workflow.is_main_process,
)
MANIFEST = CHECKED.manifest

ALL_DOCS = MANIFEST.doc_ids
ANALYSIS_DOCS = analysis_ids(MANIFEST)
ANALYSIS_SET = set(ANALYSIS_DOCS)
FIGURE_FORMATS = config["figures"]["formats"]

# --- shards of the per-document stages ----------------------------------------------------
# ingest, clean, tokenise and segment run one job per shard: consecutive manifest documents of
# at most workflow.shard_mb raw MB (corpusflow.shards). A job writes its documents' files
# (results/<stage>/<doc_id>.<ext>, as before) and then its shard record
# (results/<stage>/shards/<shard>.json), its one declared output. Later rules take the records
# as inputs and the per-document files as params (shard_inputs, shard_files), so the DAG holds
# one file per shard, not one per document, and planning stays linear in the corpus.
from corpusflow.ingest_settings import IngestSettings
from corpusflow.segment_settings import SegmentSettings
from corpusflow.settings import as_params, from_config
from corpusflow.shards import PREFIX as SHARDS_PREFIX
from corpusflow.shards import ShardPlan, WorkflowSettings, doc_files, input_mb
from corpusflow.tokenise_settings import TokeniseSettings

DOC_BYTES = {row["doc_id"]: Path(row["path"]).stat().st_size for row in MANIFEST}
SHARDS = ShardPlan(
    DOC_BYTES, from_config(WorkflowSettings, config, "workflow").shard_mb
)


wildcard_constraints:
    shard=re.escape(SHARDS_PREFIX) + r"\d+",


def shard_docs(wildcards):
    """The documents of a shard job, in manifest order."""
    return SHARDS.documents[wildcards.shard]


def shard_analysis_docs(wildcards):
    return [d for d in shard_docs(wildcards) if d in ANALYSIS_SET]


def shard_docs_of(doc_ids):
    """An input/params function: the shard's documents among ``doc_ids``, in manifest order."""
    wanted = set(doc_ids)
    return lambda wildcards: [d for d in shard_docs(wildcards) if d in wanted]


def shard_witnesses(wildcards):
    """The witnesses of a shard's documents (they may sit in other shards)."""
    return witness_ids(shard_docs(wildcards))


def shard_values(column):
    """A params function: the manifest's ``column`` for each document of the shard."""
    return lambda wildcards: manifest_values(column, shard_docs(wildcards))


def shard_doc_files(stage, suffix, docs=shard_docs):
    """A params function: the stage's per-document files of the shard's ``docs``."""
    return lambda wildcards: doc_files(stage, suffix, docs(wildcards))


def shard_inputs(files):
    """Named inputs from ``{name: (stage, suffix, doc_ids)}``: the stage's shard records."""
    return {
        name: SHARDS.records(stage, docs) for name, (stage, _, docs) in files.items()
    }


def shard_files(files):
    """The per-document files of ``{name: (stage, suffix, doc_ids)}`` for ``params.files``,
    the files that the records of ``shard_inputs`` list."""
    return {
        name: doc_files(stage, suffix, docs)
        for name, (stage, suffix, docs) in files.items()
    }


# The text that tokenisation and everything after it read: (stage, suffix) of shard_files.
TEXT_FOR_ANALYSIS = ("clean", ".txt")


def rule_code(script):
    """The fingerprint of a rule's script (``workflow/scripts/<script>.py``) and of every
    package module it imports, transitively (found from the code), as a ``params:`` value: a
    change to either reruns the rule's jobs. The profiles turn Snakemake's own ``code`` trigger
    off: it covers the script only, and checking it imports nbformat and jsonschema."""
    return code_fingerprint(WORKFLOW_DIR / "scripts" / f"{script}.py")


def manifest_values(column, doc_ids):
    """The manifest's ``column`` for each of ``doc_ids``."""
    return [MANIFEST[doc_id][column] for doc_id in doc_ids]


def figure_paths(name):
    """The files of one figure, one per configured format."""
    return expand("results/figures/{name}.{ext}", name=name, ext=FIGURE_FORMATS)


def report_figure(name, caption, category, subcategory=None):
    """The files of one figure; the PNG (or the first format) is shown in the HTML report."""
    paths = figure_paths(name)
    shown = next((p for p in paths if p.endswith(".png")), paths[0])
    flagged = report(shown, caption=caption, category=category, subcategory=subcategory)
    return [flagged if path == shown else path for path in paths]


# Topics (workflow/rules/topics.smk): the sweep's K values, seeds and jobs.
TOPICS = config["topics"]
TOPIC_SEEDS = resolve_seeds(TOPICS["seeds"], TOPICS["base_seed"])
TOPIC_SWEEP_KS = sweep_ks(TOPICS)
# Each sweep job's units of work, [k, group] (corpusflow.topics.checks.sweep_units).
TOPIC_PARTS = sweep_parts(
    sweep_units(TOPIC_SWEEP_KS, TOPICS["sweep_split"]), TOPICS["sweep_jobs"]
)


def topic_choice_file():
    """The K rule's result; waits for the topics_model_selection checkpoint."""
    return checkpoints.topics_model_selection.get().output.choice


def topic_choice():
    return json.loads(Path(topic_choice_file()).read_text(encoding="utf-8"))


def keyness_test_file():
    """The calibration's choice of test; waits for the calibration_keyness checkpoint."""
    return checkpoints.calibration_keyness.get().output.choice


def keyness_test_choice():
    """The test keyness_top.csv uses, and whether it holds its level."""
    return json.loads(Path(keyness_test_file()).read_text(encoding="utf-8"))


def topic_models_dir():
    """The sweep job's model folder holding the chosen K's seed fits."""
    k = topic_choice()["k"]
    seeds = ([k, "all"], [k, "seeds"])
    part = next(
        i for i, units in enumerate(TOPIC_PARTS) if any(u in units for u in seeds)
    )
    return f"results/topics/sweep/part{part}_models"


# --- cleaning -------------------------------------------------------------------------------
from corpusflow.cleaning.settings import CleaningSettings
from corpusflow.settings import as_params, from_config


def witness_ids(doc_ids):
    """The distinct witnesses (manifest column `witnesses`) of ``doc_ids``, in order of first
    mention."""
    return list(
        dict.fromkeys(w for doc_id in doc_ids for w in MANIFEST[doc_id]["witnesses"])
    )


def corrections_table_input():
    """The curated corrections table as a named input, or nothing when it is disabled."""
    table = config["cleaning"]["corrections_table"]
    return {"corrections_table": table} if table else {}


def cleaning_settings():
    """The cleaning stage's settings (corpusflow.cleaning.settings), built once, as params."""
    return as_params(from_config(CleaningSettings, config, "cleaning"))


def review_decisions_input():
    """The review decisions table as a named input, or nothing when it is disabled."""
    table = config["cleaning"]["review_decisions"]
    return {"review_decisions": table} if table else {}


# --- outputs, read from the rules once every rule file is included ------------------------
def analysis_outputs():
    """Every table, figure and page the rules declare (results/tables, results/figures,
    results/*.html such as the explorer), sorted: what provenance.json fingerprints."""
    return sorted(
        {
            str(path)
            for rule in workflow.rules
            for path in rule.output
            if re.match(r"results/(tables/|figures/|[^/]+\.html$)", str(path))
            and not path.contains_wildcard()
        }
    )


def reported_table_categories():
    """Report category of each CSV table flagged for the report, by table name."""
    return {
        Path(str(path)).stem: get_flag_value(path, "report").category
        for rule in workflow.rules
        for path in rule.output
        if str(path).endswith(".csv") and is_flagged(path, "report")
    }


def final_outputs():
    """Everything `snakemake` (rule all) builds."""
    return [
        *SHARDS.records("tokens", ALL_DOCS),
        *SHARDS.records("segments", ANALYSIS_DOCS),
        *analysis_outputs(),
        *expand("results/report/{table}.html", table=REPORTED_TABLES),
        "results/provenance.json",
        "results/models/topics",
    ]
