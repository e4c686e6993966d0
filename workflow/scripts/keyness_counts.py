"""Rule keyness_counts (the map step): one shard's per-segment term counts under every
counting choice and its occurrences under the default one (corpusflow.keyness.counting)."""

from corpusflow import io
from corpusflow.keyness.counting import Counter, document_pieces, joined_models
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.runlog import logged
from corpusflow.settings import from_params
from corpusflow.terms import phrase_model_from_record

with logged(snakemake.log[0]) as log:
    settings = from_params(KeynessSettings, snakemake.params.settings)
    pair = (snakemake.input.phrase_model, snakemake.input.other_phrase_model)
    models = joined_models(*(phrase_model_from_record(io.read_json(p)) for p in pair), settings)
    pieces = document_pieces(snakemake.params.tokens, snakemake.params.segments, settings)
    counts, occurrences = Counter(pieces, snakemake.params.docs, settings).count(models)
    io.write_parquet(counts, snakemake.output.counts)
    io.write_parquet(occurrences, snakemake.output.occurrences)
    log.info("%d documents, %d occurrences", len(snakemake.params.docs), len(occurrences))
