"""Small segment models shared by the transactions: a name (NM1), a reference (REF), a contact (PER).

They map whole segments with relative references (`Elem("03")`), so a loop model places them with
`Seg("NM1", qual="QC")`. When the marker names one qualifier, the qualifier element is implied and
written back; when it names several or none, the model's own qualifier field holds it.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ValidationInfo, model_validator

from edi.models.base import Elem, SegmentModel, add_to_fields_set, keeps_nulls


class Party(SegmentModel):
    """A person or organization named in an NM1 segment (NM102–NM112).

    Example:
        >>> Party(entity_type="1", name="DOE", first_name="JANE", id_qualifier="MI", id="W1").full_name
        'DOE, JANE'
    """

    entity_type: Annotated[str | None, Elem("02")] = None
    """Entity type qualifier: 1 person, 2 organization."""
    name: Annotated[str | None, Elem("03")] = None
    """Last name, or the organization's name."""
    first_name: Annotated[str | None, Elem("04")] = None
    """First name."""
    middle_name: Annotated[str | None, Elem("05")] = None
    """Middle name or initial."""
    prefix: Annotated[str | None, Elem("06")] = None
    """Name prefix. Not used by 005010X221A1 (its map: NM106 NOT USED in every NM1 of loop 2100):
    kept as read, but a remittance that gives one is refused by the checks and `write_835`."""
    suffix: Annotated[str | None, Elem("07")] = None
    """Name suffix."""
    id_qualifier: Annotated[str | None, Elem("08")] = None
    """Identification code qualifier: MI member id, XX NPI, PI payer id, ..."""
    id: Annotated[str | None, Elem("09")] = None
    """Identification code, of the kind `id_qualifier` names."""
    relationship: Annotated[str | None, Elem("10")] = None
    """Entity relationship code. Not used by 005010X221A1 (NM110 NOT USED): as `prefix`."""
    entity_id: Annotated[str | None, Elem("11")] = None
    """Entity identifier code. Not used by 005010X221A1 (NM111 NOT USED): as `prefix`."""
    other_name: Annotated[str | None, Elem("12")] = None
    """A second last or organization name. Not used by 005010X221A1 (NM112 NOT USED): as
    `prefix`."""

    @property
    def full_name(self) -> str:
        """`"DOE, JANE Q"` for a person, the name for an organization."""
        return shown_name(self.name, self.first_name, self.middle_name, self.suffix)


def shown_name(last: str | None, first: str | None, middle: str | None, suffix: str | None) -> str:
    """A name as edi shows it: `"DOE, JANE Q JR"` (an organization's: its name)."""
    given = " ".join(p for p in (first, middle) if p)
    text = f"{last or ''}, {given}" if given else (last or "")
    return f"{text} {suffix}" if suffix else text


class Reference(SegmentModel):
    """An identifier in a REF segment: its qualifier (REF01) and value (REF02).

    Example:
        >>> Reference(qualifier="EA", value="MRN0001")
        Reference(qualifier='EA', value='MRN0001', description=None)
    """

    qualifier: Annotated[str, Elem("01")]
    """Reference identification qualifier: which identifier `value` is."""
    value: Annotated[str, Elem("02")]
    """Reference identification: the identifier itself."""
    description: Annotated[str | None, Elem("03")] = None
    """Description."""


class PayerReference(Reference):
    """A REF of an 837 service line (2400) or provider (2310x, 2330x, 2420x), with REF04: the other
    payer the identifier comes from, where the guide uses it (837P 2400 REF*G1 and REF*9F, the
    2420x REFs of 837P and 837I: `REF*G1*AUTH01**2U:PAYERB`). Elsewhere the checks refuse REF04.

    Example:
        >>> PayerReference(qualifier="G1", value="AUTH01", other_payer_id="PAYERB").other_payer_qualifier
        '2U'
    """

    other_payer_qualifier: Annotated[str | None, Elem("04-01")] = None
    """Reference identification qualifier of `other_payer_id`: 2U payer identification number
    (the default when an id is given)."""
    other_payer_id: Annotated[str | None, Elem("04-02")] = None
    """Other payer primary identifier: the 2330B NM109 of the payer the identifier is from."""

    @model_validator(mode="before")
    @classmethod
    def _from_reference(cls, data: Any) -> Any:
        # A plain `Reference` given where a line's or provider's REF goes (as before REF04 had
        # fields) is taken for the same REF.
        if isinstance(data, Reference) and not isinstance(data, PayerReference):
            return {name: getattr(data, name) for name in data.model_fields_set}
        return data

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> PayerReference:
        given = self.model_fields_set if keeps_nulls(info) else ()
        if (
            self.other_payer_id is not None
            and self.other_payer_qualifier is None
            and "other_payer_qualifier" not in given
        ):
            self.__dict__["other_payer_qualifier"] = "2U"
            add_to_fields_set(self, "other_payer_qualifier")
        return self


class Contact(SegmentModel):
    """A contact in a PER segment: its function (PER01), name and up to three numbers.

    Each number comes with its qualifier: `TE` telephone, `EM` e-mail, `FX` fax, `UR` web address,
    `EX` extension.

    Example:
        >>> Contact(function="BL", name="EDI DESK", qualifier_1="TE", number_1="8005551212").numbers
        {'TE': '8005551212'}
    """

    function: Annotated[str, Elem("01")]
    """Contact function code: IC information contact; 835 CX business, BL technical."""
    name: Annotated[str | None, Elem("02")] = None
    """Contact name."""
    qualifier_1: Annotated[str | None, Elem("03")] = None
    """Communication number qualifier of `number_1`: TE, EM, FX, UR, EX."""
    number_1: Annotated[str | None, Elem("04")] = None
    """Communication number (telephone, e-mail, fax, URL)."""
    qualifier_2: Annotated[str | None, Elem("05")] = None
    """Communication number qualifier of `number_2`."""
    number_2: Annotated[str | None, Elem("06")] = None
    """Communication number."""
    qualifier_3: Annotated[str | None, Elem("07")] = None
    """Communication number qualifier of `number_3`."""
    number_3: Annotated[str | None, Elem("08")] = None
    """Communication number."""

    @property
    def numbers(self) -> dict[str, str]:
        """The numbers by their qualifier (`{"TE": "8005551212", "EM": "edi@example.com"}`)."""
        pairs = (
            (self.qualifier_1, self.number_1),
            (self.qualifier_2, self.number_2),
            (self.qualifier_3, self.number_3),
        )
        return {q: n for q, n in pairs if q and n}
