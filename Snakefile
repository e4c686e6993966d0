# corpusflow: OCR cleaning, tokenisation, keyness and topic models for a small historical corpus.
# The logic lives in the installable package (src/corpusflow); each stage's rules are in
# workflow/rules/<stage>.smk. Run with `make analysis` (see README.md).
#
# The config file comes from the workflow profile (config/config.yaml, this study) or from
# --configfile (another corpus: only the files named there, over the schema's neutral defaults).

from snakemake.utils import min_version

min_version("9.0")


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/clean.smk"
include: "workflow/rules/tokenise.smk"
include: "workflow/rules/keyness.smk"
include: "workflow/rules/calibration.smk"
include: "workflow/rules/topics.smk"
include: "workflow/rules/explorer.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        final_outputs(),
