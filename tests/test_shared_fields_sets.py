"""Models read alike share one fields set (`edi.models.base.shared_fields_set`), to save memory; what
changes one model's fields set must leave the others' as they were."""

from __future__ import annotations

import copy
import itertools
import pickle
from decimal import Decimal
from pathlib import Path

import pytest

import edi

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "835"


def _sharing_claims() -> tuple[edi.ClaimPayment, edi.ClaimPayment]:
    remits = list(edi.read_remittances(FIXTURES / "multiple_sets.x12"))
    claims = [claim for remit in remits for claim in remit.claims]
    for a, b in itertools.combinations(claims, 2):
        if a.__pydantic_fields_set__ is b.__pydantic_fields_set__:
            return a, b
    raise AssertionError("no two claims read alike share their fields set")


def test_an_assignment_changes_only_its_own_models_fields_set() -> None:
    a, b = _sharing_claims()
    before = set(b.__pydantic_fields_set__)  # as it is, still shared (model_fields_set unshares)
    a.patient_responsibility = Decimal("5")  # validated, then added to a's fields set
    assert "patient_responsibility" in a.model_fields_set
    assert b.__pydantic_fields_set__ == before
    assert b.model_dump(exclude_unset=True).keys() == before


def test_the_fields_set_handed_out_is_the_models_own() -> None:
    a, b = _sharing_claims()
    before = set(b.__pydantic_fields_set__)  # as it is, still shared (model_fields_set unshares)
    fields_set = a.model_fields_set
    fields_set.add("drg_code")
    assert a.model_fields_set is fields_set  # the same set each time, as pydantic's
    assert "drg_code" in a.model_dump(exclude_unset=True)
    assert b.__pydantic_fields_set__ == before


def test_copies_and_pickles_do_not_share_an_unknown_set() -> None:
    a, b = _sharing_claims()
    before = set(b.__pydantic_fields_set__)  # as it is, still shared (model_fields_set unshares)
    a2, b2 = pickle.loads(pickle.dumps([a, b]))
    assert a2.__pydantic_fields_set__ is not b2.__pydantic_fields_set__
    assert a2 == a and a2.model_fields_set == a.model_fields_set
    a2.model_fields_set.add("drg_code")
    b3 = copy.copy(a)
    b3.drg_code = "470"
    a.model_copy(update={"drg_weight": Decimal("1.5")})
    assert b2.__pydantic_fields_set__ == before
    assert a.__pydantic_fields_set__ == b.__pydantic_fields_set__ == before


def test_the_deprecated_fields_set_name_hands_out_the_models_own_set_too() -> None:
    a, b = _sharing_claims()
    before = set(b.__pydantic_fields_set__)  # as it is, still shared (model_fields_set unshares)
    with pytest.warns(DeprecationWarning, match="model_fields_set"):
        a.__fields_set__.add("drg_code")
    assert "drg_code" in a.model_fields_set
    assert b.__pydantic_fields_set__ == before
