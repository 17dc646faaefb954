"""`make demo` (`python -m edi.demo`): edi on the bundled, PHI-free fixtures, through the public API.

The 837 part builds an 837P from a claims JSON (what `edi build` does), reads it back (what `edi claims`
shows), and shows a claim that is refused. Output goes to `build/demo/` beside the current directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import edi

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def demo_837(out_dir: Path) -> None:
    source = FIXTURES / "837p" / "dependent.json"
    claims = edi.load_claims(source)
    text = edi.write_837(claims, sender_id="EXAMPLECLINIC", receiver_id="EXAMPLEPAYER", usage="T")
    target = out_dir / "claims.837"
    target.write_text(text, encoding="utf-8")
    print(f"== 837: {len(claims)} claims from {source.relative_to(ROOT)} -> {target}")
    print(text)
    reader = edi.read_claims(target)
    print(f"{'id':<10} {'kind':<13} {'patient':<26} {'charge':>8} lines  diagnoses")
    for claim in reader:
        person = claim.patient or claim.subscriber
        name = f"{person.last_name}, {person.first_name}"
        codes = " ".join(c.code or "" for c in claim.diagnoses)
        print(
            f"{claim.id:<10} {claim.kind:<13} {name:<26} {claim.total_charge:>8} "
            f"{len(claim.lines):>5}  {codes}"
        )
    print(f"problems: {[str(d) for d in reader.diagnostics] or 'none'}")

    data = json.loads(source.read_text(encoding="utf-8"))
    data[0]["total_charge"] = "99.50"
    try:
        edi.write_837(edi.load_claims(data))
    except edi.ClaimCheckError as exc:
        print(f"refused, nothing written: {exc.problems[0]}")


def demo_835() -> None:
    """`edi remit` on bundled 835s, then the lossless round trip through the public API."""
    from edi.cli import main as cli

    for name in ("partly_paid", "plb_interest_recoupment"):
        source = FIXTURES / "835" / f"{name}.x12"
        print(f"\n== 835: edi remit {source.relative_to(ROOT)}")
        try:
            cli(["remit", str(source)], standalone_mode=False)
        except SystemExit:  # the command ends with its exit code
            pass
        same = edi.write_835(edi.read_remittances(source)) == source.read_text(encoding="utf-8")
        print(f"read → models → write_835 gives the file back byte for byte: {same}")


def main() -> None:
    out_dir = Path("build") / "demo"
    out_dir.mkdir(parents=True, exist_ok=True)
    demo_837(out_dir)
    demo_835()


if __name__ == "__main__":
    main()
