"""The claim models on their own: what they fill in, their accessors, the HI segment rules, JSON in,
and the business checks (each rule once, with the message a user sees)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pydantic
import pytest

import edi
from edi.mapping import WriteContext, segments_of, write_model
from edi.models.base import Period
from edi.models.claim import hi_category
from edi.models.claim_segments import HealthCode
from edi.transactions.claim_checks import check_claim, json_path, npi_is_valid

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def one(case: str) -> edi.Claim:
    return edi.load_claims(FIXTURES / f"{case}.json")[0]


# -- defaults the models fill in ------------------------------------------------------------------


def test_models_fill_in_the_codes_the_guide_implies() -> None:
    provider = edi.Provider(role="71", name="DOE", id="1234567893", taxonomy="207RC0000X")
    assert (provider.id_qualifier, provider.specialty_code, provider.taxonomy_qualifier) == (
        "XX",
        "AT",
        "PXC",
    )
    pick_up = edi.Provider(role="PW")
    assert pick_up.id_qualifier is None and pick_up.specialty_code is None
    billing = edi.BillingProvider(name="X", npi="1234567893", tax_id="123456789")
    assert (billing.entity_type, billing.id_qualifier, billing.tax_id_qualifier) == (
        "2",
        "XX",
        "EI",
    )
    # A value given is kept.
    assert edi.BillingProvider(name="X", tax_id_qualifier="SY", tax_id="1").tax_id_qualifier == "SY"
    code = HealthCode(qualifier="BH", code="11", date=Period(start=date(2024, 1, 2)))
    assert code.date_format == "D8"
    claim = one("837i/inpatient")
    assert claim.facility_code_qualifier == "A" and claim.header.structure == "0019"
    assert one("837p/drug").facility_code_qualifier == "B"


def test_defaults_follow_assignment() -> None:
    provider = edi.Provider(role="82")
    provider.taxonomy = "207Q00000X"
    assert (provider.specialty_code, provider.taxonomy_qualifier) == ("PE", "PXC")


# -- accessors ---------------------------------------------------------------------------------------------


def test_claim_accessors() -> None:
    claim = one("837p/subscriber_is_patient")
    assert claim.id == "PCN1001"
    assert claim.line_charge_total == Decimal(175)
    assert claim.provider("82") is claim.providers[1] and claim.provider("71") is None
    assert claim.principal_diagnosis is claim.codes[0]
    assert [c.code for c in claim.other_diagnoses] == ["R509"]
    line = claim.lines[0]
    assert (line.procedure_qualifier, line.procedure_code, line.units) == ("HC", "99214", 1)
    assert line.charge == Decimal(125) and line.revenue_code is None and line.modifiers == []
    assert one("837i/inpatient").lines[0].diagnosis_pointers == []
    assert claim.bill_type is None and not claim.is_predetermination


# -- HI segments: which codes share one --------------------------------------------------------------


def hi_segments(claim: edi.Claim) -> list[str]:
    loop = write_model(claim, WriteContext(), custom={"2400": []})
    return [seg.text() for seg in segments_of([loop]) if seg.id == "HI"]


def test_professional_diagnoses_share_one_hi() -> None:
    claim = one("837p/subscriber_is_patient")
    claim.codes = [
        HealthCode(qualifier="ABK", code="J069"),
        *[HealthCode(qualifier="ABF", code=f"R50{n}") for n in range(12)],
        HealthCode(qualifier="BG", code="01"),
    ]
    # 13 diagnoses: 12 per segment; the condition code in its own segment.
    assert hi_segments(claim) == [
        "HI*ABK:J069*" + "*".join(f"ABF:R50{n}" for n in range(11)),
        "HI*ABF:R5011",
        "HI*BG:01",
    ]
    assert hi_category(claim, claim.codes[0]) == hi_category(claim, claim.codes[1]) == "diagnosis"


def test_institutional_categories_never_share_an_hi() -> None:
    claim = one("837i/inpatient")
    assert hi_segments(claim) == [
        "HI*ABK:I214:::::::Y",
        "HI*ABJ:R079",
        "HI*ABF:I10:::::::Y*ABF:E785:::::::N",
        "HI*BBR:02703ZZ:D8:20240202",
        "HI*BI:70:RD8:20240125-20240128",
        "HI*BH:11:D8:20240201",
        "HI*BE:80:::3",
        "HI*BG:39",
        "HI*DR:282",
    ]


# -- JSON in --------------------------------------------------------------------------------------------


def test_load_claims_accepts_paths_text_and_data() -> None:
    path = FIXTURES / "837p/drug.json"
    data = json.loads(path.read_text())
    from_path = edi.load_claims(path)
    assert edi.load_claims(path.read_text()) == from_path
    assert edi.load_claims(data) == from_path
    assert edi.load_claims(data[0]) == from_path  # one claim object
    # Money as JSON numbers: 0.1 stays 0.1 (never 0.1000000000000000055...).
    data[0]["lines"][1]["professional"]["charge"] = 30.1
    assert edi.load_claims(data)[0].lines[1].charge == Decimal("30.1")


def test_load_claims_names_every_problem() -> None:
    with pytest.raises(edi.ClaimValidationError) as raised:
        edi.load_claims([{"kind": "dental", "lines": []}, 5])
    problems = raised.value.problems
    assert "[0].lines: List should have at least 1 item after validation, not 0" in problems
    assert "[0].billing_provider: Field required" in problems
    assert "[1]: Input should be a valid dictionary or instance of Claim" in problems
    with pytest.raises(edi.ClaimValidationError, match="expected a list of claims"):
        edi.load_claims("3")
    assert json_path(()) == "(the document)"


# -- business checks ------------------------------------------------------------------------------------


def test_lists_hold_no_more_values_than_their_segment_has_room_for() -> None:
    """SV101 has four modifier components, SV107 four pointers, TOO03 five surfaces: more is refused
    by validation (naming the field) and said by the JSON Schema, not cut off on writing."""
    claim = one("837p/drug").model_dump(mode="json")
    claim["lines"][0]["professional"]["modifiers"] = ["25", "59", "76", "77", "91"]
    with pytest.raises(pydantic.ValidationError) as info:
        edi.Claim.model_validate(claim)
    (error,) = info.value.errors()
    assert error["loc"] == ("lines", 0, "professional", "modifiers") and error["type"] == "too_long"
    defs = edi.Claim.model_json_schema()["$defs"]
    assert defs["ProfessionalService"]["properties"]["modifiers"]["maxItems"] == 4
    assert defs["ProfessionalService"]["properties"]["diagnosis_pointers"]["maxItems"] == 4
    assert defs["Tooth"]["properties"]["surfaces"]["maxItems"] == 5


def test_npi_check_digit() -> None:
    # The example of the NPI standard's check digit and numbers off by one digit.
    assert npi_is_valid("1234567893")
    assert not npi_is_valid("1234567890") and not npi_is_valid("123456789")
    assert not npi_is_valid("3234567893")  # an NPI starts with 1 or 2
    # Characters that str.isdigit() takes but int() refuses, or that are digits only outside ASCII.
    assert not npi_is_valid("1²34567893") and not npi_is_valid("١٢٣٤٥٦٧٨٩٣")


def test_checks_one_rule_at_a_time() -> None:
    claim = one("837p/subscriber_is_patient")
    assert check_claim(claim) == []

    claim.billing_provider.npi = "1234567890"
    assert check_claim(claim) == ["billing provider NPI '1234567890' fails its check digit"]
    claim.billing_provider.npi = "1234567893"

    claim.patient_control_number = "X" * 21
    assert check_claim(claim) == [
        f"patient control number {'X' * 21!r} is longer than 20 characters"
    ]
    claim.patient_control_number = "PCN1001"

    claim.subscriber.relationship = None
    assert check_claim(claim) == [
        "no patient is given, so the subscriber is the patient, but subscriber.relationship (SBR02) "
        "is None, not '18'"
    ]
    claim.subscriber.relationship = "18"

    claim.codes = list(reversed(claim.codes))
    assert check_claim(claim) == [
        "the first diagnosis is ABF R509; the principal one (ABK) must come first"
    ]
    claim.codes = list(reversed(claim.codes))

    claim.providers[0].role = "71"
    assert check_claim(claim) == [
        "claim: provider role 71 (attending provider) has no loop 2310 in a professional claim "
        "(allowed: 45, 77, 82, DN, DQ, P3, PW)"
    ]
    claim.providers[0].role = "DN"

    claim.lines[1].control_number = "L1001A"
    assert check_claim(claim) == ["line 2: line item control number 'L1001A' is used twice"]
    claim.lines[1].control_number = "L1001B"

    claim.lines[0].institutional = edi.InstitutionalService(revenue_code="0450", charge=Decimal(1))
    assert check_claim(claim) == [
        "line 1: a professional line has one SV1 service; this one has SV1 and SV2"
    ]


def test_cob_checks() -> None:
    claim = one("837p/cob_secondary")
    assert check_claim(claim) == []
    adjudication = claim.lines[0].adjudications[0]
    adjudication.paid = Decimal(90)
    assert check_claim(claim) == [
        "line 1: payer EXAMPLEHP01 paid 90 + adjustments 80 ≠ line charge 180",
        "prior payer EXAMPLEHP01: paid 120 (AMT*D) ≠ Σ line payments 110 − claim adjustments 0",
    ]  # CLM02 = AMT*D + Σ CAS still holds: 250 = 120 + 0 + 130 (x12-notes §8.2 rule 4)
    adjudication.paid = Decimal(100)
    adjudication.payer_id = "SOMEONE"
    problems = check_claim(claim)
    assert problems[0] == (
        "line 1: adjudication by payer 'SOMEONE' (SVD01) matches no prior payer (2330B NM109: "
        "EXAMPLEHP01)"
    )
