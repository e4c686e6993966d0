"""Rule ingest: decode, normalise and strip each raw file of a shard (corpusflow.ingest)."""

from corpusflow import io
from corpusflow.ingest import run
from corpusflow.ingest_settings import IngestSettings
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.shards import shard_record

with logged(snakemake.log[0]) as log:
    params = snakemake.params
    # rebuilt from the config: the boilerplate regexes are free text (params hold a checksum)
    settings = from_config(IngestSettings, snakemake.config, "ingest")
    for raw, encoding, boilerplate, text_path, metadata_path in zip(
        snakemake.input.raw, params.encoding, params.boilerplate, params.text, params.metadata,
        strict=True,
    ):  # fmt: skip
        stream = run(raw, encoding=encoding, boilerplate=boilerplate, settings=settings)
        io.write_lines(stream.lines(), text_path)
        io.write_json(stream.metadata, metadata_path)
        facts = (stream.metadata[key] for key in ("characters", "sha256"))
        log.info("%s: %d characters, sha256 %s", raw, *facts)
    io.write_json(shard_record([*params.text, *params.metadata]), snakemake.output.record)
