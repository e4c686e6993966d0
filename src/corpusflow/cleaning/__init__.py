"""OCR cleaning: structure, witness collation, lexicon corrections and curated corrections.

One subpackage, one module per step:

- :mod:`~corpusflow.cleaning.checks`: config checks and key lists (light; parse time).
- :mod:`~corpusflow.cleaning.stage`: the stage on one document (:func:`clean_document`) and
  its tables.
- :mod:`~corpusflow.cleaning.structure`: layout (paragraphs, running heads, hyphenation).
- :mod:`~corpusflow.cleaning.collate`: alignment with witness editions.
- :mod:`~corpusflow.cleaning.words`: the word correctors; :mod:`~corpusflow.cleaning.realword`
  the real-word rule; :mod:`~corpusflow.cleaning.lexicon` the dictionaries they consult.
- :mod:`~corpusflow.cleaning.curated`: the curated corrections table;
  :mod:`~corpusflow.cleaning.review`: the review queue and review decisions.
- :mod:`~corpusflow.cleaning.edits`: edits as span replacements and their offset maps.

Only the light checks are imported here, so the workflow can import them at parse time
without the word correctors and their dictionaries.
"""

from corpusflow.cleaning.checks import STRUCTURE_KEYS, WORD_KEYS, check_cleaning_config

__all__ = ["STRUCTURE_KEYS", "WORD_KEYS", "check_cleaning_config"]
