"""Topic modelling of the analysed segments: model selection, final model, prevalence by group.

The documents of the topic model are the segments of the analysed texts (two texts are too few
documents). The stage runs in four steps, each a Snakemake rule:

1. :func:`segment_documents` + :func:`filter_vocabulary`: one bag of words per segment.
2. A sweep over K x seeds, one job per run (:func:`evaluate_run`), each fitting gensim
   ``LdaModel`` (bitwise reproducible in a fresh process, unlike ``LdaMulticore``) with one batch
   update per pass (``chunksize`` = number of segments), which recovers planted topics better
   than online updates on corpora this small. Each run is measured by

   - **NPMI coherence** of its topics' top words (gensim ``CoherenceModel``, ``c_npmi``,
     ``processes=1``; multiprocessing hangs or slows on small corpora), over the segments;
   - **document completion** (Wallach et al. 2009): a second model with the same K and seed is
     fitted without the held-out segments (every ``heldout_every``-th segment of each text);
     for each held-out segment the topic mix is inferred from its even-numbered words and the
     odd-numbered words are scored, giving the mean log-likelihood per word (nats; higher is
     better). We use it rather than gensim's ``log_perplexity``, which is a variational bound
     on words the model has already seen: it rewards K mechanically and did not find the
     planted K in our checks. Completion scores genuinely unseen words of unseen passages;
   - **stability** (:func:`stability_table`): the mean Jaccard similarity of the top-word sets
     of topics matched one-to-one (Hungarian algorithm) against every other seed at the same K.
     On planted data only stability found the true K; coherence and the held-out bound did not.

3. The final model at the configured K with the medoid seed (:func:`medoid_seed`: the seed whose
   topics best match the other seeds'), its topic terms with a recurrence score, segment
   proportions, representative passages and an NMF cross-check.
4. Group prevalence with a circular block bootstrap over contiguous segments of each text
   (:func:`prevalence_by_group`, :func:`circular_block_indices`), and the figures.

Topics of the final model are numbered 1..K by decreasing mean proportion over all segments;
``model_topic`` in the terms table gives the topic's index inside the saved gensim model.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from gensim.corpora import Dictionary
from gensim.models import CoherenceModel, LdaModel
from gensim.models.phrases import Phrases
from scipy.optimize import linear_sum_assignment
from threadpoolctl import threadpool_limits

from corpusflow.errors import ConfigError, InputError
from corpusflow.segment import tokens_with_segments

__all__ = [
    "check_topics_config",
    "resolve_seeds",
    "check_k_fits",
    "segment_documents",
    "filter_vocabulary",
    "heldout_mask",
    "fit_lda",
    "top_terms",
    "npmi_coherence",
    "document_topics",
    "completion_loglik",
    "evaluate_run",
    "write_run",
    "read_runs",
    "jaccard",
    "match_topics",
    "stability_table",
    "model_selection_table",
    "suggest_k",
    "medoid_seed",
    "recurrence",
    "FinalModel",
    "fit_final",
    "save_model",
    "read_topic_labels",
    "label_topics",
    "prevalence_order",
    "terms_table",
    "segments_table",
    "passages_table",
    "nmf_agreement",
    "circular_block_indices",
    "prevalence_by_group",
    "plot_model_selection",
    "plot_prevalence",
    "plot_flow",
]

UNITS = ("lemma", "lower")


# --------------------------------------------------------------------------- config


def resolve_seeds(seeds: int | Sequence[int], base_seed: int = 0) -> list[int]:
    """The list of seeds: ``seeds`` itself, or ``base_seed, base_seed + 1, ...`` if a count."""
    if isinstance(seeds, bool):
        raise ConfigError(
            "CF601", f"topics.seeds: expected a count or a list of integers, got {seeds!r}"
        )
    if isinstance(seeds, int):
        return [base_seed + i for i in range(seeds)]
    return [int(s) for s in seeds]


def check_topics_config(config: dict, n_segments: int | None = None) -> None:
    """Raise :class:`ConfigError` if the ``topics`` section of ``config`` cannot work.

    Checks the K range, the chosen K, the seeds and, when ``n_segments`` (the number of
    analysed segments) is known, that every K leaves fewer topics than training segments.
    """
    topics = config.get("topics", {})
    k_min, k_max, k = topics.get("k_min", 3), topics.get("k_max", 15), topics.get("k", 4)
    if k_min < 2:
        raise ConfigError("CF601", f"topics.k_min = {k_min}: a topic model needs at least 2 topics")
    if k_max < k_min:
        raise ConfigError(
            "CF601",
            f"topics.k_min = {k_min} > topics.k_max = {k_max}: the K range is empty; "
            "set k_max >= k_min",
        )
    if k < 2:
        raise ConfigError("CF601", f"topics.k = {k}: the final model needs at least 2 topics")
    seeds = resolve_seeds(topics.get("seeds", 5), topics.get("base_seed", 0))
    if not seeds:
        raise ConfigError(
            "CF601", "topics.seeds: zero seeds; give a count >= 1 or a non-empty list"
        )
    if len(set(seeds)) != len(seeds):
        raise ConfigError(
            "CF601", f"topics.seeds: {seeds} repeats a seed; every seed must be distinct"
        )
    if topics.get("unit", "lemma") not in UNITS:
        raise ConfigError("CF601", f"topics.unit = {topics.get('unit')!r}: use one of {UNITS}")
    if n_segments is not None:
        check_k_fits(max(k_max, k), n_segments, topics.get("heldout_every", 5))


def check_k_fits(k: int, n_segments: int, heldout_every: int = 5) -> None:
    """Raise :class:`ConfigError` unless ``k`` is smaller than the number of training segments
    (all segments minus the held-out ones)."""
    n_train = n_segments - (n_segments // heldout_every if heldout_every else 0)
    if k >= n_train:
        raise ConfigError(
            "CF602",
            f"topics: K = {k} needs more than {k} training segments, but the analysed texts "
            f"give {n_segments} segments ({n_train} for training); lower topics.k_max / "
            "topics.k or segments.target_tokens",
        )


# --------------------------------------------------------------------------- documents


def _join_phrases(sentences: list[list[str]], min_count: int, threshold: float) -> list[list[str]]:
    """Join frequent collocations (NPMI scoring) into single terms such as ``trade_union``."""
    model = Phrases(sentences, min_count=min_count, threshold=threshold, scoring="npmi")
    frozen = model.freeze()
    return [frozen[s] for s in sentences]


def segment_documents(
    tokens: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    unit: str = "lemma",
    drop_stopwords: bool = True,
    extra_stopwords: Sequence[str] = (),
    min_length: int = 2,
    phrases: bool = False,
    phrase_min_count: int = 5,
    phrase_threshold: float = 0.5,
) -> pd.DataFrame:
    """One document per segment: the sequence of its terms.

    Parameters
    ----------
    tokens, segments : DataFrame
        Tables of the tokenise and segment stages (any number of documents).
    unit : {"lemma", "lower"}
        Counting unit: the lowercase lemma or the lowercase word form.
    drop_stopwords : bool
        Drop tokens flagged ``is_stop`` and ``extra_stopwords`` (compared on ``lower`` and on
        the unit).
    min_length : int
        Drop terms shorter than this (OCR debris such as single letters).
    phrases, phrase_min_count, phrase_threshold
        Learn collocations with gensim ``Phrases`` (NPMI scoring, within sentences) and count
        them as one term joined by ``_``.

    Returns
    -------
    DataFrame
        ``doc_id``, ``segment_id``, ``order``, ``terms`` (list of str, in text order), one row
        per segment (also segments left without terms), sorted by ``doc_id`` and ``order``.
    """
    if unit not in UNITS:
        raise ConfigError("CF601", f"topics.unit = {unit!r}: use one of {UNITS}")
    toks = tokens_with_segments(tokens, segments)
    keep = toks["is_alpha"].astype(bool) & (toks[unit].str.len() >= min_length)
    if drop_stopwords:
        extra = {w.lower() for w in extra_stopwords}
        stop = toks["is_stop"].astype(bool) | toks["lower"].isin(extra) | toks[unit].isin(extra)
        keep &= ~stop
    toks = toks[keep]
    groups = toks.groupby(["doc_id", "segment_id", "sentence"], sort=True)[unit]
    keys = list(groups.groups.keys())
    sentences = [list(v) for _, v in groups]
    if phrases and sentences:
        sentences = _join_phrases(sentences, phrase_min_count, phrase_threshold)
    terms: dict[str, list[str]] = {}
    for (_, segment_id, _), sentence in zip(keys, sentences, strict=True):
        terms.setdefault(segment_id, []).extend(sentence)
    docs = segments[["doc_id", "segment_id", "order"]].copy()
    docs["terms"] = [terms.get(s, []) for s in docs["segment_id"]]
    return docs.sort_values(["doc_id", "order"], kind="stable").reset_index(drop=True)


def filter_vocabulary(
    texts: Sequence[Sequence[str]], no_below: int = 3, no_above: float = 0.5
) -> list[list[str]]:
    """Keep terms found in at least ``no_below`` documents and at most a ``no_above`` share."""
    dictionary = Dictionary(texts)
    dictionary.filter_extremes(no_below=no_below, no_above=no_above, keep_n=None)
    vocab = set(dictionary.token2id)
    return [[t for t in text if t in vocab] for text in texts]


def heldout_mask(orders: Sequence[int], every: int) -> np.ndarray:
    """True for every ``every``-th segment of a text (orders every-1, 2*every-1, ...).

    Spreading the held-out segments evenly along each text keeps every part of every text
    represented in training. ``every = 0`` holds out nothing.
    """
    orders = np.asarray(orders, dtype=int)
    if every <= 0:
        return np.zeros(len(orders), dtype=bool)
    return orders % every == every - 1


# --------------------------------------------------------------------------- one model


def fit_lda(
    texts: Sequence[Sequence[str]],
    k: int,
    seed: int,
    *,
    passes: int = 50,
    iterations: int = 100,
    alpha: str | float = "symmetric",
    eta: str | float = "symmetric",
    dictionary: Dictionary | None = None,
) -> LdaModel:
    """Fit gensim ``LdaModel`` with one batch update per pass (``chunksize`` = all documents).

    BLAS runs on one thread so that results do not depend on the machine's core count.
    """
    dictionary = dictionary if dictionary is not None else Dictionary(texts)
    bows = [dictionary.doc2bow(t) for t in texts]
    with threadpool_limits(limits=1):
        return LdaModel(
            corpus=bows,
            id2word=dictionary,
            num_topics=k,
            chunksize=max(len(bows), 1),
            passes=passes,
            iterations=iterations,
            alpha=alpha,
            eta=eta,
            random_state=seed,
            eval_every=None,
        )


def top_terms(model: LdaModel, topn: int = 10) -> list[list[str]]:
    """The ``topn`` most probable terms of each topic, in model order."""
    return [
        [model.id2word[i] for i, _ in model.get_topic_terms(t, topn=topn)]
        for t in range(model.num_topics)
    ]


def npmi_coherence(
    topics: Sequence[Sequence[str]], texts: Sequence[Sequence[str]], dictionary: Dictionary
) -> list[float]:
    """NPMI coherence (-1..1) of each topic's terms, co-occurrence counted in ``texts``."""
    model = CoherenceModel(
        topics=[list(t) for t in topics],
        texts=[list(t) for t in texts],
        dictionary=dictionary,
        coherence="c_npmi",
        topn=max(len(t) for t in topics),
        processes=1,
    )
    return [float(c) for c in model.get_coherence_per_topic()]


def document_topics(model: LdaModel, bows: Sequence) -> np.ndarray:
    """Topic proportions (documents x topics, rows sum to 1) by variational inference."""
    if not bows:
        return np.zeros((0, model.num_topics))
    with threadpool_limits(limits=1):
        gamma, _ = model.inference(list(bows))
    return gamma / gamma.sum(axis=1, keepdims=True)


def completion_loglik(model: LdaModel, texts: Sequence[Sequence[str]]) -> float:
    """Document completion: mean log-likelihood (nats) of held-out words given the rest.

    For each text, the topic mix is inferred from its even-position terms and the odd-position
    terms are scored with ``log(sum_k theta_k * phi_k,w)``. Terms outside the model's
    vocabulary are ignored. NaN when nothing is left to score.
    """
    token2id = model.id2word.token2id
    observed, scored = [], []
    for text in texts:
        ids = [token2id[t] for t in text if t in token2id]
        if len(ids) >= 2:
            observed.append(model.id2word.doc2bow([model.id2word[i] for i in ids[0::2]]))
            scored.append(ids[1::2])
    if not scored:
        return math.nan
    theta = document_topics(model, observed)
    phi = model.get_topics()
    total = sum(float(np.log(theta[d] @ phi[:, ids]).sum()) for d, ids in enumerate(scored))
    return total / sum(len(ids) for ids in scored)


def evaluate_run(
    texts: Sequence[Sequence[str]],
    heldout: Sequence[bool],
    k: int,
    seed: int,
    *,
    top_n: int = 10,
    passes: int = 50,
    iterations: int = 100,
    alpha: str | float = "symmetric",
    eta: str | float = "symmetric",
) -> dict:
    """One sweep run: fit at (K, seed) on all segments and on the training segments; measure.

    Returns a dict with ``k``, ``seed``, ``coherence_npmi`` (mean over topics),
    ``completion_loglik`` and ``topics`` (top ``top_n`` terms of each topic), the input of
    :func:`stability_table` and :func:`medoid_seed`.
    """
    dictionary = Dictionary(texts)
    params = {"passes": passes, "iterations": iterations, "alpha": alpha, "eta": eta}
    model = fit_lda(texts, k, seed, dictionary=dictionary, **params)
    topics = top_terms(model, top_n)
    coherence = npmi_coherence(topics, texts, dictionary)
    heldout = np.asarray(heldout, dtype=bool)
    completion = math.nan
    if heldout.any():
        train = [t for t, h in zip(texts, heldout, strict=True) if not h]
        test = [t for t, h in zip(texts, heldout, strict=True) if h]
        train_model = fit_lda(train, k, seed, dictionary=dictionary, **params)
        completion = completion_loglik(train_model, test)
    return {
        "k": int(k),
        "seed": int(seed),
        "coherence_npmi": float(np.mean(coherence)),
        "completion_loglik": completion,
        "topics": topics,
    }


def write_run(run: dict, path: str | Path) -> None:
    """Write one run's result as JSON (sorted keys; NaN written as null)."""
    clean = {key: (None if isinstance(v, float) and math.isnan(v) else v) for key, v in run.items()}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(clean, sort_keys=True, indent=1) + "\n", encoding="utf-8")


def read_runs(paths: Sequence[str | Path]) -> list[dict]:
    """Read run results written by :func:`write_run`, sorted by (k, seed)."""
    runs = []
    for path in paths:
        run = json.loads(Path(path).read_text(encoding="utf-8"))
        for key in ("coherence_npmi", "completion_loglik"):
            run[key] = math.nan if run[key] is None else run[key]
        runs.append(run)
    return sorted(runs, key=lambda r: (r["k"], r["seed"]))


# --------------------------------------------------------------------------- across seeds


def jaccard(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]]) -> np.ndarray:
    """Jaccard similarity of every topic term set in ``a`` with every one in ``b``."""
    sets_a, sets_b = [set(t) for t in a], [set(t) for t in b]
    return np.array([[len(x & y) / len(x | y) if x | y else 0.0 for y in sets_b] for x in sets_a])


def match_topics(
    a: Sequence[Sequence[str]], b: Sequence[Sequence[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """One-to-one matching of topics in ``a`` to topics in ``b`` maximising total Jaccard.

    Returns ``partner`` (for each topic of ``a``, the index of its match in ``b``, -1 if none)
    and ``similarity`` (the matched pair's Jaccard, 0 if none).
    """
    sim = jaccard(a, b)
    rows, cols = linear_sum_assignment(sim, maximize=True)
    partner = np.full(len(a), -1)
    similarity = np.zeros(len(a))
    partner[rows] = cols
    similarity[rows] = sim[rows, cols]
    return partner, similarity


def _mean_match(runs: list[dict]) -> np.ndarray:
    """Matrix of mean matched Jaccard between the runs' topic sets (diagonal NaN)."""
    n = len(runs)
    out = np.full((n, n), np.nan)
    for i in range(n):
        for j in range(i + 1, n):
            _, sim = match_topics(runs[i]["topics"], runs[j]["topics"])
            out[i, j] = out[j, i] = float(sim.mean())
    return out


def stability_table(runs: list[dict]) -> pd.DataFrame:
    """Stability of each run: mean matched top-term Jaccard against the other seeds at its K.

    NaN when a K has a single seed.
    """
    rows = []
    by_k: dict[int, list[dict]] = {}
    for run in runs:
        by_k.setdefault(run["k"], []).append(run)
    for k in sorted(by_k):
        group = sorted(by_k[k], key=lambda r: r["seed"])
        match = _mean_match(group)
        for i, run in enumerate(group):
            others = np.delete(match[i], i)
            value = float(others.mean()) if others.size else math.nan
            rows.append({"k": k, "seed": run["seed"], "stability": value})
    return pd.DataFrame(rows, columns=["k", "seed", "stability"])


def model_selection_table(runs: list[dict]) -> pd.DataFrame:
    """One row per (k, seed): ``coherence_npmi``, ``completion_loglik``, ``stability``."""
    measures = pd.DataFrame(
        [
            {
                "k": r["k"],
                "seed": r["seed"],
                "coherence_npmi": r["coherence_npmi"],
                "completion_loglik": r["completion_loglik"],
            }
            for r in runs
        ]
    )
    table = measures.merge(stability_table(runs), on=["k", "seed"], validate="one_to_one")
    return table.sort_values(["k", "seed"], kind="stable").reset_index(drop=True)


def suggest_k(table: pd.DataFrame) -> int:
    """The largest K whose mean stability is within one standard deviation (across seeds) of
    the most stable K's mean: a one-standard-error rule that prefers a finer model when the
    evidence cannot tell it from the most stable one. A hint for choosing ``topics.k``."""
    stats = table.groupby("k")["stability"].agg(["mean", "std"]).fillna({"std": 0.0})
    best = stats["mean"].idxmax()
    close = stats.index[stats["mean"] >= stats.loc[best, "mean"] - stats.loc[best, "std"]]
    return int(close.max())


def medoid_seed(runs: list[dict], k: int) -> int:
    """The seed at ``k`` whose topics best match the other seeds' (smallest seed on ties)."""
    stab = stability_table([r for r in runs if r["k"] == k])
    if stab.empty:
        raise InputError("CF603", f"no sweep run at K = {k}; run the sweep for this K first")
    stab = stab.fillna({"stability": 0.0})
    best = stab.sort_values(["stability", "seed"], ascending=[False, True], kind="stable")
    return int(best["seed"].iloc[0])


def recurrence(
    topics: Sequence[Sequence[str]],
    other_runs: Sequence[Sequence[Sequence[str]]],
    threshold: float = 0.5,
) -> np.ndarray:
    """Share of the other runs in which each topic reappears.

    A topic reappears in a run when its one-to-one (Hungarian) partner there has a top-term
    Jaccard of at least ``threshold``. NaN for every topic when there are no other runs.
    """
    if not other_runs:
        return np.full(len(topics), np.nan)
    hits = np.zeros(len(topics))
    for other in other_runs:
        _, sim = match_topics(topics, other)
        hits += sim >= threshold
    return hits / len(other_runs)


@dataclass
class FinalModel:
    """The final model and what the tables need from it.

    ``order[i]`` is the model topic shown as topic ``i + 1``; ``topics`` and ``recurrence``
    follow that order; ``theta`` (segments x topics) is in model order.
    """

    model: LdaModel
    seed: int
    theta: np.ndarray
    order: np.ndarray
    topics: list[list[str]]
    recurrence: np.ndarray


def fit_final(
    texts: Sequence[Sequence[str]],
    runs: list[dict],
    k: int,
    *,
    top_n: int = 10,
    recurrence_threshold: float = 0.5,
    passes: int = 50,
    iterations: int = 100,
    alpha: str | float = "symmetric",
    eta: str | float = "symmetric",
) -> FinalModel:
    """Refit the medoid seed's model at ``k`` on all segments and score its topics' recurrence.

    ``runs`` are the sweep results at ``k`` (:func:`evaluate_run`), one per seed. The refit is
    the sweep's own full-data fit (``LdaModel`` is bitwise reproducible); a mismatch with the
    run's recorded top terms means the runs came from other data or parameters, and is an error.
    """
    runs = [r for r in runs if r["k"] == k]
    seed = medoid_seed(runs, k)
    dictionary = Dictionary(texts)
    model = fit_lda(
        texts,
        k,
        seed,
        dictionary=dictionary,
        passes=passes,
        iterations=iterations,
        alpha=alpha,
        eta=eta,
    )
    topics = top_terms(model, top_n)
    recorded = next(r for r in runs if r["seed"] == seed)["topics"]
    if topics != recorded:
        raise InputError(
            "CF603",
            f"the refit at K = {k}, seed {seed} differs from its sweep run; rerun the sweep "
            "(the runs were made with other documents or parameters)",
        )
    theta = document_topics(model, [dictionary.doc2bow(t) for t in texts])
    order = prevalence_order(theta)
    others = [r["topics"] for r in runs if r["seed"] != seed]
    scores = recurrence(topics, others, recurrence_threshold)
    return FinalModel(
        model=model,
        seed=seed,
        theta=theta,
        order=order,
        topics=[topics[i] for i in order],
        recurrence=scores[order],
    )


def save_model(model: LdaModel, path: str | Path) -> None:
    """Save ``model`` with gensim (``path`` plus companion files), byte-identical run to run.

    gensim records a wall-clock "lifecycle event" in every object it creates or saves; those
    records are switched off first. ``ignore=()`` keeps gensim's fixed list of attributes left
    out of the pickle: any other value is passed through a ``set``, whose order (and so the
    file's bytes) changes with Python's string-hash seed. Load with
    ``gensim.models.LdaModel.load(path)``.
    """
    for obj in (model, model.state, model.id2word):
        obj.lifecycle_events = None
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    model.save(str(path), ignore=())


# --------------------------------------------------------------------------- labels


def read_topic_labels(path: str | Path) -> pd.DataFrame:
    """Read a labels file: TSV with columns ``terms`` (space-separated) and ``label``."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(
            "CF102", f"topics.labels_file: {path} does not exist; fix the path or set ''"
        )
    table = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, comment="#")
    missing = {"terms", "label"} - set(table.columns)
    if missing:
        raise InputError(
            "CF604", f"{path}: missing column(s) {sorted(missing)}; need 'terms' and 'label'"
        )
    for line, row in enumerate(table.itertuples(), start=2):
        if not row.terms.split() or not row.label.strip():
            raise InputError(
                "CF604", f"{path}, line {line}: both 'terms' and 'label' must be non-empty"
            )
    return table[["terms", "label"]]


def label_topics(
    topics: Sequence[Sequence[str]],
    labels: pd.DataFrame | None = None,
    n_default: int = 3,
) -> tuple[list[str], list[str]]:
    """Label each topic: by default its top ``n_default`` terms joined by " / ".

    A row of ``labels`` (see :func:`read_topic_labels`) names every topic whose top terms
    contain all the row's terms. When several rows match one topic, the row with the most terms
    wins (then the earlier row). Returns the labels and the ``terms`` of rows that matched no
    topic, so the caller can report them (topics change with K, seeds and the corpus).
    """
    result = [" / ".join(t[:n_default]) for t in topics]
    if labels is None or labels.empty:
        return result, []
    best = [-1] * len(topics)
    matched = set()
    for i, row in enumerate(labels.itertuples()):
        keys = set(row.terms.split())
        for t, terms in enumerate(topics):
            if keys <= set(terms):
                matched.add(i)
                if best[t] < 0 or len(keys) > len(labels["terms"].iloc[best[t]].split()):
                    best[t] = i
    for t, i in enumerate(best):
        if i >= 0:
            result[t] = labels["label"].iloc[i]
    unmatched = [labels["terms"].iloc[i] for i in range(len(labels)) if i not in matched]
    return result, unmatched


# --------------------------------------------------------------------------- final tables


def prevalence_order(theta: np.ndarray) -> np.ndarray:
    """Model topic indices sorted by decreasing mean proportion (topic 1 = most prevalent)."""
    return np.argsort(-theta.mean(axis=0), kind="stable")


def terms_table(
    model: LdaModel,
    order: np.ndarray,
    labels: Sequence[str],
    recurrence_scores: Sequence[float],
    top_n: int = 15,
) -> pd.DataFrame:
    """Long table of each topic's top terms: topic, label, model_topic, recurrence, rank, term,
    weight (the term's probability in the topic)."""
    rows = []
    for number, model_topic in enumerate(order, start=1):
        for rank, (term_id, weight) in enumerate(
            model.get_topic_terms(int(model_topic), topn=top_n), start=1
        ):
            rows.append(
                {
                    "topic": number,
                    "label": labels[number - 1],
                    "model_topic": int(model_topic),
                    "recurrence": float(recurrence_scores[number - 1]),
                    "rank": rank,
                    "term": model.id2word[term_id],
                    "weight": float(weight),
                }
            )
    return pd.DataFrame(rows)


def segments_table(
    documents: pd.DataFrame,
    segments: pd.DataFrame,
    theta: np.ndarray,
    order: np.ndarray,
    labels: Sequence[str],
    groups: dict[str, str],
) -> pd.DataFrame:
    """Long table of topic proportions per segment with its document, group and position.

    ``theta`` rows follow ``documents``' rows; ``order`` maps topic numbers to model topics.
    """
    pos = documents[["doc_id", "segment_id", "order"]].merge(
        segments[["segment_id", "start", "end", "n_tokens"]], on="segment_id", how="left"
    )
    pos.insert(1, "group", pos["doc_id"].map(groups))
    frames = []
    for number, model_topic in enumerate(order, start=1):
        frame = pos.copy()
        frame["topic"] = number
        frame["label"] = labels[number - 1]
        frame["proportion"] = theta[:, model_topic]
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values(["doc_id", "order", "topic"], kind="stable").reset_index(drop=True)


def passages_table(
    segment_topics: pd.DataFrame, texts: dict[str, str], n_passages: int = 3
) -> pd.DataFrame:
    """The ``n_passages`` segments with the highest proportion of each topic, with their text.

    ``texts`` maps ``doc_id`` to the text the segment offsets point into; whitespace in a
    passage (line and paragraph breaks) is collapsed to single spaces so each row is one line.
    """
    ranked = segment_topics.sort_values(
        ["topic", "proportion", "doc_id", "order"],
        ascending=[True, False, True, True],
        kind="stable",
    )
    top = ranked.groupby("topic", sort=True).head(n_passages).copy()
    top.insert(2, "rank", top.groupby("topic").cumcount() + 1)
    top["text"] = [
        " ".join(texts[d][s:e].split())
        for d, s, e in zip(top["doc_id"], top["start"], top["end"], strict=True)
    ]
    columns = ["topic", "label", "rank", "proportion", "doc_id", "group", "segment_id", "order"]
    return top[[*columns, "start", "end", "text"]].reset_index(drop=True)


def nmf_agreement(
    texts: Sequence[Sequence[str]],
    lda_topics: Sequence[Sequence[str]],
    theta: np.ndarray,
    k: int,
    seed: int,
    top_n: int = 10,
) -> pd.DataFrame:
    """Cross-check with scikit-learn NMF on TF-IDF of the same documents, matched to LDA.

    NMF (``init="nndsvd"``, deterministic) with K components is fitted on the segments'
    TF-IDF matrix; its components are matched one-to-one to the LDA topics (rows of
    ``lda_topics`` and columns of ``theta``, in the same order) by top-term Jaccard. For each LDA
    topic the table gives its partner, their Jaccard, the shared terms and the Pearson
    correlation of the two topics' weights across segments (NMF weights normalised per segment).
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=lambda doc: doc, lowercase=False)
    matrix = vectorizer.fit_transform([list(t) for t in texts])
    vocab = vectorizer.get_feature_names_out()
    with threadpool_limits(limits=1):
        nmf = NMF(n_components=k, init="nndsvd", random_state=seed, max_iter=1000)
        weights = nmf.fit_transform(matrix)
    nmf_topics = [list(vocab[np.argsort(-row, kind="stable")[:top_n]]) for row in nmf.components_]
    partner, similarity = match_topics(lda_topics, nmf_topics)
    totals = weights.sum(axis=1, keepdims=True)
    share = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
    rows = []
    for t, (c, sim) in enumerate(zip(partner, similarity, strict=True)):
        a, b = theta[:, t], share[:, c]
        corr = float(np.corrcoef(a, b)[0, 1]) if a.std() > 0 and b.std() > 0 else math.nan
        shared = [w for w in lda_topics[t] if w in set(nmf_topics[c])]
        rows.append(
            {
                "nmf_component": int(c),
                "jaccard": float(sim),
                "segment_correlation": corr,
                "shared_terms": " ".join(shared),
                "lda_terms": " ".join(lda_topics[t]),
                "nmf_terms": " ".join(nmf_topics[c]),
            }
        )
    return pd.DataFrame(rows)


def circular_block_indices(n: int, block_size: int, rng: np.random.Generator) -> np.ndarray:
    """One circular block-bootstrap resample of a text's ``n`` segments, as indices into them.

    Blocks of ``block_size`` contiguous segments start anywhere in ``0..n-1`` with equal chance
    and wrap round the end of the text (``(start + arange(block_size)) % n``); they are joined
    and cut to ``n``. Wrapping gives every segment the same chance of being drawn; blocks that
    stop at the text's end (a moving-block bootstrap) under-draw the first and last segments,
    which biases the replicates and can push the interval off the mean.
    """
    b = min(block_size, n)
    starts = rng.integers(0, n, size=math.ceil(n / b))
    return ((starts[:, None] + np.arange(b)) % n).ravel()[:n]


def prevalence_by_group(
    segment_topics: pd.DataFrame,
    *,
    n_boot: int = 2000,
    block_size: int = 5,
    seed: int = 1,
    level: float = 0.95,
) -> pd.DataFrame:
    """Mean topic proportion per group with a circular block-bootstrap percentile interval.

    Neighbouring segments of a text share their themes, so resampling single segments would
    understate the uncertainty. Each replicate rebuilds every text of the group from blocks of
    ``block_size`` contiguous segments (:func:`circular_block_indices`: blocks start anywhere,
    wrap round the text's end and never cross texts, so every segment has the same weight),
    cut to the text's length; the group mean is the mean over all its segments. ``low`` and
    ``high`` are the replicates' (1 - level)/2 and (1 + level)/2 quantiles: a percentile
    interval, which may be asymmetric about ``mean`` and, for very skewed data, need not
    contain it. Groups and their texts are processed in sorted order with one generator seeded
    by ``seed``, so the table is reproducible. Replicates are summed one at a time per text, so
    memory grows with the longest text, not with ``n_boot``.
    """
    rng = np.random.default_rng(seed)
    wide = segment_topics.pivot_table(
        index=["group", "doc_id", "order"], columns="topic", values="proportion", sort=True
    )
    labels = segment_topics.drop_duplicates("topic").set_index("topic")["label"]
    rows = []
    for group, frame in wide.groupby(level="group", sort=True):
        sums = np.zeros((n_boot, frame.shape[1]))
        for _, doc in frame.groupby(level="doc_id", sort=True):
            values = doc.to_numpy()
            for replicate in range(n_boot):
                resample = circular_block_indices(len(values), block_size, rng)
                sums[replicate] += values[resample].sum(axis=0)
        replicate_means = sums / len(frame)
        low, high = np.quantile(replicate_means, [(1 - level) / 2, (1 + level) / 2], axis=0)
        mean = frame.to_numpy().mean(axis=0)
        for j, topic in enumerate(frame.columns):
            rows.append(
                {
                    "group": group,
                    "topic": int(topic),
                    "label": labels[topic],
                    "mean": float(mean[j]),
                    "low": float(low[j]),
                    "high": float(high[j]),
                    "n_segments": len(frame),
                }
            )
    table = pd.DataFrame(rows)
    return table.sort_values(["topic", "group"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- figures


def _topic_names(table: pd.DataFrame) -> list[str]:
    names = table.drop_duplicates("topic").sort_values("topic")
    return [f"T{t}  {lab}" for t, lab in zip(names["topic"], names["label"], strict=True)]


def plot_model_selection(table: pd.DataFrame, chosen_k: int | None = None):
    """Three panels (stability, NPMI coherence, document completion) against K: each seed as a
    dot, the mean across seeds as a line with a band of +/- one standard deviation."""
    import matplotlib.pyplot as plt

    from corpusflow.plotting import PALETTE, apply_style

    apply_style()
    panels = [
        ("stability", "Stability\n(matched top-10 Jaccard)"),
        ("coherence_npmi", "Coherence\n(mean NPMI of top terms)"),
        ("completion_loglik", "Document completion\n(log-likelihood per word, nats)"),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), sharex=True)
    for ax, (column, ylabel) in zip(axes, panels, strict=True):
        stats = table.groupby("k")[column].agg(["mean", "std"]).fillna(0.0)
        ax.scatter(table["k"], table[column], s=12, color=PALETTE[4], alpha=0.7, label="seed")
        ax.plot(stats.index, stats["mean"], color=PALETTE[0], marker="o", ms=4, label="mean")
        ax.fill_between(
            stats.index,
            stats["mean"] - stats["std"],
            stats["mean"] + stats["std"],
            color=PALETTE[0],
            alpha=0.15,
            label="mean ± 1 sd",
        )
        if chosen_k is not None:
            ax.axvline(chosen_k, color=PALETTE[5], linestyle="--", label=f"chosen K = {chosen_k}")
        ax.set_xlabel("Number of topics K")
        ax.set_ylabel(ylabel)
        ax.set_xticks(sorted(table["k"].unique()))
    axes[0].legend(loc="best", fontsize=8)
    n_seeds = table.groupby("k")["seed"].nunique().max()
    fig.suptitle(f"Topic model selection: {n_seeds} seeds per K (higher is better)")
    fig.tight_layout()
    return fig


def plot_prevalence(
    prevalence: pd.DataFrame, group_labels: dict[str, str] | None = None, level: float = 0.95
):
    """Dot-and-whisker plot: mean topic proportion per group with its bootstrap interval.

    The interval is a percentile interval, so its whiskers may differ in length; a whisker on a
    side where the interval does not reach the mean is drawn with length 0.
    ``group_labels`` maps group ids to the names shown in the legend.
    """
    import matplotlib.pyplot as plt

    from corpusflow.plotting import PALETTE, apply_style

    apply_style()
    names = _topic_names(prevalence)
    groups = sorted(prevalence["group"].unique())
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(names) + 1.6))
    offsets = np.linspace(-0.2, 0.2, len(groups)) if len(groups) > 1 else [0.0]
    for colour, group, off in zip(PALETTE, groups, offsets, strict=False):
        rows = prevalence[prevalence["group"] == group].sort_values("topic")
        y = rows["topic"].to_numpy() + off
        ax.errorbar(
            rows["mean"],
            y,
            # A percentile interval need not contain the mean; clip so the bar stops at the dot.
            xerr=np.clip([rows["mean"] - rows["low"], rows["high"] - rows["mean"]], 0, None),
            fmt="o",
            color=colour,
            capsize=3,
            label=(group_labels or {}).get(group, group),
        )
    ax.set_yticks(range(1, len(names) + 1), names)
    ax.invert_yaxis()
    ax.set_xlabel(
        f"Mean topic proportion per segment ({level:.0%} block-bootstrap percentile interval)"
    )
    ax.set_title("Topic prevalence by group")
    ax.legend(title="Group", loc="best", fontsize=8)
    fig.tight_layout()
    return fig


def plot_flow(segment_topics: pd.DataFrame):
    """Heat map per text: topic proportions (rows) along the text, segment by segment."""
    import matplotlib.pyplot as plt

    from corpusflow.plotting import apply_style

    apply_style()
    names = _topic_names(segment_topics)
    docs = sorted(segment_topics["doc_id"].unique())
    widths = [segment_topics.loc[segment_topics["doc_id"] == d, "order"].nunique() for d in docs]
    fig, axes = plt.subplots(
        1,
        len(docs),
        figsize=(min(3 + 0.09 * sum(widths) + 1.5 * len(docs), 24), 0.4 * len(names) + 2),
        gridspec_kw={"width_ratios": widths},
        squeeze=False,
    )
    image = None
    for ax, doc in zip(axes[0], docs, strict=True):
        wide = segment_topics[segment_topics["doc_id"] == doc].pivot_table(
            index="topic", columns="order", values="proportion", sort=True
        )
        image = ax.imshow(
            wide.to_numpy(), aspect="auto", cmap="viridis", vmin=0, vmax=1, interpolation="none"
        )
        ax.set_title(doc)
        ax.set_xlabel("Segment (position in the text)")
        ax.grid(False)
        ax.set_yticks(range(len(names)), names if ax is axes[0][0] else [])
    fig.colorbar(image, ax=axes[0].tolist(), label="Topic proportion in segment", shrink=0.8)
    fig.suptitle("Topic flow along each text")
    return fig
