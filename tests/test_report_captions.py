"""Every config string reaches the report's captions as data, never as markup.

Snakemake renders each caption (workflow/report/*.rst) with Jinja, then docutils, whose raw and
include directives are on. The captions are rendered here exactly as Snakemake does it, with
every free-text string of the config (a schema string with no enum or pattern, and the group
labels) replaced by a hostile one: a reST directive after a blank line, an `include` of a local
file, backquotes, a `javascript:` link, HTML. Fast: no workflow run (tests/test_injection.py
checks a whole run's report.html in Chromium).
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from docutils.core import publish_parts
from jinja2 import Environment

from corpusflow.cleaning.stage import WORD_RULES
from corpusflow.config import load_schema
from tests.conftest import REPO
from tests.defaults import DEFAULTS

CAPTIONS = sorted((REPO / "workflow" / "report").glob("*.rst"))
SCHEMA = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")

HOSTILE = {
    "directives": (
        "label\n\n.. raw:: html\n\n   <script>window.__pwned = 1</script>\n\n"
        ".. include:: /etc/passwd\n\n.. |x| raw:: html\n\n   <b>x</b>\n"
    ),
    "link": "`click <javascript:alert(1)>`_ and javascript:alert(2) [1]_ |x| :raw:`<b>`",
    "html": "</p><script>window.__pwned = 2</script><img src=x onerror=alert(3)> *a* **b**",
    "edges": "  `` trailing backslash \\",
}


def free_strings(schema: dict, path: tuple = ()) -> list[tuple]:
    """Paths of the config's free-text strings: schema strings with neither enum nor pattern."""
    if "properties" in schema:
        return [p for k, v in schema["properties"].items() for p in free_strings(v, (*path, k))]
    if schema.get("type") == "array":
        return [(*path, "[]")] if free_strings(schema.get("items", {}), ()) else []
    plain = schema.get("type") == "string" and not {"enum", "pattern"} & set(schema)
    return [path] if plain else []


def poisoned(value: str) -> dict:
    """The default config with ``value`` in every free-text string and group label."""
    config = copy.deepcopy(DEFAULTS)
    config["groups"] = {"target-group": value, "other": value}
    for path in free_strings(SCHEMA):
        *parents, leaf = path
        node = config
        for key in parents[:-1] if leaf == "[]" else parents:
            node = node.setdefault(key, {})
        if leaf == "[]":
            node[parents[-1]] = [value, f"{value} 2"]
        else:
            node[leaf] = value
    return config


def render(caption: Path, config: dict) -> str:
    """The caption's HTML body as Snakemake 9 makes it (snakemake.report.FileRecord.render)."""
    env = Environment(trim_blocks=True, lstrip_blocks=True)
    # The params the captions read, as a descriptive run of this study sets them.
    params = SimpleNamespace(
        k=3,
        rule_k=3,
        edge="inside",
        design="descriptive",
        test="wmw",
        test_holds=True,
        test_rate=0.04,
        k_evidence="none",
        k_source="default",
        beats_null=[],
    )
    snakemake = SimpleNamespace(config=config, params=params)
    text = env.from_string(caption.read_text(encoding="utf-8")).render(snakemake=snakemake)
    return publish_parts(text, writer_name="html")["body"]


def test_every_free_string_of_the_schema_is_poisoned():
    config = poisoned("X")
    assert config["manifest"] == config["keyness"]["target"] == "X"
    assert config["keyness"]["phrases"] == ["X", "X 2"]
    assert ("groups",) not in free_strings(SCHEMA)  # labels are poisoned by hand above


@pytest.mark.parametrize("kind", HOSTILE)
@pytest.mark.parametrize("caption", CAPTIONS, ids=lambda path: path.name)
def test_config_strings_are_text_in_every_caption(caption, kind):
    body = render(caption, poisoned(HOSTILE[kind]))
    lowered = body.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<b>" not in lowered
    assert "javascript:" not in "".join(part.split(">")[0] for part in lowered.split("<a")[1:])
    assert "root:" not in body, "a local file was included"
    assert "system-message" not in body and "problematic" not in body
    assert "<strong>b</strong>" not in body and "<em>a</em>" not in body


@pytest.mark.parametrize("caption", CAPTIONS, ids=lambda path: path.name)
def test_a_config_string_reads_exactly_as_written(caption):
    value = "Kollontai's `Opposition` <1921> *draft* \\ [1]_ |x| & co"
    text = html.unescape(render(caption, poisoned(value)))
    assert text.count("Kollontai") == text.count(value), "a config string was changed"


@pytest.mark.parametrize(
    ("argv", "path"),
    [
        (["snakemake", "--report", "results/r.html", "--report-after-run"], "results/r.html"),
        (["snakemake", "--report=out/r.html"], "out/r.html"),
        (["snakemake", "--report", "--report-after-run"], "report.html"),
    ],
)
def test_the_run_names_the_report_it_wrote(argv, path):
    from corpusflow.progress import report_path

    assert report_path(argv) == path


def test_config_strings_that_would_end_a_script_element_are_refused_all_at_once():
    from corpusflow.errors import ConfigError
    from corpusflow.report.checks import check_report_text

    config = copy.deepcopy(DEFAULTS)
    config["groups"] = {"a": "fine <b>bold", "b": "ends </SCRIPT> here"}
    config["keyness"]["phrases"] = ["trade unions", "x <!-- y"]
    with pytest.raises(ConfigError) as error:
        check_report_text(config)
    assert error.value.code == "CF706"
    assert "groups.b, keyness.phrases[1]:" in error.value.message
    check_report_text(DEFAULTS)


@pytest.mark.parametrize("caption", CAPTIONS, ids=lambda path: path.name)
def test_no_caption_line_is_glued_to_the_next(caption):
    """Snakemake renders captions with trim_blocks: the newline after a block tag goes, so a
    line of prose ending in one ("... the dispersion-aware q{% endif %}") would run into the
    next line's first word. Such a line ends in '+%}', which keeps its newline."""
    glued = [
        number
        for number, line in enumerate(caption.read_text(encoding="utf-8").splitlines(), 1)
        if line.endswith("%}")
        and not line.endswith("+%}")
        and re.sub(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|\\", "", line).strip()  # prose
    ]
    assert glued == [], f"{caption.name}: lines {glued} run into the next line"
    for top_q in ("segment", "token"):
        config = copy.deepcopy(DEFAULTS)
        config["keyness"]["top_q"] = top_q
        text = html.unescape(render(caption, config))
        assert not re.search(r"\b(?:q|dispersion-aware\)|test\))(?:the|is|<=)\b", text)


def test_the_cleaning_caption_names_every_word_rule():
    caption = (REPO / "workflow" / "report" / "cleaning_summary.rst").read_text(encoding="utf-8")
    assert [rule for rule in WORD_RULES if f"``{rule}``" not in caption] == []
