"""`edi cob`: the secondary (COB) claims for the next payer, from the claims as they were sent and the
835 of the payer that paid them (x12-notes §9.6; `edi.secondary_claim` does the work).

The next coverage comes from a JSON file, because only the user's system knows it. Either one object
for every claim, `{"subscriber": {...}, "payer": {...}}`, or one per claim id, `{"PCN1": {...}, ...}`.
Each may also give `patient` (when the patient is not the new subscriber) and `header` (submitter and
receiver for the next payer): `edi schema coverage`.
"""

from __future__ import annotations

import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

import edi
from edi.cli_claims import (
    check_envelope_options,
    delimiters_option,
    envelope_options,
    write_837_file,
)
from edi.cli_common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_UNUSABLE,
    UNUSABLE_JSON,
    FilePath,
    exit_code,
    open_input,
    print_problem,
    refuse_output_over_input,
    report,
)
from edi.diagnostics import Location
from edi.models.claim import Claim
from edi.models.remittance import ClaimPayment, Remittance
from edi.transactions.cob import Coverage, reverses
from edi.transactions.json_input import (
    NotJsonError,
    RepeatedKeysError,
    field_problem,
    json_type,
    parsed,
)
from edi.transactions.remit835 import balance_warning_findings
from edi.transactions.remit_checks import RemittanceChecker, unsaid


def register(group: click.Group) -> None:
    group.add_command(cob)


@click.command()
@click.argument("claims_file", metavar="CLAIMS", type=FilePath(dir_okay=False, allow_dash=True))
@click.argument("remit_file", metavar="REMIT.835", type=FilePath(dir_okay=False, allow_dash=True))
@click.option(
    "--coverage",
    required=True,
    type=FilePath(dir_okay=False),
    help='JSON: the next coverage, {"subscriber": ..., "payer": ...} for every claim, or one such '
    "object per claim id (`edi schema coverage`).",
)
@click.option(
    "--payer-check/--no-payer-check",
    "same_payer",
    default=True,
    show_default=True,
    help="Refuse an 835 of another payer than the claim's (no id and no name in common); "
    "--no-payer-check takes it as the claim's payer's (a payer named and numbered differently in "
    "its 835 and the 837).",
)
@envelope_options(kept=False)
def cob(
    claims_file: str,
    remit_file: str,
    coverage: str,
    same_payer: bool,
    output: str,
    **envelope: Any,
) -> None:
    """Make the secondary (COB) 837 for the next payer from CLAIMS (an 837, or a claims JSON as
    `edi build` reads) as sent to the payer that paid, and that payer's 835 REMIT.835.

    Each claim with a payment in the 835 gets its prior payer (2320/2330A/2330B: claim adjustments,
    paid amount, remaining patient liability, paid date, the payer's claim number) and a 2430 per line
    (matched by REF*6R, then by code, charge, service date and units). The next coverage comes from
    --coverage: one JSON object {"subscriber": ..., "payer": ...} for every claim, or one per claim
    id, each optionally with "patient" and "header".

    A claim with no payment, a payment that makes no COB claim (reversal, crossover, ...), a payment
    that is not the answer of the claim's payer (already on the claim as a prior payer's, another
    payer's, or with a CLP02 that is not the claim's SBR01), two payments that no reversal undoes
    and the claim's charge does not tell apart (a split claim: not combined), lines that do not
    match or a COB claim that fails the checks (an 835 that does not balance) is reported on stderr,
    one line each, and left out; the others are written. So is a coverage for a claim id that no
    claim has (a typo in the id). The exit code is 1 when there was any such problem or an error in
    reading the inputs (claims or coverage JSON that breaks its schema included, and transaction
    sets of another type, which are left out), 2 when an input could not be read (JSON of another
    shape: a coverage that is no object, claims that are no list) or holds no transaction set of
    its kind.

    The COB 837 is a new interchange, from the envelope options; claims read from a test
    interchange (ISA15 T) make a test one unless --usage is given.
    """
    if [claims_file, remit_file, coverage].count("-") > 1:
        print_problem("-: standard input can stand for one input only")
        sys.exit(EXIT_UNUSABLE)
    check_envelope_options("cob", envelope)
    refuse_output_over_input("cob", output, claims_file, remit_file, coverage)
    claims, claims_flawed = _claims(claims_file)
    payments, refused, payments_flawed = _payments(remit_file)
    coverages = _coverages(coverage)
    built: list[Claim] = []
    problems = claims_flawed + payments_flawed  # problems in the inputs were printed: exit 1
    # Claims of one id and charge: a payment of that id told apart by its charge is one of theirs
    # only when they are one claim.
    alike = Counter((claim.patient_control_number, claim.total_charge) for claim in claims)
    for claim in claims:
        cid = claim.patient_control_number
        found = payments.get(cid)
        cover = coverages.get(cid) or coverages.get("")
        try:
            if cid in refused:
                raise edi.CobError(f"claim {cid}: {refused[cid]}")
            if found is None:
                raise edi.CobError(f"claim {cid}: {remit_file} has no payment for it")
            if cover is None:
                raise edi.CobError(f"claim {cid}: {coverage} gives no coverage for it")
            payment, remit = _payment_for(claim, found, alike, remit_file)
            built.append(
                edi.secondary_claim(
                    claim,
                    payment,
                    remit,
                    subscriber=cover.subscriber,
                    payer=cover.payer,
                    patient=cover.patient,
                    header=cover.header,
                    same_payer=same_payer,
                )
            )
        except edi.CobError as exc:
            print_problem(f"{claims_file}: {exc}")
            problems += 1
    # A coverage for a claim id that no claim has: a typo in the id, most often, which left the
    # claim it was meant for without coverage (said above); said, not passed over.
    ids = {claim.patient_control_number for claim in claims}
    for cid in coverages:
        if cid and cid not in ids:
            print_problem(f"{coverage}: coverage for claim {cid}: {claims_file} has no such claim")
            problems += 1
    # A COB claim that fails the checks (the 835 that made it does not balance) is left out like
    # the others: `write_837` would refuse the whole batch, and no claim would be written.
    # With the delimiters the claims are written with: a value holding one cannot be written.
    # Its problems are the made claim's, which joins the three inputs (a line that does not add
    # up is the 835's, a subscriber without DMG the coverage's): named as the COB claim, not as
    # a problem of the claims file.
    checker = edi.ClaimChecker(delimiters=delimiters_option(envelope["delimiters"]))
    passed: list[Claim] = []
    for claim in built:
        failed = checker.check(claim)
        for problem in failed:
            print_problem(f"edi cob: COB {problem} (made from {claims_file} and {remit_file})")
        problems += bool(failed)
        if not failed:
            passed.append(claim)
    built = passed
    if not built:
        print_problem("edi cob: no COB claim to write")
        sys.exit(EXIT_PROBLEMS)
    if _test_claims(claims) and _not_typed("usage"):
        # Claims read from a test interchange (ISA15 T) make a test COB claim, not a production
        # one to another payer; --usage P says otherwise.
        envelope["usage"] = "T"
    write_837_file(claims_file, built, output, envelope)
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


def _test_claims(claims: list[Claim]) -> bool:
    """Whether every claim given was read from a test interchange (ISA15 T)."""
    usages = {
        claim.envelope.interchange.usage
        for claim in claims
        if claim.envelope is not None and claim.envelope.interchange is not None
    }
    return usages == {"T"}


def _not_typed(option: str) -> bool:
    """Whether the command line left `option` at its default."""
    source = click.get_current_context().get_parameter_source(option)
    return source in (None, click.core.ParameterSource.DEFAULT)


def _claims(file: str) -> tuple[list[Claim], bool]:
    """The claims of an 837, or of a claims JSON (by its `.json` suffix, or by its first character:
    X12 starts with ISA or ST), and whether reading them found errors (printed)."""
    source = open_input(file)
    data = None if isinstance(source, Path) else source.read()
    if isinstance(source, Path):
        with source.open("rb") as fh:
            head = fh.read(64)
    else:
        head = data or b""
    if head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"[", b"{") or (
        isinstance(source, Path) and source.suffix.lower() == ".json"
    ):
        try:
            return edi.load_claims(source if data is None else data), False
        except edi.ClaimValidationError as exc:  # as `edi build`: 2 for no JSON, else 1
            for problem in exc.problems:
                print_problem(f"{file}: {problem}")
            sys.exit(EXIT_UNUSABLE if exc.problems[0].startswith(UNUSABLE_JSON) else EXIT_PROBLEMS)
    reader = edi.read_claims(source if data is None else data)
    claims = list(reader)
    report(file, reader.diagnostics, warnings=False)
    code = exit_code(reader.diagnostics)
    if code == EXIT_UNUSABLE:  # not X12, or no 837 in it
        sys.exit(EXIT_UNUSABLE)
    return claims, code != EXIT_OK  # errors, or sets of another type left out


def _payments(
    file: str,
) -> tuple[dict[str, list[tuple[ClaimPayment, Remittance]]], dict[str, str], bool]:
    """The payments in force of each claim id in an 835 file (`_payment_of`), each with its
    remittance; why no COB claim is made for a claim id whose payments cannot be used (one that
    could not be read, or is in a set that fails the checks `edi remit` runs, or a reversal that
    names a payment it does not negate); and whether reading or checking found errors (printed).

    The 835 is checked as `edi remit` checks it (`check_remittances`: the guide's rules and the
    balancing of x12-notes §8.1), and its warnings are said (`balance_warnings`: a CLP05 that is
    not the sum of the PR adjustments, which the COB claim's AMT*EAF and CAS would carry apart):
    an 835 that does not balance must not be posted, nor sent on to the next payer."""
    reader = edi.read_remittances(open_input(file))
    by_id: dict[str, list[tuple[ClaimPayment, Remittance]]] = {}
    refused: dict[str, str] = {}
    checked: list[str] = []
    checker = RemittanceChecker()
    for remit in reader:
        # A claim payment not read costs its own claim (below), not the others of its set.
        findings = [f for f in checker.placed(remit) if not f.unread]
        said = unsaid(findings, remit, reader.diagnostics)
        failed = [f.problem for f in said]
        # Placed where what each is about was read, as `edi remit` says them (the README newcomer).
        checked += [
            f"{file}: {_at(f.read_at or f.about.read_at or remit.read_at)}{f.problem}" for f in said
        ]
        st02 = remit.envelope.set_control_number if remit.envelope else None
        name = f"835 {st02}" if st02 else "835"
        checked += [
            f"{file}: warning: {_at(model.read_at or remit.read_at)}{name} {where}: {what}"
            for where, what, model in balance_warning_findings(remit)
        ]
        for payment in remit.claims:
            by_id.setdefault(payment.patient_control_number, []).append((payment, remit))
            if failed:
                refused[payment.patient_control_number] = (
                    f"{file} fails the checks edi remit runs (said above): no COB claim is made "
                    "from an 835 that breaks them"
                )
        for unread in remit.unread_claims:
            # Its payment, or a reversal or correction of it, could not be read: a COB claim made
            # from what was read might send an adjudication the payer took back.
            refused[unread.patient_control_number or ""] = (
                f"{file} has a payment for it that could not be read (see the problems above)"
            )
    report(file, reader.diagnostics, warnings=False)
    for line in checked:
        print_problem(line)
    code = exit_code(reader.diagnostics)
    if code == EXIT_UNUSABLE:  # not X12, or no 835 in it
        sys.exit(EXIT_UNUSABLE)
    found: dict[str, list[_Paid]] = {}
    for cid, payments in by_id.items():
        in_force, conflict = _payment_of(payments, file)
        found[cid] = in_force
        if conflict is not None:
            refused.setdefault(cid, conflict)
    flawed = code != EXIT_OK or any(": warning: " not in line for line in checked)
    return found, refused, flawed  # errors, or sets of another type left out


def _at(where: Location | None) -> str:
    """`segment 11 CLP (line 13, loop 2100): `, as a problem is placed; "" without a place."""
    return f"{where.describe()}: " if where is not None else ""


_Paid = tuple[ClaimPayment, Remittance]


def _payment_for(
    claim: Claim, found: list[_Paid], alike: Counter[tuple[str, Decimal]], file: str
) -> _Paid:
    """The payment of `claim` among those in force for its id (`_payment_of`). Two or more, a
    claim the payer split or a claim id sent twice, are not combined: the one whose charge (CLP03)
    is the claim's, when one is and no other claim has that id and charge (x12-notes §9.2: the
    charge is the next key; an account number used as claim id for several claims); else why not
    is said, as a COB claim made from one of them would send half the adjudication."""
    if len(found) == 1:
        return found[0]
    cid, charge = claim.patient_control_number, claim.total_charge
    same = [paid for paid in found if paid[0].charge == charge]
    if len(same) == 1 and alike[(cid, charge)] == 1:
        return same[0]
    numbers = ", ".join(p.payer_claim_control_number or "none" for p, _ in found)
    raise edi.CobError(
        f"claim {cid}: {file} has {len(found)} payments for it that no reversal undoes (payer "
        f"claim numbers, CLP07: {numbers}) and that its charge does not tell apart: a split "
        "claim, or the claim id sent twice; edi cob does not combine them"
    )


def _payment_of(payments: list[_Paid], file: str) -> tuple[list[_Paid], str | None]:
    """Of the payments of one claim id, in file order, the adjudications in force: a reversal
    (CLP02 22) undoes the payment it reverses (`reverses`; none: one of an earlier 835), and its
    correction follows as a new payment (x12-notes §9.3). When none is left in force, the last
    reversal (which makes no COB claim: said as such). And why they cannot be used, when a reversal
    names a payment in force by its payer claim number (CLP07) but does not negate its amounts: the
    payer took back something, and what is left in force is not known."""
    in_force: list[tuple[ClaimPayment, Remittance]] = []
    reversal: tuple[ClaimPayment, Remittance] | None = None
    conflict: str | None = None
    unmatched: list[_Paid] = []  # reversals of no payment before them
    for payment, remit in payments:
        if payment.status == "22":
            reversal = (payment, remit)
            undone = next((n for n, (p, _) in enumerate(in_force) if reverses(payment, p)), None)
            if undone is not None:  # else it undoes a payment of an earlier 835
                del in_force[undone]
                continue
            unmatched.append((payment, remit))
            number = payment.payer_claim_control_number
            named = [p for p, _ in in_force if number and p.payer_claim_control_number == number]
            if named:
                conflict = (
                    f"{file} reverses the payment of payer claim number {number} (CLP07) with "
                    f"other amounts (CLP03 {payment.charge:f}, CLP04 {payment.paid:f}; the payment: "
                    f"{named[0].charge:f}, {named[0].paid:f}): a reversal negates them (x12-notes "
                    "§9.3), so what is in force is not known"
                )
        else:
            in_force.append((payment, remit))
    # A payment of a later 835 that an earlier one reverses: the 835s given in the wrong order
    # (the COB tester: `cat correction.835 original.835`). Not one of the reversal's own 835: a
    # correction may repeat the original's CLP07 and amounts (`reverses`).
    late = [
        p
        for r, rr in unmatched
        for p, pr in in_force
        if pr is not rr and reverses(r, p) and _dated_by(pr, rr)
    ]
    if late and conflict is None:
        number = late[0].payer_claim_control_number or "none"
        conflict = (
            f"{file} gives the reversal (CLP02 22) of the payment of payer claim number {number} "
            "(CLP07) before that payment: the 835s may be out of order (the payment first, its "
            "reversal and correction after); edi cob does not guess which is in force"
        )
    if in_force:
        return in_force, conflict
    assert reversal is not None  # one payment at least, and none in force: a reversal undid it
    return [reversal], conflict


def _dated_by(payment: Remittance, reversal: Remittance) -> bool:
    """Whether the 835 of a payment is dated (BPR16) no later than that of a reversal of it given
    before it: the 835s out of order. One dated later may re-adjudicate with the same numbers (a
    reversal of an earlier 835's payment, then the claim paid again: the third reviewer)."""
    paid, reversed_on = payment.payment.date, reversal.payment.date
    return paid is not None and reversed_on is not None and paid <= reversed_on


def _coverages(file: str) -> dict[str, Coverage]:
    """Coverage per claim id; "" holds the one for every claim."""
    source = open_input(file)
    text = source.read_bytes() if isinstance(source, Path) else source.read()
    try:
        data = parsed(text, "a coverage is JSON, as `edi schema coverage` describes")
    except RepeatedKeysError as exc:  # JSON, but a value would be lost: problems found
        for problem in exc.problems:
            print_problem(f"{file}: {problem}")
        sys.exit(EXIT_PROBLEMS)
    except NotJsonError as exc:
        print_problem(f"{file}: {exc}")
        sys.exit(EXIT_UNUSABLE)
    if not isinstance(data, dict):  # JSON of another shape: unusable, as for `edi build`
        print_problem(f"{file}: expected a coverage (JSON object), got {json_type(data)}")
        sys.exit(EXIT_UNUSABLE)
    shared = "subscriber" in data or "payer" in data
    entries = {"": data} if shared else data
    out: dict[str, Coverage] = {}
    failed = False
    for key, value in entries.items():
        try:
            out[key] = Coverage.model_validate(value)
        except ValidationError as exc:
            failed = True
            for error in exc.errors():
                where = ".".join(str(part) for part in (key, *error["loc"]) if part != "")
                print_problem(f"{file}: {where}: {field_problem(error)}")
    if failed:  # as claims JSON that breaks its schema: problems found
        sys.exit(EXIT_PROBLEMS)
    return out


__all__ = ["cob"]
