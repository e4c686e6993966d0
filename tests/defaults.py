"""The schema's defaults for tests that call package functions directly.

Package functions take config values without defaults of their own (docs/development.md,
rule 4), so a test passes the schema's value from here, never a literal copied from the schema.
"""

from corpusflow.config import default_config

DEFAULTS = default_config()
BATCH_SIZE = DEFAULTS["tokenise"]["batch_size"]
TARGET_TOKENS = DEFAULTS["segments"]["target_tokens"]
UNICODE_FORM = DEFAULTS["ingest"]["unicode_form"]
