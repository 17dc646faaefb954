"""The segment-grammar machinery, on the toy grammar in tests/grammars/toy.lark."""

from __future__ import annotations

import pytest
from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from edi.errors import ConfigurationError, StructureError
from edi.grammar import SegmentGrammar
from edi.loops import Loop
from edi.x12.segment import Segment
from tests.helpers import GRAMMARS, read

VALID = """\
ST*835*0001
BPR*I*100*C
REF*EV*1
DTM*405*20240101
N1*PR*PAYER
N3*1 MAIN ST
N4*CITY*ST*12345
N1*PE*PAYEE
REF*TJ*123
LX*1
CLP*A*1*100*90
CAS*CO*45*10
NM1*QC*1*DOE
NM1*IL*1*DOE
SVC*HC:99213*100*90
DTM*472*20240101
CAS*CO*45*10
SVC*HC:99214*50*50
CLP*B*1*10*10
LX*2
CLP*C*1*10*10
PLB*X*20241231*WO:1*5
SE*23*0001
"""


@pytest.fixture(scope="module")
def toy() -> SegmentGrammar:
    return SegmentGrammar("toy", source_dir=GRAMMARS)


def segments(text: str) -> list[Segment]:
    """Segments one per line, with real positions (index, line, offset)."""
    return read(text.replace("\n", "~\n"))[0]


def shape(loop: Loop) -> list[object]:
    """A loop tree as nested lists: [loop id, name, segment IDs and child shapes...]."""
    return [
        loop.id,
        loop.name,
        *[item.id if isinstance(item, Segment) else shape(item) for item in loop.items],
    ]


# -- compilation and tagging -------------------------------------------------------------------------


def test_compiles_strictly_and_reads_terminals(toy):
    assert toy.name == "toy"
    assert {"ST", "SE", "N1_PR", "N1_PE", "NM1_QC", "NM1_IL", "HL_20", "HL_22"} <= toy.terminals
    assert toy.segment_ids >= {"ST", "SE", "N1", "NM1", "HL", "CLP", "SVC"}
    assert toy.qualifier_positions == {"N1": 1, "NM1": 1, "HL": 3}


def test_a_grammar_with_a_conflict_does_not_compile(tmp_path):
    text = "%declare ST SE REF\ntransaction: ST a* b* SE\na: REF\nb: REF\n"
    with pytest.raises(ConfigurationError, match="does not compile"):
        SegmentGrammar("conflict", text, source_dir=tmp_path)


def test_missing_grammar_and_bad_terminal(tmp_path):
    with pytest.raises(ConfigurationError, match="no grammar"):
        SegmentGrammar("nope", source_dir=tmp_path)
    with pytest.raises(ConfigurationError, match="not a segment tag"):
        text = "%declare ST SE LONGNAME\ntransaction: ST LONGNAME SE\n"
        SegmentGrammar("bad", text, source_dir=tmp_path)


@pytest.mark.parametrize(
    "elements,tag",
    [
        (["N1", "PR", "PAYER"], "N1_PR"),
        (["N1", "PE", "PAYEE"], "N1_PE"),
        (["N1", "XX", "OTHER"], "N1_XX"),  # no bare N1 in the grammar: the tag still says which
        (["N1"], "N1_"),
        (["NM1", "QC", "1"], "NM1_QC"),
        (["NM1", "IL:Z", "1"], "NM1_IL"),  # a composite qualifier: its first component
        (["HL", "1", "", "20", "1"], "HL_20"),  # `// @qualifier HL 3`
        (["HL", "2", "1", "22", "0"], "HL_22"),
        (["HL", "20", "", "", ""], "HL_"),  # the qualifier is HL03, not HL01
        (["CLP", "A"], "CLP"),
        (["ZZZ", "1"], "ZZZ"),
    ],
)
def test_tags(toy, elements, tag):
    assert toy.tag(Segment(elements)) == tag


def test_describe_tag(toy):
    assert toy.describe_tag("N1_PR") == "N1*PR"
    assert toy.describe_tag("HL_22") == "HL(HL03=22)"
    assert toy.describe_tag("CLP") == "CLP"
    assert "end of the transaction set" in toy.describe_tag("$END")


# -- the loop tree -----------------------------------------------------------------------------------


def test_loop_tree(toy):
    segs = segments(VALID)
    parsed = toy.parse(segs)
    assert parsed.diagnostics == []
    assert shape(parsed.root) == [
        "ST",
        "transaction",
        "ST",
        "BPR",
        "REF",
        "DTM",
        ["1000A", "payer", "N1", "N3", "N4"],
        ["1000B", "payee", "N1", "REF"],
        [
            "2000",
            "header number",
            "LX",
            [
                "2100",
                "claim payment",
                "CLP",
                "CAS",
                "NM1",
                "NM1",
                ["2110", "service payment", "SVC", "DTM", "CAS"],
                ["2110", "service payment", "SVC"],
            ],
            ["2100", "claim payment", "CLP"],
        ],
        ["2000", "header number", "LX", ["2100", "claim payment", "CLP"]],
        "PLB",
        "SE",
    ]
    root = parsed.root
    assert list(root.iter_segments()) == segs
    assert [s.index for s in root.iter_segments()] == list(range(1, 24))
    assert [loop.id for loop in root.walk()] == [
        "ST",
        "1000A",
        "1000B",
        "2000",
        "2100",
        "2110",
        "2110",
        "2100",
        "2000",
        "2100",
    ]
    claim = root.first("2100")
    assert claim is not None and claim.segment("NM1", "IL") is not None
    assert claim.first_segment is segs[10]
    assert [c.id for c in claim.children] == ["2110", "2110"]
    assert [s.id for s in claim.segments] == ["CLP", "CAS", "NM1", "NM1"]
    assert root.segment_count() == 23
    assert toy.loop_name("2110") == "service payment" and toy.loop_name("9999") == ""
    assert "2110 service payment" in root.pretty()


def test_driver_agrees_with_lark(toy):
    """Lark's own LALR parser, fed by SegmentLexer, builds the same tree as the driver."""
    segs = segments(VALID)
    tree = toy.lark.parse((toy, segs))

    def to_loop(node: Tree) -> Loop:
        rule = str(node.data)
        loop_id = "ST" if rule == "transaction" else rule.rsplit("_", 1)[1].upper()
        items: list[Segment | Loop] = []
        for child in node.children:
            if isinstance(child, Token):
                items.append(child.value)
            else:
                items.append(to_loop(child))
        return Loop(loop_id, "", items)

    assert to_loop(tree) == toy.parse(segs).root


def test_lark_rejects_what_the_driver_reports(toy):
    segs = segments(VALID.replace("N1*PE*PAYEE\n", ""))
    with pytest.raises(UnexpectedInput) as err:
        toy.lark.parse((toy, segs))
    assert "N1_PE" in str(err.value)
    assert toy.parse(segs).diagnostics


# -- errors ------------------------------------------------------------------------------------------


def test_unexpected_segment_is_reported_and_kept(toy):
    text = VALID.replace("CAS*CO*45*10\nNM1*QC", "N1*PR*STRAY\nCAS*CO*45*10\nNM1*QC")
    segs = segments(text)
    parsed = toy.parse(segs)
    [diag] = parsed.diagnostics
    assert diag.code == "structure.unexpected_segment"
    assert diag.ack == "IK304:2"
    loc = diag.location
    assert loc is not None
    assert (loc.segment_index, loc.segment_id, loc.line) == (12, "N1", 12)
    assert (loc.loop_id, loc.loop_name) == ("2100", "claim payment")
    assert "N1*PR is not expected here" in diag.message
    assert {"CAS", "NM1*QC", "SVC", "CLP", "LX", "SE"} <= set(diag.expected)
    assert str(diag).startswith("segment 12 N1 (line 12, loop 2100 claim payment): N1*PR is not")
    # Kept in the loop being read, so nothing is lost.
    assert list(parsed.root.iter_segments()) == segs
    claim = parsed.root.first("2100")
    assert claim is not None and [s.id for s in claim.segments][:3] == ["CLP", "N1", "CAS"]


def test_unknown_segment_id_ik304_6(toy):
    segs = segments(VALID.replace("LX*2\n", "LX*2\nZZZ*1\n"))
    parsed = toy.parse(segs)
    [diag] = parsed.diagnostics
    assert diag.ack == "IK304:6"
    assert "ZZZ is not a segment of this transaction set" in diag.message
    assert diag.location is not None and diag.location.loop_id == "2000"
    assert list(parsed.root.iter_segments()) == segs


def test_invalid_segment_id_ik304_1(toy):
    segs = segments(VALID.replace("LX*2\n", "LX*2\nn3x*1\n"))
    parsed = toy.parse(segs)
    [diag] = parsed.diagnostics
    assert diag.ack == "IK304:1"
    assert "'n3x' is not a valid segment ID" in diag.message
    assert "upper case" not in diag.message  # N3X is no segment of the set either
    assert list(parsed.root.iter_segments()) == segs


def test_a_segment_id_in_lower_case_is_named_in_upper_case(toy):
    segs = segments(VALID.replace("LX*2\n", "LX*2\nlx*3\n"))
    [diag] = toy.parse(segs).diagnostics
    assert diag.ack == "IK304:1"
    assert "'lx' is not a valid segment ID (segment IDs are upper case: LX)" in diag.message


def test_unexpected_end_ik304_3(toy):
    segs = segments("ST*835*0001\nBPR*I\nN1*PR*X\nN1*PE*Y\nLX*1\n")
    parsed = toy.parse(segs)
    [diag] = parsed.diagnostics
    assert (diag.code, diag.ack) == ("structure.unexpected_end", "IK304:3")
    assert diag.expected == ("CLP",)
    assert diag.location is not None and diag.location.segment_id == "LX"
    assert list(parsed.root.iter_segments()) == segs


def test_empty_set(toy):
    parsed = toy.parse([])
    [diag] = parsed.diagnostics
    assert diag.code == "structure.empty"
    assert list(parsed.root.iter_segments()) == []


def test_stray_before_the_header_is_kept_first(toy):
    segs = [Segment.of("BPR", "I"), *segments(VALID)]
    parsed = toy.parse(segs)
    assert [d.ack for d in parsed.diagnostics] == ["IK304:2"]
    assert list(parsed.root.iter_segments()) == segs


@pytest.mark.parametrize(
    "text,ack",
    [
        (VALID.replace("CAS*CO*45*10\nNM1*QC", "N1*PR*STRAY\nCAS*CO*45*10\nNM1*QC"), "IK304:2"),
        (VALID.replace("LX*2\n", "LX*2\nZZZ*1\n"), "IK304:6"),
        ("ST*835*0001\nBPR*I\nN1*PR*X\nN1*PE*Y\nLX*1\n", "IK304:3"),
    ],
)
def test_strict_mode_raises(toy, text, ack):
    with pytest.raises(StructureError) as err:
        toy.parse(segments(text), strict=True)
    assert err.value.diagnostic.ack == ack
    assert str(err.value) == str(err.value.diagnostic)


def test_strict_mode_accepts_valid_input(toy):
    assert toy.parse(segments(VALID), strict=True).diagnostics == []


def test_five_thousand_loops(toy):
    """Repetitions are collected in place: a long file parses (linear time; no timing assertion)."""
    n = 5000
    body = "".join(f"LX*{i}\nCLP*C{i}*1*10*10\nCAS*CO*45*1\n" for i in range(n))
    segs = segments(f"ST*835*0001\nBPR*I\nN1*PR*X\nN1*PE*Y\n{body}SE*{3 * n + 5}*0001\n")
    parsed = toy.parse(segs)
    assert parsed.diagnostics == []
    loops = parsed.root.children
    assert len([c for c in loops if c.id == "2000"]) == n
    assert sum(1 for _ in parsed.root.find("2100")) == n
    assert list(parsed.root.iter_segments()) == segs
