"""The fast path (edi.transactions.fast835) gives exactly what the layered path gives.

"Exactly": equal models (field values and the private layout notes that make writing lossless), the
same fields set, the same diagnostics, and the same text when written back. Each input is read twice,
once with the fast path allowed and once with the layered path only.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edi
from edi.transactions import fast835
from tests.helpers import corpus_files
from tests.strategies_835 import remittances

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "835"
CORPUS = [f.path for f in corpus_files() if f.transaction == "835"]
ALL_FILES = sorted(FIXTURES.glob("*.x12")) + CORPUS


def both(source: Any) -> tuple[tuple[list[edi.Remittance], list[str]], ...]:
    out = []
    for fast in (True, False):
        reader = edi.read_remittances(source)
        reader.use_fast_path = fast
        out.append((list(reader), [str(d) for d in reader.diagnostics]))
    return tuple(out)


def assert_same(source: Any) -> list[edi.Remittance]:
    (fast, fast_problems), (slow, slow_problems) = both(source)
    assert fast_problems == slow_problems
    assert fast == slow  # values and private layout notes, recursively
    assert [r.model_dump(exclude_unset=True) for r in fast] == [
        r.model_dump(exclude_unset=True) for r in slow
    ]
    if fast:
        assert edi.write_835(fast) == edi.write_835(slow)
    return fast


def test_fast_path_is_available() -> None:
    assert fast835.fast_reader() is not None


@pytest.mark.parametrize("path", ALL_FILES, ids=[p.name for p in ALL_FILES])
def test_same_models_for_every_fixture_and_corpus_file(path: Path) -> None:
    assert_same(path)
    assert_same(path.read_bytes())


def test_clean_files_take_the_fast_path() -> None:
    data = (FIXTURES / "partly_paid.x12").read_bytes()
    reader = fast835.fast_reader()
    assert reader is not None
    assert len(list(reader.remittances(data))) == 1  # no Bail


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda t: t.replace("~\n", "~\r\n", 3), "line breaks vary"),
        (lambda t: t.replace("SE*41*0001", "SE*40*0001"), "an SE count the layered path reports"),
        (lambda t: t.replace("CLP*PCN2002*1*90*60", "CLP*PCN2002*1*90*6O"), "a bad amount"),
        (lambda t: t.replace("DTM*232*20240221", "DTM*232*20240231"), "a bad date"),
        (lambda t: t.replace("LX*1~\n", ""), "a broken loop structure"),
        (lambda t: "\ufeff" + t, "a byte-order mark"),
    ],
)
def test_anything_unusual_goes_to_the_layered_path(change: Any, why: str) -> None:
    text = change((FIXTURES / "partly_paid.x12").read_text())
    reader = fast835.fast_reader()
    assert reader is not None
    with pytest.raises(fast835.Bail):
        list(reader.remittances(text.encode()))
    assert_same(text.encode())


def test_text_the_values_do_not_reproduce_is_mapped_by_the_codec() -> None:
    """`.50`, an unmapped element, segments out of order: the claim goes through the codec, the file
    stays on the fast path, and the notes that keep writing lossless are the same."""
    text = (FIXTURES / "partly_paid.x12").read_text()
    text = text.replace("CLP*PCN2002*1*90*60*15", "CLP*PCN2002*1*90.0*60*15")
    text = text.replace("CAS*PR*3*15~", "CAS*PR*3*15*~")  # a trailing separator
    text = text.replace("REF*EA*MRN2001~\nDTM*232*20240220~", "DTM*232*20240220~\nREF*EA*MRN2001~")
    text = text.replace("AMT*AU*170.00~", "AMT*AU*170.00*X~")
    remits = assert_same(text.encode())
    assert edi.write_835(remits) == text


def test_a_problem_after_clean_sets_hands_over_midway() -> None:
    text = (FIXTURES / "multiple_sets.x12").read_text()
    text = text.replace("CLP*PCN8003*1*40*20", "CLP*PCN8003*1*40*2O")  # the third set
    (fast, fast_problems), (slow, slow_problems) = both(text.encode())
    assert [r.envelope.set_control_number for r in fast] == ["0001", "0002"]
    assert fast == slow and fast_problems == slow_problems
    assert any("CLP04 is '2O'" in p for p in fast_problems)


def test_a_synthetic_file_with_many_claims(tmp_path: Path) -> None:
    synthetic = pytest.importorskip("bench.synthetic")
    path = tmp_path / "synthetic.835"
    synthetic.write_835(path, claims=600, claims_per_set=250)
    remits = assert_same(path)
    assert [len(r.claims) for r in remits] == [250, 250, 100]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(remittances(with_envelope=False), min_size=1, max_size=2))
def test_same_models_for_random_remittances(remits: list[edi.Remittance]) -> None:
    assert_same(edi.write_835(remits).encode())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(remittances(with_envelope=False), min_size=1, max_size=2)
    | st.lists(remittances(with_envelope=True), min_size=1, max_size=1)
)
def test_valid_canonical_input_stays_on_the_fast_path(remits: list[edi.Remittance]) -> None:
    """What write_835 makes is clean: the fast path reads all of it, without giving up or failing."""
    reader = fast835.fast_reader()
    assert reader is not None
    text = edi.write_835(remits)
    assert len(list(reader.remittances(text.encode()))) == len(remits)


def test_the_collector_is_left_as_found() -> None:
    path = FIXTURES / "paid_in_full.x12"
    assert gc.isenabled()
    list(edi.read_remittances(path))
    assert gc.isenabled()
    gc.disable()
    try:
        list(edi.read_remittances(path))
        assert not gc.isenabled()
    finally:
        gc.enable()
    gc.freeze()  # a caller's own freeze (say, before forking) is never undone
    try:
        frozen = gc.get_freeze_count()
        list(edi.read_remittances(path))
        assert gc.get_freeze_count() == frozen > 0
    finally:
        gc.unfreeze()
