"""Rule tokenise: spaCy tokens of each document (corpusflow.tokenise).

Long documents are tokenised and written chunk by chunk (tokenise.CHUNK_CHARACTERS), so a
worker's memory holds one chunk of tokens, not the document's whole table.
"""

from corpusflow import io
from corpusflow.parallel import map_documents
from corpusflow.runlog import logged
from corpusflow.tokenise import (
    TokenCounts,
    load_pipeline,
    pipeline_description,
    stopword_set,
    tokenise_chunks,
)


def tokenise_one(job: tuple) -> tuple[str, int]:
    """Tokenise one document and write its token table and metadata."""
    doc_id, text_path, tokens_path, metadata_path = job
    counts = TokenCounts()
    chunks = tokenise_chunks(
        io.read_text(text_path),
        doc_id,
        nlp,
        lemma_overrides=params.lemma_overrides,
        stopwords=stopwords,
        batch_size=params.batch_size,
    )
    io.write_parquet_chunks(map(counts.add, chunks), tokens_path)
    metadata = {"doc_id": doc_id, "source_text": text_path, "pipeline": description}
    io.write_json({**metadata, **counts.as_dict()}, metadata_path)
    return doc_id, counts.tokens


with logged(snakemake.log[0]) as log:
    params = snakemake.params
    nlp = load_pipeline(params.pipeline)
    description = pipeline_description(nlp, params.pipeline)
    stopwords = stopword_set(nlp, params.extra_stopwords)
    jobs = list(
        zip(
            params.doc_ids,
            snakemake.input.text,
            snakemake.output.tokens,
            snakemake.output.metadata,
            strict=True,
        )
    )
    for doc_id, n_tokens in map_documents(tokenise_one, jobs, snakemake.threads):
        log.info("%s: %d tokens", doc_id, n_tokens)
