"""The stage's inputs and its passes over the corpus: phrase models learned and terms counted
under each counting choice (shared by the keyness and calibration rules)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from corpusflow.keyness.settings import KeynessSettings
from corpusflow.keyness.tables import keyness_table, term_counts
from corpusflow.terms import (
    check_counting,
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
OTHERS = ("other_phrases", "other_spelling")


@dataclass(frozen=True)
class Inputs:
    """What the stage reads: ``pieces()`` gives the token tables with their ``segment_id`` in
    pieces of whole sentences of one document (called once per pass); ``texts``: the cleaned
    texts by doc_id; the two sides' doc_ids; ``choice``: the calibration's choice of test
    (:func:`corpusflow.keyness.calibration.choose_test`; None: not calibrated, the configured
    test is used); ``processes``: cores for the reruns."""

    pieces: Callable[[], Iterable[pd.DataFrame]]
    texts: Mapping[str, str]
    target_docs: Sequence[str]
    reference_docs: Sequence[str]
    choice: Mapping | None = None
    processes: int = 1


def document_pieces(tokens: Sequence, segments: Sequence, settings: KeynessSettings) -> Callable:
    """``pieces`` for :class:`Inputs` from the documents' token and segment files: read one
    document at a time in batches (:func:`corpusflow.io.read_documents`), only the columns
    counting needs."""
    from corpusflow import io
    from corpusflow.terms import PIECE_ROWS, counting_columns

    columns = counting_columns(unit=settings.unit, pos=settings.pos)
    return lambda: token_pieces(io.read_documents(tokens, segments, columns, rows=PIECE_ROWS))


def inputs_from_tables(
    tokens: pd.DataFrame, segments: pd.DataFrame, texts: Mapping[str, str], **sides
) -> Inputs:
    """:class:`Inputs` from the stacked token and segment tables of the documents (the same
    results as reading one document at a time); ``sides``: the other fields of Inputs."""
    documents = [
        (segments[segments["doc_id"] == doc_id], [tokens[tokens["doc_id"] == doc_id]])
        for doc_id in sorted(segments["doc_id"].unique())
    ]
    return Inputs(pieces=lambda: token_pieces(documents), texts=texts, **sides)


def spelling_variants_of(section, *, fold: bool) -> dict[str, str]:
    """The variant table of a ``keyness.spelling_variants`` section, folding or not."""
    return spelling_variants(fold=fold, to=section.to, extra=dict(section.extra))


class Counter:
    """The passes over the corpus of one run: phrase models learned and terms counted under
    each counting choice of :data:`CHOICE_RUNS`."""

    def __init__(self, inputs: Inputs, settings: KeynessSettings):
        self.inputs, self.settings = inputs, settings
        self.analysed = set(inputs.target_docs) | set(inputs.reference_docs)
        fold = settings.spelling_variants.fold
        self.spellings = {
            "default": spelling_variants_of(settings.spelling_variants, fold=fold),
            "flipped": spelling_variants_of(settings.spelling_variants, fold=not fold),
        }

    def side_pieces(self):
        for piece in self.inputs.pieces():
            piece = piece[piece["doc_id"].isin(self.analysed)]
            if len(piece):
                check_counting(piece, unit=self.settings.unit, pos=self.settings.pos)
                yield piece

    def _choice(self, name: str) -> tuple[str, bool]:
        spelling, flip = CHOICE_RUNS[name]
        return spelling, self.settings.learn_phrases != flip

    def learned(self, names: Sequence[str]) -> dict:
        """The phrase models the choices ``names`` need, learned together (two passes)."""
        needed = sorted({spelling for spelling, learn in map(self._choice, names) if learn})
        if not needed:
            return {}
        s = self.settings
        models = learn_phrase_models(
            self.side_pieces,
            variant_sets=[self.spellings[spelling] for spelling in needed],
            unit=s.unit,
            phrases=list(s.phrases),
            phrase_min_count=s.phrase_min_count,
            phrase_threshold=s.phrase_threshold,
        )
        return dict(zip(needed, models, strict=True))

    def occurrences(self, piece: pd.DataFrame, name: str, models: Mapping) -> pd.DataFrame:
        """The counted units of ``piece`` under choice ``name``."""
        spelling, learn = self._choice(name)
        s = self.settings
        return term_occurrences(
            piece,
            unit=s.unit,
            drop_stopwords=s.drop_stopwords,
            pos=list(s.pos),
            variants=self.spellings[spelling],
            phrases=list(s.phrases),
            learn_phrases=learn,
            phrase_min_count=s.phrase_min_count,
            phrase_threshold=s.phrase_threshold,
            phrase_model=models.get(spelling) if learn else None,
        )

    def counted(self, names: Sequence[str], models: Mapping) -> list[pd.DataFrame]:
        """Per-segment term counts of each choice in ``names``, in one pass."""
        parts = [[] for _ in names]
        for piece in self.side_pieces():
            for part, name in zip(parts, names, strict=True):
                part.append(term_counts(self.occurrences(piece, name, models)))
        return [term_counts(pd.concat(p, ignore_index=True) if p else NONE) for p in parts]

    def other_tables(self, models: Mapping | None, sides, test: str) -> list[pd.DataFrame]:
        """The tables under the other phrase and the other spelling choice (tests only)."""
        models = self.learned(OTHERS) if models is None else models
        return [
            keyness_table(counts, sides=sides, settings=self.settings, test=test, interval=False)
            for counts in self.counted(OTHERS, models)
        ]


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
