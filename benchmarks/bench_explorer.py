"""Size and time to interactive of the explorer page at 1x and 10x the real corpus.

For each size, builds the corpus of ``benchmarks/scaling.py`` (copy ``i`` of every document
gets its own doc_id; topics at one K), runs the workflow up to ``results/explorer.html`` in a
folder of its own, then opens the page in Debian's headless chromium (playwright) several times
and prints the file size, the rule's job time (Snakemake benchmark) and the time to interactive:
milliseconds from navigation start until the page's script has parsed the data and drawn the
first view (``body[data-ready]``, set by the script from ``performance.now()``), and the
``load`` event. Prints figures; asserts nothing. Targets (issue #25): at most 1.5 MB at 1x and
10 MB at 10x, interactive within 1 s at 1x. Run from the repository root:

    PYTHONPATH=src .venv/bin/python benchmarks/bench_explorer.py --sizes 1 10
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scaling import prepare  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]


def build(workdir: Path, copies: int, cores: int, topics_k: int, seeds: int) -> Path:
    configfile = prepare(workdir, copies, topics_k, list(range(1, seeds + 1)))
    command = [
        sys.executable, "-m", "snakemake", "results/explorer.html", "--cores", str(cores),
        "--configfile", "config/config.yaml", str(configfile.relative_to(workdir)),
    ]  # fmt: skip
    with open(workdir / "snakemake.out", "w", encoding="utf-8") as log:
        if subprocess.run(command, cwd=workdir, stdout=log, stderr=subprocess.STDOUT).returncode:
            sys.exit(f"snakemake failed in {workdir}; see {workdir / 'snakemake.out'}")
    return workdir / "results" / "explorer.html"


def time_to_interactive(page_path: Path, repeats: int) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    ready, load = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(repeats):
            page = browser.new_page()
            page.goto(page_path.as_uri(), wait_until="load", timeout=120_000)
            page.wait_for_selector("body[data-ready]", timeout=120_000)
            ready.append(float(page.evaluate("Number(document.body.dataset.ready)")))
            load.append(
                float(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
            )
            page.close()
        browser.close()
    return ready, load


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 10], help="none: --page only")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--topics-k", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workdir", type=Path, help="keep the runs here (default: a temp dir)")
    parser.add_argument(
        "--page", type=Path, nargs="*", default=[], help="also measure these existing pages"
    )
    args = parser.parse_args(argv)
    base = args.workdir or Path(tempfile.mkdtemp(prefix="bench-explorer-"))
    print(f"size  page_MB  job_s  interactive_ms(median, max)  load_ms(median)  [{base}]")
    for page in (p.resolve() for p in args.page):
        ready, load = time_to_interactive(page, args.repeats)
        print(
            f"{str(page):>4}  {page.stat().st_size / 1e6:7.2f}      -  "
            f"{statistics.median(ready):8.0f} {max(ready):8.0f}  {statistics.median(load):14.0f}",
            flush=True,
        )
    for copies in args.sizes:
        workdir = base / f"x{copies}"
        page = build(workdir, copies, args.cores, args.topics_k, args.seeds)
        job = pd.read_csv(workdir / "results/benchmarks/explorer/explorer.tsv", sep="\t")
        ready, load = time_to_interactive(page, args.repeats)
        print(
            f"{copies:>3}x  {page.stat().st_size / 1e6:7.2f}  {job['s'].iloc[-1]:5.1f}  "
            f"{statistics.median(ready):8.0f} {max(ready):8.0f}  "
            f"{statistics.median(load):14.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
