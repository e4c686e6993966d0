"""How the workflow's cost grows with the corpus: wall time, tokens/s per stage, peak memory.

Builds corpora 1x, 10x, 100x ... the size of the real one from the real texts: copy ``i`` of
every document of the manifest gets the doc_id ``<doc_id>-x<i>`` (copy 0 keeps the real ids),
its own raw file, and its witnesses point at the same copy's witnesses, so an n-times corpus is
n times as many documents, not one huge file. Each size runs the whole workflow (default
targets) from scratch in its own folder with a generated configfile (the generated manifest;
topics at a fixed K; every size runs each per-document stage as one job over all documents,
as the real corpus does),
then reads the per-job ``results/benchmarks/**/*.tsv`` (seconds and
max_rss of every job) and the token tables, and prints per size and per rule:

- wall time of the run, and peak memory of the whole process tree (sampled every 0.2 s);
- per rule: job-seconds (summed over the rule's jobs), tokens/s (tokens the jobs processed /
  job-seconds), the largest job's max_rss;
- between consecutive sizes: how much each rule's job-seconds and peak memory grew relative
  to the corpus (1.0 = linear; the target is <= 1, i.e. doubling the corpus at most doubles
  each stage's time and memory);
- the timeline of the largest size: when each job started and finished (seconds since the
  run started, from Snakemake's log), its benchmark seconds and the rest of its span
  (Snakemake's own work for the job: recording every output's metadata, see below), and the
  time before the first job (parsing the workflow and building the DAG).

The runs use the settings of the workflow's default profile that change Snakemake's own cost
(``PROFILE_SETTINGS``), so the benchmark measures what a run with the profile does.

Targets: the 100x corpus (about 4 million tokens) in under 10 minutes with under 4 GiB peak on
2 cores. The machine may be shared: wall times are noisy, job-seconds less so.

    PYTHONPATH=src python benchmarks/scaling.py --sizes 1 10 100 --cores 2
"""

import argparse
import contextlib
import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from functools import partial
from pathlib import Path

import pandas as pd
import psutil
import yaml

from corpusflow.manifest import analysis_ids, read_manifest

REPO = Path(__file__).resolve().parents[1]
REPO_PARTS = ("Snakefile", "pyproject.toml", "config", "workflow", "src")
TARGET_WALL_S = 600
TARGET_PEAK_MB = 4096
PROFILE = REPO / "workflow" / "profiles" / "default" / "config.yaml"
#: Keys of the default profile passed on to the benchmark's runs (the others are about
#: output and cores, which the benchmark sets itself).
PROFILE_SETTINGS = ("max-checksum-file-size",)


def profile_arguments(profile_path=PROFILE):
    """Command-line options for the :data:`PROFILE_SETTINGS` the profile sets."""
    profile = yaml.safe_load(Path(profile_path).read_text(encoding="utf-8")) or {}
    arguments = []
    for key in PROFILE_SETTINGS:
        if key in profile:
            arguments += [f"--{key}", str(profile[key])]
    return arguments


def fixed_k_overrides(config, k, seeds):
    """Config overrides for topic models at ``k`` only (no sweep over K), if topics exist."""
    if "topics" not in config:
        return {}
    return {"topics": {"k_min": k, "k_max": k, "k": k, "seeds": seeds}}


def copy_id(doc_id, copy):
    return doc_id if copy == 0 else f"{doc_id}-x{copy:03d}"


def build_corpus(workdir, manifest_path, copies):
    """Write ``copies`` copies of every document and their manifest under ``workdir``."""
    with open(manifest_path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        header, rows = reader.fieldnames, list(reader)
    (workdir / "corpus").mkdir(parents=True, exist_ok=True)
    generated = []
    for copy in range(copies):
        for row in rows:
            new = dict(row)
            new["doc_id"] = copy_id(row["doc_id"], copy)
            new["path"] = f"corpus/{new['doc_id']}.txt"
            witnesses = [w for w in row.get("witnesses", "").split(";") if w]
            new["witnesses"] = ";".join(copy_id(w, copy) for w in witnesses)
            if "derived_from" in row:  # a copy's web edition is made from the same copy's OCR
                sources = [d for d in row["derived_from"].split(";") if d]
                new["derived_from"] = ";".join(copy_id(d, copy) for d in sources)
            shutil.copyfile(REPO / row["path"], workdir / new["path"])
            generated.append(new)
    manifest = workdir / "config" / "scaling-corpus.tsv"
    with open(manifest, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(generated)
    return manifest


def prepare(workdir, copies, topics_k, topics_seeds):
    workdir.mkdir(parents=True)
    for part in REPO_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, workdir / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, workdir / part)
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    manifest = build_corpus(workdir, REPO / config["manifest"], copies)
    overrides = {
        "manifest": str(manifest.relative_to(workdir)),
        **fixed_k_overrides(config, topics_k, topics_seeds),
    }
    configfile = workdir / "config" / "scaling.yaml"
    configfile.write_text(yaml.safe_dump(overrides, sort_keys=True), encoding="utf-8")
    return configfile


class PeakMemory:
    """Peak summed RSS (MB) of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid, interval=0.2):
        self.process, self.interval, self.peak_mb = psutil.Process(pid), interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                tree = [self.process, *self.process.children(recursive=True)]
                rss = 0
                for proc in tree:
                    with contextlib.suppress(psutil.Error):
                        rss += proc.memory_info().rss
                self.peak_mb = max(self.peak_mb, rss / 2**20)
            except psutil.Error:
                return
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_workflow(workdir, configfile, cores):
    command = [
        sys.executable, "-m", "snakemake", "--cores", str(cores),
        "--configfile", "config/config.yaml", str(configfile.relative_to(workdir)),
        *profile_arguments(workdir / "workflow" / "profiles" / "default" / "config.yaml"),
    ]  # fmt: skip
    log_path = workdir / "snakemake.out"
    launched = datetime.now().replace(microsecond=0)
    start = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
        with PeakMemory(process.pid) as peak:
            returncode = process.wait()
    wall = time.perf_counter() - start
    if returncode != 0:
        sys.exit(f"snakemake failed in {workdir}; see {log_path}")
    return wall, peak.peak_mb, log_path.read_text(encoding="utf-8"), launched


JOB_BLOCK = re.compile(r"^(?:local)?rule (\w+):\n((?:    .*\n)+)", re.MULTILINE)
PER_DOCUMENT_OUTPUT = re.compile(r"^results/(?:ingest|clean|tokens|segments)/([^/.]+)\.")
SHARD_RECORD = re.compile(r"^results/(?:ingest|clean|tokens|segments)/shards/[^/]+\.json$")


def record_documents(path):
    """The doc_ids whose files a shard record lists (corpusflow.shards), in order."""
    files = json.loads(Path(path).read_text(encoding="utf-8"))["files"]
    return tuple(dict.fromkeys(Path(name).name.split(".", 1)[0] for name in files))


def jobs_from_log(output, records=record_documents):
    """(stage, benchmark path, doc_ids) of every job in a snakemake run's output.

    doc_ids are the documents a per-document stage's job wrote (its doc_id wildcard, the
    documents of its outputs, or those its shard record lists, read with ``records``), empty
    for whole-corpus jobs.
    """
    jobs = []
    for rule, body in JOB_BLOCK.findall(output):
        fields = dict(
            line.strip().split(": ", 1) for line in body.splitlines() if ": " in line.strip()
        )
        if "benchmark" not in fields:
            continue
        doc = re.search(r"(?:^|, )doc_id=([^,]+)", fields.get("wildcards", ""))
        if doc:
            doc_ids = (doc.group(1),)
        else:
            paths = fields.get("output", "").split(", ")
            matches = [PER_DOCUMENT_OUTPUT.match(path) for path in paths]
            doc_ids = tuple(dict.fromkeys(m.group(1) for m in matches if m))
            doc_ids += tuple(d for p in paths if SHARD_RECORD.match(p) for d in records(p))
        jobs.append((rule, fields["benchmark"], doc_ids))
    return jobs


STAMP = r"\[(\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4})\]\n"
JOB_START = re.compile(STAMP + r"(?:local)?rule (\w+):\n(?:    .*\n)*?    jobid: (\d+)\n")
JOB_END = re.compile(STAMP + r"Finished jobid: (\d+) \(Rule: (\w+)\)")


def timeline(output, started):
    """Every job's start and end in seconds since ``started`` (a datetime: when the run was
    launched), from the time stamps Snakemake prints as a job starts and finishes (whole
    seconds), ordered by start: a frame with ``rule``, ``jobid``, ``start``, ``end``."""

    def since(stamp):
        return (datetime.strptime(stamp, "%a %b %d %H:%M:%S %Y") - started).total_seconds()

    starts = {jobid: (rule, since(stamp)) for stamp, rule, jobid in JOB_START.findall(output)}
    ends = {jobid: since(stamp) for stamp, jobid, _ in JOB_END.findall(output)}
    rows = [
        {"rule": rule, "jobid": int(jobid), "start": start, "end": ends.get(jobid, float("nan"))}
        for jobid, (rule, start) in starts.items()
    ]
    return pd.DataFrame(rows, columns=["rule", "jobid", "start", "end"]).sort_values(
        ["start", "jobid"], ignore_index=True
    )


def token_counts(workdir, manifest_path):
    """Tokens per document (from results/tokens) and the doc_ids of the analysis documents."""
    counts = {
        path.stem: len(pd.read_parquet(path, columns=["index"]))
        for path in (workdir / "results" / "tokens").glob("*.parquet")
    }
    return counts, analysis_ids(read_manifest(manifest_path))


def measure(workdir, copies, cores, topics_k, topics_seeds):
    configfile = prepare(workdir, copies, topics_k, topics_seeds)
    wall, peak_mb, output, launched = run_workflow(workdir, configfile, cores)
    counts, analysis = token_counts(workdir, workdir / "config" / "scaling-corpus.tsv")
    analysis_tokens = sum(counts.get(doc, 0) for doc in analysis)
    rows = []
    documents = partial(lambda root, path: record_documents(root / path), workdir)
    for rule, benchmark, doc_ids in jobs_from_log(output, documents):
        record = pd.read_csv(workdir / benchmark, sep="\t").iloc[-1]
        rows.append(
            {
                "rule": rule,
                "seconds": float(record["s"]),
                "max_rss_mb": float(record["max_rss"]),
                "tokens": sum(counts.get(d, 0) for d in doc_ids) if doc_ids else analysis_tokens,
            }
        )
    jobs = pd.DataFrame(rows)
    per_rule = jobs.groupby("rule").agg(
        jobs=("seconds", "size"),
        job_seconds=("seconds", "sum"),
        tokens=("tokens", "sum"),
        peak_job_rss_mb=("max_rss_mb", "max"),
    )
    per_rule["tokens_per_s"] = per_rule["tokens"] / per_rule["job_seconds"]
    jobs_timeline = timeline(output, launched)
    seconds = jobs.groupby("rule")["seconds"].sum()
    jobs_timeline["benchmark_s"] = jobs_timeline["rule"].map(seconds)
    jobs_timeline["rest_s"] = (
        jobs_timeline["end"] - jobs_timeline["start"] - jobs_timeline["benchmark_s"]
    )
    return {
        "timeline": jobs_timeline,
        "copies": copies,
        "documents": len(counts),
        "tokens": sum(counts.values()),
        "wall_s": wall,
        "peak_mb": peak_mb,
        "per_rule": per_rule,
    }


def report(results, cores):
    print(f"\n== Scaling of the workflow ({cores} cores; shared machine: wall times are noisy)")
    print(f"{'size':>5} {'docs':>5} {'tokens':>10} {'wall s':>8} {'tokens/s':>9} {'peak MB':>8}")
    for r in results:
        print(
            f"{r['copies']:>4}x {r['documents']:>5} {r['tokens']:>10,} {r['wall_s']:>8.1f} "
            f"{r['tokens'] / r['wall_s']:>9,.0f} {r['peak_mb']:>8.0f}"
        )
    for r in results:
        print(f"\n-- {r['copies']}x: per rule (job-seconds summed over the rule's jobs)")
        print(r["per_rule"].round(2).to_string())
    largest = results[-1]
    print(
        f"\n-- {largest['copies']}x: timeline (seconds since the run started; rest = the job's "
        "span less its benchmark seconds: Snakemake's own work for it, e.g. its outputs' "
        "metadata)"
    )
    print(largest["timeline"].round(1).to_string(index=False))
    if len(largest["timeline"]):
        print(f"before the first job: {largest['timeline']['start'].min():.0f} s")
    for small, large in zip(results, results[1:], strict=False):
        factor = large["tokens"] / small["tokens"]
        print(
            f"\n-- growth {small['copies']}x -> {large['copies']}x (corpus x{factor:.1f}); "
            "cost growth / corpus growth, <= 1 is at most linear"
        )
        both = pd.merge(
            small["per_rule"], large["per_rule"], left_index=True, right_index=True,
            suffixes=("_s", "_l"),
        )  # fmt: skip
        growth = pd.DataFrame(
            {
                "time": both["job_seconds_l"] / both["job_seconds_s"] / factor,
                "peak_rss": both["peak_job_rss_mb_l"] / both["peak_job_rss_mb_s"] / factor,
            }
        )
        growth.loc["(whole run)"] = [
            large["wall_s"] / small["wall_s"] / factor,
            large["peak_mb"] / small["peak_mb"] / factor,
        ]
        print(growth.round(3).to_string())
    for r in results:
        if r["copies"] >= 100:
            ok = r["wall_s"] < TARGET_WALL_S and r["peak_mb"] < TARGET_PEAK_MB
            print(
                f"\ntarget {r['copies']}x: wall {r['wall_s']:.0f} s (< {TARGET_WALL_S}), "
                f"peak {r['peak_mb']:.0f} MB (< {TARGET_PEAK_MB}): {'met' if ok else 'NOT met'}"
            )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1, 10], help="copies of the corpus to run"
    )
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--topics-k", type=int, default=6, help="the one K of the topic models")
    parser.add_argument(
        "--topics-seeds",
        type=int,
        default=2,
        help="topic models at that K (at least 2: model selection compares seeds)",
    )
    parser.add_argument("--workdir", type=Path, help="keep the runs here (default: a temp dir)")
    args = parser.parse_args(argv)
    root = args.workdir or Path(tempfile.mkdtemp(prefix="corpusflow-scaling-"))
    try:
        results = []
        for copies in sorted(args.sizes):
            print(f"running {copies}x in {root / f'x{copies}'} ...", flush=True)
            results.append(
                measure(
                    root / f"x{copies}",
                    copies,
                    args.cores,
                    args.topics_k,
                    args.topics_seeds,
                )
            )
        report(results, args.cores)
    finally:
        if args.workdir is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
