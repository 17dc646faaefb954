"""Checks of what only an 837I claim has: the form of its NUBC codes, its lines' non-covered charges,
and its lines' dates against the statement period.

- NUBC codes (x12-notes §10: the lists are licensed and not shipped, their forms are checked): a
  revenue code (SV201, and a prior payer's SVD04) is four digits, a facility type code (CLM05-01:
  the first two digits of the type of bill) two, a patient status code (CL103) two.
- A line's non-covered charge (SV207) is a part of its charge (SV203): not more than it.
- A line's date of service (DTP*472) lies in the claim's statement period (DTP*434): the period
  the bill covers, from its first service to its last (UB-04 form locator 6).

Codes that are not codes, and dates, are not quoted (PHI): the problem says which line.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from edi.diagnostics import DIAGNOSIS_SHAPE
from edi.models.base import Period
from edi.models.claim import Claim
from edi.transactions.claim_problem import ClaimProblem
from edi.transactions.claim_rules import shown_value

_REVENUE_CODE = re.compile(r"[0-9]{4}")
_TWO_DIGITS = re.compile(r"[0-9]{2}")


def institutional_problems(claim: Claim, out: list[ClaimProblem]) -> None:
    """Add the problems of the 837I claim `claim` with the rules above to `out`."""
    for field, what, element, whose in (
        ("facility_code", "facility type", "CLM05-01", "the first two of the NUBC type of bill"),
        ("patient_status", "patient status", "CL103", "a NUBC patient discharge status"),
    ):
        code = getattr(claim, field)
        # A code longer than its element (2) is said by the element sizes (`claim_syntax`) alone.
        if code and len(code) <= 2 and not _TWO_DIGITS.fullmatch(code):
            text = (
                f"{what} code ({field}, {element}) is {shown_value(code)}, not two digits ({whose})"
            )
            out.append(ClaimProblem(text, claim, element))
    period = claim.statement_period
    for n, line in enumerate(claim.lines, 1):
        service = line.institutional
        if service is None:
            continue
        _revenue_code(service.revenue_code, f"line {n}: ", "institutional.", line, "SV201", out)
        # The line's revenue code as a prior payer adjudicated it (2430 SVD04, usage R in the 837I:
        # map line 2262): NUBC's too.
        for k, adj in enumerate(line.adjudications, 1):
            at = f"line {n}: adjudication {k} (2430): "
            _revenue_code(adj.revenue_code, at, "", adj, "SVD04", out)
        uncovered = service.non_covered_charge
        if uncovered is not None and uncovered < 0:
            # Part of the line's charge, which is not negative either (x12-notes §8.2).
            text = f"line {n}: negative non-covered charge {uncovered:f} (SV207)"
            out.append(ClaimProblem(text, line, "SV207"))
        elif uncovered is not None and uncovered > service.charge:
            text = (
                f"line {n}: non-covered charge {uncovered:f} (SV207) is more than the line's charge "
                f"{service.charge:f} (SV203), of which it is a part"
            )
            out.append(ClaimProblem(text, line, "SV207"))
        when = line.service_date
        if period is None or when is None or _reversed(period) or _reversed(when):
            continue  # a period that ends before it starts is said as such (`_check_periods`)
        last = period.end or period.start
        if when.start < period.start or (when.end or when.start) > last:
            text = (
                f"line {n}: its date of service (service_date, DTP*472) is outside the claim's "
                "statement period (statement_period, DTP*434)"
            )
            out.append(ClaimProblem(text, line, "DTP03"))


def _revenue_code(
    code: str | None, at: str, owner: str, about: BaseModel, element: str, out: list[ClaimProblem]
) -> None:
    """A revenue code that is not four digits; one of a revenue code's size is quoted (`'012A'`):
    NUBC's, not the patient's."""
    if code and not _REVENUE_CODE.fullmatch(code):
        fits = code.isascii() and code.isalnum() and len(code) <= 4
        fits = fits and not DIAGNOSIS_SHAPE.fullmatch(code)  # `E119`: a diagnosis (PHI)
        shown = repr(code) if fits else shown_value(code)
        text = (
            f"{at}revenue code ({owner}revenue_code, {element}) is {shown}, not four digits (NUBC)"
        )
        out.append(ClaimProblem(text, about, element))


def _reversed(period: Period) -> bool:
    return period.end is not None and period.end < period.start
