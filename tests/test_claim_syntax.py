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
from edi.models.common import Contact
from edi.transactions.claim_checks import check_claim
from edi.transactions.claim_syntax import _RELATIONS, _SIZES, relations, sizes
from edi.transactions.x12_syntax import Size, relation_problem
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


def test_sizes_837i_institutional_claim_codes() -> None:
    """CL1 (837I map lines 357-359): CL101 and CL102 one character, CL103 one or two."""
    claim = one("837i/inpatient")
    claim.admission_type = "12"
    claim.patient_status = "001"
    assert check_claim(claim) == [
        "CL101 (admission_type) is 2 characters long; the 837I guide takes 1 character there",
        "CL103 (patient_status) is 3 characters long; the 837I guide takes 1 to 2 characters there",
    ]
    claim.patient_status = "1"
    claim.admission_type = "1"
    assert check_claim(claim) == []


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
    """A second AMT*F5 is kept as read (`Layout.unmapped`): its sizes are checked too."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    clm = re.search(r"CLM\*[^~]*~\s*", text)
    assert clm is not None
    amounts = "AMT*F5*1~AMT*F5*12345678901234567890~"
    claim = list(edi.read_claims(text[: clm.end()] + amounts + text[clm.end() :]))[0]
    assert edi.check_claims([claim]) == [
        "claim PCN1001: AMT kept from the file read: AMT02 (text kept from the file read) has 20 "
        "digits; the 837P guide takes at most 18 digits"
    ]


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
