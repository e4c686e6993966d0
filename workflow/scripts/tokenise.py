"""Rule tokenise: spaCy tokens of each document of a shard (corpusflow.tokenise).

Long documents are tokenised and written chunk by chunk (tokenise.CHUNK_CHARACTERS), so a
worker's memory holds one chunk of tokens, not the document's whole table.
"""

from corpusflow import io
from corpusflow.parallel import map_documents
from corpusflow.runlog import logged
from corpusflow.settings import from_params
from corpusflow.shards import shard_record
from corpusflow.tokenise import TokenCounts, load_pipeline, pipeline_description, run
from corpusflow.tokenise_settings import TokeniseSettings


def tokenise_one(job: tuple) -> tuple[str, int]:
    """Tokenise one document and write its token table and metadata."""
    doc_id, text_path, tokens_path, metadata_path = job
    counts = TokenCounts()
    chunks = run(io.read_text(text_path), doc_id, settings, nlp)
    io.write_parquet_chunks(map(counts.add, chunks), tokens_path)
    metadata = {"doc_id": doc_id, "source_text": text_path, "pipeline": description}
    io.write_json({**metadata, **counts.as_dict()}, metadata_path)
    return doc_id, counts.tokens


with logged(snakemake.log[0]) as log:
    params = snakemake.params
    settings = from_params(TokeniseSettings, params.settings)
    nlp = load_pipeline(settings.pipeline)  # once per job; forked workers share it
    description = pipeline_description(nlp, settings.pipeline)
    jobs = list(zip(params.doc_ids, params.text, params.tokens, params.metadata, strict=True))
    for doc_id, n_tokens in map_documents(tokenise_one, jobs, snakemake.threads):
        log.info("%s: %d tokens", doc_id, n_tokens)
    io.write_json(shard_record([*params.tokens, *params.metadata]), snakemake.output.record)
