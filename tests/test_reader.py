"""The streaming reader: segment positions (index, line, byte offset), chunking, and bad input."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

import edi
from edi.diagnostics import Location, Severity, is_fatal
from edi.errors import InputError, TokenizeError
from edi.x12.envelope import EnvelopeReader
from edi.x12.reader import SegmentReader, read_segments
from edi.x12.segment import Segment
from tests.helpers import interchange, isa, read, snapshot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# -- positions ---------------------------------------------------------------------------------------


def assert_positions_match_bytes(data: bytes, segments: list[Segment], newline: bytes) -> None:
    """Every segment's offset points at its ID in the raw bytes, its line is the count of line breaks
    before that offset, and body + tail cover the input without gaps."""
    for seg in segments:
        assert data[seg.offset :].startswith(seg.id.encode()), seg
        assert seg.line == data[: seg.offset].count(newline) + 1, seg
    for a, b in zip(segments, segments[1:], strict=False):
        written = (a.text() + a.tail).encode("utf-8", "surrogateescape")
        assert a.offset + len(written) == b.offset, (a, b)


def test_segment_numbers_within_the_set():
    segments, _ = read(interchange(body=["BPR*I*1", "TRN*1*2", "N1*PR*X"]))
    assert [(s.id, s.index) for s in segments] == [
        ("ISA", 0),
        ("GS", 0),
        ("ST", 1),
        ("BPR", 2),
        ("TRN", 3),
        ("N1", 4),
        ("SE", 5),
        ("GE", 0),
        ("IEA", 0),
    ]


def test_segment_numbers_restart_for_each_set_and_interchange():
    text = interchange() + interchange(control="000000002")
    segments, _ = read(text)
    assert [s.index for s in segments if s.id in ("ST", "SE")] == [1, 4, 1, 4]
    assert all(s.index == 0 for s in segments if s.id in ("ISA", "GS", "GE", "IEA"))


@pytest.mark.parametrize(
    "terminator,suffix,newline",
    [
        ("~", "\n", b"\n"),
        ("~", "\r\n", b"\n"),
        ("~", "\r", b"\r"),
        ("\n", "", b"\n"),
        ("\r", "\n", b"\n"),  # CRLF where the ISA says CR is the terminator
    ],
)
def test_lines_and_offsets(terminator, suffix, newline):
    data = interchange(terminator=terminator, suffix=suffix).encode()
    segments, _ = read(data)
    assert [s.line for s in segments] == list(range(1, 9))
    assert_positions_match_bytes(data, segments, newline)


def test_single_line_file():
    data = interchange(suffix="").encode()
    segments, _ = read(data)
    assert {s.line for s in segments} == {1}
    assert [s.offset for s in segments][:3] == [0, 106, 106 + len(segments[1].text()) + 1]
    assert_positions_match_bytes(data, segments, b"\n")


def test_offsets_are_bytes_after_non_ascii_text_and_a_bom():
    text = "\ufeff" + interchange(body=["N1*PR*CAFÉ Ü€ 😀", "N3*Straße 1", "N4*Köln"])
    data = text.encode("utf-8")
    segments, reader = read(data)
    assert segments[0].offset == 3  # after the 3-byte BOM
    assert reader.preamble == "\ufeff"
    by_id = {s.id: s for s in segments}
    assert by_id["N1"].element(2) == "CAFÉ Ü€ 😀"
    assert by_id["N3"].offset == by_id["N1"].offset + len("N1*PR*CAFÉ Ü€ 😀~\n".encode())
    assert_positions_match_bytes(data, segments, b"\n")


def test_invalid_utf8_survives_and_offsets_stay_in_bytes():
    data = interchange(body=["N1*PR*AB\xff\xfeCD", "N3*X"]).encode("latin-1")
    segments, _ = read(data)
    n1 = next(s for s in segments if s.id == "N1")
    assert n1.element(2).encode("utf-8", "surrogateescape") == b"AB\xff\xfeCD"
    assert_positions_match_bytes(data, segments, b"\n")


def test_segment_inside_several_lines_counts_them():
    # A line break inside an element (no suffix after terminators): lines still count.
    data = (isa() + "GS*HP~ST*835*0001~NTE*a\nb~SE*3*0001~").encode()
    segments, _ = read(data)
    assert [s.line for s in segments] == [1, 1, 1, 1, 2]


@pytest.mark.parametrize("suffix", ["\n", "\r\n"])
@pytest.mark.parametrize("chunk_size", [None, 7, 64])
def test_a_missing_terminator_before_a_line_break_is_said_and_the_segments_read(
    suffix: str, chunk_size: int | None
) -> None:
    """Segments that end in `~` and a line break, one without its `~`: the next segment was read
    into it (`CLM09` = `Y\nHI`, and the HI's codes as CLM10 ...), and nothing said why. The line
    break before a segment ID ends the segment; an error says its terminator is missing."""
    whole = interchange(body=["N1*PR*PAYER", "N3*1 MAIN ST", "N4*CITY*ST*12345"], suffix=suffix)
    fused = whole.replace("N1*PR*PAYER~", "N1*PR*PAYER")
    segments, reader = read(fused, chunk_size)
    expected, _ = read(whole)
    assert [s.elements for s in segments] == [s.elements for s in expected]
    assert [(s.index, s.line) for s in segments] == [(s.index, s.line) for s in expected]
    n1 = next(s for s in segments if s.id == "N1")
    assert n1.tail == suffix and n1.offset == next(s for s in expected if s.id == "N1").offset
    assert_positions_match_bytes(fused.encode(), segments, b"\n")
    (said,) = reader.diagnostics
    assert (said.code, said.severity, said.location.segment_id, said.location.line) == (
        "syntax.missing_terminator",
        Severity.ERROR,
        "N1",
        n1.line,
    )
    assert said.message.startswith("no segment terminator '~' at the end of this segment")
    # A line break that no segment ID follows is no segment's end (read as before).
    segments, reader = read(whole.replace("N3*1 MAIN ST", "N3*1 MAIN\nst"), chunk_size)
    assert next(s for s in segments if s.id == "N3").element(1) == "1 MAIN\nst"
    assert reader.diagnostics == []


def _rich_input() -> bytes:
    """BOM, several interchanges with different delimiters and line breaks, non-ASCII, trailing NULs."""
    text = (
        "\ufeff\r\n"
        + interchange(body=["N1*PR*ÄÖÜ €", "CLP*1*1*100*90", "SVC*HC:99213*100*90"])
        + interchange("|", ">", "~", "^", "\r\n", control="000000002")
        + interchange("*", ":", "\n", "^", "", control="000000003", body=["NTE*日本語"])
        + interchange("!", "^", "'", "{", "\r", control="000000004")
        + interchange(suffix="", control="000000005", body=["BPR*I*1"] * 40)
    )
    return text.encode("utf-8") + b"\x00\x00\n"


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 64, 107, None])
def test_chunk_boundaries_do_not_matter(chunk_size):
    data = _rich_input()
    expected, expected_reader = read(data)
    segments, reader = read(data, chunk_size)
    assert snapshot(segments) == snapshot(expected)
    assert reader.diagnostics == expected_reader.diagnostics
    assert reader.preamble == expected_reader.preamble == "\ufeff\r\n"
    assert reader.segment_count == len(segments) == 5 * 6 + (3 + 2 + 1 + 2 + 40)


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 64, None])
def test_chunk_boundaries_with_unterminated_last_segment(chunk_size):
    data = interchange().rstrip("~\n").encode()
    expected, expected_reader = read(data)
    segments, reader = read(data, chunk_size)
    assert snapshot(segments) == snapshot(expected)
    assert segments[-1].tail == ""
    assert [d.code for d in reader.diagnostics] == ["syntax.unterminated_last_segment"]


def test_tails_hold_what_follows_each_segment():
    data = interchange(suffix="\r\n").replace("~\r\nGE", "~\r\n\r\n  GE").encode()
    segments, _ = read(data)
    assert [s.tail for s in segments][5:8] == ["~\r\n\r\n  ", "~\r\n", "~\r\n"]


def test_double_terminator_goes_to_the_tail():
    segments, _ = read(interchange(suffix="").replace("~GE", "~~GE"))
    se = next(s for s in segments if s.id == "SE")
    assert se.tail == "~~"
    assert [s.id for s in segments][-2:] == ["GE", "IEA"]


@pytest.mark.parametrize(
    "make",
    [
        lambda data: data,
        lambda data: bytearray(data),
        lambda data: data.decode("utf-8"),
        lambda data: io.BytesIO(data),
    ],
    ids=["bytes", "bytearray", "str", "file"],
)
def test_sources(make, tmp_path):
    data = interchange().encode()
    expected = snapshot(read(data)[0])
    assert snapshot(list(SegmentReader(make(data)))) == expected
    path = tmp_path / "x.x12"
    path.write_bytes(data)
    assert snapshot(list(read_segments(path))) == expected


def test_a_str_is_x12_text_or_an_existing_file(tmp_path):
    path = tmp_path / "x.x12"
    path.write_bytes(interchange().encode())
    assert [s.id for s in SegmentReader(str(path))][:2] == ["ISA", "GS"]
    # A file name that names no file raises as a Path does (when reading starts).
    with pytest.raises(FileNotFoundError, match="missing.x12"):
        list(SegmentReader(str(tmp_path / "missing.x12")))
    # So does one that names a folder (as a Path does). Anything else is read as (bad) X12 text,
    # never an OSError.
    with pytest.raises(IsADirectoryError):
        list(SegmentReader(str(tmp_path)))
    # A name without an extension in a folder is a file name too (it was read as X12 text, which
    # said "not X12", or nothing at all with the claims' diagnostics unread: a typo went unseen).
    for name in ("./claims", "inbox/claims_march", "~/claims", "..\\claims", "in/claims~1.x12"):
        with pytest.raises(FileNotFoundError):
            list(SegmentReader(name))
    for text, code in [
        ("claims_march", "syntax.not_x12"),  # no folder, no extension: text (which is no X12)
        ("ISA/x", "syntax.bad_isa"),  # X12 text (a broken ISA), though it holds a slash
        ("   \n", "syntax.empty"),
        ("", "syntax.empty"),
        ("x" * 5000, "syntax.not_x12"),
    ]:
        with pytest.raises(TokenizeError) as err:
            list(SegmentReader(text))
        assert err.value.diagnostic.code == code


def test_a_file_opened_in_text_mode_is_read(tmp_path):
    path = tmp_path / "x.x12"
    path.write_bytes(interchange().encode())
    expected = [s.text() for s in SegmentReader(path)]
    with path.open(encoding="utf-8") as text_file:
        assert [s.text() for s in SegmentReader(text_file)] == expected
    assert [s.text() for s in SegmentReader(io.StringIO(path.read_text()))] == expected


def test_segment_count_and_unknown_source_type():
    reader = SegmentReader(interchange())
    assert len(list(reader)) == reader.segment_count == 8
    with pytest.raises(TypeError, match="cannot read X12"):
        list(SegmentReader(12345))  # type: ignore[arg-type]


# -- bad input ---------------------------------------------------------------------------------------

BAD_START = [
    pytest.param(b"", "syntax.empty", "empty", id="empty"),
    pytest.param(" \r\n\t \n", "syntax.empty", "empty", id="whitespace"),
    pytest.param(b"\xef\xbb\xbf", "syntax.empty", "empty", id="bom-only"),
    pytest.param(b'{"claims": [1, 2]}\n', "syntax.not_x12", "not X12", id="json"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "syntax.not_x12", "not X12", id="png"),
    pytest.param(
        bytes(random.Random(7).randrange(256) for _ in range(4096)),
        "syntax.not_x12",
        "not X12",
        id="binary",
    ),
    pytest.param(
        b"\x00\x00\t\x89PNG\r\n\x1a\n\x00", "syntax.not_x12", "not X12", id="nul-then-binary"
    ),
    pytest.param(b"ISA", "syntax.bad_isa", "truncated ISA", id="isa-only"),
    pytest.param(isa()[:60].encode(), "syntax.bad_isa", "truncated ISA", id="truncated-isa"),
    pytest.param(isa()[:-2].encode(), "syntax.bad_isa", "truncated ISA", id="isa-without-isa16"),
    pytest.param(b"ST*", "syntax.bad_st", "bare ST", id="st-only"),
]


@pytest.mark.parametrize("data,code,words", BAD_START)
def test_unreadable_input_raises_one_tokenize_error(data, code, words):
    reader = SegmentReader(data)
    with pytest.raises(TokenizeError) as err:
        list(reader)
    diag = err.value.diagnostic
    assert isinstance(err.value, InputError)
    assert diag.code == code
    assert diag.severity is Severity.FATAL
    assert words in diag.message
    assert diag.location is not None and diag.location.line == 1
    assert str(err.value) == str(diag)
    assert str(diag).isprintable()
    assert reader.diagnostics == []  # no warnings about a preamble of something that is not X12


@pytest.mark.parametrize("data,code,words", BAD_START)
def test_envelope_reader_reports_unreadable_input_without_raising(data, code, words):
    env = EnvelopeReader(data)
    assert list(env) == []
    assert env.fatal is not None and env.fatal.code == code
    assert [d.code for d in env.diagnostics] == [code]
    assert env.interchanges == []


def _wrapped(width: int, newline: str = "\n") -> bytes:
    """The 837 fixture cut into lines of `width` characters, as a mainframe or a mail program
    writes X12 (line breaks in the middle of segments)."""
    flat = (FIXTURES / "837p/dependent.x12").read_text().replace("\n", "")
    lines = [flat[i : i + width] for i in range(0, len(flat), width)]
    return (newline.join(lines) + newline).encode()


@pytest.mark.parametrize(
    "width,newline,inside",
    [
        (80, "\n", "ISA"),
        (80, "\r\n", "ISA"),
        (64, "\n", "ISA"),
        (132, "\r\n", "GS"),
        (256, "\n", "NM1"),
    ],
)
def test_a_wrapped_file_is_one_error_that_says_so(width, newline, inside):
    """A file cut into lines of one width broke every segment with a line break in it: 20 problems
    for an 837 of 3 claims (ISA10 '100\\n0', NM1*4\\n1 not expected, claims not read ...), some
    of them over two lines. One error says what it is and what to do."""
    with pytest.raises(TokenizeError) as err:
        list(SegmentReader(_wrapped(width, newline)))
    diag = err.value.diagnostic
    assert diag.code == "syntax.wrapped" and diag.severity is Severity.FATAL
    assert str(diag) == (
        f"byte {width} (line 1): the input is wrapped at {width} characters a line: its line "
        f"breaks fall inside segments (the first inside {inside}); join its lines (remove the "
        "line breaks) and read it again"
    )
    # Joined, it reads.
    assert not read(_wrapped(width, newline).replace(newline.encode(), b""))[1].diagnostics


def test_bom_before_unusable_isa_points_after_the_bom():
    with pytest.raises(TokenizeError) as err:
        list(SegmentReader(b"\xef\xbb\xbf\n" + isa()[:50].encode()))
    loc = err.value.diagnostic.location
    assert loc is not None and (loc.offset, loc.line) == (4, 2)


def _complete_sets(env: EnvelopeReader) -> list[str]:
    return [ts.control_number for ts in env if ts.trailer is not None]


def test_truncated_mid_segment_keeps_what_came_before():
    good = interchange(control="000000001")
    data = (good + interchange(control="000000002")[:-50]).encode()
    segments, reader = read(data)
    fatal = [d for d in reader.diagnostics if d.severity is Severity.FATAL]
    assert len(fatal) == 1
    assert fatal[0].code == "syntax.truncated"
    assert "ends in the middle of a 'TRN' segment" in fatal[0].message
    assert fatal[0].location is not None
    assert (fatal[0].location.segment_id, fatal[0].location.line) == ("TRN", 13)
    assert [s.id for s in segments[:8]] == ["ISA", "GS", "ST", "BPR", "TRN", "SE", "GE", "IEA"]
    assert segments[-1].tail == ""

    env = EnvelopeReader(data)
    sets = list(env)
    assert is_fatal(env.diagnostics)
    assert [ts.control_number for ts in sets if ts.trailer is not None] == ["0001"]
    assert env.interchanges[0].trailer is not None
    assert env.interchanges[0].diagnostics == []
    assert [d.ack for d in env.interchanges[1].diagnostics] == ["TA1:023"]


@pytest.mark.parametrize("chunk_size", [64, 333, 1 << 16])
def test_an_unusable_isa_between_interchanges_costs_its_interchange_alone(chunk_size):
    """`cat a b c` where b's ISA is unusable (ISA16 a letter): reading stopped there, and c was never
    read (the batch tester). b's interchange is skipped to the next ISA that is usable, said once
    (an error, not a fatal one); c is read with its own delimiters, at its own lines and bytes."""
    first = interchange(control="000000021")
    bad = interchange(control="000000022").replace("*:~\n", "*A~\n", 1)
    assert "*A~\n" in bad and bad.count("ISA") == 1
    third = interchange("|", ">", control="000000023", suffix="\r\n")
    data = (first + bad + third).encode()
    reader = SegmentReader(data, chunk_size=chunk_size)
    segments = list(reader)
    ids = ["ISA", "GS", "ST", "BPR", "TRN", "SE", "GE", "IEA"]
    assert [s.id for s in segments] == ids * 2
    assert [s.element(13) for s in segments if s.id == "ISA"] == ["000000021", "000000023"]
    (said,) = reader.diagnostics
    assert (said.code, said.severity) == ("syntax.bad_isa", Severity.ERROR)
    assert said.location is not None
    assert (said.location.line, said.location.offset) == (9, len(first))
    third_line = 1 + (first + bad).count("\n")
    assert said.message == (
        "unusable ISA: invalid component separator 'A' (ISA16); its interchange is not read, "
        f"reading on at the next ISA (line {third_line})"
    )
    later = segments[8:]
    assert later[0].line == third_line and later[0].offset == len(first) + len(bad)
    assert later[1].line == third_line + 1
    # The envelopes see the first and the third interchange, whole.
    env = EnvelopeReader(data)
    assert _complete_sets(env) == ["0001", "0001"]
    assert env.fatal is None and [i.control_number for i in env.interchanges] == [
        "000000021",
        "000000023",
    ]


@pytest.mark.parametrize("chunk_size", [5, 17, 64, 333, 1 << 16])
@pytest.mark.parametrize("suffix", ["\n", "\r\n"])
def test_after_an_unusable_isa_an_isa_inside_data_is_not_read_as_one(chunk_size, suffix):
    """The skipped interchange holds a name with an ISA's text in it (`NM1*QC*1*ISA*...`): taken
    for the next interchange, its elements were quoted in the messages (PHI: the reviewer). An
    interchange starts at an ISA after no text of its own and before a GS, TA1 or IEA. Its lines
    are counted alike whatever the chunk size (CR LF split between chunks was counted twice)."""
    first = interchange(control="000000021", suffix=suffix)
    inside = "NM1*QC*1*" + isa(control="000000099")
    bad = interchange(control="000000022", suffix=suffix, body=["BPR*I", inside[:-1]])
    bad = bad.replace("*:~", "*A~", 1)
    third = interchange(control="000000023", suffix=suffix)
    data = (first + bad + third).encode()
    reader = SegmentReader(data, chunk_size=chunk_size)
    segments = list(reader)
    assert [s.element(13) for s in segments if s.id == "ISA"] == ["000000021", "000000023"]
    (said,) = reader.diagnostics
    third_line = 1 + (first + bad).count("\n")
    assert said.message.endswith(f"reading on at the next ISA (line {third_line})")
    assert segments[8].line == third_line


@pytest.mark.parametrize("chunk_size", [64, 1 << 16])
def test_an_unusable_isa_of_other_delimiters_is_said_as_one(chunk_size):
    """An unusable ISA (ISA11 its element separator) of an interchange with other delimiters than
    the one before it (`|` and line breaks after `*` and `~`): at the end of the input it was said
    as a segment cut short and one outside any set (the reviewer). It is an unusable ISA: the
    input ends there (fatal), or reading goes on at a usable ISA after it."""
    first = interchange(control="000000021")
    bad = interchange("|", ">", "\n", "|", suffix="", control="000000022")
    assert "|||00501|" in bad
    seen: list[Segment] = []
    with pytest.raises(TokenizeError) as err:
        for seg in SegmentReader((first + bad).encode(), chunk_size=chunk_size):
            seen.append(seg)
    assert [s.id for s in seen][-1] == "IEA" and len(seen) == 8
    diag = err.value.diagnostic
    assert diag.code == "syntax.bad_isa" and diag.message.startswith(
        "unusable ISA: invalid repetition separator '|' (ISA11): it is the element separator too"
    )
    assert diag.message.endswith("no ISA follows: the rest of the input is not read")
    assert diag.location is not None and diag.location.offset == len(first)
    third = interchange("|", ">", "\n", "^", suffix="", control="000000023")
    reader = SegmentReader((first + bad + third).encode(), chunk_size=chunk_size)
    segments = list(reader)
    assert [s.element(13) for s in segments if s.id == "ISA"] == ["000000021", "000000023"]
    (said,) = reader.diagnostics
    line = 1 + (first + bad).count("\n")
    assert said.message.endswith(f"reading on at the next ISA (line {line})")


def test_a_bom_before_a_later_interchange_is_padding():
    """`cat a.835 b.835` of two files that each start with a BOM: the second BOM sat before its
    ISA, which was read as a segment `\ufeffISA` outside any set, and its interchange lost its ISA
    (the batch tester; x12-notes §1.2, §13: a BOM may come before an ISA). Now padding, said once."""
    first, second = interchange(control="000000041"), interchange(control="000000042")
    data = ("\ufeff" + first + "\ufeff" + second).encode()
    reader = SegmentReader(data)
    segments = list(reader)
    assert [s.id for s in segments if s.id == "ISA"] == ["ISA", "ISA"]
    assert [d.code for d in reader.diagnostics] == ["syntax.preamble", "syntax.bom_between"]
    second_isa = [s for s in segments if s.id == "ISA"][1]
    assert second_isa.offset == 3 + len(first) + 3  # bytes: each BOM is three
    assert data[second_isa.offset :].startswith(b"ISA")
    env = EnvelopeReader(data)
    assert _complete_sets(env) == ["0001", "0001"]
    assert [i.control_number for i in env.interchanges] == ["000000041", "000000042"]
    # Before another segment a BOM is damage, not a join: kept in the segment, and said (it had
    # been silent padding before any segment: the reviewer).
    damaged = first.replace("\nGS*", "\n\ufeffGS*", 1).encode()
    segments = list(SegmentReader(damaged))
    assert [s.id for s in segments][:2] == ["ISA", "\ufeffGS"]
    env = EnvelopeReader(damaged)
    list(env)
    assert any(d.severity is Severity.ERROR for d in env.diagnostics)


def test_input_ending_inside_the_next_isa():
    data = (interchange() + isa()[:70]).encode()
    segments, reader = read(data)
    assert [s.id for s in segments] == ["ISA", "GS", "ST", "BPR", "TRN", "SE", "GE", "IEA", "ISA"]
    [diag] = reader.diagnostics
    assert (diag.code, diag.severity) == ("syntax.truncated", Severity.FATAL)
    assert diag.location is not None
    assert (diag.location.segment_id, diag.location.line) == ("ISA", 9)
    assert diag.location.offset == len(interchange())


def test_bad_isa_after_a_complete_interchange():
    data = (interchange() + "ISA*00*short~GS*HP~").encode()
    seen: list[Segment] = []
    with pytest.raises(TokenizeError) as err:
        for seg in SegmentReader(data):
            seen.append(seg)
    assert [s.id for s in seen] == ["ISA", "GS", "ST", "BPR", "TRN", "SE", "GE", "IEA"]
    assert seen[-1].tail == "~\n"
    diag = err.value.diagnostic
    assert diag.code == "syntax.bad_isa" and "unusable ISA" in diag.message
    assert diag.location is not None
    assert (diag.location.line, diag.location.offset) == (9, len(interchange()))

    env = EnvelopeReader(data)
    assert _complete_sets(env) == ["0001"]
    assert env.fatal is not None and env.fatal.code == "syntax.bad_isa"
    assert len(env.interchanges) == 1 and env.interchanges[0].trailer is not None
    assert [d.code for d in env.diagnostics] == ["syntax.bad_isa"]


@pytest.mark.parametrize("chunk_size", [1 << 16, None])
def test_megabytes_without_terminator(chunk_size):
    data = interchange().encode() + b"ST*835*0002~CLP*" + b"9" * (5 << 20)
    seen: list[Segment] = []
    reader = (
        SegmentReader(data) if chunk_size is None else SegmentReader(data, chunk_size=chunk_size)
    )
    with pytest.raises(TokenizeError) as err:
        for seg in reader:
            seen.append(seg)
    assert [s.id for s in seen][-2:] == ["IEA", "ST"]
    diag = err.value.diagnostic
    assert diag.code == "syntax.no_terminator"
    assert "'~'" in diag.message and "'CLP'" in diag.message
    assert diag.location is not None and diag.location.offset == len(interchange()) + 12

    env = EnvelopeReader(data)
    assert _complete_sets(env) == ["0001"]
    assert env.fatal is not None and env.fatal.code == "syntax.no_terminator"
    assert env.interchanges[0].trailer is not None


@pytest.mark.parametrize("blank", [b"\0", b" ", b"\n"])
def test_a_run_of_blanks_is_read_once_and_stops_where_a_segment_would(blank: bytes) -> None:
    """A run of NUL bytes, spaces or line breaks before the first segment or between two was
    stripped again with each chunk read: 16 MB took 30 s, 50 MB of NULs minutes, and a stream of
    NULs never ended (the robustness tester). Now each chunk is stripped once, and a run longer
    than a segment may be (4 MiB) stops reading, as a segment that long does."""
    limit = 1 << 22
    one = interchange().encode()
    # Under the limit: read, before the first segment and between two interchanges.
    segments, reader = read(blank * (limit // 2) + one + blank * (limit // 2) + one)
    assert [s.id for s in segments].count("ISA") == 2
    assert reader.preamble == (blank * (limit // 2)).decode()
    # Over it: stopped, with what was read before handed out.
    for data, before in ((blank * (limit + 2) + one, 0), (one + blank * (limit + 2) + one, 1)):
        seen: list[Segment] = []
        with pytest.raises(TokenizeError) as err:
            seen.extend(SegmentReader(data))
        assert err.value.diagnostic.code == "syntax.blank_run"
        assert err.value.diagnostic.message == (
            f"over {limit} blank characters (NUL bytes, spaces or line breaks) or empty segments "
            "in a row, and no segment after them: not X12 data"
        )
        assert [s.id for s in seen].count("IEA") == before


@pytest.mark.parametrize("empty", [b"~", b"~\n"])
def test_a_run_of_empty_segments_is_kept_and_stops_where_a_segment_would(empty: bytes) -> None:
    """A run of terminators (empty segments) went to the tail of the segment before it one by one,
    each time copying the tail: a megabyte took 23 s, five never ended (the fuzz tester), and no
    limit applied. Kept as read (written back so), and a run past what a segment may hold (4 MiB)
    stops reading, as a run of blanks does."""
    limit = 1 << 22
    one = interchange().encode()
    run = empty * 1000
    segments, _ = read(one + run + one)
    iea = next(s for s in segments if s.id == "IEA")
    assert iea.tail is not None and iea.tail.endswith(run.decode())
    assert [s.id for s in segments].count("ISA") == 2
    seen: list[Segment] = []
    with pytest.raises(TokenizeError) as err:
        seen.extend(SegmentReader(one + empty * (limit // len(empty) + 2) + one))
    assert err.value.diagnostic.code == "syntax.blank_run"
    assert [s.id for s in seen].count("IEA") == 1


def test_a_run_of_line_breaks_is_counted_in_its_warning() -> None:
    """A warning named each line break of a run: 16 MB of LF made a line of 48 MB."""
    text = interchange()
    first = text.index("~\n") + 2
    _, reader = read(text[:first] + "\n" * 1000 + text[first:])
    (said,) = [d for d in reader.diagnostics if d.code == "syntax.line_break"]
    assert said.message.startswith("1001 LF in a row after the ISA") and len(said.message) < 200
    _, reader = read(text[:first] + "\r\n" * 5 + text[first:])
    (said,) = [d for d in reader.diagnostics if d.code == "syntax.line_break"]
    assert said.message.startswith("5 CR and 6 LF in a row after the ISA")


def test_binary_garbage_after_a_complete_interchange():
    data = interchange().encode() + b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"
    segments, reader = read(data)
    assert [s.id for s in segments][:8] == ["ISA", "GS", "ST", "BPR", "TRN", "SE", "GE", "IEA"]
    # An error, not fatal: every segment before it was read (edi exits 1, not 2), and said once
    # (the envelope said it again as a segment outside any set).
    [diag] = reader.diagnostics
    assert (diag.code, diag.severity) == ("syntax.trailing_garbage", Severity.ERROR)
    assert "not X12" in diag.message
    assert str(diag).isprintable()
    assert diag.location is not None and diag.location.offset == len(interchange())

    env = EnvelopeReader(data)
    assert _complete_sets(env) == ["0001"]
    assert env.interchanges[0].diagnostics == []
    assert [d.code for d in env.diagnostics] == ["syntax.trailing_garbage"]


def test_unterminated_trailer_is_only_a_warning():
    data = interchange().removesuffix("~\n")
    segments, reader = read(data)
    assert segments[-1].id == "IEA" and segments[-1].tail == ""
    [diag] = reader.diagnostics
    assert diag.code == "syntax.unterminated_last_segment"
    assert diag.severity is Severity.WARNING
    assert diag.location is not None and diag.location.segment_id == "IEA"


def test_gc_is_restored():
    import gc

    assert gc.isenabled()
    list(SegmentReader(interchange()))
    assert gc.isenabled()
    gc.disable()
    try:
        list(SegmentReader(interchange()))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_terminator_that_is_not_utf8_is_reported_not_raised() -> None:
    # `ST:` then a Latin-1 byte: the delimiters an ST-first file announces are ':' and that byte.
    data = b"ST:\xe9*835*1234~BPR*I*100*C~SE*3*1234~"
    reader = SegmentReader(data)
    segments = list(reader)  # was a UnicodeEncodeError
    assert segments[0].id == "ST"
    assert "no segment terminator" in str(reader.diagnostics[-1])
    # The rest of the file is no segment: said once, quoted and short, and not again by the
    # envelope as a segment outside any set.
    envelopes = EnvelopeReader(data)
    list(envelopes)
    said = [str(d) for d in envelopes.diagnostics if "*83" in str(d)]
    assert said == [
        "byte 4 (line 1): the input ends with data that is not X12 ('*83…'): no segment ID and "
        "no segment terminator '\\udce9'"
    ]


def test_a_location_keeps_no_more_of_text_that_is_no_segment_id_than_its_message() -> None:
    # Logged with repr or to_dict, a diagnostic showed the whole text where an ID should be.
    where = Location(3, "TESTNAME JOHN MBR998877", 3, 40)
    assert (where.segment_id, where.describe()) == ("TES…", "segment 3 'TES…' (line 3)")
    assert Location(3, "NM31", 3, 40).segment_id == "NM31"  # an ID with a stray character: whole


def test_a_directory_named_by_a_str_is_no_x12_text(tmp_path: Path) -> None:
    """A `str` naming a directory was read as X12 text ("not X12: ... found '/tm…'"); the `Path`
    raises `IsADirectoryError`, and so does the `str` now (the robustness tester)."""
    import edi

    for source in (tmp_path, str(tmp_path)):
        with pytest.raises(IsADirectoryError):
            list(edi.read_claims(source))


def test_an_iterable_that_holds_no_segments_is_no_source() -> None:
    """`EnvelopeReader` reads segments given as an iterable; a list of bytes raised
    `AttributeError` from deep inside (the robustness tester). README: anything else raises
    `TypeError`."""
    import edi

    data = interchange().encode()
    with pytest.raises(TypeError, match="iterable of bytes"):
        edi.read_envelopes([data])
    with pytest.raises(TypeError, match="iterable of int"):
        edi.read_envelopes(iter([1, 2]))
    segments = list(SegmentReader(data))
    assert len(edi.read_envelopes(segments).interchanges) == 1
    assert len(edi.read_envelopes(iter(segments)).interchanges) == 1


def test_a_str_starting_with_a_tilde_is_in_the_home_folder(tmp_path, monkeypatch):
    """`~/claims.837` names a file in the home folder, as a shell has it (a Path does not expand
    it: the file there raised FileNotFoundError)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "claims.x12").write_bytes(interchange().encode())
    assert [s.id for s in SegmentReader("~/claims.x12")][:2] == ["ISA", "GS"]


def test_a_segment_on_the_first_line_is_told_apart_by_its_byte():
    """A file on one line (no line breaks) put every problem at `line 1`; four sets had a segment
    11 (the batch tester). On line 1, the byte offset is said too; on other lines it is not."""
    assert (
        Location(11, "SBR", 1, 1234, "2000B", "subscriber").describe()
        == "segment 11 SBR (line 1, byte 1234, loop 2000B subscriber)"
    )
    assert Location(1, "ISA", 1, 0).describe() == "segment 1 ISA (line 1)"
    assert Location(11, "SBR", 12, 1234).describe() == "segment 11 SBR (line 12)"
    data = interchange(suffix="").encode()
    assert b"\n" not in data
    env = EnvelopeReader(data.replace(b"SE*4*", b"SE*9*"))
    list(env)
    (said,) = env.diagnostics
    offset = data.index(b"SE*")
    assert str(said).startswith(f"segment 4 SE (line 1, byte {offset}, element SE01): ")


def test_an_empty_segment_is_said_once_as_dropped_when_written() -> None:
    """`~~` (a segment with no element) was read as padding and dropped when written, with nothing
    said, where a BOM, NUL bytes or blanks are each said (the 835 fuzz tester). X12 RFI 22: a
    segment holds a data element. Said once a reading, after a segment and after the last."""
    text = (FIXTURES / "835" / "partly_paid.x12").read_text()
    one_line = text.replace("~\n", "~")
    for changed, after in (
        (one_line.replace("~TRN*", "~~TRN*"), "segment 2 BPR"),
        (one_line.replace("~N1*PE", "~~~N1*PE").replace("~TRN*", "~~TRN*"), "segment 2 BPR"),
        (text + "~~\n", "segment IEA"),
    ):
        reader = edi.read_remittances(changed)
        remits = list(reader)
        said = [str(d) for d in reader.diagnostics]
        assert len(said) == 1 and said[0].startswith(after), said
        assert "an empty segment (a second terminator '~' in a row) after this segment " in said[0]
        assert reader.diagnostics[0].severity is Severity.WARNING
        assert "~~" not in edi.write_835(remits, check=False)
    # A file whose terminator is a line break: a blank line after its IEA is kept, and no empty
    # segment (the reviewer: "dropped when written", though it was written back).
    lines = text.replace("~\n", "\n") + "\n"
    reader = edi.read_remittances(lines)
    remits = list(reader)
    assert reader.diagnostics == [] and edi.write_835(remits, check=False) == lines
