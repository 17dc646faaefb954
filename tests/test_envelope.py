"""Envelope checks: control numbers and counts, with the TA1 / 999 codes of x12-notes §1.3."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import edi
from edi.diagnostics import Diagnostic, Severity
from edi.models.envelope import EnvelopeInfo, GroupHeader
from edi.transactions.common import EnvelopeChecker, SetReader
from edi.x12.delimiters import Delimiters
from edi.x12.envelope import EnvelopeReader, is_group_time, read_envelopes
from edi.x12.reader import SegmentReader
from edi.x12.segment import Segment
from tests.helpers import interchange, isa

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GS = "GS*HP*SENDER*RECEIVER*20240101*1200*{n}*X*005010X221A1~\n"


def lines(*segments: str) -> str:
    return "".join(s if s.endswith("\n") else s + "~\n" for s in segments)


def ISA(control: str = "000000001") -> str:
    return isa(control=control)[:-1]


def envelope_diags(text: str) -> list[Diagnostic]:
    reader = read_envelopes(text.encode())
    return [d for d in reader.diagnostics if d.code.startswith("envelope.")]


def only(diags: list[Diagnostic]) -> Diagnostic:
    assert len(diags) == 1, [str(d) for d in diags]
    return diags[0]


def where(diag: Diagnostic) -> tuple[str, int]:
    assert diag.location is not None
    return diag.location.segment_id, diag.location.line


def test_a_consistent_interchange_has_no_diagnostics():
    reader = read_envelopes(interchange().encode())
    assert reader.diagnostics == []
    [ic] = reader.interchanges
    assert (ic.control_number, ic.sender, ic.receiver, ic.version) == (
        "000000001",
        "ZZ:SENDER",
        "ZZ:RECEIVER",
        "00501",
    )
    assert (ic.date, ic.usage) == ("240101", "P")
    [group] = ic.groups
    assert (group.functional_id, group.control_number, group.version) == (
        "HP",
        "1",
        "005010X221A1",
    )
    assert (group.sender, group.receiver) == ("SENDER", "RECEIVER")
    [info] = group.sets
    assert (info.transaction_type, info.control_number, info.declared_count, info.actual_count) == (
        "835",
        "0001",
        "4",
        4,
    )


def test_transaction_sets_are_streamed_with_their_context():
    text = lines(
        ISA(),
        GS.format(n=7),
        "ST*835*0001*005010X221A1",
        "BPR*I",
        "SE*3*0001",
        "ST*835*0002",
        "SE*2*0002",
        "GE*2*7",
        "IEA*1*000000001",
    )
    reader = EnvelopeReader(text.encode())
    sets = list(reader)
    assert [(ts.control_number, [s.id for s in ts.segments]) for ts in sets] == [
        ("0001", ["ST", "BPR", "SE"]),
        ("0002", ["ST", "SE"]),
    ]
    first = sets[0]
    assert first.transaction_type == "835"
    assert first.header.id == "ST" and first.trailer is not None and first.trailer.id == "SE"
    assert first.version == "005010X221A1"
    assert sets[1].version == "005010X221A1"  # from GS08 when ST03 is absent
    assert first.group is not None and first.group.control_number == "7"
    assert first.interchange is reader.interchanges[0]
    assert first.delimiters.element == "*"
    assert reader.diagnostics == []


# -- interchange (TA1) -------------------------------------------------------------------------------


def test_iea02_mismatch_ta1_001():
    text = interchange().replace("IEA*1*000000001", "IEA*1*000000009")
    diag = only(envelope_diags(text))
    assert (diag.code, diag.ack) == ("envelope.iea02_mismatch", "TA1:001")
    assert where(diag) == ("IEA", 8)
    assert diag.location is not None and diag.location.element == "IEA02"
    assert "'000000009'" in diag.message and "'000000001'" in diag.message


def test_iea01_count_ta1_021():
    diag = only(envelope_diags(interchange().replace("IEA*1*", "IEA*2*")))
    assert (diag.code, diag.ack) == ("envelope.iea01_count", "TA1:021")
    assert where(diag) == ("IEA", 8)


def test_iea01_not_a_number_ta1_021():
    diag = only(envelope_diags(interchange().replace("IEA*1*", "IEA*X*")))
    assert diag.ack == "TA1:021"


def test_duplicate_isa13_ta1_025():
    text = interchange() + interchange(control="000000002") + interchange()
    diag = only(envelope_diags(text))
    assert (diag.code, diag.ack) == ("envelope.duplicate_isa13", "TA1:025")
    assert where(diag) == ("ISA", 17)
    assert "first at line 1" in diag.message


def test_missing_iea_ta1_023():
    text = interchange().replace("IEA*1*000000001~\n", "")
    diag = only(envelope_diags(text))
    assert (diag.code, diag.ack) == ("envelope.missing_iea", "TA1:023")
    assert where(diag) == ("GE", 7)  # the last segment read
    assert "end of the input" in diag.message


def test_missing_iea_before_next_isa_ta1_023():
    text = interchange().replace("IEA*1*000000001~\n", "") + interchange(control="000000002")
    diag = only(envelope_diags(text))
    assert diag.ack == "TA1:023"
    assert where(diag) == ("ISA", 8)


def test_isa_field_checks():
    text = interchange().replace("*240101*1200*", "*24011*2561*").replace("*0*P*", "*2*X*")
    acks = {d.ack for d in envelope_diags(text)}
    assert {"TA1:014", "TA1:015", "TA1:019", "TA1:020"} <= acks


@pytest.mark.parametrize(
    ("old", "new", "ack", "said"),
    [
        ("ISA*00*", "ISA*99*", "TA1:010", "ISA01 is '99'; expected 00 or 03"),
        ("*00*          *ZZ*", "*02*          *ZZ*", "TA1:012", "ISA03 is '02'; expected 00 or 01"),
        ("*ZZ*SENDER ", "*AA*SENDER ", "TA1:005", "ISA05 is 'AA'; expected one of 01, 14, 20"),
        ("*ZZ*RECEIVER ", "*AA*RECEIVER ", "TA1:007", "ISA07 is 'AA'; expected one of 01, 14"),
        ("*SENDER         *", "*" + " " * 15 + "*", "TA1:006", "ISA06 is '               '"),
        ("*RECEIVER       *", "*" + " " * 15 + "*", "TA1:008", "ISA08 is '               '"),
        # AN: a character outside printable ASCII is no id a partner routes on.
        ("*SENDER         *", "*SENDÉR         *", "TA1:006", "ISA06 is 'SENDÉR         '"),
        ("*RECEIVER       *", "*RECEIVER\t      *", "TA1:008", "ISA08 is 'RECEIVER\\t      '"),
    ],
)
def test_isa_qualifiers_and_ids(old: str, new: str, ack: str, said: str):
    # x12.control.00501: ISA01 00/03, ISA03 00/01, ISA05/07 01 14 20 27 28 29 30 33 ZZ; ISA06 and
    # ISA08 an id (x12-notes §11.2 for the TA105 notes).
    text = interchange()
    assert old in text
    diag = only(envelope_diags(text.replace(old, new, 1)))
    assert diag.ack == ack and diag.message.startswith(said)


def test_isa13_must_be_nine_digits_ta1_018():
    text = interchange(control="00000001A")
    assert [d.ack for d in envelope_diags(text)] == ["TA1:018"]


def test_isa_not_fixed_width_is_an_error():
    """The ISA is 106 characters; a shorter one is rejected (x12-notes §1.2, TA1 022/023 and the
    note of each element out of its width): read all the same, but an error, not a warning that
    let such a file pass with exit 0 (the intake tester)."""
    text = interchange().replace(isa()[:-1], isa(padded=False)[:-1])
    diag = only(envelope_diags(text))
    assert diag.code == "envelope.isa_width" and diag.severity is Severity.ERROR
    assert "ISA02" in diag.message and "ISA06" in diag.message
    assert diag.ack == "TA1:011"  # ISA02's note (x12-notes §11.2), the first out of its width
    # Which way each is wrong: one space too many is no padding missing (it said "not padded to
    # the required length" of both).
    text = interchange().replace("*SENDER         *", "*SENDER          *")
    diag = only(envelope_diags(text))
    assert diag.message == "ISA is not fixed-width: ISA06 is 16 characters, not 15"
    assert diag.ack == "TA1:006"  # invalid interchange sender id


def test_ta1_before_the_group_is_kept():
    text = lines(
        ISA(), "TA1*000000005*240101*1200*A*000", *interchange().splitlines(keepends=True)[1:]
    )
    reader = read_envelopes(text.encode())
    assert reader.diagnostics == []
    assert [s.text() for s in reader.interchanges[0].acknowledgements] == [
        "TA1*000000005*240101*1200*A*000"
    ]


@pytest.mark.parametrize(
    ("ta1", "said"),
    [
        # x12.control.00501: TA101 N0 9/9, TA102 DT 6/6, TA103 TM 4/4, TA104 A/E/R, TA105 000..031
        ("TA1*5*240101*1200*A*000", "TA101 is '5'; expected nine digits"),
        ("TA1*000000005*241301*1200*R*024", "TA102 is '241301'; expected a YYMMDD date"),
        ("TA1*000000005*240101*2460*R*024", "TA103 is '2460'; expected an HHMM time"),
        ("TA1*000000005*240101*1200*X*000", "TA104 is 'X'; expected A, E or R"),
        ("TA1*000000005*240101*1200*R*032", "TA105 is '032'; expected a note code 000 to 031"),
        ("TA1*000000005*240101*1200*A*000*X", "TA1 has 6 elements; expected 5"),
    ],
)
def test_a_ta1_has_the_values_of_its_map(ta1: str, said: str):
    text = lines(ISA(), ta1, *interchange().splitlines(keepends=True)[1:])
    diag = only(envelope_diags(text))
    assert (diag.message, diag.severity, diag.ack) == (said, Severity.ERROR, None)
    assert where(diag) == ("TA1", 2)


@pytest.mark.parametrize(
    "ta1",
    [
        # TA101..TA103 copy the ISA acknowledged: its note says which of them was bad (pyx12's
        # answer to its ele.txt test file, whose ISA10 is 3339, is TA1*...*3339*R*015).
        "TA1*12345*240101*1200*R*018",
        "TA1*000000005*241301*1200*R*014",
        "TA1*000000005*240101*3339*R*015",
    ],
)
def test_a_ta1_copies_the_bad_value_its_note_names(ta1: str):
    text = lines(ISA(), ta1, *interchange().splitlines(keepends=True)[1:])
    assert envelope_diags(text) == []


def test_a_ta1_after_a_group_is_said_misplaced():
    # x12.control.00501: TA1 (pos 020) comes before GS (pos 030); pyx12 writes it after the GE.
    body = interchange().splitlines(keepends=True)
    text = lines(*body[:-1], "TA1*000000005*240101*1200*A*000", body[-1])
    diag = only(envelope_diags(text))
    assert diag.code == "envelope.ta1_place" and diag.severity is Severity.WARNING


# -- functional group (AK905) ------------------------------------------------------------------------


def test_ge02_mismatch_ak905_4():
    diag = only(envelope_diags(interchange().replace("GE*1*1", "GE*1*2")))
    assert (diag.code, diag.ack) == ("envelope.ge02_mismatch", "AK905:4")
    assert where(diag) == ("GE", 7)
    assert diag.location is not None and diag.location.element == "GE02"


def test_ge01_count_ak905_5():
    diag = only(envelope_diags(interchange().replace("GE*1*1", "GE*3*1")))
    assert (diag.code, diag.ack) == ("envelope.ge01_count", "AK905:5")
    assert where(diag) == ("GE", 7)


def test_missing_ge_ak905_3():
    diag = only(envelope_diags(interchange().replace("GE*1*1~\n", "")))
    assert (diag.code, diag.ack) == ("envelope.missing_ge", "AK905:3")
    assert where(diag) == ("IEA", 7)  # the segment that closed the group


def test_missing_ge_before_next_gs_ak905_3():
    text = lines(
        ISA(),
        GS.format(n=1),
        "ST*835*0001",
        "SE*2*0001",
        GS.format(n=2),
        "ST*835*0001",
        "SE*2*0001",
        "GE*1*2",
        "IEA*2*000000001",
    )
    diag = only(envelope_diags(text))
    assert diag.ack == "AK905:3"
    assert where(diag) == ("GS", 5)


def test_duplicate_gs06_ak905_19():
    text = lines(
        ISA(),
        GS.format(n=5),
        "ST*835*0001",
        "SE*2*0001",
        "GE*1*5",
        GS.format(n=5),
        "ST*835*0001",  # ST02 may repeat in another group
        "SE*2*0001",
        "GE*1*5",
        "IEA*2*000000001",
    )
    diag = only(envelope_diags(text))
    assert (diag.code, diag.ack) == ("envelope.duplicate_gs06", "AK905:19")
    assert where(diag) == ("GS", 6)


@pytest.mark.parametrize(
    ("date", "time", "said"),
    [
        ("20240315", "1000", []),
        ("20240315", "100059", []),
        ("20240315", "10005912", []),  # decimal seconds
        ("2024", "1000", ["GS04 is '2024'; expected a CCYYMMDD date"]),
        ("20240230", "1000", ["GS04 is '20240230'; expected a CCYYMMDD date"]),
        ("20240315", "2500", ["GS05 is '2500'; expected an HHMM[SS[d..]] time"]),
        ("20240315", "102497", ["GS05 is '102497'; expected an HHMM[SS[d..]] time"]),
        ("20240315", "10005", ["GS05 is '10005'; expected an HHMM[SS[d..]] time"]),
        (
            "",
            "",
            ["GS04 is ''; expected a CCYYMMDD date", "GS05 is ''; expected an HHMM[SS[d..]] time"],
        ),
    ],
)
def test_gs04_is_a_date_and_gs05_a_time(date: str, time: str, said: list[str]):
    # x12.control.00501: GS04 DT 8/8, GS05 TM 4/8; the 999 has no AK905 code for either.
    text = lines(
        ISA(),
        f"GS*HP*SENDER*RECEIVER*{date}*{time}*1*X*005010X221A1",
        "ST*835*0001",
        "SE*2*0001",
        "GE*1*1",
        "IEA*1*000000001",
    )
    diags = envelope_diags(text)
    assert [d.message for d in diags] == said
    assert all(where(d) == ("GS", 2) and d.ack is None for d in diags)


@pytest.mark.parametrize(
    ("gs", "said"),
    [
        ("GS*HP*S*RECEIVER*20240101*1200*1*X*005010X221A1", [("envelope.gs02", None)]),
        ("GS*HP*SENDER*" + "R" * 16 + "*20240101*1200*1*X*005010X221A1", [("envelope.gs03", None)]),
        ("GS*HP*SENDER*RECEIVER*20240101*1200*1*T*005010X221A1", [("envelope.gs07", None)]),
    ],
)
def test_gs02_gs03_and_gs07_have_their_sizes_and_code(gs: str, said: list[tuple[str, None]]):
    # x12.control.00501: GS02 and GS03 AN 2/15, GS07 ID [X].
    text = lines(ISA(), gs, "ST*835*0001", "SE*2*0001", "GE*1*1", "IEA*1*000000001")
    assert [(d.code, d.ack) for d in envelope_diags(text)] == said


@pytest.mark.parametrize(
    ("gs", "st02", "said"),
    [
        (
            "GS*HP*PAYÉR*RECEIVER",
            "0001",
            "GS02 is 'PAYÉR'; expected 2 to 15 printable ASCII characters",
        ),
        (
            "GS*HP*SENDER*R\tR",
            "0001",
            "GS03 is 'R\\tR'; expected 2 to 15 printable ASCII characters",
        ),
        (
            "GS*HP*SENDER*RECEIVER",
            "00É1",
            "ST02 is '00É1'; expected 4 to 9 printable ASCII characters",
        ),
    ],
)
def test_a_size_that_fits_with_a_character_that_does_not_says_so(gs: str, st02: str, said: str):
    # A GS02 of 5 characters, one not ASCII, was said as "GS02 is 5 characters; expected 2 to 15".
    text = lines(
        ISA(),
        gs + "*20240101*1200*1*X*005010X221A1",
        f"ST*835*{st02}",
        f"SE*2*{st02}",
        "GE*1*1",
        "IEA*1*000000001",
    )
    assert [d.message for d in envelope_diags(text)] == [said]


def test_a_gs06_that_is_no_number_ak905_6():
    text = lines(
        ISA(),
        "GS*HP*SENDER*RECEIVER*20240101*1200*A1*X*005010X221A1",
        "ST*835*0001",
        "SE*2*0001",
        "GE*1*A1",
        "IEA*1*000000001",
    )
    diag = only(envelope_diags(text))
    assert (diag.code, diag.ack, diag.message) == (
        "envelope.gs06",
        "AK905:6",
        "GS06 is 'A1'; expected 1 to 9 digits",
    )


@pytest.mark.parametrize("st02", ["1", "001", "1234567890", ""])
def test_st02_is_4_to_9_characters_ik502_7(st02: str):
    text = lines(
        ISA(), GS.format(n=1), f"ST*835*{st02}", f"SE*2*{st02}", "GE*1*1", "IEA*1*000000001"
    )
    diag = only(envelope_diags(text))
    assert (diag.code, diag.ack, where(diag)) == ("envelope.st02", "IK502:7", ("ST", 3))


def test_gs06_may_repeat_in_another_interchange():
    assert envelope_diags(interchange() + interchange(control="000000002")) == []


def test_ge_without_gs():
    text = lines(ISA(), "ST*835*0001", "SE*2*0001", "GE*1*1", "IEA*0*000000001")
    diags = envelope_diags(text)
    assert [(d.code, d.ack) for d in diags] == [
        ("envelope.st_outside_group", "TA1:024"),
        ("envelope.ge_without_gs", "TA1:024"),  # x12-notes §11.2: 024 invalid content
    ]
    assert [where(d) for d in diags] == [("ST", 2), ("GE", 4)]
    # Each with the interchange's number (TA101), which the TA1 answers with.
    assert {d.interchange_control_number for d in diags} == {"000000001"}


def test_envelope_problems_carry_the_control_numbers_a_999_or_ta1_answers_with() -> None:
    # x12-notes §11: AK1 (GS06), AK2 (ST02), TA101 (ISA13). A set without SE, a GE02 that is not
    # GS06 and an IEA02 that is not ISA13 had none.
    text = lines(
        ISA(),
        GS.format(n=7),
        "ST*835*0042",
        "BPR*I*0*C*NON",
        "GE*1*8",
        "IEA*1*000000009",
    )
    named = {
        d.code: (d.set_control_number, d.group_control_number, d.interchange_control_number)
        for d in envelope_diags(text)
    }
    assert named == {
        "envelope.missing_se": ("0042", "7", "000000001"),
        "envelope.ge02_mismatch": (None, "7", "000000001"),
        "envelope.iea02_mismatch": (None, None, "000000001"),
    }


# -- transaction set (IK502) -------------------------------------------------------------------------


def test_se02_mismatch_ik502_3():
    reader = read_envelopes(interchange().replace("SE*4*0001", "SE*4*0002").encode())
    diag = only(reader.diagnostics)
    assert (diag.code, diag.ack) == ("envelope.se02_mismatch", "IK502:3")
    assert where(diag) == ("SE", 6)
    assert diag.location is not None and diag.location.segment_index == 4
    assert reader.interchanges[0].groups[0].sets[0].diagnostics == [diag]


def test_se01_count_ik502_4():
    diag = only(envelope_diags(interchange().replace("SE*4*0001", "SE*25*0001")))
    assert (diag.code, diag.ack) == ("envelope.se01_count", "IK502:4")
    assert where(diag) == ("SE", 6)
    assert "'25'" in diag.message and "4" in diag.message


def test_missing_se_ik502_2():
    reader = EnvelopeReader(interchange().replace("SE*4*0001~\n", "").encode())
    [ts] = list(reader)
    assert ts.trailer is None
    assert [s.id for s in ts.segments] == ["ST", "BPR", "TRN"]
    diag = only([d for d in reader.diagnostics])
    assert (diag.code, diag.ack) == ("envelope.missing_se", "IK502:2")
    # At the set's own ST: the GE after it, where it is found, is the group's (the batch tester).
    assert where(diag) == ("ST", 3)
    assert "before GE at line 6" in diag.message
    assert ts.diagnostics == [diag]
    assert reader.interchanges[0].groups[0].sets[0].declared_count is None


def test_missing_se_before_next_st_ik502_2():
    text = lines(
        ISA(),
        GS.format(n=1),
        "ST*835*0001",
        "BPR*I",
        "ST*835*0002",
        "SE*2*0002",
        "GE*2*1",
        "IEA*1*000000001",
    )
    reader = EnvelopeReader(text.encode())
    sets = list(reader)
    assert [ts.control_number for ts in sets] == ["0001", "0002"]
    diag = only(reader.diagnostics)
    assert diag.ack == "IK502:2"
    assert where(diag) == ("ST", 3)  # set 0001's, not 0002's where it is found
    assert diag.set_control_number == "0001" and "before ST at line 5" in diag.message


def test_missing_se_at_end_of_input():
    text = lines(ISA(), GS.format(n=1), "ST*835*0001", "BPR*I")
    reader = EnvelopeReader(text.encode())
    [ts] = list(reader)
    assert [d.ack for d in reader.diagnostics] == ["IK502:2", "AK905:3", "TA1:023"]
    assert where(reader.diagnostics[0]) == ("BPR", 4)


def test_duplicate_st02_ik502_23():
    text = lines(
        ISA(),
        GS.format(n=1),
        "ST*835*0001",
        "SE*2*0001",
        "ST*835*0001",
        "SE*2*0001",
        "GE*2*1",
        "IEA*1*000000001",
    )
    diag = only(envelope_diags(text))
    assert (diag.code, diag.ack) == ("envelope.duplicate_st02", "IK502:23")
    assert where(diag) == ("ST", 5)
    assert diag.location is not None and diag.location.element == "ST02"


def test_st03_differs_from_gs08_is_a_warning():
    text = interchange().replace("ST*835*0001", "ST*835*0001*005010X222A1")
    diag = only(envelope_diags(text))
    assert (diag.ack, diag.severity) == ("IK502:19", Severity.WARNING)


def test_segment_outside_a_set_ta1_024():
    text = lines(ISA(), GS.format(n=1), "BPR*I", "GE*0*1", "IEA*1*000000001")
    outside, empty = envelope_diags(text)
    assert (outside.code, outside.ack) == ("envelope.outside_set", "TA1:024")
    assert where(outside) == ("BPR", 3)
    assert empty.code == "envelope.empty_group"  # and its group holds no set


def test_an_empty_group_or_interchange_is_said():
    """A group holds at least one transaction set (pyx12's control map: ST_LOOP usage R), an
    interchange a group or TA1s alone (x12.control.00501: GS_LOOP usage R; x12-notes §11.2): both
    were accepted without a word (the batch tester; pyx12 says both)."""
    group = lines(ISA(), GS.format(n=1), "GE*0*1", "IEA*1*000000001")
    diag = only(envelope_diags(group))
    assert diag.code == "envelope.empty_group" and where(diag) == ("GE", 3)
    assert (
        diag.message
        == "functional group '1' holds no transaction set (ST): a group has at least one"
    )
    bare = lines(ISA(), "IEA*0*000000001")
    diag = only(envelope_diags(bare))
    assert (diag.code, diag.ack, where(diag)) == (
        "envelope.empty_interchange",
        "TA1:024",
        ("IEA", 2),
    )
    # TA1s alone are an interchange of their own.
    ta1 = lines(ISA(), "TA1*000000009*240101*1200*A*000", "IEA*0*000000001")
    assert envelope_diags(ta1) == []


def test_iea_without_isa_ta1_022():
    diags = envelope_diags(interchange() + "IEA*1*000000001~\n")
    assert [(d.code, d.ack) for d in diags] == [("envelope.iea_without_isa", "TA1:022")]


# -- bare files and segment sources ------------------------------------------------------------------


def test_bare_transaction_sets():
    text = "ST*835*0001~BPR*I~SE*3*0001~ST*835*0002~SE*3*0002~"
    reader = EnvelopeReader(text.encode())
    sets = list(reader)
    assert [ts.control_number for ts in sets] == ["0001", "0002"]
    assert [ts.group for ts in sets] == [None, None]
    [ic] = reader.interchanges
    assert ic.header is None and ic.control_number == "" and ic.sender == ""
    assert [d.code for d in reader.diagnostics] == ["envelope.no_isa", "envelope.se01_count"]
    assert reader.diagnostics[0].severity is Severity.WARNING


def test_segments_and_segment_readers_as_sources():
    segments = list(SegmentReader(interchange().encode()))
    for source in (segments, tuple(segments), iter(segments), SegmentReader(interchange())):
        reader = EnvelopeReader(source)
        assert [ts.control_number for ts in reader] == ["0001"]
        assert reader.diagnostics == []


def test_bytearray_is_input_not_a_segment_list():
    reader = EnvelopeReader(bytearray(interchange().encode()))
    assert [ts.control_number for ts in reader] == ["0001"]


@pytest.mark.parametrize(
    "segments",
    [
        [Segment.of("ST", "835", "1"), Segment.of("SE", "2", "1")],
        [Segment.of("GS", "HP"), Segment.of("GE", "0", "")],
    ],
)
def test_segments_made_in_code(segments):
    reader = read_envelopes(segments)
    assert all(d.severity is not Severity.FATAL for d in reader.diagnostics)


def test_set_after_the_last_interchange_is_reported():
    reader = EnvelopeReader((interchange() + "ST*835*0002~\nSE*2*0002~\n").encode())
    assert [ts.control_number for ts in reader] == ["0001", "0002"]
    diag = only(reader.diagnostics)
    assert (diag.code, diag.ack) == ("envelope.st_outside_interchange", "TA1:024")
    assert where(diag) == ("ST", 9)


@pytest.mark.parametrize(
    ("time", "ok"),
    [
        ("1000", True),
        ("100059", True),
        ("1000591", True),
        ("10005", False),
        ("100060", False),
        ("2500", False),
    ],
)
def test_the_writers_take_the_gs05_times_the_reader_takes(time: str, ok: bool):
    group = GroupHeader(
        functional_id="HP",
        sender="SENDER",
        receiver="RECEIVER",
        date="20240101",
        time=time,
        control_number="1",
        version="005010X221A1",
    )
    problems = EnvelopeChecker(Delimiters()).problems(EnvelopeInfo(group=group))
    assert is_group_time(time) is ok
    assert (problems == []) is ok, problems


def test_set_problems_name_the_control_numbers():
    # as the transaction readers do: what a 999 answers with (AK1, AK2)
    reader = read_envelopes(interchange().replace("SE*4*0001", "SE*25*0001").encode())
    diag = only(reader.diagnostics)
    assert (diag.set_control_number, diag.group_control_number) == ("0001", "1")
    assert diag.interchange_control_number == "000000001"
    assert reader.interchanges[0].groups[0].sets[0].diagnostics == [diag]


def test_a_gs02_too_long_is_said_by_its_length_not_quoted() -> None:
    # A name and a birth date put in GS02 (34 characters): not repeated in the message.
    gs = "GS*HP*TESTNAME JOHN 19800101 MBR 1234567*RECEIVER*20240101*1200*1*X*005010X221A1"
    text = lines(ISA(), gs, "ST*835*0001", "SE*2*0001", "GE*1*1", "IEA*1*000000001")
    assert [d.message for d in envelope_diags(text)] == ["GS02 is 34 characters; expected 2 to 15"]


def test_iterating_an_envelope_reader_again_keeps_each_thing_once() -> None:
    # read_envelopes has iterated it once; a loop over it read the source again and kept both
    # readings: two interchanges, each problem twice.
    text = "\ufeff" + interchange().replace("IEA*1*000000001", "IEA*1*000000009")
    reader = edi.read_envelopes(text)
    first = ([ic.header for ic in reader.interchanges], [str(d) for d in reader.diagnostics])
    assert len(first[0]) == 1 and len(first[1]) == 2  # the BOM, IEA02 ≠ ISA13
    for _ in range(2):
        list(reader)
        assert (
            [ic.header for ic in reader.interchanges],
            [str(d) for d in reader.diagnostics],
        ) == (first)


def test_an_envelope_reader_of_a_file_object_reads_it_again_from_where_it_stood(
    tmp_path: Path,
) -> None:
    # README: iterating a reader again reads its source again, a file object from where it stood.
    # Read again, the file object was at its end: no interchange, "the input is empty".
    path = tmp_path / "one.835"
    path.write_text(interchange())
    with path.open("rb") as stream:
        reader = edi.read_envelopes(stream)
        assert (len(reader.interchanges), reader.diagnostics) == (1, [])
        list(reader)
        assert (len(reader.interchanges), reader.diagnostics) == (1, [])
    segments = iter(list(edi.read_segments(interchange())))
    reader = edi.read_envelopes(segments)
    assert len(reader.interchanges) == 1
    with pytest.raises(edi.ConfigurationError, match="read once"):
        list(reader)


@pytest.mark.parametrize(
    ("fixture", "read", "write"),
    [
        ("837p/dependent.x12", edi.read_claims, edi.write_837),
        ("835/paid_in_full.x12", edi.read_remittances, edi.write_835),
    ],
)
def test_the_ta1s_an_interchange_carries_are_written_back(fixture, read, write):
    # Nothing read is lost: a TA1 before the first GS is written after its ISA again.
    text = (Path(__file__).parent.parent / "fixtures" / fixture).read_text()
    at = text.index("GS*")
    with_ta1 = text[:at] + "TA1*000000777*241018*0307*A*000~\n" + text[at:]
    reader = read(with_ta1)
    objects = list(reader)
    assert reader.diagnostics == []
    assert write(objects) == with_ta1
    assert write(objects, check=False) == with_ta1


def test_a_ta1_after_a_group_is_written_back_after_the_isa() -> None:
    """A TA1 between two groups (said misplaced when read) is not lost: the headers of every group
    of the interchange hold its TA1s, read before or after them, and the writer puts them after
    the ISA, where they belong."""
    text = (Path(__file__).parent.parent / "fixtures" / "835" / "paid_in_full.x12").read_text()
    head, rest = text.split("\n", 1)
    group = rest[rest.index("GS*") : rest.index("IEA*")]
    second = group.replace("*101*X*", "*102*X*").replace("GE*1*101", "GE*1*102")
    ta1 = "TA1*000000050*240301*1200*A*000~\n"
    iea = rest[rest.index("IEA*") :].replace("IEA*1*", "IEA*2*")
    remittances = list(edi.read_remittances(f"{head}\n{group}{ta1}{second}{iea}"))
    assert len(remittances) == 2
    out = edi.write_835(remittances)
    assert out == f"{head}\n{ta1}{group}{second}{iea}"


@pytest.mark.parametrize(
    ("fixture", "read", "check", "said"),
    [
        ("835/paid_in_full.x12", edi.read_remittances, edi.check_remittances, "835 0001"),
        ("837p/ambulance_dme.x12", edi.read_claims, edi.check_claims, "claim PCN8001"),
    ],
)
def test_a_ta1_value_holding_a_delimiter_is_said_of_the_set(fixture, read, check, said) -> None:
    # TA105 '0^0' (no note code: said when read) would be written as a repeated value: the
    # checks say so of the set, as of an ISA value, and the checked writers refuse it.
    text = (Path(__file__).parent.parent / "fixtures" / fixture).read_text()
    at = text.index("GS*")
    models = list(read(text[:at] + "TA1*000000050*240301*1200*A*0^0~\n" + text[at:]))
    problem = f"{said}: envelope: TA1 1 TA105 '0^0' holds the delimiter '^'"
    assert problem in check(models)
    write = edi.write_835 if fixture.startswith("835") else edi.write_837
    with pytest.raises(edi.EdiError, match=re.escape(problem)):
        write(models)


def _interchanges(count: int, *, ge01: str = "1") -> str:
    return "".join(
        lines(
            ISA(f"{n:09d}"),
            GS.format(n=n),
            "ST*835*0001",
            "SE*2*0001",
            f"GE*{ge01}*{n}",
            f"IEA*1*{n:09d}",
        )
        for n in range(1, count + 1)
    )


def test_a_streaming_envelope_reader_keeps_no_finished_interchange() -> None:
    # The transaction readers stream: an interchange and its sets' summaries were kept for each
    # one read, so a file of many small interchanges grew memory with their number.
    text = _interchanges(50) + lines(ISA("000000003"), GS.format(n=9), "ST*835*0001")
    reader = EnvelopeReader(text.encode(), keep_finished=False)
    for ts in reader:
        assert reader.interchanges == [ts.interchange]
        assert ts.group is not None and ts.group.sets == [] and ts.group.set_count == 1
    # What is said across interchanges still is: ISA13 3 repeats; the last lacks SE, GE, IEA.
    said = [(d.code, d.interchange_control_number) for d in reader.diagnostics]
    assert said == [
        ("envelope.duplicate_isa13", "000000003"),
        ("envelope.missing_se", "000000003"),
        ("envelope.missing_ge", "000000003"),
        ("envelope.missing_iea", "000000003"),
    ]
    # Kept (the default, as `edi envelopes` reads): every interchange, each with its set.
    kept = read_envelopes(text.encode())
    assert [len(ic.groups[0].sets) for ic in kept.interchanges] == [1] * 51
    assert [(d.code, d.interchange_control_number) for d in kept.diagnostics] == said


def test_a_streaming_envelope_reader_counts_the_sets_of_a_group() -> None:
    # GE01 is checked against the count kept, not against the sets no longer held.
    text = _interchanges(2, ge01="2")
    for keep in (True, False):
        reader = EnvelopeReader(text.encode(), keep_finished=keep)
        list(reader)
        assert [(d.code, d.group_control_number) for d in reader.diagnostics] == [
            ("envelope.ge01_count", "1"),
            ("envelope.ge01_count", "2"),
        ]


def test_the_transaction_readers_hold_one_interchange_at_a_time() -> None:
    # SetReader (under read_claims and read_remittances) streams its envelopes.
    reader = SetReader(_interchanges(3), "835")
    held = [len(reader.envelopes.interchanges) for _ in reader.sets()]
    assert held == [1, 1, 1]


def test_an_element_past_the_last_of_an_envelope_segment_is_said() -> None:
    """`ST*837*0001*005010X222A1*X`, `SE*31*0001*X`, `GE*1*205*X`, `IEA*1*...*X`: the extra element
    was dropped without a word (the differential tester; pyx12 says "too many elements"). A GS
    keeps it (written back as read); the others are written from their values."""
    text = (FIXTURES / "837p/drug.x12").read_text()
    for old, new in (
        ("ST*837*0001*005010X222A1~", "ST*837*0001*005010X222A1*X~"),
        ("SE*31*0001~", "SE*31*0001*X~"),
        ("GE*1*205~", "GE*1*205*X~"),
        ("*005010X222A1~\nST", "*005010X222A1*X~\nST"),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    iea = text[text.index("IEA*") :].split("~")[0]
    text = text.replace(iea, iea + "*X", 1)
    said = [str(d) for d in edi.read_envelopes(text).diagnostics]
    assert said == [
        "segment GS (line 2, element GS09): GS09 is past the last element of GS (GS08): X12 has "
        "none there",
        "segment 1 ST (line 3, element ST04): ST04 is past the last element of ST (ST03): X12 has "
        "none there, and it is not kept",
        "segment 31 SE (line 33, element SE03): SE03 is past the last element of SE (SE02): X12 "
        "has none there, and it is not kept",
        "segment GE (line 34, element GE03): GE03 is past the last element of GE (GE02): X12 has "
        "none there, and it is not kept",
        "segment IEA (line 35, element IEA03): IEA03 is past the last element of IEA (IEA02): X12 "
        "has none there, and it is not kept",
    ]
    # A trailing separator is no element with text: not this problem.
    assert not [
        d
        for d in edi.read_envelopes(
            (FIXTURES / "837p/drug.x12").read_text().replace("SE*31*0001~", "SE*31*0001*~")
        ).diagnostics
        if d.code == "envelope.too_many_elements"
    ]


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            "SE*41*",
            "SE* 41*",
            "SE01 ' 41' has spaces around it; X12 has none in a number: written as 41",
        ),
        (
            "SE*41*",
            "SE*041*",
            "SE01 '041' has leading zeros; X12 leaves them out of a number: written as 41",
        ),
        (
            "GE*1*",
            "GE*01*",
            "GE01 '01' has leading zeros; X12 leaves them out of a number: written as 1",
        ),
        (
            "IEA*1*",
            "IEA*1 *",
            "IEA01 '1 ' has spaces around it; X12 has none in a number: written as 1",
        ),
    ],
)
def test_a_right_count_in_another_form_is_said_as_written_anew(
    old: str, new: str, said: str
) -> None:
    """`SE* 41*`, `GE*01*`: the count is right, so nothing was said, and it was written as `41`,
    `1`: the segments changed silently (the 835 fuzz tester)."""
    text = (Path(__file__).resolve().parents[1] / "fixtures/835/partly_paid.x12").read_text()
    assert text.count(old) == 1
    changed = text.replace(old, new)
    reader = edi.read_remittances(changed)
    remits = list(reader)
    assert [(d.message, d.severity) for d in reader.diagnostics] == [(said, Severity.WARNING)]
    assert edi.write_835(remits, check=False) == text


@pytest.mark.parametrize("isa11", ["U", "A", "5"])
def test_a_letter_or_digit_in_a_00501_isa11_is_said(isa11: str) -> None:
    """In 00501 ISA11 is the repetition separator (x12-notes §1.2): a letter or digit there (a 4010
    standards identifier `U`, written by older software) was read as no separator with nothing
    said, where a space or `*` is refused (the 835 fuzz tester). A warning, TA1 note 016; written
    back as read."""
    text = (Path(__file__).resolve().parents[1] / "fixtures/835/partly_paid.x12").read_text()
    assert text[82] == "^"
    changed = text[:82] + isa11 + text[83:]
    reader = edi.read_remittances(changed)
    remits = list(reader)
    (said,) = reader.diagnostics
    assert (said.code, said.severity, said.ack) == ("envelope.isa11", Severity.WARNING, "TA1:016")
    assert said.message == (
        f"ISA11 is {isa11!r}, in a '00501' interchange: its repetition separator, which a letter or "
        "digit cannot be (read with none, and written back as read)"
    )
    assert edi.write_835(remits, check=False) == changed
