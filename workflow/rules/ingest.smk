# Decoding, normalisation and boilerplate removal of the raw files, one job per shard
# (SHARDS in common.smk): results/ingest/<doc_id>.txt and .json, then the shard's record.


INGEST_SETTINGS = from_config(IngestSettings, config, "ingest")


rule ingest:
    input:
        raw=shard_values("path"),
    output:
        record="results/ingest/shards/{shard}.json",
    log:
        "results/logs/ingest/{shard}.log",
    benchmark:
        "results/benchmarks/ingest/{shard}.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        # Ingest streams each file (one 1 MB chunk and one line in memory): ~100 MB
        # whatever the size (bench_memory.py); a few seconds per 10 MB.
        mem_mb=300,
        # (the shard's raw size, known at parse time: summing input.size_mb stats every file)
        runtime=lambda wildcards: 5 + int(SHARDS.megabytes[wildcards.shard] / 10),
    params:
        text=shard_doc_files("ingest", ".txt"),
        metadata=shard_doc_files("ingest", ".json"),
        encoding=shard_values("encoding"),
        boilerplate=shard_values("boilerplate"),
        # The script builds the settings from the config (the boilerplate regexes are free
        # text, params are not); their checksum reruns the rule when they change.
        settings=checksum(as_params(INGEST_SETTINGS)),
        # The raw bytes, not only their time stamps: a file changed under an older time stamp
        # (tar, rsync -a, cp -p) reruns the shard's job (corpusflow.rawfiles).
        raw_sha256=lambda wildcards: CHECKED.raw_fingerprint(shard_docs(wildcards)),
        code=rule_code("ingest"),
    script:
        "../scripts/ingest.py"
