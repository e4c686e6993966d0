"""The final model at the chosen K, its labels, tables, flags and posterior for prevalence.

The final model is the medoid seed's full-data fit from the sweep (the seed whose topics best
match the other seeds'). Its topics are numbered 1..K by decreasing mean proportion over all
segments; ``model_topic`` gives the topic's index inside the saved gensim model. The other
seeds' fits at the same K are matched to it one-to-one (Hungarian algorithm on the cosine
similarity of their topic-word distributions) and give the recurrence of each topic and the
posterior draws pooled in prevalence (:mod:`corpusflow.topics.prevalence`).

A topic is **flagged** when it is not reproducible: it reappears in fewer than
``min_recurrence`` of the other seeds, or its NMF partner shares less than ``min_nmf_jaccard``
of its top terms; or when it is a text's identity rather than a theme: at least
``text_identity_share`` of its words come from one document. Flagged topics are readings to
check, not findings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from corpusflow.errors import InputError
from corpusflow.topics.stability import match_topics, medoid_seed, recurrence
from corpusflow.topics.sweep import document_gamma, top_terms


def align(reference: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """For each topic of ``reference`` (rows), the matching topic (row) of ``phi``: Hungarian
    matching on the cosine similarity of the topic-word distributions."""
    a = reference / np.linalg.norm(reference, axis=1, keepdims=True)
    b = phi / np.linalg.norm(phi, axis=1, keepdims=True)
    rows, cols = linear_sum_assignment(a @ b.T, maximize=True)
    return cols[np.argsort(rows)]


@dataclass
class FinalModel:
    """The final model and what the tables need from it.

    ``order[i]`` is the model topic shown as topic ``i + 1``; ``topics`` and ``recurrence``
    follow that order; ``gamma`` (seed -> segments x topics) is in display order for every
    seed; ``alpha`` is the model's prior in display order.
    """

    model: object
    seed: int
    order: np.ndarray
    topics: list[list[str]]
    recurrence: np.ndarray
    gamma: dict[int, np.ndarray]
    alpha: np.ndarray

    @property
    def theta(self) -> np.ndarray:
        """The final model's topic proportions (segments x topics, display order)."""
        g = self.gamma[self.seed]
        return g / g.sum(axis=1, keepdims=True)


def final_model(
    models: dict[int, object], bows: Sequence, *, top_n: int, recurrence_threshold: float
) -> FinalModel:
    """The medoid seed's model among ``models`` (seed -> full-data fit at one K)."""
    if not models:
        raise InputError("CF603", "no sweep model at the chosen K; rerun the sweep")
    topics_by_seed = {seed: top_terms(m, top_n) for seed, m in models.items()}
    seed = medoid_seed(topics_by_seed)
    model = models[seed]
    gamma = document_gamma(model, bows)
    theta = gamma / gamma.sum(axis=1, keepdims=True)
    order = np.argsort(-theta.mean(axis=0), kind="stable")
    reference = model.get_topics()[order]
    gammas = {}
    for other_seed, other in sorted(models.items()):
        g = gamma if other_seed == seed else document_gamma(other, bows)
        perm = order if other_seed == seed else align(reference, other.get_topics())
        gammas[int(other_seed)] = g[:, perm]
    topics = [topics_by_seed[seed][i] for i in order]
    others = [topics_by_seed[s] for s in sorted(models) if s != seed]
    return FinalModel(
        model=model,
        seed=int(seed),
        order=order,
        topics=topics,
        recurrence=recurrence(topics, others, recurrence_threshold),
        gamma=gammas,
        alpha=np.asarray(model.alpha, dtype=float)[order],
    )


# --------------------------------------------------------------------------- labels


def label_topics(
    topics: Sequence[Sequence[str]], labels: pd.DataFrame | None, n_default: int = 3
) -> tuple[list[str], list[str]]:
    """Label each topic: by default its top ``n_default`` terms joined by " / ".

    A row of ``labels`` (columns ``terms``, ``label``; see ``corpusflow.io.read_topic_labels``)
    names every topic whose top terms contain all the row's terms; when several rows match one
    topic, the row with the most terms wins (then the earlier row). Returns the labels and the
    ``terms`` of rows that matched no topic, so the caller can report them.
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


# --------------------------------------------------------------------------- tables


def document_shares(
    theta: np.ndarray, lengths: Sequence[int], doc_ids: Sequence[str]
) -> pd.DataFrame:
    """Per topic (display order): the document carrying the largest share of the topic's words
    (segment proportion x the segment's words, summed per document) and that share."""
    words = theta * np.asarray(lengths, dtype=float)[:, None]
    per_doc = pd.DataFrame(words).groupby(np.asarray(doc_ids), sort=True).sum()
    totals = per_doc.sum(axis=0).replace(0, np.nan)
    return pd.DataFrame(
        {
            "main_document": per_doc.idxmax(axis=0).to_numpy(),
            "main_document_share": (per_doc.max(axis=0) / totals).fillna(0.0).to_numpy(),
        }
    )


def topic_flags(diagnostics: pd.DataFrame, thresholds: dict, n_documents: int) -> list[str]:
    """Why each topic fails ("" when it passes), reasons joined by "; ": "no recurrence"
    (reappears in fewer than ``min_recurrence`` of the other seeds), "no NMF partner" (partner
    Jaccard below ``min_nmf_jaccard``), "text identity" (at least ``text_identity_share`` of
    its words from one document, with more than one document)."""
    several = n_documents > 1
    flags = []
    for row in diagnostics.itertuples():
        reasons = []
        if not math.isnan(row.recurrence) and row.recurrence < thresholds["min_recurrence"]:
            reasons.append("no recurrence")
        if row.nmf_jaccard < thresholds["min_nmf_jaccard"]:
            reasons.append("no NMF partner")
        if several and row.main_document_share >= thresholds["text_identity_share"]:
            reasons.append("text identity")
        flags.append("; ".join(reasons))
    return flags


def diagnostics_table(final: FinalModel, corpus, *, top_n: int, frex_weight: float) -> pd.DataFrame:
    """Per topic (display order): NPMI, semantic coherence, FREX exclusivity, effective
    number of words, distance from the corpus distribution, recurrence across seeds."""
    from corpusflow.topics.sweep import topic_diagnostics

    diag = topic_diagnostics(final.model, corpus, top_n=top_n, frex_weight=frex_weight)
    table = pd.DataFrame({key: np.asarray(v)[final.order] for key, v in diag.items()})
    table.insert(0, "topic", range(1, len(final.order) + 1))
    table["recurrence"] = final.recurrence
    return table


def terms_table(
    final: FinalModel, labels: Sequence[str], diagnostics: pd.DataFrame, *, top_n: int
) -> pd.DataFrame:
    """Long table of each topic's top terms with its label, diagnostics and flag."""
    rows = []
    phi = final.model.get_topics()
    per_topic = diagnostics.set_index("topic")
    for number, model_topic in enumerate(final.order, start=1):
        ids = np.argsort(-phi[model_topic], kind="stable")[:top_n]
        for rank, term_id in enumerate(ids, start=1):
            rows.append(
                {
                    "topic": number,
                    "label": labels[number - 1],
                    "model_topic": int(model_topic),
                    "flag": per_topic.loc[number, "flag"],
                    "rank": rank,
                    "term": final.model.id2word[int(term_id)],
                    "weight": float(phi[model_topic, term_id]),
                }
            )
    table = pd.DataFrame(rows)
    return table.merge(per_topic.drop(columns="flag"), left_on="topic", right_index=True)


def segments_table(
    documents: pd.DataFrame,
    segments: pd.DataFrame,
    theta: np.ndarray,
    labels: Sequence[str],
    groups: dict[str, str],
    flags: Sequence[str],
) -> pd.DataFrame:
    """Long table of topic proportions per segment with its document, group and position
    (``order``, character offsets ``start``/``end``, token positions) and the topic's label and
    flag. ``theta`` rows follow ``documents``' rows, columns are in display order."""
    pos = documents[["doc_id", "segment_id", "order", "n_tokens", "token_start", "token_end"]]
    pos = pos.merge(segments[["segment_id", "start", "end"]], on="segment_id", how="left")
    pos.insert(1, "group", pos["doc_id"].map(groups))
    frames = []
    for number in range(1, theta.shape[1] + 1):
        frame = pos.copy()
        frame["topic"] = number
        frame["label"] = labels[number - 1]
        frame["flag"] = flags[number - 1]
        frame["proportion"] = theta[:, number - 1]
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values(["doc_id", "order", "topic"], kind="stable").reset_index(drop=True)


def posterior_table(final: FinalModel, documents: pd.DataFrame) -> pd.DataFrame:
    """Each seed's variational Dirichlet parameters per segment and topic (display order),
    with the topic's prior ``alpha`` and whether the seed is the final model's (``final``):
    the input of the prevalence draws and of the seeds' disagreement."""
    frames = []
    for seed, gamma in sorted(final.gamma.items()):
        for t in range(gamma.shape[1]):
            frames.append(
                pd.DataFrame(
                    {
                        "seed": seed,
                        "final": seed == final.seed,
                        "segment_id": documents["segment_id"].to_numpy(),
                        "topic": t + 1,
                        "gamma": gamma[:, t],
                        "alpha": final.alpha[t],
                    }
                )
            )
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values(["seed", "segment_id", "topic"], kind="stable").reset_index(drop=True)


def passages_table(
    segment_topics: pd.DataFrame, texts: dict[str, str], *, n_passages: int
) -> pd.DataFrame:
    """The ``n_passages`` segments with the highest proportion of each topic, with their text
    (whitespace collapsed to single spaces so each row is one line)."""
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
    *,
    seed: int,
    top_n: int,
) -> pd.DataFrame:
    """Cross-check with scikit-learn NMF on TF-IDF of the same documents, matched to LDA.

    NMF (``init="nndsvd"``, deterministic) with K = len(lda_topics) components; components are
    matched one-to-one to the LDA topics by top-term Jaccard. Per LDA topic: its partner, their
    Jaccard, the shared terms and the Pearson correlation of the two topics' weights across
    segments (NMF weights normalised per segment)."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer
    from threadpoolctl import threadpool_limits

    k = len(lda_topics)
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
                "topic": t + 1,
                "nmf_component": int(c),
                "jaccard": float(sim),
                "segment_correlation": corr,
                "shared_terms": " ".join(shared),
                "lda_terms": " ".join(lda_topics[t]),
                "nmf_terms": " ".join(nmf_topics[c]),
            }
        )
    return pd.DataFrame(rows)
