"""Secondary (COB) claims from the primary payer's 835 (x12-notes §9.6).

`secondary_claim` takes a claim as it was sent to one payer and that payer's `ClaimPayment` for it, and
returns the claim to send to the next payer. The payer that paid becomes a prior payer (2320/2330A/
2330B) with its claim-level adjustments, payment, remarks, paid date and claim control number. Each
service line it adjudicated gets a 2430 (SVD, CAS, DTP*573, AMT*EAF). The next coverage becomes the
claim's subscriber and payer, and its receiver (1000B) when that was the payer that paid. Amounts are copied exactly, written without trailing zeros (120.00 → 120).

Example:
    >>> remit = next(iter(edi.read_remittances(Path("primary.835"))))          # doctest: +SKIP
    >>> payment = next(c for c in remit.claims if c.patient_control_number == claim.id
    ...                and c.status != "22")  # not a reversal: its correction  # doctest: +SKIP
    >>> cob = secondary_claim(claim, payment, remit, subscriber=secondary, payer=plan)  # doctest: +SKIP
    >>> edi.check_claims([cob])  # the COB balancing rules of x12-notes §8.2 hold  # doctest: +SKIP
    []
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TypeVar, cast

from pydantic import ConfigDict

from edi import codes
from edi.codes import FREQUENCY_NEEDING_PAYER_ICN
from edi.errors import EdiError
from edi.models.base import EdiModel, Period
from edi.models.claim import Claim
from edi.models.claim_cob import OtherPayer, OtherSubscriber, PriorPayer
from edi.models.claim_lines import LineAdjudication, ServiceLine
from edi.models.claim_parties import (
    ClaimPayer,
    Patient,
    Receiver,
    Subscriber,
    TransactionHeader,
)
from edi.models.common import Reference
from edi.models.remittance import (
    Adjustment,
    ClaimPayment,
    InpatientAdjudication,
    OutpatientAdjudication,
    Remittance,
    ServicePayment,
)
from edi.transactions.claim_required import listed_codes

# CLP02 values that do not lead to a claim for the next payer (x12-notes §9.3).
_NO_COB = {
    "19": "processed as primary and forwarded to the next payer: do not send your own claim to it",
    "20": "processed as secondary and forwarded to the next payer: do not send your own claim to it",
    "21": "processed as tertiary and forwarded to the next payer: do not send your own claim to it",
    "22": "a reversal of an earlier payment, which makes no COB claim: make it from the "
    "corrected payment, when the payer sends one",
    "23": "not this payer's claim (forwarded to another payer)",
    "25": "predetermination pricing only, with no payment",
}


class CobError(EdiError, ValueError):
    """This payment cannot make a COB claim of this claim; the message says why."""


class Coverage(EdiModel):
    """The next coverage of a claim, as `edi cob` reads it: who is insured (SBR01 usually `S`), by which
    payer, the patient when not that subscriber, and the transaction header for that payer."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    subscriber: Subscriber
    """The subscriber of the next coverage (2000B with 2010BA)."""
    payer: ClaimPayer
    """The next payer (2010BB)."""
    patient: Patient | None = None
    """The patient, when not that subscriber (2000C with 2010CA)."""
    header: TransactionHeader | None = None
    """The transaction header for the next payer; by default the claim's, with the next payer as
    its receiver (1000B) when the claim's receiver was the payer that paid."""


def secondary_claim(
    claim: Claim,
    payment: ClaimPayment,
    remittance: Remittance,
    *,
    subscriber: Subscriber,
    payer: ClaimPayer,
    patient: Patient | None = None,
    header: TransactionHeader | None = None,
    same_payer: bool = True,
) -> Claim:
    """The claim for the next payer, after the payer of `remittance` adjudicated `claim` as `payment`.

    Args:
        claim: the claim as sent to the payer that paid (its `payer.id` is the id that 2330B NM109 and
            every 2430 SVD01 repeat).
        payment: that payer's 835 claim payment for it (CLP01 = the claim id).
        remittance: the 835 it came in (BPR16 gives the paid date of 2330B and 2430 DTP*573).
        subscriber, payer: the next coverage (SBR01 is usually `S`).
        patient: the patient, when not the new subscriber. By default: none when the new subscriber
            is the patient (SBR02 `18`), else the claim's patient.
        header: the transaction header for the next payer. By default the claim's; its receiver
            (1000B) becomes the next payer (its name, and its id under NM108 46) when it was the
            payer that paid (the same id as the claim's payer, or the same name: a 1000B NM109 is
            an ETIN, which may differ from the payer id), so that the COB 837 is not addressed to
            the primary payer. A receiver that is someone else (a clearinghouse) is kept: it
            receives the next payer's claims too.
        same_payer: refuse an 835 of another payer than the claim's (no id and no name in common);
            False takes it as the claim's payer's whatever its ids and name say (a payer named and
            numbered differently in its 835 and in the 837). The other checks of the payment stay.

    Raises:
        CobError: the payment is for another claim, or is not one of the remittance's (by CLP01
            and CLP07), the remittance holds another payment for it that could not be read
            (`unread_claims`) or a reversal of it after it (CLP02 22), its status makes no COB
            claim (a reversal, a crossover, ...), it is not the answer of the claim's payer
            (already on the claim, another payer's, a CLP02 that is not the claim's SBR01), or its
            service lines do not match the claim's lines (a REF*6R that no line of the claim has,
            when its lines have them, included); the next payer is the payer that paid or a prior
            payer (by NM109); the next subscriber is the patient (SBR02 18) but another person
            than the claim's patient (birth date, last name)."""
    cid = claim.patient_control_number
    if payment.patient_control_number != cid:
        raise CobError(f"claim {cid}: the payment is for claim {payment.patient_control_number}")
    key = (cid, payment.payer_claim_control_number)
    if not any(
        (p.patient_control_number, p.payer_claim_control_number) == key for p in remittance.claims
    ):
        # Its date (BPR16) and its other payments would be another 835's (the COB tester). By its
        # CLP01 and CLP07: a copy of the payment (`model_copy`) is as much the remittance's.
        raise CobError(f"claim {cid}: the payment is not one of the remittance's claim payments")
    if any(u.patient_control_number == cid for u in remittance.unread_claims):
        # The payment not read may reverse or correct this one.
        raise CobError(
            f"claim {cid}: the remittance has another payment for it that could not be read "
            "(unread_claims)"
        )
    why = _NO_COB.get(payment.status)
    if why is not None:
        raise CobError(f"claim {cid}: CLP02 {payment.status} is {why}")
    after = next((n for n, p in enumerate(remittance.claims, 1) if p is payment), 0)
    if any(p.status == "22" and reverses(p, payment) for p in remittance.claims[after:]):
        # As edi cob: the payment in force is the correction that follows a reversal, if any.
        raise CobError(
            f"claim {cid}: the remittance reverses this payment (CLP02 22, after it): a COB claim "
            "from it would send an adjudication the payer took back; make it from the correction "
            "that follows the reversal, if there is one"
        )
    _check_payer(claim, payment, remittance, same_payer)
    if payment.charge != claim.total_charge:
        # CLP01 alone can repeat (another patient's claim with the same account number): the charge
        # is the next matching key (x12-notes §9.2), and the COB amounts must balance to it (§8.2).
        raise CobError(
            f"claim {cid}: the payment's charge (CLP03 {payment.charge}) is not the claim's "
            f"(CLM02 {claim.total_charge}): it is another claim's payment, or pays part of this "
            "one (a claim the payer split, lines paid in another 835), which edi cob does not "
            "combine into one COB claim"
        )
    if claim.payer_claim_control_number or claim.frequency_code in FREQUENCY_NEEDING_PAYER_ICN:
        # Its REF*F8 is the paying payer's own claim number (RFI 1538: it links the claim to one
        # in that payer's system); the next payer's, if it has one, is not known here.
        raise CobError(
            f"claim {cid}: a claim of the payer's claim number (REF*F8, CLM05-03 "
            f"{claim.frequency_code}): its COB claim needs the next payer's own (REF*F8), if the "
            "next payer had the claim before; make it from the claim as an original "
            "(frequency_code '1', no payer_claim_control_number) when it had not"
        )
    payer_id = claim.payer.id
    if not payer_id:
        raise CobError(f"claim {cid}: the claim's payer has no id (NM109) for 2330B and SVD01")
    _check_next_payer(claim, payer)
    new_patient = patient
    if new_patient is None and subscriber.relationship == "18":
        _check_same_patient(claim, subscriber)
    if new_patient is None and subscriber.relationship != "18":
        new_patient = claim.patient  # the same dependant of the new subscriber
        if new_patient is None:
            shown = repr(subscriber.relationship) if subscriber.relationship else "empty"
            raise CobError(
                f"claim {cid}: the new subscriber is not the patient (SBR02 is {shown}, not "
                "'18'): the patient is needed (patient=, or \"patient\" in the coverage of edi cob)"
            )
    if new_patient is not None and _one_person(new_patient, subscriber):
        # The other parent's plan given for the family's claims, one of them that parent's own
        # visit: the patient was a dependant of the first subscriber, but is the new one (the
        # family tester). Said without a name or date (PHI).
        raise CobError(
            f"claim {cid}: the claim's patient is the new subscriber (the same name and birth "
            "date): the coverage of this claim has SBR02 '18' (relationship \"18\") and no "
            "patient"
        )
    paid_date = remittance.payment.date
    qualifiers = listed_codes(claim.kind, "2430", "SVD03-01")
    # A line without a date of its own has the claim's (x12-notes §9.2): the 837I statement period,
    # a claim's DTP*472.
    dated = claim.statement_period or claim.service_period
    periods = [line.service_date or dated for line in claim.lines]
    services = _match_lines(cid, claim.lines, periods, payment.services)
    # The adjudication date and the remaining patient liability go at one level, the lines' when
    # they have 2430s (2330B DTP*573: "required when ... Loop ID-2430 ... is not used"; the
    # claim's when the payer put patient responsibility on the claim itself (a CLP's CAS PR).
    by_line = any(services)
    claim_pr = sum((a.amount for a in payment.adjustments if a.group == "PR"), Decimal(0))
    liability_by_line = by_line and not claim_pr
    lines = []
    for number, (line, paid) in enumerate(zip(claim.lines, services, strict=True), 1):
        line = _line_numbers_of(line, payer_id)
        if not paid:
            lines.append(line)
            continue
        # A line the payer unbundled or split (more than one 835 line for it) gets a 2430 per 835
        # line, each with SVD06 the line's number (LX01): together they balance to its charge
        # (x12-notes §8.2 rule 2), as the 835 lines do.
        bundled = number if len(paid) > 1 else None
        adjudications = [
            _line_adjudication(s, line, payer_id, paid_date, qualifiers, bundled, liability_by_line)
            for s in paid
        ]
        lines.append(
            line.model_copy(update={"adjudications": [*line.adjudications, *adjudications]})
        )
    prior = _prior_payer(claim, payment, None if by_line else paid_date, not liability_by_line)
    secondary = claim.model_copy(
        update={
            "subscriber": subscriber,
            "payer": payer,
            "patient": new_patient,
            "header": _header_for(claim, payer) if header is None else _given(header, claim),
            "envelope": None,
            "prior_payers": [*claim.prior_payers, prior],
            "lines": lines,
            # The prior authorization, referral and (837D) predetermination numbers of 2300 are
            # the claim payer's (2010BB); the payer that paid is now a prior payer: its numbers go
            # to its 2330B (REF*G1, 9F; 837D REF*G3, "Other Payer Predetermination
            # Identification", 837D map line 723).
            "prior_authorization": None,
            "referral_number": None,
            "predetermination_id": None,
        }
    )
    secondary.__pydantic_private__["_at"] = None  # type: ignore[index]  # made here, not read
    return secondary


# A line's REFs that the payer the claim was sent to assigns (837P and 837D 2400 prior authorization
# and referral numbers, 837D predetermination), whose REF04 names another payer that did (maps:
# "Other Payer Primary Identifier", 2U).
_PAYER_LINE_NUMBERS = frozenset({"G1", "9F", "G3"})


def _line_numbers_of(line: ServiceLine, payer_id: str) -> ServiceLine:
    """`line` with its prior authorization, referral and predetermination numbers that name no
    other payer said to be the paying payer's (REF04 2U and its id, the 2330B NM109): on the COB
    claim, a number without REF04 is the next payer's own, as the claim's are (which go to 2330B)."""
    if not any(
        r.qualifier in _PAYER_LINE_NUMBERS and not r.other_payer_id for r in line.references
    ):
        return line
    references = [
        r.model_copy(update={"other_payer_qualifier": "2U", "other_payer_id": payer_id})
        if r.qualifier in _PAYER_LINE_NUMBERS and not r.other_payer_id
        else r
        for r in line.references
    ]
    return line.model_copy(update={"references": references})


def reverses(reversal: ClaimPayment, payment: ClaimPayment) -> bool:
    """Whether `reversal` (CLP02 22) undoes `payment`: its charge and payment negated, and the
    payer's claim number (CLP07) the same when both give one (x12-notes §9.3: a reversal sends the
    original amounts negated; match "by CLP01 (+ CLP07 + the negated amounts)"). A correction
    that keeps the original's CLP07 is not undone by the reversal of the original, listed after it
    or before (the COB tester: a correction listed first was taken for the reversed payment)."""
    one, other = reversal.payer_claim_control_number, payment.payer_claim_control_number
    if one and other and one != other:
        return False
    return (reversal.charge, reversal.paid) == (-payment.charge, -payment.paid)


# CLP02 of a payment that says in which order the payer processed the claim (x12-notes §9.3;
# 19, 20 and 21 make no COB claim: `_NO_COB`).
_PROCESSED_AS = {"1": "primary", "2": "secondary", "3": "tertiary"}
# SBR01 (payer responsibility) as the CLP02 a payer of that order answers with: the 835 has no code
# past tertiary, so a fourth to eleventh payer (A to H) is taken to answer 3.
_ORDER = {"P": "1", "S": "2", "T": "3", **{code: "3" for code in "ABCDEFGH"}}


def _check_payer(
    claim: Claim, payment: ClaimPayment, remittance: Remittance, same_payer: bool
) -> None:
    """Refuse an 835 that is not the adjudication of the payer the claim was sent to: one already
    applied to the claim (its CLP07 is a prior payer's REF*F8), one of another payer, or one whose
    CLP02 says it processed the claim in another order than the claim's SBR01 (a payer that
    processed it as secondary answering a claim sent to it as primary, ...). Made of any of them,
    the COB claim would say the claim's payer paid what another payer did."""
    cid = claim.patient_control_number
    number = payment.payer_claim_control_number
    for prior in claim.prior_payers:
        if number and prior.other_payer.claim_control_number == number:
            raise CobError(
                f"claim {cid}: the payment (CLP07 {number}) is already on the claim, as prior "
                f"payer {prior.other_payer.name}'s (2330B REF*F8): the 835 was applied to it "
                "before; a COB claim is made from the claim as sent to the payer of the 835"
            )
    paying = remittance.payer
    ids = _ids([paying.id, remittance.trace.payer_id], paying.references)
    # Ids are written differently from file to file (a clearinghouse's payer id in the 837, "1"
    # and the EIN in TRN03), and so are names: one of them the same is the same payer.
    shared = ids & _ids([claim.payer.id], claim.payer.references)
    if same_payer and not shared and not _same_name(paying.name, claim.payer.name):
        raise CobError(
            f"claim {cid}: the 835 is from payer {paying.name!r} (ids "
            f"{', '.join(sorted(ids)) or 'none'}), not the claim's payer {claim.payer.name!r} "
            f"(NM109 {claim.payer.id or 'none'}): neither an id nor the name is the same "
            "(same_payer=False, edi cob --no-payer-check, takes it as the claim's payer's)"
        )
    sent_as = claim.subscriber.payer_responsibility or ""
    expected = _ORDER.get(sent_as)
    if expected is not None and payment.status in _PROCESSED_AS and payment.status != expected:
        raise CobError(
            f"claim {cid}: CLP02 {payment.status} says the payer processed it as "
            f"{_PROCESSED_AS[payment.status]}, but the claim was sent to it as "
            f"{codes.name(codes.PAYER_RESPONSIBILITY, sent_as)} (SBR01 {sent_as}): the 835 "
            "is not the answer to this claim"
        )


def _check_next_payer(claim: Claim, payer: ClaimPayer) -> None:
    """Refuse a next payer that is the payer that paid or a prior payer of the claim that
    adjudicated it, by its id (NM109): billed again for what it adjudicated, its 2330B and every 2430 SVD01 would name the
    payer the claim is sent to (the COB tester: a tertiary coverage of the primary's payer id)."""
    cid = claim.patient_control_number
    if not payer.id:
        return
    # A 2320 of a payer that has not adjudicated the claim is other coverage known, not a prior
    # payer (the reviewer): only one that paid or adjusted it (AMT*D, CAS, or a 2430) counts.
    judged = {a.payer_id for line in claim.lines for a in line.adjudications}
    ids = {claim.payer.id}
    ids |= {
        p.other_payer.id
        for p in claim.prior_payers
        if p.paid is not None or p.adjustments or p.other_payer.id in judged
    }
    if payer.id in ids:
        raise CobError(
            f"claim {cid}: the next payer (NM109 {payer.id}) is the payer of the 835 or a prior "
            "payer of the claim (2330B NM109): a COB claim goes to a payer that has "
            "not adjudicated it"
        )


def _check_same_patient(claim: Claim, subscriber: Subscriber) -> None:
    """Refuse a next subscriber that is the patient (SBR02 18) but not the claim's patient: another
    birth date; without both dates, a last name with no word nor its letters in common (names are
    spelled apart from payer to payer: O'BRIEN, a married name). One coverage given for the claims of several patients
    (`edi cob --coverage` with one object) would bill one patient's claim on another's
    membership. Said without either person's name or date (no PHI beyond the claim id)."""
    person: Subscriber | Patient | None = claim.patient
    if person is None and claim.subscriber.relationship == "18":
        person = claim.subscriber
    if person is None:
        return
    born = subscriber.birth_date, person.birth_date
    if None not in born:
        if born[0] == born[1]:
            return  # the same day: names are spelled apart from payer to payer (O'BRIEN, OBRIEN)
        differs = "birth date (DMG02)"
    elif not _same_last_name(subscriber.last_name, person.last_name):
        differs = "last name (NM103)"
    else:
        return
    raise CobError(
        f"claim {claim.patient_control_number}: the next subscriber is the patient (SBR02 18), but its "
        f"{differs} is not the claim's patient's: the coverage is another person's (the "
        "patient's own coverage, or SBR02 the patient's relationship to this subscriber, with "
        "the patient)"
    )


def _one_person(patient: Patient, subscriber: Subscriber) -> bool:
    """Whether a patient is the subscriber: the same birth date, first name and last name (case,
    spaces and punctuation apart). Without both birth dates, not said to be."""
    if patient.birth_date is None or patient.birth_date != subscriber.birth_date:
        return False
    first = _words(patient.first_name or ""), _words(subscriber.first_name or "")
    return (
        bool(first[0])
        and first[0] == first[1]
        and _same_last_name(patient.last_name, subscriber.last_name)
    )


def _same_last_name(a: str, b: str) -> bool:
    """Whether two last names may be one person's: a word in common (a hyphenated or married
    name), or the same letters, spaces and punctuation apart (O'BRIEN and OBRIEN, MC DONALD)."""
    x, y = _words(a), _words(b)
    return bool(set(x) & set(y)) or "".join(x) == "".join(y)


def _ids(values: Iterable[str | None], references: Iterable[Reference]) -> set[str]:
    """A payer's ids as compared: those given (NM109; N104 and TRN03 of an 835), and its REF*2U
    (payer id), EI (EIN), FY (claim office number) and NF (NAIC code). A TRN03 of "1" and nine
    digits is an EIN too (x12-notes §7.1: "conventionally 1 + payer EIN")."""
    found = [*values, *(r.value for r in references if r.qualifier in ("2U", "EI", "FY", "NF"))]
    ids = {i.strip() for i in found if i and i.strip()}
    ids |= {i[1:] for i in ids if len(i) == 10 and i.isdigit() and i[0] == "1"}
    return ids


def _same_name(a: str, b: str) -> bool:
    """Whether two payer names are one payer's: case, spaces and punctuation apart ("Payer Co." is
    "PAYER CO", "BLUECROSS" "BLUE CROSS"), or one the first whole words of the other (an 835's
    "AETNA" and an 837's "AETNA LIFE INSURANCE COMPANY"), the last of several maybe cut short
    ("PAYER CO" and "PAYER COMPANY OF CT"). Not "MEDICA" and "MEDICARE", two payers, nor an "EX"
    cut short: a name of one word is a whole word of the other."""
    x, y = _words(a), _words(b)
    if not (x and y):
        return False
    short, long = (x, y) if len("".join(x)) <= len("".join(y)) else (y, x)
    whole = "".join(short)
    if any("".join(long[:k]) == whole for k in range(1, len(long) + 1)):
        return True
    n = len(short)
    return 1 < n <= len(long) and long[: n - 1] == short[:-1] and long[n - 1].startswith(short[-1])


def _words(name: str) -> list[str]:
    """The words of a name, in lower case, without punctuation ("Payer Co." → payer, co)."""
    return "".join(c if c.isalnum() else " " for c in name.casefold()).split()


def _header_for(claim: Claim, payer: ClaimPayer) -> TransactionHeader:
    """The claim's transaction header for the next payer: see `secondary_claim`'s `header`."""
    header = claim.header
    if not _is_payer(header.receiver, claim.payer):
        return header
    receiver = Receiver(
        entity_type=payer.entity_type,
        name=payer.name,
        id_qualifier="46" if payer.id else None,  # the only NM108 the 1000B takes
        id=payer.id,
    )
    return header.model_copy(update={"receiver": receiver})


def _given(header: TransactionHeader, claim: Claim) -> TransactionHeader:
    """A header given for the next payer, with the delimiters the claim was read with when it has
    none of its own (a header from JSON, as `edi cob`'s coverage gives): the COB claim is written
    with them by default, as it is with the claim's own header (`write_837` writes each claim with
    those it was read with); the header given is left as it was."""
    read_with = claim.header.__pydantic_private__.get("_delimiters")  # type: ignore[union-attr]
    if read_with is None or header.__pydantic_private__.get("_delimiters") is not None:  # type: ignore[union-attr]
        return header
    header = header.model_copy()
    header.__pydantic_private__["_delimiters"] = read_with  # type: ignore[index]
    return header


def _is_payer(receiver: Receiver, payer: ClaimPayer) -> bool:
    """Whether the 1000B receiver is the claim's payer: the same id, or the same name."""
    if receiver.id and receiver.id == payer.id:
        return True
    return (
        receiver.name is not None
        and receiver.name.strip().casefold() == payer.name.strip().casefold()
    )


def _prior_payer(
    claim: Claim, payment: ClaimPayment, paid_date: date | None, liability: bool
) -> PriorPayer:
    """2320/2330A/2330B: the payer that paid, with what it did at claim level; `paid_date` None
    and `liability` False where the lines' 2430s give them."""
    old = claim.subscriber
    responsibility = payment.patient_responsibility
    if responsibility is None:  # CLP05 absent: Σ PR of the claim and its lines
        responsibility = payment.adjustments_by_group().get("PR", Decimal(0))
    return PriorPayer(
        payer_responsibility=old.payer_responsibility or "P",
        relationship="18" if claim.patient is None else claim.patient.relationship,
        group_number=old.group_number,
        group_name=old.group_name,
        insurance_type=old.insurance_type,
        filing_indicator=old.filing_indicator,
        adjustments=_adjustments(payment.adjustments),
        paid=_plain(payment.paid),
        remaining_patient_liability=_plain(responsibility) if liability else None,
        benefits_assignment=claim.benefits_assignment,
        patient_signature_source=claim.patient_signature_source,
        release_of_information=claim.release_of_information,
        inpatient=_inpatient(payment.inpatient),
        outpatient=_copy(payment.outpatient),
        other_subscriber=OtherSubscriber(
            entity_type=old.entity_type,
            last_name=old.last_name,
            first_name=old.first_name,
            middle_name=old.middle_name,
            suffix=old.suffix,
            id_qualifier=old.id_qualifier,
            member_id=old.member_id,
        ),
        other_payer=OtherPayer(
            entity_type=claim.payer.entity_type,
            name=claim.payer.name,
            id_qualifier=claim.payer.id_qualifier,
            id=claim.payer.id,
            paid_date=paid_date,
            references=[
                Reference(qualifier=qualifier, value=value)
                for qualifier, value in (
                    ("G1", claim.prior_authorization),
                    ("9F", claim.referral_number),
                    ("G3", claim.predetermination_id),  # after them (837D map lines 708-723)
                )
                if value
            ],
            claim_control_number=payment.payer_claim_control_number,
        ),
    )


def _line_adjudication(
    service: ServicePayment,
    line: ServiceLine,
    payer_id: str,
    paid_date: date | None,
    qualifiers: Sequence[str],
    bundled_line: int | None = None,
    liability: bool = True,
) -> LineAdjudication:
    """2430 from one 835 service line: SVD02 ← SVC03, SVD03 ← SVC01, SVD05 ← SVC05 (1 if absent),
    SVD06 ← `bundled_line`; for an 837I line also SVD04, its revenue code. `qualifiers`: those
    the claim kind's SVD03-01 takes. AMT*EAF ← Σ PR of the line when `liability` (the claim's
    is given at the lines), 0 included: "required when a previous payer has adjudicated this
    claim, including when that amount is zero", at the 2430 when the payer reported its lines (X12
    RFI 1515, 1521; it was left out when 0)."""
    owed = _sum(a.amount for a in service.adjustments if a.group == "PR")
    qualifier: str | None = service.qualifier
    code, modifiers, revenue = service.code, list(service.modifiers), None
    if line.institutional is not None:
        revenue = service.revenue_code or line.institutional.revenue_code
        if qualifier == "NU":  # SVC01 is the revenue code; the 837I SVD03 cannot be NU
            revenue, qualifier, code, modifiers = code, None, None, []
    if qualifier is not None and qualifier not in qualifiers:
        # The payer adjudicated by a code the 837's SVD03 cannot hold (a drug by its NDC, N4: the
        # 837 carries it in the line's LIN, not in SVD03): the code as billed, SVC06, when the 835
        # gives it in a qualifier SVD03 takes, else the line's own procedure (none: no SVD03, as
        # for an 837I line of a revenue code only). The COB claim was refused whole.
        if service.original_qualifier in qualifiers and service.original_code:
            qualifier, code = service.original_qualifier, service.original_code
            modifiers = list(service.original_modifiers)
        else:
            qualifier, code = line.procedure_qualifier, line.procedure_code
            modifiers = line.modifiers
    return LineAdjudication(
        payer_id=payer_id,
        paid=_plain(service.paid),
        qualifier=qualifier,
        code=code,
        modifiers=modifiers,
        revenue_code=revenue,
        units=_plain(service.units) if service.units is not None else Decimal(1),
        bundled_line=bundled_line,
        adjustments=_adjustments(service.adjustments),
        paid_date=paid_date,
        remaining_patient_liability=_plain(owed) if liability else None,
    )


def _match_lines(
    cid: str,
    lines: Sequence[ServiceLine],
    periods: Sequence[Period | None],
    services: Sequence[ServicePayment],
) -> list[list[ServicePayment]]:
    """The 835 service lines of each claim line (none for all when the 835 has no line detail).

    A line is matched by its control number (REF*6R) first, then by the code as billed (SVC06, else
    SVC01), modifiers, charge, service date and units (x12-notes §9.2). The 835 may report one claim
    line as several (unbundled, or split: the 835 guide's "Procedure Code Bundling and Unbundling"
    and "Service Line Splitting"): an 835 line with the REF*6R of a line already matched is one
    more of that line's, and so is one without REF*6R of the line's code as billed with a charge of
    0 (the guide reports the unbundled services after the first at $0.00). Lines that nothing tells
    apart may take each other's 835 lines only when those say the same: else which line the payer
    paid how is not known, and the claim is refused rather than guessed. `periods`: the service
    dates of each line (the claim's for a line without its own).
    """
    found: list[list[ServicePayment]] = [[] for _ in lines]
    if not services:
        return found
    # REF*6R first, for all the 835 lines: a line another 835 line names by its REF*6R is not free
    # for one without (in file order, it could tie with a line alike it, or take its place).
    taken: dict[int, int] = {}  # 835 line → claim line
    control_numbers = {line.control_number for line in lines if line.control_number}
    for i, service in enumerate(services):
        at = _line_by_number(lines, found, service)
        if at is not None:
            taken[i] = at
            found[at].append(service)
        elif control_numbers and service.line_control_number:
            # The payer returns the line control number it received (x12-notes §9.2): one the
            # claim's lines do not have is another claim's line (a claim of the same CLP01), not
            # one to match by its code and charge (the COB tester).
            raise CobError(
                f"claim {cid}: the 835 line {_billed(service)} charged {service.charge} has REF*6R "
                f"{service.line_control_number}, which no line of the claim has: it pays a line "
                "of another claim"
            )
    # Then the others, the one with the fewest lines to choose from first: an 835 line that only
    # one line can be (HC:99213 of an 837I line 0120 with that procedure) is that line's, so the
    # one that could be either (NU:0120) is the other's, not a tie.
    pending = [i for i in range(len(services)) if i not in taken]
    options = {i: _free_lines(lines, periods, found, services[i]) for i in pending}
    ties: list[list[int]] = []
    while pending:
        movable = [i for i in pending if options[i]]
        if movable:
            i = min(movable, key=lambda i: len(options[i]))  # the first of the 835 on a par
            at = options[i][0]
            if len(options[i]) > 1:
                ties.append(options[i])
        else:  # none has a free line left: unbundled services at $0.00, or no match
            i = pending[0]
            found_at = _unbundled_line(lines, periods, found, services[i])
            if found_at is None:
                service = services[i]
                raise CobError(
                    f"claim {cid}: the 835 line {_billed(service)} charged {service.charge} (REF*6R "
                    f"{service.line_control_number or 'none'}) matches no line of the claim by "
                    "code, modifiers, charge and date"
                )
            at = found_at
        pending.remove(i)
        taken[i] = at
        found[at].append(services[i])
        for j in pending:  # the line is no longer free
            if at in options[j]:
                options[j] = _free_lines(lines, periods, found, services[j])
    # Each line's 835 lines in the 835's order (the first of an unbundled line is the one charged).
    found = [[s for i, s in enumerate(services) if taken.get(i) == n] for n in range(len(lines))]
    missing = [str(n) for n, s in enumerate(found, 1) if not s]
    if missing:
        raise CobError(
            f"claim {cid}: line(s) {', '.join(missing)} have no service line in the 835; a COB "
            "claim needs each line's adjudication"
        )
    for tied in ties:
        if len({tuple(_outcome(s) for s in found[n]) for n in tied}) > 1:
            numbers = ", ".join(str(n + 1) for n in tied)
            raise CobError(
                f"claim {cid}: lines {numbers} have the same code, charge, date and units and no "
                "REF*6R, and the 835 adjudicates them differently: which line was paid how is not "
                "known (send line control numbers, REF*6R)"
            )
    return found


def _line_by_number(
    lines: Sequence[ServiceLine], found: list[list[ServicePayment]], service: ServicePayment
) -> int | None:
    """The line of the claim with the 835 line's REF*6R: a free one, else one already matched (one
    more 835 line of that line: unbundled, split)."""
    number = service.line_control_number
    if not number:
        return None
    numbered = [n for n, line in enumerate(lines) if line.control_number == number]
    return next((n for n in numbered if found[n] == []), numbered[0] if numbered else None)


def _candidates(lines: Sequence[ServiceLine], service: ServicePayment) -> list[int]:
    """The lines of the code as billed (SVC06, else SVC01) and modifiers of an 835 line: its
    procedure code with the same modifiers, in any order; or its revenue code (NU) or drug's NDC
    (LIN03; N4), which carry none (the line's HCPCS modifiers are not the 835's to repeat)."""
    code, modifiers = _as_billed(service)
    given = sorted(modifiers)
    return [
        n
        for n, line in enumerate(lines)
        if (code == line.procedure_code and sorted(line.modifiers) == given)
        or (not given and code in (line.revenue_code, line.drug and line.drug.code))
    ]


def _as_billed(service: ServicePayment) -> tuple[str | None, Sequence[str]]:
    """The code as billed of an 835 line and its modifiers: SVC06 when the payer gives it (it paid
    another code), else SVC01."""
    if service.original_code is not None:
        return service.original_code, service.original_modifiers
    return service.code, service.modifiers


def _billed(service: ServicePayment) -> str:
    """The code as billed of an 835 line, with its modifiers, for a message (`99213:25`)."""
    code, modifiers = _as_billed(service)
    # Typed as it was assumed: a line whose SVC01 has no code (None) fails here as before.
    return ":".join([cast(str, code), *modifiers])


def _free_lines(
    lines: Sequence[ServiceLine],
    periods: Sequence[Period | None],
    found: list[list[ServicePayment]],
    service: ServicePayment,
) -> list[int]:
    """The free lines an 835 line without a REF*6R of the claim matches best: of its code as
    billed, modifiers and charge, those that agree the most on service date and units (more than
    one is a tie that `_match_lines` looks at)."""
    scores = {
        n: _agreement(lines[n], periods[n], service)
        for n in _candidates(lines, service)
        if found[n] == [] and lines[n].charge == service.charge
    }
    kept = {n: score for n, score in scores.items() if score is not None}
    best = max(kept.values(), default=None)
    return [n for n, score in kept.items() if score == best]


def _unbundled_line(
    lines: Sequence[ServiceLine],
    periods: Sequence[Period | None],
    found: list[list[ServicePayment]],
    service: ServicePayment,
) -> int | None:
    """The line already matched that an 835 line at $0.00 is one more service of (unbundled: the
    guide reports the services after the first at $0.00)."""
    if service.charge != 0:
        return None
    for n in _candidates(lines, service):
        if found[n] and _dates_agree(periods[n], service) is not False:
            return n
    return None


def _agreement(line: ServiceLine, period: Period | None, service: ServicePayment) -> int | None:
    """How well the claim line and the 835 line agree on service date and units: None when their
    dates differ (not that line); else +1 for the same date, +1 for the same units, -1 for other
    units (a payer may pay fewer units without giving SVC07, the units billed: a hint, not a
    refusal). A key one side does not give counts 0."""
    dates = _dates_agree(period, service)
    if dates is False:
        return None
    units = _units_agree(line, service)
    return (dates is True) + (0 if units is None else 1 if units else -1)


def _dates_agree(period: Period | None, service: ServicePayment) -> bool | None:
    """Whether a line's dates (its DTP*472, else the claim's) and the 835 line's DTM*472 (or
    150/151) share a day; None when either has none."""
    start = service.service_date or service.start_date or service.end_date
    end = service.service_date or service.end_date or service.start_date
    if period is None or start is None or end is None:
        return None
    return start <= (period.end or period.start) and period.start <= end


def _units_agree(line: ServiceLine, service: ServicePayment) -> bool | None:
    """Whether the line's units are the units billed as the 835 gives them: SVC07 (the units billed,
    when the payer paid others), else SVC05, absent when 1 (the 835 guide); None when the line has
    none."""
    billed = service.original_units if service.original_units is not None else service.units
    if line.units is None:
        return None
    return line.units == (billed if billed is not None else 1)


def _outcome(service: ServicePayment) -> tuple[object, ...]:
    """What an 835 line says of its claim line, as the COB claim takes it (SVD, CAS)."""
    adjustments = tuple((a.group, a.reason, a.amount, a.quantity) for a in service.adjustments)
    return (
        service.qualifier,
        service.code,
        tuple(service.modifiers),
        service.revenue_code,
        service.paid,
        service.units,
        adjustments,
    )


def _adjustments(adjustments: Sequence[Adjustment]) -> list[Adjustment]:
    """The adjustments for the 837, those of one group code together (in the order each group
    code first comes, each group's in the 835's order): the 835 may hold one group code in CAS
    apart (CAS*CO~CAS*PR~CAS*CO~, it allows 99 CAS), which packed as they come would make more
    CAS than a 2320 or 2430 allows (5, one per group code, six triplets each). One of 0 is left
    out: the 837's CAS "only contains non-zero adjustments" (its TR3 note 4, quoted in X12 RFI
    1865), and it changes no balance (the COB tester: `CAS*CO*45*15*0*253*0` was copied)."""
    groups: dict[str, list[Adjustment]] = {}
    for adj in adjustments:
        if adj.amount != 0:
            groups.setdefault(adj.group, []).append(_adjustment(adj))
    return [adj for same in groups.values() for adj in same]


def _adjustment(adj: Adjustment) -> Adjustment:
    """The adjustment for the 837, without the CAS of the 835 that held it (`segment`): a claim
    built is written as edi writes new claims: packed, up to six triplets of one group code a CAS."""
    return Adjustment(
        group=adj.group,
        reason=adj.reason,
        amount=_plain(adj.amount),
        quantity=_plain(adj.quantity) if adj.quantity is not None else None,
    )


_Remarks = TypeVar("_Remarks", InpatientAdjudication, OutpatientAdjudication)


def _copy(model: _Remarks | None) -> _Remarks | None:
    """A fresh copy of MIA / MOA, without the layout notes of the 835 it was read from."""
    return None if model is None else type(model).model_validate(model.model_dump())


def _inpatient(model: InpatientAdjudication | None) -> InpatientAdjudication | None:
    """The 835 MIA for the 2320 MIA (837I): all but MIA02, the PPS operating outlier amount, which
    the 837I guide does not use (the 2320 MIA has no MIA02); kept, it made the COB claim fail its
    check, so that an inpatient claim with an outlier payment got no COB claim."""
    copied = _copy(model)
    if copied is not None and copied.pps_operating_outlier_amount is not None:
        copied.pps_operating_outlier_amount = None
    return copied


def _plain(value: Decimal) -> Decimal:
    """The same amount without trailing zeros or exponent: 120.00 → 120, 12.50 → 12.5."""
    text = format(value.normalize(), "f")
    return Decimal(text)


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


__all__ = ["CobError", "Coverage", "secondary_claim"]
