"""The public corpus (../shared/corpus, SOURCES.tsv): every 835 reads without a traceback, every
005010X221A1 one into models, and writing them gives the file back; pyx12, an independent reader,
finds the same claims.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import edi
from edi.diagnostics import Severity
from edi.x12.reader import SegmentReader
from tests import pyx12_oracle
from tests.helpers import CorpusFile, corpus_files, requires_corpus

VERSION = "005010X221A1"
ALL_835 = [f for f in corpus_files() if "835" in f.transaction]

pytestmark = requires_corpus


def _is_5010(f: CorpusFile) -> bool:
    """True when the file's groups say GS08 = 005010X221A1 (read off the file itself)."""
    return any(s.id == "GS" and s.element(8) == VERSION for s in SegmentReader(f.path))


CORPUS_5010 = [
    pytest.param(f, id=str(f)) for f in ALL_835 if f.transaction == "835" and _is_5010(f)
]
CORPUS_OTHER = [pytest.param(f, id=str(f)) for f in ALL_835 if not _is_5010(f)]

# Data problems of 5010 files, found by reading them (element, what is wrong). Every other 5010 file
# reads with no data diagnostic at all.
DATA_PROBLEMS = {
    # `SVC*HC*24599.00*...`: no procedure code at all.
    "LinuxForHealth__x12/tertiary-payment.835": ["SVC01-02"],
    # BPR16 `20002316`: month 23.
    "LinuxForHealth__x12/managed-care.835": ["BPR16"],
}

# ISA16 says ':' but the SVC composites use '>' (pyx12 cannot place these SVCs either): said once
# (envelope.component_separator), and the sets are read with '>' (SVC01 at these segments).
RESPLIT = {
    "LinuxForHealth__x12/cob-contractural-adjustment.835": "(SVC01 at segment 19)",
    "LinuxForHealth__x12/secondary-payment.835": "(SVC01 at segment 27, SVC01 at segment 32)",
}


# The 5010 files that break rules of 005010X221A1 or do not balance (`check_remittances`, in order;
# pyx12 rejects each of them too, for the same guide rules, but for the NPI check digits, which it
# does not check): `write_835` refuses them, so they are written back with check=False. Every other
# 5010 file passes the checks.
# The placeholder NPI of the tastypackets files.
_NOT_1_OR_2 = "NPI '9999999995' does not start with 1 or 2"
_PAYEE = f"payee (1000B): N1*PE N104 {_NOT_1_OR_2}"
_RENDERING = f"claim PATIENT ACCOUNT NUMBER (#2): NM1*82 NM109 {_NOT_1_OR_2}"
GUIDE_PROBLEMS = {
    # No BPR16 (the check or EFT date), no payer technical contact (PER*BL, usage R in 1000A). Its
    # ISA16 is wrong too (RESPLIT): the models hold the SVC01 codes, and write_835 writes ISA16 '>'.
    "LinuxForHealth__x12/cob-contractural-adjustment.835": [
        "BPR without BPR16",
        "payer (1000A): no PER*BL",
    ],
    # BPR16 20002316: month 23 (read, kept as text and written back).
    "LinuxForHealth__x12/managed-care.835": [
        "BPR16 is not a date",
        "payer (1000A): no PER*BL",
        "payee (1000B): N1*PE N104 NPI '5544667733' does not start with 1 or 2",
    ],
    # TS309 and TS311 are not used in the 5010 TS3.
    "LinuxForHealth__x12/medicare-part-a.835": [
        "payer (1000A): no PER*BL",
        "payee (1000B): N1*PE N104 NPI '6543210903' does not start with 1 or 2",
        "header #1 (2000): TS3 has TS309",
        "header #1 (2000): TS3 has TS311",
        "header #2 (2000): TS3 has TS309",
        "header #2 (2000): TS3 has TS311",
    ],
    "LinuxForHealth__x12/secondary-payment.835": ["BPR without BPR16", "payer (1000A): no PER*BL"],
    # `SVC*HC*24599.00*...`: no procedure code, amounts shifted one element, so the line and the
    # claim do not balance either.
    "LinuxForHealth__x12/tertiary-payment.835": [
        "BPR without BPR16",
        "payer (1000A): no PER*BL",
        "line 1: SVC without SVC01-02",
        "line 1: SVC without SVC06-02",
        "line 1: SVC06-01 '1' is not a product or service ID qualifier",
        "line 1: SVC02 24599.00 − Σ CAS 1579.00 = 23020.00 ≠ SVC03 1766.50 (off by 21253.50)",
        "claim 0001000054 (#1): Σ SVC03 1766.50 − Σ claim CAS 0 = 1766.50 ≠ CLP04 187.50 (off by 1579.00)",
    ],
    # The payee is at `N4*NORTH POLE*NP*00000`: NP is no US state or Canadian province code (pyx12:
    # "not a valid code for Payee State Code (N402)").
    "keironstoddart__edi-835-parser/united_healthcare_legacy_sample.txt": [
        "payee (1000B): N402 is not a US state or Canadian province code"
    ],
    # NPIs that fail their check digit (x12-notes §10), placeholders of sample files.
    "keironstoddart__edi-835-parser/emedny_sample.txt": [_PAYEE],
    "zentist__TigerShark/5010-835-example-2.txt": [
        "claim EDI DENIED (#2): NM1*82 NM109 NPI '1123456789' fails its check digit"
    ],
    "zentist__TigerShark/5010-835-example-3.txt": [
        "claim EDI DENIAL (#1): NM1*82 NM109 NPI '1234567898' fails its check digit",
        "claim EDI PAID (#2): NM1*82 NM109 NPI '1234567899' fails its check digit",
    ],
    "tastypackets__x12-parser/multi-line-not-delimited.edi": [_PAYEE],
    "tastypackets__x12-parser/profee.edi": [_PAYEE],
    "tastypackets__x12-parser/profee-multiple.edi": [_PAYEE] * 156,  # 156 sets, one payee each
    "tastypackets__x12-parser/errorISA.edi": [_PAYEE, _RENDERING],
    "tastypackets__x12-parser/oneLine.edi": [_PAYEE, _RENDERING] * 2,
    "tastypackets__x12-parser/oneLine-2-ISA.edi": [_PAYEE, _RENDERING] * 2,
    "tastypackets__x12-parser/multiLineNotDelimited.edi": [
        _PAYEE,
        f"claim PATIENT ACCOUNT NUMBER (#3617): NM1*82 NM109 {_NOT_1_OR_2}",
    ],
}


def _read(f: CorpusFile) -> tuple[list[edi.Remittance], edi.RemittanceReader]:
    reader = edi.read_remittances(f.path)
    return list(reader), reader


@pytest.mark.parametrize("f", CORPUS_5010)
def test_5010_files_read_into_models(f: CorpusFile) -> None:
    remits, reader = _read(f)
    assert reader.sets_read == f.count("ST") and reader.sets_skipped == 0
    assert len(remits) == f.count("ST")
    # The files that repeat one interchange (its ISA13 too) repeat its payment: said, a warning.
    codes = [d.code for d in reader.diagnostics]
    assert codes.count("remit.duplicate_payment") == codes.count("envelope.duplicate_isa13")
    data = [
        d
        for d in reader.diagnostics
        if not d.code.startswith(("envelope.", "syntax.")) and d.code != "remit.duplicate_payment"
    ]
    assert [d.location.element for d in data if d.location] == DATA_PROBLEMS.get(str(f), [])
    resplit = [d.message for d in reader.diagnostics if d.code == "envelope.component_separator"]
    assert [str(f) for _ in resplit] == [str(f)] * (str(f) in RESPLIT)
    assert all(RESPLIT[str(f)] in message for message in resplit)
    assert str(f) not in RESPLIT or all(
        s.code for r in remits for c in r.claims for s in c.services
    )
    found = re.search(r"features: (\d+) CLP", f.notes)  # the corpus' own count of CLP segments
    assert found is not None
    assert sum(len(r.claims) for r in remits) == int(found.group(1))


@pytest.mark.parametrize("f", CORPUS_OTHER)
def test_other_835s_give_diagnostics_not_tracebacks(f: CorpusFile) -> None:
    remits, reader = _read(f)
    assert remits == []
    assert reader.diagnostics and all(
        d.severity in (Severity.ERROR, Severity.FATAL, Severity.WARNING) for d in reader.diagnostics
    )
    assert any(d.code in ("guide.unsupported", "remit.set_skipped") for d in reader.diagnostics)


def _segments(data: bytes) -> list[list[str]]:
    return [s.normalized() for s in SegmentReader(data)]


_TRAILERS = ("SE", "GE", "IEA")


@pytest.mark.parametrize("f", CORPUS_5010)
def test_exact_round_trip(f: CorpusFile) -> None:
    """file → models → write_835: the original segments, element for element (amount text too).

    Trailers are computed, never copied: a file whose own SE/GE/IEA are wrong gets them right.
    """
    remits, reader = _read(f)
    original = f.path.read_bytes()
    if str(f) in RESPLIT:  # written with ISA16 '>', the separator its composites use
        assert original[104:106] == b":~"
        original = original[:104] + b">" + original[105:]
    written = edi.write_835(remits, check=str(f) not in GUIDE_PROBLEMS).encode()
    envelope_ok = not any(
        d.code.startswith("envelope.") and d.severity is Severity.ERROR
        for d in reader.diagnostics
        if "repeats" not in d.message and d.code != "envelope.component_separator"
    )
    ours, theirs = _segments(written), _segments(original)
    if envelope_ok:
        assert ours == theirs
    else:
        assert [s for s in ours if s[0] not in _TRAILERS] == [
            s for s in theirs if s[0] not in _TRAILERS
        ]
    tails = {s.tail for s in list(SegmentReader(original))[:-1]}
    if envelope_ok and len(tails) == 1:  # one line-break style: the text itself comes back, the
        assert written == original  # line break after the last segment (or its absence) included


@pytest.mark.parametrize("f", CORPUS_5010)
def test_the_checks_refuse_only_what_breaks_the_guide(f: CorpusFile) -> None:
    remits, _ = _read(f)
    problems = edi.check_remittances(remits)
    expected = GUIDE_PROBLEMS.get(str(f), [])
    assert len(problems) == len(expected), problems
    assert all(what in problem for what, problem in zip(expected, problems, strict=True)), problems
    if expected:
        with pytest.raises(edi.RemittanceCheckError):
            edi.write_835(remits)


@pytest.mark.parametrize("f", CORPUS_5010)
def test_claims_agree_with_pyx12(f: CorpusFile) -> None:
    """Claim count, every CLP01 and every CLP03/CLP04 as pyx12's own 835 reader finds them."""
    remits, _ = _read(f)
    ours = [
        (
            r.envelope.set_control_number if r.envelope else "",
            c.patient_control_number,
            c.charge,
            c.paid,
        )
        for r in remits
        for c in r.claims
    ]
    theirs = [
        (st02, clp01, Decimal(clp03), Decimal(clp04))
        for st02, clp01, clp03, clp04 in (pyx12_oracle.claims(f.path))
    ]
    assert len(ours) == len(theirs)
    assert ours == theirs


def test_corpus_is_there() -> None:
    assert len(CORPUS_5010) >= 15 and Path(ALL_835[0].path).is_file()
