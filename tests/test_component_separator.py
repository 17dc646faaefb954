"""A file whose ISA16 names another component separator than the one its composites use.

Every composite would come apart wrong (SVC01, CLM05, HI, SV101 without their codes) and each would be
a problem of its own, then again a claim check. When the evidence is clear (no element of the set
holds ISA16's character, and every unsplit composite holds one same other one) the set is read with
the separator its composites use, and that is said once, as a TA1 would (note code 027).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import edi
from edi.errors import InputError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def declaring(path: Path, isa16: str) -> tuple[str, str]:
    """The fixture's text, and a copy whose ISA16 says `isa16` (its composites still use ':')."""
    text = path.read_text()
    isa, rest = text.split("~", 1)
    assert isa.startswith("ISA") and isa.endswith("*:") and ">" not in text
    return text, f"{isa[:-1]}{isa16}~{rest}"


def test_an_835_whose_isa16_is_wrong_is_read_with_the_separator_its_composites_use() -> None:
    good, bad = declaring(FIXTURES / "835" / "partly_paid.x12", ">")
    (expected,) = edi.read_remittances(good)
    reader = edi.read_remittances(bad)
    (remit,) = reader
    # One problem, at the first SVC, in place of one per service line.
    (problem,) = reader.diagnostics
    assert problem.code == "envelope.component_separator"
    assert problem.ack == "TA1:027"
    assert problem.location is not None and problem.location.segment_id == "SVC"
    assert "ISA16 gives '>'" in problem.message and "composites use ':'" in problem.message
    assert "SVC01 at segment 24, SVC01 at segment 30" in problem.message
    # What was read is what the file means: the service codes are there ...
    assert remit == expected
    assert [s.code for c in remit.claims for s in c.services] == ["99214", "80053"]
    # ... and written back, ISA16 names the separator the composites use.
    assert edi.write_835([remit], check=False) == good


def test_an_837_whose_isa16_is_wrong_is_read_once_said_and_its_claims_check_clean() -> None:
    good, bad = declaring(FIXTURES / "837p" / "dependent.x12", ">")
    expected = list(edi.read_claims(good))
    reader = edi.read_claims(bad)
    claims = list(reader)
    (problem,) = reader.diagnostics
    assert problem.code == "envelope.component_separator"
    assert "(CLM05 at segment 18, HI01 at segment 19, SV101 at segment 21 and 8 more)" in (
        problem.message
    )
    assert claims == expected
    assert edi.check_claims(claims) == []
    assert edi.write_837(claims, check=False) == good


def test_strict_reading_raises_the_wrong_isa16_as_an_input_error() -> None:
    _, bad = declaring(FIXTURES / "835" / "partly_paid.x12", ">")
    with pytest.raises(InputError, match="ISA16 gives '>'"):
        list(edi.read_remittances(bad, strict=True))


def test_one_unsplit_composite_among_split_ones_is_its_own_problem() -> None:
    # The set holds ISA16's ':' elsewhere, so ISA16 is right and the one SVC01 is wrong.
    good = (FIXTURES / "835" / "partly_paid.x12").read_text()
    bad = good.replace("SVC*HC:80053", "SVC*HC>80053", 1)
    assert bad != good
    reader = edi.read_remittances(bad)
    (remit,) = reader
    codes = [d.code for d in reader.diagnostics]
    assert codes == ["remit.procedure_code_missing"]
    assert [s.code for c in remit.claims for s in c.services] == ["99214", None]


def test_composites_holding_different_characters_are_not_resplit() -> None:
    # ':' in one SVC01, '|' in the other: no one separator to read them with.
    good, bad = declaring(FIXTURES / "835" / "partly_paid.x12", ">")
    bad = bad.replace("SVC*HC:80053", "SVC*HC|80053", 1)
    reader = edi.read_remittances(bad)
    list(reader)
    codes = [d.code for d in reader.diagnostics]
    assert codes == ["remit.procedure_code_missing"] * 2


def test_the_separator_is_read_off_the_composites_not_their_segments() -> None:
    # SVC01 uses '|'; the same SVCs hold ':' in SVC06: '|' is what the composites use.
    good, bad = declaring(FIXTURES / "835" / "partly_paid.x12", ">")
    bad = bad.replace("SVC*HC:99214", "SVC*HC|99214").replace(
        "SVC*HC:80053*70.00*20.00**1~", "SVC*HC|80053*70.00*20.00**1*HC:80050~"
    )
    reader = edi.read_remittances(bad)
    (remit,) = reader
    resplit = [d for d in reader.diagnostics if d.code == "envelope.component_separator"]
    assert len(resplit) == 1 and "composites use '|'" in resplit[0].message
    assert [s.code for c in remit.claims for s in c.services] == ["99214", "80053"]


def test_strict_reading_of_an_837_whose_isa16_is_wrong_raises() -> None:
    _, bad = declaring(FIXTURES / "837p" / "dependent.x12", ">")
    with pytest.raises(InputError, match="ISA16 gives '>'"):
        list(edi.read_claims(bad, strict=True))


def test_text_holding_isa16s_separator_does_not_keep_the_composites_unsplit() -> None:
    """A note that holds '>' (ISA16's) beside composites that use '|': the composites are the
    evidence, so the set is read with '|'; written back and read again, the claims are the same."""
    good = (FIXTURES / "837p" / "subscriber_is_patient.x12").read_text()
    bad = good.replace("*T*:~", "*T*>~", 1).replace(":", "|")  # ISA16 '>', composites '|'
    bad = bad.replace("FOLLOW-UP IN TWO WEEKS", "FOLLOW-UP IF BP > 140")
    expected = list(edi.read_claims(good))
    reader = edi.read_claims(bad)
    claims = list(reader)
    assert [d.code for d in reader.diagnostics] == ["envelope.component_separator"]
    services = [c.lines[0].professional for c in claims]
    assert [s.code for s in services if s is not None] == ["99214", "99395"]
    assert [c.codes for c in claims] == [c.codes for c in expected]
    again = list(edi.read_claims(edi.write_837(claims, check=False)))
    assert again == claims


def test_composites_that_split_at_isa16s_separator_keep_the_first_read() -> None:
    """ISA16 ':' is right: CLM05 and the HI split at it; only the SV101s were typed with '>'. Read
    with '>' the CLM05 would no longer split, so the first read stands, with its own problems."""
    good = (FIXTURES / "837p" / "subscriber_is_patient.x12").read_text()
    bad = good.replace("SV1*HC:", "SV1*HC>")
    reader = edi.read_claims(bad)
    claims = list(reader)
    codes = [d.code for d in reader.diagnostics]
    assert "envelope.component_separator" not in codes and codes.count("claim.composite") == 3
    assert [c.facility_code for c in claims] == ["11", "11"]


def test_a_qualifier_holding_isa16s_separator_keeps_the_first_read() -> None:
    """The loops were parsed with ISA16's '>', which cuts NM1*40>2024 to the receiver's NM1*40: read
    with ':' that NM1 would be another segment, and the file written would read back otherwise.
    The first read stands (found by fuzzing)."""
    _, bad = declaring(FIXTURES / "837p" / "dependent.x12", ">")
    bad = bad.replace("NM1*40*", "NM1*40>2024*", 1)
    reader = edi.read_claims(bad)
    claims = list(reader)
    codes = [d.code for d in reader.diagnostics]
    assert "envelope.component_separator" not in codes and "claim.composite" in codes
    again = list(edi.read_claims(edi.write_837(claims, check=False)))
    assert again == claims


def test_an_hl_holding_isa16s_separator_does_not_keep_the_first_read() -> None:
    """HL03 `20>X` is cut to 20 by ISA16's '>' when the loops are parsed; the writer makes every HL
    anew, so it does not stand in the way: the set is read with ':' and what is written reads back
    the same (found by fuzzing)."""
    good, bad = declaring(FIXTURES / "837p" / "dependent.x12", ">")
    bad = bad.replace("HL*1**20*1~", "HL*1**20>X*1~", 1)
    assert bad.count("20>X") == 1
    reader = edi.read_claims(bad)
    claims = list(reader)
    assert "envelope.component_separator" in [d.code for d in reader.diagnostics]
    assert claims == list(edi.read_claims(good))
    again = list(edi.read_claims(edi.write_837(claims, check=False)))
    assert again == claims
