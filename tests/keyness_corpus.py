"""Token and segment tables of the real corpus for the keyness tests.

The texts are laid out like the cleaning stage's output (one paragraph per line, a blank line
between paragraphs: blank-line separated blocks with their hard wraps joined), then tokenised
and segmented with the workflow's own functions (``corpusflow.tokenise``, ``corpusflow.segment``).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from corpusflow.config import default_config
from corpusflow.io import write_parquet
from corpusflow.keyness.settings import KeynessSettings
from corpusflow.keyness.tables import keyness_table
from corpusflow.segment import make_segments
from corpusflow.settings import from_config
from corpusflow.tokenise import load_pipeline, tokenise_text
from tests.defaults import BATCH_SIZE, TARGET_TOKENS

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
ANALYSED = ("kollontai-ocr", "olivier-commentary")


def settings(**overrides) -> KeynessSettings:
    """The schema's default keyness settings, with top-level ``overrides``."""
    defaults = from_config(KeynessSettings, default_config(), "keyness")
    return dataclasses.replace(defaults, **overrides)


def table_of(occurrences, target_docs, reference_docs, **overrides):
    """:func:`keyness_table` of two sides with the default settings and ``overrides`` (the
    test is ``segment_test``; ``interval=False`` leaves the interval empty)."""
    interval = overrides.pop("interval", True)
    chosen = settings(**overrides)
    return keyness_table(
        occurrences,
        sides={"target": list(target_docs), "reference": list(reference_docs)},
        settings=chosen,
        test=chosen.segment_test,
        interval=interval,
    )


def cleaned_like(raw: str) -> str:
    """One paragraph per line: blank-line separated blocks with their hard wraps joined."""
    blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", raw)]
    return "\n\n".join(block for block in blocks if block) + "\n"


def build(folder: Path, doc_ids=ANALYSED, copies: int = 1) -> dict:
    """Write texts, token and segment tables under ``folder``; return their paths by kind.

    With ``copies > 1`` every document is written that many times as separate documents
    (``<doc_id>-c01`` ...), for scaling measurements.
    """
    nlp = load_pipeline()
    paths = {"texts": [], "tokens": [], "segments": [], "docs": {}}
    for doc_id in doc_ids:
        text = cleaned_like((CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8"))
        tokens = tokenise_text(text, doc_id, nlp, batch_size=BATCH_SIZE)
        segments = make_segments(tokens, doc_id, target_tokens=TARGET_TOKENS)
        for copy in range(copies):
            name = doc_id if copies == 1 else f"{doc_id}-c{copy:02d}"
            paths["docs"].setdefault(doc_id, []).append(name)
            text_path = folder / "clean" / f"{name}.txt"
            text_path.parent.mkdir(parents=True, exist_ok=True)
            text_path.write_text(text, encoding="utf-8")
            paths["texts"].append(text_path)
            renamed_segments = segments.assign(
                doc_id=name, segment_id=segments["segment_id"].str.replace(doc_id, name)
            )
            for kind, frame in (
                ("tokens", tokens.assign(doc_id=name)),
                ("segments", renamed_segments),
            ):
                path = folder / kind / f"{name}.parquet"
                write_parquet(frame, path)
                paths[kind].append(path)
    return paths
