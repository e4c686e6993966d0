"""A scratch rebuild of issue #23's offline prototype, outside the package, to test its claim.

Run from the repository root (tuning halves only):
  PYTHONPATH=src python benchmarks/prototype_channel.py [--data overproof-en] [--half tuning]
  [--set KEY=VALUE ...]  (a field of :class:`Options`, e.g. --set min_gain=1 --set joins=false)

The issue says a quick prototype (symspellpy candidates at edit distance <= 2 over wordfreq
words, an OCR confusion model learned by self-training on the document's own OCR, the CMU
trigram model of the ``pocketsphinx`` wheel, decoding over the whole document with a gain
threshold, joins across lost line-end hyphens) cut WER by 39% on a newspaper set's held-out
half. This script is that recipe, built independently of the project's decoder: only the
documents, the split, the scores (``evaluate_external_ocr``) and the trigram model's loader
(``corpusflow.cleaning.trigram``) are the project's.

- Tokens: runs of letters (inner apostrophes kept); a gap between two tokens that holds
  anything but whitespace (punctuation, digits) cuts the language model's context. Letters
  touching digits and lone letters are kept as written but stay in the context.
- Readings: a token outside the vocabulary (wordfreq's ``vocab_size`` most frequent English
  words) gets symspellpy's words within ``nonword_distance`` edits, and the words one or two
  OCR confusions away (rn/m, li/h, cl/d, ...); a word of the vocabulary gets those within
  ``realword_distance``; the ``top`` best by channel and unigram are kept. Two tokens across a
  line break are also read as one word (the line-end hyphen lost), the letters as written or
  within one edit.
- Channel: log10 P(ocr | reading) by a weighted edit distance, ``edit_log10`` an edit and
  ``confusion_log10`` an OCR confusion; self-training (``learn``: none, document or corpus)
  makes each operation of the first pass's corrections likelier by log10(1 + its count), at
  most ``learn_cap``, and decides again.
- Language model: the trigram model, log10 P(word | two before); a word it does not know is
  scored by its wordfreq frequency (at least ``unk_log10``) and cuts the history.
- Decision: with ``whole`` a beam Viterbi over each stretch between context cuts finds the
  best reading of all tokens together; without, each token is read with the text as written
  around it. A change is applied when the best path loses at least ``min_gain`` (log10) by
  putting the token back as written (plus ``realword_extra`` for a word of the vocabulary).
  The reading takes the case of the token (capitalised or in capitals).

Prints the same figures as ``evaluate_external_ocr.py`` (WER, words-alone WER, CER,
documents better/same/worse by CER and by words-alone WER, errors fixed per class) and words
per CPU-second.

What it reached against the project, and the ablations: docs/cleaning.md § Measuring.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import re
import sys
import time
from collections import Counter, namedtuple
from dataclasses import dataclass
from functools import lru_cache

import evaluate_external_ocr as ev
import wordfreq
import yaml
from symspellpy import SymSpell, Verbosity

from corpusflow.cleaning import trigram

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
DIGIT_NEAR = re.compile(r"\d")
SENTENCE_END = re.compile(r"[.!?:]")
HYPHEN_BEFORE = re.compile(r"[-¬]\s*\n\s*$")
HYPHEN_AFTER = re.compile(r"^[-¬]\s*\n")
#: OCR confusions, (reading, as printed), both directions at ``confusion_log10``.
PAIRS = [("m", "rn"), ("h", "li"), ("d", "cl"), ("n", "ri"), ("w", "vv"), ("u", "ii"),
         ("m", "in"), ("n", "ii"), ("h", "b"), ("e", "c"), ("o", "c"), ("c", "e"), ("a", "s"),
         ("i", "l"), ("l", "i"), ("t", "f"), ("f", "t"), ("n", "u"), ("u", "n"), ("e", "o"),
         ("a", "o"), ("r", "i"), ("b", "h"), ("ll", "u"), ("ll", "h"), ("th", "tli")]  # fmt: skip
CONFUSIONS = {(a, b) for a, b in PAIRS} | {(b, a) for a, b in PAIRS}
Edit = namedtuple("Edit", "start end after rule")


@dataclass
class Options:
    vocab_size: int = 100_000
    nonword_distance: int = 2
    realword_distance: int = 1
    top: int = 8
    beam: int = 12
    edit_log10: float = -2.0
    confusion_log10: float = -1.0
    unk_log10: float = -9.0
    join_log10: float = -1.0
    min_gain: float = 2.0
    realword_extra: float = 1.0
    learn: str = "document"
    learn_cap: float = 1.0
    joins: bool = True
    whole: bool = True
    realwords: bool = True
    case_restore: bool = True
    names: bool = False
    hyphen_parts: bool = True


@dataclass
class Token:
    start: int
    end: int
    text: str
    fixed: bool
    cut_before: bool
    line_before: bool
    sentence_start: bool


class Lexicon:
    """wordfreq's most frequent English words and a symspellpy index over them."""

    def __init__(self, options: Options):
        words = [w for w in wordfreq.top_n_list("en", options.vocab_size) if w.isalpha()]
        self.words = set(words)
        self.index = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word in words:
            self.index.create_dictionary_entry(word, 1)

    @lru_cache(maxsize=1 << 18)  # noqa: B019 (one lexicon per run)
    def near(self, form: str, distance: int) -> tuple[str, ...]:
        if distance <= 0:
            return ()
        found = {s.term for s in self.index.lookup(form, Verbosity.ALL, distance)}
        for reading, printed in CONFUSIONS:
            at = form.find(printed)
            while at >= 0:
                variant = form[:at] + reading + form[at + len(printed) :]
                if variant in self.words:
                    found.add(variant)
                at = form.find(printed, at + 1)
        found.discard(form)
        return tuple(sorted(found))


class Channel:
    """log10 P(ocr | reading) by a weighted edit distance; costs learned by self-training."""

    def __init__(self, options: Options, learned: dict | None = None):
        self.options, self.learned = options, learned or {}

    def cost(self, a: str, b: str) -> float:
        if (a, b) in self.learned:
            return self.learned[(a, b)]
        if (a, b) in CONFUSIONS:
            return self.options.confusion_log10
        return self.options.edit_log10 * max(1, len(a), len(b))

    def score(self, ocr: str, reading: str) -> tuple[float, tuple]:
        """(log10, operations) of printing ``reading`` as ``ocr``: the operations of the
        likeliest alignment under the prior, each at its (learned) cost."""
        ops = align(ocr, reading, self.options.edit_log10, self.options.confusion_log10)
        return sum(self.cost(*op) for op in ops), ops


MULTI = [(a, b) for a, b in CONFUSIONS if len(a) + len(b) > 2]


@lru_cache(maxsize=1 << 20)
def align(o: str, r: str, edit: float, confusion: float) -> tuple:
    """The operations (reading part, printed part) of the likeliest way to print ``r`` as
    ``o``: an edit costs ``edit`` (log10), an OCR confusion ``confusion``."""
    n, m = len(r), len(o)
    best = {(0, 0): (0.0, ())}
    for i in range(n + 1):
        for j in range(m + 1):
            if (i, j) not in best:
                continue
            here, ops = best[(i, j)]
            steps = []
            if i < n and j < m:
                op = None if r[i] == o[j] else (r[i], o[j])
                steps.append(
                    (1, 1, op, 0.0 if op is None else confusion if op in CONFUSIONS else edit)
                )
            if i < n:
                steps.append((1, 0, (r[i], ""), edit))
            if j < m:
                steps.append((0, 1, ("", o[j]), edit))
            for a, b in MULTI:
                if r.startswith(a, i) and o.startswith(b, j):
                    steps.append((len(a), len(b), (a, b), confusion))
            for di, dj, op, cost in steps:
                value, target = here + cost, (i + di, j + dj)
                if target not in best or value > best[target][0]:
                    best[target] = (value, ops + ((op,) if op else ()))
    return best[(n, m)][1]


def learn(corrections: list[tuple[str, str]], options: Options) -> dict:
    """Each operation of the first pass's corrections (ocr, reading) made likelier by
    log10(1 + its count), at most ``learn_cap``."""
    if options.learn == "none" or not corrections:
        return {}
    prior = Channel(options)
    counts = Counter(op for ocr, reading in corrections for op in prior.score(ocr, reading)[1])
    return {
        op: min(-0.1, prior.cost(*op) + min(options.learn_cap, math.log10(1 + count)))
        for op, count in counts.items()
    }


def tokens(text: str, parts: bool = True) -> list[Token]:
    """The letter tokens of ``text``; with ``parts``, a token beside a line-end hyphen (a
    part of a broken word, which the scores join) is kept as written."""
    found, last = [], 0
    matches = list(WORD.finditer(text))
    for k, match in enumerate(matches):
        start, end = match.span()
        gap = text[last:start]
        after = text[end : matches[k + 1].start()] if k + 1 < len(matches) else ""
        touching = text[max(0, start - 1) : start] + text[end : end + 1]
        fixed = len(match.group()) < 2 or bool(DIGIT_NEAR.search(touching))
        fixed |= parts and bool(HYPHEN_BEFORE.search(gap) or HYPHEN_AFTER.match(after))
        found.append(Token(start, end, match.group(), fixed, bool(gap.strip()) or not found,
                           "\n" in gap and not gap.strip(),
                           not found or bool(SENTENCE_END.search(gap))))  # fmt: skip
        last = end
    return found


def cased(model: str, word: str) -> str:
    if model.lower() == word:
        return model
    if len(model) > 1 and model.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


class Decoder:
    def __init__(self, options: Options, lexicon: Lexicon):
        self.options, self.lexicon = options, lexicon

    def unit(self, word: str, h1, h2) -> tuple[float, bool]:
        """(log10 P(word | h1 h2), whether the model knows the word)."""
        if trigram.known(word):
            return trigram.log10(word, h1, h2), True
        zipf = wordfreq.zipf_frequency(word, "en")
        return max(self.options.unk_log10, zipf - 9 if zipf > 0 else -99.0), False

    def options_for(self, run: list[Token], i: int, channel: Channel) -> list[tuple]:
        """Arcs from token i: (length, word, channel log10, is the text as written)."""
        token, o = run[i], self.options
        form = token.text.lower()
        arcs = [(1, form, 0.0, True)]
        if not token.fixed:
            real = form in self.lexicon.words
            name = o.names and token.text[:1].isupper() and not token.sentence_start
            if real and (not o.realwords or name):
                distance = 0
            else:
                distance = o.realword_distance if real else o.nonword_distance
            arcs += [(1, w, channel.score(form, w)[0], False)
                     for w in self.lexicon.near(form, distance)]  # fmt: skip
        if o.joins and i + 1 < len(run) and run[i + 1].line_before and not run[i + 1].fixed:
            joined = form + run[i + 1].text.lower()
            if run[i + 1].text[:1].islower():
                for w in (joined, *self.lexicon.near(joined, 1)):
                    if w in self.lexicon.words:
                        arcs.append((2, w, o.join_log10 + channel.score(joined, w)[0], False))
        head, rest = arcs[:1], arcs[1:]
        rest.sort(key=lambda a: -(a[2] + wordfreq.zipf_frequency(a[1], "en")))
        return head + rest[: o.top]

    def viterbi(self, lattice: list[list[tuple]]) -> list[tuple]:
        """The best sequence of arcs through ``lattice`` (arcs by start), beam-pruned."""
        states = {0: {(None, None): (0.0, None)}}
        for i in range(len(lattice)):
            ranked = sorted(states.get(i, {}).items(), key=lambda kv: -kv[1][0])
            for (h1, h2), (score, _) in ranked[: self.options.beam]:
                for arc in lattice[i]:
                    lm, known = self.unit(arc[1], h1, h2)
                    key = (h2, arc[1]) if known else (None, None)
                    value = score + lm + arc[2]
                    slot = states.setdefault(i + arc[0], {})
                    if key not in slot or value > slot[key][0]:
                        slot[key] = (value, (i, (h1, h2), arc))
        end = states[len(lattice)]
        key = max(end, key=lambda k: end[k][0])
        path = []
        while end[key][1] is not None:
            i, key, arc = end[key][1]
            path.append(arc)
            end = states[i]
        return path[::-1]

    def path_score(self, path: list[tuple]) -> float:
        total, h1, h2 = 0.0, None, None
        for arc in path:
            lm, known = self.unit(arc[1], h1, h2)
            total += lm + arc[2]
            h1, h2 = (h2, arc[1]) if known else (None, None)
        return total

    def decide(self, run: list[Token], lattice: list[list[tuple]]) -> list[tuple[int, tuple]]:
        """Changed arcs (start, arc) whose gain reaches the threshold."""
        plain = [lattice[i][0] for i in range(len(run))]
        paths = []
        if self.options.whole:
            path = self.viterbi(lattice)
            starts = [sum(arc[0] for arc in path[:k]) for k in range(len(path))]
            paths = [(path, place) for place, arc in enumerate(path) if not arc[3]]
        else:
            for i in range(len(run)):
                tries = [plain[:i] + [arc] + plain[i + arc[0] :] for arc in lattice[i][1:]]
                if tries:
                    paths.append((max(tries, key=self.path_score), i))
        changes = []
        for path, place in paths:
            start = starts[place] if self.options.whole else place
            if self.gain(run, lattice, path, place, start):
                changes.append((start, path[place]))
        return changes

    def gain(self, run, lattice, path, place, start) -> bool:
        """Whether putting the arc at ``place`` of ``path`` back as written loses enough."""
        arc = path[place]
        back = [lattice[k][0] for k in range(start, start + arc[0])]
        gain = self.path_score(path) - self.path_score(path[:place] + back + path[place + 1 :])
        need = self.options.min_gain
        if arc[0] == 1 and run[start].text.lower() in self.lexicon.words:
            need += self.options.realword_extra
        return gain >= need

    def document(self, text: str, channel: Channel) -> list[tuple[Token, Token, str]]:
        """Corrections (first token, last token, reading) of one document."""
        runs, found = [], []
        for token in tokens(text, self.options.hyphen_parts):
            if token.cut_before or not runs:
                runs.append([])
            runs[-1].append(token)
        for run in runs:
            lattice = [self.options_for(run, i, channel) for i in range(len(run))]
            for i, arc in self.decide(run, lattice):
                found.append((run[i], run[i + arc[0] - 1], arc[1]))
        return found


def correct(docs, options: Options, lexicon: Lexicon) -> list[list[Edit]]:
    decoder = Decoder(options, lexicon)
    first = [decoder.document(d.ocr, Channel(options)) for d in docs]
    if options.learn == "none":
        passes = first
    elif options.learn == "corpus":
        pairs = [(a.text.lower(), w) for f in first for a, b, w in f if a is b]
        channel = Channel(options, learn(pairs, options))
        passes = [decoder.document(d.ocr, channel) for d in docs]
    else:
        passes = []
        for d, f in zip(docs, first, strict=True):
            pairs = [(a.text.lower(), w) for a, b, w in f if a is b]
            passes.append(decoder.document(d.ocr, Channel(options, learn(pairs, options))))
    restore = cased if options.case_restore else (lambda _, w: w)
    return [
        [Edit(a.start, b.end, restore(a.text, w), "proto") for a, b, w in f if a.text != w]
        for f in passes
    ]


def score(docs, edits) -> dict:
    totals, by_cer, by_bare, errors, fixed = Counter(), Counter(), Counter(), Counter(), Counter()
    for document, found in zip(docs, edits, strict=True):
        gold, before, after = document.gold(), document.apply([]), document.apply(found)
        w0, words, c0, _ = ev.error_counts(before, gold)
        w1, _, c1, _ = ev.error_counts(after, gold)
        b0, bare = ev.bare_word_errors(before, gold)
        b1, _ = ev.bare_word_errors(after, gold)
        found_errors, mended, damaged = ev.error_classes(before, after, gold)
        errors.update(found_errors)
        fixed.update(mended)
        totals["damaged"] += damaged
        totals.update(w0=w0, w1=w1, words=words, b0=b0, b1=b1, bare=bare, c0=c0, c1=c1,
                      chars=len(ev.normalise(gold)), edits=len(found))  # fmt: skip
        by_cer["better" if c1 < c0 else "worse" if c1 > c0 else "same"] += 1
        by_bare["better" if b1 < b0 else "worse" if b1 > b0 else "same"] += 1
    return {"totals": totals, "cer": by_cer, "bare": by_bare, "errors": errors, "fixed": fixed}


def report(result: dict, seconds: float, ocr_words: int) -> None:
    t = result["totals"]

    def cut(a, b):
        return f"{t[a] / t[b]:.4f} -> {t[a.replace('0', '1')] / t[b]:.4f} ({(t[a.replace('0', '1')] - t[a]) / t[a]:+.1%})"  # noqa: E501

    print(f"  WER {cut('w0', 'words')}, words alone {cut('b0', 'bare')}, CER {cut('c0', 'chars')}")
    docs = lambda c: f"{c['better']}/{c['same']}/{c['worse']}"  # noqa: E731
    print(f"  documents better/same/worse: by CER {docs(result['cer'])}, by words-alone WER "
          f"{docs(result['bare'])}; {t['edits']} edits; {ocr_words / seconds:.0f} words per "
          f"CPU-second ({seconds:.0f} s)")  # fmt: skip
    errors, fixed = result["errors"], result["fixed"]
    print("  errors fixed per class: "
          + ", ".join(f"{k} {fixed[k]}/{errors[k]}" for k in ev.CLASSES if errors[k])
          + f"; gold words damaged {t['damaged']}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", choices=ev.SETS, default="overproof-en")
    parser.add_argument("--half", choices=("tuning", "all"), default="tuning")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    changes = {k: yaml.safe_load(v) for k, _, v in (s.partition("=") for s in args.set)}
    options = dataclasses.replace(Options(), **changes)
    docs = ev.documents(args.data, args.half)
    started = time.process_time()
    trigram.model()
    edits = correct(docs, options, Lexicon(options))
    seconds = time.process_time() - started
    print(f"{args.data}, {args.half} half: {len(docs)} documents; {changes or 'defaults'}")
    report(score(docs, edits), seconds, sum(len(d.ocr.split()) for d in docs))


if __name__ == "__main__":
    sys.exit(main())
