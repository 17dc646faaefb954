"""837 claims (005010X222A1 / X223A2 / X224A2): loop trees ↔ `Claim` models, `read_claims` and `write_837`.

The generic codec (`edi.mapping`) maps each loop from the field declarations of `edi.models.claim*`. This
module adds what those declarations cannot say:

- the HL hierarchy (x12-notes §2): reading gives every claim its billing provider, subscriber, payer and
  patient (the objects of its HL loops, shared by the claims under them) and checks HL01 numbering,
  HL02 parents and HL04 child codes; writing puts consecutive claims with equal context under one
  2000A / 2000B / 2000C again and computes HL01, HL02 and HL04;
- provider loops by role: 2310x, 2330C-2330I and 2420x are each read into one list of providers
  (`Child` aliases), each keeping the loop it was read in (`read_at`, and the problems reported in
  it), and written in the order of the guide of the claim kind (`edi.codes.PROVIDER_LOOPS`);
- LX line numbers (computed), ST/BHT/SE, envelopes, one transaction set per claim kind with at most
  5,000 claims;
- which claims cannot be read: a claim whose loops break the grammar, whose HL parents are wrong, or
  whose required data is missing is skipped with diagnostics; the other claims of the file are read.
"""

from __future__ import annotations

import gc
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Iterator
from copy import copy
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from edi import codes
from edi.diagnostics import (
    Diagnostic,
    Location,
    Severity,
    changed,
    characters,
    short_id,
    shown_control,
    shown_digits,
    text_shape,
)
from edi.errors import CheckError, WriteError
from edi.grammar import get_grammar
from edi.loops import Loop
from edi.mapping import (
    ReadContext,
    WriteContext,
    keeps_layout,
    read_model,
    redelimit,
    segments_of,
    write_flat,
)
from edi.models.base import LoopModel
from edi.models.claim import Claim
from edi.models.claim_lines import ServiceLine
from edi.models.claim_parties import (
    BillingProvider,
    ClaimPayer,
    Patient,
    Provider,
    Subscriber,
    TransactionHeader,
    name_loop_of,
)
from edi.models.envelope import EnvelopeInfo
from edi.models.unvalidated import not_edis
from edi.transactions.claim_limits import LOOP_REPEATS
from edi.transactions.claim_problem import ENVELOPE, ClaimProblem
from edi.transactions.claim_rules import QUALIFIED_SEGMENTS, is_code, takes_qualifier
from edi.transactions.common import (
    KEPT_AS_READ,
    EnvelopeChecker,
    EnvelopeDefaults,
    SetDelimiters,
    SetReader,
    SetResult,
    carried_isa13s,
    claim_group_problems,
    collector_paused,
    each_of,
    envelope_arguments,
    envelope_segments,
    guide_of_kind,
    locate_write_error,
    raise_first_error,
    resplit_composites,
    sort_by_position,
    write_envelopes,
)
from edi.x12.delimiters import Delimiters
from edi.x12.envelope import name_set
from edi.x12.reader import Source, SourcePasses
from edi.x12.segment import Segment, encoded, past_last_problem, trailing_separator_problem

_FUNCTIONAL_ID = guide_of_kind("professional").functional_id  # HC: every 837 guide's GS01
_UNSPLIT = frozenset({"claim.composite"})  # CLM05, HI, SV101, SV301 that did not split

GUIDE_VERSIONS = {
    "professional": "005010X222A1",
    "institutional": "005010X223A2",
    "dental": "005010X224A2",
}
MAX_CLAIMS_PER_SET = 5000
# Loop 2300 repeats 100 times under a 2000B or 2000C, the same in all three guides.
MAX_CLAIMS_PER_HL = LOOP_REPEATS["professional"]["2300"]

# Structure problems that leave the 837's own segments where the models can see them: segments that are
# not part of an 837 at all (kept unmapped and written back). Any other structure problem means claim
# data sits in the wrong loop, and the claims it touches are not read.
_HARMLESS_STRUCTURE_ACKS = frozenset({"IK304:1", "IK304:6"})


class ClaimCheckError(CheckError):
    """Claims that `write_837` refuses (total charge ≠ Σ lines, a dangling diagnosis pointer, ...).

    `problems` lists every one, each as `"claim PCN1: reason"`; nothing was written.
    """

    what = "claim problem"
    # `problems`: each a `ClaimProblem` (its `about`, `element`, `code`), but for those found in
    # the text written (`written_x12_problems`, `read_back_problems`): plain text, typed so.


# -- reading --------------------------------------------------------------------------------------------


class ClaimReader:
    """Streams one `Claim` per 2300 loop of the 837s in a source, one transaction set in memory at a time.

    Problems of every kind (syntax, envelope, guide, structure, HL hierarchy, data) are collected in
    `diagnostics`, in input order, each with its segment number, line, loop and element, the control
    numbers of its set, and the claim (`context["claim"]`) when it is in a claim's loops. A claim that
    cannot become a model (its loops break the grammar, its HL parent is wrong, required data is
    missing) is skipped and reported; the other claims are still read. The claims of a set cut short
    by the end of the input are not read (`envelope.incomplete_set`: the last may have lost lines).
    A set whose ISA16 names another component separator than its composites use is read with theirs,
    said once (`envelope.component_separator`, see `resplit_composites`).
    With `strict=True` the first error found raises instead (warnings do not): `TokenizeError` for
    input that is not X12, `InputError` for syntax, envelope and guide errors, `StructureError` for
    the loop structure, `DataError` for the rest. A set's envelope problems (a wrong SE01) are found
    when its SE is read, before its loops and data, so they raise before a structure or data error earlier in the set.
    A file name that names no file raises `FileNotFoundError` when iteration starts. Iterating
    again reads the source again (a file object from where it stood when the reader was made;
    see `SourcePasses`).

    Example:
        >>> reader = ClaimReader(Path("claims.837"))                 # doctest: +SKIP
        >>> for claim in reader:                                     # doctest: +SKIP
        ...     print(claim.patient_control_number, claim.kind, claim.total_charge)
        >>> [str(d) for d in reader.diagnostics]                     # doctest: +SKIP
    """

    def __init__(self, source: Source, *, strict: bool = False) -> None:
        self.source = source
        self.strict = strict
        self.diagnostics: list[Diagnostic] = []
        self.claims_read = 0  # claims yielded
        self.claims_skipped = 0  # 2300 loops of the sets read so far that did not become a claim
        self._passes = SourcePasses(source)

    def __iter__(self) -> Iterator[Claim]:
        source = self._passes.next_pass()
        self.diagnostics.clear()
        self.claims_read = self.claims_skipped = 0
        reader = SetReader(source, "837", strict=self.strict)
        reader.diagnostics = self.diagnostics
        reader.name_claims = _name_claims
        results = reader.sets()
        while True:
            # The collector paused while one set is read; the caller holds the claims with it running.
            with collector_paused():
                mark = len(self.diagnostics)
                result = next(results, None)
                claims = [] if result is None else self._read_set(result, mark)
                if result is not None:
                    name_set(self.diagnostics, mark, result.ts)
            if result is None:
                return
            for claim in claims:
                self.claims_read += 1
                yield claim

    def _read_set(self, result: SetResult, mark: int) -> list[Claim]:
        if result.guide is None:  # not a guide edi reads (said): no claims of it are counted
            return []
        if result.root is None:  # a set cut short (said): none of its claims is read
            self.claims_skipped += sum(1 for seg in result.ts.segments if seg.id == "CLM")
            sort_by_position(self.diagnostics, mark)
            return []
        found: list[Diagnostic] = []
        set_reader = _SetClaims(result, ReadContext(found, result.diagnostics))
        claims = set_reader.read()

        def read_again(into: list[Diagnostic]) -> tuple[_SetClaims, list[Claim]]:
            again = _SetClaims(result, ReadContext(into, result.diagnostics))
            return again, again.read()

        resplit = resplit_composites(result.ts, found, _UNSPLIT, read_again)
        if resplit is not None:  # read again, its composites split: said once, not per composite
            (set_reader, claims), found = resplit
        if self.strict:  # the first raised with its set's numbers and its claim
            name_set(found, 0, result.ts)
            _name_claims(found, 0, result.root)
            raise_first_error(found)
        self.diagnostics.extend(found)
        self.claims_skipped += set_reader.skipped
        sort_by_position(self.diagnostics, mark)
        _name_claims(self.diagnostics, mark, result.root)
        return claims


def _name_claims(diagnostics: list[Diagnostic], start: int, root: Loop) -> None:
    """Give the diagnostics of one set (from `start`) placed in a claim's 2300 loop that claim's id
    (`context["claim"]`: its CLM01), so that a caller can tell which claims they concern."""
    if len(diagnostics) == start:
        return
    spans: list[tuple[int, int, str]] = []  # first and last segment offset, claim id; in order
    stack = [root]
    while stack:
        loop = stack.pop()
        for item in loop.items:
            if type(item) is not Loop:
                continue
            if item.id != "2300":
                stack.append(item)
                continue
            segments = list(item.iter_segments())
            clm = _opener(item, "CLM")  # after a stray the grammar kept with the claim, or first
            if clm is not None and clm.element(1):
                spans.append((segments[0].offset, segments[-1].offset, clm.element(1)))
    spans.sort()
    lows = [low for low, _, _ in spans]
    for n in range(start, len(diagnostics)):
        d = diagnostics[n]
        loc = d.location
        if loc is None or not (loc.offset or loc.segment_index) or "claim" in d.context:
            continue
        k = bisect_right(lows, loc.offset) - 1
        if k >= 0 and loc.offset <= spans[k][1]:
            diagnostics[n] = changed(d, context={**d.context, "claim": spans[k][2]})


def read_claims(source: Source, *, strict: bool = False) -> ClaimReader:
    """Read the claims of the 837s in `source` (a file name, a `Path`, bytes, X12 text or a file
    object, binary or text mode).

    Returns a `ClaimReader`: iterate it for one `Claim` per 2300 loop (streaming, in file order), then
    look at its `diagnostics`. `strict=True`: the first error found raises (`ClaimReader`).

    Example:
        >>> for claim in read_claims(Path("claims.837")):            # doctest: +SKIP
        ...     print(claim.id, claim.kind, claim.total_charge, len(claim.lines))
    """
    return ClaimReader(source, strict=strict)


class _SetClaims:
    """Reads the claims of one parsed 837 transaction set."""

    def __init__(self, result: SetResult, ctx: ReadContext) -> None:
        assert result.root is not None and result.guide is not None
        self.result = result
        self.root = result.root
        self.kind = result.guide.kind
        self.ctx = ctx
        self.skipped = 0
        self.hl_count = 0
        self.hl_after: str | None = None  # HL01 that counts on from one read out of the count
        # HL01 read out of the count → the number expected there: a child's HL02 may give either
        # (`HL*7**20*1` then `HL*2*1*22*0`: a typo in the parent's number costs no claim).
        self.hl_renumbered: dict[str, str] = {}
        self._loop_ids: dict[int, tuple[str, ...]] | None = None  # segment number → its loops
        # HLs the grammar read as another level than their HL03 says (`structure.wrong_qualifier`).
        self.relabeled = {
            d.location.segment_index
            for d in result.diagnostics
            if d.code == "structure.wrong_qualifier" and d.location is not None
        }
        # Segment numbers where a loop's first segment is said to be missing, before them.
        self.gaps = {
            d.location.segment_index
            for d in result.diagnostics
            if d.code == "structure.missing_segment" and d.location is not None
        }
        # Segment numbers of structure problems that make the data around them untrustworthy.
        self.broken = sorted(
            self._problem_indexes(
                d
                for d in result.diagnostics
                if d.code.startswith("structure.")
                and d.ack not in _HARMLESS_STRUCTURE_ACKS
                and d.location is not None
            )
            + self._before_missing_claims()
        )

    # -- the hierarchy -------------------------------------------------------------------------------

    def read(self) -> list[Claim]:
        ctx = self.ctx
        root = self.root
        first = next(
            (n for n, i in enumerate(root.items) if type(i) is Loop and i.id == "2000A"),
            len(root.items),
        )
        header_items = [i for i in root.items[:first] if i.id != "SE"]
        trailing = [
            i
            for i in root.items[first:]
            if not (type(i) is Loop and i.id == "2000A") and i.id != "SE"
        ]
        # Kept to be written back at the end of the set only from an HL of a known level on (a level
        # opened at the very end): a stray segment there, the remains of a claim that broke (reported, not read),
        # would be read into the last good claim once written back and break it.
        starts = [n for n, i in enumerate(trailing) if _opens_level(i)]
        trailing = trailing[starts[0] :] if starts else []
        header_loop = Loop("ST", "transaction", header_items)
        header = read_model(TransactionHeader, header_loop, ctx)
        header_ok = header is not None and not self._is_broken(header_loop)
        if header is not None:
            header.__pydantic_private__["_delimiters"] = self.result.ts.delimiters
            header.__pydantic_private__["_trailing"] = trailing
        out: list[Claim] = []
        for item in root.items:
            if type(item) is Loop and item.id == "2000A":
                self._billing_provider(item, header if header_ok else None, out)
        self._unplaced(len(out))
        return out

    def _unplaced(self, placed: int) -> None:
        """Report CLM segments the loop structure could not place in a claim loop (an early end)."""
        if not any(d.code.startswith("structure.") for d in self.result.diagnostics):
            # The grammar took the set as it is: every CLM opens a 2300 loop under a 2000B or 2000C,
            # and each of those was read or skipped. No need to scan the set's segments.
            return
        segments = self.result.ts.segments
        clms = [s for s in segments if s.id == "CLM"]
        missing = len(clms) - placed - self.skipped
        if missing > 0:
            st = segments[0]
            self.ctx.diagnostics.append(
                Diagnostic(
                    "claim.unplaced",
                    f"{missing} of the {len(clms)} claims of transaction set "
                    f"{shown_control(self.result.ts.control_number)} are not read: the loop structure around "
                    "them is incomplete (see the structure problems)",
                    Severity.ERROR,
                    Location(st.index, st.id, st.line, st.offset, "ST", "transaction"),
                )
            )
            self.skipped += missing

    def _read_merged(
        self, model: type[LoopModel], loop: Loop, children: tuple[str, ...]
    ) -> tuple[Loop, Any]:
        """An HL loop read as one model with its name loop (`_merge`, `NameLoop`); what is reported
        of a segment of the name loop (a subscriber's DMG) is placed in that loop (2010BA, not 2000B)."""
        merged = name_loop_of(model)
        assert merged is not None
        name_loop = merged.loop_id
        own = _merge(loop, name_loop, children)
        found = self.ctx.diagnostics
        mark = len(found)
        model_read = read_model(model, own, self.ctx)
        named = _child(loop, name_loop)
        if named is not None and len(found) > mark:
            inside = {seg.index for seg in named.iter_segments()}
            for n in range(mark, len(found)):
                at = found[n].location
                if at is not None and at.loop_id == loop.id and at.segment_index in inside:
                    at = replace(at, loop_id=named.id, loop_name=named.name)
                    found[n] = replace(found[n], location=at)
        return own, model_read

    def _billing_provider(
        self, loop: Loop, header: TransactionHeader | None, out: list[Claim]
    ) -> None:
        hl_number, hl_ok = self._check_hl(loop, "20", None)
        own, provider = self._read_merged(BillingProvider, loop, ("2000B",))
        why = _first_reason(
            (header is None, "the set's header (BHT, 1000A, 1000B) could not be read"),
            (provider is None, "its billing provider (2000A, 2010AA) could not be read"),
            (not hl_ok, "its billing provider's HL is wrong"),
            (
                self._is_broken(own),
                "its billing provider's loops (2000A, 2010AA) do not follow the guide",
            ),
        )
        context = {"billing_provider": provider, "header": header}
        if not any(type(c) is Loop and c.id == "2000B" for c in loop.items):
            self._no_claim(
                loop,
                "billing provider",
                "no subscriber level (2000B) and so no claim, which the guide requires",
                Severity.ERROR,
            )
        for child in loop.items:
            if type(child) is Loop and child.id == "2000B":
                self._subscriber(child, None if why else context, hl_number, out, why)

    def _subscriber(
        self,
        loop: Loop,
        context: dict[str, Any] | None,
        parent: str | None,
        out: list[Claim],
        why: str,
    ) -> None:
        """The claims of a 2000B and of its 2000C; `why` says why `context` (the billing
        provider's and the header's models) is None: its claims are then not read."""
        hl_number, hl_ok = self._check_hl(loop, "22", parent)
        self._doubts_before_claims(loop)
        own, subscriber = self._read_merged(Subscriber, loop, ("2010BB", "2300", "2000C"))
        payer_loop = _child(loop, "2010BB")
        payer = read_model(ClaimPayer, payer_loop, self.ctx) if payer_loop is not None else None
        # SBR01 is required in an SBR (its absence is said where the SBR is): no value, no SBR.
        has_sbr = subscriber is None or subscriber.payer_responsibility is not None
        if not has_sbr and _opener(loop, "HL") is not None:
            self._lacks(loop, "subscriber", "no SBR (subscriber information)")
        why = why or _first_reason(
            (subscriber is None, "its subscriber (2000B, 2010BA) could not be read"),
            (payer is None, "its payer (2010BB) could not be read"),
            (not has_sbr, "its subscriber level has no SBR, which the guide requires"),
            (not hl_ok, "its subscriber's HL is wrong"),
            (
                self._is_broken(own),
                "its subscriber's loops (2000B, 2010BA) do not follow the guide",
            ),
            (
                payer_loop is not None and self._is_broken(payer_loop),
                "its payer's loop (2010BB) does not follow the guide",
            ),
        )
        sub_context = None
        if context is not None and not why:
            sub_context = {**context, "subscriber": subscriber, "payer": payer}
        self._check_claim_repeats(loop, hl_number)
        if not any(type(c) is Loop and c.id in ("2300", "2000C") for c in loop.items):
            self._no_claim(
                loop, "subscriber", "no claim (2300) and no patient (2000C)", Severity.WARNING
            )
        for child in loop.items:
            if type(child) is not Loop:
                continue
            if child.id == "2300":
                if sub_context is not None:
                    self._claim(child, {**sub_context, "patient": None}, out)
                else:
                    self._skip(child, why)
            elif child.id == "2000C":
                self._patient(child, sub_context, hl_number, out, why)

    def _patient(
        self,
        loop: Loop,
        context: dict[str, Any] | None,
        parent: str | None,
        out: list[Claim],
        why: str,
    ) -> None:
        hl_number, hl_ok = self._check_hl(loop, "23", parent)
        self._doubts_before_claims(loop)
        own, patient = self._read_merged(Patient, loop, ("2300",))
        why = why or _first_reason(
            (patient is None, "its patient (2000C, 2010CA) could not be read"),
            (not hl_ok, "its patient's HL is wrong"),
            (self._is_broken(own), "its patient's loops (2000C, 2010CA) do not follow the guide"),
        )
        self._check_claim_repeats(loop, hl_number)
        if not any(type(c) is Loop and c.id == "2300" for c in loop.items):
            self._no_claim(
                loop, "patient", "no claim (2300), which the guide requires", Severity.ERROR
            )
        for child in loop.items:
            if type(child) is Loop and child.id == "2300":
                if context is not None and not why:
                    self._claim(child, {**context, "patient": patient}, out)
                else:
                    self._skip(child, why)

    # -- one claim ------------------------------------------------------------------------------------

    def _claim(self, loop: Loop, context: dict[str, Any], out: list[Claim]) -> None:
        ctx = self.ctx
        if self._is_broken(loop):
            self._skip(
                loop,
                "its loops do not follow the guide (see the structure problems reported in it)",
            )
            return
        line_loops = [child for child in loop.items if type(child) is Loop and child.id == "2400"]
        missing = ctx.missing
        said = len(ctx.diagnostics)
        lines: list[ServiceLine] = []
        for number, line_loop in enumerate(line_loops, 1):
            line = read_model(ServiceLine, line_loop, ctx)
            if line is not None:
                lines.append(line)
                service = line.professional or line.institutional or line.dental
                tag = _SERVICE_SEGMENT[self.kind]
                if service is None and _opener(line_loop, tag) is not None:
                    ctx.missing += 1  # there, but a value of it is invalid: said as that
                elif service is None:  # SV1/SV2/SV3 required (a line cut short: its LX moved)
                    ctx.loop_id, ctx.loop_name = "2400", line_loop.name
                    ctx.report(
                        "claim.line_without_service",
                        f"line {number} has no {tag}, which the guide requires",
                        line_loop.first_segment,
                        ack="IK304:3",
                    )
                    ctx.loop_id = ctx.loop_name = ""
                    ctx.missing += 1
            lx = line_loop.items[0] if line_loop.items else None  # a loop repaired without its LX
            # (the length first: this runs for every line, and nearly every LX has one element)
            if type(lx) is Segment and lx.id == "LX" and len(lx.elements) > 2:
                _check_last_element(lx, 1, "2400", line_loop.name, ctx)
            if type(lx) is Segment and lx.id == "LX" and lx.element(1) != str(number):
                ctx.loop_id, ctx.loop_name = "2400", line_loop.name
                ctx.report(
                    _LX_NUMBER,
                    f"LX01 is {shown_digits(lx.element(1))}, expected {number}: lines are numbered 1, 2, 3 in "
                    "each claim (renumbered when written)",
                    lx,
                    "LX01",
                    expected=(str(number),),
                    severity=Severity.WARNING,
                )
                ctx.loop_id = ctx.loop_name = ""
        restart = next(
            (
                (number, lx)
                for number, line_loop in enumerate(line_loops, 1)
                if number > 1
                and line_loop.items
                and type(lx := line_loop.items[0]) is Segment
                and lx.id == "LX"
                and lx.element(1) == "1"
            ),
            None,
        )
        if restart is not None:
            # The lines start again at LX*1: those from there on may be another claim's, whose
            # CLM (and HI) are missing, read into this one (the fuzzer: a line of PCN8002 read as
            # PCN8001's third). Not read rather than read with another's lines.
            ctx.diagnostics[said:] = [d for d in ctx.diagnostics[said:] if d.code != _LX_NUMBER]
            number, lx = restart
            ctx.loop_id, ctx.loop_name = "2400", line_loops[number - 1].name
            ctx.report(
                "claim.lines_restart",
                f"line {number} is LX*1: the claim's lines start again, so those from here may be "
                "another claim's, whose CLM is missing",
                lx,
                "LX01",
                expected=(str(number),),
            )
            ctx.loop_id = ctx.loop_name = ""
            self._skip(loop, f"its lines start again at LX*1 (line {number}): see that problem")
            return
        if said < len(ctx.diagnostics) and self._opener_missing(said):
            # Its lines are not read: their numbers (LX01) are nothing to say.
            ctx.diagnostics[said:] = [d for d in ctx.diagnostics[said:] if d.code != _LX_NUMBER]
            self._skip(loop, "a loop in it lacks its first segment (see the structure problem)")
            return
        extra = {**context, "kind": self.kind, "lines": lines, "envelope": self.result.envelope}
        claim = read_model(Claim, loop, ctx, extra)
        if claim is None or ctx.missing > missing:  # a required value missing or invalid
            self._skip(loop, "required data is missing or invalid")
            return
        if self._needs_composite_check(claim):
            _check_composites(claim, loop, ctx)
        out.append(claim)

    def _opener_missing(self, said: int) -> bool:
        """Whether a line or line adjudication read a second segment its guide gives it once and
        requires (the line's SV1, SV2 or SV3; the adjudication's DTP*573), which its model had no
        place for (`mapping.unplaced`, among the diagnostics from `said` on): the segment that opens
        the next such loop (LX, SVD) is missing, and its segments were read into the loop before.
        The grammar takes them there (a loop's segments may repeat, for what a file has past the
        guide's maximum), so the warning becomes an error here that costs the claim: read, the
        claim would lack a line or join two payers' adjudications. Said at the second segment."""
        once = _ONCE_IN_LOOP[self.kind]
        diagnostics = self.ctx.diagnostics
        for n in range(said, len(diagnostics)):
            d = diagnostics[n]
            loc = d.location
            if d.code != "mapping.unplaced" or loc is None or loc.loop_id not in once:
                continue
            tag, opener, name = once[loc.loop_id]
            shown = d.context.get("segment", "")  # SV1, SV2*450 (a short SV201 is shown), DTP*573
            if shown != tag and not (loc.loop_id == "2400" and shown.split("*")[0] == tag):
                continue
            diagnostics[n] = Diagnostic(
                "structure.missing_segment",
                f"loop {loc.loop_id} {loc.loop_name} has a second {tag}, which it has once: the "
                f"{opener} that opens the next {name} is missing before it, or before the segments "
                f"of that {name} that come first",
                Severity.ERROR,
                loc,
                (opener,),
                ack="IK304:3",
            )
            return True
        return False

    @staticmethod
    def _needs_composite_check(claim: Claim) -> bool:
        if claim.facility_code_qualifier is None:
            return True
        for code in claim.codes:
            if code.code is None:
                return True
        for line in claim.lines:
            service = line.professional or line.dental
            if service is not None and service.code is None:
                return True
        return False

    # -- checks and reports ------------------------------------------------------------------------------

    def _check_hl(self, loop: Loop, level: str, parent: str | None) -> tuple[str | None, bool]:
        """HL01 as read, and whether the HL is usable (its parent is the enclosing HL, its HL03 is
        this level's).

        Reports a wrong parent (error: the claims under it are not read), a wrong HL01 (error: it is
        renumbered when written) and a wrong HL04 (warning: it is computed when written).
        """
        hl = _opener(loop, "HL")
        if hl is None:
            # The grammar already reported the missing HL. It may have had a number: the next HL
            # may count on from it, as from an HL out of the count.
            self.hl_after = str(self.hl_count + 2)
            return None, False
        # Counted when present: an HL read out of place (after its level's loops were opened
        # without it) or missing does not put every HL after it one out.
        self.hl_count += 1
        expected = str(self.hl_count)
        ctx = self.ctx
        if len(hl.elements) > 5:  # the length first: nearly every HL has four elements
            _check_last_element(hl, 4, loop.id, loop.name, ctx)
        ctx.loop_id, ctx.loop_name = loop.id, loop.name
        try:
            number = hl.element(1)
            follows, self.hl_after = self.hl_after, None
            if number != expected and number == follows:
                # The HL before was out of the count and this one follows it: counted on from
                # there (an HL missing, a number skipped), said once, not at every HL after it.
                self.hl_count = int(number)
            elif number != expected:
                if number.isdigit() and number.isascii() and len(number) <= 18:
                    # Either count may go on: from this number (a skip), or from the one expected
                    # (a typo): the next HL tells which.
                    self.hl_after = str(int(number) + 1)
                self.hl_renumbered[number] = expected
                ctx.report(
                    "claim.hl_number",
                    f"HL01 is {shown_digits(number)}, expected {expected}: HL numbers count 1, 2, 3 through the "
                    "transaction set (renumbered when written)",
                    hl,
                    "HL01",
                    expected=(expected,),
                    ack="IK403:7",
                )
            given = hl.element(2)
            if (parent or "") != given and (
                parent is None or self.hl_renumbered.get(parent) != given
            ):
                if parent is None and hl.index in self.gaps:
                    # The enclosing level's HL is missing, said here: its number is not known.
                    return number, False
                shown = f"HL02 is {shown_digits(given)}" if given else "HL02 is empty"
                level_name = codes.name(codes.HL_LEVELS, level)
                enclosing = _ENCLOSING.get(level)
                if parent is None and enclosing is not None:
                    # The loop around it was repaired without its HL (one of another HL03 in its
                    # place, said where it was read): there is no parent to name.
                    what = (
                        f"the {enclosing} level around it has no HL of its own (one is missing, "
                        "or of another level)"
                    )
                    parents: tuple[str, ...] = ()
                else:
                    has = "no parent" if parent is None else f"parent {parent!r}"
                    what = f"this {level_name} level (HL03 {level}) has {has}"
                    parents = (parent or "(empty)",)
                ctx.report(
                    "claim.hl_parent",
                    f"{shown}, but {what}: the claims under it are not read",
                    hl,
                    "HL02",
                    expected=parents,
                    ack="IK403:7",
                )
                return number, False
            child_code = hl.element(4)
            has_children = _has_hl_child(loop)
            want = "1" if has_children else "0"
            if child_code != want:
                # A code is one character: anything longer is not quoted (it may be a name: PHI).
                shown = (
                    repr(child_code) if len(child_code) <= 2 else f"{len(child_code)} characters"
                )
                ctx.report(
                    "claim.hl_child_code",
                    f"HL04 is {shown}, expected {want}: this level "
                    f"{'has' if has_children else 'has no'} subordinate HL levels (corrected when "
                    "written)",
                    hl,
                    "HL04",
                    expected=(want,),
                    severity=Severity.WARNING,
                )
            level_code = hl.element(3)
            comp = hl.delimiters.component
            if level_code != level and comp in level_code and hl.index not in self.relabeled:
                # Read as this level by its first component (`22:X`): HL03 is written from the
                # level, so the rest would go without a word.
                ctx.report(
                    "claim.hl_level_code",
                    f"HL03 is {characters(len(level_code))} with the component separator, "
                    f"read as {level} ({codes.name(codes.HL_LEVELS, level)}): a code, not a "
                    f"composite (written as {level})",
                    hl,
                    "HL03",
                    expected=(level,),
                    ack="IK403:7",
                )
            # An HL03 of another level: the grammar read the HL as this level's and said so.
            return number, hl.index not in self.relabeled
        finally:
            ctx.loop_id = ctx.loop_name = ""

    def _check_claim_repeats(self, loop: Loop, hl_number: str | None) -> None:
        """Warn of claims past the guide's maximum under one subscriber or patient HL, at the first
        of them. The claims checks cannot see it (the writer groups claims under HLs again, at most
        100 a loop), so the reader says it; the claims are read all the same."""
        claims = [child for child in loop.items if type(child) is Loop and child.id == "2300"]
        allowed = LOOP_REPEATS[self.kind]["2300"]
        if len(claims) <= allowed:
            return
        first = claims[allowed].first_segment
        hl = f"this {loop.name} HL" + (f" (HL01 {hl_number})" if hl_number else "")
        ctx = self.ctx
        ctx.loop_id, ctx.loop_name = "2300", claims[allowed].name
        ctx.report(
            "claim.loop_repeats",
            f"loop 2300 (claim) repeats {len(claims)} times under {hl}; "
            f"{GUIDE_VERSIONS[self.kind]} allows {allowed} (written back under new HLs of at "
            f"most {allowed} claims)",
            first,
            severity=Severity.WARNING,
        )
        ctx.loop_id = ctx.loop_name = ""

    def _before_missing_claims(self) -> list[int]:
        """The segments just before a claim whose CLM is missing that the guide takes in a claim
        (2300): they may be that claim's, read into the claim before it (837I DTP*434 and DTP*435,
        837P DTP*454, in the last line of the claim before: the grammar has one DTP for every
        qualifier). They make that claim untrustworthy, as a structure problem in it would; a
        DTP*472 there (837P: a line's only) does not. So does what comes after the gap when it may
        be that claim's last line, cut (a line-only segment before its lines, or lines numbered on
        from the claim before's): the last segment before the gap is then returned."""
        gaps = [
            d.location.segment_index
            for d in self.result.diagnostics
            if d.code == "structure.missing_segment"
            and d.location is not None
            and d.location.loop_id == "2300"
        ]
        if not gaps:
            return []
        if self._loop_ids is None:
            self._loop_ids = {}
            _index_loops(self.root, self._loop_ids, ())
        segments = self.result.ts.segments
        assert self.result.guide is not None
        name = get_grammar(self.result.guide.grammar).loop_name
        out: list[int] = []
        for gap in gaps:
            index = gap - 1
            # Only inside the claim before: one in a level's loop (the payer's REF*F8) the grammar
            # said already (`structure.doubtful_segment`: no claim closes there).
            while 0 < index <= len(segments) and "2300" in self._loop_ids.get(index, ()):
                seg = segments[index - 1]
                loop = self._loop_ids[index][-1]
                if seg.id not in QUALIFIED_SEGMENTS or not takes_qualifier(
                    self.kind, "2300", seg.id, seg.element(1)
                ):
                    break
                out.append(index)
                self._doubtful(
                    seg,
                    loop,
                    name(loop),
                    f"comes just before a claim whose CLM is missing, and loop 2300 of "
                    f"{GUIDE_VERSIONS[self.kind]} takes it: it may be that claim's, so the claim "
                    "it is read in is not read",
                )
                index -= 1
            # And after it: the loop that lacks its CLM may be the claim before's last line, cut
            # by a segment the line has no place for (an 837D PWK, an HI: the grammar opened a
            # claim there). Two signs, either enough: before its lines, a segment a line takes
            # and a claim does not (DTP*441); or its lines not numbered from 1 (LX01 goes on from
            # the claim before's). A claim whose CLM alone was lost has its own lines, from LX*1.
            # The claim before is then not read rather than read without its tail.
            if "2300" not in self._loop_ids.get(gap - 1, ()):
                continue
            why = None
            index = gap
            while 0 < index <= len(segments) and "2300" in self._loop_ids.get(index, ()):
                seg = segments[index - 1]
                if seg.id == "CLM":
                    break  # the next claim
                inner = self._loop_ids[index][-1]
                qualifier = seg.element(1)
                if inner == "2400":  # its first line (one without its LX tells nothing here)
                    if seg.id == "LX" and qualifier != "1":
                        why = (
                            seg,
                            "opens the lines of a claim whose CLM is missing, numbered on from the "
                            "claim before's (not from 1): its last line may go on here, so that "
                            "claim is not read",
                        )
                    break
                if (
                    inner == "2300"
                    and seg.id in QUALIFIED_SEGMENTS
                    and takes_qualifier(self.kind, "2400", seg.id, qualifier)
                    and not takes_qualifier(self.kind, "2300", seg.id, qualifier)
                ):
                    why = (
                        seg,
                        f"is a line's in {GUIDE_VERSIONS[self.kind]}, not a claim's, and comes after "
                        "a claim whose CLM is missing: the last line of the claim before may go on "
                        "here, so that claim is not read",
                    )
                    break
                index += 1
            if why is not None:
                out.append(gap - 1)
                seg, text = why
                loop = self._loop_ids[seg.index][-1]
                self._doubtful(seg, loop, name(loop), text)
        return out

    def _doubts_before_claims(self, loop: Loop) -> None:
        """The segment just before each CLM of a level (the last of its payer's or patient's name
        loop, or of the claim before) when its loop does not take its qualifier and a claim does:
        the claim's, out of place before its CLM (a CLM swapped with its REF*F8 or DTP*434), read
        into a loop the grammar takes it in. Its loop is not trusted (`broken`), said as a warning:
        the claims it was shared with were read with it."""
        before: Loop | Segment | None = None
        for item in loop.items:
            # (a claim without its CLM: `_before_missing_claims` looks before it)
            if (
                type(item) is Loop
                and item.id == "2300"
                and type(before) is Loop
                and _opener(item, "CLM") is not None
            ):
                last: Segment | Loop
                last, inner = before, before
                while type(last) is Loop and last.items:
                    inner, last = last, last.items[-1]
                if (
                    type(last) is Segment
                    and last.id in QUALIFIED_SEGMENTS
                    and not takes_qualifier(self.kind, inner.id, last.id, last.element(1))
                    and takes_qualifier(self.kind, "2300", last.id, last.element(1))
                ):
                    insort(self.broken, last.index)
                    self._doubtful(
                        last,
                        inner.id,
                        inner.name,
                        f"is not used in loop {inner.id} of {GUIDE_VERSIONS[self.kind]} and comes "
                        "just before a CLM: it may be that claim's, out of place, so the loop it "
                        "is read in is not trusted",
                    )
            before = item

    def _doubtful(self, seg: Segment, loop_id: str, loop_name: str, why: str) -> None:
        """A warning that a segment read in `loop_id` may be a claim's (`_before_missing_claims`,
        `_doubts_before_claims`): `why` follows its ID and qualifier."""
        self.ctx.diagnostics.append(
            Diagnostic(
                "claim.doubtful_segment",
                f"{seg.id}*{seg.element(1)} {why}",
                Severity.WARNING,
                Location(seg.index, seg.id, seg.line, seg.offset, loop_id, loop_name),
            )
        )

    def _problem_indexes(self, problems: Iterable[Diagnostic]) -> list[int]:
        """The segments the structure problems count against (`_problem_index`). A loop missing its
        first segment inside a loop missing its own, both said at one segment (a whole 2000A
        missing: its HL and its 2010AA's NM1*85, said at the 2000B's HL), counts where the outer
        one does: the gap is in that loop, not in the one before it (the header)."""
        indexes: list[int] = []
        # Where the last missing first segment was said, if it counted there.
        outer: int | None = None
        for d in problems:
            assert d.location is not None
            at = d.location.segment_index
            index = self._problem_index(d)
            if d.code == "structure.missing_segment":
                if outer == at:
                    index = at
                outer = at if index == at else None
            indexes.append(index)
        return indexes

    def _problem_index(self, diag: Diagnostic) -> int:
        """The segment a structure problem counts against. A loop's missing first segment is
        reported at the segment after the gap; when that segment is not in the loop or a loop
        inside it (a missing NM1*40 before HL: 1000B holds nothing), the gap counts against the
        segment before it, in the loop that was open there (the header), not against the billing
        provider that follows. A missing HL before NM1*85 counts against the 2000A it would open
        (the NM1*85 is in its 2010AA), not against the claim before it."""
        assert diag.location is not None
        index = diag.location.segment_index
        if diag.code == "structure.incomplete_loop":
            return index - 1  # said at the HL that closes the loops: they are what is incomplete
        if diag.code != "structure.missing_segment":
            return index
        if self._loop_ids is None:
            self._loop_ids = {}
            _index_loops(self.root, self._loop_ids, ())
        return index if diag.location.loop_id in self._loop_ids.get(index, ()) else index - 1

    def _is_broken(self, loop: Loop) -> bool:
        """True when a structure problem sits among this loop's segments (the span they cover)."""
        if not self.broken:
            return False
        indexes = [s.index for s in loop.iter_segments() if s.index]
        if not indexes:
            return False
        low, high = min(indexes), max(indexes)
        # `broken` is sorted: one search, not a scan per loop (a file with a problem in each of its
        # 40,000 subscribers had taken 30 s, the hostile tester).
        at = bisect_left(self.broken, low)
        return at < len(self.broken) and self.broken[at] <= high

    def _no_claim(self, loop: Loop, level: str, lacks: str, severity: Severity) -> None:
        """An HL level under which no claim is read: its segments are in no claim, so no claim
        writes them back. Said, not lost silently: a warning for a 2000B with no 2300 and no 2000C
        (both situational in the maps), an error for a 2000A without a 2000B and a 2000C without
        a 2300 (required)."""
        hl = _opener(loop, "HL")
        if hl is None:
            return
        self.ctx.diagnostics.append(
            Diagnostic(
                "claim.level_without_claims",
                f"{level} HL {hl.element(1)!r} has {lacks}: it is in no claim read, so writing the "
                "claims back leaves it out",
                severity,
                Location(hl.index, hl.id, hl.line, hl.offset, loop.id, loop.name),
            )
        )

    def _lacks(self, loop: Loop, level: str, lacks: str) -> None:
        """An HL level without a segment the guide requires there (a subscriber's SBR): an error
        at its HL; its claims are not read (they would miss what it gives them)."""
        hl = _opener(loop, "HL")
        assert hl is not None
        self.ctx.diagnostics.append(
            Diagnostic(
                "claim.level_incomplete",
                f"{level} HL {hl.element(1)!r} has {lacks}, which the guide requires: the claims "
                "under it are not read",
                Severity.ERROR,
                Location(hl.index, hl.id, hl.line, hl.offset, loop.id, loop.name),
                ack="IK304:3",
            )
        )

    def _skip(self, loop: Loop, why: str) -> None:
        self.skipped += 1
        clm = _opener(loop, "CLM") or (loop.items[0] if loop.items else None)
        if type(clm) is not Segment:
            return
        # Named by its CLM01; a claim missing its CLM is "the claim at" its first segment (that
        # segment's first element may be a diagnosis or a name, not an id).
        # One without CLM01 is "the claim at CLM", not "claim ''".
        name = repr(clm.element(1)) if clm.id == "CLM" and clm.element(1) else f"at {clm.id}"
        self.ctx.diagnostics.append(
            Diagnostic(
                CLAIM_SKIPPED,
                f"claim {name} is not read: {why}",
                Severity.ERROR,
                Location(clm.index, clm.id, clm.line, clm.offset, "2300", "claim"),
            )
        )


_SERVICE_SEGMENT = {"professional": "SV1", "institutional": "SV2", "dental": "SV3"}
_LX_NUMBER = "claim.line_number"  # a line's LX01 out of the count (a warning)
# Per claim kind and loop: the segment its guide gives the loop once and requires (maps: usage R,
# max use 1), the segment that opens the loop, and what the loop is.
_ONCE_IN_LOOP = {
    kind: {"2400": (service, "LX", "service line"), "2430": ("DTP*573", "SVD", "adjudication")}
    for kind, service in _SERVICE_SEGMENT.items()
}


def _opener(loop: Loop, seg_id: str) -> Segment | None:
    """The segment that opens a loop (its HL, its CLM): its first item, or the first after the
    strays the grammar kept with the loop that follows them (`SegmentGrammar._opened_after`).
    None for a loop repaired without it."""
    for item in loop.items:
        if type(item) is not Segment:
            return None
        if item.id == seg_id:
            return item
    return None


def _first_reason(*reasons: tuple[bool, str]) -> str:
    """The first reason that holds ("" for none): why the claims under a level are not read, said
    of each of them (`claim 'PCN1' is not read: its payer (2010BB) could not be read`), the loop
    named, its problems said where they were read."""
    return next((why for holds, why in reasons if holds), "")


# The level whose HL is the parent of a subscriber (22) or patient (23) level.
_ENCLOSING = {"22": "billing provider", "23": "subscriber"}


def _opens_level(item: Segment | Loop) -> bool:
    """Whether an item starts with an HL of a level the grammar knows (20, 22, 23): read again, only
    such an HL closes the loops before it."""
    seg = item if type(item) is Segment else item.first_segment  # type: ignore[union-attr]
    return seg is not None and seg.id == "HL" and seg.element(3) in ("20", "22", "23")


def _child(loop: Loop, loop_id: str) -> Loop | None:
    """The first child loop with this ID."""
    for item in loop.items:
        if type(item) is Loop and item.id == loop_id:
            return item
    return None


def _has_hl_child(loop: Loop) -> bool:
    """Whether an HL loop holds a subordinate HL loop (2000B under 2000A, 2000C under 2000B)."""
    for item in loop.items:  # a plain loop: any() over a generator costs more per item
        if type(item) is Loop and item.id[:4] == "2000":
            return True
    return False


def _merge(loop: Loop, name_loop: str, children: tuple[str, ...]) -> Loop:
    """An HL loop read as one model: its own segments with those of its name loop spliced in, and
    without the child loops the hierarchy reads on its own."""
    items: list[Segment | Loop] = []
    for item in loop.items:
        if type(item) is Loop:
            if item.id == name_loop:
                items.extend(item.items)
                continue
            if item.id in children:
                continue
        items.append(item)
    return Loop(loop.id, loop.name, items)


def _index_loops(loop: Loop, out: dict[int, tuple[str, ...]], around: tuple[str, ...]) -> None:
    """Segment number → the IDs of the loops that hold it, outermost first."""
    path = (*around, loop.id)
    for item in loop.items:
        if type(item) is Loop:
            _index_loops(item, out, path)
        elif item.index:
            out[item.index] = path


def _check_last_element(seg: Segment, last: int, loop_id: str, name: str, ctx: ReadContext) -> None:
    """An element past the last of a segment the writer makes of its own values (HL, LX): said,
    as it is not kept (`HL*2*1*22*1*X`)."""
    found = past_last_problem(seg, last)
    trailing = trailing_separator_problem(seg, last) if found is None else None
    if found is not None or trailing is not None:
        saved = (ctx.loop_id, ctx.loop_name)
        ctx.loop_id, ctx.loop_name = loop_id, name
        if found is not None:
            ctx.report("syntax.too_many_elements", found[1], seg, found[0], ack="IK403:3")
        elif trailing is not None:
            ref, message = trailing
            ctx.report("syntax.trailing_separator", message, seg, ref, severity=Severity.WARNING)
        ctx.loop_id, ctx.loop_name = saved


def _check_composites(claim: Claim, loop: Loop, ctx: ReadContext) -> None:
    """Report composites that did not split (CLM05, HI, SV101, SV301): usually a wrong ISA16."""
    clm = loop.items[0]
    assert type(clm) is Segment
    comp = clm.delimiters.component

    def report(seg: Segment, where: str, text: str, what: str, loop_id: str, name: str) -> None:
        # CLM05 holds codes (facility, qualifier, frequency), quoted while each part looks like one;
        # a diagnosis (HI) or procedure (SV101, SV301) is PHI, as is a name in the wrong element:
        # its length and the separators it holds tell enough.
        quoted = seg.id == "CLM" and all(not p or is_code(p) for p in text.split(comp))
        shown = repr(text) if quoted else text_shape(text)
        if comp in text:
            message = f"{where} is {shown}: {what} is missing"
        else:
            message = (
                f"{where} is {shown}: no {what}, and no component separator {comp!r} (is the "
                "component separator really the one ISA16 says?)"
            )
        ctx.diagnostics.append(
            Diagnostic(
                "claim.composite",
                message,
                Severity.ERROR,
                Location(seg.index, seg.id, seg.line, seg.offset, loop_id, name, where),
                ack="IK403:1",
            )
        )

    if claim.facility_code_qualifier is None and clm.element(5):
        report(clm, "CLM05", clm.element(5), "facility code qualifier (CLM05-02)", "2300", "claim")
    his = [s for s in loop.items if type(s) is Segment and s.id == "HI"]
    seg: Segment | Loop  # an HI, then each item of a line
    for seg in his:
        for n, composite in enumerate(seg.elements[1:], 1):
            parts = composite.split(comp)
            if composite and (len(parts) < 2 or not parts[1]):
                report(seg, f"HI{n:02d}", composite, f"code (HI{n:02d}-02)", "2300", "claim")
    for line_loop in (c for c in loop.items if type(c) is Loop and c.id == "2400"):
        for seg in line_loop.items:
            if type(seg) is Segment and seg.id in ("SV1", "SV3"):
                parts = seg.element(1).split(comp)
                if len(parts) < 2 or not parts[1]:
                    where = f"{seg.id}01"
                    what = f"procedure code ({where}-02)"
                    report(seg, where, seg.element(1), what, "2400", "service line")


# -- writing ----------------------------------------------------------------------------------------


def _same(a: object, b: object) -> bool:
    return a is b or a == b


def _same_loop(a: Claim, b: Claim, x: object, y: object) -> bool:
    """Whether consecutive claims `a` and `b`, whose objects at one HL level are `x` and `y`, go under
    one HL loop of that level. Claims read from a file keep the loops they were read in: the claims of
    one loop share its object, so identity decides (files often repeat an equal subscriber in a new
    2000B for each claim). Claims built in code share a loop when the objects are equal."""
    if x is y:
        return True
    if _was_read(a) or _was_read(b):
        return False
    return x == y


def _sorted_providers(providers: list[Provider], kind: str, level: str) -> list[Provider] | None:
    """The providers in the order of their loops in the guide, or None when already in that order."""
    if len(providers) < 2:
        return None
    table = codes.PROVIDER_LOOPS[kind][level]
    keys = [table.get(p.role, "~") for p in providers]
    if all(a <= b for a, b in zip(keys, keys[1:], strict=False)):
        return None
    order = sorted(range(len(providers)), key=keys.__getitem__)
    return [providers[i] for i in order]


def _in_guide_order(claim: Claim) -> Claim:
    """The claim with its provider lists in guide order (a copy only when something moves)."""
    kind = claim.kind
    update: dict[str, Any] = {}
    moved = _sorted_providers(claim.providers, kind, "2310")
    if moved is not None:
        update["providers"] = moved
    payers = _with_sorted_providers(claim.prior_payers, kind, "2330")
    if payers is not None:
        update["prior_payers"] = payers
    lines = _with_sorted_providers(claim.lines, kind, "2420")
    if lines is not None:
        update["lines"] = lines
    return claim.model_copy(update=update) if update else claim


def _with_sorted_providers(owners: list[Any], kind: str, level: str) -> list[Any] | None:
    """Prior payers or lines with their providers in guide order (copies of those whose providers
    move), or None when none moves."""
    out = []
    changed = False
    for owner in owners:
        moved = _sorted_providers(owner.providers, kind, level)
        if moved is not None:
            owner = owner.model_copy(update={"providers": moved})
            changed = True
        out.append(owner)
    return out if changed else None


class _SetWriter:
    """The segments of one 837 transaction set (ST up to, not including, SE)."""

    def __init__(self, delimiters: Delimiters, checked: bool = False) -> None:
        self.d = delimiters
        self.wctx = WriteContext(delimiters, checked)
        self.out: list[Segment] = []
        self.hl = 0
        self.as_read = False

    def _hl(self, parent: int | None, level: str, child: bool) -> Segment:
        self.hl += 1
        return Segment(
            [
                "HL",
                str(self.hl),
                "" if parent is None else str(parent),
                level,
                "1" if child else "0",
            ],
            self.d,
        )

    def _emit(
        self,
        model: Any,
        custom: dict[str, list[Segment | Loop]] | None = None,
        computed: dict[str, list[Segment]] | None = None,
    ) -> None:
        """Append the segments of a model's loop (`write_model`, without making the loops)."""
        write_flat(model, self.wctx, self.out, custom, computed)

    def write(self, claims: list[Claim], st: Segment) -> list[Segment]:
        header = claims[0].header
        # Claims read keep their providers in the order read; a set holds only claims read from one
        # set, or only claims built in code (`_same_set`).
        self.as_read = _from_file(claims[0].envelope)
        # A model not read (made in code or from JSON, or rebuilt with `model_construct`) writes its
        # segments of one position in the order this kind's guide lists them (`mapping.write_flat`);
        # one read keeps its order.
        self.wctx.listing = claims[0].kind
        self._emit(header, computed={"ST": [st], "SE": []})
        for provider_claims in _runs(claims, lambda c: c.billing_provider):
            self._billing_provider(provider_claims)
        trailing = header.__pydantic_private__.get("_trailing")  # type: ignore[union-attr]
        if trailing:
            segments_of([redelimit(item, self.wctx) for item in trailing], self.out)
        return self.out

    def _billing_provider(self, claims: list[Claim]) -> None:
        hl = self._hl(None, "20", True)
        number = self.hl
        self._emit(claims[0].billing_provider, computed={"HL": [hl]})
        for group in _subscriber_runs(claims):
            self._subscriber(group, number)

    def _subscriber(self, claims: list[Claim], parent: int) -> None:
        first = claims[0]
        has_patients = any(c.patient is not None for c in claims)
        hl = self._hl(parent, "22", has_patients)
        number = self.hl
        self._emit(first.subscriber, computed={"HL": [hl]})
        self._emit(first.payer)
        direct = [c for c in claims if c.patient is None]  # at most 100 (`_subscriber_runs`)
        for claim in direct:
            self._claim(claim)
        rest = claims[len(direct) :]
        for patient_claims in _runs(rest, lambda c: c.patient):
            for at in range(0, len(patient_claims), MAX_CLAIMS_PER_HL):
                hl = self._hl(number, "23", False)
                patient = patient_claims[0].patient
                assert patient is not None
                self._emit(patient, computed={"HL": [hl]})
                for claim in patient_claims[at : at + MAX_CLAIMS_PER_HL]:
                    self._claim(claim)

    def _claim(self, claim: Claim) -> None:
        if not self.as_read:
            claim = _in_guide_order(claim)
        d = self.d
        wctx = self.wctx
        # The segments of all lines, flat; a claim written in the order it was read places its
        # lines by loop, so it gets one loop per line.
        kept = keeps_layout(claim)
        lines: list[Any] = []
        for n, line in enumerate(claim.lines, 1):
            lx = {"LX": [Segment(["LX", str(n)], d)]}
            if kept:
                segments: list[Any] = []
                write_flat(line, wctx, segments, computed=lx)
                lines.append(Loop(type(line).loop_id or "", "", segments))
            else:
                write_flat(line, wctx, lines, computed=lx)
        self._emit(claim, custom={"2400": lines})


def _runs(claims: list[Claim], key: Any) -> Iterator[list[Claim]]:
    """Consecutive claims whose `key` objects go under one HL loop (see `_same_loop`)."""
    run: list[Claim] = []
    current: object = None
    for claim in claims:
        value = key(claim)
        if run and _same_loop(run[-1], claim, current, value):
            run.append(claim)
            continue
        if run:
            yield run
        run = [claim]
        current = value
    if run:
        yield run


def _subscriber_runs(claims: list[Claim]) -> Iterator[list[Claim]]:
    """Claims of one 2000B: same subscriber and payer. A claim of the subscriber as patient cannot
    follow a 2000C of the same 2000B (the guides put those claims first), so it starts a new 2000B.
    In 837I a dependant's claim after the subscriber's own claims starts a new 2000B too: pyx12's
    X223 map places 2000C before 2300 (position 0200 < 1300), so it accepts no 2000C after a 2300.
    The 101st claim of the subscriber as patient starts a new 2000B (2300 repeats 100 times)."""
    run: list[Claim] = []
    direct = 0
    for claim in claims:
        if run:
            last = run[-1]
            same = _same_loop(last, claim, last.subscriber, claim.subscriber) and _same_loop(
                last, claim, last.payer, claim.payer
            )
            if claim.patient is None:
                fits = last.patient is None and direct < MAX_CLAIMS_PER_HL
            else:
                fits = last.patient is not None or claim.kind != "institutional"
            if same and fits:
                run.append(claim)
                direct += int(claim.patient is None)
                continue
            yield run
        run = [claim]
        direct = int(claim.patient is None)
    if run:
        yield run


def _from_file(envelope: EnvelopeInfo | None) -> bool:
    """True for the envelope of claims read from an interchange or group (it knows where it was
    read; that is no part of its value, so equality cannot tell)."""
    if envelope is None:
        return False
    header = envelope.interchange or envelope.group
    return header is not None and header.__pydantic_private__.get("_origin") is not None  # type: ignore[union-attr]


def _was_read(claim: Claim) -> bool:
    """Whether a claim was read from X12, in an envelope or in a bare ST..SE set (`read_at`): its
    loops and set are those it was read in, told apart by identity, not by value."""
    return claim.read_at is not None or _from_file(claim.envelope)


def _same_set(a: Claim, b: Claim) -> bool:
    """Whether claim `b` goes in the transaction set of claim `a`. Claims read from a file stay in the
    set they came from (envelope objects are shared by the claims of one set, so identity decides even
    when two sets of a file repeat the same control numbers); claims built in code share a set when
    their envelopes and headers are equal."""
    if a.kind != b.kind:
        return False
    if a.envelope is not b.envelope:
        if _was_read(a) or _was_read(b) or a.envelope != b.envelope:
            return False
    if a.header is not b.header and _read_with(a) != _read_with(b):
        return False  # one set is written with one set of delimiters (`SetDelimiters`)
    return _same(a.header, b.header)


def _read_with(claim: Claim) -> Delimiters | None:
    """The delimiters `claim` was read with (None: made in code or loaded from JSON)."""
    return claim.header.__pydantic_private__.get("_delimiters")  # type: ignore[union-attr]


def _set_runs(claims: Iterable[Claim]) -> Iterator[list[Claim]]:
    """Claims of one transaction set: same kind, envelope and header; at most 5,000. A claim joins the
    set of an earlier claim it belongs with even when others came between (P, I, P: two sets, not
    three); sets come in the order of their first claims."""
    runs: list[list[Claim]] = []
    # Runs not yet full, by kind and (for claims read) the envelope object of the set read.
    open_runs: dict[tuple[str, int], list[list[Claim]]] = {}
    run: list[Claim] = []
    for claim in claims:
        if run and len(run) < MAX_CLAIMS_PER_SET:
            last = run[-1]  # the common case: the next claim of a set read shares its objects
            if claim.envelope is last.envelope and claim.header is last.header:
                if claim.kind == last.kind:
                    run.append(claim)
                    continue
        envelope = claim.envelope
        key = (claim.kind, id(envelope) if _from_file(envelope) else 0)
        candidates = open_runs.setdefault(key, [])
        found = next(
            (
                r
                for r in reversed(candidates)
                if len(r) < MAX_CLAIMS_PER_SET and _same_set(r[-1], claim)
            ),
            None,
        )
        if found is None:
            found = []
            runs.append(found)
            candidates.append(found)
        run = found
        run.append(claim)
    yield from runs


def _version(claim: Claim) -> str:
    envelope = claim.envelope
    if envelope is not None and envelope.group is not None:
        return envelope.group.version
    return GUIDE_VERSIONS[claim.kind]


def transaction_segments(
    claims: list[Claim], delimiters: Delimiters, checked: bool = False
) -> list[Segment]:
    """The segments of one 837 transaction set holding `claims` (all of one kind and header), from ST up
    to, but not including, SE. `checked`: refuse what X12 forbids though edi reads it back as written
    (`WriteContext`)."""
    envelope: EnvelopeInfo | None = claims[0].envelope
    st02 = envelope.set_control_number if envelope is not None else "0001"
    st = ["ST", "837", st02]
    if envelope is None:
        st.append(GUIDE_VERSIONS[claims[0].kind])
    elif envelope.implementation_reference:
        st.append(envelope.implementation_reference)
    return _SetWriter(delimiters, checked).write(claims, Segment(st, delimiters))


def claims_given(claims: Iterable[Claim], function: str) -> Iterator[Claim]:
    """The claims `function` (`write_837`, `check_claims`) is given, one by one as they stream
    (`each_of`)."""
    return each_of(Claim, claims, function, _CLAIMS_FROM)


# Where claims come from, said when text or JSON is given for them.
_CLAIMS_FROM = " (edi.read_claims reads X12, edi.load_claims claim JSON)"


def write_837(
    claims: Iterable[Claim],
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
    """The X12 text of 837 claims: HL hierarchy, transaction sets and envelopes, with every count.

    Consecutive claims with the same billing provider, subscriber (and payer) and patient share their
    HL loops (at most 100 claims under one); claims of one kind with the same header and envelope share
    a transaction set (at most 5,000 claims), in the order of their first claims.

    Delimiters: claims that carry the interchange they were read in are written with the
    delimiters they were read with (separators and line break), each interchange with its own, so
    a file whose interchanges differ in them is written back as read; the others (made in code,
    loaded from JSON, read without an ISA, or with their envelopes replaced by an envelope
    argument) with those the first claim was read with, else `* ^ : ~` with a line break after each
    segment. `delimiters` given applies to every claim; `line_break` ("", "\\n", "\\r\\n")
    overrides the line break of every one (each interchange keeping its separators). One
    interchange has one set of delimiters: claims that carry the same interchange but were read
    with different ones (two reads, edited) are written in two, the second renumbered
    (`SetDelimiters`).

    Envelopes: claims that carry one (`claim.envelope`: claims read, or loaded from JSON that has it)
    are written in it (ISA, GS, ST02), so writing them gives back what was read; the others get one
    from the envelope arguments: `sender_id` and `receiver_id` (ISA06, ISA08, and GS02, GS03 unless
    `application_sender` / `application_receiver` are given), their qualifiers (ISA05, ISA07),
    `usage` (ISA15), `acknowledgment_requested` (ISA14, "1" for a TA1) and the first control numbers
    (ISA13, GS06, ST02), counting up; each left at None is `SENDER`, `RECEIVER`, `ZZ`, `P`, `0` or 1.
    An envelope argument given replaces the envelopes the claims carry, all of them and as a whole:
    every ISA, GS and ST02 is made from the arguments, so that a re-sent claim never goes out with
    its old control numbers or half of another envelope. The claims keep their sets, HL loops and
    guide version (GS08, ST03) as read. `when` (ISA09-10, GS04-05; now by default) only dates the
    envelopes made: alone, it replaces none.

    With `check` (the default) every claim is checked first (`check_claims`: CLM02 = Σ line charges,
    diagnosis pointers, REF*F8 on replacements and voids, ...), and the text written is read again
    with the grammar of each claim's guide (`read_back_problems`: data the claim kind has no place
    for, such as an operating physician's taxonomy in an 837I). `ClaimCheckError` lists every claim
    that fails; nothing is returned then. A simple element that holds the component separator (a read
    `NM1*82:X`: X12 forbids it) is refused too; without `check` it is written back as it was read.
    So is an envelope the claims carry that breaks the rules of the envelopes made from the
    arguments (`EnvelopeChecker`: an ISA06 of 16 characters, an ISA13 of letters, an ISA without a
    GS), but for the values read from a file, written back as read.

    Example:
        >>> text = write_837(read_claims(Path("claims.837")))         # doctest: +SKIP
    """
    items = list(claims_given(claims, "write_837"))
    if not items:
        return ""
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
    try:
        return _written(items, delimiters, line_break, defaults, replaced, check)
    except Exception as exc:
        # A claim made or changed around pydantic (`model_construct`, `__dict__`) with a field it
        # refuses: said as the claim's problem, rather than the Python error it led to. Looked
        # for only now, so it costs nothing otherwise; none found, the error is edi's own.
        from edi.transactions.claim_checks import unvalidated_problems  # (imports this module)

        if not not_edis(exc):
            raise

        # Walking every claim took a millisecond each: first the claims that fail on their own.
        # Each written again with the same arguments, `defaults` is copied (it counts up).
        def write(part: list[Claim]) -> object:
            return _written(part, delimiters, line_break, copy(defaults), replaced, check)

        refused = unvalidated_problems(items, failing(items, write))
        if not refused:
            raise
        if check:
            raise ClaimCheckError(refused) from None
        raise WriteError("; ".join(refused), list(refused)) from None


def failing(items: list[Any], write: Callable[[list[Any]], object]) -> list[Any]:
    """The items that `write`, which fails on all of them with a Python error (not an
    `EdiError`), fails on alone, found by halves: a few writes of halves, rather than one per
    item. All of them when none fails alone (then only together)."""
    found: list[Any] = []

    def search(part: list[Any]) -> None:
        try:
            write(part)
        except Exception as exc:
            if not_edis(exc):
                halves(part)

    def halves(part: list[Any]) -> None:
        if len(part) == 1:
            found.append(part[0])
            return
        middle = len(part) // 2
        search(part[:middle])
        search(part[middle:])

    halves(items)
    return found or items


def _written(
    items: list[Claim],
    delimiters: Delimiters | None,
    line_break: str | None,
    defaults: EnvelopeDefaults,
    replaced: bool,
    check: bool,
) -> str:
    """`write_837` of `items`, its envelope arguments made into `defaults` (`replaced`: whether
    they replace the envelopes the claims carry)."""
    problems: list[ClaimProblem] = []
    if check:
        from edi.transactions.claim_checks import problems_to_write

        problems = problems_to_write(items)
    # Each set keeps the delimiters of the interchange it carries, unless replaced or given.
    rule = SetDelimiters(delimiters, _read_with(items[0]), line_break, own=not replaced)
    chosen = rule.chosen

    def delimiters_of(claim: Claim) -> Delimiters:
        return rule(_read_with(claim), claim.envelope)

    carried: list[ClaimProblem] = []
    if check and not replaced:  # the envelopes the claims carry are written: checked as made ones
        checker = EnvelopeChecker(chosen)
        carried = [
            ClaimProblem(
                f"claim {short_id(claim.patient_control_number)}: envelope: {problem}",
                claim,
                code=ENVELOPE,
            )
            for claim in items
            if claim.envelope is not None
            for envelopes in (checker.written_with(delimiters_of(claim)),)
            for problem in envelopes.unsaid(
                envelopes.problems(claim.envelope)
                + claim_group_problems(claim.envelope, guide_of_kind(claim.kind))
            )
        ]
        problems += carried
    if problems:
        # Refused: with every claim's problems, a value the writer could not write too (one found
        # first hid the others, and a user fixed them one run at a time).
        problems = [*problems_to_write(items, delimiters=delimiters, writable=True), *carried]
        raise ClaimCheckError(problems)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        sets = (
            (
                None if replaced else run[0].envelope,
                transaction_segments(run, d, check),
                _version(run[0]),
                d,
            )
            for run in _set_runs(items)
            for d in (delimiters_of(run[0]),)
        )
        text = write_envelopes(
            sets,
            functional_id=_FUNCTIONAL_ID,
            delimiters=chosen,
            defaults=defaults,
            carried=() if replaced else carried_isa13s(items),
        )
        # Still with the collector paused: reading makes as many objects as writing did.
        written: list[str] = []
        if check:
            from edi.transactions.claim_writable import written_x12_problems  # (imports this)

            written = written_x12_problems(text, items, delimiters_of)
            written += read_back_problems(text, chosen)
            if not written:
                written = mapped_back_problems(text, len(items))
    except WriteError as exc:
        # (imports this module)
        from edi.transactions.claim_checks import cas_number_problems, name_write_problems

        parts = [
            (
                f"claim {short_id(claim.patient_control_number)}",
                lambda claim=claim, d=d: transaction_segments([claim], d, check),
                d,
            )
            for claim in items
            for d in (delimiters_of(claim),)
        ]
        if not replaced:  # then an id of an ISA or GS the claims carry may hold a delimiter
            parts += [
                (
                    f"claim {short_id(claim.patient_control_number)}: envelope",
                    lambda envelope=claim.envelope, d=d: envelope_segments(envelope, d),
                    d,
                )
                for claim in items
                if claim.envelope is not None
                for d in (delimiters_of(claim),)
            ]

        def words(k: int, found: list[str]) -> list[str]:
            if k >= len(items):  # an envelope's: said as it is
                return found
            # CAS numbers no CAS could hold: named after the prior payer or line, as the checks do.
            numbered = cas_number_problems(items[k])
            if numbered:
                return list(numbered)
            # Each model's problems, all of them; the claim's words when none is a model's own.
            placed = name_write_problems(items[k], delimiters_of(items[k]), everywhere=True)
            return list(placed) or found

        if check:
            # A value the writer cannot write, said of every claim that has one, as `check_claims`
            # says them (the first claim's alone before).
            from edi.transactions.claim_checks import problems_to_write

            every = problems_to_write(items, delimiters=delimiters, writable=True)
            if every:
                # ClaimProblems are str; the list is the error's alone.
                raise WriteError("; ".join(every), cast("list[str]", every)) from None
        raise locate_write_error(exc, parts, words) from None
    finally:
        if was_enabled:
            gc.enable()
    if written:
        raise ClaimCheckError(written)
    return text


def read_back_problems(text: str, delimiters: Delimiters) -> list[str]:
    """What the grammar of each claim's guide finds wrong in `text` as written, by claim.

    The models hold more than one guide allows: a provider's taxonomy or address where the claim kind
    has no PRV or N3 in that loop, a subscriber's weight outside the 837P. Such a claim would be
    written but not read back, by edi or by a payer; reading the text again with the grammar, the one
    place the loop structure lives, finds them all. Each problem names the claim whose loop holds
    the segment (for a segment above the claims, the first claim under it). So does an envelope,
    syntax or guide error (a GS08 naming no supported guide): all but those of envelope values
    written back as read (`KEPT_AS_READ`), named after the first claim after it. `delimiters`:
    those of the text where it has no interchange read (each interchange is read with its own).
    """
    data = encoded(text)
    reader = SetReader(data, "837")
    starts: list[int] = []  # of each interchange read (else set), with its delimiters
    delimiters_at: list[Delimiters] = []
    for result in reader.sets():
        ts = result.ts
        isa = ts.interchange.header if ts.interchange is not None else None
        start = (isa or ts.header).offset
        if not starts or start > starts[-1]:
            starts.append(start)
            delimiters_at.append(ts.delimiters)
    problems: dict[str, str] = {}  # claim → its first problem (what follows may only be its echo)
    for diag in reader.diagnostics:
        where = diag.location
        if len(starts) > 1 and where is not None:  # interchanges written with other delimiters
            delimiters = delimiters_at[max(bisect_right(starts, where.offset) - 1, 0)]
        if diag.code.startswith(_UNREAD) and diag.severity in (Severity.ERROR, Severity.FATAL):
            if diag.code not in KEPT_AS_READ:
                # An envelope edi would not read its claims in (or not as written): the carried
                # values were checked before writing, so this is one no rule foresaw.
                at = data.find(f"CLM{delimiters.element}".encode(), where.offset if where else 0)
                end = data.find(delimiters.element.encode(), at + 4)
                claim = data[at + 4 : end].decode("utf-8", "surrogateescape") if at >= 0 else "?"
                problems.setdefault(
                    claim, f"claim {claim}: envelope: as written, edi reads it back with: {diag}"
                )
            continue
        # Else only where the grammar puts segments; a CLM's own diagnostic says that the claim was
        # not read, and the cause follows it.
        if not diag.code.startswith("structure.") or where is None or where.segment_id == "CLM":
            continue
        claim = _claim_around(data, where.offset, delimiters)
        opener = _opener_before(data, where.offset, delimiters)
        problems.setdefault(
            claim,
            f"claim {claim}: {where.segment_id} written in the loop of {opener} has no place there "
            f"in the guide of this claim kind; leave out what the kind does not use there (read "
            f"back: {diag})",
        )
    return list(problems.values())


_UNREAD = ("syntax.", "envelope.", "guide.")  # what keeps sets from being read (as written)


def mapped_back_problems(text: str, count: int) -> list[str]:
    """The claims of `text`, `count` written, that reading it back into claims loses, each with the
    cause the reader gives (rather than its `not read`): in the claim, or above it (its subscriber,
    the set's header), the nearest before it. The checks trust what pydantic validated; a value
    given around it (`model_copy(update=...)`, `model_construct`) that no check foresaw, an empty
    LIN02, was written in a claim that edi, and a payer, would not read back (the JSON fuzz
    tester). A value kept as read that the reader flags (`1:X:2`) costs no claim: not said here."""
    reader = read_claims(text)
    read = sum(1 for _ in reader)
    if read == count:
        return []
    errors = [d for d in reader.diagnostics if d.severity in (Severity.ERROR, Severity.FATAL)]
    own: dict[str, Diagnostic] = {}  # each claim's likeliest cause (`_cause_rank`)
    lost: dict[str, Diagnostic] = {}  # each claim not read, with the last error above it before
    above: Diagnostic | None = None  # the last error outside any claim's loops so far
    for diag in errors:
        claim = diag.context.get("claim", "")
        if not claim:
            above = diag
        elif diag.code == CLAIM_SKIPPED:
            lost.setdefault(claim, above or diag)
        elif claim not in own or _cause_rank(diag) < _cause_rank(own[claim]):
            own[claim] = diag
    problems = [
        f"claim {short_id(claim)}: edi would not read it back from the 837 written: "
        f"{own.get(claim, cause)}"
        for claim, cause in lost.items()
    ]
    if read + len(lost) < count:  # claims lost with their set or interchange
        first = next((d for d in errors if not d.context.get("claim")), None)
        said = f": {first}" if first is not None else ""
        problems.append(f"{count - read} of {count} claims would not be read back{said}")
    return problems


CLAIM_SKIPPED = "claim.skipped"  # a claim not read, whose cause another diagnostic says


def _cause_rank(diag: Diagnostic) -> int:
    """Which of a claim's errors is likelier its cause of not being read: a value missing, then the
    structure, then a value that is none of its kind (kept as read, as a pointer `1:X:2`, it costs
    no claim: the third reviewer)."""
    return {"mapping.missing": 0, "mapping.invalid_value": 2}.get(diag.code, 1)


def _opener_before(data: bytes, offset: int, delimiters: Delimiters) -> str:
    """The segment that opens the loop holding byte `offset`, as `NM1*72` (the nearest NM1, CLM,
    LX, SBR or HL before it)."""
    d = delimiters
    term = d.segment.encode()
    end = data.rfind(term, 0, offset)
    while end > 0:
        start = data.rfind(term, 0, end) + 1
        fields = data[start:end].decode("utf-8", "surrogateescape").strip().split(d.element)
        if fields[0] in ("NM1", "HL"):
            return "*".join(fields[:2] if fields[0] == "NM1" else fields[:1] + fields[3:4])
        if fields[0] in ("CLM", "LX", "SBR", "ST"):
            return fields[0]
        end = start - 1
    return "ST"


def _claim_around(data: bytes, offset: int, delimiters: Delimiters) -> str:
    """CLM01 of the claim whose loops hold byte `offset` of `data`: the claim before it, unless an HL
    comes between them (then the segment is above the claims: the next claim, the first under it).
    "?" when there is none."""
    d = delimiters
    opens = f"{d.segment}{d.suffix}".encode()
    clm, hl = opens + f"CLM{d.element}".encode(), opens + f"HL{d.element}".encode()
    at = data.rfind(clm, 0, offset)
    if at < 0 or data.rfind(hl, 0, offset) > at:
        at = data.find(clm, offset)
    if at < 0:
        return "?"
    start = at + len(clm)
    return data[start : data.find(d.element.encode(), start)].decode("utf-8", "surrogateescape")
