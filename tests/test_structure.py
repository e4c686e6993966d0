"""The code stays readable: small modules and functions, as docs/development.md asks."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "corpusflow"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_package_module_is_over_500_lines():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in MODULES
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}
