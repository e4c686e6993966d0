"""Startup checks of the topics config (light: imported when the workflow is parsed).

Checks on K: :func:`check_topics_config` at parse time from the config alone;
:func:`check_k_fits_corpus` at parse time from the analysed raw files' runs of letters (read
once at start-up), with the number of segments estimated (:func:`segment_estimate`), so that
a K the corpus cannot support stops the run before any job; and :func:`check_k_fits`, the
exact check, where the number of segments is known (the topics documents job, before the
sweep).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from corpusflow.errors import ConfigError


def resolve_seeds(seeds: int | Sequence[int], base_seed: int) -> list[int]:
    """The list of seeds: ``seeds`` itself, or ``base_seed, base_seed + 1, ...`` if a count."""
    if isinstance(seeds, bool):
        raise ConfigError(
            "CF601", f"topics.seeds: expected a count or a list of integers, got {seeds!r}"
        )
    if isinstance(seeds, int):
        return [base_seed + i for i in range(seeds)]
    return [int(s) for s in seeds]


def sweep_ks(topics: dict) -> list[int]:
    """The K values of the sweep: ``k_min .. k_max``."""
    return list(range(topics["k_min"], topics["k_max"] + 1))


#: The groups of fits of one K that a sweep job can make apart from the others: the seeds'
#: full-data fits, the perturbation replicates, the shuffled-words null's fits.
FIT_GROUPS = ("seeds", "replicates", "null")


def sweep_units(ks: Sequence[int], split: str) -> list[list]:
    """The sweep's units of work, ``[k, group]``: one per K (group "all") with ``split`` "k",
    one per K and group of :data:`FIT_GROUPS` with ``split`` "fits"."""
    groups = FIT_GROUPS if split == "fits" else ("all",)
    return [[int(k), group] for k in ks for group in groups]


def sweep_parts(units: Sequence, jobs: int) -> list[list]:
    """The units (:func:`sweep_units`) of each sweep job: round robin (larger K cost more, so
    each job gets a mix), never more jobs than units."""
    n = max(1, min(jobs, len(units)))
    return [list(units[i::n]) for i in range(n)]


def parts_holding(parts: Sequence[Sequence], ks: Sequence[int]) -> list[int]:
    """The indices of the sweep jobs (:func:`sweep_parts`) holding any unit of the K values
    ``ks``: what a job completing those K values (topics_sweep_extra) reads."""
    return [i for i, units in enumerate(parts) if any(k in ks for k, _ in units)]


def train_segments(n_segments: int, fraction: float) -> int:
    """Training segments of one perturbation replicate: ``round(fraction * n)``, at least 1."""
    return max(1, min(n_segments, round(fraction * n_segments)))


def check_topics_config(config: dict) -> None:
    """Raise :class:`ConfigError` if the ``topics`` section of a validated config cannot work:
    an empty K range, a pinned K outside it, no or repeated seeds."""
    topics = config["topics"]
    k_min, k_max, k = topics["k_min"], topics["k_max"], topics["k"]
    if k_max < k_min:
        raise ConfigError(
            "CF601",
            f"topics.k_min = {k_min} > topics.k_max = {k_max}: the K range is empty; "
            "set k_max >= k_min",
        )
    if k is not None and not k_min <= k <= k_max:
        raise ConfigError(
            "CF601",
            f"topics.k = {k} lies outside the sweep {k_min}..{k_max}: the final model needs the "
            "sweep's seeds at its K; widen topics.k_min/k_max or set topics.k: null (the rule "
            "chooses K)",
        )
    seeds = resolve_seeds(topics["seeds"], topics["base_seed"])
    if len(set(seeds)) != len(seeds):
        raise ConfigError(
            "CF601", f"topics.seeds: {seeds} repeats a seed; every seed must be distinct"
        )
    if len(seeds) < 2:
        raise ConfigError(
            "CF601",
            "topics.seeds: one seed gives no seed stability or recurrence; use at least 2",
        )


#: The estimate's allowance: the segment count at parse time is taken as this multiple of
#: :func:`segment_estimate`, so only a K beyond what even a tenth more segments could fit
#: stops the run there (measured: the estimate gives 98 of 98 segments on this study).
ESTIMATE_ALLOWANCE = 1.1


def segment_estimate(letter_runs: int, target_tokens: int) -> int:
    """About how many segments a document with ``letter_runs`` runs of letters gives at
    ``target_tokens`` alphabetic tokens a segment: ``round(runs / target)``, at least 1.

    spaCy makes about one alphabetic token per run of letters and the segmenter
    (:mod:`corpusflow.segment`) closes each segment at the paragraph end that brings it
    closest to the target, so segments average about the target. The hard bound
    (:func:`corpusflow.rawfiles.segment_bound`) assumes half the target and 1.25 tokens a run,
    about twice this."""
    return max(1, round(letter_runs / target_tokens))


def check_k_fits_corpus(topics: dict, letter_runs: Sequence[int], target_tokens: int) -> None:
    """CF602 at parse time when ``topics.k_max`` needs more training segments than the
    analysed documents (their ``letter_runs``) give at ``target_tokens``: estimated
    (:func:`segment_estimate`, with :data:`ESTIMATE_ALLOWANCE`) and never above the hard
    bound. The topics documents job checks the exact count (:func:`check_k_fits`)."""
    from corpusflow.rawfiles import segment_bound

    estimate = sum(segment_estimate(r, target_tokens) for r in letter_runs)
    bound = sum(segment_bound(r, target_tokens) for r in letter_runs)
    allowed = min(bound, math.ceil(ESTIMATE_ALLOWANCE * estimate))
    where = (
        f"the analysed texts' runs of letters give about {estimate} segments at "
        f"segments.target_tokens = {target_tokens}; allowing a tenth more:"
    )
    check_k_fits(topics["k_max"], allowed, topics["perturbation"]["fraction"], where=where)


def check_k_fits(k: int, n_segments: int, fraction: float, *, where: str) -> None:
    """Raise :class:`ConfigError` (CF602) unless ``k`` topics leave more training segments than
    topics in every perturbation replicate (``fraction`` of ``n_segments``). ``where`` names
    how ``n_segments`` was known (the exact count, or the bound from file sizes)."""
    n_train = train_segments(n_segments, fraction)
    if k >= n_train:
        raise ConfigError(
            "CF602",
            f"topics: K = {k} needs more than {k} training segments, but {where} "
            f"{n_segments} segments, {n_train} of them in each replicate's training set "
            f"(topics.perturbation.fraction = {fraction}); lower topics.k_max (and topics.k), "
            "or make segments shorter (segments.target_tokens)",
        )
