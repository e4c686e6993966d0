"""Rule keyness_phrases: the two-word units of the counting choices that learn them, learned
in one pass over the keyness documents' token tables (corpusflow.keyness.counting.Counter)."""

from corpusflow import io
from corpusflow.keyness.counting import Counter, document_pieces, split_models
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.runlog import logged
from corpusflow.settings import from_params
from corpusflow.terms import phrase_model_record

with logged(snakemake.log[0]) as log:
    settings = from_params(KeynessSettings, snakemake.params.settings)
    files = snakemake.params.files  # per-document files, listed by the shard records in input
    pieces = document_pieces(files["tokens"], files["segments"], settings)
    models = split_models(Counter(pieces, snakemake.params.docs, settings).learned(), settings)
    for model, path in zip(models, snakemake.output, strict=True):
        io.write_json(phrase_model_record(model), path)
        log.info("%s: %d units", path, len(model.phrasegrams) if model is not None else 0)
