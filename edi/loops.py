"""The loop tree: one generic node for every loop of every transaction set.

A `Loop` holds, in input order, its own segments and its child loops (`items`), so walking a tree gives back
every segment that was read, in the order it was read. The grammar builds it; mapping, validation and
acknowledgements read it; the writer walks it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import final

from edi.x12.segment import Segment


# Final: the code tells segments from loops by `type(x) is Loop` (fast), which needs no subclass.
@final
class Loop:
    """A loop: its ID from the implementation guide (`"2300"`, `"1000A"`; `"ST"` for the whole set), a
    readable name (`"claim"`), and its items in order.

    Example:
        >>> clm = Loop("2300", "claim", [Segment.of("CLM", "PCN1", "100")])
        >>> root = Loop("ST", "transaction", [Segment.of("ST", "837", "0001"), clm])
        >>> [loop.id for loop in root.walk()], root.first("2300").segment("CLM").get("CLM02")
        (['ST', '2300'], '100')
    """

    __slots__ = ("id", "name", "items")

    def __init__(
        self, loop_id: str, name: str = "", items: list[Segment | Loop] | None = None
    ) -> None:
        self.id = loop_id
        self.name = name
        self.items: list[Segment | Loop] = items if items is not None else []

    def __repr__(self) -> str:
        return f"Loop({self.id!r}, {self.name!r}, {len(self.items)} items)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Loop):
            return NotImplemented
        return self.id == other.id and self.items == other.items

    __hash__ = None  # type: ignore[assignment]

    @property
    def segments(self) -> list[Segment]:
        """This loop's own segments (not its children's), in order."""
        return [item for item in self.items if isinstance(item, Segment)]

    @property
    def children(self) -> list[Loop]:
        """Direct child loops, in order."""
        return [item for item in self.items if isinstance(item, Loop)]

    @property
    def first_segment(self) -> Segment | None:
        """The segment that opened the loop (its position is the loop's position)."""
        for item in self.items:
            if isinstance(item, Segment):
                return item
            found = item.first_segment
            if found is not None:
                return found
        return None

    def iter_segments(self) -> Iterator[Segment]:
        """Every segment of this loop and its descendants, in input order."""
        for item in self.items:
            if isinstance(item, Segment):
                yield item
            else:
                yield from item.iter_segments()

    def walk(self) -> Iterator[Loop]:
        """This loop and all its descendants, depth first, in input order."""
        yield self
        for item in self.items:
            if isinstance(item, Loop):
                yield from item.walk()

    def find(self, loop_id: str) -> Iterator[Loop]:
        """Descendant loops (not self) with this ID, depth first."""
        for item in self.items:
            if isinstance(item, Loop):
                if item.id == loop_id:
                    yield item
                yield from item.find(loop_id)

    def first(self, loop_id: str) -> Loop | None:
        """The first descendant loop with this ID."""
        return next(self.find(loop_id), None)

    def segment(
        self, seg_id: str, qualifier: str | None = None, position: int = 1
    ) -> Segment | None:
        """This loop's first own segment with this ID (and qualifier at element `position`)."""
        for item in self.items:
            if isinstance(item, Segment) and item.id == seg_id:
                if qualifier is None or item.component(position, 1) == qualifier:
                    return item
        return None

    def segment_count(self) -> int:
        """Number of segments in this loop and its descendants."""
        return sum(1 if isinstance(i, Segment) else i.segment_count() for i in self.items)

    def pretty(self, indent: str = "") -> str:
        """A readable outline: loops with their IDs and names, segments as text."""
        title = f"{indent}{self.id}" + (f" {self.name}" if self.name else "")
        lines = [title]
        for item in self.items:
            if isinstance(item, Segment):
                lines.append(f"{indent}  {item.text()}")
            else:
                lines.append(item.pretty(indent + "  "))
        return "\n".join(lines)
