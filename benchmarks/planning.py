"""How planning grows with the number of documents: jobs planned and dry-run time.

Builds a synthetic corpus of N small documents (``synthetic_corpus``: paragraphs of the real
analysed texts, cut to ``--doc-bytes`` at a word end, alternating between the two groups), in a
copy of the workflow, and measures what Snakemake does before any job runs:

- jobs planned (``snakemake -n --quiet rules``: the "total" of its job table);
- wall time of a dry run (``snakemake -n``, the whole plan printed), median of ``--repeats``,
  alternating with ``snakemake --version`` (Python's and Snakemake's start-up: the floor), so
  machine load hits both alike. The ratio dry run / floor is the figure of issue 26 (target:
  2,000 documents within 3x, at most 60 jobs).

``--run`` then runs the workflow for real (``--targets``, default everything) and prints its
wall time; ``--shard-mb`` sets ``workflow.shard_mb``. Every run uses the default profile.

    PYTHONPATH=src python benchmarks/planning.py --documents 2000 100000 --repeats 5
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REPO_PARTS = ("Snakefile", "pyproject.toml", "config", "workflow")
#: Source of each group's paragraphs (analysed documents of the real corpus, already clean).
SOURCES = {
    "kollontai": "corpus/kollontai-bureaucracy.txt",
    "commentary": "corpus/olivier-commentary.txt",
}
COLUMNS = ["doc_id", "path", "title", "author", "year", "group", "role", "encoding", "ocr",
           "wrapped", "derived_from", "witnesses", "boilerplate", "source"]  # fmt: skip


def paragraphs(text: str, doc_bytes: int) -> list[str]:
    """The text's paragraphs of at least ``doc_bytes`` characters, each cut at the last word
    end within ``doc_bytes``."""
    cut = []
    for paragraph in (" ".join(p.split()) for p in text.split("\n\n")):
        if len(paragraph) >= doc_bytes:
            cut.append(paragraph[:doc_bytes].rsplit(" ", 1)[0])
    return cut


def synthetic_corpus(workdir: Path, documents: int, doc_bytes: int = 150, **overrides) -> Path:
    """A copy of the workflow in ``workdir`` with a corpus of ``documents`` small analysed
    documents (groups alternate; each group's paragraphs repeat in turn) and a configfile
    ``config/synthetic.yaml`` naming its manifest (plus ``overrides``, top-level sections).
    Returns the configfile, relative to ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    for part in REPO_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, workdir / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, workdir / part)
    texts = {
        group: paragraphs((REPO / path).read_text(encoding="utf-8"), doc_bytes)
        for group, path in SOURCES.items()
    }
    groups = list(texts)
    (workdir / "corpus").mkdir(exist_ok=True)
    rows = []
    for index in range(documents):
        group = groups[index % len(groups)]
        doc_id = f"doc{index:07d}"
        pool = texts[group]
        (workdir / "corpus" / f"{doc_id}.txt").write_text(
            pool[(index // len(groups)) % len(pool)] + "\n", encoding="utf-8"
        )
        rows.append({"doc_id": doc_id, "path": f"corpus/{doc_id}.txt", "title": doc_id,
                     "author": "synthetic", "year": "2000", "group": group, "role": "analysis",
                     "encoding": "utf-8", "ocr": "false", "wrapped": "false"})  # fmt: skip
    with open(workdir / "config" / "synthetic.tsv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, restval="", delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    import yaml

    config = {"manifest": "config/synthetic.tsv", **overrides}
    path = workdir / "config" / "synthetic.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=True), encoding="utf-8")
    return path.relative_to(workdir)


def snakemake(workdir: Path, configfile: Path, *arguments: str) -> subprocess.CompletedProcess:
    command = [
        sys.executable, "-m", "snakemake", "--workflow-profile", "workflow/profiles/default",
        "--configfile", "config/config.yaml", str(configfile), *arguments,
    ]  # fmt: skip
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed in {workdir}:\n{result.stderr[-3000:]}")
    return result


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def planned_jobs(output: str) -> int:
    """The "total" of the job table Snakemake prints for a dry run."""
    for line in output.splitlines():
        if line.startswith("total"):
            return int(line.split()[1])
    raise ValueError("no job table in the dry run's output")


def measure(workdir: Path, configfile: Path, repeats: int) -> dict:
    result = snakemake(workdir, configfile, "-n", "--quiet", "rules")
    jobs = planned_jobs(result.stdout + result.stderr)
    dry, floor = [], []
    for _ in range(repeats):
        dry.append(timed(partial(snakemake, workdir, configfile, "-n")))
        floor.append(timed(partial(snakemake, workdir, configfile, "--version")))
    dry_s, floor_s = statistics.median(dry), statistics.median(floor)
    return {"jobs": jobs, "dry_s": dry_s, "floor_s": floor_s, "ratio": dry_s / floor_s}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[2000])
    parser.add_argument("--doc-bytes", type=int, default=150)
    parser.add_argument("--shard-mb", type=float, help="workflow.shard_mb (default: schema's)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--run", action="store_true", help="then run the workflow for real")
    parser.add_argument("--targets", nargs="*", default=[])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--workdir", type=Path, help="keep the projects here")
    args = parser.parse_args(argv)
    root = args.workdir or Path(tempfile.mkdtemp(prefix="corpusflow-planning-"))
    overrides = {"workflow": {"shard_mb": args.shard_mb}} if args.shard_mb else {}
    # a fixed K: the sweep's jobs do not depend on the corpus size
    overrides["topics"] = {"k_min": 4, "k_max": 4, "k": 4, "seeds": 2}
    print(f"{'documents':>10} {'jobs':>5} {'dry run s':>10} {'--version s':>12} {'ratio':>6}")
    try:
        for documents in args.documents:
            workdir = root / f"n{documents}"
            configfile = synthetic_corpus(workdir, documents, args.doc_bytes, **overrides)
            figures = measure(workdir, configfile, args.repeats)
            print(f"{documents:>10} {figures['jobs']:>5} {figures['dry_s']:>10.2f} "
                  f"{figures['floor_s']:>12.2f} {figures['ratio']:>6.2f}", flush=True)  # fmt: skip
            if args.run:
                run = partial(snakemake, workdir, configfile, "--cores", str(args.cores))
                print(f"  full run: {timed(partial(run, *args.targets)):.0f} s")
    finally:
        if args.workdir is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
