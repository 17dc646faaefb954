"""Segments → X12 text.

By default every segment is written exactly as it was read: its own delimiters and the tail that
followed it (terminator, line break, padding). Pass `delimiters` to re-delimit everything, `newline`
to choose the line break written after each terminator.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from edi.errors import WriteError
from edi.x12.delimiters import LINE_BREAKS, Delimiters
from edi.x12.segment import Segment, encoded


def iter_text(
    segments: Iterable[Segment],
    delimiters: Delimiters | None = None,
    *,
    newline: str | None = None,
    repeats: bool = True,
) -> Iterator[str]:
    """Yield the text of each segment including what follows it.

    Args:
        segments: segments in file order.
        delimiters: write every segment with these delimiters (and their `suffix` as line break);
            None keeps each segment's own delimiters and, where known, its exact tail.
        newline: the line break after each terminator ("", "\\n", "\\r\\n", "\\r"), overriding both.
        repeats: whether element text may hold the repetition separator (a repeated element, such
            as DMG05). The 837 and 835 guides repeat no element, so their writers refuse it there.
    """
    if newline is not None and newline not in LINE_BREAKS:
        raise ValueError(f"newline must be one of {LINE_BREAKS!r}")
    if delimiters is not None:
        sep = delimiters.element
        term = delimiters.segment
        # The repetition separator to refuse in element text: none when repeats are allowed.
        rep = None if repeats else delimiters.repetition
        end = term + (delimiters.suffix if newline is None else newline)
    for seg in segments:
        if seg.delimiters is delimiters and seg.id != "ISA":
            # The common case: made with these delimiters. A value holding the element separator
            # or the terminator would change the segments read back, one holding the repetition
            # separator would be split by other readers (no 837 or 835 element repeats): refused.
            text = sep.join(seg.elements)
            if (
                term in text
                or (rep is not None and rep in text)
                or text.count(sep) != len(seg.elements) - 1
            ):
                raise _clash(seg, delimiters, repeats)
            yield text + end
            continue
        target = delimiters or seg.delimiters
        if seg.id == "ISA" and delimiters is not None:
            seg = _isa_for(seg, delimiters)
        else:
            check_redelimit(seg, target)
        body = seg.text(target)
        if seg.id != "ISA" and (
            target.segment in body
            or (not repeats and target.repetition is not None and target.repetition in body)
            or body.count(target.element) != len(seg.elements) - 1
        ):
            raise _clash(seg, target, repeats)
        if delimiters is None and newline is None and seg.tail is not None:
            yield body + seg.tail
        else:
            yield body + target.segment + (target.suffix if newline is None else newline)


def write_segments(
    segments: Iterable[Segment],
    delimiters: Delimiters | None = None,
    *,
    newline: str | None = None,
    repeats: bool = True,
) -> str:
    """The X12 text of `segments` (see `iter_text`).

    Example:
        >>> from edi.x12.reader import read_segments
        >>> text = "ST*835*0001~\\nSE*2*0001~\\n"
        >>> write_segments(read_segments(text)) == text
        True
        >>> write_segments(read_segments(text), Delimiters("|", None, ">", "~", ""))
        'ST|835|0001~SE|2|0001~'
    """
    return "".join(iter_text(segments, delimiters, newline=newline, repeats=repeats))


def write_to(
    stream: BinaryIO,
    segments: Iterable[Segment],
    delimiters: Delimiters | None = None,
    *,
    newline: str | None = None,
) -> int:
    """Write segments to a binary stream as UTF-8; return the number of bytes written."""
    total = 0
    buf: list[str] = []
    for text in iter_text(segments, delimiters, newline=newline):
        buf.append(text)
        if len(buf) >= 4096:
            total += stream.write(encoded("".join(buf)))
            buf.clear()
    if buf:
        total += stream.write(encoded("".join(buf)))
    return total


def hidden_separator(text: str, src: Delimiters, target: Delimiters) -> tuple[str, str] | None:
    """The separator of `target` (its name and character) that element `text`, read with `src`,
    holds as a plain character, if any: written with `target`, `050:A` (read with `|` as component
    separator) would read back as the composite 050 + A."""
    for name, char in (
        ("component separator", target.component),
        ("repetition separator", target.repetition),
    ):
        if char is not None and char not in (src.component, src.repetition) and char in text:
            return name, char
    return None


def check_redelimit(seg: Segment, target: Delimiters) -> None:
    """Refuse a segment read with other delimiters that holds a separator of `target` as a plain
    character (see `hidden_separator`)."""
    for i, text in enumerate(seg.elements[1:], 1):
        found = hidden_separator(text, seg.delimiters, target)
        if found is not None:
            raise WriteError(
                f"{seg.id}{i:02d} holds the {found[0]} {found[1]!r} of the delimiters written, so "
                "the segment would not read back as it was read; write with other delimiters or "
                "change the text"
            )


def _clash(seg: Segment, delimiters: Delimiters, repeats: bool = True) -> WriteError:
    """The error for a segment whose element text holds the element separator, the terminator or the
    repetition separator."""
    found = _element_clash(seg, delimiters, repeats)
    if found is not None:
        return found
    return WriteError(f"{seg.id} cannot be written with the delimiters {delimiters.describe()}")


def _element_clash(
    seg: Segment, delimiters: Delimiters, repeats: bool = True, skip: tuple[int, ...] = ()
) -> WriteError | None:
    """`_clash` for the first element (not one of `skip`) that holds a delimiter, if any."""
    for i, text in enumerate(seg.elements[1:], 1):
        if i in skip:
            continue
        for name, char in (
            ("element separator", delimiters.element),
            ("terminator", delimiters.segment),
            ("repetition separator", None if repeats else delimiters.repetition),
        ):
            if char is not None and char in text:
                what = (
                    "the value would be read as repeated values"
                    if name == "repetition separator"
                    else "the segment would not read back as written"
                )
                return WriteError(
                    f"{seg.id}{i:02d} holds the {name} {char!r}, so {what}; write with other "
                    "delimiters or change the text"
                )
    return None


def check_isa(isa: Segment, delimiters: Delimiters) -> None:
    """Refuse an ISA (made from a model: `iter_text` leaves the ISA to its fixed layout) whose
    element text holds a delimiter: ISA06 `AB*C` would move every element after it, so the
    interchange would not read back. ISA11 and ISA16 announce delimiters and are not looked at."""
    found = _element_clash(isa, delimiters, repeats=False, skip=(11, 16))
    if found is not None:
        raise found


def _isa_for(isa: Segment, delimiters: Delimiters) -> Segment:
    """The ISA with ISA11 and ISA16 set to the delimiters it announces.

    ISA11 is rewritten only when the ISA announced a repetition separator: a 4010 standards identifier
    (or the `U` some 5010 files still carry) stays, so the data keeps meaning what it meant.
    """
    elements = list(isa.elements)
    while len(elements) < 17:
        elements.append("")
    if (
        delimiters.repetition is not None
        and isa.delimiters.repetition is not None
        and elements[12] >= "00501"
    ):
        elements[11] = delimiters.repetition
    elements[16] = delimiters.component
    return Segment(elements, delimiters, isa.index, isa.line, isa.offset, None)
