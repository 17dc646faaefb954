"""`edi remit FILE --format table|json|csv`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

import edi
from edi.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "835"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["remit", *args])
    return result.exit_code, result.stdout, result.stderr


def test_table() -> None:
    code, out, err = run(str(FIXTURES / "partly_paid.x12"))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "835 0001  EXAMPLE HEALTH PLAN -> EXAMPLE CLINIC (XX 1234567893)"
    assert lines[1] == (
        "payment 180.00 credit by automated clearing house (ACH) on 2024-03-05, trace EFT2001"
    )
    assert lines[3].split() == ["claim", "status", "charge", "paid", "patient", "adjustments"]
    # Per claim: PCN, status named, charge, paid, patient responsibility, adjustments by group with
    # line-level CAS included (CO 50 + 30, PR 30 + 20 for the first claim).
    assert lines[4].split() == (
        "PCN2001 1 processed as primary 250.00 120.00 50.00 CO 80.00 PR 50.00".split()
    )
    assert lines[5].split() == (
        "PCN2002 1 processed as primary 90.00 60.00 15.00 CO 15.00 PR 15.00".split()
    )
    assert lines[-1] == (
        "total paid (BPR02) 180.00: 2 claim(s) paid 180.00, provider adjustments 0.00"
    )


def test_table_shows_plb_lines_and_negative_amounts() -> None:
    code, out, _ = run(str(FIXTURES / "plb_interest_recoupment.x12"))
    assert code == 0
    assert "provider adjustments (PLB)" in out
    assert "  1234567893  2024-12-31  L6 interest owed PCN5001  -2.50" in out
    assert "  1234567893  2024-12-31  WO overpayment recovery ICN4999  200.00" in out
    assert "  1234567893  2024-12-31  FB forwarding balance ICN4999  -47.50" in out
    assert out.splitlines()[-1] == (
        "total paid (BPR02) 0.00: 1 claim(s) paid 150.00, provider adjustments 150.00"
    )
    code, out, _ = run(str(FIXTURES / "reversal_correction.x12"))
    assert "PCN4001  22 reversal of previous payment  -100.00  -80.00" in out


def test_table_flags_an_unbalanced_remittance(tmp_path: Path) -> None:
    text = (FIXTURES / "paid_in_full.x12").read_text().replace("BPR*I*100*", "BPR*I*99*")
    path = tmp_path / "off.835"
    path.write_text(text)
    _, out, _ = run(str(path))
    assert "does not balance: claims − provider adjustments = 100.00" in out


def test_json_is_the_models() -> None:
    code, out, err = run(str(FIXTURES / "multiple_sets.x12"), "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [d["claims"][0]["patient_control_number"] for d in data] == [
        "PCN8001",
        "PCN8002",
        "PCN8003",
    ]
    models = [edi.Remittance.model_validate(d) for d in data]
    read = list(edi.read_remittances(FIXTURES / "multiple_sets.x12"))
    assert [m.model_dump() for m in models] == [r.model_dump() for r in read]
    assert data[2]["claims"][0]["adjustments"][0] == {
        "group": "PR",
        "reason": "1",
        "amount": "20",
        "quantity": None,
    }


def test_csv_tables(tmp_path: Path) -> None:
    out_dir = tmp_path / "tables"
    code, out, _ = run(str(FIXTURES / "partly_paid.x12"), "--format", "csv", "-o", str(out_dir))
    assert code == 0 and out.startswith(f"wrote {out_dir}/")

    def rows(name: str) -> list[dict[str, str]]:
        with (out_dir / f"{name}.csv").open(newline="") as fh:
            return list(csv.DictReader(fh))

    (remit,) = rows("remittances")
    assert (remit["amount"], remit["method"], remit["trace_number"]) == ("180.00", "ACH", "EFT2001")
    claims = rows("claims")
    assert [(c["patient_control_number"], c["charge"], c["paid"]) for c in claims] == [
        ("PCN2001", "250.00", "120.00"),
        ("PCN2002", "90", "60"),
    ]
    assert claims[0]["status_name"] == "processed as primary"
    assert claims[0]["patient_name"] == "TESTPATIENT, BRAVO Q"
    services = rows("services")
    assert [(s["claim"], s["service"], s["code"], s["original_code"]) for s in services] == [
        ("1", "1", "99214", "99215"),
        ("1", "2", "80053", ""),
    ]
    adjustments = rows("adjustments")
    assert [
        (a["claim"], a["service"], a["level"], a["group"], a["reason"], a["amount"])
        for a in (adjustments)
    ] == [
        ("1", "1", "service", "CO", "45", "50.00"),
        ("1", "1", "service", "PR", "2", "30.00"),
        ("1", "2", "service", "CO", "45", "30.00"),
        ("1", "2", "service", "PR", "1", "20.00"),
        ("2", "", "claim", "CO", "45", "10"),
        ("2", "", "claim", "CO", "253", "5"),
        ("2", "", "claim", "PR", "3", "15"),
    ]
    assert rows("provider_adjustments") == []


def test_csv_provider_adjustments(tmp_path: Path) -> None:
    out_dir = tmp_path / "plb"
    run(str(FIXTURES / "plb_interest_recoupment.x12"), "--format", "csv", "-o", str(out_dir))
    with (out_dir / "provider_adjustments.csv").open(newline="") as fh:
        plb = list(csv.DictReader(fh))
    assert [(p["reason"], p["reference"], p["amount"]) for p in plb] == [
        ("L6", "PCN5001", "-2.50"),
        ("WO", "ICN4999", "200"),
        ("FB", "ICN4999", "-47.50"),
    ]


def test_bad_input_exit_codes(tmp_path: Path) -> None:
    garbage = tmp_path / "letter.txt"
    garbage.write_text("Dear provider, your payment is on its way.")
    code, out, err = run(str(garbage))
    assert code == 2 and "not X12" in err and "Traceback" not in out + err

    code, _, err = run(str(tmp_path / "missing.835"))
    assert code == 2 and "no such file" in err

    bad_amount = tmp_path / "bad.835"
    bad_amount.write_text(
        (FIXTURES / "multiple_sets.x12")
        .read_text()
        .replace("CLP*PCN8002*1*75*75", "CLP*PCN8002*1*75*7S")
    )
    code, out, err = run(str(bad_amount))
    assert code == 1
    assert "segment 10 CLP (line 24, loop 2100 claim payment, element CLP04): CLP04 is '7S'" in err
    assert "PCN8001" in out and "PCN8003" in out and "PCN8002" not in out  # the others still read


def test_an_837_is_unusable_input() -> None:
    # No 835 set at all: nothing to show, exit 2 (as for a file that is not X12), in every format.
    sample = FIXTURES.parent / "837p" / "dependent.x12"
    code, out, err = run(str(sample))
    assert code == 2
    assert err == f"{sample}: no 835 transaction set in the input (found 837)\n"
    assert out.strip() == "no 835 remittance could be read"
    code, out, _ = run(str(sample), "--format", "json")
    assert (code, out) == (2, "[\n]\n")


def test_an_835_that_cannot_be_read_is_a_problem_not_unusable(tmp_path: Path) -> None:
    # The file holds an 835, which fails (CLP04 is not a number): a problem in the input, exit 1.
    path = tmp_path / "bad.835"
    path.write_text(
        (FIXTURES / "paid_in_full.x12")
        .read_text()
        .replace("CLP*PCN1001*1*100*100", "CLP*PCN1001*1*100*1OO")
    )
    code, out, err = run(str(path))
    assert code == 1
    assert "835 transaction set '0001' is not read into a model" in err
    assert out.strip() == "no 835 remittance could be read"
