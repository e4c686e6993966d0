# corpusflow: OCR cleaning, tokenisation, keyness and topic models for a small historical corpus.
# The logic lives in the installable package (src/corpusflow); each stage's rules are in
# workflow/rules/<stage>.smk. Run with `make analysis` (see README.md).
#
# The config is this study's config/config.yaml (relative to the folder you run in), unless
# --configfile names others: then only those, over the schema's neutral defaults (another corpus).
# As a Snakemake module, the `config:` of the module block is the config.

from snakemake.utils import min_version

min_version("9.0")


if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


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
