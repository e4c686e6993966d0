"""Word-level corrections: witness readings first, then the lexicon for tokens no witness covers."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from corpusflow.cleaning.edits import Edit
from corpusflow.cleaning.lexicon import (
    CONFUSION_COST,
    CandidateIndex,
    Lexicon,
    inflection_variant,
    match_case,
    normalise_token,
    ocr_distance,
    older_spellings,
    spelling_key,
    tokens,
    zipf_frequency,
)
from corpusflow.cleaning.realword import TwoSided, one_sided_fix, two_sided_fix
from corpusflow.cleaning.settings import CleaningSettings

SENTENCE_START = re.compile(r"""(?:^|[.?!:]["'’”)\]]*\s+["'‘“(\[]*|\n\s*["'‘“(\[]*)$""")
NEIGHBOUR_GAP = re.compile(r"^ $")
#: The stop of an abbreviation and the space after it, one line break at most ("Mrs. Chave",
#: "J.\nSlee"; not across a paragraph break).
ABBREVIATION_GAP = re.compile(r"\.(?=\s)[^\S\n]*\n?[^\S\n]*\Z")
#: Lowercase words that link the parts of a name ("Commissariat of Labour").
NAME_LINKS = frozenset({"of", "for", "and", "on", "the", "de", "la", "von"})


@dataclass
class WordResult:
    """Edits on the text and review rows (dicts) from the word-level correctors."""

    edits: list[Edit] = field(default_factory=list)
    review: list[dict] = field(default_factory=list)


class Token:
    """A word token of the text being corrected, with its neighbours for context."""

    __slots__ = (
        "start",
        "end",
        "text",
        "key",
        "previous",
        "following",
        "sentence_start",
        "after_title",
    )

    def __init__(self, start, end, text, key, previous, following, sentence_start):
        self.start, self.end, self.text, self.key = start, end, text, key
        self.previous, self.following, self.sentence_start = previous, following, sentence_start
        #: for a capitalised word after a title or an initial and its stop ("Mrs. Chave"),
        #: that title or initial, lowercase ("mrs"): a name, whether or not a sentence
        #: starts there (:func:`text_tokens`); '' for any other word
        self.after_title = ""

    @property
    def inner_capital(self) -> bool:
        """A capital after the first letter of a word not in capitals ("caUed"): OCR debris."""
        return any(c.isupper() for c in self.text[1:]) and not self.text.isupper()


def text_tokens(text: str, titles: frozenset = frozenset()) -> list[Token]:
    """Word tokens, their lowercase neighbours (across one space only) and sentence starts;
    a capitalised token after a title of ``titles`` (lowercase, "mrs") or an initial (one
    capital letter), and the stop after it, holds that title or initial in ``after_title``
    (:func:`_title_before`); with no titles, none does."""
    raw = tokens(text)
    result = []
    for i, (start, end, form) in enumerate(raw):
        previous = following = None
        if i and NEIGHBOUR_GAP.match(text[raw[i - 1][1] : start]):
            previous = normalise_token(raw[i - 1][2])
        if i + 1 < len(raw) and NEIGHBOUR_GAP.match(text[end : raw[i + 1][0]]):
            following = normalise_token(raw[i + 1][2])
        sentence_start = bool(SENTENCE_START.search(text[max(0, start - 6) : start])) or start == 0
        token = Token(start, end, form, normalise_token(form), previous, following, sentence_start)
        if form[:1].isupper():
            token.after_title = _title_before(text, raw, i, titles)
        result.append(token)
    return result


def _title_before(text: str, raw: list, i: int, titles: frozenset) -> str:
    """The title of ``titles`` or the initial, lowercase, that token ``i`` follows with its
    stop between ("Mrs. Chave" -> "mrs"), or ''. An initial is one capital letter, not the
    pronoun "I" nor a letter of an abbreviation written with stops and no space ("N.S.W.")."""
    if not i or not ABBREVIATION_GAP.match(text[raw[i - 1][1] : raw[i][0]]):
        return ""
    before = raw[i - 1][2]
    if normalise_token(before) in titles:
        return normalise_token(before)
    acronym = i > 1 and text[raw[i - 2][1] : raw[i - 1][0]] == "."
    initial = len(before) == 1 and before.isupper() and before != "I" and not acronym
    return normalise_token(before) if initial and titles else ""


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"{left}[{text[start:end]}]{right}"


def lexicon_corrections(
    text: str,
    toks: list[Token],
    covered: set[int],
    lexicon: Lexicon,
    index: CandidateIndex,
    settings: CleaningSettings,
    proper_case: Counter,
    witnessed: frozenset = frozenset(),
) -> WordResult:
    """Corrections for tokens the witnesses do not settle, in this order of rules.

    Non-words are left to the noisy channel (:mod:`corpusflow.cleaning.channel`); for real
    words: ``corpus`` (a rare form next to a frequent OCR-close corpus word that fits the
    neighbours), ``case`` (in-sentence case against the corpus's usage), and ``realword`` (a
    word whose OCR-close neighbour fits the context much better: applied on two-sided
    evidence, see :mod:`corpusflow.cleaning.realword`, otherwise queued). ``covered`` holds
    the indices to skip; ``witnessed`` the ``(token, reading)`` pairs the witnesses corrected
    in this document; other parameters as in :func:`witness_corrections`, with ``index`` the
    candidate vocabulary.
    """
    result = WordResult()
    confusions: dict[str, list] = {}
    frequent = [w for w, n in lexicon.corpus_words.items() if n >= settings.corpus_min_count]
    corpus_index = CandidateIndex((w for w in frequent if w.isalpha()), max_deletes=2)
    for i, token in enumerate(toks):
        if i in covered or token.key in settings.protected_terms or len(token.key) < 2:
            continue
        if text[token.start - 1 : token.start] == "-" or text[token.end : token.end + 1] == "-":
            continue  # part of a hyphenated compound
        if token.key.isdigit() or not any(c.isalpha() for c in token.key):
            continue
        proper = token.text[:1].isupper() and not token.sentence_start
        if not lexicon.is_word(token.key):
            continue  # non-words are the noisy-channel corrector's (corpusflow.cleaning.channel)
        if _corpus_confusion(token, lexicon, corpus_index, settings, result):
            continue
        if _case(text, token, settings, proper_case, result, lexicon):
            continue
        if not proper and token.text.islower():
            _realword(text, token, lexicon, index, settings, result, confusions, witnessed)
    return result


def in_older_spelling(
    toks: list[Token], lexicon: Lexicon, index: CandidateIndex, settings: CleaningSettings
) -> bool:
    """Whether at least ``older_spelling_share`` of a text's word tokens are non-words that are
    an older spelling of a vocabulary word (:func:`~corpusflow.cleaning.lexicon.older_spellings`:
    selfe, vpon, cryed, fetcht). A capitalised word inside a sentence is no such evidence: it
    is likelier a name, and names look like period spellings by chance ("Ryde", "Moreton")."""
    words = [t for t in toks if t.key.isalpha()]
    older = sum(
        1
        for t in words
        if not (t.text[:1].isupper() and not t.sentence_start)
        and not lexicon.is_word(t.key)
        and older_spellings(t.key) & index.vocabulary
    )
    return bool(words) and older / len(words) >= settings.older_spelling_share


def _corpus_confusion(token, lexicon, corpus_index, settings, result) -> bool:
    """A rare form where the corpus has a frequent, OCR-close word that fits both neighbours.

    "the masks" -> "the masses": the candidate is ``corpus_ratio`` times as frequent in the
    corpus (document and witnesses), its bigrams with the token's neighbours occur at least
    ``corpus_min_bigrams`` times, the token's own bigrams occur nowhere else, and the English
    evidence (:meth:`Lexicon.context_score`) prefers the candidate by ``corpus_min_gain``. Only
    words of four letters or more that occur at most ``corpus_max_token_count`` times are
    considered: short and frequent words have too many close neighbours. Derived witnesses'
    copies of the document do not count as the form's use (:meth:`Lexicon.elsewhere`). With
    ``corpus_english_veto`` a form that the English bigram list attests with each neighbour
    stays (:func:`english_attested`).
    """
    words = lexicon.corpus_words
    if token.previous is None and token.following is None:
        return False
    if len(token.key) < 4 or lexicon.own_count(token.key) > settings.corpus_max_token_count:
        return False
    if zipf_frequency(token.key) >= settings.corpus_max_token_zipf:
        return False  # a common English word ("what", "move"): the corpus is too small to judge
    own = sum(
        lexicon.elsewhere(pair)
        for pair in ((token.previous, token.key), (token.key, token.following))
        if None not in pair
    )
    if own > 0:
        return False
    if settings.corpus_english_veto and english_attested(token, lexicon):
        return False  # "the bonds of": ordinary English, however rare in this corpus
    best = _corpus_candidate(token, lexicon, corpus_index, settings)
    if best is None:
        return False
    support, distance, candidate = best
    evidence = (
        f"corpus: {candidate!r} x{words[candidate]} vs {token.key!r} x{words[token.key]}; "
        f"{support} corpus bigrams with the neighbours {token.previous!r}/{token.following!r}, "
        f"none for {token.key!r}; ocr distance {distance:.1f}"
    )
    after = match_case(token.text, candidate)
    result.edits.append(Edit(token.start, token.end, after, "corpus", evidence))
    return True


def _corpus_candidate(token, lexicon, corpus_index, settings) -> tuple | None:
    """``(support, distance, candidate)`` of the corpus word that best replaces ``token`` under
    :func:`_corpus_confusion`'s tests (most corpus bigrams with the neighbours), or None."""
    words, bigrams = lexicon.corpus_words, lexicon.corpus_bigrams
    own_score = lexicon.context_score(
        token.previous, token.key, token.following, in_text=True, copies=False
    )
    best = None
    for candidate in corpus_index.candidates(token.key):
        if len(candidate) < 4 or words[candidate] < settings.corpus_ratio * words[token.key]:
            continue
        if spelling_key(candidate) == spelling_key(token.key):
            continue
        if inflection_variant(candidate, token.key):
            continue
        distance = ocr_distance(token.key, candidate)
        if distance > settings.corpus_max_distance:
            continue
        support = sum(
            bigrams[pair]
            for pair in ((token.previous, candidate), (candidate, token.following))
            if None not in pair
        )
        if support < settings.corpus_min_bigrams:
            continue
        gain = lexicon.context_score(token.previous, candidate, token.following) - own_score
        if gain >= settings.corpus_min_gain and (best is None or support > best[0]):
            best = (support, distance, candidate)
    return best


def english_attested(token: Token, lexicon: Lexicon) -> bool:
    """Whether English bigram statistics (symspellpy's list) attest the token with both of its
    neighbours: "the bonds" and "bonds of" are both listed. One listed bigram is weaker evidence
    ("rank and tile ," where the document writes "and file" 30 times: "and tile" is listed, as in
    "tile floors"), so a token with one neighbour (or none) is not attested."""
    pairs = [
        pair
        for pair in ((token.previous, token.key), (token.key, token.following))
        if None not in pair
    ]
    return len(pairs) == 2 and all(pair in lexicon.bigrams for pair in pairs)


def _case(text, token, settings, proper_case, result, lexicon) -> bool:
    """Case errors inside a sentence: "expressed In the", "as lenin".

    A capitalised word inside a sentence is lowercased when the corpus writes it in lowercase
    inside sentences at least ``case_ratio`` of the time (and ``case_min_count`` times); a
    lowercase word is capitalised under the mirror condition (a name). Words after a quote or
    bracket (titles, quotations) are left alone; a capitalised word is lowercased only right
    after a lowercase word, and only words rarer than ``case_max_zipf`` in English are
    capitalised. With ``case_lowercase_needs_bigram``, a capitalised word after a known word
    is lowercased only when the lowercase pair is attested (English bigram list, or the
    corpus elsewhere): "look and thinks Where do you" may have lost a "!".
    """
    if token.sentence_start or text[token.start - 1 : token.start] in "\"'‘“([":
        return False
    capitalised = token.text[:1].isupper() and token.text[1:].islower()
    if not (capitalised or token.text.islower()):
        return False
    words_before = text[max(0, token.start - 60) : token.start].split()
    initials = settings.case_lowercase_initials
    if capitalised and initials is not None and token.text[0] not in initials:
        return False  # only capitals an OCR engine confuses with their small letter ("In")
    if capitalised and not (token.previous and words_before[-1][:1].islower()):
        return False  # lowercase only right after a lowercase word ("expressed In the")
    words_after = text[token.end : token.end + 60].split()[:2]
    if capitalised and any(word[:1].isupper() for word in words_after):
        return False  # a title ("his book The Origins", "or On the Eve of Thermidor")
    if (
        capitalised
        and settings.case_lowercase_needs_bigram
        and lexicon.is_word(token.previous)
        and (token.previous, token.key) not in lexicon.bigrams
        and lexicon.corpus_bigrams[(token.previous, token.key)] <= 1  # only this occurrence
    ):
        return False  # no evidence that the sentence runs on: a lost "!" or "." is as likely
    before = words_before[-2:-1]
    if (
        capitalised
        and token.previous in NAME_LINKS
        and before
        and before[0][:1].isupper()
        and not SENTENCE_START.search(text[: token.start].rsplit(before[0], 1)[0][-6:])
    ):
        return False  # inside a name ("Commissariat of Labour")
    if not capitalised and zipf_frequency(token.key) >= settings.case_max_zipf:
        return False  # capitalise names only, not common words ("communist")
    upper, lower = proper_case[(token.key, True)], proper_case[(token.key, False)]
    majority, minority = (lower, upper) if capitalised else (upper, lower)
    total = majority + minority
    if majority < settings.case_min_count or majority < settings.case_ratio * total:
        return False
    after = token.text.lower() if capitalised else token.text[:1].upper() + token.text[1:]
    evidence = f"case: inside sentences the corpus writes {token.key!r} " + (
        f"in lowercase {lower}x, capitalised {upper}x"
    )
    result.edits.append(Edit(token.start, token.end, after, "case", evidence))
    return True


def _candidates(token: Token, index: CandidateIndex) -> set[str]:
    found = index.candidates(token.key)
    letters = token.key.translate(str.maketrans("105", "los"))
    if letters != token.key:
        found |= index.candidates(letters) | ({letters} & index.vocabulary)
    return found


def _confusions(token: Token, index: CandidateIndex, settings: CleaningSettings) -> list:
    """Common words one OCR confusion away from the token, not spelling or inflection variants."""
    found = []
    for candidate in sorted(_candidates(token, index)):
        if zipf_frequency(candidate) < settings.candidate_min_zipf:
            continue
        if spelling_key(candidate) == spelling_key(token.key):
            continue
        if inflection_variant(candidate, token.key):
            continue  # "replaces"/"replace": grammar, not an OCR confusion
        distance = ocr_distance(token.key, candidate)
        if distance <= 1.0:
            found.append((candidate, distance))
    return found


def _realword(text, token, lexicon, index, settings, result, cache, witnessed=frozenset()):
    """A real word in an unlikely context: fixed on two- or one-sided evidence
    (``realword_auto``), else queued (or applied from ``realword_apply_margin``) on the
    lexicon's context score."""
    if token.previous is None and token.following is None:
        return
    if token.key not in cache:
        cache[token.key] = _confusions(token, index, settings)
    if settings.realword_auto:
        edit = _realword_auto(token, lexicon, settings, cache[token.key], witnessed)
        if edit is not None:
            result.edits.append(edit)
            return
    _realword_in_context(text, token, lexicon, settings, cache[token.key], result)


def _realword_auto(token, lexicon, settings, candidates, witnessed) -> Edit | None:
    """The edit :func:`two_sided_fix` (or else :func:`one_sided_fix`) makes, if any; the
    readings a witness gave this token elsewhere join the candidates."""
    known = {candidate for candidate, _ in candidates}
    seen = [
        (reading, ocr_distance(token.key, reading))
        for key, reading in sorted(witnessed)
        if key == token.key and reading not in known and reading.isalpha()
    ]
    rule = TwoSided(
        settings.realword_auto_max_distance,
        settings.realword_auto_min_english_gain,
        settings.realword_auto_max_token_count,
    )
    evidence_at_hand = (
        token.key,
        token.previous,
        token.following,
        candidates + seen,
        lexicon,
        witnessed,
    )
    fix = two_sided_fix(*evidence_at_hand, rule)
    if fix is None and settings.realword_one_sided_min_gain is not None:
        fix = one_sided_fix(*evidence_at_hand, settings.realword_one_sided_min_gain)
    if fix is None:
        return None
    candidate, evidence = fix
    return Edit(token.start, token.end, match_case(token.text, candidate), "realword", evidence)


def _realword_in_context(text, token, lexicon, settings, candidates, result) -> None:
    """The candidate the lexicon's context score prefers by ``realword_review_margin``:
    queued, or applied from ``realword_apply_margin`` where the token's bigrams are unseen."""
    own = lexicon.context_score(token.previous, token.key, token.following, in_text=True)
    best = None
    for candidate, distance in candidates:
        gain = lexicon.context_score(token.previous, candidate, token.following) - own
        if best is None or gain > best[0]:
            best = (gain, distance, candidate)
    if best is None or best[0] < settings.realword_review_margin:
        return
    gain, distance, candidate = best
    unseen = all(
        lexicon.corpus_bigrams[pair] <= 1  # only this occurrence
        for pair in ((token.previous, token.key), (token.key, token.following))
        if None not in pair
    )
    evidence = (
        f"real word in unlikely context; {candidate} gains {gain:+.2f} log10 (d={distance:.1f})"
    )
    apply = settings.realword_apply_margin
    if apply is not None and gain >= apply and unseen:
        result.edits.append(Edit(token.start, token.end, candidate, "realword", evidence))
    else:
        result.review.append(
            review_row(
                text,
                token.start,
                token.end,
                candidate,
                evidence,
                "realword",
                _realword_likelihood(token.key, gain, distance),
            )
        )


def _realword_likelihood(word: str, gain: float, distance: float) -> float:
    """Review priority of a real-word suspect, in [0, 1).

    Grows with the context gain, and is lower for very frequent words (function words such as
    "or"/"of" swap places in bigram statistics without being OCR errors) and for candidates
    that are not a cheap OCR confusion away.
    """
    likelihood = 1 - math.exp(-max(gain, 0) / 8)
    if zipf_frequency(word) >= 5.5:
        likelihood *= 0.4
    if distance > CONFUSION_COST:
        likelihood *= 0.8
    return likelihood


def review_row(text, start, end, candidate, evidence, kind, likelihood) -> dict:
    """A review-queue row: ``text[start:end]`` may be ``candidate`` (rule ``kind``)."""
    return {
        "start": start,
        "end": end,
        "token": text[start:end],
        "candidate": candidate,
        "kind": kind,
        "likelihood": round(float(likelihood), 3),
        "evidence": evidence,
        "context": _context(text, start, end),
    }
