"""Bad input never ends in a traceback: damaged copies of the fixtures read into models or diagnostics.

Each example takes a fixture, damages its transaction sets at the segment level (a segment dropped,
duplicated, moved, or an element replaced by junk) and reads it. Reading must not raise; every
diagnostic must say where; what was read is written back, or refused with an EdiError that says why.
"""

from __future__ import annotations

from pathlib import Path

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
        assert list(reader) == []
        assert "CLP03" in str(reader.diagnostics[0])


def test_segment_without_elements_outside_a_set_is_located() -> None:
    """A bare segment ID (no elements) between GS and ST is still reported with its position."""
    text = (FIXTURES / "837p" / "dependent.x12").read_text().replace("ST*837", "X~\nST*837", 1)
    reader = edi.read_claims(text)
    list(reader)
    (diag,) = [d for d in reader.diagnostics if d.code == "envelope.outside_set"]
    assert diag.location is not None
    assert (diag.location.segment_id, diag.location.line) == ("X", 3)
