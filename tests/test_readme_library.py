"""README.md's tour of the library runs as it is printed (the docs cannot go stale), on the fixtures
the COB demo uses: the claims sent to the primary payer and that payer's 835."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import edi

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


def library_tour() -> str:
    """The first Python block after the README's `## Library` heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"```python\n(.*?)```", text[text.index("\n## Library\n") :], re.DOTALL)
    assert found is not None, "README.md: no Python block after '## Library'"
    return found.group(1)


def test_the_library_tour_runs_on_the_fixtures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The files the tour names, made from the fixtures, in the folder it runs in.
    primary = FIXTURES / "837p/cob_primary.json"
    shutil.copy(primary, tmp_path / "claims.json")
    shutil.copy(FIXTURES / "835/partly_paid.x12", tmp_path / "payer.835")
    remits = list(edi.read_remittances(FIXTURES / "835/partly_paid.x12"))
    remit_json = json.dumps([r.model_dump(mode="json") for r in remits])  # as `edi remit` prints it
    (tmp_path / "remit.json").write_text(remit_json, encoding="utf-8")
    (tmp_path / "claims.837").write_text(edi.write_837(edi.load_claims(primary)), encoding="utf-8")
    # The next coverage of the claims (it named `secondary` and `next_payer` without making them).
    shutil.copy(FIXTURES / "837p/cob_coverage.json", tmp_path / "coverage.json")
    names: dict[str, Any] = {}
    monkeypatch.chdir(tmp_path)
    exec(compile(library_tour(), "README.md", "exec"), names)  # noqa: S102 - our own README

    printed = capsys.readouterr().out
    # The 835's two claims, amounts as the file writes them (CLP*PCN2002*1*90*60).
    assert "PCN2001 1 250.00 120.00\nPCN2002 1 90 60\n" in printed
    assert names["problems"] == []  # the fixture claims pass the checks
    assert names["remits"] == remits  # loaded from their JSON
    # The secondary claim: the prior payer's payment (AMT*D) is the 835's CLP04 for PCN2001, as in
    # fixtures/837p/cob_secondary.x12 (AMT*D*120, checked by hand).
    cob = names["cob"]
    assert cob.id == "PCN2001" and cob.payer.name == "EXAMPLE SECONDARY PLAN"
    assert cob.prior_payers[-1].paid == Decimal("120")
    assert "*NEXTPAYER" in names["text"].splitlines()[0]  # ISA08, the receiver given


def console_examples() -> list[tuple[str, str]]:
    """Each `$ edi ...` command of the README's console blocks, with the output printed under it
    (up to the next command or the end of the block)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = []
    for block in re.findall(r"```console\n(.*?)```", text, re.DOTALL):
        for part in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = part.partition("\n")
            examples.append((command, output.rstrip("\n") + "\n"))
    return examples


@pytest.mark.parametrize(("command", "output"), console_examples())
def test_the_readme_console_examples_print_what_they_show(
    command: str, output: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from edi.cli import main

    program, *args = command.split()
    assert program == "edi"
    monkeypatch.chdir(ROOT)  # the README's paths are the repository's
    result = CliRunner().invoke(main, args)
    assert (result.exit_code, result.stdout) == (0, output)


def test_the_readme_has_console_examples() -> None:
    assert len(console_examples()) >= 3
