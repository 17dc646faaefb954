"""The JSON Schemas `edi schema claim` and `edi schema remittance` print describe every field: what it
means and where it lives in X12 (from the marker the mapping uses). Spot checks are against the maps
(../shared/maps/*.full.txt): CLP03 "Total Claim Charge Amount", CLM02 "Total Claim Charge Amount",
SV101-02 "Procedure Code", SV202 "Service Line Revenue Code", REF*6R "Line Item Control Number"."""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import edi
from edi.models.describe import model_text
from tests.test_cli import run

MAPS = Path(__file__).resolve().parents[2] / "shared" / "maps"  # beside the project checkout
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GUIDES = {
    "remittance": ["835.5010.X221.A1.full.txt"],
    "claim": [
        "837.5010.X222.A1.full.txt",
        "837Q3.I.5010.X223.A1.full.txt",
        "837D.5010.X224.A2.full.txt",
    ],
}
# The 837D map's own CAVEAT (its first lines): "2400 DTP qualifiers are 472/441/452/446/196/198 (not
# all 472)"; it lists them all as 472.
MAP_ERRATA = {"DTP*441", "DTP*446", "DTP*196", "DTP*198"}
# An element or component (CLP03, SV101-02) and a segment with its qualifier (REF*6R).
_ELEMENT = re.compile(r"\b([A-Z][A-Z0-9]{1,2}?\d{2}(?:-\d{2})?)\b")
_QUALIFIED = re.compile(r"\b([A-Z][A-Z0-9]{1,2})\*([A-Z0-9]{1,3})\b")


def schema(name: str) -> dict[str, Any]:
    code, out, _ = run("schema", name)
    assert code == 0
    return json.loads(out)


def properties(sch: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for model, body in [(sch["title"], sch), *sch.get("$defs", {}).items()]:
        for name, prop in body.get("properties", {}).items():
            yield model, name, prop


def described(sch: dict[str, Any]) -> dict[str, str]:
    return {f"{m}.{n}": p.get("description", "") for m, n, p in properties(sch)}


@pytest.mark.parametrize("name", ["claim", "remittance"])
def test_every_property_says_what_it_means(name: str) -> None:
    texts = described(schema(name))
    assert len(texts) > 200
    bare = [k for k, text in texts.items() if not text.strip()]
    assert bare == []
    # A meaning, not only a place: some words before the "X12:" part.
    placed_only = [k for k, text in texts.items() if not text.split("X12:")[0].strip()]
    assert placed_only == []


@pytest.mark.parametrize("name", ["claim", "remittance"])
def test_models_are_described_without_doctests(name: str) -> None:
    text = json.dumps(schema(name))
    for word in ("doctest", ">>>", "module docstring", "Example:"):
        assert word not in text
    sch = schema(name)
    assert all(d.get("description") for d in sch["$defs"].values())


def test_remittance_spot_checks() -> None:
    texts = described(schema("remittance"))
    assert texts["ClaimPayment.charge"] == "Total claim charge amount. X12: CLP03, in loop 2100."
    assert "REF02 of REF*6R" in texts["ServicePayment.line_control_number"]
    assert "loop 2110" in texts["ServicePayment.line_control_number"]
    assert "SVC01-02" in texts["ServicePayment.code"]
    assert texts["Adjustment.reason"].startswith("Claim adjustment reason code (CARC). X12: CAS02")
    assert "CAS05, … CAS17" in texts["Adjustment.reason"]
    assert "PLB03-01" in texts["ProviderAdjustment.reason"]
    assert "NM1*QC segment, in loop 2100" in texts["ClaimPayment.patient"]
    assert "NM103" in texts["Party.name"]
    assert "BPR02" in texts["Payment.amount"] and "provider payment" in texts["Payment.amount"]
    assert "ISA13" in texts["InterchangeHeader.control_number"]


def test_claim_spot_checks() -> None:
    texts = described(schema("claim"))
    assert texts["Claim.total_charge"] == "Total claim charge amount. X12: CLM02, in loop 2300."
    assert "Procedure code. X12: SV101-02" in texts["ProfessionalService.code"]
    assert "SV202-02" in texts["InstitutionalService.code"]
    assert "SV201" in texts["InstitutionalService.revenue_code"]
    assert "SV301-02" in texts["DentalService.code"]
    assert "DTP03 of DTP*431 (its format qualifier in DTP02)" in texts["Claim.onset_date"]
    assert "REF02 of REF*EI or REF*SY" in texts["BillingProvider.tax_id"]
    assert "HI01-02, HI02-02, … HI12-02" in texts["HealthCode.code"]
    assert "loop 2310 or 2330 or 2420" in texts["Provider.role"]
    assert texts["Claim.lines"].startswith("The service lines (2400)")


def test_merged_models_place_each_field_in_its_own_loop() -> None:
    """BillingProvider, Subscriber and Patient each read an HL loop with its name loop. The maps put
    PRV/CUR in 2000A, SBR/PAT in 2000B, PAT in 2000C, and NM1, N3, N4, DMG, REF, PER in 2010AA,
    2010BA, 2010CA (837P lines 82-161, 222-304, 1907-1979; the same in the 837I and 837D)."""
    texts = described(schema("claim"))
    expected = {
        "BillingProvider.taxonomy": "PRV03 of PRV*BI, in loop 2000A",
        "BillingProvider.currency": "CUR02 of CUR*85, in loop 2000A",
        "BillingProvider.npi": "NM109 of NM1*85, in loop 2010AA",
        "BillingProvider.postal_code": "N403, in loop 2010AA",
        "BillingProvider.tax_id": "REF02 of REF*EI or REF*SY, in loop 2010AA",
        "BillingProvider.pay_to_address": "loop 2010AB",
        "Subscriber.relationship": "SBR02, in loop 2000B",
        "Subscriber.weight": "PAT08, in loop 2000B",
        "Subscriber.member_id": "NM109 of NM1*IL, in loop 2010BA",
        "Subscriber.birth_date": "DMG02 (its format qualifier in DMG01), in loop 2010BA",
        "Patient.relationship": "PAT01, in loop 2000C",
        "Patient.last_name": "NM103 of NM1*QC, in loop 2010CA",
        "Patient.gender": "DMG03, in loop 2010CA",
        "Claim.subscriber": "loop 2000B with 2010BA",
        "Patient.contacts": "PER segments, in loop 2010CA",  # a list: segments
    }
    assert {k: texts[k].split("X12: ", 1)[1].rstrip(".") for k in expected} == expected


def test_field_info_keeps_the_meaning() -> None:
    # The docstring is the field's description for Python users too; the X12 place is the schema's.
    assert edi.ClaimPayment.model_fields["charge"].description == "Total claim charge amount."


def test_model_text_drops_example_blocks() -> None:
    doc = """Head line.

    Example:
        >>> 1 + 1
        2

    Tail line.
    """
    assert model_text(doc) == "Head line.\n\nTail line."


def _guide_places(files: list[str]) -> tuple[set[str], set[str]]:
    """Every element position the maps list (NOT USED ones too) and every SEG*qualifier they name."""
    elements: set[str] = set()
    qualified: set[str] = set()
    seg = ""
    for file in files:
        for line in (MAPS / file).read_text().splitlines():
            words = line.split()
            if not words:
                continue
            if words[0] == "SEG":
                seg = words[1]
                continue
            if _ELEMENT.fullmatch(words[0]):
                elements.add(words[0])
                codes = re.search(r"\[([^\]]*)\]\s*$", line)
                if codes and words[0] == f"{seg}01":
                    qualified.update(f"{seg}*{c}" for c in codes.group(1).split(","))
    return elements, qualified | MAP_ERRATA


@pytest.mark.skipif(not MAPS.is_dir(), reason="the guide maps (../shared/maps) are not here")
@pytest.mark.parametrize("name", ["claim", "remittance"])
def test_every_place_quoted_is_in_the_guide(name: str) -> None:
    elements, qualified = _guide_places(GUIDES[name])
    unknown = set()
    for key, text in described(schema(name)).items():
        place = text.split("X12:", 1)[1] if "X12:" in text else ""
        unknown |= {(key, e) for e in _ELEMENT.findall(place) if e not in elements}
        unknown |= {(key, f"{s}*{q}") for s, q in _QUALIFIED.findall(place)} - {
            (key, q) for q in qualified
        }
    assert sorted(unknown) == []


def test_help_shows_a_plain_signature() -> None:
    """`help(edi.ClaimPayment)` opens with the keyword arguments and their plain types, not every
    validator and serializer of the Annotated types (over 5,000 characters before)."""
    sig = str(inspect.signature(edi.ClaimPayment))
    assert sig.startswith("(*, patient_control_number: str, status: str, charge: Decimal,")
    assert "patient_responsibility: Decimal | None = None" in sig
    assert "adjustments: list[Adjustment] = []" in sig
    for noise in ("Annotated", "BeforeValidator", "PlainSerializer", "Elem("):
        assert noise not in sig
    assert "lines: list[ServiceLine]," in str(inspect.signature(edi.Claim))  # required: no default


def test_the_plb_of_a_provider_adjustment_is_described() -> None:
    text = described(schema("remittance"))["ProviderAdjustment.segment"]
    assert "None" in text and text.endswith(
        "X12: the number of its PLB segment in the loop that holds it, from 1 in file order."
    )


@pytest.mark.parametrize("name", ["remittance", "claim"])  # 835 claims and lines, 837 2320 and 2430
def test_the_cas_of_an_adjustment_is_described(name: str) -> None:
    text = described(schema(name))["Adjustment.segment"]
    assert text.startswith("Which CAS of its loop holds the triplet, counted from 1")
    assert "None: packed" in text and text.endswith(
        "X12: the number of its CAS segment in the loop that holds it, from 1 in file order."
    )


_AMOUNT_TEXTS = [
    "12.50",
    "-0.5",
    ".5",
    "5.",
    "+5",
    "1E2",
    "1e-3",
    "0",
    " 95",
    "95 ",
    "\t5",
    "5\r\n",  # taken
    "\u00a0650",  # a no-break space, which `\s` takes in one regex engine and not in another
    "650\u2003",
    "\ufeff650",
    "\x1c650",  # an ASCII separator Python strips, ECMA's `\s` does not
    "",
    " ",
    "abc",
    "1_00",
    "12,50",
    "NaN",
    "Infinity",
    "0x10",
    "١٢",
    "1.2.3",
    "--1",
    " 9 5",  # refused
]


@pytest.mark.parametrize("text", _AMOUNT_TEXTS)
def test_the_schema_of_an_amount_takes_the_text_loading_takes(text: str) -> None:
    """The schema gave an amount as a number or any string: `"1_00"`, `"NaN"`, `""` passed it and
    loading refused them. Its string now has the pattern of what loading takes."""
    sch = schema("claim")
    (string,) = [s for s in sch["properties"]["total_charge"]["anyOf"] if s["type"] == "string"]
    claim = json.loads((FIXTURES / "837p/drug.json").read_text())[0]
    claim["total_charge"] = text
    try:
        edi.load_claims(json.dumps([claim]))
        loads = True
    except edi.ClaimValidationError as refused:
        loads = not any("total_charge" in p for p in refused.problems)
    assert bool(re.search(string["pattern"], text)) == loads


@pytest.mark.parametrize("text", ["", "   ", " A", "PCN1"])
def test_the_schema_of_a_required_text_refuses_a_blank_one(text: str) -> None:
    prop = schema("claim")["properties"]["patient_control_number"]
    claim = json.loads((FIXTURES / "837p/drug.json").read_text())[0]
    claim["patient_control_number"] = text
    try:
        edi.load_claims(json.dumps([claim]))
        loads = True
    except edi.ClaimValidationError:
        loads = False
    assert bool(re.search(prop["pattern"], text)) == loads


def test_a_period_is_an_object_or_the_text_of_one_day() -> None:
    """`Period` takes a date's text for the period of that one day, as its description says; the
    schema refused `"service_date": "2024-03-01"`, which `load_claims` takes (the API tester)."""
    period = schema("claim")["$defs"]["Period"]
    assert period["description"].startswith("A date or a date range")
    obj, one_day = period["anyOf"]
    assert obj["type"] == "object" and obj["required"] == ["start"]
    assert (one_day["type"], one_day["format"]) == ("string", "date")
    loaded = edi.Period.model_validate_json('"2024-03-01"')
    assert (loaded.start.isoformat(), loaded.end) == ("2024-03-01", None)
