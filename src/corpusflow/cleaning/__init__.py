"""OCR cleaning: structure, witness collation, lexicon corrections and curated corrections.

One subpackage, one module per step:

- :mod:`~corpusflow.cleaning.settings`: the stage's settings; :mod:`~corpusflow.cleaning.checks`:
  config checks (both light; parse time).
- :mod:`~corpusflow.cleaning.stage`: the stage on one document (:func:`clean_document`) and
  its tables; :mod:`~corpusflow.cleaning.wordpass`: its word pass (witnesses, channel, lexicon).
- :mod:`~corpusflow.cleaning.structure`: layout (paragraphs, running heads, hyphenation).
- :mod:`~corpusflow.cleaning.collate`, :mod:`~corpusflow.cleaning.witness`: alignment with
  witness editions and the corrections they support.
- :mod:`~corpusflow.cleaning.noise`: whether a document declared OCR looks clean.
- :mod:`~corpusflow.cleaning.channel`: the noisy-channel corrector (substitutions, splits,
  joins); :mod:`~corpusflow.cleaning.words`: the corpus, case and real-word rules;
  :mod:`~corpusflow.cleaning.realword` the real-word evidence;
  :mod:`~corpusflow.cleaning.lexicon` the dictionaries they consult.
- :mod:`~corpusflow.cleaning.curated`: the curated corrections table;
  :mod:`~corpusflow.cleaning.review`: the review queue and review decisions.
- :mod:`~corpusflow.cleaning.edits`: edits as span replacements and their offset maps.

Only the light checks are imported here, so the workflow can import them at parse time
without the word correctors and their dictionaries.
"""

from corpusflow.cleaning.checks import check_cleaning_config

__all__ = ["check_cleaning_config"]
