"""Errors that stop a run before work is done, each with a stable code.

Every error the workflow raises for bad input carries a code from :data:`CODES` (spaCy style:
a user can search it in ``docs/errors.md``, which ``python -m corpusflow.errors`` writes from
this table). The message itself names the file, line or key and the fix; the table says what
the code means in general. Codes are never reused: retire one by leaving its row in place.

Ranges: CF1xx config, CF2xx manifest and raw files, CF3xx cleaning, CF4xx tokenise and
segments, CF5xx keyness, CF6xx topics, CF7xx report and explorer.
"""

from __future__ import annotations

import contextlib

#: code -> (what went wrong, how to fix it in general)
CODES: dict[str, tuple[str, str]] = {
    # --- config (CF1xx) ---------------------------------------------------------------------
    "CF101": (
        "A config value breaks the schema: unknown key, wrong type or value out of range.",
        "Fix the named key in the config file named in the message; config/README.md lists "
        "every key with its type and default.",
    ),
    "CF102": (
        "A config value names a file that does not exist.",
        'Fix the path (relative to the folder you run Snakemake from) or set the key to "".',
    ),
    # --- manifest and raw files (CF2xx) -----------------------------------------------------
    "CF201": (
        "The manifest file is missing or empty, or lists no documents.",
        "Set `manifest` in the config to a TSV file with a header line and one row per document.",
    ),
    "CF202": (
        "The manifest's header lacks a required column or names an unknown one.",
        "Use the columns listed in config/README.md#manifest.",
    ),
    "CF203": (
        "A manifest row has the wrong number of fields.",
        "Separate fields with single tabs; every row needs as many fields as the header.",
    ),
    "CF204": (
        "A doc_id is used twice or holds characters other than letters, digits, '-' and '_'.",
        "Give every document a unique doc_id of letters, digits, '-' and '_'.",
    ),
    "CF205": (
        "A manifest value is not allowed: unknown role, a bad ocr flag, or a value that breaks "
        "the manifest schema.",
        "Use a value listed in config/README.md#manifest for that column.",
    ),
    "CF206": (
        "A manifest row names a group that the config does not declare.",
        "Fix the typo, or declare the group under `groups` in the config.",
    ),
    "CF207": (
        "A witness is not a doc_id of the manifest, or a document is its own witness.",
        "List other documents' doc_ids in the witnesses column, separated by ';'.",
    ),
    "CF208": (
        "A manifest row names a boilerplate profile the config does not define, or a profile's "
        "pattern matches no line of the document.",
        "Define the profile under ingest.boilerplate_profiles, or fix its patterns.",
    ),
    "CF209": (
        "A corpus file named in the manifest does not exist or cannot be read.",
        "Fix the path column of the manifest, or add the file.",
    ),
    "CF210": (
        "No document of the manifest has role 'analysis'.",
        "Give at least one document role 'analysis'.",
    ),
    "CF211": (
        "A corpus file is not valid in its declared encoding, or the encoding is unknown.",
        "Declare the file's real encoding in the manifest (e.g. utf-8, cp1252), or convert a copy.",
    ),
    "CF212": (
        "A corpus document is empty or whitespace only.",
        "Remove its manifest row or fix the file.",
    ),
    "CF213": (
        "A manifest row's wrapped column is not auto, true or false.",
        "Write auto (detect hard-wrapped lines from the text), true or false.",
    ),
    "CF214": (
        "A manifest row's derived_from column names an unknown document or the row itself.",
        "List the doc_ids of the documents this edition was made from, ';'-separated, or leave "
        "it empty.",
    ),
    "CF215": (
        "A manifest path resolves (symlinks followed) outside the project folder and the "
        "configured corpus root, or ingest.corpus_root is not a folder.",
        "Copy the file into the project (e.g. corpus/), or set ingest.corpus_root to the "
        "folder that holds the corpus.",
    ),
    "CF216": (
        "A corpus file holds NUL or other control characters (besides tab, newline, carriage "
        "return and those allowed in ingest.allowed_control_characters): it is most likely a "
        "binary file (image, PDF, word-processor file) or the wrong file.",
        "Point the manifest at the plain-text file (extract the text first), or allow the "
        "character in ingest.allowed_control_characters if it really belongs to the text.",
    ),
    "CF217": (
        "A group of the analysis is too small for what the config asks: from the raw files' "
        "sizes alone, a keyness side cannot reach keyness.min_range segments.",
        "Lower keyness.min_range or segments.target_tokens, or add documents to the group.",
    ),
    # --- cleaning (CF3xx) -------------------------------------------------------------------
    "CF301": (
        "The curated corrections table is missing or malformed.",
        "Fix the row named in the message; config/README.md#curated-corrections gives the format.",
    ),
    "CF302": (
        "A derived-witness declaration does not fit the manifest: a row's derived_from names a "
        "document that does not list that row among its witnesses, so it would have no effect. "
        "(Derived witnesses were the config list cleaning.derived_witnesses; they are now the "
        "manifest column derived_from.)",
        "Add the witness to the document's witnesses column, or fix derived_from.",
    ),
    "CF303": (
        "The review decisions table is missing or malformed (header, field count, a decision "
        "other than accept/reject, an accepted row without a different after).",
        "Fix the row named in the message; config/README.md#review-decisions gives the format.",
    ),
    "CF304": (
        "A glyph of cleaning.amount_glyphs holds or is held in a unit of amount_units or a sign "
        "of amount_prefixes, so an amount's number and its unit or sign cannot be told apart.",
        'Remove the glyph, or the unit or sign: "s" is the shilling, not a glyph for 5.',
    ),
    # --- tokenise and segments (CF4xx) ------------------------------------------------------
    "CF401": (
        "The spaCy pipeline named in tokenise.pipeline is not installed.",
        "Install the pipeline's wheel into the environment, or use the embedded default.",
    ),
    "CF402": (
        "The embedded spaCy pipeline (package data under corpusflow/data/pipelines/) is missing "
        "from the installed package.",
        "Reinstall corpusflow from a complete checkout, or set tokenise.pipeline: lookup.",
    ),
    # --- keyness (CF5xx) --------------------------------------------------------------------
    "CF501": (
        "The keyness sides cannot be compared: a side names an unknown group, a group without "
        "analysed documents, the same group twice, or leaves one side empty.",
        "Name two different groups with analysed documents in keyness.target and "
        "keyness.reference (or reference: rest).",
    ),
    "CF502": (
        "A listed keyness phrase is not a multiword unit.",
        "List at least two words per phrase under keyness.phrases.",
    ),
    "CF503": (
        "A keyness side has no counted tokens.",
        "Check the group's documents, the stopword setting and the part-of-speech filter.",
    ),
    "CF504": (
        "keyness.pos names parts of speech, but the token table has no pos column.",
        "Tokenise with a spaCy pipeline that tags parts of speech (tokenise.pipeline), or set "
        "keyness.pos: [].",
    ),
    "CF505": (
        "keyness.spelling_variants.extra is malformed: a form or key is not one lowercase word, "
        "or a key is itself folded into another key.",
        "List single lowercase words, each form mapped straight to its final key.",
    ),
    "CF506": (
        "A calibration table given to the calibration rule does not have the calibration "
        "columns (stage, procedure, null, replicates, nominal_level, false_positive_rate, "
        "mc_error, holds).",
        "Write the extra calibration table with exactly these columns, as "
        "calibration_keyness.csv has them.",
    ),
    # --- topics (CF6xx) ---------------------------------------------------------------------
    "CF601": (
        "The topic-model settings cannot work: an empty K range, a pinned K outside it, "
        "fewer than two or repeated seeds, or an unknown counting unit.",
        "Fix the named key of the topics section (see config/README.md#topics).",
    ),
    "CF602": (
        "K is larger than the analysed segments allow: at startup from the segments estimated "
        "from the analysed files' words (a tenth more allowed), or exactly once they exist.",
        "Lower topics.k_max (or topics.k), or make segments shorter (segments.target_tokens).",
    ),
    "CF603": (
        "The final topic model does not match its sweep runs.",
        "Rerun the sweep: the runs were made with other documents or parameters.",
    ),
    "CF604": (
        "The topic labels file is malformed.",
        "Give it the columns 'terms' and 'label', both non-empty on every row.",
    ),
    "CF605": (
        "topics.pos keeps tokens by part of speech, but the token tables have no 'pos' column.",
        "Set topics.pos to [] (keep every part of speech), or tokenise with POS tags.",
    ),
    "CF606": (
        "No perturbation replicate of the topic sweep could be fitted: their training segments "
        "keep fewer terms than topics.",
        "Lower topics.k_max, lower topics.no_below, or raise topics.perturbation.fraction.",
    ),
    # --- report and explorer (CF7xx) --------------------------------------------------------
    "CF701": (
        "The explorer cannot read the keyness table or its record: no term column, or a "
        "counting unit other than lower or lemma.",
        "Rerun the keyness stage (delete results/tables/keyness.csv and run the workflow).",
    ),
    "CF702": (
        "A document of the keyness sides has no cleaned text for the explorer's KWIC lines.",
        "Rerun the cleaning stage for the named document.",
    ),
    "CF703": (
        "The explorer cannot read the topic tables or model: no topic column, or the model's "
        "terms never occur in its documents.",
        "Rerun the topic stage (delete results/models/topics and run the workflow).",
    ),
    "CF704": (
        "A document's corrections log does not turn its ingested text into its cleaned text "
        "(edits overlap, lie outside the text, or the files come from different runs).",
        "Rerun the cleaning stage for the named document.",
    ),
    "CF705": (
        "A curated edit of a document's corrections log comes from no row of the curated "
        "corrections table or the review decisions, or the rows no longer apply as logged (the "
        "tables changed since the cleaning run).",
        "Rerun the cleaning stage for the named document.",
    ),
    "CF706": (
        "A config string holds '</' or '<!--': Snakemake's report.html embeds rule params in a "
        "script element without escaping them, so the text would end the element and run as "
        "markup.",
        "Remove the characters from the named value (the message lists every such value).",
    ),
}


class CorpusflowError(ValueError):
    """A problem with the user's input or config, with a stable code from :data:`CODES`."""

    def __init__(self, code: str, message: str, *, key: str | None = None):
        if code not in CODES:
            raise KeyError(f"{code} is not an error code of corpusflow.errors.CODES")
        self.code = code
        self.key = key  # the dotted config key at fault, if any
        self.message = message
        super().__init__(f"{code}: {message} (see docs/errors.md#{code.lower()})")


class ConfigError(CorpusflowError):
    """A configuration value or combination of values that cannot work."""


class InputError(CorpusflowError):
    """A raw input (manifest row, corpus file) that cannot be read as declared."""


class Problems(CorpusflowError):
    """Every problem a check found, reported together so that one run shows them all. Its code
    is the first problem's; :class:`InputProblems` and :class:`ConfigProblems` hold problems of
    one kind, so that ``except InputError`` still catches bad input found together."""

    def __init__(self, errors: list[CorpusflowError]):
        self.errors = list(errors)
        super().__init__(self.errors[0].code, self.errors[0].message, key=self.errors[0].key)
        listed = "\n".join(f"  {i}. {error}" for i, error in enumerate(self.errors, 1))
        self.args = (f"{len(self.errors)} problems, fix them all before rerunning:\n{listed}",)

    def __str__(self) -> str:
        return self.args[0]


class InputProblems(Problems, InputError):
    """Several bad inputs."""


class ConfigProblems(Problems, ConfigError):
    """Several bad config values."""


def raise_all(errors: list[CorpusflowError]) -> None:
    """Raise nothing, the one error, or :class:`Problems` holding them all."""
    if not errors:
        return
    if len(errors) == 1:
        raise errors[0]
    if all(isinstance(error, InputError) for error in errors):
        raise InputProblems(errors)
    if all(isinstance(error, ConfigError) for error in errors):
        raise ConfigProblems(errors)
    raise Problems(errors)


class Collector:
    """Runs independent checks and keeps every coded error they raise (see :func:`raise_all`)."""

    def __init__(self) -> None:
        self.errors: list[CorpusflowError] = []

    @contextlib.contextmanager
    def check(self):
        """Run the block as one check: a coded error (or several) is kept, not raised."""
        try:
            yield
        except Problems as problems:
            self.errors.extend(problems.errors)
        except CorpusflowError as error:
            self.errors.append(error)

    def raise_all(self) -> None:
        raise_all(self.errors)


def errors_markdown() -> str:
    """docs/errors.md: every code with its meaning and fix."""
    lines = [
        "# Error codes",
        "",
        "Every error that corpusflow raises for bad input or config starts with a code. The",
        "message names the file, line or key; this page says what the code means and how to fix",
        "it. Written by `python -m corpusflow.errors > docs/errors.md`; a test checks it is",
        "current.",
        "",
    ]
    for code, (cause, fix) in CODES.items():
        lines += [f"## {code}", "", f"**Cause:** {cause}", "", f"**Fix:** {fix}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(errors_markdown(), end="")
