"""The topics view: terms ranked by relevance (Sievert & Shirley 2014), passages, prevalence."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from corpusflow.errors import InputError
from corpusflow.explorer.columns import plain_number, table_columns

if TYPE_CHECKING:
    from corpusflow.explorer.sources import TopicSources

# --------------------------------------------------------------------------------------------
# Topics
# --------------------------------------------------------------------------------------------


def relevant_terms(
    log_pwt: np.ndarray, log_pw: np.ndarray, *, n_terms: int, steps: int = 100
) -> np.ndarray:
    """Indices of the terms that are among a topic's ``n_terms`` most relevant at some lambda
    of the grid 0, 1/steps, ..., 1 (Sievert & Shirley 2014: relevance = lambda log p(w|t) +
    (1 - lambda) log(p(w|t) / p(w))). The page ranks them again at the slider's lambda, so
    its top terms are exact at every grid value."""
    lift = log_pwt - log_pw
    chosen: set[int] = set()
    for step in range(steps + 1):
        lam = step / steps
        relevance = lam * log_pwt + (1 - lam) * lift
        order = np.lexsort((np.arange(len(relevance)), -relevance))
        chosen.update(order[:n_terms].tolist())
    return np.array(sorted(chosen), dtype=np.int64)


def term_marginals(texts: Iterable[Iterable[str]], vocabulary: Sequence[str]) -> np.ndarray:
    """p(w) of each vocabulary term: its share of all term tokens of the modelled documents."""
    position = {term: n for n, term in enumerate(vocabulary)}
    counts = np.zeros(len(vocabulary), dtype=np.float64)
    for text in texts:
        for term in text:
            n = position.get(term)
            if n is not None:
                counts[n] += 1
    total = counts.sum()
    if total == 0:
        raise InputError("CF703", "explorer: the topic model's terms never occur in its documents")
    return counts / total


def _records(table: pd.DataFrame | None) -> tuple[list[dict], list[list]]:
    if table is None:
        return [], []
    return table_columns(table)


def topics_view(
    sources: TopicSources, marginals: np.ndarray | None, *, n_terms: int, relevance_lambda: float
) -> dict:
    """Per topic: id (the tables' ``topic``), the model's own index (``model_topic``), label,
    ``flag`` (the topic stage's failed check, "" if none), recurrence, the candidate terms for
    the relevance slider, passages, prevalence and NMF rows.

    ``sources.topic_term`` is the model's K x V matrix of p(w|t) (rows are model topics),
    ``marginals`` p(w). Without them the terms table's weights are shown and the slider is
    disabled.
    """
    if "topic" not in sources.terms.columns:
        raise InputError("CF703", "topics terms table: no 'topic' column; rerun the topic stage")
    slider = sources.topic_term is not None and marginals is not None
    slider = slider and sources.vocabulary is not None
    topics = [
        _topic_entry(topic, group, sources, marginals if slider else None, n_terms)
        for topic, group in sources.terms.groupby("topic", sort=True)
    ]
    return {
        "slider": bool(slider),
        "lambda": relevance_lambda,
        "n_terms": n_terms,
        "topics": topics,
        "passages": _by_topic(sources.passages),
        "prevalence": _by_topic(sources.prevalence),
        "nmf": _by_topic(sources.nmf),
    }


def _topic_entry(topic, group: pd.DataFrame, sources: TopicSources, marginals, n_terms) -> dict:
    """One topic's fields and terms: the relevance candidates where the model's p(w|t) and the
    marginals are known (``marginals`` not None), else the terms table's weights."""
    first = group.iloc[0]
    entry = {"topic": plain_number(topic)}
    for column in ("label", "flag", "model_topic", "recurrence"):
        if column in group.columns:
            value = first[column]
            entry[column] = value if isinstance(value, str) else plain_number(value)
    if "flag" in entry:  # a failed check (topics stage): "" for a topic that passes them all
        entry["flag"] = entry["flag"] or ""
    model_topic, topic_term = entry.get("model_topic"), sources.topic_term
    if (
        marginals is not None
        and isinstance(model_topic, int)
        and 0 <= model_topic < len(topic_term)
    ):
        log_pwt = np.log(np.maximum(topic_term[model_topic], 1e-300))
        log_pw = np.log(np.maximum(marginals, 1e-300))
        chosen = relevant_terms(log_pwt, log_pw, n_terms=n_terms)
        entry["terms"] = [
            [str(sources.vocabulary[i]), plain_number(log_pwt[i]), plain_number(log_pw[i])]
            for i in chosen
        ]
    else:
        weights = group.sort_values("rank") if "rank" in group else group
        entry["terms"] = [
            [str(t), plain_number(math.log(max(float(w), 1e-300))), None]
            for t, w in zip(weights["term"], weights.get("weight", 1.0), strict=False)
        ]
    return entry


def _by_topic(table: pd.DataFrame | None) -> dict:
    columns, rows = _records(table)
    names = [c["name"] for c in columns]
    grouped: dict[str, list] = {}
    if "topic" in names:
        at = names.index("topic")
        for row in rows:
            grouped.setdefault(str(row[at]), []).append(row)
    return {"columns": columns, "rows": grouped}


def topic_model_arrays(model) -> tuple[np.ndarray, list[str]]:
    """p(w|t) (K x V, rows are the model's topic indices) and the vocabulary of a gensim
    ``LdaModel``."""
    matrix = np.asarray(model.get_topics(), dtype=np.float64)
    vocabulary = [str(model.id2word[i]) for i in range(matrix.shape[1])]
    return matrix, vocabulary
