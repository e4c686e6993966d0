"""Rule explorer: the offline explorer page (corpusflow.explorer)."""

from pathlib import Path

from corpusflow import io
from corpusflow.cleaning.curated import read_corrections
from corpusflow.cleaning.review import read_review_decisions
from corpusflow.explorer import (
    counting_settings,
    explorer_data,
    manifest_documents,
    topic_model_arrays,
)
from corpusflow.explorer.page import render_page_parts
from corpusflow.manifest import read_manifest
from corpusflow.runlog import logged
from corpusflow.terms import PIECE_ROWS, counting_columns, phrase_model_from_record, token_pieces

CORRECTIONS = {"before": "str", "after": "str", "rule": "str", "evidence": "str"}
REVIEW = {"token": "str", "candidate": "str", "kind": "str", "evidence": "str", "context": "str"}

with logged(snakemake.log[0]) as log:
    inp, settings = snakemake.input, snakemake.params.settings
    files = snakemake.params.files  # per-document files, listed by the shard records in inp
    model = io.load_lda(Path(inp.model) / "lda.gensim")
    topic_term, vocabulary = topic_model_arrays(model)
    # The rows the cleaning stage applied: the curated table's and the accepted decisions.
    table, decisions = inp.get("corrections_table"), inp.get("review_decisions")
    curated = (read_corrections(table) if table else []) + (
        read_review_decisions(decisions)[0] if decisions else []
    )
    record = io.read_json(inp.keyness_record)
    counting = counting_settings(record)
    # Each text file read once: the analysed texts are the cleaned ones (a large document is
    # then held once, not twice).
    read = {
        str(path): io.read_text(path)
        for path in dict.fromkeys([*files["cleaned"], *files["texts"]])
    }
    columns = counting_columns(unit=counting["unit"], pos=counting["pos"])
    data = explorer_data(
        documents=manifest_documents(read_manifest(inp.manifest)),
        groups=snakemake.config["groups"],
        keyness_table=io.read_csv(
            inp.keyness, dtype={"term": "str", "side": "str", "forms": "str"}
        ),
        keyness_record=record,
        # one piece of one document's token table at a time, the columns the counting reads
        pieces=lambda: token_pieces(
            io.read_documents(files["tokens"], files["segments"], columns, rows=PIECE_ROWS)
        ),
        # the two-word units the keyness stage learned on the same tokens, not learned again
        phrase_model=phrase_model_from_record(io.read_json(inp.phrase_model)),
        segments=io.read_parquets(files["segments"]),
        texts={io.doc_id_of(path): read[str(path)] for path in files["texts"]},
        terms_table=io.read_csv(inp.topic_terms, dtype={"term": "str", "label": "str"}),
        topic_term=topic_term,
        vocabulary=vocabulary,
        # the modelled segments' terms, a batch of segments at a time (counted once)
        topic_documents=(
            terms
            for batch in io.read_parquet_batches(inp.topic_documents, ["terms"], rows=1024)
            for terms in batch["terms"]
        ),
        passages=io.read_csv(inp.passages, dtype={"text": "str", "label": "str"}),
        prevalence=io.read_csv(inp.prevalence, dtype={"label": "str", "group": "str"}),
        nmf=io.read_csv(inp.nmf, dtype={"label": "str"}),
        ingested=io.read_texts(files["ingested"]),
        cleaned={io.doc_id_of(path): read[str(path)] for path in files["cleaned"]},
        corrections={
            io.doc_id_of(p): io.read_tsv(p, dtype=CORRECTIONS) for p in files["corrections"]
        },
        review={io.doc_id_of(p): io.read_tsv(p, dtype=REVIEW) for p in files["review"]},
        curated=curated,
        **settings,
    )
    io.write_lines(render_page_parts(data), snakemake.output.page)  # the JSON streamed
    log.info(
        "%d terms, %d topics, %d documents in the cleaning view",
        len(data["keyness"]["rows"]),
        len(data["topics"]["topics"]) if data["topics"] else 0,
        len(data["cleaning"]["docs"]),
    )
