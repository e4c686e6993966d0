"""Rule ingest: decode, normalise and strip each raw file of the job (corpusflow.ingest)."""

import json

from corpusflow.ingest import BoilerplateProfile, ingest_document
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
        document = ingest_document(
            raw,
            encoding=encoding,
            unicode_form=params.unicode_form,
            boilerplate=BoilerplateProfile(**profile) if profile else None,
        )
        with open(text_path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(document.text)
        with open(metadata_path, "w", encoding="utf-8") as handle:
            json.dump(document.metadata, handle, indent=2, sort_keys=True)
            handle.write("\n")
        sha256 = document.metadata["sha256"]
        log.info("%s: %d characters, sha256 %s", raw, len(document.text), sha256)
