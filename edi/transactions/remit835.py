"""835 remittances (005010X221A1): loop trees ↔ `Remittance` models, `read_remittances` and `write_835`.

The generic codec (`edi.mapping`) maps every loop from the field declarations of `edi.models.remittance`.
This module adds what the declarations cannot say: the flat claim list over the 2000 (LX) loops, the
envelope each set came in, which sets are too damaged to become models, and the ST/SE the writer
computes.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from itertools import chain
from typing import Any, cast

from pydantic import TypeAdapter

from edi import codes
from edi.diagnostics import (
    Diagnostic,
    Location,
    Severity,
    is_error,
    short_id,
    shown_control,
    text_shape,
)
from edi.errors import CheckError, WriteError
from edi.loops import Loop
from edi.mapping import (
    READ_SHUFFLED,
    ReadContext,
    WriteContext,
    read_model,
    read_shuffled,
    segments_of,
    write_model,
)
from edi.models.base import Elem, Placed, Seg, add_to_fields_set, marker_of
from edi.models.envelope import EnvelopeInfo
from edi.models.remittance import ClaimPayment, HeaderNumber, Remittance, UnreadClaim
from edi.models.unvalidated import Walk, not_edis, unvalidated
from edi.transactions.common import (
    SEPARATOR_LOOKALIKES,
    EnvelopeChecker,
    SetDelimiters,
    SetReader,
    SetResult,
    carried_isa13s,
    collector_paused,
    each_of,
    envelope_arguments,
    envelope_segments,
    group_problems,
    guide_of_kind,
    locate_write_error,
    raise_first_error,
    resplit_composites,
    sort_by_position,
    write_envelopes,
)
from edi.transactions.json_input import JsonProblemsError, JsonSource, json_items, validated
from edi.x12.delimiters import Delimiters
from edi.x12.envelope import TransactionSet, in_set, name_set
from edi.x12.reader import Source, SourcePasses
from edi.x12.segment import DEFAULT_DELIMITERS, Segment

GUIDE_VERSION = "005010X221A1"
# Where remittances come from, said when text or JSON is given for them.
REMITTANCES_FROM = " (edi.read_remittances reads X12, edi.load_remittances its JSON)"
# How problems name the loops of a set that occur once.
PARTIES = {"1000A": "payer", "1000B": "payee"}
_GUIDE = guide_of_kind("remittance")

# Structure problems that leave the 835's own segments where the models can see them: segments that
# are not part of an 835 at all, or a segment repeated past its max use in its loop (IK304 5, said
# after reading: `remit_rules.overuse_diagnostics`), kept as read and written back. Any other
# structure problem means 835 data sits in the wrong loop, and the set is not turned into a model.
_HARMLESS_STRUCTURE_ACKS = frozenset({"IK304:1", "IK304:5", "IK304:6"})
_UNSPLIT = frozenset({"remit.procedure_code_missing"})  # an SVC01 that did not split


class RemittanceCheckError(CheckError):
    """Remittances that `write_835` refuses: they break a rule of 005010X221A1 or do not balance
    (`check_remittances`).

    `problems` lists every one, each naming its set, claim and line; nothing was written.
    """

    what = "remittance problem"


# -- reading ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnreadSet:
    """An 835 transaction set that did not become a `Remittance` (`RemittanceReader.unread_sets`):
    its control numbers, the line of its ST and why (its diagnostics say more); and the payment
    it reports, as far as its BPR and TRN say it (their text as read, None where the set has no
    such element), so that a deposit can be matched to the 835 that was not posted (x12-notes §9.1:
    a payment is known by BPR02, BPR16, TRN02 and TRN03)."""

    set_control_number: str  # ST02
    group_control_number: str | None  # GS06 (None outside a group)
    interchange_control_number: str | None  # ISA13 (None outside an interchange)
    line: int
    reason: str
    payment_amount: str | None = None  # BPR02
    credit_debit: str | None = None  # BPR03
    payment_date: str | None = None  # BPR16
    trace_number: str | None = None  # TRN02
    payer_id: str | None = None  # TRN03
    payment_method: str | None = None  # BPR04: a check and an ACH of one amount and day differ


def _unread_set(ts: TransactionSet, why: str) -> UnreadSet:
    """What a set that did not become a remittance says of its payment (its first BPR and TRN)."""
    st02, gs06, isa13 = ts.info.numbers
    found: dict[str, Segment] = {}
    for seg in ts.segments:
        if seg.id in ("BPR", "TRN") and seg.id not in found:
            found[seg.id] = seg
        if len(found) == 2 or seg.id == "CLP":  # the header ends at the first claim
            break

    def element(seg_id: str, n: int) -> str | None:
        seg = found.get(seg_id)
        return (seg.element(n) or None) if seg is not None else None

    return UnreadSet(
        st02 or "",
        gs06,
        isa13,
        ts.info.line,
        why,
        element("BPR", 2),
        element("BPR", 3),
        element("BPR", 16),
        element("TRN", 2),
        element("TRN", 3),
        element("BPR", 4),
    )


class RemittanceReader:
    """Streams one `Remittance` per 835 transaction set of a source, one set's models at a time.

    The source is read in chunks, so memory stays flat whatever the file size.

    Problems of every kind (syntax, envelope, structure, data) are collected in `diagnostics`, in input
    order, each with its segment number, line, loop and element.

    A claim payment whose required values are missing or invalid (a CLP04 that is no number, a CLP02
    that is no status code) is not read. Nor is one whose loops break the structure, or show another
    claim's segments without breaking it (two patients or two DTM*232 in one loop, no NM1*QC, an NM1
    after a later segment as in no other claim): with the claims on either side of it, which may
    hold its segments or it theirs. The set is read without them and lists them in
    `Remittance.unread_claims` (`remit.claim_unread`, one error each). A set that cannot become a
    model (its header, payer, payee, an LX or a PLB broken, or missing required data) is skipped
    and reported (and listed in `unread_sets`, with its control numbers); later sets are still
    read. A set cut short by the end of the input is not read
    (`envelope.incomplete_set`: half a remittance must not be posted), nor one with no SE before
    the next ST, GE or IEA (`envelope.missing_se`: it may have lost its end too; listed in
    `unread_sets`). A set whose ISA16 names another
    component separator than its composites use is read with theirs, said once
    (`envelope.component_separator`, see `resplit_composites`). With `strict=True` the first
    error found raises instead (warnings do not): `TokenizeError` for input that is not X12,
    `InputError` for syntax, envelope and guide errors, `StructureError` for the loop structure,
    `DataError` for element data. A set's envelope problems (a wrong SE01) are found when its SE is
    read, before its loops and data, so they raise before a structure or data error earlier in the set. A file name that
    names no file raises `FileNotFoundError` when iteration starts. Iterating again reads the source
    again (a file object from where it stood when the reader was made; see `SourcePasses`).

    Example:
        >>> reader = RemittanceReader(Path("payer.835"))            # doctest: +SKIP
        >>> for remit in reader:                                    # doctest: +SKIP
        ...     print(remit.payment.amount, len(remit.claims))
        >>> [str(d) for d in reader.diagnostics]                    # doctest: +SKIP
    """

    def __init__(self, source: Source, *, strict: bool = False) -> None:
        self.source = source
        self.strict = strict
        self.diagnostics: list[Diagnostic] = []
        self.sets_read = 0  # 835 sets found
        self.sets_skipped = 0  # of those, sets that did not become a model
        self.unread_sets: list[UnreadSet] = []  # those sets, in the order of the file
        self._passes = SourcePasses(source)

    def __iter__(self) -> Iterator[Remittance]:
        source = self._passes.next_pass()
        self.diagnostics.clear()
        self.unread_sets.clear()
        self.sets_read = self.sets_skipped = 0
        reader = SetReader(source, "835", strict=self.strict)
        reader.diagnostics = self.diagnostics
        results = reader.sets()
        # The payments read (x12-notes §9.1.3: TRN03, TRN02, BPR16, BPR02), by their set's ST02.
        payments: dict[tuple[object, ...], str] = {}
        while True:
            # The collector paused while one set is read; the caller holds the model with it running.
            with collector_paused():
                mark = len(self.diagnostics)
                result = next(results, None)
                remit = None if result is None else self._remittance(result, mark)
                if remit is not None and _note_payment(remit, payments, self.diagnostics):
                    sort_by_position(self.diagnostics, mark)  # said at its TRN
                if result is not None:
                    name_set(self.diagnostics, mark, result.ts)
            if result is None:
                return
            if remit is not None:
                ts = result.ts  # type: ignore[union-attr]
                own = [d for d in self.diagnostics[mark:] if in_set(ts, d.location)]
                remit.__pydantic_private__["_diagnostics"] = own  # type: ignore[index]
                yield remit

    def _remittance(self, result: SetResult, mark: int) -> Remittance | None:
        """The model of one set, or None (reported) when it cannot be one."""
        self.sets_read += 1
        remit = None
        why = "its loop structure is broken"
        unread = _unread_by_structure(result) if result.root is not None else None
        if unread is not None and result.ts.info.declared_count is None:
            # No SE before the next ST, GE or IEA: the set may have lost its end with its SE (a
            # claim, a PLB), which no balancing finds when what was lost comes to 0 (a denial).
            # Half a remittance must not be posted: not read, as one the input cuts short.
            unread = None
            why = "it has no SE trailer, so it may have lost its end (half a remittance is not posted)"
        if unread is not None:
            remit, found = _read_set(result, unread)
            # Signs that one claim's loop holds another's segments with no structure problem (a
            # CLP missing, moved or repeated where the guide allows what follows): read again
            # without those claims and their neighbours (rare: a set with such a sign).
            signs, said = _merge_signs(result, remit, found)
            merged = _claims_at(result, signs)
            if remit is not None and merged:
                remit, found = _read_set(result, {**merged, **unread})
                found += [d for d in said if d not in found]  # said, though no longer read
            if remit is not None:
                found += [_unread_diagnostic(result, u) for u in remit.unread_claims]
            if self.strict:
                name_set(found, 0, result.ts)  # the first raised with its set's numbers
                raise_first_error(found)
            self.diagnostics.extend(found)
            why = "required data is missing or invalid"
        sort_by_position(self.diagnostics, mark)
        if remit is None:
            self.sets_skipped += 1
            if result.root is not None:  # else the guide diagnostic says why
                # The first error found says what: `why` says only which kind of problem.
                first = next(filter(is_error, self.diagnostics[mark:]), None)
                self.diagnostics.append(_skipped(result, why))
                if first is not None:
                    why = f"{why}: {first.message}"
            else:
                errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
                why = errors[-1].message if errors else "it could not be read"
            self.unread_sets.append(_unread_set(result.ts, why))
        return remit


def _note_payment(
    remit: Remittance, payments: dict[tuple[object, ...], str], out: list[Diagnostic]
) -> bool:
    """A warning when `remit` pays what a set read before paid: the same payer (TRN03), trace
    (TRN02), date (BPR16) and amount (BPR02), the key x12-notes §9.1.3 gives a payment. An 835
    sent twice: posting both posts the money twice."""
    trace, payment = remit.trace, remit.payment
    if not trace.number:
        return False
    key = (trace.payer_id, trace.number, payment.date, payment.amount, payment.credit_debit)
    envelope = remit.envelope
    st02 = envelope.set_control_number if envelope else ""
    first = payments.get(key)
    if first is None:
        # Named by its ST's line and interchange too: the sets of a file's interchanges often
        # share ST02 0001.
        at = remit.read_at
        where = [f"line {at.line}"] if at is not None and at.line else []
        interchange = envelope.interchange if envelope is not None else None
        if interchange is not None and interchange.control_number:
            where.append(f"interchange {shown_control(interchange.control_number)}")
        payments[key] = f"{shown_control(st02)}" + (f" ({', '.join(where)})" if where else "")
        return False
    # The key's values, but the payer's id (TRN03) when it is none (said by its length: PHI).
    date = f" {payment.date.isoformat()}" if payment.date else " (none)"
    payer = trace.payer_id or ""
    payer = f" {payer}" if payer.isascii() and payer.isalnum() and len(payer) <= 10 else ""
    out.append(
        Diagnostic(
            "remit.duplicate_payment",
            f"the payment of set {shown_control(st02)} (trace TRN02 {short_id(trace.number)}, "
            f"BPR02 {payment.amount:f}, BPR16{date}, TRN03{payer}) is the one of set {first} "
            "read before: the same 835 sent twice? Posting both posts it twice",
            Severity.WARNING,
            trace.read_at,
        )
    )
    return True


def _read_set(
    result: SetResult, unread: dict[int, str]
) -> tuple[Remittance | None, list[Diagnostic]]:
    """One set's model without the claim loops `unread`, and what reading it found."""
    found: list[Diagnostic] = []

    def read(into: list[Diagnostic]) -> Remittance | None:
        return read_remittance(result, ReadContext(into, result.diagnostics), unread)

    remit = read(found)
    resplit = resplit_composites(result.ts, found, _UNSPLIT, read)
    if resplit is not None:  # read again, its SVC01s split: said once, not per line
        remit, found = resplit
    # Lazily: `remit_rules` (the map's table) imports this module.
    from edi.transactions.remit_rules import overuse_diagnostics

    assert result.root is not None
    found += overuse_diagnostics(result.root, found)
    return remit, found


def read_remittances(source: Source, *, strict: bool = False) -> RemittanceReader:
    """Read the 835 remittances of `source` (a file name, a `Path`, bytes, X12 text or a file
    object, binary or text mode).

    Returns a `RemittanceReader`: iterate it for one `Remittance` per 835 transaction set (streaming),
    then look at its `diagnostics`. `strict=True`: the first error found raises (`RemittanceReader`).

    Example:
        >>> for remit in read_remittances(Path("payer.835")):       # doctest: +SKIP
        ...     for claim in remit.claims:
        ...         print(claim.patient_control_number, claim.status_name, claim.paid)
    """
    return RemittanceReader(source, strict=strict)


def read_remittance(
    result: SetResult, ctx: ReadContext, unread: dict[int, str] | None = None
) -> Remittance | None:
    """The `Remittance` of one parsed 835 set, or None when a value the set requires outside its
    claims is missing (see ctx). A claim payment loop in `unread` (by `id`, with why), or whose
    required values are missing or invalid, is not read: it is listed in `unread_claims`."""
    root = result.root
    assert root is not None
    unread = unread or {}
    missing = ctx.missing
    remit: Remittance | None = read_model(Remittance, root, ctx)
    headers: list[HeaderNumber] = []
    claims: list[ClaimPayment] = []
    not_read: list[UnreadClaim] = []
    claims_missing = 0  # values missing in claims: those claims alone are not read
    for item in root.items:
        if type(item) is not Loop or item.id != "2000":
            continue
        # The 2000 loop's own segments (LX, TS3, TS2) make its HeaderNumber; its 2100 loops the claims.
        # One whose own segments broke is not read: its claims are not read either (`unread`).
        header = None
        if id(item) not in unread:
            own: list[Segment | Loop] = [i for i in item.items if type(i) is Segment]
            header = read_model(HeaderNumber, Loop("2000", item.name, own), ctx)
        number = header.number if header is not None else None
        count = 0
        for child in item.items:
            if type(child) is not Loop or child.first_segment is None:
                continue  # an empty one: supplied for an LX without claims, said by the grammar
            why = unread.get(id(child))
            claim = None
            if why is None:
                before, said = ctx.missing, len(ctx.diagnostics)
                claim = read_model(ClaimPayment, child, ctx)
                if claim is None or ctx.missing > before:
                    claims_missing += ctx.missing - before
                    why = _VALUE_MISSING
                    # The first error said of it tells which (as an unread set's reason does).
                    first = next(filter(is_error, ctx.diagnostics[said:]), None)
                    if first is not None:
                        why = f"{why}: {first.message}"
                elif claim.status not in codes.CLAIM_STATUS:
                    # What to post follows from it (a reversal, a denial): a CLP with its elements
                    # shifted (CLP02 lost) reads its charge as the status.
                    _unknown_status(child, ctx)
                    why = "CLP02 is no claim status code"
            if why is not None or claim is None:
                not_read.append(_unread_claim(child, why or ""))
                continue
            if number is not None:
                claim.__dict__["header_number"] = number
                add_to_fields_set(claim, "header_number")
            _check_services(claim, child, ctx)
            claims.append(claim)
            count += 1
        if header is not None:
            header.__pydantic_private__["_claim_count"] = count
            headers.append(header)
    if remit is None or ctx.missing - claims_missing > missing:  # a value the set requires
        return None
    values = remit.__dict__
    values["header_numbers"] = headers
    values["claims"] = claims
    values["envelope"] = result.envelope
    add_to_fields_set(remit, "header_numbers", "claims", "envelope")
    if not_read:
        values["unread_claims"] = not_read
        add_to_fields_set(remit, "unread_claims")
    # A Remittance has private attributes: pydantic gives it their dict.
    cast("dict[str, Any]", remit.__pydantic_private__)["_delimiters"] = result.ts.delimiters
    return remit


# CLP04 of a claim not read (and BPR02 of a set not read, as `edi remit` shows it), when it is a
# number as the reader takes one (`mapping`) of at most 15 digits a side: a longer one, which the
# reader takes and the checks refuse, is not the model's.
PLAIN_AMOUNT = re.compile(r"-?([0-9]{1,15}(\.[0-9]{0,15})?|\.[0-9]{1,15})")
# Loops a structure problem may break while the set's other claims stay sound.
_CLAIM_LOOPS = frozenset({"2100", "2110"})
# Segments of a claim payment loop that two claims' segments in one loop would repeat: its patient,
# insured and other names, its inpatient or outpatient adjudication, and its dates (statement from
# and to, received, coverage expiration: one of each qualifier).
_ONCE_A_CLAIM = frozenset({"NM1", "MIA", "MOA", "DTM"})
_MERGE_CODES = frozenset({"mapping.unplaced", "structure.max_use"})


def _unread_by_structure(result: SetResult) -> dict[int, str] | None:
    """The claim payment loops (by `id`) that the set's structure problems leave untrustworthy, with
    why: {} without one; and the header number loops (2000, by `id`) whose own segments (LX, TS3,
    TS2) broke, whose claims are all not read. None when the set cannot be read: a problem outside
    the claims and header numbers (the header, payer, payee, the PLB) or not placed in one."""
    in_claims: list[_Point] = []
    in_headers: list[_Point] = []
    for d in result.diagnostics:
        if not d.code.startswith("structure.") or d.ack in _HARMLESS_STRUCTURE_ACKS:
            continue
        where = d.location
        if where is None:
            return None
        # An LX missing or moved (its 2000's first segment missing), or one without claims (a claim
        # loop without CLP said at the LX after it).
        if where.loop_id == "2000" or (where.loop_id in _CLAIM_LOOPS and where.segment_id == "LX"):
            in_headers.append(_point(d, "the loop structure breaks in its header number loop (LX)"))
        elif where.loop_id in _CLAIM_LOOPS:
            in_claims.append(_point(d, "the loop structure breaks in its loops"))
        else:
            return None
    claims = _claims_at(result, in_claims)
    headers = _headers_at(result, in_headers)
    if claims is None or headers is None:
        return None
    return {**headers, **claims}


def _headers_at(result: SetResult, points: list[_Point]) -> dict[int, str] | None:
    """The header number loops (2000) that the problems at `points` are in, each with every claim
    payment loop in it and the claims just before and after them (by `id`), with why; None when a
    problem is in none. Their claims may carry another LX's number or TS3 totals, and the claims
    next to them another's segments; the other header numbers and their claims are read."""
    if not points:
        return {}
    assert result.root is not None
    headers = _header_loops(result.root)
    claims = [claim for header in headers for claim in _claim_loops(header)]
    place = {id(claim): n for n, claim in enumerate(claims)}
    lows, spans = _spans(headers)
    own: dict[int, str] = {}
    beside: dict[int, str] = {}
    for at, segment_id, what in points:
        hit = _holding(lows, spans, at)
        if hit is None:
            return None
        why = f"{what} (segment {at} {segment_id})"
        own[id(headers[hit])] = why
        inside = _claim_loops(headers[hit])
        own.update((id(claim), why) for claim in inside)
        if inside:
            next_to = (
                f"the header number loop next to it is not read: {why}; it may hold this "
                "claim's segments or this one its"
            )
            _next_to(claims, place[id(inside[0])], place[id(inside[-1])], next_to, beside)
    return {**beside, **own}


def _header_loops(root: Loop) -> list[Loop]:
    return [item for item in root.items if type(item) is Loop and item.id == "2000"]


def _spans(loops: list[Loop]) -> tuple[list[int], list[tuple[int, int]]]:
    """The first and last segment number in the set of each loop ((0, -1) for one without), and
    the firsts apart: the loops are in file order, so a bisection finds the one of a segment."""
    spans = []
    for loop in loops:
        indexes = [s.index for s in loop.iter_segments() if s.index]
        spans.append((min(indexes), max(indexes)) if indexes else (0, -1))
    return [low for low, _ in spans], spans


def _holding(lows: list[int], spans: list[tuple[int, int]], at: int) -> int | None:
    """The loop (`_spans`) that segment `at` is in, or None."""
    n = bisect_right(lows, at) - 1
    return n if n >= 0 and at <= spans[n][1] else None


def _next_to(claims: list[Loop], first: int, last: int, why: str, out: dict[int, str]) -> None:
    """The claims just before `claims[first]` and after `claims[last]`, with why (`out`): they may
    hold segments of those, or those theirs, with no problem of their own (a CLP moved past a
    claim's lines and remarks gives them to the claim before)."""
    for n in (first - 1, last + 1):
        if 0 <= n < len(claims):
            out.setdefault(id(claims[n]), why)


def _claim_loops(header: Loop) -> list[Loop]:
    """The claim payment loops of a header number loop (2000) that hold a segment: an LX without
    claims has one supplied, empty (its missing CLP said by the grammar)."""
    return [
        child for child in header.items if type(child) is Loop and child.first_segment is not None
    ]


# Where a claim is not trusted (a segment number in the set and its ID), and why.
_Point = tuple[int, str, str]


def _point(d: Diagnostic, what: str) -> _Point:
    assert d.location is not None
    return (d.location.segment_index, d.location.segment_id, what)


def _merge_signs(
    result: SetResult, remit: Remittance | None, found: list[Diagnostic]
) -> tuple[list[_Point], list[Diagnostic]]:
    """Where a set read without structure problems in its claims shows two claims' segments in
    one claim's loops, and the diagnostics that say so:
    - a segment a claim has once, repeated (two patients, two MIA, two DTM*232);
    - a claim without its patient (NM1*QC, required): a CLP repeated, or one that took another
      claim's segments after it and left the rest to the claim before;
    - a claim whose NM1 follows a later segment, as no other claim's (`_out_of_order`).
    """
    claims = remit.claims if remit is not None else []
    # A claim alone in its set has no neighbour to take segments from but through a CLP lost, which
    # leaves two patients: a date it has twice, or a line's date in its loop, is its own then.
    alone = len(claims) + len(remit.unread_claims if remit is not None else []) < 2
    said = [d for d in found if _merges_claims(d) and not (alone and _is_dtm(d))]
    # A DTM or NM1 counts when it repeats one the claim has (two DTM*232, two NM1*QC), not one of
    # another kind (a line's date, an NM1*DK: out of place, not another claim's).
    held = _claim_qualifiers()
    said = [
        d
        for d in said
        if (quals := held.get(d.location.segment_id if d.location else "")) is None
        or _qualifier(result, d) in quals
    ]
    what = "its loop holds twice a segment that a claim has once"
    points = [_point(d, what) for d in said]
    if remit is not None:
        for claim in remit.claims:
            if claim.patient is None and (at := claim.read_at) is not None:
                points.append((at.segment_index, "CLP", _NO_PATIENT))
        points += _out_of_order(result, remit.claims)
    return points, said


def _out_of_order(result: SetResult, claims: list[ClaimPayment]) -> list[_Point]:
    """The claims whose NM1 (the patient's, the insured's ...) follows a segment the guide puts
    after it (a REF, DTM, PER, AMT, QTY, MIA or MOA), when no other claim of the set has its NM1
    so: the trace of a CLP moved up past the end of the claim before (its DTM and QTY before this
    one's NM1*QC). One moved down past this one's NM1*QC leaves two in the claim before
    (`_merges_claims`); past its CAS alone, neither claim balances (`balance_problems`). Claims
    with their NM1 so alike are how the payer writes its 835s, not a sign; nor is a CAS, MIA or
    MOA after later segments (a payer's claim adjustments or remarks last). Either is said by the
    checks (`segment_order`), and read."""
    if not READ_SHUFFLED[0] or len(claims) < 2:  # nothing read out of order yet (the common case)
        return []
    shuffled = {
        claim.read_at.segment_index
        for claim in claims
        if read_shuffled(claim) and claim.read_at is not None
    }
    if not shuffled:
        return []
    assert result.root is not None
    position = _claim_positions()
    names = position["NM1"]
    late: list[int] = []  # the CLP of each claim whose NM1 follows a later segment
    for header in _header_loops(result.root):
        for loop in _claim_loops(header):
            first = loop.items[0]
            if type(first) is not Segment or first.index not in shuffled:
                continue
            latest = 0
            for item in loop.items[1:]:
                if type(item) is not Segment:
                    break  # its lines
                if item.id == "NM1" and latest > names:
                    late.append(first.index)
                    break
                latest = max(latest, position.get(item.id, 0))
    if len(late) != 1:  # none, or the payer's way
        return []
    return [(late[0], "CLP", _OUT_OF_ORDER)]


@cache
def _claim_positions() -> dict[str, int]:
    """The positions of the segments of loop 2100 in the 005010X221A1 table (`segment_positions`)."""
    from edi.transactions.segment_positions import POSITIONS

    words = (word.split(":") for word in POSITIONS["835"]["2100"].split())
    return {key: int(pos) for key, pos in words}


_NO_PATIENT = "its loops lack the patient (NM1*QC), which a claim requires"
_OUT_OF_ORDER = (
    "an NM1 of its loop comes after a segment the guide puts after it, as in no other claim of "
    "the set: the trace of another claim's segments"
)


def _is_dtm(d: Diagnostic) -> bool:
    return d.location is not None and d.location.segment_id == "DTM"


def _qualifier(result: SetResult, d: Diagnostic) -> str:
    """The qualifier (element 01) of the segment of the set a diagnostic is at."""
    assert d.location is not None
    segments = result.ts.segments
    at = d.location.segment_index - 1
    return segments[at].element(1) if 0 <= at < len(segments) else ""


@cache
def _claim_qualifiers() -> dict[str, frozenset[str]]:
    """The qualifiers of the DTM and NM1 a claim payment has, one each (from `ClaimPayment`'s
    fields: its dates, its patient, insured and other names)."""
    quals: dict[str, set[str]] = {"DTM": set(), "NM1": set()}
    for finfo in ClaimPayment.model_fields.values():
        mark = marker_of(finfo)
        if isinstance(mark, Elem) and isinstance(mark.qual, str) and mark.ref[:3] == "DTM":
            quals["DTM"].add(mark.qual)
        elif isinstance(mark, Seg) and isinstance(mark.qual, str) and mark.seg_id == "NM1":
            quals["NM1"].add(mark.qual)
    return {seg_id: frozenset(values) for seg_id, values in quals.items()}


def _merges_claims(d: Diagnostic) -> bool:
    """A diagnostic that a claim's loop holds twice a segment a claim has once: more than the model
    holds (a second NM1*QC or DTM*232), or past the guide's max use. (A second AMT*AU is not one:
    the guide's max use of AMT counts every qualifier, and the check takes it.)"""
    where = d.location
    return (
        d.code in _MERGE_CODES
        and where is not None
        and where.loop_id == "2100"
        and where.segment_id in _ONCE_A_CLAIM
    )


def _claims_at(result: SetResult, points: list[_Point]) -> dict[int, str] | None:
    """The claim payment loops (by `id`) that the problems at `points` (in claim loops) leave
    untrustworthy, with why; None when one is in no claim loop.

    A claim is not read when a problem sits among its segments, nor are the claims on either side
    of it: a claim's segments slid into its neighbour's loops (its CLP missing, moved or swapped)
    leave that neighbour short or carrying them, and break the structure only further on.
    """
    if not points:
        return {}
    assert result.root is not None
    claims = [claim for header in _header_loops(result.root) for claim in _claim_loops(header)]
    lows, spans = _spans(claims)
    own: dict[int, str] = {}
    beside: dict[int, str] = {}
    for at, segment_id, what in points:
        hit = _holding(lows, spans, at)
        if hit is None:
            return None
        where = f"segment {at} {segment_id}"
        own.setdefault(id(claims[hit]), f"{what} ({where})")
        next_to = (
            f"the claim payment next to it is not read: {what} ({where}); it may hold this one's "
            "segments or this one its"
        )
        _next_to(claims, hit, hit, next_to, beside)
    return {**beside, **own}  # a claim's own problem is why, before its neighbour's


def _unknown_status(loop: Loop, ctx: ReadContext) -> None:
    clp = loop.segment("CLP")
    assert clp is not None  # a claim payment read has one
    status = clp.element(2)
    # A short code is quoted; longer text there is data shifted into it (said by its length).
    shown = repr(status) if len(status) <= 3 else f"({len(status)} characters)"
    ctx.diagnostics.append(
        Diagnostic(
            "remit.unknown_status",
            f"CLP02 {shown} is no claim status code of 005010X221A1 "
            f"({', '.join(codes.CLAIM_STATUS)})",
            Severity.ERROR,
            Location(clp.index, clp.id, clp.line, clp.offset, "2100", loop.name, "CLP02"),
            (f"a claim status code such as 1 ({codes.CLAIM_STATUS['1']})",),
            ack="IK403:7",
        )
    )


def _unread_claim(loop: Loop, why: str) -> UnreadClaim:
    clp = loop.segment("CLP")
    first = loop.first_segment
    amount = clp.element(4) if clp is not None else ""
    unread = UnreadClaim(
        patient_control_number=clp.element(1) or None if clp is not None else None,
        paid=Decimal(amount) if PLAIN_AMOUNT.fullmatch(amount) else None,
        segment=first.index if first is not None else 0,
        reason=why,
    )
    unread._at = first
    return unread


# Why a claim payment with a value missing or invalid is not read; its `reason` adds the first error
# said of it (for unread_claims.csv), which its diagnostic leaves to that error's own line.
_VALUE_MISSING = "a value it requires is missing or invalid"


def _unread_diagnostic(result: SetResult, unread: UnreadClaim) -> Diagnostic:
    at = unread._at or result.ts.header
    name = repr(unread.patient_control_number) if unread.patient_control_number else "without CLP01"
    why = unread.reason
    if why.startswith(f"{_VALUE_MISSING}: "):
        why = _VALUE_MISSING
    return Diagnostic(
        "remit.claim_unread",
        f"claim payment {name} is not read: {why}; the set's other claims are read, "
        "and the remittance lists it in unread_claims",
        Severity.ERROR,
        Location(at.index, at.id, at.line, at.offset, "2100", "claim payment"),
    )


def _check_services(claim: ClaimPayment, loop: Loop, ctx: ReadContext) -> None:
    """Report service lines whose SVC01 has no procedure code (usually a wrong component separator)."""
    lines = [c for c in loop.items if type(c) is Loop and c.id == "2110"]
    for service, line in zip(claim.services, lines, strict=False):
        if service.code is not None:
            continue
        svc = line.first_segment
        if svc is None:
            continue
        comp = svc.delimiters.component
        other = next((c for c in SEPARATOR_LOOKALIKES if c in svc.element(1)), None)
        hint = (
            f" (it holds {other!r}: is the component separator really {comp!r}, as ISA16 says?)"
            if other is not None and other != comp
            else ""
        )
        ctx.diagnostics.append(
            Diagnostic(
                "remit.procedure_code_missing",
                # A procedure code is PHI beside its patient: not quoted (`text_shape`).
                f"SVC01 is {text_shape(svc.element(1))}: no procedure code in SVC01-02{hint}",
                Severity.ERROR,
                Location(svc.index, svc.id, svc.line, svc.offset, "2110", line.name, "SVC01-02"),
                (f"a qualifier and a procedure code, such as HC{comp}99213",),
                ack="IK403:1",
            )
        )


def _broken(diagnostics: list[Diagnostic]) -> bool:
    return any(
        d.code.startswith("structure.") and d.ack not in _HARMLESS_STRUCTURE_ACKS
        for d in diagnostics
    )


def _skipped(result: SetResult, why: str) -> Diagnostic:
    st = result.ts.header
    return Diagnostic(
        "remit.set_skipped",
        f"835 transaction set {shown_control(result.ts.control_number)} is not read into a model: {why}",
        Severity.ERROR,
        Location(st.index, st.id, st.line, st.offset, "ST", "transaction"),
    )


# -- writing ----------------------------------------------------------------------------------------


# -- remittances from JSON ------------------------------------------------------------------------

_REMITTANCE_LIST: TypeAdapter[list[Remittance]] = TypeAdapter(list[Remittance])


class RemittanceValidationError(JsonProblemsError):
    """Remittance JSON that does not fit the remittance schema (`edi schema remittance`).

    `problems` names every field at fault, by its JSON path: `"[0].claims[1].paid: Input should be a
    valid decimal"`.
    """

    what = "remittance"


def load_remittances(source: JsonSource) -> list[Remittance]:
    """Remittances from JSON, as `edi remit --format json` writes them (a list of remittance
    objects): a path to a file (a `Path`, or a `str` that is not JSON text), JSON text, or
    already-parsed data (a list, or one remittance object). Raises `RemittanceValidationError`
    naming every field at fault. JSON numbers are read as `Decimal`, so amounts stay exact; a text
    escaped as a lone surrogate (`\\udcc9`, a byte of the 835 that was not UTF-8) is read back as
    that surrogate, so `write_835` writes that byte again. Written, they give the segments of the
    835 read, each provider adjustment in the PLB its `segment` names and each claim adjustment in
    the CAS its `segment` names.

    Example:
        >>> remits = load_remittances(Path("payer.json"))     # doctest: +SKIP
    """
    made_by = "the remittance JSON of an 835 is what `edi remit FILE --format json` gives"
    data = json_items(source, RemittanceValidationError, "remittances", made_by)
    # Not `model_validate_json`: pydantic's JSON parser refuses a lone surrogate.
    return validated(_REMITTANCE_LIST, data, RemittanceValidationError)


def remittance_loop(remit: Remittance, delimiters: Delimiters, checked: bool = False) -> Loop:
    """The loop tree one remittance is written as, ST to SE (SE holds a placeholder count).
    `checked`: refuse what X12 forbids though edi reads it back as written (`WriteContext`)."""
    # A model not read (made in code or from JSON) writes its segments of one position in the
    # order the 835 guide lists them (`mapping.write_model`); one read keeps its order.
    wctx = WriteContext(delimiters, checked, "835")
    envelope = remit.envelope
    st = ["ST", "835", envelope.set_control_number if envelope is not None else "0001"]
    if envelope is not None and envelope.implementation_reference:
        st.append(envelope.implementation_reference)
    st_segment = Segment(st, delimiters)
    se_segment = Segment(["SE", "0", st[2]], delimiters)  # a placeholder: write_envelopes counts
    loops = [
        _header_loop(header, claims, wctx)
        for header, claims in header_groups(remit.claims, remit.header_numbers)
        # An LX whose claims were not read: the remittance is incomplete, which is its problem
        # (`unread_problem`, refused when written); checked, its other loops are written.
        if claims or not remit.unread_claims
    ]
    return write_model(
        remit,
        wctx,
        custom={"2000": loops},
        computed={"ST": [st_segment], "SE": [se_segment]},
    )


def remittance_segments(
    remit: Remittance, delimiters: Delimiters, checked: bool = False
) -> list[Segment]:
    """The segments of one remittance from ST up to, but not including, SE."""
    return _body(remittance_loop(remit, delimiters, checked))


def _body(root: Loop) -> list[Segment]:
    """The segments of a remittance's loop tree without its SE, which write_envelopes makes."""
    return [s for s in segments_of([root]) if s.id != "SE"]


def _header_loop(header: HeaderNumber, claims: list[ClaimPayment], wctx: WriteContext) -> Loop:
    if not claims:
        # An LX without a CLP does not read back (loop 2100 is required in each 2000): refused, as
        # when an 835's claims were split between files and a header number kept none.
        raise WriteError(
            f"header number {header.number} (LX) has no claims; each LX needs at least one claim "
            "payment (loop 2100): remove it from header_numbers or give it claims"
        )
    loop = write_model(header, wctx)
    loop.items.extend(write_model(claim, wctx) for claim in claims)
    return loop


def header_groups(
    claims: list[ClaimPayment], headers: list[HeaderNumber]
) -> list[tuple[HeaderNumber, list[ClaimPayment]]]:
    """Claims grouped under their LX: as read when the recorded counts still fit, else consecutive
    claims with the same `header_number` share one LX (a missing number joins the group before it),
    under the first header with that number not yet used, in the claims' order."""
    counts = [h.__pydantic_private__.get("_claim_count") for h in headers]  # type: ignore[union-attr]
    if headers and None not in counts and sum(counts) == len(claims):  # type: ignore[arg-type]
        grouped: list[tuple[HeaderNumber, list[ClaimPayment]]] = []
        i = 0
        for header, n in zip(headers, counts, strict=True):
            group = claims[i : i + n]  # type: ignore[operator]
            i += n  # type: ignore[operator]
            if any(c.header_number != header.number for c in group):
                break
            grouped.append((header, group))
        else:
            return grouped
    runs: list[tuple[int | None, list[ClaimPayment]]] = []
    for claim in claims:
        number = claim.header_number
        if runs and (number is None or number == runs[-1][0]):
            runs[-1][1].append(claim)
        else:
            runs.append((number, [claim]))
    carried = {number for number, _ in runs}
    # Each run takes the first unused header with its number, wherever it stands: claims reordered
    # after reading must not leave an earlier header without its claims.
    unused = list(headers)
    next_number = max(chain((h.number for h in headers), (r[0] or 0 for r in runs)), default=0) + 1
    out: list[tuple[HeaderNumber, list[ClaimPayment]]] = []
    for number, group in runs:
        at = next(
            (
                k
                for k, h in enumerate(unused)
                if h.number == number or (number is None and h.number not in carried)
            ),
            None,
        )
        if at is not None:
            out.append((unused.pop(at), group))
            continue
        if number is None:
            number, next_number = next_number, next_number + 1
        out.append((HeaderNumber(number=number), group))
    # A header whose number no claim carries is refused when written (`_header_loop`). One left over
    # whose number another header took holds nothing but its number unless it has TS3/TS2: then
    # which claims were its is no longer known (claims moved, or counts lost through JSON), and
    # merging would put them under the other's totals: refused rather than lost.
    for header in unused:
        if header.number not in carried:
            out.append((header, []))
        elif header.provider_summary is not None or header.supplemental_summary is not None:
            raise WriteError(
                f"header number {header.number} (LX) is given to more than one LX with TS3/TS2, "
                "and the claims no longer show which are whose: give each LX its own number "
                "(HeaderNumber.number and ClaimPayment.header_number)"
            )
    return out


def write_835(
    remittances: Iterable[Remittance],
    *,
    delimiters: Delimiters | None = None,
    line_break: str | None = None,
    sender_id: str | None = None,
    receiver_id: str | None = None,
    sender_qualifier: str | None = None,
    receiver_qualifier: str | None = None,
    application_sender: str | None = None,
    application_receiver: str | None = None,
    usage: str | None = None,
    acknowledgment_requested: str | None = None,
    interchange_control_number: int | None = None,
    group_control_number: int | None = None,
    set_control_number: int | None = None,
    when: datetime | None = None,
    check: bool = True,
) -> str:
    """The X12 text of 835 remittances, inside ISA/GS envelopes with SE, GE and IEA counted.

    Delimiters: a remittance that carries the interchange it was read in is written with the
    delimiters it was read with (separators and line break), each interchange with its own, so a
    file whose interchanges differ in them is written back as read; the others (made in code, read
    without an ISA, or with their envelopes replaced by an envelope argument) with those the first
    remittance was read with, else `* ^ : ~` with a line break after each segment. `delimiters`
    given applies to every remittance; `line_break` ("", "\\n", "\\r\\n") overrides the line
    break of every one (each interchange keeping its separators). One interchange has one set of
    delimiters: remittances that carry the same interchange but were read with different ones
    (two reads, edited) are written in two, the second renumbered (`SetDelimiters`).

    Envelopes: a remittance that carries one (`remit.envelope`: one read) is written in it (ISA, GS,
    ST02), so writing gives back what was read; the others get one from the envelope arguments, as
    `write_837` takes them (sender and receiver ids and qualifiers, `application_sender` /
    `application_receiver` for GS02 / GS03, `usage`, `acknowledgment_requested`, the first control
    numbers, counting up). An envelope argument given replaces the envelopes the remittances carry,
    all of them and as a whole (a re-sent 835 with its old control numbers would be a duplicate);
    each remittance keeps its guide version (GS08, ST03) as read. `when` alone replaces none.

    With `check` (the default) what is written of each remittance is checked against 005010X221A1
    (required segments and elements, code lists, qualifiers and max use per loop, X12 syntax
    relations: `check_remittances`) and the balancing rules of x12-notes §8.1 (`balance_problems`):
    an 835 that does not balance is refused too. `RemittanceCheckError` lists every problem; nothing
    is returned then. A simple element that holds the component separator (X12 forbids it) is
    refused too (`WriteError`), and so is an envelope a remittance carries that breaks the rules of
    those made from the arguments (`EnvelopeChecker`), but for the values read from a file, written
    back as read. `check=False` writes the remittances as they are.

    Example:
        >>> text = write_835(read_remittances(Path("payer.835")))   # doctest: +SKIP
    """
    items = each_of(Remittance, remittances, "write_835", REMITTANCES_FROM)
    first = next(items, None)
    if first is None:
        return ""
    rest = list(items)  # held anyway (`taken`); the ISA13s they carry are known before writing
    items = iter(rest)
    # (`or {}`: a remittance whose private attributes were taken away is said when writing it.)
    read_with = (first.__pydantic_private__ or {}).get("_delimiters")
    defaults, replaced = envelope_arguments(
        when,
        sender_id=sender_id,
        receiver_id=receiver_id,
        sender_qualifier=sender_qualifier,
        receiver_qualifier=receiver_qualifier,
        application_sender=application_sender,
        application_receiver=application_receiver,
        usage=usage,
        acknowledgment_requested=acknowledgment_requested,
        interchange_control_number=interchange_control_number,
        group_control_number=group_control_number,
        set_control_number=set_control_number,
    )
    # Each set keeps the delimiters of the interchange it carries, unless replaced or given.
    rule = SetDelimiters(delimiters, read_with, line_break, own=not replaced)
    chosen = rule.chosen
    # With their ST02 and delimiters: to name the one at fault.
    written: list[tuple[Remittance, str, Delimiters]] = []
    problems: list[str] = []
    # Unlike write_837, no read-back: the models put each 835 segment in the loop the grammar has
    # for it, and what the grammar would refuse (a segment the 835 does not have, a loop without
    # its first segment) the check names already.
    if check:
        from edi.transactions.remit_checks import remittance_problems
    checker = EnvelopeChecker(chosen)
    number = SetNumbers(defaults.set_control_number, own=not replaced)
    # The remittance being written, its place among those given (1 up) and its ST02: to name one
    # made or changed around pydantic that the writing fails on (`unvalidated_remittance`).
    current: list[Any] = [None, 0, None]

    taken: list[Remittance] = []  # every remittance taken from those given, for a refusal

    def sets() -> Iterator[tuple[EnvelopeInfo | None, list[Segment], str, Delimiters]]:
        for n, remit in enumerate(chain((first,), items), 1):
            taken.append(remit)
            current[:] = [remit, n, None]
            kept, found = len(written), len(problems)
            try:
                current[2] = number(remit)
                made = one_set(remit, current[2])
            except Exception as exc:
                said = None
                if check and not_edis(exc):
                    said = unvalidated_remittance(remit, n, current[2])
                if said is None:
                    raise
                # Checked: said as its problem, and the remittances after it are still checked.
                del written[kept:], problems[found:]
                problems.append(said)
                continue
            yield made

    def one_set(
        remit: Remittance, st02: str
    ) -> tuple[EnvelopeInfo | None, list[Segment], str, Delimiters]:
        envelope = remit.envelope
        if not check and remit.unread_claims:  # checked: one of its problems
            raise WriteError(unread_problem(remit, st02))
        d = rule(remit.__pydantic_private__.get("_delimiters"), envelope)  # type: ignore[union-attr]
        written.append((remit, st02, d))
        version = envelope.group.version if envelope and envelope.group else GUIDE_VERSION
        root = remittance_loop(remit, d, check)
        if check:
            problems.extend(remittance_problems(remit, root, st02))
        body = _body(root)
        carried = None if replaced else envelope
        if check and carried is not None:  # written: checked as the envelopes made are
            envelopes = checker.written_with(d)
            problems.extend(envelope_problems(envelopes, carried, st02))
            if envelopes.problems(carried):
                # Nothing is returned now: one made from the defaults keeps the writing going
                # (a bad GS would stop it) to find the problems of the remittances after it.
                carried = None
                if d is not chosen:  # in an envelope made: with the writer's delimiters
                    d = chosen
                    written[-1] = (remit, st02, d)
                    body = remittance_segments(remit, d, check)
        return carried, body, version, d

    # Writing makes a few objects per element that die with it: with the collector running, making
    # them would rescan the remittances again and again (two thirds of the time for 20,000 claims).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        text = write_envelopes(
            sets(),
            functional_id=_GUIDE.functional_id,
            delimiters=chosen,
            defaults=defaults,
            carried=() if replaced else carried_isa13s((first, *rest)),
        )
    except WriteError as exc:
        located = locate_remittance_error(exc, written, check)
        if check:
            # Every remittance's problems, those after this one too: refused for the first value
            # found alone, a user fixed them one run at a time. As it was when it is the only one.
            from edi.transactions.remit_checks import problems_to_write

            numbers = SetNumbers(defaults.set_control_number, own=not replaced)
            every, values = problems_to_write(
                chain(taken, items), rule, numbers, carried=not replaced
            )
            if every != values:
                raise RemittanceCheckError(every) from None
            if every:
                raise WriteError("; ".join(every), every) from None
        raise located from None
    except Exception as exc:
        # A remittance made or changed around pydantic (`model_construct`, `__dict__`) with a
        # field it refuses: said as its problem, rather than the Python error it led to. Looked
        # for only now, so it costs nothing otherwise; none found, the error is edi's own.
        remit, n, st02 = current
        said = None
        if remit is not None and not_edis(exc):
            said = unvalidated_remittance(remit, n, st02)
        if said is None:
            raise
        if check:
            raise RemittanceCheckError([*problems, said]) from None
        raise WriteError(said) from None
    finally:
        if was_enabled:
            gc.enable()
    if problems:
        raise RemittanceCheckError(problems)
    return text


def unvalidated_remittance(
    remit: Remittance, n: int, st02: str | None, walk: Walk | None = None
) -> str | None:
    """The problem of the `n`-th remittance given (1 up), with the ST02 it is written with when
    known, when pydantic refuses one of its fields (it was not validated: `edi.models.unvalidated`):
    `835 0001 (#2): not validated (...): claims[0].paid: Input should be a valid decimal`; else
    None."""
    said = unvalidated(remit, walk)
    if said is None:
        return None
    return f"835 {st02} (#{n}): {said}" if isinstance(st02, str) else f"835 #{n}: {said}"


def envelope_problems(checker: EnvelopeChecker, envelope: EnvelopeInfo, st02: str) -> list[str]:
    """The problems of the envelope a remittance carries that `checker` has not given yet, named
    after its set: `835 0001: envelope: usage (ISA15) 'X' must be P or T`. Its group must be one of
    835s (GS01 HP) of a release of the guide the checks are of (GS08): a GS08 edi does not read as
    005010X221A1 (an 837's, 'M') left the set unreadable to edi itself, and GS01 HC or ZZ to pyx12."""
    found = checker.problems(envelope) + group_problems(envelope, _GUIDE)
    return [f"835 {st02}: envelope: {p}" for p in checker.unsaid(found)]


class SetNumbers:
    """The ST02 `write_835` writes each of a run of remittances with, one after the other: its own,
    or for one without an envelope (every one when not `own`: envelope arguments given) the number
    `write_envelopes` gives it (`first` up, `0001` by default)."""

    def __init__(self, first: int = 1, *, own: bool = True) -> None:
        self.next = first
        self.own = own

    def __call__(self, remit: Remittance) -> str:
        if self.own and remit.envelope is not None:
            return remit.envelope.set_control_number
        self.next += 1
        return f"{self.next - 1:04d}"


def locate_remittance_error(
    exc: WriteError, named: list[tuple[Remittance, str, Delimiters]], checked: bool
) -> WriteError:
    """`exc` named after the part that cannot be written: a service line, a claim payment, the
    payer or payee, else the remittance (`"835 0002 claim PCN1 (#3) line 2: ..."`); `named`: the
    remittances written, each with its ST02 and the delimiters it is written with."""
    return unwritable(exc, named, checked)[0]


def unwritable(
    exc: WriteError, named: list[tuple[Remittance, str, Delimiters]], checked: bool
) -> tuple[WriteError, Placed | None]:
    """`locate_remittance_error`, with the model it names: the service line, claim payment,
    payer, payee or remittance that cannot be written on its own (None when none can be told)."""
    tried: list[Placed] = []  # the models of the parts tried, the one that failed last

    def parts() -> Iterator[tuple[str, Callable[[], list[Segment]], Delimiters]]:
        for name, make, model, delimiters in _parts(named, checked):
            tried.append(model)
            yield name, make, delimiters

    located = locate_write_error(exc, parts())
    return located, tried[-1] if located is not exc else None


# Each maker is called with no arguments; `...`, as mypy cannot match a lambda that binds its
# values as defaults to `Callable[[], ...]`.
def _parts(
    named: list[tuple[Remittance, str, Delimiters]], checked: bool
) -> Iterator[tuple[str, Callable[..., list[Segment]], Placed, Delimiters]]:
    """Each claim payment after its service lines, then the payer and payee and each remittance
    as a whole, with how to make its segments and the delimiters it is written with. A claim is
    named by its position too, as every problem names it: a reversal and its correction share
    their patient control number."""
    contexts: dict[Delimiters, WriteContext] = {}
    for remit, st02, d in named:
        wctx = contexts.get(d) or contexts.setdefault(d, WriteContext(d, checked))
        for c, claim in enumerate(remit.claims, 1):
            name = f"835 {st02} claim {short_id(claim.patient_control_number)} (#{c})"
            for n, service in enumerate(claim.services, 1):
                yield (
                    f"{name} line {n}",
                    lambda service=service, wctx=wctx: segments_of([write_model(service, wctx)]),
                    service,
                    d,
                )
            yield (
                name,
                lambda claim=claim, wctx=wctx: segments_of([write_model(claim, wctx)]),
                claim,
                d,
            )
    for remit, st02, d in named:
        wctx = contexts.get(d) or contexts.setdefault(d, WriteContext(d, checked))
        for party in (remit.payer, remit.payee):
            yield (
                f"835 {st02} {PARTIES[party.loop_id]} ({party.loop_id})",
                lambda party=party, wctx=wctx: segments_of([write_model(party, wctx)]),
                party,
                d,
            )
        yield (
            f"835 {st02}",
            lambda remit=remit, d=d: remittance_segments(remit, d, checked),
            remit,
            d,
        )
        if remit.envelope is not None:  # an id of its ISA or GS holding a delimiter
            yield (
                f"835 {st02}: envelope",
                lambda envelope=remit.envelope, d=d: envelope_segments(envelope, d),
                remit,
                d,
            )


def unread_problem(remit: Remittance, st02: str) -> str:
    """What `write_835` says of a remittance with `unread_claims` (incomplete: its claims would be
    left out unnoticed), or "" without one."""
    unread = remit.unread_claims
    if not unread:
        return ""
    names = ", ".join(
        f"{u.patient_control_number or 'a claim without CLP01'} at segment {u.segment}"
        for u in unread[:3]
    ) + (f" and {len(unread) - 3} more" if len(unread) > 3 else "")
    return (
        f"835 {st02}: {len(unread)} claim payment(s) of the set were not read ({names}): the "
        "remittance is incomplete and is not written; fix the 835 and read it again, or empty "
        "unread_claims to write the claims read alone"
    )


def balances_with_unread(remit: Remittance) -> bool:
    """Whether BPR02 balances once the CLP04 of the claims not read are counted (each a number):
    then the remittance is only incomplete (`unread_problem`), and BPR02 is not said to be off."""
    unread = remit.unread_claims
    if not unread or any(u.paid is None for u in unread):
        return False
    missing = sum((u.paid for u in unread if u.paid is not None), Decimal(0))
    return remit.total_paid + missing == remit.payment.signed_amount


def balance_problems(remit: Remittance) -> list[str]:
    """The balancing rules of x12-notes §8.1 that `remit` breaks, one message each: the claims' in
    file order, then the set's (BPR02, PLB), which `edi remit` prints at the BPR, first.

    Per claim: every line `SVC02 − Σ CAS = SVC03` (rule 1), `CLP03 − Σ claim and line CAS = CLP04`
    (rule 2) and, when the claim has lines, `Σ SVC03 − Σ claim CAS = CLP04` (rule 3). For the set:
    `BPR02 = Σ CLP04 − Σ PLB` (rule 4, BPR02 negative for a debit), `Σ PLB L6 = −Σ AMT*I`
    (rule 5: interest reported on claims is paid through PLB L6, as a negative amount) and no PLB
    adjustment of 0 (rule 5: zero-dollar adjustments are not allowed). Only amounts count, never
    CAS quantities. `write_835` refuses a remittance with any of these problems (`check=True`).
    A message names the claim by its patient control number (CLP01) and its position in the set, a
    line by its position in the claim, a PLB adjustment by its reason code and the position of its
    PLB in the set; never a patient. A remittance with `unread_claims` is checked against BPR02 with
    their CLP04: an empty list does not make it whole (`check_remittances` and `write_835` refuse
    it for them, and so should a posting).

    Example:
        >>> for remit in read_remittances(Path("payer.835")):      # doctest: +SKIP
        ...     for problem in balance_problems(remit):
        ...         print(problem)   # claim PCN0001 (#1) line 2: SVC02 50 − Σ CAS 30 = 20 ≠ SVC03 25 (off by 5)
    """
    return [f"{where}: {what}" if where else what for where, what, _ in balance_findings(remit)]


def balance_findings(remit: Remittance) -> list[tuple[str, str, Placed]]:
    """`balance_problems` as (where, what, model): where is `"claim PCN1 (#1) line 2"`, `"PLB 1 WO"`
    or "" for the set as a whole; model is what the rule is about, its `read_at` where that was
    read: the service line (SVC) or claim (CLP) at fault, the payment (BPR) for BPR02, the provider
    adjustment (PLB) of 0, the first PLB L6 for the interest (without one, the first claim with
    AMT*I, whose claims the message names; else the remittance, at its ST). A remittance made or changed around pydantic (`model_construct`, `__dict__`) that the
    rules fail on has one finding, about it: the fields pydantic refuses (`unvalidated`)."""
    try:
        return checked_balance(remit)
    except Exception as exc:
        said = unvalidated(remit) if not_edis(exc) else None
        if said is None:  # edi's own error: raised as it is
            raise
        return [("", said, remit)]


def checked_balance(remit: Remittance) -> list[tuple[str, str, Placed]]:
    """`balance_findings` for the checks, which say a remittance not validated with its place."""
    problems: list[tuple[str, str, Placed]] = []
    zero = Decimal(0)
    for c, claim in enumerate(remit.claims, 1):
        name = f"claim {short_id(claim.patient_control_number)} (#{c})"
        line_adjustments = zero
        for n, service in enumerate(claim.services, 1):
            adjusted = service.adjustment_total
            line_adjustments += adjusted
            if service.charge - adjusted != service.paid:
                problems.append(
                    (
                        f"{name} line {n}",
                        f"SVC02 {service.charge:f} − Σ CAS {adjusted:f} = "
                        f"{service.charge - adjusted:f} ≠ SVC03 {service.paid:f}"
                        + _off_by(service.charge - adjusted, service.paid),
                        service,
                    )
                )
        claim_adjustments = sum((a.amount for a in claim.adjustments), zero)
        adjusted = claim_adjustments + line_adjustments
        if claim.charge - adjusted != claim.paid:
            problems.append(
                (
                    name,
                    f"CLP03 {claim.charge:f} − Σ claim and line CAS {adjusted:f} = "
                    f"{claim.charge - adjusted:f} ≠ CLP04 {claim.paid:f}"
                    + _off_by(claim.charge - adjusted, claim.paid),
                    claim,
                )
            )
        if claim.services:
            # Rule 3 is not implied by rules 1 and 2: the line charges need not add up to CLP03.
            lines_paid = sum((s.paid for s in claim.services), zero)
            if lines_paid - claim_adjustments != claim.paid:
                problems.append(
                    (
                        name,
                        f"Σ SVC03 {lines_paid:f} − Σ claim CAS {claim_adjustments:f} = "
                        f"{lines_paid - claim_adjustments:f} ≠ CLP04 {claim.paid:f}"
                        + _off_by(lines_paid - claim_adjustments, claim.paid),
                        claim,
                    )
                )
    payment = remit.payment
    if remit.total_paid != payment.signed_amount and not balances_with_unread(remit):
        claims_paid = sum((c.paid for c in remit.claims), zero)
        plb = claims_paid - remit.total_paid
        debit = (
            f", a debit (BPR03 D), counts as {payment.signed_amount:f}" if payment.is_debit else ""
        )
        unread = remit.unread_claims
        known = [u.paid for u in unread if u.paid is not None]
        without = (
            f" (without the {len(unread)} claim payment(s) not read"
            + (f", whose CLP04 add up to {sum(known, zero):f}" if len(known) == len(unread) else "")
            + ")"
            if unread
            else ""
        )
        problems.append(
            (
                "",
                f"BPR02 {payment.amount:f}{debit} ≠ Σ CLP04 {claims_paid:f} − Σ PLB {plb:f} = "
                f"{remit.total_paid:f}{_off_by(payment.signed_amount, remit.total_paid)}{without}",
                payment,
            )
        )
    interest = sum((c.amounts.get("I", zero) for c in remit.claims), zero)
    paid_interest = [p for p in remit.provider_adjustments if p.reason == "L6"]
    plb_interest = sum((p.amount for p in paid_interest), zero)
    if plb_interest != -interest:
        # The claims that report interest, named when no PLB pays it: in a set of hundreds the
        # poster looks for them (the posting tester); the problem is then placed at the first.
        with_interest = [
            (c, claim) for c, claim in enumerate(remit.claims, 1) if "I" in claim.amounts
        ]
        about: Placed = paid_interest[0] if paid_interest else remit
        named = ""
        if not paid_interest and with_interest:
            about = with_interest[0][1]
            shown = [
                f"claim {short_id(claim.patient_control_number)} (#{c})"
                for c, claim in with_interest[:3]
            ]
            more = f" and {len(with_interest) - 3} more" if len(with_interest) > 3 else ""
            named = f"; no PLB L6, the AMT*I of {', '.join(shown)}{more}"
        # Both sides shown: the L6 amount is the interest with its sign turned (x12-notes §8.1).
        owed = zero - interest
        problems.append(
            (
                "",
                f"PLB L6 {plb_interest:f} ≠ −(Σ claim AMT*I {interest:f}) = {owed:f} "
                f"(interest paid){_off_by(plb_interest, owed)}{named}",
                about,
            )
        )
    adjustments = remit.provider_adjustments
    if any(p.amount == 0 for p in adjustments):  # the PLBs are only laid out when one is at fault
        try:
            numbers: list[int | None] = list(_plb_numbers(remit))
        except WriteError:  # a value edited in code that cannot be written: named without its PLB
            numbers = []
        numbers += [None] * (len(adjustments) - len(numbers))
        for plb_n, adjustment in zip(numbers, adjustments, strict=False):
            if adjustment.amount == 0:
                where = f"PLB {plb_n} " if plb_n is not None else "PLB "
                problems.append(
                    (
                        f"{where}{adjustment.reason}",
                        f"a provider adjustment of {adjustment.amount} "
                        "(zero-dollar adjustments are not allowed)",
                        adjustment,
                    )
                )
    return problems


def _off_by(one: Decimal, other: Decimal) -> str:
    """What a balance message adds after its two sides: how far apart they are, which a poster
    looks for first (a 0.01 rounding, a line's charge missing)."""
    return f" (off by {abs(one - other):f})"


def balance_warnings(remit: Remittance) -> list[str]:
    """What `remit` says twice and not alike, outside the balancing rules (x12-notes §8.1, "soft
    consistency checks"): a claim's patient responsibility (CLP05) that is not the sum of its PR
    (patient responsibility) adjustments, claim and line level, or is not given while they owe
    (X12 RFI 2548; but in a reversal or a predetermination); a denied claim (CLP02 4) that pays
    (CLP04 not 0: x12-notes §9.3, a denial "usually" pays nothing). Not TR3 balancing rules: the
    835 is written and posted; but it tells the poster two things, which a person should look at.
    Named as `balance_problems` names; `edi remit` says each as a warning.

    Example:
        >>> for remit in read_remittances(Path("payer.835")):      # doctest: +SKIP
        ...     print(balance_warnings(remit))   # ['claim PCN1 (#1): CLP05 (patient ...
    """
    return [f"{where}: {what}" for where, what, _ in balance_warning_findings(remit)]


def balance_warning_findings(remit: Remittance) -> list[tuple[str, str, Placed]]:
    """`balance_warnings` as (where, what, model), as `balance_findings` gives them."""
    found: list[tuple[str, str, Placed]] = []
    zero = Decimal(0)
    for c, claim in enumerate(remit.claims, 1):
        name = f"claim {short_id(claim.patient_control_number)} (#{c})"
        if claim.status == "4" and claim.paid != 0:
            text = (
                f"CLP02 4 (denied) with CLP04 {claim.paid:f}: a denied claim is paid nothing "
                "as a rule (x12-notes §9.3); is it a denial, or a payment?"
            )
            found.append((name, text, claim))
        owed = claim.patient_responsibility
        adjustments = chain(claim.adjustments, *(s.adjustments for s in claim.services))
        pr = sum((a.amount for a in adjustments if a.group == "PR"), zero)
        if owed is None:
            # Situational, but "must equal the sum of all claim and service line adjustments with
            # ... PR. The exception is reversals" (X12 RFI 2548; RFI 680: a CAS*PR without CLP05
            # "is an error"). Nor a predetermination (25): an estimate, nothing owed yet (§9.3).
            if pr > 0 and claim.status not in ("22", "25"):
                text = (
                    f"no CLP05 (patient responsibility), but Σ PR CAS {pr:f} (claim and lines): "
                    "the patient owes what the CAS say, which CLP05 does not"
                )
                found.append((name, text, claim))
            continue
        if pr != owed:
            text = (
                f"CLP05 (patient responsibility) {owed:f} ≠ Σ PR CAS {pr:f} (claim and lines): "
                "the amount the patient owes is said twice, not alike"
            )
            found.append((name, text, claim))
    return found


def _plb_numbers(remit: Remittance) -> list[int]:
    """For each provider adjustment, the position in the set (from 1) of the PLB it is written in.

    Taken from what the writer makes of the set without its claims: the PLBs their `segment` numbers
    say, those without one packed (up to six pairs of one provider and date per PLB).
    """
    root = write_model(
        remit,
        WriteContext(remit.__pydantic_private__.get("_delimiters") or DEFAULT_DELIMITERS),  # type: ignore[union-attr]
        custom={"2000": []},
        computed={"ST": [], "SE": []},
    )
    numbers: list[int] = []
    for n, plb in enumerate((s for s in segments_of([root]) if s.id == "PLB"), 1):
        # PLB01, PLB02, then the pairs: one per amount (PLB04, 06, ...); an amount is required.
        numbers.extend(n for amount in plb.elements[4::2] if amount)
    return numbers
