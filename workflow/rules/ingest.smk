# Decoding, normalisation and boilerplate removal of every raw file, in one job.


rule ingest:
    input:
        raw=manifest_values("path", ALL_DOCS),
    output:
        text=expand("results/ingest/{doc_id}.txt", doc_id=ALL_DOCS),
        metadata=expand("results/ingest/{doc_id}.json", doc_id=ALL_DOCS),
    log:
        "results/logs/ingest.log",
    benchmark:
        "results/benchmarks/ingest.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        # Measured: ~110 MB (Python + package) + ~5x the largest raw file; see docs/cluster.md.
        mem_mb=lambda wildcards, input: 200 + int(10 * input.size_mb),
        runtime=lambda wildcards, input: 5 + int(input.size_mb / 10),
    params:
        encoding=manifest_values("encoding", ALL_DOCS),
        unicode_form=config["ingest"]["unicode_form"],
        boilerplate=boilerplate_names(ALL_DOCS),
        profiles=checksum(config["ingest"]["boilerplate_profiles"]),
        code=code_fingerprint("ingest"),
    script:
        "../scripts/ingest.py"
