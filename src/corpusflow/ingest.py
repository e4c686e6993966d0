"""Ingest: turn a raw file into the text every later stage reads, and record what it was.

Ingest decodes strictly (a wrong encoding is an error, never a silent replacement character),
normalises line endings and Unicode, and strips configured web boilerplate. It changes nothing
else: OCR errors, hard wraps and hyphenation are the cleaning stage's business.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from corpusflow.errors import InputError


@dataclass(frozen=True)
class BoilerplateProfile:
    """Lines to strip from a web page: a header ending at ``header_until`` (inclusive) and a
    footer starting at ``footer_from``. Either may be empty."""

    header_until: str = ""
    footer_from: str = ""


@dataclass
class IngestedDocument:
    text: str
    metadata: dict = field(default_factory=dict)


def decode_strict(data: bytes, encoding: str, path: str | Path) -> str:
    """Decode ``data``; on failure name the file, line and column of the first bad byte."""
    try:
        return data.decode(encoding)
    except LookupError as error:
        raise InputError(
            "CF211",
            f"{path}: unknown encoding {encoding!r}; fix the encoding column of the manifest",
        ) from error
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        bad = data[error.start : error.end]
        raise InputError(
            "CF211",
            f"{path}, line {line}, column {column}: byte(s) {bad!r} are not valid {encoding}; "
            "declare the file's real encoding in the manifest (e.g. utf-8, cp1252) or convert "
            "a copy of the file",
        ) from error


def strip_boilerplate(
    lines: list[str], profile: BoilerplateProfile, path: str | Path
) -> tuple[list[str], dict]:
    """Remove the header and footer lines matched by ``profile``; report what was removed."""
    start, end = 0, len(lines)
    if profile.header_until:
        pattern = re.compile(profile.header_until)
        hits = [i for i, line in enumerate(lines) if pattern.search(line)]
        if not hits:
            raise InputError(
                "CF208",
                f"{path}: boilerplate header pattern {profile.header_until!r} matches no line; "
                "fix the profile in the config or the manifest's boilerplate column",
            )
        start = hits[0] + 1
    if profile.footer_from:
        pattern = re.compile(profile.footer_from)
        hits = [i for i, line in enumerate(lines) if i >= start and pattern.search(line)]
        if not hits:
            raise InputError(
                "CF208",
                f"{path}: boilerplate footer pattern {profile.footer_from!r} matches no line; "
                "fix the profile in the config or the manifest's boilerplate column",
            )
        end = hits[-1]
    removed = {"header_lines": start, "footer_lines": len(lines) - end}
    return lines[start:end], removed


def ingest_document(
    path: str | Path,
    *,
    encoding: str = "utf-8",
    unicode_form: str = "NFC",
    boilerplate: BoilerplateProfile | None = None,
) -> IngestedDocument:
    """Read, decode, normalise and strip one raw file.

    Returns the text (``\\n`` line endings, ending in one newline) and metadata: the raw file's
    sha256 and size, and the numbers of boilerplate lines removed. Raises :class:`InputError`
    for a missing or unreadable file, bytes invalid in ``encoding``, or an empty document.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            "CF209",
            f"{path}: cannot read the file ({error.strerror}); check the manifest's path column",
        ) from error
    text = decode_strict(data, encoding, path)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize(unicode_form, text)
    lines = text.split("\n")
    removed = {"header_lines": 0, "footer_lines": 0}
    if boilerplate is not None:
        lines, removed = strip_boilerplate(lines, boilerplate, path)
    text = "\n".join(lines).strip("\n") + "\n"
    if not text.strip():
        raise InputError(
            "CF212",
            f"{path}: the document is empty or whitespace only; "
            "remove its manifest row or fix the file",
        )
    metadata = {
        "path": str(path),
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "encoding": encoding,
        "unicode_form": unicode_form,
        "boilerplate_removed": removed,
        "characters": len(text),
    }
    return IngestedDocument(text=text, metadata=metadata)
