"""Large synthetic X12 files for benchmarks: 835 remittances and 837P claims, written streaming.

Everything here is made up and PHI-free (patients are `PATIENT, TEST<n>`, providers and payers are
`SYNTHETIC ...`), but structurally valid: envelopes carry matching control numbers and counts, every
835 balances (service lines, claims, and BPR02 = ΣCLP04 − ΣPLB), every 837P claim charge is the sum of
its lines and its HL hierarchy is numbered and parented correctly.

Text is written to disk in batches as it is made; the whole file is never held in memory. Claim
contents are a pure function of the claim number, so a transaction set is generated in two passes (the
first only adds up the amounts that BPR02 needs) instead of being buffered.

Usage:
    python bench/synthetic.py 835 bench/out/remit.x12 --claims 20000
    python bench/synthetic.py 837p bench/out/claims.x12 --claims 20000
    python bench/synthetic.py large bench/out/big.x12 --size 100M
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from edi.x12.delimiters import Delimiters

DEFAULT_DELIMITERS = Delimiters()  # * ^ : ~ and LF after each terminator
MAX_837_CLAIMS_PER_SET = 5000
_BATCH_CLAIMS = 1000  # claims per write() call

_PAYER_ID = "SYNPAYER01"
_PROVIDER_ID = "SYNPROVIDER01"
_NPI = "1234567893"  # passes the NPI Luhn check; not a real provider
_TIN = "999999999"
_DATES = [(dt.date(2024, 1, 1) + dt.timedelta(days=d)).strftime("%Y%m%d") for d in range(366)]
# (procedure code, charge in cents)
_PROCEDURES = (
    ("99213", 12500),
    ("99214", 18500),
    ("99203", 16000),
    ("81002", 1500),
    ("85025", 2400),
    ("36415", 1200),
    ("97110", 4800),
    ("90471", 2600),
)
_RARCS = ("N130", "M15", "N381", "MA130")
_DIAGNOSES = ("E119", "I10", "J069", "M545", "R519", "Z0000", "E785", "K219")
_M64 = (1 << 64) - 1


@dataclass(frozen=True, slots=True)
class FileStats:
    """What a generator wrote."""

    path: Path
    bytes: int
    segments: int
    claims: int
    sets: int
    interchanges: int


# -- helpers ----------------------------------------------------------------------------------------


def _mix(n: int) -> int:
    """A 64-bit hash of n (splitmix64 finaliser): cheap, deterministic variety per claim."""
    x = (n * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def _money(cents: int) -> str:
    """X12 R-type amount from cents: 12550 → "125.5", 10000 → "100", -150 → "-1.5"."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    if not frac:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{frac:02d}".rstrip("0")


def _isa(d: Delimiters, control: int, sender: str, receiver: str) -> str:
    """A fixed-width (106-character) ISA segment, terminator included."""
    e = d.element
    repetition, version = (d.repetition, "00501") if d.repetition else ("U", "00401")
    fields = (
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        f"{sender:<15}",
        "ZZ",
        f"{receiver:<15}",
        "240115",
        "0900",
        repetition,
        version,
        f"{control:09d}",
        "0",
        "T",
        d.component,
    )
    return e.join(fields) + d.segment + d.suffix


class _Envelope:
    """ISA/GS … GE/IEA text with matching control numbers and counts."""

    def __init__(self, d: Delimiters, gs01: str, version: str, sender: str, receiver: str) -> None:
        self.d = d
        self.gs01 = gs01
        self.version = version
        self.sender = sender
        self.receiver = receiver

    def head(self, control: int) -> str:
        d = self.d
        e, t = d.element, d.segment + d.suffix
        gs = e.join(
            ("GS", self.gs01, self.sender, self.receiver, "20240115", "0900", str(control), "X")
        )
        return _isa(d, control, self.sender, self.receiver) + f"{gs}{e}{self.version}{t}"

    def tail(self, control: int, sets: int) -> str:
        e, t = self.d.element, self.d.segment + self.d.suffix
        return f"GE{e}{sets}{e}{control}{t}IEA{e}1{e}{control:09d}{t}"


def _layout(claims: int, claims_per_set: int | None, sets_per_interchange: int | None) -> list[int]:
    """Claims in each transaction set, in order."""
    if claims < 1:
        raise ValueError("claims must be at least 1")
    per_set = claims_per_set or claims
    if per_set < 1 or (sets_per_interchange is not None and sets_per_interchange < 1):
        raise ValueError("claims_per_set and sets_per_interchange must be at least 1")
    sizes = [per_set] * (claims // per_set)
    if claims % per_set:
        sizes.append(claims % per_set)
    return sizes


def _write(
    path: str | os.PathLike[str],
    chunks: Iterator[tuple[str, int]],
) -> tuple[Path, int, int]:
    """Write (text, segment count) chunks to path as ASCII; return the path, bytes and segments."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbytes = segments = 0
    with open(out, "wb", buffering=1 << 20) as f:
        for text, count in chunks:
            nbytes += f.write(text.encode("ascii"))
            segments += count
    return out, nbytes, segments


def _interchanges(
    sizes: list[int],
    sets_per_interchange: int | None,
    envelope: _Envelope,
    write_set: Callable[[int, int, int], Iterator[tuple[str, int]]],
    first_control: int,
) -> Iterator[tuple[str, int]]:
    """Envelopes around the sets; write_set(st02, first claim number, claims) yields the set's text."""
    per_ic = sets_per_interchange or len(sizes)
    claim_no = 1
    control = first_control
    for start in range(0, len(sizes), per_ic):
        group = sizes[start : start + per_ic]
        yield envelope.head(control), 2
        for st02, count in enumerate(group, 1):
            yield from write_set(st02, claim_no, count)
            claim_no += count
        yield envelope.tail(control, len(group)), 2
        control += 1


# -- 835 --------------------------------------------------------------------------------------------


def _claim_835(n: int) -> tuple[bool, list[tuple], int, int, int, int]:
    """The money of claim n: (denied, lines, claim-level copay, charge, paid, patient responsibility).

    Each line is (procedure, charge, adjustments, paid, allowed, rarc) with adjustments a tuple of
    (group, reason, amount). Service lines balance: charge − Σ adjustments = paid.
    """
    h = _mix(n)
    denied = h % 23 == 0
    bits = h >> 5
    n_lines = 2 + (bits & 1)
    bits >>= 1
    lines = []
    charge_total = paid_total = patient = 0
    for _ in range(n_lines):
        code, charge = _PROCEDURES[bits & 7]
        bits >>= 3
        if denied:
            adjs: tuple[tuple[str, str, int], ...] = (("CO", "50", charge),)
        else:
            co = charge * (20 + (bits & 15)) // 100
            bits >>= 4
            kind = bits & 3
            bits >>= 2
            if kind == 0:  # coinsurance: 20 % of the allowed amount
                adjs = (("CO", "45", co), ("PR", "2", (charge - co) // 5))
            elif kind == 1:  # deductible
                adjs = (("CO", "45", co), ("PR", "1", min(charge - co, 5000)))
            else:
                adjs = (("CO", "45", co),)
        paid = charge - sum(a[2] for a in adjs)
        allowed = charge - sum(a[2] for a in adjs if a[0] == "CO")
        rarc = _RARCS[(bits >> 3) & 3] if denied or bits & 7 == 0 else None
        bits >>= 5
        lines.append((code, charge, adjs, paid, allowed, rarc))
        charge_total += charge
        paid_total += paid
        patient += sum(a[2] for a in adjs if a[0] == "PR")
    copay = 2000 if not denied and (h >> 58) % 5 == 0 and paid_total > 2000 else 0
    return denied, lines, copay, charge_total, paid_total - copay, patient + copay


def _set_835(d: Delimiters) -> Callable[[int, int, int], Iterator[tuple[str, int]]]:
    e, c, t = d.element, d.component, d.segment + d.suffix

    def claim_text(n: int, interest: int) -> tuple[str, int]:
        denied, lines, copay, charge, paid, patient = _claim_835(n)
        date = _DATES[n % 300]
        parts = [
            f"CLP{e}PCN{n:07d}{e}{'4' if denied else '1'}{e}{_money(charge)}{e}{_money(paid)}"
            f"{e}{_money(patient) if patient else ''}{e}12{e}PYR{n:09d}{e}11{e}1{t}"
        ]
        if copay:
            parts.append(f"CAS{e}PR{e}3{e}{_money(copay)}{t}")
        parts.append(f"NM1{e}QC{e}1{e}PATIENT{e}TEST{n}{e}{e}{e}{e}MI{e}MBR{n:07d}{t}")
        parts.append(f"DTM{e}232{e}{date}{t}")
        if interest:
            parts.append(f"AMT{e}I{e}{_money(interest)}{t}")
        for k, (code, line_charge, adjs, line_paid, allowed, rarc) in enumerate(lines, 1):
            parts.append(
                f"SVC{e}HC{c}{code}{e}{_money(line_charge)}{e}{_money(line_paid)}{e}{e}1{t}"
                f"DTM{e}472{e}{date}{t}"
            )
            parts.extend(f"CAS{e}{g}{e}{r}{e}{_money(a)}{t}" for g, r, a in adjs)
            parts.append(f"REF{e}6R{e}{n}-{k}{t}")
            if not denied:
                parts.append(f"AMT{e}B6{e}{_money(allowed)}{t}")
            if rarc:
                parts.append(f"LQ{e}HE{e}{rarc}{t}")
        return "".join(parts), len(parts) + len(lines)  # SVC and DTM share a part

    def write_set(st02: int, first: int, count: int) -> Iterator[tuple[str, int]]:
        claims = range(first, first + count)
        interest = 150 + first % 100  # paid on the set's first claim, mirrored by PLB L6
        total = sum(_claim_835(n)[4] for n in claims)
        recoup = min(2500, total)  # a WO overpayment recovery; BPR02 stays ≥ 0
        bpr02 = total + interest - recoup  # BPR02 = ΣCLP04 − ΣPLB, with PLB L6 = −interest
        date = _DATES[first % 300]
        header = [
            f"ST{e}835{e}{st02:04d}{t}",
            f"BPR{e}I{e}{_money(bpr02)}{e}C{e}CHK{e * 12}{date}{t}",
            f"TRN{e}1{e}CHK{first:08d}{e}1{_TIN}{t}",
            f"DTM{e}405{e}{date}{t}",
            f"N1{e}PR{e}SYNTHETIC PAYER{t}",
            f"N3{e}1 TEST PLAZA{t}",
            f"N4{e}SPRINGFIELD{e}IL{e}62701{t}",
            f"PER{e}BL{e}EDI DESK{e}TE{e}8005550100{t}",
            f"N1{e}PE{e}SYNTHETIC CLINIC{e}XX{e}{_NPI}{t}",
            f"REF{e}TJ{e}{_TIN}{t}",
            f"LX{e}1{t}",
        ]
        segments = len(header)
        yield "".join(header), len(header)
        batch: list[str] = []
        for n in claims:
            text, count_n = claim_text(n, interest if n == first else 0)
            batch.append(text)
            segments += count_n
            if len(batch) >= _BATCH_CLAIMS:
                yield "".join(batch), 0
                batch.clear()
        plb = f"PLB{e}{_NPI}{e}20241231{e}L6{e}{_money(-interest)}"
        if recoup:
            plb += f"{e}WO{c}PYR{first:09d}{e}{_money(recoup)}"
        segments += 2  # PLB, SE
        batch.append(f"{plb}{t}SE{e}{segments}{e}{st02:04d}{t}")
        yield "".join(batch), segments - len(header)

    return write_set


def write_835(
    path: str | os.PathLike[str],
    claims: int = 20_000,
    *,
    claims_per_set: int | None = None,
    sets_per_interchange: int | None = None,
    delimiters: Delimiters | None = None,
    first_control: int = 1,
) -> FileStats:
    """Write a synthetic 835 of `claims` claims (about 350 bytes and 17 segments per claim).

    Args:
        path: the file to write (its directory is created).
        claims: number of 2100 claim payments in the file.
        claims_per_set: claims per ST..SE (default: all in one set).
        sets_per_interchange: sets per ISA..IEA, each interchange with one GS (default: all in one).
        delimiters: element/repetition/component/segment delimiters and the line break written after
            each terminator (default `* ^ : ~` + LF).
        first_control: control number (ISA13, GS06) of the first interchange; later ones count up.

    Returns:
        What was written: bytes, segments, claims, sets and interchanges.
    """
    d = delimiters or DEFAULT_DELIMITERS
    sizes = _layout(claims, claims_per_set, sets_per_interchange)
    envelope = _Envelope(d, "HP", "005010X221A1", _PAYER_ID, _PROVIDER_ID)
    chunks = _interchanges(sizes, sets_per_interchange, envelope, _set_835(d), first_control)
    out, nbytes, segments = _write(path, chunks)
    interchanges = math.ceil(len(sizes) / (sets_per_interchange or len(sizes)))
    return FileStats(out, nbytes, segments, claims, len(sizes), interchanges)


def write_large(
    path: str | os.PathLike[str],
    size_bytes: int,
    *,
    claims_per_interchange: int = 5000,
    delimiters: Delimiters | None = None,
) -> FileStats:
    """Write an 835 file of at least `size_bytes` bytes by repeating one interchange.

    Each copy gets its own ISA13/GS06/GE02/IEA02 control number; the transaction sets inside are the
    same (same claims), which is all a reader benchmark needs. One interchange of 5,000 claims is
    about 1.7 MB; that much is held in memory, never the whole file.
    """
    d = delimiters or DEFAULT_DELIMITERS
    envelope = _Envelope(d, "HP", "005010X221A1", _PAYER_ID, _PROVIDER_ID)
    body_parts: list[str] = []
    body_segments = 0
    for text, count in _set_835(d)(1, 1, claims_per_interchange):
        body_parts.append(text)
        body_segments += count
    body = "".join(body_parts).encode("ascii")
    del body_parts
    one = len(envelope.head(1)) + len(body) + len(envelope.tail(1, 1))
    copies = max(1, math.ceil(size_bytes / one))

    def chunks() -> Iterator[tuple[str, int]]:
        for control in range(1, copies + 1):
            yield envelope.head(control), 2
            yield "", body_segments  # the body itself is written as bytes below
            yield envelope.tail(control, 1), 2

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbytes = segments = 0
    with open(out, "wb", buffering=1 << 20) as f:
        for text, count in chunks():
            nbytes += f.write(text.encode("ascii") if text else body)
            segments += count
    return FileStats(out, nbytes, segments, claims_per_interchange * copies, copies, copies)


# -- 837P -------------------------------------------------------------------------------------------


def _set_837p(d: Delimiters) -> Callable[[int, int, int], Iterator[tuple[str, int]]]:
    e, c, t = d.element, d.component, d.segment + d.suffix

    def claim_text(n: int, hl: int) -> tuple[str, int, int]:
        """Subscriber (and maybe patient) HL loops with one claim; returns text, segments, HLs used."""
        h = _mix(n)
        date = _DATES[n % 300]
        n_lines = 2 + (h >> 3) % 3  # 2-4 lines
        dependent = (h >> 9) % 4 == 0  # the patient is the subscriber's child: a 2000C loop
        dx_count = 1 + (h >> 12) % 3
        dx = [_DIAGNOSES[((h >> 16) + i) & 7] for i in range(dx_count)]  # distinct codes
        parts = []
        if dependent:
            parts += [
                f"HL{e}{hl}{e}1{e}22{e}1{t}",
                f"SBR{e}P{e}{e}GRP{n % 1000:04d}{e * 6}CI{t}",
                f"NM1{e}IL{e}1{e}SUBSCRIBER{e}TEST{n}{e * 4}MI{e}MBR{n:07d}{t}",
                f"NM1{e}PR{e}2{e}SYNTHETIC PAYER{e * 5}PI{e}{_PAYER_ID}{t}",
                f"HL{e}{hl + 1}{e}{hl}{e}23{e}0{t}",
                f"PAT{e}19{t}",
                f"NM1{e}QC{e}1{e}PATIENT{e}TEST{n}{t}",
            ]
        else:
            parts += [
                f"HL{e}{hl}{e}1{e}22{e}0{t}",
                f"SBR{e}P{e}18{e}GRP{n % 1000:04d}{e * 6}CI{t}",
                f"NM1{e}IL{e}1{e}PATIENT{e}TEST{n}{e * 4}MI{e}MBR{n:07d}{t}",
            ]
        parts += [
            f"N3{e}{n % 9000 + 1} TEST ST{t}",
            f"N4{e}SPRINGFIELD{e}IL{e}62701{t}",
            f"DMG{e}D8{e}19{50 + n % 50}0101{e}{'FM'[n & 1]}{t}",
        ]
        if not dependent:
            parts.append(f"NM1{e}PR{e}2{e}SYNTHETIC PAYER{e * 5}PI{e}{_PAYER_ID}{t}")
        lines = []
        charge = 0
        bits = h >> 32
        for _ in range(n_lines):
            code, fee = _PROCEDURES[bits & 7]
            bits >>= 3
            lines.append((code, fee))
            charge += fee
        codes = [f"ABK{c}{dx[0]}"] + [f"ABF{c}{code}" for code in dx[1:]]
        parts += [
            f"CLM{e}PCN{n:07d}{e}{_money(charge)}{e}{e}{e}11{c}B{c}1{e}Y{e}A{e}Y{e}Y{t}",
            f"HI{e}{e.join(codes)}{t}",
        ]
        pointers = c.join(str(i) for i in range(1, dx_count + 1))
        for k, (code, fee) in enumerate(lines, 1):
            parts += [
                f"LX{e}{k}{t}",
                f"SV1{e}HC{c}{code}{e}{_money(fee)}{e}UN{e}1{e}{e}{e}{pointers}{t}",
                f"DTP{e}472{e}D8{e}{date}{t}",
                f"REF{e}6R{e}{n}-{k}{t}",
            ]
        return "".join(parts), len(parts), 2 if dependent else 1

    def write_set(st02: int, first: int, count: int) -> Iterator[tuple[str, int]]:
        header = [
            f"ST{e}837{e}{st02:04d}{e}005010X222A1{t}",
            f"BHT{e}0019{e}00{e}B{first:09d}{e}20240115{e}0900{e}CH{t}",
            f"NM1{e}41{e}2{e}SYNTHETIC BILLING{e * 5}46{e}{_PROVIDER_ID}{t}",
            f"PER{e}IC{e}EDI DESK{e}TE{e}8005550100{t}",
            f"NM1{e}40{e}2{e}SYNTHETIC PAYER{e * 5}46{e}{_PAYER_ID}{t}",
            f"HL{e}1{e}{e}20{e}1{t}",
            f"PRV{e}BI{e}PXC{e}207Q00000X{t}",
            f"NM1{e}85{e}2{e}SYNTHETIC CLINIC{e * 5}XX{e}{_NPI}{t}",
            f"N3{e}100 TEST AVE{t}",
            f"N4{e}SPRINGFIELD{e}IL{e}627010000{t}",
            f"REF{e}EI{e}{_TIN}{t}",
        ]
        segments = len(header)
        yield "".join(header), segments
        hl = 2
        batch: list[str] = []
        for n in range(first, first + count):
            text, count_n, used = claim_text(n, hl)
            hl += used
            batch.append(text)
            segments += count_n
            if len(batch) >= _BATCH_CLAIMS:
                yield "".join(batch), 0
                batch.clear()
        segments += 1
        batch.append(f"SE{e}{segments}{e}{st02:04d}{t}")
        yield "".join(batch), segments - len(header)

    return write_set


def write_837p(
    path: str | os.PathLike[str],
    claims: int = 20_000,
    *,
    claims_per_set: int = MAX_837_CLAIMS_PER_SET,
    sets_per_interchange: int | None = None,
    delimiters: Delimiters | None = None,
    first_control: int = 1,
) -> FileStats:
    """Write a synthetic 837P of `claims` claims, at most 5,000 per ST..SE.

    Each set has one billing provider (2000A); each claim has its own subscriber (2000B), and one in
    four is for the subscriber's child (a 2000C with PAT). A claim has 1-3 diagnoses and 2-4 SV1
    lines, each with DTP*472 and REF*6R; CLM02 is the sum of the line charges.

    Args: as `write_835`, with `claims_per_set` capped at 5,000.
    """
    if not 1 <= claims_per_set <= MAX_837_CLAIMS_PER_SET:
        raise ValueError(f"claims_per_set must be 1..{MAX_837_CLAIMS_PER_SET}")
    d = delimiters or DEFAULT_DELIMITERS
    sizes = _layout(claims, claims_per_set, sets_per_interchange)
    envelope = _Envelope(d, "HC", "005010X222A1", _PROVIDER_ID, _PAYER_ID)
    chunks = _interchanges(sizes, sets_per_interchange, envelope, _set_837p(d), first_control)
    out, nbytes, segments = _write(path, chunks)
    interchanges = math.ceil(len(sizes) / (sets_per_interchange or len(sizes)))
    return FileStats(out, nbytes, segments, claims, len(sizes), interchanges)


# -- command line -----------------------------------------------------------------------------------


def parse_size(text: str) -> int:
    """ "100M" → 100 * 2**20, "1G" → 2**30, "5000" → 5000 (binary units, case-insensitive)."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().removesuffix("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kind", choices=("835", "837p", "large"))
    parser.add_argument("path", type=Path)
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--claims-per-set", type=int, default=None)
    parser.add_argument("--size", type=parse_size, default=parse_size("100M"), help="for 'large'")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.kind == "835":
        stats = write_835(args.path, args.claims, claims_per_set=args.claims_per_set)
    elif args.kind == "837p":
        per_set = args.claims_per_set or MAX_837_CLAIMS_PER_SET
        stats = write_837p(args.path, args.claims, claims_per_set=per_set)
    else:
        stats = write_large(args.path, args.size)
    took = time.perf_counter() - start
    print(
        f"{stats.path}: {stats.bytes:,} bytes, {stats.segments:,} segments, {stats.claims:,} claims, "
        f"{stats.sets} sets, {stats.interchanges} interchanges ({took:.2f} s)"
    )


if __name__ == "__main__":
    main()
