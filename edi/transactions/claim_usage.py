"""Which elements each segment of a claim's loops uses: the maps' NOT USED, as write-time rules.

`claim_required` refuses an element a claim would write that the segment does not use in that loop:
a field of the model (a first name on the 837P ambulance drop-off location, NM1*45 in 2310F; an
837I provider signature, CLM06) or text kept from the file read (an NM110, an element past the
last). Each loop lists, per segment, the elements it uses (the map's usage R or S), as
`remit_rules` does for the 835:

    "NM1": "01 02 03"              NM101-NM103; NM104 on, and any element past NM112, not used
    "SV1": "01-01 01-02 02 03"     the composite SV101 uses components 1 and 2 only
    "CRC*75": "01 02 03"           the definition picked by element 01 (CRC01 75); a segment
                                   whose qualifier has no row of its own takes its plain row

Maps: 837P `maps/837.5010.X222.A1.full.txt`, 837I `maps/837Q3.I.5010.X223.A1.full.txt`, cited by
line (the first of the two copies the maps hold, under 2000B). 837D (`maps/837D.5010.X224.A2`,
"D" in the citations) where its map and the 837P's give the same segment of a loop of the same
meaning the same elements (`claim_required`'s convention), and for the segments of its own or those
its map gives fewer elements: its CLM, SBR, OI, PAT, DN1, DN2, SV3, TOO, CN1, HCP, the referring
provider's PRV, the prior payer's providers (2330D-H), the line's REF and the SVD, as its map gives
them (the 837D audit: text read in an element these do not use was written back by a checked
write_837). Not its 2420x, the rendering provider's PRV, and the subscriber's and patient's PER
(none in its map); of the billing provider's, service facility's and supervising provider's NM1 only
what neither map uses (NM107: the 837D map's NOT USED, the 837P's suffix; §5 corrects the others).

The segments: those the rule tables know (NM1, N3, N4, REF, PER, PRV, DMG, SBR, CLM, DTP, PWK, AMT,
K3, NTE, CRC, CR1, OI, SV1, SV2, SV5, SVD, QTY, MEA, BHT) and those of the models that can hold an
element the loop does not use (CUR, PAT, HCP, MIA, MOA, CL1, CN1, LIN, CTP, and the 837P's CR2, CR3,
PS1). Not here: HI (`claim_checks` checks its composites), CAS (every element used), the segments
the writer makes (HL, LX, ST, SE).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

_ADDRESS = {"N3": "01 02", "N4": "01 02 03 04 07"}  # N405, N406 not used: every N4 of the maps
_DTP = "01 02 03"
_AMT = "01 02"  # AMT03 not used
_REF = "01 02"  # REF03, REF04 not used
_REF_LINE_PROVIDER = "01 02 04-01 04-02"  # the 2420x REF: REF04 with the payer's id (837P, 837I)
_PER = "01 02 03 04 05 06 07 08"  # PER09 not used
_PER_TWO = "01 02 03 04 05 06"  # one number and its extension: PER07, PER08 not used
_PRV = "01 02 03"
_DMG = "01 02 03"
_NM1_PERSON = "01 02 03 04 05 07 08 09"  # a name and an id; NM106 (prefix), NM110-NM112 not used
_NM1_SUBMITTER = "01 02 03 04 05 08 09"  # no suffix
_NM1_ORG = "01 02 03 08 09"  # an organization's name and id
_NM1_PATIENT = "01 02 03 04 05 07"  # a name, no id
_NM1_NAMED = "01 02 03"  # a name, no id (837P ambulance drop-off location)
_NM1_ENTITY = (
    "01 02"  # the entity alone (ambulance pick-up, pay-to address, prior payers' providers)
)
_PWK = "01 02 05 06"
_CRC_ALL = "01 02 03 04 05 06 07"
_CR1 = "01 02 04 05 06 09 10"  # 837P lines 532, 1343
_MOA = "01 02 03 04 05 06 07 08 09"  # every element, none required: MOA needs one of them
_SVD = "01 02 03-01 03-02 03-03 03-04 03-05 03-06 03-07 05 06"  # 837P: SVD03-08, SVD04 not used
_SVD_I = "01 02 03-01 03-02 03-03 03-04 03-05 03-06 03-07 04 05 06"  # 837I: SVD04, the revenue code
_HCP_ALL = "01 02 03 04 05 06 07 08 09 10 11 12 13 14 15"
_CN1 = "01 02 03 04 05 06"  # CN107 on not used
_DRUG = {"LIN": "02 03", "CTP": "04 05-01"}  # LIN01, LIN04-31, CTP01-03, CTP05-02 on, CTP06 on

_PROFESSIONAL: dict[str, dict[str, str]] = {
    "HEADER": {"BHT": "01 02 03 04 05 06"},  # line 36
    "1000A": {"NM1": _NM1_SUBMITTER, "PER": _PER},  # lines 44, 57
    "1000B": {"NM1": _NM1_ORG},  # line 68
    "2000A": {"PRV": _PRV, "CUR": "01 02"},  # lines 88, 95
    "2010AA": {"NM1": _NM1_PERSON, **_ADDRESS, "REF": _REF, "PER": _PER},  # lines 118-152
    "2010AB": {"NM1": _NM1_ENTITY, **_ADDRESS},  # lines 163-179
    "2010AC": {"NM1": _NM1_ORG, **_ADDRESS, "REF": _REF},  # lines 188-217
    "2000B": {"SBR": "01 02 03 04 05 09", "PAT": "05 06 07 08 09"},  # lines 228, 238
    "2010BA": {
        "NM1": _NM1_PERSON,
        **_ADDRESS,
        "DMG": _DMG,
        "REF": _REF,
        "PER": _PER_TWO,
    },  # 249-295
    "2010BB": {"NM1": _NM1_ORG, **_ADDRESS, "REF": _REF},  # lines 306-335
    "2300": {
        "CLM": "01 02 05-01 05-02 05-03 06 07 08 09 10 11-01 11-02 11-04 11-05 12 20",  # line 341
        "DTP": _DTP,  # lines 370-430
        "PWK": _PWK,  # line 434
        "AMT": _AMT,  # line 451
        "REF": _REF,  # lines 455-520
        "K3": "01",  # line 525
        "NTE": "01 02",  # line 529
        "CR1": _CR1,  # line 532
        "CRC*07": _CRC_ALL,  # line 556
        "CRC*E1/E2/E3": _CRC_ALL,  # line 564
        "CRC*75": "01 02 03",  # line 572
        "CRC*ZZ": "01 02 03 04 05",  # line 580
        "CN1": _CN1,  # line 444
        "CR2": "08 10 11",  # line 543: CR201-207, CR209, CR212 not used
        "HCP": "01 02 03 04 05 06 07 13 14 15",  # line 861
    },
    "2310A": {"NM1": _NM1_PERSON, "REF": _REF},  # lines 878, 891
    "2310B": {"NM1": _NM1_PERSON, "PRV": _PRV, "REF": _REF},  # lines 897-917
    "2310C": {"NM1": _NM1_ORG, **_ADDRESS, "REF": _REF, "PER": _PER_TWO},  # lines 923-952
    "2310D": {"NM1": _NM1_PERSON, "REF": _REF},  # lines 963, 976
    "2310E": {"NM1": _NM1_ENTITY, **_ADDRESS},  # lines 982-998
    "2310F": {"NM1": _NM1_NAMED, **_ADDRESS},  # lines 1007-1023
    "2320": {"SBR": "01 02 03 04 05 09", "AMT": _AMT, "OI": "03 04 06", "MOA": _MOA},  # 1032-1081
    "2330A": {"NM1": _NM1_PERSON, **_ADDRESS, "REF": _REF},  # lines 1092-1116
    "2330B": {"NM1": _NM1_ORG, **_ADDRESS, "DTP": _DTP, "REF": _REF},  # lines 1122-1170
    "2330C": {"NM1": _NM1_ENTITY, "REF": _REF},  # lines 1176, 1189
    "2330D": {"NM1": _NM1_ENTITY, "REF": _REF},  # lines 1195, 1208
    "2330E": {"NM1": _NM1_ENTITY, "REF": _REF},  # lines 1214, 1227
    "2330F": {"NM1": _NM1_ENTITY, "REF": _REF},  # lines 1233, 1246
    "2330G": {"NM1": _NM1_ENTITY, "REF": _REF},  # lines 1252, 1265
    "2400": {
        "SV1": "01-01 01-02 01-03 01-04 01-05 01-06 01-07 02 03 04 05 07-01 07-02 07-03 07-04 09 11 12 15",  # line 1273
        "SV5": "01-01 01-02 02 03 04 05 06",  # line 1307
        "PWK": _PWK,  # line 1323
        "PWK*CT": "01 02",  # line 1333
        "CR1": _CR1,  # line 1343
        "CRC*07": _CRC_ALL,  # line 1360
        "CRC*70": "01 02 03",  # line 1368
        "CRC*09": "01 02 03 04",  # line 1376
        "DTP": _DTP,  # lines 1384-1420
        "QTY": "01 02",  # lines 1424, 1429
        "MEA": "01 02 03",  # line 1434
        "REF": _REF,  # lines 1454-1495
        "REF*G1/9F": "01 02 04-01 04-02",  # lines 1464, 1500
        "AMT": _AMT,  # lines 1511, 1515
        "K3": "01",  # line 1519
        "NTE": "01 02",  # lines 1523, 1526
        "CN1": _CN1,  # line 1447
        "CR3": "01 02 03",  # line 1354: CR304, CR305 not used
        "PS1": "01 02",  # line 1529: PS103 not used
        "HCP": "01 02 03 04 05 06 07 09 10 11 12 13 14 15",  # line 1533
    },
    "2410": {**_DRUG, "REF": _REF},  # lines 1550, 1582, 1609
    "2420A": {"NM1": _NM1_PERSON, "PRV": _PRV, "REF": _REF_LINE_PROVIDER},  # lines 1615-1635
    "2420B": {"NM1": "01 02 08 09", "REF": _REF_LINE_PROVIDER},  # lines 1647, 1660
    "2420C": {"NM1": _NM1_ORG, **_ADDRESS, "REF": _REF_LINE_PROVIDER},  # lines 1672-1696
    "2420D": {"NM1": _NM1_PERSON, "REF": _REF_LINE_PROVIDER},  # lines 1708, 1721
    "2420E": {"NM1": _NM1_PERSON, **_ADDRESS, "REF": _REF_LINE_PROVIDER, "PER": _PER},  # 1733-1768
    "2420F": {"NM1": _NM1_PERSON, "REF": _REF_LINE_PROVIDER},  # lines 1779, 1792
    "2420G": {"NM1": _NM1_ENTITY, **_ADDRESS},  # lines 1804-1820
    "2420H": {"NM1": _NM1_NAMED, **_ADDRESS},  # lines 1829-1845
    "2430": {"SVD": _SVD, "DTP": _DTP, "AMT": _AMT},  # lines 1854, 1889, 1893
    "2440": {"LQ": "01 02", "FRM": "01 02 03 04 05"},  # lines 1898, 1901
    "2000C": {"PAT": "01 05 06 07 08 09"},  # line 1913
    "2010CA": {
        "NM1": _NM1_PATIENT,
        **_ADDRESS,
        "DMG": _DMG,
        "REF": _REF,
        "PER": _PER_TWO,
    },  # 1924-70
}

_INSTITUTIONAL: dict[str, dict[str, str]] = {
    "HEADER": {"BHT": "01 02 03 04 05 06"},  # line 36
    "1000A": {"NM1": _NM1_SUBMITTER, "PER": _PER},  # lines 44, 57
    "1000B": {"NM1": _NM1_ORG},  # line 68
    "2000A": {"PRV": _PRV, "CUR": "01 02"},  # lines 88, 95
    "2010AA": {"NM1": _NM1_ORG, **_ADDRESS, "REF": _REF, "PER": _PER},  # lines 118-147
    "2010AB": {"NM1": _NM1_ENTITY, **_ADDRESS},  # lines 158-174
    "2010AC": {"NM1": _NM1_ORG, **_ADDRESS, "REF": _REF},  # lines 183-212
    "2000B": {"SBR": "01 02 03 04 09"},  # line 223 (no PAT in the 837I 2000B)
    "2010BA": {"NM1": _NM1_PERSON, **_ADDRESS, "DMG": _DMG, "REF": _REF},  # lines 234-275
    "2010BB": {"NM1": _NM1_ORG, **_ADDRESS, "REF": _REF},  # lines 281-310
    "2300": {
        "CLM": "01 02 05-01 05-02 05-03 07 08 09 20",  # line 316
        "DTP": _DTP,  # lines 340-352
        "CL1": "01 02 03",  # line 356
        "PWK": _PWK,  # line 361
        "CN1": _CN1,  # line 371
        "AMT": _AMT,  # line 378
        "REF": _REF,  # lines 382-437
        "K3": "01",  # line 442
        "NTE": "01 02",  # lines 446, 449
        "CRC*ZZ": "01 02 03 04 05",  # line 452
        "HCP": "01 02 03 04 05 06 07 08 11 12 13 14 15",  # line 1556
    },
    "2310A": {"NM1": _NM1_PERSON, "PRV": _PRV, "REF": _REF},  # lines 1573-1593
    "2310B": {"NM1": _NM1_PERSON, "REF": _REF},  # lines 1599, 1612
    "2310C": {"NM1": _NM1_PERSON, "REF": _REF},  # lines 1618, 1631
    "2310D": {"NM1": _NM1_PERSON, "REF": _REF},  # lines 1637, 1650
    "2310E": {"NM1": _NM1_ORG, **_ADDRESS, "REF": _REF},  # lines 1656-1680
    "2310F": {"NM1": _NM1_PERSON, "REF": _REF},  # lines 1686, 1699
    "2320": {
        "SBR": "01 02 03 04 09",  # line 1705
        "AMT": _AMT,  # lines 1735-1743
        "OI": "03 06",  # line 1747
        "MIA": "01 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24",  # line 1754
        "MOA": _MOA,  # line 1779
    },
    "2330A": {"NM1": _NM1_PERSON, **_ADDRESS, "REF": _REF},  # lines 1790-1814
    "2330B": {"NM1": _NM1_ORG, **_ADDRESS, "DTP": _DTP, "REF": _REF},  # lines 1820-1868
    "2330C": {"NM1": _NM1_ENTITY, "REF": _REF},  # lines 1874, 1887
    "2330D": {"NM1": _NM1_ENTITY, "REF": _REF},  # lines 1893, 1906
    "2330E": {"NM1": _NM1_ENTITY, "REF": _REF},  # lines 1912, 1925
    "2330F": {"NM1": _NM1_ENTITY, "REF": _REF},  # lines 1931, 1944
    "2330G": {"NM1": _NM1_ENTITY, "REF": _REF},  # lines 1950, 1963
    "2330H": {"NM1": _NM1_ENTITY, "REF": _REF},  # lines 1969, 1982
    "2330I": {"NM1": _NM1_ENTITY, "REF": _REF},  # lines 1988, 2001
    "2400": {
        "SV2": "01 02-01 02-02 02-03 02-04 02-05 02-06 02-07 03 04 05 07",  # line 2009
        "PWK": _PWK,  # line 2028
        "DTP": _DTP,  # line 2038
        "REF": _REF,  # lines 2042-2052
        "AMT": _AMT,  # lines 2057, 2061
        "NTE": "01 02",  # line 2065
        "HCP": _HCP_ALL,  # line 2068
    },
    "2410": {**_DRUG, "REF": _REF},  # lines 2085, 2117, 2144
    "2420A": {"NM1": _NM1_PERSON, "REF": _REF_LINE_PROVIDER},  # lines 2150, 2163
    "2420B": {"NM1": _NM1_PERSON, "REF": _REF_LINE_PROVIDER},  # lines 2175, 2188
    "2420C": {"NM1": _NM1_PERSON, "REF": _REF_LINE_PROVIDER},  # lines 2200, 2213
    "2420D": {"NM1": _NM1_PERSON, "REF": _REF_LINE_PROVIDER},  # lines 2225, 2238
    "2430": {"SVD": _SVD_I, "DTP": _DTP, "AMT": _AMT},  # lines 2250, 2285, 2289
    "2000C": {"PAT": "01"},  # line 2299
    "2010CA": {"NM1": _NM1_PATIENT, **_ADDRESS, "DMG": _DMG, "REF": _REF},  # lines 2310-2351
}

# 837D: the rows its map and the 837P's agree on (module docstring).
_DENTAL: dict[str, dict[str, str]] = {
    "1000A": {"NM1": _NM1_SUBMITTER, "PER": _PER},  # D 8, 21; P 44, 57
    "1000B": {"NM1": _NM1_ORG},  # D 32; P 68
    "2000A": {"PRV": _PRV, "CUR": "01 02"},  # D 51, 58; P 88, 95
    # NM1: D 81 (NM106, NM107, NM110-112 not used), P 118 (NM107 the suffix)
    "2010AA": {"NM1": _NM1_PERSON, **_ADDRESS, "REF": _REF, "PER": _PER},  # D 94-115; P 131-152
    "2000B": {"SBR": "01 02 03 04 09"},  # D 191: SBR05-08 not used
    "2000C": {"PAT": "01"},  # D 1155: PAT02-09 not used
    "2010AB": {"NM1": _NM1_ENTITY, **_ADDRESS},  # D 126-142; P 163-179
    "2010AC": {"NM1": _NM1_ORG, **_ADDRESS, "REF": _REF},  # D 151-180; P 188-217
    "2010BA": {"NM1": _NM1_PERSON, **_ADDRESS, "DMG": _DMG, "REF": _REF},  # D 202-243; P 249-290
    "2010BB": {"NM1": _NM1_ORG, **_ADDRESS, "REF": _REF},  # D 249-278; P 306-335
    "2300": {
        # D 284: CLM03, CLM04, CLM10, CLM11-03, CLM13-18 not used
        "CLM": "01 02 05-01 05-02 05-03 06 07 08 09 11-01 11-02 11-04 11-05 12 19 20",
        "DN1": "01 02 04",  # D 329: DN103 not used
        # D 334 has DN203-206 not used; DN206 is the JP of its tooth number (x12-notes §5, as TOO01)
        "DN2": "01 02 06",
        # D 313-406; P 370-529
        "DTP": _DTP,
        "PWK": _PWK,
        "AMT": _AMT,
        "REF": _REF,
        "K3": "01",
        "NTE": "01 02",
        "CN1": _CN1,  # D 351; P 444
        "HCP": "01 02 03 04 05 06 07 08 11 12 13 14 15",  # D 431: HCP09, HCP10 not used
    },
    "2310A": {"NM1": _NM1_PERSON, "PRV": _PRV, "REF": _REF},  # D 448, 461, 468; P 878, 891
    "2310B": {"NM1": _NM1_PERSON, "PRV": _PRV, "REF": _REF},  # D 474-494; P 897-917
    # NM1: what neither map uses (NM106, NM110 on: D 500, 556; P 923, 963), §5 correcting the rest
    "2310C": {"NM1": _NM1_PERSON, **_ADDRESS, "REF": _REF},  # D 513-524; P 936-947
    "2310E": {
        "NM1": _NM1_PERSON,
        "REF": _REF,
    },  # D 569; P 976 (the supervising provider, 837P 2310D)
    # D 605-613, 634; P 1062-1070, 1081; SBR D 575 (SBR05-08 not used), OI D 627 (OI04 not used)
    "2320": {"SBR": "01 02 03 04 09", "AMT": _AMT, "OI": "03 06", "MOA": _MOA},
    "2330A": {"NM1": _NM1_PERSON, **_ADDRESS, "REF": _REF},  # D 645-669; P 1092-1116
    "2330B": {"NM1": _NM1_ORG, **_ADDRESS, "DTP": _DTP, "REF": _REF},  # D 675-728; P 1122-1170
    "2330C": {"NM1": _NM1_ENTITY, "REF": _REF},  # D 734, 747; P 1176, 1189
    # the prior payer's other providers: NM103-112 not used (D 753, 772, 791, 810, 829), as in the
    # 837P's 2330D-G
    "2330D": {"NM1": _NM1_ENTITY, "REF": _REF},  # D 753, 766
    "2330E": {"NM1": _NM1_ENTITY, "REF": _REF},  # D 772, 785
    "2330F": {"NM1": _NM1_ENTITY, "REF": _REF},  # D 791, 804
    "2330G": {"NM1": _NM1_ENTITY, "REF": _REF},  # D 810, 823
    "2330H": {"NM1": _NM1_ENTITY, "REF": _REF},  # D 829, 842
    "2400": {
        # D 850: SV301-08, SV307-310 not used; SV304 five areas, SV311 four pointers
        "SV3": "01-01 01-02 01-03 01-04 01-05 01-06 01-07 02 03 04-01 04-02 04-03 04-04 04-05 05 06"
        " 11-01 11-02 11-03 11-04",
        "TOO": "01 02 03-01 03-02 03-03 03-04 03-05",  # D 879: five surfaces
        "REF": _REF,  # D 941, 946, 951 (6R, 9B, 9D): REF03, REF04 not used
        "REF*G3/G1/9F": "01 02 04-01 04-02",  # D 919, 930, 956
        "DTP": _DTP,  # D 888-908; P 1384-1420
        "AMT": _AMT,  # D 967; P 1511
        "K3": "01",  # D 971; P 1519
        "CN1": _CN1,  # D 912; P 1447
        "HCP": _HCP_ALL,  # D 975
    },
    # SVD D 1106: SVD03-08 not used, six elements (SVD04 R there, though the 837D map's SVD is the
    # 837I's: left to be read)
    "2430": {"SVD": _SVD_I, "DTP": _DTP, "AMT": _AMT},  # D 1141, 1145; P 1889, 1893
    "2010CA": {"NM1": _NM1_PATIENT, **_ADDRESS, "DMG": _DMG, "REF": _REF},  # D 1166-1202; P 1924-65
}

_USED = {"professional": _PROFESSIONAL, "institutional": _INSTITUTIONAL, "dental": _DENTAL}


@dataclass(frozen=True, slots=True, eq=False)  # compiled once per row (`segment_usage`)
class Usage:
    """The elements one segment definition uses: `elements` whole or in part, and for a composite
    that does not use all its components, the ones it uses (`parts`)."""

    elements: frozenset[int]
    parts: dict[int, frozenset[int]]

    def uses(self, element: int, component: int = 0) -> bool:
        """Whether the definition uses the element (component 0) or that component of it."""
        if element not in self.elements:
            return False
        parts = self.parts.get(element)
        return parts is None or component == 0 or component in parts


def _usage(spec: str) -> Usage:
    elements: set[int] = set()
    parts: dict[int, set[int]] = {}
    for token in spec.split():
        element, _, component = token.partition("-")
        elements.add(int(element))
        if component:
            parts.setdefault(int(element), set()).add(int(component))
    return Usage(frozenset(elements), {e: frozenset(c) for e, c in parts.items()})


@dataclass(frozen=True, slots=True)
class SegmentUsage:
    """The definitions of one segment in one loop: `plain` for any element 01 (None when each
    qualifier has its own), `by_qualifier` for the qualifiers with a definition of their own."""

    plain: Usage | None
    by_qualifier: dict[str, Usage]

    def of(self, qualifier: object) -> Usage | None:
        """The definition a segment with this element 01 takes (None: the loop has none for it)."""
        if self.by_qualifier:
            found = self.by_qualifier.get(qualifier)  # type: ignore[call-overload]
            if found is not None:
                return found
        return self.plain

    def everywhere(self) -> tuple[Usage, ...]:
        """Every definition of the segment in the loop."""
        plain = () if self.plain is None else (self.plain,)
        return (*plain, *dict.fromkeys(self.by_qualifier.values()))


@cache
def segment_usage(kind: str, loop: str, seg_id: str) -> SegmentUsage | None:
    """The elements `seg_id` uses in `loop` of a claim kind's guide; None when not checked there."""
    rows = _USED.get(kind, {}).get(loop)
    if not rows:
        return None
    plain: Usage | None = None
    by_qualifier: dict[str, Usage] = {}
    for key, spec in rows.items():
        head, _, qualifiers = key.partition("*")
        if head != seg_id:
            continue
        if qualifiers:
            usage = _usage(spec)
            by_qualifier.update(dict.fromkeys(qualifiers.split("/"), usage))
        else:
            plain = _usage(spec)
    if plain is None and not by_qualifier:
        return None
    return SegmentUsage(plain, by_qualifier)


@cache
def checked_segments(kind: str, loop: str) -> tuple[str, ...]:
    """The segments whose elements `segment_usage` gives for a loop."""
    rows = _USED.get(kind, {}).get(loop, {})
    return tuple(dict.fromkeys(key.partition("*")[0] for key in rows))


@cache
def known_segments(kind: str) -> frozenset[str]:
    """The segments whose elements `segment_usage` gives in some loop of a claim kind."""
    return frozenset(key.partition("*")[0] for rows in _USED.get(kind, {}).values() for key in rows)


__all__ = ["SegmentUsage", "Usage", "checked_segments", "known_segments", "segment_usage"]
