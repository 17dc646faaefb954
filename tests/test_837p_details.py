"""The 837P's less common claim and line segments, against the 837P map (`maps/837.5010.X222.A1`):
read into their fields, written back byte for byte, through JSON, built in code, and checked."""

from __future__ import annotations

import re
from pathlib import Path

import edi
from tests import pyx12_oracle

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _with(text: str, *edits: tuple[str, str]) -> str:
    """The fixture text with each `old` segment text replaced by `new`, and SE01 counted again."""
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    body = text[text.index("ST*837") : text.index("SE*")]
    return re.sub(r"SE\*\d+\*", f"SE*{body.count('~') + 1}*", text)


def _line_ref04_text() -> str:
    # The lab line of ambulance_dme (PCN8004) with a prior authorization from another payer (2400
    # REF*G1, map lines 1464-1470: REF04-01 2U, REF04-02 its id) and its purchased service provider
    # (2420B) with a secondary id from that payer (lines 1660-1666).
    text = (FIXTURES / "837p/ambulance_dme.x12").read_text()
    return _with(
        text,
        ("MEA*TR*R1*11.2~\n", "MEA*TR*R1*11.2~\nREF*G1*AUTH8004**2U:EXAMPLEHP02~\n"),
        (
            "NM1*QB*2******XX*1000000095~\n",
            "NM1*QB*2******XX*1000000095~\nREF*G2*QB8004**2U:EXAMPLEHP02~\n",
        ),
    )


def test_the_other_payer_of_a_line_ref_and_a_line_provider_ref_is_a_field() -> None:
    text = _line_ref04_text()
    assert pyx12_oracle.validation_errors(text) == []
    claims = list(edi.read_claims(text))
    line = claims[3].lines[0]
    (auth,) = line.references
    assert (auth.qualifier, auth.value, auth.other_payer_qualifier, auth.other_payer_id) == (
        "G1",
        "AUTH8004",
        "2U",
        "EXAMPLEHP02",
    )
    (lab_id,) = line.provider("QB").references
    assert (lab_id.qualifier, lab_id.other_payer_qualifier, lab_id.other_payer_id) == (
        "G2",
        "2U",
        "EXAMPLEHP02",
    )
    assert edi.check_claims(claims) == []
    assert edi.write_837(claims) == text
    # Through the JSON of `edi claims --format json`: the other payer is in it, and written again.
    data = [c.model_dump(mode="json", exclude_defaults=True) for c in claims]
    assert data[3]["lines"][0]["references"][0]["other_payer_id"] == "EXAMPLEHP02"
    assert edi.write_837(edi.load_claims(data)) == text


def test_a_line_ref_built_with_another_payer_is_written_in_ref04() -> None:
    (claim,) = [
        c for c in edi.load_claims(FIXTURES / "837p/ambulance_dme.json") if c.id == "PCN8004"
    ]
    line = claim.lines[0]
    line.references = [edi.PayerReference(qualifier="9F", value="REF8004", other_payer_id="PAYERB")]
    line.providers[0].references = [edi.Reference(qualifier="G2", value="QB8004")]  # no REF04
    assert line.references[0].other_payer_qualifier == "2U"  # the only code the map lists
    text = edi.write_837([claim])
    assert "\nREF*9F*REF8004**2U:PAYERB~\n" in text
    assert "\nREF*G2*QB8004~\n" in text
    (back,) = edi.read_claims(text)
    assert back.lines[0].references == line.references
    assert pyx12_oracle.validation_errors(text) == []


def test_ref04_is_refused_where_the_map_does_not_use_it_or_with_another_code() -> None:
    claims = list(edi.read_claims(_line_ref04_text()))
    claim = claims[3]
    line = claim.lines[0]
    line.references[0].other_payer_qualifier = "ZZ"  # REF04-01 takes 2U only (line 1469)
    line.references.append(edi.PayerReference(qualifier="EW", value="MAMMO1", other_payer_id="P"))
    claims[0].providers.append(
        edi.Provider(
            role="DN",
            entity_type="1",
            name="TESTDOCTOR",
            id="1000000020",
            references=[edi.PayerReference(qualifier="G2", value="R1", other_payer_id="P")],
        )
    )
    said = [str(p) for p in edi.check_claims(claims)]
    assert said == [
        # 2310A REF: REF04 not used (map lines 891-896)
        "claim PCN8001: claim: provider DN (2310A): REF has REF04-01 "
        "(references[0].other_payer_qualifier); the 837P guide does not use it",
        "claim PCN8001: claim: provider DN (2310A): REF has REF04-02 "
        "(references[0].other_payer_id); the 837P guide does not use it",
        "claim PCN8004: line 1: REF04-01 (references[0].other_payer_qualifier) is 'ZZ', not one "
        "of 2U (837P)",
        # 2400 REF*EW: REF04 not used (lines 1480-1484)
        "claim PCN8004: line 1: REF has REF04-01 (references[1].other_payer_qualifier); the 837P "
        "guide does not use it",
        "claim PCN8004: line 1: REF has REF04-02 (references[1].other_payer_id); the 837P guide "
        "does not use it",
    ]
    # REF04-02 is required in REF04 (line 1470): a qualifier alone is refused.
    claims = list(edi.read_claims(_line_ref04_text()))
    claims[3].lines[0].references[0].other_payer_id = None
    assert [str(p) for p in edi.check_claims(claims)] == [
        "claim PCN8004: line 1: REF without REF04-02 (references[0].other_payer_id); the 837P guide "
        "requires it"
    ]
