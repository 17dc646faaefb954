"""The installed package has every subpackage and the grammars (a wheel, not only the source tree)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

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


def test_every_model_a_claim_or_remittance_holds_is_exported() -> None:
    """Building a claim in code needs the types of its fields (`Period`, `Note`, ...): each model
    reachable from `Claim`, `Remittance` and `Coverage`'s parts is `edi.<Name>`."""
    import typing

    from pydantic import BaseModel

    import edi

    def inner(annotation: object) -> typing.Iterator[type[BaseModel]]:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield annotation
        for arg in typing.get_args(annotation):
            yield from inner(arg)

    seen: set[type[BaseModel]] = set()
    todo: list[type[BaseModel]] = [edi.Claim, edi.Remittance, edi.Coverage]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for field in model.model_fields.values():
            todo.extend(inner(field.annotation))
    assert len(seen) > 40
    missing = sorted(m.__name__ for m in seen if getattr(edi, m.__name__, None) is not m)
    assert missing == []
    # And `edi.models.<Name>` (`from edi.models import Claim` failed: the package exported none),
    # but for `Coverage` (edi cob's input, no model of a transaction).
    import edi.models

    held = {m for m in seen if m.__module__.startswith("edi.models.")}
    assert sorted(m.__name__ for m in held if getattr(edi.models, m.__name__, None) is not m) == []
    assert all(getattr(edi, name) is getattr(edi.models, name) for name in edi.models.__all__)


def test_the_demo_installed_without_its_fixtures_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m edi.demo` from an installed package (the fixtures are not in the wheel) was a
    FileNotFoundError traceback."""
    from edi import demo

    monkeypatch.setattr(demo, "FIXTURES", tmp_path / "fixtures")
    with pytest.raises(SystemExit) as raised:
        demo.main()
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "run it from a clone of the repository" in err
