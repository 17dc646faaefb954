"""fixtures/837p, 837i, 837d: hand-written, PHI-free claims JSON and the 837s they stand for.

For each fixture: JSON → write_837 gives the hand-written 837 byte for byte; the 837 → read_claims gives
the claims of the JSON; the claims pass the business checks; pyx12 accepts the 837P and 837I files. The
facts of single fixtures (HL shape, COB amounts, dental segments) are checked against x12-notes by hand.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import edi
from edi.cli import main
from tests import pyx12_oracle

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SENDERS = {"837p": "EXAMPLECLINIC", "837i": "EXAMPLEHOSP", "837d": "EXAMPLEDENTAL"}
CASES = sorted(f"{p.parent.name}/{p.stem}" for p in FIXTURES.glob("837*/*.x12"))


def x12(case: str) -> Path:
    return FIXTURES / f"{case}.x12"


def dump(claim: edi.Claim) -> dict[str, Any]:
    data = claim.model_dump(mode="json", exclude_defaults=True)
    data.pop("envelope", None)  # where the claims came from, not what they say
    return data


def written(case: str) -> str:
    """The fixture's JSON written as an 837 with the envelope values of fixtures/837p/README.md."""
    claims = edi.load_claims(x12(case).with_suffix(".json"))
    number = int(x12(case).read_text()[90:99])  # ISA13
    return edi.write_837(
        claims,
        sender_id=SENDERS[case.split("/")[0]],
        receiver_id="EXAMPLEPAYER",
        usage="T",
        interchange_control_number=number,
        group_control_number=number,
        when=datetime(2024, 3, 15, 10, 0),
    )


def read(case: str) -> list[edi.Claim]:
    reader = edi.read_claims(x12(case))
    claims = list(reader)
    assert [str(d) for d in reader.diagnostics] == []
    return claims


def test_every_case_of_the_issue_has_a_fixture() -> None:
    assert set(CASES) == {
        "837p/subscriber_is_patient",
        "837p/dependent",
        "837p/several_providers",
        "837p/cob_secondary",
        "837p/drug",
        "837p/replacement_void",
        "837p/ambulance_dme",
        "837i/inpatient",
        "837i/cob_secondary",
        "837i/replacement_void",
        "837d/ortho",
        "837d/restorative",
        "837d/predetermination",
        "837d/cob",
    }
    for case in CASES:
        assert x12(case).with_suffix(".json").is_file(), case


@pytest.mark.parametrize("case", CASES)
def test_json_writes_the_hand_written_837(case: str) -> None:
    assert written(case) == x12(case).read_text()


@pytest.mark.parametrize("case", CASES)
def test_837_reads_as_the_json(case: str) -> None:
    expected = edi.load_claims(x12(case).with_suffix(".json"))
    assert [dump(c) for c in read(case)] == [dump(c) for c in expected]


@pytest.mark.parametrize("case", CASES)
def test_837_writes_back_exactly(case: str) -> None:
    assert edi.write_837(read(case)) == x12(case).read_text()


@pytest.mark.parametrize("case", CASES)
def test_claims_pass_the_business_checks(case: str) -> None:
    assert edi.check_claims(read(case)) == []


@pytest.mark.parametrize("case", [c for c in CASES if not c.startswith("837d")])
def test_pyx12_accepts(case: str) -> None:
    assert pyx12_oracle.errors(x12(case).read_text()) == []


# -- facts of single fixtures -----------------------------------------------------------------------


def hl_segments(case: str) -> list[str]:
    return [line for line in x12(case).read_text().splitlines() if line.startswith("HL*")]


def test_subscriber_is_patient_claims_share_their_context() -> None:
    first, second = read("837p/subscriber_is_patient")
    assert first.patient is None and first.subscriber.is_patient
    # One 2000A and one 2000B for both claims: the same objects.
    assert first.billing_provider is second.billing_provider
    assert first.subscriber is second.subscriber and first.payer is second.payer
    assert [p.role for p in first.providers] == ["DN", "82", "77"]
    rendering = first.provider("82")
    assert rendering is not None
    assert (rendering.npi, rendering.taxonomy, rendering.specialty_code) == (
        "1000000020",
        "207Q00000X",
        "PE",
    )
    assert first.onset_date == edi.models.base.Period(start=date(2024, 3, 1))
    assert first.prior_authorization == "AUTH1001"
    assert [(c.qualifier, c.code) for c in first.pointed_diagnoses] == [
        ("ABK", "J069"),
        ("ABF", "R509"),
    ]
    assert [line.diagnosis_pointers for line in first.lines] == [[1, 2], [1]]
    assert first.total_charge == Decimal("175") == first.line_charge_total
    assert hl_segments("837p/subscriber_is_patient") == ["HL*1**20*1~", "HL*2*1*22*0~"]


def test_dependent_hierarchy() -> None:
    own, child, spouse = read("837p/dependent")
    assert own.patient is None and child.patient is not None and spouse.patient is not None
    # The member's own claim (SBR02 18), then the member again without SBR02 for the child's claim:
    # SBR02 18 says the subscriber is the patient, so it is left out of a 2000B with a 2000C.
    assert own.subscriber.relationship == "18" and child.subscriber.relationship is None
    assert own.subscriber.member_id == child.subscriber.member_id
    assert child.patient.relationship == "19" and spouse.patient.relationship == "01"
    assert spouse.subscriber.relationship is None
    assert hl_segments("837p/dependent") == [
        "HL*1**20*1~",
        "HL*2*1*22*0~",
        "HL*3*1*22*1~",
        "HL*4*3*23*0~",
        "HL*5*1*22*1~",
        "HL*6*5*23*0~",
    ]


def test_several_billing_providers() -> None:
    first, second = read("837p/several_providers")
    assert first.billing_provider is not second.billing_provider
    assert (first.billing_provider.tax_id_qualifier, second.billing_provider.tax_id_qualifier) == (
        "EI",
        "SY",
    )
    assert second.billing_provider.entity_type == "1"
    pay_to = second.billing_provider.pay_to_address
    assert pay_to is not None and pay_to.address_line_1 == "PO BOX 1234"
    assert (second.admission_format, second.admission) == ("D8", "20240311")
    assert hl_segments("837p/several_providers") == [
        "HL*1**20*1~",
        "HL*2*1*22*0~",
        "HL*3**20*1~",
        "HL*4*3*22*0~",
    ]


def test_cob_secondary_from_the_primary_835() -> None:
    """fixtures/835/partly_paid.x12 → the secondary 837P (x12-notes §9.6)."""
    line_level, claim_level = read("837p/cob_secondary")
    (primary,) = line_level.prior_payers
    # The remaining liability and the date at the lines' level (2430), not the claim's as well.
    assert (primary.paid, primary.remaining_patient_liability) == (Decimal(120), None)
    assert primary.other_payer.claim_control_number == "ICN2001"  # the 835's CLP07
    assert primary.other_payer.paid_date is None
    adjudicated = [adj for line in line_level.lines for adj in line.adjudications]
    assert {a.paid_date for a in adjudicated} == {date(2024, 3, 5)}  # the 835's BPR16
    assert [a.remaining_patient_liability for a in adjudicated] == [30, 20]  # Σ 50 = CLP05
    assert [(a.code, a.paid, a.adjustment_total) for a in adjudicated] == [
        ("99214", Decimal(100), Decimal(80)),  # billed 99215, paid as 99214 (SVC01 vs SVC06)
        ("80053", Decimal(20), Decimal(50)),
    ]
    assert all(a.payer_id == primary.other_payer.id for a in adjudicated)
    (primary,) = claim_level.prior_payers
    assert [(a.group, a.reason, a.amount) for a in primary.adjustments] == [
        ("CO", "45", Decimal(10)),
        ("CO", "253", Decimal(5)),
        ("PR", "3", Decimal(15)),
    ]
    assert "CAS*CO*45*10**253*5~" in x12("837p/cob_secondary").read_text()


def test_drug_line() -> None:
    (claim,) = read("837p/drug")
    drug = claim.lines[0].drug
    assert drug is not None
    assert (drug.qualifier, drug.code, drug.quantity, drug.unit) == (
        "N4",
        "57894003001",
        Decimal(100),
        "ML",
    )
    assert claim.lines[1].drug is None


def test_ambulance_equipment_chiropractic_and_lab_details() -> None:
    """The 837P claim and line segments of x12-notes §3 beyond SV1: CR1, CR2, CR3, CRC, SV5, MEA, K3,
    PS1, each read into its field (none kept unmapped), with the values of the guide's elements."""
    ambulance, equipment, chiropractic, lab = read("837p/ambulance_dme")
    transport = ambulance.ambulance
    assert transport is not None
    assert (transport.weight_unit, transport.patient_weight, transport.reason) == (
        "LB",
        Decimal(180),
        "A",
    )
    assert (transport.distance_unit, transport.distance) == ("DH", Decimal(12))
    assert [(c.category, c.answer, c.codes) for c in ambulance.conditions] == [
        ("07", "Y", ["01", "04"])
    ]
    assert [(p.role, p.city) for p in ambulance.providers] == [
        ("PW", "SPRINGFIELD"),
        ("45", "SPRINGFIELD"),
    ]
    line = equipment.lines[0]
    assert line.equipment is not None and line.equipment_certification is not None
    assert (line.equipment.code, line.equipment.unit, line.equipment.days) == (
        "E0601",
        "DA",
        Decimal(30),
    )
    assert (line.equipment.rental_price, line.equipment.purchase_price) == (
        Decimal(120),
        Decimal(999),
    )
    assert line.equipment.rental_frequency == "4"  # monthly
    certification = line.equipment_certification
    assert (certification.type, certification.unit, certification.months) == (
        "I",
        "MO",
        Decimal(12),
    )
    assert [(c.category, c.codes) for c in line.conditions] == [("09", ["38"])]
    manipulation = chiropractic.spinal_manipulation
    assert manipulation is not None
    assert (manipulation.condition, manipulation.descriptions) == ("A", ["CHRONIC LOW BACK PAIN"])
    assert chiropractic.initial_treatment_date == edi.models.base.Period(start=date(2024, 2, 1))
    line = lab.lines[0]
    assert [(t.reference, t.qualifier, t.value) for t in line.test_results] == [
        ("TR", "R1", Decimal("11.2"))
    ]
    assert [k.text for k in line.file_information] == ["LAB ORDER 8004"]
    assert line.purchased_service is not None
    assert (line.purchased_service.provider_id, line.purchased_service.charge) == (
        "1000000095",
        Decimal(25),
    )
    assert [(p.role, p.npi) for p in line.providers] == [("QB", "1000000095")]
    for claim in (ambulance, equipment, chiropractic, lab):
        for model in (claim, *claim.lines):
            layout = model.__pydantic_private__["_x12"]
            assert layout is None or not layout.unmapped, (claim.id, layout.unmapped)


def test_equipment_with_one_price_still_reads() -> None:
    """SV5 with the rental price only: X12 syntax allows it (R0405), though the guide asks for both
    (and the frequency): it reads and is written back as read, but only without the checks."""
    text = x12("837p/ambulance_dme").read_text().replace("*DA*30*120*999*4~", "*DA*30*120~")
    reader = edi.read_claims(text)
    claims = list(reader)
    assert [str(d) for d in reader.diagnostics] == []
    equipment = claims[1].lines[0].equipment
    assert equipment is not None
    assert (equipment.rental_price, equipment.purchase_price, equipment.rental_frequency) == (
        Decimal(120),
        None,
        None,
    )
    assert edi.write_837(claims, check=False) == text
    with pytest.raises(edi.ClaimCheckError, match="SV5 without SV505"):
        edi.write_837(claims)


def test_replacement_and_void_carry_the_original_icn() -> None:
    replacement, void = read("837p/replacement_void")
    assert (replacement.frequency_code, replacement.payer_claim_control_number) == ("7", "ICN6001")
    assert (void.frequency_code, void.payer_claim_control_number) == ("8", "ICN6002")
    # 837I: the frequency is the type of bill's last digit (x12-notes §4, §6).
    replacement, void = read("837i/replacement_void")
    assert (replacement.bill_type, replacement.payer_claim_control_number) == ("137", "ICN9101")
    assert (void.bill_type, void.payer_claim_control_number) == ("118", "ICN9102")


def test_institutional_inpatient_codes() -> None:
    inpatient, outpatient = read("837i/inpatient")
    assert inpatient.bill_type == "111" and outpatient.bill_type == "131"
    assert (inpatient.admission_type, inpatient.admission_source, inpatient.patient_status) == (
        "1",
        "7",
        "01",
    )
    principal = inpatient.principal_diagnosis
    assert principal is not None and (principal.code, principal.present_on_admission) == (
        "I214",
        "Y",
    )
    admitting = inpatient.admitting_diagnosis
    assert admitting is not None and admitting.code == "R079"
    assert [(c.code, c.present_on_admission) for c in inpatient.other_diagnoses] == [
        ("I10", "Y"),
        ("E785", "N"),
    ]
    (procedure,) = inpatient.procedures
    assert procedure.code == "02703ZZ" and procedure.date is not None
    assert procedure.date.start == date(2024, 2, 2)
    (span,) = inpatient.occurrence_spans
    assert span.date == edi.models.base.Period(start=date(2024, 1, 25), end=date(2024, 1, 28))
    assert [(c.code, c.amount) for c in inpatient.value_codes] == [("80", Decimal(3))]
    assert [c.code for c in inpatient.occurrence_codes] == ["11"]
    assert [c.code for c in inpatient.condition_codes] == ["39"]
    assert inpatient.drg == "282"
    assert (inpatient.discharge_format, inpatient.discharge) == ("TM", "1400")
    assert [line.revenue_code for line in inpatient.lines] == ["0120", "0250", "0300"]
    assert [p.role for p in inpatient.providers] == ["71", "72"]
    assert [c.qualifier for c in outpatient.reasons_for_visit] == ["APR"]
    assert [c.code for c in outpatient.external_causes] == ["W010XXA"]
    # 837I keeps each category in its own HI segment.
    his = [ln for ln in x12("837i/inpatient").read_text().splitlines() if ln.startswith("HI*")]
    assert his[:3] == [
        "HI*ABK:I214:::::::Y~",
        "HI*ABJ:R079~",
        "HI*ABF:I10:::::::Y*ABF:E785:::::::N~",
    ]


def test_institutional_cob_secondary_from_the_primary_835() -> None:
    """fixtures/835/remarks.x12 → the secondary 837I: MIA and MOA remarks carried over."""
    inpatient, outpatient = read("837i/cob_secondary")
    mia = inpatient.prior_payers[0].inpatient
    assert mia is not None and mia.remarks == ["MA01", "N362"]
    moa = outpatient.prior_payers[0].outpatient
    assert moa is not None and moa.remarks == ["MA130", "N122"]
    (adjudication,) = outpatient.lines[0].adjudications
    assert (adjudication.revenue_code, adjudication.paid) == ("0450", Decimal(270))


def test_dental_ortho() -> None:
    (claim,) = read("837d/ortho")
    assert (claim.orthodontic_total_months, claim.orthodontic_remaining_months) == (24, 20)
    assert [(t.tooth, t.status, t.numbering) for t in claim.tooth_status] == [
        ("1", "M", "JP"),
        ("16", "M", "JP"),
    ]
    assert claim.appliance_placement_date is not None
    assert claim.lines[0].dental is not None and claim.lines[0].procedure_code == "D8080"


def test_dental_teeth_surfaces_and_areas() -> None:
    (claim,) = read("837d/restorative")
    first, crown, scaling = claim.lines
    assert [(t.qualifier, t.number, t.surfaces) for t in first.teeth] == [("JP", "30", ["M", "O"])]
    assert first.diagnosis_pointers == [1]
    assert crown.dental is not None and crown.dental.prosthesis == "R"
    assert crown.prior_placement_date is not None
    assert scaling.dental is not None and scaling.dental.oral_cavity_areas == ["10"]


def test_dental_predetermination() -> None:
    (claim,) = read("837d/predetermination")
    assert claim.is_predetermination and claim.submission_reason == "PB"
    assert all(line.service_date is None for line in claim.lines)


def test_dental_cob() -> None:
    (claim,) = read("837d/cob")
    (primary,) = claim.prior_payers
    assert primary.paid == Decimal(160)
    paid = [a.paid for line in claim.lines for a in line.adjudications]
    assert paid == [Decimal(80), Decimal(80)]


# -- which CAS holds each prior payer's adjustment ---------------------------------------------------


def split_cas() -> str:
    """837p/cob_secondary with one group code's triplets over two CAS, where edi packs them in one:
    claim PCN2002's prior payer (2320) CO 45 and CO 253, and claim PCN2001's line 1 (2430) CO 45 as
    two triplets."""
    text = x12("837p/cob_secondary").read_text()
    for old, new in (
        ("CAS*CO*45*10**253*5~\n", "CAS*CO*45*10~\nCAS*CO*253*5~\n"),
        ("CAS*CO*45*50~\n", "CAS*CO*45*20~\nCAS*CO*45*30~\n"),
        ("SE*68*0001~", "SE*70*0001~"),  # two more segments
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_json_of_an_837_that_splits_a_cas_group_writes_it_back(tmp_path: Path) -> None:
    path = tmp_path / "split_cas.x12"
    path.write_text(split_cas())
    result = CliRunner().invoke(main, ["claims", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # Counted in the file: CAS 1, 2 and 3 of the 2320; CAS 1, 2 (CO) and 3 (PR) of the 2430.
    prior = data[1]["prior_payers"][0]["adjustments"]
    assert [(a["group"], a["reason"], a["segment"]) for a in prior] == [
        ("CO", "45", 1),
        ("CO", "253", 2),
        ("PR", "3", 3),
    ]
    line = data[0]["lines"][0]["adjudications"][0]["adjustments"]
    assert [(a["reason"], a["amount"], a["segment"]) for a in line] == [
        ("45", "20", 1),
        ("45", "30", 2),
        ("2", "30", 3),
    ]
    claims = edi.load_claims(data)
    assert edi.write_837(claims, check=False) == path.read_text()
    assert edi.write_837(claims) == path.read_text()
    assert edi.check_claims(claims) == []
    # Without the numbers, as built in code: packed, one CAS per run of one group code.
    for adjustment in [
        *prior_payer(claims[1]).adjustments,
        *line_adjudication(claims[0]).adjustments,
    ]:
        adjustment.segment = None
    packed = x12("837p/cob_secondary").read_text().replace("CAS*CO*45*50~", "CAS*CO*45*20**45*30~")
    assert edi.write_837(claims, check=False) == packed


def prior_payer(claim: edi.Claim) -> edi.PriorPayer:
    return claim.prior_payers[0]


def line_adjudication(claim: edi.Claim) -> edi.LineAdjudication:
    return claim.lines[0].adjudications[0]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (  # claim PCN2002's prior payer: CO 45 and CO 253 in CAS 1, PR 3 in CAS 2
            lambda claims: setattr(prior_payer(claims[1]).adjustments[2], "segment", 1),
            "claim PCN2002: prior payer 1 (2320): adjustments #1 and #3 have segment 1 but another "
            "group: one CAS holds items of one group",
        ),
        (
            lambda claims: prior_payer(claims[1]).adjustments.__setitem__(
                slice(2, 2),
                [
                    prior_payer(claims[1]).adjustments[1].model_copy(update={"amount": Decimal(0)})
                    for _ in range(5)
                ],
            ),
            "claim PCN2002: prior payer 1 (2320): adjustments: 7 have segment 1, more than the 6 "
            "one CAS holds; give the others another number, or None",
        ),
        (
            lambda claims: prior_payer(claims[1]).adjustments.append(
                prior_payer(claims[1]).adjustments.pop(1)
            ),
            "claim PCN2002: prior payer 1 (2320): adjustments #1 and #3 have segment 1 but #2 "
            "between them has not: the items of one CAS are written together, in list order; put "
            "them next to each other",
        ),
        (  # claim PCN2001's line 1: CO 45 in CAS 1, PR 2 in CAS 2
            lambda claims: setattr(line_adjudication(claims[0]).adjustments[1], "segment", 1),
            "claim PCN2001: line 1: adjudication 1 (2430): adjustments #1 and #2 have segment 1 but "
            "another group: one CAS holds items of one group",
        ),
    ],
)
def test_a_cas_number_that_cannot_be_written_is_refused(change: Any, said: str) -> None:
    claims = edi.load_claims(x12("837p/cob_secondary").with_suffix(".json"))
    change(claims)
    # Unchecked, the writer refuses it; checked, the checks do, in the same words.
    with pytest.raises(edi.WriteError, match=f"^{re.escape(said)}$"):
        edi.write_837(claims, check=False)
    with pytest.raises(edi.CheckError) as raised:
        edi.write_837(claims)
    assert said in raised.value.problems
    assert said in edi.check_claims(claims)


@pytest.mark.parametrize("numbered", [True, False], ids=["numbered", "packed"])
@pytest.mark.parametrize("where", ["2320", "2430"])
def test_more_cas_segments_than_the_guide_allows_are_refused(numbered: bool, where: str) -> None:
    """At most 5 CAS in a 2320 or a 2430 (837P map lines 1042 and 1869). Six CAS numbers, or 31
    triplets of one group code (six CAS: a CAS holds six) beside another group's, were written as
    7 CAS without a word, checked or not."""
    claims = edi.load_claims(x12("837p/cob_secondary").with_suffix(".json"))
    if where == "2320":  # PCN2002's prior payer: CO 45 and CO 253 in CAS 1, PR 3 in CAS 2
        model: Any = prior_payer(claims[1])
        name = "claim PCN2002: prior payer 1 (2320)"
    else:  # PCN2001's line 1: CO 45 in CAS 1, PR 2 in CAS 2
        model = line_adjudication(claims[0])
        name = "claim PCN2001: line 1: adjudication 1 (2430)"
    first = model.adjustments[0]
    # Numbered: each triplet its own CAS, seven in all. Packed: 30 more CO triplets, six CO CAS.
    extra = 7 - len(model.adjustments) if numbered else 30
    model.adjustments[1:1] = [first.model_copy(update={"amount": Decimal(0)}) for _ in range(extra)]
    for n, adjustment in enumerate(model.adjustments, 1):
        adjustment.segment = n if numbered else None
    said = f"{name}: its adjustments would be written as 7 CAS segments; the 837P guide allows 5"
    assert said in edi.check_claims(claims)
    with pytest.raises(edi.CheckError) as raised:
        edi.write_837(claims)
    assert said in raised.value.problems
    # Five CAS are fine: two triplets fewer, or eight CO triplets fewer (four CO CAS).
    del model.adjustments[1 : 3 if numbered else 9]
    if numbered:
        for n, adjustment in enumerate(model.adjustments, 1):
            adjustment.segment = n
    assert not [p for p in edi.check_claims(claims) if "CAS segments" in p]
