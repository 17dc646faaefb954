"""Hypothesis strategies for valid 837 claims of each kind: guide-valid codes and lengths, balanced money.

"Valid" means what the 5010 guides ask for (required segments and elements present, codes from the
guides' lists, a service segment that matches the claim kind, D8/RD8 dates) and what the business
checks ask for (CLM02 = Σ lines, diagnosis pointers that point at something, REF*F8 on replacements,
COB amounts that balance, x12-notes §8.2), so pyx12 can judge what `write_837` makes of them.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from hypothesis import strategies as st

from edi import codesets
from edi.models.base import Period
from edi.models.claim import Claim, HealthCode, ToothStatus
from edi.models.claim_cob import OtherPayer, OtherSubscriber, PriorPayer
from edi.models.claim_lines import (
    DentalService,
    Drug,
    EquipmentService,
    InstitutionalService,
    LineAdjudication,
    ProfessionalService,
    PurchasedService,
    ServiceLine,
    TestResult,
    Tooth,
)
from edi.models.claim_parties import (
    BillingProvider,
    ClaimPayer,
    Patient,
    Provider,
    Receiver,
    Submitter,
    Subscriber,
    TransactionHeader,
)
from edi.models.claim_segments import (
    AmbulanceTransport,
    ConditionIndicator,
    EquipmentCertification,
    FileInformation,
    SpinalManipulation,
)
from edi.models.common import Contact
from edi.models.remittance import Adjustment

# Letters, digits, X12 punctuation and inner blanks: none of the delimiters any test writes with
# (* | ^ : > ~ !).
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcxyz-&.,'/#()+?=;%@"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
POS = sorted(codesets.PLACES_OF_SERVICE)  # CMS place of service codes (`places_of_service`)
# US and Canadian state codes that pyx12's older list takes too (it lacks NL, NU, PW, QC).
STATES = ["IL", "NY", "CA", "TX", "WA", "MO", "DC", "PR", "GU", "AE", "ON", "BC"]
ABROAD = ["MX", "DE", "JP", "GB", "FR"]  # countries of addresses outside the US and Canada
CURRENCIES = ["USD", "CAD", "EUR", "GBP", "JPY"]  # in pyx12's older list too
FILING = ["CI", "MB", "MC", "BL", "HM", "12", "16"]
DIAGNOSES = ["E119", "I10", "J069", "R509", "M545", "Z0000", "K219", "N390", "R51", "J029"]
CPT = ["99213", "99214", "81002", "87880", "36415", "93000", "97110", "90686"]
CDT = ["D0120", "D1110", "D2391", "D2740", "D4341", "D0274"]
REVENUE = ["0120", "0250", "0300", "0320", "0450", "0636"]


def text(min_size: int = 1, max_size: int = 20, alphabet: str = _ALNUM) -> st.SearchStrategy[str]:
    word = st.text(alphabet, min_size=1, max_size=max_size)
    return (
        st.lists(word, min_size=1, max_size=3)
        .map(" ".join)
        .filter(lambda s: min_size <= len(s) <= max_size)
    )


def ident(size: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=size, max_size=size)


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2039, 12, 31))


def places_of_service(on: date | None) -> st.SearchStrategy[str]:
    """The place of service codes in use on `on`, a date of service (None: any)."""
    return st.sampled_from(
        [c for c in POS if on is None or codesets.POS_EFFECTIVE.get(c, date.min) <= on]
    )


@st.composite
def places(draw: st.DrawFn) -> dict[str, str | None]:
    """The state and country of an address (N402, N404, N407): mostly in the US or Canada, with a
    state code and no country; sometimes abroad, with a country, no state code (N402 is for the US
    and Canada) and maybe a subdivision of the country (N407)."""
    if draw(st.integers(0, 4)):
        return {"state": draw(st.sampled_from(STATES))}
    subdivision = draw(st.none() | st.sampled_from(["BY", "13", "ENG"]))
    return {"country": draw(st.sampled_from(ABROAD)), "country_subdivision": subdivision}


births = st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31))
cents = st.integers(min_value=0, max_value=2_000_000)  # up to 20,000.00
names = text(2, 30, _LETTERS)


def money(value: int) -> Decimal:
    """Cents → an amount as billing systems write them (`100`, `100.5`, `100.25`)."""
    return Decimal(value).scaleb(-2).normalize() if value % 100 else Decimal(value // 100)


def _luhn_npi(nine: str) -> str:
    digits = [int(c) for c in "80840" + nine]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return nine + str((10 - total % 10) % 10)


npis = st.text("0123456789", min_size=8, max_size=8).map(lambda s: _luhn_npi("1" + s))
zips = st.sampled_from(["62701", "627010001", "10001", "900101234"])
periods = st.builds(Period, start=dates)
ranges = st.tuples(dates, st.integers(0, 30)).map(
    lambda t: Period(start=t[0], end=date.fromordinal(t[0].toordinal() + t[1]))
)


@st.composite
def headers(draw: st.DrawFn) -> TransactionHeader:
    clock = draw(st.times(max_value=time(23, 59)))
    return TransactionHeader(
        reference=draw(text(1, 30)),
        date=draw(dates),
        time=f"{clock.hour:02d}{clock.minute:02d}",
        submitter=Submitter(
            entity_type="2",
            name=draw(names),
            id_qualifier="46",
            id=draw(ident(9)),
            contacts=[
                Contact(function="IC", name=draw(names), qualifier_1="TE", number_1=draw(ident(10)))
            ],
        ),
        receiver=Receiver(entity_type="2", name=draw(names), id_qualifier="46", id=draw(ident(9))),
    )


@st.composite
def billing_providers(draw: st.DrawFn) -> BillingProvider:
    return BillingProvider(
        taxonomy=draw(st.none() | st.sampled_from(["207Q00000X", "282N00000X", "1223G0001X"])),
        currency=draw(st.none() | st.sampled_from(CURRENCIES)),
        name=draw(names),
        npi=draw(npis),
        address_line_1=draw(text(1, 30)),
        city=draw(names),
        state=draw(st.sampled_from(STATES)),
        postal_code=draw(st.sampled_from(["627010001", "100011234"])),  # 9 digits (837I)
        tax_id=draw(ident(9)),
    )


@st.composite
def subscribers(draw: st.DrawFn, is_patient: bool) -> Subscriber:
    return Subscriber(
        payer_responsibility=draw(st.sampled_from(["P", "S", "T"])),
        relationship="18" if is_patient else None,
        group_number=draw(st.none() | text(1, 20)),
        filing_indicator=draw(st.sampled_from(FILING)),
        last_name=draw(names),
        first_name=draw(st.none() | names),
        member_id=draw(ident(10)),
        address_line_1=draw(text(1, 30)),
        city=draw(names),
        **draw(places()),
        postal_code=draw(zips),
        birth_date=draw(births),
        gender=draw(st.sampled_from(["F", "M", "U"])),
    )


@st.composite
def patients(draw: st.DrawFn) -> Patient:
    return Patient(
        relationship=draw(st.sampled_from(["01", "19", "20", "21", "39", "40", "53", "G8"])),
        last_name=draw(names),
        first_name=draw(names),
        address_line_1=draw(text(1, 30)),
        city=draw(names),
        **draw(places()),
        postal_code=draw(zips),
        birth_date=draw(births),
        gender=draw(st.sampled_from(["F", "M", "U"])),
    )


payers = st.builds(ClaimPayer, name=names, id=ident(5))


@st.composite
def adjustments(draw: st.DrawFn, total: int) -> list[Adjustment]:
    """CAS triplets whose amounts add up to `total` cents (one to three, groups CO/PR/OA)."""
    if total == 0:
        return []
    n = draw(st.integers(min_value=1, max_value=3))
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=n - 1, max_size=n - 1)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    out = [
        Adjustment(
            group=draw(st.sampled_from(["CO", "PR", "OA"])),
            reason=draw(st.sampled_from(["1", "2", "3", "45", "253"])),
            amount=money(part),
        )
        for part in parts
        if part
    ]
    if draw(st.booleans()):  # else None: the writer packs them
        draw(cas_numbers(out))
    return out


@st.composite
def cas_numbers(draw: st.DrawFn, adjustments: list[Adjustment]) -> None:
    """Number the CAS of each triplet (`segment`), laid out at random: a new CAS wherever drawn
    (so one group code may take several), and wherever the last is full or the group changes.
    Labels, not positions: they need not start at 1 nor follow on."""
    number = draw(st.integers(1, 3))
    run: list[Adjustment] = []
    for adjustment in adjustments:
        if run and (len(run) == 6 or run[0].group != adjustment.group or draw(st.booleans())):
            number += draw(st.integers(1, 2))
            run = []
        adjustment.segment = number
        run.append(adjustment)


# -- service lines per kind ----------------------------------------------------------------------------


@st.composite
def professional_lines(draw: st.DrawFn, diagnoses: int) -> tuple[ServiceLine, int]:
    charge = draw(cents)
    pointers = draw(
        st.lists(st.integers(1, diagnoses), min_size=1, max_size=min(4, diagnoses), unique=True)
    )
    code = draw(st.sampled_from(CPT))
    drug = None
    if draw(st.booleans()) and draw(st.booleans()):
        drug = Drug(
            qualifier="N4",
            code=draw(ident(11)),
            quantity=Decimal(draw(st.integers(1, 99))),
            unit=draw(st.sampled_from(["UN", "ML", "GR"])),
        )
    details = draw(professional_line_details(code, charge)) if draw(st.booleans()) else {}
    service_date = draw(periods)
    line = ServiceLine(
        **details,
        professional=ProfessionalService(
            qualifier="HC",
            code=code,
            modifiers=draw(st.lists(st.sampled_from(["25", "59", "LT", "RT"]), max_size=2)),
            charge=money(charge),
            unit="UN",
            quantity=Decimal(draw(st.integers(1, 9))),
            diagnosis_pointers=pointers,
            place_of_service=draw(st.none() | places_of_service(service_date.start)),
        ),
        service_date=service_date,
        drug=drug,
    )
    return line, charge


# The 837P line segments beyond SV1 (x12-notes §3: SV5, CR1, CR3, CRC, MEA, K3, PS1), with guide codes.
ambulance = st.builds(
    AmbulanceTransport,
    patient_weight=st.none() | st.integers(50, 400).map(Decimal),
    reason=st.sampled_from("ABCDE"),
    distance=st.integers(1, 200).map(Decimal),
    round_trip_purpose=st.none() | text(1, 30),
    stretcher_purpose=st.none() | text(1, 30),
)
# Line CRC: (category, the condition codes the guide allows it, how many).
_LINE_CONDITIONS = [
    ("07", ["01", "04", "05", "06", "07", "08", "09", "12"], 5),  # ambulance certification
    ("70", ["65"], 1),  # hospice employee
    ("09", ["38", "ZV"], 2),  # DME condition indicator
]


@st.composite
def line_conditions(draw: st.DrawFn) -> ConditionIndicator:
    category, allowed, most = draw(st.sampled_from(_LINE_CONDITIONS))
    codes = draw(st.lists(st.sampled_from(allowed), min_size=1, max_size=most, unique=True))
    return ConditionIndicator(category=category, answer=draw(st.sampled_from("YN")), codes=codes)


@st.composite
def professional_line_details(draw: st.DrawFn, code: str, charge: int) -> dict[str, object]:
    """Some of the optional 837P line segments, each with what the guide requires of it."""
    details: dict[str, object] = {}
    if draw(st.booleans()):
        details["equipment"] = EquipmentService(
            qualifier="HC",
            code=code,
            days=Decimal(draw(st.integers(1, 365))),
            rental_price=money(charge),
            purchase_price=money(draw(cents)),
            rental_frequency=draw(st.sampled_from(["1", "4", "6"])),
        )
        details["equipment_certification"] = EquipmentCertification(
            type=draw(st.sampled_from("IRS")), months=Decimal(draw(st.integers(1, 99)))
        )
    if draw(st.booleans()):
        details["ambulance"] = draw(ambulance)
    details["conditions"] = draw(st.lists(line_conditions(), max_size=1))
    details["test_results"] = [
        TestResult(reference="TR", qualifier=q, value=Decimal(draw(st.integers(1, 999))) / 10)
        for q in draw(st.lists(st.sampled_from(["R1", "R2", "R4"]), max_size=2, unique=True))
    ]
    details["file_information"] = [
        FileInformation(text=t) for t in draw(st.lists(text(1, 30), max_size=2))
    ]
    if draw(st.booleans()):
        details["purchased_service"] = PurchasedService(
            provider_id=draw(ident(10)), charge=money(charge)
        )
    return details


@st.composite
def institutional_lines(draw: st.DrawFn, diagnoses: int) -> tuple[ServiceLine, int]:
    charge = draw(cents)
    with_code = draw(st.booleans())
    line = ServiceLine(
        institutional=InstitutionalService(
            revenue_code=draw(st.sampled_from(REVENUE)),
            qualifier="HC" if with_code else None,
            code=draw(st.sampled_from(CPT)) if with_code else None,
            charge=money(charge),
            unit=draw(st.sampled_from(["UN", "DA"])),
            quantity=Decimal(draw(st.integers(1, 9))),
        ),
        service_date=draw(st.none() | periods),
    )
    return line, charge


@st.composite
def dental_lines(draw: st.DrawFn, diagnoses: int) -> tuple[ServiceLine, int]:
    charge = draw(cents)
    teeth = draw(
        st.lists(
            st.builds(
                Tooth,
                number=st.integers(1, 32).map(str),
                # TOO03: up to five of the map's surface codes (x12-notes §5).
                surfaces=st.lists(
                    st.sampled_from(["B", "D", "F", "I", "L", "M", "O"]), max_size=5, unique=True
                ),
            ),
            max_size=2,
        )
    )
    service_date = draw(st.none() | periods)
    # SV305: an initial placement, or a replacement with its prior placement date (DTP*441).
    prosthesis = draw(st.sampled_from([None, "I", "R"]))
    line = ServiceLine(
        prior_placement_date=draw(periods) if prosthesis == "R" else None,
        dental=DentalService(
            qualifier="AD",
            code=draw(st.sampled_from(CDT)),
            charge=money(charge),
            place_of_service=draw(
                st.none() | places_of_service(service_date.start if service_date else None)
            ),
            # SV304: up to five oral cavity designation codes.
            oral_cavity_areas=draw(
                st.lists(
                    st.sampled_from(["00", "01", "02", "10", "20", "30", "40"]),
                    max_size=5,
                    unique=True,
                )
            ),
            prosthesis=prosthesis,
            quantity=Decimal(1),
            diagnosis_pointers=[1] if diagnoses and draw(st.booleans()) else [],
        ),
        teeth=teeth,
        service_date=service_date,
    )
    return line, charge


LINES = {
    "professional": professional_lines,
    "institutional": institutional_lines,
    "dental": dental_lines,
}


# -- codes per kind ---------------------------------------------------------------------------------------


@st.composite
def codes(draw: st.DrawFn, kind: str) -> list[HealthCode]:
    if kind == "institutional":
        poa = st.sampled_from([None, "Y", "N", "U", "W"])
        out = [
            HealthCode(
                qualifier="ABK",
                code=draw(st.sampled_from(DIAGNOSES)),
                present_on_admission=draw(poa),
            )
        ]
        others = draw(st.lists(st.sampled_from(DIAGNOSES), max_size=4))
        out += [HealthCode(qualifier="ABF", code=c, present_on_admission=draw(poa)) for c in others]
        if draw(st.booleans()):
            out.append(HealthCode(qualifier="BH", code="11", date=draw(periods)))
        if draw(st.booleans()):
            out.append(HealthCode(qualifier="BI", code="70", date=draw(ranges)))
        if draw(st.booleans()):
            out.append(HealthCode(qualifier="BE", code="80", amount=money(draw(cents))))
        if draw(st.booleans()):
            out.append(HealthCode(qualifier="BG", code=draw(st.sampled_from(["39", "A1"]))))
        return out
    if kind == "dental" and draw(st.booleans()):
        return []
    count = draw(st.integers(1, 12))
    chosen = draw(st.lists(st.sampled_from(DIAGNOSES), min_size=count, max_size=count))
    return [HealthCode(qualifier="ABK" if i == 0 else "ABF", code=c) for i, c in enumerate(chosen)]


# -- a whole claim --------------------------------------------------------------------------------------


@st.composite
def prior_payers(
    draw: st.DrawFn, lines: list[tuple[ServiceLine, int]], taken: str | None
) -> PriorPayer:
    """A prior payer that adjudicated every line (2430), balanced by x12-notes §8.2 rules 2-4; its
    payer responsibility is not `taken`, the claim's payer's (each payer of a claim has its own)."""
    payer_id = draw(ident(5))
    paid_date = draw(dates)
    total_paid = 0
    for line, charge in lines:
        paid = draw(st.integers(0, charge))
        total_paid += paid
        service = line.service
        assert service is not None
        line.adjudications.append(
            LineAdjudication(
                payer_id=payer_id,
                paid=money(paid),
                qualifier=service.qualifier,
                code=service.code,
                revenue_code=line.revenue_code,
                units=Decimal(1),
                adjustments=draw(adjustments(charge - paid)),
                paid_date=paid_date,
            )
        )
    return PriorPayer(
        payer_responsibility=draw(st.sampled_from([c for c in "PST" if c != taken])),
        relationship="18",
        filing_indicator=draw(st.sampled_from(FILING)),
        paid=money(total_paid),
        benefits_assignment="Y",
        release_of_information="Y",
        other_subscriber=OtherSubscriber(last_name=draw(names), member_id=draw(ident(10))),
        other_payer=OtherPayer(name=draw(names), id=payer_id, paid_date=paid_date),
    )


@st.composite
def claims(draw: st.DrawFn, kind: str, context: dict[str, object], number: int) -> Claim:
    health_codes = draw(codes(kind))
    pointed = sum(1 for c in health_codes if c.qualifier in ("ABK", "ABF"))
    line_strategy = LINES[kind](pointed)
    lines = draw(st.lists(line_strategy, min_size=1, max_size=4))
    for n, (line, _) in enumerate(lines, 1):
        if draw(st.booleans()):
            line.control_number = f"L{number}X{n}"
    total = sum(charge for _, charge in lines)
    frequency = draw(st.sampled_from(["1", "1", "7", "8"]))
    # The claim's place of service is in use on the first date of service of its lines.
    first = min((line.service_date.start for line, _ in lines if line.service_date), default=None)
    accident: dict[str, object] = {}
    if kind != "institutional" and draw(st.integers(0, 3)) == 0:
        place = draw(places())  # an auto accident (AA) names its state or its country (CLM11)
        accident = {
            "related_causes": ["AA"],
            "accident_state": place.get("state"),
            "accident_country": place.get("country"),
        }
    providers = []
    if draw(st.booleans()):
        role = "71" if kind == "institutional" else "82"
        providers.append(
            Provider(
                role=role,
                entity_type="1",
                name=draw(names),
                first_name=draw(names),
                id=draw(npis),
                taxonomy=draw(st.sampled_from(["207Q00000X", "1223G0001X"])),
            )
        )
    taken = context["subscriber"].payer_responsibility  # type: ignore[attr-defined]
    prior = [draw(prior_payers(lines, taken))] if draw(st.booleans()) else []
    details: dict[str, object] = {
        # K3 is in all three guides; CR1 and CR2 only in the 837P.
        "file_information": [
            FileInformation(text=t) for t in draw(st.lists(text(1, 30), max_size=2))
        ]
    }
    if kind == "professional" and draw(st.booleans()):
        details["ambulance"] = draw(st.none() | ambulance)
        details["spinal_manipulation"] = draw(
            st.none()
            | st.builds(
                SpinalManipulation,
                condition=st.sampled_from("ACDEFGM"),
                descriptions=st.lists(text(1, 30), max_size=2),
            )
        )
    if kind == "dental" and draw(st.booleans()):
        # DN1 (orthodontic months, total and remaining) and DN2 (missing or extracted teeth).
        details["orthodontic_total_months"] = Decimal(draw(st.integers(1, 36)))
        details["orthodontic_remaining_months"] = draw(st.none() | st.integers(0, 36).map(Decimal))
        details["orthodontic_description"] = draw(st.none() | text(1, 30))
        details["tooth_status"] = draw(
            st.lists(
                st.builds(
                    ToothStatus,
                    tooth=st.sampled_from(["1", "16", "17", "32", "A", "T"]),
                    status=st.sampled_from(["E", "M"]),
                ),
                max_size=3,
            )
        )
    claim = Claim(
        **details,  # type: ignore[arg-type]
        kind=kind,  # type: ignore[arg-type]
        patient_control_number=f"PCN{number}",
        total_charge=money(total),
        facility_code=draw(st.sampled_from(["11", "13", "83"]))
        if kind == "institutional"
        else draw(places_of_service(first)),
        **accident,  # type: ignore[arg-type]
        frequency_code=frequency,
        provider_signature=None if kind == "institutional" else "Y",
        assignment=draw(st.sampled_from(["A", "B", "C"])),
        benefits_assignment=draw(st.sampled_from(["Y", "N", "W"])),
        release_of_information=draw(st.sampled_from(["Y", "I"])),
        payer_claim_control_number=draw(text(1, 20)) if frequency in ("7", "8") else None,
        medical_record_number=draw(st.none() | text(1, 20)),
        statement_period=draw(ranges) if kind == "institutional" else None,
        admission_type=draw(st.sampled_from(["1", "2", "3"])) if kind == "institutional" else None,
        admission_source=draw(st.sampled_from(["1", "7"])) if kind == "institutional" else None,
        patient_status="01" if kind == "institutional" else None,
        codes=health_codes,
        providers=providers,
        prior_payers=prior,
        lines=[line for line, _ in lines],
        **context,  # type: ignore[arg-type]
    )
    return claim


@st.composite
def claim_lists(draw: st.DrawFn, kind: str) -> list[Claim]:
    """Claims of one kind under one header, in runs that share billing providers, subscribers and
    patients (the same objects, as claims read from one HL loop do)."""
    header = draw(headers())
    out: list[Claim] = []
    for _ in range(draw(st.integers(1, 2))):
        provider = draw(billing_providers())
        for _ in range(draw(st.integers(1, 2))):
            with_dependants = draw(st.booleans())
            own_claims = draw(st.integers(0 if with_dependants else 1, 2))
            subscriber = draw(subscribers(is_patient=own_claims > 0))
            payer = draw(payers)
            context: dict[str, object] = {
                "header": header,
                "billing_provider": provider,
                "subscriber": subscriber,
                "payer": payer,
            }
            for _ in range(own_claims):
                out.append(draw(claims(kind, {**context, "patient": None}, len(out) + 1)))
            if with_dependants:
                patient = draw(patients())
                for _ in range(draw(st.integers(1, 2))):
                    out.append(draw(claims(kind, {**context, "patient": patient}, len(out) + 1)))
    return out
