"""Which keywords depend on one analysis choice (keyness_sensitivity.csv)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from corpusflow.keyness.tables import is_key, top_keywords

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
    tables: Mapping[str, pd.DataFrame],
    *,
    defaults: Mapping[str, str],
    top_n: int,
    max_q: float,
    min_log_ratio: float,
    min_range: int,
    exclude_concentrated: bool,
) -> pd.DataFrame:
    """Whether each top keyword stays key under the other choice of each analysis factor.

    ``tables`` maps every choice of :data:`CHOICES` except the q choice to the keyness table
    made with it (and the default choices of the other factors); ``defaults`` names the
    default choice of each factor (``{"phrases": ..., "q": ..., "spelling": ...}``), whose
    table is the one under both of its names. The rows are the union of the top keywords
    (:func:`top_keywords`) under every choice, the default run's first, in its order, then the
    others by side and term; ``top_rank`` is the ``rank`` (in ``keyness.csv``) of a term
    in the default run's top list, 0 for a term in another choice's top list only.
    ``key_<choice>`` says whether the term passes the keyword filters (:func:`is_key`,
    without the top_n cut) under that choice; ``key_only_under`` lists the choices under
    which a term is key while it is not under the other choice of the same factor, and
    ``robust`` is true for a term key under every choice.
    """
    q_choice = {"segment_q": "segment", "token_q": "token"}
    filters = {
        "max_q": max_q,
        "min_log_ratio": min_log_ratio,
        "min_range": min_range,
        "exclude_concentrated": exclude_concentrated,
    }
    default_q = q_choice[defaults["q"]]
    runs = {choice: (tables[choice], default_q) for choice in CHOICES["phrases"]}
    runs |= {choice: (tables[choice], default_q) for choice in CHOICES["spelling"]}
    default_table = tables[defaults["phrases"]]
    runs |= {choice: (default_table, q_choice[choice]) for choice in CHOICES["q"]}
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
    rows = pd.concat([rows, extra.assign(top_rank=0)], ignore_index=True)
    for choice, (table, top_q) in runs.items():
        key = table.loc[is_key(table, top_q=top_q, **filters), "term"]
        rows[f"key_{choice}"] = rows["term"].isin(set(key))
    only = [[] for _ in range(len(rows))]
    for first, second in CHOICES.values():
        for this, other in ((first, second), (second, first)):
            for index in np.flatnonzero(rows[f"key_{this}"] & ~rows[f"key_{other}"]).tolist():
                only[index].append(this)
    rows["key_only_under"] = [";".join(choices) for choices in only]
    rows["robust"] = rows[[c for c in rows if c.startswith("key_") and c != "key_only_under"]].all(
        axis=1
    )
    rows["design"] = default_table["design"].iloc[0] if len(default_table) else ""
    return rows[SENSITIVITY_COLUMNS]


def other_choice(factor: str, defaults: Mapping[str, str]) -> str:
    first, second = CHOICES[factor]
    return second if defaults[factor] == first else first
