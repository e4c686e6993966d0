"""Ingest: turn a raw file into the text every later stage reads, and record what it was.

Ingest decodes strictly (a wrong encoding is an error, never a silent replacement character),
normalises line endings and Unicode, and strips configured web boilerplate. It changes nothing
else: OCR errors, hard wraps and hyphenation are the cleaning stage's business.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpusflow import io
from corpusflow.errors import InputError
from corpusflow.ingest_settings import IngestSettings


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
        raise _unknown_encoding(encoding, path) from error
    except UnicodeDecodeError as error:
        raise _decode_error(error, data, 0, encoding, path) from error


def _unknown_encoding(encoding: str, path: str | Path) -> InputError:
    return InputError(
        "CF211", f"{path}: unknown encoding {encoding!r}; fix the encoding column of the manifest"
    )


def _decode_error(
    error: UnicodeDecodeError,
    data: bytes,
    data_offset: int,
    encoding: str,
    path: str | Path,
    *,
    line_number: int | None = 1,
    line_start: int = 0,
) -> InputError:
    """CF211 for bytes invalid in ``encoding``. ``data`` (what was being decoded) starts at byte
    ``data_offset`` of the file, on line ``line_number``, whose first byte is ``line_start``
    (``None``: lines cannot be counted in bytes, as in UTF-16; only the offset is given)."""
    if line_number is None:
        where = f"byte offset {data_offset + error.start},"
    else:
        where = _where(data, error.start, data_offset, line_number, line_start)
    bad = data[error.start : error.end]
    # Binary files in ASCII-compatible encodings stop earlier, at their first control byte
    # (CF216), so this advice reaches text files only.
    advice = (
        "declare the file's real encoding in the manifest (e.g. utf-8, cp1252) or convert "
        "a copy of the file"
    )
    return InputError(
        "CF211", f"{path}, {where} byte(s) {bad!r} are not valid {encoding}; {advice}"
    )


def _where(data: bytes, position: int, data_offset: int, line_number: int, line_start: int) -> str:
    """'line L, column C: byte offset B,' of ``data[position]``, 1-based lines and columns."""
    before = data[: max(position, 0)]
    newline = before.rfind(b"\n")
    line = line_number + before.count(b"\n")
    start = data_offset + newline + 1 if newline >= 0 else line_start
    byte = data_offset + position
    return f"line {line}, column {byte - start + 1}: byte offset {byte},"


#: Control characters a text file may always hold: tab, line feed, carriage return.
TEXT_CONTROLS = frozenset({0x09, 0x0A, 0x0D})


def _control_pattern(allowed: Iterable[int]) -> tuple[re.Pattern, re.Pattern]:
    """Regexes (bytes, str) matching a C0 control character that is not allowed."""
    allowed = TEXT_CONTROLS | {int(code) for code in allowed}
    codes = [code for code in range(0x20) if code not in allowed]
    if not codes:
        return re.compile(b"(?!)"), re.compile("(?!)")
    klass = "".join(f"\\x{code:02x}" for code in codes)
    return re.compile(f"[{klass}]".encode()), re.compile(f"[{klass}]")


def _control_error(path: str | Path, code: int, where: str) -> InputError:
    if code == 0:
        cause = (
            "NUL bytes do not occur in text: this is most likely a binary file (image, PDF, "
            "word-processor or compressed file) or the wrong file, whatever its declared encoding"
        )
    else:
        cause = (
            "control characters other than tab and line breaks do not occur in plain text: this "
            "is most likely a binary file or the wrong file (or, in a text file, a stray "
            f"character: allow it with ingest.allowed_control_characters: [{code}])"
        )
    return InputError(
        "CF216",
        f"{path}, {where} control character U+{code:04X}; {cause}. "
        "Point the manifest at the plain-text file",
    )


#: Signatures of common binary formats a manifest may point at by mistake.
BINARY_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF-": "a PDF file (extract its text first, e.g. with pdftotext)",
    b"PK\x03\x04": "a ZIP archive or an office document (.docx, .odt, .epub)",
    b"\x1f\x8b": "a gzip-compressed file",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document (.doc)",
    b"{\\rtf": "an RTF document",
}


def _sniff_binary(path: str | Path, head: bytes) -> None:
    """CF216 if ``head`` (the file's first bytes) is the signature of a binary format."""
    for signature, kind in BINARY_SIGNATURES.items():
        if head.startswith(signature):
            raise InputError(
                "CF216",
                f"{path}, byte offset 0: the file starts like {kind}, not text, whatever its "
                "declared encoding; point the manifest at the plain-text file",
            )


def _ascii_compatible(encoding: str) -> bool:
    """Whether bytes 0x00-0x7F mean ASCII in ``encoding`` (so bytes can be scanned directly)."""
    try:
        return bytes(range(0x80)).decode(encoding) == "".join(map(chr, range(0x80)))
    except (UnicodeDecodeError, LookupError):
        return False


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


#: Bytes read at a time: ingest holds one chunk and one line, never the whole file.
CHUNK_BYTES = 1 << 20


class IngestStream:
    """Ingest one raw file in bounded memory: :meth:`lines` yields the ingested text.

    A first pass over the file (made here) checks it (control characters, decoding), hashes it
    and finds the boilerplate bounds; :meth:`lines` makes a second pass yielding the kept lines,
    each ending in ``\\n``, and fills in ``metadata["characters"]``. Memory holds one chunk of
    :data:`CHUNK_BYTES` and one line, whatever the file's size.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        encoding: str,
        unicode_form: str,
        boilerplate: BoilerplateProfile | None,
        allowed_controls: Iterable[int],
    ):
        self.path = Path(path)
        self.encoding = encoding
        self.unicode_form = unicode_form
        self.boilerplate = boilerplate or BoilerplateProfile()
        self.controls = _control_pattern(allowed_controls)
        try:
            codecs.getincrementaldecoder(encoding)
        except LookupError as error:
            raise _unknown_encoding(encoding, self.path) from error
        digest = hashlib.sha256()
        self.size = 0
        header = (
            re.compile(self.boilerplate.header_until) if self.boilerplate.header_until else None
        )
        footer = re.compile(self.boilerplate.footer_from) if self.boilerplate.footer_from else None
        header_hit, footer_hit, count = None, None, 0
        for index, line in enumerate(self._raw_lines(digest=digest)):
            count = index + 1
            if header is not None and header_hit is None and header.search(line):
                header_hit = index
                continue
            after_header = header is None or header_hit is not None
            if footer is not None and after_header and footer.search(line):
                footer_hit = index
        if header is not None and header_hit is None:
            raise InputError(
                "CF208",
                f"{self.path}: boilerplate header pattern {self.boilerplate.header_until!r} "
                "matches no line; fix the profile in the config or the manifest's boilerplate "
                "column",
            )
        if footer is not None and footer_hit is None:
            raise InputError(
                "CF208",
                f"{self.path}: boilerplate footer pattern {self.boilerplate.footer_from!r} "
                "matches no line; fix the profile in the config or the manifest's boilerplate "
                "column",
            )
        self.start = 0 if header_hit is None else header_hit + 1
        self.end = count if footer_hit is None else footer_hit
        self.metadata = {
            "path": str(self.path),
            "sha256": digest.hexdigest(),
            "bytes": self.size,
            "encoding": encoding,
            "unicode_form": unicode_form,
            "boilerplate_removed": {"header_lines": self.start, "footer_lines": count - self.end},
        }

    def lines(self) -> Iterator[str]:
        """The ingested text, line by line (each ending in ``\\n``): the kept lines with
        leading and trailing empty lines dropped. Raises CF212 at the end if nothing but
        whitespace was kept."""
        characters, pending, started, content = 0, 0, False, False
        for index, line in enumerate(self._raw_lines()):
            if index < self.start:
                continue
            if index >= self.end:
                break
            if not line:
                pending += started
                continue
            if pending:
                yield "\n" * pending
                characters += pending
                pending = 0
            started = True
            content = content or bool(line.strip())
            yield line + "\n"
            characters += len(line) + 1
        if not content:
            raise InputError(
                "CF212",
                f"{self.path}: the document is empty or whitespace only; "
                "remove its manifest row or fix the file",
            )
        self.metadata["characters"] = characters

    def _open(self):
        """The raw file, open for reading bytes; an unreadable file is CF209."""
        try:
            return io.open_bytes(self.path)
        except OSError as error:
            raise InputError(
                "CF209",
                f"{self.path}: cannot read the file ({error.strerror}); check the manifest's "
                "path column",
            ) from error

    def _raw_lines(self, digest=None) -> Iterator[str]:
        """Decoded, normalised lines of the whole file (no terminators), checked as they pass."""
        byte_pattern, text_pattern = self.controls
        scan_bytes = _ascii_compatible(self.encoding)
        decoder = codecs.getincrementaldecoder(self.encoding)(errors="strict")
        # Position of the chunk in the file; line number and first byte of its first line
        # (exact for ASCII-compatible encodings; others report byte offsets).
        offset, line_number, line_start, carry, first = 0, 1, 0, "", True
        with self._open() as handle:
            while True:
                chunk = handle.read(CHUNK_BYTES)
                final = not chunk
                if digest is not None:
                    digest.update(chunk)
                if offset == 0:
                    _sniff_binary(self.path, chunk)
                if scan_bytes and (hit := byte_pattern.search(chunk)):
                    where = _where(chunk, hit.start(), offset, line_number, line_start)
                    raise _control_error(self.path, chunk[hit.start()], where)
                try:
                    text = decoder.decode(chunk, final=final)
                except UnicodeDecodeError as error:
                    buffered = len(error.object) - len(chunk)
                    raise _decode_error(
                        error,
                        error.object,
                        offset - buffered,
                        self.encoding,
                        self.path,
                        line_number=line_number if scan_bytes else None,
                        line_start=line_start,
                    ) from error
                if not scan_bytes and (hit := text_pattern.search(text)):
                    byte = offset + len(text[: hit.start()].encode(self.encoding))
                    raise _control_error(self.path, ord(hit.group()), f"near byte offset {byte}:")
                newline = chunk.rfind(b"\n")
                if newline >= 0:
                    line_number += chunk.count(b"\n")
                    line_start = offset + newline + 1
                offset += len(chunk)
                self.size = offset
                if first and text:
                    text = text.removeprefix("\ufeff")
                    first = False
                parts, carry = _split_lines(carry + text, final)
                for part in parts:
                    yield unicodedata.normalize(self.unicode_form, part)
                if final:
                    break
        yield unicodedata.normalize(self.unicode_form, carry)


def _split_lines(text: str, final: bool) -> tuple[list[str], str]:
    """The complete lines of ``text`` (any line ending), and the rest, kept for the next chunk;
    a ``\\r`` at the end of a chunk waits there too (it may be the first half of ``\\r\\n``)."""
    held = ""
    if not final and text.endswith("\r"):
        held, text = "\r", text[:-1]
    parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    rest = parts.pop()
    return parts, rest + held


def ingest_document(
    path: str | Path,
    *,
    encoding: str,
    unicode_form: str,
    boilerplate: BoilerplateProfile | None = None,
    allowed_controls: Iterable[int] = (),
) -> IngestedDocument:
    """Read, decode, normalise and strip one raw file (in memory; see :class:`IngestStream`).

    Returns the text (``\\n`` line endings, ending in one newline) and metadata: the raw file's
    sha256 and size, and the numbers of boilerplate lines removed. Raises :class:`InputError`
    for a missing or unreadable file, control characters that are not allowed (a binary file),
    bytes invalid in ``encoding``, or an empty document.
    """
    stream = IngestStream(
        path,
        encoding=encoding,
        unicode_form=unicode_form,
        boilerplate=boilerplate,
        allowed_controls=allowed_controls,
    )
    text = "".join(stream.lines())
    return IngestedDocument(text=text, metadata=stream.metadata)


def run(
    raw: str | Path, *, encoding: str, boilerplate: str, settings: IngestSettings
) -> IngestStream:
    """The stage's work on one raw file (the stage contract): its checked ingestion, streamed
    (``lines()``, then ``metadata``). ``boilerplate`` names one of the settings' profiles, ""
    for none."""
    profile = settings.boilerplate_profiles[boilerplate] if boilerplate else None
    return IngestStream(
        raw,
        encoding=encoding,
        unicode_form=settings.unicode_form,
        boilerplate=BoilerplateProfile(**profile) if profile else None,
        allowed_controls=settings.allowed_control_characters,
    )
