# OCR cleaning: structure for every document (hard wrapping: manifest column `wrapped`);
# witness collation, lexicon and curated corrections for OCR documents (manifest column `ocr`;
# derived witnesses: column `derived_from`). One job for all documents.
rule clean:
    input:
        **corrections_table_input(),
        **review_decisions_input(),
        text=expand("results/ingest/{doc_id}.txt", doc_id=ALL_DOCS),
        witnesses=witness_texts(ALL_DOCS),
    output:
        text=expand("results/clean/{doc_id}.txt", doc_id=ALL_DOCS),
        corrections=expand("results/clean/{doc_id}.corrections.tsv", doc_id=ALL_DOCS),
        review=expand("results/clean/{doc_id}.review.tsv", doc_id=ALL_DOCS),
    log:
        "results/logs/clean.log",
    benchmark:
        "results/benchmarks/clean.tsv"
    conda:
        "../envs/corpusflow.yaml"
    # Documents are spread over this many forked workers (--set-threads RULE=N to change).
    threads: 2
    resources:
        mem_mb=lambda wildcards, input: 1000 + int(20 * input.size_mb),
        # ~2 s per OCR document of the real size
        runtime=lambda wildcards, input: 5 + int(input.size_mb),
    params:
        doc_ids=ALL_DOCS,
        ocr=manifest_values("ocr", ALL_DOCS),
        witness_ids=manifest_values("witnesses", ALL_DOCS),
        wrapped=manifest_values("wrapped", ALL_DOCS),
        derived=[derived_witnesses(MANIFEST, doc_id) for doc_id in ALL_DOCS],
        settings=cleaning_settings(),
        code=rule_code("clean"),
    script:
        "../scripts/clean.py"


rule cleaning_summary:
    input:
        corrections=expand("results/clean/{doc_id}.corrections.tsv", doc_id=ALL_DOCS),
        review=expand("results/clean/{doc_id}.review.tsv", doc_id=ALL_DOCS),
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
        code=rule_code("cleaning_summary"),
    script:
        "../scripts/cleaning_summary.py"
