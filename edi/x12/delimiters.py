"""Delimiters of an interchange, read from its ISA segment (x12-notes §1.2)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from edi.errors import ConfigurationError

# What may follow a segment terminator before the next segment starts: line breaks, blanks, NUL padding.
GAP_CHARS = "\r\n \t\x00"
LINE_BREAKS = ("", "\n", "\r\n", "\r")
_COMPONENT_CANDIDATES = ":>^|\\!"  # in order of preference when none is used
_BARE_SAMPLE = 4096
_BLANKS_LOOKAHEAD = 64  # blanks after a terminator looked past for the line break


@dataclass(frozen=True, slots=True)
class Delimiters:
    """The four X12 delimiters plus the line break written after each segment terminator.

    `repetition` is None for interchanges before 00501, whose ISA11 is the standards identifier `U`.
    The writers write a 00501 interchange given None with its ISA11 (`^`) as the separator.
    `suffix` is what follows each terminator in the file: "", "\\n", "\\r\\n" or "\\r"; after a
    terminator that is a line break, none (but the LF after a CR terminator).

    Example:
        >>> Delimiters(element="|", component=">", suffix="")
        Delimiters(element='|', repetition='^', component='>', segment='~', suffix='')
    """

    element: str = "*"
    repetition: str | None = "^"
    component: str = ":"
    segment: str = "~"
    suffix: str = "\n"

    def __post_init__(self) -> None:
        named = [("element", self.element)]
        if self.repetition is not None:
            named.append(("repetition", self.repetition))
        named += [("component", self.component), ("segment", self.segment)]
        for name, ch in named:
            if len(ch) != 1 or ch.isalnum() or ch == " ":
                raise ConfigurationError(
                    f"{name} delimiter {ch!r} must be one character, not a letter, digit or space"
                )
        if len({ch for _, ch in named}) != len(named):
            shown = ", ".join(f"{name} {ch!r}" for name, ch in named)
            raise ConfigurationError(f"delimiters must be distinct: {shown}")
        if self.suffix not in LINE_BREAKS:
            raise ConfigurationError(f"suffix must be one of {LINE_BREAKS!r}, not {self.suffix!r}")
        if self.segment in ("\n", "\r"):
            # A terminator that is a line break takes no other after it but the LF of CR LF: a
            # second one would be an empty segment (a blank line), which readers such as pyx12 refuse.
            suffix = "\n" if self.segment == "\r" and self.suffix.endswith("\n") else ""
            object.__setattr__(self, "suffix", suffix)

    def characters(self) -> tuple[str, ...]:
        """The delimiters a value may not hold: element, component, segment and repetition."""
        chars = (self.element, self.component, self.segment)
        return chars if self.repetition is None else (*chars, self.repetition)

    def with_suffix(self, suffix: str) -> Delimiters:
        """The same delimiters with another line break after each terminator."""
        return replace(self, suffix=suffix)

    def describe(self) -> str:
        """Short text such as `* ^ : ~ LF`."""
        names = {"": "no line break", "\n": "LF", "\r\n": "CRLF", "\r": "CR"}
        rep = self.repetition if self.repetition is not None else "(none)"
        seg = {"\n": "LF", "\r": "CR"}.get(self.segment, self.segment)
        return (
            f"element {self.element} repetition {rep} component {self.component} segment {seg}, "
            + (names.get(self.suffix, repr(self.suffix)))
        )


def isa_delimiters(text: str) -> tuple[Delimiters, int] | str:
    """Read delimiters from an ISA at the start of `text`.

    Returns the delimiters and the length of the ISA segment including its terminator, or a message
    saying why the ISA is unusable. Tolerates ISAs that are not 106 characters wide (padding missing) by
    counting element separators instead of using fixed offsets.
    """
    if not text.startswith("ISA"):
        return "does not start with ISA"
    if len(text) < 4:
        return "truncated ISA: the input ends right after 'ISA'"
    sep = text[3]
    if sep.isalnum() or sep in " \r\n":
        return f"invalid element separator {sep!r} after ISA"
    # Fixed width: ISA16 at 104, terminator at 105. Otherwise count 16 separators.
    if len(text) >= 106 and text[103] == sep and text[81:84] == sep * 3:
        # ISA11 (at 82) is the element separator: counted as one, it moved ISA16, which was then
        # said to be wrong ("invalid component separator 'T'").
        return f"invalid repetition separator {sep!r} (ISA11): it is the element separator too"
    if len(text) >= 106 and text[103] == sep and text.count(sep, 0, 104) == 16:
        p16 = 103
    else:
        p16 = -1
        start = 0
        for _ in range(16):
            p16 = text.find(sep, start)
            if p16 < 0 or p16 > 200:
                return "truncated ISA: fewer than 16 elements"
            start = p16 + 1
    if len(text) < p16 + 3:
        return "truncated ISA: no component separator or segment terminator"
    component = text[p16 + 1]
    terminator = text[p16 + 2]
    elements = text[: p16 + 1].split(sep)
    isa11 = elements[11] if len(elements) > 11 else ""
    isa12 = elements[12] if len(elements) > 12 else ""
    repetition: str | None = isa11
    if len(isa11) != 1 or isa11.isalnum() or isa12 < "00501":
        repetition = None  # 4010 and earlier: ISA11 is the standards identifier ("U")
    # Each delimiter its own character, none a letter, digit or space: the one at fault is said,
    # for its TA1 note code (`isa_ack`).
    if repetition is not None and repetition in (" ", sep):
        return f"invalid repetition separator {repetition!r} (ISA11)"
    # ISA16 and the terminator are the usual ones (`:`, `~`) far more often than ISA11 (`^`): the
    # one that takes another's character is ISA11.
    if repetition is not None and repetition in (component, terminator):
        other = "component separator (ISA16)" if repetition == component else "segment terminator"
        return f"invalid repetition separator {repetition!r} (ISA11): it is the {other} too"
    if terminator.isalnum() and component in "~\r\n":
        return f"invalid component separator: ISA16 is empty ({component!r} ends the segment)"
    if component.isalnum() or component in (" ", sep, repetition, terminator):
        return f"invalid component separator {component!r} (ISA16)"
    if terminator.isalnum() or terminator in (" ", sep, repetition):
        return f"invalid segment terminator {terminator!r} after ISA16"
    # The line break after the terminator is whatever line-break run follows it, after any blanks
    # (`~  \n`: the line break is LF; the blanks pad the segment, kept in its tail as indentation is).
    rest = text[p16 + 3 : p16 + 3 + _BLANKS_LOOKAHEAD].lstrip(" \t")[:2]
    suffix = ""
    if terminator not in "\r\n":
        if rest.startswith("\r\n"):
            suffix = "\r\n"
        elif rest[:1] in ("\n", "\r"):
            suffix = rest[:1]
    elif terminator == "\r" and rest.startswith("\n"):
        suffix = "\n"
    try:
        delimiters = Delimiters(sep, repetition, component, terminator, suffix)
    except ConfigurationError as exc:
        return f"invalid ISA delimiters: {exc}"
    return delimiters, p16 + 3


# The TA1 note code (TA105, x12-notes §11.2) of each reason `isa_delimiters` gives for an unusable
# ISA, by its start.
_ISA_ACKS = (
    ("invalid element separator", "TA1:026"),
    ("invalid repetition separator", "TA1:016"),  # ISA11 (pyx12's map, x12-notes §11.2)
    ("invalid component separator", "TA1:027"),
    ("invalid segment terminator", "TA1:004"),
    ("truncated ISA", "TA1:023"),
)


def isa_ack(reason: str) -> str | None:
    """The TA1 note code of a reason `isa_delimiters` gives (None: no code says it)."""
    return next((ack for start, ack in _ISA_ACKS if reason.startswith(start)), None)


def guess_bare_delimiters(text: str) -> Delimiters | str:
    """Delimiters for a bare ST..SE with no ISA: element separator after `ST`, terminator after ST02/ST03."""
    if not text.startswith("ST"):
        return "does not start with ST"
    if len(text) < 4:
        return "truncated ST segment"
    sep = text[2]
    if sep.isalnum() or sep in " \r\n":
        return f"invalid element separator {sep!r} after ST"
    i = 3
    while i < len(text) and i < 80 and (text[i].isalnum() or text[i] in (sep, " ")):
        i += 1
    if i >= len(text) or i >= 80:
        return "no segment terminator after the ST segment"
    terminator = text[i]
    suffix = ""
    if terminator not in "\r\n":
        after = text[i + 1 : i + 1 + _BLANKS_LOOKAHEAD].lstrip(" \t")  # blanks before it: padding
        if after.startswith("\r\n"):
            suffix = "\r\n"
        elif after[:1] in ("\n", "\r"):
            suffix = after[0]
    # The component separator is not announced anywhere: take the candidate used most in the text.
    sample = text[:_BARE_SAMPLE]
    candidates = [c for c in _COMPONENT_CANDIDATES if c not in (sep, terminator)]
    component = max(candidates, key=lambda c: (sample.count(c), -candidates.index(c)))
    try:
        return Delimiters(sep, None, component, terminator, suffix)
    except ConfigurationError as exc:
        return f"invalid delimiters: {exc}"
