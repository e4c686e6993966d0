"""The keyness stage on data: :func:`reduce` measures the merged counts, filters, checks the
choices and cuts the concordance; :func:`run` does the whole stage in one process.

In the workflow the stage is a map-reduce (:mod:`corpusflow.keyness.counting`): the phrases
are learned in one pass, each shard's job counts its token tables, and the keyness rule reads
the merged counts (:class:`~corpusflow.keyness.counting.Evidence`), never a token table. With
``processes`` > 1 the other choices' tables are measured in a forked worker beside the default
run; the results are the same whatever ``processes``.
"""

from __future__ import annotations

import pandas as pd

from corpusflow.keyness.concordance import kwic, occurrences_of
from corpusflow.keyness.counting import CHOICES as COUNTING_CHOICES
from corpusflow.keyness.counting import OTHERS, Counter, Evidence, Inputs
from corpusflow.keyness.forked import Forked
from corpusflow.keyness.inference import unit_counts
from corpusflow.keyness.robustness import alternative_q, robustness_count
from corpusflow.keyness.sensitivity import CHOICES, other_choice, sensitivity_table
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.keyness.sides import READING, design_of
from corpusflow.keyness.tables import (
    TABLE_COLUMNS,
    is_key,
    keyness_table,
    keyword_filters,
    top_keywords,
)
from corpusflow.settings import as_params


def run(inputs: Inputs, settings: KeynessSettings) -> dict:
    """The whole stage in one process on the token tables of ``inputs``: the phrases learned,
    the corpus counted as one shard (:class:`~corpusflow.keyness.counting.Counter`), then
    :func:`reduce`. The same tables as the workflow's map-reduce."""
    sides = inputs.sides
    counter = Counter(inputs.pieces, [*sides.target_docs, *sides.reference_docs], settings)
    counts, occurrences = counter.count(counter.learned())
    evidence = Evidence(
        counts={
            name: counts[counts["choice"] == name].drop(columns="choice").reset_index(drop=True)
            for name in COUNTING_CHOICES
        },
        occurrences=lambda: [occurrences],
        sides=sides,
    )
    return reduce(evidence, settings)


def reduce(inputs: Evidence, settings: KeynessSettings) -> dict:
    """The reduce step on the merged counts. Returns ``table`` (keyness.csv), ``top``,
    ``sensitivity``, ``kwic`` and ``record`` (keyness.json).

    ``top`` keeps the terms key under the test calibration chose (``inputs.sides.choice``,
    :func:`corpusflow.keyness.calibration.choose_test`; none if no test holds its level;
    without a choice, the configured test) and under at least
    ``min_robustness`` of the alternatives (:mod:`corpusflow.keyness.robustness`)."""
    given = inputs.sides
    sides = {"target": list(given.target_docs), "reference": list(given.reference_docs)}
    choice = given.choice or {"test": settings.segment_test, "holds": True, "why": UNCALIBRATED}
    test, holds = choice["test"], choice["holds"]
    table, q, others, counts = _measure(inputs, sides, settings, test)
    filters = _filters(settings)
    table["robustness"], alternatives = robustness_count(
        table, q, dict(zip(OTHERS, others, strict=True)), is_key=lambda t: is_key(t, **filters)
    )
    table["alternatives"] = len(alternatives)
    table = table[TABLE_COLUMNS]
    top = top_keywords(
        table, top_n=settings.top_n, min_robustness=settings.min_robustness, **filters
    )
    top = top if holds else top.iloc[0:0]
    sensitivity = _sensitivity(table, others, settings)
    lines = kwic(
        occurrences_of(inputs.occurrences(), top["term"]),
        top,
        given.texts,
        context_chars=settings.kwic_context_chars,
        max_lines_per_term=settings.kwic_max_lines,
    )
    record = {
        **counts,
        "test": {"used": test, "holds": holds, "why": choice["why"]},
        "robustness": {"alternatives": alternatives, "min_robustness": settings.min_robustness},
        "terms_tested": len(table),
        "q_at_most_max_q": {
            "token_q": int((table["q"] <= settings.max_q).sum()),
            "segment_q": int((table["q_segment"] <= settings.max_q).sum()),
            "fisher_tables": int((table["token_test"] == "fisher").sum()),
        },
        "top_terms": {side: int((top["side"] == side).sum()) for side in ("target", "reference")},
        "sensitivity": {"terms": len(sensitivity), "robust": int(sensitivity["robust"].sum())},
        "kwic_lines": len(lines),
        "parameters": as_params(settings),
    }
    return {"table": table, "top": top, "sensitivity": sensitivity, "kwic": lines, "record": record}


def _measure(inputs: Evidence, sides, settings: KeynessSettings, test: str):
    """The default choice's table, the q of the alternative tests, the other choices' tables
    (in a forked worker with ``processes`` > 1) and the counts record."""

    def other_tables():
        return [
            keyness_table(
                inputs.counts[name], sides=sides, settings=settings, test=test, interval=False
            )
            for name in OTHERS
        ]

    worker = Forked(other_tables) if inputs.sides.processes > 1 else None
    try:
        occurrences = inputs.counts["default"]
        table = keyness_table(occurrences, sides=sides, settings=settings, test=test, interval=True)
        q = alternative_q(
            occurrences,
            table["term"],
            sides=sides,
            document_min=settings.document_min,
            draws=settings.draws,
        )
        counts = _counts_record(occurrences, sides, settings)
        others = worker.result() if worker is not None else other_tables()
    finally:
        if worker is not None:
            worker.stop()
    return table, q, others, counts


#: Why the configured test is used when the stage runs without calibration.
UNCALIBRATED = "not calibrated: the configured test (keyness.segment_test)"


def _filters(settings: KeynessSettings) -> dict:
    """The keyword filters of :func:`corpusflow.keyness.tables.is_key` from the settings."""
    return {"top_q": settings.top_q, **keyword_filters(settings)}


def _counts_record(occurrences: pd.DataFrame, sides, settings: KeynessSettings) -> dict:
    """The sides, their totals and the design: documents, segments and the tests' unit."""
    units = {}
    for name, docs in sides.items():
        on_side = occurrences["doc_id"].isin(docs)
        _, sizes, kind = unit_counts(occurrences, [], docs=docs, document_min=settings.document_min)
        units[name] = {
            "documents": len(docs),
            "segments": int(occurrences.loc[on_side, "segment_id"].nunique()),
            "test_unit": kind,
            "total": int(occurrences.loc[on_side, "count"].sum()),
            "test_units": len(sizes),
        }
    design = design_of(len(sides["target"]), len(sides["reference"]), settings.document_min)
    return {
        "target_docs": sides["target"],
        "reference_docs": sides["reference"],
        "total_target": units["target"]["total"],
        "total_reference": units["reference"]["total"],
        "segment_test_units": {
            name: {"kind": unit["test_unit"], "count": unit["test_units"]}
            for name, unit in units.items()
        },
        "design": {
            "design": design,
            "reading": READING[design],
            "document_min": settings.document_min,
            "units": {
                name: {key: unit[key] for key in ("documents", "segments", "test_unit")}
                for name, unit in units.items()
            },
        },
    }


def _sensitivity(table: pd.DataFrame, others, settings: KeynessSettings) -> pd.DataFrame:
    """keyness_sensitivity.csv: each factor's other choice alone (phrases, q, spelling)."""
    defaults = {
        "phrases": CHOICES["phrases"][0 if settings.learn_phrases else 1],
        "q": CHOICES["q"][0 if settings.top_q == "segment" else 1],
        "spelling": CHOICES["spelling"][0 if settings.spelling_variants.fold else 1],
    }
    tables = {defaults["phrases"]: table, defaults["spelling"]: table}
    tables[other_choice("phrases", defaults)] = others[0]
    tables[other_choice("spelling", defaults)] = others[1]
    return sensitivity_table(tables, defaults=defaults, settings=settings)
