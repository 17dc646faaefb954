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

Speed: what runs once per segment or instance (reading an element map, building an instance, writing
an element map, choosing the slots to write) is also compiled into a generated function for the common
case: text that its values give back unchanged, values without notes. Those hand anything else to the
general code, so both give the same result (tests/test_fast_paths.py compares them).
"""

from __future__ import annotations

import copy
import functools
import re
import sys
import types
import typing
from bisect import bisect_left, insort
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, Union

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from edi.diagnostics import DIAGNOSIS_SHAPE, Diagnostic, Location, Severity
from edi.errors import MappingDefinitionError, WriteError
from edi.loops import Loop
from edi.models.base import (
    SHARED_FIELDS_SETS,
    Child,
    Custom,
    Elem,
    Elems,
    Group,
    InSegment,
    ItemModel,
    LoopModel,
    Part,
    Period,
    ReadAt,
    Seg,
    SegMap,
    SegmentModel,
    X12Model,
    marker_of,
    owned_qualifiers,
    shared_fields_set,
    split_ref,
)
from edi.x12.delimiters import Delimiters
from edi.x12.segment import DEFAULT_DELIMITERS, Segment
from edi.x12.writer import check_redelimit, hidden_separator

# -- scalar conversions ------------------------------------------------------------------------------

# X12 type R: ASCII digits only (not `\d`, which takes any Unicode digit), and no newline before the end.
NUMBER_TEXT = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")


class _Conv:
    """How one scalar type is read from and written to element text.

    `clean(text)` is the value of text that `fmt` gives back unchanged, and None for any other text
    (invalid, or valid but not canonical: `.50`, `01`), which `parse` and `fmt` then handle.
    """

    __slots__ = ("name", "expected", "parse", "fmt", "clean", "identity")

    def __init__(
        self,
        name: str,
        expected: str,
        parse: Callable[[str], Any],
        fmt: Callable[[Any], str],
        clean: Callable[[str], Any],
        identity: bool = False,
    ) -> None:
        self.name = name
        self.expected = expected
        self.parse = parse
        self.fmt = fmt
        self.clean = clean
        self.identity = identity  # text comes back unchanged: no need to compare


# Decimal text that `_fmt_decimal(Decimal(text))` gives back unchanged ("-0" and "-0.0" excepted).
_CANONICAL_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


def _clean_decimal(text: str) -> Decimal | None:
    if _CANONICAL_NUMBER.fullmatch(text) is None or text == "-0" or text == "-0.0":
        return None
    return Decimal(text)


def _parse_decimal(text: str) -> Decimal:
    if not NUMBER_TEXT.fullmatch(text):
        raise ValueError(text)
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already excludes these
        raise ValueError(text) from exc


def _fmt_decimal(value: Decimal) -> str:
    # str() of a Decimal is its fixed-point text unless it takes an exponent (1E+2, 1E-7), and a
    # third of the cost of format(value, "f").
    text = str(value) if type(value) is Decimal else _not_decimal(value)
    if "E" in text or "e" in text:
        text = format(value, "f")
    return "0" if text in ("-0", "-0.0") else text


def _not_decimal(value: object) -> str:
    """What `_fmt_decimal` does with a value that is no `Decimal`: a subclass of it is written
    (`"E"`: with format), anything else is refused. An amount is always a `Decimal` once validated
    (an int or float given becomes one); an int or float there was put around pydantic
    (`model_copy(update=...)`, `model_construct`), and was written `175.000000` (format's six
    places): a `TypeError` makes it a claim's or remittance's problem, not validated, as the
    checks say of a float or a text there (`edi.models.unvalidated`)."""
    if isinstance(value, Decimal):
        return "E"
    raise TypeError(f"an amount is a Decimal, not {type(value).__name__}")


# The most digits a whole number read may have: more than any X12 count or number the guides
# define (N0 1/15 at most), and far below Python's limit for text made an int (4300 digits, past
# which `int` raises: a file's 5,000-digit SV107 was "a bug in edi").
_MAX_INT_DIGITS = 18


def _parse_int(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > _MAX_INT_DIGITS:
        raise ValueError(text)
    return int(text)


def _clean_int(text: str) -> int | None:
    if not (text.isascii() and text.isdigit()) or (text[0] == "0" and text != "0"):
        return None
    if len(text) > _MAX_INT_DIGITS:
        return None
    return int(text)


def _fmt_int(value: int) -> str:
    """A whole number's text. An int field holds an int once validated (pydantic takes no float or
    bool for one); a `1.0` or `True` put in a list in place (`diagnosis_pointers[0] = 1.0`) was
    written `1.0`, which no reader takes: a `TypeError` makes it the claim's problem, not
    validated (`edi.models.unvalidated`), as `_not_decimal` does for an amount."""
    if type(value) is not int:
        raise TypeError(f"a whole number is an int, not {type(value).__name__}")
    return str(value)


def _parse_date(text: str) -> date:
    if len(text) != 8 or not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _clean_date(text: str) -> date | None:
    if len(text) != 8 or not text.isdigit() or not text.isascii():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _fmt_date(value: date) -> str:
    if type(value) is date:
        # Files repeat a few dates over and over: their text is remembered (bounded, as
        # `_remembered`); isoformat is the same as the f-string in a third of the time.
        text = _DATE_TEXTS.get(value)
        if text is None:
            if len(_DATE_TEXTS) >= 4096:
                _DATE_TEXTS.clear()
            text = _DATE_TEXTS[value] = value.isoformat().replace("-", "")
        return text
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


_DATE_TEXTS: dict[date, str] = {}


def _parse_period(text: str) -> Period:
    start, sep, end = text.partition("-")
    return _period(_parse_date(start), _parse_date(end) if sep else None)


def _clean_period(text: str) -> Period | None:
    start, sep, end = text.partition("-")
    first = _clean_date(start)
    if first is None:
        return None
    if not sep:
        return _period(first, None)
    last = _clean_date(end)
    return None if last is None else _period(first, last)


def _period(start: date, end: date | None) -> Period:
    # What Period.model_construct(start=..., end=...) builds, without its per-call overhead.
    period = _new_period(Period)
    set_attr = object.__setattr__
    set_attr(period, "__dict__", {"start": start, "end": end})
    set_attr(period, "__pydantic_fields_set__", {"start", "end"})
    set_attr(period, "__pydantic_extra__", None)
    set_attr(period, "__pydantic_private__", None)
    return period


_new_period = object.__new__


def _fmt_period(value: Period) -> str:
    if value.end is None:
        return _fmt_date(value.start)
    return f"{_fmt_date(value.start)}-{_fmt_date(value.end)}"


def _remembered(clean: Callable[[str], Any]) -> Callable[[str], Any]:
    """`clean` remembering its values by text. Files repeat a few dates over and over, and a date (or
    a frozen Period) can be shared: a dictionary lookup instead of building one (a fifth of the
    cost). Bounded: the memory is dropped when it holds 4,096 values."""
    values: dict[str, Any] = {}

    def remembered(text: str) -> Any:
        value = values.get(text)
        if value is None:
            value = clean(text)
            if value is not None:
                if len(values) >= 4096:
                    values.clear()
                values[text] = value
        return value

    return remembered


STR = _Conv("text", "text", str, str, str, identity=True)
DECIMAL = _Conv(
    "number", "a decimal number such as 125.50", _parse_decimal, _fmt_decimal, _clean_decimal
)
INT = _Conv("integer", "a whole number", _parse_int, _fmt_int, _clean_int)
DATE = _Conv("date", "a date CCYYMMDD", _parse_date, _fmt_date, _remembered(_clean_date))
PERIOD = _Conv(
    "date or period",
    "a date CCYYMMDD or a period CCYYMMDD-CCYYMMDD",
    _parse_period,
    _fmt_period,
    _remembered(_clean_period),
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
    last: int = 0  # and the count without them: where its last element with text was read
    present: bool = False  # read though it gave no value (`NM1*40`): written all the same
    # A date's format qualifier noted in `raw` (DTP02 `XX`) → the date read with it: the text read
    # goes with that date only, as the canonical D8 / RD8 cannot tell one date from another.
    dated: dict[int, Any] | None = None

    def __bool__(self) -> bool:
        return bool(self.raw) or bool(self.length) or self.present

    def stale(self, pos: int, value: Any) -> bool:
        """Whether the format text read at `pos` was read with another date than `value` (one
        assigned since): `value` is then written with the format it implies."""
        return self.dated is not None and pos in self.dated and self.dated[pos] != value

    def format_written(self, pos: int, value: Any, canonical: str) -> str:
        """The format qualifier written at `pos` for a date `value` whose own format is `canonical`
        (D8, RD8): the text read there while `value` is the date read with it and still gives the
        format it had (`apply`, without `stale` positions), else `canonical`."""
        kept = None if self.stale(pos, value) else self.raw.get(pos)
        return kept[0] if kept is not None and kept[1] == canonical else canonical

    def apply(self, els: list[str], target: Delimiters, stale: Collection[int] = ()) -> bool:
        """Put the text read back where the values still give the canonical text, except at the
        `stale` positions (a format read with another date: `stale()`); True if any did."""
        src = self.delimiters
        same = src.component == target.component and src.repetition == target.repetition
        applied = False
        for pos, (raw, canonical) in self.raw.items():
            if pos in stale:
                continue
            if not same:
                raw, canonical = _translate(raw, src, target), _translate(canonical, src, target)
            if pos >= len(els):
                els.extend([""] * (pos + 1 - len(els)))
            if els[pos] == canonical:
                els[pos] = raw
                applied = True
        return applied

    def pad(self, els: list[str]) -> None:
        """Put back the empty elements read at the end of the segment (`els`, which ends in text),
        while its text still ends where it did: values changed since may end it elsewhere, and
        then the count read would add empty elements, or a separator after a new last one."""
        if self.length > len(els) == self.last:
            els.extend([""] * (self.length - len(els)))


def _ends_empty(notes: SegNotes | None, seg: Segment) -> SegNotes:
    """The notes of a segment read with empty elements at its end (`NM1*...*MBR2002**`)."""
    els = seg.elements
    notes = notes or SegNotes(seg.delimiters)
    notes.length = last = len(els)
    while last > 1 and els[last - 1] == "":
        last -= 1
    notes.last = last
    return notes


def _translate(text: str, src: Delimiters, target: Delimiters) -> str:
    """Element text re-delimited: component (and repetition) separators of `src` → `target`. Text
    holding a separator of `target` as a plain character is refused (it would read back split)."""
    found = hidden_separator(text, src, target)
    if found is not None:
        raise WriteError(
            f"a value read holds {found[1]!r}, a separator of the delimiters written, so it would "
            "not read back as it was read; write with other delimiters or change the text"
        )
    if src.repetition and target.repetition and src.repetition in text:
        return target.repetition.join(
            part.replace(src.component, target.component) for part in text.split(src.repetition)
        )
    return text.replace(src.component, target.component)


# Whether any loop was read in another order than its model's slots (`Layout.shuffled`): until one
# is, no model can be written out of the guide's order, and `segment_order` has nothing to look at.
READ_SHUFFLED = [False]


@dataclass(slots=True)
class Layout:
    """How a loop was laid out in the input, where that differs from what its model writes by itself."""

    order: list[str] | None = None  # slot keys in input order, "!<n>" for unmapped item n
    unmapped: list[Segment | Loop] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)  # slot key → per-slot notes
    shuffled: bool = False  # read in another order than its model's slots (`segment_order`)

    # Pickled (a claim handed to another process, `copy.deepcopy`): made again there, a layout read
    # out of order sets `READ_SHUFFLED` in that process too, or its order would go unchecked.
    def __getstate__(self) -> tuple[Any, ...]:
        return (self.order, self.unmapped, self.notes, self.shuffled)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.order, self.unmapped, self.notes, self.shuffled = state
        if self.shuffled:
            READ_SHUFFLED[0] = True

    def __bool__(self) -> bool:
        return self.order is not None or bool(self.unmapped) or bool(self.notes)


# -- contexts ----------------------------------------------------------------------------------------


# Segments whose values may identify a person (NM1 names and ids, N3/N4 addresses, DMG birth date, PER
# contacts, REF ids), are dates tied to one (DTP, DTM service and admission dates, PAT date of death,
# HI procedure and occurrence dates next to the codes) or measure one (a test result in MEA, a weight
# in CR1, treatment counts in CR2, months of need in CR3, the answers of a medical necessity form in
# FRM, a date among them): a diagnostic names their elements without
# quoting the value, even one written as a number is.
_PRIVATE_SEGMENTS = frozenset(
    {
        *("NM1", "N3", "N4", "DMG", "PER", "REF", "DTP", "DTM", "PAT", "HI"),
        *("MEA", "CR1", "CR2", "CR3", "FRM"),
    }
)
_NUMBER_LIKE = frozenset("0123456789.,$Ee")


def _characters(raw: str) -> str:
    return "1 character" if len(raw) == 1 else f"{len(raw)} characters"


def _quotable(raw: str) -> bool:
    """Whether a code that is not one its element takes may be quoted: a short one (`13O`, `X1`)
    but of a diagnosis code's shape (`I10`, `E119`: PHI), or one made of what numbers are written
    with (`1,000.00`); longer text is data in the wrong element (PHI) and is said by its length."""
    # A sign leads a number; a dash or space inside is an SSN, a phone number, a date range.
    return (len(raw) <= 4 and not DIAGNOSIS_SHAPE.fullmatch(raw)) or _number_like(raw)


def _number_like(raw: str) -> bool:
    """Made of what numbers are written with, and as a number is written: with an exponent, short
    (`1E5`, `1.3E2`; not `E119`, an ICD-10-CM code, nor `3E03305` or `02723E6`, ICD-10-PCS codes,
    which have seven characters)."""
    body = raw.lstrip("+-")
    if len(raw) > 18 or not _NUMBER_LIKE.issuperset(body):
        return False
    mantissa, e, exponent = body.upper().partition("E")
    return not e or (mantissa != "" and 1 <= len(exponent) <= 3 and len(body) < 7)


_NUMBER_START = frozenset("0123456789+-.")


def _quotable_value(raw: str) -> bool:
    """Whether a value that is no number or date of its element may be quoted: one made of what
    numbers are written with (`1,000.00`, `1E5`), one character (`X`), or a short one that starts
    as a number does (a typo: `13O`, `-X`). A short word (`LEE`, `JANE`) or code (`I10`, a
    diagnosis) is data in the wrong element (PHI: a name, a diagnosis shifted by a lost
    separator), said by its length."""
    return len(raw) == 1 or _number_like(raw) or (len(raw) <= 4 and raw[:1] in _NUMBER_START)


class ReadContext:
    """Collects diagnostics while reading; knows the loop being read, for locations."""

    def __init__(
        self, diagnostics: list[Diagnostic] | None = None, earlier: Sequence[Diagnostic] = ()
    ) -> None:
        self.diagnostics: list[Diagnostic] = diagnostics if diagnostics is not None else []
        self.earlier = earlier  # what was said of the set before its models (its structure)
        self.loop_id = ""
        self.loop_name = ""
        # (segment offset, element) of values reported invalid: not reported again as missing
        self.invalid: set[tuple[int, str]] = set()
        self.missing = 0  # required values found missing (or invalid), reported or not
        self._unexpected: set[int] | None = None  # see `said_unexpected`
        self._missing: dict[str, list[int]] | None = None  # see `said_missing`
        self._missing_from = 0  # how many of `diagnostics` `_missing` has taken

    def said_missing(self) -> dict[str, list[int]]:
        """The segments the grammar said missing (`structure.missing_segment`), by segment ID: the
        sorted numbers of the segments they were said at; kept up to date with `diagnostics`."""
        if self._missing is None:
            self._missing = {}
            self._add_missing(self.earlier)
        if self._missing_from < len(self.diagnostics):
            self._add_missing(self.diagnostics[self._missing_from :])
            self._missing_from = len(self.diagnostics)
        return self._missing

    def _add_missing(self, found: Sequence[Diagnostic]) -> None:
        assert self._missing is not None
        for d in found:
            if d.code == "structure.missing_segment":
                at = d.location.segment_index if d.location is not None else -1
                for seg_id in {tag.split("*")[0] for tag in d.expected}:
                    insort(self._missing.setdefault(seg_id, []), at)

    def said_unexpected(self, seg: Segment) -> bool:
        """Whether the grammar said `seg` is not expected where it is (`NM1*117 is not expected
        here`), so that the model need not say again that it has no place for it."""
        if self._unexpected is None:
            self._unexpected = {
                d.location.segment_index
                for d in self.earlier
                if d.code == "structure.unexpected_segment" and d.location is not None
            }
        return seg.index in self._unexpected

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
        context: dict[str, str] | None = None,
    ) -> None:
        loc = self.location(seg, element)
        self.diagnostics.append(
            Diagnostic(code, message, severity, loc, expected, ack=ack, context=context or {})
        )


@dataclass(slots=True)
class WriteContext:
    """What writing needs to know: the delimiters composites are joined with, and whether to refuse
    what X12 forbids though edi reads it back as written (a component separator in a simple element,
    such as a read `NM1*82:X`): a checked write refuses it, an unchecked one gives back what was read."""

    delimiters: Delimiters = DEFAULT_DELIMITERS
    checked: bool = False
    # The guide ("835" or the claim kind) in whose listing order a model that was not read (made in
    # code or from JSON) writes its segments of one position (`write_model`); None: slot order.
    listing: str | None = None


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
        # An Elems list: how many values the segment has room for.
        self.list_caps: dict[str, int] = {}
        for sc in scalars:
            if sc.many:
                self.list_caps[sc.name] = self.list_caps.get(sc.name, 0) + 1
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
        self.read_clean = _compile_reader(self, 1, None)
        self.write_clean = _compile_writer(self)

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
        (added to `notes` when given). Elements no field maps are noted whole.

        Most segments need no notes: `read_clean` reads those faster, and this is for the rest."""
        els = seg.elements
        n = len(els) if hi is None or hi > len(els) else hi
        by_pos = self.by_pos
        implied = self.implied
        text_fields = self.text_fields
        lists: dict[str, list[Any]] | None = None
        packed = False  # a list of numbers read from this composite (entries without gaps)
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
                    if sc.conv.identity:
                        _put(lists.setdefault(sc.name, []), sc.list_index, value)
                    else:
                        lists.setdefault(sc.name, []).append(value)
                        packed = True
                else:
                    data[sc.name] = value
            if packed:
                _pack(group, lists, canon_parts)  # type: ignore[arg-type]
                packed = False
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
                if notes.dated is None:
                    notes.dated = {}
                notes.dated[fpos] = value
        if hi is None and len(els) > 1 and els[-1] == "":
            notes = _ends_empty(notes, seg)
        return notes

    def _invalid(self, seg: Segment, sc: _Scalar, raw: str, ctx: ReadContext) -> None:
        ref = f"{seg.id}{sc.pos:02d}" + (f"-{sc.comp:02d}" if sc.comp else "")
        ctx.invalid.add((seg.offset, ref))
        # Names, addresses, birth dates, ids and phone numbers are not repeated in messages (PHI).
        if seg.id in _PRIVATE_SEGMENTS:
            message = f"{ref} ({_characters(raw)}) is not {sc.conv.expected}"
            if sc.conv in (DATE, PERIOD) and all(
                len(part) == 8 and part.isascii() and part.isdigit() for part in raw.split("-")
            ):
                # 20240230: the right form, which the value alone (never shown) would not explain.
                message += (
                    ": its digits name no day of the calendar (a month 01-12, a day the month has)"
                )
        elif _quotable_value(raw):
            message = f"{ref} is {raw!r}, not {sc.conv.expected}"
        else:  # a name or id where a number goes (elements shifted): not repeated either
            message = f"{ref} ({_characters(raw)}) is not {sc.conv.expected}"
        ctx.report(
            "mapping.invalid_value",
            message,
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
        """Element texts for the values; None when there is nothing to write (unless `force`).

        Without notes and `extra`, `write_clean` does the same faster."""
        comp = wctx.delimiters.component
        for name, cap in self.list_caps.items():
            many = values.get(name)
            if many and len(many) > cap:
                _too_many(self.seg_id, name, cap, len(many))
        els = self.template.copy()  # the segment ID and the implied qualifiers
        has_data = force or (notes is not None and notes.present)
        if extra:
            for pos, text in extra.items():
                if pos >= len(els):
                    els.extend([""] * (pos + 1 - len(els)))
                els[pos] = text
        for pos, name in self.text_fields.items():
            value = values.get(name)
            if value:
                if wctx.checked and comp in value:
                    _simple_clash(self.seg_id, pos, comp)
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
                els[pos] = text = sc.conv.fmt(value)
                if wctx.checked and comp in text:
                    _simple_clash(self.seg_id, pos, comp)
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
            els[pos] = text = _join_trimmed(parts, comp)
            if comp in text and text.count(comp) != len(parts) - 1:
                _component_clash(self.seg_id, pos, parts, comp)
        stale = (
            [fpos for name, fpos in self.formats if notes.stale(fpos, values.get(name))]
            if notes is not None and notes.dated
            else ()
        )
        if notes and notes.apply(els, wctx.delimiters, stale):
            has_data = True
        if not has_data:
            return None
        while len(els) > 1 and els[-1] == "":
            els.pop()
        if notes:
            notes.pad(els)
        return els


def _pack(group: list[_Scalar], lists: dict[str, list[Any]], canon_parts: list[str]) -> None:
    """The canonical components of a composite whose typed list entries were read without gaps
    (pointers `1::2` are [1, 2]): entry i goes on the component of the list's i-th reference, as
    the writer puts it. The text read is noted when it differs, and written back as it was."""
    for sc in group:
        if sc.many and not sc.conv.identity and sc.comp <= len(canon_parts):
            values = lists.get(sc.name, ())
            has = sc.list_index < len(values)  # entry i comes from component i or a later one
            canon_parts[sc.comp - 1] = sc.conv.fmt(values[sc.list_index]) if has else ""


def _put(values: list[Any], index: int, value: Any) -> None:
    while len(values) <= index:
        values.append("")
    values[index] = value


def _too_many(seg_id: str, name: str, cap: int, count: int) -> None:
    """Raise for a list with more values than its segment has places (validation refuses it; a list
    changed in place after validation gets here)."""
    raise WriteError(f"{seg_id} has room for {cap} {name}, not {count}")


def _component_clash(seg_id: str, pos: int, parts: list[str], comp: str) -> None:
    """Raise for a composite whose component text holds the component separator."""
    k = next((k for k, part in enumerate(parts, 1) if comp in part), 0)
    raise WriteError(
        f"{seg_id}{pos:02d}-{k:02d} holds the component separator {comp!r}, so the composite "
        f"would not read back as written; write with other delimiters or change the text"
    )


def _simple_clash(seg_id: str, pos: int, comp: str) -> None:
    """Raise for a simple element whose text holds the component separator: read back, it would
    be a composite (pyx12 rejects it as an invalid composite)."""
    raise WriteError(
        f"{seg_id}{pos:02d} holds the component separator {comp!r}, so the element would read back "
        "as a composite; write with other delimiters or change the text"
    )


def _join_trimmed(parts: list[str], sep: str) -> str:
    end = len(parts)
    while end and parts[end - 1] == "":
        end -= 1
    return sep.join(parts[:end])


def _implied(quals: tuple[str, ...] | None, qual_at: int) -> dict[int, str]:
    return {qual_at: quals[0]} if quals and len(quals) == 1 else {}


# -- compiled fast paths --------------------------------------------------------------------------
#
# Reading and building run once per segment, so the commonest case of each is compiled, per element map
# and per model, into one generated function with no loop over positions and no lookups: element text
# that its values give back unchanged (no notes), and an instance built from values already converted.
# Anything else returns False / None and goes through the general code above, which notes and reports.

_ReadClean = Callable[[list[str], dict[str, Any], str], bool]

# Canonical amount text → its Decimal, shared by every compiled reader (bounded: cleared when full).
_DECIMALS: dict[str, Decimal] = {}


def _compile_reader(emap: _ElementMap, lo: int, hi: int | None) -> _ReadClean:
    """`read_clean(els, data, comp)`: what `emap.read(seg, data, ctx, lo, hi)` does when it would
    return no notes and report nothing, and then True; else False (`data` may then hold some of the
    values, which `read` sets again)."""
    by_pos, implied = emap.by_pos, emap.implied
    namespace: dict[str, Any] = {
        "_number": _CANONICAL_NUMBER.fullmatch,
        "_Decimal": Decimal,
        "_decimals": _DECIMALS,
        "_decimals_get": _DECIMALS.get,
    }
    lists: dict[str, str] = {}  # Elems field → the local list variable that collects it
    body = ["    n = len(els)"]
    if hi is None:
        known = [p for p in (*by_pos, *implied) if p >= lo]
        top = max(known, default=lo - 1)
        # A trailing separator is noted; so is any element after the last one mapped or implied.
        body += [
            "    if n > 1 and els[-1] == '': return False",
            f"    if n > {top + 1}: return False",
        ]
    else:
        top = hi - 1
        body.append(f"    if n > {hi}: n = {hi}")

    def convert(sc: _Scalar, src: str, indent: str) -> list[str]:
        """Statements that store the value of text `src` for `sc`, or return False."""
        conv = sc.conv
        if conv is STR:
            lines, value = [], src
        # The commonest conversions inline (what _clean_decimal and _clean_int do).
        elif conv is DECIMAL:
            # Amounts repeat (fee schedules, units, zeros): a Decimal read once is shared.
            lines = [
                f"{indent}x = _decimals_get({src})",
                f"{indent}if x is None:",
                f"{indent}    if _number({src}) is None or {src} == '-0' or {src} == '-0.0': "
                "return False",
                f"{indent}    x = _Decimal({src})",
                f"{indent}    if len(_decimals) >= 8192: _decimals.clear()",
                f"{indent}    _decimals[{src}] = x",
            ]
            value = "x"
        elif conv is INT:
            lines = [
                f"{indent}if not ({src}.isascii() and {src}.isdigit()) or "
                f"({src}[0] == '0' and {src} != '0') or len({src}) > {_MAX_INT_DIGITS}: "
                "return False"
            ]
            value = f"int({src})"
        else:
            clean = f"_clean_{conv.name.replace(' ', '_')}"
            namespace[clean] = conv.clean
            lines = [f"{indent}x = {clean}({src})", f"{indent}if x is None: return False"]
            value = "x"
        if not sc.many:
            return [*lines, f"{indent}data[{sc.name!r}] = {value}"]
        # An Elems list: as long as its references, then trimmed of the empty entries at its end
        # (the values are never empty).
        var = lists.setdefault(sc.name, f"list{len(lists)}")
        size = sum(1 for other in emap.by_pos.values() for o in other if o.name == sc.name)
        return [
            *lines,
            f"{indent}if {var} is None: {var} = {[''] * size!r}",
            f"{indent}{var}[{sc.list_index}] = {value}",
        ]

    for p in range(lo, top + 1):
        group = by_pos.get(p)
        if group is None:
            fixed = implied.get(p)
            if fixed == "":
                continue  # a format qualifier (checked below) or a key the slot reads itself
            other = "" if fixed is None else f" and els[{p}] != {fixed!r}"
            body.append(f"    if n > {p} and els[{p}]{other}: return False")
            continue
        body += [f"    if n > {p}:", f"        v = els[{p}]", "        if v:"]
        if len(group) == 1 and group[0].comp == 0:
            body += convert(group[0], "v", " " * 12)
            continue
        # A composite is canonical when every mapped component is and no other one has text.
        mapped = {sc.comp - 1 for sc in group}
        body += [
            "            parts = v.split(comp)",
            "            m = len(parts)",
            f"            if m > {max(mapped) + 1} or parts[-1] == '': return False",
        ]
        body += [
            f"            if m > {k} and parts[{k}]: return False"
            for k in range(max(mapped))
            if k not in mapped
        ]
        for sc in group:
            k = sc.comp - 1
            body += [f"            if m > {k} and parts[{k}]:", f"                w = parts[{k}]"]
            body += convert(sc, "w", " " * 16)
    typed = {
        sc.name for group in by_pos.values() for sc in group if sc.many and not sc.conv.identity
    }
    for name, var in lists.items():
        body += [
            f"    if {var} is not None:",
            f"        while {var}[-1] == '': {var}.pop()",
        ]
        if name in typed:  # a gap: the general reader packs the entries and notes the text
            body.append(f"        if '' in {var}: return False")
        body.append(f"        data[{name!r}] = {var}")
    for name, fpos in emap.formats:
        if fpos >= lo:  # the D8 / RD8 the value implies, and nothing else
            body += [
                f"    x = data.get({name!r})",
                "    c = '' if x is None else 'RD8' if getattr(x, 'end', None) else 'D8'",
                f"    if (els[{fpos}] if n > {fpos} else '') != c: return False",
            ]
    head = ["def read_clean(els, data, comp):", *(f"    {var} = None" for var in lists.values())]
    source = "\n".join([*head, *body, "    return True"])
    # Compiled under a name that profiles can tell apart: `<edi.mapping CLP>`.
    exec(compile(source, f"<edi.mapping {emap.seg_id}>", "exec"), namespace)  # noqa: S102
    return namespace["read_clean"]  # type: ignore[no-any-return]


_INSTANCE_SLOTS = (
    "__dict__",
    "__pydantic_fields_set__",
    "__pydantic_extra__",
    "__pydantic_private__",
)


def _compile_builder(defaults: _Defaults, model: type[X12Model]) -> Callable[..., Any]:
    """`build(data, notes, at=None)`: the instance `_build` makes (fields in declaration order at
    their defaults then the values read, fresh copies of mutable defaults, the fields set, private
    attributes with `_x12` = notes and, for a loop model, `_at` = at), as one generated function;
    None when a required field is missing."""
    namespace: dict[str, Any] = {
        "_model": model,
        "_new": model.__new__,
        # The setters of the attributes pydantic keeps in BaseModel's slots, called directly: what
        # object.__setattr__ would find by name for each, on every instance.
        **{f"_set{name}": BaseModel.__dict__[name].__set__ for name in _INSTANCE_SLOTS},
        "_base": defaults.base,
        "_private": defaults.private,
        "_shared_get": SHARED_FIELDS_SETS.get,
        "_shared_fields_set": shared_fields_set,
    }
    lines = ["def build(data, notes, at=None):"]
    if defaults.required:
        missing = " or ".join(f"{name!r} not in data" for name, _ in defaults.required)
        lines.append(f"    if {missing}: return None")
    lines.append("    values = _base.copy()")
    # An empty list, dict or set is made for every such field, before the values read replace
    # some: cheaper than asking `data` for each field (a model has up to 20 such fields).
    literals = {list: "[]", dict: "{}", set: "set()"}
    made_by: list[tuple[str, str]] = []  # (field, a call of its default factory)
    for i, (name, factory) in enumerate(defaults.fresh):
        made = literals.get(factory)  # type: ignore[call-overload]
        if made is None:
            namespace[f"_fresh{i}"] = factory
            made_by.append((name, f"_fresh{i}()"))
        else:
            lines.append(f"    values[{name!r}] = {made}")
    lines.append("    values.update(data)")
    # Other factories (a copy of a default, a model's own) are called only for fields not read.
    lines += [f"    if {name!r} not in data: values[{name!r}] = {made}" for name, made in made_by]
    # Loop models and other `Placed` models also record where they were read (`Placed._at`).
    at = ", '_at': at" if "_at" in defaults.private else ""
    if set(defaults.private) <= {"_x12", "_at"}:
        private = f"{{'_x12': notes{at}}}"
    else:
        private = f"{{**_private, '_x12': notes{at}}}"
    lines += [
        "    inst = _new(_model)",
        "    _set__dict__(inst, values)",
        # The fields set is shared with the models built from the same names (`shared_fields_set`).
        "    names = tuple(data)",
        "    fields_set = _shared_get(names)",
        "    if fields_set is None: fields_set = _shared_fields_set(names)",
        "    _set__pydantic_fields_set__(inst, fields_set)",
        "    _set__pydantic_extra__(inst, None)",
        f"    _set__pydantic_private__(inst, {private})",
        "    return inst",
    ]
    exec(compile("\n".join(lines), f"<edi.mapping build {model.__name__}>", "exec"), namespace)  # noqa: S102
    return namespace["build"]  # type: ignore[no-any-return]


def _compile_writer(emap: _ElementMap) -> Callable[..., list[str] | None]:
    """`write_clean(fields, comp, force=False, checked=False)`: what `emap.write(fields, None, wctx,
    force=force)` gives (with `comp` and `checked` those of `wctx`), reading the values of the fields it maps
    from `fields` (an instance's `__dict__`) by name."""
    namespace: dict[str, Any] = {}
    # `top` is the last element written; the template's implied qualifiers end at `fixed`. The
    # element list is cut after the larger (what `write` does by popping trailing empty elements).
    fixed = max((pos for pos, text in enumerate(emap.template) if text and pos), default=0)
    lines = [
        "def write_clean(fields, comp, force=False, checked=False):",
        f"    els = {emap.template!r}",
        "    top = 0",
        *_writer_lines(emap, namespace),
    ]
    lines += [
        "    if not top and not force: return None",
        *([f"    if top < {fixed}: top = {fixed}"] if fixed else []),
        "    del els[top + 1 :]",
        "    return els",
    ]
    exec(compile("\n".join(lines), f"<edi.mapping write {emap.seg_id}>", "exec"), namespace)  # noqa: S102
    return namespace["write_clean"]  # type: ignore[no-any-return]


def _writer_lines(emap: _ElementMap, namespace: dict[str, Any]) -> list[str]:
    """The body of `write_clean` (indented for a function): the values of the fields `emap` maps,
    read from `fields`, written into `els` at their positions (`top` raised to the last written)."""
    namespace.update(
        _component_clash=_component_clash, _simple_clash=_simple_clash, _too_many=_too_many
    )
    lines: list[str] = []
    # Elems lists, looked up once each.
    lists: dict[str, str] = {}
    for group in emap.by_pos.values():
        for sc in group:
            if sc.many and sc.name not in lists:
                lists[sc.name] = f"list{len(lists)}"
                var, cap = lists[sc.name], emap.list_caps[sc.name]
                # n<var>: the length of the list (0 for None), taken once.
                lines += [
                    f"    {var} = fields[{sc.name!r}]",
                    f"    n{var} = len({var}) if {var} else 0",
                    f"    if n{var} > {cap}: _too_many({emap.seg_id!r}, {sc.name!r}, {cap}, n{var})",
                ]

    def value(sc: _Scalar, indent: str) -> list[str]:
        if not sc.many:
            return [f"{indent}v = fields[{sc.name!r}]"]
        var, i = lists[sc.name], sc.list_index
        return [f"{indent}v = {var}[{i}] if n{var} > {i} else None"]

    # A number or date is never "": the comparison (slow for a Decimal) is made for other values.
    own_types = {DECIMAL: "_Decimal", INT: "int", DATE: "_date", PERIOD: "_Period"}
    namespace.update(_Decimal=Decimal, _date=date, _Period=Period)

    def present(sc: _Scalar) -> str:
        if sc.conv in own_types:
            return f"v is not None and (type(v) is {own_types[sc.conv]} or v != '')"
        return "v is not None and v != ''"

    def formatted(sc: _Scalar) -> str:
        name = f"_fmt_{sc.conv.name.replace(' ', '_')}"
        namespace[name] = sc.conv.fmt
        if sc.conv is STR:  # str() of a str is itself: the call skipped
            return f"(v if type(v) is str else {name}(v))"
        return f"{name}(v)"

    for pos, name in emap.text_fields.items():
        lines += [
            f"    v = fields[{name!r}]",
            "    if v:",
            f"        if checked and comp in v: _simple_clash({emap.seg_id!r}, {pos}, comp)",
            f"        els[{pos}] = v",
            f"        if top < {pos}: top = {pos}",
        ]
    for pos, group in emap.other_fields:
        if len(group) == 1 and group[0].comp == 0:
            sc = group[0]
            lines += value(sc, "    ")
            lines += [
                f"    if {present(sc)}:",
                f"        els[{pos}] = t = {formatted(sc)}",
                f"        if checked and comp in t: _simple_clash({emap.seg_id!r}, {pos}, comp)",
                f"        if top < {pos}: top = {pos}",
            ]
            if sc.format_pos:
                lines += [
                    f"        els[{sc.format_pos}] = 'RD8' if getattr(v, 'end', None) else 'D8'",
                    f"        if top < {sc.format_pos}: top = {sc.format_pos}",
                ]
            continue
        # As long as the last component mapped, then cut after the last one written (`end`): the
        # components come in order, so that trims the empty ones at its end.
        lines += [f"    parts = {[''] * max(sc.comp for sc in group)!r}", "    end = 0"]
        for sc in group:
            lines += value(sc, "    ")
            lines += [
                f"    if {present(sc)}:",
                f"        parts[{sc.comp - 1}] = text = {formatted(sc)}",
                f"        if text: end = {sc.comp}",
            ]
        lines += [
            "    del parts[end:]",
            f"    els[{pos}] = t = comp.join(parts)",
            f"    if comp in t and t.count(comp) != end - 1: _component_clash({emap.seg_id!r}, {pos}, parts, comp)",
            f"    if end and top < {pos}: top = {pos}",
        ]
    return lines


def _compile_plan(
    plan: list[tuple[Any, int, tuple[str, ...]]], model: type[X12Model]
) -> Callable[[dict[str, Any], dict[str, Any] | None], list[tuple[Any, int]]]:
    """`to_write(fields, notes)`: the (slot, kind) entries of `plan` that canonical writing goes
    through: custom and computed slots, slots with notes, and slots with a field that is not empty
    (None, "", [] and {} are empty)."""
    namespace: dict[str, Any] = {"_blankable": (str, list, dict)}
    # Two copies of the checks: models without notes (the common case) skip the notes lookups.
    plain = ["    if not notes:"]
    noted = []
    for i, (slot, kind, names) in enumerate(plan):
        namespace[f"_entry{i}"] = (slot, kind)
        if kind in (1, 2):
            plain.append(f"        add(_entry{i})")
            noted.append(f"    add(_entry{i})")
            continue
        filled = " or ".join(
            f"((v := fields[{name!r}]) is not None and (type(v) not in _blankable or v))"
            for name in names
        )
        plain.append(f"        if {filled or 'False'}: add(_entry{i})")
        noted.append(f"    if {slot.key!r} in notes or {filled or 'False'}: add(_entry{i})")
    lines = [
        "def to_write(fields, notes):",
        "    out = []",
        "    add = out.append",
        *plain,
        "        return out",
        *noted,
        "    return out",
    ]
    exec(compile("\n".join(lines), f"<edi.mapping plan {model.__name__}>", "exec"), namespace)  # noqa: S102
    return namespace["to_write"]  # type: ignore[no-any-return]


_Emitter = Callable[..., None]  # (model, out, layout, wctx, custom, computed[, spans])


def _compile_emitter(codec: _Codec, marks: dict[str, Any] | None = None) -> _Emitter:
    """`emit(model, out, layout, wctx, custom, computed)`: what `write_model` does for a model whose
    layout holds notes at most, appending the segments to `out` instead of making a loop of them
    (child loops are emitted in place, by `write_flat`). One generated function per model, with the
    commonest slots inline: element slots, segment models without notes, child loops. With `marks`
    (`_Listing`, for a model not read, which has no notes), it takes a list `spans` too, and adds
    (start, end, mark) to it for the segments of each slot marked (`_in_listed_order`)."""
    namespace: dict[str, Any] = {
        "_blankable": (str, list, dict),
        "_Segment": Segment,
        "_segments_of": segments_of,
        "_write_flat": write_flat,
    }
    plain: list[str] = []  # the model has no notes (the common case)
    noted: list[str] = []
    bounds: list[int] = []  # where the lines of each slot start in `plain`
    for i, (slot, kind, names) in enumerate(codec.plan):
        bounds.append(len(plain))
        namespace[f"_slot{i}"] = slot
        if kind == 1:  # custom loops, given as segments and loops
            line = f"    if custom and (x := custom.get({slot.loop_id!r})): _segments_of(x, out)"  # type: ignore[attr-defined]
            plain.append("    " + line)
            noted.append(line)
            continue
        if kind == 2:  # computed segments (segments only: no loops to flatten)
            line = f"    if computed and (x := computed.get({slot.seg_id!r})): out.extend(x)"  # type: ignore[attr-defined]
            plain.append("    " + line)
            noted.append(line)
            continue
        # What `to_write` checks: a field that is not empty (its value left in `v`).
        filled = (
            " or ".join(
                f"((v := fields[{name!r}]) is not None and (type(v) not in _blankable or v))"
                for name in names
            )
            or "False"
        )
        if kind == 3:
            namespace[f"_write{i}"] = slot.map.write_clean  # type: ignore[attr-defined]
            body = [
                f"els = _write{i}(fields, comp, False, checked)",
                "if els is not None: add(_Segment(els, d))",
            ]
            plain += [f"        if {filled}:", *(f"            {b}" for b in body)]
            noted += [
                f"    if {slot.key!r} in notes: out.extend(_slot{i}.write(model, layout, wctx))",
                f"    elif {filled}:",
                *(f"        {b}" for b in body),
            ]
            continue
        if type(slot) is _SegSlot:
            namespace[f"_model{i}"] = slot.model
            namespace[f"_write{i}"] = slot.map.write_clean
            # `_SegSlot.segment`, inline for a model of the slot's own type without notes.
            body = [
                "p = sub.__pydantic_private__",
                f"if type(sub) is _model{i} and (not p or p.get('_x12') is None):",
                f"    add(_Segment(_write{i}(sub.__dict__, comp, True, checked), d))",
                "else:",
                f"    add(_slot{i}.segment(sub, wctx))",
            ]
            plain.append(f"        if {filled}:")
            if slot.many:
                plain += ["            for sub in v:", *(f"                {b}" for b in body)]
            else:
                plain += ["            sub = v", *(f"            {b}" for b in body)]
        elif type(slot) is _ChildSlot:
            plain.append(f"        if {filled}:")
            if slot.many:
                plain += ["            for sub in v: _write_flat(sub, wctx, out)"]
            else:
                plain += ["            _write_flat(v, wctx, out)"]
        else:
            plain += [f"        if {filled}: out.extend(_slot{i}.write(model, layout, wctx))"]
        if type(slot) is _ChildSlot:
            subs = "v" if slot.many else "(v,)"
            noted += [
                f"    if {slot.key!r} in notes or {filled}:",
                f"        v = fields[{slot.name!r}]",
                "        if v is not None:",
                f"            for sub in {subs}: _write_flat(sub, wctx, out)",
            ]
        else:
            noted.append(
                f"    if {slot.key!r} in notes or {filled}: out.extend(_slot{i}.write(model, layout, wctx))"
            )
    bounds.append(len(plain))
    if marks:
        spanned: list[str] = []
        for i, (slot, _, _) in enumerate(codec.plan):
            chunk = plain[bounds[i] : bounds[i + 1]]
            if slot.key in marks and chunk:
                namespace[f"_mark{i}"] = marks[slot.key]
                chunk = [
                    "        s = len(out)",
                    *chunk,
                    f"        if len(out) > s: spans.append((s, len(out), _mark{i}))",
                ]
            spanned += chunk
        plain = spanned
    lines = [
        f"def emit(model, out, layout, wctx, custom, computed{', spans' if marks else ''}):",
        "    fields = model.__dict__",
        "    d = wctx.delimiters",
        "    comp = d.component",
        "    checked = wctx.checked",
        "    add = out.append",
        "    notes = None if layout is None else layout.notes",
        "    if not notes:",
        *plain,
        "        return",
        *noted,
    ]
    source = "\n".join(lines)
    exec(compile(source, f"<edi.mapping emit {codec.model.__name__}>", "exec"), namespace)  # noqa: S102
    return namespace["emit"]  # type: ignore[no-any-return]


def _notes_of(model: X12Model) -> Any:
    private = model.__pydantic_private__
    return private.get("_x12") if private else None


# -- slots -------------------------------------------------------------------------------------------


# What `take` did with a segment.
_NOT_TAKEN = 0  # not for this slot (full, or another qualifier): the next candidate may take it
_TAKEN = 1
_REFUSED = 2  # for this slot, but it cannot be read into a model: kept unmapped, in place


class _Slot:
    """One place in a loop. Subclasses say which items they take and how they read and write them."""

    key: str
    rank: int
    field_names: tuple[str, ...] = ()

    def take(
        self,
        seg: Segment,
        data: dict[str, Any],
        filled: dict[str, Any],
        notes: dict[str, Any],
        ctx: ReadContext,
    ) -> int:
        """Read `seg` into `data` if this slot takes it (its qualifier already matched, see
        `_Codec.dispatch`); `filled` counts what the slots hold, `notes` collects layout notes."""
        return _NOT_TAKEN

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

    # No `take`: the generated takers (`_compile_taker`) read the segments of element slots inline
    # (the first segment of the slot's qualifiers is read into the fields, later ones are not taken).

    def write(
        self, model: X12Model, layout: Layout | None, wctx: WriteContext
    ) -> list[Segment | Loop]:
        fields = model.__dict__
        notes = layout.notes.get(self.key) if layout is not None else None
        if notes is None:
            els = self.map.write_clean(fields, wctx.delimiters.component, False, wctx.checked)
        else:
            els = self.map.write({name: fields[name] for name in self.field_names}, notes, wctx)
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
        self.defaults = _defaults(model)
        self.placed = "_at" in self.defaults.private  # a `Placed` model: where it was read
        implied = _implied(self.quals, self.qual_at)
        self.map = _segment_map(model, self.seg_id, implied)
        if not implied and self.quals is not None and self.qual_at not in self.map.by_pos:
            raise MappingDefinitionError(
                f"{model.__name__} maps {self.seg_id} segments with several qualifiers "
                f"{self.quals}, so it must map element {self.qual_at:02d} itself"
            )

    def take(
        self,
        seg: Segment,
        data: dict[str, Any],
        filled: dict[str, Any],
        notes: dict[str, Any],
        ctx: ReadContext,
    ) -> int:
        key = self.key
        count = filled.get(key, 0)
        if self.max is not None and count >= self.max:
            return _NOT_TAKEN
        sub_data: dict[str, Any] = {}
        found = None
        if not self.map.read_clean(seg.elements, sub_data, seg.delimiters.component):
            found = self.map.read(seg, sub_data, ctx) or None
        at = ReadAt((seg.index, seg.id, seg.line, seg.offset, "")) if self.placed else None
        sub = self.defaults.build(sub_data, found, at)
        if sub is None:
            self.defaults.report_missing(sub_data, ctx, seg)
            return _REFUSED  # it cannot be a model: keep it as it was
        if self.many:
            data.setdefault(self.name, []).append(sub)
        else:
            data[self.name] = sub
        filled[key] = count + 1
        return _TAKEN

    def write(
        self, model: X12Model, layout: Layout | None, wctx: WriteContext
    ) -> list[Segment | Loop]:
        value = model.__dict__[self.name]
        subs = value if self.many else ([] if value is None else [value])
        return [self.segment(sub, wctx) for sub in subs]

    def segment(self, sub: SegmentModel, wctx: WriteContext) -> Segment:
        """The segment of one model of this slot."""
        notes = _notes_of(sub)
        if notes is None and type(sub) is self.model:
            els = self.map.write_clean(sub.__dict__, wctx.delimiters.component, True, wctx.checked)
        else:
            values = {name: getattr(sub, name) for name in type(sub).model_fields}
            els = self.map.write(values, notes, wctx, force=True)
        assert els is not None
        return Segment(els, wctx.delimiters)


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
        # The qualifiers a field of the model's own holds (AMT*B6 `allowed`), set by `_Codec`: a
        # second such segment is one past what the model holds, not an entry (two allowed amounts).
        self.owned: frozenset[str] = frozenset()

    def take(
        self,
        seg: Segment,
        data: dict[str, Any],
        filled: dict[str, Any],
        notes: dict[str, Any],
        ctx: ReadContext,
    ) -> int:
        els = seg.elements
        qual = els[self.key_pos] if self.key_pos < len(els) else ""
        if not qual or (self.quals is not None and qual not in self.quals) or qual in self.owned:
            return _NOT_TAKEN
        seen = filled.get(self.key)
        if seen is not None and qual in seen:
            return _NOT_TAKEN
        sub: dict[str, Any] = {}
        found = None
        if not self.map.read_clean(els, sub, seg.delimiters.component):
            found = self.map.read(seg, sub, ctx)
        if "value" not in sub:
            return _REFUSED
        data.setdefault(self.name, {})[qual] = sub["value"]
        if found:
            notes.setdefault(self.key, {})[qual] = found
        if seen is None:
            filled[self.key] = {qual}
        else:
            seen.add(qual)
        return _TAKEN

    def write(
        self, model: X12Model, layout: Layout | None, wctx: WriteContext
    ) -> list[Segment | Loop]:
        entries = getattr(model, self.name) or {}
        all_notes = layout.notes.get(self.key, {}) if layout else {}
        out: list[Segment | Loop] = []
        if self.owned and not self.owned.isdisjoint(entries):
            # Set in place, around validation (`amounts["B6"] = ...` beside `allowed`): not edi's
            # error, so the writers and checks say the field as pydantic does (`unvalidated`).
            raise ValueError(f"{self.name}: an entry of a qualifier a field of its own holds")
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
        self.number_name: str | None = None  # the `InSegment` field: which segment holds an item
        for fname, finfo in model.model_fields.items():
            mark = marker_of(finfo)
            if isinstance(mark, InSegment):
                self.number_name = fname
                continue
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
                    f"{model.__name__}.{fname}: expected Part(...), Elem(...) or InSegment()"
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
        self.defaults = _defaults(model)
        self.placed = "_at" in self.defaults.private  # a `Placed` model: where it was read
        self.header_clean = _compile_reader(self.header_map, 1, marker.start)
        self._read_clean = self._compile_read_clean()
        self._write_items = self._compile_write_items()

    def _compile_read_clean(self) -> Callable[[list[str], str, int], list[Any] | None]:
        """`read_clean(els, comp, number)`: the items of a segment that `read` would keep no notes
        for, else None; `number`: which of the slot's segments it is (for an `InSegment` field).
        Generated with the groups unrolled: a group with no text stops the items when no element
        follows it, and makes the segment irregular (None) when another group follows."""
        m = self.marker
        namespace: dict[str, Any] = {"_header": self.header_clean, "_build": self.defaults.build}
        header = "{}" if self.number_name is None else f"{{{self.number_name!r}: number}}"
        lines = [
            "def read_clean(els, comp, number):",
            "    n = len(els)",
            f"    if n > {self.end} or (n > 1 and els[-1] == ''): return None",
            f"    header = {header}",
            "    if not _header(els, header, comp): return None",
            "    items = []",
            "    gap = False",
        ]
        for g, gmap in enumerate(self.group_maps):
            base = m.start + g * m.size
            namespace[f"_read{g}"] = _compile_reader(gmap, base, base + m.size)
            text = " or ".join(
                f"els[{base + k}]" if k == 0 else f"(n > {base + k} and els[{base + k}])"
                for k in range(m.size)
            )
            lines += [
                f"    if n <= {base}: return items",
                f"    if {text}:",
                "        if gap: return None",
                "        values = header.copy()",
                f"        if not _read{g}(els, values, comp): return None",
                "        item = _build(values, None)",
                "        if item is None: return None",
                "        items.append(item)",
                "    else:",
                "        gap = True",
            ]
        lines.append("    return items")
        source = "\n".join(lines)
        exec(compile(source, f"<edi.mapping group {m.seg_id}>", "exec"), namespace)  # noqa: S102
        return namespace["read_clean"]  # type: ignore[no-any-return]

    def _compile_write_items(self) -> Callable[[list[str], list[Any], str, bool], int]:
        """`write_items(els, chunk, comp, checked)`: the groups of up to `count` items written into
        `els` (as long as the last group) at their positions, what the group maps' `write_clean`
        give, without a list of elements per group; returns the last position written (`top`).
        Generated with the groups unrolled."""
        namespace: dict[str, Any] = {"_model": self.model, "_fields": self._fields}
        lines = ["def write_items(els, chunk, comp, checked):", "    n = len(chunk)", "    top = 0"]
        for g, gmap in enumerate(self.group_maps):
            lines += [
                f"    if n > {g}:",
                f"        item = chunk[{g}]",
                "        fields = item.__dict__ if type(item) is _model else _fields(item)",
                *(f"    {line}" for line in _writer_lines(gmap, namespace)),
            ]
        lines.append("    return top")
        source = "\n".join(lines)
        exec(compile(source, f"<edi.mapping group write {self.seg_id}>", "exec"), namespace)  # noqa: S102
        return namespace["write_items"]  # type: ignore[no-any-return]

    def take(
        self,
        seg: Segment,
        data: dict[str, Any],
        filled: dict[str, Any],
        notes: dict[str, Any],
        ctx: ReadContext,
    ) -> int:
        number = filled.get(self.key, 0) + 1
        items = self._read_clean(seg.elements, seg.delimiters.component, number)
        if not items:  # None, or a segment without a group (reported by `read`)
            self.read(seg, data, notes, ctx, number)
        else:
            if self.placed:  # every item of a segment was read at that segment
                at = ReadAt((seg.index, seg.id, seg.line, seg.offset, ""))
                for item in items:
                    item.__pydantic_private__["_at"] = at
            data.setdefault(self.name, []).extend(items)
            notes.setdefault(self.key, []).append((len(items), None, None))
        filled[self.key] = number
        return _TAKEN

    def read(
        self,
        seg: Segment,
        data: dict[str, Any],
        notes: dict[str, Any],
        ctx: ReadContext,
        number: int,
    ) -> None:
        """The items of segment `number` of the slot, with the notes that write it back as read."""
        m = self.marker
        els = seg.elements
        header: dict[str, Any] = {} if self.number_name is None else {self.number_name: number}
        notes_read = self.header_map.read(seg, header, ctx, 1, m.start)
        items = data.setdefault(self.name, [])
        first = len(items)
        gap = irregular = seen = False
        at = ReadAt((seg.index, seg.id, seg.line, seg.offset, "")) if self.placed else None
        for g, gmap in enumerate(self.group_maps):
            base = m.start + g * m.size
            if base >= len(els):
                break
            if not any(els[base : base + m.size]):
                gap = True
                continue
            irregular = irregular or gap
            values: dict[str, Any] = dict(header)
            notes_read = gmap.read(seg, values, ctx, base, base + m.size, notes_read)
            item = self.defaults.build(values, None, at)
            if item is None:
                self._report_missing(values, g, seg, ctx)
            else:
                items.append(item)
            seen = True
        if not seen:  # a segment without a group (CAS*PR): its first group is missing
            self._report_missing(dict(header), 0, seg, ctx)
        if len(els) > self.end:  # elements after the last group: kept as read
            notes_read = self.header_map.read(seg, {}, ctx, self.end, None, notes_read)
        elif len(els) > 1 and els[-1] == "":
            notes_read = _ends_empty(notes_read, seg)
        override = None
        if irregular:
            # An empty group between others: the canonical writer would close the gap. Keep the
            # segment as read, for as long as its items write the same canonical segment.
            canonical = self._write_chunk(items[first:], None, WriteContext(seg.delimiters))
            override = (canonical, list(els), seg.delimiters)
        notes.setdefault(self.key, []).append((len(items) - first, notes_read, override))

    def _report_missing(
        self, values: dict[str, Any], group: int, seg: Segment, ctx: ReadContext
    ) -> None:
        """The required fields of group `group` (0-based) that `values` lacks, named by their element:
        the amount of the second CAS triplet is CAS06."""
        gmap = self.group_maps[group]
        where = {sc.name: sc for scalars in gmap.by_pos.values() for sc in scalars}
        for name, fallback in self.defaults.required:
            if name in values:
                continue
            sc = where.get(name)
            ref = fallback if sc is None else f"{self.seg_id}{sc.pos:02d}"
            if sc is not None and sc.comp:
                ref += f"-{sc.comp:02d}"
            if ref[:1].isdigit():
                ref = self.seg_id + ref
            ctx.missing += 1
            if (seg.offset, ref) in ctx.invalid:
                continue  # reported as invalid already
            ctx.report(
                "mapping.missing",
                f"{ref} ({name.replace('_', ' ')}) is required but missing",
                seg,
                ref,
                ack="IK403:1",
            )

    def write(
        self, model: X12Model, layout: Layout | None, wctx: WriteContext
    ) -> list[Segment | Loop]:
        items = getattr(model, self.name) or []
        if not items:
            return []
        recorded = layout.notes.get(self.key) if layout is not None else None
        chunks = self._chunks(items, recorded, model)
        name = self.number_name if self._numbered(items) else None
        fits = recorded is not None and (name is not None or len(recorded) == len(chunks))
        out: list[Segment | Loop] = []
        for i, chunk in enumerate(chunks):
            notes = override = None
            k = i
            if name is not None:  # the notes of the segment read with that number (its count)
                number = getattr(chunk[0], name)
                k = number - 1 if type(number) is int else -1
            # `fits` holds only with notes recorded; the test says so to the type checker.
            if (
                fits
                and recorded is not None
                and 0 <= k < len(recorded)
                and recorded[k][0] == len(chunk)
            ):
                _, notes, override = recorded[k]
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
        comp = wctx.delimiters.component
        if notes is None and 0 < len(chunk) <= m.count:
            # The common case: the header, then every group written in place (the elements after
            # the header as long as the groups: empty ones at the end are cut).
            els = self.header_map.write_clean(self._fields(chunk[0]), comp, True, wctx.checked)
            els = els or [self.seg_id]
            head = len(els)
            els += [""] * (self.end - head)
            top = self._write_items(els, chunk, comp, wctx.checked)
            del els[max(top + 1, head) :]  # past the last group written: empty
            while len(els) > 1 and els[-1] == "":
                els.pop()
            return els
        if chunk:
            els = self.header_map.write_clean(self._fields(chunk[0]), comp, True, wctx.checked)
        else:
            els = self.header_map.write({}, None, wctx, force=True)
        els = els or [self.seg_id]
        for g, item in enumerate(chunk):
            group = self.group_maps[g].write_clean(self._fields(item), comp, False, wctx.checked)
            if group is None:
                continue
            base = m.start + g * m.size
            end = min(len(group), base + m.size)
            if len(els) < end:
                els.extend([""] * (end - len(els)))
            els[base:end] = group[base:end]
        if notes:
            notes.apply(els, wctx.delimiters)
        while len(els) > 1 and els[-1] == "":
            els.pop()
        if notes:
            notes.pad(els)
        return els

    def _fields(self, item: Any) -> dict[str, Any]:
        """The values of an item by field name (what the compiled writers read)."""
        if type(item) is self.model:
            return item.__dict__  # type: ignore[no-any-return]
        return {name: getattr(item, name) for name in (*self.header_names, *self.part_names)}

    def _chunks(
        self, items: list[Any], recorded: list[tuple[int, Any, Any]] | None, owner: X12Model
    ) -> list[list[Any]]:
        # Items with an `InSegment` field say which share a segment (None: packed); others keep
        # the layout read, while it fits.
        if (
            self.number_name is None
            and recorded is not None
            and sum(r[0] for r in recorded) == len(items)
        ):
            chunks: list[list[Any]] = []
            i = 0
            for n, _, _ in recorded:
                chunks.append(items[i : i + n])
                i += n
            if all(c and self._same_header(c) for c in chunks):
                return chunks
        chunks = []
        numbers: list[Any] = []  # each chunk's `InSegment` number; None: packed
        seen: set[Any] = set()  # the numbers of `numbers`: a list's `in` made this quadratic
        split = self.marker.split
        if self.marker.split_by is not None:
            split_by = self.marker.split_by

            def split(item: Any) -> Any:
                return split_by(owner, item)

        if self.marker.together and split is not None and self.number_name is None:
            kinds: dict[Any, list[Any]] = {}
            for item in items:
                kinds.setdefault(split(item), []).append(item)
            if len(kinds) > 1:
                items = [item for kind in kinds.values() for item in kind]

        name = self.number_name
        for i, item in enumerate(items):
            number = None if name is None else getattr(item, name)
            if chunks and numbers[-1] == number:
                last = chunks[-1]
                if number is not None or (
                    len(last) < self.marker.count
                    and self._header(last[0]) == self._header(item)
                    and (split is None or split(last[-1]) == split(item))
                ):
                    last.append(item)
                    continue
            if number is not None and number in seen:
                _refuse_scattered(self.name, self.seg_id, name, items, i)  # type: ignore[arg-type]
            chunks.append([item])
            numbers.append(number)
            seen.add(number)
        if name is not None:
            for chunk, number in zip(chunks, numbers, strict=True):
                if number is not None:
                    self._check_numbered(items, chunk, number)
        return chunks

    def _numbered(self, items: list[Any]) -> bool:
        """Whether any item has an `InSegment` number."""
        name = self.number_name
        return name is not None and any(getattr(item, name) is not None for item in items)

    def _check_numbered(self, items: list[Any], chunk: list[Any], number: Any) -> None:
        """Refuse the items given one number that one segment cannot hold."""
        if len(chunk) > self.marker.count:
            raise WriteError(
                f"{self.name}: {len(chunk)} have {self.number_name} {number}, more than the "
                f"{self.marker.count} one {self.seg_id} holds; give the others another number, or None"
            )
        first = self._header(chunk[0])
        other = next((item for item in chunk if self._header(item) != first), None)
        if other is not None:
            at = [next(k for k, i in enumerate(items) if i is x) + 1 for x in (chunk[0], other)]
            raise WriteError(
                f"{self.name} #{at[0]} and #{at[1]} have {self.number_name} {number} but another "
                f"{' or '.join(self.header_names)}: one {self.seg_id} holds items of one "
                f"{' and '.join(self.header_names)}"
            )

    def _header(self, item: Any) -> tuple[Any, ...]:
        return tuple(getattr(item, n) for n in self.header_names)

    def _same_header(self, chunk: list[Any]) -> bool:
        if not self.header_names:
            return True
        first = self._header(chunk[0])
        return all(self._header(i) == first for i in chunk[1:])


def _refuse_scattered(field: str, seg_id: str, name: str, items: list[Any], i: int) -> None:
    """Refuse item `i` (0-based) of `field`: an earlier segment has its number `name`, but not the
    item before it (so writing them together would reorder the list)."""
    number = getattr(items[i], name)
    first = next(k for k, item in enumerate(items) if getattr(item, name) == number)
    between = next(k for k in range(first, i) if getattr(items[k], name) != number)
    raise WriteError(
        f"{field} #{first + 1} and #{i + 1} have {name} {number} but #{between + 1} between them "
        f"has not: the items of one {seg_id} are written together, in list order; put them next "
        "to each other"
    )


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

    # No `take`: `read_model` reads its child loops inline (one per claim line, service, ...).

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

    def take(
        self,
        seg: Segment,
        data: dict[str, Any],
        filled: dict[str, Any],
        notes: dict[str, Any],
        ctx: ReadContext,
    ) -> int:
        return _TAKEN  # its place is kept; its value is the transaction module's


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
            mark = marker_of(finfo)
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
                child = _ChildSlot(mark.loop_id, name, mark, inner, many)
                self._add(child, loop_id=mark.loop_id)
                for alias in mark.aliases:
                    self._add_loop(alias, child)
            elif isinstance(mark, Custom):
                self._add(_CustomSlot(mark.loop_id, name, mark.loop_id), loop_id=mark.loop_id)
            else:
                raise MappingDefinitionError(
                    f"{owner}.{name}: {mark!r} cannot be used in a loop model"
                )
        for slot in elem_slots.values():
            slot.finish(owner)
        for taker in self.slots:
            if type(taker) is _MapSlot:
                taker.owned = frozenset(owned_qualifiers(model, taker.name))
        if "SE" in computed:
            self._add(_ComputedSlot("=SE", "SE"), seg_id="SE")
        # What canonical writing walks: (slot, its kind, field names). Kinds: 1 custom, 2 computed,
        # 3 the scalar fields of one segment, 0 any other slot.
        kinds = {_CustomSlot: 1, _ComputedSlot: 2, _ElemSlot: 3}
        self.plan = [(slot, kinds.get(type(slot), 0), slot.field_names) for slot in self.slots]
        self.to_write = _compile_plan(self.plan, model)
        self.emit: _Emitter | None = None  # made on first use (`write_flat`)
        # By segment ID, the function that offers a segment to the slots that may take it: first
        # those that choose their segments by qualifier, then the others (a list of any REF), each
        # in canonical order. So the canonical (writing) order may put a list of any qualifier
        # before a field of one (2010AC: REF*NF before REF*EI, as the guides list them) and reading
        # still gives each segment of that qualifier to the field.
        self.dispatch = {
            seg_id: _compile_taker(seg_id, _by_qualifier_first(slots), owner)
            for seg_id, slots in self.by_seg.items()
        }
        # The first slot of each segment ID: where a segment of that ID that found no place (one
        # past what the model holds) would go, for telling whether it came out of order.
        self.first_rank = {seg_id: slots[0].rank for seg_id, slots in self.by_seg.items()}
        self.defaults = _defaults(model)

    def _add(self, slot: _Slot, *, seg_id: str | None = None, loop_id: str | None = None) -> None:
        slot.rank = len(self.slots)
        self.slots.append(slot)
        if seg_id is not None:
            self.by_seg.setdefault(seg_id, []).append(slot)
        if loop_id is not None:
            self._add_loop(loop_id, slot)

    def _add_loop(self, loop_id: str, slot: _Slot) -> None:
        if loop_id in self.by_loop:
            raise MappingDefinitionError(f"{self.model.__name__}: loop {loop_id} mapped twice")
        self.by_loop[loop_id] = slot


class _Refused:
    """What a taker returns when `slot` refused the segment (it stays unmapped, in place)."""

    __slots__ = ("slot",)

    def __init__(self, slot: _Slot) -> None:
        self.slot = slot


_Taker = Callable[[Segment, dict[str, Any], dict[str, Any], dict[str, Any], ReadContext], Any]


def _absent(seg: Segment, notes: SegNotes | None) -> SegNotes:
    """The notes of an element slot's segment that gave no value: it was there, so it is written."""
    if notes is None:
        notes = SegNotes(seg.delimiters)
    notes.present = True
    return notes


def _by_qualifier_first(slots: list[_Slot]) -> list[_Slot]:
    """The slots of one segment ID in the order they are offered a segment read: those with
    qualifiers first, then those without, each in canonical order."""
    return sorted(slots, key=lambda slot: getattr(slot, "quals", None) is None)


def _compile_taker(seg_id: str, slots: list[_Slot], owner: str) -> _Taker:
    """`take(seg, data, filled, notes, ctx)` for the segments of one ID in one loop model: offers
    the segment to the slots of that ID in the order given, skipping those whose qualifier does not
    match, and returns the slot that took it, a `_Refused`, or None (no slot takes it). One
    generated function per segment ID, with the commonest `take` (`_ElemSlot`) inline."""
    namespace: dict[str, Any] = {"_absent": _absent}
    positions = sorted(
        {
            slot.qual_at  # type: ignore[attr-defined]
            for slot in slots
            if type(slot) in _QUALIFIED_SLOTS and slot.quals is not None  # type: ignore[attr-defined]
        }
    )
    lines = ["def take(seg, data, filled, notes, ctx):", "    els = seg.elements"]
    if positions:
        lines += ["    n = len(els)", "    comp = seg.delimiters.component"]
    for p in positions:
        # The qualifier is the first component of a composite.
        lines += [
            f"    q{p} = els[{p}] if n > {p} else ''",
            f"    if comp in q{p}: q{p} = q{p}.split(comp, 1)[0]",
        ]
    for i, slot in enumerate(slots):
        namespace[f"_slot{i}"] = slot
        namespace[f"_refused{i}"] = _Refused(slot)
        quals = getattr(slot, "quals", None) if type(slot) in _QUALIFIED_SLOTS else None
        cond = "True"
        if quals is not None:
            namespace[f"_quals{i}"] = frozenset(quals)
            cond = f"q{slot.qual_at} in _quals{i}"  # type: ignore[attr-defined]
        if type(slot) is _ElemSlot:
            namespace[f"_read{i}"] = slot.map.read_clean
            namespace[f"_map{i}"] = slot.map
            lines += [
                f"    if {cond} and {slot.key!r} not in filled:",
                "        k = len(data)",
                f"        if not _read{i}(els, data, seg.delimiters.component):",
                f"            found = _map{i}.read(seg, data, ctx)",
                f"            if found: notes[{slot.key!r}] = found",
                # A segment that gave no value is still written back (its notes say it was there).
                "        if len(data) == k:",
                f"            notes[{slot.key!r}] = _absent(seg, notes.get({slot.key!r}))",
                f"        filled[{slot.key!r}] = 1",
                f"        return _slot{i}",
            ]
        else:
            lines += [
                f"    if {cond}:",
                f"        t = _slot{i}.take(seg, data, filled, notes, ctx)",
                f"        if t == {_TAKEN}: return _slot{i}",
                f"        if t == {_REFUSED}: return _refused{i}",
            ]
    lines.append("    return None")
    source = "\n".join(lines)
    exec(compile(source, f"<edi.mapping take {owner} {seg_id}>", "exec"), namespace)  # noqa: S102
    return namespace["take"]  # type: ignore[no-any-return]


class _Defaults:
    """What building an instance needs besides the values read: required fields and defaults."""

    def __init__(self, model: type[X12Model]) -> None:
        self.required: list[tuple[str, str]] = []  # (field, where it lives)
        # Required fields of a segment with a qualifier (TRN*1): field → its segment ID, the
        # qualifiers it takes and their element, to tell a segment with another one from none.
        self.qualified: dict[str, tuple[str, tuple[str, ...], int]] = {}
        # Every field in declaration order, at its default (None for required ones, which a built
        # instance always has): copied, then updated with the values read.
        self.base: dict[str, Any] = {}
        # Defaults each instance needs its own copy of (lists, dicts) and default factories.
        self.fresh: list[tuple[str, Callable[[], Any]]] = []
        for name, finfo in model.model_fields.items():
            if finfo.is_required():
                mark = marker_of(finfo)
                self.required.append((name, _where(mark) if mark is not None else name))
                if isinstance(mark, Seg) and mark.quals:
                    self.qualified[name] = (mark.seg_id, mark.quals, mark.qual_at)
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
        self.base = _key_sharing(self.base)
        self.private: dict[str, Any] = {
            name: attr.get_default() for name, attr in model.__private_attributes__.items()
        }
        self.build = _compile_builder(self, model)

    def report_missing(
        self,
        data: dict[str, Any],
        ctx: ReadContext,
        seg: Segment | None,
        reported: set[str] | frozenset[str] = frozenset(),
        unmapped: Sequence[Segment | Loop] = (),
        loop: Loop | None = None,
    ) -> None:
        """Report the required fields `data` lacks (why `build` gave None), except those in `reported`:
        their segment or loop was there but could not be read, which was reported then. One of a
        segment with a qualifier (TRN*1) whose segment is among the loop's `unmapped` with another
        qualifier (TRN*2) is said as that wrong code, not as a missing segment. One whose segment
        `loop` lacks altogether is said as that segment missing (999 IK304 3), once, and not when the
        grammar said it already (the first segment of a loop: `structure.missing_segment`)."""
        present = None if loop is None else {s.id for s in loop.iter_segments()}
        said: set[str] = set()
        for name, where in self.required:
            if name in data or name in reported:
                continue
            if name in self.qualified and _wrong_qualifier(self.qualified[name], unmapped, ctx):
                ctx.missing += 1
                continue
            if where[:1].isdigit() and seg is not None:
                where = seg.id + where  # "02" of an Elem("02") in a segment model: "REF02"
            ctx.missing += 1
            if seg is not None and (seg.offset, where) in ctx.invalid:
                continue  # reported as invalid already
            if loop is not None and _said_invalid(loop, where, ctx):
                continue  # in another segment of the loop (a header's BHT04, said at the BHT)
            absent = _segment_of(where) if present is not None else None
            if (
                absent is not None
                and absent in present  # type: ignore[operator]
                and loop is not None
                and _grammar_said_missing(absent, ctx, loop)
            ):
                # Its segment is there with a qualifier the loop does not take (NM1*117 where the
                # NM1*85 goes), which the grammar said, with the NM1*85 it misses: not said again
                # as the NM103 the NM1*85 would give (the intake tester).
                continue
            if absent is not None and absent not in present:  # type: ignore[operator]
                if absent not in said and not _grammar_said_missing(absent, ctx):
                    ctx.report(
                        "mapping.missing_segment",
                        f"{absent} is required but missing (it gives {name.replace('_', ' ')}, "
                        f"{where})",
                        seg,
                        ack="IK304:3",
                    )
                said.add(absent)
                continue
            ctx.report(
                "mapping.missing",
                f"{where} ({name.replace('_', ' ')}) is required but missing",
                seg,
                where if where[:1].isalpha() and where[:3].isupper() else None,
                ack="IK403:1"
                if where[:1].isupper() and not where.startswith("segment")
                else "IK304:3",
            )


_ELEMENT_REF = re.compile(r"([A-Z][A-Z0-9]{1,2})[0-9]{2}(?:-[0-9]{2})?")


def _said_invalid(loop: Loop, where: str, ctx: ReadContext) -> bool:
    """Whether the value at `where` (`BHT04`) was reported invalid in a segment of `loop` itself."""
    seg_id = _segment_of(where)
    return seg_id is not None and any(
        (item.offset, where) in ctx.invalid
        for item in loop.items
        if type(item) is Segment and item.id == seg_id
    )


def _segment_of(where: str) -> str | None:
    """The segment ID of an element reference (`PAT01` → `PAT`, `NM103` → `NM1`); None for another
    kind of place (`segment ...`, a loop)."""
    found = _ELEMENT_REF.fullmatch(where)
    return found[1] if found else None


def _grammar_said_missing(seg_id: str, ctx: ReadContext, within: Loop | None = None) -> bool:
    """Whether the grammar said a segment of this ID missing (a loop's first: `NM1*85 is missing
    before N3`), so that the fields it gives need not be said missing again; with `within`, said
    at a segment of that loop. One search of what the context found (`said_missing`), not a pass
    over the set's problems each time (a file with a problem in each of 16,000 subscribers had
    taken 10 s: the review)."""
    said = ctx.said_missing().get(seg_id)
    if not said:
        return False
    if within is None:
        return True
    indexes = [s.index for s in within.iter_segments()]
    if not indexes:
        return False
    at = bisect_left(said, min(indexes))
    return at < len(said) and said[at] <= max(indexes)


def _wrong_qualifier(
    qualified: tuple[str, tuple[str, ...], int],
    unmapped: Sequence[Segment | Loop],
    ctx: ReadContext,
) -> bool:
    """Report the first of `unmapped` that is the segment of a required field but for its qualifier
    (a TRN whose TRN01 is 2, not 1) as a wrong code at that element (999 IK403 7), in place of the
    warning that the model has no place for it; False when there is none."""
    seg_id, quals, at = qualified
    seg = next((s for s in unmapped if type(s) is Segment and s.id == seg_id), None)
    if seg is None or seg.element(at) in quals:
        return False
    ref = f"{seg_id}{at:02d}"
    raw = seg.element(at)
    shown = "empty" if not raw else repr(raw) if _quotable(raw) else f"({_characters(raw)})"
    wanted = " or ".join(quals)
    ctx.diagnostics[:] = [
        d
        for d in ctx.diagnostics
        if d.code != "mapping.unplaced" or d.location is None or d.location.offset != seg.offset
    ]
    ctx.report(
        "mapping.wrong_qualifier",
        f"{ref} is {shown}, expected {wanted}: the {seg_id} this loop requires is {seg_id}*"
        f"{'/'.join(quals)}, and this one is not read",
        seg,
        ref,
        expected=quals,
        ack="IK403:7" if raw else "IK403:1",  # an empty required element is missing data
    )
    return True


def _key_sharing(base: dict[str, Any]) -> dict[str, Any]:
    """`base` (a model's fields at their defaults) as an equal dict that shares its keys with the
    instances of a class made for it, when the copies `build` makes of it are smaller that way.

    CPython copies such a "split" dict by its values alone, so each instance `__dict__` then holds
    no keys of its own: a model of 11 to 29 fields takes 136 to 504 bytes less, and is copied
    faster. A dict is a dict either way; which one is chosen only changes the memory they use."""
    holder = type("_Fields", (), {})()
    for name, value in base.items():
        object.__setattr__(holder, name, value)
    shared: dict[str, Any] = holder.__dict__
    if list(shared.items()) != list(base.items()):  # not expected; keep what is known to be right
        return base
    return shared if sys.getsizeof(shared.copy()) < sys.getsizeof(base.copy()) else base


_DEFAULTS: dict[type, _Defaults] = {}
_CODECS: dict[type, _Codec] = {}
_SEGMENT_MAPS: dict[tuple[type, str, tuple[tuple[int, str], ...]], _ElementMap] = {}


def _codec(model: type[X12Model]) -> _Codec:
    codec = _CODECS.get(model)
    if codec is None:
        codec = _Codec(model)
        _CODECS[model] = codec
    return codec


def _defaults(model: type[X12Model]) -> _Defaults:
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        defaults = _DEFAULTS[model] = _Defaults(model)
    return defaults


def _segment_map(model: type[SegmentModel], seg_id: str, implied: dict[int, str]) -> _ElementMap:
    key = (model, seg_id, tuple(sorted(implied.items())))
    found = _SEGMENT_MAPS.get(key)
    if found is None:
        scalars: list[_Scalar] = []
        for name, finfo in model.model_fields.items():
            mark = marker_of(finfo)
            if not isinstance(mark, (Elem, Elems)):
                raise MappingDefinitionError(
                    f"{model.__name__}.{name}: a segment model field needs Elem(...)"
                )
            scalars.extend(_scalars(model, name, mark, finfo.annotation))
        found = _ElementMap(seg_id, scalars, dict(implied), model.__name__)
        _SEGMENT_MAPS[key] = found
    return found


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
    entry_conv = _CONVERSIONS.get(inner)
    if entry_conv is None:
        raise MappingDefinitionError(f"{model.__name__}.{name}: Elems of {inner!r} not supported")
    out = []
    for i, ref in enumerate(mark.refs):
        _, pos, comp = split_ref(ref)
        out.append(_Scalar(name, pos, comp, entry_conv, ref, many=True, list_index=i))
    if not entry_conv.identity and (len({sc.pos for sc in out}) > 1 or out[0].comp == 0):
        # Such a list has no gaps (an empty or invalid entry is left out: see _ElementMap.read),
        # which keeps entry i on component i of one element only.
        raise MappingDefinitionError(
            f"{model.__name__}.{name}: Elems of {inner!r} must be components of one element"
        )
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
    defaults = _defaults(model)
    inst = defaults.build(data, notes)
    if inst is None:
        defaults.report_missing(data, ctx, seg)
    return inst


# -- reading and writing loops -------------------------------------------------------------------


def read_model(
    model: type[LoopModel], loop: Loop, ctx: ReadContext, extra: dict[str, Any] | None = None
) -> Any:
    """The model of one loop, or None when required data is missing (diagnostics say what).

    `extra` gives the values of fields the transaction module reads itself (`Custom` fields, context
    from outside the loop); they count as present when required fields are checked.
    """
    codec = _CODECS.get(model) or _codec(model)
    saved = (ctx.loop_id, ctx.loop_name)
    ctx.loop_id, ctx.loop_name = loop.id, loop.name
    try:
        data: dict[str, Any] = {}
        filled: dict[str, Any] = {}  # slot key → count (or the keys seen, for maps)
        notes: dict[str, Any] = {}  # slot key → its notes (see Layout)
        unmapped: list[Segment | Loop] = []
        refused: set[str] = set()  # fields whose segment or loop was there but could not be read
        order: list[str] = []  # slot keys in input order, "!<n>" for unmapped item n
        last_rank = -1
        in_order = True  # the items came in canonical (slot) order so far
        dispatch = codec.dispatch
        by_loop = codec.by_loop
        for item in loop.items:
            if type(item) is not Loop:
                take = dispatch.get(item.id)
                slot = None if take is None else take(item, data, filled, notes, ctx)
                if slot is None:
                    if take is not None:  # a segment the model maps, but no place is left for it
                        _report_unplaced(item, ctx)
                        # Kept where it was read: after a segment of a later slot, it is out of
                        # the guide's order too, which the checks then say (a DTM*472 after AMT).
                        if codec.first_rank[item.id] < last_rank:
                            in_order = False
                    order.append(f"!{len(unmapped)}")
                    unmapped.append(item)
                    continue
                if type(slot) is _Refused:
                    slot = slot.slot
                    refused.update(slot.field_names)
                    order.append(f"!{len(unmapped)}")
                    unmapped.append(item)
                else:
                    order.append(slot.key)
                rank = slot.rank
                if rank < last_rank:
                    in_order = False
                last_rank = rank
            else:
                slot = by_loop.get(item.id)
                if type(slot) is _CustomSlot:
                    key = slot.key
                elif type(slot) is _ChildSlot and (
                    slot.max is None or filled.get(slot.key, 0) < slot.max
                ):
                    # A child loop with room left is read here, not by a method of its slot: one
                    # call less per loop (every service line and service payment is one).
                    sub = read_model(slot.model, item, ctx)
                    if sub is None:
                        refused.update(slot.field_names)
                        order.append(f"!{len(unmapped)}")
                        unmapped.append(item)
                        continue
                    if slot.many:
                        data.setdefault(slot.name, []).append(sub)
                    else:
                        data[slot.name] = sub
                    key = slot.key
                    filled[key] = filled.get(key, 0) + 1
                else:
                    order.append(f"!{len(unmapped)}")
                    unmapped.append(item)
                    continue
                order.append(key)
                rank = slot.rank
                if rank < last_rank:
                    in_order = False
                last_rank = rank
        layout = None
        if unmapped or not in_order:
            layout = Layout(order, unmapped, notes, not in_order)
            if not in_order:
                READ_SHUFFLED[0] = True
        elif notes:
            layout = Layout(None, unmapped, notes)
        if extra:
            data.update(extra)
        first = loop.items[0] if loop.items else None
        if first is not None and type(first) is not Segment:  # its first segment is missing
            first = loop.first_segment
        # The loop read, which is not always the model's own: a provider is read in 2310, 2330, 2420.
        at = (
            None
            if first is None
            else ReadAt((first.index, first.id, first.line, first.offset, loop.id))
        )
        inst = codec.defaults.build(data, layout, at)
        if inst is None:
            first = loop.first_segment
            if first is None:  # an empty loop: the grammar reported its missing first segment
                ctx.missing += 1
            else:
                codec.defaults.report_missing(data, ctx, first, refused, unmapped, loop)
        return inst
    finally:
        ctx.loop_id, ctx.loop_name = saved


def _report_unplaced(seg: Segment, ctx: ReadContext) -> None:
    """A warning for a segment of a kind the model maps that found no place: repeated more often than
    the guide has it (a second NM1*QC in a claim) or than the model holds (one AMT or QTY of each
    qualifier, where the 835 map lets one of them repeat), or with a qualifier it does not list.
    Whether the guide allows it is the checks' to say."""
    if ctx.said_unexpected(seg):  # `NM1*117 is not expected here`: said once, by the grammar
        return
    qual = seg.element(1)  # a qualifier, except in an address (N301 street, N401 city)
    shown = f"{seg.id}*{qual}" if qual and len(qual) <= 3 and seg.id not in ("N3", "N4") else seg.id
    ctx.report(
        "mapping.unplaced",
        f"{shown} is more than this loop's model holds (repeated past the guide's maximum or the "
        "model's one of each qualifier, or a qualifier the guide does not list): kept as read and "
        "written back, but not in the model or its JSON",
        seg,
        severity=Severity.WARNING,
        context={"segment": shown},  # what the reader looks for (`claim837._opener_missing`)
    )


def segment_groups(model: X12Model, field: str) -> list[list[Any]]:
    """The items of a `Group` field as the writer puts them in segments when it has no layout to
    follow: the HI segments a claim's codes make (`check_claims` counts them against the guides)."""
    return _group_slot(type(model), field)._chunks(list(getattr(model, field) or []), None, model)


def written_groups(model: X12Model, field: str) -> tuple[list[list[Any]], bool]:
    """The items of a `Group` field as the writer puts them in segments, and whether that follows
    the layout read (`HI*ABF:A~HI*ABF:B~HI*ABF:C~` is written back as three HI, while it fits the
    items); `segment_groups` without a layout."""
    slot = _group_slot(type(model), field)
    private = model.__pydantic_private__
    layout: Layout | None = private.get("_x12") if private else None
    recorded = layout.notes.get(slot.key) if layout is not None else None
    items = list(getattr(model, field) or [])
    chunks = slot._chunks(items, recorded, model)
    return chunks, recorded is not None and len(recorded) == len(chunks)


@functools.cache
def _group_slot(model_type: type[X12Model], field: str) -> _GroupSlot:
    return next(
        s for s in _codec(model_type).slots if isinstance(s, _GroupSlot) and s.name == field
    )


def write_model(
    model: LoopModel,
    wctx: WriteContext | None = None,
    *,
    custom: Mapping[str, Sequence[Segment | Loop]] | None = None,
    computed: dict[str, list[Segment]] | None = None,
) -> Loop:
    """The loop of a model. `custom` gives the loops of `Custom` fields, `computed` the computed segments."""
    wctx = wctx or WriteContext()
    codec = _CODECS.get(type(model)) or _codec(type(model))
    private = model.__pydantic_private__
    layout: Layout | None = private.get("_x12") if private else None
    if layout is None or (layout.order is None and not layout.unmapped):
        # A model with a layout was read (only the reader gives one); one without may not be.
        plan = _listing_of(model, private, wctx) if layout is None else None
        if plan is not None:  # not read: segments of one position in the guide's listing order
            listed = _listed_items(model, plan, layout, wctx, custom, computed)
            return Loop(type(model).loop_id or "", "", listed)
        # Slot after slot (with the notes of a layout that only has notes), skipping slots whose
        # fields are all empty and that have no notes.
        items: list[Segment | Loop] = []
        fields = model.__dict__
        notes = None if layout is None else layout.notes
        delimiters = wctx.delimiters
        comp = delimiters.component
        checked = wctx.checked
        for slot, kind in codec.to_write(fields, notes):
            if kind == 3 and not (notes and slot.key in notes):
                # What _ElemSlot.write does, inline: most slots written are these.
                els = slot.map.write_clean(fields, comp, False, checked)
                if els is not None:
                    items.append(Segment(els, delimiters))
            elif kind == 1:
                items.extend((custom or {}).get(slot.loop_id, ()))
            elif kind == 2:
                items.extend((computed or {}).get(slot.seg_id, ()))
            else:
                items.extend(slot.write(model, layout, wctx))
        return Loop(type(model).loop_id or "", "", items)
    produced: dict[str, list[Segment | Loop]] = {}
    for slot in codec.slots:
        if isinstance(slot, _CustomSlot):
            produced[slot.key] = list((custom or {}).get(slot.loop_id, []))
        elif isinstance(slot, _ComputedSlot):
            produced[slot.key] = list((computed or {}).get(slot.seg_id, []))
        else:
            produced[slot.key] = slot.write(model, layout, wctx)  # type: ignore[attr-defined]
    unmapped = layout.unmapped
    ordered = in_read_order(layout, produced, lambda n: redelimit(unmapped[n], wctx))
    if ordered is None:
        # Changed since it was read so that the order read no longer fits (a line given its
        # adjudications by `edi cob`): slot after slot, the segments of one position in the
        # guide's listing order, as a model not read (a line's REF*G3 before its REF*6R; in
        # slot order, the REF*6R came first: the dental tester).
        parts = ((slot.key, produced[slot.key]) for slot in codec.slots)
        plan = None if wctx.listing is None else _listing(type(model), wctx.listing)
        if plan is None:
            ordered = [item for _, written in parts for item in written]
        else:
            ordered = _joined_listed(parts, plan)
        if layout.unmapped:
            # Unmapped items go after the last own segment, before the child loops.
            at = next((i for i, it in enumerate(ordered) if isinstance(it, Loop)), len(ordered))
            ordered[at:at] = [redelimit(u, wctx) for u in layout.unmapped]
    return Loop(type(model).loop_id or "", "", ordered)


# -- segments of one position, in the guide's listing order -------------------------------------------


class _Listing:
    """How a model, in one guide, puts its segments of one position in the order the guide lists
    them (`segment_positions.LISTED`): by slot key, the mark of the segments it writes, (loop,
    position) in the guide's table (a segment of a name loop, the name loop's: 2010AA for the
    REFs of a `BillingProvider`); by mark, by segment ID, where its qualifier stands in the
    listing: (element, component, code → index, index of a code not listed)."""

    __slots__ = ("marks", "rules", "emit")

    def __init__(
        self,
        marks: dict[str, tuple[str, int]],
        rules: dict[tuple[str, int], dict[str, tuple[int, int, dict[str, int], int]]],
    ) -> None:
        self.marks = marks
        self.rules = rules
        self.emit: _Emitter | None = None  # `_compile_emitter` with these marks (`write_flat`)


@functools.cache
def _listing(model: type[X12Model], guide: str) -> _Listing | None:
    """The `_Listing` of a loop model in `guide` ("835" or the claim kind); None when the guide
    lists no two segments of one position among those the model writes."""
    from edi.transactions.segment_positions import LISTED, POSITIONS  # data: imports nothing

    own = getattr(model, "loop_id", "")
    merged = getattr(model, "__x12_name_loop__", None)  # claim_parties.name_loop_of
    marks: dict[str, tuple[str, int]] = {}
    rules: dict[tuple[str, int], dict[str, tuple[int, int, dict[str, int], int]]] = {}
    for slot in _codec(model).slots:
        if type(slot) not in (_ElemSlot, _SegSlot, _MapSlot):
            # Child loops, what the transaction module writes (HL, LX, the 2400s), and a `Group`'s
            # segments: one list cut into segments (HI: a segment may hold several qualifiers), whose
            # order is data (diagnosis pointers count the codes), read back as written.
            continue
        seg_id: str = slot.seg_id  # type: ignore[attr-defined]
        loop = merged.loop_id if merged is not None and seg_id not in merged.hl_segments else own
        table = POSITIONS[guide].get(loop)
        if table is None:
            continue
        found = re.search(rf"(?:^| ){seg_id}:(\d+)", table)
        if found is None:
            continue
        mark = (loop, int(found.group(1)))
        if mark not in rules:
            rules[mark] = _listed_rules(LISTED[guide].get(loop, ()), table, mark[1])
        if seg_id in rules[mark]:
            marks[slot.key] = mark
    return _Listing(marks, rules) if marks else None


def _listed_rules(
    groups: Iterable[str], table: str, pos: int
) -> dict[str, tuple[int, int, dict[str, int], int]]:
    """By segment ID, its rule in the group of `groups` (`LISTED[guide][loop]`) of the segments at
    `pos` in the loop's `table` (`POSITIONS[guide][loop]`); {} when none is listed there."""
    at = {word.split(":")[0]: int(word.split(":")[1]) for word in table.split()}
    out: dict[str, tuple[int, int, dict[str, int], int]] = {}
    for group in groups:
        words = group.split()
        ids = [split_ref(word.split("=")[0])[0] if "=" in word else word for word in words]
        if at.get(ids[0]) != pos:
            continue
        for index, (word, seg_id) in enumerate(zip(words, ids, strict=True)):
            element, component, codes, unknown = out.get(seg_id, (0, 0, {}, len(words)))
            if "=" in word:  # `REF01=4N`, `HI01-01=ABK/BK`: a qualifier and its codes
                _, element, component = split_ref(word.split("=")[0])
                for code in word.split("=")[1].split("/"):
                    codes.setdefault(code, index)
            else:  # the segment without a qualifier: all of them stand there
                unknown = index
            out[seg_id] = (element, component, codes, unknown)
    return out


def _listing_of(
    model: LoopModel, private: dict[str, Any] | None, wctx: WriteContext
) -> _Listing | None:
    """The `_Listing` `write_model` follows for a model it writes slot after slot: only for one
    not read (no `read_at`: made in code or from JSON), when the write says its guide; a model
    read keeps the order read, within its slots as across them."""
    guide = wctx.listing
    if guide is None or (private and private.get("_at") is not None):
        return None
    return _listing(type(model), guide)


def _listed_items(
    model: LoopModel,
    plan: _Listing,
    layout: Layout | None,
    wctx: WriteContext,
    custom: Mapping[str, Sequence[Segment | Loop]] | None,
    computed: dict[str, list[Segment]] | None,
) -> list[Segment | Loop]:
    """What `write_model` writes of a model not read, slot after slot, in listing order
    (`_in_listed_order`)."""
    codec = _CODECS.get(type(model)) or _codec(type(model))

    def parts() -> Iterator[tuple[str, Sequence[Segment | Loop]]]:
        for slot, kind in codec.to_write(model.__dict__, None if layout is None else layout.notes):
            if kind == 1:
                yield slot.key, (custom or {}).get(slot.loop_id, ())
            elif kind == 2:
                yield slot.key, (computed or {}).get(slot.seg_id, ())
            else:
                yield slot.key, slot.write(model, layout, wctx)

    return _joined_listed(parts(), plan)


def _joined_listed(parts: Iterable[tuple[str, Sequence[_T]]], plan: _Listing) -> list[_T]:
    """What each slot writes (slot key, items), slot after slot, with the items of one position
    in the guide's listing order (`_in_listed_order`)."""
    items: list[_T] = []
    spans: list[tuple[int, int, tuple[str, int]]] = []
    marks = plan.marks
    for key, written in parts:
        start = len(items)
        items.extend(written)
        mark = marks.get(key)
        if mark is not None and len(items) > start:
            spans.append((start, len(items), mark))
    _in_listed_order(items, spans, plan)
    return items


def _in_listed_order(
    items: list[Any], spans: list[tuple[int, int, tuple[str, int]]], plan: _Listing
) -> None:
    """Put each run of consecutive segments of one position in `items` in the order the guide lists
    their qualifiers, in place. `spans`: (start, end, mark) of the segments of each slot `plan`
    marks, in slot order; spans of one mark next to each other (or one span: a list) make a run.
    A stable sort: segments of one listed qualifier keep their order, and those of a qualifier the
    guide does not list there (which the other checks say) keep theirs, after the listed ones. Slot
    order is the guide's position order (`tests/test_segment_order.py`), so only segments of one
    position move and the loop stays in the guide's order. The one place both writers sort: the 835
    through `write_model`, the 837 through `write_flat` (`_compile_emitter` with marks)."""
    n = len(spans)
    i = 0
    while i < n:
        start, end, mark = spans[i]
        i += 1
        while i < n and spans[i][0] == end and spans[i][2] == mark:
            end = spans[i][1]
            i += 1
        if end - start > 1:
            rules = plan.rules[mark]
            items[start:end] = sorted(items[start:end], key=lambda seg: _listed_at(seg, rules))


def _listed_at(seg: Segment, rules: dict[str, tuple[int, int, dict[str, int], int]]) -> int:
    """Where the guide lists `seg` in its group of one position (`_Listing`)."""
    element, component, codes, unknown = rules[seg.id]
    els = seg.elements
    value = els[element] if 0 < element < len(els) else ""
    if component:
        parts = value.split(seg.delimiters.component)
        value = parts[component - 1] if component <= len(parts) else ""
    return codes.get(value, unknown)


def keeps_layout(model: LoopModel) -> bool:
    """Whether `write_model` writes the loop of `model` in the order it was read (a layout with an
    order or unmapped items): its custom loops must then be given as loops, one per loop."""
    private = model.__pydantic_private__
    layout: Layout | None = private.get("_x12") if private else None
    return layout is not None and (layout.order is not None or bool(layout.unmapped))


_T = TypeVar("_T")


def in_read_order(
    layout: Layout, produced: dict[str, list[_T]], unmapped: Callable[[int], _T]
) -> list[_T] | None:
    """What each slot writes (`produced`, by slot key), laid out in the order read, with the
    items kept unmapped (`unmapped(n)`: the n-th) in their places; None when there is no order
    read, or the model changed since so that it no longer fits (another count of a slot's
    segments): then it is written in slot order."""
    order = layout.order
    if order is None or not _order_fits(order, produced):
        return None
    items: list[_T] = []
    cursors = dict.fromkeys(produced, 0)
    for key in order:
        if key.startswith("!"):
            items.append(unmapped(int(key[1:])))
        else:
            items.append(produced[key][cursors[key]])
            cursors[key] += 1
    return items


def read_shuffled(model: LoopModel) -> bool:
    """Whether `model` was read in another order than its slots', and keeps that order."""
    private = model.__pydantic_private__
    layout: Layout | None = private.get("_x12") if private else None
    return layout is not None and layout.shuffled and layout.order is not None


def shuffled_items(
    model: LoopModel, custom: Mapping[str, int] | None = None
) -> list[tuple[str, Any]] | None:
    """What `write_model` writes of a loop read in another order than its model's slots
    (`Layout.shuffled`), in that order (`in_read_order`, as `write_model` lays it out); None for
    any other model, and for one changed since so that the order read no longer fits (written in
    slot order). Each item: `("segment", Segment)` (the slot's, or one kept unmapped), `("loop",
    model)` for a child loop model, `("loop", Loop)` for a loop kept unmapped, `("custom", loop
    ID)`, `("computed", segment ID)` (the transaction module's). `custom`: how many loops the
    transaction module gives `write_model` for each `Custom` loop ID (the claim's lines, "2400"),
    as it writes the model now; by default as many as the order read has. None too when a value
    cannot be written (`WriteError`)."""
    if not read_shuffled(model):
        return None
    layout: Layout = model.__pydantic_private__["_x12"]  # type: ignore[index]
    assert layout.order is not None  # a shuffled layout has the order read
    codec = _CODECS.get(type(model)) or _codec(type(model))
    wctx = WriteContext()
    produced: dict[str, list[tuple[str, Any]]] = {}
    for slot in codec.slots:
        # The transaction module's items: a stand-in for each.
        if isinstance(slot, _CustomSlot):
            count = (custom or {}).get(slot.loop_id, layout.order.count(slot.key))
            produced[slot.key] = [("custom", slot.loop_id)] * count
        elif isinstance(slot, _ComputedSlot):
            produced[slot.key] = [("computed", slot.seg_id)] * layout.order.count(slot.key)
        elif isinstance(slot, _ChildSlot):
            value = getattr(model, slot.name)
            subs = value if slot.many else ([] if value is None else [value])
            produced[slot.key] = [("loop", sub) for sub in subs]
        else:
            try:
                written = slot.write(model, layout, wctx)
            except WriteError:  # a value that cannot be written: the other checks say so
                return None
            produced[slot.key] = [("segment", s) for s in written]
    kept = layout.unmapped
    return in_read_order(
        layout,
        produced,
        lambda n: ("segment" if isinstance(kept[n], Segment) else "loop", kept[n]),
    )


def write_flat(
    model: LoopModel,
    wctx: WriteContext,
    out: list[Segment],
    custom: dict[str, list[Segment | Loop]] | None = None,
    computed: dict[str, list[Segment]] | None = None,
) -> None:
    """Append the segments of `write_model(model, wctx, custom=custom, computed=computed)` to `out`,
    in order: the same segments, without making the loops that hold them (what the 837 writer uses).
    `custom` may give segments as well as loops."""
    codec = _CODECS.get(type(model)) or _codec(type(model))
    private = model.__pydantic_private__
    layout: Layout | None = private.get("_x12") if private else None
    if layout is None or (layout.order is None and not layout.unmapped):
        if layout is None and wctx.listing is not None and not (private and private.get("_at")):
            # Not read (`_listing_of`): segments of one position in the guide's listing order.
            plan = _listing(type(model), wctx.listing)
            if plan is not None:
                emit = plan.emit
                if emit is None:
                    emit = plan.emit = _compile_emitter(codec, plan.marks)
                spans: list[tuple[int, int, tuple[str, int]]] = []
                emit(model, out, layout, wctx, custom, computed, spans)
                _in_listed_order(out, spans, plan)
                return
        emit = codec.emit
        if emit is None:
            emit = codec.emit = _compile_emitter(codec)
        emit(model, out, layout, wctx, custom, computed)
    else:  # laid out as read: `write_model` keeps the order and the unmapped items
        segments_of(write_model(model, wctx, custom=custom, computed=computed).items, out)


def write_own(model: LoopModel, wctx: WriteContext) -> tuple[list[Segment], list[WriteError]]:
    """The segments `write_model` writes for `model`'s own loop, without its child loops (nor the
    custom and computed ones a transaction writer adds), slot after slot, and what the writer
    refuses in each (a checked `wctx`: a component separator in a simple element ...): what a check
    of the written text says of `model` rather than of a model in it, every slot's refusal, not
    only the first. The segments kept as read (unmapped) are the model's too; order is not kept."""
    codec = _CODECS.get(type(model)) or _codec(type(model))
    private = model.__pydantic_private__
    layout: Layout | None = private.get("_x12") if private else None
    out: list[Segment] = []
    refused: list[WriteError] = []
    for slot in codec.slots:
        if isinstance(slot, (_ChildSlot, _CustomSlot, _ComputedSlot)):
            continue
        try:
            segments_of(slot.write(model, layout, wctx), out)  # type: ignore[attr-defined]
        except WriteError as exc:
            refused.append(exc)
    for item in layout.unmapped if layout is not None else ():
        try:
            segments_of([redelimit(item, wctx)], out)
        except WriteError as exc:
            refused.append(exc)
    return out, refused


def _order_fits(order: list[str], produced: Mapping[str, Collection[object]]) -> bool:
    counts: dict[str, int] = {}
    for key in order:
        if not key.startswith("!"):
            counts[key] = counts.get(key, 0) + 1
    return all(len(v) == counts.get(k, 0) for k, v in produced.items())


def redelimit(item: Segment | Loop, wctx: WriteContext) -> Segment | Loop:
    """An unmapped item as written with the target delimiters (positions and tails dropped)."""
    if isinstance(item, Segment):
        if item.delimiters != wctx.delimiters:
            check_redelimit(item, wctx.delimiters)
        return Segment(item.normalized(wctx.delimiters), wctx.delimiters)
    return Loop(item.id, item.name, [redelimit(i, wctx) for i in item.items])


def segments_of(items: Iterable[Segment | Loop], out: list[Segment] | None = None) -> list[Segment]:
    """Every segment of a list of segments and loops, in order (appended to `out` when given)."""
    if out is None:
        out = []
    for item in items:
        if isinstance(item, Segment):
            out.append(item)
        else:
            segments_of(item.items, out)  # not Loop.iter_segments: no generator per loop
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
