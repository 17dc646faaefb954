"""Who a claim is from, about and for (837P/837I/837D): the parties of the HL hierarchy and the providers.

Each class maps one loop of the 005010 837 guides (x12-notes §2-§6). The HL loops and their name loops
are one model each, because a billing system thinks of "the billing provider", not of "loop 2000A plus
loop 2010AA": `BillingProvider` reads the segments of 2000A (PRV, CUR) and of 2010AA (NM1*85, N3, N4, REF,
PER) as one loop; the HL segment is computed by the writer (`edi.transactions.claim837`). The same holds
for `Subscriber` (2000B + 2010BA) and `Patient` (2000C + 2010CA). Which segment is in which of the two
loops is said once, by each model's `NameLoop`; the reader, the checks and the schema follow it.

`Provider` serves every provider loop of every guide (2310x, 2330C-2330I, 2420x): its `role` is the
entity identifier code (NM101), and the loop ID follows from the claim kind and the role
(`edi.codes.PROVIDER_LOOPS`).

Claims under one HL share the same party objects, so a file read and written back keeps its hierarchy.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, NamedTuple

from pydantic import PrivateAttr, ValidationInfo, model_validator

from edi import codes
from edi.loops import Loop
from edi.models.base import Child, Elem, LoopModel, Money, Seg, add_to_fields_set, keeps_nulls
from edi.models.common import Contact, PayerReference, Reference
from edi.x12.delimiters import Delimiters
from edi.x12.segment import Segment

# Default PRV01 (provider code) by role when a taxonomy is given without one: PE performing (rendering),
# AT attending, RF referring, AS assisting, BI billing.
_PROVIDER_CODES = {"82": "PE", "71": "AT", "DN": "RF", "P3": "RF", "DD": "AS", "85": "BI"}


def fill_defaults(model: Any, info: ValidationInfo | None, **values: Any) -> None:
    """Set fields that are None to the given values, without triggering assignment validation;
    but, validated with `KEEP_NULLS` in the context (claims JSON, `load_claims`), not one given
    as null: the JSON of a claim read from a file that left the element empty (`edi claims
    --format json` writes such a field as null) loads as that claim, empty where it was."""
    data = model.__dict__
    given = model.model_fields_set if keeps_nulls(info) else ()
    for name, value in values.items():
        if data.get(name) is None and value is not None and name not in given:
            data[name] = value
            add_to_fields_set(model, name)


# The parts of a name only a person has (X12 RFI 2155: NM104, NM105 and NM107 are not used when
# NM102 is 2, an organization), by field: `person_or` and the checks (`claim_checks`).
PERSON_NAME_PARTS = (("first_name", "NM104"), ("middle_name", "NM105"), ("suffix", "NM107"))


def person_or(model: Any, otherwise: str | None) -> str | None:
    """The entity type (NM102) a party's name tells: 1 (person) when it has a first or middle name
    or a suffix (`PERSON_NAME_PARTS`), which an organization has not; else `otherwise`."""
    named = (getattr(model, name, None) for name, _ in PERSON_NAME_PARTS)
    return "1" if any(named) else otherwise


class NameLoop(NamedTuple):
    """How a model of an HL loop and its name loop (module docstring) splits between the two, set as
    its `__x12_name_loop__`. The maps: 2000A holds HL, PRV, CUR; 2000B HL, SBR, PAT; 2000C HL, PAT."""

    loop_id: str
    """The name loop: 2010AA, 2010BA, 2010CA."""
    hl_segments: frozenset[str]
    """The segments of the HL loop itself besides HL; the model's others are in the name loop."""


def name_loop_of(model: type) -> NameLoop | None:
    """The name loop a model reads with its HL loop; None for a model of one loop."""
    return getattr(model, "__x12_name_loop__", None)


def in_loop(model: type, loop: str, seg_id: str) -> bool:
    """Whether `loop` holds the model's `seg_id` segments: for a model of an HL loop and its name
    loop, the one of the two that does; for any other model (or loop ""), True."""
    merged = name_loop_of(model)
    if merged is None:
        return True
    if loop == merged.loop_id:
        return seg_id not in merged.hl_segments
    return loop != getattr(model, "loop_id", "") or seg_id in merged.hl_segments


# -- header: submitter, receiver, BHT --------------------------------------------------------------------


class Submitter(LoopModel, loop="1000A"):
    """1000A: who sends the claims (NM1*41, id NM109 is the ETIN under NM108 = 46) and its EDI contact.

    Example:
        >>> Submitter(entity_type="2", name="EXAMPLE CLINIC", id="S1", contacts=[Contact(
        ...     function="IC", name="BILLING DESK", qualifier_1="TE", number_1="8005550199")]).id_qualifier
        '46'
    """

    entity_type: Annotated[str | None, Elem("NM102", qual="41")] = None
    """Entity type qualifier: 1 person (the default with a first or middle name), 2
    organization."""
    name: Annotated[str | None, Elem("NM103", qual="41")] = None
    """Submitter last or organization name."""
    first_name: Annotated[str | None, Elem("NM104", qual="41")] = None
    """Submitter first name."""
    middle_name: Annotated[str | None, Elem("NM105", qual="41")] = None
    """Submitter middle name."""
    id_qualifier: Annotated[str | None, Elem("NM108", qual="41")] = None
    """Identification code qualifier: 46 ETIN (the default with an id)."""
    id: Annotated[str | None, Elem("NM109", qual="41")] = None
    """Submitter identifier."""
    contacts: Annotated[list[Contact], Seg("PER")] = []
    """Contact information: the guides require one, PER01 IC (EDI contact)."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> Submitter:
        # 46 (ETIN) is the only NM108 of 1000A in the three guides (maps). NM102 is 1 or 2: given,
        # or a person's when the name has a first or middle name.
        fill_defaults(
            self, info, entity_type=person_or(self, None), id_qualifier="46" if self.id else None
        )
        return self


class Receiver(LoopModel, loop="1000B"):
    """1000B: who receives the claims (NM1*40, NM109 its id under NM108 = 46).

    Example:
        >>> receiver = Receiver(name="EXAMPLE HEALTH PLAN", id="EXAMPLEPAYER")
        >>> receiver.entity_type, receiver.id_qualifier
        ('2', '46')
    """

    entity_type: Annotated[str | None, Elem("NM102", qual="40")] = None
    """Entity type qualifier: 2 organization (the default, and the guides' only code)."""
    name: Annotated[str | None, Elem("NM103", qual="40")] = None
    """Receiver name."""
    id_qualifier: Annotated[str | None, Elem("NM108", qual="40")] = None
    """Identification code qualifier: 46 ETIN (the default with an id)."""
    id: Annotated[str | None, Elem("NM109", qual="40")] = None
    """Receiver primary identifier."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> Receiver:
        # The only NM102 and NM108 of 1000B in the three guides (maps): an organization, its ETIN.
        fill_defaults(self, info, entity_type="2", id_qualifier="46" if self.id else None)
        return self


class TransactionHeader(LoopModel, loop="ST"):
    """The head of an 837 transaction set: BHT, the submitter (1000A) and the receiver (1000B).

    All claims of one transaction set share it. ST and SE are computed by the writer.

    Example:
        >>> TransactionHeader(reference="BATCH1", date=dt.date(2024, 1, 15), time="0900",
        ...     submitter=Submitter(entity_type="2", name="EXAMPLE BILLING", id_qualifier="46", id="S1"),
        ...     receiver=Receiver(entity_type="2", name="EXAMPLE PAYER", id_qualifier="46", id="R1")).purpose
        '00'
    """

    __x12_computed__ = ("ST", "SE")

    structure: Annotated[str | None, Elem("BHT01")] = None
    """Hierarchical structure code; 0019 (the default)."""
    purpose: Annotated[str | None, Elem("BHT02")] = None
    """Transaction set purpose code: 00 original (the default), 18 reissue."""
    reference: Annotated[str, Elem("BHT03")]
    """Originator application transaction identifier; the originator's batch id."""
    date: Annotated[dt.date, Elem("BHT04")]
    """Transaction set creation date."""
    time: Annotated[str, Elem("BHT05")]
    """Transaction set creation time; HHMM[SS[dd]]."""
    claim_type: Annotated[str | None, Elem("BHT06")] = None
    """Claim or encounter identifier: CH chargeable (default), RP reporting."""
    submitter: Annotated[Submitter, Child("1000A")]
    """Submitter (1000A)."""
    receiver: Annotated[Receiver, Child("1000B")]
    """Receiver (1000B)."""

    # The delimiters the set was read with: write_837 uses them unless told otherwise.
    _delimiters: Delimiters | None = PrivateAttr(default=None)
    # What a set read had after its first billing provider loop and is no loop of its own (a
    # stray HL at its end): written back at the end of the set, before SE.
    _trailing: list[Segment | Loop] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> TransactionHeader:
        fill_defaults(self, info, structure="0019", purpose="00", claim_type="CH")
        return self

    def _kept_segments(self) -> list[Any]:
        return [*super()._kept_segments(), *self._trailing]


# -- 2000A / 2010AA billing provider, 2010AB / 2010AC pay-to --------------------------------------------


class PayToAddress(LoopModel, loop="2010AB"):
    """2010AB: where payments go when that is not the billing provider's address (NM1*87)."""

    entity_type: Annotated[str | None, Elem("NM102", qual="87")] = None
    """Entity type qualifier: 2 (the default)."""
    address_line_1: Annotated[str | None, Elem("N301")] = None
    """Pay-To address line."""
    address_line_2: Annotated[str | None, Elem("N302")] = None
    """Pay-To address line."""
    city: Annotated[str | None, Elem("N401")] = None
    """Pay-to address city name."""
    state: Annotated[str | None, Elem("N402")] = None
    """Pay-to address state code."""
    postal_code: Annotated[str | None, Elem("N403")] = None
    """Pay-to address postal zone or ZIP code."""
    country: Annotated[str | None, Elem("N404")] = None
    """Country code."""
    country_subdivision: Annotated[str | None, Elem("N407")] = None
    """Country subdivision code."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> PayToAddress:
        fill_defaults(self, info, entity_type="2")
        return self


class PayToPlan(LoopModel, loop="2010AC"):
    """2010AC: the health plan paid instead of the provider (subrogation), NM1*PE with its ids."""

    entity_type: Annotated[str | None, Elem("NM102", qual="PE")] = None
    """Entity type qualifier: 2 (the default)."""
    name: Annotated[str | None, Elem("NM103", qual="PE")] = None
    """Pay-To plan organizational name."""
    id_qualifier: Annotated[str | None, Elem("NM108", qual="PE")] = None
    """Identification code qualifier: PI payer id, XV plan id."""
    id: Annotated[str | None, Elem("NM109", qual="PE")] = None
    """Pay-To plan primary identifier."""
    address_line_1: Annotated[str | None, Elem("N301")] = None
    """Pay-To plan address line."""
    address_line_2: Annotated[str | None, Elem("N302")] = None
    """Pay-To plan address line."""
    city: Annotated[str | None, Elem("N401")] = None
    """Pay-To plan city name."""
    state: Annotated[str | None, Elem("N402")] = None
    """Pay-To plan state or province code."""
    postal_code: Annotated[str | None, Elem("N403")] = None
    """Pay-To plan postal zone or ZIP code."""
    country: Annotated[str | None, Elem("N404")] = None
    """Country code."""
    country_subdivision: Annotated[str | None, Elem("N407")] = None
    """Country subdivision code."""
    references: Annotated[list[Reference], Seg("REF")] = []
    """Other identifiers (REF), by qualifier: 2U, FY, NF."""
    # After `references`: the guides list REF*EI after REF*2U/FY/NF (837P map lines 212, 217; 837I
    # 207, 212; 837D 175, 180).
    tax_id: Annotated[str | None, Elem("REF02", qual="EI")] = None
    """Pay-To plan tax identification number."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> PayToPlan:
        fill_defaults(self, info, entity_type="2", id_qualifier="PI" if self.id else None)
        return self


class BillingProvider(LoopModel, loop="2000A"):
    """2000A + 2010AA: the billing provider (NPI, tax id, taxonomy, address), with its pay-to loops.

    Example:
        >>> bp = BillingProvider(name="EXAMPLE CLINIC", npi="1234567893", tax_id="123456789",
        ...     address_line_1="1 MAIN ST", city="SPRINGFIELD", state="IL", postal_code="627010000")
        >>> bp.entity_type, bp.id_qualifier, bp.tax_id_qualifier
        ('2', 'XX', 'EI')
    """

    __x12_computed__ = ("HL",)
    __x12_name_loop__ = NameLoop("2010AA", frozenset({"PRV", "CUR"}))

    taxonomy_qualifier: Annotated[str | None, Elem("PRV02", qual="BI")] = None
    """Reference identification qualifier: PXC."""
    taxonomy: Annotated[str | None, Elem("PRV03", qual="BI")] = None
    """Provider taxonomy code."""
    currency: Annotated[str | None, Elem("CUR02", qual="85")] = None
    """Currency code."""
    entity_type: Annotated[str | None, Elem("NM102", qual="85")] = None
    """Entity type qualifier: 1 person (the default with a first or middle name or a suffix), 2
    organization (the default otherwise)."""
    name: Annotated[str, Elem("NM103", qual="85")]
    """Billing provider last or organizational name; last name, or the organization's name."""
    first_name: Annotated[str | None, Elem("NM104", qual="85")] = None
    """Billing provider first name."""
    middle_name: Annotated[str | None, Elem("NM105", qual="85")] = None
    """Billing provider middle name or initial."""
    suffix: Annotated[str | None, Elem("NM107", qual="85")] = None
    """Billing provider name suffix."""
    id_qualifier: Annotated[str | None, Elem("NM108", qual="85")] = None
    """Identification code qualifier: XX: NPI."""
    npi: Annotated[str | None, Elem("NM109", qual="85")] = None
    """Billing provider identifier: the NPI under XX."""
    address_line_1: Annotated[str | None, Elem("N301")] = None
    """Billing provider address line."""
    address_line_2: Annotated[str | None, Elem("N302")] = None
    """Billing provider address line."""
    city: Annotated[str | None, Elem("N401")] = None
    """Billing provider city name."""
    state: Annotated[str | None, Elem("N402")] = None
    """Billing provider state or province code."""
    postal_code: Annotated[str | None, Elem("N403")] = None
    """Billing provider postal zone or ZIP code."""
    country: Annotated[str | None, Elem("N404")] = None
    """Country code."""
    country_subdivision: Annotated[str | None, Elem("N407")] = None
    """Country subdivision code."""
    tax_id_qualifier: Annotated[str | None, Elem("REF01", qual=("EI", "SY"))] = None
    """Reference identification qualifier: EI employer's identification number, SY social security
    number.
    """
    tax_id: Annotated[str | None, Elem("REF02", qual=("EI", "SY"))] = None
    """Billing provider tax identification number."""
    references: Annotated[list[Reference], Seg("REF")] = []
    """Secondary identifiers (REF): 0B state license, 1G UPIN."""
    contacts: Annotated[list[Contact], Seg("PER")] = []
    """Billing provider contact information."""
    pay_to_address: Annotated[PayToAddress | None, Child("2010AB")] = None
    """Pay-to address (2010AB), when payments go elsewhere than the billing provider's address."""
    pay_to_plan: Annotated[PayToPlan | None, Child("2010AC")] = None
    """Pay-to plan (2010AC)."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> BillingProvider:
        fill_defaults(
            self,
            info,
            entity_type=person_or(self, "2"),
            id_qualifier="XX" if self.npi else None,
            tax_id_qualifier="EI" if self.tax_id else None,
            taxonomy_qualifier="PXC" if self.taxonomy else None,
        )
        return self


# -- 2000B / 2010BA subscriber, 2010BB payer, 2000C / 2010CA patient -------------------------------------


class Subscriber(LoopModel, loop="2000B"):
    """2000B + 2010BA: the insured person, their coverage with this payer (SBR) and member id.

    When the subscriber is the patient (`relationship` SBR02 = "18"), the claim has no `patient`, and the
    PAT fields here may carry the death date, weight and pregnancy indicator (837P).
    """

    __x12_computed__ = ("HL",)
    __x12_name_loop__ = NameLoop("2010BA", frozenset({"SBR", "PAT"}))

    payer_responsibility: Annotated[str | None, Elem("SBR01")] = None
    """Payer responsibility sequence number code: P primary, S, T, A-H, U."""
    relationship: Annotated[str | None, Elem("SBR02")] = None
    """Individual relationship code: 18: the subscriber is the patient."""
    group_number: Annotated[str | None, Elem("SBR03")] = None
    """Subscriber group or policy number."""
    group_name: Annotated[str | None, Elem("SBR04")] = None
    """Subscriber group name."""
    insurance_type: Annotated[str | None, Elem("SBR05")] = None
    """Insurance type code: why Medicare is not the primary payer (12 working aged, 43 disabled,
    ...). 837P only (the 837I and 837D maps: SBR05 NOT USED), for a payer after the first that is
    Medicare (SBR09 MA or MB), where it is required; never for the primary payer."""
    coordination_of_benefits: Annotated[str | None, Elem("SBR06")] = None
    """Coordination of benefits code. Not used by the three 837 guides (their maps: SBR06 NOT
    USED): kept as read, but a claim that gives one is refused by the checks and `write_837`."""
    employment_status: Annotated[str | None, Elem("SBR08")] = None
    """Employment status code. Not used by the three 837 guides (their maps: SBR08 NOT USED):
    kept as read, but a claim that gives one is refused by the checks and `write_837`."""
    filing_indicator: Annotated[str | None, Elem("SBR09")] = None
    """Claim filing indicator code: CI commercial, MB Medicare B, ..."""
    death_date: Annotated[dt.date | None, Elem("PAT06", format="PAT05")] = None
    """Patient death date."""
    weight_unit: Annotated[str | None, Elem("PAT07")] = None
    """Unit or basis for measurement code: 01 pounds."""
    weight: Annotated[Money | None, Elem("PAT08")] = None
    """Patient weight."""
    pregnant: Annotated[str | None, Elem("PAT09")] = None
    """Pregnancy indicator: Y."""
    entity_type: Annotated[str | None, Elem("NM102", qual="IL")] = None
    """Entity type qualifier: 1 person (default), 2."""
    last_name: Annotated[str, Elem("NM103", qual="IL")]
    """Subscriber last name; or the organization's name."""
    first_name: Annotated[str | None, Elem("NM104", qual="IL")] = None
    """Subscriber first name."""
    middle_name: Annotated[str | None, Elem("NM105", qual="IL")] = None
    """Subscriber middle name or initial."""
    suffix: Annotated[str | None, Elem("NM107", qual="IL")] = None
    """Subscriber name suffix."""
    id_qualifier: Annotated[str | None, Elem("NM108", qual="IL")] = None
    """Identification code qualifier: MI member id, II."""
    member_id: Annotated[str | None, Elem("NM109", qual="IL")] = None
    """Subscriber primary identifier."""
    address_line_1: Annotated[str | None, Elem("N301")] = None
    """Subscriber address line."""
    address_line_2: Annotated[str | None, Elem("N302")] = None
    """Subscriber address line."""
    city: Annotated[str | None, Elem("N401")] = None
    """Subscriber city name."""
    state: Annotated[str | None, Elem("N402")] = None
    """Subscriber state code."""
    postal_code: Annotated[str | None, Elem("N403")] = None
    """Subscriber postal zone or ZIP code."""
    country: Annotated[str | None, Elem("N404")] = None
    """Country code."""
    country_subdivision: Annotated[str | None, Elem("N407")] = None
    """Country subdivision code."""
    birth_date: Annotated[dt.date | None, Elem("DMG02", format="DMG01")] = None
    """Subscriber birth date."""
    gender: Annotated[str | None, Elem("DMG03")] = None
    """Subscriber gender code: F, M, U."""
    references: Annotated[list[Reference], Seg("REF")] = []
    """Secondary identifiers (REF): SY SSN, Y4 property and casualty claim number."""
    contacts: Annotated[list[Contact], Seg("PER")] = []
    """Property and casualty subscriber contact information."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> Subscriber:
        fill_defaults(self, info, entity_type="1", id_qualifier="MI" if self.member_id else None)
        return self

    @property
    def is_patient(self) -> bool:
        """SBR02 = 18: the subscriber is the patient (the claims sit directly under 2000B)."""
        return self.relationship == "18"


class ClaimPayer(LoopModel, loop="2010BB"):
    """2010BB: the payer the claim is sent to (NM1*PR; NM109 the payer id under NM108 = PI, or XV)."""

    entity_type: Annotated[str | None, Elem("NM102", qual="PR")] = None
    """Entity type qualifier: 2 (the default)."""
    name: Annotated[str, Elem("NM103", qual="PR")]
    """Payer name."""
    id_qualifier: Annotated[str | None, Elem("NM108", qual="PR")] = None
    """Identification code qualifier."""
    id: Annotated[str | None, Elem("NM109", qual="PR")] = None
    """Payer identifier."""
    address_line_1: Annotated[str | None, Elem("N301")] = None
    """Payer address line."""
    address_line_2: Annotated[str | None, Elem("N302")] = None
    """Payer address line."""
    city: Annotated[str | None, Elem("N401")] = None
    """Payer city name."""
    state: Annotated[str | None, Elem("N402")] = None
    """Payer state or province code."""
    postal_code: Annotated[str | None, Elem("N403")] = None
    """Payer postal zone or ZIP code."""
    country: Annotated[str | None, Elem("N404")] = None
    """Country code."""
    country_subdivision: Annotated[str | None, Elem("N407")] = None
    """Country subdivision code."""
    references: Annotated[list[Reference], Seg("REF")] = []
    """Other identifiers (REF), by qualifier: 2U, EI, FY, NF; G2, LU."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> ClaimPayer:
        fill_defaults(self, info, entity_type="2", id_qualifier="PI" if self.id else None)
        return self


class Patient(LoopModel, loop="2000C"):
    """2000C + 2010CA: the patient when not the subscriber, with the relationship to them (PAT01)."""

    __x12_computed__ = ("HL",)
    __x12_name_loop__ = NameLoop("2010CA", frozenset({"PAT"}))

    relationship: Annotated[str, Elem("PAT01")]
    """Individual relationship code: 01 spouse, 19 child, 20 employee, 21 unknown, 39 organ
    donor, 40 cadaver donor, 53 life partner, G8 other relationship (the maps' list)."""
    death_date: Annotated[dt.date | None, Elem("PAT06", format="PAT05")] = None
    """Patient death date."""
    weight_unit: Annotated[str | None, Elem("PAT07")] = None
    """Unit or basis for measurement code: 01 pounds."""
    weight: Annotated[Money | None, Elem("PAT08")] = None
    """Patient weight."""
    pregnant: Annotated[str | None, Elem("PAT09")] = None
    """Pregnancy indicator: Y."""
    entity_type: Annotated[str | None, Elem("NM102", qual="QC")] = None
    """Entity type qualifier: 1 (the default)."""
    last_name: Annotated[str, Elem("NM103", qual="QC")]
    """Patient last name."""
    first_name: Annotated[str | None, Elem("NM104", qual="QC")] = None
    """Patient first name."""
    middle_name: Annotated[str | None, Elem("NM105", qual="QC")] = None
    """Patient middle name or initial."""
    suffix: Annotated[str | None, Elem("NM107", qual="QC")] = None
    """Patient name suffix."""
    address_line_1: Annotated[str | None, Elem("N301")] = None
    """Patient address line."""
    address_line_2: Annotated[str | None, Elem("N302")] = None
    """Patient address line."""
    city: Annotated[str | None, Elem("N401")] = None
    """Patient city name."""
    state: Annotated[str | None, Elem("N402")] = None
    """Patient state code."""
    postal_code: Annotated[str | None, Elem("N403")] = None
    """Patient postal zone or ZIP code."""
    country: Annotated[str | None, Elem("N404")] = None
    """Country code."""
    country_subdivision: Annotated[str | None, Elem("N407")] = None
    """Country subdivision code."""
    birth_date: Annotated[dt.date | None, Elem("DMG02", format="DMG01")] = None
    """Patient birth date."""
    gender: Annotated[str | None, Elem("DMG03")] = None
    """Patient gender code: F, M, U."""
    references: Annotated[list[Reference], Seg("REF")] = []
    """Identifiers (REF): Y4 property and casualty claim number, 1W, SY."""
    contacts: Annotated[list[Contact], Seg("PER")] = []
    """Property and casualty patient contact information."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> Patient:
        fill_defaults(self, info, entity_type="1")
        return self


# -- providers of the claim, of a prior payer and of a line ----------------------------------------------

# The lettered loops each provider field reads, in every guide (`Child.aliases`): 2310A-2310F under
# "2310", 2330C-2330I under "2330", 2420A-2420H under "2420".
PROVIDER_LOOP_IDS: dict[str, tuple[str, ...]] = {
    base: tuple(
        sorted({loop for kind in codes.PROVIDER_LOOPS.values() for loop in kind[base].values()})
    )
    for base in ("2310", "2330", "2420")
}


class Provider(LoopModel, loop="2310"):
    """A provider named on a claim, a prior payer's record or a line, by role (NM101).

    Roles: DN referring, P3 primary care, 82 rendering, 77 service facility, DQ supervising, 71 attending,
    72 operating, ZZ other operating, DD assistant surgeon, PW ambulance pick-up, 45 ambulance drop-off,
    QB purchased service, DK ordering, 85 billing (prior payer's id of the billing provider).
    The loop (2310B in 837P, 2310D in 837I, ...) follows from the claim kind and the role; `read_at`
    names the loop it was read in (2310B, 2330D, 2420A ...).

    Example:
        >>> p = Provider(role="82", entity_type="1", name="DOE", first_name="JANE", id="1234567893",
        ...              taxonomy="207Q00000X")
        >>> p.npi, p.id_qualifier, p.specialty_code, p.taxonomy_qualifier
        ('1234567893', 'XX', 'PE', 'PXC')
    """

    role: Annotated[str, Elem("NM101")]
    """Entity identifier code: the provider's role (82 rendering, 71 attending, DN referring, 77
    service facility, ...).
    """
    entity_type: Annotated[str | None, Elem("NM102")] = None
    """Entity type qualifier: 1 person (the default with a first or middle name or a suffix), 2
    organization (the default for a facility, 77, and an ambulance location, PW and 45)."""
    name: Annotated[str | None, Elem("NM103")] = None
    """Last name, or the organization's name."""
    first_name: Annotated[str | None, Elem("NM104")] = None
    """First name."""
    middle_name: Annotated[str | None, Elem("NM105")] = None
    """Middle name or initial."""
    suffix: Annotated[str | None, Elem("NM107")] = None
    """Name suffix."""
    id_qualifier: Annotated[str | None, Elem("NM108")] = None
    """Identification code qualifier: XX NPI."""
    id: Annotated[str | None, Elem("NM109")] = None
    """Provider identifier (the NPI under XX)."""
    specialty_code: Annotated[str | None, Elem("PRV01")] = None
    """Provider code: PE performing, AT attending, RF referring, AS assisting, ..."""
    taxonomy_qualifier: Annotated[str | None, Elem("PRV02")] = None
    """Reference identification qualifier: PXC health care provider taxonomy."""
    taxonomy: Annotated[str | None, Elem("PRV03")] = None
    """Provider taxonomy code."""
    address_line_1: Annotated[str | None, Elem("N301")] = None
    """Address line."""
    address_line_2: Annotated[str | None, Elem("N302")] = None
    """Second address line."""
    city: Annotated[str | None, Elem("N401")] = None
    """City name."""
    state: Annotated[str | None, Elem("N402")] = None
    """State or province code."""
    postal_code: Annotated[str | None, Elem("N403")] = None
    """Postal zone or ZIP code."""
    country: Annotated[str | None, Elem("N404")] = None
    """Country code."""
    country_subdivision: Annotated[str | None, Elem("N407")] = None
    """Country subdivision code."""
    references: Annotated[list[PayerReference], Seg("REF")] = []
    """Secondary identifiers (REF), by qualifier: 0B, 1G, G2, LU; REF04, the other payer it
    is from (the 2420x REFs), in `other_payer_id`."""
    contacts: Annotated[list[Contact], Seg("PER")] = []
    """Contact information."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> Provider:
        fill_defaults(
            self,
            info,
            # A facility (77) and the ambulance pick-up / drop-off locations (PW, 45) are always
            # organizations: NM102 is "2" only, in every guide that has them (maps). Another is a
            # person when its name has a first or middle name or a suffix.
            entity_type="2" if self.role in ("77", "PW", "45") else person_or(self, None),
            id_qualifier="XX" if self.id and self.role not in ("PW", "45") else None,
            specialty_code=_PROVIDER_CODES.get(self.role, "PE") if self.taxonomy else None,
            taxonomy_qualifier="PXC" if self.taxonomy else None,
        )
        return self

    @property
    def npi(self) -> str | None:
        """NM109 when NM108 says it is an NPI (XX)."""
        return self.id if self.id_qualifier == "XX" else None


__all__ = [
    "BillingProvider",
    "ClaimPayer",
    "Patient",
    "PayToAddress",
    "PayToPlan",
    "Provider",
    "Receiver",
    "Submitter",
    "Subscriber",
    "TransactionHeader",
]
