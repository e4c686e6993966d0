"""The two sides of the keyword contrast and the checks of the keyness config (light imports:
the rule file uses these at parse time)."""

from __future__ import annotations

from collections.abc import Mapping

from corpusflow.errors import ConfigError
from corpusflow.manifest import Manifest
from corpusflow.phrases import phrase_words

#: Value of ``keyness.reference`` that means "every analysed group except the target".
REST = "rest"

#: What the keyness figures can claim (:func:`design_of`).
DESCRIPTIVE, INFERENTIAL = "descriptive", "inferential"
#: One sentence per design, written into keyness.json and read by the captions.
READING = {
    DESCRIPTIVE: (
        "fewer than keyness.document_min documents on a side: the segments of one text are not "
        "independent draws from a population of texts, so p, q and intervals describe these "
        "texts (which differences are large, spread through the text and stable under "
        "resampling) and test nothing beyond them"
    ),
    INFERENTIAL: (
        "at least keyness.document_min documents on each side: documents are the independent "
        "units of the tests, which then speak of texts like these"
    ),
}


def design_of(target_docs: int, reference_docs: int, document_min: int) -> str:
    """``inferential`` when both sides hold at least ``document_min`` documents (then documents
    are the tests' units), else ``descriptive``. Known at parse time from the manifest."""
    enough = min(target_docs, reference_docs) >= document_min
    return INFERENTIAL if enough else DESCRIPTIVE


def side_documents(manifest: Manifest, target: str, reference: str) -> tuple[list, list]:
    """The analysed doc_ids of the target group and of the reference group (or the rest)."""
    analysed = manifest.analysed()
    target_docs = [row["doc_id"] for row in analysed if row["group"] == target]
    if reference == REST:
        reference_docs = [row["doc_id"] for row in analysed if row["group"] != target]
    else:
        reference_docs = [row["doc_id"] for row in analysed if row["group"] == reference]
    return target_docs, reference_docs


def check_keyness_config(config: Mapping, manifest: Manifest) -> None:
    """Check the ``keyness`` section against the manifest; raise ConfigError if it cannot work.

    Catches a target or reference group that has no analysed document, the same group on both
    sides, and listed multiword units with fewer than two words.
    """
    section = config["keyness"]
    target, reference = section["target"], section["reference"]
    groups = sorted({row["group"] for row in manifest.analysed()})
    known = ", ".join(groups)
    if target == REST:
        raise ConfigError(
            "CF501", f"keyness.target: {REST!r} can only be the reference; name one group ({known})"
        )
    if target == reference:
        raise ConfigError(
            "CF501",
            f"keyness.target and keyness.reference are both {target!r}; a group cannot be "
            "compared with itself. Choose two different groups, or reference: rest",
        )
    for key, group in (("target", target), ("reference", reference)):
        if group == REST:
            continue
        if group not in {row["group"] for row in manifest}:
            raise ConfigError(
                "CF501",
                f"keyness.{key}: group {group!r} is not in the manifest; analysed groups: {known}",
            )
        if group not in groups:
            raise ConfigError(
                "CF501",
                f"keyness.{key}: group {group!r} has no document with role 'analysis' in the "
                f"manifest; analysed groups: {known}",
            )
    target_docs, reference_docs = side_documents(manifest, target, reference)
    if not reference_docs:
        raise ConfigError(
            "CF501",
            f"keyness.reference: {REST!r} leaves no analysed document outside group "
            f"{target!r}; add documents of another group to the manifest or name a group",
        )
    for phrase in section.get("phrases", []):
        if len(phrase_words(phrase)) < 2:
            raise ConfigError(
                "CF502",
                f"keyness.phrases: {phrase!r} is not a multiword unit; list at least two words",
            )


def side_names(groups: Mapping[str, str], target: str, reference: str) -> dict[str, str]:
    """Display labels of the two sides: the group's label, or "all other groups" for rest."""
    return {
        side: groups.get(group, "all other groups")
        for side, group in (("target", target), ("reference", reference))
    }
