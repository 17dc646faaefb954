"""Business checks of claims before they are written: what a payer or clearinghouse would reject.

Each check returns readable problems, `"claim PCN1: total charge 150 ≠ Σ line charges 140"`; nothing
raises. `write_837` refuses claims with problems (`ClaimCheckError`), and `edi build` prints them.

Checked (x12-notes §6, §8.2, §10, §13):
- CLM02 = Σ line charges (SV102 / SV203 / SV302); line charges ≥ 0;
- every diagnosis pointer (SV107 / SV311) points at an existing diagnosis; at most 12 diagnoses in
  837P/837D, the principal one first;
- frequency 7 (replacement) and 8 (void) carry the payer claim control number (REF*F8);
- each line has the service segment of its claim kind (SV1, SV2 or SV3); 50 lines (P, D) or 999 (I);
- a claim without a patient says that the subscriber is the patient (SBR02 = 18);
- provider roles exist in the guide of the claim kind;
- COB (x12-notes §8.2 rules 2-5): each 2430 belongs to a prior payer (SVD01 = 2330B NM109) and balances
  to its line charge; each prior payer's AMT*D and CAS balance to CLM02;
- CLM01 ≤ 20 characters; REF*6R ≤ 30 characters and unique within the claim; NPIs pass their check digit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from edi import codes
from edi.errors import EdiError
from edi.models.claim import PRINCIPAL_DIAGNOSIS, Claim

_SERVICE_SEGMENTS = {"professional": "SV1", "institutional": "SV2", "dental": "SV3"}
_MAX_LINES = {"professional": 50, "institutional": 999, "dental": 50}
_ZERO = Decimal(0)


def npi_is_valid(npi: str) -> bool:
    """The NPI check digit (Luhn over "80840" + the first nine digits; x12-notes §10).

    Example:
        >>> npi_is_valid("1234567893"), npi_is_valid("1234567890")
        (True, False)
    """
    if len(npi) != 10 or not (npi.isascii() and npi.isdigit()) or npi[0] not in "12":
        return False
    total = 24  # the Luhn sum of the prefix 80840
    for i, ch in enumerate(reversed(npi[:9])):
        digit = int(ch)
        if i % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10 == int(npi[9])


def check_claims(claims: Iterable[Claim]) -> list[str]:
    """The problems of every claim, in order."""
    problems: list[str] = []
    for claim in claims:
        problems.extend(f"claim {claim.patient_control_number}: {p}" for p in check_claim(claim))
    return problems


def check_claim(claim: Claim) -> list[str]:
    """The problems of one claim, without its id."""
    out: list[str] = []
    kind = claim.kind
    _check_money(claim, out)
    _check_diagnoses(claim, out)
    if claim.frequency_code in ("7", "8") and not claim.payer_claim_control_number:
        what = "replacement" if claim.frequency_code == "7" else "void"
        out.append(
            f"frequency code {claim.frequency_code} ({what}) needs the payer claim control number "
            "of the original claim (payer_claim_control_number, REF*F8)"
        )
    if len(claim.patient_control_number) > 20:
        out.append(
            f"patient control number {claim.patient_control_number!r} is longer than 20 characters"
        )
    if claim.patient is None and claim.subscriber.relationship != "18":
        out.append(
            "no patient is given, so the subscriber is the patient, but subscriber.relationship "
            f"(SBR02) is {claim.subscriber.relationship!r}, not '18'"
        )
    _check_lines(claim, out)
    _check_providers(claim, out)
    _check_cob(claim, out)
    npi = claim.billing_provider.npi
    if npi is not None and claim.billing_provider.id_qualifier == "XX" and not npi_is_valid(npi):
        out.append(f"billing provider NPI {npi!r} fails its check digit")
    if len(claim.lines) > _MAX_LINES[kind]:
        out.append(f"{len(claim.lines)} lines; a {kind} claim has at most {_MAX_LINES[kind]}")
    return out


def _check_money(claim: Claim, out: list[str]) -> None:
    total = claim.line_charge_total
    if claim.total_charge != total:
        out.append(f"total charge {claim.total_charge} ≠ Σ line charges {total}")
    for n, line in enumerate(claim.lines, 1):
        if line.charge < _ZERO:
            out.append(f"line {n}: negative charge {line.charge}")


def _check_diagnoses(claim: Claim, out: list[str]) -> None:
    if claim.kind == "institutional":
        if claim.codes and claim.principal_diagnosis is None:
            out.append("no principal diagnosis (HI ABK)")
        return
    pointed = claim.pointed_diagnoses
    if pointed and pointed[0].qualifier not in PRINCIPAL_DIAGNOSIS:
        out.append(
            f"the first diagnosis is {pointed[0].qualifier} {pointed[0].code}; the principal one (ABK) "
            "must come first"
        )
    if len(pointed) > 12:
        out.append(f"{len(pointed)} diagnoses; an 837P or 837D claim has at most 12")
    for n, line in enumerate(claim.lines, 1):
        for pointer in line.diagnosis_pointers:
            if not 1 <= pointer <= len(pointed):
                out.append(
                    f"line {n}: diagnosis pointer {pointer} points at nothing (the claim has "
                    f"{len(pointed)} diagnosis code{'s' if len(pointed) != 1 else ''})"
                )


def _check_lines(claim: Claim, out: list[str]) -> None:
    wanted = _SERVICE_SEGMENTS[claim.kind]
    seen: set[str] = set()
    for n, line in enumerate(claim.lines, 1):
        present = [
            seg
            for seg, service in (
                ("SV1", line.professional),
                ("SV2", line.institutional),
                ("SV3", line.dental),
            )
            if service is not None
        ]
        if present != [wanted]:
            has = " and ".join(present) or "none"
            out.append(
                f"line {n}: a {claim.kind} line has one {wanted} service; this one has {has}"
            )
        number = line.control_number
        if number is not None:
            if len(number) > 30:
                out.append(f"line {n}: line item control number {number!r} is over 30 characters")
            if number in seen:
                out.append(f"line {n}: line item control number {number!r} is used twice")
            seen.add(number)


def _check_providers(claim: Claim, out: list[str]) -> None:
    tables = codes.PROVIDER_LOOPS[claim.kind]

    def check(role: str, level: str, where: str) -> None:
        if role not in tables[level]:
            name = codes.name(codes.PROVIDER_ROLES, role)
            allowed = ", ".join(sorted(dict.fromkeys(tables[level])))
            out.append(
                f"{where}: provider role {role} ({name}) has no loop {level} in a {claim.kind} claim "
                f"(allowed: {allowed})"
            )

    for provider in claim.providers:
        check(provider.role, "2310", "claim")
    for n, payer in enumerate(claim.prior_payers, 1):
        for provider in payer.providers:
            check(provider.role, "2330", f"prior payer {n}")
    for n, line in enumerate(claim.lines, 1):
        for provider in line.providers:
            check(provider.role, "2420", f"line {n}")
        for provider in [*claim.providers, *line.providers]:
            if provider.npi and not npi_is_valid(provider.npi):
                out.append(
                    f"line {n}: provider {provider.role} NPI {provider.npi!r} fails its check digit"
                )
                break


def _check_cob(claim: Claim, out: list[str]) -> None:
    payers = {p.other_payer.id: p for p in claim.prior_payers if p.other_payer.id}
    line_adjustments: dict[str, Decimal] = {}
    line_paid: dict[str, Decimal] = {}
    for n, line in enumerate(claim.lines, 1):
        for adj in line.adjudications:
            if adj.payer_id not in payers:
                known = ", ".join(payers) or "none"
                out.append(
                    f"line {n}: adjudication by payer {adj.payer_id!r} (SVD01) matches no prior "
                    f"payer (2330B NM109: {known})"
                )
                continue
            line_paid[adj.payer_id] = line_paid.get(adj.payer_id, _ZERO) + adj.paid
            line_adjustments[adj.payer_id] = (
                line_adjustments.get(adj.payer_id, _ZERO) + adj.adjustment_total
            )
            if adj.paid < _ZERO:
                out.append(f"line {n}: payer {adj.payer_id} paid {adj.paid} (SVD02) is negative")
            if adj.bundled_line is None and adj.paid + adj.adjustment_total != line.charge:
                out.append(
                    f"line {n}: payer {adj.payer_id} paid {adj.paid} + adjustments "
                    f"{adj.adjustment_total} ≠ line charge {line.charge}"
                )
    for payer_id, payer in payers.items():
        if payer_id not in line_paid or payer.paid is None:
            continue
        claim_adjustments = payer.adjustment_total
        if payer.paid != line_paid[payer_id] - claim_adjustments:
            out.append(
                f"prior payer {payer_id}: paid {payer.paid} (AMT*D) ≠ Σ line payments "
                f"{line_paid[payer_id]} − claim adjustments {claim_adjustments}"
            )
        total = payer.paid + claim_adjustments + line_adjustments[payer_id]
        if total != claim.total_charge:
            out.append(
                f"prior payer {payer_id}: paid {payer.paid} + adjustments "
                f"{claim_adjustments + line_adjustments[payer_id]} ≠ total charge {claim.total_charge}"
            )


# -- claims from JSON ---------------------------------------------------------------------------------

_CLAIM_LIST: TypeAdapter[list[Claim]] = TypeAdapter(list[Claim])


class ClaimValidationError(EdiError, ValueError):
    """Claims JSON that does not fit the claim schema (`edi schema claim`).

    `problems` names every field at fault, by its JSON path: `"[0].lines[1].professional.charge: Input
    should be a valid decimal"`.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the claims JSON:\n{shown}")


def json_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as a JSON path: `(0, "lines", 1, "charge")` → `[0].lines[1].charge`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(the document)"


def load_claims(source: str | bytes | Path | list[Any] | dict[str, Any]) -> list[Claim]:
    """Claims from JSON: a `Path` to a file, JSON text, or already-parsed data (a list of claim objects,
    or one claim object). Raises `ClaimValidationError` naming every field at fault.

    Example:
        >>> claims = load_claims(Path("fixtures/837p/dependent.json"))     # doctest: +SKIP
    """
    if isinstance(source, Path):
        source = source.read_bytes()
    if isinstance(source, (str, bytes)):
        try:
            data: Any = json.loads(source)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ClaimValidationError([f"not JSON: {exc}"]) from exc
    else:
        data = source
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ClaimValidationError(
            [f"expected a list of claims (JSON array), got {type(data).__name__}"]
        )
    try:
        return _CLAIM_LIST.validate_python(data)
    except ValidationError as exc:
        problems = [f"{json_path(err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise ClaimValidationError(problems) from None


__all__ = [
    "ClaimValidationError",
    "check_claim",
    "check_claims",
    "json_path",
    "load_claims",
    "npi_is_valid",
]
