"""Topic models of the analysed segments (one subpackage, one module per step).

- :mod:`~corpusflow.topics.checks`: config checks and the bound on K (light; parse time).
- :mod:`~corpusflow.topics.documents`: one bag of words per segment, vocabularies fitted on
  training segments, the perturbation replicates.
- :mod:`~corpusflow.topics.sweep`: fits over K x seeds and replicates, and their measures.
- :mod:`~corpusflow.topics.stability`: seed and perturbation stability, the K rule.
- :mod:`~corpusflow.topics.final`: the final model, labels, flags and tables.
- :mod:`~corpusflow.topics.prevalence`: group prevalence with posterior draws and resampling.
- :mod:`~corpusflow.topics.figures`: the stage's figures.

Only the light checks are imported here, so the workflow can import them at parse time
without gensim or scikit-learn.
"""

from corpusflow.topics.checks import (
    check_k_fits,
    check_k_fits_corpus,
    check_topics_config,
    resolve_seeds,
    sweep_ks,
    sweep_parts,
    sweep_units,
)

__all__ = [
    "check_k_fits",
    "check_k_fits_corpus",
    "check_topics_config",
    "resolve_seeds",
    "sweep_ks",
    "sweep_parts",
    "sweep_units",
]
