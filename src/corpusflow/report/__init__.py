"""The report stage: what Snakemake's report.html is made from (captions, checks)."""
