"""Rule ingest: decode, normalise and strip each raw file of the job (corpusflow.ingest)."""

import json

from corpusflow.ingest import BoilerplateProfile, IngestStream
from corpusflow.io import write_json, write_lines
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    params, output = snakemake.params, snakemake.output
    for raw, encoding, boilerplate, text_path, metadata_path in zip(
        snakemake.input.raw,
        params.encoding,
        params.boilerplate,
        output.text,
        output.metadata,
        strict=True,
    ):
        profile = json.loads(boilerplate) if boilerplate else None
        stream = IngestStream(
            raw,
            encoding=encoding,
            unicode_form=params.unicode_form,
            boilerplate=BoilerplateProfile(**profile) if profile else None,
            allowed_controls=params.allowed_controls,
        )
        write_lines(stream.lines(), text_path)
        write_json(stream.metadata, metadata_path)
        log.info(
            "%s: %d characters, sha256 %s", raw, *map(stream.metadata.get, ("characters", "sha256"))
        )
