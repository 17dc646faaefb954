"""`make demo` (`python -m edi.demo`): edi on the bundled, PHI-free fixtures, through the public API.

The 837 part builds an 837P from a claims JSON (what `edi build` does), reads it back (what `edi claims`
shows), and shows a claim that is refused. The 835 part shows `edi remit` and the lossless round trip;
the COB part makes the secondary claims from the primary payer's 835 (`edi cob`). Output goes to
`build/demo/` in the current directory. It runs from a clone of the repository: the fixtures are
not installed with the package.
"""

from __future__ import annotations

import json
import sys
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
        print("the same claims with PCN2001's total charge changed to 99.50 (its line is 95):")
        print(f"  refused, nothing written: {exc.problems[0]}")


def _command(args: list[str]) -> None:
    """An edi command, run in this process: it ends with its exit code, which the demo goes on
    after; interrupted or stopped (Ctrl-C, SIGTERM: 128 and up), the demo ends too."""
    from edi.cli import main as cli

    try:
        cli(args, standalone_mode=False)
    except SystemExit as exc:
        if isinstance(exc.code, int) and exc.code >= 128:
            raise


def demo_835() -> None:
    """`edi remit` on bundled 835s, then the lossless round trip through the public API."""

    for name in ("partly_paid", "plb_interest_recoupment"):
        source = FIXTURES / "835" / f"{name}.x12"
        print(f"\n== 835: edi remit {source.relative_to(ROOT)}")
        _command(["remit", str(source)])
        same = edi.write_835(edi.read_remittances(source)) == source.read_text(encoding="utf-8")
        print(f"read → models → write_835 gives the file back byte for byte: {same}")


def demo_cob(out_dir: Path) -> None:
    """`edi cob`: the claims as sent to the primary payer + its 835 → the secondary 837."""

    primary = FIXTURES / "837p" / "cob_primary.json"
    remit = FIXTURES / "835" / "partly_paid.x12"
    coverage = FIXTURES / "837p" / "cob_coverage.json"
    target = out_dir / "secondary.837"
    args = ["cob", str(primary), str(remit), "--coverage", str(coverage), "-o", str(target)]
    shown = [str(p.relative_to(ROOT)) for p in (primary, remit, coverage)]
    print(f"\n== COB: edi cob {shown[0]} {shown[1]} --coverage {shown[2]} -o {target}")
    _command([*args, "--sender", "EXAMPLECLINIC", "--receiver", "EXAMPLESEC"])
    claims = list(edi.read_claims(target))
    for claim in claims:
        prior = claim.prior_payers[-1]
        # The patient's remaining liability is given for the claim or for its lines (2430), not both.
        liability = (
            f"patient liability {prior.remaining_patient_liability} (2320 AMT*EAF)"
            if prior.remaining_patient_liability is not None
            else "patient liability by line (2430 AMT*EAF)"
        )
        print(
            f"{claim.id}: to {claim.payer.name}; prior payer {prior.other_payer.name} paid "
            f"{prior.paid} (AMT*D), claim adjustments {prior.adjustment_total}, {liability}"
        )
        for n, line in enumerate(claim.lines, 1):
            for adj in line.adjudications:
                parts = "  ".join(f"{a.group}{a.reason} {a.amount}" for a in adj.adjustments)
                owed = adj.remaining_patient_liability
                print(
                    f"  line {n} charge {line.charge}: SVD {adj.code} paid {adj.paid}  {parts}"
                    + (f"  patient liability {owed}" if owed is not None else "")
                )
    print(f"COB balancing (x12-notes §8.2): {edi.check_claims(claims) or 'ok'}")


def main() -> None:
    if not (FIXTURES / "837p" / "dependent.json").is_file():  # installed: no fixtures beside it
        print(
            f"edi.demo: the fixtures it shows are not at {FIXTURES}: run it from a clone of the "
            "repository (make demo)",
            file=sys.stderr,
        )
        raise SystemExit(2)
    out_dir = Path("build") / "demo"
    out_dir.mkdir(parents=True, exist_ok=True)
    demo_837(out_dir)
    demo_835()
    demo_cob(out_dir)


if __name__ == "__main__":
    main()
