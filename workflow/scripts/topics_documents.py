"""Rule topics_documents: one bag of words per analysed segment; the exact check of K.

The token tables are read one document at a time and the documents table is written in row
groups as it comes (corpusflow.topics.run.documents): memory never holds every token."""

from corpusflow import io
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.shards import ShardFiles
from corpusflow.topics import check_k_fits
from corpusflow.topics.run import documents
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    settings = from_config(TopicsSettings, snakemake.config, "topics")
    # the per-document files of params.files in place of the shard records that list them
    pieces, summary = documents(ShardFiles(snakemake.input, snakemake.params.files), settings)
    io.write_parquet_chunks(pieces, snakemake.output.documents)
    fraction = settings.perturbation.fraction
    check_k_fits(settings.k_max, summary.segments, fraction, where="the analysed texts give")
    log.info(
        "%d segments, %d term tokens, %d distinct terms (before the vocabulary filter)",
        summary.segments,
        summary.term_tokens,
        summary.distinct_terms,
    )
