# Topic models of the analysed segments: a sweep over K x seeds (one job per run), model
# selection, the final model at topics.k, group prevalence and figures (corpusflow.topics).

wildcard_constraints:
    k=r"\d+",
    seed=r"\d+",


rule topics_documents:
    input:
        tokens=expand("results/tokens/{doc_id}.parquet", doc_id=ANALYSIS_DOCS),
        segments=expand("results/segments/{doc_id}.parquet", doc_id=ANALYSIS_DOCS),
    output:
        documents="results/topics/documents.parquet",
    params:
        unit=TOPICS["unit"],
        drop_stopwords=TOPICS["drop_stopwords"],
        extra_stopwords=TOPICS["extra_stopwords"],
        min_length=TOPICS["min_length"],
        phrases=TOPICS["phrases"],
        phrase_min_count=TOPICS["phrase_min_count"],
        phrase_threshold=TOPICS["phrase_threshold"],
        no_below=TOPICS["no_below"],
        no_above=TOPICS["no_above"],
        code=code_fingerprint("topics", "segment", "io"),
    log:
        "results/logs/topics/documents.log",
    benchmark:
        "results/benchmarks/topics/documents.tsv"
    resources:
        # Measured (scaling benchmark): ~245 MB + ~29 MB per MB of input; 1.4 GB at 100x.
        mem_mb=lambda wildcards, input: 400 + int(50 * input.size_mb),
        runtime=5,
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/topics_documents.py"


rule topics_run:
    input:
        documents="results/topics/documents.parquet",
    output:
        run="results/topics/runs/k{k}_seed{seed}.json",
    params:
        fit=TOPIC_FIT,
        top_n=TOPICS["measure_top_n"],
        heldout_every=TOPICS["heldout_every"],
        code=code_fingerprint("topics", "io"),
    log:
        "results/logs/topics/runs/k{k}_seed{seed}.log",
    benchmark:
        "results/benchmarks/topics/runs/k{k}_seed{seed}.tsv"
    threads: 1
    resources:
        mem_mb=600,
        runtime=5,
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/topics_run.py"


rule topics_model_selection:
    input:
        runs=topic_runs(TOPIC_SWEEP_KS),
    output:
        table=report(
            "results/tables/topics_model_selection.csv",
            caption="../report/topics_model_selection.rst",
            category="4. Topics",
        ),
        figures=report_figure(
            "topics_model_selection", caption="../report/topics_model_selection.rst", category="4. Topics"
        ),
    params:
        k=TOPICS["k"],
        code=code_fingerprint("topics", "io", "plotting"),
    log:
        "results/logs/topics/model_selection.log",
    benchmark:
        "results/benchmarks/topics/model_selection.tsv"
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/topics_model_selection.py"


rule topics_final:
    input:
        documents="results/topics/documents.parquet",
        runs=topic_runs([TOPICS["k"]]),
        segments=expand("results/segments/{doc_id}.parquet", doc_id=ANALYSIS_DOCS),
        texts=expand(TEXT_FOR_ANALYSIS, doc_id=ANALYSIS_DOCS),
        labels=[TOPICS["labels_file"]] if TOPICS["labels_file"] else [],
    output:
        model=directory("results/models/topics"),
        terms=report(
            "results/tables/topics_terms.csv",
            caption="../report/topics_terms.rst",
            category="4. Topics",
        ),
        segments=report(
            "results/tables/topics_segments.csv",
            caption="../report/topics_segments.rst",
            category="4. Topics",
        ),
        passages=report(
            "results/tables/topics_passages.csv",
            caption="../report/topics_passages.rst",
            category="4. Topics",
        ),
        nmf=report(
            "results/tables/topics_nmf_agreement.csv",
            caption="../report/topics_nmf_agreement.rst",
            category="4. Topics",
        ),
    params:
        k=TOPICS["k"],
        fit=TOPIC_FIT,
        top_n=TOPICS["measure_top_n"],
        top_n_terms=TOPICS["top_n_terms"],
        recurrence_threshold=TOPICS["recurrence_threshold"],
        n_passages=TOPICS["n_passages"],
        groups=lambda wildcards: dict(zip(MANIFEST["doc_id"], MANIFEST["group"])),
        code=code_fingerprint("topics", "segment", "io"),
    log:
        "results/logs/topics/final.log",
    benchmark:
        "results/benchmarks/topics/final.tsv"
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/topics_final.py"


rule topics_prevalence:
    input:
        segments="results/tables/topics_segments.csv",
    output:
        table=report(
            "results/tables/topics_prevalence.csv",
            caption="../report/topics_prevalence.rst",
            category="4. Topics",
        ),
    params:
        n_boot=TOPICS["bootstrap"]["n"],
        block_size=TOPICS["bootstrap"]["block_size"],
        seed=TOPICS["bootstrap"]["seed"],
        level=TOPICS["bootstrap"]["level"],
        code=code_fingerprint("topics", "io"),
    log:
        "results/logs/topics/prevalence.log",
    benchmark:
        "results/benchmarks/topics/prevalence.tsv"
    resources:
        # Measured (benchmarks/bench_prevalence.py): ~170 MB + ~9 MB per MB of input; replicates
        # are summed one at a time, so n_boot does not add memory.
        mem_mb=lambda wildcards, input: 300 + int(20 * input.size_mb),
        runtime=5,
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/topics_prevalence.py"


rule topics_figures:
    input:
        segments="results/tables/topics_segments.csv",
        prevalence="results/tables/topics_prevalence.csv",
    output:
        prevalence=report_figure(
            "topics_prevalence", caption="../report/topics_prevalence.rst", category="4. Topics"
        ),
        flow=report_figure(
            "topics_flow", caption="../report/topics_flow.rst", category="4. Topics"
        ),
    params:
        group_labels=config["groups"],
        level=TOPICS["bootstrap"]["level"],
        code=code_fingerprint("topics", "plotting"),
    log:
        "results/logs/topics/figures.log",
    benchmark:
        "results/benchmarks/topics/figures.tsv"
    resources:
        # Measured (scaling benchmark): ~215 MB + ~135 MB per MB of input; 1.1 GB at 100x.
        mem_mb=lambda wildcards, input: 300 + int(250 * input.size_mb),
        runtime=5,
    conda:
        "../envs/corpusflow.yaml"
    script:
        "../scripts/topics_figures.py"
