"""Benchmark of the foundation: tokenise throughput, cold run and no-op rerun of the workflow.

Prints figures; asserts nothing (targets are in the README and the issue). Run from the
repository root with the project's environment:

    .venv/bin/python benchmarks/bench_workflow.py

1. Tokenise throughput on the real corpus: the stage's function (``tokenise_text``) beside
   bare ``nlp.pipe`` of the same pipeline over the same paragraphs, best of 3 each, same run.
2. Wall time of a dry run (`snakemake -n`: parsing and startup checks; target under 2 s),
   median and minimum of 9, alternating with Snakemake's own floor (a one-rule Snakefile) and
   that floor with this workflow's profile and config and a `script:` rule.
3. Cold wall time of the whole default workflow in a fresh temporary copy of the project.
4. Wall time of a rerun with nothing changed (target: under 3 s, no job run), median and
   minimum of 9.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpusflow.config import default_config
from corpusflow.tokenise import load_pipeline, paragraph_spans, tokenise_text

REPO = Path(__file__).resolve().parents[1]
COPY = ["Snakefile", "workflow", "config", "corpus"]
#: The tokenise stage's batch size, as the workflow runs it (the schema's default).
BATCH_SIZE = default_config()["tokenise"]["batch_size"]


def best_of(function, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def tokenise_benchmark() -> None:
    nlp = load_pipeline()
    texts = [path.read_text(encoding="utf-8") for path in sorted((REPO / "corpus").glob("*.txt"))]
    text = "\n".join(texts)
    paragraphs = [text[start:end] for start, end in paragraph_spans(text)]

    def bare():
        return sum(len(doc) for doc in nlp.pipe(paragraphs, batch_size=BATCH_SIZE))

    def stage():
        return len(tokenise_text(text, "bench", nlp, batch_size=BATCH_SIZE))

    bare_time, bare_tokens = best_of(bare)
    stage_time, stage_tokens = best_of(stage)
    bare_rate, stage_rate = bare_tokens / bare_time, stage_tokens / stage_time
    print(f"tokenise, bare nlp.pipe  : {bare_tokens:>7} tokens, {bare_rate:>9,.0f} tokens/s")
    print(f"tokenise, stage          : {stage_tokens:>7} tokens, {stage_rate:>9,.0f} tokens/s")
    print(f"tokenise, stage / bare   : {stage_rate / bare_rate:.2f}x (target >= 0.7x)")


#: Timed calls per measurement. The machine's speed varies by about 20% from one minute to the
#: next, so the workflow's dry runs alternate with the floors' and medians are compared.
ROUNDS = 9


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, result.stdout + result.stderr


def workflow_command(*args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "snakemake",
        "--workflow-profile",
        "workflow/profiles/default",
        *args,
    ]


def floor_command(folder: Path, workdir: Path | None = None) -> list[str]:
    """A one-rule workflow in ``folder`` and the command of its dry run: Snakemake's start-up,
    which no workflow can go below.

    Without ``workdir``: a shell rule and no profile. With it: a copy of ``workdir``'s profile
    and config beside one `script:` rule, so also what every workflow of this shape pays
    (loading the config file, the logger plugin, and the nbformat and jsonschema imports
    Snakemake makes to check a script that is about to run).
    """
    command = [sys.executable, "-m", "snakemake", "--dry-run", "--quiet"]
    if workdir is None:
        rule = 'rule a:\n    output: "a"\n    shell: "touch a"\n'
        command += ["--cores", "1"]
    else:
        for name in ("config", "workflow"):
            shutil.copytree(workdir / name, folder / name)
        (folder / "a.py").write_text("open(snakemake.output[0], 'w').close()\n")
        rule = 'rule a:\n    output: "a"\n    script: "a.py"\n'
        command += ["--workflow-profile", "workflow/profiles/default"]
    (folder / "Snakefile").write_text(rule)
    return command


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):.2f} s, min {min(times):.2f} s"


def workflow_benchmark() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        workdir, bare, shaped = root / "project", root / "floor", root / "floor-script"
        for path in (workdir, bare, shaped):
            path.mkdir()
        for name in COPY:
            source = REPO / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, workdir / name)
        runs = {
            "dry": (workflow_command("--dry-run", "--quiet"), workdir),
            "bare": (floor_command(bare), bare),
            "shaped": (floor_command(shaped, workdir), shaped),
        }
        times = {key: [] for key in runs}
        for _ in range(ROUNDS):
            for key, (command, cwd) in runs.items():
                times[key].append(timed(command, cwd)[0])
        print(f"workflow, dry run (parse): {summary(times['dry'])} of {ROUNDS} (target < 2 s)")
        print(f"snakemake's own floor    : {summary(times['bare'])} (a one-rule Snakefile)")
        print(f"  with profile and script: {summary(times['shaped'])} (one script rule, this")
        print("                           profile and config; runs alternate with the above)")
        cold, _ = timed(workflow_command(), workdir)
        print(f"workflow, cold run       : {cold:.1f} s")
        reruns = [timed(workflow_command(), workdir) for _ in range(ROUNDS)]
        ran_nothing = all("Nothing to be done" in output for _, output in reruns)
        print(
            f"workflow, no-op rerun    : {summary([seconds for seconds, _ in reruns])} of "
            f"{ROUNDS} (no job run: {ran_nothing}; target < 3 s)"
        )


if __name__ == "__main__":
    tokenise_benchmark()
    workflow_benchmark()
