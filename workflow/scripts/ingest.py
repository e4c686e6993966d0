"""Rule ingest: decode, normalise and strip one raw file (corpusflow.ingest)."""

import json

from corpusflow.ingest import BoilerplateProfile, ingest_document
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    profile = json.loads(snakemake.params.boilerplate) if snakemake.params.boilerplate else None
    document = ingest_document(
        snakemake.input.raw,
        encoding=snakemake.params.encoding,
        unicode_form=snakemake.params.unicode_form,
        boilerplate=BoilerplateProfile(**profile) if profile else None,
    )
    with open(snakemake.output.text, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(document.text)
    with open(snakemake.output.metadata, "w", encoding="utf-8") as handle:
        json.dump(document.metadata, handle, indent=2, sort_keys=True)
        handle.write("\n")
    log.info(
        "%s: %d characters, sha256 %s",
        snakemake.input.raw,
        len(document.text),
        document.metadata["sha256"],
    )
