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
            allowed_controls=sorted(config["ingest"]["allowed_control_characters"]),
            boilerplate=per_document(boilerplate_profile, docs),
            code=code_fingerprint("ingest"),
        log:
            f"results/logs/ingest/{stem}.log",
        benchmark:
            f"results/benchmarks/ingest/{stem}.tsv"
        resources:
            # Ingest streams each file (one 1 MB chunk and one line in memory): ~100 MB
            # whatever the size (bench_memory.py); a few seconds per 10 MB.
            mem_mb=300,
            runtime=lambda wildcards, input: 5 + int(input.size_mb / 10),
        conda:
            "../envs/corpusflow.yaml"
        script:
            "../scripts/ingest.py"
