"""Diagnostics: problems found in input, reported with where they are and what was expected.

Every layer (syntax, envelope, grammar, mapping, validation) reports problems as `Diagnostic`s instead of
raising, so one bad transaction set never stops the others. A diagnostic carries the acknowledgement code
that applies (`TA1:001`, `AK905:4`, `IK502:3`, `IK304:2`), so a 999 or TA1 can be built from it later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a problem is: fatal stops reading, an error makes data untrustworthy, a warning does not."""

    FATAL = "fatal"  # the input cannot be read on from here (not X12, truncated)
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is.

    `segment_index` is the 1-based position within the transaction set (ST = 1), as in a 999's IK302;
    envelope segments outside any set have index 0. `line` is 1-based, `offset` a 0-based byte offset.
    """

    segment_index: int = 0
    segment_id: str = ""
    line: int = 0
    offset: int = 0
    loop_id: str | None = None
    loop_name: str | None = None
    element: str | None = None  # reference designator such as "CLP04" or "CLM05-01"

    def __post_init__(self) -> None:
        # Text longer than an ID where one should be is data (PHI, `quoted_id`): kept cut, so that
        # a diagnostic logged with `repr` or `to_dict` holds no more of it than its message.
        if len(self.segment_id) > 4:
            object.__setattr__(self, "segment_id", self.segment_id[:3] + "…")

    def describe(self) -> str:
        """`segment 57 (line 57, loop 2300 claim)`-style text, leaving out what is unknown."""
        parts = []
        if self.line:
            parts.append(f"line {self.line}")
        if self.line == 1 and self.offset and (self.segment_index or self.segment_id):
            # A file on one line (no line breaks): every segment is on line 1, and its byte offset
            # is what tells them apart (the batch tester).
            parts.append(f"byte {self.offset}")
        if self.loop_id:
            parts.append(f"loop {self.loop_id}" + (f" {self.loop_name}" if self.loop_name else ""))
        if self.element:
            parts.append(f"element {self.element}")
        head = f"segment {self.segment_index}" if self.segment_index else "segment"
        head += f" {shown_id(self.segment_id)}" if self.segment_id else ""
        if not self.segment_index and not self.segment_id:
            head = f"byte {self.offset}"
        return head + (f" ({', '.join(parts)})" if parts else "")

    def __str__(self) -> str:
        return self.describe()


def shown_id(seg_id: str) -> str:
    """A segment ID as a message shows it: one that is not an ID is quoted (`quoted_id`)."""
    if len(seg_id) <= 3 and seg_id.isascii() and seg_id.isalnum():
        return seg_id
    return quoted_id(seg_id)


def quoted_id(seg_id: str) -> str:
    """What stands where a segment ID should, quoted for a message. An ID with a stray character
    (`NM31`, `lx`) is shown whole; anything longer is no ID but data (a name after a terminator
    inside it, the rest of a file whose terminator is wrong): only its first three characters, as
    the reader shows such text, so that a message never quotes a patient (PHI) and stays short."""
    return repr(seg_id) if len(seg_id) <= 4 else repr(seg_id[:3] + "…")


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: a stable machine code, a human message, where, and what was expected."""

    code: str
    message: str
    severity: Severity = Severity.ERROR
    location: Location | None = None
    expected: tuple[str, ...] = ()
    ack: str | None = None  # e.g. "TA1:023", "AK905:4", "IK502:4", "IK304:2"
    context: dict[str, str] = field(default_factory=dict, compare=False)
    # The transaction set the problem is in (ST02), its group (GS06) and interchange (ISA13), as a
    # 999 answers (AK1, AK2): set by the claim and remittance readers; None outside a set.
    set_control_number: str | None = None
    group_control_number: str | None = None
    interchange_control_number: str | None = None

    def __post_init__(self) -> None:
        if len(self.message) > _LONG_MESSAGE:
            object.__setattr__(self, "message", shortened_quotes(self.message))

    def __str__(self) -> str:
        where = f"{self.location.describe()}: " if self.location else ""
        text = f"{where}{self.message}"
        expected = _one_of(self.expected) if self.expected else ""
        # "is not a date CCYYMMDD" and "HL01 is '7', expected 2: ..." say it already.
        if expected and not any(f"{w} {expected}" in self.message for w in ("not", "expected")):
            text += f"; expected {expected}"
        return one_line(text)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        loc = self.location
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "expected": list(self.expected),
            "ack": self.ack,
            "segment_index": loc.segment_index if loc else None,
            "segment_id": loc.segment_id if loc else None,
            "line": loc.line if loc else None,
            "offset": loc.offset if loc else None,
            "loop": loc.loop_id if loc else None,
            "loop_name": loc.loop_name if loc else None,
            "element": loc.element if loc else None,
            "set_control_number": self.set_control_number,
            "group_control_number": self.group_control_number,
            "interchange_control_number": self.interchange_control_number,
            "context": dict(self.context),
            "text": str(self),
        }


_DIAGNOSTIC_FIELDS = tuple(f.name for f in fields(Diagnostic))


def changed(diag: Diagnostic, **changes: Any) -> Diagnostic:
    """`dataclasses.replace` of a diagnostic, without its inspection of the fields at each call:
    every problem of a set is named with its control numbers, and 100,000 of one set (a hostile
    file) spent a third of their reading there (the fuzz tester)."""
    values = {name: getattr(diag, name) for name in _DIAGNOSTIC_FIELDS}
    values.update(changes)
    return Diagnostic(**values)


# The characters that end a line (`str.splitlines`), as a message shows them: a value read from a
# file with a line break inside a segment (a wrapped or hand-edited file) stays on its line.
_LINE_ENDS = {ord(ch): repr(ch)[1:-1] for ch in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}
# And the other control characters (C0, DEL, C1), escaped as repr escapes them (`\x1b`): text read
# from a file cannot drive the terminal it is shown on (an escape sequence in a payer's name
# cleared the screen and set the window title: the 835 fuzz tester). A C1 byte that was not UTF-8
# is read as a surrogate (surrogateescape) and written back as that byte: escaped too.
_SHOWN = {
    **{c: repr(chr(c))[1:-1] for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))},
    **{0xDC00 + c: f"\\x{c:02x}" for c in range(0x80, 0xA0)},
    **_LINE_ENDS,
}


# A message past this many characters has its long quoted values cut (`shortened_quotes`).
_LONG_MESSAGE = 300
_LONG_QUOTE = re.compile(r"'([^'\n]{41,})'")


def shortened_quotes(text: str) -> str:
    """`text` with each quoted value of more than 40 characters cut to its first 20 and its length
    (`'99999999999999999999…' (5000 characters)`): a value thousands of characters long (an
    element of a broken file, a count of 5,000 digits) would make every message that quotes it as
    long, and the output of one bad file hundreds of megabytes."""
    return _LONG_QUOTE.sub(lambda m: f"'{m[1][:20]}…' ({len(m[1])} characters)", text)


def text_shape(text: str) -> str:
    """Text a message must not quote (a diagnosis or procedure code, or a name in the wrong
    element: PHI), said by its length and the separators it holds: `12 characters holding ':'`."""
    marks = "".join(sorted({c for c in text if not c.isalnum()}))
    return f"{len(text)} characters" + (f" holding {marks!r}" if marks else "")


# Elements (or components) past a segment's last, kept from the file read, are named one by one up
# to this many; more are one run (one each had made 100,000 lines of one segment: the fuzz tester).
NAMED_ONE_BY_ONE = 3


def named_past_last(refs: list[str]) -> list[tuple[str, str, str]]:
    """How a message names `refs`, elements past a segment's last: (the element it is about, its
    name, the pronoun for it), one each for a few, else one run `AMT03 to AMT1002 (1000 of them)`."""
    if len(refs) <= NAMED_ONE_BY_ONE:
        return [(ref, ref, "it") for ref in refs]
    return [(refs[0], f"{refs[0]} to {refs[-1]} ({len(refs)} of them)", "them")]


def quotable_digits(text: str) -> bool:
    """Whether an envelope count, date or time (SE01, GS04) may be quoted: digits, or empty, what
    such an element holds; other text there may be data in the wrong element (PHI)."""
    return text == "" or (text.isascii() and text.isdigit() and len(text) <= 18)


# An ICD-10-CM code as short as a code or a typo a message quotes: a letter, a digit, then one or
# two letters or digits (I10, Z23, E119). No code list of the maps has one of this shape (the
# third reviewer): a value of it where a code or a number goes is said by its length (PHI).
DIAGNOSIS_SHAPE = re.compile(r"[A-Za-z][0-9][0-9A-Za-z]{1,2}")


def characters(count: int) -> str:
    """`1 character`, `7 characters`: the length of a value said in place of the value."""
    return f"{count} character" + ("" if count == 1 else "s")


def shown_digits(text: str) -> str:
    """An envelope count, date or time for a message: quoted when `quotable_digits`, else said by
    its length (`(7 characters)`)."""
    return repr(text) if quotable_digits(text) else f"({characters(len(text))})"


def shown_control(text: str) -> str:
    """A control number (ST02, GS06, ISA13 and their trailers' copies) for a message: quoted when
    it is digits, as long as one can be (9), or short (4 at most, `A1`: a typo, as `mapping` quotes
    one); anything else there (`SMITHJOHN`, `DOE JOHN `) may be data in the wrong element (PHI),
    said by its length."""
    digits = len(text) <= 9 and text.isascii() and text.isdigit()
    short = len(text) <= 4 and text.isascii() and text.isalnum()
    if digits or (short and not DIAGNOSIS_SHAPE.fullmatch(text)) or text == "":
        return repr(text)
    return f"({characters(len(text))})"


def shown_code(text: str) -> str:
    """An envelope code (GS01, GS07) for a message: quoted when it is one's size (3 letters or
    digits at most) and not of a diagnosis code's shape, else said by its length (a name there,
    `SMITHJOHN`, is data in the wrong element: PHI, the 837 fuzz tester)."""
    short = len(text) <= 3 and text.isascii() and text.isalnum()
    return (
        repr(text)
        if text == "" or (short and not DIAGNOSIS_SHAPE.fullmatch(text))
        else (f"({characters(len(text))})")
    )


def shown_version(text: str) -> str:
    """A guide's version (ST03, GS08: `005010X222A1`, `004010`) for a message: quoted when it is of
    that shape, or short (4 at most: a typo); else said by its length (a name there, `MARYJONES`,
    is data in the wrong element: PHI, the reviewer)."""
    short = len(text) <= 4 and text.isascii() and text.isalnum()
    if (short and not DIAGNOSIS_SHAPE.fullmatch(text)) or _VERSION_SHAPE.fullmatch(text):
        return repr(text)
    return f"({characters(len(text))})"


_VERSION_SHAPE = re.compile(r"[0-9]{5,6}(?:X[0-9]{3}(?:A[0-9])?)?")


def short_id(text: str, limit: int = 38) -> str:
    """A claim id (CLM01, CLP01: AN 1/38) as messages name it: one longer than the guides allow is
    cut to its first 20 characters and its length, so that a broken file's id of megabytes does
    not make every message about its claim as long (hundreds of megabytes of output)."""
    return text if len(text) <= limit else f"{text[:20]}… ({len(text)} characters)"


def one_line(text: str) -> str:
    """`text` on one line, for a terminal: line breaks and other control characters in it shown
    escaped (`NM1*4\\n1`, `\\x1b`), as `repr` shows them."""
    return text.translate(_SHOWN)


def _one_of(items: tuple[str, ...]) -> str:
    if len(items) == 1:
        return items[0]
    return "one of " + ", ".join(items)


def is_error(diagnostic: Diagnostic) -> bool:
    """True when the diagnostic is an error or fatal (not a warning)."""
    return diagnostic.severity in (Severity.ERROR, Severity.FATAL)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    """True when any diagnostic is an error or fatal."""
    return any(is_error(d) for d in diagnostics)


def is_fatal(diagnostics: list[Diagnostic]) -> bool:
    """True when the input could not be read to its end (CLI exit code 2)."""
    return any(d.severity is Severity.FATAL for d in diagnostics)
