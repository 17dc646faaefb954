"""The JSON Schema descriptions of the models: what each field means and where it lives in X12.

The meaning is the field's docstring. The place is written from the field's marker, the declaration
`edi.mapping` reads and writes with, so the schema cannot say another place than the one used:

    class ClaimPayment(LoopModel, loop="2100"):
        charge: Annotated[Money, Elem("CLP03")]
        \"\"\"Total claim charge amount.\"\"\"

gives `charge` the description "Total claim charge amount. X12: CLP03, in loop 2100." A model of an
HL loop and its name loop places each field in the one of the two holding its segment (`NameLoop`).

A segment or item model (`Party`, `Adjustment`) does not name its segment: that comes from the fields
that place it (`Seg("NM1", qual="QC")`, `Group("CAS", start=2, size=3, count=6)`), found among the
models. A model's own description is its docstring without its doctest examples.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from edi.errors import MappingDefinitionError
from edi.models.base import (
    Child,
    Custom,
    Elem,
    Elems,
    Group,
    InSegment,
    ItemModel,
    LoopModel,
    Part,
    Seg,
    SegMap,
    SegmentModel,
    X12Model,
    marker_of,
    split_ref,
)
from edi.models.claim_parties import name_loop_of

_EXAMPLE = re.compile(r"^Examples?:\s*$")


def describe(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Fill in the description of a model's JSON Schema and of each of its properties."""
    if model.__doc__:
        schema["description"] = model_text(model.__doc__)
    for name, finfo in model.model_fields.items():
        prop = schema.get("properties", {}).get(name)
        if prop is None:
            continue
        meaning = " ".join((finfo.description or "").split())  # one paragraph, as wrapped in code
        where = place(model, name) if issubclass(model, X12Model) else ""
        text = " ".join(p for p in (meaning, f"X12: {where}." if where else "") if p)
        if text:
            prop["description"] = text


def model_text(doc: str) -> str:
    """A docstring for readers of a schema: without its `Example:` blocks (doctests)."""
    kept: list[str] = []
    skipping = False
    for line in inspect.cleandoc(doc).splitlines():
        if _EXAMPLE.match(line):
            skipping = True
            continue
        if skipping and (not line.strip() or line.startswith(" ")):
            continue
        skipping = False
        kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def place(model: type[X12Model], name: str) -> str:
    """Where a field lives in X12, from its marker: `CLP03, in loop 2100`, `REF02 of REF*6R`, ..."""
    mark = marker_of(model.model_fields[name])
    if isinstance(mark, (Child, Custom)):
        # A model of two loops (Claim.subscriber: 2000B with 2010BA) is held by the first.
        held = _inner_types(model.model_fields[name].annotation)
        also = [n.loop_id for t in held if (n := name_loop_of(t)) and t.loop_id == mark.loop_id]
        return _loop_place(mark.loop_id) + "".join(f" with {loop}" for loop in also)
    if isinstance(mark, Elem):
        where = " or ".join(_element(model, mark.ref, mark.quals, mark.qual_at))
        if mark.format:
            where += f" (its format qualifier in {_element(model, mark.format, None, 1)[0]})"
    elif isinstance(mark, Elems):
        where = ", ".join(r for ref in mark.refs for r in _element(model, ref, mark.quals, 1))
    elif isinstance(mark, Part):
        where = " or ".join(_part(model, mark))
    elif isinstance(mark, Seg):
        many = list in _inner_types(model.model_fields[name].annotation)
        where = f"{_qualified(mark.seg_id, mark.quals)} segment{'s' if many else ''}"
    elif isinstance(mark, SegMap):
        where = f"{mark.seg_id} segments, {mark.seg_id}{mark.key} → {mark.seg_id}{mark.value}"
    elif isinstance(mark, InSegment):  # no element: the segment's position
        segments = " or ".join(g.seg_id for g in _groups(model))
        return (
            f"the number of its {segments} segment in the loop that holds it, from 1 in file order"
        )
    elif isinstance(mark, Group):
        where = (
            f"{_qualified(mark.seg_id, mark.quals)} segments, an item per {mark.size} element{'s' if mark.size > 1 else ''} "
            f"from {mark.seg_id}{mark.start:02d} on, up to {mark.count} per segment"
        )
    else:
        return ""
    loops = _loops(model, _segment_of(mark))
    return f"{where}, in loop {' or '.join(loops)}" if loops else where


def _loop_place(loop_id: str) -> str:
    if loop_id == "ISA":
        return "the ISA, GS and ST envelope"
    if loop_id == "ST":
        return "the transaction set header"
    if loop_id == "unread":
        return "loop 2100, those the reader could not read"
    try:
        split_ref(loop_id)  # Custom("ST03"): an element, not a loop
    except MappingDefinitionError:
        return f"loop {loop_id}"
    return loop_id


def _qualified(seg_id: str, quals: tuple[str, ...] | None, qual_at: int = 1) -> str:
    if not quals:
        return seg_id
    if qual_at != 1:
        return f"{seg_id} with {seg_id}{qual_at:02d} {'/'.join(quals)}"
    return " or ".join(f"{seg_id}*{q}" for q in quals)


def _element(
    model: type[X12Model], ref: str, quals: tuple[str, ...] | None, qual_at: int
) -> list[str]:
    seg_id, _, _ = split_ref(ref)
    if not seg_id:  # relative: the segment is named by the fields that place the model
        return [f"{seg}{ref}" for seg in _segments(model)]
    if quals:
        return [f"{ref} of {_qualified(seg_id, quals, qual_at)}"]
    return [ref]


def _part(model: type[X12Model], mark: Part) -> Iterator[str]:
    comp = f"-{mark.component:02d}" if mark.component else ""
    for group in _groups(model):
        first = group.start + mark.index - 1
        refs = [f"{group.seg_id}{first + k * group.size:02d}{comp}" for k in range(group.count)]
        yield refs[0] if len(refs) == 1 else f"{refs[0]}, {refs[1]}, … {refs[-1]}"


def _owners(model: type[X12Model]) -> Iterator[Any]:
    """The markers of the fields, in any model, that hold this model."""
    for owner in _all_models():
        for finfo in owner.model_fields.values():
            mark = marker_of(finfo)
            if mark is not None and model in _inner_types(finfo.annotation):
                yield mark


def _segments(model: type[X12Model]) -> list[str]:
    return sorted({m.seg_id for m in _owners(model) if isinstance(m, (Seg, Group))})


def _groups(model: type[X12Model]) -> list[Group]:
    return sorted({m for m in _owners(model) if isinstance(m, Group)}, key=lambda g: g.seg_id)


def _segment_of(mark: Elem | Elems | Part | Seg | SegMap | Group) -> str:
    """The segment a field is in; "" for a segment model's relative references (`Elem("02")`)."""
    if isinstance(mark, Elem):
        return split_ref(mark.ref)[0]
    if isinstance(mark, Elems):
        return split_ref(mark.refs[0])[0]
    return "" if isinstance(mark, Part) else mark.seg_id


def _loops(model: type[X12Model], seg_id: str) -> list[str]:
    if not issubclass(model, LoopModel) or model.loop_id in ("", "ST"):
        return []
    merged = name_loop_of(model)
    if merged is not None and seg_id not in merged.hl_segments:  # NM1 of a subscriber: in 2010BA
        return [merged.loop_id]
    held = {m.loop_id for m in _owners(model) if isinstance(m, (Child, Custom))}
    return sorted(held or {model.loop_id})


def _all_models() -> Iterator[type[X12Model]]:
    todo = [X12Model]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls not in (X12Model, LoopModel, SegmentModel, ItemModel) and cls.__pydantic_complete__:
            yield cls


def _inner_types(annotation: Any) -> set[Any]:
    """Every type an annotation names (`list[Party] | None` → {list, Party, NoneType})."""
    out = {annotation, typing.get_origin(annotation)}  # `list[Contact]`: its origin is `list`
    for arg in getattr(annotation, "__args__", ()):
        out |= _inner_types(arg)
    return out
