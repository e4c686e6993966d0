# The corpus overview, the tables shown in the report, the provenance record and the final
# targets. Included last: the outputs to fingerprint and to show are read from the rules that
# the other stage files declare, not from a hand-kept list.
from corpusflow.report.settings import ReportSettings

REPORT_SETTINGS = from_config(ReportSettings, config, "report")


# Per-document inputs (shard records as inputs, files as params: common.smk). The overview
# reads per-document counts (tokenise's metadata), never the token tables themselves.
OVERVIEW_FILES = {
    "tokens": ("tokens", ".json", ALL_DOCS),
    "segments": ("segments", ".parquet", ANALYSIS_DOCS),
    "corrections": ("clean", ".corrections.tsv", ALL_DOCS),
}
PROVENANCE_FILES = {
    "ingest": ("ingest", ".json", ALL_DOCS),
    "tokens": ("tokens", ".json", ALL_DOCS),
}


rule corpus_overview:
    input:
        **shard_inputs(OVERVIEW_FILES),
    output:
        table=report(
            "results/tables/corpus_overview.csv",
            caption="../report/corpus_overview.rst",
            category="1. Corpus",
        ),
        figure=report_figure(
            "corpus_overview",
            caption="../report/corpus_overview_figure.rst",
            category="1. Corpus",
        ),
    log:
        "results/logs/report/corpus_overview.log",
    benchmark:
        "results/benchmarks/report/corpus_overview.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        # Reads per-document counts, not token tables, and the corrections logs one at a
        # time: ~200 MB (matplotlib) whatever the corpus (bench_memory.py). A constant, not
        # input.size_mb: Snakemake evaluates that while writing the report and warns.
        mem_mb=800,
        runtime=5,
    params:
        files=shard_files(OVERVIEW_FILES),
        # Checksums, not the text: Snakemake embeds params in the report page.
        manifest=checksum(MANIFEST.records()),
        group_labels=checksum(config["groups"]),
        code=rule_code("corpus_overview"),
    script:
        "../scripts/corpus_overview.py"


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
            )
            for table, category in REPORTED_TABLES.items()
        ],
    log:
        "results/logs/report/tables.log",
    benchmark:
        "results/benchmarks/report/tables.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        mem_mb=lambda wildcards, input: 300 + int(10 * input.size_mb),
        runtime=5,
    params:
        settings=as_params(REPORT_SETTINGS),
        code=rule_code("report_tables"),
    script:
        "../scripts/report_tables.py"


rule provenance:
    input:
        **shard_inputs(PROVENANCE_FILES),
        outputs=analysis_outputs(),
    output:
        report(
            "results/provenance.json",
            caption="../report/provenance.rst",
            category="5. Provenance",
        ),
    log:
        "results/logs/report/provenance.log",
    benchmark:
        "results/benchmarks/report/provenance.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        mem_mb=500,
        runtime=5,
    params:
        files=shard_files(PROVENANCE_FILES),
        config=checksum(config),
        code=rule_code("provenance"),
    script:
        "../scripts/provenance.py"
