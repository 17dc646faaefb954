"""One-change variants of two synthetic "rich" files (tests/rich: an 837P and an 837I that hold
nearly every segment and loop of their maps, which no fixture holds: CUR, the pay-to plan's REF, CN1,
HCP, QTY, the line AMT, 2420C-H ...), where the checks were silent and pyx12 (the oracle) refuses.
The expected outcome of each comes from the map (`maps/837.5010.X222.A1.full.txt`, 837P, and
`maps/837Q3.I.5010.X223.A1.full.txt`, 837I; lines cited)."""

from __future__ import annotations

from pathlib import Path

import pytest

import edi
from tests import pyx12_oracle
from tests.helpers import with_edits

RICH = Path(__file__).resolve().parent / "rich"


@pytest.mark.parametrize("kind", ["837p", "837i"])
def test_the_rich_files_pass_pyx12_and_the_checks(kind: str) -> None:
    text = (RICH / f"{kind}.x12").read_text()
    reader = edi.read_claims(text)
    claims = list(reader)
    assert reader.diagnostics == [] and pyx12_oracle.errors(text) == []
    pyx12_oracle.checked_as_pyx12_checks(text, None)
    assert len(claims) == 1


def _twice(segment: str) -> tuple[str, str]:
    """The edit that reads the first segment of `segment` (and what follows it there) twice."""
    first = segment.split("\n")[0]
    return segment, f"{first}\n{segment}"


@pytest.mark.parametrize(
    ("kind", "segment", "said"),
    [
        # Each max_use=1 in its loop (837P map lines): a second, kept from the file read, was
        # written back by a checked write_837 (pyx12: 'Segment ... exceeded max count')
        ("837p", "CUR*85*USD~", "2 CUR segments in loop 2000A"),  # line 95
        ("837p", "PAT*****D8*20240301*01*150*Y~", "2 PAT segments in loop 2000B"),  # line 238
        ("837p", "N3*1 PAYER PLAZA~", "2 N3 segments in loop 2010BB"),  # line 319
        ("837p", "N4*SPRINGFIELD*IL*627070000~", "2 N4 segments in loop 2010BB"),  # line 322
        ("837p", "CN1*02*500*5*CONTRACT1*2*V1~", "2 CN1 segments in loop 2300"),  # line 444
        ("837p", "HCP*03*400*100*REPRORG1*********T1*1*1~", "2 HCP segments in loop 2300"),  # 861
        ("837p", "N3*50 BIRCH ST~", "2 N3 segments in loop 2330A"),  # line 1105
        ("837p", "N3*2 PAYER PLAZA~", "2 N3 segments in loop 2330B"),  # line 1135
        ("837p", "CN1*02*300~", "2 CN1 segments in loop 2400"),  # line 1447
        ("837p", "HCP*03*250*50*REPRORG1~", "2 HCP segments in loop 2400"),  # line 1533
        (
            "837p",
            "PRV*PE*PXC*207Q00000X~\nREF*G2*LRENDSEC1~",
            "2 PRV segments in loop 2420A",
        ),  # 1628
        ("837p", "N3*600 ASH ST~", "2 N3 segments in loop 2420C"),  # line 1685
        ("837p", "N4*SPRINGFIELD*IL*627130000~", "2 N4 segments in loop 2420E"),  # line 1749
        # the qualified ones: a second AMT*F5 (line 451), QTY*PT (1424), AMT*T (1511)
        ("837p", "AMT*F5*20~", "2 AMT*F5 segments in loop 2300"),
        ("837p", "QTY*PT*2~", "2 QTY*PT segments in loop 2400"),
        ("837p", "AMT*T*5~", "2 AMT*T segments in loop 2400"),
        # the pay-to plan's REF (lines 212, 217): each once
        ("837p", "REF*EI*987654321~", "2 REF*EI segments in loop 2010AC"),
        # 837I map lines
        ("837i", "CUR*85*USD~", "2 CUR segments in loop 2000A"),  # line 95
        ("837i", "N3*1 PAYER PLAZA~", "2 N3 segments in loop 2010BB"),  # line 294
        ("837i", "CN1*02*5000*5*CONTRACT1*2*V1~", "2 CN1 segments in loop 2300"),  # line 371
        ("837i", "AMT*F3*100~", "2 AMT*F3 segments in loop 2300"),  # line 378
        ("837i", "N3*2 PAYER PLAZA~", "2 N3 segments in loop 2330B"),  # line 1833
        ("837i", "HCP*03*2500*500*REPRORG1~", "2 HCP segments in loop 2400"),  # line 2068
        ("837i", "AMT*GT*5~", "2 AMT*GT segments in loop 2400"),  # line 2057
        ("837i", "REF*2U*PAYTOSEC1~", "2 REF*2U segments in loop 2010AC"),  # line 207
    ],
)
def test_a_segment_read_past_its_max_use_fails_the_checks(
    kind: str, segment: str, said: str
) -> None:
    text = (RICH / f"{kind}.x12").read_text()
    text = with_edits(text, _twice(segment))
    pyx12_oracle.checked_as_pyx12_checks(text, said, "at most 1")


@pytest.mark.parametrize(
    ("kind", "read", "changed", "said"),
    [
        # CUR01 85 (line 95), the claim's AMT01 F5 (451), the line's QTY01 PT/FL (1424, 1429)
        # and AMT01 T/F4 (1511, 1515), the 837I's AMT01 F3 (378) and GT/N8 (2057, 2061)
        ("837p", "CUR*85*USD~", "CUR**USD~", "CUR without CUR01"),
        ("837p", "CUR*85*USD~", "CUR*ZZ*USD~", "CUR*ZZ"),
        ("837p", "AMT*F5*20~", "AMT**20~", "AMT without AMT01"),
        ("837p", "QTY*PT*2~", "QTY**2~", "QTY without QTY01"),
        ("837p", "AMT*F4*3~", "AMT**3~", "AMT without AMT01"),
        ("837i", "CUR*85*USD~", "CUR**USD~", "CUR without CUR01"),
        ("837i", "AMT*F3*100~", "AMT**100~", "AMT without AMT01"),
        ("837i", "AMT*N8*3~", "AMT**3~", "AMT without AMT01"),
        # the pay-to plan's REF01: 2U, FY, NF or EI (837P lines 212, 217; 837I 207, 212)
        ("837p", "REF*2U*PAYTOSEC1~", "REF*ZZ*PAYTOSEC1~", "REF*ZZ is not used in loop 2010AC"),
        ("837i", "REF*2U*PAYTOSEC1~", "REF*ZZ*PAYTOSEC1~", "REF*ZZ is not used in loop 2010AC"),
    ],
)
def test_a_segment_read_with_a_qualifier_its_loop_does_not_list_fails_the_checks(
    kind: str, read: str, changed: str, said: str
) -> None:
    text = with_edits((RICH / f"{kind}.x12").read_text(), (read, changed))
    pyx12_oracle.checked_as_pyx12_checks(text, said)


@pytest.mark.parametrize(
    ("kind", "read", "changed", "said"),
    [
        # Code lists of the 837P map (lines cited) that the checks did not take: any value was
        # written by a checked write_837 (pyx12: 'is not a valid code')
        ("837p", "EX*12*FX*8005550198~", "ZZ*12*FX*8005550198~", "PER05"),  # line 62
        ("837p", "EX*12*FX*8005550198~", "EX*12*ZZ*8005550198~", "PER07"),  # line 64
        (
            "837p",
            "PER*IC*BILLING DESK*TE*8005550199*EX*12~",
            "PER*IC*BILLING DESK*TE*8005550199*ZZ*12~",
            "PER05",
        ),  # 157
        (
            "837p",
            "PER*IC*ORDER DESK*TE*8005550196~",
            "PER*IC*ORDER DESK*TE*8005550196*ZZ*1~",
            "PER05",
        ),  # 1773
        ("837p", "*D8*20240301*01*150*Y~", "*D8*20240301*ZZ*150*Y~", "PAT07"),  # line 245
        ("837p", "*D8*20240301*01*150*Y~", "*D8*20240301*01*150*N~", "PAT09"),  # line 247
        ("837p", "*Y*A*Y*Y*P*AA:OA::IL*", "*Y*A*Y*Y*Z*AA:OA::IL*", "CLM10"),  # line 354
        ("837p", "*Y*A*Y*Y*P*AA:OA::IL*", "*Y*A*Y*Y*P*ZZ:OA::IL*", "CLM11-01"),  # line 356
        ("837p", "*Y*A*Y*Y*P*AA:OA::IL*", "*Y*A*Y*Y*P*AA:ZZ::IL*", "CLM11-02"),  # line 357
        ("837p", "PWK*OZ*BM***AC*DOC9001~", "PWK*OZ*BM***ZZ*DOC9001~", "PWK05"),  # line 439
        ("837p", "PWK*OZ*BM***AC*LINEDOC1~", "PWK*OZ*BM***ZZ*LINEDOC1~", "PWK05"),  # line 1328
        ("837p", "OI***Y*P**Y~", "OI***Y*Z**Y~", "OI04"),  # line 1078
        # the line's dates but DTP*472: D8 only (lines 1388-1422)
        ("837p", "DTP*607*D8*20240305~", "DTP*607*RD8*20240305-20240306~", "DTP02"),
        ("837p", "DTP*011*D8*20240305~", "DTP*011*ZZ*20240305~", "DTP02"),
        # 837I map lines: PER05, PER07 (62-64, 152-154), PWK05 (366, 2033)
        ("837i", "8005550188*EX*12*FX", "8005550188*ZZ*12*FX", "PER05"),
        ("837i", "8005550188*EX*12*FX", "8005550188*EX*12*ZZ", "PER07"),
        ("837i", "8005550188*EX*12~", "8005550188*ZZ*12~", "PER05"),
        ("837i", "***AC*DOC9101~", "***ZZ*DOC9101~", "PWK05"),
        ("837i", "***AC*LINEDOC1~", "***ZZ*LINEDOC1~", "PWK05"),
    ],
)
def test_an_element_read_with_a_code_its_map_does_not_list_fails_the_checks(
    kind: str, read: str, changed: str, said: str
) -> None:
    text = with_edits((RICH / f"{kind}.x12").read_text(), (read, changed))
    pyx12_oracle.checked_as_pyx12_checks(text, f"{said} (", "not one of")


def test_the_patients_pat_and_per_take_their_codes() -> None:
    """837P 2000C PAT07 01, PAT09 Y (map lines 1920, 1922) and the patient's PER01 IC (1971), the
    subscriber (2000B) having PAT in the other rich file."""
    text = with_edits(
        (RICH / "837p.x12").read_text(),
        ("PAT*****D8*20240301*01*150*Y~\n", ""),
        ("HL*2*1*22*0~\nSBR*P*18*", "HL*2*1*22*1~\nSBR*P**"),
        # Nor does a subscriber who is not the patient send N3, N4, DMG (RFIs 2281, 1496).
        ("N3*50 BIRCH ST*APT 2~\nN4*SPRINGFIELD*IL*62701~\nDMG*D8*19900404*F~\n", ""),
        (
            "NM1*PR*2*EXAMPLE HEALTH PLAN*****PI*EXAMPLEHP01~\nN3*1 PAYER PLAZA~\nN4*SPRINGFIELD*IL*627070000~\nREF*2U*PAYERSEC1~\nREF*G2*BILLPRV01~\n",
            "NM1*PR*2*EXAMPLE HEALTH PLAN*****PI*EXAMPLEHP01~\nN3*1 PAYER PLAZA~\nN4*SPRINGFIELD*IL*627070000~\nREF*2U*PAYERSEC1~\nREF*G2*BILLPRV01~\n"
            "HL*3*2*23*0~\nPAT*19****D8*20240301*01*40*Y~\nNM1*QC*1*TESTCHILD*TANGO~\nN3*60 ASPEN ST~\n"
            "N4*SPRINGFIELD*IL*62702~\nDMG*D8*20100315*F~\nPER*IC*TESTCHILD TANGO*TE*8005550101~\n",
        ),
    )
    pyx12_oracle.checked_as_pyx12_checks(text, None)
    for read, changed, said in [
        ("*01*40*Y~", "*ZZ*40*Y~", "PAT07 ("),
        ("*01*40*Y~", "*01*40*N~", "PAT09 ("),
        ("PER*IC*TESTCHILD", "PER*ZZ*TESTCHILD", "PER01 ("),
    ]:
        pyx12_oracle.checked_as_pyx12_checks(with_edits(text, (read, changed)), said, "not one of")


@pytest.mark.parametrize(
    ("kind", "read", "changed", "said"),
    [
        # HCP02, the repriced allowed amount: usage=R (837P lines 863, 1535; 837I 1558, 2070)
        ("837p", "HCP*03*400*100*", "HCP*03**100*", "HCP without HCP02"),
        ("837p", "HCP*03*250*50*REPRORG1~", "HCP*03**50*REPRORG1~", "HCP without HCP02"),
        ("837i", "HCP*03*4000*1000*", "HCP*03**1000*", "HCP without HCP02"),
        ("837i", "HCP*03*2500*500*REPRORG1~", "HCP*03**500*REPRORG1~", "HCP without HCP02"),
        # the prior payer's providers' REF: usage=R (837P lines 1189-1265; 837I 1887-2001)
        (
            "837p",
            "NM1*DN*1~\nREF*G2*OTHREFPRV1~",
            "NM1*DN*1~",
            "loop 2330C of an 837P claim requires",
        ),
        (
            "837p",
            "NM1*85*2~\nREF*G2*OTHBILL1~",
            "NM1*85*2~",
            "loop 2330G of an 837P claim requires",
        ),
        ("837i", "NM1*ZZ*1~\nREF*G2*OTHOOP1~", "NM1*ZZ*1~", "loop 2330E of an 837I claim requires"),
        (
            "837i",
            "NM1*85*2~\nREF*G2*OTHBILL1~",
            "NM1*85*2~",
            "loop 2330I of an 837I claim requires",
        ),
        # a qualified segment kept from the file read with its qualifier alone: AMT02 (837P lines
        # 453, 1513, 1517; 837I 380), QTY02 (837P 1426) usage=R
        ("837p", "AMT*F5*20~", "AMT*F5~", "AMT*F5 without AMT02"),
        ("837p", "AMT*T*5~", "AMT*T~", "AMT*T without AMT02"),
        ("837p", "QTY*FL*3~", "QTY*FL~", "QTY*FL without QTY02"),
        ("837i", "AMT*F3*100~", "AMT*F3~", "AMT*F3 without AMT02"),
        ("837i", "AMT*N8*3~", "AMT*N8~", "AMT*N8 without AMT02"),
        # 837P LQ and FRM: two and five elements (lines 1898, 1901)
        ("837p", "LQ*UT*01.02~", "LQ*UT*01.02*X~", "LQ has LQ03"),
        ("837p", "FRM*1A*Y~", "FRM*1A*Y****X~", "FRM has FRM06"),
    ],
)
def test_a_segment_without_an_element_its_map_requires_or_with_one_past_the_last_fails_the_checks(
    kind: str, read: str, changed: str, said: str
) -> None:
    text = with_edits((RICH / f"{kind}.x12").read_text(), (read, changed))
    pyx12_oracle.checked_as_pyx12_checks(text, said)
