"""Checks of 835 remittances before they are written: what 005010X221A1 refuses (SNIP 2) and what
does not balance (SNIP 3).

Each check returns readable problems, `"835 0001 claim PCN1 (#2): CLP02 '99' is not a claim status
code of 005010X221A1 (1, 2, ...)"`; nothing raises. `write_835` refuses remittances with problems
(`RemittanceCheckError`).

The guide's rules are checked on the segments a remittance is written as (the loop tree the writer
makes of it), so what a model keeps from the file it was read from (a segment the guide does not
have, an element it does not use) is checked too. From the map, loop by loop (`remit_rules`, cited
by line): the segments a loop requires (1000A N3, N4 and PER*BL; 2100 NM1*QC ...) and each
definition's max use (2110: two DTM, one REF*6R ...); segments and qualifiers the loop has no place
for; the elements each segment requires and those it does not use (NM106, TS309, ST03 ...), and no
segment without any (an empty MOA); the codes of every ID element whose codes the map lists (BPR01, BPR03-06, BPR08, BPR12, BPR14, TRN01,
CUR01, N103, PER03/05/07, RDM01, CLP02, CLP06, CAS01, NM102, NM108 per NM1, SVC01-01, SVC06-01,
LQ01, the PLB reason codes, and the qualifiers of N1, REF, DTM, NM1, PER, AMT and QTY per loop);
the size of text and code elements (TRN03 10 characters, N104 2 to 80 ...) and their characters
(no control character, no trailing space: `x12_syntax.Size.carries`), the size of amounts and counts
(their digits: at most 18 in an amount, 15 in a CLP12 or a quantity, 6 in LX01 ...) and the dates
(a day of the calendar, CCYYMMDD); the X12 syntax relations the map gives (BPR P0607 C0809 P1213 C1415, N1
P0304, N4 E0207 C0704, PER pairs, NM1 P0809, a CAS reason with its amount, a PLB reason with its
amount); at most 999 service lines a claim; the external code lists that may be shipped
(`edi.codesets`, SNIP 5): N402 of a US or Canadian address (and none for another country), N404
and CUR02; the BPR's situational rules X12's interpretations quote (`remit_situations`: BPR01 H, BPR04 NON and a BPR02 of 0 go
together, BPR09 exactly when BPR04 is ACH, BOP or FWT). And the balancing rules
of x12-notes §8.1 (`balance_problems`): an 835 that does not balance is refused.

Not checked: the external code lists that may not be shipped (CARC and RARC values), nor CLP08 (the
place of service or the facility type code, by the claim's kind, which the 835 does not say); NPI check
digits (a code-set check, SNIP 5, that the map does not carry: the 835 echoes the NPIs of the
claims paid, and 12 of the 18 public 5010 835s in the corpus carry NPIs that fail it); whether
amounts and counts are numbers (the models write them from numbers; a required one that is no
number keeps a set from being read); the order of segments in a loop (the writer's order is the map's); and
situational rules the map does not carry beyond the BPR's of `remit_situations` (BPR05-08 and
BPR10-15 by payment method, MIA or MOA by claim type).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from edi.errors import WriteError
from edi.loops import Loop
from edi.models.remittance import Remittance
from edi.transactions.common import EnvelopeChecker, collector_paused, pick_delimiters
from edi.transactions.remit835 import (
    balance_findings,
    envelope_problems,
    locate_remittance_error,
    numbered,
    remittance_loop,
)
from edi.transactions.remit_rules import GUIDE, LOOP_REPEATS, loop_problems, loop_rules
from edi.transactions.remit_situations import bpr_problems
from edi.x12.delimiters import Delimiters
from edi.x12.segment import Segment

# How problems name the loops of a set that occur once.
_PARTIES = {"1000A": "payer", "1000B": "payee"}


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
    `delimiters`: those `write_835` would be given; as there, by default those the first remittance
    was read with (a value holding one of them cannot be written).

    Example:
        >>> for problem in check_remittances(read_remittances(Path("payer.835"))):  # doctest: +SKIP
        ...     print(problem)   # 835 0001 payer (1000A): no PER*BL; loop 1000A of ... requires it
    """
    out: list[str] = []
    chosen = delimiters
    checker: EnvelopeChecker | None = None
    for remit, st02 in numbered(remittances, set_control_number):
        if chosen is None:  # write_835 writes every remittance with the first one's delimiters
            read_with = remit.__pydantic_private__.get("_delimiters")  # type: ignore[union-attr]
            chosen = pick_delimiters(None, read_with, None)
        if remit.envelope is not None:  # the envelope write_835 writes it in
            checker = checker or EnvelopeChecker(chosen)
            out.extend(envelope_problems(checker, remit.envelope, st02))
        # The collector paused while a set's loop tree is made and checked, as when writing.
        with collector_paused():
            try:
                root = remittance_loop(remit, chosen, checked=True)
            except WriteError as exc:  # a value that cannot be written at all: as write_835 says
                located = locate_remittance_error(exc, [(remit, st02)], chosen, True)
                out.extend(located.problems)
                out.extend(_balance(remit, st02))
                continue
            out.extend(remittance_problems(remit, root, st02))
    return out


def remittance_problems(remit: Remittance, root: Loop, st02: str) -> list[str]:
    """The problems of one remittance, given the loop tree it is written as (`remittance_loop`)."""
    out: list[str] = []
    _guide_problems(root, f"835 {st02}", out)
    out.extend(_balance(remit, st02))
    return out


def _balance(remit: Remittance, st02: str) -> Iterator[str]:
    for where, what, _ in balance_findings(remit):
        yield f"835 {st02} {where}: {what}" if where else f"835 {st02}: {what}"


def _guide_problems(root: Loop, where: str, out: list[str]) -> None:
    """The rules of `remit_rules` over the loops of one set, in the order they are written."""
    loop_problems(loop_rules("ST"), root, where, out, numbered="PLB")  # type: ignore[arg-type]
    headers = claims = 0
    for item in root.items:
        if type(item) is not Loop:
            if item.id == "BPR":
                out.extend(bpr_problems(item, f"{where}: "))
            continue
        if item.id == "2000":
            headers += 1
            _loop(item, f"{where} header #{headers} (2000)", out)
            for claim in item.items:
                if type(claim) is Loop:
                    claims += 1
                    _claim(claim, where, claims, out)
        else:
            _loop(item, f"{where} {_PARTIES.get(item.id, 'loop')} ({item.id})", out)


def _claim(claim: Loop, where: str, n: int, out: list[str]) -> None:
    first = claim.items[0] if claim.items else None
    pcn = first.element(1) if type(first) is Segment and first.id == "CLP" else "?"
    named = f"{where} claim {pcn} (#{n})"
    _loop(claim, named, out)
    lines = 0
    for line in claim.items:
        if type(line) is Loop:
            lines += 1
            _loop(line, f"{named} line {lines}", out)
    if lines > LOOP_REPEATS["2110"]:
        out.append(
            f"{named}: {lines} service lines (loop 2110); {GUIDE} allows {LOOP_REPEATS['2110']} "
            "a claim"
        )


def _loop(loop: Loop, where: str, out: list[str]) -> None:
    rules = loop_rules(loop.id)
    if rules is None:
        out.append(f"{where}: loop {loop.id} is not a loop of {GUIDE}")
    else:
        loop_problems(rules, loop, where, out)


__all__ = ["check_remittances", "remittance_problems"]
