"""Snakemake logger plugin ``corpusflow``: one progress line per job (see corpusflow.progress).

Snakemake finds logger plugins by this module name; the code lives in the package.
"""

from corpusflow.progress import ProgressHandler as LogHandler

__all__ = ["LogHandler"]
