"""Parse-time checks of the report stage (light imports: run by corpusflow.startup.check_run).

Snakemake 9's report.html embeds every reported job's params, as text, inside a ``<script>``
element without escaping ``</`` (snakemake.report.FileRecord: only newlines and double quotes
are escaped). The rules pass config values as params (the stage contract's settings), so a
config string holding ``</script`` would end that element and the rest of the string would run
as markup in the report. Such strings are refused before any job, all at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from corpusflow.errors import ConfigError

#: What ends a script element, or starts the escape state in which one can be swallowed.
SCRIPT_BREAKERS = re.compile(r"</|<!--", re.IGNORECASE)


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string in ``value`` (mapping keys included) with its dotted config path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(key, f"{path}.{key}" if path else str(key))
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            yield from _strings(item, f"{path}[{n}]")


def check_report_text(config: Mapping[str, Any]) -> None:
    """Raise ConfigError (CF706) naming every config string that holds ``</`` or ``<!--``."""
    bad = sorted({path for path, text in _strings(config, "") if SCRIPT_BREAKERS.search(text)})
    if bad:
        raise ConfigError(
            "CF706",
            f"{', '.join(bad)}: the value holds '</' or '<!--', which report.html cannot embed "
            "as text (Snakemake writes rule params into a script element unescaped). Remove "
            "them from the value (write '< /' if the text must show the characters).",
            key=re.sub(r"\[\d+\]", "", bad[0]),
        )
