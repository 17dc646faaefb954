"""Situational 837 rules that hang on what a claim is or on its dates (`claim_situations`): each
rule's source is in that module's docstring."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import edi
from edi.models.base import Period
from edi.transactions.claim_checks import check_claim
from edi.transactions.claim_situations import service_span

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def claims(case: str) -> list[edi.Claim]:
    return edi.load_claims(FIXTURES / f"{case}.json")


def test_an_inpatient_bill_gives_its_admission_date_type_and_source() -> None:
    inpatient, outpatient = claims("837i/inpatient")
    assert (inpatient.bill_type, outpatient.bill_type) == ("111", "131")
    assert check_claim(inpatient) == check_claim(outpatient) == []
    inpatient.admission = inpatient.admission_format = None
    inpatient.admission_type = inpatient.admission_source = None
    assert check_claim(inpatient) == [
        "no admission date and hour (admission, DTP*435); an inpatient bill (type of bill 111) "
        "requires it (RFI 1520, 1479)",
        "no admission type code (admission_type, CL101); an inpatient bill (type of bill 111) "
        "requires it",
        "no admission source code (admission_source, CL102); an inpatient bill (type of bill 111) "
        "requires it",
    ]
    assert [p.element for p in check_claim(inpatient)] == [None, "CL101", "CL102"]
    # An outpatient bill (13x) has none of them, and needs none.
    assert outpatient.admission is None and outpatient.admission_type is None
    # Home health (33x) is inpatient for the admission date alone (RFI 1479, 1520).
    outpatient.facility_code = "33"
    assert check_claim(outpatient) == [
        "no admission date and hour (admission, DTP*435); a home health bill (type of bill 331) "
        "requires it (RFI 1520, 1479)"
    ]


def test_an_interim_bill_has_no_discharge_hour() -> None:
    inpatient = claims("837i/inpatient")[0]
    assert inpatient.discharge == "1400"
    inpatient.patient_status = "30"  # still a patient, as an interim bill says
    for frequency, name in (("2", "first interim"), ("3", "continuing interim")):
        inpatient.frequency_code = frequency
        assert check_claim(inpatient) == [
            f"a discharge hour (discharge, DTP*096) on a {name} bill (CLM05-03 {frequency}), whose "
            "patient is not discharged: leave it out"
        ]
    inpatient.frequency_code, inpatient.patient_status = "4", "01"  # the last: discharged
    assert check_claim(inpatient) == []
    inpatient.patient_status = "30"
    inpatient.frequency_code, inpatient.discharge, inpatient.discharge_format = "2", None, None
    assert check_claim(inpatient) == []


def test_an_inpatient_admission_gives_its_hour_and_falls_in_the_statement() -> None:
    """RFI 1520: "admission date and hour" on an inpatient bill: DT, not D8 (home health 33x, by
    RFI 1479, the date alone). An admission after the statement period's last day is a typo: the
    bill covers days from it on (it need not be the first day). Dates are not quoted (PHI)."""
    inpatient = claims("837i/inpatient")[0]
    assert (inpatient.admission_format, inpatient.statement_period) == (
        "DT",
        Period(start=date(2024, 2, 1), end=date(2024, 2, 3)),
    )
    inpatient.admission = "20240201"
    assert inpatient.admission_format == "D8"
    assert check_claim(inpatient) == [
        "the admission (DTP*435) is a date without its hour (DTP02 D8); an inpatient bill (type "
        "of bill 111) gives its date and hour (DT: RFI 1520)"
    ]
    inpatient.facility_code = "33"
    assert check_claim(inpatient) == []
    inpatient.facility_code = "11"
    for admitted, said in (
        ("202401150800", False),  # admitted before the period: an interim or a later bill
        ("202402032359", False),  # on its last day
        ("202402040000", True),  # the day after
    ):
        inpatient.admission = admitted
        after = (
            "the admission date (DTP*435) is after the statement period's last day (DTP*434): "
            "the bill covers days of a stay that had not begun"
        )
        assert check_claim(inpatient) == ([after] if said else []), admitted


def test_a_final_bill_is_not_for_a_patient_still_admitted() -> None:
    """Stedi's claim edit "Invalid claim frequency code and patient status code combination": a
    bill of frequency 1 (admit through discharge) with patient status 30 (still a patient)."""
    inpatient = claims("837i/inpatient")[0]
    inpatient.discharge = inpatient.discharge_format = None
    inpatient.patient_status = "30"
    problems = check_claim(inpatient)
    assert problems == [
        "patient status 30 (still a patient, CL103) on a bill of frequency 1 (admit through "
        "discharge, CLM05-03), whose stay is over: an interim bill (2, 3) or another status"
    ]
    assert [p.element for p in problems] == ["CL103"]
    for frequency in ("2", "3"):  # interim bills: the patient stays
        inpatient.frequency_code = frequency
        assert check_claim(inpatient) == []


def test_an_interim_inpatient_bill_is_for_a_patient_still_admitted_until_the_last() -> None:
    """Medicare's interim billing guidelines (First Coast): frequency 2 and 3 give status 30; the
    last interim bill (4) a discharge status. The status is not quoted."""
    inpatient, outpatient = claims("837i/inpatient")
    inpatient.discharge = inpatient.discharge_format = None
    assert inpatient.patient_status == "01"
    for frequency, name in (("2", "first interim"), ("3", "continuing interim")):
        inpatient.frequency_code = frequency
        problems = check_claim(inpatient)
        assert problems == [
            f"a discharge status (CL103, not 30) on a {name} inpatient bill (CLM05-03 "
            f"{frequency}), whose patient is still in the facility: 30 (still a patient), or "
            "frequency 1 or 4 for a bill that ends the stay"
        ]
        assert [p.element for p in problems] == ["CL103"]
    inpatient.frequency_code = "4"
    assert check_claim(inpatient) == []
    inpatient.patient_status = "30"
    assert check_claim(inpatient) == [
        "patient status 30 (still a patient, CL103) on a last interim inpatient bill (CLM05-03 4), "
        "which ends the stay: the patient's discharge status"
    ]
    inpatient.frequency_code = "2"
    assert check_claim(inpatient) == []
    # Outpatient bills (13x) are not checked for it.
    outpatient.frequency_code = "2"
    assert outpatient.patient_status and outpatient.patient_status != "30"
    assert check_claim(outpatient) == []


def test_an_accident_comes_before_the_care_it_caused() -> None:
    """Stedi's claim edit "Accident date after the service date" (837P and 837D): DTP*439 after a
    date of service. Dates are not quoted (PHI)."""
    for case in ("837p/subscriber_is_patient", "837d/restorative"):
        claim = claims(case)[0]
        span = service_span(claim)
        assert span is not None, case
        claim.related_causes, claim.accident_state = ["AA"], "IL"
        claim.accident_date = Period(start=span[0])
        assert check_claim(claim) == [], case  # the day of the first service
        claim.accident_date = Period(start=span[0] + timedelta(days=1))
        problems = check_claim(claim)
        assert problems == [
            "the accident date (DTP*439, accident_date) is after the first date of service: the "
            "care an accident caused follows it"
        ], case
        assert problems[0].element == "DTP03"


def test_a_dental_claim_gives_its_date_of_service_unless_a_predetermination() -> None:
    claim = claims("837d/restorative")[0]
    assert not claim.is_predetermination and claim.service_period is None
    for line in claim.lines[1:]:
        line.service_date = None
    assert check_claim(claim) == [
        "no date of service: lines 2, 3 have none (service_date, 2400 DTP*472), nor has the "
        "claim (service_period, 2300 DTP*472); an 837D claim that is not a predetermination "
        "(CLM19 PB) gives it (RFI 2460)"
    ]
    claim.service_period = Period(start=date(2024, 3, 5))  # once for the claim: enough
    assert check_claim(claim) == []

    predetermination = claims("837d/predetermination")[0]
    assert predetermination.is_predetermination
    assert [line.service_date for line in predetermination.lines] == [None, None]
    assert check_claim(predetermination) == []
    predetermination.submission_reason = None
    assert check_claim(predetermination) == [
        "no date of service: lines 1, 2 have none (service_date, 2400 DTP*472), nor has the "
        "claim (service_period, 2300 DTP*472); an 837D claim that is not a predetermination "
        "(CLM19 PB) gives it (RFI 2460)"
    ]


def test_the_code_set_follows_the_date_of_service() -> None:
    # 45 CFR 162.1002: ICD-10 from 2015-10-01 on, ICD-9 before.
    claim = claims("837p/subscriber_is_patient")[0]
    assert [c.qualifier for c in claim.codes] == ["ABK", "ABF"]
    claim.codes[1].qualifier = "BF"
    assert check_claim(claim) == [
        "code 2 (BF) is ICD-9, for a service from 2015-10-01 on, when HIPAA requires ICD-10 "
        "(ABF; 45 CFR 162.1002)"
    ]
    claim.codes[1].qualifier = "ABF"
    for line in claim.lines:
        line.service_date = Period(start=date(2015, 9, 30))
    assert check_claim(claim) == [
        "code 1 (ABK) is ICD-10, for a service before 2015-10-01, when HIPAA requires ICD-9 "
        "(45 CFR 162.1002)",
        "code 2 (ABF) is ICD-10, for a service before 2015-10-01, when HIPAA requires ICD-9 "
        "(45 CFR 162.1002)",
    ]
    claim.lines[0].service_date = Period(start=date(2015, 10, 1))  # dates on both sides
    assert check_claim(claim) == []
    for line in claim.lines:
        line.service_date = Period(start=date(2015, 10, 1))
    assert check_claim(claim) == []

    # An inpatient stay goes by its discharge: the end of the statement period.
    inpatient = claims("837i/inpatient")[0]
    inpatient.statement_period = Period(start=date(2015, 9, 28), end=date(2015, 10, 2))
    inpatient.admission = "201509260830"  # admitted by the statement's first day
    for line in inpatient.lines:
        line.service_date = None
    assert check_claim(inpatient) == []
    inpatient.statement_period = Period(start=date(2015, 9, 26), end=date(2015, 9, 30))
    problems = check_claim(inpatient)
    assert problems[0] == (
        "code 1 (ABK) is ICD-10, for a service before 2015-10-01, when HIPAA requires ICD-9 "
        "(45 CFR 162.1002)"
    )
    assert len(problems) == sum(c.qualifier.startswith(("AB", "AP", "BB")) for c in inpatient.codes)

    # Dates on both sides (a home health episode across 2015-10-01, which CMS coded by its through
    # date): not checked, whichever code set.
    home = claims("837i/inpatient")[1]
    home.facility_code = "32"
    home.statement_period = Period(start=date(2015, 9, 15), end=date(2015, 11, 13))
    for line in home.lines:
        line.service_date = None
    assert check_claim(home) == []
    home.statement_period = Period(start=date(2015, 8, 15), end=date(2015, 9, 13))
    assert len(check_claim(home)) == 3  # ABK, APR, ABN: all before


def test_the_code_set_rule_binds_health_plans_alone() -> None:
    # Workers' compensation, automobile and liability medical, disability (SBR09 WC, AM, LM, DS)
    # are no health plans: HIPAA's code sets do not bind them.
    claim = claims("837p/subscriber_is_patient")[0]
    claim.codes[0].qualifier = "BK"
    assert len(check_claim(claim)) == 1
    for indicator in ("WC", "AM", "LM", "DS"):
        claim.subscriber.filing_indicator = indicator
        assert check_claim(claim) == [], indicator


def test_an_837p_subscriber_who_is_not_the_patient_sends_no_address_or_demographics() -> None:
    """RFIs 2281, 1925, 1496: 2010BA N3, N4 and DMG only when the subscriber is the patient."""
    own, child, spouse = claims("837p/dependent")
    assert [check_claim(c) for c in (own, child, spouse)] == [[], [], []]
    assert own.patient is None and own.subscriber.birth_date is not None  # the member's own claim
    update = {"city": "SPRINGFIELD", "state": "IL", "postal_code": "62703"}
    update |= {"birth_date": date(1982, 2, 2), "gender": "F"}
    for field, value in update.items():
        setattr(spouse.subscriber, field, value)
    (problem,) = check_claim(spouse)
    assert problem.about is spouse.subscriber and problem.element is None
    assert problem == (
        "subscriber (2010BA): N4/DMG given (city, state, postal_code, birth_date, gender), but the patient is another person "
        "(patient, 2000C): the subscriber's address and demographics are sent only when the "
        "subscriber is the patient (RFIs 2281, 1496); the patient's go in 2010CA: leave them out "
        "of the subscriber of the dependant's claims (an object of its own when the subscriber's "
        "own claims need them)"
    )
    with pytest.raises(edi.ClaimCheckError, match="N4/DMG given"):
        edi.write_837([own, child, spouse])
    # Any of the fields is enough.
    for field, value in (("address_line_2", "APT 2"), ("country", "US"), ("gender", "F")):
        child.subscriber = child.subscriber.model_copy(update={field: value})
        assert f"given ({field})" in check_claim(child)[0]
        child.subscriber = child.subscriber.model_copy(update={field: None})
    assert check_claim(child) == []
    # The 837I and 837D are not checked for it (no interpretation of theirs was found).
    inpatient, outpatient = claims("837i/inpatient")
    assert outpatient.patient is not None and outpatient.subscriber.birth_date is not None
    assert check_claim(outpatient) == []


def test_a_subscriber_dmg_read_without_a_date_still_counts_as_sent() -> None:
    text = (FIXTURES / "837p/dependent.x12").read_text()
    bad = text.replace(
        "NM1*IL*1*TESTSUBSCRIBER*DELTA****MI*MBR2002~\n",
        "NM1*IL*1*TESTSUBSCRIBER*DELTA****MI*MBR2002~\nDMG*D8*19820231~\n",
    ).replace("SE*56*", "SE*57*")
    spouse = list(edi.read_claims(bad))[2]
    assert spouse.subscriber.birth_date is None
    problems = check_claim(spouse)
    assert any("DMG given (the DMG kept as read)" in p for p in problems), problems


def test_a_subscriber_who_is_the_patient_sends_the_address() -> None:
    """RFI 2281, the other half: "if the patient is the subscriber ..., the patient address and
    demographic information must be sent in the 2010BA Loop". The DMG was required; N3 and N4
    were not, and a claim without them was written."""
    claim = claims("837p/subscriber_is_patient")[0]
    assert claim.patient is None and check_claim(claim) == []
    subscriber = claim.subscriber
    subscriber.address_line_1 = None
    assert check_claim(claim) == [
        "subscriber (2010BA): no N3 (address_line_1); the subscriber is the patient, so the "
        "address is sent here (X12 RFI 2281)"
    ]
    for field in ("city", "state", "postal_code"):
        setattr(subscriber, field, None)
    problems = check_claim(claim)
    assert [p.about for p in problems] == [subscriber, subscriber]
    assert "no N4 (city, state, postal_code)" in problems[1]
    # The 837I and 837D alike (Stedi's claim edit "Missing subscriber address or demographics"
    # names the three), the DMG too; a dependant's claim (2000C) sends none (see above).
    inpatient = claims("837i/inpatient")[0]
    assert inpatient.patient is None
    inpatient.subscriber.address_line_1 = None
    assert check_claim(inpatient)[0] == (
        "subscriber (2010BA): no N3 (address_line_1); the subscriber is the patient, so the "
        "address is sent here (Stedi's claim edit)"
    )
    dental = claims("837d/restorative")[0]
    assert dental.patient is None
    dental.subscriber.address_line_1 = None
    dental.subscriber.birth_date = dental.subscriber.gender = None
    assert check_claim(dental) == [
        "subscriber (2010BA): no DMG (birth_date, gender); the subscriber is the patient, so it "
        "is sent here (Stedi's claim edit for the three guides)",
        "subscriber (2010BA): no N3 (address_line_1); the subscriber is the patient, so the "
        "address is sent here (Stedi's claim edit)",
    ]


def test_an_837d_claim_ref_and_line_amt_take_only_what_the_map_or_x12_notes_list() -> None:
    """837D 2300 REF and 2400 AMT were not checked: REF*EA, REF*ZZ and AMT*ZZ were written into an
    837D. Where the map and x12-notes §5 differ (P4 or G3; GT or T), either is taken."""
    claim = claims("837d/restorative")[0]
    assert check_claim(claim) == []
    claim.medical_record_number = "MRN1"
    assert check_claim(claim) == [
        "REF*EA is not used in loop 2300 of an 837D claim (its REF01 takes 4N, 9A, 9C, 9F, D9, F8, "
        "G1, G3, P4)"
    ]
    claim.medical_record_number = None
    claim.lines[0].amounts = {"ZZ": Decimal(5)}
    assert check_claim(claim) == [
        "line 1: AMT*ZZ is not used in loop 2400 of an 837D claim (its AMT01 takes GT, T)"
    ]
    for sales_tax in ("T", "GT"):
        claim.lines[0].amounts = {sales_tax: Decimal(5)}
        assert check_claim(claim) == []


def test_an_837d_line_rendering_provider_gives_its_prv_as_the_claims_does() -> None:
    """837D 2420A PRV: usage R (map line 1005; x12-notes §5 "2420A rendering NM1*82 + PRV*PE"),
    as 2310B's, which was the only one required."""
    claim = claims("837d/restorative")[0]
    given = {"role": "82", "entity_type": "1", "name": "X", "first_name": "Y", "id": "1999999992"}
    claim.lines[0].providers = [edi.Provider(**given)]
    problems = check_claim(claim)
    assert problems == [
        "line 1: provider 82 (2420A): no PRV; loop 2420A of an 837D claim requires it"
    ]
    assert problems[0].about is claim.lines[0].providers[0]
    claim.lines[0].providers = [edi.Provider(**given, taxonomy="1223G0001X")]
    assert check_claim(claim) == []


@pytest.mark.parametrize("place", ["41", "42"])
def test_an_ambulance_claim_gives_its_transport_at_the_claim_level(place: str) -> None:
    """Stedi's claim edit "Missing ambulance transport information": a place of service 41 or 42
    marks an ambulance claim, whose 2300 CR1 is required; a line's CR1 does not stand for it. A
    claim without it was written (the specialty tester)."""
    claim = claims("837p/ambulance_dme")[0]
    assert claim.facility_code == "41" and claim.ambulance is not None
    assert check_claim(claim) == []
    claim.facility_code = place
    claim.lines[0].ambulance, claim.ambulance = claim.ambulance, None
    problems = check_claim(claim)
    assert problems == [
        f"place of service {place} (CLM05-01) is an ambulance's, but the claim has no ambulance "
        "transport information (ambulance, 2300 CR1); an ambulance claim gives it at the claim "
        "level, a line's CR1 does not stand for it (Stedi's claim edit)"
    ]
    assert problems[0].about is claim
    # Another place of service does not make the claim an ambulance's.
    claim.facility_code = "11"
    assert check_claim(claim) == []


def test_unit_counts_are_more_than_zero_and_paid_units_not_negative() -> None:
    """Stedi's claim edits "Invalid service unit counts" (what a line bills: SV104, SV205, SV306
    more than zero; repriced approved units, HCP12, not negative) and "Invalid drug unit count"
    (CTP04 more than zero when CTP05 gives its unit); paid units (SVD05) may be zero (RFI 2112),
    never less. Zero and negative counts were written (the specialty tester)."""
    professional = claims("837p/drug")[0]
    service = professional.lines[0].professional
    drug = professional.lines[0].drug
    assert service is not None and drug is not None and drug.unit
    service.quantity = Decimal(0)
    drug.quantity = Decimal("-1")
    problems = check_claim(professional)
    assert problems == [
        "line 1: unit count 0 (SV104) is not more than zero",
        "line 1: drug unit count -1 (CTP04) is not more than zero",
    ]
    assert [(p.about, p.element) for p in problems] == [
        (professional.lines[0], "SV104"),
        (drug, "CTP04"),
    ]
    drug.unit = None  # a count without its unit: CTP04's rule is Stedi's with CTP05 given
    assert "drug unit count" not in str(check_claim(professional))
    institutional = claims("837i/cob_secondary")[1]
    line = institutional.lines[0]
    assert line.institutional is not None
    line.institutional.quantity = Decimal("-2")
    adjudication = line.adjudications[0]
    adjudication.units = Decimal(0)  # zero paid units: valid (RFI 2112)
    assert check_claim(institutional) == ["line 1: unit count -2 (SV205) is not more than zero"]
    adjudication.units = Decimal("-1")
    assert check_claim(institutional)[-1] == (
        "line 1: payer EXAMPLEHP01 paid -1 units (SVD05), fewer than zero"
    )
    dental = claims("837d/restorative")[0]
    assert dental.lines[0].dental is not None
    dental.lines[0].dental.quantity = Decimal(0)
    assert check_claim(dental) == ["line 1: unit count 0 (SV306) is not more than zero"]
