"""Service lines of an 837 claim (2400) and what hangs off them: the service itself (SV1 professional, SV2
institutional, SV3 dental with its TOO teeth), the 837P line details (SV5 durable medical equipment, MEA
test results, PS1 purchased service), drug (2410), line providers (2420x), prior payers' line
adjudication (2430) and forms (2440).

A line has exactly one of `professional`, `institutional`, `dental`, matching the claim kind; the
convenience properties (`procedure_code`, `charge`, `units`, ...) read whichever it has. LX01 (the line
number) is computed by the writer: lines are numbered 1, 2, 3 in list order.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import ValidationInfo, model_validator

from edi.models.base import (
    Child,
    Elem,
    Elems,
    Group,
    LoopModel,
    Money,
    Period,
    Seg,
    SegMap,
    SegmentModel,
)
from edi.models.claim_parties import PROVIDER_LOOP_IDS, Provider, fill_defaults
from edi.models.claim_segments import (
    AmbulanceTransport,
    Attachment,
    ConditionIndicator,
    Contract,
    DateTimeRef,
    EquipmentCertification,
    FileInformation,
    Note,
    Repricing,
)
from edi.models.common import PayerReference
from edi.models.remittance import Adjustment

# -- the service segments ------------------------------------------------------------------------------


class ProfessionalService(SegmentModel):
    """SV1 (837P): procedure, charge, units and the diagnoses the line points at (SV107, 1-based)."""

    qualifier: Annotated[str, Elem("01-01")]
    """Product or service ID qualifier: HC HCPCS/CPT, ER, IV, WK."""
    # None only when SV101 could not be split (its separator is not ISA16; a diagnostic says so).
    code: Annotated[str | None, Elem("01-02")] = None
    """Procedure code."""
    modifiers: Annotated[list[str], Elems("01-03", "01-04", "01-05", "01-06")] = []
    """Procedure modifiers."""
    description: Annotated[str | None, Elem("01-07")] = None
    """Procedure description."""
    charge: Annotated[Money, Elem("02")]
    """Line item charge amount."""
    unit: Annotated[str | None, Elem("03")] = None
    """Unit or basis for measurement code: UN units, MJ minutes."""
    quantity: Annotated[Money | None, Elem("04")] = None
    """Service unit count."""
    place_of_service: Annotated[str | None, Elem("05")] = None
    """Place of service code; when not the claim's."""
    diagnosis_pointers: Annotated[list[int], Elems("07-01", "07-02", "07-03", "07-04")] = []
    """Diagnosis code pointers: 1-based positions in the claim's diagnosis codes."""
    emergency: Annotated[str | None, Elem("09")] = None
    """Emergency indicator: Y."""
    epsdt: Annotated[str | None, Elem("11")] = None
    """EPSDT indicator: Y."""
    family_planning: Annotated[str | None, Elem("12")] = None
    """Family planning indicator: Y."""
    copay_status: Annotated[str | None, Elem("15")] = None
    """Co-Pay status code: 0: exempt."""


class InstitutionalService(SegmentModel):
    """SV2 (837I): revenue code, procedure (optional), charge and units; no diagnosis pointers."""

    revenue_code: Annotated[str, Elem("01")]
    """Service line revenue code; NUBC, 4 digits."""
    qualifier: Annotated[str | None, Elem("02-01")] = None
    """Product or service ID qualifier: HC, HP (HIPPS), ER, IV, WK."""
    code: Annotated[str | None, Elem("02-02")] = None
    """Procedure code."""
    modifiers: Annotated[list[str], Elems("02-03", "02-04", "02-05", "02-06")] = []
    """Procedure modifiers."""
    description: Annotated[str | None, Elem("02-07")] = None
    """Procedure description."""
    charge: Annotated[Money, Elem("03")]
    """Line item charge amount."""
    unit: Annotated[str | None, Elem("04")] = None
    """Unit or basis for measurement code: UN units, DA days."""
    quantity: Annotated[Money | None, Elem("05")] = None
    """Service unit count."""
    unit_rate: Annotated[Money | None, Elem("06")] = None
    """Service unit rate. Not used by the 837I guide (its map: SV206 NOT USED): kept as read, but
    a claim that gives one is refused by the checks and `write_837`."""
    non_covered_charge: Annotated[Money | None, Elem("07")] = None
    """Line item denied charge or Non-Covered charge amount."""


class DentalService(SegmentModel):
    """SV3 (837D): CDT procedure (AD), charge, oral cavity areas, prosthesis code and procedure count."""

    qualifier: Annotated[str, Elem("01-01")]
    """Product/Service ID qualifier: AD: ADA CDT."""
    code: Annotated[str | None, Elem("01-02")] = None
    """Product/Service ID."""
    modifiers: Annotated[list[str], Elems("01-03", "01-04", "01-05", "01-06")] = []
    """Procedure modifiers."""
    description: Annotated[str | None, Elem("01-07")] = None
    """Procedure description."""
    charge: Annotated[Money, Elem("02")]
    """Line item charge amount."""
    place_of_service: Annotated[str | None, Elem("03")] = None
    """Place of service code, when not the claim's."""
    oral_cavity_areas: Annotated[list[str], Elems("04-01", "04-02", "04-03", "04-04", "04-05")] = []
    """Oral cavity designation codes."""
    prosthesis: Annotated[str | None, Elem("05")] = None
    """Prosthesis, crown or inlay code: I initial, R replacement."""
    quantity: Annotated[Money | None, Elem("06")] = None
    """Quantity; procedure count."""
    diagnosis_pointers: Annotated[list[int], Elems("11-01", "11-02", "11-03", "11-04")] = []
    """Diagnosis code pointers: 1-based positions in the claim's diagnosis codes."""


class Tooth(SegmentModel):
    """TOO: one tooth a dental line treats (JP: universal numbering 1-32, A-T) and its surfaces."""

    qualifier: Annotated[str | None, Elem("01")] = None
    """Code list qualifier code: JP universal national tooth designation (the default)."""
    number: Annotated[str | None, Elem("02")] = None
    """Tooth number."""
    surfaces: Annotated[list[str], Elems("03-01", "03-02", "03-03", "03-04", "03-05")] = []
    """Tooth surface codes."""

    # Filled when made, not read: a TOO read with its TOO01 empty is written back so (a default
    # of the field was read into it and written as JP).
    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> Tooth:
        fill_defaults(self, info, qualifier="JP")
        return self


class EquipmentService(SegmentModel):
    """SV5 (837P): a durable medical equipment line's rental and purchase prices (its SV1 bills it).

    Example:
        >>> EquipmentService(qualifier="HC", code="E0601", days="30", rental_price="120",
        ...     purchase_price="999", rental_frequency="4").unit
        'DA'
    """

    qualifier: Annotated[str, Elem("01-01")]
    """Procedure identifier: HC."""
    code: Annotated[str | None, Elem("01-02")] = None
    """Procedure code; the SV101 procedure code."""
    unit: Annotated[str | None, Elem("02")] = None
    """Unit or basis for measurement code: DA days."""
    days: Annotated[Money, Elem("03")]
    """Length of medical necessity, in days."""
    # The guide requires both prices and the frequency; X12's own syntax only one price (R0405), and
    # the frequency with the rental price (C0604). Files that send less still read.
    rental_price: Annotated[Money | None, Elem("04")] = None
    """DME rental price."""
    purchase_price: Annotated[Money | None, Elem("05")] = None
    """DME purchase price."""
    rental_frequency: Annotated[str | None, Elem("06")] = None
    """Rental unit price indicator: 1 weekly, 4 monthly, 6 daily."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> EquipmentService:
        fill_defaults(self, info, unit="DA")
        return self


class TestResult(SegmentModel):
    """MEA (837P line): a test result (hemoglobin, hematocrit, creatinine, height)."""

    __test__ = False  # not a pytest test class, despite its name

    reference: Annotated[str, Elem("01")]
    """Measurement reference identification code: OG original starting dosage, TR test results."""
    qualifier: Annotated[str, Elem("02")]
    """Measurement qualifier: HT height, R1 hemoglobin, R2 hematocrit, R3 epoetin, R4."""
    value: Annotated[Money, Elem("03")]
    """Test results."""


class PurchasedService(SegmentModel):
    """PS1 (837P line): a service bought from another provider, and what it cost."""

    provider_id: Annotated[str, Elem("01")]
    """Purchased service provider identifier."""
    charge: Annotated[Money, Elem("02")]
    """Purchased service charge amount."""


# -- 2410, 2430, 2440 ------------------------------------------------------------------------------------


class Drug(LoopModel, loop="2410"):
    """2410: the drug given on the line (LIN, N4 = 11-digit NDC) and its quantity (CTP)."""

    qualifier: Annotated[str, Elem("LIN02")]
    """Product or service ID qualifier: N4."""
    code: Annotated[str, Elem("LIN03")]
    """National drug code or universal product number."""
    quantity: Annotated[Money | None, Elem("CTP04")] = None
    """National drug unit count."""
    unit: Annotated[str | None, Elem("CTP05-01")] = None
    """Code qualifier: F2, GR, ME, ML, UN."""
    prescription_type: Annotated[str | None, Elem("REF01", qual=("VY", "XZ"))] = None
    """Reference identification qualifier: VY link sequence number, XZ pharmacy prescription number.
    """
    prescription_number: Annotated[str | None, Elem("REF02", qual=("VY", "XZ"))] = None
    """Prescription or compound drug association number."""


class LineAdjudication(LoopModel, loop="2430"):
    """2430: how a prior payer adjudicated this line (from its 835 2110, x12-notes §9.6).

    Balances per prior payer as: line charge = `paid` + Σ adjustment amounts (x12-notes §8.2 rule 2).
    `payer_id` is the 2330B NM109 of the prior payer it belongs to.
    """

    payer_id: Annotated[str, Elem("SVD01")]
    """Other payer primary identifier."""
    paid: Annotated[Money, Elem("SVD02")]
    """Service line paid amount."""
    qualifier: Annotated[str | None, Elem("SVD03-01")] = None
    """Product or service ID qualifier."""
    code: Annotated[str | None, Elem("SVD03-02")] = None
    """Procedure code."""
    modifiers: Annotated[list[str], Elems("SVD03-03", "SVD03-04", "SVD03-05", "SVD03-06")] = []
    """Procedure modifiers."""
    description: Annotated[str | None, Elem("SVD03-07")] = None
    """Procedure code description."""
    revenue_code: Annotated[str | None, Elem("SVD04")] = None
    """Service line revenue code; 837I: the line's revenue code."""
    units: Annotated[Money | None, Elem("SVD05")] = None
    """Paid service unit count."""
    bundled_line: Annotated[int | None, Elem("SVD06")] = None
    """Bundled or unbundled line number."""
    adjustments: Annotated[list[Adjustment], Group("CAS", start=2, size=3, count=6)] = []
    """Adjustments (CAS), one per reason: group, reason code, amount, quantity."""
    paid_date: Annotated[dt.date | None, Elem("DTP03", qual="573", format="DTP02")] = None
    """Line check or remittance date."""
    remaining_patient_liability: Annotated[Money | None, Elem("AMT02", qual="EAF")] = None
    """Remaining patient liability."""

    @property
    def adjustment_total(self) -> Decimal:
        """Σ of the line adjustment amounts."""
        return sum((a.amount for a in self.adjustments), Decimal(0))


class FormAnswer(SegmentModel):
    """FRM: the answer to one question of a supporting form."""

    question: Annotated[str, Elem("01")]
    """Question number or letter."""
    answer: Annotated[str | None, Elem("02")] = None
    """Question response: Y, N, W."""
    text: Annotated[str | None, Elem("03")] = None
    """Question response, as text."""
    date: Annotated[dt.date | None, Elem("04")] = None
    """Question response, as a date."""
    percent: Annotated[Money | None, Elem("05")] = None
    """Question response, as a percent."""


class Form(LoopModel, loop="2440"):
    """2440 (837P): a supporting form (LQ: AS form type, UT DME information form) and its answers."""

    qualifier: Annotated[str, Elem("LQ01")]
    """Code list qualifier code."""
    form_id: Annotated[str, Elem("LQ02")]
    """Form identifier."""
    answers: Annotated[list[FormAnswer], Seg("FRM")] = []
    """Supporting documentation."""


# -- 2400 -------------------------------------------------------------------------------------------------


class ServiceLine(LoopModel, loop="2400"):
    """2400: one service line.

    Example:
        >>> line = ServiceLine(professional=ProfessionalService(qualifier="HC", code="99213",
        ...     charge="100", unit="UN", quantity="1", diagnosis_pointers=[1]), control_number="L1")
        >>> line.procedure_code, line.charge, line.units, line.diagnosis_pointers
        ('99213', Decimal('100'), Decimal('1'), [1])
    """

    __x12_computed__ = ("LX",)

    professional: Annotated[ProfessionalService | None, Seg("SV1")] = None
    """Professional service."""
    institutional: Annotated[InstitutionalService | None, Seg("SV2")] = None
    """Institutional service line."""
    dental: Annotated[DentalService | None, Seg("SV3")] = None
    """Dental service."""
    teeth: Annotated[list[Tooth], Seg("TOO")] = []
    """Tooth information."""
    equipment: Annotated[EquipmentService | None, Seg("SV5")] = None
    """Durable medical equipment service."""
    attachments: Annotated[list[Attachment], Seg("PWK")] = []
    """Line supplemental information."""
    ambulance: Annotated[AmbulanceTransport | None, Seg("CR1")] = None
    """Ambulance transport information."""
    equipment_certification: Annotated[EquipmentCertification | None, Seg("CR3")] = None
    """Durable medical equipment certification."""
    conditions: Annotated[list[ConditionIndicator], Seg("CRC")] = []
    """Ambulance certification: 07 ambulance, 70, 09 DME."""
    service_date: Annotated[Period | None, Elem("DTP03", qual="472", format="DTP02")] = None
    """Date - service date."""
    prescription_date: Annotated[Period | None, Elem("DTP03", qual="471", format="DTP02")] = None
    """Date - prescription date."""
    prior_placement_date: Annotated[Period | None, Elem("DTP03", qual="441", format="DTP02")] = None
    """Prior placement date (837D)."""
    appliance_placement_date: Annotated[
        Period | None, Elem("DTP03", qual="452", format="DTP02")
    ] = None
    """Appliance placement date (837D)."""
    replacement_date: Annotated[Period | None, Elem("DTP03", qual="446", format="DTP02")] = None
    """Replacement date (837D)."""
    treatment_start_date: Annotated[Period | None, Elem("DTP03", qual="196", format="DTP02")] = None
    """Treatment start date (837D)."""
    treatment_completion_date: Annotated[
        Period | None, Elem("DTP03", qual="198", format="DTP02")
    ] = None
    """Treatment completion date (837D)."""
    other_dates: Annotated[list[DateTimeRef], Seg("DTP")] = []
    """Dates without a field of their own (DTP)."""
    quantities: Annotated[dict[str, Money], SegMap("QTY")] = {}
    """Quantities by qualifier: PT ambulance patients, FL units."""
    test_results: Annotated[list[TestResult], Seg("MEA")] = []
    """Test result."""
    contract: Annotated[Contract | None, Seg("CN1")] = None
    """Contract information."""
    control_number: Annotated[str | None, Elem("REF02", qual="6R")] = None
    """Line item control number; echoed in 835 REF*6R."""
    references: Annotated[list[PayerReference], Seg("REF")] = []
    """Other identifiers (REF), by qualifier: G1, 9F, 9B, 9D, G3, X4, ...; REF04, the other payer
    it is from (837P REF*G1, REF*9F), in `other_payer_id`."""
    amounts: Annotated[dict[str, Money], SegMap("AMT")] = {}
    """Amounts by qualifier: T / GT sales tax, F4 postage, N8."""
    file_information: Annotated[list[FileInformation], Seg("K3")] = []
    """File information."""
    notes: Annotated[list[Note], Seg("NTE")] = []
    """Line note."""
    purchased_service: Annotated[PurchasedService | None, Seg("PS1")] = None
    """Purchased service information."""
    repricing: Annotated[Repricing | None, Seg("HCP")] = None
    """Line Pricing/Repricing information."""
    drug: Annotated[Drug | None, Child("2410")] = None
    """Drug identification."""
    # 2420A-2420H, read under one ID: the loop follows from the claim kind and each provider's role.
    providers: Annotated[list[Provider], Child("2420", aliases=PROVIDER_LOOP_IDS["2420"])] = []
    """Line-level providers (2420A-2420H), by role."""
    adjudications: Annotated[list[LineAdjudication], Child("2430")] = []
    """Prior payers' adjudication of the line (2430)."""
    forms: Annotated[list[Form], Child("2440")] = []
    """Form identification code."""

    @property
    def service(self) -> ProfessionalService | InstitutionalService | DentalService | None:
        """The line's service segment, whichever of SV1, SV2, SV3 it has."""
        return self.professional or self.institutional or self.dental

    @property
    def procedure_qualifier(self) -> str | None:
        service = self.service
        return service.qualifier if service is not None else None

    @property
    def procedure_code(self) -> str | None:
        service = self.service
        return service.code if service is not None else None

    @property
    def modifiers(self) -> list[str]:
        service = self.service
        return list(service.modifiers) if service is not None else []

    @property
    def charge(self) -> Decimal:
        """SV102 / SV203 / SV302; 0 for a line without a service segment."""
        service = self.service
        return service.charge if service is not None else Decimal(0)

    @property
    def units(self) -> Decimal | None:
        """SV104 / SV205 / SV306."""
        service = self.service
        return service.quantity if service is not None else None

    @property
    def revenue_code(self) -> str | None:
        return self.institutional.revenue_code if self.institutional is not None else None

    @property
    def diagnosis_pointers(self) -> list[int]:
        """SV107 (837P) or SV311 (837D): 1-based positions in the claim's diagnosis codes."""
        service = self.professional or self.dental
        return list(service.diagnosis_pointers) if service is not None else []

    def provider(self, role: str) -> Provider | None:
        """The line-level provider with this role (`"82"` rendering, ...), or None."""
        return next((p for p in self.providers if p.role == role), None)


__all__ = [
    "DentalService",
    "Drug",
    "EquipmentService",
    "Form",
    "FormAnswer",
    "InstitutionalService",
    "LineAdjudication",
    "ProfessionalService",
    "PurchasedService",
    "ServiceLine",
    "TestResult",
    "Tooth",
]
