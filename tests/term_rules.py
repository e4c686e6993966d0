"""Term rules for tests that call the terms builder (corpusflow.terms) directly: the keyness
stage's own rules (keyness.counting.term_rules) on the schema's defaults, with changes."""

from dataclasses import replace

from corpusflow.keyness.counting import term_rules
from corpusflow.terms import TermRules
from tests.keyness_corpus import settings


def keyness_rules(*, learn_phrases=False, variants=None, **changes) -> TermRules:
    """The keyness rules of the schema's defaults with ``changes`` (keyness keys): spelling
    not folded unless ``variants`` (a form -> key table) are given, two-word units learned
    only with ``learn_phrases``."""
    rules = term_rules(settings(**changes), fold=False, learn=learn_phrases)
    return rules if variants is None else replace(rules, variants=variants)
