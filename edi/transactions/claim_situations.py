"""Situational rules of the 837 guides that hang on what the claim is (inpatient, interim, dental
predetermination) or on its dates, which the maps mark situational without saying when. Only rules
quoted in a public X12 interpretation (RFI) or a federal rule are checked here:

- RFI 1520 and 1479 (005010X223): the admission date and hour (DTP*435) are required on inpatient
  claims, by the UB-04 manual's reading of the type of bill, which counts home health 033X as
  inpatient for that element. Here "inpatient" is a facility type whose UB-04 bill is inpatient
  Part A or a swing bed: 11, 18, 21, 28, 41. The admission type and source (CL101, CL102) are
  required on those too (UB-04 form locators 14 and 15, inpatient).
- RFI 1520: "admission date and hour": an inpatient bill gives its admission as DT, not D8 (home
  health 033X, by RFI 1479, the date alone). An admission after the statement period's last day
  (DTP*434) is refused: the bill covers days from the admission on (UB-04 form locator 12 as
  third-party billing guides read it; it need not be the first day).
- The discharge hour (DTP*096) is for a patient discharged: not on an interim bill (frequency 2,
  first interim, or 3, continuing), whose patient is still in the facility. Nor is patient status
  30 (still a patient, CL103) on a bill of frequency 1, admit through discharge (Stedi's claim edit
  "Invalid claim frequency code and patient status code combination"). On an inpatient bill, the
  reverse too: an interim bill of frequency 2 or 3 gives status 30, and the last one (4), which
  ends the stay, a discharge status (Medicare's interim billing guidelines for inpatient hospitals,
  as First Coast publishes them: "the mandatory discharge code ... is 30"; "The last bill shall
  contain a discharge patient status code").
- Stedi's claim edit "Missing ambulance transport information" (837P): a place of service 41
  (ambulance, land) or 42 (air or water) in CLM05-01 marks an ambulance claim, and "X12 standards
  require ambulance claims to include ambulance transport information at the claim level" (2300
  CR1); a line's CR1 does not stand for it.
- RFI 2460: "the 5010 Dental 837 doesn't require a Service Date for Predeterminations" (the
  service is not done); any other 837D claim gives it, for the claim (2300 DTP*472) or on each line
  (2400 DTP*472). A predetermination that gives one is not refused: not required is not forbidden.
- 45 CFR 162.1002: ICD-10-CM diagnoses and ICD-10-PCS procedures for services from 2015-10-01 on
  (for an inpatient claim, its discharge: the end of its statement period); ICD-9-CM before. The HI
  qualifier says which: ABK, ABF, ABJ, APR, ABN, BBR, BBQ are ICD-10; BK, BF, BJ, PR, BN, BR, BQ are
  ICD-9. A claim whose dates of service fall on both sides (a home health episode, which CMS has
  coded by its through date) is not checked, nor one without a date, nor one for a payer the rule
  does not bind (HIPAA's code sets are for health plans: not workers' compensation, automobile
  or liability medical, disability; SBR09 WC, AM, LM, DS).
- RFIs 2281, 1925 and 1496 (005010X222A1): the subscriber's address and demographics (2010BA N3,
  N4, DMG) are "Required when the patient is the subscriber or considered to be the subscriber. If
  not required by this implementation guide, do not send." A claim whose patient is another person
  (2000C) sends them in 2010CA, never in 2010BA; RFI 1496: the dependants' claims go under a 2000B
  of their own without them. The 837I and 837D are not checked for it: no interpretation of theirs
  was found.

Dates, codes and names are not quoted (PHI): the problem says which code or line, by number.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from edi.models.claim import Claim
from edi.models.claim_segments import HealthCode
from edi.transactions.claim_problem import ClaimProblem

# Facility types (CLM05-01) whose bill is inpatient: hospital (11) and religious nonmedical (41)
# inpatient Part A, SNF inpatient (21), and swing beds (18, 28).
INPATIENT_FACILITIES = frozenset({"11", "18", "21", "28", "41"})
# RFI 1479 and 1520: home health (33) is inpatient for the admission date alone.
_ADMISSION_DATED = INPATIENT_FACILITIES | {"33"}
_INTERIM = {"2": "first interim", "3": "continuing interim"}  # CLM05-03: the patient stays

ICD10_FROM = date(2015, 10, 1)  # 45 CFR 162.1002(c)(2), (3)
_NOT_HIPAA = frozenset({"WC", "AM", "LM", "DS"})  # SBR09 of payers that are no health plan
_ICD10 = frozenset({"ABK", "ABF", "ABJ", "APR", "ABN", "BBR", "BBQ"})
_ICD9 = {"BK": "ABK", "BF": "ABF", "BJ": "ABJ", "PR": "APR", "BN": "ABN", "BR": "BBR", "BQ": "BBQ"}


def situation_problems(claim: Claim, out: list[ClaimProblem]) -> None:
    """Add the problems of `claim` with the situational rules above to `out`."""
    if claim.kind == "institutional":
        _institutional(claim, out)
    elif claim.kind == "dental":
        _dental_dates(claim, out)
    else:
        _subscriber_not_patient(claim, out)
        _ambulance_transport(claim, out)
    _code_set_by_date(claim, out)


# The subscriber's fields that make its N3, N4 and DMG (the map's 2010BA), by segment: sent only
# when the subscriber is the patient, and then sent (claim_checks).
SUBSCRIBER_AS_PATIENT_SEGMENTS = {
    "N3": ("address_line_1", "address_line_2"),
    "N4": ("city", "state", "postal_code", "country", "country_subdivision"),
    "DMG": ("birth_date", "gender"),
}
SUBSCRIBER_AS_PATIENT_FIELDS = tuple(
    f for fs in SUBSCRIBER_AS_PATIENT_SEGMENTS.values() for f in fs
)


def _subscriber_not_patient(claim: Claim, out: list[ClaimProblem]) -> None:
    subscriber = claim.subscriber
    if claim.patient is None:
        return
    segments: list[str] = []
    given: list[str] = []
    for segment, fields in SUBSCRIBER_AS_PATIENT_SEGMENTS.items():
        names = [f for f in fields if getattr(subscriber, f) is not None]
        # A DMG read whose date gave no value keeps its text: it is there.
        if names or (segment == "DMG" and kept_text(subscriber, "DMG")):
            segments.append(segment)
            given += names
    if not segments:
        return
    shown = ", ".join(given) or "the DMG kept as read"
    # Said at the subscriber: the claims that share it share the problem (said once).
    text = (
        f"subscriber (2010BA): {'/'.join(segments)} given ({shown}), but the patient is another "
        "person (patient, 2000C): the subscriber's address and demographics are sent only when the "
        "subscriber is the patient (RFIs 2281, 1496); the patient's go in 2010CA: leave them out of "
        "the subscriber of the dependant's claims (an object of its own when the subscriber's own "
        "claims need them)"
    )
    out.append(ClaimProblem(text, subscriber))


AMBULANCE_PLACES = frozenset({"41", "42"})  # places of service: ambulance, land; air or water


def _ambulance_transport(claim: Claim, out: list[ClaimProblem]) -> None:
    if claim.facility_code in AMBULANCE_PLACES and claim.ambulance is None:
        text = (
            f"place of service {claim.facility_code} (CLM05-01) is an ambulance's, but the claim "
            "has no ambulance transport information (ambulance, 2300 CR1); an ambulance claim "
            "gives it at the claim level, a line's CR1 does not stand for it (Stedi's claim edit)"
        )
        out.append(ClaimProblem(text, claim))


def _institutional(claim: Claim, out: list[ClaimProblem]) -> None:
    facility = claim.facility_code
    bill = f"type of bill {claim.bill_type}"
    if facility in _ADMISSION_DATED and not claim.admission:
        which = "an inpatient bill" if facility in INPATIENT_FACILITIES else "a home health bill"
        text = (
            f"no admission date and hour (admission, DTP*435); {which} ({bill}) requires it "
            "(RFI 1520, 1479)"
        )
        out.append(ClaimProblem(text, claim))
    if facility in INPATIENT_FACILITIES:
        for field, element, what in (
            ("admission_type", "CL101", "admission type code"),
            ("admission_source", "CL102", "admission source code"),
        ):
            if not getattr(claim, field):
                text = f"no {what} ({field}, {element}); an inpatient bill ({bill}) requires it"
                out.append(ClaimProblem(text, claim, element))
    admitted = _admission_date(claim.admission)
    if facility in INPATIENT_FACILITIES and admitted and claim.admission_format == "D8":
        text = (
            f"the admission (DTP*435) is a date without its hour (DTP02 D8); an inpatient bill "
            f"({bill}) gives its date and hour (DT: RFI 1520)"
        )
        out.append(ClaimProblem(text, claim))
    statement = claim.statement_period
    through = (statement.end or statement.start) if statement else None
    if admitted and through and admitted > through:
        # A bill covers days from the admission on: one after the statement's last day is a typo.
        # It need not be the first day (an interim bill, a home health episode). Not quoted (PHI).
        text = (
            "the admission date (DTP*435) is after the statement period's last day (DTP*434): "
            "the bill covers days of a stay that had not begun"
        )
        out.append(ClaimProblem(text, claim))
    if claim.frequency_code == "1" and claim.patient_status == "30":
        # Stedi's claim edit "Invalid claim frequency code and patient status code combination".
        text = (
            "patient status 30 (still a patient, CL103) on a bill of frequency 1 (admit through "
            "discharge, CLM05-03), whose stay is over: an interim bill (2, 3) or another status"
        )
        out.append(ClaimProblem(text, claim, "CL103"))
    interim = _INTERIM.get(claim.frequency_code or "")
    status = claim.patient_status
    if facility in INPATIENT_FACILITIES and status:
        # The status is not quoted: a discharge status says where the patient went (or died).
        if interim and status != "30":
            text = (
                f"a discharge status (CL103, not 30) on a {interim} inpatient bill (CLM05-03 "
                f"{claim.frequency_code}), whose patient is still in the facility: 30 (still a "
                "patient), or frequency 1 or 4 for a bill that ends the stay"
            )
            out.append(ClaimProblem(text, claim, "CL103"))
        elif claim.frequency_code == "4" and status == "30":
            text = (
                "patient status 30 (still a patient, CL103) on a last interim inpatient bill "
                "(CLM05-03 4), which ends the stay: the patient's discharge status"
            )
            out.append(ClaimProblem(text, claim, "CL103"))
    if interim and claim.discharge:
        text = (
            f"a discharge hour (discharge, DTP*096) on a {interim} bill (CLM05-03 "
            f"{claim.frequency_code}), whose patient is not discharged: leave it out"
        )
        out.append(ClaimProblem(text, claim))


def _admission_date(text: str | None) -> date | None:
    """The date of an admission kept as text (CCYYMMDD, or CCYYMMDDHHMM), None when it is none
    (the checks of its format say so)."""
    if not text or len(text) not in (8, 12) or not (text.isascii() and text.isdigit()):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _dental_dates(claim: Claim, out: list[ClaimProblem]) -> None:
    if claim.is_predetermination or claim.service_period is not None:
        return
    undated = {n: line for n, line in enumerate(claim.lines, 1) if line.service_date is None}
    # A DTP*472 read whose text is no date (the reader said so) is there: not said again.
    if not undated or any(kept_text(m, "DTP*472") for m in (claim, *undated.values())):
        return
    numbers = ", ".join(map(str, undated))
    which = f"line {numbers} has" if len(undated) == 1 else f"lines {numbers} have"
    text = (
        f"no date of service: {which} none (service_date, 2400 DTP*472), nor has the claim "
        "(service_period, 2300 DTP*472); an 837D claim that is not a predetermination (CLM19 PB) "
        "gives it (RFI 2460)"
    )
    out.append(ClaimProblem(text, claim))


def kept_text(model: BaseModel, key: str) -> bool:
    """Whether `model` keeps element text of its segment `key` (`DTP*472`) from the file read that
    gave no value: a date that is not one."""
    layout = (model.__pydantic_private__ or {}).get("_x12")
    notes = getattr(layout, "notes", {}).get(key)
    return any(text for text, _ in getattr(notes, "raw", {}).values())


def _code_set_by_date(claim: Claim, out: list[ClaimProblem]) -> None:
    if claim.subscriber.filing_indicator in _NOT_HIPAA:
        return
    span = service_span(claim)
    if span is None:
        return
    for n, code in enumerate(claim.codes, 1):
        text = _code_set_problem(code, *span)
        if text:
            out.append(ClaimProblem(f"code {n} ({code.qualifier}) {text}", claim))


def _code_set_problem(code: HealthCode, first: date, last: date) -> str | None:
    if first >= ICD10_FROM and code.qualifier in _ICD9:
        return (
            f"is ICD-9, for a service from {ICD10_FROM:%Y-%m-%d} on, when HIPAA requires ICD-10 "
            f"({_ICD9[code.qualifier]}; 45 CFR 162.1002)"
        )
    if last < ICD10_FROM and code.qualifier in _ICD10:
        return (
            f"is ICD-10, for a service before {ICD10_FROM:%Y-%m-%d}, when HIPAA requires ICD-9 "
            "(45 CFR 162.1002)"
        )
    return None


def service_span(claim: Claim) -> tuple[date, date] | None:
    """The first and last dates that pick the claim's code set: an inpatient claim's discharge
    (the end of its statement period) for both, else its dates of service (the claim's, its
    lines', an 837I's statement period). None when the claim has no date."""
    statement = claim.statement_period
    if claim.kind == "institutional" and claim.facility_code in INPATIENT_FACILITIES:
        discharge = (statement.end or statement.start) if statement else None
        return None if discharge is None else (discharge, discharge)
    periods = [
        p for p in (claim.service_period, statement, *(x.service_date for x in claim.lines)) if p
    ]
    if not periods:
        return None
    return min(p.start for p in periods), max(p.end or p.start for p in periods)
