"""A fast path for clean 835 input: the same `Remittance` models as the layered path, made without
its per-segment objects (positioned segments, loop trees, slot dispatch) for the claims.

Nothing is declared twice: the 835 grammar's own LALR table places every segment (its transitions
memoized by parser stack), and the claim and service loops are mapped by readers generated from the
codec's compiled slots, so from the same field declarations; header, payer, payee and LX loops go
through the codec itself. Envelopes get the checks of `EnvelopeReader`, as pass or give up.

It gives up (`Bail`) at the first thing that is not plainly clean: anything the layered path would report
(it alone knows positions), text a value does not reproduce (`.50`, a trailing separator), an
element no field maps, segments out of canonical order. A loop it cannot map itself goes through the
codec; a file it gives up on is read again by the layered path, which reports what is wrong.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from edi import mapping
from edi.grammar import get_grammar
from edi.loops import Loop
from edi.mapping import ReadContext, read_model
from edi.models.envelope import EnvelopeInfo, GroupHeader, InterchangeHeader
from edi.models.remittance import ClaimPayment, HeaderNumber, Remittance, ServicePayment
from edi.transactions.common import guide_for_version
from edi.x12.delimiters import isa_delimiters
from edi.x12.segment import Segment

FAST_LIMIT = 16 << 20  # read whole; larger inputs are streamed by the layered path
_ENVELOPE_IDS = frozenset({"ISA", "GS", "GE", "IEA", "ST", "SE", "TA1"})
# Decimal text that `format(Decimal(text), "f")` gives back unchanged ("-0" and "-0.0" excepted).
_CANONICAL_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_SHIFT = 0


class Bail(Exception):
    """The input is not plainly clean: read it with the layered path."""


class _Unsupported(Exception):
    """A model uses a mapping feature the fast reader does not implement."""


def source_bytes(source: object) -> bytes | None:
    """The whole input when it is small enough for the fast path and can be read twice, else None."""
    if isinstance(source, (bytes, bytearray)):
        return bytes(source) if len(source) <= FAST_LIMIT else None
    if isinstance(source, str):
        return source.encode("utf-8", "surrogateescape") if source.startswith("ISA") else None
    if isinstance(source, os.PathLike):
        path = Path(source)
        try:
            if path.stat().st_size > FAST_LIMIT:
                return None
            return path.read_bytes()
        except OSError:
            return None  # the layered path reports it
    return None


# -- element readers compiled from the codec's element maps -----------------------------------------


def _parse(conv: Any, raw: str) -> Any:
    """The value of `raw` when it is the canonical text of its value, else Bail-worthy None."""
    if conv is mapping.STR:
        return raw
    if conv is mapping.DECIMAL:
        if _CANONICAL_NUMBER.fullmatch(raw) and raw != "-0" and raw != "-0.0":
            return Decimal(raw)
        return None
    if conv is mapping.DATE:
        if len(raw) == 8 and raw.isdigit() and raw.isascii():
            try:
                return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
            except ValueError:
                return None
        return None
    if conv is mapping.INT:
        if raw.isascii() and raw.isdigit() and (raw[0] != "0" or raw == "0"):
            return int(raw)
        return None
    raise _Unsupported(conv.name)  # pragma: no cover - checked when compiling


_SUPPORTED = {id(mapping.STR), id(mapping.DECIMAL), id(mapping.DATE), id(mapping.INT)}


class _Elements:
    """What an `_ElementMap` reads, for element lists whose text is canonical.

    `read(els, data, comp)` fills `data` and returns True, or returns False when the codec would note
    something (non-canonical text, an element no field maps, a trailing separator). It is generated
    as Python source from the element map, one statement block per position, so reading a segment
    costs no dictionary lookups per element.
    """

    def __init__(self, emap: Any, lo: int = 1, hi: int | None = None) -> None:
        if getattr(emap, "formats", None):
            raise _Unsupported("format qualifiers")
        for group in emap.by_pos.values():
            for sc in group:
                if id(sc.conv) not in _SUPPORTED or sc.format_pos:
                    raise _Unsupported(sc.conv.name)
        self.read = _compile(emap, lo, hi)


def _convert(conv: Any, src: str, indent: str) -> list[str]:
    """Statements that set `x` to the value of text `src`, or return False when not canonical."""
    if conv is mapping.STR:
        return [f"{indent}x = {src}"]
    if conv is mapping.DECIMAL:
        return [
            f"{indent}if not _number({src}) or {src} == '-0' or {src} == '-0.0': return False",
            f"{indent}x = _Decimal({src})",
        ]
    if conv is mapping.DATE:
        return [
            f"{indent}if len({src}) != 8 or not {src}.isdigit() or not {src}.isascii(): return False",
            f"{indent}try: x = _date(int({src}[:4]), int({src}[4:6]), int({src}[6:]))",
            f"{indent}except ValueError: return False",
        ]
    return [  # INT
        f"{indent}if not ({src}.isascii() and {src}.isdigit()) or ({src}[0] == '0' and {src} != '0'):"
        " return False",
        f"{indent}x = int({src})",
    ]


def _store(name: str, many: bool, index: int, indent: str, lists: dict[str, str]) -> list[str]:
    if not many:
        return [f"{indent}data[{name!r}] = x"]
    var = lists.setdefault(name, f"L{len(lists)}")
    return [f"{indent}if {var} is None: {var} = []", f"{indent}_put({var}, {index}, x)"]


def _compile(emap: Any, lo: int, hi: int | None) -> Any:
    by_pos: dict[int, list[Any]] = emap.by_pos
    implied: dict[int, str] = emap.implied
    known = [p for p in (*by_pos, *implied) if p >= lo and (hi is None or p < hi)]
    top = (max(known) if known else lo - 1) if hi is None else hi - 1
    lines = ["def read(els, data, comp):", "    n = len(els)"]
    if hi is None:
        lines.append("    if n > 1 and els[-1] == '': return False")
        lines.append(f"    if n > {top + 1}: return False")
    lists: dict[str, str] = {}
    body: list[str] = []
    for p in range(lo, top + 1):
        group = by_pos.get(p)
        if group is None:
            fixed = implied.get(p)
            if fixed == "":
                continue
            test = f"els[{p}] != {fixed!r}" if fixed is not None else "True"
            body.append(f"    if n > {p} and els[{p}] and {test}: return False")
            continue
        body += [f"    if n > {p}:", f"        v = els[{p}]", "        if v:"]
        if len(group) == 1 and group[0].comp == 0:
            sc = group[0]
            body += _convert(sc.conv, "v", " " * 12)
            body += _store(sc.name, sc.many, sc.list_index, " " * 12, lists)
            continue
        body += [
            "            ps = v.split(comp)",
            "            m = len(ps)",
            "            canon = [''] * m",
        ]
        for sc in group:
            k = sc.comp - 1
            body += [f"            if m > {k} and ps[{k}]:", f"                w = ps[{k}]"]
            body += _convert(sc.conv, "w", " " * 16)
            body += [f"                canon[{k}] = w"]
            body += _store(sc.name, sc.many, sc.list_index, " " * 16, lists)
        body += [
            "            while canon and canon[-1] == '': canon.pop()",
            "            if comp.join(canon) != v: return False",
        ]
    lines += [f"    {var} = None" for var in lists.values()]
    lines += body
    for name, var in lists.items():
        lines += [
            f"    if {var} is not None:",
            f"        while {var} and {var}[-1] == '': {var}.pop()",
            f"        data[{name!r}] = {var}",
        ]
    lines.append("    return True")
    namespace: dict[str, Any] = {
        "_number": _CANONICAL_NUMBER.fullmatch,
        "_Decimal": Decimal,
        "_date": date,
        "_put": _put,
    }
    # Compiled under a name that profiles can tell apart: `<fast835 CLP>`.
    exec(compile("\n".join(lines), f"<fast835 {emap.seg_id}>", "exec"), namespace)  # noqa: S102
    return namespace["read"]


def _put(values: list[Any], index: int, value: Any) -> None:
    while len(values) <= index:
        values.append("")
    values[index] = value


# -- loop readers compiled from the codec's slots ------------------------------------------------------

# A slot's reader takes (element list, data, filled, notes, component separator) and returns 0 when the
# slot does not take the segment, 1 when it read it, -1 when the codec must map the loop.
Take = Any


class _Builder:
    """The codec's instance builder (`mapping._build`) for one model, generated for its fields.

    Same result as `mapping._build` (field values in declaration order, defaults, fresh copies of
    mutable defaults, fields set, private attributes), as one generated function without loops.
    """

    def __init__(self, model: type[Any]) -> None:
        defaults = mapping._Defaults(model)
        required = [name for name, _ in defaults.required]
        fresh = dict(defaults.fresh)
        namespace: dict[str, Any] = {
            "_model": model,
            "_new": model.__new__,
            "_set": object.__setattr__,
            "_private": defaults.private,
        }
        # Copy every field at its default, in declaration order, then the values read (as the codec
        # does); mutable defaults get a fresh copy each, one generated statement per field.
        namespace["_base"] = defaults.base
        make_fresh = []
        for i, name in enumerate(fresh):
            namespace[f"_f{i}"] = fresh[name]
            make_fresh.append(f"    if {name!r} not in data: values[{name!r}] = _f{i}()")
        test = " or ".join(f"{name!r} not in data" for name in required) or "False"
        private = (
            "{'_x12': notes}"
            if list(defaults.private) == ["_x12"]
            else "dict(_private, _x12=notes)"
        )
        source = "\n".join(
            [
                "def build(data, notes):",
                f"    if {test}: return None",
                "    values = _base.copy()",
                "    values.update(data)",
                *make_fresh,
                "    inst = _new(_model)",
                "    _set(inst, '__dict__', values)",
                "    _set(inst, '__pydantic_fields_set__', set(data))",
                "    _set(inst, '__pydantic_extra__', None)",
                f"    _set(inst, '__pydantic_private__', {private})",
                "    return inst",
            ]
        )
        exec(source, namespace)  # noqa: S102 - source generated above from the model's fields
        self.build = namespace["build"]

    def __call__(self, data: dict[str, Any], notes: Any) -> Any:
        return self.build(data, notes)


def _qualified(quals: tuple[str, ...] | None, at: int) -> Any:
    if quals is None:
        return None

    def test(els: list[str], comp: str) -> bool:
        value = els[at] if at < len(els) else ""
        if comp in value:
            value = value.split(comp, 1)[0]
        return value in quals

    return test


def _elem_slot(slot: Any, checked: bool) -> Take:
    test = None if checked else _qualified(slot.quals, slot.qual_at)
    key, read = slot.key, _Elements(slot.map).read

    def take(els: list[str], data: dict[str, Any], filled: Any, notes: Any, comp: str) -> int:
        if key in filled or (test is not None and not test(els, comp)):
            return 0
        if not read(els, data, comp):
            return -1
        filled[key] = 1
        return 1

    return take


def _seg_slot(slot: Any, checked: bool) -> Take:
    test = None if checked else _qualified(slot.quals, slot.qual_at)
    key, read = slot.key, _Elements(slot.map).read
    name, many, cap, build = slot.name, slot.many, slot.max, _Builder(slot.model).build

    def take(els: list[str], data: dict[str, Any], filled: Any, notes: Any, comp: str) -> int:
        count = filled.get(key, 0)
        if (cap is not None and count >= cap) or (test is not None and not test(els, comp)):
            return 0
        sub_data: dict[str, Any] = {}
        if not read(els, sub_data, comp):
            return -1
        sub = build(sub_data, None)
        if sub is None:
            return -1
        if many:
            data.setdefault(name, []).append(sub)
        else:
            data[name] = sub
        filled[key] = count + 1
        return 1

    return take


def _map_slot(slot: Any, checked: bool) -> Take:
    (value_pos,) = slot.map.by_pos
    (scalar,) = slot.map.by_pos[value_pos]
    if id(scalar.conv) not in _SUPPORTED:
        raise _Unsupported(scalar.conv.name)
    key, quals, key_pos, name, conv = slot.key, slot.quals, slot.key_pos, slot.name, scalar.conv
    last = max(key_pos, value_pos) + 1

    def take(els: list[str], data: dict[str, Any], filled: Any, notes: Any, comp: str) -> int:
        n = len(els)
        qual = els[key_pos] if key_pos < n else ""
        if not qual or (quals is not None and qual not in quals):
            return 0
        seen = filled.get(key)
        if seen is not None and qual in seen:
            return 0
        if n > last or value_pos >= n or not els[value_pos]:
            return -1
        if any(els[p] for p in range(1, n) if p != key_pos and p != value_pos):
            return -1
        value = _parse(conv, els[value_pos])
        if value is None:
            return -1
        data.setdefault(name, {})[qual] = value
        if seen is None:
            filled[key] = {qual}
        else:
            seen.add(qual)
        return 1

    return take


def _group_slot(slot: Any, checked: bool) -> Take:
    m = slot.marker
    key, test = slot.key, None if checked else _qualified(slot.quals, slot.qual_at)
    header_read = _Elements(slot.header_map, 1, m.start).read
    groups = [
        (m.start + i * m.size, _Elements(g, m.start + i * m.size, m.start + (i + 1) * m.size).read)
        for i, g in enumerate(slot.group_maps)
    ]
    size, end, name, build = m.size, slot.end, slot.name, _Builder(slot.model).build

    def take(els: list[str], data: dict[str, Any], filled: Any, notes: Any, comp: str) -> int:
        if test is not None and not test(els, comp):
            return 0
        n = len(els)
        if n > end or (n > 1 and els[-1] == ""):
            return -1
        header: dict[str, Any] = {}
        if not header_read(els, header, comp):
            return -1
        items = data.get(name)
        if items is None:
            items = data[name] = []
        count = 0
        gap = False
        for base, read in groups:
            if base >= n:
                break
            if not any(els[base : base + size]):
                gap = True
                continue
            if gap:
                return -1  # an empty group between others: the codec keeps the segment as read
            values = header.copy()
            if not read(els, values, comp):
                return -1
            item = build(values, None)
            if item is None:
                return -1
            items.append(item)
            count += 1
        recorded = notes.get(key)
        if recorded is None:
            notes[key] = [(count, None, None)]
        else:
            recorded.append((count, None, None))
        return 1

    return take


_SLOT_READERS = {
    "_ElemSlot": _elem_slot,
    "_SegSlot": _seg_slot,
    "_MapSlot": _map_slot,
    "_GroupSlot": _group_slot,
}


class _LoopReader:
    """Maps one loop (its element lists and child nodes) to its model, or says the codec must."""

    def __init__(self, model: type[Any], children: dict[str, _LoopReader]) -> None:
        codec = mapping._codec(model)
        self.model = model
        self.build = _Builder(model).build
        self.by_seg: dict[str, list[tuple[int, Take]]] = {}
        # Segment IDs whose slots tell segments apart by one qualifier element: (its position,
        # qualifier → the slots that may take it, the slots for any other qualifier).
        self.by_qual: dict[str, tuple[int, dict[str, list[tuple[int, Take]]], list[Any]]] = {}
        self.by_loop: dict[str, tuple[Any, ...]] = {}
        slots: dict[str, list[Any]] = {}
        for slot in codec.slots:
            rank = codec.ranks[slot.key]
            kind = type(slot).__name__
            if kind == "_ChildSlot":
                if slot.loop_id not in children:
                    raise _Unsupported(f"child loop {slot.loop_id}")
                reader = children[slot.loop_id]
                self.by_loop[slot.loop_id] = (
                    slot.key,
                    rank,
                    reader,
                    slot.name,
                    slot.many,
                    slot.max,
                )
            elif kind == "_CustomSlot":
                continue  # read by the transaction module
            elif kind in _SLOT_READERS:
                slots.setdefault(slot.seg_id, []).append((rank, kind, slot))
            else:
                raise _Unsupported(kind)
        for seg_id, found in slots.items():
            self.by_seg[seg_id] = [(r, _SLOT_READERS[k](slot, False)) for r, k, slot in found]
            qualified = [slot for _, k, slot in found if k != "_MapSlot" and slot.quals]
            positions = {slot.qual_at for slot in qualified}
            if len(positions) != 1:
                continue
            (pos,) = positions
            values = {q for slot in qualified for q in slot.quals}
            table = {
                value: [
                    (r, _SLOT_READERS[k](slot, k != "_MapSlot" and bool(slot.quals)))
                    for r, k, slot in found
                    if k == "_MapSlot" or not slot.quals or value in slot.quals
                ]
                for value in values
            }
            rest = [(r, _SLOT_READERS[k](slot, False)) for r, k, slot in found]
            rest = [
                e
                for e, (_, k, slot) in zip(rest, found, strict=True)
                if k == "_MapSlot" or not slot.quals
            ]
            self.by_qual[seg_id] = (pos, table, rest)
        self.single = {
            seg_id: entries[0]
            for seg_id, entries in self.by_seg.items()
            if len(entries) == 1 and seg_id not in self.by_qual
        }

    def read(self, items: list[Any], comp: str, fallback: Any) -> Any:
        """The model of a loop, or None when the codec must map it."""
        data: dict[str, Any] = {}
        filled: dict[str, Any] = {}
        notes: dict[str, list[tuple[int, None, None]]] = {}
        last = -1
        by_seg = self.by_seg
        by_qual = self.by_qual
        single = self.single
        for item in items:
            if type(item) is list:
                one = single.get(item[0])
                if one is not None:  # the one slot for this segment ID
                    rank, take = one
                    if take(item, data, filled, notes, comp) <= 0 or rank < last:
                        return None
                    last = rank
                    continue
                q = by_qual.get(item[0])
                if q is None:
                    entries = by_seg.get(item[0], ())
                else:
                    pos, table, rest = q
                    value = item[pos] if pos < len(item) else ""
                    if comp in value:
                        value = value.split(comp, 1)[0]
                    entries = table.get(value, rest)
                for entry in entries:
                    done = entry[1](item, data, filled, notes, comp)
                    if done:
                        break
                else:
                    return None  # unmapped: the codec keeps it in place
                rank = entry[0]
                if done < 0 or rank < last:
                    return None
                last = rank
            else:
                child = self.by_loop.get(item.id)
                if child is None:
                    return None
                key, rank, reader, name, many, cap = child
                count = filled.get(key, 0)
                if rank < last or (cap is not None and count >= cap):
                    return None
                sub = reader.read(item.items, comp, fallback) or fallback(reader.model, item)
                if sub is None:
                    return None
                if many:
                    data.setdefault(name, []).append(sub)
                else:
                    data[name] = sub
                filled[key] = count + 1
                last = rank
        return self.build(data, mapping.Layout(notes=notes) if notes else None)


# -- the loop structure, from the grammar's own LALR table -----------------------------------------


class _Node:
    """A loop as the fast path builds it: its ID, name and items (element lists and nodes)."""

    __slots__ = ("id", "name", "items")

    def __init__(self, loop_id: str, name: str, items: list[Any]) -> None:
        self.id = loop_id
        self.name = name
        self.items = items


class _Structure:
    """Places segments in loops with the 835 grammar's LALR table, memoizing its transitions.

    A transition depends only on the parser's state stack and the segment's tag, so each distinct pair
    is run through the table once; later it is one dictionary lookup.
    """

    def __init__(self) -> None:
        grammar = get_grammar("835")
        self.grammar = grammar
        self.states = grammar._states
        self.start = grammar._start
        self.end = grammar._end
        self.qualified = grammar._qualified
        # Which loop a tag opens; it must open it wherever it appears, or the memo cannot say.
        self.opens: dict[str, Any] = {}
        loop_rules = grammar._loops
        for tag, rules in grammar._loop_starts.items():
            if len(rules) != 1:
                raise _Unsupported(f"{tag} opens several loops")
            self.opens[tag] = loop_rules[rules[0]]
        for rule in grammar.lark.rules:
            for i, sym in enumerate(rule.expansion):
                if sym.is_term and sym.name in self.opens:
                    first = i == 0 and rule.origin.name in loop_rules
                    if not first:
                        raise _Unsupported(f"{sym.name} is also used inside a loop")
        self._canon: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._rows: dict[int, dict[str, Any]] = {}

    def tag(self, els: list[str], comp: str) -> str:
        sid = els[0]
        q = self.qualified.get(sid)
        if q is None:
            return sid
        pos, quals, bare = q
        value = els[pos] if pos < len(els) else ""
        if comp in value:
            value = value.split(comp, 1)[0]
        term = quals.get(value)
        if term is not None:
            return term
        return bare if bare is not None else f"{sid}_{value}"

    def initial(self) -> tuple[int, ...]:
        return self._intern((self.start,))

    def _intern(self, stack: tuple[int, ...]) -> tuple[int, ...]:
        found = self._canon.get(stack)
        if found is None:
            found = self._canon[stack] = stack
            self._rows[id(stack)] = {}
        return found

    def step(self, stack: tuple[int, ...], tag: str) -> tuple[tuple[int, ...], int, Any]:
        """(next stack, loops closed, loop opened or None); Bail when the table refuses `tag`."""
        row = self._rows[id(stack)]
        found = row.get(tag)
        if found is None:
            found = row[tag] = self._compute(stack, tag)
        if found is False:
            raise Bail(f"{tag} breaks the loop structure")
        return found  # type: ignore[no-any-return]

    def _compute(self, stack: tuple[int, ...], tag: str) -> Any:
        states = self.states
        st = list(stack)
        closes = 0
        while True:
            action = states[st[-1]].get(tag)
            if action is None:
                return False
            if action[0] == _SHIFT:
                st.append(action[1])
                break
            _, size, origin, info = action
            if size:
                del st[-size:]
            st.append(states[st[-1]][origin][1])
            if info is not None:
                closes += 1
            if tag == "$END" and st[-1] == self.end:
                return self._intern(tuple(st)), closes, None
        return self._intern(tuple(st)), closes, self.opens.get(tag)


def _tree(body: list[list[str]], structure: _Structure, comp: str) -> _Node:
    """The root loop of one set; its items are element lists and child nodes, in input order."""
    stack = structure.initial()
    rows = structure._rows
    qualified = structure.qualified
    opened: list[_Node] = []
    root: _Node | None = None
    current: list[Any] = []
    for els in body:
        tag = els[0]
        if tag in qualified:
            tag = structure.tag(els, comp)
        found = rows[id(stack)].get(tag)
        if found is None:
            found = structure.step(stack, tag)
        elif found is False:
            raise Bail(f"{tag} breaks the loop structure")
        stack, closes, opens = found
        if closes:
            del opened[len(opened) - closes :]
            current = opened[-1].items if opened else current
        if opens is not None:
            loop = _Node(opens.loop_id, opens.name, [els])
            if opened:
                current.append(loop)
            else:
                root = loop
            opened.append(loop)
            current = loop.items
        else:
            current.append(els)
    stack, closes, _ = structure.step(stack, "$END")
    if stack[-1] != structure.end or closes != len(opened) or root is None:
        raise Bail("the set ends before its loops are complete")
    return root


# -- the whole file ----------------------------------------------------------------------------------

_ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)


class _Envelopes:
    """The envelope checks of `EnvelopeReader`, as pass/Bail: the fast path only goes on when the
    layered path would find nothing to report (control numbers, counts, uniqueness, ISA fields)."""

    def __init__(self, text: str, token: str, delims: Any) -> None:
        self.text, self.token, self.delims = text, token, delims
        self.ascii = text.isascii()
        self.pos = 0  # where the next envelope search starts
        self.isa: list[str] | None = None
        self.gs: list[str] | None = None
        self.seen_isa: set[str] = set()
        self.seen_gs: set[str] = set()
        self.seen_st: set[str] = set()
        self.groups = self.sets = 0
        self.st: list[str] | None = None

    def envelope(self, els: list[str], piece: str) -> None:
        sid = els[0]
        if sid == "ISA" and self.isa is None:
            if not _isa_ok(els) or els[13] in self.seen_isa:
                raise Bail("ISA fields")
            found = isa_delimiters(piece + self.token)
            if isinstance(found, str) or found[0] != self.delims:
                raise Bail("an interchange with other delimiters")
            at = self.text.find(piece, self.pos)
            self.pos = at + len(piece)
            offset = at if self.ascii else len(self.text[:at].encode("utf-8", "surrogateescape"))
            self.seen_isa.add(els[13])
            self.isa, self.seen_gs, self.groups = els, set(), 0
            self.header = InterchangeHeader.from_elements(els, offset)
        elif sid == "GS" and self.isa is not None and self.gs is None:
            if len(els) < 9 or els[6] in self.seen_gs:
                raise Bail("GS fields")
            self.seen_gs.add(els[6])
            self.gs, self.seen_st, self.sets = els, set(), 0
            self.group_header = GroupHeader.from_elements(els)
        elif sid == "GE" and self.gs is not None:
            if els[1:] != [str(self.sets), self.gs[6]]:
                raise Bail("GE counts")
            self.gs = None
            self.groups += 1
        elif sid == "IEA" and self.isa is not None and self.gs is None:
            if els[1:] != [str(self.groups), self.isa[13]]:
                raise Bail("IEA counts")
            self.isa = None
        else:
            raise Bail(f"{sid} out of place")

    def set_start(self, els: list[str]) -> None:
        gs = self.gs
        if gs is None or len(els) < 3 or els[1] != "835" or els[2] in self.seen_st:
            raise Bail("ST")
        reference = els[3] if len(els) > 3 else ""
        if reference and reference != gs[8]:
            raise Bail("ST03 differs from GS08")
        guide = guide_for_version(reference or gs[8])
        if guide is None or guide.transaction_type != "835":
            raise Bail("not an 835 guide")
        self.seen_st.add(els[2])
        self.st = els

    def set_end(self, body: list[list[str]]) -> EnvelopeInfo:
        st = self.st
        assert st is not None
        if body[-1][1:] != [str(len(body)), st[2]]:
            raise Bail("SE count or control number")
        self.sets += 1
        return EnvelopeInfo.model_construct(
            interchange=self.header,
            group=self.group_header,
            set_control_number=st[2],
            implementation_reference=(st[3] if len(st) > 3 else "") or None,
        )

    def closed(self) -> bool:
        return self.isa is None and self.gs is None


def _isa_ok(els: list[str]) -> bool:
    if len(els) != 17 or any(len(els[i]) != w for i, w in enumerate(_ISA_WIDTHS, 1)):
        return False
    if not els[13].isdigit() or els[14] not in ("0", "1") or els[15] not in ("P", "T", "I"):
        return False
    try:
        datetime.strptime(els[9], "%y%m%d")
        datetime.strptime(els[10], "%H%M")
    except ValueError:
        return False
    return els[9].isdigit() and els[10].isdigit()


class FastReader:
    """Compiled once per process: the structure memo and the claim and service readers."""

    def __init__(self) -> None:
        self.structure = _Structure()
        service = _LoopReader(ServicePayment, {})
        self.claim = _LoopReader(ClaimPayment, {"2110": service})

    def remittances(self, data: bytes) -> Iterator[Remittance]:
        """One `Remittance` per set; raises `Bail` at the first thing that is not plainly clean."""
        text = data.decode("utf-8", "surrogateescape")
        if not text.startswith("ISA"):
            raise Bail("no ISA at the start")
        found = isa_delimiters(text[:512])
        if isinstance(found, str):
            raise Bail(found)
        delims = found[0]
        sep, term = delims.element, delims.segment
        token = term + delims.suffix
        if text.endswith(token):
            body_text = text[: -len(token)]
        elif text.endswith(term):
            body_text = text[:-1]
        else:
            raise Bail("the input does not end with a segment terminator")
        pieces = body_text.split(token)
        breaks = len(pieces) - 1
        if body_text.count(term) != breaks or any(
            body_text.count(ch) != breaks * token.count(ch) for ch in "\r\n" if ch != term
        ):
            raise Bail("line breaks or terminators vary")
        check = _Envelopes(text, token, delims)
        body: list[list[str]] | None = None
        for piece in pieces:
            els = piece.split(sep)
            if body is not None:
                body.append(els)
                if els[0] == "SE":
                    envelope = check.set_end(body)
                    yield self._remittance(body, envelope, delims)
                    body = None
                elif els[0] in _ENVELOPE_IDS:
                    raise Bail(f"{els[0]} inside a transaction set")
            elif els[0] == "ST":
                check.set_start(els)
                body = [els]
            else:
                check.envelope(els, piece)
        if body is not None or not check.closed():
            raise Bail("the input ends inside an envelope")

    def _remittance(self, body: list[list[str]], envelope: EnvelopeInfo, delims: Any) -> Remittance:
        comp = delims.component
        root = _tree(body, self.structure, comp)
        ctx = ReadContext()

        def loop_of(node: _Node) -> Loop:
            return Loop(
                node.id,
                node.name,
                [Segment(i, delims) if type(i) is list else loop_of(i) for i in node.items],
            )

        def fallback(model: type[Any], node: _Node, extra: dict[str, Any] | None = None) -> Any:
            found = read_model(model, loop_of(node), ctx, extra)
            if ctx.diagnostics:
                raise Bail("data the codec reports")
            return found

        items: list[Segment | Loop] = []
        details: list[_Node] = []
        for item in root.items:
            if type(item) is list:
                items.append(Segment(item, delims))
            elif item.id == "2000":
                details.append(item)
                items.append(Loop("2000", item.name, []))
            else:
                items.append(loop_of(item))
        remit = read_model(Remittance, Loop("ST", root.name, items), ctx)
        if remit is None or ctx.diagnostics:
            raise Bail("header data the codec reports")
        headers: list[HeaderNumber] = []
        claims: list[ClaimPayment] = []
        claim_reader = self.claim
        for node in details:
            own = [i for i in node.items if type(i) is list]
            header = fallback(HeaderNumber, _Node("2000", node.name, own))
            if header is None:
                raise Bail("an LX the codec cannot map")
            number = header.number
            count = 0
            for child in node.items:
                if type(child) is list:
                    continue
                if child.id != "2100":
                    raise Bail(f"loop {child.id} in 2000")
                claim = claim_reader.read(child.items, comp, fallback)
                if claim is None:
                    claim = fallback(ClaimPayment, child, {"header_number": number})
                else:
                    claim.__dict__["header_number"] = number
                    claim.__pydantic_fields_set__.add("header_number")
                if claim is None or any(s.code is None for s in claim.services):
                    raise Bail("a claim the codec cannot map")
                claims.append(claim)
                count += 1
            header.__pydantic_private__["_claim_count"] = count
            headers.append(header)
        values = remit.__dict__
        values["header_numbers"] = headers
        values["claims"] = claims
        values["envelope"] = envelope
        remit.__pydantic_fields_set__.update(("header_numbers", "claims", "envelope"))
        remit.__pydantic_private__["_delimiters"] = delims
        return remit


_READER: FastReader | None = None
_DISABLED = False


def fast_reader() -> FastReader | None:
    """The compiled fast reader, or None when the models use something it does not implement."""
    global _READER, _DISABLED
    if _READER is None and not _DISABLED:
        try:
            _READER = FastReader()
        except (_Unsupported, AttributeError, KeyError, ValueError, TypeError):
            _DISABLED = True
    return _READER
