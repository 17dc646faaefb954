"""Claim facts that `claim_checks` says and `claim_syntax` must leave to it, kept here once.

`claim_checks` imports `claim_syntax` (through `claim_required`), so `claim_syntax` cannot import them
from `claim_checks`; both import them from here.
"""

from __future__ import annotations

from collections.abc import Mapping

# CLM01 is AN 1/38 in X12 (837P map line 342), but the 5010 guides hold it to 20 characters: the
# 835's CLP01 echoes it (x12-notes §3, §13).
MAX_PATIENT_CONTROL_NUMBER = 20
# 2400 REF*6R, the line item control number: REF02 is AN 1/50, the guides hold it to 30 (x12-notes §6).
MAX_LINE_CONTROL_NUMBER = 30

# (segment ID, REF01 qualifier or None) → the element `claim_checks` holds to a narrower size.
NARROWED_SIZES: Mapping[tuple[str, str | None], str] = {
    ("CLM", None): "CLM01",
    ("REF", "6R"): "REF02",
}

# The FRM segments (answers) of a 2440 form: max_use=99 (837P map line 1901).
MAX_FORM_ANSWERS = 99

# The unit code and the unit count a line requires, by claim kind (usage=R: 837P SV103, SV104, map
# lines 1284-1285; 837I SV204, SV205, map lines 2021-2022); the models leave them optional so that
# files lacking them still read.
LINE_UNITS: Mapping[str, tuple[str, str]] = {
    "professional": ("SV103", "SV104"),
    "institutional": ("SV204", "SV205"),
}

# How often a loop may repeat in its parent, by claim kind: the maps' `repeat=` of the loops the
# grammars let repeat (837P map lines 340, 1031, 1270, 1853; 837I 315, 1704, 2006, 2249; 837D 283,
# 574, 847, 1105). A provider loop (2310x, 2330x, 2420x) repeats once unless listed here (the
# referring providers: twice).
LOOP_REPEATS: Mapping[str, Mapping[str, int]] = {
    "professional": {
        **{"2300": 100, "2320": 10, "2400": 50, "2430": 15},
        **{"2310A": 2, "2330C": 2, "2420F": 2},
    },
    "institutional": {"2300": 100, "2320": 10, "2400": 999, "2430": 15},
    "dental": {"2300": 100, "2320": 10, "2400": 50, "2430": 15, "2310A": 2, "2330C": 2},
}

# DTP02 of the admission (435) and discharge (096) DTP: 837I map lines 342, 350; 837P 416, 420 (837D
# has neither: claim_rules says so). What each format's DTP03 is: D8 CCYYMMDD, DT CCYYMMDDHHMM, TM HHMM.
DATE_TIME_FORMATS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "institutional": {"admission": ("D8", "DT"), "discharge": ("TM",)},
    "professional": {"admission": ("D8",), "discharge": ("D8",)},
}
DATE_TIME_QUALIFIERS: Mapping[str, str] = {"admission": "435", "discharge": "096"}

# DTP02 of the dates the models hold as a `Period` (D8 one date, RD8 a range: the writer writes the
# one its value is), where a guide takes other than D8 alone: 837P map lines 404 (314/360/361), 1386
# (472); 837I 346 (434: RD8 only), 2040 (472); 837D 323 (472), 890-910 (every line date; x12-notes
# §5 corrects their qualifiers, not their formats).
_BOTH = ("D8", "RD8")
PERIOD_FORMATS: Mapping[str, Mapping[str, Mapping[str, tuple[str, ...]]]] = {
    "professional": {"2300": {"314": _BOTH, "360": _BOTH, "361": _BOTH}, "2400": {"472": _BOTH}},
    "institutional": {"2300": {"434": ("RD8",)}, "2400": {"472": _BOTH}},
    "dental": {
        "2300": {"472": _BOTH},
        "2400": dict.fromkeys(("472", "441", "452", "446", "196", "198"), _BOTH),
    },
}


def date_formats(kind: str, loop: str, seg_id: str, qualifier: str | None) -> tuple[str, ...]:
    """The formats (DTP02, DMG01) a claim kind's guide takes for a date of `loop`: D8 alone but for
    the dates above (every DMG01 and every other DTP02 of the three maps lists D8 alone)."""
    if seg_id == "DTP" and qualifier:
        if loop == "2300":
            for what, qual in DATE_TIME_QUALIFIERS.items():
                if qual == qualifier and what in DATE_TIME_FORMATS.get(kind, {}):
                    return DATE_TIME_FORMATS[kind][what]
        taken = PERIOD_FORMATS.get(kind, {}).get(loop, {}).get(qualifier)
        if taken is not None:
            return taken
    return ("D8",)
