import re
from pathlib import Path

import slacalc

ROOT = Path(__file__).resolve().parents[2]


def version_of(cargo_toml: Path) -> str:
    text = cargo_toml.read_text()
    package = text.split("[package]", 1)[1]
    return re.search(r'^version\s*=\s*"([^"]+)"', package, re.M).group(1)


def test_version_is_the_root_crate_version():
    root = version_of(ROOT / "Cargo.toml")
    assert version_of(ROOT / "python" / "Cargo.toml") == root, "keep python/Cargo.toml's version equal to the root's"
    assert slacalc.__version__ == root


def test_stubs_name_every_public_function():
    stub = (Path(slacalc.__file__).parent / "__init__.pyi").read_text()
    for name in ["class Plans", "def deadline", "def status", "def replay", "def report"]:
        assert name in stub
