"""The model-selection sweep: fits over K x seeds and perturbation replicates, and their measures.

One sweep job handles several K values in one process (start-up and imports cost more than a
fit on a small corpus); what every fit needs is built once per job: the vocabulary and bags
of words of the full data (:class:`Corpus`) and the document co-occurrence counts behind the
coherence measures. For each K:

- **seed fits**: gensim ``LdaModel`` on all segments with each seed (one batch update per
  pass, ``chunksize`` = number of segments, up to ``update_segments`` segments; online updates
  of equal chunks on a larger corpus, :func:`fit_schedule`; bitwise reproducible in a fresh
  process, unlike ``LdaMulticore``). Per topic: NPMI and semantic coherence (Mimno et al.
  2011) of the top terms from document co-occurrence, exclusivity (FREX, stm's
  ``exclusivity``), effective number of words and distance from the corpus distribution
  (MALLET's diagnostics).
- **perturbation replicates**: a fit on each replicate's training segments
  (:func:`corpusflow.topics.documents.perturbation_masks`) with a vocabulary fitted on those
  segments only. Its top terms measure perturbation stability; its held-out segments give
  document completion: each held-out segment's words (in the training vocabulary) are split at
  random into an observed and a scored half, the topic mix is inferred from the observed half
  (variational inference) and the scored half is scored with ``log sum_k theta_k phi_kw``.
  This is the **plug-in** estimator (stm's ``eval.heldout``), not the left-to-right estimator
  of Wallach et al. (2009); a unigram model of the training segments (add-one smoothing) is
  scored on the same words as a baseline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.stats import rankdata

from corpusflow.topics.documents import (
    filter_texts,
    perturbation_masks,
    split_heldout_words,
    vocabulary,
)


@dataclass
class Corpus:
    """The full data as every fit of a job sees it: dictionary, bags of words, and the binary
    document-term matrix whose products give co-occurrence counts."""

    texts: list[list[str]]
    dictionary: object
    bows: list
    presence: sparse.csr_matrix
    word_freq: np.ndarray

    @classmethod
    def build(cls, texts: Sequence[Sequence[str]], *, no_below: int, no_above: float) -> Corpus:
        dictionary = vocabulary(texts, no_below=no_below, no_above=no_above)
        kept = filter_texts(texts, dictionary)
        bows = [dictionary.doc2bow(t) for t in kept]
        rows = [d for d, bow in enumerate(bows) for _ in bow]
        cols = [i for bow in bows for i, _ in bow]
        counts = [c for bow in bows for _, c in bow]
        shape = (len(bows), len(dictionary))
        presence = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
        freq = np.asarray(sparse.csr_matrix((counts, (rows, cols)), shape=shape).sum(axis=0))
        return cls(kept, dictionary, bows, presence, freq.ravel())


def fit_schedule(n_docs: int, *, passes: int, update_segments: int) -> tuple[int, int]:
    """``(chunksize, passes)`` of a fit on ``n_docs`` segments.

    Up to ``update_segments`` segments (or with ``update_segments`` = 0): one batch update per
    pass over all segments (``chunksize`` = ``n_docs``), ``passes`` times. More segments are
    split into ``c = ceil(n_docs / update_segments)`` equal chunks, each an online update of
    the topics (Hoffman, Blei & Bach 2010, gensim's ``chunksize``), and the passes become
    ``ceil(passes / c)``: the model still gets at least ``passes`` updates, their step sizes
    falling with the number of updates as in the batch fit (gensim's ``rho``), each estimated
    from at least ``update_segments / 2`` segments, while the variational E-step, nearly all
    of a fit's time, runs over the corpus ``c`` times fewer times. The chunks are drawn from
    the segments in a seeded random order (:func:`fit_lda`), not in text order, so that each
    update sees a sample of the whole corpus.
    """
    if update_segments <= 0 or n_docs <= update_segments:
        return max(n_docs, 1), passes
    chunks = math.ceil(n_docs / update_segments)
    chunksize = math.ceil(n_docs / chunks)
    chunks = math.ceil(n_docs / chunksize)
    return chunksize, max(1, math.ceil(passes / chunks))


def fit_lda(bows: Sequence, dictionary, k: int, seed: int, fit: dict):
    """Fit gensim ``LdaModel`` (:class:`corpusflow.topics.lda.BatchLdaModel`, its E-step
    vectorised) with the updates of :func:`fit_schedule` (one batch update per pass on a
    corpus of up to ``update_segments`` segments), BLAS on one thread so that results do not
    depend on the machine's core count, until its per-word bound settles
    (:meth:`~corpusflow.topics.lda.BatchLdaModel.fit_until_converged`). ``fit``:
    ``passes`` (the most), ``pass_tolerance``, ``iterations``, ``alpha``, ``eta``,
    ``update_segments`` (:attr:`corpusflow.topics.settings.TopicsSettings.fit`). The passes
    made are the model's ``passes_used``."""
    from threadpoolctl import threadpool_limits

    from corpusflow.topics.lda import BatchLdaModel

    bows = list(bows)
    chunksize, passes = fit_schedule(
        len(bows), passes=fit["passes"], update_segments=fit["update_segments"]
    )
    if chunksize < len(bows):  # online updates assume each chunk samples the whole corpus
        order = np.random.default_rng([seed, len(bows)]).permutation(len(bows))
        bows = [bows[i] for i in order]
    with threadpool_limits(limits=1):
        model = BatchLdaModel(
            id2word=dictionary,
            num_topics=k,
            chunksize=chunksize,
            passes=passes,
            iterations=fit["iterations"],
            alpha=fit["alpha"],
            eta=fit["eta"],
            random_state=seed,
            eval_every=None,
        )
        chunks = math.ceil(len(bows) / chunksize) if bows else 1
        model.passes_used = model.fit_until_converged(bows, chunks, fit["pass_tolerance"])
    return model


def top_ids(phi: np.ndarray, n: int) -> np.ndarray:
    """The ``n`` most probable word ids of each topic (rows of ``phi``), ties by id."""
    return np.argsort(-phi, axis=1, kind="stable")[:, :n]


def top_terms(model, n: int) -> list[list[str]]:
    """The ``n`` most probable terms of each topic, in model order."""
    return [[model.id2word[int(i)] for i in row] for row in top_ids(model.get_topics(), n)]


def document_gamma(model, bows: Sequence) -> np.ndarray:
    """Variational Dirichlet parameters (documents x topics) of each document's topic mix."""
    from threadpoolctl import threadpool_limits

    if not bows:
        return np.zeros((0, model.num_topics))
    with threadpool_limits(limits=1):
        gamma, _ = model.inference(list(bows))
    return gamma


# --------------------------------------------------------------------------- measures


def cooccurrence(presence: sparse.csr_matrix, ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Document frequencies of ``ids`` and their co-document frequencies (a matrix)."""
    sub = presence[:, list(ids)]
    both = (sub.T @ sub).toarray()
    return np.diag(both).copy(), both


def npmi_coherence(presence: sparse.csr_matrix, ids: Sequence[int]) -> float:
    """Mean NPMI (-1..1) over pairs of ``ids``, with segments as the co-occurrence window:
    ``log(p(i,j) / (p(i) p(j))) / -log p(i,j)``, -1 for a pair that never co-occurs."""
    n_docs = presence.shape[0]
    single, both = cooccurrence(presence, ids)
    values = []
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            if both[i, j] == 0:
                values.append(-1.0)
                continue
            p_ij = both[i, j] / n_docs
            if p_ij >= 1:
                values.append(1.0)
                continue
            pmi = math.log(p_ij / ((single[i] / n_docs) * (single[j] / n_docs)))
            values.append(pmi / -math.log(p_ij))
    return float(np.mean(values)) if values else math.nan


def semantic_coherence(presence: sparse.csr_matrix, ids: Sequence[int]) -> float:
    """Semantic coherence (Mimno et al. 2011; stm's ``semanticCoherence``) of top words in rank
    order: ``sum_{i>j} log((D(w_i, w_j) + 1) / D(w_j))`` (D: document frequencies)."""
    single, both = cooccurrence(presence, ids)
    total = 0.0
    for i in range(1, len(ids)):
        for j in range(i):
            total += math.log((both[i, j] + 1) / max(single[j], 1))
    return total


def frex_exclusivity(phi: np.ndarray, *, top_n: int, weight: float) -> np.ndarray:
    """stm's ``exclusivity``: per topic, the sum over its ``top_n`` words of FREX, the weighted
    harmonic mean of the word's exclusivity rank and frequency rank within the topic
    (``1 / (w / ECDF(excl) + (1 - w) / ECDF(freq))``, excl = phi / column sums)."""
    excl = phi / phi.sum(axis=0, keepdims=True)
    n_words = phi.shape[1]
    ex = np.apply_along_axis(rankdata, 1, excl) / n_words
    fr = np.apply_along_axis(rankdata, 1, phi) / n_words
    frex = 1.0 / (weight / ex + (1 - weight) / fr)
    index = top_ids(phi, top_n)
    return np.take_along_axis(frex, index, axis=1).sum(axis=1)


def effective_words(phi: np.ndarray) -> np.ndarray:
    """Effective number of words of each topic, ``1 / sum_w phi_w^2`` (MALLET)."""
    return 1.0 / (phi**2).sum(axis=1)


def corpus_distance(phi: np.ndarray, word_freq: np.ndarray) -> np.ndarray:
    """KL divergence (nats) of each topic from the corpus word distribution (MALLET)."""
    corpus = word_freq / word_freq.sum()
    safe = np.where(phi > 0, phi, 1.0)
    return (phi * np.log(safe / np.where(corpus > 0, corpus, 1.0))).sum(axis=1)


def topic_diagnostics(model, corpus: Corpus, *, top_n: int, frex_weight: float) -> dict:
    """Per-topic diagnostics of a full-data model (lists in model order)."""
    phi = model.get_topics()
    ids = top_ids(phi, top_n)
    return {
        "npmi": [npmi_coherence(corpus.presence, row) for row in ids],
        "semantic_coherence": [semantic_coherence(corpus.presence, row) for row in ids],
        "exclusivity": frex_exclusivity(phi, top_n=top_n, weight=frex_weight).tolist(),
        "effective_words": effective_words(phi).tolist(),
        "corpus_distance": corpus_distance(phi, corpus.word_freq).tolist(),
    }


# --------------------------------------------------------------------------- held out


def completion(model, heldout: Sequence[Sequence[str]], train_bows: Sequence, rng) -> dict:
    """Plug-in document completion on held-out texts, against a unigram baseline.

    Words outside the model's (training) vocabulary are dropped; texts left with fewer than
    two words give nothing. Returns the summed log-likelihoods (nats) of the scored words under
    the model and under the unigram model of the training bags of words, and their number.
    """
    token2id = model.id2word.token2id
    observed, scored = [], []
    for text in heldout:
        ids = [token2id[t] for t in text if t in token2id]
        if len(ids) < 2:
            continue
        seen, score = split_heldout_words(ids, rng)
        observed.append(model.id2word.doc2bow([model.id2word[i] for i in seen]))
        scored.append(score)
    n_words = sum(len(s) for s in scored)
    if not n_words:
        return {"model": 0.0, "unigram": 0.0, "words": 0}
    gamma = document_gamma(model, observed)
    theta = gamma / gamma.sum(axis=1, keepdims=True)
    phi = model.get_topics()
    model_ll = sum(float(np.log(theta[d] @ phi[:, ids]).sum()) for d, ids in enumerate(scored))
    counts = np.zeros(len(model.id2word))
    for bow in train_bows:
        for i, c in bow:
            counts[i] += c
    unigram = np.log((counts + 1) / (counts.sum() + len(counts)))
    unigram_ll = sum(float(unigram[ids].sum()) for ids in scored)
    return {"model": model_ll, "unigram": unigram_ll, "words": n_words}


# --------------------------------------------------------------------------- the sweep


@dataclass
class Replicate:
    """A perturbation replicate's data, the same at every K: the vocabulary fitted on its
    training segments, their bags of words, and the held-out texts."""

    dictionary: object
    bows: list
    heldout: list[list[str]]


def replicate_data(
    texts: Sequence[Sequence[str]], masks: np.ndarray, *, no_below: int, no_above: float
) -> list[Replicate]:
    """The :class:`Replicate` of each training mask (built once per job, used at every K)."""
    replicates = []
    for mask in masks:
        train = [texts[i] for i in np.flatnonzero(mask)]
        dictionary = vocabulary(train, no_below=no_below, no_above=no_above)
        bows = [dictionary.doc2bow(t) for t in filter_texts(train, dictionary)]
        heldout = [list(texts[i]) for i in np.flatnonzero(~mask)]
        replicates.append(Replicate(dictionary, bows, heldout))
    return replicates


class Replicates(Sequence):
    """The :class:`Replicate` of each training mask, built when first used and then kept: a
    job plans up to ``max_replicates`` and builds only those its K values fit."""

    def __init__(self, texts: Sequence[Sequence[str]], masks: np.ndarray, filters: dict):
        self._texts, self._masks, self._filters = texts, masks, filters
        self._built: dict[int, Replicate] = {}

    def __len__(self) -> int:
        return len(self._masks)

    def __getitem__(self, r):
        if isinstance(r, slice):
            return [self[i] for i in range(len(self))[r]]
        r = range(len(self))[r]
        if r not in self._built:
            mask = self._masks[r : r + 1]
            self._built[r] = replicate_data(self._texts, mask, **self._filters)[0]
        return self._built[r]


def design(texts: Sequence[Sequence[str]], settings, replicates: int) -> tuple:
    """The full-data :class:`Corpus` of ``texts`` and the data of their first ``replicates``
    perturbation replicates (:class:`Replicates`, built as used), as ``settings`` filter and
    subsample them: what every fit of a sweep job needs, built once per job."""
    filters = {"no_below": settings.no_below, "no_above": settings.no_above}
    masks = perturbation_masks(
        len(texts),
        replicates=replicates,
        fraction=settings.perturbation.fraction,
        seed=settings.perturbation.seed,
    )
    return Corpus.build(texts, **filters), Replicates(texts, masks, filters)


def most_replicates(settings, pilot: int) -> int:
    """The most replicates a side with ``pilot`` pilot replicates can get
    (:mod:`corpusflow.topics.replicates`): what a job plans for."""
    return max(pilot, settings.perturbation.max_replicates)


def random_topics_null(
    word_freq: np.ndarray, k: int, *, top_n: int, draws: int, seed: int
) -> float:
    """Mean matched top-term Jaccard of two sets of ``k`` random topics (Greene et al. 2014's
    baseline): each topic's ``top_n`` words drawn without replacement with probability
    proportional to corpus frequency, matched one-to-one (Hungarian)."""
    from corpusflow.topics.stability import match_topics

    rng = np.random.default_rng([seed, k])
    p = word_freq / word_freq.sum()
    n = min(top_n, int((p > 0).sum()))
    values = []
    for _ in range(draws):
        a = [rng.choice(len(p), size=n, replace=False, p=p).tolist() for _ in range(k)]
        b = [rng.choice(len(p), size=n, replace=False, p=p).tolist() for _ in range(k)]
        values.append(float(match_topics(a, b)[1].mean()))
    return float(np.mean(values))


def seed_fits(corpus: Corpus, k: int, settings, *, seeds: Sequence[int]) -> tuple[list, dict]:
    """The full-data fit of each seed at ``k``: the records (top terms, passes, per-topic
    diagnostics) and the models by seed (for :mod:`corpusflow.topics.final`)."""
    top_n, fit = settings.measure_top_n, settings.fit
    models, records = {}, []
    for seed in seeds:
        model = fit_lda(corpus.bows, corpus.dictionary, k, seed, fit)
        models[seed] = model
        records.append(
            {
                "seed": int(seed),
                "passes": model.passes_used,
                "topics": top_terms(model, top_n),
                **topic_diagnostics(model, corpus, top_n=top_n, frex_weight=settings.frex_weight),
            }
        )
    return records, models


def replicate_record(data: Replicate, r: int, k: int, settings, *, seed: int) -> dict:
    """Replicate ``r``'s fit at ``k`` with ``seed`` (none when its training vocabulary holds
    fewer than ``k`` terms): its top terms, passes and plug-in completion of its held-out
    segments (:func:`completion`), as the sweep's records and the null's hold them."""
    record = {"replicate": r, "topics": [], "model": None, "unigram": None, "words": 0}
    if len(data.dictionary) >= k:
        model = fit_lda(data.bows, data.dictionary, k, seed, settings.fit)
        rng = np.random.default_rng([settings.perturbation.seed, r, 1])
        record.update(
            topics=top_terms(model, settings.measure_top_n),
            passes=model.passes_used,
            **completion(model, data.heldout, data.bows, rng),
        )
    return record


def replicate_fits(
    corpus: Corpus, replicates: Sequence[Replicate], k: int, settings, *, seeds: Sequence[int]
) -> dict:
    """The pilot replicates' fits at ``k`` (``perturbation.replicates`` of ``replicates``, the
    r-th with the r-th seed, cycling: :func:`replicate_record`) and the random-topic null of
    ``corpus``'s words. :func:`extend_side` adds the replicates the pilot's spread asks for."""
    perturbation = settings.perturbation
    records = [
        replicate_record(replicates[r], r, k, settings, seed=int(seeds[r % len(seeds)]))
        for r in range(perturbation.replicates)
    ]
    null = random_topics_null(
        corpus.word_freq,
        k,
        top_n=settings.measure_top_n,
        draws=perturbation.null_draws,
        seed=perturbation.seed,
    )
    return {"replicates": records, "null": null}


def extend_side(
    side: dict,
    replicates: Sequence[Replicate],
    k: int,
    settings,
    *,
    seeds: Sequence[int],
    pilot: int,
) -> None:
    """Complete one side of a K in place (the corpus's record or its null's, each with its
    full-data ``seeds`` records and its ``pilot`` replicates first) with the replicates the
    pilot's spread asks for (:func:`corpusflow.topics.replicates.extend`); replicate r is
    fitted with the r-th of ``seeds``, cycling, as in the pilot."""
    from corpusflow.topics.replicates import extend

    extend(
        side,
        lambda r: replicate_record(replicates[r], r, k, settings, seed=int(seeds[r % len(seeds)])),
        pilot=pilot,
        perturbation=settings.perturbation,
    )


def sweep_k(
    corpus: Corpus, replicates: Sequence[Replicate], k: int, settings, *, seeds: Sequence[int]
) -> tuple[dict, dict]:
    """All fits and measures of the corpus at one K: a full-data fit per seed of ``seeds``
    (:func:`seed_fits`) and the perturbation replicates, the pilot and those its spread asks
    for (:func:`replicate_fits`, :func:`extend_side`; ``replicates``: :func:`design`, built
    once per job and used at every K), with the fits and measures of ``settings``
    (:class:`corpusflow.topics.settings.TopicsSettings`). Returns the record written to the
    sweep table (NaN as None) and the full-data models by seed."""
    seed_records, models = seed_fits(corpus, k, settings, seeds=seeds)
    record = {"k": int(k), "seeds": seed_records}
    record.update(replicate_fits(corpus, replicates, k, settings, seeds=seeds))
    pilot = settings.perturbation.replicates
    extend_side(record, replicates, k, settings, seeds=seeds, pilot=pilot)
    return record, models
