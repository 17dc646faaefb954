"""What every transaction module shares: the guide registry, reading transaction sets into loop trees with
their envelope and diagnostics, and writing sets back inside ISA/GS envelopes with counts that add up.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Container, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar, cast

from edi.diagnostics import Diagnostic, Location, Severity, shown_control, shown_version
from edi.errors import (
    ConfigurationError,
    DataError,
    InputError,
    StructureError,
    TokenizeError,
    WriteError,
)
from edi.grammar import get_grammar
from edi.loops import Loop
from edi.models.envelope import (
    REPETITION_SEPARATOR,
    EnvelopeInfo,
    GroupHeader,
    InterchangeHeader,
    as_read,
)
from edi.x12.delimiters import LINE_BREAKS, Delimiters
from edi.x12.envelope import (
    AGENCIES,
    AUTHORIZATION_QUALIFIERS,
    ID_QUALIFIERS,
    NO_DIAGNOSTICS,
    SECURITY_QUALIFIERS,
    EnvelopeReader,
    Interchange,
    TransactionSet,
    is_datetime,
    is_group_time,
    name_set,
)
from edi.x12.reader import Source
from edi.x12.segment import DEFAULT_DELIMITERS, Segment
from edi.x12.writer import check_isa, write_segments

# -- the guide registry -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Guide:
    """One implementation guide: its version string, transaction type and grammar."""

    version: str
    transaction_type: str
    grammar: str
    kind: str
    title: str
    accepts: tuple[str, ...] = ()  # other version strings read with this guide (errata releases)
    name: str = ""  # as messages name it: "835", "837P"
    functional_id: str = ""  # GS01 of its groups (each map's GS01: HP, HC)
    service: str = ""  # the segment of its service lines, by which a set shows its kind: SV1


GUIDES: tuple[Guide, ...] = (
    Guide(
        "005010X221A1",
        "835",
        "835",
        "remittance",
        "835 Health Care Claim Payment/Advice",
        # The release before the A1 errata, as the 837 guides accept theirs.
        accepts=("005010X221",),
        name="835",
        functional_id="HP",
    ),
    Guide(
        "005010X222A1",
        "837",
        "837p",
        "professional",
        "837 Health Care Claim: Professional",
        accepts=("005010X222", "005010X222A2"),
        name="837P",
        functional_id="HC",
        service="SV1",
    ),
    Guide(
        "005010X223A2",
        "837",
        "837i",
        "institutional",
        "837 Health Care Claim: Institutional",
        accepts=("005010X223", "005010X223A1", "005010X223A3"),
        name="837I",
        functional_id="HC",
        service="SV2",
    ),
    Guide(
        "005010X224A2",
        "837",
        "837d",
        "dental",
        "837 Health Care Claim: Dental",
        accepts=("005010X224", "005010X224A1", "005010X224A3"),
        name="837D",
        functional_id="HC",
        service="SV3",
    ),
)
_BY_VERSION = {v: g for g in GUIDES for v in (g.version, *g.accepts)}
_BY_KIND = {g.kind: g for g in GUIDES}  # `guide_of_kind`: looked up for every claim checked


def guide_for_version(version: str) -> Guide | None:
    """The guide for a GS08 / ST03 value, or None."""
    return _BY_VERSION.get(version.strip())


def guide_for(ts: TransactionSet) -> Guide | Diagnostic:
    """The guide of a transaction set: ST03 when present, else GS08. A diagnostic when unsupported."""
    st = ts.header
    version = ts.info.reference or (ts.group.version if ts.group else "")
    guide = guide_for_version(version)
    where = Location(
        st.index, st.id, st.line, st.offset, element="ST03" if ts.info.reference else "GS08"
    )
    if guide is None:
        known = ", ".join(
            sorted(g.version for g in GUIDES if g.transaction_type == ts.transaction_type)
        )
        why = (
            f"implementation guide {shown_version(version)} is not supported"
            if version
            else "it names no implementation guide (no ST03, no GS08), so it is not read"
        )
        return Diagnostic(
            "guide.unsupported",
            f"{ts.transaction_type} transaction set {shown_control(ts.control_number)}: {why}",
            Severity.ERROR,
            where,
            expected=tuple(known.split(", ")) if known else (),
            ack="IK502:19" if version else "IK502:6",
        )
    if guide.transaction_type != ts.transaction_type:
        return Diagnostic(
            "guide.mismatch",
            f"transaction set {shown_control(ts.control_number)} is an {ts.transaction_type} but its "
            f"{'ST03' if ts.info.reference else 'GS08'} says {version!r} ({guide.title})",
            Severity.ERROR,
            where,
            ack="IK502:19",
        )
    return guide


# -- reading ------------------------------------------------------------------------------------------


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the garbage collector while a block makes objects that outlive it (one set's segments,
    loops and models), then resume it without making it rescan them.

    With the collector running, making them would rescan every object made so far, again and again.
    Resuming plainly is not enough: everything made while it was paused sits in the youngest
    generation, and the next allocation would make the collector walk all of it (a third of the read
    time for 20,000 claims). Freezing and unfreezing moves every tracked object to the oldest
    generation in constant time; the models live as long as the caller keeps them, and they hold no
    reference cycles to collect. The caller always gets the collector back as it was, and what it
    froze on purpose is never thawed.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


@dataclass(slots=True)
class SetResult:
    """One transaction set of the wanted type: its loop tree (None when unusable) and its problems."""

    ts: TransactionSet
    guide: Guide | None
    root: Loop | None
    envelope: EnvelopeInfo
    diagnostics: list[Diagnostic] = field(default_factory=list)


def envelope_of(ts: TransactionSet, source: str | None = None) -> EnvelopeInfo:
    """The envelope models of a transaction set as read; `source` tells the input apart (the text of
    the first ISA read from it), for the headers' origin."""
    ic = ts.interchange
    group = ts.group
    isa = None
    if ic is not None and ic.header is not None:
        isa = InterchangeHeader.from_elements(ic.header.elements, (source, ic.header.offset))
        # Its TA1s: the reader's list, which a TA1 read later (after a GS: said misplaced) joins.
        isa._acknowledgments = ic.acknowledgements
    return EnvelopeInfo(
        interchange=isa,
        group=GroupHeader.from_elements(group.header.elements, (source, group.header.offset))
        if group is not None and group.header is not None
        else None,
        set_control_number=ts.control_number,
        implementation_reference=ts.info.reference or None,
    )


class SetReader:
    """Streams the transaction sets of one type from a source, parsed into loop trees.

    `diagnostics` collects every problem in input order: syntax, envelope, guide, structure and whatever
    the caller adds (mapping). Envelope headers are shared between the sets of one group.
    """

    def __init__(self, source: Source, transaction_type: str, *, strict: bool = False) -> None:
        self.source = source
        self.transaction_type = transaction_type
        self.strict = strict
        # Streaming: the interchanges read are not kept (their sets' envelopes are models).
        self.envelopes = EnvelopeReader(source, keep_finished=False)
        self.diagnostics: list[Diagnostic] = []
        # The types of the sets of other types: only the types, so that a large file of another
        # type is not held in memory set by set.
        self.skipped: set[str] = set()
        # Gives the grammar's problems placed in a claim that claim's id (`context["claim"]`), from
        # the index given, before they are added (and, strict, raised): the 837's `_name_claims`.
        self.name_claims: Callable[[list[Diagnostic], int, Loop], None] | None = None

    def sets(self) -> Iterator[SetResult]:
        copied = NO_DIAGNOSTICS  # the envelope reader's problems copied so far

        def fresh() -> list[Diagnostic]:
            nonlocal copied
            found, copied = self.envelopes.diagnostics_after(copied)
            return found

        def add(*found: Diagnostic) -> None:
            self.diagnostics.extend(found)
            if self.strict:
                raise_first_error(found)

        wanted = False
        envelopes_said: dict[str, object] = {}  # the interchange and group last looked at
        headers: tuple[object, object, InterchangeHeader | None, GroupHeader | None] | None = None
        source: str | None = None  # the first ISA read: two reads of one file have equal headers
        # The header models of the interchange read (one per group): each notes its IEA's tail.
        isa_headers: list[InterchangeHeader] = []
        for ts in self.envelopes:
            # Problems found so far (syntax, earlier trailers, this set's SE) come first, in input order.
            add(*fresh())
            damaged = None
            if ts.transaction_type != self.transaction_type:
                damaged = _damaged_type(ts, self.transaction_type)
                if damaged is None:
                    # Said, never silent: a caller showing "the 835s of the file" would otherwise
                    # drop the 837 set beside them without a word. A warning: the set is fine,
                    # only not read.
                    self.skipped.add(ts.transaction_type)
                    add(_other_set(ts, self.transaction_type))
                    continue
            wanted = True
            if source is None and ts.interchange is not None and ts.interchange.header is not None:
                source = ts.interchange.header.text()
            if headers is None or headers[0] is not ts.interchange or headers[1] is not ts.group:
                if headers is not None and headers[0] is not ts.interchange:
                    for header in isa_headers:
                        _note_iea_tail(headers[0], header, last=False)  # type: ignore[arg-type]
                    isa_headers = []
                info = envelope_of(ts, source)  # one header model per group, shared by its sets
                headers = (ts.interchange, ts.group, info.interchange, info.group)
                if info.interchange is not None:
                    isa_headers.append(info.interchange)
            envelope = EnvelopeInfo.model_construct(
                interchange=headers[2],
                group=headers[3],
                set_control_number=ts.control_number,
                implementation_reference=ts.info.reference or None,
            )
            envelope._read = {
                "set_control_number": ts.control_number,
                "implementation_reference": envelope.implementation_reference,
            }
            diagnostics = list(ts.diagnostics)
            if damaged is not None:  # a set of the kind read that cannot be read: said, not skipped
                diagnostics.append(damaged)
                add(damaged)
                yield SetResult(ts, None, None, envelope, diagnostics)
                continue
            guide = guide_for(ts)
            if isinstance(guide, Diagnostic):
                diagnostics.append(guide)
                add(guide)
                yield SetResult(ts, None, None, envelope, diagnostics)
                continue
            wrongs = guide_envelope_problems(ts, guide, envelopes_said)
            diagnostics.extend(wrongs)
            add(*wrongs)
            wrong = _wrong_kind(ts, guide)
            if wrong is not None:
                diagnostics.append(wrong)
                add(wrong)
                yield SetResult(ts, None, None, envelope, diagnostics)
                continue
            if ts.cut:
                # Cut short (the input ends, or cannot be read on, before its SE): a part of it may
                # be missing, so it is not read (half a remittance must not be posted); what it
                # lacks is no structure problem. (A set whose SE is missing before the next
                # envelope segment is read: only its trailer is missing, and that is said.)
                if self.envelopes.fatal is not None:
                    code, why = "syntax.cut_set", "is cut short by input that cannot be read"
                else:
                    code, why = "envelope.incomplete_set", "ends with the input, before its SE"
                cut = Diagnostic(
                    code,
                    f"transaction set {shown_control(ts.control_number)} {why}: it is not read",
                    Severity.ERROR,
                    Location(ts.header.index, ts.header.id, ts.header.line, ts.header.offset),
                )
                diagnostics.append(cut)
                add(cut)
                yield SetResult(ts, guide, None, envelope, diagnostics)
                continue
            # Strict, the first error is raised by `add`, once named as it is when not strict
            # (its set's numbers, its claim), not by the grammar where it is found.
            parsed = get_grammar(guide.grammar).parse(ts.segments)
            if parsed.diagnostics:
                name_set(parsed.diagnostics, 0, ts)
                if self.name_claims is not None:
                    self.name_claims(parsed.diagnostics, 0, parsed.root)
            diagnostics.extend(parsed.diagnostics)
            add(*parsed.diagnostics)
            yield SetResult(ts, guide, parsed.root, envelope, diagnostics)
        add(*fresh())
        if headers is not None:
            for header in isa_headers:
                _note_iea_tail(headers[0], header, last=True)  # type: ignore[arg-type]
        if not wanted and self.envelopes.fatal is None:
            types = sorted(self.skipped)
            found = f" (found {', '.join(types)})" if types else ""
            add(
                Diagnostic(
                    "guide.no_sets",
                    f"no {self.transaction_type} transaction set in the input{found}",
                    Severity.ERROR,
                    context={"reads": self.transaction_type, "found": " ".join(types)},
                )
            )


def _note_iea_tail(interchange: Interchange, header: InterchangeHeader, *, last: bool) -> None:
    """Note on the header of an interchange read what followed its IEA other than the terminator
    and line break that follow each of its segments, so that writing it back gives the same bytes:
    blank text (a line break after an interchange written on one line, a blank line between two),
    or, when it ended the input, the lack of that line break."""
    iea = interchange.trailer
    if iea is None or iea.tail is None:
        return
    # NUL padding and DOS end-of-file marks (Ctrl-Z) are dropped when written: what is written
    # back is the rest, as if they were not there (IEA~\n\n^Z: the blank line stays).
    tail = iea.tail.translate(_PADDING)
    delimiters = interchange.delimiters
    usual = delimiters.segment + delimiters.suffix
    # The input ended after the IEA's terminator, or without it (added when written: said).
    if last and delimiters.suffix and tail in (delimiters.segment, ""):
        header._no_final_break = delimiters.suffix
    elif len(tail) > len(usual) and tail.startswith(usual):
        after = tail[len(usual) :]
        if not after.strip(_BLANK_AFTER_IEA):
            header._after_iea = (delimiters.suffix, after)


_BLANK_AFTER_IEA = "\r\n \t"
_PADDING = str.maketrans("", "", "\x00\x1a")


def raise_first_error(found: Iterable[Diagnostic]) -> None:
    """Strict reading: the first error (or fatal problem) among `found` raises, as the exception of
    its kind: the input unreadable (`TokenizeError`), its syntax, envelope or guide wrong
    (`InputError`), its loop structure broken (`StructureError`), its data wrong (`DataError`)."""
    for d in found:
        if d.severity is Severity.FATAL:
            raise TokenizeError(d)
        if d.severity is Severity.ERROR:
            kind = d.code.partition(".")[0]
            if kind in ("syntax", "envelope", "guide"):
                raise InputError(d)
            raise StructureError(d) if kind == "structure" else DataError(d)


SEPARATOR_LOOKALIKES = ":>^|\\!"  # characters files use as component separators
T = TypeVar("T")


def resplit_composites(
    ts: TransactionSet,
    found: list[Diagnostic],
    unsplit: Container[str],
    read_again: Callable[[list[Diagnostic]], T],
) -> tuple[T, list[Diagnostic]] | None:
    """When ISA16 names another component separator than the one a set's composites use, read the
    set again with theirs, and say so once (in place of a problem per composite and claim).

    `found` holds the first read's diagnostics: those of the codes in `unsplit` are composites that
    did not split (a CLM05 or an SVC01 without its code). Every one of them must hold one same other
    separator; the set's segments are given it and `read_again(diagnostics)` reads the set into the
    list it is given. That read is kept, with the diagnostic first, only when it leaves fewer
    composites unsplit than the first: those that split at ISA16's separator the first time would
    not split now, so a file whose ISA16 is right and a composite or two wrong keeps its first read.
    None then, as when the evidence is missing: the problems of each composite stand."""
    flagged = [d for d in found if d.code in unsplit and d.location is not None]
    if not flagged:
        return None
    delimiters = ts.delimiters
    comp = delimiters.component
    at = {seg.index: seg for seg in ts.segments}
    common = set(SEPARATOR_LOOKALIKES) - {comp, delimiters.repetition}
    for d in flagged:
        assert d.location is not None  # flagged are the diagnostics with a location
        seg = at.get(d.location.segment_index) if d.location else None
        common &= set(_composite_text(seg, d.location.element)) if seg is not None else set()
    other = next((c for c in SEPARATOR_LOOKALIKES if c in common), None)
    if other is None:
        return None
    places = [
        f"{(d.location.element or d.location.segment_id).partition('-')[0]} at segment "
        f"{d.location.segment_index}"
        for d in flagged
        if d.location
    ]
    shown = ", ".join(places[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")
    first = flagged[0].location
    assert first is not None  # flagged are the diagnostics with a location
    said = Diagnostic(
        "envelope.component_separator",
        f"ISA16 gives {comp!r} as the component separator, but the set's composites use {other!r} "
        f"({shown}): ISA16 is likely wrong; the set is read with {other!r} as its component "
        "separator",
        Severity.ERROR,
        replace(first, element=None),  # the first composite: the evidence, not the fault
        (f"ISA16 {other!r}, or composites split at {comp!r}",),
        ack="TA1:027",  # invalid component element separator
    )
    guide = guide_for(ts)
    grammar = get_grammar(guide.grammar) if isinstance(guide, Guide) else None
    # HL is left out: the writer makes it anew from the hierarchy (HL03 20, 22, 23 as levels).
    kept = [seg for seg in ts.segments if seg.id != "HL"]
    tags = [grammar.tag(seg) for seg in kept] if grammar is not None else []
    resplit = replace(delimiters, component=other)
    for seg in ts.segments:
        seg.delimiters = resplit
    # The loops were parsed with ISA16's separator: a qualifier holding it (NM1*40:2024, read as
    # NM1*40) would be another segment now, and the file written would read back otherwise.
    if grammar is not None and [grammar.tag(seg) for seg in kept] != tags:
        for seg in ts.segments:
            seg.delimiters = delimiters
        return None
    again = [said]
    result = read_again(again)
    if sum(d.code in unsplit for d in again) >= len(flagged):
        for seg in ts.segments:
            seg.delimiters = delimiters
        return None
    return result, again


# ISA12 of every interchange of the 5010 guides edi reads (maps: x12.control.00501, ISA12 [00501]).
INTERCHANGE_VERSION = "00501"


def guide_envelope_problems(
    ts: TransactionSet, guide: Guide, said: dict[str, object]
) -> list[Diagnostic]:
    """What the envelope of a set of `guide` gets wrong for it: ISA12 (`envelope.isa12`) and GS01
    (`envelope.functional_id`). Said once an interchange (at its ISA) and once a group (at its GS):
    `said` holds the interchange and the group last looked at (the sets come in the file's order,
    so one passed does not come back)."""
    found = []
    for kind, part, problem_of in (
        ("interchange", ts.interchange, _version_problem),
        ("group", ts.group, _functional_id_problem),
    ):
        if part is not None and said.get(kind) is not part:
            said[kind] = part
            wrong = problem_of(ts, guide)
            if wrong is not None:
                found.append(wrong)
    return found


def _version_problem(ts: TransactionSet, guide: Guide) -> Diagnostic | None:
    """`envelope.isa12`: an interchange of 5010 sets whose ISA12 is not 00501 (00401, from a 4010
    template): a receiver answers it with TA1 note 017. The sets are read; written back, ISA12 is
    kept as read, as the other envelope values read are."""
    isa = ts.interchange.header if ts.interchange is not None else None
    if isa is None or isa.element(12) == INTERCHANGE_VERSION:
        return None
    return Diagnostic(
        "envelope.isa12",
        f"ISA12 {isa.element(12)!r} is not the interchange version of the {guide.name} sets it "
        f"holds ({guide.version})",
        Severity.ERROR,
        Location(isa.index, isa.id, isa.line, isa.offset, element="ISA12"),
        (INTERCHANGE_VERSION,),
        ack="TA1:017",  # invalid interchange version ID value
    )


def _functional_id_problem(ts: TransactionSet, guide: Guide) -> Diagnostic | None:
    """`envelope.functional_id`: a group whose GS01 is not the functional id of the sets it holds
    (GS*HC around an 835: HC is the 837's). The set is read; written back, GS01 is kept as read."""
    gs = ts.group.header if ts.group is not None else None
    if gs is None or gs.element(1) == guide.functional_id:
        return None
    return Diagnostic(
        "envelope.functional_id",
        f"GS01 {gs.element(1)!r} is not the functional id of the {guide.name} sets the group holds",
        Severity.ERROR,
        Location(gs.index, gs.id, gs.line, gs.offset, element="GS01"),
        (guide.functional_id,),
    )


def _wrong_kind(ts: TransactionSet, guide: Guide) -> Diagnostic | None:
    """`guide.wrong_kind`: an 837 set whose ST03 (or GS08) names one kind of claim, 837I, and whose
    service lines are all of another, SV1 of an 837P. Read with its guide, each line and claim broke
    a rule (a dozen problems for one wrong code), so the set is not read and the code is named."""
    if not guide.service:
        return None
    others = {
        g.service: g
        for g in GUIDES
        if g.transaction_type == guide.transaction_type and g.service and g is not guide
    }
    first: Segment | None = None
    for seg in ts.segments:  # a set of the kind stops at its first service line
        if seg.id == guide.service:
            return None
        if first is None and seg.id in others:
            first = seg
    if first is None:
        return None
    other = others[first.id]
    st = ts.header
    element = "ST03" if ts.info.reference else "GS08"
    version = ts.info.reference or (ts.group.version if ts.group else "")
    return Diagnostic(
        "guide.wrong_kind",
        f"{ts.transaction_type} transaction set {shown_control(ts.control_number)} is not read: its {element} "
        f"says {version!r} ({guide.name}), but its service lines are {first.id} (the first at "
        f"line {first.line}), an {other.name}'s",
        Severity.ERROR,
        Location(st.index, st.id, st.line, st.offset, element=element),
        expected=(other.version,),
        ack="IK502:19",
    )


def _composite_text(seg: Segment, ref: str | None) -> str:
    """The text of the composite a diagnostic names (`SVC01-02` → SVC01), else of the whole segment."""
    position = (ref or "")[len(seg.id) : len(seg.id) + 2]
    if position.isdigit() and 0 < int(position) < len(seg.elements):
        return seg.elements[int(position)]
    return "".join(seg.elements[1:])


def _damaged_type(ts: TransactionSet, wanted: str) -> Diagnostic | None:
    """An error when the set's ST01 is no transaction set code at all (`835:1`, empty) in a group of
    the kind read (GS01 HP for the 835): a set of that kind with a damaged ST01, not one of another
    kind to leave out with a warning. None for any other set."""
    code = ts.transaction_type
    if len(code) == 3 and code.isascii() and code.isdigit():
        return None
    ids = {g.functional_id for g in GUIDES if g.transaction_type == wanted}
    group = ts.group.functional_id if ts.group is not None else ""
    if group not in ids:
        return None
    st = ts.header
    shown = "empty" if not code else shown_control(code)
    return Diagnostic(
        "guide.damaged_type",
        f"ST01 is {shown}, not a transaction set code, in a group of {wanted}s (GS01 {group}): "
        f"taken for an {wanted} with a damaged ST01: transaction set "
        f"{shown_control(ts.control_number)} is not read",
        Severity.ERROR,
        Location(st.index, st.id, st.line, st.offset, element="ST01"),
        expected=(wanted,),
        ack="IK502:6",
    )


def _other_set(ts: TransactionSet, wanted: str) -> Diagnostic:
    """`guide.other_set`: a set of another type than the reader reads, left out. The context gives
    the set's `type` and `control_number` and the type the reader `reads`, for callers that word it
    their own way (the command line names the command that reads it)."""
    st = ts.header
    return Diagnostic(
        "guide.other_set",
        f"{ts.transaction_type} transaction set {shown_control(ts.control_number)} is not read: only {wanted} "
        "sets are",
        Severity.WARNING,
        Location(st.index, st.id, st.line, st.offset),
        context={
            "type": ts.transaction_type,
            "control_number": ts.control_number,
            "reads": wanted,
        },
    )


# -- writing ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class EnvelopeDefaults:
    """Envelope values for sets that carry none (models built in code)."""

    sender_id: str = "SENDER"
    receiver_id: str = "RECEIVER"
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"
    application_sender: str | None = None  # GS02; defaults to sender_id
    application_receiver: str | None = None  # GS03; defaults to receiver_id
    usage: str = "P"
    acknowledgment_requested: str = "0"
    interchange_control_number: int = 1
    group_control_number: int = 1
    set_control_number: int = 1
    when: datetime | None = None

    def __post_init__(self) -> None:
        # What does not fit its element would shift the fixed-width ISA or break GS/ST: refused here,
        # before anything is written (ISA05-08, ISA13-15, GS02-03, GS06, ST02 in x12-notes §1).
        checks = (
            _code_rule("sender qualifier (ISA05)", self.sender_qualifier, ID_QUALIFIERS),
            _code_rule("receiver qualifier (ISA07)", self.receiver_qualifier, ID_QUALIFIERS),
            _text_rule("sender id (ISA06)", self.sender_id, 2, 15),  # also GS02 unless given
            _text_rule("receiver id (ISA08)", self.receiver_id, 2, 15),
            _text_rule("application sender (GS02)", self.application_sender, 2, 15),
            _text_rule("application receiver (GS03)", self.application_receiver, 2, 15),
            _code_rule("usage (ISA15)", self.usage, _USAGES),
            _code_rule("acknowledgment requested (ISA14)", self.acknowledgment_requested, _ACKS),
            _argument_rule("interchange control number (ISA13)", self.interchange_control_number),
            _argument_rule("group control number (GS06)", self.group_control_number),
            _argument_rule("set control number (ST02)", self.set_control_number),
        )
        problems = [p for p in checks if p is not None]
        if self.when is not None and not (
            isinstance(self.when, datetime) and self.when.year >= 1000
        ):
            # GS04 is CCYYMMDD (DT 8/8): a year before 1000 would write fewer digits.
            problems.append(f"when {self.when!r} must be a datetime from the year 1000 on (GS04)")
        if problems:
            raise WriteError("; ".join(problems), problems)


_MAX_CONTROL = 999_999_999  # ISA13 is 9 digits; GS06 and ST02 at most 9
_USAGES = ("P", "T")  # ISA15: production, test
_ACKS = ("0", "1")  # ISA14: no TA1, a TA1


# -- the rules of envelope values: those the writer makes and those the sets carry (`EnvelopeChecker`)


def _text_rule(name: str, value: str | None, shortest: int, longest: int) -> str | None:
    """The problem of a text element that does not fit its size, or None (None: not given)."""
    if value is None or _fits(value, shortest, longest):
        return None
    size = f"{shortest}" if shortest == longest else f"{shortest} to {longest}"
    return f"{name} {value!r} must be {size} printable ASCII characters, without spaces around them"


def _code_rule(name: str, value: str, codes: tuple[str, ...]) -> str | None:
    if value in codes:
        return None
    if not isinstance(value, str):  # an int 1 for ISA14 was said "1 must be 0 or 1"
        return f"{name} {value!r} must be text: {' or '.join(repr(code) for code in codes)}"
    if len(codes) > 2:
        return f"{name} {value!r} must be one of {', '.join(codes)}"
    return f"{name} {value!r} must be {' or '.join(codes)}"


def _codes(codes: tuple[str, ...]) -> Callable[[str, str], str | None]:
    return lambda name, value: _code_rule(name, value, codes)


def _argument_rule(name: str, number: int) -> str | None:
    """A control number given as an argument: an `int` (not a bool, nor text) of 1 to 999999999."""
    if isinstance(number, bool) or not isinstance(number, int):
        return f"{name} {number!r} must be a whole number (int), 1 to {_MAX_CONTROL}"
    return _control_rule(name, number)


def _control_rule(name: str, number: int | str) -> str | None:
    """A control number must be 1 to 999999999; one carried as text, at most nine digits (ISA13 is
    padded to nine, GS06 is N0 1/9)."""
    if isinstance(number, int):
        return (
            None if 1 <= number <= _MAX_CONTROL else f"{name} {number} must be 1 to {_MAX_CONTROL}"
        )
    text = number
    digits = text.isascii() and text.isdigit() and len(text) <= 9
    if digits and int(text) >= 1:
        return None
    return f"{name} {text!r} must be at most 9 digits, 1 to {_MAX_CONTROL}"


def _date_rule(name: str, value: str, form: str) -> str | None:
    """A date or time of `form`: YYMMDD, CCYYMMDD, HHMM, or HHMM[SS] (GS05: seconds, and decimal
    seconds after them, may follow)."""
    if form == "HHMM[SS]":
        ok = is_group_time(value)  # as the reader says it
    else:
        width, fmt = _DATE_FORMS[form]
        ok = is_datetime(value, width, fmt)
    return None if ok else f"{name} {value!r} must be a {'time' if 'H' in form else 'date'} {form}"


_DATE_FORMS = {
    "YYMMDD": (6, "%y%m%d"),
    "CCYYMMDD": (8, "%Y%m%d"),
    "HHMM": (4, "%H%M"),
}


def _delimiter_rule(name: str, value: str, delimiters: Delimiters) -> str | None:
    clash = [c for c in delimiters.characters() if c in value]
    return f"{name} {value!r} holds the delimiter {clash[0]!r}" if clash else None


def _refuse_delimiters(delimiters: Delimiters, *values: tuple[str, str]) -> None:
    """Refuse the first of the (name, value) pairs an envelope is made from that holds one of
    `delimiters`, the component separator too: no ISA or GS element is a composite, so a reader
    would split `A:B` (pyx12: "GS02 is an invalid composite")."""
    for name, value in values:
        clash = _delimiter_rule(name, value, delimiters)
        if clash is not None:
            raise WriteError(clash)


def _size(shortest: int, longest: int) -> Callable[[str, str], str | None]:
    return lambda name, value: _text_rule(name, value, shortest, longest)


def _form(form: str) -> Callable[[str, str], str | None]:
    return lambda name, value: _date_rule(name, value, form)


# Each ISA field with its element's name and rule, in ISA order (ISA16 is the writer's).
_ISA_RULES: tuple[tuple[str, str, Callable[[str, str], str | None]], ...] = (
    (
        "authorization_qualifier",
        "authorization qualifier (ISA01)",
        _codes(AUTHORIZATION_QUALIFIERS),
    ),
    ("authorization", "authorization (ISA02)", _size(0, 10)),
    ("security_qualifier", "security qualifier (ISA03)", _codes(SECURITY_QUALIFIERS)),
    ("security", "security (ISA04)", _size(0, 10)),
    ("sender_qualifier", "sender qualifier (ISA05)", _codes(ID_QUALIFIERS)),
    ("sender_id", "sender id (ISA06)", _size(2, 15)),
    ("receiver_qualifier", "receiver qualifier (ISA07)", _codes(ID_QUALIFIERS)),
    ("receiver_id", "receiver id (ISA08)", _size(2, 15)),
    ("date", "date (ISA09)", _form("YYMMDD")),
    ("time", "time (ISA10)", _form("HHMM")),
    ("standards_id", "standards id (ISA11)", _size(1, 1)),
    ("version", "version (ISA12)", _codes(("00501",))),  # the control map's one code
    ("control_number", "interchange control number (ISA13)", _control_rule),
    ("acknowledgment_requested", "acknowledgment requested (ISA14)", _codes(_ACKS)),
    ("usage", "usage (ISA15)", _codes(_USAGES)),
)
_GS_RULES: tuple[tuple[str, str, Callable[[str, str], str | None]], ...] = (
    ("functional_id", "functional id (GS01)", _size(2, 2)),
    ("sender", "application sender (GS02)", _size(2, 15)),
    ("receiver", "application receiver (GS03)", _size(2, 15)),
    ("date", "date (GS04)", _form("CCYYMMDD")),
    ("time", "time (GS05)", _form("HHMM[SS]")),
    ("control_number", "group control number (GS06)", _control_rule),
    ("agency", "agency (GS07)", _codes(AGENCIES)),
    ("version", "version (GS08)", _size(1, 12)),
)


# The envelope problems a checked write lets stand in what it writes: those of values it keeps as
# they were read (`as_read`, `_repeated_as_read`), reported when the input was read. The checked
# read-back of `write_837` refuses any other.
KEPT_AS_READ = frozenset(
    {
        "envelope.duplicate_isa13",
        "envelope.duplicate_gs06",
        "envelope.functional_id",
        "envelope.gs02",
        "envelope.gs03",
        "envelope.gs04",
        "envelope.gs05",
        "envelope.gs06",
        "envelope.gs07",
        "envelope.isa01",
        "envelope.isa03",
        "envelope.isa05",
        "envelope.isa06",
        "envelope.isa07",
        "envelope.isa08",
        "envelope.isa09",
        "envelope.isa10",
        "envelope.isa12",
        "envelope.isa13",
        "envelope.isa14",
        "envelope.isa15",
        "envelope.st02",
    }
)


def group_problems(envelope: EnvelopeInfo, guide: Guide) -> list[str]:
    """A carried group must be one of the guide's sets: its functional id (GS01: HP for an 835, HC
    for an 837) and a release of the guide (GS08), which readers pick the guide by. An 837P claim
    carrying an 835's or an 837I's GS08 was written under it, which pyx12 reads with the wrong map.
    A GS01 as read from a file is written back as read (the reader said what is wrong with it).
    The 837 guides use ST03 too (the 835's does not: its rules say so): `claim_group_problems`."""
    group = envelope.group
    if group is None:
        return []
    found = []
    wanted, name = guide.functional_id, guide.name
    if group.functional_id != wanted and not as_read(group, "functional_id"):
        found.append(f"functional id (GS01) {group.functional_id!r} must be {wanted} in an {name}")
    versions = (guide.version, *guide.accepts)
    if group.version not in versions:
        found.append(
            f"version (GS08) {shown_version(group.version)} must be {' or '.join(versions)} in an {name}"
        )
    return found


def claim_group_problems(envelope: EnvelopeInfo, guide: Guide) -> list[str]:
    """`group_problems` of an 837 set, and its ST03, which names the same guide as GS08 (x12-notes
    §1.3: the reader warns of one that does not, `envelope.st03_mismatch`), unless read so."""
    found = group_problems(envelope, guide)
    st03 = envelope.implementation_reference
    group = envelope.group
    gs08 = group.version if group is not None else guide.version  # the writer's when no group
    if st03 is not None and st03 != gs08 and not as_read(envelope, "implementation_reference"):
        found.append(f"implementation reference (ST03) {st03!r} must be GS08, {gs08!r}")
    return found


def guide_of_kind(kind: str) -> Guide:
    """The guide of a claim kind (`professional`, ...) or of the remittance (`remittance`)."""
    return _BY_KIND[kind]


class EnvelopeChecker:
    """The problems of the envelopes sets carry (`claim.envelope`, `remit.envelope`), for a checked
    write: the rules the envelopes made from the writer's arguments follow (`EnvelopeDefaults`), and
    every other ISA and GS element within its size, so that no value shifts the fixed-width ISA or
    leaves an envelope edi would refuse to read, or one of the codes the maps list (ISA01, ISA03,
    ISA05, ISA07, ISA14, ISA15, GS07); a set in an interchange is in a group too.

    A value read from a file (`as_read`) is kept as it was read, rule or no rule: writing a file back
    gives what was read (its own quirks were reported when it was read). A delimiter is refused
    whatever the value's origin: it depends on the delimiters written with. `unsaid` says each
    problem once per write, however many sets carry it.
    """

    def __init__(self, delimiters: Delimiters) -> None:
        self.delimiters = delimiters
        self._said: set[str] = set()
        # By identity, with the header kept alive: the sets of a group read share its headers.
        self._memo: dict[int, tuple[object, list[str]]] = {}
        self._others: dict[Delimiters, EnvelopeChecker] = {delimiters: self}

    def written_with(self, delimiters: Delimiters) -> EnvelopeChecker:
        """The checker of the envelopes written with `delimiters` (`SetDelimiters`: a set keeps
        those of its interchange), which says no problem this one has said, nor the other way."""
        other = self._others.get(delimiters)
        if other is None:
            other = self._others[delimiters] = EnvelopeChecker(delimiters)
            other._said = self._said
            other._others = self._others
        return other

    def problems(self, envelope: EnvelopeInfo) -> list[str]:
        """The problems of `envelope`, each as `sender id (ISA06) 'A*B' holds the delimiter '*'`."""
        isa, gs = envelope.interchange, envelope.group
        found = [*self._header(isa), *self._header(gs)]
        if isa is not None and gs is None:
            found.append(
                "an interchange (ISA) without a functional group (GS): the set would be written "
                "outside any group"
            )
        st02 = envelope.set_control_number
        for problem in (
            None
            if as_read(envelope, "set_control_number")
            else _text_rule("set control number (ST02)", st02, 4, 9),
            _delimiter_rule("set control number (ST02)", st02, self.delimiters),
        ):
            if problem is not None:
                found.append(problem)
        return found

    def unsaid(self, problems: list[str]) -> list[str]:
        """Those of `problems` this checker has not given yet (and now has)."""
        new = [p for p in problems if p not in self._said]
        self._said.update(new)
        return new

    def _header(self, header: InterchangeHeader | GroupHeader | None) -> list[str]:
        if header is None:
            return []
        memo = self._memo.get(id(header))
        if memo is None:
            memo = self._memo[id(header)] = (header, self._rules(header))
        return memo[1]

    def _rules(self, header: InterchangeHeader | GroupHeader) -> list[str]:
        d = self.delimiters
        if isinstance(header, InterchangeHeader):
            rules = _ISA_RULES
            # As written: ISA11 is the repetition separator from 00501 on, put there by the writer.
            written = [v.rstrip() for v in header.elements(d.repetition, d.component)[1:16]]
            written[10] = written[10].replace(d.repetition or "", "")
        else:
            rules = _GS_RULES
            written = [getattr(header, field_name) for field_name, _, _ in rules] + header.extra
        out: list[str | None] = []
        for n, value in enumerate(written):
            field_name, name, rule = rules[n] if n < len(rules) else ("", f"GS{n + 1:02d}", None)
            if rule is not None and not as_read(header, field_name):
                out.append(rule(name, getattr(header, field_name)))
            out.append(_delimiter_rule(name, value, d))
        if isinstance(header, InterchangeHeader):
            # The TA1s read with it, written back after it: each element as read, but a delimiter.
            for k, ta1 in enumerate(header.__pydantic_private__.get("_acknowledgments") or (), 1):  # type: ignore[union-attr]
                for n, value in enumerate(ta1.elements[1:], 1):
                    out.append(_delimiter_rule(f"TA1 {k} TA1{n:02d}", value, d))
        return [p for p in out if p is not None]


def envelope_arguments(when: datetime | None, **given: object) -> tuple[EnvelopeDefaults, bool]:
    """The envelope a writer makes from its envelope arguments (`write_837`, `write_835`): those
    given, the `EnvelopeDefaults` values for those left at None; and whether any was given, for then
    it replaces the envelopes the models carry (one value of an old envelope kept beside a new one,
    its control number above all, would make a duplicate or a mix). `when` alone replaces nothing:
    it only dates the envelopes the writer makes."""
    chosen = {name: value for name, value in given.items() if value is not None}
    return EnvelopeDefaults(**chosen, when=when), bool(chosen)  # type: ignore[arg-type]


def _fits(value: str, shortest: int, longest: int) -> bool:
    # ASCII: the ISA is fixed-width in bytes, and a UTF-8 É takes two.
    return (
        shortest <= len(value) <= longest
        and value == value.strip()
        and value.isascii()
        and value.isprintable()
    )


def _control(number: int, what: str) -> int:
    """A control number that counted up past nine digits is refused, not written ten digits wide."""
    if number > _MAX_CONTROL:
        raise WriteError(f"{what} control number {number} has more than 9 digits")
    return number


def _rolled_over(number: int) -> int:
    """The control number after `number`. ST02 only has to be unique within its group and GS06
    within its interchange (x12-notes §1), so they roll over to 1 after nine digits instead of
    failing a write whose next set or group is in another group or interchange anyway."""
    return number % _MAX_CONTROL + 1


def _next_free(control: str, used: Container[str], width: int = 4) -> str:
    """Control numbers must not repeat (x12-notes §1: ST02 within its group, GS06 within its
    interchange, ISA13 within the file): a repeat (two reads of one file written together, sets of
    one group written apart, a default number a set read already took) becomes the next number not
    yet used, as wide as it was and at least `width` digits."""
    number = int(control) if control.isascii() and control.isdigit() else 0
    while True:
        number = _rolled_over(number)
        candidate = f"{number:0{max(width, len(control))}d}"
        if candidate not in used:
            return candidate


def _repeated_as_read(
    earlier: InterchangeHeader | GroupHeader | None, header: InterchangeHeader | GroupHeader
) -> bool:
    """Whether a repeated ISA13 / GS06 was repeated by the input itself: both headers read from one
    input, the second later in it. Written back as read (an input's own error, reported when it was
    read); any other repeat (a group or interchange reopened, a default number, another file) is
    renumbered."""
    first = None if earlier is None else earlier.__pydantic_private__.get("_origin")  # type: ignore[union-attr]
    then = header.__pydantic_private__.get("_origin")  # type: ignore[union-attr]
    return first is not None and then is not None and then[0] == first[0] and then[1] > first[1]


def _same_header(
    a: InterchangeHeader | GroupHeader | None, b: InterchangeHeader | GroupHeader | None
) -> bool:
    """Whether a set with header `a` goes in the open interchange or group of header `b`: equal
    headers read from the same place (where is no part of a header's value, but two interchanges
    with identical headers read from one input stay two)."""
    if a is b:
        return True
    if a is None or b is None or a != b:
        return False
    return a.__pydantic_private__.get("_origin") == b.__pydantic_private__.get("_origin")  # type: ignore[union-attr]


def locate_write_error(
    exc: WriteError,
    parts: Iterable[tuple[str, Callable[[], list[Segment]], Delimiters]],
    words: Callable[[int, list[str]], list[str]] | None = None,
) -> WriteError:
    """The error of the first of `parts` (what it is, how to make its segments, the delimiters it
    is written with) that cannot be written either, named after it: a claim, a remittance; else
    `exc`. `words(k, problems)`: the problems of the k-th part in more words (the loop they are
    in). Only run once writing has failed, so it costs nothing otherwise."""
    for k, (name, make, delimiters) in enumerate(parts):
        try:
            write_segments(make(), delimiters, repeats=False)
        except WriteError as own:
            # Its own text, not `exc`'s: `exc` may be about a value of another part written earlier
            # (the payer's N102 before a claim's own bad value), which would then be misplaced.
            problems = own.problems if words is None else words(k, own.problems)
            said = str(own) if problems == own.problems else "; ".join(problems)
            return WriteError(f"{name}: {said}", [f"{name}: {p}" for p in problems])
    return exc


def envelope_segments(envelope: EnvelopeInfo, delimiters: Delimiters) -> list[Segment]:
    """The ISA and GS of `envelope` as `write_envelopes` writes them: what `locate_write_error`
    tries to name a set whose envelope cannot be written (an id holding a delimiter)."""
    out: list[Segment] = []
    if envelope.interchange is not None:
        els = envelope.interchange.elements(delimiters.repetition, delimiters.component)
        out.append(Segment(els, delimiters))
        check_isa(out[0], delimiters)  # `write_segments` leaves the ISA to its fixed layout
    if envelope.group is not None:
        out.append(Segment(envelope.group.elements(), delimiters))
    return out


def carried_isa13s(models: Iterable[Any]) -> set[str]:
    """The ISA13s of the interchanges claims or remittances carry (`write_envelopes`' `carried`).
    What is no envelope (a model made around pydantic) is passed over: writing it says so."""
    found = set()
    for model in models:
        isa = getattr(getattr(model, "envelope", None), "interchange", None)
        number = getattr(isa, "control_number", None)
        if isinstance(number, str):
            found.add(number.rjust(9, "0"))
    return found


def write_envelopes(
    sets: Iterable[tuple[EnvelopeInfo | None, list[Segment], str, Delimiters]],
    *,
    functional_id: str,
    delimiters: Delimiters,
    defaults: EnvelopeDefaults | None = None,
    carried: Collection[str] = (),
) -> str:
    """X12 text for transaction sets, each given as (its envelope, its segments from ST up to but not
    including SE, its guide version, the delimiters it is written with: `SetDelimiters`). SE, GE
    and IEA are computed; consecutive sets with the same envelope headers and delimiters share them
    (one interchange has one set of delimiters: a change starts a new one); sets without envelope
    info get envelopes from `defaults` (one group per guide version), with control numbers counting
    up, and are written with `delimiters`. A control number the output already used where it must
    be unique (ST02 in its group, GS06 in its interchange, ISA13 in the output) becomes the next free
    one, unless the input read repeated it itself. An interchange made takes none of the ISA13s
    `carried` (those of the interchanges the sets carry): a carried one keeps its number."""
    out: list[Segment] = []
    texts: list[str] = []  # the text of `out` written so far (`flush`)
    d_open = delimiters  # of the open interchange: those `out` is written with
    d = defaults or EnvelopeDefaults()
    when = d.when or datetime.now()
    next_isa = d.interchange_control_number
    next_gs = d.group_control_number
    next_st = d.set_control_number
    open_isa: InterchangeHeader | None = None
    open_gs: GroupHeader | None = None
    isa_started = False
    groups_in_isa = 0
    sets_in_gs = 0
    used_st: set[str] = set()
    # GS06 in the open interchange and ISA13 in the output, with the header that took each (None
    # once renumbered): see `_repeated_as_read` for the one repeat that stands.
    used_gs: dict[str, GroupHeader | None] = {}
    used_isa: dict[str, InterchangeHeader | None] = {}
    gs06 = isa13 = ""  # as written, for GE02 and IEA02
    last_isa: InterchangeHeader | None = None  # of the last set written

    def flush(after: str = "") -> None:
        """The segments so far as text, with their delimiters (`d_open`), then `after`."""
        nonlocal out
        if out or after:
            texts.append(write_segments(out, d_open, repeats=False) + after)  # no 835/837 repeats
            out = []

    def close_group() -> None:
        nonlocal open_gs, sets_in_gs
        if open_gs is not None:
            out.append(Segment(["GE", str(sets_in_gs), gs06], d_open))
        open_gs = None
        sets_in_gs = 0

    def close_interchange() -> None:
        nonlocal open_isa, isa_started, groups_in_isa
        close_group()
        if isa_started and open_isa is not None:
            out.append(Segment(["IEA", str(groups_in_isa), isa13], d_open))
            # The blank text read after it (a line break after a one-line interchange), while
            # its segments are written with the line break they were read with.
            after = open_isa.__pydantic_private__.get("_after_iea")  # type: ignore[union-attr]
            if after is not None and after[0] == d_open.suffix:
                flush(after[1])
        open_isa = None
        isa_started = False
        groups_in_isa = 0

    def new_isa() -> InterchangeHeader:
        nonlocal next_isa
        while f"{next_isa:09d}" in carried:
            next_isa += 1
        # The writer leaves the ISA to its fixed layout: a delimiter in an id breaks it, refused here.
        _refuse_delimiters(
            delimiters,
            ("sender qualifier (ISA05)", d.sender_qualifier),
            ("sender id (ISA06)", d.sender_id),
            ("receiver qualifier (ISA07)", d.receiver_qualifier),
            ("receiver id (ISA08)", d.receiver_id),
        )
        return InterchangeHeader(
            sender_qualifier=d.sender_qualifier,
            sender_id=d.sender_id,
            receiver_qualifier=d.receiver_qualifier,
            receiver_id=d.receiver_id,
            date=when.strftime("%y%m%d"),
            time=when.strftime("%H%M"),
            control_number=f"{_control(next_isa, 'interchange'):09d}",
            acknowledgment_requested=d.acknowledgment_requested,
            usage=d.usage,
        )

    default_isa: InterchangeHeader | None = None
    default_gs: GroupHeader | None = None
    isa: InterchangeHeader | None  # a set's own envelope may have none (then made, or reported)
    gs: GroupHeader | None
    for envelope, body, version, d_set in sets:
        if envelope is None:
            if default_isa is not None and open_isa is not default_isa:
                # Back to default envelopes after sets with their own: a new interchange and group,
                # so control numbers do not repeat within the file.
                next_isa += 1
                next_gs = _rolled_over(next_gs)
                default_isa = default_gs = None
            if default_gs is not None and default_gs.version != version:
                next_gs = _rolled_over(next_gs)
                default_gs = None
            if default_isa is None:
                default_isa = new_isa()
            if default_gs is None:
                _refuse_delimiters(
                    delimiters,
                    ("application sender (GS02)", d.application_sender or d.sender_id),
                    ("application receiver (GS03)", d.application_receiver or d.receiver_id),
                )
                default_gs = GroupHeader(
                    functional_id=functional_id,
                    sender=d.application_sender or d.sender_id,
                    receiver=d.application_receiver or d.receiver_id,
                    date=when.strftime("%Y%m%d"),
                    time=when.strftime("%H%M"),
                    control_number=str(_control(next_gs, "group")),
                    version=version,
                )
            isa, gs = default_isa, default_gs
            st02 = f"{next_st:04d}"  # a repeat within the group: see `_next_free`
            next_st = _rolled_over(next_st)
        else:
            isa, gs = envelope.interchange, envelope.group
            st02 = envelope.set_control_number
            if isa is None and gs is not None:
                # A group read without an ISA around it (reported then): a GS is only read inside
                # an interchange, so it gets one from the defaults.
                if default_isa is None:
                    default_isa = new_isa()
                isa = default_isa
        if d_set is not d_open and d_set != d_open:
            # Another interchange's delimiters: its own interchange, even with the same header.
            close_interchange()
            flush()
            d_open = d_set
        if not _same_header(isa, open_isa):
            close_interchange()
            if isa is not None:
                els = isa.elements(d_open.repetition, d_open.component)
                isa13 = els[13]
                if isa13 in used_isa and not _repeated_as_read(used_isa[isa13], isa):
                    isa13 = els[13] = _next_free(isa13, used_isa.keys() | carried, 9)
                    used_isa[isa13] = None
                else:
                    used_isa[isa13] = isa
                out.append(Segment(els, d_open))
                check_isa(out[-1], d_open)  # one carried from a read, or set in code
                for ta1 in isa.__pydantic_private__.get("_acknowledgments") or ():  # type: ignore[union-attr]
                    out.append(Segment(list(ta1.elements), d_open))
                isa_started = True
                used_gs = {}
            open_isa = isa
        if not _same_header(gs, open_gs):
            close_group()
            if gs is not None:
                els = gs.elements()  # trailing empty elements left out: GS06 may be missing
                gs06 = gs.control_number
                if gs06 in used_gs and not _repeated_as_read(used_gs[gs06], gs):
                    gs06 = _next_free(gs06, used_gs, 1)
                    els = gs.model_copy(update={"control_number": gs06}).elements()
                    used_gs[gs06] = None
                else:
                    used_gs[gs06] = gs
                out.append(Segment(els, d_open))
                groups_in_isa += 1
                used_st = set()
            open_gs = gs
        if st02 in used_st:
            st02 = _next_free(st02, used_st)
        st = body[0]
        if st.element(2) != st02:
            els = list(st.elements)
            els[2] = st02
            st = Segment(els, d_open)
        out.append(st)
        out.extend(body[1:])
        out.append(Segment(["SE", str(len(body) + 1), st02], d_open))
        used_st.add(st02)
        sets_in_gs += 1
        last_isa = isa
    close_interchange()
    flush()
    text = "".join(texts)
    # A header model has private attributes: pydantic gives it their dict.
    unbroken = (
        None
        if last_isa is None
        else cast("dict[str, Any]", last_isa.__pydantic_private__).get("_no_final_break")
    )
    if unbroken is not None and unbroken == d_open.suffix and text.endswith(unbroken):
        text = text[: -len(unbroken)]  # as the input read ended: without its last line break
    return text


def sort_by_position(diagnostics: list[Diagnostic], start: int) -> None:
    """Put the diagnostics of one set (from `start`) in input order; those without a place keep theirs."""
    tail = diagnostics[start:]
    if len(tail) < 2:
        return
    keys: list[int] = []
    last = -1
    for d in tail:
        loc = d.location
        if loc is not None and (loc.offset or loc.segment_index or loc.line):
            last = loc.offset
        keys.append(last)
    order = sorted(range(len(tail)), key=keys.__getitem__)
    diagnostics[start:] = [tail[i] for i in order]


def each_of(kind: type[T], items: Iterable[T], function: str, hint: str = "") -> Iterator[T]:
    """`items` one at a time, each a `kind` (a claim, a remittance). One model given for the
    iterable (a pydantic model iterates as its field and value pairs), text, JSON or anything else
    among them raises `TypeError`, which says what `function` takes, rather than an error about a
    tuple or a dict deep inside it. `hint` (" (edi.read_claims reads X12)") follows where text or
    JSON was given."""
    name = kind.__name__
    if isinstance(items, (kind, str, bytes, dict)):
        what = (
            f"one {name}: {function}([{name.lower()}])"
            if isinstance(items, kind)
            else f"{_a(type(items).__name__)}{hint}"
        )
        raise TypeError(f"{function} takes a list of {name} models, not {what}")
    for n, item in enumerate(items, 1):
        if not isinstance(item, kind):
            said = hint if isinstance(item, (str, bytes, dict)) else ""
            raise TypeError(
                f"{name.lower()} {n} is {_a(type(item).__name__)}, not an edi.{name}{said}"
            )
        yield item


def _a(noun: str) -> str:
    """`noun` with its article: a str, an int."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def pick_delimiters(
    given: Delimiters | None, read_with: Delimiters | None, line_break: str | None
) -> Delimiters:
    """The delimiters a writer uses where a set does not keep its own (`SetDelimiters`): those
    given, else those the first model was read with, else `* ^ : ~` with a line break after each
    segment; `line_break` overrides the line break."""
    if line_break is not None and line_break not in LINE_BREAKS:  # named as the argument is
        raise ConfigurationError(
            f"line_break must be one of {LINE_BREAKS!r} (or None), not {line_break!r}"
        )
    chosen = given or read_with or DEFAULT_DELIMITERS
    return chosen if line_break is None else chosen.with_suffix(line_break)


class SetDelimiters:
    """The delimiters a writer (`write_835`, `write_837`) and its checks write each set with.

    A set that keeps the interchange it was read in (its envelope has an ISA, and no envelope
    argument replaces it) keeps the delimiters it was read with: element, repetition, component
    and segment separators, and the line break after each segment (unless `line_break` is given:
    then that one, with its own separators), so that a file whose interchanges differ in their
    delimiters is written back as read. Every other set (no envelope, an envelope without an ISA,
    envelopes replaced by the writer's arguments, a model made in code) is written with `chosen`
    (`pick_delimiters`: those given, else those the first model was read with, else the defaults).
    `delimiters` given (`given`) applies to every set. One interchange is written with one set of
    delimiters: `write_envelopes` starts a new one where they change, even between sets that carry
    the same interchange header (then renumbered as any other repeat of an ISA13).
    """

    __slots__ = ("_declared", "_own", "carries", "chosen", "line_break", "own")

    def __init__(
        self,
        given: Delimiters | None,
        first_read_with: Delimiters | None,
        line_break: str | None,
        *,
        own: bool = True,
    ) -> None:
        self.chosen = pick_delimiters(given, first_read_with, line_break)
        self.line_break = line_break
        self.carries = own  # the sets are written in the interchanges they carry
        self.own = own and given is None
        self._own: dict[Delimiters, Delimiters] = {}
        self._declared: dict[tuple[Delimiters, str], Delimiters] = {}

    def __call__(self, read_with: Delimiters | None, envelope: EnvelopeInfo | None) -> Delimiters:
        """The delimiters of a set read with `read_with` (None: made, not read) that carries
        `envelope`. The same object for equal delimiters, so that segments made with them are
        written on the writer's fast path."""
        found: Delimiters | None  # None: not yet made for `read_with`
        if not self.own or read_with is None or envelope is None or envelope.interchange is None:
            found = self.chosen
        else:
            found = self._own.get(read_with)
            if found is None:
                found = (
                    read_with if self.line_break is None else read_with.with_suffix(self.line_break)
                )
                if found == self.chosen:
                    found = self.chosen
                self._own[read_with] = found
        return found if found.repetition is not None else self._with_isa11(found, envelope)

    def _with_isa11(self, found: Delimiters, envelope: EnvelopeInfo | None) -> Delimiters:
        """Delimiters without a repetition separator (`Delimiters(repetition=None)`, or read from
        an interchange before 00501) for a set written in a 00501 interchange, whose ISA11 is one
        (x12-notes §1.2): that of its ISA (`^` for one made), so that a value holding it is refused
        as one holding any other delimiter. An ISA11 that is no separator (`U`) stays as it is."""
        isa = envelope.interchange if self.carries and envelope is not None else None
        version = isa.version if isa is not None else INTERCHANGE_VERSION
        isa11 = isa.standards_id if isa is not None else REPETITION_SEPARATOR
        if version < INTERCHANGE_VERSION or len(isa11) != 1 or isa11.isalnum() or isa11.isspace():
            return found  # a code (U), or no delimiter at all: the envelope check says so
        if isa11 in (found.element, found.component, found.segment):
            return found  # no delimiters to write with: the writer refuses them
        key = (found, isa11)
        declared = self._declared.get(key)
        if declared is None:
            declared = self._declared[key] = replace(found, repetition=isa11)
        return declared
