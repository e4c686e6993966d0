# Tokenise reads the text the cleaning stage writes (see TEXT_FOR_ANALYSIS in common.smk).


rule tokenise:
    input:
        text=TEXT_FOR_ANALYSIS,
    output:
        tokens="results/tokens/{doc_id}.parquet",
        metadata="results/tokens/{doc_id}.json",
    params:
        pipeline=config["tokenise"]["pipeline"],
        batch_size=config["tokenise"]["batch_size"],
        lemma_overrides=config["tokenise"]["lemma_overrides"],
        extra_stopwords=config["tokenise"]["extra_stopwords"],
        code=code_fingerprint("tokenise", "tables"),
    log:
        "results/logs/tokenise/{doc_id}.log",
    benchmark:
        "results/benchmarks/tokenise/{doc_id}.tsv"
    resources:
        # Measured: ~180 MB (spaCy + lookups) + ~135 MB per MB of text; see docs/cluster.md.
        mem_mb=lambda wildcards, input: 400 + int(200 * input.size_mb),
        runtime=lambda wildcards, input: 5 + int(input.size_mb),
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/tokenise.py"


rule segment:
    input:
        tokens="results/tokens/{doc_id}.parquet",
    output:
        segments="results/segments/{doc_id}.parquet",
    params:
        target_tokens=config["segments"]["target_tokens"],
        code=code_fingerprint("segment", "tables"),
    log:
        "results/logs/segment/{doc_id}.log",
    benchmark:
        "results/benchmarks/segment/{doc_id}.tsv"
    resources:
        # Measured: ~150 MB + ~20 MB per MB of token table; see docs/cluster.md.
        mem_mb=lambda wildcards, input: 300 + int(40 * input.size_mb),
        runtime=lambda wildcards, input: 5 + int(input.size_mb),
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/segment.py"
