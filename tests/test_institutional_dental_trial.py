"""Institutional (837I) and dental (837D) claims a billing team builds by hand: what the checks say
about the mistakes they make (each fix of the trial of these workflows has its test here)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import edi
from edi.models.base import Period
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
        "orthodontic_total_months (DN1): the 837I guide has no DN1 in loop 2300; leave it out",
        "line 1: teeth (TOO): the 837I guide has no TOO in loop 2400; leave it out",
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
        "admission_type, patient_status (CL1): the 837D guide has no CL1 in loop 2300; leave it "
        "out",
        "conditions (CRC): the 837D guide has no CRC in loop 2300; leave it out",
        "line 1: notes (NTE): the 837D guide has no NTE in loop 2400; leave it out",
        "line 2: drug (loop 2410): the 837D guide has no loop 2410 in loop 2400; leave it out",
    ]


def test_a_field_of_another_claim_kind_holding_zero_is_named_too() -> None:
    """A 0 is written (`DN1**0`) as any other value: the checks name it, as write_837's read-back
    would refuse it (0 is falsy, and once passed the checks unnamed)."""
    inpatient = one("837i/inpatient")
    inpatient.orthodontic_remaining_months = Decimal(0)
    expected = [
        "orthodontic_remaining_months (DN1): the 837I guide has no DN1 in loop 2300; leave it out"
    ]
    assert check_claim(inpatient) == expected
    with pytest.raises(edi.CheckError) as caught:
        edi.write_837([inpatient])
    assert [p.partition(": ")[2] for p in caught.value.problems] == expected


def test_provider_and_party_fields_of_another_loop_are_named_by_the_checks() -> None:
    """A taxonomy (PRV) for an 837I operating physician, an address for its attending provider and
    a weight (PAT) for its subscriber passed the checks; write_837 then refused them saying the PRV
    was in "loop 2310A attending provider" and the PAT in "loop 2320 other subscriber"."""
    claim = one("837i/inpatient")
    attending, operating = claim.providers
    operating.taxonomy = "207X00000X"
    attending.address_line_1, attending.city = "1 ELM ST", "SPRINGFIELD"
    claim.subscriber.weight_unit, claim.subscriber.weight = "01", Decimal(150)
    expected = [
        "subscriber (2000B): weight_unit, weight (PAT): the 837I guide has no PAT in loops 2000B, "
        "2010BA; leave it out",
        "claim: provider 71 (2310A): address_line_1 (N3): the 837I guide has no N3 in loop 2310A; "
        "leave it out",
        "claim: provider 71 (2310A): city (N4): the 837I guide has no N4 in loop 2310A; leave it out",
        "claim: provider 72 (2310B): specialty_code, taxonomy_qualifier, taxonomy (PRV): the 837I "
        "guide has no PRV in loop 2310B; leave it out",
    ]
    problems = check_claim(claim)
    assert [p for p in problems if "the 837I guide has no" in p] == expected
    with pytest.raises(edi.CheckError) as caught:
        edi.write_837([claim])
    assert all("read back" not in p for p in caught.value.problems)


def test_service_lines_take_the_codes_their_maps_list() -> None:
    """SV202-01 [ER,HC,HP,IV,WK] and SV204 [DA,UN] (837I map lines 2012, 2021), SV101-01 and SV103
    (837P 1275, 1284), SV301-01 AD and SV305 I/R (837D 852, 868; x12-notes §5), DN202 E/M (837D
    336; §5): an 837I line billed with AD (a CDT code) and unit XX was written."""
    inpatient = one("837i/inpatient")
    service = inpatient.lines[2].institutional
    assert service is not None
    service.qualifier, service.unit = "AD", "XX"
    assert check_claim(inpatient) == [
        "line 3: SV202-01 (institutional.qualifier) is 'AD', not one of ER, HC, HP, IV, WK (837I)",
        "line 3: SV204 (institutional.unit) is 'XX', not one of DA, UN (837I)",
    ]
    service.qualifier, service.unit = "HP", "DA"  # HIPPS, days
    assert check_claim(inpatient) == []

    professional = one("837p/drug")
    line = professional.lines[0].professional
    assert line is not None
    line.qualifier, line.unit = "AD", "DA"
    assert check_claim(professional) == [
        "line 1: SV101-01 (professional.qualifier) is 'AD', not one of ER, HC, IV, WK (837P)",
        "line 1: SV103 (professional.unit) is 'DA', not one of MJ, UN (837P)",
    ]

    dental = one("837d/ortho")  # DN2*1*M, DN2*16*M
    dental.lines[0].dental.qualifier = "HC"  # type: ignore[union-attr]
    dental.lines[0].dental.prosthesis = "X"  # type: ignore[union-attr]
    dental.tooth_status[1].status = "I"
    assert check_claim(dental) == [
        "DN202 (tooth_status[1].status) is 'I', not one of E, M (837D)",
        "line 1: SV301-01 (dental.qualifier) is 'HC', not one of AD (837D)",
        "line 1: SV305 (dental.prosthesis) is 'X', not one of I, R (837D)",
    ]


def test_dental_teeth_and_tooth_statuses_repeat_at_most_their_max_use() -> None:
    """TOO max_use=32 a line, DN2 max_use=35 a claim (837D map lines 879, 334; x12-notes §5)."""
    dental = one("837d/ortho")
    dental.tooth_status = dental.tooth_status[:1] * 36
    dental.lines[0].teeth = [Tooth(number=str(n % 32 + 1)) for n in range(33)]
    assert check_claim(dental) == [
        "36 tooth statuses (DN2); an 837D claim has at most 35",
        "line 1: 33 teeth (TOO); a line has at most 32",
    ]
    dental.tooth_status.pop()
    dental.lines[0].teeth.pop()
    assert check_claim(dental) == []


def test_health_codes_go_without_their_decimal_point() -> None:
    """x12-notes §3 (HI), §6 and §13: HI codes carry no decimal point. I21.4 as a principal
    diagnosis was written as HI*ABK:I21.4 (in 837P and 837D too); the code is not quoted (PHI)."""
    for case, n in (("837i/inpatient", 1), ("837p/drug", 1), ("837d/restorative", 1)):
        claim = one(case)
        code = claim.codes[n - 1]
        assert code.code is not None and "." not in code.code
        code.code = code.code[:3] + "." + code.code[3:]
        problems = check_claim(claim)
        assert problems == [
            f"code {n} ({code.qualifier}): its code (HI-02) has a decimal point; X12 sends codes "
            "without it (I10, E119)"
        ], case
        assert code.code not in problems[0]


@pytest.mark.parametrize(
    ("case", "n", "code", "form"),
    [
        # A CPT code as the principal procedure: a common hospital error (the 837I tester).
        ("837i/inpatient", "BBR", "27447", "ICD-10-PCS"),
        ("837i/inpatient", "BBR", "02I03ZZ", "ICD-10-PCS"),  # PCS has no I nor O
        ("837i/inpatient", "ABK", "99213", "ICD-10-CM"),  # a CPT code as the principal diagnosis
        ("837i/inpatient", "ABF", "e119", "ICD-10-CM"),  # in lower case
        ("837p/drug", "ABK", "E11 9", "ICD-10-CM"),
        ("837p/drug", "ABK", "E11934AB", "ICD-10-CM"),  # 8 characters: at most 7
    ],
)
def test_icd_10_codes_have_their_form(case: str, n: str, code: str, form: str) -> None:
    """x12-notes §10: ICD-10-CM diagnoses (ABK, ABF, ABJ, APR, ABN) are a letter, a digit, then 1
    to 5 letters or digits; ICD-10-PCS procedures (BBR, BBQ) 7 letters or digits, no I or O. The
    lists are not shipped: the form is checked. The code is not quoted (PHI)."""
    claim = one(case)
    assert check_claim(claim) == []
    k, health = next((k, c) for k, c in enumerate(claim.codes, 1) if c.qualifier == n)
    for good in (
        ("C4A0", "S52521A", "U071", "Z3A10", "R69") if form == "ICD-10-CM" else ("0SRD0JZ",)
    ):
        health.code = good
        assert check_claim(claim) == [], good
    health.code = code
    problems = check_claim(claim)
    assert len(problems) == 1 and problems[0].startswith(
        f"code {k} ({n}): its code (HI-02) is not an {form} code ("
    ), problems
    assert code not in problems[0]


@pytest.mark.parametrize(
    ("admission_format", "admission", "discharge_format", "discharge", "problems"),
    [
        ("DT", "202402010830", "TM", "1400", []),
        (
            # A D8 value; but an inpatient bill's admission gives its hour (RFI 1520).
            "D8",
            "20240201",
            "TM",
            "0000",
            [
                "the admission (DTP*435) is a date without its hour (DTP02 D8); an inpatient bill "
                "(type of bill 111) gives its date and hour (DT: RFI 1520)"
            ],
        ),
        (
            "DT",
            "2024-02-01",
            "TM",
            "2599",
            [
                "admission (DTP*435 DTP03) is not a DT value (CCYYMMDDHHMM)",
                "discharge (DTP*096 DTP03) is not a TM value (HHMM)",
            ],
        ),
        (
            "D8",
            "20240230",
            "TM",
            "14",
            [
                "admission (DTP*435 DTP03) is not a D8 value (CCYYMMDD)",
                "discharge (DTP*096 DTP03) is not a TM value (HHMM)",
            ],
        ),
        (
            "RD8",
            "20240201-20240203",
            "D8",
            "20240203",
            [
                "admission_format (DTP*435 DTP02) is 'RD8', not one of D8, DT (837I)",
                "discharge_format (DTP*096 DTP02) is 'D8', not one of TM (837I)",
            ],
        ),
    ],
)
def test_admission_and_discharge_are_of_their_format(
    admission_format: str,
    admission: str,
    discharge_format: str,
    discharge: str,
    problems: list[str],
) -> None:
    """837I DTP*435 DTP02 [D8,DT], DTP*096 DTP02 [TM] (map lines 350, 342); the value as its format
    says. `DTP*435*DT*2024-02-01` and a discharge hour 2599 were written; values are not quoted."""
    claim = one("837i/inpatient")
    claim.admission_format, claim.admission = admission_format, admission
    claim.discharge_format, claim.discharge = discharge_format, discharge
    assert check_claim(claim) == problems


def test_professional_admission_and_discharge_are_dates() -> None:
    """837P DTP*435 and DTP*096 take D8 only (map lines 416, 420)."""
    claim = one("837p/drug")
    claim.admission_format, claim.admission = "DT", "202402010830"
    claim.discharge_format, claim.discharge = "D8", "20240299"
    assert check_claim(claim) == [
        "admission_format (DTP*435 DTP02) is 'DT', not one of D8 (837P)",
        "discharge (DTP*096 DTP03) is not a D8 value (CCYYMMDD)",
    ]
    # A value without its format gets the format of its text (12 digits: DT, no 837P format) ...
    claim.admission_format = claim.discharge_format = None
    claim.discharge = "20240203"
    assert (claim.admission_format, claim.discharge_format) == ("DT", "D8")
    assert check_claim(claim) == ["admission_format (DTP*435 DTP02) is 'DT', not one of D8 (837P)"]
    # ... and one of no format's form is told the forms of its own guide.
    claim.admission, claim.discharge = "01.02.2024", "02/03/2024"
    claim.admission_format = claim.discharge_format = None
    assert check_claim(claim) == [
        "admission (DTP*435 DTP03) is not CCYYMMDD (D8), and no admission_format (DTP02) is given",
        "discharge (DTP*096 DTP03) is not CCYYMMDD (D8), and no discharge_format (DTP02) is given",
    ]
    inpatient = one("837i/inpatient")
    inpatient.discharge_format = None
    assert inpatient.discharge_format == "TM" and check_claim(inpatient) == []
    inpatient.admission, inpatient.admission_format = "2024-02-01 08:30", None  # not ISO
    assert check_claim(inpatient) == [
        "admission (DTP*435 DTP03) is not CCYYMMDD (D8) or CCYYMMDDHHMM (DT), and no "
        "admission_format (DTP02) is given"
    ]


def test_json_problems_name_the_claim() -> None:
    """A problem in the claims JSON named the claim by its position only (`[1].lines[0]...`); among
    hundreds of claims the checks name by CLM01 that was hard to find."""
    data = json.loads((FIXTURES / "837i/inpatient.json").read_text())
    data[1]["lines"][0]["institutional"]["charge"] = [300]
    data[1]["admission_type"] = 1
    del data[0]["patient_control_number"]
    with pytest.raises(edi.ClaimValidationError) as caught:
        edi.load_claims(data)
    assert caught.value.problems == [
        "[0].patient_control_number: Field required",
        "claim PCN8002: [1].admission_type: Input should be a valid string",
        "claim PCN8002: [1].lines[0].institutional.charge: Decimal input should be an integer, "
        "float, string or Decimal object",
    ]


def test_messages_say_what_is_wrong_in_plain_words() -> None:
    """'a institutional line', and an NPI starting with 3 'fails its check digit' (its check digit
    was right: NPIs start with 1 or 2)."""
    claim = one("837i/inpatient")
    claim.lines[0].professional = edi.ProfessionalService(qualifier="HC", code="99213", charge=3000)
    claim.providers[0].id = "3000000018"  # Luhn over 80840 + 300000001: check digit 8
    claim.providers[1].id = "100000007"
    assert check_claim(claim) == [
        "line 1: an 837I line has one SV2 service; this one has SV1 and SV2",
        "provider 71 (2310A): NPI '3000000018' does not start with 1 or 2, as every NPI does",
        "provider 72 (2310B): NPI is not 10 digits",  # not quoted: it may be a member id (PHI)
    ]


def test_a_date_range_that_ends_before_it_starts_is_refused() -> None:
    """A statement period (DTP*434) or a line's service dates (DTP*472) given as an RD8 range whose
    end comes before its start; the dates themselves are not quoted."""
    claim = one("837i/inpatient")
    claim.statement_period = Period(start=date(2024, 2, 5), end=date(2024, 2, 1))
    claim.lines[0].service_date = Period(start=date(2024, 2, 3), end=date(2024, 2, 2))
    assert check_claim(claim) == [
        "statement_period (DTP*434, RD8) ends before it starts",
        "line 1: service_date (DTP*472, RD8) ends before it starts",
    ]
    # One day (start = end) is a range the guides allow.
    claim.statement_period = Period(start=date(2024, 2, 1), end=date(2024, 2, 2))
    claim.lines[0].service_date = Period(start=date(2024, 2, 2), end=date(2024, 2, 2))
    assert check_claim(claim) == []
    # An occurrence span (HI BI, HI-04 RD8) is a range of the claim too.
    claim.codes.append(
        edi.HealthCode(
            qualifier="BI", code="71", date=Period(start=date(2024, 2, 3), end=date(2024, 2, 1))
        )
    )
    assert check_claim(claim) == [
        f"code {len(claim.codes)} (BI): its period (HI-04, RD8) ends before it starts"
    ]
    claim.codes[-1] = claim.codes[-1].model_copy(
        update={"date": Period(start=date(2024, 2, 1), end=date(2024, 2, 3))}
    )
    assert check_claim(claim) == []


def test_a_date_in_the_format_its_guide_does_not_take_is_refused() -> None:
    """An 837I statement period (DTP*434) given as one date was written as D8, which its guide does
    not take (RD8 only: one day is a range from and to that day), and an 837P onset of illness
    (DTP*431, D8 only) given as a range as RD8; both passed the checks and were written."""
    claim = one("837i/inpatient", 1)
    claim.statement_period = Period(start=date(2024, 2, 10))
    expected = "statement_period (DTP*434) is one date (D8); the 837I guide takes a range (RD8)"
    assert check_claim(claim) == [f"{expected}: a day from and to that day"]
    with pytest.raises(edi.CheckError):
        edi.write_837([claim])
    claim.statement_period = Period(start=date(2024, 2, 10), end=date(2024, 2, 10))
    assert check_claim(claim) == []

    office = one("837p/dependent")
    office.onset_date = Period(start=date(2024, 3, 1), end=date(2024, 3, 4))
    office.lines[0].service_date = Period(start=date(2024, 3, 5), end=date(2024, 3, 6))
    office.disability_period = Period(start=date(2024, 3, 1), end=date(2024, 3, 4))
    assert check_claim(office) == [
        "onset_date (DTP*431) is a range (RD8); the 837P guide takes one date (D8)"
    ]


def test_a_date_read_with_a_format_that_is_not_its_own_is_refused() -> None:
    """`DTP*434*RD8*19960911` (TigerShark's 837I example), `DTP*472*XX*...` or a range under D8
    were read silently and written back as read, the checks saying nothing: the format read
    (DTP02) is written while the value still gives the format it had."""
    text = (FIXTURES / "837i/inpatient.x12").read_text()
    text = text.replace("DTP*434*RD8*20240201-20240203", "DTP*434*RD8*20240201")
    text = text.replace("DTP*472*D8*20240201", "DTP*472*XX*20240201")
    text = text.replace("DTP*434*RD8*20240210-20240210", "DTP*434*D8*20240210-20240210")
    first, second = edi.read_claims(text)
    assert check_claim(first) == [
        "statement_period (DTP*434) is one date (D8), but the format read with it (DTP02) is "
        "'RD8'; the 837I guide takes a range (RD8): a day from and to that day",
        "line 3: service_date (DTP*472) is one date (D8), but the format read with it (DTP02) "
        "is 'XX'; the 837I guide takes one date (D8) or a range (RD8)",
    ]
    assert check_claim(second) == [
        "statement_period (DTP*434) is a range (RD8), but the format read with it (DTP02) is "
        "'D8'; the 837I guide takes a range (RD8)"
    ]
    with pytest.raises(edi.CheckError):
        edi.write_837([first, second])
    # A value of the other shape brings its own format: what was read is no longer written.
    first.statement_period = Period(start=date(2024, 2, 1), end=date(2024, 2, 3))
    first.lines[2].service_date = Period(start=date(2024, 2, 1), end=date(2024, 2, 2))
    assert check_claim(first) == []
