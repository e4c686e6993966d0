import shutil

import pytest

from corpusflow.config import ValidationMemo, load_schema
from corpusflow.errors import InputError
from corpusflow.manifest import (
    analysis_ids,
    check_manifest,
    check_manifest_schema,
    read_manifest,
)
from tests.conftest import REPO

HEADER = "doc_id\tpath\ttitle\tauthor\tyear\tgroup\trole\tencoding\tocr\twitnesses\n"
GROUPS = ["a", "b"]


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "corpus").mkdir()
    for name in ("one", "two"):
        (tmp_path / "corpus" / f"{name}.txt").write_text(f"Text of {name}.\n")
    return tmp_path


def write(tmp_path, rows, header=HEADER):
    path = tmp_path / "corpus.tsv"
    path.write_text(header + "".join(rows))
    return path


def row(doc_id="one", group="a", role="analysis", witnesses="", ocr="false", path=None):
    path = path or f"corpus/{doc_id}.txt"
    return f"{doc_id}\t{path}\tT\tA\t1921\t{group}\t{role}\tutf-8\t{ocr}\t{witnesses}\n"


def check(corpus, rows):
    path = write(corpus, rows)
    manifest = read_manifest(path)
    check_manifest(
        manifest, groups=GROUPS, path=path, root=corpus, boilerplate_profiles=[], corpus_root=""
    )
    return manifest


def test_the_shipped_manifest_is_valid():
    manifest = read_manifest(REPO / "config" / "corpus.tsv")
    schema = load_schema(REPO / "workflow" / "schemas" / "manifest.schema.yaml")
    check_manifest_schema(manifest, schema, path="config/corpus.tsv")
    check_manifest(
        manifest,
        groups=["kollontai", "commentary"],
        path="corpus.tsv",
        root=REPO,
        boilerplate_profiles=["anarchy-archives"],
        corpus_root="",
    )
    assert analysis_ids(manifest) == ["kollontai-ocr", "olivier-commentary"]
    assert manifest["kollontai-ocr"]["witnesses"] == [
        "kollontai-web",
        "kollontai-iww",
        "kollontai-bureaucracy",
    ]
    assert manifest["kollontai-ocr"]["ocr"] is True


def test_a_valid_manifest_reads_with_line_numbers(corpus):
    manifest = check(corpus, [row("one", witnesses="two"), row("two", group="b", role="witness")])
    assert [row["line"] for row in manifest] == [2, 3]
    assert manifest["one"]["witnesses"] == ["two"]


def test_missing_manifest_names_the_path(tmp_path):
    with pytest.raises(InputError, match="manifest not found"):
        read_manifest(tmp_path / "nope.tsv")


def test_missing_column_is_named(tmp_path):
    path = write(tmp_path, [], header="doc_id\tpath\n")
    with pytest.raises(InputError, match=r"line 1: missing column\(s\) title"):
        read_manifest(path)


def test_wrong_number_of_fields_names_the_line(corpus):
    path = write(corpus, [row(), "two\tcorpus/two.txt\n"])
    with pytest.raises(InputError, match="line 3: 2 fields"):
        read_manifest(path)


def test_duplicate_doc_id_names_both_lines(corpus):
    path = write(corpus, [row(), row()])
    with pytest.raises(InputError, match=r"lines 2, 3: doc_id 'one' is used twice"):
        read_manifest(path)


def test_missing_file_names_the_line_and_path(corpus):
    with pytest.raises(InputError, match=r"line 2 \(one\): file 'corpus/missing.txt' not found"):
        check(corpus, [row(path="corpus/missing.txt")])


def test_unknown_group_is_an_error(corpus):
    with pytest.raises(InputError, match=r"line 2 \(one\): unknown group 'c'"):
        check(corpus, [row(group="c")])


def test_unknown_role_is_an_error(corpus):
    with pytest.raises(InputError, match=r"unknown role 'analyzed'"):
        check(corpus, [row(role="analyzed")])


def test_unknown_witness_is_an_error(corpus):
    with pytest.raises(InputError, match=r"witness 'three' is not a doc_id"):
        check(corpus, [row(witnesses="three")])


def test_bad_boolean_is_an_error(corpus):
    path = write(corpus, [row(ocr="maybe")])
    with pytest.raises(InputError, match="line 2: ocr must be true or false"):
        read_manifest(path)


def test_a_manifest_without_analysis_documents_is_an_error(corpus):
    with pytest.raises(InputError, match="no document has role 'analysis'"):
        check(corpus, [row(role="witness")])


def test_unknown_boilerplate_profile_is_an_error(corpus):
    header = HEADER.rstrip("\n") + "\tboilerplate\n"
    path = write(corpus, [row().rstrip("\n") + "\tsite\n"], header=header)
    with pytest.raises(InputError, match="boilerplate profile 'site' is not defined"):
        check_manifest(
            read_manifest(path),
            groups=GROUPS,
            path=path,
            root=corpus,
            boilerplate_profiles=[],
            corpus_root="",
        )


def test_schema_rejects_a_bad_year(corpus):
    path = write(corpus, [row().replace("1921", "ca. 1921")])
    schema = load_schema(REPO / "workflow" / "schemas" / "manifest.schema.yaml")
    with pytest.raises(InputError, match="line 2 \\(one\\), column year"):
        check_manifest_schema(read_manifest(path), schema, path=path)


def test_remembered_rows_are_not_checked_again_but_a_changed_row_is(corpus, tmp_path):
    schema = load_schema(REPO / "workflow" / "schemas" / "manifest.schema.yaml")
    memo = ValidationMemo(tmp_path / "checks")
    good = write(corpus, [row()])
    check_manifest_schema(read_manifest(good), schema, path=good, memo=memo)
    assert memo.passed(list(read_manifest(good)), schema)
    bad = write(corpus, [row().replace("1921", "ca. 1921")])
    for _ in range(2):  # a bad manifest is never remembered
        with pytest.raises(InputError, match="column year"):
            check_manifest_schema(read_manifest(bad), schema, path=bad, memo=memo)


def test_unused_fixture_files_are_not_required(corpus):
    shutil.rmtree(corpus / "corpus")
    path = write(corpus, [row()])
    assert len(read_manifest(path)) == 1  # reading does not touch the files; checking does
