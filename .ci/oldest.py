"""Print pip constraints that pin each runtime dependency of pyproject.toml to its floor (`x>=1.2`
gives `x==1.2`), so that `make test-oldest` tests the oldest versions the project says it takes."""

import re
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
for requirement in project["project"]["dependencies"]:
    floor = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([^,;\s]+).*", requirement.replace(" ", ""))
    if floor is None:
        raise SystemExit(f"pyproject.toml: {requirement!r} has no >= floor to test")
    print(f"{floor[1]}=={floor[2]}")
