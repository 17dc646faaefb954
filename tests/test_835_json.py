"""`edi.load_remittances`: the remittance JSON (`edi remit --format json`) back to `Remittance` models,
and from them to the 835 it was read from."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import edi
from edi.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "835"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.x12"))
LATIN1_NAME = b"CLINIQUE \xc9T\xc9"  # not UTF-8: read as lone surrogates


def remit_json(path: Path) -> bytes:
    result = CliRunner().invoke(main, ["remit", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


@pytest.mark.parametrize("name", NAMES)
def test_json_written_by_edi_remit_writes_back_the_835(name: str) -> None:
    path = FIXTURES / f"{name}.x12"
    loaded = edi.load_remittances(remit_json(path))
    assert loaded == list(edi.read_remittances(path))
    assert edi.write_835(loaded, check=False).encode() == path.read_bytes()


def test_json_says_which_plb_holds_each_provider_adjustment() -> None:
    # L6 in the first PLB, WO and FB in the second: packed, all three would share one PLB.
    (remit,) = json.loads(remit_json(FIXTURES / "plb_interest_recoupment.x12"))
    assert [(p["reason"], p["segment"]) for p in remit["provider_adjustments"]] == [
        ("L6", 1),
        ("WO", 2),
        ("FB", 2),
    ]


@pytest.mark.parametrize("name", NAMES)
def test_fixture_json_with_defaults_left_out_loads(name: str) -> None:
    expected = list(edi.read_remittances(FIXTURES / f"{name}.x12"))
    assert edi.load_remittances(FIXTURES / f"{name}.json") == expected


def test_sources_path_name_text_bytes_and_data() -> None:
    path = FIXTURES / "partly_paid.json"
    from_path = edi.load_remittances(path)
    assert edi.load_remittances(str(path)) == from_path  # a str that is not JSON text names a file
    assert edi.load_remittances(path.read_text(encoding="utf-8")) == from_path
    assert edi.load_remittances(path.read_bytes()) == from_path
    data = json.loads(path.read_text(encoding="utf-8"))
    assert edi.load_remittances(data) == from_path
    assert edi.load_remittances(data[0]) == from_path  # one remittance object
    with pytest.raises(FileNotFoundError):
        edi.load_remittances(str(path.with_name("missing.json")))


def test_amounts_are_exact_decimals() -> None:
    data = json.loads((FIXTURES / "paid_in_full.json").read_text(encoding="utf-8"))
    text = json.dumps(data).replace('"amount": "100"', '"amount": 12345678901234567.89', 1)
    remit = edi.load_remittances(text)[0]
    assert remit.payment.amount == Decimal("12345678901234567.89")
    assert type(remit.payment.amount) is Decimal
    assert type(remit.claims[0].paid) is Decimal


def test_bytes_that_were_not_utf8_are_written_back_as_they_came(tmp_path: Path) -> None:
    x12 = (FIXTURES / "partly_paid.x12").read_bytes().replace(b"EXAMPLE CLINIC", LATIN1_NAME)
    path = tmp_path / "latin1.x12"
    path.write_bytes(x12)
    text = remit_json(path)
    assert b'"name": "CLINIQUE \\udcc9T\\udcc9"' in text  # escaped, as json.dumps does
    # pydantic's own JSON parser refuses the lone surrogate that this JSON holds.
    with pytest.raises(ValueError):
        edi.Remittance.model_validate_json(json.dumps(json.loads(text)[0]))
    assert (
        edi.write_835(edi.load_remittances(text), check=False).encode("utf-8", "surrogateescape")
        == x12
    )
    # JSON written with the byte itself (ensure_ascii=False, surrogateescape) reads the same.
    raw = json.dumps(json.loads(text), ensure_ascii=False).encode("utf-8", "surrogateescape")
    assert LATIN1_NAME in raw
    assert edi.load_remittances(raw) == edi.load_remittances(text)


def test_every_field_at_fault_is_named_by_path_never_its_value() -> None:
    data = json.loads((FIXTURES / "partly_paid.json").read_text(encoding="utf-8"))
    data[0]["claims"][1]["paid"] = "TESTPATIENT SECRET"
    del data[0]["payer"]
    data[0]["payment"]["date"] = "20240305"
    with pytest.raises(edi.RemittanceValidationError) as raised:
        edi.load_remittances(data)
    assert isinstance(raised.value, edi.EdiError)
    assert raised.value.problems == [
        # "20240305" is no date (pydantic's words, of a Unix time with a fraction of a day, misled)
        "[0].payment.date: Input should be a valid date (a date is written YYYY-MM-DD in JSON, "
        "such as 2024-03-05)",
        "[0].payer: Field required",
        "[0].claims[1].paid: Input should be a valid decimal",
    ]
    assert "SECRET" not in str(raised.value)
    assert str(raised.value).startswith("3 problem(s) in the remittance JSON:\n  [0].payment.date")


@pytest.mark.parametrize(
    ("source", "said"),
    [
        (
            "[{",
            "not JSON: Expecting property name enclosed in double quotes: line 1 column 3 (char 2)",
        ),
        (b"", "not JSON: the input is empty"),
        (
            (FIXTURES / "denied.x12").read_bytes(),
            "not JSON: the input is X12 (it starts with ISA); the remittance JSON of an 835 is "
            "what `edi remit FILE --format json` gives",
        ),
        ("3", "expected a list of remittances (JSON array), got number"),
        ("[" * 100_000, "not JSON: it nests lists and objects deeper than edi reads them"),
    ],
)
def test_what_is_no_remittance_json_is_said_in_one_line(source: str | bytes, said: str) -> None:
    with pytest.raises(edi.RemittanceValidationError) as raised:
        edi.load_remittances(source)
    assert raised.value.problems == [said]


def test_json_is_read_from_a_file_object_and_what_holds_none_is_refused() -> None:
    path = FIXTURES / "denied.json"
    expected = edi.load_remittances(path)
    with path.open() as text, path.open("rb") as binary:
        assert edi.load_remittances(text) == expected == edi.load_remittances(binary)
    for wrong in (3, 2.5, object()):
        with pytest.raises(TypeError, match=r"^cannot read remittances JSON from "):
            edi.load_remittances(wrong)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^cannot read claims JSON from int"):
        edi.load_claims(3)  # type: ignore[arg-type]


# -- which CAS holds each adjustment -------------------------------------------------------------------


def split_cas() -> bytes:
    """partly_paid with one group code's triplets over two CAS, where edi packs them in one: claim
    PCN2002's CO 45 and CO 253 (one CAS in the fixture), and line 1's CO 45 as two triplets."""
    text = (FIXTURES / "partly_paid.x12").read_text()
    for old, new in (
        ("CAS*CO*45*10**253*5~\n", "CAS*CO*45*10~\nCAS*CO*253*5~\n"),
        ("CAS*CO*45*50.00~\n", "CAS*CO*45*20.00~\nCAS*CO*45*30.00~\n"),
        ("SE*41*0001~", "SE*43*0001~"),  # two more segments
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text.encode()


def test_json_of_an_835_that_splits_a_cas_group_writes_it_back(tmp_path: Path) -> None:
    path = tmp_path / "split_cas.x12"
    path.write_bytes(split_cas())
    data = json.loads(remit_json(path))
    claims = data[0]["claims"]
    # Counted in the file: CAS 1, 2 and 3 of claim PCN2002; CAS 1, 2 (CO) and 3 (PR) of its line 1.
    assert [(a["group"], a["reason"], a["segment"]) for a in claims[1]["adjustments"]] == [
        ("CO", "45", 1),
        ("CO", "253", 2),
        ("PR", "3", 3),
    ]
    assert [
        (a["reason"], a["amount"], a["segment"]) for a in claims[0]["services"][0]["adjustments"]
    ] == [
        ("45", "20.00", 1),
        ("45", "30.00", 2),
        ("2", "30.00", 3),
    ]
    loaded = edi.load_remittances(data)
    assert edi.write_835(loaded, check=False).encode() == path.read_bytes()
    assert edi.write_835(loaded).encode() == path.read_bytes()
    assert edi.check_remittances(loaded) == []
    # Without the numbers, as built in code: packed, one CAS per run of one group code.
    for claim in loaded[0].claims:
        for adjustment in [*claim.adjustments, *(a for s in claim.services for a in s.adjustments)]:
            adjustment.segment = None
    assert edi.write_835(loaded, check=False).encode() == (
        FIXTURES / "partly_paid.x12"
    ).read_bytes().replace(b"CAS*CO*45*50.00~", b"CAS*CO*45*20.00**45*30.00~")


def test_an_lx_number_the_reader_would_not_take_is_refused_when_made() -> None:
    """A claim made with `header_number=-1` was written `LX*-1`, which passed the checks (and
    pyx12), and the reader then lost the whole set ("LX01 is not a whole number"). LX01 is N0 1/6
    in the map: 0 to 999999, as a model field and in the JSON."""
    data = json.loads((FIXTURES / "partly_paid.json").read_text())
    data[0]["claims"][0]["header_number"] = -1
    with pytest.raises(edi.RemittanceValidationError, match=r"claims\[0\]\.header_number"):
        edi.load_remittances(data)
    for bad in (-1, 1_000_000):
        with pytest.raises(ValueError):
            edi.HeaderNumber(number=bad)
    assert edi.HeaderNumber(number=999_999).number == 999_999
