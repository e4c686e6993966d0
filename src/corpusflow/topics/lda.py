"""gensim ``LdaModel`` with its per-document E-step loop run for all documents at once.

gensim's ``LdaModel.inference`` updates each document's variational parameters in a Python
loop, document by document; on a corpus of a few hundred short segments that loop is nearly
all of a fit's time. :class:`BatchLdaModel` keeps everything of gensim's model (the random
initialisation drawn from the model's ``random_state`` in the same order, the priors, the
M-step, the state, saving and loading) and replaces only that loop by the same updates done
on all still-active documents together (sparse products over the documents' word counts).
Each document stops, as in gensim, when its mean absolute change of gamma falls below
``gamma_threshold`` or after ``iterations`` updates, so the results are gensim's up to
floating-point rounding (a test compares the two), and bitwise reproducible run to run.

Each training E-step also adds up the data term of the per-word bound,
``sum_dw n_dw log sum_k exp(E[log theta_dk] + E[log beta_kw])`` over the words it saw
(:attr:`BatchLdaModel.word_bound`), which gensim's bound computes again document by document,
and a :class:`PassMonitor` set on the model ends the fit after the first pass whose bound
changed by less than a tolerance (:func:`corpusflow.topics.sweep.fit_lda`). gensim's update
loop runs unchanged (its step sizes, ``rho``, are those of the full fit), so a fit stopped
after p passes is bitwise the fit of p passes.
"""

from __future__ import annotations

import numpy as np
from gensim.matutils import dirichlet_expectation
from gensim.models import LdaModel
from scipy import sparse


class Converged(Exception):
    """Raised by :class:`PassMonitor` to end a fit whose bound has settled."""


class PassMonitor:
    """Called after each M-step: at the end of every pass (``updates_per_pass`` M-steps), the
    pass's per-word bound is set against the previous pass's; a relative change below
    ``tolerance`` (0: never) raises :class:`Converged`. ``passes``: the passes completed."""

    def __init__(self, updates_per_pass: int, tolerance: float):
        self.updates_per_pass, self.tolerance = updates_per_pass, tolerance
        self.updates, self.passes, self.previous = 0, 0, None

    def __call__(self, model: BatchLdaModel) -> None:
        self.updates += 1
        if self.updates % self.updates_per_pass:
            return
        self.passes += 1
        bound, previous = model.word_bound, self.previous
        model.reset_word_bound()
        self.previous = bound
        if previous is not None and abs(bound - previous) < self.tolerance * abs(previous):
            raise Converged


class BatchLdaModel(LdaModel):
    """``gensim.models.LdaModel`` with a vectorised ``inference`` (see the module docstring)."""

    def _arrays(self, chunk: list) -> tuple:
        """The chunk's words as flat arrays (lengths, document, word id, count), cached for the
        next pass: a fit sees the same chunks of documents in every pass (one chunk in a batch
        fit, several with online updates)."""
        cache = self.__dict__.setdefault("_chunk_cache", {})
        key = (id(chunk[0]), len(chunk)) if chunk else None
        cached = cache.get(key)
        if cached and all(a is b for a, b in zip(cached[0], chunk, strict=True)):
            return cached[1]
        n = len(chunk)
        lengths = np.fromiter((len(doc) for doc in chunk), dtype=np.intp, count=n)
        nnz = int(lengths.sum())
        rows = np.repeat(np.arange(n), lengths)
        cols = np.fromiter((int(i) for doc in chunk for i, _ in doc), dtype=np.intp, count=nnz)
        cts = np.fromiter((c for doc in chunk for _, c in doc), dtype=self.dtype, count=nnz)
        cache[key] = (list(chunk), (lengths, rows, cols, cts))
        return lengths, rows, cols, cts

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_chunk_cache", None)
        state.pop("_word_bound", None)
        state.pop("_monitor", None)
        return state

    def do_mstep(self, rho, other, extra_pass=False):
        super().do_mstep(rho, other, extra_pass)
        monitor = self.__dict__.get("_monitor")
        if monitor is not None:
            monitor(self)

    def fit_until_converged(self, corpus: list, updates_per_pass: int, tolerance: float) -> int:
        """gensim's ``update`` over ``corpus`` (``self.passes`` passes at most), ended early by
        a :class:`PassMonitor`; returns the passes made."""
        monitor = self._monitor = PassMonitor(updates_per_pass, tolerance)
        self.reset_word_bound()
        try:
            self.update(corpus)
        except Converged:
            pass
        finally:
            del self._monitor
        return monitor.passes

    def reset_word_bound(self) -> None:
        """Start adding up the data term of the bound afresh (before a pass)."""
        self._word_bound = [0.0, 0.0]

    @property
    def word_bound(self) -> float:
        """The data term of the bound per word over the training E-steps since
        :meth:`reset_word_bound` (nats; NaN before any)."""
        total, words = self.__dict__.get("_word_bound", (0.0, 0.0))
        return total / words if words else float("nan")

    def inference(self, chunk, collect_sstats=False):
        chunk = list(chunk)
        n, k = len(chunk), self.num_topics
        gamma = self.random_state.gamma(100.0, 1.0 / 100.0, (n, k)).astype(self.dtype, copy=False)
        exp_theta = np.exp(dirichlet_expectation(gamma))
        eps = np.finfo(self.dtype).eps
        lengths, rows, cols, cts = self._arrays(chunk)
        nnz = rows.size
        beta = self.expElogbeta[:, cols].T  # nnz x k
        phinorm = np.einsum("ij,ij->i", exp_theta[rows], beta) + eps
        # A document without words gets gamma = alpha at the first update and stops at the
        # second, as in gensim; the loop below only handles documents with words.
        empty = lengths == 0
        if empty.any():
            gamma[empty] = self.alpha
            exp_theta[empty] = np.exp(dirichlet_expectation(gamma[empty]))
        active = np.flatnonzero(~empty)
        nz = np.arange(nnz)
        doc_of, beta_nz, cts_nz = rows, beta, cts
        position = np.full(n, -1, dtype=np.intp)  # a document's row among the active ones
        position[active] = np.arange(active.size)
        local = position[doc_of]
        starts = np.flatnonzero(np.r_[True, doc_of[1:] != doc_of[:-1]]) if nnz else nz
        for _ in range(self.iterations):
            if not active.size:
                break
            # Sum over each active document's words of cts / phinorm * expElogbeta.
            summed = np.add.reduceat((cts_nz / phinorm[nz])[:, None] * beta_nz, starts, axis=0)
            last = gamma[active]
            new = self.alpha + exp_theta[active] * summed
            gamma[active] = new
            theta_active = np.exp(dirichlet_expectation(new))
            exp_theta[active] = theta_active
            phinorm[nz] = np.einsum("ij,ij->i", theta_active[local], beta_nz) + eps
            still = np.mean(np.abs(new - last), axis=1) >= self.gamma_threshold
            if still.all():
                continue
            active = active[still]
            keep = still[local]
            nz, doc_of, beta_nz, cts_nz = nz[keep], doc_of[keep], beta_nz[keep], cts_nz[keep]
            position[active] = np.arange(active.size)
            local = position[doc_of]
            starts = np.flatnonzero(np.r_[True, doc_of[1:] != doc_of[:-1]]) if nz.size else nz
        sstats = None
        if collect_sstats:
            seen = self.__dict__.setdefault("_word_bound", [0.0, 0.0])
            seen[0] += float(np.dot(cts, np.log(phinorm)))
            seen[1] += float(cts.sum())
            ratio = sparse.csr_matrix((cts / phinorm, (rows, cols)), shape=(n, self.num_terms))
            sstats = np.asarray((ratio.T @ exp_theta).T, dtype=self.dtype)
            sstats *= self.expElogbeta
        return gamma, sstats
