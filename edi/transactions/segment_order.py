"""Segment order (SNIP 2): the segments and child loops of a loop, as written, in the guide's order.

X12 puts the segments of a loop in the order of its transaction set's table: the maps' `pos=`
(`segment_positions`); segments of the same position (NM1*QC and NM1*IL in the 835's 2100, REF of
any two qualifiers) may come in any order among themselves, as may loops of the same position
(2310A-2310F). Reading takes the segments of a loop in any order and keeps the order read, so that
the file is written back as read (`mapping.Layout`): only such a loop, read in another order than
its model's slots (`Layout.shuffled`), can be written out of order; a model made in code or from
JSON, or read in order, is written in slot order, which is the guide's. So nothing is looked at until
a loop is read so (`mapping.READ_SHUFFLED`), and then only the loops that were.

A segment or loop a loop keeps that the guide does not have there is said by the other checks; it is
skipped here. So are the segments the writer makes (HL, LX: first in their loops).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from edi.diagnostics import short_id
from edi.loops import Loop
from edi.mapping import READ_SHUFFLED, read_shuffled, shuffled_items
from edi.models.base import LoopModel
from edi.models.claim import Claim
from edi.models.claim_parties import name_loop_of
from edi.models.remittance import Remittance
from edi.transactions.claim837 import GUIDE_VERSIONS
from edi.transactions.claim_problem import ClaimProblem
from edi.transactions.claim_rules import is_code
from edi.transactions.remit835 import GUIDE_VERSION, header_groups
from edi.x12.segment import Segment

GUIDES = {"835": GUIDE_VERSION, **GUIDE_VERSIONS}  # "835" or the claim kind → its guide
# Segments whose element 01 is a qualifier (HI: its first component), shown with it (`DTM*232`,
# `HI*ABK`): which of their definitions. Never more of a segment: its values may be PHI.
_QUALIFIED = frozenset(
    "AMT CAS CRC CUR DTM DTP HI LQ MEA N1 NM1 NTE PER PRV PWK QTY REF SBR TRN".split()
)
_TABLES = {1: "header", 2: "detail", 3: "summary"}


@cache
def _positions(guide: str, loop: str) -> dict[str, int] | None:
    from edi.transactions.segment_positions import POSITIONS

    text = POSITIONS[guide].get(loop)
    if text is None:
        return None
    return {key: int(pos) for key, pos in (word.split(":") for word in text.split())}


def _loop_read(model: LoopModel) -> str:
    """The loop a model was read in (a provider: 2310B, 2420A ...), else its model's."""
    private = model.__pydantic_private__
    at = private.get("_at") if private else None
    return (at[4] if at is not None and at[4] else None) or type(model).loop_id


def _child_position(table: dict[str, int], loop: str) -> tuple[int, str] | None:
    """A child loop's position, and its ID as said; a provider model's own `2310` stands for all
    of 2310A-2310F (one position in every map)."""
    if loop in table:
        return table[loop], loop
    letters = [key for key in table if key[:-1] == loop and key[-1].isalpha()]
    if letters and len({table[key] for key in letters}) == 1:
        return table[letters[0]], f"{loop}x"
    return None


class _Item:
    __slots__ = ("shown", "seg_id", "pos", "inner_loop", "inner_pos")

    def __init__(
        self, shown: str, seg_id: str, pos: int, inner_loop: str | None = None, inner_pos: int = 0
    ) -> None:
        self.shown = shown  # as the message says it: `DTM*232`, `loop 2310B`
        self.seg_id = seg_id  # `DTM`, `loop 2310B`
        self.pos = pos  # in the loop
        self.inner_loop = inner_loop  # a segment of the name loop spliced into an HL loop's model
        self.inner_pos = inner_pos  # its position in that name loop


def loop_order_problems(
    model: LoopModel, guide: str, custom: Mapping[str, int] | None = None
) -> list[tuple[str, str]]:
    """The segments and child loops of one model's loop that `write_model` would write out of the
    guide's order, each said as `DTM*232 comes before NM1*QC; 005010X221A1 puts NM1 (position
    0300) before DTM (0500) in loop 2100`, with that loop (`2010AA` for a segment of the name loop
    of a model of an HL loop, `ST` for the set's own); none for a model not read out of its slots'
    order. `custom`: the loops the transaction module writes for the model's `Custom` loop IDs,
    how many (`shuffled_items`)."""
    items = shuffled_items(model, custom)
    if items is None:
        return []
    loop = _loop_read(model)
    table = _positions(guide, loop)
    if table is None:
        return []
    merged = name_loop_of(type(model))
    inner = _positions(guide, merged.loop_id) if merged is not None else None
    placed: list[_Item] = []
    for kind, value in items:
        if kind == "segment":
            seg: Segment = value
            qual = seg.element(1).split(seg.delimiters.component)[0] if seg.id in _QUALIFIED else ""
            # A qualifier only when it looks like one: a segment read with its elements shifted
            # (`REF*SY123456789`) holds data there.
            shown = f"{seg.id}*{qual}" if is_code(qual) else seg.id
            if merged is not None and inner is not None and seg.id not in merged.hl_segments:
                at = table.get(merged.loop_id)
                if seg.id in inner and at is not None:
                    placed.append(_Item(shown, seg.id, at, merged.loop_id, inner[seg.id]))
            elif seg.id in table:
                placed.append(_Item(shown, seg.id, table[seg.id]))
        elif kind in ("loop", "custom"):
            child = value if kind == "custom" else value.id if isinstance(value, Loop) else None
            if child is None:  # a child loop model
                child = _loop_read(value)
            found = _child_position(table, child)
            if found is not None:
                named = f"loop {found[1]}"
                placed.append(_Item(named, named, found[0]))
    out: list[tuple[str, str]] = []
    top: _Item | None = None  # the item of the highest position so far
    tops: dict[str, _Item] = {}  # in each name loop, its segment of the highest position so far
    said: _Item | None = None
    for item in placed:
        if top is not None and item.pos < top.pos:
            if top is not said:  # once for a segment written too early, whatever it passed
                out.append((loop, _said(guide, loop, top, item, top.pos, item.pos, outer=True)))
                said = top
            continue
        if item.inner_loop is not None:
            last = tops.get(item.inner_loop)
            if last is not None and item.inner_pos < last.inner_pos:
                if last is not said:
                    pair = (last.inner_pos, item.inner_pos)
                    said_at = _said(guide, item.inner_loop, last, item, *pair, outer=False)
                    out.append((item.inner_loop, said_at))
                    said = last
                continue
            tops[item.inner_loop] = item
        if top is None or item.pos > top.pos:
            top = item
    return out


def _shown_at(pos: int, loop: str, first: bool) -> str:
    """`position 0300` (`first`) or `0500`; the set's own segments, `header table, position 0400`."""
    if loop == "ST":  # the set's own: its table and position there
        return f"{_TABLES[pos // 10000]} table, position {pos % 10000:04d}"
    return f"position {pos:04d}" if first else f"{pos:04d}"


def _said(
    guide: str, loop: str, before: _Item, item: _Item, high: int, low: int, *, outer: bool
) -> str:
    """`before` written before `item`, which the guide puts first; `outer`: in the model's own
    loop, where a segment of a name loop stands as that loop (`loop 2010AA`)."""

    def named(it: _Item) -> str:
        return f"loop {it.inner_loop}" if outer and it.inner_loop is not None else it.seg_id

    where = "the transaction set (ST)" if loop == "ST" else f"loop {loop}"
    return (
        f"{before.shown} comes before {item.shown}; {GUIDES[guide]} puts {named(item)} "
        f"({_shown_at(low, loop, True)}) before {named(before)} ({_shown_at(high, loop, False)}) "
        f"in {where}"
    )


# -- the 835 ---------------------------------------------------------------------------------------


def remittance_order_problems(remit: Remittance, where: str) -> list[tuple[LoopModel, str]]:
    """The order problems of one remittance (`loop_order_problems`), each with the model it is
    about and its text after `where` (`835 0001`), named as the other checks name the loops."""
    if not READ_SHUFFLED[0]:
        return []
    out: list[tuple[LoopModel, str]] = []

    def said(model: LoopModel, at: str, custom: Mapping[str, int] | None = None) -> None:
        out.extend((model, f"{at}: {p}") for _, p in loop_order_problems(model, "835", custom))

    if read_shuffled(remit):  # its 2000 loops (LX) as the writer groups the claims now
        said(remit, where, {"2000": len(header_groups(remit.claims, remit.header_numbers))})
    said(remit.payer, f"{where} payer (1000A)")
    said(remit.payee, f"{where} payee (1000B)")
    for h, header in enumerate(remit.header_numbers, 1):
        said(header, f"{where} header #{h} (2000)")
    for n, claim in enumerate(remit.claims, 1):
        named = f"{where} claim {short_id(claim.patient_control_number)} (#{n})"
        said(claim, named)
        for k, service in enumerate(claim.services, 1):
            said(service, f"{named} line {k}")
    return out


# -- the 837 ---------------------------------------------------------------------------------------


def _claim_loops(claim: Claim) -> Iterator[tuple[str, Any]]:
    """Each loop model of a claim, with the words its problems start with (as `claim_checks`; `{}`:
    the loop, of a model of an HL loop and its name loop)."""
    header = claim.header
    yield "transaction header (BHT): ", header
    yield "submitter (1000A): ", header.submitter
    yield "receiver (1000B): ", header.receiver
    billing = claim.billing_provider
    yield "billing provider ({}): ", billing
    yield "pay-to address (2010AB): ", billing.pay_to_address
    yield "pay-to plan (2010AC): ", billing.pay_to_plan
    yield "subscriber ({}): ", claim.subscriber
    yield "payer (2010BB): ", claim.payer
    yield "patient ({}): ", claim.patient
    yield "", claim
    for provider in claim.providers:
        yield f"claim: provider {provider.role} ({_loop_read(provider)}): ", provider
    for n, payer in enumerate(claim.prior_payers, 1):
        at = f"prior payer {n}"
        yield f"{at} (2320): ", payer
        yield f"{at} (2330A): ", payer.other_subscriber
        yield f"{at} (2330B): ", payer.other_payer
        for provider in payer.providers:
            yield f"{at}: provider {provider.role} ({_loop_read(provider)}): ", provider
    for n, line in enumerate(claim.lines, 1):
        at = f"line {n}"
        yield f"{at}: ", line
        yield f"{at}: drug (2410): ", line.drug
        for provider in line.providers:
            yield f"{at}: provider {provider.role} ({_loop_read(provider)}): ", provider
        for k, adjudication in enumerate(line.adjudications, 1):
            yield f"{at}: adjudication {k} (2430): ", adjudication
        for k, form in enumerate(line.forms, 1):
            yield f"{at}: form {k} (2440): ", form


def claim_order_problems(claim: Claim) -> list[ClaimProblem]:
    """The order problems of one claim (`loop_order_problems`), without the claim's id, each about
    the model whose loop it is in."""
    if not READ_SHUFFLED[0]:
        return []
    out: list[ClaimProblem] = []
    for where, model in _claim_loops(claim):
        if model is not None:
            # The claim's lines are the 2400 loops the writer gives it (claim837).
            lines = {"2400": len(claim.lines)} if model is claim else None
            found = loop_order_problems(model, claim.kind, lines)
            out.extend(ClaimProblem(where.format(loop) + p, model) for loop, p in found)
    return out


__all__ = ["claim_order_problems", "loop_order_problems", "remittance_order_problems"]
