"""What each 837 check problem is about: `ClaimProblem.about`, `.element` and `.code`.

The problems are still the texts they were (`check_claims` compares equal to them); these tests ask
that each also says the model it is about, by identity, so that `edi claims` never parses the text
to find it.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel

import edi
from edi.models.claim import Claim
from edi.models.claim_cob import PriorPayer
from edi.models.claim_lines import ServiceLine
from edi.models.claim_parties import Provider
from edi.transactions.claim_checks import (
    ClaimChecker,
    _Memo,
    about_model,
    check_claim,
    claim_part,
    claim_part_read_at,
)
from edi.transactions.claim_problem import ClaimProblem
from tests.test_robustness import FILES_837, damaged

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# An element reference: NM109, CLM05-03, HI01-01.
ELEMENT = re.compile(r"[A-Z][A-Z0-9]{1,2}[0-9]{2}(-[0-9]{2})?")


def read(name: str) -> list[Claim]:
    return list(edi.read_claims(FIXTURES / name))


def found(claim: Claim, start: str) -> ClaimProblem:
    """The one problem of `claim` (without its id) that starts with `start`."""
    (problem,) = (p for p in check_claim(claim) if p.startswith(start))
    return problem


# -- representative problems ---------------------------------------------------------------------


def test_a_lines_charge_is_about_the_line() -> None:
    claim = read("837p/cob_secondary.x12")[0]
    claim.lines[1].professional.charge = Decimal(-1)  # type: ignore[union-attr]
    problem = found(claim, "line 2: negative charge")
    assert problem.about is claim.lines[1] and problem.element == "SV102"
    inpatient = read("837i/inpatient.x12")[0]
    inpatient.lines[0].institutional.charge = Decimal(-1)  # type: ignore[union-attr]
    problem = found(inpatient, "line 1: negative charge")
    assert problem.about is inpatient.lines[0] and problem.element == "SV203"


def test_a_line_providers_npi_is_about_that_provider_read_in_2420() -> None:
    claim = read("837p/ambulance_dme.x12")[-1]
    (provider,) = claim.lines[0].providers
    provider.id = "1000000090"  # fails the check digit
    problem = found(claim, "line 1: provider QB (2420B): NPI")
    assert problem.about is provider and problem.element == "NM109"
    assert claim_part(claim, problem) is provider
    at = claim_part_read_at(claim, problem)
    assert at is not None and (at.segment_index, at.loop_id) == (58, "2420B")


def test_a_problem_of_a_lines_adjudication_or_a_prior_payers_payer_is_about_that_loop() -> None:
    claims = read("837p/cob_secondary.x12")
    adjudication = claims[0].lines[0].adjudications[0]
    adjudication.adjustments[0].group = "XX"  # CAS01 of the 2430 CAS
    problem = found(claims[0], "line 1: adjudication 1 (2430): CAS01")
    assert problem.about is adjudication and problem.element == "CAS01"
    at = claim_part_read_at(claims[0], problem)  # its SVD (segment 32, line 34)
    assert at is not None and (at.segment_id, at.segment_index, at.loop_id) == ("SVD", 32, "2430")
    adjudication.adjustments[0].group = "CO"
    adjudication.payer_id = "NOBODY"
    problem = found(claims[0], "line 1: adjudication by payer 'NOBODY' (SVD01)")
    assert problem.about is adjudication and problem.element == "SVD01"
    other_payer = claims[1].prior_payers[0].other_payer
    other_payer.id_qualifier = "ZZ"  # 2330B NM108: PI or XV
    problem = found(claims[1], "prior payer 1: other payer (2330B): NM108")
    assert problem.about is other_payer and problem.element == "NM108"
    at = claim_part_read_at(claims[1], problem)
    assert at is not None and (at.segment_id, at.loop_id) == ("NM1", "2330B")


def test_a_cob_rule_is_about_the_prior_payer_it_names_by_id_or_position() -> None:
    claim = read("837p/cob_secondary.x12")[0]
    first = claim.prior_payers[0]
    first.paid = Decimal(119)  # the payer id EXAMPLEHP01 names it
    problem = found(claim, "prior payer EXAMPLEHP01: paid 119 (AMT*D)")
    assert problem.about is first and problem.element == "AMT02"
    second = first.model_copy(deep=True)
    second.other_payer.id = None  # named by its position
    claim.prior_payers.append(second)
    problem = found(claim, "prior payer 2 (2320 SBR01)")
    assert problem.about is second and problem.element == "SBR01"
    assert claim_part(claim, problem) is second
    # By its position in a rule of its loop (claim_syntax: SBR03's size).
    second.group_number = "G" * 51
    problem = found(claim, "prior payer 2 (2320): SBR03")
    assert problem.about is second and problem.element == "SBR03"


def test_a_claim_providers_problem_is_about_that_provider() -> None:
    claim = read("837p/cob_secondary.x12")[0]
    doctor = claim.providers[0]
    doctor.first_name = None  # else NM102 is filled: a person's (1)
    doctor.entity_type = None
    problem = found(claim, "claim: provider 82 (rendering provider) has no entity type")
    assert problem.about is doctor and problem.element == "NM102"
    doctor.id = "1234567890"
    problem = found(claim, "provider 82 (2310B): NPI")
    assert problem.about is doctor and problem.element == "NM109"
    at = claim_part_read_at(claim, problem)
    assert at is not None and (at.segment_index, at.loop_id) == (21, "2310B")


def test_a_billing_providers_problem_is_about_the_billing_provider_the_claims_share() -> None:
    claims = read("837p/cob_secondary.x12")
    billing = claims[0].billing_provider
    assert claims[1].billing_provider is billing  # one set: one model
    billing.npi = "1234567890"
    billing.city = "S" * 61  # N401: 1 to 60 characters (claim_syntax, memoized)
    checker = ClaimChecker()
    for claim in claims:
        placed = checker.placed(claim)
        npi = next(p for _, p in placed if "NPI" in p)
        assert npi.about is billing and npi.element == "NM109"
        city = next(p for _, p in placed if p.startswith("billing provider (2010AA): N401"))
        assert city.about is billing and city.element == "N401"
        assert all(model is billing for model, p in placed if p in (npi, city))
        assert about_model(claim, city) is billing and claim_part(claim, city) is claim


def test_a_kept_date_that_is_no_date_has_its_code() -> None:
    text = (FIXTURES / "837p/dependent.x12").read_text()
    claim = next(iter(edi.read_claims(text.replace("DMG*D8*19750615*", "DMG*D8*19751315*"))))
    problem = next(p for p in check_claim(claim) if p.code == "kept-no-date")
    assert problem.startswith("subscriber (2010BA): DMG02 (text kept from the file read)")
    assert problem.about is claim.subscriber and problem.element == "DMG02"
    assert [p.code for p in check_claim(claim)].count("kept-no-date") == 1


def test_a_claim_level_problem_is_about_the_claim_and_its_clm_element() -> None:
    claim = read("837p/cob_secondary.x12")[0]
    claim.total_charge = Decimal(251)
    claim.frequency_code = None
    total = found(claim, "total charge 251")
    frequency = found(claim, "no claim frequency code")
    assert (total.about, total.element) == (claim, "CLM02") and total.about is claim
    assert frequency.about is claim and frequency.element == "CLM05-03"
    assert claim_part(claim, total) is claim
    at = claim_part_read_at(claim, total)
    assert at is not None and at.segment_id == "CLM"


def test_the_checkers_own_problems_say_what_they_are_about() -> None:
    """A claim sent twice, a value holding a delimiter: the claim's, with their code."""
    claim = read("837p/subscriber_is_patient.x12")[0]
    claim.patient_control_number = "PCN:1001"
    checker = ClaimChecker()
    checker.check(claim)
    problems = checker.findings(claim)
    (twice,) = (p for p in problems if p.code == "duplicate-claim")
    (unwritable,) = (p for p in problems if p.code == "unwritable")
    assert twice.about is claim and twice.element == "CLM01"
    assert unwritable.about is claim and unwritable.element == "CLM01"
    assert unwritable == "claim PCN:1001: " + unwritable.removeprefix("claim PCN:1001: ")


def test_findings_are_the_texts_check_gives_and_keep_their_attributes() -> None:
    claim = read("837p/cob_secondary.x12")[0]
    claim.lines[1].professional.diagnosis_pointers = [1, 3]  # type: ignore[union-attr]
    texts = ClaimChecker().check(claim)
    problems = ClaimChecker().findings(claim)
    assert problems == texts == edi.check_claims([claim])
    assert all(isinstance(p, edi.ClaimProblem) for p in [*texts, *edi.check_claims([claim])])
    (pointer,) = problems
    assert (
        pointer
        == "claim PCN2001: line 2: diagnosis pointer 3 points at nothing (the claim has 2 diagnosis codes)"
    )
    assert pointer.about is claim.lines[1] and pointer.element == "SV107-02"
    again = pickle.loads(pickle.dumps(pointer))
    assert again == pointer and again.element == "SV107-02" and again.about == claim.lines[1]
    prefixed = pointer.prefixed("claims.837: ")
    assert prefixed.about is pointer.about and prefixed.element == pointer.element


# -- every problem is about a model of its claim ------------------------------------------------------


def _mutations() -> Iterator[tuple[str, Callable[[Claim], None]]]:
    """Changes that make a claim break rules all over it: amounts, ids, codes, sizes."""

    def providers(claim: Claim) -> Iterator[Provider]:
        yield from claim.providers
        for payer in claim.prior_payers:
            yield from payer.providers
        for line in claim.lines:
            yield from line.providers

    def money(claim: Claim) -> None:
        claim.total_charge += 1
        for line in claim.lines[:1]:
            service = line.service
            if service is not None:
                service.charge = Decimal(-1)
        for payer in claim.prior_payers:
            payer.paid = (payer.paid or Decimal(0)) + 1
            payer.payer_responsibility = claim.subscriber.payer_responsibility

    def ids(claim: Claim) -> None:
        claim.billing_provider.npi = "1234567890"
        for provider in providers(claim):
            provider.id, provider.entity_type = "1234567890", None
            provider.postal_code = "1234"
            provider.name = "N" * 61
        for payer in claim.prior_payers[1:]:
            payer.other_payer.id = None

    def codes(claim: Claim) -> None:
        claim.frequency_code = None
        claim.facility_code = None
        claim.patient_control_number = "P" * 21
        claim.header.submitter.entity_type = None
        claim.subscriber.group_number = "G" * 51
        for payer in claim.prior_payers:
            payer.group_number = "G" * 51
            payer.other_payer.name = "\t"
        for n, line in enumerate(claim.lines):
            line.control_number = "SAME"
            for adjudication in line.adjudications[:1]:
                adjudication.payer_id = f"NOBODY{n}"
            if line.professional is not None:
                line.professional.diagnosis_pointers = [9]
                line.professional.unit = None
            if line.institutional is not None:
                line.institutional.unit = None
            if line.drug is not None:
                line.drug.quantity = Decimal("1" * 16)
        if claim.patient is not None:
            claim.patient.relationship = "18"
            claim.patient.city = "C" * 61

    yield "money", money
    yield "ids", ids
    yield "codes", codes


def _fixture_claims() -> Iterator[tuple[str, Claim]]:
    for kind in ("837p", "837i", "837d"):
        for path in sorted((FIXTURES / kind).glob("*.x12")):
            for claim in edi.read_claims(path):
                yield path.name, claim


def _models_of(claim: Claim) -> dict[int, BaseModel]:
    """Every model a problem of `claim` may be about, by identity."""
    header = claim.header
    billing = claim.billing_provider
    models: list[BaseModel | None] = [
        claim,
        header,
        header.submitter,
        header.receiver,
        billing,
        billing.pay_to_address,
        billing.pay_to_plan,
        claim.subscriber,
        claim.payer,
        claim.patient,
        *claim.providers,
        *claim.lines,
        *(p for line in claim.lines for p in line.providers),
        *(m for line in claim.lines for m in _within(line)),
        *claim.prior_payers,
        *(p for payer in claim.prior_payers for p in payer.providers),
        *(m for payer in claim.prior_payers for m in _within(payer)),
    ]
    return {id(m): m for m in models if m is not None}


def _within(part: Any) -> list[Any]:
    """A line or prior payer and the loops it holds that a problem may be about: a line's drug
    (2410), adjudications (2430) and forms (2440); a prior payer's other subscriber and payer."""
    if isinstance(part, ServiceLine):
        return [part, part.drug, *part.adjudications, *part.forms]
    if isinstance(part, PriorPayer):
        return [part, part.other_subscriber, part.other_payer]
    return [part]


def _expected(claim: Claim, text: str) -> tuple[list[BaseModel], str]:
    """The parts of the claim a problem's text may be about, by the way it names them first (its
    line or prior payer by position, a prior payer by id, else the claim), and the rest of the
    text: an oracle from the texts, for these tests only."""
    payers = claim.prior_payers
    by_id = re.match(
        r"prior payer (\S+?)(?: \(2320 SBR01\))?: (?:paid |payer resp|no adjudication date|its "
        r"adjudication date|the remaining patient liability)",
        text,
    )
    if by_id is not None:
        those = [p for p in payers if p.other_payer.id == by_id[1]]
        if not those and by_id[1].isdigit():
            those = [payers[int(by_id[1]) - 1]]  # one without an id: by its position
        return ([*those, claim] if len(those) > 1 else those), ""
    numbered = re.match(r"(line|prior payer) (\d+)\b:? ?", text)
    if numbered is None:
        return [claim], text
    parts = claim.lines if numbered[1] == "line" else payers
    return [parts[int(numbered[2]) - 1]], text[numbered.end() :]


def _among(model: object, models: list[Any]) -> bool:
    return any(m is model for m in models)


def _assert_about_its_claim(claim: Claim, placed: list[tuple[BaseModel, ClaimProblem]]) -> None:
    models = _models_of(claim)
    for model, problem in placed:
        about = problem.about
        assert about is not None, problem
        assert models.get(id(about)) is about, (problem, type(about).__name__)
        assert model is about_model(claim, problem)
        assert problem.element is None or ELEMENT.fullmatch(problem.element), problem
        part = claim_part(claim, problem)
        if model is not claim:  # a context model's: said once, at its loop
            assert part is claim and not re.match(r"(line|prior payer) ", problem), problem
            continue
        assert part is about, problem
        expected, rest = _expected(claim, problem)
        if not isinstance(about, Provider):
            assert _among(about, [m for part in expected for m in _within(part)]), problem
            continue
        (holder,) = expected
        assert _among(about, holder.providers), problem  # type: ignore[attr-defined]
        role = re.match(r"(?:claim: )?provider (\w+) ", rest)
        assert role is not None, problem
        assert role[1] in ("role", about.role), problem


def test_every_problem_of_the_fixtures_changed_is_about_a_model_of_its_claim() -> None:
    count = 0
    for name, mutate in _mutations():
        for _, claim in _fixture_claims():
            mutate(claim)
            placed = ClaimChecker().placed(claim)
            _assert_about_its_claim(claim, placed)
            count += len(placed)
            assert not any(p.about is None for p in check_claim(claim)), name
    assert count > 300  # the changes break rules everywhere


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged(FILES_837))
def test_every_problem_of_a_damaged_fixture_is_about_a_model_of_its_claim(text: str) -> None:
    checker = ClaimChecker()
    for claim in edi.read_claims(text):
        _assert_about_its_claim(claim, checker.placed(claim))


def test_the_memo_keeps_the_context_models_in_use_while_each_claims_own_pass_through() -> None:
    # Each claim's own subscriber and payer fill the memo; the header and billing provider that
    # every claim shares are used for each claim, and so stay: checked once, however many claims.
    claims = read("837p/cob_secondary.x12")
    checked: list[int] = []

    def check(kind: str, loop: str, model: BaseModel) -> list[str]:
        checked.append(id(model))
        return []

    memo = _Memo(size=8)
    shared = claims[0].billing_provider
    for n in range(40):
        own = claims[n % len(claims)].subscriber.model_copy()  # a new model every claim
        memo.problems(check, "professional", "2010AA", shared, "")
        memo.problems(check, "professional", "2010BA", own, "")
        memo.problems(check, "professional", "2000B", own, "")
    assert checked.count(id(shared)) == 1
    assert len(checked) == 1 + 2 * 40


def test_unwritable_text_kept_as_read_is_about_the_model_whose_segment_holds_it() -> None:
    """Each about its line, provider or the billing provider, with its element, and none hidden by
    another: they were all about the claim, and the writer's first refusal (NM104) hid the rest,
    the same provider's PRV too."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    for read, kept in (
        ("SV1*HC:87880*50*UN*1***1~", "SV1*HC:87880*50*UN*1***1*~"),
        ("*TESTDOCTOR*CHARLIE*", "*TESTDOCTOR*CHAR:LIE*"),
        ("PRV*PE*PXC*207Q00000X~", "PRV*PE*PXC*207Q00000X*~"),  # the same provider's (2310B)
        ("N4*SPRINGFIELD*IL*627040000~", "N4*SPRINGFIELD*IL*627040000*~"),
    ):
        assert text.count(read) == 1
        text = text.replace(read, kept)
    first, second = edi.read_claims(text)
    billing = first.billing_provider
    checker = ClaimChecker()
    placed = checker.placed(first)
    # (By identity: equal models would pass for one another.)
    got = [(id(model), id(p.about), p.element, p.code, p.partition(" ")[0]) for model, p in placed]
    assert got == [
        (id(billing), id(billing), "N404", "unwritable", "billing"),
        (id(first), id(first.providers[1]), "NM104", "unwritable", "claim:"),  # 82, after DN
        (id(first), id(first.providers[1]), "PRV04", "unwritable", "claim:"),
        (id(first), id(first.lines[1]), "SV108", "unwritable", "line"),
    ]
    assert placed[1][1].startswith("claim: provider 82 (2310B): NM104 holds the component")
    assert placed[3][1].startswith("line 2: SV108 is an empty element at the end")
    at = claim_part_read_at(first, placed[1][1])
    assert at is not None and (at.segment_id, at.loop_id) == ("NM1", "2310B")
    assert placed[2][1].startswith("claim: provider 82 (2310B): PRV04 is an empty element")
    at = claim_part_read_at(first, placed[3][1])
    assert at is not None and (at.segment_id, at.loop_id) == ("LX", "2400")
    # The second claim shares the billing provider: the same problem, about the same model.
    (shared,) = checker.placed(second)
    assert shared[0] is billing and shared[1] == placed[0][1]
    assert len(edi.check_claims([first, second])) == 5


def test_a_checked_write_refuses_with_every_claims_problems_values_it_cannot_write_too() -> None:
    # One problem found first hid the others: the business check's alone (the value with a
    # delimiter was not asked about), or the first value the writer met (the claims after it
    # unsaid). Each is said as check_claims says it.
    claims = edi.load_claims(FIXTURES / "837p/dependent.json")
    claims[0].subscriber.address_line_1 = "20 MAPLE ST "
    assert claims[1].patient is not None
    claims[1].patient.last_name = "O*CONNOR"
    with pytest.raises(edi.ClaimCheckError) as refused:
        edi.write_837(claims)
    assert refused.value.problems == edi.check_claims(claims)
    assert [p.split(":")[0] for p in refused.value.problems] == ["claim PCN2001", "claim PCN2002"]
    # Values alone: still a WriteError, now of every claim with one.
    claims = edi.load_claims(FIXTURES / "837p/dependent.json")
    claims[0].patient_control_number = "PCN:2001"
    for claim in claims[1:]:
        assert claim.patient is not None
        claim.patient.last_name = "O*CONNOR"
    with pytest.raises(edi.WriteError) as unwritable:
        edi.write_837(claims)
    assert unwritable.value.problems == edi.check_claims(claims)
    assert len(unwritable.value.problems) == 3
