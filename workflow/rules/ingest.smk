# One rule per job of the stage: see stage_jobs in common.smk (workflow.documents_per_job).
for name, docs, stem in stage_jobs("ingest", ALL_DOCS):

    rule:
        name:
            name
        input:
            raw=per_document(manifest_column("path"), docs),
        output:
            text=document_paths("results/ingest/{doc_id}.txt", docs),
            metadata=document_paths("results/ingest/{doc_id}.json", docs),
        params:
            encoding=per_document(manifest_column("encoding"), docs),
            unicode_form=config["ingest"]["unicode_form"],
            boilerplate=per_document(boilerplate_profile, docs),
            code=code_fingerprint("ingest"),
        log:
            f"results/logs/ingest/{stem}.log",
        benchmark:
            f"results/benchmarks/ingest/{stem}.tsv"
        resources:
            # Measured: ~110 MB (Python + package) + ~5x the raw file; see docs/cluster.md.
            mem_mb=lambda wildcards, input: 200 + int(10 * input.size_mb),
            runtime=5,
        conda:
            "../envs/corpusflow.yaml"
        script:
            "../scripts/ingest.py"
