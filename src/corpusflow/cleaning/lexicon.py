"""Word evidence: English lexicon, bigram context, OCR-confusion distance, spelling variants.

The English evidence ships inside installed wheels and works offline: word frequencies from
``wordfreq`` (Zipf scale) and the unigram and bigram frequency dictionaries bundled with
``symspellpy``. The corpus's own vocabulary (the document and its witnesses) is added to it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from corpusflow import io

TOKEN = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)*", re.UNICODE)

#: Character groups OCR engines confuse; a substitution inside a group costs ``CONFUSION_COST``.
CONFUSABLE_GROUPS = ["ceoa", "iltfj1!|I", "mnrhb", "unvy", "s58", "gq9y", "o0", "b6h", "kx"]
#: Multi-character confusions (either direction), at ``CONFUSION_COST``.
CONFUSABLE_PAIRS = [
    ("rn", "m"),
    ("cl", "d"),
    ("li", "h"),
    ("ii", "u"),
    ("vv", "w"),
    ("in", "m"),
    ("ni", "m"),
    ("fi", "th"),
    ("m", "th"),
    ("tl", "d"),
    ("ri", "n"),
    ("11", "ll"),
    ("u", "ll"),  # "wiU", "fuU": a capital U read for ll
    ("h", "ll"),  # "wiH", "aH": a capital H read for ll
    ("d", "il"),  # "wdl", "tdl": a d read for il or ll
    ("d", "ll"),
    # the differences diagnose_channel.py found most often where the gold was no reading
    ("ii", "h"),  # "tiie", "II." for "the", "H."
    ("il", "h"),  # "tile" for "the"
    ("mi", "nd"),  # "ami" for "and"
    ("in", "hi"),  # "winch" for "which"
    ("s", "a"),  # "inataoee" for "instance"
]
CONFUSION_COST = 0.5


#: Lowercase character pairs inside one of :data:`CONFUSABLE_GROUPS`.
_CONFUSABLE = frozenset(
    (x.lower(), y.lower()) for group in CONFUSABLE_GROUPS for x in group for y in group
)
_PAIRS = [(p, q) for x, y in CONFUSABLE_PAIRS for p, q in ((x, y), (y, x))]


@cache
def _pair_ends(a: str) -> list[list[tuple[int, str]]]:
    """For each position of lowercase ``a``, the multi-character confusions ``(len(p), q)``
    whose side ``p`` ends there."""
    ending: list[list[tuple[int, str]]] = [[] for _ in a]
    for p, q in _PAIRS:
        start = a.find(p)
        while start >= 0:
            ending[start + len(p) - 1].append((len(p), q))
            start = a.find(p, start + 1)
    return ending


@cache
def ocr_distance(a: str, b: str) -> float:
    """Edit distance where OCR confusions (``e``/``c``, ``rn``/``m``, ``f``/``t``...) cost 0.5.

    Case-insensitive; insertions, deletions and other substitutions cost 1.
    """
    a, b = a.lower(), b.lower()
    ending = _pair_ends(a)
    previous_rows: list[list[float]] = []
    row = [float(j) for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        previous_rows.append(row)
        current = [float(i)] + [0.0] * len(b)
        char, pairs = a[i - 1], ending[i - 1]
        for j in range(1, len(b) + 1):
            if char == b[j - 1]:
                substitution = 0.0
            else:
                substitution = CONFUSION_COST if (char, b[j - 1]) in _CONFUSABLE else 1.0
            best = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + substitution)
            for lp, q in pairs:
                lq = len(q)
                if lq <= j and b[j - lq : j] == q:
                    best = min(best, previous_rows[i - lp][j - lq] + CONFUSION_COST)
            current[j] = best
        row = current
    return row[-1]


@cache
def spelling_key(word: str, transliteration: bool = True) -> str:
    """A key equal for spelling variants: British/American (labour/labor, -ise/-ize,
    centre/center, defence/defense), older English (publick/public, expence/expense) and, if
    ``transliteration``, common transliteration variants of Russian
    names (-eff/-ev, -tzky/-tsky, -ky/-ki, -ay/-ai).
    """
    key = unicodedata.normalize("NFKD", word.lower().replace("’", "'"))
    key = "".join(c for c in key if not unicodedata.combining(c))
    key = re.sub(r"wards$", "ward", key)
    key = re.sub(r"our(?=s?$|ed$|ing$|ite|able|er)", "or", key)
    key = re.sub(r"is(e|ed|es|ing|ation|ations)$", r"iz\1", key)
    key = re.sub(r"(?<=[^aeiou])re(s|d)?$", r"er\1", key)
    key = re.sub(r"ogue$", "og", key)
    key = re.sub(r"(?<=[aeiou])mme$", "m", key)
    key = re.sub(r"(?<=[aeiou])ll(ed|ing|er)$", r"l\1", key)
    key = key.replace("ae", "e")
    key = re.sub(r"(?<=[^\W\d_]{3})ick(s|ly)?$", r"ic\1", key)  # publick, Catholick
    key = re.sub(r"ence(s)?$", r"ense\1", key)
    if transliteration:
        key = key.replace("kh", "k").replace("ch", "k")
        key = re.sub(r"(ie|e|o)ff$", r"\1v", key)
        key = re.sub(r"ff$", "v", key)
        key = key.replace("tz", "ts").replace("w", "v")
        key = re.sub(r"(sk|k)(y|ii)$", r"\1i", key)
        key = re.sub(r"ay$", "ai", key)
        key = re.sub(r"(.)\1", r"\1", key)
    return key


@cache
def zipf_frequency(word: str) -> float:
    """Zipf frequency of ``word`` in wordfreq's English list (0 if unknown).

    wordfreq is imported here, on first use in a job: the workflow imports this package when
    it is parsed (the cleaning config checks), and parsing stays light.
    """
    import wordfreq

    return wordfreq.zipf_frequency(word, "en", wordlist="best")


@cache
def english_unigrams() -> dict[str, int]:
    """symspellpy's bundled English unigram counts (82,765 words)."""
    counts = {}
    for line in io.read_package_text(
        "symspellpy", "frequency_dictionary_en_82_765.txt"
    ).splitlines():
        word, count = line.split(" ")
        counts[word] = int(count)
    return counts


@cache
def english_bigrams() -> dict[tuple[str, str], int]:
    """symspellpy's bundled English bigram counts (243,342 pairs)."""
    counts = {}
    for line in io.read_package_text(
        "symspellpy", "frequency_bigramdictionary_en_243_342.txt"
    ).splitlines():
        first, second, count = line.split(" ")
        counts[(first, second)] = int(count)
    return counts


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Word tokens of ``text`` (letters and digits, inner apostrophes) as ``(start, end, text)``."""
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


def normalise_token(token: str) -> str:
    """Comparison form of a token: lowercase, straight apostrophe."""
    return token.lower().replace("’", "'").replace("‘", "'")


@dataclass
class Lexicon:
    """What counts as a word, and how plausible a word is between two neighbours.

    Parameters
    ----------
    corpus_words : Counter
        Lowercase word counts of the document and its witnesses.
    corpus_bigrams : Counter
        Lowercase bigram counts of the document and its witnesses.
    min_zipf : float
        Words at least this frequent in wordfreq (or listed in symspellpy's dictionary) are words.
    min_corpus_count : int
        A form seen this often in the corpus is a word of the corpus (names, Russian terms).
    corpus_weight : float
        How much one corpus bigram counts against the English bigram counts (which are
        web-scale); it makes the corpus's own phrasing dominate where it has any.
    copied_words, copied_bigrams : Counter
        The part of ``corpus_words`` and ``corpus_bigrams`` that comes from derived witnesses
        (editions made from this document: manifest column ``derived_from``): copies of the
        document's own words, errors included, so no separate use of a word (see
        :meth:`elsewhere`).
    """

    corpus_words: Counter
    corpus_bigrams: Counter
    min_zipf: float = 3.0
    min_corpus_count: int = 3
    corpus_weight: float = 1e6
    copied_words: Counter = field(default_factory=Counter)
    copied_bigrams: Counter = field(default_factory=Counter)

    def __post_init__(self):
        self.unigrams = english_unigrams()
        self.bigrams = english_bigrams()

    def zipf(self, word: str) -> float:
        """Zipf frequency of ``word`` in wordfreq (0 if unknown)."""
        return zipf_frequency(word)

    def is_word(self, word: str) -> bool:
        """Whether lowercase ``word`` is a word of English or of this corpus.

        A form mixing letters and digits ("a11") is never a word, however often it occurs.
        """
        if any(c.isdigit() for c in word):
            return False
        return (
            self.corpus_words[word] >= self.min_corpus_count
            or word in self.unigrams
            or self.zipf(word) >= self.min_zipf
        )

    def elsewhere(self, pair: tuple) -> int:
        """How often bigram ``pair`` occurs in the document and its independent witnesses
        besides the occurrence being judged (a derived witness's copy of it is no other use)."""
        return max(0, self.corpus_bigrams[pair] - self.copied_bigrams[pair] - 1)

    def own_count(self, word: str) -> int:
        """How often ``word`` occurs in the document and its independent witnesses."""
        return self.corpus_words[word] - self.copied_words[word]

    def bigram(
        self, first: str, second: str, *, exclude: bool = False, copies: bool = True
    ) -> float:
        """Combined bigram count: English counts plus weighted corpus counts (less one if
        ``exclude``: the occurrence being judged; less the derived witnesses' copies unless
        ``copies``)."""
        corpus = self.corpus_bigrams[(first, second)] - exclude
        if not copies:
            corpus -= self.copied_bigrams[(first, second)]
        corpus = max(0, corpus)
        return self.bigrams.get((first, second), 0) + self.corpus_weight * corpus

    def context_score(
        self,
        previous: str | None,
        word: str,
        following: str | None,
        *,
        in_text: bool = False,
        copies: bool = True,
    ) -> float:
        """log10 evidence for ``word`` between its neighbours (lowercase; None at sentence edges).

        The sum of log10(1 + count) of the two bigrams, plus the word's own Zipf frequency
        as a prior, so that an unseen bigram is not evidence for a rare word. ``in_text`` says
        that ``word`` is the reading being judged, so its own occurrence is not counted as
        corpus evidence for itself; ``copies=False`` leaves out the derived witnesses' copies of
        the document (:meth:`elsewhere`).
        """
        score = 0.5 * self.zipf(word)
        if previous:
            score += math.log10(1 + self.bigram(previous, word, exclude=in_text, copies=copies))
        if following:
            score += math.log10(1 + self.bigram(word, following, exclude=in_text, copies=copies))
        return score


class CandidateIndex:
    """Words reachable from a token by one edit or one multi-character OCR confusion, and (with
    ``far``) every word within Levenshtein distance 2.

    A deletion index (as in SymSpell) over the vocabulary finds words at Levenshtein
    distance 1 (and some at 2: a substitution or transposition inside a word), or up to
    2 with ``max_deletes=2`` (for small vocabularies); the
    multi-character confusions of :data:`CONFUSABLE_PAIRS` are tried explicitly. ``far``
    also indexes each word's deletions at depth 2 apart (:attr:`far`), so that
    :meth:`within_two` finds every word at distance 2 ("wdl" -> "will", two letters longer)
    while :meth:`candidates` stays the same.
    """

    def __init__(self, vocabulary, max_deletes: int = 1, far: bool = False):
        self.vocabulary = set(vocabulary)
        self.max_deletes = max_deletes
        self.deletes: dict[str, set[str]] = {}
        self.far: dict[str, set[str]] | None = {} if far else None
        self._add(self.vocabulary, {})

    def _add(self, words, shared: dict) -> None:
        """Index ``words``; a set also held by the index ``shared`` is copied before it grows."""
        for word in words:
            near = self._variants(word)
            targets = [(self.deletes, near)]
            if self.far is not None:
                deeper = {short for variant in _deletes(word) for short in _deletes(variant)}
                targets.append((self.far, deeper - near))
            for table, variants in targets:
                for variant in variants:
                    found = table.get(variant)
                    if found is None:
                        table[variant] = {word}
                        continue
                    if found is shared.get((id(table), variant)):
                        found = table[variant] = set(found)
                    found.add(word)

    def extended(self, words) -> CandidateIndex:
        """This index with ``words`` added: the index a fresh ``CandidateIndex`` of both
        vocabularies builds, without redoing this one's words (their sets are copied only
        where a new word joins them; this index is left unchanged)."""
        new = object.__new__(CandidateIndex)
        new.max_deletes = self.max_deletes
        added = set(words) - self.vocabulary
        new.vocabulary = self.vocabulary | added
        new.deletes = dict(self.deletes)
        new.far = None if self.far is None else dict(self.far)
        shared = _Shared(new, self)
        new._add(sorted(added), shared)
        return new

    def _variants(self, word: str) -> set[str]:
        variants = {word} | _deletes(word)
        if self.max_deletes > 1:
            variants |= {short for variant in _deletes(word) for short in _deletes(variant)}
        return variants

    def candidates(self, token: str) -> set[str]:
        """Vocabulary words near lowercase ``token`` (the token itself excluded)."""
        found = set()
        for variant in self._variants(token):
            found |= self.deletes.get(variant, set())
        for x, y in CONFUSABLE_PAIRS:
            for p, q in ((x, y), (y, x)):
                start = token.find(p)
                while start >= 0:
                    changed = token[:start] + q + token[start + len(p) :]
                    if changed in self.vocabulary:
                        found.add(changed)
                    start = token.find(p, start + 1)
        found.discard(token)
        return found

    def within_two(self, token: str) -> set[str]:
        """:meth:`candidates` and every vocabulary word within Levenshtein distance 2 of
        lowercase ``token`` (some further: filter by distance); needs ``far``."""
        found = self.candidates(token)
        shallow = {token} | _deletes(token)
        deep = {short for variant in _deletes(token) for short in _deletes(variant)}
        for variant in shallow | deep:
            # a one-letter key holds most short words: only for a short token ("ih", "ihc")
            if len(variant) > 1 or len(token) <= 3:
                found |= self.deletes.get(variant, set()) | self.far.get(variant, set())
        found.discard(token)
        return found


class _Shared:
    """Which sets of an extended index are still the base index's (copy before adding)."""

    def __init__(self, new: CandidateIndex, base: CandidateIndex):
        self.tables = {id(new.deletes): base.deletes}
        if new.far is not None:
            self.tables[id(new.far)] = base.far

    def get(self, key: tuple):
        table_id, variant = key
        return self.tables[table_id].get(variant)


@cache
def english_index(size: int) -> CandidateIndex:
    """The :class:`CandidateIndex` of the ``size`` most frequent English words (alphabetic
    ones), built once per process and shared by the documents (each extends it with its own
    words, :meth:`CandidateIndex.extended`); with the deletions at depth 2 (``far``)."""
    return CandidateIndex((w for w in list(english_unigrams())[:size] if w.isalpha()), far=True)


def _fold_table() -> dict[str, str]:
    """Each character of :data:`CONFUSABLE_GROUPS` and of the one-letter pairs of
    :data:`CONFUSABLE_PAIRS` (s/a) mapped to one member of its class (groups that share a
    character are one class: o is in ceoa and o0, s joins them through a)."""
    single = [x + y for x, y in CONFUSABLE_PAIRS if len(x) == len(y) == 1]
    classes: list[set[str]] = []
    for group in [*CONFUSABLE_GROUPS, *single]:
        members = set(group.lower())
        for other in [c for c in classes if c & members]:
            members |= other
            classes.remove(other)
        classes.append(members)
    return {c: min(m for m in members if m.isalpha()) for members in classes for c in members}


FOLD = _fold_table()


@cache
def folded_index(size: int) -> dict[str, frozenset[str]]:
    """The ``size`` most frequent English words (:func:`english_index`) by their folded form
    (each letter replaced by its OCR-confusion class, :data:`FOLD`) and its deletions:
    words several confusions away from a token ("caratnl", "careful") share a key with it
    (:func:`confusable_words`)."""
    table: dict[str, set[str]] = {}
    for word in english_index(size).vocabulary:
        folded = fold(word)
        for key in {folded} | _deletes(folded):
            table.setdefault(key, set()).add(word)
    return {key: frozenset(words) for key, words in table.items()}


def fold(word: str) -> str:
    """``word`` with each letter replaced by its OCR-confusion class (:data:`FOLD`)."""
    return "".join(FOLD.get(c, c) for c in word)


def confusable_words(token: str, size: int) -> set[str]:
    """English words one folded edit from lowercase ``token`` (:func:`folded_index`): within
    one edit once OCR confusions are ignored (filter by :func:`ocr_distance`)."""
    table, folded = folded_index(size), fold(token)
    found = set()
    for key in {folded} | _deletes(folded):
        found |= table.get(key, frozenset())
    return found


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


#: Letter groups of older printing and their modern spelling (peece, compleat, daies).
PERIOD_GROUPS = (("ee", "ie"), ("ea", "e"), ("ie", "y"))


def historical_variant(form: str, word: str) -> bool:
    """Whether ``form`` is an older English spelling of ``word`` rather than an OCR error
    (``word`` is one of :func:`older_spellings` of ``form``). Case-insensitive."""
    return word.lower() in older_spellings(form.lower())


@cache
def older_spellings(form: str) -> frozenset[str]:
    """Modern forms of which lowercase ``form`` could be an older spelling.

    Early modern and 18th-century printing differs from today's spelling by patterns that OCR
    does not produce: an extra ``e`` (selfe, downe, beene, greatnesse, thankes, whilest), ``u``
    for ``v`` or back and ``i`` for ``j`` (vpon, haue, enioy; ``j`` for ``i`` only as the last
    letter of numerals, viij: "jn" is OCR's "in"), ``-t`` for ``-ed`` (fetcht,
    dropt), ``y`` for ``i`` (cryed, spoyled), and the letter groups of :data:`PERIOD_GROUPS`
    (peeces, compleated, daies).
    """
    found = {form[:i] + form[i + 1 :] for i, c in enumerate(form) if c == "e"}
    swaps = {"u": "v", "v": "u", "i": "j", "y": "i"}
    found |= {form[:i] + swaps[c] + form[i + 1 :] for i, c in enumerate(form) if c in swaps}
    if form.endswith("ij") and set(form[:-1]) <= set("ivxlcdm"):
        found.add(form[:-1] + "i")
    if form.endswith("t") and form[-2:-1] not in "aeiou":
        found.add(form[:-1])
    for old, new in PERIOD_GROUPS:
        start = form.find(old)
        while start >= 0:
            found.add(form[:start] + new + form[start + len(old) :])
            start = form.find(old, start + 1)
    return frozenset(found)


def match_case(model: str, word: str) -> str:
    """Give ``word`` the case pattern of ``model`` (lower, Capitalised or UPPER)."""
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word.lower()


def inflection_variant(a: str, b: str) -> bool:
    """Whether two words differ only by an English ending (-s, -es, -d, -ed, -ly, -y, -er...)."""
    short, long = sorted((a.lower(), b.lower()), key=len)
    suffixes = {"s", "es", "d", "ed", "ly", "y", "r", "er", "ing"}
    return long.startswith(short) and long[len(short) :] in suffixes
