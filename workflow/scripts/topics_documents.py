"""Rule topics_documents (reduce): the shards' bags of words stacked in doc_id order; the
exact check of K. Written in row groups as they come (corpusflow.topics.run.documents)."""

from corpusflow import io
from corpusflow.runlog import logged
from corpusflow.settings import from_config
from corpusflow.topics import check_k_fits
from corpusflow.topics.run.documents import documents
from corpusflow.topics.settings import TopicsSettings

with logged(snakemake.log[0]) as log:
    settings = from_config(TopicsSettings, snakemake.config, "topics")
    pieces, summary = documents(snakemake.input, settings)
    io.write_parquet_chunks(pieces, snakemake.output.documents)
    fraction = settings.perturbation.fraction
    check_k_fits(settings.k_max, summary.segments, fraction, where="the analysed texts give")
    log.info(
        "%d segments, %d term tokens, %d distinct terms (before the vocabulary filter)",
        summary.segments,
        summary.term_tokens,
        summary.distinct_terms,
    )
