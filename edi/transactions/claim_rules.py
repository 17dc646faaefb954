"""Which qualifiers the guides give the qualified segments of a claim, and how often each may occur.

Write-time rules for `check_claim` (reading stays lenient: files with other segments still load). Each
table lists, per claim kind and loop, the segment definitions of the map in map order as
`"Q1/Q2*N"`: the qualifiers (element 01) one definition takes and its max use (1 when no `*N`). A
segment counts against the first definition that lists its qualifier, as pyx12 places it; a qualifier
no definition lists has no place in the loop. K3 has no qualifier: `"*10"`.

Maps: 837P `maps/837.5010.X222.A1.full.txt`, 837I `maps/837Q3.I.5010.X223.A1.full.txt` (cited by
line); 837D only what `maps/837D.5010.X224.A2.full.txt` and x12-notes §5 agree on (see `_RULES`).
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import Any

from pydantic import BaseModel

from edi.diagnostics import DIAGNOSIS_SHAPE
from edi.models.base import Elem, Seg, SegMap, split_ref
from edi.transactions.common import GUIDES
from edi.x12.segment import Segment

GUIDE_NAMES = {g.kind: g.name for g in GUIDES if g.transaction_type == "837"}  # 837P, 837I, 837D

# PWK01 report type codes: the same 61 in both maps (837P lines 434 and 1323, 837I 361 and 2028).
_PWK = (
    "03/04/05/06/07/08/09/10/11/13/15/21/A3/A4/AM/AS/B2/B3/B4/BR/BS/BT/CB/CK/CT/D2/DA/DB/DG/DJ/DS/EB/"
    "HC/HR/I5/IR/LA/M1/MT/NN/OB/OC/OD/OE/OX/OZ/P4/P5/PE/PN/PO/PQ/PY/PZ/RB/RR/RT/RX/SG/V5/XP*10"
)

# The segments checked in 837P and 837I loops 2300 and 2400; the other loops (837D, 2010xx) check
# only the ones they list.
QUALIFIED_SEGMENTS = frozenset({"AMT", "CRC", "DTP", "K3", "MEA", "NTE", "PWK", "QTY", "REF"})

# kind → loop → segment → its definitions. A checked segment the loop does not list is not used there;
# a loop not listed is not checked.
_RULES: dict[str, dict[str, dict[str, str]]] = {
    "professional": {
        "2010AA": {"REF": "EI/SY 0B/1G*2"},  # lines 142, 147
        "2010AC": {"REF": "2U/FY/NF EI"},  # lines 212, 217
        "2010BA": {"REF": "SY Y4"},  # lines 285, 290
        "2010BB": {"REF": "2U/EI/FY/NF*3 G2/LU*2"},  # lines 330, 335
        "2010CA": {"REF": "Y4 1W/SY"},  # lines 1960, 1965
        # The prior payer (AMT, lines 1062-1070; its REF in 2330A/B, lines 1116-1170) and the
        # providers' REF (lines cited); the ambulance locations (2310E/F, 2420G/H) have none.
        "2320": {"AMT": "D A8 EAF"},
        "2330A": {"REF": "SY"},
        "2330B": {"REF": "2U/EI/FY/NF*2 G1 9F T4 F8"},
        "2310A": {"REF": "0B/1G/G2*3"},  # line 891
        "2310B": {"REF": "0B/1G/G2/LU*4"},  # line 917
        "2310C": {"REF": "0B/G2/LU*3"},  # line 947
        "2310D": {"REF": "0B/1G/G2/LU*4"},  # line 976
        "2310E": {"REF": ""},
        "2310F": {"REF": ""},
        "2330C": {"REF": "0B/1G/G2*3"},  # line 1189
        "2330D": {"REF": "0B/1G/G2/LU*3"},  # line 1208
        "2330E": {"REF": "0B/G2/LU*3"},  # line 1227
        "2330F": {"REF": "0B/1G/G2/LU*3"},  # line 1246
        "2330G": {"REF": "G2/LU*2"},  # line 1265
        "2420A": {"REF": "0B/1G/G2/LU*20"},  # line 1635
        "2420B": {"REF": "0B/1G/G2*20"},  # line 1660
        "2420C": {"REF": "G2/LU*3"},  # line 1696
        "2420D": {"REF": "0B/1G/G2/LU*20"},  # line 1721
        "2420E": {"REF": "0B/1G/G2*20"},  # line 1757
        "2420F": {"REF": "0B/1G/G2*20"},  # line 1792
        "2420G": {"REF": ""},
        "2420H": {"REF": ""},
        "2300": {
            # lines 370-430: one each, except 090/091 (assumed and relinquished care) twice
            "DTP": "431 454 304 453 439 484 455 471 314/360/361 297 296 435 096 090/091*2 444 050",
            "PWK": _PWK,  # line 434
            "AMT": "F5",  # line 451
            "REF": "4N F5 EW 9F G1 F8 X4 9A 9C LX D9 EA P4 1J",  # lines 455-520
            "K3": "*10",  # line 525
            "NTE": "ADD/CER/DCP/DGN/TPO",  # line 529: one note whatever its qualifier
            "CRC": "07*3 E1/E2/E3*3 75 ZZ",  # lines 556-580
        },
        "2400": {
            "PWK": f"{_PWK} CT",  # lines 1323, 1333
            "CRC": "07*3 70 09",  # lines 1360-1376
            "DTP": "472 471 607 463 461 304 738/739*2 011 455 454",  # lines 1384-1420
            "QTY": "PT FL",  # lines 1424, 1429
            "MEA": "OG/TR*5",  # line 1434
            "REF": "9B 9D G1*5 6R EW X4 F4 BT 9F*5",  # lines 1454-1500
            "AMT": "T F4",  # lines 1511, 1515
            "K3": "*10",  # line 1519
            "NTE": "ADD/DCP TPO",  # lines 1523, 1526
        },
    },
    "institutional": {
        "2010AA": {"REF": "EI"},  # line 142: no SY, no 0B/1G
        "2010AC": {"REF": "2U/FY/NF EI"},  # lines 207, 212
        "2010BA": {"REF": "SY Y4"},  # lines 270, 275
        "2010BB": {"REF": "2U/EI/FY/NF*3 G2/LU"},  # lines 305, 310
        "2010CA": {"REF": "Y4 1W/SY"},  # lines 2346, 2351
        "2320": {"AMT": "D EAF A8"},  # lines 1735-1743
        "2330A": {"REF": "SY*2"},  # line 1814
        "2330B": {"REF": "2U/EI/FY/NF*2 G1 9F T4 F8"},  # lines 1848-1868
        "2310A": {"REF": "0B/1G/G2/LU*4"},  # line 1593
        "2310B": {"REF": "0B/1G/G2/LU*4"},  # line 1612
        "2310C": {"REF": "0B/1G/G2/LU*4"},  # line 1631
        "2310D": {"REF": "0B/1G/G2/LU*4"},  # line 1650
        "2310E": {"REF": "0B/G2/LU*3"},  # line 1680
        "2310F": {"REF": "0B/1G/G2*3"},  # line 1699
        "2330C": {"REF": "0B/1G/G2/LU*4"},  # line 1887
        "2330D": {"REF": "0B/1G/G2/LU*4"},  # line 1906
        "2330E": {"REF": "0B/1G/G2/LU*4"},  # line 1925
        "2330F": {"REF": "0B/G2/LU*3"},  # line 1944
        "2330G": {"REF": "0B/1G/G2/LU*4"},  # line 1963
        "2330H": {"REF": "0B/1G/G2*3"},  # line 1982
        "2330I": {"REF": "G2/LU*2"},  # line 2001
        "2420A": {"REF": "0B/1G/G2/LU*20"},  # line 2163
        "2420B": {"REF": "0B/1G/G2/LU*20"},  # line 2188
        "2420C": {"REF": "0B/1G/G2/LU*20"},  # line 2213
        "2420D": {"REF": "0B/1G/G2*20"},  # line 2238
        "2300": {
            "DTP": "096 434 435 050",  # lines 340-352
            "PWK": _PWK,  # line 361
            "AMT": "F3",  # line 378
            "REF": "4N 9F G1 F8 9A 9C LX*5 D9 LU EA P4 G4",  # lines 382-437
            "K3": "*10",  # line 442
            # lines 446, 449
            "NTE": "ALG/DCP/DGN/DME/MED/NTR/ODT/RHB/RLH/RNH/SET/SFM/SPT/UPI*10 ADD",
            "CRC": "ZZ",  # line 452
        },
        "2400": {  # no CRC, QTY, MEA or K3 in an 837I line
            "PWK": _PWK,  # line 2028
            "DTP": "472",  # line 2038
            "REF": "6R 9B 9D",  # lines 2042-2052
            "AMT": "GT N8",  # lines 2057, 2061
            "NTE": "TPO",  # line 2065
        },
    },
    # 837D: only where the TigerShark map (lines cited) and x12-notes §5 agree, or §5 corrects it: the
    # date qualifiers, the line REF qualifiers and the counts. Not its PWK01 and NTE01 codes, or the
    # party loops but those the 837P's agree with. The claim REF and the line AMT, where the two
    # differ (P4 or G3; T or GT, unverified), take what either lists: a code in neither (REF*EA,
    # the medical record number of the 837P and 837I; AMT*ZZ) is refused.
    "dental": {
        # The billing provider's REF, the prior payer's AMT and its payer's REF, as the 837P's, and
        # the other payer's predetermination (REF*G3, §5); lines 105-110, 605-613, 703-728
        "2010AA": {"REF": "EI/SY 0B/1G*2"},
        "2320": {"AMT": "D A8 EAF"},
        "2330B": {"REF": "2U/EI/FY/NF*3 G1 9F T4 G3 F8"},
        # The party and provider REFs (lines 175-180, 238-243, 273-278, 468, 494, 524, 569, 669,
        # 747-842), G2/LU in 2010BB twice as in the 837P's (837D map: once)
        "2010AC": {"REF": "2U/FY/NF EI"},
        "2010BA": {"REF": "SY Y4"},
        "2010BB": {"REF": "2U/EI/FY/NF*3 G2/LU*2"},
        "2310A": {"REF": "0B/1G/G2*3"},
        "2310B": {"REF": "0B/1G/G2/LU*4"},
        "2310C": {"REF": "0B/1G/G2/LU*3"},
        "2310E": {"REF": "0B/G2/LU*4"},
        "2330A": {"REF": "SY*2"},
        "2330C": {"REF": "0B/1G/G2/LU*3"},
        "2330D": {"REF": "0B/1G/G2/LU*3"},
        "2330E": {"REF": "0B/1G/G2/LU*3"},
        "2330F": {"REF": "G2/LU*2"},
        "2330G": {"REF": "0B/G2/LU*3"},
        "2330H": {"REF": "0B/1G/G2*3"},
        "2300": {
            "DTP": "439 452 472 050",  # lines 313-325
            "PWK": "*10",  # line 341
            "AMT": "F5",  # line 358 says F3; §5: F5
            "REF": "P4 G3 4N F8 9F G1 9A 9C D9",  # lines 362-397; §5 (G3 where the map has P4)
            "K3": "*10",  # line 402
            "NTE": "*5",  # line 406
        },
        "2400": {
            "DTP": "472 441 452 446 196 198",  # lines 888-908 (all 472 there; §5 corrects them)
            "REF": "G3*5 G1*5 6R 9B 9D 9F*5",  # lines 919-956
            "AMT": "T/GT",  # sales tax: GT in the map (line 4750), T in §5
            "K3": "*10",  # line 971
        },
    },
}


@dataclass(frozen=True, slots=True)
class _Use:
    """One segment definition of a map: the qualifiers it takes (None: any) and its max use."""

    qualifiers: frozenset[str] | None
    max_use: int


@cache
def _uses(kind: str, loop: str, seg_id: str) -> tuple[_Use, ...] | None:
    """The definitions of a segment in a loop; () when the loop has none; None when not checked."""
    loop_rules = _RULES.get(kind, {}).get(loop)
    if loop_rules is None or seg_id not in QUALIFIED_SEGMENTS:
        return None
    spec = loop_rules.get(seg_id)
    if spec is None:
        # Complete tables: 837P and 837I loops 2300 and 2400; the others list only what they check.
        return () if kind != "dental" and loop in ("2300", "2400") else None
    out = []
    for part in spec.split():  # "" (the ambulance locations' REF): the loop has none
        quals, _, count = part.partition("*")
        out.append(_Use(frozenset(quals.split("/")) if quals else None, int(count or 1)))
    return tuple(out)


def says_unused(kind: str, loop: str, seg_id: str) -> bool:
    """Whether `segment_problems` says that the loop has no `seg_id` at all (K3 in an 837I line)."""
    return _uses(kind, loop, seg_id) == ()


def takes_qualifier(kind: str, loop: str, seg_id: str, qualifier: str) -> bool:
    """Whether the guide has a `seg_id` with this qualifier in the loop (True where not checked):
    one it has not, `segment_problems` says."""
    uses = _uses(kind, loop, seg_id)
    return uses is None or any(u.qualifiers is None or qualifier in u.qualifiers for u in uses)


# Segments kept from the file read as they were (no field of the model took them: a qualifier it has
# no field for, or none) that the loop has only with these qualifiers (element 01): one with another
# or none is not a segment of the loop (pyx12: 'Segment ... not found'). Per claim kind, the loop the
# model is checked in, then the segment: its qualifiers, and the loop it is in when another (the
# billing provider's kept 2000A segments are checked in its name loop, 2010AA, which has no PRV).
_KEPT_QUALIFIERS: dict[str, dict[str, dict[str, str]]] = {
    "professional": {
        "2010AA": {"PRV": "BI 2000A", "CUR": "85 2000A"},  # lines 88, 95
        "2300": {"AMT": "F5"},  # line 451
        "2400": {"AMT": "T/F4", "QTY": "PT/FL"},  # lines 1511, 1515, 1424, 1429
        "2320": {"AMT": "D/A8/EAF"},  # lines 1062-1070
        "2330B": {"DTP": "573"},  # line 1146
        "2410": {"REF": "VY/XZ"},  # line 1609
        "2430": {"DTP": "573", "AMT": "EAF"},  # lines 1889, 1893
    },
    "institutional": {
        "2010AA": {"PRV": "BI 2000A", "CUR": "85 2000A"},  # lines 88, 95
        "2300": {"AMT": "F3"},  # line 378
        "2400": {"AMT": "GT/N8"},  # lines 2057, 2061
        "2320": {"AMT": "D/EAF/A8"},  # lines 1735-1743
        "2330B": {"DTP": "573"},  # line 1844
        "2410": {"REF": "VY/XZ"},  # line 2144
        "2430": {"DTP": "573", "AMT": "EAF"},  # lines 2285, 2289
    },
    # 837D: the qualifiers its map and the 837P's agree on (D: the 837D map's lines)
    "dental": {
        "2010AA": {"PRV": "BI 2000A", "CUR": "85 2000A"},  # D 51, 58; P 88, 95
        "2320": {"AMT": "D/A8/EAF"},  # D 605-613; P 1062-1070
        "2330B": {"DTP": "573"},  # D 699; P 1146
        "2430": {"DTP": "573", "AMT": "EAF"},  # D 1141, 1145; P 1889, 1893
    },
}


# Segments a loop has once at most (max_use=1, their only definition in the loop), and child loops
# (repeat=1, by loop ID), per claim kind and the loop the model is checked in, as in
# `_KEPT_QUALIFIERS` ("SBR@2000B": the loop the segment is in when another). The reader keeps one its model has no room for as read (a second N3): with the one
# the model writes, it is one too many (pyx12: 'Segment ... exceeded max count').
_ONCE: dict[str, dict[str, str]] = {
    "professional": {
        # lines 131, 134, 88, 95; loops 2010AB, 2010AC repeat=1, lines 162, 187
        "2010AA": "N3 N4 PRV@2000A CUR@2000A 2010AB@2000A 2010AC@2000A",
        "2010AB": "N3 N4",  # lines 176, 179
        "2010AC": "N3 N4",  # lines 201, 204
        "2010BA": "N3 N4 DMG SBR@2000B PAT@2000B",  # lines 262, 265, 273, 228, 238
        "2010BB": "N3 N4",  # lines 319, 322
        "2010CA": "N3 N4 DMG PAT@2000C",  # lines 1937, 1940, 1948, 1913
        "2300": "CR1 CR2 CN1 HCP",  # lines 532, 543, 444, 861
        "2310B": "PRV",  # line 910
        "2310C": "N3 N4",  # lines 936, 939
        "2310E": "N3 N4",  # lines 995, 998
        "2310F": "N3 N4",  # lines 1020, 1023
        "2320": "OI MOA",  # lines 1074, 1081
        "2330A": "N3 N4",  # lines 1105, 1108
        "2330B": "N3 N4 DTP",  # lines 1135, 1138, 1146
        # lines 1273, 1307, 1343, 1354, 1447, 1529, 1533; loop 2410 repeat=1, 1549
        "2400": "SV1 SV5 CR1 CR3 CN1 PS1 HCP 2410",
        "2410": "LIN CTP REF",  # lines 1550, 1582, 1609
        "2420A": "PRV",  # line 1628
        "2420C": "N3 N4",  # lines 1685, 1688
        "2420E": "N3 N4",  # lines 1746, 1749
        "2420G": "N3 N4",  # lines 1817, 1820
        "2420H": "N3 N4",  # lines 1842, 1845
        "2430": "DTP AMT",  # lines 1889, 1893
    },
    "institutional": {
        # lines 131, 134, 88, 95; loops 2010AB, 2010AC repeat=1, lines 157, 182
        "2010AA": "N3 N4 PRV@2000A CUR@2000A 2010AB@2000A 2010AC@2000A",
        "2010AB": "N3 N4",  # lines 171, 174
        "2010AC": "N3 N4",  # lines 196, 199
        "2010BA": "N3 N4 DMG SBR@2000B",  # lines 247, 250, 258, 223
        "2010BB": "N3 N4",  # lines 294, 297
        "2010CA": "N3 N4 DMG PAT@2000C",  # lines 2323, 2326, 2334, 2299
        "2300": "CL1 CN1 HCP",  # lines 356, 371, 1556
        "2310A": "PRV",  # line 1586
        "2310E": "N3 N4",  # lines 1669, 1672
        "2320": "OI MIA MOA",  # lines 1747, 1754, 1779
        "2330A": "N3 N4",  # lines 1803, 1806
        "2330B": "N3 N4 DTP",  # lines 1833, 1836, 1844
        "2400": "SV2 HCP 2410",  # lines 2009, 2068; loop 2410 repeat=1, line 2084
        "2410": "LIN CTP REF",  # lines 2085, 2117, 2144
        "2430": "DTP AMT",  # lines 2285, 2289
    },
    # 837D (the 837D map's lines): as the 837P, and its own DN1 and SV3
    "dental": {
        # D 94, 97, 51, 58; loops 2010AB, 2010AC repeat=1, D 125, 150
        "2010AA": "N3 N4 PRV@2000A CUR@2000A 2010AB@2000A 2010AC@2000A",
        "2010AB": "N3 N4",  # D 139, 142
        "2010AC": "N3 N4",  # D 164, 167
        "2010BA": "N3 N4 DMG SBR@2000B",  # D 215, 218, 226, 191
        "2010CA": "N3 N4 DMG PAT@2000C",  # D 1179, 1182, 1190, 1155
        "2010BB": "N3 N4",  # D 262, 265
        "2300": "DN1 CN1 HCP",  # D 329, 351, 431
        "2310A": "PRV",  # D 461
        "2310B": "PRV",  # D 487
        "2310C": "N3 N4",  # D 513, 516
        "2320": "OI MOA",  # D 627, 634
        "2330A": "N3 N4",  # D 658, 661
        "2330B": "N3 N4 DTP",  # D 688, 691, 699
        "2400": "SV3 CN1 HCP",  # D 850, 912, 975
        "2430": "DTP AMT",  # D 1141, 1145
    },
}


@cache
def kept_once(kind: str, loop: str) -> dict[str, str]:
    """The segments `loop` (the loop a model is checked in) has once at most: segment ID → the loop
    it is in."""
    out = {}
    for part in _ONCE.get(kind, {}).get(loop, "").split():
        seg_id, _, in_loop = part.partition("@")
        out[seg_id] = in_loop or loop
    return out


def kept_qualifier_problem(kind: str, loop: str, seg_id: str, qualifier: str) -> str | None:
    """What is wrong with a segment kept from the file read in `loop` whose element 01 the loop's
    definitions of it do not list (None: nothing, or not checked)."""
    spec = _KEPT_QUALIFIERS.get(kind, {}).get(loop, {}).get(seg_id)
    if spec is None:
        return None
    takes, _, in_loop = spec.partition(" ")
    if qualifier in takes.split("/"):
        return None
    if not qualifier:
        shown = f"{seg_id} without {seg_id}01"
    elif is_code(qualifier):
        shown = f"{seg_id}*{qualifier}"
    else:
        shown = f"a {seg_id} with a {seg_id}01 that is no code"
    return (
        f"{shown} (kept from the file read) is not used in loop {in_loop or loop} of an "
        f"{GUIDE_NAMES[kind]} "
        f"claim (its {seg_id}01 takes {takes.replace('/', ', ')})"
    )


def _qualifier_field(model_type: type[BaseModel]) -> str | None:
    """The field a segment model maps element 01 to (Reference.qualifier, Attachment.report_type)."""
    for name, finfo in model_type.model_fields.items():
        if any(isinstance(m, Elem) and split_ref(m.ref)[1:] == (1, 0) for m in finfo.metadata):
            return name
    return None


def _item_type(annotation: Any) -> type[BaseModel] | None:
    """The segment model of `list[Note]`, `Contract | None` or `Note`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _item_type(arg)
        if found is not None:
            return found
    return None


@cache
def _plan(model_type: type[BaseModel]) -> dict[str, list[tuple[str, str, str | None]]]:
    """Per segment ID, how the model's own fields make such segments: (how, field, qualifier)."""
    plan: dict[str, list[tuple[str, str, str | None]]] = {}
    for name, finfo in model_type.model_fields.items():
        for marker in finfo.metadata:
            if isinstance(marker, Elem) and marker.quals:
                seg_id, element, _ = split_ref(marker.ref)
                if len(marker.quals) == 1:  # REF02 qual F8: one REF*F8 with its siblings
                    plan.setdefault(seg_id, []).append(("fixed", name, marker.quals[0]))
                elif element == marker.qual_at:  # REF01 qual (EI, SY): its value is the qualifier
                    plan.setdefault(seg_id, []).append(("value", name, None))
            elif isinstance(marker, Seg):
                item = _item_type(finfo.annotation)
                field = _qualifier_field(item) if item is not None else None
                plan.setdefault(marker.seg_id, []).append(("items", name, field))
            elif isinstance(marker, SegMap):
                plan.setdefault(marker.seg_id, []).append(("keys", name, None))
    return plan


def _qualifiers(entries: Iterable[tuple[str, str, str | None]], values: Iterable[Any]) -> list[Any]:
    """The element 01 of each segment that fields with these `_plan` entries and values write."""
    out: list[Any] = []
    fixed: set[str] = set()
    for (how, _, extra), value in zip(entries, values, strict=True):
        if not value and (value is None or value == [] or value == {}):  # `not` first: faster
            continue
        if how == "fixed":
            if extra not in fixed:  # DTP02 and DTP03 qual 435: one segment
                fixed.add(extra)  # type: ignore[arg-type]
                out.append(extra)
        elif how == "value":
            out.append(value)
        elif how == "keys":
            out.extend(value)
        else:
            items = value if isinstance(value, list) else [value]
            out.extend(getattr(item, extra) if extra else None for item in items)
    return out


def fields_getter(names: list[str] | tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The values of these fields of a model as one tuple, in one call (`attrgetter` gives a lone
    field's value bare)."""
    if not names:
        return lambda model: ()
    if len(names) == 1:
        name = names[0]
        return lambda model: (getattr(model, name),)
    return attrgetter(*names)


_NEVER = object()  # the "unset" value of a field without a default: no value is it


def written_spans(
    spans: Iterable[tuple[int, int]], unset: tuple[Any, ...], always: Collection[int] = ()
) -> Callable[[tuple[Any, ...]], list[int]]:
    """A test, generated once per loop and model type, of which spans `[start:end]` of a tuple of
    values are not all unset: those where `not any(v[start:end]) and v[start:end] ==
    unset[start:end]` is False, by their place in `spans`, in order; and the spans `always` too.
    A loop's model writes a few of its segment IDs; this finds them in one call, where testing
    every span (a slice, `any`, a comparison of tuples) cost most of the time of the checks of a
    model that has nothing wrong. Each position is tested as those do: an unset None is the value
    None (no model, text or number equals None), another unset value (`[]`, `{}`, `_NEVER`: a
    field without a default, which no value equals) a falsy value equal to it. An empty span is
    unset. A span in `always` is in the list whatever its values."""
    tests = []
    for n, (start, end) in enumerate(spans):
        terms = [
            f"v[{i}] is None" if unset[i] is None else f"(not v[{i}] and v[{i}] == u[{i}])"
            for i in range(start, end)
        ]
        if n in always:
            tests.append(f"    out.append({n})")
        elif terms:
            tests.append(f"    if not ({' and '.join(terms)}):\n        out.append({n})")
    source = "def written(v):\n    out = []\n" + "\n".join(tests) + "\n    return out\n"
    namespace: dict[str, Any] = {"u": unset}
    exec(source, namespace)  # noqa: S102
    return namespace["written"]  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class _Check:
    """One segment ID a loop's model writes and the loop's definitions of it, compiled once."""

    seg_id: str
    entries: tuple[tuple[str, str, str | None], ...]  # `_plan`'s, in field order
    start: int  # where their fields' values are in the loop's (`_LoopChecks.get`)
    end: int
    unset: tuple[Any, ...]  # those values when no field is set (the fields' defaults)
    uses: tuple[_Use, ...]
    use_of: dict[Any, int]  # qualifier → the first definition that takes it (its place in uses)
    wildcard: int | None  # the first definition that takes any qualifier (K3)
    takes: str  # the qualifiers the definitions list, for messages


@dataclass(frozen=True, slots=True)
class _LoopChecks:
    """The checks of one loop's model, and the values of all their fields in one call."""

    get: Callable[[Any], tuple[Any, ...]]
    unset: tuple[Any, ...]
    checks: tuple[_Check, ...]
    written: Callable[
        [tuple[Any, ...]], list[int]
    ]  # the checks whose fields write (`written_spans`)


@cache
def _checks(kind: str, loop: str, model_type: type[BaseModel]) -> _LoopChecks:
    checks = []
    names: list[str] = []
    for seg_id, entries in _plan(model_type).items():
        uses = _uses(kind, loop, seg_id)
        if uses is None:
            continue
        defaults = [model_type.model_fields[name].default for _, name, _ in entries]
        wildcard: int | None = None
        use_of: dict[Any, int] = {}
        for n, use in enumerate(uses):
            if use.qualifiers is None:
                wildcard = n if wildcard is None else wildcard
            else:
                for qualifier in use.qualifiers:
                    use_of.setdefault(qualifier, n if wildcard is None else wildcard)
        takes = sorted({q for u in uses for q in u.qualifiers or ()})
        start = len(names)
        names += [name for _, name, _ in entries]
        checks.append(
            _Check(
                seg_id=seg_id,
                entries=tuple(entries),
                start=start,
                end=len(names),
                unset=tuple(d if d is None or d == [] or d == {} else _NEVER for d in defaults),
                uses=uses,
                use_of=use_of,
                wildcard=wildcard,
                takes=", ".join(takes) if len(takes) <= 20 else f"{len(takes)} codes of the guide",
            )
        )
    unset = tuple(value for check in checks for value in check.unset)
    written = written_spans([(check.start, check.end) for check in checks], unset)
    return _LoopChecks(fields_getter(names), unset, tuple(checks), written)


# Segments that hold an address: their values are never quoted in a problem, not even one that looks
# like a code (a state, a ZIP code's first digits), as the reader never quotes them (mapping.py).
ADDRESS_SEGMENTS = frozenset({"N3", "N4"})


def is_code(text: object) -> bool:
    """Whether `text` looks like a code (short, letters and digits) of the 837's lists: codes are
    quoted in messages, anything else may be data in the wrong field and is not (PHI), nor is a
    diagnosis code's shape (`I10`), which no list of the maps has."""
    return is_short_code(text) and not DIAGNOSIS_SHAPE.fullmatch(str(text))


def is_short_code(text: object) -> bool:
    """Short, letters and digits: a code of any list, the external ones too (an 835's CARC `B13`,
    a RARC `N95`, which have a diagnosis code's shape)."""
    return isinstance(text, str) and text.isascii() and text.isalnum() and len(text) <= 3


def shown_value(value: object) -> str:
    """A value that should be a code, for a message: quoted when it looks like one (`is_code`, not
    of a diagnosis code's shape), else `a value` (data in the wrong field, a name, an id or a
    diagnosis, is not quoted: PHI)."""
    blank = isinstance(value, str) and not value.strip()  # `''`, `' '`: no data, said as it is
    if value is None or blank:
        return repr(value)
    return repr(value) if is_code(value) else "a value"


def segment_problems(kind: str, loop: str, model: BaseModel) -> list[str]:
    """The segments of `model` (one loop's model) that the loop's guide has no place for, or more of
    one definition than its max use."""
    out: list[str] = []
    plan = _checks(kind, loop, type(model))
    values = plan.get(model)
    kept = _kept_qualifiers(model)
    # None written (most party models). Unset values are falsy, and `any` is faster than comparing
    # a model's value (pydantic's __eq__).
    if not any(values) and values == plan.unset and not kept:
        return out
    checks = plan.checks
    # Without kept segments, only the checks whose fields write a segment (`written_spans`): the
    # others would be passed over just below.
    for check in checks if kept else map(checks.__getitem__, plan.written(values)):
        mine = values[check.start : check.end]
        # A segment kept from the file read (a second AMT*F5, which the model has no room for)
        # counts against the definition that takes its qualifier; one with no place there is said
        # where kept segments are (`kept_qualifier_problem`), the reader.
        extra = _placed_kept(check, kept) if kept else ()
        if not extra and not any(mine) and mine == check.unset:  # most segment IDs: none written
            continue
        given = _qualifiers(check.entries, mine)
        if extra:
            given = [*given, *extra]
        if given:
            _count(check, given, GUIDE_NAMES[kind], loop, out)
    return out


def _placed_kept(check: _Check, kept: dict[str, list[str]]) -> list[str]:
    """The qualifiers of the segments of `check`'s ID kept from the file read that it has a place
    for."""
    use_of, wildcard = check.use_of, check.wildcard
    return [q for q in kept.get(check.seg_id, ()) if use_of.get(q, wildcard) is not None]


def _kept_qualifiers(model: BaseModel) -> dict[str, list[str]]:
    """The element 01 of each qualified segment a loop's model kept from the file read, by ID."""
    private = model.__pydantic_private__
    layout = private.get("_x12") if private else None
    unmapped = getattr(layout, "unmapped", None)
    if not unmapped:  # most models: every segment read has a field
        return {}
    out: dict[str, list[str]] = {}
    for kept in unmapped:
        if isinstance(kept, Segment) and kept.id in QUALIFIED_SEGMENTS:
            out.setdefault(kept.id, []).append(kept.element(1))
    return out


def _spread(uses: tuple[_Use, ...], counts: dict[int, list[str]]) -> None:
    """Move segments past a definition's max use to another definition that takes their qualifier
    and has room: the 837P line's PWK*CT is one of its ten attachments or its DME certificate
    (maps lines 1323 and 1333), so ten attachments and a certificate are within both."""
    for place, quals in list(counts.items()):
        over = len(quals) - uses[place].max_use
        for q in reversed(quals[:]):
            if over <= 0:
                break
            other = next(
                (
                    n
                    for n, use in enumerate(uses)
                    if n != place
                    and use.qualifiers is not None
                    and q in use.qualifiers
                    and len(counts.get(n, ())) < use.max_use
                ),
                None,
            )
            if other is not None:
                quals.remove(q)
                counts.setdefault(other, []).append(q)
                over -= 1


def _count(check: _Check, given: list[Any], guide: str, loop: str, out: list[str]) -> None:
    seg_id = check.seg_id
    if not check.uses:
        out.append(f"{seg_id} is not used in loop {loop} of an {guide} claim")
        return
    if len(given) == 1 and check.use_of.get(given[0], check.wildcard) is not None:
        return  # one segment, which has a place: within its max use (at least 1)
    places = [check.use_of.get(qualifier, check.wildcard) for qualifier in given]
    if None not in places and len(set(places)) == len(places):
        return  # each segment a definition of its own: within every max use
    counts: dict[int, list[str]] = {}
    unknown: dict[str, None] = {}
    for qualifier, place in zip(given, places, strict=True):
        if place is None:
            unknown[str(qualifier)] = None
        else:
            counts.setdefault(place, []).append(str(qualifier))
    if unknown:
        # A qualifier is a short code; anything else may be data put in the wrong field: not quoted.
        shaped = [f"{seg_id}*{q}" for q in unknown if is_code(q)]
        odd = len(unknown) - len(shaped)
        which = shaped + ([f"{odd} {seg_id} with a {seg_id}01 that is no code"] if odd else [])
        verb = "is" if len(which) == 1 and not odd else "are"
        out.append(
            f"{', '.join(which)} {verb} not used in loop {loop} of an {guide} claim (its "
            f"{seg_id}01 takes {check.takes})"
        )
    _spread(check.uses, counts)
    for place, quals in counts.items():
        use = check.uses[place]
        if len(quals) > use.max_use:
            shown = f"*{'/'.join(dict.fromkeys(quals))}" if use.qualifiers else ""
            out.append(
                f"{len(quals)} {seg_id}{shown} segments in loop {loop}; an {guide} claim has "
                f"at most {use.max_use}"
            )


__all__ = [
    "ADDRESS_SEGMENTS",
    "GUIDE_NAMES",
    "fields_getter",
    "is_code",
    "kept_once",
    "kept_qualifier_problem",
    "says_unused",
    "segment_problems",
]
