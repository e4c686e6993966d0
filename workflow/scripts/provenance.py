"""Rule provenance: inputs, effective config, versions, seeds and output fingerprints."""

from corpusflow import io
from corpusflow.provenance import build_provenance
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    record = build_provenance(
        raw_inputs={
            io.doc_id_of(path): io.read_json(path) for path in snakemake.params.files["ingest"]
        },
        config=snakemake.config,
        spacy_pipeline=io.read_json(snakemake.params.files["tokens"][0])["pipeline"],
        outputs=snakemake.input.outputs,
    )
    io.write_json(record, snakemake.output[0])
    log.info("fingerprinted %d outputs", len(record["outputs"]))
