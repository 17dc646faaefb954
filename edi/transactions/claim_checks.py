"""Business checks of claims before they are written: what a payer or clearinghouse would reject.

Each check returns readable problems, `"claim PCN1: total charge 150 ≠ Σ line charges 140"`; nothing
raises. `write_837` refuses claims with problems (`ClaimCheckError`), and `edi build` prints them.
Each problem is a `ClaimProblem` (`claim_problem`): that text, with the model it is about (the
claim, a line, prior payer or provider of it, or a context model the claims of a set share) and
its element, as each check knows them; `edi claims` places it by them.

Checked (x12-notes §3-§6, §8.2, §10, §12, §13; usage and repeats from maps/837*):
- CLM02 = Σ line charges (SV102 / SV203 / SV302); line charges ≥ 0;
- the situational rules of `claim_situations`: an inpatient bill's admission date, type and source,
  no discharge hour on an interim bill, an 837D claim's date of service (unless a predetermination),
  ICD-9 or ICD-10 by the date of service;
- 837I (`claim_institutional`): the form of its NUBC codes (revenue code, facility type, patient
  status), a non-covered charge not above its line's charge, line dates in the statement period;
- every diagnosis pointer (SV107 / SV311) points at an existing diagnosis, none twice on a line; no
  diagnosis code twice (RFI 2561), nor a condition code (NUBC); at most 12 diagnoses in 837P/837D,
  the principal one first and only once; an 837P claim has a principal diagnosis (HI ABK) and each
  of its lines a pointer (SV107-01), a unit code and a quantity (SV103, SV104);
- 837I: a principal diagnosis (HI ABK); 837P and 837I: only the guide's HI qualifiers, each HI
  segment of the guide with at most max use × its composites codes (837I: one principal diagnosis,
  admitting diagnosis, DRG and principal procedure, three reasons for visit, 24 other diagnoses ...;
  837P: 24 condition codes, BP then BO), in at most max use segments as the writer makes them (codes
  of one kind with others between them take a segment per run); 837I procedures (BBR, BBQ) and
  occurrences (BH) carry a date, occurrence spans (BI) a period, values (BE) an amount, and no other
  HI composite of the three guides carries either (nor a date format, HI-03); 837P and 837I: no HI quantity (HI-06), and a
  present-on-admission indicator (HI-09: N, U, W, Y) only on 837I principal, other and external cause
  diagnoses; no HI code (of the three guides) with a decimal point;
- the AMT, REF, DTP, NTE, CRC, PWK, K3 (837P lines: QTY, MEA too) of the claim and its lines, and the
  REF of the billing provider, subscriber, payer and patient: only the qualifiers the claim kind's
  guide lists in that loop, each segment definition at most its max use (`claim_rules`: 837I has no
  AMT*F5, REF*X4, CRC*07, DTP*431/472 at 2300, no K3 on a line, no REF*SY or REF*0B in 2010AA; at most
  10 PWK and 10 K3, one NTE*ADD, one REF*LU ...); 837D only the DTP and line REF qualifiers and the
  counts its map and x12-notes §5 agree on;
- what the guides require but the models leave optional (so that files lacking it still read):
  CLM05-01 and CLM05-03; a DTP's format with its value (admission, discharge), a format its guide
  lists (837I admission D8/DT, discharge TM; 837P D8) and a value of that format; 837I: the statement
  period (DTP*434), the patient status (CL103), each line's unit code and count (SV204, SV205);
- 837P and 837I (`claim_required`, map lines cited there): the segments a loop requires (1000A PER;
  2010AA N3, N4 and the tax id REF; 2010CA N3, N4, DMG; N3/N4 of the facility and ambulance location
  loops; the subscriber's DMG when the subscriber is the patient; each 837P line's DTP*472), the
  elements a written segment requires (NM103, NM108/NM109 where required, the REF01 a field gives
  with its REF02: the prescription number's, the tax id's; PER03/04, N401, DMG01-03,
  CLM06 (837P)-CLM09, SBR02 and OI03/OI06 of a prior payer, SV101-02, SV202-02, HI-02), and the codes
  the maps list for BHT06, NM102, NM108, SBR01 and SBR09 (2000B, 2320), SBR02 (2000B), PER01,
  837P SBR05, CLM12 and MEA02, 2410 REF01, DMG03, PER03, CLM05-02-CLM09, OI03, OI06, PWK02, CRC02-07 (per CRC01) and 837I HI-03; PRV02-03 of the billing provider (its PRV01, BI, the
  model writes) and PRV01-03 of the providers that have a PRV (PRV01 the loop's provider code, PRV02
  PXC); each payer of a claim its own payer responsibility (SBR01, 2000B and 2320; U may repeat); the
  837P DME line's SV5 (SV501-02,
  SV502-SV506, SV501-01 HC, SV502 DA, SV506 1/4/6); the line adjudication's SVD (SVD01, SVD02, SVD05,
  SVD03-01 and SVD03-02, SVD03-01's qualifiers; 837P: SVD03 required, no SVD04; 837I: SVD04
  required); the 837P ambulance CR1 (CR104-CR106, CR101 LB, CR104 A-E, CR105 DH, the weight with
  its unit: P0102); at most 2 submitter PER; 837D: the 837P rules above that its map repeats for
  the same segment of a loop of the same meaning (the header and party loops' required segments and
  elements, CLM06-CLM09, the rendering provider's PRV, the prior payers' SBR02, OI03, OI06 and
  NM1; claim_required's docstring says which were left out); every NM1 of the three guides:
  NM108 and NM109 together (syntax P0809); the REF of the provider loops and prior payers (2310x,
  2330x, 2420x; 2330A/B) and the 2320 AMT take their loop's qualifiers and max use (`claim_rules`);
- frequency 7 (replacement) and 8 (void) carry the payer claim control number (REF*F8), and a
  claim that replaces, voids, adjusts or reopens none (any frequency but 6, 7, 8, Q) carries none
  (`codes.FREQUENCY_TAKING_PAYER_ICN`: the guides' "if not required ..., do not send");
- no date range (RD8) of the claim or its lines ends before it starts, and each of their dates is
  one date (D8) or a range (RD8) as its guide takes it (837I statement period: a range only); no
  date of any loop keeps a format read (DTP02, DMG01, PAT05) that is not its value's own, which
  would be written back (`DMG*XX`, `DTP*573*RD8` with one date);
- each line has the service segment of its claim kind (SV1, SV2 or SV3); 50 lines (P, D) or 999 (I);
  no field whose segment or child loop the kind's grammar has no place for in the loop of its model
  (DN1, DN2 or TOO outside an 837D, CL1 outside an 837I, a drug (2410) in an 837D line, a PRV for an
  837I operating physician, a subscriber's PAT outside the 837P ...), for the context, the claim,
  its providers, prior payers and lines;
  837D: prosthesis code R (SV305, replacement) carries the prior placement date (DTP*441), which
  is not after the line's date of service; a TOO is JP, a tooth (TOO02 given) of the universal
  national designation and surfaces of the map's codes, a DN2 of such a tooth (and DN206 JP);
  SV304 oral cavity areas of the ADA's list; at most 32 TOO a line and 35 DN2 a claim; SV301-01
  AD, SV305 I or R, DN202 E or M; DN1 months not negative, no more remaining than in all
  (x12-notes §5);
  837P SV101-01 and SV103, 837I SV202-01 and SV204 take their maps' codes; a procedure code has
  the form of its code set (the lists are not shipped): HCPCS/CPT (SV101-02, SV202-02 under HC)
  five letters or digits, with no modifier in it (`99213-25`), CDT (SV301-02 under AD) D and four
  digits; a drug's NDC (2410 LIN03 under N4) 11 digits, 5-4-2 without dashes; an HI code of
  ICD-10-CM (ABK, ABF, ABJ, APR, ABN) or ICD-10-PCS (BBR, BBQ) has its code set's form
  (`codesets.HEALTH_CODE_FORMS`); a provider taxonomy (PRV03) NUCC's form, nine letters or digits
  then X (`codesets.TAXONOMY_FORM`);
- a claim without a patient says that the subscriber is the patient (SBR02 = 18); a patient's
  relationship (PAT01) is one of the 2000C codes (18, self, is not);
- provider roles exist in the guide of the claim kind; no provider loop (2310x, 2330x, 2420x) more often
  than the guide repeats it; every provider, the submitter and the receiver have an entity type (NM102);
- at most 10 prior payers (2320) and 15 adjudications a line (2430); COB (x12-notes §8.2 rules
  2-5): each 2430 belongs to a prior payer (SVD01 = 2330B NM109) and balances to its line charge
  (the 2430s of a bundled or split line, of one SVD06, together to their lines' charges); a prior
  payer's adjudication date and remaining patient liability at one level, claim or lines;
  each prior payer's AMT*D and CAS balance to CLM02; the CAS numbers of a prior payer's and an
  adjudication's adjustments (`segment`) give CAS segments the writer can write (one group code and
  six triplets a CAS, the triplets of one CAS next to each other), at most 5 CAS segments in each;
- the elements each segment uses in its loop (`claim_usage`, the maps' usage): a model field or text
  kept from the file read in an element the guide does not use there (the 837P ambulance drop-off
  location's NM104-NM109, CLM06 in an 837I, an NM110, an element past the last) is refused, and
  so is a segment without any element (an empty MOA); CRC03 is required in every CRC, and CRC04-07
  only where its CRC01 uses them (837P 75 and 70: none, ZZ: two more, 09: one more);
- a value `write_837` could not write with the delimiters it would use (`ClaimChecker`,
  `claim_writable`): a simple element holding the component separator (`CLM*PCN:1001`), any value
  holding the element or repetition separator or the terminator, said in the writer's words;
- CLM01 ≤ 20 characters and, across the claims given to `check_claims`, unique per payer, frequency
  and CLM19 (the 835's CLP01 is matched on it); REF*6R ≤ 30 characters and unique within the claim;
  NPIs pass their check digit;
- X12 syntax (`claim_syntax`, map lines cited there), in all three guides: each element's size
  and type as the maps give them (NM103 1 to 60 characters, N403 3 to 15, SV101-03 2, CLM02 at
  most 18 digits, BHT05 a time of 4 to 8 digits), said by its length, never quoted; and the
  segments' syntax relations among the elements the guides use (NM108/NM109 P0809, N4 E0207 and
  C0704, PER P0304-P0708, PAT P0506 P0708, DMG P0102, REF R0203, PRV P0203, PWK P0506, CR1, CR3,
  HCP, SV1, SV2, SV5, QTY, MEA, CTP, LQ, FRM), in the claim's loops and in the segments it keeps
  from the file read; the drug (2410) and form (2440) loops included;
- the external code lists that may be shipped (`edi.codesets`, SNIP 5; `claim_required`): a place of
  service (837P/837D CLM05-01, SV105, SV303) CMS lists, and in use on the date of service (the
  line's, else the claim's) when CMS added it lately; state codes (N402 of a US or Canadian
  address, and none for another country; CLM11-04), country codes (N404, CLM11-05) and currency
  codes (CUR02); the state and postal code (N402, N403) of a US or Canadian address, and of one
  in the US a ZIP code, five or nine digits, the nine-digit ZIP+4 of a billing provider's or
  service facility's (`_check_zip_codes`).

Not checked: the order of the 837I HI segments (principal, admitting, ... as the guide lists them):
pyx12 takes them in any order (they share one position), and so do these checks, as long as each kind
fits its segments. The 837D HI qualifiers, segments and HI-09, its NTE01, PWK01 and line AMT01
codes, its claim REF, its party loops' REF, its SVD, and its required elements and code lists
where its map (from TigerShark) differs from the 837P's or x12-notes §5 doubts it. Situational segments whose situation the model does not show (837I
line DTP*472), the 2330x provider REF (required there; the models keep none), the external code
lists that may not be shipped (NUBC, such as the 837I CLM05-01; CPT, CDT, CARC, RARC); the usage
and codes of the elements of the segments a claim keeps unmapped from its file (only their sizes
and syntax relations, and the qualifier of those `claim_rules._KEPT_QUALIFIERS` lists; `write_837`
reads back what it wrote, and refuses those the grammar has no place for).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache, partial
from operator import attrgetter, is_
from typing import Any

from pydantic import BaseModel, TypeAdapter

from edi import codes, codesets
from edi.diagnostics import NAMED_ONE_BY_ONE, Location, short_id
from edi.errors import WriteError
from edi.grammar import get_grammar
from edi.mapping import SegNotes, segment_groups, written_groups
from edi.models.base import (
    DATE_TIME_SHAPES,
    KEEP_NULLS,
    Child,
    Elem,
    Elems,
    Group,
    LoopModel,
    Period,
    Seg,
    SegMap,
    owned_qualifiers,
    split_ref,
)
from edi.models.claim import (
    EXTERNAL_CAUSE,
    OTHER_PROCEDURE,
    POINTED_DIAGNOSIS,
    PRINCIPAL_DIAGNOSIS,
    PRINCIPAL_PROCEDURE,
    REASON_FOR_VISIT,
    Claim,
)
from edi.models.claim_cob import OtherPayer, OtherSubscriber, PriorPayer
from edi.models.claim_lines import Drug, Form, LineAdjudication, ServiceLine, Tooth
from edi.models.claim_parties import PERSON_NAME_PARTS, Provider
from edi.models.claim_segments import HealthCode
from edi.models.unvalidated import Walk, not_edis, unvalidated
from edi.transactions.claim837 import claims_given
from edi.transactions.claim_institutional import institutional_problems
from edi.transactions.claim_limits import (
    DATE_TIME_FORMATS,
    DATE_TIME_QUALIFIERS,
    LINE_UNITS,
    LOOP_REPEATS,
    MAX_FORM_ANSWERS,
    MAX_LINE_CONTROL_NUMBER,
    MAX_PATIENT_CONTROL_NUMBER,
    PERIOD_FORMATS,
    date_formats,
)
from edi.transactions.claim_problem import (
    DUPLICATE_CLAIM,
    ENVELOPE,
    KEPT_NO_DATE,
    KEPT_NO_NUMBER,
    UNVALIDATED,
    UNWRITABLE,
    ClaimProblem,
    problems_about,
)
from edi.transactions.claim_required import element_problems
from edi.transactions.claim_rules import (
    GUIDE_NAMES,
    fields_getter,
    is_code,
    says_unused,
    segment_problems,
    shown_value,
    takes_qualifier,
)
from edi.transactions.claim_situations import (
    SUBSCRIBER_AS_PATIENT_SEGMENTS,
    kept_text,
    service_span,
    situation_problems,
)
from edi.transactions.claim_syntax import sizes
from edi.transactions.claim_usage import segment_usage
from edi.transactions.claim_writable import (
    asks_the_writer,
    context_may_clash,
    may_clash,
    model_write_problems,
    own_text_may_clash,
    writes_clean,
)
from edi.transactions.common import (
    EnvelopeChecker,
    SetDelimiters,
    claim_group_problems,
    guide_of_kind,
)
from edi.transactions.json_input import (
    JsonProblemsError,
    JsonSource,
    json_items,
    json_path,
    validated,
)
from edi.transactions.segment_order import claim_order_problems
from edi.transactions.x12_syntax import is_date_time
from edi.x12.delimiters import Delimiters

_SERVICES = ("SV1", "SV2", "SV3")  # a line's professional, institutional and dental service
_MAX_TEETH = 32  # TOO max_use=32 in the 837D 2400 (map line 879, x12-notes §5)
_MAX_TOOTH_STATUS = 35  # DN2 max_use=35 in the 837D 2300 (map line 334, x12-notes §5)
# 2000C PAT01 (maps: PAT01=01/19/20/21/39/40/53/G8 in all three guides): 18 (self) is not among them,
# a patient who is the subscriber has no 2000C.
_PATIENT_RELATIONSHIPS = ("01", "19", "20", "21", "39", "40", "53", "G8")
_ZERO = Decimal(0)
# The form of a provider taxonomy code (x12-notes §10: NUCC's, nine letters or digits then X).
TAXONOMY_FORM = codesets.TAXONOMY_FORM
# The form of the procedure codes lines use (`codesets.PROCEDURE_FORMS`: HCPCS/CPT, CDT).
_HCPCS = codesets.HCPCS_FORM
_CDT = codesets.CDT_FORM
# A drug's national drug code (2410 LIN03 under LIN02 N4) is the 11-digit NDC in its 5-4-2 form,
# without dashes (x12-notes §10; the 837 guides' LIN03 note): one printed 4-4-2 (`0009-0047-01`)
# goes padded, 00009004701.
_NDC = (re.compile(r"[0-9]{11}"), "an 11-digit NDC in the 5-4-2 form, without dashes")
_NDC_QUALIFIER = "N4"
# A service's procedure composite, and the qualifier of its service of these codes (HC: HCPCS).
_SERVICE_CODES = {
    "professional": ("SV101", "HC", _HCPCS),
    "institutional": ("SV202", "HC", _HCPCS),
    "dental": ("SV301", "AD", _CDT),
}


@dataclass(frozen=True, slots=True, eq=False)  # module constants: compared by identity
class _HiSegment:
    """One HI segment of a guide's loop 2300: its qualifiers, max use and the composites each takes."""

    name: str
    qualifiers: tuple[str, ...]
    max_use: int
    per_segment: int
    counted: bool = True  # False: its number of codes is the pointer check's (837P diagnoses)
    first: tuple[str, ...] = ()  # qualifiers only HI01 takes, and HI02-HI12 take only the others

    @property
    def limit(self) -> int:
        return self.max_use * self.per_segment

    @property
    def quals(self) -> str:
        """Its qualifiers as messages name them (`ABK/BK`)."""
        return "/".join(self.qualifiers)


# The 2300 HI segments of the maps (837P: 837.5010.X222.A1, 837I: 837Q3.I.5010.X223.A1). The 837D map
# (from TigerShark, x12-notes §5) gives its one HI only HI01, against x12-notes and the fixtures: left out.
_HI_SEGMENTS: dict[str, tuple[_HiSegment, ...]] = {
    "professional": (
        _HiSegment("diagnosis", ("ABK", "BK", "ABF", "BF"), 1, 12, counted=False),
        _HiSegment("anesthesia related procedure", ("BP", "BO"), 1, 2, first=("BP",)),
        _HiSegment("condition", ("BG",), 2, 12),
    ),
    "institutional": (
        _HiSegment("principal diagnosis", ("ABK", "BK"), 1, 1),
        _HiSegment("admitting diagnosis", ("ABJ", "BJ"), 1, 1),
        _HiSegment("reason for visit", ("APR", "PR"), 1, 3),
        _HiSegment("external cause of injury", ("ABN", "BN"), 1, 12),
        _HiSegment("DRG", ("DR",), 1, 1),
        _HiSegment("other diagnosis", ("ABF", "BF"), 2, 12),
        _HiSegment("principal procedure", ("BBR", "BR", "CAH"), 1, 1),
        _HiSegment("other procedure", ("BBQ", "BQ"), 2, 12),
        _HiSegment("occurrence span", ("BI",), 2, 12),
        _HiSegment("occurrence", ("BH",), 2, 12),
        _HiSegment("value", ("BE",), 2, 12),
        _HiSegment("condition", ("BG",), 2, 12),
        _HiSegment("treatment", ("TC",), 2, 12),
    ),
}


# Each HI qualifier's segment, per claim kind.
_HI_OF_QUALIFIER = {
    kind: {q: hi for hi in table for q in hi.qualifiers} for kind, table in _HI_SEGMENTS.items()
}


def npi_is_valid(npi: str) -> bool:
    """The NPI check digit (Luhn over "80840" + the first nine digits; x12-notes §10).

    Example:
        >>> npi_is_valid("1234567893"), npi_is_valid("1234567890")
        (True, False)
    """
    if len(npi) != 10 or not (npi.isascii() and npi.isdigit()) or npi[0] not in "12":
        return False
    total = 24  # the Luhn sum of the prefix 80840
    for i, ch in enumerate(reversed(npi[:9])):
        digit = int(ch)
        if i % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10 == int(npi[9])


def shown_npi(npi: str) -> str:
    """` '1234567893'`: an NPI as a message quotes it, when it is ten digits (NPPES publishes NPIs);
    empty for anything else, which may be a name or a member id put in the wrong place (PHI)."""
    return f" {npi!r}" if len(npi) == 10 and npi.isascii() and npi.isdigit() else ""


def npi_fault(npi: str) -> str:
    """What is wrong with an NPI `npi_is_valid` refuses, said after it: a 3 in front is no check
    digit's fault."""
    if len(npi) != 10 or not (npi.isascii() and npi.isdigit()):
        return "is not 10 digits"
    if npi[0] not in "12":
        return "does not start with 1 or 2, as every NPI does"
    return "fails its check digit"


# The same few billing provider NPIs come with every claim.
_npi_ok = lru_cache(maxsize=1024)(npi_is_valid)


def check_claims(
    claims: Iterable[Claim], *, delimiters: Delimiters | None = None
) -> list[ClaimProblem]:
    """The problems of every claim, in order; and a claim sent twice, which only the claims together
    show (see `ClaimChecker`). `delimiters`: those `write_837` would be given; as there, by default
    a claim that carries its interchange is checked against the delimiters it was read with, the
    others against those the first claim was read with (`SetDelimiters`: a value holding one of
    the delimiters its set is written with cannot be written). Each
    problem is a `ClaimProblem`: a `str` that knows the model (`about`) and the element it is
    about (`ClaimChecker.findings` gives them typed so).

    Example:
        >>> check_claims([claim])  # claim.patient_control_number == "PCN:1001"  # doctest: +SKIP
        ["claim PCN:1001: CLM01 holds the component separator ':', so the element would read ..."]
    """
    return _checked(claims_given(claims, "check_claims"), ClaimChecker(delimiters=delimiters))


def _checked(claims: Iterable[Claim], checker: ClaimChecker) -> list[ClaimProblem]:
    return [problem for claim in claims for problem in checker.check(claim)]


def problems_to_write(
    claims: Iterable[Claim], *, delimiters: Delimiters | None = None, writable: bool = False
) -> list[ClaimProblem]:
    """`check_claims` as `write_837` runs it: without the envelopes the claims carry, which it
    checks itself, and without asking the writer about delimiters in values, which the writing that
    follows refuses itself (`WriteError`), unless `writable`: on its way to refusing claims, it says
    every claim's problems, those values too (one problem found hides no other)."""
    checker = ClaimChecker(delimiters=delimiters)
    checker._writable = writable
    checker._carried = False
    return _checked(claims, checker)


class ClaimChecker:
    """The checks of claims one at a time, as they stream past (`edi claims`): each claim's own
    problems, and a claim sent twice: the same claim id (CLM01) and frequency (CLM05-3) from one
    billing provider to one payer (x12-notes §6, §9.2: the 835's CLP01 is matched on it). A void and
    its rebill share their id, as do two providers' claims; those pass. And a value `write_837` could
    not write with `delimiters` (by default, as `write_837` picks them: those its interchange was
    read with, else those the first claim was read with; `SetDelimiters`): a claim id `PCN:1001`
    when `:` separates components (`claim_writable`)."""

    def __init__(self, *, delimiters: Delimiters | None = None) -> None:
        self.first_of: dict[tuple[str | None, ...], int] = {}
        self.count = 0
        self.memo = _Memo()
        self.delimiters = delimiters
        self._rule: SetDelimiters | None = None  # as write_837's, set by the first claim
        self._current: Delimiters | None = None  # those of the claim being checked
        # Whether to ask the writer, and to check the envelopes the claims carry: `problems_to_write`
        # does neither, as `write_837` does both itself (it asks the writer when refusing).
        self._writable = True
        self._carried = True
        self._written: dict[int, tuple[BaseModel, Delimiters, list[ClaimProblem]]] = {}
        # Whether each recent context model may hold a delimiter, by identity (as `_Memo`), with
        # the delimiters asked about.
        self._context: dict[int, tuple[BaseModel, Delimiters | None, bool]] = {}
        self._envelopes: EnvelopeChecker | None = None

    def check(self, claim: Claim) -> list[ClaimProblem]:
        """The problems of the next claim, each starting with `claim <id>: `: each a
        `ClaimProblem` (as `findings` gives them)."""
        return list(self.findings(claim))

    def findings(self, claim: Claim) -> list[ClaimProblem]:
        """The problems of the next claim, as `check` gives them, each with what it is about
        (`ClaimProblem.about`, `.element`, `.code`).

        Example:
            >>> checker = ClaimChecker()
            >>> for claim in read_claims(Path("claims.837")):    # doctest: +SKIP
            ...     for problem in checker.findings(claim):
            ...         print(problem.location, problem.element, problem)
        """
        placed = self.placed(claim)
        numbered = len(placed) == 1 and placed[0][1].code == UNVALIDATED
        prefix = claim_named(claim, self.count, numbered) + ": "
        return [problem.prefixed(prefix) for _, problem in placed]

    def placed(self, claim: Claim) -> list[tuple[BaseModel, ClaimProblem]]:
        """The problems of the next claim (without its id), each with the model it is placed at:
        the context model a problem of the billing provider's, subscriber's, payer's or patient's
        loops is about (`billing provider (2010AA): ...`; the claims of a set that share it share
        the problem), else the claim (`about_model`). `edi claims` says a context problem once,
        where it was read, and a claim's at the part of it the problem is about (`claim_part`).

        A claim made or changed around pydantic (`model_construct`, `__dict__`) that the checks
        fail on has one problem (`UNVALIDATED`): the fields pydantic refuses (`unvalidated`)."""
        self.count += 1
        try:
            return self._placed(claim, self.count)
        except Exception as exc:
            problem = unvalidated_problem(claim) if not_edis(exc) else None
            if problem is None:  # edi's own error: raised as it is
                raise
            return [(claim, problem)]

    def _placed(self, claim: Claim, n: int) -> list[tuple[BaseModel, ClaimProblem]]:
        pcn = claim.patient_control_number
        # The scan for delimiters first: it brings the claim's models into the cache for the checks.
        unwritable = self._write_problems(claim) if self._writable else []
        found = check_claim(claim, self.memo)
        placed = [(about_model(claim, p), p) for p in (*found, *unwritable)]
        payer = claim.payer.id or claim.payer.name
        billing = claim.billing_provider
        # CLM19 too: an 837D predetermination (PB) and the claim that follows it share CLM01.
        key = (
            billing.npi or billing.name,
            payer,
            pcn,
            claim.frequency_code,
            claim.submission_reason,
        )
        first = self.first_of.setdefault(key, n)
        if first != n:
            text = (
                f"claims {first} and {n} have the same patient control number (CLM01) and "
                f"frequency from one billing provider to payer {payer}: the claim is sent twice, "
                "or two claims share one id (the 835 pays them by it: one id per claim)"
            )
            placed.append((claim, ClaimProblem(text, claim, "CLM01", DUPLICATE_CLAIM)))
        envelope = claim.envelope
        if envelope is not None and self._carried:  # as `write_837` checks it (each problem once)
            chosen = self._chosen(claim)
            checker = self._envelopes = self._envelopes or EnvelopeChecker(chosen)
            checker = checker.written_with(chosen)
            placed += [
                (claim, ClaimProblem(f"envelope: {p}", claim, code=ENVELOPE))
                for p in checker.unsaid(
                    checker.problems(envelope)
                    + claim_group_problems(envelope, guide_of_kind(claim.kind))
                )
            ]
        return placed

    def _chosen(self, claim: Claim) -> Delimiters:
        """The delimiters `write_837` writes `claim` with (`SetDelimiters`)."""
        read_with = claim.header.__pydantic_private__.get("_delimiters")  # type: ignore[union-attr]
        if self._rule is None:  # as write_837: the first claim's for those without their own
            self._rule = SetDelimiters(self.delimiters, read_with, None)
        self._current = self._rule(read_with, claim.envelope)
        return self._current

    def _write_problems(self, claim: Claim) -> list[ClaimProblem]:
        chosen = self._chosen(claim)
        if not may_clash(claim, chosen, self._context_may_clash):
            return []
        return name_write_problems(claim, chosen, self._context_may_clash, seen=self._written)

    def _context_may_clash(self, model: BaseModel) -> bool:
        seen = self._context
        hit = seen.get(id(model))
        current = self._current
        if hit is not None and hit[0] is model and hit[1] is current:
            return hit[2]
        found = context_may_clash(model, current)  # type: ignore[arg-type]
        seen[id(model)] = (model, current, found)
        if len(seen) > 64:
            del seen[next(iter(seen))]
        return found


def claim_named(claim: Claim, n: int, numbered: bool = False) -> str:
    """`claim PCN1`, as problems name the `n`-th claim given (1 up); `numbered`: with `(#3)`, its
    place among those given, as for a claim not validated, whose patient control number may be
    anything (`claim #3` when it is no text)."""
    pcn = claim.__dict__.get("patient_control_number")
    if not isinstance(pcn, str):
        return f"claim #{n}"
    pcn = short_id(pcn)
    return f"claim {pcn} (#{n})" if numbered else f"claim {pcn}"


def unvalidated_problem(claim: Claim, walk: Walk | None = None) -> ClaimProblem | None:
    """The problem of a claim pydantic refuses fields of (it was not validated:
    `edi.models.unvalidated`), without its name: `not validated (...): lines: Input should be a
    valid list`; else None."""
    said = unvalidated(claim, walk)
    return None if said is None else ClaimProblem(said, claim, code=UNVALIDATED)


def unvalidated_problems(
    claims: list[Claim], among: Iterable[Claim] | None = None
) -> list[ClaimProblem]:
    """The problems of the claims given that pydantic refuses fields of (`unvalidated_problem`),
    each after the claim's name and place (`claim PCN1 (#3): `): what `write_837` says when
    writing them failed. `among`: the only claims to look at (by identity), when known."""
    walk = Walk()
    looked = None if among is None else {id(claim) for claim in among}
    return [
        problem.prefixed(claim_named(claim, n, numbered=True) + ": ")
        for n, claim in enumerate(claims, 1)
        if looked is None or id(claim) in looked
        for problem in (unvalidated_problem(claim, walk),)
        if problem is not None
    ]


_LoopCheck = Callable[[str, str, BaseModel], list[str]]  # (kind, loop, model) → its problems


class _Memo:
    """The problems of the context models (header, billing provider, subscriber, payer, patient) that
    consecutive claims share, by identity: the claims of one set read share these objects, and
    checking them again for every claim was most of the checks' time. Only the entries last used
    are kept (a hit moves its entry last: the header and billing provider that every claim of a
    set shares stay, while each claim's own subscriber and payer pass through; dropping the oldest
    entries instead checked them again every few claims); each holds its model, so its id cannot
    be reused while it is kept. Models are not expected
    to change while the claims stream through one checker. The problems kept are about the model
    they are keyed by (never a claim's), so every claim that shares it may be handed them."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.entries: dict[tuple[int, _LoopCheck, str, str], tuple[BaseModel, list[ClaimProblem]]]
        self.entries = {}
        # `context`: per check, claim kind and table of loops, the models last met and their problems.
        self.last: dict[tuple[_LoopCheck, str, _Loops], tuple[list[Any], list[ClaimProblem]]] = {}

    def context(
        self, check: _LoopCheck, kind: str, loops: _Loops, claim: Claim
    ) -> list[ClaimProblem]:
        """What `check` finds in the context models of `claim` that `loops` give: each one's
        `problems`, in the order of `loops`. The claims of a set share their header and billing
        provider (and the models in them): while the models are those of the claim before, by
        identity, their problems are those found then, where asking for each loop's took a tenth of
        the checks' time."""
        models = [model_of(claim) for _, _, model_of in loops]
        key = (check, kind, loops)
        last = self.last.get(key)
        if last is not None and all(map(is_, last[0], models)):
            return last[1]
        found: list[ClaimProblem] = []
        for (where, loop, _), model in zip(loops, models, strict=True):
            if model is not None:
                found += self.problems(check, kind, loop, model, where)
        self.last[key] = (models, found)  # holds the models: their ids are not reused meanwhile
        return found

    def problems(
        self, check: _LoopCheck, kind: str, loop: str, model: BaseModel, where: str
    ) -> list[ClaimProblem]:
        """What `check` finds in `model`, about it, after `where` (one per `check` and `loop`)."""
        key = (id(model), check, kind, loop)
        entries = self.entries
        hit = entries.pop(key, None)
        if hit is not None and hit[0] is model:
            entries[key] = hit  # last used: kept longest
            return hit[1]
        found = check(kind, loop, model)
        about = problems_about(model, found, where) if found else []
        self.entries[key] = (model, about)
        if len(self.entries) > self.size:
            del self.entries[next(iter(self.entries))]
        return about


def _patient_relationship(kind: str, loop: str, patient: BaseModel) -> list[str]:
    """PAT01 of a patient who is not the subscriber: one of the 2000C codes (`_PATIENT_RELATIONSHIPS`),
    never 18 (self), which would say the subscriber is the patient. A `_LoopCheck` (`_Memo.problems`)."""
    relationship = patient.relationship  # type: ignore[attr-defined]
    if relationship in _PATIENT_RELATIONSHIPS:
        return []
    why = (
        "; 18 (self): the subscriber is the patient, so leave patient out"
        if relationship == "18"
        else ""
    )
    codes_ = ", ".join(_PATIENT_RELATIONSHIPS)
    text = f"patient.relationship (PAT01) is {shown_value(relationship)}, not one of {codes_}{why}"
    return [ClaimProblem(text, element="PAT01")]


def _taxonomy_ok(taxonomy: str | None) -> bool:
    """A PRV03 of NUCC's form, or none (`TAXONOMY_FORM`)."""
    return not taxonomy or bool(TAXONOMY_FORM[0].fullmatch(taxonomy))


def _check_birth_date(claim: Claim, out: list[ClaimProblem]) -> None:
    """The patient (the subscriber when no patient is given) is born by the first date of service
    (an inpatient claim's discharge: a newborn's stay starts at birth). A birth date after it is a
    typo a payer rejects; neither date is quoted (PHI)."""
    person = claim.patient if claim.patient is not None else claim.subscriber
    born = person.birth_date
    span = service_span(claim) if isinstance(born, dt.date) else None
    if span is not None and isinstance(born, dt.date) and born > span[0]:
        which = "patient (2010CA)" if claim.patient is not None else "subscriber (2010BA)"
        text = (
            f"the {which} birth date (DMG02) is after the date of service: a claim is for "
            "someone born by then"
        )
        out.append(ClaimProblem(text, claim, "DMG02"))


def _check_accident_date(claim: Claim, out: list[ClaimProblem]) -> None:
    """An 837P or 837D accident (DTP*439) is by the first date of service: the care follows it
    (Stedi's claim edit "Accident date after the service date", 837P and 837D). Neither date is
    quoted (PHI)."""
    accident = claim.accident_date
    if claim.kind == "institutional" or not isinstance(accident, Period):
        return
    span = service_span(claim)
    if span is not None and accident.start > span[0]:
        text = (
            "the accident date (DTP*439, accident_date) is after the first date of service: the "
            "care an accident caused follows it"
        )
        out.append(ClaimProblem(text, claim, "DTP03"))


def _kept_element(model: BaseModel, position: int) -> bool:
    """Whether segment model `model` keeps text read for its element `position` that gave no value
    (an SV107 of `1.00`, which the reader said is no whole number)."""
    notes = (model.__pydantic_private__ or {}).get("_x12")
    raw = getattr(notes, "raw", None) or {}
    return bool(raw.get(position, ("",))[0])


def _loop_named(tables: Mapping[str, Mapping[str, str]], level: str, role: str) -> str:
    """` (2310B)`: the loop of a provider of `role` at `level` (2310, 2330, 2420), as a message
    names it; empty for a role the level has no loop for (said apart)."""
    loop = tables.get(level, {}).get(role)
    return f" ({loop})" if loop else ""


def _shown_or_empty(value: str | None) -> str:
    """A code as `shown_value` shows it, or `empty` when there is none (not `None`)."""
    return shown_value(value) if value else "empty"


def check_claim(claim: Claim, memo: _Memo | None = None) -> list[ClaimProblem]:
    """The problems of one claim, without its id (`memo`: see `ClaimChecker`), each with what it
    is about (`ClaimProblem`)."""
    out: list[ClaimProblem] = []
    kind = claim.kind
    memo = memo or _Memo()
    _check_money(claim, out)
    _check_diagnoses(claim, out)
    _check_payer_icn(claim, out)
    _check_accident_state(claim, out)
    if len(claim.patient_control_number) > MAX_PATIENT_CONTROL_NUMBER:
        text = (
            f"patient control number {short_id(claim.patient_control_number)!r} is longer than "
            f"{MAX_PATIENT_CONTROL_NUMBER} characters"
        )
        out.append(ClaimProblem(text, claim, "CLM01"))
    # The two that follow are the claim's: which of its subscriber and patient is the patient.
    if claim.patient is None and claim.subscriber.relationship != "18":
        text = (
            "no patient is given, so the subscriber is the patient, but subscriber.relationship "
            f"(SBR02) is {_shown_or_empty(claim.subscriber.relationship)}, not '18': set it to "
            "'18', or give the patient (patient, 2000C)"
        )
        out.append(ClaimProblem(text, claim, "SBR02"))
    if claim.patient is not None and claim.subscriber.relationship == "18":
        # The guide's SBR02: "Required when the subscriber is the same person as the patient. If
        # not, do not send." (Stedi's claim edit "Invalid subscriber individual relationship codes").
        text = (
            "subscriber.relationship (SBR02) is '18' (the subscriber is the patient), but another "
            "patient is given (patient, 2000C): a dependant's claim goes under the subscriber "
            "without SBR02 (relationship left out), in a 2000B of its own (in code, a subscriber "
            "object of its own, not the one the subscriber's own claims share), or leave patient out"
        )
        out.append(ClaimProblem(text, claim, "SBR02"))
    if claim.patient is not None and claim.patient.relationship not in _PATIENT_RELATIONSHIPS:
        # The patient's loop (2000C) is shared by its claims: said once, about the patient.
        out += memo.problems(
            _patient_relationship, kind, "2000C", claim.patient, "patient (2000C): "
        )
    _check_required(claim, out)
    situation_problems(claim, out)
    if kind == "institutional":
        institutional_problems(claim, out)
    _check_periods(claim, out)
    _check_birth_date(claim, out)
    _check_accident_date(claim, out)
    if kind != "institutional":  # 837I CLM05-01 is no place of service
        _check_place_of_service_dates(claim, out)
    _check_lines(claim, out)
    _check_other_dates(claim, out)
    _check_guide_segments(claim, out, memo)
    _check_providers(claim, out)
    _check_entity_types(claim, out)
    max_prior_payers = LOOP_REPEATS[kind]["2320"]
    if len(claim.prior_payers) > max_prior_payers:
        text = (
            f"{len(claim.prior_payers)} prior payers (loop 2320); the guide allows "
            f"{max_prior_payers}"
        )
        out.append(ClaimProblem(text, claim))
    _check_payer_sequence(claim, out)
    _check_cob(claim, out)
    _check_insurance_type(claim, out)
    _check_segments(claim, out, memo)
    _check_elements(claim, out, memo)
    _check_zip_codes(claim, out)
    out += claim_order_problems(claim)
    billing = claim.billing_provider
    npi = billing.npi
    if npi is not None and billing.id_qualifier == "XX" and not _npi_ok(npi):
        # Said at the billing provider, as its other problems: once for the claims that share it.
        text = f"billing provider (2010AA): NPI{shown_npi(npi)} {npi_fault(npi)}"
        out.append(ClaimProblem(text, billing, "NM109"))
    if not _taxonomy_ok(billing.taxonomy):
        text = f"billing provider (2000A): taxonomy (PRV03) is not {TAXONOMY_FORM[1]}"
        out.append(ClaimProblem(text, billing, "PRV03"))
    max_lines = LOOP_REPEATS[kind]["2400"]
    if len(claim.lines) > max_lines:
        text = f"{len(claim.lines)} lines; an {GUIDE_NAMES[kind]} claim has at most {max_lines}"
        out.append(ClaimProblem(text, claim))
    elif not claim.lines:
        # The model's own minimum, which a copy made with `model_copy(update=...)` or a list
        # emptied in place goes around: written, the claim could not be read back (its CLM
        # without an LX breaks the loop structure).
        text = f"no service line (loop 2400); an {GUIDE_NAMES[kind]} claim has at least 1"
        out.append(ClaimProblem(text, claim))
    _check_person_parts(claim, out)  # last: after the code lists of NM102
    return out


def _check_segments(claim: Claim, out: list[ClaimProblem], memo: _Memo) -> None:
    """AMT, REF, DTP, NTE, CRC, PWK, K3 (and 837P QTY, MEA) with the qualifiers and counts of the
    claim kind's guide (claim_rules: the maps' segment definitions per loop)."""
    kind = claim.kind
    loop: str | None  # a loop of the guide, then a provider's (None: its role has none)
    out += memo.context(segment_problems, kind, _SET_SEGMENT_LOOPS, claim)
    for where, loop, model_of in _CLAIM_SEGMENT_LOOPS:
        model = model_of(claim)
        if model is not None:
            out += memo.problems(segment_problems, kind, loop, model, where)
    out += problems_about(claim, segment_problems(kind, "2300", claim))
    loops = codes.PROVIDER_LOOPS[kind]
    # The providers' REF come last: (where, loop, provider).
    placed: list[tuple[str, str | None, Provider]] = [
        ("claim", loops["2310"].get(p.role), p) for p in claim.providers
    ]
    for n, payer in enumerate(claim.prior_payers, 1):
        at = f"prior payer {n}"
        out += problems_about(payer, segment_problems(kind, "2320", payer), f"{at} (2320): ")
        for loop, model in (("2330A", payer.other_subscriber), ("2330B", payer.other_payer)):
            out += problems_about(model, segment_problems(kind, loop, model), f"{at} ({loop}): ")
        placed += [(at, loops["2330"].get(p.role), p) for p in payer.providers]
    for n, line in enumerate(claim.lines, 1):
        found = segment_problems(kind, "2400", line)
        if found:
            out += problems_about(line, found, f"line {n}: ")
        placed += [(f"line {n}", loops["2420"].get(p.role), p) for p in line.providers]
    for at, loop, provider in placed:
        if loop is not None:  # a role without a loop is _check_providers' to report
            found = segment_problems(kind, loop, provider)
            if found:
                where = f"{at}: provider {provider.role} ({loop}): "
                out += problems_about(provider, found, where)


# The header and party loops of _check_elements: (where, loop, the claim's model of it). Claims of
# one set share these models (see _Memo).
_Loops = tuple[tuple[str, str, Callable[[Claim], BaseModel | None]], ...]
# Those of the set (the header's and the billing provider's, which the claims of a set share: see
# `_Memo.context`), then those of the claim.
_SET_LOOPS: _Loops = (
    ("transaction header (BHT): ", "HEADER", attrgetter("header")),
    ("submitter (1000A): ", "1000A", attrgetter("header.submitter")),
    ("receiver (1000B): ", "1000B", attrgetter("header.receiver")),
    ("billing provider (2000A): ", "2000A", attrgetter("billing_provider")),
    ("billing provider (2010AA): ", "2010AA", attrgetter("billing_provider")),
    ("pay-to address (2010AB): ", "2010AB", attrgetter("billing_provider.pay_to_address")),
    ("pay-to plan (2010AC): ", "2010AC", attrgetter("billing_provider.pay_to_plan")),
)
_CLAIM_LOOPS: _Loops = (
    ("subscriber (2000B): ", "2000B", attrgetter("subscriber")),
    ("subscriber (2010BA): ", "2010BA", attrgetter("subscriber")),
    ("payer (2010BB): ", "2010BB", attrgetter("payer")),
    ("patient (2000C): ", "2000C", attrgetter("patient")),
    ("patient (2010CA): ", "2010CA", attrgetter("patient")),
)
_CONTEXT_LOOPS: _Loops = _SET_LOOPS + _CLAIM_LOOPS


# The context loops whose segments `_check_segments` checks (their qualified REF, PER, ...).
_SEGMENT_CHECKED_CONTEXT = frozenset({"2010AA", "2010AC", "2010BA", "2010BB", "2010CA"})
_SET_SEGMENT_LOOPS = tuple(e for e in _SET_LOOPS if e[1] in _SEGMENT_CHECKED_CONTEXT)
_CLAIM_SEGMENT_LOOPS = tuple(e for e in _CLAIM_LOOPS if e[1] in _SEGMENT_CHECKED_CONTEXT)

# What a problem may be about that is the claim's own, which `edi claims` says at the claim.
_CLAIM_PARTS = (
    Claim,
    ServiceLine,
    PriorPayer,
    Provider,
    OtherSubscriber,
    OtherPayer,
    LineAdjudication,
    Drug,
    Form,
)
# The element a problem of the writer (`WriteError`) starts with: `CLM01 holds ...`, `SV101-03 ...`.
_WRITTEN_ELEMENT = re.compile(r"[A-Z][A-Z0-9]{1,2}[0-9]{2}(?:-[0-9]{2})?(?= )")


def name_write_problems(
    claim: Claim,
    delimiters: Delimiters,
    clashes: Callable[[BaseModel], bool] | None = None,
    *,
    everywhere: bool = False,
    seen: dict[int, tuple[BaseModel, Delimiters, list[ClaimProblem]]] | None = None,
) -> list[ClaimProblem]:
    """What a checked `write_837` of `claim` with `delimiters` would refuse, and what X12 forbids in
    the text it keeps from the file read (`model_write_problems`), model by model: each problem
    about the model whose segment holds it, after its name, as the checks name it (`line 2: SV108
    ...`, `claim: provider 82 (2310B): NM104 ...`, `billing provider (2010AA): N404 ...`), so that
    `edi claims` says it where that model was read (a context model's once, for the claims that
    share it), and one model's problem hides no other's. Only the models whose text may hold a
    delimiter are written (the claim's parts when its own text may, a context model when
    `clashes(model)`: `context_may_clash`, which a caller may remember), unless the writer must judge
    them all (`asks_the_writer`) or `everywhere`. `seen`: the problems of context models written
    before, by identity (the claims of a set share them), which a caller may keep."""
    kind = claim.kind
    if writes_clean(claim, delimiters):
        return []
    everywhere = everywhere or asks_the_writer(claim.header, delimiters)
    if clashes is None:
        clashes = partial(_context_clashes, delimiters=delimiters)
    out: list[ClaimProblem] = []
    grammar = get_grammar(guide_of_kind(kind).grammar)
    for model, names in _context_parts(claim):
        if everywhere or clashes(model):
            hit = seen.get(id(model)) if seen is not None else None
            if hit is not None and hit[0] is model and hit[1] == delimiters:
                out += hit[2]
                continue
            found = [
                _unwritable(model, p, _context_name(names, p, grammar))
                for p in model_write_problems(model, delimiters, kind)
            ]
            if seen is not None:
                if len(seen) >= 64:  # the last few sets' models, as `_Memo` keeps
                    seen.pop(next(iter(seen)))
                seen[id(model)] = (model, delimiters, found)
            out += found
    if everywhere or own_text_may_clash(claim, delimiters):
        for where, model in _claim_parts(claim):
            out += [
                _unwritable(model, p, where) for p in model_write_problems(model, delimiters, kind)
            ]
    return out


def _unwritable(about: BaseModel, problem: str, where: str = "") -> ClaimProblem:
    # The writer says a problem as text only, starting with the element (a lower layer: it knows
    # segments, not models); its element is read from that start.
    element = _WRITTEN_ELEMENT.match(problem)
    return ClaimProblem(where + problem, about, element and element[0], UNWRITABLE)


def _context_clashes(model: BaseModel, *, delimiters: Delimiters) -> bool:
    return context_may_clash(model, delimiters)


def _context_parts(claim: Claim) -> list[tuple[BaseModel, list[tuple[str, str]]]]:
    """The context models of `claim` (`_CONTEXT_LOOPS`), each once, with the names and loops it is
    said in: the billing provider's HL (2000A) and NM1 (2010AA) loops are one model."""
    parts: dict[int, tuple[BaseModel, list[tuple[str, str]]]] = {}
    for where, loop, model_of in _CONTEXT_LOOPS:
        model = model_of(claim)
        if model is not None:
            parts.setdefault(id(model), (model, []))[1].append((where, loop))
    return list(parts.values())


def _context_name(names: list[tuple[str, str]], problem: str, grammar: Any) -> str:
    """The name of the context loop among `names` that has a segment of the ID `problem` starts
    with (`N404 ...`: the billing provider's 2010AA), else the first."""
    ref = problem.partition(" ")[0].partition("-")[0]
    seg_id = ref[:-2] if ref[-2:].isdigit() else ""
    for where, loop in names:
        if seg_id in ({"BHT"} if loop == "HEADER" else grammar.loop_contents(loop)[0]):
            return where
    return names[0][0]


def _claim_parts(claim: Claim) -> list[tuple[str, BaseModel]]:
    """The claim and the models in it that hold loops of their own, each with the name the checks
    say its problems after (`_check_elements`): its providers, prior payers (their other subscriber,
    other payer and providers), lines (their drug, providers, adjudications and forms)."""
    loops = codes.PROVIDER_LOOPS[claim.kind]

    def providers(at: str, level: str, owner: Any) -> list[tuple[str, BaseModel]]:
        named = []
        for provider in owner.providers:
            loop = loops[level].get(provider.role)
            named.append(
                (f"{at}: provider {provider.role}{f' ({loop})' if loop else ''}: ", provider)
            )
        return named

    parts: list[tuple[str, BaseModel]] = [("", claim), *providers("claim", "2310", claim)]
    for n, payer in enumerate(claim.prior_payers, 1):
        parts.append((f"prior payer {n} (2320): ", payer))
        parts.append((f"prior payer {n}: other subscriber (2330A): ", payer.other_subscriber))
        parts.append((f"prior payer {n}: other payer (2330B): ", payer.other_payer))
        parts += providers(f"prior payer {n}", "2330", payer)
    for n, line in enumerate(claim.lines, 1):
        parts.append((f"line {n}: ", line))
        if line.drug is not None:
            parts.append((f"line {n}: drug (2410): ", line.drug))
        parts += providers(f"line {n}", "2420", line)
        parts += [
            (f"line {n}: adjudication {k} (2430): ", a) for k, a in enumerate(line.adjudications, 1)
        ]
        parts += [(f"line {n}: form {k} (2440): ", f) for k, f in enumerate(line.forms, 1)]
    return parts


def about_model(claim: Claim, problem: str) -> BaseModel:
    """The model a problem of `check_claim` is placed at: the context model it is about (the
    billing provider, subscriber, payer, patient, header ...: `subscriber (2010BA): ...`), else the
    claim, for a problem of the claim or a part of it (`claim_part`)."""
    about = getattr(problem, "about", None)
    return claim if about is None or isinstance(about, _CLAIM_PARTS) else about


def claim_part(claim: Claim, problem: str) -> LoopModel:
    """The part of the claim a problem of `check_claim` is about (`ClaimProblem.about`): its line or
    prior payer, a provider of the claim, a line or a prior payer, a prior payer's other subscriber
    (2330A) or payer (2330B), a line's drug (2410), adjudication (2430) or form (2440); else the
    claim (a problem of the claim, or of a context model). Each was read at its own segment
    (`read_at`): the LX, the 2320 SBR, the NM1, LIN, SVD or LQ, which is where `edi claims` says
    the problem."""
    about = getattr(problem, "about", None)
    return about if isinstance(about, _CLAIM_PARTS) else claim


def claim_part_read_at(claim: Claim, problem: str) -> Location | None:
    """Where the part of the claim a problem is about was read (`claim_part`): its `read_at`,
    which for a provider names the loop its NM1 was read in (2310B, 2330D, 2420A ...)."""
    return claim_part(claim, problem).read_at


def _check_elements(claim: Claim, out: list[ClaimProblem], memo: _Memo) -> None:
    """Required segments and elements, and the guide's codes, loop by loop (claim_required)."""
    kind = claim.kind
    loop: str | None  # a loop of the guide, then a provider's (None: its role has none)
    out += memo.context(element_problems, kind, _SET_LOOPS, claim)
    for where, loop, model_of in _CLAIM_LOOPS:
        model = model_of(claim)
        if model is not None:
            out += memo.problems(element_problems, kind, loop, model, where)
    out += problems_about(claim, element_problems(kind, "2300", claim))
    provider_loops = codes.PROVIDER_LOOPS[kind]
    for provider in claim.providers:
        _provider_elements(kind, provider_loops["2310"].get(provider.role), provider, "claim", out)
    for n, payer in enumerate(claim.prior_payers, 1):
        for loop, model, what in (
            ("2320", payer, ""),
            ("2330A", payer.other_subscriber, ": other subscriber"),
            ("2330B", payer.other_payer, ": other payer"),
        ):
            found = element_problems(kind, loop, model)
            if found:
                out += problems_about(model, found, f"prior payer {n}{what} ({loop}): ")
        for provider in payer.providers:
            loop = provider_loops["2330"].get(provider.role)
            _provider_elements(kind, loop, provider, f"prior payer {n}", out)
    for n, line in enumerate(claim.lines, 1):
        found = element_problems(kind, "2400", line)
        if found:
            out += problems_about(line, found, f"line {n}: ")
        for provider in line.providers:
            loop = provider_loops["2420"].get(provider.role)
            _provider_elements(kind, loop, provider, f"line {n}", out)
        for k, adjudication in enumerate(line.adjudications, 1):
            found = element_problems(kind, "2430", adjudication)
            if found:
                out += problems_about(adjudication, found, f"line {n}: adjudication {k} (2430): ")
        if line.drug is not None:
            found = element_problems(kind, "2410", line.drug)
            if found:
                out += problems_about(line.drug, found, f"line {n}: drug (2410): ")
        for k, form in enumerate(line.forms, 1):
            found = element_problems(kind, "2440", form)
            if found:
                out += problems_about(form, found, f"line {n}: form {k} (2440): ")
            if len(form.answers) > MAX_FORM_ANSWERS:
                text = (
                    f"line {n}: form {k} (2440): {len(form.answers)} FRM segments (answers); the "
                    f"837P guide takes at most {MAX_FORM_ANSWERS}"
                )
                out.append(ClaimProblem(text, form))
    subscriber = claim.subscriber
    # Situational, and the model shows the situation: the subscriber's DMG is "required when the
    # subscriber is the patient" (837P map line 273, 837I line 258); the 837D's too, by Stedi's claim
    # edit "Missing subscriber address or demographics", which names the three guides (and the
    # 837D's 2010CA DMG, N3, N4 are required: the patient's, wherever the patient is).
    # A DMG read whose dates and codes gave no value keeps its text: there is one (`DMG*19010203*M`,
    # its D8 left out), and the other rules say what is wrong with it.
    if (
        claim.patient is None
        and subscriber.birth_date is None
        and subscriber.gender is None
        and not kept_text(subscriber, "DMG")
    ):
        why = (
            "it is sent here (Stedi's claim edit for the three guides)"
            if kind == "dental"
            else f"the {GUIDE_NAMES[kind]} guide requires it"
        )
        text = f"subscriber (2010BA): no DMG (birth_date, gender); the subscriber is the patient, so {why}"
        out.append(ClaimProblem(text, subscriber))
    # And the address: "if the patient is the subscriber ..., the patient address and demographic
    # information must be sent in the 2010BA Loop" (X12 RFI 2281; Stedi's claim edit "Missing
    # subscriber address or demographics"). The N4's own rules say what an N4 given lacks.
    if claim.patient is None:
        for segment, named in (("N3", "address_line_1"), ("N4", "city, state, postal_code")):
            fields = SUBSCRIBER_AS_PATIENT_SEGMENTS[segment]
            given = any(getattr(subscriber, f) is not None for f in fields)
            if not given and not kept_text(subscriber, segment):
                # RFI 2281 answers for the 837P; the 837I's and 837D's source is Stedi's edit.
                source = "X12 RFI 2281" if kind == "professional" else "Stedi's claim edit"
                text = (
                    f"subscriber (2010BA): no {segment} ({named}); the subscriber is the patient, "
                    f"so the address is sent here ({source})"
                )
                out.append(ClaimProblem(text, subscriber))
    if kind == "professional":
        for n, line in enumerate(claim.lines, 1):
            if line.service_date is None:  # 837P line DTP*472: usage=R (map line 1384)
                # A DTP*472 whose date could not be read keeps its text (written back as read):
                # there is one, and `claim_syntax` says it is no date.
                if not kept_text(line, "DTP*472"):
                    what = "no service date (service_date, DTP*472)"
                    out.append(ClaimProblem(f"line {n}: {what}; an 837P line requires it", line))


def _provider_elements(
    kind: str, loop: str | None, provider: Provider, at: str, out: list[ClaimProblem]
) -> None:
    # A role without a loop in the claim kind has no rules of its own (_check_providers reports it).
    found = element_problems(kind, loop, provider) if loop is not None else []
    if found:
        out += problems_about(provider, found, f"{at}: provider {provider.role} ({loop}): ")


# The ZIP code of an address in the US (no N404, or US), in N403 of every N4 of a claim: five
# digits, or nine (ZIP+4), without the dash USPS prints between them (`78701-0001`: N403 is an ID
# element, the code's characters alone). The billing provider's address (2010AA) and a service
# facility's (837P 2310C, 2420C; 837I 2310E; 837D 2310C) give the nine: pyx12's 837I map holds
# 2010AA N403 to it (regex [0-9]{9}), the guides' notes on these N403 as claim edits cite them
# (Stedi, "Incomplete ZIP Code"). A postal code abroad has its country's form (N403 3 to 15:
# claim_syntax).
_ZIP_CODE = (re.compile(r"[0-9]{5}(?:[0-9]{4})?"), "no ZIP code (five or nine digits)")
_ZIP_PLUS_FOUR = (re.compile(r"[0-9]{9}"), "no nine-digit ZIP code (ZIP+4)")
_SERVICE_FACILITY = "77"
_IN_THE_US = (None, "", "US")  # N404: none written, or the US
_N403 = sizes("N4")["03"]  # what claim_syntax holds N403 to, and says of one that breaks it


def _check_zip_codes(claim: Claim, out: list[ClaimProblem]) -> None:
    guide = GUIDE_NAMES[claim.kind]
    for where, loop, place in _addresses(claim):
        postal_code = place.postal_code
        if not postal_code or place.country not in _IN_THE_US:
            continue
        if not (_N403.fits(postal_code) and _N403.carries(postal_code)):
            continue  # its size or a character: claim_syntax says so, once
        nine = loop == "2010AA" or getattr(place, "role", None) == _SERVICE_FACILITY
        form, what = _ZIP_PLUS_FOUR if nine else _ZIP_CODE
        if not form.fullmatch(postal_code):  # not quoted: an address
            text = (
                f"{where}N403 (postal_code) is {what}; the {guide} guide requires one for this "
                "address in the US"
            )
            out.append(ClaimProblem(text, place, "N403"))


def _addresses(claim: Claim) -> Iterator[tuple[str, str, Any]]:
    """Each loop model of the claim with an N4 (`_has_n4`), with where its problems are said and its
    loop: the party loops', the claim's providers', the prior payers' other subscriber and payer,
    the lines' providers."""
    kind = claim.kind
    for where, loop, model_of in _CONTEXT_LOOPS:
        model = model_of(claim)
        if model is not None and _has_n4(kind, loop):
            yield where, loop, model
    loops = codes.PROVIDER_LOOPS[kind]
    for provider in claim.providers:
        yield from _provider_address(kind, loops["2310"], "claim", provider)
    for n, payer in enumerate(claim.prior_payers, 1):
        for loop, model, what in (
            ("2330A", payer.other_subscriber, "other subscriber"),
            ("2330B", payer.other_payer, "other payer"),
        ):
            if _has_n4(kind, loop):
                yield f"prior payer {n}: {what} ({loop}): ", loop, model
    for n, line in enumerate(claim.lines, 1):
        for provider in line.providers:
            yield from _provider_address(kind, loops["2420"], f"line {n}", provider)


def _provider_address(
    kind: str, loops: Mapping[str, str], at: str, provider: Provider
) -> Iterator[tuple[str, str, Any]]:
    loop = loops.get(provider.role)
    if loop is not None and _has_n4(kind, loop):  # a role without a loop: _check_providers'
        yield f"{at}: provider {provider.role} ({loop}): ", loop, provider


def _has_n4(kind: str, loop: str) -> bool:
    """Whether a loop of the claim kind has an N4: those whose N4 elements `claim_usage` gives."""
    return segment_usage(kind, loop, "N4") is not None


# CLM11-04, the auto accident's state or province: the three guides require it when a related cause
# (CLM11-01/02) is AA, an auto accident, in a country with state or province codes (the US, Canada:
# no CLM11-05, or one of those). Clearinghouses reject the claim without it ("Auto Accident State
# is required if Related Causes Code is AA. 2300.CLM*11-4").
_AUTO_ACCIDENT = "AA"
_WITH_STATES = (None, "", "US", "CA")


def _check_accident_state(claim: Claim, out: list[ClaimProblem]) -> None:
    if _AUTO_ACCIDENT not in claim.related_causes:
        # X12's semantic note of C024: "C024-04 and C024-05 apply only to auto accidents when
        # C024-01, C024-02, or C024-03 is equal to AA" (the maps name CLM11-04 "Auto Accident
        # State or Province Code"). A state or country of another cause is data in the wrong place.
        given = [
            (ref, name)
            for ref, name in (("CLM11-04", "accident_state"), ("CLM11-05", "accident_country"))
            if getattr(claim, name)
        ]
        for ref, name in given:
            text = (
                f"{name} ({ref}) is given, but no related cause (CLM11) is AA (auto accident); "
                "X12 uses the accident's state and country only for an auto accident"
            )
            out.append(ClaimProblem(text, claim, ref))
        return
    if claim.accident_state:
        return
    if claim.accident_country not in _WITH_STATES:
        return
    text = (
        "related cause AA (auto accident) without the accident's state (accident_state, "
        f"CLM11-04); the {GUIDE_NAMES[claim.kind]} guide requires it for an accident in the US or "
        "Canada"
    )
    out.append(ClaimProblem(text, claim, "CLM11-04"))


def _check_payer_icn(claim: Claim, out: list[ClaimProblem]) -> None:
    """REF*F8 with a replacement or void, and with no original claim (`codes`: the guides' rule)."""
    frequency = claim.frequency_code
    given = claim.payer_claim_control_number or claim.reference("F8")
    if frequency in codes.FREQUENCY_NEEDING_PAYER_ICN and not given:
        what = "replacement" if frequency == "7" else "void"
        text = (
            f"frequency code {frequency} ({what}) needs the payer claim control number "
            "of the original claim (payer_claim_control_number, REF*F8)"
        )
        out.append(ClaimProblem(text, claim))
    elif frequency and given and frequency not in codes.FREQUENCY_TAKING_PAYER_ICN:
        # A value that is no code may be data in the wrong place: not quoted (PHI).
        named = codes.name(codes.CLAIM_FREQUENCY, frequency)
        shown = f"{frequency} ({named})" if is_code(frequency) else "(a value that is no code)"
        text = (
            f"frequency code {shown} takes no "
            "payer claim control number (payer_claim_control_number, REF*F8): the guides send it "
            "only when the claim replaces, voids or adjusts one the payer adjudicated (frequency "
            f"{', '.join(codes.FREQUENCY_TAKING_PAYER_ICN)})"
        )
        out.append(ClaimProblem(text, claim, "REF02"))


def _check_required(claim: Claim, out: list[ClaimProblem]) -> None:
    """Claim data the guides require (maps: usage=R) that the models leave optional, so that claims
    read from files that lack it still load."""
    if not claim.facility_code:
        text = "no place of service or facility type code (facility_code, CLM05-01)"
        out.append(ClaimProblem(text, claim, "CLM05-01"))
    if not claim.frequency_code:
        text = "no claim frequency code (frequency_code, CLM05-03: 1 original, 7, 8)"
        out.append(ClaimProblem(text, claim, "CLM05-03"))
    listed = DATE_TIME_FORMATS.get(claim.kind, {})
    for what, value, fmt in (
        ("admission", claim.admission, claim.admission_format),
        ("discharge", claim.discharge, claim.discharge_format),
    ):
        if value and not fmt:
            # The model gives the format of a text of its shape: this one has none (not quoted).
            forms = " or ".join(  # the kind's own (837P: D8 only)
                f"{DATE_TIME_SHAPES[f]} ({f})" for f in listed.get(what, ())
            )
            dtp = f"DTP*{DATE_TIME_QUALIFIERS[what]}"
            text = (
                f"{what} ({dtp} DTP03) is not {forms}, and no {what}_format (DTP02) is given"
                if forms
                else f"{what} is given without {what}_format (DTP02)"
            )
            out.append(ClaimProblem(text, claim, "DTP02"))
        if fmt and not value:
            shown = repr(fmt) if is_code(fmt) else "(a value that is no code)"  # a date: PHI
            text = f"{what}_format {shown} is given without the {what} it formats"
            out.append(ClaimProblem(text, claim, "DTP03"))
        elif value and fmt:
            out += problems_about(claim, _date_time_problems(claim.kind, what, fmt, value))
    if claim.kind != "institutional":
        return
    # 837I 2300: DTP*434 (statement dates) and CL1 with CL103 (patient status) are usage=R.
    if claim.statement_period is None:
        text = "no statement period (statement_period, DTP*434); an 837I claim requires it"
        out.append(ClaimProblem(text, claim))
    if not claim.patient_status:
        text = "no patient status code (patient_status, CL103); an 837I claim requires it"
        out.append(ClaimProblem(text, claim, "CL103"))
    unit, count = LINE_UNITS["institutional"]
    for n, line in enumerate(claim.lines, 1):
        service = line.institutional
        # A count read that is no number (SV205 `X`) was said by the reader: it is there.
        if service is not None and (
            not service.unit or (service.quantity is None and not _kept_element(service, 5))
        ):
            text = (
                f"line {n}: no unit code (institutional.unit, {unit}: DA or UN) or unit count "
                f"(institutional.quantity, {count}); an 837I line requires both"
            )
            out.append(ClaimProblem(text, line, count if service.unit else unit))


@cache
def _dated_fields(model_type: type[BaseModel]) -> Mapping[str, str]:
    """The DTP qualifiers a date field of the model holds, each with its field: `{"454":
    "initial_treatment_date", ...}` for a claim. Such a date is that field's, never one of
    `other_dates`: the reader puts it there, and the writer would write it twice."""
    held: dict[str, str] = {}
    for name, finfo in model_type.model_fields.items():
        for marker in finfo.metadata:
            if isinstance(marker, Elem) and marker.quals and split_ref(marker.ref)[0] == "DTP":
                held.update(dict.fromkeys(marker.quals, name))
    return held


def _check_other_dates(claim: Claim, out: list[ClaimProblem]) -> None:
    """The dates without a field of their own (`other_dates`, DTP of 2300 and 2400: a DME line's
    DTP*461, 607, 463), kept as text: each a date of its format (D8 CCYYMMDD, RD8 a range). They
    were written whatever they held (`20240230`, `JAN2024`), and a claim-level one that a field
    holds (DTP*454, the initial treatment date) went into that field when read back. Values are
    not quoted (PHI); a qualifier the loop does not take, or a format its guide does not list for
    it, is said by the segment and element checks."""
    kind = claim.kind
    places: list[tuple[str, str, BaseModel, list[Any]]] = [("", "2300", claim, claim.other_dates)]
    places += [
        (f"line {n}: ", "2400", line, line.other_dates) for n, line in enumerate(claim.lines, 1)
    ]
    for at, loop, model, dates in places:
        for k, other in enumerate(dates, 1):
            qualifier, fmt, value = other.qualifier, other.format, other.value
            if not is_code(qualifier) or not takes_qualifier(kind, loop, "DTP", qualifier):
                continue
            said = f"{at}other date {k} (DTP*{qualifier})"
            field = _dated_fields(type(model)).get(qualifier)
            if field is not None and getattr(model, field) is not None:
                continue  # a second DTP of the qualifier (read twice): the segment count says it
            if field is not None:
                text = f"{said} is what {field} holds: give it there, not in other_dates"
                out.append(ClaimProblem(text, model, "DTP01"))
                continue
            if fmt not in date_formats(kind, loop, "DTP", qualifier):
                continue  # the element checks say it (DTP02 ... is 'RD8', not one of D8)
            if not is_date_time(fmt, value):
                shape = "CCYYMMDD-CCYYMMDD" if fmt == "RD8" else DATE_TIME_SHAPES[fmt]
                text = f"{said}: its value (DTP03) is not a {fmt} date ({shape})"
                out.append(ClaimProblem(text, model, "DTP03"))


def _date_time_problems(kind: str, what: str, fmt: str, value: str) -> list[ClaimProblem]:
    """An admission or discharge DTP with a format its guide does not list, or a value that is not
    one of that format (not quoted: PHI)."""
    formats = DATE_TIME_FORMATS.get(kind, {}).get(what)
    dtp = f"DTP*{DATE_TIME_QUALIFIERS[what]}"
    if formats is None:
        return []
    if fmt not in formats:
        shown = repr(fmt) if is_code(fmt) else "a value"
        text = (
            f"{what}_format ({dtp} DTP02) is {shown}, not one of {', '.join(formats)} "
            f"({GUIDE_NAMES[kind]})"
        )
        return [ClaimProblem(text, element="DTP02")]
    if not is_date_time(fmt, value):
        text = f"{what} ({dtp} DTP03) is not a {fmt} value ({DATE_TIME_SHAPES[fmt]})"
        return [ClaimProblem(text, element="DTP03")]
    return []


@cache
def _period_fields(
    model_type: type[BaseModel],
) -> tuple[tuple[tuple[str, str], ...], Callable[[Any], tuple[Any, ...]]]:
    """(field, its DTP qualifier) of a model's date fields that may hold a range (RD8), and a getter
    of their values (most are None: one call tells)."""
    found = []
    for name, finfo in model_type.model_fields.items():
        marker = next((m for m in finfo.metadata if isinstance(m, Elem)), None)
        quals = marker.quals if marker is not None else None
        if quals and Period in getattr(finfo.annotation, "__args__", ()):
            found.append((name, quals[0]))
    return tuple(found), fields_getter([name for name, _ in found])


_PERIOD_SHAPES = {"D8": "one date (D8)", "RD8": "a range (RD8)"}


def _written_format(model: BaseModel, key: str, position: int, value: Any) -> str:
    """The format qualifier `write_837` writes for a date `value` in the segment of layout notes
    `key` (`DTP*434`, `DMG`), as its layout notes decide it (`SegNotes.format_written`)."""
    shape = "RD8" if getattr(value, "end", None) else "D8"
    private = model.__pydantic_private__
    notes = getattr(private.get("_x12") if private else None, "notes", None)
    note = notes.get(key) if notes else None
    return note.format_written(position, value, shape) if isinstance(note, SegNotes) else shape


@cache
def _formatted_dates(model_type: type[BaseModel]) -> tuple[tuple[str, str, str, int], ...]:
    """(field, its segment's key in the layout notes, its format element and that element's
    position) of a model's dates written with their format qualifier (`Elem("DMG02",
    format="DMG01")`): `_kept_formats` checks those of the parties and payments, `_check_periods`
    the claim's and its lines' own."""
    found = []
    for name, finfo in model_type.model_fields.items():
        marker = next((m for m in finfo.metadata if isinstance(m, Elem) and m.format), None)
        if marker is not None and marker.format:  # (it has one: said for the type checker)
            seg_id = split_ref(marker.ref)[0]
            key = f"{seg_id}*{marker.quals[0]}" if marker.quals else seg_id
            found.append((name, key, marker.format, split_ref(marker.format)[1]))
    return tuple(found)


def _kept_formats(kind: str, loop: str, model: BaseModel) -> list[str]:
    """Dates whose format read (DMG01, PAT05, DTP02) is not the one of their value, which
    `write_837` writes back while the date still gives the format it had (`DMG*XX`, a
    `DTP*573*RD8` with one date); the dates are not quoted (PHI). `kind`, `loop`: `_LoopCheck`'s."""
    found: list[str] = []
    for name, key, ref, position in _formatted_dates(type(model)):
        value = getattr(model, name)
        if value is None:
            continue
        shape = "RD8" if getattr(value, "end", None) else "D8"
        fmt = _written_format(model, key, position, value)
        if fmt != shape:
            shown = repr(fmt) if is_code(fmt) else "no code"  # a value elsewhere may be PHI
            text = (
                f"{name}: the format read with it ({ref}) is {shown}, but the value is "
                f"{_PERIOD_SHAPES[shape]}"
            )
            found.append(ClaimProblem(text, element=ref))
    return found


def _check_periods(claim: Claim, out: list[ClaimProblem]) -> None:
    """No range (RD8) of the claim or its lines ends before it starts (a statement period 20250205-
    20250201), each is one date or a range as its guide takes it (`PERIOD_FORMATS`), and the
    format read with it (DTP02) says which it is; the dates are not quoted (PHI)."""
    kind = claim.kind
    for n, model in enumerate((claim, *claim.lines)):
        dates, values_of = _period_plan(kind, "2400" if n else "2300", type(model))
        values = values_of(model)
        if not any(values):
            continue
        for date, period in zip(dates, values, strict=True):
            if period is None:
                continue
            end = period.end
            if end is not None and end < period.start:
                text = f"{_line_at(n)}{date.name} (DTP*{date.qual}, RD8) ends before it starts"
                out.append(ClaimProblem(text, model, "DTP03"))
            if date.taken is None:
                continue  # `segment_problems` says so
            shape = "RD8" if end is not None else "D8"
            fmt = _written_format(model, date.key, 2, period)
            if fmt == shape and fmt in date.taken:
                continue
            out.append(_period_problem(kind, n, model, date, shape, fmt))


def _line_at(n: int) -> str:
    """How a problem of the claim (0) or its line `n` starts."""
    return f"line {n}: " if n else ""


@dataclass(frozen=True, slots=True)
class _PeriodDate:
    """One date field of a model that may hold a range (`_period_fields`), as one loop takes it."""

    name: str
    qual: str  # its DTP01
    key: str  # its segment's key in the layout notes (`DTP*472`)
    taken: tuple[str, ...] | None  # the formats its guide takes (None: no such DTP in the loop)


@cache
def _period_plan(
    kind: str, loop: str, model_type: type[BaseModel]
) -> tuple[tuple[_PeriodDate, ...], Callable[[Any], tuple[Any, ...]]]:
    """`_period_fields` with what the claim kind's loop takes of each: the same for every claim."""
    fields, values_of = _period_fields(model_type)
    formats = PERIOD_FORMATS[kind][loop]
    dates = tuple(
        _PeriodDate(
            name,
            qual,
            f"DTP*{qual}",
            formats.get(qual, ("D8",)) if takes_qualifier(kind, loop, "DTP", qual) else None,
        )
        for name, qual in fields
    )
    return dates, values_of


def _period_problem(
    kind: str, n: int, model: BaseModel, date: _PeriodDate, shape: str, fmt: str
) -> ClaimProblem:
    """A date of the claim (`n` 0) or its line `n` whose shape its guide does not take, or whose
    format read says another (`_check_periods`)."""
    taken = date.taken or ()
    forms = " or ".join(_PERIOD_SHAPES[f] for f in taken)
    shown = repr(fmt) if is_code(fmt) else "no code"  # a value elsewhere may be PHI
    read = f", but the format read with it (DTP02) is {shown}" if fmt != shape else ""
    day = ": a day from and to that day" if shape == "D8" and taken == ("RD8",) else ""
    text = f"{_line_at(n)}{date.name} (DTP*{date.qual}) is {_PERIOD_SHAPES[shape]}{read}; the "
    text += f"{GUIDE_NAMES[kind]} guide takes {forms}{day}"
    return ClaimProblem(text, model, "DTP02")


def _check_place_of_service_dates(claim: Claim, out: list[ClaimProblem]) -> None:
    """A place of service CMS added lately is used only from its effective date on, for the date of
    service (the line's DTP*472, else the claim's); that a code is one is claim_required's to check.
    The dates are not quoted (PHI)."""
    claim_date = claim.service_period.start if claim.service_period else None
    early: list[str] = []  # the lines that take the claim's place of service before its date
    own_ref = "SV303" if claim.kind == "dental" else "SV105"
    claim_from = codesets.POS_EFFECTIVE.get(claim.facility_code or "")
    for n, line in enumerate(claim.lines, 1):
        service = line.professional or line.dental
        own = service.place_of_service if service is not None else None
        start = line.service_date.start if line.service_date else claim_date
        from_ = codesets.POS_EFFECTIVE.get(own) if own else claim_from
        if from_ is None or start is None or start >= from_:
            continue
        if own:
            text = (
                f"line {n}: place of service {own} ({own_ref}) takes effect on {from_:%Y-%m-%d}, "
                "after the line's date of service"
            )
            out.append(ClaimProblem(text, line, own_ref))
        else:
            early.append(str(n))
    if early:
        which = f"line {early[0]}" if len(early) == 1 else f"lines {', '.join(early)}"
        text = (
            f"place of service {claim.facility_code} (CLM05-01) takes effect on "
            f"{claim_from:%Y-%m-%d}, after the date of service of {which}"
        )
        out.append(ClaimProblem(text, claim, "CLM05-01"))


def _check_money(claim: Claim, out: list[ClaimProblem]) -> None:
    # Amounts and quantities by qualifier set in place (`claim.amounts["F5"] = 20`) are not
    # validated: an int or float there, which `write_837` refuses (`_not_decimal`), raises here
    # too, so that the checks say it as the writer does (`ClaimChecker.placed`: not validated).
    _all_decimal(claim.amounts)
    for payer in claim.prior_payers:
        _all_decimal(payer.amounts)
        _no_owned_entry(payer, "amounts")  # AMT*D in `amounts` beside `paid`, set in place
    for line in claim.lines:
        _all_decimal(line.amounts)
        _all_decimal(line.quantities)
    total = claim.line_charge_total
    if claim.total_charge != total:
        text = f"total charge {claim.total_charge:f} ≠ Σ line charges {total:f}"
        out.append(ClaimProblem(text, claim, "CLM02"))
    for n, line in enumerate(claim.lines, 1):
        if line.charge < _ZERO:
            text = f"line {n}: negative charge {line.charge}"
            out.append(ClaimProblem(text, line, _charge_element(line)))
        _check_unit_counts(n, line, out)


# Units counted on a line (Stedi's claim edits "Invalid service unit counts" and "Invalid drug unit
# count"): what the line bills (SV104, SV205, SV306) and a drug's units given in a unit (CTP04 with
# CTP05) are more than zero; what a prior payer paid (SVD05) may be zero, never less (RFI 2112:
# "Zero is a valid value for the 2430 SVD05 paid service unit count"), nor may what a repricer
# approved (HCP12, the edit's third count; none approved is no fault of the count's).
def _check_unit_counts(n: int, line: ServiceLine, out: list[ClaimProblem]) -> None:
    units = line.units
    if units is not None and units <= _ZERO:
        element = _service_element(line, ("SV104", "SV205", "SV306"))  # of `line.units`
        text = f"line {n}: unit count {units:f} ({element}) is not more than zero"
        out.append(ClaimProblem(text, line, element))
    drug = line.drug
    if drug is not None and drug.unit and drug.quantity is not None and drug.quantity <= _ZERO:
        text = f"line {n}: drug unit count {drug.quantity:f} (CTP04) is not more than zero"
        out.append(ClaimProblem(text, drug, "CTP04"))
    repricing = line.repricing
    if repricing is not None and repricing.quantity is not None and repricing.quantity < _ZERO:
        text = f"line {n}: repriced approved unit count {repricing.quantity:f} (HCP12) is negative"
        out.append(ClaimProblem(text, line, "HCP12"))
    for adj in line.adjudications:
        if adj.units is not None and adj.units < _ZERO:
            text = (
                f"line {n}: payer {adj.payer_id} paid {adj.units:f} units (SVD05), fewer than zero"
            )
            out.append(ClaimProblem(text, adj, "SVD05"))


def _no_owned_entry(model: BaseModel, field: str) -> None:
    """Raise, as pydantic would have on assignment, for an entry of a qualifier a field of the
    model holds (`owned_qualifiers`), set in the dict in place: `ClaimChecker.placed` then says the
    field as pydantic does (not validated), as `write_837` would refuse it."""
    owned = owned_qualifiers(type(model), field)
    if owned and not owned.keys().isdisjoint(getattr(model, field)):
        raise ValueError(f"{field}: an entry of a qualifier a field of its own holds")


def _all_decimal(values: Mapping[str, Any]) -> None:
    for value in values.values():
        if not isinstance(value, Decimal):
            raise TypeError(f"an amount is a Decimal, not {type(value).__name__}")


def _service_element(line: ServiceLine, elements: tuple[str, str, str]) -> str:
    """Of `elements` (SV1's, SV2's, SV3's), that of the line's service segment, the first it has."""
    if line.professional is not None:
        return elements[0]
    return elements[1] if line.institutional is not None else elements[2]


def _charge_element(line: ServiceLine) -> str:
    """The element of `line.charge`."""
    return _service_element(line, ("SV102", "SV203", "SV302"))


def _check_diagnoses(claim: Claim, out: list[ClaimProblem]) -> None:
    if claim.kind == "institutional":
        # The principal diagnosis HI is required (usage=R) whatever else the claim has.
        if claim.principal_diagnosis is None:
            out.append(ClaimProblem("no principal diagnosis (HI ABK, in codes)", claim))
        _check_hi_segments(claim, out)
        _check_hi_values(claim, out)
        _check_repeated_diagnoses(claim, out)
        _check_repeated_occurrences(claim, out)
        return
    guide = GUIDE_NAMES[claim.kind]
    pointed = claim.pointed_diagnoses
    if not pointed and claim.kind == "professional":
        text = "no diagnosis (HI ABK, in codes); an 837P claim requires its principal diagnosis"
        out.append(ClaimProblem(text, claim))
    if pointed and pointed[0].qualifier not in PRINCIPAL_DIAGNOSIS:
        text = (
            f"the first diagnosis is {pointed[0].qualifier}; the principal one (ABK) must come "
            "first"
        )
        out.append(ClaimProblem(text, claim, "HI01-01"))
    principals = sum(c.qualifier in PRINCIPAL_DIAGNOSIS for c in pointed)
    if principals > 1:
        # HI01 takes ABK/BK, HI02-HI12 only ABF/BF.
        text = f"{principals} principal diagnoses (ABK/BK); an {guide} claim has one, in HI01"
        out.append(ClaimProblem(text, claim))
    if len(pointed) > 12:
        text = f"{len(pointed)} diagnoses; an 837P or 837D claim has at most 12"
        out.append(ClaimProblem(text, claim))
    _check_hi_segments(claim, out)
    _check_hi_values(claim, out)
    _check_repeated_diagnoses(claim, out)
    for n, line in enumerate(claim.lines, 1):
        professional = line.professional
        if (
            professional is not None
            and not professional.diagnosis_pointers
            and not _kept_element(professional, 7)  # one read that is no number: said there
        ):
            text = (
                f"line {n}: no diagnosis pointer (professional.diagnosis_pointers, SV107); an "
                "837P line points at 1 to 4"
            )
            out.append(ClaimProblem(text, line, "SV107-01"))
        ref = "SV107" if line.professional is not None else "SV311"  # whose pointers they are
        for k, pointer in enumerate(line.diagnosis_pointers, 1):
            if type(pointer) is not int:  # set in place (`[0] = 1.0`): not validated
                raise TypeError(f"a diagnosis pointer is an int, not {type(pointer).__name__}")
            if not 1 <= pointer <= len(pointed):
                text = (
                    f"line {n}: diagnosis pointer {pointer} points at nothing (the claim has "
                    f"{len(pointed)} diagnosis code{'s' if len(pointed) != 1 else ''})"
                )
                out.append(ClaimProblem(text, line, f"{ref}-{k:02d}"))
        _check_repeated_pointers(line, n, ref, out)


# Lists of HI codes in which a code is given once: each code after the first is "required when it is
# necessary to report an additional diagnosis", and the same code again reports none, so a repeat
# must not be sent (RFI 2561, 837P HI02-HI12; the 837I's and 837D's HI have the same rule).
# Condition codes (BG, the 837I's and 837P's) are NUBC's, each unique on a claim: a repeat is
# rejected by payers (Stedi's edit "duplicate condition codes in institutional claims", citing NUBC).
# So are value codes (BE, the 837I's): a payer cannot tell which amount goes with a code given twice
# (Stedi's edit "duplicate value codes in institutional claims").
_DIAGNOSIS_ONCE = "a repeat reports no other diagnosis: RFI 2561"
_ONCE_EACH = (
    (POINTED_DIAGNOSIS, "diagnosis", _DIAGNOSIS_ONCE),
    (REASON_FOR_VISIT, "reason for visit", _DIAGNOSIS_ONCE),
    (EXTERNAL_CAUSE, "external cause", _DIAGNOSIS_ONCE),
    (frozenset({"BG"}), "condition", "NUBC: each condition code is unique on a claim"),
    (frozenset({"BE"}), "value", "each value code is unique on a claim, as its amount is"),
)
# Occurrence codes (BH) and occurrence span codes (BI) are unique within one group, an HI segment
# (NUBC, as Stedi's edits "duplicate occurrence codes" and "... occurrence span codes" quote it):
# the same code may come again in the claim's other HI of its kind.
_ONCE_EACH_GROUP = {"BH": "occurrence", "BI": "occurrence span"}


def _check_repeated_diagnoses(claim: Claim, out: list[ClaimProblem]) -> None:
    """A diagnosis code given twice among the principal and other diagnoses (or among the reasons
    for visit, or the external causes). The code itself is not quoted (PHI): the positions are."""
    for family, name, why in _ONCE_EACH:
        given: dict[str, list[str]] = {}  # code → its positions, "3 (ABF)"
        for n, code in enumerate(claim.codes, 1):
            if code.qualifier in family and code.code:
                given.setdefault(code.code.strip().upper(), []).append(f"{n} ({code.qualifier})")
        for places in given.values():
            if len(places) < 2:
                continue
            # One problem a code, however often it is repeated (one a repeat made 999 lines).
            shown = places[: NAMED_ONE_BY_ONE + 1]
            more = len(places) - len(shown)
            listed = ", ".join(shown[:-1]) + (
                f", {shown[-1]} and {more} more" if more else f" and {shown[-1]}"
            )
            text = f"codes {listed} are the same {name} code; a claim gives each once ({why})"
            out.append(ClaimProblem(text, claim))


def _check_repeated_occurrences(claim: Claim, out: list[ClaimProblem]) -> None:
    """An occurrence (span) code given twice in one HI segment, as the writer makes them (those
    read, while they fit the codes). The positions are said, as of the other codes."""
    if not any(code.qualifier in _ONCE_EACH_GROUP for code in claim.codes):
        return
    position = {id(code): n for n, code in enumerate(claim.codes, 1)}
    for chunk in written_groups(claim, "codes")[0]:
        first: dict[tuple[str, str], int] = {}
        for code in chunk:
            name = _ONCE_EACH_GROUP.get(code.qualifier)
            if name is None or not code.code:
                continue
            key = (code.qualifier, code.code.strip().upper())
            n = position[id(code)]
            if key not in first:
                first[key] = n
                continue
            text = (
                f"codes {first[key]} and {n} ({code.qualifier}) are the same {name} code in one HI "
                f"segment; each {name} code is unique within its HI segment (NUBC)"
            )
            out.append(ClaimProblem(text, claim))


def _check_repeated_pointers(line: ServiceLine, n: int, ref: str, out: list[ClaimProblem]) -> None:
    """A pointer given twice on one line: SV107-02..04 (SV311-02..04) are each required only to
    point at another diagnosis, so a pointer repeated points at none."""
    seen: dict[int, int] = {}
    for k, pointer in enumerate(line.diagnosis_pointers, 1):
        if pointer not in seen:
            seen[pointer] = k
            continue
        text = (
            f"line {n}: diagnosis pointer {pointer} is given twice ({ref}-{seen[pointer]:02d} and "
            f"{ref}-{k:02d}); each pointer after the first points at another diagnosis"
        )
        out.append(ClaimProblem(text, line, f"{ref}-{k:02d}"))


# 837I HI composites that carry a date (HIxx-03/04, usage R: D8 one date, RD8 a period) or an amount
# (HIxx-05, usage R); in every other HI composite of the three guides these are NOT USED.
_HI_DATED = {
    **dict.fromkeys(PRINCIPAL_PROCEDURE | OTHER_PROCEDURE, "D8"),
    "BH": "D8",  # occurrence
    "BI": "RD8",  # occurrence span
}
_HI_AMOUNT = frozenset({"BE"})  # value codes
# HIxx-09, present on admission (837I map lines 460, 544, 687: usage S, [N,U,W,Y]) only in the 837I
# principal, external cause and other diagnoses; NOT USED in every other HI composite of the 837P and
# 837I maps. The 837D map gives its HI one (line 419) but is unreliable there (x12-notes §5): unchecked.
_HI_ADMISSION = frozenset({"ABK", "BK", "ABN", "BN", "ABF", "BF"})
_ADMISSION_CODES = ("N", "U", "W", "Y")


def _check_hi_values(claim: Claim, out: list[ClaimProblem]) -> None:
    """The date or amount each HI composite needs, and none where the guide does not use one."""
    kept = _hi_kept_text(claim)
    for n, code in enumerate(claim.codes, 1):
        if not is_code(code.qualifier):
            # A composite that did not split (`BK>7215`) holds a diagnosis code: not quoted (PHI);
            # _check_hi_segments counts it among the composites without a qualifier.
            continue
        found = _hi_value_problems(code, claim.kind)
        if n in kept:
            # Its date or amount was there and is none (`20240230`, `ABC`), kept as read: said so,
            # not as missing, so that a checked write does not write it back.
            parts = kept[n] + [""] * 6  # HIxx-01 ... HIxx-06, as read
            date_text, amount_text, quantity_text = parts[3], parts[4], parts[5]
            dated = date_text != "" and code.date is None
            valued = amount_text != "" and code.amount is None
            if quantity_text and code.quantity is None and claim.kind != "dental":
                # HI-06 is NOT USED (837P, 837I maps): text there that is no number is refused as
                # a number there is (`has a quantity`), and not written back (the third reviewer).
                found.append(_HI_KEPT_QUANTITY)
            found = [
                p
                for p in found
                if not (dated and p.startswith(_HI_DATE_NEEDED))
                and not (valued and p == _HI_AMOUNT_NEEDED)
            ]
            # A value kept that is none: the reader said it where it was read (`edi claims` leaves
            # these to it), and the checks say it so that a checked write does not write it back.
            if dated:
                text = f"code {n} ({code.qualifier}){_HI_KEPT_NO_DATE}"
                out.append(ClaimProblem(text, claim, code=KEPT_NO_DATE))
            if valued:
                text = f"code {n} ({code.qualifier}){_HI_KEPT_NO_NUMBER}"
                out.append(ClaimProblem(text, claim, code=KEPT_NO_NUMBER))
        if found:  # each said after the code (`code 2 (BH) has ...`), made only then
            # Which HI segment and composite the code is written in is the writer's: no element.
            out += [ClaimProblem(f"code {n} ({code.qualifier}){p}", claim) for p in found]


_HI_DATE_NEEDED = (" needs one date", " needs a period")
_HI_AMOUNT_NEEDED = " needs an amount (HI-05)"
_HI_KEPT_NO_DATE = ": its date (HI-04, kept from the file read) is no date of its format"
_HI_KEPT_NO_NUMBER = ": its amount (HI-05, kept from the file read) is no number"
_HI_KEPT_QUANTITY = (
    " has a quantity (HI-06, kept from the file read); the guide has none for it (HI-06 not used)"
)


def _hi_kept_text(claim: Claim) -> dict[int, list[str]]:
    """The claim's codes whose composite the reader kept as text, by number (from 1), each with
    its components as read: a value in it that is none of its kind (a date that names no day, an
    amount that is no number), which the reader said."""
    private = claim.__pydantic_private__
    layout = private.get("_x12") if private else None
    recorded = getattr(layout, "notes", {}).get("HI[]#codes")
    if not recorded:
        return {}
    kept: dict[int, list[str]] = {}
    first = 1  # the number of the first code of each HI segment read
    for count, notes, *_ in recorded:
        raw = getattr(notes, "raw", None)
        if raw:
            component = notes.delimiters.component
            for position, (text, _) in raw.items():
                kept[first + position - 1] = text.split(component)
        first += count
    return kept


def _hi_value_problems(code: HealthCode, kind: str) -> list[str]:
    """The problems of one HI composite, each said as what follows the code's name."""
    found: list[str] = []
    institutional = kind == "institutional"
    dated = _HI_DATED.get(code.qualifier) if institutional else None
    if not code.code:
        # HIxx-02 is usage=R in every HI composite of the three maps (837P line 591 ..., 837D line
        # 412): an 837D code without it was written `HI*ABK~` (the JSON fuzz tester).
        found.append(" has no code (HI-02); the guide requires it")
    if code.code and "." in code.code:
        # x12-notes §3 (HI), §6, §13: ICD codes go without their decimal point (the code is not
        # quoted: PHI).
        found.append(
            ": its code (HI-02) has a decimal point; X12 sends codes without it (I10, E119)"
        )
    elif code.code:
        form = codesets.HEALTH_CODE_FORMS.get(code.qualifier)
        if form is not None and not form[0].fullmatch(code.code):
            # A CPT code as a principal procedure (BBR 27447), a diagnosis in lower case: the
            # code is not quoted (PHI), its form said.
            found.append(f": its code (HI-02) is not {form[1]}")
    if dated is not None and code.date_format not in (None, dated):
        # 837I map lines 812, 834, 1076 (D8), 955 (RD8): a format code pyx12 checks.
        shown = repr(code.date_format) if is_code(code.date_format) else "a value"
        found.append(f": date format (HI-03) is {shown}, not {dated}")
    elif dated is not None and code.date is not None and code.date_format is None:
        # HI-03 is usage=R with HI-04 in these composites (837I map lines 812, 834, 955, 1076 ...):
        # a code read with its date but an empty format keeps it empty, and is written so.
        found.append(f" has a date without its format (HI-03); the guide requires {dated} there")
    if dated is None and code.date is not None:
        found.append(" has a date; the guide has none for it (HI-03/04 not used)")
    elif dated is None and code.date_format is not None:
        found.append(" has a date format; the guide has none for it (HI-03 not used)")
    elif dated == "D8" and (code.date is None or code.date.end is not None):
        found.append(" needs one date (HI-03 D8, HI-04)")
    elif dated == "RD8" and (code.date is None or code.date.end is None):
        found.append(" needs a period, start and end (HI-03 RD8, HI-04)")
    elif dated == "RD8" and code.date and code.date.end and code.date.end < code.date.start:
        found.append(": its period (HI-04, RD8) ends before it starts")  # dates not quoted (PHI)
    valued = institutional and code.qualifier in _HI_AMOUNT
    if valued and code.amount is None:
        found.append(_HI_AMOUNT_NEEDED)
    elif not valued and code.amount is not None:
        found.append(" has an amount; the guide has none for it (HI-05 not used)")
    if kind == "dental":
        return found
    # HIxx-06 (quantity) is NOT USED in every HI composite of the 837P and 837I maps.
    if code.quantity is not None:
        found.append(" has a quantity; the guide has none for it (HI-06 not used)")
    admission = code.present_on_admission
    if admission is None:
        return found
    if not (institutional and code.qualifier in _HI_ADMISSION):
        found.append(
            " has a present-on-admission indicator; the guide has none for it (HI-09 not used)"
        )
    elif admission not in _ADMISSION_CODES:
        found.append(
            f": present-on-admission indicator (HI-09) is {shown_value(admission)}, not one of "
            f"{', '.join(_ADMISSION_CODES)}"
        )
    return found


def _check_hi_kept(
    claim: Claim, of_qualifier: dict[str, _HiSegment], guide: str, out: list[ClaimProblem]
) -> None:
    """Each HI segment a claim keeps from the file read (written back so) holds the codes of one of
    the guide's HI segments: `HI*ABK:x*ABJ:y` in an 837I is a principal diagnosis HI with an
    HI02 it does not use; the writer would put them in two (`hi_category`)."""
    private = claim.__pydantic_private__
    layout = private.get("_x12") if private else None
    notes = getattr(layout, "notes", None)
    if not notes or len(notes.get("HI[]#codes") or ()) == len(claim.codes):
        return  # no layout, or one code a segment: nothing mixed
    groups, as_read = written_groups(claim, "codes")
    if not as_read:
        return
    for chunk in groups:
        kinds = dict.fromkeys(of_qualifier.get(code.qualifier) for code in chunk)
        if len(kinds) > 1 and None not in kinds:  # a qualifier of no HI: said apart
            names = ", ".join(f"{hi.name} ({hi.quals})" for hi in kinds if hi is not None)
            text = (
                f"an HI segment holds codes of {len(kinds)} of the guide's HI segments ({names}); "
                f"the {guide} guide has an HI segment for each (the HI segments of the file read, "
                "kept; from its JSON they are written apart)"
            )
            out.append(ClaimProblem(text, claim))


def _check_hi_segments(claim: Claim, out: list[ClaimProblem]) -> None:
    """Each HI segment of the guide holds at most its codes, in at most its max use (the maps)."""
    table = _HI_SEGMENTS.get(claim.kind)
    if table is None:
        return
    guide = GUIDE_NAMES[claim.kind]
    of_qualifier = _HI_OF_QUALIFIER[claim.kind]
    at: dict[_HiSegment, list[int]] = {hi: [] for hi in table}  # where its codes are in claim.codes
    unknown: dict[str, None] = {}
    for i, code in enumerate(claim.codes):
        hi = of_qualifier.get(code.qualifier)
        if hi is None:
            unknown[code.qualifier] = None
        else:
            at[hi].append(i)
    # A qualifier is up to 3 letters, or 2 letters and digits (ABK, X1); anything else (I10, 8901) is
    # a code from a composite that did not split (reported when read): counted, not quoted (PHI).
    shaped = [
        q
        for q in unknown
        if q.isascii() and (q.isalpha() and len(q) <= 3 or q.isalnum() and len(q) <= 2)
    ]
    unshaped = len(unknown) - len(shaped)
    known = ", ".join(of_qualifier) if unknown else ""
    if shaped:
        listed = ", ".join(shaped)
        which = f"qualifier {listed} is" if len(shaped) == 1 else f"qualifiers {listed} are"
        text = f"HI {which} not used in an {guide} claim (it takes {known})"
        out.append(ClaimProblem(text, claim))
    if unshaped:
        text = (
            f"{unshaped} HI composite(s) have no qualifier (was the composite split at the component "
            f"separator?); an {guide} claim takes {known}"
        )
        out.append(ClaimProblem(text, claim))
    _check_hi_kept(claim, of_qualifier, guide, out)
    segments: Counter[_HiSegment | None] | None = None  # made when needed: as the writer would
    as_read = False
    for hi in table:
        places = at[hi]
        if not places:  # most of the guide's HI segments: nothing to count or order
            continue
        if len(places) > hi.limit:
            if hi.counted:
                of = f" ({hi.max_use} HI segments of {hi.per_segment})" if hi.max_use > 1 else ""
                text = (
                    f"{len(places)} {hi.name} codes ({hi.quals}); an {guide} claim has at most "
                    f"{hi.limit}{of}"
                )
                out.append(ClaimProblem(text, claim))
            continue
        if len(places) > hi.max_use and segments is None:  # more codes than segments allowed
            segments, as_read = _hi_segment_counts(claim)
        if segments is not None and segments[hi] > hi.max_use:
            # Packed, codes of one kind go together (`Group.together`): only the layout of the
            # file read, which the writer follows, can hold them in more segments than needed.
            why = ""
            if as_read:
                why = " (the HI segments of the file read, kept; from its JSON they are packed)"
            text = (
                f"the {hi.name} codes ({hi.quals}) would be written as {segments[hi]} HI segments"
                f"{why}; the guide allows {hi.max_use}"
            )
            out.append(ClaimProblem(text, claim))
        elif hi.first and places:
            given = [claim.codes[i].qualifier for i in places]
            if given[0] not in hi.first or any(q in hi.first for q in given[1:]):
                rest = "/".join(q for q in hi.qualifiers if q not in hi.first)
                text = (
                    f"the {hi.name} codes are {' '.join(given)}; its HI takes "
                    f"{'/'.join(hi.first)} in HI01, then {rest}"
                )
                out.append(ClaimProblem(text, claim))


# The HI segments the writer makes of each claim kind and sequence of code qualifiers met
# (`_hi_segment_counts`); emptied when full.
_HI_COUNTS: dict[tuple[str, tuple[str, ...]], Counter[_HiSegment | None]] = {}


def _hi_segment_counts(claim: Claim) -> tuple[Counter[_HiSegment | None], bool]:
    """How many HI segments of each of the guide's the writer makes of the claim's codes, and
    whether that is the layout read. A claim read keeps the HI segments of its file while they fit
    its codes (three HI*ABF of one code each are written back so); else the writer splits the codes
    by `hi_category` (of the claim kind and each code's qualifier) and at 12 a segment: the claims
    of a kind with the same qualifiers in the same order get the same segments, worked out once."""
    of_qualifier = _HI_OF_QUALIFIER[claim.kind]
    groups, as_read = written_groups(claim, "codes")
    if as_read:
        return Counter(of_qualifier.get(run[0].qualifier) for run in groups), True
    key = (claim.kind, tuple(code.qualifier for code in claim.codes))
    found = _HI_COUNTS.get(key)
    if found is None:
        groups = segment_groups(claim, "codes")
        found = Counter(of_qualifier.get(run[0].qualifier) for run in groups)
        if len(_HI_COUNTS) >= 1024:
            _HI_COUNTS.clear()
        _HI_COUNTS[key] = found
    return found, False


def _check_lines(claim: Claim, out: list[ClaimProblem]) -> None:
    if claim.kind == "dental" and len(claim.tooth_status) > _MAX_TOOTH_STATUS:
        text = (
            f"{len(claim.tooth_status)} tooth statuses (DN2); an 837D claim has at most "
            f"{_MAX_TOOTH_STATUS}"
        )
        out.append(ClaimProblem(text, claim))
    if claim.kind == "dental":
        _check_orthodontic_months(claim, out)
        for k, status in enumerate(claim.tooth_status):
            # DN201 is the tooth number, of the same designation as TOO02 (x12-notes §5), which
            # DN206 names (JP, as TOO01; one read empty is left to the usage rules). About the
            # claim (a DN2 is no model a problem may be about: `ClaimProblem.about`).
            if status.numbering not in (None, "JP"):
                shown = repr(status.numbering) if is_code(status.numbering) else "a value"
                text = (
                    f"DN206 (tooth_status[{k}].numbering) is {shown}, not JP (the universal "
                    "national tooth designation)"
                )
                out.append(ClaimProblem(text, claim, "DN206"))
            elif status.tooth and status.tooth not in _TOOTH_NUMBERS:
                shown = _code_shown(status.tooth)
                text = (
                    f"DN201 (tooth_status[{k}].tooth) is {shown}, not a tooth of the "
                    "universal national tooth designation (1-32, A-T; supernumerary 51-82, AS-TS)"
                )
                out.append(ClaimProblem(text, claim, "DN201"))
    wanted = guide_of_kind(claim.kind).service
    place = _SERVICES.index(wanted)
    seen: set[str] = set()
    max_adjudications = LOOP_REPEATS[claim.kind]["2430"]
    for n, line in enumerate(claim.lines, 1):
        services = (line.professional, line.institutional, line.dental)
        # `is None`, not `count(None)`: that compares each service model with None (its __eq__).
        if services[place] is None or sum(s is None for s in services) != 2:
            present = [seg for seg, s in zip(_SERVICES, services, strict=True) if s is not None]
            has = " and ".join(present) or "none"
            text = f"line {n}: an {GUIDE_NAMES[claim.kind]} line has one {wanted} service; this one has {has}"
            out.append(ClaimProblem(text, line))
        _check_procedure_code(line, services, n, out)
        _check_drug_code(line, n, out)
        if len(line.adjudications) > max_adjudications:
            text = (
                f"line {n}: {len(line.adjudications)} adjudications (loop 2430); the guide allows "
                f"{max_adjudications}"
            )
            out.append(ClaimProblem(text, line))
        professional = line.professional
        if claim.kind == "professional" and professional is not None:
            unit, count = LINE_UNITS["professional"]
            if not professional.unit:  # "" too: written as an empty SV103
                text = (
                    f"line {n}: no unit code (professional.unit, {unit}: UN or MJ); an 837P line "
                    "requires it"
                )
                out.append(ClaimProblem(text, line, unit))
            if professional.quantity is None and not _kept_element(professional, 4):
                text = (
                    f"line {n}: no service unit count (professional.quantity, {count}); an 837P "
                    "line requires it"
                )
                out.append(ClaimProblem(text, line, count))
        dental = line.dental
        if dental is not None and dental.prosthesis == "R" and line.prior_placement_date is None:
            text = (
                f"line {n}: prosthesis code R (replacement, SV305) needs the prior placement date "
                "(DTP*441, prior_placement_date)"
            )
            out.append(ClaimProblem(text, line))
        prior = line.prior_placement_date
        served = line.service_date or claim.service_period
        if prior is not None and served is not None and prior.start > served.start:
            # A crown, bridge or denture replaced was placed before the service that replaces it
            # (dates not quoted: PHI).
            text = (
                f"line {n}: the prior placement date (DTP*441, prior_placement_date) is after the "
                "date of service (DTP*472): the prosthesis replaced was placed before"
            )
            out.append(ClaimProblem(text, line, "DTP03"))
        if claim.kind == "dental":
            if len(line.teeth) > _MAX_TEETH:
                text = f"line {n}: {len(line.teeth)} teeth (TOO); a line has at most {_MAX_TEETH}"
                out.append(ClaimProblem(text, line))
            for k, tooth in enumerate(line.teeth, 1):
                out += problems_about(line, _tooth_problems(tooth), f"line {n}: tooth {k} (TOO): ")
        if dental is not None:
            for k, area in enumerate(dental.oral_cavity_areas, 1):
                if area and area not in _ORAL_CAVITY_AREAS:
                    shown = repr(area) if is_code(area) else "a value"
                    text = (
                        f"line {n}: oral cavity area {k} (SV304-{k:02d}) is {shown}, not an oral "
                        f"cavity designation code ({', '.join(_ORAL_CAVITY_AREAS)})"
                    )
                    out.append(ClaimProblem(text, line, f"SV304-{k:02d}"))
        number = line.control_number
        if number is not None:
            if len(number) > MAX_LINE_CONTROL_NUMBER:
                # Longer than an id is data in the wrong element (PHI): said by its length.
                text = (
                    f"line {n}: line item control number ({len(number)} characters) is over "
                    f"{MAX_LINE_CONTROL_NUMBER} characters"
                )
                out.append(ClaimProblem(text, line, "REF02"))
            if number in seen:
                shown = short_id(number, MAX_LINE_CONTROL_NUMBER)
                text = f"line {n}: line item control number {shown!r} is used twice"
                out.append(ClaimProblem(text, line, "REF02"))
            seen.add(number)


def _check_procedure_code(
    line: ServiceLine, services: tuple[Any, ...], n: int, out: list[ClaimProblem]
) -> None:
    """`services`: the line's professional, institutional and dental service (`_SERVICE_CODES`)."""
    for service, (field, (ref, qualifier, (form, what))) in zip(
        services, _SERVICE_CODES.items(), strict=True
    ):
        if service is None or service.code is None or service.qualifier != qualifier:
            continue  # of another code set (ER, IV, ...), or a qualifier its check refuses
        if not form.fullmatch(service.code):
            # Said without the code: the rule and where the modifier goes are enough.
            modifier = form.match(service.code) is not None
            hint = f"; a modifier goes in {field}.modifiers ({ref}-03), not in the code"
            text = f"line {n}: procedure code ({field}.code, {ref}-02) is not {what}"
            out.append(ClaimProblem(text + (hint if modifier else ""), line, f"{ref}-02"))


def _check_drug_code(line: ServiceLine, n: int, out: list[ClaimProblem]) -> None:
    drug = line.drug
    form, what = _NDC
    if drug is None or drug.qualifier != _NDC_QUALIFIER or form.fullmatch(drug.code):
        return  # another code set (UP, EN, ...): its form is not checked
    # Said without the code, as a procedure code's form.
    text = f"line {n}: drug (2410): national drug code (code, LIN03) is not {what}"
    out.append(ClaimProblem(text, drug, "LIN03"))


_SERVICE_FIELDS = frozenset({"professional", "institutional", "dental"})  # _check_lines says these
_UNSET: tuple[Any, ...] = (None, "", [], {})  # a field left out: nothing written


@cache
def _loop_has(kind: str, loops: str) -> frozenset[str]:
    """The segment IDs and child loop IDs the claim kind's grammar, the one place the loop structure
    lives, has in these loops (`"2000B 2010BA"`: a model that holds two)."""
    grammar = get_grammar(guide_of_kind(kind).grammar)
    has: set[str] = set()
    for loop in loops.split():
        segments, children = grammar.loop_contents(loop)
        has |= segments | {child[:4] for child in children}
    return frozenset(has)


@cache
def _field_places(model_type: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(field, the segment ID or child loop ID it is written in) of a loop model's own fields."""
    places: list[tuple[str, str]] = []
    for name, finfo in model_type.model_fields.items():
        for marker in finfo.metadata:
            if isinstance(marker, (Elem, Elems)):
                seg_id = split_ref(marker.ref if isinstance(marker, Elem) else marker.refs[0])[0]
            elif isinstance(marker, (Seg, SegMap, Group)):
                seg_id = marker.seg_id
            elif isinstance(marker, Child):
                seg_id = marker.loop_id[:4]
            else:
                continue
            places.append((name, seg_id))
    return tuple(places)


@cache
def _foreign_plan(
    kind: str, loops: str, model_type: type[BaseModel]
) -> tuple[tuple[tuple[str, str], ...], Callable[[Any], tuple[Any, ...]]]:
    """The (field, segment or loop ID) of a model type that the kind's grammar has no place for in
    `loops`, and a getter of their values (most models have none set: one call tells)."""
    has = _loop_has(kind, loops)
    foreign = tuple(
        (name, seg_id)
        for name, seg_id in _field_places(model_type)
        if seg_id not in has
        and name not in _SERVICE_FIELDS
        # segment_problems says these (K3 in an 837I line): not twice
        and not (" " not in loops and says_unused(kind, loops, seg_id))
    )
    return foreign, fields_getter([name for name, _ in foreign])


def _foreign_fields(kind: str, loops: str, model: BaseModel) -> list[str]:
    """The fields of a model of `loops` whose segment (or child loop) the kind's grammar has no
    place for there: DN1 or TOO in an 837I, CL1 in an 837D, a PRV for an 837I operating physician,
    the subscriber's PAT outside the 837P (`write_837` could not read them back)."""
    foreign, values_of = _foreign_plan(kind, loops, type(model))
    if not foreign:
        return []
    values = values_of(model)
    # None of them set; but a 0 (falsy too, and == 0 whether Decimal, int or False) is written: DN1**0.
    if not any(values) and 0 not in values:
        return []
    missing: dict[str, list[str]] = {}
    for (name, seg_id), value in zip(foreign, values, strict=True):
        if value not in _UNSET:
            missing.setdefault(seg_id, []).append(name)
    guide = GUIDE_NAMES[kind]
    where = f"loops {', '.join(loops.split())}" if " " in loops else f"loop {loops}"
    out = []
    for seg_id, names in missing.items():
        shown = f"loop {seg_id}" if seg_id.isdigit() else seg_id
        out.append(
            f"{', '.join(names)} ({shown}): the {guide} guide has no {shown} in {where}; leave it out"
        )
    return out


# The context models (where, their loops, the claim's model): claims of one set share them (_Memo).
_FOREIGN_SET: _Loops = (  # as `_SET_LOOPS`, `_CLAIM_LOOPS`
    ("billing provider (2000A): ", "2000A 2010AA", attrgetter("billing_provider")),
    ("pay-to address (2010AB): ", "2010AB", attrgetter("billing_provider.pay_to_address")),
    ("pay-to plan (2010AC): ", "2010AC", attrgetter("billing_provider.pay_to_plan")),
)
_FOREIGN_CLAIM: _Loops = (
    ("subscriber (2000B): ", "2000B 2010BA", attrgetter("subscriber")),
    ("payer (2010BB): ", "2010BB", attrgetter("payer")),
    ("patient (2000C): ", "2000C 2010CA", attrgetter("patient")),
)


def _foreign_and_kept(kind: str, loops: str, model: BaseModel) -> list[str]:
    """`_foreign_fields`, then `_kept_formats`, of a context model: one memo entry for both."""
    return _foreign_fields(kind, loops, model) + _kept_formats(kind, loops, model)


def _check_guide_segments(claim: Claim, out: list[ClaimProblem], memo: _Memo) -> None:
    """Fields the claim kind's guide has no segment or loop for where the model is (`_foreign_fields`),
    in the context loops, the claim, its providers, prior payers and lines."""
    kind = claim.kind
    out += memo.context(_foreign_and_kept, kind, _FOREIGN_SET, claim)
    for where, loops, model_of in _FOREIGN_CLAIM:
        model = model_of(claim)
        if model is not None:
            out += memo.problems(_foreign_and_kept, kind, loops, model, where)
    out += problems_about(claim, _foreign_fields(kind, "2300", claim))
    provider_loops = codes.PROVIDER_LOOPS[kind]

    def providers(at: str, level: str, given: list[Provider]) -> None:
        for provider in given:
            loop = provider_loops[level].get(provider.role)
            if loop is not None:  # a role without a loop is _check_providers' to report
                found = _foreign_fields(kind, loop, provider)
                if found:
                    where = f"{at}: provider {provider.role} ({loop}): "
                    out.extend(problems_about(provider, found, where))

    providers("claim", "2310", claim.providers)
    for n, payer in enumerate(claim.prior_payers, 1):
        found = _foreign_fields(kind, "2320", payer)
        out += problems_about(payer, found, f"prior payer {n} (2320): ")
        for loop, model in (("2330A", payer.other_subscriber), ("2330B", payer.other_payer)):
            found = _foreign_fields(kind, loop, model) + _kept_formats(kind, loop, model)
            out += problems_about(model, found, f"prior payer {n} ({loop}): ")
        providers(f"prior payer {n}", "2330", payer.providers)
    for n, line in enumerate(claim.lines, 1):
        found = _foreign_fields(kind, "2400", line)
        if found:
            out += problems_about(line, found, f"line {n}: ")
        for k, adjudication in enumerate(line.adjudications, 1):
            found = _kept_formats(kind, "2430", adjudication)
            out += problems_about(adjudication, found, f"line {n}: adjudication {k} (2430): ")
        providers(f"line {n}", "2420", line.providers)


# TOO (837D map line 879, x12-notes §5): TOO01 JP, the ADA's Universal/National Tooth Designation
# System: permanent teeth 1-32, primary teeth A-T, supernumerary teeth 51-82 and AS-TS (as public
# payer rules state it, e.g. Oklahoma's OHCA 317:30-5-703); TOO03 up to five surfaces, each one of
# the map's codes.
_TOOTH_NUMBERS = frozenset(
    [str(n) for n in (*range(1, 33), *range(51, 83))]
    + [chr(c) for c in range(ord("A"), ord("T") + 1)]
    + [chr(c) + "S" for c in range(ord("A"), ord("T") + 1)]
)
_SURFACES = ("B", "D", "F", "I", "L", "M", "O")
# SV304 (ADA, code source 135, as CMS's T-MSIS lists it): 00 the entire oral cavity, 01 maxillary
# and 02 mandibular area, 03-08 the sextants, 09 another area, 10-40 the quadrants.
_ORAL_CAVITY_AREAS = tuple(f"{n:02d}" for n in (*range(10), 10, 20, 30, 40))


def _check_orthodontic_months(claim: Claim, out: list[ClaimProblem]) -> None:
    """DN101 total and DN102 remaining months of orthodontic treatment (x12-notes §5): counts, so
    not negative, and no more months remain than the treatment has."""
    total, remaining = claim.orthodontic_total_months, claim.orthodontic_remaining_months
    for value, field, element in (
        (total, "orthodontic_total_months", "DN101"),
        (remaining, "orthodontic_remaining_months", "DN102"),
    ):
        if isinstance(value, Decimal) and value < 0:
            text = f"{field} ({element}) is {value}: a number of months is not negative"
            out.append(ClaimProblem(text, claim, element))
    if isinstance(total, Decimal) and isinstance(remaining, Decimal) and 0 <= total < remaining:
        text = (
            f"orthodontic_remaining_months (DN102) is {remaining}, more than the "
            f"orthodontic_total_months (DN101) of the treatment, {total}"
        )
        out.append(ClaimProblem(text, claim, "DN102"))


def _code_shown(value: str) -> str:
    """A code for a message: quoted when it looks like one, also with the spaces around it said
    (`'14 '` had been "a value", which told nothing); else "a value"."""
    if is_code(value):
        return repr(value)
    inner = value.strip()
    if inner and is_code(inner):
        sides = [
            side
            for side, space in (("leading", value[0]), ("trailing", value[-1]))
            if space.isspace()
        ]
        return f"{inner!r} with a {' and a '.join(sides)} space"
    return "a value"


def _tooth_problems(tooth: Tooth) -> Iterator[ClaimProblem]:
    if not tooth.number:
        # TOO01 qualifies TOO02 (the code list of its tooth number): a TOO without one names no
        # tooth, and its surfaces (TOO03) are no tooth's.
        surfaces = " with surfaces (TOO03)" if any(tooth.surfaces) else ""
        text = f"no tooth number (TOO02, number){surfaces}: a TOO gives the tooth the line treats"
        yield ClaimProblem(text, element="TOO02")
    if tooth.qualifier != "JP":
        # TOO01 is usage R (837D map line 879); one read empty stays so, and is said here.
        shown = "empty" if not tooth.qualifier else shown_value(tooth.qualifier)
        text = f"TOO01 (qualifier) is {shown}, not JP (the universal national tooth designation)"
        yield ClaimProblem(text, element="TOO01")
    elif tooth.number and tooth.number not in _TOOTH_NUMBERS:
        shown = _code_shown(tooth.number)
        text = (
            f"TOO02 (number) is {shown}, not a tooth of the universal national tooth designation "
            "(1-32, A-T; supernumerary 51-82, AS-TS)"
        )
        yield ClaimProblem(text, element="TOO02")
    for k, surface in enumerate(tooth.surfaces, 1):
        if surface and surface not in _SURFACES:
            shown = _code_shown(surface)
            text = f"TOO03-{k:02d} (surfaces[{k - 1}]) is {shown}, not a tooth surface code ({', '.join(_SURFACES)})"
            yield ClaimProblem(text, element=f"TOO03-{k:02d}")


def _has_providers(claim: Claim) -> bool:
    return bool(
        claim.providers
        or any(payer.providers for payer in claim.prior_payers)
        or any(line.providers for line in claim.lines)
    )


def _check_providers(claim: Claim, out: list[ClaimProblem]) -> None:
    if not _has_providers(claim):
        return
    tables = codes.PROVIDER_LOOPS[claim.kind]

    def check(provider: Provider, level: str, where: str) -> None:
        role = provider.role
        if not _taxonomy_ok(provider.taxonomy):
            text = f"{where}: provider {role} taxonomy (PRV03) is not {TAXONOMY_FORM[1]}"
            out.append(ClaimProblem(text, provider, "PRV03"))
        if role not in tables[level]:
            name = codes.name(codes.PROVIDER_ROLES, role)
            allowed = ", ".join(sorted(dict.fromkeys(tables[level])))
            text = (
                f"{where}: provider role {role} ({name}) has no loop {level} in an {GUIDE_NAMES[claim.kind]} claim "
                f"(allowed: {allowed})"
            )
            out.append(ClaimProblem(text, provider, "NM101"))

    repeats = LOOP_REPEATS[claim.kind]

    def check_repeats(providers: list[Provider], level: str, where: str, holder: BaseModel) -> None:
        in_loop: dict[str, list[Provider]] = {}
        for provider in providers:
            loop = tables[level].get(provider.role)
            if loop is not None:
                in_loop.setdefault(loop, []).append(provider)
        for loop, those in sorted(in_loop.items()):
            allowed = repeats.get(loop, 1)
            if len(those) > allowed:
                names = "/".join(
                    dict.fromkeys(codes.name(codes.PROVIDER_ROLES, p.role) for p in those)
                )
                roles = "/".join(dict.fromkeys(p.role for p in those))
                text = (
                    f"{where}: {len(those)} providers in loop {loop} ({names}, {roles}); the guide "
                    f"allows {allowed}"
                )
                out.append(ClaimProblem(text, holder))  # of several: of the loop that holds them

    for provider in claim.providers:
        check(provider, "2310", "claim")
    check_repeats(claim.providers, "2310", "claim", claim)
    for n, payer in enumerate(claim.prior_payers, 1):
        for provider in payer.providers:
            check(provider, "2330", f"prior payer {n}")
        check_repeats(payer.providers, "2330", f"prior payer {n}", payer)
    for n, line in enumerate(claim.lines, 1):
        for provider in line.providers:
            check(provider, "2420", f"line {n}")
        check_repeats(line.providers, "2420", f"line {n}", line)
    # Each provider once, where it is given (a claim-level provider is not repeated per line).
    placed = [("", p, "2310") for p in claim.providers] + [
        (f"line {n}: ", p, "2420") for n, line in enumerate(claim.lines, 1) for p in line.providers
    ]
    bad_npis = [
        ClaimProblem(
            f"{where}provider {provider.role}{_loop_named(tables, level, provider.role)}: NPI"
            f"{shown_npi(provider.npi)} {npi_fault(provider.npi)}",
            provider,
            "NM109",
        )
        for where, provider, level in placed
        if provider.npi and not npi_is_valid(provider.npi)
    ]
    # Two providers of one role and NPI: one line, about the first.
    out.extend(dict.fromkeys(bad_npis))


def _check_entity_types(claim: Claim, out: list[ClaimProblem]) -> None:
    """NM102 is required in every NM1 of the three guides (maps: usage=R; 837P lines 46, 70, 120,
    165, 190, 251, 308, 1094, 1124, 1926 ..., 837I lines 46, 70, 120, 160, 185, 236, 283 ...). The
    submitter, the receiver and the providers have no default for it unless named as a person; the
    other parties have one when made in code, but one read with an empty NM102 keeps it empty (it
    was written so)."""
    missing = "no entity type (NM102: 1 person, 2 organization), which the guide requires"
    for where, party in _named_parties(claim):
        if party.entity_type is None:
            if type(party) is Provider:
                name = codes.name(codes.PROVIDER_ROLES, party.role)
                text = f"{where}: provider {party.role} ({name}) has {missing}"
            else:
                text = f"{where}: {missing}"
            out.append(ClaimProblem(text, party, "NM102"))


def _named_parties(claim: Claim) -> Iterator[tuple[str, Any]]:
    """Each party of a claim that has an NM1 with an entity type (NM102), with where it is: the
    submitter and receiver, the billing provider's, subscriber's, payer's and patient's loops, the
    prior payers' (2330A/B), and the providers of the claim, its prior payers and its lines."""
    header = claim.header
    billing = claim.billing_provider
    parties: list[tuple[str, Any]] = [
        ("submitter (1000A)", header.submitter),
        ("receiver (1000B)", header.receiver),
        ("billing provider (2010AA)", billing),
        ("pay-to address (2010AB)", billing.pay_to_address),
        ("pay-to plan (2010AC)", billing.pay_to_plan),
        ("subscriber (2010BA)", claim.subscriber),
        ("payer (2010BB)", claim.payer),
        ("patient (2010CA)", claim.patient),
    ]
    for n, payer in enumerate(claim.prior_payers, 1):
        parties.append((f"prior payer {n}: other subscriber (2330A)", payer.other_subscriber))
        parties.append((f"prior payer {n}: other payer (2330B)", payer.other_payer))
    yield from (p for p in parties if p[1] is not None)
    if not _has_providers(claim):
        return
    # Claim, prior payers, lines: no list of every provider with where it is, made for each claim.
    yield from (("claim", provider) for provider in claim.providers)
    for n, payer in enumerate(claim.prior_payers, 1):
        yield from ((f"prior payer {n}", provider) for provider in payer.providers)
    for n, line in enumerate(claim.lines, 1):
        yield from ((f"line {n}", provider) for provider in line.providers)


def _check_person_parts(claim: Claim, out: list[ClaimProblem]) -> None:
    """An organization (NM102 2) named with a person's first or middle name or suffix: X12 RFI
    2155 ("NM104, 05 and 07 must not be present when NM102 is equal to '2'"). Sent so, a solo
    practitioner billing under their own NPI is taken for an organization (or the name is wrong).
    Not said of a party whose NM102 has a problem already (a code its loop does not list), nor of
    a name part that has one (an element its loop does not use)."""
    said = {(id(p.about), p.element) for p in out}
    for where, party in _named_parties(claim):
        if party.entity_type != "2" or (id(party), "NM102") in said:
            continue
        if type(party) is Provider:
            name = codes.name(codes.PROVIDER_ROLES, party.role)
            where = f"{where}: provider {party.role} ({name})"
        for field, ref in PERSON_NAME_PARTS:
            if getattr(party, field, None) and (id(party), ref) not in said:
                text = (
                    f"{where}: {ref} ({field}) is given, but NM102 (entity_type) is 2, an "
                    "organization, which has no first or middle name or suffix: set entity_type "
                    f"to 1 for a person, or leave {field} out"
                )
                out.append(ClaimProblem(text, party, ref))


def cas_number_problems(claim: Claim) -> list[ClaimProblem]:
    """The adjustments (CAS) of a prior payer (2320) or a line's adjudication (2430) whose numbers
    (`segment`) no CAS could hold, in the writer's words (it refuses them: `WriteError`), each
    named after its loop: `prior payer 1 (2320): adjustments #1 and #3 have segment 1 but ...`."""
    out: list[ClaimProblem] = []
    for where, model in _adjusted(claim):
        if any(a.segment is not None for a in model.adjustments):
            try:
                segment_groups(model, "adjustments")
            except WriteError as exc:
                out.append(ClaimProblem(f"{where}{exc}", model))
    return out


# The CAS segments of a prior payer (2320) and of a line adjudication (2430): at most 5 in each
# guide (837P map lines 1042 and 1869, 837I 1715 and 2265, 837D 585 and 1121).
_CAS_MAX_USE = 5


def _check_cas_counts(claim: Claim, out: list[ClaimProblem]) -> None:
    """Adjustments the writer would put in more CAS segments than the guide allows: numbered into
    more (`segment`), or more than six of one group code (a CAS holds six)."""
    for where, model in _adjusted(claim):
        if len(model.adjustments) <= _CAS_MAX_USE:  # each CAS holds one at least
            continue
        try:
            count = len(segment_groups(model, "adjustments"))
        except WriteError:  # numbers no CAS could hold: `cas_number_problems` says so
            continue
        if count > _CAS_MAX_USE:
            text = (
                f"{where}its adjustments would be written as {count} CAS segments; the "
                f"{GUIDE_NAMES[claim.kind]} guide allows {_CAS_MAX_USE}"
            )
            out.append(ClaimProblem(text, model))


def _adjusted(claim: Claim) -> list[tuple[str, PriorPayer | LineAdjudication]]:
    """The prior payers (2320) and line adjudications (2430) of a claim, each with its name."""
    models: list[tuple[str, PriorPayer | LineAdjudication]] = [
        (f"prior payer {n} (2320): ", payer) for n, payer in enumerate(claim.prior_payers, 1)
    ]
    models += [
        (f"line {n}: adjudication {k} (2430): ", adjudication)
        for n, line in enumerate(claim.lines, 1)
        for k, adjudication in enumerate(line.adjudications, 1)
    ]
    return models


_MEDICARE = ("MA", "MB")  # SBR09 claim filing indicators: Medicare Part A, Part B


def _check_insurance_type(claim: Claim, out: list[ClaimProblem]) -> None:
    """837P SBR05 (insurance type) says why Medicare is not the primary payer: required when a
    payer is Medicare (SBR09 MA or MB) and not primary (SBR01 not P), at 2000B and 2320 alike
    (x12-notes §3; Stedi's claim edit "Missing insurance type code when Medicare is a non-primary
    payer"), and not sent for a primary payer (Stedi's "Insurance type code not allowed for the
    primary payer"). The 837I and 837D maps do not use SBR05 (claim_usage says so)."""
    if claim.kind != "professional":
        return
    payers = [("subscriber (2000B)", claim.subscriber)] + [
        (f"prior payer {n} (2320)", payer) for n, payer in enumerate(claim.prior_payers, 1)
    ]
    for where, payer in payers:
        sequence, filing = payer.payer_responsibility, payer.filing_indicator
        if filing in _MEDICARE and sequence not in (None, "P") and not payer.insurance_type:
            text = (
                f"{where}: Medicare (SBR09 {filing}) is not the primary payer (SBR01 "
                f"{shown_value(sequence)}), but no insurance type (SBR05, insurance_type) says "
                "why; the 837P guide requires it then"
            )
            out.append(ClaimProblem(text, payer, "SBR05"))
        elif sequence == "P" and payer.insurance_type:
            text = (
                f"{where}: insurance type (SBR05, insurance_type) with the primary payer (SBR01 "
                "P); it says why Medicare is not the primary payer, and is sent only for a payer "
                "after the first"
            )
            out.append(ClaimProblem(text, payer, "SBR05"))


_PAYER_SEQUENCE = "PSTABCDEFGH"  # SBR01: primary, secondary, tertiary, then the 4th to 11th payer
_PAYER_PLACES = {"P": "primary", "S": "secondary", "T": "tertiary"}


def _check_payer_sequence(claim: Claim, out: list[ClaimProblem]) -> None:
    """The payers of a claim (its payer, 2000B SBR01, and its prior payers, 2320 SBR01) skip no
    level of the sequence: a claim to a secondary payer names its primary payer in a 2320, one to a
    tertiary payer both others (Stedi's claim edits "Missing primary payer" and "Payer
    responsibility level codes must be in order"). Not checked where a payer's place is U
    (unknown) or not given (said by the usage rules)."""
    codes = [claim.subscriber.payer_responsibility]
    codes += [prior.payer_responsibility for prior in claim.prior_payers]
    if not all(code and code in _PAYER_SEQUENCE for code in codes):  # U, or none given
        return
    last = max(_PAYER_SEQUENCE.index(code) for code in codes)  # type: ignore[arg-type]
    skipped = [code for code in _PAYER_SEQUENCE[:last] if code not in codes]
    if skipped:
        named = ", ".join(
            f"{code!r} ({_PAYER_PLACES.get(code, 'a later payer')})" for code in skipped
        )
        priors = ", ".join(repr(p.payer_responsibility) for p in claim.prior_payers) or "none"
        text = (
            f"the payers skip {named} in their sequence (SBR01): the claim's payer is "
            f"{claim.subscriber.payer_responsibility!r} (2000B), its other payers {priors} (2320); "
            "a claim's payers take the places from P (primary) on, none skipped"
        )
        out.append(ClaimProblem(text, claim, "SBR01"))


def _check_cob(claim: Claim, out: list[ClaimProblem]) -> None:
    if not claim.prior_payers and not any(line.adjudications for line in claim.lines):
        return  # no coordination of benefits (most claims): nothing below has anything to check
    out += cas_number_problems(claim)
    _check_cas_counts(claim, out)
    # Within a claim each payer responsibility code but U (unknown) is used at most once (the
    # guides' SBR01 note): the claim's payer (2000B) and its prior payers (2320) are in one sequence.
    seen = {claim.subscriber.payer_responsibility: "the claim's payer (2000B SBR01)"}
    for n, prior in enumerate(claim.prior_payers, 1):
        code = prior.payer_responsibility
        if code in seen and code != "U":
            text = (
                f"prior payer {prior.other_payer.id or n} (2320 SBR01): payer responsibility "
                f"{code!r} is also {seen[code]}'s; each payer of a claim has its own place in the "
                "sequence (P, S, T, A-H)"
            )
            out.append(ClaimProblem(text, prior, "SBR01"))
        seen.setdefault(code, f"prior payer {prior.other_payer.id or n}")
    payers = {p.other_payer.id: p for p in claim.prior_payers if p.other_payer.id}
    line_adjustments: dict[str, Decimal] = {}
    line_paid: dict[str, Decimal] = {}
    # Unbundled or split lines (SVD06): (payer, SVD06) → their paid + adjustments, and the lines
    # that hold them, balanced together to those lines' charges (x12-notes §8.2 rule 2, RFI 1551).
    bundles: dict[tuple[str, int], tuple[Decimal, dict[int, ServiceLine]]] = {}
    stray = False  # a 2430 whose SVD01 names no prior payer
    for n, line in enumerate(claim.lines, 1):
        for adj in line.adjudications:
            if adj.payer_id not in payers:
                known = ", ".join(payers) or "none"
                text = (
                    f"line {n}: adjudication by payer {adj.payer_id!r} (SVD01) matches no prior "
                    f"payer (2330B NM109: {known})"
                )
                out.append(ClaimProblem(text, adj, "SVD01"))
                stray = True
                continue
            line_paid[adj.payer_id] = line_paid.get(adj.payer_id, _ZERO) + adj.paid
            line_adjustments[adj.payer_id] = (
                line_adjustments.get(adj.payer_id, _ZERO) + adj.adjustment_total
            )
            if adj.paid < _ZERO:
                text = f"line {n}: payer {adj.payer_id} paid {adj.paid:f} (SVD02) is negative"
                out.append(ClaimProblem(text, line, "SVD02"))
            if adj.bundled_line is not None:
                total, held = bundles.get((adj.payer_id, adj.bundled_line), (_ZERO, {}))
                held[n] = line
                bundles[adj.payer_id, adj.bundled_line] = (
                    total + adj.paid + adj.adjustment_total,
                    held,
                )
            elif adj.paid + adj.adjustment_total != line.charge:
                text = (
                    f"line {n}: payer {adj.payer_id} paid {adj.paid:f} + adjustments "
                    f"{adj.adjustment_total:f} ≠ line charge {line.charge:f}"
                )
                out.append(ClaimProblem(text, line, "SVD02"))
    for (payer_id, number), (total, held) in bundles.items():
        charge = sum((line.charge for line in held.values()), _ZERO)
        if total != charge:
            which = ", ".join(map(str, held))
            text = (
                f"line{'s' if len(held) > 1 else ''} {which}: payer {payer_id}'s adjudications of "
                f"bundled or split line {number} (SVD06) pay and adjust {total:f} ≠ line charge "
                f"{charge:f}"
            )
            first = next(iter(held.values()))
            out.append(ClaimProblem(text, first, "SVD02"))
    if not payers:
        return
    # An id several prior payers give names none of them (the line payments by it mix theirs).
    shared = len(payers) < sum(1 for p in claim.prior_payers if p.other_payer.id)
    counted = Counter(p.other_payer.id for p in claim.prior_payers) if shared else None
    about_payer = {
        payer_id: claim if counted and counted[payer_id] > 1 else payer
        for payer_id, payer in payers.items()
    }
    if stray:
        # A payer with no 2430 of its own beside one that names no payer: those lines are most
        # likely its (an SVD01 mistyped), said above. Its date and totals, counted without them,
        # would send the biller after a date or an amount the file has (the 837P tester).
        payers = {p: payer for p, payer in payers.items() if p in line_paid}
    _check_one_level(claim, payers, about_payer, out)
    for payer_id, payer in payers.items():
        if payer.paid is None:
            continue
        about = about_payer[payer_id]
        claim_adjustments = payer.adjustment_total
        if payer_id in line_paid and payer.paid != line_paid[payer_id] - claim_adjustments:
            # Rule 3 holds only when the payer's 2430 lines are there; rule 4 always.
            text = (
                f"prior payer {payer_id}: paid {payer.paid:f} (AMT*D) ≠ Σ line payments "
                f"{line_paid[payer_id]:f} − claim adjustments {claim_adjustments:f}"
            )
            out.append(ClaimProblem(text, about, "AMT02"))
        adjusted = claim_adjustments + line_adjustments.get(payer_id, _ZERO)
        if payer.paid + adjusted != claim.total_charge:
            text = (
                f"prior payer {payer_id}: paid {payer.paid:f} + adjustments {adjusted:f} ≠ total "
                f"charge {claim.total_charge:f}"
            )
            out.append(ClaimProblem(text, about, "AMT02"))


def _check_one_level(
    claim: Claim,
    payers: dict[str, PriorPayer],
    about_payer: dict[str, Claim | PriorPayer],
    out: list[ClaimProblem],
) -> None:
    """A prior payer's adjudication date and remaining patient liability are sent at one level:
    the claim's (2330B DTP*573, 2320 AMT*EAF) or its lines' (2430). The guides' 2330B DTP*573 is
    "required when ... Loop ID-2430, Line Check or Remittance Date, is not used. If not required
    by this implementation guide, do not send" (X223, as IBM APAR PM45235 quotes it); clearinghouses
    reject either given at both levels (Stedi's claim edits). A payer's date is given at one."""
    dated: set[str] = set()
    liable: set[str] = set()
    adjudicated: set[str] = set()  # a payer with 2430 lines
    for line in claim.lines:
        for adj in line.adjudications:
            adjudicated.add(adj.payer_id)
            if adj.paid_date is not None:
                dated.add(adj.payer_id)
            if adj.remaining_patient_liability is not None:
                liable.add(adj.payer_id)
    for payer_id, payer in payers.items():
        other = payer.other_payer
        if other.paid_date is not None and payer_id in dated:
            text = (
                f"prior payer {payer_id}: its adjudication date is given for the claim (2330B "
                "DTP*573) and for its lines (2430 DTP*573); send it at one level, the lines' when "
                "they have it"
            )
            out.append(ClaimProblem(text, about_payer[payer_id], "DTP03"))
        elif other.paid_date is None and payer.paid is not None and payer_id not in adjudicated:
            # It adjudicated the claim (AMT*D, "required when the claim has been adjudicated by
            # the payer in 2330B"), not its lines (a 2430 without its date, which it requires, is
            # said of that 2430); a payer listed before it has adjudicated is dateless.
            text = (
                f"prior payer {payer_id}: no adjudication date, for the claim (2330B DTP*573, "
                "other_payer.paid_date) nor for its lines (2430 DTP*573)"
            )
            out.append(ClaimProblem(text, about_payer[payer_id]))
        if payer.remaining_patient_liability is not None and payer_id in liable:
            text = (
                f"prior payer {payer_id}: the remaining patient liability is given for the claim "
                "(2320 AMT*EAF) and for its lines (2430 AMT*EAF); send it at one level"
            )
            out.append(ClaimProblem(text, about_payer[payer_id], "AMT02"))


# -- claims from JSON ---------------------------------------------------------------------------------

_CLAIM_LIST: TypeAdapter[list[Claim]] = TypeAdapter(list[Claim])


class ClaimValidationError(JsonProblemsError):
    """Claims JSON that does not fit the claim schema (`edi schema claim`).

    `problems` names every field at fault, by its JSON path: `"[0].lines[1].professional.charge: Input
    should be a valid decimal"`.
    """

    what = "claims"


def load_claims(source: JsonSource) -> list[Claim]:
    """Claims from JSON: a path to a file (a `Path`, or a `str` that is not JSON text), JSON text, or
    already-parsed data (a list of claim objects, or one claim object). Raises `ClaimValidationError`
    naming every field at fault. JSON numbers are read as `Decimal`, so amounts stay exact; data
    parsed by the caller should be too (`json.loads(text, parse_float=Decimal)`): a float holds about
    17 digits.

    Example:
        >>> claims = load_claims(Path("fixtures/837p/dependent.json"))     # doctest: +SKIP
    """
    made_by = (
        "the claims JSON of an 837 is what `edi claims FILE --format json` (edi.read_claims) gives"
    )
    data = json_items(source, ClaimValidationError, "claims", made_by)
    # A field given as null stays empty (the JSON of a claim read with an element left empty),
    # not filled with the value the model gives one left out.
    return validated(_CLAIM_LIST, data, ClaimValidationError, _claim_named, {KEEP_NULLS: True})


def _claim_named(data: list[Any], loc: tuple[int | str, ...]) -> str:
    """`claim PCN1: ` for a problem in a claim object whose CLM01 reads, as the checks name claims
    (a position alone is hard to find among hundreds of claims); "" otherwise."""
    at = loc[0] if loc else None
    claim = data[at] if isinstance(at, int) and 0 <= at < len(data) else None
    pcn = claim.get("patient_control_number") if isinstance(claim, dict) else None
    if isinstance(pcn, str) and pcn.strip() and loc[1:2] != ("patient_control_number",):
        return f"claim {pcn}: "
    return ""


__all__ = [
    "ClaimValidationError",
    "check_claim",
    "check_claims",
    "json_path",
    "load_claims",
    "npi_is_valid",
]
