"""Keyword contrast (keyness) between a target and a reference side of the corpus.

Subpackage layout (the stage contract: settings, checks, run):

* :mod:`~corpusflow.keyness.settings`: the stage's settings, the schema's ``keyness`` leaves;
* :mod:`~corpusflow.keyness.sides`: the two sides, the design and the config checks (light
  imports, used by the rule file at parse time);
* :mod:`~corpusflow.keyness.stage`: :func:`~corpusflow.keyness.stage.run`, the stage on data;
* :mod:`~corpusflow.keyness.counting`: its inputs and passes over the corpus;
* :mod:`~corpusflow.keyness.measures`: the 2x2-table measures (G2, Fisher, Log Ratio and its
  exact interval, weighted log-odds z, BH q) and dispersion (DP, DP_norm, range);
* :mod:`~corpusflow.keyness.inference`: the unit-level tests and the bootstrap;
* :mod:`~corpusflow.keyness.tables`: the keyness table and the top keywords;
* :mod:`~corpusflow.keyness.robustness`: the robustness count over alternative analyses and
  text-dispersion keyness;
* :mod:`~corpusflow.keyness.calibration`: false-positive rates on null corpora and the choice
  of test;
* :mod:`~corpusflow.keyness.sensitivity`, :mod:`~corpusflow.keyness.concordance`: the sensitivity
  and concordance tables; :mod:`~corpusflow.keyness.figures`: the figures.

Counting (token filters, spelling variants, multiword units) lives in :mod:`corpusflow.terms`.
Names of the submodules are available here (``keyness.log_likelihood``), imported on first use
so that importing this package for :mod:`sides` stays light.
"""

from __future__ import annotations

import importlib

_MODULES = (
    "measures",
    "inference",
    "tables",
    "robustness",
    "sensitivity",
    "concordance",
    "counting",
    "calibration",
    "stage",
    "sides",
    "settings",
    "figures",
)


def __getattr__(name: str):
    for module in _MODULES:
        loaded = importlib.import_module(f"{__name__}.{module}")
        if hasattr(loaded, name) and not name.startswith("_"):
            return getattr(loaded, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
