"""What the parse needs to know of each raw corpus file, read once per content.

Snakemake reruns by time stamp, and the profiles turn input checksums off (they cost minutes on
large corpora). A raw file whose bytes change under an older time stamp (``tar``, ``rsync -a``,
``cp -p``) would then not rerun. So the ingest rule carries each file's sha256 as a param
(:func:`RawFiles.fingerprint`), and the parse checks each file's text before any job.

A file is read only when it is new or changed: the facts are kept under ``.snakemake/`` keyed by
the file's device, inode, size, modification and status-change times. The status-change time
(ctime) is set by the system on every write and cannot be set back by the tools that keep an old
modification time, so a key that matches means the bytes have not changed.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from corpusflow.errors import InputError
from corpusflow.io import read_bytes, read_json, write_json

#: Runs of letters: an upper bound, up to rare splits such as "cannot", of the alphabetic tokens
#: that spaCy finds in the text (the unit segments are measured in).
_LETTERS = re.compile(r"[^\W\d_]+")
#: The facts' format; a change invalidates every cached entry.
_VERSION = 1
_BOMS = {codecs.BOM_UTF16_LE: "utf-16", codecs.BOM_UTF16_BE: "utf-16"}


def _stat_key(path: Path) -> str:
    st = path.stat()
    return f"{_VERSION}:{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def utf16_without_declaration(data: bytes, encoding: str) -> bool:
    """Whether ``data`` looks like UTF-16 text (a byte-order mark, or a NUL beside most ASCII
    letters) while ``encoding`` is an 8-bit one: the manifest then names the wrong encoding."""
    if "16" in encoding or "32" in encoding:
        return False
    if data[:2] in _BOMS:
        return True
    head = data[:4096]
    return len(head) >= 8 and head.count(0) * 3 >= len(head)


def read_facts(path: Path, encoding: str) -> dict:
    """sha256, size, letter-run count and the problem (code, message) of one raw file, if any."""
    data = read_bytes(path)
    facts = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "problem": None}
    if utf16_without_declaration(data, encoding):
        facts["problem"] = (
            "CF211",
            f"{path}: the file is UTF-16 text (NUL bytes beside its letters) but the manifest "
            f"declares {encoding}; set its encoding column to utf-16",
        )
        facts["letter_runs"] = 0
        return facts
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        text = data.decode("utf-8", errors="replace")  # the manifest check names the encoding
    facts["letter_runs"] = len(_LETTERS.findall(text))
    if not text.strip():
        facts["problem"] = (
            "CF212",
            f"{path}: the document is empty or whitespace only; remove its manifest row or "
            "fix the file",
        )
    return facts


class RawFiles:
    """The facts of the raw files a run reads, cached under ``cache`` (a JSON file)."""

    def __init__(self, cache: str | Path):
        self.cache = Path(cache)
        try:
            self._entries = read_json(self.cache)
        except (OSError, ValueError):
            self._entries = {}
        self._changed = False

    def facts(self, path: str | Path, encoding: str) -> dict:
        """The facts of ``path`` decoded as ``encoding``: read only if new or changed."""
        path = Path(path)
        key = f"{_stat_key(path)}:{encoding}"
        entry = self._entries.get(str(path))
        if entry is None or entry["key"] != key:
            entry = {"key": key, "facts": read_facts(path, encoding)}
            self._entries[str(path)] = entry
            self._changed = True
        return entry["facts"]

    def remember(self) -> None:
        """Keep the facts for the next parse (an unwritable cache only means reading again)."""
        if not self._changed:
            return
        try:
            write_json(self._entries, self.cache)
        except OSError:
            return
        self._changed = False

    def problems(self, files: Iterable[tuple[str, str]]) -> list[InputError]:
        """The coded errors of ``files`` ((path, encoding) pairs), in order."""
        return [
            InputError(*facts["problem"])
            for facts in (self.facts(path, encoding) for path, encoding in files)
            if facts["problem"] is not None
        ]

    def fingerprint(self, files: Iterable[tuple[str, str]]) -> str:
        """A short hash of the files' contents, for a rule's ``params:``."""
        digest = hashlib.sha256()
        for path, encoding in files:
            digest.update(f"{path}\0{self.facts(path, encoding)['sha256']}\0".encode())
        return digest.hexdigest()[:16]


def segment_bound(letter_runs: int, target_tokens: int) -> int:
    """The most segments (corpusflow.segment) a document with ``letter_runs`` runs of letters
    can give at ``target_tokens`` alphabetic tokens a segment.

    spaCy splits a run of letters in two only for forms such as "cannot", and cleaning splits
    run-together OCR words: both far rarer than one word in four, so the document has at most
    ``1.25 * letter_runs`` alphabetic tokens. Every segment of a document with more than one
    holds at least half the target (smaller ones join a neighbour), and a document has at
    least one. Real texts give about half this bound: it only catches what no text could meet.
    """
    tokens = letter_runs + letter_runs // 4
    return max(1, tokens // -(-target_tokens // 2))
