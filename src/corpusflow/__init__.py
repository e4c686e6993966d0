"""corpusflow: a reproducible text-analysis pipeline for small historical corpora.

One module per stage of the Snakemake workflow (ingest, cleaning, tokenise, segment,
keyness, topics, report); each is importable and tested on its own.
"""

__version__ = "0.1.0"
