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
    Form,
    FormAnswer,
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
    PayToAddress,
    PayToPlan,
    Provider,
    Receiver,
    Submitter,
    Subscriber,
    TransactionHeader,
)
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
    SpinalManipulation,
)
from edi.models.common import Contact, PayerReference, Reference
from edi.models.remittance import Adjustment, InpatientAdjudication, OutpatientAdjudication
from edi.transactions.claim_situations import SUBSCRIBER_AS_PATIENT_FIELDS

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
# Twelve, so that a claim can give an 837P's twelve diagnoses without one twice (RFI 2561).
DIAGNOSES = ["E119", "I10", "J069", "R509", "M545", "Z0000", "K219", "N390", "R51", "J029"]
DIAGNOSES += ["R0602", "L309"]
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


# From the day ICD-10 took over (45 CFR 162.1002): the strategies' HI codes are ICD-10 (ABK, ABF).
dates = st.dates(min_value=date(2015, 10, 1), max_value=date(2039, 12, 31))


def some_of(
    draw: st.DrawFn, fields: dict[str, st.SearchStrategy[object]], most: int | None = None
) -> dict[str, object]:
    """Values for a random few of `fields` (the others left out): one draw picks which, so that
    many optional elements cost little to generate."""
    names = list(fields)
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=most or len(names)))
    return {name: draw(fields[name]) for name in sorted(chosen, key=names.index)}


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


births = st.dates(min_value=date(1920, 1, 1), max_value=date(2015, 9, 30))  # before `dates`
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
placements = st.dates(min_value=date(1990, 1, 1), max_value=date(2015, 9, 30))  # before `dates`
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
            name=draw(names),
            # A person (NM102 1) with a first and maybe a middle name, or an organization.
            **draw(
                st.just({"entity_type": "2"})
                | st.tuples(names, middle_names).map(
                    lambda t: {"entity_type": "1", "first_name": t[0], "middle_name": t[1]}
                )
            ),
            id_qualifier="46",
            id=draw(ident(9)),
            contacts=[
                Contact(function="IC", name=draw(names), qualifier_1="TE", number_1=draw(ident(10)))
            ],
        ),
        receiver=Receiver(entity_type="2", name=draw(names), id_qualifier="46", id=draw(ident(9))),
    )


SUFFIXES = ["JR", "SR", "II", "III"]
middle_names = st.none() | text(1, 25, _LETTERS)  # NM105: 1 to 25
address_lines_2 = st.none() | text(1, 30)


def contacts(
    kind: str,
    qualifiers: list[str],
    others: tuple[str, ...] = ("EM", "EX", "FX", "TE"),
    most: int = 3,
) -> st.SearchStrategy[list[Contact]]:
    """PER*IC: a name and up to `most` numbers, the first of one of `qualifiers`, the others of
    `others` (P0304, P0506, P0708)."""

    @st.composite
    def one(draw: st.DrawFn) -> Contact:
        more = draw(st.integers(0, most - 1))
        numbers = [(draw(st.sampled_from(qualifiers)), draw(ident(10)))]
        numbers += [(draw(st.sampled_from(others)), draw(ident(7)))] * more
        fields = {}
        for n, (q, v) in enumerate(numbers, 1):
            fields[f"qualifier_{n}"], fields[f"number_{n}"] = q, v
        return Contact(function="IC", name=draw(st.none() | names), **fields)

    return st.lists(one(), max_size=1)


def _references(order: list[str], most: int = 2) -> st.SearchStrategy[list[Reference]]:
    """REF segments of qualifiers from `order`, each once, in that order (the guide's); an SY
    (social security number) of nine digits, as pyx12 wants."""
    return (
        st.lists(st.sampled_from(order), max_size=most, unique=True)
        .map(lambda qs: sorted(qs, key=order.index))
        .flatmap(
            lambda qs: st.tuples(*(ident(9) if q == "SY" else text(1, 30) for q in qs)).map(
                lambda vs: [Reference(qualifier=q, value=v) for q, v in zip(qs, vs, strict=True)]
            )
        )
    )


@st.composite
def addresses(draw: st.DrawFn, zip9: bool = False) -> dict[str, object]:
    """N3 and N4: one or two address lines, a city, a place and a ZIP code (nine digits if
    `zip9`: a service facility's, for one)."""
    return {
        "address_line_1": draw(text(1, 30)),
        "address_line_2": draw(address_lines_2),
        "city": draw(names),
        **draw(places()),
        "postal_code": draw(st.sampled_from(["627010001", "900101234"]) if zip9 else zips),
    }


@st.composite
def pay_to_plans(draw: st.DrawFn) -> PayToPlan:
    return PayToPlan(
        name=draw(names),
        id_qualifier=draw(st.sampled_from(["PI", "XV"])),
        id=draw(ident(10)),
        **draw(addresses()),
        references=draw(_references(["2U", "FY", "NF"], 1)),
        tax_id=draw(ident(9)),
    )


@st.composite
def billing_providers(draw: st.DrawFn, kind: str = "professional") -> BillingProvider:
    # Now and then the optional parts: a second address line, contacts, the 837P's REF*0B/1G
    # (state license, UPIN), a pay-to address or plan (2010AB, 2010AC), and (837P) a person.
    rich = draw(st.integers(0, 2)) == 0
    optional: dict[str, st.SearchStrategy[object]] = {
        "address_line_2": text(1, 30),
        "contacts": contacts(kind, ["EM", "FX", "TE"]),  # PER*IC: TE, EM or FX first
        "pay_to_address": addresses().map(lambda a: PayToAddress(**a)),
        "pay_to_plan": pay_to_plans(),
    }
    if kind == "professional":
        optional["references"] = _references(["0B", "1G"])
    extras = some_of(draw, optional, 3) if rich else {}
    person = {}
    if rich and kind == "professional" and draw(st.booleans()):
        person = {
            "entity_type": "1",
            "first_name": draw(names),
            "middle_name": draw(middle_names),
            "suffix": draw(st.none() | st.sampled_from(SUFFIXES)),
        }
    return BillingProvider(
        **extras,
        **person,
        taxonomy=draw(st.none() | st.sampled_from(["207Q00000X", "282N00000X", "1223G0001X"])),
        currency=draw(st.none() | st.sampled_from(CURRENCIES)),
        name=draw(names),
        npi=draw(npis),
        address_line_1=draw(text(1, 30)),
        city=draw(names),
        **draw(places()),
        postal_code=draw(st.sampled_from(["627010001", "100011234"])),  # 9 digits (837I)
        tax_id=draw(ident(9)),
    )


@st.composite
def patient_information(draw: st.DrawFn, kind: str) -> dict[str, object]:
    """PAT05-PAT09 (837P only): death date, weight (P0708) and pregnancy."""
    if kind != "professional" or draw(st.integers(0, 2)):
        return {}
    weighed = draw(st.booleans())
    return {
        "death_date": draw(st.none() | dates),
        "weight_unit": "01" if weighed else None,
        "weight": Decimal(draw(st.integers(1, 500))) if weighed else None,
        "pregnant": draw(st.none() | st.just("Y")),
    }


def person_extras(
    draw: st.DrawFn, kind: str, references: list[str], more: dict[str, st.SearchStrategy[object]]
) -> dict[str, object]:
    """Now and then some optional parts of a subscriber or patient: middle name, suffix, second
    address line, references, and (837P) contacts (PER*IC: TE and maybe EX)."""
    if draw(st.integers(0, 2)):
        return {}
    optional: dict[str, st.SearchStrategy[object]] = {
        "middle_name": text(1, 25, _LETTERS),
        "suffix": st.sampled_from(SUFFIXES),
        "address_line_2": text(1, 30),
        "references": _references(references),
        **more,
    }
    if kind == "professional":
        optional["contacts"] = contacts(kind, ["TE"], ("EX",), 2)
    return some_of(draw, optional, 4)


def insurance_types(kind: str, responsibility: str, filing: str) -> st.SearchStrategy[str | None]:
    """SBR05 (837P only): why Medicare is not the primary payer. Required when a payer after the
    first is Medicare (SBR09 MA or MB), never sent for the primary payer (`claim_checks`)."""
    if kind != "professional" or responsibility == "P":
        return st.none()
    types = st.sampled_from(["12", "13", "14", "15", "16", "41", "42", "43", "47"])
    return types if filing in ("MA", "MB") else st.none() | types


@st.composite
def subscribers(draw: st.DrawFn, is_patient: bool, kind: str = "professional") -> Subscriber:
    # A secondary payer's claims name the primary in a 2320 (`claims`: a prior payer P); the
    # payers of a claim skip no level of the sequence (claim_checks._check_payer_sequence).
    responsibility = draw(st.sampled_from(["P", "S"]))
    filing = draw(st.sampled_from(FILING))
    return Subscriber(
        **(draw(patient_information(kind)) if is_patient else {}),
        **person_extras(draw, kind, ["SY", "Y4"], {"group_name": text(1, 30)}),
        payer_responsibility=responsibility,
        insurance_type=draw(insurance_types(kind, responsibility, filing)),
        relationship="18" if is_patient else None,
        group_number=draw(st.none() | text(1, 20)),
        filing_indicator=filing,
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
def patients(draw: st.DrawFn, kind: str = "professional") -> Patient:
    return Patient(
        **draw(patient_information(kind)),
        **person_extras(draw, kind, ["Y4"] if kind == "dental" else ["Y4", "1W"], {}),
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


@st.composite
def payers(draw: st.DrawFn) -> ClaimPayer:
    if draw(st.integers(0, 2)):
        return ClaimPayer(name=draw(names), id=draw(ident(5)))
    return ClaimPayer(
        name=draw(names),
        id=draw(ident(5)),
        **(draw(addresses()) if draw(st.booleans()) else {}),
        # REF*2U/EI/FY/NF (payer) and one G2/LU (billing provider), in the guide's order.
        references=draw(_references(["2U", "EI", "FY", "NF"]))
        + draw(_references([draw(st.sampled_from(["G2", "LU"]))])),
    )


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
            # REF*VY/XZ: the link or prescription number.
            **draw(
                st.none()
                | st.tuples(st.sampled_from(["VY", "XZ"]), text(1, 30)).map(
                    lambda t: {"prescription_type": t[0], "prescription_number": t[1]}
                )
            )
            or {},
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
        # Placed before any date of service drawn (from 2015-10-01): the prosthesis it replaces.
        prior_placement_date=draw(st.builds(Period, start=placements))
        if prosthesis == "R"
        else None,
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
        rest = [c for c in DIAGNOSES if c != out[0].code]
        others = draw(st.lists(st.sampled_from(rest), max_size=4, unique=True))
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
    chosen = draw(st.lists(st.sampled_from(DIAGNOSES), min_size=count, max_size=count, unique=True))
    return [HealthCode(qualifier="ABK" if i == 0 else "ABF", code=c) for i, c in enumerate(chosen)]


# -- the optional 2300 segments per kind (PWK, CN1, AMT, REF, NTE, CRC, HCP, DTP, CLM) ----------------------

# PWK01 per guide: the 837D takes a short list of its own.
_REPORT_TYPES = {
    "professional": ["03", "06", "09", "A3", "B4", "CT", "DG", "EB", "OZ", "RB", "XP"],
    "institutional": ["03", "06", "09", "A3", "B4", "CT", "DG", "EB", "OZ", "RB", "XP"],
    "dental": ["B4", "DA", "DG", "EB", "OZ", "P6", "RB", "RR"],
    "line": ["03", "06", "09", "A3", "B4", "DG", "EB", "OZ", "RB", "XP"],
}
# REF01 of the REF segments that have no field of their own, per guide (max use 1 each but LX: 5).
_CLAIM_REFERENCES = {
    "professional": ["4N", "F5", "EW", "X4", "9A", "9C", "LX", "P4", "1J"],
    "institutional": ["4N", "9A", "9C", "LX", "LU", "P4", "G4"],
    "dental": ["4N", "9A", "9C"],
}
# NTE01 per guide; the 837P takes one NTE, the 837I ten claim notes (and one ADD), the 837D five.
_CLAIM_NOTES = {
    "professional": (["ADD", "CER", "DCP", "DGN", "TPO"], 1),
    "institutional": (["ALG", "DCP", "DGN", "DME", "MED", "NTR", "ODT", "RHB", "SET", "UPI"], 3),
    "dental": (["ALG", "DCP", "DGN", "DME", "MED", "NTR", "ODT", "RHB", "SET", "UPI"], 3),
}
# AMT01: F5 patient amount paid (837P, 837D: x12-notes §5), F3 patient estimated amount due (837I).
_PATIENT_AMOUNT = {"professional": "F5", "institutional": "F3", "dental": "F5"}
_PRICING = ["00", "01", "02", "03", "04", "05", "07", "08", "09", "10", "11", "12", "13", "14"]


_ALL_POS_IN_USE = max(codesets.POS_EFFECTIVE.values())


def _ref_value(size: int = 30) -> st.SearchStrategy[str]:
    return text(1, size)


@st.composite
def attachments(draw: st.DrawFn, kind: str) -> list[Attachment]:
    """PWK: a report type and how it is sent; its control number (AC, P0506) unless sent by AA."""
    out = []
    for _ in range(draw(st.integers(0, 2))):
        transmission = draw(st.sampled_from(["AA", "BM", "EL", "EM", "FT", "FX"]))
        numbered = transmission != "AA" or draw(st.booleans())
        out.append(
            Attachment(
                report_type=draw(st.sampled_from(_REPORT_TYPES[kind])),
                transmission=transmission,
                id_qualifier="AC" if numbered else None,
                control_number=draw(text(2, 30)) if numbered else None,
            )
        )
    return out


@st.composite
def contracts(draw: st.DrawFn, types: str = "01 02 03 04 05 06 09") -> Contract:
    """CN1: a contract type and some of its amount, percent, code, discount and version."""
    optional: dict[str, st.SearchStrategy[object]] = {
        "amount": cents.map(money),
        "percent": st.integers(0, 100).map(Decimal),
        "code": text(1, 30),
        "terms_discount_percent": st.integers(0, 100).map(Decimal),
        "version": text(1, 30),
    }
    return Contract(type=draw(st.sampled_from(types.split())), **some_of(draw, optional))


@st.composite
def repricings(draw: st.DrawFn, kind: str, line: bool = False) -> Repricing:
    """HCP: pricing methodology and repriced allowed amount (R0113: HCP01 with HCP02 given), the
    837I/837D approved revenue code and units (P1112), reject reason, policy and exception codes."""
    units = kind != "professional" and draw(st.booleans())
    product = line and draw(st.booleans())
    optional: dict[str, st.SearchStrategy[object]] = {
        "saving": cents.map(money),
        "organization_id": text(1, 30),
        "rate": st.integers(1, 99999).map(money),
        "group_code": text(1, 20),
        "group_amount": cents.map(money),
        "reject_reason": st.sampled_from(["T1", "T2", "T3", "T4", "T5", "T6"]),
        "policy_compliance": st.sampled_from(["1", "2", "3", "4", "5"]),
        "exception": st.sampled_from(["1", "2", "3", "4", "5", "6"]),
    }
    return Repricing(
        pricing_methodology=draw(st.sampled_from(_PRICING)),
        allowed=money(draw(cents)),
        **some_of(draw, optional, 4),
        revenue_code=draw(st.sampled_from(REVENUE)) if units else None,
        # HCP09/HCP10 (lines, P0910): the approved procedure code.
        product_qualifier="HC" if product else None,
        product_code=draw(st.sampled_from(CPT)) if product else None,
        unit=draw(st.sampled_from(["DA", "UN"])) if units else None,
        quantity=Decimal(draw(st.integers(1, 30))) if units else None,
    )


# Claim CRC: (category, the condition codes the guide allows it, how many, the answers).
_CLAIM_CONDITIONS = {
    "professional": [
        ("E1", ["L1", "L2", "L3", "L4", "L5"], 5, "NY"),  # vision
        ("75", ["IH"], 1, "Y"),  # homebound
        ("ZZ", ["AV", "NU", "S2", "ST"], 3, "NY"),  # EPSDT referral
    ],
    "institutional": [("ZZ", ["AV", "NU", "S2", "ST"], 3, "NY")],
}


@st.composite
def claim_conditions(draw: st.DrawFn, kind: str) -> ConditionIndicator:
    category, allowed, most, answers = draw(st.sampled_from(_CLAIM_CONDITIONS[kind]))
    codes = draw(st.lists(st.sampled_from(allowed), min_size=1, max_size=most, unique=True))
    return ConditionIndicator(category=category, answer=draw(st.sampled_from(answers)), codes=codes)


@st.composite
def claim_extras(draw: st.DrawFn, kind: str) -> dict[str, object]:
    """Some of the optional claim (2300) segments and elements the claim's guide takes, each with
    its guide's codes: attachments, contract, patient amount, references, notes, repricing, dates
    and the CLM codes; most are left out most of the time, to keep examples small."""
    if draw(st.integers(0, 2)):
        return {}
    optional: dict[str, st.SearchStrategy[object]] = {
        "attachments": attachments(kind),
        "contract": contracts(),
        "amounts": cents.map(lambda c: {_PATIENT_AMOUNT[kind]: money(c)}),
        "references": _references(_CLAIM_REFERENCES[kind]),  # the writer puts them in guide order
        "referral_number": _ref_value(),
        "prior_authorization": _ref_value(),
        "clearinghouse_claim_id": _ref_value(),
        "notes": st.lists(
            st.sampled_from(_CLAIM_NOTES[kind][0]), max_size=_CLAIM_NOTES[kind][1], unique=True
        ).flatmap(
            lambda qs: st.tuples(*(text(1, 80) for _ in qs)).map(
                lambda ts: [Note(qualifier=q, text=t) for q, t in zip(qs, ts, strict=True)]
            )
        ),
        "repricing": repricings(kind),
        "delay_reason": st.sampled_from(
            ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "15"]
        ),
        "repricer_received_date": periods,
    }
    if kind != "dental":
        order = [c[0] for c in _CLAIM_CONDITIONS[kind]]  # the guide's order
        optional["conditions"] = st.lists(
            claim_conditions(kind), min_size=1, max_size=2, unique_by=lambda c: c.category
        ).map(lambda cs: sorted(cs, key=lambda c: order.index(c.category)))
    if kind == "professional":
        optional |= {
            "patient_signature_source": st.just("P"),
            "special_program": st.sampled_from(["02", "03", "05", "09"]),
            # DTP*314/360/361: one segment (max use 1), a period or its first or its last day.
            "disability": st.sampled_from(
                ["disability_period", "disability_start", "disability_end"]
            ),
            "admission": dates.map(lambda d: d.strftime("%Y%m%d")),
            "discharge": dates.map(lambda d: d.strftime("%Y%m%d")),
        }
        optional |= {
            name: periods
            for name in (
                "onset_date",
                "initial_treatment_date",
                "last_seen_date",
                "acute_manifestation_date",
                "last_menstrual_period",
                "last_xray_date",
                "prescription_date",
                "last_worked_date",
                "return_to_work_date",
                "assumed_care_date",
                "relinquished_care_date",
                "first_contact_date",
            )
        }
    elif kind == "institutional":
        optional |= {
            # DTP*435 D8 or DT (a date and time); DTP*096 TM (an hour).
            "admission": st.tuples(dates, st.sampled_from(["", "0830", "2359"])).map(
                lambda t: t[0].strftime("%Y%m%d") + t[1]
            ),
            "discharge": st.sampled_from(["0000", "1015", "2359"]),
        }
    else:
        optional |= {
            "special_program": st.sampled_from(["01", "02", "03", "05"]),
            "submission_reason": st.just("PB"),
            "predetermination_id": _ref_value(),
            "appliance_placement_date": periods,
            # The date of service of the lines without one: every place of service is in use on it.
            "service_period": st.dates(min_value=_ALL_POS_IN_USE, max_value=date(2039, 12, 31)).map(
                lambda d: Period(start=d)
            ),
        }
    out = some_of(draw, optional, 8)
    if "disability" in out:
        name = out.pop("disability")
        out[name] = draw(ranges if name == "disability_period" else periods)  # type: ignore[index]
    return out


# -- the optional 2400 segments per kind -------------------------------------------------------------------

# REF01 of the line REF segments other than 6R (`control_number`), in each guide's order.
_LINE_REFERENCES = {
    "professional": ["9B", "9D", "G1", "EW", "X4", "F4", "BT", "9F"],
    "institutional": ["9B", "9D"],
    "dental": ["G3", "G1", "9B", "9D", "9F"],
}
_LINE_AMOUNTS = {"professional": ["T", "F4"], "institutional": ["GT", "N8"], "dental": ["GT"]}
# 837P line DTP segments without a field of their own, in the guide's order (all D8).
_LINE_DATES = ["607", "463", "461", "304", "011", "455", "454"]


@st.composite
def forms(draw: st.DrawFn) -> Form:
    """LQ (AS or UT) and its FRM answers: each a Y/N/W response, a text, a date or a percent
    (R02030405: one of them)."""
    answers = []
    for n in range(1, draw(st.integers(1, 3)) + 1):
        how = draw(st.sampled_from(["answer", "text", "date", "percent"]))
        value = {
            "answer": st.sampled_from("NWY"),
            "text": text(1, 50),
            "date": dates,
            "percent": st.integers(0, 100).map(Decimal),
        }[how]
        answers.append(FormAnswer(question=str(n), **{how: draw(value)}))
    return Form(
        qualifier=draw(st.sampled_from(["AS", "UT"])), form_id=draw(text(1, 30)), answers=answers
    )


@st.composite
def line_extras(draw: st.DrawFn, kind: str, line: ServiceLine) -> None:
    """Fill some of the optional line segments and service elements `kind`'s guide takes."""
    if draw(st.integers(0, 2)):
        return
    service = line.service
    assert service is not None
    if kind != "institutional" or service.code is not None:
        # SV101/SV202/SV301-03..06 and -07 (a procedure code is there to modify and describe).
        service.modifiers = draw(st.lists(st.sampled_from(["25", "59", "LT", "RT"]), max_size=4))
        service.description = draw(st.none() | text(1, 80))
    order = _LINE_REFERENCES[kind]
    optional: dict[str, st.SearchStrategy[object]] = {
        "references": st.lists(st.sampled_from(order), max_size=2, unique=True)
        .map(lambda qs: sorted(qs, key=order.index))
        .flatmap(
            lambda qs: st.tuples(*(text(1, 30) for _ in qs)).map(
                lambda vs: [
                    PayerReference(qualifier=q, value=v) for q, v in zip(qs, vs, strict=True)
                ]
            )
        ),
        "amounts": st.dictionaries(
            st.sampled_from(_LINE_AMOUNTS[kind]), cents.map(money), min_size=1, max_size=2
        ),
        "repricing": repricings(kind, line=True),
    }
    if kind != "dental":
        # Not CT: the 837P's PWK*CT is the DME certificate indicator, without PWK05/PWK06.
        optional["attachments"] = attachments("line")
        # NTE*ADD/DCP (837P) and NTE*TPO, one each, in the guide's order.
        firsts = (
            st.just([])
            if kind == "institutional"
            else st.lists(st.sampled_from(["ADD", "DCP"]), max_size=1)
        )
        optional["notes"] = st.tuples(firsts, st.lists(st.just("TPO"), max_size=1)).flatmap(
            lambda t: st.tuples(*(text(1, 80) for _ in t[0] + t[1])).map(
                lambda ts: [Note(qualifier=q, text=x) for q, x in zip(t[0] + t[1], ts, strict=True)]
            )
        )
    if kind != "institutional":
        # CN101: the 837D's line CN1 does not take 01.
        optional["contract"] = contracts(
            "02 03 04 05 06 09" if kind == "dental" else "01 02 03 04 05 06 09"
        )
    if kind == "professional":
        optional |= {
            "prescription_date": periods,
            "other_dates": st.lists(
                st.sampled_from(_LINE_DATES), min_size=1, max_size=2, unique=True
            )
            .map(lambda qs: sorted(qs, key=_LINE_DATES.index))
            .flatmap(
                lambda qs: st.tuples(*(dates for _ in qs)).map(
                    lambda ds: [
                        DateTimeRef(qualifier=q, format="D8", value=d.strftime("%Y%m%d"))
                        for q, d in zip(qs, ds, strict=True)
                    ]
                )
            ),
            "quantities": st.sampled_from(["PT", "FL"]).flatmap(
                lambda q: st.integers(1, 9).map(lambda n: {q: Decimal(n)})
            ),
            "forms": st.lists(forms(), min_size=1, max_size=1),
        }
        sv1 = line.professional
        assert sv1 is not None
        for name, value in some_of(
            draw,
            {
                "emergency": st.just("Y"),
                "epsdt": st.just("Y"),
                "family_planning": st.just("Y"),
                "copay_status": st.just("0"),
            },
        ).items():
            setattr(sv1, name, value)
    elif kind == "institutional":
        sv2 = line.institutional
        assert sv2 is not None
        sv2.non_covered_charge = draw(st.none() | st.integers(0, int(sv2.charge * 100)).map(money))
    else:
        optional |= {
            name: periods
            for name in (
                "appliance_placement_date",
                "replacement_date",
                "treatment_start_date",
                "treatment_completion_date",
            )
        }
    for name, value in some_of(draw, optional, 4).items():
        setattr(line, name, value)


# -- a whole claim --------------------------------------------------------------------------------------


_REMARK_CODES = ["MA01", "MA02", "M15", "N20", "N130"]
_amounts = st.integers(0, 500_000).map(money)


def inpatient_adjudications() -> st.SearchStrategy[InpatientAdjudication]:
    """MIA of an 837I prior payer: covered days and some of the elements the 837I uses (not
    MIA02)."""
    optional: dict[str, st.SearchStrategy[object]] = {
        "lifetime_psychiatric_days": st.integers(0, 60).map(Decimal),
        "drg_amount": _amounts,
        "remarks": st.lists(st.sampled_from(_REMARK_CODES), min_size=1, max_size=3),
        "disproportionate_share_amount": _amounts,
        "msp_pass_through_amount": _amounts,
        "pps_capital_amount": _amounts,
        "pps_capital_fsp_drg_amount": _amounts,
        "pps_capital_hsp_drg_amount": _amounts,
        "pps_capital_dsh_drg_amount": _amounts,
        "old_capital_amount": _amounts,
        "pps_capital_ime_amount": _amounts,
        "pps_operating_hospital_specific_drg_amount": _amounts,
        "cost_report_day_count": st.integers(0, 60).map(Decimal),
        "pps_operating_federal_specific_drg_amount": _amounts,
        "pps_capital_outlier_amount": _amounts,
        "indirect_teaching_amount": _amounts,
        "nonpayable_professional_component": _amounts,
        "pps_capital_exception_amount": _amounts,
    }

    @st.composite
    def build(draw: st.DrawFn) -> InpatientAdjudication:
        days = Decimal(draw(st.integers(0, 60)))
        return InpatientAdjudication(covered_days=days, **some_of(draw, optional, 6))

    return build()


@st.composite
def outpatient_adjudications(draw: st.DrawFn) -> OutpatientAdjudication:
    """MOA: at least one of its elements (a segment holds one)."""
    optional: dict[str, st.SearchStrategy[object]] = {
        "reimbursement_rate": st.integers(0, 100).map(lambda n: Decimal(n) / 100),
        "hcpcs_payable_amount": _amounts,
        "remarks": st.lists(st.sampled_from(_REMARK_CODES), min_size=1, max_size=3),
        "esrd_payment_amount": _amounts,
        "nonpayable_professional_component": _amounts,
    }
    return OutpatientAdjudication(**some_of(draw, optional, 3) or {"remarks": ["MA01"]})


@st.composite
def prior_payers(
    draw: st.DrawFn, lines: list[tuple[ServiceLine, int]], taken: str | None, kind: str
) -> PriorPayer:
    """A prior payer that adjudicated every line (2430), balanced by x12-notes §8.2 rules 2-4; its
    payer responsibility is not `taken`, the claim's payer's (each payer of a claim has its own).
    Sometimes it also took claim-level adjustments (2320 CAS) out of what the lines paid: AMT*D
    = Σ SVD02 − Σ 2320 CAS."""
    payer_id = draw(ident(5))
    paid_date = draw(dates)  # in each 2430: none in the 2330B (a payer's date at one level)
    total_paid = 0
    rich = draw(st.integers(0, 2)) == 0
    line_liability = False  # a 2430 AMT*EAF: none in the 2320 (one level)
    for n, (line, charge) in enumerate(lines, 1):
        paid = draw(st.integers(0, charge))
        total_paid += paid
        service = line.service
        assert service is not None
        extras = (
            some_of(
                draw,
                {
                    # SVD03-03..07: the line's modifiers and description; SVD06 its own number.
                    "modifiers": st.just(list(service.modifiers)),
                    "description": text(1, 80),
                    "bundled_line": st.just(n),
                    "remaining_patient_liability": _amounts,
                },
                2,
            )
            if rich and service.code is not None  # SVD03-03..07 go with a procedure code
            else {}
        )
        line_liability = line_liability or "remaining_patient_liability" in extras
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
                **extras,
            )
        )
    claim_level = draw(st.integers(0, total_paid)) if rich and draw(st.booleans()) else 0
    extras = {}
    subscriber: dict[str, object] = {}
    payer: dict[str, object] = {}
    if rich:
        optional: dict[str, st.SearchStrategy[object]] = {
            "group_number": text(1, 30),
            "group_name": text(1, 30),
            "non_covered": _amounts,
            "remaining_patient_liability": _amounts,
            # The other payer's id of the billing provider (2330G/2330I..., NM1*85 with REF).
            "providers": st.sampled_from(["G2", "LU"]).flatmap(
                lambda q: text(1, 30).map(
                    lambda v: [
                        Provider(
                            role="85",
                            entity_type="2",
                            references=[PayerReference(qualifier=q, value=v)],
                        )
                    ]
                )
            ),
        }
        if line_liability:
            del optional["remaining_patient_liability"]
        if kind == "professional":  # OI04: 837P only
            optional["patient_signature_source"] = st.just("P")
        if kind == "institutional":
            optional["inpatient"] = inpatient_adjudications()
        if kind != "dental":
            optional["outpatient"] = outpatient_adjudications()
        extras = some_of(draw, optional, 4)
        subscriber = some_of(
            draw,
            {
                "first_name": names,
                "middle_name": text(1, 25, _LETTERS),
                "suffix": st.sampled_from(SUFFIXES),
                "address": addresses(),
                "references": _references(["SY"], 1),
            },
            3,
        )
        subscriber |= subscriber.pop("address", {})  # type: ignore[arg-type]
        payer = some_of(
            draw,
            {
                "address": addresses(),
                "references": _references(["2U", "EI", "FY", "NF"]),
                "claim_control_number": text(1, 30),
            },
        )
        payer |= payer.pop("address", {})  # type: ignore[arg-type]
    responsibility = "S" if taken == "P" else "P"  # the payer after, or before, the claim's
    filing = draw(st.sampled_from(FILING))
    return PriorPayer(
        payer_responsibility=responsibility,
        insurance_type=draw(insurance_types(kind, responsibility, filing)),
        relationship="18",
        filing_indicator=filing,
        adjustments=draw(adjustments(claim_level)),
        paid=money(total_paid - claim_level),
        benefits_assignment="Y",
        release_of_information="Y",
        **extras,  # type: ignore[arg-type]
        other_subscriber=OtherSubscriber(
            last_name=draw(names),
            member_id=draw(ident(10)),
            **subscriber,  # type: ignore[arg-type]
        ),
        other_payer=OtherPayer(name=draw(names), id=payer_id, **payer),  # type: ignore[arg-type]
    )


def person_provider_extras(draw: st.DrawFn, references: list[str]) -> dict[str, object]:
    """Now and then a provider's middle name, suffix and secondary ids (REF, guide order)."""
    if draw(st.integers(0, 2)):
        return {}
    return some_of(
        draw,
        {
            "middle_name": text(1, 25, _LETTERS),
            "suffix": st.sampled_from(SUFFIXES),
            "references": _payer_references(references),
        },
    )


def _payer_references(order: list[str], most: int = 2) -> st.SearchStrategy[list[PayerReference]]:
    return _references(order, most).map(
        lambda refs: [PayerReference(qualifier=r.qualifier, value=r.value) for r in refs]
    )


@st.composite
def claim_providers(draw: st.DrawFn, kind: str) -> list[Provider]:
    """Maybe the rendering (837P, 837D) or attending (837I) provider, and maybe (837P, 837I) the
    service facility with its address (and, 837P, its contact)."""
    out = []
    if draw(st.booleans()):
        out.append(
            Provider(
                role="71" if kind == "institutional" else "82",
                entity_type="1",
                name=draw(names),
                first_name=draw(names),
                id=draw(npis),
                taxonomy=draw(st.sampled_from(["207Q00000X", "1223G0001X"])),
                **person_provider_extras(draw, ["0B", "1G", "G2", "LU"]),
            )
        )
    if kind != "dental" and draw(st.integers(0, 3)) == 0:
        out.append(
            Provider(
                role="77",
                entity_type="2",
                name=draw(names),
                id=draw(st.none() | npis),
                **draw(addresses(zip9=True)),
                references=draw(_payer_references(["0B", "G2", "LU"])),
                contacts=draw(contacts(kind, ["TE"], ("EX",), 2)) if kind == "professional" else [],
            )
        )
    return out


@st.composite
def line_providers(draw: st.DrawFn, kind: str) -> list[Provider]:
    """Maybe a line's rendering provider (2420A/2420D), or (837P) its ordering provider (2420E)
    with address and contact."""
    if draw(st.integers(0, 3)):
        return []
    if kind == "professional" and draw(st.booleans()):
        return [
            Provider(
                role="DK",
                entity_type="1",
                name=draw(names),
                first_name=draw(names),
                id=draw(npis),
                **draw(addresses()),
                contacts=draw(contacts(kind, ["EM", "FX", "TE"])),
                **person_provider_extras(draw, ["0B", "1G", "G2"]),
            )
        ]
    return [
        Provider(
            role="82",
            entity_type="1",
            name=draw(names),
            first_name=draw(names),
            id=draw(npis),
            # The 837D line's PRV is required (map line 1005), the 837P's situational.
            taxonomy=(
                draw(st.none() | st.just("207Q00000X"))
                if kind == "professional"
                else "1223G0001X"
                if kind == "dental"
                else None
            ),
            **person_provider_extras(draw, ["0B", "1G", "G2", "LU"]),
        )
    ]


def _statement(draw: st.DrawFn, lines: list[ServiceLine]) -> Period:
    """An 837I claim's statement period: from its lines' first date to their last (their dates lie
    in it), or a period drawn when none has a date."""
    dated = [line.service_date for line in lines if line.service_date is not None]
    if not dated:
        return draw(ranges)
    return Period(start=min(p.start for p in dated), end=max(p.end or p.start for p in dated))


@st.composite
def claims(draw: st.DrawFn, kind: str, context: dict[str, object], number: int) -> Claim:
    health_codes = draw(codes(kind))
    pointed = sum(1 for c in health_codes if c.qualifier in ("ABK", "ABF"))
    line_strategy = LINES[kind](pointed)
    lines = draw(st.lists(line_strategy, min_size=1, max_size=4))
    for n, (line, _) in enumerate(lines, 1):
        if draw(st.booleans()):
            line.control_number = f"L{number}X{n}"
        draw(line_extras(kind, line))
        line.providers = draw(line_providers(kind))
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
            # DTP*439: by the first date of service (the claim's, for undated dental lines).
            "accident_date": draw(
                st.none()
                | st.builds(
                    Period,
                    start=st.dates(
                        min_value=date(2015, 10, 1),
                        max_value=min(d for d in (first, _ALL_POS_IN_USE) if d is not None),
                    ),
                )
            ),
        }
    providers = draw(claim_providers(kind))
    taken = context["subscriber"].payer_responsibility  # type: ignore[attr-defined]
    # A claim to a secondary payer names its primary (a claim to the primary may name the next).
    prior = [draw(prior_payers(lines, taken, kind))] if taken != "P" or draw(st.booleans()) else []
    for line, _ in lines:
        for reference in line.references:
            # A line's prior authorization or referral number may be the prior payer's: REF04
            # names that payer (2U and its 2330B NM109).
            if prior and reference.qualifier in ("G1", "9F") and draw(st.booleans()):
                reference.other_payer_qualifier = "2U"
                reference.other_payer_id = prior[0].other_payer.id
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
        months = draw(st.integers(1, 36))
        details["orthodontic_total_months"] = Decimal(months)
        details["orthodontic_remaining_months"] = draw(
            st.none() | st.integers(0, months).map(Decimal)
        )
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
    details.update(draw(claim_extras(kind)))
    facility = draw(st.sampled_from(["11", "13", "83"])) if kind == "institutional" else None
    statement = _statement(draw, [line for line, _ in lines]) if kind == "institutional" else None
    admission = details.get("admission")
    if statement is not None and isinstance(admission, str):
        # Admitted by the statement's last day: the bill covers days of the stay.
        last = (statement.end or statement.start).strftime("%Y%m%d")
        details["admission"] = min(admission[:8], last) + admission[8:]
    if facility == "11" and len(str(details.get("admission") or "")) != 12:
        facility = "13"  # an inpatient bill gives its admission's date and hour (RFI 1520)
    undated = any(line.service_date is None for line, _ in lines)
    if kind == "dental" and undated and "submission_reason" not in details:
        # A claim for payment gives its date of service (RFI 2460): for the lines without one.
        details.setdefault("service_period", Period(start=_ALL_POS_IN_USE))
    place = facility or draw(places_of_service(first))
    if kind == "professional" and place in ("41", "42") and details.get("ambulance") is None:
        # An ambulance's place of service: the claim gives its transport (2300 CR1, Stedi's edit).
        details["ambulance"] = draw(ambulance)
    claim = Claim(
        **details,  # type: ignore[arg-type]
        kind=kind,  # type: ignore[arg-type]
        patient_control_number=f"PCN{number}",
        total_charge=money(total),
        facility_code=place,
        **accident,  # type: ignore[arg-type]
        frequency_code=frequency,
        provider_signature=None if kind == "institutional" else "Y",
        assignment=draw(st.sampled_from(["A", "B", "C"])),
        benefits_assignment=draw(st.sampled_from(["Y", "N", "W"])),
        release_of_information=draw(st.sampled_from(["Y", "I"])),
        payer_claim_control_number=draw(text(1, 20)) if frequency in ("7", "8") else None,
        # REF*EA: the 837P and 837I claim's (the 837D has none)
        medical_record_number=None if kind == "dental" else draw(st.none() | text(1, 20)),
        statement_period=statement,
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
        provider = draw(billing_providers(kind))
        for _ in range(draw(st.integers(1, 2))):
            with_dependants = draw(st.booleans())
            own_claims = draw(st.integers(0 if with_dependants else 1, 2))
            subscriber = draw(subscribers(is_patient=own_claims > 0, kind=kind))
            payer = draw(payers())
            context: dict[str, object] = {
                "header": header,
                "billing_provider": provider,
                "subscriber": subscriber,
                "payer": payer,
            }
            for _ in range(own_claims):
                out.append(draw(claims(kind, {**context, "patient": None}, len(out) + 1)))
            if with_dependants:
                patient = draw(patients(kind))
                update: dict[str, object] = {}
                if subscriber.relationship == "18":
                    # SBR02 18 says the subscriber is the patient: a dependant's claims are under a
                    # 2000B of the same member without it (claim_checks: "leave SBR02 empty").
                    update["relationship"] = None
                if kind == "professional":
                    # Nor does that 2000B send the subscriber's N3, N4, DMG (claim_situations:
                    # RFIs 2281, 1496).
                    update.update(dict.fromkeys(SUBSCRIBER_AS_PATIENT_FIELDS))
                if update:
                    context["subscriber"] = subscriber.model_copy(update=update)
                for _ in range(draw(st.integers(1, 2))):
                    out.append(draw(claims(kind, {**context, "patient": patient}, len(out) + 1)))
    return out
