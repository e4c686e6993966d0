# OCR cleaning: structure for every document (hard wrapping: manifest column `wrapped`);
# witness collation, lexicon and curated corrections for OCR documents (manifest column `ocr`;
# derived witnesses: column `derived_from`). One job for all documents.
from corpusflow.manifest import derived_witnesses


def review_decisions_input():
    """The review decisions table as a named input, or nothing when it is disabled."""
    table = config["cleaning"]["review_decisions"]
    return {"review_decisions": table} if table else {}


rule clean:
    input:
        text=expand("results/ingest/{doc_id}.txt", doc_id=ALL_DOCS),
        witnesses=witness_texts(ALL_DOCS),
        **corrections_table_input(),
        **review_decisions_input(),
    output:
        text=expand("results/clean/{doc_id}.txt", doc_id=ALL_DOCS),
        corrections=expand("results/clean/{doc_id}.corrections.tsv", doc_id=ALL_DOCS),
        review=expand("results/clean/{doc_id}.review.tsv", doc_id=ALL_DOCS),
    params:
        doc_ids=ALL_DOCS,
        ocr=manifest_values("ocr", ALL_DOCS),
        witness_ids=manifest_values("witnesses", ALL_DOCS),
        wrapped=manifest_values("wrapped", ALL_DOCS),
        derived=[derived_witnesses(MANIFEST, doc_id) for doc_id in ALL_DOCS],
        structure=cleaning_structure_params(),
        word_settings=cleaning_word_params(),
        code=code_fingerprint("cleaning", "io"),
    log:
        "results/logs/clean.log",
    benchmark:
        "results/benchmarks/clean.tsv"
    # Documents are spread over this many forked workers (--set-threads RULE=N to change).
    threads: 2
    resources:
        mem_mb=lambda wildcards, input: 1000 + int(20 * input.size_mb),
        # ~2 s per OCR document of the real size
        runtime=lambda wildcards, input: 5 + int(input.size_mb),
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
        code=code_fingerprint("cleaning", "io"),
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
