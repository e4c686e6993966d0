"""Render the explorer page: one HTML file with its data, script and style inline.

Safe by construction: the data goes into a ``<script type="application/json">`` block with
``<``, ``>`` and ``&`` escaped as JSON unicode escapes (no text can close the block), the
script inserts every corpus string with ``textContent``, and a Content-Security-Policy of
``default-src 'none'`` allows only the page's own inline script and style (by sha256), so the
browser refuses any request and any injected script or style.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator

from jinja2 import Environment, PackageLoader, StrictUndefined

_ENV = Environment(
    loader=PackageLoader("corpusflow.explorer", "assets"),
    autoescape=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


def _asset(name: str) -> str:
    source, _, _ = _ENV.loader.get_source(_ENV, name)
    return source


def csp_hash(source: str) -> str:
    """The CSP source expression allowing an inline block whose content is ``source``."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _escape(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


#: Containers are split into pieces down to this depth; deeper values are encoded whole.
_SPLIT_DEPTH = 4


def _json_parts(value, depth: int) -> Iterator[str]:
    if depth >= _SPLIT_DEPTH or not isinstance(value, (dict, list)) or not value:
        yield _json(value)
    elif isinstance(value, dict):
        for n, key in enumerate(sorted(value)):
            yield ("{" if n == 0 else ",") + _json(str(key)) + ":"
            yield from _json_parts(value[key], depth + 1)
        yield "}"
    else:
        for n, item in enumerate(value):
            yield "[" if n == 0 else ","
            yield from _json_parts(item, depth + 1)
        yield "]"


def data_json_parts(data: dict) -> Iterator[str]:
    """:func:`data_json` in pieces (one document's text or table at a time), so the page can
    be written without holding the whole JSON text in memory; joined, they are
    :func:`data_json`'s text byte for byte. Keys must be strings (as JSON's are)."""
    for part in _json_parts(data, 0):
        yield _escape(part)


def data_json(data: dict) -> str:
    """``data`` as compact JSON with sorted keys, safe inside a script element."""
    return _escape(_json(data))


def content_security_policy(script: str, style: str) -> str:
    """``default-src 'none'`` plus the hashes of the page's one inline script and style."""
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {csp_hash(script)}",
            f"style-src {csp_hash(style)}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def render_page_parts(data: dict) -> Iterator[str]:
    """The explorer page for ``data`` (the views of :mod:`corpusflow.explorer`) in pieces, the
    data's JSON text streamed (:func:`data_json_parts`): write them with
    :func:`corpusflow.io.write_lines`."""
    script, style = _asset("explorer.js"), _asset("explorer.css")
    for name, source in (("explorer.js", script), ("explorer.css", style)):
        if "</" in source:
            raise ValueError(f"{name} must not contain '</' (it would end its element)")
    template = _ENV.get_template("explorer.html.j2")
    marker, hashed = "\u0000data\u0000", "\u0000hash\u0000"  # never in the page: JSON escapes NUL
    page = template.render(
        csp=content_security_policy(script, style),
        script=script,
        style=style,
        data=marker,
        data_hash=hashed,
    )
    head, tail = page.split(marker)
    yield head
    digest = hashlib.sha256()
    for part in data_json_parts(data):
        digest.update(part.encode("utf-8"))
        yield part
    # The sha256 of the data's JSON text: the page keys the reader's saved decisions by it.
    yield tail.replace(hashed, digest.hexdigest())


def render_page(data: dict) -> str:
    """The explorer page for ``data`` (the views of :mod:`corpusflow.explorer`) as one text."""
    return "".join(render_page_parts(data))
