"""`edi remit FILE --format table|json|csv`."""

from __future__ import annotations

import csv
import json
import os
import re
import stat
from collections import Counter
from pathlib import Path
from typing import IO

import pytest
from click.testing import CliRunner

import edi
from edi.cli import main
from edi.cli_remit import remittance_json
from edi.models.remittance import (
    InpatientAdjudication,
    OutpatientAdjudication,
    Payment,
    ProviderSummary,
    SupplementalSummary,
)
from tests.helpers import CorpusFile, corpus_params, interchange, requires_corpus

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
    columns = ["claim", "status", "charge", "paid", "patient resp", "adjustments"]
    assert re.split(r"\s{2,}", lines[3]) == columns
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
    code, out, err = run(str(path))
    # Both sides, and how far apart (the README newcomer: the table gave one side only).
    assert (
        "does not balance: claims − provider adjustments = 100.00 ≠ BPR02 99.00 (off by 1.00)"
        in out
    )
    # BPR02 99 ≠ Σ CLP04 100 − Σ PLB 0: reported on stderr as well, and the exit code says so.
    assert code == 1
    # The BPR02 total is placed at the BPR (segment 2, line 4: after ISA, GS and ST).
    assert (
        err
        == f"{path}: segment 2 BPR (line 4): 835 0001: BPR02 99 ≠ Σ CLP04 100 − Σ PLB 0 = 100 (off by 1)\n"
    )
    # In the CSV folder, the set's row says it; its claim balances.
    run(str(path), "--format", "csv", "-o", str(tmp_path / "csv"))
    # In plain ASCII: Excel opens a CSV without a BOM in the ANSI code page (the denial tester).
    assert [r["balance"] for r in _csv(tmp_path / "csv", "remittances")] == [
        "BPR02 99 != sum CLP04 100 - sum PLB 0 = 100 (off by 1)"
    ]
    assert [r["balance"] for r in _csv(tmp_path / "csv", "claims")] == [""]


def test_table_shows_an_amount_read_as_minus_zero_as_zero(tmp_path: Path) -> None:
    text = (FIXTURES / "paid_in_full.x12").read_text()
    path = tmp_path / "minus_zero.x12"
    path.write_text(text.replace("CLP*PCN1001*1*100*100**12", "CLP*PCN1001*1*100*100*-0*12"))
    code, out, err = run(str(path))
    # X12 signs negative values only: said (X12.6, RFI 1924), and shown as the zero it is.
    assert code == 1 and err.endswith(
        "CLP05 is a negative zero (kept from the file read); X12 signs negative values only\n"
    )
    assert (
        out.splitlines()[4].split() == "PCN1001 1 processed as primary 100.00 100.00 0.00".split()
    )
    # Only shown so: the model keeps what was read.
    assert str(next(iter(edi.read_remittances(path))).claims[0].patient_responsibility) == "-0"


def test_table_of_a_set_without_claims_has_no_claims_header(tmp_path: Path) -> None:
    # A set of provider adjustments only (BPR02 0 = 0 − (200 − 200)).
    text = (FIXTURES / "plb_interest_recoupment.x12").read_text()
    claim = ("LX", "CLP", "CAS", "NM1", "DTM*232", "AMT", "PLB*1234567893*20241231*L6")
    body = [s for s in text.split("~\n") if not s.startswith(claim)]
    path = tmp_path / "plb_only.x12"
    path.write_text("~\n".join(body).replace("*-47.50", "*-200").replace("SE*18*", "SE*11*"))
    code, out, err = run(str(path))
    assert (code, err) == (0, "")
    assert out.splitlines()[2:5] == ["", "no claims", ""]
    assert "patient resp" not in out
    assert out.splitlines()[-1] == (
        "total paid (BPR02) 0.00: 0 claim(s) paid 0.00, provider adjustments 0.00"
    )


# The shared sample ../shared/samples/unbalanced_835.x12 (x12-notes §8.1), between ST and SE: line 2
# is SVC02 50 − CAS 30 = 20 but pays 25, so its lines pay 60 + 25 = 85 against CLP04 80; the claim
# (150 − 40 − 30 = 80), BPR02 (80 − (−1.50) = 81.50) and the interest (AMT*I 1.5, PLB L6 −1.5) balance.
UNBALANCED = [
    "BPR*I*81.5*C*CHK************20240115",
    "TRN*1*12345*1512345678",
    "DTM*405*20240114",
    "N1*PR*PAYER CO",
    "N3*1 PAYER WAY",
    "N4*HARTFORD*CT*06101",
    "PER*BL*EDI SUPPORT*TE*8005551212",
    "N1*PE*ACME CLINIC*XX*1234567893",
    "LX*1",
    "CLP*PCN0001*1*150*80*20*12*PAYERCLM001",
    "NM1*QC*1*DOE*JOHN****MI*W123456789",
    "AMT*I*1.5",
    "SVC*HC:99213:25*100*60**1",
    "DTM*472*20231215",
    "CAS*CO*45*20",
    "CAS*PR*3*20",
    "REF*6R*LINE0001",
    "SVC*HC:81002*50*25**1",
    "DTM*472*20231215",
    "CAS*CO*45*30",
    "REF*6R*LINE0002",
    "PLB*1234567893*20241231*L6*-1.5",
]


def test_balance_problems_are_reported_in_every_format(tmp_path: Path) -> None:
    path = tmp_path / "unbalanced.835"
    path.write_text(interchange(body=UNBALANCED))
    # Each problem placed where it was read: ISA and GS are lines 1 and 2, ST segment 1 on line 3,
    # so the CLP (11th segment of the set) is on line 13 and the second SVC (19th) on line 21; in
    # the order of the file.
    expected = (
        f"{path}: segment 11 CLP (line 13, loop 2100): 835 0001 claim PCN0001 (#1): "
        "Σ SVC03 85 − Σ claim CAS 0 = 85 ≠ CLP04 80 (off by 5)\n"
        f"{path}: segment 19 SVC (line 21, loop 2110): 835 0001 claim PCN0001 (#1) line 2: "
        "SVC02 50 − Σ CAS 30 = 20 ≠ SVC03 25 (off by 5)\n"
    )
    code, out, err = run(str(path))
    assert (code, err) == (1, expected)
    assert "DOE" not in err and "JOHN" not in err and "W123456789" not in err  # no PHI
    # The data is still shown, and under the rows the claim's problems, as on stderr (a table
    # read alone had looked clean: the posting tester); the BPR02 total itself balances.
    assert "PCN0001  1 processed as primary  150.00  80.00         20.00  CO 50.00  PR 20.00" in out
    claim_problems = [
        "does not balance: claim PCN0001 (#1) line 2: SVC02 50 − Σ CAS 30 = 20 ≠ SVC03 25 (off by 5)",
        "does not balance: claim PCN0001 (#1): Σ SVC03 85 − Σ claim CAS 0 = 85 ≠ CLP04 80 (off by 5)",
    ]
    assert [line for line in out.splitlines() if "does not balance" in line] == claim_problems

    code, out, err = run(str(path), "--format", "json")
    assert (code, err) == (1, expected)
    assert json.loads(out)[0]["claims"][0]["patient_control_number"] == "PCN0001"

    out_dir = tmp_path / "tables"
    code, out, err = run(str(path), "--format", "csv", "-o", str(out_dir))
    assert (code, err) == (1, expected)
    assert out.startswith(f"wrote {out_dir}/: remittances 1, claims 1,")
    assert (out_dir / "services.csv").read_text().count("PCN0001") == 2
    # A sheet of the folder shows the claim not to post: its balance column, empty when it
    # balances (the set's own, BPR02, does).
    (claim,) = _csv(out_dir, "claims")
    assert claim["balance"] == "; ".join(
        p.removeprefix("does not balance: ") for p in claim_problems
    ).replace("≠", "!=").replace("Σ", "sum").replace("−", "-")
    assert claim["balance"].isascii()
    assert [r["balance"] for r in _csv(out_dir, "remittances")] == [""]


def test_a_debit_balances_with_a_negative_bpr02(tmp_path: Path) -> None:
    # reversal_correction without its correction: the reversal alone (CLP04 −80) makes the payer
    # take 80 back, sent as BPR02 80 with BPR03 D (x12-notes §8.1 rule 4: BPR02 counts as −80).
    text = (FIXTURES / "reversal_correction.x12").read_text()
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("CLP*PCN4001*1*"))
    end = next(i for i, line in enumerate(lines) if line.startswith("SE*"))
    kept = lines[:start] + lines[end:]
    # 20 segments less the correction's CLP, CAS, NM1, REF and DTM.
    debit = "".join(kept).replace("BPR*I*10*C*", "BPR*I*80*D*").replace("SE*20*", "SE*15*")
    path = tmp_path / "debit.835"
    path.write_text(debit)
    code, out, err = run(str(path))
    assert (code, err) == (0, "")
    assert "payment 80.00 debit by check on 2024-03-07" in out
    assert "does not balance" not in out
    assert out.splitlines()[-1] == (
        "total paid (BPR02, debit) -80.00: 1 claim(s) paid -80.00, provider adjustments 0.00"
    )
    # As a credit the same file does not balance: the provider would be paid 80.
    path.write_text(debit.replace("BPR*I*80*D*", "BPR*I*80*C*"))
    code, out, err = run(str(path))
    assert code == 1
    assert out.splitlines()[-2:] == [
        "total paid (BPR02) 80.00: 1 claim(s) paid -80.00, provider adjustments 0.00",
        "  does not balance: claims − provider adjustments = -80.00 ≠ BPR02 80.00 (off by 160.00)",
    ]
    assert (
        err
        == f"{path}: segment 2 BPR (line 4): 835 0001: BPR02 80 ≠ Σ CLP04 -80 − Σ PLB 0 = -80 (off by 160)\n"
    )


def whole_json(remits: list[edi.Remittance]) -> str:
    """The JSON of `edi remit` as it was first written: each remittance dumped whole."""
    return "[" + ",".join("\n" + json.dumps(r.model_dump(mode="json"), indent=2) for r in remits)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.x12")), ids=lambda p: p.stem)
def test_json_written_a_claim_at_a_time_is_the_json_dumped_whole(path: Path) -> None:
    remits = list(edi.read_remittances(path))
    code, out, _ = run(str(path), "--format", "json")
    assert code == 0
    assert out == whole_json(remits) + "\n]\n"
    for remit in remits:  # one part per claim, with the text before and after them
        assert len(list(remittance_json(remit))) == len(remit.claims) + 2


def test_json_of_a_set_without_claims_or_of_text_not_utf8_is_the_json_dumped_whole() -> None:
    remit = next(iter(edi.read_remittances(FIXTURES / "partly_paid.x12")))
    remit.payee.name = "CLINIQUE \udcc9T\udcc9"  # a Latin-1 byte read as a lone surrogate
    remit.claims[1].patient.name = 'A "QUOTED"\n  "claims": [] NAME'  # escaped, never a key
    bare = remit.model_copy(update={"claims": []})
    for one in (remit, bare):
        assert "".join(remittance_json(one)) == json.dumps(one.model_dump(mode="json"), indent=2)


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
        "segment": 1,
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
    # segment: the CAS of its loop that holds it (claim 2's CO 45 and CO 253 share its first CAS).
    assert [
        (a["claim"], a["service"], a["level"], a["group"], a["reason"], a["amount"], a["segment"])
        for a in (adjustments)
    ] == [
        ("1", "1", "service", "CO", "45", "50.00", "1"),
        ("1", "1", "service", "PR", "2", "30.00", "2"),
        ("1", "2", "service", "CO", "45", "30.00", "1"),
        ("1", "2", "service", "PR", "1", "20.00", "2"),
        ("2", "", "claim", "CO", "45", "10", "1"),
        ("2", "", "claim", "CO", "253", "5", "1"),
        ("2", "", "claim", "PR", "3", "15", "2"),
    ]
    assert rows("provider_adjustments") == []


def _csv(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_tables_for_posting(tmp_path: Path) -> None:
    # partly_paid with modifiers on SVC01 and SVC06 and a second claim REF (values from the X12 by
    # hand: TRN03 1999999999, NM1*82 XX 1234567893, REF*EA MRN2001, AMT*AU 170.00).
    text = (
        (FIXTURES / "partly_paid.x12")
        .read_text()
        .replace(
            "SVC*HC:99214*180.00*100.00**1*HC:99215*1",
            "SVC*HC:99214:25:59*180.00*100.00**1*HC:99215:25*1",
        )
        .replace("REF*EA*MRN2001~\n", "REF*EA*MRN2001~\nREF*1L*GRP2001~\n")
        .replace("SE*41*", "SE*42*")
    )
    path = tmp_path / "posting.835"
    path.write_text(text)
    out_dir = tmp_path / "tables"
    code, out, err = run(str(path), "--format", "csv", "-o", str(out_dir))
    assert (code, err) == (0, "")
    assert out == (
        f"wrote {out_dir}/: remittances 1, claims 2, claim_amounts 1, claim_references 2, "
        "services 2, adjustments 7, provider_adjustments 0, claim_quantities 0, "
        "service_references 2, service_amounts 2, service_quantities 0, remarks 0, "
        "header_numbers 1, inpatient_adjudications 0, outpatient_adjudications 0, "
        "unread_claims 0, party_references 1, contacts 2, unread_sets 0\n"
    )
    (remit,) = _csv(out_dir, "remittances")
    assert (remit["set_control_number"], remit["trace_payer_id"]) == ("0001", "1999999999")
    claims = _csv(out_dir, "claims")
    assert [
        (
            c["claim"],
            c["set_control_number"],
            c["trace_number"],
            c["trace_payer_id"],
            c["rendering_provider_id_qualifier"],
            c["rendering_provider_id"],
            c["drg_code"],
        )
        for c in claims
    ] == [
        ("1", "0001", "EFT2001", "1999999999", "XX", "1234567893", ""),
        ("2", "0001", "EFT2001", "1999999999", "", "", ""),
    ]
    assert _csv(out_dir, "claim_amounts") == [
        {
            "remittance": "1",
            "set_control_number": "0001",
            "claim": "1",
            "patient_control_number": "PCN2001",
            "qualifier": "AU",
            "amount": "170.00",
        }
    ]
    assert [
        (r["claim"], r["patient_control_number"], r["qualifier"], r["value"])
        for r in _csv(out_dir, "claim_references")
    ] == [("1", "PCN2001", "EA", "MRN2001"), ("1", "PCN2001", "1L", "GRP2001")]
    services = _csv(out_dir, "services")
    assert [
        (
            s["qualifier"],
            s["code"],
            s["modifiers"],
            s["original_qualifier"],
            s["original_code"],
            s["original_modifiers"],
            s["set_control_number"],
        )
        for s in services
    ] == [
        ("HC", "99214", "25:59", "HC", "99215", "25", "0001"),
        ("HC", "80053", "", "", "", "", "0001"),
    ]
    assert {a["set_control_number"] for a in _csv(out_dir, "adjustments")} == {"0001"}


def test_csv_columns_added_after_the_old_ones(tmp_path: Path) -> None:
    # A column keeps its place: the columns of the first CSV release come first, in their order.
    run(str(FIXTURES / "paid_in_full.x12"), "--format", "csv", "-o", str(tmp_path))
    first_release = {
        "remittances": "remittance,set_control_number,payer_name,payer_id,payee_name,"
        "payee_id_qualifier,payee_id,handling,amount,credit_debit,method,payment_date,trace_number,"
        "production_date,claims",
        "claims": "remittance,claim,header_number,patient_control_number,status,status_name,charge,"
        "paid,patient_responsibility,filing_indicator,payer_claim_control_number,facility_type,"
        "frequency,patient_name,patient_id,insured_id,statement_from,statement_to,received_date,"
        "remarks",
        "services": "remittance,claim,service,patient_control_number,qualifier,code,modifiers,charge,"
        "paid,revenue_code,units,original_code,original_units,service_date,start_date,end_date,"
        "line_control_number,allowed,remarks",
        "adjustments": "remittance,claim,service,patient_control_number,level,group,group_name,reason,"
        "amount,quantity",
        "provider_adjustments": "remittance,provider_id,fiscal_period_date,reason,reason_name,"
        "reference,amount",
    }
    for table, columns in first_release.items():
        header = (tmp_path / f"{table}.csv").read_text().splitlines()[0]
        assert header.startswith(columns + ","), table


def test_csv_interest_drg_and_keys_of_several_sets(tmp_path: Path) -> None:
    run(str(FIXTURES / "plb_interest_recoupment.x12"), "--format", "csv", "-o", str(tmp_path / "a"))
    assert [
        (a["patient_control_number"], a["qualifier"], a["amount"])
        for a in _csv(tmp_path / "a", "claim_amounts")
    ] == [("PCN5001", "I", "2.50")]
    assert {p["set_control_number"] for p in _csv(tmp_path / "a", "provider_adjustments")} == {
        "0001"
    }
    # CLP11 470, CLP12 1.9 on the inpatient claim of `remarks`.
    run(str(FIXTURES / "remarks.x12"), "--format", "csv", "-o", str(tmp_path / "b"))
    assert [(c["drg_code"], c["drg_weight"]) for c in _csv(tmp_path / "b", "claims")] == [
        ("470", "1.9"),
        ("", ""),
    ]
    # Three sets: each claim row names its set (ST02 0001, 0002, 0003) and trace (TRN02).
    run(str(FIXTURES / "multiple_sets.x12"), "--format", "csv", "-o", str(tmp_path / "c"))
    assert [
        (c["remittance"], c["set_control_number"], c["trace_number"], c["patient_control_number"])
        for c in _csv(tmp_path / "c", "claims")
    ] == [
        ("1", "0001", "CHK8001", "PCN8001"),
        ("2", "0002", "CHK8002", "PCN8002"),
        ("3", "0003", "CHK8003", "PCN8003"),
    ]


def test_csv_provider_adjustments(tmp_path: Path) -> None:
    out_dir = tmp_path / "plb"
    run(str(FIXTURES / "plb_interest_recoupment.x12"), "--format", "csv", "-o", str(out_dir))
    with (out_dir / "provider_adjustments.csv").open(newline="") as fh:
        plb = list(csv.DictReader(fh))
    # The fixture's first PLB holds the L6, its second the WO and FB.
    assert [(p["reason"], p["reference"], p["amount"], p["segment"]) for p in plb] == [
        ("L6", "PCN5001", "-2.50", "1"),
        ("WO", "ICN4999", "200", "2"),
        ("FB", "ICN4999", "-47.50", "2"),
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
    assert "PCN8001" in out and "PCN8003" in out  # the others still read
    # That claim alone is not read: listed below its set's claims, not among them.
    assert "not read: PCN8002 (segment 10)\n" in out and "PCN8002  " not in out


def test_an_837_is_unusable_input() -> None:
    # No 835 set at all: nothing to show, exit 2 (as for a file that is not X12), in every format.
    sample = FIXTURES.parent / "837p" / "dependent.x12"
    code, out, err = run(str(sample))
    assert code == 2
    assert err == f"{sample}: no 835 transaction set in the input (found 837); use edi claims\n"
    assert out.strip() == "no 835 remittance could be read"
    code, out, _ = run(str(sample), "--format", "json")
    assert (code, out) == (2, "[\n]\n")


def test_an_835_that_cannot_be_read_is_a_problem_not_unusable(tmp_path: Path) -> None:
    # The file holds an 835, which fails (its header is not complete, so no claim can be read): a
    # problem in the input, exit 1.
    path = tmp_path / "bad.835"
    path.write_text(
        (FIXTURES / "paid_in_full.x12")
        .read_text()
        .replace("N1*PE*", "N1*XX*")
        .replace("N1*PR*", "N1*XX*")
    )
    code, out, err = run(str(path))
    assert code == 1
    assert "835 transaction set '0001' is not read into a model" in err
    # The payment of the set not read is shown (a deposit with no posting).
    assert out == (
        "835 0001  not read (line 3): nothing posted\n"
        "payment 100.00 credit by check on 2024-03-01, trace CHK1001\n"
        "no 835 remittance could be read\n"
    )


def test_a_csv_folder_that_cannot_be_made_is_one_line_and_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    folder = blocker / "csv"
    code, out, err = run(str(FIXTURES / "denied.x12"), "--format", "csv", "--out", str(folder))
    assert (code, out, err) == (2, "", f"{folder}: cannot write: Not a directory\n")
    # A symbolic link to nothing, and a device, were "File exists" (the fuzz tester).
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere" / "x")
    code, out, err = run(str(FIXTURES / "denied.x12"), "--format", "csv", "--out", str(dangling))
    assert (code, err) == (
        2,
        f"{dangling}: cannot write: a symbolic link to nothing, not a folder\n",
    )
    if Path("/dev/null").exists():
        code, out, err = run(str(FIXTURES / "denied.x12"), "--format", "csv", "--out", "/dev/null")
        assert (code, err) == (2, "/dev/null: cannot write: not a folder\n")


def test_a_csv_table_that_cannot_be_written_is_named_and_leaves_every_table_as_it_was(
    tmp_path: Path,
) -> None:
    """A table that cannot be replaced (here a folder of its name) is named, and the tables of the
    last good run stay together: no new remittances beside the old claims."""
    folder = tmp_path / "posting"
    code, _, _ = run(str(FIXTURES / "partly_paid.x12"), "--format", "csv", "--out", str(folder))
    assert code == 0
    (folder / "claims.csv").unlink()
    (folder / "claims.csv").mkdir()
    before = {p.name: p.read_text() for p in folder.iterdir() if p.is_file()}
    code, out, err = run(str(FIXTURES / "denied.x12"), "--format", "csv", "--out", str(folder))
    assert (code, out) == (2, "")
    assert err == f"{folder / 'claims.csv'}: cannot write: Is a directory\n"
    assert {p.name: p.read_text() for p in folder.iterdir() if p.is_file()} == before


def test_csv_of_an_input_with_no_835_keeps_the_folder_as_it_was(tmp_path: Path) -> None:
    """An 837 given by mistake (exit 2) must not replace the tables of the last good run by empty
    ones, nor say that it wrote them."""
    folder = tmp_path / "posting"
    code, _, _ = run(str(FIXTURES / "partly_paid.x12"), "--format", "csv", "--out", str(folder))
    assert code == 0
    before = {p.name: p.read_text() for p in folder.iterdir()}
    sample = FIXTURES.parent / "837p" / "dependent.x12"
    code, out, err = run(str(sample), "--format", "csv", "--out", str(folder))
    assert code == 2
    assert err == f"{sample}: no 835 transaction set in the input (found 837); use edi claims\n"
    assert out == f"no 835 remittance could be read: nothing written to {folder}/\n"
    assert {p.name: p.read_text() for p in folder.iterdir()} == before

    empty = tmp_path / "empty.835"
    empty.write_text("")
    code, out, _ = run(str(empty), "--format", "csv", "--out", str(tmp_path / "new"))
    assert code == 2 and "nothing written" in out
    assert not (tmp_path / "new").exists()


def test_out_without_csv_is_refused_not_ignored(tmp_path: Path) -> None:
    """`--out DIR` with the table or JSON wrote nothing and said nothing: exit 2, one line."""
    for fmt in ("table", "json"):
        code, out, err = run(
            str(FIXTURES / "partly_paid.x12"), "--format", fmt, "--out", str(tmp_path / "t")
        )
        assert (code, out) == (2, "")
        assert err == f"edi remit: --out is for --format csv; --format {fmt} prints to stdout\n"
    assert not (tmp_path / "t").exists()


def test_amounts_are_shown_as_digits_never_in_exponent_form_nor_a_traceback(tmp_path: Path) -> None:
    """A 30-digit amount (more than the decimal context's 28) ended the table in a traceback
    (InvalidOperation from quantize); 0.0000001 was shown as `1E-7` in the table and the JSON."""
    path = tmp_path / "odd.835"
    path.write_text(
        (FIXTURES / "partly_paid.x12")
        .read_text()
        .replace("CLP*PCN2002*1*90*", "CLP*PCN2002*1*999999999999999999999999999999*")
        .replace("AMT*AU*170.00~", "AMT*AU*0.0000001~")
        .replace("CAS*CO*45*50.00~", "CAS*CO*45*50.0000001~")
    )
    code, out, err = run(str(path))
    assert code == 1 and "Traceback" not in out + err  # the amounts do not balance
    assert " 999,999,999,999,999,999,999,999,999,999 " in out
    assert "CO 80.0000001" in out
    code, out, _ = run(str(path), "--format", "json")
    claim = json.loads(out)[0]["claims"][0]
    assert claim["amounts"] == {"AU": "0.0000001"}
    assert claim["services"][0]["adjustments"][0]["amount"] == "50.0000001"


def test_a_set_that_names_no_guide_says_so(tmp_path: Path) -> None:
    """A bare ST*835 (no ST03, no GS): the message said "implementation guide missing is not
    supported"."""
    text = (FIXTURES / "paid_in_full.x12").read_text()
    path = tmp_path / "bare.835"
    path.write_text(text[text.index("ST*835") : text.index("GE*")])
    code, out, err = run(str(path))
    assert code == 1
    assert (
        f"{path}: segment 1 ST (line 1, element GS08): 835 transaction set '0001': it names no "
        "implementation guide (no ST03, no GS08), so it is not read; expected 005010X221A1"
    ) in err.splitlines()


def test_set_level_balance_problems_are_placed_at_their_bpr_and_plb(tmp_path: Path) -> None:
    """The BPR02 total is placed at the BPR, a PLB rule at its PLB; they were all at the ST."""
    # Σ CLP04 100 − Σ PLB (0 − 1.50 − 40) = 141.50 ≠ BPR02 150; PLB L6 −1.50 ≠ −AMT*I 2; a WO of 0.
    # ST is segment 1 (line 3, after ISA and GS): BPR 2 (line 4), PLB 14 and 15 (lines 16, 17).
    body = [
        "BPR*I*150*C*CHK************20240115",
        *UNBALANCED[1:7],  # TRN, DTM, the payer's N1, N3, N4 and PER: segments 3-8
        "N1*PE*ACME CLINIC*XX*1234567893",
        "LX*1",
        "CLP*PCN0001*1*100*100*0*12*PAYERCLM001",
        "NM1*QC*1*DOE*JOHN****MI*W123456789",
        "AMT*I*2",
        "PLB*1234567893*20241231*WO:ICN0*0",
        "PLB*1234567893*20241231*FB:ICN0*-40*L6:PCN0001*-1.5",
    ]
    path = tmp_path / "plb.835"
    path.write_text(interchange(body=body))
    code, _, err = run(str(path))
    assert code == 1
    assert err.splitlines() == [
        f"{path}: segment 2 BPR (line 4): 835 0001: BPR02 150 ≠ Σ CLP04 100 − Σ PLB -41.5 = 141.5 (off by 8.5)",
        f"{path}: segment 14 PLB (line 16): 835 0001 PLB 1 WO: a provider adjustment of 0 "
        "(zero-dollar adjustments are not allowed)",
        f"{path}: segment 15 PLB (line 17): 835 0001: PLB L6 -1.5 ≠ −(Σ claim AMT*I 2) = -2 "
        "(interest paid) (off by 0.5)",
    ]


# UNBALANCED (its line 2 and its claim vs lines do not balance) with guide problems, each by hand
# against 005010X221A1: BPR16 no date (month 13), TRN03 of 11 characters (the map takes 10), CLP02
# 5 (no claim status code), NM108 XX on the patient (QC takes 34, HN, II, MI, MR), DTM*472 of the
# second line no date, and a PLB reason ZZ whose amount is 0 (a balancing rule too).
GUIDE_PROBLEMS = [
    "BPR*I*81.5*C*CHK************20241315",
    "TRN*1*12345*15123456789",
    *UNBALANCED[2:9],
    "CLP*PCN0001*1*150*80*20*12*PAYERCLM001",
    "NM1*QC*1*DOE*JOHN****XX*W123456789",
    *UNBALANCED[11:18],
    "DTM*472*20231345",
    *UNBALANCED[19:21],
    "PLB*1234567893*20241231*L6:PCN0001*-1.5*ZZ*0",
]


def test_guide_problems_are_checked_placed_where_read_and_said_once(tmp_path: Path) -> None:
    """`edi remit` runs `check_remittances`, not the balancing alone: an NM108 of XX was not said,
    with exit 0. Each problem is placed where what it is about was read (the
    BPR, TRN and PLB at their segment, a claim's at its CLP, a line's at its SVC), in the order of
    the file, and said once: not twice when the reader said it (BPR16, the DTM), nor a balancing
    rule twice."""
    path = tmp_path / "guide.835"
    path.write_text(interchange(body=GUIDE_PROBLEMS))
    # ST is segment 1 on line 3; segment n is on line n + 2 (the CLP 11, the second SVC 19, its DTM
    # 20, the PLB 23).
    at = {n: f"{path}: segment {n} " for n in (2, 3, 11, 19, 20, 23)}
    claim = "835 0001 claim PCN0001 (#1)"
    codes = "50, 51, 72, 90, AH, AM, AP, B2, B3, BD, BN, C5, CR, CS, CT, CV, CW, DM, E3, FB, FC, "
    codes += "GO, HM, IP, IR, IS, J1, L3, L6, LE, LS, OA, OB, PI, PL, RA, RE, SL, TL, WO, WU"
    read = [  # said by the reader, as it reads the set
        f"{at[2]}BPR (line 4, loop ST transaction, element BPR16): BPR16 is '20241315', not a "
        "date CCYYMMDD",
        f"{at[20]}DTM (line 22, loop 2110 service payment, element DTM02): DTM02 (8 characters) "
        "is not a date CCYYMMDD: its digits name no day of the calendar (a month 01-12, a day the "
        "month has)",
    ]
    checked = [
        f"{at[3]}TRN (line 5): 835 0001: TRN03 is 11 characters long; 005010X221A1 takes 10 there",
        f"{at[11]}CLP (line 13, loop 2100): {claim}: NM1*QC NM108 'XX' is not an identification "
        "code qualifier of 005010X221A1 (34, HN, II, MI, MR)",
    ]
    balance = [
        f"{at[11]}CLP (line 13, loop 2100): {claim}: Σ SVC03 85 − Σ claim CAS 0 = 85 ≠ CLP04 80 (off by 5)",
        f"{at[19]}SVC (line 21, loop 2110): {claim} line 2: SVC02 50 − Σ CAS 30 = 20 ≠ SVC03 25 (off by 5)",
    ]
    plb = f"{at[23]}PLB (line 25): 835 0001 PLB 1"
    expected = [  # the reader's and the check's together, in the order of the file
        read[0],
        *checked,
        *balance,
        read[1],
        f"{plb}: PLB05-01 'ZZ' is not an adjustment reason code of 005010X221A1 ({codes})",
        f"{plb} ZZ: a provider adjustment of 0 (zero-dollar adjustments are not allowed)",
    ]
    for fmt in ("table", "json", "csv"):
        out_dir = ["-o", str(tmp_path / "csv")] if fmt == "csv" else []
        code, out, err = run(str(path), "--format", fmt, *out_dir)
        assert (code, err.splitlines()) == (1, expected), fmt
    assert "PCN0001  1 processed as primary" in run(str(path))[1]  # the data is still shown
    assert "DOE" not in err and "JOHN" not in err and "W123456789" not in err  # no PHI
    # Every problem check_remittances gives, but the two the reader said.
    said = [line.split(": ", 2)[2] for line in err.splitlines() if line not in read]
    problems = edi.check_remittances(edi.read_remittances(path))
    assert sorted(said) == sorted(
        p for p in problems if "BPR16" not in p and "DTM*472 DTM02" not in p
    )
    assert len(problems) == len(said) + 2

    # --no-check: the guide's rules left out, the balancing kept.
    code, _, err = run(str(path), "--no-check")
    assert (code, err.splitlines()) == (1, [read[0], *balance, read[1], expected[-1]])


def test_an_npi_that_fails_its_check_digit_is_placed_where_read(tmp_path: Path) -> None:
    """The 835's NPIs are checked as the 837's: the payee's (N1*PE N104 under XX) is said at its
    N1, a rendering provider's (NM1*82 NM109 under XX) at its claim's CLP."""
    text = (FIXTURES / "partly_paid.x12").read_text()
    text = text.replace(
        "N1*PE*EXAMPLE CLINIC*XX*1234567893~", "N1*PE*EXAMPLE CLINIC*XX*1234567890~"
    )
    text = text.replace("CHARLIE****XX*1234567893~", "CHARLIE****XX*3234567893~")
    path = tmp_path / "npi.835"
    path.write_text(text)
    code, _, err = run(str(path))
    # ST is segment 1 on line 3: the N1*PE is segment 11, the first CLP segment 16.
    assert (code, err.splitlines()) == (
        1,
        [
            f"{path}: segment 11 N1 (line 13, loop 1000B): 835 0001 payee (1000B): N1*PE N104 NPI "
            "'1234567890' fails its check digit",
            f"{path}: segment 16 CLP (line 18, loop 2100): 835 0001 claim PCN2001 (#1): NM1*82 "
            "NM109 NPI '3234567893' does not start with 1 or 2, as every NPI does",
        ],
    )
    assert "TESTDOCTOR" not in err and "CHARLIE" not in err


def test_the_check_does_not_read_the_input_again(tmp_path: Path) -> None:
    """Standard input can be read once: the check runs on each remittance as it is read."""
    text = interchange(body=GUIDE_PROBLEMS)
    path = tmp_path / "guide.835"
    path.write_text(text)
    _, file_out, file_err = run(str(path))
    result = CliRunner().invoke(main, ["remit", "-"], input=text)
    assert result.exit_code == 1
    assert result.stdout == file_out
    assert result.stderr == file_err.replace(str(path), "-")
    assert "NM108 'XX'" in result.stderr


def test_no_check_on_a_clean_file_and_in_help() -> None:
    for name in ("partly_paid", "ts3_ts2", "remarks", "plb_interest_recoupment"):
        code, _, err = run(str(FIXTURES / f"{name}.x12"))
        assert (code, err) == (0, ""), name
    code, out, _ = run("--help")
    assert code == 0 and "--check / --no-check" in out and "check_remittances" in out


@requires_corpus
@pytest.mark.parametrize(
    "f",
    [p for p in corpus_params() if p.values[0].transaction == "835"],  # type: ignore[union-attr]
)
def test_the_corpus_gets_every_problem_check_remittances_gives(f: CorpusFile) -> None:
    """On every public 835: `edi remit` says each problem `check_remittances` gives, once, but for
    those of an element a reading diagnostic named already."""
    code, _, err = run(str(f.path))
    reader = edi.read_remittances(f.path)
    problems = Counter(edi.check_remittances(reader))
    # A check's problem names its set first (`835 0001 claim ...`), as no reading diagnostic does.
    sets = {r.envelope.set_control_number for r in reader if r.envelope is not None}
    named_first = re.compile(rf": (835 (?:{'|'.join(map(re.escape, sets))})[ :].*)$")
    errors = [line for line in err.splitlines() if ": warning: " not in line]
    said = Counter(m.group(1) for m in map(named_first.search, errors) if m)
    assert said <= problems
    named = {d.location.element for d in reader.diagnostics if d.location and d.location.element}
    left_out = problems - said
    assert all(any(e in p for e in named) for p in left_out), left_out
    assert code != 0 or not problems


def test_csv_tables_of_quantities_line_references_and_amounts_and_remarks(tmp_path: Path) -> None:
    """What a poster wants that the tables left out: the crossover carrier and the corrected priority
    payer (2100 NM1*TT, NM1*PR), the coverage expiration (DTM*036), the claim's QTY, every REF, AMT
    and QTY of a line (not only REF*6R and AMT*B6), and each remark code in a row of its own."""
    # partly_paid with, in the map's order: REF*LU before the first line's REF*6R, AMT*KH and
    # QTY*ZL after its AMT*B6; NM1*PR after the first claim's NM1*82, DTM*036 after its DTM*233,
    # QTY*CA after its AMT*AU. Six segments more: SE01 41 → 47.
    text = (
        (FIXTURES / "partly_paid.x12")
        .read_text()
        .replace(
            "REF*6R*LINE2001~\nAMT*B6*130.00~\n",
            "REF*LU*11~\nREF*6R*LINE2001~\nAMT*B6*130.00~\nAMT*KH*5.00~\nQTY*ZL*2~\n",
        )
        .replace(
            "XX*1234567893~\nREF*EA*", "XX*1234567893~\nNM1*PR*2*OTHER PLAN*****PI*OP001~\nREF*EA*"
        )
        .replace("DTM*233*20240220~\nDTM*050*", "DTM*233*20240220~\nDTM*036*20240229~\nDTM*050*")
        .replace("AMT*AU*170.00~\n", "AMT*AU*170.00~\nQTY*CA*1~\n")
        .replace("SE*41*", "SE*47*")
    )
    assert text.count("~\n") == (FIXTURES / "partly_paid.x12").read_text().count("~\n") + 6
    path = tmp_path / "posting.835"
    path.write_text(text)
    out_dir = tmp_path / "tables"
    code, out, err = run(str(path), "--format", "csv", "-o", str(out_dir))
    assert (code, err) == (0, "")  # the segments added are the guide's
    # The tables of the first releases first, in their order: the line's start stays.
    assert out == (
        f"wrote {out_dir}/: remittances 1, claims 2, claim_amounts 1, claim_references 1, "
        "services 2, adjustments 7, provider_adjustments 0, claim_quantities 1, "
        "service_references 3, service_amounts 3, service_quantities 1, remarks 0, "
        "header_numbers 1, inpatient_adjudications 0, outpatient_adjudications 0, "
        "unread_claims 0, party_references 1, contacts 2, unread_sets 0\n"
    )
    claims = _csv(out_dir, "claims")
    assert [
        (
            c["corrected_priority_payer_name"],
            c["corrected_priority_payer_id_qualifier"],
            c["corrected_priority_payer_id"],
            c["coverage_expiration"],
            c["crossover_carrier_name"],
        )
        for c in claims
    ] == [("OTHER PLAN", "PI", "OP001", "2024-02-29", ""), ("", "", "", "", "")]
    assert _csv(out_dir, "claim_quantities") == [
        {
            "remittance": "1",
            "set_control_number": "0001",
            "claim": "1",
            "patient_control_number": "PCN2001",
            "qualifier": "CA",
            "quantity": "1",
        }
    ]
    key = ("remittance", "set_control_number", "claim", "service", "patient_control_number")

    def rows(table: str, value: str) -> list[tuple[str, ...]]:
        return [
            (*(row[k] for k in key), row["qualifier"], row[value]) for row in _csv(out_dir, table)
        ]

    line_1, line_2 = ("1", "0001", "1", "1", "PCN2001"), ("1", "0001", "1", "2", "PCN2001")
    assert rows("service_references", "value") == [
        (*line_1, "6R", "LINE2001"),
        (*line_1, "LU", "11"),
        (*line_2, "6R", "LINE2002"),
    ]
    assert rows("service_amounts", "amount") == [
        (*line_1, "B6", "130.00"),
        (*line_1, "KH", "5.00"),
        (*line_2, "B6", "40.00"),
    ]
    assert rows("service_quantities", "quantity") == [(*line_1, "ZL", "2")]

    # The crossover carrier of secondary_crossover's first claim: NM1*TT*2*EXAMPLE MEDIGAP PLAN
    # *****PI*MEDIGAP01; its second claim has none.
    run(str(FIXTURES / "secondary_crossover.x12"), "--format", "csv", "-o", str(tmp_path / "x"))
    assert [
        (
            c["crossover_carrier_name"],
            c["crossover_carrier_id_qualifier"],
            c["crossover_carrier_id"],
        )
        for c in _csv(tmp_path / "x", "claims")
    ] == [("EXAMPLE MEDIGAP PLAN", "PI", "MEDIGAP01"), ("", "", "")]

    # remarks: MIA*3***4000*MA01***************N362 (MIA05 MA01, MIA20 N362) and QTY*CA*3 on the
    # first claim; MOA***MA130*N122 (MOA03, MOA04) on the second, whose line has LQ*HE*N130 and
    # LQ*HE*M15.
    run(str(FIXTURES / "remarks.x12"), "--format", "csv", "-o", str(tmp_path / "r"))
    assert [tuple(row.values()) for row in _csv(tmp_path / "r", "remarks")] == [
        ("1", "0001", "1", "", "PCN7001", "claim", "MIA", "", "MA01"),
        ("1", "0001", "1", "", "PCN7001", "claim", "MIA", "", "N362"),
        ("1", "0001", "2", "", "PCN7002", "claim", "MOA", "", "MA130"),
        ("1", "0001", "2", "", "PCN7002", "claim", "MOA", "", "N122"),
        ("1", "0001", "2", "1", "PCN7002", "service", "LQ", "HE", "N130"),
        ("1", "0001", "2", "1", "PCN7002", "service", "LQ", "HE", "M15"),
    ]
    assert list(_csv(tmp_path / "r", "remarks")[0]) == [
        "remittance", "set_control_number", "claim", "service", "patient_control_number", "level",
        "segment", "qualifier", "code",
    ]  # fmt: skip
    assert [
        (q["claim"], q["qualifier"], q["quantity"])
        for q in _csv(tmp_path / "r", "claim_quantities")
    ] == [("1", "CA", "3")]


def test_help_and_readme_name_every_csv_table() -> None:
    from edi.cli_remit import TABLES

    code, out, _ = run("--help")
    assert code == 0
    shown = " ".join(out.split())  # as wrapped
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert [t for t in TABLES if t not in shown] == []
    assert [t for t in TABLES if f"`{t}`" not in readme] == []


def _expected(columns: list[str], **cells: str) -> dict[str, str]:
    """A row of `columns`: `cells` as given, every other cell empty."""
    assert set(cells) <= set(columns), set(cells) - set(columns)
    return {column: cells.get(column, "") for column in columns}


def test_csv_bank_columns_hold_the_bpr_elements(tmp_path: Path) -> None:
    # ts3_ts2's BPR*I*5600*C*ACH*CTX*01*999999992*DA*123456789*1999999999**01*888888880*DA*987654321
    # *20240314, with BPR11 (empty there; AN 9/9) set to SUPP00001: BPR05 CTX, BPR06 01,
    # BPR07 999999992, BPR08 DA, BPR09 123456789, BPR10 1999999999, BPR11 SUPP00001, BPR12 01,
    # BPR13 888888880, BPR14 DA, BPR15 987654321.
    text = (FIXTURES / "ts3_ts2.x12").read_text()
    assert text.count("*1999999999**01*") == 1
    path = tmp_path / "bank.835"
    path.write_text(text.replace("*1999999999**01*", "*1999999999*SUPP00001*01*"))
    code, _, err = run(str(path), "--format", "csv", "-o", str(tmp_path / "t"))
    assert (code, err) == (0, "")
    (remit,) = _csv(tmp_path / "t", "remittances")
    bank = list(remit)[16:27]  # after the columns before (the last of them: trace_payer_id)
    assert list(remit)[15] == "trace_payer_id"
    assert {k: remit[k] for k in bank} == {
        "format": "CTX",
        "sender_dfi_qualifier": "01",
        "sender_dfi_id": "999999992",
        "sender_account_qualifier": "DA",
        "sender_account": "123456789",
        "payer_identifier": "1999999999",
        "originating_company_code": "SUPP00001",
        "receiver_dfi_qualifier": "01",
        "receiver_dfi_id": "888888880",
        "receiver_account_qualifier": "DA",
        "receiver_account": "987654321",
    }
    # BPR02 and BPR16 as before: the amount as read, the date as an ISO date.
    assert (remit["amount"], remit["payment_date"]) == ("5600", "2024-03-14")
    # A check (remarks: BPR*I*4210*C*CHK************20240312) has none of them: empty cells.
    run(str(FIXTURES / "remarks.x12"), "--format", "csv", "-o", str(tmp_path / "c"))
    (check,) = _csv(tmp_path / "c", "remittances")
    assert [check[k] for k in bank] == [""] * 11
    # Every BPR element Payment maps has a column (BPR16, the date, is payment_date).
    assert set(Payment.model_fields) - {"date"} <= set(remit)


def test_csv_header_numbers_and_adjudications(tmp_path: Path) -> None:
    """LX with its TS3 and TS2, a row per 2000 loop; MIA and MOA, a row per claim that has one."""
    out_dir = tmp_path / "t"
    code, out, err = run(str(FIXTURES / "ts3_ts2.x12"), "--format", "csv", "-o", str(out_dir))
    assert (code, err) == (0, "")
    # The new tables come after the others.
    assert out == (
        f"wrote {out_dir}/: remittances 1, claims 2, claim_amounts 0, claim_references 0, "
        "services 0, adjustments 2, provider_adjustments 0, claim_quantities 0, "
        "service_references 0, service_amounts 0, service_quantities 0, remarks 0, "
        "header_numbers 2, inpatient_adjudications 1, outpatient_adjudications 0, "
        "unread_claims 0, party_references 0, contacts 1, unread_sets 0\n"
    )
    headers = _csv(out_dir, "header_numbers")
    # Each field of TS3 and TS2 a column, named as in the models.
    columns = (
        "remittance,set_control_number,header_number,provider_id,facility_type,fiscal_period_date,"
        "claim_count,total_charge,msp_payer_amount,non_lab_charge,hcpcs_reported_charge,"
        "hcpcs_payable,professional_component,msp_patient_liability_met,patient_reimbursement,"
        "pip_claim_count,pip_adjustment,drg_amount,federal_specific_amount,hospital_specific_amount,"
        "disproportionate_share_amount,capital_amount,indirect_medical_education_amount,"
        "outlier_day_count,day_outlier_amount,cost_outlier_amount,average_drg_length_of_stay,"
        "discharge_count,cost_report_day_count,covered_day_count,noncovered_day_count,"
        "msp_pass_through_amount,average_drg_weight,pps_capital_fsp_drg_amount,"
        "pps_capital_hsp_drg_amount,pps_dsh_drg_amount"
    ).split(",")
    assert list(headers[0]) == columns
    assert {*ProviderSummary.model_fields, *SupplementalSummary.model_fields} <= set(columns)
    # LX*1, TS3*1234567893*11*20241231*1*6000********0 (TS313, the MSP payer amount, 0) and
    # TS2*4500*3500*1000; LX*2, TS3*1234567893*13*20241231*1*800 and no TS2.
    key = {"remittance": "1", "set_control_number": "0001"}
    ts3 = {"provider_id": "1234567893", "fiscal_period_date": "2024-12-31", "claim_count": "1"}
    assert headers == [
        _expected(
            columns, **key, header_number="1", **ts3, facility_type="11", total_charge="6000",
            msp_payer_amount="0", drg_amount="4500", federal_specific_amount="3500",
            hospital_specific_amount="1000",
        ),
        _expected(columns, **key, header_number="2", **ts3, facility_type="13", total_charge="800"),
    ]  # fmt: skip
    # The join key is LX01, as claims.header_number holds it.
    assert [(c["header_number"], c["patient_control_number"]) for c in _csv(out_dir, "claims")] == [
        ("1", "PCN9001"),
        ("2", "PCN9002"),
    ]
    # MIA*2***4500 on the first claim: MIA01 2, MIA04 4500.
    inpatient = _csv(out_dir, "inpatient_adjudications")
    claim_key = ["remittance", "set_control_number", "claim", "patient_control_number"]
    mia = claim_key + (
        "covered_days,pps_operating_outlier_amount,lifetime_psychiatric_days,drg_amount,remarks,"
        "disproportionate_share_amount,msp_pass_through_amount,pps_capital_amount,"
        "pps_capital_fsp_drg_amount,pps_capital_hsp_drg_amount,pps_capital_dsh_drg_amount,"
        "old_capital_amount,pps_capital_ime_amount,pps_operating_hospital_specific_drg_amount,"
        "cost_report_day_count,pps_operating_federal_specific_drg_amount,pps_capital_outlier_amount,"
        "indirect_teaching_amount,nonpayable_professional_component,pps_capital_exception_amount"
    ).split(",")
    assert list(inpatient[0]) == mia
    assert set(InpatientAdjudication.model_fields) <= set(mia)
    assert inpatient == [
        _expected(mia, **key, claim="1", patient_control_number="PCN9001", covered_days="2",
                  drg_amount="4500"),
    ]  # fmt: skip
    assert _csv(out_dir, "outpatient_adjudications") == []

    # remarks: MIA*3***4000*MA01***************N362 (MIA01 3, MIA04 4000, MIA05 MA01, MIA20 N362)
    # on the first claim, MOA***MA130*N122 (MOA03 MA130, MOA04 N122) on the second; LX*1 without
    # TS3 or TS2.
    out_dir = tmp_path / "r"
    run(str(FIXTURES / "remarks.x12"), "--format", "csv", "-o", str(out_dir))
    assert _csv(out_dir, "header_numbers") == [_expected(columns, **key, header_number="1")]
    assert _csv(out_dir, "inpatient_adjudications") == [
        _expected(mia, **key, claim="1", patient_control_number="PCN7001", covered_days="3",
                  drg_amount="4000", remarks="MA01 N362"),
    ]  # fmt: skip
    moa = claim_key + (
        "reimbursement_rate,hcpcs_payable_amount,remarks,esrd_payment_amount,"
        "nonpayable_professional_component"
    ).split(",")
    outpatient = _csv(out_dir, "outpatient_adjudications")
    assert list(outpatient[0]) == moa
    assert set(OutpatientAdjudication.model_fields) <= set(moa)
    assert outpatient == [
        _expected(moa, **key, claim="2", patient_control_number="PCN7002", remarks="MA130 N122"),
    ]


def test_a_problem_is_left_out_only_when_the_reader_said_it_of_the_same_segment(
    tmp_path: Path,
) -> None:
    """The reader says a CAS04 that is no number; a CAS04 of another CAS of the same line, a number
    of 18 digits (the map takes 15), is the check's alone: said, not taken for the one said."""
    # remarks: the second claim's line, its SVC on line 25 (segment 23), has CAS*PR*2*30 on line 27
    # (segment 25); CAS*OA*23*0 with the long quantity added after it (line 28, segment 26).
    text = (
        (FIXTURES / "remarks.x12")
        .read_text()
        .replace("CAS*PR*2*30~\n", "CAS*PR*2*30*X1~\nCAS*OA*23*0*123456789012345678~\n")
        .replace("SE*28*", "SE*29*")
    )
    path = tmp_path / "cas.835"
    path.write_text(text)
    code, _, err = run(str(path))
    assert (code, err.splitlines()) == (
        1,
        [
            f"{path}: segment 23 SVC (line 25, loop 2110): 835 0001 claim PCN7002 (#2) line 1: "
            "CAS04 has 18 digits; 005010X221A1 takes at most 15 there",
            f"{path}: segment 25 CAS (line 27, loop 2110 service payment, element CAS04): CAS04 "
            "(2 characters) is not a decimal number such as 125.50",
        ],
    )


def test_table_payee_id_without_its_qualifier_shows_no_none(tmp_path: Path) -> None:
    text = (FIXTURES / "partly_paid.x12").read_text()
    path = tmp_path / "no_n103.x12"
    path.write_text(
        text.replace("N1*PE*EXAMPLE CLINIC*XX*1234567893~", "N1*PE*EXAMPLE CLINIC**1234567893~")
    )
    _, out, _ = run(str(path))
    assert out.splitlines()[0] == "835 0001  EXAMPLE HEALTH PLAN -> EXAMPLE CLINIC (1234567893)"


def test_data_where_a_segment_id_or_qualifier_stands_is_not_quoted(tmp_path: Path) -> None:
    """A terminator inside a patient's name makes the rest of the name a "segment ID"; a name in
    N101 makes it a qualifier: messages quoted both (PHI). Cut to three characters, or left out."""
    text = (FIXTURES / "partly_paid.x12").read_text()
    names = tmp_path / "names.x12"
    names.write_text(
        text.replace("NM1*QC*1*TESTPATIENT*DELTA****MI", "NM1*QC*1*TESTPATIENT~DELTA JONES****MI")
    )
    code, _, err = run(str(names))
    assert code == 1
    assert "DELTA" not in err and "JONES" not in err
    lines = err.splitlines()
    assert (
        f"{names}: segment 40 'DEL…' (line 41, loop 2100 claim payment): 'DEL…' is not a"
        in (lines[0])
    )
    assert lines[1] == (  # the check's, placed at that segment too
        f"{names}: segment 40 'DEL…' (line 41, loop 2100): 835 0001 claim PCN2002 (#2): 'DEL…' is "
        "not used in loop 2100 of 005010X221A1"
    )
    payee = tmp_path / "payee.x12"
    payee.write_text(text.replace("N1*PE*EXAMPLE CLINIC", "N1*JOHN SMITH MD*EXAMPLE CLINIC"))
    code, _, err = run(str(payee))
    assert code == 1 and "SMITH" not in err
    assert f"{payee}: segment 11 N1 (line 13, loop 1000A payer): N1 is not expected here" in err


def test_a_claim_value_that_cannot_be_written_is_placed_at_its_claim(tmp_path: Path) -> None:
    """The check's problem of a value write_835 cannot write (a component separator in a name) was
    placed at the ST; a claim's problems are placed at its CLP, as the 837's are at the CLM."""
    path = tmp_path / "separator.x12"
    text = (FIXTURES / "partly_paid.x12").read_text()
    path.write_text(text.replace("NM1*QC*1*TESTPATIENT*DELTA", "NM1*QC*1*TEST:PATIENT*DELTA"))
    code, _, err = run(str(path))
    assert code == 1
    assert err.splitlines() == [
        f"{path}: segment 36 CLP (line 38, loop 2100): 835 0001 claim PCN2002 (#2): NM103 holds the "
        "component separator ':', so the element would read back as a composite; write with "
        "other delimiters or change the text"
    ]
    (remit,) = edi.read_remittances(path)
    (found,) = edi.RemittanceChecker().placed(remit)
    assert found.about is remit.claims[1]


def test_a_value_that_cannot_be_written_hides_no_other_problem(tmp_path: Path) -> None:
    """One value write_835 cannot write (a component separator in a name) left out every other
    problem of its set but the balancing: the user fixed it only to be shown the next ones."""
    path = tmp_path / "separator.x12"
    text = (FIXTURES / "partly_paid.x12").read_text()
    text = text.replace("NM1*QC*1*TESTPATIENT*DELTA", "NM1*QC*1*TEST:PATIENT*DELTA")
    path.write_text(text.replace("*50.00*12*ICN2001*", "*50.00*Q9*ICN2001*"))
    code, _, err = run(str(path))
    assert code == 1
    assert [line.split(": 835 0001 ")[1].split(":")[0] for line in err.splitlines()] == [
        "claim PCN2001 (#1)",  # CLP06 'Q9', at segment 16
        "claim PCN2002 (#2)",  # NM103, at segment 36
    ]
    (remit,) = edi.read_remittances(path)
    assert len(edi.check_remittances([remit])) == 2


def test_a_party_value_that_cannot_be_written_is_placed_at_its_loop(tmp_path: Path) -> None:
    """A payer or payee value write_835 cannot write was said of the set, at its ST; the other
    problems of those loops are said at their N1, named after the party."""
    path = tmp_path / "payee.x12"
    text = (FIXTURES / "partly_paid.x12").read_text()
    path.write_text(text.replace("N1*PE*EXAMPLE CLINIC", "N1*PE*EXAMPLE^CLINIC"))
    code, _, err = run(str(path))
    assert code == 1
    assert err.splitlines() == [
        f"{path}: segment 11 N1 (line 13, loop 1000B): 835 0001 payee (1000B): N102 holds the "
        "repetition separator '^', so the value would be read as repeated values; write with "
        "other delimiters or change the text"
    ]


def test_a_line_value_that_cannot_be_written_is_placed_at_its_svc(tmp_path: Path) -> None:
    path = tmp_path / "line.x12"
    text = (FIXTURES / "partly_paid.x12").read_text()
    path.write_text(text.replace("REF*6R*LINE2002~", "REF*6R*LINE^2002~"))
    code, _, err = run(str(path))
    assert code == 1
    assert err.splitlines() == [
        f"{path}: segment 30 SVC (line 32, loop 2110): 835 0001 claim PCN2001 (#1) line 2: REF02 "
        "holds the repetition separator '^', so the value would be read as repeated values; "
        "write with other delimiters or change the text"
    ]


KEPT_SEGMENTS = [  # segment n of the set is on line n + 2
    "BPR*C*90*C*CHK************20240308",
    "TRN*1*TQ*1512345678",
    "N1*PR*EXAMPLE HEALTH PLAN",
    "N3*100 MAIN ST",
    "N4*SPRINGFIELD*IL*62701",
    "PER*BL*EDI SUPPORT*TE*8005550100",
    "N1*PE*EXAMPLE CLINIC*XX*1234567893",
    "LX*1",
    "XYZ*1*2",  # segment 10: no segment of an 835, kept as read in the 2000 loop
    "CLP*PCN1*1*100*90**Q9*ICN1*11*1",  # segment 11: CLP06 Q9 is no filing indicator code
    "NM1*QC*1*TESTPATIENT*JULIET",
    "DTM*472*20240201",  # segment 13: a qualifier loop 2100 does not list, kept as read
    "SVC*HC:99213*100*90",
    "CAS*CO*45*10",
]


def test_problems_of_a_set_are_in_file_order_at_the_segment_kept_and_said_once(
    tmp_path: Path,
) -> None:
    """The reader's problems of a set were printed before the check's (the SE01 count before the
    CLP06 of the claim), the check's of a segment kept as read (`DTM*472 is not used ...`) at its
    loop's first segment, and the reader's warning of that segment said it again. Now one line a
    problem, at the segment kept, the reader's and the check's in the order of the file."""
    path = tmp_path / "kept.835"
    text = interchange(body=KEPT_SEGMENTS).replace("SE*16*0001", "SE*99*0001")
    path.write_text(text)
    code, _, err = run(str(path))
    claim = "835 0001 claim PCN1 (#1)"
    assert (code, err.splitlines()) == (
        1,
        [
            f"{path}: segment 10 XYZ (line 12, loop 2000): 835 0001 header #1 (2000): XYZ is not "
            "used in loop 2000 of 005010X221A1",
            f"{path}: segment 11 CLP (line 13, loop 2100): {claim}: CLP06 'Q9' is not a claim "
            "filing indicator code of 005010X221A1 (12, 13, 14, 15, 16, 17, AM, CH, DS, HM, LM, "
            "MA, MB, MC, OF, TV, VA, WC, ZZ)",
            f"{path}: segment 13 DTM (line 15, loop 2100): {claim}: DTM*472 is not used in loop "
            "2100 of 005010X221A1 (its DTM01 takes 232, 233, 036, 050)",
            f"{path}: segment 16 SE (line 18, element SE01): SE01 says '99' segments but the set "
            "has 16 (ST to SE inclusive)",
        ],
    )
    # The library keeps every problem: the reader's two of those segments, the check's placed.
    reader = edi.read_remittances(path)
    (remit,) = reader
    read = {(d.location.segment_index, d.code) for d in reader.diagnostics if d.location}
    assert {(10, "structure.unexpected_segment"), (13, "mapping.unplaced")} <= read
    kept = [f for f in edi.RemittanceChecker().placed(remit) if f.read_at is not None]
    assert [(f.read_at.segment_index, f.read_at.line, f.unused) for f in kept] == [
        (10, 12, True),
        (13, 15, True),
    ]


def test_csv_never_replaces_its_own_input(tmp_path: Path) -> None:
    """An input named as a table of the folder would be replaced by it: exit 2, nothing written
    (README: an output that is one of the command's inputs)."""
    source = tmp_path / "remittances.csv"
    text = (FIXTURES / "partly_paid.x12").read_bytes()
    source.write_bytes(text)
    code, out, err = run(str(source), "--format", "csv", "--out", str(tmp_path))
    assert code == 2 and out == ""
    assert err == (
        f"edi remit: the output {tmp_path / 'remittances.csv'} is the input {source}: writing it "
        "would destroy the input; give another output file\n"
    )
    assert source.read_bytes() == text and sorted(tmp_path.iterdir()) == [source]


@pytest.mark.parametrize(
    ("after", "extra", "line"),
    [
        # Kept as read (no place in the model): the check's finding is placed there too.
        ("TRN*1*EFT2001*1999999999~\n", "TRN*1*EFT2002*1999999999~\n", 6),
        # Read into the model (a line holds every CAS): the reader leaves it to the check, whose
        # finding is placed at the line's first segment (its SVC), as every finding of a model.
        ("CAS*PR*1*20.00~\n", "CAS*PR*1*0~\n" * 98, 32),
    ],
)
def test_a_segment_past_its_max_use_is_one_line(
    tmp_path: Path, after: str, extra: str, line: int
) -> None:
    """A segment past its max use (IK304 5) is said once: by the reader at the first one past it
    when the model has no place for it, and by the check as well, not a second time at the same
    segment or at the loop's first."""
    text = (FIXTURES / "partly_paid.x12").read_text()
    added = extra.count("~")
    path = tmp_path / "over.835"
    path.write_text(text.replace(after, after + extra, 1).replace("SE*41*", f"SE*{41 + added}*"))
    _, _, err = run(str(path))
    said = [e for e in err.splitlines() if "segments in loop" in e]
    assert len(said) == 1
    assert f"(line {line}, loop " in said[0]


def test_csv_names_ids_and_contacts_a_poster_needs(tmp_path: Path) -> None:
    """The payer's id given in REF*2U alone (x12-notes §7.2: N104 or REF*2U), the payee's TIN (REF*TJ),
    the payer's and a claim's contacts (PER), the insured (NM1*IL), the corrected patient (NM1*74:
    the payer's correction of the name or member id) and the other subscriber (NM1*GB): each in a
    table, from the segments added by hand to secondary_crossover.x12."""
    text = (
        (FIXTURES / "secondary_crossover.x12")
        .read_text()
        .replace("PER*BL*", "REF*2U*PAYER77~\nPER*BL*", 1)
        .replace(
            "N1*PE*EXAMPLE CLINIC*XX*1234567893~\n",
            "N1*PE*EXAMPLE CLINIC*XX*1234567893~\nREF*TJ*999887777~\n",
        )
        .replace(
            "NM1*QC*1*TESTPATIENT*HOTEL****MI*MBR6001~\n",
            "NM1*QC*1*TESTPATIENT*HOTEL****MI*MBR6001~\nNM1*74*1*TESTPATIENT*HOTELL****C*MBR6001X~\n"
            "NM1*GB*1*OTHERSUB*KILO****MI*OS6001~\n",
        )
        .replace("DTM*232*20240215~\n", "DTM*232*20240215~\nPER*CX*CLAIMS DESK*TE*8005550199~\n")
        .replace("SE*22*", "SE*27*")
    )
    path = tmp_path / "r.835"
    path.write_text(text)
    code, out, err = run(str(path), "--format", "csv", "--out", str(tmp_path / "csv"))
    assert (code, err) == (0, "")
    assert "party_references 2, contacts 2" in out
    folder = tmp_path / "csv"
    assert [(r["party"], r["qualifier"], r["value"]) for r in _csv(folder, "party_references")] == [
        ("payer", "2U", "PAYER77"),
        ("payee", "TJ", "999887777"),
    ]
    assert [
        (
            c["level"],
            c["claim"],
            c["patient_control_number"],
            c["function"],
            c["name"],
            c["number_1"],
        )
        for c in _csv(folder, "contacts")
    ] == [
        ("payer", "", "", "BL", "EDI SUPPORT", "8005550100"),
        ("claim", "2", "PCN6002", "CX", "CLAIMS DESK", "8005550199"),
    ]
    names = [
        {k: c[k] for k in ("insured_name", "corrected_name", "corrected_id")}
        | {k: c[k] for k in ("other_subscriber_name", "other_subscriber_id")}
        for c in _csv(folder, "claims")
    ]
    assert names == [
        {
            "insured_name": "",
            "corrected_name": "TESTPATIENT, HOTELL",
            "corrected_id": "MBR6001X",
            "other_subscriber_name": "OTHERSUB, KILO",
            "other_subscriber_id": "OS6001",
        },
        {
            "insured_name": "TESTSUBSCRIBER, JULIET",
            "corrected_name": "",
            "corrected_id": "",
            "other_subscriber_name": "",
            "other_subscriber_id": "",
        },
    ]


def test_csv_remittances_carry_the_currency_and_the_envelope_numbers(tmp_path: Path) -> None:
    """CUR02 (a payment in another currency than dollars), TRN04, REF*EV and REF*F2 were in the JSON
    and not in the CSV; nor were ISA13 and GS06, which tell apart sets of one ST02 (payers number
    every set 0001) and which a 999 answers with (the data engineer tester)."""
    text = (FIXTURES / "partly_paid.x12").read_text()
    text = text.replace("REF*EV*EXAMPLECLINIC~", "CUR*PR*CAD~\nREF*EV*EXAMPLECLINIC~\nREF*F2*V1~")
    text = text.replace("TRN*1*EFT2001*1999999999~", "TRN*1*EFT2001*1999999999*SUPP9~")
    text = text.replace("SE*41*0001", "SE*43*0001")
    source = tmp_path / "cad.x12"
    source.write_text(text)
    run(str(source), "--format", "csv", "-o", str(tmp_path / "a"))
    (remit,) = _csv(tmp_path / "a", "remittances")
    assert [
        remit[k]
        for k in (
            "currency",
            "trace_originating_company_code",
            "receiver_id",
            "version_id",
            "interchange_control_number",
            "group_control_number",
        )
    ] == ["CAD", "SUPP9", "EXAMPLECLINIC", "V1", "000000102", "102"]
    # The header's last columns, in this order (added after the bank fields).
    header = (tmp_path / "a" / "remittances.csv").read_text().splitlines()[0]
    assert header.endswith(
        ",receiver_account,currency,trace_originating_company_code,receiver_id,version_id,"
        "interchange_control_number,group_control_number,balance"
    )
    # Two groups of one interchange: each set has its group's GS06.
    run(str(FIXTURES / "multiple_sets.x12"), "--format", "csv", "-o", str(tmp_path / "b"))
    assert [
        (r["set_control_number"], r["interchange_control_number"], r["group_control_number"])
        for r in _csv(tmp_path / "b", "remittances")
    ] == [("0001", "000000108", "801"), ("0002", "000000108", "801"), ("0003", "000000108", "802")]


def test_csv_lists_the_sets_not_read(tmp_path: Path) -> None:
    """A set that does not become a remittance left no trace in the tables (the remittances are
    numbered without it): the data engineer tester. `unread_sets` names it by its control
    numbers, with why."""
    text = (FIXTURES / "multiple_sets.x12").read_text()
    assert text.count("BPR*I*") == 3
    second = text.index("ST*835*0002")
    bpr = text.index("BPR*I*", second)
    amount_end = text.index("*", bpr + 6)
    text = text[: bpr + 6] + "7X5" + text[amount_end:]  # set 0002's BPR02 is no number
    source = tmp_path / "bad.x12"
    source.write_text(text)
    code, _, err = run(str(source), "--format", "csv", "-o", str(tmp_path / "a"))
    assert code == 1 and "'0002' is not read into a model" in err
    # The table shows it where it is in the file, between 0001 and 0003 (it came after both: the
    # batch tester).
    _, out, _ = run(str(source))
    assert [line.split("  ")[0] for line in out.splitlines() if line.startswith("835 ")] == [
        "835 0001",
        "835 0002",
        "835 0003",
    ]
    assert "835 0002  not read (line" in out
    assert [r["set_control_number"] for r in _csv(tmp_path / "a", "remittances")] == [
        "0001",
        "0003",
    ]
    line = text[:second].count("\n") + 1
    assert _csv(tmp_path / "a", "unread_sets") == [
        {
            "set_control_number": "0002",
            "interchange_control_number": "000000108",
            "group_control_number": "801",
            "line": str(line),
            "reason": "required data is missing or invalid: BPR02 is '7X5', not a decimal number "
            "such as 125.50",
            "payment_amount": "7X5",
            "credit_debit": "C",
            "payment_date": "20240313",
            "trace_number": "CHK8002",
            "payer_id": "1999999999",
            "payment_method": "CHK",  # BPR04: a check and an ACH deposit differ (the posting tester)
        }
    ]
    # Cut short by the end of the input: not read (half a remittance is not posted), and listed.
    third = text.index("ST*835*0003")
    (tmp_path / "cut.x12").write_text(text[: text.index("CLP*", third)])
    run(str(tmp_path / "cut.x12"), "--format", "csv", "-o", str(tmp_path / "b"))
    assert [
        (r["set_control_number"], r["group_control_number"], r["reason"])
        for r in _csv(tmp_path / "b", "unread_sets")
    ] == [
        (
            "0002",
            "801",
            "required data is missing or invalid: BPR02 is '7X5', not a decimal number such as "
            "125.50",
        ),
        (
            "0003",
            "802",
            "transaction set '0003' ends with the input, before its SE: it is not read",
        ),
    ]
    # Every set read: the table has its header alone.
    run(str(FIXTURES / "multiple_sets.x12"), "--format", "csv", "-o", str(tmp_path / "c"))
    assert _csv(tmp_path / "c", "unread_sets") == []


def test_csv_adjustments_alike_are_two_rows_by_their_place(tmp_path: Path) -> None:
    """Two triplets alike in one CAS, or two PLB pairs alike, made rows alike: a load keyed on
    their columns, `DISTINCT` or `UNION` took them for one and lost the amount (the posting
    accountant tester). `adjustment` numbers each among its claim's or line's (the set's, for
    PLB), from 1."""
    text = (FIXTURES / "partly_paid.x12").read_text()
    assert text.count("CAS*CO*45*50.00~") == 1
    source = tmp_path / "alike.x12"
    source.write_text(text.replace("CAS*CO*45*50.00~", "CAS*CO*45*25.00**45*25.00~"))
    code, _, err = run(str(source), "--format", "csv", "-o", str(tmp_path / "t"))
    assert (code, err) == (0, "")
    rows = [
        r for r in _csv(tmp_path / "t", "adjustments") if (r["claim"], r["service"]) == ("1", "1")
    ]
    line = [(r["reason"], r["amount"], r["segment"], r["adjustment"]) for r in rows]
    assert line == [("45", "25.00", "1", "1"), ("45", "25.00", "1", "2"), ("2", "30.00", "2", "3")]
    fixture = FIXTURES / "plb_interest_recoupment.x12"
    run(str(fixture), "--format", "csv", "-o", str(tmp_path / "p"))
    plb = _csv(tmp_path / "p", "provider_adjustments")
    assert [(r["reason"], r["segment"], r["adjustment"]) for r in plb] == [
        ("L6", "1", "1"),
        ("WO", "2", "2"),
        ("FB", "2", "3"),
    ]


def test_csv_spreadsheet_safe_keeps_text_from_running_as_a_formula(tmp_path: Path) -> None:
    """OWASP's CSV injection (CWE-1236): a payer's text that starts with `=`, `+`, `-` or `@` is a
    formula to a spreadsheet (the robustness tester: `=1+2` as a claim id, `+CMD` as a name).
    `--spreadsheet-safe` puts an apostrophe before such text, never before an amount; without it
    the values stay as read."""
    text = (FIXTURES / "partly_paid.x12").read_text()
    assert text.count("CLP*PCN2001*") == 1 and text.count("TESTPATIENT*BRAVO") == 1
    source = tmp_path / "formula.x12"
    source.write_text(
        text.replace("CLP*PCN2001*", "CLP*=1+2*").replace("TESTPATIENT*BRAVO", "@X*BRAVO")
    )
    run(str(source), "--format", "csv", "-o", str(tmp_path / "raw"))
    code, _, err = run(
        str(source), "--format", "csv", "--spreadsheet-safe", "-o", str(tmp_path / "s")
    )
    assert (code, err) == (0, "")
    raw, safe = _csv(tmp_path / "raw", "claims"), _csv(tmp_path / "s", "claims")
    assert [(r["patient_control_number"], r["patient_name"]) for r in raw][0] == (
        "=1+2",
        "@X, BRAVO Q",
    )
    assert [(r["patient_control_number"], r["patient_name"]) for r in safe][0] == (
        "'=1+2",
        "'@X, BRAVO Q",
    )
    assert [r["paid"] for r in safe] == [r["paid"] for r in raw]  # amounts as they are
    adjustments = _csv(tmp_path / "s", "adjustments")
    assert {r["patient_control_number"] for r in adjustments} == {"'=1+2", "PCN2002"}
    code, _, err = run(str(source), "--spreadsheet-safe")
    assert (code, err) == (
        2,
        "edi remit: --spreadsheet-safe is for --format csv, not --format table\n",
    )


def test_csv_spreadsheet_safe_covers_the_remark_codes_of_an_adjudication(tmp_path: Path) -> None:
    """MIA and MOA remark codes are not checked against a list, so a payer's `=SUM(9)` there reaches
    the adjudication tables: protected there too, not only in claims and remarks (the denial
    tester)."""
    text = (FIXTURES / "partly_paid.x12").read_text()
    assert text.count("REF*EA*MRN2001~\n") == 1 and text.count("SE*41*0001~") == 1
    source = tmp_path / "moa.x12"
    source.write_text(
        text.replace("REF*EA*MRN2001~\n", "MOA***=SUM(9)*M127~\nREF*EA*MRN2001~\n").replace(
            "SE*41*0001~", "SE*42*0001~"
        )
    )
    code, _, err = run(
        str(source), "--format", "csv", "--spreadsheet-safe", "-o", str(tmp_path / "s")
    )
    assert (code, err) == (0, "")
    (row,) = _csv(tmp_path / "s", "outpatient_adjudications")
    assert row["remarks"] == "'=SUM(9) M127"
    assert _csv(tmp_path / "s", "claims")[0]["remarks"] == "'=SUM(9) M127"
    run(str(source), "--format", "csv", "-o", str(tmp_path / "raw"))
    assert _csv(tmp_path / "raw", "outpatient_adjudications")[0]["remarks"] == "=SUM(9) M127"


def test_csv_never_writes_through_a_link_planted_in_its_folder(tmp_path: Path) -> None:
    """A table is written into a new file of a name no one can guess, never into one found in the
    folder: a symbolic link planted as `.claims.csv.part` in a shared folder had been followed,
    overwriting the file it pointed to with the claims table (CWE-59, the hostile tester)."""
    folder = tmp_path / "out"
    folder.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("VICTIM DATA\n")
    (folder / ".claims.csv.part").symlink_to(victim)
    code, _, err = run(str(FIXTURES / "partly_paid.x12"), "--format", "csv", "--out", str(folder))
    assert (code, err) == (0, "")
    assert victim.read_text() == "VICTIM DATA\n"
    assert not (folder / "claims.csv").is_symlink()
    assert [r["patient_control_number"] for r in _csv(folder, "claims")] == ["PCN2001", "PCN2002"]
    # Only the tables and the planted link: no part file is left behind.
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == [
        ".claims.csv.part"
    ]


def test_an_835_whose_only_set_is_not_read_still_reports_its_payment(tmp_path: Path) -> None:
    """A file of one 835 set that cannot be read (a PLB amount `12O` costs the set) has a deposit
    with no posting: its unread_sets row was written only beside a set that could be read, and the
    table showed nothing of it (the posting and batch testers)."""
    text = (FIXTURES / "paid_in_full.x12").read_text()
    source = tmp_path / "unread.835"
    source.write_text(
        text.replace("SE*18*0001~", "PLB*1234567893*20241231*L6:PCN1001*12O~\nSE*19*0001~")
    )
    folder = tmp_path / "posting"
    code, out, err = run(str(source), "--format", "csv", "--out", str(folder))
    assert code == 1 and "12O" in err
    assert out.startswith(f"wrote {folder}/: remittances 0, claims 0,") and "unread_sets 1" in out
    with (folder / "unread_sets.csv").open(newline="") as f:
        (row,) = csv.DictReader(f)
    assert (row["payment_amount"], row["payment_date"], row["trace_number"], row["line"]) == (
        "100",
        "20240301",
        "CHK1001",
        "3",
    )
    with (folder / "claims.csv").open(newline="") as f:
        assert list(csv.DictReader(f)) == []
    code, out, _ = run(str(source))
    assert code == 1
    assert out == (
        "835 0001  not read (line 3): nothing posted\n"
        "payment 100.00 credit by check on 2024-03-01, trace CHK1001\n"
        "no 835 remittance could be read\n"
    )
    # A BPR02 that is no amount is not shown as one (nor an unknown BPR03 or BPR16 as a code or date).
    source.write_text(source.read_text().replace("BPR*I*100*C*", "BPR*I*1O0*Z*"))
    code, out, _ = run(str(source))
    assert code == 1
    assert (
        out.splitlines()[1]
        == "no payment amount read (BPR02) by check on 2024-03-01, trace CHK1001"
    )


def test_csv_tables_keep_no_permissions_of_a_link_planted_for_them(tmp_path: Path) -> None:
    """A table planted as a link to /dev/null (0666) gave the new table 0666: a file readable and
    writable by anyone, holding PHI (the second hostile tester). A table takes the permissions of
    the user's own regular file it replaces, else those of a new file."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "services.csv").symlink_to("/dev/null")
    (folder / "claims.csv").write_text("old\n")
    os.chmod(folder / "claims.csv", 0o640)
    umask = os.umask(0o077)
    try:
        code, _, err = run(str(FIXTURES / "partly_paid.x12"), "--format", "csv", "-o", str(folder))
    finally:
        os.umask(umask)
    assert (code, err) == (0, "")
    modes = {p.name: stat.S_IMODE(p.lstat().st_mode) for p in folder.iterdir()}
    assert modes["services.csv"] == 0o600 and not (folder / "services.csv").is_symlink()
    assert modes["claims.csv"] == 0o640  # the user's own table: its permissions kept
    assert modes["remittances.csv"] == 0o600


def test_csv_tables_are_replaced_all_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table that cannot be put in place after others were (an immutable file, another user's in
    a sticky folder: EPERM) had left new remittances beside old claims (the second hostile tester).
    The tables it replaces are moved aside first and back on a failure; nothing of the run is
    left behind."""
    folder = tmp_path / "out"
    code, _, _ = run(str(FIXTURES / "partly_paid.x12"), "--format", "csv", "--out", str(folder))
    before = {p.name: p.read_text() for p in folder.iterdir()}
    real = os.replace

    def refuse_claims(src: str, dst: str, **kw: object) -> None:
        if dst == "claims.csv" and kw.get("src_dir_fd") != kw.get("dst_dir_fd"):
            if not str(src).startswith("old."):
                raise PermissionError(1, "Operation not permitted")
        real(src, dst, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr("edi.cli_files.os.replace", refuse_claims)
    code, out, err = run(str(FIXTURES / "denied.x12"), "--format", "csv", "--out", str(folder))
    assert (code, out) == (2, "")
    assert err == f"{folder / 'claims.csv'}: cannot write: Operation not permitted\n"
    assert {p.name: p.read_text() for p in folder.iterdir()} == before


def test_csv_folder_locked_by_another_process_is_said_after_a_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anyone who can read the folder can lock it: a run waits for another edi writing its tables
    there, but not forever, nor without a word (the second hostile tester)."""
    fcntl = pytest.importorskip("fcntl")
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr("edi.cli_files.LOCK_WAIT_SECONDS", 0.3)
    held = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        code, out, err = run(
            str(FIXTURES / "partly_paid.x12"), "--format", "csv", "-o", str(folder)
        )
    finally:
        os.close(held)
    assert (code, out) == (2, "")
    assert err == (
        f"{folder}: cannot write: the folder is locked by another process (another edi writing "
        "its tables there?) for 0.3 s\n"
    )
    assert list(folder.iterdir()) == []  # nothing of the run left


def test_csv_tables_not_written_leave_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk: the tables of the last good run stay, and the files of this run are removed. A
    close failing again (the disk still full) had skipped the removal, leaving 19 hidden files of
    PHI per run (the second hostile tester)."""
    from edi.cli_files import ReplacedTogether

    folder = tmp_path / "out"
    run(str(FIXTURES / "partly_paid.x12"), "--format", "csv", "--out", str(folder))
    before = {p.name: p.read_text() for p in folder.iterdir()}
    real_open = ReplacedTogether.open

    def full_disk(self: ReplacedTogether, name: str) -> IO[str]:
        fh = real_open(self, name)
        close = fh.close

        def failing() -> None:  # every close, as on a disk that stays full
            close()
            raise OSError(28, "No space left on device")

        fh.close = failing  # type: ignore[method-assign]
        return fh

    monkeypatch.setattr(ReplacedTogether, "open", full_disk)
    code, out, err = run(str(FIXTURES / "denied.x12"), "--format", "csv", "--out", str(folder))
    assert (code, out) == (2, "")
    assert err == f"{folder / 'remittances.csv'}: cannot write: No space left on device\n"
    assert {p.name: p.read_text() for p in folder.iterdir()} == before


@pytest.mark.parametrize("stopped_at", [3, 21])  # moving the old tables aside; putting the new in
def test_csv_tables_stopped_while_put_in_place_are_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stopped_at: int
) -> None:
    """Ctrl-C or SIGTERM (the CLI's SystemExit) between the renames of the tables: the rollback was
    for an OSError alone, and the old tables moved aside were removed with the private folder
    (the review). Now the folder is as it was."""
    folder = tmp_path / "out"
    run(str(FIXTURES / "partly_paid.x12"), "--format", "csv", "--out", str(folder))
    before = {p.name: p.read_text() for p in folder.iterdir()}
    real = os.replace
    calls = [0]

    def interrupted(src: str, dst: str, **kw: object) -> None:
        calls[0] += 1
        if calls[0] == stopped_at:
            raise KeyboardInterrupt
        real(src, dst, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr("edi.cli_files.os.replace", interrupted)
    code, _, _ = run(str(FIXTURES / "denied.x12"), "--format", "csv", "--out", str(folder))
    assert code == 130 and calls[0] >= stopped_at
    assert {p.name: p.read_text() for p in folder.iterdir()} == before


def test_a_tables_text_cannot_drive_the_terminal(tmp_path: Path) -> None:
    """An escape sequence in a payer's name (`ESC[2J` clears the screen, `ESC]0;...BEL` sets the
    window title) or a claim id went to the terminal as read (the 835 fuzz tester): the table,
    `edi segments` and the problems show control characters escaped, and the columns line up."""
    text = (FIXTURES / "partly_paid.x12").read_text()
    text = text.replace("N1*PR*EXAMPLE HEALTH PLAN", "N1*PR*EXAMPLE\x1b[2J\x1b]0;x\x07 PLAN")
    text = text.replace("CLP*PCN2001*", "CLP*PCN\x1b[31m\x9b2001*")
    path = tmp_path / "escapes.x12"
    path.write_text(text)
    code, out, err = run(str(path))
    assert "\x1b" not in out + err and "\x07" not in out + err and "\x9b" not in out + err
    lines = out.splitlines()
    assert lines[0].startswith("835 0001  EXAMPLE\\x1b[2J\\x1b]0;x\\x07 PLAN -> ")
    rows = [line for line in lines if line.startswith("PCN")]
    assert rows[0].startswith("PCN\\x1b[31m\\x9b2001  1 processed")
    # The columns line up with the text shown (its width counted escaped).
    assert rows[0].index("250.00") + 1 == rows[1].index("90.00")
    result = CliRunner().invoke(main, ["segments", str(path)])
    assert (
        "\x1b" not in result.stdout and "N1*PR*EXAMPLE\\x1b[2J\\x1b]0;x\\x07 PLAN" in result.stdout
    )
