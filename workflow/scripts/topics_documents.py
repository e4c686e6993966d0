"""Rule topics_documents: one bag of words per analysed segment; the exact check of K."""

from corpusflow.io import read_parquets, write_parquet
from corpusflow.runlog import logged
from corpusflow.topics import check_k_fits
from corpusflow.topics.documents import segment_documents

with logged(snakemake.log[0]) as log:
    params = snakemake.params
    documents = segment_documents(
        read_parquets(snakemake.input.tokens),
        read_parquets(snakemake.input.segments),
        extra_stopwords=snakemake.config["topics"]["extra_stopwords"],
        **params.settings,
    )
    check_k_fits(params.largest_k, len(documents), params.fraction, where="the analysed texts give")
    write_parquet(documents, snakemake.output.documents)
    log.info(
        "%d segments, %d term tokens, %d distinct terms (before the vocabulary filter)",
        len(documents),
        sum(len(t) for t in documents["terms"]),
        len({t for terms in documents["terms"] for t in terms}),
    )
