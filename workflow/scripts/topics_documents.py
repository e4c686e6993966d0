"""Rule topics_documents: one bag of words per analysed segment; the exact check of K.

The token tables are read one document at a time, in batches (corpusflow.io.read_documents),
and the documents table is written in row groups as it comes: memory holds one batch and one
document's terms, never every token of the corpus."""

from corpusflow import io
from corpusflow.runlog import logged
from corpusflow.topics import check_k_fits
from corpusflow.topics.documents import DOCUMENTS_ROWS, DocumentsSummary, documents_in_pieces

with logged(snakemake.log[0]) as log:
    params = snakemake.params
    summary = DocumentsSummary()
    pieces = documents_in_pieces(
        lambda: io.read_documents(
            snakemake.params.files["tokens"], snakemake.params.files["segments"]
        ),
        extra_stopwords=snakemake.config["topics"]["extra_stopwords"],
        rows=DOCUMENTS_ROWS,
        **params.settings,
    )
    io.write_parquet_chunks(map(summary.add, pieces), snakemake.output.documents)
    check_k_fits(
        params.largest_k, summary.segments, params.fraction, where="the analysed texts give"
    )
    log.info(
        "%d segments, %d term tokens, %d distinct terms (before the vocabulary filter)",
        summary.segments,
        summary.term_tokens,
        summary.distinct_terms,
    )
