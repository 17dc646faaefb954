"""Element sizes and X12 syntax relations of what an 837 claim writes (`claim_syntax`), checked by
`check_claims` and refused by `write_837(check=True)`; the tables against the maps in
../shared/maps (skipped when they are absent)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import edi
from edi.models.claim_lines import Tooth
from edi.models.claim_segments import FileInformation
from edi.models.common import Contact
from edi.transactions.claim_checks import check_claim
from edi.transactions.claim_syntax import _RELATIONS, _SIZES, relations, sizes
from edi.transactions.x12_syntax import Size, is_date_time, relation_problem
from tests import pyx12_oracle

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MAPS = Path(__file__).resolve().parents[2] / "shared" / "maps"  # beside the project checkout
_MAP_FILES = (  # in the order the tables follow them
    "837.5010.X222.A1.full.txt",
    "837Q3.I.5010.X223.A1.full.txt",
    "837D.5010.X224.A2.full.txt",
)


def one(case: str) -> edi.Claim:
    return edi.load_claims(FIXTURES / f"{case}.json")[0]


def refused(claim: edi.Claim) -> list[str]:
    """What a checked `write_837` refuses: the same as `check_claims` says."""
    with pytest.raises(edi.ClaimCheckError) as raised:
        edi.write_837([claim])
    assert list(raised.value.problems) == edi.check_claims([claim])
    return list(raised.value.problems)


# -- the relations, one kind at a time ----------------------------------------------------------------


def test_exclusion_and_conditional_n4() -> None:
    """N4 E0207 (state or country subdivision) and C0704 (a subdivision with its country)."""
    claim = one("837p/subscriber_is_patient")
    claim.billing_provider.country_subdivision = "ON"
    pcn = claim.patient_control_number
    assert refused(claim) == [
        f"claim {pcn}: billing provider (2010AA): N4 has N402 (state) and N407 "
        "(country_subdivision); only one of them may be given (X12 syntax E0207)",
        f"claim {pcn}: billing provider (2010AA): N4 has N407 (country_subdivision) without N404 "
        "(country), which it requires (X12 syntax C0704)",
    ]


def test_paired_per_numbers() -> None:
    """PER P0506: a second number with its qualifier (837I submitter's PER, 1000A)."""
    claim = one("837i/inpatient")
    claim.header.submitter.contacts = [
        Contact(function="IC", name="EDI", qualifier_1="TE", number_1="8005550100", number_2="12")
    ]
    assert check_claim(claim) == [
        "submitter (1000A): PER has PER06 (contacts[0].number_2) without PER05 "
        "(contacts[0].qualifier_2); they go together (X12 syntax P0506)"
    ]


def test_required_relation_of_the_drug_ref() -> None:
    """2410 REF R0203: a prescription number's qualifier without the number (REF03 is not used
    by any 837 REF, so REF02 is what the relation asks for)."""
    claim = one("837p/drug")
    drug = claim.lines[0].drug
    assert drug is not None and check_claim(claim) == []
    drug.prescription_type, drug.prescription_number = "XZ", None
    assert check_claim(claim) == [
        "line 1: drug (2410): REF has no REF02 (prescription_number), which X12 requires (X12 "
        "syntax R0203)"
    ]


def test_a_relation_a_required_element_satisfies_is_not_said_again() -> None:
    claim = one("837i/inpatient")
    claim.header.submitter.id = None  # NM109 required there: said once, not as P0809 too
    assert check_claim(claim) == [
        "submitter (1000A): NM1 without NM109 (id); the 837I guide requires it"
    ]


@pytest.mark.parametrize(
    ("kind", "present", "expected"),
    [
        ("P", [True, False], "has A without B; they go together"),
        ("R", [False, False], "has none of A, B; one of them is required"),
        ("E", [True, True], "has A and B; only one of them may be given"),
        ("C", [True, False], "has A without B, which it requires"),
        ("L", [True, False], "has A without B, one of which it requires"),
        ("L", [False, False], None),
        ("C", [False, True], None),
    ],
)
def test_relation_words(kind: str, present: list[bool], expected: str | None) -> None:
    assert relation_problem(kind, present, ["A", "B"]) == expected


def test_relations_left_out_are_those_among_elements_no_837_map_uses() -> None:
    assert [r.text for r in relations("NM1")] == ["P0809"]  # NM110-NM112 are not used
    assert [r.text for r in relations("N4")] == ["E0207", "C0704"]  # N405, N406 are not used
    assert [(r.text, r.positions) for r in relations("REF")] == [("R0203", (2,))]
    assert relations("CUR") == () and relations("CAS") == ()


# -- sizes -----------------------------------------------------------------------------------------


def test_sizes_837p_text_and_number() -> None:
    claim = one("837p/subscriber_is_patient")
    claim.billing_provider.name = "A" * 61
    claim.total_charge = Decimal("1234567890123456789")  # 19 digits; CLM02 takes 18
    claim.lines[0].professional.modifiers = ["ABC"]  # type: ignore[union-attr]
    pcn = claim.patient_control_number
    problems = refused(claim)
    assert (
        f"claim {pcn}: billing provider (2010AA): NM103 (name) is 61 characters long; the 837P "
        "guide takes 1 to 60 characters there"
    ) in problems
    assert (
        f"claim {pcn}: CLM02 (total_charge) has 19 digits; the 837P guide takes at most 18 digits"
        in problems
    )
    assert (
        f"claim {pcn}: line 1: SV101-03 (professional.modifiers[0]) is 3 characters long; the "
        "837P guide takes 2 characters there"
    ) in problems
    assert not any("A" * 61 in p for p in problems)  # a name is never quoted (PHI)


def test_sizes_837i_minimum_and_time() -> None:
    claim = one("837i/inpatient")
    claim.subscriber.postal_code = "12"  # N403 takes 3 to 15
    claim.header.time = "93"  # BHT05: HHMM at least
    assert check_claim(claim) == [
        "transaction header (BHT): BHT05 (time) is no time; the 837I guide takes a time of 4 to 8 "
        "digits (HHMM, HHMMSS, ...)",
        "subscriber (2010BA): N403 (postal_code) is 2 characters long; the 837I guide takes 3 to "
        "15 characters there",
    ]


@pytest.mark.parametrize(
    ("time", "fits"),
    [
        # X12 TM: HHMM, HHMMSS, HHMMSSD or HHMMSSDD; hours 00-23, minutes and seconds 00-59 (as
        # GS05 is read: `edi envelopes` refuses GS05 2400).
        ("0000", True),
        ("2359", True),
        ("235959", True),
        ("2359599", True),
        ("23595999", True),
        ("2400", False),
        ("1060", False),
        ("100060", False),
        ("10005", False),  # seconds are two digits
    ],
)
def test_a_bht05_time_has_an_hour_and_minutes_of_the_clock(time: str, fits: bool) -> None:
    claim = one("837i/inpatient")
    claim.header.time = time
    said = (
        "transaction header (BHT): BHT05 (time) is no time; the 837I guide takes a time of 4 to 8 "
        "digits (HHMM, HHMMSS, ...)"
    )
    assert check_claim(claim) == ([] if fits else [said])


def test_sizes_837i_institutional_claim_codes() -> None:
    """CL1 (837I map lines 357-359): CL101 and CL102 one character, CL103 one or two."""
    claim = one("837i/inpatient")
    claim.admission_type = "12"
    claim.patient_status = "001"
    assert check_claim(claim) == [
        "CL101 (admission_type) is 2 characters long; the 837I guide takes 1 character there",
        "CL103 (patient_status) is 3 characters long; the 837I guide takes 1 to 2 characters there",
    ]
    claim.patient_status = "01"  # one character fits CL103; a NUBC status has two digits
    claim.admission_type = "1"
    assert check_claim(claim) == []


def test_k3_text_is_no_qualifier() -> None:
    """K3 is a qualified segment of `claim_rules` whose K301 is text (AN 1/80), not a qualifier:
    its size and characters are checked, in a claim and in a line."""
    claim = one("837p/subscriber_is_patient")
    claim.file_information = [FileInformation(text="A" * 81)]
    claim.lines[0].file_information = [FileInformation(text="FIXED FORMAT ")]
    assert check_claim(claim) == [
        "K301 (file_information[0].text) is 81 characters long; the 837P guide takes 1 to 80 "
        "characters there",
        "line 1: K301 (file_information[0].text) ends with a space; X12 suppresses trailing spaces",
    ]


def test_sizes_837d_tooth() -> None:
    claim = one("837d/restorative")
    line = claim.lines[0]
    line.teeth = [Tooth(number="1" * 31, surfaces=["MOD"])]
    # Said once, by the tooth's code checks (claim_checks), not again as sizes.
    assert check_claim(claim) == [
        "line 1: tooth 1 (TOO): TOO02 (number) is a value, not a tooth of the universal national "
        "tooth designation (1-32, A-T; supernumerary 51-82, AS-TS)",
        "line 1: tooth 1 (TOO): TOO03-01 (surfaces[0]) is 'MOD', not a tooth surface code (B, D, F, "
        "I, L, M, O)",
    ]


def test_a_code_of_the_wrong_length_is_said_once() -> None:
    claim = one("837p/subscriber_is_patient")
    claim.frequency_code = "11"  # CLM05-03 takes one character, and is no frequency code either
    claim.subscriber.entity_type = "12"  # NM102: a code list, which says it
    problems = check_claim(claim)
    assert [p for p in problems if "NM102" in p] == [
        "subscriber (2010BA): NM102 (entity_type) is '12', not one of 1, 2 (837P)"
    ]


def test_segments_kept_from_the_file_read() -> None:
    """A second AMT*F5 is kept as read (`Layout.unmapped`): its sizes are checked too, and it counts
    against the segment's max use (837P map line 451: max_use=1)."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    # Before the REF*G1 (pos=1800), after the DTP*431 (pos=1350): AMT is at 1750 (map line 451).
    ref = text.index("REF*G1")
    amounts = "AMT*F5*1~AMT*F5*12345678901234567890~"
    claim = list(edi.read_claims(text[:ref] + amounts + text[ref:]))[0]
    assert edi.check_claims([claim]) == [
        "claim PCN1001: 2 AMT*F5 segments in loop 2300; an 837P claim has at most 1",
        "claim PCN1001: AMT kept from the file read: AMT02 (text kept from the file read) has 20 "
        "digits; the 837P guide takes at most 18 digits",
    ]


# -- characters ------------------------------------------------------------------------------------

_NOT_PRINTABLE = (
    "holds a character that is not printable (a control character, a line break, a no-break space "
    "...)"
)


def test_text_without_control_characters_or_trailing_spaces() -> None:
    """No X12 character set has a control character, and X12.6 suppresses trailing spaces (but to
    reach an element's shortest length): pyx12 refuses both. Named by position, never quoted (the
    text may be a name), as the 835 checks say it."""
    claim = one("837p/subscriber_is_patient")
    claim.subscriber.last_name = "DOE\tX"
    claim.billing_provider.name = "CLINIC "
    claim.billing_provider.address_line_1 = "200 OAK\u00a0AVE"  # a no-break space
    claim.patient_control_number = "PCN1001 "  # CLM01: claim_checks says its size, not characters
    claim.lines[0].professional.modifiers = ["25", "A\n"]  # type: ignore[union-attr]
    assert refused(claim) == [
        "claim PCN1001 : billing provider (2010AA): NM103 (name) ends with a space; X12 suppresses "
        "trailing spaces",
        f"claim PCN1001 : billing provider (2010AA): N301 (address_line_1) {_NOT_PRINTABLE} at "
        "position 8 of 11; X12 has none",
        f"claim PCN1001 : subscriber (2010BA): NM103 (last_name) {_NOT_PRINTABLE} at position 4 of 5; "
        "X12 has none",
        "claim PCN1001 : CLM01 (patient_control_number) ends with a space; X12 suppresses trailing "
        "spaces",
        f"claim PCN1001 : line 1: SV101-04 (professional.modifiers[1]) {_NOT_PRINTABLE} at position 2 "
        "of 2; X12 has none",
    ]
    # Accepted: a space inside or leading, one that pads a text up to its shortest length (SV101-03
    # is AN 2/2; pyx12 takes it), other languages' letters (left to the trading partners by X12.6).
    claim = one("837p/subscriber_is_patient")
    claim.billing_provider.name = " EXAMPLE  CLINIC"
    claim.subscriber.last_name = "TESTPATIENTÉ"
    claim.lines[0].professional.modifiers = ["A "]  # type: ignore[union-attr]
    assert check_claim(claim) == []
    claim.lines[0].professional.modifiers = ["AB", "AB "]  # type: ignore[union-attr]
    assert check_claim(claim) == [
        "line 1: SV101-04 (professional.modifiers[1]) is 3 characters long; the 837P guide takes 2 "
        "characters there",
        "line 1: SV101-04 (professional.modifiers[1]) ends with a space; X12 suppresses trailing "
        "spaces",
    ]


def test_a_code_its_code_list_refuses_is_said_once() -> None:
    claim = one("837i/inpatient")
    claim.subscriber.entity_type = "1 "  # NM102: not one of its codes, said by the code list alone
    claim.subscriber.gender = "F\t"  # DMG03 too
    assert check_claim(claim) == [
        "subscriber (2010BA): DMG03 (gender) is a value, not one of F, M, U (837I)",
        "subscriber (2010BA): NM102 (entity_type) is a value, not one of 1, 2 (837I)",
    ]


def test_characters_of_text_kept_from_the_file_read() -> None:
    """A claim read: its fields' text, element text kept as read (a DTP03 that is no date) and
    segments kept as read (a second CN1, one too many) are checked alike."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    for old, new in [
        ("NM1*IL*1*TESTPATIENT*", "NM1*IL*1*TESTPATIENT *"),
        ("DTP*431*D8*20240301~", "DTP*431*D8*2024030\t~"),
        # CN1 (837P map line 444: pos=1600) before the REF*G1 (pos=1800), in the guide's order
        ("REF*G1*AUTH1001~", "CN1*02*100~CN1*02*100**A\tB~REF*G1*AUTH1001~"),
    ]:
        assert old in text
        text = text.replace(old, new)
    claim = list(edi.read_claims(text))[0]
    assert edi.check_claims([claim]) == [
        "claim PCN1001: subscriber (2010BA): NM103 (last_name) ends with a space; X12 suppresses "
        "trailing spaces",
        f"claim PCN1001: DTP03 (text kept from the file read) {_NOT_PRINTABLE} at position 8 of 8; "
        "X12 has none",
        "claim PCN1001: DTP*431 DTP03 (text kept from the file read) is no date of its format "
        "(DTP02 D8: CCYYMMDD)",
        f"claim PCN1001: CN1 kept from the file read: CN104 (text kept from the file read) "
        f"{_NOT_PRINTABLE} at position 2 of 3; X12 has none",
        # CN1 once in the claim (837P map line 444: max_use=1)
        "claim PCN1001: 2 CN1 segments in loop 2300 (kept from the file read past the first); an "
        "837P claim has at most 1",
    ]


def test_a_byte_that_is_no_utf8_is_written_back_as_read() -> None:
    """A Latin-1 letter in a file read as UTF-8 is kept as a lone surrogate (`surrogateescape`) and
    written back as that byte: it is no control character, and the checks let it through."""
    data = (FIXTURES / "837p/subscriber_is_patient.x12").read_bytes()
    latin1 = data.replace(b"NM1*IL*1*TESTPATIENT*", b"NM1*IL*1*TESTPATI\xc9NT*")
    assert latin1 != data
    claims = list(edi.read_claims(latin1))
    assert edi.check_claims(claims) == []
    assert edi.write_837(claims).encode("utf-8", "surrogateescape") == latin1


@pytest.mark.parametrize(
    ("size", "text", "carried"),
    [
        (Size("AN", 1, 60), "DOE", True),
        (Size("AN", 1, 60), " DOE  JR", True),  # leading and inner spaces
        (Size("AN", 1, 60), "DOE ", False),
        (Size("AN", 1, 60), "DOE\t", False),
        (Size("AN", 1, 60), "DO\u00a0E", False),  # a no-break space
        (Size("AN", 1, 60), "DOÉ", True),
        (Size("AN", 1, 60), "DO\udcc9", True),  # a byte that is no UTF-8, read as it was
        (Size("AN", 2, 2), "A ", True),  # a space that pads it to its shortest length
        (Size("AN", 2, 2), "AB ", False),
        (Size("ID", 2, 3), "XX\n", False),
        (Size("R", 1, 18), "1 ", True),  # a number: `fits` sees to its characters
    ],
)
def test_what_text_x12_carries(size: Size, text: str, carried: bool) -> None:
    assert size.carries(text) is carried
    assert (size.text_problem(text) is None) is carried


def test_size_wording() -> None:
    assert Size("R", 1, 18).measure("-123.45") == 5
    assert Size("AN", 2, 2).takes() == "2 characters"
    assert not Size("TM", 4, 8).fits("12:3")


def test_pyx12_refuses_what_is_refused() -> None:
    """The X12 rules are pyx12's too: written unchecked, the claim is refused by both."""
    claim = one("837p/subscriber_is_patient")
    claim.billing_provider.country_subdivision = "ON"
    claim.subscriber.last_name = "B" * 61
    assert check_claim(claim)
    errors = pyx12_oracle.validation_errors(edi.write_837([claim], check=False))
    assert errors and any("N4" in e for e in errors)
    claim = one("837p/subscriber_is_patient")
    claim.subscriber.last_name = "DOE\tX"
    claim.billing_provider.name = "CLINIC "
    assert check_claim(claim)
    errors = pyx12_oracle.validation_errors(edi.write_837([claim], check=False))
    assert any("invalid control character" in e for e in errors)
    assert any("trailing spaces" in e for e in errors)


# -- the tables against the maps ----------------------------------------------------------------------

_SEG = re.compile(r"^\s*SEG (\w+)\s.*?(?:syntax=(\S+))?\s*$")
_EL = re.compile(
    r"^\s+([A-Z][A-Z0-9]{1,2})(\d\d)(?:-(\d\d))? usage=\S+(?: de=\S+)? (\w+) (\d+)/(\d+)"
)


def _map_rows() -> tuple[dict[str, dict[str, Size]], dict[str, set[str]]]:
    """Per segment, each element's size as the first map (837P, 837I, 837D) gives it, and the
    relations the maps give."""
    found: dict[str, dict[str, Size]] = {}
    given: dict[str, set[str]] = {}
    for name in _MAP_FILES:
        seg = ""
        for line in (MAPS / name).read_text().splitlines():
            m = _SEG.match(line)
            if m:
                seg = m.group(1)
                if m.group(2):
                    given.setdefault(seg, set()).update(m.group(2).split(","))
                continue
            e = _EL.match(line)
            if e and e.group(1) == seg:
                ref = e.group(2) + (f"-{e.group(3)}" if e.group(3) else "")
                size = Size(e.group(4), int(e.group(5)), int(e.group(6)))
                found.setdefault(seg, {}).setdefault(ref, size)
    return found, given


def test_tables_are_the_maps() -> None:
    if not MAPS.is_dir():
        pytest.skip(f"the map dumps are not at {MAPS}")
    found, given = _map_rows()
    for seg_id in _SIZES:
        ours = sizes(seg_id)
        theirs = found[seg_id]
        if seg_id == "HI":  # HI02-HI12 as HI01
            theirs = {ref: s for ref, s in theirs.items() if ref.startswith("01-")}
            assert {ref[3:]: s for ref, s in found["HI"].items() if ref.startswith("12-")} == {
                ref[3:]: s for ref, s in theirs.items()
            }
        if seg_id == "CAS":  # CAS05-19: the triplet CAS02-04 again
            theirs = {ref: s for ref, s in theirs.items() if int(ref) <= 4}
        assert ours == theirs, seg_id
    for seg_id, spec in _RELATIONS.items():
        assert set(spec.split()) == given[seg_id], seg_id
    assert set(given) <= set(_RELATIONS) | {"ISA", "GS", "ST", "HL", "LX", "SE", "GE", "IEA"}


@pytest.mark.parametrize(
    ("fmt", "value", "ok"),
    [
        ("D8", "20240229", True),  # a leap day
        ("D8", "20230229", False),
        ("D8", "20240230", False),
        ("D8", "2024022", False),
        ("D8", "２０２４０２２８", False),  # digits, but not ASCII ones
        ("RD8", "20240201-20240229", True),
        ("RD8", "20240201-20241301", False),
        ("RD8", "20240201", False),
        ("DT", "202402011259", True),
        ("DT", "202402012400", False),
        ("TM", "2359", True),
        ("TM", "2360", False),
        ("XX", "anything", True),  # a format without a shape: not checked
    ],
)
def test_is_date_time(fmt: str, value: str, ok: bool) -> None:
    assert is_date_time(fmt, value) is ok


def test_a_monetary_amount_is_an_r_1_18_element_in_every_map() -> None:
    """`Size.is_money` takes an R 1/18 element for a monetary amount (data element 782), whose
    HIPAA limit (`MONEY_RULE`) both writers check: in every map, the two are the same elements."""
    if not MAPS.is_dir():
        pytest.skip("../shared/maps is absent")
    pairs = [
        (bool(re.search(r" R 1/18 ", line)), "de=782 " in line)
        for path in sorted(MAPS.glob("*.full.txt"))
        for line in path.read_text().splitlines()
        if " de=" in line
    ]
    assert sum(money for money, _ in pairs) > 200
    assert all(money == de782 for money, de782 in pairs)


def test_a_claim_amount_with_a_fraction_of_a_cent_is_refused() -> None:
    """HIPAA limits data element 782 to ten digits counting the cents (the guides' B.1.1.3.1.2,
    quoted by X12 RFI 1526): `175.005` was written as it was. `175.000` has reported places past the
    cents, which the RFI says must be suppressed: refused too (the purist tester)."""
    claim = one("837p/subscriber_is_patient")
    claim.total_charge = Decimal("175.005")
    claim.lines[0].professional.charge = Decimal("125.005")  # type: ignore[union-attr]
    said = check_claim(claim)
    assert len(refused(claim)) == 2  # and write_837 refuses it
    assert said[0].startswith("CLM02 (total_charge) has a fraction of a cent; HIPAA limits a")
    assert said[1].startswith("line 1: SV102 (professional.charge) has a fraction of a cent")
    claim.total_charge = Decimal("175.000")
    claim.lines[0].professional.charge = Decimal("125.000")  # type: ignore[union-attr]
    assert [p.partition(" (X12")[0] for p in check_claim(claim)] == [
        "CLM02 (total_charge) has zeros past the cents, which X12 leaves out of an amount",
        "line 1: SV102 (professional.charge) has zeros past the cents, which X12 leaves out of an "
        "amount",
    ]
    claim.total_charge = Decimal("175.00")
    claim.lines[0].professional.charge = Decimal("125.00")  # type: ignore[union-attr]
    assert check_claim(claim) == []
    claim.total_charge = Decimal("100000050")
    claim.lines[0].professional.charge = Decimal("100000000")  # type: ignore[union-attr]
    assert check_claim(claim)[0].startswith("CLM02 (total_charge) is more than 99999999.99; HIPAA")


def test_a_count_read_that_is_no_number_is_said_once_as_no_number(tmp_path: Path) -> None:
    """SV104 `X` (837P) and SV205 `X` (837I): the checks said "no service unit count" beside "has 0
    digits; the guide takes at most 15 digits" (0 is within at most 15). One problem, and still one:
    `write_837` must not write the `X` back."""
    source = tmp_path / "sv104.837"
    text = (FIXTURES / "837p/drug.x12").read_text()
    source.write_text(text.replace("SV1*HC:J1745*120*UN*10*", "SV1*HC:J1745*120*UN*X*"))
    claims = list(edi.read_claims(source))
    problems = edi.check_claims(claims)
    assert problems == ["claim PCN5001: line 1: SV104 (text kept from the file read) is no number"]
    # Coded: `edi claims` leaves it to the reader, which said it at the SV1 (the second reviewer).
    assert problems[0].code == "kept-no-number"
    source = tmp_path / "sv205.837"
    text = (FIXTURES / "837i/inpatient.x12").read_text()
    first = next(line for line in text.split("~") if line.lstrip().startswith("SV2*"))
    elements = first.split("*")
    elements[5] = "X"
    source.write_text(text.replace(first, "*".join(elements), 1))
    claims = list(edi.read_claims(source))
    (problem,) = edi.check_claims(claims)
    assert problem.endswith("line 1: SV205 (text kept from the file read) is no number")
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)


def test_a_kept_segments_count_that_is_no_number_is_said_as_no_number(tmp_path: Path) -> None:
    """`QTY*PT*DOE` (a name where the count goes) is kept whole: its QTY02 was "has 0 digits; the
    guide takes at most 15 digits", which says no fault (the specialty tester)."""
    text = (FIXTURES / "837p/ambulance_dme.x12").read_text()
    line = "SV1*HC:A0427:RH*500*UN*1***1~\nDTP*472*D8*20240310~\n"
    assert text.count(line) == 1
    source = tmp_path / "qty.837"
    source.write_text(text.replace(line, line + "QTY*PT*DOE~\n").replace("SE*59*", "SE*60*"))
    claims = list(edi.read_claims(source))
    problems = [p for p in edi.check_claims(claims) if "QTY02" in p]
    assert problems == [
        "claim PCN8001: line 1: QTY kept from the file read: QTY02 (text kept from the file read) "
        "is no number; the 837P guide takes at most 15 digits"
    ]


def test_a_group_items_problem_names_its_own_element() -> None:
    """A problem of an HI code or a CAS triplet was said of the segment's first group: the second
    other diagnosis (HI02) and a value code's third composite were both `HI01-...` (the outpatient
    tester). Named as written: HI02-03, and CAS05 for a second triplet."""
    claim = edi.load_claims(FIXTURES / "837i/inpatient.json")[0]
    assert [c.qualifier for c in claim.codes[2:4]] == ["ABF", "ABF"]  # one HI: HI01, HI02
    claim.codes[3].date_format = "ABCD"
    problems = [p for p in check_claim(claim) if "codes[3].date_format" in p]
    assert problems == [
        "HI02-03 (codes[3].date_format) is 4 characters long; the 837I guide takes 2 to 3 "
        "characters there"
    ]
    assert problems[0].element == "HI02-03"
    claim.codes[3].date_format = None
    claim.codes[2].date_format = "ABCD"  # the first of its HI: HI01
    assert [p.element for p in check_claim(claim) if "codes[2].date_format" in p] == ["HI01-03"]
