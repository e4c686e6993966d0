"""Rule tokenise: spaCy tokens of one document (corpusflow.tokenise)."""

import json
from pathlib import Path

from corpusflow.runlog import logged
from corpusflow.tables import write_parquet
from corpusflow.tokenise import load_pipeline, pipeline_description, stopword_set, tokenise_text

with logged(snakemake.log[0]) as log:
    nlp = load_pipeline(snakemake.params.pipeline)
    text = Path(snakemake.input.text).read_text(encoding="utf-8")
    tokens = tokenise_text(
        text,
        snakemake.wildcards.doc_id,
        nlp,
        lemma_overrides=snakemake.params.lemma_overrides,
        stopwords=stopword_set(nlp, snakemake.params.extra_stopwords),
        batch_size=snakemake.params.batch_size,
    )
    write_parquet(tokens, snakemake.output.tokens)
    metadata = {
        "doc_id": snakemake.wildcards.doc_id,
        "source_text": snakemake.input.text,
        "pipeline": pipeline_description(nlp, snakemake.params.pipeline),
        "tokens": len(tokens),
        "alphabetic_tokens": int(tokens["is_alpha"].sum()),
        "types": int(tokens.loc[tokens["is_alpha"], "lower"].nunique()),
        "sentences": int(tokens["sentence"].nunique()),
        "paragraphs": int(tokens["paragraph"].nunique()),
    }
    with open(snakemake.output.metadata, "w", encoding="utf-8") as handle:
        json.dump(metadata, handle, indent=2, sort_keys=True)
        handle.write("\n")
    log.info("%s: %d tokens", snakemake.wildcards.doc_id, len(tokens))
