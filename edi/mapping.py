"""Mapping between loop trees and models, both ways, from the markers declared on the model fields.

Each model class is compiled once into a `_Codec`: a list of slots in canonical (declaration) order. A slot
is one place in the loop: a segment whose elements feed scalar fields (`Elem`), segments that become
sub-models (`Seg`), dict entries (`SegMap`) or repeated element groups (`Group`), or child loops
(`Child`, `Custom`). Reading walks the loop's items and hands each one to the first slot that takes it;
writing asks every slot for its segments and loops. Both directions walk the same compiled slots, so the
reader and the writer cannot disagree.

Losslessness: a segment no slot takes is kept unmapped, in place; element text that does not come back
the same from its value (`.50` read as 0.50, an element the model has no field for, a trailing
separator) is noted with the canonical text it stands for, and written back as long as the value still
produces that canonical text. The input order is noted only when it differs from the canonical order.
Instances read from X12 carry these notes in their private `_x12` attribute; instances built in code
have none and are written canonically.
"""

from __future__ import annotations

import copy
import functools
import re
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Union

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from edi.diagnostics import Diagnostic, Location, Severity
from edi.errors import MappingDefinitionError
from edi.loops import Loop
from edi.models.base import (
    Child,
    Custom,
    Elem,
    Elems,
    Group,
    ItemModel,
    LoopModel,
    Part,
    Period,
    Seg,
    SegMap,
    SegmentModel,
    X12Model,
    split_ref,
)
from edi.x12.delimiters import Delimiters
from edi.x12.segment import DEFAULT_DELIMITERS, Segment

# -- scalar conversions ------------------------------------------------------------------------------

_NUMBER = re.compile(r"^-?(\d+\.?\d*|\.\d+)$")


class _Conv:
    """How one scalar type is read from and written to element text."""

    __slots__ = ("name", "expected", "parse", "fmt", "identity")

    def __init__(
        self,
        name: str,
        expected: str,
        parse: Callable[[str], Any],
        fmt: Callable[[Any], str],
        identity: bool = False,
    ) -> None:
        self.name = name
        self.expected = expected
        self.parse = parse
        self.fmt = fmt
        self.identity = identity  # text comes back unchanged: no need to compare


def _parse_decimal(text: str) -> Decimal:
    if not _NUMBER.match(text):
        raise ValueError(text)
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already excludes these
        raise ValueError(text) from exc


def _fmt_decimal(value: Decimal) -> str:
    text = format(value, "f")
    return "0" if text in ("-0", "-0.0") else text


def _parse_int(text: str) -> int:
    if not text.isdigit():
        raise ValueError(text)
    return int(text)


def _parse_date(text: str) -> date:
    if len(text) != 8 or not text.isdigit():
        raise ValueError(text)
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _fmt_date(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _parse_period(text: str) -> Period:
    start, sep, end = text.partition("-")
    # What Period.model_construct(start=..., end=...) builds, without its per-call overhead.
    period = _new_period(Period)
    set_attr = object.__setattr__
    set_attr(
        period, "__dict__", {"start": _parse_date(start), "end": _parse_date(end) if sep else None}
    )
    set_attr(period, "__pydantic_fields_set__", {"start", "end"})
    set_attr(period, "__pydantic_extra__", None)
    set_attr(period, "__pydantic_private__", None)
    return period


_new_period = object.__new__


def _fmt_period(value: Period) -> str:
    if value.end is None:
        return _fmt_date(value.start)
    return f"{_fmt_date(value.start)}-{_fmt_date(value.end)}"


STR = _Conv("text", "text", str, str, identity=True)
DECIMAL = _Conv("number", "a decimal number such as 125.50", _parse_decimal, _fmt_decimal)
INT = _Conv("integer", "a whole number", _parse_int, str)
DATE = _Conv("date", "a date CCYYMMDD", _parse_date, _fmt_date)
PERIOD = _Conv(
    "date or period", "a date CCYYMMDD or a period CCYYMMDD-CCYYMMDD", _parse_period, _fmt_period
)
_CONVERSIONS: dict[type, _Conv] = {str: STR, Decimal: DECIMAL, int: INT, date: DATE, Period: PERIOD}


# -- layout notes ------------------------------------------------------------------------------------


@dataclass(slots=True)
class SegNotes:
    """Element text of one segment that its values do not reproduce: position → (text read, canonical).

    Both texts are in the delimiters the segment was read with (`delimiters`); writing with other
    delimiters translates them first.
    """

    delimiters: Delimiters
    raw: dict[int, tuple[str, str]] = field(default_factory=dict)
    length: int = 0  # element count as read when it ended in empty elements (a trailing separator)

    def __bool__(self) -> bool:
        return bool(self.raw) or bool(self.length)

    def apply(self, els: list[str], target: Delimiters) -> bool:
        """Put the text read back where the values still give the canonical text; True if any did."""
        src = self.delimiters
        same = src.component == target.component and src.repetition == target.repetition
        applied = False
        for pos, (raw, canonical) in self.raw.items():
            if not same:
                raw, canonical = _translate(raw, src, target), _translate(canonical, src, target)
            if pos >= len(els):
                els.extend([""] * (pos + 1 - len(els)))
            if els[pos] == canonical:
                els[pos] = raw
                applied = True
        while len(els) > 1 and els[-1] == "":
            els.pop()
        if self.length > len(els):
            els.extend([""] * (self.length - len(els)))
        return applied


def _translate(text: str, src: Delimiters, target: Delimiters) -> str:
    """Element text re-delimited: component (and repetition) separators of `src` → `target`."""
    if src.repetition and target.repetition and src.repetition in text:
        return target.repetition.join(
            part.replace(src.component, target.component) for part in text.split(src.repetition)
        )
    return text.replace(src.component, target.component)


@dataclass(slots=True)
class Layout:
    """How a loop was laid out in the input, where that differs from what its model writes by itself."""

    order: list[str] | None = None  # slot keys in input order, "!<n>" for unmapped item n
    unmapped: list[Segment | Loop] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)  # slot key → per-slot notes

    def __bool__(self) -> bool:
        return self.order is not None or bool(self.unmapped) or bool(self.notes)


# -- contexts ----------------------------------------------------------------------------------------


class ReadContext:
    """Collects diagnostics while reading; knows the loop being read, for locations."""

    def __init__(self, diagnostics: list[Diagnostic] | None = None) -> None:
        self.diagnostics: list[Diagnostic] = diagnostics if diagnostics is not None else []
        self.loop_id = ""
        self.loop_name = ""

    def location(self, seg: Segment | None, element: str | None = None) -> Location:
        loop_id, loop_name = self.loop_id or None, self.loop_name or None
        if seg is None:
            return Location(0, "", 0, 0, loop_id, loop_name, element)
        return Location(seg.index, seg.id, seg.line, seg.offset, loop_id, loop_name, element)

    def report(
        self,
        code: str,
        message: str,
        seg: Segment | None,
        element: str | None = None,
        *,
        expected: tuple[str, ...] = (),
        ack: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.diagnostics.append(
            Diagnostic(code, message, severity, self.location(seg, element), expected, ack=ack)
        )


@dataclass(slots=True)
class WriteContext:
    """What writing needs to know: the delimiters composites are joined with."""

    delimiters: Delimiters = DEFAULT_DELIMITERS


# -- element maps ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Scalar:
    name: str  # field name in the owning model
    pos: int
    comp: int  # 0 = the whole element
    conv: _Conv
    ref: str
    many: bool = False  # one entry of an Elems list, at `list_index`
    list_index: int = 0
    format_pos: int = 0  # Period: the element that holds D8 / RD8


class _ElementMap:
    """Scalar fields over the elements of one segment, both ways (used by every slot kind)."""

    def __init__(
        self, seg_id: str, scalars: list[_Scalar], implied: dict[int, str], owner: str
    ) -> None:
        self.seg_id = seg_id
        self.implied = dict(implied)  # positions written with a fixed value (a single qualifier)
        self.by_pos: dict[int, list[_Scalar]] = {}
        self.formats: list[tuple[str, int]] = []  # (field, position of its D8/RD8 qualifier)
        for sc in scalars:
            self.by_pos.setdefault(sc.pos, []).append(sc)
            if sc.format_pos:
                self.implied.setdefault(sc.format_pos, "")
                self.formats.append((sc.name, sc.format_pos))
        for pos, group in self.by_pos.items():
            group.sort(key=lambda s: s.comp)
            if len(group) > 1 and any(s.comp == 0 for s in group):
                raise MappingDefinitionError(
                    f"{owner}: element {seg_id}{pos:02d} is mapped both whole and by component"
                )
        self.max_pos = max([*self.by_pos, *self.implied, 0])
        # Whole elements read as text into one field: the common case, read without conversion.
        self.text_fields = {
            pos: group[0].name
            for pos, group in self.by_pos.items()
            if len(group) == 1
            and group[0].comp == 0
            and group[0].conv.identity
            and not group[0].many
        }
        self.other_fields = [
            (pos, group) for pos, group in self.by_pos.items() if pos not in self.text_fields
        ]
        self.template = [""] * (self.max_pos + 1)
        self.template[0] = seg_id
        for pos, fixed in self.implied.items():
            self.template[pos] = fixed

    def read(
        self,
        seg: Segment,
        data: dict[str, Any],
        ctx: ReadContext,
        lo: int = 1,
        hi: int | None = None,
        notes: SegNotes | None = None,
    ) -> SegNotes | None:
        """Fill `data` from elements lo..hi-1; return notes of text the values will not reproduce
        (added to `notes` when given). Elements no field maps are noted whole."""
        els = seg.elements
        n = len(els) if hi is None or hi > len(els) else hi
        by_pos = self.by_pos
        implied = self.implied
        text_fields = self.text_fields
        lists: dict[str, list[Any]] | None = None
        for p in range(lo, n):
            raw = els[p]
            if not raw:
                continue
            name = text_fields.get(p)
            if name is not None:
                data[name] = raw
                continue
            group = by_pos.get(p)
            if group is None:
                fixed = implied.get(p)
                if fixed is not None and (raw == fixed or fixed == ""):
                    continue  # a qualifier or format code the values imply
                if notes is None:
                    notes = SegNotes(seg.delimiters)
                notes.raw[p] = (raw, fixed or "")
                continue
            if len(group) == 1 and group[0].comp == 0:
                sc = group[0]
                if sc.conv.identity:
                    value: Any = raw
                    canonical = raw
                else:
                    try:
                        value = sc.conv.parse(raw)
                    except ValueError:
                        self._invalid(seg, sc, raw, ctx)
                        if notes is None:
                            notes = SegNotes(seg.delimiters)
                        notes.raw[p] = (raw, "")
                        continue
                    canonical = sc.conv.fmt(value)
                if sc.many:
                    if lists is None:
                        lists = {}
                    _put(lists.setdefault(sc.name, []), sc.list_index, value)
                else:
                    data[sc.name] = value
                if canonical != raw:
                    if notes is None:
                        notes = SegNotes(seg.delimiters)
                    notes.raw[p] = (raw, canonical)
                continue
            # A composite: its components feed several fields.
            comp = seg.delimiters.component
            parts = raw.split(comp)
            canon_parts = [""] * len(parts)
            for sc in group:
                k = sc.comp - 1
                if k >= len(parts):
                    continue
                text = parts[k]
                if not text:
                    continue
                if sc.conv.identity:
                    value = text
                    canon_parts[k] = text
                else:
                    try:
                        value = sc.conv.parse(text)
                    except ValueError:
                        self._invalid(seg, sc, text, ctx)
                        continue
                    canon_parts[k] = sc.conv.fmt(value)
                if sc.many:
                    if lists is None:
                        lists = {}
                    _put(lists.setdefault(sc.name, []), sc.list_index, value)
                else:
                    data[sc.name] = value
            canonical = _join_trimmed(canon_parts, comp)
            if canonical != raw:
                if notes is None:
                    notes = SegNotes(seg.delimiters)
                notes.raw[p] = (raw, canonical)
        if lists:
            for list_name, values in lists.items():
                while values and values[-1] == "":
                    values.pop()
                data[list_name] = values
        for field_name, fpos in self.formats:
            # The format qualifier the value implies (D8 / RD8); any other text read is kept.
            raw = els[fpos] if fpos < n else ""
            value = data.get(field_name)
            canonical = "" if value is None else "RD8" if getattr(value, "end", None) else "D8"
            if raw != canonical and fpos >= lo:
                if notes is None:
                    notes = SegNotes(seg.delimiters)
                notes.raw[fpos] = (raw, canonical)
        if hi is None and len(els) > 1 and els[-1] == "":
            if notes is None:
                notes = SegNotes(seg.delimiters)
            notes.length = len(els)
        return notes

    def _invalid(self, seg: Segment, sc: _Scalar, raw: str, ctx: ReadContext) -> None:
        ref = f"{seg.id}{sc.pos:02d}" + (f"-{sc.comp:02d}" if sc.comp else "")
        ctx.report(
            "mapping.invalid_value",
            f"{ref} is {raw!r}, not {sc.conv.expected}",
            seg,
            ref,
            expected=(sc.conv.expected,),
            ack="IK403:8" if sc.conv in (DATE, PERIOD) else "IK403:6",
        )

    def write(
        self,
        values: dict[str, Any],
        notes: SegNotes | None,
        wctx: WriteContext,
        extra: dict[int, str] | None = None,
        *,
        force: bool = False,
    ) -> list[str] | None:
        """Element texts for the values; None when there is nothing to write (unless `force`)."""
        comp = wctx.delimiters.component
        els = self.template.copy()  # the segment ID and the implied qualifiers
        has_data = force
        if extra:
            for pos, text in extra.items():
                if pos >= len(els):
                    els.extend([""] * (pos + 1 - len(els)))
                els[pos] = text
        for pos, name in self.text_fields.items():
            value = values.get(name)
            if value:
                els[pos] = value
                has_data = True
        for pos, group in self.other_fields:
            if len(group) == 1 and group[0].comp == 0:
                sc = group[0]
                value = values.get(sc.name)
                if sc.many:
                    value = value[sc.list_index] if value and sc.list_index < len(value) else None
                if value is None or value == "":
                    continue
                els[pos] = sc.conv.fmt(value)
                if sc.format_pos:
                    els[sc.format_pos] = "RD8" if getattr(value, "end", None) else "D8"
                has_data = True
                continue
            parts: list[str] = []
            for sc in group:
                value = values.get(sc.name)
                if sc.many:
                    value = value[sc.list_index] if value and sc.list_index < len(value) else None
                if value is None or value == "":
                    continue
                while len(parts) < sc.comp:
                    parts.append("")
                parts[sc.comp - 1] = sc.conv.fmt(value)
                has_data = True
            els[pos] = _join_trimmed(parts, comp)
        if notes and notes.apply(els, wctx.delimiters):
            has_data = True
        if not has_data:
            return None
        while len(els) > 1 and els[-1] == "":
            els.pop()
        if notes and notes.length > len(els):
            els.extend([""] * (notes.length - len(els)))
        return els


def _put(values: list[Any], index: int, value: Any) -> None:
    while len(values) <= index:
        values.append("")
    values[index] = value


def _join_trimmed(parts: list[str], sep: str) -> str:
    end = len(parts)
    while end and parts[end - 1] == "":
        end -= 1
    return sep.join(parts[:end])


def _qual_of(seg: Segment, qual_at: int) -> str:
    els = seg.elements
    value = els[qual_at] if qual_at < len(els) else ""
    comp = seg.delimiters.component
    return value.split(comp, 1)[0] if comp in value else value


def _implied(quals: tuple[str, ...] | None, qual_at: int) -> dict[int, str]:
    return {qual_at: quals[0]} if quals and len(quals) == 1 else {}


# -- slots -------------------------------------------------------------------------------------------


class _Slot:
    """One place in a loop. Subclasses say which items they take and how they read and write them."""

    key: str
    rank: int
    field_names: tuple[str, ...] = ()

    def takes(self, seg: Segment, filled: dict[str, Any]) -> bool:
        return False

    def read(self, seg: Segment, data: dict[str, Any], layout: Layout, ctx: ReadContext) -> None:
        raise NotImplementedError  # pragma: no cover

    def write(
        self, model: X12Model, layout: Layout | None, wctx: WriteContext
    ) -> list[Segment | Loop]:
        return []


class _ElemSlot(_Slot):
    """Scalar fields of a loop model that live in one segment."""

    def __init__(self, key: str, seg_id: str, quals: tuple[str, ...] | None, qual_at: int) -> None:
        self.key = key
        self.seg_id = seg_id
        self.quals = quals
        self.qual_at = qual_at
        self.scalars: list[_Scalar] = []

    def finish(self, owner: str) -> None:
        self.map = _ElementMap(self.seg_id, self.scalars, _implied(self.quals, self.qual_at), owner)
        if self.quals and len(self.quals) > 1 and self.qual_at not in self.map.by_pos:
            raise MappingDefinitionError(
                f"{owner}: {self.key} takes several qualifiers, so a field must map "
                f"{self.seg_id}{self.qual_at:02d} itself"
            )
        self.field_names = tuple(dict.fromkeys(s.name for s in self.scalars))

    def takes(self, seg: Segment, filled: dict[str, Any]) -> bool:
        if self.key in filled:
            return False
        return self.quals is None or _qual_of(seg, self.qual_at) in self.quals

    def read(self, seg: Segment, data: dict[str, Any], layout: Layout, ctx: ReadContext) -> None:
        notes = self.map.read(seg, data, ctx)
        if notes:
            layout.notes[self.key] = notes

    def write(
        self, model: X12Model, layout: Layout | None, wctx: WriteContext
    ) -> list[Segment | Loop]:
        fields = model.__dict__
        notes = layout.notes.get(self.key) if layout else None
        if notes is None:
            # Most slots of a model are empty: find out before building any element list.
            for name in self.field_names:
                value = fields[name]
                if value is not None and value != "" and not (type(value) is list and not value):
                    break
            else:
                return []
        values = {name: fields[name] for name in self.field_names}
        els = self.map.write(values, notes, wctx)
        return [] if els is None else [Segment(els, wctx.delimiters)]


class _SegSlot(_Slot):
    """Segments that each become a `SegmentModel` (one, an optional one, or a list)."""

    def __init__(
        self, key: str, name: str, marker: Seg, model: type[SegmentModel], many: bool
    ) -> None:
        self.key = key
        self.field_names = (name,)
        self.name = name
        self.seg_id = marker.seg_id
        self.quals = marker.quals
        self.qual_at = marker.qual_at
        self.max = marker.max if many else 1
        self.model = model
        self.many = many
        implied = _implied(self.quals, self.qual_at)
        self.map = _segment_map(model, self.seg_id, implied)
        if not implied and self.quals is not None and self.qual_at not in self.map.by_pos:
            raise MappingDefinitionError(
                f"{model.__name__} maps {self.seg_id} segments with several qualifiers "
                f"{self.quals}, so it must map element {self.qual_at:02d} itself"
            )

    def takes(self, seg: Segment, filled: dict[str, Any]) -> bool:
        if self.max is not None and filled.get(self.key, 0) >= self.max:
            return False
        return self.quals is None or _qual_of(seg, self.qual_at) in self.quals

    def read(self, seg: Segment, data: dict[str, Any], layout: Layout, ctx: ReadContext) -> None:
        sub_data: dict[str, Any] = {}
        notes = self.map.read(seg, sub_data, ctx)
        sub = _build(self.model, sub_data, notes or None, ctx, seg)
        if sub is None:
            layout.unmapped.append(seg)  # it cannot be a model: keep it as it was
            return
        if self.many:
            data.setdefault(self.name, []).append(sub)
        else:
            data[self.name] = sub

    def write(
        self, model: X12Model, layout: Layout | None, wctx: WriteContext
    ) -> list[Segment | Loop]:
        value = getattr(model, self.name)
        subs = value if self.many else ([] if value is None else [value])
        out: list[Segment | Loop] = []
        for sub in subs:
            values = {name: getattr(sub, name) for name in type(sub).model_fields}
            els = self.map.write(values, sub._x12, wctx, force=True)
            assert els is not None
            out.append(Segment(els, wctx.delimiters))
        return out


class _MapSlot(_Slot):
    """Segments that each become one dict entry, keyed by their qualifier."""

    def __init__(self, key: str, name: str, marker: SegMap, conv: _Conv) -> None:
        self.key = key
        self.field_names = (name,)
        self.name = name
        self.seg_id = marker.seg_id
        self.quals = marker.quals
        _, self.key_pos, _ = split_ref(marker.key)
        _, value_pos, _ = split_ref(marker.value)
        scalar = _Scalar("value", value_pos, 0, conv, marker.value)
        self.map = _ElementMap(self.seg_id, [scalar], {self.key_pos: ""}, name)

    def takes(self, seg: Segment, filled: dict[str, Any]) -> bool:
        key = seg.element(self.key_pos)
        if not key or (self.quals is not None and key not in self.quals):
            return False
        return key not in filled.get(self.key, ())

    def read(self, seg: Segment, data: dict[str, Any], layout: Layout, ctx: ReadContext) -> None:
        key = seg.element(self.key_pos)
        sub: dict[str, Any] = {}
        notes = self.map.read(seg, sub, ctx)
        if "value" not in sub:
            layout.unmapped.append(seg)
            return
        data.setdefault(self.name, {})[key] = sub["value"]
        if notes:
            layout.notes.setdefault(self.key, {})[key] = notes

    def write(
        self, model: X12Model, layout: Layout | None, wctx: WriteContext
    ) -> list[Segment | Loop]:
        entries = getattr(model, self.name) or {}
        all_notes = layout.notes.get(self.key, {}) if layout else {}
        out: list[Segment | Loop] = []
        for key, value in entries.items():
            els = self.map.write(
                {"value": value}, all_notes.get(key), wctx, {self.key_pos: key}, force=True
            )
            assert els is not None
            out.append(Segment(els, wctx.delimiters))
        return out


class _GroupSlot(_Slot):
    """Repeated element groups of segments, one `ItemModel` per group (CAS triplets, PLB pairs, HI)."""

    def __init__(self, key: str, name: str, marker: Group, model: type[ItemModel]) -> None:
        self.key = key
        self.field_names = (name,)
        self.name = name
        self.marker = marker
        self.seg_id = marker.seg_id
        self.quals = marker.quals
        self.qual_at = marker.qual_at
        self.model = model
        header: list[_Scalar] = []
        parts: list[_Scalar] = []
        for fname, finfo in model.model_fields.items():
            mark = _marker(finfo)
            conv = _scalar_conv(model, fname, finfo.annotation)
            if isinstance(mark, Part):
                if not 1 <= mark.index <= marker.size:
                    raise MappingDefinitionError(
                        f"{model.__name__}.{fname}: Part index outside the group"
                    )
                parts.append(_Scalar(fname, mark.index, mark.component, conv, f"part {mark.index}"))
            elif isinstance(mark, Elem):
                _, pos, comp = split_ref(mark.ref)
                if pos >= marker.start:
                    raise MappingDefinitionError(
                        f"{model.__name__}.{fname}: header element {mark.ref} must come before the groups"
                    )
                header.append(_Scalar(fname, pos, comp, conv, mark.ref))
            else:
                raise MappingDefinitionError(
                    f"{model.__name__}.{fname}: expected Part(...) or Elem(...)"
                )
        self.header_names = tuple(s.name for s in header)
        self.part_names = tuple(s.name for s in parts)
        self.header_map = _ElementMap(
            self.seg_id, header, _implied(self.quals, self.qual_at), model.__name__
        )
        # One element map per group, with absolute element positions.
        self.group_maps = [
            _ElementMap(
                self.seg_id,
                [
                    _Scalar(
                        p.name, marker.start + g * marker.size + p.pos - 1, p.comp, p.conv, p.ref
                    )
                    for p in parts
                ],
                {},
                model.__name__,
            )
            for g in range(marker.count)
        ]
        self.end = marker.start + marker.count * marker.size  # first position after the last group

    def takes(self, seg: Segment, filled: dict[str, Any]) -> bool:
        return self.quals is None or _qual_of(seg, self.qual_at) in self.quals

    def read(self, seg: Segment, data: dict[str, Any], layout: Layout, ctx: ReadContext) -> None:
        m = self.marker
        els = seg.elements
        header: dict[str, Any] = {}
        notes = self.header_map.read(seg, header, ctx, 1, m.start)
        items = data.setdefault(self.name, [])
        first = len(items)
        gap = irregular = False
        for g, gmap in enumerate(self.group_maps):
            base = m.start + g * m.size
            if base >= len(els):
                break
            if not any(els[base : base + m.size]):
                gap = True
                continue
            irregular = irregular or gap
            values: dict[str, Any] = dict(header)
            notes = gmap.read(seg, values, ctx, base, base + m.size, notes)
            item = _build(self.model, values, None, ctx, seg)
            if item is not None:
                items.append(item)
        if len(els) > self.end:  # elements after the last group: kept as read
            notes = self.header_map.read(seg, {}, ctx, self.end, None, notes)
        elif len(els) > 1 and els[-1] == "":
            notes = notes or SegNotes(seg.delimiters)
            notes.length = len(els)
        override = None
        if irregular:
            # An empty group between others: the canonical writer would close the gap. Keep the
            # segment as read, for as long as its items write the same canonical segment.
            canonical = self._write_chunk(items[first:], None, WriteContext(seg.delimiters))
            override = (canonical, list(els), seg.delimiters)
        layout.notes.setdefault(self.key, []).append((len(items) - first, notes, override))

    def write(
        self, model: X12Model, layout: Layout | None, wctx: WriteContext
    ) -> list[Segment | Loop]:
        items = getattr(model, self.name) or []
        if not items:
            return []
        recorded = layout.notes.get(self.key) if layout else None
        chunks = self._chunks(items, recorded, model)
        fits = recorded is not None and len(recorded) == len(chunks)
        out: list[Segment | Loop] = []
        for i, chunk in enumerate(chunks):
            notes = override = None
            if fits and recorded[i][0] == len(chunk):  # type: ignore[index]
                _, notes, override = recorded[i]  # type: ignore[index]
            if override is not None:
                canonical, raw, src = override
                if self._write_chunk(chunk, None, WriteContext(src)) == canonical:
                    els = [_translate(e, src, wctx.delimiters) for e in raw]
                    out.append(Segment(els, wctx.delimiters))
                    continue
            out.append(Segment(self._write_chunk(chunk, notes, wctx), wctx.delimiters))
        return out

    def _write_chunk(
        self, chunk: list[Any], notes: SegNotes | None, wctx: WriteContext
    ) -> list[str]:
        m = self.marker
        head = {name: getattr(chunk[0], name) for name in self.header_names} if chunk else {}
        els = self.header_map.write(head, None, wctx, force=True) or [self.seg_id]
        for g, item in enumerate(chunk):
            values = {name: getattr(item, name) for name in self.part_names}
            group = self.group_maps[g].write(values, None, wctx)
            if group is None:
                continue
            base = m.start + g * m.size
            if len(els) < base + m.size:
                els.extend([""] * (base + m.size - len(els)))
            for pos in range(base, min(len(group), base + m.size)):
                els[pos] = group[pos]
        if notes:
            notes.apply(els, wctx.delimiters)
        while len(els) > 1 and els[-1] == "":
            els.pop()
        if notes and notes.length > len(els):
            els.extend([""] * (notes.length - len(els)))
        return els

    def _chunks(
        self, items: list[Any], recorded: list[tuple[int, Any, Any]] | None, owner: X12Model
    ) -> list[list[Any]]:
        if recorded is not None and sum(r[0] for r in recorded) == len(items):
            chunks: list[list[Any]] = []
            i = 0
            for n, _, _ in recorded:
                chunks.append(items[i : i + n])
                i += n
            if all(c and self._same_header(c) for c in chunks):
                return chunks
        chunks = []
        split = self.marker.split
        if self.marker.split_by is not None:
            split_by = self.marker.split_by

            def split(item: Any) -> Any:
                return split_by(owner, item)

        for item in items:
            if chunks:
                last = chunks[-1]
                if (
                    len(last) < self.marker.count
                    and self._header(last[0]) == self._header(item)
                    and (split is None or split(last[-1]) == split(item))
                ):
                    last.append(item)
                    continue
            chunks.append([item])
        return chunks

    def _header(self, item: Any) -> tuple[Any, ...]:
        return tuple(getattr(item, n) for n in self.header_names)

    def _same_header(self, chunk: list[Any]) -> bool:
        first = self._header(chunk[0])
        return all(self._header(i) == first for i in chunk[1:])


class _ChildSlot(_Slot):
    """Child loops that become `LoopModel`s."""

    def __init__(
        self, key: str, name: str, marker: Child, model: type[LoopModel], many: bool
    ) -> None:
        self.key = key
        self.field_names = (name,)
        self.name = name
        self.loop_id = marker.loop_id
        self.model = model
        self.many = many
        self.max = marker.max if many else 1

    def takes_loop(self, loop: Loop, filled: dict[str, Any]) -> bool:
        count = filled.get(self.key, 0)
        return self.max is None or count < self.max

    def read_loop(self, loop: Loop, data: dict[str, Any], layout: Layout, ctx: ReadContext) -> bool:
        sub = read_model(self.model, loop, ctx)
        if sub is None:
            return False
        if self.many:
            data.setdefault(self.name, []).append(sub)
        else:
            data[self.name] = sub
        return True

    def write(
        self, model: X12Model, layout: Layout | None, wctx: WriteContext
    ) -> list[Segment | Loop]:
        value = getattr(model, self.name)
        subs = value if self.many else ([] if value is None else [value])
        return [write_model(sub, wctx) for sub in subs]


class _CustomSlot(_Slot):
    """Child loops handled by the transaction module (passed in when writing)."""

    def __init__(self, key: str, name: str, loop_id: str) -> None:
        self.key = key
        self.field_names = (name,)
        self.loop_id = loop_id


class _ComputedSlot(_Slot):
    """Segments the transaction module computes when writing (HL, SE, ...); skipped when reading."""

    def __init__(self, key: str, seg_id: str) -> None:
        self.key = key
        self.seg_id = seg_id

    def takes(self, seg: Segment, filled: dict[str, Any]) -> bool:
        return True


# -- compiling a model class -----------------------------------------------------------------------


# Slots that choose their segments by the qualifier at `qual_at` (first component of a composite).
_QUALIFIED_SLOTS = (_ElemSlot, _SegSlot, _GroupSlot)


class _Codec:
    def __init__(self, model: type[X12Model]) -> None:
        self.model = model
        self.slots: list[_Slot] = []
        self.by_seg: dict[str, list[_Slot]] = {}
        self.by_loop: dict[str, _Slot] = {}
        computed: tuple[str, ...] = getattr(model, "__x12_computed__", ())
        for seg_id in computed:
            if seg_id != "SE":
                self._add(_ComputedSlot(f"={seg_id}", seg_id), seg_id=seg_id)
        elem_slots: dict[str, _ElemSlot] = {}
        owner = model.__name__
        for name, finfo in model.model_fields.items():
            mark = _marker(finfo)
            if mark is None:
                raise MappingDefinitionError(
                    f"{owner}.{name} has no X12 marker (Elem, Seg, Child, ...)"
                )
            where = _where(mark)
            inner, many, _ = _unwrap(finfo.annotation)
            if isinstance(mark, (Elem, Elems)):
                seg_id = split_ref(mark.ref if isinstance(mark, Elem) else mark.refs[0])[0]
                if not seg_id:
                    raise MappingDefinitionError(
                        f"{owner}.{name}: {where} must name its segment in a loop model"
                    )
                quals = mark.quals
                key = seg_id + ("" if quals is None else "*" + "|".join(quals))
                slot = elem_slots.get(key)
                if slot is None:
                    slot = _ElemSlot(key, seg_id, quals, mark.qual_at)
                    elem_slots[key] = slot
                    self._add(slot, seg_id=seg_id)
                slot.scalars.extend(_scalars(model, name, mark, finfo.annotation))
            elif isinstance(mark, Seg):
                if not (isinstance(inner, type) and issubclass(inner, SegmentModel)):
                    raise MappingDefinitionError(
                        f"{owner}.{name}: Seg(...) needs a SegmentModel type"
                    )
                key = f"{mark.seg_id}*{'|'.join(mark.quals or ('',))}#{name}"
                self._add(_SegSlot(key, name, mark, inner, many), seg_id=mark.seg_id)
            elif isinstance(mark, SegMap):
                conv = _dict_value_conv(model, name, finfo.annotation)
                self._add(
                    _MapSlot(f"{mark.seg_id}{{}}#{name}", name, mark, conv), seg_id=mark.seg_id
                )
            elif isinstance(mark, Group):
                if not (isinstance(inner, type) and issubclass(inner, ItemModel)):
                    raise MappingDefinitionError(
                        f"{owner}.{name}: Group(...) needs a list of an ItemModel"
                    )
                self._add(
                    _GroupSlot(f"{mark.seg_id}[]#{name}", name, mark, inner), seg_id=mark.seg_id
                )
            elif isinstance(mark, Child):
                if not (isinstance(inner, type) and issubclass(inner, LoopModel)):
                    raise MappingDefinitionError(
                        f"{owner}.{name}: Child(...) needs a LoopModel type"
                    )
                self._add(_ChildSlot(mark.loop_id, name, mark, inner, many), loop_id=mark.loop_id)
            elif isinstance(mark, Custom):
                self._add(_CustomSlot(mark.loop_id, name, mark.loop_id), loop_id=mark.loop_id)
            else:
                raise MappingDefinitionError(
                    f"{owner}.{name}: {mark!r} cannot be used in a loop model"
                )
        for slot in elem_slots.values():
            slot.finish(owner)
        if "SE" in computed:
            self._add(_ComputedSlot("=SE", "SE"), seg_id="SE")
        self.ranks = {slot.key: i for i, slot in enumerate(self.slots)}
        # What canonical writing walks: (slot, 1 custom / 2 computed / 0 by its fields, field names).
        self.plan = [
            (
                slot,
                1 if type(slot) is _CustomSlot else 2 if type(slot) is _ComputedSlot else 0,
                slot.field_names,
            )
            for slot in self.slots
        ]
        # Segment IDs whose qualified slots all look at the same qualifier position: the slots a
        # segment may go to are then found once per qualifier value (`candidates`).
        self._lookup: dict[str, tuple[int, dict[str, list[_Slot]]] | None] = {}
        for seg_id, slots in self.by_seg.items():
            positions = {
                slot.qual_at  # type: ignore[attr-defined]
                for slot in slots
                if type(slot) in _QUALIFIED_SLOTS and slot.quals is not None  # type: ignore[attr-defined]
            }
            self._lookup[seg_id] = (positions.pop(), {}) if len(positions) == 1 else None

    def candidates(self, seg: Segment) -> Sequence[_Slot]:
        """The slots that may take a segment, in canonical order (each still decides with `takes`)."""
        entry = self._lookup.get(seg.id, False)
        if entry is False:
            return ()
        if entry is None:
            return self.by_seg[seg.id]
        pos, cache = entry
        qual = _qual_of(seg, pos)
        found = cache.get(qual)
        if found is None:
            found = [
                slot
                for slot in self.by_seg[seg.id]
                if type(slot) not in _QUALIFIED_SLOTS
                or slot.quals is None  # type: ignore[attr-defined]
                or qual in slot.quals  # type: ignore[attr-defined]
            ]
            if len(cache) < 512:  # qualifiers come from the input: keep the cache bounded
                cache[qual] = found
        return found

    def _add(self, slot: _Slot, *, seg_id: str | None = None, loop_id: str | None = None) -> None:
        slot.rank = len(self.slots)
        self.slots.append(slot)
        if seg_id is not None:
            self.by_seg.setdefault(seg_id, []).append(slot)
        if loop_id is not None:
            if loop_id in self.by_loop:
                raise MappingDefinitionError(f"{self.model.__name__}: loop {loop_id} mapped twice")
            self.by_loop[loop_id] = slot


class _Defaults:
    """What building an instance needs besides the values read: required fields and defaults."""

    def __init__(self, model: type[X12Model]) -> None:
        self.required: list[tuple[str, str]] = []  # (field, where it lives)
        # Every field in declaration order, at its default (None for required ones, which a built
        # instance always has): copied, then updated with the values read.
        self.base: dict[str, Any] = {}
        # Defaults each instance needs its own copy of (lists, dicts) and default factories.
        self.fresh: list[tuple[str, Callable[[], Any]]] = []
        for name, finfo in model.model_fields.items():
            if finfo.is_required():
                mark = _marker(finfo)
                self.required.append((name, _where(mark) if mark is not None else name))
                self.base[name] = None
            elif finfo.default_factory is not None:
                self.base[name] = None
                self.fresh.append((name, finfo.default_factory))  # type: ignore[arg-type]
            else:
                default = finfo.default
                self.base[name] = default
                if isinstance(default, (list, dict, set)):
                    fresh = (
                        type(default) if not default else functools.partial(copy.deepcopy, default)
                    )
                    self.fresh.append((name, fresh))
        self.private: dict[str, Any] = {
            name: attr.get_default() for name, attr in model.__private_attributes__.items()
        }


_DEFAULTS: dict[type, _Defaults] = {}
_CODECS: dict[type, _Codec] = {}
_SEGMENT_MAPS: dict[tuple[type, str, tuple[tuple[int, str], ...]], _ElementMap] = {}


def _codec(model: type[X12Model]) -> _Codec:
    codec = _CODECS.get(model)
    if codec is None:
        codec = _Codec(model)
        _CODECS[model] = codec
    return codec


def _segment_map(model: type[SegmentModel], seg_id: str, implied: dict[int, str]) -> _ElementMap:
    key = (model, seg_id, tuple(sorted(implied.items())))
    found = _SEGMENT_MAPS.get(key)
    if found is None:
        scalars: list[_Scalar] = []
        for name, finfo in model.model_fields.items():
            mark = _marker(finfo)
            if not isinstance(mark, (Elem, Elems)):
                raise MappingDefinitionError(
                    f"{model.__name__}.{name}: a segment model field needs Elem(...)"
                )
            scalars.extend(_scalars(model, name, mark, finfo.annotation))
        found = _ElementMap(seg_id, scalars, dict(implied), model.__name__)
        _SEGMENT_MAPS[key] = found
    return found


def _marker(finfo: Any) -> Any:
    found = [
        m
        for m in finfo.metadata
        if isinstance(m, (Elem, Elems, Seg, SegMap, Group, Part, Child, Custom))
    ]
    if len(found) > 1:
        raise MappingDefinitionError(f"more than one X12 marker: {found!r}")
    return found[0] if found else None


def _where(mark: Any) -> str:
    if isinstance(mark, Elem):
        return mark.ref
    if isinstance(mark, Elems):
        return mark.refs[0]
    if isinstance(mark, (Seg, SegMap, Group)):
        return f"segment {mark.seg_id}" + (f"*{'|'.join(mark.quals)}" if mark.quals else "")
    if isinstance(mark, (Child, Custom)):
        return f"loop {mark.loop_id}"
    return repr(mark)


def _unwrap(annotation: Any) -> tuple[Any, bool, bool]:
    """(inner type, is a list, is optional) of a field annotation."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = True
            if len(args) == 1:
                annotation = args[0]
                continue
            return annotation, False, optional
        if origin is list:
            inner = typing.get_args(annotation)[0]
            inner, _, _ = _unwrap(inner)
            return inner, True, optional
        return annotation, False, optional


def _scalar_conv(model: type, name: str, annotation: Any) -> _Conv:
    inner, _, _ = _unwrap(annotation)
    conv = _CONVERSIONS.get(inner) if isinstance(inner, type) else None
    if conv is None:
        raise MappingDefinitionError(
            f"{model.__name__}.{name}: type {inner!r} cannot be read from an element "
            "(use str, Decimal/Money, int, date or Period)"
        )
    return conv


def _dict_value_conv(model: type, name: str, annotation: Any) -> _Conv:
    inner = annotation
    while typing.get_origin(inner) is typing.Annotated:
        inner = typing.get_args(inner)[0]
    if typing.get_origin(inner) is not dict:
        raise MappingDefinitionError(
            f"{model.__name__}.{name}: SegMap(...) needs a dict[str, ...] type"
        )
    return _scalar_conv(model, name, typing.get_args(inner)[1])


def _scalars(model: type, name: str, mark: Elem | Elems, annotation: Any) -> list[_Scalar]:
    if isinstance(mark, Elem):
        _, pos, comp = split_ref(mark.ref)
        conv = _scalar_conv(model, name, annotation)
        fmt_pos = split_ref(mark.format)[1] if mark.format else 0
        if fmt_pos and conv is not PERIOD and conv is not DATE:
            raise MappingDefinitionError(
                f"{model.__name__}.{name}: format= is only for Period and date fields"
            )
        return [_Scalar(name, pos, comp, conv, mark.ref, format_pos=fmt_pos)]
    inner, many, _ = _unwrap(annotation)
    if not many:
        raise MappingDefinitionError(f"{model.__name__}.{name}: Elems(...) needs a list type")
    conv = _CONVERSIONS.get(inner)
    if conv is None:
        raise MappingDefinitionError(f"{model.__name__}.{name}: Elems of {inner!r} not supported")
    out = []
    for i, ref in enumerate(mark.refs):
        _, pos, comp = split_ref(ref)
        out.append(_Scalar(name, pos, comp, conv, ref, many=True, list_index=i))
    return out


# -- building instances fast -----------------------------------------------------------------------


def _build(
    model: type[X12Model],
    data: dict[str, Any],
    notes: Any,
    ctx: ReadContext,
    seg: Segment | None,
) -> Any:
    """An instance from already-converted values, without re-validating them (None if incomplete)."""
    codec = _DEFAULTS.get(model)
    if codec is None:
        codec = _DEFAULTS[model] = _Defaults(model)
    missing = [(name, where) for name, where in codec.required if name not in data]
    if missing:
        for name, where in missing:
            ctx.report(
                "mapping.missing",
                f"{where} ({name.replace('_', ' ')}) is required but missing",
                seg,
                where if where[:1].isalpha() and where[:3].isupper() else None,
                ack="IK403:1"
                if where[:1].isupper() and not where.startswith("segment")
                else "IK304:3",
            )
        return None
    values = codec.base.copy()
    values.update(data)
    for name, factory in codec.fresh:
        if name not in data:
            values[name] = factory()
    private = codec.private.copy()
    private["_x12"] = notes
    inst = model.__new__(model)
    set_attr = object.__setattr__
    set_attr(inst, "__dict__", values)
    set_attr(inst, "__pydantic_fields_set__", set(data))
    set_attr(inst, "__pydantic_extra__", None)
    set_attr(inst, "__pydantic_private__", private)
    return inst


# -- reading and writing loops -------------------------------------------------------------------


def read_model(
    model: type[LoopModel], loop: Loop, ctx: ReadContext, extra: dict[str, Any] | None = None
) -> Any:
    """The model of one loop, or None when required data is missing (diagnostics say what).

    `extra` gives the values of fields the transaction module reads itself (`Custom` fields, context
    from outside the loop); they count as present when required fields are checked.
    """
    codec = _codec(model)
    saved = (ctx.loop_id, ctx.loop_name)
    ctx.loop_id, ctx.loop_name = loop.id, loop.name
    try:
        data: dict[str, Any] = {}
        filled: dict[str, Any] = {}  # slot key → count (or the keys seen, for maps)
        layout = Layout()
        unmapped = layout.unmapped
        order: list[str] = []
        ranks = codec.ranks
        last_rank = -1
        in_order = True  # the items came in canonical (slot) order so far
        candidates = codec.candidates
        by_loop = codec.by_loop
        for item in loop.items:
            if type(item) is not Loop:
                for slot in candidates(item):  # type: ignore[arg-type]
                    if slot.takes(item, filled):  # type: ignore[arg-type]
                        break
                else:
                    order.append(f"!{len(unmapped)}")
                    unmapped.append(item)
                    continue
                key = slot.key
                order.append(key)
                rank = ranks[key]
                if rank < last_rank:
                    in_order = False
                last_rank = rank
                if type(slot) is _ComputedSlot:
                    continue
                before = len(unmapped)
                slot.read(item, data, layout, ctx)  # type: ignore[attr-defined, arg-type]
                if len(unmapped) != before:  # the slot refused it after all
                    order[-1] = f"!{before}"
                    continue
                if type(slot) is _MapSlot:
                    filled.setdefault(key, set()).add(item.element(slot.key_pos))  # type: ignore[union-attr]
                else:
                    filled[key] = filled.get(key, 0) + 1
            else:
                slot = by_loop.get(item.id)
                if type(slot) is _CustomSlot:
                    key = slot.key
                elif (
                    type(slot) is _ChildSlot
                    and slot.takes_loop(item, filled)
                    and slot.read_loop(item, data, layout, ctx)
                ):
                    key = slot.key
                    filled[key] = filled.get(key, 0) + 1
                else:
                    order.append(f"!{len(unmapped)}")
                    unmapped.append(item)
                    continue
                order.append(key)
                rank = ranks[key]
                if rank < last_rank:
                    in_order = False
                last_rank = rank
        if unmapped or not in_order:
            layout.order = order
        if extra:
            data.update(extra)
        first = loop.first_segment
        return _build(model, data, layout if layout else None, ctx, first)
    finally:
        ctx.loop_id, ctx.loop_name = saved


def write_model(
    model: LoopModel,
    wctx: WriteContext | None = None,
    *,
    custom: dict[str, list[Loop]] | None = None,
    computed: dict[str, list[Segment]] | None = None,
) -> Loop:
    """The loop of a model. `custom` gives the loops of `Custom` fields, `computed` the computed segments."""
    wctx = wctx or WriteContext()
    codec = _codec(type(model))
    private = model.__pydantic_private__
    layout: Layout | None = private.get("_x12") if private else None
    if layout is None:
        # Written canonically: slot after slot, skipping slots whose fields are all empty.
        fields = model.__dict__
        items: list[Segment | Loop] = []
        for slot, kind, names in codec.plan:
            if kind == 1:
                items.extend((custom or {}).get(slot.loop_id, ()))  # type: ignore[attr-defined]
                continue
            if kind == 2:
                items.extend((computed or {}).get(slot.seg_id, ()))  # type: ignore[attr-defined]
                continue
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                kind_of = type(value)
                if (kind_of is str or kind_of is list or kind_of is dict) and not value:
                    continue
                items.extend(slot.write(model, None, wctx))
                break
        return Loop(type(model).loop_id or "", "", items)
    produced: dict[str, list[Segment | Loop]] = {}
    for slot in codec.slots:
        if isinstance(slot, _CustomSlot):
            produced[slot.key] = list((custom or {}).get(slot.loop_id, []))
        elif isinstance(slot, _ComputedSlot):
            produced[slot.key] = list((computed or {}).get(slot.seg_id, []))
        else:
            produced[slot.key] = slot.write(model, layout, wctx)  # type: ignore[attr-defined]
    items = []
    if layout.order is not None and _order_fits(layout.order, produced):
        cursors = dict.fromkeys(produced, 0)
        for key in layout.order:
            if key.startswith("!"):
                items.append(_redelimit(layout.unmapped[int(key[1:])], wctx))
            else:
                items.append(produced[key][cursors[key]])
                cursors[key] += 1
    else:
        for slot in codec.slots:
            items.extend(produced[slot.key])
        if layout.unmapped:
            # Unmapped items go after the last own segment, before the child loops.
            at = next((i for i, it in enumerate(items) if isinstance(it, Loop)), len(items))
            items[at:at] = [_redelimit(u, wctx) for u in layout.unmapped]
    return Loop(type(model).loop_id or "", "", items)


def _order_fits(order: list[str], produced: dict[str, list[Segment | Loop]]) -> bool:
    counts: dict[str, int] = {}
    for key in order:
        if not key.startswith("!"):
            counts[key] = counts.get(key, 0) + 1
    return all(len(v) == counts.get(k, 0) for k, v in produced.items())


def _redelimit(item: Segment | Loop, wctx: WriteContext) -> Segment | Loop:
    """An unmapped item as written with the target delimiters (positions and tails dropped)."""
    if isinstance(item, Segment):
        return Segment(item.normalized(wctx.delimiters), wctx.delimiters)
    return Loop(item.id, item.name, [_redelimit(i, wctx) for i in item.items])


def segments_of(items: Iterable[Segment | Loop]) -> list[Segment]:
    """Every segment of a list of segments and loops, in order."""
    out: list[Segment] = []
    for item in items:
        if isinstance(item, Segment):
            out.append(item)
        else:
            out.extend(item.iter_segments())
    return out


def is_model_field_default(model: BaseModel, name: str) -> bool:
    """True when a field still holds its default (used by writers to skip empty optional parts)."""
    finfo = type(model).model_fields[name]
    default = (
        finfo.get_default(call_default_factory=True)
        if finfo.default is not PydanticUndefined
        else None
    )
    return getattr(model, name) == default
