"""External code lists the guides name and that may be shipped (SNIP 5; x12-notes §10). Data only.

The maps mark the elements that take them (`{external:pos}` ...); each list here is named as there:

- `pos` (code source 237): the CMS place of service codes, CLM05-01 (837P, 837D), SV105, SV303;
- `states` (code source 22): the USPS state, district, territory and military abbreviations and the
  Canada Post province and territory abbreviations, N402 and CLM11-04;
- `country` (code source 5): ISO 3166-1 alpha-2, N404 and CLM11-05;
- `currency` (code source 5): ISO 4217 alphabetic codes, CUR02.

Written from the public standards as they stand on 2026-01-01 (CMS POS list of August 2024, ISO 3166-1
and ISO 4217 with their amendments to that day), not from another project's files. Codes a standard
withdrew are left out (ANG, HRK ...; NF and PQ, the old abbreviations of Newfoundland and Quebec):
tests/test_codesets.py says how these lists differ from pyx12's older ones.

>>> LISTS["pos"].what, "11" in LISTS["pos"].codes, "00" in LISTS["pos"].codes
('a CMS place of service code', True, False)
>>> takes_state_code(None), takes_state_code("CA"), takes_state_code("MX")
(True, True, False)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date


def _table(text: str) -> dict[str, str]:
    """`code name` lines → {code: name}."""
    rows = (line.split(maxsplit=1) for line in text.strip().splitlines())
    return {code: name for code, name in rows}


# CMS Place of Service Code Set (cms.gov, "Place of Service Code Set"); codes not listed (28-30, 35-40,
# 43-48, 59, 63, 64, 67-70, 73-80, 82-98) are unassigned.
PLACES_OF_SERVICE: Mapping[str, str] = _table(
    """
01 Pharmacy
02 Telehealth Provided Other than in Patient's Home
03 School
04 Homeless Shelter
05 Indian Health Service Free-standing Facility
06 Indian Health Service Provider-based Facility
07 Tribal 638 Free-standing Facility
08 Tribal 638 Provider-based Facility
09 Prison/Correctional Facility
10 Telehealth Provided in Patient's Home
11 Office
12 Home
13 Assisted Living Facility
14 Group Home
15 Mobile Unit
16 Temporary Lodging
17 Walk-in Retail Health Clinic
18 Place of Employment-Worksite
19 Off Campus-Outpatient Hospital
20 Urgent Care Facility
21 Inpatient Hospital
22 On Campus-Outpatient Hospital
23 Emergency Room - Hospital
24 Ambulatory Surgical Center
25 Birthing Center
26 Military Treatment Facility
27 Outreach Site/Street
31 Skilled Nursing Facility
32 Nursing Facility
33 Custodial Care Facility
34 Hospice
41 Ambulance - Land
42 Ambulance - Air or Water
49 Independent Clinic
50 Federally Qualified Health Center
51 Inpatient Psychiatric Facility
52 Psychiatric Facility-Partial Hospitalization
53 Community Mental Health Center
54 Intermediate Care Facility/Individuals with Intellectual Disabilities
55 Residential Substance Abuse Treatment Facility
56 Psychiatric Residential Treatment Center
57 Non-residential Substance Abuse Treatment Facility
58 Non-residential Opioid Treatment Facility
60 Mass Immunization Center
61 Comprehensive Inpatient Rehabilitation Facility
62 Comprehensive Outpatient Rehabilitation Facility
65 End-Stage Renal Disease Treatment Facility
66 Programs of All-Inclusive Care for the Elderly (PACE) Center
71 Public Health Clinic
72 Rural Health Clinic
81 Independent Laboratory
99 Other Place of Service
"""
)

# The first date of service of the codes CMS added since 2016 (CMS change requests: 19 with the split
# of 22 on campus/off campus, 02 telehealth, 58 (CR 11353), 10 (CR 12427), 27 (CR 13314), 66 (PACE,
# transmittal 12779)). The older codes are older than the 5010 guides: any 5010 claim may use them.
POS_EFFECTIVE: Mapping[str, date] = {
    "19": date(2016, 1, 1),
    "02": date(2017, 1, 1),
    "58": date(2020, 1, 1),
    "10": date(2022, 1, 1),
    "27": date(2023, 10, 1),
    "66": date(2024, 8, 1),
}

# USPS (Publication 28, Appendix B) and Canada Post abbreviations.
STATES: Mapping[str, str] = _table(
    """
AL Alabama
AK Alaska
AZ Arizona
AR Arkansas
CA California
CO Colorado
CT Connecticut
DE Delaware
DC District of Columbia
FL Florida
GA Georgia
HI Hawaii
ID Idaho
IL Illinois
IN Indiana
IA Iowa
KS Kansas
KY Kentucky
LA Louisiana
ME Maine
MD Maryland
MA Massachusetts
MI Michigan
MN Minnesota
MS Mississippi
MO Missouri
MT Montana
NE Nebraska
NV Nevada
NH New Hampshire
NJ New Jersey
NM New Mexico
NY New York
NC North Carolina
ND North Dakota
OH Ohio
OK Oklahoma
OR Oregon
PA Pennsylvania
RI Rhode Island
SC South Carolina
SD South Dakota
TN Tennessee
TX Texas
UT Utah
VT Vermont
VA Virginia
WA Washington
WV West Virginia
WI Wisconsin
WY Wyoming
AS American Samoa
GU Guam
MP Northern Mariana Islands
PR Puerto Rico
VI U.S. Virgin Islands
FM Federated States of Micronesia
MH Marshall Islands
PW Palau
AA Armed Forces Americas (except Canada)
AE Armed Forces Europe, Middle East, Africa and Canada
AP Armed Forces Pacific
AB Alberta
BC British Columbia
MB Manitoba
NB New Brunswick
NL Newfoundland and Labrador
NS Nova Scotia
NT Northwest Territories
NU Nunavut
ON Ontario
PE Prince Edward Island
QC Quebec
SK Saskatchewan
YT Yukon
"""
)

# ISO 3166-1 alpha-2: the 249 officially assigned codes.
COUNTRIES: Mapping[str, str] = _table(
    """
AD Andorra
AE United Arab Emirates
AF Afghanistan
AG Antigua and Barbuda
AI Anguilla
AL Albania
AM Armenia
AO Angola
AQ Antarctica
AR Argentina
AS American Samoa
AT Austria
AU Australia
AW Aruba
AX Åland Islands
AZ Azerbaijan
BA Bosnia and Herzegovina
BB Barbados
BD Bangladesh
BE Belgium
BF Burkina Faso
BG Bulgaria
BH Bahrain
BI Burundi
BJ Benin
BL Saint Barthélemy
BM Bermuda
BN Brunei Darussalam
BO Bolivia
BQ Bonaire, Sint Eustatius and Saba
BR Brazil
BS Bahamas
BT Bhutan
BV Bouvet Island
BW Botswana
BY Belarus
BZ Belize
CA Canada
CC Cocos (Keeling) Islands
CD Congo, Democratic Republic of the
CF Central African Republic
CG Congo
CH Switzerland
CI Côte d'Ivoire
CK Cook Islands
CL Chile
CM Cameroon
CN China
CO Colombia
CR Costa Rica
CU Cuba
CV Cabo Verde
CW Curaçao
CX Christmas Island
CY Cyprus
CZ Czechia
DE Germany
DJ Djibouti
DK Denmark
DM Dominica
DO Dominican Republic
DZ Algeria
EC Ecuador
EE Estonia
EG Egypt
EH Western Sahara
ER Eritrea
ES Spain
ET Ethiopia
FI Finland
FJ Fiji
FK Falkland Islands (Malvinas)
FM Micronesia
FO Faroe Islands
FR France
GA Gabon
GB United Kingdom
GD Grenada
GE Georgia
GF French Guiana
GG Guernsey
GH Ghana
GI Gibraltar
GL Greenland
GM Gambia
GN Guinea
GP Guadeloupe
GQ Equatorial Guinea
GR Greece
GS South Georgia and the South Sandwich Islands
GT Guatemala
GU Guam
GW Guinea-Bissau
GY Guyana
HK Hong Kong
HM Heard Island and McDonald Islands
HN Honduras
HR Croatia
HT Haiti
HU Hungary
ID Indonesia
IE Ireland
IL Israel
IM Isle of Man
IN India
IO British Indian Ocean Territory
IQ Iraq
IR Iran
IS Iceland
IT Italy
JE Jersey
JM Jamaica
JO Jordan
JP Japan
KE Kenya
KG Kyrgyzstan
KH Cambodia
KI Kiribati
KM Comoros
KN Saint Kitts and Nevis
KP Korea, Democratic People's Republic of
KR Korea, Republic of
KW Kuwait
KY Cayman Islands
KZ Kazakhstan
LA Lao People's Democratic Republic
LB Lebanon
LC Saint Lucia
LI Liechtenstein
LK Sri Lanka
LR Liberia
LS Lesotho
LT Lithuania
LU Luxembourg
LV Latvia
LY Libya
MA Morocco
MC Monaco
MD Moldova
ME Montenegro
MF Saint Martin (French part)
MG Madagascar
MH Marshall Islands
MK North Macedonia
ML Mali
MM Myanmar
MN Mongolia
MO Macao
MP Northern Mariana Islands
MQ Martinique
MR Mauritania
MS Montserrat
MT Malta
MU Mauritius
MV Maldives
MW Malawi
MX Mexico
MY Malaysia
MZ Mozambique
NA Namibia
NC New Caledonia
NE Niger
NF Norfolk Island
NG Nigeria
NI Nicaragua
NL Netherlands
NO Norway
NP Nepal
NR Nauru
NU Niue
NZ New Zealand
OM Oman
PA Panama
PE Peru
PF French Polynesia
PG Papua New Guinea
PH Philippines
PK Pakistan
PL Poland
PM Saint Pierre and Miquelon
PN Pitcairn
PR Puerto Rico
PS Palestine, State of
PT Portugal
PW Palau
PY Paraguay
QA Qatar
RE Réunion
RO Romania
RS Serbia
RU Russian Federation
RW Rwanda
SA Saudi Arabia
SB Solomon Islands
SC Seychelles
SD Sudan
SE Sweden
SG Singapore
SH Saint Helena, Ascension and Tristan da Cunha
SI Slovenia
SJ Svalbard and Jan Mayen
SK Slovakia
SL Sierra Leone
SM San Marino
SN Senegal
SO Somalia
SR Suriname
SS South Sudan
ST Sao Tome and Principe
SV El Salvador
SX Sint Maarten (Dutch part)
SY Syrian Arab Republic
SZ Eswatini
TC Turks and Caicos Islands
TD Chad
TF French Southern Territories
TG Togo
TH Thailand
TJ Tajikistan
TK Tokelau
TL Timor-Leste
TM Turkmenistan
TN Tunisia
TO Tonga
TR Türkiye
TT Trinidad and Tobago
TV Tuvalu
TW Taiwan, Province of China
TZ Tanzania, United Republic of
UA Ukraine
UG Uganda
UM United States Minor Outlying Islands
US United States of America
UY Uruguay
UZ Uzbekistan
VA Holy See
VC Saint Vincent and the Grenadines
VE Venezuela
VG Virgin Islands (British)
VI Virgin Islands (U.S.)
VN Viet Nam
VU Vanuatu
WF Wallis and Futuna
WS Samoa
YE Yemen
YT Mayotte
ZA South Africa
ZM Zambia
ZW Zimbabwe
"""
)

# ISO 4217 Table A.1, current currency and funds codes: the funds (BOV, CHE ...) and the X codes
# (XAU gold, XTS testing, XXX no currency ...) are in it too, so they are here.
CURRENCIES: Mapping[str, str] = _table(
    """
AED UAE Dirham
AFN Afghani
ALL Lek
AMD Armenian Dram
AOA Kwanza
ARS Argentine Peso
AUD Australian Dollar
AWG Aruban Florin
AZN Azerbaijan Manat
BAM Convertible Mark
BBD Barbados Dollar
BDT Taka
BHD Bahraini Dinar
BIF Burundi Franc
BMD Bermudian Dollar
BND Brunei Dollar
BOB Boliviano
BOV Mvdol
BRL Brazilian Real
BSD Bahamian Dollar
BTN Ngultrum
BWP Pula
BYN Belarusian Ruble
BZD Belize Dollar
CAD Canadian Dollar
CDF Congolese Franc
CHE WIR Euro
CHF Swiss Franc
CHW WIR Franc
CLF Unidad de Fomento
CLP Chilean Peso
CNY Yuan Renminbi
COP Colombian Peso
COU Unidad de Valor Real
CRC Costa Rican Colon
CUP Cuban Peso
CVE Cabo Verde Escudo
CZK Czech Koruna
DJF Djibouti Franc
DKK Danish Krone
DOP Dominican Peso
DZD Algerian Dinar
EGP Egyptian Pound
ERN Nakfa
ETB Ethiopian Birr
EUR Euro
FJD Fiji Dollar
FKP Falkland Islands Pound
GBP Pound Sterling
GEL Lari
GHS Ghana Cedi
GIP Gibraltar Pound
GMD Dalasi
GNF Guinean Franc
GTQ Quetzal
GYD Guyana Dollar
HKD Hong Kong Dollar
HNL Lempira
HTG Gourde
HUF Forint
IDR Rupiah
ILS New Israeli Sheqel
INR Indian Rupee
IQD Iraqi Dinar
IRR Iranian Rial
ISK Iceland Krona
JMD Jamaican Dollar
JOD Jordanian Dinar
JPY Yen
KES Kenyan Shilling
KGS Som
KHR Riel
KMF Comorian Franc
KPW North Korean Won
KRW Won
KWD Kuwaiti Dinar
KYD Cayman Islands Dollar
KZT Tenge
LAK Lao Kip
LBP Lebanese Pound
LKR Sri Lanka Rupee
LRD Liberian Dollar
LSL Loti
LYD Libyan Dinar
MAD Moroccan Dirham
MDL Moldovan Leu
MGA Malagasy Ariary
MKD Denar
MMK Kyat
MNT Tugrik
MOP Pataca
MRU Ouguiya
MUR Mauritius Rupee
MVR Rufiyaa
MWK Malawi Kwacha
MXN Mexican Peso
MXV Mexican Unidad de Inversion (UDI)
MYR Malaysian Ringgit
MZN Mozambique Metical
NAD Namibia Dollar
NGN Naira
NIO Cordoba Oro
NOK Norwegian Krone
NPR Nepalese Rupee
NZD New Zealand Dollar
OMR Rial Omani
PAB Balboa
PEN Sol
PGK Kina
PHP Philippine Peso
PKR Pakistan Rupee
PLN Zloty
PYG Guarani
QAR Qatari Rial
RON Romanian Leu
RSD Serbian Dinar
RUB Russian Ruble
RWF Rwanda Franc
SAR Saudi Riyal
SBD Solomon Islands Dollar
SCR Seychelles Rupee
SDG Sudanese Pound
SEK Swedish Krona
SGD Singapore Dollar
SHP Saint Helena Pound
SLE Leone
SOS Somali Shilling
SRD Surinam Dollar
SSP South Sudanese Pound
STN Dobra
SVC El Salvador Colon
SYP Syrian Pound
SZL Lilangeni
THB Baht
TJS Somoni
TMT Turkmenistan New Manat
TND Tunisian Dinar
TOP Pa'anga
TRY Turkish Lira
TTD Trinidad and Tobago Dollar
TWD New Taiwan Dollar
TZS Tanzanian Shilling
UAH Hryvnia
UGX Uganda Shilling
USD US Dollar
USN US Dollar (Next day)
UYI Uruguay Peso en Unidades Indexadas (UI)
UYU Peso Uruguayo
UYW Unidad Previsional
UZS Uzbekistan Sum
VED Bolivar Soberano (digital)
VES Bolivar Soberano
VND Dong
VUV Vatu
WST Tala
XAD Arab Accounting Dinar
XAF CFA Franc BEAC
XAG Silver
XAU Gold
XBA Bond Markets Unit European Composite Unit (EURCO)
XBB Bond Markets Unit European Monetary Unit (E.M.U.-6)
XBC Bond Markets Unit European Unit of Account 9 (E.U.A.-9)
XBD Bond Markets Unit European Unit of Account 17 (E.U.A.-17)
XCD East Caribbean Dollar
XCG Caribbean Guilder
XDR SDR (Special Drawing Right)
XOF CFA Franc BCEAO
XPD Palladium
XPF CFP Franc
XPT Platinum
XSU Sucre
XTS Codes specifically reserved for testing purposes
XUA ADB Unit of Account
XXX The codes assigned for transactions where no currency is involved
YER Yemeni Rial
ZAR Rand
ZMW Zambian Kwacha
ZWG Zimbabwe Gold
"""
)


@dataclass(frozen=True, slots=True, eq=False)
class CodeList:
    """An external code list as the checks use it: its codes, and how a message names one
    (`"CLM05-01 ... is '00', not a CMS place of service code"`)."""

    what: str
    codes: frozenset[str]


# By the name the maps give each list (`{external:states}`).
LISTS: Mapping[str, CodeList] = {
    "pos": CodeList("a CMS place of service code", frozenset(PLACES_OF_SERVICE)),
    "states": CodeList("a US state or Canadian province code", frozenset(STATES)),
    "country": CodeList("an ISO 3166-1 alpha-2 country code", frozenset(COUNTRIES)),
    "currency": CodeList("an ISO 4217 currency code", frozenset(CURRENCIES)),
}

# The state code and the country code of one place: N4 (N402, N404) and the auto accident's
# (CLM11-04, CLM11-05). The guides take a state code only in the US and Canada (N402: "required when
# the address is in the United States of America, including its territories, or Canada"), and the
# country code only outside (N404): a state of another country is no code of `states`.
STATE_COUNTRY: Mapping[str, str] = {"N402": "N404", "CLM11-04": "CLM11-05"}
_US_CANADA = frozenset({"", "US", "CA"})


# What a check says of a state code (N402) on an address in another country: the guides' N402 note,
# "Required when the address is in the United States of America, including its territories, or
# Canada. If not required by this implementation guide, do not send"; the subdivision of another
# country goes in N407 (N4 E0207: N402 or N407, not both).
STATE_ABROAD = (
    "is only for an address in the US or Canada; {country} names another country, whose "
    "subdivision goes in N407"
)


# The elements of a place the guides require when it is in the US or Canada (`takes_state_code` of its
# country, which `STATE_COUNTRY` gives for the first, its state code): in all three 837 guides and the 835, N402 "Required when the address is in
# the United States of America, including its territories, or Canada", and N403 likewise "... or
# when a postal code exists for the country in N404" (which no list here tells, so only the US and
# Canada are held to it). A payer rejects a US address without its state or ZIP code. Sources: the
# maps give both usage=S without the note (maps/*.full.txt, every N4); the N402 note as quoted in
# public N4 models of the TR3s (a "SITUATIONAL RULE" comment on N402); the N403 note is the guides'
# wording as x12 users cite it, not found in a public text searched here.
US_CANADA_REQUIRED: Mapping[str, tuple[str, ...]] = {"N4": ("N402", "N403")}
# What a check adds to "... requires it" of one of them.
US_CANADA_REQUIRES = "for an address in the US or Canada"


def us_canada_required(seg_id: str) -> tuple[str, tuple[str, ...]]:
    """The country element of segment `seg_id` (that of its state code) and the elements it requires
    of a place in the US or Canada; ("", ()) for a segment without such a rule."""
    needed = US_CANADA_REQUIRED.get(seg_id, ())
    return (STATE_COUNTRY[needed[0]], needed) if needed else ("", ())


def takes_state_code(country: str | None) -> bool:
    """Whether the state of a place in `country` (None: no country given, the US) is a code of
    `states`."""
    return country is None or country in _US_CANADA


__all__ = [
    "COUNTRIES",
    "CURRENCIES",
    "LISTS",
    "PLACES_OF_SERVICE",
    "POS_EFFECTIVE",
    "STATES",
    "STATE_ABROAD",
    "STATE_COUNTRY",
    "US_CANADA_REQUIRED",
    "US_CANADA_REQUIRES",
    "CodeList",
    "takes_state_code",
    "us_canada_required",
]


# The form of the procedure codes of the two code sets claim lines and 835 service lines use
# (their lists are not shipped): HCPCS codes, CPT (level I) and level II, are five letters or
# digits (99213, 0001F, J1100: CMS); CDT codes D and four digits (D2391: ADA). A modifier is no
# part of the code: `99213-25` is refused by payers, and its 25 belongs in the composite's -03.
HCPCS_FORM = (re.compile(r"[A-Z0-9]{5}"), "an HCPCS or CPT code (five letters or digits)")
CDT_FORM = (re.compile(r"D[0-9]{4}"), "a CDT code (D and four digits)")
# By the qualifier of a procedure composite (SV101-01, SV202-01, SV301-01, SVC01-01, SVC06-01).
PROCEDURE_FORMS: Mapping[str, tuple[re.Pattern[str], str]] = {"HC": HCPCS_FORM, "AD": CDT_FORM}

# The form of a provider taxonomy code (PRV03 under PXC: the NUCC Health Care Provider Taxonomy;
# x12-notes §10): nine letters or digits and an X (207Q00000X, 261QM0801X).
TAXONOMY_FORM = (
    re.compile(r"[0-9A-Z]{9}X"),
    "a provider taxonomy code (nine letters or digits, then X: 207Q00000X)",
)

# The form of the ICD-10 codes of an 837's HI composites, by their qualifier (the lists are not
# shipped; x12-notes §10): ICD-10-CM diagnoses (ABK principal, ABF other, ABJ admitting, APR
# reason for visit, ABN external cause) a letter, a digit, then a letter or digit and up to four
# more (E119, C4A0, S52521A: CDC/NCHS); ICD-10-PCS procedures (BBR principal, BBQ other) seven
# letters or digits, with no I or O (CMS: not used, as too like 1 and 0). X12 sends them without
# the decimal point (said apart).
ICD10_CM_FORM = (
    re.compile(r"[A-Z][0-9][A-Z0-9]{1,5}"),
    "an ICD-10-CM code (a letter, a digit, then 1 to 5 letters or digits: E119)",
)
ICD10_PCS_FORM = (
    re.compile(r"[0-9A-HJ-NP-Z]{7}"),
    "an ICD-10-PCS code (7 letters or digits, no I or O: 02703ZZ)",
)
# A diagnosis-related group (DR, the 837I's) is three or four digits (470; Stedi's claim edit
# "invalid diagnosis-related group code format", which X12 RFI 2321's four digits bound too).
DRG_FORM = (re.compile(r"[0-9]{3,4}"), "a diagnosis-related group (three or four digits: 470)")
HEALTH_CODE_FORMS: Mapping[str, tuple[re.Pattern[str], str]] = {
    **dict.fromkeys(("ABK", "ABF", "ABJ", "APR", "ABN"), ICD10_CM_FORM),
    **dict.fromkeys(("BBR", "BBQ"), ICD10_PCS_FORM),
    "DR": DRG_FORM,
}
