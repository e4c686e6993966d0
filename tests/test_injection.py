"""Hostile text in the manifest, the config and the documents never runs as markup.

The shared `hostile_run` (tests/conftest.py) puts `<script>`, `</script>` and `<img onerror>`
into a document's text, a manifest title, every manifest source and the group labels, and runs
the whole workflow with the report. Every HTML output is opened in Chromium; the test fails on
any dialog, page error, code that ran (`window.__pwned`) or element the hostile text created.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import HOSTILE_TITLE, copy_project, run_snakemake

pytestmark = pytest.mark.workflow

#: Elements that only the hostile text would create.
INJECTED = """() => [
    ...document.querySelectorAll('img[onerror]'),
    ...Array.from(document.querySelectorAll('script'))
        .filter(e => e.textContent.trim().startsWith('window.__pwned')),
].length"""


def test_hostile_text_reaches_the_outputs_as_text(hostile_run):
    overview = (hostile_run / "results" / "tables" / "corpus_overview.csv").read_text()
    assert HOSTILE_TITLE in overview.replace('""', '"')  # kept verbatim, as data


def open_page(browser, path: Path) -> dict:
    """Open ``path``; its dialogs, page errors, whether hostile code ran, injected elements."""
    found = {"dialogs": [], "errors": []}
    page = browser.new_page()
    page.on("dialog", lambda dialog: (found["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: found["errors"].append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_timeout(500)
    found["ran"] = page.evaluate("typeof window.__pwned !== 'undefined'")
    found["injected"] = page.evaluate(INJECTED)
    page.close()
    return found


def test_no_html_output_runs_or_renders_hostile_markup(hostile_run, browser):
    pages = sorted(hostile_run.glob("results/**/*.html"))
    names = {path.relative_to(hostile_run).as_posix() for path in pages}
    assert {"results/report.html", "results/explorer.html"} <= names
    for path in pages:
        expected = {"dialogs": [], "errors": [], "ran": False, "injected": 0}
        assert open_page(browser, path) == expected, path.name


def test_report_holds_no_local_file_and_no_script_link(hostile_run):
    """Group labels and a phrase hold reST directives (conftest.HOSTILE_CONFIG): shown as text."""
    report = (hostile_run / "results" / "report.html").read_text(encoding="utf-8")
    assert "root:x:0:0" not in report, "report.html embeds /etc/passwd"
    assert "workers opposition" in report.lower(), "the hostile label is not shown at all"
    for quote in ('"', '\\"', "'"):
        assert f"href={quote}javascript:window.__pwned" not in report


def test_a_config_string_that_would_end_a_script_stops_the_run_before_any_job(tmp_path):
    workdir = copy_project(tmp_path)
    (workdir / "bad.yaml").write_text(
        yaml.safe_dump({"keyness": {"phrases": ["trade unions </script><script>x=1"]}})
    )
    result = run_snakemake(workdir, "--configfile", "config/config.yaml", "bad.yaml", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "CF706" in output and "keyness.phrases[0]" in output
    assert not (workdir / "results" / "ingest").exists(), "a job ran before the check"
