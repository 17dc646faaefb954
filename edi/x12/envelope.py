"""Envelope structure: interchanges (ISA/IEA) → functional groups (GS/GE) → transaction sets (ST/SE).

`EnvelopeReader` streams complete transaction sets (their segments, ST..SE) while it records a summary of
every interchange and group. Control numbers and counts are checked as the trailers arrive; every
problem becomes a `Diagnostic` carrying the TA1 / 999 code that applies (x12-notes §1.3). Nothing here
raises on bad data except `TokenizeError` for input that cannot be split into segments at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from edi.codes import TA1_ACKNOWLEDGMENTS, TA1_NOTES
from edi.diagnostics import (
    Diagnostic,
    Location,
    Severity,
    changed,
    quotable_digits,
    quoted_id,
    shown_code,
    shown_control,
    shown_digits,
    shown_version,
)
from edi.errors import ConfigurationError, TokenizeError
from edi.x12.delimiters import Delimiters
from edi.x12.reader import SegmentReader, Source
from edi.x12.segment import Segment, past_last_problem, trailing_separator_problem

# Segments that end a transaction set whose SE is missing.
_SET_BREAKERS = frozenset({"ST", "GE", "GS", "IEA", "ISA"})
# The codes x12.control.00501 lists, as the 835, 837P and 837I maps do (835 map lines 4, 6, 8, 10,
# 28): the reader says a value outside them, the checked writers refuse it (`EnvelopeChecker`).
AUTHORIZATION_QUALIFIERS = ("00", "03")  # ISA01: none, or additional data identification
SECURITY_QUALIFIERS = ("00", "01")  # ISA03: none, or a password
ID_QUALIFIERS = ("01", "14", "20", "27", "28", "29", "30", "33", "ZZ")  # ISA05 and ISA07
AGENCIES = ("X",)  # GS07: Accredited Standards Committee X12
_ID_QUALIFIERS_SAID = "one of " + ", ".join(ID_QUALIFIERS)


@dataclass(slots=True)
class SetInfo:
    """Summary of one transaction set (kept for the envelope report; no segments)."""

    transaction_type: str  # ST01
    control_number: str  # ST02
    reference: str  # ST03 (implementation convention), "" when absent
    declared_count: str | None  # SE01 as written, None when SE is missing
    actual_count: int  # segments from ST to SE inclusive
    line: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # The control numbers its problems carry (ST02, GS06, ISA13, as far as they apply): what a
    # 999 (AK2, AK1) or TA1 (TA101) answers with.
    numbers: tuple[str | None, str | None, str | None] = field(
        default=(None, None, None), repr=False, compare=False
    )


@dataclass(slots=True)
class FunctionalGroup:
    """One GS..GE group."""

    header: Segment | None  # None for sets found outside any GS
    trailer: Segment | None = None
    # Its sets, in order (none kept when the reader keeps no finished interchange: `set_count`).
    sets: list[SetInfo] = field(default_factory=list)
    set_count: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # The control numbers its problems carry (ST02, GS06, ISA13, as far as they apply): what a
    # 999 (AK2, AK1) or TA1 (TA101) answers with.
    numbers: tuple[str | None, str | None, str | None] = field(
        default=(None, None, None), repr=False, compare=False
    )

    @property
    def functional_id(self) -> str:
        return self.header.element(1) if self.header else ""

    @property
    def sender(self) -> str:
        return self.header.element(2) if self.header else ""

    @property
    def receiver(self) -> str:
        return self.header.element(3) if self.header else ""

    @property
    def control_number(self) -> str:
        return self.header.element(6) if self.header else ""

    @property
    def version(self) -> str:
        """GS08: the implementation guide, e.g. 005010X221A1."""
        return self.header.element(8) if self.header else ""


@dataclass(slots=True)
class Interchange:
    """One ISA..IEA interchange; `header` is None for a bare file without ISA."""

    header: Segment | None
    delimiters: Delimiters
    trailer: Segment | None = None
    groups: list[FunctionalGroup] = field(default_factory=list)
    acknowledgements: list[Segment] = field(default_factory=list)  # TA1 segments
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # The control numbers its problems carry (ST02, GS06, ISA13, as far as they apply): what a
    # 999 (AK2, AK1) or TA1 (TA101) answers with.
    numbers: tuple[str | None, str | None, str | None] = field(
        default=(None, None, None), repr=False, compare=False
    )

    @property
    def control_number(self) -> str:
        return self.header.element(13) if self.header else ""

    @property
    def sender(self) -> str:
        """ISA05:ISA06 with the padding removed."""
        return f"{self.header.element(5)}:{self.header.element(6).rstrip()}" if self.header else ""

    @property
    def receiver(self) -> str:
        return f"{self.header.element(7)}:{self.header.element(8).rstrip()}" if self.header else ""

    @property
    def version(self) -> str:
        return self.header.element(12) if self.header else ""

    @property
    def date(self) -> str:
        return self.header.element(9) if self.header else ""

    @property
    def usage(self) -> str:
        return self.header.element(15) if self.header else ""


@dataclass(slots=True)
class TransactionSet:
    """One ST..SE transaction set with its segments and envelope context."""

    segments: list[Segment]
    info: SetInfo
    group: FunctionalGroup | None
    interchange: Interchange | None
    # The input ended (or could not be read on) before its SE: a part of it may be missing. A set
    # whose SE is missing before the next ST, GE or IEA is complete but for its trailer.
    cut: bool = False

    @property
    def header(self) -> Segment:
        return self.segments[0]

    @property
    def trailer(self) -> Segment | None:
        last = self.segments[-1]
        return last if last.id == "SE" else None

    @property
    def transaction_type(self) -> str:
        return self.info.transaction_type

    @property
    def control_number(self) -> str:
        return self.info.control_number

    @property
    def version(self) -> str:
        """The implementation guide: ST03 when present, else GS08."""
        return self.info.reference or (self.group.version if self.group else "")

    @property
    def delimiters(self) -> Delimiters:
        return self.segments[0].delimiters

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.info.diagnostics


# The last element of each envelope segment of x12.control.00501 (ISA is fixed-width; ST03 is
# the guides' implementation convention reference).
_LAST_ELEMENT = {"ST": 3, "SE": 2, "GS": 8, "GE": 2, "IEA": 2}
# Their elements up to these are required: one empty there is said as missing, not as a trailing
# separator (ST03 is the guide's, and GS08 may give it).
_REQUIRED = {"ST": 2, "SE": 2, "GS": 8, "GE": 2, "IEA": 2}
_COUNT_FORM = "envelope.count_form"  # a count right, but with spaces or leading zeros


def _count_said(element: str, text: str, what: str) -> str:
    """`SE01 says '35' segments`; of text that is no count, its length only (`shown_digits`)."""
    if quotable_digits(text):
        return f"{element} says {text!r} {what}"
    return f"{element} is no count of {what} {shown_digits(text)}"


def _count_form(element: str, text: str) -> str | None:
    """A count that is right but not written as X12 writes a number (N0): spaces around it
    (`SE* 41*`) or leading zeros (`GE*01*`). It is read, and written as the writer counts it
    (`41`, `1`): said, as the segments change. None when its form is X12's."""
    if text != text.strip(" "):
        fault = "has spaces around it; X12 has none in a number"
    elif len(text) > 1 and text.startswith("0"):
        fault = "has leading zeros; X12 leaves them out of a number"
    else:
        return None
    return f"{element} {text!r} {fault}: written as {int(text)}"


def missing_trailer_text(missing: list[tuple[str, str]], before: str) -> str:
    """`transaction set '0002' has no SE trailer before the end of the input`; for several at one
    place (an input that ends inside a set lacks its SE, GE and IEA), one text for them all:
    `transaction set '0002' has no SE, functional group '801' no GE and interchange '000000108' no
    IEA trailer before the end of the input`. `missing`: (what, its trailer) pairs."""
    said = [
        f"{what} {'has ' if k == 0 else ''}no {trailer}"
        for k, (what, trailer) in enumerate(missing)
    ]
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    return f"{listed} trailer before {before}"


def _trailer_context(what: str, trailer: str, before: str) -> dict[str, str]:
    return {"missing": what, "trailer": trailer, "before": before}


def missing_trailers_line(diagnostics: list[Diagnostic]) -> str | None:
    """The text of several missing-trailer problems (`envelope.missing_se`, `_ge`, `_iea`) that are
    said at one place and before one thing, as one (`missing_trailer_text`); None when they are not
    such problems."""
    if len(diagnostics) < 2:
        return None
    first = diagnostics[0]
    pairs = []
    for diag in diagnostics:
        ctx = diag.context
        if (
            diag.code not in _TRAILER_CODES
            or "missing" not in ctx
            or diag.location != first.location
            or ctx.get("before") != first.context.get("before")
        ):
            return None
        pairs.append((ctx["missing"], ctx["trailer"]))
    where = f"{first.location.describe()}: " if first.location else ""
    return where + missing_trailer_text(pairs, first.context["before"])


_TRAILER_CODES = frozenset({"envelope.missing_se", "envelope.missing_ge", "envelope.missing_iea"})


def _loc(seg: Segment, element: str | None = None) -> Location:
    return Location(seg.index, seg.id, seg.line, seg.offset, element=element)


class _SetNumbers(TypedDict):
    """The control numbers `name_set` gives a set's diagnostics (typed, so `changed` checks them)."""

    set_control_number: str
    group_control_number: str | None
    interchange_control_number: str | None


def name_set(diagnostics: list[Diagnostic], start: int, ts: TransactionSet) -> None:
    """Give the diagnostics of one set (from `start`, placed among its segments) the control numbers
    of the set, its group and interchange: what a 999 answers with (AK1, AK2), and what tells the
    sets of one file apart (each numbers its segments from 1)."""
    named: _SetNumbers | None = None
    for n in range(start, len(diagnostics)):
        d = diagnostics[n]
        if d.set_control_number is None and in_set(ts, d.location):
            if named is None:
                group = ts.group.header if ts.group is not None else None
                isa = ts.interchange.header if ts.interchange is not None else None
                named = {
                    "set_control_number": ts.control_number,
                    "group_control_number": group.element(6) if group is not None else None,
                    "interchange_control_number": isa.element(13) if isa is not None else None,
                }
            diagnostics[n] = changed(d, **named)


# How many syntax and envelope problems were taken, and whether the fatal one was
# (`EnvelopeReader.diagnostics_after`).
DiagnosticsMark = tuple[int, int, bool]
NO_DIAGNOSTICS: DiagnosticsMark = (0, 0, False)


def in_set(ts: TransactionSet, location: Location | None) -> bool:
    """Whether `location` is a place among the segments of `ts` (a problem of that set, not of an
    earlier trailer said when its ST was reached)."""
    return (
        location is not None
        and bool(location.offset or location.segment_index)
        and ts.header.offset <= location.offset <= ts.segments[-1].offset
    )


class EnvelopeReader:
    """Stream the transaction sets of a source and check its envelopes.

    Iterating yields each `TransactionSet` as soon as its SE (or the segment that breaks it off) is read.
    After iteration, `interchanges` holds the whole envelope summary and `diagnostics` every problem found
    (the syntax problems first, then the envelope problems); `fatal` tells whether reading stopped early.
    With `keep_finished=False` (the transaction readers, which stream) it holds only the interchange
    being read, and its groups no `sets` (only their `set_count`): memory does not grow with the number
    of interchanges and sets read. (What does grow: one entry per interchange for its control number,
    since one that repeats anywhere in the file is a problem, and the problems found.)

    Example:
        >>> r = EnvelopeReader(b"ST*835*0001~BPR*I*0*C*NON~SE*3*0001~")
        >>> [(ts.transaction_type, ts.control_number, len(ts.segments)) for ts in r]
        [('835', '0001', 3)]
    """

    def __init__(self, source: Source | Iterable[Segment], *, keep_finished: bool = True) -> None:
        self.keep_finished = keep_finished
        if isinstance(source, SegmentReader):
            self.segment_reader: SegmentReader | None = source
            self._segments: Iterable[Segment] = source
        elif _is_segment_iterable(source):
            self.segment_reader = None
            self._segments = _segments_only(source)  # type: ignore[arg-type]
        else:
            self.segment_reader = SegmentReader(source)  # type: ignore[arg-type]
            self._segments = self.segment_reader
        self.interchanges: list[Interchange] = []
        self.own: list[Diagnostic] = []  # the envelope problems, in the order found
        self.fatal: Diagnostic | None = None
        self._read = False  # iterated once

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Syntax and envelope problems, syntax first."""
        return self.diagnostics_after(NO_DIAGNOSTICS)[0]

    def diagnostics_after(self, mark: DiagnosticsMark) -> tuple[list[Diagnostic], DiagnosticsMark]:
        """The problems found since `mark` (`NO_DIAGNOSTICS`: all), in `diagnostics`' order, and
        the mark after them. The syntax problems come before the envelope problems, so one found
        late (an unterminated last segment) is not at the end of `diagnostics`; each list grows."""
        syntax = self.segment_reader.diagnostics if self.segment_reader else []
        found = syntax[mark[0] :]
        fatal = self.fatal
        if fatal is not None and not mark[2] and not any(d is fatal for d in syntax):
            found.append(fatal)
        found += self.own[mark[1] :]
        return found, (len(syntax), len(self.own), mark[2] or fatal is not None)

    def _report(
        self,
        owner: SetInfo | FunctionalGroup | Interchange | None,
        code: str,
        message: str,
        seg: Segment | None,
        ack: str | None,
        severity: Severity = Severity.ERROR,
        element: str | None = None,
        context: dict[str, str] | None = None,
    ) -> None:
        # Said in `owner`'s list (when there is one), with its control numbers.
        numbers = owner.numbers if owner is not None else (None, None, None)
        diag = Diagnostic(
            code,
            message,
            severity,
            _loc(seg, element) if seg else None,
            ack=ack,
            context=context or {},
            set_control_number=numbers[0],
            group_control_number=numbers[1],
            interchange_control_number=numbers[2],
        )
        self.own.append(diag)
        if owner is not None:
            owner.diagnostics.append(diag)

    def __iter__(self) -> Iterator[TransactionSet]:
        segments = self._segments
        if self._read and self.segment_reader is None and iter(segments) is segments:
            # Segments given as an iterator: read once (again, they would be none, and the first
            # reading's interchanges lost).
            raise ConfigurationError("segments given as an iterator are read once; give a list")
        self._read = True
        # Read again, from the start: what a reading before found is not kept twice.
        self.interchanges, self.own, self.fatal = [], [], None
        ic: Interchange | None = None
        group: FunctionalGroup | None = None
        current: list[Segment] | None = None  # segments of the open transaction set
        seen_isa: dict[str, int] = {}
        seen_gs: set[str] = set()
        seen_st: set[str] = set()
        last: Segment | None = None
        own_mark = syntax_mark = 0  # where the open set's diagnostics start
        report = self._report

        def close_set(trailer: Segment | None, breaker: Segment | None) -> TransactionSet:
            assert current is not None
            st = current[0]
            info = SetInfo(st.element(1), st.element(2), st.element(3), None, len(current), st.line)
            # Its problems have its numbers, a missing SE's too.
            gs06 = group.control_number if group is not None and group.header else None
            isa13 = ic.control_number if ic is not None and ic.header is not None else None
            info.numbers = (info.control_number, gs06, isa13)
            self._check_last_element(info, st)
            if trailer is None:
                what = f"{breaker.id} at line {breaker.line}" if breaker else self._end()
                report(
                    info,
                    "envelope.missing_se",
                    missing_trailer_text(
                        [(f"transaction set {shown_control(info.control_number)}", "SE")], what
                    ),
                    # Before another segment (an ST, GE, IEA): at its own ST, the set's problem
                    # (that segment is another set's or group's); at the end, its last segment.
                    current[-1] if breaker is None else st,
                    "IK502:2",
                    context=_trailer_context(
                        f"transaction set {shown_control(info.control_number)}", "SE", what
                    ),
                )
            else:
                info.declared_count = trailer.element(1)
                self._check_last_element(info, trailer)
                if trailer.element(2) != info.control_number:
                    report(
                        info,
                        "envelope.se02_mismatch",
                        f"SE02 {shown_control(trailer.element(2))} does not match ST02 "
                        f"{shown_control(info.control_number)}",
                        trailer,
                        "IK502:3",
                        element="SE02",
                    )
                if not _count_matches(info.declared_count, info.actual_count):
                    report(
                        info,
                        "envelope.se01_count",
                        f"{_count_said('SE01', info.declared_count, 'segments')} but the set has "
                        f"{info.actual_count} (ST to SE inclusive)",
                        trailer,
                        "IK502:4",
                        element="SE01",
                    )
                elif form := _count_form("SE01", info.declared_count):
                    report(info, _COUNT_FORM, form, trailer, None, Severity.WARNING, "SE01")
            st02 = info.control_number
            if not (4 <= len(st02) <= 9 and st02.isascii() and st02.isprintable()):
                report(  # AN 4/9 (the guides' ST02)
                    info,
                    "envelope.st02",
                    # Longer than a control number is data in the wrong element (PHI): its length.
                    (f"ST02 is {st02!r}" if len(st02) <= 9 else f"ST02 has {len(st02)} characters")
                    + "; expected 4 to 9 printable ASCII characters",
                    st,
                    "IK502:7",
                    element="ST02",
                )
            if info.control_number in seen_st:
                report(
                    info,
                    "envelope.duplicate_st02",
                    f"transaction set control number {shown_control(info.control_number)} repeats within "
                    "the group",
                    st,
                    "IK502:23",
                    element="ST02",
                )
            seen_st.add(info.control_number)
            if group is not None and group.header is not None:
                gs08 = group.version
                if info.reference and gs08 and info.reference != gs08:
                    report(
                        info,
                        "envelope.st03_mismatch",
                        f"ST03 {shown_version(info.reference)} differs from GS08 {shown_version(gs08)}",
                        st,
                        "IK502:19",
                        Severity.WARNING,
                        element="ST03",
                    )
            owner = group if group is not None else _orphan_group(ic)
            owner.set_count += 1
            if self.keep_finished:
                owner.sets.append(info)
            ts = TransactionSet(current, info, group, ic, trailer is None and breaker is None)
            # what a 999 answers with, as the transaction readers give it
            name_set(self.own, own_mark, ts)
            name_set(info.diagnostics, 0, ts)
            if self.segment_reader is not None:
                name_set(self.segment_reader.diagnostics, syntax_mark, ts)
            return ts

        def close_group(trailer: Segment | None, breaker: Segment | None) -> None:
            assert group is not None
            group.trailer = trailer
            if group.header is None:
                return
            owner = group
            if trailer is None:
                what = f"{breaker.id} at line {breaker.line}" if breaker else self._end()
                report(
                    owner,
                    "envelope.missing_ge",
                    missing_trailer_text(
                        [(f"functional group {shown_control(group.control_number)}", "GE")], what
                    ),
                    breaker or last,
                    "AK905:3",
                    context=_trailer_context(
                        f"functional group {shown_control(group.control_number)}", "GE", what
                    ),
                )
                return
            self._check_last_element(owner, trailer)
            if group.set_count == 0:
                # A group holds at least one transaction set (pyx12's x12.control.00501 map:
                # ST_LOOP usage R; the batch tester): said at its GE, which closes it empty.
                report(
                    owner,
                    "envelope.empty_group",
                    f"functional group {shown_control(group.control_number)} holds no transaction "
                    "set (ST): a group has at least one",
                    trailer,
                    None,
                )
            if trailer.element(2) != group.control_number:
                report(
                    owner,
                    "envelope.ge02_mismatch",
                    f"GE02 {shown_control(trailer.element(2))} does not match GS06 "
                    f"{shown_control(group.control_number)}",
                    trailer,
                    "AK905:4",
                    element="GE02",
                )
            if not _count_matches(trailer.element(1), group.set_count):
                report(
                    owner,
                    "envelope.ge01_count",
                    f"{_count_said('GE01', trailer.element(1), 'transaction sets')} but the group "
                    f"has {group.set_count}",
                    trailer,
                    "AK905:5",
                    element="GE01",
                )
            elif form := _count_form("GE01", trailer.element(1)):
                report(owner, _COUNT_FORM, form, trailer, None, Severity.WARNING, "GE01")

        def close_interchange(trailer: Segment | None, breaker: Segment | None) -> None:
            assert ic is not None
            ic.trailer = trailer
            if ic.header is None:
                return
            owner = ic
            if trailer is None:
                what = f"{breaker.id} at line {breaker.line}" if breaker else self._end()
                report(
                    owner,
                    "envelope.missing_iea",
                    missing_trailer_text(
                        [(f"interchange {shown_control(ic.control_number)}", "IEA")], what
                    ),
                    breaker or last,
                    "TA1:023",
                    context=_trailer_context(
                        f"interchange {shown_control(ic.control_number)}", "IEA", what
                    ),
                )
                return
            self._check_last_element(owner, trailer)
            if trailer.element(2) != ic.control_number:
                report(
                    owner,
                    "envelope.iea02_mismatch",
                    f"IEA02 {shown_control(trailer.element(2))} does not match ISA13 "
                    f"{shown_control(ic.control_number)}",
                    trailer,
                    "TA1:001",
                    element="IEA02",
                )
            groups = [g for g in ic.groups if g.header is not None]
            if not ic.groups and not ic.acknowledgements:
                # An interchange holds a functional group, or TA1s alone (x12.control.00501:
                # GS_LOOP usage R; x12-notes §11.2): one with neither carries nothing.
                report(
                    owner,
                    "envelope.empty_interchange",
                    f"interchange {shown_control(ic.control_number)} holds no functional group "
                    "(GS) nor TA1: an interchange has at least one",
                    trailer,
                    "TA1:024",
                )
            if not _count_matches(trailer.element(1), len(groups)):
                report(
                    owner,
                    "envelope.iea01_count",
                    f"{_count_said('IEA01', trailer.element(1), 'functional groups')} but the "
                    "interchange has "
                    f"{len(groups)}",
                    trailer,
                    "TA1:021",
                    element="IEA01",
                )
            elif form := _count_form("IEA01", trailer.element(1)):
                report(owner, _COUNT_FORM, form, trailer, None, Severity.WARNING, "IEA01")

        def start(new: Interchange) -> Interchange:
            if self.keep_finished:
                self.interchanges.append(new)
            else:
                self.interchanges = [new]
            return new

        try:
            for seg in self._segments:
                sid = seg.id
                if current is not None:
                    if sid == "SE":
                        current.append(seg)
                        yield close_set(seg, None)
                        current = None
                    elif sid in _SET_BREAKERS:
                        yield close_set(None, seg)
                        current = None
                    else:
                        current.append(seg)
                        last = seg
                        continue
                    if sid == "SE":
                        last = seg
                        continue
                if sid == "ST":
                    own_mark = len(self.own)
                    syntax_mark = len(self.segment_reader.diagnostics) if self.segment_reader else 0
                    if group is None:
                        if ic is None:
                            ic = start(Interchange(None, seg.delimiters))
                            if seen_isa:
                                report(
                                    ic,
                                    "envelope.st_outside_interchange",
                                    "ST outside an interchange: no ISA/GS before it",
                                    seg,
                                    "TA1:024",
                                )
                        elif ic.header is not None:
                            report(
                                ic,
                                "envelope.st_outside_group",
                                "ST outside a functional group: no GS before it",
                                seg,
                                "TA1:024",
                            )
                    current = [seg]
                elif sid == "GS":
                    if group is not None:
                        close_group(None, seg)
                    if ic is None:
                        ic = start(Interchange(None, seg.delimiters))
                        report(
                            ic,
                            "envelope.gs_outside_isa",
                            "GS with no ISA before it",
                            seg,
                            None,
                        )
                    group = FunctionalGroup(seg)
                    isa13 = ic.control_number if ic is not None and ic.header is not None else None
                    group.numbers = (None, group.control_number, isa13)
                    ic.groups.append(group)
                    seen_st = set()
                    gs06 = seg.element(6)
                    if gs06 in seen_gs:
                        report(
                            group,
                            "envelope.duplicate_gs06",
                            f"group control number {gs06!r} repeats within the interchange",
                            seg,
                            "AK905:19",
                            element="GS06",
                        )
                    seen_gs.add(gs06)
                    self._check_gs(seg, group)
                elif sid == "GE":
                    if group is None or group.header is None:
                        report(
                            ic,
                            "envelope.ge_without_gs",
                            "GE with no open functional group (no GS before it)",
                            seg,
                            # Not AK905 3 (a trailer missing: here the header is): the content of
                            # the interchange, as an ST outside a group.
                            "TA1:024",
                        )
                    else:
                        close_group(seg, None)
                    group = None
                elif sid == "ISA":
                    if group is not None:
                        close_group(None, seg)
                        group = None
                    if ic is not None and ic.header is not None:
                        close_interchange(None, seg)
                    ic = start(Interchange(seg, seg.delimiters))
                    ic.numbers = (None, None, ic.control_number)
                    seen_gs = set()
                    self._check_isa(seg, ic, seen_isa)
                elif sid == "IEA":
                    if group is not None:
                        close_group(None, seg)
                        group = None
                    if ic is None or ic.header is None:
                        report(
                            ic,
                            "envelope.iea_without_isa",
                            "IEA with no open interchange",
                            seg,
                            "TA1:022",
                        )
                    else:
                        close_interchange(seg, None)
                    ic = None
                elif sid == "TA1" and ic is not None and group is None:
                    ic.acknowledgements.append(seg)
                    self._check_ta1(seg, ic)
                else:
                    report(
                        ic,
                        "envelope.outside_set",
                        f"segment {quoted_id(sid)} is outside any transaction set (expected ST, GS, GE, IEA"
                        " or ISA)",
                        seg,
                        "TA1:024",
                    )
                last = seg
        except TokenizeError as exc:
            self.fatal = exc.diagnostic
        # End of input: close whatever is open.
        if current is not None:
            yield close_set(None, None)
        if group is not None:
            close_group(None, None)
        if ic is not None and ic.header is not None and ic.trailer is None:
            close_interchange(None, None)

    def _check_last_element(
        self, owner: SetInfo | FunctionalGroup | Interchange | None, seg: Segment
    ) -> None:
        """An element past the last its envelope segment has (`ST*837*0001*005010X222A1*X`): said,
        and for the ST and the trailers that it is not kept (they are written from their values;
        a GS is kept as read)."""
        found = past_last_problem(seg, _LAST_ELEMENT[seg.id], kept=seg.id == "GS")
        if found is not None:
            ref, message = found
            ack = "IK403:3" if seg.id in ("ST", "SE") else None
            self._report(owner, "envelope.too_many_elements", message, seg, ack, element=ref)
        elif trailing := trailing_separator_problem(seg, _REQUIRED[seg.id]):
            ref, message = trailing
            self._report(
                owner, "envelope.trailing_separator", message, seg, None, Severity.WARNING, ref
            )

    def _check_gs(self, gs: Segment, group: FunctionalGroup) -> None:
        """GS02 and GS03 2 to 15 characters, GS04 a date CCYYMMDD, GS05 a time HHMM[SS[d..]], GS06
        1 to 9 digits, GS07 X (x12.control.00501: AN 2/15, DT 8/8, TM 4/8, N0 1/9, ID [X]). The
        999 has a code for GS06 only (AK905 6); the others are problems without an ack code."""
        self._check_last_element(group, gs)
        for pos in (2, 3):
            value = gs.element(pos)
            if not (2 <= len(value) <= 15 and value.isascii() and value.isprintable()):
                self._report(
                    group,
                    f"envelope.gs{pos:02d}",
                    # Quoted only when of its size (a character that is not ASCII): longer
                    # text may be data (PHI), said by its length.
                    f"GS{pos:02d} is {value!r}; expected 2 to 15 printable ASCII characters"
                    if 2 <= len(value) <= 15
                    else f"GS{pos:02d} is {len(value)} characters; expected 2 to 15",
                    gs,
                    None,
                    element=f"GS{pos:02d}",
                )
        gs06 = gs.element(6)
        if not (1 <= len(gs06) <= 9 and gs06.isascii() and gs06.isdigit()):
            self._report(
                group,
                "envelope.gs06",
                f"GS06 is {shown_control(gs06)}; expected 1 to 9 digits",
                gs,
                "AK905:6",
                element="GS06",
            )
        if gs.element(7) not in AGENCIES:
            self._report(
                group,
                "envelope.gs07",
                f"GS07 is {shown_code(gs.element(7))}; expected X (Accredited Standards "
                "Committee X12)",
                gs,
                None,
                element="GS07",
            )
        date, time = gs.element(4), gs.element(5)
        if not is_datetime(date, 8, "%Y%m%d"):
            self._report(
                group,
                "envelope.gs04",
                f"GS04 is {shown_digits(date)}; expected a CCYYMMDD date",
                gs,
                None,
                element="GS04",
            )
        if not is_group_time(time):
            self._report(
                group,
                "envelope.gs05",
                f"GS05 is {shown_digits(time)}; expected an HHMM[SS[d..]] time",
                gs,
                None,
                element="GS05",
            )

    def _end(self) -> str:
        """Where the segments ran out: the end of the input, or (a fatal problem) the point where
        it could not be read on, after which a trailer may well be."""
        return "the end of the input" if self.fatal is None else "the point where reading stopped"

    def _check_isa(self, isa: Segment, ic: Interchange, seen: dict[str, int]) -> None:
        owner = ic
        isa13 = isa.element(13)
        if isa13 in seen:
            self._report(
                owner,
                "envelope.duplicate_isa13",
                f"interchange control number {shown_control(isa13)} repeats (first at line {seen[isa13]})",
                isa,
                "TA1:025",
                element="ISA13",
            )
        else:
            seen[isa13] = isa.line
        # The codes and ids of x12.control.00501 (ISA01 00/03, ISA03 00/01, ISA05 and ISA07 its
        # qualifiers, ISA06 and ISA08 not blank and AN), with the TA105 note of each (x12-notes §11.2).
        checks = (
            (
                1,
                lambda v: v in AUTHORIZATION_QUALIFIERS,
                "TA1:010",
                " or ".join(AUTHORIZATION_QUALIFIERS),
            ),
            (3, lambda v: v in SECURITY_QUALIFIERS, "TA1:012", " or ".join(SECURITY_QUALIFIERS)),
            (5, lambda v: v in ID_QUALIFIERS, "TA1:005", _ID_QUALIFIERS_SAID),
            (6, _is_interchange_id, "TA1:006", "an id of printable ASCII characters"),
            (7, lambda v: v in ID_QUALIFIERS, "TA1:007", _ID_QUALIFIERS_SAID),
            (8, _is_interchange_id, "TA1:008", "an id of printable ASCII characters"),
            (13, lambda v: len(v) == 9 and v.isascii() and v.isdigit(), "TA1:018", "nine digits"),
            (14, lambda v: v in ("0", "1"), "TA1:019", "0 or 1"),
            (15, lambda v: v in ("P", "T", "I"), "TA1:020", "P, T or I"),
            (9, lambda v: is_datetime(v, 6, "%y%m%d"), "TA1:014", "a YYMMDD date"),
            (10, lambda v: is_datetime(v, 4, "%H%M"), "TA1:015", "an HHMM time"),
        )
        for pos, ok, ack, what in checks:
            value = isa.element(pos)
            if not ok(value):
                self._report(
                    owner,
                    f"envelope.isa{pos:02d}",
                    # ISA13 is a control number: words there are data (PHI), said by length.
                    f"ISA{pos:02d} is {shown_control(value) if pos == 13 else repr(value)}; "
                    f"expected {what}",
                    isa,
                    ack,
                    element=f"ISA{pos:02d}",
                )
        isa11, isa12 = isa.element(11), isa.element(12)
        if isa12 >= "00501" and len(isa11) == 1 and isa11.isalnum():
            # From 00501 ISA11 is the repetition separator (x12-notes §1.2), which a letter or a
            # digit cannot be (`Delimiters` refuses one): read with none, as a 4010 interchange's
            # standards identifier (`U`) would be. A warning: older software writes `U` still.
            self._report(
                owner,
                "envelope.isa11",
                f"ISA11 is {isa11!r}, in a {shown_version(isa12)} interchange: its repetition "
                "separator, which a letter or digit cannot be (read with none, and written back "
                "as read)",
                isa,
                "TA1:016",
                Severity.WARNING,
                element="ISA11",
            )
        widths = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)
        # Each element that is not its width, with its length: one too long ('EXAMPLECLINIC   ')
        # is no padding missing, and a partner asked to fix it needs to know which way.
        wrong = [i for i, w in enumerate(widths, 1) if len(isa.element(i)) != w]
        if wrong:
            bad = [
                f"ISA{i:02d} is {len(isa.element(i))} character"
                f"{'' if len(isa.element(i)) == 1 else 's'}, not {widths[i - 1]}"
                for i in wrong
            ]
            # Read all the same, but an error: the ISA is 106 characters (x12-notes §1.2: such an
            # interchange is rejected), and a receiver that holds to the fixed layout answers with
            # the TA1 note of the first element out of its width (x12-notes §11.2). A warning had
            # let such a file pass with exit 0 (the intake tester).
            self._report(
                owner,
                "envelope.isa_width",
                f"ISA is not fixed-width: {', '.join(bad)}",
                isa,
                f"TA1:{_ISA_NOTES[wrong[0] - 1]}",
            )

    def _check_ta1(self, ta1: Segment, ic: Interchange) -> None:
        """A TA1 the interchange carries: its place and its values (x12.control.00501 TA101..TA105,
        x12-notes §11.2). TA101..TA103 copy the ISA13, ISA09 and ISA10 acknowledged, so one its
        note says was bad (018, 014, 015) may be anything. An ack is not acknowledged: no ack code."""
        owner = ic
        if ic.groups:
            self._report(
                owner,
                "envelope.ta1_place",
                "TA1 after a functional group: an interchange's TA1s come before its first GS",
                ta1,
                None,
                Severity.WARNING,
            )
        if len(ta1.elements) > 6:
            self._report(
                owner,
                "envelope.ta1_elements",
                f"TA1 has {len(ta1.elements) - 1} elements; expected 5",
                ta1,
                None,
                element=f"TA1{len(ta1.elements) - 1:02d}",
            )
        note = ta1.element(5)
        checks = (
            (1, "018", lambda v: len(v) == 9 and v.isascii() and v.isdigit(), "nine digits"),
            (2, "014", lambda v: is_datetime(v, 6, "%y%m%d"), "a YYMMDD date"),
            (3, "015", lambda v: is_datetime(v, 4, "%H%M"), "an HHMM time"),
            (4, None, lambda v: v in TA1_ACKNOWLEDGMENTS, "A, E or R"),
            (5, None, lambda v: v in TA1_NOTES, "a note code 000 to 031"),
        )
        for pos, excused_by, ok, what in checks:
            value = ta1.element(pos)
            if note != excused_by and not ok(value):
                self._report(
                    owner,
                    f"envelope.ta1{pos:02d}",
                    f"TA1{pos:02d} is {value!r}; expected {what}",
                    ta1,
                    None,
                    element=f"TA1{pos:02d}",
                )


# The TA1 note (TA105) of each ISA element, ISA01 to ISA16 (x12-notes §11.2, pyx12's map).
_ISA_NOTES = (
    *("010", "011", "012", "013", "005", "006", "007", "008"),
    *("014", "015", "016", "017", "018", "019", "020", "027"),
)


def _is_interchange_id(value: str) -> bool:
    """ISA06 or ISA08: an AN 15/15 id, not all padding (a sender or receiver no partner can route)."""
    return bool(value.strip(" ")) and value.isascii() and value.isprintable()


def is_group_time(value: str) -> bool:
    """Whether `value` is a GS05 time: HHMM, then maybe seconds SS and decimal seconds (TM 4/8)."""
    seconds = value[4:6]
    return (
        is_datetime(value[:4], 4, "%H%M")
        and len(value) <= 8
        and value.isascii()
        and value.isdigit()
        and (not seconds or (len(seconds) == 2 and seconds < "60"))
    )


def is_datetime(value: str, width: int, fmt: str) -> bool:
    """Whether `value` is `width` digits that `fmt` reads as a date or time (ISA09, GS04 ...)."""
    if len(value) != width or not (value.isascii() and value.isdigit()):
        return False
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


def _count_matches(declared: str | None, actual: int) -> bool:
    if declared is None:
        return False
    declared = declared.strip(" ")
    return (
        declared.isascii()
        and declared.isdigit()
        # A count of thousands of digits is no count (and Python makes no int of more than 4300).
        and len(declared.lstrip("0")) <= 18
        and int(declared) == actual
    )


def _orphan_group(ic: Interchange | None) -> FunctionalGroup:
    """The pseudo-group that holds sets found outside any GS."""
    assert ic is not None
    if ic.groups and ic.groups[-1].header is None:
        return ic.groups[-1]
    pseudo = FunctionalGroup(None)
    ic.groups.append(pseudo)
    return pseudo


def _is_segment_iterable(source: object) -> bool:
    return isinstance(source, (list, tuple)) or (
        hasattr(source, "__iter__")
        and not hasattr(source, "read")
        and not isinstance(source, (str, bytes, bytearray, memoryview))
        and not hasattr(source, "__fspath__")
    )


def _segments_only(items: Iterable[object]) -> Iterable[Segment]:
    """`items`, which must be `Segment`s (a list of the bytes of files is no source): else
    `TypeError`, at once for a list or tuple, at the item for another iterable."""
    message = (
        "cannot read X12 from an iterable of {}; pass a file name (str or Path), X12 text (str "
        "or bytes), a file object, or segments (edi.Segment)"
    )
    if isinstance(items, (list, tuple)):
        wrong = next((item for item in items if type(item) is not Segment), None)
        if wrong is not None:
            raise TypeError(message.format(type(wrong).__name__))
        return items  # type: ignore[return-value]

    def checked() -> Iterator[Segment]:
        for item in items:
            if type(item) is not Segment:
                raise TypeError(message.format(type(item).__name__))
            yield item

    return checked()


def read_envelopes(source: Source) -> EnvelopeReader:
    """Read a whole source and return the reader with its `interchanges` and `diagnostics` filled in."""
    reader = EnvelopeReader(source)
    for _ in reader:
        pass
    return reader
