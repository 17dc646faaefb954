"""Where each segment and child loop of a loop stands in its transaction set's table: the maps' `pos=`.

Data for `segment_order`, generated once from `../shared/maps` (the maps `remit_rules` and
`claim_rules` cite: 835 `835.5010.X221.A1.full.txt`, 837P `837.5010.X222.A1.full.txt`, 837I
`837Q3.I.5010.X223.A1.full.txt`, 837D `837D.5010.X224.A2.full.txt`) by `python -m
edi.transactions.segment_positions ../shared/maps`, which prints `POSITIONS`; the package does not
read the maps (it prints `LISTED` too). Per guide (`"835"` or the claim kind) and loop, `"ID:pos"` for each segment (one
position per segment ID in every loop of the maps) and each child loop, whose position is that of its
first segment (X12: a loop stands where its beginning segment does; the maps' `LOOP ... pos=` is not
always that: 835 1000B `pos=1400`, its N1 `pos=0800`). A loop met twice in a map (2300 under 2000B
and 2000C) has the same positions in both. The set itself (`"ST"`) numbers its table 1 (header), 2
(detail) and 3 (summary) in the ten thousands: `PLB:30100` is the 835 summary's PLB at 0100. The
envelope's segments (ISA, GS, ST, SE, GE, IEA) are the writer's, left out.

What the maps lack or give out of their own order, `_FIXES` sets as the other maps give it: 837D
DMG in 2010BA and 2010CA (`pos=None`; 0320 in the 837P and 837I maps), TOO in 2400 (`pos=None`;
X12's 837 table 2 puts it at 382, after SV3 at 3800), PRV in 2420A and 2420B (`pos=2550`, the
2310's; 5050 in the 837P map). The 837D map's 2320 DMG has no position: left out. The 837D map has
no table 1: its `"ST"` is the 837P map's (BHT, 1000A, 1000B: the same X12 837 table 1).

`LISTED`: per guide and loop, each group of two or more segments or child loops of one position, in
the order the map lists them (the first occurrence of a loop met twice), for the order a model made
in code writes them in (tests/test_segment_order.py): a segment as its qualifier element and codes
(`REF01=2U/FY/NF`), or its ID when the map gives none, a child loop as its ID (`2310A`). The 837D
map gives DTP01=472 to all six DTPs of its 2400 (the guide's 441, 452, 446, 196, 198 too), and P4 to
its first claim REF, which x12-notes §5 corrects to G3 (`_LISTED_FIXES`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping

POSITIONS: Mapping[str, Mapping[str, str]] = {
    "835": {
        "ST": (
            "BPR:10200 TRN:10400 CUR:10500 REF:10600 DTM:10700 1000A:10800 1000B:10800 "
            "2000:20030 PLB:30100"
        ),
        "1000A": "N1:0800 N3:1000 N4:1100 REF:1200 PER:1300",
        "1000B": "N1:0800 N3:1000 N4:1100 REF:1200 RDM:1400",
        "2000": "LX:0030 TS3:0050 TS2:0070 2100:0100",
        "2100": (
            "CLP:0100 CAS:0200 NM1:0300 MIA:0330 MOA:0350 REF:0400 DTM:0500 PER:0600 AMT:0620 "
            "QTY:0640 2110:0700"
        ),
        "2110": "SVC:0700 DTM:0800 CAS:0900 REF:1000 AMT:1100 QTY:1200 LQ:1300",
    },
    "professional": {
        "ST": "BHT:10100 1000A:10200 1000B:10200 2000A:20010",
        "1000A": "NM1:0200 PER:0450",
        "1000B": "NM1:0200",
        "2000A": "HL:0010 PRV:0030 CUR:0100 2010AA:0150 2010AB:0150 2010AC:0150 2000B:0010",
        "2010AA": "NM1:0150 N3:0250 N4:0300 REF:0350 PER:0400",
        "2010AB": "NM1:0150 N3:0250 N4:0300",
        "2010AC": "NM1:0150 N3:0250 N4:0300 REF:0350",
        "2000B": "HL:0010 SBR:0050 PAT:0070 2010BA:0150 2010BB:0150 2300:1300 2000C:0010",
        "2010BA": "NM1:0150 N3:0250 N4:0300 DMG:0320 REF:0350 PER:0400",
        "2010BB": "NM1:0150 N3:0250 N4:0300 REF:0350",
        "2300": (
            "CLM:1300 DTP:1350 PWK:1550 CN1:1600 AMT:1750 REF:1800 K3:1850 NTE:1900 CR1:1950 "
            "CR2:2000 CRC:2200 HI:2310 HCP:2410 2310A:2500 2310B:2500 2310C:2500 2310D:2500 "
            "2310E:2500 2310F:2500 2320:2900 2400:3650"
        ),
        "2310A": "NM1:2500 REF:2710",
        "2310B": "NM1:2500 PRV:2550 REF:2710",
        "2310C": "NM1:2500 N3:2650 N4:2700 REF:2710 PER:2750",
        "2310D": "NM1:2500 REF:2710",
        "2310E": "NM1:2500 N3:2650 N4:2700",
        "2310F": "NM1:2500 N3:2650 N4:2700",
        "2320": (
            "SBR:2900 CAS:2950 AMT:3000 OI:3100 MOA:3200 2330A:3250 2330B:3250 2330C:3250 "
            "2330D:3250 2330E:3250 2330F:3250 2330G:3250"
        ),
        "2330A": "NM1:3250 N3:3320 N4:3400 REF:3550",
        "2330B": "NM1:3250 N3:3320 N4:3400 DTP:3450 REF:3550",
        "2330C": "NM1:3250 REF:3550",
        "2330D": "NM1:3250 REF:3550",
        "2330E": "NM1:3250 REF:3550",
        "2330F": "NM1:3250 REF:3550",
        "2330G": "NM1:3250 REF:3550",
        "2400": (
            "LX:3650 SV1:3700 SV5:4000 PWK:4200 CR1:4250 CR3:4350 CRC:4500 DTP:4550 QTY:4600 "
            "MEA:4620 CN1:4650 REF:4700 AMT:4750 K3:4800 NTE:4850 PS1:4880 HCP:4920 2410:4930 "
            "2420A:5000 2420B:5000 2420C:5000 2420D:5000 2420E:5000 2420F:5000 2420G:5000 "
            "2420H:5000 2430:5400 2440:5510"
        ),
        "2410": "LIN:4930 CTP:4940 REF:4950",
        "2420A": "NM1:5000 PRV:5050 REF:5250",
        "2420B": "NM1:5000 REF:5250",
        "2420C": "NM1:5000 N3:5140 N4:5200 REF:5250",
        "2420D": "NM1:5000 REF:5250",
        "2420E": "NM1:5000 N3:5140 N4:5200 REF:5250 PER:5300",
        "2420F": "NM1:5000 REF:5250",
        "2420G": "NM1:5000 N3:5140 N4:5200",
        "2420H": "NM1:5000 N3:5140 N4:5200",
        "2430": "SVD:5400 CAS:5450 DTP:5500 AMT:5505",
        "2440": "LQ:5510 FRM:5520",
        "2000C": "HL:0010 PAT:0070 2010CA:0150 2300:1300",
        "2010CA": "NM1:0150 N3:0250 N4:0300 DMG:0320 REF:0350 PER:0400",
    },
    "institutional": {
        "ST": "BHT:10100 1000A:10200 1000B:10200 2000A:20010",
        "1000A": "NM1:0200 PER:0450",
        "1000B": "NM1:0200",
        "2000A": "HL:0010 PRV:0030 CUR:0100 2010AA:0150 2010AB:0150 2010AC:0150 2000B:0010",
        "2010AA": "NM1:0150 N3:0250 N4:0300 REF:0350 PER:0400",
        "2010AB": "NM1:0150 N3:0250 N4:0300",
        "2010AC": "NM1:0150 N3:0250 N4:0300 REF:0350",
        "2000B": "HL:0010 SBR:0050 2010BA:0150 2010BB:0150 2300:1300 2000C:0010",
        "2010BA": "NM1:0150 N3:0250 N4:0300 DMG:0320 REF:0350",
        "2010BB": "NM1:0150 N3:0250 N4:0300 REF:0350",
        "2300": (
            "CLM:1300 DTP:1350 CL1:1400 PWK:1550 CN1:1600 AMT:1750 REF:1800 K3:1850 NTE:1900 "
            "CRC:2200 HI:2310 HCP:2410 2310A:2500 2310B:2500 2310C:2500 2310D:2500 2310E:2500 "
            "2310F:2500 2320:2900 2400:3650"
        ),
        "2310A": "NM1:2500 PRV:2550 REF:2710",
        "2310B": "NM1:2500 REF:2710",
        "2310C": "NM1:2500 REF:2710",
        "2310D": "NM1:2500 REF:2710",
        "2310E": "NM1:2500 N3:2650 N4:2700 REF:2710",
        "2310F": "NM1:2500 REF:2710",
        "2320": (
            "SBR:2900 CAS:2950 AMT:3000 OI:3100 MIA:3150 MOA:3200 2330A:3250 2330B:3250 "
            "2330C:3250 2330D:3250 2330E:3250 2330F:3250 2330G:3250 2330H:3250 2330I:3250"
        ),
        "2330A": "NM1:3250 N3:3320 N4:3400 REF:3550",
        "2330B": "NM1:3250 N3:3320 N4:3400 DTP:3500 REF:3550",
        "2330C": "NM1:3250 REF:3550",
        "2330D": "NM1:3250 REF:3550",
        "2330E": "NM1:3250 REF:3550",
        "2330F": "NM1:3250 REF:3550",
        "2330G": "NM1:3250 REF:3550",
        "2330H": "NM1:3250 REF:3550",
        "2330I": "NM1:3250 REF:3550",
        "2400": (
            "LX:3650 SV2:3750 PWK:4200 DTP:4550 REF:4700 AMT:4750 NTE:4850 HCP:4920 2410:4930 "
            "2420A:5000 2420B:5000 2420C:5000 2420D:5000 2430:5400"
        ),
        "2410": "LIN:4930 CTP:4940 REF:4950",
        "2420A": "NM1:5000 REF:5250",
        "2420B": "NM1:5000 REF:5250",
        "2420C": "NM1:5000 REF:5250",
        "2420D": "NM1:5000 REF:5250",
        "2430": "SVD:5400 CAS:5450 DTP:5500 AMT:5505",
        "2000C": "HL:0010 PAT:0070 2010CA:0150 2300:1300",
        "2010CA": "NM1:0150 N3:0250 N4:0300 DMG:0320 REF:0350",
    },
    "dental": {
        "1000A": "NM1:0200 PER:0450",
        "ST": "BHT:10100 1000A:10200 1000B:10200 2000A:20010",
        "1000B": "NM1:0200",
        "2000A": "HL:0010 PRV:0030 CUR:0100 2010AA:0150 2010AB:0150 2010AC:0150 2000B:0010",
        "2010AA": "NM1:0150 N3:0250 N4:0300 REF:0350 PER:0400",
        "2010AB": "NM1:0150 N3:0250 N4:0300",
        "2010AC": "NM1:0150 N3:0250 N4:0300 REF:0350",
        "2000B": "HL:0010 SBR:0050 2010BA:0150 2010BB:0150 2300:1300 2000C:0010",
        "2010BA": "NM1:0150 N3:0250 N4:0300 DMG:0320 REF:0350",
        "2010BB": "NM1:0150 N3:0250 N4:0300 REF:0350",
        "2300": (
            "CLM:1300 DTP:1350 DN1:1450 DN2:1500 PWK:1550 CN1:1600 AMT:1750 REF:1800 K3:1850 "
            "NTE:1900 HI:2310 HCP:2410 2310A:2500 2310B:2500 2310C:2500 2310D:2500 2310E:2500 "
            "2320:2900 2400:3650"
        ),
        "2310A": "NM1:2500 PRV:2550 REF:2710",
        "2310B": "NM1:2500 PRV:2550 REF:2710",
        "2310C": "NM1:2500 N3:2650 N4:2700 REF:2710",
        "2310D": "NM1:2500 PRV:2550 REF:2710",
        "2310E": "NM1:2500 REF:2710",
        "2320": (
            "SBR:2900 CAS:2950 AMT:3000 OI:3100 MOA:3200 2330A:3250 2330B:3250 2330C:3250 "
            "2330D:3250 2330E:3250 2330F:3250 2330G:3250 2330H:3250"
        ),
        "2330A": "NM1:3250 N3:3320 N4:3400 REF:3550",
        "2330B": "NM1:3250 N3:3320 N4:3400 DTP:3500 REF:3550",
        "2330C": "NM1:3250 REF:3550",
        "2330D": "NM1:3250 REF:3550",
        "2330E": "NM1:3250 REF:3550",
        "2330F": "NM1:3250 REF:3550",
        "2330G": "NM1:3250 REF:3550",
        "2330H": "NM1:3250 REF:3550",
        "2400": (
            "LX:3650 SV3:3800 TOO:3820 DTP:4550 CN1:4650 REF:4700 AMT:4750 K3:4800 HCP:4920 "
            "2420A:5000 2420B:5000 2420C:5000 2420D:5000 2430:5400"
        ),
        "2420A": "NM1:5000 PRV:5050 REF:5250",
        "2420B": "NM1:5000 PRV:5050 REF:5250",
        "2420C": "NM1:5000 REF:5250",
        "2420D": "NM1:5000 REF:5250",
        "2430": "SVD:5400 CAS:5450 DTP:5500 AMT:5505",
        "2000C": "HL:0010 PAT:0070 2010CA:0150 2300:1300",
        "2010CA": "NM1:0150 N3:0250 N4:0300 DMG:0320 REF:0350",
    },
}

LISTED: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "835": {
        "ST": (
            "REF01=EV REF01=F2",
            "1000A 1000B",
        ),
        "1000A": ("PER01=CX PER01=BL PER01=IC",),
        "2100": (
            "NM101=QC NM101=IL NM101=74 NM101=82 NM101=TT NM101=PR NM101=GB",
            "REF01=1L/1W/28/6P/9A/9C/BB/CE/EA/F8/G1/G3/IG/SY REF01=0B/1A/1B/1C/1D/1G/1H/1J/"
            "D3/G2/LU",
            "DTM01=232/233 DTM01=036 DTM01=050",
        ),
        "2110": (
            "REF01=1S/APC/BB/E9/G1/G3/LU/RB REF01=6R REF01=0B/1A/1B/1C/1D/1G/1H/1J/D3/G2/HPI/"
            "SY/TJ REF01=0K",
        ),
    },
    "professional": {
        "ST": ("1000A 1000B",),
        "2000A": (
            "HL03=20 2000B",
            "2010AA 2010AB 2010AC",
        ),
        "2010AA": ("REF01=EI/SY REF01=0B/1G",),
        "2010AC": ("REF01=2U/FY/NF REF01=EI",),
        "2000B": (
            "HL03=22 2000C",
            "2010BA 2010BB",
        ),
        "2010BA": ("REF01=SY REF01=Y4",),
        "2010BB": ("REF01=2U/EI/FY/NF REF01=G2/LU",),
        "2300": (
            "DTP01=431 DTP01=454 DTP01=304 DTP01=453 DTP01=439 DTP01=484 DTP01=455 DTP01=471 "
            "DTP01=314/360/361 DTP01=297 DTP01=296 DTP01=435 DTP01=096 DTP01=090/091 "
            "DTP01=444 DTP01=050",
            "REF01=4N REF01=F5 REF01=EW REF01=9F REF01=G1 REF01=F8 REF01=X4 REF01=9A "
            "REF01=9C REF01=LX REF01=D9 REF01=EA REF01=P4 REF01=1J",
            "CRC01=07 CRC01=E1/E2/E3 CRC01=75 CRC01=ZZ",
            "HI01-01=ABK/BK HI01-01=BP HI01-01=BG",
            "2310A 2310B 2310C 2310D 2310E 2310F",
        ),
        "2320": (
            "AMT01=D AMT01=A8 AMT01=EAF",
            "2330A 2330B 2330C 2330D 2330E 2330F 2330G",
        ),
        "2330B": ("REF01=2U/EI/FY/NF REF01=G1 REF01=9F REF01=T4 REF01=F8",),
        "2400": (
            "PWK01=03/04/05/06/07/08/09/10/11/13/15/21/A3/A4/AM/AS/B2/B3/B4/BR/BS/BT/CB/CK/"
            "CT/D2/DA/DB/DG/DJ/DS/EB/HC/HR/I5/IR/LA/M1/MT/NN/OB/OC/OD/OE/OX/OZ/P4/P5/PE/PN/"
            "PO/PQ/PY/PZ/RB/RR/RT/RX/SG/V5/XP PWK01=CT",
            "CRC01=07 CRC01=70 CRC01=09",
            "DTP01=472 DTP01=471 DTP01=607 DTP01=463 DTP01=461 DTP01=304 DTP01=738/739 "
            "DTP01=011 DTP01=455 DTP01=454",
            "QTY01=PT QTY01=FL",
            "REF01=9B REF01=9D REF01=G1 REF01=6R REF01=EW REF01=X4 REF01=F4 REF01=BT REF01=9F",
            "AMT01=T AMT01=F4",
            "NTE01=ADD/DCP NTE01=TPO",
            "2420A 2420B 2420C 2420D 2420E 2420F 2420G 2420H",
        ),
        "2010CA": ("REF01=Y4 REF01=1W/SY",),
    },
    "institutional": {
        "ST": ("1000A 1000B",),
        "2000A": (
            "HL03=20 2000B",
            "2010AA 2010AB 2010AC",
        ),
        "2010AC": ("REF01=2U/FY/NF REF01=EI",),
        "2000B": (
            "HL03=22 2000C",
            "2010BA 2010BB",
        ),
        "2010BA": ("REF01=SY REF01=Y4",),
        "2010BB": ("REF01=2U/EI/FY/NF REF01=G2/LU",),
        "2300": (
            "DTP01=096 DTP01=434 DTP01=435 DTP01=050",
            "REF01=4N REF01=9F REF01=G1 REF01=F8 REF01=9A REF01=9C REF01=LX REF01=D9 "
            "REF01=LU REF01=EA REF01=P4 REF01=G4",
            "NTE01=ALG/DCP/DGN/DME/MED/NTR/ODT/RHB/RLH/RNH/SET/SFM/SPT/UPI NTE01=ADD",
            "HI01-01=ABK/BK HI01-01=ABJ/BJ HI01-01=APR/PR HI01-01=ABN/BN HI01-01=DR "
            "HI01-01=ABF/BF HI01-01=BBR/BR/CAH HI01-01=BBQ/BQ HI01-01=BI HI01-01=BH "
            "HI01-01=BE HI01-01=BG HI01-01=TC",
            "2310A 2310B 2310C 2310D 2310E 2310F",
        ),
        "2320": (
            "AMT01=D AMT01=EAF AMT01=A8",
            "2330A 2330B 2330C 2330D 2330E 2330F 2330G 2330H 2330I",
        ),
        "2330B": ("REF01=2U/EI/FY/NF REF01=G1 REF01=9F REF01=T4 REF01=F8",),
        "2400": (
            "REF01=6R REF01=9B REF01=9D",
            "AMT01=GT AMT01=N8",
            "2420A 2420B 2420C 2420D",
        ),
        "2010CA": ("REF01=Y4 REF01=1W/SY",),
    },
    "dental": {
        "ST": ("1000A 1000B",),
        "2000A": (
            "HL03=20 2000B",
            "2010AA 2010AB 2010AC",
        ),
        "2010AA": ("REF01=EI/SY REF01=0B/1G",),
        "2010AC": ("REF01=2U/FY/NF REF01=EI",),
        "2000B": (
            "HL03=22 2000C",
            "2010BA 2010BB",
        ),
        "2010BA": ("REF01=SY REF01=Y4",),
        "2010BB": ("REF01=2U/EI/FY/NF REF01=G2/LU",),
        "2300": (
            "DTP01=439 DTP01=452 DTP01=472 DTP01=050",
            "REF01=G3 REF01=4N REF01=F8 REF01=9F REF01=G1 REF01=9A REF01=9C REF01=D9",
            "2310A 2310B 2310C 2310D 2310E",
        ),
        "2320": (
            "AMT01=D AMT01=EAF AMT01=A8",
            "2330A 2330B 2330C 2330D 2330E 2330F 2330G 2330H",
        ),
        "2330B": ("REF01=2U/EI/FY/NF REF01=G1 REF01=9F REF01=T4 REF01=G3 REF01=F8",),
        "2400": (
            "DTP01=472 DTP01=472 DTP01=472 DTP01=472 DTP01=472 DTP01=472",
            "REF01=G3 REF01=G1 REF01=6R REF01=9B REF01=9D REF01=9F",
            "2420A 2420B 2420C 2420D",
        ),
    },
}

_MAPS = {
    "835": "835.5010.X221.A1.full.txt",
    "professional": "837.5010.X222.A1.full.txt",
    "institutional": "837Q3.I.5010.X223.A1.full.txt",
    "dental": "837D.5010.X224.A2.full.txt",
}
# The 837D map's first claim REF, "Predetermination Identification", has REF01=P4; x12-notes §5
# corrects it to G3 (the qualifier edi reads and writes there: `Claim.predetermination_id`).
_LISTED_FIXES = {("dental", "2300", "REF01=P4"): "REF01=G3"}
_TABLES = {"HEADER": 1, "DETAIL": 2, "FOOTER": 3}
_ENVELOPE = ("ISA", "IEA", "GS", "GE", "ST", "SE", "TA1")
_FIXES = {
    ("dental", "2010BA", "DMG"): 320,
    ("dental", "2010CA", "DMG"): 320,
    ("dental", "2400", "TOO"): 3820,
    ("dental", "2420A", "PRV"): 5050,
    ("dental", "2420B", "PRV"): 5050,
}


def _parse(guide: str, path: str) -> dict[str, dict[str, int]]:
    """Loop → segment or child loop ID → position, from one map (exits on what it cannot place)."""
    loops: dict[str, dict[str, int]] = {}
    stack: list[tuple[int, str]] = []
    table = 1
    parents: dict[str, tuple[str, int]] = {}  # a loop whose first segment is still to come
    seen: dict[str, dict[str, int]] = {"ST": {}}  # this occurrence of each loop
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            m = re.match(r"^( *)(LOOP|SEG) (\S+)", line)
            if not m:
                continue
            indent, kind, ident = len(m.group(1)), m.group(2), m.group(3)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            if kind == "LOOP":
                if ident in _TABLES or ident in ("ISA_LOOP", "GS_LOOP", "ST_LOOP"):
                    table = _TABLES.get(ident, table)
                    stack.append((indent, "ST"))
                    continue
                if ident == "2000A" and guide == "dental":
                    table = 2  # the 837D map has no table wrappers
                parents[ident] = (stack[-1][1] if stack else "ST", table)
                stack.append((indent, ident))
                seen[ident] = {}
                continue
            loop = stack[-1][1] if stack else "ST"
            if loop == "ST" and ident in _ENVELOPE:
                continue
            found = re.search(r"pos=(\d+)", line)
            pos = _FIXES.get((guide, loop, ident)) or (int(found.group(1)) if found else None)
            if pos is None:
                print(f"{guide} {loop} {ident}: no position, left out", file=sys.stderr)
                continue
            at = table * 10000 + pos if loop == "ST" else pos
            here = seen[loop]
            if here and at < max(here.values()):
                sys.exit(f"{path}: {ident} at {pos} out of the map's order in {loop}")
            here[ident] = at
            entry = loops.setdefault(loop, {})
            if entry.setdefault(ident, at) != at:
                sys.exit(f"{path}: {ident} at two positions in {loop}")
            if loop in parents:  # its first segment: the loop's position in its parent
                parent, in_table = parents.pop(loop)
                at = in_table * 10000 + pos if parent == "ST" else pos
                if loops.setdefault(parent, {}).setdefault(loop, at) != at:
                    sys.exit(f"{path}: {loop} at two positions in {parent}")
    return loops


def _listing(guide: str, path: str) -> dict[str, list[str]]:
    """Loop → its groups of segments and child loops of one position, each as the map lists them
    (`LISTED`), from one map's first occurrence of each loop."""
    entries: dict[str, list[dict[str, object]]] = {}
    stack: list[tuple[int, str]] = []
    table = 1
    seen: set[str] = set()
    pending: dict[str, dict[str, object]] = {}  # a loop's entry in its parent, until its first SEG
    current: dict[str, object] | None = None
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            m = re.match(r"^( *)(LOOP|SEG) (\S+)", line)
            if not m:
                element = re.match(
                    r"^ +([A-Z][A-Z0-9]{1,2}\d\d(?:-\d\d)?) .*\[([^\]]*)\]\s*$", line
                )
                if element and current is not None and current["at"] == element.group(1):
                    current["codes"] = element.group(2).replace(",", "/")
                continue
            indent, kind, ident = len(m.group(1)), m.group(2), m.group(3)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            parent = stack[-1][1] if stack else "ST"
            if kind == "LOOP":
                if ident in _TABLES or ident in ("ISA_LOOP", "GS_LOOP", "ST_LOOP"):
                    table = _TABLES.get(ident, table)
                    stack.append((indent, "ST"))
                    continue
                if ident == "2000A" and guide == "dental":
                    table = 2
                name = ident if ident not in seen else ""  # a loop met again: not listed again
                seen.add(ident)
                if name and not parent.startswith("~"):
                    entry: dict[str, object] = {"text": ident, "pos": None, "table": table}
                    entries.setdefault(parent, []).append(entry)
                    pending[ident] = entry
                stack.append((indent, name or "~" + ident))
                current = None
                continue
            if parent == "ST" and ident in _ENVELOPE:
                continue
            found = re.search(r"pos=(\d+)", line)
            pos = _FIXES.get((guide, parent, ident)) or (int(found.group(1)) if found else None)
            if parent in pending:
                pending.pop(parent)["pos"] = pos
            if parent.startswith("~") or pos is None:
                current = None
                continue
            at = re.search(r'" ([A-Z][A-Z0-9]{1,2}\d\d(?:-\d\d)?)=', line)
            current = {"text": ident, "pos": pos, "table": table, "at": at and at.group(1)}
            entries.setdefault(parent, []).append(current)
    out: dict[str, list[str]] = {}
    for loop, items in entries.items():
        groups: dict[object, list[str]] = {}
        for item in items:
            if item["pos"] is None:
                continue
            text = str(item["text"])
            if item.get("codes"):
                text = f"{item['at']}={item['codes']}"
                text = _LISTED_FIXES.get((guide, loop, text), text)
            key = (item["table"], item["pos"]) if loop == "ST" else item["pos"]
            groups.setdefault(key, []).append(text)
        listed = [" ".join(group) for group in groups.values() if len(group) > 1]
        if listed:
            out[loop] = listed
    return out


def _generate_listed(maps: str) -> str:
    out = []
    for guide, name in _MAPS.items():
        out.append(f"    {guide!r}: {{")
        for loop, groups in _listing(guide, f"{maps}/{name}").items():
            out.append(f"        {loop!r}: (")
            for group in groups:
                chunk = ""
                for word in re.findall(r"[^ /]+[ /]?", group):  # cut after a space or a slash
                    if chunk and len(chunk) + len(word) > 80:
                        out.append(f"            {chunk!r}")
                        chunk = word
                    else:
                        chunk += word
                out.append(f"            {chunk!r},")
            out.append("        ),")
        out.append("    },")
    return "\n".join(out)


def _generate(maps: str) -> str:
    tables = {guide: _parse(guide, f"{maps}/{name}") for guide, name in _MAPS.items()}
    for loop in ("1000A", "1000B"):
        assert tables["dental"][loop] == tables["professional"][loop]
    tables["dental"]["ST"] = dict(tables["professional"]["ST"])
    out = []
    for guide, loops in tables.items():
        out.append(f"    {guide!r}: {{")
        for loop, entry in loops.items():
            text = " ".join(f"{k}:{v:04d}" for k, v in entry.items())
            line = f"        {loop!r}: {text!r},"
            if len(line) <= 100:
                out.append(line)
                continue
            out.append(f"        {loop!r}: (")
            chunk = ""
            for word in text.split(" "):
                if chunk and len(chunk) + len(word) + 1 > 80:
                    out.append(f"            {chunk + ' '!r}")
                    chunk = word
                else:
                    chunk = f"{chunk} {word}" if chunk else word
            out.append(f"            {chunk!r}")
            out.append("        ),")
        out.append("    },")
    return "\n".join(out)


if __name__ == "__main__":
    _maps = sys.argv[1] if len(sys.argv) > 1 else "../shared/maps"
    print(f"POSITIONS = {{\n{_generate(_maps)}\n}}\n\nLISTED = {{\n{_generate_listed(_maps)}\n}}")
