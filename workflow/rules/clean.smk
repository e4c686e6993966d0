# OCR cleaning: structure for every document (hard wrapping: manifest column `wrapped`);
# witness collation, lexicon and curated corrections for OCR documents (manifest column `ocr`;
# derived witnesses: column `derived_from`). One job per shard (SHARDS in common.smk); a
# document's witnesses may belong to other shards.
rule clean:
    input:
        **corrections_table_input(),
        **review_decisions_input(),
        ingested="results/ingest/shards/{shard}.json",
        witnesses=lambda wildcards: SHARDS.records("ingest", shard_witnesses(wildcards)),
    output:
        record="results/clean/shards/{shard}.json",
    log:
        "results/logs/clean/{shard}.log",
    benchmark:
        "results/benchmarks/clean/{shard}.tsv"
    conda:
        "../envs/corpusflow.yaml"
    # Documents are spread over this many forked workers (--set-threads RULE=N to change).
    threads: 2
    resources:
        mem_mb=lambda wildcards, input: 1000 + int(20 * input_mb(input)),
        # ~2 s per OCR document of the real size
        runtime=lambda wildcards, input: 5 + int(input_mb(input)),
    params:
        doc_ids=shard_docs,
        ocr=shard_values("ocr"),
        witness_ids=shard_values("witnesses"),
        witness_files=shard_doc_files("ingest", ".txt", shard_witnesses),
        ingested=shard_doc_files("ingest", ".txt"),
        text=shard_doc_files("clean", ".txt"),
        # the text before the curated corrections: what their rows are matched on
        automatic=shard_doc_files("clean", ".automatic.txt"),
        corrections=shard_doc_files("clean", ".corrections.tsv"),
        review=shard_doc_files("clean", ".review.tsv"),
        wrapped=shard_values("wrapped"),
        derived=lambda wildcards: [
            derived_witnesses(MANIFEST, doc_id) for doc_id in shard_docs(wildcards)
        ],
        settings=cleaning_settings(),
        code=rule_code("clean"),
    script:
        "../scripts/clean.py"


CLEANING_SUMMARY_FILES = {
    "corrections": ("clean", ".corrections.tsv", ALL_DOCS),
    "review": ("clean", ".review.tsv", ALL_DOCS),
}


rule cleaning_summary:
    input:
        **shard_inputs(CLEANING_SUMMARY_FILES),
    output:
        summary=report(
            "results/tables/cleaning_summary.csv",
            caption="../report/cleaning_summary.rst",
            category="2. Cleaning",
        ),
    log:
        "results/logs/cleaning_summary.log",
    benchmark:
        "results/benchmarks/cleaning_summary.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        mem_mb=500,
        runtime=5,
    params:
        files=shard_files(CLEANING_SUMMARY_FILES),
        code=rule_code("cleaning_summary"),
    script:
        "../scripts/cleaning_summary.py"
