"""Exceptions. Data problems are reported as diagnostics; these are raised only when going on is impossible.

```
EdiError
├── ConfigurationError(EdiError, ValueError)   bad argument: unknown guide, clashing delimiters
├── MappingDefinitionError(EdiError)            a model class declares a bad mapping (import time)
├── InputError(EdiError)                        the input cannot be read as X12 at all (CLI exit 2);
│                                               strict reading: a syntax, envelope or guide error
│   └── TokenizeError                           no ISA/ST, truncated ISA, binary data
├── StructureError(EdiError)                    strict parsing: a segment breaks the loop structure
├── DataError(EdiError)                         strict reading: element data cannot become a model
├── ModelValidationError(EdiError, pydantic.ValidationError)  a model made in code: a field refused
├── WriteError(EdiError, ValueError)            writing: a value's text holds a delimiter
└── CheckError(EdiError, ValueError)            writing: the data breaks a rule the writer checks
    ├── ClaimCheckError                         write_837 (edi.transactions.claim837)
    └── RemittanceCheckError                    write_835 (edi.transactions.remit835)
```
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from edi.diagnostics import Diagnostic, one_line


class EdiError(Exception):
    """Root of every exception edi raises on purpose."""


class ConfigurationError(EdiError, ValueError):
    """An argument is invalid (unknown guide, delimiters that clash)."""


class MappingDefinitionError(EdiError):
    """A model class declares a mapping that cannot work; raised when the class is defined."""


class InputError(EdiError):
    """The input is unusable as X12, or (strict reading) breaks X12's syntax or envelope rules or
    is not of a guide edi reads. Carries the diagnostic that says why and where."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


class TokenizeError(InputError):
    """The bytes cannot be split into segments: no ISA or ST, a truncated ISA, binary data."""


class StructureError(EdiError):
    """A segment breaks the loop structure of the transaction set (strict mode only)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


class DataError(EdiError):
    """Element data cannot become a model: a non-numeric amount, required data missing (strict only)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


# pydantic's error types of a date that did not parse: both messages say how one is written.
DATE_ERRORS = ("date_from_datetime", "date_parsing", "date_type")

# Why JSON that Python's parser gives up on (a `RecursionError`, past about a thousand levels) is
# not read: claims or a coverage nest a few levels deep.
NESTED_TOO_DEEP = "it nests lists and objects deeper than edi reads them"


def field_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as a path: `("lines", 1, "charge")` → `lines[1].charge`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class ModelValidationError(EdiError, ValidationError):
    """A model made in code (`edi.Claim(...)`, `edi.Patient(...)`) with fields pydantic refuses,
    or a field assigned that it refuses (`patient.birth_date = "03/05/2024"`):
    pydantic's `ValidationError` (`errors()` as ever), said as edi says problems, one line per
    field with its path and what was expected (`Claim: lines[0].professional.charge: Field
    required`), never the value given: a name or a birth date is PHI."""

    def __str__(self) -> str:
        problems = [
            f"{field_path(err['loc']) or '(the model)'}: {_said(err)}" for err in self.errors()
        ]
        if len(problems) == 1:
            return f"{self.title}: {problems[0]}"
        shown = "\n".join(f"  {p}" for p in problems)
        return f"{len(problems)} problems in {self.title}:\n{shown}"


def _said(err: Any) -> str:
    if err["type"].startswith(DATE_ERRORS):
        return f"{err['msg']} (a date is a datetime.date, or text YYYY-MM-DD such as 2024-03-05)"
    if err["type"] == "model_type" and (err.get("ctx") or {}).get("class_name") == "Period":
        # A date (or its text) is taken for the period of that one day: say so, as for a date.
        return (
            f'{err["msg"]} (a period is a Period, {{"start": ..., "end": ...}}, or one day: a '
            "datetime.date, or text YYYY-MM-DD such as 2024-03-05)"
        )
    return str(err["msg"])


class WriteError(EdiError, ValueError):
    """A value cannot be written: its text holds a delimiter (X12 has no escape), so the segment
    would not read back as written, or it does not fit its element (an envelope option). Another
    set of delimiters, or other text, is needed. `problems` lists them one by one."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems if problems is not None else [message]


def _printable(text: str) -> str:
    """`text` for a terminal or a log: what `one_line` escapes (control characters, line breaks),
    and any surrogate, which a strict UTF-8 stream refuses."""
    return "".join(repr(ch)[1:-1] if "\ud800" <= ch <= "\udfff" else ch for ch in one_line(text))


class CheckError(EdiError, ValueError):
    """Data a writer refuses because it breaks a rule the writer checks (its guide, balancing).

    `problems` lists every one, each naming where it is; nothing was written.
    """

    what = "problem"  # what each problem is about, for the message: "claim problem"

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        # The message is printed or logged: a control character or a lone surrogate a value holds
        # (`"PCN\\ud800"`, from JSON) escaped, as `repr` shows it; `problems` keeps the text.
        shown = "\n".join(f"  {_printable(p)}" for p in self.problems)
        super().__init__(f"{len(self.problems)} {self.what}(s), nothing written:\n{shown}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Made again from its problems (a pickle: a worker process, a task queue), not from its
        # message, which the default would pass as `problems`.
        return type(self), (self.problems,), self.__dict__
