"""The external code lists of `edi.codesets` (SNIP 5) and the guide checks of both writers that use
them: place of service, state, country and currency codes.

The lists are compared with pyx12's older `codes.xml` (BSD, a test-only dependency): their differences
are listed here one by one, so a code lost or gained by accident fails. The checks are write-time
rules only: reading keeps every code as it was, and `check=False` writes it back.
"""

from __future__ import annotations

from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import edi
from edi import codesets
from edi.models.base import Period
from edi.models.claim_parties import PayToAddress, PayToPlan, Provider
from edi.transactions import claim_required
from tests import pyx12_oracle

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MAPS = Path(__file__).resolve().parents[2] / "shared" / "maps"  # beside the project checkout
STATES = "not a US state or Canadian province code"
COUNTRY = "not an ISO 3166-1 alpha-2 country code"


def one(case: str) -> edi.Claim:
    return edi.load_claims(FIXTURES / f"{case}.json")[0]


def remittance(name: str = "partly_paid") -> edi.Remittance:
    (remit,) = edi.read_remittances(FIXTURES / "835" / f"{name}.x12")
    return remit


# -- the lists --------------------------------------------------------------------------------------


def _pyx12_lists() -> dict[str, set[str]]:
    # The file pyx12 reads itself (pyx12.codes.ExternalCodes): one <codeset> per list.
    path = files("pyx12").joinpath("map", "codes.xml")
    root = ElementTree.fromstring(path.read_bytes())
    return {
        str(cs.findtext("id")): {str(c.text) for c in cs.iterfind("version/code")}
        for cs in root.iter("codeset")
    }


# How each list differs from pyx12 4.0.0's: (codes only edi has, codes only pyx12 has), by why.
_DIFFERENCES: dict[str, tuple[set[str], set[str]]] = {
    # The same 52 CMS codes (x12-notes §10), up to 66 (PACE center, 2024).
    "pos": (set(), set()),
    "states": (
        # Canada Post: NL (Newfoundland and Labrador, 2002) for NF, QC for PQ; Nunavut (NU, 1999)
        # and Palau (PW, a USPS abbreviation like FM and MH, which pyx12 has) are missing there.
        {"NL", "QC", "NU", "PW"},
        {"NF", "PQ"},
    ),
    "country": (
        # Assigned since: TL (2002, for TP), AX (2004), GG, IM, JE, ME, RS (2006; YU went in 2003),
        # BL, MF (2007), BQ, CW, SX (2010; for AN, the Netherlands Antilles), SS (2011).
        {"AX", "BL", "BQ", "CW", "GG", "IM", "JE", "ME", "MF", "RS", "SS", "SX", "TL"},
        {"AN", "TP", "YU"},
    ),
    "currency": (
        {
            # The codes that replaced pyx12's withdrawn ones (below): a redenomination or a new
            # currency (AFA → AFN, MRO → MRU, ZMK → ZMW, ZWD → ZWG, ANG → XCG ...).
            *("AFN", "AOA", "ARS", "BRL", "CDF", "CZK", "GHS", "MGA", "MMK", "MRU", "MXN", "MZN"),
            *("NIO", "PEN", "PLN", "RON", "RSD", "RUB", "SDG", "SLE", "SRD", "STN", "TRY", "UGX"),
            *("UYU", "VES", "VED", "XCG", "ZMW", "ZWG"),
            # Currencies of states that came after pyx12's list was made, or that it left out.
            *("AMD", "AZN", "BAM", "BYN", "ERN", "GEL", "KGS", "KZT", "MDL", "MKD", "SSP", "TJS"),
            *("NAD", "TMT", "UAH", "UZS"),
            # Regional currencies (XAF, XCD, XOF, XPF) and the other X codes of Table A.1 (gold,
            # SDR, testing, no currency ...; XAD, the Arab Accounting Dinar, since 2025).
            *("XAD", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XDR", "XOF", "XPD"),
            *("XPF", "XPT", "XSU", "XTS", "XUA", "XXX"),
            # Funds codes, in Table A.1 too.
            *("BOV", "CHE", "CHW", "COU", "MXV", "USN", "UYI", "UYW"),
        },
        {
            # Replaced by the euro: the currencies of the first members and Andorra's peseta.
            *("ADP", "ATS", "BEF", "CYP", "DEM", "ESP", "FIM", "FRF", "GRD", "IEP", "ITL", "LUF"),
            *("MTL", "NLG", "PTE"),
            # Withdrawn for the codes above, or with their state (DDM East Germany, SUR the USSR,
            # YDD South Yemen, YUD Yugoslavia); ECS and TPE for the US dollar, GWP for XOF; BGL
            # for BGN, itself replaced by the euro in 2026; CSK for CZK (and SKK, also gone).
            *("AFA", "ANG", "AOK", "ARA", "BGL", "BRC", "BUK", "CSK", "DDM", "ECS", "GHC", "GWP"),
            *("MGF", "MRO", "MXP", "MZM", "NIC", "PEI", "PLZ", "ROL", "SDP", "SLL", "SRG", "STD"),
            *("SUR", "TPE", "TRL", "UGS", "UYP", "VEB", "YDD", "YUD", "ZMK", "ZRZ", "ZWD"),
        },
    ),
}


@pytest.mark.parametrize("name", sorted(_DIFFERENCES))
def test_each_list_differs_from_pyx12s_by_exactly_the_codes_listed(name: str) -> None:
    ours = set(codesets.LISTS[name].codes)
    theirs = _pyx12_lists()[name]
    only_ours, only_theirs = _DIFFERENCES[name]
    assert not only_ours & only_theirs
    assert sorted(ours - theirs) == sorted(only_ours)
    assert sorted(theirs - ours) == sorted(only_theirs)


def test_the_lists_have_the_shape_of_their_standards() -> None:
    tables = {
        "pos": codesets.PLACES_OF_SERVICE,
        "states": codesets.STATES,
        "country": codesets.COUNTRIES,
        "currency": codesets.CURRENCIES,
    }
    assert {name: len(table) for name, table in tables.items()} == {
        "pos": 52,
        # 50 states, DC, 5 territories, 3 freely associated states, 3 military, 13 of Canada
        "states": 75,
        "country": 249,
        "currency": 178,
    }
    assert all(c.isdigit() and len(c) == 2 for c in codesets.PLACES_OF_SERVICE)
    for name, size in (("states", 2), ("country", 2), ("currency", 3)):
        assert all(c.isascii() and c.isupper() and len(c) == size for c in tables[name]), name
    for name, table in tables.items():
        assert codesets.LISTS[name].codes == frozenset(table) and all(table.values())
    assert set(codesets.POS_EFFECTIVE) <= set(codesets.PLACES_OF_SERVICE)
    # x12-notes §10: 10 from 2022-01-01, 27 from 2023-10-01, 66 from 2024-08-01.
    assert codesets.POS_EFFECTIVE["10"] == date(2022, 1, 1)
    assert codesets.POS_EFFECTIVE["27"] == date(2023, 10, 1)
    assert codesets.POS_EFFECTIVE["66"] == date(2024, 8, 1)


def test_the_maps_name_no_other_list_the_checks_use() -> None:
    """The four lists the maps mark (`{external:...}`) that may be shipped are the ones here."""
    if not MAPS.is_dir():
        pytest.skip(f"the map dumps are not at {MAPS}")
    named = set()
    for dump in MAPS.glob("*.full.txt"):
        text = dump.read_text()
        named |= {part.split("}")[0] for part in text.split("{external:")[1:]}
    # remark_code: RARC, X12's (x12-notes §10): not shipped.
    assert named - {"remark_code"} == set(codesets.LISTS)


# -- 837: the claim checks -----------------------------------------------------------------------


def test_a_bad_code_and_an_element_the_loop_does_not_use_are_both_said() -> None:
    """The external code lists and claim_usage's rules run side by side: a place of service that is
    not one (CLM05-01), and in the ambulance drop-off location (2310F) a state that is not one and an
    NM104 the loop does not use, made on the model or read from a file."""
    expected = [
        "claim PCN8001: CLM05-01 (facility_code) is '98', not a CMS place of service code (837P)",
        "claim PCN8001: provider 45 (2310F): N402 (state) is not a US state or Canadian "
        "province code (837P)",
        "claim PCN8001: provider 45 (2310F): NM1 has NM104 (first_name); the 837P guide "
        "does not use it",
    ]
    claim = one("837p/ambulance_dme")
    drop_off = claim.providers[1]
    assert drop_off.role == "45"
    claim.facility_code, drop_off.state, drop_off.first_name = "98", "ZZ", "ER"
    assert edi.check_claims([claim]) == expected
    text = (FIXTURES / "837p/ambulance_dme.x12").read_text()
    text = text.replace("CLM*PCN8001*650***41:B:1*", "CLM*PCN8001*650***98:B:1*")
    text = text.replace(
        "NM1*45*2*EXAMPLE GENERAL HOSPITAL~", "NM1*45*2*EXAMPLE GENERAL HOSPITAL*ER~"
    )
    text = text.replace("N4*SPRINGFIELD*IL*62702~", "N4*SPRINGFIELD*ZZ*62702~")
    read = list(edi.read_claims(text))
    assert [p for p in edi.check_claims(read) if "PCN8001" in p] == expected


def test_837p_and_837d_place_of_service() -> None:
    claim = one("837p/subscriber_is_patient")
    claim.facility_code = "00"
    assert claim.lines[0].professional is not None
    claim.lines[0].professional.place_of_service = "98"  # unassigned
    assert edi.check_claims([claim]) == [
        "claim PCN1001: CLM05-01 (facility_code) is '00', not a CMS place of service code (837P)",
        "claim PCN1001: line 1: SV105 (professional.place_of_service) is '98', not a CMS place of "
        "service code (837P)",
    ]
    claim = one("837d/restorative")
    claim.facility_code = "30"
    assert claim.lines[0].dental is not None
    claim.lines[0].dental.place_of_service = "1"
    assert edi.check_claims([claim]) == [
        "claim PCND002: CLM05-01 (facility_code) is '30', not a CMS place of service code (837D)",
        "claim PCND002: line 1: SV303 (dental.place_of_service) is '1', not a CMS place of "
        "service code (837D)",
    ]
    # 837I CLM05-01 is the facility type code (NUBC, not shipped): not a place of service.
    claim = one("837i/inpatient")
    claim.facility_code = "86"
    assert edi.check_claims([claim]) == []


def test_a_place_of_service_is_used_from_its_effective_date_on() -> None:
    claim = one("837p/subscriber_is_patient")  # dates of service 2024-03-05
    claim.facility_code = "66"  # PACE center, from 2024-08-01
    assert edi.check_claims([claim]) == [
        "claim PCN1001: place of service 66 (CLM05-01) takes effect on 2024-08-01, after the date "
        "of service of lines 1, 2"
    ]
    later = Period(start=date(2024, 8, 1))
    claim.lines[1].service_date = later
    assert claim.lines[0].professional is not None
    claim.lines[0].professional.place_of_service = "27"  # from 2023-10-01: in use on 2024-03-05
    assert edi.check_claims([claim]) == []
    claim.lines[0].service_date = Period(start=date(2023, 9, 30))
    assert edi.check_claims([claim]) == [
        "claim PCN1001: line 1: place of service 27 (SV105) takes effect on 2023-10-01, after the "
        "line's date of service"
    ]
    # A line without a date takes the claim's (837D DTP*472 at 2300); none at all: nothing to go by
    # (but the date a claim for payment gives, RFI 2460: a predetermination has none).
    claim = one("837d/restorative")
    claim.facility_code = "10"  # telehealth in the patient's home, from 2022-01-01
    for line in claim.lines:
        line.service_date = None
    claim.submission_reason = "PB"
    assert edi.check_claims([claim]) == []
    claim.submission_reason = None
    claim.service_period = Period(start=date(2021, 12, 31))
    assert edi.check_claims([claim]) == [
        "claim PCND002: place of service 10 (CLM05-01) takes effect on 2022-01-01, after the date "
        "of service of lines 1, 2, 3"
    ]


def test_837_state_codes_wherever_an_n4_is_and_of_the_auto_accident() -> None:
    claim = one("837p/subscriber_is_patient")
    claim.billing_provider.state = "XX"
    claim.subscriber.state = "Il"
    facility = next(p for p in claim.providers if p.role == "77")
    facility.state = "PQ"  # Quebec before 1990: QC
    claim.related_causes, claim.accident_state = ["AA"], "ZZ"
    assert edi.check_claims([claim]) == [
        f"claim PCN1001: billing provider (2010AA): N402 (state) is {STATES} (837P)",
        f"claim PCN1001: subscriber (2010BA): N402 (state) is {STATES} (837P)",
        f"claim PCN1001: CLM11-04 (accident_state) is 'ZZ', {STATES} (837P)",
        f"claim PCN1001: provider 77 (2310C): N402 (state) is {STATES} (837P)",
    ]
    for case, pcn, guide in (
        ("837i/cob_secondary", "PCN7001", "837I"),
        ("837d/cob", "PCND004", "837D"),
    ):
        claim = one(case)
        claim.subscriber.state = "ZZ"
        other_payer = claim.prior_payers[0].other_payer  # 2330B
        other_payer.address_line_1, other_payer.city, other_payer.state = "1 MAIN ST", "XY", "ZZ"
        other_payer.postal_code = "10001"  # a US address has one (N403)
        assert edi.check_claims([claim]) == [
            f"claim {pcn}: subscriber (2010BA): N402 (state) is {STATES} ({guide})",
            f"claim {pcn}: prior payer 1: other payer (2330B): N402 (state) is {STATES} ({guide})",
        ]  # an address: never quoted, not even a state code


def test_837_a_state_outside_the_us_and_canada_is_no_us_or_canadian_code() -> None:
    """N402 takes a US or Canadian state code, and only there: an address abroad names its country
    (N404) and puts its subdivision in N407 (the guides' N402 note: "Required when the address is in
    the United States of America, including its territories, or Canada. If not required by this
    implementation guide, do not send"). The accident's state (CLM11-04) abroad is left alone."""
    claim = one("837p/subscriber_is_patient")
    claim.subscriber.state, claim.subscriber.country = "ZZ", "MX"
    claim.related_causes, claim.accident_state, claim.accident_country = ["AA"], "ZZ", "MX"
    assert edi.check_claims([claim]) == [
        "claim PCN1001: subscriber (2010BA): N402 (state) is only for an address in the US or "
        "Canada; N404 names another country, whose subdivision goes in N407"
    ]
    claim.subscriber.state, claim.subscriber.country_subdivision = None, "JAL"
    assert edi.check_claims([claim]) == []
    claim.subscriber.state, claim.subscriber.country_subdivision = "ZZ", None
    claim.subscriber.country = claim.accident_country = "CA"
    assert edi.check_claims([claim]) == [
        f"claim PCN1001: subscriber (2010BA): N402 (state) is {STATES} (837P)",
        f"claim PCN1001: CLM11-04 (accident_state) is 'ZZ', {STATES} (837P)",
    ]
    claim.subscriber.country, claim.subscriber.state = "US", "ON"  # Ontario: a code of the list
    claim.accident_country = None
    assert edi.check_claims([claim]) == [
        f"claim PCN1001: CLM11-04 (accident_state) is 'ZZ', {STATES} (837P)"
    ]


# Every N4 the 837 models write: (fixture, where the party is, its loop in messages). Parties a fixture has no address for are given one (`_without_state_or_zip`).
_N4_PARTIES = [
    ("837p/subscriber_is_patient", "billing_provider", "billing provider (2010AA)"),
    ("837p/subscriber_is_patient", "pay_to", "pay-to address (2010AB)"),
    ("837p/subscriber_is_patient", "pay_to_plan", "pay-to plan (2010AC)"),
    ("837p/subscriber_is_patient", "subscriber", "subscriber (2010BA)"),
    ("837p/subscriber_is_patient", "payer", "payer (2010BB)"),
    ("837d/ortho", "patient", "patient (2010CA)"),
    ("837p/subscriber_is_patient", "provider 77", "claim: provider 77 (2310C)"),
    ("837p/ambulance_dme", "provider PW", "claim: provider PW (2310E)"),
    ("837p/ambulance_dme", "provider 45", "claim: provider 45 (2310F)"),
    ("837p/cob_secondary", "other_subscriber", "prior payer 1: other subscriber (2330A)"),
    ("837p/cob_secondary", "other_payer", "prior payer 1: other payer (2330B)"),
    ("837p/subscriber_is_patient", "line provider 77", "line 1: provider 77 (2420C)"),
    ("837p/subscriber_is_patient", "line provider DK", "line 1: provider DK (2420E)"),
    ("837p/subscriber_is_patient", "line provider PW", "line 1: provider PW (2420G)"),
    ("837p/subscriber_is_patient", "line provider 45", "line 1: provider 45 (2420H)"),
    ("837i/cob_secondary", "billing_provider", "billing provider (2010AA)"),
    ("837i/cob_secondary", "payer", "payer (2010BB)"),
    ("837i/cob_secondary", "provider 77", "claim: provider 77 (2310E)"),
    ("837i/cob_secondary", "other_payer", "prior payer 1: other payer (2330B)"),
    ("837d/cob", "subscriber", "subscriber (2010BA)"),
    ("837d/cob", "provider 77", "claim: provider 77 (2310C)"),
    ("837d/cob", "other_subscriber", "prior payer 1: other subscriber (2330A)"),
]


def _without_state_or_zip(claim: edi.Claim, party: str) -> Any:
    """The party of `claim` named by `party`, with an address in the US that lacks N402 and N403."""
    billing = claim.billing_provider
    found: Any
    if party == "pay_to":
        found = billing.pay_to_address = billing.pay_to_address or PayToAddress()
    elif party == "pay_to_plan":
        found = billing.pay_to_plan = PayToPlan(name="PLAN", id="PLAN1", tax_id="123456789")
    elif party in ("other_subscriber", "other_payer"):
        found = getattr(claim.prior_payers[0], party)
    elif party.startswith("provider "):
        role = party.split()[1]
        found = next((p for p in claim.providers if p.role == role), None)
        if found is None:
            found = Provider(role=role, name="FACILITY", id="1234567893")
            claim.providers.append(found)
    elif party.startswith("line provider "):
        role = party.split()[2]
        found = Provider(role=role)  # the ambulance's places have no name (NM103) in 2420G/H
        if role in ("77", "DK"):
            found.name, found.id = "PLACE", "1234567893"
            found.entity_type = "2" if role == "77" else "1"
        claim.lines[0].providers.append(found)
    else:
        found = getattr(claim, party)
    found.address_line_1 = found.address_line_1 or "1 MAIN ST"
    found.city = found.city or "TOWN"
    found.state = found.postal_code = found.country = None
    return found


@pytest.mark.parametrize(("case", "party", "where"), _N4_PARTIES)
def test_837_an_address_in_the_us_or_canada_has_its_state_and_zip(
    case: str, party: str, where: str
) -> None:
    """The guides' N402 and N403 notes (`codesets.US_CANADA_REQUIRED`): "Required when the address
    is in the United States of America, including its territories, or Canada" (N403: "..., or when
    a postal code exists for the country in N404"). A US address is one without N404, or with US."""
    claim = one(case)
    pcn, guide = claim.patient_control_number, case[:4].upper()  # 837P, 837I, 837D
    assert edi.check_claims([claim]) == []
    address = _without_state_or_zip(claim, party)
    missing = [
        f"claim {pcn}: {where.removeprefix('claim: ')}: N4 without N402 (state); the {guide} guide requires it for an "
        "address in the US or Canada",
        f"claim {pcn}: {where.removeprefix('claim: ')}: N4 without N403 (postal_code); the {guide} guide requires it for an "
        "address in the US or Canada",
    ]
    assert edi.check_claims([claim]) == missing
    with pytest.raises(edi.ClaimCheckError, match="N4 without N402"):
        edi.write_837([claim])
    address.country = "CA"
    assert edi.check_claims([claim]) == missing
    address.country = "US"
    address.state = "NY"
    assert edi.check_claims([claim]) == missing[1:]
    address.state, address.postal_code = (
        None,
        "100011234",
    )  # ZIP+4: a billing provider or service facility needs it
    assert edi.check_claims([claim]) == missing[:1]
    address.state = "NY"
    assert edi.check_claims([claim]) == []
    # Abroad neither is required (N402 is not even sent there; a postal code may be).
    address.state, address.postal_code, address.country = None, None, "MX"
    assert edi.check_claims([claim]) == []


@pytest.mark.parametrize(("case", "party", "where"), _N4_PARTIES)
def test_837_an_address_in_the_us_has_a_zip_code_of_five_or_nine_digits(
    case: str, party: str, where: str
) -> None:
    """N403 of every N4 in the US (no N404, or US) is a ZIP code: five digits, or nine (ZIP+4),
    without USPS's dash; letters, four digits or `78701-0001` were written (only the billing
    provider's and service facility's were checked, for nine digits). Not quoted: an address."""
    claim = one(case)
    pcn, guide = claim.patient_control_number, case[:4].upper()
    address = _without_state_or_zip(claim, party)
    address.state = "TX"
    nine = party in ("billing_provider", "provider 77", "line provider 77")
    what = "no nine-digit ZIP code (ZIP+4)" if nine else "no ZIP code (five or nine digits)"
    refused = [
        f"claim {pcn}: {where.removeprefix('claim: ')}: N403 (postal_code) is {what}; the {guide} guide requires one for "
        "this address in the US"
    ]
    for postal_code in ("ABC", "7870", "78701-0001", "787010", "7870100011"):
        address.postal_code = postal_code
        for country in (None, "", "US"):
            address.country = country
            assert edi.check_claims([claim]) == refused, (postal_code, country)
    with pytest.raises(edi.ClaimCheckError, match="ZIP"):
        edi.write_837([claim])
    address.postal_code = "78701"
    assert edi.check_claims([claim]) == (refused if nine else [])
    address.postal_code = "787010001"
    assert edi.check_claims([claim]) == []
    # Abroad (Canada too) a postal code has its country's form; N403 3 to 15 is claim_syntax's.
    address.state, address.postal_code = "ON", "K1A 0B6"
    for country in ("CA", "MX"):
        address.country = country
        address.state = "ON" if country == "CA" else None
        assert edi.check_claims([claim]) == []


def test_837_a_zip_code_that_breaks_n403s_size_is_said_once() -> None:
    """One of 2 characters is said by its size (N403 takes 3 to 15: claim_syntax), not again as no
    ZIP code (the billing provider's was, as no ZIP+4 too)."""
    claim = one("837p/subscriber_is_patient")
    claim.billing_provider.postal_code = claim.subscriber.postal_code = "12"
    said = "N403 (postal_code) is 2 characters long; the 837P guide takes 3 to 15 characters there"
    assert edi.check_claims([claim]) == [
        f"claim PCN1001: billing provider (2010AA): {said}",
        f"claim PCN1001: subscriber (2010BA): {said}",
    ]


@pytest.mark.parametrize("case", ["837p/subscriber_is_patient", "837i/inpatient"])
def test_837_a_billing_provider_or_service_facility_in_the_us_has_a_zip_plus_four(
    case: str,
) -> None:
    """2010AA N403 (and a service facility's, 2310C/2310E, 2420C) of a US address is the full
    nine-digit ZIP code: pyx12's 837I map holds it to [0-9]{9}. Other addresses may have five."""
    claim = one(case)
    pcn, guide = claim.patient_control_number, case[:4].upper()
    assert edi.check_claims([claim]) == []
    claim.billing_provider.postal_code = "62701"
    claim.subscriber.postal_code = "62701"  # not held to it
    facility = next((p for p in claim.providers if p.role == "77"), None)
    if facility is None:
        facility = Provider(role="77", entity_type="2", name="PLACE", id="1234567893")
        facility.address_line_1, facility.city, facility.state = "1 MAIN ST", "TOWN", "IL"
        claim.providers.append(facility)
    facility.postal_code = "6270"
    loop = "2310C" if guide == "837P" else "2310E"
    said = f"N403 (postal_code) is no nine-digit ZIP code (ZIP+4); the {guide} guide requires one"
    assert edi.check_claims([claim]) == [
        f"claim {pcn}: billing provider (2010AA): {said} for this address in the US",
        f"claim {pcn}: provider 77 ({loop}): {said} for this address in the US",
    ]
    with pytest.raises(edi.ClaimCheckError, match="ZIP"):
        edi.write_837([claim])
    claim.billing_provider.postal_code = facility.postal_code = "627011234"
    assert edi.check_claims([claim]) == []
    facility.postal_code, facility.country, facility.state = "K1A0B1", "CA", "ON"  # abroad: any
    assert edi.check_claims([claim]) == []


def test_837_country_codes() -> None:
    claim = one("837p/subscriber_is_patient")
    claim.subscriber.state, claim.subscriber.country = None, "XK"  # Kosovo: user-assigned, not ISO
    claim.related_causes, claim.accident_country = ["AA"], "UK"  # GB in ISO 3166-1
    assert edi.check_claims([claim]) == [
        f"claim PCN1001: subscriber (2010BA): N404 (country) is {COUNTRY} (837P)",
        f"claim PCN1001: CLM11-05 (accident_country) is 'UK', {COUNTRY} (837P)",
    ]


def test_837_currency_codes() -> None:
    claims = edi.load_claims(FIXTURES / "837i/inpatient.json")
    for claim in claims:
        claim.billing_provider.currency = "EUR"
    assert edi.check_claims(claims) == []
    for claim in claims:
        claim.billing_provider.currency = "DEM"  # withdrawn in 2002
    assert edi.check_claims(claims) == [
        f"claim {c.patient_control_number}: billing provider (2000A): CUR02 (currency) is 'DEM', "
        "not an ISO 4217 currency code (837I)"
        for c in claims
    ]


# -- 835: the remittance checks ----------------------------------------------------------------


def test_835_state_country_and_currency_codes() -> None:
    remit = remittance()
    remit.payer.state = "PQ"
    remit.payee.address_line_1, remit.payee.city = "1 MAIN ST", "WINDSOR"
    remit.payee.postal_code, remit.payee.country = "N9A1A1", "CAN"  # ISO alpha-3: not the guide's
    remit.currency = "USS"  # a funds code ISO withdrew in 2014
    assert edi.check_remittances([remit]) == [
        "835 0001: CUR02 'USS' is not an ISO 4217 currency code",
        f"835 0001 payer (1000A): N402 is {STATES}",
        f"835 0001 payee (1000B): N404 is {COUNTRY}",
    ]


def test_835_a_state_outside_the_us_and_canada_is_no_us_or_canadian_code() -> None:
    remit = remittance()
    remit.payer.state, remit.payer.country = "ZZ", "MX"
    abroad = (
        "835 0001 payer (1000A): N402 (state) is only for an address in the US or Canada; N404 "
        "names another country, whose subdivision goes in N407"
    )
    assert edi.check_remittances([remit]) == [abroad]
    remit.payer.state = "ON"  # a code of the list, but the address is in Mexico
    assert edi.check_remittances([remit]) == [abroad]
    remit.payer.state, remit.payer.country_subdivision = None, "JAL"  # as the guide has it
    assert edi.check_remittances([remit]) == []
    remit.payer.state, remit.payer.country_subdivision = "ZZ", None
    remit.payer.country = "CA"
    assert edi.check_remittances([remit]) == [f"835 0001 payer (1000A): N402 is {STATES}"]
    remit.payer.country = ""
    assert edi.check_remittances([remit]) == [f"835 0001 payer (1000A): N402 is {STATES}"]
    # The size of N402 (ID 2/2) holds wherever the address is.
    remit.payer.state, remit.payer.country = "JAL", "MX"
    assert edi.check_remittances([remit]) == [
        abroad,
        "835 0001 payer (1000A): N402 is 3 characters long; 005010X221A1 takes 2 there",
    ]


@pytest.mark.parametrize(("party", "where"), [("payer", "1000A"), ("payee", "1000B")])
def test_835_an_address_in_the_us_or_canada_has_its_state_and_zip(party: str, where: str) -> None:
    """The 835's N402 and N403 notes are the 837's (`codesets.US_CANADA_REQUIRED`)."""
    remit = remittance()
    address = getattr(remit, party)
    address.address_line_1, address.city = "1 MAIN ST", "TOWN"
    address.state = address.postal_code = address.country = None
    missing = [
        f"835 0001 {party} ({where}): N4 without N402; 005010X221A1 requires it for an address in "
        "the US or Canada",
        f"835 0001 {party} ({where}): N4 without N403; 005010X221A1 requires it for an address in "
        "the US or Canada",
    ]
    assert edi.check_remittances([remit]) == missing
    with pytest.raises(edi.RemittanceCheckError, match="N4 without N402"):
        edi.write_835([remit])
    address.country = "CA"
    assert edi.check_remittances([remit]) == missing
    address.country, address.state = "US", "NY"
    assert edi.check_remittances([remit]) == missing[1:]
    address.country, address.state, address.postal_code = "", None, "10001"
    assert edi.check_remittances([remit]) == missing[:1]
    address.state = "NY"
    assert edi.check_remittances([remit]) == []
    address.state, address.postal_code, address.country = None, None, "MX"  # abroad: neither
    assert edi.check_remittances([remit]) == []


_N4_LOOPS = [
    (kind, loop)
    for kind, loops in claim_required._ELEMENTS.items()
    for loop, segments in loops.items()
    if "N4" in segments
]
_N4_REFS = ("N401", "N402", "N403", "N404", "N407")
_N4_VALUES = st.sampled_from([None, "", "NY", "ON", "US", "CA", "MX", "XX", "10001", "JAL"])


@settings(max_examples=400, deadline=None)
@given(where=st.sampled_from(_N4_LOOPS), values=st.tuples(*[_N4_VALUES] * len(_N4_REFS)))
def test_837_an_n4_the_fast_test_passes_has_no_problem(
    where: tuple[str, str], values: tuple[str | None, ...]
) -> None:
    """The 837 N4's fast test (`claim_required._Fast`, on the values of its fields) passes only an N4
    in which the worded check (`_values_problems`) finds none, the state and ZIP of a US address
    too; and it does not pass a US or Canadian address without them."""
    rules = claim_required._rules(*where, "N4")
    fast = claim_required._fast(rules, _N4_REFS)
    assert fast is not None
    out: list[str] = []
    by_ref = dict(zip(_N4_REFS, values, strict=True))
    names = claim_required._Names("", {ref: ref for ref in _N4_REFS})
    claim_required._values_problems(rules, by_ref, names, out)
    if fast.passes(values):
        assert out == []
    if by_ref["N404"] in (None, "", "US", "CA") and not (by_ref["N402"] and by_ref["N403"]):
        assert not fast.passes(values)
        assert any("for an address in the US or Canada" in problem for problem in out)


# -- reading, writing ------------------------------------------------------------------------------


def test_reading_keeps_any_code_and_only_a_checked_write_refuses_it() -> None:
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    bad = text.replace("N4*SPRINGFIELD*IL*62701~", "N4*SPRINGFIELD*ZZ*62701*XX~").replace(
        "CLM*PCN1001*175***11:B:1", "CLM*PCN1001*175***00:B:1"
    )
    reader = edi.read_claims(bad)
    claims = list(reader)
    assert [str(d) for d in reader.diagnostics] == []
    assert claims[0].facility_code == "00" and claims[0].subscriber.country == "XX"
    assert edi.write_837(claims, check=False) == bad
    with pytest.raises(edi.ClaimCheckError) as caught:
        edi.write_837(claims)
    assert caught.value.problems[:2] == [
        f"claim PCN1001: subscriber (2010BA): N404 (country) is {COUNTRY} (837P)",
        "claim PCN1001: CLM05-01 (facility_code) is '00', not a CMS place of service code (837P)",
    ]
    text = (FIXTURES / "835/denied.x12").read_text()
    bad = text.replace("N4*SPRINGFIELD*IL*62701~", "N4*SPRINGFIELD*ZZ*62701~")
    reader835 = edi.read_remittances(bad)
    remits = list(reader835)
    assert [str(d) for d in reader835.diagnostics] == []
    assert edi.write_835(remits, check=False) == bad
    with pytest.raises(edi.RemittanceCheckError):
        edi.write_835(remits)


# -- pyx12 agrees ---------------------------------------------------------------------------------


def _broken_837(field: str) -> list[edi.Claim]:
    """The first claim of a fixture with one code of `field` broken."""
    claims = list(edi.read_claims(FIXTURES / "837p/subscriber_is_patient.x12"))[:1]
    claim = claims[0]
    line = claim.lines[0].professional
    assert line is not None
    if field == "CLM05-01":
        claim.facility_code = "00"
    elif field == "SV105":
        line.place_of_service = "98"
    elif field == "N402":
        claim.subscriber.state = "ZZ"
    elif field == "N404":
        claim.subscriber.state, claim.subscriber.country = None, "XX"
    elif field == "CUR02":
        claim.billing_provider.currency = "XYZ"
    else:
        claim.related_causes = ["AA"]
        if field == "CLM11-04":
            claim.accident_state = "ZZ"
        else:
            claim.accident_country = "XX"
    return claims


@pytest.mark.parametrize(
    "field", ["CLM05-01", "SV105", "N402", "N404", "CUR02", "CLM11-04", "CLM11-05"]
)
def test_pyx12_also_refuses_each_bad_837_code(field: str) -> None:
    claims = _broken_837(field)
    found = edi.check_claims(claims)
    assert len(found) == 1 and f"{field} (" in found[0], found
    errors = pyx12_oracle.errors(edi.write_837(claims, check=False))
    assert len(errors) == 1 and errors[0].endswith(f"({field})"), errors


@pytest.mark.parametrize("field", ["N402", "N404", "CUR02"])
def test_pyx12_also_refuses_each_bad_835_code(field: str) -> None:
    remit = remittance("denied")
    if field == "N402":
        remit.payer.state = "ZZ"
    elif field == "N404":
        remit.payer.state, remit.payer.country = None, "XX"
    else:
        remit.currency = "XYZ"
    found = edi.check_remittances([remit])
    assert len(found) == 1 and f"{field} " in found[0], found
    errors = pyx12_oracle.errors(edi.write_835([remit], check=False))
    assert len(errors) == 1 and errors[0].endswith(f"({field})"), errors


def test_where_pyx12_and_the_checks_differ() -> None:
    """Where they differ, each on purpose: pyx12's map gives the billing provider's N402 no code
    list (the element is the same, de 156); pyx12 takes a US/Canadian state code on an address
    abroad (edi: N402 is not sent there); and pyx12's list is older (QC, not PQ: `_DIFFERENCES`)."""
    abroad = (
        "subscriber (2010BA): N402 (state) is only for an address in the US or Canada; N404 names "
        "another country, whose subdivision goes in N407"
    )
    for change, ours, pyx12s in (
        ("billing", [f"billing provider (2010AA): N402 (state) is {STATES} (837P)"], []),
        ("abroad", [abroad], []),
        ("QC", [], ["(N402)"]),
    ):
        claims = list(edi.read_claims(FIXTURES / "837p/subscriber_is_patient.x12"))
        subscriber = claims[0].subscriber
        if change == "billing":
            claims[0].billing_provider.state = "ZZ"
        elif change == "abroad":
            subscriber.state, subscriber.country = "ON", "MX"
        else:
            subscriber.state = "QC"
        assert edi.check_claims(claims[:1]) == [f"claim PCN1001: {p}" for p in ours]
        errors = pyx12_oracle.errors(edi.write_837(claims[:1], check=False))
        assert [e[e.rindex("(") :] for e in errors] == pyx12s, errors
