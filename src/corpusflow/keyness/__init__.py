"""Keyword contrast (keyness) between a target and a reference side of the corpus.

Subpackage layout:

* :mod:`~corpusflow.keyness.measures`: the 2x2-table measures (G2, Fisher, Log Ratio, weighted
  log-odds z, BH q) and dispersion (DP, DP_norm, range);
* :mod:`~corpusflow.keyness.inference`: the segment- (or document-) level tests and the
  bootstrap interval of Log Ratio;
* :mod:`~corpusflow.keyness.tables`: the keyness, top, sensitivity and KWIC tables and the
  stage on data (:func:`run_keyness`);
* :mod:`~corpusflow.keyness.figures`: the Fightin'-words plot and the keyword bars;
* :mod:`~corpusflow.keyness.sides`: the two sides and the config checks (light imports, used
  by the rule file at parse time).

Counting (token filters, spelling variants, multiword units) lives in :mod:`corpusflow.terms`.
Names of the submodules are available here (``keyness.log_likelihood``), imported on first use
so that importing this package for :mod:`sides` stays light.
"""

from __future__ import annotations

import importlib

_MODULES = ("measures", "inference", "tables", "sides", "figures")


def __getattr__(name: str):
    for module in _MODULES:
        loaded = importlib.import_module(f"{__name__}.{module}")
        if hasattr(loaded, name) and not name.startswith("_"):
            return getattr(loaded, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
