"""Segment order (SNIP 2): a checked write refuses a loop whose segments or child loops it would write
out of the guide's order (the maps' `pos=`), as read; `check=False` writes them back as read.

The positions expected are the maps' (`../shared/maps`), cited by line; segments and loops of one
position may come in any order among themselves.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest

import edi
from edi.cli_claims import dump
from edi.mapping import _codec
from edi.models import claim, claim_cob, claim_lines, claim_parties, remittance
from edi.models.base import LoopModel
from edi.models.claim_parties import name_loop_of
from edi.transactions.claim837 import ClaimCheckError
from edi.transactions.remit835 import RemittanceCheckError
from tests.helpers import with_edits

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _text(path: str) -> str:
    return (FIXTURES / path).read_text()


def _moved(text: str, segment: str, before: str) -> str:
    """`text` with the first segment that starts with `segment` put just before the nearest segment
    ahead of it that starts with `before`, SE01 counted again."""
    parts = text.split("~")
    at = next(i for i, s in enumerate(parts) if s.strip().startswith(segment))
    to = max(i for i, s in enumerate(parts[:at]) if s.strip().startswith(before))
    lead = re.match(r"\s*", parts[to]).group(0)  # type: ignore[union-attr]
    parts.insert(to, lead + parts.pop(at).strip())
    return with_edits("~".join(parts))


def _inserted(text: str, segment: str, before: str) -> str:
    """`text` with `segment` put before the segment that starts with `before`, SE01 counted again."""
    parts = text.split("~")
    to = [i for i, s in enumerate(parts) if s.strip().startswith(before)]
    assert len(to) == 1, before
    lead = re.match(r"\s*", parts[to[0]]).group(0)  # type: ignore[union-attr]
    parts.insert(to[0], lead + segment)
    return with_edits("~".join(parts))


def _flat(text: str) -> str:
    return re.sub(r"~\s*", "~", text.strip())


# -- the 835 ---------------------------------------------------------------------------------------


def _remits(text: str) -> list[edi.Remittance]:
    reader = edi.read_remittances(text)
    remits = list(reader)
    assert remits and not [d for d in reader.diagnostics if d.severity.name == "ERROR"]
    return remits


def _refused_835(text: str, expected: list[str]) -> None:
    remits = _remits(text)
    assert edi.check_remittances(remits) == expected
    with pytest.raises(RemittanceCheckError) as refused:
        edi.write_835(remits)
    assert expected[0] in str(refused.value)
    # Unchecked, written back as read: nothing lost.
    assert _flat(edi.write_835(remits, check=False)) == _flat(text)


def test_835_claim_segment_before_a_lower_position() -> None:
    # 835 map: 2100 NM1*QC pos=0300 (line 271), DTM*232 pos=0500 (line 407).
    text = _moved(_text("835/paid_in_full.x12"), "DTM*232", "NM1*QC")
    _refused_835(
        text,
        [
            "835 0001 claim PCN1001 (#1): DTM*232 comes before NM1*QC; 005010X221A1 puts NM1 "
            "(position 0300) before DTM (0500) in loop 2100"
        ],
    )


def test_835_service_line_segment_before_a_lower_position() -> None:
    # 835 map: 2110 REF*6R pos=1000 (line 504), AMT*B6 pos=1100 (line 519).
    text = _moved(_text("835/paid_in_full.x12"), "AMT*B6", "REF*6R")
    _refused_835(
        text,
        [
            "835 0001 claim PCN1001 (#1) line 1: AMT*B6 comes before REF*6R; 005010X221A1 puts "
            "REF (position 1000) before AMT (1100) in loop 2110"
        ],
    )


def test_835_payer_segment_moved_past_two_is_said_once() -> None:
    # 835 map: 1000A N3 pos=1000 (line 110), N4 pos=1100 (line 113), PER*BL pos=1300 (line 136).
    text = _moved(_text("835/paid_in_full.x12"), "PER*BL", "N3*")
    _refused_835(
        text,
        [
            "835 0001 payer (1000A): PER*BL comes before N3; 005010X221A1 puts N3 (position 1000) "
            "before PER (1300) in loop 1000A"
        ],
    )


def test_835_segments_of_one_position_in_any_order() -> None:
    # 835 map: 2100 NM1*QC and NM1*TT both pos=0300 (lines 271, 323).
    text = _moved(_text("835/secondary_crossover.x12"), "NM1*TT", "NM1*QC*1*TESTPATIENT*HOTEL")
    # NM1*IL (line 284) before NM1*QC: pos=0300 too.
    text = _moved(text, "NM1*IL", "NM1*QC*1*TESTPATIENT*INDIA")
    remits = _remits(text)
    assert edi.check_remittances(remits) == []
    assert _flat(edi.write_835(remits)) == _flat(text)


def test_835_two_reference_qualifiers_in_any_order() -> None:
    # 835 map: header REF*EV (line 85) and REF*F2 (line 90), both pos=0600.
    text = _inserted(_text("835/partly_paid.x12"), "REF*F2*10", "REF*EV")
    remits = _remits(text)
    assert edi.check_remittances(remits) == []
    assert _flat(edi.write_835(remits)) == _flat(text)


@pytest.mark.parametrize("path", sorted((FIXTURES / "835").glob("*.x12")), ids=lambda p: p.stem)
def test_835_fixtures_stay_clean(path: Path) -> None:
    assert edi.check_remittances(edi.read_remittances(path.read_text())) == []


# -- the 837 ---------------------------------------------------------------------------------------


def _claims(text: str) -> list[edi.Claim]:
    reader = edi.read_claims(text)
    claims = list(reader)
    assert claims and not reader.diagnostics, reader.diagnostics
    return claims


def _refused_837(text: str, expected: list[str]) -> None:
    claims = _claims(text)
    assert edi.check_claims(claims) == expected
    with pytest.raises(ClaimCheckError) as refused:
        edi.write_837(claims)
    assert refused.value.problems == expected
    assert _flat(edi.write_837(claims, check=False)) == _flat(text)


def test_837p_claim_segment_before_a_lower_position() -> None:
    # 837P map: 2300 DTP*431 pos=1350 (line 370), REF*G1 pos=1800 (line 475).
    text = _moved(_text("837p/subscriber_is_patient.x12"), "REF*G1", "DTP*431")
    _refused_837(
        text,
        [
            "claim PCN1001: REF*G1 comes before DTP*431; 005010X222A1 puts DTP (position 1350) "
            "before REF (1800) in loop 2300"
        ],
    )


def test_837p_line_segment_before_a_lower_position() -> None:
    # 837P map: 2400 SV1 pos=3700 (line 1273), DTP*472 pos=4550 (line 1384).
    text = _moved(_text("837p/subscriber_is_patient.x12"), "DTP*472*D8*20240308", "SV1*HC:99395")
    _refused_837(
        text,
        [
            "claim PCN1002: line 1: DTP*472 comes before SV1; 005010X222A1 puts SV1 (position "
            "3700) before DTP (4550) in loop 2400"
        ],
    )


def test_837p_name_loop_of_a_context_model() -> None:
    # 837P map: 2010AA N3 pos=0250 (line 131), N4 pos=0300 (line 134): said for each claim that
    # shares the billing provider, at the billing provider.
    text = _moved(_text("837p/subscriber_is_patient.x12"), "N4*SPRINGFIELD*IL*627040000", "N3")
    said = (
        "billing provider (2010AA): N4 comes before N3; 005010X222A1 puts N3 (position 0250) "
        "before N4 (0300) in loop 2010AA"
    )
    claims = _claims(text)
    _refused_837(text, [f"claim PCN1001: {said}", f"claim PCN1002: {said}"])
    (found,) = edi.ClaimChecker().findings(claims[0])
    assert found.about is claims[0].billing_provider


def test_837p_equal_positions_in_any_order() -> None:
    # 837P map: 2310A (NM1*DN) and 2310B (NM1*82) both pos=2500 (lines 878, 897);
    # 2300 REF*G1 and REF*EA both pos=1800 (lines 475, 510).
    text = _moved(_text("837p/subscriber_is_patient.x12"), "NM1*82", "NM1*DN")
    text = _moved(text, "PRV*PE", "NM1*DN")
    text = _inserted(text, "REF*EA*MRN1001", "REF*G1")
    claims = _claims(text)
    assert edi.check_claims(claims) == []
    assert _flat(edi.write_837(claims)) == _flat(text)


def test_837p_child_loop_before_one_of_a_lower_position() -> None:
    # 837P map: in 2400, LOOP 2420A (its NM1*82 pos=5000, line 1615) before LOOP 2430 (its SVD
    # pos=5400, line 1854). (A 2310x after a 2320 does not read as one: the grammar takes its NM1
    # into the 2320's 2330 loops; nor does an 835 1000B before the 1000A.)
    text = _inserted(
        _text("837p/cob_secondary.x12"), "NM1*82*1*TESTDOCTOR*CHARLIE****XX*1234567893", "LX*2"
    )
    _refused_837(
        text,
        [
            "claim PCN2001: line 1: loop 2430 comes before loop 2420A; 005010X222A1 puts loop "
            "2420A (position 5000) before loop 2430 (5400) in loop 2400"
        ],
    )


def test_837i_claim_segment_before_a_lower_position() -> None:
    # 837I map: 2300 CL1 pos=1400 (line 356), HI pos=2310 (line 460).
    text = _moved(_text("837i/inpatient.x12"), "HI*ABK", "CL1")
    claims = _claims(text)
    found = edi.check_claims(claims)
    assert len(found) == 1 and found[0].endswith(
        "CL1; 005010X223A2 puts CL1 (position 1400) before HI (2310) in loop 2300"
    ), found
    with pytest.raises(ClaimCheckError):
        edi.write_837(claims)
    assert _flat(edi.write_837(claims, check=False)) == _flat(text)


def test_837d_line_segment_before_a_lower_position() -> None:
    # 837D map: 2400 SV3 pos=3800 (line 850), DTP*472 pos=4550 (line 888).
    text = _moved(_text("837d/restorative.x12"), "DTP*472", "SV3")
    claims = _claims(text)
    found = edi.check_claims(claims)
    assert len(found) == 1 and found[0].endswith(
        "line 1: DTP*472 comes before SV3; 005010X224A2 puts SV3 (position 3800) before DTP "
        "(4550) in loop 2400"
    ), found
    with pytest.raises(ClaimCheckError):
        edi.write_837(claims)
    assert _flat(edi.write_837(claims, check=False)) == _flat(text)


_CLAIM_FILES = sorted(
    [*(FIXTURES / p for p in ("837p", "837i", "837d")), Path(__file__).parent / "rich"],
)


@pytest.mark.parametrize(
    "path",
    [f for d in _CLAIM_FILES for f in sorted(d.glob("*.x12"))],
    ids=lambda p: f"{p.parent.name}/{p.stem}",
)
def test_837_fixtures_stay_clean(path: Path) -> None:
    assert edi.check_claims(list(edi.read_claims(path.read_text()))) == []


# -- why only loops read out of order are looked at ------------------------------------------------


def _loop_models() -> list[type[LoopModel]]:
    found: set[type[LoopModel]] = set()
    for module in (remittance, claim, claim_parties, claim_cob, claim_lines):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, LoopModel) and cls.__module__ == module.__name__:
                found.add(cls)
    return sorted(found, key=lambda cls: cls.__name__)


@pytest.mark.parametrize("model", _loop_models(), ids=lambda cls: cls.__name__)
def test_model_slots_are_in_guide_order(model: type[LoopModel]) -> None:
    """A model writes its slots in their order unless it keeps an order read: that order is the
    guide's in every guide the model is in, so a model made in code or read in order is never
    written out of order (and `segment_order` looks only at loops read out of their slots' order)."""
    from edi.transactions.segment_order import GUIDES, _child_position, _positions

    kinds = ["835"] if model.__module__.endswith("remittance") else list(GUIDES)[1:]
    for kind in kinds:
        table = _positions(kind, model.loop_id) or _positions(kind, model.loop_id + "A")
        if table is None:  # a loop the guide does not have (the 837D's 2410 and 2440)
            continue
        merged = name_loop_of(model)
        inner = _positions(kind, merged.loop_id) if merged is not None else None
        placed: list[tuple[int, str | None, int, str]] = []
        for slot in _codec(model).slots:
            loop_id = getattr(slot, "loop_id", None)
            if loop_id is not None:
                found = _child_position(table, loop_id)
                if found is not None:
                    placed.append((found[0], None, 0, slot.key))
                continue
            seg_id = slot.seg_id  # type: ignore[attr-defined]
            if merged is not None and inner is not None and seg_id in inner:
                placed.append((table[merged.loop_id], merged.loop_id, inner[seg_id], slot.key))
            elif seg_id in table:
                placed.append((table[seg_id], None, 0, slot.key))
        for a, b in zip(placed, placed[1:], strict=False):
            assert a[0] <= b[0], (kind, a, b)
            if a[0] == b[0] and a[1] is not None and a[1] == b[1]:
                assert a[2] <= b[2], (kind, a, b)


# Segments and loops of one position that a model writes in another order than a guide lists them
# (`LISTED`), because the guides list them in different orders: (guide, loop, slot written first,
# slot the guide lists first). Claim REF*F8: the 837D lists it before REF*9F and REF*G1 (837D map
# line 372), the 837P and 837I after them (837P line 480, 837I 397). DTP*096: the 837P lists it
# after DTP*435 (837P lines 414, 418), the 837I before DTP*434 and DTP*435 (837I lines 340-348).
# AMT*A8: the 837P lists it before AMT*EAF (837P lines 1066, 1070), the 837I and 837D after (837I
# 1739, 1743; 837D 609, 613).
_GUIDES_DISAGREE = {
    ("professional", "2300", "REF*F8", "REF*9F"),
    ("professional", "2300", "REF*F8", "REF*G1"),
    ("institutional", "2300", "REF*F8", "REF*9F"),
    ("institutional", "2300", "REF*F8", "REF*G1"),
    ("institutional", "2300", "DTP*434", "DTP*096"),
    ("institutional", "2300", "DTP*435", "DTP*096"),
    ("institutional", "2320", "AMT*A8", "AMT*EAF"),
    ("dental", "2320", "AMT*A8", "AMT*EAF"),
}


def _listed(guide: str, loop: str) -> list[list[tuple[str, str, int, frozenset[str] | None]]]:
    """The groups of one position in a loop, each as the guide lists them: (ID, kind, qualifier
    element, its codes) for a segment, (loop ID, "loop", 0, None) for a child loop."""
    from edi.models.base import split_ref
    from edi.transactions.segment_positions import LISTED

    groups = []
    for group in LISTED[guide].get(loop, ()):
        items: list[tuple[str, str, int, frozenset[str] | None]] = []
        for word in group.split():
            if word[0].isdigit():
                items.append((word, "loop", 0, None))
            elif "=" in word:
                ref, codes = word.split("=")
                seg_id, element, _ = split_ref(ref)
                items.append((seg_id, "segment", element, frozenset(codes.split("/"))))
            else:
                items.append((word, "segment", 0, None))
        groups.append(items)
    return groups


def _listing_mismatches(model: type[LoopModel], guide: str, loop: str) -> set[tuple[str, ...]]:
    """(guide, loop, slot, slot) for each two slots of a model that take segments or loops of one
    position in `loop`, the second of which `guide` lists before all those of the first. A slot of
    any qualifier (`references`) takes those no other slot of its ID has."""
    from edi.mapping import _ChildSlot, _ComputedSlot, _CustomSlot

    codec = _codec(model)
    merged = name_loop_of(model)
    slots: list[tuple[str, str, tuple[str, ...] | None, int, tuple[str, ...]]] = []
    named = False
    for slot in codec.slots:
        if isinstance(slot, _ComputedSlot):
            continue
        if isinstance(slot, (_ChildSlot, _CustomSlot)):
            ids = tuple(key for key, s in codec.by_loop.items() if s is slot)
            slots.append((slot.key, "loop", None, 0, ids))
            continue
        seg_id = slot.seg_id  # type: ignore[attr-defined]
        in_name_loop = merged is not None and seg_id not in merged.hl_segments
        if in_name_loop != (merged is not None and loop == merged.loop_id):
            if in_name_loop and not named:  # the name loop, a child loop of the HL loop
                slots.append((merged.loop_id, "loop", None, 0, (merged.loop_id,)))  # type: ignore[union-attr]
                named = True
            continue
        quals = getattr(slot, "quals", None)
        slots.append((slot.key, "segment", quals, getattr(slot, "qual_at", 1), (seg_id,)))
    claimed = {ident for key, kind, _, _, ids in slots if kind == "loop" for ident in ids}
    qualified: dict[str, set[str]] = {}
    for _, kind, quals, _, ids in slots:
        if kind == "segment" and quals is not None:
            qualified.setdefault(ids[0], set()).update(quals)
    found: set[tuple[str, ...]] = set()
    for group in _listed(guide, loop):
        placed = []
        for key, kind, quals, at, ids in slots:
            listed = []
            for i, (ident, what, element, codes) in enumerate(group):
                if what != kind:
                    continue
                if kind == "loop":
                    lettered = ident[:-1] in ids and ident[-1].isalpha() and ident not in claimed
                    if ident in ids or lettered:
                        listed.append(i)
                elif ident == ids[0]:
                    if codes is None or element != at:
                        listed.append(i)
                    elif quals is not None and codes & set(quals):
                        listed.append(i)
                    elif quals is None and codes - qualified.get(ident, set()):
                        listed.append(i)
            if listed:
                placed.append((key, listed))
        for n, (first, a) in enumerate(placed):
            for second, b in placed[n + 1 :]:
                if max(b) < min(a):
                    found.add((guide, loop, first, second))
    return found


@pytest.mark.parametrize("model", _loop_models(), ids=lambda cls: cls.__name__)
def test_model_slots_of_one_position_are_in_listing_order(model: type[LoopModel]) -> None:
    """Segments and loops of one position may come in any order, but a model made in code or from
    JSON writes them in the order its guides list them (the maps' order, `LISTED`), so a file in
    that order is written back the same from JSON: REF*NF before REF*EI in 2010AC (837P map lines
    212, 217), not the other way round. Where the guides list them in different orders
    (`_GUIDES_DISAGREE`), the model follows one of them."""
    from edi.models.claim_parties import PROVIDER_LOOP_IDS
    from edi.transactions.segment_order import GUIDES

    kinds = ["835"] if model.__module__.endswith("remittance") else list(GUIDES)[1:]
    loops = [model.loop_id]
    if model.loop_id in PROVIDER_LOOP_IDS:
        loops = [
            loop for loop in PROVIDER_LOOP_IDS[model.loop_id] if loop not in ("2330A", "2330B")
        ]
    found: set[tuple[str, ...]] = set()
    for kind in kinds:
        for loop in loops:
            found |= _listing_mismatches(model, kind, loop)
            merged = name_loop_of(model)
            if merged is not None:
                found |= _listing_mismatches(model, kind, merged.loop_id)
    assert found - _GUIDES_DISAGREE == set()


def test_guides_that_disagree_are_still_so() -> None:
    from edi.models.claim import Claim
    from edi.models.claim_cob import PriorPayer

    found = set()
    for kind in ("professional", "institutional", "dental"):
        found |= _listing_mismatches(Claim, kind, "2300") | _listing_mismatches(
            PriorPayer, kind, "2320"
        )
    assert found == _GUIDES_DISAGREE


def test_references_of_one_position_written_from_code_in_listing_order() -> None:
    """Made in code, a claim writes REF*EI after REF*NF in 2010AC (837P map lines 212, 217),
    REF*F8 after the other REFs of 2330B (1150-1170), REF*9F before REF*G1 (470, 475) and REF*D9
    before REF*EA (505, 510) in 2300."""
    from edi.models.claim_parties import PayToPlan
    from edi.models.common import Reference

    (claim,) = edi.load_claims(
        json.dumps(dump(list(edi.read_claims(_text("../tests/rich/837p.x12")))[0]))
    )
    claim.billing_provider.pay_to_plan = PayToPlan(
        name="PLAN",
        id="PLAN01",
        tax_id="987654321",
        references=[Reference(qualifier="NF", value="1")],
    )
    claim.referral_number, claim.prior_authorization = "REF9F", "REFG1"
    claim.clearinghouse_claim_id, claim.medical_record_number = "REFD9", "REFEA"
    claim.references = []
    other_payer = claim.prior_payers[0].other_payer
    other_payer.claim_control_number = "ICN1"
    other_payer.references = [Reference(qualifier="G1", value="AUTH1")]
    refs = [s for s in _flat(edi.write_837([claim], check=False)).split("~") if s.startswith("REF")]

    def before(a: str, b: str) -> bool:
        return refs.index(a) < refs.index(b)

    assert before("REF*NF*1", "REF*EI*987654321")
    assert before("REF*9F*REF9F", "REF*G1*REFG1") and before("REF*D9*REFD9", "REF*EA*REFEA")
    assert before("REF*G1*AUTH1", "REF*F8*ICN1")


def _pay_to_plan_case() -> str:
    """The tester's 837P: its 2010AC with REF*NF then REF*EI, as the guide lists them."""
    return _text("../tests/rich/837p.x12").replace("REF*2U*PAYTOSEC1", "REF*NF*NAIC1")


def test_pay_to_plan_references_survive_json() -> None:
    """Read → `edi claims --format json` → `edi build`: the 2010AC's REF*NF and REF*EI come back in
    the order read, which is the 837P's listing (map lines 212, 217)."""
    text = _pay_to_plan_case()
    claims = list(edi.read_claims(text))
    loaded = edi.load_claims(json.dumps([dump(claim) for claim in claims]))
    written = _flat(edi.write_837(loaded, check=False))

    def pay_to_plan(flat: str) -> list[str]:
        segments = flat.split("~")
        at = next(i for i, s in enumerate(segments) if s.startswith("NM1*PE*"))
        end = next(
            i for i in range(at + 1, len(segments)) if segments[i].startswith(("HL*", "NM1*"))
        )
        return segments[at:end]

    assert pay_to_plan(written) == pay_to_plan(_flat(text))
    assert pay_to_plan(written)[-2:] == ["REF*NF*NAIC1", "REF*EI*987654321"]


# -- what the writer writes now, not what was read -------------------------------------------------


def test_the_set_s_own_segments_are_said_with_their_table() -> None:
    # 835 map: the header table's TRN pos=0400 (line 63), DTM*405 pos=0700 (line 82).
    text = _moved(_text("835/ts3_ts2.x12"), "DTM*405", "TRN*1")
    _refused_835(
        text,
        [
            "835 0001: DTM*405 comes before TRN*1; 005010X221A1 puts TRN (header table, position "
            "0400) before DTM (header table, position 0700) in the transaction set (ST)"
        ],
    )


def test_a_claim_given_another_line_after_a_shuffled_read_is_judged_as_written() -> None:
    """The claim's 2400 loops are the writer's: with a line added in code, the order read no longer
    fits and the claim is written in the guide's order, which the check refused as read."""
    text = _moved(_text("837p/several_providers.x12"), "HI*ABK:K359", "DTP*435")
    claim = list(edi.read_claims(text))[1]
    assert [p.split(";")[0] for p in edi.check_claims([claim])] == [
        "claim PCN3002: HI*ABK comes before DTP*435"
    ]
    claim.lines = [*claim.lines, claim.lines[0].model_copy(deep=True)]
    claim.total_charge = sum((line.charge for line in claim.lines), start=claim.total_charge * 0)
    assert edi.check_claims([claim]) == []
    written = _flat(edi.write_837([claim]))
    assert written.index("DTP*435*") < written.index("HI*ABK:K359")


def test_remittance_regrouped_after_a_shuffled_read_is_judged_as_written() -> None:
    """The 835's 2000 loops (LX) are the writer's: its claims put under one LX, the set no longer
    fits the order read and is written in the guide's order."""
    text = _moved(_text("835/ts3_ts2.x12"), "DTM*405", "TRN*1")
    (remit,) = _remits(text)
    for payment in remit.claims:
        payment.header_number = 1
    remit.header_numbers = remit.header_numbers[:1]
    assert not [p for p in edi.check_remittances([remit]) if "comes before" in p]
    written = _flat(edi.write_835([remit], check=False))
    assert written.index("TRN*1*") < written.index("DTM*405*")


def test_claims_read_out_of_order_are_still_checked_in_another_process(tmp_path: Path) -> None:
    """Pickled to another process (multiprocessing), claims read out of order kept their order
    but lost the check: only reading told the process that some model was read so."""
    import pickle
    import subprocess
    import sys

    text = _moved(_text("837p/several_providers.x12"), "N4*SPRINGFIELD", "N3*200 OAK AVE")
    pickled = tmp_path / "claims.pkl"
    pickled.write_bytes(pickle.dumps(list(edi.read_claims(text))))
    script = (
        "import pickle, sys, edi\n"
        f"claims = pickle.loads(open({str(pickled)!r}, 'rb').read())\n"
        "print(edi.check_claims(claims)[0])\n"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=root, check=True
    )
    assert done.stdout.startswith(
        "claim PCN3001: billing provider (2010AA): N4 comes before N3; 005010X222A1 puts N3"
    )


# -- made in code or from JSON: segments of one position in the listing of the claim's kind --------
#
# A list of any qualifier (`Claim.references`, a list of REF) holds qualifiers the guides list on both
# sides of separate fields (837P 2300: REF*4N before REF*9F, REF*P4 after REF*EA), and the guides list
# some segments of one position in different orders (DTP*096, AMT*A8): no slot order fits. So the
# writer puts each run of segments of one position of a model not read in the order the guide of the
# claim's kind lists them (`mapping._listed_items`); a model read keeps the order read.

_RICH = sorted((Path(__file__).parent / "rich").glob("*.x12"))


@pytest.mark.parametrize("path", _RICH, ids=lambda p: p.stem)
def test_a_file_in_listing_order_survives_json(path: Path) -> None:
    """Read → `edi claims --format json` (or the remittance JSON) → load → write: the same segments
    in the same order, the guide's listing (837P 2300 REF*4N/F5/EW before REF*9F/G1, REF*P4/1J after
    REF*D9/EA, 2400 REF*6R between REF*G1 and REF*EW; 837I 2300 DTP*096 before DTP*434, REF*4N before
    REF*9F, REF*D9 before REF*LU; 2320 AMT*EAF before AMT*A8)."""
    text = path.read_text()
    if path.stem.startswith("835"):
        remits = _remits(text)
        loaded = edi.load_remittances([r.model_dump(mode="json") for r in remits])
        written = edi.write_835(loaded, check=False)
    else:
        claims = _claims(text)
        loaded = edi.load_claims(json.dumps([dump(claim) for claim in claims]))
        written = edi.write_837(loaded, check=False)
    assert _flat(written) == _flat(text)


def _segments(text: str, *prefixes: str, claim: str | None = None) -> list[str]:
    """The segments of `text` that start with one of `prefixes`; of one claim (its CLM01) only
    when `claim` is given."""
    segments = _flat(text).split("~")
    if claim is not None:
        at = segments.index(next(s for s in segments if s.startswith(f"CLM*{claim}*")))
        end = next(
            (i for i in range(at + 1, len(segments)) if segments[i][:3] in ("CLM", "HL*", "SE*")),
            len(segments),
        )
        segments = segments[at:end]
    return [s for s in segments if s.startswith(prefixes)]


def _made_in_code(case: str, n: int = 0, **changes: object) -> edi.Claim:
    """Claim `n` of a fixture's JSON, made again in code with `changes`."""
    (claim,) = edi.load_claims(FIXTURES / f"{case}.json")[n : n + 1]
    fields = {name: getattr(claim, name) for name in type(claim).model_fields}
    return edi.Claim(**{**fields, **changes})


def test_references_of_any_qualifier_written_from_code_in_listing_order() -> None:
    """837P map 2300 REF*4N (line 455), REF*9F (470), REF*G1 (475), REF*EA (510), REF*P4 (515), all
    pos=1800: a claim made in code with REF*P4 and REF*4N in `references` writes REF*4N before its
    `referral_number` (REF*9F) and REF*P4 after its `medical_record_number` (REF*EA), where its
    slots put the list after REF*9F and REF*G1. A qualifier the guide does not list there (REF*ZZ)
    keeps its place among the others of the list, after those listed. Line: REF*9B (map line
    1480), REF*6R (1495), REF*EW (1500), pos=4700."""
    from edi.models.common import PayerReference, Reference

    claim = _made_in_code(
        "837p/subscriber_is_patient",
        references=[
            Reference(qualifier="P4", value="DEMO1"),
            Reference(qualifier="ZZ", value="OTHER1"),
            Reference(qualifier="4N", value="1"),
        ],
        referral_number="REF9F",
        prior_authorization="REFG1",
        medical_record_number="REFEA",
    )
    line = claim.lines[0]
    claim.lines[0] = line.model_copy(
        update={
            "control_number": "LINE1",
            "references": [
                PayerReference(qualifier="EW", value="MAMMO1"),
                PayerReference(qualifier="9B", value="REPR1"),
            ],
        }
    )
    written = edi.write_837([claim], check=False)
    assert _segments(written, "REF*", claim="PCN1001") == [
        "REF*4N*1",
        "REF*9F*REF9F",
        "REF*G1*REFG1",
        "REF*EA*REFEA",
        "REF*P4*DEMO1",
        "REF*ZZ*OTHER1",
        "REF*9B*REPR1",
        "REF*6R*LINE1",
        "REF*EW*MAMMO1",
        "REF*6R*L1001B",
    ]
    # Read back, each field has its own again; the list is in the order written.
    (back,) = edi.read_claims(written)
    assert [r.qualifier for r in back.references] == ["4N", "P4", "ZZ"]
    assert back.referral_number == "REF9F" and back.medical_record_number == "REFEA"


def test_a_claim_read_keeps_the_order_read() -> None:
    """Read, a claim is written back as read, in or out of the listing's order, whether it keeps a
    layout (PCN1001: REF*P4 of `references` before REF*G1, out of its slots' order) or not
    (PCN1002: REF*9F before REF*4N, its slots' order); from JSON, each is written in the 837P's
    listing order (map lines 455-515)."""
    from edi.mapping import keeps_layout

    text = _inserted(_text("837p/subscriber_is_patient.x12"), "REF*P4*DEMO1", "REF*G1*AUTH1001")
    text = _inserted(text, "REF*9F*REF9F", "HI*ABK:Z0000")
    text = _inserted(text, "REF*4N*1", "HI*ABK:Z0000")
    claims = _claims(text)
    assert [keeps_layout(claim) for claim in claims] == [True, False]
    written = edi.write_837(claims, check=False)
    assert _flat(written) == _flat(text)
    assert _segments(written, "REF*", claim="PCN1001") == [
        "REF*P4*DEMO1",
        "REF*G1*AUTH1001",
        "REF*6R*L1001A",
        "REF*6R*L1001B",
    ]
    assert _segments(written, "REF*", claim="PCN1002") == [
        "REF*9F*REF9F",
        "REF*4N*1",
        "REF*6R*L1002A",
    ]
    loaded = edi.load_claims(json.dumps([dump(claim) for claim in claims]))
    from_json = edi.write_837(loaded, check=False)
    assert _segments(from_json, "REF*", claim="PCN1001")[:2] == ["REF*G1*AUTH1001", "REF*P4*DEMO1"]
    assert _segments(from_json, "REF*", claim="PCN1002")[:2] == ["REF*4N*1", "REF*9F*REF9F"]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # 837P map: DTP*435 (line 414) before DTP*096 (418), both D8, pos=1350.
        ("837p/subscriber_is_patient", ["DTP*435*D8*20240201", "DTP*096*D8*20240203"]),
        # 837I map: DTP*096 (line 340, TM) before DTP*434 (344) and DTP*435 (348, DT), pos=1350.
        ("837i/replacement_void", ["DTP*096*TM*1400", "DTP*435*DT*202402010830"]),
    ],
)
def test_dates_the_guides_list_in_other_orders_are_written_per_kind(
    case: str, expected: list[str]
) -> None:
    (admission, discharge) = (s.split("*") for s in sorted(expected, key=lambda s: "096" in s))
    claim = _made_in_code(
        case,
        admission_format=admission[2],
        admission=admission[3],
        discharge_format=discharge[2],
        discharge=discharge[3],
    )
    written = edi.write_837([claim], check=False)
    assert _segments(written, "DTP*435", "DTP*096") == expected
    assert edi.check_claims(list(edi.read_claims(written))) == []


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # 837P map: AMT*A8 (line 1066) before AMT*EAF (1070), pos=3000.
        ("837p/cob_secondary", ["AMT*A8*10", "AMT*EAF*20"]),
        # 837I map: AMT*EAF (line 1739) before AMT*A8 (1743), pos=3000.
        ("837i/cob_secondary", ["AMT*EAF*20", "AMT*A8*10"]),
    ],
)
def test_prior_payer_amounts_the_guides_list_in_other_orders_are_written_per_kind(
    case: str, expected: list[str]
) -> None:
    from decimal import Decimal

    claim = _made_in_code(case)
    payer = claim.prior_payers[0].model_copy(
        update={"non_covered": Decimal(10), "remaining_patient_liability": Decimal(20)}
    )
    claim.prior_payers = [payer, *claim.prior_payers[1:]]
    written = edi.write_837([claim], check=False)
    assert _segments(written, "AMT*A8", "AMT*EAF")[:2] == expected


def test_835_service_references_from_json_in_listing_order() -> None:
    """835 map 2110 REF*1S/APC/.../LU/RB (line 490), REF*6R (504), REF*0B/.../HPI/... (509), all
    pos=1000: from JSON, a service's `references` with REF*HPI and REF*LU and its
    `line_control_number` (REF*6R) are written LU, 6R, HPI; read, as read."""
    from edi.models.common import Reference

    text = _text("835/paid_in_full.x12")
    (remit,) = _remits(text)
    (loaded,) = edi.load_remittances([remit.model_dump(mode="json")])
    service = loaded.claims[0].services[0]
    assert service.line_control_number == "LINE1001"
    service.references = [
        Reference(qualifier="HPI", value="1234567893"),
        Reference(qualifier="LU", value="11"),
    ]
    written = edi.write_835([loaded], check=False)
    assert _segments(written, "REF*")[-3:] == ["REF*LU*11", "REF*6R*LINE1001", "REF*HPI*1234567893"]
    assert _flat(edi.write_835([remit], check=False)) == _flat(text)


def test_a_segment_out_of_place_is_named_by_its_qualifier_only_when_it_looks_like_one() -> None:
    # A REF read with its separator lost (`REF*SY123456789`: a social security number) or its
    # elements swapped holds data where the qualifier goes: the problem names the segment, never
    # the value (it said "REF*SY123456789 comes before N3").
    text = _inserted(_text("837p/subscriber_is_patient.x12"), "REF*SY123456789", "N3*10 ELM ST")
    problems = [str(p) for p in edi.check_claims(list(edi.read_claims(text)))]
    assert (
        "claim PCN1001: subscriber (2010BA): REF comes before N3; 005010X222A1 puts N3 "
        "(position 0250) before REF (0350) in loop 2010BA"
    ) in problems
    assert not [p for p in problems if "123456789" in p]
    text = _inserted(_text("835/paid_in_full.x12"), "REF*123456789*1W", "NM1*QC")
    problems = edi.check_remittances(list(edi.read_remittances(text)))
    assert (
        "835 0001 claim PCN1001 (#1): REF comes before NM1*QC; 005010X221A1 puts NM1 (position "
        "0300) before REF (0400) in loop 2100"
    ) in problems
    assert not [p for p in problems if "123456789" in p]


def test_an_837d_claim_from_code_writes_its_predetermination_id_first() -> None:
    # x12-notes §5: the 837D claim REFs are G3 (predetermination id), 4N, F8, 9F, G1, 9A, 9C, D9,
    # all at one position (837D map pos=1800; the map has P4 where §5 has G3). G3 was written last.
    claim = edi.load_claims(FIXTURES / "837d/restorative.json")[0]
    claim.prior_authorization = "AUTH1"
    claim.predetermination_id = "PREDET1"
    claim.referral_number = "REF9F1"
    written = [s.strip() for s in edi.write_837([claim]).split("~") if s.strip().startswith("REF")]
    assert written[1:4] == ["REF*G3*PREDET1", "REF*9F*REF9F1", "REF*G1*AUTH1"]  # after 2010AA EI
