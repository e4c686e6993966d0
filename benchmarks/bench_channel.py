"""Speed of the noisy-channel corrector: words per CPU-second, cold and warm.

Run from the repository root:  python benchmarks/bench_channel.py [--data NAME] [--limit N]

Cleans every OCR document of a vendored ICDAR set (benchmarks/data, see
evaluate_external_ocr.py) as an OCR document without witnesses at the schema's defaults, in
one process, twice: the first pass is cold (it loads the English lists and builds the
candidate index once per process, as a workflow job does), the second warm. Prints, per pass,
the words of the OCR text per CPU-second (``time.process_time``) of the whole cleaning stage
and of the channel corrector alone (:func:`corpusflow.cleaning.decoding.channel_corrections`,
timed by wrapping it). Target (#23): at least 300 words per CPU-second for the corrector.
"""

from __future__ import annotations

import argparse
import time

from evaluate_external_ocr import SETS, clean, documents

import corpusflow.cleaning.wordpass as wordpass
from corpusflow.cleaning.lexicon import tokens
from corpusflow.config import default_config

SPENT = {"channel": 0.0}


def _timed(function):
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT["channel"] += time.process_time() - started

    return wrapper


def run_pass(docs, cleaning) -> tuple[float, float]:
    """CPU seconds of the whole stage and of the channel corrector over ``docs``."""
    SPENT["channel"] = 0.0
    started = time.process_time()
    for document in docs:
        clean(document, cleaning)
    return time.process_time() - started, SPENT["channel"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", choices=SETS, default=SETS[0])
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    wordpass.channel_corrections = _timed(wordpass.channel_corrections)
    docs = documents(args.data, "all", args.limit)
    words = sum(len(tokens(d.ocr)) for d in docs)
    cleaning = default_config()["cleaning"]
    print(f"{args.data}: {len(docs)} documents, {words} OCR words, one process")
    for name in ("cold", "warm"):
        total, channel = run_pass(docs, cleaning)
        print(
            f"  {name}: stage {total:.1f} CPU s ({words / total:.0f} words/CPU-s), channel "
            f"corrector {channel:.1f} CPU s ({words / channel:.0f} words/CPU-s)"
        )


if __name__ == "__main__":
    main()
