"""Which keywords depend on one analysis choice (keyness_sensitivity.csv)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from corpusflow.keyness.settings import KeynessSettings
from corpusflow.keyness.tables import is_key, keyword_filters, top_keywords

#: Analysis choices of the sensitivity table: factor -> (its two choices).
CHOICES = {
    "phrases": ("learned_phrases", "listed_phrases_only"),
    "q": ("segment_q", "token_q"),
    "spelling": ("folded", "unfolded"),
}
SENSITIVITY_COLUMNS = [
    "term",
    "side",
    "top_rank",
    *(f"key_{choice}" for pair in CHOICES.values() for choice in pair),
    "key_only_under",
    "robust",
    "design",
]


def sensitivity_table(
    tables: Mapping[str, pd.DataFrame], *, defaults: Mapping[str, str], settings: KeynessSettings
) -> pd.DataFrame:
    """Whether each top keyword stays key under the other choice of each analysis factor.

    ``tables`` maps every choice of :data:`CHOICES` except the q choice to the keyness table
    made with it (and the default choices of the other factors); ``defaults`` names the
    default choice of each factor (``{"phrases": ..., "q": ..., "spelling": ...}``), whose
    table is the one under both of its names. The rows are the union of the top keywords
    (:func:`top_keywords`, with the ``settings``' ``top_n`` and keyword filters) under every
    choice, the default run's first, in its order, then the others by side and term;
    ``top_rank`` is the ``rank`` (in ``keyness.csv``) of a term in the default run's top list,
    0 for a term in another choice's top list only. ``key_<choice>`` says whether the term
    passes the keyword filters (:func:`is_key`, without the top_n cut) under that choice;
    ``key_only_under`` lists the choices under which a term is key while it is not under the
    other choice of the same factor, and ``robust`` is true for a term key under every choice.
    """
    filters = keyword_filters(settings)
    runs = _runs(tables, defaults)
    default_table = tables[defaults["phrases"]]
    rows = _top_terms(default_table, runs, _Q_CHOICE[defaults["q"]], settings.top_n, filters)
    for choice, (table, top_q) in runs.items():
        key = table.loc[is_key(table, top_q=top_q, **filters), "term"]
        rows[f"key_{choice}"] = rows["term"].isin(set(key))
    rows["key_only_under"] = _key_only_under(rows)
    rows["robust"] = rows[[f"key_{choice}" for choice in runs]].all(axis=1)
    rows["design"] = default_table["design"].iloc[0] if len(default_table) else ""
    return rows[SENSITIVITY_COLUMNS]


#: The ``top_q`` of :func:`top_keywords` under each choice of the q factor.
_Q_CHOICE = {"segment_q": "segment", "token_q": "token"}


def _runs(tables: Mapping[str, pd.DataFrame], defaults: Mapping[str, str]) -> dict:
    """Every choice of :data:`CHOICES` as the table and the q it is judged by: the phrases and
    spelling choices their own table at the default q, the q choices the default table."""
    default_q = _Q_CHOICE[defaults["q"]]
    runs = {choice: (tables[choice], default_q) for choice in CHOICES["phrases"]}
    runs |= {choice: (tables[choice], default_q) for choice in CHOICES["spelling"]}
    default_table = tables[defaults["phrases"]]
    return runs | {choice: (default_table, _Q_CHOICE[choice]) for choice in CHOICES["q"]}


def _top_terms(default_table, runs: Mapping, default_q: str, top_n: int, filters) -> pd.DataFrame:
    """The rows' ``term``, ``side`` and ``top_rank``: the default run's top keywords in its
    order, then those of the other runs only, by side and term (``top_rank`` 0)."""
    top_default = top_keywords(
        default_table, top_n=top_n, top_q=default_q, min_robustness=0, **filters
    )
    rows = top_default[["term", "side"]].assign(top_rank=top_default["rank"].to_numpy())
    others = [
        top_keywords(table, top_n=top_n, top_q=top_q, min_robustness=0, **filters)[["term", "side"]]
        for table, top_q in runs.values()
    ]
    extra = pd.concat(others).drop_duplicates("term")
    extra = extra[~extra["term"].isin(rows["term"])].sort_values(["side", "term"])
    return pd.concat([rows, extra.assign(top_rank=0)], ignore_index=True)


def _key_only_under(rows: pd.DataFrame) -> list[str]:
    """Per row, the choices (``;``-joined) under which the term is key while it is not under
    the other choice of the same factor."""
    only = [[] for _ in range(len(rows))]
    for first, second in CHOICES.values():
        for this, other in ((first, second), (second, first)):
            for index in np.flatnonzero(rows[f"key_{this}"] & ~rows[f"key_{other}"]).tolist():
                only[index].append(this)
    return [";".join(choices) for choices in only]


def other_choice(factor: str, defaults: Mapping[str, str]) -> str:
    first, second = CHOICES[factor]
    return second if defaults[factor] == first else first
