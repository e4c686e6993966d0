import hashlib

import pytest

from corpusflow.errors import InputError
from corpusflow.ingest import BoilerplateProfile, decode_strict, ingest_document, strip_boilerplate
from tests.defaults import UNICODE_FORM


def test_ingest_normalises_line_endings_and_unicode(tmp_path):
    raw = "Caf\u0065\u0301\r\nsecond line\rthird\n\n".encode()
    path = tmp_path / "doc.txt"
    path.write_bytes(raw)
    document = ingest_document(path, encoding="utf-8", unicode_form=UNICODE_FORM)
    assert document.text == "Caf\u00e9\nsecond line\nthird\n"
    assert document.metadata["sha256"] == hashlib.sha256(raw).hexdigest()
    assert document.metadata["bytes"] == len(raw)


def test_ingest_drops_a_byte_order_mark(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes("\ufeffText\n".encode())
    assert ingest_document(path, encoding="utf-8", unicode_form=UNICODE_FORM).text == "Text\n"


def test_invalid_bytes_name_line_and_column(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(b"first line\nsecond \xe9 line\n")
    with pytest.raises(InputError, match=r"doc.txt, line 2, column 8: .* not valid utf-8"):
        ingest_document(path, encoding="utf-8", unicode_form=UNICODE_FORM)


def test_ascii_declared_file_with_utf8_bytes_fails(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("naïve\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid ascii"):
        ingest_document(path, encoding="ascii", unicode_form=UNICODE_FORM)


def test_unknown_encoding_is_named():
    with pytest.raises(InputError, match="unknown encoding 'utf-9'"):
        decode_strict(b"x", "utf-9", "doc.txt")


def test_empty_document_is_an_error(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text(" \n\t\n")
    with pytest.raises(InputError, match="empty or whitespace only"):
        ingest_document(path, encoding="utf-8", unicode_form=UNICODE_FORM)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(InputError, match="cannot read the file"):
        ingest_document(tmp_path / "missing.txt", encoding="utf-8", unicode_form=UNICODE_FORM)


def test_boilerplate_header_and_footer_are_removed():
    lines = ["menu", "Home", "END MENU", "Body one", "Body two", "[Home] [About]", "x"]
    profile = BoilerplateProfile(header_until="^END MENU$", footer_from=r"^\[Home\]")
    kept, removed = strip_boilerplate(lines, profile, "doc.txt")
    assert kept == ["Body one", "Body two"]
    assert removed == {"header_lines": 3, "footer_lines": 2}


def test_boilerplate_pattern_that_matches_nothing_is_an_error():
    with pytest.raises(InputError, match="matches no line"):
        strip_boilerplate(["a", "b"], BoilerplateProfile(header_until="^MENU$"), "doc.txt")


def test_ingest_never_writes_to_the_raw_file(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(b"Line\r\n")
    before = path.stat().st_mtime_ns
    ingest_document(path, encoding="utf-8", unicode_form=UNICODE_FORM)
    assert path.read_bytes() == b"Line\r\n"
    assert path.stat().st_mtime_ns == before
