"""The segment: an ID plus its element strings, with the position it was read from."""

from __future__ import annotations

import codecs
import re
from typing import final

from edi.x12.delimiters import Delimiters


def _surrogate_bytes(exc: UnicodeError) -> tuple[bytes, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = bytearray()
    for char in exc.object[exc.start : exc.end]:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte read that was not UTF-8 (surrogateescape)
            out.append(code - 0xDC00)
        else:
            out += char.encode("utf-8", "surrogatepass")
    return bytes(out), exc.end


codecs.register_error("edi.surrogates", _surrogate_bytes)


def encoded(text: str) -> bytes:
    """`text` as UTF-8 bytes, for the reader and the writers: a surrogate that `surrogateescape`
    made of a byte read is that byte again, and any other lone surrogate (`"\\ud800"`, which JSON
    and Python strings allow) its three bytes, which a reading keeps as bytes that are no UTF-8
    (as it keeps a Latin-1 name's): never a traceback."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "edi.surrogates")


DEFAULT_DELIMITERS = Delimiters()

_REF = re.compile(r"^(?P<seg>[A-Z0-9]{2,3}?)?(?P<el>\d{2})(?:-(?P<comp>\d{1,2}))?$")


def parse_ref(ref: str) -> tuple[str, int, int]:
    """Split a reference designator: `"CLM05-01"` → `("CLM", 5, 1)`; `"02"` → `("", 2, 0)`.

    Component 0 means the whole element.
    """
    m = _REF.match(ref)
    if not m:
        raise ValueError(f"bad reference designator {ref!r}; expected e.g. 'CLP04' or 'CLM05-01'")
    return m.group("seg") or "", int(m.group("el")), int(m.group("comp") or 0)


# Final: the code tells segments from loops by `type(x) is Loop` (fast), which needs no subclass.
@final
class Segment:
    """One segment. `elements[0]` is the segment ID, so `elements[n]` is element n (CLP04 = elements[4]).

    Element text is kept exactly as read: composites stay joined with the component separator of
    `delimiters` and are split on demand (`component`). Positions: `index` is the 1-based number within
    the transaction set (ST = 1; 0 for envelope segments outside a set), `line` the 1-based line and
    `offset` the 0-based byte offset where the segment starts. `tail` is the exact text read after the
    segment body (terminator plus any line break or padding); None for segments made in code, "" for a
    last segment that had no terminator.

    Example:
        >>> seg = Segment.of("SV1", "HC:99213:25", "100", "UN", "1")
        >>> seg.id, seg.get("SV101-02"), seg.get("SV102"), seg.get("SV109")
        ('SV1', '99213', '100', '')
    """

    __slots__ = ("id", "elements", "index", "line", "offset", "tail", "delimiters")

    def __init__(
        self,
        elements: list[str],
        delimiters: Delimiters = DEFAULT_DELIMITERS,
        index: int = 0,
        line: int = 0,
        offset: int = 0,
        tail: str | None = None,
    ) -> None:
        self.id = elements[0]
        self.elements = elements
        self.delimiters = delimiters
        self.index = index
        self.line = line
        self.offset = offset
        self.tail = tail

    @classmethod
    def of(
        cls, seg_id: str, *elements: str, delimiters: Delimiters = DEFAULT_DELIMITERS
    ) -> Segment:
        """Build a segment from its ID and element texts (composites already joined)."""
        return cls([seg_id, *elements], delimiters)

    def __repr__(self) -> str:
        return f"Segment({self.text()!r}, index={self.index}, line={self.line})"

    def __eq__(self, other: object) -> bool:
        """Segments are equal when they carry the same data, whatever their delimiters or position."""
        if not isinstance(other, Segment):
            return NotImplemented
        if self.delimiters == other.delimiters or (
            self.delimiters.component == other.delimiters.component
            and self.delimiters.repetition == other.delimiters.repetition
        ):
            return self.elements == other.elements
        return self.normalized() == other.normalized()

    __hash__ = None  # type: ignore[assignment]

    def __len__(self) -> int:
        """Number of data elements (the ID not counted)."""
        return len(self.elements) - 1

    def __bool__(self) -> bool:
        """A segment is always true, even one with no data elements (`if seg:` means "if any")."""
        return True

    def element(self, n: int) -> str:
        """Element n (1-based) as read, "" when absent."""
        els = self.elements
        return els[n] if n < len(els) else ""

    def components(self, n: int) -> list[str]:
        """Element n split into its components ([""] when absent)."""
        return self.element(n).split(self.delimiters.component)

    def component(self, n: int, k: int) -> str:
        """Component k (1-based) of element n, "" when absent."""
        parts = self.element(n).split(self.delimiters.component)
        return parts[k - 1] if k - 1 < len(parts) else ""

    def get(self, ref: str) -> str:
        """Value at a reference designator such as `"CLP04"`, `"CLM05-01"` or `"05-01"`."""
        seg, el, comp = parse_ref(ref)
        if seg and seg != self.id:
            raise ValueError(f"{ref!r} does not address a {self.id} segment")
        return self.component(el, comp) if comp else self.element(el)

    def text(self, delimiters: Delimiters | None = None) -> str:
        """The segment body (no terminator), written with `delimiters` (default: its own)."""
        if delimiters is None or delimiters is self.delimiters or delimiters == self.delimiters:
            return self.delimiters.element.join(self.elements)
        return delimiters.element.join(self.normalized(delimiters))

    def normalized(self, target: Delimiters | None = None) -> list[str]:
        """Elements with component and repetition separators translated to `target` (default `*^:~`)."""
        target = target or DEFAULT_DELIMITERS
        src = self.delimiters
        if src.component == target.component and src.repetition == target.repetition:
            return list(self.elements)
        out = [self.elements[0]]
        for el in self.elements[1:]:
            if src.repetition and src.repetition in el:
                reps = el.split(src.repetition)
                reps = [r.replace(src.component, target.component) for r in reps]
                out.append((target.repetition or src.repetition).join(reps))
            else:
                out.append(el.replace(src.component, target.component))
        return out


def element_past(seg: Segment, last: int) -> int | None:
    """The position of the first element with text past `last`, the last element the segment has
    in its standard (LX01, SE02), or None. Trailing empty elements (a separator the segment ends
    with) are no element with text."""
    elements = seg.elements
    return next((n for n in range(last + 1, len(elements)) if elements[n]), None)


def past_last_problem(seg: Segment, last: int, *, kept: bool = False) -> tuple[str, str] | None:
    """The element past the last of `seg` (`element_past`) and what a message says of it, or None:
    `("LX02", "LX02 is past the last element of LX (LX01): X12 has none there, and it is not
    kept")`; `kept` for a segment written back as read (a GS)."""
    n = element_past(seg, last)
    if n is None:
        return None
    lost = "" if kept else ", and it is not kept"
    ref = f"{seg.id}{n:02d}"
    return (
        ref,
        f"{ref} is past the last element of {seg.id} ({seg.id}{last:02d}): X12 has none there{lost}",
    )


def trailing_separator_problem(seg: Segment, after: int) -> tuple[str, str] | None:
    """The first of the empty elements a segment the writer makes of its own values ends with (a
    separator it ends with: `SE*41*0001*`), and what a message says of it, or None. Written from
    its values, such a segment loses the separator, which is said rather than dropped unseen.
    Only past element `after`: an empty element up to it is one missing, said as such (`ST*837*`)."""
    elements = seg.elements
    n = len(elements) - 1
    if n < 1 or elements[n]:
        return None
    while n > 1 and not elements[n - 1]:
        n -= 1
    if n <= after:
        return None
    ref = f"{seg.id}{n:02d}"
    return (
        ref,
        f"{seg.id} ends with an element separator (empty from {ref} on): X12 leaves trailing "
        "empty elements out, and it is not kept",
    )
