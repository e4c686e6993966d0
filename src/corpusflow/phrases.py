"""The words of a listed multiword unit (``keyness.phrases``).

Apart from :mod:`corpusflow.terms`, which counts the units, so that the config check that
runs when the workflow is parsed does not import numpy and pandas.
"""

from __future__ import annotations

import re

#: A word: a run of letters (no digits, no underscore).
WORD = re.compile(r"[^\W\d_]+")


def phrase_words(phrase: str) -> tuple[str, ...]:
    """The lowercase words of a listed phrase (punctuation ignored)."""
    return tuple(WORD.findall(phrase.lower()))
