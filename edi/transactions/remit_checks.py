"""Checks of 835 remittances before they are written: what 005010X221A1 refuses (SNIP 2) and what
does not balance (SNIP 3).

Each check returns readable problems, `"835 0001 claim PCN1 (#2): CLP02 '99' is not a claim status
code of 005010X221A1 (1, 2, ...)"`; nothing raises. `write_835` refuses remittances with problems
(`RemittanceCheckError`). `RemittanceChecker` runs them one remittance at a time, each problem with
the model it is about (`Finding`), which `edi remit` places where that was read.

The guide's rules are checked on the segments a remittance is written as (the loop tree the writer
makes of it), so what a model keeps from the file it was read from (a segment the guide does not
have, an element it does not use) is checked too. From the map, loop by loop (`remit_rules`, cited
by line): the segments a loop requires (1000A N3, N4 and PER*BL; 2100 NM1*QC ...) and each
definition's max use (2110: two DTM, one REF*6R ...); segments and qualifiers the loop has no place
for; the elements each segment requires and those it does not use (NM106, TS309, ST03 ...), and no
segment without any (an empty MOA) nor one that ends with an empty element (a trailing
separator, read and kept); the codes of every ID element whose codes the map lists (BPR01, BPR03-06, BPR08, BPR12, BPR14, TRN01,
CUR01, N103, PER03/05/07, RDM01, CLP02, CLP06, CAS01, NM102, NM108 per NM1, SVC01-01, SVC06-01,
LQ01, the PLB reason codes, and the qualifiers of N1, REF, DTM, NM1, PER, AMT and QTY per loop);
the size of text and code elements (TRN03 10 characters, N104 2 to 80 ...) and their characters
(no control character, no trailing space: `x12_syntax.Size.carries`), the size of amounts and counts
(their digits: at most 18 in an amount, 15 in a CLP12 or a quantity, 6 in LX01 ...; a whole
number without a decimal point: 5, not 5.) and the dates
(a day of the calendar, CCYYMMDD); the X12 syntax relations the map gives (BPR P0607 C0809 P1213 C1415, N1
P0304, N4 E0207 C0704, PER pairs, NM1 P0809, a CAS reason with its amount, a PLB reason with its
amount); at most 999 service lines a claim; the external code lists that may be shipped
(`edi.codesets`, SNIP 5): N402 of a US or Canadian address (and none for another country; such an
address has its N402 and N403, `remit_rules`), N404 and CUR02; the check digit of every NPI (SNIP
5, as the 837's): the payee's N104 under N103 XX, the rendering provider's NM109 under NM108 XX, a
line's REF*HPI (12 of the 18 public 5010 835s in the corpus carry placeholder NPIs that fail it);
the BPR's situational rules X12's interpretations quote (`remit_situations`: BPR01 H, BPR04 NON and a BPR02 of 0 go
together, BPR09 exactly when BPR04 is ACH, BOP or FWT). And the balancing rules
of x12-notes §8.1 (`balance_problems`): an 835 that does not balance is refused.

Not checked: the external code lists that may not be shipped (CARC and RARC values), nor CLP08 (the
place of service or the facility type code, by the claim's kind, which the 835 does not say); whether
amounts and counts are numbers (the models write them from numbers; a required one that is no
number keeps a set from being read); the order of segments in a loop (the writer's order is the map's); and
situational rules the map does not carry beyond the BPR's of `remit_situations` (BPR05-08 and
BPR10-15 by payment method, MIA or MOA by claim type).

pyx12's validator, the tests' oracle, differs on purpose (`tests/test_835_roundtrip.py` pins each):
it refuses a year before 1800 and letters of other languages, which X12 allows (`x12_syntax`), and
remark codes its own copy of the RARC list lacks; it does not see a missing SVC06-01, the PLB05-13
reason codes, the situational rules nor the balancing.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from edi.codesets import PROCEDURE_FORMS
from edi.diagnostics import Diagnostic, Location, short_id
from edi.errors import WriteError
from edi.loops import Loop
from edi.mapping import WriteContext, segments_of, write_own
from edi.models.base import Placed
from edi.models.remittance import ClaimPayment, Remittance, ServicePayment
from edi.models.unvalidated import not_edis
from edi.transactions.common import EnvelopeChecker, SetDelimiters, collector_paused, each_of
from edi.transactions.remit835 import (
    PARTIES,
    REMITTANCES_FROM,
    SetNumbers,
    checked_balance,
    envelope_problems,
    header_groups,
    remittance_loop,
    unread_problem,
    unvalidated_remittance,
    unwritable,
)
from edi.transactions.remit_rules import GUIDE, LOOP_REPEATS, Problem, loop_problems, loop_rules
from edi.transactions.remit_situations import bpr_problems, claim_problems
from edi.transactions.segment_order import remittance_order_problems
from edi.x12.delimiters import Delimiters
from edi.x12.segment import Segment
from edi.x12.writer import write_segments

# A problem of the guide's rules and the model it is about (`_guide_problems`).
_Found = tuple[Placed, Problem]
# The segments of the loops as written that their models keep as read, by identity: where each
# was read (`_kept_read`).
_Kept = dict[int, Location]


class Finding(NamedTuple):
    """One problem of a remittance (`RemittanceChecker.placed`) and what it is about."""

    about: Placed
    """The model it is about, whose `read_at` places it: the service line, claim, header number,
    payer or payee whose loop it is in; the payment (BPR), trace (TRN) or provider adjustment
    (PLB) of a problem of that segment; else the remittance (its ST), for its envelope too."""
    problem: str
    """As `check_remittances` says it: `835 0001 claim PCN1 (#2): CLP02 '5' is not ...`."""
    element: str | None = None
    """The element it is about (`CLP02`, `SVC01-02`), when one."""
    segment_index: int | None = None
    """Where the segment of that element is in the set as written (ST = 1), when there is one:
    where it was read, for a remittance read and not changed since (`unsaid`)."""
    read_at: Location | None = None
    """Where the segment it is about was read, when the model keeps that segment as read (one no
    field takes: a `DTM*472` in a claim, a segment the set does not have); it places the problem
    there rather than at `about`. None for the others."""
    unused: bool = False
    """The problem is that the loop has no place for the segment read at `read_at` (`DTM*472 is not
    used in loop 2100 ...`): what the reader said of that segment (kept as read, not a segment of
    the set) is the same problem."""
    ack: str | None = None
    """The 999 code that answers it when the reader says it too (`IK304:5`: a segment past its max
    use, placed at the first one past it): the reader's diagnostic of that segment is the same
    problem."""
    unread: bool = False
    """The problem is the remittance's `unread_claims`, which the reader said claim by claim
    (`remit.claim_unread`)."""


def check_remittances(
    remittances: Iterable[Remittance],
    *,
    delimiters: Delimiters | None = None,
    set_control_number: int = 1,
) -> list[str]:
    """The problems of every remittance, in order: the envelope it carries (`EnvelopeChecker`), the
    rules of 005010X221A1 that what `write_835` would write of it breaks, and the balancing rules of
    x12-notes §8.1. `write_835` refuses to write
    remittances with problems (`check=False` writes them anyway).

    A set is named by its ST02 (one without an envelope by the ST02 `write_835` gives it:
    `set_control_number` up, 0001 by default, as there), a claim by its patient control number (CLP01) and its position in the set, a
    line by its position in the claim, a PLB by its position in the set; never a patient.
    `delimiters`: those `write_835` would be given; as there, by default each remittance that
    carries its interchange is checked against the delimiters it was read with, the others against
    those the first remittance was read with (`SetDelimiters`): a value holding one of the
    delimiters its set is written with cannot be written. `RemittanceChecker` gives the
    same one remittance at a time, each problem with the model it is about.

    Example:
        >>> for problem in check_remittances(read_remittances(Path("payer.835"))):  # doctest: +SKIP
        ...     print(problem)   # 835 0001 payer (1000A): no PER*BL; loop 1000A of ... requires it
    """
    checker = RemittanceChecker(delimiters=delimiters, set_control_number=set_control_number)
    return [
        found.problem
        for remit in each_of(Remittance, remittances, "check_remittances", REMITTANCES_FROM)
        for found in checker.placed(remit)
    ]


def problems_to_write(
    remittances: Iterable[Remittance],
    rule: SetDelimiters,
    numbers: SetNumbers,
    *,
    carried: bool,
) -> tuple[list[str], list[str]]:
    """`check_remittances` as `write_835` checks: each set written with the delimiters of `rule`
    and numbered by `numbers` (the writer's own, for remittances it has not numbered yet), the
    envelopes the remittances carry only when written (`carried`). On its way to refusing a value it
    cannot write, a checked `write_835` says so every remittance's problems (the first value found
    hid the others, and the sets after it). With those of values it cannot write."""
    checker = RemittanceChecker()
    checker._rule, checker._number, checker._carried = rule, numbers, carried
    every = [found.problem for remit in remittances for found in checker.placed(remit)]
    return every, checker._unwritable


class RemittanceChecker:
    """The checks of `check_remittances`, one remittance at a time as they stream past (`edi
    remit`), each problem with the model it is about (`Finding`). The remittances are numbered,
    and the delimiters picked, as `check_remittances` does; an envelope problem several sets share
    is said once. `guide=False`: the balancing rules only.

    Example:
        >>> checker = RemittanceChecker()
        >>> for remit in read_remittances(Path("payer.835")):      # doctest: +SKIP
        ...     for found in checker.placed(remit):
        ...         print(found.about.read_at, found.problem)
    """

    def __init__(
        self,
        *,
        delimiters: Delimiters | None = None,
        set_control_number: int = 1,
        guide: bool = True,
    ) -> None:
        self.delimiters = delimiters
        self.guide = guide
        self._number = SetNumbers(set_control_number)
        self._envelopes: EnvelopeChecker | None = None
        self._rule: SetDelimiters | None = None  # as write_835's, set by the first remittance
        self._count = 0  # the remittances checked
        self._carried = True  # whether the envelopes they carry are checked (written)
        self._unwritable: list[str] = []  # the problems of values the writer cannot write

    def placed(self, remit: Remittance) -> list[Finding]:
        """The problems of the next remittance, in the order `check_remittances` gives them.

        A remittance made or changed around pydantic (`model_construct`, `__dict__`) that the
        checks fail on has one problem: the fields pydantic refuses (`unvalidated_remittance`)."""
        self._count += 1
        st02 = None
        try:
            st02 = self._number(remit)
            return self._placed(remit, st02)
        except Exception as exc:
            said = unvalidated_remittance(remit, self._count, st02) if not_edis(exc) else None
            if said is None:  # edi's own error: raised as it is
                raise
            return [Finding(remit, said)]

    def _placed(self, remit: Remittance, st02: str) -> list[Finding]:
        if not self.guide:
            return [*_unread(remit, st02), *_balance(remit, st02)]
        read_with = remit.__pydantic_private__.get("_delimiters")  # type: ignore[union-attr]
        if self._rule is None:  # as write_835: the first remittance's for those without their own
            self._rule = SetDelimiters(self.delimiters, read_with, None)
        chosen = self._rule(read_with, remit.envelope)
        out: list[Finding] = []
        if remit.envelope is not None and self._carried:  # the envelope write_835 writes it in
            self._envelopes = self._envelopes or EnvelopeChecker(chosen)
            found = envelope_problems(self._envelopes.written_with(chosen), remit.envelope, st02)
            out.extend(Finding(remit, p) for p in found)
        # The collector paused while a set's loop tree is made and checked, as when writing.
        with collector_paused():
            root, unwritten = _written(remit, chosen, st02)
            if unwritten:
                self._unwritable += [found.problem for found in unwritten]
            out.extend(unwritten)
            out.extend(
                _balance(remit, st02) if root is None else remittance_findings(remit, root, st02)
            )
        return out


def _written(
    remit: Remittance, delimiters: Delimiters, st02: str
) -> tuple[Loop | None, list[Finding]]:
    """The loop tree `write_835` writes `remit` as, and the problem of a value it cannot write at
    all (one that holds a delimiter), as write_835 says it. With such a value, the tree an
    unchecked write makes, so that the set's other problems are said too; None when there is none
    either (an LX without claims)."""
    try:
        root = remittance_loop(remit, delimiters, checked=True)
        # The other delimiters show when the text is made (a repetition separator in a name); the
        # ST and SE are the envelope's, whose check says so of ST02.
        write_segments(segments_of([root])[1:-1], delimiters, repeats=False)
        return root, []
    except WriteError as exc:
        found = _each_unwritable(remit, st02, delimiters)
        if not found:  # the envelope's, or one the models' own segments do not show
            located, about = unwritable(exc, [(remit, st02, delimiters)], True)
            found = [Finding(about or remit, p) for p in located.problems]
    try:
        return remittance_loop(remit, delimiters), found
    except WriteError:
        return None, found


def _each_unwritable(remit: Remittance, st02: str, delimiters: Delimiters) -> list[Finding]:
    """Every value of `remit` that a checked `write_835` refuses (one holding a delimiter), in the
    writer's words, each about the model whose own segment holds it, as `write_835` names it: the
    writer stops at the first, a user fixed them one run at a time. A PLB's is about the provider
    adjustment whose text holds the delimiter, so that it is placed at its PLB."""
    wctx = WriteContext(delimiters, checked=True, listing="835")
    name = f"835 {st02}"
    models: list[tuple[str, Placed]] = [(name, remit)]
    models += [
        (f"{name} {PARTIES[p.loop_id]} ({p.loop_id})", p) for p in (remit.payer, remit.payee)
    ]
    models += [(f"{name} header #{n} (2000)", h) for n, h in enumerate(remit.header_numbers, 1)]
    for c, claim in enumerate(remit.claims, 1):
        named = f"{name} claim {short_id(claim.patient_control_number)} (#{c})"
        models.append((named, claim))
        models += [(f"{named} line {n}", s) for n, s in enumerate(claim.services, 1)]
    delimiter_characters = set(delimiters.characters())
    out: list[Finding] = []
    for where, model in models:
        segments, refused = write_own(model, wctx)  # type: ignore[arg-type]
        problems = [p for exc in refused for p in exc.problems]
        for segment in segments:  # a delimiter other than the component separator
            try:
                write_segments([segment], delimiters, repeats=False)
            except WriteError as exc:
                problems += exc.problems
        for problem in problems:
            about: Placed = model
            if model is remit and problem.startswith("PLB"):
                about = next(
                    (
                        a
                        for a in remit.provider_adjustments
                        if any(
                            delimiter_characters & set(text)
                            for text in (a.provider_id, a.reason, a.reference or "")
                        )
                    ),
                    remit,
                )
            out.append(Finding(about, f"{where}: {problem}"))
    return out


def remittance_problems(remit: Remittance, root: Loop, st02: str) -> list[str]:
    """The problems of one remittance, given the loop tree it is written as (`remittance_loop`)."""
    return [found.problem for found in remittance_findings(remit, root, st02)]


def remittance_findings(remit: Remittance, root: Loop, st02: str) -> list[Finding]:
    """`remittance_problems`, each with the model it is about."""
    out = _unread(remit, st02)
    out.extend(_guide_problems(remit, root, f"835 {st02}"))
    out.extend(Finding(m, p) for m, p in remittance_order_problems(remit, f"835 {st02}"))
    out.extend(_balance(remit, st02))
    return out


def unsaid(findings: list[Finding], remit: Remittance, read: Iterable[Diagnostic]) -> list[Finding]:
    """`findings` without those a reading diagnostic of the remittance's set (`read`) said already:
    a problem of an element (a BPR16 that is no date, an SVC01 without SVC01-02) that the reader
    reported in a segment of the same model (the BPR; the SVC's service line), the same segment
    when the finding says which (`Finding.segment_index`: not a CAS04 of another CAS); a segment
    past its max use the reader said with the same 999 code at the same segment."""
    if remit.unread_claims and any(d.code == "remit.claim_unread" for d in read):
        findings = [f for f in findings if not f.unread]
    start = remit.read_at
    if start is None or not any(f.element or f.ack for f in findings):
        return findings
    if any(f.ack for f in findings):
        findings = _unsaid_acks(findings, start, read)
        if not any(f.element for f in findings):
            return findings
    places = [
        d.location
        for d in read
        if d.location is not None and d.location.element and d.location.offset >= start.offset
    ]
    if not places:  # the common case: nothing to look up, so no table of the set's models
        return findings
    segments: dict[int, Placed] = {}  # the segment models placed, by the offset of their segment
    heads: tuple[Placed, ...] = (remit.payment, remit.trace, *remit.provider_adjustments)
    for model in heads:
        at = model.read_at
        if at is not None:  # a PLB's: its first adjustment, as `_header_segments` says
            segments.setdefault(at.offset, model)
    loops: list[tuple[int, Placed]] = [(start.offset, remit)]
    for model in (
        remit.payer,
        remit.payee,
        *remit.header_numbers,
        *remit.claims,
        *(s for c in remit.claims for s in c.services),
    ):
        at = model.read_at
        if at is not None:
            loops.append((at.offset, model))
    loops.sort(key=lambda pair: pair[0])
    starts = [offset for offset, _ in loops]
    said: set[tuple[int, str | None]] = set()
    said_at = {(where.segment_index, where.element) for where in places}
    for where in places:
        # Its segment's model, else the model of the loop it is in: the last to start before it.
        model = segments.get(where.offset) or loops[bisect_right(starts, where.offset) - 1][1]
        said.add((id(model), where.element))
    return [
        f
        for f in findings
        if f.element is None
        or (id(f.about), f.element) not in said
        or (f.segment_index is not None and (f.segment_index, f.element) not in said_at)
    ]


def _unsaid_acks(
    findings: list[Finding], start: Location, read: Iterable[Diagnostic]
) -> list[Finding]:
    """`findings` without those with a 999 code that a reading diagnostic of the set (from `start`)
    gave at the same segment: where it was read (`Finding.read_at`), else where it is written."""
    said = {
        (d.ack, d.location.offset, d.location.segment_index)
        for d in read
        if d.ack and d.location is not None and d.location.offset >= start.offset
    }
    offsets = {(ack, offset) for ack, offset, _ in said}
    indexes = {(ack, index) for ack, _, index in said}
    return [
        f
        for f in findings
        if f.ack is None
        or not (
            (f.read_at is not None and (f.ack, f.read_at.offset) in offsets)
            or (f.read_at is None and (f.ack, f.segment_index) in indexes)
        )
    ]


def _unread(remit: Remittance, st02: str) -> list[Finding]:
    problem = unread_problem(remit, st02)
    return [Finding(remit, problem, unread=True)] if problem else []


def _balance(remit: Remittance, st02: str) -> Iterator[Finding]:
    for where, what, model in checked_balance(remit):
        yield Finding(model, f"835 {st02} {where}: {what}" if where else f"835 {st02}: {what}")


def _guide_problems(remit: Remittance, root: Loop, where: str) -> list[Finding]:
    """The rules of `remit_rules` over the loops of one set, in the order they are written, each
    problem with the model it is about: the loops are written from the models in their order."""
    found: list[Problem] = []
    loop_problems(loop_rules("ST"), root, where, found, numbered="PLB")  # type: ignore[arg-type]
    about = _header_segments(remit, root)
    out = [(about.get(id(p.segment), remit), p) for p in found]
    kept: _Kept = {}
    if found:
        _kept_read(root, remit, kept)
    # The 2000 loops are written from `header_groups`, their 2100 loops from `remit.claims` in
    # order, and the 2110 loops from each claim's services.
    headers = [header for header, _ in header_groups(remit.claims, remit.header_numbers)]
    parties: dict[str, Placed] = {"1000A": remit.payer, "1000B": remit.payee}
    h = n = 0
    numbers: dict[str, int] = {}  # each LX01 written, with the header that has it first
    for item in root.items:
        if type(item) is not Loop:
            if item.id == "BPR":
                out.extend((remit.payment, Problem(p)) for p in bpr_problems(item, f"{where}: "))
            continue
        if item.id == "2000":
            h += 1
            _loop(item, f"{where} header #{h} (2000)", headers[h - 1], out, kept)
            _repeated_number(item, h, f"{where} header #{h} (2000)", headers[h - 1], numbers, out)
            for claim in item.items:
                if type(claim) is Loop:
                    n += 1
                    _claim(claim, where, n, remit.claims[n - 1], out, kept)
        else:
            party = parties.get(item.id, remit)
            _loop(item, f"{where} {PARTIES.get(item.id, 'loop')} ({item.id})", party, out, kept)
    at: dict[int, int] = {}
    if any(p.element or p.ack for _, p in out):  # where each segment is in the set, as written
        at = {id(s): i for i, s in enumerate(segments_of([root]), 1)}  # (ST = 1)
    return [
        Finding(
            model,
            p.message,
            p.element,
            at.get(id(p.segment)),
            kept.get(id(p.segment)),
            p.unused,
            p.ack,
        )
        for model, p in out
    ]


def _kept_read(loop: Loop, model: Placed, kept: _Kept) -> None:
    """Add to `kept` where the segments of `loop` (as written) that `model` keeps as read were read.
    The writer lays out a loop so kept in the order read (`mapping.in_read_order`), so its items go
    with the keys of that order; a model changed since, written in its slots' order, keeps those
    whose segments still match."""
    private = model.__pydantic_private__
    layout = private.get("_x12") if private else None
    order = getattr(layout, "order", None)
    if not order or layout is None or not layout.unmapped:  # (an order: a layout, for mypy)
        return
    at = model.read_at
    for item, key in zip(loop.items, order, strict=False):
        if key.startswith("!"):
            read = layout.unmapped[int(key[1:])]
            if type(item) is Segment and type(read) is Segment and item == read:
                loop_id = at.loop_id if at is not None else None
                kept[id(item)] = Location(read.index, read.id, read.line, read.offset, loop_id)


def _header_segments(remit: Remittance, root: Loop) -> dict[int, Placed]:
    """The models of the set's own segments that have one, by the segment's identity: the BPR's
    payment, the TRN*1's trace, each PLB's first provider adjustment."""
    about: dict[int, Placed] = {}
    adjustments = iter(remit.provider_adjustments)
    for item in root.items:
        if type(item) is not Segment:
            continue
        if item.id == "BPR":
            about[id(item)] = remit.payment
        elif item.id == "TRN" and item.element(1) == "1":
            about[id(item)] = remit.trace
        elif item.id == "PLB":
            # Written from its provider adjustments in order: one per amount (PLB04, 06, ... 14);
            # elements after the sixth pair are kept as read, no adjustment's.
            pairs = [next(adjustments, None) for amount in item.elements[4:15:2] if amount]
            if pairs and pairs[0] is not None:
                about[id(item)] = pairs[0]
    return about


def _claim(
    claim: Loop, where: str, n: int, model: ClaimPayment, out: list[_Found], kept: _Kept
) -> None:
    first = claim.items[0] if claim.items else None
    pcn = first.element(1) if type(first) is Segment and first.id == "CLP" else "?"
    named = f"{where} claim {pcn} (#{n})"
    _loop(claim, named, model, out, kept)
    out.extend((model, Problem(p)) for p in claim_problems(model, f"{named}: "))
    lines = 0
    for line in claim.items:
        if type(line) is Loop:
            lines += 1
            # A loop kept as read (none in a remittance read whole) is the claim's.
            service = model.services[lines - 1] if lines <= len(model.services) else model
            _loop(line, f"{named} line {lines}", service, out, kept)
            if type(service) is ServicePayment:
                svc = line.items[0] if line.items and type(line.items[0]) is Segment else None
                _procedure_forms(service, f"{named} line {lines}", svc, out)
    if lines > LOOP_REPEATS["2110"]:
        out.append(
            (
                model,
                Problem(
                    f"{named}: {lines} service lines (loop 2110); {GUIDE} allows "
                    f"{LOOP_REPEATS['2110']} a claim"
                ),
            )
        )


def _procedure_forms(
    service: ServicePayment, where: str, svc: Segment | None, out: list[_Found]
) -> None:
    """The form of an HCPCS/CPT or CDT code paid (SVC01-02) and billed (SVC06-02), as the 837
    checks hold a line's (`codesets.PROCEDURE_FORMS`): `99213-25` is no code, its 25 a modifier
    (SVC01-03), and `edi cob` would copy it into the secondary claim, which refuses it."""
    for qualifier, code, ref in (
        (service.qualifier, service.code, "SVC01"),
        (service.original_qualifier, service.original_code, "SVC06"),
    ):
        found = PROCEDURE_FORMS.get(qualifier or "")
        if found is None or code is None or found[0].fullmatch(code):
            continue
        form, what = found
        # Said without the code: the rule and where a modifier goes are enough.
        hint = f"; a modifier goes in {ref}-03, not in the code" if form.match(code) else ""
        text = f"{where}: procedure code ({ref}-02) is not {what}{hint}"
        out.append((service, Problem(text, svc, f"{ref}-02")))


def _repeated_number(
    loop: Loop, h: int, where: str, model: Placed, numbers: dict[str, int], out: list[_Found]
) -> None:
    """An LX01 that an earlier 2000 loop of the set has too (`numbers`: each LX01 met, with the
    header that had it first). LX01 is "number assigned for differentiation within a transaction
    set": each LX of a set has its own (X12 RFI 417). Two with one number are one group to
    `header_groups`, so their claims would go under one LX when written from JSON."""
    lx = loop.items[0] if loop.items else None
    if type(lx) is not Segment or lx.id != "LX" or not lx.element(1):
        return
    number = lx.element(1)
    # A number (N0): LX*01 is header number 1, as LX*1 is.
    first = numbers.setdefault(str(int(number)) if number.isdigit() else number, h)
    if first != h:
        text = (
            f"{where}: LX01 {number} is header #{first}'s too; each LX of a set has its own "
            "number (LX01: differentiation within the set, X12 RFI 417)"
        )
        out.append((model, Problem(text, lx, "LX01")))


def _loop(loop: Loop, where: str, model: Placed, out: list[_Found], kept: _Kept) -> None:
    rules = loop_rules(loop.id)
    if rules is None:
        out.append((model, Problem(f"{where}: loop {loop.id} is not a loop of {GUIDE}")))
        return
    found: list[Problem] = []
    loop_problems(rules, loop, where, found)
    if found:
        _kept_read(loop, model, kept)
    out.extend((model, p) for p in found)


__all__ = ["Finding", "RemittanceChecker", "check_remittances", "remittance_problems", "unsaid"]
