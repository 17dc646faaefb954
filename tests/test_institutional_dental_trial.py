"""Institutional (837I) and dental (837D) claims a billing team builds by hand: what the checks say
about the mistakes they make (each fix of the trial of these workflows has its test here)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import edi
from edi.models.claim_lines import Drug, Tooth
from edi.models.claim_segments import ConditionIndicator, Note
from edi.transactions.claim_checks import check_claim

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def one(case: str, n: int = 0) -> edi.Claim:
    return edi.load_claims(FIXTURES / f"{case}.json")[n]


def test_fields_of_another_claim_kind_are_named_by_the_checks() -> None:
    """A segment the kind's grammar has no place for in the claim or a line (DN1 and TOO in an 837I,
    CL1 and a line NTE in an 837D) passed check_claims, and write_837 then refused the claim with its
    first read-back error only ("DN1 written in the loop of CLM has no place there ...")."""
    inpatient = one("837i/inpatient")
    assert check_claim(inpatient) == []
    inpatient.orthodontic_total_months = Decimal(12)
    inpatient.lines[0].teeth = [Tooth(number="3")]
    expected = [
        "orthodontic_total_months (DN1): the 837I guide has no DN1 in a claim (loop 2300); leave "
        "it out",
        "line 1: teeth (TOO): the 837I guide has no TOO in a service line (loop 2400); leave it out",
    ]
    assert check_claim(inpatient) == expected
    with pytest.raises(edi.CheckError) as caught:
        edi.write_837([inpatient])
    assert [p.partition(": ")[2] for p in caught.value.problems] == expected

    dental = one("837d/restorative")
    assert check_claim(dental) == []
    dental.admission_type, dental.patient_status = "1", "01"
    dental.conditions = [ConditionIndicator(category="ZZ", answer="Y", codes=["NU"])]
    dental.lines[0].notes = [Note(qualifier="ADD", text="SEE X-RAY")]
    dental.lines[1].drug = Drug(qualifier="N4", code="00000000000")
    assert check_claim(dental) == [
        "admission_type, patient_status (CL1): the 837D guide has no CL1 in a claim (loop 2300); "
        "leave it out",
        "conditions (CRC): the 837D guide has no CRC in a claim (loop 2300); leave it out",
        "line 1: notes (NTE): the 837D guide has no NTE in a service line (loop 2400); leave it out",
        "line 2: drug (loop 2410): the 837D guide has no loop 2410 in a service line (loop 2400); "
        "leave it out",
    ]
