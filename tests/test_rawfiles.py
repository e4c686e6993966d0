"""The parse's facts of raw files: read once per content, and never stale."""

import os

import pytest

from corpusflow import rawfiles
from corpusflow.errors import InputError
from corpusflow.rawfiles import RawFiles, read_facts, utf16_without_declaration


def test_changed_bytes_under_the_old_time_stamp_give_a_new_fingerprint(tmp_path):
    raw = tmp_path / "doc.txt"
    raw.write_text("the workers' opposition\n")
    stat = raw.stat()
    first = RawFiles(tmp_path / "cache.json")
    before = first.fingerprint([(raw, "utf-8")])
    first.remember()
    raw.write_text("the workers' oppositiom\n")  # same size
    os.utime(raw, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert raw.stat().st_mtime_ns == stat.st_mtime_ns
    assert RawFiles(tmp_path / "cache.json").fingerprint([(raw, "utf-8")]) != before


def test_an_unchanged_file_is_not_read_again(tmp_path, monkeypatch):
    raw = tmp_path / "doc.txt"
    raw.write_text("one two three\n")
    first = RawFiles(tmp_path / "cache.json")
    assert first.facts(raw, "utf-8")["letter_runs"] == 3
    first.remember()

    def no_reading(*args):
        raise AssertionError("read again")

    monkeypatch.setattr(rawfiles, "read_facts", no_reading)
    assert RawFiles(tmp_path / "cache.json").facts(raw, "utf-8")["letter_runs"] == 3
    with pytest.raises(AssertionError, match="read again"):
        RawFiles(tmp_path / "cache.json").facts(raw, "latin-1")  # another declaration


def test_an_unwritable_cache_only_means_reading_again(tmp_path):
    raw = tmp_path / "doc.txt"
    raw.write_text("text\n")
    (tmp_path / "blocked").write_text("a file where the cache folder would be")
    files = RawFiles(tmp_path / "blocked" / "cache.json")
    assert files.facts(raw, "utf-8")["bytes"] == 5
    files.remember()  # no error


@pytest.mark.parametrize(
    ("text", "encoding", "declared", "code"),
    [
        ("Words in UTF-16.\n" * 20, "utf-16", "utf-8", "CF211"),
        ("Words in UTF-16.\n" * 20, "utf-16-le", "utf-8", "CF211"),
        ("Words in UTF-16.\n" * 20, "utf-16", "utf-16", None),
        (" \n\t\n", "utf-8", "utf-8", "CF212"),
        ("", "utf-8", "utf-8", "CF212"),
        ("Caf\u00e9 au lait.\n", "latin-1", "latin-1", None),
    ],
)
def test_each_file_problem_is_found_before_any_job(tmp_path, text, encoding, declared, code):
    raw = tmp_path / "doc.txt"
    raw.write_bytes(text.encode(encoding))
    problems = RawFiles(tmp_path / "cache.json").problems([(raw, declared)])
    assert [p.code for p in problems] == ([code] if code else [])
    assert all(isinstance(p, InputError) and str(raw) in str(p) for p in problems)


def test_utf16_is_recognised_with_or_without_a_byte_order_mark():
    assert utf16_without_declaration("abc".encode("utf-16"), "utf-8")
    assert utf16_without_declaration(("abcdef" * 10).encode("utf-16-be"), "cp1252")
    assert not utf16_without_declaration(b"plain ascii text " * 10, "utf-8")
    assert not utf16_without_declaration("abc".encode("utf-16"), "utf-16")


def test_letter_runs_count_words_not_digits_or_punctuation(tmp_path):
    raw = tmp_path / "doc.txt"
    raw.write_text("In 1921, the Workers' Opposition -- rank-and-file -- spoke.\n")
    assert read_facts(raw, "utf-8")["letter_runs"] == 8
