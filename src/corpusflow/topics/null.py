"""The shuffled-words null of the K rule: the same fits on the corpus's words without topics.

Perturbation stability falls with K on real text and on shuffled text alike, so "the most
stable K" picks the smallest K whatever the corpus. The rule therefore compares each K with the
same statistic on a null corpus built from the analysed texts themselves
(:func:`shuffled_words`): every term of every segment is permuted across all segments (seeded)
and the segments keep their lengths, so word frequencies and segment sizes are the corpus's own
while co-occurrence, the only thing a topic model can learn, is gone. At each K the null gets
``null.seeds`` full-data fits (the sweep's first seeds) and ``null.replicates`` pilot
perturbation replicates (the sweep's first subsamples), more as their spread asks, decided as
for the corpus (:mod:`corpusflow.topics.replicates`), measured exactly as the real fits
(:func:`null_k`); :func:`corpusflow.topics.stability.k_summary` sets the two side by side.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from corpusflow.topics.sweep import Corpus, Replicate, fit_lda, replicate_record, top_terms


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
    settings,
    *,
    seeds: Sequence[int],
    pilot: int,
) -> dict:
    """The null's pilot fits at one K: the top terms of a full-data fit per seed of ``seeds``
    and the first ``pilot`` (``null.replicates``) of ``replicates`` (the shuffled texts'
    :func:`~corpusflow.topics.sweep.design`; :func:`~corpusflow.topics.sweep.replicate_record`),
    as in the sweep's own record. :func:`~corpusflow.topics.sweep.extend_side` adds the
    replicates the pilot's spread asks for, as for the corpus."""
    seed_records = []
    for s in seeds:
        model = fit_lda(corpus.bows, corpus.dictionary, k, s, settings.fit)
        seed_records.append(
            {
                "seed": int(s),
                "passes": model.passes_used,
                "topics": top_terms(model, settings.measure_top_n),
            }
        )
    records = [
        replicate_record(replicates[r], r, k, settings, seed=int(seeds[r % len(seeds)]))
        for r in range(pilot)
    ]
    return {"seeds": seed_records, "replicates": records}
