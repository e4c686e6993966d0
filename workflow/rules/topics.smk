# Topic models of the analysed segments (corpusflow.topics; method in docs/topics.md): the bag
# of words, the sweep over K (seed fits, perturbation replicates and the shuffled-words null,
# several K per job), the K rule (a checkpoint: the rules after it read the chosen K), the final
# model, group prevalence, figures, and the K rule's calibration on shuffled-words corpora.


from corpusflow.settings import from_config
from corpusflow.topics.checks import parts_holding
from corpusflow.topics.settings import TopicsSettings, rule_params

# The stage's settings, built once from the validated config (corpusflow.topics.settings); the
# scripts rebuild them from the same config with the same function. Each rule's params carry
# the checksum of the settings it reads (RULE_FIELDS there), not the values: a changed key
# reruns the rules that read it and no other, and the free text among them (extra stopwords,
# the labels file's path) stays out of the report page.
TOPICS_SETTINGS = from_config(TopicsSettings, config, "topics")


# Memory and time of the model jobs grow with the analysed text (its segments), known at parse
# time from the files' sizes (MB), and the sweep's time with the fits per K (seeds, replicates).
TOPICS_TEXT_MB = (
    sum(
        Path(path).stat().st_size
        for path in manifest_values("path", ANALYSIS_DOCS)
        if Path(path).is_file()
    )
    / 1e6
)
# Replicates per K are set by the pilot's spread (corpusflow.topics.replicates): a job may
# fit up to the most a side can get, and asks for that time.
TOPICS_MOST_REPLICATES = {
    side: max(TOPICS[side]["replicates"], TOPICS["perturbation"]["max_replicates"])
    for side in ("perturbation", "null")
}
TOPICS_FITS = {
    "seeds": len(TOPIC_SEEDS),
    "replicates": TOPICS_MOST_REPLICATES["perturbation"],
    "null": min(len(TOPIC_SEEDS), TOPICS["null"]["seeds"])
    + TOPICS_MOST_REPLICATES["null"],
}
TOPICS_FITS["all"] = sum(TOPICS_FITS.values())
TOPICS_FITS_PER_K = TOPICS_FITS["all"]
# Split by fits, a K's replicates job has no seed fits to measure its pilot's stability
# against: once every part is in, topics_sweep_extra jobs (its K values shared round robin
# among sweep_jobs) fit the replicates the pilots' spreads ask for, on both sides. None when
# no side can get more than its pilot.
TOPIC_EXTRA_PARTS = (
    sweep_parts(TOPIC_SWEEP_KS, TOPICS["sweep_jobs"])
    if TOPICS["sweep_split"] == "fits"
    and TOPICS["perturbation"]["max_replicates"]
    > min(TOPICS[side]["replicates"] for side in ("perturbation", "null"))
    else []
)


TOPICS_FINAL_FILES = {
    "segments": ("segments", ".parquet", ANALYSIS_DOCS),
    "texts": (*TEXT_FOR_ANALYSIS, ANALYSIS_DOCS),
}
# The bag of words (corpusflow.terms, the terms builder keyness counts with): topics_phrases
# learns the two-word units in one streamed pass over the analysed documents, as
# keyness_phrases does; one topics_shard_documents job per shard keeps its documents' terms
# (docs/cluster.md); topics_documents stacks them in doc_id order.
TOPICS_SHARDS = SHARDS.shards_of(ANALYSIS_DOCS)
# A topics map job's inputs: its shard's token and segment records.
TOPICS_SHARD_INPUTS = {
    "tokens": "results/tokens/shards/{shard}.json",
    "segments": "results/segments/shards/{shard}.json",
}


TOPICS_SHARD_PARAMS = {
    "tokens": shard_doc_files("tokens", ".parquet", shard_analysis_docs),
    "segments": shard_doc_files("segments", ".parquet", shard_analysis_docs),
}


# The analysed documents' token tables: shard records as inputs, files as params (common.smk).
TOPICS_FILES = {
    "tokens": ("tokens", ".parquet", ANALYSIS_DOCS),
    "segments": ("segments", ".parquet", ANALYSIS_DOCS),
}


rule topics_phrases:
    input:
        **shard_inputs(TOPICS_FILES),
    output:
        phrases="results/topics/phrases.json",
    log:
        "results/logs/topics/phrases.log",
    benchmark:
        "results/benchmarks/topics/phrases.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        # One piece of one document and the phrase vocabulary at a time (as keyness_phrases).
        mem_mb=lambda wildcards, input: 500 + int(4 * input_mb(input)),
        runtime=lambda wildcards, input: 10 + int(input_mb(input) / 5),
    params:
        files=shard_files(TOPICS_FILES),
        settings=checksum(rule_params(TOPICS_SETTINGS, "topics_phrases")),
        code=rule_code("topics_phrases"),
    script:
        "../scripts/topics_phrases.py"


rule topics_shard_documents:
    input:
        **TOPICS_SHARD_INPUTS,
        phrases="results/topics/phrases.json",
    output:
        documents="results/topics/shards/{shard}.documents.parquet",
    log:
        "results/logs/topics/shard_documents/{shard}.log",
    benchmark:
        "results/benchmarks/topics/shard_documents/{shard}.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        # Measured before the split (benchmarks/bench_memory.py): 178 MB on the real corpus,
        # 680 MB with a 50 MB document; one document at a time, the shard's terms.
        mem_mb=lambda wildcards, input: 400 + int(10 * input_mb(input)),
        runtime=lambda wildcards, input: 5 + int(input_mb(input) / 20),
    params:
        **TOPICS_SHARD_PARAMS,
        settings=checksum(rule_params(TOPICS_SETTINGS, "topics_shard_documents")),
        code=rule_code("topics_shard_documents"),
    script:
        "../scripts/topics_shard_documents.py"


rule topics_documents:
    input:
        shards=expand(
            "results/topics/shards/{shard}.documents.parquet", shard=TOPICS_SHARDS
        ),
    output:
        documents="results/topics/documents.parquet",
    log:
        "results/logs/topics/documents.log",
    benchmark:
        "results/benchmarks/topics/documents.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        mem_mb=lambda wildcards, input: 400 + int(10 * input_mb(input)),
        runtime=lambda wildcards, input: 5 + int(input_mb(input) / 20),
    params:
        settings=checksum(rule_params(TOPICS_SETTINGS, "topics_documents")),
        code=rule_code("topics_documents"),
    script:
        "../scripts/topics_documents.py"


rule topics_sweep:
    input:
        documents="results/topics/documents.parquet",
    output:
        sweep="results/topics/sweep/part{part}.json",
        models=directory("results/topics/sweep/part{part}_models"),
    log:
        "results/logs/topics/sweep/part{part}.log",
    benchmark:
        "results/benchmarks/topics/sweep/part{part}.tsv"
    wildcard_constraints:
        part=r"\d+",
    conda:
        "../envs/corpusflow.yaml"
    threads: 1
    resources:
        # Measured (docs/cluster.md): 245 MB on the real corpus; with a 50 MB document 1076 MB
        # and 24 minutes (280 CPU-seconds, load 20) for one K of 2 seeds and 2 replicates.
        # Grows with the analysed text (the segments) and, in time, with the fits per K.
        mem_mb=600 + int(30 * TOPICS_TEXT_MB),
        # per unit of the job: 5 minutes plus 0.12 per fit and analysed text MB
        runtime=lambda wildcards: sum(
            5 + int(0.12 * TOPICS_FITS[group] * TOPICS_TEXT_MB)
            for _, group in TOPIC_PARTS[int(wildcards.part)]
        ),
    params:
        units=lambda wildcards: TOPIC_PARTS[int(wildcards.part)],
        settings=checksum(rule_params(TOPICS_SETTINGS, "topics_sweep")),
        code=rule_code("topics_sweep"),
    script:
        "../scripts/topics_sweep.py"


rule topics_sweep_extra:
    input:
        documents="results/topics/documents.parquet",
        sweep=lambda wildcards: expand(
            "results/topics/sweep/part{part}.json",
            part=parts_holding(TOPIC_PARTS, TOPIC_EXTRA_PARTS[int(wildcards.part)]),
        ),
    output:
        sweep="results/topics/sweep/extra{part}.json",
    log:
        "results/logs/topics/sweep/extra{part}.log",
    benchmark:
        "results/benchmarks/topics/sweep/extra{part}.tsv"
    wildcard_constraints:
        part=r"\d+",
    conda:
        "../envs/corpusflow.yaml"
    threads: 1
    resources:
        mem_mb=600 + int(30 * TOPICS_TEXT_MB),
        # per K: 5 minutes plus 0.12 per fit (both sides' most replicates) and text MB
        runtime=lambda wildcards: sum(
            5
            + int(
                0.12
                * (TOPICS_FITS["replicates"] + TOPICS_MOST_REPLICATES["null"])
                * TOPICS_TEXT_MB
            )
            for _ in TOPIC_EXTRA_PARTS[int(wildcards.part)]
        ),
    params:
        ks=lambda wildcards: TOPIC_EXTRA_PARTS[int(wildcards.part)],
        settings=checksum(rule_params(TOPICS_SETTINGS, "topics_sweep_extra")),
        code=rule_code("topics_sweep_extra"),
    script:
        "../scripts/topics_sweep_extra.py"


checkpoint topics_model_selection:
    input:
        sweep=expand(
            "results/topics/sweep/part{part}.json", part=range(len(TOPIC_PARTS))
        ),
        extra=expand(
            "results/topics/sweep/extra{part}.json",
            part=range(len(TOPIC_EXTRA_PARTS)),
        ),
    output:
        table=report(
            "results/tables/topics_model_selection.csv",
            caption="../report/topics_model_selection_table.rst",
            category="4. Topics",
        ),
        choice="results/topics/choice.json",
    log:
        "results/logs/topics/model_selection.log",
    benchmark:
        "results/benchmarks/topics/model_selection.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        mem_mb=500,
        runtime=5,
    params:
        settings=checksum(rule_params(TOPICS_SETTINGS, "topics_model_selection")),
        code=rule_code("topics_model_selection"),
    script:
        "../scripts/topics_model_selection.py"


rule topics_final:
    input:
        **shard_inputs(TOPICS_FINAL_FILES),
        choice=lambda wildcards: topic_choice_file(),
        models=lambda wildcards: topic_models_dir(),
        documents="results/topics/documents.parquet",
        labels=[TOPICS["labels_file"]] if TOPICS["labels_file"] else [],
    output:
        model=directory("results/models/topics"),
        posterior="results/topics/posterior.parquet",
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
    log:
        "results/logs/topics/final.log",
    benchmark:
        "results/benchmarks/topics/final.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        # Measured (docs/cluster.md): 271 MB on the real corpus, 849 MB and 103 s with a 50 MB
        # document.
        mem_mb=600 + int(30 * TOPICS_TEXT_MB),
        runtime=5 + int(TOPICS_TEXT_MB / 10),
    params:
        files=shard_files(TOPICS_FINAL_FILES),
        k=lambda wildcards: topic_choice()["k"],
        rule_k=lambda wildcards: topic_choice()["rule_k"],
        k_source=lambda wildcards: topic_choice()["k_source"],
        k_evidence=lambda wildcards: topic_choice()["k_evidence"],
        settings=checksum(rule_params(TOPICS_SETTINGS, "topics_final")),
        groups=lambda wildcards: dict(
            zip(ALL_DOCS, manifest_values("group", ALL_DOCS), strict=True)
        ),
        code=rule_code("topics_final"),
    script:
        "../scripts/topics_final.py"


rule topics_prevalence:
    input:
        segments="results/tables/topics_segments.csv",
        posterior="results/topics/posterior.parquet",
    output:
        table=report(
            "results/tables/topics_prevalence.csv",
            caption="../report/topics_prevalence.rst",
            category="4. Topics",
        ),
    log:
        "results/logs/topics/prevalence.log",
    benchmark:
        "results/benchmarks/topics/prevalence.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        # Measured (benchmarks/bench_prevalence.py): replicates are drawn one at a time, so
        # memory grows with the segments, not with the number of replicates.
        # Measured (docs/cluster.md): 198 MB at 100x the real corpus, 284 MB and 84 s with a
        # 50 MB document (25.5 MB of input: 810 MB asked).
        mem_mb=lambda wildcards, input: 300 + int(20 * input.size_mb),
        runtime=5,
    params:
        settings=checksum(rule_params(TOPICS_SETTINGS, "topics_prevalence")),
        code=rule_code("topics_prevalence"),
    script:
        "../scripts/topics_prevalence.py"


rule topics_calibration:
    input:
        documents="results/topics/documents.parquet",
    output:
        table="results/tables/calibration_topics.csv",
    log:
        "results/logs/topics/calibration.log",
    benchmark:
        "results/benchmarks/topics/calibration.tsv"
    conda:
        "../envs/corpusflow.yaml"
    threads: 1
    resources:
        # Each replicate is a whole sweep (data and its null) on a shuffled corpus: about 41
        # CPU-seconds on the real corpus (K 2..8, 3 seeds, 5 + 5 pilot replicates and those
        # their spread asks for).
        mem_mb=600 + int(30 * TOPICS_TEXT_MB),
        runtime=TOPICS["calibration"]["replicates"]
        * len(TOPIC_SWEEP_KS)
        * (1 + int(0.12 * (TOPICS_FITS_PER_K + len(TOPIC_SEEDS)) * TOPICS_TEXT_MB)),
    params:
        settings=checksum(rule_params(TOPICS_SETTINGS, "topics_calibration")),
        code=rule_code("topics_calibration"),
    script:
        "../scripts/topics_calibration.py"


rule topics_figures:
    input:
        selection="results/tables/topics_model_selection.csv",
        choice=lambda wildcards: topic_choice_file(),
        segments="results/tables/topics_segments.csv",
        prevalence="results/tables/topics_prevalence.csv",
    output:
        selection=report_figure(
            "topics_model_selection",
            caption="../report/topics_model_selection.rst",
            category="4. Topics",
        ),
        prevalence=report_figure(
            "topics_prevalence",
            caption="../report/topics_prevalence.rst",
            category="4. Topics",
        ),
        flow=report_figure(
            "topics_flow", caption="../report/topics_flow.rst", category="4. Topics"
        ),
    log:
        "results/logs/topics/figures.log",
    benchmark:
        "results/benchmarks/topics/figures.tsv"
    conda:
        "../envs/corpusflow.yaml"
    resources:
        # Measured (scaling benchmark): ~215 MB + ~135 MB per MB of input; 1.1 GB at 100x.
        mem_mb=lambda wildcards, input: 300 + int(250 * input.size_mb),
        runtime=5,
    params:
        k=lambda wildcards: topic_choice()["k"],
        rule_k=lambda wildcards: topic_choice()["rule_k"],
        edge=lambda wildcards: topic_choice()["edge"],
        k_evidence=lambda wildcards: topic_choice()["k_evidence"],
        k_source=lambda wildcards: topic_choice()["k_source"],
        beats_null=lambda wildcards: topic_choice()["beats_null"],
        settings=checksum(rule_params(TOPICS_SETTINGS, "topics_figures")),
        groups=checksum(config["groups"]),
        code=rule_code("topics_figures"),
    script:
        "../scripts/topics_figures.py"
