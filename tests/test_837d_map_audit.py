"""837D cases of the map-driven audit (no pyx12 map exists for the 837D): a file changed in one place
against `maps/837D.5010.X224.A2.full.txt` ("D" and its line in the comments). Where the map is
broken, the checks say so and a checked write_837 refuses, while an unchecked one writes the claims
back as read; where the map allows the change, the claims pass and are written."""

from __future__ import annotations

from pathlib import Path

import pytest

import edi
from tests.helpers import with_edits

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "837d"


def _checked_as_the_map_says(text: str, problem: str | None) -> None:
    """`problem` None: the claims of `text` pass the checks and are written; else one problem of the
    checks holds `problem`, a checked write_837 refuses and an unchecked one writes `text` back."""
    claims = list(edi.read_claims(text))
    found = edi.check_claims(claims)
    if problem is None:
        assert found == []
        assert edi.write_837(claims) == text
        return
    assert any(problem in p for p in found), found
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)
    assert edi.write_837(claims, check=False) == text


_CLM = "CLM*PCND002*1680***11:B:1*Y*A*Y*Y~"
_SV3 = "SV3*AD:D4341*250**10**1~"


@pytest.mark.parametrize(
    ("fixture", "read", "changed", "problem"),
    [
        # CLM, D 284-312: CLM03, CLM04, CLM10, CLM11-03, CLM13-18 NOT USED; 20 elements
        ("restorative", _CLM, "CLM*PCND002*1680*X**11:B:1*Y*A*Y*Y~", "CLM has CLM03"),
        ("restorative", _CLM, "CLM*PCND002*1680***11:B:1*Y*A*Y*Y**AA:EM:::US~", None),
        ("restorative", _CLM, "CLM*PCND002*1680***11:B:1*Y*A*Y*Y**AA::X~", "CLM has CLM11-03"),
        ("restorative", _CLM, "CLM*PCND002*1680***11:B:1*Y*A*Y*Y*****X~", "CLM has CLM14"),
        ("restorative", _CLM, f"{_CLM[:-1]}{'*' * 12}X~", "CLM has CLM21"),
        ("restorative", _CLM, "CLM*PCND002*1680***11:B:1:X*Y*A*Y*Y~", "CLM has CLM05-04"),
        # DN1, D 329-333: DN103 NOT USED, four elements; DN2, D 334: DN203-205 NOT USED
        ("ortho", "DN1*24*20~", "DN1*24*20**X~", None),
        ("ortho", "DN1*24*20~", "DN1*24*20*1~", "DN1 has DN103"),
        ("ortho", "DN1*24*20~", "DN1*24*20***X~", "DN1 has DN105"),
        ("ortho", "DN2*1*M****JP~", "DN2*1*M*1***JP~", "DN2 has DN203"),
        # SBR, D 191 and 575: SBR05-08 NOT USED, nine elements; OI, D 627: OI04 NOT USED
        ("cob", "SBR*S*18*GRPD004S******CI~", "SBR*S*18*GRPD004S***X***CI~", "SBR has SBR06"),
        ("cob", "SBR*P*18*GRPD004******CI~", "SBR*P*18*GRPD004******CI*X~", "SBR has SBR10"),
        ("cob", "OI***Y***Y~", "OI***Y*X**Y~", "OI has OI04"),
        # PAT, D 1155: PAT02-09 NOT USED
        ("ortho", "PAT*19~", "PAT*19*X~", "PAT has PAT02"),
        # the billing provider's NM1, D 81: NM106, NM110-112 NOT USED
        (
            "ortho",
            "NM1*85*2*EXAMPLE DENTAL*****XX*1000000095~",
            "NM1*85*2*EXAMPLE DENTAL*****XX*1000000095*X~",
            "NM1 has NM110",
        ),
        # SV3, D 850-878: SV301-08, SV307-310 NOT USED; SV304 five areas, SV311 four pointers
        ("restorative", _SV3, "SV3*AD:D4341*250**10:20:30:40:01**1~", None),
        ("restorative", _SV3, "SV3*AD:D4341*250**10:20:30:40:01:X**1~", "SV3 has SV304-06"),
        ("restorative", _SV3, "SV3*AD:D4341:::::X:X*250**10**1~", "SV3 has SV301-08"),
        ("restorative", _SV3, "SV3*AD:D4341*250**10**1*X~", "SV3 has SV307"),
        (
            "restorative",
            "SV3*AD:D2392*230****1*****1~",
            "SV3*AD:D2392*230****1*****1::::X~",
            "SV3 has SV311-05",
        ),
        ("restorative", _SV3, "SV3*AD:D4341*250**10**1******X~", "SV3 has SV312"),
        # TOO, D 879-887: five surfaces, three elements
        ("restorative", "TOO*JP*30*M:O~", "TOO*JP*30*M:O:B:D:L~", None),
        ("restorative", "TOO*JP*30*M:O~", "TOO*JP*30*M:O:B:D:L:F~", "TOO has TOO03-06"),
        ("restorative", "TOO*JP*30*M:O~", "TOO*JP*30*M:O*X~", "TOO has TOO04"),
        # the line's REF*6R, D 941: REF03 NOT USED, REF04 NOT USED (C040 usage=N)
        ("restorative", "REF*6R*LD002A~", "REF*6R*LD002A*X~", "REF has REF03"),
        # SVD, D 1106-1120: SVD03-08 NOT USED, six elements
        (
            "cob",
            "SVD*EXAMPLEDP01*80*AD:D1110**1~",
            "SVD*EXAMPLEDP01*80*AD:D1110:::::X:X**1~",
            "SVD has SVD03-08",
        ),
        (
            "cob",
            "SVD*EXAMPLEDP01*80*AD:D1110**1~",
            "SVD*EXAMPLEDP01*80*AD:D1110**1**X~",
            "SVD has SVD07",
        ),
        # HI, D 409-418: HI01-07, HI01-08 NOT USED; C022 has nine components
        ("restorative", "HI*ABK:K0252~", "HI*ABK:K0252:::::X~", "HI has HI01-07"),
        ("restorative", "HI*ABK:K0252~", "HI*ABK:K0252::::::::X~", "HI has HI01-10"),
    ],
)
def test_an_element_the_837d_map_does_not_use_fails_the_checks(
    fixture: str, read: str, changed: str, problem: str | None
) -> None:
    """Text read in an element or component the 837D map does not use (NOT USED, or past the last)
    was kept and written back by a checked write_837 without a word."""
    text = with_edits((FIXTURES / f"{fixture}.x12").read_text(), (read, changed))
    _checked_as_the_map_says(text, problem)


def _twice(segment: str) -> tuple[str, str]:
    return segment, segment + "\n" + segment


def _before(where: str, segment: str) -> tuple[str, str]:
    """An edit putting `segment` before the text `where` starts."""
    return where, segment + "\n" + where


@pytest.mark.parametrize(
    ("fixture", "edit", "problem"),
    [
        # max_use=1 in their loop: N3, DMG D 215, 226; SBR D 191; PAT D 1155; DN1 D 329;
        # PRV D 51, 487; OI D 627; DTP D 699, 1141; SV3 D 850; AMT D 1145
        ("cob", ("AMT*EAF*80~\nOI", "AMT*EAF*80~\nAMT*A8*10~\nOI"), None),  # D 613: A8 once
        ("restorative", _twice("N3*150 MAGNOLIA ST~"), "2 N3 segments in loop 2010BA"),
        ("restorative", _twice("DMG*D8*19700303*M~"), "2 DMG segments in loop 2010BA"),
        ("restorative", _twice("SBR*P*18*GRPD002******CI~"), "2 SBR segments in loop 2000B"),
        ("ortho", _twice("PAT*19~"), "2 PAT segments in loop 2000C"),
        ("ortho", _twice("DN1*24*20~"), "2 DN1 segments in loop 2300"),
        ("ortho", _twice("PRV*PE*PXC*1223X0400X~"), "2 PRV segments in loop 2310B"),
        ("ortho", _twice("PRV*BI*PXC*1223G0001X~"), "2 PRV segments in loop 2000A"),
        ("cob", _twice("OI***Y***Y~"), "2 OI segments in loop 2320"),
        ("cob", _before("REF*F8", "DTP*573*D8*20240310~"), "2 DTP segments in loop 2330B"),
        ("cob", _before("AMT*EAF*80~\nSE", "DTP*573*D8*20240310~"), "2 DTP segments in loop 2430"),
        ("cob", _before("SE*", "AMT*EAF*80~"), "2 AMT segments in loop 2430"),
        ("restorative", _twice("SV3*AD:D4341*250**10**1~"), "2 SV3 segments in loop 2400"),
        # qualified, max_use=1 each: REF*EI D 105, AMT*D D 605, REF*F8 D 728
        ("cob", _twice("REF*EI*345678901~"), "2 REF*EI segments in loop 2010AA"),
        ("cob", _twice("AMT*D*160~"), "2 AMT*D segments in loop 2320"),
        ("cob", _twice("REF*F8*ICND004~"), "2 REF*F8 segments in loop 2330B"),
        # the qualifiers the loop lists: AMT01 D/EAF/A8 D 606-614; REF01 D 703-729 (G3 §5);
        # DTP01 573 D 700, 1142; AMT01 EAF D 1146
        ("cob", ("AMT*D*160~", "AMT*ZZ*160~"), "AMT*ZZ is not used in loop 2320"),
        ("cob", ("REF*F8*ICND004~", "REF*G3*P1~\nREF*F8*ICND004~"), None),
        ("cob", ("REF*F8*ICND004~", "REF*ZZ*ICND004~"), "REF*ZZ is not used in loop 2330B"),
        ("cob", ("DTP*573*D8*20240310~\nREF", "DTP*ZZZ*D8*20240310~\nREF"), "DTP*ZZZ (kept"),
        ("cob", ("AMT*EAF*80~\nSE", "AMT*ZZ*80~\nSE"), "AMT*ZZ (kept from the file read)"),
    ],
)
def test_a_segment_past_its_max_use_or_with_a_qualifier_the_837d_map_does_not_list_fails(
    fixture: str, edit: tuple[str, str], problem: str | None
) -> None:
    """A second segment a loop has once, or one of a qualifier the loop does not list, was kept
    from the file read and written back by a checked write_837 without a word."""
    text = with_edits((FIXTURES / f"{fixture}.x12").read_text(), edit)
    _checked_as_the_map_says(text, problem)


_PREDETERMINATION = "CLM*PCND003*1100***11:B:1*Y*A*Y*Y**********PB~"


@pytest.mark.parametrize(
    ("fixture", "read", "changed", "problem"),
    [
        # CLM19, D 311: PB (x12-notes §5: a predetermination of benefits)
        ("predetermination", _PREDETERMINATION, _PREDETERMINATION.replace("*PB~", "*ZZ~"), "CLM19"),
        # CLM07, D 294: A, C (the 837P's, line 351: A, B, C)
        ("ortho", "*Y*A*Y*Y~", "*Y*C*Y*Y~", None),
        ("ortho", "*Y*A*Y*Y~", "*Y*Z*Y*Y~", "CLM07"),
        # the submitter's PER03, D 24: EM, FX, TE (the 837P's, line 60: ED too)
        ("ortho", "PER*IC*FRONT DESK*TE*", "PER*IC*FRONT DESK*EM*", None),
        ("ortho", "PER*IC*FRONT DESK*TE*", "PER*IC*FRONT DESK*ZZ*", "PER03"),
        # the prior payer's SBR02, D 577: 01, 18, 19, 20, 21, 39, 40, 53, G8
        ("cob", "SBR*P*18*GRPD004*", "SBR*P*19*GRPD004*", None),
        ("cob", "SBR*P*18*GRPD004*", "SBR*P*ZZ*GRPD004*", "SBR02"),
    ],
)
def test_a_code_the_837d_map_does_not_list_fails_the_checks(
    fixture: str, read: str, changed: str, problem: str | None
) -> None:
    """Any value of these was accepted and written by a checked write_837."""
    text = with_edits((FIXTURES / f"{fixture}.x12").read_text(), (read, changed))
    _checked_as_the_map_says(text, problem)


_SVD = "SVD*EXAMPLEDP01*80*AD:D1110**1~"


@pytest.mark.parametrize(
    ("fixture", "read", "changed", "problem"),
    [
        # the rendering provider's PRV, D 487: usage=R (x12-notes §5: PRV*PE required)
        ("ortho", "PRV*PE*PXC*1223X0400X~\n", "", "no PRV"),
        # SVD, D 1107-1119: SVD03-01, SVD03-02, SVD05 usage=R; SVD03-01 D 1110 (AD, §5: SV301-01)
        ("cob", _SVD, "SVD*EXAMPLEDP01*80*ZZ:D1110**1~", "SVD03-01"),
        ("cob", _SVD, "SVD*EXAMPLEDP01*80*AD**1~", "SVD without SVD03-02"),
        ("cob", _SVD, "SVD*EXAMPLEDP01*80*AD:D1110~", "SVD without SVD05"),
        ("cob", _SVD, "SVD*EXAMPLEDP01*80*AD:D1110**1*1~", None),  # SVD06 usage=S, D 1120
    ],
)
def test_a_segment_or_element_the_837d_map_requires_is_there(
    fixture: str, read: str, changed: str, problem: str | None
) -> None:
    """A claim without them was written by a checked write_837 without a word."""
    text = with_edits((FIXTURES / f"{fixture}.x12").read_text(), (read, changed))
    _checked_as_the_map_says(text, problem)
