# Tokenise reads the text the cleaning stage writes (see TEXT_FOR_ANALYSIS in common.smk); one
# job for all documents, so spaCy loads once.


rule tokenise:
    input:
        text=expand(TEXT_FOR_ANALYSIS, doc_id=ALL_DOCS),
    output:
        tokens=expand("results/tokens/{doc_id}.parquet", doc_id=ALL_DOCS),
        metadata=expand("results/tokens/{doc_id}.json", doc_id=ALL_DOCS),
    log:
        "results/logs/tokenise.log",
    benchmark:
        "results/benchmarks/tokenise.tsv"
    conda:
        "../envs/corpusflow.yaml"
    # Documents are spread over this many forked workers (--set-threads RULE=N to change).
    threads: 2
    resources:
        # Tokenised and written in chunks of paragraphs: the pipeline (~225 MB with the
        # embedded tagger), the text and one chunk per worker (bench_memory.py measured 576 MB
        # for a 50 MB text with the lookup pipeline; the tagger's chunk is larger).
        mem_mb=lambda wildcards, input: 900 + int(20 * input.size_mb),
        runtime=lambda wildcards, input: 5 + int(input.size_mb),
    params:
        doc_ids=ALL_DOCS,
        pipeline=config["tokenise"]["pipeline"],
        # The pipeline's files change the tokens: a retrained pipeline reruns the stage.
        pipeline_sha256=pipeline_checksum(config["tokenise"]["pipeline"]),
        batch_size=config["tokenise"]["batch_size"],
        lemma_overrides=config["tokenise"]["lemma_overrides"],
        extra_stopwords=config["tokenise"]["extra_stopwords"],
        code=rule_code("tokenise"),
    script:
        "../scripts/tokenise.py"


rule segment:
    input:
        tokens=expand("results/tokens/{doc_id}.parquet", doc_id=ANALYSIS_DOCS),
    output:
        segments=expand("results/segments/{doc_id}.parquet", doc_id=ANALYSIS_DOCS),
    log:
        "results/logs/segment.log",
    benchmark:
        "results/benchmarks/segment.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        # Reads the token table in batches, holds one row per sentence: 351 MB for a
        # 112 MB table of 9.4 million tokens (bench_memory.py, docs/cluster.md).
        mem_mb=lambda wildcards, input: 400 + int(5 * input.size_mb),
        runtime=lambda wildcards, input: 5 + int(input.size_mb),
    params:
        doc_ids=ANALYSIS_DOCS,
        target_tokens=config["segments"]["target_tokens"],
        code=rule_code("segment"),
    script:
        "../scripts/segment.py"
