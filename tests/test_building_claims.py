"""Claims a billing team builds in code from its own objects (user story 1): the README's example
runs, and each fix of the trial of that workflow has its test here."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic
import pytest
from pydantic import BaseModel

import edi
from edi.models import claim as claim_models
from edi.models import claim_cob, claim_lines, claim_parties, claim_segments
from edi.models.base import Elem, split_ref
from edi.transactions.claim_checks import check_claim

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


def one(case: str, n: int = 0) -> edi.Claim:
    return edi.load_claims(FIXTURES / f"{case}.json")[n]


def readme_example() -> str:
    """The code of README.md's "Building claims in code": the first Python block after it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("**Building claims in code.**")
    found = re.search(r"```python\n(.*?)```", text[start:], re.DOTALL)
    assert found is not None, "README.md: no Python block after 'Building claims in code'"
    return found.group(1)


def test_the_readme_example_builds_a_claim_that_round_trips() -> None:
    """The docs cannot go stale: the example runs as it is printed, and its claim (two lines, a
    dependant) is written, passes the checks and reads back equal."""
    names: dict[str, Any] = {}
    exec(compile(readme_example(), "README.md", "exec"), names)  # noqa: S102 - our own README
    claim = names["claim"]
    assert isinstance(claim, edi.Claim) and claim.patient is not None and len(claim.lines) == 2
    assert edi.check_claims([claim]) == []
    (back,) = edi.read_claims(edi.write_837([claim]))
    assert back.model_copy(update={"envelope": None}) == claim
    # What the example leaves out is filled in as the fixture written by hand from the guide has it.
    text = names["text"]
    assert "NM1*40*2*EXAMPLE HEALTH PLAN*****46*EXAMPLEPAYER~" in text  # 1000B NM102, NM108
    assert "NM1*41*2*EXAMPLE CLINIC*****46*EXAMPLECLINIC~" in text  # 1000A NM108
    assert "SV1*HC:99213:25*95.00*UN*1***1:2~" in text and "DTP*472*D8*20240307~" in text


# -- errors of models made in code ---------------------------------------------------------------------


def test_a_field_refused_in_code_is_said_in_one_line_without_its_value() -> None:
    """`edi.Patient(birth_date="03/05/2024")` raised pydantic's four lines: the model, the field,
    `input_value='03/05/2024'` (a birth date: PHI in a log) and a URL; a missing `header` printed
    the whole claim given, names included."""
    with pytest.raises(edi.ModelValidationError) as raised:
        edi.Patient(relationship="19", last_name="TESTPATIENT", birth_date="03/05/2024")
    assert str(raised.value) == (
        "Patient: birth_date: Input should be a valid date or datetime, invalid character in year "
        "(a date is a datetime.date, or text YYYY-MM-DD such as 2024-03-05)"
    )
    # Still pydantic's error, as `except pydantic.ValidationError` expects, and an edi one.
    assert isinstance(raised.value, pydantic.ValidationError)
    assert isinstance(raised.value, edi.EdiError)
    assert [e["loc"] for e in raised.value.errors()] == [("birth_date",)]

    claim = one("837p/dependent", 1)
    fields = {name: getattr(claim, name) for name in type(claim).model_fields}
    del fields["header"]
    fields["lines"] = [{"professional": {"qualifier": "HC", "code": "99213"}}]
    with pytest.raises(edi.ModelValidationError) as raised:
        edi.Claim(**fields)
    message = str(raised.value)
    assert message.splitlines() == [
        "2 problems in Claim:",
        "  lines[0].professional.charge: Field required",
        "  header: Field required",
    ]
    assert "TESTSUBSCRIBER" not in message and "CHARLIE" not in message


def test_a_field_refused_when_assigned_is_said_as_when_made() -> None:
    """`patient.birth_date = "03/05/2024"` raised pydantic's own error (four lines, a URL), which
    `except edi.ModelValidationError` and `except edi.EdiError` let through."""
    claim = one("837p/dependent", 1)
    assert claim.patient is not None
    with pytest.raises(edi.ModelValidationError) as raised:
        claim.patient.birth_date = "03/05/2024"  # type: ignore[assignment]
    assert str(raised.value) == (
        "Patient: birth_date: Input should be a valid date or datetime, invalid character in year "
        "(a date is a datetime.date, or text YYYY-MM-DD such as 2024-03-05)"
    )
    assert [e["loc"] for e in raised.value.errors()] == [("birth_date",)]
    with pytest.raises(edi.ModelValidationError, match=r"^Period: start: Instance is frozen"):
        claim.lines[0].service_date.start = date(2024, 3, 8)  # type: ignore[union-attr]


def test_model_validate_says_a_field_refused_as_the_model_made_does() -> None:
    """`Claim.model_validate(data)` (and `_json`, `_strings`, of every edi model) raised pydantic's
    own error, which `except edi.ModelValidationError` let through, with the birth date given."""
    data = one("837p/subscriber_is_patient").model_dump(mode="json")
    data["subscriber"]["birth_date"] = "1980-13-01"
    said = (
        "Claim: subscriber.birth_date: Input should be a valid date or datetime, month value is "
        "outside expected range of 1-12 (a date is a datetime.date, or text YYYY-MM-DD such as "
        "2024-03-05)"
    )
    calls: list[Any] = [
        lambda: edi.Claim(**data),
        lambda: edi.Claim.model_validate(data),
        lambda: edi.Claim.model_validate_json(json.dumps(data)),
        lambda: edi.Claim.model_validate_strings(data),
    ]
    for call in calls:
        with pytest.raises(edi.ModelValidationError) as raised:
            call()
        assert isinstance(raised.value, pydantic.ValidationError) and str(raised.value) == said
        assert [e["loc"] for e in raised.value.errors()] == [("subscriber", "birth_date")]
        assert "1980-13-01" not in str(raised.value)
    for model in (edi.Subscriber, edi.Remittance, edi.Coverage, edi.Period):
        for call in (model.model_validate, model.model_validate_strings):
            with pytest.raises(edi.ModelValidationError, match=rf"\b{model.__name__}:"):
                call({"start": "x", "last_name": "X", "birth_date": "x", "payment": {}})
        with pytest.raises(edi.ModelValidationError, match=rf"\b{model.__name__}:"):
            model.model_validate_json("[]")
    # What validates is the model, as ever.
    assert edi.Claim.model_validate(one("837p/subscriber_is_patient").model_dump()) == one(
        "837p/subscriber_is_patient"
    )


def test_what_is_no_claim_is_refused_by_the_writer_and_the_checks_with_a_type_error() -> None:
    """`write_837([claim.model_dump()])`, `write_837(claim)` or remittances given by mistake raised
    an AttributeError from deep in the writer (`'dict' object has no attribute
    'patient_control_number'`)."""
    claim = one("837p/dependent", 1)
    remittance = next(iter(edi.read_remittances(FIXTURES / "835/denied.x12")))
    for given, said in [
        ([claim, claim.model_dump()], "claim 2 is a dict, not an edi.Claim (edi.read_claims "),
        ([remittance], "claim 1 is a Remittance, not an edi.Claim"),
        ([None], "claim 1 is a NoneType, not an edi.Claim"),
        (claim, "{} takes a list of Claim models, not one Claim: {}([claim])"),
        ("claims.837", "{} takes a list of Claim models, not a str (edi.read_claims reads X12"),
    ]:
        for call in (edi.write_837, edi.check_claims):
            with pytest.raises(TypeError) as raised:
                call(given)  # type: ignore[arg-type]
            expected = said.format(call.__name__, call.__name__)
            assert str(raised.value).startswith(expected), str(raised.value)


# -- computed defaults ---------------------------------------------------------------------------------


def test_a_date_is_a_period_of_one_day() -> None:
    """`service_date=date(2024, 3, 7)` was refused ("Input should be a valid dictionary or instance
    of Period"): a service date is one day far more often than a range."""
    service = edi.ProfessionalService(qualifier="HC", code="99213", charge=Decimal(95))
    line = edi.ServiceLine(professional=service, service_date=date(2024, 3, 7))
    assert line.service_date == edi.Period(start=date(2024, 3, 7))
    occurrence = edi.HealthCode(qualifier="BH", code="11", date="2024-02-01")
    assert occurrence.date == edi.Period(start=date(2024, 2, 1)) and occurrence.date_format == "D8"
    with pytest.raises(edi.ModelValidationError, match=r"^ServiceLine: service_date\.start: "):
        edi.ServiceLine(professional=service, service_date="03/07/2024")


def test_the_submitter_and_receiver_qualifiers_the_guides_fix_are_given() -> None:
    """1000B NM102 is 2 and NM108 46 in all three guides, 1000A NM108 46 (maps): a header built
    without them failed the checks three times ("receiver (1000B): no entity type ...")."""
    receiver = edi.Receiver(name="EXAMPLE HEALTH PLAN", id="EXAMPLEPAYER")
    submitter = edi.Submitter(entity_type="2", name="EXAMPLE CLINIC", id="EXAMPLECLINIC")
    assert (receiver.entity_type, receiver.id_qualifier) == ("2", "46")
    assert submitter.id_qualifier == "46"
    # Without an id there is no qualifier to give; and NM102 of a submitter, 1 or 2, is not guessed
    # from an organization's name or a last name alone.
    assert edi.Receiver(name="EXAMPLE HEALTH PLAN").id_qualifier is None
    assert edi.Submitter(name="EXAMPLE CLINIC", id="EXAMPLECLINIC").entity_type is None


def test_a_name_with_a_first_or_middle_name_or_a_suffix_is_a_persons() -> None:
    """X12 RFI 2155: NM102 1 (person) "would be present when a first, middle or name suffix is
    provided, since a non-person entity (code 2) doesn't have" one. A billing provider named with a
    first name was given NM102 2, and a submitter or provider with one was refused for no NM102
    (the API tester). An organization named so is refused."""
    assert edi.Submitter(name="DOE", first_name="JANE").entity_type == "1"
    assert edi.Submitter(name="DOE", middle_name="Q").entity_type == "1"
    assert edi.Submitter(name="DOE", first_name="JANE", entity_type="2").entity_type == "2"
    provider = edi.Provider(role="82", name="DOE", first_name="JANE", id="1234567893")
    assert provider.entity_type == "1"
    assert edi.Provider(role="82", name="DOE", suffix="JR").entity_type == "1"
    assert edi.Provider(role="82", name="GROUP").entity_type is None  # a person or a group
    assert edi.Provider(role="77", name="CLINIC").entity_type == "2"  # a facility: always
    claim = one("837p/subscriber_is_patient")
    billing = claim.billing_provider.model_dump(exclude={"entity_type"}, exclude_unset=True)
    assert edi.BillingProvider(**billing).entity_type == "2"
    assert edi.BillingProvider(**billing, first_name="JOHN").entity_type == "1"
    assert check_claim(claim) == []
    claim.billing_provider.first_name = "JOHN"  # NM102 2 as it was
    claim.header.submitter.middle_name = "Q"
    claim.providers = [provider.model_copy(update={"entity_type": "2"})]
    said = [p for p in check_claim(claim) if "organization" in p]
    assert said == [
        f"{where}: {ref} ({name}) is given, but NM102 (entity_type) is 2, an organization, which "
        f"has no first or middle name or suffix: set entity_type to 1 for a person, or leave "
        f"{name} out"
        for where, ref, name in (
            ("submitter (1000A)", "NM105", "middle_name"),
            ("billing provider (2010AA)", "NM104", "first_name"),
            ("claim: provider 82 (rendering provider)", "NM104", "first_name"),
        )
    ]


def test_admission_and_discharge_take_dates_and_times_and_their_format_follows() -> None:
    """837I DTP*435 DT / DTP*096 TM: a `datetime` admission was refused (text only), and text
    without its format qualifier failed the checks, though 12 digits can only be DT."""
    claim = one("837i/inpatient")
    fields = {name: getattr(claim, name) for name in type(claim).model_fields}
    fields.update(
        admission=datetime(2024, 2, 1, 8, 30),
        admission_format=None,
        discharge=time(14, 0),
        discharge_format=None,
    )
    built = edi.Claim(**fields)
    assert (built.admission_format, built.admission) == ("DT", "202402010830")
    assert (built.discharge_format, built.discharge) == ("TM", "1400")
    assert built == claim and check_claim(built) == []
    built.admission = date(2024, 2, 1)  # type: ignore[assignment]
    built.admission_format = None
    assert (built.admission_format, built.admission) == ("D8", "20240201")


def test_admission_and_discharge_take_the_iso_text_json_has_for_a_date_time() -> None:
    """JSON has no datetime: `"2024-02-01T08:30"` was kept as text and refused twice, as no DT
    value and as holding the component separator ':' ("write with other delimiters")."""
    claim = one("837i/inpatient")
    data = claim.model_dump(mode="json", exclude={"envelope"})
    data.update(admission="2024-02-01T08:30", admission_format=None)
    data.update(discharge="14:00", discharge_format=None)
    built = edi.Claim.model_validate(data)
    assert (built.admission_format, built.admission) == ("DT", "202402010830")
    assert (built.discharge_format, built.discharge) == ("TM", "1400")
    assert check_claim(built) == []
    data.update(admission="2024-02-01", admission_format=None)
    assert edi.Claim.model_validate(data).admission == "20240201"
    # With seconds of 00, as `isoformat()` gives them: nothing is lost.
    data.update(admission="2024-02-01T08:30:00", admission_format=None)
    data.update(discharge="14:00:00", discharge_format=None)
    built = edi.Claim.model_validate(data)
    assert (built.admission, built.discharge) == ("202402010830", "1400")
    # Seconds X12's DT and TM leave out, as for a `datetime` or `time` given (the reviewer).
    data.update(admission="2024-02-01T08:30:15.5", admission_format=None)
    data.update(discharge="14:00:45", discharge_format=None)
    built = edi.Claim.model_validate(data)
    assert (built.admission, built.discharge) == ("202402010830", "1400")
    data.update(admission=datetime(2024, 2, 1, 8, 30, 15), discharge=time(14, 0, 45))
    built = edi.Claim.model_validate(data)
    assert (built.admission, built.discharge) == ("202402010830", "1400")
    # One that is no date or hour stays as given: the checks say it.
    for wrong in ("2024-02-30T08:30", "2024-02-01T25:00", "2024-02-01T08:30+01:00"):
        data.update(admission=wrong, admission_format=None)
        assert edi.Claim.model_validate(data).admission == wrong


def test_a_new_admission_or_discharge_brings_its_own_format() -> None:
    """The format that came with a claim stayed when its text changed: an 837I admission read as a
    date and hour (DT) and set to a date was refused ("not a DT value"), and an admission taken
    out of an 837P claim left its D8 ("given without the admission it formats"). A format the
    caller assigns is theirs, and stays."""
    claim = one("837i/inpatient")
    claim.admission = date(2024, 2, 1)  # type: ignore[assignment]
    assert (claim.admission_format, claim.admission) == ("D8", "20240201")
    # A D8 value, no longer "not a DT value"; but an inpatient bill gives the hour (RFI 1520).
    assert check_claim(claim) == [
        "the admission (DTP*435) is a date without its hour (DTP02 D8); an inpatient bill (type "
        "of bill 111) gives its date and hour (DT: RFI 1520)"
    ]
    claim.facility_code = "33"  # home health: the date alone (RFI 1479)
    assert check_claim(claim) == []
    claim.facility_code = "11"
    with pytest.raises(pydantic.ValidationError):  # a refused value leaves the format as it was
        claim.admission = 20240201  # type: ignore[assignment]
    assert (claim.admission_format, claim.admission) == ("D8", "20240201")
    claim.admission, claim.discharge = None, None
    assert (claim.admission_format, claim.discharge_format) == (None, None)
    # No format left without its value; the admission an inpatient bill gives is missing.
    assert check_claim(claim) == [
        "no admission date and hour (admission, DTP*435); an inpatient bill (type of bill 111) "
        "requires it (RFI 1520, 1479)"
    ]
    claim.admission = datetime(2024, 2, 1, 9, 15)  # type: ignore[assignment]
    assert (claim.admission_format, claim.admission) == ("DT", "202402010915")
    claim.admission_format = "DT"  # the caller's: kept, and the checks say what is wrong
    claim.admission = "20240201"
    assert claim.admission_format == "DT"
    assert check_claim(claim) == ["admission (DTP*435 DTP03) is not a DT value (CCYYMMDDHHMM)"]
    professional = one("837p/several_providers", 1)
    assert professional.admission_format == "D8"
    professional.admission = None
    assert professional.admission_format is None and check_claim(professional) == []
    read = next(iter(edi.read_claims(FIXTURES / "837i/inpatient.x12")))
    read.admission = date(2024, 2, 1)  # type: ignore[assignment]
    assert (read.admission_format, check_claim(read)) == (
        "D8",
        [
            "the admission (DTP*435) is a date without its hour (DTP02 D8); an inpatient bill "
            "(type of bill 111) gives its date and hour (DT: RFI 1520)"
        ],
    )


# -- clearer checks ------------------------------------------------------------------------------------


def test_a_missing_segment_names_the_fields_that_give_it() -> None:
    """A missing segment was said by its ID alone (`billing provider (2010AA): no N3; loop 2010AA
    ... requires it`): a claim built in code has fields, not segments."""
    claim = one("837p/dependent", 1)
    assert claim.patient is not None
    claim.billing_provider.tax_id = claim.billing_provider.tax_id_qualifier = None
    claim.patient.birth_date = claim.patient.gender = None
    subscriber = claim.subscriber  # no SBR element left (SBR02: the patient is another person)
    subscriber.payer_responsibility = subscriber.relationship = subscriber.group_number = None
    subscriber.filing_indicator = None
    claim.header.submitter.contacts = []
    assert check_claim(claim) == [
        "submitter (1000A): no PER (contacts); loop 1000A of an 837P claim requires it",
        "billing provider (2010AA): no REF (tax_id); loop 2010AA of an 837P claim requires it",
        "subscriber (2000B): no SBR (payer_responsibility); loop 2000B of an 837P claim "
        "requires it",
        "patient (2010CA): no DMG (birth_date, gender); loop 2010CA of an 837P claim requires it",
    ]


@pytest.mark.parametrize(
    ("case", "field", "code", "problem"),
    [
        (
            "837p/dependent",
            "professional",
            "99213-25",
            "line 1: procedure code (professional.code, SV101-02) is not an HCPCS or CPT code "
            "(five letters or digits); a modifier goes in professional.modifiers (SV101-03), not "
            "in the code",
        ),
        (
            "837p/dependent",
            "professional",
            "9921",
            "line 1: procedure code (professional.code, SV101-02) is not an HCPCS or CPT code "
            "(five letters or digits)",
        ),
        ("837p/dependent", "professional", "0001F", None),  # a CPT category II code
        ("837p/dependent", "professional", "J1100", None),  # an HCPCS level II code
        (
            "837i/inpatient",
            "institutional",
            "80053 QW",
            "line 1: procedure code (institutional.code, SV202-02) is not an HCPCS or CPT code "
            "(five letters or digits); a modifier goes in institutional.modifiers (SV202-03), not "
            "in the code",
        ),
        (
            "837d/restorative",
            "dental",
            "2392",
            "line 1: procedure code (dental.code, SV301-02) is not a CDT code (D and four digits)",
        ),
    ],
)
def test_a_procedure_code_has_the_form_of_its_code_set(
    case: str, field: str, code: str, problem: str | None
) -> None:
    """`code="99213-25"` (the modifier typed into the code, as a charge master prints it) passed
    the checks and was written as `SV1*HC:99213-25`, which a payer rejects."""
    claim = one(case, 1 if case == "837p/dependent" else 0)
    service = getattr(claim.lines[0], field)
    service.qualifier, service.code = ("AD" if field == "dental" else "HC"), code
    assert check_claim(claim) == ([problem] if problem else [])


def test_a_code_of_another_code_set_keeps_its_own_form() -> None:
    """Only HCPCS (HC) and CDT (AD) codes have a form checked: a revenue code line of an 837I without
    a procedure, or an SV1 under another qualifier (ER: a jurisdiction's code), is left alone."""
    claim = one("837p/dependent", 1)
    assert claim.lines[0].professional is not None
    claim.lines[0].professional.qualifier = "ER"
    claim.lines[0].professional.code = "STATE-123"
    assert check_claim(claim) == []


def test_a_claim_without_a_patient_is_told_both_ways_to_fix_it() -> None:
    claim = one("837p/subscriber_is_patient")
    claim.subscriber.relationship = None  # left out, as a dependant's claim leaves it
    assert check_claim(claim) == [
        "no patient is given, so the subscriber is the patient, but subscriber.relationship (SBR02) "
        "is empty, not '18': set it to '18', or give the patient (patient, 2000C)"
    ]


# -- building 837s from claims JSON: what the checks let through ---------------------------------------

_DRUG_WITHOUT_QUALIFIER = {  # the drug of a professional (or institutional) line, as JSON gives it
    "qualifier": "N4",
    "code": "00009004701",
    "quantity": "1",
    "unit": "ML",
    "prescription_number": "RX1",
}


def _with_drug(case: str, drug: dict[str, Any]) -> edi.Claim:
    """The first claim of fixture `case`, loaded from its JSON with `drug` on its first line."""
    data = json.loads((FIXTURES / f"{case}.json").read_text())
    data[0]["lines"][0]["drug"] = drug
    return edi.load_claims(data)[0]


@pytest.mark.parametrize(("case", "guide"), [("837p/drug", "837P"), ("837i/inpatient", "837I")])
def test_a_prescription_number_without_its_qualifier_is_refused(case: str, guide: str) -> None:
    """2410 REF01 (VY or XZ) is usage=R (837P map lines 1609-1610, 837I 2144-2145): a number without
    it passed the checks and was written `REF**RX1`, which reads back without the number (the REF
    kept as read). The qualifier without the number was refused already (X12 syntax R0203)."""
    claim = _with_drug(case, _DRUG_WITHOUT_QUALIFIER)
    drug = claim.lines[0].drug
    assert drug is not None
    said = (
        f"line 1: drug (2410): REF without REF01 (prescription_type); the {guide} guide requires it"
    )
    (problem,) = check_claim(claim)
    assert problem == said and problem.about is drug and problem.element == "REF01"
    with pytest.raises(edi.ClaimCheckError) as raised:
        edi.write_837([claim])
    assert raised.value.problems == [f"claim {claim.patient_control_number}: {said}"]
    drug.prescription_type = ""  # written empty all the same
    assert check_claim(claim) == [said]
    drug.prescription_type = "XZ"
    assert check_claim(claim) == []
    (back,) = edi.read_claims(edi.write_837([claim]))
    assert back.lines[0].drug == drug


def test_every_qualifier_a_field_gives_is_required_where_its_segment_is_written() -> None:
    """The root of the drug's REF**RX1: a qualifier element that the mapping writes itself (one
    qualifier, `Elem("REF02", qual="F8")`) is always there; one of several (`qual=("VY", "XZ")`)
    is a field's value, and nothing required it. Every such field is required with its segment
    (`claim_required._chosen_qualifiers`): the two the claim models have, the billing provider's
    tax id qualifier too (2010AA REF01, usage=R: 837P map line 142)."""
    found = set()
    for module in (claim_models, claim_parties, claim_lines, claim_cob, claim_segments):
        for model in vars(module).values():
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                continue
            for name, finfo in model.model_fields.items():
                for marker in finfo.metadata:
                    if isinstance(marker, Elem) and len(marker.quals or ()) > 1:
                        if split_ref(marker.ref)[1] == marker.qual_at:
                            found.add((model.__name__, name))
    assert found == {("BillingProvider", "tax_id_qualifier"), ("Drug", "prescription_type")}
    claim = one("837p/subscriber_is_patient")
    billing = claim.billing_provider
    billing.__dict__["tax_id_qualifier"] = None  # the model fills it in when validated
    said = (
        "billing provider (2010AA): REF without REF01 (tax_id_qualifier); the 837P guide requires "
        "it"
    )
    (problem,) = check_claim(claim)
    assert problem == said and problem.about is billing and problem.element == "REF01"
    with pytest.raises(edi.ClaimCheckError, match="REF without REF01"):
        edi.write_837([claim])


@pytest.mark.parametrize("blank", ["   ", " "])
def test_a_required_name_of_spaces_only_is_refused_as_an_empty_one(blank: str) -> None:
    """`"last_name": "   "` was written `NM1*QC*1*   *JANE~`, where "" and "DOE " were refused: an
    X12 string of spaces only is no value (X12.6 3.5.1.4, X12 RFI 2144). Refused when loaded or
    made, as "" is; one read from a file (the reader takes what a file holds) by the checks, as
    are the optional ones."""
    data = json.loads((FIXTURES / "837p/dependent.json").read_text())
    data[1]["patient"]["last_name"] = blank
    with pytest.raises(edi.ClaimValidationError) as loaded:
        edi.load_claims(data)
    assert loaded.value.problems == [
        "claim PCN2002: [1].patient.last_name: Value error, a blank text (empty, or spaces only), "
        "where the element is required"
    ]
    with pytest.raises(edi.ModelValidationError) as made:
        edi.Patient(relationship="19", last_name=blank, first_name="JANE")
    assert str(made.value) == (
        "Patient: last_name: Value error, a blank text (empty, or spaces only), where the element "
        "is required"
    )
    claim = one("837p/dependent", 1)
    assert claim.patient is not None
    claim.patient.first_name = blank  # optional: written all the same, so refused by the checks
    text = edi.write_837([claim], check=False)
    assert f"NM1*QC*1*{claim.patient.last_name}*{blank}~" in text
    name = claim.patient.last_name
    (read,) = edi.read_claims(text.replace(f"NM1*QC*1*{name}*", f"NM1*QC*1*{blank}*"))
    assert read.patient is not None and read.patient.last_name == blank
    what = "is only spaces; X12 text holds at least one character that is not a space"
    assert check_claim(read) == [
        f"patient (2010CA): NM103 (last_name) {what}",
        f"patient (2010CA): NM104 (first_name) {what}",
    ]
    assert name not in str(check_claim(read))  # never quoted (PHI)


@pytest.mark.parametrize(
    ("qualifier", "code", "refused"),
    [
        ("N4", "0009-0047-01", True),  # as the label prints it (4-4-2, dashes)
        ("N4", "00009-0047-01", True),  # 5-4-2, with its dashes
        ("N4", "123", True),
        ("N4", "0009004701", True),  # ten digits: not padded to the 5-4-2 form
        ("N4", "000090047011", True),
        ("N4", "00009004701", None),
        ("UP", "123", None),  # a UPC (837P LIN02 UP): its form is not checked
    ],
)
def test_a_national_drug_code_is_an_ndc_of_11_digits(
    qualifier: str, code: str, refused: bool | None
) -> None:
    """Under LIN02 N4, LIN03 is the NDC in its 5-4-2 form, 11 digits without dashes (x12-notes
    §10; the 837 guides' LIN03 note): `0009-0047-01` was written as it was given."""
    claim = _with_drug(
        "837p/drug",
        {"qualifier": qualifier, "code": code, "quantity": "1", "unit": "ML"},
    )
    said = (
        "line 1: drug (2410): national drug code (code, LIN03) is not an 11-digit NDC in the "
        "5-4-2 form, without dashes"
    )
    assert check_claim(claim) == ([said] if refused else [])
    if refused:
        (problem,) = check_claim(claim)
        assert problem.about is claim.lines[0].drug and problem.element == "LIN03"
        with pytest.raises(edi.ClaimCheckError, match="NDC"):
            edi.write_837([claim])


@pytest.mark.parametrize("amount", ["1_00", "1__0", "-1_0.5", "١٠٠", "１００"])
def test_an_amount_with_an_underscore_is_refused_as_one_with_a_comma(amount: str) -> None:
    """Python's Decimal reads `1_00` as 100 (and Arabic-Indic or full-width digits as theirs):
    `"charge": "1_00"` was taken for 100. An X12 amount (R) is ASCII digits with an optional
    leading minus and decimal point (x12-notes §1.4): refused as `12,50` is, loaded or made."""
    data = json.loads((FIXTURES / "837p/drug.json").read_text())
    said = "Input should be a valid decimal"
    for given in (amount, "12,50"):
        data[0]["lines"][1]["professional"]["charge"] = given
        with pytest.raises(edi.ClaimValidationError) as loaded:
            edi.load_claims(data)
        assert loaded.value.problems == [
            f"claim PCN5001: [0].lines[1].professional.charge: {said}"
        ], given
        with pytest.raises(edi.ModelValidationError) as made:
            edi.ProfessionalService(qualifier="HC", code="99213", charge=given)
        assert str(made.value) == f"ProfessionalService: charge: {said}"
    remittances = json.loads((FIXTURES / "835/partly_paid.json").read_text())
    remittances[0]["claims"][0]["paid"] = amount
    with pytest.raises(edi.RemittanceValidationError) as raised:
        edi.load_remittances(remittances)
    assert raised.value.problems == [f"[0].claims[0].paid: {said}"]


def test_a_date_given_as_a_number_is_said_to_be_no_date_and_nothing_else() -> None:
    """`"birth_date": 19800102` (a JSON integer, the date as X12 writes it) was said as pydantic
    says a Unix time with a fraction of a day: "Datetimes provided to dates should have zero
    time", no datetime having been given. Now only that it is no date, and how one is written."""
    data = json.loads((FIXTURES / "837p/drug.json").read_text())
    said = "Input should be a valid date (a date is written YYYY-MM-DD in JSON, such as 2024-03-05)"
    for given in (19800102, "19800102", 1980.5, 1700006400):
        data[0]["subscriber"]["birth_date"] = given
        data[0]["lines"][0]["service_date"] = {"start": given}
        with pytest.raises(edi.ClaimValidationError) as raised:
            edi.load_claims(data)
        assert raised.value.problems == [
            f"claim PCN5001: [0].subscriber.birth_date: {said}",
            f"claim PCN5001: [0].lines[0].service_date.start: {said}",
        ], given
    with pytest.raises(edi.ModelValidationError) as made:
        edi.Patient(relationship="19", last_name="TESTPATIENT", birth_date=19800102)
    assert str(made.value) == (
        "Patient: birth_date: Input should be a valid date (a date is a datetime.date, or text "
        "YYYY-MM-DD such as 2024-03-05)"
    )
    # A date and time with a time of day is pydantic's to say, in its words, which are right there.
    data[0]["subscriber"]["birth_date"] = "1980-01-02T10:00"
    data[0]["lines"][0]["service_date"] = "2024-03-12"
    with pytest.raises(edi.ClaimValidationError, match="should have zero time"):
        edi.load_claims(data)


FILES = {"837p": "subscriber_is_patient", "837i": "inpatient"}


@pytest.mark.parametrize(
    ("kind", "state", "country", "refused"),
    [
        ("837p", None, None, True),  # an auto accident in the US: where?
        ("837p", None, "CA", True),  # in Canada: its province
        ("837p", "NY", None, False),
        ("837p", None, "MX", False),  # a country without the guides' state codes: its country
        ("837i", None, None, True),
    ],
)
def test_an_auto_accident_names_its_state(
    kind: str, state: str | None, country: str | None, refused: bool
) -> None:
    """CLM11-04 is required when a related cause (CLM11-01/02) is AA and the accident happened
    where states or provinces are coded (the guides' situational rule; clearinghouses reject "Auto
    Accident State is required if Related Causes Code is AA. 2300.CLM*11-4"). It was written
    without one."""
    claim = next(iter(edi.read_claims(FIXTURES / kind / f"{FILES[kind]}.x12")))
    claim.related_causes, claim.accident_state, claim.accident_country = ["AA"], state, country
    said = [p for p in check_claim(claim) if "CLM11-04" in p]
    guide = {"837p": "837P", "837i": "837I"}[kind]
    assert said == (
        [
            "related cause AA (auto accident) without the accident's state (accident_state, "
            f"CLM11-04); the {guide} guide requires it for an accident in the US or Canada"
        ]
        if refused
        else []
    )
    claim.related_causes = ["EM"]  # employment: no state, nor country
    # X12's semantic note of C024: "C024-04 and C024-05 apply only to auto accidents when C024-01,
    # C024-02, or C024-03 is equal to AA" (the 837P tester: a state with EM was written).
    where = ("CLM11-04", "CLM11-05")
    assert [p for p in check_claim(claim) if any(ref in p for ref in where)] == [
        f"{name} ({ref}) is given, but no related cause (CLM11) is AA (auto accident); X12 uses "
        "the accident's state and country only for an auto accident"
        for ref, name, value in (
            ("CLM11-04", "accident_state", state),
            ("CLM11-05", "accident_country", country),
        )
        if value
    ]
    claim.accident_state = claim.accident_country = None
    assert [p for p in check_claim(claim) if any(ref in p for ref in where)] == []


def test_medicare_after_the_first_payer_says_why_in_its_insurance_type() -> None:
    """837P SBR05 says why Medicare is not the primary payer: required when a payer after the
    first is Medicare (SBR09 MA or MB), at 2000B and 2320 alike (x12-notes §3; Stedi's claim edit
    "Missing insurance type code when Medicare is a non-primary payer"), and not sent for the
    primary payer (Stedi: "Insurance type code not allowed for the primary payer"). A Medicare
    secondary claim without it was written (the 837P tester)."""
    claim = one("837p/cob_secondary")
    subscriber, (prior,) = claim.subscriber, claim.prior_payers
    assert (subscriber.payer_responsibility, prior.payer_responsibility) == ("S", "P")
    assert subscriber.insurance_type is None and check_claim(claim) == []
    subscriber.filing_indicator = "MB"
    assert check_claim(claim) == [
        "subscriber (2000B): Medicare (SBR09 MB) is not the primary payer (SBR01 'S'), but no "
        "insurance type (SBR05, insurance_type) says why; the 837P guide requires it then"
    ]
    subscriber.insurance_type = "12"  # working aged: an employer group health plan pays first
    assert check_claim(claim) == []
    prior.insurance_type = "12"
    assert check_claim(claim) == [
        "prior payer 1 (2320): insurance type (SBR05, insurance_type) with the primary payer "
        "(SBR01 P); it says why Medicare is not the primary payer, and is sent only for a payer "
        "after the first"
    ]


def test_diagnoses_come_principal_first_whatever_the_order_of_the_hi() -> None:
    """Every HI is at one position, so a file may give them in any order: `edi claims` showed the
    admitting code first and the principal last (`R079 I10 E785 I214`)."""
    claim = one("837i/inpatient")
    given = [(c.qualifier, c.code) for c in claim.codes if c.qualifier in ("ABK", "ABJ", "ABF")]
    assert given[0][0] == "ABK"
    claim.codes = [*claim.codes[1:], claim.codes[0]]  # the principal moved last
    order = [c.qualifier for c in claim.diagnoses]
    assert order[0] == "ABK" and order == sorted(order, key=["ABK", "ABF", "ABJ"].index)
    others = [c.code for c in claim.diagnoses if c.qualifier == "ABF"]
    assert others == [code for q, code in given if q == "ABF"]  # those of one kind as given


def test_a_number_where_a_period_goes_is_told_what_a_period_takes() -> None:
    """`service_date=20240307` said only "a valid dictionary or instance of Period"; a date field
    given one says what a date is."""
    with pytest.raises(edi.ModelValidationError) as raised:
        edi.ServiceLine(
            service_date=20240307,
            professional=edi.ProfessionalService(
                qualifier="HC", code="99213", charge=1, quantity=1
            ),
        )
    assert str(raised.value) == (
        "ServiceLine: service_date: Input should be a valid dictionary or instance of Period (a "
        'period is a Period, {"start": ..., "end": ...}, or one day: a datetime.date, or text '
        "YYYY-MM-DD such as 2024-03-05)"
    )


def test_a_claim_problem_says_where_it_is_as_edi_claims_does() -> None:
    """`problem.about.read_at` failed mypy --strict (`about` is `BaseModel | None`): `location` is
    the segment kept as read, else where the model it is about was read, else None."""
    path = FIXTURES / "837p" / "subscriber_is_patient.x12"
    claims = list(edi.read_claims(path))
    claims[0].total_charge = Decimal("176")  # no longer the sum of the lines
    (problem,) = edi.check_claims(claims)
    assert problem.about is claims[0] and problem.read_at is None
    assert problem.location == claims[0].read_at
    assert problem.location is not None and problem.location.segment_id == "CLM"
    built = edi.load_claims(FIXTURES / "837p" / "subscriber_is_patient.json")
    built[0].total_charge = Decimal("176")
    (problem,) = edi.check_claims(built)
    assert problem.location is None  # made from JSON: read nowhere
    assert edi.ClaimProblem("CLM02 has 19 digits").location is None
