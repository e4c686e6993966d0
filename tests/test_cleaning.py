"""Tests of the cleaning stage: edit log, structure, collation, lexicon, curated corrections,
and the real corpus (cleaned text == ingested text + logged edits)."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from corpusflow.cleaning import check_cleaning_config
from corpusflow.cleaning.collate import anchors, collate
from corpusflow.cleaning.curated import Curated, curated_edits, read_corrections
from corpusflow.cleaning.edits import Edit, OffsetMap, apply_edits, compose
from corpusflow.cleaning.lexicon import (
    CandidateIndex,
    Lexicon,
    inflection_variant,
    match_case,
    ocr_distance,
    spelling_key,
    tokens,
    zipf_frequency,
)
from corpusflow.cleaning.stage import (
    Decisions,
    Witnesses,
    clean_document,
    output_tables,
    read_corrections_log,
    settings_from_config,
    summarise_corrections,
    wrapped_flag,
)
from corpusflow.cleaning.structure import (
    HyphenEvidence,
    content_lines,
    ends_paragraph,
    hyphen_edits,
    missing_space_edits,
    page_furniture,
    structure_edits,
)
from corpusflow.cleaning.witness import witness_corrections
from corpusflow.cleaning.words import lexicon_corrections, text_tokens
from corpusflow.config import default_config, study_config
from corpusflow.errors import ConfigError, InputError
from corpusflow.ingest import BoilerplateProfile, ingest_document
from corpusflow.io import write_tsv
from corpusflow.manifest import Manifest, derived_witnesses, read_manifest
from tests.defaults import UNICODE_FORM

# --- edit log ---------------------------------------------------------------------------


def test_apply_edits_replaces_spans_and_rejects_overlaps():
    assert apply_edits("abcdef", [Edit(4, 5, "E"), Edit(0, 2, "")]) == "cdEf"
    with pytest.raises(ValueError, match="overlapping"):
        apply_edits("abcdef", [Edit(0, 3, "x"), Edit(2, 4, "y")])


def test_compose_carries_later_edits_back_and_merges_across_joins():
    original = "the homo-\ngeneous fiat passes"
    base = [Edit(8, 10, "", "dehyphenate")]  # "homo-\ngeneous" -> "homogeneous"
    text1 = apply_edits(original, base)
    assert text1 == "the homogeneous fiat passes"
    later = [Edit(0, 3, "The"), Edit(4, 15, "homogeneous!"), Edit(16, 20, "that")]
    composed = compose(base, text1, later)
    assert apply_edits(original, composed) == apply_edits(text1, later)
    assert Edit(4, 17, "homogeneous!") in composed  # absorbed the dehyphenation
    assert OffsetMap(base).original(16) == 18


# --- structure --------------------------------------------------------------------------

#: The word-level thresholds of the schema's neutral defaults.
CLEANING = default_config()["cleaning"]
DEFAULT_SETTINGS = settings_from_config(CLEANING)["settings"]
RATIOS = {"full_ratio": CLEANING["full_ratio"], "punct_ratio": CLEANING["punct_ratio"]}
LAYOUT = {
    key: default_config()["cleaning"][key]
    for key in ("full_ratio", "punct_ratio", "running_head_repeats")
}

WRAPPED = (
    " A Heading \n"
    "This is a long line of a hard-wrapped paragraph that runs all the way to the margin of\n"
    "the page and then continues until it stops in a short line here.\n"
    "Another paragraph starts here and runs all the way to the margin of the page, then it\n"
    "\n\n\n"
    "goes on after a page break and ends with a clearly short line.\n"
)


def test_structure_joins_wrapped_lines_across_page_breaks_and_keeps_headings():
    text = apply_edits(WRAPPED, structure_edits(WRAPPED, hard_wrapped=True, ocr=True, **LAYOUT))
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == "A Heading"
    assert paragraphs[1].endswith("short line here.")
    assert "then it goes on after a page break" in paragraphs[2]
    assert text.endswith("line.\n") and "\n\n\n" not in text


def test_structure_of_unwrapped_text_makes_each_line_a_paragraph():
    text = "One  paragraph.\nTwo.\n\n\nThree.  \n"
    assert apply_edits(text, structure_edits(text, hard_wrapped=False, ocr=True, **LAYOUT)) == (
        "One paragraph.\n\nTwo.\n\nThree.\n"
    )


def test_page_furniture_finds_page_numbers_and_running_heads():
    lines = content_lines("12\nText one.\nRUNNING HEAD\nmore\nRUNNING HEAD\ntext\nRUNNING HEAD\n")
    assert page_furniture(lines) == {0, 2, 4, 6}


def test_a_repeated_line_of_marks_is_a_section_break_not_a_running_head():
    lines = content_lines("One.\n* * *\nTwo.\n* * *\nThree.\n* * *\nFour.\n")
    assert page_furniture(lines) == set()


def test_a_section_break_is_a_paragraph_of_its_own_in_wrapped_text():
    full = "This is a long line of a hard-wrapped paragraph that runs all the way to the margin"
    text = f"{full}\n{full}.\n* * *\n{full}\n---\nand more\n"
    for ocr in (True, False):  # after a full line, before a lowercase one
        cleaned = apply_edits(text, structure_edits(text, hard_wrapped=True, ocr=ocr, **LAYOUT))
        assert cleaned.split("\n\n") == [f"{full} {full}.", "* * *", full, "---", "and more\n"]


def test_a_lone_mark_or_ocr_specks_on_a_line_are_no_section_break():
    full = "This is a long line of a hard-wrapped paragraph that runs all the way to the margin"
    for specks in ("—", '"', "-»", "* *", "_ -»"):
        text = f"{full}\n{specks}\nand the sentence runs on here.\n"
        cleaned = apply_edits(text, structure_edits(text, hard_wrapped=True, ocr=True, **LAYOUT))
        assert "\n\n" not in cleaned.strip(), specks


def test_ends_paragraph_uses_the_room_left_on_the_line():
    assert ends_paragraph("Short line.", "Next one", width=90, **RATIOS)
    assert not ends_paragraph("x" * 85, "Following", width=90, **RATIOS)
    assert not ends_paragraph("Short line", "lowercase continues", width=90, **RATIOS)
    possessive = "x" * 70 + " Workers'"  # 79 characters: only the punctuation band could end it
    assert not ends_paragraph(possessive, "Opposition is", width=97, **RATIOS)
    assert ends_paragraph("x" * 70 + " workers.'", "Opposition is", width=97, **RATIOS)


def _decider(witness="", document=""):
    def counts(text):
        return Counter(w.lower() for w in text.split())

    return HyphenEvidence(counts(witness), counts(document), zipf_frequency)


def test_dehyphenation_follows_witnesses_then_corpus_then_lexicon():
    assert _decider(witness="homogeneous").decide("homo", "geneous", inline=True)[0]
    assert not _decider(witness="class-consistent").decide("class", "consistent")[0]
    assert _decider().decide("under", "stand")[0]  # lexicon: "understand" is a word
    assert not _decider().decide("class", "consistent")[0]  # "classconsistent" is not
    assert _decider().decide("homo", "geneous", inline=True)[0]  # "geneous" is no word
    assert not _decider().decide("well", "formed", inline=True)[0]
    assert not _decider(document="co-operation").decide("co", "operation")[0]


def test_hyphen_edits_join_spaced_hyphens_and_leave_the_rest_alone():
    text = "we under- stand the self- activity of a class-conscious mass, themselves- acting"
    edits = hyphen_edits(text, _decider(witness="self-activity"))
    # a compound written whole in a witness loses the stray space; a spaced hyphen with no
    # such evidence is left as it is (a dash, "nineteenth- and")
    assert apply_edits(text, edits) == (
        "we understand the self-activity of a class-conscious mass, themselves- acting"
    )
    assert [e.rule for e in edits] == ["dehyphenate", "spaced_compound"]
    assert "witnesses: self-activityx1" in edits[1].evidence
    document = "the petty- bourgeois mind and the petty-bourgeois state"
    result = apply_edits(document, hyphen_edits(document, _decider(document=document)))
    assert result == "the petty-bourgeois mind and the petty-bourgeois state"


def test_a_space_lost_after_a_sentence_end_or_a_comma_is_put_back():
    text = "the centres.If officials?And war,and peace; e.g.The U.S.A. at 1,000 or Mr.X"
    assert apply_edits(text, missing_space_edits(text, max_share=1.0)[0]) == (
        "the centres. If officials? And war, and peace; e.g.The U.S.A. at 1,000 or Mr.X"
    )


def test_a_line_end_hyphen_in_list_like_ocr_joins_the_word_not_a_paragraph():
    text = "Meeting of 3 De-\ncember 1920\nAgenda\nItems\n"
    edits = structure_edits(text, hard_wrapped=False, ocr=True, **LAYOUT)
    assert apply_edits(text, edits) == "Meeting of 3 De-cember 1920\n\nAgenda\n\nItems\n"
    joined = structure_edits(text, hard_wrapped=False, ocr=True, decide_hyphen=_decider(), **LAYOUT)
    assert apply_edits(text, joined).startswith("Meeting of 3 December 1920\n\n")


# --- lexicon and collation --------------------------------------------------------------


def test_ocr_distance_makes_ocr_confusions_cheap():
    assert ocr_distance("fiat", "that") < ocr_distance("fiat", "flat") + 1
    assert ocr_distance("A11", "All") == 0.5
    assert ocr_distance("modern", "modem") == 0.5  # rn/m
    assert ocr_distance("cat", "dog") > 2


def test_spelling_key_merges_variants_and_transliterations_only():
    for a, b in [
        ("labour", "labor"),
        ("organise", "organize"),
        ("centres", "centers"),
        ("programme", "program"),
        ("towards", "toward"),
    ]:
        assert spelling_key(a) == spelling_key(b)
    for a, b in [("Zinovieff", "Zinoviev"), ("Trotzky", "Trotsky")]:
        assert spelling_key(a, True) == spelling_key(b, True)
    assert spelling_key("apportion") != spelling_key("opposition")
    assert inflection_variant("grounds", "ground") and not inflection_variant("tile", "file")


def test_candidate_index_and_match_case():
    index = CandidateIndex(["file", "tile", "might", "will", "modem"])
    assert {"file"} <= index.candidates("tile") and "will" in index.candidates("wlll")
    assert "modem" in index.candidates("modern")
    assert match_case("Fiat", "that") == "That" and match_case("ALL", "all") == "ALL"


def test_collate_reads_one_for_one_differences_in_anchored_regions():
    common = [
        "but",
        "it",
        "was",
        "obvious",
        "that",
        "the",
        "party",
        "was",
        "entering",
        "into",
        "a",
        "new",
        "phase",
        "of",
        "its",
        "life",
    ]
    ocr = common[:6] + ["fiat"] + common[6:]
    witness = ["preface", "words"] * 10 + common[:6] + ["that"] + common[6:]
    assert anchors(ocr, witness)
    readings, _ = collate(ocr, witness, witness, "w", DEFAULT_SETTINGS)
    assert readings[6].text == "that" and not readings[6].same
    assert readings[0].same


# --- curated ----------------------------------------------------------------------------


def _row(**fields):
    values = dict(doc_id="d", left="", before="", after="", right="", note="", line=2)
    values.update(fields)
    return Curated(**values)


def test_curated_rows_fire_once_in_context_and_report_the_rest():
    text = "the rank and tile of the tile factory"
    rows = [
        _row(left="rank and", before="tile", after="file", right="of"),
        _row(before="tile", after="x"),  # twice
        _row(left="nowhere", before="tile", after="y"),
        _row(doc_id="other", before="tile", after="z"),
        _row(left="and", before="tile", after="pile", right="of the"),  # same place again
    ]
    edits, problems = curated_edits(text, rows, "d")
    assert apply_edits(text, edits) == "the rank and file of the tile factory"
    assert [p["problem"][:16] for p in problems] == [
        "matches 2 times",
        "matches nothing",
        "overlaps an earl",
    ]


def test_read_corrections_checks_header_and_rows(tmp_path):
    path = tmp_path / "c.tsv"
    path.write_text("# comment\ndoc_id\tleft\tbefore\tafter\tright\tnote\nd\ta\tb\tc\td\tn\n")
    assert read_corrections(path)[0].after == "c"
    path.write_text("doc_id\tleft\tbefore\n")
    with pytest.raises(InputError, match="header"):
        read_corrections(path)
    path.write_text("doc_id\tleft\tbefore\tafter\tright\tnote\nd\ta\tb\tb\td\tn\n")
    with pytest.raises(InputError, match=":2"):
        read_corrections(path)


def test_check_cleaning_config_rejects_a_bad_table(tmp_path):
    manifest = Manifest(
        {"doc_id": doc_id, "witnesses": [], "derived_from": [], "line": line}
        for line, doc_id in enumerate(["a", "b"], start=2)
    )
    with pytest.raises(ConfigError, match="corrections_table"):
        check_cleaning_config({"cleaning": {"corrections_table": "nope.tsv"}}, manifest)
    table = tmp_path / "c.tsv"
    table.write_text("doc_id\tleft\tbefore\tafter\tright\tnote\nzz\t\tx\ty\t\t\n")
    check_cleaning_config({"cleaning": {"corrections_table": str(table)}}, manifest)
    table.write_text("doc_id\tbefore\n")
    with pytest.raises(InputError, match="header"):
        check_cleaning_config({"cleaning": {"corrections_table": str(table)}}, manifest)


def test_witness_corrections_take_close_readings_and_skip_variants():
    ocr = "the party was entering into a new phase of life with every day fiat passes and the "
    ocr += "labour of the centres in the face of the whole thing we had seen before"
    witness = ocr.replace("fiat", "that").replace("labour", "labor").replace("centres", "centers")
    toks = text_tokens(ocr)
    lexicon = Lexicon(Counter(t.key for t in toks), Counter())
    result, covered = witness_corrections(
        ocr, toks, {"w": tokens(witness)}, lexicon, DEFAULT_SETTINGS, Counter()
    )
    assert [(ocr[e.start : e.end], e.after) for e in result.edits] == [("fiat", "that")]
    assert len(covered) == len(toks)


def test_lexicon_corrections_fix_case_and_leave_nonwords_to_the_channel():
    text = "They said it wlll come. " + "We went in the house and sat in the hall. " * 12
    text += "They sat In the garden near the house."
    toks = text_tokens(text)
    words = Counter(t.key for t in toks)
    lexicon = Lexicon(words, Counter())
    index = CandidateIndex(["will", "well", "wall", "house", "garden", "in"])
    proper_case = Counter((t.key, t.text[:1].isupper()) for t in toks if not t.sentence_start)
    result = lexicon_corrections(text, toks, set(), lexicon, index, DEFAULT_SETTINGS, proper_case)
    changes = {(text[e.start : e.end], e.after, e.rule) for e in result.edits}
    assert changes == {("In", "in", "case")}


# --- the real corpus --------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus():
    config = study_config("config/config.yaml")
    manifest = read_manifest("config/corpus.tsv")
    texts = {}
    for row in manifest:
        profile = config["ingest"]["boilerplate_profiles"].get(row["boilerplate"])
        texts[row["doc_id"]] = ingest_document(
            row["path"],
            encoding=row["encoding"],
            boilerplate=BoilerplateProfile(**profile) if profile else None,
            unicode_form=UNICODE_FORM,
        ).text
    return config["cleaning"], manifest, texts


@pytest.fixture(scope="module")
def cleaned(corpus, tmp_path_factory):
    cleaning, manifest, texts = corpus
    folder = tmp_path_factory.mktemp("clean")
    results = {}
    for row in manifest:
        result = clean_document(
            texts[row["doc_id"]],
            doc_id=row["doc_id"],
            hard_wrapped=wrapped_flag(row["wrapped"]),
            correct_words=row["ocr"],
            witnesses=Witnesses(
                {w: texts[w] for w in row["witnesses"]}, derived_witnesses(manifest, row["doc_id"])
            ),
            decisions=Decisions(read_corrections(cleaning["corrections_table"])),
            **settings_from_config(cleaning),
        )
        paths = {n: folder / f"{row['doc_id']}.{n}.tsv" for n in ("corrections", "review")}
        corrections, review = output_tables(texts[row["doc_id"]], result, row["doc_id"])
        write_tsv(corrections, paths["corrections"])
        write_tsv(review, paths["review"])
        results[row["doc_id"]] = (result, paths)
    return results


def test_cleaned_text_equals_ingested_text_plus_logged_edits(corpus, cleaned):
    _, _, texts = corpus
    for doc_id, (result, paths) in cleaned.items():
        log = read_corrections_log(paths["corrections"])
        text = texts[doc_id]
        for row in log.itertuples():
            assert text[row.ingest_start : row.ingest_end] == row.before
            assert result.text[row.clean_start : row.clean_end] == row.after
        edits = [Edit(r.ingest_start, r.ingest_end, r.after) for r in log.itertuples()]
        assert apply_edits(text, edits) == result.text, doc_id


def test_layout_contract_one_paragraph_per_line(cleaned):
    for doc_id, (result, _) in cleaned.items():
        text = result.text
        assert text.endswith("\n") and not text.endswith("\n\n"), doc_id
        assert "\n\n\n" not in text and "  " not in text, doc_id
        assert all(line == line.strip() for line in text.split("\n")), doc_id


def test_clean_documents_only_change_structure(cleaned):
    for doc_id in ("olivier-commentary", "kollontai-web", "kollontai-iww"):
        rules = {e.rule for e in cleaned[doc_id][0].edits}
        assert rules <= {"paragraph_break", "trim", "whitespace"}, (doc_id, rules)


def test_curated_rows_each_fire_exactly_once(cleaned):
    result = cleaned["kollontai-ocr"][0]
    assert result.curated_problems == []
    assert sum(e.rule == "curated" for e in result.edits) == len(
        read_corrections("config/corrections.tsv")
    )


def test_the_text_before_the_curated_rows_is_the_one_they_match(cleaned):
    """result.automatic (written as results/clean/{doc_id}.automatic.txt): the curated rows,
    matched on it, make the logged curated edits and give the cleaned text."""
    rows = read_corrections("config/corrections.tsv")
    for doc_id, (result, _) in cleaned.items():
        applied, _ = curated_edits(result.automatic, rows, doc_id)
        assert apply_edits(result.automatic, applied) == result.text, doc_id
        assert len(applied) == sum(e.rule == "curated" for e in result.edits), doc_id
    ocr = cleaned["kollontai-ocr"][0]
    assert ocr.automatic != ocr.text


def test_ocr_text_gets_the_known_corrections(cleaned):
    text = cleaned["kollontai-ocr"][0].text
    assert "the opposition did not assert itself" in text.lower()
    assert "with every day that passes" in text
    assert "homogeneous" in text and "homo-geneous" not in text
    assert "class-consistent principles" in text and "understand" in text
    assert "Zinoviev" in text and "Zinovieff" in text  # transliterations untouched
    review = pd.read_csv(cleaned["kollontai-ocr"][1]["review"], sep="\t", keep_default_na=False)
    assert len(review) > 0 and review["likelihood"].is_monotonic_decreasing


def test_ocr_paragraphs_agree_with_the_web_edition(cleaned, corpus):
    _, _, texts = corpus
    web = [p.strip() for p in texts["kollontai-web"].split("\n") if len(p.split()) > 3]
    ocr = cleaned["kollontai-ocr"][0].text
    starts = {" ".join(p.split()[:4]) for p in ocr.split("\n\n")}
    found = [
        p for p in web if " ".join(p.split()[:4]).replace("’", "'").replace("“", '"') in starts
    ]
    assert len(found) >= 0.8 * len(web)


def test_summary_counts_changes_per_document_and_rule(cleaned):
    summary = summarise_corrections(
        [paths["corrections"] for _, paths in cleaned.values()],
        [paths["review"] for _, paths in cleaned.values()],
    )
    assert list(summary.columns) == ["doc_id", "rule", "changes", "ocr_noise", "looked_clean"]
    ocr = summary[summary["doc_id"] == "kollontai-ocr"].set_index("rule")
    assert ocr.loc["line_join", "changes"] > 1000 and ocr.loc["witness", "changes"] > 10
    # the OCR document's noise estimate is recorded; it has witnesses, so it was corrected
    assert 0 < ocr["ocr_noise"].iloc[0] < 0.05 and not ocr["looked_clean"].iloc[0]
    assert summary[summary["doc_id"] == "kollontai-web"]["ocr_noise"].isna().all()
