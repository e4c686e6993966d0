"""Hostile input at the two doors of the workflow: manifest paths and raw file bytes (issue 15).

Paths must resolve inside the project or the configured corpus root (symlinks followed); files
with NUL or other control characters are refused as binary, whatever their declared encoding;
ingest streams, so its output must not depend on where chunk boundaries fall.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

import corpusflow.ingest as ingest
from corpusflow.errors import InputError
from corpusflow.ingest import BoilerplateProfile, IngestStream, ingest_document
from corpusflow.manifest import (
    check_groups_can_be_analysed,
    check_manifest,
    read_manifest,
)
from corpusflow.rawfiles import segment_bound
from tests.defaults import UNICODE_FORM

#: A real PNG image (matplotlib ships its toolbar icons as PNG files).
PNG = Path(matplotlib.get_data_path()) / "images" / "home.png"
HEADER = "doc_id\tpath\ttitle\tauthor\tyear\tgroup\trole\tencoding\n"


def manifest_with(project: Path, path: str) -> Path:
    manifest = project / "corpus.tsv"
    manifest.write_text(HEADER + f"doc\t{path}\tT\tA\t1921\ta\tanalysis\tutf-8\n")
    return manifest


def check(project: Path, path: str, corpus_root: str = "") -> None:
    manifest = manifest_with(project, path)
    check_manifest(
        read_manifest(manifest),
        groups=["a"],
        path=manifest,
        root=project,
        corpus_root=corpus_root,
        boilerplate_profiles=[],
    )


@pytest.fixture
def project(tmp_path):
    """A project folder inside ``tmp_path`` with one document, and a file outside it."""
    root = tmp_path / "deep" / "er" / "project"
    (root / "corpus").mkdir(parents=True)
    (root / "corpus" / "doc.txt").write_text("Text.\n")
    (tmp_path / "outside-secret.txt").write_text("secret\n")
    return root


def test_a_document_inside_the_project_is_accepted(project):
    check(project, "corpus/doc.txt")


@pytest.mark.parametrize(
    "path", ["/etc/passwd", "../../../../../../../../etc/passwd", "../../../outside-secret.txt"]
)
def test_paths_outside_the_project_are_refused(project, path):
    with pytest.raises(InputError, match="CF215") as caught:
        check(project, path)
    message = str(caught.value)
    assert "corpus.tsv, line 2 (doc)" in message
    assert f"path {path!r}" in message and "ingest.corpus_root" in message


def test_a_symlink_pointing_out_of_the_project_is_refused(project):
    (project / "corpus" / "link.txt").symlink_to(project.parents[2] / "outside-secret.txt")
    with pytest.raises(InputError, match="CF215.*through a symlink"):
        check(project, "corpus/link.txt")


def test_a_symlink_to_etc_passwd_is_refused(project):
    (project / "corpus" / "passwd.txt").symlink_to("/etc/passwd")
    with pytest.raises(InputError, match="CF215.*resolves to '/etc/passwd'"):
        check(project, "corpus/passwd.txt")


def test_a_symlink_within_the_project_is_accepted(project):
    (project / "corpus" / "alias.txt").symlink_to(project / "corpus" / "doc.txt")
    check(project, "corpus/alias.txt")


def test_the_configured_corpus_root_admits_its_files_and_only_them(project):
    outside = project.parents[2]
    (outside / "shelf").mkdir()
    (outside / "shelf" / "book.txt").write_text("Book.\n")
    check(project, str(outside / "shelf" / "book.txt"), corpus_root=str(outside / "shelf"))
    check(project, "../../../shelf/book.txt", corpus_root="../../../shelf")
    with pytest.raises(InputError, match="CF215"):
        check(project, "../../../outside-secret.txt", corpus_root="../../../shelf")


def test_a_corpus_root_that_is_not_a_folder_is_refused(project):
    with pytest.raises(InputError, match="CF215: ingest.corpus_root: 'nowhere' is not a folder"):
        check(project, "corpus/doc.txt", corpus_root="nowhere")


# --- binary files and control characters --------------------------------------------------


@pytest.mark.parametrize("encoding", ["latin-1", "utf-8", "cp1252", "ascii", "utf-16"])
def test_a_png_is_refused_as_binary_whatever_its_declared_encoding(encoding):
    assert PNG.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(InputError, match="CF216") as caught:
        ingest_document(PNG, encoding=encoding, unicode_form=UNICODE_FORM)
    message = str(caught.value)
    assert f"{PNG}, byte offset 0: the file starts like a PNG image" in message
    assert "declare the file's real encoding" not in message


@pytest.mark.parametrize("encoding", ["latin-1", "utf-8"])
def test_binary_bytes_without_a_known_signature_are_refused(tmp_path, encoding):
    """The PNG's body (signature cut off) still holds control bytes: named, with the cause."""
    path = tmp_path / "doc.txt"
    data = PNG.read_bytes()[8:]
    path.write_bytes(data)
    with pytest.raises(InputError, match="CF216") as caught:
        ingest_document(path, encoding=encoding, unicode_form=UNICODE_FORM)
    message = str(caught.value)
    offset = next(i for i, byte in enumerate(data) if byte < 0x20 and byte not in (9, 10, 13))
    assert f"byte offset {offset}, control character U+{data[offset]:04X}" in message
    assert "binary file" in message and "declare the file's real encoding" not in message


def test_nul_bytes_are_named_with_line_column_and_offset(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(b"first line\nsecond\nab\x00cd\n")
    with pytest.raises(InputError, match="CF216") as caught:
        ingest_document(path, encoding="utf-8", unicode_form=UNICODE_FORM)
    message = str(caught.value)
    assert "line 3, column 3: byte offset 20, control character U+0000" in message
    assert "binary file" in message


def test_the_offset_is_right_beyond_the_first_chunk(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "CHUNK_BYTES", 16)
    path = tmp_path / "doc.txt"
    data = b"".join(f"line {n}\n".encode() for n in range(1, 40)) + b"x\x07y\n"
    path.write_bytes(data)
    with pytest.raises(InputError, match="line 40, column 2: byte offset") as caught:
        ingest_document(path, encoding="utf-8", unicode_form=UNICODE_FORM)
    offset = data.index(b"\x07")
    assert f"byte offset {offset}," in str(caught.value)


def test_an_allowed_control_character_is_kept(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(b"page one\n\x0cpage two\n")
    with pytest.raises(InputError, match="U\\+000C.*allowed_control_characters: \\[12\\]"):
        ingest_document(path, encoding="utf-8", unicode_form=UNICODE_FORM)
    assert (
        ingest_document(
            path, allowed_controls=[12], encoding="utf-8", unicode_form=UNICODE_FORM
        ).text
        == "page one\n\x0cpage two\n"
    )


def test_utf16_text_is_not_mistaken_for_binary(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes("Workers \u00e9 text\r\nline two\n".encode("utf-16"))
    assert (
        ingest_document(path, encoding="utf-16", unicode_form=UNICODE_FORM).text
        == "Workers \u00e9 text\nline two\n"
    )


def test_control_characters_in_utf16_text_are_refused(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes("text\x00more\n".encode("utf-16-le"))
    with pytest.raises(InputError, match="CF216.*near byte offset 8:.*U\\+0000"):
        ingest_document(path, encoding="utf-16-le", unicode_form=UNICODE_FORM)


def test_a_text_file_with_bad_bytes_still_gets_the_encoding_advice(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(b"caf\xe9\n")
    with pytest.raises(InputError, match="CF211.*declare the file's real encoding"):
        ingest_document(path, encoding="utf-8", unicode_form=UNICODE_FORM)


def test_a_decode_error_beyond_the_first_chunk_names_its_line(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "CHUNK_BYTES", 8)
    path = tmp_path / "doc.txt"
    data = "ab\u00e9\ncd\nefgh ijk \xe9".encode() + b"\xff\n"
    path.write_bytes(data)
    with pytest.raises(InputError, match="CF211") as caught:
        ingest_document(path, encoding="utf-8", unicode_form=UNICODE_FORM)
    offset = data.index(b"\xff")
    assert f"line 3, column 12: byte offset {offset}," in str(caught.value)


# --- streaming: chunk boundaries change nothing ---------------------------------------------


TRICKY = (
    "\ufeff\r\n\r\nMENU\r\nEND MENU\r\n\r\nCafe\u0301 \u00e9l\u00e8ve\r\n"
    "second\rthird\n\n  \n\u201cquoted\u201d \u0436\u0443\u0440\u043d\u0430\u043b\r\n\r\n"
    "[Home] footer\r\nlast\r\n\r\n"
)


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64, 1 << 20])
@pytest.mark.parametrize("boilerplate", [None, BoilerplateProfile("^END MENU$", r"^\[Home\]")])
def test_chunk_size_does_not_change_the_text(tmp_path, monkeypatch, chunk, boilerplate):
    path = tmp_path / "doc.txt"
    path.write_bytes(TRICKY.encode("utf-8"))
    expected = whole_file_ingest(TRICKY, boilerplate)
    monkeypatch.setattr(ingest, "CHUNK_BYTES", chunk)
    document = ingest_document(
        path, encoding="utf-8", boilerplate=boilerplate, unicode_form=UNICODE_FORM
    )
    assert document.text == expected
    assert document.metadata["characters"] == len(expected)
    assert document.metadata["bytes"] == len(TRICKY.encode("utf-8"))


def whole_file_ingest(text: str, boilerplate: BoilerplateProfile | None) -> str:
    """The pre-streaming implementation, in memory, as the reference."""
    import unicodedata

    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = unicodedata.normalize("NFC", text).split("\n")
    if boilerplate is not None:
        lines, _ = ingest.strip_boilerplate(lines, boilerplate, "doc.txt")
    return "\n".join(lines).strip("\n") + "\n"


def test_the_stream_holds_one_chunk_not_the_file(tmp_path, monkeypatch):
    """Reading a file of many chunks never asks the OS for more than one chunk at a time."""
    monkeypatch.setattr(ingest, "CHUNK_BYTES", 4096)
    path = tmp_path / "doc.txt"
    path.write_bytes(b"a line of text\n" * 20_000)
    sizes = []
    real_open = Path.open

    def spying_open(self, mode="r", *args, **kwargs):
        handle = real_open(self, mode, *args, **kwargs)
        if self == path:
            read = handle.read

            class Spy:
                def read(self, size=-1):
                    sizes.append(size)
                    return read(size)

                def __enter__(self):
                    return self

                def __exit__(self, *exc):
                    handle.close()

            return Spy()
        return handle

    monkeypatch.setattr(Path, "open", spying_open)
    stream = IngestStream(
        path, encoding="utf-8", unicode_form=UNICODE_FORM, boilerplate=None, allowed_controls=()
    )
    lines = stream.lines()
    assert next(lines) == "a line of text\n"
    assert sizes and set(sizes) == {4096}
    assert sum(1 for _ in lines) == 19_999
    assert os.path.getsize(path) == stream.metadata["bytes"]


# --- impossible requests known at startup ---------------------------------------------------


def sides_manifest(tmp_path):
    manifest = tmp_path / "corpus.tsv"
    manifest.write_text(
        HEADER
        + "big\tcorpus/big.txt\tT\tA\t1921\ta\tanalysis\tutf-8\n"
        + "small\tcorpus/small.txt\tT\tA\t1921\tb\tanalysis\tutf-8\n"
        + "extra\tcorpus/extra.txt\tT\tA\t1921\tc\tanalysis\tutf-8\n"
    )
    return read_manifest(manifest), manifest


@pytest.mark.parametrize(
    ("letter_runs", "target_tokens", "bound"),
    [(0, 250, 1), (100, 250, 1), (200, 250, 2), (1_000, 250, 10), (10, 1, 12)],
)
def test_the_segment_bound_allows_a_quarter_more_tokens_than_runs_of_letters(
    letter_runs, target_tokens, bound
):
    assert segment_bound(letter_runs, target_tokens) == bound


def test_a_side_too_small_for_min_range_stops_at_startup(tmp_path):
    manifest, path = sides_manifest(tmp_path)
    sizes = {"big": 50_000, "small": 200, "extra": 200}
    settings = {"target": "a", "target_tokens": 250, "path": path}
    check_groups_can_be_analysed(manifest, sizes, reference="b", min_range=2, **settings)
    with pytest.raises(InputError, match="CF217") as caught:
        check_groups_can_be_analysed(manifest, sizes, reference="b", min_range=3, **settings)
    message = str(caught.value)
    assert "keyness.reference (1 analysed document(s), 200 words) can give at most 2" in message
    assert "keyness.min_range = 3" in message
    # "rest" pools every other group: 2 + 2 segments are enough for 4, not for 5.
    check_groups_can_be_analysed(manifest, sizes, reference="rest", min_range=4, **settings)
    with pytest.raises(InputError, match="CF217.*keyness.reference"):
        check_groups_can_be_analysed(manifest, sizes, reference="rest", min_range=5, **settings)
