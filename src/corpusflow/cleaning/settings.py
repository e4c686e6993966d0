"""The cleaning stage's settings: the leaves of the schema's ``cleaning`` section, built once.

``CleaningSettings`` is built at parse time with
``corpusflow.settings.from_config(CleaningSettings, config, "cleaning")``; the rule passes
``as_params`` of it and the script rebuilds it with ``from_params``. Descriptions and defaults
are in ``workflow/schemas/config.schema.yaml`` only (``config/README.md`` lists them);
``tests/test_settings_contract.py`` holds these fields to the schema's keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class CleaningSettings:
    """The config section ``cleaning``: one field per schema key, no defaults here."""

    # tables and protected words
    corrections_table: str
    review_decisions: str
    protected_terms: tuple
    # layout (corpusflow.cleaning.structure)
    full_ratio: float
    punct_ratio: float
    running_head_repeats: int
    hyphen_min_zipf: float
    missing_space_max_share: float
    # witness collation (corpusflow.cleaning.witness)
    anchor_window: int
    anchor_min: float
    region_window: int
    region_min: float
    max_distance_base: float
    max_distance_ratio: float
    witness_context_tolerance: float
    derived_override_gain: float
    derived_override_distance: float
    # lexicon and candidates
    lexicon_min_zipf: float
    candidate_min_zipf: float
    candidate_vocabulary_size: int
    older_spelling_share: float
    # clean text declared OCR (corpusflow.cleaning.noise)
    clean_text_max_noise: float
    noise_min_zipf: float
    # noisy channel (corpusflow.cleaning.channel)
    channel_min_gain: float
    channel_review_gain: float
    channel_realword_extra: float
    channel_noise_reference: float
    channel_oov_zipf: float
    channel_edit_log10: float
    channel_learn_cap: float
    channel_margin: float
    channel_wordlike_min_length: int
    name_titles: tuple  # lowercase here, once ("Mrs" -> "mrs")
    # amounts with letters read for digits (corpusflow.cleaning.amounts)
    amount_prefixes: tuple
    amount_units: tuple
    amount_glyphs: tuple  # (glyph, digit) pairs, sorted: a mapping is not hashable
    # corpus confusions, case, real words (corpusflow.cleaning.words, .realword)
    corpus_ratio: float
    corpus_min_count: int
    corpus_min_bigrams: int
    corpus_max_distance: float
    corpus_max_token_count: int
    corpus_min_gain: float
    corpus_english_veto: bool
    corpus_max_token_zipf: float
    case_lowercase_needs_bigram: bool
    case_max_zipf: float
    case_ratio: float
    case_min_count: int
    case_lowercase_initials: str | None
    realword_apply_margin: float | None
    realword_review_margin: float
    realword_auto: bool
    realword_auto_max_distance: float
    realword_auto_min_english_gain: float
    realword_auto_max_token_count: int
    realword_one_sided_min_gain: float | None

    def __post_init__(self) -> None:
        glyphs = self.amount_glyphs
        pairs = glyphs.items() if isinstance(glyphs, Mapping) else glyphs
        object.__setattr__(self, "amount_glyphs", tuple(sorted(map(tuple, pairs))))
        object.__setattr__(self, "name_titles", tuple(t.lower() for t in self.name_titles))
