"""Small segment models the 837 claim and line loops share: notes, attachments, contracts, repricing,
dates without a field of their own, ambulance transport, file information, the certifications of 837P
claims and lines, and the HI code composite (x12-notes §3-§6)."""

from __future__ import annotations

from typing import Annotated

from pydantic import ValidationInfo, model_validator

from edi.models.base import Elem, Elems, ItemModel, Money, Part, Period, SegmentModel
from edi.models.claim_parties import fill_defaults


class Note(SegmentModel):
    """NTE: a free-text note with its reference code (ADD additional information, DCP goals, TPO ...)."""

    qualifier: Annotated[str, Elem("01")]
    """Note reference code."""
    text: Annotated[str, Elem("02")]
    """Claim note text."""


class Attachment(SegmentModel):
    """PWK: paperwork that goes with the claim or line, and how it is sent."""

    report_type: Annotated[str, Elem("01")]
    """Attachment report type code: 03 report, OZ support data, B4 referral form, ..."""
    transmission: Annotated[str, Elem("02")]
    """Attachment transmission code: AA available on request, BM by mail, EL electronic, FX."""
    id_qualifier: Annotated[str | None, Elem("05")] = None
    """Identification code qualifier: AC."""
    control_number: Annotated[str | None, Elem("06")] = None
    """Attachment control number."""


class Contract(SegmentModel):
    """CN1: the contract between provider and payer the claim is priced under."""

    type: Annotated[str, Elem("01")]
    """Contract type code."""
    amount: Annotated[Money | None, Elem("02")] = None
    """Contract amount."""
    percent: Annotated[Money | None, Elem("03")] = None
    """Contract percentage."""
    code: Annotated[str | None, Elem("04")] = None
    """Contract code."""
    terms_discount_percent: Annotated[Money | None, Elem("05")] = None
    """Terms discount percentage."""
    version: Annotated[str | None, Elem("06")] = None
    """Contract version identifier."""


class Repricing(SegmentModel):
    """HCP: what a repricer (PPO network) made of the claim or line."""

    pricing_methodology: Annotated[str, Elem("01")]
    """Pricing methodology."""
    allowed: Annotated[Money | None, Elem("02")] = None
    """Repriced allowed amount."""
    saving: Annotated[Money | None, Elem("03")] = None
    """Repriced saving amount."""
    organization_id: Annotated[str | None, Elem("04")] = None
    """Repricing organization identifier."""
    rate: Annotated[Money | None, Elem("05")] = None
    """Repricing per diem or flat rate amount."""
    group_code: Annotated[str | None, Elem("06")] = None
    """Repriced approved ambulatory patient group code: APG / DRG code."""
    group_amount: Annotated[Money | None, Elem("07")] = None
    """Repriced approved ambulatory patient group amount."""
    revenue_code: Annotated[str | None, Elem("08")] = None
    """Repriced approved revenue code (837I claim level; a product or service id in the 837I and
    837D line and 837D claim maps; not used in the 837P)."""
    product_qualifier: Annotated[str | None, Elem("09")] = None
    """Product or service ID qualifier."""
    product_code: Annotated[str | None, Elem("10")] = None
    """Repriced approved HCPCS code."""
    unit: Annotated[str | None, Elem("11")] = None
    """Unit or basis for measurement code."""
    quantity: Annotated[Money | None, Elem("12")] = None
    """Repriced approved service unit count."""
    reject_reason: Annotated[str | None, Elem("13")] = None
    """Reject reason code."""
    policy_compliance: Annotated[str | None, Elem("14")] = None
    """Policy compliance code."""
    exception: Annotated[str | None, Elem("15")] = None
    """Exception code."""


class DateTimeRef(SegmentModel):
    """DTP with a qualifier no field of its own maps: kept as text (formats D8, RD8, DT, TM)."""

    qualifier: Annotated[str, Elem("01")]
    """Date time qualifier: what the date is."""
    format: Annotated[str, Elem("02")]
    """Date time period format qualifier: D8, RD8, DT, TM."""
    value: Annotated[str, Elem("03")]
    """The date, date range or time, as text in that format."""


class ConditionIndicator(SegmentModel):
    """CRC: yes/no certification conditions (ambulance, vision, homebound, EPSDT referral, DME)."""

    category: Annotated[str, Elem("01")]
    """Code category: 07 ambulance, E1-E3 vision, 75 homebound, ZZ EPSDT, ..."""
    answer: Annotated[str, Elem("02")]
    """Certification condition indicator: Y / N."""
    codes: Annotated[list[str], Elems("03", "04", "05", "06", "07")] = []
    """Condition codes."""


class AmbulanceTransport(SegmentModel):
    """CR1 (837P claim or line): ambulance transport, with the patient's weight and the distance.

    Example:
        >>> cr1 = AmbulanceTransport(reason="A", distance="12")
        >>> cr1.distance_unit, cr1.weight_unit
        ('DH', None)
    """

    weight_unit: Annotated[str | None, Elem("01")] = None
    """Unit or basis for measurement code: LB, with the weight."""
    patient_weight: Annotated[Money | None, Elem("02")] = None
    """Patient weight."""
    reason: Annotated[str, Elem("04")]
    """Ambulance transport reason code: A to the nearest facility, B for a preferred physician, C for
    the nearness of family, D for a specialist or specialized equipment, E to a rehabilitation
    facility."""
    distance_unit: Annotated[str | None, Elem("05")] = None
    """Unit or basis for measurement code: DH miles."""
    distance: Annotated[Money | None, Elem("06")] = None
    """Transport distance; miles, required by the guide."""
    round_trip_purpose: Annotated[str | None, Elem("09")] = None
    """Round trip purpose description."""
    stretcher_purpose: Annotated[str | None, Elem("10")] = None
    """Stretcher purpose description."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> AmbulanceTransport:
        fill_defaults(
            self,
            info,
            weight_unit="LB" if self.patient_weight is not None else None,
            distance_unit="DH" if self.distance is not None else None,
        )
        return self


class SpinalManipulation(SegmentModel):
    """CR2 (837P claim): the patient condition behind a chiropractic spinal manipulation."""

    condition: Annotated[str, Elem("08")]
    """Patient condition code (X12 element 1342): A acute, C chronic, D non-acute, E
    non-life-threatening, F routine, G symptomatic, M acute manifestation of a chronic condition."""
    descriptions: Annotated[list[str], Elems("10", "11")] = []
    """Patient condition descriptions."""


class EquipmentCertification(SegmentModel):
    """CR3 (837P line): the durable medical equipment certification and how many months it covers.

    Example:
        >>> EquipmentCertification(type="I", months="6").unit
        'MO'
    """

    type: Annotated[str, Elem("01")]
    """Certification type code: I initial, R renewal, S revised."""
    unit: Annotated[str | None, Elem("02")] = None
    """Unit or basis for measurement code: MO months."""
    months: Annotated[Money, Elem("03")]
    """Durable medical equipment duration."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> EquipmentCertification:
        fill_defaults(self, info, unit="MO")
        return self


class FileInformation(SegmentModel):
    """K3: fixed-format information a payer asked for that no other segment carries (up to 10)."""

    text: Annotated[str, Elem("01")]
    """Fixed format information."""


class HealthCode(ItemModel):
    """One HI composite: a diagnosis, procedure, condition, occurrence, value or DRG code.

    `qualifier` says which: ABK principal diagnosis, ABF other diagnosis, ABJ admitting, APR reason for
    visit, ABN external cause (ICD-10-CM; BK/BF/BJ/PR/BN for ICD-9); BBR/BBQ principal/other ICD-10-PCS
    procedure; BG condition, BH occurrence (with a date), BI occurrence span (with a period), BE value
    (with an amount), DR DRG, BP anesthesia-related procedure, TC treatment. Codes carry no decimal point.

    Example:
        >>> from datetime import date
        >>> HealthCode(qualifier="BI", code="70", date=Period(start=date(2024, 1, 2),
        ...     end=date(2024, 1, 5))).date_format
        'RD8'
    """

    qualifier: Annotated[str, Part(1, 1)]
    """Code list qualifier code: which kind of code (ABK principal diagnosis, ABF other diagnosis,
    BBR principal procedure, BG condition, BH occurrence, BI occurrence span, BE value, DR DRG,
    ...).
    """
    # None only when the composite could not be split (its separator is not ISA16; a diagnostic says so).
    code: Annotated[str | None, Part(1, 2)] = None
    """Industry code: the diagnosis, procedure, condition, occurrence, value or DRG code, without a
    decimal point.
    """
    date_format: Annotated[str | None, Part(1, 3)] = None
    """Date time period format qualifier: D8 or RD8."""
    date: Annotated[Period | None, Part(1, 4)] = None
    """Occurrence date, or occurrence span period."""
    amount: Annotated[Money | None, Part(1, 5)] = None
    """Value code amount."""
    quantity: Annotated[Money | None, Part(1, 6)] = None
    """Quantity."""
    present_on_admission: Annotated[str | None, Part(1, 9)] = None
    """Present on admission indicator: Y, N, U, W (837I diagnoses)."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> HealthCode:
        if self.date is not None:
            fill_defaults(self, info, date_format="RD8" if self.date.end else "D8")
        return self


__all__ = [
    "AmbulanceTransport",
    "Attachment",
    "ConditionIndicator",
    "Contract",
    "DateTimeRef",
    "EquipmentCertification",
    "FileInformation",
    "HealthCode",
    "Note",
    "Repricing",
    "SpinalManipulation",
]
