"""The shuffled-words null of the K rule: the same fits on the corpus's words without topics.

Perturbation stability falls with K on real text and on shuffled text alike, so "the most
stable K" picks the smallest K whatever the corpus. The rule therefore compares each K with the
same statistic on a null corpus built from the analysed texts themselves
(:func:`shuffled_words`): every term of every segment is permuted across all segments (seeded)
and the segments keep their lengths, so word frequencies and segment sizes are the corpus's own
while co-occurrence, the only thing a topic model can learn, is gone. At each K the null gets
``null.seeds`` full-data fits (the sweep's first seeds) and ``null.replicates`` perturbation
replicates (the sweep's first subsamples), measured exactly as the real fits
(:func:`null_k`); :func:`corpusflow.topics.stability.k_summary` sets the two side by side.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from corpusflow.topics.sweep import Corpus, Replicate, completion, fit_lda, top_terms


def shuffled_words(texts: Sequence[Sequence[str]], seed: int) -> list[list[str]]:
    """``texts`` with every term permuted across all of them (seeded), each text keeping its
    length: the corpus's words and segment sizes without their co-occurrence."""
    words = np.array([w for text in texts for w in text], dtype=object)
    words = words[np.random.default_rng([seed, len(words)]).permutation(len(words))]
    cuts = np.cumsum([len(text) for text in texts])[:-1]
    return [list(part) for part in np.split(words, cuts)] if len(texts) else []


def null_k(
    corpus: Corpus,
    replicates: Sequence[Replicate],
    k: int,
    *,
    seeds: Sequence[int],
    fit: dict,
    top_n: int,
    heldout_seed: int,
) -> dict:
    """The null's fits at one K: the top terms of a full-data fit per seed of ``seeds`` and,
    per replicate of ``replicates`` (:func:`corpusflow.topics.sweep.replicate_data` of the
    shuffled texts), its top terms and plug-in completion, as in the sweep's own record."""
    seed_records = []
    for s in seeds:
        model = fit_lda(corpus.bows, corpus.dictionary, k, s, fit)
        seed_records.append(
            {"seed": int(s), "passes": model.passes_used, "topics": top_terms(model, top_n)}
        )
    records = []
    for r, data in enumerate(replicates):
        record = {"replicate": r, "topics": [], "model": None, "unigram": None, "words": 0}
        if len(data.dictionary) >= k:
            model = fit_lda(data.bows, data.dictionary, k, int(seeds[r % len(seeds)]), fit)
            rng = np.random.default_rng([heldout_seed, r, 1])
            record.update(
                topics=top_terms(model, top_n),
                passes=model.passes_used,
                **completion(model, data.heldout, data.bows, rng),
            )
        records.append(record)
    return {"seeds": seed_records, "replicates": records}
