# Calibration on the corpus itself: null corpora built from the analysed texts, the same tests,
# seeded replicates (corpusflow.keyness.calibration); calibration.csv gathers every stage's table.
# calibration_keyness is a checkpoint: its choice of test is a param of the keyness rules
# (keyness_test_choice in common.smk), so their captions name the test used.


checkpoint calibration_keyness:
    input:
        # the shards' term counts (keyness.smk's map step), merged by the script
        counts=KEYNESS_COUNTS,
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
