"""What the guides require of a claim's segments and which codes their elements take (SNIP 2).

Write-time rules for `check_claim`; the models leave these fields optional so that files lacking them
still read. Three tables per claim kind and loop, from the maps (837P `maps/837.5010.X222.A1.full.txt`,
837I `maps/837Q3.I.5010.X223.A1.full.txt`, cited by line), the external code lists, and
`claim_usage`'s:

- `_SEGMENTS`: segments the loop requires (usage=R) whenever the loop is there;
- `_ELEMENTS`: elements a segment requires when it is written (`"PER": "PER03 PER04"`), and with
  them, in every loop, a qualifier a model's field gives (`_chosen_qualifiers`: the drug's REF01);
- `_CODES`: the code list of an element whose map lists codes;
- `_external`: the external code lists that may be shipped (`edi.codesets`, SNIP 5): place of
  service, state, country and currency codes;
- `claim_usage`: the elements a segment uses in the loop; any other a model fills (837P SVD04, the
  ambulance drop-off location's first name) or kept from the file read (NM110) is refused, and so
  is a segment with no element at all (an empty MOA: X12 wants one, and the map requires none).

Situational segments the model shows the situation of are `situational_problems`' (the subscriber's
DMG when the subscriber is the patient, the 837P line's DTP*472).

837D (`maps/837D.5010.X224.A2.full.txt`, "D" in the citations, made from TigerShark): that map is
wrong in places (x12-notes §5), so a dental row is an 837P rule only, where both maps give the same
segment of a loop of the same meaning the same usage (and a code list the same codes) and §5 does not
doubt it; each cites both maps (`D 95; P 132`). Where they disagree, a code in neither list is
refused (the submitter's PER03 and PER05, CLM07, the pay-to address's and the prior payer's
providers' NM102), and the rendering provider's PRV is required, as the 837D map and §5 say; the
837D map's own elements (CLM19, the referring provider's PRV, the SVD's usage=R but SVD04, the prior
payer's providers' REF) are checked as it gives them (the 837D audit). Left out: the subscriber's
NM108/NM109, the NM1 of the loops whose qualifiers §5 corrects (2310C-E, 2420x) and SVD04 (the
837D map's SVD is the 837I's: SVD04 the revenue code, HP, no AD). X12 syntax relations (NM108 with NM109, P0809) and element sizes are
`claim_syntax`'s, which `element_problems` runs too.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from pydantic import BaseModel

from edi.codesets import (
    LISTS,
    STATE_ABROAD,
    STATE_COUNTRY,
    US_CANADA_REQUIRES,
    CodeList,
    takes_state_code,
    us_canada_required,
)
from edi.diagnostics import named_past_last
from edi.mapping import SegNotes
from edi.models.base import Elem, Elems, Group, Seg, split_ref
from edi.models.claim_parties import in_loop
from edi.transactions.claim_problem import ClaimProblem
from edi.transactions.claim_rules import (
    ADDRESS_SEGMENTS,
    GUIDE_NAMES,
    fields_getter,
    shown_value,
    written_spans,
)
from edi.transactions.claim_syntax import syntax_problems
from edi.transactions.claim_usage import SegmentUsage, checked_segments, segment_usage

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
        "2320": "OI",  # line 1074
        "2410": "CTP",  # line 1582 (LIN, line 1550, the loop's first segment)
        "2430": "DTP",  # line 1889 (DTP*573, the only DTP of the loop)
        "2440": "FRM",  # line 1901 (LQ, line 1895, the loop's first segment)
        # the prior payer's providers' REF, lines 1189, 1208, 1227, 1246, 1265
        **dict.fromkeys(("2330C", "2330D", "2330E", "2330F", "2330G"), "REF"),
    },
    "institutional": {
        "1000A": "PER",  # line 57
        "2000B": "SBR",  # line 223
        "2010AA": "N3 N4 REF",  # lines 131, 134, 142 (REF*EI)
        "2010AB": "N3 N4",  # lines 171, 174
        "2010AC": "N3 N4 REF",  # lines 196, 199, 212
        "2010CA": "N3 N4 DMG",  # lines 2323, 2326, 2334
        "2310E": "N3 N4",  # lines 1669, 1672
        "2320": "OI",  # line 1747
        "2410": "CTP",  # line 2117 (LIN, line 2085, the loop's first segment)
        "2430": "DTP",  # line 2285 (DTP*573, the only DTP of the loop)
        # the prior payer's providers' REF, lines 1887, 1906, 1925, 1944, 1963, 1982, 2001
        **dict.fromkeys(("2330C", "2330D", "2330E", "2330F", "2330G", "2330H", "2330I"), "REF"),
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
        "2320": "OI",  # D 627; P 1074
        "2430": "DTP",  # D 1141; P 1889 (DTP*573)
        # the prior payer's providers' REF, D 747, 766, 785, 804, 823, 842 (837P 2330C: line 1189)
        **dict.fromkeys(("2330C", "2330D", "2330E", "2330F", "2330G", "2330H"), "REF"),
        "2310B": "PRV",  # D 487 and x12-notes §5: the rendering provider's PRV*PE (837P: situational)
        "2420A": "PRV",  # D 1005 and §5: a line's rendering provider's, as the claim's
    },
}

# kind → loop → segment → elements it requires when written. Some elements go together or not at all
# whatever the loop (X12 syntax relations): `claim_syntax`.
_PARTY = {"N3": "N301", "N4": "N401"}  # N3 N301, N4 N401: usage=R wherever N3/N4 are
_DMG = "DMG01 DMG02 DMG03"  # birth date and gender: usage=R in every DMG of both maps
# PRV: usage=R for PRV01-03 in every PRV of both maps (2000A, and the providers that have one); the
# billing provider's PRV01 (BI) is the qualifier its model writes.
_PRV, _PRV_BI = "PRV01 PRV02 PRV03", "PRV02 PRV03"
# CR1 (837P ambulance transport): the reason and the distance with its unit; the weight is
# situational (with its unit: X12 syntax P0102, `claim_syntax`).
_CR1 = "CR104 CR105 CR106"
_HCP = "HCP01 HCP02"  # the pricing method and the allowed amount: usage=R in every HCP
# REF04 (the other payer a line's or line provider's id is from): both components required when it
# is written, wherever the maps use it (837P 2400 REF*G1 / REF*9F and 2420A-F, 837I 2420A-D).
_REF04 = "REF04-01 REF04-02"
_ELEMENTS: dict[str, dict[str, dict[str, str]]] = {
    "professional": {
        # lines 37-42; BHT03-05 are required fields of the model. A header made in code gets the
        # defaults of BHT01, BHT02 and BHT06; one read keeps what the file had.
        "HEADER": {"BHT": "BHT01 BHT02 BHT06"},
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
        # CLM05-02 line 348: the model fills it (B), but an empty one would be written empty
        # 350-353, 536-538; HCP 862-863
        "2300": {"CLM": "CLM05-02 CLM06 CLM07 CLM08 CLM09", "CR1": _CR1, "HCP": _HCP},
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
            "REF": _REF04,  # lines 1468-1470, 1504-1506 (REF*G1, REF*9F)
            "HCP": _HCP,  # lines 1534-1535
        },
        # REF04 lines 1639-1641, 1664-1666, 1700-1702, 1725-1727, 1761-1763, 1796-1798
        "2420A": {"NM1": "NM103", "PRV": _PRV, "REF": _REF04},  # lines 1618, 1629-1631
        "2420B": {"REF": _REF04},
        "2420C": {"NM1": "NM103", **_PARTY, "REF": _REF04},  # lines 1675-1689
        "2420D": {"NM1": "NM103", "REF": _REF04},  # line 1711
        "2420E": {"NM1": "NM103", **_PARTY, "PER": "PER03 PER04", "REF": _REF04},  # 1736-1772
        "2420F": {"NM1": "NM103", "REF": _REF04},  # line 1782
        "2420G": _PARTY,  # lines 1818-1821
        "2420H": _PARTY,  # lines 1843-1846
        "2430": {"SVD": "SVD01 SVD02 SVD03 SVD03-01 SVD03-02 SVD05", "DTP": "DTP03"},  # 1855-1891
    },
    "institutional": {
        "HEADER": {"BHT": "BHT01 BHT02 BHT06"},  # lines 37-42 (see 837P)
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
        "2300": {"CLM": "CLM05-02 CLM07 CLM08 CLM09", "HCP": _HCP},  # 323, 326-328; 1557-1558
        "2310A": {"NM1": "NM103", "PRV": _PRV},  # lines 1576, 1587-1589
        "2310B": {"NM1": "NM103"},  # line 1602
        "2310C": {"NM1": "NM103"},  # line 1621
        "2310D": {"NM1": "NM103"},  # line 1640
        "2310E": {"NM1": "NM103", **_PARTY},  # lines 1659-1673
        "2310F": {"NM1": "NM103"},  # line 1689
        "2320": {"SBR": "SBR02", "OI": "OI03 OI06"},  # lines 1707, 1750, 1753
        "2330A": {"NM1": "NM108 NM109", **_PARTY},  # lines 1798-1807
        "2330B": {"NM1": "NM108 NM109", **_PARTY},  # lines 1828-1837
        "2400": {
            "SV2": "SV202-01 SV202-02",
            "HCP": _HCP,
        },  # lines 2012-2013 (when SV202 is written); 2069-2070
        # REF04 lines 2168-2169 and the same in the other 2420x REFs
        "2420A": {"NM1": "NM103", "REF": _REF04},  # line 2153
        "2420B": {"NM1": "NM103", "REF": _REF04},  # line 2178
        "2420C": {"NM1": "NM103", "REF": _REF04},  # line 2203
        "2420D": {"NM1": "NM103", "REF": _REF04},  # line 2228
        # SVD03 is situational here (the procedure, when the line has one), SVD04 (the revenue
        # code) required: lines 2251-2263.
        "2430": {"SVD": "SVD01 SVD02 SVD03-01 SVD03-02 SVD04 SVD05", "DTP": "DTP03"},  # 2287
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
        # D 293-296; P 350-353; HCP D 432-433
        "2300": {"CLM": "CLM06 CLM07 CLM08 CLM09", "HCP": "HCP01 HCP02"},
        "2310A": {"NM1": "NM103", "PRV": _PRV},  # D 451, 462-464; P 881
        "2310B": {"NM1": "NM103", "PRV": _PRV},  # D 477, 488-490; P 900, 911-913
        "2310C": _PARTY,  # D 514, 517; P 937, 940
        "2320": {"SBR": "SBR02", "OI": "OI03 OI06"},  # D 577, 630, 633; P 1034, 1077, 1080
        "2330A": {"NM1": "NM108 NM109", **_PARTY},  # D 653-662; P 1100-1109
        "2330B": {"NM1": "NM108 NM109", **_PARTY},  # D 683-692; P 1130-1139
        # D 853, the SV3 having no 837P counterpart (as SV101-02, P 1276); x12-notes §5: AD + CDT code
        "2400": {"SV3": "SV301-02", "HCP": "HCP01 HCP02"},  # HCP D 976-977
        # D 1107-1119: the payer, its payment, the procedure and the units (usage=R); not SVD04,
        # which no 837D line has (the 837D map's SVD is the 837I's, module docstring)
        "2430": {"SVD": "SVD01 SVD02 SVD03-01 SVD03-02 SVD05"},
    },
}

# kind → loop → element → its codes, when the element is written.
_PERSON, _ORG, _EITHER = "1", "2", "1/2"
_NPI = "XX"
_PWK02 = "AA/BM/EL/EM/FT/FX"  # 837P lines 436, 1325; 837I lines 363, 2030
_PXC = "PXC"  # PRV02 in every PRV of both maps: the taxonomy code list
_CR1_CODES = {"CR101": "LB", "CR104": "A/B/C/D/E", "CR105": "DH"}  # 837P claim and line CR1
# SBR01 (payer responsibility) and SBR09 (claim filing indicator), 2000B and 2320: the same codes in
# the three maps (P 229, 237, 1033, 1041; I 224, 232, 1706, 1714; D 192, 200, 576, 584).
_PER01 = "IC"  # every PER of the three maps (P 58, 153, 296, 953, 1769; I 58, 148; D 22, 116)
_SBR05 = "12/13/14/15/16/41/42/43/47"  # 837P 2000B and 2320 (lines 233, 1037); 837I, 837D: not used
# CAS01, the claim adjustment group code of a prior payer's claim (2320) and line (2430) CAS.
_CAS_CODES = {"CAS01": "CO/CR/OA/PI/PR"}
_REF04_CODES = {"REF04-01": "2U"}  # 837P lines 1469, 1505, 1640 ...; 837I line 2168
# 837P CN1 (claim and line) and the HCP codes the claim's and the line's repricing share.
_CN101 = "01/02/03/04/05/06/09"
# PER05 and PER07 (a second number's qualifier): 837P billing and ordering providers (lines 157, 159,
# 1773, 1775), the 837P submitter's with ED too (lines 62, 64); 837I submitter and billing provider
_PER_MORE = "EM/EX/FX/TE"
# 837P PAT07 (the weight's unit) and PAT09 (pregnancy), 2000B and 2000C (lines 245-247, 1920-1922)
_PAT_CODES = {"PAT07": "01", "PAT09": "Y"}
_CLM11 = "AA/EM/OA"  # 837P CLM11-01, CLM11-02, the related causes (lines 356, 357)
# CLM20, the delay reason: the same codes in the three maps (P 369, I 339, D 312).
_CLM20 = "1/2/3/4/5/6/7/8/9/10/11/15"
# CTP05-01, the drug's unit (2410): 837P line 1588, 837I line 2123.
_CTP05 = "F2/GR/ME/ML/UN"
_HCP01 = "00/01/02/03/04/05/06/07/08/09/10/11/12/13/14"  # 837P line 1534, 837I lines 1557, 2069
_HCP_CODES = {"HCP13": "T1/T2/T3/T4/T5/T6", "HCP14": "1/2/3/4/5", "HCP15": "1/2/3/4/5/6"}
# SBR02 of a prior payer's subscriber (2320): 837P line 1034, 837I line 1707.
_SBR02_OTHER = "01/18/19/20/21/39/40/53/G8"
_SBR_CODES = {
    "SBR01": "A/B/C/D/E/F/G/H/P/S/T/U",
    "SBR09": "11/12/13/14/15/16/17/AM/BL/CH/CI/DS/FI/HM/LM/MA/MB/MC/OF/TV/VA/WC/ZZ",
}
_CODES: dict[str, dict[str, dict[str, str]]] = {
    "professional": {
        "HEADER": {"BHT01": "0019", "BHT02": "00/18", "BHT06": "CH/RP"},  # lines 37, 38, 42
        "1000A": {
            "NM102": _EITHER,
            "NM108": "46",
            "PER01": _PER01,
            "PER03": "ED/EM/FX/TE",
            "PER05": "ED/EM/EX/FX/TE",  # line 62
            "PER07": "ED/EM/EX/FX/TE",  # line 64
        },  # lines 46, 52, 60
        "1000B": {"NM102": _ORG, "NM108": "46"},  # lines 70, 76
        "2000A": {"PRV02": _PXC},  # line 90
        "2010AA": {
            "NM102": _EITHER,
            "NM108": _NPI,
            "PER01": _PER01,
            "PER03": "EM/FX/TE",
            "PER05": _PER_MORE,  # line 157
            "PER07": _PER_MORE,  # line 159
        },  # lines 120, 126, 155
        "2010AB": {"NM102": _EITHER},  # line 165
        "2010AC": {"NM102": _ORG, "NM108": "PI/XV"},  # lines 190, 196
        # line 230; PAT07, PAT09 lines 245, 247
        "2000B": {"SBR02": "18", **_SBR_CODES, "SBR05": _SBR05, **_PAT_CODES},
        "2010BA": {
            "NM102": _EITHER,
            "NM108": "II/MI",
            "DMG03": "F/M/U",
            "PER01": _PER01,
            "PER03": "TE",
        },
        "2010BB": {"NM102": _ORG, "NM108": "PI/XV"},  # lines 308, 314
        # lines 1926, 1951, 1971, 1973; PAT07, PAT09 lines 1920, 1922 (2000C)
        "2010CA": {"NM102": _PERSON, "DMG03": "F/M/U", "PER01": _PER01, "PER03": "TE"},
        "2000C": _PAT_CODES,
        "2300": {  # lines 348-353; PWK02 line 436; CR1 lines 533, 536, 537
            "CLM05-02": "B",
            "CLM06": "N/Y",
            "CLM07": "A/B/C",
            "CLM08": "N/W/Y",
            "CLM09": "I/Y",
            "CLM10": "P",  # line 354
            "CLM11-01": _CLM11,  # line 356
            "CLM11-02": _CLM11,  # line 357
            "PWK02": _PWK02,
            "PWK05": "AC",  # line 439
            "CLM12": "02/03/05/09",  # line 361
            "CLM20": _CLM20,  # line 369
            **_CR1_CODES,
            "CR208": "A/C/D/E/F/G/M",  # line 551
            "CN101": _CN101,  # line 445
            "HCP01": "00/01/02/03/04/05/07/08/09/10/11/12/13/14",  # line 862 (no 06)
            **_HCP_CODES,  # lines 874-876
        },
        # PWK02 line 1325 (PWK*CT: `_PWK_CT`); SV5 lines 1309, 1317, 1321; CR1 lines 1344-1348
        "2400": {
            "PWK02": _PWK02,
            "PWK05": "AC",  # line 1328
            # the line's dates but the service date (DTP*472, D8/RD8: a field of its own), lines
            # 1392-1421
            "DTP02": "D8",
            "SV101-01": "ER/HC/IV/WK",  # line 1275
            "SV103": "MJ/UN",  # line 1284
            "MEA02": "HT/R1/R2/R3/R4",  # line 1436
            "SV501-01": "HC",
            "SV502": "DA",
            "SV506": "1/4/6",
            **_CR1_CODES,
            "CR301": "I/R/S",  # line 1355
            "CR302": "MO",  # line 1356
            **_REF04_CODES,
            "SV109": "Y",  # line 1294
            "SV111": "Y",  # line 1296
            "SV112": "Y",  # line 1297
            "SV115": "0",  # line 1300
            "CN101": _CN101,  # line 1448
            "HCP01": _HCP01,  # line 1534
            "HCP09": "ER/HC/IV/WK",  # line 1542
            "HCP11": "MJ/UN",  # line 1544
            **_HCP_CODES,  # lines 1546-1548
        },
        "2440": {"LQ01": "AS/UT", "FRM02": "N/W/Y"},  # lines 1899, 1903
        "2310A": {"NM102": _PERSON, "NM108": _NPI},  # lines 880, 886
        # lines 899, 905, 911-912
        "2310B": {"NM102": _EITHER, "NM108": _NPI, "PRV01": "PE", "PRV02": _PXC},
        "2310C": {
            "NM102": _ORG,
            "NM108": _NPI,
            "PER01": _PER01,
            "PER03": "TE",
        },  # lines 925, 931, 955
        "2310D": {"NM102": _PERSON, "NM108": _NPI},  # lines 965, 971
        "2310E": {"NM102": _ORG},  # line 984
        "2310F": {"NM102": _ORG},  # line 1009
        # lines 1043, 1077, 1080
        "2320": {
            "OI03": "N/W/Y",
            "OI04": "P",  # line 1078
            "OI06": "I/Y",
            **_SBR_CODES,
            "SBR02": _SBR02_OTHER,  # line 1034
            "SBR05": _SBR05,
            **_CAS_CODES,
        },
        "2330A": {"NM102": _EITHER, "NM108": "II/MI"},  # lines 1094, 1100
        "2330B": {"NM102": _ORG, "NM108": "PI/XV"},  # lines 1124, 1130
        "2330C": {"NM102": _PERSON},  # line 1178
        "2330D": {"NM102": _EITHER},  # line 1197
        "2330E": {"NM102": _ORG},  # line 1216
        "2330F": {"NM102": _PERSON},  # line 1235
        "2330G": {"NM102": _EITHER},  # line 1254
        # lines 1617, 1623, 1629-1630
        "2420A": {"NM102": _EITHER, "NM108": _NPI, "PRV01": "PE", "PRV02": _PXC, **_REF04_CODES},
        "2420B": {"NM102": _EITHER, "NM108": _NPI, **_REF04_CODES},  # lines 1649, 1655, 1664
        "2420C": {"NM102": _ORG, "NM108": _NPI, **_REF04_CODES},  # lines 1674, 1680, 1700
        "2420D": {"NM102": _PERSON, "NM108": _NPI, **_REF04_CODES},  # lines 1710, 1716, 1725
        "2420E": {
            "NM102": _PERSON,
            "NM108": _NPI,
            "PER01": _PER01,
            "PER03": "EM/FX/TE",
            "PER05": _PER_MORE,  # line 1773
            "PER07": _PER_MORE,  # line 1775
            **_REF04_CODES,
        },  # lines 1735-1771
        "2420F": {"NM102": _PERSON, "NM108": _NPI, **_REF04_CODES},  # lines 1781, 1787, 1796
        "2420G": {"NM102": _ORG},  # line 1806
        "2420H": {"NM102": _ORG},  # line 1831
        "2430": {"SVD03-01": "ER/HC/IV/WK", **_CAS_CODES},  # lines 1858, 1870
        "2410": {
            "LIN02": "EN/EO/HI/N4/ON/UK/UP",
            "CTP05-01": _CTP05,
            "REF01": "VY/XZ",
        },  # 1552-1610
    },
    "institutional": {
        "HEADER": {"BHT01": "0019", "BHT02": "00/18", "BHT06": "31/CH/RP"},  # lines 37, 38, 42
        "1000A": {
            "NM102": _EITHER,
            "NM108": "46",
            "PER01": _PER01,
            "PER03": "EM/FX/TE",
            "PER05": _PER_MORE,  # line 62
            "PER07": _PER_MORE,  # line 64
        },  # lines 46, 52, 60
        "1000B": {"NM102": _ORG, "NM108": "46"},  # lines 70, 76
        "2000A": {"PRV02": _PXC},  # line 90
        "2010AA": {
            "NM102": _ORG,
            "NM108": _NPI,
            "PER01": _PER01,
            "PER03": "EM/FX/TE",
            "PER05": _PER_MORE,  # line 152
            "PER07": _PER_MORE,  # line 154
        },  # lines 120, 126, 150
        "2010AB": {"NM102": _ORG},  # line 160
        "2010AC": {"NM102": _ORG, "NM108": "PI/XV"},  # lines 185, 191
        "2000B": {"SBR02": "18", **_SBR_CODES},  # line 225
        "2010BA": {"NM102": _EITHER, "NM108": "II/MI", "DMG03": "F/M/U"},  # lines 236, 242, 261
        "2010BB": {"NM102": _ORG, "NM108": "PI/XV"},  # lines 283, 289
        "2010CA": {"NM102": _PERSON, "DMG03": "F/M/U"},  # lines 2312, 2337
        "2300": {  # lines 323-328; PWK02 line 363
            "CLM05-02": "A",
            "CLM07": "A/B/C",
            "CLM08": "N/W/Y",
            "CLM09": "I/Y",
            "CLM20": _CLM20,  # line 339
            "PWK02": _PWK02,
            "PWK05": "AC",  # line 366
            "CN101": _CN101,  # line 372
            "HCP01": _HCP01,  # line 1557 (HCP09 not used)
            "HCP11": "DA/UN",  # line 1567
            **_HCP_CODES,  # lines 1569-1571
        },
        "2400": {
            "PWK02": _PWK02,
            "PWK05": "AC",  # line 2033
            "SV202-01": "ER/HC/HP/IV/WK",
            "SV204": "DA/UN",
            "HCP01": _HCP01,  # line 2069
            "HCP09": "ER/HC/HP/IV/WK",  # line 2077
            "HCP11": "DA/UN",  # line 2079
            **_HCP_CODES,  # lines 2081-2083
        },  # 2030, 2012, 2021
        # lines 1575, 1581, 1587-1588
        "2310A": {"NM102": _PERSON, "NM108": _NPI, "PRV01": "AT", "PRV02": _PXC},
        "2310B": {"NM102": _PERSON, "NM108": _NPI},  # lines 1601, 1607
        "2310C": {"NM102": _PERSON, "NM108": _NPI},  # lines 1620, 1626
        "2310D": {"NM102": _PERSON, "NM108": _NPI},  # lines 1639, 1645
        "2310E": {"NM102": _ORG, "NM108": _NPI},  # lines 1658, 1664
        "2310F": {"NM102": _PERSON, "NM108": _NPI},  # lines 1688, 1694
        # lines 1707, 1716, 1750, 1753
        "2320": {
            "OI03": "N/W/Y",
            "OI06": "I/Y",
            **_SBR_CODES,
            "SBR02": _SBR02_OTHER,
            **_CAS_CODES,
        },
        "2330A": {"NM102": _EITHER, "NM108": "II/MI"},  # lines 1792, 1798
        "2330B": {"NM102": _ORG, "NM108": "PI/XV"},  # lines 1822, 1828
        "2330C": {"NM102": _PERSON},  # line 1876
        "2330D": {"NM102": _PERSON},  # line 1895
        "2330E": {"NM102": _PERSON},  # line 1914
        "2330F": {"NM102": _ORG},  # line 1933
        "2330G": {"NM102": _PERSON},  # line 1952
        "2330H": {"NM102": _PERSON},  # line 1971
        "2330I": {"NM102": _ORG},  # line 1990
        "2420A": {"NM102": _PERSON, "NM108": _NPI, **_REF04_CODES},  # lines 2152, 2158, 2168
        "2420B": {"NM102": _PERSON, "NM108": _NPI, **_REF04_CODES},  # lines 2177, 2183
        "2420C": {"NM102": _PERSON, "NM108": _NPI, **_REF04_CODES},  # lines 2202, 2208
        "2420D": {"NM102": _PERSON, "NM108": _NPI, **_REF04_CODES},  # lines 2227, 2233
        "2430": {"SVD03-01": "ER/HC/HP/IV/WK", **_CAS_CODES},  # lines 2254, 2266
        "2410": {"LIN02": "N4", "CTP05-01": _CTP05, "REF01": "VY/XZ"},  # lines 2087, 2123, 2145
    },
    # 837D: the 837P rows whose codes its map lists alike (module docstring). Where the two lists
    # differ, a code in neither is refused: the submitter's PER03 (no ED in the 837D map) and CLM07
    # (A, C: no B), the 837P's list. Not the pay-to address's NM102 (2 only) or the other payer
    # rendering provider's NM102 (1 only).
    "dental": {
        # D 10, 16, 24; P 46, 52, 60
        "1000A": {
            "NM102": _EITHER,
            "NM108": "46",
            "PER01": _PER01,
            "PER03": "ED/EM/FX/TE",
            "PER05": "ED/EM/EX/FX/TE",  # D 26 (no ED); P 62
        },
        "1000B": {"NM102": _ORG, "NM108": "46"},  # D 34, 40; P 70, 76
        "2000A": {"PRV02": _PXC},  # D 53; P 90
        "2000B": {"SBR02": "18", **_SBR_CODES},  # D 193; P 230
        "2010AA": {
            "NM102": _EITHER,
            "NM108": _NPI,
            "PER01": _PER01,
            "PER03": "EM/FX/TE",
        },  # D 83-118; P 120-155
        "2010AB": {"NM102": _EITHER},  # D 128 (2 only); P 165
        "2010AC": {"NM102": _ORG, "NM108": "PI/XV"},  # D 153, 159; P 190, 196
        "2010BA": {"NM102": _EITHER, "NM108": "II/MI", "DMG03": "F/M/U"},  # D 204-229; P 251-276
        "2010BB": {"NM102": _ORG, "NM108": "PI/XV"},  # D 251, 257; P 308, 314
        "2010CA": {"NM102": _PERSON, "DMG03": "F/M/U"},  # D 1168, 1193; P 1926, 1951
        "2300": {  # D 291-296, 343; P 348-353, 436
            "CLM05-02": "B",
            "CLM06": "N/Y",
            "CLM08": "N/W/Y",
            "CLM09": "I/Y",
            "CLM07": "A/B/C",  # D 294 (A, C); P 351 (A, B, C)
            "CLM19": "PB",  # D 311: the predetermination of benefits (x12-notes §5)
            "CLM20": _CLM20,  # D 312; P 369
            "PWK02": _PWK02,
            "DN202": "E/M",  # D 336; x12-notes §5: E to be extracted, M missing
            "CN101": _CN101,  # D 352; P 445
            "HCP01": _HCP01,  # D 432 (06 too; P 862: no 06)
            "HCP11": "DA/UN",  # D 442
            **_HCP_CODES,  # D 444-446
        },
        # D 852, 868, the SV3 having no 837P counterpart; x12-notes §5: SV301-01 AD (CDT), SV305 I / R
        "2400": {
            "SV301-01": "AD",
            "SV305": "I/R",
            "CN101": _CN101,  # D 913 (no 01); P 1448
            "HCP01": _HCP01,  # D 976
            "HCP11": "DA/UN",  # D 986
            **_HCP_CODES,  # D 988-990
        },
        "2310A": {"NM102": _PERSON, "NM108": _NPI, "PRV01": "RF", "PRV02": _PXC},  # D 450-463
        # D 476, 482, 488-489; P 899, 905, 911-912
        "2310B": {"NM102": _EITHER, "NM108": _NPI, "PRV01": "PE", "PRV02": _PXC},
        # D 577, 586, 630, 633; P 1034, 1043, 1077, 1080
        "2320": {"OI03": "N/W/Y", "OI06": "I/Y", "SBR02": _SBR02_OTHER, **_SBR_CODES, **_CAS_CODES},
        # SVD03-01: D 1110 lists the 837I's codes; an 837D line's procedure is an ADA code (AD, as
        # SV301-01: x12-notes §5), so a code in neither is refused. CAS01: D 1122; P 1870
        "2430": {"SVD03-01": "AD/ER/HC/HP/IV/WK", **_CAS_CODES},
        "2330A": {"NM102": _EITHER, "NM108": "II/MI"},  # D 647, 653; P 1094, 1100
        "2330B": {"NM102": _ORG, "NM108": "PI/XV"},  # D 677, 683; P 1124, 1130
        "2330C": {"NM102": _PERSON},  # D 736; P 1178
        # D 755, 774, 793, 812, 831 (1, 1, 1/2, 2, 1/2; P 1197-1254: 1/2): a code in neither
        **dict.fromkeys(("2330D", "2330E", "2330F", "2330G", "2330H"), {"NM102": _EITHER}),
    },
}
# Place of service (code source 237): 837P CLM05-01 and SV105 (lines 347, 1286, `{external:pos}`);
# 837D CLM05-01 and SV303, the same element (de 1331) and meaning (x12-notes §5). Not the 837I's
# CLM05-01: the facility type code there is NUBC's, which may not be shipped.
_POS = {"2300": {"CLM05-01": LISTS["pos"]}}
_PLACES_OF_SERVICE = {
    "professional": {**_POS, "2400": {"SV105": LISTS["pos"]}},
    "dental": {**_POS, "2400": {"SV303": LISTS["pos"]}},
}


@cache
def _external(kind: str, loop: str) -> dict[str, CodeList]:
    """The elements of one loop that take an external code list, and the list. N402 and N404 in every
    loop with an N4 (those whose N401 `_ELEMENTS` requires; the maps mark N402 `{external:states}`
    in most of them, and it is one element, de 156, in all), CUR02 in 2000A (de 100) and CLM11-04/05,
    the auto accident's state and country (de 156, 26): in all three guides."""
    found: dict[str, CodeList] = dict(_PLACES_OF_SERVICE.get(kind, {}).get(loop, {}))
    if "N4" in _ELEMENTS.get(kind, {}).get(loop, {}):
        found.update(N402=LISTS["states"], N404=LISTS["country"])
    if loop == "2000A":
        found["CUR02"] = LISTS["currency"]
    elif loop == "2300":
        found.update({"CLM11-04": LISTS["states"], "CLM11-05": LISTS["country"]})
    return found


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

# CRC02 and CRC03-07 per CRC01 (the definition pyx12 takes the segment for), 837P lines 557-583 and
# 1361-1380, 837I lines 453-455. CRC03 is required in each (usage=R); which of CRC04-07 a definition
# uses is claim_usage's. The 837I map lists no codes for CRC04-05 (lines 456-457, the same element
# 1321 as CRC03): they take CRC03's, as in the 837P.
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
    """The field of each element of one segment, for messages (`contacts[0].qualifier_1`): looked
    up only when a message needs one, as the checks run on every claim written."""

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


# The values an element may hold when nothing is written for it (`value in _EMPTY`).
_EMPTY: tuple[object, ...] = (None, "", [], {})


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
            elif isinstance(marker, Seg) or (isinstance(marker, Group) and _has_header(finfo)):
                out.setdefault(marker.seg_id, []).append(("", name, 0))
    return out


def _has_header(finfo: Any) -> bool:
    """Whether the items of a `Group` field have elements of their own segment's header (a CAS
    item's CAS01, the group code), which rules on the segment may be on; an HI item has none."""
    item_type = finfo.annotation.__args__[0]
    return any(
        isinstance(marker, Elem) for f in item_type.model_fields.values() for marker in f.metadata
    )


@cache
def _lists(model_type: type[BaseModel]) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Per segment ID, the model's own `Elems` fields and their references (Claim.related_causes:
    CLM11-01 to CLM11-03)."""
    out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for name, finfo in model_type.model_fields.items():
        for marker in finfo.metadata:
            if isinstance(marker, Elems) and split_ref(marker.refs[0])[0]:
                seg_id = split_ref(marker.refs[0])[0]
                refs = tuple(_ref(*split_ref(ref)) for ref in marker.refs)
                out.setdefault(seg_id, []).append((name, refs))
    return out


@cache
def _slot_keys(model_type: type[BaseModel], seg_id: str) -> tuple[str, ...]:
    """The keys under which a loop model's layout notes the text read of its own `seg_id` fields
    (`edi.mapping`: the segment ID, and `*` and the qualifiers its marker names: `NM1*85`)."""
    keys: dict[str, None] = {}
    for finfo in model_type.model_fields.values():
        for marker in finfo.metadata:
            if isinstance(marker, (Elem, Elems)):
                ref = marker.ref if isinstance(marker, Elem) else marker.refs[0]
                if split_ref(ref)[0] == seg_id:
                    quals = marker.quals
                    keys[seg_id + ("" if quals is None else "*" + "|".join(quals))] = None
    return tuple(keys)


@cache
def _position(ref: str) -> tuple[int, int]:
    """`"CLM11-03"` → (11, 3)."""
    return split_ref(ref)[1:]


@dataclass(frozen=True, slots=True)
class _ItemPlan:
    """How to read the elements of one segment model (`Contact` as a PER) by full reference."""

    refs: tuple[str, ...]  # of its `Elem` fields, in field order
    get: Callable[[Any], tuple[Any, ...]]
    lists: tuple[tuple[str, tuple[str, ...]], ...]  # its `Elems` fields and their references
    fields: dict[str, str]  # each reference's field (`.qualifier_1`, `.codes[0]`)


@cache
def _item_plan(item_type: type[BaseModel], seg_id: str) -> _ItemPlan:
    refs: list[str] = []
    names: list[str] = []
    lists: list[tuple[str, tuple[str, ...]]] = []
    fields: dict[str, str] = {}
    for name, finfo in item_type.model_fields.items():
        for marker in finfo.metadata:
            if isinstance(marker, Elem):
                ref = _ref(seg_id, *split_ref(marker.ref)[1:])
                refs.append(ref)
                names.append(name)
                fields[ref] = f".{name}"
            elif isinstance(marker, Elems):
                entries = tuple(_ref(seg_id, *split_ref(one)[1:]) for one in marker.refs)
                lists.append((name, entries))
                fields.update((ref, f".{name}[{n}]") for n, ref in enumerate(entries))
    return _ItemPlan(tuple(refs), fields_getter(tuple(names)), tuple(lists), fields)


def _item_refs(item: BaseModel, seg_id: str, at: str) -> _Found:
    """A segment model's elements by full reference (`PER03`, from its relative `Elem("03")`), and
    their fields (`contacts[0].qualifier_1`)."""
    plan = _item_plan(type(item), seg_id)
    values = dict(zip(plan.refs, plan.get(item), strict=True))
    for name, refs in plan.lists:
        values.update(zip(refs, getattr(item, name) or [], strict=False))
    private = item.__pydantic_private__
    note = private.get("_x12") if private else None
    if note is not None:
        _mark_kept(seg_id, note, values)
    return values, _Names(at, plan.fields)


_ABSENT = object()  # an element the model has no field for

# An element read with text its field could not take (an invalid date): the writer writes the text
# back, so the element is there though its field is None.
_KEPT = object()


def _notes(model: BaseModel) -> dict[str, Any] | None:
    """The model's notes of text read, per segment, when it has any (see `_KEPT`)."""
    private = model.__pydantic_private__
    layout = private.get("_x12") if private else None
    return getattr(layout, "notes", None) or None


def _mark_kept(seg_id: str, note: SegNotes, values: dict[str, Any]) -> None:
    """Mark in `values` (by reference) the elements whose text read is kept (`_KEPT`): a field
    left empty there holds it; an element or component no field maps is added, for `claim_usage`'s
    rules (an NM110, an SV101-08, an element past the last)."""
    comp = note.delimiters.component
    # The refs of `values` by element (SV101-02 under SV101), made once: one scan of `values` for
    # each element read took time in the square of a segment's length (16,000 elements: 20 s).
    by_element: dict[str, list[str]] = {}
    for ref in values:
        by_element.setdefault(ref.partition("-")[0], []).append(ref)
    for pos, (text, _) in note.raw.items():
        if not text:
            continue
        whole = _ref(seg_id, pos, 0)
        mapped = by_element.get(whole, [])
        for ref in mapped:
            if values[ref] in _EMPTY:
                values[ref] = _KEPT
        parts = text.split(comp)
        if len(parts) == 1:
            if not mapped:
                values[whole] = _KEPT
            continue
        for k, part in enumerate(parts, 1):
            ref = _ref(seg_id, pos, k)
            if part and ref not in values:
                values[ref] = _KEPT


# (reference, its codes, what a message says they are: "one of N, Y", "a CMS place of service code")
_Coded = tuple[str, Collection[str], str]


def _one_of(listed: str) -> str:
    return f"one of {listed.replace('/', ', ')}"


@dataclass(frozen=True, slots=True, eq=False)  # one per kind, loop and segment (`_rules`)
class _Rules:
    """What one loop of a guide asks of one segment, from the tables (`_rules`)."""

    seg_id: str
    guide: str
    required: tuple[tuple[str, str | None], ...]  # (reference, its composite's prefix `SV202-`)
    coded: tuple[_Coded, ...]
    usage: SegmentUsage | None  # the elements the segment uses in the loop (claim_usage)
    crc: dict[str, tuple[str, str]] | None  # CRC01 → CRC02 and CRC03-07 codes
    ct_codes: str | None  # PWK02 of the 837P line PWK*CT (`_PWK_CT`)
    limit: int | None  # max use


@cache
def _rules(kind: str, loop: str, seg_id: str, chosen: tuple[str, ...] = ()) -> _Rules:
    """`chosen`: the qualifier elements of the model's own fields of the segment that a field
    gives (`_chosen_qualifiers`), required with the elements the table lists."""
    listed = _ELEMENTS.get(kind, {}).get(loop, {}).get(seg_id, "").split()
    required = tuple(
        (ref, ref.partition("-")[0] + "-" if "-" in ref else None)
        for ref in dict.fromkeys([*chosen, *listed])
    )
    mine = {
        **{
            ref: (tuple(listed.split("/")), _one_of(listed))
            for ref, listed in _CODES.get(kind, {}).get(loop, {}).items()
        },
        **{ref: (ext.codes, ext.what) for ref, ext in _external(kind, loop).items()},
    }
    coded = tuple(
        (ref, codes, what)
        for ref, (codes, what) in mine.items()
        if ref.startswith(seg_id) and ref[len(seg_id) :][:1].isdigit()
    )
    ct = seg_id == "PWK" and kind == "professional" and loop == "2400"
    return _Rules(
        seg_id=seg_id,
        guide=GUIDE_NAMES[kind],
        required=required,
        coded=coded,
        usage=segment_usage(kind, loop, seg_id),
        crc=_CRC.get(kind, {}).get(loop) if seg_id == "CRC" else None,
        ct_codes=_PWK_CT if ct else None,
        limit=_MAX_USE.get(kind, {}).get(loop, {}).get(seg_id),
    )


@dataclass(frozen=True, slots=True)
class _Fast:
    """One segment's rules as tests on a tuple of values (positions in it): a segment that passes
    them has no problem, so the messages, and the values by reference and the field names they need,
    are made only for one that does not (`_values_problems`)."""

    filled: tuple[int, ...]  # positions of required elements
    coded: tuple[tuple[int, Collection[str]], ...]  # of elements with a code list, and the codes
    blank: tuple[int, ...]  # of elements not used
    # of lists of elements (`Elems`), and the entries that are elements not used (CLM11-03)
    blank_entries: tuple[tuple[int, tuple[int, ...]], ...] = ()
    # of lists of elements, an entry with a code list, and the codes (CLM11-01)
    coded_entries: tuple[tuple[int, int, Collection[str]], ...] = ()
    may_be_empty: bool = False  # a segment model that requires no field (MOA): see `_is_empty`
    # of a state code and its country (N402, N404): no state code abroad
    states: tuple[tuple[int, int], ...] = ()
    # of the elements a place in the US or Canada requires (N402, N403), and of its country (N404;
    # -1: the model has no field for it, so the place is in the US)
    us_canada: tuple[int, ...] = ()
    country: int = -1

    # Whether a tuple of values passes these tests, generated once (`_fast_test`).
    passes: Callable[[tuple[Any, ...]], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "passes", _fast_test(self))


def _fast_test(fast: _Fast) -> Callable[[tuple[Any, ...]], bool]:
    """`fast`'s tests as one generated expression of the values `v`, each as the loop over them
    it replaced said it. `not v and v in E` is `v in E` (every empty value is falsy), and faster
    for the values most elements hold: truthy strings, which the test of `not v` lets through."""
    constants: dict[str, Any] = {"E": _EMPTY, "states": takes_state_code, "blank": _blank_entries}
    terms: list[str] = []
    filled = [f"(v[{i}] or v[{i}] not in E)" for i in fast.filled]  # not empty
    terms += filled
    for n, (i, codes) in enumerate(fast.coded):  # empty, or one of its codes
        constants[f"c{n}"] = codes
        terms.append(f"((not v[{i}] and v[{i}] in E) or v[{i}] in c{n})")
    terms += [f"(not v[{i}] and v[{i}] in E)" for i in fast.blank]  # empty
    for n, (i, entries) in enumerate(fast.blank_entries):
        constants[f"b{n}"] = entries
        terms.append(f"not blank(v[{i}], b{n})")
    for n, (i, k, codes) in enumerate(fast.coded_entries):  # entry k of a list: one of its codes
        constants[f"e{n}"] = codes
        terms.append(f"not ({k} < len(v[{i}]) and v[{i}][{k}] and v[{i}][{k}] not in e{n})")
    terms += [f"(not v[{i}] or states(v[{j}]))" for i, j in fast.states]  # no state abroad
    if fast.us_canada:  # in the US or Canada, its state and postal code
        country = f"v[{fast.country}]" if fast.country >= 0 else "None"
        needed = [f"(v[{i}] or v[{i}] not in E)" for i in fast.us_canada]
        terms.append(f"(not states({country}) or ({' and '.join(needed)}))")
    source = f"lambda v: {' and '.join(terms) or 'True'}"
    return eval(source, constants)  # type: ignore[no-any-return]  # noqa: S307


def _blank_entries(listed: list[Any], entries: tuple[int, ...]) -> bool:
    """Whether a list holds any of its entries that are elements not used (CLM11-03)."""
    return len(listed) > entries[0] and any(listed[k] for k in entries if k < len(listed))


def _unused(usage: SegmentUsage | None, ref: str) -> bool | None:
    """Whether the segment does not use element `ref` in the loop: True under every definition,
    False under none, None when that depends on its element 01 (837P PWK*CT has no PWK05)."""
    if usage is None:
        return False
    verdicts = {not one.uses(*_position(ref)) for one in usage.everywhere()}
    return verdicts.pop() if len(verdicts) == 1 else None


def _fast(
    rules: _Rules,
    refs: tuple[str, ...],
    lists: tuple[tuple[str, ...], ...] = (),
    *,
    repeated: bool = False,
) -> _Fast | None:
    """The fast tests of `rules` on the values of elements `refs`, then of lists of elements
    `lists`; None when a rule has none (CRC codes per CRC01, PWK*CT, a whole composite, an element
    several fields write that a rule other than claim_usage's is on): the full check then.

    `repeated`: an element several fields write (a line's DTP03: its service date, prescription
    date ...) is tested too, for a segment the loop does not require. The full check sees the last
    of those fields (`_segments`: one value per reference), and so do these tests (`at` keeps the
    last position of a reference); they test every one of them for an element not used, and count
    the segment as written when any is set, which is stricter. Only whether a required segment is
    there could differ (one of the first fields set, the last not): hence not for those."""
    if rules.crc is not None or rules.ct_codes is not None:
        return None
    if len(set(refs)) != len(refs) and (rules.required or rules.coded) and not repeated:
        return None
    at = {ref: n for n, ref in enumerate(refs)}
    for ref, composite in rules.required:
        if composite is None and ref not in at and any(r.startswith(f"{ref}-") for r in refs):
            return None  # a whole composite (837P SVD03)
    blank = []
    for n, ref in enumerate(refs):
        unused = _unused(rules.usage, ref)
        if unused is None:
            return None
        if unused:
            blank.append(n)
    blank_entries = []
    for n, entries in enumerate(lists, len(refs)):
        unused_at = [_unused(rules.usage, ref) for ref in entries]
        if None in unused_at:
            return None
        if any(unused_at):
            blank_entries.append((n, tuple(k for k, no in enumerate(unused_at) if no)))
    coded_entries = tuple(
        (n, k, codes)
        for n, entries in enumerate(lists, len(refs))
        for k, entry in enumerate(entries)
        for ref, codes, _ in rules.coded
        if ref == entry
    )
    # A rule on an element the model has no field for never fails (_values_problems).
    country, needed = us_canada_required(rules.seg_id)
    return _Fast(
        filled=tuple(at[ref] for ref, _ in rules.required if ref in at),
        coded=tuple((at[ref], codes) for ref, codes, _ in rules.coded if ref in at),
        blank=tuple(blank),
        blank_entries=tuple(blank_entries),
        coded_entries=coded_entries,
        states=(
            ((at["N402"], at["N404"]),)
            if "N402" in at and "N404" in at and any(ref == "N402" for ref, _, _ in rules.coded)
            else ()
        ),
        us_canada=tuple(at[ref] for ref in needed if ref in at),
        country=at.get(country, -1) if country else -1,
    )


@cache
def _item_fast(rules: _Rules, item_type: type[BaseModel]) -> _Fast | None:
    """The fast tests of `rules` on a segment model's `Elem` values (`_ItemPlan.get`)."""
    plan = _item_plan(item_type, rules.seg_id)
    listed = {ref for _, refs in plan.lists for ref in refs}
    rule_refs = {ref for ref, _ in rules.required} | {ref for ref, _, _ in rules.coded}
    rule_refs.update(us_canada_required(rules.seg_id)[1])
    if listed & rule_refs or any(_unused(rules.usage, ref) is not False for ref in listed):
        return None  # a rule on an element of a list field (CRC03, CRC04-07): the full check
    found = _fast(rules, plan.refs)
    # A segment model that requires none of its fields (MOA) may hold nothing at all, and be
    # written as a segment without elements.
    if found is not None and not any(f.is_required() for f in item_type.model_fields.values()):
        found = replace(found, may_be_empty=True)
    return found


def _is_empty(item: BaseModel) -> bool:
    return all(
        value in _EMPTY or (isinstance(value, list) and all(v in _EMPTY for v in value))
        for value in item.__dict__.values()
    )


@dataclass(frozen=True, slots=True)
class _SegmentPlan:
    """The fields of one model that write one segment ID."""

    seg_id: str
    own_refs: tuple[str, ...]  # the references of the model's own element fields (`N401`)
    own_fields: dict[str, str]  # reference → field
    lists: tuple[tuple[str, tuple[str, ...]], ...]  # own `Elems` fields and their references
    named: dict[str, str]  # reference → field, for messages (`related_causes[2]`)
    keys: tuple[str, ...]  # where the model's layout notes the text read of its own fields
    items: tuple[str, ...]  # fields of segment models (`contacts`)
    names: tuple[str, ...]  # the own fields, the own lists, then the items
    unset: tuple[Any, ...]  # their values when none of them is set (their defaults)


@cache
def _chosen_qualifiers(model_type: type[BaseModel]) -> dict[str, tuple[str, ...]]:
    """Per segment ID, the qualifier element of the model's own fields of a segment that takes one
    of several qualifiers (`Elem("REF02", qual=("VY", "XZ"))`: REF01), which a field of the model
    gives (`Drug.prescription_type`). With one qualifier (`qual="F8"`) the mapping writes it
    whenever the segment is written; with several it writes what that field holds, nothing too
    (`REF**RX1`), and such a segment no longer reads back as one of the field's. The guides require
    it: the qualifier is what picks the segment's definition (REF01, and element 01 of every
    qualified segment, is usage=R in every loop of the three maps)."""
    found: dict[str, dict[str, None]] = {}
    for finfo in model_type.model_fields.values():
        for marker in finfo.metadata:
            if isinstance(marker, (Elem, Elems)) and len(marker.quals or ()) > 1:
                seg_id = split_ref(marker.ref if isinstance(marker, Elem) else marker.refs[0])[0]
                if seg_id:
                    found.setdefault(seg_id, {})[_ref(seg_id, marker.qual_at, 0)] = None
    return {seg_id: tuple(refs) for seg_id, refs in found.items()}


@cache
def _segment_plan(model_type: type[BaseModel], seg_id: str) -> _SegmentPlan:
    refs = _refs(model_type).get(seg_id, ())
    own = [(ref, name) for ref, name, _ in refs if ref]
    lists = tuple(_lists(model_type).get(seg_id, ()))
    items = tuple(name for ref, name, _ in refs if not ref)
    fields = model_type.model_fields
    return _SegmentPlan(
        seg_id=seg_id,
        own_refs=tuple(ref for ref, _ in own),
        own_fields={ref: name for ref, name in own},
        lists=lists,
        named={ref: name for ref, name in own}
        | {ref: f"{name}[{n}]" for name, refs in lists for n, ref in enumerate(refs)},
        keys=_slot_keys(model_type, seg_id),
        items=items,
        names=tuple(name for _, name in own) + tuple(name for name, _ in lists) + items,
        unset=(None,) * len(own)
        + tuple(fields[name].default for name, _ in lists)
        + tuple(fields[name].default for name in items),
    )


@dataclass(frozen=True, slots=True)
class _Check:
    """One segment to check in one loop's model: its fields, its rules, whether the loop requires
    it, and where its fields' values lie in the loop's tuple of values (`_LoopPlan.get`)."""

    plan: _SegmentPlan
    rules: _Rules
    required: bool
    start: (
        int  # its own fields' (and lists') values are at [start:items], its items' at [items:end]
    )
    items: int
    end: int
    fast: _Fast | None  # on its own fields' and lists' values


@dataclass(frozen=True, slots=True)
class _LoopPlan:
    """The segments to check in one loop's model, and the values of all their fields in one call."""

    get: Callable[[Any], tuple[Any, ...]]
    checks: tuple[_Check, ...]
    keys: frozenset[str]  # the layout keys of the checked segments' own fields
    # Fields of segment models whose segments only claim_usage's rules are on (`_noted_problems`):
    # their values in one call, and each one's segment ID and rules.
    noted_get: Callable[[Any], tuple[Any, ...]]
    noted: tuple[tuple[str, str, _Rules], ...]  # (field, segment ID, rules)
    # The checks whose fields are not all unset, and those of the segments the loop requires
    # (`written_spans`): the others have nothing to check, unless the model keeps text read.
    written: Callable[[tuple[Any, ...]], list[int]]


@cache
def _loop_plan(kind: str, loop: str, model_type: type[BaseModel]) -> _LoopPlan:
    """Compiled once per claim kind, loop and model type."""
    required = _SEGMENTS.get(kind, {}).get(loop, "").split()
    elements = _ELEMENTS.get(kind, {}).get(loop, {})
    coded = [
        split_ref(ref)[0] for ref in (*_CODES.get(kind, {}).get(loop, {}), *_external(kind, loop))
    ]
    # An HL loop's model (2000A) has its NM1 in the name loop (2010AA, `NameLoop`): checked there.
    named = (
        ["NM1"] if loop[:2] in ("10", "20", "23", "24") and in_loop(model_type, loop, "NM1") else []
    )
    crc = ["CRC"] if loop in _CRC.get(kind, {}) else []
    refs, lists = _refs(model_type), _lists(model_type)
    # An N4's own rule (`us_canada_required`): never left to `noted`, which tests segment models only.
    us_canada = [seg_id for seg_id in refs if us_canada_required(seg_id)[1]]
    # A qualifier a field gives (REF01 of the drug's REF): required in any loop, whatever the tables
    # (an HL loop's model: in the one of its loops that holds the segment).
    chosen = {
        seg_id: quals
        for seg_id, quals in _chosen_qualifiers(model_type).items()
        if in_loop(model_type, loop, seg_id)
    }
    ruled = {*required, *elements, *named, *coded, *crc, *us_canada, *chosen}
    checks: list[_Check] = []
    names: list[str] = []
    noted: list[tuple[str, str, _Rules]] = []
    for seg_id in dict.fromkeys(
        [*required, *elements, *named, *coded, *crc, *chosen, *checked_segments(kind, loop)]
    ):
        if seg_id not in required and seg_id not in refs and seg_id not in lists:
            continue  # a model with no such fields writes none
        plan = _segment_plan(model_type, seg_id)
        rules = _rules(kind, loop, seg_id, chosen.get(seg_id, ()))
        own_lists = tuple(entries for _, entries in plan.lists)
        fast = _fast(rules, plan.own_refs, own_lists)
        if seg_id not in ruled and fast is not None and not (fast.blank or fast.blank_entries):
            # Only claim_usage's rules, and no own field an element the segment does not use (the
            # text read they keep is `_kept_problems`'): its segment models alone are tested, by
            # `_noted_problems`, and only when there are any (testing all these segments as
            # `_Check`s made every claim checked a sixth slower).
            noted += [(name, seg_id, rules) for name in plan.items]
            continue
        if fast is None and seg_id not in required:
            # A line's DTP (its dates all write DTP03): without this, every line took the full check.
            fast = _fast(rules, plan.own_refs, own_lists, repeated=True)
        start = len(names)
        names += plan.names
        checks.append(
            _Check(
                plan=plan,
                rules=rules,
                required=seg_id in required,
                start=start,
                items=start + len(plan.own_refs) + len(plan.lists),
                end=len(names),
                fast=fast,
            )
        )
    unset = tuple(value for check in checks for value in check.plan.unset)
    return _LoopPlan(
        fields_getter(names),
        tuple(checks),
        frozenset(key for check in checks for key in check.plan.keys),
        fields_getter([name for name, _, _ in noted]),
        tuple(noted),
        written_spans(
            [(check.start, check.end) for check in checks],
            unset,
            {n for n, check in enumerate(checks) if check.required},
        ),
    )


def _segments(
    plan: _SegmentPlan, model: BaseModel, notes: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, list[_Found]]:
    seg_id = plan.seg_id
    values = {ref: getattr(model, plan.own_fields[ref]) for ref in plan.own_refs}
    for name, refs in plan.lists:
        values.update(zip(refs, getattr(model, name) or [], strict=False))
    bare = False
    for key in plan.keys if notes else ():
        note = notes.get(key)  # type: ignore[union-attr]
        if note is not None:
            _mark_kept(seg_id, note, values)
            # An unqualified segment read bare (`N3~`): kept and written back so, empty. The
            # qualified ones (`REF*EA~`) are `_bare_problems`'.
            bare = bare or (type(note) is SegNotes and note.present and key == seg_id)
    own = values if bare or any(v not in _EMPTY for v in values.values()) else None
    found: list[_Found] = [] if own is None else [(own, _Names("", plan.named))]
    for name in plan.items:
        value = getattr(model, name)
        if isinstance(value, list):
            found.extend(_item_refs(item, seg_id, f"{name}[{n}]") for n, item in enumerate(value))
        elif value is not None:
            found.append(_item_refs(value, seg_id, name))
    return own, found


def _all_empty(values: tuple[Any, ...]) -> bool:
    """Whether every value is None, "", [] or {} (`_EMPTY`), in C: this runs for every segment of
    every claim. Empty values are falsy, so a truthy one ends it at once."""
    if any(values):
        return False
    empty = values.count(None) + values.count("") + values.count([]) + values.count({})
    return empty == len(values)


def listed_codes(kind: str, loop: str, ref: str) -> tuple[str, ...]:
    """The codes the guide of a claim kind lists for one element of a loop (`listed_codes(
    "professional", "2430", "SVD03-01")`: ER, HC, IV, WK); none when it lists none."""
    listed = _CODES.get(kind, {}).get(loop, {}).get(ref)
    return tuple(listed.split("/")) if listed else ()


def element_problems(kind: str, loop: str, model: BaseModel) -> list[str]:
    """The required segments, required elements and code lists of one loop's model, each problem
    said without where it is (the caller prefixes `"billing provider (2010AA): "`)."""
    out: list[str] = []
    notes = _notes(model)
    plan = _loop_plan(kind, loop, type(model))
    values = plan.get(model)
    # Text kept from a file read for a checked segment (most models keep none, or only for others:
    # a claim's HI layout): then asked of each segment.
    kept_any = notes is not None and not plan.keys.isdisjoint(notes)
    checks = plan.checks
    # Without text kept, only the checks `written` gives: each other one is unset and not required,
    # which the first test below passes over.
    for check in checks if kept_any else map(checks.__getitem__, plan.written(values)):
        mine = values[check.start : check.end]
        kept = kept_any and any(key in notes for key in check.plan.keys)  # type: ignore[operator]
        if not kept:
            # None written (most segment IDs of most models; `any` first: it is faster), or the
            # fast tests pass.
            if not any(mine) and mine == check.plan.unset:
                if not check.required:
                    continue
            elif _passes(check, mine):
                continue
        own, found = _segments(check.plan, model, notes)
        _segment_problems(check, loop, own is not None, found, out)
    noted = plan.noted_get(model)
    if any(noted):
        for value, (name, seg_id, rules) in zip(noted, plan.noted, strict=True):
            if value:
                _noted_problems(seg_id, rules, name, value, out)
    if notes is not None:
        _kept_problems(kind, loop, notes, plan.keys, out)
        _bare_problems(kind, loop, model, notes, out)
        _past_last_problems(kind, model, notes, out)
    out += syntax_problems(kind, loop, model, _asked)
    return out


def _bare_problems(
    kind: str, loop: str, model: BaseModel, notes: dict[str, Any], out: list[str]
) -> None:
    """A qualified segment read with its qualifier alone (`REF*EA~`, `DTP*472~`, `AMT*EAF~`,
    `PRV*BI~`): the model keeps it (`SegNotes.present`) and writes it back as read, but its fields are
    empty, so no other rule sees it. Of these segments, each element their fields map is required
    wherever the guides have them (REF02, DTP02 and DTP03, AMT02, PRV02 and PRV03, CUR02); an NM1
    read so is left to the name rules (its NM104 is not required)."""
    for key, note in notes.items():
        if type(note) is not SegNotes or not note.present:
            continue
        seg_id, star, quals = key.partition("*")
        if not star or "|" in quals or seg_id not in _BARE:
            continue  # no qualifier, or one held by a field (checked with it)
        if not in_loop(type(model), loop, seg_id):  # an HL loop's model: the other of its loops
            continue
        fields = _qualified_fields(type(model), seg_id, quals)
        if not fields or any(getattr(model, name) not in _EMPTY for _, name in fields):
            continue
        for ref, name in fields:
            if note.raw.get(_position(ref)[0], ("",))[0]:
                continue  # text read there that gave no value: said as read, kept
            text = f"{key} without {ref} ({name}); the {GUIDE_NAMES[kind]} guide requires it"
            out.append(ClaimProblem(text, element=ref))


def _past_last_problems(kind: str, model: BaseModel, notes: dict[str, Any], out: list[str]) -> None:
    """Text read past the last element of a segment of repeated groups (a seventh CAS triplet,
    CAS20-22; a thirteenth HI code, HI13): kept and written back as read, but in no item, so neither
    in the amounts balanced nor in the codes checked; the segment has no such element."""
    for name, group in _groups(type(model)):
        layout = notes.get(f"{group.seg_id}[]#{name}")
        if not isinstance(layout, list):
            continue
        last = group.start + group.size * group.count - 1
        for entry in layout:
            if group.seg_id == "HI" and kind in _HI_UNUSED_PARTS_KINDS:
                _hi_without_hi01(kind, entry, out)
            elif group.seg_id == "CAS":
                _cas_without_cas02(kind, entry, out)
            note = entry[1] if isinstance(entry, tuple) and len(entry) > 1 else None
            if type(note) is not SegNotes:
                continue
            past = [
                f"{group.seg_id}{pos:02d}"
                for pos in sorted(note.raw)
                if pos > last and note.raw[pos][0]
            ]
            # One each for a few, one run for more (a line each had made 1,000 lines of one HI).
            for ref, named, it in named_past_last(past):
                text = (
                    f"{group.seg_id} has {named} (text kept from the file read); the "
                    f"{GUIDE_NAMES[kind]} guide does not use {it} ({group.seg_id} has "
                    f"{last} elements)"
                )
                out.append(ClaimProblem(text, element=ref))
            if group.seg_id == "HI" and kind in _HI_UNUSED_PARTS_KINDS:
                _hi_unused_parts(kind, note, last, out)


# HIxx-07 and HIxx-08 are NOT USED in every HI composite (C022, nine components) of the 837P map
# (lines 596-597 ...), the 837I map (lines 468-469 ...) and the 837D map (D 417-418): text read there
# (or past HIxx-09) is kept and written back as read, in no field of the code.
_HI_UNUSED_PARTS_KINDS = frozenset({"professional", "institutional", "dental"})


def _hi_without_hi01(kind: str, entry: Any, out: list[str]) -> None:
    """An HI read with an empty HI01 and its codes further on (`HI**ABF:E785`): kept as read (an
    empty group between others, the override of its layout entry) and written so, but HI01 is
    required in every HI of the 837P and 837I maps (837P line 589 ..., 837I line 461 ...)."""
    override = entry[2] if isinstance(entry, tuple) and len(entry) > 2 else None
    if not override:
        return
    read = override[1]
    if len(read) > 2 and read[1] == "":
        said = (
            f"HI without HI01 (its codes start later, as kept from the file read); the "
            f"{GUIDE_NAMES[kind]} guide requires it"
        )
        out.append(ClaimProblem(said, element="HI01"))


def _cas_without_cas02(kind: str, entry: Any, out: list[str]) -> None:
    """A CAS read with its first triplet empty and another further on (`CAS*CO****45*50`): kept as
    read (the override of its layout entry) and written so, but CAS02 and CAS03 are required in every
    CAS (2320 and 2430: 837P lines 1044-1045, 1871-1872; 837I 1717-1718, 2267-2268; 837D 587-588,
    1123-1124)."""
    override = entry[2] if isinstance(entry, tuple) and len(entry) > 2 else None
    if not override:
        return
    read = override[1]
    if len(read) > 4 and read[2] == "" and read[3] == "":
        said = (
            f"CAS without CAS02 and CAS03 (its triplets start later, as kept from the file read); "
            f"the {GUIDE_NAMES[kind]} guide requires them"
        )
        out.append(ClaimProblem(said, element="CAS02"))


def _hi_unused_parts(kind: str, note: SegNotes, last: int, out: list[str]) -> None:
    """The components of an HI composite kept from the file read that no map uses (HIxx-07,
    HIxx-08) or that C022 does not have (past HIxx-09)."""
    comp = note.delimiters.component
    for pos in sorted(note.raw):
        text = note.raw[pos][0]
        if pos > last or not text or comp not in text:
            continue
        parts = text.split(comp)
        for k, part in enumerate(parts[:9], 1):
            if part and k in (7, 8):
                ref = f"HI{pos:02d}-{k:02d}"
                said = (
                    f"HI has {ref} (text kept from the file read); the {GUIDE_NAMES[kind]} guide "
                    "does not use it"
                )
                out.append(ClaimProblem(said, element=ref))
        # Past C022's nine: said once, however many (one each made 100,000 lines of one HI).
        past = [k for k, part in enumerate(parts[9:], 10) if part]
        if past:
            ref = f"HI{pos:02d}-{past[0]:02d}"
            more = (
                f" to HI{pos:02d}-{past[-1]:02d} ({len(past)} components)" if len(past) > 1 else ""
            )
            said = (
                f"HI has {ref}{more} (text kept from the file read); the {GUIDE_NAMES[kind]} guide "
                "has no such component (C022 has 9)"
            )
            out.append(ClaimProblem(said, element=ref))


@cache
def _groups(model_type: type[BaseModel]) -> tuple[tuple[str, Group], ...]:
    """The model's `Group` fields (name, marker): a claim's HI codes, a CAS's adjustments."""
    return tuple(
        (name, marker)
        for name, finfo in model_type.model_fields.items()
        for marker in finfo.metadata
        if isinstance(marker, Group)
    )


_BARE = frozenset({"REF", "DTP", "AMT", "PRV", "CUR"})


@cache
def _qualified_fields(
    model_type: type[BaseModel], seg_id: str, qualifier: str
) -> tuple[tuple[str, str], ...]:
    """The (reference, field) of each of a model's `Elem` fields of the segment with that one
    qualifier (`REF*EA`: (("REF02", "medical_record_number"),)), in field order."""
    out = []
    for name, finfo in model_type.model_fields.items():
        for marker in finfo.metadata:
            if isinstance(marker, Elem) and marker.quals == (qualifier,):
                if split_ref(marker.ref)[0] == seg_id:
                    out.append((marker.ref, name))
    return tuple(out)


@cache
def _asked(kind: str, loop: str, seg_id: str) -> tuple[frozenset[str], frozenset[str]]:
    """The elements a loop requires of a segment, and those its code lists check (`claim_syntax`
    says nothing more of them)."""
    rules = _rules(kind, loop, seg_id)
    coded = {ref for ref, _, _ in rules.coded}
    if rules.crc is not None:
        coded.update(f"CRC{n:02d}" for n in range(2, 8))
    if rules.ct_codes is not None:
        coded.add("PWK02")
    return frozenset(ref for ref, _ in rules.required), frozenset(coded)


def _noted_problems(seg_id: str, rules: _Rules, name: str, value: Any, out: list[str]) -> None:
    """claim_usage's rules on the segment models of one field (`_LoopPlan.noted`)."""
    many = isinstance(value, list)
    for n, item in enumerate(value if many else (value,)):
        if not _item_passes(rules, item):
            values, names = _item_refs(item, seg_id, f"{name}[{n}]" if many else name)
            _values_problems(rules, values, names, out)


def _item_passes(rules: _Rules, item: BaseModel) -> bool:
    """Whether one segment model surely has no problem (`_passes`)."""
    item_type = type(item)
    test = _item_fast(rules, item_type)
    if test is None or not test.passes(_item_plan(item_type, rules.seg_id).get(item)):
        return False
    private = item.__pydantic_private__
    if private and private.get("_x12") is not None:
        return False  # text kept from a file read: what it holds is seen in the full check
    return not (test.may_be_empty and _is_empty(item))


def _kept_problems(
    kind: str, loop: str, notes: dict[str, Any], checked: frozenset[str], out: list[str]
) -> None:
    """claim_usage's rules on the text a loop's model keeps from the file read for segments of its
    own fields that the plan does not check (an NM1*45 read with an NM104 into a model that has no
    field for it, an AMT03)."""
    for key, note in notes.items():
        if key in checked:
            continue
        seg_id, _, quals = key.partition("*")
        if type(note) is SegNotes:  # a segment of the model's own fields
            qualifier = None if not quals or "|" in quals else quals
            kept = [(qualifier, note)]
        elif isinstance(note, dict) and "{" in seg_id:  # dict entries (SegMap): per qualifier
            seg_id = seg_id.partition("{")[0]
            kept = [(qualifier, one) for qualifier, one in note.items() if type(one) is SegNotes]
        else:
            continue
        usage = segment_usage(kind, loop, seg_id)
        if usage is None:
            continue
        for qualifier, one in kept:
            values: dict[str, Any] = {}
            if qualifier is not None:
                values[f"{seg_id}01"] = qualifier
            _mark_kept(seg_id, one, values)
            _usage_problems(seg_id, usage, values, _Names("", {}), GUIDE_NAMES[kind], out)


def _passes(check: _Check, mine: tuple[Any, ...]) -> bool:
    """Whether a model's segments of one ID, some written, surely have no problem, from the values
    of their fields alone (most claims have none); False sends them to the full check, which says
    what it is."""
    own = mine[: check.items - check.start]
    written = not _all_empty(own)
    if written and (check.fast is None or not check.fast.passes(own)):
        return False
    count = int(written)
    rules = check.rules
    for value in mine[check.items - check.start :]:
        for item in value if isinstance(value, list) else () if value is None else (value,):
            if not _item_passes(rules, item):
                return False
            count += 1
    if check.required and not (written if check.items > check.start else count):
        return False
    return rules.limit is None or count <= rules.limit


def _segment_problems(
    check: _Check, loop: str, has_own: bool, found: list[_Found], out: list[str]
) -> None:
    """The problems of the `found` segments of one loop's model (and of their absence)."""
    rules = check.rules
    # A required segment the model maps with its own fields (REF*EI, the tax id) is that one.
    if check.required and (not has_own if check.plan.own_refs else not found):
        out.append(
            f"no {rules.seg_id}{_giving(check)}; loop {loop} of an {rules.guide} claim requires it"
        )
    for values, names in found:
        _values_problems(rules, values, names, out)
    if rules.limit is not None and len(found) > rules.limit:
        out.append(
            f"{len(found)} {rules.seg_id} segments; an {rules.guide} claim has at most "
            f"{rules.limit}"
        )


def _giving(check: _Check) -> str:
    """The fields that give a missing segment, for its message (` (address_line_1)` for an N3): a
    user who builds claims in code knows fields, not segments. Those of the elements the loop
    requires, less a qualifier the model fills in from its value (`tax_id`, not
    `tax_id_qualifier`); else the fields of its segment models (`contacts`)."""
    plan = check.plan
    names = [plan.named[ref] for ref, _ in check.rules.required if ref in plan.named]
    names = [n for n in names if not n.endswith("_qualifier")] or names or list(plan.items)
    return f" ({', '.join(names)})" if names else ""


def _values_problems(rules: _Rules, values: dict[str, Any], names: _Names, out: list[str]) -> None:
    seg_id, guide = rules.seg_id, rules.guide
    for ref, composite in rules.required:
        value = values.get(ref, _ABSENT)
        if value is _ABSENT:
            if composite is None:  # a whole composite (837P SVD03), mapped by its components
                parts = [k for k in values if k.startswith(f"{ref}-")]
                if parts and all(values[k] in _EMPTY for k in parts):
                    fields = ", ".join(names[k] for k in parts)
                    text = f"{seg_id} without {ref} ({fields}); the {guide} guide requires it"
                    out.append(ClaimProblem(text, element=ref))
        elif value in _EMPTY and not (
            # a component is required only when its composite is written (SV202)
            composite and all(v in _EMPTY for k, v in values.items() if k.startswith(composite))
        ):
            if ref == "NM108" and values.get("NM109", _ABSENT) in (_ABSENT, *_EMPTY):
                # The model puts the qualifier (MI, PI, XX) with the id: without the id, the id
                # is what is missing, said once (NM109), not twice.
                continue
            text = f"{seg_id} without {ref} ({names[ref]}); the {guide} guide requires it"
            out.append(ClaimProblem(text, element=ref))
    country, needed = us_canada_required(seg_id)
    if needed and takes_state_code(values.get(country)):
        # A place in the US (no country given) or Canada: its state and postal code.
        for ref in needed:
            if values.get(ref, _ABSENT) in _EMPTY:  # _ABSENT: a model with no field for it
                text = (
                    f"{seg_id} without {ref} ({names[ref]}); the {guide} guide requires it "
                    f"{US_CANADA_REQUIRES}"
                )
                out.append(ClaimProblem(text, element=ref))
    for ref, codes, listed in rules.coded:
        value = values.get(ref)
        if value in _EMPTY or value is _KEPT:
            continue
        if ref == "PWK02" and rules.ct_codes is not None and values["PWK01"] == "CT":
            codes, listed = tuple(rules.ct_codes.split("/")), _one_of(rules.ct_codes)
        if ref in STATE_COUNTRY and not takes_state_code(values.get(STATE_COUNTRY[ref])):
            # A place outside the US and Canada: no N402 there (`STATE_ABROAD`). The accident's
            # CLM11-04 is left alone: its note is not at hand.
            country = STATE_COUNTRY[ref]
            if (
                ref == "N402" and values.get(country) in LISTS["country"].codes
            ):  # else: N404's fault
                text = f"N402 ({names.get(ref, ref)}) {STATE_ABROAD.format(country=country)}"
                out.append(ClaimProblem(text, element="N402"))
            continue
        if value not in codes:
            out.append(_bad_code(ref, names.get(ref, ref), value, listed, guide))
    if rules.usage is not None:
        _usage_problems(seg_id, rules.usage, values, names, guide, out)
    if rules.crc is not None:
        _crc_problems(rules, values, names, out)
    if not rules.required and all(value in _EMPTY for value in values.values()):
        # Only a segment model gets here so (own fields that are all empty write no segment), or
        # an unqualified segment read bare (`N3~`), whose required elements are said above.
        out.append(
            f"{seg_id} ({names.at}) has no element, and a segment holds at least one (the "
            f"{guide} guide requires none of {seg_id}'s): leave it out or fill one"
        )


def _usage_problems(
    seg_id: str,
    usage: SegmentUsage,
    values: dict[str, Any],
    names: _Names,
    guide: str,
    out: list[str],
) -> None:
    """The elements of one segment (its values by reference) that it does not use (claim_usage)."""
    qualifier = values.get(f"{seg_id}01")
    definition = usage.of(qualifier)
    if definition is None:
        return  # an element 01 the loop has no definition for is claim_rules' to report
    # The definition picked by its qualifier is named by it (a listed code: no PHI).
    label = f"{seg_id}*{qualifier}" if qualifier in usage.by_qualifier else seg_id
    last = max(definition.elements, default=0)
    past: list[str] = []  # elements past the last the definition uses: said once
    for ref, value in values.items():
        # By the segment ID it starts with: `N3100` is N3's 100th element, not N31's element 00.
        element, _, component = ref[len(seg_id) :].partition("-")
        at = (int(element), int(component or 0))
        if value not in _EMPTY and not definition.uses(*at):
            name = names.get(ref, "text kept from the file read")
            if name == "text kept from the file read" and at[0] > last:
                past.append(ref)
                continue
            listed = _COMPONENT_LISTS.get(f"{seg_id}{at[0]:02d}")
            if listed is not None and at[1] > listed[0]:
                # A sixth surface of a tooth, a sixth oral cavity area (the dental tester).
                count, what = listed
                text = (
                    f"{label} has {ref} ({name}): {what} are at most {count} "
                    f"({seg_id}{at[0]:02d}-01 to -{count:02d})"
                )
                out.append(ClaimProblem(text, element=ref))
                continue
            text = f"{label} has {ref} ({name}); the {guide} guide does not use it"
            out.append(ClaimProblem(text, element=ref))
    for ref, named, it in named_past_last(past):
        text = f"{label} has {named} (text kept from the file read); the {guide} guide does not use {it}"
        out.append(ClaimProblem(text, element=ref))


# Composites that are lists of codes, with how many the guide gives them (837D map: TOO03-01..05
# tooth surfaces, lines 883-887; SV304-01..05 oral cavity designations) and what they are.
_COMPONENT_LISTS = {"TOO03": (5, "a tooth's surfaces"), "SV304": (5, "a line's oral cavity areas")}


# What to do instead, after the codes, where a code of another element was put in this one.
_CODE_HINTS = {
    # The COB tester: a child's 19 given as the subscriber's relationship.
    "SBR02": (
        ": a dependant's relationship to the subscriber goes in the patient's PAT01 "
        "(patient.relationship), and SBR02 is left out"
    ),
}


def _bad_code(ref: str, name: str, value: Any, listed: str, guide: str) -> ClaimProblem:
    """`listed`: what the codes are (`"one of N, Y"`)."""
    if split_ref(ref)[0] in ADDRESS_SEGMENTS:  # part of an address, even a state: never quoted
        return ClaimProblem(f"{ref} ({name}) is not {listed} ({guide})", element=ref)
    # A code is short; anything else may be data put in the wrong field: not quoted (PHI).
    shown = shown_value(value)
    # The 2000B's SBR02 takes 18 alone; the 2320's the dependants' codes, where the hint is wrong.
    hint = _CODE_HINTS.get(ref, "") if listed == "one of 18" else ""
    return ClaimProblem(f"{ref} ({name}) is {shown}, not {listed} ({guide}){hint}", element=ref)


def _crc_problems(rules: _Rules, values: dict[str, Any], names: _Names, out: list[str]) -> None:
    lists = rules.crc.get(values.get("CRC01")) if rules.crc else None  # type: ignore[arg-type]
    if lists is None:
        return  # an unknown CRC01 is claim_rules' to report
    answers, conditions = lists
    if values.get("CRC03") in _EMPTY:
        # The first condition code is required whatever CRC01 (usage=R in every CRC of both maps).
        name = names.get("CRC03", "CRC03")
        text = f"CRC*{values['CRC01']} without CRC03 ({name}); the {rules.guide} guide requires it"
        out.append(ClaimProblem(text, element="CRC03"))
    if values.get("CRC02") not in _EMPTY and values["CRC02"] not in answers.split("/"):
        out.append(
            _bad_code("CRC02", names["CRC02"], values["CRC02"], _one_of(answers), rules.guide)
        )
    for ref in ("CRC03", "CRC04", "CRC05", "CRC06", "CRC07"):
        value = values.get(ref)
        if value not in _EMPTY and value not in conditions.split("/"):
            out.append(_bad_code(ref, names.get(ref, ref), value, _one_of(conditions), rules.guide))


__all__ = ["element_problems"]
