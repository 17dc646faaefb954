"""`secondary_claim`: the COB claim for the next payer, from the primary payer's 835 (x12-notes §9.6).

The expected claims are the hand-written COB fixtures (`fixtures/837p/cob_secondary`, built by hand
from `fixtures/835/partly_paid.x12`; `fixtures/837i/cob_secondary`, from `fixtures/835/remarks.x12`).
The primary claims are those fixtures as they were before the primary paid: the prior payer's coverage
back as subscriber and payer, and no prior payer or line adjudication.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import edi
from edi.models.claim_lines import Drug
from edi.models.claim_parties import ClaimPayer, Patient, Receiver, Subscriber
from edi.models.remittance import Adjustment, ServicePayment
from tests import pyx12_oracle
from tests.helpers import laid_out
from tests.strategies_837 import claim_lists

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def dump(claim: edi.Claim) -> dict[str, Any]:
    data = claim.model_dump(mode="json", exclude_defaults=True)
    data.pop("envelope", None)  # where a claim read from a file came from
    return data


def primary_of(secondary: edi.Claim) -> edi.Claim:
    """The claim as first sent: the prior payer's coverage is the claim's own again."""
    (prior,) = secondary.prior_payers
    other = prior.other_subscriber
    subscriber = Subscriber.model_validate(
        {
            **secondary.subscriber.model_dump(exclude_defaults=True),
            "payer_responsibility": prior.payer_responsibility,
            "group_number": prior.group_number,
            "filing_indicator": prior.filing_indicator,
            "member_id": other.member_id,
        }
    )
    payer = ClaimPayer(name=prior.other_payer.name, id=prior.other_payer.id)
    lines = [line.model_copy(update={"adjudications": []}) for line in secondary.lines]
    return secondary.model_copy(
        update={"subscriber": subscriber, "payer": payer, "prior_payers": [], "lines": lines}
    )


def cases(
    kind: str, remit: str
) -> list[tuple[edi.Claim, edi.Claim, edi.ClaimPayment, edi.Remittance]]:
    (remittance,) = edi.read_remittances(FIXTURES / "835" / f"{remit}.x12")
    payments = {c.patient_control_number: c for c in remittance.claims}
    expected = edi.load_claims(FIXTURES / kind / "cob_secondary.json")
    return [(primary_of(e), e, payments[e.id], remittance) for e in expected]


@pytest.mark.parametrize(("kind", "remit"), [("837p", "partly_paid"), ("837i", "remarks")])
def test_the_cob_claims_of_the_fixtures_are_built_from_the_835(kind: str, remit: str) -> None:
    for primary, expected, payment, remittance in cases(kind, remit):
        built = edi.secondary_claim(
            primary,
            payment,
            remittance,
            subscriber=expected.subscriber,
            payer=expected.payer,
            header=expected.header,
        )
        # Built, its CAS are packed (no `segment`), as the fixture's are: numbered as it reads.
        assert dump(laid_out(built)) == dump(expected)
        assert edi.check_claims([built]) == []
        assert primary.prior_payers == []  # the claim given is left as it was
        assert all(line.adjudications == [] for line in primary.lines)


def test_what_the_cob_claim_says() -> None:
    """x12-notes §9.6, field by field, on PCN2001 of partly_paid.x12 (two lines, REF*6R, recoded)."""
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    built = edi.secondary_claim(
        primary, payment, remittance, subscriber=expected.subscriber, payer=expected.payer
    )
    (prior,) = built.prior_payers
    assert (prior.payer_responsibility, prior.group_number, prior.paid) == ("P", "GRP2001", 120)
    # The remaining patient liability and the adjudication date at one level: the lines', which
    # have 2430s (2330B DTP*573 "required when ... Loop ID-2430 ... is not used"; clearinghouses
    # reject either at both levels).
    assert prior.remaining_patient_liability is None
    assert str(prior.paid) == "120"  # 120.00 in the 835, written without trailing zeros
    assert (
        prior.other_payer.id == "EXAMPLEHP01"
        and prior.other_payer.claim_control_number == "ICN2001"
    )
    assert prior.other_subscriber.member_id == "MBR2001"
    assert prior.other_payer.paid_date is None
    assert [str(line.adjudications[0].paid_date) for line in built.lines] == ["2024-03-05"] * 2
    first = built.lines[0].adjudications[0]
    # The payer recoded 99215 as 99214 (SVC06 = as billed): SVD03 is what it adjudicated.
    assert (first.code, first.paid, first.units) == ("99214", 100, 1)
    assert [(a.group, a.reason, a.amount) for a in first.adjustments] == [
        ("CO", "45", 50),
        ("PR", "2", 30),
    ]
    assert first.remaining_patient_liability == 30  # the line's PR: 30 + 20 = 50 = CLP05
    assert built.lines[1].adjudications[0].remaining_patient_liability == 20
    assert built.header == primary.header and built.envelope is None
    # Made here, not read: a COB claim made of a claim read from an 837 is nowhere in that file.
    (read,) = edi.read_claims(edi.write_837([primary]))
    assert read.read_at is not None and read.read_at.segment_id == "CLM"
    again = edi.secondary_claim(
        read, payment, remittance, subscriber=expected.subscriber, payer=expected.payer
    )
    assert again.read_at is None and read.read_at is not None


@pytest.mark.parametrize(
    ("receiver", "becomes_next_payer"),
    [
        # The payer that paid, by its id (2010BB NM109 = 1000B NM109) ...
        (Receiver(name="BIG PAYER", id_qualifier="46", id="EXAMPLEHP01"), True),
        # ... or by its name, under an ETIN that is not its payer id (as in the fixtures).
        (Receiver(name="Example Health Plan", id_qualifier="46", id="EXAMPLEPAYER"), True),
        (Receiver(name="EXAMPLE HEALTH PLAN"), True),
        # Someone else: a clearinghouse receives the next payer's claims too.
        (Receiver(name="EXAMPLE CLEARINGHOUSE", id_qualifier="46", id="CLEARING1"), False),
    ],
)
def test_the_receiver_of_the_cob_claim(receiver: Receiver, becomes_next_payer: bool) -> None:
    """The COB 837 goes to the next payer: a 1000B that named the payer that paid names it instead
    (its name, and its id under 46), unless a header is given; any other receiver is kept."""
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    assert (primary.payer.name, primary.payer.id) == ("EXAMPLE HEALTH PLAN", "EXAMPLEHP01")
    primary = primary.model_copy(
        update={"header": primary.header.model_copy(update={"receiver": receiver})}
    )
    next_payer = ClaimPayer(name="SECOND PAYER", id="SECP")
    built = edi.secondary_claim(
        primary, payment, remittance, subscriber=expected.subscriber, payer=next_payer
    )
    if becomes_next_payer:
        assert built.header.receiver == Receiver(
            entity_type="2", name="SECOND PAYER", id_qualifier="46", id="SECP"
        )
        assert "NM1*40*2*SECOND PAYER*****46*SECP~" in edi.write_837([built])
    else:
        assert built.header == primary.header
    assert built.header.submitter == primary.header.submitter
    assert primary.header.receiver is receiver  # the claim given is left as it was
    # A header given is used as it is.
    given_header = primary.header.model_copy(update={"reference": "BATCH9"})
    built = edi.secondary_claim(
        primary,
        payment,
        remittance,
        subscriber=expected.subscriber,
        payer=next_payer,
        header=given_header,
    )
    assert built.header is given_header


def test_lines_match_by_code_and_charge_without_control_numbers() -> None:
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    lines = [line.model_copy(update={"control_number": None}) for line in primary.lines]
    services = [s.model_copy(update={"line_control_number": None}) for s in payment.services]
    built = edi.secondary_claim(
        primary.model_copy(update={"lines": lines}),
        payment.model_copy(update={"services": services}),
        remittance,
        subscriber=expected.subscriber,
        payer=expected.payer,
    )
    assert [line.adjudications[0].paid for line in built.lines] == [100, 20]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"patient_control_number": "PCN9999"}, "the payment is for claim PCN9999"),
        ({"status": "22"}, "CLP02 22 is a reversal"),
        ({"status": "19"}, "forwarded to the next payer: do not send your own claim"),
        # x12-notes §9.3: 20, 21 forwarded; 23 not this payer's; 25 an estimate, no money posted
        ({"status": "20"}, "CLP02 20 is processed as secondary and forwarded to the next payer"),
        ({"status": "21"}, "CLP02 21 is processed as tertiary and forwarded to the next payer"),
        ({"status": "23"}, r"CLP02 23 is not this payer's claim \(forwarded to another payer\)"),
        ({"status": "25"}, "CLP02 25 is predetermination pricing only, with no payment"),
        ({"services": []}, None),  # no line detail: claim level only, which is fine
        # Another claim with the same account number (x12-notes §9.2: the charge is the next key).
        (
            {"charge": Decimal("90")},
            r"the payment's charge \(CLP03 90\) is not the claim's \(CLM02 250\): it is "
            r"another claim's payment, or pays part of this one \(a claim the payer split, lines "
            r"paid in another 835\), which edi cob does not combine into one COB claim$",
        ),
    ],
)
def test_payments_that_make_no_cob_claim_are_refused(
    change: dict[str, Any], message: str | None
) -> None:
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    changed = payment.model_copy(update=change)
    call = lambda: edi.secondary_claim(  # noqa: E731
        primary, changed, remittance, subscriber=expected.subscriber, payer=expected.payer
    )
    if message is None:
        assert all(line.adjudications == [] for line in call().lines)
        return
    with pytest.raises(edi.CobError, match=message):
        call()


def test_a_remittance_holding_a_payment_of_the_claim_not_read_makes_no_cob_claim() -> None:
    """Another payment of the claim that could not be read (`unread_claims`) may be the reversal of
    the one given: no COB claim is made from it. One of another claim does not matter."""
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]

    def call(unread: str) -> edi.Claim:
        broken = edi.UnreadClaim(patient_control_number=unread, segment=50, reason="broken")
        incomplete = remittance.model_copy(update={"unread_claims": [broken]})
        return edi.secondary_claim(
            primary, payment, incomplete, subscriber=expected.subscriber, payer=expected.payer
        )

    whole = edi.secondary_claim(
        primary, payment, remittance, subscriber=expected.subscriber, payer=expected.payer
    )
    assert dump(call("PCN9999")) == dump(whole)
    with pytest.raises(edi.CobError, match="another payment for it that could not be read"):
        call(primary.id)


def _second_line_paid_as(
    other: ServicePayment,
    primary: edi.Claim,
    expected: edi.Claim,
    payment: edi.ClaimPayment,
    remittance: edi.Remittance,
) -> edi.Claim:
    """The COB claim of `primary` when its payment's second service line is `other`."""
    return edi.secondary_claim(
        primary,
        payment.model_copy(update={"services": [payment.services[0], other]}),
        remittance,
        subscriber=expected.subscriber,
        payer=expected.payer,
    )


def test_an_835_line_that_matches_no_claim_line_is_named() -> None:
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    other = payment.services[1].model_copy(
        update={"line_control_number": None, "charge": Decimal(71)}
    )
    with pytest.raises(
        edi.CobError, match=r"the 835 line 80053 charged 71 \(REF\*6R none\) matches no line"
    ):
        _second_line_paid_as(other, primary, expected, payment, remittance)


def test_an_835_line_with_a_control_number_the_claim_lacks_is_refused() -> None:
    """The payer returns the REF*6R it received (x12-notes §9.2). An 835 line whose REF*6R no line
    of the claim has, though code and charge fit, pays a line of another claim of that CLP01: it
    had been matched by code and charge without a word (the COB tester)."""
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    assert primary.lines[1].control_number == payment.services[1].line_control_number
    other = payment.services[1].model_copy(update={"line_control_number": "X2"})
    with pytest.raises(
        edi.CobError, match=r"80053 charged 70.00 has REF\*6R X2, which no line of the claim has"
    ):
        _second_line_paid_as(other, primary, expected, payment, remittance)
    # Claim lines without control numbers: the 835's are not theirs to contradict.
    lines = [line.model_copy(update={"control_number": None}) for line in primary.lines]
    built = edi.secondary_claim(
        primary.model_copy(update={"lines": lines}),
        payment.model_copy(update={"services": [payment.services[0], other]}),
        remittance,
        subscriber=expected.subscriber,
        payer=expected.payer,
    )
    assert [len(line.adjudications) for line in built.lines] == [1, 1]


def test_a_next_payer_that_already_adjudicated_the_claim_is_refused() -> None:
    """The next coverage's payer id (NM109) is the payer of the 835 or a prior payer's (2330B):
    it would be billed again for what it adjudicated (the COB tester)."""
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    again = expected.payer.model_copy(update={"id": primary.payer.id})
    with pytest.raises(edi.CobError, match="is the payer of the 835 or a prior payer"):
        edi.secondary_claim(
            primary, payment, remittance, subscriber=expected.subscriber, payer=again
        )
    secondary = edi.secondary_claim(
        primary, payment, remittance, subscriber=expected.subscriber, payer=expected.payer
    )
    assert secondary.prior_payers[0].other_payer.id == primary.payer.id
    # A 2320 of the next payer that has not adjudicated the claim (no AMT*D, CAS or 2430) is other
    # coverage known, not a prior payer: not refused for it (the reviewer).
    known = secondary.prior_payers[0].model_copy(
        update={
            "paid": None,
            "adjustments": [],
            "other_payer": secondary.prior_payers[0].other_payer.model_copy(
                update={"id": expected.payer.id, "claim_control_number": None}
            ),
        }
    )
    edi.secondary_claim(
        primary.model_copy(update={"prior_payers": [known]}),
        payment,
        remittance,
        subscriber=expected.subscriber,
        payer=expected.payer,
    )
    # A tertiary coverage naming the primary: a prior payer of the secondary claim.
    tertiary = expected.subscriber.model_copy(update={"payer_responsibility": "T"})
    answer = payment.model_copy(update={"status": "2", "payer_claim_control_number": "ICN-S"})
    with pytest.raises(edi.CobError, match=r"NM109 EXAMPLEHP01\) is the payer of the 835 or a"):
        edi.secondary_claim(
            secondary.model_copy(update={"payer": expected.payer.model_copy(update={"id": "SEC"})}),
            answer,
            remittance.model_copy(update={"claims": [answer]}),
            subscriber=tertiary,
            payer=again,
            same_payer=False,
        )


def test_a_next_subscriber_that_is_the_patient_must_be_the_claims_patient() -> None:
    """SBR02 18 says the next subscriber is the patient: one of another birth date, or no word of
    the last name in common, is another person's coverage (one coverage given for the claims of
    two patients billed one patient's claim on the other's membership: the COB tester). Said
    without either person's name or date."""
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    assert expected.subscriber.relationship == "18" and primary.subscriber.relationship == "18"
    born = expected.subscriber.model_copy(update={"birth_date": date(1988, 8, 8)})
    named = expected.subscriber.model_copy(update={"last_name": "DELTA", "birth_date": None})
    for other, differs in ((born, "birth date"), (named, "last name")):
        with pytest.raises(edi.CobError) as caught:
            edi.secondary_claim(
                primary, payment, remittance, subscriber=other, payer=expected.payer
            )
        message = str(caught.value)
        assert f"its {differs} (" in message and "is not the claim's patient's" in message
        assert "DELTA" not in message and "BRAVO" not in message and "1988" not in message
    # Another spelling that keeps a word of the last name, and no birth date given: the same person.
    hyphened = expected.subscriber.model_copy(
        update={"last_name": f"{primary.subscriber.last_name}-SMITH", "birth_date": None}
    )
    built = edi.secondary_claim(
        primary, payment, remittance, subscriber=hyphened, payer=expected.payer
    )
    assert built.subscriber.last_name.endswith("-SMITH")
    # The same letters spelled apart (O'BRIEN, OBRIEN), or the same birth date: the same person
    # (the reviewer: O'BRIEN had been refused).
    apart = primary.subscriber.last_name.replace("T", "T'", 1)
    assert apart != primary.subscriber.last_name
    for other in (
        expected.subscriber.model_copy(update={"last_name": apart, "birth_date": None}),
        expected.subscriber.model_copy(update={"last_name": "ANOTHERNAME"}),  # the same birth date
    ):
        edi.secondary_claim(primary, payment, remittance, subscriber=other, payer=expected.payer)


def test_a_claim_line_the_835_did_not_adjudicate_is_named() -> None:
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    with pytest.raises(edi.CobError, match=r"line\(s\) 2 have no service line in the 835"):
        edi.secondary_claim(
            primary,
            payment.model_copy(update={"services": payment.services[:1]}),
            remittance,
            subscriber=expected.subscriber,
            payer=expected.payer,
        )


@pytest.mark.parametrize("relationship", [None, "01"])
def test_a_new_subscriber_who_is_not_the_patient_needs_the_patient(
    relationship: str | None,
) -> None:
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    spouse = expected.subscriber.model_copy(update={"relationship": relationship})
    with pytest.raises(edi.CobError, match="the patient is needed"):
        edi.secondary_claim(primary, payment, remittance, subscriber=spouse, payer=expected.payer)
    patient = Patient(relationship="01", last_name="TESTPATIENT", first_name="BRAVO")
    built = edi.secondary_claim(
        primary, payment, remittance, subscriber=spouse, payer=expected.payer, patient=patient
    )
    assert built.patient == patient and built.prior_payers[0].relationship == "18"


def test_a_dependant_with_own_next_coverage_is_its_subscriber() -> None:
    """A dependant (2000C) of the primary subscriber is the subscriber of the next coverage."""
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    patient = Patient(relationship="19", last_name="TESTPATIENT", first_name="BRAVO")
    dependant = primary.model_copy(
        update={
            "patient": patient,
            "subscriber": primary.subscriber.model_copy(update={"relationship": None}),
        }
    )
    built = edi.secondary_claim(
        dependant, payment, remittance, subscriber=expected.subscriber, payer=expected.payer
    )
    assert built.patient is None and built.subscriber.is_patient
    assert (
        built.prior_payers[0].relationship == "19"
    )  # the patient's relationship to the old insured
    assert edi.check_claims([built]) == []


# -- random claims, random primary payments ----------------------------------------------------------


@st.composite
def paid_claims(draw: st.DrawFn, kind: str) -> tuple[edi.Claim, edi.ClaimPayment]:
    """A claim never sent before, and a balanced primary payment for it with line detail."""
    claim = draw(claim_lists(kind))[0]
    lines = [line.model_copy(update={"adjudications": []}) for line in claim.lines]
    # Lines without REF*6R that nothing else tells apart, paid differently, are refused (which was
    # paid how is not known): such a line gets a control number.
    keys: set[tuple[object, ...]] = set()
    for n, line in enumerate(lines, 1):
        key = (line.procedure_code, line.revenue_code, tuple(line.modifiers), line.charge)
        key += (line.service_date, line.units)
        if line.control_number is None and key in keys:
            line.control_number = f"TIE{n}"
        keys.add(key)
    # Sent to its primary payer (a claim to a later payer names the earlier ones in its 2320s).
    subscriber = claim.subscriber.model_copy(
        update={"payer_responsibility": "P", "insurance_type": None}
    )
    claim = claim.model_copy(
        update={"prior_payers": [], "lines": lines, "envelope": None, "subscriber": subscriber}
    )
    services = []
    for line in claim.lines:
        cents = int(line.charge * 100)
        paid = draw(st.integers(0, cents))
        co = draw(st.integers(0, cents - paid))
        pr = cents - paid - co
        adjustments = [
            Adjustment(group=group, reason=reason, amount=Decimal(amount) / 100)
            for group, reason, amount in (("CO", "45", co), ("PR", "2", pr))
            if amount
        ]
        services.append(
            ServicePayment(
                qualifier=line.procedure_qualifier or "NU",
                code=line.procedure_code or line.revenue_code,
                modifiers=line.modifiers,
                charge=line.charge,
                paid=Decimal(paid) / 100,
                revenue_code=line.revenue_code,
                adjustments=adjustments,
                line_control_number=line.control_number,
                # DTM*472 (150/151 for a range) and SVC05, as the payer returns them: lines without
                # REF*6R are told apart by them (x12-notes §9.2).
                **_dates_and_units(line),
            )
        )
    payment = edi.ClaimPayment(
        patient_control_number=claim.id,
        # CLP02: the payer processed the claim in the order it was sent to it (SBR01).
        status={"S": "2", "T": "3"}.get(claim.subscriber.payer_responsibility or "P", "1"),
        charge=claim.total_charge,
        paid=sum((s.paid for s in services), Decimal(0)),
        payer_claim_control_number=draw(st.none() | st.just("ICN1")),
        services=services,
    )
    return claim, payment


def _dates_and_units(line: edi.ServiceLine) -> dict[str, Any]:
    out: dict[str, Any] = {"units": line.units}
    period = line.service_date
    if period is not None and period.end is None:
        out["service_date"] = period.start
    elif period is not None:
        out.update(start_date=period.start, end_date=period.end)
    return out


def _remittance_of(claim: edi.Claim, payment: edi.ClaimPayment) -> edi.Remittance:
    """partly_paid.x12 as the 835 of the claim's payer (an 835 of another payer is refused) that
    pays `payment` alone, and balances (an 835 that does not, or lacks it, makes no COB claim)."""
    (remittance,) = edi.read_remittances(FIXTURES / "835" / "partly_paid.x12")
    payer = remittance.payer.model_copy(update={"name": claim.payer.name})
    paid = remittance.payment.model_copy(update={"amount": payment.paid})
    return remittance.model_copy(
        update={"payer": payer, "claims": [payment], "provider_adjustments": [], "payment": paid}
    )


def _as_original(
    claim: edi.Claim, payment: edi.ClaimPayment, remittance: edi.Remittance
) -> edi.Claim:
    """`claim` as an original (CLM05-03 1, no REF*F8): a replacement or void is refused, its REF*F8
    being the paying payer's claim number and not the next payer's."""
    if claim.frequency_code not in ("7", "8") and not claim.payer_claim_control_number:
        return claim
    with pytest.raises(edi.CobError, match=r"a claim of the payer's claim number \(REF\*F8"):
        secondary = _secondary(claim)
        edi.secondary_claim(
            claim, payment, remittance, subscriber=secondary, payer=ClaimPayer(name="N", id="N1")
        )
    return claim.model_copy(update={"frequency_code": "1", "payer_claim_control_number": None})


def _secondary(claim: edi.Claim) -> edi.Subscriber:
    """The claim's subscriber for the next payer; Medicare after the first says why in its
    insurance type (837P SBR05: `claim_checks._check_insurance_type`)."""
    update: dict[str, object] = {"payer_responsibility": _next_payer(claim)}
    if claim.kind == "professional" and claim.subscriber.filing_indicator in ("MA", "MB"):
        update["insurance_type"] = "12"
    return claim.subscriber.model_copy(update=update)


def _next_payer(claim: edi.Claim) -> str:
    """The payer responsibility of the payer after the claim's (each payer of a claim has its own)."""
    return {"P": "S", "S": "T", "T": "A"}[claim.subscriber.payer_responsibility or "P"]


@pytest.mark.parametrize("kind", ["professional", "institutional", "dental"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_cob_claims_balance_and_round_trip(kind: str, data: st.DataObject) -> None:
    claim, payment = data.draw(paid_claims(kind))
    remittance = _remittance_of(claim, payment)
    claim = _as_original(claim, payment, remittance)
    secondary = _secondary(claim)
    cob = edi.secondary_claim(
        claim, payment, remittance, subscriber=secondary, payer=ClaimPayer(name="NEXT", id="NEXT1")
    )
    assert edi.check_claims([cob]) == []  # x12-notes §8.2 rules 2-4, per line and per payer
    # No CLP05 in these payments: AMT*EAF is the patient's share, Σ PR (x12-notes §9.6), given at
    # every line when the payer adjudicated lines, 0 included (RFI 1515), else for the claim.
    patient_share = sum(
        (a.amount for s in payment.services for a in s.adjustments if a.group == "PR"), Decimal(0)
    )
    prior = cob.prior_payers[-1]
    by_line = [
        a for line in cob.lines for a in line.adjudications if a.payer_id == prior.other_payer.id
    ]
    if by_line:
        assert prior.remaining_patient_liability is None and prior.other_payer.paid_date is None
        owed = [a.remaining_patient_liability for a in by_line]
        assert None not in owed
        assert sum(owed, Decimal(0)) == patient_share  # type: ignore[arg-type]
    else:
        assert prior.remaining_patient_liability == patient_share
    (back,) = edi.read_claims(edi.write_837([cob]))
    assert dump(back) == dump(laid_out(cob))  # read, each CAS is numbered


@pytest.mark.parametrize("kind", ["professional", "institutional"])
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # pyx12 is too slow to shrink with
)
@given(data=st.data())
def test_pyx12_accepts_random_cob_claims(kind: str, data: st.DataObject) -> None:
    claim, payment = data.draw(paid_claims(kind))
    remittance = _remittance_of(claim, payment)
    claim = _as_original(claim, payment, remittance)
    secondary = _secondary(claim)
    cob = edi.secondary_claim(
        claim, payment, remittance, subscriber=secondary, payer=ClaimPayer(name="NEXT", id="NEXT1")
    )
    assert pyx12_oracle.errors(edi.write_837([cob])) == []


def test_claim_level_cob_balances_to_the_claim_charge() -> None:
    """x12-notes §8.2 rule 4 holds for a prior payer without 2430 lines too: CLM02 = AMT*D + Σ 2320
    CAS (it was only checked when the payer had line adjudications)."""
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    # The same payment without line detail: its line adjustments reported at claim level.
    line_cas = [a for service in payment.services for a in service.adjustments]
    claim_level = payment.model_copy(
        update={"services": [], "adjustments": [*payment.adjustments, *line_cas]}
    )
    alone = remittance.model_copy(update={"claims": [claim_level]})
    assert [p for p in edi.balance_problems(alone) if "claim" in p] == []  # the claim balances
    built = edi.secondary_claim(
        primary,
        claim_level,
        remittance,
        subscriber=expected.subscriber,
        payer=expected.payer,
    )
    assert edi.check_claims([built]) == []
    prior = built.prior_payers[-1]
    prior.paid = prior.paid - 1
    assert edi.check_claims([built]) == [
        f"claim {built.id}: prior payer {prior.other_payer.id}: paid {prior.paid} + adjustments "
        f"{prior.adjustment_total} ≠ total charge {built.total_charge}"
    ]


def test_one_group_code_in_cas_apart_in_the_835_makes_one_cas_in_the_cob_claim() -> None:
    """An 835 may hold one group code in CAS apart (CAS*CO~CAS*PR~CAS*CO~: it allows 99 CAS a
    loop); the 2320 and 2430 allow 5, one per group code: the COB claim puts the triplets of one
    group code together, rather than 6 CAS a check refuses (the claim was left out)."""
    primary, expected, payment, remittance = cases("837p", "partly_paid")[1]
    layout = [("CO", "45", 5), ("PR", "3", 15), ("CO", "253", 5), ("OA", "23", 0)]
    layout += [("PI", "1", 0), ("CO", "45", 5)]
    payment = payment.model_copy(
        update={
            "adjustments": [
                Adjustment(group=g, reason=r, amount=Decimal(a), segment=n)
                for n, (g, r, a) in enumerate(layout, 1)
            ]
        }
    )
    service = remittance.claims[0].services[0]
    service.adjustments = [
        Adjustment(group=g, reason=r, amount=Decimal(a), segment=n)
        for n, (g, r, a) in enumerate(
            [("CO", "45", 40), ("PR", "2", 10), ("CO", "45", 10), ("PR", "2", 20)], 1
        )
    ]
    built = edi.secondary_claim(
        primary, payment, remittance, subscriber=expected.subscriber, payer=expected.payer
    )
    (prior,) = built.prior_payers
    assert [(a.group, a.reason, a.amount, a.segment) for a in prior.adjustments] == [
        ("CO", "45", 5, None),
        ("CO", "253", 5, None),
        ("CO", "45", 5, None),
        ("PR", "3", 15, None),
    ]  # (OA 23 and PI 1 of 0 left out: the 837's CAS holds non-zero adjustments, RFI 1865)
    assert edi.check_claims([built]) == []
    text = edi.write_837([built])
    assert "CAS*CO*45*5**253*5**45*5~\nCAS*PR*3*15~\nAMT" in text
    primary1, expected1, payment1, _ = cases("837p", "partly_paid")[0]
    payment1.services[0].adjustments = service.adjustments
    built1 = edi.secondary_claim(
        primary1, payment1, remittance, subscriber=expected1.subscriber, payer=expected1.payer
    )
    adjudication = built1.lines[0].adjudications[0]
    assert [(a.group, a.amount) for a in adjudication.adjustments] == [
        ("CO", 40),
        ("CO", 10),
        ("PR", 10),
        ("PR", 20),
    ]
    assert "CAS*CO*45*40**45*10~\nCAS*PR*2*10**2*20~\n" in edi.write_837([built1])


@pytest.mark.parametrize("control_numbers", [True, False])
def test_a_line_the_payer_unbundled_gets_a_2430_per_835_line(control_numbers: bool) -> None:
    """The 835 guide lets a payer report one claim line as several (Procedure Code Bundling and
    Unbundling: the first with the charge as billed, the others at $0.00, each with SVC06 the code
    billed). Each is a 2430 of that line, with SVD06 its line number, and together they balance to
    its charge (x12-notes §8.2 rule 2). The COB claim was refused: "matches no line"."""
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    first, second = payment.services  # 99215 charged 180 and 80053 charged 70 (paid 20)
    # 80053 unbundled as 82947 (70 billed: 15 paid, CO 45 35, PR 1 20) and 84520 ($0 billed,
    # raised by OA 94 -5: 5 paid); the line is paid 20 as before, so the claim still balances.
    unbundled = [
        second.model_copy(
            update={
                "code": "82947",
                "paid": Decimal("15.00"),
                "original_qualifier": "HC",
                "original_code": "80053",
                "adjustments": [
                    Adjustment(group="CO", reason="45", amount=Decimal("35.00")),
                    Adjustment(group="PR", reason="1", amount=Decimal("20.00")),
                ],
            }
        ),
        second.model_copy(
            update={
                "code": "84520",
                "charge": Decimal("0"),
                "paid": Decimal("5.00"),
                "original_qualifier": "HC",
                "original_code": "80053",
                "line_control_number": second.line_control_number if control_numbers else None,
                "adjustments": [Adjustment(group="OA", reason="94", amount=Decimal("-5.00"))],
            }
        ),
    ]
    if not control_numbers:
        unbundled[0].line_control_number = None
        first = first.model_copy(update={"line_control_number": None})
    payment = payment.model_copy(update={"services": [first, *unbundled]})
    changed = remittance.model_copy(update={"claims": [payment, *remittance.claims[1:]]})
    assert edi.balance_problems(changed) == []  # the 835 balances
    built = edi.secondary_claim(
        primary, payment, changed, subscriber=expected.subscriber, payer=expected.payer
    )
    (one,) = built.lines[0].adjudications
    assert (one.code, one.paid, one.bundled_line) == ("99214", 100, None)
    assert [(a.code, a.paid, a.bundled_line) for a in built.lines[1].adjudications] == [
        ("82947", 15, 2),
        ("84520", 5, 2),
    ]
    # Rule 2 over the line's 2430s: 15 + (35 + 20) + 5 + (-5) = 70, its charge.
    assert sum(a.paid + a.adjustment_total for a in built.lines[1].adjudications) == 70
    assert edi.check_claims([built]) == []
    text = edi.write_837([built])
    assert "SVD*EXAMPLEHP01*15*HC:82947**1*2~" in text
    assert "SVD*EXAMPLEHP01*5*HC:84520**1*2~\nCAS*OA*94*-5~" in text
    (back,) = edi.read_claims(text)
    assert dump(back) == dump(laid_out(built))
    # The line's 2430s, balanced together to its charge: one off by 10 is said (they were skipped
    # as bundled, and a line paid and adjusted 80 for a charge of 70 passed).
    built.lines[1].adjudications[1].paid = Decimal(15)
    assert edi.check_claims([built]) == [
        "claim PCN2001: line 2: payer EXAMPLEHP01's adjudications of bundled or split line 2 "
        "(SVD06) pay and adjust 80 ≠ line charge 70",
        "claim PCN2001: prior payer EXAMPLEHP01: paid 120 (AMT*D) ≠ Σ line payments 130 − claim "
        "adjustments 0",
    ]


def test_the_835_mia02_is_left_out_of_the_cob_claim() -> None:
    """MIA02 (PPS operating outlier amount) is in the 835's MIA but NOT USED in the 837I's 2320 MIA:
    the COB claim takes the rest of the MIA, and passes the checks (it was left out, its MIA02
    refused by the 837I guide)."""
    primary, expected, payment, remittance = cases("837i", "remarks")[0]
    assert payment.inpatient is not None
    payment.inpatient.pps_operating_outlier_amount = Decimal("250.75")
    built = edi.secondary_claim(
        primary, payment, remittance, subscriber=expected.subscriber, payer=expected.payer
    )
    assert edi.check_claims([built]) == []
    (prior,) = built.prior_payers
    # MIA*3***4000*MA01***************N362 of remarks.x12, without the outlier amount.
    assert prior.inpatient is not None
    assert prior.inpatient.covered_days == 3 and prior.inpatient.drg_amount == 4000
    assert prior.inpatient.remarks == ["MA01", "N362"]
    assert "MIA*3***4000*MA01***************N362~" in edi.write_837([built])
    assert payment.inpatient.pps_operating_outlier_amount == Decimal("250.75")  # the 835's as read


# -- lines alike: matched by service date and units (x12-notes §9.2) ---------------------------------


def _claim_837(lines: list[tuple[str, str, str, str]]) -> edi.Claim:
    """A one-claim 837P (claim PCN1, sent as primary to PAYER CO, payer id 12345) with these lines:
    (code, charge, units, DTP*472 date), none with REF*6R."""
    charge = sum(Decimal(line[1]) for line in lines)
    body = [
        "BHT*0019*00*244579*20240115*0900*CH~NM1*41*2*ACME BILLING*****46*TGJ23~",
        "PER*IC*JANE DOE*TE*5555551234~NM1*40*2*PAYER CO*****46*66783JJT~HL*1**20*1~",
        "NM1*85*2*ACME CLINIC*****XX*1234567893~N3*123 MAIN ST~N4*SPRINGFIELD*IL*627011234~",
        "REF*EI*123456789~HL*2*1*22*0~SBR*P*18*GRP123******CI~",
        "NM1*IL*1*DOE*JOHN****MI*W123456789~N3*1 ELM ST~N4*SPRINGFIELD*IL*62701~",
        "DMG*D8*19800101*M~NM1*PR*2*PAYER CO*****PI*12345~",
        f"CLM*PCN1*{charge}***11:B:1*Y*A*Y*Y~HI*ABK:E119~",
    ]
    for n, (code, amount, units, day) in enumerate(lines, 1):
        body.append(f"LX*{n}~SV1*HC:{code}*{amount}*UN*{units}***1~DTP*472*D8*{day}~")
    (claim,) = edi.read_claims(_envelope("837*0001*005010X222A1", body, "HC", "005010X222A1"))
    return claim


def _remit_835(
    paid: str, claim: str, services: list[str], payer: str = "N1*PR*PAYER CO~"
) -> edi.Remittance:
    """An 835 of PAYER CO (or `payer`: N1 and any REF of 1000A) paying claim PCN1 (its CLP, after
    CLP01) with these 2110 loops."""
    n1 = payer.split("~")[0] + "~"
    body = [
        f"BPR*I*{paid}*C*CHK************20240115~TRN*1*12345*1512345678~DTM*405*20240114~",
        f"{n1}N3*1 PAYER WAY~N4*HARTFORD*CT*06101~{payer[len(n1) :]}PER*BL*EDI*TE*8005551212~",
        f"N1*PE*ACME CLINIC*XX*1234567893~LX*1~CLP*PCN1*{claim}~",
        "NM1*QC*1*DOE*JOHN****MI*W123456789~",
        *services,
    ]
    (remittance,) = edi.read_remittances(_envelope("835*0001", body, "HP", "005010X221A1"))
    return remittance


def _envelope(st: str, body: list[str], functional: str, version: str) -> str:
    segments = "".join(body).count("~") + 2  # ST to SE
    return (
        "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240115*0900*^*"
        f"00501*000000001*0*T*:~GS*{functional}*SENDER*RECEIVER*20240115*0900*1*X*{version}~"
        f"ST*{st}~{''.join(body)}SE*{segments}*0001~GE*1*1~IEA*1*000000001~"
    )


def _cob(claim: edi.Claim, remittance: edi.Remittance, *, same_payer: bool = True) -> edi.Claim:
    (payment,) = remittance.claims
    secondary = claim.subscriber.model_copy(update={"payer_responsibility": "S"})
    return edi.secondary_claim(
        claim,
        payment,
        remittance,
        subscriber=secondary,
        payer=ClaimPayer(name="NEXT", id="NEXT1"),
        same_payer=same_payer,
    )


def _paid(line: edi.ServiceLine) -> tuple[Decimal, list[tuple[str, str, Decimal]]]:
    (adjudication,) = line.adjudications
    return adjudication.paid, [(a.group, a.reason, a.amount) for a in adjudication.adjustments]


def test_lines_alike_but_for_the_date_get_the_835_line_of_their_date() -> None:
    """Two 99213 lines charged 100, of 2023-12-01 and 2023-12-15, no REF*6R; the 835 returns them
    the other way round, each with its DTM*472. Each line gets the payment of its date (line 1 got
    that of the 15th: the first free line of the code and charge)."""
    claim = _claim_837([("99213", "100", "1", "20231201"), ("99213", "100", "1", "20231215")])
    remittance = _remit_835(
        "110",
        "1*200*110*0*12*ICN1",
        [
            "SVC*HC:99213*100*30**1~DTM*472*20231215~CAS*CO*45*70~",
            "SVC*HC:99213*100*80**1~DTM*472*20231201~CAS*CO*45*20~",
        ],
    )
    built = _cob(claim, remittance)
    assert _paid(built.lines[0]) == (80, [("CO", "45", 20)])  # 2023-12-01
    assert _paid(built.lines[1]) == (30, [("CO", "45", 70)])  # 2023-12-15
    assert edi.check_claims([built]) == []


def test_lines_alike_but_for_the_units_get_the_835_line_of_their_units() -> None:
    """Two 97110 lines charged 100 on one day, 2 units and 4 units: the 835 line of 4 units billed
    (SVC07 4, 3 paid as SVC05 says) goes to the line of 4 units, that of 2 units to the other."""
    claim = _claim_837([("97110", "100", "2", "20231201"), ("97110", "100", "4", "20231201")])
    remittance = _remit_835(
        "110",
        "1*200*110*0*12*ICN1",
        [
            "SVC*HC:97110*100*75**3**4~DTM*472*20231201~CAS*CO*45*25~",
            "SVC*HC:97110*100*35**2~DTM*472*20231201~CAS*CO*45*65~",
        ],
    )
    built = _cob(claim, remittance)
    assert _paid(built.lines[0]) == (35, [("CO", "45", 65)])
    assert _paid(built.lines[1]) == (75, [("CO", "45", 25)])
    assert built.lines[1].adjudications[0].units == 3  # SVD05: the units paid (SVC05)


def test_lines_nothing_tells_apart_paid_differently_are_refused() -> None:
    """Two 99213 lines charged 100 of one day and units: paid 30 and 80, which line was paid which
    is not known; the claim is refused rather than guessed. Paid alike, either way is right."""
    claim = _claim_837([("99213", "100", "1", "20231201"), ("99213", "100", "1", "20231201")])
    differently = _remit_835(
        "110",
        "1*200*110*0*12*ICN1",
        [
            "SVC*HC:99213*100*30**1~DTM*472*20231201~CAS*CO*45*70~",
            "SVC*HC:99213*100*80**1~DTM*472*20231201~CAS*CO*45*20~",
        ],
    )
    with pytest.raises(
        edi.CobError,
        match=r"^claim PCN1: lines 1, 2 have the same code, charge, date and units and no REF\*6R, "
        r"and the 835 adjudicates them differently",
    ):
        _cob(claim, differently)
    alike = _remit_835(
        "160",
        "1*200*160*0*12*ICN1",
        [
            "SVC*HC:99213*100*80**1~DTM*472*20231201~CAS*CO*45*20~",
            "SVC*HC:99213*100*80**1~DTM*472*20231201~CAS*CO*45*20~",
        ],
    )
    built = _cob(claim, alike)
    assert [_paid(line) for line in built.lines] == [(80, [("CO", "45", 20)])] * 2


# -- an 835 that is not the answer of the claim's payer ----------------------------------------------


def test_an_835_already_applied_to_the_claim_is_refused() -> None:
    """The primary's 835 given again with the COB claim made of it: its CLP07 is the prior payer's
    REF*F8. A second 2320 said the secondary payer paid what the primary did."""
    _, secondary, payment, remittance = cases("837p", "partly_paid")[0]
    assert secondary.prior_payers[0].other_payer.claim_control_number == "ICN2001"
    with pytest.raises(
        edi.CobError,
        match=r"^claim PCN2001: the payment \(CLP07 ICN2001\) is already on the claim, as prior "
        r"payer EXAMPLE HEALTH PLAN's \(2330B REF\*F8\): the 835 was applied to it before",
    ):
        edi.secondary_claim(
            secondary,
            payment,
            remittance,
            subscriber=secondary.subscriber.model_copy(update={"payer_responsibility": "T"}),
            payer=ClaimPayer(name="THIRD PLAN", id="THIRD1"),
        )


_PAID = "SVC*HC:99213*100*40**1~DTM*472*20231201~CAS*CO*45*60~"


@pytest.mark.parametrize(
    ("payer", "refused"),
    [
        # Another payer: no id of the claim's payer (TRN03 1512345678 is not 12345), another name.
        ("N1*PR*EXAMPLE SECONDARY PLAN~", True),
        ("N1*PR*EXAMPLE SECONDARY PLAN*XV*SEC99~REF*2U*SEC99~", True),
        # The claim's payer: its name written otherwise, or another name with its id (N104 under
        # XV, or REF*2U, the payer identification the 835 gives).
        ("N1*PR*Payer Co.~", False),
        ("N1*PR*PAYER COMPANY OF CT*XV*12345~", False),
        ("N1*PR*PAYER COMPANY OF CT~REF*2U*12345~", False),
        # A name that starts the other: the short and the long form of one payer's name.
        ("N1*PR*PAYER CO OF CONNECTICUT~", False),
        ("N1*PR*PAYER~", False),
        ("N1*PR*PAYERCO~", False),  # the same letters, the space left out
        ("N1*PR*PAYER COMPANY~", False),  # its last word cut short in the other
    ],
)
def test_an_835_of_another_payer_is_refused(payer: str, refused: bool) -> None:
    """The claim was sent to PAYER CO (NM109 12345): an 835 of another payer made a COB claim
    saying PAYER CO paid."""
    claim = _claim_837([("99213", "100", "1", "20231201")])
    remittance = _remit_835("40", "1*100*40*0*12*ICN1", [_PAID], payer)
    if refused:
        with pytest.raises(
            edi.CobError,
            match=r"^claim PCN1: the 835 is from payer 'EXAMPLE SECONDARY PLAN' \(ids .*\), not "
            r"the claim's payer 'PAYER CO' \(NM109 12345\): neither an id nor the name is the same "
            r"\(same_payer=False, edi cob --no-payer-check, takes it as the claim's payer's\)$",
        ):
            _cob(claim, remittance)
    else:
        assert _cob(claim, remittance).prior_payers[0].other_payer.id == "12345"
    # Asked not to compare them (a payer named and numbered otherwise in its 835): taken as the
    # claim's payer's answer.
    assert _cob(claim, remittance, same_payer=False).prior_payers[0].other_payer.id == "12345"


@pytest.mark.parametrize(
    ("sent_as", "status", "refused_as"),
    [
        ("P", "2", "secondary"),  # t13: the payer processed it as secondary
        ("P", "3", "tertiary"),
        ("S", "1", "primary"),
        ("T", "2", "secondary"),
        ("P", "1", None),
        ("S", "2", None),
        ("T", "3", None),
        ("U", "1", None),  # unknown: nothing to contradict
        # A to H: the fourth to eleventh payer, which processes it as its third or later (CLP02 3)
        ("A", "1", "primary"),
        ("H", "2", "secondary"),
        ("A", "3", None),
        ("H", "3", None),
    ],
)
def test_a_clp02_that_contradicts_the_claims_sbr01_is_refused(
    sent_as: str, status: str, refused_as: str | None
) -> None:
    """CLP02 1, 2, 3: processed as primary, secondary, tertiary (x12-notes §9.3), which the claim's
    SBR01 (P, S, T) said the payer was."""
    claim = _claim_837([("99213", "100", "1", "20231201")])
    claim.subscriber.payer_responsibility = sent_as
    remittance = _remit_835("40", f"{status}*100*40*0*12*ICN1", [_PAID])
    if refused_as is None:
        assert _cob(claim, remittance).prior_payers[0].payer_responsibility == sent_as
        return
    order = {
        "P": "primary",
        "S": "secondary",
        "T": "tertiary",
        "A": "payer responsibility four",
        "H": "payer responsibility eleven",
    }[sent_as]
    with pytest.raises(
        edi.CobError,
        match=rf"^claim PCN1: CLP02 {status} says the payer processed it as {refused_as}, but the "
        rf"claim was sent to it as {order} \(SBR01 {sent_as}\): the 835 is not the answer to "
        "this claim$",
    ):
        _cob(claim, remittance)


# -- an 835 line adjudicated by a code SVD03 cannot hold (a drug by its NDC) --------------------------


@pytest.mark.parametrize(
    "svc", ["SVC*N4:57894003001*120*80**10*HC:J1745*10~", "SVC*N4:57894003001*120*80**10~"]
)
def test_a_drug_line_paid_by_its_ndc_takes_svd03_from_svc06_or_its_own_procedure(svc: str) -> None:
    """fixtures/837p/drug.x12: line 1 is SV1*HC:J1745 with LIN N4 57894003001; the payer answers
    by the NDC (SVC01 N4), which the 837P SVD03-01 cannot hold (ER, HC, IV, WK: 837P map line
    1858). SVD03 is then the code as billed, SVC06 HC:J1745, or without SVC06 the line's own
    procedure, the same HC:J1745. The whole COB claim was refused: "SVD03-01 ... is 'N4'"."""
    (claim,) = edi.read_claims(FIXTURES / "837p" / "drug.x12")
    body = [
        "BPR*I*100*C*CHK************20240315~TRN*1*12345*1512345678~",
        "N1*PR*EXAMPLE HEALTH PLAN~N1*PE*EXAMPLE CLINIC*XX*1234567893~LX*1~",
        "CLP*PCN5001*1*150*100*0*12*ICN5*11*1~NM1*QC*1*DOE*JOHN****MI*W123456789~",
        f"{svc}DTM*472*20240312~CAS*CO*45*40~REF*6R*L5001A~",
        "SVC*HC:96413*30*20**1~DTM*472*20240312~CAS*CO*45*10~REF*6R*L5001B~",
    ]
    (remittance,) = edi.read_remittances(_envelope("835*0001", body, "HP", "005010X221A1"))
    built = _cob(claim, remittance)
    assert edi.check_claims([built]) == []
    drug = built.lines[0].adjudications[0]
    assert (drug.qualifier, drug.code, drug.paid, drug.units) == ("HC", "J1745", 80, 10)
    text = edi.write_837([built])
    assert "SVD*EXAMPLEHP01*80*HC:J1745**10~" in text
    assert "SVD*EXAMPLEHP01*20*HC:96413**1~" in text


def test_an_837i_line_paid_by_a_code_svd03_cannot_hold_takes_its_own_procedure() -> None:
    """PCN7002 of remarks.x12 (SV2*0450*HC:99285), its drug LIN N4 00002143380, answered by that
    NDC without SVC06 or REF*6R: matched by the NDC, and as the 837I SVD03-01 takes ER, HC, HP, IV,
    WK (837I map line 2254), SVD03 is the line's HC:99285, with SVD04 its revenue code 0450."""
    primary, expected, payment, remittance = cases("837i", "remarks")[1]
    drug = Drug(qualifier="N4", code="00002143380", quantity=Decimal(1), unit="UN")
    primary.lines[0].drug = drug
    (service,) = payment.services
    payment.services = [service.model_copy(update={"qualifier": "N4", "code": "00002143380"})]
    built = edi.secondary_claim(
        primary, payment, remittance, subscriber=expected.subscriber, payer=expected.payer
    )
    assert edi.check_claims([built]) == []
    assert "SVD*EXAMPLEHP01*270*HC:99285*0450*1~" in edi.write_837([built])


def test_a_line_another_835_line_names_by_ref_6r_is_not_taken_by_one_without() -> None:
    """Two 99213 lines alike but for line 2's REF*6R L2; the 835 gives the line without REF*6R
    first. REF*6R goes first (x12-notes §9.2), so line 1 gets the unnumbered 835 line and no tie is
    seen (it was refused as "lines 1, 2 have the same code ...")."""
    claim = _claim_837([("99213", "100", "1", "20231201"), ("99213", "100", "1", "20231201")])
    claim.lines[1].control_number = "L2"
    remittance = _remit_835(
        "110",
        "1*200*110*0*12*ICN1",
        [
            "SVC*HC:99213*100*30~DTM*472*20231201~CAS*CO*45*70~",
            "SVC*HC:99213*100*80~DTM*472*20231201~CAS*CO*45*20~REF*6R*L2~",
        ],
    )
    built = _cob(claim, remittance)
    assert [_paid(line) for line in built.lines] == [
        (30, [("CO", "45", 70)]),
        (80, [("CO", "45", 20)]),
    ]


def test_an_835_line_without_svc05_is_of_one_unit() -> None:
    """SVC05 absent means 1 unit (835 guide; ServicePayment.units): of two lines alike but for
    units 1 and 2, the 835 line without SVC05 is that of 1 unit (it tied with both, refused)."""
    claim = _claim_837([("97110", "100", "2", "20231201"), ("97110", "100", "1", "20231201")])
    remittance = _remit_835(
        "110",
        "1*200*110*0*12*ICN1",
        [
            "SVC*HC:97110*100*30~DTM*472*20231201~CAS*CO*45*70~",
            "SVC*HC:97110*100*80**2~DTM*472*20231201~CAS*CO*45*20~",
        ],
    )
    built = _cob(claim, remittance)
    assert _paid(built.lines[0]) == (80, [("CO", "45", 20)])
    assert _paid(built.lines[1]) == (30, [("CO", "45", 70)])


def test_an_837i_revenue_line_and_one_with_a_procedure_are_no_tie() -> None:
    """837I lines 0450 (no procedure) and 0450 HC:99285, both 300, no dates or REF*6R; the 835
    gives NU:0450 first. NU:0450 could be either line, HC:99285 only line 2 (835 guide: SVC01 is
    the procedure when billed, NU the revenue code when not): so NU:0450 is line 1's, no tie."""
    primary, expected, payment, remittance = cases("837i", "remarks")[1]
    (line,) = primary.lines
    assert line.institutional is not None
    revenue_only = line.institutional.model_copy(update={"qualifier": None, "code": None})
    primary.lines = [line.model_copy(update={"institutional": revenue_only}), line]
    primary.total_charge = Decimal(600)
    (service,) = payment.services  # SVC*HC:99285*300*270**1, CO 45 30
    by_revenue = service.model_copy(
        update={
            "qualifier": "NU",
            "code": "0450",
            "paid": Decimal(100),
            "adjustments": [Adjustment(group="CO", reason="45", amount=Decimal(200))],
        }
    )
    payment = payment.model_copy(
        update={"charge": Decimal(600), "paid": Decimal(370), "services": [by_revenue, service]}
    )
    built = edi.secondary_claim(
        primary, payment, remittance, subscriber=expected.subscriber, payer=expected.payer
    )
    assert [line.adjudications[0].paid for line in built.lines] == [100, 270]


def _claim_837i(second_line_date: str | None) -> edi.Claim:
    """An 837I claim IPCN5 (statement period 2023-12-01 to 12-03) of two lines SV2*0250 charged 80,
    the first dated 2023-12-01, the second dated `second_line_date` or not at all."""
    dated = f"DTP*472*D8*{second_line_date}~" if second_line_date else ""
    body = [
        "BHT*0019*00*244579*20240115*0900*CH~NM1*41*2*ACME BILLING*****46*TGJ23~",
        "PER*IC*JANE DOE*TE*5555551234~NM1*40*2*PAYER CO*****46*66783JJT~HL*1**20*1~",
        "NM1*85*2*ACME CLINIC*****XX*1234567893~N3*123 MAIN ST~N4*SPRINGFIELD*IL*627011234~",
        "REF*EI*123456789~HL*2*1*22*0~SBR*P*18*GRP123******CI~",
        "NM1*IL*1*DOE*JOHN****MI*W123456789~N3*1 ELM ST~N4*SPRINGFIELD*IL*62701~",
        "DMG*D8*19800101*M~NM1*PR*2*PAYER CO*****PI*12345~",
        "CLM*IPCN5*160***13:A:1**A*Y*Y~DTP*434*RD8*20231201-20231203~CL1*1*7*01~HI*ABK:I10~",
        "LX*1~SV2*0250**80*UN*1~DTP*472*D8*20231201~",
        f"LX*2~SV2*0250**80*UN*1~{dated}",
    ]
    (claim,) = edi.read_claims(_envelope("837*0001*005010X223A2", body, "HC", "005010X223A2"))
    return claim


_DENIED_0250 = "SVC*NU:0250*80*0**1~DTM*472*20231201~CAS*CO*50*80~"
_PAID_0250 = "SVC*NU:0250*80*50**1~DTM*472*20231201~CAS*CO*45*30~"


@pytest.mark.parametrize("services", [[_DENIED_0250, _PAID_0250], [_PAID_0250, _DENIED_0250]])
def test_a_line_without_a_date_has_the_claims_dates_and_so_may_tie(services: list[str]) -> None:
    # x12-notes §9.2: the service date of a line, else the claim's. Line 2 has no date; the
    # claim's statement period (12-01 to 12-03) holds the 835's 12-01, so the 835 lines, one denied
    # and one paid, could be either line's: refused. The denial went to line 1 or 2 as the 835
    # lines came.
    claim = _claim_837i(None)
    remittance = _remit_835("50", "1*160*50*0**ICN5*13*1", services).model_copy()
    remittance.claims[0].patient_control_number = "IPCN5"
    with pytest.raises(edi.CobError, match=r"^claim IPCN5: lines 1, 2 have the same code"):
        _cob(claim, remittance)
    # Line 2 dated otherwise (12-02): told apart; line 1 gets the 835 lines of 12-01.
    claim = _claim_837i("20231202")
    with pytest.raises(edi.CobError, match=r"^claim IPCN5: the 835 line 0250 charged 80"):
        _cob(claim, remittance)  # two 835 lines of 12-01, one line of that date: one is no line's


@pytest.mark.parametrize(
    ("billed", "paid", "matched"),
    [
        ("99213:25:59", "HC:99213:59:25", True),  # modifiers in another order: the same
        ("J1100:JZ", "N4:00009047013", True),  # by the line's NDC, which carries no modifier
        ("99213:25", "HC:99213", False),  # a modifier left out, without SVC06: no line's
    ],
)
def test_modifiers_match_in_any_order_and_not_against_an_ndc(
    billed: str, paid: str, matched: bool
) -> None:
    claim = _claim_837([("99213", "100", "1", "20231201")])  # its code and modifiers set below
    line = claim.lines[0]
    assert line.professional is not None
    line.professional.code, *mods = billed.split(":")
    line.professional.modifiers = mods
    if paid.startswith("N4"):
        line.drug = edi.Drug(qualifier="N4", code="00009047013", quantity=1, unit="UN")
    remittance = _remit_835("40", "1*100*40*0*12*ICN1", [f"SVC*{paid}*100*40**1~CAS*CO*45*60~"])
    if matched:
        (adjudicated,) = _cob(claim, remittance).lines
        assert _paid(adjudicated) == (40, [("CO", "45", 60)])
    else:
        with pytest.raises(edi.CobError, match="matches no line of the claim by code, modifiers"):
            _cob(claim, remittance)


@pytest.mark.parametrize(
    ("payer_id", "reference"),
    [("12345", "EI"), ("512345678", None)],  # the claim's payer's EIN: a REF*EI, or its NM109
)
def test_the_payers_ein_is_the_835s_trn03(payer_id: str, reference: str | None) -> None:
    # TRN03 1512345678: "1" and the EIN 512345678 (x12-notes §7.1). The 835 names the payer
    # otherwise (UNITED PLAN): one payer by its EIN, not refused (2010BB REF*EI was not compared,
    # nor TRN03 as an EIN).
    claim = _claim_837([("99213", "100", "1", "20231201")])
    claim.payer.id = payer_id
    if reference:
        claim.payer.references = [edi.Reference(qualifier=reference, value="512345678")]
    remittance = _remit_835("40", "1*100*40*0*12*ICN1", [_PAID], "N1*PR*UNITED PLAN~")
    assert _cob(claim, remittance).prior_payers[0].other_payer.id == payer_id


def test_a_replacement_makes_no_cob_claim_with_the_paying_payers_claim_number() -> None:
    # 2300 REF*F8 links a claim to one in the receiving payer's system (X12 RFI 1538): the paying
    # payer's number went to the next payer, which never had that claim. Refused, saying what to
    # do; as an original, made.
    claim = _claim_837([("99213", "100", "1", "20231201")])
    claim.frequency_code, claim.payer_claim_control_number = "7", "ICN0"
    remittance = _remit_835("40", "1*100*40*0*12*ICN1", [_PAID])
    for frequency in ("7", "6", "Q"):  # a replacement; an adjustment, a reopening with REF*F8
        claim.frequency_code = frequency
        with pytest.raises(
            edi.CobError,
            match=rf"^claim PCN1: a claim of the payer's claim number \(REF\*F8, CLM05-03 {frequency}\)",
        ):
            _cob(claim, remittance)
    claim.frequency_code, claim.payer_claim_control_number = "1", None
    cob = _cob(claim, remittance)
    assert (cob.frequency_code, cob.payer_claim_control_number) == ("1", None)
    assert cob.prior_payers[0].other_payer.claim_control_number == "ICN1"  # 2330B REF*F8


def test_a_lines_remaining_patient_liability_is_its_pr_adjustments_alone() -> None:
    """2430 AMT*EAF: what the patient still owes on the line (x12-notes §9.6), the PR group's
    adjustments; CO, OA and PI move no money to the patient (§9.3)."""
    claim = _claim_837([("99213", "100", "1", "20231201")])
    remittance = _remit_835(
        "40",
        "1*100*40*10*12*ICN1",
        ["SVC*HC:99213*100*40**1~DTM*472*20231201~CAS*CO*45*30~CAS*PR*3*10~CAS*OA*23*20~"],
    )
    (adjudication,) = _cob(claim, remittance).lines[0].adjudications
    assert adjudication.remaining_patient_liability == Decimal(10)


def test_a_prior_payers_negative_line_payment_is_refused_though_all_balances() -> None:
    """SVD02 must be 0 or more (x12-notes §8.2 rule 7), even where the line, the claim and the
    prior payer balance with it."""
    claim = _cob(
        _claim_837([("99213", "100", "1", "20231201")]),
        _remit_835("40", "1*100*40*0*12*ICN1", [_PAID]),
    )
    assert edi.check_claims([claim]) == []
    (adjudication,) = claim.lines[0].adjudications
    adjudication.paid = Decimal(-10)
    adjudication.adjustments[0].amount = Decimal(110)  # 100 = -10 + 110
    claim.prior_payers[0].paid = Decimal(-10)
    assert edi.check_claims([claim]) == [
        "claim PCN1: line 1: payer 12345 paid -10 (SVD02) is negative"
    ]


def test_a_prior_payers_date_and_patient_liability_are_given_at_one_level() -> None:
    """The 2330B DTP*573 is "required when ... Loop ID-2430, Line Check or Remittance Date, is not
    used. If not required by this implementation guide, do not send" (X223, quoted by IBM APAR
    PM45235); clearinghouses reject the date or the remaining patient liability (AMT*EAF) given
    for the claim and its lines both, and a prior payer that adjudicated without a date."""
    line_level, claim_level = edi.load_claims(FIXTURES / "837p/cob_secondary.json")
    assert edi.check_claims([line_level, claim_level]) == []
    prior = line_level.prior_payers[0]
    prior.other_payer.paid_date = line_level.lines[0].adjudications[0].paid_date
    prior.remaining_patient_liability = Decimal(50)
    assert edi.check_claims([line_level]) == [
        "claim PCN2001: prior payer EXAMPLEHP01: its adjudication date is given for the claim "
        "(2330B DTP*573) and for its lines (2430 DTP*573); send it at one level, the lines' when "
        "they have it",
        "claim PCN2001: prior payer EXAMPLEHP01: the remaining patient liability is given for the "
        "claim (2320 AMT*EAF) and for its lines (2430 AMT*EAF); send it at one level",
    ]
    # The claim-level adjudication alone dates itself in 2330B; without it, none is given.
    assert claim_level.prior_payers[0].other_payer.paid_date is not None
    claim_level.prior_payers[0].other_payer.paid_date = None
    assert edi.check_claims([claim_level]) == [
        "claim PCN2002: prior payer EXAMPLEHP01: no adjudication date, for the claim (2330B "
        "DTP*573, other_payer.paid_date) nor for its lines (2430 DTP*573)"
    ]
    # A payer listed before it has adjudicated (no AMT*D, no 2430) has no date to give.
    claim_level.prior_payers[0].paid = None
    claim_level.prior_payers[0].adjustments = []
    problems = edi.check_claims([claim_level])
    assert not any("adjudication date" in p for p in problems), problems


def test_the_paying_payers_authorization_and_referral_numbers_go_to_its_2330b() -> None:
    """2300 REF*G1 and REF*9F are numbers the claim's payer (2010BB) assigned. In the COB claim that
    payer is a prior payer: its numbers were left in 2300, as if the next payer had given them. They
    are its 2330B's (REF*G1 other payer prior authorization, REF*9F referral number)."""
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    primary = primary.model_copy(
        update={"prior_authorization": "AUTHPRIMARY1", "referral_number": "REFPRIMARY1"}
    )
    built = edi.secondary_claim(
        primary, payment, remittance, subscriber=expected.subscriber, payer=expected.payer
    )
    assert (built.prior_authorization, built.referral_number) == (None, None)
    (prior,) = built.prior_payers
    assert [(r.qualifier, r.value) for r in prior.other_payer.references] == [
        ("G1", "AUTHPRIMARY1"),
        ("9F", "REFPRIMARY1"),
    ]
    assert edi.check_claims([built]) == []
    text = edi.write_837([built])
    assert "REF*G1*AUTHPRIMARY1~" in text and text.index("REF*G1") > text.index(
        "NM1*PR*2*EXAMPLE HEALTH"
    )


def test_a_lines_authorization_and_referral_numbers_name_the_paying_payer() -> None:
    """837P 2400 REF*G1 and REF*9F are the claim payer's numbers unless REF04 names another payer
    ("Other Payer Primary Identifier", 2U: 837P map lines 1464-1470). The COB claim kept them as
    they were, so they read as the next payer's; they name the payer that paid (its 2330B NM109).
    A number that already names another payer is left as it is."""
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    first = primary.lines[0]
    references = [
        edi.PayerReference(qualifier="G1", value="LINEAUTH1"),
        edi.PayerReference(qualifier="9F", value="LINEREF1", other_payer_id="EARLIERPAYER"),
        *first.references,
    ]
    primary = primary.model_copy(
        update={"lines": [first.model_copy(update={"references": references}), *primary.lines[1:]]}
    )
    built = edi.secondary_claim(
        primary, payment, remittance, subscriber=expected.subscriber, payer=expected.payer
    )
    payer_id = primary.payer.id
    assert payer_id and payer_id == built.prior_payers[0].other_payer.id
    assert [
        (r.qualifier, r.value, r.other_payer_qualifier, r.other_payer_id)
        for r in built.lines[0].references
        if r.qualifier in ("G1", "9F")
    ] == [("G1", "LINEAUTH1", "2U", payer_id), ("9F", "LINEREF1", "2U", "EARLIERPAYER")]
    assert edi.check_claims([built]) == []
    text = edi.write_837([built])
    assert f"REF*G1*LINEAUTH1**2U:{payer_id}~" in text
    assert "REF*9F*LINEREF1**2U:EARLIERPAYER~" in text
    # The primary claim itself is unchanged.
    assert primary.lines[0].references[0].other_payer_id is None


def _dental_paid_in_full(primary: edi.Claim, expected: edi.Claim) -> edi.Claim:
    """The COB claim of an 837D `primary` that its payer paid in full, line by line (AD codes), for
    the next payer of `expected` (fixtures/837d/cob.json)."""
    services = [
        ServicePayment(
            qualifier="AD",
            code=line.procedure_code,
            charge=line.charge,
            paid=line.charge,
            **_dates_and_units(line),
        )
        for line in primary.lines
    ]
    payment = edi.ClaimPayment(
        patient_control_number=primary.id,
        status="1",
        charge=primary.total_charge,
        paid=primary.total_charge,
        services=services,
    )
    return edi.secondary_claim(
        primary,
        payment,
        _remittance_of(primary, payment),
        subscriber=expected.subscriber,
        payer=expected.payer,
    )


def test_a_dental_lines_predetermination_number_names_the_paying_payer() -> None:
    """837D 2400 REF*G3 (service predetermination) has REF04 for another payer's number (837D map,
    2400 REF*G3 REF04 2U): made into the COB claim, the line's number names the payer that gave it,
    as the claim's REF*G3 goes to that payer's 2330B."""
    (expected,) = edi.load_claims(FIXTURES / "837d" / "cob.json")
    primary = primary_of(expected)
    first = primary.lines[0]
    first = first.model_copy(
        update={"references": [edi.PayerReference(qualifier="G3", value="LINEPD1")]}
    )
    primary = primary.model_copy(update={"lines": [first, *primary.lines[1:]]})
    built = _dental_paid_in_full(primary, expected)
    assert edi.check_claims([built]) == []
    text = edi.write_837([built])
    assert f"REF*G3*LINEPD1**2U:{primary.payer.id}~" in text


def test_a_read_lines_numbers_stay_in_the_guides_order_once_adjudicated() -> None:
    """A claim read from a file, its line given a 2430 by the COB claim: the order read no longer
    fits, and the line was written slot after slot, REF*6R before REF*G3; the guide lists G3 first
    (837D map, 2400 REF), as a claim from JSON writes them, so the COB file and its JSON round trip
    differed (the dental tester)."""
    (expected,) = edi.load_claims(FIXTURES / "837d" / "cob.json")
    primary = primary_of(expected)
    first = primary.lines[0].model_copy(
        update={
            "references": [edi.PayerReference(qualifier="G3", value="LINEPD1")],
            "control_number": "LINE1",
        }
    )
    made = primary.model_copy(update={"lines": [first, *primary.lines[1:]]})
    (read,) = edi.read_claims(edi.write_837([made]))
    text = edi.write_837([_dental_paid_in_full(read, expected)])
    g3, six_r = text.index("REF*G3*LINEPD1**2U:"), text.index("REF*6R*LINE1~")
    assert g3 < six_r < text.index("SVD*")


def test_the_paying_payers_predetermination_number_goes_to_its_2330b() -> None:
    """837D: 2300 REF*G3 is the claim payer's predetermination of benefits number. Made into the
    COB claim, it stayed in 2300 as the next payer's; it is the prior payer's 2330B REF*G3 ("Other
    Payer Predetermination Identification", 837D map line 723, after G1 and 9F)."""
    (expected,) = edi.load_claims(FIXTURES / "837d" / "cob.json")
    primary = primary_of(expected).model_copy(
        update={"predetermination_id": "PREDET777", "prior_authorization": "AUTH1"}
    )
    built = _dental_paid_in_full(primary, expected)
    assert (built.predetermination_id, built.prior_authorization) == (None, None)
    (prior,) = built.prior_payers
    assert [(r.qualifier, r.value) for r in prior.other_payer.references] == [
        ("G1", "AUTH1"),
        ("G3", "PREDET777"),
    ]
    assert edi.check_claims([built]) == []
    text = edi.write_837([built])
    assert text.count("REF*G3*") == 1 and text.index("REF*G3*PREDET777~") > text.index("SBR*P")


def test_a_payment_the_835_reverses_makes_no_cob_claim() -> None:
    """edi cob takes the payment in force (a reversal, CLP02 22, undoes the one before it);
    `secondary_claim` made a COB claim of a payment the same 835 reverses after it (the posting
    tester): it would send an adjudication the payer took back."""
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    reversal = payment.model_copy(
        update={
            "status": "22",
            "charge": -payment.charge,
            "paid": -payment.paid,
            "services": [],
            "adjustments": [],
        }
    )
    remittance = remittance.model_copy(update={"claims": [*remittance.claims, reversal]})
    payment = remittance.claims[0]
    with pytest.raises(edi.CobError, match="the remittance reverses this payment"):
        edi.secondary_claim(
            primary, payment, remittance, subscriber=expected.subscriber, payer=expected.payer
        )
    # A reversal before it undoes an earlier payment: this one stands (a correction).
    remittance = remittance.model_copy(update={"claims": [reversal, *remittance.claims[:-1]]})
    built = edi.secondary_claim(
        primary,
        remittance.claims[1],
        remittance,
        subscriber=expected.subscriber,
        payer=expected.payer,
    )
    assert built.prior_payers


def _partly_paid_case() -> tuple[edi.Claim, edi.Claim, Any, edi.Remittance]:
    return cases("837p", "partly_paid")[0]


def _secondary_of(primary: edi.Claim, expected: edi.Claim, payment: Any, remit: Any) -> edi.Claim:
    return edi.secondary_claim(
        primary, payment, remit, subscriber=expected.subscriber, payer=expected.payer
    )


def test_a_payment_of_another_835_makes_no_cob_claim() -> None:
    """The remittance gives the COB claim its date (BPR16): a payment of another 835 was taken
    with this one's (the COB tester)."""
    primary, expected, payment, remittance = _partly_paid_case()
    (other,) = edi.read_remittances(FIXTURES / "835" / "reversal_correction.x12")
    with pytest.raises(edi.CobError, match="not one of the remittance's claim payments"):
        _secondary_of(primary, expected, payment, other)


def test_each_line_says_the_patients_remaining_liability_zero_included() -> None:
    """X12 RFI 1515: the remaining patient liability "is required when a previous payer has
    adjudicated this claim, including when that amount is zero", in the 2430 when the payer
    reported its lines (RFI 1521). A line without PR had none (the COB tester)."""
    primary, expected, payment, remittance = _partly_paid_case()
    second = payment.services[1]
    pr = [a for a in second.adjustments if a.group == "PR"]
    assert pr and all(a.group in ("CO", "PR") for a in second.adjustments)
    for adjustment in pr:
        adjustment.group = "CO"  # the line's whole adjustment contractual: nothing owed
    built = _secondary_of(primary, expected, payment, remittance)
    owed = [line.adjudications[0].remaining_patient_liability for line in built.lines]
    assert owed == [Decimal(30), Decimal(0)]
    assert "AMT*EAF*0~" in edi.write_837([built])


def test_a_zero_adjustment_is_not_carried_into_the_cob_claim() -> None:
    """The 837's CAS "only contains non-zero adjustments" (TR3 note 4, X12 RFI 1865): a CAS
    triplet of 0 in the 835 was copied into the 2430 (the COB tester)."""
    primary, expected, payment, remittance = _partly_paid_case()
    first = payment.services[0]
    first.adjustments.append(Adjustment(group="CO", reason="94", amount=Decimal(0)))
    assert edi.balance_problems(remittance) == []  # 0 changes no balance
    built = _secondary_of(primary, expected, payment, remittance)
    kept = [(a.group, a.reason) for a in built.lines[0].adjudications[0].adjustments]
    assert kept == [("CO", "45"), ("PR", "2")]


def test_a_correction_listed_before_the_reversal_is_the_payment_in_force() -> None:
    """x12-notes §9.3: a reversal is matched "by CLP01 (+ CLP07 + the negated amounts)", and the
    correction comes "preferably" after it (RFI 791), so not always. One that keeps the original's
    CLP07 and comes first was taken for the payment the reversal undoes (the COB tester)."""
    original = _clp("PCN1", "1", "100", "60", "ICN1")
    correction = _clp("PCN1", "1", "100", "70", "ICN1")
    reversal = _clp("PCN1", "22", "-100", "-60", "ICN1")
    assert edi.transactions.cob.reverses(reversal, original)
    assert not edi.transactions.cob.reverses(reversal, correction)
    # Another CLP07: another claim's payment, whatever its amounts.
    other = _clp("PCN1", "1", "100", "60", "ICN2")
    assert not edi.transactions.cob.reverses(reversal, other)


def _clp(pcn: str, status: str, charge: str, paid: str, icn: str) -> Any:
    from edi.models.remittance import ClaimPayment

    return ClaimPayment(
        patient_control_number=pcn,
        status=status,
        charge=Decimal(charge),
        paid=Decimal(paid),
        payer_claim_control_number=icn,
    )


@pytest.mark.parametrize("name", ["PAY", "P", "PAYERS", "PAYER C0MPANY"])
def test_a_payer_name_is_the_start_of_another_in_whole_words_only(name: str) -> None:
    """`MEDICA` was taken for `MEDICARE` (and `EX` for `EXAMPLE HEALTH PLAN`): a name that starts
    another is the same payer's when it ends where a word of the other does (the COB tester)."""
    claim = _claim_837([("99213", "100", "1", "20231201")])  # sent to PAYER CO (NM109 12345)
    remittance = _remit_835("40", "1*100*40*0*12*ICN1", [_PAID], f"N1*PR*{name}~")
    with pytest.raises(edi.CobError, match="neither an id nor the name is the same"):
        _cob(claim, remittance)


def test_a_dependant_who_is_the_new_subscriber_is_not_their_own_spouse() -> None:
    """The other parent's plan, without SBR02, given for the family's claims, one of them that
    parent's own visit (a dependant, PAT*01, of the primary subscriber): the COB claim had the same
    person as the subscriber and as a 2000C patient `PAT*01` (the family tester). Refused, without
    the person's name or date; with SBR02 18 the claim is made, the patient its subscriber."""
    primary, expected, payment, remittance = cases("837p", "partly_paid")[0]
    person = expected.subscriber.model_copy(
        update={"relationship": None, "first_name": "DELTA", "birth_date": date(1976, 2, 2)}
    )
    patient = Patient(
        relationship="01",
        last_name=person.last_name,
        first_name="Delta",
        birth_date=date(1976, 2, 2),
        gender="M",
    )
    dependant = primary.model_copy(
        update={
            "patient": patient,
            "subscriber": primary.subscriber.model_copy(update={"relationship": None}),
        }
    )
    with pytest.raises(edi.CobError) as caught:
        edi.secondary_claim(dependant, payment, remittance, subscriber=person, payer=expected.payer)
    assert str(caught.value) == (
        f"claim {primary.patient_control_number}: the claim's patient is the new subscriber (the "
        "same name and birth date): the coverage of this claim has SBR02 '18' (relationship "
        '"18") and no patient'
    )
    self_coverage = person.model_copy(update={"relationship": "18"})
    built = edi.secondary_claim(
        dependant, payment, remittance, subscriber=self_coverage, payer=expected.payer
    )
    assert built.patient is None and built.prior_payers[0].relationship == "01"
    # Another person of the family (a child of the same last name, another birth date): made.
    child = patient.model_copy(update={"relationship": "19", "birth_date": date(2012, 9, 10)})
    made = edi.secondary_claim(
        dependant.model_copy(update={"patient": child}),
        payment,
        remittance,
        subscriber=person,
        payer=expected.payer,
    )
    assert made.patient == child
