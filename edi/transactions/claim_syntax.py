"""The X12 syntax of what a claim would write (SNIP 1): element sizes and types, and the syntax
relations between a segment's elements, for `check_claims` and a checked `write_837`.

Two tables per segment, from the maps (837P `maps/837.5010.X222.A1.full.txt`, 837I
`maps/837Q3.I.5010.X223.A1.full.txt`, 837D `maps/837D.5010.X224.A2.full.txt`; "P 134" cites the
837P map's line): `_SIZES`, the type and size of each element a map uses (`edi.transactions.
x12_syntax`), and `_RELATIONS`, the segment's X12 syntax relations as the maps give them. An
element's type and size are the X12 data element's, and a relation is the segment's: the same in
every loop and guide (the 837D map, from TigerShark, gives no relations; its segments take the
others' maps'). A table row follows the 837P map, else the 837I's, else the 837D's (`test_claim_syntax`
compares them); where the 837D map alone differs (CLM11-04 2/3, one REF04-02 1/5) it is taken
for the mistake x12-notes §5 says the map makes elsewhere.

What is checked is what `write_837` writes: a text's length and characters (no control character,
no trailing space but one that pads it to its shortest length: `x12_syntax.Size.carries`, as the
835 checks), a number's digits (`Decimal` as the writer formats it), a time's digits; a date is
always written right. Left out, and said once here:
- a size or a character where the loop's code list checks the element (`claim_required`: a code of
  the wrong length, or with a tab or a trailing space, is no code, said once; and the qualifiers
  `claim_rules` and `claim_checks` check: REF01, HI01-01, ...), and an element or relation the
  loop does not use (`claim_usage` refuses a value there; a relation is then moot); the size
  `claim_checks` holds to narrower bounds (CLM01, REF*6R), not their characters;
- relations with an element that no 837 map uses (`_SIZES` has no row for it: NM1 C1110 and C1203,
  N4 C0605, DMG P1011 and C1105, CUR, CR2, QTY E0204, LIN, most of MEA and CTP); an R relation keeps
  the elements that are used (REF R0203: REF02, as no 837 REF uses REF03);
- a relation a required element satisfies, when that element is missing (`claim_required` says it);
- CAS relations (L0506 ...): every triplet the models write has its reason and amount;
- segments the writer makes (ST, HL, LX, SE).

Segments a loop keeps from the file read as they were (`Layout.unmapped`) and element text kept
from it get the same checks, said of "text kept from the file read" (never quoted: PHI); a kept
segment whose qualifier (element 01) its loop's definitions do not list, or that has none, is said
too (`claim_rules.kept_qualifier_problem`: the AMT, DTP, PRV, REF of a few loops), and so is one
more of a segment or child loop its loop has once at most (`claim_rules.kept_once`: a second N3,
SBR, SV1, 2410).

Every claim checked takes this way, so it is two-speed, as `claim_required`: per model type, one
generated test of all its fields (`_TypePlan.passes`); only a model that fails it is gone through
element by element, which also says what is wrong.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import compress
from operator import attrgetter, itemgetter, methodcaller
from typing import Any

from pydantic import BaseModel

from edi.diagnostics import Location
from edi.loops import Loop
from edi.mapping import NUMBER_TEXT, SegNotes, written_groups
from edi.models.base import (
    DATE_TIME_SHAPES,
    Child,
    Elem,
    Elems,
    Group,
    Part,
    Seg,
    SegMap,
    X12Model,
    split_ref,
)
from edi.models.claim_parties import in_loop, name_loop_of
from edi.transactions.claim_limits import LINE_UNITS, NARROWED_SIZES, date_formats
from edi.transactions.claim_problem import (
    KEPT_NO_DATE,
    KEPT_NO_NUMBER,
    KEPT_UNUSED,
    ClaimProblem,
)
from edi.transactions.claim_rules import (
    GUIDE_NAMES,
    QUALIFIED_SEGMENTS,
    fields_getter,
    is_code,
    kept_once,
    kept_qualifier_problem,
)
from edi.transactions.claim_usage import checked_segments, known_segments, segment_usage
from edi.transactions.x12_syntax import (
    Relation,
    Size,
    carried_test,
    is_date_time,
    money_problem,
    money_value_fits,
    parse_relations,
    parse_sizes,
    relation_problem,
)
from edi.x12.envelope import is_group_time
from edi.x12.segment import Segment

# Segment → its elements' types and sizes ("03:AN1-60": NM103, text of 1 to 60; "07-01:N01-2":
# SV107-01, a whole number of 1 or 2 digits). Elements a map marks NOT USED have no row.
_SIZES: dict[str, str] = {
    "BHT": "01:ID4 02:ID2 03:AN1-50 04:DT8 05:TM4-8 06:ID2",  # P 36, I 36
    "NM1": "01:ID2-3 02:ID1 03:AN1-60 04:AN1-35 05:AN1-25 07:AN1-10 08:ID1-2 09:AN2-80",  # P 44
    "N3": "01:AN1-55 02:AN1-55",  # P 131, I 131, D 94
    "N4": "01:AN2-30 02:ID2 03:ID3-15 04:ID2-3 07:ID1-3",  # P 134, I 134, D 97
    "REF": "01:ID2-3 02:AN1-50 04-01:ID2-3 04-02:AN1-50",  # P 142, I 142, D 105
    "PER": "01:ID2 02:AN1-60 03:ID2 04:AN1-256 05:ID2 06:AN1-256 07:ID2 08:AN1-256",  # P 57
    "PRV": "01:ID1-3 02:ID2-3 03:AN1-50",  # P 88, I 88, D 51
    "CUR": "01:ID2-3 02:ID3",  # P 95, I 95, D 58
    "SBR": "01:ID1 02:ID2 03:AN1-50 04:AN1-60 05:ID1-3 09:ID1-2",  # P 228, I 223, D 191
    "PAT": "01:ID2 05:ID2-3 06:AN1-35 07:ID2 08:R1-10 09:ID1",  # P 238, I 2299, D 1155
    "DMG": "01:ID2-3 02:AN1-35 03:ID1",  # P 273, I 258, D 226
    "CLM": (  # P 341, I 316, D 284
        "01:AN1-38 02:R1-18 05-01:AN1-2 05-02:ID1-2 05-03:ID1 06:ID1 07:ID1 08:ID1 09:ID1 10:ID1 "
        "11-01:ID2-3 11-02:ID2-3 11-04:ID2 11-05:ID2-3 12:ID2-3 19:ID2 20:ID1-2"
    ),
    "DTP": "01:ID3 02:ID2-3 03:AN1-35",  # P 370, I 340, D 313
    "PWK": "01:ID2 02:ID1-2 05:ID1-2 06:AN2-80",  # P 434, I 361, D 341
    "CN1": "01:ID2 02:R1-18 03:R1-6 04:AN1-50 05:R1-6 06:AN1-30",  # P 444, I 371, D 351
    "AMT": "01:ID1-3 02:R1-18",  # P 451, I 378, D 358
    "K3": "01:AN1-80",  # P 525, I 442, D 402
    "NTE": "01:ID3 02:AN1-80",  # P 529, I 446, D 406
    "CR1": "01:ID2 02:R1-10 04:ID1 05:ID2 06:R1-15 09:AN1-80 10:AN1-80",  # P 532
    "CR2": "08:ID1 10:AN1-80 11:AN1-80",  # P 543
    "CR3": "01:ID1 02:ID2 03:R1-15",  # P 1354
    "CRC": "01:ID2 02:ID1 03:ID2-3 04:ID2-3 05:ID2-3 06:ID2-3 07:ID2-3",  # P 556, I 452
    # HI02-HI12: as HI01 (P 588, I 460, D 409)
    "HI": "01-01:ID1-3 01-02:AN1-30 01-03:ID2-3 01-04:AN1-35 01-05:R1-18 01-09:ID1",
    "HCP": (  # P 861, I 1556, D 431
        "01:ID2 02:R1-18 03:R1-18 04:AN1-50 05:R1-9 06:AN1-50 07:R1-18 08:AN1-48 09:ID2 10:AN1-48 "
        "11:ID2 12:R1-15 13:ID2 14:ID1-2 15:ID1-2"
    ),
    # CAS05-07 ... CAS17-19: as CAS02-04 (P 1042, I 1715, D 585)
    "CAS": "01:ID1-2 02:ID1-5 03:R1-18 04:R1-15",
    "OI": "03:ID1 04:ID1 06:ID1",  # P 1074, I 1747, D 627
    "MIA": (  # I 1754
        "01:R1-15 03:R1-15 04:R1-18 05:AN1-50 06:R1-18 07:R1-18 08:R1-18 09:R1-18 10:R1-18 "
        "11:R1-18 12:R1-18 13:R1-18 14:R1-18 15:R1-15 16:R1-18 17:R1-18 18:R1-18 19:R1-18 "
        "20:AN1-50 21:AN1-50 22:AN1-50 23:AN1-50 24:R1-18"
    ),
    "MOA": (  # P 1081, I 1779, D 634
        "01:R1-10 02:R1-18 03:AN1-50 04:AN1-50 05:AN1-50 06:AN1-50 07:AN1-50 08:R1-18 09:R1-18"
    ),
    "SV1": (  # P 1273
        "01-01:ID2 01-02:AN1-48 01-03:AN2 01-04:AN2 01-05:AN2 01-06:AN2 01-07:AN1-80 02:R1-18 "
        "03:ID2 04:R1-15 05:AN1-2 07-01:N01-2 07-02:N01-2 07-03:N01-2 07-04:N01-2 09:ID1 11:ID1 "
        "12:ID1 15:ID1"
    ),
    "SV2": (  # I 2009
        "01:AN1-48 02-01:ID2 02-02:AN1-48 02-03:AN2 02-04:AN2 02-05:AN2 02-06:AN2 02-07:AN1-80 "
        "03:R1-18 04:ID2 05:R1-15 07:R1-18"
    ),
    "SV3": (  # D 850
        "01-01:ID2 01-02:AN1-48 01-03:AN2 01-04:AN2 01-05:AN2 01-06:AN2 01-07:AN1-80 02:R1-18 "
        "03:AN1-2 04-01:ID1-3 04-02:ID1-3 04-03:ID1-3 04-04:ID1-3 04-05:ID1-3 05:ID1 06:R1-15 "
        "11-01:N01-2 11-02:N01-2 11-03:N01-2 11-04:N01-2"
    ),
    "TOO": "01:ID1-3 02:AN1-30 03-01:ID1-2 03-02:ID1-2 03-03:ID1-2 03-04:ID1-2 03-05:ID1-2",  # D 879
    "SV5": "01-01:ID2 01-02:AN1-48 02:ID2 03:R1-15 04:R1-18 05:R1-18 06:ID1",  # P 1307
    "QTY": "01:ID2 02:R1-15",  # P 1424
    "MEA": "01:ID2 02:ID1-3 03:R1-20",  # P 1434
    "PS1": "01:AN1-50 02:R1-18",  # P 1529
    "LIN": "02:ID2 03:AN1-48",  # P 1550, I 2085
    "CTP": "04:R1-15 05-01:ID2",  # P 1582, I 2117
    "SVD": (  # P 1854, I 2250, D 1106
        "01:AN2-80 02:R1-18 03-01:ID2 03-02:AN1-48 03-03:AN2 03-04:AN2 03-05:AN2 03-06:AN2 "
        "03-07:AN1-80 04:AN1-48 05:R1-15 06:N01-6"
    ),
    "LQ": "01:ID1-3 02:AN1-30",  # P 1898
    "FRM": "01:AN1-20 02:ID1 03:AN1-50 04:DT8 05:R1-6",  # P 1901
    "CL1": "01:ID1 02:ID1 03:ID1-2",  # I 357-359
    "DN1": "01:R1-15 02:R1-15 04:AN1-80",  # D 329
    "DN2": "01:AN1-50 02:ID1-2",  # D 334
}

# Segment → its syntax relations, as the 837P and 837I maps give them (`syntax=` on the SEG line).
_RELATIONS: dict[str, str] = {
    "NM1": "P0809 C1110 C1203",  # P 118 (1000A/B, P 44: P0809 C1110)
    "N4": "E0207 C0605 C0704",  # P 134, I 134
    "REF": "R0203",  # P 142, I 142
    "PER": "P0304 P0506 P0708",  # P 57, I 57
    "PRV": "P0203",  # P 88, I 88
    "CUR": (  # P 95, I 95
        "C0807 C0907 L101112 C1110 C1210 L131415 C1413 C1513 L161718 C1716 C1816 L192021 C2019 "
        "C2119"
    ),
    "PAT": "P0506 P0708",  # P 238, I 2299
    "DMG": "P0102 P1011 C1105",  # P 273, I 258
    "PWK": "P0506",  # P 434, I 361
    "CR1": "P0102 P0506",  # P 532
    "CR2": "P0102 C0403 P0506",  # P 543
    "CR3": "P0203",  # P 1354
    "HCP": "R0113 P0910 P1112",  # P 861, I 1556
    "SV1": "P0304",  # P 1273
    "SV2": "R0102 P0405",  # I 2009
    "SV5": "R0405 C0604",  # P 1307
    "QTY": "E0204 R0204",  # P 1424
    "MEA": "R03050608 L050412 L060412 L07030506 E0803 P1112",  # P 1434
    "LIN": (  # P 1550, I 2085
        "P0405 P0607 P0809 P1011 P1213 P1415 P1617 P1819 P2021 P2223 P2425 P2627 P2829 P3031"
    ),
    "CTP": "P0405 C0607 C0902 C1002 C1103",  # P 1582, I 2117
    # Not checked (module docstring): every triplet the models write has its reason and amount.
    "CAS": (  # P 1042, I 1715
        "L050607 C0605 C0705 L080910 C0908 C1008 L111213 C1211 C1311 L141516 C1514 C1614 L171819 "
        "C1817 C1917"
    ),
    "LQ": "C0102",  # P 1898
    "FRM": "R02030405",  # P 1901
}

# What `claim_checks` says itself, and this module not again (`claim_limits`): the unit elements
# an 837P or 837I line requires (a relation between them is then moot), and sizes it holds to
# narrower bounds (CLM01, the line control number REF*6R).
_REQUIRED_BY_CLAIM_CHECKS = {kind: frozenset(units) for kind, units in LINE_UNITS.items()}
# And codes it checks: an 837D tooth (TOO01 JP, a tooth number, its surfaces).
_CODED_BY_CLAIM_CHECKS = frozenset({"TOO01", "TOO02", *(f"TOO03-{k:02d}" for k in range(1, 6))})


@cache
def sizes(seg_id: str) -> dict[str, Size]:
    """The sizes of a segment's elements, by reference relative to it (`"05-01"`)."""
    return parse_sizes(_SIZES.get(seg_id, ""))


def _size(seg_id: str, element: int, component: int) -> Size | None:
    table = sizes(seg_id)
    found = table.get(f"{element:02d}" + (f"-{component:02d}" if component else ""))
    if found is None and component == 0 and f"{element:02d}-01" in table:
        return None  # a composite as a whole
    return found


@cache
def relations(seg_id: str) -> tuple[Relation, ...]:
    """The relations of a segment among the elements the 837 maps use (module docstring)."""
    if seg_id == "CAS":
        return ()  # every triplet the models write has its reason and amount
    used = {int(ref[:2]) for ref in sizes(seg_id)}
    out = []
    for relation in parse_relations(_RELATIONS.get(seg_id, "")):
        kept = tuple(p for p in relation.positions if p in used)
        if kept == relation.positions:
            out.append(relation)
        elif relation.kind == "R" and kept:
            out.append(Relation("R", kept, relation.text))
    return tuple(out)


# -- the plans: where a model type's fields write, compiled once ------------------------------------

_TEXT, _NUMBER, _WHOLE, _TEXTS, _WHOLES, _OTHER = (
    "text",
    "number",
    "whole",
    "texts",
    "wholes",
    "other",
)


@dataclass(frozen=True, slots=True)
class _Field:
    """One field writing one element (or several, a list: `refs`)."""

    name: str
    refs: tuple[tuple[int, int], ...]  # (element, component) per value it writes
    how: str  # _TEXT, _NUMBER (Decimal), _WHOLE (int), _TEXTS / _WHOLES (lists), _OTHER (dates)
    index: int  # where its value is in the plan's tuple of values
    format: int = 0  # the element of its date's format (D8), written with it


@dataclass(frozen=True, slots=True)
class _SegmentPlan:
    """The fields of one model that write one segment (of one qualifier: the claim's DTP*431)."""

    seg_id: str
    qualifier: str | None  # element 01 when the marker implies it
    implied: tuple[int, ...]  # elements written whenever the segment is (its qualifier)
    fields: tuple[_Field, ...]
    key: str  # where a loop model's layout keeps the text read of these fields


@dataclass(frozen=True, slots=True)
class _Items:
    """A field of segment models (`Seg`) or of `Group` items, and the plan of each item type."""

    index: int
    name: str
    seg_id: str
    start: int  # a Group's first element; 0 for segment models
    size: int  # a Group's elements an item takes (HI 1, CAS 3); 0 for segment models
    qualifier: str  # what a `Seg` marker implies for element 01 ("" none)
    plans: dict[type, _TypePlan]  # filled as item types are met

    def plan(self, item_type: type[BaseModel]) -> _TypePlan:
        found = self.plans.get(item_type)
        if found is None:
            found = self.plans[item_type] = _plan(
                item_type, self.seg_id, self.start, self.qualifier
            )
        return found


@dataclass(frozen=True, slots=True)
class _TypePlan:
    get: Callable[[Any], tuple[Any, ...]]  # every field's value
    # of a model's __dict__ (faster than its attributes): the values `passes` tests, the
    # items', the maps'
    fast_get: Callable[[dict[str, Any]], tuple[Any, ...]]
    passes: Callable[[tuple[Any, ...]], bool]
    items_at: slice  # where the items' values are in `fast_get`'s
    maps_at: slice  # and the maps'
    segments: tuple[_SegmentPlan, ...]
    items: tuple[_Items, ...]
    first_item: int  # where the items' values start in the tuple of values
    maps: tuple[tuple[int, str, str, int], ...]  # SegMap: (index, field, segment ID, value element)
    kept: bool  # whether it may keep text read (`_x12`)
    leaf: bool  # whether it has no models in it (items) nor SegMap fields


def _how(annotation: Any) -> str:
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _how(args[0])
    if origin is list:
        inner = _how(args[0])
        return {_TEXT: _TEXTS, _WHOLE: _WHOLES}.get(inner, _OTHER)
    if args and origin is not typing.Literal:  # X | None
        found = {_how(a) for a in args if a is not type(None)}
        return found.pop() if len(found) == 1 else _OTHER
    if annotation is str or origin is typing.Literal:
        return _TEXT
    if annotation is Decimal:
        return _NUMBER
    if annotation is int:
        return _WHOLE
    return _OTHER  # date, Period: written right whatever their value


_INDEX = re.compile(r"v\[(\d+)\]")


@cache
def _plan(
    model_type: type[BaseModel], seg_id: str = "", start: int = 0, qual: str = "", loop: str = ""
) -> _TypePlan:
    """`seg_id`: the segment a segment model (or a `Group` item, from element `start`) writes; ""
    for a loop model, whose references name their segments, and `loop` its loop (`in_loop`).
    `qual`: the qualifier a `Seg` marker implies."""
    names: list[str] = []  # of the own fields; then come the items', then the maps'
    own: dict[str, dict[str, Any]] = {}  # layout key → segment ID, qualifier, implied, fields
    found_items: list[tuple[str, str, int, int, str]] = []
    found_maps: list[tuple[str, str, int]] = []
    for name, finfo in model_type.model_fields.items():
        for marker in finfo.metadata:
            if isinstance(marker, (Elem, Elems, Part)):
                if isinstance(marker, Part):
                    refs = [(seg_id, start + marker.index - 1, marker.component)]
                    quals = None
                else:
                    texts = (marker.ref,) if isinstance(marker, Elem) else marker.refs
                    refs = [split_ref(ref) for ref in texts]
                    quals = marker.quals
                seg = refs[0][0] or seg_id
                if seg not in _SIZES or not in_loop(model_type, loop, seg):
                    continue
                key = seg + ("" if quals is None else "*" + "|".join(quals))
                entry = own.setdefault(
                    key, {"seg": seg, "qual": qual or None, "implied": set(), "fields": []}
                )
                if quals is not None and len(quals) == 1:
                    entry["qual"] = quals[0]
                    entry["implied"].add(marker.qual_at)  # type: ignore[union-attr]
                elif qual:
                    entry["implied"].add(1)
                fmt = marker.format if isinstance(marker, Elem) else None
                entry["fields"].append(
                    _Field(
                        name,
                        tuple((e, c) for _, e, c in refs),
                        _how(finfo.annotation),
                        len(names),
                        split_ref(fmt)[1] if fmt else 0,
                    )
                )
                names.append(name)
            elif not in_loop(model_type, loop, getattr(marker, "seg_id", "")):
                continue
            elif isinstance(marker, (Seg, Group)) and marker.seg_id in _SIZES:
                group, size = (marker.start, marker.size) if isinstance(marker, Group) else (0, 0)
                quals = marker.quals
                implied = quals[0] if quals is not None and len(quals) == 1 else ""
                found_items.append((name, marker.seg_id, group, size, implied))
            elif isinstance(marker, SegMap) and marker.seg_id in _SIZES:
                found_maps.append((name, marker.seg_id, split_ref(marker.value)[1]))
    segments = tuple(
        _SegmentPlan(
            entry["seg"],
            entry["qual"],
            tuple(sorted(entry["implied"])),
            tuple(entry["fields"]),
            key,
        )
        for key, entry in own.items()
    )
    first_item = len(names)
    items = [
        _Items(first_item + k, name, seg, group, size, implied, {})
        for k, (name, seg, group, size, implied) in enumerate(found_items)
    ]
    names += [name for name, *_ in found_items]
    maps = [(len(names) + k, *found) for k, found in enumerate(found_maps)]
    names += [name for name, _, _ in found_maps]
    # The fast test reads only the fields it tests, then the items and the maps.
    expression = _compile(segments, bool(seg_id) and not start, bool(start))
    tested = sorted({int(i) for i in _INDEX.findall(expression)})
    at = {old: new for new, old in enumerate(tested)}
    expression = _INDEX.sub(lambda m: f"v[{at[int(m.group(1))]}]", expression)
    passes: Callable[[tuple[Any, ...]], bool] = eval(  # noqa: S307
        f"lambda v: {expression or 'True'}",
        {"fits": _number_fits, "money": money_value_fits, "time": is_group_time},
    )
    fast = [names[i] for i in tested]
    return _TypePlan(
        get=fields_getter(names),
        fast_get=_values_getter(fast + names[first_item:]),
        passes=passes,
        items_at=slice(len(fast), len(fast) + len(items)),
        maps_at=slice(len(fast) + len(items), None),
        segments=segments,
        items=tuple(items),
        first_item=first_item,
        maps=tuple(maps),
        kept="_x12" in model_type.__private_attributes__,
        leaf=not items and not maps,
    )


def _compile(segments: tuple[_SegmentPlan, ...], whole: bool, group: bool) -> str:
    """The test of a plan's own fields (`whole`: a segment model, always written; `group`: a
    `Group` item, whose segment's relations are not checked), as one generated
    expression of the values `v` (by the fields' `index`): True when no size or relation fails.
    Where it is False, `_segment_problems` says what is wrong, if anything (its tests are exact;
    these may send a few more its way)."""
    terms: list[str] = []
    for plan in segments:
        present: dict[int, list[str]] = {}
        for f in plan.fields:
            v = f"v[{f.index}]"
            given = f"({v} is not None and {v} != '')" if f.how == _TEXT else f"({v} is not None)"
            sized = {_size(plan.seg_id, e, c) for e, c in f.refs}
            for k, (element, _) in enumerate(f.refs):
                if f.how in (_TEXTS, _WHOLES):
                    given = f"(len({v}) > {k} and {v}[{k}] not in ('', None))"
                present.setdefault(element, []).append(given)
            if f.format:
                present.setdefault(f.format, []).append(given)
            if f.how in (_TEXTS, _WHOLES) and len(sized) == 1 and None not in sized:
                # a list whose entries all have one size (modifiers): tested together, in C
                terms.append(_list_fit(sized.pop(), f.how, v))  # type: ignore[arg-type]
                continue
            for k, (element, component) in enumerate(f.refs):
                size = _size(plan.seg_id, element, component)
                if size is None:
                    continue
                item = f"{v}[{k}]" if f.how in (_TEXTS, _WHOLES) else v
                test = _fast_fit(size, f.how, item)
                if test is None:
                    continue
                if f.how in (_TEXTS, _WHOLES):
                    terms.append(f"(len({v}) <= {k} or {test})")
                else:
                    terms.append(f"({v} is None or {test})")
        written = " or ".join(p for ps in present.values() for p in ps) or "False"
        for p in plan.implied:
            present.setdefault(p, []).append("True" if whole else f"({written})")
        for relation in relations(plan.seg_id) if not group else ():
            there = [f"({' or '.join(present.get(p, ['False']))})" for p in relation.positions]
            first, *rest = there
            test = {
                "P": " == ".join(there) if len(there) == 2 else f"len({{{', '.join(there)}}}) == 1",
                "R": f"({' or '.join(there)})",
                "E": f"({' + '.join(there)}) <= 1",
                "C": f"(not {first} or ({' and '.join(rest)}))",
                "L": f"(not {first} or {' or '.join(rest)})",
            }[relation.kind]
            if relation.kind == "R" and not whole:  # a loop model's segment: only when written
                test = f"(not ({written}) or {test})"
            terms.append(test)
    return " and ".join(terms)


def _list_fit(size: Size, how: str, v: str) -> str:
    """A test that every entry of the list `v` fits `size`, as an expression."""
    if how == _WHOLES:
        return f"(not {v} or (min({v}) > -{10**size.high} and max({v}) < {10**size.high}))"
    longest = f"max(map(len, {v})) <= {size.high}"
    if size.is_text:
        # Their characters (`Size.carries`), joined: printable, and no entry ends with a space.
        longest += f" and (j := '|'.join({v}) + '|').isprintable() and ' |' not in j"
    if size.low <= 1:
        return f"(not {v} or ({longest}))"
    shortest = f"min(map(len, filter(None, {v})), default={size.low}) >= {size.low}"
    return f"(not {v} or ({longest} and {shortest}))"


def _fast_fit(size: Size, how: str, v: str) -> str | None:
    """A test that `v` (not None) fits `size`, as an expression; None: nothing to test."""
    if how in (_TEXT, _TEXTS):
        if size.type in ("DT", "R", "N0"):
            return None  # text in a date or number element: the reader kept it as read
        if size.type == "TM":  # HHMM[SS[D[D]]], hours 00-23, minutes and seconds 00-59
            return f"({v} == '' or ({size.low} <= len({v}) <= {size.high} and time({v})))"
        # Its characters too (`Size.carries`; a space that pads a short text takes the slow way,
        # and passes).
        clean = carried_test(v)
        if size.low <= 1:
            return f"(len({v}) <= {size.high} and {clean})"
        if size.low == size.high:
            return f"(len({v}) in (0, {size.low}) and {clean})"
        return f"({v} == '' or ({size.low} <= len({v}) <= {size.high} and {clean}))"
    if how == _NUMBER and size.is_money:
        return f"(fits({v}, {size.high}) and money({v}))"
    if how == _NUMBER and size.counts_digits:
        return f"fits({v}, {size.high})"
    if how in (_WHOLE, _WHOLES) and size.counts_digits:
        return f"-{10**size.high} < {v} < {10**size.high}"
    return None


_private_of = attrgetter("__pydantic_private__")
_dict_of = attrgetter("__dict__")


def _values_getter(names: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """The values of these fields, from a model's `__dict__`, as one tuple (in C)."""
    if not names:
        return lambda values: ()
    if len(names) == 1:
        name = names[0]
        return lambda values: (values[name],)
    return itemgetter(*names)


_kept_of = methodcaller("get", "_x12")

# -- checking -----------------------------------------------------------------------------------------


def _passes(model: BaseModel, plan: _TypePlan) -> bool:
    """Whether `model` (and the segment models in it) surely has no size or relation problem."""
    values = plan.fast_get(model.__dict__)
    if not plan.passes(values):
        return False
    if plan.kept:
        kept = model.__pydantic_private__.get("_x12")  # type: ignore[union-attr]
        if kept and (getattr(kept, "unmapped", None) or _has_notes(kept)):
            return False
    if plan.leaf:
        return True
    given = values[plan.items_at]
    if any(given) and not _items_pass(plan, given):
        return False
    if plan.maps:
        filled = values[plan.maps_at]
        if any(filled) and not _maps_pass(plan, filled):
            return False
    return True


def _items_pass(plan: _TypePlan, given: tuple[Any, ...]) -> bool:
    # Most item fields are empty: the filled ones are picked in C.
    for items, value in zip(compress(plan.items, given), filter(None, given), strict=False):
        if type(value) is not list:
            if not _passes(value, items.plan(type(value))):
                return False
            continue
        first = type(value[0])
        leaf = items.plan(first)
        if leaf.leaf and all(type(item) is first for item in value):
            # Segment models of one type without models in them (REF, HI codes): in one go.
            if not all(map(leaf.passes, map(leaf.fast_get, map(_dict_of, value)))):
                return False
            if leaf.kept and any(map(_kept_of, map(_private_of, value))):
                return False
            continue
        for item in value:
            if not _passes(item, items.plan(type(item))):
                return False
    return True


def _maps_pass(plan: _TypePlan, filled: tuple[Any, ...]) -> bool:
    for (_, _, seg_id, element), value in zip(plan.maps, filled, strict=True):
        if value:
            size = _size(seg_id, element, 0)
            if size is None:
                continue
            money = size.is_money
            for v in value.values():
                if not _number_fits(v, size.high) or (money and not money_value_fits(v)):
                    return False
    return True


def _number_fits(value: Decimal | int, high: int) -> bool:
    """Whether a number has at most `high` digits, as the writer writes it."""
    text = str(value)  # sign and point count too: a number that fits so surely fits
    if len(text) <= high and "E" not in text:
        return True
    return _digits(value) <= high


def _digits(value: Decimal | int) -> int:
    text = format(value, "f") if type(value) is not int else str(value)
    return sum(ch.isdigit() for ch in text)


def _has_notes(kept: Any) -> bool:
    """Whether a model's layout keeps element text read (`SegNotes`, or a dict of them per
    qualifier), whose sizes the fast test does not see."""
    if type(kept) is SegNotes:
        return bool(kept.raw)
    notes: Any = getattr(kept, "notes", None)
    return bool(notes) and any(map(_NOTE_TYPES.__contains__, map(type, notes.values())))


_NOTE_TYPES = frozenset({SegNotes, dict})


# `asked(kind, loop, seg_id)`: the elements the loop requires of the segment and those its code
# lists check (`claim_required`), by full reference.
Asked = Callable[[str, str, str], tuple[frozenset[str], frozenset[str]]]


def syntax_problems(kind: str, loop: str, model: BaseModel, asked: Asked) -> list[str]:
    """The sizes and syntax relations that what `model` writes in `loop` breaks, each said without
    where it is (the caller prefixes `"billing provider (2010AA): "`)."""
    plan = _plan(type(model), loop=loop)
    if _passes(model, plan):
        return []
    out: list[str] = []
    notes = _loop_notes(model)
    values = plan.get(model)
    guide = GUIDE_NAMES[kind]
    for seg in plan.segments:
        found, names = _own_values(seg, values, notes.get(seg.key))
        if any(v is not None for v in found.values()):
            _segment_problems(kind, loop, seg.seg_id, found, names, asked, guide, out)
    for items in plan.items:
        seg_id = items.seg_id
        value = values[items.index]
        many = isinstance(value, list)
        places: dict[int, int] | None = None  # a Group item's place in its segment, by id
        for n, item in enumerate(value if many else () if value is None else (value,)):
            at = f"{items.name}[{n}]" if many else items.name
            item_plan = items.plan(type(item))
            if _passes(item, item_plan):
                continue
            found, names = _item_values(item, item_plan, at)
            before = len(out)
            _segment_problems(kind, loop, seg_id, found, names, asked, guide, out, items.start)
            if items.size and len(out) > before:
                # Said of the segment's first group (HI01, CAS02-04): of the item's own, as written
                # (the third code of an HI is HI03, the second CAS triplet CAS05-07).
                if places is None:
                    places = _group_places(model, items.name)
                shift = items.size * places.get(id(item), 0)
                if shift:
                    out[before:] = [_shifted(p, seg_id, shift) for p in out[before:]]
    for index, name, seg_id, element in plan.maps:
        size = _size(seg_id, element, 0)
        for key, number in (values[index] or {}).items():
            text = format(number, "f")
            if size is not None and not size.fits(text):
                ref = f"{seg_id}{element:02d}"
                out.append(_bad_size(ref, f"{name}[{key}]", size, text, guide))
    # What a merged model kept from the file read is said once, in its name loop.
    hl_loop = name_loop_of(type(model)) is not None and loop == getattr(model, "loop_id", "")
    layout = None if hl_loop else _layout(model)
    once = kept_once(kind, loop)
    kept_count: dict[str, int] = {}
    for kept in getattr(layout, "unmapped", ()):
        if isinstance(kept, Segment):
            said = kept_qualifier_problem(kind, loop, kept.id, kept.element(1))
            if said is not None:
                out.append(ClaimProblem(said, code=KEPT_UNUSED, read_at=_read_at(kept, model)))
        if kept.id in once:  # a segment, or a child loop (2410)
            kept_count[kept.id] = kept_count.get(kept.id, 0) + 1
        for segment in _kept_segments(kept):
            _kept_problems(segment, guide, out)
    for seg_id, count in kept_count.items():
        in_loop = once[seg_id]
        if in_loop == loop:
            count += _writes(model, plan, values, seg_id)
        else:  # the HL loop's part of a merged model (2000B's SBR in the subscriber's)
            hl_plan = _plan(type(model), loop=in_loop)
            count += _writes(model, hl_plan, hl_plan.get(model), seg_id)
        if count > 1:
            what = f"loops {seg_id}" if seg_id[0].isdigit() else f"{seg_id} segments"
            out.append(
                f"{count} {what} in loop {in_loop} (kept from the file read past the first); an "
                f"{guide} claim has at most 1"
            )
    return out


def _read_at(kept: Segment, model: BaseModel) -> Location | None:
    """Where a segment a model kept from the file read was read, in the loop the model was read in;
    None for one made in code (no place)."""
    if not kept.offset and not kept.index:
        return None
    at = getattr(model, "read_at", None)
    return Location(kept.index, kept.id, kept.line, kept.offset, at.loop_id if at else None)


def _writes(model: BaseModel, plan: _TypePlan, values: tuple[Any, ...], seg_id: str) -> bool:
    """Whether a model's own fields (or its segment models) write a `seg_id`, or its child loop
    model of that loop ID (`2410`) is there."""
    if seg_id[0].isdigit():
        return any(
            isinstance(marker, Child) and marker.loop_id == seg_id and getattr(model, name)
            for name, finfo in type(model).model_fields.items()
            for marker in finfo.metadata
        )
    for seg in plan.segments:
        if seg.seg_id == seg_id and any(
            values[f.index] is not None and values[f.index] != [] for f in seg.fields
        ):
            return True
    return any(items.seg_id == seg_id and values[items.index] for items in plan.items)


def _layout(model: BaseModel) -> Any:
    private = model.__pydantic_private__
    return private.get("_x12") if private else None


def _loop_notes(model: BaseModel) -> dict[str, Any]:
    return getattr(_layout(model), "notes", None) or {}


def _ref(seg_id: str, element: int, component: int) -> str:
    return f"{seg_id}{element:02d}" + (f"-{component:02d}" if component else "")


_KEPT_NAME = "text kept from the file read"


def _own_values(
    seg: _SegmentPlan, values: tuple[Any, ...], note: Any
) -> tuple[dict[str, str | None], dict[str, str]]:
    """What one segment of a loop model's own fields writes, by full reference, as text (None: not
    written), and the field of each."""
    found: dict[str, str | None] = {}
    names: dict[str, str] = {}
    for f in seg.fields:
        _put(seg.seg_id, f, values[f.index], f.name, found, names)
    if type(note) is SegNotes:
        _put_kept(seg.seg_id, note, found, names)
    if any(v is not None for v in found.values()):  # written: with its qualifier
        for element in seg.implied:
            found.setdefault(_ref(seg.seg_id, element, 0), seg.qualifier or "!")
    return found, names


def _group_places(model: BaseModel, field: str) -> dict[int, int]:
    """The place (from 0) of each item of the `Group` field `field` in the segment it is written
    in, by the item's id (a model with a `Group` field is an `X12Model`)."""
    if not isinstance(model, X12Model):
        return {}
    return {
        id(item): k for chunk in written_groups(model, field)[0] for k, item in enumerate(chunk)
    }


_GROUP_REF = re.compile(r"\b([A-Z][A-Z0-9]{1,2})(\d{2})(?=\b|-)")


def _shifted(problem: str, seg_id: str, shift: int) -> str:
    """`problem`, said of a segment's first group, moved `shift` elements on: its element references
    (`HI01-03` to `HI03-03`) and its `element`."""

    def move(match: re.Match[str]) -> str:
        if match.group(1) != seg_id:
            return match.group(0)
        return f"{seg_id}{int(match.group(2)) + shift:02d}"

    text = _GROUP_REF.sub(move, problem)
    element = getattr(problem, "element", None)
    if element is not None:
        element = _GROUP_REF.sub(move, element)
    if isinstance(problem, ClaimProblem):
        return ClaimProblem(text, problem.about, element, problem.code, problem.read_at)
    return text


def _item_values(
    item: BaseModel, plan: _TypePlan, at: str
) -> tuple[dict[str, str | None], dict[str, str]]:
    found: dict[str, str | None] = {}
    names: dict[str, str] = {}
    values = plan.get(item)
    for seg in plan.segments:
        for f in seg.fields:
            _put(seg.seg_id, f, values[f.index], f"{at}.{f.name}", found, names)
        note = _layout(item)
        if type(note) is SegNotes:
            _put_kept(seg.seg_id, note, found, names)
        for element in seg.implied:
            found.setdefault(_ref(seg.seg_id, element, 0), seg.qualifier or "!")
    return found, names


def _text(value: Any, how: str) -> str | None:
    if value is None or value == "":
        return None
    if how == _NUMBER:
        return format(value, "f")
    return value if isinstance(value, str) else str(value) if how != _OTHER else "!"


def _put(
    seg_id: str,
    f: _Field,
    value: Any,
    name: str,
    found: dict[str, str | None],
    names: dict[str, str],
) -> None:
    if f.format and value is not None:  # its date's format (D8), written with it
        found.setdefault(_ref(seg_id, f.format, 0), "!")
    if f.how in (_TEXTS, _WHOLES):
        for k, (element, component) in enumerate(f.refs):
            ref = _ref(seg_id, element, component)
            found[ref] = _text(value[k], f.how) if value and k < len(value) else None
            names[ref] = f"{name}[{k}]"
        return
    ((element, component),) = f.refs
    ref = _ref(seg_id, element, component)
    found[ref] = _text(value, f.how)
    names[ref] = name


def _put_kept(
    seg_id: str, note: SegNotes, found: dict[str, str | None], names: dict[str, str]
) -> None:
    """Text kept from the file read where no value is written: the writer writes it back."""
    for pos, (text, _) in note.raw.items():
        if not text:
            continue
        parts = text.split(note.delimiters.component)
        for k, part in enumerate(parts, 1):
            ref = _ref(seg_id, pos, k if len(parts) > 1 or f"{pos:02d}-01" in sizes(seg_id) else 0)
            if part and found.get(ref) is None:
                found[ref] = part
                names[ref] = _KEPT_NAME


def _present(found: dict[str, str | None], seg_id: str, element: int) -> bool:
    whole = _ref(seg_id, element, 0)
    if found.get(whole) is not None:
        return True
    return any(v is not None and ref.startswith(f"{whole}-") for ref, v in found.items())


# The segments whose date (an AN element) has its format in another element: (format, value). An
# HI date kept from the file read is `claim_checks`' ("needs one date").
_DATED = {"DTP": ("DTP02", "DTP03"), "DMG": ("DMG01", "DMG02")}


def _segment_problems(
    kind: str,
    loop: str,
    seg_id: str,
    found: dict[str, str | None],
    names: dict[str, str],
    asked: Asked,
    guide: str,
    out: list[str],
    start: int = 0,
) -> None:
    """The sizes and relations one segment breaks (`found`: its elements' text by reference)."""
    required, coded = asked(kind, loop, seg_id)
    required |= _REQUIRED_BY_CLAIM_CHECKS.get(kind, frozenset())
    usage = segment_usage(kind, loop, seg_id)
    if usage is None and kind != "dental" and seg_id in known_segments(kind):
        if checked_segments(kind, loop):
            return  # a segment the loop does not have: `claim_rules` or the writer says so
    if (seg_id in QUALIFIED_SEGMENTS and seg_id != "K3") or seg_id == "HI":
        # `claim_rules`' (and the HI's `claim_checks`'); K301 is no qualifier but its text
        coded |= {f"{seg_id}01", "HI01-01"}
    if seg_id == "TOO":
        coded |= _CODED_BY_CLAIM_CHECKS
    qualifier = found.get(f"{seg_id}01")
    sized = NARROWED_SIZES.get((seg_id, qualifier if seg_id == "REF" else None))
    definition = usage.of(qualifier) if usage is not None else None

    def uses(element: int, component: int = 0) -> bool:
        return definition is None or definition.uses(element, component)

    for ref, text in found.items():
        if text is None or ref not in names or ref in coded:
            continue
        _, element, component = split_ref(ref)
        if not uses(element, component):
            continue  # claim_usage refuses it
        # (a Group item's elements are those of the segment's first group: CAS02-04, HI01)
        size = _size(seg_id, element, component)
        if size is None:
            continue
        if size.counts_digits and names[ref] == _KEPT_NAME and not NUMBER_TEXT.fullmatch(text):
            # No number at all (SV205 `X`): not of a size ("0 digits"). The reader said it where
            # it was read (`edi claims` leaves it to the reader); said for a checked write.
            said = f"{ref} ({_KEPT_NAME}) is no number"
            out.append(ClaimProblem(said, element=ref, code=KEPT_NO_NUMBER))
            continue
        if ref != sized and size.type != "DT" and not size.fits(text):
            out.append(_bad_size(ref, names[ref], size, text, guide))
        if not size.carries(text):
            out.append(_bad_text(ref, names[ref], size, text))
    dated = _DATED.get(seg_id)
    if dated is not None and names.get(dated[1]) == _KEPT_NAME:
        # A model's dates are `date`s, and its date-time texts `claim_checks`' to check: only text
        # kept from the file read can be no date (20240230). Not quoted: a birth or service date.
        fmt_ref, value_ref = dated
        fmt, value = found.get(fmt_ref), found.get(value_ref)
        which = f"{seg_id}*{qualifier} " if seg_id == "DTP" and qualifier else ""
        taken = date_formats(kind, loop, seg_id, qualifier)
        if fmt and value and fmt not in taken:
            # A date of a format its guide does not take there (DMG*RD8, DTP*472*DT): the model
            # holds no value of it, so no other check sees it. The format is said when a code.
            shown = repr(fmt) if is_code(fmt) else "no code"
            text = (
                f"{which}{value_ref} ({_KEPT_NAME}) has the format {shown} ({fmt_ref}); the "
                f"{guide} guide takes {' or '.join(taken)} there"
            )
            out.append(ClaimProblem(text, element=fmt_ref, code=KEPT_NO_DATE))
        elif fmt and value and not is_date_time(fmt, value):
            shape = DATE_TIME_SHAPES.get(fmt, fmt)
            # Reading said so already (`edi claims` leaves it to that): its code tells it.
            text = f"{which}{value_ref} ({_KEPT_NAME}) is no date of its format ({fmt_ref} {fmt}: {shape})"
            out.append(ClaimProblem(text, element=value_ref, code=KEPT_NO_DATE))
    if start:
        return  # a Group item (HI, CAS): no relations (module docstring)
    label = (
        f"{seg_id}*{qualifier}" if usage is not None and qualifier in usage.by_qualifier else seg_id
    )
    for relation in relations(seg_id):
        refs = [_ref(seg_id, p, 0) for p in relation.positions]
        present = [_present(found, seg_id, p) for p in relation.positions]
        if any(there and not uses(p) for there, p in zip(present, relation.positions, strict=True)):
            continue  # claim_usage refuses the element
        missing = [r for r, there in zip(refs, present, strict=True) if not there]
        if relation.kind in ("R", "L") and any(r in required for r in missing):
            continue  # claim_required asks for the missing one
        if relation.kind in ("P", "C") and missing and all(r in required for r in missing):
            continue
        shown_refs = [f"{r} ({names[r]})" if r in names else r for r in refs]
        problem = _relation_words(relation, present, shown_refs)
        if problem:
            out.append(f"{label} {problem} (X12 syntax {relation.text})")


def _relation_words(relation: Relation, present: list[bool], shown: list[str]) -> str | None:
    return relation_problem(relation.kind, present, shown)


def _bad_size(ref: str, name: str, size: Size, text: str, guide: str) -> ClaimProblem:
    # The text itself is not quoted: it may be a name, an id or a date of service (PHI).
    if size.is_money and size.measure(text) <= size.high:  # a fraction of a cent, or 9 digits
        said = money_problem(text)
    elif size.counts_digits and not NUMBER_TEXT.fullmatch(text):
        said = f"is no number; the {guide} guide takes {size.takes()}"  # not "0 digits": a name
    elif size.counts_digits:
        said = f"has {size.measure(text)} digits; the {guide} guide takes {size.takes()}"
    elif size.type == "TM":
        said = f"is no time; the {guide} guide takes {size.takes()}"
    else:
        length = f"{len(text)} character" + ("s" if len(text) != 1 else "")
        said = f"is {length} long; the {guide} guide takes {size.takes()} there"
    return ClaimProblem(f"{ref} ({name}) {said}", element=ref)


def _bad_text(ref: str, name: str, size: Size, text: str) -> ClaimProblem:
    # Where, not what (`Size.text_problem`): the text may be a name or an id (PHI).
    return ClaimProblem(f"{ref} ({name}) {size.text_problem(text)}", element=ref)


def _kept_segments(kept: Segment | Loop) -> Iterator[Segment]:
    if isinstance(kept, Segment):
        yield kept
        return
    for item in kept.items:
        yield from _kept_segments(item)


# The value of a qualified segment, usage=R wherever the maps have the segment (AMT02, QTY02, REF02,
# DTP02-03, CUR02): one kept from the file read with its qualifier alone (a second AMT*F5~, the
# model holding the first) was written back by a checked write_837.
_KEPT_VALUES = {"AMT": (2,), "QTY": (2,), "REF": (2,), "DTP": (2, 3), "CUR": (2,)}


def _kept_problems(segment: Segment, guide: str, out: list[str]) -> None:
    """A segment kept from the file read as it was: its sizes and relations, element by element."""
    seg_id = segment.id
    if seg_id not in _SIZES:
        return
    els = segment.elements
    comp = segment.delimiters.component
    found: dict[str, str | None] = {}
    text: str | None  # an element read, then a value found (None: an empty component)
    for pos in range(1, len(els)):
        text = els[pos]
        if not text:
            continue
        parts = text.split(comp)
        if len(parts) == 1 and f"{pos:02d}-01" not in sizes(seg_id):
            found[_ref(seg_id, pos, 0)] = text
            continue
        for k, part in enumerate(parts, 1):
            found[_ref(seg_id, pos, k)] = part or None
    at = f"{seg_id} kept from the file read: "
    qualifier = els[1] if len(els) > 1 else ""
    for pos in _KEPT_VALUES.get(seg_id, ()) if qualifier else ():
        if not (els[pos] if pos < len(els) else ""):
            shown = f"{seg_id}*{qualifier}" if is_code(qualifier) else seg_id
            out.append(f"{at}{shown} without {seg_id}{pos:02d}; the {guide} guide requires it")
    for ref, text in found.items():
        _, element, component = split_ref(ref)
        size = _size(seg_id, element, component)
        if text is None or size is None:
            continue
        if size.type != "DT" and not size.fits(text):
            out.append(_bad_size(ref, _KEPT_NAME, size, text, guide).prefixed(at))
        if not size.carries(text):
            out.append(_bad_text(ref, _KEPT_NAME, size, text).prefixed(at))
    for relation in relations(seg_id):
        present = [_present(found, seg_id, p) for p in relation.positions]
        problem = _relation_words(
            relation, present, [_ref(seg_id, p, 0) for p in relation.positions]
        )
        if problem:
            out.append(f"{at}{seg_id} {problem} (X12 syntax {relation.text})")


__all__ = ["relations", "sizes", "syntax_problems"]
