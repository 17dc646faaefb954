"""fixtures/835: hand-written, PHI-free 835s, each with the models expected from it (hand-checked JSON).

Each fixture is read and compared with its JSON (fields at their defaults left out), must balance by
x12-notes §8.1, and must be written back by `write_835` exactly as it was.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import edi
from edi.transactions.remit835 import balance_problems

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "835"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.x12"))


def read(name: str) -> tuple[list[edi.Remittance], edi.RemittanceReader]:
    reader = edi.read_remittances(FIXTURES / f"{name}.x12")
    return list(reader), reader


def test_every_case_of_the_issue_has_a_fixture() -> None:
    assert set(NAMES) == {
        "paid_in_full",
        "partly_paid",
        "denied",
        "reversal_correction",
        "plb_interest_recoupment",
        "secondary_crossover",
        "remarks",
        "multiple_sets",
        "ts3_ts2",
    }
    for name in NAMES:
        assert (FIXTURES / f"{name}.json").is_file(), name


@pytest.mark.parametrize("name", NAMES)
def test_fixture_reads_as_expected(name: str) -> None:
    remits, reader = read(name)
    assert [str(d) for d in reader.diagnostics] == []
    expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    got = [r.model_dump(mode="json", exclude_defaults=True) for r in remits]
    assert got == expected


@pytest.mark.parametrize("name", NAMES)
def test_fixture_balances(name: str) -> None:
    remits, _ = read(name)
    for remit in remits:
        assert balance_problems(remit) == []


@pytest.mark.parametrize("name", NAMES)
def test_fixture_writes_back_exactly(name: str) -> None:
    remits, _ = read(name)
    original = (FIXTURES / f"{name}.x12").read_bytes().decode("utf-8")
    assert edi.write_835(remits) == original


@pytest.mark.parametrize("name", NAMES)
def test_fixture_json_gives_the_same_models(name: str) -> None:
    """JSON → models → 835: what a user gets from `edi remit --format json` is complete."""
    remits, _ = read(name)
    again = [edi.Remittance.model_validate_json(r.model_dump_json()) for r in remits]
    assert [r.model_dump() for r in again] == [r.model_dump() for r in remits]


# -- facts of single fixtures, checked against x12-notes §7-§8 ---------------------------------------


def test_denied_claim() -> None:
    (remit,), _ = read("denied")
    (claim,) = remit.claims
    assert claim.status == "4" and claim.status_name == "denied"
    assert claim.paid == 0 and claim.adjustments_by_group() == {"CO": Decimal(120)}
    assert remit.payment.handling == "H" and remit.payment.amount == 0  # notification only


def test_reversal_keeps_negative_amounts_and_the_correction_follows() -> None:
    (remit,), _ = read("reversal_correction")
    reversal, correction = remit.claims
    assert reversal.is_reversal and reversal.status_name == "reversal of previous payment"
    assert (reversal.charge, reversal.paid) == (Decimal(-100), Decimal(-80))
    assert reversal.adjustments[0].amount == Decimal(-20)
    assert correction.status == "1" and correction.reference("F8") == "ICN4001"
    assert remit.total_paid == remit.payment.amount == Decimal(10)


def test_provider_adjustments_interest_and_recoupment() -> None:
    (remit,), _ = read("plb_interest_recoupment")
    assert [(p.reason, p.reason_name, p.amount) for p in remit.provider_adjustments] == [
        ("L6", "interest owed", Decimal("-2.50")),
        ("WO", "overpayment recovery", Decimal(200)),
        ("FB", "forwarding balance", Decimal("-47.50")),
    ]
    # Interest paid on a claim is mirrored by PLB L6 (x12-notes §8.1 rule 5).
    assert remit.claims[0].amounts["I"] == -remit.provider_adjustments[0].amount
    # BPR02 = 150 − (−2.50 + 200 − 47.50) = 0: the recoupment ate the whole payment.
    assert remit.total_paid == 0 == remit.payment.amount


def test_secondary_payer_and_crossover() -> None:
    (remit,), _ = read("secondary_crossover")
    forwarded, secondary = remit.claims
    assert forwarded.status_name == "processed as primary, forwarded to additional payer(s)"
    assert forwarded.crossover_carrier is not None
    assert forwarded.crossover_carrier.name == "EXAMPLE MEDIGAP PLAN"
    assert secondary.status_name == "processed as secondary"
    assert secondary.insured is not None and secondary.insured.id == "SUB6002"


def test_remarks_from_mia_moa_and_lq() -> None:
    (remit,), _ = read("remarks")
    inpatient, outpatient = remit.claims
    assert inpatient.remarks == ["MA01", "N362"]  # MIA05 and MIA20
    assert outpatient.remarks == ["MA130", "N122"]  # MOA03, MOA04
    assert [(r.qualifier, r.code) for r in outpatient.services[0].remarks] == [
        ("HE", "N130"),
        ("HE", "M15"),
    ]


def test_several_sets_keep_their_envelopes() -> None:
    remits, _ = read("multiple_sets")
    envelopes = [r.envelope for r in remits]
    assert [e.set_control_number for e in envelopes] == ["0001", "0002", "0003"]
    assert [e.group.control_number for e in envelopes] == ["801", "801", "802"]
    assert envelopes[0].interchange == envelopes[2].interchange  # one ISA for all three


def test_header_numbers_with_summaries() -> None:
    (remit,), _ = read("ts3_ts2")
    assert [c.header_number for c in remit.claims] == [1, 2]
    first, second = remit.header_numbers
    assert first.provider_summary is not None and second.provider_summary is not None
    assert first.provider_summary.total_charge == remit.claims[0].charge
    assert second.provider_summary.facility_type == "13"
    assert first.supplemental_summary is not None
    assert first.supplemental_summary.drg_amount == Decimal(4500)
    assert second.supplemental_summary is None


def test_the_release_before_the_a1_errata_is_read_as_it() -> None:
    """GS08 005010X221 (without A1) was refused with no claims read; like 005010X222 for the 837P, it
    is read with the 005010X221A1 guide and written back as it came."""
    text = (FIXTURES / "denied.x12").read_text().replace("005010X221A1", "005010X221")
    reader = edi.read_remittances(text)
    remits = list(reader)
    assert [len(r.claims) for r in remits] == [1] and reader.diagnostics == []
    assert edi.write_835(remits) == text
