"""From a token table to counted terms: the one terms builder of keyness, topics and the
explorer.

Each stage builds its :class:`TermRules` once from its own settings
(:func:`corpusflow.keyness.counting.term_rules`, :func:`corpusflow.topics.documents.term_rules`);
the same rules give the same terms whichever stage asks. Keyness writes the occurrences it
counts once, and the explorer reads them; the topic stage groups the same terms by segment.
Every function takes a token table (see the tokenise stage) or plain values and returns data.

* :func:`spelling_variants` builds a form -> key table folding British and American spellings
  (-ise/-ize, -our/-or, -re/-er, ...) from the ``breame`` package's list (Apache-2.0, 1,730
  British -> American pairs), plus a user list.
* :func:`term_occurrences` gives one row per counted unit (a word or a multiword unit) with its
  position in the text, its ``term`` (after folding) and its ``surface`` form (before folding,
  so tables can show what was written).
* :func:`learn_phrase_models` learns the two-word units (gensim ``Phrases``, NPMI) in two
  streamed passes over a stage's token tables; :func:`phrase_model_record` writes them for the
  counting jobs, which apply them without learning again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corpusflow.errors import ConfigError
from corpusflow.phrases import WORD as _WORD
from corpusflow.phrases import phrase_words
from corpusflow.segment import tokens_with_segments

UNITS = ("lower", "lemma")
#: Spelling a folded term is written in.
SPELLINGS = ("american", "british")

# Tokens that may sit inside a multiword unit without breaking it: apostrophes, hyphens and the
# possessive "'s" ("workers' opposition", "trade-unions", "Kollontai's pamphlet").
_JOINER = re.compile(r"(?:['\u2019\u2018\-\u2010]+|['\u2019][sS])")


@dataclass(frozen=True)
class Learning:
    """gensim ``Phrases`` settings of the learned two-word units: ``min_count`` and the NPMI
    ``threshold`` (in (-1, 1])."""

    min_count: int
    threshold: float


@dataclass(frozen=True)
class TermRules:
    """How tokens become terms; a stage builds it once from its own settings.

    ``section``: the config section the rules come from (named in messages). ``unit``:
    ``"lower"`` (lowercase word form) or ``"lemma"``. Single words are kept if alphabetic, at
    least ``min_length`` characters long (of the unit), not stopwords when ``drop_stopwords``
    (the token's ``is_stop`` flag, or a lowercase form or unit in ``extra_stopwords``) and, with
    a non-empty ``pos``, of one of those universal POS tags. ``variants`` (form -> key,
    :func:`spelling_variants`) folds spellings before multiword units are matched or learned.
    ``phrases``: multiword units listed to count as one term; ``learning``: the settings of the
    learned two-word units (``None``: none learned). Multiword units are kept whatever the
    filters of single words say.
    """

    section: str
    unit: str
    drop_stopwords: bool
    extra_stopwords: frozenset[str]
    min_length: int
    pos: tuple[str, ...]
    variants: Mapping[str, str]
    phrases: tuple[str, ...]
    learning: Learning | None

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unit must be one of {UNITS}, got {self.unit!r}")


# --------------------------------------------------------------------------------------------
# Spelling variants
# --------------------------------------------------------------------------------------------


def spelling_variants(*, fold: bool, to: str, extra: Mapping[str, str]) -> dict[str, str]:
    """Form -> key table folding spelling variants into one term (empty if ``fold`` is false).

    The British/American list comes from ``breame`` (``to="american"`` maps "organisation" to
    "organization", ``to="british"`` the other way); ``extra`` (form -> key, lowercase single
    words) is applied over it. A key that is itself folded into another key would count its own
    occurrences apart from the forms folded into it, so it is a :class:`ConfigError`.
    """
    if not fold:
        return {}
    if to not in SPELLINGS:
        raise ValueError(f"to must be one of {SPELLINGS}, got {to!r}")
    from breame.data.spelling_constants import (
        AMERICAN_ENGLISH_SPELLINGS,
        BRITISH_ENGLISH_SPELLINGS,
    )

    table = dict(BRITISH_ENGLISH_SPELLINGS if to == "american" else AMERICAN_ENGLISH_SPELLINGS)
    for form, key in sorted(extra.items()):
        for value, role in ((form, "form"), (key, "key")):
            if not _WORD.fullmatch(value) or value != value.lower():
                raise ConfigError(
                    "CF505",
                    f"keyness.spelling_variants.extra: {role} {value!r} (of {form!r}: {key!r}) "
                    "is not one lowercase word; list single lowercase words",
                )
        table[form] = key
    table = {form: key for form, key in table.items() if form != key}
    chained = sorted(key for key in set(table.values()) if key in table)
    if chained:
        key = chained[0]
        raise ConfigError(
            "CF505",
            f"keyness.spelling_variants.extra: {key!r} is a key other forms fold into, but is "
            f"itself folded into {table[key]!r}; map every form straight to its final key",
        )
    return table


def fold_spelling(forms: pd.Series, variants: Mapping[str, str]) -> pd.Series:
    """``forms`` with every form in ``variants`` replaced by its key."""
    if not variants:
        return forms
    codes, uniques = pd.factorize(forms, use_na_sentinel=False)
    folded = np.array([variants.get(form, form) for form in uniques], dtype=object)
    return pd.Series(folded[codes], index=forms.index, dtype=forms.dtype)


# --------------------------------------------------------------------------------------------
# Counting units
# --------------------------------------------------------------------------------------------


def term_occurrences(tokens: pd.DataFrame, rules: TermRules, model=None) -> pd.DataFrame:
    """One row per counted unit (a word, or a multiword unit) with its position.

    Only alphabetic tokens are counted. Multiword units are matched, and learned, inside runs
    of alphabetic tokens within one sentence; apostrophes, hyphens and possessive "'s" do not
    break a run, other punctuation does. Listed phrases (``rules.phrases``) match the
    lowercase (folded) word forms (punctuation in the phrase is ignored), longest first, and
    their term is the phrase as listed (lowercased, folded word by word).

    Parameters
    ----------
    tokens : token table (see the tokenise stage), optionally with ``segment_id`` and ``pos``;
        whole sentences (a document, several, or a piece of one cut at a sentence end).
    rules : the stage's :class:`TermRules`.
    model : with ``rules.learning``, the units learned beforehand by
        :func:`learn_phrase_models` (e.g. on the whole corpus, one piece at a time) instead of
        learning them on ``tokens``; ``None`` learns them on ``tokens``.

    Returns
    -------
    DataFrame with ``doc_id``, ``segment_id`` (if the tokens have it), ``start``, ``end``
    (character offsets of the unit in the text the tokens came from), ``term`` and
    ``surface`` (the unit before spelling folding; words of a multiword unit joined by spaces).
    """
    check_tokens(tokens, rules)
    if rules.learning is not None and model is None:
        (model,) = learn_phrase_models(lambda: [tokens], [rules])
    tokens = _prepared(tokens, rules)
    columns = ["doc_id", "start", "end"] + (["segment_id"] if "segment_id" in tokens else [])
    single_ok = _single_ok(tokens, rules)
    if not rules.phrases and rules.learning is None:
        keep = tokens["is_alpha"].to_numpy(dtype=bool) & single_ok
        occurrences = tokens.loc[keep, [*columns, "term", "surface"]]
        return occurrences.reset_index(drop=True)
    return _occurrences_with_phrases(
        tokens.assign(single_ok=single_ok),
        columns=columns,
        rules=rules,
        model=model if rules.learning is not None else None,
    )


def _single_ok(tokens: pd.DataFrame, rules: TermRules) -> np.ndarray:
    """Which tokens ``rules`` keep as single words (alphabetic or not: the caller asks)."""
    keep = np.ones(len(tokens), dtype=bool)
    if rules.drop_stopwords:
        keep &= ~tokens["is_stop"].to_numpy(dtype=bool)
        if rules.extra_stopwords:
            extra = list(rules.extra_stopwords)
            keep &= ~(tokens["lower"].isin(extra) | tokens["surface"].isin(extra)).to_numpy()
    if rules.min_length > 1:
        keep &= (tokens["surface"].str.len() >= rules.min_length).to_numpy()
    if rules.pos:
        keep &= tokens["pos"].isin(list(rules.pos)).to_numpy()
    return keep


#: Token rows per batch when a whole-corpus stage reads the token tables to count terms
#: (``corpusflow.io.read_documents(..., rows=PIECE_ROWS)``): what one piece's counting holds.
PIECE_ROWS = 1 << 16


def counting_columns(rules: TermRules) -> list[str]:
    """The token-table columns :func:`term_occurrences` and :func:`token_pieces` read (the
    others need not be loaded)."""
    base = ["doc_id", "sentence", "index", "start", "end", "text", "lower", "is_alpha", "is_stop"]
    wanted = (rules.unit, *(["pos"] if rules.pos else []))
    return base + [column for column in wanted if column not in base]


def token_pieces(
    documents: Iterable[tuple[pd.DataFrame, Iterable[pd.DataFrame]]],
) -> Iterator[pd.DataFrame]:
    """Token tables of ``documents`` as pieces of one document each, cut at sentence ends, with
    their tokens' ``segment_id``.

    ``documents`` gives, per document, its segment table and its token table as consecutive
    batches in text order (as :func:`corpusflow.io.read_documents` reads them). A piece holds
    whole sentences of one document, so counting piece by piece counts what counting the
    whole table counts; tokens outside every segment are dropped
    (:func:`corpusflow.segment.tokens_with_segments`). Memory holds one batch and the rest of
    its last sentence.
    """
    for segments, batches in documents:
        carry = None
        for batch in batches:
            if carry is not None and len(carry):
                batch = pd.concat([carry, batch], ignore_index=True)
            if not len(batch):
                continue
            sentence = batch["sentence"].to_numpy()
            earlier = np.flatnonzero(sentence != sentence[-1])
            cut = int(earlier[-1]) + 1 if len(earlier) else 0
            carry = batch.iloc[cut:]
            if cut:
                yield tokens_with_segments(batch.iloc[:cut], segments)
        if carry is not None and len(carry):
            yield tokens_with_segments(carry, segments)


def check_tokens(tokens: pd.DataFrame, rules: TermRules) -> None:
    """A :class:`ConfigError` if ``rules`` keep words by part of speech but the token table has
    none (no ``pos`` column, or an empty one: the pipeline does not tag)."""
    if not rules.pos or ("pos" in tokens and tokens["pos"].astype(bool).any()):
        return
    message = (
        f"{rules.section}.pos is set ({', '.join(rules.pos)}) but the token tables have no "
        "'pos' column, or an empty one (the pipeline does not tag, e.g. tokenise.pipeline: "
        "lookup); tokenise with a pipeline that tags parts of speech, or set "
        f"{rules.section}.pos: []"
    )
    if rules.section == "keyness":
        raise ConfigError("CF504", message)
    raise ConfigError("CF605", message)


def _prepared(tokens: pd.DataFrame, rules: TermRules) -> pd.DataFrame:
    """Tokens in text order with their ``surface`` (the unit), folded ``term`` and
    ``folded_lower`` (the folded lowercase form, which listed phrases match)."""
    tokens = tokens.sort_values(["doc_id", "index"], kind="stable").reset_index(drop=True)
    surface = tokens[rules.unit].astype(str)
    return tokens.assign(
        surface=surface,
        term=fold_spelling(surface, rules.variants),
        folded_lower=fold_spelling(tokens["lower"].astype(str), rules.variants),
    )


def _word_units(tokens: pd.DataFrame, rules: TermRules):
    """The alphabetic tokens with their run number, and the listed-phrase units over them:
    ``(words, first, last, unit_terms)`` (see :func:`_match_listed`)."""
    alpha = tokens["is_alpha"].to_numpy(dtype=bool)
    codes, texts = pd.factorize(tokens["text"], use_na_sentinel=False)
    joiner = np.array([bool(_JOINER.fullmatch(text)) for text in texts], dtype=bool)[codes]
    doc_codes = pd.factorize(tokens["doc_id"])[0]
    sentence = tokens["sentence"].to_numpy()
    boundary = ~(alpha | joiner)
    boundary[1:] |= (doc_codes[1:] != doc_codes[:-1]) | (sentence[1:] != sentence[:-1])
    words = tokens[alpha].assign(run=np.cumsum(boundary)[alpha])
    first, last, unit_terms = _match_listed(
        words["folded_lower"].to_numpy(dtype=object),
        words["run"].to_numpy(),
        words["term"].to_numpy(dtype=object),
        listed_phrases(rules.phrases, rules.variants),
    )
    return words, first, last, unit_terms


def _runs(words, first, last, unit_terms) -> list[list[tuple]]:
    """The units grouped by run: ``[(term, first, last), ...]`` per run, in text order."""
    run = words["run"].to_numpy()
    edges = np.flatnonzero(np.diff(run[first])) + 1
    return [
        list(zip(*parts, strict=True))
        for parts in zip(*(np.split(a, edges) for a in (unit_terms, first, last)), strict=True)
    ]


def learn_phrase_models(
    pieces: Callable[[], Iterable[pd.DataFrame]], rules: Sequence[TermRules]
) -> list:
    """The two-word units gensim ``Phrases`` (NPMI scoring) learns under each of ``rules``
    (all with ``learning`` and one ``unit``) from the token tables ``pieces()`` gives (whole
    sentences each, see :func:`term_occurrences`), frozen, one model per rules.

    ``pieces`` is called twice and must give the same tables each time: once to collect the
    stopwords (the unit forms of stopword tokens, allowed between the two words of a unit;
    connector words are forms, so they are the corpus's, not a shard's), once to count the
    units piece by piece (``Phrases.add_vocab``) into every model, so memory holds one piece
    and the counts, never the corpus. The counts, and so the units, are those of one
    ``Phrases`` over every piece at once (as long as the vocabulary stays under gensim's
    ``max_vocab_size`` of 40 million entries), and the same as learning each model alone.
    """
    from gensim.models.phrases import Phrases

    (unit,) = {r.unit for r in rules}
    stop_forms: set[str] = set()
    for piece in pieces():
        for r in rules:
            check_tokens(piece, r)
        stop = piece["is_alpha"].to_numpy(dtype=bool) & piece["is_stop"].to_numpy(dtype=bool)
        stop_forms.update(piece.loc[stop, unit].astype(str).unique().tolist())
    models = [
        Phrases(
            min_count=r.learning.min_count,
            threshold=r.learning.threshold,
            scoring="npmi",
            delimiter=" ",
            connector_words=frozenset(r.variants.get(form, form) for form in stop_forms),
        )
        for r in rules
    ]
    for piece in pieces():
        for model, r in zip(models, rules, strict=True):
            runs = _runs(*_word_units(_prepared(piece, r), r))
            model.add_vocab([[term for term, _, _ in units] for units in runs])
    return [model.freeze() for model in models]


def phrase_model_record(model) -> dict:
    """A frozen phrase model (:func:`learn_phrase_models`) as plain data for
    ``corpusflow.io.write_json``, so that a later stage can count with the same units without
    learning them again (:func:`phrase_model_from_record`): its settings, its connector words
    (sorted) and every learned unit with its NPMI score. ``None`` (no units learned) gives
    ``{"learned": False}``. JSON keeps the scores' exact values."""
    if model is None:
        return {"learned": False}
    return {
        "learned": True,
        "scoring": "npmi",
        "threshold": float(model.threshold),
        "min_count": int(model.min_count),
        "delimiter": model.delimiter,
        "connector_words": sorted(model.connector_words),
        "phrases": {phrase: float(score) for phrase, score in sorted(model.phrasegrams.items())},
    }


def phrase_model_from_record(record: Mapping):
    """The frozen phrase model of :func:`phrase_model_record` (``None`` if none was learned):
    it merges the same units as the model it was written from."""
    if not record["learned"]:
        return None
    from gensim.models.phrases import FrozenPhrases, npmi_scorer

    if record["scoring"] != "npmi":
        raise ValueError(f"phrase model scoring must be 'npmi', got {record['scoring']!r}")
    model = FrozenPhrases.__new__(FrozenPhrases)
    model.threshold = record["threshold"]
    model.min_count = record["min_count"]
    model.delimiter = record["delimiter"]
    model.scoring = npmi_scorer
    model.connector_words = frozenset(record["connector_words"])
    model.phrasegrams = dict(record["phrases"])
    return model


def _occurrences_with_phrases(tokens, *, columns, rules, model):
    words, first, last, unit_terms = _word_units(tokens, rules)
    if model is not None:
        runs = _runs(words, first, last, unit_terms)
        merged = [unit_ for units in runs for unit_ in _merge_learned(units, model)]
        unit_terms = np.array([term for term, _, _ in merged], dtype=object)
        first = np.array([f for _, f, _ in merged], dtype=np.int64)
        last = np.array([la for _, _, la in merged], dtype=np.int64)

    single = first == last
    dropped = single & ~words["single_ok"].to_numpy(dtype=bool)[first]
    surface_words = words["surface"].to_numpy(dtype=object)
    surface = surface_words[first].copy()
    for index in np.flatnonzero(~single).tolist():
        surface[index] = " ".join(surface_words[first[index] : last[index] + 1])
    occurrences = words.iloc[first][columns].reset_index(drop=True)
    occurrences["end"] = words["end"].to_numpy()[last]
    occurrences["term"] = pd.Series(unit_terms, dtype="str")
    occurrences["surface"] = pd.Series(surface, dtype="str")
    return occurrences[~dropped].reset_index(drop=True)


def _match_listed(lower, run, terms, listed: Sequence[tuple[tuple[str, ...], str]]):
    """Listed phrases (:func:`listed_phrases`) as units, longest first then left to right;
    other words as themselves.

    Returns arrays ``first``, ``last`` (word positions of each unit) and the units' terms,
    ordered by position. A phrase matches consecutive words of one run.
    """
    n = len(lower)
    covered = np.zeros(n, dtype=bool)
    starts, lengths, names = [], [], []
    for words, term in listed:
        k = len(words)
        if n < k:
            continue
        match = run[k - 1 :] == run[: n - k + 1]
        for offset, word in enumerate(words):
            match &= lower[offset : n - k + 1 + offset] == word
        for start in np.flatnonzero(match).tolist():
            if not covered[start : start + k].any():
                covered[start : start + k] = True
                starts.append(start)
                lengths.append(k)
                names.append(term)
    singles = np.flatnonzero(~covered)
    starts = np.array(starts, dtype=np.int64)
    first = np.concatenate([singles, starts])
    last = np.concatenate([singles, starts + np.array(lengths, dtype=np.int64) - 1])
    unit_terms = np.concatenate([terms[singles], np.array(names, dtype=object)])
    order = np.argsort(first, kind="stable")
    return first[order], last[order], unit_terms[order]


def listed_phrases(
    phrases: Sequence[str], variants: Mapping[str, str]
) -> list[tuple[tuple[str, ...], str]]:
    """(folded words, term) of each listed phrase, longest first.

    The term is the phrase as listed (lowercase, single spaces), each word folded by
    ``variants`` ("labour movement" -> "labor movement" when folding to American).
    """
    listed = []
    for phrase in phrases:
        words = tuple(variants.get(word, word) for word in phrase_words(phrase))
        if len(words) < 2:
            raise ValueError(f"phrase {phrase!r} has fewer than two words")
        term = " ".join(
            _WORD.sub(lambda m: variants.get(m.group(0), m.group(0)), part)
            for part in phrase.lower().split()
        )
        listed.append((words, term))
    return sorted(listed, key=lambda item: (-len(item[0]), item[1]))


def _merge_learned(run, model):
    merged, i = [], 0
    for item, score in model.analyze_sentence([term for term, _, _ in run]):
        if score is None:
            merged.append(run[i])
            i += 1
            continue
        k, joined = 1, run[i][0]
        while joined != item:
            joined += " " + run[i + k][0]
            k += 1
        merged.append((item, run[i][1], run[i + k - 1][2]))
        i += k
    return merged
