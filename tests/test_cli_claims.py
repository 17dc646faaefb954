"""`edi claims`, `edi build`, `edi schema claim`: presentation over the public API, exit codes, errors."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import edi
from edi.cli import main
from edi.transactions.claim_checks import check_claim, claim_part

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# The columns, with the type (CLM05-01/CLM05-03) after the kind.
TABLE_HEADER = ["id", "kind", "type", "patient", "payer", "charge", "lines", "diagnoses"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_claims_table() -> None:
    code, out, err = run("claims", str(FIXTURES / "837p/dependent.x12"))
    assert (code, err) == (0, "")
    header, *rows = out.splitlines()
    assert header.split() == TABLE_HEADER
    assert [row.split("  ")[0].strip() for row in rows] == ["PCN2001", "PCN2002", "PCN2003"]
    assert "TESTSUBSCRIBER, CHARLIE" in rows[1]  # the patient, not the subscriber
    assert rows[1].rstrip().endswith("J029 R5081")


def test_claims_csv() -> None:
    code, out, _ = run("claims", str(FIXTURES / "837i/inpatient.x12"), "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    # The columns first, as they were; those added since at the end (README).
    assert rows[0] == [
        *("id", "kind", "patient", "payer", "charge", "lines", "diagnoses"),
        *("facility_code", "frequency_code", "submission_reason"),
    ]
    assert rows[1] == [
        "PCN8001",
        "institutional",
        "TESTPATIENT, KILO",
        "EXAMPLE HEALTH PLAN",
        "5000",
        "3",
        "I214 I10 E785 R079",  # principal, other, admitting (`Claim.diagnoses`)
        "11",
        "1",
        "",
    ]


# Read by hand off each fixture's CLM: CLM05 (facility code : qualifier : frequency) and CLM19.
@pytest.mark.parametrize(
    ("case", "types", "columns"),
    [
        # 11:B:7 and 11:B:8: place of service 11, a replacement and a void.
        (
            "837p/replacement_void",
            {"PCN6001": "11/7", "PCN6002": "11/8"},
            {"PCN6001": ["11", "7", ""], "PCN6002": ["11", "8", ""]},
        ),
        # 13:A:7 and 11:A:8: the types of bill 137 and 118.
        (
            "837i/replacement_void",
            {"PCN9101": "13/7", "PCN9102": "11/8"},
            {"PCN9101": ["13", "7", ""], "PCN9102": ["11", "8", ""]},
        ),
        (
            "837i/inpatient",
            {"PCN8001": "11/1", "PCN8002": "13/1"},
            {"PCN8001": ["11", "1", ""], "PCN8002": ["13", "1", ""]},
        ),
        # 11:B:1 and CLM19 PB: a predetermination of benefits.
        ("837d/predetermination", {"PCND003": "11/1 PB"}, {"PCND003": ["11", "1", "PB"]}),
    ],
)
def test_claims_show_the_claim_type_and_frequency(
    case: str, types: dict[str, str], columns: dict[str, list[str]]
) -> None:
    """A biller scanning for replacements and voids (CLM05-03 7, 8) sees them: in the table's type
    cell (CLM05-01/CLM05-03, CLM19 PB), in the CSV's columns of their own."""
    code, out, err = run("claims", str(FIXTURES / f"{case}.x12"))
    assert (code, err) == (0, "")
    header, *rows = out.splitlines()
    at = header.index("type")
    assert header[at:].startswith("type     patient")  # one width for every type
    assert {row.split()[0]: row[at : at + 7].rstrip() for row in rows} == types
    code, out, _ = run("claims", str(FIXTURES / f"{case}.x12"), "--format", "csv")
    assert code == 0
    assert {row[0]: row[-3:] for row in list(csv.reader(io.StringIO(out)))[1:]} == columns


def test_claims_type_says_a_code_not_given(tmp_path: Path) -> None:
    source = tmp_path / "no_frequency.837"
    source.write_text(
        (FIXTURES / "837i/replacement_void.x12").read_text().replace("*13:A:7*", "*13:A*")
    )
    code, out, err = run("claims", str(source))
    assert code == 1 and "no claim frequency code (frequency_code, CLM05-03" in err
    header, row, _ = out.splitlines()
    assert row[header.index("type") :].startswith("13/-     TESTPATIENT, WHISKEY")


def test_claims_json_is_what_build_reads(tmp_path: Path) -> None:
    fixture = FIXTURES / "837p/cob_secondary.x12"
    code, out, _ = run("claims", str(fixture), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [c["patient_control_number"] for c in data] == ["PCN2001", "PCN2002"]
    assert data[0]["prior_payers"][0]["paid"] == "120"  # money as text, never float
    claims_json = tmp_path / "claims.json"
    claims_json.write_text(out)
    code, out, err = run("build", str(claims_json), "-o", str(tmp_path / "out.837"))
    assert (code, err) == (0, "")
    assert out == f"wrote {tmp_path / 'out.837'}: 2 claim(s)\n"
    # The claims carry their envelope: the file comes back as it was.
    assert (tmp_path / "out.837").read_text() == fixture.read_text()


def test_an_element_left_empty_stays_empty_through_the_claims_json(tmp_path: Path) -> None:
    """NM102 of the billing provider and CLM05-02 left empty: read as None, they were left out of
    the JSON (fields at their defaults), and loading it filled them (2, B), so the claim loaded
    was not the claim read and `edi build` wrote another file. They are null in the JSON now, and
    a null stays empty; a field left out is still filled, as for claims JSON written by hand."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    for old, new in (("NM1*85*2*", "NM1*85**"), ("*11:B:1*Y*A*Y*Y~", "*11::1*Y*A*Y*Y~")):
        assert old in text
        text = text.replace(old, new)
    read = list(edi.read_claims(text))
    assert [c.facility_code_qualifier for c in read] == [None, None]
    assert read[0].billing_provider.entity_type is None
    source = tmp_path / "sloppy.x12"
    source.write_text(text)
    code, out, _ = run("claims", str(source), "--format", "json")
    data = json.loads(out)
    assert data[0]["billing_provider"]["entity_type"] is None
    assert data[0]["facility_code_qualifier"] is None
    assert data[0]["payer"]["entity_type"] == "2"  # given in the file
    assert "currency" not in data[0]["billing_provider"]  # None, and never filled: left out
    assert edi.load_claims(data) == read
    claims_json = tmp_path / "claims.json"
    claims_json.write_text(out)
    code, _, _ = run("build", str(claims_json), "-o", str(tmp_path / "out.837"), "--no-check")
    assert code == 0 and (tmp_path / "out.837").read_text() == text
    del data[0]["billing_provider"]["entity_type"], data[0]["facility_code_qualifier"]
    (loaded, _) = edi.load_claims(data)
    assert (loaded.billing_provider.entity_type, loaded.facility_code_qualifier) == ("2", "B")
    # Made in code, a field given None is filled, as before.
    assert edi.Tooth(number="8", qualifier=None).qualifier == "JP"


def test_claims_reports_problems_and_exits_1() -> None:
    broken = Path(__file__).resolve().parents[2] / "shared" / "samples" / "broken_837p.x12"
    if not broken.is_file():  # pragma: no cover - the shared samples are part of the workspace
        pytest.skip("../shared/samples is absent")
    code, out, err = run("claims", str(broken))
    assert code == 1
    assert "PCN0001" in out
    # A birth date is PHI: named, not quoted.
    assert "DMG02 (8 characters) is not a date CCYYMMDD" in err and "19801301" not in err
    assert "SE01 says '27' segments but the set has 28" in err


def test_claims_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("claims", str(tmp_path / "nope.837"))
    assert code == 2 and "no such file" in err


def test_claims_of_an_835_is_unusable_input() -> None:
    # No 837 set at all: nothing to show, exit 2 as for `edi remit` on an 837, in every format.
    remit = FIXTURES / "835/partly_paid.x12"
    for fmt in ("table", "json", "csv"):
        code, _, err = run("claims", str(remit), "--format", fmt)
        assert code == 2, fmt
        assert err == f"{remit}: no 837 transaction set in the input (found 835); use edi remit\n"


def test_claims_one_unreadable_claim_exits_1(tmp_path: Path) -> None:
    # The file holds an 837 whose second claim cannot be read (CLM02 not a number): exit 1, the others
    # are shown.
    path = tmp_path / "bad.837"
    path.write_text(
        (FIXTURES / "837p/dependent.x12")
        .read_text()
        .replace("CLM*PCN2002*150*", "CLM*PCN2002*15O*")
    )
    code, out, err = run("claims", str(path))
    assert code == 1
    assert "claim 'PCN2002' is not read" in err
    assert "PCN2001" in out and "PCN2003" in out and "PCN2002" not in out


def test_build_names_every_field_at_fault(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "837p/drug.json").read_text())
    data[0]["total_charge"] = "one hundred"
    del data[0]["lines"][1]["professional"]["charge"]
    data[0]["kind"] = "vision"
    data[0]["unknown_field"] = 1
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(data))
    out_file = tmp_path / "out.837"
    code, out, err = run("build", str(source), "-o", str(out_file))
    assert code == 1 and out == "" and not out_file.exists()
    assert err.splitlines() == [
        f"{source}: claim PCN5001: [0].kind: Input should be 'professional', 'institutional' or "
        "'dental'",
        f"{source}: claim PCN5001: [0].total_charge: Input should be a valid decimal",
        f"{source}: claim PCN5001: [0].lines[1].professional.charge: Field required",
        f"{source}: claim PCN5001: [0].unknown_field: Extra inputs are not permitted",
    ]


def test_build_of_no_claims_writes_nothing_and_exits_2(tmp_path: Path) -> None:
    empty = tmp_path / "none.json"
    empty.write_text("[]")
    out = tmp_path / "out.837"
    code, _, err = run("build", str(empty), "-o", str(out))
    assert (code, err) == (2, f"{empty}: no claims in it, so no 837 is written\n")
    assert not out.exists()


def test_build_refuses_claims_that_break_business_rules(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "837p/replacement_void.json").read_text())
    del data[0]["payer_claim_control_number"]
    data[1]["lines"][0]["professional"]["diagnosis_pointers"] = [2]
    data[1]["total_charge"] = "80"
    source = tmp_path / "claims.json"
    source.write_text(json.dumps(data))
    out_file = tmp_path / "out.837"
    code, out, err = run("build", str(source), "-o", str(out_file))
    assert code == 1 and not out_file.exists()
    assert err.splitlines() == [
        f"{source}: claim PCN6001: frequency code 7 (replacement) needs the payer claim control "
        "number of the original claim (payer_claim_control_number, REF*F8)",
        f"{source}: claim PCN6002: total charge 80 ≠ Σ line charges 75",
        f"{source}: claim PCN6002: line 1: diagnosis pointer 2 points at nothing (the claim has 1 "
        "diagnosis code)",
    ]
    # --no-check writes them as they are (the schema still holds): the test files users keep.
    code, out, err = run("build", str(source), "-o", str(out_file), "--no-check")
    assert (code, err) == (0, "")
    assert out == f"wrote {out_file}: 2 claim(s)\n"
    back = list(edi.read_claims(out_file))
    assert [c.total_charge for c in back] == [Decimal(data[0]["total_charge"]), Decimal("80")]
    assert back[0].payer_claim_control_number is None


def test_a_shared_name_holding_the_component_separator_is_said_once_where_it_is(
    tmp_path: Path,
) -> None:
    """The subscriber's last name with the component separator in it, read from a file: said for
    each of the two claims under the subscriber, at their CLM, as `NM103 holds ...` (which of a
    claim's NM1s?); now once, at the subscriber's HL, naming the loop, as the other problems of a
    loop the claims share."""
    path = tmp_path / "colon.837"
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    assert text.count("CLM*") == 2 and text.count("NM1*IL*1*TESTPATIENT*ALPHA") == 1
    path.write_text(text.replace("NM1*IL*1*TESTPATIENT*ALPHA", "NM1*IL*1*TEST:PATIENT*ALPHA"))
    code, _, err = run("claims", str(path))
    assert code == 1
    assert err.splitlines() == [
        f"{path}: segment 12 HL (line 14, loop 2000B): subscriber (2010BA): NM103 holds the component "
        "separator ':', so the element would read back as a composite; write with other delimiters "
        "or change the text"
    ]


def test_a_shared_patients_relationship_is_said_once_at_its_hl(tmp_path: Path) -> None:
    """PAT01 is the patient loop's (2000C), which two claims share here: a code 2000C does not
    take was said for each claim, at its CLM, about the claim; now once, at the patient's HL,
    about the patient, as the loop's other problems (its DMG, N4, ...)."""
    data = json.loads((FIXTURES / "837p/dependent.json").read_text())
    data[1]["patient"]["relationship"] = "99"
    data.insert(2, {**data[1], "patient_control_number": "PCN2002B"})
    claims = edi.load_claims(data)
    assert claims[1].patient == claims[2].patient
    problems = edi.check_claims(claims)
    assert [(p, p.about) for p in problems] == [
        (
            "claim PCN2002: patient (2000C): patient.relationship (PAT01) is '99', not one of 01, "
            "19, 20, 21, 39, 40, 53, G8",
            claims[1].patient,
        ),
        (
            "claim PCN2002B: patient (2000C): patient.relationship (PAT01) is '99', not one of 01, "
            "19, 20, 21, 39, 40, 53, G8",
            claims[2].patient,
        ),
    ]
    path = tmp_path / "shared.837"
    path.write_text(edi.write_837(claims, check=False))
    lines = path.read_text().splitlines()
    # One 2000C (HL*4, its parent the subscriber's HL*3) holds both claims.
    assert lines.count("HL*4*3*23*0~") == 1 and not any(x.startswith("HL*7") for x in lines)
    line = lines.index("HL*4*3*23*0~") + 1
    code, _, err = run("claims", str(path))
    assert code == 1
    assert err.splitlines() == [
        f"{path}: segment {line - 2} HL (line {line}, loop 2000C): patient (2000C): "
        "patient.relationship (PAT01) is '99', not one of 01, 19, 20, 21, 39, 40, 53, G8"
    ]


def test_build_refuses_a_value_holding_a_delimiter(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "837p/dependent.json").read_text())
    data[0]["payer"]["name"] = "ACME*HEALTH"
    source = tmp_path / "claims.json"
    source.write_text(json.dumps(data))
    out_file = tmp_path / "out.837"
    code, _, err = run("build", str(source), "-o", str(out_file))
    assert code == 1 and not out_file.exists()
    assert err.splitlines() == [
        f"{source}: claim PCN2001: payer (2010BB): NM103 holds the element separator '*', so the "
        "segment would not read back as written; write with other delimiters or change the text"
    ]
    # With other delimiters it is written, and reads back as it was.
    code, _, err = run("build", str(source), "-o", str(out_file), "--delimiters", "|^>~")
    assert (code, err) == (0, "")
    assert out_file.read_text().startswith("ISA|00|")
    assert edi.load_claims(data)[0].payer == next(iter(edi.read_claims(out_file))).payer
    code, _, err = run("build", str(source), "-o", str(out_file), "--delimiters", "|^>")
    assert (code, err) == (
        2,
        "edi build: --delimiters: '|^>' is not four characters: element, "
        "repetition, component, segment\n",
    )


def test_build_with_envelope_options(tmp_path: Path) -> None:
    out_file = tmp_path / "out.837"
    code, _, err = run(
        "build",
        str(FIXTURES / "837d/ortho.json"),
        "-o",
        str(out_file),
        "--sender",
        "DENTALCLINIC",
        "--receiver",
        "DENTALPAYER",
        "--usage",
        "T",
        "--control-number",
        "77",
    )
    assert (code, err) == (0, "")
    text = out_file.read_text()
    assert text.startswith("ISA*00*          *00*          *ZZ*DENTALCLINIC   *ZZ*DENTALPAYER    *")
    assert "*00501*000000077*0*T*:~\nGS*HC*DENTALCLINIC*DENTALPAYER*" in text
    assert "*77*X*005010X224A2~\nST*837*0077*005010X224A2~" in text
    (claim,) = edi.read_claims(out_file)
    assert claim.patient_control_number == "PCND001"


def test_build_with_gs_application_ids_and_a_ta1_asked_for(tmp_path: Path) -> None:
    """GS02/GS03 other than the ISA ids, and ISA14 1 (a TA1 wanted): what write_837 takes."""
    out_file = tmp_path / "out.837"
    code, _, err = run(
        "build",
        str(FIXTURES / "837p/drug.json"),
        "-o",
        str(out_file),
        "--sender",
        "CLINIC",
        "--application-sender",
        "CLINICAPP",
        "--application-receiver",
        "PAYERAPP",
        "--ack-requested",
        "1",
    )
    assert (code, err) == (0, "")
    isa, gs = out_file.read_text().splitlines()[:2]
    assert isa.split("*")[6].strip() == "CLINIC" and isa.split("*")[14] == "1"
    assert gs.split("*")[2:4] == ["CLINICAPP", "PAYERAPP"]


ASCII_TEXT = "printable ASCII characters, without spaces around them"


@pytest.mark.parametrize(
    ("options", "messages"),
    [
        (
            ["--sender", "ABCDEFGHIJKLMNOP"],
            [f"sender id (ISA06) 'ABCDEFGHIJKLMNOP' must be 2 to 15 {ASCII_TEXT}"],
        ),
        (["--receiver", ""], [f"receiver id (ISA08) '' must be 2 to 15 {ASCII_TEXT}"]),
        (["--sender", "CLINIQUÉ"], [f"sender id (ISA06) 'CLINIQUÉ' must be 2 to 15 {ASCII_TEXT}"]),
        (
            ["--sender-qualifier", "Z"],  # the maps' ISA05 codes
            ["sender qualifier (ISA05) 'Z' must be one of 01, 14, 20, 27, 28, 29, 30, 33, ZZ"],
        ),
        # One option, one line (it was three: the ISA13's, the GS06's and the ST02's).
        (
            ["--control-number", "1000000000"],
            ["--control-number 1000000000 must be 1 to 999999999 (ISA13, GS06, ST02)"],
        ),
        (
            ["--control-number", "-5", "--sender", "X"],
            [
                f"sender id (ISA06) 'X' must be 2 to 15 {ASCII_TEXT}",
                "--control-number -5 must be 1 to 999999999 (ISA13, GS06, ST02)",
            ],
        ),
    ],
)
def test_build_refuses_envelope_options_that_do_not_fit(
    tmp_path: Path, options: list[str], messages: list[str]
) -> None:
    """A 16-character sender would shift the fixed-width ISA, a 10-digit ISA13 overflow it: the
    command line is at fault (exit 2, one line per problem), and nothing is written."""
    out_file = tmp_path / "out.837"
    code, _, err = run("build", str(FIXTURES / "837p/drug.json"), "-o", str(out_file), *options)
    assert (code, err.splitlines()) == (2, [f"edi build: {m}" for m in messages])
    assert not out_file.exists()


def test_a_delimiter_in_an_isa_id_is_refused(tmp_path: Path) -> None:
    """ISA06 'S*1' would add an element to the fixed-width ISA: no reader could read the file. The
    command line is at fault, not the claims: exit 2 as for any bad option value (it was 1)."""
    source = FIXTURES / "837p/drug.json"
    out_file = tmp_path / "out.837"
    code, _, err = run("build", str(source), "-o", str(out_file), "--sender", "S*1")
    assert (code, err) == (
        2,
        "edi build: --sender: 'S*1' holds '*', a delimiter of the 837 written\n",
    )
    assert not out_file.exists()
    # The delimiters are those given, else '*^:~' (claims JSON does not keep those read).
    options = ["--receiver", "R|X", "--sender", "S:1"]
    code, _, err = run("build", str(source), "-o", str(out_file), *options)
    assert (code, err) == (
        2,
        "edi build: --sender: 'S:1' holds ':', a delimiter of the 837 written\n",
    )
    code, _, err = run("build", str(source), "-o", str(out_file), *options, "--delimiters", "|^>~")
    assert (code, err) == (
        2,
        "edi build: --receiver: 'R|X' holds '|', a delimiter of the 837 written\n",
    )
    # GS02 and GS03 hold no composite either (they were written: `GS*HC*A:B*...`).
    options = ["--application-sender", "A:B", "--application-receiver", "C:D"]
    code, _, err = run("build", str(source), "-o", str(out_file), *options)
    assert (code, err.splitlines()) == (
        2,
        [
            "edi build: --application-sender: 'A:B' holds ':', a delimiter of the 837 written",
            "edi build: --application-receiver: 'C:D' holds ':', a delimiter of the 837 written",
        ],
    )
    assert not out_file.exists()
    assert (
        run("build", str(source), "-o", str(out_file), "--sender", "S:1", "--delimiters", "|^>~")[0]
        == 0
    )
    assert (
        "*ZZ*S:1            *" not in out_file.read_text()
        and "|ZZ|S:1            |" in out_file.read_text()
    )


def test_build_refuses_a_broken_envelope_the_claims_carry(tmp_path: Path) -> None:
    """Claims JSON whose envelope was edited (an ISA06 holding the element separator, an ISA13 of
    letters): a check problem of the claims, one line each, exit 1, nothing written; --no-check
    writes the ISA13 as it is, but not the ISA06: that ISA would not read back."""
    _, out, _ = run("claims", str(FIXTURES / "837p/dependent.x12"), "--format", "json")
    data = json.loads(out)
    for claim in data:
        claim["envelope"]["interchange"] |= {"sender_id": "A*B", "control_number": "abc"}
    listed, out_file = tmp_path / "claims.json", tmp_path / "out.837"
    listed.write_text(json.dumps(data))
    code, _, err = run("build", str(listed), "-o", str(out_file))
    assert (code, err.splitlines()) == (
        1,
        [
            f"{listed}: claim PCN2001: envelope: sender id (ISA06) 'A*B' holds the delimiter '*'",
            f"{listed}: claim PCN2001: envelope: interchange control number (ISA13) 'abc' must be "
            "at most 9 digits, 1 to 999999999",
        ],
    )
    assert not out_file.exists()
    code, _, err = run("build", str(listed), "-o", str(out_file), "--no-check")
    assert (code, err) == (
        1,
        f"{listed}: claim PCN2001: envelope: ISA06 holds the element separator '*', so the "
        "segment would not read back as written; write with other delimiters or change the text\n",
    )
    assert not out_file.exists()
    for claim in data:
        claim["envelope"]["interchange"]["sender_id"] = "AB"
    listed.write_text(json.dumps(data))
    assert run("build", str(listed), "-o", str(out_file), "--no-check")[0] == 0
    assert "*ZZ*AB             *ZZ*" in out_file.read_text()
    assert "*000000abc*" in out_file.read_text()


def test_envelope_options_win_over_the_envelope_read(tmp_path: Path) -> None:
    """Claims JSON from `edi claims --format json` carries the envelope read (ISA13 202 of the file):
    options given on the command line replace it, so a re-sent file gets a new control number."""
    listed = tmp_path / "claims.json"
    _, out, _ = run("claims", str(FIXTURES / "837p/dependent.x12"), "--format", "json")
    listed.write_text(out)
    kept, given = tmp_path / "kept.837", tmp_path / "given.837"
    assert run("build", str(listed), "-o", str(kept))[0] == 0
    assert "*00501*000000202*" in kept.read_text()
    assert run("build", str(listed), "-o", str(given), "--control-number", "5")[0] == 0
    text = given.read_text()
    assert "*00501*000000005*" in text and "ST*837*0005*005010X222A1~" in text
    assert [c.id for c in edi.read_claims(given)] == [c.id for c in edi.read_claims(kept)]
    # One option replaces the whole envelope: the others take their defaults, not the values read.
    assert run("build", str(listed), "-o", str(given), "--usage", "T")[0] == 0
    assert given.read_text().startswith(
        "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *"
    )
    assert "*00501*000000001*0*T*" in given.read_text()


def test_build_rejects_what_is_not_json(tmp_path: Path) -> None:
    source = tmp_path / "claims.json"
    source.write_text("ISA*00*...")
    code, _, err = run("build", str(source), "-o", str(tmp_path / "out.837"))
    assert code == 2 and err.startswith(f"{source}: not JSON:")
    # JSON that is no list of claims is as unusable (it was 1, "problems found in the claims").
    source.write_text("42")
    code, _, err = run("build", str(source), "-o", str(tmp_path / "out.837"))
    assert (code, err) == (2, f"{source}: expected a list of claims (JSON array), got number\n")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            (FIXTURES / "837p/dependent.x12").read_text(),
            "the input is X12 (it starts with ISA); the claims JSON of an 837 is what "
            "`edi claims FILE --format json` (edi.read_claims) gives",
        ),
        (
            "\ufeffST*837*0001~",
            "the input is X12 (it starts with ST); the claims JSON of an 837 "
            "is what `edi claims FILE --format json` (edi.read_claims) gives",
        ),
        ("", "the input is empty"),
        (" \n\t\n", "the input is empty"),
        ("STATUS", "Expecting value: line 1 column 1 (char 0)"),
        # Python's parser gives up past about a thousand levels: that was "a bug in edi" (exit 70).
        ("[" * 100_000 + "]" * 100_000, "it nests lists and objects deeper than edi reads them"),
    ],
)
def test_build_says_what_it_was_given_instead_of_json(tmp_path: Path, text: str, why: str) -> None:
    """The 837 itself given to `edi build` (which reads the claims JSON `edi claims --format json`
    writes): "not JSON: Expecting value: line 1 column 1 (char 0)" said nothing of what to do."""
    source = tmp_path / "claims.json"
    source.write_text(text)
    code, _, err = run("build", str(source), "-o", str(tmp_path / "out.837"))
    assert (code, err) == (2, f"{source}: not JSON: {why}\n")


def test_schema_claim() -> None:
    code, out, _ = run("schema", "claim")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "Claim"
    assert set(schema["required"]) == {
        "kind",
        "billing_provider",
        "subscriber",
        "payer",
        "patient_control_number",
        "total_charge",
        "lines",
        "header",
    }
    assert schema["properties"]["kind"]["enum"] == ["professional", "institutional", "dental"]
    assert schema["properties"]["lines"]["minItems"] == 1
    assert "ServiceLine" in schema["$defs"] and "HealthCode" in schema["$defs"]


def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code, out, err = run("build", str(FIXTURES / "837p/drug.json"), "-o", str(blocker / "x.837"))
    assert (code, out, err) == (2, "", f"{blocker / 'x.837'}: cannot write: Not a directory\n")


def test_claims_checks_what_it_reads(tmp_path: Path) -> None:
    """`edi claims` says what `edi build` would refuse (a charge that does not add up), one line per
    problem, exit 1; the claims are still shown. `--no-check` leaves the checks out."""
    source = tmp_path / "claims.837"
    text = (FIXTURES / "837p/dependent.x12").read_text()
    source.write_text(text.replace("CLM*PCN2003*60*", "CLM*PCN2003*61*"))
    code, out, err = run("claims", str(source))
    assert code == 1 and "PCN2003" in out
    # placed at the claim's CLM as read: line 56 of the file, the 54th segment of its set (ST line 3)
    assert err == (
        f"{source}: segment 51 CLM (line 53, loop 2300): claim PCN2003: total charge 61 ≠ Σ line "
        "charges 60\n"
    )
    for fmt in ("json", "csv"):
        assert run("claims", str(source), "--format", fmt)[::2] == (1, err)
    assert run("claims", str(source), "--no-check")[::2] == (0, "")


def test_a_problem_of_a_shared_loop_is_said_once_where_it_was_read(tmp_path: Path) -> None:
    """The billing provider's and subscriber's problems are the same for each of their claims: said
    once each, at their HL as read (the library's check_claims still refuses every claim)."""
    source = tmp_path / "claims.837"
    lines = (FIXTURES / "837p/dependent.x12").read_text().splitlines(keepends=True)
    # The billing provider (its HL on line 8) has three claims; subscriber BRAVO (line 13) one, his
    # own (his dependant's is under a 2000B of its own, without SBR02 18, and with no N4). ST is
    # line 3, so a segment's number in the set is its line - 2.
    assert lines[7].startswith("HL*1**20") and lines[12].startswith("HL*2*1*22")
    lines[3] = lines[3].replace("*CH~", "*ZZ~")  # BHT06 (line 4): the header's, at its ST
    lines[10] = lines[10].replace("*IL*", "*ZZ*")  # the billing provider's N4 (line 11)
    lines[16] = lines[16].replace("*IL*", "*ZZ*")  # subscriber BRAVO's N4 (line 17)
    source.write_text("".join(lines))
    code, _, err = run("claims", str(source))
    state = "N402 (state) is not a US state or Canadian province code (837P)"
    assert (code, err) == (
        1,
        f"{source}: segment 1 ST (line 3): transaction header (BHT): BHT06 (claim_type) is 'ZZ', "
        "not one of CH, RP (837P)\n"
        f"{source}: segment 6 HL (line 8, loop 2000A): billing provider (2010AA): {state}\n"
        f"{source}: segment 11 HL (line 13, loop 2000B): subscriber (2010BA): {state}\n",
    )
    claims = list(edi.read_claims(source))
    assert len(claims) == 3 and len(edi.check_claims(claims)) == 3 + 3 + 1


def test_a_problem_of_a_line_prior_payer_or_provider_is_said_where_it_was_read(
    tmp_path: Path,
) -> None:
    """A claim's problem that names its line, prior payer or provider is placed at that loop's
    first segment as read (LX, 2320 SBR, the provider's NM1), not at the CLM; the billing
    provider's NPI, shared by the set's two claims, once at its HL."""
    source = tmp_path / "claims.837"
    lines = (FIXTURES / "837p/cob_secondary.x12").read_text().splitlines(keepends=True)
    # ST is line 3, so a segment's number in the set is its line - 2.
    assert lines[8].startswith("NM1*85") and lines[22].startswith("NM1*82")
    assert lines[24] == "AMT*D*120~\n" and lines[38] == "LX*2~\n"
    lines[8] = lines[8].replace("1234567893", "1234567890")  # check digit 3
    lines[22] = lines[22].replace("1234567893", "1234567890")
    lines[24] = "AMT*F2*120~\n"  # a 2320 AMT qualifier of another guide
    lines[39] = lines[39].replace("***1~", "***3~")  # line 2 points at a third diagnosis
    source.write_text("".join(lines))
    code, _, err = run("claims", str(source))
    fails = "NPI '1234567890' fails its check digit"
    assert (code, err.splitlines()) == (
        1,
        [  # in the order of the file
            f"{source}: segment 6 HL (line 8, loop 2000A): billing provider (2010AA): {fails}",
            f"{source}: segment 21 NM1 (line 23, loop 2310B): claim PCN2001: provider 82 (2310B): {fails}",
            f"{source}: segment 22 SBR (line 24, loop 2320): claim PCN2001: prior payer 1 (2320): "
            "AMT*F2 is not used in loop 2320 of an 837P claim (its AMT01 takes A8, D, EAF)",
            f"{source}: segment 37 LX (line 39, loop 2400): claim PCN2001: line 2: diagnosis "
            "pointer 3 points at nothing (the claim has 2 diagnosis codes)",
        ],
    )


def test_a_header_partys_problem_is_said_once_at_its_nm1(tmp_path: Path) -> None:
    source = tmp_path / "claims.837"
    text = (FIXTURES / "837p/dependent.x12").read_text()
    source.write_text(text.replace("NM1*40*2*", "NM1*40**"))  # line 7: no NM102; three claims
    assert run("claims", str(source))[::2] == (
        1,
        f"{source}: segment 5 NM1 (line 7, loop 1000B): receiver (1000B): no entity type (NM102: "
        "1 person, 2 organization), which the guide requires\n",
    )


def test_a_kept_date_that_is_no_date_is_said_once_by_the_reader(tmp_path: Path) -> None:
    """The checks refuse a birth date that is no date (write_837 would), but `edi claims` leaves it
    to the reader's line, at the DMG: one fault, one line."""
    source = tmp_path / "claims.837"
    text = (FIXTURES / "837p/dependent.x12").read_text()
    source.write_text(text.replace("DMG*D8*19750615*", "DMG*D8*19751315*"))  # line 18
    code, _, err = run("claims", str(source))
    assert (code, err.splitlines()) == (
        1,
        [
            f"{source}: segment 16 DMG (line 18, loop 2010BA subscriber name, element DMG02): "
            "DMG02 (8 characters) is not a date CCYYMMDD: its digits name no day of the calendar "
            "(a month 01-12, a day the month has)"
        ],
    )
    assert len(edi.check_claims(edi.read_claims(source))) == 1  # the subscriber's own claim


def test_claim_part_finds_what_a_problem_names() -> None:
    """The part each problem is about (`ClaimProblem.about`), not what its text names: a problem
    given as text alone is the claim's."""
    claim = next(iter(edi.read_claims(FIXTURES / "837p/cob_secondary.x12")))
    line2, payer, doctor = claim.lines[1], claim.prior_payers[0], claim.providers[0]
    line2.professional.diagnosis_pointers = [1, 3]  # type: ignore[union-attr]
    payer.group_number = "G" * 51
    doctor.first_name = None  # else NM102 is filled: a person's (1)
    doctor.id, doctor.entity_type = "1234567890", None
    claim.total_charge = Decimal(251)
    claim.billing_provider.npi = "1234567890"
    problems = check_claim(claim)
    parts = {p.partition(":")[0].partition(" (")[0]: claim_part(claim, p) for p in problems}
    expected = {
        "total charge 251 ≠ Σ line charges 250": claim,
        "line 2": line2,
        "provider 82": doctor,  # provider 82 (2310B): NPI '1234567890' fails its check digit
        "claim": doctor,  # claim: provider 82 (rendering provider) has no entity type
        "prior payer EXAMPLEHP01": payer,  # paid 120 + adjustments 130 ≠ total charge 251
        "prior payer 1": payer,  # prior payer 1 (2320): SBR03 (group_number) is 51 characters
        "billing provider": claim,  # a context model's: said at its loop, not at a part
    }
    assert {k: id(v) for k, v in parts.items()} == {k: id(v) for k, v in expected.items()}
    assert claim_part(claim, "line 2: diagnosis pointer 3 points at nothing") is claim


def test_reading_problems_come_before_the_checks_of_their_claims(tmp_path: Path) -> None:
    """stderr follows the file, set by set: a set's reading problems, then its claims' checks (the
    checks streamed out first, and the reading problems came at the end)."""
    source = tmp_path / "claims.837"
    text = (FIXTURES / "837p/dependent.x12").read_text()
    text = text.replace("CLM*PCN2003*60*", "CLM*PCN2003*61*").replace("*20120910*", "*2012X910*")
    again = text.replace("000000202", "000000203").replace("PCN200", "PCN300")
    source.write_text(text + again)  # two interchanges
    code, _, err = run("claims", str(source))
    read = (
        "segment 32 DMG (line 34, loop 2010CA patient name, element DMG02): DMG02 (8 characters) "
        "is not a date CCYYMMDD"
    )
    checked = (
        "segment 51 CLM (line 53, loop 2300): claim PCN2003: total charge 61 ≠ Σ line charges 60"
    )
    second = "segment 32 DMG (line 94, loop 2010CA patient name, element DMG02)"
    lines = err.splitlines()
    assert code == 1 and len(lines) == 4, err
    assert lines[0] == f"{source}: {read}" and lines[1] == f"{source}: {checked}"
    assert lines[2].startswith(f"{source}: {second}")
    assert lines[3].startswith(f"{source}: segment 51 CLM (line 113, loop 2300): claim PCN3003:")


def test_claims_says_what_build_refuses_for_a_delimiter_in_a_value(tmp_path: Path) -> None:
    """A claim id read with the component separator in it: `edi build` refuses to write it, so
    `edi claims` says so (exit 1), in the same words."""
    source = tmp_path / "claims.837"
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    source.write_text(text.replace("CLM*PCN1001*", "CLM*PCN:1001*"))
    code, out, err = run("claims", str(source), "--format", "json")
    message = (
        "claim PCN:1001: CLM01 holds the component separator ':', so the element would read back "
        "as a composite; write with other delimiters or change the text"
    )
    # placed at the claim's CLM as read (line 21, the 19th segment of its set); claims JSON keeps
    # no place, so `edi build` says where by the claim id alone
    assert (code, err) == (1, f"{source}: segment 19 CLM (line 21, loop 2300): {message}\n")
    as_json = tmp_path / "claims.json"
    as_json.write_text(out)
    code, _, err = run("build", str(as_json), "-o", str(tmp_path / "out.837"))
    assert (code, err) == (1, f"{as_json}: {message}\n")


def test_build_writes_to_standard_output_with_dash() -> None:
    code, out, err = run("build", str(FIXTURES / "837p/drug.json"), "-o", "-")
    assert (code, err) == (0, "wrote standard output: 1 claim(s)\n")
    assert out.startswith("ISA*") and [c.id for c in edi.read_claims(out)] == ["PCN5001"]


def test_a_set_cut_by_unreadable_input_is_one_problem_not_many(tmp_path: Path) -> None:
    """A segment with no terminator for 4 MB stops the reader in the set's header: the set is
    reported as cut short, not as missing its submitter and receiver loops (which were there)."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    huge = tmp_path / "huge.x12"
    huge.write_text(text.replace("PER*IC*BILLING DESK*", "PER*IC*" + "X" * 4_300_000 + "*", 1))
    code, _, err = run("claims", str(huge))
    lines = err.splitlines()
    # The set first (its ST), then what cut it.
    assert code == 2 and any("no segment terminator" in line for line in lines[1:])
    assert lines[0].startswith(
        f"{huge}: segment 1 ST (line 3): transaction set '0001' is cut short by input that "
    )
    assert "required but missing" not in err and "loops are complete" not in err
    # The trailers may be there, past the point where reading stopped: not "before the end".
    assert "no IEA trailer before the point where reading stopped" in err
    assert "the end of the input" not in err


def test_claims_table_never_cuts_an_amount_or_an_id(tmp_path: Path) -> None:
    """The table's columns have fixed widths (it streams): an amount or id longer than its column
    pushes the row instead of being cut (`1234567945.12` was shown as `1234567945`), amounts show
    their cents as in `edi remit`, and a cut name is marked."""
    source = tmp_path / "long.837"
    source.write_text(
        (FIXTURES / "837p/dependent.x12")
        .read_text()
        .replace("CLM*PCN2002*150*", "CLM*PCN2002-0123456789ABCDEF*1234567945.12*")
        .replace("SV1*HC:99213:25*95*", "SV1*HC:99213:25*1234567890.12*")
        .replace("NM1*PR*2*EXAMPLE HEALTH PLAN*", "NM1*PR*2*EXAMPLE HEALTH PLAN OF THE STATE*")
    )
    code, out, _ = run("claims", str(source))
    assert code == 1  # the id is longer than the guide allows
    rows = out.splitlines()
    assert rows[0].split() == TABLE_HEADER
    assert rows[2].split("  ")[0] == "PCN2002-0123456789ABCDEF"
    assert " 1,234,567,945.12 " in rows[2] and "EXAMPLE HEALTH PLAN OF …" in rows[2]
    assert rows[1].split()[-3:] == ["95.00", "1", "M545"]


def test_claims_table_of_an_amount_past_28_digits_is_no_traceback(tmp_path: Path) -> None:
    source = tmp_path / "huge.837"
    source.write_text(
        (FIXTURES / "837p/dependent.x12")
        .read_text()
        .replace("CLM*PCN2001*95*", "CLM*PCN2001*999999999999999999999999999999*")
    )
    code, out, err = run("claims", str(source))
    assert code == 1 and "Traceback" not in out + err
    assert " 999,999,999,999,999,999,999,999,999,999 " in out.splitlines()[1]


def test_claims_csv_writes_an_amount_as_digits(tmp_path: Path) -> None:
    """str(Decimal) wrote CLM02 0.0000001 as `1E-7` in the csv."""
    source = tmp_path / "tiny.837"
    source.write_text(
        (FIXTURES / "837p/dependent.x12")
        .read_text()
        .replace("CLM*PCN2003*60*", "CLM*PCN2003*0.0000001*")
        .replace("SV1*HC:90686*60*", "SV1*HC:90686*0.0000001*")
    )
    code, out, _ = run("claims", str(source), "--format", "csv", "--no-check")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert [row[4] for row in rows] == ["charge", "95", "150", "0.0000001"]


@pytest.mark.parametrize(
    ("delimiters", "message"),
    [
        (" ^:~", "element delimiter ' ' must be one character, not a letter, digit or space"),
        (
            "*^:*",
            "delimiters must be distinct: element '*', repetition '^', component ':', segment '*'",
        ),
    ],
)
def test_delimiters_option_problems_name_the_delimiter(
    tmp_path: Path, delimiters: str, message: str
) -> None:
    """A space was refused as "not a letter/digit"; a repeated delimiter was shown as a list in
    another order than the option's, without names."""
    out_file = tmp_path / "out.837"
    code, _, err = run(
        "build", str(FIXTURES / "837p/drug.json"), "-o", str(out_file), "--delimiters", delimiters
    )
    assert (code, err) == (2, f"edi build: --delimiters: {message}\n")


def test_build_from_json_uses_the_default_delimiters_as_its_help_says(tmp_path: Path) -> None:
    """The help said the default was "those the claims were read with": claims JSON keeps none, so
    an 837 read with '|' comes back from `edi claims --format json | edi build` with '*'."""
    text = (FIXTURES / "837p/drug.x12").read_text()
    piped = tmp_path / "piped.837"
    piped.write_text(text.replace("*", "|"))
    listed = tmp_path / "claims.json"
    code, out, _ = run("claims", str(piped), "--format", "json")
    assert code == 0
    listed.write_text(out)
    built = tmp_path / "built.837"
    assert run("build", str(listed), "-o", str(built))[0] == 0
    assert built.read_text().startswith("ISA*00*")
    _, help_text, _ = run("build", "--help")
    assert "claims JSON does not keep them" in " ".join(help_text.split())


def test_a_line_or_prior_payer_providers_problem_names_the_loop_it_was_read_in(
    tmp_path: Path,
) -> None:
    """A provider's NM1 is read in loop 2310 (claim), 2330 (prior payer) or 2420 (line), and the
    reader's own diagnostics name that loop: a problem placed at a line's or a prior payer's
    provider says its loop (2420B, 2330D), not 2310 (one provider model is read in all three)."""
    # ambulance_dme: the last claim's line has a purchased service provider, NM1*QB (2420B), on
    # line 60 (segment 58); its NPI 1000000095 → 1000000090 fails the check digit.
    source = tmp_path / "line.837"
    text = (FIXTURES / "837p/ambulance_dme.x12").read_text()
    source.write_text(text.replace("NM1*QB*2******XX*1000000095~", "NM1*QB*2******XX*1000000090~"))
    code, _, err = run("claims", str(source))
    assert (code, err) == (
        1,
        f"{source}: segment 58 NM1 (line 60, loop 2420B): claim PCN8004: line 1: provider QB (2420B): NPI "
        "'1000000090' fails its check digit\n",
    )
    # cob_secondary: an other payer rendering provider (2330D, NM1*82) after the prior payer's
    # REF*F8 (line 29), so on line 30 (segment 28), with an id the 837P's 2330D does not use.
    source = tmp_path / "payer.837"
    text = (FIXTURES / "837p/cob_secondary.x12").read_text()
    # (with the REF the loop requires: 837P map line 1208)
    text = text.replace(
        "REF*F8*ICN2001~\n", "REF*F8*ICN2001~\nNM1*82*1*TESTDOCTOR~\nREF*G2*G2ID1~\n"
    )
    source.write_text(text.replace("SE*68*", "SE*70*"))
    code, _, err = run("claims", str(source))
    assert code == 1
    assert err.splitlines() == [
        f"{source}: segment 28 NM1 (line 30, loop 2330D): claim PCN2001: prior payer 1: provider 82 "
        "(2330D): NM1 has NM103 (name); the 837P guide does not use it"
    ]


def test_claim_part_tells_a_prior_payer_named_by_its_id_from_one_named_by_its_position() -> None:
    """The COB rules name a prior payer by its id (2330B NM109) — `prior payer EXAMPLEHP01: paid
    ...` — which may be a number; the other rules by its position (`prior payer 2 (2320): ...`)."""
    claim = next(iter(edi.read_claims(FIXTURES / "837p/cob_secondary.x12")))
    first = claim.prior_payers[0]
    second = first.model_copy(deep=True)
    second.other_payer.id = "01"  # a payer id that reads as a position: the first payer's
    second.other_payer.paid_date = claim.lines[0].adjudications[0].paid_date  # no 2430 of it
    claim.prior_payers.append(second)
    # By hand: payer 2 (id 01) is P, as payer 1 (EXAMPLEHP01) is; it paid 120 with no adjustment
    # of a claim of 250, and no line of it.
    problems = [p for p in check_claim(claim) if p.startswith("prior payer")]
    assert problems == [
        "prior payer 01 (2320 SBR01): payer responsibility 'P' is also prior payer EXAMPLEHP01's; "
        "each payer of a claim has its own place in the sequence (P, S, T, A-H)",
        "prior payer 01: paid 120 + adjustments 0 ≠ total charge 250",
    ]
    assert [claim_part(claim, p) is second for p in problems] == [True, True]
    first.paid = Decimal(119)
    (problem,) = (p for p in check_claim(claim) if "Σ line payments" in p)
    assert problem.startswith("prior payer EXAMPLEHP01: paid 119 (AMT*D) ≠ Σ line payments")
    assert claim_part(claim, problem) is first
    # An id two payers share names neither: the claim. (Without the lines' 2430s, which would
    # name a payer none is: then the claim-level totals are left to that problem.)
    for line in claim.lines:
        line.adjudications = []
    first.other_payer.id, first.paid = "01", Decimal(120)
    problem = next(p for p in check_claim(claim) if "≠ total charge" in p)
    assert problem == "prior payer 01: paid 120 + adjustments 0 ≠ total charge 250"
    assert claim_part(claim, problem) is claim
    # A payer without an id is named by its position.
    second.other_payer.id = None
    (problem,) = (p for p in check_claim(claim) if "payer responsibility" in p)
    assert problem.startswith("prior payer 2 (2320 SBR01): ")
    assert claim_part(claim, problem) is second


def test_build_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    """`edi build claims.json -o claims.json` wrote the 837 over the claims JSON it was made of."""
    claims = tmp_path / "claims.json"
    text = (FIXTURES / "837p" / "cob_primary.json").read_text()
    claims.write_text(text)
    (tmp_path / "link.json").symlink_to(claims)
    for output in (claims, tmp_path / "link.json"):
        code, _, err = run("build", str(claims), "-o", str(output))
        assert (code, err) == (
            2,
            f"edi build: the output {output} is the input {claims}: writing it would destroy the "
            "input; give another output file\n",
        )
        assert claims.read_text() == text


def test_problems_of_a_set_are_in_file_order_at_the_segment_kept_and_said_once(
    tmp_path: Path,
) -> None:
    """The reader's problems of a set (the SE01 count) were printed before the check's of its
    claims, the check's of a segment kept as read (a PRV*PE in 2000A) at the loop's HL, and the
    reader's warning of that segment said it again. Now one line a problem, at the segment kept,
    in the order of the file."""
    source = tmp_path / "claims.837"
    text = (FIXTURES / "837p/ambulance_dme.x12").read_text()
    assert "HL*1**20*1~\n" in text and "SE*59*0001~" in text
    text = text.replace("HL*1**20*1~\n", "HL*1**20*1~\nPRV*PE*PXC*207Q00000X~\n")
    source.write_text(text.replace("SE*59*0001~", "SE*99*0001~"))
    code, _, err = run("claims", str(source))
    assert (code, err.splitlines()) == (
        1,
        [
            f"{source}: segment 7 PRV (line 9, loop 2000A): billing provider (2010AA): PRV*PE (kept "
            "from the file read) is not used in loop 2000A of an 837P claim (its PRV01 takes BI)",
            f"{source}: segment 60 SE (line 62, element SE01): SE01 says '99' segments but the set "
            "has 60 (ST to SE inclusive)",
        ],
    )
    # The library keeps both: the reader's warning, and the check's problem with its place.
    reader = edi.read_claims(source)
    claims = list(reader)
    assert [d.code for d in reader.diagnostics if d.location.segment_index == 7] == [
        "mapping.unplaced"
    ]
    kept = {
        (p.code, p.read_at.segment_index, p.read_at.line)
        for p in edi.check_claims(claims)
        if p.read_at is not None
    }
    assert kept == {("kept-unused", 7, 9)}


@pytest.mark.parametrize(
    ("junk", "terminated"),
    [("TESTNAME JOHN MBR998877 DOB 19010203", False), ("TESTNAME JOHN MBR998877", True)],
)
def test_text_after_the_last_interchange_is_one_problem_that_quotes_three_characters(
    tmp_path: Path, junk: str, terminated: bool
) -> None:
    # Every claim before it is read: a problem (exit 1), not an input that cannot be used (2). Said
    # once (the envelope said it again, as a segment outside any set), and quoting no more of the
    # text than a segment ID that is none (it quoted the whole of it, a name, id and birth date).
    text = (FIXTURES / "837p/dependent.x12").read_text() + junk + ("~" if terminated else "\n")
    path = tmp_path / "trailing.837"
    path.write_text(text)
    code, out, err = run("claims", str(path))
    assert code == 1
    assert len(out.splitlines()) == 4  # the header and the three claims
    (said,) = err.splitlines()
    assert "'TES…'" in said and "JOHN" not in said and "998877" not in said


def test_claims_says_each_unwritable_text_kept_as_read_where_its_segment_was_read(
    tmp_path: Path,
) -> None:
    """Text kept as read that the checked writer cannot write is said at the loop whose segment
    holds it, as the other problems of that loop are: a line's SV1 with a trailing separator at its
    LX (it was said at the CLM, without the line), a rendering provider's NM104 holding ':' at its
    NM1 (2310B), the billing provider's N4 with a trailing separator once at its HL for the two
    claims that share it (it was said again at PCN1001's CLM); and one hides no other (only the
    NM104 was said)."""
    source = tmp_path / "claims.837"
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    for read, kept in (
        ("SV1*HC:87880*50*UN*1***1~", "SV1*HC:87880*50*UN*1***1*~"),  # line 37: SV108 empty
        ("*TESTDOCTOR*CHARLIE*", "*TESTDOCTOR*CHAR:LIE*"),  # line 27: NM104, a simple element
        ("N4*SPRINGFIELD*IL*627040000~", "N4*SPRINGFIELD*IL*627040000*~"),  # line 12: N404
    ):
        assert text.count(read) == 1
        text = text.replace(read, kept)
    source.write_text(text)
    code, _, err = run("claims", str(source))
    trailing = (
        "is an empty element at the end of the segment (a trailing separator, kept from the file "
        "read); X12 leaves out empty elements at the end of a segment"
    )
    # File lines 8 (HL*1, the 6th segment of the set: ST is line 3), 27 (NM1*82) and 36 (LX*2).
    assert (code, err.splitlines()) == (
        1,
        [
            f"{source}: segment 6 HL (line 8, loop 2000A): billing provider (2010AA): N404 "
            f"{trailing}",
            f"{source}: segment 25 NM1 (line 27, loop 2310B): claim PCN1001: provider 82 "
            "(2310B): NM104 holds the component separator ':', so the element would read back as "
            "a composite; write with other delimiters or change the text",
            f"{source}: segment 34 LX (line 36, loop 2400): claim PCN1001: line 2: SV108 "
            f"{trailing}",
        ],
    )


def test_build_says_each_value_it_cannot_write_on_a_line_of_its_own(tmp_path: Path) -> None:
    # All on one line before, joined by "; ", and only the first claim's.
    claims = json.loads((FIXTURES / "837p/dependent.json").read_text())
    claims[0]["patient_control_number"] = "PCN:2001"
    for claim in claims[1:]:
        claim["patient"]["last_name"] = "O*CONNOR"
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(claims))
    code, out, err = run("build", str(path), "-o", str(tmp_path / "out.837"))
    assert (code, out) == (1, "")
    assert [line.split(": ")[1] for line in err.splitlines()] == [
        "claim PCN:2001",
        "claim PCN2002",
        "claim PCN2003",
    ]
    assert not (tmp_path / "out.837").exists()


def test_the_patient_column_has_the_middle_name_and_suffix(tmp_path: Path) -> None:
    # A JR and a SR of one household looked alike ("TESTPATIENT, ALPHA"); edi remit shows them.
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    old = "NM1*IL*1*TESTPATIENT*ALPHA****MI*MBR1001~"
    assert old in text
    path = tmp_path / "named.837"
    path.write_text(text.replace(old, "NM1*IL*1*TESTPATIENT*ALPHA*Q**JR*MI*MBR1001~"))
    code, out, _ = run("claims", str(path), "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and {r[2] for r in rows[1:]} == {"TESTPATIENT, ALPHA Q JR"}


def test_claims_csv_keeps_a_value_holding_a_carriage_return_in_its_row(tmp_path: Path) -> None:
    """One row per claim (README): a payer name holding a CR alone is quoted, not a row break."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    source = tmp_path / "cr.x12"
    source.write_text(text.replace("NM1*PR*2*EXAMPLE HEALTH PLAN", "NM1*PR*2*EXAMPLE\rHEALTH"))
    code, out, err = run("claims", str(source), "--format", "csv")
    assert code == 1 and "payer" in err  # a character X12 has none of: said, and still listed
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert [row[0] for row in rows[1:]] == ["PCN2001", "PCN2002", "PCN2003"]
    assert {row[3] for row in rows[1:]} == {"EXAMPLE\rHEALTH"}


def test_an_envelope_problem_is_said_at_the_st(tmp_path: Path) -> None:
    """A GS08 that is not the 837P's is the set's envelope, not a claim's: it was said at the first
    claim's CLM (`claim PCN2001: envelope: ...`); at the ST, as edi remit says it (the QA tester)."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    assert text.count("*X*005010X222A1~") == 1
    path = tmp_path / "gs08.x12"
    path.write_text(text.replace("*X*005010X222A1~", "*X*005010X223A2~"))
    code, _, err = run("claims", str(path))
    assert code == 1
    said = [line for line in err.splitlines() if "version (GS08)" in line]
    assert said == [
        f"{path}: segment 1 ST (line 3): envelope: version (GS08) '005010X223A2' must be "
        "005010X222A1 or 005010X222 or 005010X222A2 in an 837P"
    ]


def test_csv_spreadsheet_safe_keeps_text_from_running_as_a_formula(tmp_path: Path) -> None:
    """CWE-1236 (CSV injection): `--spreadsheet-safe` puts an apostrophe before text that starts
    with `=`, `+`, `-` or `@`, as `edi remit` does (the robustness tester); the charge stays as
    it is. Without it the id is as read."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    assert text.count("CLM*PCN1001*") == 1
    source = tmp_path / "formula.x12"
    source.write_text(text.replace("CLM*PCN1001*", "CLM*-2+3*"))
    _, raw, _ = run("claims", str(source), "--format", "csv", "--no-check")
    _, safe, _ = run("claims", str(source), "--format", "csv", "--no-check", "--spreadsheet-safe")
    raw_row, safe_row = (list(csv.DictReader(io.StringIO(out)))[0] for out in (raw, safe))
    assert (raw_row["id"], safe_row["id"]) == ("-2+3", "'-2+3")
    assert raw_row["charge"] == safe_row["charge"] == "175"
    code, _, err = run("claims", str(source), "--spreadsheet-safe")
    assert (code, err) == (
        2,
        "edi claims: --spreadsheet-safe is for --format csv, not --format table\n",
    )


def test_build_line_break_and_when_make_the_same_file_each_time(tmp_path: Path) -> None:
    """`--line-break none` writes one line (partners that take no line breaks); `--when` dates the
    envelopes made (ISA09 YYMMDD, ISA10 HHMM, GS04 CCYYMMDD, GS05 HHMM), so two builds are the same
    bytes, as a golden file needs."""
    source = str(FIXTURES / "837p/drug.json")
    outputs = []
    for name in ("a.837", "b.837"):
        out_file = tmp_path / name
        code, _, err = run(
            "build", source, "-o", str(out_file), "--line-break", "none", "--when",
            "2026-01-02T03:04",
        )  # fmt: skip
        assert (code, err) == (0, "")
        outputs.append(out_file.read_bytes())
    assert outputs[0] == outputs[1]
    text = outputs[0].decode()
    assert "\n" not in text and "\r" not in text
    isa, gs = text.split("~")[:2]
    assert isa.split("*")[9:11] == ["260102", "0304"]
    assert gs.split("*")[4:6] == ["20260102", "0304"]


def test_build_line_break_crlf_ends_each_segment_and_reads_back(tmp_path: Path) -> None:
    out_file = tmp_path / "crlf.837"
    source = FIXTURES / "837p/drug.json"
    assert run("build", str(source), "-o", str(out_file), "--line-break", "crlf")[0] == 0
    data = out_file.read_bytes()
    segments = data.split(b"~")
    assert segments[-1] == b"\r\n" and all(s.startswith(b"\r\n") for s in segments[1:])
    assert [c.model_dump(exclude={"envelope"}) for c in edi.read_claims(out_file)] == [
        c.model_dump(exclude={"envelope"}) for c in edi.load_claims(source)
    ]


def test_build_when_alone_keeps_the_dates_of_the_envelope_the_claims_carry(
    tmp_path: Path,
) -> None:
    """As `write_837`'s `when`: it dates the envelopes made, and alone replaces none (the help says
    so), so claims read from an 837 are written back in their own envelope."""
    original = FIXTURES / "837p/drug.x12"
    code, out, _ = run("claims", str(original), "--format", "json")
    assert code == 0
    listed = tmp_path / "claims.json"
    listed.write_text(out)
    built = tmp_path / "built.837"
    assert run("build", str(listed), "-o", str(built), "--when", "2026-01-02T03:04")[0] == 0
    assert built.read_text() == original.read_text()
    _, help_text, _ = run("build", "--help")
    assert "carry keep its dates" in " ".join(help_text.split())


def test_build_when_that_is_no_date_and_time_is_a_wrong_command_line(tmp_path: Path) -> None:
    out_file = tmp_path / "out.837"
    code, out, err = run(
        "build", str(FIXTURES / "837p/drug.json"), "-o", str(out_file), "--when", "2026-13-02T03:04"
    )
    assert (code, out) == (2, "")
    # Said of the value given (not "no such option"): month 13 is no date.
    assert len(err.splitlines()) == 1 and "--when" in err and "'2026-13-02T03:04'" in err
    assert not out_file.exists()


def test_build_when_before_the_year_1000_is_a_wrong_command_line(tmp_path: Path) -> None:
    """GS04 is CCYYMMDD: the year 1 is said of --when, exit 2, not of the claims file with a Python
    repr of the value, exit 1 (the hostile tester)."""
    out_file = tmp_path / "out.837"
    source = str(FIXTURES / "837p/drug.json")
    code, out, err = run("build", source, "-o", str(out_file), "--when", "0001-01-01T00:00")
    assert (code, out, err) == (
        2,
        "",
        "edi build: --when: the year 1 has fewer than four digits (GS04)\n",
    )
    assert not out_file.exists()


def test_build_of_a_lone_surrogate_unchecked_is_said_not_a_crash(tmp_path: Path) -> None:
    """`"\\ud800"` is valid JSON but no text: UTF-8 has no bytes for it. Unchecked (the checks
    refuse it as not printable), it had reached the encoding of the 837 and exited 70 as a bug (the
    hostile tester); now one line and exit 1, nothing written, to a file or standard output."""
    claims = json.loads((FIXTURES / "837p/drug.json").read_text())
    claims[0]["subscriber"]["first_name"] = "BRAVO\ud800"
    source = tmp_path / "surrogate.json"
    source.write_text(json.dumps(claims))
    out_file = tmp_path / "out.837"
    for output in (str(out_file), "-"):
        code, out, err = run("build", str(source), "-o", output, "--no-check")
        assert (code, out) == (1, "")
        assert err.startswith(f"{source}: the 837 holds a character that is no text (U+D800, ")
        assert err.endswith(" of the 837: nothing written\n") and len(err.splitlines()) == 1
    assert not out_file.exists()
    code, _, err = run("build", str(source), "-o", str(out_file))
    assert code == 1 and "U+D800" not in err and not out_file.exists()


def test_an_element_the_reader_found_in_error_is_not_said_again_by_the_checks(
    tmp_path: Path,
) -> None:
    """CLM05 `11::1` has no facility code qualifier: the reader says so at the CLM (element CLM05),
    and the checks' "CLM without CLM05-02" at the same segment said it a second time."""
    source = tmp_path / "clm05.837"
    source.write_text((FIXTURES / "837p/drug.x12").read_text().replace("*11:B:1*", "*11::1*"))
    code, _, err = run("claims", str(source))
    assert (code, err) == (
        1,
        f"{source}: segment 18 CLM (line 20, loop 2300 claim, element CLM05): CLM05 is '11::1': "
        "facility code qualifier (CLM05-02) is missing\n",
    )
    # The checks alone (the library) still say it: write_837 refuses the claim.
    (claim,) = edi.read_claims(source)
    assert any(problem.element == "CLM05-02" for problem in edi.check_claims([claim]))


@pytest.mark.parametrize(
    ("fixture", "old", "new", "expected"),
    [
        (  # SV107-01 1.00: a pointer is a whole number (RFI 1526)
            "837p/subscriber_is_patient.x12",
            "SV1*HC:87880*50*UN*1***1~",
            "SV1*HC:87880*50*UN*1***1.00~",
            "segment 35 SV1 (line 37, loop 2400 service line, element SV107-01): "
            "SV107-01 is '1.00', not a whole number",
        ),
        (  # SV104 X: no count
            "837p/subscriber_is_patient.x12",
            "SV1*HC:87880*50*UN*1***1~",
            "SV1*HC:87880*50*UN*X***1~",
            "segment 35 SV1 (line 37, loop 2400 service line, element SV104): "
            "SV104 is 'X', not a decimal number such as 125.50",
        ),
        (  # SV205 X: no count, on an 837I line
            "837i/inpatient.x12",
            "SV2*0250**800*UN*10~",
            "SV2*0250**800*UN*X~",
            "segment 40 SV2 (line 42, loop 2400 service line, element SV205): "
            "SV205 is 'X', not a decimal number such as 125.50",
        ),
    ],
)
def test_a_service_element_the_reader_found_in_error_is_said_once(
    tmp_path: Path, fixture: str, old: str, new: str, expected: str
) -> None:
    """A line's check problems are placed at its LX, the reader's at its SV1/SV2, the segment after
    it: an element of that segment in error was said by both ("SV107-01 (text kept from the file
    read) has 3 digits" beside the reader's line)."""
    text = (FIXTURES / fixture).read_text()
    assert old in text
    source = tmp_path / "line.837"
    source.write_text(text.replace(old, new))
    code, _, err = run("claims", str(source))
    assert (code, err) == (1, f"{source}: {expected}\n")
    # The checks alone (the library) still say it: write_837 refuses the claim.
    (claim, *_) = edi.read_claims(source)
    assert any((problem.element or "")[:3] == new[:3] for problem in edi.check_claims([claim]))


def test_the_claims_table_shows_control_characters_escaped(tmp_path: Path) -> None:
    """A name's escape sequence is shown, not run by the terminal (as `edi remit`'s table)."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    text = text.replace("NM1*PR*2*EXAMPLE HEALTH PLAN*", "NM1*PR*2*EXAMPLE\x1b]0;x\x07*")
    path = tmp_path / "escapes.837"
    path.write_text(text)
    code, out, _ = run("claims", str(path))
    assert "\x1b" not in out and "\x07" not in out
    assert "EXAMPLE\\x1b]0;x\\x07" in out.splitlines()[1]


def test_a_value_kept_that_is_none_is_said_once(tmp_path: Path) -> None:
    """`HI*BE:80:::ABC`: the reader says HI01-05 is no number; the checks' problem of it (for a
    checked write) is not said again (the reviewer)."""
    text = (FIXTURES / "837i/inpatient.x12").read_text()
    path = tmp_path / "be.837"
    path.write_text(text.replace("HI*BE:80:::3~", "HI*BE:80:::ABC~"))
    code, _, err = run("claims", str(path))
    assert code == 1
    assert [line.split(": ", 1)[1] for line in err.splitlines()] == [
        "segment 31 HI (line 33, loop 2300 claim, element HI01-05): HI01-05 (3 characters) is not "
        "a decimal number such as 125.50"
    ]
