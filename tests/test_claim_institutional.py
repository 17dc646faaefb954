"""What only an 837I claim has (`claim_institutional`): NUBC code forms, non-covered charges and
line dates in the statement period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import edi
from edi.models.base import Period
from edi.transactions.claim_checks import check_claim

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def outpatient() -> edi.Claim:
    claim = edi.load_claims(FIXTURES / "837i/inpatient.json")[1]
    assert claim.bill_type == "131" and check_claim(claim) == []
    return claim


def test_nubc_codes_have_their_form() -> None:
    # x12-notes §10: revenue code four digits, facility type two, patient status two.
    claim = outpatient()
    service = claim.lines[0].institutional
    assert service is not None and service.revenue_code == "0450"
    service.revenue_code = "450"
    claim.facility_code, claim.patient_status = "1A", "1"
    problems = check_claim(claim)
    assert problems == [
        "facility type code (facility_code, CLM05-01) is '1A', not two digits (the first two of "
        "the NUBC type of bill)",
        "patient status code (patient_status, CL103) is '1', not two digits (a NUBC patient "
        "discharge status)",
        "line 1: revenue code (institutional.revenue_code, SV201) is '450', not four digits (NUBC)",
    ]
    assert [p.element for p in problems] == ["CLM05-01", "CL103", "SV201"]
    service.revenue_code = "012A"  # a code's size: NUBC's, quoted
    assert check_claim(claim)[-1] == (
        "line 1: revenue code (institutional.revenue_code, SV201) is '012A', not four digits (NUBC)"
    )
    service.revenue_code = "ROOM1"  # five characters: not quoted (it may be data)
    assert check_claim(claim)[-1] == (
        "line 1: revenue code (institutional.revenue_code, SV201) is a value, not four digits "
        "(NUBC)"
    )


def test_a_prior_payers_revenue_code_has_its_form() -> None:
    """2430 SVD04, the line's revenue code as a prior payer adjudicated it (usage R in the 837I, map
    line 2262), was not checked, where SV201's is (the outpatient tester)."""
    claim = edi.load_claims(FIXTURES / "837i/cob_secondary.json")[1]
    adjudication = claim.lines[0].adjudications[0]
    assert adjudication.revenue_code == "0450" and check_claim(claim) == []
    adjudication.revenue_code = "450"
    problems = check_claim(claim)
    assert problems == [
        "line 1: adjudication 1 (2430): revenue code (revenue_code, SVD04) is '450', not four "
        "digits (NUBC)"
    ]
    assert (problems[0].about, problems[0].element) == (adjudication, "SVD04")


def test_a_non_covered_charge_is_part_of_the_line_charge() -> None:
    claim = outpatient()
    service = claim.lines[0].institutional
    assert service is not None and service.charge == Decimal("300")
    service.non_covered_charge = Decimal("300")
    assert check_claim(claim) == []
    service.non_covered_charge = Decimal("300.01")
    problem = check_claim(claim)
    assert problem == [
        "line 1: non-covered charge 300.01 (SV207) is more than the line's charge 300 (SV203), of "
        "which it is a part"
    ]
    assert problem[0].element == "SV207" and problem[0].about is claim.lines[0]
    service.non_covered_charge = Decimal("-500")  # part of the charge: not negative either
    assert check_claim(claim) == ["line 1: negative non-covered charge -500 (SV207)"]
    assert check_claim(claim)[0].element == "SV207"


def test_line_dates_lie_in_the_statement_period() -> None:
    claim = outpatient()
    assert claim.statement_period == Period(start=date(2024, 2, 10), end=date(2024, 2, 10))
    line = claim.lines[1]
    for outside in (
        Period(start=date(2024, 2, 9)),
        Period(start=date(2024, 2, 11)),
        Period(start=date(2024, 2, 10), end=date(2024, 2, 11)),
    ):
        line.service_date = outside
        assert check_claim(claim) == [
            "line 2: its date of service (service_date, DTP*472) is outside the claim's statement "
            "period (statement_period, DTP*434)"
        ]
    claim.statement_period = Period(start=date(2024, 2, 9), end=date(2024, 2, 11))
    assert check_claim(claim) == []
    line.service_date = None  # an 837I line's date is situational
    assert check_claim(claim) == []


def test_an_hi_value_kept_from_the_file_read_is_said_as_no_value() -> None:
    """A value code's amount that is no number (`BE:80:::ABC`) was "needs an amount" beside the
    reader's "HI01-05 ... is not a decimal number", which says it is missing (the outpatient
    tester); an occurrence date that names no day (`BH:11:D8:20240230`) was said by nothing but the
    reader, and a checked write_837 wrote it back. Coded, so that `edi claims` leaves them to the
    reader (said once: the reviewer)."""
    text = (FIXTURES / "837i/inpatient.x12").read_text()
    for old, new, said, code in (
        (
            "HI*BE:80:::3~",
            "HI*BE:80:::ABC~",
            "code 8 (BE): its amount (HI-05, kept from the file read) is no number",
            "kept-no-number",
        ),
        (
            "HI*BH:11:D8:20240201~",
            "HI*BH:11:D8:20240230~",
            "code 7 (BH): its date (HI-04, kept from the file read) is no date of its format",
            "kept-no-date",
        ),
    ):
        assert text.count(old) == 1
        changed = text.replace(old, new)
        claims = list(edi.read_claims(changed))
        problems = edi.check_claims(claims)
        assert problems == [f"claim PCN8001: {said}"]
        assert problems[0].code == code
        with pytest.raises(edi.ClaimCheckError):
            edi.write_837(claims)
        assert edi.write_837(claims, check=False) == changed
    # An amount left out is still missing.
    claims = list(edi.read_claims(text.replace("HI*BE:80:::3~", "HI*BE:80~")))
    assert edi.check_claims(claims) == ["claim PCN8001: code 8 (BE) needs an amount (HI-05)"]


def test_an_hi_quantity_kept_from_the_file_read_is_refused() -> None:
    """HI-06 is NOT USED (837I map line 1200): `BE:80:::3:X` kept its `X` as read, which the checks
    passed and a checked write wrote back, where a number there is refused (the third reviewer)."""
    text = (FIXTURES / "837i/inpatient.x12").read_text()
    claims = list(edi.read_claims(text.replace("HI*BE:80:::3~", "HI*BE:80:::3:X~")))
    assert edi.check_claims(claims) == [
        "claim PCN8001: code 8 (BE) has a quantity (HI-06, kept from the file read); the guide has "
        "none for it (HI-06 not used)"
    ]
