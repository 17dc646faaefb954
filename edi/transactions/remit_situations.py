"""Situational rules of 005010X221A1 that the map does not carry: how the BPR's handling code,
amount and payment method go together, and when the sender's bank account is sent (SNIP 4).

The map (`maps/835.5010.X221.A1.full.txt`) marks BPR05-BPR15 situational without saying when; the
guide's notes do. Only notes quoted in a public X12 interpretation (RFI) are checked here:
- RFI 2228 (005010X221): BPR01 `H` is for "when the actual provider payment (BPR02) is zero and the
  transaction is not being used for prenotification"; BPR04 `NON` is for "when the Transaction
  Handling Code (BPR01) is H"; a BPR02 of 0 is compliant only with BPR01 `H` (and BPR04 `NON`) or
  with BPR01 `P` (a prenotification).
- RFI 473 quotes the 5010 note of BPR09: "Required when BPR04 is ACH, BOP or FWT. If not required
  by this implementation guide, do not send."
- The guide's note of BPR02, quoted in public 835 references: "The total payment amount for this
  835 cannot exceed eleven characters, including decimals (99999999.99). Although the value can be
  zero, the 835 cannot be issued for less than zero dollars." (Reversals that leave less than
  nothing to pay are carried forward with a PLB FB instead: x12-notes §9.4.) Its upper bound is
  HIPAA's for every monetary amount, which the element checks hold (`x12_syntax.MONEY_RULE`).
The notes of the other bank elements (BPR05-BPR08, BPR10-BPR15) are not public here: not checked.

And of a claim payment (x12-notes §9.3; and no statement or service period that ends before it
starts, as the 837 checks hold an RD8):
- RFI 1981: NM1*TT (the crossover carrier) is required with CLP02 19, 20, 21 and 23 (a claim the
  payer forwarded), and sent with no other (not on a reversal, 22, nor a claim the payer kept);
- RFI 1733 and 1429: a reversal (22) sends the original's amounts negated, so its charge (CLP03, a
  claim's charge negated) is not above zero;
- a claim the payer pays nothing on by its status pays nothing (CLP04 0): 25 is "predetermination
  pricing only - no payment" (the code's name, X12 element 1029), 23 "not our claim, forwarded"
  (x12-notes §9.3: "No money"). Paid, the amount would be in BPR02 but posted to no claim.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from edi import codes
from edi.models.remittance import ClaimPayment
from edi.transactions.remit835 import GUIDE_VERSION as GUIDE
from edi.transactions.remit_rules import shown
from edi.x12.segment import Segment

_BANK_METHODS = ("ACH", "BOP", "FWT")  # payment methods that move money through a bank (RFI 473)


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:  # not a number: the models never write one; nothing to say here
        return None


def bpr_problems(bpr: Segment, at: str) -> Iterator[str]:
    """The situational rules a written BPR breaks, each starting with `at` (`"835 0001: "`)."""
    handling, amount, method = bpr.element(1), bpr.element(2), bpr.element(4)
    value = _amount(amount)
    zero = value == 0
    if value is not None and value < 0:
        yield (
            f"{at}BPR02 {amount} is less than zero; {GUIDE} never issues an 835 for less than "
            "zero dollars (carry the balance forward with a PLB FB)"
        )
    if handling == "H" and not zero:
        yield (
            f"{at}BPR01 'H' (notification only) with BPR02 {amount}; {GUIDE} uses H only when "
            "nothing is paid (RFI 2228)"
        )
    if handling == "H" and method != "NON":
        yield f"{at}BPR01 'H' (notification only) with BPR04 {shown(method)}; {GUIDE} takes NON (RFI 2228)"
    if method == "NON" and handling != "H":
        yield f"{at}BPR04 'NON' (no payment) with BPR01 {shown(handling)}; {GUIDE} takes H (RFI 2228)"
    if zero and handling not in ("H", "P"):
        yield (
            f"{at}BPR02 is 0 with BPR01 {shown(handling)}; {GUIDE} sends a remittance without payment "
            "with BPR01 H and BPR04 NON, or BPR01 P for a prenotification (RFI 2228)"
        )
    if method not in codes.PAYMENT_METHODS:  # the code-list check says so; nothing to add
        return
    has_account = bool(bpr.element(9))
    if method in _BANK_METHODS and not has_account:
        yield (
            f"{at}BPR without BPR09 (sender bank account number); {GUIDE} requires it when BPR04 "
            "is ACH, BOP or FWT (RFI 473)"
        )
    elif has_account and method not in _BANK_METHODS:
        yield (
            f"{at}BPR has BPR09 (sender bank account number) with BPR04 {shown(method)}; {GUIDE} "
            "sends it only when BPR04 is ACH, BOP or FWT (RFI 473)"
        )


_FORWARDED = ("19", "20", "21", "23")  # CLP02: a claim the payer forwarded to the next payer
_REVERSAL = "22"
_NO_PAYMENT = ("23", "25")  # CLP02: not our claim, forwarded; predetermination pricing only


def claim_problems(claim: ClaimPayment, at: str) -> Iterator[str]:
    """The situational rules a claim payment breaks, each starting with `at` (`"835 0001 claim
    PCN1 (#1): "`)."""
    status = claim.status
    if status in _FORWARDED and claim.crossover_carrier is None:
        yield (
            f"{at}CLP02 {status} ({codes.name(codes.CLAIM_STATUS, status)}) without NM1*TT "
            f"(crossover carrier); {GUIDE} requires it with 19, 20, 21 and 23 (RFI 1981)"
        )
    elif status and status not in _FORWARDED and claim.crossover_carrier is not None:
        # "Required when the claim is transferred to another carrier or coverage (CLP02 equals 19,
        # 20, 21 or 23). If not required by this implementation guide, do not send." (RFI 1981)
        yield (
            f"{at}NM1*TT (crossover carrier) with CLP02 {status} "
            f"({codes.name(codes.CLAIM_STATUS, status)}); {GUIDE} sends it only when the payer "
            "forwarded the claim, 19, 20, 21 and 23 (RFI 1981)"
        )
    if status == _REVERSAL:
        if claim.charge > 0:
            yield (
                f"{at}CLP02 22 (reversal) with CLP03 {claim.charge:f} above zero; a reversal sends "
                "the original's amounts negated (RFI 1733, 1429)"
            )
    if status in _NO_PAYMENT and claim.paid != 0:
        yield (
            f"{at}CLP02 {status} ({codes.name(codes.CLAIM_STATUS, status)}) with CLP04 "
            f"{claim.paid:f}; a claim of that status pays nothing: CLP04 is 0 (x12-notes §9.3)"
        )
    # A period that ends before it starts (the dates are not quoted: PHI), as the 837 checks say
    # of an RD8: the claim's statement period and each line's service period.
    start, end = claim.statement_from, claim.statement_to
    if start is not None and end is not None and end < start:
        yield f"{at}DTM*233 (statement to) is before DTM*232 (statement from)"
    line_at = at.removesuffix(": ")
    for n, service in enumerate(claim.services, 1):
        start, end = service.start_date, service.end_date
        if start is not None and end is not None and end < start:
            yield f"{line_at} line {n}: DTM*151 (service end) is before DTM*150 (service start)"


__all__ = ["bpr_problems", "claim_problems"]
