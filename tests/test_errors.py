"""Error codes: every raised code is documented, every documented code is raised somewhere."""

import re
from pathlib import Path

import pytest

from corpusflow.errors import CODES, ConfigError, errors_markdown

ROOT = Path(__file__).resolve().parents[1]
RAISED = re.compile(r'(?:ConfigError|InputError|CorpusflowError)\(\s*"(CF\d{3})"')


def raised_codes() -> set[str]:
    sources = [*ROOT.joinpath("src").rglob("*.py"), *ROOT.joinpath("workflow").rglob("*.smk")]
    return {code for path in sources for code in RAISED.findall(path.read_text(encoding="utf-8"))}


def test_docs_errors_md_is_written_from_the_code_table():
    assert (ROOT / "docs" / "errors.md").read_text(encoding="utf-8") == errors_markdown()


def test_every_code_in_the_table_is_raised_somewhere_and_every_raised_code_is_listed():
    raised = raised_codes()
    assert raised - set(CODES) == set()
    assert set(CODES) - raised == set()


def test_the_message_starts_with_the_code_and_points_at_the_docs():
    error = ConfigError("CF101", "config key x: bad")
    assert str(error).startswith("CF101: config key x: bad")
    assert "docs/errors.md#cf101" in str(error)
    assert error.code == "CF101"


def test_an_unregistered_code_is_a_programming_error():
    with pytest.raises(KeyError, match="CF999"):
        ConfigError("CF999", "nothing")
