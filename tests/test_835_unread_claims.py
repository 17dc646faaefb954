"""An 835 set with a broken claim payment: that claim (and the claims on either side of it, which may
hold its segments) is not read, the set's other claims are, and the remittance says what it lacks
(`Remittance.unread_claims`), so nothing is posted for those claims unnoticed and the remittance is
not written back as if it were whole."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import edi
from edi.errors import WriteError
from edi.models.remittance import UnreadClaim
from tests.helpers import PAYER_PAYEE_835, interchange
from tests.test_cli import run

# Five claims of one LX, each paid in full with one line: BPR02 = 10 + 20 + 30 + 40 + 50 = 150.
CLAIMS = {n: [f"CLP*PCN{n}*1*{10 * n}*{10 * n}**12*ICN{n}*11*1", f"NM1*QC*1*DOE{n}*PAT****MI*M{n}",
              f"SVC*HC:99213*{10 * n}*{10 * n}**1", "DTM*472*20240102"] for n in range(1, 6)}  # fmt: skip
HEADER = ["BPR*I*150*C*CHK************20240105", *PAYER_PAYEE_835]
# The segment number in the set (ST = 1) of each claim's CLP, as the files below have them.
CLP_AT = {n: 10 + 4 * (n - 1) for n in range(1, 6)}


def _set(**changed: list[str]) -> str:
    """The five-claim set, the claims named (`c3=[...]`) replaced by the segments given."""
    body = list(HEADER)
    for n, segments in CLAIMS.items():
        body += changed.get(f"c{n}", segments)
    return interchange(body=body)


def _read(text: str) -> tuple[list[edi.Remittance], edi.RemittanceReader]:
    reader = edi.read_remittances(text)
    return list(reader), reader


def test_the_file_as_written_reads_whole() -> None:
    """The control: the five claims, nothing unread, BPR02 balanced."""
    (remit,), reader = _read(_set())
    assert [c.patient_control_number for c in remit.claims] == [f"PCN{n}" for n in range(1, 6)]
    assert remit.unread_claims == [] and reader.diagnostics == []
    assert edi.balance_problems(remit) == []
    assert [c.read_at.segment_index for c in remit.claims] == list(CLP_AT.values())


def test_a_claim_whose_loops_break_is_not_read_nor_its_neighbours_and_the_others_are() -> None:
    # A second NM1*QC after claim 3's line: no place for it in a 2110 (x12-notes §7: NM1 is in 2100
    # before the lines), so the structure breaks inside claim 3.
    text = _set(c3=[*CLAIMS[3], "NM1*QC*1*DOE3*PAT****MI*M3"])
    (remit,), reader = _read(text)
    assert reader.sets_read == 1 and reader.sets_skipped == 0
    assert [c.patient_control_number for c in remit.claims] == ["PCN1", "PCN5"]
    assert [(u.patient_control_number, u.paid, u.segment) for u in remit.unread_claims] == [
        ("PCN2", Decimal("20"), CLP_AT[2]),
        ("PCN3", Decimal("30"), CLP_AT[3]),
        ("PCN4", Decimal("40"), CLP_AT[4] + 1),  # after the stray NM1 of claim 3
    ]
    stray = CLP_AT[3] + 4
    reasons = [u.reason for u in remit.unread_claims]
    assert reasons[1] == f"the loop structure breaks in its loops (segment {stray} NM1)"
    assert (
        reasons[0]
        == reasons[2]
        == (
            f"the claim payment next to it is not read: the loop structure breaks in its loops "
            f"(segment {stray} NM1); it may hold this one's segments or this one its"
        )
    )
    said = [d for d in reader.diagnostics if d.code == "remit.claim_unread"]
    assert [(d.location.segment_index, d.location.segment_id, d.severity.value) for d in said] == [
        (CLP_AT[2], "CLP", "error"),
        (CLP_AT[3], "CLP", "error"),
        (CLP_AT[4] + 1, "CLP", "error"),
    ]
    assert str(said[0]).startswith(
        f"segment {CLP_AT[2]} CLP (line {CLP_AT[2] + 2}, loop 2100 claim payment): claim payment "
        "'PCN2' is not read: "
    )
    # The structure problem itself is said too, where it is.
    assert any(
        d.code.startswith("structure.") and d.location.segment_index == stray
        for d in reader.diagnostics
    )
    # BPR02 counts the claims not read, whose CLP04 (20 + 30 + 40) close the gap to the 60 read:
    # the remittance is only incomplete (write_835 says so), BPR02 is not said to be off.
    assert edi.balance_problems(remit) == []


def test_a_clp_moved_past_its_lines_does_not_give_them_to_the_claim_before() -> None:
    """Claim 3's CLP after its NM1 and line: they follow claim 2's line, where the NM1 breaks the
    structure; claim 3's CLP then opens a claim with only a DTM. Claim 2 must not be read with
    claim 3's line, nor claim 3 with none."""
    clp, nm1, svc, dtm = CLAIMS[3]
    (remit,), _ = _read(_set(c3=[nm1, svc, clp, dtm]))
    assert [c.patient_control_number for c in remit.claims] == ["PCN4", "PCN5"]
    assert [u.patient_control_number for u in remit.unread_claims] == ["PCN1", "PCN2", "PCN3"]
    assert [[s.charge for s in c.services] for c in remit.claims] == [[40], [50]]


def test_a_claim_without_its_clp_is_listed_without_a_patient_control_number() -> None:
    """Claim 3's CLP deleted: its NM1 follows claim 2's line, which breaks the structure there."""
    (remit,), _ = _read(_set(c3=CLAIMS[3][1:]))
    # Claim 3's NM1 breaks claim 2's line loop: claim 2 is not read, nor its neighbours (claim 4
    # holds nothing of claim 3 here, but the reader cannot know where claim 2's segments end).
    assert [c.patient_control_number for c in remit.claims] == ["PCN5"]
    assert [u.patient_control_number for u in remit.unread_claims] == ["PCN1", "PCN2", "PCN4"]


def test_a_claim_with_a_value_that_is_no_amount_costs_that_claim_alone() -> None:
    bad = [CLAIMS[2][0].replace("*20*20*", "*20*2O*"), *CLAIMS[2][1:]]
    (remit,), reader = _read(_set(c2=bad))
    assert [c.patient_control_number for c in remit.claims] == ["PCN1", "PCN3", "PCN4", "PCN5"]
    assert remit.unread_claims == [
        UnreadClaim(
            patient_control_number="PCN2",
            paid=None,  # CLP04 is no number
            segment=CLP_AT[2],
            # The first error said of it tells which (the posting tester: the csv had no more).
            reason="a value it requires is missing or invalid: CLP04 is '2O', not a decimal "
            "number such as 125.50",
        )
    ]
    assert [d.code for d in reader.diagnostics] == ["mapping.invalid_value", "remit.claim_unread"]
    # Its CLP04 is no number: whether the claims not read close the gap is not known.
    assert edi.balance_problems(remit) == [
        "BPR02 150 ≠ Σ CLP04 130 − Σ PLB 0 = 130 (off by 20) (without the 1 claim payment(s) not read)"
    ]


@pytest.mark.parametrize(
    "header",
    [
        [line for line in HEADER if not line.startswith("N1*PE")],  # no payee: loop 1000B missing
        [*HEADER[:2], "NM1*QC*1*DOE*X", *HEADER[2:]],  # a patient in the set's header
    ],
)
def test_a_problem_outside_the_claims_still_costs_the_set(header: list[str]) -> None:
    body = header + [s for segments in CLAIMS.values() for s in segments]
    remits, reader = _read(interchange(body=body))
    assert remits == [] and reader.sets_skipped == 1
    assert [d.code for d in reader.diagnostics if d.code.startswith("remit.")] == [
        "remit.set_skipped"
    ]


def test_an_incomplete_remittance_is_not_written() -> None:
    (remit,), _ = _read(_set(c3=[*CLAIMS[3], "NM1*QC*1*DOE3*PAT****MI*M3"]))
    refusal = (
        "835 0001: 3 claim payment(s) of the set were not read (PCN2 at segment 14, PCN3 at "
        "segment 18, PCN4 at segment 23): the remittance is incomplete and is not written; fix the "
        "835 and read it again, or empty unread_claims to write the claims read alone"
    )
    with pytest.raises(edi.RemittanceCheckError) as checked:
        edi.write_835([remit])
    assert checked.value.problems[0] == refusal
    with pytest.raises(WriteError) as unchecked:
        edi.write_835([remit], check=False)
    assert str(unchecked.value) == refusal
    assert edi.check_remittances([remit])[0] == refusal
    # Emptied on purpose: the claims read alone (BPR02 no longer balances: refused when checked).
    remit.unread_claims = []
    text = edi.write_835([remit], check=False)
    assert "CLP*PCN1*" in text and "CLP*PCN5*" in text
    assert all(f"CLP*PCN{n}*" not in text for n in (2, 3, 4))


def test_the_json_carries_what_was_not_read_and_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "broken.835"
    path.write_text(_set(c3=[*CLAIMS[3], "NM1*QC*1*DOE3*PAT****MI*M3"]))
    code, out, err = run("remit", str(path), "--format", "json")
    assert code == 1
    (data,) = json.loads(out)
    assert [c["patient_control_number"] for c in data["claims"]] == ["PCN1", "PCN5"]
    assert data["unread_claims"][0] == {
        "patient_control_number": "PCN2",
        "paid": "20",
        "segment": CLP_AT[2],
        "reason": data["unread_claims"][0]["reason"],
    }
    (loaded,) = edi.load_remittances(json.dumps([data]))
    assert [u.patient_control_number for u in loaded.unread_claims] == ["PCN2", "PCN3", "PCN4"]
    with pytest.raises(WriteError):
        edi.write_835([loaded], check=False)
    # Said once each: the reader's error per claim, not again as the check's "incomplete".
    assert err.count("' is not read: ") == 3 and "incomplete" not in err


def test_edi_remit_shows_the_claims_not_read(tmp_path: Path) -> None:
    path = tmp_path / "broken.835"
    path.write_text(_set(c2=[CLAIMS[2][0].replace("*20*20*", "*20*2O*"), *CLAIMS[2][1:]]))
    code, out, err = run("remit", str(path))
    assert code == 1
    assert "\nnot read: PCN2 (segment 14)\n" in out  # CLP04 is no number: no amount shown
    assert "4 claim(s) paid 130.00, provider adjustments 0.00, 1 claim(s) not read\n" in out
    assert f"{path}: segment 14 CLP (line 16, loop 2100 claim payment): claim payment 'PCN2'" in err
    code, out, _ = run("remit", str(path), "--format", "csv", "--out", str(tmp_path / "csv"))
    assert code == 1 and "unread_claims 1" in out
    rows = (tmp_path / "csv" / "unread_claims.csv").read_text().splitlines()
    assert rows == [
        "remittance,set_control_number,patient_control_number,paid,segment,reason",
        "1,0001,PCN2,,14,\"a value it requires is missing or invalid: CLP04 is '2O', not a "
        'decimal number such as 125.50"',
    ]


def test_a_missing_clp_after_a_claim_without_lines_does_not_give_it_the_next_patient() -> None:
    """Claim 1 without lines (paid at claim level), claim 2's CLP missing: claim 2's NM1*QC and line
    follow claim 1's NM1*QC in loop 2100, which the guide allows but for the second NM1*QC (max use
    1). Two patients in one claim: claim 1 is not read (nor claim 3, next to it), rather than read
    with claim 2's line."""
    (remit,), reader = _read(_set(c1=CLAIMS[1][:2], c2=CLAIMS[2][1:]))
    assert [c.patient_control_number for c in remit.claims] == ["PCN4", "PCN5"]
    assert [u.patient_control_number for u in remit.unread_claims] == ["PCN1", "PCN3"]
    assert remit.unread_claims[0].reason == (
        "its loop holds twice a segment that a claim has once (segment 12 NM1)"
    )
    # The repeat is said where it is, though its claim is not read.
    assert [(d.code, d.location.segment_index) for d in reader.diagnostics][:2] == [
        ("remit.claim_unread", 10),
        ("structure.max_use", 12),
    ]


def test_a_clp_swapped_with_the_patient_before_it_is_not_read_into_the_claim_before() -> None:
    clp, nm1, *rest = CLAIMS[2]
    (remit,), _ = _read(_set(c1=CLAIMS[1][:2], c2=[nm1, clp, *rest]))
    assert "PCN1" not in [c.patient_control_number for c in remit.claims]
    assert remit.unread_claims[0].patient_control_number == "PCN1"


def test_an_lx_whose_only_claim_is_not_read_is_not_said_to_have_no_claims(tmp_path: Path) -> None:
    """The check writes the set as write_835 would: an LX whose claims were not read is left out
    there, not said to be "an LX without claims" (it has one, not read: said as such)."""
    path = tmp_path / "one.835"
    body = ["BPR*I*10*C*CHK************20240105", *PAYER_PAYEE_835]
    path.write_text(
        interchange(body=[*body, CLAIMS[1][0].replace("*10*10*", "*10*1O*"), *CLAIMS[1][1:]])
    )
    code, _, err = run("remit", str(path))
    assert code == 1
    assert "has no claims" not in err
    assert [line.split(": ", 1)[1].split(" (", 1)[0] for line in err.splitlines()] == [
        "segment 2 BPR",
        "segment 10 CLP",
        "segment 10 CLP",
    ]


def test_a_clp_repeated_is_not_read_as_a_claim_of_its_own() -> None:
    """Claim 3's CLP twice: the first has no patient (NM1*QC, which the guide requires), the mark of
    a CLP repeated or of one that took another's segments. It was read as a payment of its own (a
    reversal would have been posted twice). Neither it, nor the claims next to it, are read."""
    (remit,), reader = _read(_set(c3=[CLAIMS[3][0], *CLAIMS[3]]))
    assert [c.patient_control_number for c in remit.claims] == ["PCN1", "PCN4", "PCN5"]
    assert [(u.patient_control_number, u.segment) for u in remit.unread_claims] == [
        ("PCN2", CLP_AT[2]),
        ("PCN3", CLP_AT[3]),
        ("PCN3", CLP_AT[3] + 1),
    ]
    assert remit.unread_claims[1].reason == (
        f"its loops lack the patient (NM1*QC), which a claim requires (segment {CLP_AT[3]} CLP)"
    )
    with pytest.raises(edi.RemittanceCheckError, match="3 claim payment"):
        edi.write_835([remit])


def _dated(n: int) -> list[str]:
    """Claim n paid at claim level: CLP, NM1*QC and its statement-from date (DTM*232)."""
    return [CLAIMS[n][0], CLAIMS[n][1], f"DTM*232*2024010{n}"]


def test_a_date_a_claim_has_once_twice_in_its_loop_is_not_read_into_it() -> None:
    """Claim 2's date after claim 3's CLP and NM1 (claim 3's CLP moved up one): claim 3 held two
    DTM*232 and was read with claim 2's date, the other kept aside with a warning; claim 2 was read
    with none. Neither is read now, nor claim 4 next to them."""
    clp2, nm1_2, date2 = _dated(2)
    clp3, nm1_3, date3 = _dated(3)
    (remit,), _ = _read(_set(c2=[clp2, nm1_2], c3=[clp3, nm1_3, date2, date3]))
    assert [c.patient_control_number for c in remit.claims] == ["PCN1", "PCN5"]
    assert [u.patient_control_number for u in remit.unread_claims] == ["PCN2", "PCN3", "PCN4"]
    assert remit.unread_claims[1].reason.startswith(
        "its loop holds twice a segment that a claim has once (segment"
    )


def test_a_claim_out_of_order_among_claims_in_order_is_not_read() -> None:
    """Claim 3's CLP moved above claim 2's date: claim 3 reads DTM*232 (position 0500) before its
    NM1*QC (0300), which no other claim of the set does: claim 2's date was read as claim 3's."""
    clp2, nm1_2, date2 = _dated(2)
    clp3, nm1_3, _ = _dated(3)
    (remit,), _ = _read(_set(c2=[clp2, nm1_2], c3=[clp3, date2, nm1_3]))
    assert [c.patient_control_number for c in remit.claims] == ["PCN1", "PCN5"]
    assert [u.patient_control_number for u in remit.unread_claims] == ["PCN2", "PCN3", "PCN4"]
    assert "an NM1 of its loop comes after a segment the guide puts after it" in (
        remit.unread_claims[1].reason
    )


def test_a_payer_that_puts_every_claim_out_of_order_is_read() -> None:
    """Every claim with its date before its patient: how this payer writes its 835s, not a claim's
    segments slid into another's. Read, and said by the checks (segment order)."""
    claims = {f"c{n}": [_dated(n)[0], _dated(n)[2], _dated(n)[1]] for n in range(1, 6)}
    (remit,), reader = _read(_set(**claims))
    assert [c.patient_control_number for c in remit.claims] == [f"PCN{n}" for n in range(1, 6)]
    assert remit.unread_claims == [] and reader.diagnostics == []
    assert [c.statement_from for c in remit.claims] == [date(2024, 1, n) for n in range(1, 6)]
    assert any("comes before" in p for p in edi.check_remittances([remit]))


def test_two_late_segments_swapped_are_no_sign() -> None:
    """A REF after the DTM of one claim (both follow its NM1): out of the guide's order, but no
    trace of another claim's segments. Read."""
    clp, nm1, date2 = _dated(2)
    (remit,), _ = _read(_set(c2=[clp, nm1, date2, "REF*EA*MRN2"]))
    assert len(remit.claims) == 5 and remit.unread_claims == []


def test_a_clp_with_its_status_lost_is_not_read() -> None:
    """CLP02 dropped: every later element one place early, the charge 50 read as the status. No
    claim status code: what to post is unknown. Said at CLP02; the claim alone is not read (no
    segment moved)."""
    (remit,), reader = _read(_set(c2=["CLP*PCN2*50*50*0*12*ICN2*11*1", *CLAIMS[2][1:]]))
    assert [c.patient_control_number for c in remit.claims] == ["PCN1", "PCN3", "PCN4", "PCN5"]
    assert [u.reason for u in remit.unread_claims] == ["CLP02 is no claim status code"]
    (said,) = [d for d in reader.diagnostics if d.code == "remit.unknown_status"]
    assert str(said) == (
        f"segment {CLP_AT[2]} CLP (line {CLP_AT[2] + 2}, loop 2100 claim payment, element CLP02): "
        "CLP02 '50' is no claim status code of 005010X221A1 (1, 2, 3, 4, 19, 20, 21, 22, 23, 25); "
        "expected a claim status code such as 1 (processed as primary)"
    )
    assert said.ack == "IK403:7"


def test_a_claim_adjustment_after_the_names_is_read() -> None:
    """Claims with a claim-level CAS written after the claim's NM1*QC (0200 before 0300 in the
    guide): how this payer writes its claim adjustments, not another claim's segments. Read."""
    # Charged 5 more than paid, the 5 a claim-level CO 45: CLP03 − CAS = CLP04, and the line's
    # payment less the claim's CAS is CLP04 (x12-notes §8.1 rules 2 and 3).
    late_cas = {
        f"c{n}": [CLAIMS[n][0].replace(f"*{10 * n}*{10 * n}*", f"*{10 * n + 5}*{10 * n}*"),
                  CLAIMS[n][1], "CAS*CO*45*5", f"SVC*HC:99213*{10 * n + 5}*{10 * n + 5}**1",
                  CLAIMS[n][3]]
        for n in (2, 4)
    }  # fmt: skip
    (remit,), reader = _read(_set(**late_cas))
    assert [c.patient_control_number for c in remit.claims] == [f"PCN{n}" for n in range(1, 6)]
    assert remit.unread_claims == [] and reader.diagnostics == []
    assert [len(c.adjustments) for c in remit.claims] == [0, 1, 0, 1, 0]
    # One claim alone so is read too: a CAS slid from one claim to the next leaves neither
    # balanced, which the checks say (and a payer may write its claim adjustments after the names).
    (remit,), reader = _read(_set(c2=late_cas["c2"]))
    assert remit.unread_claims == [] and reader.diagnostics == []
    assert edi.balance_problems(remit) == []


def test_a_claim_broken_itself_says_its_own_problem_not_its_neighbours() -> None:
    """Claims 2 and 3 each with a stray NM1*QC after their line: claim 3 is next to claim 2, but
    why it is not read is its own stray, not claim 2's."""
    stray = "NM1*QC*1*DOE*X"
    (remit,), _ = _read(_set(c2=[*CLAIMS[2], stray], c3=[*CLAIMS[3], stray]))
    reasons = {u.patient_control_number: u.reason for u in remit.unread_claims}
    assert (
        reasons["PCN2"] == f"the loop structure breaks in its loops (segment {CLP_AT[2] + 4} NM1)"
    )
    assert reasons["PCN3"] == (
        f"the loop structure breaks in its loops (segment {CLP_AT[3] + 5} NM1)"
    )
    assert reasons["PCN1"].startswith("the claim payment next to it is not read")
    assert [c.patient_control_number for c in remit.claims] == ["PCN5"]


def test_an_nm1_the_claim_has_no_place_for_is_no_sign_of_another_claim() -> None:
    """An NM1*DK (a qualifier the 2100 does not list, so the model has no place for it) is out of
    place, not another claim's patient: kept as read with a warning, and the claim read. It was
    said to be "a segment a claim has once, twice", and cost its neighbours too."""
    (remit,), reader = _read(_set(c3=[*CLAIMS[3][:2], "NM1*DK*1*DOE*Y", *CLAIMS[3][2:]]))
    assert len(remit.claims) == 5 and remit.unread_claims == []
    assert [d.code for d in reader.diagnostics] == ["mapping.unplaced"]


def test_a_payer_that_writes_remarks_last_is_read() -> None:
    """MOA after the claim's REF in one claim and after its DTM in another: MOA last, the payer's
    way, whatever the claim carries before it. Read (the checks say the order)."""
    moa = "MOA***MA01"
    (remit,), reader = _read(
        _set(
            c2=[*CLAIMS[2][:2], "REF*EA*MRN2", moa, *CLAIMS[2][2:]],
            c4=[*CLAIMS[4][:2], "DTM*232*20240104", moa, *CLAIMS[4][2:]],
        )
    )
    assert len(remit.claims) == 5 and remit.unread_claims == [] and reader.diagnostics == []
    assert [c.outpatient is not None for c in remit.claims] == [False, True, False, True, False]


def test_the_reader_lists_the_sets_it_could_not_read() -> None:
    """`RemittanceReader.unread_sets`: each 835 set that did not become a remittance, with its
    control numbers (ST02, GS06, ISA13), the line of its ST and why."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "835"
    text = (fixtures / "multiple_sets.x12").read_text()
    second = text.index("ST*835*0002")
    bpr = text.index("BPR*I*", second)
    text = text[: bpr + 6] + "X" + text[bpr + 6 :]  # BPR02 is no number: the set is skipped
    reader = edi.read_remittances(text)
    assert [r.envelope.set_control_number for r in reader] == ["0001", "0003"]
    # With the first error found, and the payment as its BPR and TRN say it (BPR*I*X75*C*CHK
    # ...*20240313, TRN*1*CHK8002*1999999999): the deposit that has no posting (the posting
    # accountant tester: the row named no payment, and its reason no error).
    assert reader.unread_sets == [
        edi.UnreadSet(
            "0002",
            "801",
            "000000108",
            text[:second].count("\n") + 1,
            "required data is missing or invalid: BPR02 (3 characters) is not a decimal number "
            "such as 125.50",
            "X75",
            "C",
            "20240313",
            "CHK8002",
            "1999999999",
            "CHK",  # BPR04
        )
    ]
    assert reader.sets_skipped == 1
    list(reader)  # read again: listed once
    assert len(reader.unread_sets) == 1


def test_a_set_without_its_se_is_not_read() -> None:
    """A set whose SE is missing before the next ST may have lost its end with its SE: a denied
    claim (CLP04 0) lost with it leaves the rest balanced, and it was handed out as whole and
    posted (the posting tester). It is not read, as a set the input cuts short."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "835"
    text = (fixtures / "multiple_sets.x12").read_text()
    second = text.index("ST*835*0002")
    se = text.rindex("SE*", 0, second)
    text = text[:se] + text[text.index("\n", se) + 1 :]  # set 0001 loses its SE
    reader = edi.read_remittances(text)
    assert [r.envelope.set_control_number for r in reader] == ["0002", "0003"]
    (unread,) = reader.unread_sets
    assert (unread.set_control_number, unread.line) == ("0001", 3)
    assert "no SE trailer" in unread.reason
    assert [d.code for d in reader.diagnostics] == ["envelope.missing_se", "remit.set_skipped"]


def test_a_payment_read_twice_is_said() -> None:
    """x12-notes §9.1.3: (TRN03, TRN02, BPR16, BPR02) keys a payment; a second set with the same key
    is the 835 sent again, not new money. Two such sets in one file were read without a word
    (the posting tester)."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "835"
    text = (fixtures / "partly_paid.x12").read_text()
    start, end = text.index("ST*835*0001"), text.index("GE*")
    again = (
        text[start:end].replace("ST*835*0001", "ST*835*0002").replace("SE*41*0001", "SE*41*0002")
    )
    twice = text[:end] + again + text[end:].replace("GE*1*", "GE*2*")
    reader = edi.read_remittances(twice)
    assert len(list(reader)) == 2
    (said,) = reader.diagnostics
    assert (said.code, said.severity, said.set_control_number) == (
        "remit.duplicate_payment",
        edi.Severity.WARNING,
        "0002",
    )
    assert said.location is not None and said.location.segment_id == "TRN"
    assert said.message.startswith("the payment of set '0002' (trace TRN02 EFT2001, BPR02 180.00")
    # The first set is named by its ST's line too (the sets of a file's interchanges often share
    # ST02 0001: "set '0001' read before" named none; the batch tester).
    # And by its interchange, and the key's date and payer id given (the posting tester).
    assert "is the one of set '0001' (line 3, interchange '000000102') read before" in said.message
    assert "BPR16 2024-03-05, TRN03 1999999999)" in said.message
    # Another trace number: another payment.
    other = twice[: twice.index("ST*835*0002")] + again.replace("EFT2001", "EFT2002")
    reader = edi.read_remittances(other + twice[twice.index("GE*") :])
    assert len(list(reader)) == 2 and reader.diagnostics == []


def test_a_remittance_gives_the_problems_of_its_set() -> None:
    """`Remittance.diagnostics`: the reader's problems placed in its set, so that a posting job
    need not tell sets apart by control numbers, which repeat (the posting tester)."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "835"
    text = (fixtures / "multiple_sets.x12").read_text()
    assert text.count("GE*") == 2
    bad = text.replace("GE*2*", "GE*3*", 1)  # the first group's count: said at its GE
    third = bad.index("ST*835*0003")
    bpr = bad.index("BPR*", third)
    bad = bad[:bpr] + bad[bpr:].replace("*20240313~", "*2024131~", 1)  # BPR16 no date
    reader = edi.read_remittances(bad)
    remits = list(reader)
    assert [d.code for d in reader.diagnostics] == ["envelope.ge01_count", "mapping.invalid_value"]
    assert [[d.code for d in r.diagnostics] for r in remits] == [[], [], ["mapping.invalid_value"]]
    assert remits[2].diagnostics[0] is reader.diagnostics[1]
    (loaded,) = edi.load_remittances("[" + remits[2].model_dump_json() + "]")
    assert loaded == remits[2] and loaded.diagnostics == []  # not carried by JSON
