"""Rule ingest: decode, normalise and strip each raw file (corpusflow.ingest)."""

from corpusflow import io
from corpusflow.ingest import BoilerplateProfile, ingest_document
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
        document = ingest_document(
            raw,
            encoding=encoding,
            unicode_form=params.unicode_form,
            boilerplate=BoilerplateProfile(**profiles[boilerplate]) if boilerplate else None,
        )
        io.write_text(document.text, text_path)
        io.write_json(document.metadata, metadata_path)
        sha256 = document.metadata["sha256"]
        log.info("%s: %d characters, sha256 %s", raw, len(document.text), sha256)
