rule ingest:
    input:
        raw=manifest_value("path"),
    output:
        text="results/ingest/{doc_id}.txt",
        metadata="results/ingest/{doc_id}.json",
    params:
        encoding=manifest_value("encoding"),
        unicode_form=config["ingest"]["unicode_form"],
        boilerplate=boilerplate_profile,
        code=code_fingerprint("ingest"),
    log:
        "results/logs/ingest/{doc_id}.log",
    benchmark:
        "results/benchmarks/ingest/{doc_id}.tsv"
    resources:
        # Measured: ~110 MB (Python + package) + ~5x the raw file; see docs/cluster.md.
        mem_mb=lambda wildcards, input: 200 + int(10 * input.size_mb),
        runtime=5,
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/ingest.py"
