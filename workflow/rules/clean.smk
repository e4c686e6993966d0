# OCR cleaning: structure for every document; witness collation, lexicon and curated
# corrections for OCR documents (manifest column `ocr`).


rule clean:
    input:
        text="results/ingest/{doc_id}.txt",
        witnesses=witness_texts,
        **corrections_table_input(),
    output:
        text="results/clean/{doc_id}.txt",
        corrections="results/clean/{doc_id}.corrections.tsv",
        review="results/clean/{doc_id}.review.tsv",
    params:
        ocr=manifest_value("ocr"),
        witness_ids=manifest_value("witnesses"),
        structure=cleaning_structure_params(),
        word_settings=cleaning_word_params(),
        code=code_fingerprint("cleaning", "tables"),
    log:
        "results/logs/clean/{doc_id}.log",
    benchmark:
        "results/benchmarks/clean/{doc_id}.tsv"
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/clean.py"


rule cleaning_summary:
    input:
        corrections=expand("results/clean/{doc_id}.corrections.tsv", doc_id=ALL_DOCS),
    output:
        summary=report(
            "results/tables/cleaning_summary.csv",
            caption="../report/cleaning_summary.rst",
            category="2. Cleaning",
        ),
    params:
        code=code_fingerprint("cleaning", "tables"),
    log:
        "results/logs/cleaning_summary.log",
    benchmark:
        "results/benchmarks/cleaning_summary.tsv"
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/cleaning_summary.py"
