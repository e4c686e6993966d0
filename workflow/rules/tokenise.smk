# Tokenise reads the text the cleaning stage writes (see TEXT_FOR_ANALYSIS in common.smk).
# One rule per job of each stage: see stage_jobs in common.smk (workflow.documents_per_job).
for name, docs, stem in stage_jobs("tokenise", ALL_DOCS):

    rule:
        name:
            name
        input:
            text=document_paths(TEXT_FOR_ANALYSIS, docs),
        output:
            tokens=document_paths("results/tokens/{doc_id}.parquet", docs),
            metadata=document_paths("results/tokens/{doc_id}.json", docs),
        params:
            doc_ids=per_document(str, docs),
            pipeline=config["tokenise"]["pipeline"],
            batch_size=config["tokenise"]["batch_size"],
            lemma_overrides=config["tokenise"]["lemma_overrides"],
            extra_stopwords=config["tokenise"]["extra_stopwords"],
            code=code_fingerprint("tokenise", "io"),
        log:
            f"results/logs/tokenise/{stem}.log",
        benchmark:
            f"results/benchmarks/tokenise/{stem}.tsv"
        resources:
            # Tokenised and written in chunks: ~180 MB (spaCy + lookups) + the text + one
            # chunk; 576 MB for a 50 MB text (bench_memory.py, docs/cluster.md).
            mem_mb=lambda wildcards, input: 600 + int(10 * input.size_mb),
            runtime=lambda wildcards, input: 5 + int(input.size_mb),
        conda:
            "../envs/corpusflow.yaml"
        script:
            "../scripts/tokenise.py"


for name, docs, stem in stage_jobs("segment", ANALYSIS_DOCS):

    rule:
        name:
            name
        input:
            tokens=document_paths("results/tokens/{doc_id}.parquet", docs),
        output:
            segments=document_paths("results/segments/{doc_id}.parquet", docs),
        params:
            doc_ids=per_document(str, docs),
            target_tokens=config["segments"]["target_tokens"],
            code=code_fingerprint("segment", "io"),
        log:
            f"results/logs/segment/{stem}.log",
        benchmark:
            f"results/benchmarks/segment/{stem}.tsv"
        resources:
            # Reads the token table in batches, holds one row per sentence: 351 MB for a
            # 112 MB table of 9.4 million tokens (bench_memory.py, docs/cluster.md).
            mem_mb=lambda wildcards, input: 400 + int(5 * input.size_mb),
            runtime=lambda wildcards, input: 5 + int(input.size_mb),
        conda:
            "../envs/corpusflow.yaml"
        script:
            "../scripts/segment.py"
