"""What 005010X221A1 asks of the segments of an 835, loop by loop (SNIP 2): write-time rules.

The table is the map `maps/835.5010.X221.A1.full.txt` (pyx12's 835.5010.X221.A1.xml), cited by line.
Each loop lists its segment definitions in map order, one string each:

    "REF*EV S1 02R"            segment (and the element 01 qualifiers that pick the definition),
                               usage and max use (R1: required once; S>1: situational, any number),
                               then the elements it uses;
    "02R[C/D]"                 an element: R when required, [codes] when the map lists its codes;
    "02[$states]"              one whose codes are an external code list (`edi.codesets`, SNIP 5:
                               states, country, currency), by the name the map gives it;
    "01R 01-01R[HC/NU] 01-02"  a composite (01) and its components (01-01: required when the
                               composite is there);
    "P0809 C0704"              the map's X12 syntax relations: P paired (all or none), C conditional
                               (the first requires the others), L list conditional (the first requires
                               one of the others), E exclusion (at most one);
    "NPI09:08=XX"              an element that holds an NPI when another holds a code (NM109 when
                               NM108 is XX): its check digit is checked (SNIP 5; the 837's
                               `npi_is_valid`), which the map does not carry.

An element or component not listed is not used (the map's NOT USED, and any element past the last it
defines). Syntax relations among elements the map does not use (CUR C0807 ..., NM1 C1110, BPR
P1819) and those a required element already satisfies (REF R0203, DTM R020305, QTY E0204 R0204, LQ
C0102) are left out. `_SIZES` gives the type and size of each text (AN), code (ID), number (R, N0:
digits) and date (DT, CCYYMMDD) element per segment, in the form of `edi.transactions.x12_syntax`
(in the map they do not depend on the loop or definition); an element whose codes the map lists
has the size of its codes. Reading stays lenient: these rules are applied to what `write_835`
writes, but for the max use, which the reader says too (`overuse_diagnostics`, 999 IK304 5).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from operator import attrgetter
from typing import NamedTuple

from edi import codes
from edi.codesets import (
    LISTS,
    STATE_ABROAD,
    STATE_COUNTRY,
    US_CANADA_REQUIRES,
    takes_state_code,
    us_canada_required,
)
from edi.diagnostics import (
    NAMED_ONE_BY_ONE,
    Diagnostic,
    Location,
    Severity,
    named_past_last,
    shown_id,
)
from edi.loops import Loop
from edi.mapping import NUMBER_TEXT
from edi.models.base import split_ref
from edi.transactions.claim_checks import npi_fault, npi_is_valid, shown_npi
from edi.transactions.claim_rules import ADDRESS_SEGMENTS, is_short_code
from edi.transactions.remit835 import GUIDE_VERSION as GUIDE
from edi.transactions.remit835 import PLAIN_AMOUNT
from edi.transactions.x12_syntax import (
    Size,
    carried_test,
    money_fits,
    money_problem,
    number_form_problem,
    parse_sizes,
    relation_problem,
    trailing_component,
    trailing_element,
)
from edi.x12.segment import Segment


def _listed(table: Mapping[str, str]) -> str:
    return "/".join(table)


# Code lists `edi.codes` names already (the same 005010X221A1 subsets; checked against the map).
_CLP02 = _listed(codes.CLAIM_STATUS)  # line 238
_BPR01 = _listed(codes.HANDLING)  # line 37
_BPR03 = _listed(codes.CREDIT_DEBIT)  # line 39
_BPR04 = _listed(codes.PAYMENT_METHODS)  # line 40
# PLB03-01 (line 536); PLB05-01 ... PLB13-01 are the same element (de=426), which the map lists once.
_PLB_REASON = _listed(codes.PROVIDER_ADJUSTMENT_REASONS)
_PLB = " ".join(  # six reason (composite) and amount pairs, the first required
    [
        "S>1 01R 02R",
        *(
            f"{n:02d}{r} {n:02d}-01R[{_PLB_REASON}] {n:02d}-02 {n + 1:02d}{r}"
            for n, r in ((3, "R"), (5, ""), (7, ""), (9, ""), (11, ""), (13, ""))
        ),
        "P0506 P0708 P0910 P1112 P1314",
    ]
)
# CAS01: CO, OA, PI, PR (CR, which `edi.codes` also names, is a 4010 group); lines 251, 479.
_CAS = (
    "01R[CO/OA/PI/PR] 02R 03R 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 "
    "L050607 C0605 C0705 L080910 C0908 C1008 L111213 C1211 C1311 L141516 C1514 C1614 "
    "L171819 C1817 C1917"
)
_PER = "P0304 P0506 P0708"
_NM1 = "03 04 05 07"  # a person's or organization's name: NM106 (prefix) is not used
# Lines 113, 167: N402 or N407, N407 with N404; N402 (a state only in the US or Canada) and N404 take
# the external lists (lines 115-117, 169-171). A US or Canadian address has N402 and N403
# (`codesets.us_canada_required`: `Rule.us_canada`).
_N4 = "N4 {} 01R 02[$states] 03 04[$country] 07 E0207 C0704"

# Loop → its segment definitions. "ST" is the set itself: the header (lines 35-101) and the footer's
# PLB (line 531), which the loop tree keeps at the top level.
_LOOPS: dict[str, tuple[str, ...]] = {
    "ST": (
        "ST R1 01R[835] 02R",  # line 31 (ST03 not used)
        f"BPR R1 01R[{_BPR01}] 02R 03R[{_BPR03}] 04R[{_BPR04}] 05[CCP/CTX] 06[01/04] 07 08[DA] 09 "
        "10 11 12[01/04] 13 14[DA/SG] 15 16R P0607 C0809 P1213 C1415",  # line 36
        "TRN R1 01R[1] 02R 03R 04",  # line 58
        "CUR S1 01R[PR] 02R[$currency]",  # lines 63-65
        "REF*EV S1 02R",  # line 85
        "REF*F2 S1 02R",  # line 90
        "DTM*405 S1 02R",  # line 95
        f"PLB {_PLB}",  # line 532
        "SE R1 01R 02R",  # line 559
    ),
    "1000A": (
        "N1*PR R1 02R 03[XV] 04 P0304",  # line 103
        "N3 R1 01R 02",  # line 110
        _N4.format("R1"),  # line 113
        "REF*2U/EO/HI/NF S4 02R",  # line 121
        f"PER*CX S1 02 03[EM/FX/TE] 04 05[EM/EX/FX/TE] 06 07[EX] 08 {_PER}",  # line 126
        f"PER*BL R>1 02 03[EM/TE/UR] 04 05[EM/EX/FX/TE/UR] 06 07[EM/EX/FX/UR] 08 {_PER}",  # 136
        f"PER*IC S1 03R[UR] 04R {_PER}",  # line 146
    ),
    "1000B": (
        "N1*PE R1 02R 03R[FI/XV/XX] 04R P0304 NPI04:03=XX",  # line 157
        "N3 S1 01R 02",  # line 164
        _N4.format("S1"),  # line 167
        "REF*0B/D3/PQ/TJ S>1 02R",  # line 175
        "RDM S1 01R[BM/EM/FT/OL] 02 03",  # line 180
    ),
    "2000": (
        "LX R1 01R",  # line 188
        "TS3 S1 01R 02R 03R 04R 05R 13 15 17 18 20 21 22 23 24",  # line 190
        "TS2 S1 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19",  # line 215
    ),
    "2100": (
        f"CLP R1 01R 02R[{_CLP02}] 03R 04R 05 "  # line 236
        "06R[12/13/14/15/16/17/AM/CH/DS/HM/LM/MA/MB/MC/OF/TV/VA/WC/ZZ] 07R 08 09 11 12 13",
        f"CAS S99 {_CAS}",  # line 251
        f"NM1*QC R1 02R[1] {_NM1} 08[34/HN/II/MI/MR] 09 P0809",  # line 271
        f"NM1*IL S1 02R[1/2] {_NM1} 08R[FI/II/MI] 09R P0809",  # line 284
        f"NM1*74 S1 02R[1/2] {_NM1} 08[C] 09 P0809",  # line 297
        f"NM1*82 S1 02R[1/2] {_NM1} 08R[BD/BS/FI/MC/PC/SL/UP/XX] 09R P0809 NPI09:08=XX",  # 310
        "NM1*TT S1 02R[2] 03R 08R[AD/FI/NI/PI/PP/XV] 09R P0809",  # line 323
        "NM1*PR S1 02R[2] 03R 08R[AD/FI/NI/PI/PP/XV] 09R P0809",  # line 336
        f"NM1*GB S1 02R[1/2] {_NM1} 08[FI/II/MI] 09 P0809",  # line 349
        "MIA S1 01R 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24",  # 362
        "MOA S1 01 02 03 04 05 06 07 08 09",  # line 387
        "REF*1L/1W/28/6P/9A/9C/BB/CE/EA/F8/G1/G3/IG/SY S5 02R",  # line 397
        "REF*0B/1A/1B/1C/1D/1G/1H/1J/D3/G2/LU S10 02R",  # line 402
        "DTM*232/233 S2 02R",  # line 407
        "DTM*036 S1 02R",  # line 414
        "DTM*050 S1 02R",  # line 421
        f"PER*CX S2 02 03R[EM/FX/TE] 04R 05[EM/EX/FX/TE] 06 07[EX] 08 {_PER}",  # line 428
        "AMT*AU/D8/DY/F5/I/NL/T/T2/ZK/ZL/ZM/ZN/ZO S13 02R",  # line 438
        "QTY*CA/CD/LA/LE/NE/NR/OU/PS/VS/ZK/ZL/ZM/ZN/ZO S14 02R",  # line 442
    ),
    "2110": (
        "SVC R1 01R 01-01R[AD/ER/HC/HP/IV/N4/N6/NU/UI/WK] 01-02R 01-03 01-04 01-05 01-06 02R 03R "
        "04 05 06 06-01R[AD/ER/HC/HP/IV/N4/NU/WK] 06-02R 06-03 06-04 06-05 06-06 06-07 07",  # 448
        "DTM*150/151/472 S2 02R",  # line 472
        f"CAS S99 {_CAS}",  # line 479
        "REF*1S/APC/BB/E9/G1/G3/LU/RB S8 02R",  # line 499
        "REF*6R S1 02R",  # line 504
        # HPI: the CMS National Provider Identifier (the rendering provider's NPI).
        "REF*0B/1A/1B/1C/1D/1G/1H/1J/D3/G2/HPI/SY/TJ S10 02R NPI02:01=HPI",  # line 509
        "REF*0K S5 02R",  # line 514
        "AMT*B6/KH/T/T2/ZK/ZL/ZM/ZN/ZO S9 02R",  # line 519
        "QTY*ZK/ZL/ZM/ZN/ZO S6 02R",  # line 523
        "LQ S99 01R[HE/RX] 02R",  # line 528
    ),
}

# Segment → the type and size of its elements (`edi.transactions.x12_syntax`: "04:AN2-80", text of
# 2 to 80 characters; "03:AN10", exactly 10; "16:DT8", a date; "02:R1-18", a number of at most 18
# digits, sign and decimal point not counted; "01:N01-6", a whole number of at most 6 digits).
# Amounts and counts are written from numbers by the models, but not every number fits its element.
_CAS_SIZES = " ".join(f"{n:02d}:ID1-5 {n + 1:02d}:R1-18 {n + 2:02d}:R1-15" for n in range(2, 18, 3))
# ST02 and SE02 (AN 4/9, lines 31, 559) are not here: the set control number is the envelope's,
# which `EnvelopeChecker` checks (`remit835.envelope_problems`), said once.
_SIZES = {
    "BPR": "02:R1-18 07:AN3-12 09:AN1-35 10:AN10 11:AN9 13:AN3-12 15:AN1-35 16:DT8",  # line 36
    "TRN": "02:AN1-50 03:AN10 04:AN1-50",  # line 58
    "CUR": "02:ID3",  # line 63
    "REF": "02:AN1-50",  # lines 85-90, 121, 175, 397-402, 499-514
    "DTM": "02:DT8",  # lines 95, 407-421, 472
    "N1": "02:AN1-60 04:AN2-80",  # lines 103, 157
    "N3": "01:AN1-55 02:AN1-55",  # lines 110, 164
    "N4": "01:AN2-30 02:ID2 03:ID3-15 04:ID2-3 07:ID1-3",  # lines 113, 167
    "PER": "02:AN1-60 04:AN1-256 06:AN1-256 08:AN1-256",  # lines 126-146, 428
    "RDM": "02:AN1-60 03:AN1-256",  # line 180
    "LX": "01:N01-6",  # line 188
    "TS3": (  # line 190
        "01:AN1-50 02:AN1-2 03:DT8 04:R1-15 05:R1-18 13:R1-18 15:R1-18 17:R1-18 18:R1-18 "
        "20:R1-18 21:R1-18 22:R1-18 23:R1-15 24:R1-18"
    ),
    "TS2": (  # line 215
        "01:R1-18 02:R1-18 03:R1-18 04:R1-18 05:R1-18 06:R1-18 07:R1-15 08:R1-18 09:R1-18 "
        "10:R1-15 11:R1-15 12:R1-15 13:R1-15 14:R1-15 15:R1-18 16:R1-15 17:R1-18 18:R1-18 "
        "19:R1-18"
    ),
    "CLP": (  # line 236
        "01:AN1-38 03:R1-18 04:R1-18 05:R1-18 07:AN1-50 08:AN1-2 09:ID1 11:ID1-4 12:R1-15 13:R1-10"
    ),
    "CAS": _CAS_SIZES,  # lines 251, 479: six triplets of reason, amount, quantity
    "NM1": "03:AN1-60 04:AN1-35 05:AN1-25 07:AN1-10 09:AN2-80",  # lines 271-349
    "MIA": (  # line 362
        "01:R1-15 02:R1-18 03:R1-15 04:R1-18 05:AN1-50 06:R1-18 07:R1-18 08:R1-18 09:R1-18 "
        "10:R1-18 11:R1-18 12:R1-18 13:R1-18 14:R1-18 15:R1-15 16:R1-18 17:R1-18 18:R1-18 "
        "19:R1-18 20:AN1-50 21:AN1-50 22:AN1-50 23:AN1-50 24:R1-18"
    ),
    "MOA": (  # line 387
        "01:R1-10 02:R1-18 03:AN1-50 04:AN1-50 05:AN1-50 06:AN1-50 07:AN1-50 08:R1-18 09:R1-18"
    ),
    "AMT": "02:R1-18",  # lines 438, 519
    "QTY": "02:R1-15",  # lines 442, 523
    "SVC": (  # line 448
        "01-02:AN1-48 01-03:AN2 01-04:AN2 01-05:AN2 01-06:AN2 02:R1-18 03:R1-18 04:AN1-48 "
        "05:R1-15 06-02:AN1-48 06-03:AN2 06-04:AN2 06-05:AN2 06-06:AN2 06-07:AN1-80 07:R1-15"
    ),
    "LQ": "02:AN1-30",  # line 528
    "PLB": (  # line 532
        "01:AN1-50 02:DT8 03-02:AN1-50 04:R1-18 05-02:AN1-50 06:R1-18 07-02:AN1-50 08:R1-18 "
        "09-02:AN1-50 10:R1-18 11-02:AN1-50 12:R1-18 13-02:AN1-50 14:R1-18"
    ),
}

# A segment repeated past its max use in a loop: 999 IK304 code 5, "Segment Exceeds Maximum Use".
MAX_USE_ACK = "IK304:5"

# Loops that may repeat a limited number of times in their parent (the others: once, or any number).
LOOP_REPEATS = {"2110": 999}  # line 447

# The names of the coded elements (the map's element names), for messages.
_NAMES = {
    "ST01": "transaction set identifier code",
    "BPR01": "transaction handling code",
    "BPR03": "credit or debit flag code",
    "BPR04": "payment method code",
    "BPR05": "payment format code",
    "BPR06": "DFI identification number qualifier",
    "BPR08": "account number qualifier",
    "BPR12": "DFI identification number qualifier",
    "BPR14": "account number qualifier",
    "TRN01": "trace type code",
    "CUR01": "entity identifier code",
    "N103": "identification code qualifier",
    "PER03": "communication number qualifier",
    "PER05": "communication number qualifier",
    "PER07": "communication number qualifier",
    "RDM01": "report transmission code",
    "CLP02": "claim status code",
    "CLP06": "claim filing indicator code",
    "CAS01": "claim adjustment group code",
    "NM102": "entity type qualifier",
    "NM108": "identification code qualifier",
    "SVC01-01": "product or service ID qualifier",
    "SVC06-01": "product or service ID qualifier",
    "LQ01": "code list qualifier code",
    **{f"PLB{n:02d}-01": "adjustment reason code" for n in range(3, 14, 2)},
}

# -- the compiled table -------------------------------------------------------------------------------

_ELEMENT = re.compile(r"^(\d\d)(?:-(\d\d))?(R?)(?:\[([^\]]*)\])?$")
_SYNTAX = re.compile(r"^([PCLER])((?:\d\d)+)$")
_NPI = re.compile(r"^NPI(\d\d):(\d\d)=(\w+)$")
# The same few payee and provider NPIs come with every claim of a remittance.
_npi_ok = lru_cache(maxsize=1024)(npi_is_valid)

_DIGITS = Size("R", 1, 1)  # counts a number's digits (`Size.measure`), for the generated tests

# A segment's test as a function of its elements (`els`, `n` of them with the ID) and its component
# separator (`comp`): True when it has none of its definition's problems.
_Valid = Callable[[list[str], int, str], bool]


@dataclass(frozen=True, slots=True, eq=False)
class _Code:
    position: int
    component: int  # 0: the whole element
    ref: str
    codes: frozenset[str]
    listed: str  # as the map lists them, for messages
    what: str = ""  # an external list's: what a code of it is ("an ISO 4217 currency code")
    country: int = 0  # a state code's: the element of the country, which decides whether it is one


def _applies(code: _Code, els: list[str]) -> bool:
    """Whether the segment may hold `code`'s element: a state code only in the US or Canada."""
    return not code.country or takes_state_code(
        els[code.country] if code.country < len(els) else ""
    )


@dataclass(frozen=True, slots=True, eq=False)
class _Size:
    position: int
    component: int  # 0: the whole element
    ref: str
    size: Size  # its type and bounds (a date: DT, CCYYMMDD)


@dataclass(frozen=True, slots=True, eq=False)
class _Composite:
    position: int
    required: tuple[int, ...]  # components required when the composite is there
    unused: tuple[int, ...]  # components before `last` it does not use
    last: int
    codes: tuple[_Code, ...]
    sizes: tuple[_Size, ...]


@dataclass(frozen=True, slots=True, eq=False)
class Rule:
    """One segment definition of the map, compiled from its row of `_LOOPS`."""

    seg_id: str
    label: str  # "REF*1L/1W/..." or "CLP": how messages name the definition
    qualifiers: frozenset[str] | None  # the element 01 codes that pick it
    required: bool
    max_use: int | None  # None: any number
    last: int  # the last element it uses
    required_elements: tuple[int, ...]
    unused: tuple[int, ...]  # elements before `last` it does not use
    codes: tuple[_Code, ...]  # of whole elements
    sizes: tuple[_Size, ...]  # of whole elements
    composites: tuple[_Composite, ...]
    syntax: tuple[tuple[str, tuple[int, ...], str], ...]  # (kind, positions, as in the map)
    npis: tuple[tuple[int, int, str], ...]  # (element of an NPI, element of its qualifier, code)
    # the elements a place in the US or Canada requires (N402, N403: `us_canada_required`), and the
    # element of its country (N404; 0: no such rule)
    us_canada: tuple[int, ...]
    country: int
    valid: _Valid  # the test of a segment without problems (`_valid`), run on every segment


def _rule(row: str) -> Rule:
    head, use, *tokens = row.split()
    seg_id, _, quals = head.partition("*")
    qualifiers = frozenset(quals.split("/")) if quals else None
    used: dict[int, set[int]] = {}  # element → its components used
    required: list[int] = []
    required_parts: dict[int, list[int]] = {}
    coded: list[_Code] = []
    syntax: list[tuple[str, tuple[int, ...], str]] = []
    npis: list[tuple[int, int, str]] = []
    if qualifiers is not None:
        used[1] = set()
        required.append(1)
    for token in tokens:
        rel = _SYNTAX.match(token)
        if rel:
            digits = rel.group(2)
            positions = tuple(int(digits[i : i + 2]) for i in range(0, len(digits), 2))
            syntax.append((rel.group(1), positions, token))
            continue
        npi = _NPI.match(token)
        if npi:
            npis.append((int(npi.group(1)), int(npi.group(2)), npi.group(3)))
            continue
        m = _ELEMENT.match(token)
        if m is None:
            raise ValueError(f"bad token {token!r} in the 835 rule {row!r}")
        element, component = int(m.group(1)), int(m.group(2) or 0)
        used.setdefault(element, set())
        if component:
            used[element].add(component)
            if m.group(3):
                required_parts.setdefault(element, []).append(component)
        elif m.group(3):
            required.append(element)
        if m.group(4):
            ref = f"{seg_id}{element:02d}" + (f"-{component:02d}" if component else "")
            coded.append(_coded(element, component, ref, m.group(4)))
    last = max(used)
    sizes = _sizes(seg_id, used, coded)
    composites = tuple(
        _Composite(
            element,
            tuple(required_parts.get(element, ())),
            tuple(k for k in range(1, max(parts)) if k not in parts),
            max(parts),
            tuple(c for c in coded if c.position == element),
            tuple(z for z in sizes if z.position == element and z.component),
        )
        for element, parts in sorted(used.items())
        if parts
    )
    unused = tuple(k for k in range(1, last) if k not in used)
    codes = tuple(c for c in coded if not c.component)
    whole = tuple(z for z in sizes if not z.component)
    country_ref, needed = us_canada_required(seg_id)
    us_canada = tuple(p for p in (split_ref(ref)[1] for ref in needed) if p in used)
    country = split_ref(country_ref)[1] if us_canada else 0
    return Rule(
        seg_id=seg_id,
        label=head,
        qualifiers=qualifiers,
        required=use[0] == "R",
        max_use=None if use[1:] == ">1" else int(use[1:]),
        last=last,
        required_elements=tuple(required),
        unused=unused,
        codes=codes,
        sizes=whole,
        composites=composites,
        syntax=tuple(syntax),
        npis=tuple(npis),
        us_canada=us_canada,
        country=country,
        valid=_valid(
            last,
            tuple(required),
            unused,
            codes,
            whole,
            composites,
            tuple(syntax),
            us_canada,
            country,
            tuple(npis),
        ),
    )


def _coded(element: int, component: int, ref: str, listed: str) -> _Code:
    """An element's `[codes]` of a row: the map's codes, or an external list's (`$states`)."""
    if not listed.startswith("$"):
        codes = listed.split("/")
        return _Code(element, component, ref, frozenset(codes), ", ".join(codes))
    external = LISTS[listed[1:]]
    country = 0
    if ref in STATE_COUNTRY:
        seg_id, country, part = split_ref(STATE_COUNTRY[ref])
        if component or part or not ref.startswith(seg_id):
            raise ValueError(
                f"{ref}: the country of a state code is another element of its segment"
            )
    return _Code(element, component, ref, external.codes, listed[1:], external.what, country)


@cache
def _segment_sizes(seg_id: str) -> dict[str, Size]:
    return parse_sizes(_SIZES.get(seg_id, ""))


def _sizes(seg_id: str, used: dict[int, set[int]], coded: list[_Code]) -> tuple[_Size, ...]:
    """The `_SIZES` of the elements one definition uses."""
    out = []
    # Codes the map lists give their element's size; an external list's do not (a state of another
    # country is no code of it, but is no longer than one either).
    listed = {(c.position, c.component) for c in coded if not c.what}
    for ref, size in _segment_sizes(seg_id).items():
        element, _, part = ref.partition("-")
        at = (int(element), int(part or 0))
        if at in listed:
            raise ValueError(f"{seg_id}{ref} has its codes listed: they give its size")
        if at[0] not in used or (at[1] and at[1] not in used[at[0]]):
            continue  # an element this definition of the segment does not use
        out.append(_Size(*at, f"{seg_id}{ref}", size))
    return tuple(out)


@lru_cache(maxsize=4096)  # the dates of a remittance repeat
def _is_date(text: str) -> bool:
    """X12 DT: CCYYMMDD, a day of the calendar."""
    if len(text) != 8 or not (text.isascii() and text.isdigit()):
        return False
    try:
        date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return False
    return True


def _fits(size: _Size, text: str) -> bool:
    # A date is also a day of the calendar; a number has at most its digits (whether its text is a
    # number is not checked here, as the fast path of `_valid` does not); the rest is `Size`'s.
    z = size.size
    if z.type == "DT":
        return _is_date(text)
    return z.number_fits(text) if z.counts_digits else z.fits(text)


def _valid(
    last: int,
    required: tuple[int, ...],
    unused: tuple[int, ...],
    codes: tuple[_Code, ...],
    sizes: tuple[_Size, ...],
    composites: tuple[_Composite, ...],
    syntax: tuple[tuple[str, tuple[int, ...], str], ...],
    us_canada: tuple[int, ...] = (),
    country: int = 0,
    npis: tuple[tuple[int, int, str], ...] = (),
) -> _Valid:
    """One definition's rules as one generated expression, for the common case of a segment that
    keeps them all (most segments written: a few comparisons each). When it is False the rules are
    gone through one by one (`_segment_problems`), which also says what is wrong; a segment with
    empty elements after its last (`CAS*PR*3*15*`) takes that way too, and has no problem."""

    def has(p: int) -> str:
        return f"(n > {p} and els[{p}] != '')"

    names: dict[str, object] = {}
    terms = [f"n <= {last + 1}", *(has(p) for p in required)]
    if not required:  # MOA, TS2: any of their elements, but one (`_segment_problems`)
        terms.append("any(els[1:])")
    names["takes_state_code"] = takes_state_code
    if us_canada:  # a place in the US or Canada (no country: the US) has them; not nested below,
        # where a segment that ends before them would pass
        here = f"takes_state_code(els[{country}] if n > {country} else '')"
        terms.append(f"(not {here} or ({' and '.join(has(p) for p in us_canada)}))")
    # The other terms by the first element they look at: most segments end early (a CAS with one
    # triplet), and `n <= p` passes every term from p on at once.
    later: dict[int, list[str]] = {}
    for p in unused:
        later.setdefault(p, []).append(f"els[{p}] == ''")
    for i, code in enumerate(codes):
        names[f"codes{i}"] = code.codes
        p = code.position
        if code.country:  # outside the US and Canada, no state code at all (`_applies`)
            c = code.country
            later.setdefault(p, []).append(
                f"(els[{p}] == '' or (els[{p}] in codes{i} "
                f"and (n <= {c} or takes_state_code(els[{c}]))))"
            )
            continue
        later.setdefault(p, []).append(f"(els[{p}] in codes{i} or els[{p}] == '')")
    names["is_date"] = _is_date
    names["digits"] = _DIGITS.measure
    names["money"] = money_fits
    names["number"] = NUMBER_TEXT.fullmatch
    for z in sizes:
        p, size = z.position, z.size
        if size.counts_digits:
            # A number's text is no shorter than its digits: they are counted only when it is long.
            later.setdefault(p, []).append(
                f"(len(els[{p}]) <= {size.high} or digits(els[{p}]) <= {size.high})"
            )
            later[p].append(f"(els[{p}] == '' or number(els[{p}]) is not None)")
            if size.type == "R":  # X12's form (`number_form_problem`); `-0.5` takes the slow way
                later[p].append(
                    f"els[{p}][-1:] != '.' and els[{p}][:2] not in ('-0', '-.') and (els[{p}][:1] != '0' "
                    f"or els[{p}][1:2] in ('', '.'))"
                )
            if size.is_money:
                later[p].append(f"money(els[{p}])")
            continue
        if size.type == "DT":
            later.setdefault(p, []).append(f"(els[{p}] == '' or is_date(els[{p}]))")
            continue
        # Text: no control character, no trailing space (`Size.carries`; a space that pads a short
        # text takes the slow way, and passes).
        clean = carried_test("e")
        if size.low == 1:  # an empty element passes too, as it should
            later.setdefault(p, []).append(f"(len(e := els[{p}]) <= {size.high} and {clean})")
            continue
        fits = f"{size.low} <= len(e := els[{p}]) <= {size.high}"
        later.setdefault(p, []).append(f"(els[{p}] == '' or ({fits} and {clean}))")
    for i, composite in enumerate(composites):
        names[f"composite{i}"] = _composite_valid(composite)
        p = composite.position
        # Its text as a whole, not component by component (cheaper): printable, and no component
        # ending with a space; one that pads a short one (`Size.carries`) takes the slow way, and
        # passes.
        clean = f"{carried_test(f'els[{p}]')} and ' ' + comp not in els[{p}]"
        clean += (
            f" and els[{p}][-1:] != comp"  # no empty component at its end (`trailing_component`)
        )
        later.setdefault(p, []).append(
            f"(els[{p}] == '' or ({clean} and composite{i}(els[{p}].split(comp))))"
        )
    for kind, positions, _ in syntax:
        first, *rest = (has(p) for p in positions)
        later.setdefault(min(positions), []).append(
            {
                "P": f"len({{{', '.join((first, *rest))}}}) == 1",
                "R": f"({' or '.join((first, *rest))})",
                "E": f"({' + '.join((first, *rest))}) <= 1",
                "C": f"(not {first} or ({' and '.join(rest)}))",
                "L": f"(not {first} or {' or '.join(rest)})",
            }[kind]
        )
    names["npi_ok"] = _npi_ok
    for p, q, npi_qual in npis:  # by the qualifier: one that is not this code passes at once
        later.setdefault(q, []).append(
            f"(els[{q}] != {npi_qual!r} or n <= {p} or els[{p}] == '' or npi_ok(els[{p}]))"
        )
    nested = "True"
    for p in sorted(later, reverse=True):
        nested = f"(n <= {p} or ({' and '.join(later[p])} and {nested}))"
    terms.append(nested)
    valid: _Valid = eval(f"lambda els, n, comp: {' and '.join(terms)}", names)  # noqa: S307
    return valid


def _composite_valid(composite: _Composite) -> Callable[[list[str]], bool]:
    """The test of a composite's components (as split), like `_valid`'s."""
    required, unused, last = composite.required, composite.unused, composite.last
    codes = [(c.component, c.codes) for c in composite.codes]
    sizes = [(z.component, z) for z in composite.sizes]

    def valid(parts: list[str]) -> bool:
        got = len(parts)
        return (
            got <= last
            and all(k <= got and parts[k - 1] for k in required)
            and not any(k <= got and parts[k - 1] for k in unused)
            and all(k > got or parts[k - 1] in listed or not parts[k - 1] for k, listed in codes)
            and all(k > got or not parts[k - 1] or _fits(z, parts[k - 1]) for k, z in sizes)
        )

    return valid


@dataclass(frozen=True, slots=True)
class LoopRules:
    """The definitions of one loop: how a segment finds its own, and those the loop requires."""

    loop: str
    plain: dict[str, Rule]  # segment ID → its one definition, not picked by a qualifier
    picked: dict[str, dict[str, Rule]]  # segment ID → element 01 → its definition
    required: tuple[Rule, ...]
    # Segment ID → the smallest max use of its definitions: no more segments of that ID than that,
    # and none of them is past its max use (`overused` looks no further, as is usual).
    fewest: dict[str, int]


@cache
def loop_rules(loop: str) -> LoopRules | None:
    """The compiled definitions of a loop of the 835 (None: a loop the 835 does not have)."""
    rows = _LOOPS.get(loop)
    if rows is None:
        return None
    rules = [_rule(row) for row in rows]
    plain: dict[str, Rule] = {}
    picked: dict[str, dict[str, Rule]] = {}
    for rule in rules:
        if rule.qualifiers is None:
            plain[rule.seg_id] = rule
        else:
            by_qualifier = picked.setdefault(rule.seg_id, {})
            for qualifier in sorted(rule.qualifiers):
                by_qualifier.setdefault(qualifier, rule)  # the first definition listing it
    fewest: dict[str, int] = {}
    for rule in rules:
        if rule.max_use is not None:
            fewest[rule.seg_id] = min(fewest.get(rule.seg_id, rule.max_use), rule.max_use)
    return LoopRules(loop, plain, picked, tuple(r for r in rules if r.required), fewest)


# -- checking one loop -----------------------------------------------------------------------------


def shown(value: str) -> str:
    # A code is short; anything else may be data put in the wrong place: not quoted (PHI).
    return repr(value) if is_short_code(value) else "(a value that is no code)"


def _article(name: str) -> str:
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


class Problem(NamedTuple):
    """A problem `loop_problems` finds: its message, the segment it is about (None: the loop as a
    whole) and the element (`SVC01-02`; None: the segment, or several of its elements). `unused`:
    the problem is that the loop has no place for the segment (`DTM*472 is not used in loop ...`)."""

    message: str
    segment: Segment | None = None
    element: str | None = None
    unused: bool = False
    ack: str | None = None  # the 999 code that answers it, when one says it better than IK3/IK4


def loop_problems(
    rules: LoopRules, loop: Loop, where: str, out: list[Problem], numbered: str | None = None
) -> None:
    """Add the problems of one loop's own segments (not its child loops') to `out`, each message
    starting with `where` (`"835 0001 claim PCN1 (#2)"`); the `numbered` segments are named by
    their position among those of the loop (`"835 0001 PLB 2"`)."""
    counts: dict[Rule, int] = {}
    number = 0
    plain, picked = rules.plain, rules.picked
    for item in loop.items:
        if type(item) is not Segment:
            continue
        seg_id = item.id
        els = item.elements
        n = len(els)
        if seg_id == numbered:
            number += 1
        if n > 1 and not els[-1]:
            # Kept as read, so that the file is written back as it was: X12 drops empty elements at
            # the end of a segment (pyx12: 'Segment contains trailing element terminators').
            at = f"{where} {seg_id} {number}" if seg_id == numbered else where
            out.append(Problem(_trailing(item, at), item))
        rule = plain.get(seg_id)
        if rule is None:
            by_qualifier = picked.get(seg_id)
            if by_qualifier is not None:
                rule = by_qualifier.get(els[1] if n > 1 else "")
            if rule is None:
                at = f"{where} {seg_id} {number}" if seg_id == numbered else where
                out.append(Problem(_unplaced(rules, item, at), item, unused=True))
                continue
        counts[rule] = counts.get(rule, 0) + 1
        if not rule.valid(els, n, item.delimiters.component):
            at = f"{where} {seg_id} {number}" if seg_id == numbered else where
            out.extend(
                Problem(message, item, element)
                for element, message in _segment_problems(rule, item, f"{at}: ")
            )
    for rule in rules.required:
        if rule not in counts:
            out.append(
                Problem(f"{where}: no {rule.label}; loop {rules.loop} of {GUIDE} requires it")
            )
    for rule, count in counts.items():
        if rule.max_use is not None and count > rule.max_use:
            over = _overuse(rules, rule, loop)
            out.append(Problem(f"{where}: {over.message}", over.first, ack=MAX_USE_ACK))


class Overuse(NamedTuple):
    """A segment definition used more often in one loop than the guide allows (`overused`)."""

    rule: Rule
    loop: str  # the loop's ID ("ST" for the header)
    segments: list[Segment]  # every segment of the loop that uses the definition, in order
    label: str  # "TRN", "REF*EV": the definition as the segments show it

    @property
    def first(self) -> Segment:
        """The first segment past the max use: where a 999 places the problem (IK304 5)."""
        return self.segments[self.rule.max_use or 0]

    @property
    def message(self) -> str:
        # Which segment, how many, and what the guide allows; never an element's value (PHI).
        return (
            f"{len(self.segments)} {self.label} segments in loop {self.loop}; {GUIDE} allows "
            f"{self.rule.max_use}"
        )


_ID = attrgetter("id")


def overused(rules: LoopRules, loop: Loop) -> list[Overuse]:
    """The definitions `loop`'s own segments (not its child loops') use past their max use."""
    # Read for every loop of every set: first the segments counted by their ID alone (cheap), and
    # only those of an ID that may be past a max use picked their definition.
    # (Child loops are counted too, by their ID, which is no segment's: "2110", never "SVC".)
    ids = list(map(_ID, loop.items))
    distinct = set(ids)
    if len(distinct) == len(ids):  # each segment ID once: none past a max use (each at least 1)
        return []
    fewest = rules.fewest
    many = {i for i in distinct if i in fewest and ids.count(i) > fewest[i]}
    if not many:
        return []
    counts: dict[Rule, int] = {}
    plain, picked = rules.plain, rules.picked
    for item in loop.items:
        if type(item) is not Segment or item.id not in many:
            continue
        rule = plain.get(item.id)
        if rule is None:
            by_qualifier = picked.get(item.id)
            if by_qualifier is None:
                continue
            els = item.elements
            rule = by_qualifier.get(els[1] if len(els) > 1 else "")
            if rule is None:
                continue
        counts[rule] = counts.get(rule, 0) + 1
    return [
        _overuse(rules, rule, loop)
        for rule, count in counts.items()
        if rule.max_use is not None and count > rule.max_use
    ]


def overuse_diagnostics(root: Loop, found: list[Diagnostic]) -> list[Diagnostic]:
    """What the reader says of a set (its loop tree `root`) whose loops use a segment definition past
    its max use: one error a definition, at the first segment past it, as a 999 says it (IK304 5).
    `found`: the set's diagnostics so far; the warnings in it that the segments past the max use
    have no place in the model (`mapping.unplaced`) are taken out when the error says so for them
    all.

    Only the loops that hold such a segment are looked at: a segment past its max use that the model
    holds (a list, as CAS: 100 in a 2100) is left to the checks (`check_remittances`, `edi remit`,
    with the same ack), so that a set without warnings costs nothing here (a walk of every loop
    cost about a tenth of a read)."""
    out: list[Diagnostic] = []
    unplaced = {
        d.location.offset: d
        for d in found
        if d.code == "mapping.unplaced" and d.location is not None
    }
    if not unplaced:
        return out
    said: set[int] = set()  # the warnings the errors say
    loops = [root]
    while loops:
        loop = loops.pop()
        items = loop.items
        loops += [item for item in items if type(item) is Loop]
        if not any(type(i) is Segment and i.offset in unplaced for i in items):
            continue
        rules = loop_rules(loop.id)
        if rules is None:
            continue
        for over in overused(rules, loop):
            past = [s.offset for s in over.segments[over.rule.max_use or 0 :]]
            message = over.message
            # The common case: the model holds as many as the guide allows, so every segment past
            # the max use is kept as read (`mapping._report_unplaced`); one error says both.
            if unplaced and all(offset in unplaced for offset in past):
                said.update(past)
                which = "the one past it is" if len(past) == 1 else f"the {len(past)} past it are"
                message += f"; {which} kept as read and written back, not in the model or its JSON"
            seg = over.first
            out.append(
                Diagnostic(
                    "structure.max_use",
                    message,
                    Severity.ERROR,
                    Location(seg.index, seg.id, seg.line, seg.offset, loop.id, loop.name),
                    ack=MAX_USE_ACK,
                )
            )
    if said:
        found[:] = [
            d
            for d in found
            if d.code != "mapping.unplaced" or d.location.offset not in said  # type: ignore[union-attr]
        ]
    return out


def _overuse(rules: LoopRules, rule: Rule, loop: Loop) -> Overuse:
    by_qualifier = rules.picked.get(rule.seg_id, {})
    segments = [
        s
        for s in loop.items
        if type(s) is Segment
        and s.id == rule.seg_id
        and (rule.qualifiers is None or by_qualifier.get(s.element(1)) is rule)
    ]
    label = rule.seg_id
    if rule.qualifiers is not None:  # the qualifiers used, not every one the definition lists
        label += "*" + "/".join(dict.fromkeys(s.element(1) for s in segments))
    return Overuse(rule, rules.loop, segments, label)


def _trailing(seg: Segment, at: str) -> str:
    """A segment that ends with an empty element: a separator after its last value."""
    return f"{at}: {trailing_element(f'{shown_id(seg.id)}{len(seg.elements) - 1:02d}')}"


def _unplaced(rules: LoopRules, seg: Segment, at: str) -> str:
    """A segment the loop has no definition for (or none for its qualifier)."""
    seg_id = seg.id
    by_qualifier = rules.picked.get(seg_id)
    if by_qualifier is None:
        return f"{at}: {shown_id(seg_id)} is not used in loop {rules.loop} of {GUIDE}"
    qualifier = seg.element(1)
    if not qualifier:
        shown = f"{seg_id} without {seg_id}01"
    elif is_short_code(qualifier):
        shown = f"{seg_id}*{qualifier}"
    else:  # data in the wrong place: not quoted (PHI)
        shown = f"{seg_id} with a {seg_id}01 that is no code"
    takes = ", ".join(by_qualifier)
    return (
        f"{at}: {shown} is not used in loop {rules.loop} of {GUIDE} (its {seg_id}01 takes {takes})"
    )


def _past_last(at: str, label: str, refs: list[str]) -> Iterator[tuple[str, str]]:
    """What a segment has past its last element or component, which the guide does not use."""
    for ref, named, it in named_past_last(refs):
        yield ref, f"{at}{label} has {named}; {GUIDE} does not use {it}"


# Segments of repeated adjustments (x12-notes §7.1): where each past the last the guide gives
# starts, how many elements it takes, and the offset of its amount in them.
_ADJUSTMENT_GROUPS = {"CAS": (3, 1), "PLB": (2, 1)}


def _adjustments_past(seg_id: str, els: list[str], last: int, comp: str) -> str | None:
    """What a CAS or PLB holds past its six adjustments, when one has an amount: money the models
    leave out, which a poster would never see (the posting tester): `2 adjustments past its six
    (CAS20 on: CO 7 1.00, CO 8 2.00), which are not read, nor posted: the guide repeats the CAS
    for more`. None for another segment, or none with an amount."""
    shape = _ADJUSTMENT_GROUPS.get(seg_id)
    if shape is None:
        return None
    size, amount_at = shape
    found = []
    for p in range(last + 1, len(els), size):
        amount = els[p + amount_at] if p + amount_at < len(els) else ""
        if amount:
            reason = els[p].split(comp)[0] if seg_id == "PLB" else els[p]
            shown = amount if PLAIN_AMOUNT.fullmatch(amount) else "(not an amount)"
            found.append(f"{reason if is_short_code(reason) else '(no code)'} {shown}")
    if not found:
        return None
    group = f"{els[1]} " if seg_id == "CAS" and is_short_code(els[1]) else ""
    many = len(found) > 1
    # A few listed, then how many more (each listed made one line of 190 KB: the 835 fuzz tester).
    listed = ", ".join(group + f for f in found[:NAMED_ONE_BY_ONE])
    if len(found) > NAMED_ONE_BY_ONE:
        listed += f" and {len(found) - NAMED_ONE_BY_ONE} more"
    return (
        f"{len(found)} adjustment{'s' if many else ''} past its six ({seg_id}{last + 1:02d} on: "
        f"{listed}), which {'are' if many else 'is'} not read, nor posted: the guide repeats the "
        f"{seg_id} for more"
    )


def _segment_problems(rule: Rule, seg: Segment, at: str) -> Iterator[tuple[str | None, str]]:
    """The problems of one segment, `at` its place (`"835 0001 claim PCN1 (#2): "`), each with the
    element it is about (None: the segment, or several of its elements)."""
    els = seg.elements
    n = len(els)
    seg_id = rule.seg_id
    label = f"{seg_id}*{els[1]}" if rule.qualifiers is not None else seg_id
    if not any(els[1:]) and not rule.required_elements:
        # X12: a segment holds at least one element; the map requires none of MOA's or TS2's.
        yield None, f"{at}{label} is empty (a segment holds at least one element): leave it out"
    for p in rule.required_elements:
        if p >= n or not els[p]:
            yield f"{seg_id}{p:02d}", f"{at}{label} without {seg_id}{p:02d}; {GUIDE} requires it"
    if rule.us_canada and takes_state_code(els[rule.country] if rule.country < n else ""):
        for p in rule.us_canada:
            if p >= n or not els[p]:
                yield (
                    f"{seg_id}{p:02d}",
                    f"{at}{label} without {seg_id}{p:02d}; {GUIDE} requires it {US_CANADA_REQUIRES}",
                )
    for p in rule.unused:
        if p < n and els[p]:
            yield f"{seg_id}{p:02d}", f"{at}{label} has {seg_id}{p:02d}; {GUIDE} does not use it"
    past = [f"{seg_id}{p:02d}" for p in range(rule.last + 1, n) if els[p]]
    lost = _adjustments_past(seg_id, els, rule.last, seg.delimiters.component) if past else None
    if lost:
        yield past[0], f"{at}{label} has {lost}"
    else:
        yield from _past_last(at, label, past)
    for composite in rule.composites:
        p = composite.position
        if p >= n or not els[p]:
            continue
        parts = els[p].split(seg.delimiters.component)
        got = len(parts)
        ref = f"{seg_id}{p:02d}"
        if not parts[-1]:
            yield ref, at + trailing_component(_named(label, seg_id, ref))
        for k in composite.required:
            if k > got or not parts[k - 1]:
                yield f"{ref}-{k:02d}", f"{at}{label} without {ref}-{k:02d}; {GUIDE} requires it"
        for k in composite.unused:
            if k <= got and parts[k - 1]:
                yield f"{ref}-{k:02d}", f"{at}{label} has {ref}-{k:02d}; {GUIDE} does not use it"
        beyond = [f"{ref}-{k:02d}" for k in range(composite.last + 1, got + 1) if parts[k - 1]]
        yield from _past_last(at, label, beyond)
        for code in composite.codes:
            k = code.component
            if k <= got and parts[k - 1] and parts[k - 1] not in code.codes:
                yield code.ref, _bad_code(at, label, seg_id, code, parts[k - 1])
        for size in composite.sizes:
            k = size.component
            if k <= got and parts[k - 1] and not _fits(size, parts[k - 1]):
                yield size.ref, _bad_size(at, label, seg_id, size, parts[k - 1])
            if k <= got and not size.size.carries(parts[k - 1]):
                yield size.ref, _bad_text(at, label, seg_id, size, parts[k - 1])
    for code in rule.codes:
        p = code.position
        if p < n and els[p]:
            if not _applies(code, els):
                if els[code.country] in LISTS["country"].codes:  # else: the country's fault alone
                    yield code.ref, _foreign_state(at, label, seg_id, code)
            elif els[p] not in code.codes:
                yield code.ref, _bad_code(at, label, seg_id, code, els[p])
    for size in rule.sizes:
        p = size.position
        if p < n and els[p] and size.size.counts_digits and not NUMBER_TEXT.fullmatch(els[p]):
            # Kept from the file read, which said it (`1E2`: X12 has no exponent, x12-notes §1.4);
            # a checked write must not write it back. Not quoted (a name there is PHI).
            named = _named(label, seg_id, size.ref)
            yield size.ref, f"{at}{named} (kept from the file read) is no number"
            continue
        if p < n and els[p] and not _fits(size, els[p]):
            yield size.ref, _bad_size(at, label, seg_id, size, els[p])
        if p < n and not size.size.carries(els[p]):
            yield size.ref, _bad_text(at, label, seg_id, size, els[p])
        if p < n and size.size.type == "R":
            problem = number_form_problem(_named(label, seg_id, size.ref), els[p])
            if problem is not None:
                yield size.ref, at + problem
    for p, q, npi_qual in rule.npis:
        if q < n and els[q] == npi_qual and p < n and els[p] and not _npi_ok(els[p]):
            yield f"{seg_id}{p:02d}", _bad_npi(at, label, seg_id, f"{seg_id}{p:02d}", els[p])
    for kind, positions, text in rule.syntax:
        present = [p < n and els[p] != "" for p in positions]
        problem = relation_problem(kind, present, [f"{seg_id}{p:02d}" for p in positions])
        if problem:
            yield None, f"{at}{label} {problem} ({text})"


def _named(label: str, seg_id: str, ref: str) -> str:
    """`NM1*QC NM108`, but `CLP02` rather than `CLP CLP02`."""
    return f"{label} {ref}" if label != seg_id else ref


def _foreign_state(at: str, label: str, seg_id: str, code: _Code) -> str:
    country = _named(label, seg_id, f"{seg_id}{code.country:02d}")
    return f"{at}{_named(label, seg_id, code.ref)} (state) {STATE_ABROAD.format(country=country)}"


def _bad_code(at: str, label: str, seg_id: str, code: _Code, value: str) -> str:
    named = _named(label, seg_id, code.ref)
    if code.what:  # an external list
        if seg_id in ADDRESS_SEGMENTS:  # part of an address, even a state: never quoted
            return f"{at}{named} is not {code.what}"
        return f"{at}{named} {shown(value)} is not {code.what}"
    name = _NAMES[code.ref]
    return f"{at}{named} {shown(value)} is not {_article(name)} of {GUIDE} ({code.listed})"


def _bad_size(at: str, label: str, seg_id: str, z: _Size, text: str) -> str:
    # The text itself is not quoted: it may be a name or a date of service (PHI).
    named = _named(label, seg_id, z.ref)
    size = z.size
    if size.type == "DT":
        return f"{at}{named} is not a date (CCYYMMDD)"
    if size.is_money and size.measure(text) <= size.high:  # a fraction of a cent, or 9 digits
        return f"{at}{named} {money_problem(text)}"
    if size.counts_digits:
        return (
            f"{at}{named} has {size.measure(text)} digits; {GUIDE} takes at most {size.high} there"
        )
    takes = f"{size.low}" if size.low == size.high else f"{size.low} to {size.high}"
    return f"{at}{named} is {len(text)} characters long; {GUIDE} takes {takes} there"


def _bad_npi(at: str, label: str, seg_id: str, ref: str, text: str) -> str:
    return f"{at}{_named(label, seg_id, ref)} NPI{shown_npi(text)} {npi_fault(text)}"


def _bad_text(at: str, label: str, seg_id: str, z: _Size, text: str) -> str:
    # Where, not what (`Size.text_problem`): the text may be a name or an id (PHI).
    return f"{at}{_named(label, seg_id, z.ref)} {z.size.text_problem(text)}"


__all__ = [
    "GUIDE",
    "LOOP_REPEATS",
    "MAX_USE_ACK",
    "LoopRules",
    "Overuse",
    "Problem",
    "Rule",
    "loop_problems",
    "loop_rules",
    "overuse_diagnostics",
    "overused",
]
