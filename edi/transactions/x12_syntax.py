"""X12 segment syntax for the write-time checks: element sizes and types, and the syntax relations
between the elements of a segment. The 837 checks (`claim_syntax`) take both from here; the 835
checks (`remit_rules`) take the sizes (their `_SIZES` table is in the form `parse_sizes` reads) and
the relations' wording. Both take from here what text X12 can carry (`Size.carries`).

A map gives each element a type and a size (`N403 usage=S de=116 ID 3/15`): AN (text) and ID (a
code) count characters, R (a decimal number) and N0 (a whole number) count digits, without sign and
decimal point; DT is a date CCYYMMDD, TM a time HHMM[SS[D[D]]]. A segment's syntax relations
(`syntax=P0506,C0704`) tie its elements together, by position:

    P paired       all or none of them (P0506: PER05 and PER06);
    R required     at least one of them (R0203: REF02 or REF03);
    E exclusion    at most one of them (E0207: N402 or N407, not both);
    C conditional  the first requires all the others (C0704: N407 requires N404);
    L list cond.   the first requires one of the others.

Text (AN) and codes (ID) hold no control character (none of X12's character sets has one; a tab, a
line break, a no-break space: whatever `str.isprintable` refuses), and no trailing space (X12.6
suppresses trailing spaces) but one that pads the text up to the element's shortest length (spaces
alone pad nothing: a text of spaces only is no X12 string, X12.6 3.5.1.4 and RFI 2144). pyx12
refuses both ("contains an invalid character", "has unnecessary trailing spaces"). Letters of other
languages X12 leaves to the trading partners (X12.6 3.3.2 (4), RFI 2212): not refused, nor a byte of
the file that is no UTF-8 (a Latin-1 letter, read as a lone surrogate, `surrogateescape`, and written
back as that byte).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from edi.models.base import DATE_TIME_SHAPES, is_blank
from edi.x12.envelope import is_group_time

_SIZE = re.compile(r"^(\d\d(?:-\d\d)?):(AN|ID|R|N0|DT|TM)(\d+)(?:-(\d+))?$")
_RELATION = re.compile(r"^([PRECL])((?:\d\d){2,})$")


# A monetary amount (data element 782, R 1/18: in every map, the R 1/18 elements are 782 and no
# others): HIPAA limits it to ten digits counting the cents, reported or implied, the guides'
# B.1.1.3.1.2 (quoted by X12 RFI 1526): 99999999.99 at most, and no fraction of a cent.
MONEY_RULE = (
    "HIPAA limits a monetary amount (data element 782) to 8 digits before the decimal point and 2 "
    "after it (99999999.99 at most; the guides' B.1.1.3.1.2)"
)
_MONEY_HIGH = 18


def money_fits(text: str) -> bool:
    """Whether an amount's text keeps `MONEY_RULE`. Leading zeros are no digit (said apart:
    `number_form_problem`); zeros past the cents are reported places, which RFI 1526 counts in the
    ten digits and says must be suppressed (`12.500`, `99999999.990`: the purist tester)."""
    whole, _, cents = text.lstrip("-").partition(".")
    return len(whole.lstrip("0")) <= 8 and not cents[2:]


def money_problem(text: str) -> str:
    """What breaks `MONEY_RULE` in an amount's text that `money_fits` refuses, in words that follow
    the element's name (the amount itself is not quoted)."""
    whole, _, cents = text.lstrip("-").partition(".")
    if cents[2:].strip("0"):
        what = "has a fraction of a cent"
    elif cents[2:] and len(whole.lstrip("0")) <= 8:
        # Within the limit once they are left out: the rule that says to leave them out.
        return (
            "has zeros past the cents, which X12 leaves out of an amount (X12 RFI 1526: they are "
            "no precision a dollar amount needs)"
        )
    else:
        what = "is more than 99999999.99"
    return f"{what}; {MONEY_RULE}"


def money_value_fits(value: object) -> bool:
    """`money_fits` of a number as the writer writes it (an int, or a `Decimal` without exponent)."""
    text = str(value)
    if "E" in text:  # an exponent (`1E+2`), which the writer writes out
        text = format(value, "f")
    return money_fits(text)


@dataclass(frozen=True, slots=True)
class Size:
    """The type of one element (or component) and its shortest and longest text (digits for R, N0)."""

    type: str  # AN, ID, R, N0, DT, TM
    low: int
    high: int

    @property
    def counts_digits(self) -> bool:
        return self.type in ("R", "N0")

    @property
    def is_money(self) -> bool:
        """A monetary amount (R 1/18, data element 782): `MONEY_RULE` holds too."""
        return self.type == "R" and self.high == _MONEY_HIGH

    def measure(self, text: str) -> int:
        """The size X12 gives `text`: its digits for a number, else its characters."""
        if self.counts_digits:
            return sum(ch.isdigit() for ch in text)
        return len(text)

    @property
    def is_text(self) -> bool:
        """Text (AN) or a code (ID): what `carries` looks at."""
        return self.type in ("AN", "ID")

    def carries(self, text: str) -> bool:
        """Whether X12 can carry `text` in this element (module docstring); True for numbers,
        dates and times, whose characters `fits` sees to."""
        if not self.is_text or (text.isprintable() and text[-1:] != " "):
            return True
        # Spaces alone pad nothing: the element is blank (`is_blank`).
        return printable(text) and (text[-1:] != " " or 0 < len(text.rstrip(" ")) < self.low)

    def text_problem(self, text: str) -> str | None:
        """What keeps X12 from carrying `text` (`carries`), in words that follow the element's
        name: where, not what (the text may be a name or an id: PHI); None when it can."""
        if self.carries(text):
            return None
        if not printable(text):
            k = next(i for i, ch in enumerate(text, 1) if not (ch.isprintable() or is_raw_byte(ch)))
            return (
                "holds a character that is not printable (a control character, a line break, a "
                f"no-break space ...) at position {k} of {len(text)}; X12 has none"
            )
        if is_blank(text):
            return "is only spaces; X12 text holds at least one character that is not a space"
        return "ends with a space; X12 suppresses trailing spaces"

    def fits(self, text: str) -> bool:
        if self.type == "TM" and not is_group_time(text):
            # HHMM[SS[D[D]]]: hours 00-23, minutes and seconds 00-59 (as GS05 is read)
            return False
        return self.low <= self.measure(text) and self.number_fits(text)

    def number_fits(self, text: str) -> bool:
        """`fits` without the shortest size: at most `high` (digits, for a number), and an amount
        within `MONEY_RULE`."""
        return self.measure(text) <= self.high and (not self.is_money or money_fits(text))

    def takes(self) -> str:
        """What fits, for messages: `"1 to 60 characters"`, `"at most 18 digits"`."""
        if self.counts_digits:
            return f"at most {self.high} digits"
        if self.type == "TM":
            return f"a time of {self.low} to {self.high} digits (HHMM, HHMMSS, ...)"
        if self.low == self.high:
            return f"{self.low} character" + ("s" if self.low != 1 else "")
        return f"{self.low} to {self.high} characters"


def printable(text: str) -> bool:
    """No control character in `text` (a byte that is no UTF-8 is none: `is_raw_byte`)."""
    return text.isprintable() or all(ch.isprintable() or is_raw_byte(ch) for ch in text)


def is_raw_byte(ch: str) -> bool:
    return "\udc80" <= ch <= "\udcff"  # `surrogateescape`: a byte 0x80-0xFF that is no UTF-8


def carried_test(text: str) -> str:
    """A cheap test, as an expression of the text `text` (a str), that X12 surely carries it in
    any text or code element: printable, no trailing space. When False, `Size.carries` says."""
    return f"{text}.isprintable() and {text}[-1:] != ' '"


def parse_sizes(spec: str) -> dict[str, Size]:
    """`"03:AN1-60 05-01:ID2"` → {"03": Size("AN", 1, 60), "05-01": Size("ID", 2, 2)}."""
    out: dict[str, Size] = {}
    for token in spec.split():
        m = _SIZE.match(token)
        if m is None:
            raise ValueError(f"bad element size {token!r}")
        ref, kind, low, high = m.groups()
        out[ref] = Size(kind, int(low), int(high or low))
    return out


@dataclass(frozen=True, slots=True)
class Relation:
    """One syntax relation: its kind (P, R, E, C, L), its element positions, and as the map says it."""

    kind: str
    positions: tuple[int, ...]
    text: str


def parse_relations(spec: str) -> tuple[Relation, ...]:
    """`"E0207 C0704"` → the two relations."""
    out = []
    for token in spec.split():
        m = _RELATION.match(token)
        if m is None:
            raise ValueError(f"bad syntax relation {token!r}")
        digits = m.group(2)
        positions = tuple(int(digits[i : i + 2]) for i in range(0, len(digits), 2))
        out.append(Relation(m.group(1), positions, token))
    return tuple(out)


def relation_problem(kind: str, present: list[bool], refs: list[str]) -> str | None:
    """What breaks a syntax relation of `kind`, said of its elements `refs` (as they should be
    named) of which `present` are given; None when it holds."""
    given = [r for r, p in zip(refs, present, strict=True) if p]
    missing = [r for r, p in zip(refs, present, strict=True) if not p]
    if kind == "P" and given and missing:
        return f"has {', '.join(given)} without {', '.join(missing)}; they go together"
    if kind == "R" and not given:
        if len(refs) == 1:
            return f"has no {refs[0]}, which X12 requires"
        return f"has none of {', '.join(refs)}; one of them is required"
    if kind == "E" and len(given) > 1:
        return f"has {' and '.join(given)}; only one of them may be given"
    if kind == "C" and present[0] and missing:
        return f"has {refs[0]} without {', '.join(missing)}, which it requires"
    if kind == "L" and present[0] and not any(present[1:]):
        return f"has {refs[0]} without {' or '.join(refs[1:])}, one of which it requires"
    return None


# What X12 leaves out but a file read may hold, kept so that the file is written back as read; the
# 835 and 837 checks refuse it in these words (pyx12 refuses the first and the last too):
# - an empty element at the end of a segment, a trailing separator (`REF*6R*1*~`; x12-notes §1.2);
# - an empty component at the end of a composite (`HC:99213:`; X12.6 3.6, as X12 RFI 1498 quotes it);
# - a number (type R) ending in its decimal point (`90.`; the guides' appendix B.1.1.3.1.2 omits
#   the point of a whole number, X12 RFI 1526).


def trailing_element(ref: str) -> str:
    """`ref` (`REF03`) is the empty last element of its segment."""
    return (
        f"{ref} is an empty element at the end of the segment (a trailing separator, kept from the "
        "file read); X12 leaves out empty elements at the end of a segment"
    )


def trailing_component(named: str) -> str:
    """The composite `named` (`SVC01`) ends with an empty component."""
    return (
        f"{named} ends with an empty component (a trailing component separator, kept from the file "
        "read); X12 leaves out empty components at the end of a composite"
    )


def point_last(named: str) -> str:
    """The number `named` (`CLP03`) ends with its decimal point."""
    return (
        f"{named} ends with a decimal point (kept from the file read); X12 leaves it out of a whole "
        "number"
    )


def number_form_problem(named: str, text: str) -> str | None:
    """What X12.6 3.5.1.3 (the guides' B.1.1.3.1.2, as X12 RFIs 1526 and 1924 quote it) forbids in
    the form of the number `named` (type R) read as `text`, though edi reads it: a decimal point
    last (`point_last`), leading zeros (`0095`; one zero before the point, `0.5`, is the number's
    own), a minus sign on zero (`-0`: X12 signs negative values only). None when its form is
    X12's, or it is no number (said by the reader)."""
    if text[-1:] == ".":
        return point_last(named)
    digits = text.removeprefix("-")
    whole = digits.partition(".")[0]
    if len(whole) > 1 and whole.startswith("0") and whole.isdigit():
        return (
            f"{named} has leading zeros (kept from the file read); X12 leaves them out of a number"
        )
    if text.startswith("-") and digits.replace(".", "").strip("0") == "" and "0" in digits:
        return (
            f"{named} is a negative zero (kept from the file read); X12 signs negative values only"
        )
    return None


__all__ = [
    "Relation",
    "Size",
    "carried_test",
    "is_raw_byte",
    "parse_relations",
    "parse_sizes",
    "number_form_problem",
    "point_last",
    "printable",
    "relation_problem",
    "trailing_component",
    "trailing_element",
]


def is_date_time(fmt: str, value: str) -> bool:
    """Whether `value` is a date, range, date-time or time of the format `fmt` (`DATE_TIME_SHAPES`):
    digits of a day the calendar has (20240230 is none) and of an hour 00-23, minutes 00-59. True
    for a format without a shape here (its text is not checked)."""
    if fmt == "RD8":
        start, dash, end = value.partition("-")
        return bool(dash) and is_date_time("D8", start) and is_date_time("D8", end)
    shape = DATE_TIME_SHAPES.get(fmt)
    if shape is None:
        return True
    if len(value) != len(shape) or not (value.isascii() and value.isdigit()):
        return False
    hhmm = value[-4:] if fmt in ("DT", "TM") else "0000"
    if int(hhmm[:2]) > 23 or int(hhmm[2:]) > 59:
        return False
    if fmt == "TM":
        return True
    try:
        date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return False
    return True
