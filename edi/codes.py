"""Names of the X12 codes a reader shows to people (x12-notes §7.1). Data only, no logic beyond lookup.

>>> name(CLAIM_STATUS, "22")
'reversal of previous payment'
>>> name(CLAIM_STATUS, "99")
'unknown code 99'
"""

from __future__ import annotations

from collections.abc import Mapping


def name(table: Mapping[str, str], code: str | None) -> str:
    """The name of `code` in `table`, or `"unknown code X"`."""
    if code is None or code == "":
        return "no code"
    return table.get(code, f"unknown code {code}")


# CLP02, claim status (element 1029), the 005010X221A1 subset.
CLAIM_STATUS: Mapping[str, str] = {
    "1": "processed as primary",
    "2": "processed as secondary",
    "3": "processed as tertiary",
    "4": "denied",
    "19": "processed as primary, forwarded to additional payer(s)",
    "20": "processed as secondary, forwarded to additional payer(s)",
    "21": "processed as tertiary, forwarded to additional payer(s)",
    "22": "reversal of previous payment",
    "23": "not our claim, forwarded to additional payer(s)",
    "25": "predetermination pricing only, no payment",
}

# CAS01, claim adjustment group (element 1033). CR is 4010 only, kept so old files still read well.
ADJUSTMENT_GROUPS: Mapping[str, str] = {
    "CO": "contractual obligation",
    "PR": "patient responsibility",
    "OA": "other adjustment",
    "PI": "payer initiated reduction",
    "CR": "correction and reversal (4010)",
}

# BPR01, transaction handling (element 305).
HANDLING: Mapping[str, str] = {
    "C": "payment accompanies remittance advice",
    "D": "make payment only",
    "H": "notification only",
    "I": "remittance information only",
    "P": "prenotification of future transfers",
    "U": "split payment and remittance",
    "X": "handling party's option to split payment and remittance",
}

# BPR03.
CREDIT_DEBIT: Mapping[str, str] = {"C": "credit", "D": "debit"}

# BPR04, payment method (element 591).
PAYMENT_METHODS: Mapping[str, str] = {
    "ACH": "automated clearing house (ACH)",
    "BOP": "financial institution option",
    "CHK": "check",
    "FWT": "federal reserve funds/wire transfer",
    "NON": "non-payment data",
}

# PLB03-01 and the later reason positions, provider adjustment reason (element 426).
PROVIDER_ADJUSTMENT_REASONS: Mapping[str, str] = {
    "50": "late charge",
    "51": "interest penalty charge",
    "72": "authorized return",
    "90": "early payment allowance",
    "AH": "origination fee",
    "AM": "applied to borrower's account",
    "AP": "acceleration of benefits",
    "B2": "rebate",
    "B3": "recovery allowance",
    "BD": "bad debt adjustment",
    "BN": "bonus",
    "C5": "temporary allowance",
    "CR": "capitation interest",
    "CS": "adjustment",
    "CT": "capitation payment",
    "CV": "capital passthru",
    "CW": "certified registered nurse anesthetist passthru",
    "DM": "direct medical education passthru",
    "E3": "withholding",
    "FB": "forwarding balance",
    "FC": "fund allocation",
    "GO": "graduate medical education passthru",
    "HM": "hemophilia clotting factor supplement",
    "IP": "incentive premium payment",
    "IR": "internal revenue service withholding",
    "IS": "interim settlement",
    "J1": "nonreimbursable",
    "L3": "penalty",
    "L6": "interest owed",
    "LE": "levy",
    "LS": "lump sum",
    "OA": "organ acquisition passthru",
    "OB": "offset for affiliated providers",
    "PI": "periodic interim payment",
    "PL": "payment final",
    "RA": "retro-activity adjustment",
    "RE": "return on equity",
    "SL": "student loan repayment",
    "TL": "third party liability",
    "WO": "overpayment recovery",
    "WU": "unspecified recovery",
}


# -- 837 claims ------------------------------------------------------------------------------------------

# HL03, hierarchical level code (element 735), as used in the 837 (x12-notes §2).
HL_LEVELS: Mapping[str, str] = {
    "20": "billing provider",
    "22": "subscriber",
    "23": "patient",
}

# CLM05-03, claim frequency type code (NUBC; x12-notes §10, 6 from ResDAC FREQ_CD, Q from X12 RFI 2173).
CLAIM_FREQUENCY: Mapping[str, str] = {
    "0": "non-payment/zero claim",
    "1": "original claim",
    "2": "interim - first claim",
    "3": "interim - continuing claim",
    "4": "interim - last claim",
    "5": "late charges only",
    "6": "adjustment of prior claim",
    "7": "replacement of prior claim",
    "8": "void/cancel of prior claim",
    "Q": "reopening of prior claim outside timely filing",
}

# The 2300 REF*F8 (payer claim control number) of the 837P, 837I and 837D guides is "required when
# CLM05-3 indicates this claim is a replacement or void to a previously adjudicated claim. If not
# required by this implementation guide, do not send." (quoted in X12 RFIs 1538, 2110, 2173). Which
# codes say so the guides leave open: 7 and 8 need it (x12-notes §6, §10); X12 reads an adjustment (6,
# RFI 1538) or a reopening (Q, RFI 2173) of an adjudicated claim as one that may carry it; any other
# frequency, an original claim (1: RFI 2110) above all, does not send it.
FREQUENCY_NEEDING_PAYER_ICN = ("7", "8")
FREQUENCY_TAKING_PAYER_ICN = ("6", "7", "8", "Q")

# NM101 of the provider loops (element 98): the role a provider plays on a claim, prior payer or line.
PROVIDER_ROLES: Mapping[str, str] = {
    "DN": "referring provider",
    "P3": "primary care provider",
    "82": "rendering provider",
    "77": "service facility",
    "DQ": "supervising provider",
    "71": "attending provider",
    "72": "operating physician",
    "ZZ": "other operating physician",
    "DD": "assistant surgeon",
    "PW": "ambulance pick-up location",
    "45": "ambulance drop-off location",
    "QB": "purchased service provider",
    "DK": "ordering provider",
    "85": "billing provider",
}

# Which loop holds a provider, by claim kind, level (2310 claim, 2330 prior payer, 2420 line) and role
# (x12-notes §3-§5; the 837D 2330x/2420x entity codes are unverified against the TR3, see §5). The
# writer puts provider loops in the order of these loop IDs; a role missing here is not used there.
PROVIDER_LOOPS: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    "professional": {
        "2310": {
            "DN": "2310A",
            "P3": "2310A",
            "82": "2310B",
            "77": "2310C",
            "DQ": "2310D",
            "PW": "2310E",
            "45": "2310F",
        },
        "2330": {
            "DN": "2330C",
            "P3": "2330C",
            "82": "2330D",
            "77": "2330E",
            "DQ": "2330F",
            "85": "2330G",
        },
        "2420": {
            "82": "2420A",
            "QB": "2420B",
            "77": "2420C",
            "DQ": "2420D",
            "DK": "2420E",
            "DN": "2420F",
            "P3": "2420F",
            "PW": "2420G",
            "45": "2420H",
        },
    },
    "institutional": {
        "2310": {
            "71": "2310A",
            "72": "2310B",
            "ZZ": "2310C",
            "82": "2310D",
            "77": "2310E",
            "DN": "2310F",
        },
        "2330": {
            "71": "2330C",
            "72": "2330D",
            "ZZ": "2330E",
            "77": "2330F",
            "82": "2330G",
            "DN": "2330H",
            "85": "2330I",
        },
        "2420": {"72": "2420A", "ZZ": "2420B", "82": "2420C", "DN": "2420D"},
    },
    "dental": {
        "2310": {
            "DN": "2310A",
            "P3": "2310A",
            "82": "2310B",
            "77": "2310C",
            "DD": "2310D",
            "DQ": "2310E",
        },
        "2330": {
            "DN": "2330C",
            "P3": "2330C",
            "82": "2330D",
            "DQ": "2330E",
            "85": "2330F",
            "77": "2330G",
            "DD": "2330H",
        },
        "2420": {"82": "2420A", "DD": "2420B", "DQ": "2420C", "77": "2420D"},
    },
}

# HI01-01 and later, code list qualifier (element 1270), the 837 subsets.
HEALTH_CODE_QUALIFIERS: Mapping[str, str] = {
    "ABK": "principal diagnosis (ICD-10-CM)",
    "BK": "principal diagnosis (ICD-9-CM)",
    "ABF": "diagnosis (ICD-10-CM)",
    "BF": "diagnosis (ICD-9-CM)",
    "ABJ": "admitting diagnosis (ICD-10-CM)",
    "BJ": "admitting diagnosis (ICD-9-CM)",
    "APR": "patient's reason for visit (ICD-10-CM)",
    "PR": "patient's reason for visit (ICD-9-CM)",
    "ABN": "external cause of injury (ICD-10-CM)",
    "BN": "external cause of injury (ICD-9-CM)",
    "BBR": "principal procedure (ICD-10-PCS)",
    "BR": "principal procedure (ICD-9-CM)",
    "CAH": "principal procedure (advanced billing concepts)",
    "BBQ": "other procedure (ICD-10-PCS)",
    "BQ": "other procedure (ICD-9-CM)",
    "BP": "anesthesia related surgical procedure",
    "BG": "condition code",
    "BH": "occurrence code",
    "BI": "occurrence span code",
    "BE": "value code",
    "DR": "diagnosis related group (DRG)",
    "TC": "treatment code",
}

# SBR01, payer responsibility sequence number code (element 1138).
PAYER_RESPONSIBILITY: Mapping[str, str] = {
    "P": "primary",
    "S": "secondary",
    "T": "tertiary",
    "A": "payer responsibility four",
    "B": "payer responsibility five",
    "C": "payer responsibility six",
    "D": "payer responsibility seven",
    "E": "payer responsibility eight",
    "F": "payer responsibility nine",
    "G": "payer responsibility ten",
    "H": "payer responsibility eleven",
    "U": "unknown",
}

# TA104 (element I17): accepted, accepted with errors, rejected (x12-notes §11.2).
TA1_ACKNOWLEDGMENTS: Mapping[str, str] = {
    "A": "accepted",
    "E": "accepted with errors",
    "R": "rejected",
}
# TA105 (element I18), x12.control.00501's 000..031, named as the X12 code list names them.
TA1_NOTES: Mapping[str, str] = {
    "000": "no error",
    "001": "interchange control numbers in header and trailer differ",
    "002": "control standard not supported",
    "003": "version of the controls not supported",
    "004": "segment terminator invalid",
    "005": "invalid sender id qualifier",
    "006": "invalid sender id",
    "007": "invalid receiver id qualifier",
    "008": "invalid receiver id",
    "009": "unknown receiver id",
    "010": "invalid authorization information qualifier",
    "011": "invalid authorization information",
    "012": "invalid security information qualifier",
    "013": "invalid security information",
    "014": "invalid interchange date",
    "015": "invalid interchange time",
    "016": "invalid standards identifier",
    "017": "invalid interchange version id",
    "018": "invalid interchange control number",
    "019": "invalid acknowledgment requested",
    "020": "invalid test indicator",
    "021": "invalid number of included groups",
    "022": "invalid control structure",
    "023": "improper (premature) end of file",
    "024": "invalid interchange content",
    "025": "duplicate interchange control number",
    "026": "invalid data element separator",
    "027": "invalid component element separator",
    "028": "invalid delivery date in deferred delivery request",
    "029": "invalid delivery time in deferred delivery request",
    "030": "invalid delivery time code in deferred delivery request",
    "031": "invalid grade of service code",
}
