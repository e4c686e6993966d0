"""Tables, figures and fingerprints are byte-stable: the basis of reproducible outputs."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from corpusflow.io import read_parquet, write_csv, write_parquet
from corpusflow.plotting import apply_style, save_figure
from corpusflow.provenance import code_fingerprint, module_files, sha256_file


def test_csv_floats_are_formatted_stably(tmp_path):
    frame = pd.DataFrame({"term": ["a", "b"], "value": [1 / 3, 1e-12]})
    write_csv(frame, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text() == "term,value\na,0.3333333333\nb,1e-12\n"


def test_parquet_round_trips_and_is_byte_stable(tmp_path):
    frame = pd.DataFrame({"doc_id": ["d", "d"], "start": [0, 5]})
    write_parquet(frame, tmp_path / "a.parquet")
    write_parquet(frame, tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    assert read_parquet(tmp_path / "a.parquet").equals(frame)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_figures_are_byte_identical_across_saves(tmp_path, fmt):
    apply_style()
    paths = []
    for name in ("a", "b"):
        fig, ax = plt.subplots()
        ax.plot([1, 2, 3], [2, 1, 3], label="line")
        ax.set_title("Title")
        ax.legend()
        path = tmp_path / f"{name}.{fmt}"
        save_figure(fig, [path])
        paths.append(path)
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_unknown_figure_format_is_an_error(tmp_path):
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="unsupported figure format 'bmp'"):
        save_figure(fig, [tmp_path / "x.bmp"])


def test_code_fingerprint_follows_the_source(tmp_path):
    assert module_files("ingest")[0].name == "ingest.py"
    assert code_fingerprint("ingest") == code_fingerprint("ingest")
    assert code_fingerprint("ingest") != code_fingerprint("segment")
    assert len(code_fingerprint("ingest", "io")) == 16


def test_sha256_file(tmp_path):
    (tmp_path / "f").write_bytes(b"abc")
    assert sha256_file(tmp_path / "f").startswith("ba7816bf")
