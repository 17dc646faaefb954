"""Base classes, field markers and value types for the models.

A model field says where it lives in X12 with one marker inside `Annotated`, and that one declaration
drives both reading and writing (edi.mapping compiles it). Markers use X12 reference designators:

    class ClaimPayment(LoopModel, loop="2100"):
        patient_control_number: Annotated[str, Elem("CLP01")]
        charge: Annotated[Money, Elem("CLP03")]
        received: Annotated[date | None, Elem("DTM02", qual="050")] = None
        patient: Annotated[Party | None, Seg("NM1", qual="QC")] = None
        adjustments: Annotated[list[Adjustment], Group("CAS", start=2, size=3, count=6)] = []
        amounts: Annotated[dict[str, Money], SegMap("AMT")] = {}
        services: Annotated[list[ServicePayment], Child("2110")] = []

The models know nothing of delimiters, segments objects or loop trees. What a model does not map (a
segment the guide does not allow there, non-canonical number text such as `.50`, elements the model has no
field for) is kept in a private layout record on the instance, so writing gives back what was read.
"""

from __future__ import annotations

import functools
import inspect
import re
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from operator import itemgetter
from typing import Annotated, Any, ClassVar, cast

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, InitErrorDetails, PydanticCustomError
from pydantic_core.core_schema import ListSchema

from edi.diagnostics import Location
from edi.errors import MappingDefinitionError, ModelValidationError

_REF = re.compile(r"^(?P<seg>[A-Z][A-Z0-9]{1,2}?)?(?P<el>\d{2})(?:-(?P<comp>\d{2}))?$")


# An element or component past 99, which only a broken segment has (`REF100`, `SV101-100`: the
# checks name what a segment read holds past what its loop uses).
_LONG_COMPONENT = re.compile(r"^(?P<seg>[A-Z][A-Z0-9]{1,2}?)?(?P<el>\d{2})-(?P<comp>\d{3,})$")
_LONG_ELEMENT = re.compile(r"^(?P<seg>[A-Z][A-Z0-9]{1,2}?)?(?P<el>\d{3,})(?:-(?P<comp>\d{2,}))?$")


def split_ref(ref: str) -> tuple[str, int, int]:
    """`"CLM05-01"` → `("CLM", 5, 1)`; `"04"` → `("", 4, 0)` (component 0: the whole element)."""
    m = _REF.match(ref) or _LONG_COMPONENT.match(ref) or _LONG_ELEMENT.match(ref)
    if not m:
        raise MappingDefinitionError(
            f"bad reference designator {ref!r}: expected e.g. 'CLP04', 'CLM05-01' or '05-01'"
        )
    return m.group("seg") or "", int(m.group("el")), int(m.group("comp") or 0)


def _quals(qual: str | tuple[str, ...] | None) -> tuple[str, ...] | None:
    if qual is None:
        return None
    return (qual,) if isinstance(qual, str) else tuple(qual)


# -- markers ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Elem:
    """A scalar from one element or component: `Elem("CLP04")`, `Elem("CLM05-01")`.

    In a loop model the segment is named in the reference; `qual` picks which of several segments with that
    ID (the value of its qualifier element, element `qual_at`), and is written back automatically when it
    is a single value. In a segment or item model the reference is relative: `Elem("03")`. A field typed
    `Period` may name the element holding its D8/RD8 format qualifier: `Elem("DTP03", qual="472",
    format="DTP02")`; a field typed `date` may too, and is written with D8 (`Elem("DMG02",
    format="DMG01")`).
    """

    ref: str
    qual: str | tuple[str, ...] | None = None
    qual_at: int = 1
    format: str | None = None

    def __post_init__(self) -> None:
        split_ref(self.ref)
        if self.format is not None:
            split_ref(self.format)

    @property
    def quals(self) -> tuple[str, ...] | None:
        return _quals(self.qual)


@dataclass(frozen=True, slots=True)
class Elems:
    """Several elements or components as one list: `Elems("MOA03", "MOA04", "MOA05")`.

    Reading drops trailing empty values. In a `list[str]`, empty values between others are kept as
    ""; a list of numbers (`list[int]`) has no gaps, and lies in the components of one element.
    """

    refs: tuple[str, ...]
    qual: str | tuple[str, ...] | None = None
    qual_at: int = 1

    def __init__(
        self, *refs: str, qual: str | tuple[str, ...] | None = None, qual_at: int = 1
    ) -> None:
        if not refs:
            raise MappingDefinitionError("Elems needs at least one reference designator")
        for ref in refs:
            split_ref(ref)
        object.__setattr__(self, "refs", refs)
        object.__setattr__(self, "qual", qual)
        object.__setattr__(self, "qual_at", qual_at)

    @property
    def quals(self) -> tuple[str, ...] | None:
        return _quals(self.qual)

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        # A list holds at most one value per place it is written to (SV101 has room for four
        # modifiers): validation and the JSON Schema (maxItems) say so, rather than the writer
        # dropping the fifth.
        schema = handler(source)
        if schema.get("type") == "list":
            # pydantic_core types a schema as a read-only Mapping for mypy: this one is a list's.
            cast("ListSchema", schema)["max_length"] = len(self.refs)
        return schema


@dataclass(frozen=True, slots=True)
class Seg:
    """A whole segment as a `SegmentModel` (or a list of them): `Seg("NM1", qual="QC")`.

    With one `qual` value the qualifier is implied and written back; with several (or none) the segment
    model must map the qualifier element itself. `max` caps how many segments the field takes.
    """

    seg_id: str
    qual: str | tuple[str, ...] | None = None
    qual_at: int = 1
    max: int | None = None

    @property
    def quals(self) -> tuple[str, ...] | None:
        return _quals(self.qual)


@dataclass(frozen=True, slots=True)
class SegMap:
    """Segments as a dict from their qualifier to one value: `SegMap("AMT")` → `{"AU": Decimal("80")}`.

    Each segment gives one entry (`key` element → `value` element). A second segment with a key already
    present is kept unmapped, in place, rather than lost.
    """

    seg_id: str
    key: str = "01"
    value: str = "02"
    qual: str | tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        split_ref(self.key)
        split_ref(self.value)

    @property
    def quals(self) -> tuple[str, ...] | None:
        return _quals(self.qual)


@dataclass(frozen=True, slots=True)
class Group:
    """Repeated element groups of a segment, one `ItemModel` per group, across every such segment.

    `Group("CAS", start=2, size=3, count=6)`: CAS02-04, 05-07, … 17-19 are six (reason, amount,
    quantity) groups; the item model maps positions inside a group with `Part(1)`, `Part(2)`, … and
    header elements shared by the groups of a segment with `Elem("01")`. When writing, consecutive items
    with the same header values share a segment, at most `count` per segment; `split` (a function of an
    item) may force a new segment when its value changes. `split_by` does the same for rules that depend
    on the model that owns the items: a function of (owner, item), e.g. the claim kind deciding which
    HI code categories may share a segment. `together`: the items the writer packs (none read in a
    segment of the model's layout) are written with those of their `split_by` value, in the order
    each value first comes, so that items of one kind given apart (a claim's diagnoses with a
    condition code between them) fill one segment, not two.
    """

    seg_id: str
    start: int
    size: int
    count: int
    qual: str | tuple[str, ...] | None = None
    qual_at: int = 1
    split: Any = None
    split_by: Any = None
    together: bool = False

    @property
    def quals(self) -> tuple[str, ...] | None:
        return _quals(self.qual)


@dataclass(frozen=True, slots=True)
class Part:
    """A position inside one repeated group of a `Group` (1-based), optionally a component of it."""

    index: int
    component: int = 0


@dataclass(frozen=True, slots=True)
class InSegment:
    """On an item model of a `Group`: which of the group's segments (in the model that holds the
    items) the item is in, counted from 1. The reader fills it; the writer puts the items of one
    number in one segment, in list order, and packs the items without one as the `Group` says."""


@dataclass(frozen=True, slots=True)
class Child:
    """A child loop as a `LoopModel`, an optional one, or a list: `Child("2110")`. `aliases`: the
    other loop IDs the same field reads (the provider loops 2420A-2420H are all `Provider`s), so a
    model read keeps the ID of the loop it was read in (`read_at`)."""

    loop_id: str
    max: int | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Custom:
    """Child loops the transaction module reads and writes itself (the HL hierarchy, the 835 LX groups).

    The field keeps its place in the canonical order of the loop; the generic mapping leaves it alone.
    """

    loop_id: str


MARKERS = (Elem, Elems, Seg, SegMap, Group, Part, InSegment, Child, Custom)


def marker_of(finfo: Any) -> Any:
    """The X12 marker of a field (its `FieldInfo`), or None for a field that has none."""
    found = [m for m in finfo.metadata if isinstance(m, MARKERS)]
    if len(found) > 1:
        raise MappingDefinitionError(f"more than one X12 marker: {found!r}")
    return found[0] if found else None


@functools.cache
def owned_qualifiers(model: type[BaseModel], name: str) -> types.MappingProxyType[str, str]:
    """The qualifiers of the `SegMap` field `name` that a field of the model's own holds, each with
    that field: `{"B6": "allowed"}` for a 2110's `amounts`. Such a segment is the field's, never an
    entry of the map: the reader gives a second one no place, and a model is refused that has it
    in both."""
    mark: SegMap = marker_of(model.model_fields[name])
    seg_id, key_pos = mark.seg_id, split_ref(mark.key)[1]
    owned: dict[str, str] = {}
    for field, finfo in model.model_fields.items():
        other = marker_of(finfo)
        if isinstance(other, Elem) and other.quals and other.qual_at == key_pos:
            if split_ref(other.ref)[0] == seg_id:
                owned.update(dict.fromkeys(other.quals, field))
    return types.MappingProxyType(owned)


@functools.cache
def _owning_maps(model: type[BaseModel]) -> tuple[str, ...]:
    """The `SegMap` fields of `model` some of whose qualifiers a field of its own holds."""
    return tuple(
        name
        for name, finfo in model.model_fields.items()
        if isinstance(marker_of(finfo), SegMap) and owned_qualifiers(model, name)
    )


# -- value types -----------------------------------------------------------------------------------


# A decimal of at most 15 significant digits survives a float (DBL_DIG): its shortest repr gives
# it back. A float whose repr has more is float arithmetic's noise (0.1 + 0.2) or a longer number
# cut short: not the amount meant.
_FLOAT_DIGITS = 15


def _exact_amount(value: Any) -> Any:
    """An amount as given, before pydantic makes it a `Decimal`: a float as the number it shows,
    text only of the characters a number is written with."""
    if isinstance(value, str):
        if "_" in value or not value.isascii() or value.strip() != value.strip(" \t\n\r"):
            # Python's Decimal reads `1_00` as 100 and `١٢` (Arabic-Indic digits) as 12; an X12
            # number (R: digits, an optional leading minus and decimal point, x12-notes §1.4) and
            # JSON's have neither: refused as `12,50` is, which Decimal refuses.
            raise PydanticCustomError("decimal_parsing", "Input should be a valid decimal")
        return value
    # JSON numbers arrive as floats: go through their shortest repr so 0.1 stays 0.1, never 0.1000000000000000055.
    if isinstance(value, float):
        exact = Decimal(repr(value))
        # From 2**53 on, a float skips whole numbers: 99999999999999999 reads as 1e+17.
        # Significant digits: 123456789012345.0 has 15 (its repr's ".0" is no digit of it).
        if exact.is_finite() and (
            len(exact.normalize().as_tuple().digits) > _FLOAT_DIGITS or abs(value) >= 2.0**53
        ):
            raise ValueError(
                f"the float {value!r} is not an exact amount (a float holds {_FLOAT_DIGITS} digits "
                "exactly): pass a Decimal or a string such as '125.50'"
            )
        return exact
    return value


def json_number(text: str) -> Decimal | float:
    """A JSON number with a fraction or exponent (`json.loads(..., parse_float=json_number)`) as
    the amount its text says, exactly: `12345678901234567.89` is not cut to a float's 17 digits.
    Text of more than 15 digits that is a float's shortest form (`0.30000000000000004`, what a
    program writes for 0.1 + 0.2) was a float, and its noise: that float, which an amount refuses."""
    exact = Decimal(text)
    if len(exact.as_tuple().digits) > _FLOAT_DIGITS:
        number = float(text)
        if Decimal(repr(number)) == exact:
            return number
    return exact


def _plain(value: Decimal) -> str:
    # str() writes small amounts in exponent form (0.0000001 → "1E-7"); JSON gets the digits.
    return format(value, "f")


# An amount longer than this, written out, is no X12 amount (R: at most 18 digits, x12-notes §1.4)
# but an exponent given (1e999999999): refused before anything writes or sums its digits.
_MAX_WRITTEN_DIGITS = 100


def _written_out_within(value: Decimal) -> Decimal:
    if value.is_zero() and value.is_signed():
        value = value.copy_abs()  # -0.00 is 0.00: no amount is written with the sign of a zero
    digits, exponent = len(value.as_tuple().digits), value.as_tuple().exponent
    if value.is_zero() and exponent >= 0:  # type: ignore[operator]
        return value  # 0E+200 is written 0
    written = digits + exponent if exponent >= 0 else max(digits, -exponent)  # type: ignore[operator]
    if written > _MAX_WRITTEN_DIGITS:
        raise ValueError(
            f"the amount has more than {_MAX_WRITTEN_DIGITS} digits written out (an X12 amount "
            "has at most 18)"
        )
    return value


# What an amount's text may be in JSON: what `_exact_amount` and Decimal take (no `_`, no other
# digits than ASCII ones, no `NaN`; spaces, tabs and line breaks around it, which Decimal strips:
# not `\s`, whose other blanks, \x1c or a no-break space, are a regex engine's choice), so that the
# schema refuses what loading refuses. (Not the bound of 100 digits written out: `1e999999999`.)
AMOUNT_PATTERN = r"^[ \t\n\r]*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\r]*$"

Money = Annotated[
    Decimal,
    BeforeValidator(_exact_amount),
    AfterValidator(_written_out_within),
    PlainSerializer(_plain, return_type=str, when_used="json"),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": AMOUNT_PATTERN}]}),
]
"""An amount or quantity (X12 type R): always `Decimal`, never float; in JSON, a string of digits."""


# The text of a date or time by its format qualifier (DTP02, DMG01: D8 a date, RD8 a range of two,
# DT a date and time, TM a time), as the 837 guides give it in DTP03 and DMG02 (AN elements).
DATE_TIME_SHAPES = {
    "D8": "CCYYMMDD",
    "RD8": "CCYYMMDD-CCYYMMDD",
    "DT": "CCYYMMDDHHMM",
    "TM": "HHMM",
}


def date_time_format(text: str | None) -> str | None:
    """The format qualifier of a date or time given as text, by its shape (`DATE_TIME_SHAPES`):
    D8 for 8 digits, DT for 12, TM for 4; None for another text (the checks say so)."""
    if not text or not (text.isascii() and text.isdigit()):
        return None
    return next(
        (f for f, s in DATE_TIME_SHAPES.items() if s.isalpha() and len(s) == len(text)), None
    )


# The ISO text of a datetime, date or time, as JSON carries one: 2024-02-01T08:30, 14:00, with
# seconds (`isoformat()` gives them), which X12's DT and TM leave out, as for a `datetime` given.
_ISO_DATE_TIME = re.compile(
    r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d{1,6})?)?)?|\d\d:\d\d(:\d\d(\.\d{1,6})?)?"
)


def date_time_text(value: Any) -> Any:
    """A `datetime`, `date` or `time` given for a date or time kept as text (an admission), or the
    ISO text of one (`2024-02-01T08:30`, `2024-02-01`, `14:00`, with seconds or not: what JSON has
    for them): its text, CCYYMMDDHHMM, CCYYMMDD or HHMM (DT, D8, TM); anything else as it is."""
    if type(value) is str and value[:1].isdigit() and _ISO_DATE_TIME.fullmatch(value):
        # One that is no date or hour (2024-02-30, 25:00) stays as given, for the checks to say.
        try:
            if "-" not in value:
                return time.fromisoformat(value).strftime("%H%M")
            if len(value) == 10:
                return date.fromisoformat(value).strftime("%Y%m%d")
            return datetime.fromisoformat(value).strftime("%Y%m%d%H%M")
        except ValueError:
            return value
    if isinstance(value, datetime):
        return value.strftime("%Y%m%d%H%M")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    if isinstance(value, time):
        return value.strftime("%H%M")
    return value


def is_blank(value: Any) -> bool:
    """Whether `value` is text that holds nothing: "", or spaces only. An X12 string (AN) "contains
    at least one non-space character" (X12.6 3.5.1.4): one of spaces only is not valid, and is taken
    for no value at all (X12 RFI 2144)."""
    return type(value) is str and not value.strip(" ")


# -- fields sets shared by the models read ---------------------------------------------------------

# The models edi.mapping reads with the same fields, given in the same order, share one fields set
# (`__pydantic_fields_set__`): apart, the sets took a quarter of the memory of the models read. A
# shared set is never changed in place: `EdiModel` gives a model a set of its own before anything
# can change its set (an assignment, handing out `model_fields_set`, pickling).
SHARED_FIELDS_SETS: dict[tuple[str, ...], set[str]] = {}  # field names, in read order → their set
_SHARED_IDS: set[int] = set()  # the id of every shared set (they are never freed)
_MAX_SHARED = 4096  # past as many ways to fill models, sets are no longer shared


def shared_fields_set(names: tuple[str, ...]) -> set[str]:
    """The fields set of a model read with the fields `names` (in read order), shared when it can be."""
    found = SHARED_FIELDS_SETS.get(names)
    if found is not None:
        return found
    made = set(names)
    if len(SHARED_FIELDS_SETS) >= _MAX_SHARED:
        return made
    _SHARED_IDS.add(id(made))  # before another thread can be given it
    return SHARED_FIELDS_SETS.setdefault(names, made)


def _is_shared(fields_set: set[str]) -> bool:
    return id(fields_set) in _SHARED_IDS


# The validation context key under which a field given as null stays None, not filled with its
# default (`claim_parties.fill_defaults`): set by `load_claims`, which reads the JSON `edi claims`
# writes, where null is an element the file left empty.
KEEP_NULLS = "edi_keep_nulls"


def keeps_nulls(info: ValidationInfo | None) -> bool:
    """Whether a model validated with `info` keeps the fields given as null (`KEEP_NULLS`)."""
    context = info.context if info is not None else None
    return bool(context) and bool(context.get(KEEP_NULLS))  # type: ignore[union-attr]


def keep_empty_defaults(model: BaseModel, dumped: dict[str, Any]) -> dict[str, Any]:
    """`dumped` (`model.model_dump(mode="json", exclude_defaults=True)`) with an explicit null for
    each field, in `model` and the models it holds, that is None where the model fills a value of
    its own when it is made (`_defaults`: an entity type, NM108, CLM05-02, TOO01): a model read
    from a file that left the element empty. Left out, the field would be filled when the JSON is
    loaded, and the claim loaded would not be the claim read."""
    validator = getattr(type(model), "_defaults", None)
    data = model.__dict__
    if validator is not None:
        probe = model.model_copy()
        validator(probe, None)  # what it fills, made without a context
        for name, value in probe.__dict__.items():
            if value is not None and data.get(name) is None:
                dumped[name] = None
    for name, value in data.items():
        held = dumped.get(name)
        if isinstance(value, BaseModel) and isinstance(held, dict):
            keep_empty_defaults(value, held)
        elif isinstance(value, list) and isinstance(held, list) and len(held) == len(value):
            for item, item_dumped in zip(value, held, strict=True):
                if isinstance(item, BaseModel) and isinstance(item_dumped, dict):
                    keep_empty_defaults(item, item_dumped)
    return dumped


def add_to_fields_set(model: BaseModel, *names: str) -> None:
    """Add `names` to the fields set of `model`: a shared set is swapped for the shared set with them."""
    fields_set = model.__pydantic_fields_set__
    if _is_shared(fields_set):
        object.__setattr__(
            model, "__pydantic_fields_set__", shared_fields_set((*fields_set, *names))
        )
    else:
        fields_set.update(names)


def _own_fields_set(model: BaseModel) -> set[str]:
    """The fields set of `model`, first made its own if it is a shared one."""
    fields_set = model.__pydantic_fields_set__
    if _is_shared(fields_set):
        fields_set = set(fields_set)
        object.__setattr__(model, "__pydantic_fields_set__", fields_set)
    return fields_set


def _said_as_edi(exc: ValidationError) -> ModelValidationError:
    """pydantic's error as `ModelValidationError`: one line per field, never the value given."""
    if isinstance(exc, ModelValidationError):
        return exc
    # Each error pydantic lists carries the type, loc, input and ctx that make one again.
    errors = cast("list[InitErrorDetails]", exc.errors())
    return ModelValidationError.from_exception_data(exc.title, errors, hide_input=True)


class EdiModel(BaseModel):
    """Base of every model: one made in code with a field pydantic refuses, or a field assigned
    that it refuses, raises `edi.ModelValidationError`, a pydantic `ValidationError` said in one
    line per field, without the values given (PHI)."""

    model_config = ConfigDict(hide_input_in_errors=True)

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _said_as_edi(exc) from None

    # pydantic's own `__init__` to pydantic: a model nested in another one (a claim's lines, loading
    # JSON) is then validated in pydantic's core, not through this `__init__` one model at a time
    # (a third of `load_claims`' time); the one called says its errors as above all the same.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    # The same of pydantic's class methods that validate (`Claim.model_validate(data)`): the
    # error caught only when raised, so a model validated costs what it did.

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> typing.Self:
        try:
            return super().model_validate(obj, **options)
        except ValidationError as exc:
            raise _said_as_edi(exc) from None

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **options: Any) -> typing.Self:
        try:
            return super().model_validate_json(json_data, **options)
        except ValidationError as exc:
            raise _said_as_edi(exc) from None

    @classmethod
    def model_validate_strings(cls, obj: Any, **options: Any) -> typing.Self:
        try:
            return super().model_validate_strings(obj, **options)
        except ValidationError as exc:
            raise _said_as_edi(exc) from None

    # A model read may share its fields set (`shared_fields_set`): it gets its own before pydantic
    # adds to it (a field assigned), or a caller may (`model_fields_set`), or pickling would make
    # the models unpickled share one set that is no longer known as shared.

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_"):  # a private attribute leaves the fields set alone
            _own_fields_set(self)
            value = _strict(type(self), {name: value}).get(name)  # as one given: `X12Model`
        try:
            super().__setattr__(name, value)
        except ValidationError as exc:  # a field assigned is refused as one given is
            raise _said_as_edi(exc) from None

    @property
    def model_fields_set(self) -> set[str]:
        """The names of the fields given a value (read, passed or assigned), not left at their
        default: pydantic's, as a set of this model's own that the caller may change."""
        return _own_fields_set(self)

    @property
    def __fields_set__(self) -> set[str]:
        """pydantic v1's name of `model_fields_set`, which pydantic warns is deprecated: the
        model's own set too."""
        _own_fields_set(self)
        return BaseModel.__fields_set__.fget(self)  # type: ignore[attr-defined, no-any-return]

    def __getstate__(self) -> dict[Any, Any]:
        _own_fields_set(self)
        return super().__getstate__()


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _is_day(value: Any) -> bool:
    """A date given as a `date` (not a `datetime`) or as text YYYY-MM-DD."""
    return type(value) is date or (isinstance(value, str) and _ISO_DAY.fullmatch(value) is not None)


def _is_whole_number(value: Any) -> bool:
    """An `int` (not a bool, nor text): the schema's integer."""
    return isinstance(value, int) and not isinstance(value, bool)


def _strict(model: type[BaseModel], data: Any) -> Any:
    """`data` given for `model` (a dict of its fields), with each value of a date or int field
    that pydantic's lax mode would take but the schema does not (0 or "1700006400" for a date, a
    Unix time; true or "1" for an int) replaced by `_REFUSED`, which pydantic refuses where it
    stands, with its usual error."""
    kinds = _strict_kinds(model)
    if not kinds or not isinstance(data, dict):
        return data
    given = data
    for name, kind in kinds.items():
        value = data.get(name)
        if value is None:
            continue
        if kind == "ints":  # pydantic's lax mode takes a tuple or set for a list too
            if not isinstance(value, (list, tuple, set, frozenset)) or all(
                map(_is_whole_number, value)
            ):
                continue
            kept: Any = [_REFUSED if _lax(v, int) else v for v in value]
        elif _is_day(value) if kind == "date" else _is_whole_number(value):
            continue
        elif _no_date(value) if kind == "date" else _lax(value, int):
            kept = _REFUSED
        else:
            continue  # pydantic refuses it, saying why
        if data is given:  # the caller's dict is left as it was
            data = dict(given)
        data[name] = kept
    return data


_LAX: dict[type, TypeAdapter[Any]] = {date: TypeAdapter(date), int: TypeAdapter(int)}

_NUMBER_TEXT = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?")


def _no_date(value: Any) -> bool:
    """Whether a value given for a date, not a day (`_is_day`), is refused as no date (`_REFUSED`):
    one pydantic's lax mode takes (0 or "1700006400", a Unix time), or any other number or text of
    one (19800102, a date written as X12 writes it), of which pydantic, reading a Unix time with a
    fraction of a day, says "Datetimes provided to dates should have zero time": no datetime was
    given. A datetime that has a time of day is left to pydantic, whose words are right for it."""
    if isinstance(value, (int, float, Decimal)) or (
        isinstance(value, str) and _NUMBER_TEXT.fullmatch(value)
    ):
        return True
    return _lax(value, date)


def _lax(value: Any, wanted: type) -> bool:
    """Whether pydantic's lax mode takes `value` (which the schema does not) as a `wanted`."""
    if wanted is int and _is_whole_number(value):
        return False
    try:
        _LAX[wanted].validate_python(value)
    except ValidationError:
        return False
    return True


class _Refused:
    """Put for a value pydantic would take in lax mode that the schema does not (`X12Model`): no
    date and no int, so pydantic refuses it at its field, with its usual error."""


_REFUSED = _Refused()


_STRICT_KINDS: dict[type, dict[str, str]] = {}


def _strict_kinds(model: type[BaseModel]) -> dict[str, str]:
    """The fields of `model` typed `date`, `int` or `list[int]` (optional or not), by name: "date",
    "int" or "ints"."""
    kinds = _STRICT_KINDS.get(model)
    if kinds is None:
        kinds = {}
        for name, field in model.model_fields.items():
            annotation = field.annotation
            if typing.get_origin(annotation) in (typing.Union, types.UnionType):
                args = set(typing.get_args(annotation)) - {type(None)}
                annotation = args.pop() if len(args) == 1 else None
            if annotation is date:
                kinds[name] = "date"
            elif annotation is int:
                kinds[name] = "int"
            elif typing.get_origin(annotation) is list and typing.get_args(annotation) == (int,):
                kinds[name] = "ints"
        _STRICT_KINDS[model] = kinds
    return kinds


class Period(EdiModel):
    """A date or a date range (DTP D8 / RD8). A `date` (or its text, `2024-03-05`) given where a
    period goes is the period of that one day: `ServiceLine(..., service_date=date(2024, 3, 5))`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    start: date
    """The date (D8), or the first day of the range (RD8)."""
    end: date | None = None
    """The last day of the range (RD8); None for a single date (D8)."""

    @model_validator(mode="before")
    @classmethod
    def _one_day(cls, data: Any) -> Any:
        # A service date is one day far more often than a range: `service_date=date(...)`.
        return {"start": data} if isinstance(data, (date, str)) else data

    @field_validator("start", "end", mode="before")
    @classmethod
    def _a_day(cls, value: Any) -> Any:
        return _REFUSED if value is not None and not _is_day(value) and _no_date(value) else value

    def __str__(self) -> str:
        return self.start.isoformat() + (f"..{self.end.isoformat()}" if self.end else "")

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # What loading takes: the object, or a date's text for the period of that one day (the
        # schema had refused "2024-03-01", which `_one_day` takes; the API tester).
        # The definition is changed in place: some pydantic versions hand out a `$ref` to it.
        schema = handler(core_schema)
        definition = handler.resolve_ref_schema(schema)
        obj = dict(definition)
        described: dict[str, Any] = {k: obj.pop(k) for k in ("title", "description") if k in obj}
        one_day = {"type": "string", "format": "date", "description": "The period of one day."}
        definition.clear()
        definition.update(described, anyOf=[obj, one_day])
        return schema


# -- base classes ----------------------------------------------------------------------------------


def _json_schema_extra(schema: dict[str, Any], model: type[BaseModel]) -> None:
    # Imported here: describing a field needs the models that place it, defined after this module.
    from edi.models.describe import describe

    describe(schema, model)
    # A required text holds a character that is not a space (`is_blank`), as loading asks.
    properties = schema.get("properties", {})
    for name in schema.get("required", ()):
        prop = properties.get(name, {})
        if prop.get("type") == "string" and "pattern" not in prop and "enum" not in prop:
            prop["pattern"] = "[^ ]"


class _Shown(str):
    """A type written as text, shown without quotes in a signature."""

    def __repr__(self) -> str:
        return str(self)


def _plain_type(annotation: Any) -> str:
    """A type as a reader writes it: `Money | None` → `Decimal | None`, no Annotated metadata."""
    if typing.get_origin(annotation) is Annotated:
        return _plain_type(typing.get_args(annotation)[0])
    if annotation is type(None):
        return "None"
    args = typing.get_args(annotation)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return " | ".join(_plain_type(a) for a in args)
    if args:
        origin = typing.get_origin(annotation)
        return f"{getattr(origin, '__name__', origin)}[{', '.join(_plain_type(a) for a in args)}]"
    return getattr(annotation, "__name__", repr(annotation))


class _PlainSignature:
    """`help(Model)` and `inspect.signature(Model)`: keyword arguments with plain types, built when
    asked (pydantic's own lists every validator and serializer of every Annotated type)."""

    def __get__(self, instance: Any, owner: type[BaseModel]) -> inspect.Signature:
        params = [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=_Shown(_plain_type(finfo.annotation)),
                default=inspect.Parameter.empty if finfo.is_required() else finfo.get_default(),
            )
            for name, finfo in owner.model_fields.items()
        ]
        return inspect.Signature(params, return_annotation=None)


class ValueModel(EdiModel):
    """A model compared by its value: its type, its fields and the segments it keeps that it has no
    field for (they are written with it). How it was read is not compared: where (`read_at`, the
    envelope's place in its input), with which delimiters, and the layout kept to write it back as
    read (segment order, element text such as `.50`). So a claim read back, or loaded from its JSON,
    equals the claim it was written from.

    Pydantic's own `__eq__` compares every private attribute, which made those unequal.
    """

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseModel):
            return NotImplemented
        return (
            type(self) is type(other)
            and self.__dict__ == other.__dict__
            and self._kept_segments() == other._kept_segments()  # type: ignore[attr-defined]
        )

    def _kept_segments(self) -> list[Any]:
        """The segments (or loops) kept unmapped, written with the model: part of its value."""
        return []


class X12Model(ValueModel):
    """Base of every mapped model. `_x12` holds the layout record of an instance read from X12.

    A field's docstring says what it means (`use_attribute_docstrings`); its JSON Schema description
    adds where it lives in X12, from its marker (`edi.models.describe`).
    """

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        populate_by_name=True,
        use_attribute_docstrings=True,
        json_schema_extra=_json_schema_extra,
    )

    _x12: Any = PrivateAttr(default=None)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.__signature__ = _PlainSignature()  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _no_lax_date_or_number(cls, data: Any) -> Any:
        # pydantic takes 0 or "1700006400" for a date (a Unix time) and true or "1" for an int:
        # JSON (or code) that breaks the schema, written as if it were data. One call a model, not
        # one a field: loading JSON validates every field of every claim.
        return _strict(cls, data)

    @field_validator("*")
    @classmethod
    def _required_text_is_given(cls, value: Any, info: ValidationInfo) -> Any:
        # A required element written empty is a segment without it: edi would write it and not
        # read it back (CLM** for a claim id ""). So is one of spaces only (`NM1*QC*1*   *JANE`):
        # X12 text holds a character that is not a space (`is_blank`). Reading builds models
        # without validation, so a file that lacks one is still read and said (`mapping.missing`).
        # `value[:1]` first: no call for the values of most fields (this runs for every field).
        if type(value) is str and value[:1] in ("", " ") and is_blank(value) and info.field_name:
            field = cls.model_fields[info.field_name]
            if field.is_required():
                raise ValueError(
                    "a blank text (empty, or spaces only), where the element is required"
                )
            if value == "" and field.default is None:
                # An empty element is no element: written as none, read back as None (a form's
                # `"first_name": ""`). Spaces are kept, for the checks to refuse: X12 would
                # write them.
                return None
        elif type(value) is list and value and value[-1] == "":
            # Nor is an empty entry last (modifiers `["25", ""]`): X12 leaves out trailing empty
            # components and elements, so it would not be written. One between two is kept: it
            # holds the place of the next (`HC:99213::25`).
            while value and value[-1] == "":
                value = value[:-1]
        elif type(value) is dict and value and info.field_name in _owning_maps(cls):
            # `amounts={"B6": ...}` beside `allowed`: two AMT*B6 written, two allowed amounts read.
            owned = owned_qualifiers(cls, info.field_name)
            for key in value:
                if key in owned:
                    seg_id = marker_of(cls.model_fields[info.field_name]).seg_id
                    raise ValueError(
                        f"{key!r} is the qualifier of the field {owned[key]} ({seg_id}*{key}): "
                        "give it there"
                    )
        return value

    def _kept_segments(self) -> list[Any]:
        # A loop's record is its `Layout`; a segment's or an element group's is the `SegNotes` of
        # its text (`00100` for 100, a trailing separator), which keeps no segment and is no value.
        layout = self.__pydantic_private__["_x12"]  # type: ignore[index]
        return getattr(layout, "unmapped", None) or []


class SegmentModel(X12Model):
    """A model of one segment; its markers use relative references (`Elem("03")`)."""


class ItemModel(X12Model):
    """A model of one repeated element group of a segment (see `Group`)."""


class ReadAt(tuple[int, str, int, int, str]):
    """Where a model was read: its first segment's position in its transaction set (ST = 1), ID,
    line and byte offset, and the ID of the loop read ("" for none), `ReadAt((index, segment_id,
    line, offset, loop_id))`. The loop is the one read, not the model's class's: a `Provider` is
    read in 2310, 2330 or 2420. Not part of a model's value (`ValueModel`). A tuple: one is made for
    every loop read, and a frozen dataclass took a twentieth of the time `read_remittances` takes."""

    __slots__ = ()

    index = property(itemgetter(0))
    segment_id = property(itemgetter(1))
    line = property(itemgetter(2))
    offset = property(itemgetter(3))
    loop_id = property(itemgetter(4))


class Placed(X12Model):
    """A model that knows where it was read (`read_at`): every loop model, and the segment and item
    models whose problems are placed at their own segment (the 835's BPR, TRN and PLB). The reader
    records it for these only: one position per segment read would cost time for every CAS."""

    _at: ReadAt | None = PrivateAttr(default=None)

    @property
    def read_at(self) -> Location | None:
        """Where this was read from X12 (`segment 16 CLP (line 18, loop 2100)`; a loop: its first
        segment), or None for one made in code or from JSON. The loop is none for the segments
        placed so far (BPR, TRN, PLB: the 835's header and summary, in no loop) and for the set
        itself (ST)."""
        private = self.__pydantic_private__
        at = private.get("_at") if private else None
        if at is None:
            return None
        index, segment_id, line, offset, loop = at
        return Location(index, segment_id, line, offset, loop if loop not in ("", "ST") else None)


class LoopModel(Placed):
    """A model of one loop. Subclasses name their loop: `class Claim(LoopModel, loop="2300")`."""

    loop_id: ClassVar[str] = ""

    def __init_subclass__(cls, loop: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if loop is not None:
            cls.loop_id = loop
