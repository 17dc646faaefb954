"""`edi.balance_problems`: the 835 balancing rules of x12-notes §8.1, on hand-made remittances.

Every expected message was worked out by hand from the amounts in the test (the arithmetic is in the
comments), not taken from the code under test.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import edi
from edi.models.remittance import Remittance
from tests.helpers import PAYER_PAYEE_835, interchange


def remit(bpr: str, *claims_and_plb: str) -> Remittance:
    """The one remittance of an 835 with this BPR, the payer and payee above, and these segments."""
    body = [bpr, *PAYER_PAYEE_835, *claims_and_plb]
    reader = edi.read_remittances(interchange(body=body).encode())
    (one,) = list(reader)
    assert [str(d) for d in reader.diagnostics] == []
    return one


def test_balance_problems_is_public() -> None:
    assert "balance_problems" in edi.__all__
    assert edi.balance_problems is edi.transactions.remit835.balance_problems


def test_a_balanced_claim_with_claim_and_line_adjustments() -> None:
    # Line 1: 100 − 40 = 60; line 2: 50 − 0 = 50. Claim: 150 − (10 + 40) = 100.
    # Lines vs claim: (60 + 50) − 10 = 100. BPR02 100 = 100 − 0.
    r = remit(
        "BPR*I*100*C*CHK************20240115",
        "CLP*PCN1*1*150*100*0*12*ICN1",
        "CAS*CO*45*10",
        "NM1*QC*1*DOE*PAT****MI*M1",
        "SVC*HC:99213*100*60**1",
        "CAS*CO*45*30*1*253*10",
        "SVC*HC:81002*50*50**1",
    )
    assert edi.balance_problems(r) == []


def test_cas_quantities_never_count_and_negative_cas_adds_to_the_payment() -> None:
    # CAS*CO*45*20*3: the quantity 3 is not an amount. CAS*OA*94*-9 (processed in excess of charges)
    # raises the payment: 100 − (20 − 9) = 89.
    r = remit(
        "BPR*I*89*C*CHK************20240115",
        "CLP*PCN1*1*100*89**12*ICN1",
        "NM1*QC*1*DOE*PAT****MI*M1",
        "SVC*HC:99213*100*89**1",
        "CAS*CO*45*20*3",
        "CAS*OA*94*-9",
    )
    assert edi.balance_problems(r) == []


def test_a_line_that_does_not_balance_and_the_claim_vs_lines_failure_it_causes() -> None:
    # The shared sample unbalanced_835.x12: line 2 is 50 − 30 = 20 but pays 25. The claim itself
    # balances (150 − (40 + 30) = 80), but its lines pay 60 + 25 = 85 with no claim CAS, not 80.
    r = remit(
        "BPR*I*81.5*C*CHK************20240115",
        "CLP*PCN0001*1*150*80*20*12*PAYERCLM001",
        "NM1*QC*1*DOE*JOHN****MI*W123456789",
        "AMT*I*1.5",
        "SVC*HC:99213:25*100*60**1",
        "CAS*CO*45*20",
        "CAS*PR*3*20",
        "SVC*HC:81002*50*25**1",
        "CAS*CO*45*30",
        "PLB*1234567893*20241231*L6*-1.5",
    )
    assert edi.balance_problems(r) == [
        "claim PCN0001 (#1) line 2: SVC02 50 − Σ CAS 30 = 20 ≠ SVC03 25 (off by 5)",
        "claim PCN0001 (#1): Σ SVC03 85 − Σ claim CAS 0 = 85 ≠ CLP04 80 (off by 5)",
    ]


def test_a_claim_whose_adjustments_do_not_add_up() -> None:
    # No lines: 200 − 50 = 150, but CLP04 says 140; BPR02 140 = Σ CLP04, so only the claim fails.
    r = remit(
        "BPR*I*140*C*CHK************20240115",
        "CLP*PCN1*1*200*140**12*ICN1",
        "CAS*CO*45*50",
        "NM1*QC*1*DOE*PAT****MI*M1",
    )
    assert edi.balance_problems(r) == [
        "claim PCN1 (#1): CLP03 200 − Σ claim and line CAS 50 = 150 ≠ CLP04 140 (off by 10)"
    ]


def test_amounts_in_messages_are_digits_never_an_exponent() -> None:
    # str(Decimal) would say 1E-7 and 0E-7; the amounts are shown as they would be written.
    r = remit(
        "BPR*I*0.0000001*C*CHK************20240115",
        "CLP*PCN1*1*0.0000002*0.0000001**12*ICN1",
        "NM1*QC*1*DOE*PAT****MI*M1",
    )
    assert edi.balance_problems(r) == [
        "claim PCN1 (#1): CLP03 0.0000002 − Σ claim and line CAS 0 = 0.0000002 ≠ CLP04 0.0000001 (off by 0.0000001)"
    ]


def test_claim_vs_lines_is_checked_even_when_lines_and_claim_balance() -> None:
    # Rule 3 (x12-notes §8.1): the line balances (100 − 0 = 100) and so does the claim
    # (150 − 50 = 100), but Σ SVC03 − claim CAS = 100 − 50 = 50 ≠ 100: the line charges (100) do not
    # make up CLP03 (150). Rules 1, 2 and 4 alone find nothing here.
    r = remit(
        "BPR*I*100*C*CHK************20240115",
        "CLP*PCN1*1*150*100**12*ICN1",
        "CAS*CO*45*50",
        "NM1*QC*1*DOE*PAT****MI*M1",
        "SVC*HC:99213*100*100**1",
    )
    assert edi.balance_problems(r) == [
        "claim PCN1 (#1): Σ SVC03 100 − Σ claim CAS 50 = 50 ≠ CLP04 100 (off by 50)"
    ]


def test_claims_are_named_by_position_too() -> None:
    # A reversal and its correction share CLP01; the second (100 − 10 = 90) says it pays 95.
    # BPR02 15 = −80 + 95 keeps the set rule quiet.
    r = remit(
        "BPR*I*15*C*CHK************20240115",
        "CLP*PCN4*22*-100*-80**12*ICN4",
        "CAS*CO*45*-20",
        "NM1*QC*1*DOE*PAT****MI*M1",
        "CLP*PCN4*1*100*95**12*ICN5",
        "CAS*CO*45*10",
        "NM1*QC*1*DOE*PAT****MI*M1",
    )
    assert edi.balance_problems(r) == [
        "claim PCN4 (#2): CLP03 100 − Σ claim and line CAS 10 = 90 ≠ CLP04 95 (off by 5)"
    ]


def test_bpr02_against_claims_and_provider_adjustments() -> None:
    # Σ CLP04 150 − Σ PLB (200 − 47.50) = −2.50; BPR02 says 0.
    r = remit(
        "BPR*H*0*C*NON************20240115",
        "CLP*PCN1*1*200*150**12*ICN1",
        "CAS*CO*45*50",
        "NM1*QC*1*DOE*PAT****MI*M1",
        "PLB*1234567893*20241231*WO:ICN0*200*FB:ICN0*-47.50",
    )
    assert edi.balance_problems(r) == ["BPR02 0 ≠ Σ CLP04 150 − Σ PLB 152.50 = -2.50 (off by 2.50)"]


REVERSAL_ONLY = (
    "CLP*PCN4*22*-100*-80**12*ICN4",
    "CAS*CO*45*-20",
    "NM1*QC*1*DOE*PAT****MI*M1",
)


def test_a_debit_counts_bpr02_as_negative() -> None:
    # x12-notes §8.1 rule 4: BPR03 D makes BPR02 negative. The only claim is a reversal
    # (−100 − (−20) = −80): the payer takes 80 back, BPR*I*80*D.
    debit = remit("BPR*I*80*D*CHK************20240115", *REVERSAL_ONLY)
    assert debit.payment.signed_amount == -80
    assert edi.balance_problems(debit) == []
    # The same amount as a credit does not balance: the provider would be paid 80, not charged.
    credit = remit("BPR*I*80*C*CHK************20240115", *REVERSAL_ONLY)
    assert credit.payment.signed_amount == 80
    assert edi.balance_problems(credit) == ["BPR02 80 ≠ Σ CLP04 -80 − Σ PLB 0 = -80 (off by 160)"]
    # A debit whose amount is wrong names the sign it counted with.
    wrong = remit("BPR*I*70*D*CHK************20240115", *REVERSAL_ONLY)
    assert edi.balance_problems(wrong) == [
        "BPR02 70, a debit (BPR03 D), counts as -70 ≠ Σ CLP04 -80 − Σ PLB 0 = -80 (off by 10)"
    ]


CLAIM_WITH_INTEREST = (
    "CLP*PCN1*1*100*80**12*ICN1",
    "CAS*CO*45*20",
    "NM1*QC*1*DOE*PAT****MI*M1",
    "AMT*I*1.5",
)


def test_claim_interest_is_paid_through_plb_l6() -> None:
    # x12-notes §8.1 rule 5: PLB L6 = net Σ AMT*I, as a negative PLB amount (money to the provider).
    # BPR02 81.50 = 80 − (−1.50).
    paid = remit(
        "BPR*I*81.5*C*CHK************20240115",
        *CLAIM_WITH_INTEREST,
        "PLB*1234567893*20241231*L6:PCN1*-1.5",
    )
    assert edi.balance_problems(paid) == []
    # Interest on the claim but no L6: BPR02 80 = 80 balances, the interest was never paid.
    unpaid = remit("BPR*I*80*C*CHK************20240115", *CLAIM_WITH_INTEREST)
    # The claims with interest are named (a set of hundreds: the posting tester), and the problem
    # is about the first of them.
    assert edi.balance_problems(unpaid) == [
        "PLB L6 0 ≠ −(Σ claim AMT*I 1.5) = -1.5 (interest paid) (off by 1.5); no PLB L6, the "
        "AMT*I of claim PCN1 (#1)"
    ]
    ((_, _, about),) = edi.balance_findings(unpaid)
    assert about is unpaid.claims[0]
    # L6 with the wrong sign takes the interest away instead (80 − 1.50 = 78.50 = BPR02).
    taken = remit(
        "BPR*I*78.5*C*CHK************20240115",
        *CLAIM_WITH_INTEREST,
        "PLB*1234567893*20241231*L6:PCN1*1.5",
    )
    assert edi.balance_problems(taken) == [
        "PLB L6 1.5 ≠ −(Σ claim AMT*I 1.5) = -1.5 (interest paid) (off by 3.0)"
    ]


def test_zero_dollar_provider_adjustments_are_reported() -> None:
    # x12-notes §8.1 rule 5: zero-dollar PLB adjustments are not allowed [RFI 1324]. They change no
    # sum (BPR02 100 = 100 − (5 − 5)), so only this rule sees them; each names its PLB and reason.
    r = remit(
        "BPR*I*100*C*CHK************20240115",
        "CLP*PCN1*1*100*100**12*ICN1",
        "NM1*QC*1*DOE*PAT****MI*M1",
        "PLB*1234567893*20241231*WO:ICN0*0",
        "PLB*1234567893*20241231*FB:ICN0*5*CS*0.00*72*-5",
    )
    assert edi.balance_problems(r) == [
        "PLB 1 WO: a provider adjustment of 0 (zero-dollar adjustments are not allowed)",
        "PLB 2 CS: a provider adjustment of 0.00 (zero-dollar adjustments are not allowed)",
    ]
    # Built in code without PLB numbers, so as the writer packs them: one PLB of six pairs at most.
    built = Remittance.model_validate(
        r.model_dump(mode="json", exclude={"provider_adjustments": {"__all__": {"segment"}}})
    )
    assert [p.split(":")[0] for p in edi.balance_problems(built)] == ["PLB 1 WO", "PLB 1 CS"]
    # Seven pairs of one provider and date: six fill PLB 1, the seventh (the zero) starts PLB 2.
    zero = built.provider_adjustments[0]
    built.provider_adjustments = [zero.model_copy(update={"amount": Decimal(1)})] * 6 + [zero]
    problems = edi.balance_problems(built)
    assert [p.split(":")[0] for p in problems if p.startswith("PLB")] == ["PLB 2 WO"]
    # A value edited in code that cannot be written: a checker reports, it does not raise.
    built.provider_adjustments[0] = zero.model_copy(update={"reference": "A:B*C"})
    problems = edi.balance_problems(built)
    assert [p.split(":")[0] for p in problems if p.startswith("PLB")] == ["PLB WO", "PLB WO"]


def test_each_set_level_problem_is_about_the_segment_it_concerns() -> None:
    """`balance_findings` gives the BPR02 total as the payment's problem and a PLB rule as its
    provider adjustment's, each with `read_at` at its own segment, not the remittance at its ST."""
    # Σ CLP04 100 − Σ PLB (0 − 1.50 − 40) = 141.50 ≠ BPR02 150; PLB L6 −1.50 ≠ −AMT*I 2; a WO of 0.
    # ST is segment 1, then BPR 2, the 7 segments of PAYER_PAYEE_835 (3-9), CLP 10, NM1 11, AMT 12,
    # PLB 13 and PLB 14; ISA and GS take lines 1 and 2, so segment n is on line n + 2.
    r = remit(
        "BPR*I*150*C*CHK************20240115",
        "CLP*PCN1*1*100*100**12*ICN1",
        "NM1*QC*1*DOE*PAT****MI*M1",
        "AMT*I*2",
        "PLB*1234567893*20241231*WO:ICN0*0",
        "PLB*1234567893*20241231*FB:ICN0*-40*L6:PCN1*-1.5",
    )
    found = [(where, model, model.read_at) for where, _, model in edi.balance_findings(r)]
    bpr, interest, zero = found
    assert bpr[:2] == ("", r.payment)
    assert (bpr[2].segment_index, bpr[2].segment_id, bpr[2].line) == (2, "BPR", 4)
    assert interest[:2] == ("", r.provider_adjustments[2])  # the L6 pair, in the second PLB
    assert (interest[2].segment_index, interest[2].segment_id, interest[2].line) == (14, "PLB", 16)
    assert zero[:2] == ("PLB 1 WO", r.provider_adjustments[0])
    assert (zero[2].segment_index, zero[2].segment_id, zero[2].line) == (13, "PLB", 15)
    # Interest owed with no L6 at all: no PLB to place it at, so the first claim with AMT*I (its
    # CLP: the poster looks for it); the remittance (its ST) had been.
    unpaid = remit("BPR*I*80*C*CHK************20240115", *CLAIM_WITH_INTEREST)
    ((_, _, about),) = edi.balance_findings(unpaid)
    assert about is unpaid.claims[0] and about.read_at is not None
    assert about.read_at.segment_id == "CLP"


def test_a_patient_responsibility_unlike_its_pr_adjustments_is_a_warning() -> None:
    """x12-notes §8.1, "soft consistency checks (warnings, not TR3 balancing rules)": CLP05 and the
    sum of the claim's PR adjustments, claim and line level, tell the poster what the patient owes.
    The 835 had no way to say they differ (the 835 poster tester)."""
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "835" / "partly_paid.x12"
    text = fixture.read_text()
    # PCN2001: CLP05 50.00 = PR 30.00 + PR 20.00 at its lines; PCN2002: CLP05 15 = PR 15 (claim).
    (remit,) = edi.read_remittances(text)
    assert edi.balance_warnings(remit) == []
    first, second = remit.claims
    first.patient_responsibility = Decimal("55.00")
    # CLP05 is situational, but given when the CAS say the patient owes (X12 RFI 2548, RFI 680).
    second.patient_responsibility = None
    assert edi.balance_warnings(remit) == [
        "claim PCN2001 (#1): CLP05 (patient responsibility) 55.00 ≠ Σ PR CAS 50.00 (claim and "
        "lines): the amount the patient owes is said twice, not alike",
        "claim PCN2002 (#2): no CLP05 (patient responsibility), but Σ PR CAS 15 (claim and lines): "
        "the patient owes what the CAS say, which CLP05 does not",
    ]
    # Nothing owed, a reversal (RFI 2548's exception) or a predetermination (CLP02 25: an
    # estimate, x12-notes §9.3): no CLP05 is no warning.
    second.status = "22"
    assert len(edi.balance_warnings(remit)) == 1
    second.status = "25"
    assert len(edi.balance_warnings(remit)) == 1
    second.status = "1"
    groups = [adjustment.group for adjustment in second.adjustments]
    for adjustment in second.adjustments:
        adjustment.group = "CO"
    assert len(edi.balance_warnings(remit)) == 1
    for adjustment, group in zip(second.adjustments, groups, strict=True):
        adjustment.group = group
    # Not a balancing rule: the remittance is written, and balances.
    assert edi.balance_problems(remit) == [] and edi.write_835([remit])
    # A reversal's amounts are negated, CLP05 and CAS alike.
    second.patient_responsibility = Decimal("-15")
    assert len(edi.balance_warnings(remit)) == 2
    for adjustment in second.adjustments:
        adjustment.amount = -adjustment.amount
    assert len(edi.balance_warnings(remit)) == 1


def test_edi_remit_says_the_warning_and_exits_0(tmp_path: Path) -> None:
    from tests.test_cli import run

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "835" / "partly_paid.x12"
    source = tmp_path / "clp05.x12"
    source.write_text(
        fixture.read_text().replace("CLP*PCN2002*1*90*60*15*", "CLP*PCN2002*1*90*60*25*")
    )
    for options in ([], ["--no-check"]):
        code, _, err = run("remit", str(source), *options)
        assert code == 0
        assert err == (
            f"{source}: warning: segment 36 CLP (line 38, loop 2100): 835 0001 claim PCN2002 (#2): "
            "CLP05 (patient responsibility) 25 ≠ Σ PR CAS 15 (claim and lines): the amount the "
            "patient owes is said twice, not alike\n"
        )


def test_a_denied_claim_that_pays_is_a_warning() -> None:
    """x12-notes §9.3: a denial (CLP02 4) "usually" pays nothing (CLP04 0). One that pays tells
    the poster two things; not a balancing rule, so a warning (the 835 producer tester)."""
    denied = ("CLP*PCN1*4*100*80**12*ICN1", "CAS*CO*45*20", "NM1*QC*1*DOE*PAT****MI*M1")
    paying = remit("BPR*I*80*C*CHK************20240115", *denied)
    assert edi.balance_problems(paying) == []
    assert edi.balance_warnings(paying) == [
        "claim PCN1 (#1): CLP02 4 (denied) with CLP04 80: a denied claim is paid nothing as a "
        "rule (x12-notes §9.3); is it a denial, or a payment?"
    ]
    # Paying nothing, as a denial does: no warning.
    nothing = ("CLP*PCN1*4*100*0**12*ICN1", "CAS*CO*50*100", "NM1*QC*1*DOE*PAT****MI*M1")
    assert edi.balance_warnings(remit("BPR*H*0*C*NON************20240115", *nothing)) == []
