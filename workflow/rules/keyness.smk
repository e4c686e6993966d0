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


# Map-reduce (corpusflow.keyness.counting; docs/cluster.md): keyness_phrases learns the
# two-word units in one pass, keyness_counts counts one shard's token tables, keyness measures
# the merged counts. Token tables: shard records as inputs, files as params (common.smk).
KEYNESS_FILES = {
    "tokens": ("tokens", ".parquet", KEYNESS_DOCS),
    "segments": ("segments", ".parquet", KEYNESS_DOCS),
}
KEYNESS_SHARDS = SHARDS.shards_of(KEYNESS_DOCS)
KEYNESS_COUNTS = expand(
    "results/keyness/shards/{shard}.counts.parquet", shard=KEYNESS_SHARDS
)
# The default choice's occurrences (doc_id, segment_id, start, end, term, surface), written
# once: the concordance and the explorer read them.
KEYNESS_OCCURRENCES = expand(
    "results/keyness/shards/{shard}.occurrences.parquet", shard=KEYNESS_SHARDS
)
KEYNESS_PHRASES = {
    # The default choice's learned units (corpusflow.terms.phrase_model_record).
    "phrase_model": "results/models/keyness_phrases.json",
    # The units of the other choice that learns them (the sensitivity reruns).
    "other_phrase_model": "results/keyness/phrases_other.json",
}
# The keyness documents of a shard job, in manifest order.
KEYNESS_SHARD_DOCS = shard_docs_of(KEYNESS_DOCS)


rule keyness_phrases:
    input:
        **shard_inputs(KEYNESS_FILES),
    output:
        **KEYNESS_PHRASES,
    log:
        "results/logs/keyness/keyness_phrases.log",
    benchmark:
        "results/benchmarks/keyness/keyness_phrases.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        # One piece of one document and the phrase vocabularies at a time.
        mem_mb=lambda wildcards, input: 500 + int(4 * input_mb(input)),
        runtime=lambda wildcards, input: 10 + int(input_mb(input) / 5),
    params:
        files=shard_files(KEYNESS_FILES),
        docs=KEYNESS_DOCS,
        settings=as_params(KEYNESS_SETTINGS),
        code=rule_code("keyness_phrases"),
    script:
        "../scripts/keyness_phrases.py"


rule keyness_counts:
    input:
        **KEYNESS_PHRASES,
        tokens="results/tokens/shards/{shard}.json",
        segments="results/segments/shards/{shard}.json",
    output:
        counts="results/keyness/shards/{shard}.counts.parquet",
        occurrences="results/keyness/shards/{shard}.occurrences.parquet",
    log:
        "results/logs/keyness/counts/{shard}.log",
    benchmark:
        "results/benchmarks/keyness/counts/{shard}.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        # One piece of one document and the shard's counts and occurrences at a time.
        mem_mb=lambda wildcards, input: 500 + int(8 * input_mb(input)),
        runtime=lambda wildcards, input: 10 + int(input_mb(input) / 5),
    params:
        tokens=shard_doc_files("tokens", ".parquet", KEYNESS_SHARD_DOCS),
        segments=shard_doc_files("segments", ".parquet", KEYNESS_SHARD_DOCS),
        docs=KEYNESS_SHARD_DOCS,
        settings=as_params(KEYNESS_SETTINGS),
        code=rule_code("keyness_counts"),
    script:
        "../scripts/keyness_counts.py"


rule keyness:
    input:
        counts=KEYNESS_COUNTS,
        occurrences=KEYNESS_OCCURRENCES,
        texts=SHARDS.records(TEXT_FOR_ANALYSIS[0], KEYNESS_DOCS),
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
    log:
        "results/logs/keyness/keyness.log",
    benchmark:
        "results/benchmarks/keyness/keyness.tsv"
    conda:
        "../envs/corpusflow.yaml"
    # With 2 threads (--set-threads keyness=2) the sensitivity reruns are measured in a forked
    # worker beside the default run: the same tables, sooner, if a core is free.
    threads: 1
    resources:
        # It holds the merged per-segment counts of the three counting choices (they follow
        # the segments and their vocabulary), the bootstrap's draws x terms and the texts the
        # concordance cuts; never a token table.
        mem_mb=lambda wildcards, input: 600 + int(20 * input_mb(input)),
        runtime=lambda wildcards, input: 10 + int(input_mb(input) / 5),
    params:
        texts=doc_files(*TEXT_FOR_ANALYSIS, KEYNESS_DOCS),
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
