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
        mem_mb=1000,
        runtime=10,
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
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/segment.py"
