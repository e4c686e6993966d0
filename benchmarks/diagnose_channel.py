"""Where the noisy-channel corrector loses OCR errors: a trace on one half of a vendored set.

Run from the repository root:  python benchmarks/diagnose_channel.py [--data NAME]
[--half tuning|held-out|all] [--set KEY=VALUE ...]   (use the tuning halves: the held-out
halves are for the final figures of evaluate_external_ocr.py only)

Each document is cleaned as evaluate_external_ocr.py does (no witnesses, the schema's
defaults). Every OCR word error aligned one for one with a gold word, of the classes non-word
and real word (:func:`evaluate_external_ocr.error_classes`), is put in one bin:

- ``fixed``: the cleaned text has the gold word;
- ``gold best, under threshold``: the decoder scored the gold reading best but did not apply it
  (gain under ``channel_min_gain`` plus any extra, or within ``channel_margin`` of the next);
- ``other reading best``: the gold reading was among the scored readings, another scored better;
- ``gold not a reading``: the decoder scored the token, the gold reading was no candidate;
  counted by why (:func:`missing_reason`): the gold outside the candidate vocabulary (in
  symspellpy's list, the trigram model or nothing), a junk character standing for a letter
  ("case#"), an inflection of a real word, or the gold's OCR-weighted distance beyond the
  token's reach (a real word one unit, a non-word two) or within it, filtered or not indexed
  (:func:`lost_step.lost_step`); with the differences no OCR
  confusion covers (:func:`missing_confusions`: "h" read "ii"), most frequent first;
- ``not scored``: the decoder never scored the token; the reasons are counted as the decoder
  gives them (:func:`corpusflow.cleaning.channel.skip_reason`, ``alone_reason``: one letter,
  a capitalised English word inside a sentence, next to a hyphen, a protected term, a digit or
  apostrophe inside), or "no one token" (a word the evaluation's normaliser joins across a
  hyphen, or one an earlier step changed: counted again by shape, no hyphen, two parts whose
  gold is one word or a compound, three parts or more), "inside an applied join", "settled
  by a witness";
- ``not letters``: the OCR or gold word holds digits or punctuation inside.

With ``--show N``, N examples of each shape of "no one token" (OCR and gold, hyphens kept)
and of each of the bins "gold not a reading" and "not scored" are printed (a fixed sample,
seeded) with what says why: the Levenshtein and OCR-weighted
distances of gold from OCR, and where the gold word is: in the candidate vocabulary, in
symspellpy's list, in the trigram model, or only at its wordfreq Zipf frequency. Of the two
decision bins ("gold best, under threshold", "other reading best") the examples give the
gold reading's gain with its language-model and channel parts, the best other reading (or
the best, when that is not gold) and its gain, whether the token is a real word, the extra
gain a real word needed, the document's noise share and the context (two words each side,
``|`` where it stops).

The decoder's readings are recorded per token form in its last pass (the last occurrence of a
form in a document stands for all of them). Splits and merges (runs of differences with
unequal word counts) are counted by shape (OCR words -> gold words) with how many were fixed,
and by kind (:func:`join_trace.split_kind`): a space before punctuation ("word ," for
"word,"), a space lost after it ("centres.If"), a broken number, an exact join ("Con
servatives"), a garbled join ("Maga ine" for "Magazine"), run-together words ("ofthe"), a
garbled split, a mark standing alone added or lost, other. Of a space before punctuation,
whether removing it gives the gold, or the gold has a letter where the space is
("Director ," for "Directors,"). With ``--show N``, N examples of each of the three largest
kinds left are printed too.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter, defaultdict

from evaluate_external_ocr import (
    LINE_BREAK_HYPHEN,
    SETS,
    SPACE,
    _alignment,
    _blocks,
    _word_class,
    benchmark_parser,
    clean,
    cleaning_settings,
    documents,
)
from evaluate_external_ocr import normalise as normalise_text
from join_trace import PAIRS as JOIN_PAIRS
from join_trace import Split
from join_trace import install as install_join_trace
from join_trace import reason as join_reason
from lost_step import lost_step
from rapidfuzz.distance import Levenshtein

from corpusflow.cleaning import channel, decoding, junk, trigram
from corpusflow.cleaning.lexicon import (
    CONFUSION_COST,
    english_index,
    english_unigrams,
    inflection_variant,
    ocr_distance,
    zipf_frequency,
)

EDGE_PUNCTUATION = re.compile(r"^\W+|\W+$")
BINS = (
    "fixed",
    "gold best, under threshold",
    "other reading best",
    "gold not a reading",
    "not scored",
    "not letters",
)
READINGS: dict[str, list[list[str]]] = {}
#: Per token form, why the decoder's last pass did not score it ('' if it did).
REASONS: dict[str, str] = {}
#: Per token form, its last scoring: the rows, the context and the document's noise.
SCORES: dict[str, tuple] = {}
EXAMPLES: dict[str, list[tuple[str, str, tuple]]] = defaultdict(list)
#: Per shape of a hyphenated OCR word not scored, examples (OCR and gold as hyphenated).
HYPHENATED: dict[str, list[tuple[str, str]]] = defaultdict(list)
NO_ONE_TOKEN = "no one token of the text corrected (hyphenated, or changed by an earlier step)"
DECISION_BINS = ("gold best, under threshold", "other reading best")
#: Kinds of splits and merges whose reason is traced (:mod:`join_trace`).
JOIN_KINDS = ("exact join", "garbled join", "run-together words")
#: Per class, why the gold of an error in the bin "gold not a reading" was none.
MISSING: dict[str, Counter] = defaultdict(Counter)
#: Differences (gold part, OCR part) no OCR confusion covers, among those errors (gold in the
#: candidate vocabulary, at most four edits).
CONFUSIONS: Counter = Counter()
#: The document's decoder (the last one that scored a token), for :func:`missing_reason`.
DECODER: list = []


def _recording(decide):
    def wrapper(decoder, left, key, right, real, debris=False):
        scored = decide(decoder, left, key, right, real, debris)
        READINGS[key] = [words for _, words, _, _ in scored]
        SCORES[key] = (scored, left, right, real, decoder.noise, decoder.extra, decoder.cautious)
        DECODER[:] = [decoder]
        return scored

    return wrapper


def _recording_junk(readings):
    """Adds the readings of a token with its junk character read as a letter ("case#"),
    ordered with the token's other readings by gain (the decoder compares them all)."""

    def wrapper(decoder, text, toks, i, context, written):
        rows = readings(decoder, text, toks, i, context, written)
        if rows:
            key = toks[i].key
            plain = SCORES[key][0] if key in SCORES else []
            ranked = sorted([*plain, *rows], key=lambda row: -row[0])
            READINGS[key] = [list(w) for w in dict.fromkeys(tuple(w) for _, w, *_ in ranked)]
        return rows

    return wrapper


def _noting(decode):
    """Records, per token form, why the decoder's last pass did not score it alone."""

    def wrapper(text, toks, covered, decoder, *, protected, guide=None):
        result, chosen = decode(text, toks, covered, decoder, protected=protected, guide=guide)
        joined = {j for d in result.applied for j in range(_index(toks, d.start) + 1, d.last + 1)}
        for i, token in enumerate(toks):
            REASONS[token.key] = (
                ("settled by a witness" if i in covered else "")
                or channel.skip_reason(text, token, protected)
                or channel.alone_reason(decoder, text, toks, i)
                or ("inside an applied join" if i in joined else "")
            )
        return result, chosen

    return wrapper


def _index(toks, start: int) -> int:
    return next(i for i, t in enumerate(toks) if t.end > start)  # a junk character before


def _key(word: str) -> str:
    return EDGE_PUNCTUATION.sub("", word).lower()


def _bin(ocr: str, gold: str, fixed: bool) -> str:
    if fixed:
        return "fixed"
    if not (ocr.isalpha() and gold.isalpha()):
        return "not letters"
    readings = READINGS.get(ocr)
    if readings is None:
        return "not scored"
    if readings and readings[0] == [gold]:
        return "gold best, under threshold"
    return "other reading best" if [gold] in readings else "gold not a reading"


def why(ocr: str, gold: str, size: int) -> str:
    """Distances of ``gold`` from ``ocr`` and the vocabularies that hold ``gold``."""
    if gold in english_index(size).vocabulary:
        where = "candidate vocabulary"
    elif gold in english_unigrams():
        where = "symspellpy list"
    else:
        where = "trigram model" if trigram.known(gold) else "neither"
    return (
        f"edits {Levenshtein.distance(ocr, gold)}, OCR-weighted {ocr_distance(ocr, gold)}, "
        f"gold in {where}, zipf {zipf_frequency(gold):.1f}"
    )


def missing_reason(ocr: str, gold: str, real: bool, decoder) -> str:
    """Why ``gold`` was no reading of ``ocr`` (both as printed, edge punctuation included):
    outside the decoder's candidate vocabulary (and where it is instead), a junk character
    standing for a letter ("case#," for "cases,"), an inflection of a real word, or how far
    the gold is in OCR-weighted units beyond what the token's kind (real word: one, non-word:
    two) reaches."""
    key, word = _key(ocr), _key(gold)
    if word not in decoder.index.vocabulary:
        if word in english_unigrams():
            return "gold outside the candidate vocabulary, in symspellpy's list"
        known = "in the trigram model" if trigram.known(word) else "in no vocabulary"
        return f"gold outside the candidate vocabulary, {known}"
    if _junk_letter(ocr.lower(), gold.lower()):
        return "a junk character standing for a letter"
    if real and inflection_variant(key, word):
        return "real word, gold an inflection of it"
    distance, edits = ocr_distance(key, word), Levenshtein.distance(key, word)
    reach = 1.0 if real else 2.0
    kind = "real word" if real else "non-word"
    if distance <= reach:
        return f"{kind}, gold within {reach:g} OCR-weighted, {lost_step(decoder, key, word, real)}"
    if edits > max(len(key), len(word)) / 2:
        return f"{kind}, gold more edits away than half its letters (no garble)"
    edits_shown = f"{min(edits, 4)}{'+' * (edits > 3)}"
    return f"{kind}, gold further than {reach:g} OCR-weighted, {edits_shown} edits"


def _junk_letter(ocr: str, gold: str) -> bool:
    """Whether a character of ``ocr`` that is no letter or digit stands for a letter of
    ``gold``."""
    return any(
        kind == "replace" and not ocr[j].isalnum() and gold[i].isalpha()
        for kind, i, j in Levenshtein.editops(gold, ocr)
    )


def missing_confusions(ocr: str, gold: str) -> list[tuple[str, str]]:
    """The differences of ``ocr`` from ``gold`` (letters only, lowercase; neighbouring
    operations merged) that no OCR confusion of the lexicon covers, as (gold part, OCR
    part)."""
    key, word = _key(ocr), _key(gold)
    chunks, last = [], None
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(word, key):
        if tag == "equal":
            last = None
            continue
        if last is not None:
            chunks[-1] = (chunks[-1][0] + word[i1:i2], chunks[-1][1] + key[j1:j2])
        else:
            chunks.append((word[i1:i2], key[j1:j2]))
        last = tag
    return [(g, o) for g, o in chunks if ocr_distance(o, g) > CONFUSION_COST * max(len(g), len(o))]


def trace(docs, cleaning: dict) -> tuple[dict, list[Split], dict]:
    """Per class, the bins of its errors; the splits and merges; per class, why the errors
    not scored were not (and, in :data:`MISSING`, why the gold was no reading)."""
    bins: dict[str, Counter] = defaultdict(Counter)
    unscored: dict[str, Counter] = defaultdict(Counter)
    splits = []
    for document in docs:
        READINGS.clear()
        SCORES.clear()
        REASONS.clear()
        JOIN_PAIRS.clear()
        result = clean(document, cleaning)
        ocr, after, gold = (
            normalise_text(t).split()
            for t in (document.apply([]), document.apply(result.edits), document.gold())
        )
        right, _ = _alignment(after, gold)
        hyphenated = [marked(t) for t in (document.apply([]), document.gold())]
        for i1, i2, j1, j2 in _blocks(ocr, gold):
            if i2 - i1 != j2 - j1:
                fixed = all(j in right for j in range(j1, j2))
                split = Split(ocr[i1:i2], gold[j1:j2], fixed)
                if not fixed and split.kind in JOIN_KINDS:
                    split = Split(
                        split.ocr, split.gold, fixed, join_reason(split.ocr, split.gold, _key)
                    )
                splits.append(split)
                continue
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                kind = _word_class([ocr[i]], [gold[j]])
                if kind in ("non-word", "real word"):
                    where = _bin(_key(ocr[i]), _key(gold[j]), j in right)
                    bins[kind][where] += 1
                    reason = _reason(_key(ocr[i])) if where == "not scored" else ""
                    if reason:
                        unscored[kind][reason] += 1
                    if reason == NO_ONE_TOKEN:
                        forms = hyphenated[0][i], hyphenated[1][j]
                        shape = hyphen_shape(*forms, cleaning["candidate_vocabulary_size"])
                        unscored[f"{kind}, no one token"][shape] += 1
                        HYPHENATED[shape].append(forms)
                    if where == "gold not a reading":
                        reason = _count_missing(kind, ocr[i], gold[j])
                    EXAMPLES[where].append((ocr[i], gold[j], SCORES.get(_key(ocr[i])), reason))
    return bins, splits, unscored


def _count_missing(kind: str, ocr: str, gold: str) -> str:
    """Count why the gold of one error was no reading (:data:`MISSING`, :data:`CONFUSIONS`)."""
    real = SCORES[_key(ocr)][3] if _key(ocr) in SCORES else DECODER[0].is_word(_key(ocr))
    reason = missing_reason(ocr, gold, real, DECODER[0])
    MISSING[kind][reason] += 1
    if not reason.startswith("gold outside") and Levenshtein.distance(ocr, gold) <= 4:
        CONFUSIONS.update(missing_confusions(ocr, gold))
    return reason


def _reason(key: str) -> str:
    """Why the decoder did not score a token form (see :func:`_noting`)."""
    if key not in REASONS:
        return NO_ONE_TOKEN
    return REASONS[key] or "scored at another occurrence, or only in a join"


def marked(text: str) -> list[str]:
    """The words of :func:`normalise_text`, with the hyphens it drops kept: "-" where the
    hyphen stands alone between letters, "¬" where space or a line end follows it."""
    text = unicodedata.normalize("NFKC", text)
    text = LINE_BREAK_HYPHEN.sub(lambda m: "-" if m.group() == "-" else "¬", text)
    return SPACE.sub(" ", text).strip().split()


def hyphen_shape(ocr: str, gold: str, size: int) -> str:
    """What a word not in the text as one token is: no hyphen (an earlier step changed it),
    three parts or more, or two parts whose gold is one word ("ques-tfon", "question") or a
    compound (its letters no word: "Chancery-lanv"); "at a line end" if space follows the
    hyphen."""
    parts = re.split("[-¬]", ocr)
    if len(parts) == 1:
        return "no hyphen"
    if len(parts) > 2:
        return "three parts or more"
    letters = _key(re.sub("[-¬]", "", gold))
    word = letters in english_index(size).vocabulary or trigram.known(letters)
    where = " at a line end" if "¬" in ocr else ""
    return f"two parts{where}, {'one word' if word else 'a compound'}"


def install_recorders() -> None:
    """Wrap the decoder's steps so that :func:`trace` sees every reading, pass and join."""
    channel.decide_token = _recording(channel.decide_token)
    decoding.decode = _noting(decoding.decode)
    junk.junk_readings = _recording_junk(junk.junk_readings)
    install_join_trace()


def main() -> None:
    parser = benchmark_parser(__doc__.split("\n")[0], data=SETS[0], half="tuning")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="examples per bin")
    args = parser.parse_args()
    cleaning = cleaning_settings(args.set)
    install_recorders()
    bins, splits, unscored = trace(documents(args.data, args.half), cleaning)
    print(f"{args.data}, {args.half} half: OCR word errors per class, where the corrector is")
    for kind, counts in bins.items():
        total = sum(counts.values())
        parts = ", ".join(f"{name} {counts[name]} ({counts[name] / total:.0%})" for name in BINS)
        print(f"  {kind} ({total}): {parts}")
    _print_splits(splits, args.show)
    for kind, counts in unscored.items():
        label = kind if kind.endswith("no one token") else f"{kind}, not scored because"
        print(f"  {label}: " + ", ".join(f"{r} {n}" for r, n in counts.most_common()))
    for kind, counts in MISSING.items():
        print(f"  {kind}, gold not a reading because:")
        for reason, n in counts.most_common():
            print(f"    {reason}: {n}")
    print(
        "  differences no OCR confusion covers (gold -> OCR) in those with the gold in the "
        "vocabulary, at most four edits: "
        + ", ".join(f"{g or '-'}->{o or '-'} {n}" for (g, o), n in CONFUSIONS.most_common(30))
    )
    size = cleaning["candidate_vocabulary_size"]
    for shape, forms in sorted(HYPHENATED.items()) if args.show else ():
        sample = random.Random(1).sample(forms, min(args.show, len(forms)))
        print(f"  no one token, {shape}: " + ", ".join(f"{o} -> {g}" for o, g in sample))
    for where in ("gold not a reading", "not scored", *DECISION_BINS) if args.show else ():
        print(f"  {where}, {args.show} examples:")
        examples = EXAMPLES[where]
        sample = random.Random(1).sample(examples, min(args.show, len(examples)))
        for ocr, gold, scores, unscored_reason in sample:
            reason = scoring(_key(gold), scores) if where in DECISION_BINS else ""
            if unscored_reason:
                reason = f"{unscored_reason}; {why(_key(ocr), _key(gold), size)}"
            print(f"    {ocr!r} -> {gold!r}: {reason or why(_key(ocr), _key(gold), size)}")


def _print_splits(splits: list[Split], show: int) -> None:
    """Splits and merges per shape and per kind, how many fixed; with ``show``, examples of
    the three largest kinds left."""
    for name, attribute in (("shape", "shape"), ("kind", "kind")):
        total = Counter(getattr(s, attribute) for s in splits)
        fixed = Counter(getattr(s, attribute) for s in splits if s.fixed)
        print(
            f"  splits and merges per {name} (OCR words -> gold words, 3 = three or more): "
            + ", ".join(f"{k} {fixed[k]}/{n} fixed" for k, n in total.most_common())
        )
    left = Counter(s.kind for s in splits if not s.fixed)
    print("  left per kind: " + ", ".join(f"{k} {n}" for k, n in left.most_common()))
    for kind in JOIN_KINDS:
        why = Counter(s.why[0] for s in splits if s.kind == kind and not s.fixed)
        print(f"  {kind} left, why: " + ", ".join(f"{k} {n}" for k, n in why.most_common()))
    shown = dict.fromkeys([k for k, _ in left.most_common(3)] + list(JOIN_KINDS))
    for kind in shown if show else ():
        print(f"  {kind}, {show} examples left:")
        examples = [s for s in splits if s.kind == kind and not s.fixed]
        for split in random.Random(1).sample(examples, min(show, len(examples))):
            why = f": {'; '.join(filter(None, split.why))}" if split.why[0] else ""
            print(f"    {' '.join(split.ocr)!r} -> {' '.join(split.gold)!r}{why}")


def scoring(gold: str, scores: tuple) -> str:
    """How the decoder scored the gold reading against the best and the runner-up, with the
    document's noise share, the extra gain a real word needed and the token's context."""
    if scores is None:
        return "a lone letter, read only with its junk character"
    rows, left, right, real, noise, extra, cautious = scores
    gold_row = next((row for row in rows if row[1] == [gold]), None)
    if gold_row is None:
        return "the gold a reading with the junk character beside the token read as a letter"
    other = next((row for row in rows if row is not gold_row), None)
    rival = f"{' '.join(other[1])} {other[0]:.2f}" if other else "none"
    context = " ".join(w or "|" for w in left) + " _ " + " ".join(w or "|" for w in right)
    return (
        f"gain {gold_row[0]:.2f} (lm {gold_row[2]:.2f}, channel {gold_row[3]:.2f}), "
        f"{'best other' if rows[0] is gold_row else 'best'} {rival}; "
        f"{'real word' if real else 'non-word'}, extra {extra:.2f}, noise {noise:.3f}"
        f"{', older spelling' if cautious else ''}; "
        f"[{context}]"
    )


if __name__ == "__main__":
    main()
