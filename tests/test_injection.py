"""Hostile text in the manifest, the config and the documents never runs as markup.

A corpus whose titles, sources, group labels and document text carry `<script>`, `</script>`
and `<img onerror>` goes through the whole workflow; every HTML output is then opened in
Chromium, and the test fails on any dialog or on any element the hostile text would create.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, REPORT_ARGS, copy_project, run_snakemake

pytestmark = pytest.mark.workflow

SCRIPT = "<script>alert('{n}')</script>"
CLOSE = "</script><script>alert('{n}')</script>"
IMG = "<img src=x onerror=\"alert('{n}')\">"


def hostile(n: int) -> str:
    return f"{SCRIPT.format(n=n)} {CLOSE.format(n=n + 1)} {IMG.format(n=n + 2)}"


def excerpt(doc_id: str, words: int) -> str:
    """The first paragraphs of a corpus text, about ``words`` words."""
    kept, count = [], 0
    for paragraph in (REPO / "corpus" / f"{doc_id}.txt").read_text().split("\n\n"):
        kept.append(paragraph)
        count += len(paragraph.split())
        if count >= words:
            break
    return "\n\n".join(kept)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory) -> Path:
    workdir = copy_project(tmp_path_factory.mktemp("hostile"))
    study = workdir / "hostile"
    (study / "config").mkdir(parents=True)
    (study / "texts").mkdir()
    for doc_id in ("kollontai-web", "olivier-commentary"):
        text = excerpt(doc_id, 3000) + f"\n\nA line of markup: {hostile(10)}\n"
        (study / "texts" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    header = "doc_id\tpath\ttitle\tauthor\tyear\tgroup\trole\tencoding\tocr\tsource"
    rows = [
        f"kollontai-web\ttexts/kollontai-web.txt\tTitle {hostile(20)}\tA\t1921\tpamphlet"
        f"\tanalysis\tutf-8\ttrue\tSource {hostile(30)}",
        f"olivier-commentary\ttexts/olivier-commentary.txt\tTitle {hostile(40)}\tB\t2010"
        f"\tcommentary\tanalysis\tutf-8\tfalse\tSource {hostile(50)}",
    ]
    (study / "config" / "corpus.tsv").write_text("\n".join([header, *rows]) + "\n")
    label = hostile(60).replace('"', "'")
    (study / "config" / "config.yaml").write_text(
        "manifest: config/corpus.tsv\n"
        f'groups:\n  pamphlet: "Pamphlet {label}"\n  commentary: "Commentary {label}"\n'
        "segments: {target_tokens: 150}\n"
        "topics: {k_min: 2, k_max: 3, k: 2, seeds: 2}\n",
        encoding="utf-8",
    )
    run_snakemake(workdir, *REPORT_ARGS, project=study)
    return study


def test_hostile_text_reaches_the_outputs_as_text(hostile_run):
    overview = (hostile_run / "results" / "tables" / "corpus_overview.csv").read_text()
    assert "<script>alert('20')</script>" in overview  # kept verbatim in the data


def open_page(browser, path: Path) -> dict:
    """Open ``path``; the dialogs it raised, page errors, and elements carrying hostile code."""
    found = {"dialogs": [], "errors": []}
    page = browser.new_page()
    page.on("dialog", lambda dialog: (found["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: found["errors"].append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_timeout(500)
    found["injected"] = page.evaluate(
        """() => Array.from(document.querySelectorAll('script, img'))
             .filter(e => (e.outerHTML || '').includes("alert('")).length"""
    )
    page.close()
    return found


def test_no_html_output_runs_or_renders_hostile_markup(hostile_run, browser):
    pages = sorted(hostile_run.glob("results/**/*.html"))
    assert hostile_run / "results" / "report.html" in pages
    for path in pages:
        assert open_page(browser, path) == {"dialogs": [], "errors": [], "injected": 0}, path.name
