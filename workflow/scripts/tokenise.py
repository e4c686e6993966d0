"""Rule tokenise: spaCy tokens of each document of the job (corpusflow.tokenise).

Long documents are tokenised and written chunk by chunk (tokenise.CHUNK_CHARACTERS), so the job's
memory holds one chunk of tokens, not the document's whole table.
"""

from corpusflow.io import read_text, write_json, write_parquet_chunks
from corpusflow.runlog import logged
from corpusflow.tokenise import (
    TokenCounts,
    load_pipeline,
    pipeline_description,
    stopword_set,
    tokenise_chunks,
)

with logged(snakemake.log[0]) as log:
    params = snakemake.params
    nlp = load_pipeline(params.pipeline)
    stopwords = stopword_set(nlp, params.extra_stopwords)
    for doc_id, text_path, tokens_path, metadata_path in zip(
        params.doc_ids,
        snakemake.input.text,
        snakemake.output.tokens,
        snakemake.output.metadata,
        strict=True,
    ):
        counts = TokenCounts()
        chunks = tokenise_chunks(
            read_text(text_path),
            doc_id,
            nlp,
            lemma_overrides=params.lemma_overrides,
            stopwords=stopwords,
            batch_size=params.batch_size,
        )
        write_parquet_chunks(map(counts.add, chunks), tokens_path)
        metadata = {
            "doc_id": doc_id,
            "source_text": text_path,
            "pipeline": pipeline_description(nlp, params.pipeline),
            **counts.as_dict(),
        }
        write_json(metadata, metadata_path)
        log.info("%s: %d tokens", doc_id, counts.tokens)
