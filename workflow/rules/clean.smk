# OCR cleaning: structure for every document (hard wrapping: manifest column `wrapped`);
# witness collation, lexicon and curated corrections for OCR documents (manifest column `ocr`;
# derived witnesses: column `derived_from`). One rule per job of the stage: see stage_jobs in
# common.smk (workflow.documents_per_job).
from corpusflow.manifest import derived_witnesses


def review_decisions_input():
    """The review decisions table as a named input, or nothing when it is disabled."""
    table = config["cleaning"]["review_decisions"]
    return {"review_decisions": table} if table else {}


for name, docs, stem in stage_jobs("clean", ALL_DOCS):

    rule:
        name:
            name
        input:
            text=document_paths("results/ingest/{doc_id}.txt", docs),
            witnesses=witness_texts(docs),
            **corrections_table_input(),
            **review_decisions_input(),
        output:
            text=document_paths("results/clean/{doc_id}.txt", docs),
            corrections=document_paths("results/clean/{doc_id}.corrections.tsv", docs),
            review=document_paths("results/clean/{doc_id}.review.tsv", docs),
        params:
            doc_ids=per_document(str, docs),
            ocr=per_document(manifest_column("ocr"), docs),
            witness_ids=per_document(manifest_column("witnesses"), docs),
            wrapped=per_document(manifest_column("wrapped"), docs),
            derived=per_document(lambda doc_id: derived_witnesses(MANIFEST, doc_id), docs),
            structure=cleaning_structure_params(),
            word_settings=cleaning_word_params(),
            code=code_fingerprint("cleaning", "io"),
        log:
            f"results/logs/clean/{stem}.log",
        benchmark:
            f"results/benchmarks/clean/{stem}.tsv"
        resources:
            mem_mb=1000,
            # grows with a batch's input (~2 s per OCR document at the real size)
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
