"""The work the 837 checks remember across claims gives what working it out for each claim gives.

`claim_checks` keeps what depends only on the claim kind and a few values, not on the claim: the HI
segments the writer makes of a sequence of code qualifiers (`_hi_segment_counts`). These tests
work it out again for each claim, with the cache emptied, on random sequences (valid or not, with
qualifiers of other kinds and ones of no kind), and ask for the same answer and the same problems.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi.mapping import segment_groups
from edi.models.claim import Claim, HealthCode
from edi.transactions import claim_checks
from edi.transactions.claim_checks import _HI_OF_QUALIFIER, _hi_segment_counts, check_claim
from tests.strategies_837 import claim_lists

# The qualifiers of every kind's HI segments, and some that are no HI qualifier of any.
_QUALIFIERS = sorted({q for table in _HI_OF_QUALIFIER.values() for q in table}) + ["ZZ", "I10"]


@st.composite
def claims_with_codes(draw: st.DrawFn) -> list[Claim]:
    """A claim of a kind drawn, with codes of a sequence of qualifiers drawn. (One claim an example:
    three whole claims made each example exceed what Hypothesis lets one example draw.)"""
    qualifiers = draw(st.lists(st.sampled_from(_QUALIFIERS), max_size=40))
    kind = draw(st.sampled_from(("professional", "institutional", "dental")))
    claim = draw(claim_lists(kind))[0]
    claim.codes = [HealthCode(qualifier=q, code="A01") for q in qualifiers]
    return [claim]


def _worked_out(claim: Claim) -> Counter[object]:
    of_qualifier = _HI_OF_QUALIFIER[claim.kind]
    return Counter(of_qualifier.get(run[0].qualifier) for run in segment_groups(claim, "codes"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims_with_codes())
def test_the_hi_segments_remembered_are_those_of_each_claim(claims: list[Claim]) -> None:
    for claim in claims:
        if claim.kind not in _HI_OF_QUALIFIER:
            continue
        remembered, as_read = _hi_segment_counts(claim)
        assert remembered == _worked_out(claim)
        assert not as_read  # made here: no HI segments read to keep
        problems = check_claim(claim)
        claim_checks._HI_COUNTS.clear()
        assert check_claim(claim) == problems  # worked out afresh: the same problems
        assert _hi_segment_counts(claim) == (remembered, False)
