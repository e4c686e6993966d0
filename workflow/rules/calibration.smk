# Calibration on the corpus itself: null corpora built from the analysed texts, the same tests,
# seeded replicates (corpusflow.keyness.calibration); calibration.csv gathers every stage's table.
# calibration_keyness is a checkpoint: its choice of test is a param of the keyness rules
# (keyness_test_choice in common.smk), so their captions name the test used.


# Per-document inputs: keyness's token and segment tables (shard records as inputs, files as
# params: common.smk).
CALIBRATION_KEYNESS_FILES = {
    name: KEYNESS_FILES[name] for name in ("tokens", "segments")
}


checkpoint calibration_keyness:
    input:
        **shard_inputs(CALIBRATION_KEYNESS_FILES),
    output:
        table="results/tables/calibration_keyness.csv",
        choice="results/calibration/keyness_test.json",
    log:
        "results/logs/calibration/calibration_keyness.log",
    benchmark:
        "results/benchmarks/calibration/calibration_keyness.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        mem_mb=lambda wildcards, input: 600 + int(20 * input_mb(input)),
        runtime=lambda wildcards, input: 10 + int(input_mb(input) / 5),
    params:
        files=shard_files(CALIBRATION_KEYNESS_FILES),
        target_docs=KEYNESS_TARGET_DOCS,
        reference_docs=KEYNESS_REFERENCE_DOCS,
        settings=as_params(KEYNESS_SETTINGS),
        code=rule_code("calibration_keyness"),
    script:
        "../scripts/calibration_keyness.py"


rule calibration:
    input:
        keyness="results/tables/calibration_keyness.csv",
        # Other stages' calibration tables (same columns): the topics' K rule.
        extra=["results/tables/calibration_topics.csv"],
    output:
        table=report(
            "results/tables/calibration.csv",
            caption="../report/calibration.rst",
            category="3. Keyness",
        ),
    log:
        "results/logs/calibration/calibration.log",
    benchmark:
        "results/benchmarks/calibration/calibration.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        mem_mb=500,
        runtime=5,
    params:
        code=rule_code("calibration"),
    script:
        "../scripts/calibration.py"
