"""837 claims over the public corpus in ../shared/corpus (skipped when it is absent).

- Every 837 of the corpus reads into claims or gives diagnostics, never an exception; every CLM segment
  of a supported set is either a claim or reported as not read.
- Every well-formed 5010 837P and 837I (no syntax, envelope, guide or structure problem) comes back from
  file → claims → `write_837` with the same segments, HL numbering and envelopes included.
- Older guides (4010) are refused with a clear diagnostic naming the guide; nothing is guessed.
"""

from __future__ import annotations

import pytest

import edi
from edi.diagnostics import Severity
from edi.x12.envelope import EnvelopeReader
from edi.x12.reader import read_segments
from tests.helpers import CorpusFile, corpus_files, requires_corpus

pytestmark = requires_corpus

FILES_837 = [f for f in corpus_files() if "837" in f.transaction]
VERSIONS_5010 = ("005010X222A1", "005010X222A2", "005010X223A2", "005010X223A3")
# The well-formed 5010 837s: SOURCES.tsv notes no envelope issue, and the grammar finds no structure
# problem (demo.cob.example3.A lacks its 2330B, see tests/test_grammar_837.py).
WELL_FORMED = {
    "LinuxForHealth__x12/demo.ambulance.example5.837",
    "LinuxForHealth__x12/demo.autoaccident.837",
    "LinuxForHealth__x12/demo.cob.2ndary.example4.837",
    "LinuxForHealth__x12/demo.cob.example3.B.837",
    "LinuxForHealth__x12/demo.cob.example3.C.837",
    "LinuxForHealth__x12/demo.cob.example4.837",
    "LinuxForHealth__x12/demo.drug.example10.1.837",
    "LinuxForHealth__x12/demo.drug.example10.2.837",
    "LinuxForHealth__x12/demo.drug.example10.3.837",
    "LinuxForHealth__x12/demo.example1.837",
    "LinuxForHealth__x12/demo.example11.837",
    "LinuxForHealth__x12/demo.example12.837",
    "LinuxForHealth__x12/demo.example2.837",
    "LinuxForHealth__x12/demo.example7.837",
    "LinuxForHealth__x12/demo.example8.837",
    "LinuxForHealth__x12/demo.example9.837",
    "LinuxForHealth__x12/institutional-claim.837i",
    "LinuxForHealth__x12/out-of-network-repriced-claim.837i",
    "LinuxForHealth__x12/ppo-repriced-claim.837i",
    "LinuxForHealth__x12/two-claims-single-provider.837i",
    "LinuxForHealth__x12/drug-in-office.837",
    "LinuxForHealth__x12/demo.837",
    "zentist__TigerShark/5010-837-professional-example.txt",
    "UHIN__x12-parser-library/837.edi",
}
# Of those, the files whose ISA16 says ':' while their composites use '>' (`SV1*HC>99213`, `HI*BK>36616`):
# said once (envelope.component_separator), read with '>', and written back with ISA16 '>'.
RESPLIT = {
    "LinuxForHealth__x12/demo.cob.2ndary.example4.837",
    "LinuxForHealth__x12/demo.example11.837",
    "LinuxForHealth__x12/demo.example12.837",
    "LinuxForHealth__x12/demo.example9.837",
    "LinuxForHealth__x12/out-of-network-repriced-claim.837i",
    "LinuxForHealth__x12/ppo-repriced-claim.837i",
}
# Problems of the file itself, not of our reading: they make a file not well-formed.
_FILE_PROBLEMS = ("syntax.", "envelope.", "guide.", "structure.")
_RESPLIT = "envelope.component_separator"


def _read(f: CorpusFile) -> tuple[list[edi.Claim], edi.ClaimReader]:
    reader = edi.read_claims(f.path)
    return list(reader), reader


def _clm_count(f: CorpusFile) -> int:
    """CLM segments in the file's 837 sets whose guide we read (ST03, else GS08, is a 5010 837)."""
    count = 0
    for ts in EnvelopeReader(f.path):
        if ts.transaction_type == "837" and ts.version in VERSIONS_5010:
            count += sum(1 for seg in ts.segments if seg.id == "CLM")
    return count


@pytest.mark.parametrize("f", [pytest.param(f, id=f.local_path) for f in FILES_837])
def test_every_837_reads_into_claims_or_diagnostics(f: CorpusFile) -> None:
    claims, reader = _read(f)
    assert claims or reader.diagnostics
    for d in reader.diagnostics:
        assert d.message and (d.location is not None or d.code.startswith("guide."))
    # Every claim of a supported set is accounted for: read, or reported as not read.
    assert reader.claims_read + reader.claims_skipped == _clm_count(f)
    assert sum(d.code in ("claim.skipped", "claim.unplaced") for d in reader.diagnostics) > 0 or (
        reader.claims_skipped == 0
    )


@pytest.mark.parametrize("f", [pytest.param(f, id=f.local_path) for f in FILES_837])
def test_older_guides_are_refused_by_name(f: CorpusFile) -> None:
    sets = [ts for ts in EnvelopeReader(f.path) if ts.transaction_type == "837"]
    old = [ts for ts in sets if ts.version and not ts.version.startswith("005010")]
    claims, reader = _read(f)
    refused = [d for d in reader.diagnostics if d.code == "guide.unsupported"]
    assert len(refused) == len(old)
    for ts, d in zip(old, refused, strict=True):
        assert f"implementation guide {ts.version!r} is not supported" in d.message
        assert "005010X222A1" in d.expected and d.severity is Severity.ERROR
    if old and len(old) == len(sets):
        assert claims == []


def test_the_well_formed_files_are_the_ones_listed() -> None:
    found, resplit = set(), set()
    for f in FILES_837:
        claims, reader = _read(f)
        codes = [d.code for d in reader.diagnostics]
        if claims and not any(c.startswith(_FILE_PROBLEMS) for c in codes if c != _RESPLIT):
            found.add(f.local_path)
        if _RESPLIT in codes:
            resplit.add(f.local_path)
            assert codes.count(_RESPLIT) == 1
            # Read with '>', every claim has its codes (before, none had a procedure or diagnosis).
            assert all(code.code for claim in claims for code in claim.codes)
            assert all(
                (line.professional or line.institutional).code
                for claim in claims
                for line in claim.lines
            )
    assert found == WELL_FORMED
    assert resplit == RESPLIT


@pytest.mark.parametrize("local_path", sorted(WELL_FORMED))
def test_well_formed_files_round_trip_exactly(local_path: str) -> None:
    f = next(f for f in FILES_837 if f.local_path == local_path)
    claims, reader = _read(f)
    assert reader.claims_skipped == 0 and claims
    text = edi.write_837(claims, check=False)
    original = f.path.read_bytes().decode("utf-8")
    if local_path in RESPLIT:  # written with ISA16 '>', the separator its composites use
        assert original[104] == ":"
        original = f"{original[:104]}>{original[105:]}"
    assert [s.elements for s in read_segments(text)] == [
        s.elements for s in read_segments(original)
    ]
    # Byte for byte, the line break after the last segment (or its absence) included.
    assert text == original


def test_claims_of_a_file_with_a_broken_claim_still_read() -> None:
    """x12_complex.txt: the second subscriber's HL points at a parent that does not exist; its two
    claims are reported with the reason, the first claim of each set is read."""
    f = next(f for f in FILES_837 if f.local_path.endswith("x12_complex.txt"))
    claims, reader = _read(f)
    assert [c.patient_control_number for c in claims] == ["A37YH556", "A37YH556"]
    parents = [d for d in reader.diagnostics if d.code == "claim.hl_parent"]
    assert [
        (d.location.segment_index, d.location.loop_id, d.location.element) for d in parents
    ] == [
        (64, "2000B", "HL02"),
        (64, "2000B", "HL02"),
    ]
    assert parents[0].expected == ("1",)
    skipped = [d.message for d in reader.diagnostics if d.code == "claim.skipped"]
    assert skipped == 2 * [
        "claim 'A37YH667' is not read: its subscriber's HL is wrong",
        "claim 'A37YH668' is not read: its subscriber's HL is wrong",
    ]
