"""Rule provenance: inputs, effective config, versions, seeds and output fingerprints."""

import json

from corpusflow.provenance import build_provenance
from corpusflow.runlog import logged

with logged(snakemake.log[0]) as log:
    raw_inputs = {}
    for path in snakemake.input.ingest:
        with open(path, encoding="utf-8") as handle:
            metadata = json.load(handle)
        raw_inputs[path.rsplit("/", 1)[-1].removesuffix(".json")] = metadata
    with open(snakemake.input.tokens[0], encoding="utf-8") as handle:
        pipeline = json.load(handle)["pipeline"]
    record = build_provenance(
        raw_inputs=raw_inputs,
        config=snakemake.params.config,
        spacy_pipeline=pipeline,
        outputs=snakemake.input.outputs,
    )
    with open(snakemake.output[0], "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=2, sort_keys=True)
        handle.write("\n")
    log.info("fingerprinted %d outputs", len(record["outputs"]))
