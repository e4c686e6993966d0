"""Parse-time checks of the ``cleaning`` config section, and which of its keys go where.

Light on purpose: the workflow imports this module when it is parsed (every dry run and
rerun), so it must not pull in the word correctors and their dictionaries (:mod:`.stage`).
"""

from __future__ import annotations

from pathlib import Path

from corpusflow.cleaning.curated import read_corrections
from corpusflow.cleaning.review import read_review_decisions
from corpusflow.errors import ConfigError


def check_cleaning_config(config: dict, manifest) -> None:
    """Cross-field checks of the ``cleaning`` section against the manifest.

    Raises ``ConfigError`` if the curated corrections table is missing, ``InputError`` if the
    table is malformed. Rows of the table for documents that are not in the manifest are
    allowed (they never fire): one table can serve several corpora. Raises ``ConfigError``
    (CF302) if a witness's manifest column ``derived_from`` names a document that does not
    list it among its witnesses (the declaration would have no effect), and (CF304) if a glyph
    of ``amount_glyphs`` holds or is held in a unit or a sign (:func:`check_amount_glyphs`).
    """
    cleaning = config.get("cleaning", {})
    check_amount_glyphs(cleaning)
    for row in manifest:
        doc_id = row["doc_id"]
        for source in row["derived_from"]:
            if source in manifest and doc_id not in manifest[source]["witnesses"]:
                raise ConfigError(
                    "CF302",
                    f"manifest line {row['line']} ({doc_id}), column derived_from: "
                    f"{source!r} does not list {doc_id!r} among its witnesses, so the "
                    f"declaration has no effect; add {doc_id} to the witnesses of {source} "
                    "or fix derived_from",
                )
    for key, read, without in (
        ("corrections_table", read_corrections, "curated corrections"),
        ("review_decisions", read_review_decisions, "review decisions"),
    ):
        table = cleaning.get(key, "")
        if not table:
            continue
        if not Path(table).is_file():
            raise ConfigError(
                "CF102",
                f'cleaning.{key}: {table!r} not found; fix the path or set it to "" to run '
                f"without {without}",
                key=f"cleaning.{key}",
            )
        read(table)  # a malformed table stops the run here (InputError)


def check_amount_glyphs(cleaning: dict) -> None:
    """Raise ``ConfigError`` (CF304) naming every glyph of ``amount_glyphs`` that holds or is
    held in a unit of ``amount_units`` or a sign of ``amount_prefixes`` ("s" for 5 beside the
    unit s): the amounts pass could not tell the number from its unit or sign. Stops are the
    schema's. The glyphs in code (l, I, i, |, O, o, S, b) are not checked: a unit such as "l"
    for pounds parses, as a number's letters are read before its unit."""
    marks = [
        (mark, key) for key in ("amount_units", "amount_prefixes") for mark in cleaning.get(key, ())
    ]
    clashes = [
        f"the glyph {glyph!r} with {mark!r} of {key}"
        for glyph in cleaning.get("amount_glyphs", {})
        for mark, key in marks
        if mark in glyph or glyph in mark
    ]
    if clashes:
        raise ConfigError(
            "CF304",
            "cleaning.amount_glyphs clashes with a unit or sign: "
            + "; ".join(clashes)
            + "; remove the glyph from amount_glyphs or the unit or sign from its list",
            key="cleaning.amount_glyphs",
        )
