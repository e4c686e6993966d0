"""Keyness as map-reduce in the real workflow: one counting job per shard reads that shard's
token tables only, the reduce and the explorer read the counts and occurrences it wrote.

The real Snakemake on the real corpus, cut in one shard per document (the session's
``sharded_run``, workflow.shard_mb 0.05; tests/test_shards.py holds its tables to the bytes of
the one-shard run).
"""

import re

import pytest

from corpusflow import io
from tests.conftest import ANALYSIS_DOCS, run_snakemake

#: The two analysed documents, each its own shard at 0.05 MB (shard-000 and shard-004).
KEYNESS_SHARDS = {"shard-000": "kollontai-ocr", "shard-004": "olivier-commentary"}


def planned_jobs(workdir, config, *args) -> dict[str, list[dict]]:
    """The jobs a dry run plans, by rule: each job's ``input`` and ``wildcards`` as printed."""
    result = run_snakemake(workdir, *config, "--dry-run", *args)
    jobs: dict[str, list[dict]] = {}
    output = result.stdout + result.stderr
    for block in re.split(r"\n(?=(?:local)?(?:rule|checkpoint) )", output):
        name = re.match(r"(?:local)?(?:rule|checkpoint) (\w+):", block)
        if name:
            fields = dict(re.findall(r"^\s+(input|wildcards): (.*)$", block, re.MULTILINE))
            jobs.setdefault(name.group(1), []).append(fields)
    return jobs


def assert_one_shard_each(jobs: list[dict]) -> None:
    """Each map job of a rule: one job per shard holding an analysed document, whose token and
    segment inputs are that shard's records only."""
    assert sorted(job["wildcards"] for job in jobs) == [f"shard={s}" for s in KEYNESS_SHARDS]
    for job in jobs:
        shard = job["wildcards"].removeprefix("shard=")
        tables = sorted(p for p in job["input"].split(", ") if re.match(r"results/(tokens|seg)", p))
        assert tables == [
            f"results/segments/shards/{shard}.json",
            f"results/tokens/shards/{shard}.json",
        ]


@pytest.mark.workflow
def test_each_counting_job_reads_one_shards_token_tables_and_no_reduce_reads_any(sharded_run):
    workdir, config = sharded_run
    jobs = planned_jobs(workdir, config, "--forceall", "results/tables/keyness.csv")
    assert_one_shard_each(jobs["keyness_counts"])
    for rule in ("keyness", "calibration_keyness"):
        (job,) = jobs[rule]
        assert "results/tokens" not in job["input"] and "results/keyness/shards" in job["input"]
    # What a counting job wrote is its own shard's documents only.
    for shard, doc_id in KEYNESS_SHARDS.items():
        occurrences = io.read_parquet(
            workdir / f"results/keyness/shards/{shard}.occurrences.parquet"
        )
        counts = io.read_parquet(workdir / f"results/keyness/shards/{shard}.counts.parquet")
        assert set(occurrences["doc_id"]) == set(counts["doc_id"]) == {doc_id}
        assert set(counts["choice"]) == {"default", "other_phrases", "other_spelling"}
    assert sorted(KEYNESS_SHARDS.values()) == sorted(ANALYSIS_DOCS)


@pytest.mark.workflow
def test_the_topic_bag_of_words_is_counted_per_shard_too(sharded_run):
    """One documents job per shard, stacked by a reduce that reads no token table; the
    two-word units are learned in one streamed job over the analysed shards, as keyness's."""
    workdir, config = sharded_run
    jobs = planned_jobs(workdir, config, "--forceall", "results/topics/documents.parquet")
    assert_one_shard_each(jobs["topics_shard_documents"])
    (reduce,) = jobs["topics_documents"]
    assert "results/tokens" not in reduce["input"] and "results/topics/shards" in reduce["input"]
    (phrases,) = jobs["topics_phrases"]
    assert sorted(re.findall(r"results/tokens/shards/(shard-\d+)", phrases["input"])) == sorted(
        KEYNESS_SHARDS
    )


@pytest.mark.workflow
def test_the_explorer_reads_the_written_occurrences_not_the_token_tables(sharded_run):
    workdir, config = sharded_run
    (explorer,) = planned_jobs(workdir, config, "--forceall", "results/explorer.html")["explorer"]
    assert "results/tokens" not in explorer["input"]
    for shard in KEYNESS_SHARDS:
        assert f"results/keyness/shards/{shard}.occurrences.parquet" in explorer["input"]
    # Without one shard's occurrences, that shard's counting job runs again before the page.
    # (The file is put back: the run is the session's.)
    occurrences = workdir / "results/keyness/shards/shard-004.occurrences.parquet"
    kept = occurrences.rename(occurrences.with_suffix(".kept"))
    try:
        jobs = planned_jobs(workdir, config, "results/explorer.html")
    finally:
        kept.rename(occurrences)
    assert [job["wildcards"] for job in jobs["keyness_counts"]] == ["shard=shard-004"]
    assert "explorer" in jobs and "tokenise" not in jobs
