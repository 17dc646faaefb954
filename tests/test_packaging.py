"""The installed package has every subpackage and the grammars (a wheel, not only the source tree)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_subpackage_is_listed() -> None:
    found = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "edi").rglob("__init__.py")
    }
    listed = set(_setuptools()["packages"])
    assert found <= listed, f"not shipped in a wheel: {sorted(found - listed)}"


def test_grammars_ship_as_package_data() -> None:
    cfg = _setuptools()
    assert cfg["package-dir"]["edi.grammars"] == "grammars"
    assert "*.lark" in cfg["package-data"]["edi.grammars"]
    assert sorted(p.name for p in (ROOT / "grammars").glob("*.lark")) == [
        "835.lark",
        "837d.lark",
        "837i.lark",
        "837p.lark",
        "common837.lark",
    ]
