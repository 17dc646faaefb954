"""Delimiters are read from every ISA (x12-notes §1.2), tolerating what real files do to the header."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import edi
from edi.diagnostics import Severity
from edi.errors import ConfigurationError, TokenizeError
from edi.x12.delimiters import Delimiters, guess_bare_delimiters, isa_delimiters
from edi.x12.writer import write_segments
from tests.helpers import interchange, isa, read

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# (element, repetition, component, terminator)
DELIMITER_SETS = [
    ("*", "^", ":", "~"),
    ("|", "^", ">", "~"),
    (">", "^", ":", "~"),
    ("|", "!", "^", "\n"),
    ("*", "^", ":", "\n"),
    ("!", "{", "\\", "'"),
]


@pytest.mark.parametrize("element,repetition,component,terminator", DELIMITER_SETS)
def test_isa_delimiters_read_from_fixed_positions(element, repetition, component, terminator):
    text = isa(element, component, terminator, repetition)
    assert len(text) == 106
    found = isa_delimiters(text)
    assert found == (Delimiters(element, repetition, component, terminator, ""), 106)


@pytest.mark.parametrize("element,repetition,component,terminator", DELIMITER_SETS)
@pytest.mark.parametrize("suffix", ["", "\n", "\r\n", "\r"])
def test_every_segment_carries_the_delimiters_of_its_interchange(
    element, repetition, component, terminator, suffix
):
    if terminator == "\n" and suffix in ("\n", "\r\n", "\r"):
        suffix = ""  # a newline terminator has no line break after it
    text = interchange(element, component, terminator, repetition, suffix)
    segments, reader = read(text)
    expected = Delimiters(element, repetition, component, terminator, suffix)
    assert [s.id for s in segments] == ["ISA", "GS", "ST", "BPR", "TRN", "SE", "GE", "IEA"]
    assert {s.delimiters for s in segments} == {expected}
    assert segments[3].elements == ["BPR", "I", "100", "C", "ACH"]
    assert reader.diagnostics == []


@pytest.mark.parametrize("suffix", ["", "\n", "\r\n", "\r"])
def test_suffix_after_terminator(suffix):
    found = isa_delimiters(isa() + suffix + "GS*HP~")
    assert not isinstance(found, str)
    assert found[0].suffix == suffix
    assert found[1] == 106


def test_4010_isa11_is_not_a_repetition_separator():
    found = isa_delimiters(isa(repetition="U", version="00401"))
    assert not isinstance(found, str)
    assert found[0].repetition is None
    # Even a punctuation ISA11 is the standards identifier before 00501.
    found = isa_delimiters(isa(repetition="^", version="00401"))
    assert not isinstance(found, str) and found[0].repetition is None


def test_5010_repetition_separator_is_isa11():
    found = isa_delimiters(isa(repetition="!"))
    assert not isinstance(found, str) and found[0].repetition == "!"


def test_isa_without_padding():
    text = isa(padded=False)
    assert len(text) < 106
    found = isa_delimiters(text + "\nGS*HP~")
    assert found == (Delimiters("*", "^", ":", "~", "\n"), len(text))
    segments, reader = read(interchange().replace(isa()[:-1], text[:-1]))
    assert segments[0].elements[6] == "SENDER"
    assert segments[1].id == "GS"


def test_newline_terminator_with_crlf_is_cr_plus_lf_suffix():
    found = isa_delimiters(isa(terminator="\r") + "\nGS*HP\r\n")
    assert not isinstance(found, str)
    assert (found[0].segment, found[0].suffix) == ("\r", "\n")


def test_bom_and_blank_preamble_are_skipped_and_reported():
    text = "\ufeff \r\n" + interchange()
    segments, reader = read(text)
    assert segments[0].id == "ISA"
    assert segments[0].delimiters == Delimiters()
    assert reader.preamble == "\ufeff \r\n"
    [diag] = reader.diagnostics
    assert diag.code == "syntax.preamble" and diag.severity is Severity.WARNING
    assert "byte-order mark" in diag.message


def test_indented_segments_are_read_and_said_once():
    """Indentation is kept on the tails (so `write_segments` gives the text back), and said once a
    reading: blanks before a segment are not X12 (x12-notes §1.2, pyx12 refuses them), and the models'
    writers drop them. They were dropped without a word."""
    text = interchange().replace("\nGS", "\n    GS").replace("\nST", "\n\tST")
    segments, reader = read(text)
    assert [s.id for s in segments][:3] == ["ISA", "GS", "ST"]
    assert segments[0].tail == "~\n    "
    assert segments[1].tail == "~\n\t"
    assert [(d.code, d.severity) for d in reader.diagnostics] == [
        ("syntax.blank_between", Severity.WARNING)
    ]
    assert reader.diagnostics[0].location.segment_id == "ISA"  # the segment the blanks follow
    assert write_segments(segments) == text


def test_nul_bytes_and_blanks_between_segments_are_said_once_each() -> None:
    text = interchange().replace("~\nBPR", "~\n \x00BPR").replace("~\nTRN", "~\n\x00 TRN")
    segments, reader = read(text.replace("~\nSE", "~\n  SE"))
    assert [s.id for s in segments] == ["ISA", "GS", "ST", "BPR", "TRN", "SE", "GE", "IEA"]
    assert [(d.code, d.location.segment_id) for d in reader.diagnostics] == [
        ("syntax.nul_between", "ST"),
        ("syntax.blank_between", "ST"),
    ]


def test_trailing_nul_bytes():
    segments, reader = read(interchange() + "\x00" * 20)
    assert segments[-1].id == "IEA"
    assert segments[-1].tail == "~\n" + "\x00" * 20
    assert [d.code for d in reader.diagnostics] == ["syntax.trailing_nul"]
    assert reader.diagnostics[0].severity is Severity.WARNING


@pytest.mark.parametrize("end", ["\x1a", "\r\n\x1a", "\x1a\x1a\n", "\x00\x1a"])
def test_a_dos_end_of_file_mark_after_the_last_segment_is_padding(end: str) -> None:
    """A Ctrl-Z (0x1A) that DOS tools put at the end of a text file was read as a segment: the
    whole input was unusable (exit 2) for one byte after its IEA."""
    segments, reader = read(interchange() + end)
    assert [s.id for s in segments] == ["ISA", "GS", "ST", "BPR", "TRN", "SE", "GE", "IEA"]
    assert segments[-1].tail == "~\n" + end
    codes = [d.code for d in reader.diagnostics]
    assert "syntax.trailing_eof_mark" in codes
    assert all(d.severity is Severity.WARNING for d in reader.diagnostics)


@pytest.mark.parametrize(
    ("end", "code"),
    [
        ("\x1a", "syntax.trailing_eof_mark"),
        ("\r\n\x1a", "syntax.trailing_eof_mark"),
        ("\x00\x00", "syntax.trailing_nul"),
        ("\n", None),
        (" \t\r\n", None),
    ],
)
def test_padding_after_a_last_segment_without_its_terminator_is_not_its_last_element(
    end: str, code: str | None
) -> None:
    """An IEA without its terminator (a warning) followed by a line break, a Ctrl-Z or NUL bytes:
    the padding was read as the end of IEA02 (`000000001\x1a` does not match ISA13, an error)."""
    text = interchange().removesuffix("~\n") + end
    segments, reader = read(text)
    assert segments[-1].elements == ["IEA", "1", "000000001"]
    assert segments[-1].tail == end
    codes = [d.code for d in reader.diagnostics]
    assert "syntax.unterminated_last_segment" in codes
    assert code is None or code in codes
    assert all(d.severity is Severity.WARNING for d in reader.diagnostics)
    assert write_segments(segments) == text


def test_a_ctrl_z_before_more_data_is_still_no_padding() -> None:
    segments, reader = read(interchange() + "\x1aXY")
    assert "syntax.trailing_eof_mark" not in [d.code for d in reader.diagnostics]
    # The rest is text that is no X12 after the last segment: an error (every set before it read).
    assert "syntax.trailing_garbage" in [d.code for d in reader.diagnostics]


def test_several_interchanges_with_different_delimiters():
    text = (
        interchange("*", ":", "~", "^", "\n", control="000000001")
        + interchange("|", ">", "~", "^", "\r\n", control="000000002")
        + interchange("!", "^", "\n", "{", "", control="000000003")
        + interchange("*", ":", "~", "^", "", control="000000004")
    )
    segments, reader = read(text)
    isas = [s for s in segments if s.id == "ISA"]
    assert [s.delimiters for s in isas] == [
        Delimiters("*", "^", ":", "~", "\n"),
        Delimiters("|", "^", ">", "~", "\r\n"),
        Delimiters("!", "{", "^", "\n", ""),
        Delimiters("*", "^", ":", "~", ""),
    ]
    assert [s.id for s in segments] == ["ISA", "GS", "ST", "BPR", "TRN", "SE", "GE", "IEA"] * 4
    for n in range(4):
        block = segments[8 * n : 8 * n + 8]
        assert len({s.delimiters for s in block}) == 1
        assert block[3].elements == ["BPR", "I", "100", "C", "ACH"]
        assert block[-1].elements == ["IEA", "1", f"00000000{n + 1}"]
    assert reader.diagnostics == []


def test_bare_transaction_set_guesses_delimiters_and_warns():
    segments, reader = read("ST*835*0001~\nBPR*I*1~\nSVC*HC>99213*1~\nSE*4*0001~\n")
    assert reader.bare
    assert segments[0].delimiters == Delimiters("*", None, ">", "~", "\n")
    assert segments[2].components(1) == ["HC", "99213"]
    [diag] = reader.diagnostics
    assert diag.code == "envelope.no_isa"
    assert diag.severity is Severity.WARNING
    assert "delimiters taken from the ST segment" in diag.message


def test_bare_transaction_set_with_newline_terminator():
    segments, reader = read("ST|835|0001|005010X221A1\nBPR|I|1\nSE|3|0001\n")
    assert [s.id for s in segments] == ["ST", "BPR", "SE"]
    assert segments[0].delimiters.element == "|"
    assert segments[0].delimiters.segment == "\n"


def test_guess_bare_delimiters_defaults_component_to_colon():
    guessed = guess_bare_delimiters("ST*835*0001~BPR*I~SE*3*0001~")
    assert guessed == Delimiters("*", None, ":", "~", "")


@pytest.mark.parametrize(
    "text,problem",
    [
        ("GS*HP~", "does not start with ISA"),
        ("ISA", "truncated ISA"),
        ("ISA*00*          *00", "truncated ISA: fewer than 16 elements"),
        (isa()[:-2], "truncated ISA"),
        ("ISAA00", "invalid element separator"),
        ("ISA 00", "invalid element separator"),
        (isa(component="*"), "invalid component separator '*' (ISA16)"),
        # ISA11 of ISA16's or the terminator's character: ISA11 is said (it was ISA16).
        (
            isa(repetition=":"),
            "invalid repetition separator ':' (ISA11): it is the component separator (ISA16) too",
        ),
        (
            isa(repetition="~"),
            "invalid repetition separator '~' (ISA11): it is the segment terminator too",
        ),
        # ISA11 of the element separator's character: counted as one, it had moved ISA16, said
        # "invalid component separator 'T'" (the fuzz tester).
        (
            isa(repetition="*"),
            "invalid repetition separator '*' (ISA11): it is the element separator too",
        ),
    ],
)
def test_unusable_isa_is_described(text, problem):
    found = isa_delimiters(text)
    assert isinstance(found, str)
    assert problem in found


@pytest.mark.parametrize(
    ("text", "ack"),
    [
        ("ISAA00", "TA1:026"),  # x12-notes §11.2: 026 invalid data element separator
        (isa(component="*"), "TA1:027"),  # 027 invalid component element separator
        (isa(component=":")[:-1] + "*", "TA1:004"),  # 004 invalid segment terminator
        ("ISA*00*          *00", "TA1:023"),  # 023 improper (premature) end-of-file
        (isa()[:-2] + "~GS", "TA1:027"),  # ISA16 left out: the terminator in its place
        (isa(repetition=" "), "TA1:016"),  # ISA11 a space (pyx12 maps ISA11 to 016)
        (isa(repetition=":"), "TA1:016"),  # ISA11 the component separator (ISA16) too
    ],
)
def test_an_unusable_isa_has_its_ta1_note_code(text: str, ack: str) -> None:
    # The one case a TA1 rejection is owed had none (ack None).
    with pytest.raises(TokenizeError) as unusable:
        read(text)
    assert (unusable.value.diagnostic.code, unusable.value.diagnostic.ack) == (
        "syntax.bad_isa",
        ack,
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"element": "*", "component": "*"},
        {"element": "A"},
        {"segment": " "},
        {"component": "::"},
        {"repetition": "~"},
        {"suffix": "\t"},
    ],
)
def test_bad_delimiters_are_a_configuration_error(kwargs):
    with pytest.raises(ConfigurationError):
        Delimiters(**kwargs)
    with pytest.raises(ValueError):  # ConfigurationError is also a ValueError
        Delimiters(**kwargs)


def test_describe_and_with_suffix():
    d = Delimiters("|", None, ">", "\n", "")
    assert d.describe() == "element | repetition (none) component > segment LF, no line break"
    assert d.with_suffix("\r\n").suffix == ""  # LF then CR LF would be a blank line
    assert Delimiters().describe() == "element * repetition ^ component : segment ~, LF"


def test_a_line_break_terminator_takes_no_second_line_break() -> None:
    """`Delimiters(segment="\\n")` kept its default suffix "\\n": every segment was followed by a
    blank line, an empty segment that pyx12 refuses. A CR terminator keeps LF (CR LF)."""
    assert Delimiters(segment="\n").suffix == ""
    assert Delimiters(segment="\n", suffix="\r\n").suffix == ""
    assert Delimiters(segment="\r").suffix == "\n"
    assert Delimiters(segment="\r", suffix="\r").suffix == ""
    assert Delimiters(segment="\r", suffix="").suffix == ""
    assert Delimiters(segment="\n").with_suffix("\n").suffix == ""
    assert Delimiters().suffix == "\n"


def test_nul_bytes_between_segments_are_said_once_and_dropped_when_written() -> None:
    """NUL padding between segments was dropped without a word, where NUL bytes at the end of the
    input are said."""
    text = interchange()
    padded = text.replace("~\nBPR", "~\n\x00\x00BPR").replace("~\nSE", "~\x00\nSE")
    segments, reader = read(padded)
    assert [s.id for s in segments] == ["ISA", "GS", "ST", "BPR", "TRN", "SE", "GE", "IEA"]
    assert [(d.code, d.severity) for d in reader.diagnostics] == [
        ("syntax.nul_between", Severity.WARNING)
    ]
    assert reader.diagnostics[0].location.segment_id == "ST"  # the segment the NUL bytes follow


@pytest.mark.parametrize("suffix", ["\n", "\r\n", "\r"])
def test_blanks_before_the_line_break_leave_it_the_line_break(suffix: str) -> None:
    """A file whose segments end `~  \n` (a trailing blank on each line) was taken for a file
    without line breaks (`edi envelopes`: "segment ~, no line break"), and `write_835` wrote it back
    on one line: the line break is the one after the blanks, which pad the segment as indentation
    does (its tail)."""
    text = interchange(suffix=suffix)
    padded = text.replace("~" + suffix, "~  \t" + suffix)
    found = isa_delimiters(padded)
    assert not isinstance(found, str) and found[0].suffix == suffix
    segments, reader = read(padded)
    assert [s.id for s in segments] == ["ISA", "GS", "ST", "BPR", "TRN", "SE", "GE", "IEA"]
    assert [s.line for s in segments] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert segments[0].delimiters.suffix == suffix and segments[0].tail == "~  \t" + suffix
    assert [d.code for d in reader.diagnostics] == ["syntax.blank_between"]  # once
    assert write_segments(segments) == padded  # the segments as read, their tails included
    fixture = (FIXTURES / "835" / "partly_paid.x12").read_text().replace("\n", suffix)
    (remit,) = edi.read_remittances(fixture.replace("~" + suffix, "~ " + suffix))
    assert edi.write_835([remit]) == fixture  # one segment a line, as read


def test_a_bare_set_with_blanks_before_its_line_breaks_has_line_breaks() -> None:
    text = "ST*835*0001~ \nBPR*I*0*C*NON~ \nSE*3*0001~ \n"
    found = guess_bare_delimiters(text)
    assert not isinstance(found, str) and found.suffix == "\n"


def test_blanks_before_an_unterminated_last_segment_are_said_too() -> None:
    """The end of the input took the blanks before its last segment without a word."""
    text = interchange().rstrip("~\n")  # IEA without its terminator
    assert text.endswith("\nIEA*1*000000001")
    segments, reader = read(text.replace("\nIEA", "\n  IEA"))
    assert [s.id for s in segments][-1] == "IEA"
    assert [d.code for d in reader.diagnostics] == [
        "syntax.blank_between",
        "syntax.unterminated_last_segment",
    ]


def test_blanks_between_interchanges_are_kept_and_not_said_dropped() -> None:
    """Blank text after an IEA's terminator and line break is the interchange's (written back:
    `_note_iea_tail`); it was said "dropped when written" (the format tester). Blanks before the
    IEA's line break are dropped, and said."""
    first = interchange()
    second = interchange("|", ">", "!", control="000000002")
    segments, reader = read(first + "  " + second)
    assert [s.id for s in segments].count("ISA") == 2
    assert reader.diagnostics == []
    fixture = (FIXTURES / "835" / "partly_paid.x12").read_text()
    other = fixture.replace("000000102", "000000103").replace("EFT2001", "EFT2002")
    text = fixture + "   \n" + other.replace("*", "|")
    remits = edi.read_remittances(text)
    assert edi.write_835(list(remits)) == text and remits.diagnostics == []
    dropped = fixture.replace("IEA*1*000000102~\n", "IEA*1*000000102~  \n") + other
    reader = edi.read_remittances(dropped)
    remits = list(reader)
    assert [d.code for d in reader.diagnostics] == ["syntax.blank_between"]
    assert edi.write_835(remits) == fixture + other


def test_a_5010_interchange_written_without_a_repetition_separator_keeps_isa11_out_of_data():
    """In 00501 ISA11 is the repetition separator (x12-notes §1.2): written with
    `Delimiters(repetition=None)`, the ISA still says `^`, so a value holding `^` is refused as one
    holding any other delimiter (it would be read back as repeated values)."""
    claim = edi.load_claims(FIXTURES / "837p/subscriber_is_patient.json")[0]
    subscriber = claim.subscriber.model_copy(update={"address_line_1": "10 ELM ST^APT 2"})
    odd = claim.model_copy(update={"subscriber": subscriber})
    for check in (True, False):
        with pytest.raises(edi.WriteError, match="N301 holds the repetition separator '\\^'"):
            edi.write_837([odd], delimiters=Delimiters(repetition=None), check=check)
    text = edi.write_837([claim], delimiters=Delimiters(repetition=None))
    back = [c.model_copy(update={"envelope": None}) for c in edi.read_claims(text)]
    assert text[82:83] == "^" and back == [claim]
    remit = next(iter(edi.read_remittances(FIXTURES / "835/paid_in_full.x12")))
    payer = remit.payer.model_copy(update={"name": "EXAMPLE^PLAN"})
    with pytest.raises(edi.WriteError, match="N102 holds the repetition separator"):
        edi.write_835(
            [remit.model_copy(update={"payer": payer})], delimiters=Delimiters(repetition=None)
        )


def test_isa11_read_as_a_separator_is_no_part_of_the_header_value():
    """Claims read from two files that differ only in their repetition separator are equal (the
    delimiters read are not compared), and each is written back with its own."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    other = text.replace("*^*00501*", "*!*00501*", 1)
    assert other != text
    ours, theirs = list(edi.read_claims(text)), list(edi.read_claims(other))
    assert ours == theirs
    assert edi.write_837(theirs) == other and edi.write_837(ours) == text
    # before 00501, ISA11 is a code (U), data of the header: kept and compared
    older = text.replace("*^*00501*", "*U*00401*", 1)
    read_older = list(edi.read_claims(older))
    assert read_older[0].envelope.interchange.standards_id == "U"
    assert read_older != ours and edi.write_837(read_older, check=False) == older


def test_an_isa11_that_is_no_separator_is_said_by_the_checks_not_taken_for_one() -> None:
    """An ISA11 set to a space (no delimiter can be one): written without a repetition separator,
    the envelope check names it, as before, rather than refusing a delimiter nobody gave."""
    claim = next(iter(edi.read_claims(FIXTURES / "837p/ambulance_dme.x12"))).model_copy(deep=True)
    claim.envelope.interchange.standards_id = " "
    said = "standards id (ISA11) ' ' must be 1 printable ASCII characters"
    (problem,) = edi.check_claims([claim], delimiters=Delimiters(repetition=None))
    assert said in problem
    with pytest.raises(edi.ClaimCheckError, match=re.escape(said)):
        edi.write_837([claim], delimiters=Delimiters(repetition=None))


@pytest.mark.parametrize(
    ("old", "new", "at", "said"),
    [
        # A blank line between two segments.
        ("~\nST*", "~\n\nST*", "GS", "a blank line (LF LF) after this segment"),
        # The ISA on its own line, the rest on one line.
        ("~\n", "~", "GS", "no line break after this segment"),
        # ISA and GS on one line, the others one a line.
        (
            "~\nGS*",
            "~GS*",
            "GS",
            "LF after this segment, where the segments of its interchange end with no line break",
        ),
        # A CRLF file converted once more (CR CR LF).
        ("~\n", "~\r\r\n", "ISA", "CR CR LF after the ISA, read as CR after each segment"),
    ],
)
def test_other_line_breaks_than_the_interchanges_are_said(
    old: str, new: str, at: str, said: str
) -> None:
    """The writers put the interchange's line break (read after its ISA) after every segment: a
    file whose segments end with others changed without a word (the format tester)."""
    fixture = (FIXTURES / "835" / "partly_paid.x12").read_text()
    text = fixture.replace(old, new)
    if new == "~":  # the ISA keeps its line break, the rest on one line
        isa, rest = fixture.split("\n", 1)
        text = isa + "\n" + rest.replace(old, new)
    reader = edi.read_remittances(text)
    remits = list(reader)
    (warning,) = reader.diagnostics
    assert (warning.code, warning.severity) == ("syntax.line_break", Severity.WARNING)
    assert warning.location is not None and warning.location.segment_id == at
    assert warning.message.startswith(said), warning.message
    assert len(remits) == 1 and edi.write_835(remits) != text  # written with one line break


def test_an_interchange_read_without_its_last_terminator_is_written_without_a_line_break() -> None:
    """The input ended with `IEA*1*000000102`: the terminator is added (said) but not the line
    break the input did not end with (README: "after the last one as the file ended")."""
    fixture = (FIXTURES / "835" / "partly_paid.x12").read_text()
    assert fixture.endswith("~\n")
    reader = edi.read_remittances(fixture[:-2])
    remits = list(reader)
    assert [d.code for d in reader.diagnostics] == ["syntax.unterminated_last_segment"]
    assert edi.write_835(remits) == fixture[:-1]
