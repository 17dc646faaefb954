"""Claims and remittances made or changed around pydantic (`model_construct`, `__dict__`,
`object.__setattr__`): the checks and writers say which one and which field, as pydantic would,
rather than fail with a Python error deep inside (`edi.models.unvalidated`)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import edi
from edi import Claim, ClaimCheckError, EdiError, Remittance, RemittanceCheckError, WriteError
from edi.transactions import claim_checks

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _claims(name: str = "837p/dependent.x12") -> list[Claim]:
    return list(edi.read_claims(FIXTURES / name))


def _remittances() -> list[Remittance]:
    return [r for p in sorted((FIXTURES / "835").glob("*.x12")) for r in edi.read_remittances(p)]


def _set(model: Any, name: str, value: Any) -> None:
    model.__dict__[name] = value


def _line_service(claim: Claim) -> Any:
    return claim.lines[0].professional


# (what is done to the claim, the field path said, the name the claim is given)
CLAIM_BYPASSES: list[tuple[str, Callable[[Claim], None], str, str]] = [
    ("none for a list", lambda c: _set(c, "lines", None), "lines", "claim PCN2001 (#1)"),
    ("str for a Decimal", lambda c: _set(c, "total_charge", "abc"), "total_charge", ""),
    (
        "int for a str",
        lambda c: _set(c, "patient_control_number", 5),
        "patient_control_number",
        "claim #1",
    ),
    ("str for a period", lambda c: _set(c, "statement_period", "x"), "statement_period.start", ""),
    (
        "a period's valid text",
        lambda c: _set(c, "statement_period", "2024-03-05"),
        "statement_period",
        "",
    ),
    ("a Decimal's valid text", lambda c: _set(c, "total_charge", "12.50"), "total_charge", ""),
    ("int in a list", lambda c: _set(c, "notes", [3]), "notes[0]", ""),
    ("none for a model", lambda c: _set(c, "billing_provider", None), "billing_provider", ""),
    (
        "three levels deep",
        lambda c: _set(_line_service(c), "charge", "abc"),
        "lines[0].professional.charge",
        "",
    ),
    ("two levels deep", lambda c: _set(c.lines[0], "service_date", 5), "lines[0].service_date", ""),
    (
        "object.__setattr__",
        lambda c: object.__setattr__(c, "lines", None),
        "lines",
        "",
    ),
    # An exact amount, but no Decimal: refused as a float or a Decimal's text is (not written
    # 175.000000).
    ("an int for a Decimal", lambda c: _set(c, "total_charge", 175), "total_charge", ""),
    # Values only the writer looks at (the checks have no rule on them): the checks ask it.
    (
        "a date's valid text in the subscriber",
        lambda c: _set(c.subscriber, "birth_date", "1980-01-01"),
        "subscriber.birth_date",
        "",
    ),
    (
        "a date's valid text in the header",
        lambda c: _set(c.header, "date", "2024-03-05"),
        "header.date",
        "",
    ),
    (
        "a Decimal's valid text in a line",
        lambda c: _set(_line_service(c), "quantity", "1"),
        "lines[0].professional.quantity",
        "",
    ),
    # Set in place in a list or dict (the library tester): a pointer 1.0 or True was written
    # SV107 `1.0` / `True`, which no reader takes; an int amount by qualifier passed the checks
    # and was refused by the writer.
    (
        "a float pointer in place",
        lambda c: _line_service(c).diagnosis_pointers.__setitem__(0, 1.0),
        "lines[0].professional.diagnosis_pointers[0]",
        "",
    ),
    (
        "a bool pointer in place",
        lambda c: _line_service(c).diagnosis_pointers.__setitem__(0, True),
        "lines[0].professional.diagnosis_pointers[0]",
        "",
    ),
    ("an int amount in place", lambda c: c.amounts.__setitem__("F5", 20), "amounts['F5']", ""),
    (
        "an int quantity in place",
        lambda c: c.lines[0].quantities.__setitem__("PT", 2),
        "lines[0].quantities['PT']",
        "",
    ),
]
CLAIM_IDS = [case[0] for case in CLAIM_BYPASSES]


def _bad_claim(bypass: Callable[[Claim], None]) -> Claim:
    claim = _claims()[0].model_copy(deep=True)
    bypass(claim)
    return claim


def _says(message: str, path: str, name: str) -> None:
    assert f"{name or 'claim PCN2001 (#1)'}: not validated" in message
    assert "model_construct" in message and "__dict__" in message
    assert f"): {path}: " in message or f"; {path}: " in message
    said = ("Input should be", "Field required", "where pydantic makes")
    assert any(words in message for words in said)


@pytest.mark.parametrize(("kind", "bypass", "path", "name"), CLAIM_BYPASSES, ids=CLAIM_IDS)
def test_check_claims_says_the_claim_and_field_and_checks_the_others(
    kind: str, bypass: Callable[[Claim], None], path: str, name: str
) -> None:
    claims = _claims()
    good = claims[1]
    good.total_charge = good.total_charge + 1  # a problem of its own, still found
    problems = edi.check_claims([_bad_claim(bypass), good, claims[2]])
    bad = [p for p in problems if "not validated" in p]
    assert len(bad) == 1
    _says(bad[0], path, name)
    assert bad[0].code == "unvalidated"
    own = [p for p in problems if p.startswith("claim PCN2002: ")]
    assert own and own == edi.check_claims([good])
    assert not [p for p in problems if p.startswith("claim PCN2003")]


@pytest.mark.parametrize(("kind", "bypass", "path", "name"), CLAIM_BYPASSES, ids=CLAIM_IDS)
def test_write_837_checked_refuses_with_its_claim_check_error(
    kind: str, bypass: Callable[[Claim], None], path: str, name: str
) -> None:
    claims = _claims()
    with pytest.raises(ClaimCheckError) as caught:
        edi.write_837([_bad_claim(bypass), *claims[1:]])
    assert len(caught.value.problems) == 1
    _says(caught.value.problems[0], path, name)


@pytest.mark.parametrize(("kind", "bypass", "path", "name"), CLAIM_BYPASSES, ids=CLAIM_IDS)
def test_write_837_unchecked_raises_a_write_error(
    kind: str, bypass: Callable[[Claim], None], path: str, name: str
) -> None:
    claims = _claims()
    with pytest.raises(WriteError) as caught:
        edi.write_837([claims[1], _bad_claim(bypass)], check=False)
    # Second among those given.
    _says(str(caught.value).replace("(#2)", "(#1)").replace("#2:", "#1:"), path, name)
    assert "(#2)" in str(caught.value) or "claim #2" in str(caught.value)


@pytest.mark.parametrize("amount", [int, float, bool])
def test_an_amount_copied_in_as_no_decimal_is_said_by_the_checks_and_writer_alike(
    amount: type,
) -> None:
    """`model_copy(update=...)` does not validate: an int charge passed `check_claims` and was
    written `CLM*PCN1001*175.000000` (format's six places), while a float was said not validated.
    An amount is a Decimal once validated; anything else is said not validated, the field named."""
    claim = edi.load_claims(FIXTURES / "837p/subscriber_is_patient.json")[0]
    lines = [
        line.model_copy(
            update={
                "professional": line.professional.model_copy(  # type: ignore[union-attr]
                    update={"charge": amount(line.professional.charge)}  # type: ignore[union-attr]
                )
            }
        )
        for line in claim.lines
    ]
    copied = claim.model_copy(update={"total_charge": amount(claim.total_charge), "lines": lines})
    paths = ["total_charge", "lines[0].professional.charge", "lines[1].professional.charge"]
    (said,) = edi.check_claims([copied])
    assert said.startswith("claim PCN1001 (#1): not validated (made with model_construct")
    assert [p for p in paths if f" {p}: " in said] == paths
    assert [str(p) for p in edi.ClaimChecker().findings(copied)] == [said]
    with pytest.raises(ClaimCheckError) as caught:
        edi.write_837([copied])
    assert caught.value.problems == [said]
    with pytest.raises(WriteError) as unchecked:
        edi.write_837([copied], check=False)
    assert str(unchecked.value) == said


@pytest.mark.parametrize("check", [True, False])
def test_every_claim_at_fault_among_many_is_named(check: bool) -> None:
    claims = [c.model_copy(deep=True) for _ in range(12) for c in _claims()]
    _set(claims[4], "lines", None)
    _set(claims[29].lines[0].professional, "charge", "abc")
    with pytest.raises(ClaimCheckError if check else WriteError) as caught:
        edi.write_837(claims, check=check)
    # (Checked, the copies are claims sent twice too.)
    (first, second) = [p for p in caught.value.problems if "not validated" in p]
    assert first.startswith("claim PCN2002 (#5): not validated") and "): lines: " in first
    assert second.startswith("claim PCN2003 (#30): not validated")
    assert "): lines[0].professional.charge: " in second


def test_model_construct_without_a_required_field() -> None:
    claim = _claims()[0]
    made = Claim.model_construct(**{k: v for k, v in claim.__dict__.items() if k != "lines"})
    (problem,) = edi.check_claims([made])
    _says(problem, "lines", "")
    assert "lines: Field required" in problem
    with pytest.raises(ClaimCheckError, match=r"lines: Field required"):
        edi.write_837([made])
    with pytest.raises(WriteError, match=r"lines: Field required"):
        edi.write_837([made], check=False)


@pytest.mark.parametrize(
    ("part", "path"),
    [
        (lambda c: c, "(the model)"),
        (lambda c: c.header, "header"),
        (lambda c: c.lines[0], "lines[0]"),
    ],
    ids=["claim", "header", "line"],
)
def test_private_attributes_taken_away(part: Callable[[Claim], Any], path: str) -> None:
    claim = _claims()[0].model_copy(deep=True)
    object.__setattr__(part(claim), "__pydantic_private__", None)
    with pytest.raises(ClaimCheckError) as caught:
        edi.write_837([claim])
    (problem,) = caught.value.problems
    assert "(#1): not validated" in problem
    assert f"{path}: its private attributes are not set" in problem


def test_claim_checker_findings_are_about_the_claim() -> None:
    claim = _bad_claim(lambda c: _set(c, "lines", None))
    (finding,) = edi.ClaimChecker().findings(claim)
    assert finding.about is claim and finding.code == "unvalidated" and finding.element is None


@pytest.mark.parametrize("name", ["837p/dependent.x12", "837i/inpatient.x12", "837p/drug.x12"])
def test_a_claim_rebuilt_with_model_construct_writes_as_the_original(name: str) -> None:
    claims = _claims(name)
    rebuilt = [Claim.model_construct(**c.__dict__) for c in claims]
    assert edi.write_837(rebuilt) == edi.write_837(claims)
    assert edi.write_837(rebuilt, check=False) == edi.write_837(claims, check=False)
    assert edi.check_claims(rebuilt) == edi.check_claims(claims)


def test_edis_own_error_is_raised_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise TypeError("a bug of edi's")

    monkeypatch.setattr(claim_checks, "check_claim", broken)
    with pytest.raises(TypeError, match="a bug of edi's"):
        edi.check_claims(_claims())
    with pytest.raises(TypeError, match="a bug of edi's"):
        edi.write_837(_claims())


# -- 835 ---------------------------------------------------------------------------------------------


def _with_services(remits: list[Remittance]) -> Remittance:
    return next(r for r in remits if any(c.services for c in r.claims)).model_copy(deep=True)


def _first_service(remit: Remittance) -> Any:
    return next(c for c in remit.claims if c.services).services[0]


def _service_path(remit: Remittance) -> str:
    n = next(k for k, c in enumerate(remit.claims) if c.services)
    return f"claims[{n}].services[0].adjustments"


# (what is done, the field path said (None: the one of its service), whether an unchecked write
# fails on it: one that writes anyway, such as a payment left out, is written as it is)
REMIT_BYPASSES: list[tuple[str, Callable[[Remittance], None], str | None, bool]] = [
    ("none for a list", lambda r: _set(r, "claims", None), "claims", True),
    ("int in a list", lambda r: _set(r, "claims", [3]), "claims[0]", True),
    ("str for a Decimal", lambda r: _set(r.claims[0], "paid", "abc"), "claims[0].paid", True),
    (
        "int for a str",
        lambda r: _set(r.claims[0], "patient_control_number", 5),
        "claims[0].patient_control_number",
        True,
    ),
    ("three levels deep", lambda r: _set(_first_service(r), "adjustments", None), None, False),
    ("none for a model", lambda r: _set(r, "payment", None), "payment", False),
    (
        "str for a Decimal in a model",
        lambda r: _set(r.payment, "amount", "x"),
        "payment.amount",
        True,
    ),
    ("str for a date", lambda r: _set(r.payment, "date", "x"), "payment.date", True),
    ("an int for a Decimal", lambda r: _set(r.claims[0], "paid", 100), "claims[0].paid", True),
    (
        "a date's valid text in a claim",
        lambda r: _set(r.claims[0], "received_date", "2024-03-05"),
        "claims[0].received_date",
        True,
    ),
    ("str for the envelope", lambda r: _set(r, "envelope", "x"), "envelope", True),
]
REMIT_IDS = [case[0] for case in REMIT_BYPASSES]


def _bad_remit(bypass: Callable[[Remittance], None]) -> tuple[Remittance, str]:
    remit = _with_services(_remittances())
    path = _service_path(remit)
    bypass(remit)
    return remit, path


def _says_835(message: str, path: str, n: int) -> None:
    assert f"(#{n}): not validated" in message or f"835 #{n}: not validated" in message
    assert "model_construct" in message
    assert f"): {path}: " in message or f"; {path}: " in message


@pytest.mark.parametrize(("kind", "bypass", "path", "unchecked"), REMIT_BYPASSES, ids=REMIT_IDS)
def test_check_remittances_says_the_remittance_and_field_and_checks_the_others(
    kind: str, bypass: Callable[[Remittance], None], path: str | None, unchecked: bool
) -> None:
    remits = _remittances()
    bad, service = _bad_remit(bypass)
    good = remits[0]
    good.payment.amount = good.payment.amount + Decimal(1)  # a problem of its own, still found
    problems = edi.check_remittances([bad, good])
    said = [p for p in problems if "not validated" in p]
    assert len(said) == 1
    _says_835(said[0], path or service, 1)
    own = edi.check_remittances([good])
    assert own and [p for p in problems if p not in said] == own


@pytest.mark.parametrize(("kind", "bypass", "path", "unchecked"), REMIT_BYPASSES, ids=REMIT_IDS)
def test_write_835_checked_refuses_with_its_check_error(
    kind: str, bypass: Callable[[Remittance], None], path: str | None, unchecked: bool
) -> None:
    remits = _remittances()
    bad, service = _bad_remit(bypass)
    with pytest.raises(RemittanceCheckError) as caught:
        edi.write_835([remits[0], bad, remits[1]])
    said = [p for p in caught.value.problems if "not validated" in p]
    assert len(said) == 1
    _says_835(said[0], path or service, 2)


@pytest.mark.parametrize(
    ("kind", "bypass", "path", "unchecked"),
    [case for case in REMIT_BYPASSES if case[3]],
    ids=[case[0] for case in REMIT_BYPASSES if case[3]],
)
def test_write_835_unchecked_raises_a_write_error(
    kind: str, bypass: Callable[[Remittance], None], path: str | None, unchecked: bool
) -> None:
    remits = _remittances()
    bad, service = _bad_remit(bypass)
    with pytest.raises(WriteError) as caught:
        edi.write_835([remits[0], bad], check=False)
    _says_835(str(caught.value), path or service, 2)


# The bypasses the balancing rules fail on (they look at amounts and lists, not at ids or dates).
_BALANCED = (
    "none for a list",
    "int in a list",
    "str for a Decimal",
    "str for a Decimal in a model",
)


@pytest.mark.parametrize(
    ("kind", "bypass", "path"),
    [(kind, bypass, path) for kind, bypass, path, _ in REMIT_BYPASSES if kind in _BALANCED],
    ids=_BALANCED,
)
def test_balance_problems_say_the_field(
    kind: str, bypass: Callable[[Remittance], None], path: str
) -> None:
    # A public entry point as the checks are: a TypeError ("'int' object is not iterable") before.
    bad, _ = _bad_remit(bypass)
    (problem,) = edi.balance_problems(bad)
    assert problem.startswith("not validated (made with model_construct")
    assert f"): {path}: " in problem
    ((where, _, about),) = edi.balance_findings(bad)
    assert (where, about) == ("", bad)


def test_remittance_checker_finding_is_about_the_remittance() -> None:
    bad, _ = _bad_remit(lambda r: _set(r, "claims", None))
    (found,) = edi.RemittanceChecker().placed(bad)
    assert found.about is bad and "claims: Input should be a valid list" in found.problem


def test_a_remittance_rebuilt_with_model_construct_writes_as_the_original() -> None:
    remits = _remittances()
    rebuilt = [Remittance.model_construct(**r.__dict__) for r in remits]
    assert edi.write_835(rebuilt, check=False) == edi.write_835(remits, check=False)
    assert edi.check_remittances(rebuilt) == edi.check_remittances(remits)


def test_every_error_is_edis() -> None:
    """None of the bypasses above gives a Python error from any entry point."""
    entries: list[Callable[[Any], object]] = [
        lambda c: edi.check_claims([c]),
        lambda c: edi.write_837([c]),
        lambda c: edi.write_837([c], check=False),
    ]
    for _, bypass, _, _ in CLAIM_BYPASSES:
        for entry in entries:
            try:
                entry(_bad_claim(bypass))
            except EdiError:
                pass
    remit_entries: list[Callable[[Any], object]] = [
        lambda r: edi.check_remittances([r]),
        lambda r: edi.write_835([r]),
        lambda r: edi.write_835([r], check=False),
    ]
    for _, remit_bypass, _, _ in REMIT_BYPASSES:
        for entry in remit_entries:
            try:
                entry(_bad_remit(remit_bypass)[0])
            except EdiError:
                pass


def test_a_claim_copied_without_its_lines_is_refused_for_that() -> None:
    """`model_copy(update=...)` does not validate: a claim copied with no lines was refused only
    for its charge (which a total of 0 made good), and written it could not be read back (a CLM
    without an LX). The guide's minimum of one 2400 is a check of its own."""
    claim = _claims()[0]
    empty = claim.model_copy(update={"lines": [], "total_charge": Decimal(0)})
    assert [str(p) for p in edi.check_claims([empty])] == [
        "claim PCN2001: no service line (loop 2400); an 837P claim has at least 1"
    ]
    with pytest.raises(ClaimCheckError):
        edi.write_837([empty])


def test_a_dict_appended_to_a_list_of_models_is_named_at_its_place() -> None:
    """`claim.codes.append({...})` goes around pydantic (a list changed in place): the problem said
    "codes: a list, where pydantic makes a list of it", naming neither the item nor its model."""
    claim = _claims()[1]
    claim.codes.append({"qualifier": "ABF", "code": "R51"})  # type: ignore[arg-type]
    (problem,) = edi.check_claims([claim])
    assert problem.endswith("): codes[2]: a dict, where pydantic makes a HealthCode of it")
    claim.codes[2] = edi.HealthCode(qualifier="ABF", code="R51")
    assert edi.check_claims([claim]) == []
