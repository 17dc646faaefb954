"""Coordination of benefits on an 837 claim: prior payers (2320) with their subscriber (2330A), payer
(2330B) and provider ids (2330C-2330I), and what each paid and adjusted at claim level.

Line-level adjudication by a prior payer (2430) lives with the service line (`edi.models.claim_lines`).
Balancing (x12-notes §8.2): for each prior payer, CLM02 = AMT*D + Σ claim CAS + Σ that payer's 2430 CAS.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import ValidationInfo, model_validator

from edi.models.base import Child, Elem, Group, LoopModel, Money, Seg, SegMap
from edi.models.claim_parties import PROVIDER_LOOP_IDS, Provider, fill_defaults
from edi.models.common import Reference
from edi.models.remittance import Adjustment, InpatientAdjudication, OutpatientAdjudication


class OtherSubscriber(LoopModel, loop="2330A"):
    """2330A: the subscriber of the prior payer's coverage (NM1*IL, member id)."""

    entity_type: Annotated[str | None, Elem("NM102", qual="IL")] = None
    """Entity type qualifier: 1 person (default)."""
    last_name: Annotated[str, Elem("NM103", qual="IL")]
    """Other insured last name."""
    first_name: Annotated[str | None, Elem("NM104", qual="IL")] = None
    """Other insured first name."""
    middle_name: Annotated[str | None, Elem("NM105", qual="IL")] = None
    """Other insured middle name."""
    suffix: Annotated[str | None, Elem("NM107", qual="IL")] = None
    """Other insured name suffix."""
    id_qualifier: Annotated[str | None, Elem("NM108", qual="IL")] = None
    """Identification code qualifier: MI, II."""
    member_id: Annotated[str | None, Elem("NM109", qual="IL")] = None
    """Other insured identifier."""
    address_line_1: Annotated[str | None, Elem("N301")] = None
    """Other subscriber address line."""
    address_line_2: Annotated[str | None, Elem("N302")] = None
    """Other insured address line."""
    city: Annotated[str | None, Elem("N401")] = None
    """Other subscriber city name."""
    state: Annotated[str | None, Elem("N402")] = None
    """Other subscriber state or province code."""
    postal_code: Annotated[str | None, Elem("N403")] = None
    """Other subscriber postal zone or ZIP code."""
    country: Annotated[str | None, Elem("N404")] = None
    """Country code."""
    country_subdivision: Annotated[str | None, Elem("N407")] = None
    """Country subdivision code."""
    references: Annotated[list[Reference], Seg("REF")] = []
    """Other identifiers (REF), by qualifier: SY."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> OtherSubscriber:
        fill_defaults(self, info, entity_type="1", id_qualifier="MI" if self.member_id else None)
        return self


class OtherPayer(LoopModel, loop="2330B"):
    """2330B: the prior payer (NM1*PR). Its `id` is what every 2430 SVD01 of this payer repeats."""

    entity_type: Annotated[str | None, Elem("NM102", qual="PR")] = None
    """Entity type qualifier: 2 (the default)."""
    name: Annotated[str, Elem("NM103", qual="PR")]
    """Other payer organization name."""
    id_qualifier: Annotated[str | None, Elem("NM108", qual="PR")] = None
    """Identification code qualifier: PI, XV."""
    id: Annotated[str | None, Elem("NM109", qual="PR")] = None
    """Other payer primary identifier."""
    address_line_1: Annotated[str | None, Elem("N301")] = None
    """Other payer address line."""
    address_line_2: Annotated[str | None, Elem("N302")] = None
    """Other payer address line."""
    city: Annotated[str | None, Elem("N401")] = None
    """Other payer city name."""
    state: Annotated[str | None, Elem("N402")] = None
    """Other payer state or province code."""
    postal_code: Annotated[str | None, Elem("N403")] = None
    """Other payer postal zone or ZIP code."""
    country: Annotated[str | None, Elem("N404")] = None
    """Country code."""
    country_subdivision: Annotated[str | None, Elem("N407")] = None
    """Country subdivision code."""
    paid_date: Annotated[date | None, Elem("DTP03", qual="573", format="DTP02")] = None
    """Claim check or remittance date."""
    references: Annotated[list[Reference], Seg("REF")] = []
    """Other identifiers (REF), by qualifier: 2U, EI, FY, NF, G1, 9F, T4, G3."""
    # After `references`: the guides list REF*F8 last (837P map line 1170, 837I 1868, 837D 728).
    claim_control_number: Annotated[str | None, Elem("REF02", qual="F8")] = None
    """Other payer claim control number; its ICN (835 CLP07)."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> OtherPayer:
        fill_defaults(self, info, entity_type="2", id_qualifier="PI" if self.id else None)
        return self


class PriorPayer(LoopModel, loop="2320"):
    """2320: another payer of the claim (usually the one that already adjudicated it) and what it did.

    Built from that payer's 835 for a secondary claim (x12-notes §9.6): `adjustments` are its claim-level
    CAS, `paid` its CLP04, `other_payer.claim_control_number` its CLP07.
    """

    payer_responsibility: Annotated[str, Elem("SBR01")]
    """Payer responsibility sequence number code; that payer's sequence: P, S, T, A-H, U."""
    relationship: Annotated[str | None, Elem("SBR02")] = None
    """Individual relationship code; patient's relationship to its insured."""
    group_number: Annotated[str | None, Elem("SBR03")] = None
    """Insured group or policy number."""
    group_name: Annotated[str | None, Elem("SBR04")] = None
    """Other insured group name."""
    insurance_type: Annotated[str | None, Elem("SBR05")] = None
    """Insurance type code."""
    filing_indicator: Annotated[str | None, Elem("SBR09")] = None
    """Claim filing indicator code."""
    adjustments: Annotated[list[Adjustment], Group("CAS", start=2, size=3, count=6)] = []
    """Adjustments (CAS), one per reason: group, reason code, amount, quantity."""
    paid: Annotated[Money | None, Elem("AMT02", qual="D")] = None
    """Coordination of benefits (COB) payer paid amount."""
    non_covered: Annotated[Money | None, Elem("AMT02", qual="A8")] = None
    """Coordination of benefits (COB) total Non-Covered amount."""
    remaining_patient_liability: Annotated[Money | None, Elem("AMT02", qual="EAF")] = None
    """Remaining patient liability."""
    amounts: Annotated[dict[str, Money], SegMap("AMT")] = {}
    """Amounts by qualifier; other AMT qualifiers, as read."""
    benefits_assignment: Annotated[str | None, Elem("OI03")] = None
    """Benefits assignment certification indicator: Y, N, W."""
    patient_signature_source: Annotated[str | None, Elem("OI04")] = None
    """Patient signature source code: P."""
    release_of_information: Annotated[str | None, Elem("OI06")] = None
    """Release of information code: I, Y."""
    inpatient: Annotated[InpatientAdjudication | None, Seg("MIA")] = None
    """Inpatient adjudication information; 837I only."""
    outpatient: Annotated[OutpatientAdjudication | None, Seg("MOA")] = None
    """Outpatient adjudication information."""
    other_subscriber: Annotated[OtherSubscriber, Child("2330A")]
    """Other subscriber name."""
    other_payer: Annotated[OtherPayer, Child("2330B")]
    """Other payer name."""
    # 2330C-2330I, read under one ID: the loop follows from the claim kind and each provider's role.
    providers: Annotated[list[Provider], Child("2330", aliases=PROVIDER_LOOP_IDS["2330"])] = []
    """The prior payer's provider identifiers (2330C-2330I), by role."""

    @property
    def adjustment_total(self) -> Decimal:
        """Σ of the claim-level adjustment amounts (quantities never count)."""
        return sum((a.amount for a in self.adjustments), Decimal(0))


__all__ = ["OtherPayer", "OtherSubscriber", "PriorPayer"]
