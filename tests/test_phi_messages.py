"""No PHI in messages beyond what the user asked to see: a value in the wrong element (a name, a
member id, an SSN where an NPI or a procedure code goes) or a patient's measurement is said by its
element and length, never quoted (the PHI reviewer's findings). Identifiers of the claim (its id,
control numbers, a ten-digit NPI, which NPPES publishes) are still quoted."""

from __future__ import annotations

from pathlib import Path

import edi

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PHI = "DOE JOHN 987654320"  # a name and an SSN-shaped number, where they do not belong


def _said(path: Path, kind: str = "837") -> str:
    """Everything reading and checking `path` says, as one text."""
    if kind == "837":
        reader = edi.read_claims(path)
        models = list(reader)
        checked = [str(p) for p in edi.check_claims(models)]
    else:
        reader = edi.read_remittances(path)
        models = list(reader)
        checked = [str(p) for p in edi.check_remittances(models)]
    return "\n".join([*(str(d) for d in reader.diagnostics), *checked])


def _variant(tmp_path: Path, fixture: str, old: str, new: str) -> Path:
    text = (FIXTURES / fixture).read_text()
    assert old in text
    path = tmp_path / "variant.x12"
    path.write_text(text.replace(old, new, 1))
    return path


def test_an_npi_that_is_not_ten_digits_is_not_quoted(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "837p/cob_secondary.x12",
        "TESTDOCTOR*CHARLIE****XX*1234567893",
        f"TESTDOCTOR*CHARLIE****XX*{PHI}",
    )
    said = _said(path)
    assert "provider 82 (2310B): NPI is not 10 digits" in said
    assert "987654320" not in said and "DOE" not in said
    # Ten digits are an NPI: quoted.
    path = _variant(
        tmp_path,
        "837p/cob_secondary.x12",
        "TESTDOCTOR*CHARLIE****XX*1234567893",
        "TESTDOCTOR*CHARLIE****XX*1234567890",
    )
    assert "provider 82 (2310B): NPI '1234567890' fails its check digit" in _said(path)


def test_a_procedure_composite_that_did_not_split_is_not_quoted(tmp_path: Path) -> None:
    path = _variant(tmp_path, "837p/cob_secondary.x12", "SV1*HC:99215*", f"SV1*{PHI}*")
    said = _said(path)
    assert "SV101 is 18 characters holding ' ': no procedure code (SV101-02)" in said
    assert "987654320" not in said and "DOE" not in said
    # CLM05 holds codes: quoted while each part looks like one.
    path = _variant(tmp_path, "837p/drug.x12", "*11:B:1*", "*11::1*")
    assert "CLM05 is '11::1': facility code qualifier (CLM05-02) is missing" in _said(path)


def test_an_835_procedure_composite_that_did_not_split_is_not_quoted(tmp_path: Path) -> None:
    text = (FIXTURES / "835/paid_in_full.x12").read_text()
    svc = next(s for s in text.split("~") if s.lstrip().startswith("SVC*"))
    elements = svc.split("*")
    elements[1] = PHI
    path = tmp_path / "svc.835"
    path.write_text(text.replace(svc, "*".join(elements), 1))
    said = _said(path, "835")
    assert "SVC01 is 18 characters holding ' ': no procedure code in SVC01-02" in said
    assert "987654320" not in said and "DOE" not in said


def test_a_measurement_and_an_overlong_line_control_number_are_not_quoted(tmp_path: Path) -> None:
    path = _variant(tmp_path, "837p/ambulance_dme.x12", "MEA*TR*R1*11.2~", "MEA*TR*R1*11,2~")
    said = _said(path)
    assert "MEA03 (4 characters) is not a decimal number" in said and "11,2" not in said
    claim = edi.load_claims(FIXTURES / "837p/drug.json")[0]
    claim.lines[0].control_number = f"{PHI} 19010203 EXTRA TEXT"
    (problem,) = edi.check_claims([claim])
    assert problem.endswith(
        "line 1: line item control number (38 characters) is over 30 characters"
    )


def test_envelope_counts_dates_and_control_numbers_that_hold_text_are_not_quoted(
    tmp_path: Path,
) -> None:
    """SE01 (a count), GS04 (a date) and an ST02 longer than a control number hold a name here:
    said by their length. Digits are still quoted, as before."""
    text = (FIXTURES / "837p/drug.x12").read_text()
    for old, new in (
        ("SE*31*0001~", "SE*DOEJANE*0001~"),
        ("*20240315*1000*205*", "*DOEJOHN*1000*205*"),
        ("ST*837*0001*", "ST*837*DOEJOHNQPUBLIC*"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "envelope.x12"
    path.write_text(text)
    said = "\n".join(str(d) for d in edi.read_envelopes(path).diagnostics)
    assert "SE01 is no count of segments (7 characters) but the set has 31" in said
    assert "GS04 is (7 characters); expected a CCYYMMDD date" in said
    assert "ST02 has 14 characters; expected 4 to 9 printable ASCII characters" in said
    assert "DOE" not in said


def test_hl_and_line_numbers_control_numbers_and_versions_that_hold_text_are_not_quoted(
    tmp_path: Path,
) -> None:
    """HL01, HL02 and LX01 (counts), GS06 and ISA13 (control numbers), ST03 and GS08 (versions),
    and an ST02 said by its length in the line that says its set is not read, held a name and an
    SSN, quoted in full (the PHI reviewer). Said by their length now; digits are still quoted."""
    cases = [
        ("HL*2*1*22*0~", f"HL*{PHI}*1*22*0~", "HL01 is (18 characters), expected 2"),
        ("HL*2*1*22*0~", f"HL*2*{PHI}*22*0~", "HL02 is (18 characters), but this subscriber"),
        ("LX*2~", f"LX*{PHI}~", "LX01 is (18 characters), expected 2"),
        ("*1000*204*X*", "*1000*DOE JOHN*X*", "GS06 is (8 characters); expected 1 to 9 digits"),
        ("*000000204*0*T*", "*DOE JOHN *0*T*", "ISA13 is (9 characters); expected nine digits"),
        ("ST*837*0001*005010X222A1~", f"ST*837*0001*{PHI}~", "(18 characters)"),
        (
            "ST*837*0001*005010X222A1~",
            f"ST*837*{PHI}*005010X223A2~",
            "837 transaction set (18 characters) is not read",
        ),
    ]
    for old, new, expected in cases:
        said = _said(_variant(tmp_path, "837p/cob_secondary.x12", old, new))
        assert expected in said, (new, said)
        assert "DOE" not in said and "987654320" not in said, new
    said = _said(_variant(tmp_path, "837p/cob_secondary.x12", "LX*2~", "LX*7~"))
    assert "LX01 is '7', expected 2" in said
    # A name without a space, as long as a control number (the batch tester): by its length too;
    # a short typo is still quoted.
    for old, new, expected in (
        ("*000000204*0*T*", "*SMITHJOHN*0*T*", "ISA13 is (9 characters); expected nine digits"),
        ("*1000*204*X*", "*1000*SMITHJ*X*", "GS06 is (6 characters); expected 1 to 9 digits"),
        ("*1000*204*X*", "*1000*A1*X*", "GS06 is 'A1'; expected 1 to 9 digits"),
        # A version quoted when of a version's shape only (the reviewer: `MARYJONES` was).
        ("*X*005010X222A1~", "*X*SMITHJOHN~", "GS08 (9 characters)"),
        ("*X*005010X222A1~", "*X*005010X223A2~", "GS08 '005010X223A2'"),
    ):
        said = _said(_variant(tmp_path, "837p/cob_secondary.x12", old, new))
        assert expected in said and "SMITH" not in said, said
    # The 835's not-read line too, and its GS08.
    for old, new in (("ST*835*0001~", f"ST*835*{PHI}~"), ("*X*005010X221A1~", f"*X*{PHI}~")):
        said = _said(_variant(tmp_path, "835/partly_paid.x12", old, new), "835")
        assert "(18 characters)" in said and "DOE" not in said, said


def test_an_answer_of_a_medical_necessity_form_is_not_quoted(tmp_path: Path) -> None:
    """FRM04 is a date in the patient's care (an answer of a DME certificate, 837P 2440): one that
    is no date is said by its length, as a DTP's is (the PHI reviewer)."""
    text = (Path(__file__).parent / "rich" / "837p.x12").read_text()
    assert "FRM*1B**A~" in text
    path = tmp_path / "frm.x12"
    path.write_text(text.replace("FRM*1B**A~", "FRM*1B***19331317~", 1))
    said = _said(path)
    assert "FRM04 (8 characters) is not a date" in said, said
    assert "19331317" not in said


def test_a_short_name_or_diagnosis_where_a_number_goes_is_not_quoted(tmp_path: Path) -> None:
    """Values of 4 characters or fewer were quoted as typos wherever a number goes: a short name
    (`LEE`, `JANE`) or an ICD-10 code (`I10`) shifted into a count or an amount by a lost separator
    was shown (the walker and specialty testers). A short value is quoted only when it starts as a
    number does (`13O`, a typo)."""
    for shifted in ("JANE", "LEE", "I10"):
        path = _variant(tmp_path, "837p/cob_secondary.x12", "*UN*1*", f"*UN*{shifted}*")
        said = _said(path)
        assert f"SV104 ({len(shifted)} characters) is not a decimal number" in said
        assert shifted not in said
    path = _variant(tmp_path, "835/partly_paid.x12", "CLP*PCN2002*1*90*", "CLP*PCN2002*1*ANN*")
    said = _said(path, "835")
    assert "CLP03 (3 characters) is not a decimal number" in said and "ANN" not in said
    # A typo of a number is still quoted: it is no data of a person.
    path = _variant(tmp_path, "837p/cob_secondary.x12", "*UN*1*", "*UN*1O*")
    assert "SV104 is '1O', not a decimal number" in _said(path)


def test_a_diagnosis_of_the_e_chapter_where_a_number_goes_is_not_quoted(tmp_path: Path) -> None:
    """`E119`, `E1165`, `E785` (ICD-10 chapter E) are made of what numbers are written with (an
    exponent's E and digits) and were quoted as numbers (the reviewer)."""
    for code in ("E119", "E1165", "e785"):
        path = _variant(tmp_path, "837p/cob_secondary.x12", "*UN*1*", f"*UN*{code}*")
        said = _said(path)
        assert f"SV104 ({len(code)} characters) is not a decimal number" in said
        assert code not in said
    path = _variant(tmp_path, "835/partly_paid.x12", "CLP*PCN2002*1*90*", "CLP*PCN2002*1*E785*")
    said = _said(path, "835")
    assert "CLP03 (4 characters) is not a decimal number" in said and "E785" not in said
    # An exponent's form of a number is quoted still: no person's data.
    path = _variant(tmp_path, "837p/cob_secondary.x12", "*UN*1*", "*UN*1E5*")
    assert "SV104 is '1E5', not a decimal number" in _said(path)


def test_a_procedure_or_diagnosis_code_in_a_number_or_code_element_is_not_quoted(
    tmp_path: Path,
) -> None:
    """`3E03305` (an ICD-10-PCS code: digits and an E) was quoted as a number with an exponent, and
    `I10` where a unit code goes as a short code (the second reviewer)."""
    path = _variant(tmp_path, "837p/cob_secondary.x12", "*UN*1*", "*UN*3E03305*")
    said = _said(path)
    assert "SV104 (7 characters) is not a decimal number" in said and "3E03305" not in said
    path = _variant(tmp_path, "837p/cob_secondary.x12", "*UN*1*", "*I10*1*")
    said = _said(path)
    assert "SV103" in said and "I10" not in said


def test_a_procedure_code_with_an_e_and_a_diagnosis_in_a_format_are_not_quoted(
    tmp_path: Path,
) -> None:
    """`02723E6` (an ICD-10-PCS code ending E6) was quoted as a number with an exponent, and `I10`
    where DTP02 goes through the checks' own code test (the third reviewer)."""
    path = _variant(tmp_path, "837p/cob_secondary.x12", "*UN*1*", "*UN*02723E6*")
    said = _said(path)
    assert "SV104 (7 characters) is not a decimal number" in said and "02723E6" not in said
    path = _variant(tmp_path, "837p/cob_secondary.x12", "DTP*472*D8*", "DTP*472*I10*")
    said = _said(path)
    assert "(DTP02) is no code" in said and "I10" not in said
    # An 835's reason codes of that shape (CARC B13, RARC N95) are codes there, and quoted.
    seven = "CAS*CO*45*50.00**1*1**2*1**3*1**4*1**5*1**B13*1.00~"
    path = _variant(tmp_path, "835/partly_paid.x12", "CAS*CO*45*50.00~", seven)
    assert "(CAS20 on: CO B13 1.00)" in _said(path, "835")


def test_envelope_codes_and_control_numbers_and_revenue_codes_of_a_persons_data_are_not_quoted(
    tmp_path: Path,
) -> None:
    """`GS07 SMITHJOHN`, `GS06 E119` and a revenue code `E119` were quoted (the final 837 fuzz
    tester): a name or a diagnosis where a code or a control number goes is said by its length."""
    text = (FIXTURES / "837p/drug.x12").read_text()
    gs = text[text.index("GS*") : text.index("~", text.index("GS*"))]
    parts = gs.split("*")
    for position, value in ((7, "SMITHJOHN"), (6, "E119")):
        changed = list(parts)
        changed[position] = value
        path = tmp_path / "gs.x12"
        path.write_text(text.replace(gs, "*".join(changed)))
        said = _said(path)
        assert f"GS{position:02d} is ({len(value)} characters)" in said and value not in said
    path = _variant(tmp_path, "837i/inpatient.x12", "SV2*0250*", "SV2*E119*")
    said = _said(path)
    assert "(institutional.revenue_code, SV201) is a value" in said and "E119" not in said
