"""Files whose interchanges use different delimiters: each interchange is written back with its own.

tests/mixed_delimiters holds two hand-made, PHI-free files: the first interchange of each is
fixtures/835/paid_in_full.x12 (fixtures/837p/dependent.x12), `* ^ :` and `~` with LF after each
segment; the second fixtures/835/partly_paid.x12 (fixtures/837p/drug.x12) written with `| } >` and
`'` with CR LF (the 835 ending without its last CR LF, and its set numbered 0002).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import edi
from edi.x12.reader import read_segments

HERE = Path(__file__).resolve().parent / "mixed_delimiters"
FILE_835 = HERE / "two_interchanges_835.x12"
FILE_837 = HERE / "two_interchanges_837.x12"
STARS = edi.Delimiters("*", "^", ":", "~", "\n")
PIPES = edi.Delimiters("|", "}", ">", "'", "\r\n")


def remits() -> list[edi.Remittance]:
    return list(edi.read_remittances(FILE_835))


def claims() -> list[edi.Claim]:
    return list(edi.read_claims(FILE_837))


def interchange_delimiters(text: str) -> list[edi.Delimiters]:
    """The delimiters of each interchange of `text`, as its ISA announces them."""
    return [s.delimiters for s in read_segments(text) if s.id == "ISA"]


@pytest.mark.parametrize("path", [FILE_835, FILE_837], ids=["835", "837"])
def test_the_fixtures_have_two_interchanges_with_their_own_delimiters(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    delimiters = interchange_delimiters(text)
    assert delimiters == [STARS, PIPES]  # the line break is the one after the ISA


def test_835_with_two_interchanges_writes_back_exactly() -> None:
    read = remits()
    assert [r.__pydantic_private__["_delimiters"] for r in read] == [STARS, PIPES]
    assert edi.write_835(read).encode("utf-8") == FILE_835.read_bytes()


def test_837_with_two_interchanges_writes_back_exactly() -> None:
    read = claims()
    assert [c.patient_control_number for c in read] == ["PCN2001", "PCN2002", "PCN2003", "PCN5001"]
    assert edi.write_837(read).encode("utf-8") == FILE_837.read_bytes()


@pytest.mark.parametrize("kind", ["835", "837"])
def test_delimiters_given_apply_to_every_interchange(kind: str) -> None:
    given = edi.Delimiters("^", "!", "&", "#", "")
    text = edi.write_835(remits(), delimiters=given) if kind == "835" else None
    if kind == "837":
        text = edi.write_837(claims(), delimiters=given)
    assert text is not None
    assert interchange_delimiters(text) == [given, given]
    assert "~" not in text and "'" not in text and "\n" not in text
    again = (
        list(edi.read_remittances(text))
        if kind == "835"
        else [c.patient_control_number for c in edi.read_claims(text)]
    )
    assert len(again) == (2 if kind == "835" else 4)


def test_line_break_given_applies_to_every_interchange_which_keep_their_separators() -> None:
    text = edi.write_835(remits(), line_break="\r\n")
    assert interchange_delimiters(text) == [STARS.with_suffix("\r\n"), PIPES]
    text = edi.write_837(claims(), line_break="")
    assert interchange_delimiters(text) == [STARS.with_suffix(""), PIPES.with_suffix("")]


def test_835_without_an_envelope_is_written_with_the_first_ones_delimiters() -> None:
    first, second = remits()
    made = second.model_copy(update={"envelope": None})
    text = edi.write_835([first, second, made])
    assert interchange_delimiters(text) == [STARS, PIPES, STARS]
    assert len(list(edi.read_remittances(text))) == 3
    # Envelope arguments replace every envelope: one interchange, the first one's delimiters.
    text = edi.write_835([first, second], sender_id="NEWSENDER")
    assert interchange_delimiters(text) == [STARS]


def test_a_value_holding_the_second_interchanges_separator_is_refused() -> None:
    read = remits()
    read[1].payer.name = "EXAMPLE|PLAN"
    message = (
        "835 0002 payer (1000A): N102 holds the element separator '|', so the segment would not "
        "read back as written; write with other delimiters or change the text"
    )
    assert edi.check_remittances(read) == [message]
    with pytest.raises(edi.WriteError) as caught:
        edi.write_835(read)
    assert str(caught.value) == message
    # The same value in the first interchange (`*`), and the first's separator in the second: fine.
    read = remits()
    read[0].payer.name = "EXAMPLE|PLAN"
    read[1].payer.name = "EXAMPLE*PLAN"
    assert edi.check_remittances(read) == []
    text = edi.write_835(read)
    assert [r.payer.name for r in edi.read_remittances(text)] == ["EXAMPLE|PLAN", "EXAMPLE*PLAN"]
    # Checked against delimiters given, as write_835 writes with them.
    assert edi.check_remittances(read, delimiters=PIPES)[0].startswith(
        "835 0001 payer (1000A): N102 holds the element separator '|'"
    )


def test_a_claim_value_holding_the_second_interchanges_separator_is_refused() -> None:
    read = claims()
    read[3].patient_control_number = "PCN|9"
    message = (
        "claim PCN|9: CLM01 holds the element separator '|', so the segment would not read back "
        "as written; write with other delimiters or change the text"
    )
    assert edi.check_claims(read) == [message]
    with pytest.raises(edi.WriteError) as caught:
        edi.write_837(read)
    assert str(caught.value) == message
    read = claims()
    read[0].patient_control_number = "PCN|1"
    read[3].patient_control_number = "PCN*9"
    assert edi.check_claims(read) == []
    text = edi.write_837(read)
    assert [c.patient_control_number for c in edi.read_claims(text)] == [
        "PCN|1",
        "PCN2002",
        "PCN2003",
        "PCN*9",
    ]


def test_a_shared_payer_is_checked_with_the_delimiters_of_each_interchange() -> None:
    """Context models (the payer the claims of a set share) are asked about by the delimiters of
    the claim being checked: an answer for one interchange is not taken for another."""
    read = claims()
    assert read[1].payer == read[2].payer  # of two 2000B loops of the first interchange
    read[2].payer = read[1].payer  # shared
    for claim in read[:3]:
        claim.payer.name = "PLAN*ONE"  # `*` separates there
    read[3].payer.name = "PLAN*TWO"
    problems = edi.check_claims(read)
    assert [p.partition(":")[0] for p in problems] == [
        "claim PCN2001",
        "claim PCN2002",
        "claim PCN2003",
    ]
    assert all("NM103 holds the element separator '*'" in p for p in problems)
    read = claims()
    for claim in read[:3]:
        claim.payer.name = "PLAN|ONE"
    read[3].payer.name = "PLAN*TWO"
    assert edi.check_claims(read) == []
    again = list(edi.read_claims(edi.write_837(read)))
    assert [c.payer.name for c in again] == ["PLAN|ONE"] * 3 + ["PLAN*TWO"]


def test_the_same_interchange_read_with_other_delimiters_is_a_second_interchange() -> None:
    """Two reads of one interchange, one of them re-delimited: one interchange has one set of
    delimiters, so the second is written in its own, its repeated ISA13 renumbered."""
    original = (HERE.parents[1] / "fixtures" / "835" / "paid_in_full.x12").read_text()
    first = list(edi.read_remittances(original))
    second = list(edi.read_remittances(edi.write_835(first, delimiters=PIPES)))
    text = edi.write_835(first + second)
    assert interchange_delimiters(text) == [STARS, PIPES]
    again = list(edi.read_remittances(text))
    numbers = [r.envelope.interchange.control_number for r in again if r.envelope]
    assert numbers[0] == "000000101" and numbers[1] != numbers[0]
    assert [r.payer.name for r in again] == [first[0].payer.name] * 2


# -- what lies between interchanges --------------------------------------------------------------

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _one_line(path: Path) -> str:
    return path.read_text().replace("\n", "")


@pytest.mark.parametrize(
    ("kind", "first", "second"),
    [
        ("835", "835/paid_in_full.x12", "835/partly_paid.x12"),
        ("837", "837p/dependent.x12", "837p/drug.x12"),
    ],
)
@pytest.mark.parametrize(
    "layout", ["one line each", "a blank line between", "blank lines at the end"]
)
def test_the_text_between_interchanges_is_written_back(
    kind: str, first: str, second: str, layout: str
) -> None:
    """A file of one-line interchanges with a line break after each (as payers send batches) came
    back without those line breaks, and one with a blank line between interchanges without it:
    the text after an IEA beyond its terminator and line break was not kept."""
    a, b = FIXTURES / first, FIXTURES / second
    if layout == "one line each":
        text = _one_line(a) + "\n" + _one_line(b) + "\n"
    elif layout == "a blank line between":
        text = a.read_text() + "\n" + b.read_text()
    else:
        text = a.read_text() + b.read_text() + "\r\n\n"
    read = edi.read_remittances(text) if kind == "835" else edi.read_claims(text)
    models = list(read)
    assert not [d for d in read.diagnostics if d.severity is not edi.Severity.INFO]
    write = edi.write_835 if kind == "835" else edi.write_837
    assert write(models) == text  # type: ignore[operator]
    assert write(models, check=False) == text  # type: ignore[operator]
    # Written with another line break than read: no blank text added after an IEA.
    if layout == "one line each":
        again = write(models, line_break="\n")  # type: ignore[operator]
        assert "\n\n" not in again and again.count("IEA") == 2
        assert again.endswith("~\n")


@pytest.mark.parametrize(
    ("end", "written"),
    [
        ("~\x1a", "~"),  # no line break after the last IEA, then Ctrl-Z: none written either
        ("~\x00\x00", "~"),
        ("~\n\n\x1a", "~\n\n"),  # a blank line, then Ctrl-Z: the blank line stays
        ("~\n \x1a\x00", "~\n "),
        ("~\n\x1a", "~\n"),
    ],
)
def test_padding_after_the_last_iea_leaves_the_blank_text_and_the_lack_of_a_line_break(
    end: str, written: str
) -> None:
    """NUL bytes and a Ctrl-Z at the end of the input are dropped when written: the rest after the
    last IEA came back as if there were no blank text at all (a line break added where there was
    none, a blank line before the Ctrl-Z lost), not as read without them."""
    text = (FIXTURES / "835/paid_in_full.x12").read_text() + (
        FIXTURES / "835/partly_paid.x12"
    ).read_text()
    assert text.endswith("~\n")
    models = list(edi.read_remittances(text[:-2] + end))
    assert edi.write_835(models) == text[:-2] + written
    assert edi.write_835(models[1:], check=False) == (
        edi.write_835(list(edi.read_remittances(text))[1:])[:-2] + written
    )


def _two_groups(path: Path, other: Path) -> str:
    """The interchange of `path` (one group) with a second group: the sets of `other`'s."""
    isa, gs, *body, ge, iea = path.read_text().splitlines(keepends=True)
    _, _, *sets, _, _ = other.read_text().splitlines(keepends=True)
    number = gs.split("*")[6]
    second = gs.replace(f"*{number}*", "*9*") + "".join(sets)
    second += f"GE*{sum(s.startswith('ST*') for s in sets)}*9~\n"
    return isa + gs + "".join(body) + ge + second + iea.replace("IEA*1*", "IEA*2*")


@pytest.mark.parametrize(
    ("kind", "first", "group", "second"),
    [
        ("835", "835/paid_in_full.x12", "835/denied.x12", "835/partly_paid.x12"),
        ("837", "837p/dependent.x12", "837p/ambulance_dme.x12", "837p/drug.x12"),
    ],
)
@pytest.mark.parametrize(
    "layout", ["one line each", "a blank line between", "blank lines at the end", "no last break"]
)
def test_the_text_after_an_interchange_of_two_groups_is_written_back(
    kind: str, first: str, group: str, second: str, layout: str
) -> None:
    """The text after the IEA of an interchange with two functional groups was lost (the blank line
    after it, the line break after it on one line, the lack of a last line break): it was noted on
    the header model of its last group only, and the interchange is written with its first's."""
    two = _two_groups(FIXTURES / first, FIXTURES / group)
    other = (FIXTURES / second).read_text()
    if layout == "one line each":
        text = two.replace("\n", "") + "\n" + other.replace("\n", "") + "\n"
    elif layout == "a blank line between":
        text = two + "\n" + other
    elif layout == "blank lines at the end":
        text = other + two + "\n\n"
    else:
        text = other + two[:-1]
    read = edi.read_remittances(text) if kind == "835" else edi.read_claims(text)
    models = list(read)
    assert not [d for d in read.diagnostics if d.severity is not edi.Severity.INFO]
    write = edi.write_835 if kind == "835" else edi.write_837
    assert write(models) == text  # type: ignore[operator]
    assert write(models, check=False) == text  # type: ignore[operator]
