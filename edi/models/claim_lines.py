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

from pydantic import model_validator

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
from edi.models.claim_parties import Provider, fill_defaults
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
from edi.models.common import Reference
from edi.models.remittance import Adjustment

# -- the service segments ------------------------------------------------------------------------------


class ProfessionalService(SegmentModel):
    """SV1 (837P): procedure, charge, units and the diagnoses the line points at (SV107, 1-based)."""

    qualifier: Annotated[str, Elem("01-01")]  # HC HCPCS/CPT, ER, IV, WK
    # None only when SV101 could not be split (its separator is not ISA16; a diagnostic says so).
    code: Annotated[str | None, Elem("01-02")] = None
    modifiers: Annotated[list[str], Elems("01-03", "01-04", "01-05", "01-06")] = []
    description: Annotated[str | None, Elem("01-07")] = None
    charge: Annotated[Money, Elem("02")]
    unit: Annotated[str | None, Elem("03")] = None  # UN units, MJ minutes
    quantity: Annotated[Money | None, Elem("04")] = None
    place_of_service: Annotated[str | None, Elem("05")] = None  # when not the claim's
    diagnosis_pointers: Annotated[list[int], Elems("07-01", "07-02", "07-03", "07-04")] = []
    emergency: Annotated[str | None, Elem("09")] = None  # Y
    epsdt: Annotated[str | None, Elem("11")] = None  # Y
    family_planning: Annotated[str | None, Elem("12")] = None  # Y
    copay_status: Annotated[str | None, Elem("15")] = None  # 0: exempt


class InstitutionalService(SegmentModel):
    """SV2 (837I): revenue code, procedure (optional), charge and units; no diagnosis pointers."""

    revenue_code: Annotated[str, Elem("01")]  # NUBC, 4 digits
    qualifier: Annotated[str | None, Elem("02-01")] = None  # HC, HP (HIPPS), ER, IV, WK
    code: Annotated[str | None, Elem("02-02")] = None
    modifiers: Annotated[list[str], Elems("02-03", "02-04", "02-05", "02-06")] = []
    description: Annotated[str | None, Elem("02-07")] = None
    charge: Annotated[Money, Elem("03")]
    unit: Annotated[str | None, Elem("04")] = None  # UN units, DA days
    quantity: Annotated[Money | None, Elem("05")] = None
    unit_rate: Annotated[Money | None, Elem("06")] = None
    non_covered_charge: Annotated[Money | None, Elem("07")] = None


class DentalService(SegmentModel):
    """SV3 (837D): CDT procedure (AD), charge, oral cavity areas, prosthesis code and procedure count."""

    qualifier: Annotated[str, Elem("01-01")]  # AD: ADA CDT
    code: Annotated[str | None, Elem("01-02")] = None
    modifiers: Annotated[list[str], Elems("01-03", "01-04", "01-05", "01-06")] = []
    description: Annotated[str | None, Elem("01-07")] = None
    charge: Annotated[Money, Elem("02")]
    place_of_service: Annotated[str | None, Elem("03")] = None
    oral_cavity_areas: Annotated[list[str], Elems("04-01", "04-02", "04-03", "04-04", "04-05")] = []
    prosthesis: Annotated[str | None, Elem("05")] = None  # I initial, R replacement
    quantity: Annotated[Money | None, Elem("06")] = None  # procedure count
    diagnosis_pointers: Annotated[list[int], Elems("11-01", "11-02", "11-03", "11-04")] = []


class Tooth(SegmentModel):
    """TOO: one tooth a dental line treats (JP: universal numbering 1-32, A-T) and its surfaces."""

    qualifier: Annotated[str, Elem("01")] = "JP"
    number: Annotated[str | None, Elem("02")] = None
    surfaces: Annotated[list[str], Elems("03-01", "03-02", "03-03", "03-04", "03-05")] = []


class EquipmentService(SegmentModel):
    """SV5 (837P): a durable medical equipment line's rental and purchase prices (its SV1 bills it).

    Example:
        >>> EquipmentService(qualifier="HC", code="E0601", days="30", rental_price="120",
        ...     purchase_price="999", rental_frequency="4").unit
        'DA'
    """

    qualifier: Annotated[str, Elem("01-01")]  # HC
    code: Annotated[str | None, Elem("01-02")] = None  # the SV101 procedure code
    unit: Annotated[str | None, Elem("02")] = None  # DA days
    days: Annotated[Money, Elem("03")]  # length of medical necessity
    # The guide requires both prices and the frequency; X12's own syntax only one price (R0405), and
    # the frequency with the rental price (C0604). Files that send less still read.
    rental_price: Annotated[Money | None, Elem("04")] = None
    purchase_price: Annotated[Money | None, Elem("05")] = None
    rental_frequency: Annotated[str | None, Elem("06")] = None  # 1 weekly, 4 monthly, 6 daily

    @model_validator(mode="after")
    def _defaults(self) -> EquipmentService:
        fill_defaults(self, unit="DA")
        return self


class TestResult(SegmentModel):
    """MEA (837P line): a test result (hemoglobin, hematocrit, creatinine, height)."""

    __test__ = False  # not a pytest test class, despite its name

    reference: Annotated[str, Elem("01")]  # OG original starting dosage, TR test results
    qualifier: Annotated[str, Elem("02")]  # HT height, R1 hemoglobin, R2 hematocrit, R3 epoetin, R4
    value: Annotated[Money, Elem("03")]


class PurchasedService(SegmentModel):
    """PS1 (837P line): a service bought from another provider, and what it cost."""

    provider_id: Annotated[str, Elem("01")]
    charge: Annotated[Money, Elem("02")]


# -- 2410, 2430, 2440 ------------------------------------------------------------------------------------


class Drug(LoopModel, loop="2410"):
    """2410: the drug given on the line (LIN, N4 = 11-digit NDC) and its quantity (CTP)."""

    qualifier: Annotated[str, Elem("LIN02")]  # N4
    code: Annotated[str, Elem("LIN03")]
    quantity: Annotated[Money | None, Elem("CTP04")] = None
    unit: Annotated[str | None, Elem("CTP05-01")] = None  # F2, GR, ME, ML, UN
    prescription_type: Annotated[str | None, Elem("REF01", qual=("VY", "XZ"))] = None
    prescription_number: Annotated[str | None, Elem("REF02", qual=("VY", "XZ"))] = None


class LineAdjudication(LoopModel, loop="2430"):
    """2430: how a prior payer adjudicated this line (from its 835 2110, x12-notes §9.6).

    Balances per prior payer as: line charge = `paid` + Σ adjustment amounts (x12-notes §8.2 rule 2).
    `payer_id` is the 2330B NM109 of the prior payer it belongs to.
    """

    payer_id: Annotated[str, Elem("SVD01")]
    paid: Annotated[Money, Elem("SVD02")]
    qualifier: Annotated[str | None, Elem("SVD03-01")] = None
    code: Annotated[str | None, Elem("SVD03-02")] = None
    modifiers: Annotated[list[str], Elems("SVD03-03", "SVD03-04", "SVD03-05", "SVD03-06")] = []
    description: Annotated[str | None, Elem("SVD03-07")] = None
    revenue_code: Annotated[str | None, Elem("SVD04")] = None  # 837I: the line's revenue code
    units: Annotated[Money | None, Elem("SVD05")] = None
    bundled_line: Annotated[int | None, Elem("SVD06")] = None
    adjustments: Annotated[list[Adjustment], Group("CAS", start=2, size=3, count=6)] = []
    paid_date: Annotated[dt.date | None, Elem("DTP03", qual="573", format="DTP02")] = None
    remaining_patient_liability: Annotated[Money | None, Elem("AMT02", qual="EAF")] = None

    @property
    def adjustment_total(self) -> Decimal:
        """Σ of the line adjustment amounts."""
        return sum((a.amount for a in self.adjustments), Decimal(0))


class FormAnswer(SegmentModel):
    """FRM: the answer to one question of a supporting form."""

    question: Annotated[str, Elem("01")]
    answer: Annotated[str | None, Elem("02")] = None  # Y, N, W
    text: Annotated[str | None, Elem("03")] = None
    date: Annotated[dt.date | None, Elem("04")] = None
    percent: Annotated[Money | None, Elem("05")] = None


class Form(LoopModel, loop="2440"):
    """2440 (837P): a supporting form (LQ: AS form type, UT DME information form) and its answers."""

    qualifier: Annotated[str, Elem("LQ01")]
    form_id: Annotated[str, Elem("LQ02")]
    answers: Annotated[list[FormAnswer], Seg("FRM")] = []


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
    institutional: Annotated[InstitutionalService | None, Seg("SV2")] = None
    dental: Annotated[DentalService | None, Seg("SV3")] = None
    teeth: Annotated[list[Tooth], Seg("TOO")] = []
    equipment: Annotated[EquipmentService | None, Seg("SV5")] = None
    attachments: Annotated[list[Attachment], Seg("PWK")] = []
    ambulance: Annotated[AmbulanceTransport | None, Seg("CR1")] = None
    equipment_certification: Annotated[EquipmentCertification | None, Seg("CR3")] = None
    conditions: Annotated[list[ConditionIndicator], Seg("CRC")] = []  # 07 ambulance, 70, 09 DME
    service_date: Annotated[Period | None, Elem("DTP03", qual="472", format="DTP02")] = None
    prescription_date: Annotated[Period | None, Elem("DTP03", qual="471", format="DTP02")] = None
    prior_placement_date: Annotated[Period | None, Elem("DTP03", qual="441", format="DTP02")] = None
    appliance_placement_date: Annotated[
        Period | None, Elem("DTP03", qual="452", format="DTP02")
    ] = None
    replacement_date: Annotated[Period | None, Elem("DTP03", qual="446", format="DTP02")] = None
    treatment_start_date: Annotated[Period | None, Elem("DTP03", qual="196", format="DTP02")] = None
    treatment_completion_date: Annotated[
        Period | None, Elem("DTP03", qual="198", format="DTP02")
    ] = None
    other_dates: Annotated[list[DateTimeRef], Seg("DTP")] = []
    quantities: Annotated[dict[str, Money], SegMap("QTY")] = {}  # PT ambulance patients, FL units
    test_results: Annotated[list[TestResult], Seg("MEA")] = []
    contract: Annotated[Contract | None, Seg("CN1")] = None
    control_number: Annotated[str | None, Elem("REF02", qual="6R")] = None  # echoed in 835 REF*6R
    references: Annotated[list[Reference], Seg("REF")] = []  # G1, 9F, 9B, 9D, G3, X4, ...
    amounts: Annotated[dict[str, Money], SegMap("AMT")] = {}  # T / GT sales tax, F4 postage, N8
    file_information: Annotated[list[FileInformation], Seg("K3")] = []
    notes: Annotated[list[Note], Seg("NTE")] = []
    purchased_service: Annotated[PurchasedService | None, Seg("PS1")] = None
    repricing: Annotated[Repricing | None, Seg("HCP")] = None
    drug: Annotated[Drug | None, Child("2410")] = None
    # 2420A-2420H, read under one ID: the loop follows from the claim kind and each provider's role.
    providers: Annotated[list[Provider], Child("2420")] = []
    adjudications: Annotated[list[LineAdjudication], Child("2430")] = []
    forms: Annotated[list[Form], Child("2440")] = []

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
