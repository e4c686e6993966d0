# Keyword contrast between the two sides named in config `keyness` (corpusflow.keyness).

from corpusflow.keyness.settings import KeynessSettings
from corpusflow.settings import as_params, from_config
from corpusflow.keyness.sides import (
    check_keyness_config,
    design_of,
    side_documents,
    side_names,
)

check_keyness_config(config, MANIFEST)
# The stage's settings, built once from the validated config (the stage contract).
KEYNESS_SETTINGS = from_config(KeynessSettings, config, "keyness")
KEYNESS_TARGET_DOCS, KEYNESS_REFERENCE_DOCS = side_documents(
    MANIFEST, config["keyness"]["target"], config["keyness"]["reference"]
)
KEYNESS_DOCS = KEYNESS_TARGET_DOCS + KEYNESS_REFERENCE_DOCS
# Descriptive (too few documents on a side to test beyond these texts) or inferential: the
# captions read it from the rules' params.
KEYNESS_DESIGN = design_of(
    len(KEYNESS_TARGET_DOCS),
    len(KEYNESS_REFERENCE_DOCS),
    config["keyness"]["document_min"],
)

# The figures' labels and colours come from the groups (free text: the script reads them from
# the config, the rule carries their checksum so that a new label redraws the figures).
KEYNESS_SIDE_NAMES = side_names(
    config["groups"], config["keyness"]["target"], config["keyness"]["reference"]
)
KEYNESS_LABELS_CHECKSUM = checksum([list(config["groups"].items()), KEYNESS_SIDE_NAMES])


# Per-document inputs of keyness and the explorer (shard records as inputs, files as params).
KEYNESS_FILES = {
    "tokens": ("tokens", ".parquet", KEYNESS_DOCS),
    "segments": ("segments", ".parquet", KEYNESS_DOCS),
    "texts": (*TEXT_FOR_ANALYSIS, KEYNESS_DOCS),
}


rule keyness:
    input:
        **shard_inputs(KEYNESS_FILES),
        choice=lambda wildcards: keyness_test_file(),
    output:
        table=report(
            "results/tables/keyness.csv",
            caption="../report/keyness.rst",
            category="3. Keyness",
        ),
        top=report(
            "results/tables/keyness_top.csv",
            caption="../report/keyness_top.rst",
            category="3. Keyness",
        ),
        sensitivity=report(
            "results/tables/keyness_sensitivity.csv",
            caption="../report/keyness_sensitivity.rst",
            category="3. Keyness",
        ),
        kwic=report(
            "results/tables/kwic.csv",
            caption="../report/keyness_kwic.rst",
            category="3. Keyness",
        ),
        record="results/tables/keyness.json",
        # The two-word units learned on the analysed documents (corpusflow.terms
        # .phrase_model_record): a later stage counting the same terms reads them instead of
        # learning them again over every token table.
        phrase_model="results/models/keyness_phrases.json",
    log:
        "results/logs/keyness/keyness.log",
    benchmark:
        "results/benchmarks/keyness/keyness.tsv"
    conda:
        "../envs/corpusflow.yaml"
    # With 2 threads (--set-threads keyness=2) the sensitivity reruns run in a forked worker
    # beside the default run: the same tables, sooner, if a core is free. On 2 cores it is not:
    # the explorer waits for both keyness and the topic chain, and keyness on one core beside
    # the topic chain ends both chains sooner than keyness on both cores before it
    # (benchmarks/scaling.py, docs/cluster.md).
    threads: 1
    resources:
        # Measured (benchmarks/bench_memory.py, docs/cluster.md): 271 MB on the real corpus
        # (3 MB of input), ~1.85 GB and 12 minutes at load 20 with a 50 MB document (~150 MB
        # of token tables and texts): ~2x headroom. It counts per document and segment, so
        # memory follows the segments and the vocabulary (draws x terms for the bootstrap).
        mem_mb=lambda wildcards, input: 600 + int(20 * input_mb(input)),
        runtime=lambda wildcards, input: 10 + int(input_mb(input) / 5),
    params:
        files=shard_files(KEYNESS_FILES),
        target_docs=KEYNESS_TARGET_DOCS,
        reference_docs=KEYNESS_REFERENCE_DOCS,
        design=KEYNESS_DESIGN,
        # The test calibration chose, for the captions (the script reads input.choice).
        test=lambda wildcards: keyness_test_choice()["test"],
        test_holds=lambda wildcards: keyness_test_choice()["holds"],
        test_rate=lambda wildcards: round(keyness_test_choice()["rate"], 4),
        settings=as_params(KEYNESS_SETTINGS),
        code=rule_code("keyness"),
    script:
        "../scripts/keyness.py"


rule keyness_figures:
    input:
        table="results/tables/keyness.csv",
        top="results/tables/keyness_top.csv",
        # The calibration's choice of test is a param (the captions name it).
        choice=lambda wildcards: keyness_test_file(),
    output:
        fightin_words=report_figure(
            "keyness_fightin_words",
            caption="../report/keyness_fightin_words.rst",
            category="3. Keyness",
        ),
        bars=report_figure(
            "keyness_bars", caption="../report/keyness_bars.rst", category="3. Keyness"
        ),
    log:
        "results/logs/keyness/keyness_figures.log",
    benchmark:
        "results/benchmarks/keyness/keyness_figures.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        labels=KEYNESS_LABELS_CHECKSUM,
        design=KEYNESS_DESIGN,
        test=lambda wildcards: keyness_test_choice()["test"],
        alpha_0=config["keyness"]["alpha_0"],
        labels_per_side=config["keyness"]["figure_labels"],
        top_q=config["keyness"]["top_q"],
        max_q=config["keyness"]["max_q"],
        code=rule_code("keyness_figures"),
    script:
        "../scripts/keyness_figures.py"
