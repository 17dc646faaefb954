"""read_claims and write_837 together: identity on random valid claims, pyx12 on what write_837 makes,
the HL hierarchy and transaction sets the writer builds, lossless writing of what was read, and how bad
input is reported (never a traceback; the other claims of the file are still read)."""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import edi
from edi.diagnostics import Severity
from edi.errors import DataError, MappingDefinitionError, StructureError
from edi.mapping import _scalars
from edi.models.base import Elems, SegmentModel
from edi.x12.delimiters import Delimiters
from edi.x12.envelope import EnvelopeReader
from tests import pyx12_oracle
from tests.helpers import CORPUS, laid_out, requires_corpus, with_edits
from tests.strategies_837 import claim_lists

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WHEN = datetime(2024, 3, 15, 10, 0)


def dump(claim: edi.Claim) -> dict[str, Any]:
    data = claim.model_dump(mode="json")
    data.pop("envelope")
    return data


def write(claims: list[edi.Claim], **kwargs: Any) -> str:
    return edi.write_837(claims, when=WHEN, **kwargs)


def read(text: str) -> tuple[list[edi.Claim], edi.ClaimReader]:
    reader = edi.read_claims(text.encode())
    return list(reader), reader


# -- identity and pyx12 on random claims ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["professional", "institutional", "dental"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_claims_to_837_to_claims_is_the_identity(kind: str, data: st.DataObject) -> None:
    claims = data.draw(claim_lists(kind))
    assert edi.check_claims(claims) == []
    text = write(claims)
    back, reader = read(text)
    assert [str(d) for d in reader.diagnostics] == []
    assert [dump(c) for c in back] == [dump(laid_out(c)) for c in claims]
    # And what was read writes back the same text.
    assert edi.write_837(back) == text


@pytest.mark.parametrize("kind", ["professional", "institutional"])
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # pyx12 is too slow to shrink with
)
@given(data=st.data())
def test_pyx12_accepts_random_valid_claims(kind: str, data: st.DataObject) -> None:
    claims = data.draw(claim_lists(kind))
    assert pyx12_oracle.errors(write(claims)) == []


# -- what the writer builds ---------------------------------------------------------------------------


def fixture_claims(case: str) -> list[edi.Claim]:
    return edi.load_claims(FIXTURES / f"{case}.json")


def hl_segments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("HL*")]


def test_equal_context_shares_one_hl_even_as_copies() -> None:
    """JSON gives every claim its own (equal) context objects: they still share their HL loops."""
    claims = fixture_claims("837p/subscriber_is_patient")
    assert claims[0].subscriber is not claims[1].subscriber
    assert claims[0].billing_provider is not claims[1].billing_provider
    assert hl_segments(write(claims)) == ["HL*1**20*1~", "HL*2*1*22*0~"]
    claims = fixture_claims("837p/dependent")
    assert claims[1].patient is not None and claims[1].subscriber is not claims[2].subscriber
    copy = claims[1].model_copy(deep=True, update={"patient_control_number": "PCN2009"})
    assert hl_segments(write([claims[1], copy])) == [
        "HL*1**20*1~",
        "HL*2*1*22*1~",
        "HL*3*2*23*0~",
    ]


def test_a_claim_of_the_subscriber_after_a_dependant_opens_a_new_2000b() -> None:
    own, child, _ = fixture_claims("837p/dependent")
    own_again = own.model_copy(update={"patient_control_number": "PCN2009"})
    text = write([own, child, own_again])
    # A 2000B is not gone back to: the member's next own claim opens one of its own.
    assert hl_segments(text) == [
        "HL*1**20*1~",
        "HL*2*1*22*0~",
        "HL*3*1*22*1~",
        "HL*4*3*23*0~",
        "HL*5*1*22*0~",
    ]
    assert [c.patient_control_number for c in read(text)[0]] == ["PCN2001", "PCN2002", "PCN2009"]


def test_kinds_go_to_their_own_transaction_sets() -> None:
    claims = [*fixture_claims("837p/drug"), *fixture_claims("837i/inpatient")]
    text = write(claims)
    sets = [ts for ts in EnvelopeReader(text.encode())]
    assert [(ts.group.version if ts.group else "", ts.control_number) for ts in sets] == [
        ("005010X222A1", "0001"),
        ("005010X223A2", "0002"),
    ]
    assert [line for line in text.splitlines() if line.startswith("GS*")] == [
        "GS*HC*SENDER*RECEIVER*20240315*1000*1*X*005010X222A1~",
        "GS*HC*SENDER*RECEIVER*20240315*1000*2*X*005010X223A2~",
    ]
    back, reader = read(text)
    assert reader.diagnostics == [] and [c.kind for c in back] == ["professional"] + 2 * [
        "institutional"
    ]


def test_one_set_per_kind_even_when_kinds_are_mixed() -> None:
    """P, I, D, P with one header for both P claims: three sets, the second P claim in the first."""
    (p1,) = fixture_claims("837p/drug")
    p2 = p1.model_copy(update={"patient_control_number": "PCN5009"})
    claims = [p1, *fixture_claims("837i/inpatient")[:1], *fixture_claims("837d/ortho")[:1], p2]
    text = write(claims)
    sets = list(EnvelopeReader(text.encode()))
    assert [ts.group.version for ts in sets if ts.group] == [
        "005010X222A1",
        "005010X223A2",
        "005010X224A2",
    ]
    back, reader = read(text)
    assert reader.diagnostics == []
    ids = [c.patient_control_number for c in back]
    assert ids == [p1.patient_control_number, "PCN5009", *ids[2:]] and len(ids) == 4


def test_at_most_5000_claims_per_transaction_set() -> None:
    (claim,) = fixture_claims("837p/drug")
    claims = [claim.model_copy(update={"patient_control_number": f"P{n}"}) for n in range(5001)]
    text = write(claims, check=False)
    sets = list(EnvelopeReader(text.encode()))
    assert [sum(seg.id == "CLM" for seg in ts.segments) for ts in sets] == [5000, 1]
    assert [ts.control_number for ts in sets] == ["0001", "0002"]
    # 5000 claims of one subscriber as patient: one 2000A and 50 2000B of 100 claims each.
    assert [seg.text() for seg in sets[0].segments if seg.id == "HL"] == ["HL*1**20*1"] + [
        f"HL*{n}*1*22*0" for n in range(2, 52)
    ]


def test_sets_read_twice_get_unique_control_numbers_in_their_group() -> None:
    """Two reads of one file written together share its ISA and GS: the second set's ST02 '0001'
    would repeat within the group (IK502 23), so it becomes 0002."""
    path = FIXTURES / "837p" / "dependent.x12"
    twice = [*edi.read_claims(path), *edi.read_claims(path)]
    with pytest.raises(edi.ClaimCheckError, match="same patient control number"):
        write(twice)
    text = write(twice, check=False)  # the same claims twice: only the checks mind
    assert [line for line in text.splitlines() if line.startswith(("ST*", "SE*", "GE*"))] == [
        "ST*837*0001*005010X222A1~",
        "SE*56*0001~",
        "ST*837*0002*005010X222A1~",
        "SE*56*0002~",
        "GE*2*202~",
    ]
    reader = EnvelopeReader(text.encode())
    assert len(list(reader)) == 2 and reader.diagnostics == []


@pytest.mark.parametrize("made_first", [True, False])
def test_an_interchange_read_keeps_its_control_number_beside_one_made(made_first: bool) -> None:
    """The claims read are written in the envelope they carry (README); an interchange made for
    claims without one takes the next ISA13 free (x12-notes §1: unique in the file), first or not."""
    text = (FIXTURES / "837p" / "dependent.x12").read_text()
    isa13 = text.split("*")[13]
    read_claims = list(edi.read_claims(text.replace(isa13, "000000001")))
    made = read_claims[0].model_copy(update={"envelope": None, "patient_control_number": "NEW1"})
    out = write([made, *read_claims] if made_first else [*read_claims, made])
    isa13s = [line.split("*")[13] for line in out.splitlines() if line.startswith("ISA")]
    ieas = [line.split("*")[2].rstrip("~") for line in out.splitlines() if line.startswith("IEA")]
    expected = ["000000002", "000000001"] if made_first else ["000000001", "000000002"]
    assert isa13s == ieas == expected
    reader = EnvelopeReader(out.encode())
    assert len(list(reader)) == 2 and reader.diagnostics == []


def _errata_read() -> str:
    """dependent.x12 as a file of the pre-errata guide with ST02 0042: what a replaced envelope
    must change (ISA, GS, ST02) and keep (GS08, ST03) is then visible."""
    text = (FIXTURES / "837p" / "dependent.x12").read_text()
    text = text.replace("005010X222A1", "005010X222").replace("ST*837*0001*", "ST*837*0042*")
    return text.replace("SE*56*0001~", "SE*56*0042~")


def test_envelope_arguments_replace_the_envelope_the_claims_carry() -> None:
    """Claims read carry their envelope; an envelope argument given wins over it, and the whole
    envelope is made from the arguments (a re-sent file must not repeat its control numbers)."""
    source = _errata_read()
    claims, _ = read(source)
    assert write(claims) == source  # no envelope argument: written as read
    text = write(
        claims,
        sender_id="NEWSEND",
        receiver_id="OTHERPAYER",
        sender_qualifier="30",
        receiver_qualifier="01",
        application_sender="NEWAPP",
        application_receiver="OTHERAPP",
        usage="P",
        acknowledgment_requested="1",
        interchange_control_number=77,
        group_control_number=8,
        set_control_number=9,
    )
    lines = text.splitlines()
    assert lines[:3] == [
        "ISA*00*          *00*          *30*NEWSEND        *01*OTHERPAYER     *240315*1000*^*"
        "00501*000000077*1*P*:~",
        "GS*HC*NEWAPP*OTHERAPP*20240315*1000*8*X*005010X222~",  # the guide version as read
        "ST*837*0009*005010X222~",
    ]
    assert lines[-3:] == ["SE*56*0009~", "GE*1*8~", "IEA*1*000000077~"]
    # The claims themselves are written as they were read.
    assert lines[3:-3] == source.splitlines()[3:-3]
    assert [dump(c) for c in read(text)[0]] == [dump(c) for c in claims]


@pytest.mark.parametrize(
    "argument",
    [
        {"sender_id": "NEWSEND"},
        {"usage": "P"},
        {"acknowledgment_requested": "0"},  # the value read: given all the same
        {"application_receiver": "OTHERAPP"},
        {"set_control_number": 1},
    ],
)
def test_one_envelope_argument_replaces_the_whole_envelope(argument: dict[str, Any]) -> None:
    """One argument given is enough: the others take their defaults rather than the values read,
    so that no old ISA13 goes out under a new sender (nor a new sender beside an old GS02)."""
    claims, _ = read(_errata_read())
    isa, gs, st = (line.split("*") for line in write(claims, **argument).splitlines()[:3])
    defaults = {"sender_id": "SENDER", "usage": "P", "application_receiver": "RECEIVER"}
    expected = defaults | argument
    assert (isa[6].rstrip(), isa[13], isa[15]) == (expected["sender_id"], "000000001", "P")
    assert (gs[2], gs[3], gs[6]) == (expected["sender_id"], expected["application_receiver"], "1")
    assert st[2] == "0001"


def test_when_alone_keeps_the_envelope_read() -> None:
    """`when` dates the envelopes the writer makes; claims that carry one keep it."""
    source = _errata_read()
    claims, _ = read(source)
    assert edi.write_837(claims, when=datetime(2030, 1, 2, 3, 4)) == source


def _carried(edit: dict[str, Any]) -> list[edi.Claim]:
    """The claims of dependent.x12 as claims JSON carries them (`edi claims --format json`), each
    claim's envelope edited: `edit` maps "interchange" / "group" to the values changed (None: the
    header left out)."""
    claims, _ = read((FIXTURES / "837p" / "dependent.x12").read_text())
    data = [claim.model_dump(mode="json") for claim in claims]
    for claim in data:
        for header, values in edit.items():
            if values is None:
                claim["envelope"][header] = None
            else:
                claim["envelope"][header].update(values)
    return [edi.Claim.model_validate(claim) for claim in data]


@pytest.mark.parametrize(
    ("edit", "problems"),
    [
        (
            {"interchange": {"sender_id": "A*B"}},  # an ISA of 17 elements: no claim reads back
            ["sender id (ISA06) 'A*B' holds the delimiter '*'"],
        ),
        (
            {"interchange": {"sender_id": "S" * 20}},  # the ISA no longer fixed-width
            [
                f"sender id (ISA06) '{'S' * 20}' must be 2 to 15 printable ASCII characters, "
                "without spaces around them"
            ],
        ),
        (
            {
                "interchange": {"control_number": "abc", "date": "2024"}
            },  # ISA09 2024, ISA13 000000abc
            [
                "date (ISA09) '2024' must be a date YYMMDD",
                "interchange control number (ISA13) 'abc' must be at most 9 digits, 1 to 999999999",
            ],
        ),
        (
            # the codes the 837 maps list (ISA05, ISA07 and GS07 as in the 835's; pyx12 refuses others)
            {"interchange": {"sender_qualifier": "XX"}, "group": {"agency": "T"}},
            [
                "sender qualifier (ISA05) 'XX' must be one of 01, 14, 20, 27, 28, 29, 30, 33, ZZ",
                "agency (GS07) 'T' must be X",
            ],
        ),
        (
            # ISA12 is the control map's one code, 00501 (maps/x12.control.00501 line 15): edi's
            # reader and pyx12 refuse the interchange otherwise.
            {"interchange": {"version": "00401"}},
            ["version (ISA12) '00401' must be 00501"],
        ),
        (
            {"group": None},  # ST inside the ISA with no GS around it
            [
                "an interchange (ISA) without a functional group (GS): the set would be written "
                "outside any group"
            ],
        ),
        (
            {"group": {"date": "2024-03-15", "control_number": "0", "receiver": "R"}},
            [  # in element order
                "application receiver (GS03) 'R' must be 2 to 15 printable ASCII characters, "
                "without spaces around them",
                "date (GS04) '2024-03-15' must be a date CCYYMMDD",
                "group control number (GS06) '0' must be at most 9 digits, 1 to 999999999",
            ],
        ),
    ],
)
def test_a_checked_write_refuses_the_broken_envelopes_claims_carry(
    edit: dict[str, Any], problems: list[str]
) -> None:
    """The envelope claims carry is checked as the one made from the arguments is: a broken one is
    refused, each problem once (the three claims carry it) and named after the first claim. Without
    the check it is written as it is, unless it holds a delimiter: then it would not read back."""
    claims = _carried(edit)
    with pytest.raises(edi.ClaimCheckError) as caught:
        write(claims)
    assert caught.value.problems == [f"claim PCN2001: envelope: {p}" for p in problems]
    assert edi.check_claims(claims) == caught.value.problems  # as write_837 refuses it
    if "holds the delimiter" in problems[0]:
        with pytest.raises(edi.WriteError, match=r"^claim PCN2001: envelope: ISA06 holds the elem"):
            write(claims, check=False)
    else:
        assert write(claims, check=False).startswith("ISA*")


def test_st03_names_the_guide_of_gs08_unless_read_so() -> None:
    """ST03 is the same value as GS08 (x12-notes §1.3; the reader warns otherwise,
    `envelope.st03_mismatch`). One set in code or JSON was written and the file then warned of;
    one read so is written back as read."""
    claims = _carried({})
    for claim in claims:
        assert claim.envelope is not None
        claim.envelope.implementation_reference = "005010X222"
    with pytest.raises(edi.ClaimCheckError) as caught:
        write(claims)
    assert caught.value.problems == [
        "claim PCN2001: envelope: implementation reference (ST03) '005010X222' must be GS08, "
        "'005010X222A1'"
    ]
    source = (FIXTURES / "837p" / "dependent.x12").read_text()
    source = source.replace("ST*837*0001*005010X222A1~", "ST*837*0001*005010X222~")
    claims, reader = read(source)
    assert [d.code for d in reader.diagnostics] == ["envelope.st03_mismatch"]
    assert write(claims) == source


def test_envelope_arguments_are_refused_with_their_rule() -> None:
    """GS02 and GS03 hold no composite: one given holding the component separator was written
    (`GS*HC*A:B*...`, which pyx12 refuses as an invalid composite), as ISA06 is not. Control
    numbers are ints and `when` a datetime of four-digit years (GS04 is CCYYMMDD, DT 8/8): text,
    a float or a bool failed deep in the writer, and the year 10 wrote GS04 100101."""
    claims = fixture_claims("837p/dependent")
    for arguments, problem in (
        ({"application_sender": "A:B"}, "application sender (GS02) 'A:B' holds the delimiter ':'"),
        (
            {"application_receiver": "C:D", "sender_id": "S>1"},
            "application receiver (GS03) 'C:D' holds the delimiter ':'",
        ),
        (
            {"interchange_control_number": "5"},
            "interchange control number (ISA13) '5' must be a whole number (int), 1 to 999999999",
        ),
        (
            {"group_control_number": 1.5},
            "group control number (GS06) 1.5 must be a whole number (int), 1 to 999999999",
        ),
        (
            {"set_control_number": True},
            "set control number (ST02) True must be a whole number (int), 1 to 999999999",
        ),
        (
            {"when": datetime(10, 1, 1)},
            "when datetime.datetime(10, 1, 1, 0, 0) must be a datetime from the year 1000 on (GS04)",
        ),
        ({"when": "20240305"}, "when '20240305' must be a datetime from the year 1000 on (GS04)"),
    ):
        with pytest.raises(edi.WriteError) as caught:
            edi.write_837(claims, **arguments)
        assert str(caught.value) == problem, arguments
    # With other delimiters the colon is plain text.
    text = edi.write_837(
        claims, application_sender="A:B", delimiters=edi.Delimiters("*", "^", ">", "~", "\n")
    )
    assert "GS*HC*A:B*RECEIVER*" in text


def test_group_control_numbers_roll_over_after_nine_digits() -> None:
    """GS06 is unique within its interchange only (x12-notes §1.3), as ST02 within its group: a
    second group (another claim kind) after GS06 999999999 is 1, where the write failed."""
    claims = [*fixture_claims("837p/drug"), *fixture_claims("837i/inpatient")]
    text = write(claims, group_control_number=999_999_999)
    assert [line.split("*")[6] for line in text.splitlines() if line.startswith("GS*")] == [
        "999999999",
        "1",
    ]
    assert [line for line in text.splitlines() if line.startswith("GE*")] == [
        "GE*1*999999999~",
        "GE*1*1~",
    ]


def test_envelope_values_read_are_written_back_as_read_but_not_once_changed() -> None:
    """A file's own envelope quirk (ISA10 3339, no time of day) is written back as read by a checked
    write, however it breaks the rules; the value set anew, or loaded from JSON, is checked."""
    source = (
        (FIXTURES / "837p" / "dependent.x12").read_text().replace("*240315*1000*", "*240315*3339*")
    )
    claims, reader = read(source)
    assert any(d.code == "envelope.isa10" for d in reader.diagnostics)
    assert write(claims) == source
    reloaded = [edi.Claim.model_validate_json(c.model_dump_json()) for c in claims]
    with pytest.raises(
        edi.ClaimCheckError, match=r"claim PCN2001: envelope: time \(ISA10\) '3339'"
    ):
        write(reloaded)
    isa = claims[0].envelope.interchange  # shared by the three claims of the group read
    isa.sender_id = "S" * 16
    with pytest.raises(edi.ClaimCheckError, match=r"sender id \(ISA06\) 'S{16}' must be 2 to 15"):
        write(claims)


def test_a_carried_group_must_be_one_of_the_claim_kinds_sets() -> None:
    """A GS08 of no supported guide, or of another guide, fits its element, but the set would be read
    back with no guide or the wrong one (the read-back found the first only); a GS01 of another
    transaction (HP, the 835's) mislabels the group. Said once for the group the claims share."""
    claims = _carried({"group": {"version": "005010X999A1"}})
    for claim in claims:
        claim.envelope.implementation_reference = None  # GS08 alone names the guide
    with pytest.raises(edi.ClaimCheckError) as caught:
        write(claims)
    assert caught.value.problems == [
        "claim PCN2001: envelope: version (GS08) '005010X999A1' must be 005010X222A1 or 005010X222 "
        "or 005010X222A2 in an 837P"
    ]
    claims = _carried({"group": {"version": "005010X223A2", "functional_id": "HP"}})
    assert edi.check_claims(claims) == [
        "claim PCN2001: envelope: functional id (GS01) 'HP' must be HC in an 837P",
        "claim PCN2001: envelope: version (GS08) '005010X223A2' must be 005010X222A1 or 005010X222 "
        "or 005010X222A2 in an 837P",
        # ST03 (loaded from JSON: not as read) names the guide GS08 does not.
        "claim PCN2001: envelope: implementation reference (ST03) '005010X222A1' must be GS08, "
        "'005010X223A2'",
    ]
    with pytest.raises(edi.ClaimCheckError) as caught:
        write(claims)
    assert caught.value.problems == edi.check_claims(claims)


def test_a_group_read_with_another_functional_id_is_kept_as_read() -> None:
    """GS*HP (the 835's) around 837 sets is said when read, and written back as read: the checked
    read-back lets it through as it does the other envelope values kept as read."""
    text = (FIXTURES / "837p" / "dependent.x12").read_text().replace("GS*HC*", "GS*HP*")
    claims, reader = read(text)
    assert [d.code for d in reader.diagnostics] == ["envelope.functional_id"]
    assert edi.check_claims(claims) == []
    assert write(claims) == text


def test_at_most_100_claims_per_hierarchical_level() -> None:
    """Loop 2300 repeats at most 100 times under a 2000B or a 2000C (maps/837.5010.X222.A1 lines 55 and
    260): the 101st claim of a subscriber opens a new 2000B, the 101st of a patient a new 2000C."""
    own, child, _ = fixture_claims("837p/dependent")
    claims = [own.model_copy(update={"patient_control_number": f"S{n}"}) for n in range(101)]
    claims += [child.model_copy(update={"patient_control_number": f"D{n}"}) for n in range(150)]
    text = write(claims, check=False)
    hls = hl_segments(text)
    # 100 own claims; then a new 2000B for the 101st; then the child's subscriber (without SBR02
    # 18), whose 2000C loops take 100 and 50 of the child's.
    assert hls == [
        "HL*1**20*1~",
        "HL*2*1*22*0~",
        "HL*3*1*22*0~",
        "HL*4*1*22*1~",
        "HL*5*4*23*0~",
        "HL*6*4*23*0~",
    ]
    clm_per_hl = [chunk.count("\nCLM*") for chunk in text.split("\nHL*")[1:]]
    assert clm_per_hl == [0, 100, 1, 0, 100, 50]
    back, reader = read(text)
    assert reader.diagnostics == []
    assert [c.patient_control_number for c in back] == [c.patient_control_number for c in claims]
    assert pyx12_oracle.errors(text) == []


def test_more_than_100_claims_under_one_hl_are_read_and_said() -> None:
    """An input with 101 claims under one subscriber HL (2300 repeats 100 times there): the claims
    are read, the 101st is said where it was read with what the guide allows, and writing them
    back splits them as the writer does (a new 2000B for the 101st)."""
    own, _, _ = fixture_claims("837p/dependent")
    claims = [own.model_copy(update={"patient_control_number": f"S{n}"}) for n in range(101)]
    written = write(claims, check=False)
    # One 2000B of 101 claims: the subscriber HL the writer opened for the 101st taken out.
    start = written.index("HL*3*1*22*0~")
    end = written.index("\nCLM*", start) + 1
    removed = written[start:end].count("~")
    text = written[:start] + written[end:]
    text = re.sub(r"SE\*(\d+)\*", lambda m: f"SE*{int(m[1]) - removed}*", text)
    assert text.count("\nHL*") == 2

    back, reader = read(text)
    assert len(back) == 101
    (said,) = reader.diagnostics
    assert said.code == "claim.loop_repeats" and said.severity is Severity.WARNING
    assert said.context["claim"] == "S100"
    assert said.location is not None
    assert (said.location.segment_id, said.location.loop_id) == ("CLM", "2300")
    assert (
        said.location.segment_index
        == text[text.index("ST*837") : text.index("CLM*S100*")].count("~") + 1
    )
    assert "loop 2300 (claim) repeats 101 times" in said.message
    assert "005010X222A1 allows 100" in said.message
    assert write(back, check=False) == written


def test_providers_are_written_in_guide_order() -> None:
    (claim,) = fixture_claims("837p/subscriber_is_patient")[:1]
    shuffled = claim.model_copy(update={"providers": list(reversed(claim.providers))})
    text = write([shuffled])
    nm1 = [
        ln[:6]
        for ln in text.splitlines()
        if ln.startswith("NM1*") and ln[4:6] in ("DN", "82", "77")
    ]
    assert nm1 == ["NM1*DN", "NM1*82", "NM1*77"]
    assert [p.role for p in shuffled.providers] == ["77", "82", "DN"]  # the claim is not changed


def test_providers_read_out_of_guide_order_are_written_as_read() -> None:
    # The grammar takes the 2310 loops in any order; a claim read keeps it (nothing moves).
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    referrer = "NM1*DN*1*TESTREFERRER*ECHO****XX*1000000012~\n"
    text = text.replace(referrer, "").replace("NM1*77*", referrer + "NM1*77*")
    claims, reader = read(text)
    assert [p.role for p in claims[0].providers] == ["82", "DN", "77"] and not reader.diagnostics
    assert edi.write_837(claims) == text


def test_delimiters_are_kept_and_can_be_chosen() -> None:
    original = (FIXTURES / "837p/cob_secondary.x12").read_text()
    claims, _ = read(original)
    pipes = Delimiters("|", "^", ">", "~", "\n")
    text = edi.write_837(claims, delimiters=pipes)
    assert text.startswith("ISA|") and "SV1|HC>99215|180|UN|1|||1>2~" in text
    again, reader = read(text)
    assert reader.diagnostics == []
    assert [dump(c) for c in again] == [dump(c) for c in claims]
    assert edi.write_837(again) == text  # claims remember the delimiters they were read with
    assert "\n" not in edi.write_837(claims, line_break="")


def test_what_was_read_is_written_back_even_when_not_canonical() -> None:
    """Amounts as `.50`, a trailing separator, segments out of order and one no model maps."""
    text = (FIXTURES / "837p/drug.x12").read_text()
    odd = (
        text.replace("CLM*PCN5001*150***11:B:1*Y*A*Y*Y~", "CLM*PCN5001*150.00***11:B:1*Y*A*Y*Y*~")
        .replace("SV1*HC:96413*30*UN*1***1~", "SV1*HC:96413*30.0*UN*01***1~")
        .replace("HI*ABK:M0579~", "HI*ABK:M0579~\nK3*FILE INFO~")
        .replace("REF*6R*L5001B~\n", "")
        .replace("SV1*HC:96413*30.0*UN*01***1~", "REF*6R*L5001B~\nSV1*HC:96413*30.0*UN*01***1~")
        .replace("SE*31*", "SE*32*")
    )
    claims, reader = read(odd)
    assert reader.diagnostics == []
    (claim,) = claims
    assert claim.total_charge == Decimal("150") and claim.lines[1].charge == Decimal("30")
    assert edi.write_837(claims, check=False) == odd
    # X12 puts the segments of a loop in the order of its table (837P map: 2300 K3 pos=1850 before
    # HI pos=2310; 2400 SV1 pos=3700 before REF pos=4700): a checked write refuses them out of it.
    with pytest.raises(edi.ClaimCheckError) as refused:
        edi.write_837(claims)
    assert refused.value.problems == [
        # The qualifiers alone (HI01-01 ABK): a diagnosis code or K3's text would be PHI.
        "claim PCN5001: HI*ABK comes before K3; 005010X222A1 puts K3 (position 1850) before HI "
        "(2310) in loop 2300",
        "claim PCN5001: line 2: REF*6R comes before SV1; 005010X222A1 puts SV1 (position 3700) "
        "before REF (4700) in loop 2400",
        # X12 forbids the trailing separator (x12-notes §1.2): said with the others.
        "claim PCN5001: CLM10 is an empty element at the end of the segment (a trailing "
        "separator, kept from the file read); X12 leaves out empty elements at the end of a "
        "segment",
        # X12.6 and the guides' B.1.1.3.1.2 leave out leading zeros (SV104 `01`).
        "claim PCN5001: line 2: SV104 has leading zeros (kept from the file read); X12 leaves them "
        "out of a number",
    ]
    # Alone, a checked write refuses it too.
    trailing = text.replace("*Y*A*Y*Y~", "*Y*A*Y*Y*~")
    with pytest.raises(edi.ClaimCheckError, match="CLM10 is an empty element at the end"):
        edi.write_837(read(trailing)[0])
    assert edi.write_837(read(odd.replace("*Y*Y*~", "*Y*Y~"))[0], check=False) == odd.replace(
        "*Y*Y*~", "*Y*Y~"
    )
    # A changed value is written canonically; what was not changed keeps its text.
    claim.lines[1].professional.charge = Decimal("31")  # type: ignore[union-attr]
    claim.total_charge = Decimal("151")
    written = edi.write_837(claims, check=False)
    assert "CLM*PCN5001*151***11:B:1*Y*A*Y*Y*~" in written
    assert "SV1*HC:96413*31*UN*01***1~" in written and "K3*FILE INFO~" in written


def test_equality_is_the_claims_value_not_how_it_was_read() -> None:
    """A claim read back, loaded from its JSON or read with other delimiters equals the claim it came
    from: where and how it was read (delimiters, `.50`, segment order) is no part of its value. A
    segment it keeps unmapped is: it is written with the claim."""
    built = fixture_claims("837p/dependent")[0]
    back = read(write([built]))[0][0]
    assert back.model_copy(update={"envelope": None}) == built
    assert edi.load_claims(back.model_dump_json())[0] == back
    piped = edi.write_837([back], delimiters=Delimiters(element="|", component=">"))
    assert read(piped)[0][0] == back
    assert back.model_copy(update={"frequency": "7"}) != back

    text = (FIXTURES / "837p/drug.x12").read_text()
    odd = text.replace("CLM*PCN5001*150***", "CLM*PCN5001*150.00***")
    assert read(odd)[0][0] == read(text)[0][0]
    kept = text.replace("HI*ABK:M0579~", "HI*ABK:M0579~\nMSG*FILE INFO~").replace(
        "SE*31*", "SE*32*"
    )
    with_msg = read(kept)[0][0]
    assert with_msg != read(text)[0][0]
    assert edi.load_claims(with_msg.model_dump_json())[0] != with_msg


def test_the_reader_counts_the_claims_it_yielded_and_reads_again(tmp_path: Path) -> None:
    claims = fixture_claims("837p/dependent")
    reader = edi.read_claims(io.BytesIO(write(claims).encode()))
    them = iter(reader)
    next(them)
    assert reader.claims_read == 1  # not the whole set's
    assert len(list(them)) == len(claims) - 1 and reader.claims_read == len(claims)
    assert [c.id for c in reader] == [c.id for c in claims]  # a file object is read again
    with pytest.raises(FileNotFoundError, match="nofile.837"):
        list(edi.read_claims(str(tmp_path / "nofile.837")))


def _with_se01(text: str) -> str:
    """The text with SE01 set to the number of segments from ST to SE."""
    body = text[text.index("ST*837") : text.index("SE*")]
    count = body.count("~") + 1
    head, tail = text.split("SE*", 1)
    return f"{head}SE*{count}*{tail.split('*', 1)[1]}"


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


def test_hl_loops_that_repeat_equal_data_are_kept_as_read() -> None:
    """Files often open a new 2000A, 2000B or 2000C for each claim even when its data equals the one
    before. Claims read from a file keep the HL loops they were read in; the same claims built in code
    (here: through JSON) share one loop per level."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    provider = _between(text, "PRV*BI", "HL*2*")
    subscriber = _between(text, "SBR*P", "CLM*PCN1001")
    second = text.index("CLM*PCN1002")
    # A second 2000A (equal billing provider) with its own 2000B (equal subscriber) for claim 2.
    per_claim = _with_se01(
        text[:second] + "HL*3**20*1~\n" + provider + "HL*4*3*22*0~\n" + subscriber + text[second:]
    )
    # One 2000A, a new 2000B (equal subscriber) for claim 2.
    per_subscriber = _with_se01(text[:second] + "HL*3*1*22*0~\n" + subscriber + text[second:])
    dependent = (FIXTURES / "837p/dependent.x12").read_text()
    patient = _between(dependent, "PAT*19", "CLM*PCN2002")
    lines = _between(dependent, "CLM*PCN2002", "HL*5*")
    # The dependant's 2000C (HL 4) repeated as HL 5 (equal patient) for a copy of its claim; the
    # second subscriber and its dependant (HL 5 and 6) become HL 6 and 7.
    tail = dependent[dependent.index("HL*5*") :]
    tail = tail.replace("HL*6*5*23*", "HL*7*6*23*").replace("HL*5*1*22*", "HL*6*1*22*")
    per_patient = _with_se01(
        dependent[: dependent.index("HL*5*")]
        + "HL*5*3*23*0~\n"
        + patient
        + lines.replace("PCN2002", "PCN2002B")
        + tail
    )
    for odd, hls in (
        (per_claim, 4),
        (per_subscriber, 3),
        (per_patient, dependent.count("HL*") + 1),
    ):
        claims, reader = read(odd)
        assert reader.diagnostics == []
        assert odd.count("HL*") == hls
        assert edi.write_837(claims, check=False) == odd
        built = [edi.Claim.model_validate(c.model_dump()) for c in claims]
        assert edi.write_837(built, check=False).count("HL*") < hls


def test_mutable_defaults_are_not_shared_between_claims() -> None:
    first, second = read((FIXTURES / "837p/replacement_void.x12").read_text())[0]
    first.notes.append(edi.models.claim_segments.Note(qualifier="ADD", text="ONLY MINE"))
    assert second.notes == [] and edi.Claim.model_fields["notes"].default == []


# -- refusing bad claims --------------------------------------------------------------------------------


def test_bad_claims_are_refused_with_their_id_and_reason() -> None:
    claims = fixture_claims("837p/subscriber_is_patient")
    first, second = claims
    first.total_charge = Decimal("170")
    second.lines[0].professional.diagnosis_pointers = [1, 3]  # type: ignore[union-attr]
    second.frequency_code = "7"
    with pytest.raises(edi.ClaimCheckError) as raised:
        write(claims)
    assert raised.value.problems == [
        "claim PCN1001: total charge 170 ≠ Σ line charges 175",
        "claim PCN1002: line 1: diagnosis pointer 3 points at nothing (the claim has 1 diagnosis code)",
        "claim PCN1002: frequency code 7 (replacement) needs the payer claim control number of the "
        "original claim (payer_claim_control_number, REF*F8)",
    ]
    assert isinstance(raised.value, edi.EdiError)
    assert write(claims, check=False).count("CLM*") == 2  # written only when asked to


# -- bad 837s -----------------------------------------------------------------------------------------


def test_wrong_hl_parent_skips_only_the_claims_under_it() -> None:
    text = (FIXTURES / "837p/dependent.x12").read_text().replace("HL*6*5*23*0~", "HL*6*3*23*0~")
    claims, reader = read(text)
    assert [c.patient_control_number for c in claims] == ["PCN2001", "PCN2002"]
    assert [str(d) for d in reader.diagnostics] == [
        "segment 45 HL (line 47, loop 2000C patient, element HL02): HL02 is '3', but this patient "
        "level (HL03 23) has parent '5': the claims under it are not read; expected 5",
        "segment 51 CLM (line 53, loop 2300 claim): claim 'PCN2003' is not read: its patient's "
        "HL is wrong",
    ]
    assert reader.claims_skipped == 1


@pytest.mark.parametrize("typo", ["7", "01", "A"])
def test_a_typo_in_a_parents_hl01_costs_no_claim(typo: str) -> None:
    """`HL*7**20*1` for the billing provider's HL*1: its children's HL02 1 was called wrong
    (`expected 7`) and no claim of the set was read. HL02 may give the number read or the one the
    count expects there; the HL01 is said once, and renumbered when written."""
    original = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    assert original.count("HL*1**20*1~") == 1
    text = original.replace("HL*1**20*1~", f"HL*{typo}**20*1~")
    claims, reader = read(text)
    assert [dump(c) for c in claims] == [dump(c) for c in read(original)[0]]
    assert [(d.code, d.location.element) for d in reader.diagnostics] == [
        ("claim.hl_number", "HL01")
    ]
    shown = "(1 character)" if typo == "A" else repr(typo)  # a letter is not quoted (PHI)
    assert f"HL01 is {shown}, expected 1" in str(reader.diagnostics[0])
    assert edi.write_837(claims, check=False) == original
    # A child that names neither is still wrong: its claims are not read.
    wrong = text.replace("HL*2*1*22*0~", "HL*2*5*22*0~")
    claims, reader = read(wrong)
    assert "claim.hl_parent" in [d.code for d in reader.diagnostics]


def test_a_composite_hl03_is_said_as_it_is_written_as_its_level() -> None:
    """`HL*2*1*22:X*0` was read as a subscriber level and written `HL*2*1*22*0` without a word."""
    original = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    text = original.replace("HL*2*1*22*0~", "HL*2*1*22:X*0~")
    claims, reader = read(text)
    assert [dump(c) for c in claims] == [dump(c) for c in read(original)[0]]
    assert [str(d) for d in reader.diagnostics] == [
        "segment 12 HL (line 14, loop 2000B subscriber, element HL03): HL03 is 4 characters with "
        "the component separator, read as 22 (subscriber): a code, not a composite (written as "
        "22); expected 22"
    ]
    assert reader.diagnostics[0].severity is edi.Severity.ERROR


@pytest.mark.parametrize(
    ("segment", "element", "code"),
    [
        ("HL*2*1*22*0~", "HL05", "syntax.trailing_separator"),
        ("LX*2~", "LX02", "syntax.trailing_separator"),
        ("ST*837*0001*005010X222A1~", "ST04", "envelope.trailing_separator"),
        ("SE*44*0001~", "SE03", "envelope.trailing_separator"),
        ("GE*1*201~", "GE03", "envelope.trailing_separator"),
        ("*X*005010X222A1~\nST", "GS09", "envelope.trailing_separator"),
        ("IEA*1*000000201~", "IEA03", "envelope.trailing_separator"),
    ],
)
def test_a_trailing_separator_of_a_segment_written_from_values_is_said(
    segment: str, element: str, code: str
) -> None:
    """`SE*44*0001*~` was written `SE*44*0001~` without a word: the segments the writer makes of
    their values (HL, LX, ST, SE, GS, GE, IEA) do not keep it, which is said (a warning)."""
    original = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    assert original.count(segment) == 1
    at = segment.index("~")
    text = original.replace(segment, segment[:at] + "*" + segment[at:])
    claims, reader = read(text)
    assert [(d.code, d.location.element, d.severity) for d in reader.diagnostics] == [
        (code, element, edi.Severity.WARNING)
    ]
    assert "ends with an element separator" in reader.diagnostics[0].message
    assert edi.write_837(claims, check=False) == original


def test_hl_numbering_is_reported_and_renumbered() -> None:
    original = (FIXTURES / "837p/several_providers.x12").read_text()
    text = original.replace("HL*3**20*1~", "HL*7**20*1~").replace("HL*4*3*22*0~", "HL*8*7*22*0~")
    claims, reader = read(text)
    assert len(claims) == 2
    # HL*8 follows HL*7: the count goes on from the number read, so one fault is said once.
    assert [(d.code, d.location.segment_index, d.expected) for d in reader.diagnostics] == [
        ("claim.hl_number", 25, ("3",)),
    ]
    # What is expected, said once (it ended with "...; expected 3" as well).
    assert str(reader.diagnostics[0]).endswith(
        "HL01 is '7', expected 3: HL numbers count 1, 2, 3 through the transaction set "
        "(renumbered when written)"
    )
    assert edi.write_837(claims) == original


def test_one_hl_number_skipped_is_said_once() -> None:
    """HL01 was compared with a count of the HLs read: one HL number skipped (or an HL deleted)
    put every HL after it one out, an error each (5,000 of them in a set of 5,000 claims)."""
    original = (FIXTURES / "837p/dependent.x12").read_text()
    assert original.count("HL*") == 6
    text = with_edits(  # 1, 2, 4, 5, 6, 7: the parents follow
        original,
        ("HL*6*5*23*0~", "HL*7*6*23*0~"),
        ("HL*5*1*22*1~", "HL*6*1*22*1~"),
        ("HL*4*3*23*0~", "HL*5*4*23*0~"),
        ("HL*3*1*22*1~", "HL*4*1*22*1~"),
    )
    claims, reader = read(text)
    assert len(claims) == 3
    assert [(d.code, d.location.segment_index, d.expected) for d in reader.diagnostics] == [
        ("claim.hl_number", 23, ("3",)),  # segment 23 of the set: line 25's HL
    ]
    assert edi.write_837(claims) == original
    # A number that is none does not reset the count.
    claims, reader = read(original.replace("HL*2*1*", "HL*X*1*"))
    assert [(d.code, d.expected) for d in reader.diagnostics] == [("claim.hl_number", ("2",))]
    # Nor does a typo: the next HL, counted from the one expected, tells it is one (the count
    # had gone on from the typo, and said the next HL out of it too).
    claims, reader = read(original.replace("HL*2*1*", "HL*20*1*"))
    assert [(d.code, d.expected) for d in reader.diagnostics] == [("claim.hl_number", ("2",))]


def test_a_claim_that_breaks_the_grammar_is_skipped_the_others_read() -> None:
    # A PAT (a 2000B/2000C segment) inside the second claim.
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    text = text.replace("HI*ABK:Z0000~", "HI*ABK:Z0000~\nPAT*19~").replace("SE*44*", "SE*45*")
    claims, reader = read(text)
    assert [c.patient_control_number for c in claims] == ["PCN1001"]
    skipped, structure = reader.diagnostics  # in input order: the claim's CLM, then the PAT in it
    assert str(structure).startswith(
        "segment 40 PAT (line 42, loop 2300 claim): PAT is not expected here; expected one of"
    )
    assert "LX" in structure.expected and structure.ack == "IK304:2"
    assert skipped.code == "claim.skipped" and "'PCN1002'" in skipped.message
    assert structure.context["claim"] == "PCN1002"
    # Strict, the problem raised names its claim too (it did not: it was raised by the grammar,
    # before the claims were named).
    with pytest.raises(StructureError) as raised:
        list(edi.read_claims(text.encode(), strict=True))
    assert raised.value.diagnostic == structure  # with its set's control numbers
    assert raised.value.diagnostic.context["claim"] == "PCN1002"


def test_a_header_value_that_is_invalid_is_said_once_at_its_segment() -> None:
    """A BHT04 that is no date was said twice: invalid at the BHT, and "BHT04 (date) is required but
    missing" at the ST, the header loop's first segment (the PHI reviewer). Once now, at the BHT;
    the set's claims are still not read (the header needs its date)."""
    text = (FIXTURES / "837p/replacement_void.x12").read_text()
    bht = next(line for line in text.splitlines() if line.startswith("BHT*"))
    date = bht.split("*")[4]
    text = text.replace(bht, bht.replace(f"*{date}*", "*20241331*"))
    claims, reader = read(text)
    assert claims == []
    said = [str(d) for d in reader.diagnostics]
    assert [d for d in said if "BHT04" in d] == [
        "segment 2 BHT (line 4, loop ST transaction, element BHT04): BHT04 is '20241331', not a "
        "date CCYYMMDD"
    ]


def test_required_data_missing_skips_the_claim() -> None:
    text = (FIXTURES / "837p/replacement_void.x12").read_text()
    text = text.replace("CLM*PCN6002*75*", "CLM*PCN6002*SEVENTY*")
    claims, reader = read(text)
    assert [c.patient_control_number for c in claims] == ["PCN6001"]
    # Reported once, as invalid: not again as "CLM02 (total charge) is required but missing".
    assert [str(d) for d in reader.diagnostics] == [
        # Not quoted: text longer than a code and not written as numbers are may be data (PHI).
        "segment 24 CLM (line 26, loop 2300 claim, element CLM02): CLM02 (7 characters) is not a "
        "decimal number such as 125.50",
        "segment 24 CLM (line 26, loop 2300 claim): claim 'PCN6002' is not read: required data is "
        "missing or invalid",
    ]
    with pytest.raises(DataError) as raised:
        list(edi.read_claims(text.encode(), strict=True))
    said = raised.value.diagnostic
    assert said == reader.diagnostics[0]
    assert (said.set_control_number, said.context["claim"]) == ("0001", "PCN6002")


def test_an_amount_with_an_underscore_is_no_amount_when_read() -> None:
    """X12's R is digits with an optional leading minus and decimal point (x12-notes §1.4):
    Python's Decimal reads `7_5` as 75, the reader does not (nor do JSON and the models)."""
    text = (FIXTURES / "837p/replacement_void.x12").read_text()
    text = text.replace("CLM*PCN6002*75*", "CLM*PCN6002*7_5*")
    claims, reader = read(text)
    assert [c.patient_control_number for c in claims] == ["PCN6001"]
    assert [str(d) for d in reader.diagnostics] == [
        "segment 24 CLM (line 26, loop 2300 claim, element CLM02): CLM02 is '7_5', not a decimal "
        "number such as 125.50",
        "segment 24 CLM (line 26, loop 2300 claim): claim 'PCN6002' is not read: required data is "
        "missing or invalid",
    ]


def test_isa12_of_another_version_is_said_and_kept_and_the_claims_read() -> None:
    text = (FIXTURES / "837p/dependent.x12").read_text()
    assert text.count("*00501*") == 1
    wrong = text.replace("*00501*", "*00401*")
    claims, reader = read(wrong)
    assert len(claims) == 3
    assert [(d.code, d.location.element, d.expected) for d in reader.diagnostics] == [
        ("envelope.isa12", "ISA12", ("00501",))
    ]
    assert edi.write_837(claims) == wrong  # kept as read, as the other envelope values read


@pytest.mark.parametrize(
    ("segment", "position", "value", "code"),
    [("GS", 4, "2024", "envelope.gs04"), ("ISA", 5, "AA", "envelope.isa05")],
)
def test_an_envelope_value_that_breaks_its_rule_is_said_and_kept_and_the_claims_read(
    segment: str, position: int, value: str, code: str
) -> None:
    text = (FIXTURES / "837p/dependent.x12").read_text()
    line = next(line for line in text.splitlines() if line.startswith(f"{segment}*"))
    els = line.split("*")
    els[position] = value
    wrong = text.replace(line, "*".join(els))
    claims, reader = read(wrong)
    assert len(claims) == 3
    element = f"{segment}{position:02d}"
    assert [(d.code, d.location.element) for d in reader.diagnostics] == [(code, element)]
    assert edi.write_837(claims) == wrong  # kept as read, as the other envelope values read


def test_an_st02_read_outside_its_size_is_said_and_kept_but_not_one_set_since() -> None:
    text = (FIXTURES / "837p/dependent.x12").read_text()
    assert "ST*837*0001*" in text and "SE*56*0001~" in text
    wrong = text.replace("ST*837*0001*", "ST*837*1*").replace("SE*56*0001~", "SE*56*1~")
    claims, reader = read(wrong)
    assert [(d.code, d.location.element) for d in reader.diagnostics] == [("envelope.st02", "ST02")]
    assert edi.write_837(claims) == wrong  # kept as read
    claims[0].envelope.set_control_number = "2"  # not as read: the rule holds
    with pytest.raises(
        edi.ClaimCheckError, match=r"set control number \(ST02\) '2' must be 4 to 9"
    ):
        edi.write_837(claims)


def test_an_invalid_optional_value_is_reported_and_kept() -> None:
    text = (
        (FIXTURES / "837p/drug.x12").read_text().replace("DMG*D8*19600606*F~", "DMG*D8*19601306*F~")
    )
    claims, reader = read(text)
    (claim,) = claims
    assert claim.subscriber.birth_date is None
    (diag,) = reader.diagnostics
    assert (diag.code, diag.location.element, diag.ack) == (
        "mapping.invalid_value",
        "DMG02",
        "IK403:8",
    )
    # The text read is written back as read, on request: a checked write refuses a birth date
    # that is no date (the guide's DMG02 is a D8 date), as write_835 refuses a DTM02 that is none.
    assert edi.write_837(claims, check=False) == text
    with pytest.raises(edi.ClaimCheckError) as refused:
        edi.write_837(claims)
    assert refused.value.problems == [
        "claim PCN5001: subscriber (2010BA): DMG02 (text kept from the file read) is no date of "
        "its format (DMG01 D8: CCYYMMDD)"
    ]


@pytest.mark.parametrize(
    ("kept", "said"),
    [
        # a service date that is no day: said by the date check, not as a date the line lacks
        ("DTP*472*D8*20240230~", "line 1: DTP*472 DTP03"),
        ("DTP*472*RD8*20240201-20240230~", "line 1: DTP*472 DTP03"),  # a range's end
        ("DTP*472*D8*2024021~", "line 1: DTP*472 DTP03"),  # 7 digits
    ],
)
def test_a_kept_date_that_is_no_date_is_refused_when_written(kept: str, said: str) -> None:
    text = (FIXTURES / "837p/drug.x12").read_text()
    assert text.count("DTP*472*D8*20240312~") == 2  # line 1's first
    claims, reader = read(text.replace("DTP*472*D8*20240312~", kept, 1))
    assert [d.location.element for d in reader.diagnostics] == ["DTP03"]
    fmt = kept.split("*")[2]
    shape = {"D8": "CCYYMMDD", "RD8": "CCYYMMDD-CCYYMMDD"}[fmt]
    assert edi.check_claims(claims) == [
        f"claim PCN5001: {said} (text kept from the file read) is no date of its format "
        f"(DTP02 {fmt}: {shape})"
    ]
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)
    assert kept in edi.write_837(claims, check=False)


@pytest.mark.parametrize(
    ("old", "kept", "said"),
    [
        # a date of a format its guide does not take there: the reader keeps the text (the model
        # has no value of it), and no other check would see it. 837P map line 1386 (DTP*472
        # DTP02 D8, RD8), 372 (DTP*431: D8), 274 (DMG01: D8).
        (
            "DTP*472*D8*20240305~",
            "DTP*472*ZZ*SECRET~",
            "line 1: DTP*472 DTP03 (text kept from the file read) has the format 'ZZ' (DTP02); "
            "the 837P guide takes D8 or RD8 there",
        ),
        (
            "DTP*431*D8*20240301~",
            "DTP*431*DT*202403011200~",
            "DTP*431 DTP03 (text kept from the file read) has the format 'DT' (DTP02); the 837P "
            "guide takes D8 there",
        ),
        (
            "DMG*D8*19800101*",
            "DMG*RD8*19800101-19800101*",
            "subscriber (2010BA): DMG02 (text kept from the file read) has the format 'RD8' "
            "(DMG01); the 837P guide takes D8 there",
        ),
    ],
)
def test_a_kept_date_of_a_format_its_guide_does_not_take_is_refused(
    old: str, kept: str, said: str
) -> None:
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    assert old in text  # the first claim's (its first line's); the DMG is of both its claims
    claims, _ = read(text.replace(old, kept, 1))
    both = ("PCN1001", "PCN1002") if old.startswith("DMG") else ("PCN1001",)
    assert edi.check_claims(claims) == [f"claim {pcn}: {said}" for pcn in both]
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)
    assert kept in edi.write_837(claims, check=False)


@pytest.mark.parametrize(
    ("pointers", "expected", "invalid"),
    [
        ("1::2", [1, 2], False),  # an empty component between two
        ("1:X:2", [1, 2], True),  # an invalid one: reported
        (":::1", [1], False),
        ("2:1", [2, 1], False),
    ],
)
def test_diagnosis_pointers_are_numbers_without_gaps(
    pointers: str, expected: list[int], invalid: bool
) -> None:
    text = (FIXTURES / "837p/dependent.x12").read_text()
    text = text.replace("SV1*HC:99213:25*95*UN*1***1:2~", f"SV1*HC:99213:25*95*UN*1***{pointers}~")
    claims, reader = read(text)
    assert claims[1].lines[0].diagnosis_pointers == expected
    assert [d.code for d in reader.diagnostics] == (["mapping.invalid_value"] if invalid else [])
    assert edi.check_claims(claims) == []  # numbers the checks can compare
    assert edi.write_837(claims) == text  # the text read is written back
    # The JSON form is valid claim JSON, and a claim built from it is written canonically.
    rebuilt = edi.load_claims([claims[1].model_dump(mode="json")])
    assert rebuilt[0].lines[0].diagnosis_pointers == expected
    canonical = ":".join(map(str, expected))
    assert f"***{canonical}~" in edi.write_837(rebuilt)


def test_a_list_of_numbers_must_lie_in_one_element() -> None:
    class Spread(SegmentModel):
        numbers: Annotated[list[int], Elems("01", "02")] = []

    with pytest.raises(MappingDefinitionError, match="components of one element"):
        _scalars(Spread, "numbers", Elems("01", "02"), list[int])
    assert len(_scalars(Spread, "numbers", Elems("01-01", "01-02"), list[int])) == 2


def test_a_segment_that_gives_no_value_is_written_back() -> None:
    # NM1*40 with nothing but its qualifier: the receiver's fields stay empty, the segment stays.
    text = (FIXTURES / "837p/dependent.x12").read_text()
    text = text.replace("NM1*40*2*EXAMPLE HEALTH PLAN*****46*EXAMPLEPAYER~", "NM1*40~")
    claims, reader = read(text)
    assert len(claims) == 3 and not reader.diagnostics
    assert claims[0].header.receiver is not None and claims[0].header.receiver.name is None
    # A receiver without NM102 fails the checks (the guide requires it): written as read on request.
    with pytest.raises(edi.ClaimCheckError, match=r"receiver \(1000B\): no entity type"):
        edi.write_837(claims)
    assert edi.write_837(claims, check=False) == text


@pytest.mark.parametrize(
    ("kind", "read", "bare", "problem"),
    [
        # Every REF of the three guides requires REF02, every DTP DTP02 and DTP03, every AMT AMT02,
        # the billing provider's PRV*BI PRV02 and PRV03 (maps: usage=R).
        (
            "837i/inpatient",
            "REF*EA*MRN8001~",
            "REF*EA~",
            "claim PCN8001: REF*EA without REF02 (medical_record_number); the 837I guide requires it",
        ),
        (
            "837i/inpatient",
            "LX*3~\nSV2*0300*HC:80053*1200*UN*1~\nDTP*472*D8*20240201~",
            "LX*3~\nSV2*0300*HC:80053*1200*UN*1~\nDTP*472~",
            "claim PCN8001: line 3: DTP*472 without DTP03 (service_date); the 837I guide requires it",
        ),
        (
            "837i/cob_secondary",
            "AMT*EAF*500~",
            "AMT*EAF~",
            "claim PCN7001: prior payer 1 (2320): AMT*EAF without AMT02 "
            "(remaining_patient_liability); the 837I guide requires it",
        ),
        (
            "837d/restorative",
            "PRV*BI*PXC*1223G0001X~",
            "PRV*BI~",
            "billing provider (2000A): PRV*BI without PRV03 (taxonomy); the 837D guide requires it",
        ),
    ],
)
def test_a_qualified_segment_read_without_its_value_fails_the_checks(
    kind: str, read: str, bare: str, problem: str
) -> None:
    """A segment of a qualified field read with its qualifier alone is kept and written back as read
    (`REF*EA~`), but the value is what the guides require: the checks said nothing, and a checked
    `write_837` wrote the segment the guide refuses."""
    text = (FIXTURES / f"{kind}.x12").read_text()
    assert text.count(read) == 1
    text = text.replace(read, bare)
    claims = list(edi.read_claims(text))
    problems = edi.check_claims(claims)
    assert any(p.endswith(problem) for p in problems), problems
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)
    assert edi.write_837(claims, check=False) == text


@pytest.mark.parametrize(
    ("kind", "read", "past", "problems"),
    [
        # CAS has 19 elements (6 triplets from CAS02): a seventh triplet is in no adjustment, so
        # in no balance; the checks said nothing and a checked write wrote it.
        (
            "837i/cob_secondary",
            "CAS*CO*45*500~",
            "CAS*CO*45*10**45*10**45*10**45*10**45*10**45*450**45*7~",
            [
                "claim PCN7001: prior payer 1 (2320): CAS has CAS20 (text kept from the file "
                "read); the 837I guide does not use it (CAS has 19 elements)",
                "claim PCN7001: prior payer 1 (2320): CAS has CAS21 (text kept from the file "
                "read); the 837I guide does not use it (CAS has 19 elements)",
            ],
        ),
        (
            "837i/cob_secondary",
            "CAS*PR*2*30~",
            "CAS*PR*2*30**1*0**1*0**1*0**1*0**1*0**3*0~",
            [
                "claim PCN7002: line 1: adjudication 1 (2430): CAS has CAS20 (text kept from the "
                "file read); the 837I guide does not use it (CAS has 19 elements)",
                "claim PCN7002: line 1: adjudication 1 (2430): CAS has CAS21 (text kept from the "
                "file read); the 837I guide does not use it (CAS has 19 elements)",
            ],
        ),
        # HI has 12 elements: a thirteenth condition code is in no code of the claim.
        (
            "837i/inpatient",
            "HI*BG:39~",
            "HI*BG:39*BG:40*BG:41*BG:42*BG:43*BG:44*BG:45*BG:46*BG:47*BG:48*BG:49*BG:50*BG:51~",
            [
                "claim PCN8001: HI has HI13 (text kept from the file read); the 837I guide "
                "does not use it (HI has 12 elements)"
            ],
        ),
        # Many past the last are one run (one problem each had made 1,000 lines of one HI).
        (
            "837i/inpatient",
            "HI*BG:39~",
            "HI*BG:39*BG:40*BG:41*BG:42*BG:43*BG:44*BG:45*BG:46*BG:47*BG:48*BG:49*BG:50"
            + "*BG:51" * 996
            + "~",
            [
                "claim PCN8001: HI has HI13 to HI1008 (996 of them) (text kept from the file "
                "read); the 837I guide does not use them (HI has 12 elements)"
            ],
        ),
    ],
)
def test_an_element_past_the_last_of_a_cas_or_hi_fails_the_checks(
    kind: str, read: str, past: str, problems: list[str]
) -> None:
    text = (FIXTURES / f"{kind}.x12").read_text()
    assert text.count(read) == 1
    text = text.replace(read, past)
    claims = list(edi.read_claims(text))
    assert edi.check_claims(claims) == problems
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)
    assert edi.write_837(claims, check=False) == text  # kept, and written back as read


@pytest.mark.parametrize(
    ("kind", "read", "bad", "problem"),
    [
        # BHT02 [00,18]: both maps line 38
        ("837p/drug", "BHT*0019*00*", "BHT*0019*18*", None),
        ("837p/drug", "BHT*0019*00*", "BHT*0019*ZZ*", "BHT02 (purpose) is 'ZZ', not one of 00, 18"),
        (
            "837i/inpatient",
            "BHT*0019*00*",
            "BHT*0019*01*",
            "BHT02 (purpose) is '01', not one of 00, 18",
        ),
        # 2320 SBR02 [01,18,19,20,21,39,40,53,G8]: 837P line 1034, 837I line 1707
        ("837p/cob_secondary", "SBR*P*18*GRP2001*", "SBR*P*G8*GRP2001*", None),
        (
            "837p/cob_secondary",
            "SBR*P*18*GRP2001*",
            "SBR*P*ZZ*GRP2001*",
            "SBR02 (relationship) is 'ZZ', not one of 01, 18, 19, 20, 21, 39, 40, 53, G8",
        ),
        (
            "837i/cob_secondary",
            "SBR*P*18*GRP7001*",
            "SBR*P*17*GRP7001*",
            "SBR02 (relationship) is '17', not one of 01, 18, 19, 20, 21, 39, 40, 53, G8",
        ),
        # 837P 2410 LIN02 [EN,EO,HI,N4,ON,UK,UP]: line 1552
        ("837p/drug", "LIN**N4*", "LIN**UP*", None),
        (
            "837p/drug",
            "LIN**N4*",
            "LIN**ZZ*",
            "LIN02 (qualifier) is 'ZZ', not one of EN, EO, HI, N4, ON, UK, UP",
        ),
    ],
)
def test_bht02_prior_payer_sbr02_and_837p_lin02_take_their_map_codes(
    kind: str, read: str, bad: str, problem: str | None
) -> None:
    """Any value was accepted there and written by a checked write_837 (pyx12: 'is not a valid
    code')."""
    text = (FIXTURES / f"{kind}.x12").read_text()
    assert text.count(read) == 1
    claims = list(edi.read_claims(text.replace(read, bad)))
    found = edi.check_claims(claims)
    if problem is None:
        assert found == []
        return
    assert any(problem in p for p in found), found
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)


@pytest.mark.parametrize(
    ("kind", "read", "blank", "party"),
    [
        # NM102 is usage=R in every NM1 of both maps (837P lines 120, 165, 251, 308, 1124, 1926;
        # 837I line 120).
        ("837p/ambulance_dme", "NM1*85*2*", "NM1*85**", "billing provider (2010AA)"),
        ("837p/several_providers", "NM1*87*2~", "NM1*87~", "pay-to address (2010AB)"),
        ("837p/ambulance_dme", "NM1*IL*1*", "NM1*IL**", "subscriber (2010BA)"),
        ("837p/ambulance_dme", "NM1*PR*2*", "NM1*PR**", "payer (2010BB)"),
        (
            "837p/cob_secondary",
            "NM1*PR*2*EXAMPLE HEALTH PLAN*****PI*EXAMPLEHP01~\nDTP",
            "NM1*PR**EXAMPLE HEALTH PLAN*****PI*EXAMPLEHP01~\nDTP",
            "prior payer 1: other payer (2330B)",
        ),
        ("837p/dependent", "NM1*QC*1*", "NM1*QC**", "patient (2010CA)"),
        ("837i/inpatient", "NM1*85*2*", "NM1*85**", "billing provider (2010AA)"),
    ],
)
def test_a_party_read_without_its_entity_type_fails_the_checks(
    kind: str, read: str, blank: str, party: str
) -> None:
    """An NM1 read with an empty NM102 kept it empty: the checks said nothing and a checked
    write_837 wrote it so (pyx12: 'Mandatory data element ... (NM102) is missing')."""
    text = (FIXTURES / f"{kind}.x12").read_text()
    assert read in text
    text = text.replace(read, blank, 1)
    claims = list(edi.read_claims(text))
    said = f"{party}: no entity type (NM102: 1 person, 2 organization), which the guide requires"
    assert any(p.endswith(said) for p in edi.check_claims(claims)), edi.check_claims(claims)
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)
    assert pyx12_oracle.errors(edi.write_837(claims, check=False))


@pytest.mark.parametrize(
    ("kind", "read", "unused", "problem"),
    [
        # HI-07 and HI-08 are NOT USED in every HI composite of both maps (837P lines 596-597, 837I
        # lines 468-469 ...); C022 has nine components.
        ("837p/dependent", "HI*ABK:J029*", "HI*ABK:J029:::::X*", "HI01-07"),
        ("837p/dependent", "*ABF:R5081~", "*ABF:R5081::::::X~", "HI02-08"),
        ("837i/inpatient", "HI*ABJ:R079~", "HI*ABJ:R079:::::X~", "HI01-07"),
        ("837i/inpatient", "HI*BH:11:D8:20240201~", "HI*BH:11:D8:20240201::::X~", "HI01-08"),
        ("837i/inpatient", "*ABF:E785:::::::N~", "*ABF:E785:::::X::N~", "HI02-07"),
        ("837i/inpatient", "HI*BG:39~", "HI*BG:39::::::::X~", "HI01-10"),
    ],
)
def test_an_hi_component_the_maps_do_not_use_fails_the_checks(
    kind: str, read: str, unused: str, problem: str
) -> None:
    """Text read in HIxx-07/08 (or past HIxx-09) is in no field of the code: the checks said
    nothing and a checked write_837 wrote it back (pyx12: 'marked as Not Used')."""
    text = (FIXTURES / f"{kind}.x12").read_text()
    assert text.count(read) == 1
    text = text.replace(read, unused)
    claims = list(edi.read_claims(text))
    assert any(
        f"HI has {problem} (text kept from the file read)" in p for p in edi.check_claims(claims)
    )
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)
    if not problem.endswith("-10"):  # pyx12 4.0.0 fails (IndexError) on a tenth component
        assert pyx12_oracle.errors(edi.write_837(claims, check=False))


@pytest.mark.parametrize(
    ("kind", "read", "changed", "problem"),
    [
        # HI01 is usage=R in every HI of both maps (837P line 589 ..., 837I line 461 ...); an empty
        # HI02 between two codes is no error (pyx12 takes it).
        ("837p/ambulance_dme", "HI*ABK:M9903*", "HI**ABK:M9903*", "HI without HI01"),
        ("837i/inpatient", "HI*ABF:I10:::::::Y*", "HI**", "HI without HI01"),
        ("837i/inpatient", "HI*ABF:I10:::::::Y*", "HI*ABF:I10:::::::Y**", None),
    ],
)
def test_an_hi_read_with_an_empty_hi01_fails_the_checks(
    kind: str, read: str, changed: str, problem: str | None
) -> None:
    """`HI**ABF:E785` was kept as read and written so by a checked write_837 (pyx12: 'Segment HI*
    not found')."""
    text = (FIXTURES / f"{kind}.x12").read_text()
    assert text.count(read) == 1
    text = text.replace(read, changed)
    pyx12_oracle.checked_as_pyx12_checks(text, problem)


_TRAILING = "is an empty element at the end of the segment (a trailing separator"
_POINT = "ends with a decimal point (kept from the file read); X12 leaves it out of a whole number"
_EMPTY_PART = "ends with an empty component (a trailing component separator"


@pytest.mark.parametrize(
    ("old", "changed", "problem"),
    [
        ("CLM*PCN2001*95***", "CLM*PCN2001*095***", "CLM02 has leading zeros"),
        ("SV1*HC:99213*95*UN*1***1~", "SV1*HC:99213*95*UN*01***1~", "SV104 has leading zeros"),
        ("SV1*HC:99213*95*UN*1***1~", "SV1*HC:99213*95*UN*-0***1~", "SV104 is a negative zero"),
        ("SV1*HC:99213*95*UN*1***1~", "SV1*HC:99213*95*UN*-0.0***1~", "SV104 is a negative zero"),
        ("SV1*HC:99213*95*UN*1***1~", "SV1*HC:99213*95*UN*-.0***1~", "SV104 is a negative zero"),
        ("CLM*PCN2001*95***", "CLM*PCN2001*95.000***", "CLM02 (total_charge) has zeros past the"),
        # A zero before the point is the number's own; a negative fraction is no negative zero.
        ("SV1*HC:99213*95*UN*1***1~", "SV1*HC:99213*95*UN*0.5***1~", None),
        ("CLM*PCN2001*95***", "CLM*PCN2001*95.00***", None),
    ],
)
def test_a_number_read_in_a_form_x12_leaves_out_fails_the_checks(
    old: str, changed: str, problem: str | None
) -> None:
    """X12.6 and the guides' B.1.1.3.1.2 (X12 RFIs 1526, 1924): a number's leading zeros are left
    out, a minus sign is for negative values, and the zeros past an amount's cents are reported
    places, which RFI 1526 says must be suppressed. Read, the text is kept and written back as read
    unchecked; the checks and a checked write refuse it (the purist tester)."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    assert text.count(old) == 1
    text = text.replace(old, changed)
    claims, reader = read(text)
    assert [d for d in reader.diagnostics if d.severity is Severity.ERROR] == []
    found = edi.check_claims(claims)
    assert edi.write_837(claims, check=False) == text
    if problem is None:
        assert found == [] and edi.write_837(claims) == text
        return
    if "negative zero" in problem:  # zero units too, which a line does not bill (Stedi's edit)
        units = [p for p in found if "(SV104) is not more than zero" in p]
        assert len(units) == 1, found
        found.remove(units[0])
    assert [p for p in found if problem in p] == found and len(found) == 1, found
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)


def test_an_amount_made_with_zeros_past_its_cents_is_refused() -> None:
    """`Decimal("95.000")` is written as its text: eleven digits for 99999999.990, which HIPAA's ten
    (RFI 1526, reported places included) do not hold; refused, as `95.00` is not."""
    claims = fixture_claims("837p/subscriber_is_patient")
    claim = claims[0]
    claim.lines[1].professional.charge = Decimal("50.000")  # type: ignore[union-attr]
    with pytest.raises(edi.ClaimCheckError) as caught:
        write(claims)
    assert caught.value.problems == [
        "claim PCN1001: line 2: SV102 (professional.charge) has zeros past the cents, which X12 "
        "leaves out of an amount (X12 RFI 1526: they are no precision a dollar amount needs)"
    ]
    claim.lines[1].professional.charge = Decimal("50.00")  # type: ignore[union-attr]
    assert "SV1*HC:87880*50.00*" in write(claims)


@pytest.mark.parametrize(
    ("kind", "read", "changed", "problem"),
    [
        # X12 leaves out empty elements at the end of a segment (x12-notes §1.2; TR3 B.1.1.3.10 as
        # X12 RFI 1498 quotes it): pyx12 'Segment contains trailing element terminators'. The
        # billing provider's REF*EI ends at REF02 (837P map line 142), CLM at CLM20 (line 341).
        ("837p/dependent", "REF*EI*123456789~", "REF*EI*123456789*~", f"REF03 {_TRAILING}"),
        (
            "837p/dependent",
            "CLM*PCN2001*95***11:B:1*Y*A*Y*Y~",
            "CLM*PCN2001*95***11:B:1*Y*A*Y*Y**~",
            f"CLM11 {_TRAILING}",
        ),
        # CLM02, SV102 and SV104 are R (837P map lines 343, 1283, 1285), SV203 too (837I map line
        # 2020); the TR3's appendix B
        # (B.1.1.3.1.2, X12 RFI 1526) omits the decimal point of a whole number: pyx12 'contains an
        # invalid character'.
        ("837p/dependent", "CLM*PCN2001*95***", "CLM*PCN2001*95.***", f"CLM02 {_POINT}"),
        (
            "837p/dependent",
            "SV1*HC:99213*95*UN*1***1~",
            "SV1*HC:99213*95*UN*1.***1~",
            f"SV104 {_POINT}",
        ),
        ("837i/inpatient", "SV2*0250**800*UN*10~", "SV2*0250**800.*UN*10~", f"SV203 {_POINT}"),
        # A decimal point before digits stays.
        ("837p/dependent", "SV1*HC:99213*95*UN*1***1~", "SV1*HC:99213*95*UN*1.5***1~", None),
    ],
)
def test_text_kept_from_the_file_that_x12_forbids_fails_the_checks(
    kind: str, read: str, changed: str, problem: str | None
) -> None:
    """A trailing separator or a whole number's decimal point, read, was kept and written back by a
    checked write_837: only text kept from a file read can hold them."""
    text = with_edits((FIXTURES / f"{kind}.x12").read_text(), (read, changed))
    claims = list(edi.read_claims(text))
    assert edi.write_837(claims, check=False) == text  # the reader keeps what it reads
    if problem is not None:
        with pytest.raises(edi.ClaimCheckError) as caught:
            edi.write_837(claims)
        assert any(problem in p for p in caught.value.problems), caught.value.problems
    pyx12_oracle.checked_as_pyx12_checks(text, problem)


def test_a_trailing_separator_in_segments_kept_after_the_last_claim_fails_the_checks() -> None:
    # An HL level opened at the very end of a set, with no claim, is kept and written back after the
    # last claim (the reader says so); its SBR ends at SBR09 (837P map line 228).
    text = (FIXTURES / "837p/dependent.x12").read_text()
    se = re.search(r"SE\*\d+\*\d+~", text)
    assert se is not None
    text = with_edits(text, (se[0], f"HL*9*1*22*0~\nSBR*P*18*GRPX******CI*~\n{se[0]}"))
    claims = list(edi.read_claims(text))
    assert edi.write_837(claims, check=False) == text
    assert f"SBR10 {_TRAILING}" in edi.check_claims(claims)[-1]


def test_a_composite_read_with_a_trailing_component_separator_fails_the_checks() -> None:
    # X12.6 3.6, as X12 RFI 1498 quotes it: empty components at the end of a composite are left out
    # with their separators, as a segment's empty elements are. SV101 is a composite (837P map line
    # 1274). pyx12 does not look at it: the write is refused without it.
    text = with_edits(
        (FIXTURES / "837p/dependent.x12").read_text(),
        ("SV1*HC:99213*95*UN*1***1~", "SV1*HC:99213:*95*UN*1***1~"),
    )
    claims = list(edi.read_claims(text))
    assert edi.write_837(claims, check=False) == text
    # Said of the line whose SV1 holds it (it was said of the claim).
    assert edi.check_claims(claims) == [
        f"claim PCN2001: line 1: SV101 {_EMPTY_PART}, kept from the file "
        "read); X12 leaves out empty components at the end of a composite"
    ]
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)


@pytest.mark.parametrize(
    ("kind", "read", "changed", "problem"),
    [
        ("837p/dependent", "HI*ABK:M545~", "HI*ABK:M545*~", f"HI02 {_TRAILING}"),
        ("837i/inpatient", "HI*ABK:I214:::::::Y~", "HI*ABK:I214:::::::Y:~", f"HI01 {_EMPTY_PART}"),
        # A 2430 CAS (a group slot, as HI) of a COB claim.
        ("837p/cob_secondary", "CAS*PR*2*30~", "CAS*PR*2*30**~", f"CAS05 {_TRAILING}"),
    ],
)
def test_a_trailing_separator_in_segments_of_element_groups_fails_the_checks(
    kind: str, read: str, changed: str, problem: str
) -> None:
    # HI and CAS are read into one model per composite or triplet; what the file read gave them
    # past their last value is kept with the segment's notes. check_claims did not look there: it
    # passed what write_837 then refused (and `edi claims` said nothing).
    text = with_edits((FIXTURES / f"{kind}.x12").read_text(), (read, changed))
    claims = list(edi.read_claims(text))
    assert edi.write_837(claims, check=False) == text
    said = edi.check_claims(claims)
    assert len(said) == 1 and problem in said[0], said
    with pytest.raises(edi.ClaimCheckError) as caught:
        edi.write_837(claims)
    assert [str(p) for p in caught.value.problems] == said


@pytest.mark.parametrize(
    ("read", "changed", "problem"),
    [
        # 837I HI-03 usage=R in the dated composites: BBR line 812 (D8), BI line 955 (RD8), BH line
        # 1076 (D8)
        ("HI*BBR:02703ZZ:D8:", "HI*BBR:02703ZZ::", "code 5 (BBR) has a date without its format"),
        ("HI*BI:70:RD8:", "HI*BI:70::", "code 6 (BI) has a date without its format"),
        ("HI*BH:11:D8:", "HI*BH:11::", "code 7 (BH) has a date without its format"),
        ("HI*BH:11:D8:20240201~", "HI*BH:11:D8:20240203~", None),
    ],
)
def test_an_837i_dated_hi_code_read_without_its_date_format_fails_the_checks(
    read: str, changed: str, problem: str | None
) -> None:
    """The empty HI-03 was kept and written so by a checked write_837 (pyx12: 'Mandatory data
    element "Date Time Period Format Qualifier" (HI01-03) is missing')."""
    text = (FIXTURES / "837i/inpatient.x12").read_text()
    assert text.count(read) == 1
    text = text.replace(read, changed)
    pyx12_oracle.checked_as_pyx12_checks(text, problem)


@pytest.mark.parametrize(
    ("kind", "read", "changed", "problem"),
    [
        # N301 is usage=R in every N3 of both maps (837P 2010BA line 263, 837I 2010AA line 132
        # ...), N401 in every N4 (837P 2010BA line 266)
        (
            "837p/ambulance_dme",
            "MBR8001~\nN3*70 WALNUT ST~",
            "MBR8001~\nN3~",
            "subscriber (2010BA): N3 without N301 (address_line_1)",
        ),
        (
            "837p/ambulance_dme",
            "MBR8001~\nN3*70 WALNUT ST~\nN4*SPRINGFIELD*IL*62701~",
            "MBR8001~\nN3*70 WALNUT ST~\nN4~",
            "subscriber (2010BA): N4 without N401 (city)",
        ),
        (
            "837i/inpatient",
            "N3*1 HOSPITAL DR~",
            "N3~",
            "billing provider (2010AA): N3 without N301 (address_line_1)",
        ),
        ("837i/inpatient", "N3*1 HOSPITAL DR~", "N3*1 HOSPITAL DR*SUITE 2~", None),
    ],
)
def test_an_address_segment_read_bare_fails_the_checks(
    kind: str, read: str, changed: str, problem: str | None
) -> None:
    """`N3~` was kept and written back bare by a checked write_837, its fields all empty (pyx12:
    'Segment "N3*~" is empty')."""
    text = (FIXTURES / f"{kind}.x12").read_text()
    assert text.count(read) == 1
    text = text.replace(read, changed)
    pyx12_oracle.checked_as_pyx12_checks(text, problem)


_KEPT_NOT_USED = "(kept from the file read) is not used in loop"


@pytest.mark.parametrize(
    ("kind", "read", "changed", "problem"),
    [
        # BHT01 [0019]: both maps line 37
        (
            "837p/ambulance_dme",
            "BHT*0019*",
            "BHT*ZZZZ*",
            "BHT01 (structure) is a value, not one of 0019",
        ),
        (
            "837i/inpatient",
            "BHT*0019*",
            "BHT*0091*",
            "BHT01 (structure) is a value, not one of 0019",
        ),
        # 837P CR301 [I,R,S]: line 1355
        ("837p/ambulance_dme", "CR3*I*", "CR3*S*", None),
        (
            "837p/ambulance_dme",
            "CR3*I*",
            "CR3*Z*",
            "CR301 (equipment_certification.type) is 'Z', not one of I, R, S",
        ),
        # The 2000A PRV takes PRV01 BI (both maps line 88)
        ("837p/several_providers", "PRV*BI*", "PRV**", f"PRV without PRV01 {_KEPT_NOT_USED} 2000A"),
        ("837p/several_providers", "PRV*BI*", "PRV*ZZ*", f"PRV*ZZ {_KEPT_NOT_USED} 2000A"),
        # 2320 AMT [D,A8,EAF]: 837P lines 1062-1070, 837I lines 1735-1743
        ("837p/cob_secondary", "AMT*D*120~", "AMT*A8*120~", None),
        (
            "837p/cob_secondary",
            "AMT*D*120~",
            "AMT**120~",
            f"AMT without AMT01 {_KEPT_NOT_USED} 2320",
        ),
        (
            "837p/cob_secondary",
            "AMT*EAF*15~",
            "AMT**15~",
            f"AMT without AMT01 {_KEPT_NOT_USED} 2320",
        ),
        (
            "837i/cob_secondary",
            "AMT*D*4000~",
            "AMT**4000~",
            f"AMT without AMT01 {_KEPT_NOT_USED} 2320",
        ),
        # 2330B DTP [573]: 837P line 1146
        (
            "837p/cob_secondary",
            "DTP*573*D8*20240305~\nREF*F8*ICN2002~",
            "DTP**D8*20240305~\nREF*F8*ICN2002~",
            f"DTP without DTP01 {_KEPT_NOT_USED} 2330B",
        ),
        (
            "837p/cob_secondary",
            "DTP*573*D8*20240305~\nREF*F8*ICN2002~",
            "DTP*ZZZ*D8*20240305~\nREF*F8*ICN2002~",
            f"DTP*ZZZ {_KEPT_NOT_USED} 2330B",
        ),
        # 2430 AMT [EAF]: 837P line 1893
        (
            "837p/cob_secondary",
            "AMT*EAF*30~",
            "AMT**30~",
            f"AMT without AMT01 {_KEPT_NOT_USED} 2430",
        ),
        ("837p/cob_secondary", "AMT*EAF*30~", "AMT*ZZ*30~", f"AMT*ZZ {_KEPT_NOT_USED} 2430"),
        # 2410 REF [VY,XZ]: 837P line 1609
        ("837p/drug", "REF*XZ*RX5001", "REF*VY*RX5001", None),
        ("837p/drug", "REF*XZ*RX5001", "REF**RX5001", f"REF without REF01 {_KEPT_NOT_USED} 2410"),
        ("837p/drug", "REF*XZ*RX5001", "REF*ZZ*RX5001", f"REF*ZZ {_KEPT_NOT_USED} 2410"),
    ],
)
def test_a_segment_read_with_a_qualifier_its_loop_does_not_list_fails_the_checks(
    kind: str, read: str, changed: str, problem: str | None
) -> None:
    """A qualifier (element 01) the loop's definitions do not list, or none: the segment was kept
    and written back by a checked write_837 (pyx12: 'Segment ... not found'); or taken with any
    code (BHT01, CR301)."""
    text = (FIXTURES / f"{kind}.x12").read_text()
    assert text.count(read) == 1
    text = text.replace(read, changed)
    pyx12_oracle.checked_as_pyx12_checks(text, problem)


@pytest.mark.parametrize(
    ("read", "changed", "problem"),
    [
        # 837P CR2 (2300, line 543): CR208 [A,C,D,E,F,G,M], CR210, CR211; the rest NOT USED
        ("CR2********A**", "CR2********M**", None),
        ("PAIN~", "PAIN*LUMBAR~", None),
        ("CR2********A**", "CR2*X*******A**", "CR2 has CR201 (text kept from the file read)"),
        ("CR2********A**", "CR2****X****A**", "CR2 has CR204 (text kept from the file read)"),
        ("CR2********A**", "CR2*******X*A**", "CR2 has CR207 (text kept from the file read)"),
        ("CR2********A**", "CR2********A*X*", "CR2 has CR209 (text kept from the file read)"),
        ("PAIN~", "PAIN**X~", "CR2 has CR212 (text kept from the file read)"),
        ("PAIN~", "PAIN***X~", "CR2 has CR213 (text kept from the file read)"),
        (
            "CR2********A**",
            "CR2********Z**",
            "CR208 (spinal_manipulation.condition) is 'Z', not one of A, C, D, E, F, G, M",
        ),
        # 837P CR3 (2400, line 1354): CR302 [MO]; CR304, CR305 NOT USED
        ("CR3*I*MO*12~", "CR3*R*MO*6~", None),
        ("CR3*I*MO*12~", "CR3*I*MO*12*X~", "CR3 has CR304 (text kept from the file read)"),
        ("CR3*I*MO*12~", "CR3*I*MO*12**X~", "CR3 has CR305 (text kept from the file read)"),
        ("CR3*I*MO*12~", "CR3*I*MO*12***X~", "CR3 has CR306 (text kept from the file read)"),
        (
            "CR3*I*MO*12~",
            "CR3*I*ZZ*12~",
            "CR302 (equipment_certification.unit) is 'ZZ', not one of MO",
        ),
        # 837P PS1 (2400, line 1529): PS103 NOT USED
        (
            "PS1*1000000095*25~",
            "PS1*1000000095*25*X~",
            "PS1 has PS103 (text kept from the file read)",
        ),
        (
            "PS1*1000000095*25~",
            "PS1*1000000095*25**X~",
            "PS1 has PS104 (text kept from the file read)",
        ),
    ],
)
def test_837p_cr2_cr3_and_ps1_keep_to_the_elements_and_codes_of_the_map(
    read: str, changed: str, problem: str | None
) -> None:
    """CR2, CR3 and PS1 had no usage row: a NOT USED element (or one past the last) read there was
    written back by a checked write_837, and CR208 and CR302 took any value (pyx12: 'marked as Not
    Used', 'Too many elements', 'is not a valid code')."""
    text = (FIXTURES / "837p/ambulance_dme.x12").read_text()
    assert text.count(read) == 1
    text = text.replace(read, changed)
    pyx12_oracle.checked_as_pyx12_checks(text, problem)


@pytest.mark.parametrize(
    ("kind", "segment", "problem"),
    [
        # 2320 OI: usage=R (837P line 1074, 837I line 1747)
        ("837p/cob_secondary", None, None),
        ("837p/cob_secondary", "OI***Y***Y~\n", "(2320): no OI"),
        ("837i/cob_secondary", None, None),
        ("837i/cob_secondary", "OI***Y***Y~\n", "(2320): no OI"),
        # 2410 CTP: usage=R (837P line 1582)
        ("837p/drug", None, None),
        ("837p/drug", "CTP****100*ML~\n", "(2410): no CTP"),
    ],
)
def test_a_prior_payer_without_its_oi_or_a_drug_without_its_ctp_fails_the_checks(
    kind: str, segment: str | None, problem: str | None
) -> None:
    """The 2320 OI and the 2410 CTP are required segments of their loop: a file read without one was
    written so by a checked write_837 (pyx12: 'Mandatory segment ... missing')."""
    text = (FIXTURES / f"{kind}.x12").read_text()
    if segment is not None:
        assert segment in text
        text = text.replace(segment, "", 1)
        text = re.sub(r"SE\*(\d+)\*", lambda m: f"SE*{int(m[1]) - 1}*", text, count=1)
    pyx12_oracle.checked_as_pyx12_checks(text, problem, "requires it")


@pytest.mark.parametrize(
    ("kind", "segment", "loop"),
    [
        # Each max_use=1, the only definition of its segment in the loop (837P map lines cited)
        ("837p/ambulance_dme", None, None),
        ("837p/ambulance_dme", "N3*200 OAK AVE~", "2010AA"),  # line 131
        ("837p/ambulance_dme", "N4*SPRINGFIELD*IL*627040000~", "2010AA"),  # line 134
        ("837p/ambulance_dme", "N3*800 HOSPITAL DR~", "2310F"),  # line 1020
        ("837p/ambulance_dme", "CR1*LB*180**A*DH*12~", "2300"),  # line 532
        ("837p/ambulance_dme", "CR3*I*MO*12~", "2400"),  # line 1354
        ("837p/ambulance_dme", "PS1*1000000095*25~", "2400"),  # line 1529
        ("837p/ambulance_dme", "SV5*HC:E0601*DA*30*120*999*4~", "2400"),  # line 1307
        ("837p/dependent", None, None),
        ("837p/dependent", "SBR*P*18*GRP2001******CI~", "2000B"),  # line 228
        ("837p/dependent", "PAT*19~", "2000C"),  # line 1913
        ("837p/dependent", "DMG*D8*20120910*M~", "2010CA"),  # line 1948
        ("837p/drug", None, None),
        ("837p/drug", "CTP****100*ML~", "2410"),  # line 1582
        ("837p/drug", "REF*XZ*RX5001~", "2410"),  # line 1609
        ("837p/subscriber_is_patient", None, None),
        ("837p/subscriber_is_patient", "PRV*BI*PXC*207Q00000X~", "2000A"),  # line 88
        ("837p/subscriber_is_patient", "PRV*PE*PXC*207Q00000X~", "2310B"),  # line 910
        ("837p/cob_secondary", None, None),
        ("837p/cob_secondary", "OI***Y***Y~", "2320"),  # line 1074
        ("837i/cob_secondary", "DTP*573*D8*20240312~", "2330B"),  # 837P map line 1146
        ("837p/cob_secondary", "AMT*EAF*30~", "2430"),  # line 1893
        # 837I map lines
        ("837i/cob_secondary", None, None),
        ("837i/cob_secondary", "CL1*2*1*01~", "2300"),  # line 356
        ("837i/cob_secondary", "MIA*3***4000*MA01***************N362~", "2320"),  # line 1754
        # (A second SV1, SV2 or SV3 in a line is an LX missing: the claim is not read, see
        # test_a_line_or_adjudication_without_its_first_segment_costs_its_claim.)
        ("837i/cob_secondary", "SV2*0120**3500*DA*2~", None),
    ],
)
def test_a_segment_read_past_its_max_use_fails_the_checks(
    kind: str, segment: str | None, loop: str | None
) -> None:
    """A segment its loop has once at most, read twice: the reader keeps the second as read (its
    model has room for one), and a checked write_837 wrote both (pyx12: 'Segment ... exceeded max
    count')."""
    text = (FIXTURES / f"{kind}.x12").read_text()
    if segment is not None:
        assert segment in text
        text = text.replace(segment, f"{segment}\n{segment}", 1)
        text = re.sub(r"SE\*(\d+)\*", lambda m: f"SE*{int(m[1]) + 1}*", text, count=1)
    if segment is not None and loop is None:  # its claim is not read: one claim less
        reader = edi.read_claims(text)
        read = list(reader)
        assert len(read) == text.count("CLM*") - 1
        assert "structure.missing_segment" in {d.code for d in reader.diagnostics}
        return
    said = None  # the fixture as it is: valid
    if segment is not None and loop is not None:
        said = f"2 {segment.split('*')[0]} segments in loop {loop}"
    pyx12_oracle.checked_as_pyx12_checks(text, said, "at most 1")


@pytest.mark.parametrize("times", [1, 2])
def test_an_837p_drug_loop_read_past_its_repeat_fails_the_checks(times: int) -> None:
    """Loop 2410 repeats once in its line (repeat=1, 837P map line 1549): a second one read was kept
    as read and written back by a checked write_837 (pyx12: 'Loop 2410 exceeded max count')."""
    text = (FIXTURES / "837p/drug.x12").read_text()
    drug = "LIN**N4*57894003001~\nCTP****100*ML~\nREF*XZ*RX5001~\n"
    assert drug in text
    text = text.replace(drug, drug * times, 1)
    text = re.sub(r"SE\*(\d+)\*", lambda m: f"SE*{int(m[1]) + 3 * (times - 1)}*", text, count=1)
    said = None if times == 1 else "2 loops 2410 in loop 2400"
    pyx12_oracle.checked_as_pyx12_checks(text, said, "at most 1")


@pytest.mark.parametrize("times", [1, 2])
def test_a_pay_to_address_loop_read_past_its_repeat_fails_the_checks(times: int) -> None:
    """Loop 2010AB repeats once in its 2000A (repeat=1, 837P map line 162): a second one read was
    kept as read and written back by a checked write_837 (pyx12: 'Loop 2010AB exceeded max
    count')."""
    text = (FIXTURES / "837p/several_providers.x12").read_text()
    pay_to = "NM1*87*2~\nN3*PO BOX 1234~\nN4*SPRINGFIELD*IL*627051234~\n"
    assert pay_to in text
    text = text.replace(pay_to, pay_to * times, 1)
    text = re.sub(r"SE\*(\d+)\*", lambda m: f"SE*{int(m[1]) + 3 * (times - 1)}*", text, count=1)
    said = None if times == 1 else "2 loops 2010AB in loop 2000A"
    pyx12_oracle.checked_as_pyx12_checks(text, said, "at most 1")


@pytest.mark.parametrize(
    ("kind", "read", "changed", "problem"),
    [
        # CAS02 and CAS03 usage=R in every CAS: 2430 (837P lines 1871-1872), 2320 (837I 1717-1718)
        ("837p/cob_secondary", "CAS*CO*45*50~", "CAS*CO*45*40**253*10~", None),
        ("837p/cob_secondary", "CAS*CO*45*50~", "CAS*CO****45*50~", "(2430): CAS without CAS02"),
        ("837i/cob_secondary", "CAS*CO*45*500~", "CAS*CO*45*400**253*100~", None),
        ("837i/cob_secondary", "CAS*CO*45*500~", "CAS*CO****45*500~", "(2320): CAS without CAS02"),
    ],
)
def test_a_cas_read_with_a_blank_first_triplet_fails_the_checks(
    kind: str, read: str, changed: str, problem: str | None
) -> None:
    """`CAS*CO****45*50`: the triplets were kept as read, an empty one first, and written so by a
    checked write_837 (pyx12: 'Mandatory data element ... (CAS02) is missing')."""
    text = (FIXTURES / f"{kind}.x12").read_text()
    assert read in text
    text = text.replace(read, changed, 1)
    pyx12_oracle.checked_as_pyx12_checks(text, problem, "requires them")


@pytest.mark.parametrize(
    ("kind", "read", "past", "problem"),
    [
        # C023 has three components (maps: CLM05-01 to CLM05-03), C004 four (SV107-01 to -04).
        (
            "837p/dependent",
            "CLM*PCN2001*95***11:B:1*",
            "CLM*PCN2001*95***11:B:1:X*",
            "claim PCN2001: CLM has CLM05-04 (text kept from the file read); the 837P guide does "
            "not use it",
        ),
        (
            "837i/inpatient",
            "CLM*PCN8001*5000***11:A:1*",
            "CLM*PCN8001*5000***11:A:1:Z*",
            "claim PCN8001: CLM has CLM05-04 (text kept from the file read); the 837I guide does "
            "not use it",
        ),
        (
            "837p/dependent",
            "SV1*HC:99213*95*UN*1***1~",
            "SV1*HC:99213*95*UN*1***1::::1~",  # (1:1 would be a pointer given twice)
            "claim PCN2001: line 1: SV1 has SV107-05 (text kept from the file read); the 837P "
            "guide does not use it",
        ),
    ],
)
def test_a_component_past_the_last_of_clm05_or_sv107_fails_the_checks(
    kind: str, read: str, past: str, problem: str
) -> None:
    text = (FIXTURES / f"{kind}.x12").read_text()
    assert text.count(read) == 1
    text = text.replace(read, past)
    claims = list(edi.read_claims(text))
    assert edi.check_claims(claims) == [problem]
    assert edi.write_837(claims, check=False) == text


def test_a_value_holding_a_delimiter_names_the_claim() -> None:
    claims = edi.load_claims(FIXTURES / "837p/dependent.json")
    claims[1].payer.name = "ACME*HEALTH"
    # And the loop of the NM1 (a claim has a dozen): it was `claim PCN2002: NM103 holds ...`.
    with pytest.raises(
        edi.WriteError, match=r"^claim PCN2002: payer \(2010BB\): NM103 holds the element separator"
    ):
        write(claims)
    claims[1].payer.name = "ACME HEALTH"
    # A code of a jurisdiction (ER), which has no form of its own to keep: an HCPCS code (HC) has.
    claims[2].lines[0].professional.qualifier = "ER"  # type: ignore[union-attr]
    claims[2].lines[0].professional.code = "992:13"  # type: ignore[union-attr]
    with pytest.raises(
        edi.WriteError, match=r"^claim PCN2003: line 1: SV101-02 holds the component"
    ):
        write(claims)
    # Other delimiters write it, and it reads back as it was.
    text = write(claims, delimiters=Delimiters("*", "^", ">", "~", "\n"))
    again, _ = read(text)
    assert again[2].lines[0].professional.code == "992:13"  # type: ignore[union-attr]
    # No 837 element repeats (maps: only the unused DMG05 has repeat > 1): a value holding the
    # repetition separator would be split into repeats by other readers.
    claims[2].lines[0].professional.qualifier = "HC"  # type: ignore[union-attr]
    claims[2].lines[0].professional.code = "99213"  # type: ignore[union-attr]
    claims[0].payer.name = "ACME^HEALTH"
    with pytest.raises(
        edi.WriteError, match=r"^claim PCN2001: payer \(2010BB\): NM103 holds the repetition sep"
    ):
        write(claims)
    # Without a repetition separator, a 00501 ISA11 still announces `^` (x12-notes §1.2).
    with pytest.raises(edi.WriteError, match=r"NM103 holds the repetition sep"):
        write(claims, delimiters=Delimiters("*", None, ">", "~", "\n"))
    text = write(claims, delimiters=Delimiters("*", "!", ">", "~", "\n"))
    assert read(text)[0][0].payer.name == "ACME^HEALTH"


def test_a_group_read_without_an_interchange_is_written_inside_one() -> None:
    # A GS with no ISA before it is reported when read; written alone it could not be read back.
    text = (FIXTURES / "837p/dependent.x12").read_text()
    lines = [line for line in text.splitlines() if not line.startswith(("ISA", "IEA"))]
    claims, reader = read(text + "\n".join(lines) + "\n")  # after a whole interchange
    claims = claims[3:]
    assert len(claims) == 3 and "GS with no ISA before it" in str(reader.diagnostics[0])
    out = edi.write_837(claims, when=WHEN)
    assert out.startswith("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER")
    assert out.splitlines()[1:-1] == lines
    again, reader = read(out)
    assert [dump(c) for c in again] == [dump(c) for c in claims] and not reader.diagnostics
    remits = list(edi.read_remittances(FIXTURES / "835/denied.x12"))
    remits[0].envelope.interchange = None  # type: ignore[union-attr]
    assert edi.write_835(remits).startswith("ISA*")


def test_a_provider_qualifier_read_as_a_composite_keeps_its_place() -> None:
    # NM1*82:X: the grammar tags it by its first component (2310B); the writer orders it so too.
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    text = text.replace("NM1*82*1*TESTDOCTOR", "NM1*82:X*1*TESTDOCTOR")
    claims, _ = read(text)
    assert [p.role for p in claims[0].providers] == ["DN", "82:X", "77"]
    assert edi.write_837(claims, check=False) == text


@pytest.mark.parametrize(
    "tail", ["", "*"]
)  # a trailing empty element: CLM has notes (slower writer)
def test_a_checked_write_refuses_a_component_separator_in_a_simple_element(tail: str) -> None:
    # X12 forbids it (pyx12: "invalid composite"); edi reads it back as written, so an unchecked
    # write gives back what was read.
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    clm = "CLM*PCN1001*175***11:B:1*Y*A*Y*Y"
    assert clm + "~" in text
    claims, _ = read(text.replace(clm + "~", clm + tail + "~"))
    assert claims[0].__pydantic_private__["_x12"] is not None
    claims[0].patient_control_number = "PCN:1001"
    with pytest.raises(
        edi.WriteError,
        match=r"^claim PCN:1001: CLM01 holds the component separator ':', so the element would "
        "read back as a composite",
    ):
        edi.write_837(claims)
    unchecked = edi.write_837(claims, check=False)
    assert clm.replace("PCN1001", "PCN:1001") + tail + "~" in unchecked
    errors = pyx12_oracle.validation_errors(unchecked)
    assert any("(CLM01) is an invalid composite" in e for e in errors), errors


def test_check_claims_says_what_a_checked_write_refuses() -> None:
    """check_claims (`edi claims`) and write_837 agree: a simple element holding the component
    separator (or any value holding a delimiter) of the delimiters write_837 would use (given, or
    the first claim's) is a problem, in the writer's words, which name the element, not the value."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    claims, _ = read(text)
    claims[0].patient_control_number = "PCN:1001"
    message = (
        "CLM01 holds the component separator ':', so the element would read back as a composite; "
        "write with other delimiters or change the text"
    )
    assert edi.check_claims(claims) == [f"claim PCN:1001: {message}"]
    with pytest.raises(edi.WriteError, match=f"^claim PCN:1001: {message}$"):
        edi.write_837(claims)
    other = Delimiters("*", "^", ">", "~", "\n")
    assert edi.check_claims(claims, delimiters=other) == []
    assert "CLM*PCN:1001*" in edi.write_837(claims, delimiters=other)
    checker = edi.ClaimChecker(delimiters=other)
    assert [checker.check(claim) for claim in claims] == [[], []]
    # Read with > as component separator, the claims are written (and checked) with it.
    claims, _ = read(text.replace(":", ">"))
    claims[0].patient_control_number = "PCN:1001"
    assert edi.check_claims(claims) == []
    claims[0].patient_control_number = "PCN>1001"
    assert edi.check_claims(claims) == [f"claim PCN>1001: {message.replace(':', '>')}"]
    # A shared subscriber's name holding the repetition separator: every claim of it, naming the
    # loop (which `edi claims` says once, at the subscriber's HL).
    claims, _ = read(text)
    claims[0].subscriber.last_name = "DOE^SMITH"
    assert edi.check_claims(claims) == [
        f"claim {claim.patient_control_number}: subscriber (2010BA): NM103 holds the repetition "
        "separator '^', so the "
        "value would be read as repeated values; write with other delimiters or change the text"
        for claim in claims
    ]


@pytest.mark.parametrize("stray", ["HL*9**20*1~", "HL*9*1*22*0~"])
def test_a_loop_opened_at_the_end_of_the_set_loses_no_claim(stray: str) -> None:
    # The set ends inside a loop the stray HL opens: the loops before it still close, and the stray
    # is kept where it was (it used to leave every loop open, and no claim was read).
    text = (FIXTURES / "837p/dependent.x12").read_text()
    broken = text.replace("SE*56*", stray + "\nSE*56*")
    claims, reader = read(broken)
    assert [dump(c) for c in claims] == [dump(c) for c in read(text)[0]]
    (diag, count) = reader.diagnostics
    assert diag.code == "structure.unexpected_end" and diag.location.segment_id == "HL"
    assert diag.location.line == 58 and "kept at the end of the set" in diag.message
    assert count.code == "envelope.se01_count"
    segments = 56 + stray.count("~")  # SE01 is corrected
    assert edi.write_837(claims, check=False) == broken.replace("SE*56*", f"SE*{segments}*")


def test_an_hl_of_an_unknown_level_at_the_end_is_not_written_back() -> None:
    """HL03 2024 is no level the grammar knows: written back after the last claim it would be read
    into its last line and break the claim, so it is not kept (it was reported when read)."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    # In a set without SE, the loops close before the stray level (as before SE, see above).
    claims, reader = read(text.replace("SE*56*0001~\n", "HL*9*5*2024*0~\nPAT*01~\n"))
    assert len(claims) == 3
    assert [d.code for d in reader.diagnostics] == [
        "envelope.missing_se",  # at the set's ST
        "structure.unexpected_end",
    ]
    again, _ = read(edi.write_837(claims, check=False))
    assert [dump(c) for c in again] == [dump(c) for c in claims]


def test_a_missing_header_loop_counts_against_the_header_not_the_next_loop() -> None:
    # No NM1*40: the gap is reported at the HL after it, but it is the header (1000B) that is
    # incomplete. It used to skip the claims of the first billing provider only, so that the claims
    # read then were skipped once written back (their billing provider had become the first).
    text = (FIXTURES / "837p/several_providers.x12").read_text()
    text = text.replace("NM1*40*2*EXAMPLE HEALTH PLAN*****46*EXAMPLEPAYER~\n", "")
    claims, reader = read(text)
    assert claims == []
    missing, *skipped, _count = reader.diagnostics
    assert (missing.code, missing.location.segment_id, missing.location.loop_id) == (
        "structure.missing_segment",
        "HL",
        "1000B",
    )
    assert [d.message for d in skipped] == [
        f"claim {pcn!r} is not read: the set's header (BHT, 1000A, 1000B) could not be read"
        for pcn in ("PCN3001", "PCN3002")
    ]


def test_a_set_without_se_keeps_its_claims() -> None:
    text = (FIXTURES / "837p/several_providers.x12").read_text()
    claims, reader = read(text.replace("SE*46*0001~\n", ""))
    assert [dump(c) for c in claims] == [dump(c) for c in read(text)[0]]
    assert [d.code for d in reader.diagnostics] == ["envelope.missing_se"]
    assert edi.write_837(claims) == text  # SE is written


def test_a_problem_of_a_name_loop_is_placed_in_it() -> None:
    """The subscriber and patient models read their HL loop and its name loop as one; a problem of
    a segment of the name loop (the DMG) is in 2010BA / 2010CA, not 2000B / 2000C."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    # line 18: subscriber BRAVO's DMG (the 16th segment of the set); line 34: patient CHARLIE's
    text = text.replace("DMG*D8*19750615*M~", "DMG*D8*1975X615*M~")
    text = text.replace("DMG*D8*20120910*M~", "DMG*D8*2012X910*M~")
    _, reader = read(text)
    assert [str(d) for d in reader.diagnostics] == [
        "segment 16 DMG (line 18, loop 2010BA subscriber name, element DMG02): DMG02 (8 characters) "
        "is not a date CCYYMMDD",
        "segment 32 DMG (line 34, loop 2010CA patient name, element DMG02): DMG02 (8 characters) "
        "is not a date CCYYMMDD",
    ]


def test_a_problem_names_its_set_group_and_interchange() -> None:
    """Two interchanges of one set 0001 each: the same segment number in both, told apart by the
    control numbers each problem carries; a problem of the envelope outside any set carries those of
    its group and interchange."""
    text = (FIXTURES / "837p/dependent.x12").read_text().replace("*20120910*", "*2012X910*")
    again = text.replace("000000202", "000000203").replace("*202*", "*203*")
    again = again.replace("GE*1*202~", "GE*1*203~")
    again = again.replace("IEA*1*000000203", "IEA*1*000000999")  # IEA02 ≠ ISA13: not in a set
    _, reader = read(text + again)
    named = [
        (str(d.location.segment_index), d.set_control_number, d.group_control_number)  # type: ignore[union-attr]
        + (d.interchange_control_number,)
        for d in reader.diagnostics
    ]
    assert named == [
        ("32", "0001", "202", "000000202"),
        ("32", "0001", "203", "000000203"),
        ("0", None, None, "000000203"),  # the interchange's (TA101)
    ]


def test_a_problem_in_a_claim_names_the_claim() -> None:
    """A problem placed in a claim's 2300 loop (its lines included) names the claim's CLM01 in its
    context; one of a loop the claims share (a subscriber's DMG) names none."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    text = text.replace("CLM*PCN2002*150*", "CLM*PCN2002*SEVENTY*")  # not read: skipped
    text = text.replace("DTP*472*D8*20240308", "DTP*472*D8*2024X308")  # PCN2003's line date
    text = text.replace("*19750615*", "*1975X615*")  # subscriber BRAVO's DMG (2010BA)
    _, reader = read(text)
    assert [(d.code, d.context.get("claim")) for d in reader.diagnostics] == [
        ("mapping.invalid_value", None),
        ("mapping.invalid_value", "PCN2002"),
        ("claim.skipped", "PCN2002"),
        ("mapping.invalid_value", "PCN2003"),
    ]
    assert reader.diagnostics[-1].to_dict()["context"] == {"claim": "PCN2003"}


def test_a_bare_set_keeps_its_loops_when_two_subscribers_are_equal() -> None:
    """Claims read from a bare ST..SE (no ISA, GS) keep the HL loops they were read in, as those
    read from an interchange do: two 2000B of one subscriber were merged into one when written."""
    segments = (FIXTURES / "837p/dependent.x12").read_text().split("~\n")
    st, se = segments.index("ST*837*0001*005010X222A1"), segments.index("SE*56*0001")
    body = segments[st:se]
    start, end = body.index("HL*2*1*22*0"), body.index("HL*3*1*22*1")
    own = body[start:end]  # the member's own claim
    again = [s.replace("HL*2*1*22*0", "HL*3*1*22*0").replace("PCN2001", "PCN2009") for s in own]
    body = body[:start] + own + again
    bare = "~\n".join([*body, f"SE*{len(body) + 1}*0001"]) + "~\n"
    claims, _ = read(bare)
    assert [c.id for c in claims] == ["PCN2001", "PCN2009"]
    assert claims[0].subscriber == claims[1].subscriber  # equal, in two loops
    written = edi.write_837(claims, check=False)
    assert [s for s in written.split("~\n") if s.startswith("HL")] == [
        "HL*1**20*1",
        "HL*2*1*22*0",
        "HL*3*1*22*0",
    ]


def test_a_set_the_input_ends_in_is_not_read() -> None:
    """Cut after its last line, the claim may have lost lines (or the set claims): none is read, and
    every CLM of the set counts as skipped. Unlike a set whose SE is missing before the GE above."""
    text = (FIXTURES / "837p/several_providers.x12").read_text()
    cut = text.split("SE*46*0001~")[0]
    claims, reader = read(cut)
    assert claims == [] and (reader.claims_read, reader.claims_skipped) == (0, 2)
    assert reader.diagnostics[0].code == "envelope.incomplete_set"
    assert str(reader.diagnostics[0]) == (
        "segment 1 ST (line 3): transaction set '0001' ends with the input, before its SE: it is not "
        "read"
    )


def test_a_missing_clm_costs_only_its_own_claim() -> None:
    # No CLM for PCN1002: its HI and line open a claim loop without its first segment, right after
    # the last line of PCN1001. The gap is that new loop's, not PCN1001's.
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    claims, reader = read(text.replace("CLM*PCN1002*80***11:B:1*Y*A*Y*Y~\n", ""))
    assert [c.patient_control_number for c in claims] == ["PCN1001"]
    missing = reader.diagnostics[0]
    assert (missing.code, missing.location.segment_id, missing.location.loop_id) == (
        "structure.missing_segment",
        "HI",
        "2300",
    )
    # Named by where it starts, not by its first element (a diagnosis code, here).
    (skipped,) = [str(d) for d in reader.diagnostics if d.code == "claim.skipped"]
    assert "claim at HI is not read" in skipped and "ABK" not in skipped
    head, tail = text.split("CLM*PCN1002")[0], text.split("SE*44*0001~\n")[1]
    assert edi.write_837(claims) == head + "SE*38*0001~\n" + tail  # PCN1001 as it was


def test_a_claim_without_its_id_is_named_by_where_it_is() -> None:
    """CLM01 empty: the claim is not read, and was named `claim ''`."""
    text = (FIXTURES / "837p/dependent.x12").read_text().replace("CLM*PCN2002*", "CLM**")
    claims, reader = read(text)
    assert [c.id for c in claims] == ["PCN2001", "PCN2003"]
    assert [str(d) for d in reader.diagnostics] == [
        "segment 33 CLM (line 35, loop 2300 claim, element CLM01): CLM01 (patient control number) "
        "is required but missing",
        "segment 33 CLM (line 35, loop 2300 claim): claim at CLM is not read: required data is "
        "missing or invalid",
    ]


def test_not_an_837_and_an_unsupported_guide() -> None:
    remit = (FIXTURES / "835/denied.x12").read_bytes()
    reader = edi.read_claims(remit)
    assert list(reader) == []
    assert [d.code for d in reader.diagnostics] == ["guide.other_set", "guide.no_sets"]
    assert reader.diagnostics[0].severity is Severity.WARNING
    text = (FIXTURES / "837p/drug.x12").read_text().replace("005010X222A1", "004010X098A1")
    claims, reader = read(text)
    assert claims == []
    (diag,) = reader.diagnostics
    assert diag.code == "guide.unsupported" and "'004010X098A1' is not supported" in diag.message


@pytest.mark.parametrize(
    ("fixture", "says", "named"),
    [
        (
            "837p/dependent.x12",
            "005010X223A2",
            "'005010X223A2' (837I), but its service lines are SV1",
        ),
        (
            "837i/inpatient.x12",
            "005010X222A1",
            "'005010X222A1' (837P), but its service lines are SV2",
        ),
        ("837d/ortho.x12", "005010X222A1", "'005010X222A1' (837P), but its service lines are SV3"),
    ],
)
def test_a_set_labelled_with_another_kind_of_claim_is_one_problem(
    fixture: str, says: str, named: str
) -> None:
    """GS08 and ST03 saying 837I over professional claims: read with the 837I's grammar and rules,
    every SV1 was "not a segment of this transaction set" and every claim lacked its statement
    period, patient status, ... (19 problems for 3 claims). One problem names the code at fault;
    the set is not read, and the next set is."""
    text = (FIXTURES / fixture).read_text()
    version = next(v for v in ("005010X222A1", "005010X223A2", "005010X224A2") if v in text)
    relabelled = text.replace(version, says)
    claims, reader = read(relabelled + (FIXTURES / "837p/drug.x12").read_text())
    assert [c.id for c in claims] == ["PCN5001"]  # the next interchange's claim
    (diag,) = reader.diagnostics
    assert diag.code == "guide.wrong_kind" and diag.location is not None
    st_line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("ST*"))) + 1
    assert str(diag).startswith(
        f"segment 1 ST (line {st_line}, element ST03): 837 transaction set "
    )
    assert named in str(diag) and str(diag).endswith(f"; expected {version}")


@pytest.mark.parametrize(
    ("prefix", "bad", "said"),
    [
        ("DMG*D8*", "DMG*D8*20121310*F~", "DMG02 (8 characters) is not a date CCYYMMDD"),  # birth
        ("DTP*472*D8*", "DTP*472*D8*20121310~", "DTP03 (8 characters) is not a date CCYYMMDD"),
        ("HI*ABK:", "HI*ABK20121310~", "HI01 is 11 characters: no code (HI01-02), and no compo"),
        (
            "PAT*19",
            "PAT*19****D8*20121310~",
            "PAT06 (8 characters) is not a date CCYYMMDD",
        ),  # death
    ],
)
def test_phi_is_named_not_quoted(prefix: str, bad: str, said: str) -> None:
    """Birth and service dates and diagnoses are PHI: a message gives the element and what was
    expected, not the value."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    line = next(line for line in text.splitlines() if line.startswith(prefix))
    _, reader = read(text.replace(line, bad, 1))
    problems = [
        str(d) for d in reader.diagnostics if d.code in ("mapping.invalid_value", "claim.composite")
    ]
    assert len(problems) == 1 and said in problems[0] and "20121310" not in problems[0]


def test_a_date_that_is_no_day_says_why_and_the_check_does_not_deny_it() -> None:
    """20240230 has the form CCYYMMDD: "(8 characters) is not a date CCYYMMDD" left the user
    looking at a date of the right form; the check then said the line had "no service date", which
    it has. The value is still never shown (PHI)."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    bad = text.replace("DTP*472*D8*20240307~\nLX*2", "DTP*472*D8*20240230~\nLX*2")
    claims, reader = read(bad)
    (problem,) = [str(d) for d in reader.diagnostics]
    assert problem == (
        "segment 37 DTP (line 39, loop 2400 service line, element DTP03): DTP03 (8 characters) is "
        "not a date CCYYMMDD or a period CCYYMMDD-CCYYMMDD: its digits name no day of the calendar "
        "(a month 01-12, a day the month has)"
    )
    assert edi.check_claims(claims) == [
        "claim PCN2002: line 1: DTP*472 DTP03 (text kept from the file read) is no date of its "
        "format (DTP02 D8: CCYYMMDD)"
    ]
    # Without the DTP, there is none.
    claims, _ = read(text.replace("DTP*472*D8*20240307~\nLX*2", "LX*2").replace("SE*56*", "SE*55*"))
    assert edi.check_claims(claims) == [
        "claim PCN2002: line 1: no service date (service_date, DTP*472); an 837P line requires it"
    ]


def test_an_occurrence_date_is_named_not_quoted() -> None:
    text = (FIXTURES / "837i/inpatient.x12").read_text()
    assert "HI*BH:11:D8:20240201~" in text
    _, reader = read(text.replace("HI*BH:11:D8:20240201~", "HI*BH:11:D8:20240231~"))
    (problem,) = [str(d) for d in reader.diagnostics if d.code == "mapping.invalid_value"]
    assert "HI01-04 (8 characters) is not a date CCYYMMDD" in problem and "0231" not in problem


def test_an_empty_loop_is_reported_once_where_it_is() -> None:
    """Without the dependant's NM1*PR, loop 2010BB is empty: the grammar reports its missing first
    segment; its missing name is not reported again at "byte 0"."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    second = text.rindex("NM1*PR*2*EXAMPLE HEALTH PLAN*****PI*EXAMPLEHP01~\n")
    claims, reader = read(text[:second] + text[second:].split("\n", 1)[1])
    assert len(claims) == 2
    assert [d.code for d in reader.diagnostics] == [
        "structure.missing_segment",
        "claim.skipped",
        "envelope.se01_count",
    ]
    assert all(d.location is not None and d.location.line for d in reader.diagnostics)


def test_anesthesia_procedures_share_one_hi() -> None:
    """837P: BP in HI01 and BO in HI02 of one HI (maps/837.5010.X222.A1: the anesthesia related
    procedure HI repeats once); BO used to get an HI of its own, which pyx12 refuses."""
    (claim,) = fixture_claims("837p/drug")
    claim.codes += [
        edi.HealthCode(qualifier="BP", code="0071"),
        edi.HealthCode(qualifier="BO", code="0072"),
    ]
    text = write([claim])
    assert [line for line in text.splitlines() if line.startswith("HI*")][1:] == [
        "HI*BP:0071*BO:0072~"
    ]
    assert read(text)[0][0].codes == claim.codes
    assert pyx12_oracle.errors(text) == []


@requires_corpus
def test_the_remains_of_a_broken_claim_do_not_break_the_claim_before_it() -> None:
    """A claim that cannot be read (its payer is missing) leaves segments at the end of the set (PRV,
    NM1*71, SV2, DTP). Written back after the last good claim they were read into it and broke it;
    they belong to the claim that was not read, and go with it."""
    text = (CORPUS / "LinuxForHealth__x12/two-claims-single-provider.837i").read_text()
    for gone in ("N4*CENTERVILLE*PA*17111~", "NM1*PR*2*TRICARE*****PI*99999~"):
        at = text.rindex(gone)
        text = text[:at] + text[at + len(gone) :].lstrip("\n")
    doctor = "NM1*71*1*JONES*JUDY*J***XX*9999999999~"
    text = text.replace(
        f"{doctor}\nPRV*AT*PXC*363LP0200N~\nLX*1~", f"LX*1~\nPRV*AT*PXC*363LP0200N~\n{doctor}"
    )
    claims, reader = read(text)
    assert [c.id for c in claims] == ["756048Q"]
    assert "'756049Q' is not read" in str(reader.diagnostics[1])
    again, _ = read(write(claims, check=False))
    assert again == claims


def test_what_a_claim_kind_has_no_place_for_is_refused_when_written() -> None:
    # The models hold more than one guide allows. The 837I has no PRV for the operating physician
    # (2310B: NM1, REF only), no N3/N4 for the attending one (2310A: NM1, PRV, REF) and no PAT in
    # 2000B (maps/837Q3.I): written, such a claim would not be read back, by edi or by pyx12.
    def inpatient() -> list[edi.Claim]:
        return edi.load_claims(FIXTURES / "837i/inpatient.json")

    claims = inpatient()
    claims[0].providers[1].taxonomy = "207RC0000X"  # role 72
    with pytest.raises(edi.ClaimCheckError) as raised:
        write(claims)
    (problem,) = raised.value.problems  # said by the checks, in the loop the model is for
    assert problem == (
        "claim PCN8001: provider 72 (2310B): specialty_code, taxonomy_qualifier, taxonomy "
        "(PRV): the 837I guide has no PRV in loop 2310B; leave it out"
    )
    text = write(claims, check=False)  # on request, as asked
    assert "NM1*72*1*TESTSURGEON*MIKE****XX*1000000079~\nPRV*" in text

    claims = inpatient()
    claims[0].providers[0].address_line_1 = "1 MAIN ST"  # role 71
    with pytest.raises(
        edi.ClaimCheckError,
        match=r"claim PCN8001: provider 71 \(2310A\): address_line_1 \(N3\)",
    ):
        write(claims)

    # Above the claims (2000B): the claim under it is named, not the one before it.
    claims = inpatient() + edi.load_claims(FIXTURES / "837i/cob_secondary.json")
    claims[1].subscriber.weight = Decimal("150")
    with pytest.raises(edi.ClaimCheckError) as raised:
        write(claims)
    (problem,) = raised.value.problems
    assert problem == (
        f"claim {claims[1].patient_control_number}: subscriber (2000B): weight (PAT): the 837I "
        "guide has no PAT in loops 2000B, 2010BA; leave it out"
    )
    assert pyx12_oracle.validation_errors(write(inpatient())) == []


def test_an_interchange_number_of_another_file_is_renumbered() -> None:
    # x12-notes §1: ISA13 unique in the output. A's ISA13 202 comes again in B's second interchange:
    # B's own order says nothing about A, so the repeat is renumbered (it was kept as "read").
    a = (FIXTURES / "837p/dependent.x12").read_text()
    b = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    b += (FIXTURES / "837p/drug.x12").read_text().replace("000000205", "000000202")
    text = write([*read(a)[0], *read(b)[0]])
    isa13 = [line.split("*")[13] for line in text.splitlines() if line.startswith("ISA")]
    iea02 = [line.split("*")[2].rstrip("~") for line in text.splitlines() if line.startswith("IEA")]
    assert isa13 == iea02 == ["000000202", "000000201", "000000203"]
    reader = EnvelopeReader(text.encode())
    assert len(list(reader)) == 3 and reader.diagnostics == []


def test_a_group_number_the_input_repeats_is_kept_and_not_blamed_on_a_claim() -> None:
    # The input repeats GS06 202 in one interchange (its own error, reported when read): written
    # back as read, with the checks on; it is not a claim's problem.
    text = (FIXTURES / "837p/dependent.x12").read_text()
    lines = text.splitlines(keepends=True)
    group = "".join(lines[1:59]).replace("CLM*PCN20", "CLM*PCN30")
    text = "".join(lines[:59]) + group + "IEA*2*000000202~\n"
    claims, reader = read(text)
    assert len(claims) == 6 and [d.code for d in reader.diagnostics] == ["envelope.duplicate_gs06"]
    assert write(claims) == text


def test_a_group_header_cut_short_is_written_back() -> None:
    # GS with nothing after GS03 (fuzzer): there is no GS06 to look up, which raised IndexError.
    text = (FIXTURES / "837p/dependent.x12").read_text()
    short = text.replace(
        "GS*HC*EXAMPLECLINIC*EXAMPLEPAYER*20240315*1000*202*X*005010X222A1~",
        "GS*HC*EXAMPLECLINIC*EXAMPLEPAYER~",
    )
    claims, reader = read(short)
    assert len(claims) == 3 and reader.diagnostics
    out = edi.write_837(claims, check=False)
    assert "GS*HC*EXAMPLECLINIC*EXAMPLEPAYER~" in out


@pytest.mark.parametrize("line_break", ["\n", "\r\n"])
def test_a_file_without_a_final_line_break_comes_back_without_one(line_break: str) -> None:
    text = (FIXTURES / "837p/dependent.x12").read_text().replace("~\n", "~" + line_break)
    ended = text.removesuffix(line_break)
    assert ended.endswith("~")
    assert edi.write_837(list(edi.read_claims(ended))) == ended
    assert edi.write_837(list(edi.read_claims(text))) == text
    # Claims loaded from their JSON know nothing of the file: the writer's break ends the text.
    claims = edi.load_claims([c.model_dump(mode="json") for c in edi.read_claims(ended)])
    assert edi.write_837(claims, line_break=line_break).endswith("~" + line_break)


@pytest.mark.parametrize(
    ("header", "field", "value", "said"),
    [
        ("interchange", "sender_id", "AB*C", "ISA06 holds the element separator '*'"),
        ("interchange", "security", "AB~C", "ISA04 holds the terminator '~'"),
        ("group", "receiver", "AB*C", "GS03 holds the element separator '*'"),
    ],
)
def test_an_unchecked_write_refuses_an_envelope_id_holding_a_delimiter_and_names_a_claim(
    header: str, field: str, value: str, said: str
) -> None:
    """As for the 835: an ISA carried from a read was written in its fixed layout without a look
    at its text, so ISA06 `AB*C` made an interchange that does not read back."""
    claims = list(edi.read_claims(FIXTURES / "837p/several_providers.x12"))
    envelope = claims[0].envelope
    assert envelope is not None and all(claim.envelope is envelope for claim in claims)
    setattr(envelope, header, getattr(envelope, header).model_copy(update={field: value}))
    with pytest.raises(edi.WriteError) as caught:
        edi.write_837(claims, check=False)
    name = claims[0].patient_control_number
    assert str(caught.value).startswith(f"claim {name}: envelope: {said}, so the segment would")


def test_a_claim_without_service_lines_does_not_take_the_next_claim_with_it() -> None:
    # PCN6001 without its line (loop 2400 is required: LX). Its next CLM was skipped as a segment
    # out of place: PCN6002's line went into PCN6001, and both claims were lost, PCN6002 unsaid.
    text = with_edits(
        (FIXTURES / "837p/replacement_void.x12").read_text(),
        ("LX*1~\nSV1*HC:99213*110*UN*1***1~\nDTP*472*D8*20240213~\n", ""),
    )
    claims, reader = read(text)
    assert [c.patient_control_number for c in claims] == ["PCN6002"]
    assert [str(d) for d in reader.diagnostics] == [
        "segment 18 CLM (line 20, loop 2300 claim): claim 'PCN6001' is not read: its loops do not "
        "follow the guide (see the structure problems reported in it)",
        "segment 21 CLM (line 23, loop 2400 service line): loop 2400 service line has no first "
        "segment: LX is missing before CLM; expected LX",
    ]


def test_a_line_or_adjudication_without_its_first_segment_costs_its_claim() -> None:
    """A second line without its LX (or a second 2430 without its SVD) was read into the line (or
    adjudication) before: the grammar lets a loop's segments repeat. The claim was read with a line
    less (or one payer's adjustments joined to another's) and a warning. The guides give a line one
    SV1 and an adjudication one DTP*573 (usage R, max use 1): a second one says its loop's first
    segment is missing, and the claim is not read."""
    dependent = (FIXTURES / "837p/dependent.x12").read_text()
    claims, reader = read(with_edits(dependent, ("LX*2~\n", "")))
    assert [c.patient_control_number for c in claims] == ["PCN2001", "PCN2003"]
    assert [str(d) for d in reader.diagnostics] == [
        "segment 33 CLM (line 35, loop 2300 claim): claim 'PCN2002' is not read: a loop in it "
        "lacks its first segment (see the structure problem)",
        "segment 38 SV1 (line 40, loop 2400 service line): loop 2400 service line has a second "
        "SV1, which it has once: the LX that opens the next service line is missing before it, or "
        "before the segments of that service line that come first; expected LX",
    ]
    assert reader.diagnostics[1].ack == "IK304:3"

    cob = (FIXTURES / "837p/cob_secondary.x12").read_text()
    first = "CAS*PR*2*30~\nDTP*573*D8*20240305~\n"
    claims, reader = read(with_edits(cob, (first, first + "CAS*PR*3*5~\nDTP*573*D8*20240310~\n")))
    assert [c.patient_control_number for c in claims] == ["PCN2002"]
    said = reader.diagnostics[1]
    assert (said.code, said.location.segment_id, said.location.line) == (
        "structure.missing_segment",
        "DTP",
        39,  # the DTP*573 added, after the CAS added after line 37's
    )
    assert str(said).endswith(
        "loop 2430 line adjudication has a second DTP*573, which it has once: the SVD that opens "
        "the next adjudication is missing before it, or before the segments of that adjudication "
        "that come first; expected SVD"
    )

    # 837I and 837D lines: SV2, SV3.
    for case, lx in (("837i/inpatient", "LX*2~\n"), ("837d/restorative", "LX*3~\n")):
        text = (FIXTURES / f"{case}.x12").read_text()
        count = text.count(lx)
        claims, reader = read(with_edits(text.replace(lx, "", count - 1), (lx, "")))
        assert claims == []
        assert {d.code for d in reader.diagnostics} == {
            "structure.missing_segment",
            "claim.skipped",
        }


def test_a_subscriber_without_claims_is_said_not_dropped_silently() -> None:
    """A 2000B with no 2300 and no 2000C (837P map: both usage=S under 2000B) is in no claim read,
    so the claims written back leave it out: a warning says so at its HL."""
    text = (FIXTURES / "837p/several_providers.x12").read_text()
    start, end = text.index("CLM*PCN3001*"), text.index("HL*3**20*1~")
    emptied = text[:start] + text[end:]
    segments = emptied.count("~") - 4  # ST to SE: all but ISA, GS, GE, IEA
    emptied = re.sub(r"SE\*\d+\*", f"SE*{segments}*", emptied)
    claims, reader = read(emptied)
    assert [c.patient_control_number for c in claims] == ["PCN3002"]
    (said,) = reader.diagnostics
    assert (said.code, said.severity, said.location.segment_id) == (
        "claim.level_without_claims",
        Severity.WARNING,
        "HL",
    )
    assert said.message == (
        "subscriber HL '2' has no claim (2300) and no patient (2000C): it is in no claim read, so "
        "writing the claims back leaves it out"
    )


def test_a_patient_level_whose_subscriber_has_no_hl_names_the_cause() -> None:
    """The subscriber's HL 3 missing: the grammar opens the 2000B without its HL (said there), and
    the patient level after it says its subscriber has no HL, not that a patient level 'has no
    parent, expected (empty)'."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    _, reader = read(text.replace("HL*3*1*22*1~\n", "", 1))
    (said,) = [d for d in reader.diagnostics if d.code == "claim.hl_parent"]
    assert said.message == (
        "HL02 is '3', but the subscriber level around it has no HL of its own (one is missing, or "
        "of another level): the claims under it are not read"
    )
    assert said.expected == ()


@pytest.mark.parametrize("code", ["23", "20", "99", ""])
def test_a_subscriber_hl_coded_as_another_level_loses_no_other_subscriber(code: str) -> None:
    """HL 2 coded as a patient, a billing provider or nothing (HL03) where its SBR and NM1*IL make
    it a subscriber level: read as that level, said at HL03 (a 999 answers IK403:7), and only the
    claims under it are not read. It was a stray segment in the billing provider's name loop,
    which lost the claims of every subscriber of that billing provider (PCN2002 and PCN2003 here)."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    claims, reader = read(text.replace("HL*2*1*22*0~", f"HL*2*1*{code}*0~", 1))
    original = {c.patient_control_number: dump(c) for c in read(text)[0]}
    assert [dump(c) for c in claims] == [original["PCN2002"], original["PCN2003"]]
    said = [d for d in reader.diagnostics]
    assert [(d.code, d.location.segment_index, d.location.element) for d in said] == [
        ("structure.wrong_qualifier", 11, "HL03"),
        ("claim.skipped", 18, None),
    ]
    shown = repr(code) if code else "empty"
    assert said[0].message == (
        f"HL03 is {shown}, expected 22: the segments after this HL are those of loop 2000B "
        "subscriber (read as HL(HL03=22))"
    )
    assert (said[0].ack, said[0].location.loop_id, said[0].severity) == (
        "IK403:7",
        "2000B",
        Severity.ERROR,
    )
    why = "its subscriber's HL is wrong"
    assert [d.message for d in said[1:]] == [f"claim 'PCN2001' is not read: {why}"]


def test_a_billing_provider_without_subscribers_loses_no_claim_after_it() -> None:
    """A 2000A without a 2000B (837P map: 2000B usage=R under 2000A) is an error at its HL; the
    billing provider after it and its claims are read in place. The next billing provider's HL
    was a stray segment in the first one's name loop, and its valid claim PCN3002 was lost."""
    text = (FIXTURES / "837p/several_providers.x12").read_text()
    start, end = text.index("HL*2*1*22*0~"), text.index("HL*3**20*1~")
    claims, reader = read(text[:start] + text[end:])
    original = {c.patient_control_number: dump(c) for c in read(text)[0]}
    assert [dump(c) for c in claims] == [original["PCN3002"]]
    said = [d for d in reader.diagnostics if d.severity == Severity.ERROR]
    assert [(d.code, d.location.segment_index, d.location.loop_id) for d in said] == [
        ("claim.level_without_claims", 6, "2000A"),
        ("claim.hl_number", 13, "2000A"),  # HL 3 is now the second: HL 4 follows it
        ("envelope.se01_count", 34, None),
    ]
    assert said[0].message == (
        "billing provider HL '1' has no subscriber level (2000B) and so no claim, which the guide "
        "requires: it is in no claim read, so writing the claims back leaves it out"
    )


def test_a_repeated_billing_provider_name_is_said_as_such_not_as_a_missing_hl() -> None:
    """NM1*85 twice in a 2000A reads as well as a second billing provider whose HL is missing
    (the 2000A takes no 2000B, said by the claim reader); the repeat is the report, as the
    imsweb corpus file x12_loop_errors1_exceeds_max_1_parent.txt expects."""
    text = (FIXTURES / "837p/several_providers.x12").read_text()
    name = "NM1*85*2*EXAMPLE CLINIC*****XX*1234567893~\n"
    assert name in text
    _, reader = read(text.replace(name, name * 2, 1))
    structure = [d for d in reader.diagnostics if d.code.startswith("structure.")]
    assert [(d.message, d.location.segment_index) for d in structure] == [
        ("NM1*85 is not expected here", 9)
    ]


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        # a DMG (of no claim: a subscriber's, out of place) before the CLM, in the payer's name
        # loop (a claim's DTP*431 there is kept with the claim: test_a_segment_before_the_...)
        (
            "CLM*PCN1001*",
            "DMG*D8*19800101*M~\nCLM*PCN1001*",
            "its payer's loop (2010BB) does not follow the guide",
        ),
        # the subscriber's NM1 missing: 2010BA cannot be read
        (
            "NM1*IL*1*TESTPATIENT*ALPHA****MI*MBR1001~\n",
            "",
            "its subscriber (2000B, 2010BA) could not be read",
        ),
    ],
)
def test_claims_not_read_say_which_loop_they_depend_on_failed(old: str, new: str, why: str) -> None:
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    assert old in text
    claims, reader = read(text.replace(old, new, 1))
    assert claims == []
    skipped = [d.message for d in reader.diagnostics if d.code == "claim.skipped"]
    assert skipped == [f"claim 'PCN1001' is not read: {why}", f"claim 'PCN1002' is not read: {why}"]


def test_a_required_segment_missing_is_said_as_the_segment() -> None:
    """A 2000C without its PAT was said as "PAT01 (relationship) is required but missing" (999
    IK403 1, an element); a name loop without its NM1, as its NM103 missing besides the grammar's
    "NM1*IL is missing". The segment is said (IK304 3), once, and not again after the grammar."""
    dependent = (FIXTURES / "837p/dependent.x12").read_text()
    claims, reader = read(with_edits(dependent, ("PAT*19~\n", "")))
    assert [c.id for c in claims] == ["PCN2001", "PCN2003"]
    assert [(str(d), d.ack) for d in reader.diagnostics] == [
        (
            "segment 27 HL (line 29, loop 2000C patient): PAT is required but missing (it gives "
            "relationship, PAT01)",
            "IK304:3",
        ),
        (
            "segment 32 CLM (line 34, loop 2300 claim): claim 'PCN2002' is not read: its patient "
            "(2000C, 2010CA) could not be read",
            None,
        ),
    ]
    subscriber = "NM1*IL*1*TESTSUBSCRIBER*BRAVO****MI*MBR2001~\n"
    own = "SBR*P*18*GRP2001******CI~\n" + subscriber
    claims, reader = read(with_edits(dependent, (own, own.replace(subscriber, ""))))
    codes = [d.code for d in reader.diagnostics]  # the subscriber's claim not read
    assert codes == ["structure.missing_segment", "claim.skipped"]
    assert reader.diagnostics[0].expected == ("NM1*IL",)


def test_a_patient_level_without_claims_loses_no_claim_after_it() -> None:
    """A 2000C without its 2300 (837P map: 2300 usage=R under 2000C) is an error at its HL; the
    subscriber after it and that subscriber's claims are read in place (the next HL was read out
    of place, and the valid claim PCN2003 was lost)."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    start, end = text.index("CLM*PCN2002*"), text.index("HL*5*1*22*1~")
    text = text[:start] + text[end:]
    claims, reader = read(text)
    assert [c.patient_control_number for c in claims] == ["PCN2001", "PCN2003"]
    said = [d for d in reader.diagnostics if d.code != "envelope.se01_count"]
    assert [(d.code, d.severity, d.location.segment_id, d.location.line) for d in said] == [
        ("claim.level_without_claims", Severity.ERROR, "HL", 29)
    ]
    assert said[0].message == (
        "patient HL '4' has no claim (2300), which the guide requires: it is in no claim read, so "
        "writing the claims back leaves it out"
    )
    original = {
        c.patient_control_number: dump(c)
        for c in read((FIXTURES / "837p/dependent.x12").read_text())[0]
    }
    assert [dump(c) for c in claims] == [original["PCN2001"], original["PCN2003"]]


@pytest.mark.parametrize("stray", ["HL*9*2*23*0~\nPAT*01~\n", "HL*9*1*22*0~\nSBR*P~\n"])
def test_a_level_opened_at_the_end_of_the_set_is_kept_at_the_end(stray: str) -> None:
    """A stray HL (and its PAT or SBR) before the SE: said once, at the HL, kept at the end of the
    set and written back there; every claim before it is read as it was. Its missing name loop
    was supplied: a level without claims that no claim wrote back, and a report of each thing
    it lacked."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    broken = text.replace("SE*56*", f"{stray}SE*56*")
    claims, reader = read(broken)
    assert [dump(c) for c in claims] == [dump(c) for c in read(text)[0]]
    (said, count) = reader.diagnostics
    assert (said.code, said.location.line, count.code) == (
        "structure.unexpected_end",
        58,
        "envelope.se01_count",
    )
    level = stray[7:9]
    assert said.message == (
        f"the transaction set ends before the loop HL(HL03={level}) opens is complete (2 "
        "segment(s) kept at the end of the set)"
    )
    assert edi.write_837(claims, check=False) == broken.replace("SE*56*", "SE*58*")


def _claims_by_id(text: str) -> dict[str, dict[str, Any]]:
    return {c.patient_control_number: dump(c) for c in read(text)[0]}


def test_a_stray_sbr_in_a_claim_does_not_carry_the_claims_after_it_into_its_levels() -> None:
    """An SBR after PCN3001's CLM opens a 2320 that never completes. The HL of the next billing
    provider was taken into it as a stray, and PCN3002 (another billing provider, another
    subscriber) was read with PCN3001's billing provider and subscriber, without a word. The HL now
    closes the loops open before it (said there) and its level is read in place."""
    text = (FIXTURES / "837p/several_providers.x12").read_text()
    clm = "CLM*PCN3001*100***11:B:1*Y*A*Y*Y~\n"
    claims, reader = read(text.replace(clm, clm + "SBR*S*18*GRPX******CI~\n"))
    assert [dump(c) for c in claims] == [_claims_by_id(text)["PCN3002"]]
    (closed,) = [d for d in reader.diagnostics if d.code == "structure.incomplete_loop"]
    assert (closed.location.segment_index, closed.location.loop_id, closed.ack) == (
        26,
        "2320",
        "IK304:3",
    )
    assert closed.message == (
        "HL(HL03=20) opens a level before loop 2320 other subscriber is complete: the loops open "
        "before it are closed, and the level is read"
    )
    skipped = [d.message for d in reader.diagnostics if d.code == "claim.skipped"]
    assert skipped == [
        "claim 'PCN3001' is not read: its loops do not follow the guide (see the structure "
        "problems reported in it)"
    ]


def test_a_missing_subscriber_hl_costs_only_that_subscribers_claims() -> None:
    """HL 3 (the second subscriber) missing after a COB claim's line: its SBR, NM1*IL, N3, N4 read
    as well as a claim whose CLM is missing (a 2320 and 2330A) as a subscriber whose HL is
    missing, until its DMG. The claim repair took the subscriber into PCN2001, which was lost,
    and PCN2002 was read under PCN2001's subscriber."""
    text = (FIXTURES / "837p/cob_secondary.x12").read_text()
    claims, reader = read(text.replace("HL*3*1*22*0~\n", ""))
    assert [dump(c) for c in claims] == [_claims_by_id(text)["PCN2001"]]
    said = [(d.code, d.location.segment_id) for d in reader.diagnostics]
    assert ("structure.missing_segment", "SBR") in said
    assert [d.message for d in reader.diagnostics if d.code == "claim.skipped"] == [
        "claim 'PCN2002' is not read: its subscriber's HL is wrong"
    ]


def test_a_missing_billing_provider_hl_costs_only_that_providers_claims() -> None:
    """HL 3 (the second billing provider) missing: the gap, said at its NM1*85, counts against the
    2000A it opens, not against PCN3001 before it, which was lost."""
    text = (FIXTURES / "837p/several_providers.x12").read_text()
    claims, reader = read(text.replace("HL*3**20*1~\n", ""))
    assert [dump(c) for c in claims] == [_claims_by_id(text)["PCN3001"]]
    assert [d.message for d in reader.diagnostics if d.code == "claim.skipped"] == [
        "claim 'PCN3002' is not read: its billing provider's HL is wrong"
    ]


def test_a_billing_provider_level_missing_whole_is_said_once_and_costs_only_its_claims() -> None:
    """The first billing provider level gone, HL to REF*EI: two loop starts are missing before the
    subscriber's HL (the 2000A's HL and its 2010AA's NM1*85). One missing was all the repair
    looked for: every segment to the SE was said "not expected here" (34 lines), a false
    "1000B is required but missing", and every claim of the set lost, the second provider's too."""
    text = (FIXTURES / "837p/several_providers.x12").read_text()
    level = text[text.index("HL*1**20*1~") : text.index("HL*2*1*22*0~")]
    assert level.count("~") == 7
    cut = text.replace(level, "").replace("SE*46*0001~", "SE*39*0001~")
    claims, reader = read(cut)
    assert [dump(c) for c in claims] == [_claims_by_id(text)["PCN3002"]]
    errors = [d for d in reader.diagnostics if d.severity is Severity.ERROR]
    assert [(d.code, d.location.segment_index, d.location.loop_id) for d in errors] == [
        ("structure.missing_segment", 6, "2000A"),
        ("structure.missing_segment", 6, "2010AA"),
        ("claim.skipped", 13, "2300"),
    ]
    assert errors[2].message == (
        "claim 'PCN3001' is not read: its billing provider (2000A, 2010AA) could not be read"
    )
    # The HLs after it are numbered as if it were there (2, 3, 4): not said, as the missing HL
    # may have had the number 1; nor the subscriber's HL02 (1): the level it names is missing, as
    # said. Numbered from 1 without it, the HLs are not said either.
    renumbered = cut
    for old, new in (("HL*2*1*", "HL*1**"), ("HL*3**", "HL*2**"), ("HL*4*3*", "HL*3*2*")):
        renumbered = renumbered.replace(old, new)
    claims, reader = read(renumbered)
    assert [c.patient_control_number for c in claims] == ["PCN3002"]
    assert [d.code for d in reader.diagnostics if d.severity is Severity.ERROR] == [
        "structure.missing_segment",
        "structure.missing_segment",
        "claim.skipped",
    ]


def test_a_claim_segment_after_its_first_line_skips_the_claim_not_cuts_it_short() -> None:
    """PCN1001's HI moved after its first line: it read as a claim whose CLM is missing, and
    PCN1001 was read with one of its two lines and no diagnosis, its charge unbalanced, no word
    said of it. The claim before holds no HI of its own: the HI is its, out of place."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    hi = "HI*ABK:J069*ABF:R509~\n"
    line = "SV1*HC:99214*125*UN*1***1:2~\n"
    assert text.count(hi) == 1 and text.count(line) == 1
    claims, reader = read(text.replace(hi, "").replace(line, line + hi))
    assert [dump(c) for c in claims] == [_claims_by_id(text)["PCN1002"]]
    assert [d.message for d in reader.diagnostics if d.code == "claim.skipped"] == [
        "claim 'PCN1001' is not read: its loops do not follow the guide (see the structure "
        "problems reported in it)"
    ]


def test_a_claim_left_open_at_the_end_of_the_set_is_named_and_not_written_back() -> None:
    """The last claim's SBR moved after its CLM: its 2320 never completes. Every loop of its billing
    provider was left open at the SE: the claim was counted, not named, and its segments were
    kept at the end of the set with the first claim, so that writing PCN3001 back wrote the
    broken PCN3002 too (or refused PCN3001 for it). The SE closes the loops open."""
    text = (FIXTURES / "837p/several_providers.x12").read_text()
    sbr, clm = "SBR*P*18*GRP3002******MC~\n", "CLM*PCN3002*210***21:B:1*Y*A*Y*Y~\n"
    assert text.count(sbr) == 1 and text.count(clm) == 1
    claims, reader = read(text.replace(sbr, "").replace(clm, clm + sbr))
    assert [dump(c) for c in claims] == [_claims_by_id(text)["PCN3001"]]
    assert [d.message for d in reader.diagnostics if d.code == "claim.skipped"] == [
        "claim 'PCN3002' is not read: its subscriber level has no SBR, which the guide requires"
    ]
    (end,) = [d for d in reader.diagnostics if d.code == "structure.incomplete_loop"]
    assert end.location.segment_id == "SE"
    written = edi.write_837(claims)
    assert "PCN3002" not in written and written.count("CLM*") == 1


@pytest.mark.parametrize(
    ("fixture", "opener", "stray", "lost", "loop"),
    [
        # A claim's onset date before its CLM: it was a stray in the payer's name loop (2010BB),
        # which every claim of the subscriber shares, and PCN1002 was lost with PCN1001.
        ("subscriber_is_patient", "CLM*PCN1001*", "DTP*431*D8*20240301~\n", "PCN1001", "2300"),
        # A billing provider's PRV before its HL: a stray in the header's 1000B, and every claim
        # of the set was lost ("the set's header could not be read").
        ("several_providers", "HL*1**20*1~", "PRV*BI*PXC*207Q00000X~\n", "PCN3001", "2000A"),
    ],
)
def test_a_segment_before_the_segment_that_opens_its_loop_costs_only_that_loop(
    fixture: str, opener: str, stray: str, lost: str, loop: str
) -> None:
    text = (FIXTURES / f"837p/{fixture}.x12").read_text()
    assert text.count(opener) == 1 and text.count(stray) <= 1
    claims, reader = read(text.replace(stray, "", 1).replace(opener, stray + opener))
    original = _claims_by_id(text)
    assert [dump(c) for c in claims] == [v for k, v in original.items() if k != lost]
    first = reader.diagnostics[0]
    assert (first.code, first.location.loop_id) == ("structure.unexpected_segment", loop)
    assert f" is not expected here (kept in loop {loop} " in first.message
    skipped = [d.message for d in reader.diagnostics if d.code == "claim.skipped"]
    assert len(skipped) == 1 and skipped[0].startswith(f"claim {lost!r} is not read")


def _moved(text: str, line: str, after: str) -> str:
    """`text` with `line` (a whole segment line) moved to just after `after` (the first such)."""
    assert text.count(line) == 1 and after in text
    text = text.replace(line, "", 1)
    at = text.index(after) + len(after)
    return text[:at] + line + text[at:]


def test_a_level_moved_into_the_last_claim_is_not_kept_with_the_other_claims() -> None:
    """HL 6 moved after the last claim's LX, near the SE: it was taken for a level opened at the
    end, and the last claim's line after it was kept at the end of the set with every claim read,
    written back with them (or refusing them)."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    moved = _moved(text, "HL*6*5*23*0~\n", "CLM*PCN2003*60***11:B:1*Y*A*Y*Y~\nHI*ABK:Z23~\nLX*1~\n")
    claims, _ = read(moved)
    original = _claims_by_id(text)
    assert [dump(c) for c in claims] == [original["PCN2001"], original["PCN2002"]]
    written = edi.write_837(claims)
    assert "HL*6" not in written and "PCN2003" not in written and written.count("SV1*") == 3


@pytest.mark.parametrize(
    ("stray", "moved"),
    [("PRV*BI*PXC*282N00000X~\n", False), ("PRV*AT*PXC*207RC0000X~\n", True)],
)
def test_a_sound_subscriber_hl_is_not_read_as_another_level_for_one_segment(
    stray: str, moved: bool
) -> None:
    """A PRV after a subscriber's HL fits a billing provider's level for one segment: the HL was
    read as one (HL03 said wrong where it is right), and the next subscriber's claim PCN8002 was
    nested under it and lost. HL02 names a parent: a billing provider's level has none."""
    text = (FIXTURES / "837i/inpatient.x12").read_text()
    hl = "HL*2*1*22*0~\n"
    changed = text.replace(stray, "", 1) if moved else text  # the billing provider's: a copy
    claims, reader = read(changed.replace(hl, hl + stray, 1))
    assert [dump(c) for c in claims] == [_claims_by_id(text)["PCN8002"]]
    assert "structure.wrong_qualifier" not in [d.code for d in reader.diagnostics]


def test_a_line_without_its_service_segment_is_not_read() -> None:
    """The first LX moved right after its CLM: the line it opens there has no SV3, and the claim was
    read with that empty line alone (no providers, no prior payer, its charge unbalanced), with
    no word said of it. A line needs its SV1/SV2/SV3: the claim is not read."""
    text = (FIXTURES / "837d/cob.x12").read_text()
    claims, reader = read(_moved(text, "LX*1~\n", "CLM*PCND004*300***11:B:1*Y*A*Y*Y~\n"))
    assert claims == []
    said = {d.code: d for d in reader.diagnostics}
    empty = said["claim.line_without_service"]
    assert (empty.message, empty.location.segment_id, empty.ack) == (
        "line 1 has no SV3, which the guide requires",
        "LX",
        "IK304:3",
    )
    assert said["claim.skipped"].message.startswith("claim 'PCND004' is not read")


def test_a_service_segment_with_an_invalid_value_is_not_said_missing() -> None:
    """SV102 not a number: said as that, and the claim not read. It was also said "line 1 has no
    SV1" (IK304:3, a missing segment), which a 999 made from the problems would report wrongly."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    line = "SV1*HC:99214*125*UN*1***1:2~"
    assert text.count(line) == 1
    claims, reader = read(text.replace(line, line.replace("*125*", "*12X*")))
    assert [c.patient_control_number for c in claims] == ["PCN1002"]
    said = [(d.code, d.location.segment_id, d.location.element) for d in reader.diagnostics]
    assert said == [("claim.skipped", "CLM", None), ("mapping.invalid_value", "SV1", "SV102")]


def test_a_subscriber_level_without_its_sbr_reads_none_of_its_claims() -> None:
    """The SBR (837P map: usage R in 2000B) moved into the claim: the claims under that subscriber
    were read with no payer responsibility, relationship, group or filing indicator, no word
    said. It is an error at the subscriber's HL, and its claims are not read."""
    text = (FIXTURES / "837p/dependent.x12").read_text()
    claims, reader = read(
        _moved(text, "SBR*P*18*GRP2001******CI~\n", "CLM*PCN2001*95***11:B:1*Y*A*Y*Y~\n")
    )
    by_id = _claims_by_id(text)
    assert [dump(c) for c in claims] == [by_id["PCN2002"], by_id["PCN2003"]]
    (lacks,) = [d for d in reader.diagnostics if d.code == "claim.level_incomplete"]
    assert lacks.message == (
        "subscriber HL '2' has no SBR (subscriber information), which the guide requires: the "
        "claims under it are not read"
    )
    why = "its subscriber level has no SBR, which the guide requires"
    skipped = [d.message for d in reader.diagnostics if d.code == "claim.skipped"]
    assert skipped == [f"claim 'PCN2001' is not read: {why}"]


def test_a_claim_segment_left_in_the_payer_loop_by_a_missing_clm_is_not_shared() -> None:
    """PCN6001's CLM missing: its REF*F8 was read into the payer's name loop (which takes REF), and
    PCN6002, of the same subscriber, was read with a payer reference F8 ICN6001. The REF may be
    the claim's: the payer's loop is not trusted (a warning at it), and no claim is read from it."""
    text = (FIXTURES / "837p/replacement_void.x12").read_text()
    claims, reader = read(text.replace("CLM*PCN6001*110***11:B:7*Y*A*Y*Y~\n", ""))
    assert claims == []
    (doubt,) = [d for d in reader.diagnostics if d.code == "structure.doubtful_segment"]
    # said once: the claim reader's check of the claim before a missing CLM does not say it again
    assert "claim.doubtful_segment" not in [d.code for d in reader.diagnostics]
    assert (doubt.location.segment_id, doubt.location.loop_id, doubt.severity) == (
        "REF",
        "2010BB",
        Severity.WARNING,
    )
    assert doubt.message == (
        "REF*F8 may belong to loop 2300 claim that lacks its first segment (CLM, said further on): "
        "the loop it is read in is not trusted"
    )


def test_claim_dates_left_in_the_line_before_by_a_missing_clm_cost_that_claim() -> None:
    """PCN9102's CLM missing: its DTP*434 and DTP*435 (837I 2300; 2400 takes only DTP*472) were read
    as line dates of PCN9101, which was read with them. They may be PCN9102's: PCN9101 is not
    read. A DTP*472 there does not cost the claim (test_a_missing_clm_costs_only_its_own_claim)."""
    text = (FIXTURES / "837i/replacement_void.x12").read_text()
    claims, reader = read(text.replace("CLM*PCN9102*5000***11:A:8**A*Y*Y~\n", ""))
    assert claims == []
    doubts = [d for d in reader.diagnostics if d.code == "claim.doubtful_segment"]
    assert [(d.location.line, d.location.loop_id) for d in doubts] == [(33, "2400"), (34, "2400")]
    assert doubts[0].message == (
        "DTP*434 comes just before a claim whose CLM is missing, and loop 2300 of 005010X223A2 "
        "takes it: it may be that claim's, so the claim it is read in is not read"
    )


@pytest.mark.parametrize(
    ("fixture", "clm", "moved", "loop", "lost"),
    [
        # REF*F8 before its CLM: read into the payer's name loop (which takes REF, not F8), and
        # PCN6002 of the same subscriber was read with a payer reference F8 ICN6001.
        (
            "837p/replacement_void",
            "CLM*PCN6001*110***11:B:7*Y*A*Y*Y~\n",
            "REF*F8*ICN6001~\n",
            "2010BB",
            ["PCN6001", "PCN6002"],
        ),
        # DTP*434 before its CLM: read into PCN9101's last line (837I 2400 takes only DTP*472),
        # and PCN9101 was read with it.
        (
            "837i/replacement_void",
            "CLM*PCN9102*5000***11:A:8**A*Y*Y~\n",
            "DTP*434*RD8*20240110-20240112~\n",
            "2400",
            ["PCN9101"],
        ),
    ],
)
def test_a_claim_segment_before_its_clm_that_its_loop_does_not_take_is_not_shared(
    fixture: str, clm: str, moved: str, loop: str, lost: list[str]
) -> None:
    text = (FIXTURES / f"{fixture}.x12").read_text()
    assert clm + moved in text
    claims, reader = read(text.replace(clm + moved, moved + clm))
    before = _claims_by_id(text)
    for claim in claims:  # the claim whose segment moved may be read without it: its own
        assert claim.patient_control_number not in lost
    assert not any(dump(c) != before[c.patient_control_number] for c in claims if c.id in lost)
    (doubt,) = [d for d in reader.diagnostics if d.code == "claim.doubtful_segment"]
    assert (doubt.location.loop_id, doubt.severity) == (loop, Severity.WARNING)
    shown = moved.split("*")[0] + "*" + moved.split("*")[1]
    assert doubt.message.startswith(f"{shown} is not used in loop {loop} of ")
    skipped = [d.message.split("'")[1] for d in reader.diagnostics if d.code == "claim.skipped"]
    assert skipped == lost


def test_a_pointer_read_that_is_no_number_is_no_missing_pointer() -> None:
    """SV107 `1.00`: the reader says it is no whole number; the checks said "no diagnosis pointer"
    too, which is wrong (the QA tester)."""
    text = with_edits(
        (FIXTURES / "837p/dependent.x12").read_text(),
        ("SV1*HC:99213*95*UN*1***1~", "SV1*HC:99213*95*UN*1***1.00~"),
    )
    reader = edi.read_claims(text)
    claims = list(reader)
    assert [d.code for d in reader.diagnostics] == ["mapping.invalid_value"]
    said = edi.check_claims(claims)
    assert said and not any("no diagnosis pointer" in p for p in said), said
    # None read at all: said.
    claims[0].lines[0].professional.diagnosis_pointers = []  # type: ignore[union-attr]
    claims[0].lines[0].professional.__pydantic_private__["_x12"] = None  # type: ignore[union-attr,index]
    assert any("no diagnosis pointer" in p for p in edi.check_claims(claims[:1]))


def test_claims_read_keep_their_loops_and_sets_by_the_objects_they_share() -> None:
    """As the README says: a list of claims read, copied whole, is written as read; claims copied one
    by one are a transaction set each (their envelopes are no longer shared), and a copy of one
    claim's subscriber, though equal, is an HL loop of its own."""
    import copy

    source = FIXTURES / "837p/subscriber_is_patient.x12"
    claims = list(edi.read_claims(source))
    assert len(claims) == 2 and claims[0].subscriber is claims[1].subscriber
    text = edi.write_837(claims)
    assert text == source.read_text()
    assert edi.write_837(copy.deepcopy(claims)) == text
    one_by_one = edi.write_837([copy.deepcopy(c) for c in claims])
    assert one_by_one.count("\nST*837*") == 2 and text.count("\nST*837*") == 1
    claims[0].subscriber = claims[0].subscriber.model_copy(deep=True)
    assert claims[0].subscriber == claims[1].subscriber
    apart = edi.write_837(claims)
    assert apart.count("*22*") == text.count("*22*") + 1  # one 2000B (HL03 22) more


def test_a_name_loop_opened_with_another_qualifier_is_said_by_the_grammar_alone() -> None:
    """NM1*117 where the billing provider's NM1*85 goes: the grammar says the NM1*117 is not
    expected there and the NM1*85 is missing. The model had also said "NM103 (name) is required but
    missing", of a name that is there, and warned that the NM1*117 had no place in it: one mistake
    said four times (the intake tester)."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    assert text.count("NM1*85*") == 1
    claims, reader = read(text.replace("NM1*85*", "NM1*117*"))
    assert claims == []
    assert [(d.code, d.location.segment_id) for d in reader.diagnostics] == [
        ("structure.unexpected_segment", "NM1"),
        ("structure.missing_segment", "N3"),
        ("claim.skipped", "CLM"),
        ("claim.skipped", "CLM"),
    ]


@pytest.mark.parametrize(
    ("after", "said"),
    [
        # A DTP*441 before its lines: a line's, not a claim's.
        ("TOO*JP*19~\n", "DTP*441 is a line's in 005010X224A2, not a claim's"),
        # Its lines numbered on from the claim before's (LX*3): the third reviewer.
        ("REF*6R*LD002B~\n", "LX*3 opens the lines of a claim whose CLM is missing"),
    ],
)
def test_a_line_cut_by_a_segment_it_has_no_place_for_costs_its_claim(after: str, said: str) -> None:
    """837D: a PWK in line 2 (no place for it in an 837D line), with a claim-level PWK, made the
    grammar open a claim there, without its CLM; PCND002 was read with one line and a half (line 2
    without its dates and REF*6R, line 3 gone) and its checks blamed data the file has."""
    text = (FIXTURES / "837d/restorative.x12").read_text()
    assert text.count(after) == 1 and text.count("HI*ABK:K0252~\n") == 1
    broken = text.replace(after, after + "PWK*RB*BM***AC*X9~\n")
    # With a claim-level PWK too, the grammar takes the line's for a claim's out of place.
    broken = broken.replace("HI*ABK:K0252~\n", "PWK*RB*BM***AC*XR123~\nHI*ABK:K0252~\n")
    claims, reader = read(broken.replace("SE*38*", "SE*40*"))
    assert "PCND002" not in [c.patient_control_number for c in claims]
    (doubt,) = [d for d in reader.diagnostics if d.code == "claim.doubtful_segment"]
    assert doubt.severity is Severity.WARNING and doubt.message.startswith(said)
    skipped = [d.message for d in reader.diagnostics if d.code == "claim.skipped"]
    assert any(m.startswith("claim 'PCND002' is not read") for m in skipped)


def test_a_stray_hi_in_a_line_costs_its_claim() -> None:
    """The third reviewer: a claim's HI*BG moved into its first line opened a claim there without
    its CLM, and PCN1001 was read with one line, without its DTP*472 and REF*6R. The CLM-less
    claim's lines go on from PCN1001's (LX*2)."""
    text = (FIXTURES / "837p/subscriber_is_patient.x12").read_text()
    line = "SV1*HC:99214*125*UN*1***1:2~\n"
    assert text.count(line) == 1 and "SE*44*" in text
    claims, reader = read(text.replace(line, line + "HI*BG:01~\n").replace("SE*44*", "SE*45*"))
    assert [c.patient_control_number for c in claims] == ["PCN1002"]
    assert "claim.doubtful_segment" in [d.code for d in reader.diagnostics]


def test_lines_that_start_again_at_lx_1_are_not_read_into_the_claim_before() -> None:
    """The second fuzzer: PCN8002's CLM and HI lost, its line was read as PCN8001's third (a warning
    that LX01 was renumbered), with PCN8001's diagnoses. A claim whose lines start again at LX*1 is
    not read."""
    text = (FIXTURES / "837p/ambulance_dme.x12").read_text()
    lost = "CLM*PCN8002*120***12:B:1*Y*A*Y*Y~\nHI*ABK:G4733~\n"
    assert text.count(lost) == 1
    claims, reader = read(text.replace(lost, "").replace("SE*59*", "SE*57*"))
    assert "PCN8001" not in [c.patient_control_number for c in claims]
    (restart,) = [d for d in reader.diagnostics if d.code == "claim.lines_restart"]
    assert (restart.location.segment_id, restart.severity) == ("LX", Severity.ERROR)
    assert "claim.line_number" not in [d.code for d in reader.diagnostics]
