"""835 models and their mapping (005010X221A1): what each element becomes, and what bad input gives.

Expected values come from the element meanings of x12-notes §7.1 and the map dump
../shared/maps/835.5010.X221.A1.full.txt, not from the code under test.
"""

from __future__ import annotations

import gzip
import io
import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import edi
from edi import codes
from edi.errors import DataError, StructureError, WriteError
from edi.models.remittance import Adjustment, ClaimPayment, Remittance, UnreadClaim
from tests.helpers import PAYER_PAYEE_835, interchange

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "835"

HEADER = ["BPR*I*130*C*CHK************20240115", *PAYER_PAYEE_835]
CLAIM = [
    "CLP*PCN1*1*150*130*20*12*ICN1*11*1",
    "CAS*PR*1*20",
    "NM1*QC*1*DOE*PAT****MI*M1",
]


def read_one(body: list[str]) -> tuple[Remittance, list[str]]:
    reader = edi.read_remittances(interchange(body=body).encode())
    (remit,) = list(reader)
    return remit, [str(d) for d in reader.diagnostics]


def write_body(remit: Remittance) -> list[str]:
    """The segments between ST and SE that write_835 makes of a remittance (unchecked: the bodies
    here show how segments map, not whole remittances that balance)."""
    lines = edi.write_835([remit], line_break="\n", check=False).splitlines()
    st = next(i for i, line in enumerate(lines) if line.startswith("ST*"))
    se = next(i for i, line in enumerate(lines) if line.startswith("SE*"))
    return [line.rstrip("~") for line in lines[st + 1 : se]]


# -- header, payer, payee --------------------------------------------------------------------------


def test_header_elements() -> None:
    body = [
        "BPR*C*1500.25*C*ACH*CTX*01*999999992*DA*123456*1999999999*123456789*01*888888880*DA*98765*20240115",
        "TRN*1*EFT77*1999999999*SUPPL",
        "CUR*PR*USD",
        "REF*EV*RECEIVER01",
        "REF*F2*V1",
        "DTM*405*20240114",
        *HEADER[2:],
        "CLP*PCN1*1*1500.25*1500.25**12*ICN1",
        "NM1*QC*1*DOE",
    ]
    remit, problems = read_one(body)
    assert problems == []
    pay = remit.payment
    assert (pay.handling, pay.amount, pay.credit_debit, pay.method) == (
        "C",
        Decimal("1500.25"),
        "C",
        "ACH",
    )
    assert pay.method_name == "automated clearing house (ACH)"
    assert (pay.format, pay.sender_dfi_id, pay.sender_account) == ("CTX", "999999992", "123456")
    assert (pay.payer_identifier, pay.originating_company_code) == ("1999999999", "123456789")
    assert (pay.receiver_dfi_id, pay.receiver_account) == ("888888880", "98765")
    assert pay.date == date(2024, 1, 15)
    assert (remit.trace.number, remit.trace.payer_id) == ("EFT77", "1999999999")
    assert remit.trace.originating_company_code == "SUPPL"
    assert (remit.currency, remit.receiver_id, remit.version_id) == ("USD", "RECEIVER01", "V1")
    assert remit.production_date == date(2024, 1, 14)
    assert write_body(remit) == body  # every element back where it was


def test_payer_and_payee() -> None:
    body = [
        HEADER[0],
        HEADER[1],
        "N1*PR*EXAMPLE PLAN*XV*PLAN01",
        "N3*1 MAIN ST*SUITE 2",
        "N4*SPRINGFIELD*IL*62701",
        "REF*2U*PAYER01",
        "PER*CX*CLAIMS*TE*8005550101*EX*12",
        "PER*BL*EDI DESK*EM*EDI@EXAMPLE.COM",
        "PER*IC**UR*WWW.EXAMPLE.COM",
        "N1*PE*EXAMPLE CLINIC*FI*999999999",
        "N3*2 OAK AVE",
        "N4*SPRINGFIELD*IL*62704",
        "REF*TJ*999999999",
        "REF*PQ*PAYEE01",
        "RDM*EM*REMIT DESK*REMIT@EXAMPLE.COM",
        "LX*1",
        *CLAIM,
    ]
    remit, problems = read_one(body)
    assert problems == []
    payer, payee = remit.payer, remit.payee
    assert (payer.name, payer.id_qualifier, payer.id) == ("EXAMPLE PLAN", "XV", "PLAN01")
    assert (payer.address_line_1, payer.address_line_2) == ("1 MAIN ST", "SUITE 2")
    assert (payer.city, payer.state, payer.postal_code) == ("SPRINGFIELD", "IL", "62701")
    assert [(r.qualifier, r.value) for r in payer.references] == [("2U", "PAYER01")]
    assert [c.function for c in payer.contacts] == ["CX", "BL", "IC"]
    assert payer.contacts[0].numbers == {"TE": "8005550101", "EX": "12"}
    assert payer.contacts[2].numbers == {"UR": "WWW.EXAMPLE.COM"}
    assert (payee.name, payee.id_qualifier, payee.id) == ("EXAMPLE CLINIC", "FI", "999999999")
    assert [r.qualifier for r in payee.references] == ["TJ", "PQ"]
    assert payee.delivery_method is not None
    assert payee.delivery_method.transmission == "EM"
    assert payee.delivery_method.number == "REMIT@EXAMPLE.COM"
    assert write_body(remit) == body


# -- claims ----------------------------------------------------------------------------------------


def test_every_clp_element() -> None:
    remit, problems = read_one(
        [*HEADER, "CLP*PCN9*2*1000*600*100*MA*ICN9*11*7**470*1.25*0.5", "NM1*QC*1*DOE*PAT"]
    )
    assert problems == []
    (claim,) = remit.claims
    assert claim.patient_control_number == "PCN9"
    assert (claim.status, claim.status_name) == ("2", "processed as secondary")
    assert (claim.charge, claim.paid, claim.patient_responsibility) == (
        Decimal(1000),
        Decimal(600),
        Decimal(100),
    )
    assert (claim.filing_indicator, claim.payer_claim_control_number) == ("MA", "ICN9")
    assert (claim.facility_type, claim.frequency) == ("11", "7")
    assert (claim.drg_code, claim.drg_weight, claim.discharge_fraction) == (
        "470",
        Decimal("1.25"),
        Decimal("0.5"),
    )


def test_claim_names_dates_references_amounts() -> None:
    body = [
        *HEADER,
        "CLP*PCN1*1*150*130*20*12*ICN1*11*1",
        "NM1*QC*1*DOE*PAT*M**JR*MI*M1",
        "NM1*IL*1*DOE*SUB****MI*S1",
        "NM1*74*1*DOE*PATRICIA",
        "NM1*82*1*HEALER*ANN****XX*1234567893",
        "NM1*TT*2*EXAMPLE CROSSOVER*****PI*X1",
        "NM1*PR*2*EXAMPLE PRIORITY*****PI*P1",
        "NM1*GB*1*OTHER*SUB****MI*O1",
        "REF*1L*GROUP1",
        "REF*EA*MRN1",
        "REF*0B*LIC1",
        "DTM*232*20240101",
        "DTM*233*20240103",
        "DTM*036*20241231",
        "DTM*050*20240105",
        "PER*CX*CLAIM DESK*TE*8005550102",
        "AMT*AU*150",
        "AMT*I*1.25",
        "QTY*CA*3",
    ]
    remit, problems = read_one(body)
    assert problems == []
    (claim,) = remit.claims
    assert claim.patient is not None and claim.patient.full_name == "DOE, PAT M JR"
    assert claim.insured is not None and claim.insured.id == "S1"
    assert claim.corrected_name is not None and claim.corrected_name.first_name == "PATRICIA"
    assert claim.rendering_provider is not None
    assert claim.rendering_provider.id_qualifier == "XX"
    assert claim.crossover_carrier is not None and claim.crossover_carrier.name == (
        "EXAMPLE CROSSOVER"
    )
    assert claim.corrected_priority_payer is not None
    assert claim.other_subscriber is not None and claim.other_subscriber.id == "O1"
    assert [r.qualifier for r in claim.references] == ["1L", "EA", "0B"]
    assert claim.reference("EA") == "MRN1" and claim.reference("F8") is None
    assert (claim.statement_from, claim.statement_to) == (date(2024, 1, 1), date(2024, 1, 3))
    assert (claim.coverage_expiration, claim.received_date) == (
        date(2024, 12, 31),
        date(2024, 1, 5),
    )
    assert claim.contacts[0].numbers == {"TE": "8005550102"}
    assert claim.amounts == {"AU": Decimal(150), "I": Decimal("1.25")}
    assert claim.quantities == {"CA": Decimal(3)}
    assert write_body(remit)[len(HEADER) :] == body[len(HEADER) :]


def test_six_triplets_in_one_cas_are_six_adjustments() -> None:
    cas = "CAS*CO*45*10*1*253*2**97*3**B7*4**A1*5**16*6*2"
    remit, problems = read_one([*HEADER, "CLP*PCN1*1*151*130**12*ICN1", cas, "NM1*QC*1*DOE*PAT"])
    assert problems == []
    adjustments = remit.claims[0].adjustments
    assert [(a.group, a.reason, a.amount, a.quantity) for a in adjustments] == [
        ("CO", "45", Decimal(10), Decimal(1)),
        ("CO", "253", Decimal(2), None),
        ("CO", "97", Decimal(3), None),
        ("CO", "B7", Decimal(4), None),
        ("CO", "A1", Decimal(5), None),
        ("CO", "16", Decimal(6), Decimal(2)),
    ]
    assert adjustments[0].group_name == "contractual obligation"
    assert write_body(remit)[-2] == cas  # written back as the one segment it was


def test_adjustments_built_in_code_share_a_cas_per_group_six_at_most() -> None:
    claim = ClaimPayment(
        patient_control_number="P",
        status="1",
        charge=Decimal(100),
        paid=Decimal(30),
        adjustments=[Adjustment(group="CO", reason=str(r), amount=Decimal(10)) for r in range(7)]
        + [Adjustment(group="PR", reason="1", amount=Decimal(0))],
    )
    remit, _ = read_one([*HEADER, *CLAIM])
    remit.claims = [claim]
    cas = [line for line in write_body(remit) if line.startswith("CAS")]
    assert cas == [
        "CAS*CO*0*10**1*10**2*10**3*10**4*10**5*10",
        "CAS*CO*6*10",
        "CAS*PR*1*0",
    ]


def test_claim_adjustments_by_group_include_lines() -> None:
    remit, _ = read_one(
        [
            *HEADER,
            "CLP*PCN1*1*150*100*30*12*ICN1",
            "CAS*CO*45*5",
            "NM1*QC*1*DOE",
            "SVC*HC:99213*150*105",
            "CAS*CO*45*15",
            "CAS*PR*2*30",
        ]
    )
    claim = remit.claims[0]
    assert claim.adjustments_by_group() == {"CO": Decimal(20), "PR": Decimal(30)}
    assert claim.adjustments_by_group(lines=False) == {"CO": Decimal(5)}


# -- service lines ---------------------------------------------------------------------------------


def test_service_payment_elements() -> None:
    body = [
        *HEADER,
        *CLAIM,
        "SVC*HC:99214:25:59:GT:LT*150*130*0450*2*HC:99215:25::::OFFICE VISIT*3",
        "DTM*150*20240101",
        "DTM*151*20240102",
        "CAS*PR*1*20*1",
        "REF*6R*LINE1",
        "REF*LU*LOC1",
        "REF*0K*POLICY1",
        "REF*0K*POLICY2",
        "AMT*B6*140",
        "AMT*KH*5",
        "QTY*ZK*1",
        "LQ*HE*N130",
        "LQ*RX*76",
    ]
    remit, problems = read_one(body)
    assert problems == []
    (svc,) = remit.claims[0].services
    assert (svc.qualifier, svc.code, svc.modifiers) == ("HC", "99214", ["25", "59", "GT", "LT"])
    assert (svc.charge, svc.paid, svc.revenue_code, svc.units) == (
        Decimal(150),
        Decimal(130),
        "0450",
        Decimal(2),
    )
    assert (svc.original_qualifier, svc.original_code, svc.original_modifiers) == (
        "HC",
        "99215",
        ["25"],
    )
    assert (svc.original_description, svc.original_units) == ("OFFICE VISIT", Decimal(3))
    assert (svc.service_date, svc.start_date, svc.end_date) == (
        None,
        date(2024, 1, 1),
        date(2024, 1, 2),
    )
    assert [(a.group, a.reason, a.amount, a.quantity) for a in svc.adjustments] == [
        ("PR", "1", Decimal(20), Decimal(1))
    ]
    assert svc.adjustment_total == Decimal(20)
    assert svc.line_control_number == "LINE1"
    assert [(r.qualifier, r.value) for r in svc.references] == [
        ("LU", "LOC1"),
        ("0K", "POLICY1"),
        ("0K", "POLICY2"),
    ]
    assert svc.allowed == Decimal(140) and svc.amounts == {"KH": Decimal(5)}
    assert svc.quantities == {"ZK": Decimal(1)}
    assert [(r.qualifier, r.code) for r in svc.remarks] == [("HE", "N130"), ("RX", "76")]
    assert write_body(remit) == body


# -- provider adjustments --------------------------------------------------------------------------


def test_one_provider_adjustment_per_plb_pair() -> None:
    plb = "PLB*1234567893*20241231*L6:PCN1*-1.5*WO*20*72:REF72*-3.25"
    remit, problems = read_one([*HEADER, *CLAIM, plb])
    assert problems == []
    adj = remit.provider_adjustments
    assert [
        (a.provider_id, a.fiscal_period_date, a.reason, a.reference, a.amount) for a in adj
    ] == [
        ("1234567893", date(2024, 12, 31), "L6", "PCN1", Decimal("-1.5")),
        ("1234567893", date(2024, 12, 31), "WO", None, Decimal(20)),
        ("1234567893", date(2024, 12, 31), "72", "REF72", Decimal("-3.25")),
    ]
    assert [a.reason_name for a in adj] == [
        "interest owed",
        "overpayment recovery",
        ("authorized return"),
    ]
    # BPR02 = Σ CLP04 − Σ PLB = 130 − 15.25 (x12-notes §8.1 rule 4); this header says 130.
    assert remit.total_paid == Decimal("114.75")
    assert write_body(remit)[-1] == plb


# -- losslessness ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("100", "100"), ("100.00", "100.00"), ("100.0", "100.0"), (".5", "0.5"), ("0.50", "0.50")],
)
def test_amount_text_is_kept(text: str, value: str) -> None:
    body = [*HEADER, f"CLP*PCN1*1*{text}*{text}**12*ICN1", "NM1*QC*1*DOE"]
    remit, problems = read_one(body)
    assert problems == []
    assert remit.claims[0].charge == Decimal(value)
    assert write_body(remit)[-2] == body[-2]


def test_changed_amount_is_written_canonically() -> None:
    remit, _ = read_one([*HEADER, "CLP*PCN1*1*.5*.5**12*ICN1", "NM1*QC*1*DOE"])
    remit.claims[0].paid = Decimal("0.25")
    assert write_body(remit)[-2] == "CLP*PCN1*1*.5*0.25**12*ICN1"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("BPR*I*130*", "BPR*I*0130*"),  # a segment model's amount text (BPR02)
        ("CAS*PR*1*20", "CAS*PR*1*20.0"),  # an element group's (a CAS triplet)
        ("NM1*QC*1*DOE*PAT****MI*M1", "NM1*QC*1*DOE*PAT****MI*M1*"),  # a trailing separator
    ],
)
def test_models_read_with_other_text_compare_equal(old: str, new: str) -> None:
    # The text read is layout, not value (`ValueModel`): comparing must neither fail nor differ.
    plain, _ = read_one([*HEADER, *CLAIM])
    body = [line.replace(old, new) for line in [*HEADER, *CLAIM]]
    assert body != [*HEADER, *CLAIM]
    kept, _ = read_one(body)
    assert kept == plain
    assert kept == read_one(body)[0]


def test_unmapped_and_unknown_segments_stay_in_place() -> None:
    body = [*HEADER, "CLP*PCN1*1*150*130*20*12*ICN1", "ZZZ*KEEP*ME", "NM1*QC*1*DOE", "CAS*PR*1*20"]
    reader = edi.read_remittances(interchange(body=body).encode())
    (remit,) = list(reader)
    (diag,) = reader.diagnostics
    assert diag.message == "ZZZ is not a segment of this transaction set"
    assert write_body(remit)[-4:] == body[-4:]  # the stray ZZZ and the input order both kept


def test_header_numbers_regrouped_when_writing() -> None:
    remit, _ = read_one([*HEADER, *CLAIM])
    claims = [
        ClaimPayment(
            patient_control_number=f"P{n}",
            status="1",
            charge=Decimal(1),
            paid=Decimal(1),
            header_number=number,
        )
        for n, number in enumerate([1, 1, 2, None, 7], 1)
    ]
    remit.claims = claims
    remit.header_numbers = []
    lines = [line for line in write_body(remit) if line[:3] in ("LX*", "CLP")]
    assert lines == [
        "LX*1",
        "CLP*P1*1*1*1",
        "CLP*P2*1*1*1",
        "LX*2",
        "CLP*P3*1*1*1",
        "CLP*P4*1*1*1",  # no number: stays with the claim before it
        "LX*7",
        "CLP*P5*1*1*1",
    ]


def test_adjacent_header_numbers_with_the_same_lx_stay_apart() -> None:
    body = [*HEADER, *CLAIM, "LX*1", "CLP*PCN2*1*5*5**12*ICN2", "NM1*QC*1*ROE"]
    remit, problems = read_one(body)
    assert problems == []
    assert [h.number for h in remit.header_numbers] == [1, 1]
    assert write_body(remit) == body


# -- codes -----------------------------------------------------------------------------------------


def test_code_names() -> None:
    assert codes.name(codes.CLAIM_STATUS, "19") == (
        "processed as primary, forwarded to additional payer(s)"
    )
    assert codes.name(codes.ADJUSTMENT_GROUPS, "PI") == "payer initiated reduction"
    assert codes.name(codes.PROVIDER_ADJUSTMENT_REASONS, "FB") == "forwarding balance"
    assert codes.name(codes.CLAIM_STATUS, "9") == "unknown code 9"
    assert set(codes.CLAIM_STATUS) == {"1", "2", "3", "4", "19", "20", "21", "22", "23", "25"}


# -- bad input -------------------------------------------------------------------------------------

GOOD_SET = ["ST*835*0001", *HEADER, *CLAIM, "SE*13*0001"]


def _file(*sets: list[str]) -> bytes:
    """One interchange, one group, the given sets (each from ST to SE), one segment per line."""
    isa = interchange(body=[]).split("\n")[0]
    lines = [isa.rstrip("~"), "GS*HP*SENDER*RECEIVER*20240101*1200*1*X*005010X221A1"]
    for n, lines_of_set in enumerate(sets, 1):
        # Each its own ST02 and trace: one payment each (the same, sent twice, is said).
        lines += [
            line.replace("0001", f"{n:04d}").replace("*CHK100*", f"*CHK{99 + n}*")
            for line in lines_of_set
        ]
    lines += [f"GE*{len(sets)}*1", "IEA*1*000000001"]
    return ("~\n".join(lines) + "~\n").encode()


@pytest.mark.parametrize(
    ("amount", "said"),
    [
        ("1,000.00", "CLP04 is '1,000.00', not a decimal number"),  # written as numbers are
        # A name where the amount goes (its elements shifted): said by its length (PHI).
        ("TESTPATIENT", "CLP04 (11 characters) is not a decimal number"),
        ("123-45-6789", "CLP04 (11 characters) is not a decimal number"),  # an SSN's shape
        ("-1,000.00", "CLP04 is '-1,000.00', not a decimal number"),
        # What Python's Decimal reads (100) but X12's R has not: digits grouped by underscores.
        ("1_00", "CLP04 is '1_00', not a decimal number"),
        ("١٠٠", "not a decimal number"),  # Arabic-Indic digits: no paid amount of the claim
    ],
)
def test_a_value_that_is_no_amount_is_quoted_only_when_it_looks_like_a_number(
    amount: str, said: str
) -> None:
    bad = [line.replace("CLP*PCN1*1*150*130", f"CLP*PCN1*1*150*{amount}") for line in GOOD_SET]
    reader = edi.read_remittances(_file(bad))
    (remit,) = reader
    assert remit.claims == [] and [u.paid for u in remit.unread_claims] == [None]
    assert said in str(reader.diagnostics[0])
    assert amount not in str(reader.diagnostics[1])  # the claim not read: the value is not repeated


def test_non_numeric_clp_amount_leaves_that_claim_unread() -> None:
    """The claim whose CLP04 is no number is not read, and is listed as such; the set (its payer,
    payment and other claims) and the other sets are read."""
    bad = [line.replace("CLP*PCN1*1*150*130", "CLP*PCN1*1*150*13O") for line in GOOD_SET]
    reader = edi.read_remittances(_file(GOOD_SET, bad, GOOD_SET))
    remits = list(reader)
    assert [r.envelope.set_control_number for r in remits] == ["0001", "0002", "0003"]
    assert reader.sets_read == 3 and reader.sets_skipped == 0
    assert [len(r.claims) for r in remits] == [1, 0, 1]
    assert remits[1].unread_claims == [
        UnreadClaim(
            patient_control_number="PCN1",
            paid=None,
            segment=10,
            reason="a value it requires is missing or invalid: CLP04 is '13O', not a decimal "
            "number such as 125.50",
        )
    ]
    assert remits[0].unread_claims == remits[2].unread_claims == []
    texts = [str(d) for d in reader.diagnostics]
    assert texts[0] == (
        "segment 10 CLP (line 25, loop 2100 claim payment, element CLP04): CLP04 is '13O', not a "
        "decimal number such as 125.50"
    )
    assert texts[1].startswith(
        "segment 10 CLP (line 25, loop 2100 claim payment): claim payment 'PCN1' is not read"
    )
    assert reader.diagnostics[0].ack == "IK403:6"
    # Each names its set, group and interchange (a 999's AK2, AK1): the sets number their segments
    # from 1 each, so the segment number alone does not say which set.
    for d in reader.diagnostics:
        assert (d.set_control_number, d.group_control_number, d.interchange_control_number) == (
            "0002",
            "1",
            "000000001",
        )
    assert reader.diagnostics[0].to_dict()["set_control_number"] == "0002"


def test_broken_loop_structure_outside_the_claims_skips_the_set() -> None:
    """The payee (N1*PE, loop 1000B, required) missing: no claim of the set has its payee. The set
    is not read; the next is."""
    no_payee = [line for line in GOOD_SET if not line.startswith("N1*PE")]
    no_payee[-1] = "SE*12*0001"
    reader = edi.read_remittances(_file(no_payee, GOOD_SET))
    remits = list(reader)
    assert [r.envelope.set_control_number for r in remits] == ["0002"]
    first = reader.diagnostics[0]
    assert first.location is not None and first.location.loop_id == "1000B"
    assert any(
        "is not read into a model: its loop structure is broken" in str(d)
        for d in (reader.diagnostics)
    )


def test_a_missing_lx_costs_the_claims_of_its_header_number_only() -> None:
    """No LX before the claim (its 2000 loop has no first segment): the set is read, the claims of
    that header number are not (their LX01 and TS3 totals are not known), said at the CLP."""
    no_lx = [line for line in GOOD_SET if line != "LX*1"]
    no_lx[-1] = "SE*12*0001"
    reader = edi.read_remittances(_file(no_lx, GOOD_SET))
    remits = list(reader)
    assert [r.envelope.set_control_number for r in remits] == ["0001", "0002"]
    assert remits[0].claims == [] and remits[0].header_numbers == []
    assert [u.patient_control_number for u in remits[0].unread_claims] == ["PCN1"]
    first = reader.diagnostics[0]
    assert first.location is not None
    assert (first.location.segment_index, first.location.segment_id) == (9, "CLP")
    assert first.location.line == 11 and first.location.loop_id == "2000"
    assert "LX" in str(first)


def test_not_an_835() -> None:
    reader = edi.read_remittances(Path(__file__).parents[2] / "shared/samples/sample_837p.x12")
    if not reader.source.exists():  # type: ignore[union-attr]
        pytest.skip("shared samples not present")
    assert list(reader) == []
    # Each set of another type is said (a warning), then that there is no 835 at all (an error).
    assert [d.code for d in reader.diagnostics] == ["guide.other_set", "guide.no_sets"]
    assert str(reader.diagnostics[0]) == (
        "segment 1 ST (line 3): 837 transaction set '0001' is not read: only 835 sets are"
    )
    assert str(reader.diagnostics[1]) == "no 835 transaction set in the input (found 837)"


def test_not_x12_at_all_is_a_fatal_diagnostic() -> None:
    reader = edi.read_remittances(b"Dear provider, your payment is on its way.")
    assert list(reader) == []
    assert [d.severity.value for d in reader.diagnostics] == ["fatal"]
    assert "not X12" in str(reader.diagnostics[0])


def test_a_file_named_by_a_str_that_is_not_x12_is_said_so(tmp_path: Path) -> None:
    """Not "no such file": the file is there, and is read; it is its text that is no X12."""
    notes = tmp_path / "notes.txt"
    notes.write_text("hello world")
    reader = edi.read_remittances(str(notes))
    assert list(reader) == []
    assert [d.message for d in reader.diagnostics] == [
        "not X12: expected the input to start with ISA (or ST), found 'hel…'"
    ]


@pytest.mark.parametrize(
    "make",
    [
        lambda p: open(p, "rb"),  # noqa: SIM115
        lambda p: open(p, encoding="utf-8"),  # noqa: SIM115
        lambda p: io.BytesIO(p.read_bytes()),
        lambda p: io.StringIO(p.read_text()),
        lambda p: gzip.GzipFile(fileobj=io.BytesIO(gzip.compress(p.read_bytes()))),
    ],
    ids=["binary", "text", "BytesIO", "StringIO", "gzip"],
)
def test_a_file_object_is_read_again_from_where_it_stood(make: Any, tmp_path: Path) -> None:
    path = tmp_path / "x.835"
    path.write_bytes(b"junk before~" + _file(GOOD_SET, GOOD_SET))
    with make(path) as stream:
        stream.read(len("junk before~"))
        reader = edi.read_remittances(stream)
        first = list(reader)
        assert len(first) == 2 and reader.diagnostics == []
        assert list(reader) == first and reader.diagnostics == []


def test_a_file_object_that_cannot_seek_is_read_once() -> None:
    read_end, write_end = os.pipe()
    with open(read_end, "rb") as pipe:
        with open(write_end, "wb") as out:
            out.write(_file(GOOD_SET, [line.replace("*130*C*", "*13O*C*") for line in GOOD_SET]))
        reader = edi.read_remittances(pipe)
        assert len(list(reader)) == 1
        found = list(reader.diagnostics)
        with pytest.raises(edi.ConfigurationError, match="a file object is read once"):
            list(reader)
        assert reader.diagnostics == found and found  # the first pass's problems stay


def test_a_text_pipe_read_ahead_by_a_readline_loses_nothing() -> None:
    """A text stream over a pipe reads ahead of what it hands out: after a `readline()` its bytes
    stand past the start of the X12, which was read as its buffer and so lost (not X12)."""
    read_end, write_end = os.pipe()
    with open(read_end, encoding="utf-8") as pipe:
        with open(write_end, "wb") as out:
            out.write(b"a line before the X12\n" + _file(GOOD_SET))
        assert pipe.readline() == "a line before the X12\n"
        reader = edi.read_remittances(pipe)
        assert len(list(reader)) == 1 and reader.diagnostics == []


def test_a_source_of_another_type_is_refused_when_given() -> None:
    with pytest.raises(TypeError, match=r"list_iterator; pass a file name \(str or Path\)"):
        edi.read_remittances(iter(_file(GOOD_SET).splitlines(True)))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="memoryview"):
        edi.read_claims(memoryview(_file(GOOD_SET)))  # type: ignore[arg-type]


def test_a_file_name_that_names_no_file_raises_as_a_path_does(tmp_path: Path) -> None:
    for source in (tmp_path / "typo.835", str(tmp_path / "typo.835")):
        reader = edi.read_remittances(source)
        with pytest.raises(FileNotFoundError, match="typo.835"):
            list(reader)


def test_strict_mode_raises() -> None:
    bad = [line.replace("CLP*PCN1*1*150*130", "CLP*PCN1*1*150*13O") for line in GOOD_SET]
    with pytest.raises(DataError) as err:
        list(edi.read_remittances(_file(bad), strict=True))
    assert err.value.diagnostic.location.element == "CLP04"  # type: ignore[union-attr]
    # With its set's control number, as read without strict (a 999 answers with it).
    assert err.value.diagnostic.set_control_number == "0001"
    no_lx = [line.replace("SE*13*", "SE*12*") for line in GOOD_SET if line != "LX*1"]
    with pytest.raises(StructureError) as err:
        list(edi.read_remittances(_file(no_lx), strict=True))
    assert err.value.diagnostic.set_control_number == "0001"


def test_strict_mode_raises_on_every_kind_of_error(tmp_path: Path) -> None:
    """The first error of any kind raises, not only structure and data: the docstring's promise."""
    miscounted = [line.replace("SE*13*", "SE*99*") for line in GOOD_SET]
    with pytest.raises(edi.InputError, match="SE01 says '99' segments but the set has 13"):
        list(edi.read_remittances(_file(miscounted), strict=True))
    with pytest.raises(edi.InputError, match="no 835 transaction set in the input"):
        list(edi.read_remittances(FIXTURES.parent / "837p" / "dependent.x12", strict=True))
    with pytest.raises(edi.TokenizeError, match="not X12"):
        list(edi.read_remittances(b"Dear provider", strict=True))
    with pytest.raises(FileNotFoundError, match="typo.835"):
        list(edi.read_remittances(str(tmp_path / "typo.835"), strict=True))
    # Warnings do not raise: a byte-order mark before the ISA.
    assert len(list(edi.read_remittances(b"\xef\xbb\xbf" + _file(GOOD_SET), strict=True))) == 1


def test_a_set_without_its_se_is_not_read() -> None:
    """Cut at a segment boundary, the set parses (its loops may end there), but a part of it may be
    missing: half a remittance must not be posted. Said at its ST, with the missing trailers."""
    cut = _file(GOOD_SET).decode().split("SE*13*0001~")[0].encode()
    reader = edi.read_remittances(cut)
    assert list(reader) == [] and (reader.sets_read, reader.sets_skipped) == (1, 1)
    first = reader.diagnostics[0]
    assert first.code == "envelope.incomplete_set" and first.location.segment_id == "ST"  # type: ignore[union-attr]
    assert "transaction set '0001' ends with the input, before its SE: it is not read" in str(first)
    assert any(
        "has no SE trailer before the end of the input" in str(d) for d in reader.diagnostics
    )


def test_reading_twice_gives_the_same_models_and_diagnostics() -> None:
    reader = edi.read_remittances(_file(GOOD_SET, GOOD_SET))
    first = [r.model_dump() for r in reader]
    problems = list(reader.diagnostics)
    assert [r.model_dump() for r in reader] == first
    assert reader.diagnostics == problems


def _problems(old: str, new: str) -> tuple[int, list[str]]:
    """The remittances read, and the diagnostics (SE01 count aside), with one segment changed."""
    text = (Path(__file__).resolve().parents[1] / "fixtures/835/partly_paid.x12").read_text()
    changed = text.replace(old, new, 1)
    assert changed != text
    reader = edi.read_remittances(changed)
    read = list(reader)
    return len(read), [str(d) for d in reader.diagnostics if d.code != "envelope.se01_count"]


SKIPPED = (
    "segment 1 ST (line 3, loop ST transaction): 835 transaction set '0001' is not read into a "
    "model: required data is missing or invalid"
)


def _unread(segment: int, pcn: str) -> str:
    """What the reader says of a claim payment of partly_paid.x12 whose value is missing or invalid:
    that claim alone is not read (the file's lines are its segment numbers + 2)."""
    return (
        f"segment {segment} CLP (line {segment + 2}, loop 2100 claim payment): claim payment "
        f"{pcn!r} is not read: a value it requires is missing or invalid; the set's other claims "
        "are read, and the remittance lists it in unread_claims"
    )


@pytest.mark.parametrize(
    ("old", "new", "problems"),
    [
        # A CAS or PLB without a group: read and dropped on writing before; now its first group's
        # required elements are reported, by element (CAS02/CAS03 R, PLB03/PLB04 R in maps/835).
        (
            "CAS*PR*3*15~",
            "CAS*PR~",
            [
                _unread(36, "PCN2002"),
                "segment 38 CAS (line 40, loop 2100 claim payment, element CAS02): CAS02 (reason) "
                "is required but missing",
                "segment 38 CAS (line 40, loop 2100 claim payment, element CAS03): CAS03 (amount) "
                "is required but missing",
            ],
        ),
        # The second triplet's amount is CAS06, not "Part(index=2, component=0)".
        (
            "CAS*PR*3*15~",
            "CAS*PR*3*15*1*2~",
            [
                _unread(36, "PCN2002"),
                "segment 38 CAS (line 40, loop 2100 claim payment, element CAS06): CAS06 (amount) "
                "is required but missing",
            ],
        ),
        # An element of a segment model is named with its segment (not "02 (value)").
        (
            "REF*EA*MRN2001",
            "REF*EA",
            [
                _unread(16, "PCN2001"),
                "segment 19 REF (line 21, loop 2100 claim payment, element REF02): REF02 (value) "
                "is required but missing",
            ],
        ),
        # BPR is there: only its empty BPR03 is reported, not "segment BPR is required but missing".
        (
            "*180.00*C*ACH*",
            "*180.00**ACH*",
            [
                "segment 2 BPR (line 4, loop ST transaction, element BPR03): BPR03 (credit debit) "
                "is required but missing"
            ],
        ),
        # The payer loop is there: its name is missing, not "loop 1000A is required but missing".
        (
            "N1*PR*EXAMPLE HEALTH PLAN",
            "N1*PR",
            [
                "segment 6 N1 (line 8, loop 1000A payer, element N102): N102 (name) is required "
                "but missing"
            ],
        ),
        # An invalid required value is reported once, as invalid, not again as missing.
        (
            "CLP*PCN2001*1*250.00",
            "CLP*PCN2001*1*X",
            [
                "segment 16 CLP (line 18, loop 2100 claim payment, element CLP03): CLP03 is 'X', "
                "not a decimal number such as 125.50",
                _unread(16, "PCN2001"),
            ],
        ),
    ],
)
def test_what_is_missing_is_named_by_its_element_once(
    old: str, new: str, problems: list[str]
) -> None:
    """Named once, by its element. A value of a claim payment costs that claim alone (the set is
    read without it); one outside the claims costs the set."""
    if any("is not read: a value it requires" in p for p in problems):
        assert _problems(old, new) == (1, problems)
    else:
        assert _problems(old, new) == (0, [*problems, SKIPPED])


def test_a_plb_without_a_pair_is_reported() -> None:
    read, problems = _problems("SE*", "PLB*1234567893*20241231~\nSE*")
    assert read == 0 and problems[:2] == [
        "segment 41 PLB (line 43, loop ST transaction, element PLB03-01): PLB03-01 (reason) is "
        "required but missing",
        "segment 41 PLB (line 43, loop ST transaction, element PLB04): PLB04 (amount) is required "
        "but missing",
    ]


def test_a_segment_the_model_has_no_place_for_is_kept_with_a_warning() -> None:
    """A second AMT*AU (2100 AMT: max use 13 for 13 qualifiers) has no place in the model, which
    holds one a qualifier: it is written back where it was, and a warning says it is not in the
    model (it used to be kept silently). The guide allows it: the check accepts it."""
    text = (Path(__file__).resolve().parents[1] / "fixtures/835/partly_paid.x12").read_text()
    after = "AMT*AU*170.00~\n"
    changed = text.replace(after, after + "AMT*AU*1~\n", 1).replace("SE*41*", "SE*42*")
    reader = edi.read_remittances(changed)
    remits = list(reader)
    (warning,) = reader.diagnostics
    assert warning.code == "mapping.unplaced" and warning.severity is edi.Severity.WARNING
    assert str(warning).startswith("segment 24 AMT (line 26, loop 2100 claim payment)")
    assert "AMT*AU is more than this loop's model holds" in str(warning)
    assert edi.write_835(remits, check=False) == changed
    assert edi.check_remittances(remits) == []


@pytest.mark.parametrize(
    ("after", "extra", "at", "message"),
    [
        # TRN is R1 in the header (835 map line 58); REF*EV S1 (line 85).
        ("TRN*1*EFT2001*1999999999~\n", "TRN*1*EFT2002*1999999999~\n", 4, "2 TRN segments"),
        ("REF*EV*EXAMPLECLINIC~\n", "REF*EV*OTHER~\nREF*EV*THIRD~\n", 5, "3 REF*EV segments"),
    ],
)
def test_a_header_segment_past_its_max_use_is_an_ik304_5(
    after: str, extra: str, at: int, message: str
) -> None:
    text = (FIXTURES / "partly_paid.x12").read_text()
    added = extra.count("~")
    changed = text.replace(after, after + extra, 1).replace("SE*41*", f"SE*{41 + added}*")
    reader = edi.read_remittances(changed)
    (remit,) = reader
    (d,) = reader.diagnostics
    assert (d.code, d.severity, d.ack) == ("structure.max_use", edi.Severity.ERROR, "IK304:5")
    assert d.location is not None
    assert (d.location.segment_index, d.location.line, d.location.loop_id) == (at, at + 2, "ST")
    which = "the one past it is" if added == 1 else f"the {added} past it are"
    assert d.message == (
        f"{message} in loop ST; 005010X221A1 allows 1; {which} kept as read and written back, not "
        "in the model or its JSON"
    )
    assert edi.write_835([remit], check=False) == changed
    with pytest.raises(StructureError, match="IK304|segments in loop ST"):
        list(edi.read_remittances(changed, strict=True))


@pytest.mark.parametrize(
    ("after", "extra", "said"),
    [
        # The second NM1*QC (max use 1 in 2100) is past it, and has no place in the model.
        (
            "NM1*QC*1*TESTPATIENT*BRAVO*Q***MI*MBR2001~\n",
            "NM1*QC*1*OTHER*X~\n",
            [
                # Two patients in one claim's loop: two claims' segments (the second's CLP lost),
                # so that claim is not read, nor the one after it (x12-notes §9.2: never post to
                # the wrong claim).
                (
                    "remit.claim_unread",
                    16,
                    "claim payment 'PCN2001' is not read: its loop holds twice a segment that a "
                    "claim has once (segment 18 NM1)",
                ),
                (
                    "structure.max_use",
                    18,
                    "2 NM1*QC segments in loop 2100; 005010X221A1 allows 1; "
                    "the one past it is kept as read and written back, not in the model or its JSON",
                ),
                (
                    "remit.claim_unread",
                    37,
                    "claim payment 'PCN2002' is not read: the claim payment next to it is not "
                    "read: its loop holds twice a segment that a claim has once (segment 18 NM1)",
                ),
            ],
        ),
        # DTM*232, DTM*232, DTM*233: the second 232 has no place in the model (one a qualifier);
        # the third DTM*232/233 (max use 2) is past the guide's maximum.
        (
            "DTM*232*20240220~\n",
            "DTM*232*20240221~\n",
            [
                # Two statement-from dates: a claim has one; two claims' segments (the second's
                # CLP lost), so that claim and the one after it are not read.
                (
                    "remit.claim_unread",
                    16,
                    "claim payment 'PCN2001' is not read: its loop holds "
                    "twice a segment that a claim has once (segment 21 DTM)",
                ),
                ("mapping.unplaced", 21, "DTM*232 is more than this loop's model holds"),
                (
                    "structure.max_use",
                    22,
                    "3 DTM*232/233 segments in loop 2100; 005010X221A1 allows 2",
                ),
                ("remit.claim_unread", 37, "claim payment 'PCN2002' is not read"),
            ],
        ),
    ],
)
def test_a_segment_past_its_max_use_is_an_ik304_5_at_the_first_past_it(
    after: str, extra: str, said: list[tuple[str, int, str]]
) -> None:
    """A segment repeated past its max use in its loop is what a 999 answers with IK304 code 5
    (Segment Exceeds Maximum Use): an error at the first segment past it that says which segment,
    how many and what the guide allows (it was a warning without an ack that it had no place in
    the model). The set is read, and written back as read; but for a segment one claim has once
    (a name, MIA, MOA): that claim and its neighbours are not read."""
    text = (Path(__file__).resolve().parents[1] / "fixtures/835/partly_paid.x12").read_text()
    changed = text.replace(after, after + extra, 1).replace("SE*41*", "SE*42*")
    reader = edi.read_remittances(changed)
    remits = list(reader)
    assert len(remits) == 1
    got = [(d.code, d.location.segment_index, d) for d in reader.diagnostics if d.location]
    assert [(code, at) for code, at, _ in got] == [(code, at) for code, at, _ in said]
    for (_, at, d), (code, _, message) in zip(got, said, strict=True):
        assert d.location is not None and d.location.line == at + 2
        assert (d.location.loop_id, d.location.element) == ("2100", None)
        assert message in d.message
        if code == "structure.max_use":
            assert (d.ack, d.severity) == ("IK304:5", edi.Severity.ERROR)
    if remits[0].unread_claims:  # incomplete: not written
        with pytest.raises(WriteError, match="not read"):
            edi.write_835(remits, check=False)
        return
    assert edi.write_835(remits, check=False) == changed
    assert edi.check_remittances(remits)  # the check refuses it


def test_loops_know_where_they_were_read() -> None:
    """`read_at`: the first segment of each loop as read (its number in the set, ST = 1, and its
    line), found here independently from the fixture's text, one segment per line."""
    path = FIXTURES / "partly_paid.x12"
    lines = path.read_text().splitlines()
    st_line = next(n for n, text in enumerate(lines, 1) if text.startswith("ST*"))

    def line_of(prefix: str, after: int = 0) -> int:
        return next(n for n, text in enumerate(lines, 1) if n > after and text.startswith(prefix))

    (remit,) = edi.read_remittances(path)
    claim = remit.claims[0]
    at = claim.read_at
    assert at is not None
    clp = line_of("CLP*PCN2001")
    assert (at.segment_index, at.segment_id, at.line, at.loop_id) == (
        clp - st_line + 1,
        "CLP",
        clp,
        "2100",
    )
    svc = claim.services[0].read_at
    assert svc is not None and (svc.segment_id, svc.line) == ("SVC", line_of("SVC*", clp))
    assert str(svc).startswith(f"segment {svc.line - st_line + 1} SVC (line {svc.line}")
    assert remit.read_at is not None and (remit.read_at.line, remit.read_at.loop_id) == (
        st_line,
        None,
    )
    payer = remit.payer.read_at
    assert payer is not None and (payer.segment_id, payer.loop_id) == ("N1", "1000A")

    # Made in code or from JSON: nowhere. And where a loop was read is not part of its value: the
    # same claim read from a file laid out on one line (other lines, same segments) is equal.
    assert edi.Remittance.model_validate(remit.model_dump()).read_at is None
    (one_line,) = edi.read_remittances(path.read_text().replace("~\n", "~"))
    assert one_line.claims[0].read_at.line == 1  # type: ignore[union-attr]
    assert one_line.claims[0] == claim


def test_bpr_trn_and_plb_know_where_they_were_read() -> None:
    """The payment (BPR), trace (TRN) and provider adjustments (PLB) have `read_at` too: their own
    segment, in no loop, so a set-level problem can be placed there. Each pair of a PLB was read at
    that PLB, also one read the general way (a gap between its pairs)."""
    path = FIXTURES / "plb_interest_recoupment.x12"
    text = path.read_text().replace("*WO:ICN4999*200*", "*WO:ICN4999*200***")
    lines = text.splitlines()
    st_line = next(n for n, line in enumerate(lines, 1) if line.startswith("ST*"))
    plb_lines = [n for n, line in enumerate(lines, 1) if line.startswith("PLB*")]
    assert len(plb_lines) == 2 and "**" in lines[plb_lines[1] - 1]  # the gap, in the second

    def where(model: Any) -> tuple[int, str, int, str | None]:
        at = model.read_at
        return (at.segment_index, at.segment_id, at.line, at.loop_id)

    (remit,) = edi.read_remittances(text)
    assert where(remit.payment) == (2, "BPR", st_line + 1, None)
    assert where(remit.trace) == (3, "TRN", st_line + 2, None)
    # L6 in the first PLB; WO and FB in the second.
    assert [where(p) for p in remit.provider_adjustments] == [
        (n - st_line + 1, "PLB", n, None) for n in (plb_lines[0], plb_lines[1], plb_lines[1])
    ]
    assert str(remit.payment.read_at) == f"segment 2 BPR (line {st_line + 1})"
    assert edi.Remittance.model_validate(remit.model_dump()).payment.read_at is None


def test_a_qualifier_the_map_lets_repeat_is_kept_and_said_as_past_the_models_one() -> None:
    """2110 QTY has max use 6 for five qualifiers (ZK to ZO; 835 map line 523), so one of them may
    come twice: the model holds one a qualifier, the second is kept and written back as read, and
    the warning says the model holds no more, not that the guide forbids it (the checks accept it)."""
    text = (Path(__file__).resolve().parents[1] / "fixtures/835/partly_paid.x12").read_text()
    changed = text.replace("AMT*B6*130.00~\n", "AMT*B6*130.00~\nQTY*ZK*1~\nQTY*ZK*2~\n", 1)
    changed = changed.replace("SE*41*", "SE*43*")
    reader = edi.read_remittances(changed)
    remits = list(reader)
    (warning,) = reader.diagnostics
    assert warning.code == "mapping.unplaced"
    assert "QTY*ZK is more than this loop's model holds (repeated past the guide's maximum or " in (
        str(warning)
    )
    assert remits[0].claims[0].services[0].quantities == {"ZK": Decimal(1)}
    assert edi.check_remittances(remits) == []
    assert edi.write_835(remits) == changed


@pytest.mark.parametrize(("trn01", "ack"), [("2", "IK403:7"), ("", "IK403:1")])
def test_a_trn_with_another_trn01_is_a_wrong_code_not_a_missing_trn(trn01: str, ack: str) -> None:
    """TRN01 must be 1 (835 map line 58): a TRN*2 is said as its wrong TRN01, at that element of that
    TRN, not as a set without its TRN*1; the set still lacks its trace and is not read."""
    text = (FIXTURES / "paid_in_full.x12").read_text().replace("TRN*1*", f"TRN*{trn01}*", 1)
    reader = edi.read_remittances(text)
    assert list(reader) == []
    first, skipped = reader.diagnostics
    assert (first.code, first.ack, first.expected) == ("mapping.wrong_qualifier", ack, ("1",))
    assert first.location is not None
    assert (first.location.segment_index, first.location.line, first.location.element) == (
        3,
        5,
        "TRN01",
    )
    shown = repr(trn01) if trn01 else "empty"
    assert first.message.startswith(f"TRN01 is {shown}, expected 1")
    assert "missing" not in str(first) and skipped.code == "remit.set_skipped"


def test_a_second_segment_of_a_fields_qualifier_is_no_map_entry() -> None:
    """A second AMT*B6 in a 2110 went into `amounts["B6"]` without a word: two allowed amounts,
    `allowed` 130 and `amounts["B6"]` 90. It is one past what the model holds, as a second AMT*KH
    is: said, kept as read and written back. A model that has it in both is refused."""
    text = (FIXTURES / "partly_paid.x12").read_text()
    assert text.count("AMT*B6*130.00~\n") == 1 and "SE*41*" in text
    bad = text.replace("AMT*B6*130.00~\n", "AMT*B6*130.00~\nAMT*B6*90~\n").replace(
        "SE*41*", "SE*42*"
    )
    reader = edi.RemittanceReader(bad)
    (remit,) = reader
    (service,) = [s for c in remit.claims for s in c.services if s.allowed == Decimal(130)]
    assert (service.allowed, service.amounts) == (Decimal("130.00"), {})
    assert [(d.code, d.location.segment_id) for d in reader.diagnostics] == [
        ("mapping.unplaced", "AMT")
    ]
    assert edi.write_835([remit], check=False) == bad
    with pytest.raises(edi.ModelValidationError) as raised:
        edi.ServicePayment.model_validate({**service.model_dump(), "amounts": {"B6": "90"}})
    assert str(raised.value) == (
        "ServicePayment: amounts: Value error, 'B6' is the qualifier of the field allowed "
        "(AMT*B6): give it there"
    )
    with pytest.raises(edi.ModelValidationError):
        service.amounts = {"ZK": Decimal(1), "B6": Decimal(90)}  # validated on assignment
    # Set in place, around validation: written twice before; now said as pydantic says it.
    service.amounts["B6"] = Decimal(90)
    (problem,) = edi.check_remittances([remit])
    assert "not validated" in problem and "amounts: Value error, 'B6' is the qualifier" in problem
    with pytest.raises(edi.WriteError, match="'B6' is the qualifier of the field allowed"):
        edi.write_835([remit], check=False)
    del service.amounts["B6"]
    # The 837's 2320 alike: AMT*D is the prior payer's `paid`.
    cob = (FIXTURES.parent / "837p" / "cob_secondary.x12").read_text()
    twice = cob.replace("AMT*D*120~\n", "AMT*D*120~\nAMT*D*5~\n", 1)
    twice = twice.replace(f"SE*{68}*", f"SE*{69}*")
    claim_reader = edi.ClaimReader(twice)
    claim = next(iter(claim_reader))
    assert (claim.prior_payers[0].paid, claim.prior_payers[0].amounts) == (Decimal(120), {})
    assert "mapping.unplaced" in [d.code for d in claim_reader.diagnostics]
    # Set in place: the checks say it as the writer refuses it (the second reviewer).
    claims = list(edi.read_claims(cob))
    prior = claims[0].prior_payers[0]
    prior.paid = None
    prior.amounts["D"] = Decimal(120)
    (problem,) = edi.check_claims(claims)
    assert "not validated" in problem and "'D' is the qualifier of the field paid" in problem
    with pytest.raises(edi.ClaimCheckError, match="'D' is the qualifier of the field paid"):
        edi.write_837(claims)


@pytest.mark.parametrize(("st01", "shown"), [("835:1", "(5 characters)"), ("", "empty")])
def test_a_damaged_st01_in_a_group_of_835s_is_an_unread_set_not_another_type(
    st01: str, shown: str
) -> None:
    """`ST*835:1` in a GS*HP group was taken for a set of another type and left out with a
    warning: its payment was in no `unread_sets`, and `edi remit` said "835:1 set 0002 skipped:
    edi remit reads 835s". An ST01 that is no code at all, in a group of 835s, is an 835's."""
    text = (FIXTURES / "multiple_sets.x12").read_text()
    assert text.count("ST*835*0002~") == 1
    reader = edi.RemittanceReader(text.replace("ST*835*0002~", f"ST*{st01}*0002~"))
    assert [r.envelope.set_control_number for r in reader] == ["0001", "0003"]
    (unread,) = reader.unread_sets
    assert (unread.set_control_number, unread.payment_amount, unread.trace_number) == (
        "0002",
        "75",
        "CHK8002",
    )
    (said,) = [d for d in reader.diagnostics if d.code == "guide.damaged_type"]
    assert said.severity is edi.Severity.ERROR and said.location.element == "ST01"
    assert said.message == (
        f"ST01 is {shown}, not a transaction set code, in a group of 835s (GS01 HP): taken for an "
        "835 with a damaged ST01: transaction set '0002' is not read"
    )
    # Another type's code is still another type: left out with a warning.
    reader = edi.RemittanceReader(text.replace("ST*835*0002~", "ST*837*0002~"))
    assert len(list(reader)) == 2 and reader.unread_sets == []
    assert [d.code for d in reader.diagnostics if d.code.startswith("guide.")] == [
        "guide.other_set"
    ]
