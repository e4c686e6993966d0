# The corpus overview, the provenance record and the HTML report's front page. Included last:
# provenance fingerprints every table and figure that the other stages declare.


rule corpus_overview:
    input:
        # Per-document counts (tokenise's metadata), never the token tables themselves.
        tokens=expand("results/tokens/{doc_id}.json", doc_id=ALL_DOCS),
        segments=expand("results/segments/{doc_id}.parquet", doc_id=ANALYSIS_DOCS),
        corrections=expand("results/clean/{doc_id}.corrections.tsv", doc_id=ALL_DOCS),
    output:
        table=report(
            "results/tables/corpus_overview.csv",
            caption="../report/corpus_overview.rst",
            category="1. Corpus",
        ),
        figure=report_figure(
            "corpus_overview", caption="../report/corpus_overview_figure.rst", category="1. Corpus"
        ),
    params:
        manifest=MANIFEST.to_dict(orient="records"),
        group_labels=config["groups"],
        code=code_fingerprint("overview", "cleaning", "plotting", "io"),
    log:
        "results/logs/report/corpus_overview.log",
    benchmark:
        "results/benchmarks/report/corpus_overview.tsv"
    resources:
        # Reads per-document counts, not token tables, and the corrections logs one at a
        # time: ~200 MB (matplotlib) whatever the corpus (bench_memory.py). A constant, not
        # input.size_mb: Snakemake evaluates that while writing the report and warns.
        mem_mb=800,
        runtime=5,
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/corpus_overview.py"


rule provenance:
    input:
        ingest=expand("results/ingest/{doc_id}.json", doc_id=ALL_DOCS),
        tokens=expand("results/tokens/{doc_id}.json", doc_id=ALL_DOCS),
        outputs=reported_outputs(),
    output:
        report("results/provenance.json", caption="../report/provenance.rst", category="5. Provenance"),
    params:
        config=config,
        code=code_fingerprint("provenance"),
    log:
        "results/logs/report/provenance.log",
    benchmark:
        "results/benchmarks/report/provenance.tsv"
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/provenance.py"
