# The explorer page: one self-contained, offline HTML file to read the evidence behind the
# keyness, topic and cleaning tables (corpusflow.explorer).


from corpusflow.explorer.settings import ExplorerSettings
from corpusflow.settings import as_params, from_config

# The stage's settings, built once from the validated config (the stage contract).
EXPLORER_SETTINGS = from_config(ExplorerSettings, config, "explorer")
# Per-document inputs (shard records as inputs, files as params: common.smk).
EXPLORER_FILES = {
    "segments": ("segments", ".parquet", KEYNESS_DOCS),
    "texts": (*TEXT_FOR_ANALYSIS, KEYNESS_DOCS),
    "ingested": ("ingest", ".txt", ALL_DOCS),
    "automatic": ("clean", ".automatic.txt", ALL_DOCS),
    "cleaned": ("clean", ".txt", ALL_DOCS),
    "corrections": ("clean", ".corrections.tsv", ALL_DOCS),
    "review": ("clean", ".review.tsv", ALL_DOCS),
}


# The curated table and the review decisions: the rows behind the log's curated edits, matched
# again on the text before the curated corrections (clean's .automatic.txt) to place them.
rule explorer:
    input:
        **corrections_table_input(),
        **review_decisions_input(),
        **shard_inputs(EXPLORER_FILES),
        manifest=config["manifest"],
        keyness="results/tables/keyness.csv",
        keyness_top="results/tables/keyness_top.csv",
        keyness_record="results/tables/keyness.json",
        # every occurrence of every term, as keyness counted them (its map step's)
        keyness_occurrences=KEYNESS_OCCURRENCES,
        model="results/models/topics",
        topic_documents="results/topics/documents.parquet",
        topic_terms="results/tables/topics_terms.csv",
        passages="results/tables/topics_passages.csv",
        prevalence="results/tables/topics_prevalence.csv",
        nmf="results/tables/topics_nmf_agreement.csv",
    output:
        page="results/explorer.html",
    log:
        "results/logs/explorer/explorer.log",
    benchmark:
        "results/benchmarks/explorer/explorer.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        # Measured (max_rss; input.size_mb in brackets): 276 MB at 1x (2 MB), 455 MB at 10x,
        # 598 MB at 100x (149 MB: benchmarks/scaling.py), 1,217 MB with one 50 MB document
        # (265 MB: benchmarks/bench_memory.py --explorer; the kernel's peak). The page holds a
        # very long text as passages (explorer.max_text_chars), so memory grows with the texts
        # and token tables read, not with a page of their size.
        mem_mb=lambda wildcards, input: 500 + int(4 * input_mb(input)),
        # Minutes, with room for a loaded machine: 60 job-seconds at 100x on a quiet one
        # (benchmarks/scaling.py), 158-225 s with one 50 MB document on a loaded one.
        runtime=lambda wildcards, input: 10 + int(input_mb(input) / 10),
    params:
        files=shard_files(EXPLORER_FILES),
        settings=as_params(EXPLORER_SETTINGS),
        # The group labels are free text read from the config; their checksum reruns the rule.
        labels=checksum(config["groups"]),
        code=rule_code("explorer"),
    script:
        "../scripts/explorer.py"
