"""835 remittance models (005010X221A1): what a payer paid, per claim and service line, and why.

Each field says once where it lives in the 835 (x12-notes §7); `edi.mapping` reads and writes from that
one declaration. Amounts and quantities are `Decimal` (type R), dates are `date`, codes stay strings
(their names are in `edi.codes`). Segments and elements a model does not map are kept on it, in order,
so writing a remittance that was read gives back what was read.

    Remittance (ST..SE)
    ├── payment (BPR), trace (TRN), payer (1000A), payee (1000B)
    ├── header_numbers (2000: LX, TS3, TS2)
    ├── claims (2100) ── services (2110) ── adjustments (CAS)
    │                └─ adjustments (CAS)
    └── provider_adjustments (PLB, one per reason/amount pair)
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import ConfigDict, Field, PrivateAttr

from edi import codes
from edi.diagnostics import Diagnostic
from edi.models.base import (
    Child,
    Custom,
    Elem,
    Elems,
    Group,
    InSegment,
    ItemModel,
    LoopModel,
    Money,
    Part,
    Placed,
    Seg,
    SegMap,
    SegmentModel,
    ValueModel,
)
from edi.models.common import Contact, Party, Reference
from edi.models.envelope import EnvelopeInfo
from edi.x12.delimiters import Delimiters
from edi.x12.segment import Segment

# -- header --------------------------------------------------------------------------------------------


class Payment(SegmentModel, Placed):
    """BPR: the money itself, how and when it moves.

    `amount` (BPR02) is the total actually paid to the provider: Σ claim payments − Σ provider-level
    adjustments (x12-notes §8.1).
    """

    handling: Annotated[str, Elem("01")]
    """Transaction handling code: C payment + remittance, I remittance only, H notice, ..."""
    amount: Annotated[Money, Elem("02")]
    """Total actual provider payment amount."""
    credit_debit: Annotated[str, Elem("03")]
    """Credit or debit flag code: C credit, D debit."""
    method: Annotated[str, Elem("04")]
    """Payment method code: ACH, CHK, FWT, BOP, NON."""
    format: Annotated[str | None, Elem("05")] = None
    """Payment format code: CCP, CTX."""
    sender_dfi_qualifier: Annotated[str | None, Elem("06")] = None
    """Depository financial institution (DFI) identification number qualifier."""
    sender_dfi_id: Annotated[str | None, Elem("07")] = None
    """Sender DFI identifier."""
    sender_account_qualifier: Annotated[str | None, Elem("08")] = None
    """Account number qualifier."""
    sender_account: Annotated[str | None, Elem("09")] = None
    """Sender bank account number."""
    payer_identifier: Annotated[str | None, Elem("10")] = None
    """Payer identifier."""
    originating_company_code: Annotated[str | None, Elem("11")] = None
    """Originating company supplemental code."""
    receiver_dfi_qualifier: Annotated[str | None, Elem("12")] = None
    """Depository financial institution (DFI) identification number qualifier."""
    receiver_dfi_id: Annotated[str | None, Elem("13")] = None
    """Receiver or provider bank ID number."""
    receiver_account_qualifier: Annotated[str | None, Elem("14")] = None
    """Account number qualifier."""
    receiver_account: Annotated[str | None, Elem("15")] = None
    """Receiver or provider account number."""
    date: Annotated[dt.date | None, Elem("16")] = None
    """Check issue or EFT effective date."""

    @property
    def method_name(self) -> str:
        """`"check"` for CHK, `"automated clearing house (ACH)"` for ACH, ..."""
        return codes.name(codes.PAYMENT_METHODS, self.method)

    @property
    def is_debit(self) -> bool:
        """BPR03 is `D`: the money moves from the provider to the payer."""
        return self.credit_debit == "D"

    @property
    def signed_amount(self) -> Decimal:
        """BPR02 as it counts in the balance: negative for a debit (BPR03 `D`).

        BPR02 itself is never negative; a net recoupment is sent as a debit. x12-notes §8.1 rule 4 marks
        the sign rule unverified (debit 835s are rare); the map's BPR03 codes are only C and D.
        """
        return -self.amount if self.is_debit else self.amount


class Trace(SegmentModel, Placed):
    """TRN*1: the check or EFT trace number that ties the remittance to the money."""

    number: Annotated[str, Elem("02")]
    """Check or EFT trace number."""
    payer_id: Annotated[str | None, Elem("03")] = None
    """Payer identifier: "1" + payer EIN, by convention."""
    originating_company_code: Annotated[str | None, Elem("04")] = None
    """Originating company supplemental code."""


class Payer(LoopModel, loop="1000A"):
    """1000A: who paid (N1*PR), its address, extra ids (REF) and contacts (PER CX/BL/IC)."""

    name: Annotated[str, Elem("N102", qual="PR")]
    """Payer name."""
    id_qualifier: Annotated[str | None, Elem("N103", qual="PR")] = None
    """Identification code qualifier: XV: CMS plan id."""
    id: Annotated[str | None, Elem("N104", qual="PR")] = None
    """Payer identifier."""
    address_line_1: Annotated[str | None, Elem("N301")] = None
    """Payer address line."""
    address_line_2: Annotated[str | None, Elem("N302")] = None
    """Payer address line."""
    city: Annotated[str | None, Elem("N401")] = None
    """Payer city name."""
    state: Annotated[str | None, Elem("N402")] = None
    """Payer state code."""
    postal_code: Annotated[str | None, Elem("N403")] = None
    """Payer postal zone or ZIP code."""
    country: Annotated[str | None, Elem("N404")] = None
    """Country code."""
    country_subdivision: Annotated[str | None, Elem("N407")] = None
    """Country subdivision code."""
    references: Annotated[list[Reference], Seg("REF")] = []
    """Other identifiers (REF), by qualifier: 2U payer id, EO, HI, NF."""
    contacts: Annotated[list[Contact], Seg("PER")] = []
    """Contact information: CX business, BL technical, IC web site."""


class DeliveryMethod(SegmentModel):
    """RDM: how the remittance is delivered when it is not the 835 itself."""

    transmission: Annotated[str, Elem("01")]
    """Report transmission code: BM mail, EM e-mail, FT file transfer, OL on-line."""
    name: Annotated[str | None, Elem("02")] = None
    """Name."""
    number: Annotated[str | None, Elem("03")] = None
    """Communication number."""


class Payee(LoopModel, loop="1000B"):
    """1000B: who is paid (N1*PE, id by N103: XX NPI, FI TIN, XV plan id), with REF ids and RDM."""

    name: Annotated[str, Elem("N102", qual="PE")]
    """Payee name."""
    id_qualifier: Annotated[str | None, Elem("N103", qual="PE")] = None
    """Identification code qualifier."""
    id: Annotated[str | None, Elem("N104", qual="PE")] = None
    """Payee identification code."""
    address_line_1: Annotated[str | None, Elem("N301")] = None
    """Payee address line."""
    address_line_2: Annotated[str | None, Elem("N302")] = None
    """Payee address line."""
    city: Annotated[str | None, Elem("N401")] = None
    """Payee city name."""
    state: Annotated[str | None, Elem("N402")] = None
    """Payee state code."""
    postal_code: Annotated[str | None, Elem("N403")] = None
    """Payee postal zone or ZIP code."""
    country: Annotated[str | None, Elem("N404")] = None
    """Country code."""
    country_subdivision: Annotated[str | None, Elem("N407")] = None
    """Country subdivision code."""
    references: Annotated[list[Reference], Seg("REF")] = []
    """Other identifiers (REF), by qualifier: 0B, D3, PQ, TJ (TIN)."""
    delivery_method: Annotated[DeliveryMethod | None, Seg("RDM")] = None
    """Remittance delivery method."""


# -- 2000 header number ----------------------------------------------------------------------------------


class ProviderSummary(SegmentModel):
    """TS3: a provider's totals for the claims of one header number (institutional, Medicare)."""

    provider_id: Annotated[str, Elem("01")]
    """Provider identifier."""
    facility_type: Annotated[str | None, Elem("02")] = None
    """Facility type code."""
    fiscal_period_date: Annotated[date | None, Elem("03")] = None
    """Fiscal period date."""
    claim_count: Annotated[Money | None, Elem("04")] = None
    """Total claim count."""
    total_charge: Annotated[Money | None, Elem("05")] = None
    """Total claim charge amount."""
    msp_payer_amount: Annotated[Money | None, Elem("13")] = None
    """Total MSP payer amount."""
    non_lab_charge: Annotated[Money | None, Elem("15")] = None
    """Total Non-Lab charge amount."""
    hcpcs_reported_charge: Annotated[Money | None, Elem("17")] = None
    """Total HCPCS reported charge amount."""
    hcpcs_payable: Annotated[Money | None, Elem("18")] = None
    """Total HCPCS payable amount."""
    professional_component: Annotated[Money | None, Elem("20")] = None
    """Total professional component amount."""
    msp_patient_liability_met: Annotated[Money | None, Elem("21")] = None
    """Total MSP patient liability met amount."""
    patient_reimbursement: Annotated[Money | None, Elem("22")] = None
    """Total patient reimbursement amount."""
    pip_claim_count: Annotated[Money | None, Elem("23")] = None
    """Total PIP claim count."""
    pip_adjustment: Annotated[Money | None, Elem("24")] = None
    """Total PIP adjustment amount."""


class SupplementalSummary(SegmentModel):
    """TS2: DRG, outlier and capital totals for one header number (Medicare Part A)."""

    drg_amount: Annotated[Money | None, Elem("01")] = None
    """Total DRG amount."""
    federal_specific_amount: Annotated[Money | None, Elem("02")] = None
    """Total federal specific amount."""
    hospital_specific_amount: Annotated[Money | None, Elem("03")] = None
    """Total hospital specific amount."""
    disproportionate_share_amount: Annotated[Money | None, Elem("04")] = None
    """Total disproportionate share amount."""
    capital_amount: Annotated[Money | None, Elem("05")] = None
    """Total capital amount."""
    indirect_medical_education_amount: Annotated[Money | None, Elem("06")] = None
    """Total indirect medical education amount."""
    outlier_day_count: Annotated[Money | None, Elem("07")] = None
    """Total outlier day count."""
    day_outlier_amount: Annotated[Money | None, Elem("08")] = None
    """Total day outlier amount."""
    cost_outlier_amount: Annotated[Money | None, Elem("09")] = None
    """Total cost outlier amount."""
    average_drg_length_of_stay: Annotated[Money | None, Elem("10")] = None
    """Average DRG length of stay."""
    discharge_count: Annotated[Money | None, Elem("11")] = None
    """Total discharge count."""
    cost_report_day_count: Annotated[Money | None, Elem("12")] = None
    """Total cost report day count."""
    covered_day_count: Annotated[Money | None, Elem("13")] = None
    """Total covered day count."""
    noncovered_day_count: Annotated[Money | None, Elem("14")] = None
    """Total noncovered day count."""
    msp_pass_through_amount: Annotated[Money | None, Elem("15")] = None
    """Total MSP Pass-Through amount."""
    average_drg_weight: Annotated[Money | None, Elem("16")] = None
    """Average DRG weight."""
    pps_capital_fsp_drg_amount: Annotated[Money | None, Elem("17")] = None
    """Total PPS capital FSP DRG amount."""
    pps_capital_hsp_drg_amount: Annotated[Money | None, Elem("18")] = None
    """Total PPS capital HSP DRG amount."""
    pps_dsh_drg_amount: Annotated[Money | None, Elem("19")] = None
    """Total PPS DSH DRG amount."""


class HeaderNumber(LoopModel, loop="2000"):
    """2000 without its claims: the LX number that groups claims, and the TS3/TS2 summaries.

    Claims carry their group's number as `ClaimPayment.header_number`; the 835 writer puts
    consecutive claims with the same number under one LX again.
    """

    # N0 1/6 (the map): 0 to 999999; the reader takes digits only, so a negative one written
    # would lose the whole set when read.
    number: Annotated[int, Elem("LX01"), Field(ge=0, le=999999)]
    """Assigned number."""
    provider_summary: Annotated[ProviderSummary | None, Seg("TS3")] = None
    """Provider summary information."""
    supplemental_summary: Annotated[SupplementalSummary | None, Seg("TS2")] = None
    """Provider supplemental summary information."""

    # How many claims followed this LX when it was read: lets the writer keep two adjacent groups
    # with the same number apart. Not data; models built in code leave it unset.
    _claim_count: int | None = PrivateAttr(default=None)


# -- adjustments and remarks ---------------------------------------------------------------------------


class Adjustment(ItemModel):
    """One CAS reason/amount/quantity triplet, with its group code.

    A CAS segment holds up to six triplets of one group; each becomes an `Adjustment`. A positive amount
    reduces the payment, a negative one increases it (x12-notes §8.1).
    """

    group: Annotated[str, Elem("01")]
    """Claim adjustment group code: CO contractual, PR patient, OA other, PI payer-initiated;
    in an 837's prior payer (2320, 2430) also CR, corrections and reversals (the 837 maps' CAS01;
    not in a 5010 835)."""
    reason: Annotated[str, Part(1)]
    """Claim adjustment reason code (CARC)."""
    amount: Annotated[Money, Part(2)]
    """Adjustment amount."""
    quantity: Annotated[Money | None, Part(3)] = None
    """Adjustment quantity."""
    segment: Annotated[int | None, InSegment(), Field(ge=1)] = None
    """Which CAS of its loop holds the triplet, counted from 1, as read (the claim's or service
    line's CAS; in an 837, the prior payer's 2320 or the line's 2430). Triplets with one number are
    written in one CAS (one group code, six at most), in list order; the number only says which
    share a CAS. None: packed by the writer, up to six triplets of one group code a CAS."""

    @property
    def group_name(self) -> str:
        """`"patient responsibility"` for PR, ..."""
        return codes.name(codes.ADJUSTMENT_GROUPS, self.group)


class InpatientAdjudication(SegmentModel):
    """MIA: inpatient adjudication amounts and claim-level remark codes (MIA05, MIA20–23)."""

    covered_days: Annotated[Money, Elem("01")]
    """Covered days or visits count."""
    pps_operating_outlier_amount: Annotated[Money | None, Elem("02")] = None
    """PPS operating outlier amount."""
    lifetime_psychiatric_days: Annotated[Money | None, Elem("03")] = None
    """Lifetime psychiatric days count."""
    drg_amount: Annotated[Money | None, Elem("04")] = None
    """Claim DRG amount."""
    remarks: Annotated[list[str], Elems("05", "20", "21", "22", "23")] = []
    """Claim payment remark codes (RARC)."""
    disproportionate_share_amount: Annotated[Money | None, Elem("06")] = None
    """Claim disproportionate share amount."""
    msp_pass_through_amount: Annotated[Money | None, Elem("07")] = None
    """Claim MSP pass-through amount."""
    pps_capital_amount: Annotated[Money | None, Elem("08")] = None
    """Claim PPS capital amount."""
    pps_capital_fsp_drg_amount: Annotated[Money | None, Elem("09")] = None
    """PPS-Capital FSP DRG amount."""
    pps_capital_hsp_drg_amount: Annotated[Money | None, Elem("10")] = None
    """PPS-Capital HSP DRG amount."""
    pps_capital_dsh_drg_amount: Annotated[Money | None, Elem("11")] = None
    """PPS-Capital DSH DRG amount."""
    old_capital_amount: Annotated[Money | None, Elem("12")] = None
    """Old capital amount."""
    pps_capital_ime_amount: Annotated[Money | None, Elem("13")] = None
    """PPS-Capital IME amount."""
    pps_operating_hospital_specific_drg_amount: Annotated[Money | None, Elem("14")] = None
    """PPS-Operating hospital specific DRG amount."""
    cost_report_day_count: Annotated[Money | None, Elem("15")] = None
    """Cost report day count."""
    pps_operating_federal_specific_drg_amount: Annotated[Money | None, Elem("16")] = None
    """PPS-Operating federal specific DRG amount."""
    pps_capital_outlier_amount: Annotated[Money | None, Elem("17")] = None
    """Claim PPS capital outlier amount."""
    indirect_teaching_amount: Annotated[Money | None, Elem("18")] = None
    """Claim indirect teaching amount."""
    nonpayable_professional_component: Annotated[Money | None, Elem("19")] = None
    """Nonpayable professional component amount."""
    pps_capital_exception_amount: Annotated[Money | None, Elem("24")] = None
    """PPS-Capital exception amount."""


class OutpatientAdjudication(SegmentModel):
    """MOA: outpatient adjudication amounts and claim-level remark codes (MOA03–07)."""

    reimbursement_rate: Annotated[Money | None, Elem("01")] = None
    """Reimbursement rate."""
    hcpcs_payable_amount: Annotated[Money | None, Elem("02")] = None
    """Claim HCPCS payable amount."""
    remarks: Annotated[list[str], Elems("03", "04", "05", "06", "07")] = []
    """Claim payment remark codes (RARC)."""
    esrd_payment_amount: Annotated[Money | None, Elem("08")] = None
    """Claim ESRD payment amount."""
    nonpayable_professional_component: Annotated[Money | None, Elem("09")] = None
    """Nonpayable professional component amount."""


class Remark(SegmentModel):
    """LQ: a service-line remark: `HE` + a remittance advice remark code (RARC), or `RX` + NCPDP code."""

    qualifier: Annotated[str, Elem("01")]
    """Code list qualifier code."""
    code: Annotated[str, Elem("02")]
    """Remark code."""


# -- 2110 service payment and 2100 claim payment -------------------------------------------------------


class ServicePayment(LoopModel, loop="2110"):
    """2110: one adjudicated service line.

    Balances as `charge − Σ adjustment amounts = paid` (x12-notes §8.1 rule 1).
    """

    qualifier: Annotated[str, Elem("SVC01-01")]
    """Product or service ID qualifier: HC HCPCS/CPT, AD CDT, NU revenue code, N4 NDC."""
    # Required by the guide; None only when SVC01 has no component separator (a diagnostic says so).
    code: Annotated[str | None, Elem("SVC01-02")] = None
    """Adjudicated procedure code."""
    modifiers: Annotated[list[str], Elems("SVC01-03", "SVC01-04", "SVC01-05", "SVC01-06")] = []
    """Procedure modifiers, as adjudicated."""
    charge: Annotated[Money, Elem("SVC02")]
    """Line item charge amount."""
    paid: Annotated[Money, Elem("SVC03")]
    """Line item provider payment amount."""
    revenue_code: Annotated[str | None, Elem("SVC04")] = None
    """National uniform billing committee revenue code."""
    units: Annotated[Money | None, Elem("SVC05")] = None
    """Units of service paid count; units paid; absent means 1."""
    original_qualifier: Annotated[str | None, Elem("SVC06-01")] = None
    """Product or service ID qualifier, as billed."""
    original_code: Annotated[str | None, Elem("SVC06-02")] = None
    """Procedure code; as billed, when recoded."""
    original_modifiers: Annotated[
        list[str], Elems("SVC06-03", "SVC06-04", "SVC06-05", "SVC06-06")
    ] = []
    """Procedure modifiers, as billed."""
    original_description: Annotated[str | None, Elem("SVC06-07")] = None
    """Procedure code description."""
    original_units: Annotated[Money | None, Elem("SVC07")] = None
    """Original units of service count."""
    service_date: Annotated[date | None, Elem("DTM02", qual="472")] = None
    """Service date (a single date of service)."""
    start_date: Annotated[date | None, Elem("DTM02", qual="150")] = None
    """Service period start date."""
    end_date: Annotated[date | None, Elem("DTM02", qual="151")] = None
    """Service period end date."""
    adjustments: Annotated[list[Adjustment], Group("CAS", start=2, size=3, count=6)] = []
    """Adjustments (CAS), one per reason: group, reason code, amount, quantity."""
    line_control_number: Annotated[str | None, Elem("REF02", qual="6R")] = None
    """Line item control number."""
    references: Annotated[list[Reference], Seg("REF")] = []
    """Other identifiers (REF), by qualifier."""
    allowed: Annotated[Money | None, Elem("AMT02", qual="B6")] = None
    """Allowed amount (service supplemental amount B6)."""
    amounts: Annotated[dict[str, Money], SegMap("AMT")] = {}
    """Amounts by qualifier."""
    quantities: Annotated[dict[str, Money], SegMap("QTY")] = {}
    """Quantities by qualifier."""
    remarks: Annotated[list[Remark], Seg("LQ")] = []
    """Health care remark codes (LQ)."""

    @property
    def adjustment_total(self) -> Decimal:
        """Σ of the line's adjustment amounts (quantities never count)."""
        return sum((a.amount for a in self.adjustments), Decimal(0))


class ClaimPayment(LoopModel, loop="2100"):
    """2100: how one claim was paid (CLP), who it was for, why it was adjusted, and its lines.

    Balances as `charge − Σ claim and line adjustment amounts = paid` (x12-notes §8.1 rule 2). A
    reversal (status 22) carries every amount negated.
    """

    patient_control_number: Annotated[str, Elem("CLP01")]
    """Patient control number; the 837's CLM01."""
    status: Annotated[str, Elem("CLP02")]
    """Claim status code: 1, 2, 3 processed as primary, secondary, tertiary; 4 denied; 19, 20,
    21 processed as primary, secondary, tertiary and forwarded to the next payer; 22 reversal of
    a previous payment; 23 not our claim, forwarded; 25 predetermination pricing only, no
    payment (`status_name` names it)."""
    charge: Annotated[Money, Elem("CLP03")]
    """Total claim charge amount."""
    paid: Annotated[Money, Elem("CLP04")]
    """Claim payment amount."""
    patient_responsibility: Annotated[Money | None, Elem("CLP05")] = None
    """Patient responsibility amount."""
    filing_indicator: Annotated[str | None, Elem("CLP06")] = None
    """Claim filing indicator code."""
    payer_claim_control_number: Annotated[str | None, Elem("CLP07")] = None
    """Payer claim control number: ICN / DCN."""
    facility_type: Annotated[str | None, Elem("CLP08")] = None
    """Facility type code."""
    frequency: Annotated[str | None, Elem("CLP09")] = None
    """Claim frequency code."""
    drg_code: Annotated[str | None, Elem("CLP11")] = None
    """Diagnosis related group (DRG) code."""
    drg_weight: Annotated[Money | None, Elem("CLP12")] = None
    """Diagnosis related group (DRG) weight."""
    discharge_fraction: Annotated[Money | None, Elem("CLP13")] = None
    """Discharge fraction."""
    adjustments: Annotated[list[Adjustment], Group("CAS", start=2, size=3, count=6)] = []
    """Adjustments (CAS), one per reason: group, reason code, amount, quantity."""
    patient: Annotated[Party | None, Seg("NM1", qual="QC")] = None
    """Patient name."""
    insured: Annotated[Party | None, Seg("NM1", qual="IL")] = None
    """Insured name."""
    corrected_name: Annotated[Party | None, Seg("NM1", qual="74")] = None
    """Corrected Patient/Insured name."""
    rendering_provider: Annotated[Party | None, Seg("NM1", qual="82")] = None
    """Service provider name."""
    crossover_carrier: Annotated[Party | None, Seg("NM1", qual="TT")] = None
    """Crossover carrier name."""
    corrected_priority_payer: Annotated[Party | None, Seg("NM1", qual="PR")] = None
    """Corrected priority payer name."""
    other_subscriber: Annotated[Party | None, Seg("NM1", qual="GB")] = None
    """Other subscriber name."""
    inpatient: Annotated[InpatientAdjudication | None, Seg("MIA")] = None
    """Inpatient adjudication information."""
    outpatient: Annotated[OutpatientAdjudication | None, Seg("MOA")] = None
    """Outpatient adjudication information."""
    references: Annotated[list[Reference], Seg("REF")] = []
    """Other identifiers (REF), by qualifier."""
    statement_from: Annotated[date | None, Elem("DTM02", qual="232")] = None
    """Claim statement period start date."""
    statement_to: Annotated[date | None, Elem("DTM02", qual="233")] = None
    """Claim statement period end date."""
    coverage_expiration: Annotated[date | None, Elem("DTM02", qual="036")] = None
    """Coverage expiration date."""
    received_date: Annotated[date | None, Elem("DTM02", qual="050")] = None
    """Claim received date."""
    contacts: Annotated[list[Contact], Seg("PER")] = []
    """Contact information."""
    amounts: Annotated[dict[str, Money], SegMap("AMT")] = {}
    """Amounts by qualifier: AU covered, I interest, F5, ..."""
    quantities: Annotated[dict[str, Money], SegMap("QTY")] = {}
    """Quantities by qualifier: CA covered days, ..."""
    services: Annotated[list[ServicePayment], Child("2110")] = []
    """Service line payments (2110)."""
    # LX01 of the 2000 loop the claim is in; read and written by edi.transactions.remit835.
    header_number: Annotated[int | None, Custom("2000"), Field(ge=0, le=999999)] = None
    """LX01 of the 2000 loop the claim is in."""

    @property
    def status_name(self) -> str:
        """`"processed as primary"` for 1, `"reversal of previous payment"` for 22, ..."""
        return codes.name(codes.CLAIM_STATUS, self.status)

    @property
    def is_reversal(self) -> bool:
        return self.status == "22"

    @property
    def remarks(self) -> list[str]:
        """Claim-level remark codes (RARC) from MIA and MOA, in that order."""
        out: list[str] = []
        for adjudication in (self.inpatient, self.outpatient):
            if adjudication is not None:
                out.extend(r for r in adjudication.remarks if r)
        return out

    def adjustments_by_group(self, *, lines: bool = True) -> dict[str, Decimal]:
        """Σ adjustment amounts per group code, claim level plus (by default) every line."""
        totals: dict[str, Decimal] = {}
        items = list(self.adjustments)
        if lines:
            for service in self.services:
                items.extend(service.adjustments)
        for adj in items:
            totals[adj.group] = totals.get(adj.group, Decimal(0)) + adj.amount
        return totals

    def reference(self, qualifier: str) -> str | None:
        """The value of the first REF with this qualifier (`claim.reference("EA")`), or None."""
        return next((r.value for r in self.references if r.qualifier == qualifier), None)


# -- PLB and the whole remittance ----------------------------------------------------------------------


class ProviderAdjustment(ItemModel, Placed):
    """One PLB reason/amount pair, with the provider and fiscal period date of its segment.

    A positive amount reduces the payment (recoupment `WO`, forwarding balance `FB`, ...), a negative one
    increases it (interest `L6`, ...): BPR02 = Σ claim payments − Σ provider adjustments.
    """

    provider_id: Annotated[str, Elem("01")]
    """Provider identifier."""
    fiscal_period_date: Annotated[date, Elem("02")]
    """Fiscal period date."""
    reason: Annotated[str, Part(1, 1)]
    """Adjustment reason code: L6 interest, WO overpayment recovery, FB forwarding balance, ..."""
    reference: Annotated[str | None, Part(1, 2)] = None
    """Provider adjustment identifier: the claim or reference the adjustment is about."""
    amount: Annotated[Money, Part(2)]
    """Provider adjustment amount."""
    segment: Annotated[int | None, InSegment(), Field(ge=1)] = None
    """Which PLB of the set holds the adjustment, counted from 1, as read. Adjustments with one
    number are written in one PLB (one provider and date, six at most), in list order; the number
    only says which share a PLB. None: packed by the writer, up to six pairs of one provider and
    date a PLB."""

    @property
    def reason_name(self) -> str:
        """`"interest owed"` for L6, `"overpayment recovery"` for WO, ..."""
        return codes.name(codes.PROVIDER_ADJUSTMENT_REASONS, self.reason)


class UnreadClaim(ValueModel):
    """A claim payment (2100) of the set that was not read: its loops break the 835's structure or
    show another claim's segments (then the claims next to it are not read either), or a value it
    requires is missing or invalid (the reader's diagnostics say which). The other claims of the set
    are read; this one is named so that nothing is posted for it unnoticed, and so that the
    remittance is known to be incomplete: `write_835` refuses it while this is listed.
    """

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, use_attribute_docstrings=True
    )

    patient_control_number: str | None = None
    """CLP01 as read; None when the claim's CLP is missing."""
    paid: Money | None = None
    """CLP04 as read, when it is a number: what the BPR total counts for this claim."""
    segment: int
    """The number in its set of the claim's first segment (ST is 1), as diagnostics give it."""
    reason: str
    """Why it was not read."""

    _at: Segment | None = PrivateAttr(default=None)  # its first segment, read: where it is said


class Remittance(LoopModel, loop="ST"):
    """One 835 transaction set: a payment (or notice) from a payer to a payee for a batch of claims.

    Example:
        >>> import edi
        >>> for remit in edi.read_remittances(Path("payer.835")):   # doctest: +SKIP
        ...     for claim in remit.claims:
        ...         print(claim.patient_control_number, claim.status_name, claim.paid)

    `claims` is flat; each claim keeps the LX number of its 2000 loop (`header_number`), and
    `header_numbers` keeps each LX with its TS3/TS2 summaries. `envelope` holds the ISA/GS/ST it came
    in, so writing it back reproduces them; a remittance built in code may leave it out.
    """

    __x12_computed__ = ("ST", "SE")  # written by edi.transactions.remit835 from `envelope`

    payment: Annotated[Payment, Seg("BPR")]
    """Financial information."""
    trace: Annotated[Trace, Seg("TRN", qual="1")]
    """Reassociation trace number."""
    currency: Annotated[str | None, Elem("CUR02", qual="PR")] = None
    """Currency code."""
    receiver_id: Annotated[str | None, Elem("REF02", qual="EV")] = None
    """Receiver identification."""
    version_id: Annotated[str | None, Elem("REF02", qual="F2")] = None
    """Version identification."""
    production_date: Annotated[date | None, Elem("DTM02", qual="405")] = None
    """Production date."""
    payer: Annotated[Payer, Child("1000A")]
    """Payer identification."""
    payee: Annotated[Payee, Child("1000B")]
    """Payee identification."""
    header_numbers: Annotated[list[HeaderNumber], Custom("2000")] = []
    """The LX header numbers (2000) with their TS3/TS2 summaries."""
    claims: Annotated[list[ClaimPayment], Custom("2100")] = []
    """Claim payments (2100), in file order."""
    provider_adjustments: Annotated[
        list[ProviderAdjustment], Group("PLB", start=3, size=2, count=6)
    ] = []
    """Provider adjustments (PLB), one per reason and amount pair: positive reduces BPR02, negative
    increases it.
    """
    envelope: Annotated[EnvelopeInfo | None, Custom("ISA")] = None
    """The ISA, GS and ST02 the remittance was read in; None for one built in code."""
    unread_claims: Annotated[list[UnreadClaim], Custom("unread")] = []
    """Claim payments of the set that were not read (their loops broken or holding another claim's
    segments, or next to such a claim; a value they require missing or invalid), in file order:
    empty when every claim was read. The remittance is then incomplete: BPR02 counts claims that
    `claims` lacks, and `write_835` refuses it.
    """

    # The delimiters the remittance was read with: write_835 uses them unless told otherwise.
    _delimiters: Delimiters | None = PrivateAttr(default=None)
    # The problems its reader found in its set (`diagnostics`).
    _diagnostics: list[Diagnostic] | None = PrivateAttr(default=None)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """The problems the reader found in the transaction set this remittance was read from
        (syntax, envelope, structure, data, warnings), in file order: those of the reader's
        `diagnostics` that are this set's. Empty for one built in code or loaded from JSON."""
        return list(self._diagnostics or ())

    @property
    def total_paid(self) -> Decimal:
        """Σ claim payments − Σ provider adjustments: what BPR02 should say, as
        `payment.signed_amount` (negative for a debit, BPR03 D; x12-notes §8.1 rule 4)."""
        claims = sum((c.paid for c in self.claims), Decimal(0))
        return claims - sum((p.amount for p in self.provider_adjustments), Decimal(0))
