"""Rule tokenise: spaCy tokens of each document of the job (corpusflow.tokenise)."""

from corpusflow.io import read_text, write_json, write_parquet
from corpusflow.runlog import logged
from corpusflow.tokenise import (
    document_summary,
    load_pipeline,
    pipeline_description,
    stopword_set,
    tokenise_text,
)

with logged(snakemake.log[0]) as log:
    params = snakemake.params
    nlp = load_pipeline(params.pipeline)
    description = pipeline_description(nlp, params.pipeline)
    stopwords = stopword_set(nlp, params.extra_stopwords)
    for doc_id, text_path, tokens_path, metadata_path in zip(
        params.doc_ids,
        snakemake.input.text,
        snakemake.output.tokens,
        snakemake.output.metadata,
        strict=True,
    ):
        tokens = tokenise_text(
            read_text(text_path),
            doc_id,
            nlp,
            lemma_overrides=params.lemma_overrides,
            stopwords=stopwords,
            batch_size=params.batch_size,
        )
        write_parquet(tokens, tokens_path)
        metadata = {"doc_id": doc_id, "source_text": text_path, "pipeline": description}
        write_json({**metadata, **document_summary(tokens)}, metadata_path)
        log.info("%s: %d tokens", doc_id, len(tokens))
