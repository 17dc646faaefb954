"""The internal claim object: one `Claim` per 837 claim (2300 loop), professional, institutional or dental.

A claim carries its context, so it stands on its own: who bills (`billing_provider`, 2000A/2010AA), who is
insured (`subscriber`, 2000B/2010BA) with which payer (`payer`, 2010BB), the patient when that is not
the subscriber (`patient`, 2000C/2010CA), the transaction header (`header`: BHT, submitter, receiver) and,
for claims read from a file, the envelope they came in. Claims read from one HL loop share these
objects; the writer puts consecutive claims with equal context under one HL again (x12-notes §2, §6).

The same fact lives in different places per guide; the model says each once (x12-notes §3-§5):

    Claim (2300: CLM, DTP, CL1, DN1/DN2, PWK, CN1, AMT, REF, K3, NTE, CR1, CR2, CRC, HI, HCP)
    ├── codes (HI composites, in order: diagnoses, procedures, value/occurrence/condition codes, DRG)
    ├── providers (2310x, by role)
    ├── prior_payers (2320) ── other_subscriber (2330A), other_payer (2330B), providers (2330C..)
    └── lines (2400) ── professional (SV1) | institutional (SV2) | dental (SV3) + teeth (TOO)
                     ├── 837P: equipment (SV5), ambulance (CR1), CR3, CRC, test results (MEA), PS1
                     ├── drug (2410), providers (2420x), adjudications (2430, with CAS), forms (2440)

Every segment of the three guides' claim and line loops has a field. Segments a model does not map
(ones the guides do not have, or a second one where the guide allows one) are kept on it, in order,
when read, and written back where they were.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from edi.models.base import (
    Child,
    Custom,
    Elem,
    Elems,
    Group,
    LoopModel,
    Money,
    Period,
    Seg,
    SegMap,
    date_time_format,
    date_time_text,
)
from edi.models.base import SegmentModel as _Segment
from edi.models.claim_cob import PriorPayer
from edi.models.claim_lines import ServiceLine
from edi.models.claim_parties import (
    PROVIDER_LOOP_IDS,
    BillingProvider,
    ClaimPayer,
    Patient,
    Provider,
    Subscriber,
    TransactionHeader,
    fill_defaults,
)
from edi.models.claim_segments import (
    AmbulanceTransport,
    Attachment,
    ConditionIndicator,
    Contract,
    DateTimeRef,
    FileInformation,
    HealthCode,
    Note,
    Repricing,
    SpinalManipulation,
)
from edi.models.common import Reference
from edi.models.envelope import EnvelopeInfo

ClaimKind = Literal["professional", "institutional", "dental"]
KINDS: tuple[str, ...] = ("professional", "institutional", "dental")
# The fields kept as text whose format (DTP02) is a field of its own: admission (435), discharge (096).
_FORMAT_OF = {"admission": "admission_format", "discharge": "discharge_format"}
_FORMATS = frozenset(_FORMAT_OF.values())

# HI qualifiers by meaning (ICD-10 and ICD-9 forms).
PRINCIPAL_DIAGNOSIS = frozenset({"ABK", "BK"})
OTHER_DIAGNOSIS = frozenset({"ABF", "BF"})
ADMITTING_DIAGNOSIS = frozenset({"ABJ", "BJ"})
REASON_FOR_VISIT = frozenset({"APR", "PR"})
EXTERNAL_CAUSE = frozenset({"ABN", "BN"})
DIAGNOSIS = (
    PRINCIPAL_DIAGNOSIS | OTHER_DIAGNOSIS | ADMITTING_DIAGNOSIS | REASON_FOR_VISIT | EXTERNAL_CAUSE
)
# The order `Claim.diagnoses` gives them in, whatever order the HI segments came in (any: X12
# puts every HI at one position): principal first.
_DIAGNOSIS_RANK = {
    qualifier: rank
    for rank, kind in enumerate(
        (
            PRINCIPAL_DIAGNOSIS,
            OTHER_DIAGNOSIS,
            ADMITTING_DIAGNOSIS,
            REASON_FOR_VISIT,
            EXTERNAL_CAUSE,
        )
    )
    for qualifier in kind
}
PRINCIPAL_PROCEDURE = frozenset({"BBR", "BR", "CAH"})
OTHER_PROCEDURE = frozenset({"BBQ", "BQ"})
# The HI composites SV107 / SV311 point at in 837P and 837D: the diagnosis segment (ABK, then ABF).
POINTED_DIAGNOSIS = PRINCIPAL_DIAGNOSIS | OTHER_DIAGNOSIS

_HI_FAMILY = {
    **dict.fromkeys(PRINCIPAL_DIAGNOSIS, "principal diagnosis"),
    **dict.fromkeys(OTHER_DIAGNOSIS, "other diagnosis"),
    **dict.fromkeys(ADMITTING_DIAGNOSIS, "admitting diagnosis"),
    **dict.fromkeys(REASON_FOR_VISIT, "reason for visit"),
    **dict.fromkeys(EXTERNAL_CAUSE, "external cause"),
    **dict.fromkeys(PRINCIPAL_PROCEDURE, "principal procedure"),
    **dict.fromkeys(OTHER_PROCEDURE, "other procedure"),
    # 837P anesthesia related procedures: one HI, the principal (BP) in HI01, another (BO) in HI02.
    **dict.fromkeys(("BP", "BO"), "anesthesia related procedure"),
}


def hi_category(claim: Any, code: HealthCode) -> str:
    """Which HI segment a code goes in: codes of one category share segments, categories never do.

    837P and 837D put the principal and the other diagnoses in one HI segment (up to 12); 837I gives the
    principal diagnosis, the admitting diagnosis, the DRG ... their own HI segments.
    """
    qualifier = code.qualifier
    if claim.kind != "institutional" and qualifier in POINTED_DIAGNOSIS:
        return "diagnosis"
    return _HI_FAMILY.get(qualifier, qualifier)


class ToothStatus(_Segment):
    """DN2 (837D): a tooth that is missing (M) or to be extracted (E).

    DN206 is the tooth numbering system, JP (universal national tooth designation) by default.
    """

    tooth: Annotated[str, Elem("01")]
    """Reference identification."""
    status: Annotated[str, Elem("02")]
    """Tooth status code: E to be extracted, M missing."""
    numbering: Annotated[str | None, Elem("06")] = None
    """Code list qualifier code: JP universal national tooth designation (the default)."""

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> ToothStatus:
        fill_defaults(self, info, numbering="JP")
        return self


class Claim(LoopModel, loop="2300"):
    """One 837 claim (loop 2300) with its context, professional, institutional or dental (`kind`).

    It carries who bills (`billing_provider`), who is insured (`subscriber`) with which payer
    (`payer`), the patient when not the subscriber (`patient`), the transaction header (`header`) and
    the envelope it was read in; then the claim data (CLM, dates, references, HI `codes`, ...), its
    providers (2310x), prior payers (2320) and service `lines` (2400).

    Example:
        >>> claim = next(iter(edi.read_claims(Path("claims.837"))))      # doctest: +SKIP
        >>> claim.patient_control_number, claim.total_charge, claim.payer.name  # doctest: +SKIP
        ('PCN0001', Decimal('150'), 'PAYER CO')
        >>> [(c.qualifier, c.code) for c in claim.diagnoses]                 # doctest: +SKIP
        [('ABK', 'E119'), ('ABF', 'I10')]
    """

    kind: Annotated[ClaimKind, Custom("ST03")]
    """Which 837 guide the claim follows: professional (005010X222A1), institutional (005010X223A2)
    or dental (005010X224A2).
    """
    # Context (read and written by edi.transactions.claim837, shared by the claims of one HL).
    billing_provider: Annotated[BillingProvider, Custom("2000A")]
    """The billing provider (2000A with 2010AA), shared by the claims of its HL."""
    subscriber: Annotated[Subscriber, Custom("2000B")]
    """The subscriber (2000B with 2010BA), shared by the claims of its HL."""
    payer: Annotated[ClaimPayer, Custom("2010BB")]
    """The payer the claim is sent to (2010BB)."""
    patient: Annotated[Patient | None, Custom("2000C")] = None
    """The patient (2000C with 2010CA); None: the subscriber is the patient."""

    # CLM
    patient_control_number: Annotated[str, Elem("CLM01")]
    """Patient control number; the claim id (835 CLP01); ≤ 20 chars."""
    total_charge: Annotated[Money, Elem("CLM02")]
    """Total claim charge amount."""
    facility_code: Annotated[str | None, Elem("CLM05-01")] = None
    """Place of service code (837P, 837D) or facility type code (837I: type of bill digits 1-2)."""
    facility_code_qualifier: Annotated[str | None, Elem("CLM05-02")] = None
    """Facility code qualifier: B (P/D), A (I)."""
    frequency_code: Annotated[str | None, Elem("CLM05-03")] = None
    """Claim frequency code: 1 original, 7 replace, 8 void."""
    provider_signature: Annotated[str | None, Elem("CLM06")] = None
    """Provider or supplier signature indicator: Y, N."""
    assignment: Annotated[str | None, Elem("CLM07")] = None
    """Assignment or plan participation code: A, B, C."""
    benefits_assignment: Annotated[str | None, Elem("CLM08")] = None
    """Benefits assignment certification indicator: Y, N, W."""
    release_of_information: Annotated[str | None, Elem("CLM09")] = None
    """Release of information code: I, Y."""
    patient_signature_source: Annotated[str | None, Elem("CLM10")] = None
    """Patient signature source code: P."""
    related_causes: Annotated[list[str], Elems("CLM11-01", "CLM11-02", "CLM11-03")] = []
    """Related causes codes: AA auto accident, EM employment, OA other accident."""
    accident_state: Annotated[str | None, Elem("CLM11-04")] = None
    """Auto accident state or province code."""
    accident_country: Annotated[str | None, Elem("CLM11-05")] = None
    """Country code."""
    special_program: Annotated[str | None, Elem("CLM12")] = None
    """Special program indicator."""
    submission_reason: Annotated[str | None, Elem("CLM19")] = None
    """Claim submission reason code: PB predetermination of benefits (837D)."""
    delay_reason: Annotated[str | None, Elem("CLM20")] = None
    """Delay reason code."""

    # DTP (a D8 date is a Period without an end; RD8 has one)
    statement_period: Annotated[Period | None, Elem("DTP03", qual="434", format="DTP02")] = None
    """Statement dates."""
    onset_date: Annotated[Period | None, Elem("DTP03", qual="431", format="DTP02")] = None
    """Date - onset of current illness or symptom."""
    initial_treatment_date: Annotated[Period | None, Elem("DTP03", qual="454", format="DTP02")] = (
        None
    )
    """Date - initial treatment date."""
    last_seen_date: Annotated[Period | None, Elem("DTP03", qual="304", format="DTP02")] = None
    """Date - last seen date."""
    acute_manifestation_date: Annotated[
        Period | None, Elem("DTP03", qual="453", format="DTP02")
    ] = None
    """Date - acute manifestation."""
    accident_date: Annotated[Period | None, Elem("DTP03", qual="439", format="DTP02")] = None
    """Date - accident."""
    last_menstrual_period: Annotated[Period | None, Elem("DTP03", qual="484", format="DTP02")] = (
        None
    )
    """Date - last menstrual period."""
    last_xray_date: Annotated[Period | None, Elem("DTP03", qual="455", format="DTP02")] = None
    """Date - last x-ray date."""
    prescription_date: Annotated[Period | None, Elem("DTP03", qual="471", format="DTP02")] = None
    """Date - hearing and vision prescription date."""
    disability_period: Annotated[Period | None, Elem("DTP03", qual="314", format="DTP02")] = None
    """Disability period (DTP*314)."""
    disability_start: Annotated[Period | None, Elem("DTP03", qual="360", format="DTP02")] = None
    """Disability start date (DTP*360)."""
    disability_end: Annotated[Period | None, Elem("DTP03", qual="361", format="DTP02")] = None
    """Disability end date (DTP*361)."""
    last_worked_date: Annotated[Period | None, Elem("DTP03", qual="297", format="DTP02")] = None
    """Date - last worked."""
    return_to_work_date: Annotated[Period | None, Elem("DTP03", qual="296", format="DTP02")] = None
    """Date - authorized return to work."""
    # Admission (435) and discharge (096) are dates in 837P but date-times / hours in 837I: text.
    admission_format: Annotated[str | None, Elem("DTP02", qual="435")] = None
    """Date time period format qualifier of `admission`: D8, DT; by default that of its text."""
    admission: Annotated[str | None, Elem("DTP03", qual="435")] = None
    """Admission date (837P) or date and time (837I), as text: CCYYMMDD (D8) or CCYYMMDDHHMM (DT);
    a `date` or `datetime` given becomes that text."""
    discharge_format: Annotated[str | None, Elem("DTP02", qual="096")] = None
    """Date time period format qualifier of `discharge`: D8 (837P), TM (837I); by default that of
    its text."""
    discharge: Annotated[str | None, Elem("DTP03", qual="096")] = None
    """Discharge date (837P) or hour (837I), as text: CCYYMMDD (D8) or HHMM (TM); a `date` or
    `time` given becomes that text."""
    assumed_care_date: Annotated[Period | None, Elem("DTP03", qual="090", format="DTP02")] = None
    """Date the provider assumed care."""
    relinquished_care_date: Annotated[Period | None, Elem("DTP03", qual="091", format="DTP02")] = (
        None
    )
    """Date the provider relinquished care."""
    first_contact_date: Annotated[Period | None, Elem("DTP03", qual="444", format="DTP02")] = None
    """Date - property and casualty date of first contact."""
    appliance_placement_date: Annotated[
        Period | None, Elem("DTP03", qual="452", format="DTP02")
    ] = None
    """Orthodontic appliance placement date (837D)."""
    service_period: Annotated[Period | None, Elem("DTP03", qual="472", format="DTP02")] = None
    """Date - service date."""
    repricer_received_date: Annotated[Period | None, Elem("DTP03", qual="050", format="DTP02")] = (
        None
    )
    """Date - repricer received date."""
    other_dates: Annotated[list[DateTimeRef], Seg("DTP")] = []
    """Dates without a field of their own (DTP)."""

    # CL1 (837I)
    admission_type: Annotated[str | None, Elem("CL101")] = None
    """Admission type code."""
    admission_source: Annotated[str | None, Elem("CL102")] = None
    """Admission source code."""
    patient_status: Annotated[str | None, Elem("CL103")] = None
    """Patient status code."""

    # DN1 / DN2 (837D orthodontics, tooth status)
    orthodontic_total_months: Annotated[Money | None, Elem("DN101")] = None
    """Orthodontic treatment: total months of treatment."""
    orthodontic_remaining_months: Annotated[Money | None, Elem("DN102")] = None
    """Orthodontic treatment: months of treatment remaining."""
    orthodontic_treatment: Annotated[str | None, Elem("DN103")] = None
    """Orthodontic treatment indicator (DN103)."""
    orthodontic_description: Annotated[str | None, Elem("DN104")] = None
    """Orthodontic treatment description."""
    tooth_status: Annotated[list[ToothStatus], Seg("DN2")] = []
    """Tooth status."""

    attachments: Annotated[list[Attachment], Seg("PWK")] = []
    """Claim supplemental information."""
    contract: Annotated[Contract | None, Seg("CN1")] = None
    """Contract information."""
    amounts: Annotated[dict[str, Money], SegMap("AMT")] = {}
    """Amounts by qualifier: F5 patient paid, F3 estimated due."""

    # REF, in the order the guides list them: 9F before G1 (837P map lines 470, 475; 837I 387,
    # 392; 837D 377, 382), D9 before EA (837P 505, 510; 837I 417, 427), D9 after the others the
    # 837D lists (P4, 4N, 9A, 9C: lines 362-392, D9 397). G3 first: the 837D's first (its map's
    # P4, x12-notes §5). F8 next: the 837D lists it before 9F and G1 (372), the 837P and 837I after
    # them (480; 397). `references` holds qualifiers the guides list on both sides of these.
    predetermination_id: Annotated[str | None, Elem("REF02", qual="G3")] = None
    """Predetermination identification: the number of the claim payer's predetermination of
    benefits for this treatment; 837D (a prior payer's is its REF*G3 in 2330B)."""
    payer_claim_control_number: Annotated[str | None, Elem("REF02", qual="F8")] = None
    """Payer claim control number; original ICN."""
    referral_number: Annotated[str | None, Elem("REF02", qual="9F")] = None
    """Referral number."""
    prior_authorization: Annotated[str | None, Elem("REF02", qual="G1")] = None
    """Prior authorization."""
    references: Annotated[list[Reference], Seg("REF")] = []
    """Other identifiers (REF), by qualifier: 4N, F5, EW, X4, 9A, 9C, LX, P4, ..."""
    clearinghouse_claim_id: Annotated[str | None, Elem("REF02", qual="D9")] = None
    """Claim identifier for transmission intermediaries."""
    medical_record_number: Annotated[str | None, Elem("REF02", qual="EA")] = None
    """Medical record number (837P, 837I: the 837D has no REF*EA, and a dental claim with one is
    refused by the checks)."""

    file_information: Annotated[list[FileInformation], Seg("K3")] = []
    """File information."""
    notes: Annotated[list[Note], Seg("NTE")] = []
    """Claim note."""
    ambulance: Annotated[AmbulanceTransport | None, Seg("CR1")] = None
    """Ambulance transport information; 837P."""
    spinal_manipulation: Annotated[SpinalManipulation | None, Seg("CR2")] = None
    """Spinal manipulation service information; 837P."""
    conditions: Annotated[list[ConditionIndicator], Seg("CRC")] = []
    """Condition indicators (CRC): ambulance certification (07), patient condition for vision
    (E1-E3), homebound (75), EPSDT referral (ZZ), as the claim kind's guide has them."""
    codes: Annotated[
        list[HealthCode],
        Group("HI", start=1, size=1, count=12, split_by=hi_category, together=True),
    ] = []
    """HI codes in order: diagnoses, procedures, value, occurrence and condition codes, DRG. Codes
    of one kind given apart are written together (one kind's HI segments), in their order."""
    repricing: Annotated[Repricing | None, Seg("HCP")] = None
    """Claim Pricing/Repricing information."""

    # 2310A-2310F, read under one ID: the loop follows from the claim kind and each provider's role.
    providers: Annotated[list[Provider], Child("2310", aliases=PROVIDER_LOOP_IDS["2310"])] = []
    """Claim-level providers (2310A-2310F), by role."""
    prior_payers: Annotated[list[PriorPayer], Child("2320")] = []
    """Other payers of the claim (2320), with what each paid and adjusted."""
    lines: Annotated[list[ServiceLine], Custom("2400"), Field(min_length=1)]
    """The service lines (2400), numbered LX01 = 1, 2, 3 in list order."""

    header: Annotated[TransactionHeader, Custom("ST")]
    """The transaction set's header: BHT, submitter (1000A) and receiver (1000B), shared by its
    claims.
    """
    envelope: Annotated[EnvelopeInfo | None, Custom("ISA")] = None
    """The ISA, GS and ST02 the claim was read in; None for new claims."""

    _as_text = field_validator("admission", "discharge", mode="before")(date_time_text)

    def __setattr__(self, name: str, value: Any) -> None:
        # A new admission or discharge brings the format of its text (`_defaults`) when its format
        # came with the claim as the one the old text implies (an 837I admission read as DT, then
        # set to a date: D8); a format the caller assigned stays theirs. Those are named in the
        # private `_given_formats`, left out of the declared private attributes: the reader builds
        # claims with only its own (`mapping`).
        fmt = _FORMAT_OF.get(name)
        private = self.__pydantic_private__
        given: frozenset[str] = (
            private.get("_given_formats", frozenset()) if private else frozenset()
        )
        data = self.__dict__
        old = data.get(fmt) if fmt else None
        follows = (
            fmt is not None
            and fmt not in given
            and old is not None
            and old == date_time_format(data.get(name))
        )
        if follows and fmt is not None:  # (it follows only a format: said for the type checker)
            data[fmt] = None
        try:
            super().__setattr__(name, value)
        except ValidationError:
            if follows and fmt is not None:
                data[fmt] = old
            raise
        if name in _FORMATS and private is not None:
            private["_given_formats"] = given | {name}

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> Claim:
        fill_defaults(
            self,
            info,
            facility_code_qualifier="A" if self.kind == "institutional" else "B",
            # The format of a date or time follows from its text (12 digits: DT).
            admission_format=date_time_format(self.admission),
            discharge_format=date_time_format(self.discharge),
        )
        return self

    # -- convenience ---------------------------------------------------------------------------------

    @property
    def id(self) -> str:
        """The claim id: CLM01, the patient control number (835 CLP01 echoes it)."""
        return self.patient_control_number

    @property
    def line_charge_total(self) -> Decimal:
        """Σ of the line charges (SV102 / SV203 / SV302): what CLM02 must equal (x12-notes §8.2)."""
        return sum((line.charge for line in self.lines), Decimal(0))

    @property
    def diagnoses(self) -> list[HealthCode]:
        """Every diagnosis code in order: principal, other, admitting, reason for visit, external
        cause (those of one kind as given)."""
        found = [c for c in self.codes if c.qualifier in DIAGNOSIS]
        return sorted(found, key=lambda c: _DIAGNOSIS_RANK[c.qualifier])

    @property
    def pointed_diagnoses(self) -> list[HealthCode]:
        """The codes SV107 / SV311 pointers index (1-based): the principal and other diagnoses."""
        return [c for c in self.codes if c.qualifier in POINTED_DIAGNOSIS]

    @property
    def principal_diagnosis(self) -> HealthCode | None:
        return next((c for c in self.codes if c.qualifier in PRINCIPAL_DIAGNOSIS), None)

    @property
    def other_diagnoses(self) -> list[HealthCode]:
        return [c for c in self.codes if c.qualifier in OTHER_DIAGNOSIS]

    @property
    def admitting_diagnosis(self) -> HealthCode | None:
        return next((c for c in self.codes if c.qualifier in ADMITTING_DIAGNOSIS), None)

    @property
    def reasons_for_visit(self) -> list[HealthCode]:
        return [c for c in self.codes if c.qualifier in REASON_FOR_VISIT]

    @property
    def external_causes(self) -> list[HealthCode]:
        return [c for c in self.codes if c.qualifier in EXTERNAL_CAUSE]

    @property
    def procedures(self) -> list[HealthCode]:
        """ICD procedure codes (837I), the principal one first."""
        return [c for c in self.codes if c.qualifier in PRINCIPAL_PROCEDURE | OTHER_PROCEDURE]

    @property
    def value_codes(self) -> list[HealthCode]:
        return [c for c in self.codes if c.qualifier == "BE"]

    @property
    def occurrence_codes(self) -> list[HealthCode]:
        return [c for c in self.codes if c.qualifier == "BH"]

    @property
    def occurrence_spans(self) -> list[HealthCode]:
        return [c for c in self.codes if c.qualifier == "BI"]

    @property
    def condition_codes(self) -> list[HealthCode]:
        return [c for c in self.codes if c.qualifier == "BG"]

    @property
    def drg(self) -> str | None:
        """The DRG code (HI*DR, 837I)."""
        return next((c.code for c in self.codes if c.qualifier == "DR"), None)

    @property
    def bill_type(self) -> str | None:
        """837I type of bill without its leading zero: facility type code + frequency code."""
        if self.kind != "institutional" or not self.facility_code:
            return None
        return self.facility_code + (self.frequency_code or "")

    @property
    def is_predetermination(self) -> bool:
        """CLM19 = PB: a dental predetermination of benefits, not a claim for payment."""
        return self.submission_reason == "PB"

    def provider(self, role: str) -> Provider | None:
        """The claim-level provider with this role (`"82"` rendering, `"71"` attending, ...)."""
        return next((p for p in self.providers if p.role == role), None)

    def reference(self, qualifier: str) -> str | None:
        """The value of the first REF with this qualifier that has no field of its own."""
        return next((r.value for r in self.references if r.qualifier == qualifier), None)


__all__ = ["KINDS", "Claim", "ClaimKind", "HealthCode", "ToothStatus", "hi_category"]
