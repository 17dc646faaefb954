"""Small segment models shared by the transactions: a name (NM1), a reference (REF), a contact (PER).

They map whole segments with relative references (`Elem("03")`), so a loop model places them with
`Seg("NM1", qual="QC")`. When the marker names one qualifier, the qualifier element is implied and
written back; when it names several or none, the model's own qualifier field holds it.
"""

from __future__ import annotations

from typing import Annotated

from edi.models.base import Elem, SegmentModel


class Party(SegmentModel):
    """A person or organization named in an NM1 segment (NM102–NM112).

    Example:
        >>> Party(entity_type="1", name="DOE", first_name="JANE", id_qualifier="MI", id="W1").full_name
        'DOE, JANE'
    """

    entity_type: Annotated[str | None, Elem("02")] = None  # 1 person, 2 organization
    name: Annotated[str | None, Elem("03")] = None  # last name, or the organization's name
    first_name: Annotated[str | None, Elem("04")] = None
    middle_name: Annotated[str | None, Elem("05")] = None
    prefix: Annotated[str | None, Elem("06")] = None
    suffix: Annotated[str | None, Elem("07")] = None
    id_qualifier: Annotated[str | None, Elem("08")] = None  # MI member id, XX NPI, PI payer id, ...
    id: Annotated[str | None, Elem("09")] = None
    relationship: Annotated[str | None, Elem("10")] = None
    entity_id: Annotated[str | None, Elem("11")] = None
    other_name: Annotated[str | None, Elem("12")] = None

    @property
    def full_name(self) -> str:
        """`"DOE, JANE Q"` for a person, the name for an organization."""
        given = " ".join(p for p in (self.first_name, self.middle_name) if p)
        text = f"{self.name or ''}, {given}" if given else (self.name or "")
        return f"{text} {self.suffix}" if self.suffix else text


class Reference(SegmentModel):
    """An identifier in a REF segment: its qualifier (REF01) and value (REF02).

    Example:
        >>> Reference(qualifier="EA", value="MRN0001")
        Reference(qualifier='EA', value='MRN0001', description=None)
    """

    qualifier: Annotated[str, Elem("01")]
    value: Annotated[str, Elem("02")]
    description: Annotated[str | None, Elem("03")] = None


class Contact(SegmentModel):
    """A contact in a PER segment: its function (PER01), name and up to three numbers.

    Each number comes with its qualifier: `TE` telephone, `EM` e-mail, `FX` fax, `UR` web address,
    `EX` extension.

    Example:
        >>> Contact(function="BL", name="EDI DESK", qualifier_1="TE", number_1="8005551212").numbers
        {'TE': '8005551212'}
    """

    function: Annotated[str, Elem("01")]
    name: Annotated[str | None, Elem("02")] = None
    qualifier_1: Annotated[str | None, Elem("03")] = None
    number_1: Annotated[str | None, Elem("04")] = None
    qualifier_2: Annotated[str | None, Elem("05")] = None
    number_2: Annotated[str | None, Elem("06")] = None
    qualifier_3: Annotated[str | None, Elem("07")] = None
    number_3: Annotated[str | None, Elem("08")] = None

    @property
    def numbers(self) -> dict[str, str]:
        """The numbers by their qualifier (`{"TE": "8005551212", "EM": "edi@example.com"}`)."""
        pairs = (
            (self.qualifier_1, self.number_1),
            (self.qualifier_2, self.number_2),
            (self.qualifier_3, self.number_3),
        )
        return {q: n for q, n in pairs if q and n}
