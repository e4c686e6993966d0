"""Rule tokenise: spaCy tokens of each document of the job (corpusflow.tokenise)."""

import json
from pathlib import Path

from corpusflow.io import write_parquet
from corpusflow.runlog import logged
from corpusflow.tokenise import load_pipeline, pipeline_description, stopword_set, tokenise_text

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
        text = Path(text_path).read_text(encoding="utf-8")
        tokens = tokenise_text(
            text,
            doc_id,
            nlp,
            lemma_overrides=params.lemma_overrides,
            stopwords=stopwords,
            batch_size=params.batch_size,
        )
        write_parquet(tokens, tokens_path)
        metadata = {
            "doc_id": doc_id,
            "source_text": text_path,
            "pipeline": pipeline_description(nlp, params.pipeline),
            "tokens": len(tokens),
            "alphabetic_tokens": int(tokens["is_alpha"].sum()),
            "types": int(tokens.loc[tokens["is_alpha"], "lower"].nunique()),
            "sentences": int(tokens["sentence"].nunique()),
            "paragraphs": int(tokens["paragraph"].nunique()),
        }
        with open(metadata_path, "w", encoding="utf-8") as handle:
            json.dump(metadata, handle, indent=2, sort_keys=True)
            handle.write("\n")
        log.info("%s: %d tokens", doc_id, len(tokens))
