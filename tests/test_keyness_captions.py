"""The keyness captions say only what the run supports: rendered as Snakemake renders them
(Jinja, trim_blocks, lstrip_blocks) for each design, a descriptive run never says
"significant" and says the figures describe these texts."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import Environment

from corpusflow.config import study_config

ROOT = Path(__file__).resolve().parents[1]
CAPTIONS = sorted((ROOT / "workflow" / "report").glob("keyness*.rst")) + [
    ROOT / "workflow" / "report" / "calibration.rst"
]
#: This study's config over the schema's defaults.
STUDY = study_config(ROOT / "config" / "config.yaml")


def _render(path: Path, design: str, holds: bool = True) -> str:
    params = SimpleNamespace(design=design, test="wmw", test_holds=holds, test_rate=0.045)
    snakemake = SimpleNamespace(config=STUDY, params=params)
    env = Environment(trim_blocks=True, lstrip_blocks=True)
    return env.from_string(path.read_text(encoding="utf-8")).render(snakemake=snakemake)


@pytest.mark.parametrize("path", CAPTIONS, ids=lambda p: p.name)
def test_a_descriptive_design_is_never_called_significant(path):
    text = _render(path, "descriptive")
    assert "significan" not in text.lower()
    for claim in ("the better guide", "a floor of the ratio", "qthe", "}}", "{%"):
        assert claim not in text, claim


def test_the_captions_name_the_design_and_the_test():
    keyness = " ".join(_render(ROOT / "workflow/report/keyness.rst", "descriptive").split())
    assert "describe these texts" in keyness and "wmw test" in keyness
    inferential = " ".join(_render(ROOT / "workflow/report/keyness.rst", "inferential").split())
    assert "describe these texts" not in inferential and "texts like these" in inferential
    top = " ".join(_render(ROOT / "workflow/report/keyness_top.rst", "descriptive", False).split())
    assert "the list is empty" in top and "describes these texts" in top
