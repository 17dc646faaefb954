"""Bad input never ends in a traceback: damaged copies of the fixtures read into models or diagnostics.

Each example takes a fixture, damages its transaction sets at the segment level (a segment dropped,
duplicated, moved, or an element replaced by junk) and reads it. Reading must not raise; every
diagnostic must say where; what was read is written back, or refused with an EdiError that says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edi

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FILES_835 = sorted((FIXTURES / "835").glob("*.x12"))
FILES_837 = sorted(p for kind in ("837p", "837i", "837d") for p in (FIXTURES / kind).glob("*.x12"))
JUNK = st.sampled_from(
    ["", "X", "-1", "ABC", "99999999999999999999", "2024", "1.2.3", ":", "20241399"]
)


@st.composite
def damaged(draw: st.DrawFn, files: list[Path]) -> str:
    path = draw(st.sampled_from(files))
    lines = [line for line in path.read_text().split("\n") if line]
    body = [i for i, line in enumerate(lines) if not line.startswith(("ISA", "GS", "GE", "IEA"))]
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.sampled_from(body))
        action = draw(st.sampled_from(["drop", "duplicate", "move", "element"]))
        if action == "drop":
            lines[i] = ""
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "move":
            j = draw(st.sampled_from(body))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            elements = lines[i].rstrip("~").split("*")
            k = draw(st.integers(0, max(0, len(elements) - 1)))
            elements[k] = draw(JUNK)
            lines[i] = "*".join(elements) + "~"
    return "\n".join(line for line in lines if line) + "\n"


def _check(reader: object, write: object) -> None:
    models = list(reader)  # type: ignore[call-overload]
    for diag in reader.diagnostics:  # type: ignore[attr-defined]
        assert str(diag)
        assert diag.location is not None or diag.code.startswith(("guide.", "syntax."))
        if diag.location is not None and diag.code.startswith("mapping."):
            assert diag.location.line > 0, str(diag)  # at a segment, not "byte 0"
    if models:
        try:
            write(models)  # type: ignore[operator]
        except edi.EdiError:
            pass  # refused with a reason (e.g. a claim that no longer balances): not a crash


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged(FILES_835))
def test_damaged_835_never_raises(text: str) -> None:
    _check(edi.read_remittances(text), edi.write_835)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged(FILES_837))
def test_damaged_837_never_raises(text: str) -> None:
    _check(edi.read_claims(text), edi.write_837)


def test_duplicated_clm_is_reported_not_raised() -> None:
    """A second CLM right after the first leaves the first claim without lines: that claim is refused
    with a structure diagnostic, the other claims still read."""
    lines = (FIXTURES / "837p" / "cob_secondary.x12").read_text().split("\n")
    at = max(i for i, line in enumerate(lines) if line.startswith("CLM"))
    lines.insert(at + 1, lines[at])
    reader = edi.read_claims("\n".join(lines))
    ids = [claim.patient_control_number for claim in reader]
    assert ids.count(lines[at].split("*")[1]) == 1
    codes = {d.code for d in reader.diagnostics}
    assert "structure.missing_segment" in codes


def test_a_count_with_a_control_character_is_reported_not_raised() -> None:
    """SE01 '\\x1f4': Python's strip() takes \\x1f for white space, int() does not."""
    text = (FIXTURES / "835" / "paid_in_full.x12").read_text()
    se = next(line for line in text.split("\n") if line.startswith("SE*"))
    count = se.split("*")[1]
    reader = edi.read_envelopes(text.replace(se, se.replace(f"SE*{count}*", f"SE*\x1f{count}*")))
    assert [d.code for d in reader.diagnostics] == ["envelope.se01_count"]


def test_numbers_are_ascii_digits_only() -> None:
    """X12 numbers (type R, N0) are ASCII: Unicode digits and a trailing newline are not numbers."""
    text = (FIXTURES / "835" / "paid_in_full.x12").read_text()
    clp = next(line for line in text.split("\n") if line.startswith("CLP*"))
    charge = clp.split("*")[3]
    for bad in ("١٢٠", "120\n", "²"):
        reader = edi.read_remittances(text.replace(clp, clp.replace(f"*{charge}*", f"*{bad}*", 1)))
        (remit,) = reader  # read without that claim, which is listed as not read
        assert remit.claims == [] and len(remit.unread_claims) == 1
        assert "CLP03" in str(reader.diagnostics[0])


def test_segment_without_elements_outside_a_set_is_located() -> None:
    """A bare segment ID (no elements) between GS and ST is still reported with its position."""
    text = (FIXTURES / "837p" / "dependent.x12").read_text().replace("ST*837", "X~\nST*837", 1)
    reader = edi.read_claims(text)
    list(reader)
    (diag,) = [d for d in reader.diagnostics if d.code == "envelope.outside_set"]
    assert diag.location is not None
    assert (diag.location.segment_id, diag.location.line) == ("X", 3)


def _claim_lines(lines: list[str]) -> dict[str, set[int]]:
    """Claim id → the lines (one segment each, as in the fixtures) its data comes from: its set's
    header and SE, the HL levels above it (each its HL up to the next HL or CLM), and its own
    2300 loop (its CLM up to the next CLM, HL or SE). An id used twice depends on every line."""
    deps: dict[str, set[int]] = {}
    header: set[int] = set()
    levels: dict[str, set[int]] = {}  # HL01 → the level's own lines
    parents: dict[str, str] = {}  # HL01 → HL02
    own: set[int] = set()
    level = ""
    in_set: list[tuple[str, str, set[int]]] = []  # (CLM01, HL01 of its level, its own lines)
    for n, line in enumerate(lines):
        elements = line.rstrip("~").split("*")
        seg_id = elements[0]
        if seg_id == "ST":
            header, levels, parents, in_set, level = {n}, {}, {}, [], ""
            own = header
        elif seg_id == "HL":
            level = elements[1]
            parents[level] = elements[2] if len(elements) > 2 else ""
            own = levels.setdefault(level, set())
            own.add(n)
        elif seg_id == "CLM":
            own = {n}
            in_set.append((elements[1] if len(elements) > 1 else "", level, own))
        elif seg_id == "SE":
            for claim_id, at, claim_own in in_set:
                used = header | claim_own | {n}
                seen: set[str] = set()
                while at in levels and at not in seen:  # its level and those above it
                    seen.add(at)
                    used |= levels[at]
                    at = parents[at]
                deps[claim_id] = set(range(len(lines))) if claim_id in deps else used
        elif seg_id not in ("ISA", "GS", "GE", "IEA"):
            own.add(n)
    return deps


@st.composite
def one_segment_changed(draw: st.DrawFn) -> tuple[str, str, int]:
    """A fixture's text, and a copy with one segment of a transaction set dropped, duplicated or
    given another qualifier; the line changed."""
    path = draw(st.sampled_from(FILES_837))
    lines = [line for line in path.read_text().split("\n") if line]
    body = [i for i, line in enumerate(lines) if not line.startswith(("ISA", "GS", "GE", "IEA"))]
    n = draw(st.sampled_from(body))
    changed = list(lines)
    action = draw(st.sampled_from(["drop", "duplicate", "qualifier"]))
    if action == "drop":
        del changed[n]
    elif action == "duplicate":
        changed.insert(n, lines[n])
    else:
        elements = lines[n].rstrip("~").split("*")
        at = 3 if elements[0] == "HL" else 1
        if len(elements) <= at:
            elements += [""] * (at + 1 - len(elements))
        elements[at] = draw(st.sampled_from(["20", "22", "23", "IL", "QC", "PR", "85", "ZZ", ""]))
        changed[n] = "*".join(elements) + "~"
    return "\n".join(lines) + "\n", "\n".join(changed) + "\n", n


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_segment_changed())
def test_a_claim_whose_segments_are_untouched_is_read_as_it_was_or_not_at_all(
    case: tuple[str, str, int],
) -> None:
    """One segment changed costs at most the claims whose data it is part of: every other claim
    is read exactly as from the file before, or skipped (and said); never read with another's
    data (the next billing provider's claim with the first one's NPI, a claim cut short)."""
    text, changed, n = case
    before = {c.patient_control_number: c for c in edi.read_claims(text)}
    deps = _claim_lines(text.split("\n"))
    for claim in edi.read_claims(changed):
        pcn = claim.patient_control_number
        if pcn not in before:  # its CLM01 changed
            assert changed.split("\n")[n].startswith("CLM*")
            continue
        if n not in deps[pcn]:
            assert claim == before[pcn], f"claim {pcn} changed by line {n + 1}"


# -- untrusted input: what a broken or hostile file may hold ------------------------------------------


def _text(name: str) -> str:
    return (FIXTURES / name).read_text()


def test_a_number_of_thousands_of_digits_is_a_problem_not_a_crash() -> None:
    """Python makes no int of text past 4300 digits: an SV107 pointer, an HL01, an 835 LX01 or an
    SE01 of 5,000 digits ended in "a bug in edi" (exit 70), and the sets after it were lost. Now
    each is an invalid value; the message says how many digits there are (quoting 20 of them, or,
    where it is a count, none)."""
    huge = "9" * 5000
    text = _text("837p/subscriber_is_patient.x12").replace("*UN*1***1:2~", f"*UN*1***{huge}~")
    reader = edi.read_claims(text)
    assert [c.id for c in reader] == ["PCN1001", "PCN1002"]
    assert edi.check_claims(list(edi.read_claims(text)))  # said by the checks, as a bad pointer
    text = _text("837p/subscriber_is_patient.x12").replace("HL*2*1*22*0~", f"HL*{huge}*1*22*0~")
    reader = edi.read_claims(text)
    list(reader)
    (hl01,) = [d for d in reader.diagnostics if d.code == "claim.hl_number"]
    assert "HL01 is (5000 characters), expected 2" in hl01.message  # more than a count holds
    text = _text("835/partly_paid.x12").replace("LX*1~", f"LX*{huge}~")
    reader = edi.read_remittances(text)
    assert list(reader) == [] and any(d.code == "mapping.invalid_value" for d in reader.diagnostics)
    text = _text("835/partly_paid.x12")
    se = text[text.index("SE*") : text.index("~", text.index("SE*"))]
    envelopes = edi.read_envelopes(text.replace(se, f"SE*{huge}*0001"))
    (count,) = [d for d in envelopes.diagnostics if d.code == "envelope.se01_count"]
    assert len(count.message) < 200


def test_a_segment_of_more_than_99_elements_costs_its_claim_not_the_file() -> None:
    """A REF of 100 elements: the checks built the reference `REF100`, which the designator parser
    took for a bug ("bad reference designator", exit 2 and the sets after it lost). It is an
    element the loop does not use, said as such."""
    text = _text("837p/subscriber_is_patient.x12")
    ref = "REF*EI*123456789~"
    assert text.count(ref) == 1
    claims = list(edi.read_claims(text.replace(ref, "REF*EI*123456789" + "*X" * 98 + "~")))
    said = edi.check_claims(claims)
    # Said once for the 98 past REF02 (one each had made 98 lines).
    assert any(
        "REF has REF03 to REF100 (98 of them) (text kept from the file read)" in p for p in said
    )


def test_a_long_hl04_or_claim_id_is_not_echoed_whole() -> None:
    """HL04 is one character: a 40-character one (a name, in a hostile file) was quoted whole.
    A CLM01 of 50,000 characters was repeated in every problem of its claim: 131 KB of input
    made 500 MB of output and 1 GB of memory. The id is cut to 20 characters and its length."""
    text = _text("837p/dependent.x12").replace("HL*4*3*23*0~", "HL*4*3*23*TESTPATIENT NAME~")
    reader = edi.read_claims(text)
    list(reader)
    (hl04,) = [d for d in reader.diagnostics if d.code == "claim.hl_child_code"]
    assert "TESTPATIENT" not in hl04.message and "HL04 is 16 characters" in hl04.message
    long_id = "P" * 50_000
    text = _text("837p/subscriber_is_patient.x12").replace("CLM*PCN1001*", f"CLM*{long_id}*")
    said = edi.check_claims(list(edi.read_claims(text)))
    assert said and all(len(p) < 500 for p in said)
    assert said[0].startswith(f"claim {'P' * 20}… (50000 characters): ")


def _refusals() -> list[Exception]:
    """A `ClaimCheckError`, a `RemittanceCheckError` and a `ClaimValidationError`, each raised by
    edi from the fixtures made wrong."""
    found: list[Exception] = []
    (claim, *_) = edi.read_claims(FIXTURES / "837p/subscriber_is_patient.x12")
    claim.total_charge += 1
    (remittance,) = edi.read_remittances(FIXTURES / "835/paid_in_full.x12")
    remittance.payment.amount += 1
    for refuse in (
        lambda: edi.write_837([claim]),
        lambda: edi.write_835([remittance]),
        lambda: edi.load_claims('[{"kind": "professional"}]'),
    ):
        try:
            refuse()
        except edi.EdiError as exc:
            found.append(exc)
    return found


def test_refusals_are_the_same_after_a_pickle() -> None:
    """A refusal pickled (a worker process, a task queue) is made again from its problems: it had
    been made from its message, taken for the list of problems, one character each."""
    import pickle

    refusals = _refusals()
    assert [type(e).__name__ for e in refusals] == [
        "ClaimCheckError",
        "RemittanceCheckError",
        "ClaimValidationError",
    ]
    for exc in refusals:
        again = pickle.loads(pickle.dumps(exc))
        assert type(again) is type(exc)
        assert str(again) == str(exc) and "\n  c\n" not in str(again)
        assert [str(p) for p in again.problems] == [str(p) for p in exc.problems]  # type: ignore[attr-defined]


def test_a_str_with_a_lone_surrogate_is_read_and_written_without_a_traceback() -> None:
    """`"\\ud800"` (JSON allows it; `write_837(check=False)` gave one back) made every reader raise
    UnicodeEncodeError (the JSON fuzz tester). Its three bytes are read as bytes that are no UTF-8,
    and written back as they were."""
    text = (FIXTURES / "837p/replacement_void.x12").read_text()
    text = text.replace("NM1*41*2*EXAMPLE CLINIC*", "NM1*41*2*EXAMPLE \ud800CLINIC*", 1)
    claims = list(edi.read_claims(text))
    assert len(claims) == 2
    assert list(edi.read_remittances(text)) == []  # an 837: no remittance, and no traceback
    assert len(list(edi.read_segments(text))) > 20
    written = edi.write_837(claims, check=False)
    assert written.encode("utf-8", "surrogateescape") == text.encode("utf-8", "surrogatepass")


def test_a_check_errors_message_can_be_printed() -> None:
    """A claim id holding a lone surrogate or a control character made `print(error)` raise
    (UnicodeEncodeError on a UTF-8 stream) or drive the terminal: escaped in the message, kept in
    `problems` (the JSON fuzz tester)."""
    claims = edi.load_claims(FIXTURES / "837p/drug.json")
    claims[0].patient_control_number = "PCN\ud800\x1b"
    with pytest.raises(edi.ClaimCheckError) as caught:
        edi.write_837(claims)
    message = str(caught.value)
    assert "claim PCN\\ud800\\x1b: CLM01" in message
    message.encode("utf-8")  # printable on a strict UTF-8 stream
    assert caught.value.problems[0].startswith("claim PCN\ud800\x1b: CLM01")


def test_a_checked_write_refuses_claims_it_would_not_read_back() -> None:
    """A value given around pydantic that no check foresaw (an empty LIN02 through
    `model_copy(update=...)`, an SV101-01 of None through `model_construct`) passed check_claims,
    and a checked write_837 wrote claims that edi then did not read (the JSON fuzz tester). The
    checked write reads what it wrote back into claims and refuses it, naming the cause."""
    claims = edi.load_claims(FIXTURES / "837p/drug.json")
    line = claims[0].lines[0]
    assert line.drug is not None
    drug = line.drug.model_copy(update={"qualifier": ""})
    claims[0].lines[0] = line.model_copy(update={"drug": drug})
    with pytest.raises(edi.ClaimCheckError) as caught:
        edi.write_837(claims)
    assert caught.value.problems == [
        "claim PCN5001: edi would not read it back from the 837 written: segment 24 LIN (line 26, "
        "loop 2410 "
        "drug, element LIN02): LIN02 (qualifier) is required but missing"
    ]
    assert list(edi.read_claims(edi.write_837(claims, check=False))) == []  # what it kept out
    # A claim lost with its subscriber: the cause is the subscriber's (the second reviewer).
    claims = edi.load_claims(FIXTURES / "837p/subscriber_is_patient.json")
    subscriber = claims[0].subscriber.model_copy(update={"last_name": ""})
    claims[0] = claims[0].model_copy(update={"subscriber": subscriber})
    with pytest.raises(edi.ClaimCheckError) as caught:
        edi.write_837(claims)
    (problem,) = caught.value.problems
    assert problem.startswith("claim PCN1001: edi would not read it back from the 837 written: ")
    assert problem.endswith("NM103 (last name) is required but missing")


def test_the_cause_named_is_the_one_that_loses_the_claim() -> None:
    """A claim with a pointer kept as read (`1:X:2`, flagged, costs nothing) and an empty LIN02
    given around pydantic: the checked write named the pointer (the third reviewer)."""
    text = (FIXTURES / "837p/drug.x12").read_text()
    first = text.index("SV1*")
    end = text.index("~", first)
    sv1 = text[first:end]
    assert sv1.endswith("***1")
    text = text[:first] + sv1[: -len("1")] + "1:X:2" + text[end:]
    hi = text.index("HI*ABK:")
    hi_end = text.index("~", hi)
    text = text[:hi_end] + "*ABF:R51" + text[hi_end:]  # a second diagnosis to point at
    claims = list(edi.read_claims(text))
    assert edi.write_837(claims, check=False) == text
    line = claims[0].lines[0]
    assert line.drug is not None
    claims[0].lines[0] = line.model_copy(
        update={"drug": line.drug.model_copy(update={"qualifier": ""})}
    )
    with pytest.raises(edi.ClaimCheckError) as caught:
        edi.write_837(claims)
    (problem,) = caught.value.problems
    assert problem.endswith("LIN02 (qualifier) is required but missing"), problem
