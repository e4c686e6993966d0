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
        # Ingest streams each file (one 1 MB chunk and one line in memory): ~100 MB
        # whatever the size (bench_memory.py); a few seconds per 10 MB.
        mem_mb=300,
        runtime=lambda wildcards, input: 5 + int(input.size_mb / 10),
    params:
        encoding=manifest_values("encoding", ALL_DOCS),
        unicode_form=config["ingest"]["unicode_form"],
        allowed_controls=sorted(config["ingest"]["allowed_control_characters"]),
        boilerplate=boilerplate_names(ALL_DOCS),
        profiles=checksum(config["ingest"]["boilerplate_profiles"]),
        # The raw bytes, not only their time stamps: a file changed under an older time stamp
        # (tar, rsync -a, cp -p) reruns the stage (corpusflow.rawfiles).
        raw_sha256=CHECKED.raw_fingerprint(ALL_DOCS),
        code=rule_code("ingest"),
    script:
        "../scripts/ingest.py"
