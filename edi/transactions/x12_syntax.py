"""X12 segment syntax for the write-time checks: element sizes and types, and the syntax relations
between the elements of a segment. The 837 checks (`claim_syntax`) take both from here; the 835
checks (`remit_rules`) take the sizes (their `_SIZES` table is in the form `parse_sizes` reads) and
the relations' wording.

A map gives each element a type and a size (`N403 usage=S de=116 ID 3/15`): AN (text) and ID (a
code) count characters, R (a decimal number) and N0 (a whole number) count digits, without sign and
decimal point; DT is a date CCYYMMDD, TM a time HHMM[SS[D[D]]]. A segment's syntax relations
(`syntax=P0506,C0704`) tie its elements together, by position:

    P paired       all or none of them (P0506: PER05 and PER06);
    R required     at least one of them (R0203: REF02 or REF03);
    E exclusion    at most one of them (E0207: N402 or N407, not both);
    C conditional  the first requires all the others (C0704: N407 requires N404);
    L list cond.   the first requires one of the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SIZE = re.compile(r"^(\d\d(?:-\d\d)?):(AN|ID|R|N0|DT|TM)(\d+)(?:-(\d+))?$")
_RELATION = re.compile(r"^([PRECL])((?:\d\d){2,})$")


@dataclass(frozen=True, slots=True)
class Size:
    """The type of one element (or component) and its shortest and longest text (digits for R, N0)."""

    type: str  # AN, ID, R, N0, DT, TM
    low: int
    high: int

    @property
    def counts_digits(self) -> bool:
        return self.type in ("R", "N0")

    def measure(self, text: str) -> int:
        """The size X12 gives `text`: its digits for a number, else its characters."""
        if self.counts_digits:
            return sum(ch.isdigit() for ch in text)
        return len(text)

    def fits(self, text: str) -> bool:
        if self.type == "TM" and not (text.isascii() and text.isdigit()):
            return False
        return self.low <= self.measure(text) <= self.high

    def takes(self) -> str:
        """What fits, for messages: `"1 to 60 characters"`, `"at most 18 digits"`."""
        if self.counts_digits:
            return f"at most {self.high} digits"
        if self.type == "TM":
            return f"a time of {self.low} to {self.high} digits (HHMM, HHMMSS, ...)"
        if self.low == self.high:
            return f"{self.low} character" + ("s" if self.low != 1 else "")
        return f"{self.low} to {self.high} characters"


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


__all__ = ["Relation", "Size", "parse_relations", "parse_sizes", "relation_problem"]
