"""Hypothesis strategies for valid 835 remittances: guide-valid codes and lengths, and balanced money.

"Valid" means what 005010X221A1 asks for (required elements present, codes from the guide's lists, the
syntax rules of BPR and CAS kept) and what x12-notes §8.1 asks for (every line, claim and the BPR02
total balance, and claim interest AMT*I paid through PLB L6), so pyx12 can judge what `write_835`
makes of them, and `check_remittances` finds nothing wrong with them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypeVar

from hypothesis import strategies as st

from edi.models.common import Contact, Party, Reference
from edi.models.envelope import EnvelopeInfo, GroupHeader, InterchangeHeader
from edi.models.remittance import (
    Adjustment,
    ClaimPayment,
    DeliveryMethod,
    HeaderNumber,
    InpatientAdjudication,
    OutpatientAdjudication,
    Payee,
    Payer,
    Payment,
    ProviderAdjustment,
    ProviderSummary,
    Remark,
    Remittance,
    ServicePayment,
    SupplementalSummary,
    Trace,
)
from tests.strategies_837 import CURRENCIES, cas_numbers, npis, places, some_of

T = TypeVar("T")

# Letters, digits, X12 punctuation and inner blanks: none of the delimiters any test writes with
# (* | ^ : > ~ !).
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcxyz-&.,'/#()+?=;%@"


def text(min_size: int = 1, max_size: int = 20) -> st.SearchStrategy[str]:
    word = st.text(_ALNUM, min_size=1, max_size=max_size)
    return (
        st.lists(word, min_size=1, max_size=3)
        .map(" ".join)
        .filter(lambda s: min_size <= len(s) <= max_size)
    )


def ident(size: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=size, max_size=size)


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2039, 12, 31))
cents = st.integers(min_value=0, max_value=5_000_000)  # up to 50,000.00


def money(value: int) -> Decimal:
    """Cents → an amount, written the ways payers write them (`100`, `100.5`, `100.50`)."""
    return Decimal(value).scaleb(-2).normalize() if value % 100 else Decimal(value // 100)


@st.composite
def adjustments(draw: st.DrawFn, total: int) -> list[Adjustment]:
    """CAS triplets whose amounts add up to `total` cents (several groups, several reasons)."""
    if total == 0 and draw(st.booleans()):
        return []
    n = draw(st.integers(min_value=1, max_value=4))
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=n - 1, max_size=n - 1)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    out = []
    for part in parts:
        out.append(
            Adjustment(
                group=draw(st.sampled_from(["CO", "PR", "OA", "PI"])),
                reason=draw(st.sampled_from(["1", "2", "3", "45", "23", "97", "253", "B7"])),
                amount=money(part),
                quantity=draw(st.none() | st.integers(1, 9).map(Decimal)),
            )
        )
    if draw(st.booleans()):  # else None: the writer packs them
        draw(cas_numbers(out))
    return out


@st.composite
def services(draw: st.DrawFn) -> tuple[ServicePayment, int]:
    charge = draw(cents)
    paid = draw(st.integers(0, charge))
    recoded = draw(st.booleans())
    # DTM*472, or a period: DTM*150 and DTM*151.
    when = draw(st.sampled_from(["date", "period", None]))
    start = draw(dates) if when == "period" else None
    optional: dict[str, st.SearchStrategy[object]] = {
        "revenue_code": st.sampled_from(["0250", "0300", "0450"]),
        # AMT (not B6, `allowed`) and QTY, with the guide's qualifiers.
        "amounts": st.dictionaries(
            st.sampled_from(["KH", "T", "T2", "ZK", "ZO"]), cents.map(money), min_size=1, max_size=2
        ),
        "quantities": st.sampled_from(["ZK", "ZL", "ZO"]).flatmap(
            lambda q: st.integers(1, 30).map(lambda n: {q: Decimal(n)})
        ),
    }
    if recoded:  # SVC06-03..07: the modifiers and description of the code billed
        optional["original_modifiers"] = st.lists(
            st.sampled_from(["25", "59", "GT"]), min_size=1, max_size=2
        )
        optional["original_description"] = text(1, 80)
    if start:
        optional["end_date"] = st.integers(0, 30).map(lambda n: _plus(start, n))
    service = ServicePayment(
        **some_of(draw, optional, 2),
        start_date=start,
        qualifier="HC",
        code=draw(st.sampled_from(["99213", "99214", "85025", "36415", "97110"])),
        modifiers=draw(st.lists(st.sampled_from(["25", "59", "GT", "LT"]), max_size=4)),
        charge=money(charge),
        paid=money(paid),
        units=draw(st.none() | st.integers(1, 12).map(Decimal)),
        original_qualifier="HC" if recoded else None,
        original_code="99215" if recoded else None,
        original_units=Decimal(1) if recoded else None,
        service_date=draw(dates) if when == "date" else None,
        adjustments=draw(adjustments(charge - paid)),
        line_control_number=draw(st.none() | text(1, 30)),
        references=draw(
            st.lists(
                st.builds(Reference, qualifier=st.sampled_from(["LU", "1S", "G1"]), value=text()),
                max_size=2,
            )
        ),
        allowed=draw(st.none() | st.just(money(paid))),
        remarks=draw(
            st.lists(
                st.builds(Remark, qualifier=st.just("HE"), code=st.sampled_from(["N130", "M15"])),
                max_size=2,
            )
        ),
    )
    return service, paid


def _plus(day: date, days: int) -> date:
    return date.fromordinal(day.toordinal() + days)


def person(qualifier_ids: list[str], entity_types: str = "1") -> st.SearchStrategy[Party]:
    return st.builds(
        Party,
        entity_type=st.sampled_from(entity_types),
        name=text(1, 30),
        first_name=st.none() | text(1, 20),
        middle_name=st.none() | st.sampled_from(["A", "Q"]),
        suffix=st.none() | st.sampled_from(["JR", "SR", "III"]),
        id_qualifier=st.sampled_from(qualifier_ids),
        id=ident(10),
    )


def organization(qualifier_ids: list[str]) -> st.SearchStrategy[Party]:
    return st.builds(
        Party,
        entity_type=st.just("2"),
        name=text(1, 30),
        id_qualifier=st.sampled_from(qualifier_ids),
        id=ident(10),
    )


_amount = st.integers(0, 500_000).map(money)
_count = st.integers(0, 60).map(Decimal)


def sparse(
    model: type[T],
    required: dict[str, st.SearchStrategy[object]],
    optional: dict[str, st.SearchStrategy[object]],
    most: int,
    at_least_one: bool = True,
) -> st.SearchStrategy[T]:
    """`model` with its required fields and up to `most` of its optional ones (at least one if
    `at_least_one`: a segment of optional elements only holds one)."""

    @st.composite
    def build(draw: st.DrawFn) -> T:
        values = {name: draw(value) for name, value in required.items()}
        chosen = some_of(draw, optional, most)
        if not chosen and at_least_one:
            name = draw(st.sampled_from(list(optional)))
            chosen = {name: draw(optional[name])}
        return model(**values, **chosen)

    return build()


_REMARK_CODES = ["MA01", "MA02", "M15", "N20", "N130"]
remark_codes = st.lists(st.sampled_from(_REMARK_CODES), min_size=1, max_size=3)
inpatient = sparse(
    InpatientAdjudication,
    {"covered_days": st.integers(0, 60).map(Decimal)},
    {
        "pps_operating_outlier_amount": _amount,
        "lifetime_psychiatric_days": _count,
        "drg_amount": _amount,
        "remarks": remark_codes,
        "disproportionate_share_amount": _amount,
        "msp_pass_through_amount": _amount,
        "pps_capital_amount": _amount,
        "pps_capital_fsp_drg_amount": _amount,
        "pps_capital_hsp_drg_amount": _amount,
        "pps_capital_dsh_drg_amount": _amount,
        "old_capital_amount": _amount,
        "pps_capital_ime_amount": _amount,
        "pps_operating_hospital_specific_drg_amount": _amount,
        "cost_report_day_count": _count,
        "pps_operating_federal_specific_drg_amount": _amount,
        "pps_capital_outlier_amount": _amount,
        "indirect_teaching_amount": _amount,
        "nonpayable_professional_component": _amount,
        "pps_capital_exception_amount": _amount,
    },
    10,
)
outpatient = sparse(
    OutpatientAdjudication,
    {},
    {
        "reimbursement_rate": st.integers(0, 100).map(lambda n: Decimal(n) / 100),
        "hcpcs_payable_amount": _amount,
        "remarks": remark_codes,
        "esrd_payment_amount": _amount,
        "nonpayable_professional_component": _amount,
    },
    3,
)  # at least one element: a segment holds one


@st.composite
def claims(draw: st.DrawFn, header_number: int) -> tuple[ClaimPayment, int]:
    """A balanced claim: charge − claim-level and line-level adjustments = paid; 22 negates all."""
    lines = draw(st.lists(services(), max_size=3))
    if lines:
        # Every line comes back, so CLP03 = Σ SVC02; what the lines paid but the claim did not is a
        # claim-level adjustment (an adjustment is at one level, never both: RFI 358).
        charge = sum(int(s.charge * 100) for s, _ in lines)
        line_paid = sum(p for _, p in lines)
        paid = draw(st.integers(0, line_paid))
        claim_level = _fill(draw, line_paid - paid)
    else:
        charge = draw(cents)
        paid = draw(st.integers(0, charge))
        claim_level = _fill(draw, charge - paid)
    status = draw(st.sampled_from(["1", "2", "3", "4", "19", "20", "22", "23", "25"]))
    if status in ("4", "23", "25"):  # denied, not ours, a predetermination: nothing paid (§9.3)
        paid, lines = 0, []
        claim_level = _fill(draw, charge)
    services_ = [s for s, _ in lines]
    if status == "22":  # a reversal carries every amount negated (x12-notes §8.1 rule 6)
        charge, paid = -charge, -paid
        claim_level = [_negated(a) for a in claim_level]
        services_ = [
            s.model_copy(
                update={
                    "charge": -s.charge,
                    "paid": -s.paid,
                    "adjustments": [_negated(a) for a in s.adjustments],
                    "allowed": None,
                }
            )
            for s in services_
        ]
    patient_resp = sum((a.amount for a in claim_level if a.group == "PR"), Decimal(0)) + sum(
        (a.amount for s in services_ for a in s.adjustments if a.group == "PR"), Decimal(0)
    )
    claim = ClaimPayment(
        patient_control_number=draw(text(1, 38)),
        status=status,
        charge=money(charge),
        paid=money(paid),
        patient_responsibility=draw(st.sampled_from([None, patient_resp])),
        filing_indicator=draw(st.sampled_from(["12", "13", "MB", "MC", "CH"])),
        payer_claim_control_number=draw(text(1, 30)),
        facility_type=draw(st.sampled_from([None, "11", "13", "22"])),
        frequency=draw(st.sampled_from([None, "1", "7"])),
        adjustments=claim_level,
        patient=draw(person(["MI", "HN", "34"])),
        insured=draw(st.none() | person(["MI", "II"])),
        crossover_carrier=Party(
            entity_type="2", name="EXAMPLE CROSSOVER PLAN", id_qualifier="PI", id="CROSS01"
        )
        if status in ("19", "20", "23")
        else None,
        references=draw(
            st.lists(
                st.builds(Reference, qualifier=st.sampled_from(["EA", "F8", "1L"]), value=text()),
                max_size=2,
                unique_by=lambda r: r.qualifier,
            )
        ),
        statement_from=draw(st.none() | dates),
        received_date=draw(st.none() | dates),
        amounts=draw(
            st.dictionaries(st.sampled_from(["AU", "F5", "T", "I"]), cents.map(money), max_size=2)
        ),
        quantities=draw(
            st.dictionaries(
                st.sampled_from(["CA", "ZK"]), st.integers(1, 30).map(Decimal), max_size=1
            )
        ),
        services=services_,
        header_number=header_number,
        **draw(claim_extras()),
    )
    start, end = claim.statement_from, claim.statement_to
    if start is not None and end is not None and end < start:  # a period ends after it starts
        claim.statement_from, claim.statement_to = end, start
    return claim, paid


@st.composite
def claim_extras(draw: st.DrawFn) -> dict[str, object]:
    """Some of the optional CLP elements and 2100 segments: DRG, the other names (NM1*74, 82, PR,
    GB), MIA or MOA, the other dates and the claim contact."""
    if draw(st.integers(0, 2)):
        return {}
    optional: dict[str, st.SearchStrategy[object]] = {
        "drg_code": st.sampled_from(["470", "871", "292"]),
        "drg_weight": st.integers(1, 99999).map(lambda n: Decimal(n) / 10000),
        "discharge_fraction": st.integers(1, 100).map(lambda n: Decimal(n) / 100),
        "corrected_name": person(["C"], "12"),
        # NM1*82: an NPI (XX) that is one, or another identifier.
        "rendering_provider": person(["FI", "BS"], "12")
        | person(["XX"], "12").flatmap(
            lambda p: npis.map(lambda n: p.model_copy(update={"id": n}))
        ),
        "corrected_priority_payer": organization(["PI", "XV"]),
        "other_subscriber": person(["MI", "II"], "12"),
        "inpatient": inpatient,
        "outpatient": outpatient,
        "statement_to": dates,
        "coverage_expiration": dates,
        "contacts": st.builds(
            Contact,
            function=st.just("CX"),
            name=st.none() | text(1, 30),
            qualifier_1=st.sampled_from(["EM", "FX", "TE"]),
            number_1=ident(10),
        ).map(lambda c: [c]),
    }
    out = some_of(draw, optional, 4)
    if "inpatient" in out and "outpatient" in out:  # MIA or MOA
        del out[draw(st.sampled_from(["inpatient", "outpatient"]))]
    return out


def _fill(draw: st.DrawFn, total: int) -> list[Adjustment]:
    return draw(adjustments(total)) if total else []


def _negated(adj: Adjustment) -> Adjustment:
    return adj.model_copy(update={"amount": -adj.amount})


provider_summaries = sparse(
    ProviderSummary,
    {
        "provider_id": ident(10),
        "facility_type": st.just("11"),
        "fiscal_period_date": dates,
        "claim_count": st.just(Decimal(1)),
        "total_charge": cents.map(money),
    },
    {
        "msp_payer_amount": _amount,
        "non_lab_charge": _amount,
        "hcpcs_reported_charge": _amount,
        "hcpcs_payable": _amount,
        "professional_component": _amount,
        "msp_patient_liability_met": _amount,
        "patient_reimbursement": _amount,
        "pip_claim_count": _count,
        "pip_adjustment": _amount,
    },
    4,
    at_least_one=False,
)
supplemental_summaries = sparse(
    SupplementalSummary,
    {},
    {
        "drg_amount": _amount,
        "federal_specific_amount": _amount,
        "hospital_specific_amount": _amount,
        "disproportionate_share_amount": _amount,
        "capital_amount": _amount,
        "indirect_medical_education_amount": _amount,
        "outlier_day_count": _count,
        "day_outlier_amount": _amount,
        "cost_outlier_amount": _amount,
        "average_drg_length_of_stay": _count,
        "discharge_count": _count,
        "cost_report_day_count": _count,
        "covered_day_count": _count,
        "noncovered_day_count": _count,
        "msp_pass_through_amount": _amount,
        "average_drg_weight": st.integers(1, 99999).map(lambda n: Decimal(n) / 10000),
        "pps_capital_fsp_drg_amount": _amount,
        "pps_capital_hsp_drg_amount": _amount,
        "pps_dsh_drg_amount": _amount,
    },
    10,
)  # at least one element: a segment holds one


@st.composite
def remittances(draw: st.DrawFn, *, with_envelope: bool | None = None) -> Remittance:
    """A whole balanced 835: BPR02 = Σ CLP04 − Σ PLB amounts (x12-notes §8.1 rule 4)."""
    groups = draw(st.integers(0, 3))
    headers: list[HeaderNumber] = []
    all_claims: list[ClaimPayment] = []
    paid_total = 0
    for g in range(1, groups + 1):
        headers.append(
            HeaderNumber(
                number=g,
                provider_summary=draw(st.none() | provider_summaries),
                supplemental_summary=draw(st.none() | supplemental_summaries),
            )
        )
        for _ in range(draw(st.integers(1, 3))):
            claim, paid = draw(claims(g))
            all_claims.append(claim)
            paid_total += paid  # negative for a reversal
    provider = draw(
        st.lists(
            st.builds(
                ProviderAdjustment,
                provider_id=st.just("1234567893"),
                fiscal_period_date=dates,
                reason=st.sampled_from(["WO", "FB", "CS", "72"]),  # L6: the claims' interest
                reference=st.none() | text(1, 20),
                amount=st.integers(-50_000, 50_000).filter(bool).map(money),
            ),
            max_size=6,
        )
    )
    interest = sum((c.amounts.get("I", Decimal(0)) for c in all_claims), Decimal(0))
    # Interest reported on claims (AMT*I) is paid through PLB L6 (x12-notes §8.1 rule 5).
    if interest:
        provider.append(
            ProviderAdjustment(
                provider_id="1234567893",
                fiscal_period_date=date(2024, 12, 31),
                reason="L6",
                amount=-interest,
            )
        )
    plb_total = sum(int(p.amount * 100) for p in provider)
    total = paid_total - plb_total
    if total < 0:  # a payment is never negative: the payer forwards the balance (PLB FB)
        provider.append(
            ProviderAdjustment(
                provider_id="1234567893",
                fiscal_period_date=date(2024, 12, 31),
                reason="FB",
                amount=money(total),
            )
        )
        total = 0
    if draw(st.booleans()):  # else None: the writer packs them
        draw(plb_numbers(provider))
    method = "NON" if total == 0 else draw(st.sampled_from(["CHK", "ACH"]))
    bank = (
        {
            "format": "CCP",
            "sender_dfi_qualifier": "01",
            "sender_dfi_id": "999999992",
            "sender_account_qualifier": "DA",
            "sender_account": draw(ident(8)),
            "payer_identifier": "1999999999",
            "receiver_dfi_qualifier": "01",
            "receiver_dfi_id": "888888880",
            "receiver_account_qualifier": "DA",
            "receiver_account": draw(ident(8)),
        }
        if method == "ACH"
        else {}
    )
    remit = Remittance(
        payment=Payment(
            handling="H" if total == 0 else draw(st.sampled_from(["I", "C"])),
            amount=money(total),
            credit_debit="C",
            method=method,
            date=draw(dates),
            **bank,
            originating_company_code=draw(ident(9)) if bank and draw(st.booleans()) else None,
        ),
        trace=Trace(
            number=draw(text(1, 30)),
            payer_id="1" + draw(ident(9)),
            originating_company_code=draw(st.none() | text(1, 50)),
        ),
        receiver_id=draw(st.none() | text(1, 30)),
        version_id=draw(st.none() | text(1, 30)),
        currency=draw(st.none() | st.sampled_from(CURRENCIES)),
        production_date=draw(st.none() | dates),
        payer=Payer(
            name=draw(text(1, 40)),
            **draw(
                st.sampled_from([{}, {"id_qualifier": "XV"}]).map(
                    lambda d: {**d, "id": draw(ident(10))} if d else d
                )
            ),
            address_line_1=draw(text(1, 40)),
            address_line_2=draw(st.none() | text(1, 40)),
            city=draw(text(2, 30)),
            references=draw(_references(["2U", "EO", "HI", "NF"])),
            **draw(places()),
            postal_code=draw(ident(5)),
            contacts=[
                Contact(
                    function="BL", name=draw(text(1, 30)), qualifier_1="TE", number_1="8005550100"
                )
            ],
        ),
        payee=Payee(
            name=draw(text(1, 40)),
            id_qualifier="XX",
            id="1234567893",
            **(draw(payee_addresses()) if draw(st.booleans()) else {}),
            references=draw(
                st.lists(st.builds(Reference, qualifier=st.just("TJ"), value=ident(9)), max_size=1)
            ),
            delivery_method=draw(
                st.none()
                | st.builds(
                    DeliveryMethod,
                    transmission=st.sampled_from(["BM", "EM", "FT", "OL"]),
                    name=st.none() | text(1, 30),
                    number=st.none() | text(1, 30),
                )
            ),
        ),
        header_numbers=headers,
        claims=all_claims,
        provider_adjustments=provider,
    )
    if with_envelope or (with_envelope is None and draw(st.booleans())):
        remit.envelope = draw(envelopes())
    return remit


def _references(order: list[str]) -> st.SearchStrategy[list[Reference]]:
    """REF segments of qualifiers from `order`, each once, in that order."""
    return st.lists(st.sampled_from(order), max_size=2, unique=True).flatmap(
        lambda qs: st.tuples(*(text(1, 30) for _ in qs)).map(
            lambda vs: [
                Reference(qualifier=q, value=v)
                for q, v in zip(sorted(qs, key=order.index), vs, strict=True)
            ]
        )
    )


@st.composite
def payee_addresses(draw: st.DrawFn) -> dict[str, object]:
    return {
        "address_line_1": draw(text(1, 40)),
        "address_line_2": draw(st.none() | text(1, 40)),
        "city": draw(text(2, 30)),
        **draw(places()),
        "postal_code": draw(ident(5)),
    }


@st.composite
def plb_numbers(draw: st.DrawFn, adjustments: list[ProviderAdjustment]) -> None:
    """Number the PLB of each adjustment (`segment`), laid out at random: a new PLB wherever drawn,
    and wherever the last is full or the provider or date changes. Labels, not positions: they
    need not start at 1 nor follow on."""
    number = draw(st.integers(1, 3))
    run: list[ProviderAdjustment] = []
    for adjustment in adjustments:
        if run and (
            len(run) == 6
            or (run[0].provider_id, run[0].fiscal_period_date)
            != (adjustment.provider_id, adjustment.fiscal_period_date)
            or draw(st.booleans())
        ):
            number += draw(st.integers(1, 2))
            run = []
        adjustment.segment = number
        run.append(adjustment)


@st.composite
def envelopes(draw: st.DrawFn) -> EnvelopeInfo:
    when = draw(dates)
    control = draw(st.integers(1000, 999_999_999))  # clear of the default control numbers
    return EnvelopeInfo(
        interchange=InterchangeHeader(
            **draw(
                st.sampled_from([{}, {"authorization_qualifier": "03"}]).map(
                    lambda d: {**d, "authorization": draw(ident(10))} if d else d
                )
            ),
            **draw(
                st.sampled_from([{}, {"security_qualifier": "01"}]).map(
                    lambda d: {**d, "security": draw(ident(10))} if d else d
                )
            ),
            sender_qualifier=draw(st.sampled_from(["ZZ", "01", "14", "20", "27", "30"])),
            sender_id=draw(text(2, 15)),
            receiver_qualifier=draw(st.sampled_from(["ZZ", "01", "28", "29", "33"])),
            receiver_id=draw(text(2, 15)),
            acknowledgment_requested=draw(st.sampled_from(["0", "1"])),
            date=when.strftime("%y%m%d"),
            time="1200",
            control_number=f"{control:09d}",
            usage=draw(st.sampled_from(["P", "T"])),
        ),
        group=GroupHeader(
            functional_id="HP",
            sender=draw(text(2, 15)),
            receiver=draw(text(2, 15)),
            date=when.strftime("%Y%m%d"),
            time="1200",
            control_number=str(control % 1_000_000 or 1),
            version="005010X221A1",
        ),
        set_control_number=f"{draw(st.integers(1, 9999)):04d}",
    )
