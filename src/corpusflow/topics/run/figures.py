"""Rule topics_figures."""

from __future__ import annotations

from collections.abc import Mapping

from corpusflow import io
from corpusflow.topics.settings import TopicsSettings


def figures(inputs, settings: TopicsSettings, *, groups: Mapping[str, str]) -> dict:
    """Rule topics_figures: the model-selection, prevalence and flow figures (``groups``:
    group -> label, in the config's order)."""
    from corpusflow.topics.figures import plot_flow, plot_model_selection, plot_prevalence

    choice = io.read_json(inputs.choice)
    order = list(groups)
    return {
        "selection": plot_model_selection(io.read_csv(inputs.selection, na_values=[""]), choice),
        "prevalence": plot_prevalence(
            io.read_csv(inputs.prevalence),
            group_order=order,
            group_labels=groups,
            level=settings.bootstrap.level,
        ),
        "flow": plot_flow(
            io.read_csv(inputs.segments),
            group_order=order,
            group_labels=groups,
            max_panels=settings.flow_max_panels,
        ),
    }
