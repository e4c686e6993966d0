"""The keyness stage on the real corpus (Kollontai's pamphlet against Olivier's commentary)."""

import dataclasses
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from corpusflow import io
from corpusflow import keyness as k
from corpusflow.config import study_config
from corpusflow.errors import ConfigError
from corpusflow.keyness.counting import (
    Counter,
    Inputs,
    Sides,
    joined_models,
    merged_counts,
    split_models,
    term_rules,
)
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.keyness.stage import run as run_stage
from corpusflow.manifest import Manifest
from corpusflow.segment import tokens_with_segments
from corpusflow.settings import from_mapping
from corpusflow.terms import (
    counting_columns,
    phrase_model_record,
    term_occurrences,
    token_pieces,
)
from tests import keyness_corpus

ROOT = Path(__file__).resolve().parents[1]
#: This study's keyness settings: the schema's defaults under config/config.yaml.
STUDY = study_config(ROOT / "config" / "config.yaml")["keyness"]
SETTINGS = dict(STUDY)
STUDY_SETTINGS = from_mapping(KeynessSettings, SETTINGS)
#: The study's default counting choice (its spelling folded, two-word units learned).
RULES = term_rules(STUDY_SETTINGS, fold=STUDY_SETTINGS.spelling_variants.fold, learn=True)


def _stage(pieces, texts, target_docs, reference_docs, processes=1, **overrides):
    """The stage (keyness.stage.run) on ``pieces`` with this study's settings and overrides."""
    sides = Sides(texts, list(target_docs), list(reference_docs), processes=processes)
    inputs = Inputs(pieces, sides)
    return run_stage(inputs, dataclasses.replace(STUDY_SETTINGS, **overrides))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keyness-corpus")
    return keyness_corpus.build(folder)


def _run(
    corpus,
    folder,
    target_docs=("kollontai-ocr",),
    reference_docs=("olivier-commentary",),
    **settings,
):
    folder.mkdir(parents=True, exist_ok=True)
    outputs = {
        "table_path": folder / "keyness.csv",
        "top_path": folder / "keyness_top.csv",
        "sensitivity_path": folder / "keyness_sensitivity.csv",
        "kwic_path": folder / "kwic.csv",
        "record_path": folder / "keyness.json",
    }
    inputs = k.inputs_from_tables(
        io.read_parquets(corpus["tokens"]),
        io.read_parquets(corpus["segments"]),
        io.read_texts(corpus["texts"]),
        target_docs=list(target_docs),
        reference_docs=list(reference_docs),
    )
    result = run_stage(inputs, dataclasses.replace(STUDY_SETTINGS, **settings))
    for name in ("table", "top", "sensitivity", "kwic"):
        io.write_csv(result[name], outputs[f"{name}_path"])
    io.write_json(result["record"], outputs["record_path"])
    return result["record"], outputs


@pytest.fixture(scope="module")
def run(corpus, tmp_path_factory):
    record, outputs = _run(corpus, tmp_path_factory.mktemp("keyness-run"))
    table = k.read_keyness_table(outputs["table_path"])
    top = k.read_keyness_table(outputs["top_path"])
    kwic = pd.read_csv(outputs["kwic_path"], keep_default_na=False)
    return record, outputs, table, top, kwic


def test_commentary_only_vocabulary_ranks_on_the_reference_side(run):
    _, _, table, top, _ = run
    kronstadt = table.set_index("term").loc["kronstadt"]
    assert kronstadt["count_target"] == 0 and kronstadt["count_reference"] > 5
    assert kronstadt["side"] == "reference" and kronstadt["g2"] < 0 and kronstadt["z"] < 0
    assert kronstadt["q"] < 0.05 and kronstadt["q_segment"] < 0.05
    # Key under the default analysis, but not under enough of the alternatives for the top list.
    assert kronstadt["robustness"] < SETTINGS["min_robustness"] * kronstadt["alternatives"]
    assert "kronstadt" not in set(top["term"])


def test_pamphlet_vocabulary_and_listed_units_rank_on_the_target_side(run):
    _, _, table, top, _ = run
    terms = table.set_index("term")
    assert terms.loc["trade unions", "side"] == "target"
    assert terms.loc["trade unions", "count_reference"] == 0
    assert "workers' opposition" in terms.index  # the listed unit is counted as one term
    target_top = set(top.loc[top["side"] == "target", "term"])
    assert "trade unions" in target_top


def test_table_is_complete_on_both_sides(run):
    record, _, table, top, _ = run
    assert list(table.columns) == k.TABLE_COLUMNS
    assert (table["count_target"] + table["count_reference"] >= SETTINGS["min_count"]).all()
    assert set(table["total_target"]) == {record["total_target"]}
    per_side = top["side"].value_counts()
    # Segment-level q is stricter than token-level q: both sides keep keywords, at most top_n.
    assert 0 < per_side["target"] <= SETTINGS["top_n"]
    assert 0 < per_side["reference"] <= SETTINGS["top_n"]
    assert (top["q_segment"] <= 0.05).all() and (top["log_ratio"].abs() >= 1).all()
    assert (top["robustness"] >= SETTINGS["min_robustness"] * top["alternatives"]).all()
    assert not top["concentrated"].any()
    own_range = top["range_target"].where(top["side"] == "target", top["range_reference"])
    assert (own_range >= 3).all()
    # Dispersion is defined exactly where the side uses the term.
    assert table["dp_target"].isna().eq(table["count_target"] == 0).all()
    assert table["dp_reference"].between(0, 1).where(table["count_reference"] > 0, True).all()


def test_kwic_lines_point_into_the_cleaned_text(run, corpus):
    _, _, _, top, kwic = run
    texts = {path.stem: path.read_text(encoding="utf-8") for path in corpus["texts"]}
    assert set(kwic["term"]) == set(top["term"])
    for row in kwic.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.keyword
        words = " ".join(re.findall(r"[^\W\d_]+", row.keyword.lower()))
        assert words == " ".join(re.findall(r"[^\W\d_]+", row.term))
        assert row.segment_id.startswith(f"{row.doc_id}:")
    power = kwic[kwic["term"] == "power"]
    assert set(power["doc_id"]) == {"kollontai-ocr", "olivier-commentary"}
    assert (power["doc_id"] == "olivier-commentary").sum() > (
        power["doc_id"] != "olivier-commentary"
    ).sum()


def test_reruns_give_identical_bytes(run, corpus, tmp_path):
    _, first, *_ = run
    _, second = _run(corpus, tmp_path)
    for name, path in first.items():
        assert path.read_bytes() == second[name].read_bytes(), name


def test_rest_is_every_other_group(run, corpus, tmp_path):
    _, first, *_ = run
    manifest = Manifest(
        {"doc_id": doc_id, "group": group, "role": role}
        for doc_id, group, role in [
            ("kollontai-ocr", "kollontai", "analysis"),
            ("olivier-commentary", "commentary", "analysis"),
            ("kollontai-web", "kollontai", "witness"),
        ]
    )
    target_docs, reference_docs = k.side_documents(manifest, "kollontai", "rest")
    _, rest = _run(corpus, tmp_path, target_docs, reference_docs)
    assert rest["table_path"].read_bytes() == first["table_path"].read_bytes()
    record = json.loads(rest["record_path"].read_text())
    assert record["reference_docs"] == ["olivier-commentary"]


def test_lemma_unit_and_yates(corpus, tmp_path):
    record, outputs = _run(corpus, tmp_path, unit="lemma", yates=True, learn_phrases=False)
    table = k.read_keyness_table(outputs["table_path"]).set_index("term")
    assert "mass" in table.index and "masses" not in table.index
    plain = k.log_likelihood(
        table["count_target"],
        table["count_reference"],
        record["total_target"],
        record["total_reference"],
        yates=False,
    )
    assert (table["g2"].abs() <= abs(plain) + 1e-9).all()  # the correction only shrinks G2


def test_a_side_without_tokens_is_a_config_error(corpus, tmp_path):
    with pytest.raises(
        ConfigError, match="reference side \\(kollontai-web\\) has no counted tokens"
    ):
        _run(corpus, tmp_path, reference_docs=["kollontai-web"])


def test_reading_one_document_at_a_time_in_small_batches_gives_the_same_bytes(
    run, corpus, tmp_path
):
    """The stage reads each token table in batches (io.read_documents) and counts piece by
    piece: with batches far smaller than a document (phrases learned with add_vocab over
    ~50 pieces, listed units and segments cut across batches) every output is byte-identical
    to the run on the stacked tables."""
    _, first, *_ = run
    columns = counting_columns(RULES)
    calls = []

    def pieces():
        calls.append(1)
        documents = io.read_documents(corpus["tokens"], corpus["segments"], columns, rows=1000)
        return token_pieces(documents)

    assert sum(1 for _ in pieces()) > 30
    result = _stage(
        pieces, io.read_texts(corpus["texts"]), ["kollontai-ocr"], ["olivier-commentary"]
    )
    assert len(calls) > 3  # one pass per phrase model, per counting choice, and the concordance
    for name in ("table", "top", "sensitivity", "kwic"):
        io.write_csv(result[name], tmp_path / f"{name}.csv")
        assert (tmp_path / f"{name}.csv").read_bytes() == first[f"{name}_path"].read_bytes(), name
    io.write_json(result["record"], tmp_path / "record.json")
    assert (tmp_path / "record.json").read_bytes() == first["record_path"].read_bytes()
    # The units learned piece by piece are those learned on the whole stacked table at once.
    whole = term_occurrences(
        tokens_with_segments(
            io.read_parquets(corpus["tokens"]), io.read_parquets(corpus["segments"])
        ),
        RULES,
    )
    counts = whole["term"].value_counts()
    learned = {term for term, n in counts.items() if " " in term and n >= SETTINGS["min_count"]}
    assert len(learned) > 10
    assert learned == {term for term in result["table"]["term"] if " " in term}


def test_the_sensitivity_reruns_in_a_forked_worker_give_the_same_bytes(run, corpus, tmp_path):
    """With 2 processes a forked worker measures the two other choices of the sensitivity
    table while the stage makes the default run: the same bytes as one process. Either way the
    token tables are read 3 times (phrases of both spellings: 2 passes; every choice counted
    and the occurrences kept: 1), the concordance reads the kept occurrences."""
    _, first, *_ = run
    columns = counting_columns(RULES)
    for processes, passes in ((2, 3), (1, 3)):
        calls = []

        def pieces(calls=calls):
            calls.append(1)
            documents = io.read_documents(corpus["tokens"], corpus["segments"], columns)
            return token_pieces(documents)

        texts = io.read_texts(corpus["texts"])
        result = _stage(pieces, texts, ["kollontai-ocr"], ["olivier-commentary"], processes)
        assert len(calls) == passes, processes
        for name in ("table", "top", "sensitivity", "kwic"):
            io.write_csv(result[name], tmp_path / f"{name}.csv")
            assert (tmp_path / f"{name}.csv").read_bytes() == first[f"{name}_path"].read_bytes()
        io.write_json(result["record"], tmp_path / "record.json")
        assert (tmp_path / "record.json").read_bytes() == first["record_path"].read_bytes()


def test_the_learned_phrase_model_written_as_json_counts_the_same_terms(corpus, tmp_path):
    """The stage's learned two-word units, written through io.write_json and read back
    (terms.phrase_model_from_record), merge the same units as the model learned on the
    analysed documents: a later stage can count with them instead of learning them again."""
    from corpusflow.terms import learn_phrase_models, phrase_model_from_record

    columns = counting_columns(RULES)
    analysed = ["kollontai-ocr", "olivier-commentary"]
    paths = [
        (tokens, segments)
        for tokens, segments in zip(corpus["tokens"], corpus["segments"], strict=True)
        if io.doc_id_of(tokens) in analysed
    ]

    def pieces():
        tokens, segments = zip(*paths, strict=True)
        return token_pieces(io.read_documents(tokens, segments, columns, rows=4000))

    default, _ = split_models(Counter(pieces, analysed, STUDY_SETTINGS).learned(), STUDY_SETTINGS)
    io.write_json(phrase_model_record(default), tmp_path / "phrases.json")
    model = phrase_model_from_record(io.read_json(tmp_path / "phrases.json"))
    rules = term_rules(STUDY_SETTINGS, fold=True, learn=True)
    (learned,) = learn_phrase_models(pieces, [rules])
    assert len(model.phrasegrams) > 10
    assert model.phrasegrams == learned.phrasegrams
    for piece in pieces():
        with_record, with_learned = (term_occurrences(piece, rules, m) for m in (model, learned))
        pd.testing.assert_frame_equal(with_record, with_learned)
    assert (tmp_path / "phrases.json").read_text().count(" ") > 10
    unlearned = dataclasses.replace(STUDY_SETTINGS, learn_phrases=False)
    default, other = split_models(Counter(pieces, analysed, unlearned).learned(), unlearned)
    assert default is None and other.phrasegrams == learned.phrasegrams


def test_counts_of_shards_merged_are_those_of_the_corpus_counted_at_once(corpus, tmp_path):
    """The map-reduce: each document counted in its own shard job (with the phrase models
    learned once, written and read back), the shards' count tables merged, equal counting
    every document in one pass; the occurrences of the shards together are the corpus's."""
    from corpusflow.terms import phrase_model_from_record

    columns = counting_columns(RULES)
    analysed = ["kollontai-ocr", "olivier-commentary"]
    paths = dict(zip(map(io.doc_id_of, corpus["tokens"]), corpus["tokens"], strict=True))
    segments = dict(zip(map(io.doc_id_of, corpus["segments"]), corpus["segments"], strict=True))

    def pieces_of(docs):
        return lambda: token_pieces(
            io.read_documents([paths[d] for d in docs], [segments[d] for d in docs], columns)
        )

    whole = Counter(pieces_of(analysed), analysed, STUDY_SETTINGS)
    models = whole.learned()
    counts, occurrences = whole.count(models)
    records = [phrase_model_record(model) for model in split_models(models, STUDY_SETTINGS)]
    read_back = joined_models(*map(phrase_model_from_record, records), STUDY_SETTINGS)
    shards, found = [], []
    for doc_id in analysed:
        part, kept = Counter(pieces_of([doc_id]), analysed, STUDY_SETTINGS).count(read_back)
        shards.append(tmp_path / f"{doc_id}.parquet")
        io.write_parquet(part, shards[-1])
        found.append(kept)
    merged = merged_counts(shards)
    assert list(merged) == ["default", "other_phrases", "other_spelling"]
    for name, part in counts.groupby("choice"):
        expected = part.drop(columns="choice").reset_index(drop=True)
        pd.testing.assert_frame_equal(merged[name], expected, check_dtype=False)
        assert len(expected) > 1000
    assert not merged["default"].equals(merged["other_phrases"])
    pd.testing.assert_frame_equal(pd.concat(found, ignore_index=True), occurrences)


def test_phrase_models_learned_together_are_those_learned_one_by_one(corpus):
    """terms.learn_phrase_models learns each spelling choice's units in the same two passes:
    the same units, connector words and scores as learning each choice on its own."""
    from corpusflow.terms import learn_phrase_models

    columns = counting_columns(RULES)

    def pieces():
        return token_pieces(io.read_documents(corpus["tokens"], corpus["segments"], columns))

    rule_sets = [term_rules(STUDY_SETTINGS, fold=fold, learn=True) for fold in (True, False)]
    together = learn_phrase_models(pieces, rule_sets)
    alone = [learn_phrase_models(pieces, [rules])[0] for rules in rule_sets]
    assert alone[0].phrasegrams != alone[1].phrasegrams  # the spelling choice matters here
    for joint, single in zip(together, alone, strict=True):
        assert joint.phrasegrams == single.phrasegrams
        assert joint.connector_words == single.connector_words


def test_one_text_per_side_is_a_descriptive_design_in_every_output(run):
    """One document per side: the record counts the units (documents, the segments nested in
    them), every table carries design = descriptive, and no output claims significance."""
    record, outputs, table, top, _ = run
    design = record["design"]
    assert design["design"] == "descriptive"
    assert design["document_min"] == SETTINGS["document_min"]
    for side in ("target", "reference"):
        units = design["units"][side]
        assert units["documents"] == 1 and units["test_unit"] == "segment"
        assert units["segments"] >= 20
    sensitivity = pd.read_csv(outputs["sensitivity_path"], keep_default_na=False)
    for frame in (table, top, sensitivity):
        assert set(frame["design"]) == {"descriptive"}
    for path in outputs.values():
        assert "significan" not in Path(path).read_text(encoding="utf-8").lower(), path
