"""Rule topics_documents: one bag of words per analysed segment (corpusflow.topics)."""

import pandas as pd

from corpusflow.io import read_parquet, write_parquet
from corpusflow.runlog import logged
from corpusflow.topics import filter_vocabulary, segment_documents

with logged(snakemake.log[0]) as log:
    params = snakemake.params
    tokens = pd.concat([read_parquet(p) for p in snakemake.input.tokens], ignore_index=True)
    segments = pd.concat([read_parquet(p) for p in snakemake.input.segments], ignore_index=True)
    documents = segment_documents(
        tokens,
        segments,
        unit=params.unit,
        drop_stopwords=params.drop_stopwords,
        extra_stopwords=params.extra_stopwords,
        min_length=params.min_length,
        phrases=params.phrases,
        phrase_min_count=params.phrase_min_count,
        phrase_threshold=params.phrase_threshold,
    )
    documents["terms"] = filter_vocabulary(
        list(documents["terms"]), no_below=params.no_below, no_above=params.no_above
    )
    write_parquet(documents, snakemake.output.documents)
    vocabulary = {t for terms in documents["terms"] for t in terms}
    log.info(
        "%d segments, %d term tokens, %d distinct terms",
        len(documents),
        sum(len(t) for t in documents["terms"]),
        len(vocabulary),
    )
