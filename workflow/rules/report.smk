# The corpus overview, the tables shown in the report, the provenance record and the final
# targets. Included last: the outputs to fingerprint and to show are read from the rules that
# the other stage files declare, not from a hand-kept list.

from snakemake.io import get_flag_value, is_flagged


rule corpus_overview:
    input:
        tokens=expand("results/tokens/{doc_id}.parquet", doc_id=ALL_DOCS),
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
        # Checksums, not the text: Snakemake embeds params in the report page.
        manifest=checksum(MANIFEST.drop(columns="line").to_dict(orient="records")),
        group_labels=checksum(config["groups"]),
        code=code_fingerprint("overview", "cleaning", "plotting", "io"),
    log:
        "results/logs/report/corpus_overview.log",
    benchmark:
        "results/benchmarks/report/corpus_overview.tsv"
    resources:
        # Measured (scaling benchmark): ~190 MB + ~15 MB per MB of input; 1.2 GB at 100x.
        mem_mb=lambda wildcards, input: 300 + int(30 * input.size_mb),
        runtime=5,
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/corpus_overview.py"


def analysis_outputs():
    """Every table, figure and page the rules declare (results/tables, results/figures,
    results/*.html such as the explorer), sorted: what provenance.json fingerprints."""
    return sorted(
        {
            str(path)
            for rule in workflow.rules
            for path in rule.output
            if re.match(r"results/(tables/|figures/|[^/]+\.html$)", str(path))
            and not path.contains_wildcard()
        }
    )


def reported_table_categories():
    """Report category of each CSV table flagged for the report, by table name."""
    return {
        Path(str(path)).stem: get_flag_value(path, "report").category
        for rule in workflow.rules
        for path in rule.output
        if str(path).endswith(".csv") and is_flagged(path, "report")
    }


REPORTED_TABLES = reported_table_categories()


rule report_tables:
    input:
        tables=expand("results/tables/{table}.csv", table=REPORTED_TABLES),
    output:
        pages=[
            report(
                f"results/report/{table}.html",
                caption="../report/table_page.rst",
                category=category,
                subcategory="Tables shown in the page",
            )
            for table, category in REPORTED_TABLES.items()
        ],
    params:
        max_rows=config["report"]["table_rows"],
        code=code_fingerprint("report_tables", "io"),
    log:
        "results/logs/report/tables.log",
    benchmark:
        "results/benchmarks/report/tables.tsv"
    resources:
        mem_mb=lambda wildcards, input: 300 + int(10 * input.size_mb),
        runtime=5,
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/report_tables.py"


rule provenance:
    input:
        ingest=expand("results/ingest/{doc_id}.json", doc_id=ALL_DOCS),
        tokens=expand("results/tokens/{doc_id}.json", doc_id=ALL_DOCS),
        outputs=analysis_outputs(),
    output:
        report("results/provenance.json", caption="../report/provenance.rst", category="5. Provenance"),
    params:
        config=checksum(config),
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


def final_outputs():
    """Everything `snakemake` (rule all) builds."""
    return [
        *expand("results/tokens/{doc_id}.parquet", doc_id=ALL_DOCS),
        *expand("results/segments/{doc_id}.parquet", doc_id=ANALYSIS_DOCS),
        *analysis_outputs(),
        *expand("results/report/{table}.html", table=REPORTED_TABLES),
        "results/provenance.json",
        "results/models/topics",
    ]
