"""What the guides require of a claim's segments and which codes their elements take (SNIP 2).

Write-time rules for `check_claim`; the models leave these fields optional so that files lacking them
still read. Four tables per claim kind and loop, from the maps (837P `maps/837.5010.X222.A1.full.txt`,
837I `maps/837Q3.I.5010.X223.A1.full.txt`, cited by line):

- `_SEGMENTS`: segments the loop requires (usage=R) whenever the loop is there;
- `_ELEMENTS`: elements a segment requires when it is written (`"PER": "PER03 PER04"`);
- `_CODES`: the code list of an element whose map lists codes (not external code lists);
- `_NOT_USED`: elements a model may fill that the segment does not use there (837P SVD04).

Situational segments the model shows the situation of are `situational_problems`' (the subscriber's
DMG when the subscriber is the patient, the 837P line's DTP*472).

837D (`maps/837D.5010.X224.A2.full.txt`, "D" in the citations, made from TigerShark): that map is
wrong in places (x12-notes §5), so a dental row is an 837P rule only, where both maps give the same
segment of a loop of the same meaning the same usage (and a code list the same codes) and §5 does not
doubt it; each cites both maps (`D 95; P 132`). Left out: what the two maps disagree on (the
submitter's PER03 codes, CLM07, the pay-to address's NM102, the subscriber's NM108/NM109, the other
payer rendering provider's NM102, the rendering provider's PRV usage), the loops whose qualifiers §5
corrects (2310C-E NM1, 2330E-H, 2420x) and the SVD (the 837D map's is the 837I's: SVD04 the revenue
code, HP, no AD). The NM108/NM109 pair (X12 syntax P0809) holds in every NM1 of all three guides.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel

from edi.models.base import Elem, Elems, Seg, split_ref
from edi.transactions.claim_rules import GUIDE_NAMES, is_code

# kind → loop → segments the loop requires.
_SEGMENTS: dict[str, dict[str, str]] = {
    "professional": {
        "1000A": "PER",  # line 57
        "2000B": "SBR",  # line 228
        "2010AA": "N3 N4 REF",  # lines 131, 134, 142 (REF: the tax id, EI or SY)
        "2010AB": "N3 N4",  # lines 176, 179
        "2010AC": "N3 N4 REF",  # lines 201, 204, 217
        "2010CA": "N3 N4 DMG",  # lines 1937, 1940, 1948
        "2310C": "N3 N4",  # lines 936, 939
        "2310E": "N3 N4",  # lines 995, 998
        "2310F": "N3 N4",  # lines 1020, 1023
        "2420C": "N3 N4",  # lines 1685, 1688
        "2420G": "N3 N4",  # lines 1817, 1820
        "2420H": "N3 N4",  # lines 1842, 1845
    },
    "institutional": {
        "1000A": "PER",  # line 57
        "2000B": "SBR",  # line 223
        "2010AA": "N3 N4 REF",  # lines 131, 134, 142 (REF*EI)
        "2010AB": "N3 N4",  # lines 171, 174
        "2010AC": "N3 N4 REF",  # lines 196, 199, 212
        "2010CA": "N3 N4 DMG",  # lines 2323, 2326, 2334
        "2310E": "N3 N4",  # lines 1669, 1672
    },
    # 837D: the segments both its map and the 837P's require (see the module docstring).
    "dental": {
        "1000A": "PER",  # D line 21; P line 57
        "2000B": "SBR",  # D 191; P 228
        "2010AA": "N3 N4 REF",  # D 94, 97, 105; P 131, 134, 142
        "2010AB": "N3 N4",  # D 139, 142; P 176, 179
        "2010AC": "N3 N4 REF",  # D 164, 167, 180; P 201, 204, 217
        "2010CA": "N3 N4 DMG",  # D 1179, 1182, 1190; P 1937, 1940, 1948
        "2310C": "N3 N4",  # D 513, 516; P 936, 939 (§5: the service facility, NM1*77)
    },
}

# kind → loop → segment → elements it requires when written. Some elements go together or not at all
# whatever the loop: `_PAIRS`.
_PARTY = {"N3": "N301", "N4": "N401"}  # N3 N301, N4 N401: usage=R wherever N3/N4 are
_DMG = "DMG01 DMG02 DMG03"  # birth date and gender: usage=R in every DMG of both maps
# PRV: usage=R for PRV01-03 in every PRV of both maps (2000A, and the providers that have one); the
# billing provider's PRV01 (BI) is the qualifier its model writes.
_PRV, _PRV_BI = "PRV01 PRV02 PRV03", "PRV02 PRV03"
# CR1 (837P ambulance transport): the reason and the distance with its unit; the weight is
# situational (with its unit: `_PAIRS`).
_CR1 = "CR104 CR105 CR106"
_ELEMENTS: dict[str, dict[str, dict[str, str]]] = {
    "professional": {
        "1000A": {"NM1": "NM103 NM108 NM109", "PER": "PER03 PER04"},  # lines 47-53, 60-61
        "1000B": {"NM1": "NM103 NM108 NM109"},  # lines 71-77
        "2000A": {"PRV": _PRV_BI},  # lines 90-91 (PRV01 BI: the model writes it)
        "2000B": {"SBR": "SBR01"},  # line 229
        "2010AA": {**_PARTY, "REF": "REF02", "PER": "PER03 PER04"},  # lines 132-157
        "2010AB": _PARTY,  # lines 177-180
        "2010AC": {"NM1": "NM103 NM108 NM109", **_PARTY, "REF": "REF02"},  # lines 191-218
        "2010BA": {"NM1": "NM108 NM109", **_PARTY, "DMG": _DMG, "PER": "PER03 PER04"},  # 257-299
        "2010BB": {"NM1": "NM108 NM109", **_PARTY},  # lines 314-323
        "2010CA": {**_PARTY, "DMG": _DMG, "PER": "PER03 PER04"},  # lines 1938-1974
        "2300": {"CLM": "CLM06 CLM07 CLM08 CLM09", "CR1": _CR1},  # lines 350-353, 536-538
        "2310A": {"NM1": "NM103"},  # line 881
        "2310B": {"NM1": "NM103", "PRV": _PRV},  # lines 900, 911-913
        "2310C": {"NM1": "NM103", **_PARTY, "PER": "PER03 PER04"},  # lines 926-956
        "2310D": {"NM1": "NM103"},  # line 966
        "2310E": _PARTY,  # lines 996-999
        "2310F": _PARTY,  # lines 1021-1024
        "2320": {"SBR": "SBR02", "OI": "OI03 OI06"},  # lines 1034, 1077, 1080
        "2330A": {"NM1": "NM108 NM109", **_PARTY},  # lines 1100-1109
        "2330B": {"NM1": "NM108 NM109", **_PARTY},  # lines 1130-1139
        # SV101-02 line 1276; SV5 (DME) lines 1310-1321: the guide requires both prices and the
        # frequency, X12 syntax only one price (R0405); the model leaves them optional so that such
        # files still read. CR1 lines 1347-1349.
        "2400": {
            "SV1": "SV101-02",
            "SV5": "SV501-02 SV502 SV503 SV504 SV505 SV506",
            "CR1": _CR1,
        },
        "2420A": {"NM1": "NM103", "PRV": _PRV},  # lines 1618, 1629-1631
        "2420C": {"NM1": "NM103", **_PARTY},  # lines 1675-1689
        "2420D": {"NM1": "NM103"},  # line 1711
        "2420E": {"NM1": "NM103", **_PARTY, "PER": "PER03 PER04"},  # lines 1736-1772
        "2420F": {"NM1": "NM103"},  # line 1782
        "2420G": _PARTY,  # lines 1818-1821
        "2420H": _PARTY,  # lines 1843-1846
        "2430": {"SVD": "SVD01 SVD02 SVD03 SVD03-01 SVD03-02 SVD05"},  # lines 1855-1867
    },
    "institutional": {
        "1000A": {"NM1": "NM103 NM108 NM109", "PER": "PER03 PER04"},  # lines 47-53, 60-61
        "1000B": {"NM1": "NM103 NM108 NM109"},  # lines 71-77
        "2000A": {"PRV": _PRV_BI},  # lines 90-91
        "2000B": {"SBR": "SBR01"},  # line 224
        "2010AA": {**_PARTY, "REF": "REF02", "PER": "PER03 PER04"},  # lines 132-151
        "2010AB": _PARTY,  # lines 172-175
        "2010AC": {"NM1": "NM103 NM108 NM109", **_PARTY, "REF": "REF02"},  # lines 186-213
        "2010BA": {**_PARTY, "DMG": _DMG},  # lines 248-261
        "2010BB": {"NM1": "NM108 NM109", **_PARTY},  # lines 289-298
        "2010CA": {**_PARTY, "DMG": _DMG},  # lines 2324-2337
        "2300": {"CLM": "CLM07 CLM08 CLM09"},  # lines 326-328
        "2310A": {"NM1": "NM103", "PRV": _PRV},  # lines 1576, 1587-1589
        "2310B": {"NM1": "NM103"},  # line 1602
        "2310C": {"NM1": "NM103"},  # line 1621
        "2310D": {"NM1": "NM103"},  # line 1640
        "2310E": {"NM1": "NM103", **_PARTY},  # lines 1659-1673
        "2310F": {"NM1": "NM103"},  # line 1689
        "2320": {"SBR": "SBR02", "OI": "OI03 OI06"},  # lines 1707, 1750, 1753
        "2330A": {"NM1": "NM108 NM109", **_PARTY},  # lines 1798-1807
        "2330B": {"NM1": "NM108 NM109", **_PARTY},  # lines 1828-1837
        "2400": {"SV2": "SV202-02"},  # line 2013 (when SV202 is written)
        "2420A": {"NM1": "NM103"},  # line 2153
        "2420B": {"NM1": "NM103"},  # line 2178
        "2420C": {"NM1": "NM103"},  # line 2203
        "2420D": {"NM1": "NM103"},  # line 2228
        # SVD03 is situational here (the procedure, when the line has one), SVD04 (the revenue
        # code) required: lines 2251-2263.
        "2430": {"SVD": "SVD01 SVD02 SVD03-01 SVD03-02 SVD04 SVD05"},
    },
    # 837D: the 837P rows whose elements have the same usage in its map (module docstring).
    "dental": {
        "1000A": {"NM1": "NM103 NM108 NM109", "PER": "PER03 PER04"},  # D 11-17, 24-25; P 47-61
        "1000B": {"NM1": "NM103 NM108 NM109"},  # D 35-41; P 71-77
        "2000A": {"PRV": _PRV_BI},  # D 53-54; P 90-91
        "2000B": {"SBR": "SBR01"},  # D 192; P 229
        "2010AA": {**_PARTY, "REF": "REF02", "PER": "PER03 PER04"},  # D 95-119; P 132-156
        "2010AB": _PARTY,  # D 140-143; P 177-180
        "2010AC": {"NM1": "NM103 NM108 NM109", **_PARTY, "REF": "REF02"},  # D 154-182; P 191-219
        "2010BA": {**_PARTY, "DMG": _DMG},  # D 216-229; P 263-276
        "2010BB": {"NM1": "NM108 NM109", **_PARTY},  # D 257-266; P 314-323
        "2010CA": {**_PARTY, "DMG": _DMG},  # D 1180-1193; P 1938-1951
        "2300": {"CLM": "CLM06 CLM07 CLM08 CLM09"},  # D 293-296; P 350-353
        "2310A": {"NM1": "NM103"},  # D 451; P 881
        "2310B": {"NM1": "NM103", "PRV": _PRV},  # D 477, 488-490; P 900, 911-913
        "2310C": _PARTY,  # D 514, 517; P 937, 940
        "2320": {"SBR": "SBR02", "OI": "OI03 OI06"},  # D 577, 630, 633; P 1034, 1077, 1080
        "2330A": {"NM1": "NM108 NM109", **_PARTY},  # D 653-662; P 1100-1109
        "2330B": {"NM1": "NM108 NM109", **_PARTY},  # D 683-692; P 1130-1139
    },
}

# kind → loop → element → its codes, when the element is written.
_PERSON, _ORG, _EITHER = "1", "2", "1/2"
_NPI = "XX"
_PWK02 = "AA/BM/EL/EM/FT/FX"  # 837P lines 436, 1325; 837I lines 363, 2030
_PXC = "PXC"  # PRV02 in every PRV of both maps: the taxonomy code list
_CR1_CODES = {"CR101": "LB", "CR104": "A/B/C/D/E", "CR105": "DH"}  # 837P claim and line CR1
_CODES: dict[str, dict[str, dict[str, str]]] = {
    "professional": {
        "HEADER": {"BHT06": "CH/RP"},  # line 42
        "1000A": {"NM102": _EITHER, "NM108": "46", "PER03": "ED/EM/FX/TE"},  # lines 46, 52, 60
        "1000B": {"NM102": _ORG, "NM108": "46"},  # lines 70, 76
        "2000A": {"PRV02": _PXC},  # line 90
        "2010AA": {"NM102": _EITHER, "NM108": _NPI, "PER03": "EM/FX/TE"},  # lines 120, 126, 155
        "2010AB": {"NM102": _EITHER},  # line 165
        "2010AC": {"NM102": _ORG, "NM108": "PI/XV"},  # lines 190, 196
        "2000B": {"SBR02": "18"},  # line 230
        "2010BA": {"NM102": _EITHER, "NM108": "II/MI", "DMG03": "F/M/U", "PER03": "TE"},
        "2010BB": {"NM102": _ORG, "NM108": "PI/XV"},  # lines 308, 314
        "2010CA": {"NM102": _PERSON, "DMG03": "F/M/U", "PER03": "TE"},  # lines 1926, 1951, 1973
        "2300": {  # lines 348-353; PWK02 line 436; CR1 lines 533, 536, 537
            "CLM05-02": "B",
            "CLM06": "N/Y",
            "CLM07": "A/B/C",
            "CLM08": "N/W/Y",
            "CLM09": "I/Y",
            "PWK02": _PWK02,
            **_CR1_CODES,
        },
        # PWK02 line 1325 (PWK*CT: `_PWK_CT`); SV5 lines 1309, 1317, 1321; CR1 lines 1344-1348
        "2400": {
            "PWK02": _PWK02,
            "SV501-01": "HC",
            "SV502": "DA",
            "SV506": "1/4/6",
            **_CR1_CODES,
        },
        "2310A": {"NM102": _PERSON, "NM108": _NPI},  # lines 880, 886
        # lines 899, 905, 911-912
        "2310B": {"NM102": _EITHER, "NM108": _NPI, "PRV01": "PE", "PRV02": _PXC},
        "2310C": {"NM102": _ORG, "NM108": _NPI, "PER03": "TE"},  # lines 925, 931, 955
        "2310D": {"NM102": _PERSON, "NM108": _NPI},  # lines 965, 971
        "2310E": {"NM102": _ORG},  # line 984
        "2310F": {"NM102": _ORG},  # line 1009
        "2320": {"OI03": "N/W/Y", "OI06": "I/Y"},  # lines 1077, 1080
        "2330A": {"NM102": _EITHER, "NM108": "II/MI"},  # lines 1094, 1100
        "2330B": {"NM102": _ORG, "NM108": "PI/XV"},  # lines 1124, 1130
        "2330C": {"NM102": _PERSON},  # line 1178
        "2330D": {"NM102": _EITHER},  # line 1197
        "2330E": {"NM102": _ORG},  # line 1216
        "2330F": {"NM102": _PERSON},  # line 1235
        "2330G": {"NM102": _EITHER},  # line 1254
        # lines 1617, 1623, 1629-1630
        "2420A": {"NM102": _EITHER, "NM108": _NPI, "PRV01": "PE", "PRV02": _PXC},
        "2420B": {"NM102": _EITHER, "NM108": _NPI},  # lines 1649, 1655
        "2420C": {"NM102": _ORG, "NM108": _NPI},  # lines 1674, 1680
        "2420D": {"NM102": _PERSON, "NM108": _NPI},  # lines 1710, 1716
        "2420E": {"NM102": _PERSON, "NM108": _NPI, "PER03": "EM/FX/TE"},  # lines 1735-1771
        "2420F": {"NM102": _PERSON, "NM108": _NPI},  # lines 1781, 1787
        "2420G": {"NM102": _ORG},  # line 1806
        "2420H": {"NM102": _ORG},  # line 1831
        "2430": {"SVD03-01": "ER/HC/IV/WK"},  # line 1858
    },
    "institutional": {
        "HEADER": {"BHT06": "31/CH/RP"},  # line 42
        "1000A": {"NM102": _EITHER, "NM108": "46", "PER03": "EM/FX/TE"},  # lines 46, 52, 60
        "1000B": {"NM102": _ORG, "NM108": "46"},  # lines 70, 76
        "2000A": {"PRV02": _PXC},  # line 90
        "2010AA": {"NM102": _ORG, "NM108": _NPI, "PER03": "EM/FX/TE"},  # lines 120, 126, 150
        "2010AB": {"NM102": _ORG},  # line 160
        "2010AC": {"NM102": _ORG, "NM108": "PI/XV"},  # lines 185, 191
        "2000B": {"SBR02": "18"},  # line 225
        "2010BA": {"NM102": _EITHER, "NM108": "II/MI", "DMG03": "F/M/U"},  # lines 236, 242, 261
        "2010BB": {"NM102": _ORG, "NM108": "PI/XV"},  # lines 283, 289
        "2010CA": {"NM102": _PERSON, "DMG03": "F/M/U"},  # lines 2312, 2337
        "2300": {  # lines 323-328; PWK02 line 363
            "CLM05-02": "A",
            "CLM07": "A/B/C",
            "CLM08": "N/W/Y",
            "CLM09": "I/Y",
            "PWK02": _PWK02,
        },
        "2400": {"PWK02": _PWK02},  # line 2030
        # lines 1575, 1581, 1587-1588
        "2310A": {"NM102": _PERSON, "NM108": _NPI, "PRV01": "AT", "PRV02": _PXC},
        "2310B": {"NM102": _PERSON, "NM108": _NPI},  # lines 1601, 1607
        "2310C": {"NM102": _PERSON, "NM108": _NPI},  # lines 1620, 1626
        "2310D": {"NM102": _PERSON, "NM108": _NPI},  # lines 1639, 1645
        "2310E": {"NM102": _ORG, "NM108": _NPI},  # lines 1658, 1664
        "2310F": {"NM102": _PERSON, "NM108": _NPI},  # lines 1688, 1694
        "2320": {"OI03": "N/W/Y", "OI06": "I/Y"},  # lines 1750, 1753
        "2330A": {"NM102": _EITHER, "NM108": "II/MI"},  # lines 1792, 1798
        "2330B": {"NM102": _ORG, "NM108": "PI/XV"},  # lines 1822, 1828
        "2330C": {"NM102": _PERSON},  # line 1876
        "2330D": {"NM102": _PERSON},  # line 1895
        "2330E": {"NM102": _PERSON},  # line 1914
        "2330F": {"NM102": _ORG},  # line 1933
        "2330G": {"NM102": _PERSON},  # line 1952
        "2330H": {"NM102": _PERSON},  # line 1971
        "2330I": {"NM102": _ORG},  # line 1990
        "2420A": {"NM102": _PERSON, "NM108": _NPI},  # lines 2152, 2158
        "2420B": {"NM102": _PERSON, "NM108": _NPI},  # lines 2177, 2183
        "2420C": {"NM102": _PERSON, "NM108": _NPI},  # lines 2202, 2208
        "2420D": {"NM102": _PERSON, "NM108": _NPI},  # lines 2227, 2233
        "2430": {"SVD03-01": "ER/HC/HP/IV/WK"},  # line 2254
    },
    # 837D: the 837P rows whose codes its map lists alike (module docstring); not the submitter's
    # PER03 (no ED in the 837D map), CLM07 (A, C: no B), the pay-to address's NM102 (2 only) or the
    # other payer rendering provider's NM102 (1 only).
    "dental": {
        "1000A": {"NM102": _EITHER, "NM108": "46"},  # D 10, 16; P 46, 52
        "1000B": {"NM102": _ORG, "NM108": "46"},  # D 34, 40; P 70, 76
        "2000A": {"PRV02": _PXC},  # D 53; P 90
        "2000B": {"SBR02": "18"},  # D 193; P 230
        "2010AA": {"NM102": _EITHER, "NM108": _NPI, "PER03": "EM/FX/TE"},  # D 83-118; P 120-155
        "2010AC": {"NM102": _ORG, "NM108": "PI/XV"},  # D 153, 159; P 190, 196
        "2010BA": {"NM102": _EITHER, "NM108": "II/MI", "DMG03": "F/M/U"},  # D 204-229; P 251-276
        "2010BB": {"NM102": _ORG, "NM108": "PI/XV"},  # D 251, 257; P 308, 314
        "2010CA": {"NM102": _PERSON, "DMG03": "F/M/U"},  # D 1168, 1193; P 1926, 1951
        "2300": {  # D 291-296, 343; P 348-353, 436
            "CLM05-02": "B",
            "CLM06": "N/Y",
            "CLM08": "N/W/Y",
            "CLM09": "I/Y",
            "PWK02": _PWK02,
        },
        "2310A": {"NM102": _PERSON, "NM108": _NPI},  # D 450, 456; P 880, 886
        # D 476, 482, 488-489; P 899, 905, 911-912
        "2310B": {"NM102": _EITHER, "NM108": _NPI, "PRV01": "PE", "PRV02": _PXC},
        "2320": {"OI03": "N/W/Y", "OI06": "I/Y"},  # D 630, 633; P 1077, 1080
        "2330A": {"NM102": _EITHER, "NM108": "II/MI"},  # D 647, 653; P 1094, 1100
        "2330B": {"NM102": _ORG, "NM108": "PI/XV"},  # D 677, 683; P 1124, 1130
        "2330C": {"NM102": _PERSON},  # D 736; P 1178
    },
}
# kind → loop → segment → elements a model may fill that the guide does not use there (usage=N).
_NOT_USED: dict[str, dict[str, dict[str, str]]] = {
    "professional": {"2430": {"SVD": "SVD04"}},  # line 1866: the revenue code is the 837I's
}

# 837P line PWK*CT (DME certificate, line 1333) takes other PWK02 codes (line 1335): `_PWK_CT`.
_PWK_CT = f"{_PWK02}/AB/AD/AF/AG/NS"

# kind → loop → segment → max use, for the segments claim_rules does not count (PER has no qualifier
# of its own there).
_MAX_USE: dict[str, dict[str, dict[str, int]]] = {
    "professional": {
        "1000A": {"PER": 2},  # line 57
        "2010AA": {"PER": 2},  # line 152
        "2010BA": {"PER": 1},  # line 295
        "2010CA": {"PER": 1},  # line 1970
        "2310C": {"PER": 1},  # line 952
        "2420E": {"PER": 1},  # line 1768
    },
    "institutional": {"1000A": {"PER": 2}, "2010AA": {"PER": 2}},  # lines 57, 147
    "dental": {"1000A": {"PER": 2}, "2010AA": {"PER": 2}},  # D lines 21, 115; P 57, 152
}

# Elements that go together or not at all wherever their segment is (X12 syntax "P", in every map):
# NM108/NM109 (P0809, every NM1), CR101/CR102 (P0102, the 837P CR1: the patient's weight and its unit).
_PAIRS = {"NM1": ("NM108", "NM109"), "CR1": ("CR101", "CR102")}

# CRC02 and CRC03-07 per CRC01 (the definition pyx12 takes the segment for), 837P lines 557-583 and
# 1361-1380, 837I lines 453-455.
_CRC: dict[str, dict[str, dict[str, tuple[str, str]]]] = {
    "professional": {
        "2300": {
            "07": ("N/Y", "01/04/05/06/07/08/09/12"),
            **dict.fromkeys(("E1", "E2", "E3"), ("N/Y", "L1/L2/L3/L4/L5")),
            "75": ("Y", "IH"),
            "ZZ": ("N/Y", "AV/NU/S2/ST"),
        },
        "2400": {
            "07": ("N/Y", "01/04/05/06/07/08/09/12"),
            "70": ("N/Y", "65"),
            "09": ("N/Y", "38/ZV"),
        },
    },
    "institutional": {"2300": {"ZZ": ("N/Y", "AV/NU/S2/ST")}},
}


class _Names:
    """The field of each element of one segment, for messages (`contacts[0].qualifier_1`): made
    only when a message needs one, as the checks run on every claim written."""

    __slots__ = ("at", "fields")

    def __init__(self, at: str, fields: dict[str, str]) -> None:
        self.at, self.fields = at, fields

    def __contains__(self, ref: str) -> bool:
        return ref in self.fields

    def __getitem__(self, ref: str) -> str:
        return f"{self.at}{self.fields[ref]}"

    def get(self, ref: str, default: str) -> str:
        return self[ref] if ref in self.fields else default


# One segment: its values by element (`{"N401": ...}`) and the field of each element.
_Found = tuple[dict[str, Any], _Names]


def _ref(seg_id: str, element: int, comp: int) -> str:
    return f"{seg_id}{element:02d}" + (f"-{comp:02d}" if comp else "")


@cache
def _refs(model_type: type[BaseModel]) -> dict[str, list[tuple[str, str, int]]]:
    """Per segment ID, the model's own element fields (reference, field, element position) and its
    fields of whole segments ("", field, 0)."""
    out: dict[str, list[tuple[str, str, int]]] = {}
    for name, finfo in model_type.model_fields.items():
        for marker in finfo.metadata:
            if isinstance(marker, Elem):
                seg_id, element, comp = split_ref(marker.ref)
                if seg_id:
                    out.setdefault(seg_id, []).append((_ref(seg_id, element, comp), name, element))
            elif isinstance(marker, Seg):
                out.setdefault(marker.seg_id, []).append(("", name, 0))
    return out


@cache
def _item_plan(
    item_type: type[BaseModel], seg_id: str
) -> tuple[list[tuple[str, str, tuple[str, ...] | None]], dict[str, str]]:
    """A segment model's fields as (full reference, field, None), or for `Elems` ("", field, the
    references of its entries); and each reference's field (`.qualifier_1`, `.codes[0]`)."""
    plan: list[tuple[str, str, tuple[str, ...] | None]] = []
    fields: dict[str, str] = {}
    for name, finfo in item_type.model_fields.items():
        for marker in finfo.metadata:
            if isinstance(marker, Elem):
                ref = _ref(seg_id, *split_ref(marker.ref)[1:])
                plan.append((ref, name, None))
                fields[ref] = f".{name}"
            elif isinstance(marker, Elems):
                refs = tuple(_ref(seg_id, *split_ref(one)[1:]) for one in marker.refs)
                plan.append(("", name, refs))
                fields.update((ref, f".{name}[{n}]") for n, ref in enumerate(refs))
    return plan, fields


def _item_refs(item: BaseModel, seg_id: str, at: str) -> _Found:
    """A segment model's elements by full reference (`PER03`, from its relative `Elem("03")`), and
    their fields (`contacts[0].qualifier_1`)."""
    plan, fields = _item_plan(type(item), seg_id)
    values: dict[str, Any] = {}
    for ref, name, refs in plan:
        if refs is None:
            values[ref] = getattr(item, name)
        else:
            values.update(zip(refs, getattr(item, name) or [], strict=False))
    return values, _Names(at, fields)


# An element read with text its field could not take (an invalid date): the writer writes the text
# back, so the element is there though its field is None.
_KEPT = object()


def _kept(model: BaseModel, seg_id: str) -> set[int]:
    """The positions of the model's `seg_id` elements whose text read is kept (see `_KEPT`)."""
    private = model.__pydantic_private__
    layout = private.get("_x12") if private else None
    if layout is None:
        return set()
    notes = getattr(layout, "notes", None) or {}
    raw = getattr(notes.get(seg_id), "raw", None) or {}
    return {pos for pos, (text, _) in raw.items() if text}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def segments(model: BaseModel, seg_id: str) -> tuple[dict[str, Any] | None, list[_Found]]:
    """The `seg_id` segments the model writes: the one its own element fields make (None when they
    are empty), and those of its segment fields (`contacts`); each as its values by element
    (`{"N401": ...}`) and the field of each element."""
    own: dict[str, Any] = {}
    own_fields: dict[str, str] = {}
    items_found: list[_Found] = []
    kept: set[int] | None = None
    for ref, name, element in _refs(type(model)).get(seg_id, ()):
        value = getattr(model, name)
        if ref:
            if _empty(value):
                if kept is None:
                    kept = _kept(model, seg_id)
                if element in kept:
                    value = _KEPT
            own[ref] = value
            own_fields[ref] = name
            continue
        items = value if isinstance(value, list) else [] if value is None else [value]
        for n, item in enumerate(items):
            at = f"{name}[{n}]" if isinstance(value, list) else name
            items_found.append(_item_refs(item, seg_id, at))
    if any(not _empty(v) for v in own.values()):
        return own, [(own, _Names("", own_fields)), *items_found]
    return None, items_found


@cache
def _loop_plan(kind: str, loop: str, model_type: type[BaseModel]) -> list[tuple[str, bool, bool]]:
    """The segments to check in one loop's model: (segment ID, required, mapped by its own fields)."""
    required = _SEGMENTS.get(kind, {}).get(loop, "").split()
    elements = _ELEMENTS.get(kind, {}).get(loop, {})
    coded = [split_ref(ref)[0] for ref in _CODES.get(kind, {}).get(loop, {})]
    unused = _NOT_USED.get(kind, {}).get(loop, {})
    # The HL loops 2000A and 2000B share their model with their name loop (2010AA, 2010BA): its NM1
    # is checked there.
    hl_loop = loop in ("2000A", "2000B")
    named = ["NM1"] if loop[:2] in ("10", "20", "23", "24") and not hl_loop else []
    crc = ["CRC"] if loop in _CRC.get(kind, {}) else []
    refs = _refs(model_type)
    return [
        (seg_id, seg_id in required, any(ref for ref, _, _ in refs.get(seg_id, ())))
        for seg_id in dict.fromkeys([*required, *elements, *named, *coded, *unused, *crc])
        if seg_id in required or seg_id in refs  # a model with no such fields writes none
    ]


def element_problems(kind: str, loop: str, model: BaseModel, where: str) -> Iterator[str]:
    """The required segments, required elements and code lists of one loop's model; `where` starts
    each problem (`"billing provider (2010AA): "`)."""
    guide = GUIDE_NAMES[kind]
    for seg_id, required, has_own in _loop_plan(kind, loop, type(model)):
        own, found = segments(model, seg_id)
        # A required segment the model maps with its own fields (REF*EI, the tax id) is that one.
        if required and (own is None if has_own else not found):
            yield f"{where}no {seg_id}; loop {loop} of an {guide} claim requires it"
        for values, names in found:
            yield from _values_problems(kind, loop, seg_id, values, names, where)
        limit = _MAX_USE.get(kind, {}).get(loop, {}).get(seg_id)
        if limit is not None and len(found) > limit:
            yield f"{where}{len(found)} {seg_id} segments; an {guide} claim has at most {limit}"


@cache
def _segment_plan(
    kind: str, loop: str, seg_id: str
) -> tuple[list[tuple[str, str | None]], list[tuple[str, str]], list[str]]:
    """For one segment of a loop: its required elements (reference, composite prefix for a
    component), its code lists (reference, codes) and the elements it does not use."""
    required = [
        (ref, ref.partition("-")[0] + "-" if "-" in ref else None)
        for ref in _ELEMENTS.get(kind, {}).get(loop, {}).get(seg_id, "").split()
    ]
    coded = [
        (ref, listed)
        for ref, listed in _CODES.get(kind, {}).get(loop, {}).items()
        if ref.startswith(seg_id) and ref[len(seg_id) :][:1].isdigit()
    ]
    unused = _NOT_USED.get(kind, {}).get(loop, {}).get(seg_id, "").split()
    return required, coded, unused


def _values_problems(
    kind: str, loop: str, seg_id: str, values: dict[str, Any], names: _Names, where: str
) -> Iterator[str]:
    guide = GUIDE_NAMES[kind]
    required, coded, unused = _segment_plan(kind, loop, seg_id)
    for ref, composite in required:
        if composite and all(_empty(v) for k, v in values.items() if k.startswith(composite)):
            continue  # a component is required only when its composite is written (SV202)
        if ref in values:
            if _empty(values[ref]):
                yield f"{where}{seg_id} without {ref} ({names[ref]}); the {guide} guide requires it"
            continue
        # A whole composite (837P SVD03), mapped by its components.
        parts = [k for k in values if k.startswith(f"{ref}-")]
        if parts and all(_empty(values[k]) for k in parts):
            fields = ", ".join(names[k] for k in parts)
            yield f"{where}{seg_id} without {ref} ({fields}); the {guide} guide requires it"
    pair = _PAIRS.get(seg_id)
    if pair is not None and _empty(values.get(pair[0])) != _empty(values.get(pair[1])):
        given, missing = pair if _empty(values.get(pair[1])) else pair[::-1]
        if missing in names:
            yield (
                f"{where}{seg_id} has {given} ({names.get(given, given)}) without {missing} "
                f"({names[missing]}); they go together"
            )
    for ref, listed in coded:
        if ref == "PWK02" and kind == "professional" and loop == "2400" and values["PWK01"] == "CT":
            listed = _PWK_CT
        value = values.get(ref)
        if not _empty(value) and value is not _KEPT and value not in listed.split("/"):
            yield _bad_code(where, ref, names.get(ref, ref), value, listed, guide)
    for ref in unused:
        if not _empty(values.get(ref)):
            yield f"{where}{seg_id} has {ref} ({names[ref]}); the {guide} guide does not use it"
    if seg_id == "CRC":
        yield from _crc_problems(kind, loop, values, names, where)


def _bad_code(where: str, ref: str, name: str, value: Any, listed: str, guide: str) -> str:
    # A code is short; anything else may be data put in the wrong field: not quoted (PHI).
    shown = repr(value) if is_code(value) else "a value"
    return f"{where}{ref} ({name}) is {shown}, not one of {listed.replace('/', ', ')} ({guide})"


def _crc_problems(
    kind: str, loop: str, values: dict[str, Any], names: _Names, where: str
) -> Iterator[str]:
    table = _CRC.get(kind, {}).get(loop, {})
    lists = table.get(values.get("CRC01"))  # type: ignore[arg-type]
    if lists is None:
        return  # an unknown CRC01 is claim_rules' to report
    guide = GUIDE_NAMES[kind]
    answers, conditions = lists
    if not _empty(values.get("CRC02")) and values["CRC02"] not in answers.split("/"):
        yield _bad_code(where, "CRC02", names["CRC02"], values["CRC02"], answers, guide)
    for ref in ("CRC03", "CRC04", "CRC05", "CRC06", "CRC07"):
        value = values.get(ref)
        if not _empty(value) and value not in conditions.split("/"):
            yield _bad_code(where, ref, names.get(ref, ref), value, conditions, guide)


__all__ = ["element_problems", "segments"]
