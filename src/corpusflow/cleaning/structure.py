"""Paragraph structure: page furniture, hard-wrapped lines, dehyphenation.

Everything here is logged as :class:`~corpusflow.cleaning.edits.Edit` objects on the ingested
text. The output layout is one paragraph per line (headings are paragraphs of their own),
paragraphs separated by one blank line, no leading or trailing spaces, runs of spaces collapsed.

Hard-wrapped (OCR) text: a line ends its paragraph when the first word of the next line would
have fitted on it (the line is visibly short of the wrap width), or, in a narrower band, when it
is nearly short and ends with sentence punctuation while the next line starts like a sentence.
The wrap width is estimated from the document's own line lengths. Blank-line runs (page
breaks) carry no paragraph evidence by themselves: a paragraph continues across them when the
line before the break is full.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from corpusflow.cleaning.edits import Edit, output_spans

# Sentence punctuation, possibly followed by closing quotes; a closing double quote or
# bracket; not an apostrophe after a letter (the possessive "Workers'").
SENTENCE_END = re.compile(r"""[.?!:;]["'’”)]*$|["”)]$|(?<![^\W\d_])['’]$""")
SENTENCE_START = re.compile(r"""^["'‘“(\[]*[A-Z0-9]""")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
LINE_END_HYPHEN = re.compile(r"([^\W\d_]+)-$")
SPACED_HYPHEN = re.compile(r"(?<![\w-])([^\W\d_]+)- ([^\W\d_]+)(?![\w-])")
INLINE_HYPHEN = re.compile(r"(?<![\w-])([^\W\d_]+)-([^\W\d_]+)(?![\w-])")
PAGE_NUMBER = re.compile(r"^[\[(-]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[\])-]?$", re.IGNORECASE)


HyphenDecider = Callable[[str, str], tuple[bool, str]]


def keep_hyphen(left: str, right: str) -> tuple[bool, str]:
    """Hyphen decider that never joins."""
    return False, "no evidence consulted"


@dataclass(frozen=True)
class Line:
    """A non-blank line: the span of its content (without surrounding spaces) in the text."""

    start: int
    end: int
    text: str


def content_lines(text: str) -> list[Line]:
    """Non-blank lines of ``text`` with the offsets of their stripped content."""
    lines = []
    position = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = position + (len(raw) - len(raw.lstrip()))
            lines.append(Line(start, start + len(stripped), stripped))
        position += len(raw) + 1
    return lines


def section_break(line: str) -> bool:
    """Whether ``line`` is a section break: one mark, no letter or digit, three times or more
    ("* * *", "***", "———"). A lone mark ("—", a quote, OCR specks such as "-»") is none."""
    marks = line.replace(" ", "")
    return len(marks) >= 3 and len(set(marks)) == 1 and not marks[0].isalnum()


def page_furniture(lines: list[Line], min_repeats: int = 3) -> set[int]:
    """Indices of lines that are page numbers or running heads.

    A page number is a line holding only a number (arabic or roman, optionally bracketed); a
    running head is a short line (at most 8 words) repeated verbatim ``min_repeats`` times or more
    that is no section break (:func:`section_break`, "* * *").
    """
    counts = Counter(
        line.text for line in lines if len(line.text.split()) <= 8 and not section_break(line.text)
    )
    return {
        i
        for i, line in enumerate(lines)
        if PAGE_NUMBER.match(line.text) or counts[line.text] >= min_repeats
    }


def wrap_width(lines: list[Line], quantile: float = 0.9) -> int:
    """Estimate the wrap width of hard-wrapped text: a high quantile of its line lengths."""
    lengths = sorted(len(line.text) for line in lines)
    if not lengths:
        return 0
    return lengths[min(len(lengths) - 1, int(quantile * len(lengths)))]


def detect_hard_wrapped(
    text: str, *, max_width: int = 150, min_lowercase_starts: float = 0.25, min_lines: int = 5
) -> tuple[bool, str]:
    """Whether ``text`` is hard-wrapped (prose broken into lines of a fixed width).

    Evidence from the text alone: the wrap width (:func:`wrap_width`) is at most ``max_width``
    characters, and at least ``min_lowercase_starts`` of the lines that follow another line
    directly start with a lowercase letter (a sentence running on; in text with one paragraph
    per line almost no line does). Fewer than ``min_lines`` non-blank lines: not wrapped.
    Returns ``(wrapped, evidence)``.
    """
    lines = content_lines(text)
    if len(lines) < min_lines:
        return False, f"{len(lines)} non-blank lines"
    width = wrap_width(lines)
    pairs = zip(lines, lines[1:], strict=False)
    following = [b.text for a, b in pairs if text.count("\n", a.end, b.start) == 1]
    lowercase = sum(line[:1].islower() for line in following) / max(1, len(following))
    wrapped = width <= max_width and lowercase >= min_lowercase_starts
    return wrapped, f"wrap width {width}, lines continuing in lowercase {lowercase:.2f}"


def ends_paragraph(
    line: str, next_line: str, width: int, full_ratio: float, punct_ratio: float
) -> bool:
    """Whether hard-wrapped ``line`` ends its paragraph, given the line after it.

    The line ends a paragraph if the next line's first word would have fitted within
    ``full_ratio * width``, or within ``punct_ratio * width`` when the line ends with sentence
    punctuation and the next one starts like a sentence. A next line starting in lowercase
    always continues the paragraph (or a two-line heading).
    """
    if next_line[:1].islower():
        return False
    needed = len(line) + 1 + len(next_line.split()[0])
    if needed <= full_ratio * width:
        return True
    return (
        needed <= punct_ratio * width
        and bool(SENTENCE_END.search(line))
        and bool(SENTENCE_START.match(next_line))
    )


def structure_edits(
    text: str,
    *,
    hard_wrapped: bool,
    ocr: bool,
    full_ratio: float,
    punct_ratio: float,
    running_head_repeats: int,
    decide_hyphen: HyphenDecider | None = None,
) -> list[Edit]:
    """Edits that turn ``text`` into one paragraph per line, blank line between paragraphs.

    ``hard_wrapped``: OCR-like text wrapped at a fixed width, whose lines are joined into
    paragraphs where :func:`ends_paragraph` (``full_ratio``, ``punct_ratio``) finds no end;
    otherwise each non-blank line is a paragraph; a section break (:func:`section_break`)
    is always one. ``ocr``: page furniture (page numbers, and
    running heads: short lines repeated ``running_head_repeats`` times) is removed, a
    blank-line run is a page break that a full line continues across, and ``decide_hyphen``
    (``(left, right) -> (join, evidence)``, :class:`HyphenEvidence`; by default never) may join
    a word hyphenated at a line end. Hard-wrapped text that is not OCR: blank lines always end
    paragraphs, no line is removed and every hyphen is kept (joining lines changes no word).

    Returns gap edits (rules ``paragraph_break``, ``line_join``, ``page_furniture``, ``trim``;
    a line ending in a hyphenated word is joined without a space, as ``dehyphenate``, hyphen
    removed, or ``line_join_hyphen``, hyphen kept) and ``whitespace`` edits collapsing runs of
    spaces inside lines.
    """
    if decide_hyphen is None:
        decide_hyphen = keep_hyphen
    lines = content_lines(text)
    if not lines:
        return [Edit(0, len(text), "", "trim")] if text else []
    if not ocr:
        decide_hyphen = keep_hyphen
    furniture = page_furniture(lines, running_head_repeats) if hard_wrapped and ocr else set()
    kept = [i for i in range(len(lines)) if i not in furniture]
    width = wrap_width([lines[i] for i in kept])
    first, last = lines[kept[0]], lines[kept[-1]]
    edits = [Edit(0, first.start, "", "trim")] if first.start else []
    for i, j in zip(kept, kept[1:], strict=False):
        line, following = lines[i], lines[j]
        blank_between = text.count("\n", line.end, following.start) > 1
        ends = hard_wrapped and ends_paragraph(
            line.text, following.text, width, full_ratio, punct_ratio
        )
        if _continues(line.text, following.text, hard_wrapped, ocr, blank_between) and not ends:
            start, gap_rule, gap, evidence = _line_join(line, following, decide_hyphen)
        else:
            start, gap_rule, gap, evidence = line.end, "paragraph_break", "\n\n", ""
        if j > i + 1:
            gap_rule += "+page_furniture"
        if text[start : following.start] != gap:
            edits.append(Edit(start, following.start, gap, gap_rule, evidence))
    if text[last.end :] != "\n":
        edits.append(Edit(last.end, len(text), "\n", "trim"))
    return sorted(edits + _whitespace_edits(lines[i] for i in kept))


def _line_join(
    line: Line, following: Line, decide_hyphen: HyphenDecider
) -> tuple[int, str, str, str]:
    """``(start, rule, gap, evidence)`` of the edit joining ``line`` to the next one: a
    space, or nothing after a line-end hyphen, which ``decide_hyphen`` may remove too."""
    hyphen = LINE_END_HYPHEN.search(line.text)
    if not hyphen:
        return line.end, "line_join", " ", ""
    right = WORD.match(following.text)
    join, evidence = decide_hyphen(hyphen.group(1), right.group()) if right else (False, "")
    if join:
        return line.end - 1, "dehyphenate", "", evidence  # the join removes the hyphen too
    return line.end, "line_join_hyphen", "", evidence


@dataclass(frozen=True)
class LineEnds:
    """The layout step's line ends, for the channel's joins across them (:mod:`.segment`):
    ``joined``, the offsets of the spaces that join two wrapped lines, and ``hyphens``, how
    many words broken at a line end (or inside a line, the trace of an earlier line break)
    the layout step found hyphenated (rules ``dehyphenate``, ``line_join_hyphen``): the OCR
    kept those hyphens."""

    joined: frozenset[int] = frozenset()
    hyphens: int = 0


#: A text without wrapped lines (or read without the layout step's evidence).
NO_LINE_ENDS = LineEnds()


def joined_line_ends(edits: list[Edit]) -> LineEnds:
    """The :class:`LineEnds` of the text after ``edits``: the offsets there of the spaces of
    rule ``line_join``, including a join across a removed page number or running head
    (``line_join+page_furniture``); where a word broken at a line end lost its hyphen, the
    channel reads a join across them as likelier than one across a space inside a line."""
    edits = sorted(edits)
    joined = frozenset(
        start
        for edit, (start, _) in zip(edits, output_spans(edits), strict=True)
        if edit.rule.startswith("line_join") and edit.after == " "
    )
    hyphens = sum(e.rule.split("+")[0] in ("dehyphenate", "line_join_hyphen") for e in edits)
    return LineEnds(joined, hyphens)


def _whitespace_edits(lines) -> list[Edit]:
    """Runs of spaces, tabs and no-break spaces inside ``lines``, each made one space."""
    edits = []
    for line in lines:
        for match in re.finditer(r"\s{2,}|[\t\xa0]", line.text):
            if match.group() != " ":
                start = line.start + match.start()
                edits.append(Edit(start, start + len(match.group()), " ", "whitespace"))
    return edits


def _continues(line: str, following: str, hard_wrapped: bool, ocr: bool, blank: bool) -> bool:
    """Whether the line break after ``line`` may join it to ``following``: in hard-wrapped text
    (across a blank-line run only in OCR), and in OCR text of any layout where a word broken
    by a line-end hyphen runs on in lowercase ("De-" / "cember" in list-like text). A section
    break ("* * *") is always a paragraph of its own."""
    if section_break(line) or section_break(following):
        return False
    if hard_wrapped:
        return ocr or not blank
    return ocr and not blank and bool(LINE_END_HYPHEN.search(line)) and following[:1].islower()


class HyphenEvidence:
    """Decide whether ``left-right`` split by a hyphen is one word ("homo-geneous") or a compound.

    Evidence in order: the witnesses' usage of "leftright" against "left-right", the
    document's own usage, then the lexicon. ``zipf`` maps a lowercase word to its Zipf
    frequency (wordfreq scale; 0 for unknown words).

    Parameters
    ----------
    witness_counts, corpus_counts : Counter
        Lowercase word forms (hyphenated compounds as one form) in the witnesses and in the
        document.
    zipf : callable
        Lexicon frequency of a lowercase word.
    min_zipf : float
        A joined form at least this frequent counts as a word of the lexicon.
    """

    def __init__(
        self,
        witness_counts: Counter,
        corpus_counts: Counter,
        zipf: Callable[[str], float],
        min_zipf: float = 2.0,
    ):
        self.witness_counts = witness_counts
        self.corpus_counts = corpus_counts
        self.zipf = zipf
        self.min_zipf = min_zipf

    def decide(self, left: str, right: str, *, inline: bool = False) -> tuple[bool, str]:
        """Return ``(join, evidence)``.

        ``inline`` marks a hyphen inside a line ("homo-geneous"), where the hyphen is normally
        real: the lexicon then joins only if one part is not a word on its own.
        """
        joined = (left + right).lower()
        hyphenated = f"{left}-{right}".lower()
        for source, counts in (
            ("witnesses", self.witness_counts),
            ("document", self.corpus_counts),
        ):
            solid, split = counts[joined], counts[hyphenated]
            if source == "document" and inline:
                split = max(0, split - 1)  # the occurrence being decided
            if solid != split:
                evidence = f"{source}: {joined}x{solid} {hyphenated}x{split}"
                return solid > split, evidence
        frequency = self.zipf(joined)
        evidence = f"lexicon: zipf({joined})={frequency:.2f}"
        if frequency < self.min_zipf:
            return False, evidence
        if inline:
            parts = min(self.zipf(left.lower()), self.zipf(right.lower()))
            evidence += f" min part zipf={parts:.2f}"
            return parts < self.min_zipf, evidence
        return True, evidence

    def __call__(self, left: str, right: str) -> tuple[bool, str]:
        return self.decide(left, right)

    def attested_compound(self, left: str, right: str) -> str | None:
        """Evidence that ``left-right`` is a hyphenated compound written elsewhere (in a
        witness, else in the document) at least as often as the solid form; None without it."""
        joined = (left + right).lower()
        hyphenated = f"{left}-{right}".lower()
        for source, counts in (
            ("witnesses", self.witness_counts),
            ("document", self.corpus_counts),
        ):
            if counts[hyphenated] and counts[hyphenated] >= counts[joined]:
                return f"{source}: {hyphenated}x{counts[hyphenated]} {joined}x{counts[joined]}"
        return None


#: A sentence end or comma run into the next word ("centres.If", "officials?And", "war,and"):
#: at least two letters before the mark, so that "e.g." and "U.S.A." are not split.
MISSING_SPACE = re.compile(r"(?<=[^\W\d_]{2})(?:[.?!](?=[A-Z][a-z])|,(?=[^\W\d_]{2}))")
#: The two classes of marks whose spacing a document sets by its own convention.
SPACING_MARKS = {"sentence end": ".?!", "comma": ","}
SET_TIGHT = re.compile(r"(?<=[^\W\d_]{2})([.?!,])(?=[^\W\d_])")
SET_SPACED = re.compile(r"(?<=[^\W\d_]{2})([.?!,])\s")


def spacing_convention(text: str, max_share: float) -> tuple[frozenset[str], str]:
    """The marks of ``text`` whose lost space may be put back, and the evidence.

    A document's own counts decide, per class of mark (:data:`SPACING_MARKS`): of the marks
    after two letters, those run into a letter ("war,and") and those followed by a space. OCR
    loses a space now and then; where more than ``max_share`` of a class is run in, the page
    sets it that way (early modern print, "Bulles,and"; a black-letter period as a virgule)
    and an unspaced mark is kept as printed.
    """
    tight = Counter(match.group(1) for match in SET_TIGHT.finditer(text))
    spaced = Counter(match.group(1) for match in SET_SPACED.finditer(text))
    restored, notes = set(), []
    for name, marks in SPACING_MARKS.items():
        run_in, total = sum(tight[m] for m in marks), sum(tight[m] + spaced[m] for m in marks)
        share = run_in / total if total else 0.0
        keep = share > max_share
        if not keep:
            restored.update(marks)
        verdict = "kept as printed" if keep else "space restored"
        notes.append(f"{name} run in {run_in} of {total} ({share:.1%}): {verdict}")
    return frozenset(restored), "; ".join(notes) + f"; limit {max_share:.1%}"


def missing_space_edits(text: str, max_share: float) -> tuple[list[Edit], str]:
    """Edits putting the space OCR lost after a sentence end or a comma (for OCR text only:
    a clean text is never respaced), for the marks the document spaces as a rule, and the
    evidence of that decision (:func:`spacing_convention` with ``max_share``)."""
    marks, evidence = spacing_convention(text, max_share)
    edits = [
        Edit(m.end(), m.end(), " ", "missing_space", f"{m.group()} between letters; {evidence}")
        for m in MISSING_SPACE.finditer(text)
        if m.group() in marks
    ]
    return edits, evidence


def hyphen_edits(text: str, decide: HyphenEvidence) -> list[Edit]:
    """Edits for hyphens inside lines: "under- stand" (a spaced hyphen, the trace of an
    earlier line break) and "homo-geneous" (an inline hyphen), joined where ``decide`` finds
    the joined form a word. A spaced hyphen that is not joined is left as it is: it is as
    often a dash or a suspended compound ("nineteenth- and") as a lost line break, unless the
    compound ("self-activity") is written whole elsewhere: then the stray space goes.
    """
    edits = []
    for match in SPACED_HYPHEN.finditer(text):
        left, right = match.groups()
        join, evidence = decide.decide(left, right)
        if join:
            edits.append(Edit(match.start(), match.end(), left + right, "dehyphenate", evidence))
        elif compound := decide.attested_compound(left, right):
            edits.append(
                Edit(match.start(), match.end(), f"{left}-{right}", "spaced_compound", compound)
            )
    for match in INLINE_HYPHEN.finditer(text):
        left, right = match.groups()
        join, evidence = decide.decide(left, right, inline=True)
        if join:
            edits.append(Edit(match.start(), match.end(), left + right, "dehyphenate", evidence))
    return edits
