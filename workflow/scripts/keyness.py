"""Rule keyness (the reduce step): keyword tables, concordance and record from the shards'
merged counts and occurrences (corpusflow.keyness.stage.reduce); no token table is read."""

from corpusflow import io
from corpusflow.keyness.counting import Evidence, Sides, merged_counts
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.keyness.stage import reduce
from corpusflow.runlog import logged
from corpusflow.settings import from_params

with logged(snakemake.log[0]) as log:
    settings = from_params(KeynessSettings, snakemake.params.settings)
    inputs = Evidence(
        counts=merged_counts(snakemake.input.counts),
        occurrences=lambda: map(io.read_parquet, snakemake.input.occurrences),
        sides=Sides(
            texts=io.read_texts(snakemake.params.texts),  # listed by the shard records in input
            target_docs=snakemake.params.target_docs,
            reference_docs=snakemake.params.reference_docs,
            choice=io.read_json(snakemake.input.choice),
            processes=snakemake.threads,
        ),
    )
    result = reduce(inputs, settings)
    for name in ("table", "top", "sensitivity", "kwic"):
        io.write_csv(result[name], snakemake.output[name])
    io.write_json(result["record"], snakemake.output.record)
    log.info("design %(design)s, test %(test)s, top terms %(top_terms)s", result["record"])
