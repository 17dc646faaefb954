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
    """`problem` None: the claims of `text` pass the checks and are written; `_NOT_READ`: its claim
    is not read, for a loop's first segment missing; else one problem of the checks holds
    `problem`, a checked write_837 refuses and an unchecked one writes `text` back."""
    if problem == _NOT_READ:
        reader = edi.read_claims(text)
        assert list(reader) == []
        assert [d.code for d in reader.diagnostics] == [
            "claim.skipped",
            "structure.missing_segment",
        ]
        return
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
_NOT_READ = "(the claim is not read)"
_SV3 = "SV3*AD:D4341*250**10**1~"


@pytest.mark.parametrize(
    ("fixture", "read", "changed", "problem"),
    [
        # CLM, D 284-312: CLM03, CLM04, CLM10, CLM11-03, CLM13-18 NOT USED; 20 elements
        ("restorative", _CLM, "CLM*PCND002*1680*X**11:B:1*Y*A*Y*Y~", "CLM has CLM03"),
        ("restorative", _CLM, "CLM*PCND002*1680***11:B:1*Y*A*Y*Y**AA:EM::NY:US~", None),
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


def _before(where: str, *segments: str) -> tuple[str, str]:
    """An edit putting `segments` before the text `where` starts."""
    return where, "\n".join((*segments, where))


@pytest.mark.parametrize(
    ("fixture", "edit", "problem"),
    [
        # max_use=1 in their loop: N3, DMG D 215, 226; SBR D 191; PAT D 1155; DN1 D 329;
        # PRV D 51, 487; OI D 627; DTP D 699, 1141; SV3 D 850; AMT D 1145
        ("cob", ("AMT*D*160~\nOI", "AMT*D*160~\nAMT*A8*10~\nOI"), None),  # D 613: A8 once
        ("restorative", _twice("N3*150 MAGNOLIA ST~"), "2 N3 segments in loop 2010BA"),
        ("restorative", _twice("DMG*D8*19700303*M~"), "2 DMG segments in loop 2010BA"),
        ("restorative", _twice("SBR*P*18*GRPD002******CI~"), "2 SBR segments in loop 2000B"),
        ("ortho", _twice("PAT*19~"), "2 PAT segments in loop 2000C"),
        ("ortho", _twice("DN1*24*20~"), "2 DN1 segments in loop 2300"),
        ("ortho", _twice("PRV*PE*PXC*1223X0400X~"), "2 PRV segments in loop 2310B"),
        ("ortho", _twice("PRV*BI*PXC*1223G0001X~"), "2 PRV segments in loop 2000A"),
        ("cob", _twice("OI***Y***Y~"), "2 OI segments in loop 2320"),
        ("cob", _before("REF*F8", *["DTP*573*D8*20240310~"] * 2), "2 DTP segments in loop 2330B"),
        # A second DTP*573 in a 2430 or SV3 in a 2400 is the next loop's, whose SVD or LX is
        # missing: the claim is not read (the reader says so).
        ("cob", _before("AMT*EAF*80~\nSE", "DTP*573*D8*20240310~"), _NOT_READ),
        ("cob", _before("SE*", "AMT*EAF*80~"), "2 AMT segments in loop 2430"),
        ("restorative", _twice("SV3*AD:D4341*250**10**1~"), _NOT_READ),
        # qualified, max_use=1 each: REF*EI D 105, AMT*D D 605, REF*F8 D 728
        ("cob", _twice("REF*EI*345678901~"), "2 REF*EI segments in loop 2010AA"),
        ("cob", _twice("AMT*D*160~"), "2 AMT*D segments in loop 2320"),
        ("cob", _twice("REF*F8*ICND004~"), "2 REF*F8 segments in loop 2330B"),
        # the pay-to address loop, repeat=1 (D 125)
        (
            "ortho",
            (
                "REF*EI*345678901~",
                "REF*EI*345678901~" + "\nNM1*87*2~\nN3*PO BOX 5~\nN4*SPRINGFIELD*IL*62701~" * 2,
            ),
            "2 loops 2010AB in loop 2000A",
        ),
        # the qualifiers the loop lists: AMT01 D/EAF/A8 D 606-614; REF01 D 703-729 (G3 §5);
        # DTP01 573 D 700, 1142; AMT01 EAF D 1146
        ("cob", ("AMT*D*160~", "AMT*ZZ*160~"), "AMT*ZZ is not used in loop 2320"),
        ("cob", ("REF*F8*ICND004~", "REF*G3*P1~\nREF*F8*ICND004~"), None),
        ("cob", ("REF*F8*ICND004~", "REF*ZZ*ICND004~"), "REF*ZZ is not used in loop 2330B"),
        ("cob", _before("REF*F8", "DTP*ZZZ*D8*20240310~"), "DTP*ZZZ (kept"),
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


def _after(where: str, *segments: str) -> tuple[str, str]:
    """An edit putting `segments` after the text `where` (a segment with its terminator)."""
    return where, "\n".join((where, *segments))


_OTHER_PAYER = "REF*F8*ICND004~"  # cob: the last segment of the other payer (2330B)
_RENDERING = "PRV*PE*PXC*1223X0400X~"  # ortho: the rendering provider's PRV (2310B)
_BILLING = "REF*EI*345678901~"  # ortho: the billing provider's last segment (2010AA)
_REFERRING = "NM1*DN*1*REFERRING*DOC****XX*1234567893~"
_PAY_TO_PLAN = ("NM1*PE*2*PAYTO PLAN*****PI*PLAN001~", "N3*9 PLAN WAY~", "N4*SPRINGFIELD*IL*62701~")


@pytest.mark.parametrize(
    ("fixture", "edit", "problem"),
    [
        # the prior payer's providers (2330D-H): NM1 with NM101-102 only (D 753-765 ...), NM102
        # 1 or 2, REF usage=R (D 766 ...) of its qualifiers (0B/1G/G2/LU, D 767), G2/LU twice in
        # 2330F (D 804)
        ("cob", _after(_OTHER_PAYER, "NM1*82*1~", "REF*G2*X1~"), None),
        ("cob", _after(_OTHER_PAYER, "NM1*82*1~"), "no REF"),
        ("cob", _after(_OTHER_PAYER, "NM1*82*1*X~", "REF*G2*X1~"), "NM103"),
        ("cob", _after(_OTHER_PAYER, "NM1*82*Z~", "REF*G2*X1~"), "NM102"),
        (
            "cob",
            _after(_OTHER_PAYER, "NM1*82*1~", "REF*ZZ*X1~"),
            "REF*ZZ is not used in loop 2330D",
        ),
        ("cob", _after(_OTHER_PAYER, "NM1*85*2~", "REF*G2*A~", "REF*LU*B~"), None),
        ("cob", _after(_OTHER_PAYER, "NM1*85*2~", "REF*G2*A~", "REF*LU*B~", "REF*G2*C~"), "3 REF"),
        # the referring provider's PRV (2310A, D 461-467): RF, PXC, PRV04 on not used, once
        ("ortho", _before("NM1*82*", _REFERRING, "PRV*RF*PXC*1223G0001X~"), None),
        ("ortho", _before("NM1*82*", _REFERRING, "PRV*ZZ*PXC*1223G0001X~"), "PRV01"),
        ("ortho", _before("NM1*82*", _REFERRING, "PRV*RF*PXC*1223G0001X*X~"), "PRV has PRV04"),
        (
            "ortho",
            _before("NM1*82*", _REFERRING, "PRV*RF*PXC*1223G0001X~", "PRV*RF*PXC*1223G0001X~"),
            "2 PRV segments in loop 2310A",
        ),
        # the referring, rendering and facility REF01 (D 469, 495, 525), the pay-to plan's
        # (2U/FY/NF, EI: D 176, 181), the pay-to address's NM102 (D 128: 2; P 165: 1, 2)
        ("ortho", _after(_RENDERING, "REF*ZZ*X1~"), "REF*ZZ is not used in loop 2310B"),
        ("ortho", _after(_BILLING, *_PAY_TO_PLAN, "REF*EI*123456789~"), None),
        (
            "ortho",
            _after(_BILLING, *_PAY_TO_PLAN, "REF*ZZ*X~", "REF*EI*123456789~"),
            "REF*ZZ is not used in loop 2010AC",
        ),
        (
            "ortho",
            _after(_BILLING, "NM1*87*Z~", "N3*PO BOX 5~", "N4*SPRINGFIELD*IL*62701~"),
            "NM102",
        ),
        # the service facility's NM1 (D 500): NM110 on not used (as the 837P's, P 923)
        (
            "ortho",
            _after(
                _RENDERING,
                "NM1*77*2*FACILITY*****XX*1234567893*X~",
                "N3*7 CLINIC RD~",
                "N4*SPRINGFIELD*IL*627010007~",
            ),
            "NM1 has NM110",
        ),
        # the submitter's PER05, D 26: EM, EX, FX, TE (the 837P's, line 62: ED too)
        ("ortho", ("*TE*8005550177~", "*TE*8005550177*EX*12~"), None),
        ("ortho", ("*TE*8005550177~", "*TE*8005550177*ZZ*12~"), "PER05"),
        # CUR (2000A, D 58-59): CUR01 85, once
        ("ortho", _after("PRV*BI*PXC*1223G0001X~", "CUR*85*USD~"), None),
        ("ortho", _after("PRV*BI*PXC*1223G0001X~", "CUR*ZZ*USD~"), "CUR*ZZ (kept"),
        (
            "ortho",
            _after("PRV*BI*PXC*1223G0001X~", "CUR*85*USD~", "CUR*85*USD~"),
            "2 CUR segments in loop 2000A",
        ),
        # the payer's N3 (2010BB, D 262): once
        (
            "ortho",
            _after("PI*EXAMPLEDP01~", "N3*1 PAYER PLAZA~", "N3*1 PAYER PLAZA~"),
            "2 N3 segments in loop 2010BB",
        ),
        # CN1 (D 351, 912): CN101 of its list, CN107 on not used, once
        ("restorative", _after(_CLM, "CN1*02*100~"), None),
        ("restorative", _after(_CLM, "CN1*ZZ*100~"), "CN101"),
        ("restorative", _after(_CLM, "CN1*02*100*****X~"), "CN1 has CN107"),
        ("restorative", _after(_CLM, "CN1*02*100~", "CN1*02*100~"), "2 CN1 segments in loop 2300"),
        ("restorative", _before("REF*6R*LD002A~", "CN1*ZZ*100~"), "CN101"),
        # HCP (D 431-446, 975-990): HCP01 of its list, HCP02 usage=R, HCP09 not used, once
        ("restorative", _after("HI*ABK:K0252~", "HCP*00*300~"), None),
        ("restorative", _after("HI*ABK:K0252~", "HCP*ZZ*300~"), "HCP01"),
        ("restorative", _after("HI*ABK:K0252~", "HCP*00~"), "HCP02"),
        ("restorative", _after("HI*ABK:K0252~", "HCP*00*300*******X~"), "HCP has HCP09"),
        (
            "restorative",
            _after("HI*ABK:K0252~", "HCP*00*300~", "HCP*00*300~"),
            "2 HCP segments in loop 2300",
        ),
        ("restorative", _after("REF*6R*LD002A~", "HCP*00~"), "HCP02"),
    ],
)
def test_the_837d_party_provider_and_pricing_segments_keep_to_the_map(
    fixture: str, edit: tuple[str, str], problem: str | None
) -> None:
    """These were kept from the file read and written back by a checked write_837 without a word:
    the 837D rule tables left out the loops and segments whose 837D and 837P map rows differ."""
    text = with_edits((FIXTURES / f"{fixture}.x12").read_text(), edit)
    _checked_as_the_map_says(text, problem)
