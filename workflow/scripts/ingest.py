"""Rule ingest: decode, normalise and strip each raw file, streamed (corpusflow.ingest)."""

from corpusflow import io
from corpusflow.ingest import BoilerplateProfile, IngestStream
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    params, output = snakemake.params, snakemake.output
    profiles = snakemake.config["ingest"]["boilerplate_profiles"]
    for raw, encoding, boilerplate, text_path, metadata_path in zip(
        snakemake.input.raw,
        params.encoding,
        params.boilerplate,
        output.text,
        output.metadata,
        strict=True,
    ):
        stream = IngestStream(
            raw,
            encoding=encoding,
            unicode_form=params.unicode_form,
            boilerplate=BoilerplateProfile(**profiles[boilerplate]) if boilerplate else None,
            allowed_controls=params.allowed_controls,
        )
        io.write_lines(stream.lines(), text_path)
        io.write_json(stream.metadata, metadata_path)
        log.info(
            "%s: %d characters, sha256 %s", raw, *map(stream.metadata.get, ("characters", "sha256"))
        )
