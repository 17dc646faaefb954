"""Models from JSON, as `edi.load_claims` and `edi.load_remittances` read it: the source (a file, JSON
text or data already parsed), numbers read exactly, and every problem said by its JSON path, never
with the value at fault (a name or a birth date is PHI).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, ClassVar, TypeVar

from pydantic import TypeAdapter, ValidationError

from edi.errors import DATE_ERRORS, NESTED_TOO_DEEP, EdiError, field_path
from edi.models.base import json_number

T = TypeVar("T")
JsonSource = str | bytes | Path | IO[str] | IO[bytes] | list[Any] | dict[str, Any]


class JsonProblemsError(EdiError, ValueError):
    """JSON that does not fit a model's schema; `problems` names every field at fault by its JSON
    path (`"[0].claims[1].paid: Input should be a valid decimal"`)."""

    what: ClassVar[str] = "the"  # the JSON's name in the message: "claims", "remittance"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the {self.what} JSON:\n{shown}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Made again from its problems when unpickled, not from its message (`CheckError`).
        return type(self), (self.problems,), self.__dict__


def json_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as a JSON path: `(0, "lines", 1, "charge")` → `[0].lines[1].charge`."""
    return field_path(loc) or "(the document)"


def field_problem(err: Any) -> str:
    """Pydantic's message for a field, said in JSON's terms where it would mislead: `20120910` (an
    X12 date) is taken for a Unix timestamp with a time of day."""
    if err["type"].startswith(DATE_ERRORS):
        return f"{err['msg']} (a date is written YYYY-MM-DD in JSON, such as 2024-03-05)"
    return str(err["msg"])


def json_items(
    source: JsonSource, error: type[JsonProblemsError], items: str, made_by: str
) -> list[Any]:
    """The list of objects that `source` holds: a path to a file (a `Path`, or a `str` that is not
    JSON text), a file object, JSON text, or data already parsed (a list, or one object). JSON
    numbers are read as `Decimal` (`json_number`). Raises `error` for what is no JSON or no list;
    `items` names the objects (`claims`), `made_by` what writes their JSON, said when X12 is given
    instead. Another type of source raises `TypeError`."""
    if isinstance(source, str) and _names_a_file(source):
        # A missing file raises FileNotFoundError; `~/claims.json` is in the home folder.
        source = Path(source).expanduser() if source.startswith("~") else Path(source)
    if isinstance(source, Path):
        source = source.read_bytes()
    elif hasattr(source, "read"):  # a file object, binary or text mode, read from where it stands
        source = source.read()
    elif not isinstance(source, (str, bytes, bytearray, list, dict)):
        raise TypeError(
            f"cannot read {items} JSON from {type(source).__name__}; pass a file name (str or "
            "Path), JSON text (str or bytes), a file object or parsed data (a list or an object)"
        )
    if isinstance(source, bytearray):
        source = bytes(source)
    if isinstance(source, (str, bytes)):
        try:
            data: Any = parsed(source, made_by)
        except RepeatedKeysError as exc:
            raise error(exc.problems) from exc
        except NotJsonError as exc:
            raise error([str(exc)]) from exc
    else:
        data = source
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise error([f"expected a list of {items} (JSON array), got {json_type(data)}"])
    return data


class NotJsonError(ValueError):
    """Text that is no JSON: `not JSON: <why>`, in one line."""


class RepeatedKeysError(NotJsonError):
    """JSON with a key given twice in one object, which `json.loads` would have read as the last
    value given, the others lost without a word: `problems` names each by its path."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class _Repeats(dict[str, Any]):
    """An object read with a key given twice: those keys, in order (`parsed`)."""

    repeated: list[str]


def parsed(source: str | bytes, made_by: str) -> Any:
    """JSON text or bytes as data, numbers as `Decimal` (`json_number`), else `NotJsonError`
    (`RepeatedKeysError` for a key given twice in one object); `made_by` says what writes this
    JSON, for X12 given instead."""
    repeats: list[_Repeats] = []

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found = dict(pairs)
        if len(found) == len(pairs):
            return found
        held = _Repeats(found)
        held.repeated = [key for key, n in Counter(key for key, _ in pairs).items() if n > 1]
        repeats.append(held)
        return held

    try:
        # Numbers as Decimal: a float would round 12345678901234567.89 to ...568.
        data = json.loads(
            _text(source),
            parse_float=json_number,
            parse_int=_json_integer,
            object_pairs_hook=unique,
        )
    except (ValueError, RecursionError) as exc:
        raise NotJsonError(f"not JSON: {_not_json(source, exc, made_by)}") from exc
    if repeats:
        problems = [
            f"{json_path((*loc, key))}: given twice in one object (JSON keys are unique: all but "
            "the last value would be lost)"
            for loc, held in _where(data, {id(r) for r in repeats})
            for key in held.repeated
        ]
        raise RepeatedKeysError(problems)
    return data


def _json_integer(text: str) -> int | Decimal:
    """A JSON integer: an `int`, or a `Decimal` past what Python converts to one (4,300 digits),
    which the field then refuses by its path as any amount too long (rather than `not JSON`)."""
    return int(text) if len(text) <= _INT_DIGITS else Decimal(text)


_INT_DIGITS = 4000  # within sys.get_int_max_str_digits()'s default, 4300


def _where(data: Any, wanted: set[int]) -> list[tuple[tuple[int | str, ...], _Repeats]]:
    """The objects of `data` whose ids are `wanted`, with their paths, in document order."""
    found: list[tuple[tuple[int | str, ...], _Repeats]] = []
    stack: list[tuple[tuple[int | str, ...], Any]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, dict):
            if id(value) in wanted:
                found.append((loc, value))  # type: ignore[arg-type]
            stack.extend(((*loc, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*loc, n), v) for n, v in reversed(list(enumerate(value))))
    return found


def json_type(value: Any) -> str:
    """What JSON calls the type of a parsed value: `array` for a list, `number` for a Decimal."""
    if isinstance(value, bool):  # before int: a bool is an int
        return "boolean"
    names = {dict: "object", list: "array", str: "string", type(None): "null"}
    return names.get(type(value), "number")


def validated(
    adapter: TypeAdapter[list[T]],
    data: list[Any],
    error: type[JsonProblemsError],
    named: Callable[[list[Any], tuple[int | str, ...]], str] = lambda data, loc: "",
    context: dict[str, Any] | None = None,
) -> list[T]:
    """`data` as the models of `adapter` (validated with `context`), or `error` naming every field
    at fault by its path (after `named(data, loc)`, which may name the object it is in)."""
    try:
        return adapter.validate_python(data, context=context)
    except ValidationError as exc:
        problems = [
            f"{named(data, err['loc'])}{json_path(err['loc'])}: {field_problem(err)}"
            for err in exc.errors()
        ]
        raise error(problems) from None


def _text(source: str | bytes) -> str:
    """JSON bytes as text, decoded as `json.loads` would (UTF-8, 16 or 32), except that a byte that
    is not UTF-8 (a Latin-1 name written as it was read) becomes a surrogate, as edi reads X12
    (`surrogateescape`), so that it is written back as it came."""
    if isinstance(source, str):
        return source.removeprefix("\ufeff")  # a byte-order mark, as bytes may start with
    encoding = json.detect_encoding(source)
    return source.decode(encoding, "surrogateescape" if encoding.startswith("utf-8") else "strict")


def _names_a_file(text: str) -> bool:
    """A one-line text that is no JSON array or object and ends like a file name (`claims.json`)."""
    return (
        len(text) < 1024
        and "\n" not in text
        and text.lstrip()[:1] not in ("[", "{", '"')
        and Path(text).suffix[1:].isalnum()
        and not Path(text).suffix[1:].isdigit()  # the JSON number 3.5
    )


def _not_json(source: str | bytes, exc: Exception, made_by: str) -> str:
    """Why `source` is not JSON: the parser's words, unless it is empty or is X12 (an 837 given
    where its claims JSON is wanted), which "Expecting value: line 1 column 1" would not say."""
    if isinstance(exc, RecursionError):
        return NESTED_TOO_DEEP
    text = source if isinstance(source, str) else source.decode("utf-8", "replace")
    head = text.lstrip("\ufeff \t\r\n")[:4]
    if not head:
        return "the input is empty"
    start = "ISA" if head.startswith("ISA") else "ST" if head[:2] == "ST" else ""
    if start and not head[len(start) : len(start) + 1].isalnum():
        return f"the input is X12 (it starts with {start}); {made_by}"
    return str(exc)
