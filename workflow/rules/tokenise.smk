# Tokenise reads the text the cleaning stage writes (see TEXT_FOR_ANALYSIS in common.smk); one
# job per shard (SHARDS in common.smk), so spaCy loads once per shard.


TOKENISE_SETTINGS = from_config(TokeniseSettings, config, "tokenise")


rule tokenise:
    input:
        text=f"results/{TEXT_FOR_ANALYSIS[0]}/shards/{{shard}}.json",
    output:
        record="results/tokens/shards/{shard}.json",
    log:
        "results/logs/tokenise/{shard}.log",
    benchmark:
        "results/benchmarks/tokenise/{shard}.tsv"
    conda:
        "../envs/corpusflow.yaml"
    # Documents are spread over this many forked workers (--set-threads RULE=N to change).
    threads: 2
    resources:
        # Tokenised and written in chunks of paragraphs: the pipeline (~225 MB with the
        # embedded tagger), the text and one chunk per worker (bench_memory.py measured 576 MB
        # for a 50 MB text with the lookup pipeline; the tagger's chunk is larger).
        mem_mb=lambda wildcards, input: 900 + int(20 * input_mb(input)),
        runtime=lambda wildcards, input: 5 + int(input_mb(input)),
    params:
        doc_ids=shard_docs,
        text=shard_doc_files(*TEXT_FOR_ANALYSIS),
        tokens=shard_doc_files("tokens", ".parquet"),
        metadata=shard_doc_files("tokens", ".json"),
        settings=as_params(TOKENISE_SETTINGS),
        # The pipeline's files change the tokens: a retrained pipeline reruns the stage.
        pipeline_sha256=pipeline_checksum(TOKENISE_SETTINGS.pipeline),
        code=rule_code("tokenise"),
    script:
        "../scripts/tokenise.py"


# Only shards that hold an analysed document are asked for (SHARDS.records("segments", ...)).
rule segment:
    input:
        tokens="results/tokens/shards/{shard}.json",
    output:
        record="results/segments/shards/{shard}.json",
    log:
        "results/logs/segment/{shard}.log",
    benchmark:
        "results/benchmarks/segment/{shard}.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        # Reads the token table in batches, holds one row per sentence: 351 MB for a
        # 112 MB table of 9.4 million tokens (bench_memory.py, docs/cluster.md).
        mem_mb=lambda wildcards, input: 400 + int(5 * input_mb(input)),
        runtime=lambda wildcards, input: 5 + int(input_mb(input)),
    params:
        doc_ids=shard_analysis_docs,
        tokens=shard_doc_files("tokens", ".parquet", shard_analysis_docs),
        segments=shard_doc_files("segments", ".parquet", shard_analysis_docs),
        settings=as_params(from_config(SegmentSettings, config, "segments")),
        code=rule_code("segment"),
    script:
        "../scripts/segment.py"
