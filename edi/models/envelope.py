"""Envelope models: the ISA and GS headers a transaction set came in (or will go out in).

Values are kept as X12 text (dates `YYMMDD`/`CCYYMMDD`, times `HHMM[SS]`) with the padding of the
fixed-width ISA removed; the writer pads them again.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field, PrivateAttr

from edi.models.base import ValueModel
from edi.x12.segment import Segment

ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)
REPETITION_SEPARATOR = "^"  # ISA11 of a 00501 header made, and of one read with a separator there


class InterchangeHeader(ValueModel):
    """ISA: who sends to whom, when, and the interchange control number."""

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, use_attribute_docstrings=True
    )

    authorization_qualifier: str = "00"
    """Authorization information qualifier. X12: ISA01."""
    authorization: str = ""
    """Authorization information (without its padding). X12: ISA02."""
    security_qualifier: str = "00"
    """Security information qualifier. X12: ISA03."""
    security: str = ""
    """Security information (without its padding). X12: ISA04."""
    sender_qualifier: str = "ZZ"
    """Interchange ID qualifier of the sender. X12: ISA05."""
    sender_id: str
    """Interchange sender ID (without its padding). X12: ISA06."""
    receiver_qualifier: str = "ZZ"
    """Interchange ID qualifier of the receiver. X12: ISA07."""
    receiver_id: str
    """Interchange receiver ID (without its padding). X12: ISA08."""
    date: str
    """Interchange date, YYMMDD. X12: ISA09."""
    time: str
    """Interchange time, HHMM. X12: ISA10."""
    standards_id: str = REPETITION_SEPARATOR
    """Interchange control standards identifier: 'U' before 00501. From 00501 on ISA11 is the
    repetition separator, a delimiter: written from the delimiters the interchange is written with
    (`delimiters=`, else those it was read with), whatever this field holds. X12: ISA11."""
    version: str = "00501"
    """Interchange control version number. X12: ISA12."""
    control_number: str
    """Interchange control number, nine digits. X12: ISA13."""
    acknowledgment_requested: str = "0"
    """Acknowledgment requested: 0 no, 1 a TA1. X12: ISA14."""
    usage: str = "P"
    """Usage indicator: P production, T test. X12: ISA15."""

    _raw: list[str] | None = PrivateAttr(default=None)  # the ISA as read, when not fixed-width
    # Where it was read (the input's first ISA text, byte offset): two interchanges with identical
    # headers stay two when written. Not part of its value (`ValueModel`).
    _origin: tuple[str | None, int] | None = PrivateAttr(default=None)
    # The values as read (`as_read`): kept by a checked write even where they break its rules.
    _read: dict[str, object] | None = PrivateAttr(default=None)
    # The line break the input lacked after its last IEA, when this interchange ended the input
    # without the break that followed every other segment: a write that ends with it leaves it out.
    _no_final_break: str | None = PrivateAttr(default=None)
    # The blank text the input had after this interchange's IEA beyond its terminator and line
    # break (a line break after an interchange on one line), with that line break: written after
    # it again while its segments are written with the same line break.
    _after_iea: tuple[str, str] | None = PrivateAttr(default=None)
    # The TA1 segments the interchange read carried (acknowledgments of other interchanges),
    # written back after its ISA. Not part of its value, nor of its JSON.
    _acknowledgments: list[Segment] | None = PrivateAttr(default=None)

    @classmethod
    def from_elements(
        cls, elements: list[str], origin: tuple[str | None, int] | None = None
    ) -> InterchangeHeader:
        """From an ISA segment's elements (elements[0] == "ISA"), read at `origin` (see `_origin`)."""
        els = elements + [""] * (17 - len(elements))
        standards_id = els[11]
        if els[12] >= "00501" and len(standards_id) == 1 and not standards_id.isalnum():
            # ISA11 is the repetition separator: a delimiter, kept with the delimiters read (two
            # interchanges read with other ones hold equal headers), and written from those.
            standards_id = REPETITION_SEPARATOR
        header = cls.model_construct(
            authorization_qualifier=els[1],
            authorization=els[2].rstrip(),
            security_qualifier=els[3],
            security=els[4].rstrip(),
            sender_qualifier=els[5],
            sender_id=els[6].rstrip(),
            receiver_qualifier=els[7],
            receiver_id=els[8].rstrip(),
            date=els[9],
            time=els[10],
            standards_id=standards_id,
            version=els[12],
            control_number=els[13],
            acknowledgment_requested=els[14],
            usage=els[15],
        )
        if header.elements(els[11], els[16]) != elements:
            header._raw = list(elements)
        header._origin = origin
        header._read = dict(header.__dict__)
        return header

    def elements(self, repetition: str | None, component: str) -> list[str]:
        """The ISA's elements, padded to their fixed widths."""
        values = [
            self.authorization_qualifier,
            self.authorization,
            self.security_qualifier,
            self.security,
            self.sender_qualifier,
            self.sender_id,
            self.receiver_qualifier,
            self.receiver_id,
            self.date,
            self.time,
            repetition if (repetition and self.version >= "00501") else self.standards_id,
            self.version,
            self.control_number.rjust(9, "0"),
            self.acknowledgment_requested,
            self.usage,
            component,
        ]
        padded = [
            v.ljust(w) if i in (1, 3, 5, 7) else v
            for i, (v, w) in enumerate(zip(values, ISA_WIDTHS, strict=True))
        ]
        fresh = ["ISA", *padded]
        raw = self._raw
        if raw is not None and len(raw) >= 17:
            # Written as read when only the padding differs (a non-fixed-width ISA).
            same = [r.rstrip() for r in raw[1:16]] == [f.rstrip() for f in fresh[1:16]]
            if same:
                return [*raw[:16], component, *raw[17:]]
        return fresh


class GroupHeader(ValueModel):
    """GS: the functional group (sender and receiver application codes, version)."""

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, use_attribute_docstrings=True
    )

    functional_id: str
    """Functional identifier code: HC claims, HP remittances, FA acknowledgements. X12: GS01."""
    sender: str
    """Application sender's code. X12: GS02."""
    receiver: str
    """Application receiver's code. X12: GS03."""
    date: str
    """Date, CCYYMMDD. X12: GS04."""
    time: str
    """Time, HHMM[SS]. X12: GS05."""
    control_number: str
    """Group control number. X12: GS06."""
    agency: str = "X"
    """Responsible agency code. X12: GS07."""
    version: str
    """Version / release / industry identifier code, e.g. 005010X221A1. X12: GS08."""
    extra: list[str] = Field(default_factory=list)
    """Elements after GS08, kept as read."""

    # Where it was read, as for the ISA: lets the writer keep a GS06 that the input itself repeated,
    # and tell two groups with identical headers apart.
    _origin: tuple[str | None, int] | None = PrivateAttr(default=None)
    _read: dict[str, object] | None = PrivateAttr(default=None)  # as for the ISA

    @classmethod
    def from_elements(
        cls, elements: list[str], origin: tuple[str | None, int] | None = None
    ) -> GroupHeader:
        """From a GS segment's elements (elements[0] == "GS"), read at `origin` (see `_origin`)."""
        els = elements + [""] * (9 - len(elements))
        header = cls.model_construct(
            functional_id=els[1],
            sender=els[2],
            receiver=els[3],
            date=els[4],
            time=els[5],
            control_number=els[6],
            agency=els[7],
            version=els[8],
            extra=list(elements[9:]),
        )
        header._origin = origin
        header._read = dict(header.__dict__)
        return header

    def elements(self) -> list[str]:
        els = [
            "GS",
            self.functional_id,
            self.sender,
            self.receiver,
            self.date,
            self.time,
            self.control_number,
            self.agency,
            self.version,
            *self.extra,
        ]
        while len(els) > 1 and els[-1] == "":
            els.pop()
        return els


def as_read(header: InterchangeHeader | GroupHeader | EnvelopeInfo, name: str) -> bool:
    """Whether a header's field `name` (or an envelope's ST02) holds the value read from a file. A
    checked write keeps such a value even where it breaks the rules of the envelopes it makes (an
    ISA10 of 3339): writing a file back gives what was read. A value set since, or loaded from JSON,
    is checked."""
    read = header.__pydantic_private__.get("_read")  # type: ignore[union-attr]
    return read is not None and name in read and read[name] == getattr(header, name)


class EnvelopeInfo(ValueModel):
    """Where a transaction set came from: its interchange, its group and its ST02.

    Models read from a file carry one, so writing them back reproduces their envelopes; models built in
    code may leave it out and get envelopes from the writer's arguments.
    """

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, use_attribute_docstrings=True
    )

    interchange: InterchangeHeader | None = None
    """The interchange header (ISA); None for a bare ST..SE."""
    group: GroupHeader | None = None
    """The functional group header (GS)."""
    set_control_number: str = "0001"
    """Transaction set control number. X12: ST02."""
    implementation_reference: str | None = None
    """Implementation convention reference, as read. X12: ST03."""

    # The ST02 as read (`as_read`): kept by a checked write even where it breaks its rule.
    _read: dict[str, object] | None = PrivateAttr(default=None)
