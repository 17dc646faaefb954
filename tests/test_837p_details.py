"""The 837P's less common claim and line segments, against the 837P map (`maps/837.5010.X222.A1`):
read into their fields, written back byte for byte, through JSON, built in code, and checked."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import edi
from tests import pyx12_oracle
from tests.helpers import with_edits

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _line_ref04_text() -> str:
    # The lab line of ambulance_dme (PCN8004) with a prior authorization from another payer (2400
    # REF*G1, map lines 1464-1470: REF04-01 2U, REF04-02 its id) and its purchased service provider
    # (2420B) with a secondary id from that payer (lines 1660-1666).
    text = (FIXTURES / "837p/ambulance_dme.x12").read_text()
    return with_edits(
        text,
        ("MEA*TR*R1*11.2~\n", "MEA*TR*R1*11.2~\nREF*G1*AUTH8004**2U:EXAMPLEHP02~\n"),
        (
            "NM1*QB*2******XX*1000000095~\n",
            "NM1*QB*2******XX*1000000095~\nREF*G2*QB8004**2U:EXAMPLEHP02~\n",
        ),
    )


def test_the_other_payer_of_a_line_ref_and_a_line_provider_ref_is_a_field() -> None:
    text = _line_ref04_text()
    assert pyx12_oracle.validation_errors(text) == []
    claims = list(edi.read_claims(text))
    line = claims[3].lines[0]
    (auth,) = line.references
    assert (auth.qualifier, auth.value, auth.other_payer_qualifier, auth.other_payer_id) == (
        "G1",
        "AUTH8004",
        "2U",
        "EXAMPLEHP02",
    )
    (lab_id,) = line.provider("QB").references
    assert (lab_id.qualifier, lab_id.other_payer_qualifier, lab_id.other_payer_id) == (
        "G2",
        "2U",
        "EXAMPLEHP02",
    )
    assert edi.check_claims(claims) == []
    assert edi.write_837(claims) == text
    # Through the JSON of `edi claims --format json`: the other payer is in it, and written again.
    data = [c.model_dump(mode="json", exclude_defaults=True) for c in claims]
    assert data[3]["lines"][0]["references"][0]["other_payer_id"] == "EXAMPLEHP02"
    assert edi.write_837(edi.load_claims(data)) == text


def test_a_line_ref_built_with_another_payer_is_written_in_ref04() -> None:
    (claim,) = [
        c for c in edi.load_claims(FIXTURES / "837p/ambulance_dme.json") if c.id == "PCN8004"
    ]
    line = claim.lines[0]
    line.references = [edi.PayerReference(qualifier="9F", value="REF8004", other_payer_id="PAYERB")]
    line.providers[0].references = [edi.Reference(qualifier="G2", value="QB8004")]  # no REF04
    assert line.references[0].other_payer_qualifier == "2U"  # the only code the map lists
    text = edi.write_837([claim])
    assert "\nREF*9F*REF8004**2U:PAYERB~\n" in text
    assert "\nREF*G2*QB8004~\n" in text
    (back,) = edi.read_claims(text)
    assert back.lines[0].references == line.references
    assert pyx12_oracle.validation_errors(text) == []


def test_ref04_is_refused_where_the_map_does_not_use_it_or_with_another_code() -> None:
    claims = list(edi.read_claims(_line_ref04_text()))
    claim = claims[3]
    line = claim.lines[0]
    line.references[0].other_payer_qualifier = "ZZ"  # REF04-01 takes 2U only (line 1469)
    line.references.append(edi.PayerReference(qualifier="EW", value="MAMMO1", other_payer_id="P"))
    claims[0].providers.append(
        edi.Provider(
            role="DN",
            entity_type="1",
            name="TESTDOCTOR",
            id="1000000020",
            references=[edi.PayerReference(qualifier="G2", value="R1", other_payer_id="P")],
        )
    )
    said = [str(p) for p in edi.check_claims(claims)]
    assert said == [
        # 2310A REF: REF04 not used (map lines 891-896)
        "claim PCN8001: provider DN (2310A): REF has REF04-01 "
        "(references[0].other_payer_qualifier); the 837P guide does not use it",
        "claim PCN8001: provider DN (2310A): REF has REF04-02 "
        "(references[0].other_payer_id); the 837P guide does not use it",
        "claim PCN8004: line 1: REF04-01 (references[0].other_payer_qualifier) is 'ZZ', not one "
        "of 2U (837P)",
        # 2400 REF*EW: REF04 not used (lines 1480-1484)
        "claim PCN8004: line 1: REF has REF04-01 (references[1].other_payer_qualifier); the 837P "
        "guide does not use it",
        "claim PCN8004: line 1: REF has REF04-02 (references[1].other_payer_id); the 837P guide "
        "does not use it",
    ]
    # REF04-02 is required in REF04 (line 1470): a qualifier alone is refused.
    claims = list(edi.read_claims(_line_ref04_text()))
    claims[3].lines[0].references[0].other_payer_id = None
    assert [str(p) for p in edi.check_claims(claims)] == [
        "claim PCN8004: line 1: REF without REF04-02 (references[0].other_payer_id); the 837P guide "
        "requires it"
    ]


def test_hi_segments_read_past_the_maps_max_use_are_refused_when_written_as_read() -> None:
    # The chiropractic claim (PCN8003) with its diagnoses in two HI segments: the 837P has one HI of
    # diagnoses, ABK then up to 11 ABF (map line 588, max use 1); pyx12 says so too.
    text = (FIXTURES / "837p/ambulance_dme.x12").read_text()
    split = with_edits(text, ("HI*ABK:M9903*ABF:M5450~\n", "HI*ABK:M9903~\nHI*ABF:M5450~\n"))
    assert pyx12_oracle.validation_errors(split) != []
    claims = list(edi.read_claims(split))
    assert [c.qualifier for c in claims[2].codes] == ["ABK", "ABF"]
    said = [str(p) for p in edi.check_claims(claims)]
    assert said == [
        "claim PCN8003: the diagnosis codes (ABK/BK/ABF/BF) would be written as 2 HI segments (the "
        "HI segments of the file read, kept; from its JSON they are packed); the guide allows 1"
    ]
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)
    assert edi.write_837(claims, check=False) == split  # unchecked: as read
    # From JSON the codes are packed as the writer packs new claims: the fixture's one HI.
    data = [c.model_dump(mode="json", exclude_defaults=True) for c in claims]
    assert edi.write_837(edi.load_claims(data)) == text


def test_anesthesia_and_condition_hi_segments_read_past_the_maps_max_use_are_refused() -> None:
    # The anesthesia related procedures are one HI (BP in HI01, BO in HI02: map line 709, max
    # use 1); the condition codes up to two HI of 12 (line 740, max use 2).
    text = (FIXTURES / "837p/ambulance_dme.x12").read_text()
    split = with_edits(
        text,
        (
            "HI*ABK:G4733~\n",
            "HI*ABK:G4733~\nHI*BP:0BH17EZ~\nHI*BO:0BH17EZ~\nHI*BG:01~\nHI*BG:02~\nHI*BG:03~\n",
        ),
    )
    claims = list(edi.read_claims(split))
    assert [c.qualifier for c in claims[1].codes] == ["ABK", "BP", "BO", "BG", "BG", "BG"]
    assert [str(p) for p in edi.check_claims(claims)] == [
        "claim PCN8002: the anesthesia related procedure codes (BP/BO) would be written as 2 HI "
        "segments (the HI segments of the file read, kept; from its JSON they are packed); the "
        "guide allows 1",
        "claim PCN8002: the condition codes (BG) would be written as 3 HI segments (the HI segments "
        "of the file read, kept; from its JSON they are packed); the guide allows 2",
    ]
    # Two condition HI segments, as the map allows, are written as read.
    allowed = with_edits(text, ("HI*ABK:G4733~\n", "HI*ABK:G4733~\nHI*BG:01~\nHI*BG:02~\n"))
    claims = list(edi.read_claims(allowed))
    assert edi.check_claims(claims) == []
    assert edi.write_837(claims) == allowed
    assert pyx12_oracle.validation_errors(allowed) == []


def _coded_text() -> str:
    # The lab claim of ambulance_dme (PCN8004) with the 837P's coded elements of SV1 (SV109
    # emergency, SV111 EPSDT, SV112 family planning, SV115 co-pay exempt), a contract (CN1) and a
    # repricing (HCP) on the claim and the line, and a DME form (2440 LQ, FRM).
    text = (FIXTURES / "837p/ambulance_dme.x12").read_text()
    return with_edits(
        text,
        (
            "CLM*PCN8004*25***11:B:1*Y*A*Y*Y~\nHI*ABK:D649~\n",
            "CLM*PCN8004*25***11:B:1*Y*A*Y*Y~\nCN1*02*25~\nHI*ABK:D649~\n"
            "HCP*14*20*5*EXAMPLEREPRICER*********T1*1*2~\n",
        ),
        ("SV1*HC:85018*25*UN*1***1~\n", "SV1*HC:85018*25*UN*1***1**Y**Y*Y***0~\n"),
        ("MEA*TR*R1*11.2~\n", "MEA*TR*R1*11.2~\nCN1*06*25~\n"),
        ("PS1*1000000095*25~\n", "PS1*1000000095*25~\nHCP*06*20*5******HC*85018*UN*1*T2*3*4~\n"),
        (
            "NM1*QB*2******XX*1000000095~\n",
            "NM1*QB*2******XX*1000000095~\nLQ*UT*01.02~\nFRM*1*Y~\nFRM*2**12~\n",
        ),
    )


def test_the_codes_of_sv1_cn1_hcp_lq_and_frm_are_those_the_837p_map_lists() -> None:
    text = _coded_text()
    assert pyx12_oracle.validation_errors(text) == []
    claims = list(edi.read_claims(text))
    assert edi.check_claims(claims) == []
    assert edi.write_837(claims) == text
    claim = claims[3]
    line = claim.lines[0]
    service = line.professional
    assert (service.emergency, service.epsdt, service.family_planning, service.copay_status) == (
        "Y",
        "Y",
        "Y",
        "0",
    )
    service.emergency = "N"  # SV109, SV111, SV112: Y only (map lines 1294-1297)
    service.epsdt = "N"
    service.family_planning = "N"
    service.copay_status = "1"  # SV115: 0 only (line 1300)
    claim.contract.type = "07"  # CN101 (lines 445, 1448)
    line.contract.type = "10"
    claim.repricing.pricing_methodology = "06"  # the claim's HCP01 lacks 06 (line 862)
    claim.repricing.reject_reason = "T7"  # HCP13-15 (lines 874-876)
    claim.repricing.policy_compliance = "6"
    claim.repricing.exception = "7"
    line.repricing.product_qualifier = "AD"  # HCP09, HCP11 (lines 1542, 1544)
    line.repricing.unit = "DA"
    line.forms[0].qualifier = "ZZ"  # LQ01 (line 1899)
    line.forms[0].answers[0].answer = "X"  # FRM02 (line 1903)
    # HCP01-02 required (lines 862-863) go before CN1 the code lists check
    assert [str(p) for p in edi.check_claims(claims)] == [
        "claim PCN8004: HCP01 (repricing.pricing_methodology) is '06', not one of 00, 01, 02, 03, "
        "04, 05, 07, 08, 09, 10, 11, 12, 13, 14 (837P)",
        "claim PCN8004: HCP13 (repricing.reject_reason) is 'T7', not one of T1, T2, T3, T4, T5, T6 "
        "(837P)",
        "claim PCN8004: HCP14 (repricing.policy_compliance) is '6', not one of 1, 2, 3, 4, 5 (837P)",
        "claim PCN8004: HCP15 (repricing.exception) is '7', not one of 1, 2, 3, 4, 5, 6 (837P)",
        "claim PCN8004: CN101 (contract.type) is '07', not one of 01, 02, 03, 04, 05, 06, 09 (837P)",
        "claim PCN8004: line 1: SV109 (professional.emergency) is 'N', not one of Y (837P)",
        "claim PCN8004: line 1: SV111 (professional.epsdt) is 'N', not one of Y (837P)",
        "claim PCN8004: line 1: SV112 (professional.family_planning) is 'N', not one of Y (837P)",
        "claim PCN8004: line 1: SV115 (professional.copay_status) is '1', not one of 0 (837P)",
        "claim PCN8004: line 1: HCP09 (repricing.product_qualifier) is 'AD', not one of ER, HC, IV, "
        "WK (837P)",
        "claim PCN8004: line 1: HCP11 (repricing.unit) is 'DA', not one of MJ, UN (837P)",
        "claim PCN8004: line 1: CN101 (contract.type) is '10', not one of 01, 02, 03, 04, 05, 06, "
        "09 (837P)",
        # The segments the loop requires first (FRM: as 2410's CTP before its LIN).
        "claim PCN8004: line 1: form 1 (2440): FRM02 (answers[0].answer) is 'X', not one of N, W, "
        "Y (837P)",
        "claim PCN8004: line 1: form 1 (2440): LQ01 (qualifier) is 'ZZ', not one of AS, UT (837P)",
    ]


def test_a_form_has_one_to_99_answers() -> None:
    """2440: FRM is usage=R, max_use=99 (837P map line 1901). A form without an answer, or with
    100, was written and read without a word (the specialty tester)."""
    claims = list(edi.read_claims(_coded_text()))
    form = claims[3].lines[0].forms[0]
    answers = list(form.answers)
    form.answers = []
    problems = edi.check_claims(claims)
    assert problems == [
        "claim PCN8004: line 1: form 1 (2440): no FRM (answers); loop 2440 of an 837P claim "
        "requires it"
    ]
    assert problems[0].about is form
    form.answers = [answers[0].model_copy(update={"question": str(k)}) for k in range(1, 100)]
    assert edi.check_claims(claims) == []
    form.answers.append(answers[0].model_copy(update={"question": "100"}))
    assert edi.check_claims(claims) == [
        "claim PCN8004: line 1: form 1 (2440): 100 FRM segments (answers); the 837P guide takes "
        "at most 99"
    ]
    # Read from a file, a form without its FRM is said too.
    text = _coded_text().replace("FRM*1*Y~\nFRM*2**12~\n", "")
    assert edi.check_claims(list(edi.read_claims(text)))[-1].endswith(
        "form 1 (2440): no FRM (answers); loop 2440 of an 837P claim requires it"
    )


def test_a_subscriber_dmg_read_without_its_format_is_not_said_missing() -> None:
    # `DMG*19800101*F` (the D8 left out): the DMG is there, its date and gender gave no value. The
    # problems say what is wrong with it, not also "no DMG ... requires it" (837P map line 273).
    text = with_edits(
        (FIXTURES / "837p/subscriber_is_patient.x12").read_text(),
        ("DMG*D8*19800101*F~", "DMG*19800101*F~"),
    )
    reader = edi.read_claims(text)
    claims = list(reader)
    said = [str(d) for d in reader.diagnostics]
    assert said == [
        "segment 17 DMG (line 19, loop 2010BA subscriber name, element DMG02): DMG02 (1 character) "
        "is not a date CCYYMMDD"
    ]
    problems = [str(p) for p in edi.check_claims(claims[:1])]
    assert problems and not [p for p in problems if "no DMG" in p]
    assert (
        "claim PCN1001: subscriber (2010BA): DMG without DMG03 (gender); the 837P guide "
        "requires it" in problems
    )


def test_an_element_past_the_last_of_an_hl_or_lx_is_said() -> None:
    """`LX*1*X`, `HL*2*1*22*0*X`: the writer makes HL and LX of their values, and the extra element
    was dropped without a word (the differential tester). The claim is still read."""
    text = (FIXTURES / "837p/drug.x12").read_text()
    text = text.replace("LX*1~", "LX*1*X~", 1).replace("HL*2*1*22*0~", "HL*2*1*22*0*X~", 1)
    reader = edi.read_claims(text)
    assert len(list(reader)) == 1
    assert [str(d) for d in reader.diagnostics] == [
        "segment 11 HL (line 13, loop 2000B subscriber, element HL05): HL05 is past the last "
        "element of HL (HL04): X12 has none there, and it is not kept",
        "segment 20 LX (line 22, loop 2400 service line, element LX02): LX02 is past the last "
        "element of LX (LX01): X12 has none there, and it is not kept",
    ]


def test_repriced_approved_units_are_not_negative() -> None:
    """HCP12, the repriced approved service unit count (837P map line 1545), is one of the three
    counts Stedi's "service unit counts" edit names: a negative one was written (the reviewer)."""
    claims = list(edi.read_claims(_coded_text()))
    line = claims[3].lines[0]
    assert line.repricing is not None and line.repricing.quantity == 1
    line.repricing.quantity = Decimal(0)  # nothing approved: no fault of the count's
    assert edi.check_claims(claims) == []
    line.repricing.quantity = Decimal("-2")
    assert edi.check_claims(claims) == [
        "claim PCN8004: line 1: repriced approved unit count -2 (HCP12) is negative"
    ]
