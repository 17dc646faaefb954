"""The syntax layer over the public corpus in ../shared/corpus (skipped when it is absent).

Every file goes through the envelope reader without an exception; the envelope problems each file's
SOURCES.tsv notes list ("ENVELOPE/SYNTAX ISSUES: ...") are reported with the right code and no others;
every file reads and writes back byte for byte, and survives re-delimiting.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from edi.diagnostics import Diagnostic, Severity
from edi.x12.delimiters import Delimiters
from edi.x12.envelope import EnvelopeReader
from edi.x12.reader import SegmentReader
from edi.x12.segment import Segment
from edi.x12.writer import write_segments
from tests.helpers import CorpusFile, corpus_files, corpus_params, requires_corpus

pytestmark = requires_corpus

# Envelope problems that the notes list, and the diagnostic code each must produce.
ISSUE_CODES = [
    (re.compile(r"SE01=\d+ but \d+ segs"), "envelope.se01_count"),
    (re.compile(r"SE02!=ST02"), "envelope.se02_mismatch"),
    (re.compile(r"missing SE|ST without SE"), "envelope.missing_se"),
    (re.compile(r"GE01=\d+ but \d+ ST"), "envelope.ge01_count"),
    (re.compile(r"GE02!=GS06"), "envelope.ge02_mismatch"),
    (re.compile(r"missing GE|GS without GE"), "envelope.missing_ge"),
    (re.compile(r"GE without GS"), "envelope.ge_without_gs"),
    (re.compile(r"no GS"), "envelope.st_outside_group"),
    (re.compile(r"IEA01=\d+ but \d+ GS"), "envelope.iea01_count"),
    (re.compile(r"IEA02!=ISA13"), "envelope.iea02_mismatch"),
    (re.compile(r"missing IEA|ISA without IEA"), "envelope.missing_iea"),
]
COUNTED = {code for _, code in ISSUE_CODES}
# Problems the notes do not count but that we can count independently from the segments.
DUPLICATES = {"envelope.duplicate_isa13", "envelope.duplicate_gs06", "envelope.duplicate_st02"}

# Where our reading of a file differs from its note, and why we are right.
NOTE_CORRECTIONS: dict[str, Counter[str]] = {
    # ST02 is "300145997 " (trailing blank), SE02 "300145997", and ISA10 is "3339" (not a time):
    # pyx12's own acknowledgement of this file (azoner__pyx12/ele.997.base) says AK5*R*3 and TA1 R 015,
    # as we do; and the ST02 is 10 characters, one more than its AN 4/9 allows (IK502 7).
    "azoner__pyx12/ele.txt": Counter(
        {"envelope.se02_mismatch": 1, "envelope.isa10": 1, "envelope.st02": 1}
    ),
    # Its TA1 answers interchange "101": TA101 is N0 9/9 (x12.control.00501, TA101), as ISA13 is.
    "imsweb__x12-parser/x12_999_accepted_ta1.txt": Counter({"envelope.ta101": 1}),
}
NOTE_RENAMES: dict[str, dict[str, str]] = {
    # Its GS is "GS*TEST*TEST" (no GS06): the note calls that no GS; we see a GE02 that does not
    # match the empty GS06.
    "zentist__TigerShark/sample_835.txt": {"envelope.ge_without_gs": "envelope.ge02_mismatch"},
}
FILES = {f.local_path: f for f in corpus_files()}


def expected_codes(f: CorpusFile) -> Counter[str]:
    expected: Counter[str] = Counter()
    renames = NOTE_RENAMES.get(f.local_path, {})
    for issue in f.issues:
        for pattern, code in ISSUE_CODES:
            if pattern.fullmatch(issue):
                expected[renames.get(code, code)] += 1
    corrections = NOTE_CORRECTIONS.get(f.local_path, Counter())
    return expected + Counter({code: n for code, n in corrections.items() if code in COUNTED})


def duplicate_codes(segments: list[Segment]) -> Counter[str]:
    """Repeated control numbers, counted straight from the segments (x12-notes §1.3)."""
    found: Counter[str] = Counter()
    isa13: set[str] = set()
    gs06: set[str] = set()
    st02: set[str] = set()
    for seg in segments:
        if seg.id == "ISA":
            found["envelope.duplicate_isa13"] += seg.element(13) in isa13
            isa13.add(seg.element(13))
            gs06 = set()
        elif seg.id == "GS":
            found["envelope.duplicate_gs06"] += seg.element(6) in gs06
            gs06.add(seg.element(6))
            st02 = set()
        elif seg.id == "ST":
            found["envelope.duplicate_st02"] += seg.element(2) in st02
            st02.add(seg.element(2))
    return +found


def read_file(f: CorpusFile) -> tuple[EnvelopeReader, list[object]]:
    reader = EnvelopeReader(f.path)
    sets = list(reader)
    return reader, sets


def line_of(data: bytes, diag: Diagnostic) -> int:
    assert diag.location is not None
    return data[: diag.location.offset].count(b"\n") + 1


@pytest.mark.parametrize("f", corpus_params())
def test_every_file_is_read_and_its_envelope_problems_are_reported(f: CorpusFile) -> None:
    reader, sets = read_file(f)
    assert reader.fatal is None
    diags = reader.diagnostics
    assert not any(d.severity is Severity.FATAL for d in diags), [str(d) for d in diags]

    # The notes list each distinct problem once (three sets with the same wrong SE01 are one item).
    actual = Counter(d.code for d in diags if d.code in COUNTED)
    expected = expected_codes(f)
    assert set(actual) == set(expected), [str(d) for d in diags]
    assert all(actual[code] >= n for code, n in expected.items())

    segments = list(SegmentReader(f.path))
    assert len(segments) == f.count("segs")
    assert Counter(d.code for d in diags if d.code in DUPLICATES) == duplicate_codes(segments)

    interchanges = [ic for ic in reader.interchanges if ic.header is not None]
    assert len(interchanges) == f.count("ISA")
    assert sum(1 for ic in interchanges for g in ic.groups if g.header is not None) == f.count("GS")
    assert len(sets) == f.count("ST")

    if f.consistent:
        allowed = DUPLICATES | set(NOTE_CORRECTIONS.get(f.local_path, ()))
        errors = [
            str(d)
            for d in diags
            if d.severity is Severity.ERROR
            and d.code.startswith("envelope.")
            and d.code not in allowed
        ]
        assert errors == []
    codes = {d.code for d in diags}
    assert ("envelope.isa_width" in codes) == ("ISA not fixed-width" in f.notes)
    assert ("envelope.no_isa" in codes) == ("NO ISA/GS envelope" in f.notes)
    if "unterminated last segment" in f.notes:
        assert "syntax.unterminated_last_segment" in codes


def _one(f: str, code: str) -> tuple[Diagnostic, bytes]:
    reader, _ = read_file(FILES[f])
    [diag] = [d for d in reader.diagnostics if d.code == code]
    data = FILES[f].path.read_bytes()
    assert diag.location is not None
    assert diag.location.line == line_of(data, diag)
    return diag, data


def _require(*names: str) -> None:
    missing = [n for n in names if n not in FILES]
    if missing:
        pytest.skip(f"not in the corpus: {missing}")


def test_imsweb_hard_coded_se01() -> None:
    imsweb = [
        f for f in FILES.values() if f.local_path.startswith("imsweb__") and "SE01=25" in f.notes
    ]
    if not imsweb:
        pytest.skip("no imsweb files")
    for f in imsweb:
        reader, _ = read_file(f)
        found = [d for d in reader.diagnostics if d.ack == "IK502:4"]
        assert found, f
        for diag in found:
            assert diag.location is not None and diag.location.segment_id == "SE"
            assert diag.location.element == "SE01"
            assert "'25'" in diag.message or "'26'" in diag.message


def test_fail_no_iea() -> None:
    _require("azoner__pyx12/fail_no_IEA.txt")
    diag, data = _one("azoner__pyx12/fail_no_IEA.txt", "envelope.missing_iea")
    assert diag.ack == "TA1:023"
    assert diag.location is not None and diag.location.segment_id == "GE"
    assert data.rstrip().endswith(b"GE*1*1~") or b"IEA" not in data


def test_trailer_errors() -> None:
    name = "azoner__pyx12/trailer_errors.txt"
    _require(name)
    reader, _ = read_file(FILES[name])
    by_ack = {d.ack: d for d in reader.diagnostics}
    assert {"AK905:4", "TA1:001", "TA1:021", "IK502:4"} <= set(by_ack)
    assert by_ack["AK905:4"].location is not None
    assert by_ack["AK905:4"].location.segment_id == "GE"
    assert by_ack["TA1:001"].location is not None
    assert by_ack["TA1:001"].location.segment_id == "IEA"
    assert "'5'" in by_ack["TA1:021"].message


def test_tigershark_se02_mismatch() -> None:
    _require("zentist__TigerShark/5010-835-example-2.txt")
    diag, _ = _one("zentist__TigerShark/5010-835-example-2.txt", "envelope.se02_mismatch")
    assert diag.ack == "IK502:3"
    assert diag.location is not None and diag.location.segment_id == "SE"


def test_error_isa_iea02_mismatch() -> None:
    _require("tastypackets__x12-parser/errorISA.edi")
    diag, _ = _one("tastypackets__x12-parser/errorISA.edi", "envelope.iea02_mismatch")
    assert diag.ack == "TA1:001"
    assert diag.location is not None
    assert (diag.location.segment_id, diag.location.line) == ("IEA", 1)


def test_imsweb_missing_first_gs() -> None:
    _require("imsweb__x12-parser/x12_missing_first_gs.txt")
    diag, _ = _one("imsweb__x12-parser/x12_missing_first_gs.txt", "envelope.st_outside_group")
    assert diag.ack == "TA1:024"
    assert diag.location is not None
    assert (diag.location.segment_id, diag.location.line) == ("ST", 2)
    diag, _ = _one("imsweb__x12-parser/x12_missing_first_gs.txt", "envelope.ge_without_gs")
    assert diag.location is not None and diag.location.segment_id == "GE"


@pytest.mark.parametrize(
    "name,code,ack",
    [
        ("x12_missing_last_gs.txt", "envelope.missing_ge", "AK905:3"),
        ("x12_missing_last_isa.txt", "envelope.missing_iea", "TA1:023"),
        ("x12_missing_last_st.txt", "envelope.missing_se", "IK502:2"),
    ],
)
def test_imsweb_missing_trailers(name: str, code: str, ack: str) -> None:
    _require(f"imsweb__x12-parser/{name}")
    diag, _ = _one(f"imsweb__x12-parser/{name}", code)
    assert diag.ack == ack


# -- round trips -------------------------------------------------------------------------------------


@pytest.mark.parametrize("f", corpus_params())
def test_read_then_write_gives_back_the_bytes(f: CorpusFile) -> None:
    data = f.path.read_bytes()
    reader = SegmentReader(f.path)
    segments = list(reader)
    preamble = reader.preamble.replace("\ufeff", "")
    out = (preamble + write_segments(segments)).encode("utf-8", "surrogateescape")
    assert out == data.removeprefix(b"\xef\xbb\xbf")


TARGETS = [
    Delimiters("|", "^", ">", "~", "\n"),
    Delimiters("!", "{", "}", "\n", ""),
    Delimiters("*", "^", ":", "~", "\r\n"),
    Delimiters("@", "`", "<", "'", ""),
]


@pytest.mark.parametrize("f", corpus_params())
def test_redelimited_files_read_back_the_same(f: CorpusFile) -> None:
    reader = SegmentReader(f.path)
    segments = list(reader)
    data_chars: set[str] = set()
    for seg in segments:
        d = seg.delimiters
        data_chars |= set("".join(seg.elements[1:])) - {d.component, d.repetition}
    targets = [t for t in TARGETS if not data_chars & {t.element, t.component, t.segment}]
    if reader.bare:
        # With no ISA to announce it, the component separator is guessed among the usual ones.
        targets = [t for t in targets if t.component in ":>^|\\!"]
    assert targets, "no target delimiters unused by the data"
    for target in targets[:2]:
        text = write_segments(segments, target)
        again = list(SegmentReader(text.encode("utf-8", "surrogateescape")))
        assert len(again) == len(segments)
        assert again == segments
        assert {s.delimiters.element for s in again} == {target.element}
