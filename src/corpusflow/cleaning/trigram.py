"""An offline English trigram language model: the CMU Sphinx generic US English model.

The ``pocketsphinx`` wheel (PyPI, BSD-style licence of Carnegie Mellon University) bundles
``model/en-us/en-us.lm.bin``, a trigram model in Sphinx's binary format (lowercase words,
Katz back-off). It is read through pocketsphinx's ``NGramModel`` (no decoder, no audio);
:func:`log10` asks it for log10 P(word | history). A word outside its vocabulary is
reported as None: the caller scores it as an unknown word. The model is memory-mapped
once per process (:func:`model`).
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from pathlib import Path

#: pocketsphinx returns log probabilities in base 1.0001; this turns them into log10.
LOG10_PER_UNIT = math.log10(1.0001)
#: Below this (log10) the model answers for a word it does not know.
UNKNOWN_BELOW = -50.0
MODEL = ("en-us", "en-us.lm.bin")


@cache
def model():
    """The bundled trigram model, read once per process.

    pocketsphinx is imported here, on first use in a job, so that parsing the workflow stays
    light (the cleaning config checks import this package).
    """
    from pocketsphinx import NGramModel, get_model_path, set_loglevel

    set_loglevel("ERROR")
    return NGramModel.readfile(str(Path(get_model_path()).joinpath(*MODEL)))


@lru_cache(maxsize=1 << 20)
def known(word: str) -> bool:
    """Whether lowercase ``word`` is in the model's vocabulary."""
    return model().prob([word]) * LOG10_PER_UNIT > UNKNOWN_BELOW


@lru_cache(maxsize=1 << 21)
def log10(word: str, first: str | None, second: str | None) -> float:
    """log10 P(word | first second) (``first`` the word two back, ``second`` the one just
    before; None where the history is shorter). ``word`` and the history must be
    :func:`known`."""
    history = [h for h in (second, first) if h is not None] if second is not None else []
    return model().prob([word, *history]) * LOG10_PER_UNIT
