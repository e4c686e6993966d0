"""The stage's inputs and its passes over the corpus, map-reduce style.

* phrases (one pass over every shard, :meth:`Counter.learned`): the two-word units of each
  counting choice that learns them (:func:`split_models`: the default choice's, and the one
  the sensitivity reruns need);
* map (one job per shard, :meth:`Counter.count`): that shard's per-segment term counts under
  every counting choice of :data:`CHOICE_RUNS` and its occurrences (term, document, segment,
  character offsets) under the default choice;
* reduce (:func:`merged_counts`): the shards' counts summed, what the keyness and calibration
  rules measure; the occurrences are read as they are (the concordance, the explorer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from corpusflow.keyness.settings import KeynessSettings
from corpusflow.keyness.tables import term_counts
from corpusflow.terms import (
    Learning,
    TermRules,
    check_tokens,
    learn_phrase_models,
    spelling_variants,
    term_occurrences,
    token_pieces,
)

#: The counting choices of a run: name -> (spelling: default or flipped, learned phrases flipped).
CHOICE_RUNS = {
    "default": ("default", False),
    "other_phrases": ("default", True),
    "other_spelling": ("flipped", False),
}
CHOICES = tuple(CHOICE_RUNS)
OTHERS = ("other_phrases", "other_spelling")
#: The columns of the occurrences a shard job writes (one row per counted unit).
OCCURRENCE_COLUMNS = ["doc_id", "segment_id", "start", "end", "term", "surface"]


@dataclass(frozen=True)
class Sides:
    """What both passes read besides the tokens or counts: ``texts``, the cleaned texts by
    doc_id; the two sides' doc_ids; ``choice``: the calibration's choice of test
    (:func:`corpusflow.keyness.calibration.choose_test`; None: not calibrated, the configured
    test is used); ``processes``: cores for the reruns."""

    texts: Mapping[str, str]
    target_docs: Sequence[str]
    reference_docs: Sequence[str]
    choice: Mapping | None = None
    processes: int = 1


@dataclass(frozen=True)
class Inputs:
    """The stage on token tables in one process (tests, benchmarks): ``pieces()`` gives the
    token tables with their ``segment_id`` in pieces of whole sentences of one document (called
    once per pass)."""

    pieces: Callable[[], Iterable[pd.DataFrame]]
    sides: Sides


@dataclass(frozen=True)
class Evidence:
    """What the reduce step reads: ``counts``, choice name -> per-segment term counts (merged
    over the shards); ``occurrences()`` gives the default choice's occurrences a shard at a
    time."""

    counts: Mapping[str, pd.DataFrame]
    occurrences: Callable[[], Iterable[pd.DataFrame]]
    sides: Sides


def document_pieces(tokens: Sequence, segments: Sequence, settings: KeynessSettings) -> Callable:
    """``pieces`` from the documents' token and segment files: read one document at a time in
    batches (:func:`corpusflow.io.read_documents`), only the columns counting needs."""
    from corpusflow import io
    from corpusflow.terms import PIECE_ROWS, counting_columns

    columns = counting_columns(term_rules(settings, fold=False, learn=False))
    return lambda: token_pieces(io.read_documents(tokens, segments, columns, rows=PIECE_ROWS))


def inputs_from_tables(
    tokens: pd.DataFrame, segments: pd.DataFrame, texts: Mapping[str, str], **sides
) -> Inputs:
    """:class:`Inputs` from the stacked token and segment tables of the documents (the same
    results as reading one document at a time); ``sides``: the other fields of :class:`Sides`."""
    documents = [
        (segments[segments["doc_id"] == doc_id], [tokens[tokens["doc_id"] == doc_id]])
        for doc_id in sorted(segments["doc_id"].unique())
    ]
    return Inputs(pieces=lambda: token_pieces(documents), sides=Sides(texts=texts, **sides))


def term_rules(settings: KeynessSettings, *, fold: bool, learn: bool) -> TermRules:
    """The terms keyness counts (:class:`corpusflow.terms.TermRules`) with spelling variants
    folded or not and two-word units learned or not (the counting choices): every word length
    and no stopwords beyond the tokens' own (keyness has no such keys)."""
    s = settings
    return TermRules(
        section="keyness",
        unit=s.unit,
        drop_stopwords=s.drop_stopwords,
        extra_stopwords=frozenset(),
        min_length=1,
        pos=tuple(s.pos),
        variants=spelling_variants_of(s.spelling_variants, fold=fold),
        phrases=tuple(s.phrases),
        learning=Learning(s.phrase_min_count, s.phrase_threshold) if learn else None,
    )


def spelling_variants_of(section, *, fold: bool) -> dict[str, str]:
    """The variant table of a ``keyness.spelling_variants`` section, folding or not."""
    return spelling_variants(fold=fold, to=section.to, extra=dict(section.extra))


def split_models(models: Mapping, settings: KeynessSettings) -> tuple:
    """The phrase models by spelling (:meth:`Counter.learned`) as ``(default, other)``: the
    default choice's (None when it learns none) and the one of the other choice that learns
    (other_spelling when the default learns, else other_phrases)."""
    if settings.learn_phrases:
        return models["default"], models["flipped"]
    return None, models["default"]


def joined_models(default, other, settings: KeynessSettings) -> dict:
    """The phrase models by spelling from :func:`split_models`'s pair."""
    if settings.learn_phrases:
        return {"default": default, "flipped": other}
    return {"default": other}


def merged_counts(paths: Iterable, names: Sequence[str] = CHOICES) -> dict[str, pd.DataFrame]:
    """The reduce step: the shards' count tables (:meth:`Counter.count`, written one file per
    shard with a ``choice`` column) summed per choice of ``names``
    (:func:`corpusflow.keyness.tables.term_counts`: sums of parts combine)."""
    from corpusflow import io

    parts: dict[str, list] = {name: [] for name in names}
    for path in paths:
        counts = io.read_parquet(path)
        for name in names:
            parts[name].append(counts[counts["choice"] == name].drop(columns="choice"))
    return {name: _summed(part) for name, part in parts.items()}


def _summed(parts: list[pd.DataFrame]) -> pd.DataFrame:
    return term_counts(pd.concat(parts, ignore_index=True) if parts else NONE)


class Counter:
    """The passes over the token tables ``pieces()`` of one shard (or of the corpus): phrase
    models learned and terms counted under each counting choice of :data:`CHOICE_RUNS`, on the
    documents ``docs`` only."""

    def __init__(self, pieces: Callable, docs: Iterable[str], settings: KeynessSettings):
        self.pieces = pieces
        self.analysed = set(docs)
        fold = settings.spelling_variants.fold
        folds = {"default": fold, "flipped": not fold}
        #: The rules of each (spelling, learned phrases) a choice counts with.
        self.rules = {
            (spelling, learn): term_rules(settings, fold=folds[spelling], learn=learn)
            for spelling in folds
            for learn in (False, True)
        }
        self.learns = settings.learn_phrases

    def side_pieces(self):
        for piece in self.pieces():
            piece = piece[piece["doc_id"].isin(self.analysed)]
            if len(piece):
                check_tokens(piece, self.rules["default", False])
                yield piece

    def _choice(self, name: str) -> tuple[str, bool]:
        spelling, flip = CHOICE_RUNS[name]
        return spelling, self.learns != flip

    def learned(self, names: Sequence[str] = CHOICES) -> dict:
        """The phrase models (by spelling) the choices ``names`` need, learned together in two
        passes (the same models as learning each on its own)."""
        needed = sorted({spelling for spelling, learn in map(self._choice, names) if learn})
        if not needed:
            return {}
        rules = [self.rules[spelling, True] for spelling in needed]
        return dict(zip(needed, learn_phrase_models(self.side_pieces, rules), strict=True))

    def occurrences(self, piece: pd.DataFrame, name: str, models: Mapping) -> pd.DataFrame:
        """The counted units of ``piece`` under choice ``name``."""
        spelling, learn = self._choice(name)
        model = models.get(spelling) if learn else None
        return term_occurrences(piece, self.rules[spelling, learn], model)

    def count(self, models: Mapping) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The map step, one pass: per-segment term counts under every choice (one table with
        a ``choice`` column) and the default choice's occurrences (:data:`OCCURRENCE_COLUMNS`,
        in text order)."""
        parts = {name: [] for name in CHOICES}
        found = []
        for piece in self.side_pieces():
            for name in CHOICES:
                occurrences = self.occurrences(piece, name, models)
                parts[name].append(term_counts(occurrences))
                if name == "default":
                    found.append(occurrences[OCCURRENCE_COLUMNS])
        counts = pd.concat(
            [_summed(parts[name]).assign(choice=name) for name in CHOICES], ignore_index=True
        )
        occurrences = pd.concat(found, ignore_index=True) if found else NONE
        return counts, occurrences


#: No occurrences (no tokens on either side): the columns of term_occurrences, no rows.
NONE = pd.DataFrame(
    {
        "doc_id": pd.Series(dtype="str"),
        "segment_id": pd.Series(dtype="str"),
        "start": pd.Series(dtype="int64"),
        "end": pd.Series(dtype="int64"),
        "term": pd.Series(dtype="str"),
        "surface": pd.Series(dtype="str"),
    }
)
