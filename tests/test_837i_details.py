"""The 837I's less common claim and line segments, against the 837I map
(`maps/837Q3.I.5010.X223.A1`): read into their fields, written back byte for byte, and checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import edi
from tests import pyx12_oracle
from tests.helpers import with_edits

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _coded_text(
    clm20: str = "3",
    cn101: str = "02",
    claim_hcp: str = "HCP*02*4500*****4000*0120***DA*3*T1*1*2",
    line_hcp: str = "HCP*02*700*******HC*J1170*UN*10",
    lin02: str = "N4",
    ctp05: str = "ML",
) -> str:
    # The inpatient claim (PCN8001) sent late (CLM20, map line 339), priced under a contract (CN1,
    # line 371) and repriced (HCP, line 1556; HCP08 the approved revenue code, line 1564); its pharmacy line (0250) repriced too (HCP, line 2068)
    # and giving its drug (2410 LIN, CTP: lines 2085, 2117).
    text = (FIXTURES / "837i/inpatient.x12").read_text()
    return with_edits(
        text,
        (
            "CLM*PCN8001*5000***11:A:1**A*Y*Y~",
            f"CLM*PCN8001*5000***11:A:1**A*Y*Y***********{clm20}~",
        ),
        ("CL1*1*7*01~\n", f"CL1*1*7*01~\nCN1*{cn101}*4000~\n"),
        ("HI*DR:282~\n", f"HI*DR:282~\n{claim_hcp}~\n"),
        (
            "SV2*0250**800*UN*10~\n",
            f"SV2*0250**800*UN*10~\n{line_hcp}~\nLIN**{lin02}*00002751001~\nCTP****10*{ctp05}~\n",
        ),
    )


def test_coded_claim_and_line_elements_are_read_written_back_and_pass() -> None:
    text = _coded_text()
    assert pyx12_oracle.validation_errors(text) == []
    claims = list(edi.read_claims(text))
    claim = claims[0]
    assert claim.delay_reason == "3"
    assert claim.contract is not None and claim.contract.type == "02"
    assert claim.repricing is not None
    assert (claim.repricing.pricing_methodology, claim.repricing.unit) == ("02", "DA")
    assert (claim.repricing.group_amount, claim.repricing.revenue_code) == (4000, "0120")
    line = claim.lines[1]
    assert line.repricing is not None and line.repricing.product_qualifier == "HC"
    assert line.drug is not None and (line.drug.qualifier, line.drug.unit) == ("N4", "ML")
    assert edi.check_claims(claims) == []
    assert edi.write_837(claims) == text
    # Through JSON too: each element has a field (HCP08 had none, so JSON lost it).
    dumped = [c.model_dump(mode="json", exclude_defaults=True) for c in claims]  # edi claims' JSON
    loaded = edi.load_claims(json.dumps(dumped))
    assert loaded[0].repricing == claim.repricing
    assert edi.write_837(loaded) == text


def test_hcp08_is_not_used_in_the_837p() -> None:
    # 837P map lines 869 (2300) and 1541 (2400): HCP08 NOT USED.
    claim = edi.load_claims(FIXTURES / "837p/subscriber_is_patient.json")[0]
    claim.repricing = edi.Repricing(pricing_methodology="03", allowed="40", revenue_code="1")
    assert [str(p) for p in edi.check_claims([claim])] == [
        "claim PCN1001: HCP has HCP08 (repricing.revenue_code); the 837P guide does not use it"
    ]


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        # CLM20 [1,10,11,15,2,3,4,5,6,7,8,9] (map line 339): 12 is no delay reason.
        (
            {"clm20": "12"},
            "claim PCN8001: CLM20 (delay_reason) is '12', not one of 1, 2, 3, 4, 5, 6, 7, 8, 9, "
            "10, 11, 15 (837I)",
        ),
        # CN101 [01,02,03,04,05,06,09] (line 372).
        (
            {"cn101": "07"},
            "claim PCN8001: CN101 (contract.type) is '07', not one of 01, 02, 03, 04, 05, 06, 09 "
            "(837I)",
        ),
        # The claim's HCP01 [00-14] (line 1557), HCP11 [DA,UN] (1567), HCP13 [T1-T6] (1569).
        (
            {"claim_hcp": "HCP*15*4500"},
            "claim PCN8001: HCP01 (repricing.pricing_methodology) is '15', not one of 00, 01, 02, "
            "03, 04, 05, 06, 07, 08, 09, 10, 11, 12, 13, 14 (837I)",
        ),
        (
            {"claim_hcp": "HCP*02*4500*********MJ*3"},
            "claim PCN8001: HCP11 (repricing.unit) is 'MJ', not one of DA, UN (837I)",
        ),
        (
            {"claim_hcp": "HCP*02*4500***********T9"},
            "claim PCN8001: HCP13 (repricing.reject_reason) is 'T9', not one of T1, T2, T3, T4, "
            "T5, T6 (837I)",
        ),
        # The line's HCP09 [ER,HC,HP,IV,WK] (line 2077), HCP14 [1-5] (2082).
        (
            {"line_hcp": "HCP*02*700*******N4*J1170"},
            "claim PCN8001: line 2: HCP09 (repricing.product_qualifier) is 'N4', not one of ER, "
            "HC, HP, IV, WK (837I)",
        ),
        (
            {"line_hcp": "HCP*02*700************6"},
            "claim PCN8001: line 2: HCP14 (repricing.policy_compliance) is '6', not one of 1, 2, "
            "3, 4, 5 (837I)",
        ),
        # LIN02 [N4] (line 2087), CTP05-01 [F2,GR,ME,ML,UN] (line 2123).
        (
            {"lin02": "UP"},
            "claim PCN8001: line 2: drug (2410): LIN02 (qualifier) is 'UP', not one of N4 (837I)",
        ),
        (
            {"ctp05": "EA"},
            "claim PCN8001: line 2: drug (2410): CTP05-01 (unit) is 'EA', not one of F2, GR, ME, "
            "ML, UN (837I)",
        ),
    ],
)
def test_coded_claim_and_line_elements_take_the_maps_codes(edit: dict[str, str], said: str) -> None:
    text = _coded_text(**edit)
    assert pyx12_oracle.validation_errors(text) != []
    claims = list(edi.read_claims(text))
    assert [str(p) for p in edi.check_claims(claims)] == [said]
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)
    assert edi.write_837(claims, check=False) == text


@pytest.mark.parametrize(
    ("clm20", "ctp05", "said"),
    [
        ("7", "UN", []),
        # The same CLM20 codes in the 837P map (line 369) and its CTP05-01 (line 1588).
        (
            "12",
            "UN",
            [
                "claim PCN8004: CLM20 (delay_reason) is '12', not one of 1, 2, 3, 4, 5, 6, 7, 8, 9, "
                "10, 11, 15 (837P)"
            ],
        ),
        (
            "7",
            "EA",
            [
                "claim PCN8004: line 1: drug (2410): CTP05-01 (unit) is 'EA', not one of F2, GR, "
                "ME, ML, UN (837P)"
            ],
        ),
    ],
)
def test_the_837p_delay_reason_and_drug_unit_take_the_maps_codes(
    clm20: str, ctp05: str, said: list[str]
) -> None:
    text = with_edits(
        (FIXTURES / "837p/ambulance_dme.x12").read_text(),
        (
            "CLM*PCN8004*25***11:B:1*Y*A*Y*Y~",
            f"CLM*PCN8004*25***11:B:1*Y*A*Y*Y***********{clm20}~",
        ),
        ("PS1*1000000095*25~\n", f"PS1*1000000095*25~\nLIN**N4*00002751001~\nCTP****1*{ctp05}~\n"),
    )
    assert (pyx12_oracle.validation_errors(text) == []) == (not said)
    claims = list(edi.read_claims(text))
    assert [str(p) for p in edi.check_claims(claims)] == said


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        # CL104 not used (map line 360); CN1 has six elements (lines 372-377).
        (("CL1*1*7*01~", "CL1*1*7*01*1~"), "CL1 has CL104"),
        (("CN1*02*4000~", "CN1*02*4000*****X~"), "CN1 has CN107"),
        # LIN: LIN02 and LIN03 only (lines 2086-2116); CTP: CTP04 and CTP05-01 only (2118-2136).
        (("LIN**N4*00002751001~", "LIN*1*N4*00002751001~"), "line 2: drug (2410): LIN has LIN01"),
        (
            ("LIN**N4*00002751001~", "LIN**N4*00002751001*N4*00002751002~"),
            "line 2: drug (2410): LIN has LIN04",
        ),
        (("CTP****10*ML~", "CTP*A***10*ML~"), "line 2: drug (2410): CTP has CTP01"),
        (("CTP****10*ML~", "CTP****10*ML:2~"), "line 2: drug (2410): CTP has CTP05-02"),
        (("CTP****10*ML~", "CTP****10*ML*2~"), "line 2: drug (2410): CTP has CTP06"),
    ],
)
def test_elements_the_837i_map_does_not_use_in_cl1_cn1_lin_and_ctp_are_refused(
    edit: tuple[str, str], said: str
) -> None:
    text = with_edits(_coded_text(), edit)
    assert pyx12_oracle.validation_errors(text) != []
    claims = list(edi.read_claims(text))
    found = [str(p) for p in edi.check_claims(claims)]
    assert found[0].startswith(f"claim PCN8001: {said} (text kept from the file read); the 837I ")
    assert found[0].endswith(" guide does not use it")
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)
    assert edi.write_837(claims, check=False) == text


def test_an_837p_cn1_past_cn106_is_refused() -> None:
    # The 837P CN1 has six elements too, on the claim (map lines 445-450) and the line (1448-1453).
    text = with_edits(
        (FIXTURES / "837p/ambulance_dme.x12").read_text(),
        ("HI*ABK:D649~\n", "CN1*02*25*****X~\nHI*ABK:D649~\n"),
        ("MEA*TR*R1*11.2~\n", "MEA*TR*R1*11.2~\nCN1*06*25*****X~\n"),
    )
    assert pyx12_oracle.validation_errors(text) != []
    claims = list(edi.read_claims(text))
    assert [str(p) for p in edi.check_claims(claims)] == [
        "claim PCN8004: CN1 has CN107 (text kept from the file read); the 837P guide does not use "
        "it",
        "claim PCN8004: line 1: CN1 has CN107 (text kept from the file read); the 837P guide does "
        "not use it",
    ]


def test_a_line_adjudication_requires_its_remittance_date() -> None:
    # 2430 DTP*573 (the date the prior payer paid the line) is usage=R in the 837I map (line 2285),
    # as in the 837P's (line 1889): a line adjudication without it is refused, read or built.
    text = (FIXTURES / "837i/cob_secondary.x12").read_text()
    without = with_edits(text, ("CAS*PR*2*30~\nDTP*573*D8*20240312~\n", "CAS*PR*2*30~\n"))
    assert any("DTP" in e for e in pyx12_oracle.validation_errors(without))
    claims = list(edi.read_claims(without))
    assert claims[1].lines[0].adjudications[0].paid_date is None
    said = [str(p) for p in edi.check_claims(claims)]
    assert said == [
        "claim PCN7002: line 1: adjudication 1 (2430): no DTP (paid_date); loop 2430 of an 837I "
        "claim requires it"
    ]
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)
    assert edi.write_837(claims, check=False) == without
    # The claim as the fixture has it passes; built in code without the date, it is refused too.
    claims = list(edi.read_claims(text))
    assert edi.check_claims(claims) == []
    adjudication = claims[1].lines[0].adjudications[0]
    built = edi.LineAdjudication(**{**dict(adjudication), "paid_date": None})
    claim = claims[1].model_copy(
        update={"lines": [claims[1].lines[0].model_copy(update={"adjudications": [built]})]}
    )
    assert [str(p) for p in edi.check_claims([claim])] == said


@pytest.mark.parametrize(
    ("fmt", "said"),
    [
        ("DT", "admission_format 'DT' is given without the admission it formats"),
        # The date put where its format goes (`DTP*435*19010203`, the D8 left out): not quoted,
        # a date of the patient's stay is PHI.
        ("19010203", "admission_format (a value that is no code) is given without the admission"),
    ],
)
def test_a_date_format_without_its_date_quotes_only_a_code(fmt: str, said: str) -> None:
    claim = edi.load_claims(FIXTURES / "837i/inpatient.json")[0]
    claim = claim.model_copy(update={"admission": None, "admission_format": fmt})
    problems = [str(p) for p in edi.check_claims([claim])]
    assert [p for p in problems if said in p] and not [p for p in problems if "1901" in p]


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        # SV202-01 and SV202-02 are both required when SV202 is written (837I map lines 2012-2013);
        # without SV202 at all (a revenue code alone) neither is.
        ({"qualifier": None}, "line 3: SV2 without SV202-01 (institutional.qualifier)"),
        ({"code": None}, "line 3: SV2 without SV202-02 (institutional.code)"),
        ({"qualifier": None, "code": None}, None),
    ],
)
def test_an_sv2_procedure_needs_its_qualifier_and_code(
    edit: dict[str, None], said: str | None
) -> None:
    claim = json.loads((FIXTURES / "837i/inpatient.json").read_text())[0]
    claim["lines"][2]["institutional"].update(edit)
    problems = [str(p) for p in edi.check_claims(edi.load_claims([claim]))]
    assert problems == ([f"claim PCN8001: {said}; the 837I guide requires it"] if said else [])
