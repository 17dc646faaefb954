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

from pydantic import PrivateAttr

from edi import codes
from edi.models.base import (
    Child,
    Custom,
    Elem,
    Elems,
    Group,
    ItemModel,
    LoopModel,
    Money,
    Part,
    Seg,
    SegMap,
    SegmentModel,
)
from edi.models.common import Contact, Party, Reference
from edi.models.envelope import EnvelopeInfo
from edi.x12.delimiters import Delimiters

# -- header --------------------------------------------------------------------------------------------


class Payment(SegmentModel):
    """BPR: the money itself, how and when it moves.

    `amount` (BPR02) is the total actually paid to the provider: Σ claim payments − Σ provider-level
    adjustments (x12-notes §8.1).
    """

    handling: Annotated[str, Elem("01")]  # C payment + remittance, I remittance only, H notice, ...
    amount: Annotated[Money, Elem("02")]
    credit_debit: Annotated[str, Elem("03")]  # C credit, D debit
    method: Annotated[str, Elem("04")]  # ACH, CHK, FWT, BOP, NON
    format: Annotated[str | None, Elem("05")] = None  # CCP, CTX
    sender_dfi_qualifier: Annotated[str | None, Elem("06")] = None
    sender_dfi_id: Annotated[str | None, Elem("07")] = None
    sender_account_qualifier: Annotated[str | None, Elem("08")] = None
    sender_account: Annotated[str | None, Elem("09")] = None
    payer_identifier: Annotated[str | None, Elem("10")] = None
    originating_company_code: Annotated[str | None, Elem("11")] = None
    receiver_dfi_qualifier: Annotated[str | None, Elem("12")] = None
    receiver_dfi_id: Annotated[str | None, Elem("13")] = None
    receiver_account_qualifier: Annotated[str | None, Elem("14")] = None
    receiver_account: Annotated[str | None, Elem("15")] = None
    date: Annotated[dt.date | None, Elem("16")] = None  # check issue or EFT effective date

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


class Trace(SegmentModel):
    """TRN*1: the check or EFT trace number that ties the remittance to the money."""

    number: Annotated[str, Elem("02")]
    payer_id: Annotated[str | None, Elem("03")] = None  # "1" + payer EIN, by convention
    originating_company_code: Annotated[str | None, Elem("04")] = None


class Payer(LoopModel, loop="1000A"):
    """1000A: who paid (N1*PR), its address, extra ids (REF) and contacts (PER CX/BL/IC)."""

    name: Annotated[str, Elem("N102", qual="PR")]
    id_qualifier: Annotated[str | None, Elem("N103", qual="PR")] = None  # XV: CMS plan id
    id: Annotated[str | None, Elem("N104", qual="PR")] = None
    address_line_1: Annotated[str | None, Elem("N301")] = None
    address_line_2: Annotated[str | None, Elem("N302")] = None
    city: Annotated[str | None, Elem("N401")] = None
    state: Annotated[str | None, Elem("N402")] = None
    postal_code: Annotated[str | None, Elem("N403")] = None
    country: Annotated[str | None, Elem("N404")] = None
    country_subdivision: Annotated[str | None, Elem("N407")] = None
    references: Annotated[list[Reference], Seg("REF")] = []  # 2U payer id, EO, HI, NF
    contacts: Annotated[list[Contact], Seg("PER")] = []  # CX business, BL technical, IC web site


class DeliveryMethod(SegmentModel):
    """RDM: how the remittance is delivered when it is not the 835 itself."""

    transmission: Annotated[str, Elem("01")]  # BM mail, EM e-mail, FT file transfer, OL on-line
    name: Annotated[str | None, Elem("02")] = None
    number: Annotated[str | None, Elem("03")] = None


class Payee(LoopModel, loop="1000B"):
    """1000B: who is paid (N1*PE, id by N103: XX NPI, FI TIN, XV plan id), with REF ids and RDM."""

    name: Annotated[str, Elem("N102", qual="PE")]
    id_qualifier: Annotated[str | None, Elem("N103", qual="PE")] = None
    id: Annotated[str | None, Elem("N104", qual="PE")] = None
    address_line_1: Annotated[str | None, Elem("N301")] = None
    address_line_2: Annotated[str | None, Elem("N302")] = None
    city: Annotated[str | None, Elem("N401")] = None
    state: Annotated[str | None, Elem("N402")] = None
    postal_code: Annotated[str | None, Elem("N403")] = None
    country: Annotated[str | None, Elem("N404")] = None
    country_subdivision: Annotated[str | None, Elem("N407")] = None
    references: Annotated[list[Reference], Seg("REF")] = []  # 0B, D3, PQ, TJ (TIN)
    delivery_method: Annotated[DeliveryMethod | None, Seg("RDM")] = None


# -- 2000 header number ----------------------------------------------------------------------------------


class ProviderSummary(SegmentModel):
    """TS3: a provider's totals for the claims of one header number (institutional, Medicare)."""

    provider_id: Annotated[str, Elem("01")]
    facility_type: Annotated[str | None, Elem("02")] = None
    fiscal_period_date: Annotated[date | None, Elem("03")] = None
    claim_count: Annotated[Money | None, Elem("04")] = None
    total_charge: Annotated[Money | None, Elem("05")] = None
    msp_payer_amount: Annotated[Money | None, Elem("13")] = None
    non_lab_charge: Annotated[Money | None, Elem("15")] = None
    hcpcs_reported_charge: Annotated[Money | None, Elem("17")] = None
    hcpcs_payable: Annotated[Money | None, Elem("18")] = None
    professional_component: Annotated[Money | None, Elem("20")] = None
    msp_patient_liability_met: Annotated[Money | None, Elem("21")] = None
    patient_reimbursement: Annotated[Money | None, Elem("22")] = None
    pip_claim_count: Annotated[Money | None, Elem("23")] = None
    pip_adjustment: Annotated[Money | None, Elem("24")] = None


class SupplementalSummary(SegmentModel):
    """TS2: DRG, outlier and capital totals for one header number (Medicare Part A)."""

    drg_amount: Annotated[Money | None, Elem("01")] = None
    federal_specific_amount: Annotated[Money | None, Elem("02")] = None
    hospital_specific_amount: Annotated[Money | None, Elem("03")] = None
    disproportionate_share_amount: Annotated[Money | None, Elem("04")] = None
    capital_amount: Annotated[Money | None, Elem("05")] = None
    indirect_medical_education_amount: Annotated[Money | None, Elem("06")] = None
    outlier_day_count: Annotated[Money | None, Elem("07")] = None
    day_outlier_amount: Annotated[Money | None, Elem("08")] = None
    cost_outlier_amount: Annotated[Money | None, Elem("09")] = None
    average_drg_length_of_stay: Annotated[Money | None, Elem("10")] = None
    discharge_count: Annotated[Money | None, Elem("11")] = None
    cost_report_day_count: Annotated[Money | None, Elem("12")] = None
    covered_day_count: Annotated[Money | None, Elem("13")] = None
    noncovered_day_count: Annotated[Money | None, Elem("14")] = None
    msp_pass_through_amount: Annotated[Money | None, Elem("15")] = None
    average_drg_weight: Annotated[Money | None, Elem("16")] = None
    pps_capital_fsp_drg_amount: Annotated[Money | None, Elem("17")] = None
    pps_capital_hsp_drg_amount: Annotated[Money | None, Elem("18")] = None
    pps_dsh_drg_amount: Annotated[Money | None, Elem("19")] = None


class HeaderNumber(LoopModel, loop="2000"):
    """2000 without its claims: the LX number that groups claims, and the TS3/TS2 summaries.

    Claims carry their group's number as `ClaimPayment.header_number`; the 835 writer puts
    consecutive claims with the same number under one LX again.
    """

    number: Annotated[int, Elem("LX01")]
    provider_summary: Annotated[ProviderSummary | None, Seg("TS3")] = None
    supplemental_summary: Annotated[SupplementalSummary | None, Seg("TS2")] = None

    # How many claims followed this LX when it was read: lets the writer keep two adjacent groups
    # with the same number apart. Not data; models built in code leave it unset.
    _claim_count: int | None = PrivateAttr(default=None)


# -- adjustments and remarks ---------------------------------------------------------------------------


class Adjustment(ItemModel):
    """One CAS reason/amount/quantity triplet, with its group code.

    A CAS segment holds up to six triplets of one group; each becomes an `Adjustment`. A positive amount
    reduces the payment, a negative one increases it (x12-notes §8.1).
    """

    group: Annotated[str, Elem("01")]  # CO contractual, PR patient, OA other, PI payer-initiated
    reason: Annotated[str, Part(1)]  # claim adjustment reason code (CARC)
    amount: Annotated[Money, Part(2)]
    quantity: Annotated[Money | None, Part(3)] = None

    @property
    def group_name(self) -> str:
        """`"patient responsibility"` for PR, ..."""
        return codes.name(codes.ADJUSTMENT_GROUPS, self.group)


class InpatientAdjudication(SegmentModel):
    """MIA: inpatient adjudication amounts and claim-level remark codes (MIA05, MIA20–23)."""

    covered_days: Annotated[Money, Elem("01")]
    pps_operating_outlier_amount: Annotated[Money | None, Elem("02")] = None
    lifetime_psychiatric_days: Annotated[Money | None, Elem("03")] = None
    drg_amount: Annotated[Money | None, Elem("04")] = None
    remarks: Annotated[list[str], Elems("05", "20", "21", "22", "23")] = []
    disproportionate_share_amount: Annotated[Money | None, Elem("06")] = None
    msp_pass_through_amount: Annotated[Money | None, Elem("07")] = None
    pps_capital_amount: Annotated[Money | None, Elem("08")] = None
    pps_capital_fsp_drg_amount: Annotated[Money | None, Elem("09")] = None
    pps_capital_hsp_drg_amount: Annotated[Money | None, Elem("10")] = None
    pps_capital_dsh_drg_amount: Annotated[Money | None, Elem("11")] = None
    old_capital_amount: Annotated[Money | None, Elem("12")] = None
    pps_capital_ime_amount: Annotated[Money | None, Elem("13")] = None
    pps_operating_hospital_specific_drg_amount: Annotated[Money | None, Elem("14")] = None
    cost_report_day_count: Annotated[Money | None, Elem("15")] = None
    pps_operating_federal_specific_drg_amount: Annotated[Money | None, Elem("16")] = None
    pps_capital_outlier_amount: Annotated[Money | None, Elem("17")] = None
    indirect_teaching_amount: Annotated[Money | None, Elem("18")] = None
    nonpayable_professional_component: Annotated[Money | None, Elem("19")] = None
    pps_capital_exception_amount: Annotated[Money | None, Elem("24")] = None


class OutpatientAdjudication(SegmentModel):
    """MOA: outpatient adjudication amounts and claim-level remark codes (MOA03–07)."""

    reimbursement_rate: Annotated[Money | None, Elem("01")] = None
    hcpcs_payable_amount: Annotated[Money | None, Elem("02")] = None
    remarks: Annotated[list[str], Elems("03", "04", "05", "06", "07")] = []
    esrd_payment_amount: Annotated[Money | None, Elem("08")] = None
    nonpayable_professional_component: Annotated[Money | None, Elem("09")] = None


class Remark(SegmentModel):
    """LQ: a service-line remark: `HE` + a remittance advice remark code (RARC), or `RX` + NCPDP code."""

    qualifier: Annotated[str, Elem("01")]
    code: Annotated[str, Elem("02")]


# -- 2110 service payment and 2100 claim payment -------------------------------------------------------


class ServicePayment(LoopModel, loop="2110"):
    """2110: one adjudicated service line.

    Balances as `charge − Σ adjustment amounts = paid` (x12-notes §8.1 rule 1).
    """

    qualifier: Annotated[str, Elem("SVC01-01")]  # HC HCPCS/CPT, AD CDT, NU revenue code, N4 NDC
    # Required by the guide; None only when SVC01 has no component separator (a diagnostic says so).
    code: Annotated[str | None, Elem("SVC01-02")] = None
    modifiers: Annotated[list[str], Elems("SVC01-03", "SVC01-04", "SVC01-05", "SVC01-06")] = []
    charge: Annotated[Money, Elem("SVC02")]
    paid: Annotated[Money, Elem("SVC03")]
    revenue_code: Annotated[str | None, Elem("SVC04")] = None
    units: Annotated[Money | None, Elem("SVC05")] = None  # units paid; absent means 1
    original_qualifier: Annotated[str | None, Elem("SVC06-01")] = None
    original_code: Annotated[str | None, Elem("SVC06-02")] = None  # as billed, when recoded
    original_modifiers: Annotated[
        list[str], Elems("SVC06-03", "SVC06-04", "SVC06-05", "SVC06-06")
    ] = []
    original_description: Annotated[str | None, Elem("SVC06-07")] = None
    original_units: Annotated[Money | None, Elem("SVC07")] = None
    service_date: Annotated[date | None, Elem("DTM02", qual="472")] = None
    start_date: Annotated[date | None, Elem("DTM02", qual="150")] = None
    end_date: Annotated[date | None, Elem("DTM02", qual="151")] = None
    adjustments: Annotated[list[Adjustment], Group("CAS", start=2, size=3, count=6)] = []
    line_control_number: Annotated[str | None, Elem("REF02", qual="6R")] = None
    references: Annotated[list[Reference], Seg("REF")] = []
    allowed: Annotated[Money | None, Elem("AMT02", qual="B6")] = None
    amounts: Annotated[dict[str, Money], SegMap("AMT")] = {}
    quantities: Annotated[dict[str, Money], SegMap("QTY")] = {}
    remarks: Annotated[list[Remark], Seg("LQ")] = []

    @property
    def adjustment_total(self) -> Decimal:
        """Σ of the line's adjustment amounts (quantities never count)."""
        return sum((a.amount for a in self.adjustments), Decimal(0))


class ClaimPayment(LoopModel, loop="2100"):
    """2100: how one claim was paid (CLP), who it was for, why it was adjusted, and its lines.

    Balances as `charge − Σ claim and line adjustment amounts = paid` (x12-notes §8.1 rule 2). A
    reversal (status 22) carries every amount negated.
    """

    patient_control_number: Annotated[str, Elem("CLP01")]  # the 837's CLM01
    status: Annotated[str, Elem("CLP02")]  # see edi.codes.CLAIM_STATUS
    charge: Annotated[Money, Elem("CLP03")]
    paid: Annotated[Money, Elem("CLP04")]
    patient_responsibility: Annotated[Money | None, Elem("CLP05")] = None
    filing_indicator: Annotated[str | None, Elem("CLP06")] = None
    payer_claim_control_number: Annotated[str | None, Elem("CLP07")] = None  # ICN / DCN
    facility_type: Annotated[str | None, Elem("CLP08")] = None
    frequency: Annotated[str | None, Elem("CLP09")] = None
    drg_code: Annotated[str | None, Elem("CLP11")] = None
    drg_weight: Annotated[Money | None, Elem("CLP12")] = None
    discharge_fraction: Annotated[Money | None, Elem("CLP13")] = None
    adjustments: Annotated[list[Adjustment], Group("CAS", start=2, size=3, count=6)] = []
    patient: Annotated[Party | None, Seg("NM1", qual="QC")] = None
    insured: Annotated[Party | None, Seg("NM1", qual="IL")] = None
    corrected_name: Annotated[Party | None, Seg("NM1", qual="74")] = None
    rendering_provider: Annotated[Party | None, Seg("NM1", qual="82")] = None
    crossover_carrier: Annotated[Party | None, Seg("NM1", qual="TT")] = None
    corrected_priority_payer: Annotated[Party | None, Seg("NM1", qual="PR")] = None
    other_subscriber: Annotated[Party | None, Seg("NM1", qual="GB")] = None
    inpatient: Annotated[InpatientAdjudication | None, Seg("MIA")] = None
    outpatient: Annotated[OutpatientAdjudication | None, Seg("MOA")] = None
    references: Annotated[list[Reference], Seg("REF")] = []
    statement_from: Annotated[date | None, Elem("DTM02", qual="232")] = None
    statement_to: Annotated[date | None, Elem("DTM02", qual="233")] = None
    coverage_expiration: Annotated[date | None, Elem("DTM02", qual="036")] = None
    received_date: Annotated[date | None, Elem("DTM02", qual="050")] = None
    contacts: Annotated[list[Contact], Seg("PER")] = []
    amounts: Annotated[dict[str, Money], SegMap("AMT")] = {}  # AU covered, I interest, F5, ...
    quantities: Annotated[dict[str, Money], SegMap("QTY")] = {}  # CA covered days, ...
    services: Annotated[list[ServicePayment], Child("2110")] = []
    # LX01 of the 2000 loop the claim is in; read and written by edi.transactions.remit835.
    header_number: Annotated[int | None, Custom("2000")] = None

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


class ProviderAdjustment(ItemModel):
    """One PLB reason/amount pair, with the provider and fiscal period date of its segment.

    A positive amount reduces the payment (recoupment `WO`, forwarding balance `FB`, ...), a negative one
    increases it (interest `L6`, ...): BPR02 = Σ claim payments − Σ provider adjustments.
    """

    provider_id: Annotated[str, Elem("01")]
    fiscal_period_date: Annotated[date, Elem("02")]
    reason: Annotated[str, Part(1, 1)]
    reference: Annotated[str | None, Part(1, 2)] = None
    amount: Annotated[Money, Part(2)]

    @property
    def reason_name(self) -> str:
        """`"interest owed"` for L6, `"overpayment recovery"` for WO, ..."""
        return codes.name(codes.PROVIDER_ADJUSTMENT_REASONS, self.reason)


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
    trace: Annotated[Trace, Seg("TRN", qual="1")]
    currency: Annotated[str | None, Elem("CUR02", qual="PR")] = None
    receiver_id: Annotated[str | None, Elem("REF02", qual="EV")] = None
    version_id: Annotated[str | None, Elem("REF02", qual="F2")] = None
    production_date: Annotated[date | None, Elem("DTM02", qual="405")] = None
    payer: Annotated[Payer, Child("1000A")]
    payee: Annotated[Payee, Child("1000B")]
    header_numbers: Annotated[list[HeaderNumber], Custom("2000")] = []
    claims: Annotated[list[ClaimPayment], Custom("2100")] = []
    provider_adjustments: Annotated[
        list[ProviderAdjustment], Group("PLB", start=3, size=2, count=6)
    ] = []
    envelope: Annotated[EnvelopeInfo | None, Custom("ISA")] = None

    # The delimiters the remittance was read with: write_835 uses them unless told otherwise.
    _delimiters: Delimiters | None = PrivateAttr(default=None)

    @property
    def total_paid(self) -> Decimal:
        """Σ claim payments − Σ provider adjustments: what BPR02 should say (x12-notes §8.1 rule 4)."""
        claims = sum((c.paid for c in self.claims), Decimal(0))
        return claims - sum((p.amount for p in self.provider_adjustments), Decimal(0))
