"""The claim models on their own: what they fill in, their accessors, the HI segment rules, JSON in,
and the business checks (each rule once, with the message a user sees)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic
import pytest
from pydantic import ValidationError

import edi
from edi.mapping import WriteContext, segments_of, write_model
from edi.models.base import Period
from edi.models.claim import hi_category
from edi.models.claim_parties import Provider
from edi.models.claim_segments import (
    Attachment,
    ConditionIndicator,
    DateTimeRef,
    FileInformation,
    HealthCode,
    Note,
)
from edi.models.common import Reference
from edi.transactions.claim_checks import check_claim, check_claims, json_path, npi_is_valid
from edi.transactions.claim_situations import service_span

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
    assert edi.load_claims(str(path)) == from_path  # a str that is not JSON text names a file
    with pytest.raises(FileNotFoundError):
        edi.load_claims(str(path.with_name("missing.json")))
    assert edi.load_claims(data) == from_path
    assert edi.load_claims(data[0]) == from_path  # one claim object
    # Money as JSON numbers: 0.1 stays 0.1 (never 0.1000000000000000055...).
    data[0]["lines"][1]["professional"]["charge"] = 30.1
    assert edi.load_claims(data)[0].lines[1].charge == Decimal("30.1")


def test_load_claims_reads_bytes_that_are_not_utf8_as_edi_reads_x12() -> None:
    # A Latin-1 É written as the byte it was read as (ensure_ascii=False): a lone surrogate again.
    text = (FIXTURES / "837p/drug.json").read_text().replace("TESTPATIENT", "TESTPATI\udcc9NT")
    claim = edi.load_claims(
        json.dumps(json.loads(text), ensure_ascii=False).encode("utf-8", "surrogateescape")
    )[0]
    assert claim == edi.load_claims(text)[0]
    assert "\\udcc9" in json.dumps(claim.model_dump(mode="json"))


def test_load_claims_reads_json_numbers_exactly() -> None:
    # A float holds about 17 digits: 12345678901234567.89 would become 12345678901234568.
    text = (FIXTURES / "837p/drug.json").read_text()
    data = json.loads(text)
    charge = data[0]["total_charge"]
    assert text.count(f'"total_charge": "{charge}"') == 1
    claim = edi.load_claims(
        text.replace(f'"total_charge": "{charge}"', '"total_charge": 12345678901234567.89')
    )[0]
    assert claim.total_charge == Decimal("12345678901234567.89")
    claim = edi.load_claims(text.replace(f'"total_charge": "{charge}"', '"total_charge": 1e2'))[0]
    assert claim.total_charge == 100
    assert "CLM*PCN" in edi.write_837([claim], check=False)
    assert "*100***" in edi.write_837([claim], check=False)


def test_a_json_number_that_was_a_float_with_noise_is_refused() -> None:
    """A program that adds 0.1 and 0.2 writes the JSON number 0.30000000000000004 (the float's
    shortest form): read as an exact Decimal, it went into CLM02 and SV102 as 0.30000000000000004
    and `edi build` wrote it without a word. It is refused as that float is; 17 digits that no
    float has (12345678901234567.89) are kept exactly, and so is the text in a JSON string."""
    text = (FIXTURES / "837p/drug.json").read_text()
    charge = json.loads(text)[0]["total_charge"]
    noisy = text.replace(f'"total_charge": "{charge}"', '"total_charge": 0.30000000000000004')
    with pytest.raises(edi.ClaimValidationError) as raised:
        edi.load_claims(noisy)
    assert raised.value.problems == [
        "claim PCN5001: [0].total_charge: Value error, the float 0.30000000000000004 is not an "
        "exact amount (a float holds 15 digits exactly): pass a Decimal or a string such as '125.50'"
    ]
    quoted = text.replace(f'"total_charge": "{charge}"', '"total_charge": "0.30000000000000004"')
    assert edi.load_claims(quoted)[0].total_charge == Decimal("0.30000000000000004")
    for number in ("150.25", "1e2", "0.1000000000000000055511151231257827"):  # the last: no float's
        exact = text.replace(f'"total_charge": "{charge}"', f'"total_charge": {number}')
        assert edi.load_claims(exact)[0].total_charge == Decimal(number)


def test_a_float_that_is_not_an_exact_amount_is_refused() -> None:
    """0.1 + 0.2 is the float 0.30000000000000004: written as such to CLM02 and SV102 before, and
    passed by the checks. A float of up to 15 digits (30.1, 125.5) is taken as the amount it shows."""
    data = json.loads((FIXTURES / "837p/drug.json").read_text())
    data[0]["total_charge"] = 0.1 + 0.2
    with pytest.raises(edi.ClaimValidationError) as raised:
        edi.load_claims(data)
    assert raised.value.problems == [
        "claim PCN5001: [0].total_charge: Value error, the float 0.30000000000000004 is not an "
        "exact amount (a "
        "float holds 15 digits exactly): pass a Decimal or a string such as '125.50'"
    ]
    claim = edi.load_claims(FIXTURES / "837p/drug.json")[0]
    with pytest.raises(ValidationError):
        claim.total_charge = 0.1 + 0.2  # type: ignore[assignment]
    with pytest.raises(ValidationError, match="not an exact amount"):
        claim.total_charge = 99999999999999999.0  # type: ignore[assignment]  # the float 1e+17
    claim.lines[0].professional.charge = 125.5  # type: ignore[assignment,union-attr]
    assert claim.lines[0].charge == Decimal("125.5")
    # 15 significant digits: the ".0" a whole float's repr ends with is not a 16th (they were
    # refused); 16 are.
    for whole in (123456789012345.0, 100000000000000.0):
        claim.total_charge = whole  # type: ignore[assignment]
        assert claim.total_charge == Decimal(repr(whole))
    with pytest.raises(ValidationError, match="not an exact amount"):
        claim.total_charge = 1234567890123456.0  # type: ignore[assignment]


def test_an_id_left_out_is_one_problem_not_its_qualifier_too() -> None:
    """Claims JSON (or an edi cob coverage) without the subscriber's member id: the model fills
    NM108 (MI) with the id, so "NM1 without NM108 (id_qualifier)", a field the user never writes,
    came first, then the id. The id alone is said."""
    data = json.loads((FIXTURES / "837p/dependent.json").read_text())
    del data[0]["subscriber"]["member_id"]
    del data[0]["payer"]["id"]
    assert edi.check_claims(edi.load_claims(data)) == [
        "claim PCN2001: subscriber (2010BA): NM1 without NM109 (member_id); the 837P guide "
        "requires it",
        "claim PCN2001: payer (2010BB): NM1 without NM109 (id); the 837P guide requires it",
    ]


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
    assert check_claim(claim) == [
        "billing provider (2010AA): NPI '1234567890' fails its check digit"
    ]
    claim.billing_provider.npi = "1234567893"

    # A claim-level provider is named once, not once per line (the claim has two lines).
    claim.providers[1].id = "1000000021"
    assert check_claim(claim) == ["provider 82 (2310B): NPI '1000000021' fails its check digit"]
    # The same provider twice: its repeat is reported, its NPI once.
    claim.providers.append(claim.providers[1].model_copy())
    problems = check_claim(claim)
    assert problems.count("provider 82 (2310B): NPI '1000000021' fails its check digit") == 1
    assert len(problems) == 2 and "providers in loop 2310B" in problems[0]
    claim.providers.pop()
    claim.providers[1].id = "1000000020"

    claim.patient_control_number = "X" * 21
    assert check_claim(claim) == [
        f"patient control number {'X' * 21!r} is longer than 20 characters"
    ]
    claim.patient_control_number = "PCN1001"

    claim.subscriber.relationship = None
    assert check_claim(claim) == [
        "no patient is given, so the subscriber is the patient, but subscriber.relationship (SBR02) "
        "is empty, not '18': set it to '18', or give the patient (patient, 2000C)"
    ]
    claim.subscriber.relationship = "18"

    claim.codes = list(reversed(claim.codes))
    assert check_claim(claim) == [  # the code itself is not quoted (PHI)
        "the first diagnosis is ABF; the principal one (ABK) must come first"
    ]
    claim.codes = list(reversed(claim.codes))

    claim.providers[0].role = "71"
    assert check_claim(claim) == [
        "claim: provider role 71 (attending provider) has no loop 2310 in an 837P claim "
        "(allowed: 45, 77, 82, DN, DQ, P3, PW)"
    ]
    claim.providers[0].role = "DN"

    claim.lines[1].control_number = "L1001A"
    assert check_claim(claim) == ["line 2: line item control number 'L1001A' is used twice"]
    claim.lines[1].control_number = "L1001B"

    claim.lines[0].institutional = edi.InstitutionalService(revenue_code="0450", charge=Decimal(1))
    assert check_claim(claim) == [
        "line 1: an 837P line has one SV1 service; this one has SV1 and SV2"
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


def test_a_payer_whose_lines_all_name_another_is_not_also_said_undated_or_unbalanced() -> None:
    """Every 2430 of a payer with its SVD01 mistyped: besides "matches no prior payer", the
    payer's totals and date were counted without those lines ("no adjudication date", "paid 120
    + adjustments 0 ≠ total charge 250"), sending the biller after what the file has (the 837P
    tester). A payer with no 2430 of its own beside a stray one is left to that message."""
    claim = one("837p/cob_secondary")
    for line in claim.lines:
        for adjudication in line.adjudications:
            adjudication.payer_id = "EXAMPLEHPO1"  # a letter O for a zero
    assert check_claim(claim) == [
        f"line {n}: adjudication by payer 'EXAMPLEHPO1' (SVD01) matches no prior payer (2330B "
        "NM109: EXAMPLEHP01)"
        for n in (1, 2)
    ]


def test_amounts_in_claim_messages_are_digits_never_an_exponent() -> None:
    claim = one("837p/cob_secondary")
    claim.total_charge = Decimal("0.0000002")
    claim.lines = claim.lines[:1]
    claim.lines[0].professional.charge = Decimal("0.0000001")  # type: ignore[union-attr]
    assert "total charge 0.0000002 ≠ Σ line charges 0.0000001" in check_claim(claim)


def test_each_payer_of_a_claim_has_its_own_place_in_the_sequence() -> None:
    # The guides' SBR01 note: within a claim each code but U occurs at most once, 2000B and 2320.
    claim = one("837p/cob_secondary")
    assert (claim.subscriber.payer_responsibility, claim.prior_payers[0].payer_responsibility) == (
        "S",
        "P",
    )
    claim.subscriber.payer_responsibility = "P"  # a secondary claim that calls itself primary
    assert check_claim(claim) == [
        "prior payer EXAMPLEHP01 (2320 SBR01): payer responsibility 'P' is also the claim's payer "
        "(2000B SBR01)'s; each payer of a claim has its own place in the sequence (P, S, T, A-H)"
    ]
    claim.subscriber.payer_responsibility = "S"
    first = claim.prior_payers[0]
    other = first.other_payer.model_copy(update={"id": "OTHERHP02"})
    claim.prior_payers.append(first.model_copy(update={"other_payer": other}))
    assert [p for p in check_claim(claim) if "sequence" in p] == [
        "prior payer OTHERHP02 (2320 SBR01): payer responsibility 'P' is also prior payer "
        "EXAMPLEHP01's; each payer of a claim has its own place in the sequence (P, S, T, A-H)"
    ]
    for prior in claim.prior_payers:
        prior.payer_responsibility = "U"  # unknown: may repeat
    assert not any("payer responsibility" in p for p in check_claim(claim))


def codes_of(*qualifiers: str) -> list[HealthCode]:
    """Health codes with these qualifiers and made-up codes, with the date or amount the 837I map
    requires of procedures (BBR, BBQ: D8), occurrences (BH: D8), spans (BI: RD8) and values (BE)."""
    day = date(2024, 3, 1)
    extra: dict[str, dict[str, object]] = {
        **dict.fromkeys(("BBR", "BR", "CAH", "BBQ", "BQ", "BH"), {"date": Period(start=day)}),
        "BI": {"date": Period(start=day, end=date(2024, 3, 4))},
        "BE": {"amount": Decimal("12.50")},
    }
    return [
        # Of their code set's form (ICD-10-PCS: 7 characters; a DRG 3 digits; the others as
        # ICD-10-CM).
        HealthCode(
            qualifier=q,
            code=f"0{n:06d}" if q in ("BBR", "BBQ") else f"{n:03d}" if q == "DR" else f"X{n:03d}",
            **extra.get(q, {}),  # type: ignore[arg-type]
        )
        for n, q in enumerate(qualifiers)
    ]


def test_an_hi_date_that_is_no_date_is_said_once_by_the_reader() -> None:
    """`HI*BH:11:D8:20240230` (no such day): the reader says HI01-04 is no date and keeps the text;
    the check had said again that the code needs one date, at the claim (the 837I tester)."""
    text = (FIXTURES / "837i" / "inpatient.x12").read_text()
    bad = text.replace("HI*BI:70:RD8:20240125-20240128~", "HI*BI:70:RD8:20240125-20240132~")
    bad = bad.replace("HI*BH:11:D8:20240201~", "HI*BH:11:D8:20240230~")
    assert bad.count("2024013") == 1 and "20240230" in bad
    reader = edi.read_claims(bad)
    claims = list(reader)
    said = [str(d) for d in reader.diagnostics]
    assert sum("HI01-04" in d and "is not a date" in d for d in said) == 2, said
    # The checks say it only as a date kept that is no date (`kept-no-date`: `edi claims` leaves
    # it to the reader), so that a checked write_837 does not write it back.
    kept = [p for p in edi.check_claims(claims) if "(BH)" in p or "(BI)" in p]
    assert [
        (p.code, p.endswith("kept from the file read) is no date of its format")) for p in kept
    ] == [("kept-no-date", True)] * 2
    # Without a date at all, the check says it (the reader has nothing to say).
    none = text.replace("HI*BH:11:D8:20240201~", "HI*BH:11:D8~")
    problems = edi.check_claims(list(edi.read_claims(none)))
    assert [p for p in problems if "(BH)" in p] == [
        "claim PCN8001: code 7 (BH) needs one date (HI-03 D8, HI-04)"
    ]


def test_hi_dates_and_amounts_are_where_the_guide_has_them() -> None:
    """837I map: BBR/BBQ/BH HIxx-03 D8 and HIxx-04 usage=R, BI RD8, BE HIxx-05 usage=R; not used in
    every other HI composite (an ABK with a date is refused by pyx12 as a NOT USED element)."""
    claim = one("837i/inpatient")
    claim.codes = codes_of("ABK", "BBR", "BI", "BE")
    assert check_claim(claim) == []
    bbr, bi, be = claim.codes[1:]
    bbr.date, bi.date, be.amount = None, Period(start=date(2024, 3, 1)), None
    claim.codes[0].amount = Decimal(1)
    assert check_claim(claim) == [
        "code 1 (ABK) has an amount; the guide has none for it (HI-05 not used)",
        "code 2 (BBR) needs one date (HI-03 D8, HI-04)",
        "code 3 (BI) needs a period, start and end (HI-03 RD8, HI-04)",
        "code 4 (BE) needs an amount (HI-05)",
    ]
    professional = one("837p/drug")
    professional.codes[0].date = Period(start=date(2024, 3, 1))
    assert check_claim(professional) == [
        "code 1 (ABK) has a date; the guide has none for it (HI-03/04 not used)"
    ]


def test_a_code_given_many_times_is_one_problem() -> None:
    # One problem a repeated code, its places listed up to a few (one a repeat made 999 lines).
    claim = one("837i/inpatient")
    condition = HealthCode(qualifier="BG", code="17")
    start = len(claim.codes) + 1
    claim.codes += [condition.model_copy() for _ in range(3)]
    assert check_claim(claim) == [
        f"codes {start} (BG), {start + 1} (BG) and {start + 2} (BG) are the same condition code; "
        "a claim gives each once (NUBC: each condition code is unique on a claim)"
    ]
    claim.codes += [condition.model_copy() for _ in range(997)]
    problems = [p for p in check_claim(claim) if "same condition code" in p]
    assert problems == [
        f"codes {start} (BG), {start + 1} (BG), {start + 2} (BG), {start + 3} (BG) and 996 more "
        "are the same condition code; a claim gives each once (NUBC: each condition code is "
        "unique on a claim)"
    ]


def test_a_diagnosis_or_a_pointer_given_twice_is_refused() -> None:
    # RFI 2561: HI02-HI12 are each required to report an additional diagnosis; the same code again
    # reports none and must not be sent. SV107-02..04 (SV311) each designate another pointer.
    claim = one("837p/subscriber_is_patient")
    principal = claim.codes[0]
    assert [c.qualifier for c in claim.codes] == ["ABK", "ABF"]
    claim.codes.append(HealthCode(qualifier="ABF", code=principal.code))
    claim.lines[0].professional.diagnosis_pointers = [1, 2, 1]  # type: ignore[union-attr]
    assert check_claim(claim) == [
        "codes 1 (ABK) and 3 (ABF) are the same diagnosis code; a claim gives each once (a "
        "repeat reports no other diagnosis: RFI 2561)",
        "line 1: diagnosis pointer 1 is given twice (SV107-01 and SV107-03); each pointer after "
        "the first points at another diagnosis",
    ]
    assert [p.element for p in check_claim(claim)] == [None, "SV107-03"]
    claim.codes[-1] = HealthCode(qualifier="ABF", code=principal.code + "9")
    claim.lines[0].professional.diagnosis_pointers = [2, 1]  # type: ignore[union-attr]
    assert check_claim(claim) == []

    dental = one("837d/restorative")
    dental.codes = [
        HealthCode(qualifier="ABK", code="K0262"),
        HealthCode(qualifier="ABF", code="k0262"),
    ]
    dental.lines[0].dental.diagnosis_pointers = [2, 2]  # type: ignore[union-attr]
    assert check_claim(dental) == [
        # In lower case, the same code; and no ICD-10-CM code (its letters are capitals).
        "code 2 (ABF): its code (HI-02) is not an ICD-10-CM code (a letter, a digit, then 1 to 5 "
        "letters or digits: E119)",
        "codes 1 (ABK) and 2 (ABF) are the same diagnosis code; a claim gives each once (a "
        "repeat reports no other diagnosis: RFI 2561)",
        "line 1: diagnosis pointer 2 is given twice (SV311-01 and SV311-02); each pointer after "
        "the first points at another diagnosis",
    ]

    # 837I: the principal and other diagnoses, and each of the reasons for visit and the external
    # causes among themselves; an admitting diagnosis or reason for visit may be the principal one.
    outpatient = edi.load_claims(FIXTURES / "837i/inpatient.json")[1]
    assert [c.qualifier for c in outpatient.codes] == ["ABK", "APR", "ABN"]
    same = outpatient.codes[0].code
    outpatient.codes[1].code = same
    outpatient.codes += [HealthCode(qualifier="ABN", code=outpatient.codes[2].code)]
    outpatient.codes += [HealthCode(qualifier="ABF", code=same)]
    assert check_claim(outpatient) == [
        "codes 1 (ABK) and 5 (ABF) are the same diagnosis code; a claim gives each once (a "
        "repeat reports no other diagnosis: RFI 2561)",
        "codes 3 (ABN) and 4 (ABN) are the same external cause code; a claim gives each once "
        "(a repeat reports no other diagnosis: RFI 2561)",
    ]
    # Condition codes (NUBC's): each once, as Stedi's edit rejects a repeat. Two codes pass.
    outpatient.codes = outpatient.codes[:3] + [
        HealthCode(qualifier="BG", code="17"),
        HealthCode(qualifier="BG", code="39"),
        HealthCode(qualifier="BH", code="11", date=Period(start=date(2024, 1, 2))),
        HealthCode(qualifier="BH", code="12", date=Period(start=date(2024, 1, 9))),
        HealthCode(qualifier="BE", code="01", amount=Decimal("100")),
        HealthCode(qualifier="BE", code="02", amount=Decimal("100")),
    ]
    assert check_claim(outpatient) == []
    outpatient.codes += [HealthCode(qualifier="BG", code="17")]
    assert check_claim(outpatient) == [
        "codes 4 (BG) and 10 (BG) are the same condition code; a claim gives each once (NUBC: "
        "each condition code is unique on a claim)"
    ]
    # Value codes: each once on the claim (Stedi's edit: which amount would the payer take?).
    # Occurrence codes: each once in its HI segment (NUBC, as Stedi's edit quotes it), here one
    # code on two dates, which the writer puts in one HI*BH.
    outpatient.codes[-1] = HealthCode(qualifier="BE", code="01", amount=Decimal("5"))
    outpatient.codes += [HealthCode(qualifier="BH", code="11", date=Period(start=date(2024, 1, 9)))]
    assert check_claim(outpatient) == [
        "codes 8 (BE) and 10 (BE) are the same value code; a claim gives each once (each value "
        "code is unique on a claim, as its amount is)",
        "codes 6 and 11 (BH) are the same occurrence code in one HI segment; each occurrence code "
        "is unique within its HI segment (NUBC)",
    ]


def test_professional_claims_need_a_diagnosis_a_pointer_and_units() -> None:
    # The 837P map: 2300 HI (ABK) usage=R; SV103, SV104 and SV107-01 usage=R.
    claim = one("837p/subscriber_is_patient")
    codes, pointers = claim.codes, claim.lines[1].diagnosis_pointers
    claim.codes = codes_of("BG")
    claim.lines[0].professional.diagnosis_pointers = []  # type: ignore[union-attr]
    claim.lines[1].professional.diagnosis_pointers = []  # type: ignore[union-attr]
    assert check_claim(claim) == [
        "no diagnosis (HI ABK, in codes); an 837P claim requires its principal diagnosis",
        "line 1: no diagnosis pointer (professional.diagnosis_pointers, SV107); an 837P line "
        "points at 1 to 4",
        "line 2: no diagnosis pointer (professional.diagnosis_pointers, SV107); an 837P line "
        "points at 1 to 4",
    ]
    claim.codes = codes
    claim.lines[0].professional.diagnosis_pointers = [1]  # type: ignore[union-attr]
    assert check_claim(claim) == [
        "line 2: no diagnosis pointer (professional.diagnosis_pointers, SV107); an 837P line "
        "points at 1 to 4"
    ]
    claim.lines[1].professional.diagnosis_pointers = pointers  # type: ignore[union-attr]

    service = claim.lines[0].professional
    assert service is not None
    service.unit = None
    assert check_claim(claim) == [
        "line 1: no unit code (professional.unit, SV103: UN or MJ); an 837P line requires it"
    ]
    service.unit, service.quantity = "UN", None
    assert check_claim(claim) == [
        "line 1: no service unit count (professional.quantity, SV104); an 837P line requires it"
    ]
    # A dental claim needs no diagnosis (its HI is situational).
    dental = one("837d/ortho")
    assert dental.codes == [] and check_claim(dental) == []


def test_institutional_claims_need_a_principal_diagnosis() -> None:
    claim = one("837i/inpatient")
    claim.codes = []  # the principal diagnosis HI is required even when no code is given
    assert check_claim(claim) == ["no principal diagnosis (HI ABK, in codes)"]


def test_institutional_hi_segments_hold_what_the_guide_allows() -> None:
    claim = one("837i/inpatient")
    codes = claim.codes  # ABK ABJ ABF ABF BBR BI BH BE BG DR

    def with_codes(*qualifiers: str) -> list[str]:
        claim.codes = codes_of(*qualifiers)
        # ICD-9 qualifiers (BK, ...) on a claim of 2024 break the code set's date rule: that rule is
        # test_claim_situations' subject; the counts are this test's.
        return [p for p in check_claim(claim) if "45 CFR 162.1002" not in p]

    # "Other diagnosis" HI: 12 composites, max use 2.
    assert with_codes("ABK", *["ABF"] * 24) == []
    assert with_codes("ABK", *["ABF"] * 30) == [
        "30 other diagnosis codes (ABF/BF); an 837I claim has at most 24 (2 HI segments of 12)"
    ]
    assert with_codes("ABK", *["BBQ"] * 25) == [
        "25 other procedure codes (BBQ/BQ); an 837I claim has at most 24 (2 HI segments of 12)"
    ]
    assert with_codes("ABK", *["BE"] * 25, *["BH"] * 25, *["BI"] * 25, *["BG"] * 25) == [
        "25 occurrence span codes (BI); an 837I claim has at most 24 (2 HI segments of 12)",
        "25 occurrence codes (BH); an 837I claim has at most 24 (2 HI segments of 12)",
        "25 value codes (BE); an 837I claim has at most 24 (2 HI segments of 12)",
        "25 condition codes (BG); an 837I claim has at most 24 (2 HI segments of 12)",
    ]
    # One composite in the principal, admitting, DRG and principal procedure HI; three for reasons.
    assert with_codes("ABK", "BK", "ABJ", "BJ", "DR", "DR", "BBR", "BR", *["APR"] * 4) == [
        "2 principal diagnosis codes (ABK/BK); an 837I claim has at most 1",
        "2 admitting diagnosis codes (ABJ/BJ); an 837I claim has at most 1",
        "4 reason for visit codes (APR/PR); an 837I claim has at most 3",
        "2 DRG codes (DR); an 837I claim has at most 1",
        "2 principal procedure codes (BBR/BR/CAH); an 837I claim has at most 1",
    ]
    assert with_codes("ABK", "APR", "PR", "APR") == []
    # Codes of one kind that others split are written together (they took one HI segment per run,
    # and such a claim was refused: 3 HI*ABF where the guide allows 2).
    assert with_codes("ABK", "ABF", "BG", "ABF", "BH", "ABF") == []
    given = claim.codes
    (back,) = edi.read_claims(edi.write_837([claim], sender_id="SENDER01", receiver_id="PAYER01"))
    # Each kind's codes in their order, the kinds in the order each first came.
    assert back.codes == [given[i] for i in (0, 1, 3, 5, 2, 4)]
    # In any order otherwise: pyx12 takes the HI segments of one position in any order.
    assert with_codes("DR", "ABF", "BG", "ABF", "ABK", "ABJ") == []
    assert with_codes("ABK", "BP", "TC", "X1") == [
        "HI qualifiers BP, X1 are not used in an 837I claim (it takes ABK, BK, ABJ, BJ, APR, PR, "
        "ABN, BN, DR, ABF, BF, BBR, BR, CAH, BBQ, BQ, BI, BH, BE, BG, TC)"
    ]
    # A "qualifier" that is a diagnosis code (HI*ABK*I10: a composite that did not split) is counted,
    # not quoted.
    assert with_codes("ABK", "I10", "8901") == [
        "2 HI composite(s) have no qualifier (was the composite split at the component separator?); "
        "an 837I claim takes ABK, BK, ABJ, BJ, APR, PR, ABN, BN, DR, ABF, BF, BBR, BR, CAH, BBQ, BQ, "
        "BI, BH, BE, BG, TC"
    ]
    # Read with the wrong component separator, `BK>7215` is one "qualifier" with no code: it is
    # counted, and not reported again as a code without HI-02 (which quoted the diagnosis code).
    claim.codes = [codes[0], HealthCode(qualifier="BK>7215")]
    problems = check_claim(claim)
    assert problems and not any("7215" in p for p in problems)
    claim.codes = codes
    assert check_claim(claim) == []


def test_hi_segments_kept_from_the_file_read_count_against_the_guide() -> None:
    """A claim read keeps the HI segments of its file, and is written back so: three HI*ABF of the
    837I "other diagnosis" HI (max use 2, map line 550) or two 837P diagnosis HI (max use 1) were
    written by a checked write_837, as the check counted the segments of codes packed instead."""
    text = (FIXTURES / "837i/inpatient.x12").read_text()
    split = text.replace(
        "HI*ABF:I10:::::::Y*ABF:E785:::::::N~",
        "HI*ABF:I10:::::::Y~\nHI*ABF:E785:::::::N~\nHI*ABF:E119~",
    )
    claims = list(edi.read_claims(split))
    said = (
        "claim PCN8001: the other diagnosis codes (ABF/BF) would be written as 3 HI segments (the "
        "HI segments of the file read, kept; from its JSON they are packed); the guide allows 2"
    )
    assert edi.check_claims(claims) == [said]
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)
    kept = "HI*ABF:I10:::::::Y~\nHI*ABF:E785:::::::N~\nHI*ABF:E119~"
    assert kept in edi.write_837(claims, check=False)  # as read
    # Two of one code each are what the guide allows; and from its JSON the three are packed in one.
    two = text.replace(
        "HI*ABF:I10:::::::Y*ABF:E785:::::::N~", "HI*ABF:I10:::::::Y~\nHI*ABF:E785:::::::N~"
    )
    assert edi.check_claims(list(edi.read_claims(two))) == []
    loaded = edi.load_claims([c.model_dump(mode="json") for c in claims])
    assert edi.check_claims(loaded) == []
    assert "HI*ABF:I10:::::::Y*ABF:E785:::::::N*ABF:E119~" in edi.write_837(loaded)
    text = (FIXTURES / "837p/dependent.x12").read_text()
    split = text.replace("HI*ABK:J029*ABF:R5081~", "HI*ABK:J029~\nHI*ABF:R5081~")
    claims = list(edi.read_claims(split))
    assert edi.check_claims(claims) == [
        "claim PCN2002: the diagnosis codes (ABK/BK/ABF/BF) would be written as 2 HI segments (the "
        "HI segments of the file read, kept; from its JSON they are packed); the guide allows 1"
    ]


def test_professional_and_dental_hi_segments_hold_what_the_guide_allows() -> None:
    claim = one("837p/subscriber_is_patient")  # ABK ABF

    def with_codes(*qualifiers: str) -> list[str]:
        claim.codes = codes_of(*qualifiers)
        return check_claim(claim)

    # HI01 takes ABK/BK, HI02-HI12 only ABF/BF.
    assert with_codes("ABK", "ABF", "ABK") == [
        "2 principal diagnoses (ABK/BK); an 837P claim has one, in HI01"
    ]
    assert with_codes("ABK", "ABF", *["BG"] * 24) == []
    assert with_codes("ABK", "ABF", *["BG"] * 25) == [
        "25 condition codes (BG); an 837P claim has at most 24 (2 HI segments of 12)"
    ]
    # The diagnosis HI has max use 1: a condition code between diagnoses made a second one (the
    # claim was refused); the diagnoses are written together.
    assert with_codes("ABK", "BG", "ABF") == []
    assert with_codes("ABK", "ABF", "ABJ") == [
        "HI qualifier ABJ is not used in an 837P claim (it takes ABK, BK, ABF, BF, BP, BO, BG)"
    ]
    # The anesthesia HI: BP in HI01, BO in HI02.
    assert with_codes("ABK", "ABF", "BP") == []
    assert with_codes("ABK", "ABF", "BO") == [
        "the anesthesia related procedure codes are BO; its HI takes BP in HI01, then BO"
    ]
    assert with_codes("ABK", "ABF", "BP", "BP") == [
        "the anesthesia related procedure codes are BP BP; its HI takes BP in HI01, then BO"
    ]
    assert with_codes("ABK", "ABF", "BP", "BO") == []  # one HI: HI*BP:...*BO:...
    # Interleaved, each kind is written together: HI*ABK:..*ABF:.. and HI*BP:..*BO:.. (it made
    # two HI segments of each, and the claim was refused).
    assert with_codes("ABK", "BP", "ABF", "BO") == []

    dental = one("837d/restorative")
    dental.codes.append(HealthCode(qualifier="ABK", code="K0253"))
    assert check_claim(dental) == ["2 principal diagnoses (ABK/BK); an 837D claim has one, in HI01"]


def test_present_on_admission_only_where_the_guide_has_it() -> None:
    """837I map lines 460, 544, 687: HI-09 (S, N/U/W/Y) in the principal, external cause and other
    diagnoses only; 837P: not used in any HI; HI-06 (quantity) is not used in either guide."""
    claim = one("837i/inpatient")  # ABK ABJ ABF ABF ...: the ABK and ABF carry Y/N
    assert check_claim(claim) == []
    claim.codes[1].present_on_admission = "Y"  # the admitting diagnosis (ABJ)
    claim.codes[2].present_on_admission = "X"
    claim.codes[3].quantity = Decimal(2)
    assert check_claim(claim) == [
        "code 2 (ABJ) has a present-on-admission indicator; the guide has none for it (HI-09 not "
        "used)",
        "code 3 (ABF): present-on-admission indicator (HI-09) is 'X', not one of N, U, W, Y",
        "code 4 (ABF) has a quantity; the guide has none for it (HI-06 not used)",
    ]
    professional = one("837p/drug")
    professional.codes[0].present_on_admission = "Y"
    assert check_claim(professional) == [
        "code 1 (ABK) has a present-on-admission indicator; the guide has none for it (HI-09 not "
        "used)"
    ]


def test_claim_and_line_segments_take_the_guides_qualifiers() -> None:
    """837I map lines 340-452 (2300) and 2028-2065 (2400); 837P lines 370-580 and 1323-1526."""
    claim = one("837i/inpatient")
    claim.amounts = {"F5": Decimal(10)}  # 837P's patient amount paid; 837I has F3
    claim.references.append(Reference(qualifier="X4", value="CLIA1"))
    claim.conditions = [ConditionIndicator(category="07", answer="Y")]
    claim.notes = [Note(qualifier="XYZ", text="NOTE")]
    claim.onset_date = Period(start=date(2024, 3, 1))  # DTP*431
    claim.other_dates = [DateTimeRef(qualifier="472", format="D8", value="20240301")]
    claim.references.append(Reference(qualifier="12345678", value="X"))  # data, not a code
    claim.lines[0].file_information = [FileInformation(text="K3 TEXT")]
    claim.lines[1].amounts = {"T": Decimal(1)}
    assert check_claim(claim) == [
        "DTP*431, DTP*472 are not used in loop 2300 of an 837I claim (its DTP01 takes 050, 096, "
        "434, 435)",
        "AMT*F5 is not used in loop 2300 of an 837I claim (its AMT01 takes F3)",
        "REF*X4, 1 REF with a REF01 that is no code are not used in loop 2300 of an 837I claim (its "
        "REF01 takes 4N, 9A, 9C, 9F, D9, EA, F8, G1, G4, LU, LX, P4)",
        "NTE*XYZ is not used in loop 2300 of an 837I claim (its NTE01 takes ADD, ALG, DCP, DGN, "
        "DME, MED, NTR, ODT, RHB, RLH, RNH, SET, SFM, SPT, UPI)",
        "CRC*07 is not used in loop 2300 of an 837I claim (its CRC01 takes ZZ)",
        "line 1: K3 is not used in loop 2400 of an 837I claim",
        "line 2: AMT*T is not used in loop 2400 of an 837I claim (its AMT01 takes GT, N8)",
    ]
    professional = one("837p/drug")
    professional.lines[0].other_dates = [DateTimeRef(qualifier="434", format="D8", value="1")]
    professional.lines[0].attachments = [Attachment(report_type="ZZ", transmission="AA")]
    assert check_claim(professional) == [
        "line 1: PWK*ZZ is not used in loop 2400 of an 837P claim (its PWK01 takes 61 codes of "
        "the guide)",
        "line 1: DTP*434 is not used in loop 2400 of an 837P claim (its DTP01 takes 011, 304, 454, "
        "455, 461, 463, 471, 472, 607, 738, 739)",
    ]


def test_a_line_has_ten_attachments_and_a_dme_certificate() -> None:
    """837P map lines 1323 (line PWK, max 10, PWK01 CT among its codes) and 1333 (the DME
    certificate indicator PWK*CT, max 1): ten attachments and a certificate were refused as "11
    PWK*OB/CT segments ... at most 10" (the 837P tester). A CT fills the certificate's room once
    the attachments' is full; an eleventh attachment of another type is still too many."""
    claim = one("837p/ambulance_dme")
    line = claim.lines[0]
    attachments = [Attachment(report_type="OB", transmission="BM")] * 10
    line.attachments = [*attachments, Attachment(report_type="CT", transmission="AD")]
    assert not any("PWK" in p for p in check_claim(claim))
    line.attachments.append(Attachment(report_type="OB", transmission="BM"))
    assert [p for p in check_claim(claim) if "PWK" in p] == [
        "line 1: 11 PWK*OB segments in loop 2400; an 837P claim has at most 10"
    ]


def test_claim_and_line_segments_repeat_at_most_their_max_use() -> None:
    """837I map lines 361 (PWK 10), 442 (K3 10), 449 (NTE*ADD 1), 452 (CRC*ZZ 1), 422 (REF*LU 1),
    2065 (line NTE*TPO 1); 837P line 529: one claim note, whatever its qualifier."""
    claim = one("837i/inpatient")
    claim.attachments = [Attachment(report_type="OZ", transmission="BM")] * 11
    claim.file_information = [FileInformation(text="K3 TEXT")] * 11
    claim.notes = [Note(qualifier="ADD", text="A"), Note(qualifier="ADD", text="B")]
    claim.notes += [Note(qualifier="ALG", text="C")] * 10  # the other claim note: 10
    claim.conditions = [ConditionIndicator(category="ZZ", answer="Y", codes=["AV"])] * 2
    claim.references += [Reference(qualifier="LU", value="NY")] * 2
    claim.lines[0].notes = [Note(qualifier="TPO", text="A")] * 2
    assert check_claim(claim) == [
        "11 PWK*OZ segments in loop 2300; an 837I claim has at most 10",
        "2 REF*LU segments in loop 2300; an 837I claim has at most 1",
        "11 K3 segments in loop 2300; an 837I claim has at most 10",
        "2 NTE*ADD segments in loop 2300; an 837I claim has at most 1",
        "2 CRC*ZZ segments in loop 2300; an 837I claim has at most 1",
        "line 1: 2 NTE*TPO segments in loop 2400; an 837I claim has at most 1",
    ]
    professional = one("837p/drug")
    professional.notes = [Note(qualifier="ADD", text="A"), Note(qualifier="DCP", text="B")]
    # A field of its own and a REF of the same qualifier: two REF*F8.
    professional.frequency_code, professional.payer_claim_control_number = "7", "ICN1"
    professional.references.append(Reference(qualifier="F8", value="ICN2"))
    assert check_claim(professional) == [
        "2 REF*F8 segments in loop 2300; an 837P claim has at most 1",
        "2 NTE*ADD/DCP segments in loop 2300; an 837P claim has at most 1",
    ]


def test_party_references_take_the_guides_qualifiers() -> None:
    """2010AA REF: 837I map line 142 (EI only); 837P lines 142, 147 (EI/SY, 0B/1G twice); 2010BA,
    2010BB, 2010CA REF (837P lines 285-335, 1960-1965)."""
    claim = one("837i/inpatient")
    claim.billing_provider.tax_id_qualifier = "SY"
    claim.billing_provider.references = [Reference(qualifier="0B", value="LIC1")]
    claim.payer.references = [
        Reference(qualifier="G2", value="A"),
        Reference(qualifier="LU", value="B"),
    ]
    assert check_claim(claim) == [
        "billing provider (2010AA): REF*SY, REF*0B are not used in loop 2010AA of an 837I claim "
        "(its REF01 takes EI)",
        "payer (2010BB): 2 REF*G2/LU segments in loop 2010BB; an 837I claim has at most 1",
    ]
    professional = edi.load_claims(FIXTURES / "837p/dependent.json")[1]  # it has a patient
    professional.billing_provider.tax_id_qualifier = "SY"
    professional.billing_provider.references = [Reference(qualifier="0B", value="LIC1")] * 2
    assert check_claim(professional) == []
    professional.subscriber.references = [Reference(qualifier="1W", value="A")]
    assert professional.patient is not None
    professional.patient.references = [Reference(qualifier="1W", value="A")]
    assert check_claim(professional) == [
        "subscriber (2010BA): REF*1W is not used in loop 2010BA of an 837P claim (its REF01 takes "
        "SY, Y4)"
    ]


def test_dental_segments_follow_the_map_where_x12_notes_confirm_it() -> None:
    """837D: the 2300/2400 DTP and REF qualifiers where the TigerShark map and x12-notes §5 agree (or
    §5 corrects the map); its NTE01 and PWK01 codes are not checked, their counts are."""
    claim = one("837d/restorative")
    claim.onset_date = Period(start=date(2024, 3, 1))  # 837P's DTP*431
    claim.notes = [Note(qualifier="ADD", text="A")] * 6
    claim.attachments = [Attachment(report_type="ZZ", transmission="AA")]  # not checked
    claim.lines[0].other_dates = [DateTimeRef(qualifier="434", format="D8", value="20240301")]
    claim.lines[0].amounts = {"T": Decimal(1)}  # T or GT: unverified, not checked
    assert check_claim(claim) == [
        "DTP*431 is not used in loop 2300 of an 837D claim (its DTP01 takes 050, 439, 452, 472)",
        "6 NTE segments in loop 2300; an 837D claim has at most 5",
        "line 1: DTP*434 is not used in loop 2400 of an 837D claim (its DTP01 takes 196, 198, 441, "
        "446, 452, 472)",
    ]


def test_teeth_are_universal_tooth_numbers_and_surfaces_the_map_lists() -> None:
    """TOO (837D map line 879, x12-notes §5): JP, a tooth of the universal national designation,
    surfaces B D F I L M O. A tooth 99 with a surface Z was passed."""
    claim = one("837d/restorative")  # TOO*JP*30*M:O, TOO*JP*19
    assert check_claim(claim) == []
    tooth = claim.lines[0].teeth[0]
    for number in ("1", "32", "A", "T", "51", "82", "AS", "TS"):
        tooth.number = number
        assert check_claim(claim) == [], number
    tooth.number, tooth.surfaces = "99", ["M", "Z"]
    claim.lines[1].teeth[0].qualifier = "XX"
    assert check_claim(claim) == [
        "line 1: tooth 1 (TOO): TOO02 (number) is '99', not a tooth of the universal national tooth "
        "designation (1-32, A-T; supernumerary 51-82, AS-TS)",
        "line 1: tooth 1 (TOO): TOO03-02 (surfaces[1]) is 'Z', not a tooth surface code (B, D, F, "
        "I, L, M, O)",
        "line 2: tooth 1 (TOO): TOO01 (qualifier) is 'XX', not JP (the universal national tooth "
        "designation)",
    ]
    # A tooth and a surface with a space around them are said so (they had been "a value").
    tooth.number, tooth.surfaces = "14 ", [" M"]
    claim.lines[1].teeth[0].qualifier = "JP"
    assert check_claim(claim) == [
        "line 1: tooth 1 (TOO): TOO02 (number) is '14' with a trailing space, not a tooth of the "
        "universal national tooth designation (1-32, A-T; supernumerary 51-82, AS-TS)",
        "line 1: tooth 1 (TOO): TOO03-01 (surfaces[0]) is 'M' with a leading space, not a tooth "
        "surface code (B, D, F, I, L, M, O)",
    ]


def test_a_tooth_read_without_its_qualifier_is_written_back_so() -> None:
    """TOO01 had a default (JP) that the reader filled in for one read empty: `TOO**30*M:O` was
    written back as `TOO*JP*30*M:O`. It is filled when a tooth is made (in code or from JSON)."""
    text = (FIXTURES / "837d/restorative.x12").read_text().replace("TOO*JP*30*M:O~", "TOO**30*M:O~")
    (claim,) = edi.read_claims(text)
    assert claim.lines[0].teeth[0].qualifier is None
    assert edi.write_837([claim], check=False) == text
    assert check_claim(claim) == [
        "line 1: tooth 1 (TOO): TOO01 (qualifier) is empty, not JP (the universal national tooth "
        "designation)"
    ]
    assert edi.models.claim_lines.Tooth(number="30").qualifier == "JP"


def test_provider_loops_repeat_as_the_guide_says() -> None:
    claim = one("837p/subscriber_is_patient")  # DN, 82, 77
    rendering = claim.providers[1]
    claim.providers.append(rendering.model_copy())
    assert check_claim(claim) == [
        "claim: 2 providers in loop 2310B (rendering provider, 82); the guide allows 1"
    ]
    claim.providers.pop()
    # 837P 2310A (referring, DN or P3) repeats twice.
    referring = claim.providers[0]
    claim.providers.append(referring.model_copy(update={"role": "P3"}))
    assert check_claim(claim) == []
    claim.providers.append(referring.model_copy())
    assert check_claim(claim) == [
        "claim: 3 providers in loop 2310A (referring provider/primary care provider, DN/P3); the "
        "guide allows 2"
    ]

    institutional = one("837i/inpatient")  # 71, 72: in an 837I every 2310x repeats once
    institutional.providers.append(institutional.providers[0].model_copy())
    assert check_claim(institutional) == [
        "claim: 2 providers in loop 2310A (attending provider, 71); the guide allows 1"
    ]

    purchased = edi.load_claims(FIXTURES / "837p/ambulance_dme.json")[3]
    line = purchased.lines[0]  # QB
    line.providers.append(line.providers[0].model_copy())
    assert check_claim(purchased) == [
        "line 1: 2 providers in loop 2420B (purchased service provider, QB); the guide allows 1"
    ]

    cob = one("837p/cob_secondary")
    # A prior payer's provider has only NM101, NM102 and its ids in REF (2330D).
    other_rendering = edi.Provider(
        role="82", entity_type="1", references=[Reference(qualifier="G2", value="PRV1")]
    )
    cob.prior_payers[0].providers = [other_rendering, other_rendering.model_copy()]
    assert check_claim(cob) == [
        "prior payer 1: 2 providers in loop 2330D (rendering provider, 82); the guide allows 1"
    ]


def test_at_most_ten_prior_payers() -> None:
    claim = one("837p/cob_secondary")
    assert claim.subscriber.payer_responsibility == "S"
    first = claim.prior_payers[0]
    # Ten payers before this one, each with its own place in the sequence (U may repeat).
    claim.prior_payers = [
        first.model_copy(update={"payer_responsibility": code}) for code in "PTABCDEFGH"
    ]
    assert check_claim(claim) == []
    claim.prior_payers.append(first.model_copy(update={"payer_responsibility": "U"}))
    assert check_claim(claim) == ["11 prior payers (loop 2320); the guide allows 10"]


def test_at_most_fifteen_adjudications_a_line() -> None:
    """Loop 2430 repeats 15 times in a line (837P map line 1853, the same in 837I and 837D). Copies
    of one adjudication do not balance (said apart); the count is said on its own."""
    claim = one("837p/cob_secondary")
    line = claim.lines[0]
    line.adjudications = line.adjudications * 15
    said = "line 1: 16 adjudications (loop 2430); the guide allows 15"
    assert said not in check_claim(claim)
    line.adjudications.append(line.adjudications[0])
    assert said in check_claim(claim)


@pytest.mark.parametrize(
    ("kind", "read", "mixed", "said"),
    [
        # 837I map: the principal diagnosis HI takes HI01 only; the condition HI only BG codes.
        (
            "837i/inpatient",
            "HI*ABK:I214:::::::Y~\nHI*ABJ:R079~",
            "HI*ABK:I214:::::::Y*ABJ:R079~",
            "claim PCN8001: an HI segment holds codes of 2 of the guide's HI segments (principal "
            "diagnosis (ABK/BK), admitting diagnosis (ABJ/BJ)); the 837I guide has an HI segment "
            "for each (the HI segments of the file read, kept; from its JSON they are written "
            "apart)",
        ),
        (
            "837p/dependent",
            "HI*ABK:J029*ABF:R5081~",
            "HI*ABK:J029*ABF:R5081*BG:01~",
            "claim PCN2002: an HI segment holds codes of 2 of the guide's HI segments (diagnosis "
            "(ABK/BK/ABF/BF), condition (BG)); the 837P guide has an HI segment for each (the HI "
            "segments of the file read, kept; from its JSON they are written apart)",
        ),
    ],
)
def test_an_hi_segment_kept_from_the_file_read_holds_one_kind_of_code(
    kind: str, read: str, mixed: str, said: str
) -> None:
    """Codes of two of the guide's HI segments read in one are written back in one: the checks
    passed them, as the writer's own packing never mixes them."""
    text = (FIXTURES / f"{kind}.x12").read_text()
    assert text.count(read) == 1
    claims = list(edi.read_claims(text.replace(read, mixed)))
    assert edi.check_claims(claims) == [said]
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)
    assert mixed in edi.write_837(claims, check=False)
    loaded = edi.load_claims([c.model_dump(mode="json") for c in claims])
    assert edi.check_claims(loaded) == []
    assert edi.check_claims(list(edi.read_claims(text))) == []


def test_a_patient_relationship_is_a_2000c_code() -> None:
    claim = edi.load_claims(FIXTURES / "837p/dependent.json")[1]
    assert claim.patient is not None
    claim.patient.relationship = "18"
    assert check_claim(claim) == [
        "patient (2000C): patient.relationship (PAT01) is '18', not one of 01, 19, 20, 21, 39, 40, 53, G8; 18 "
        "(self): the subscriber is the patient, so leave patient out"
    ]
    claim.patient.relationship = "02"
    assert check_claim(claim) == [
        "patient (2000C): patient.relationship (PAT01) is '02', not one of 01, 19, 20, 21, 39, 40, 53, G8"
    ]


def test_a_relationship_or_admission_code_that_is_data_is_not_quoted() -> None:
    """SBR02, PAT01 and HI-09 hold codes: a value that is none (a name or an id put in the wrong
    field) is not quoted in the messages (PHI), as the code list checks do not quote one; a short
    code still is (above)."""
    claim = edi.load_claims(FIXTURES / "837p/dependent.json")[1]
    assert claim.patient is not None
    claim.patient.relationship = "JANE Q DOE"
    problems = check_claim(claim)
    assert not any("JANE" in p for p in problems), problems
    assert (
        "patient (2000C): patient.relationship (PAT01) is a value, not one of 01, 19, 20, 21, 39, "
        "40, 53, G8"
    ) in problems
    claim = edi.load_claims(FIXTURES / "837p/subscriber_is_patient.json")[0]
    claim.subscriber.relationship = "MBR12345678"
    problems = check_claim(claim)
    assert not any("MBR12345678" in p for p in problems), problems
    assert (
        "no patient is given, so the subscriber is the patient, but subscriber.relationship (SBR02) "
        "is a value, not '18': set it to '18', or give the patient (patient, 2000C)"
    ) in problems
    claim = one("837i/inpatient")
    claim.codes[0].present_on_admission = "19500101"
    problems = check_claim(claim)
    assert not any("19500101" in p for p in problems), problems
    assert any(
        "present-on-admission indicator (HI-09) is a value, not one of" in p for p in problems
    )
    # Blank: said as it is (it read "indicator a value is not one of").
    claim.codes[0].present_on_admission = " "
    assert any(
        "present-on-admission indicator (HI-09) is ' ', not one of N, U, W, Y" in p
        for p in check_claim(claim)
    )


def test_every_name_has_an_entity_type() -> None:
    claim = one("837p/ambulance_dme")  # PW pick-up, 45 drop-off
    # A location is an organization (NM102 "2" only, maps): given by default.
    assert claim.providers[0].role == "PW"
    claim.providers[0].entity_type = None
    assert claim.providers[0].entity_type == "2" and check_claim(claim) == []
    claim.providers.append(edi.Provider(role="DQ", name="TESTSUPERVISOR"))  # a person, or not
    assert check_claim(claim) == [
        "claim: provider DQ (supervising provider) has no entity type (NM102: 1 person, "
        "2 organization), which the guide requires"
    ]
    claim.providers.pop()
    claim.header.submitter.entity_type = None
    # The receiver is an organization (1000B NM102 "2" only, maps): given by default, as a location.
    claim.header.receiver.entity_type = None
    assert claim.header.receiver.entity_type == "2"
    assert check_claim(claim) == [
        "submitter (1000A): no entity type (NM102: 1 person, 2 organization), which the guide "
        "requires",
    ]


def test_a_replaced_prosthesis_has_its_prior_placement_date() -> None:
    claim = one("837d/restorative")
    line = claim.lines[1]
    assert line.dental is not None and line.dental.prosthesis == "R"
    line.prior_placement_date = None
    assert check_claim(claim) == [
        "line 2: prosthesis code R (replacement, SV305) needs the prior placement date (DTP*441, "
        "prior_placement_date)"
    ]
    line.dental.prosthesis = "I"  # initial placement: no prior date
    assert check_claim(claim) == []


def test_a_payer_claim_control_number_goes_only_with_a_claim_of_a_prior_one() -> None:
    """2300 REF*F8: required when CLM05-3 says the claim replaces or voids an adjudicated claim, and,
    as every situational item of the guides, "if not required ..., do not send" (X12 RFI 2110: not
    with frequency 1). An adjustment (6) or reopening (Q) of an adjudicated claim may carry it (RFI
    1538, 2173)."""
    replacement = one("837p/replacement_void")
    assert (replacement.frequency_code, replacement.payer_claim_control_number) == ("7", "ICN6001")
    assert check_claim(replacement) == []
    for frequency in ("6", "8", "Q"):
        assert check_claim(replacement.model_copy(update={"frequency_code": frequency})) == []
    original = replacement.model_copy(update={"frequency_code": "1"})
    assert check_claim(original) == [
        "frequency code 1 (original claim) takes no payer claim control number "
        "(payer_claim_control_number, REF*F8): the guides send it only when the claim replaces, "
        "voids or adjusts one the payer adjudicated (frequency 6, 7, 8, Q)"
    ]
    late = replacement.model_copy(update={"frequency_code": "5"})
    assert check_claim(late) == [
        check_claim(original)[0].replace("code 1 (original claim)", "code 5 (late charges only)")
    ]
    # A REF*F8 kept among the other references is as much sent.
    kept = original.model_copy(update={"payer_claim_control_number": None})
    assert check_claim(kept) == []
    kept.references = [Reference(qualifier="F8", value="ICN6001")]
    assert check_claim(kept) == check_claim(original)
    # 837I too: type of bill 111 (admit through discharge) with the ICN of a claim.
    inpatient = one("837i/inpatient")
    inpatient.payer_claim_control_number = "ICN8001"
    assert check_claim(inpatient) == check_claim(original)
    # A frequency that is no code may be data in the wrong place: not quoted (PHI).
    misplaced = replacement.model_copy(update={"frequency_code": "DOEJOHN"})
    assert [p for p in check_claim(misplaced) if "DOEJOHN" in p] == []
    assert check_claim(misplaced)[0].startswith(
        "frequency code (a value that is no code) takes no payer claim control number"
    )
    # And a replacement whose REF*F8 is kept among the references has one: written, it reads back
    # as payer_claim_control_number ICN6001.
    kept.frequency_code = "7"
    assert check_claim(kept) == []
    (back,) = edi.read_claims(edi.write_837([kept], check=False))
    assert (back.payer_claim_control_number, back.references) == ("ICN6001", [])


def test_claim_ids_are_unique_per_payer() -> None:
    claims = edi.load_claims(FIXTURES / "837p/subscriber_is_patient.json")
    claims[1].patient_control_number = "PCN1001"
    assert check_claims(claims) == [
        "claim PCN1001: claims 1 and 2 have the same patient control number (CLM01) and frequency "
        "from one billing provider to payer EXAMPLEHP01: the claim is sent twice, or two claims "
        "share one id (the 835 pays them by it: one id per claim)"
    ]
    assert check_claim(claims[1]) == []  # one claim alone cannot tell
    # A void (frequency 8) and its rebill share their id.
    void = claims[1].model_copy(
        update={"frequency_code": "8", "payer_claim_control_number": "ICN1"}
    )
    assert check_claims([claims[0], void]) == []
    # So do two billing providers' claims to one payer.
    other = claims[1].model_copy(deep=True)
    other.billing_provider.name, other.billing_provider.npi = "OTHER CLINIC", "1000000004"
    assert check_claims([claims[0], other]) == []
    # The same id for another payer is another claim (835s come per payer).
    several = edi.load_claims(FIXTURES / "837p/several_providers.json")
    assert several[0].payer.id != several[1].payer.id
    several[1].patient_control_number = several[0].patient_control_number
    assert check_claims(several) == []
    # An 837D predetermination (CLM19 PB) and the claim sent after it share their id.
    predetermination = one("837d/predetermination")
    assert predetermination.submission_reason == "PB"
    # The claim gives the date of service that the predetermination had not (RFI 2460).
    dated = Period(start=date(2024, 4, 2))
    claim = predetermination.model_copy(update={"submission_reason": None, "service_period": dated})
    assert check_claims([predetermination, claim]) == []
    assert len(check_claims([claim, claim.model_copy()])) == 1


def test_what_the_guides_require_and_the_models_leave_optional() -> None:
    # maps/837*: CLM05-01 and CLM05-03 usage=R; 837I DTP*434 and CL1 (CL103) usage=R, SV204 and
    # SV205 usage=R; a DTP's format (DTP02) is usage=R wherever the DTP is.
    claim = one("837i/inpatient")
    assert check_claim(claim) == []
    claim = claim.model_copy(
        update={"facility_code": None, "statement_period": None, "patient_status": None}
    )
    assert check_claim(claim) == [
        "no place of service or facility type code (facility_code, CLM05-01)",
        "no statement period (statement_period, DTP*434); an 837I claim requires it",
        "no patient status code (patient_status, CL103); an 837I claim requires it",
    ]
    claim = one("837i/inpatient")
    claim.admission = "1 FEB 2024"
    claim.admission_format = None  # the text has no format's form: none is given by default
    assert claim.lines[1].institutional is not None
    claim.lines[1].institutional.unit = None
    assert check_claim(claim) == [
        "admission (DTP*435 DTP03) is not CCYYMMDD (D8) or CCYYMMDDHHMM (DT), and no "
        "admission_format (DTP02) is given",
        "line 2: no unit code (institutional.unit, SV204: DA or UN) or unit count "
        "(institutional.quantity, SV205); an 837I line requires both",
    ]
    claim = one("837p/dependent")
    claim.frequency_code = None
    assert check_claim(claim) == [
        "no claim frequency code (frequency_code, CLM05-03: 1 original, 7, 8)"
    ]


def test_an_x12_date_in_json_says_how_json_writes_dates() -> None:
    """20120910 (CCYYMMDD, as in X12) is a Unix timestamp to pydantic: the message says YYYY-MM-DD."""
    data = json.loads((FIXTURES / "837p/dependent.json").read_text())
    data[1]["patient"]["birth_date"] = "20120910"
    with pytest.raises(edi.ClaimValidationError) as raised:
        edi.load_claims(data)
    (problem,) = raised.value.problems
    assert problem.startswith("claim PCN2002: [1].patient.birth_date: ")
    assert problem.endswith("(a date is written YYYY-MM-DD in JSON, such as 2024-03-05)")


def test_json_dates_and_whole_numbers_are_what_the_schema_says() -> None:
    """The schema gives a date as text YYYY-MM-DD and a diagnosis pointer as an integer. pydantic's
    lax mode took 0 or "1700006400" for a date (a Unix time: DMG*D8*19700101 was written), a
    date and time with no time of day, and true or "2" for a pointer (SV107 1), all without a
    word. Each is refused at its field; a `date` and text YYYY-MM-DD still go, and so does an
    assignment of them."""
    data = json.loads((FIXTURES / "837p/dependent.json").read_text())
    data[0]["subscriber"]["birth_date"] = 0
    data[1]["patient"]["birth_date"] = "2012-09-10T00:00:00Z"
    data[1]["lines"][0]["service_date"] = {"start": 1700006400}
    data[0]["lines"][0]["professional"]["diagnosis_pointers"] = [1, True, "2"]
    with pytest.raises(edi.ClaimValidationError) as raised:
        edi.load_claims(data)
    date_said = (
        "Input should be a valid date (a date is written YYYY-MM-DD in JSON, such as 2024-03-05)"
    )
    assert raised.value.problems == [
        f"claim PCN2001: [0].subscriber.birth_date: {date_said}",
        "claim PCN2001: [0].lines[0].professional.diagnosis_pointers[1]: Input should be a valid "
        "integer",
        "claim PCN2001: [0].lines[0].professional.diagnosis_pointers[2]: Input should be a valid "
        "integer",
        f"claim PCN2002: [1].patient.birth_date: {date_said}",
        f"claim PCN2002: [1].lines[0].service_date.start: {date_said}",
    ]
    claim = edi.load_claims(FIXTURES / "837p/dependent.json")[1]
    assert claim.patient is not None
    for value in (0, "1700006400", datetime(2012, 9, 10)):
        with pytest.raises(
            edi.ModelValidationError, match=r"^Patient: birth_date: Input should be"
        ):
            claim.patient.birth_date = value  # type: ignore[assignment]
    claim.patient.birth_date = "2012-09-10"  # type: ignore[assignment]
    assert claim.patient.birth_date == date(2012, 9, 10)
    service = claim.lines[0].professional
    assert service is not None
    for pointers in ((True, 2), ("1",), {"1"}):  # lax mode takes a tuple or set for the list too
        with pytest.raises(
            edi.ModelValidationError, match=r"pointers\[0\]: Input should be a valid"
        ):
            service.diagnosis_pointers = pointers  # type: ignore[assignment]
    # What lax mode refuses anyway keeps pydantic's reason, in a period as elsewhere.
    with pytest.raises(
        edi.ModelValidationError, match=r"start: Input should be a valid date or da"
    ):
        edi.Period(start="2024-1-1")  # type: ignore[arg-type]


def test_an_amount_given_with_a_huge_exponent_is_refused_when_loaded() -> None:
    """1e999999999 in claims JSON was taken: writing it overflowed (exit 70, 'a bug in edi'), and
    1e-999999999 ran for minutes and gigabytes (its digits written out). An amount of more than 100
    digits written out is refused at its field; X12 takes 18 (x12-notes §1.4), which the checks
    say of one of 19 to 100."""
    text = (FIXTURES / "837p/drug.json").read_text()
    charge = json.loads(text)[0]["total_charge"]
    for number in ("1e999999999", "1e-999999999", '"1E+101"', "0.1e-100"):
        huge = text.replace(f'"total_charge": "{charge}"', f'"total_charge": {number}')
        with pytest.raises(edi.ClaimValidationError) as raised:
            edi.load_claims(huge)
        assert raised.value.problems == [
            "claim PCN5001: [0].total_charge: Value error, the amount has more than 100 digits "
            "written out (an X12 amount has at most 18)"
        ], number
    for number in ("1e99", '"1E-100"', "0e200"):  # 100 digits written out; 0E+200 is 0
        edi.load_claims(text.replace(f'"total_charge": "{charge}"', f'"total_charge": {number}'))
    # A JSON integer past the 4,300 digits Python converts was "not JSON" (and advice about
    # sys.set_int_max_str_digits): it is refused at its field as any other amount too long.
    huge = text.replace(f'"total_charge": "{charge}"', f'"total_charge": {"9" * 5000}')
    with pytest.raises(edi.ClaimValidationError) as raised:
        edi.load_claims(huge)
    assert raised.value.problems == [
        "claim PCN5001: [0].total_charge: Value error, the amount has more than 100 digits "
        "written out (an X12 amount has at most 18)"
    ]


def test_json_text_may_start_with_a_byte_order_mark() -> None:
    """As a file or bytes may (`edi build` reads one from stdin); as a `str` it was "not JSON"."""
    text = (FIXTURES / "837p/drug.json").read_text()
    assert edi.load_claims("\ufeff" + text) == edi.load_claims(text)


def test_a_json_key_given_twice_is_refused() -> None:
    """`json.loads` keeps the last value of a key given twice in one object: a claim with two
    `lines` (or two `total_charge`) was written with the second, the first lost without a word."""
    text = (FIXTURES / "837p/drug.json").read_text()
    charge = json.loads(text)[0]["total_charge"]
    twice = text.replace(
        f'"total_charge": "{charge}"', f'"total_charge": "9500", "total_charge": "{charge}"'
    )
    with pytest.raises(edi.ClaimValidationError) as raised:
        edi.load_claims(twice)
    assert raised.value.problems == [
        "[0].total_charge: given twice in one object (JSON keys are unique: all but the last value "
        "would be lost)"
    ]
    with pytest.raises(edi.RemittanceValidationError) as raised_835:
        edi.load_remittances('[{"claims": [{"amounts": {"AU": "999.00", "AU": "170.00"}}]}]')
    assert raised_835.value.problems == [
        "[0].claims[0].amounts.AU: given twice in one object (JSON keys are unique: all but the "
        "last value would be lost)"
    ]


# -- required segments and elements, code lists (claim_required) ---------------------------------------


def test_segments_and_elements_the_guides_require() -> None:
    claim = list(edi.read_claims(FIXTURES / "837p/dependent.x12"))[1]
    assert claim.patient is not None and check_claim(claim) == []
    claim.providers = [Provider(role="DN", entity_type="1", id="1234567893")]
    claim.billing_provider.address_line_1 = None
    claim.billing_provider.city = claim.billing_provider.state = None
    claim.billing_provider.postal_code = None
    claim.billing_provider.npi = None  # NM108 XX stays: the pair is broken
    claim.billing_provider.tax_id = None
    claim.header.submitter.contacts = []
    claim.header.submitter.id = None
    claim.patient.birth_date = None  # type: ignore[union-attr]
    claim.benefits_assignment = None
    claim.providers[0].name = None
    claim.lines[0].service_date = None
    claim.lines[0].professional.code = None  # type: ignore[union-attr]
    claim.codes[0].code = None
    assert check_claim(claim) == [
        "code 1 (ABK) has no code (HI-02); the guide requires it",
        "submitter (1000A): no PER (contacts); loop 1000A of an 837P claim requires it",
        # the NM108/NM109 pair (X12 syntax P0809) is not said again where NM109 is required
        "submitter (1000A): NM1 without NM109 (id); the 837P guide requires it",
        "billing provider (2010AA): no N3 (address_line_1); loop 2010AA of an 837P claim "
        "requires it",
        "billing provider (2010AA): no N4 (city); loop 2010AA of an 837P claim requires it",
        "billing provider (2010AA): REF without REF02 (tax_id); the 837P guide requires it",
        "billing provider (2010AA): NM1 has NM108 (id_qualifier) without NM109 (npi); they go "
        "together (X12 syntax P0809)",
        "patient (2010CA): DMG without DMG02 (birth_date); the 837P guide requires it",
        "CLM without CLM08 (benefits_assignment); the 837P guide requires it",
        "claim: provider DN (2310A): NM1 without NM103 (name); the 837P guide requires it",
        "line 1: SV1 without SV101-02 (professional.code); the 837P guide requires it",
        "line 1: no service date (service_date, DTP*472); an 837P line requires it",
    ]
    # The subscriber's DMG: required when the subscriber is the patient (no 2000C).
    claim = list(edi.read_claims(FIXTURES / "837i/inpatient.x12"))[0]
    assert claim.patient is None and check_claim(claim) == []
    claim.subscriber.birth_date = claim.subscriber.gender = None
    claim.header.submitter.contacts[0].number_1 = None
    claim.subscriber.payer_responsibility = None
    assert check_claim(claim) == [
        "submitter (1000A): PER without PER04 (contacts[0].number_1); the 837I guide requires it",
        "subscriber (2000B): SBR without SBR01 (payer_responsibility); the 837I guide requires it",
        "subscriber (2010BA): no DMG (birth_date, gender); the subscriber is the patient, so the "
        "837I guide requires it",
    ]


def test_elements_take_the_codes_their_map_lists() -> None:
    claim = list(edi.read_claims(FIXTURES / "837p/ambulance_dme.x12"))[0]
    assert check_claim(claim) == []
    claim.facility_code_qualifier = "A"
    claim.header.claim_type = "31"  # 837I only
    claim.subscriber.gender = "X"
    claim.attachments = [Attachment(report_type="OZ", transmission="EL")]
    claim.attachments[0].transmission = "ZZ"
    claim.conditions[0].codes = ["L1"]  # a vision code under CRC*07 (ambulance)
    claim.subscriber.id_qualifier = "SY"
    claim.subscriber.member_id = "1234567893"  # no code: not quoted
    claim.subscriber.id_qualifier = "1234567893"
    assert check_claim(claim) == [
        "transaction header (BHT): BHT06 (claim_type) is '31', not one of CH, RP (837P)",
        "subscriber (2010BA): NM108 (id_qualifier) is a value, not one of II, MI (837P)",
        "subscriber (2010BA): DMG03 (gender) is 'X', not one of F, M, U (837P)",
        "CLM05-02 (facility_code_qualifier) is 'A', not one of B (837P)",
        "PWK02 (attachments[0].transmission) is 'ZZ', not one of AA, BM, EL, EM, FT, FX (837P)",
        "CRC03 (conditions[0].codes[0]) is 'L1', not one of 01, 04, 05, 06, 07, 08, 09, 12 (837P)",
    ]
    claim = list(edi.read_claims(FIXTURES / "837i/inpatient.x12"))[0]
    claim.providers[0].entity_type = "2"  # 837I providers other than 77 are persons
    claim.codes.append(HealthCode(qualifier="BH", code="12", date=Period(start=date(2024, 1, 2))))
    claim.codes[-1].date_format = "RD8"
    assert check_claim(claim) == [
        f"code {len(claim.codes)} (BH): date format (HI-03) is 'RD8', not D8",
        f"claim: provider {claim.providers[0].role} (2310A): NM102 (entity_type) is '2', not one "
        "of 1 (837I)",
    ]


@pytest.mark.parametrize("case", ["837p/cob_secondary", "837i/cob_secondary", "837d/cob"])
def test_a_prior_payers_adjustments_take_the_group_codes_the_maps_list(case: str) -> None:
    # CAS01 of 2320 and 2430: CO, CR, OA, PI, PR in the three maps (837P lines 1043, 1870).
    claims = list(edi.read_claims(FIXTURES / f"{case}.x12"))
    guide = {"837p": "837P", "837i": "837I", "837d": "837D"}[case[:4]]
    claim = next((c for c in claims if c.prior_payers and c.prior_payers[0].adjustments), None)
    if claim is not None:  # the 837D fixture has line adjustments only
        assert check_claim(claim) == []
        payer = claim.prior_payers[0]
        payer.adjustments[0].group = "XX"
        if payer.adjustments[1:2] and payer.adjustments[1].segment == payer.adjustments[0].segment:
            # Read in one CAS with another group code, which one CAS cannot hold: its own now.
            payer.adjustments[0].segment = None
        assert check_claim(claim) == [
            f"prior payer 1 (2320): CAS01 (adjustments[0].group) is 'XX', not one of CO, CR, OA, "
            f"PI, PR ({guide})"
        ]
        payer.adjustments[0].group = "CR"  # a code of the list, if not of the 835's
        assert check_claim(claim) == []
    claim, line = next(
        (c, n)
        for c in claims
        for n, line in enumerate(c.lines, 1)
        if line.adjudications and line.adjudications[0].adjustments
    )
    adjudication = claim.lines[line - 1].adjudications[0]
    adjudication.adjustments[-1].group = "P"
    n = len(adjudication.adjustments) - 1
    assert check_claim(claim) == [
        f"line {line}: adjudication 1 (2430): CAS01 (adjustments[{n}].group) is 'P', not one "
        f"of CO, CR, OA, PI, PR ({guide})"
    ]


def test_a_header_read_without_its_bht06_is_refused_one_made_in_code_gets_ch() -> None:
    text = (FIXTURES / "837p/dependent.x12").read_text()
    bht = next(s for s in text.split("~") if s.strip().startswith("BHT"))
    assert bht.strip().endswith("*CH")
    for cut in (bht.rpartition("*")[0], bht.rpartition("*")[0] + "*"):  # left out, or empty
        claim = next(iter(edi.read_claims(text.replace(bht, cut))))
        assert check_claim(claim) == [
            "transaction header (BHT): BHT without BHT06 (claim_type); the 837P guide requires it"
        ]
    header = claim.header.model_copy(update={"claim_type": None})
    rebuilt = type(header).model_validate(header.model_dump())
    assert rebuilt.claim_type == "CH"


def test_a_diagnosis_has_no_date_format_where_its_guide_has_no_date() -> None:
    # HI01-03 is NOT USED in a diagnosis composite (837P map line 592): a format alone is written.
    claim = list(edi.read_claims(FIXTURES / "837p/dependent.x12"))[0]
    claim.codes[0].date_format = "D8"
    assert check_claim(claim) == [
        "code 1 (ABK) has a date format; the guide has none for it (HI-03 not used)"
    ]
    claim = list(edi.read_claims(FIXTURES / "837i/inpatient.x12"))[0]
    claim.codes[0].date_format = "D8"
    assert check_claim(claim) == [
        f"code 1 ({claim.codes[0].qualifier}) has a date format; the guide has none for it "
        "(HI-03 not used)"
    ]


def test_a_payer_responsibility_and_filing_indicator_take_the_maps_codes() -> None:
    # SBR01 and SBR09 (2000B and 2320) list their codes in the three maps; pyx12 rejects others.
    claim = list(edi.read_claims(FIXTURES / "837i/cob_secondary.x12"))[0]
    assert check_claim(claim) == []
    claim.subscriber.payer_responsibility = "9"
    claim.subscriber.filing_indicator = "A"
    claim.prior_payers[0].filing_indicator = "Q1"
    sbr09 = (
        "11, 12, 13, 14, 15, 16, 17, AM, BL, CH, CI, DS, FI, HM, LM, MA, MB, MC, OF, TV, VA, WC, ZZ"
    )
    assert check_claim(claim) == [
        "subscriber (2000B): SBR01 (payer_responsibility) is '9', not one of A, B, C, D, E, F, G, "
        "H, P, S, T, U (837I)",
        f"subscriber (2000B): SBR09 (filing_indicator) is 'A', not one of {sbr09} (837I)",
        f"prior payer 1 (2320): SBR09 (filing_indicator) is 'Q1', not one of {sbr09} (837I)",
    ]


def test_contact_insurance_type_special_program_and_test_result_take_the_maps_codes() -> None:
    # PER01 (IC, every PER of the maps), 837P SBR05, CLM12 and MEA02 (lines 233, 361, 1436).
    claims = list(edi.read_claims(FIXTURES / "837p/ambulance_dme.x12"))
    claim = next(c for c in claims if any(line.test_results for line in c.lines))
    assert check_claim(claim) == []
    claim.header.submitter.contacts[0].function = "IX"
    claim.subscriber.payer_responsibility = "U"  # SBR05 is sent for a payer after the first
    claim.subscriber.insurance_type = "AB1"
    claim.special_program = "AB1"
    claim.lines[0].test_results[0].qualifier = "r1"
    assert check_claim(claim) == [
        "submitter (1000A): PER01 (contacts[0].function) is 'IX', not one of IC (837P)",
        "subscriber (2000B): SBR05 (insurance_type) is 'AB1', not one of 12, 13, 14, 15, 16, 41, "
        "42, 43, 47 (837P)",
        "CLM12 (special_program) is 'AB1', not one of 02, 03, 05, 09 (837P)",
        "line 1: MEA02 (test_results[0].qualifier) is 'r1', not one of HT, R1, R2, R3, R4 (837P)",
    ]
    claim = list(edi.read_claims(FIXTURES / "837i/inpatient.x12"))[0]
    claim.header.submitter.contacts[0].function = "IX"
    assert check_claim(claim) == [
        "submitter (1000A): PER01 (contacts[0].function) is 'IX', not one of IC (837I)"
    ]


def test_an_empty_facility_code_qualifier_or_unit_is_no_value() -> None:
    # CLM05-02 and 837P SV103 are usage=R (837P map lines 348, 1284; 837I 323). An empty text is
    # no element (X12 writes none), so "" is taken as None, as JSON or code may give it: the unit
    # is then missing, and the qualifier is filled in (B) as when it is left out.
    claim = list(edi.read_claims(FIXTURES / "837p/dependent.x12"))[0]
    claim.lines[0].professional.unit = ""
    claim.facility_code_qualifier = ""
    assert (claim.lines[0].professional.unit, claim.facility_code_qualifier) == (None, "B")
    assert check_claim(claim) == [
        "line 1: no unit code (professional.unit, SV103: UN or MJ); an 837P line requires it",
    ]
    claim = list(edi.read_claims(FIXTURES / "837i/inpatient.x12"))[0]
    claim.facility_code_qualifier = ""
    assert claim.facility_code_qualifier == "A" and check_claim(claim) == []
    # Built, not read: the same.
    built = edi.load_claims(FIXTURES / "837p/drug.json")[0]
    data = built.model_dump(mode="json", exclude_defaults=True)
    data["subscriber"]["first_name"] = ""
    data["lines"][0]["professional"]["modifiers"] = ["25", ""]
    (loaded,) = edi.load_claims([data])
    assert loaded.subscriber.first_name is None
    assert loaded.lines[0].professional.modifiers == ["25"]
    (read_back,) = edi.read_claims(edi.write_837([loaded]))
    assert read_back.subscriber.first_name is None
    assert read_back.lines[0].professional.modifiers == ["25"]


def test_a_prescription_number_takes_the_2410_ref_qualifiers() -> None:
    # 2410 REF01: VY or XZ (837P map line 1610, 837I 2145); pyx12 places no other REF there.
    claim = list(edi.read_claims(FIXTURES / "837p/drug.x12"))[0]
    drug = next(line.drug for line in claim.lines if line.drug is not None)
    assert check_claim(claim) == []
    drug.prescription_type = "XY"
    assert check_claim(claim) == [
        "line 1: drug (2410): REF01 (prescription_type) is 'XY', not one of VY, XZ (837P)"
    ]


def test_provider_and_prior_payer_segments_take_the_guides_qualifiers() -> None:
    claim = list(edi.read_claims(FIXTURES / "837p/cob_secondary.x12"))[0]
    assert check_claim(claim) == []
    claim.providers[0].references = [Reference(qualifier="EI", value="123")]
    claim.prior_payers[0].amounts = {"B6": Decimal(1)}
    claim.header.submitter.contacts *= 3
    assert check_claim(claim) == [
        "prior payer 1 (2320): AMT*B6 is not used in loop 2320 of an 837P claim (its AMT01 takes "
        "A8, D, EAF)",
        "claim: provider 82 (2310B): REF*EI is not used in loop 2310B of an 837P claim (its REF01 "
        "takes 0B, 1G, G2, LU)",
        "submitter (1000A): 3 PER segments; an 837P claim has at most 2",
    ]


def test_equipment_sv5_has_what_the_837p_guide_requires() -> None:
    """SV5 (837P line, map lines 1307-1321): SV501-02 and SV502-SV506 required, SV501-01 HC, SV502
    DA, SV506 1/4/6; the model leaves the prices and the frequency optional so that files read."""
    claim = list(edi.read_claims(FIXTURES / "837p/ambulance_dme.x12"))[1]
    equipment = claim.lines[0].equipment
    assert equipment is not None and check_claim(claim) == []
    equipment.qualifier = "ER"
    equipment.code = None
    equipment.unit = "MO"
    equipment.purchase_price = None
    equipment.rental_frequency = "9"
    assert check_claim(claim) == [
        "line 1: SV5 without SV501-02 (equipment.code); the 837P guide requires it",
        "line 1: SV5 without SV505 (equipment.purchase_price); the 837P guide requires it",
        "line 1: SV501-01 (equipment.qualifier) is 'ER', not one of HC (837P)",
        "line 1: SV502 (equipment.unit) is 'MO', not one of DA (837P)",
        "line 1: SV506 (equipment.rental_frequency) is '9', not one of 1, 4, 6 (837P)",
    ]


def test_line_adjudication_svd_has_what_the_guides_require() -> None:
    """SVD (2430): 837P map lines 1855-1868 (SVD03 required, SVD03-01 ER/HC/IV/WK, no SVD04), 837I
    lines 2251-2263 (SVD03 situational, SVD03-01 also HP, SVD04 the revenue code required); SVD01
    (the prior payer's id) and SVD05 (the paid units) required in both."""
    claim = one("837p/cob_secondary")
    assert check_claim(claim) == []
    first, second = claim.lines[0].adjudications[0], claim.lines[1].adjudications[0]
    first.qualifier = "HP"
    first.revenue_code = "0450"
    first.units = None
    second.qualifier = second.code = None
    assert check_claim(claim) == [
        "line 1: adjudication 1 (2430): SVD without SVD05 (units); the 837P guide requires it",
        "line 1: adjudication 1 (2430): SVD03-01 (qualifier) is 'HP', not one of ER, HC, IV, WK "
        "(837P)",
        "line 1: adjudication 1 (2430): SVD has SVD04 (revenue_code); the 837P guide does not use it",
        "line 2: adjudication 1 (2430): SVD without SVD03 (qualifier, code, description); the 837P "
        "guide requires it",
    ]
    claim = edi.load_claims(FIXTURES / "837i/cob_secondary.json")[1]
    assert check_claim(claim) == []
    (adjudication,) = claim.lines[0].adjudications
    adjudication.qualifier = "HP"  # 837I takes HP (HIPPS)
    adjudication.code = None
    adjudication.revenue_code = None
    assert check_claim(claim) == [
        "line 1: adjudication 1 (2430): SVD without SVD03-02 (code); the 837I guide requires it",
        "line 1: adjudication 1 (2430): SVD without SVD04 (revenue_code); the 837I guide requires it",
    ]
    adjudication.qualifier = adjudication.code = None  # SVD03 is situational in the 837I
    adjudication.revenue_code = "0450"
    assert check_claim(claim) == []


def test_provider_specialty_prv_has_what_the_guides_require() -> None:
    """PRV: PRV01-03 required wherever a PRV is (837P map lines 88-91, 910-913, 1628-1631; 837I
    lines 88-91, 1586-1589), PRV02 PXC, PRV01 the loop's provider code (837P 2310B and 2420A PE,
    837I 2310A AT; the billing provider's BI is written by its model)."""
    claim = one("837p/subscriber_is_patient")
    assert check_claim(claim) == []
    claim.billing_provider.taxonomy = None  # PRV02 PXC stays: the PRV lacks its PRV03
    rendering = claim.providers[1]
    assert rendering.role == "82" and rendering.taxonomy
    rendering.specialty_code = "BI"
    rendering.taxonomy_qualifier = "ZZ"
    assert check_claim(claim) == [
        "billing provider (2000A): PRV without PRV03 (taxonomy); the 837P guide requires it",
        "claim: provider 82 (2310B): PRV01 (specialty_code) is 'BI', not one of PE (837P)",
        "claim: provider 82 (2310B): PRV02 (taxonomy_qualifier) is 'ZZ', not one of PXC (837P)",
    ]
    claim = one("837i/inpatient")
    assert check_claim(claim) == []
    claim.billing_provider.taxonomy_qualifier = "ZZ"
    claim.providers[0].specialty_code = "PE"
    claim.providers[0].taxonomy = None
    assert check_claim(claim) == [
        "billing provider (2000A): PRV02 (taxonomy_qualifier) is 'ZZ', not one of PXC (837I)",
        "claim: provider 71 (2310A): PRV without PRV03 (taxonomy); the 837I guide requires it",
        "claim: provider 71 (2310A): PRV01 (specialty_code) is 'PE', not one of AT (837I)",
    ]


def test_ambulance_cr1_has_what_the_837p_guide_requires() -> None:
    """CR1 (837P map lines 532-541, 1343-1352): CR104-CR106 required, CR101 LB, CR104 A-E, CR105
    DH, the weight with its unit (syntax P0102)."""
    claim = one("837p/ambulance_dme")
    assert claim.ambulance is not None and check_claim(claim) == []
    claim.ambulance.patient_weight = None  # its unit LB stays
    claim.ambulance.distance = None
    claim.ambulance.reason = "Z"
    assert check_claim(claim) == [
        "CR1 without CR106 (ambulance.distance); the 837P guide requires it",
        "CR104 (ambulance.reason) is 'Z', not one of A, B, C, D, E (837P)",
        "CR1 has CR101 (ambulance.weight_unit) without CR102 (ambulance.patient_weight); they go "
        "together (X12 syntax P0102)",
    ]


def test_dental_claims_follow_the_837p_rules_their_map_repeats() -> None:
    """837D: the 837P rules the 837D map repeats for the same segment of a loop of the same meaning
    (claim_required's module docstring, rows citing both maps); not where the two maps differ."""
    claim = list(edi.read_claims(FIXTURES / "837d/cob.x12"))[0]
    assert check_claim(claim) == []
    claim.billing_provider.address_line_1 = None  # D line 94 / P line 131: N3 required
    claim.billing_provider.city = None  # D 98 / P 135: N401 required
    claim.billing_provider.taxonomy = None  # D 53-54 / P 90-91: PRV03 required
    claim.header.submitter.contacts[0].number_1 = None  # D 25 / P 61
    claim.subscriber.payer_responsibility = None  # D 192 / P 229: SBR01 required
    claim.subscriber.gender = "X"  # D 229 / P 276
    claim.release_of_information = "N"  # D 296 / P 353
    rendering = claim.providers[0]
    assert rendering.role == "82"
    rendering.specialty_code = "RF"  # D 488 / P 911: PE
    claim.prior_payers[0].benefits_assignment = "X"  # D 630 / P 1077
    claim.assignment = "B"  # CLM07: the 837D map has A and C, the 837P's A, B, C: not checked
    assert check_claim(claim) == [
        "submitter (1000A): PER without PER04 (contacts[0].number_1); the 837D guide requires it",
        "billing provider (2000A): PRV without PRV03 (taxonomy); the 837D guide requires it",
        "billing provider (2010AA): no N3 (address_line_1); loop 2010AA of an 837D claim "
        "requires it",
        "billing provider (2010AA): N4 without N401 (city); the 837D guide requires it",
        "subscriber (2000B): SBR without SBR01 (payer_responsibility); the 837D guide requires it",
        "subscriber (2010BA): DMG03 (gender) is 'X', not one of F, M, U (837D)",
        "CLM09 (release_of_information) is 'N', not one of I, Y (837D)",
        "claim: provider 82 (2310B): PRV01 (specialty_code) is 'RF', not one of PE (837D)",
        "prior payer 1 (2320): OI03 (benefits_assignment) is 'X', not one of N, W, Y (837D)",
    ]


def test_a_shared_billing_provider_is_reported_for_every_claim() -> None:
    # Claims read from one set share their context objects; the checker remembers their problems
    # by identity (ClaimChecker), and still gives them to every claim.
    claims = list(edi.read_claims(FIXTURES / "837p/dependent.x12"))
    assert claims[0].billing_provider is claims[2].billing_provider
    claims[0].billing_provider.address_line_1 = None
    assert check_claims(claims) == [
        f"claim {c.patient_control_number}: billing provider (2010AA): no N3 (address_line_1); "
        "loop 2010AA of an 837P claim requires it"
        for c in claims
    ]
    # A copy that differs is checked on its own.
    fixed = claims[1].model_copy(deep=True)
    fixed.billing_provider.address_line_1 = "1 MAIN ST"
    assert check_claims([claims[0], fixed]) == [check_claims(claims)[0]]


def test_claims_and_lines_know_where_they_were_read() -> None:
    path = Path(__file__).resolve().parents[1] / "fixtures" / "837p" / "dependent.x12"
    lines = path.read_text().splitlines()  # one segment per line
    st_line = next(n for n, text in enumerate(lines, 1) if text.startswith("ST*"))
    clm = next(n for n, text in enumerate(lines, 1) if text.startswith("CLM*PCN2003*"))
    lx = next(n for n, text in enumerate(lines, 1) if n > clm and text.startswith("LX*"))
    claim = next(c for c in edi.read_claims(path) if c.patient_control_number == "PCN2003")
    at, line_at = claim.read_at, claim.lines[0].read_at
    assert at is not None and line_at is not None
    assert (at.segment_index, at.segment_id, at.line, at.loop_id) == (
        clm - st_line + 1,
        "CLM",
        clm,
        "2300",
    )
    assert (line_at.segment_id, line_at.line, line_at.loop_id) == ("LX", lx, "2400")
    assert edi.Claim.model_validate(claim.model_dump()).read_at is None


# -- what the guides' loops use: CRC codes, elements not used, empty segments (claim_usage) -----------


def test_a_condition_indicator_has_its_first_code_and_only_the_codes_its_crc01_uses() -> None:
    """CRC03 is required in every CRC; CRC04-07 per CRC01: 837P 2300 lines 556-587 (07 and E1-E3
    use all five codes, 75 one, ZZ three), 2400 lines 1360-1383 (70 one, 09 two); 837I line 452
    (ZZ three). pyx12: "Mandatory data element ... (CRC03) is missing", "(CRC04) is marked as Not
    Used"."""
    claim = one("837p/ambulance_dme")
    assert check_claim(claim) == []
    claim.conditions = [
        ConditionIndicator(category="07", answer="Y"),
        ConditionIndicator(category="75", answer="Y", codes=["IH", "IH"]),
        ConditionIndicator(category="ZZ", answer="N", codes=["AV", "NU", "S2", "ST"]),
    ]
    claim.lines[0].conditions = [
        ConditionIndicator(category="70", answer="Y", codes=["65", "", "65"])
    ]
    claim.lines[1].conditions = [
        ConditionIndicator(category="09", answer="N", codes=["38", "ZV", "38"])
    ]
    assert check_claim(claim) == [
        "CRC*07 without CRC03 (conditions[0].codes[0]); the 837P guide requires it",
        "CRC*75 has CRC04 (conditions[1].codes[1]); the 837P guide does not use it",
        "CRC*ZZ has CRC06 (conditions[2].codes[3]); the 837P guide does not use it",
        "line 1: CRC*70 has CRC05 (conditions[0].codes[2]); the 837P guide does not use it",
        "line 2: CRC*09 has CRC05 (conditions[0].codes[2]); the 837P guide does not use it",
    ]
    claim = one("837i/inpatient")
    claim.conditions = [ConditionIndicator(category="ZZ", answer="Y")]
    assert check_claim(claim) == [
        "CRC*ZZ without CRC03 (conditions[0].codes[0]); the 837I guide requires it"
    ]
    claim.conditions[0].codes = ["AV", "NU", "S2", "ST"]
    assert check_claim(claim) == [
        "CRC*ZZ has CRC06 (conditions[0].codes[3]); the 837I guide does not use it"
    ]


def test_an_element_the_loop_does_not_use_is_refused() -> None:
    """837P: the ambulance drop-off location (2310F NM1*45, line 1007) has a name, NM103, but no
    first name or id; the pick-up location (2310E, line 982) not even a name; SBR08 (line 228),
    CLM11-03 (line 341) and REF03 (every REF) are not used. 837I: no first name for the billing
    provider (line 118), no CLM06 or CLM12 (line 316), no SV206 (line 2009). 837D (where its map and
    the 837P's agree): the prior payer's referring provider has only NM101-NM102 (D 734, P 1176)."""
    claim = one("837p/ambulance_dme")
    pick_up, drop_off = claim.providers
    assert (pick_up.role, drop_off.role) == ("PW", "45")
    pick_up.name = "HOME"
    drop_off.first_name = "ER"
    drop_off.id_qualifier, drop_off.id = "XX", "1234567893"
    claim.subscriber.employment_status = "FT"
    claim.related_causes, claim.accident_state = ["AA", "EM", "OA"], "NY"
    claim.references = [Reference(qualifier="9A", value="R1", description="TEXT")]
    assert check_claim(claim) == [
        "subscriber (2000B): SBR has SBR08 (employment_status); the 837P guide does not use it",
        "CLM has CLM11-03 (related_causes[2]); the 837P guide does not use it",
        "REF has REF03 (references[0].description); the 837P guide does not use it",
        "claim: provider PW (2310E): NM1 has NM103 (name); the 837P guide does not use it",
        "claim: provider 45 (2310F): NM1 has NM104 (first_name); the 837P guide does not use it",
        "claim: provider 45 (2310F): NM1 has NM108 (id_qualifier); the 837P guide does not use it",
        "claim: provider 45 (2310F): NM1 has NM109 (id); the 837P guide does not use it",
    ]
    claim = one("837i/inpatient")
    claim.billing_provider.first_name = "JO"
    claim.provider_signature = "Y"
    claim.special_program = "03"
    service = claim.lines[0].institutional
    assert service is not None
    service.unit_rate = Decimal(5)
    assert check_claim(claim) == [
        "billing provider (2010AA): NM1 has NM104 (first_name); the 837I guide does not use it",
        "CLM has CLM06 (provider_signature); the 837I guide does not use it",
        "CLM has CLM12 (special_program); the 837I guide does not use it",
        "line 1: SV2 has SV206 (institutional.unit_rate); the 837I guide does not use it",
    ]
    claim = one("837d/cob")
    # with its REF, which the loop requires (D 747)
    referring = Provider(role="DN", entity_type="1", name="DOE")
    referring.references = [Reference(qualifier="G2", value="P1")]
    claim.prior_payers[0].providers = [referring]
    assert check_claim(claim) == [
        "prior payer 1: provider DN (2330C): NM1 has NM103 (name); the 837D guide does not use it"
    ]


def test_text_kept_from_the_file_read_in_an_element_the_loop_does_not_use_is_refused() -> None:
    # NM110 (not used in any NM1 of the maps), an element past N4's last (N407) and past DTP's
    # (DTP03): read, kept and written back as read, which pyx12 refuses ("Too many elements").
    # The text is not quoted (PHI).
    text = (FIXTURES / "837p/ambulance_dme.x12").read_text()
    text = text.replace(
        "NM1*45*2*EXAMPLE GENERAL HOSPITAL~", "NM1*45*2*EXAMPLE GENERAL HOSPITAL*******X~"
    )
    text = text.replace("N4*SPRINGFIELD*IL*62702~", "N4*SPRINGFIELD*IL*62702*******X~")
    text = text.replace("DTP*472*D8*20240310~", "DTP*472*D8*20240310*X~", 1)
    claims = list(edi.read_claims(text))
    assert [p for p in check_claims(claims) if "PCN8001" in p] == [
        "claim PCN8001: provider 45 (2310F): N4 has N410 (text kept from the file read); "
        "the 837P guide does not use it",
        "claim PCN8001: provider 45 (2310F): NM1 has NM110 (text kept from the file read); "
        "the 837P guide does not use it",
        "claim PCN8001: line 1: DTP has DTP04 (text kept from the file read); the 837P guide does "
        "not use it",
    ]
    assert edi.write_837(claims, check=False) == text  # unchecked, written back as read


@pytest.mark.parametrize(
    ("case", "guide"),
    [("837p/cob_secondary", "837P"), ("837i/cob_secondary", "837I"), ("837d/cob", "837D")],
)
def test_an_empty_moa_is_refused(case: str, guide: str) -> None:
    """MOA (2320; 837P line 1081, 837I line 1779, 837D D 634): every element situational, and a
    segment holds at least one (pyx12: 'Segment "MOA*~" is empty')."""
    from edi.models.remittance import OutpatientAdjudication

    claim = one(case)
    assert check_claim(claim) == []
    claim.prior_payers[0].outpatient = OutpatientAdjudication(remarks=["MA01"])
    assert check_claim(claim) == []
    for empty in (OutpatientAdjudication(), OutpatientAdjudication(remarks=[""])):
        claim.prior_payers[0].outpatient = empty
        assert check_claim(claim) == [
            f"prior payer 1 (2320): MOA (outpatient) has no element, and a segment holds at least "
            f"one (the {guide} guide requires none of MOA's): leave it out or fill one"
        ]


# A claim provider (2310x), an other payer's provider (2330x, added after the prior payer's REF*F8)
# and a line's provider (2420x, added to the line) per claim kind: (where, role, segment, line, loop)
# of each provider, counted by hand in the file as edited (ST is segment 1, on line 3).
_PROVIDERS_READ_AT = {
    "837p/cob_secondary": (
        [
            ("REF*F8*ICN2001~\n", "NM1*82*1~\n"),  # 2330D
            ("REF*6R*LINE2001~\n", "NM1*82*1*TESTDOCTOR*CHARLIE****XX*1234567893~\n"),  # 2420A
        ],
        ("SE*68*", "SE*70*"),
        [
            ("claim", "82", 21, 23, "2310B"),
            ("prior payer 1", "82", 28, 30, "2330D"),
            ("line 1", "82", 33, 35, "2420A"),
        ],
    ),
    "837i/cob_secondary": (
        [
            ("REF*F8*ICN7001~\n", "NM1*72*1~\n"),  # 2330D
            ("DTP*472*D8*20240202~\n", "NM1*82*1*TESTDOCTOR*MIKE****XX*1000000061~\n"),  # 2420C
        ],
        ("SE*69*", "SE*71*"),
        [
            ("claim", "71", 25, 27, "2310A"),
            ("prior payer 1", "72", 37, 39, "2330D"),
            ("line 2", "82", 43, 45, "2420C"),
            ("claim", "71", 55, 57, "2310A"),  # the second claim's, after both
        ],
    ),
    "837d/cob": (
        [
            ("REF*F8*ICND004~\n", "NM1*82*1~\n"),  # 2330D
            ("DTP*472*D8*20240301~\n", "NM1*82*1*TESTDENTIST*TANGO****XX*1999999992~\n"),  # 2420A
        ],
        ("SE*43*", "SE*45*"),
        [
            ("claim", "82", 20, 22, "2310B"),
            ("prior payer 1", "82", 28, 30, "2330D"),
            ("line 1", "82", 32, 34, "2420A"),
        ],
    ),
}


def _with_providers(case: str) -> str:
    added, (old_se, new_se), _ = _PROVIDERS_READ_AT[case]
    text = (FIXTURES / f"{case}.x12").read_text()
    for after, segment in added:
        text = text.replace(after, after + segment, 1)  # the first: line 1 of the first claim
    return text.replace(old_se, new_se)


@pytest.mark.parametrize("case", sorted(_PROVIDERS_READ_AT))
def test_every_provider_knows_the_loop_its_nm1_was_read_in(case: str) -> None:
    """A provider is one model for loops 2310x (claim), 2330x (prior payer) and 2420x (line); its
    `read_at` is its NM1 in the lettered loop it was read in, not loop 2310 for all three."""
    reader = edi.ClaimReader(_with_providers(case))
    claims = list(reader)
    assert reader.diagnostics == []
    found = []
    for claim in claims:
        owners: list[tuple[str, Any]] = [("claim", claim)]
        owners += [(f"prior payer {n}", p) for n, p in enumerate(claim.prior_payers, 1)]
        owners += [(f"line {n}", line) for n, line in enumerate(claim.lines, 1)]
        for where, owner in owners:
            for provider in owner.providers:
                at = provider.read_at
                assert at is not None and at.segment_id == "NM1"
                found.append((where, provider.role, at.segment_index, at.line, at.loop_id))
    assert found == _PROVIDERS_READ_AT[case][2]


def test_a_problem_read_in_a_line_or_prior_payer_provider_names_its_loop() -> None:
    """What the reader reports inside a line's provider (2420x) or a prior payer's (2330x) names
    that loop, as its model's `read_at` does."""
    text = _with_providers("837p/cob_secondary").replace("SE*70*", "SE*72*")
    text = text.replace("NM1*82*1~\n", "NM1*82*1~\nREF*G2~\n")  # no REF02: 2330D
    text = text.replace("XX*1234567893~\nSVD", "XX*1234567893~\nREF*G2~\nSVD")  # 2420A
    reader = edi.ClaimReader(text)
    assert "PCN2001" not in [c.patient_control_number for c in reader]
    missing = sorted(
        (d.location.segment_index, d.location.loop_id, d.location.element)
        for d in reader.diagnostics
        if d.code == "mapping.missing" and d.location is not None
    )
    assert missing == [(29, "2330D", "REF02"), (35, "2420A", "REF02")]


def test_a_party_or_payment_date_read_with_a_format_not_its_own_is_refused() -> None:
    """`DMG*XX*19500101`, a prior payer's `DTP*573*RD8*20240305` and a line adjudication's
    `DTP*573*ZZ*...` were read silently and written back as read, the checks saying nothing: the
    format read is written while the date still gives the format it had (D8)."""
    text = (FIXTURES / "837p/cob_secondary.x12").read_text()
    text = text.replace("DMG*D8*19880808*F", "DMG*XX*19880808*F")
    text = text.replace(
        "DTP*573*D8*20240305~\nREF*F8*ICN2002", "DTP*573*RD8*20240305~\nREF*F8*ICN2002"
    )
    adjudicated = "CAS*PR*2*30~\nDTP*573*D8*20240305"
    text = text.replace(adjudicated, adjudicated.replace("*D8*", "*ZZ*"))
    first, second = edi.read_claims(text)
    # (PCN2001's payer dates its lines alone, PCN2002's its claim: 2330B DTP*573 at one level.)
    assert check_claim(first) == [
        "line 1: adjudication 1 (2430): paid_date: the format read with it (DTP02) is 'ZZ', but "
        "the value is one date (D8)",
    ]
    assert check_claim(second) == [
        "subscriber (2000B): birth_date: the format read with it (DMG01) is 'XX', but the value "
        "is one date (D8)",
        "prior payer 1 (2330B): paid_date: the format read with it (DTP02) is 'RD8', but the "
        "value is one date (D8)",
    ]
    with pytest.raises(edi.CheckError):
        edi.write_837([first, second])


def test_a_date_assigned_after_reading_takes_its_own_format() -> None:
    """The format read with a date (`DTP*472*XX`, `DMG*XX`, an 837I `DTP*434*D8` with a range) is
    written back with that date only: a date assigned in its place is written with the format it
    implies (D8, RD8), and the claim passes the checks; unchanged, the file writes back as read."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    text = text.replace(
        "DTP*472*D8*20240305~\nREF*6R*L1001A", "DTP*472*XX*20240305~\nREF*6R*L1001A"
    )
    text = text.replace("DMG*D8*19800101*F", "DMG*XX*19800101*F")
    claims = list(edi.read_claims(text))
    assert edi.write_837(claims, check=False) == text
    claim = claims[0]
    claim.lines[0].service_date = Period(start=date(2024, 3, 6))
    claim.subscriber.birth_date = date(1980, 1, 2)
    assert check_claim(claim) == []
    written = edi.write_837(claims)
    assert "DTP*472*D8*20240306~" in written and "DMG*D8*19800102*F~" in written

    inpatient = (FIXTURES / "837i/inpatient.x12").read_text()
    inpatient = inpatient.replace("DTP*434*RD8*20240201-20240203", "DTP*434*D8*20240201-20240203")
    first = next(iter(edi.read_claims(inpatient)))
    first.statement_period = Period(start=date(2024, 2, 1), end=date(2024, 2, 4))
    assert check_claim(first) == []
    assert "DTP*434*RD8*20240201-20240204~" in edi.write_837([first])


def test_a_dental_line_has_its_cdt_code() -> None:
    """SV301-02 (the CDT code after AD) is usage=R in the 837D map (line 853) and x12-notes §5 (SV301
    `AD:D2391`); as the 837P's SV101-02, a line without one was passed and written `SV3*AD*230`."""
    claim = one("837d/restorative")
    service = claim.lines[0].dental
    assert service is not None
    service.code = None
    assert check_claim(claim) == [
        "line 1: SV3 without SV301-02 (dental.code); the 837D guide requires it"
    ]


def test_a_tooth_status_is_of_a_universal_tooth_number() -> None:
    """DN201 is the tooth number (x12-notes §5), of the designation DN206 (JP) names, as TOO02's: a
    missing tooth 99 was passed while a TOO tooth 99 was refused."""
    claim = one("837d/ortho")  # DN2*1*M****JP, DN2*16*M****JP
    assert check_claim(claim) == []
    for number in ("1", "32", "A", "T", "51", "82", "AS", "TS"):
        claim.tooth_status[1].tooth = number
        assert check_claim(claim) == [], number
    claim.tooth_status[1].tooth = "99"
    problems = check_claim(claim)
    assert problems == [
        "DN201 (tooth_status[1].tooth) is '99', not a tooth of the universal national tooth "
        "designation (1-32, A-T; supernumerary 51-82, AS-TS)"
    ]
    # About the claim, whose DN2 it is (a problem is about a model edi claims can place: the
    # claim, a line, a prior payer, a provider ...; DN201 and its text say which tooth).
    assert problems[0].about is claim
    assert problems[0].element == "DN201"
    # Of another designation (DN206, as TOO01: JP), the number is not said to be no JP tooth.
    claim.tooth_status[1].tooth, claim.tooth_status[1].numbering = "48", "JO"
    assert check_claim(claim) == [
        "DN206 (tooth_status[1].numbering) is 'JO', not JP (the universal national tooth "
        "designation)"
    ]
    assert check_claim(claim)[0].element == "DN206"


def test_a_dental_line_names_oral_cavity_areas_of_the_code_list() -> None:
    # SV304: 00-09, 10, 20, 30, 40 (ADA code source 135, as CMS's T-MSIS lists them).
    claim = one("837d/restorative")
    service = claim.lines[0].dental
    assert service is not None
    service.oral_cavity_areas = ["00", "03", "09", "10", "40"]
    assert check_claim(claim) == []
    service.oral_cavity_areas = ["10", "99", "UR"]
    problems = check_claim(claim)
    assert problems == [
        "line 1: oral cavity area 2 (SV304-02) is '99', not an oral cavity designation code (00, "
        "01, 02, 03, 04, 05, 06, 07, 08, 09, 10, 20, 30, 40)",
        "line 1: oral cavity area 3 (SV304-03) is 'UR', not an oral cavity designation code (00, "
        "01, 02, 03, 04, 05, 06, 07, 08, 09, 10, 20, 30, 40)",
    ]
    assert [p.element for p in problems] == ["SV304-02", "SV304-03"]


# -- limits at their edge -----------------------------------------------------------------------------


def test_a_professional_claim_holds_12_diagnoses_not_13() -> None:
    """837P HI: 12 diagnosis composites (x12-notes §3), the principal (ABK) and 11 others (ABF)."""
    claim = one("837p/subscriber_is_patient")
    others = [HealthCode(qualifier="ABF", code=f"Z{n:02d}") for n in range(11)]
    claim.codes = [HealthCode(qualifier="ABK", code="E119"), *others]
    assert check_claim(claim) == []
    claim.codes = [*claim.codes, HealthCode(qualifier="ABF", code="Z99")]
    assert check_claim(claim) == ["13 diagnoses; an 837P or 837D claim has at most 12"]


@pytest.mark.parametrize(
    ("field", "longest", "said"),
    [
        # REF*6R REF02 is AN 1/50, the guides hold it to 30; CLM01 AN 1/38, held to 20 (x12-notes §6)
        ("control_number", 30, "line 1: line item control number"),
        ("patient_control_number", 20, "patient control number"),
    ],
)
def test_control_numbers_are_held_to_their_guide_size(field: str, longest: int, said: str) -> None:
    claim = one("837p/subscriber_is_patient")
    model = claim.lines[0] if field == "control_number" else claim
    setattr(model, field, "A" * longest)
    assert check_claim(claim) == []
    setattr(model, field, "A" * (longest + 1))
    (problem,) = check_claim(claim)
    assert problem.startswith(said) and f"{longest} characters" in problem


def test_a_tooth_is_named_by_its_number() -> None:
    """TOO01 qualifies TOO02 (its code list): a TOO without a tooth number names no tooth, and its
    surfaces are no tooth's. `TOO*JP` and `TOO*JP**O` were written (the 837D tester)."""
    claim = one("837d/restorative")  # TOO*JP*30*M:O, TOO*JP*19
    claim.lines[0].teeth[0].number = None
    claim.lines[1].teeth[0].number = ""
    assert check_claim(claim) == [
        "line 1: tooth 1 (TOO): no tooth number (TOO02, number) with surfaces (TOO03): a TOO gives "
        "the tooth the line treats",
        "line 2: tooth 1 (TOO): no tooth number (TOO02, number): a TOO gives the tooth the line "
        "treats",
    ]


def test_orthodontic_months_are_counts_of_the_treatment() -> None:
    """DN101 total and DN102 remaining months (x12-notes §5): not negative, and no more remaining
    than in all. `DN1*24*30` and `DN1*-24*-30` were written (the 837D tester)."""
    claim = one("837d/ortho")  # DN1*24*20
    assert check_claim(claim) == []
    claim.orthodontic_remaining_months = Decimal(24)
    assert check_claim(claim) == []
    claim.orthodontic_remaining_months = Decimal(30)
    assert check_claim(claim) == [
        "orthodontic_remaining_months (DN102) is 30, more than the orthodontic_total_months "
        "(DN101) of the treatment, 24"
    ]
    claim.orthodontic_total_months = Decimal(-24)
    claim.orthodontic_remaining_months = Decimal(-30)
    assert check_claim(claim) == [
        "orthodontic_total_months (DN101) is -24: a number of months is not negative",
        "orthodontic_remaining_months (DN102) is -30: a number of months is not negative",
    ]


def test_a_prosthesis_replaced_was_placed_before_its_replacement() -> None:
    """DTP*441, the prior placement of the crown, bridge or denture a line replaces (SV305 R), is
    before the line's date of service (DTP*472, or the claim's)."""
    claim = one("837d/restorative")  # line 2: DTP*472 20240305, DTP*441 20150610
    line = claim.lines[1]
    assert line.prior_placement_date is not None and line.service_date is not None
    line.prior_placement_date = Period(start=date(2024, 3, 5))  # the same day: not refused
    assert check_claim(claim) == []
    line.prior_placement_date = Period(start=date(2025, 6, 10))
    problems = check_claim(claim)
    assert problems == [
        "line 2: the prior placement date (DTP*441, prior_placement_date) is after the date of "
        "service (DTP*472): the prosthesis replaced was placed before"
    ]
    assert problems[0].about is line
    # A line without a date of its own has the claim's.
    claim.service_period, line.service_date = line.service_date, None
    assert check_claim(claim) == problems


def test_a_taxonomy_code_has_the_nucc_form() -> None:
    """PRV03 under PXC is a NUCC Health Care Provider Taxonomy code: nine letters or digits and X
    (x12-notes §10). `282N0000X`, `207RC00001` and `ABC` were passed (the QA tester)."""
    claim = one("837p/subscriber_is_patient")
    billing = claim.billing_provider
    provider = next(p for p in claim.providers if p.taxonomy)
    assert check_claim(claim) == []
    for good in ("207Q00000X", "261QM0801X", "1223G0001X"):
        billing.taxonomy = provider.taxonomy = good
        assert check_claim(claim) == [], good
    billing.taxonomy, provider.taxonomy = "282N0000X", "207RC00001"
    problems = check_claim(claim)
    form = "is not a provider taxonomy code (nine letters or digits, then X: 207Q00000X)"
    assert [str(p) for p in problems] == [
        f"claim: provider {provider.role} taxonomy (PRV03) {form}",
        f"billing provider (2000A): taxonomy (PRV03) {form}",
    ]
    assert [(p.about, p.element) for p in problems] == [(provider, "PRV03"), (billing, "PRV03")]


def test_the_patient_is_born_by_the_date_of_service() -> None:
    """A birth date after the date of service (a typo: 2030 for 2003) was passed (the QA tester).
    The patient's, or the subscriber's when the subscriber is the patient; not quoted (PHI)."""
    claim = one("837p/subscriber_is_patient")
    span = service_span(claim)
    assert span is not None and claim.patient is None
    claim.subscriber.birth_date = span[0]  # born that day: a newborn's claim
    assert check_claim(claim) == []
    claim.subscriber.birth_date = span[0] + timedelta(days=1)
    problems = check_claim(claim)
    assert [str(p) for p in problems] == [
        "the subscriber (2010BA) birth date (DMG02) is after the date of service: a claim is "
        "for someone born by then"
    ]
    assert problems[0].element == "DMG02"
    # An inpatient claim: by the discharge (a newborn's stay starts at birth).
    inpatient = one("837i/inpatient")
    statement = inpatient.statement_period
    assert statement is not None and statement.end is not None
    person = inpatient.patient or inpatient.subscriber
    person.birth_date = statement.end
    assert check_claim(inpatient) == []


def test_a_negative_zero_amount_is_zero() -> None:
    """`-0.00` in JSON was written `CLM*...*-0.00` (and `-0` as `0`): a zero has no sign in X12
    (R: an optional leading minus for a negative value, x12-notes §1.4), so it is 0.00 on loading."""
    data = edi.load_claims(FIXTURES / "837p/drug.json")[0].model_dump(
        mode="json", exclude_defaults=True
    )
    data["lines"][0]["professional"]["charge"] = "-0.00"
    (claim,) = edi.load_claims([data])
    charge = claim.lines[0].professional.charge
    assert (str(charge), charge.is_signed()) == ("0.00", False)
    assert "*-0" not in edi.write_837([claim], check=False)


def test_a_drg_is_three_or_four_digits() -> None:
    """HI*DR: a diagnosis-related group is three or four digits (Stedi's claim edit; X12 RFI 2321
    gives it four at most): `47A` and `12345` were accepted."""
    claim = edi.load_claims(FIXTURES / "837i/inpatient.json")[0]
    drg = next(code for code in claim.codes if code.qualifier == "DR")
    n = claim.codes.index(drg) + 1
    for good in ("470", "0470"):
        drg.code = good
        assert check_claim(claim) == []
    for bad in ("47A", "12345", "47"):
        drg.code = bad
        assert check_claim(claim) == [
            f"code {n} (DR): its code (HI-02) is not a diagnosis-related group (three or four "
            "digits: 470)"
        ]


def test_the_payers_of_a_claim_skip_no_level_of_the_sequence() -> None:
    """A claim to a secondary payer names its primary in a 2320, one to a tertiary payer both
    others (SBR01 of 2000B and 2320: Stedi's claim edits "Missing primary payer" and "Payer
    responsibility level codes must be in order"). A claim to an S payer with no 2320 was written."""
    claim = one("837p/cob_secondary")  # 2000B S, 2320 P
    assert check_claim(claim) == []
    primary = claim.prior_payers[0]
    primary.payer_responsibility = "T"
    assert check_claim(claim) == [
        "the payers skip 'P' (primary) in their sequence (SBR01): the claim's payer is 'S' "
        "(2000B), its other payers 'T' (2320); a claim's payers take the places from P (primary) "
        "on, none skipped"
    ]
    assert check_claim(claim)[0].element == "SBR01"
    claim.subscriber.payer_responsibility = "A"  # the fourth payer, with a primary and a third
    primary.payer_responsibility = "P"
    claim.prior_payers.append(primary.model_copy(update={"payer_responsibility": "T"}))
    assert [p for p in check_claim(claim) if "sequence" in p] == [
        "the payers skip 'S' (secondary) in their sequence (SBR01): the claim's payer is 'A' "
        "(2000B), its other payers 'P', 'T' (2320); a claim's payers take the places from P "
        "(primary) on, none skipped"
    ]
    # A claim to the primary naming a tertiary payer but no secondary skips S too.
    claim.subscriber.payer_responsibility = "P"
    claim.prior_payers = [primary.model_copy(update={"payer_responsibility": "T"})]
    assert [p for p in check_claim(claim) if "sequence" in p] == [
        "the payers skip 'S' (secondary) in their sequence (SBR01): the claim's payer is 'P' "
        "(2000B), its other payers 'T' (2320); a claim's payers take the places from P (primary) "
        "on, none skipped"
    ]
    # An unknown place (U) is not checked; nor is a claim to the primary that names the next.
    claim.subscriber.payer_responsibility = "U"
    assert not [p for p in check_claim(claim) if "sequence" in p]
    alone = one("837p/subscriber_is_patient")
    alone.subscriber.payer_responsibility = "S"
    assert [p for p in check_claim(alone) if "sequence" in p] == [
        "the payers skip 'P' (primary) in their sequence (SBR01): the claim's payer is 'S' "
        "(2000B), its other payers none (2320); a claim's payers take the places from P "
        "(primary) on, none skipped"
    ]


def test_hi_components_past_c022s_nine_are_said_once() -> None:
    """An HI composite read with components past C022's nine: one problem, however many (one each
    made 100,000 lines for one HI: the fuzz tester). HIxx-07 and -08, which no map uses, are still
    named one by one."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    assert text.count("HI*ABK:Z0000~") == 1
    claims = list(
        edi.read_claims(text.replace("HI*ABK:Z0000~", "HI*ABK:Z0000" + ":X" * 1000 + "~"))
    )
    problems = [p for p in check_claim(claims[1]) if "C022" in p or "does not use it" in p]
    assert problems == [
        "HI has HI01-07 (text kept from the file read); the 837P guide does not use it",
        "HI has HI01-08 (text kept from the file read); the 837P guide does not use it",
        "HI has HI01-10 to HI01-1002 (993 components) (text kept from the file read); the 837P "
        "guide has no such component (C022 has 9)",
    ]


def test_elements_past_a_segments_last_kept_from_the_file_are_said_once() -> None:
    """An 837 segment read with elements past its last: one problem, however many. A thousand made
    a thousand lines, and one past 999 (`DTP1000`) made check_claims raise: its reference was no
    reference designator (the fuzz tester)."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    assert text.count("N3*200 OAK AVE~") == 1 and text.count("DTP*472*D8*20240308~") == 1
    text = text.replace("N3*200 OAK AVE~", "N3*200 OAK AVE" + "*X" * 1000 + "~")
    text = text.replace("DTP*472*D8*20240308~", "DTP*472*D8*20240308" + "*X" * 1000 + "~")
    claims = list(edi.read_claims(text))
    unused = [p for claim in claims for p in check_claim(claim) if "does not use" in p]
    assert unused == [
        # N302 (X) is the address's second line: used; N303 on are not.
        "billing provider (2010AA): N3 has N303 to N31001 (999 of them) (text kept from the file "
        "read); the 837P guide does not use them",
        "billing provider (2010AA): N3 has N303 to N31001 (999 of them) (text kept from the file "
        "read); the 837P guide does not use them",
        "line 1: DTP has DTP04 to DTP1003 (1000 of them) (text kept from the file read); the 837P "
        "guide does not use them",
    ]


def test_a_sixth_surface_or_oral_cavity_area_is_said_as_such() -> None:
    """A tooth has at most five surfaces (TOO03-01..05, 837D map lines 883-887), a line five oral
    cavity areas (SV304-01..05). A sixth read from a file was said as an element the guide does not
    use (the dental tester); now as what it is."""
    text = (FIXTURES / "837d/restorative.x12").read_text()
    assert text.count("TOO*JP*30*M:O~") == 1
    (claim,) = edi.read_claims(text.replace("TOO*JP*30*M:O~", "TOO*JP*30*M:O:D:B:L:F~"))
    assert check_claim(claim) == [
        "line 1: TOO has TOO03-06 (text kept from the file read): a tooth's surfaces are at most "
        "5 (TOO03-01 to -05)"
    ]


def test_a_subscriber_who_is_the_patient_has_no_other_patient() -> None:
    """SBR02 18 says the subscriber is the patient; a claim that also gives a patient (2000C) says two
    things (the guide's SBR02: "If not, do not send"; Stedi's edit "Invalid subscriber individual
    relationship codes"). Refused by the checks, by a checked write, and said of a file read."""
    claim = edi.load_claims(FIXTURES / "837p/dependent.json")[1]
    assert claim.patient is not None and check_claim(claim) == []
    claim.subscriber.relationship = "18"
    said = (
        "subscriber.relationship (SBR02) is '18' (the subscriber is the patient), but another "
        "patient is given (patient, 2000C): a dependant's claim goes under the subscriber without "
        "SBR02 (relationship left out), in a 2000B of its own (in code, a subscriber object of its "
        "own, not the one the subscriber's own claims share), or leave patient out"
    )
    assert check_claim(claim) == [said]
    # A dependant's relationship put in SBR02 is told where it goes (the COB tester).
    claim.subscriber.relationship = "19"
    assert check_claim(claim) == [
        "subscriber (2000B): SBR02 (relationship) is '19', not one of 18 (837P): a dependant's "
        "relationship to the subscriber goes in the patient's PAT01 (patient.relationship), and "
        "SBR02 is left out"
    ]
    claim.subscriber.relationship = "18"
    with pytest.raises(edi.ClaimCheckError, match=r"SBR02\) is '18'"):
        edi.write_837([claim], when=datetime(2024, 3, 15, 10, 0))
    text = edi.write_837([claim], when=datetime(2024, 3, 15, 10, 0), check=False)
    assert "SBR*P*18*" in text and "PAT*19" in text
    read = list(edi.read_claims(text))
    assert [str(p) for p in check_claims(read)] == [f"claim {claim.patient_control_number}: {said}"]


def test_dates_without_a_field_of_their_own_are_dates_of_their_format() -> None:
    """`other_dates` (a DME line's DTP*461, 607, 463) were written whatever they held: `edi build`
    wrote `DTP*461*D8*20240230` and `DTP*607*D8*JAN2024`, which nothing said (the specialty
    tester). A claim's DTP*454 given there went into `initial_treatment_date` when read back, said
    then as no date, and was lost from the JSON. Values are not quoted (PHI)."""
    text = (FIXTURES / "837p/ambulance_dme.x12").read_text()
    dme = "CRC*09*Y*38~\nDTP*472*D8*20240301~\n"  # the DME claim's line (PCN8002)
    assert text.count(dme) == 1
    dates = "DTP*461*D8*20240230~\nDTP*607*D8*JAN2024~\nDTP*463*D8*20240301~\n"
    bad = text.replace(dme, dme + dates)
    claims = list(edi.read_claims(bad.replace("SE*59*", "SE*62*")))
    line = claims[1].lines[0]
    assert [(d.qualifier, d.value) for d in line.other_dates] == [
        ("461", "20240230"),
        ("607", "JAN2024"),
        ("463", "20240301"),
    ]
    assert check_claims(claims) == [
        "claim PCN8002: line 1: other date 1 (DTP*461): its value (DTP03) is not a D8 date "
        "(CCYYMMDD)",
        "claim PCN8002: line 1: other date 2 (DTP*607): its value (DTP03) is not a D8 date "
        "(CCYYMMDD)",
    ]
    assert [(p.about, p.element) for p in check_claim(claims[1])] == [(line, "DTP03")] * 2
    # A date a field holds is that field's: in other_dates it would be written as a second DTP.
    claim = one("837p/ambulance_dme")
    claim.other_dates = [DateTimeRef(qualifier="454", format="D8", value="20240201")]
    assert check_claim(claim) == [
        "other date 1 (DTP*454) is what initial_treatment_date holds: give it there, not in "
        "other_dates"
    ]


def test_an_837d_code_without_its_code_is_refused() -> None:
    """HI01-02 is usage=R in the 837D map too (line 412): a dental code whose `code` is null in
    JSON was written `HI*ABK~`, which `edi claims` then refused (the JSON fuzz tester)."""
    claim = one("837d/restorative")
    claim.codes[0].code = None
    assert check_claim(claim) == ["code 1 (ABK) has no code (HI-02); the guide requires it"]


def test_a_date_read_twice_is_said_once_by_its_count() -> None:
    """Two DTP*434 read: the second goes to other_dates, which the statement period holds. The
    count said it, and a second problem advised giving it in `statement_period`, which holds the
    first (the reviewer). Said once."""
    text = (FIXTURES / "837i/inpatient.x12").read_text()
    dtp = "DTP*434*RD8*20240201-20240203~\n"
    assert text.count(dtp) == 1
    claims = list(edi.read_claims(text.replace(dtp, dtp * 2, 1)))
    problems = [p for p in edi.check_claims(claims) if "434" in p]
    assert problems == [
        "claim PCN8001: 2 DTP*434 segments in loop 2300; an 837I claim has at most 1"
    ], problems
