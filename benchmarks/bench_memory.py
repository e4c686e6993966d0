"""Peak memory and time of every job on one very large document, against what the rules declare.

Builds a project whose manifest is the real one plus one analysed document of ``--megabytes``
MB (the commentary's paragraphs repeated, a fresh paragraph number in each copy so no two are
identical), runs the workflow up to the given targets (by default the per-document stages of
the large document, and the whole-corpus stages that read every token table: corpus_overview,
keyness and topics_documents; not the topic sweep, whose cost grows with K and seeds, see
bench_topics.py), then reads every job's ``benchmark:`` file (seconds, max_rss: the peak
resident memory of the job's process tree, sampled by Snakemake) and the resources each job
declared (``mem_mb``, ``runtime`` in minutes, from the run's log) and prints one row per job:

    rule  document(s)  seconds  peak MB  declared mem_mb  declared runtime  covered?

Target (issue 15): with a 50 MB document every job (the per-document stages, each one job
over all documents, and the whole-corpus stages) peaks under 2 GB, and every job's declared
mem_mb and runtime cover what it used.

``--explorer`` adds the explorer page (results/explorer.html), which needs the final topic
model: the topic models then run on a small grid (one K, ``--topics-k``, default 2, no sweep
over K; ``--topics-seeds``, default 2, the fewest the stability measure takes) through a config
override written into the project (``config/bench-topics.yaml``, printed), since the
explorer's memory does not depend much on K. ``--omit-explorer`` makes everything the
explorer reads but not the page (keep the project with ``--keep`` and make the page later with
``--project``):

    PYTHONPATH=src python benchmarks/bench_memory.py --megabytes 50 --explorer
    PYTHONPATH=src python benchmarks/bench_memory.py --megabytes 50 --explorer --omit-explorer \
        --keep
    PYTHONPATH=src python benchmarks/bench_memory.py --project /tmp/bench-memory-50mb-xxxx \
        --targets results/explorer.html

    PYTHONPATH=src python benchmarks/bench_memory.py --megabytes 50
    PYTHONPATH=src python benchmarks/bench_memory.py --megabytes 5 20 50   # growth with size
    # the whole-corpus stages again, with the current code, in a project kept by --keep
    # (its per-document outputs are reused: only missing outputs are made)
    PYTHONPATH=src python benchmarks/bench_memory.py --project /tmp/bench-memory-50mb-xxxx \
        --targets results/tables/keyness.csv results/topics/documents.parquet
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUN_FILES = ("Snakefile", "workflow", "config", "corpus")
LARGE = "large"
SOURCE = "olivier-commentary"
TARGET_MB = 2048
EXPLORER = "results/explorer.html"
#: The config override of --explorer (one K, few seeds), inside the project.
TOPICS_OVERRIDE = "config/bench-topics.yaml"


def build_project(workdir: Path, megabytes: float) -> Path:
    """Copy the workflow and corpus to ``workdir`` and add the large document to the manifest."""
    for name in RUN_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, workdir / name)
        else:
            shutil.copy2(source, workdir / name)
    manifest = workdir / "config" / "corpus.tsv"
    rows = list(csv.reader(manifest.open(encoding="utf-8"), delimiter="\t"))
    header = rows[0]
    source_row = next(row for row in rows if row[0] == SOURCE)
    paragraphs = [
        p.strip() for p in (workdir / source_row[header.index("path")]).read_text().split("\n\n")
    ]
    paragraphs = [p for p in paragraphs if p]
    target = int(megabytes * 1_000_000)
    written, copy = 0, 0
    with (workdir / "corpus" / f"{LARGE}.txt").open("w", encoding="utf-8") as handle:
        while written < target:
            for paragraph in paragraphs:
                block = f"{paragraph} ({copy})\n\n"
                handle.write(block)
                written += len(block.encode())
            copy += 1
    large = list(source_row)
    large[header.index("doc_id")] = LARGE
    large[header.index("path")] = f"corpus/{LARGE}.txt"
    large[header.index("title")] = "Large document"
    rows.append(large)
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter="\t", lineterminator="\n").writerows(rows)
    return workdir / "corpus" / f"{LARGE}.txt"


def default_targets() -> list[str]:
    return [
        f"results/segments/{LARGE}.parquet",
        "results/tables/corpus_overview.csv",
        "results/tables/keyness.csv",
        "results/topics/documents.parquet",
    ]


def topics_override(workdir: Path, k: int, seeds: int) -> tuple[str, ...]:
    """Write the small topic grid (one K, ``seeds`` seeds) as a config override in the project
    and return the Snakemake arguments that apply it over config/config.yaml."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import yaml
    from scaling import fixed_k_overrides

    config = yaml.safe_load((workdir / "config" / "config.yaml").read_text(encoding="utf-8"))
    overrides = fixed_k_overrides(config, k, seeds)
    (workdir / TOPICS_OVERRIDE).write_text(yaml.safe_dump(overrides, sort_keys=True), "utf-8")
    print(f"topic models on a small grid ({TOPICS_OVERRIDE}): {overrides}", flush=True)
    return ("--configfile", "config/config.yaml", TOPICS_OVERRIDE)


def refresh_workflow(workdir: Path) -> None:
    """Replace a kept project's workflow and Snakefile by the repository's current ones."""
    shutil.rmtree(workdir / "workflow")
    shutil.copytree(REPO / "workflow", workdir / "workflow")
    shutil.copy2(REPO / "Snakefile", workdir / "Snakefile")


def run(
    workdir: Path, targets: list[str], cores: int, extra: tuple[str, ...] = ()
) -> tuple[float, float, str]:
    """Run the workflow up to ``targets``: wall seconds, the largest peak resident memory (MB)
    of any one process of the run (the kernel's ru_maxrss over Snakemake and every job it
    waited for: exact, not sampled), and Snakemake's output."""
    paths = [str(REPO / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "--workflow-profile",
        str(workdir / "workflow" / "profiles" / "default"),
        "--cores",
        str(cores),
        "--quiet",
        "host",
        *extra,
        "--",
        *targets,
    ]
    logs = set((workdir / ".snakemake" / "log").glob("*.snakemake.log"))
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.monotonic() - started
        log.seek(0)
        output = log.read()
    if process.returncode != 0:
        raise SystemExit(f"workflow failed:\n{output[-8000:]}")
    return elapsed, usage.ru_maxrss / 1024, output + snakemake_logs(workdir, logs)


def snakemake_logs(workdir: Path, before: set[Path]) -> str:
    """The text of the Snakemake logs a run wrote (those not in ``before``): they hold every
    job's block (rule, benchmark, resources) that the profile's one-line progress leaves out
    of the terminal."""
    new = sorted(set((workdir / ".snakemake" / "log").glob("*.snakemake.log")) - before)
    return "".join(path.read_text(encoding="utf-8") for path in new)


_JOB = re.compile(r"^(?:local)?rule (?P<rule>\S+):\n(?P<body>(?:    .*\n)+)", re.MULTILINE)


def declared_resources(output: str) -> dict[str, dict]:
    """Benchmark file -> {rule, mem_mb, runtime} from the job blocks Snakemake prints."""
    jobs = {}
    for match in _JOB.finditer(output):
        body = match.group("body")
        benchmark = re.search(r"^    benchmark: (\S+)$", body, re.MULTILINE)
        resources = re.search(r"^    resources: (.*)$", body, re.MULTILINE)
        if not benchmark or not resources:
            continue
        values = dict(item.split("=", 1) for item in resources.group(1).split(", ") if "=" in item)
        jobs[benchmark.group(1)] = {
            "rule": match.group("rule"),
            "mem_mb": int(values.get("mem_mb", 0)),
            "runtime": int(values.get("runtime", 0)),
        }
    return jobs


def measured(workdir: Path, declared: dict[str, dict]) -> list[dict]:
    rows = []
    for path, job in sorted(declared.items()):
        with (workdir / path).open() as handle:
            record = next(csv.DictReader(handle, delimiter="\t"))
        seconds, peak = float(record["s"]), float(record["max_rss"])
        rows.append(
            {
                **job,
                "job": Path(path).stem,
                "seconds": seconds,
                "peak_mb": peak,
                "covered": peak <= job["mem_mb"] and seconds <= 60 * job["runtime"],
            }
        )
    return rows


def report(workdir: Path, output: str, elapsed: float, size: float, peaks: str) -> None:
    rows = measured(workdir, declared_resources(output))
    print(f"\n== one document of {size:.1f} MB (+ the real corpus): {elapsed:.0f} s wall")
    print(
        f"{'rule':<18} {'job':<20} {'seconds':>8} {'peak MB':>8} "
        f"{'mem_mb':>7} {'runtime':>7}  covered"
    )
    for row in rows:
        print(
            f"{row['rule']:<18} {row['job']:<20} {row['seconds']:>8.1f} "
            f"{row['peak_mb']:>8.0f} {row['mem_mb']:>7} {row['runtime']:>6}m  "
            f"{'yes' if row['covered'] else 'NO'}"
        )
    # Each per-document stage is one job over every document: its peak is its largest one's.
    worst = max((r["peak_mb"] for r in rows), default=float("nan"))
    print(
        f"largest job peak {worst:.0f} MB (target < {TARGET_MB} MB per job: "
        f"{'met' if worst < TARGET_MB else 'NOT met'}); jobs whose declared resources do not "
        f"cover their use: {sum(not r['covered'] for r in rows)}"
    )
    print(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, nargs="+", default=[50.0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--targets", nargs="*", help="default: see the module docstring")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    parser.add_argument(
        "--project",
        type=Path,
        help="a project kept by --keep: refresh its workflow, make the missing --targets",
    )
    parser.add_argument(
        "--explorer",
        action="store_true",
        help=f"also make {EXPLORER} (topic models on one K: --topics-k, --topics-seeds)",
    )
    parser.add_argument("--topics-k", type=int, default=2)
    parser.add_argument("--topics-seeds", type=int, default=2)
    parser.add_argument(
        "--omit-explorer",
        action="store_true",
        help="with --explorer: make everything the explorer reads, but not the page",
    )
    parser.add_argument(
        "--configfile",
        type=Path,
        help="with --project: config overrides over config/config.yaml (e.g. one K)",
    )
    args = parser.parse_args()
    if args.project:
        refresh_workflow(args.project)
        size = (args.project / "corpus" / f"{LARGE}.txt").stat().st_size / 1e6
        override = (
            ("--configfile", "config/config.yaml", str(args.configfile.resolve()))
            if args.configfile
            else ("--configfile", "config/config.yaml", TOPICS_OVERRIDE)
            if (args.project / TOPICS_OVERRIDE).exists()
            else ()
        )
        if override and not args.configfile:
            print(f"topic models on the kept project's small grid ({TOPICS_OVERRIDE})")
        # Only missing outputs are made (the code fingerprints of the kept outputs changed).
        elapsed, peak, output = run(
            args.project,
            args.targets or default_targets()[1:],
            args.cores,
            ("--rerun-triggers", "mtime", *override),
        )
        report(
            args.project, output, elapsed, size, f"kernel peak of any one process: {peak:.0f} MB"
        )
        return
    for megabytes in args.megabytes:
        workdir = Path(tempfile.mkdtemp(prefix=f"bench-memory-{megabytes:g}mb-"))
        try:
            large = build_project(workdir, megabytes)
            size = large.stat().st_size / 1e6
            targets = args.targets or default_targets()
            extra: tuple[str, ...] = ()
            if args.explorer:
                extra = topics_override(workdir, args.topics_k, args.topics_seeds)
                targets = [*targets, EXPLORER] if EXPLORER not in targets else targets
                if args.omit_explorer:
                    extra = (*extra, "--omit-from", "explorer")
            # First the large document's per-document stages alone (the kernel's peak is then
            # theirs), then everything else.
            elapsed, per_document_peak, output = run(workdir, targets[:1], args.cores, extra)
            more, rest_peak, rest = (
                run(workdir, targets[1:], args.cores, extra) if targets[1:] else (0, 0, "")
            )
            report(
                workdir,
                output + rest,
                elapsed + more,
                size,
                f"kernel peak (ru_maxrss) of any one process: {per_document_peak:.0f} MB while "
                f"building {targets[0]} (its per-document stages), {rest_peak:.0f} MB for the "
                "rest",
            )
        finally:
            if args.keep:
                print(f"kept {workdir}")
            else:
                shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
