"""write_835 and read_remittances together: models → 835 → models is the identity, envelopes and counts
are right, delimiters are selectable, pyx12 accepts what we write, and reading streams.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edi
from edi.x12.delimiters import Delimiters
from edi.x12.envelope import EnvelopeReader
from tests import pyx12_oracle
from tests.helpers import laid_out
from tests.strategies_835 import remittances
from tests.test_cli import run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "835"
DELIMITERS = [
    Delimiters(),  # * ^ : ~ and a line break
    Delimiters("|", "^", ">", "~", ""),
    Delimiters("*", "{", "!", "\n", ""),  # newline as the terminator
    Delimiters("^", "|", "\\", "~", "\r\n"),
]


def dump(remit: edi.Remittance, *, envelope: bool = True) -> dict[str, Any]:
    data = remit.model_dump()
    if not envelope:
        data.pop("envelope")
    elif data["envelope"] and data["envelope"]["interchange"]:
        # ISA11 is the repetition separator in 005010: a delimiter, chosen when writing.
        data["envelope"]["interchange"].pop("standards_id")
    return data


def _control_number(remit: edi.Remittance) -> object:
    """Random envelopes in one file must not share control numbers (that is an envelope error)."""
    env = remit.envelope
    return id(remit) if env is None or env.interchange is None else env.interchange.control_number


def _payment(remit: edi.Remittance) -> tuple[object, ...]:
    """Random sets in one file must not pay one payment twice (`remit.duplicate_payment`)."""
    trace, payment = remit.trace, remit.payment
    return (trace.payer_id, trace.number, payment.date, payment.amount, payment.credit_debit)


# -- identity -----------------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(remittances(), min_size=1, max_size=3, unique_by=(_control_number, _payment)),
    st.sampled_from(DELIMITERS),
)
def test_models_to_835_to_models_is_the_identity(
    remits: list[edi.Remittance], delimiters: Delimiters
) -> None:
    text = edi.write_835(remits, delimiters=delimiters)
    reader = edi.read_remittances(text.encode())
    back = list(reader)
    assert [str(d) for d in reader.diagnostics] == []
    assert len(back) == len(remits)
    for original, read in zip(remits, back, strict=True):
        keep = original.envelope is not None
        assert dump(read, envelope=keep) == dump(laid_out(original), envelope=keep)
        if not keep:
            assert read.envelope is not None and read.envelope.group is not None
            assert read.envelope.group.version == "005010X221A1"
    # And writing what was read gives the same text again.
    assert edi.write_835(back, delimiters=delimiters) == text


# -- what write_835 makes ---------------------------------------------------------------------------


def _code_built() -> list[edi.Remittance]:
    """The fixtures' models as a user would build them: from JSON, so with no envelope or notes."""
    out = []
    for name in ("paid_in_full", "partly_paid", "denied"):
        (remit,) = edi.read_remittances(FIXTURES / f"{name}.x12")
        fresh = edi.Remittance.model_validate_json(remit.model_dump_json())
        fresh.envelope = None
        out.append(fresh)
    return out


def test_envelopes_for_models_built_in_code() -> None:
    text = edi.write_835(
        _code_built(),
        sender_id="PAYERX",
        receiver_id="CLINICY",
        interchange_control_number=42,
        group_control_number=7,
        set_control_number=5,
        usage="T",
        when=datetime(2024, 5, 6, 7, 8),
    )
    lines = text.splitlines()
    assert lines[0] == (
        "ISA*00*          *00*          *ZZ*PAYERX         *ZZ*CLINICY        *240506*0708*^*"
        "00501*000000042*0*T*:~"
    )
    assert lines[1] == "GS*HP*PAYERX*CLINICY*20240506*0708*7*X*005010X221A1~"
    assert [line for line in lines if line.startswith(("ST*", "SE*", "GE*", "IEA*"))] == [
        "ST*835*0005~",
        "SE*18*0005~",
        "ST*835*0006~",
        "SE*41*0006~",
        "ST*835*0007~",
        "SE*16*0007~",
        "GE*3*7~",
        "IEA*1*000000042~",
    ]
    reader = EnvelopeReader(text.encode())
    assert len(list(reader)) == 3 and reader.diagnostics == []


def test_envelope_arguments_replace_the_envelopes_the_remittances_carry() -> None:
    """Remittances read carry their envelopes (two groups here); an envelope argument given wins
    over them as a whole: one interchange and group made from the arguments, ST02 counting up."""
    source = (FIXTURES / "multiple_sets.x12").read_text()
    remits = list(edi.read_remittances(source))
    assert edi.write_835(remits) == source  # no envelope argument: written as read
    assert edi.write_835(remits, when=datetime(2030, 1, 2)) == source  # `when` alone: as read
    text = edi.write_835(
        remits,
        sender_id="NEWPAYER",
        receiver_id="NEWCLINIC",
        application_sender="PAYAPP",
        application_receiver="CLINAPP",
        acknowledgment_requested="1",
        interchange_control_number=5,
        set_control_number=21,
        when=datetime(2024, 5, 6, 7, 8),
    )
    lines = text.splitlines()
    assert [line for line in lines if line.startswith(("ISA", "GS", "ST", "SE", "GE", "IEA"))] == [
        "ISA*00*          *00*          *ZZ*NEWPAYER       *ZZ*NEWCLINIC      *240506*0708*^*"
        "00501*000000005*1*P*:~",
        "GS*HP*PAYAPP*CLINAPP*20240506*0708*1*X*005010X221A1~",
        "ST*835*0021~",
        "SE*12*0021~",
        "ST*835*0022~",
        "SE*12*0022~",
        "ST*835*0023~",
        "SE*13*0023~",
        "GE*3*1~",
        "IEA*1*000000005~",
    ]
    # The remittances themselves are written as they were read.
    dump = [r.model_dump(exclude={"envelope"}) for r in edi.read_remittances(text)]
    assert dump == [r.model_dump(exclude={"envelope"}) for r in remits]


def test_set_control_numbers_roll_over_after_nine_digits() -> None:
    # ST02 is unique within its group only (x12-notes §1): after 999999999 comes 1, not a failure.
    text = edi.write_835(_code_built(), set_control_number=999_999_998)
    numbers = [
        line.split("*")[2].rstrip("~") for line in text.splitlines() if line.startswith("ST*")
    ]
    assert numbers == ["999999998", "999999999", "0001"]
    reader = EnvelopeReader(text.encode())
    assert len(list(reader)) == 3 and reader.diagnostics == []


def test_an_application_id_holding_the_component_separator_is_refused() -> None:
    """GS02 and GS03 hold no composite: `GS*HP*A:B*...` was written, which pyx12 refuses."""
    with pytest.raises(
        edi.WriteError, match=r"^application receiver \(GS03\) 'A:B' holds the delim"
    ):
        edi.write_835(_code_built(), application_receiver="A:B")


def test_text_read_with_other_delimiters_that_would_change_meaning_is_refused() -> None:
    # The second interchange uses | as component separator; its kept DTM*050:X (not a qualifier the
    # claim takes) holds `:`, the first interchange's component separator. Written with `:` (given
    # for both), it read back as the composite 050 + X: claim PCN2002's received date.
    first = (FIXTURES / "paid_in_full.x12").read_text()
    second = (FIXTURES / "partly_paid.x12").read_text().replace("HC:", "HC|")
    second = second.replace("*T*:~", "*T*|~", 1)
    line = "NM1*QC*1*TESTPATIENT*DELTA****MI*MBR2002~\n"
    second = second.replace(line, line + "DTM*050:X*20240301~\n").replace("SE*41*", "SE*42*")
    reader = edi.read_remittances(first + second)
    remits = list(reader)
    assert [d.code for d in reader.diagnostics] == ["mapping.unplaced"]
    with pytest.raises(
        edi.WriteError, match="^835 0001 claim PCN2002 \\(#2\\): DTM01 holds the component"
    ):
        edi.write_835(remits, delimiters=Delimiters())
    # With the second interchange's own delimiters (by default, each interchange keeps its own), it
    # is written as read when asked to (the check refuses a DTM*050:X in a claim).
    with pytest.raises(edi.RemittanceCheckError, match="DTM with a DTM01 that is no code"):
        edi.write_835(remits)
    with pytest.raises(edi.RemittanceCheckError, match="DTM with a DTM01 that is no code"):
        edi.write_835(remits, delimiters=Delimiters(component="|"))
    assert edi.write_835(remits, check=False) == first + second
    text = edi.write_835(remits, delimiters=Delimiters(component="|"), check=False)
    assert "DTM*050:X*20240301~" in text
    again = edi.read_remittances(text)
    assert edi.write_835(again, delimiters=Delimiters(component="|"), check=False) == text


def test_written_sets_have_the_segments_of_the_models() -> None:
    built = _code_built()
    text = edi.write_835(built)
    for fixture in ("paid_in_full", "partly_paid", "denied"):
        original = (FIXTURES / f"{fixture}.x12").read_text()
        body = original[original.index("ST*835") : original.index("SE*")]
        assert body[body.index("\n") :] in text  # everything after ST, segment for segment


@pytest.mark.parametrize("delimiters", DELIMITERS, ids=["default", "pipe", "newline", "caret"])
def test_selectable_delimiters(delimiters: Delimiters) -> None:
    remits = list(edi.read_remittances(FIXTURES / "partly_paid.x12"))
    text = edi.write_835(remits, delimiters=delimiters)
    assert text.startswith("ISA" + delimiters.element)
    assert text[104] == delimiters.component and text[105] == delimiters.segment
    assert f"HC{delimiters.component}99214" in text
    assert [dump(r) for r in edi.read_remittances(text.encode())] == [dump(r) for r in remits]


def test_line_break_is_selectable() -> None:
    remits = list(edi.read_remittances(FIXTURES / "paid_in_full.x12"))
    one_line = edi.write_835(remits, line_break="")
    assert "\n" not in one_line and one_line.count("~") == 22
    assert edi.write_835(remits, line_break="\r\n").count("~\r\n") == 22


def test_reversal_amounts_stay_negative() -> None:
    (remit,) = edi.read_remittances(FIXTURES / "reversal_correction.x12")
    reversal = remit.claims[0]
    reversal.charge, reversal.paid = Decimal("-150.00"), Decimal("-120.5")
    text = edi.write_835([remit], check=False)  # no longer balanced: only the amount text matters
    assert "CLP*PCN4001*22*-150.00*-120.5**12*ICN4001*11*1~" in text
    (again,) = edi.read_remittances(text.encode())
    assert (again.claims[0].charge, again.claims[0].paid) == (
        Decimal("-150.00"),
        Decimal("-120.5"),
    )


def test_a_value_holding_a_delimiter_names_the_claim() -> None:
    remits = list(edi.read_remittances(FIXTURES / "partly_paid.x12"))
    remits[0].claims[0].services[1].code = "80:053"
    with pytest.raises(
        edi.WriteError, match=r"^835 0001 claim PCN2001 \(#1\) line 2: SVC01-02 holds the comp"
    ):
        edi.write_835(remits)
    remits[0].claims[0].services[1].code = "80053"
    remits[0].payer.name = "EXAMPLE~PLAN"
    with pytest.raises(
        edi.WriteError, match=r"^835 0001 payer \(1000A\): N102 holds the terminator '~'"
    ):
        edi.write_835(remits)


def test_a_write_error_names_each_part_with_its_own_bad_value() -> None:
    """The payer's N102 and claim PCN2002's NM104 hold the element separator: each is said, of the
    part that holds it (not the first the writer met, which hid the other: fixed one run at a
    time)."""
    (remit,) = edi.read_remittances(FIXTURES / "partly_paid.x12")
    remit.payer.name = "EXAMPLE*PLAN"
    remit.claims[1].patient.first_name = "DEL*TA"  # type: ignore[union-attr]
    with pytest.raises(edi.WriteError) as caught:
        edi.write_835([remit])
    holds = "holds the element separator '*', so the segment would not read back as written"
    assert [p.split(" holds")[0] for p in caught.value.problems] == [
        "835 0001 payer (1000A): N102",
        "835 0001 claim PCN2002 (#2): NM104",
    ]
    assert all(holds in p for p in caught.value.problems)
    remit.claims[1].patient.first_name = "DELTA"  # type: ignore[union-attr]
    with pytest.raises(edi.WriteError, match=r"^835 0001 payer \(1000A\): N102 holds the element"):
        edi.write_835([remit])


def test_every_repetition_separator_is_said_each_where_it_was_read(tmp_path: Path) -> None:
    """A repetition separator in CLP01, NM104 and a PLB reference: three problems (the writer stops
    at the first), the PLB's placed at its PLB, not at the set's ST."""
    text = (FIXTURES / "plb_interest_recoupment.x12").read_text()
    plb = next(line for line in text.splitlines() if line.startswith("PLB*"))
    first_clp = next(line for line in text.splitlines() if line.startswith("CLP*"))
    pcn = first_clp.split("*")[1]
    assert ":" in plb  # a composite PLB03 with its reference
    reason, reference = plb.split("*")[3].split(":", 1)
    changed = text.replace(
        plb, plb.replace(f"{reason}:{reference}", f"{reason}:{reference}^X", 1)
    ).replace(first_clp, first_clp.replace(f"CLP*{pcn}*", f"CLP*{pcn}^1*", 1))
    path = tmp_path / "r.835"
    path.write_text(changed)
    (remit,) = edi.read_remittances(path)
    with pytest.raises(edi.WriteError) as caught:
        edi.write_835([remit])
    said = [p for p in caught.value.problems if "repetition separator" in p]
    assert [p.split(" holds")[0] for p in said] == [
        "835 0001: PLB03",
        f"835 0001 claim {pcn}^1 (#1): CLP01",
    ]
    code, _, err = run("remit", str(path))
    plb_line = (
        changed.splitlines().index(next(s for s in changed.splitlines() if s.startswith("PLB*")))
        + 1
    )
    assert code == 1
    assert f"(line {plb_line}): 835 0001: PLB03 holds the repetition separator" in err


def test_nothing_to_write() -> None:
    assert edi.write_835([]) == ""


# -- pyx12 accepts what we write ---------------------------------------------------------------------


def test_pyx12_accepts_written_fixtures(tmp_path: Path) -> None:
    path = tmp_path / "built.835"
    path.write_text(edi.write_835(_code_built()))
    assert pyx12_oracle.validation_errors(path) == []


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.x12")))
def test_pyx12_accepts_fixtures_written_back(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.835"
    path.write_text(edi.write_835(edi.read_remittances(FIXTURES / f"{name}.x12")))
    assert pyx12_oracle.validation_errors(path) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    remits=st.lists(remittances(with_envelope=False), min_size=1, max_size=2, unique_by=_payment)
    | st.lists(remittances(with_envelope=True), min_size=1, max_size=1)
)
def test_pyx12_accepts_random_valid_remittances(
    remits: list[edi.Remittance], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("pyx12") / "random.835"
    path.write_text(edi.write_835(remits))
    assert pyx12_oracle.validation_errors(path) == []


def test_pyx12_sees_the_errors_of_the_isa_gs_and_st_elements() -> None:
    """Its JSON report leaves them out (it only logs them): the oracle takes them from its log. Each
    envelope code the checks refuse, and an ST03 (not used in the 835), is an error to pyx12 too."""
    (remit,) = edi.read_remittances(FIXTURES / "denied.x12")
    isa, gs = remit.envelope.interchange, remit.envelope.group  # type: ignore[union-attr]
    assert isa is not None and gs is not None
    isa.authorization_qualifier, isa.security_qualifier = "EO", "E3"
    isa.sender_qualifier, isa.receiver_qualifier = "zz", "TL"
    gs.agency = "XX"
    remit.envelope.implementation_reference = "005010X221A1"  # type: ignore[union-attr]
    assert len(edi.check_remittances([remit])) == 6
    errors = pyx12_oracle.validation_errors(edi.write_835([remit], check=False))
    named = [re.search(r"\(((?:ISA|GS|ST)\d\d)\)", e) for e in errors]
    assert [m.group(1) for m in named if m] == ["ISA01", "ISA03", "ISA05", "ISA07", "GS07", "ST03"]
    assert len(errors) == 6, errors


def _changed(name: str, change: Any) -> edi.Remittance:
    (remit,) = edi.read_remittances(FIXTURES / f"{name}.x12")
    change(remit)
    return remit


def _recoded(remit: edi.Remittance) -> None:
    remit.claims[0].services[0].original_qualifier = None  # SVC06 = :99215


def _unlisted_remark(remit: edi.Remittance) -> None:
    outpatient = next(c.outpatient for c in remit.claims if c.outpatient)  # MOA*MA130*N122
    outpatient.remarks = ["MA130", "N9999"]


def _by_check(remit: edi.Remittance) -> None:
    remit.payment.method = "CHK"  # the bank account numbers kept


def _unbalanced(remit: edi.Remittance) -> None:
    remit.claims[0].services[0].paid += 1  # SVC03 and CLP04: lines, claim and BPR02 off by 1
    remit.claims[0].paid += 1


@pytest.mark.parametrize(
    ("fixture", "change", "ours", "pyx12s"),
    [
        # pyx12 refuses what X12 and the guide allow:
        (  # a year before 1800 (its own bound; X12's DT is any CCYYMMDD day)
            "partly_paid",
            lambda r: setattr(r.claims[0], "received_date", date(1799, 12, 31)),
            None,
            "(DTM02) contains an invalid date",
        ),
        (  # a letter of another language (X12.6 3.3.2 (4) leaves it to the trading partners)
            "partly_paid",
            lambda r: setattr(r.claims[0].patient, "name", "TESTPATIENTÉ"),
            None,
            "(NM103) is type AN, contains an invalid character",
        ),
        (  # a remark code (RARC) not in pyx12's own copy of the list, which edi does not ship
            "remarks",
            _unlisted_remark,
            None,
            "is not a valid code for Claim Payment Remark Code (MOA04)",
        ),
        # edi refuses what the guide refuses and pyx12 does not see:
        (  # SVC06-01 is required in SVC06 (map line 463): pyx12 skips the first component of a
            # situational composite
            "partly_paid",
            _recoded,
            "line 1: SVC without SVC06-01",
            None,
        ),
        (  # PLB05-01 is PLB03-01's element (de 426), with its codes (map lines 536, 540)
            "plb_interest_recoupment",
            lambda r: setattr(r.provider_adjustments[2], "reason", "ZZ"),
            "PLB 2: PLB05-01 'ZZ' is not an adjustment reason code",
            None,
        ),
        (  # the guide's note on N402: required for an address in the US or Canada
            "partly_paid",
            lambda r: setattr(r.payer, "state", None),
            "N4 without N402",
            None,
        ),
        # BPR09 only when BPR04 is ACH, BOP or FWT (RFI 473)
        ("partly_paid", _by_check, "BPR has BPR09 (sender bank account number)", None),
        # x12-notes §8.1
        (
            "partly_paid",
            _unbalanced,
            "SVC02 180.00 − Σ CAS 80.00 = 100.00 ≠ SVC03 101.00 (off by 1.00)",
            None,
        ),
    ],
    ids=["year 1799", "letter É", "RARC", "SVC06-01", "PLB05-01", "US N402", "BPR09", "balance"],
)
def test_where_pyx12_and_the_checks_differ_on_purpose(
    fixture: str, change: Any, ours: str | None, pyx12s: str | None
) -> None:
    """The differential of write_835's checks and pyx12 (one-field changes of the fixtures) leaves
    these, each on purpose: pyx12 is stricter than X12 or checks a list edi does not ship, or edi
    checks a rule of the guide that pyx12 does not model (situational notes, RFIs, balancing)."""
    remit = _changed(fixture, change)
    found = edi.check_remittances([remit])
    assert (found == []) if ours is None else any(ours in p for p in found), found
    errors = pyx12_oracle.validation_errors(edi.write_835([remit], check=False))
    assert (errors == []) if pyx12s is None else any(pyx12s in e for e in errors), errors


def test_pyx12_sees_what_we_got_wrong(tmp_path: Path) -> None:
    """The oracle is not blind: a bad claim status and a bad SE count are errors to it."""
    text = edi.write_835(_code_built()).replace("CLP*PCN1001*1*", "CLP*PCN1001*9*", 1)
    text = text.replace("SE*18*0001", "SE*19*0001")
    path = tmp_path / "bad.835"
    path.write_text(text)
    errors = pyx12_oracle.validation_errors(path)
    assert any("CLP02" in e for e in errors) and any("SE" in e for e in errors), errors


# -- streaming ---------------------------------------------------------------------------------------


class _CountingFile:
    """A binary file that records how far it has been read."""

    def __init__(self, path: Path) -> None:
        self._fh = path.open("rb")
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self.read_bytes += len(data)
        return data

    def close(self) -> None:
        self._fh.close()


def test_reading_streams_one_set_at_a_time(tmp_path: Path) -> None:
    synthetic = pytest.importorskip("bench.synthetic")
    path = tmp_path / "many.835"
    stats = synthetic.write_835(path, claims=8000, claims_per_set=500)
    assert stats.sets == 16 and stats.bytes > 2 * (1 << 20)
    source = _CountingFile(path)
    reader = edi.read_remittances(source)  # type: ignore[arg-type]
    remits = iter(reader)
    first = next(remits)
    assert len(first.claims) == 500
    assert source.read_bytes < stats.bytes / 2  # the rest of the file is not read yet
    assert sum(1 for _ in remits) == 15 and reader.diagnostics == []
    source.close()


def test_a_remittance_written_twice_gets_a_new_control_number_in_its_group() -> None:
    """ST02 must be unique within its group (x12-notes §1, IK502 23): the second copy becomes 0002."""
    (remit,) = edi.read_remittances(FIXTURES / "denied.x12")
    text = edi.write_835([remit, remit.model_copy(deep=True)])
    assert [line for line in text.splitlines() if line.startswith(("ST*", "SE*", "GE*"))] == [
        "ST*835*0001~",
        "SE*16*0001~",
        "ST*835*0002~",
        "SE*16*0002~",
        "GE*2*103~",
    ]
    reader = EnvelopeReader(text.encode())
    assert len(list(reader)) == 2 and reader.diagnostics == []


def _envelope_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(("ISA", "GS*", "GE*", "IEA*"))]


def test_sets_of_one_group_written_apart_get_a_new_group_control_number() -> None:
    """GS06 must be unique within its interchange (x12-notes §1, AK905 19): group 801 reopened after
    802 becomes 803, and its GE02 follows."""
    remits = list(edi.read_remittances(FIXTURES / "multiple_sets.x12"))
    text = edi.write_835([remits[0], remits[2], remits[1]])
    numbers = [
        line.split("*")[6 if line[:2] == "GS" else 2].rstrip("~")
        for line in _envelope_lines(text)
        if line[:2] in ("GS", "GE")
    ]
    assert numbers == ["801", "801", "802", "802", "803", "803"]
    assert text.count("ISA*") == 1 and "IEA*3*000000108~" in text
    reader = EnvelopeReader(text.encode())
    assert len(list(reader)) == 3 and reader.diagnostics == []


@pytest.mark.parametrize("built_first", [True, False])
def test_a_default_interchange_control_number_a_read_one_took_is_not_repeated(
    built_first: bool,
) -> None:
    """ISA13 must be unique within the file (x12-notes §1, TA1 025): the interchange made becomes
    000000002, in ISA13 and IEA02, before or after the one read, which keeps its own."""
    text = (FIXTURES / "denied.x12").read_text()
    isa13 = text.split("*")[13]
    (read,) = edi.read_remittances(text.replace(isa13, "000000001").encode())
    built = _code_built()[0]
    out = edi.write_835([built, read] if built_first else [read, built])
    numbers = [
        line.split("*")[13] if line.startswith("ISA") else line.split("*")[2].rstrip("~")
        for line in _envelope_lines(out)
        if line.startswith(("ISA", "IEA"))
    ]
    made, carried = ["000000002"] * 2, ["000000001"] * 2
    assert numbers == (made + carried if built_first else carried + made)
    reader = EnvelopeReader(out.encode())
    assert len(list(reader)) == 2 and reader.diagnostics == []


def test_control_numbers_the_input_repeated_are_written_back_as_read() -> None:
    """A file whose interchanges (and their groups) repeat ISA13 and GS06 is written back as read:
    the repeat is the input's own (reported when read), not one the writer made."""
    text = (FIXTURES / "denied.x12").read_text()
    twice = text + text
    assert edi.write_835(edi.read_remittances(twice.encode())) == twice


def test_a_checked_write_refuses_a_broken_envelope_the_remittance_carries() -> None:
    """Remittance JSON edited: an ISA06 holding the element separator (the ISA would get an extra
    element) and an ISA15 of no usage are refused as the envelope arguments are, by `write_835` and
    `check_remittances` alike. Without the check, the ISA15 is written as it is, but the ISA06 is
    still refused: the interchange would not read back (as a delimiter in any other segment)."""
    (remit,) = edi.read_remittances(FIXTURES / "denied.x12")
    data = remit.model_dump(mode="json")
    data["envelope"]["interchange"] |= {"sender_id": "A*B", "usage": "X"}
    edited = edi.Remittance.model_validate(data)
    problems = [
        "835 0001: envelope: sender id (ISA06) 'A*B' holds the delimiter '*'",
        "835 0001: envelope: usage (ISA15) 'X' must be P or T",
    ]
    with pytest.raises(edi.RemittanceCheckError) as caught:
        edi.write_835([edited, edited])  # said once for the two sets
    assert caught.value.problems == problems
    assert edi.check_remittances([edited]) == problems
    with pytest.raises(edi.WriteError, match=r"^835 0001: envelope: ISA06 holds the element sep"):
        edi.write_835([edited], check=False)
    edited.envelope.interchange.sender_id = "AB"  # type: ignore[union-attr]
    assert "*ZZ*AB             *" in edi.write_835([edited], check=False)
    assert "*0*X*:~" in edi.write_835([edited], check=False)
    assert edi.write_835([remit]) == (FIXTURES / "denied.x12").read_text()


def test_a_remittance_read_back_or_from_json_equals_the_one_it_came_from() -> None:
    """Where a remittance was read, its delimiters and its LX claim counts are no part of its value."""
    (remit,) = edi.read_remittances(FIXTURES / "paid_in_full.x12")
    assert edi.Remittance.model_validate_json(remit.model_dump_json()) == remit
    piped = edi.write_835([remit], delimiters=Delimiters("|", "^", ">", "~", ""))
    assert next(iter(edi.read_remittances(piped))) == remit
    assert remit.model_copy(update={"claims": remit.claims[1:]}) != remit


def test_a_header_number_without_claims_is_refused() -> None:
    """An LX needs a CLP after it (loop 2100 is required in each 2000): with the first claim taken out
    of a read remittance, its LX*1 would be written empty and the set would not read back."""
    (remit,) = edi.read_remittances(FIXTURES / "ts3_ts2.x12")
    assert [c.header_number for c in remit.claims][:1] == [1]
    remit.claims.pop(0)
    with pytest.raises(edi.WriteError, match=r"^835 0001: header number 1 \(LX\) has no claims"):
        edi.write_835([remit], check=False)
    with pytest.raises(edi.RemittanceCheckError) as refused:  # with the BPR02 it unbalances
        edi.write_835([remit])
    assert refused.value.problems[0].startswith("835 0001: header number 1 (LX) has no claims")
    remit.header_numbers.pop(0)
    # BPR02 still counts the claim taken out: the check refuses the set.
    with pytest.raises(edi.RemittanceCheckError, match=r"^1 remittance problem\(s\).*\n.*BPR02"):
        edi.write_835([remit])
    (again,) = edi.read_remittances(edi.write_835([remit], check=False))
    assert again.claims == remit.claims


def test_claims_out_of_lx_order_are_written_under_their_own_lx() -> None:
    """Claims reordered after reading no longer fit the counts read: each still goes under the LX
    its header_number names, with that LX's TS3/TS2, instead of LX 1 being refused as empty."""
    (remit,) = edi.read_remittances(FIXTURES / "ts3_ts2.x12")
    remit.claims.reverse()
    (again,) = edi.read_remittances(edi.write_835([remit]))
    assert [(c.patient_control_number, c.header_number) for c in again.claims] == [
        ("PCN9002", 2),
        ("PCN9001", 1),
    ]
    assert again.claims == remit.claims
    assert again.header_numbers == remit.header_numbers[::-1]


def test_two_lx_with_one_number_after_json() -> None:
    """Through JSON the claim counts read are lost. Two LX*1 groups with their own TS3 (facility 11
    and 13) can then no longer tell whose claims are whose: refused, not merged under the first
    TS3 (the second's totals lost). Without summaries they are one LX*1 with both claims."""
    body = (FIXTURES / "ts3_ts2.x12").read_text().replace("LX*2~", "LX*1~")
    (remit,) = edi.read_remittances(body.encode())
    assert [h.number for h in remit.header_numbers] == [1, 1]
    copy = edi.Remittance.model_validate(remit.model_dump(mode="json"))
    with pytest.raises(edi.WriteError, match=r"header number 1 \(LX\) is given to more than one"):
        edi.write_835([copy])
    # Claims moved after reading: the same (PCN9002 would land under facility 11's totals).
    # (A claim fewer, BPR02 no longer balances: said with it.)
    remit.claims = remit.claims[1:]
    with pytest.raises(edi.RemittanceCheckError) as refused:
        edi.write_835([remit])
    assert [p for p in refused.value.problems if "header number 1 (LX) is given to more" in p]
    assert [p for p in refused.value.problems if "BPR02" in p]
    for header in copy.header_numbers:
        header.provider_summary = header.supplemental_summary = None
    text = edi.write_835([copy])
    assert [line for line in text.splitlines() if line.startswith("LX*")] == ["LX*1~"]
    (again,) = edi.read_remittances(text.encode())
    assert [c.model_dump() for c in again.claims] == [c.model_dump() for c in copy.claims]


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r"])
def test_a_file_without_a_final_line_break_comes_back_without_one(line_break: str) -> None:
    one = (FIXTURES / "paid_in_full.x12").read_text().replace("~\n", "~" + line_break)
    two = one + (FIXTURES / "denied.x12").read_text().replace("~\n", "~" + line_break)
    for text in (one, two):
        for ended in (text, text.removesuffix(line_break)):
            remits = list(edi.read_remittances(ended))
            assert edi.write_835(remits) == ended
    # The break the caller asks for is written after every segment, the last one too.
    remits = list(edi.read_remittances(one.removesuffix(line_break)))
    other = "\n" if line_break != "\n" else "\r\n"
    assert edi.write_835(remits, line_break=other).endswith("IEA*1*000000101~" + other)
    # Only the last interchange of the output ends as the input did: one written before another
    # gets its break.
    remits = list(edi.read_remittances(one.removesuffix(line_break)))
    remits += list(edi.read_remittances(two.replace(one, "")))
    assert edi.write_835(remits) == two


def test_trailing_empty_elements_read_are_not_stretched_over_a_changed_segment() -> None:
    # The empty elements a segment was read with at its end (NM1*...*MBR2002**) were written back
    # up to the element count read, whatever the values became: an NM1 whose id was removed got
    # seven empty elements at its end.
    text = (FIXTURES / "partly_paid.x12").read_text()
    text = text.replace("*MI*MBR2002~", "*MI*MBR2002**~").replace("CAS*PR*3*15~", "CAS*PR*3*15**~")
    (remit,) = edi.read_remittances(text)
    assert edi.write_835([remit], check=False) == text  # as read
    claim = remit.claims[1]
    claim.patient.id_qualifier = claim.patient.id = None
    claim.adjustments[-1].amount = Decimal("16")
    written = edi.write_835([remit], check=False)
    assert "NM1*QC*1*TESTPATIENT*DELTA~" in written
    assert "CAS*PR*3*16**~" in written  # the same elements, another amount: as read
    claim.adjustments[-1].quantity = Decimal("1")
    assert "CAS*PR*3*16*1~" in edi.write_835([remit], check=False)


def test_one_remittance_given_for_the_iterable_is_a_clear_type_error() -> None:
    # A pydantic model iterates as its (field, value) pairs: write_835(remit) failed with
    # "AttributeError: 'tuple' object has no attribute '__pydantic_private__'".
    (remit,) = edi.read_remittances(FIXTURES / "denied.x12")
    for function in (edi.write_835, edi.check_remittances):
        with pytest.raises(
            TypeError, match=r"takes a list of Remittance models, not one Remittance"
        ):
            function(remit)
        with pytest.raises(TypeError, match=r"^remittance 2 is a str, not an edi.Remittance \(edi"):
            function([remit, "ST*835"])
        with pytest.raises(TypeError, match=r"not a str \(edi.read_remittances reads X12"):
            function("ST*835")
    assert edi.write_835(iter([remit]), check=False) == (FIXTURES / "denied.x12").read_text()


# -- which PLB holds each provider adjustment ---------------------------------------------------------


def _plbs(text: str) -> list[str]:
    return [line.rstrip("~") for line in text.splitlines() if line.startswith("PLB*")]


def _plb_fixture(*, read: bool = False) -> edi.Remittance:
    """The fixture with L6 in one PLB and WO, FB in another: as read, or built in code (no notes)."""
    (remit,) = edi.read_remittances(FIXTURES / "plb_interest_recoupment.x12")
    return remit if read else edi.Remittance.model_validate(remit.model_dump(mode="json"))


PLB = "PLB*1234567893*20241231*"
L6, WO, FB = "L6:PCN5001*-2.50", "WO:ICN4999*200", "FB:ICN4999*-47.50"


def test_the_reader_numbers_the_plb_each_provider_adjustment_is_in() -> None:
    remit = _plb_fixture(read=True)
    assert [(p.reason, p.segment) for p in remit.provider_adjustments] == [
        ("L6", 1),
        ("WO", 2),
        ("FB", 2),
    ]
    assert _plbs(edi.write_835([_plb_fixture()], check=False)) == [PLB + L6, f"{PLB}{WO}*{FB}"]


def test_the_writer_puts_adjustments_of_one_number_in_one_plb_and_packs_those_without() -> None:
    for read in (False, True):  # the numbers win over the layout read
        remit = _plb_fixture(read=read)
        for adjustment, number in zip(remit.provider_adjustments, (7, 7, 3), strict=True):
            adjustment.segment = number  # any numbers: they say which share a PLB, in list order
        assert _plbs(edi.write_835([remit], check=False)) == [f"{PLB}{L6}*{WO}", PLB + FB]
    for adjustment in remit.provider_adjustments:
        adjustment.segment = None  # packed: up to six pairs of one provider and date a PLB
    assert _plbs(edi.write_835([remit], check=False)) == [f"{PLB}{L6}*{WO}*{FB}"]
    # One added in code to a remittance read: the PLBs read stay as read, it gets its own.
    read = _plb_fixture(read=True)
    added = read.provider_adjustments[1].model_copy(update={"segment": None, "amount": Decimal(1)})
    read.provider_adjustments.append(added)
    assert _plbs(edi.write_835([read], check=False)) == [
        PLB + "L6:PCN5001*-2.50",
        PLB + "WO:ICN4999*200*FB:ICN4999*-47.50",
        PLB + "WO:ICN4999*1",
    ]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            lambda adjustments: setattr(adjustments[2], "fiscal_period_date", date(2024, 6, 30)),
            r"provider_adjustments #2 and #3 have segment 2 but another provider_id or "
            r"fiscal_period_date: one PLB holds",
        ),
        (
            lambda adjustments: adjustments.extend(adjustments[1].model_copy() for _ in range(5)),
            r"provider_adjustments: 7 have segment 2, more than the 6 one PLB holds",
        ),
        (
            lambda adjustments: setattr(adjustments[2], "segment", 1),
            r"provider_adjustments #1 and #3 have segment 1 but #2 between them has not",
        ),
    ],
)
def test_a_plb_number_that_cannot_be_written_is_refused(change: Any, said: str) -> None:
    remit = _plb_fixture()
    change(remit.provider_adjustments)
    with pytest.raises(edi.WriteError, match=said):
        edi.write_835([remit], check=False)
    # Checked, with the set's other problems: 7 PLB amounts no longer balance BPR02 (a check
    # problem beside the value: RemittanceCheckError); alone, the value's WriteError.
    unbalanced = said.startswith("provider_adjustments: 7")
    kind = edi.RemittanceCheckError if unbalanced else edi.WriteError
    with pytest.raises(kind) as refused:
        edi.write_835([remit])
    assert [p for p in refused.value.problems if re.search(said, p)]
    assert len(refused.value.problems) == (2 if unbalanced else 1)


# -- which CAS holds each adjustment ----------------------------------------------------------------


def _cas_fixture() -> edi.Remittance:
    """partly_paid built from its JSON: claim PCN2002 has CO 45 and CO 253 in CAS 1, PR 3 in CAS 2;
    the claim's line 1 CO 45 in CAS 1, PR 2 in CAS 2."""
    (remit,) = edi.read_remittances(FIXTURES / "partly_paid.x12")
    return edi.Remittance.model_validate(remit.model_dump(mode="json"))


def _cas(text: str) -> list[str]:
    return [line.rstrip("~") for line in text.splitlines() if line.startswith("CAS*")]


def test_the_writer_puts_adjustments_of_one_number_in_one_cas_and_packs_those_without() -> None:
    remit = _cas_fixture()
    adjustments = remit.claims[1].adjustments
    assert [a.segment for a in adjustments] == [1, 1, 2]
    for adjustment, number in zip(adjustments, (4, 9, 2), strict=True):
        adjustment.segment = number  # labels: they say which share a CAS, in list order
    assert _cas(edi.write_835([remit], check=False))[-3:] == [
        "CAS*CO*45*10",
        "CAS*CO*253*5",
        "CAS*PR*3*15",
    ]
    for adjustment in adjustments:
        adjustment.segment = None
    assert _cas(edi.write_835([remit], check=False))[-2:] == ["CAS*CO*45*10**253*5", "CAS*PR*3*15"]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            lambda adjustments: setattr(adjustments[2], "segment", 1),
            r"835 0001 claim PCN2002 \(#2\): adjustments #1 and #3 have segment 1 but another "
            r"group: one CAS holds items of one group$",
        ),
        (
            lambda adjustments: adjustments.__setitem__(  # five more in CAS 1, before the PR
                slice(2, 2),
                [adjustments[1].model_copy(update={"amount": Decimal(0)}) for _ in range(5)],
            ),
            r"835 0001 claim PCN2002 \(#2\): adjustments: 7 have segment 1, more than the 6 one "
            r"CAS holds",
        ),
        (
            lambda adjustments: adjustments.append(adjustments.pop(1)),
            r"835 0001 claim PCN2002 \(#2\): adjustments #1 and #3 have segment 1 but #2 between "
            r"them has not: the items of one CAS are written together, in list order",
        ),
    ],
)
def test_a_cas_number_that_cannot_be_written_is_refused(change: Any, said: str) -> None:
    remit = _cas_fixture()
    change(remit.claims[1].adjustments)
    for check in (False, True):
        with pytest.raises(edi.WriteError, match=said):
            edi.write_835([remit], check=check)
    assert [p for p in edi.check_remittances([remit]) if re.search(said, p)] != []


def test_a_cas_number_of_a_service_line_that_cannot_be_written_names_the_line() -> None:
    remit = _cas_fixture()
    remit.claims[0].services[0].adjustments[1].segment = 1  # PR 2 in the CAS of CO 45
    said = (
        "835 0001 claim PCN2001 (#1) line 1: adjustments #1 and #2 have segment 1 but another "
        "group: one CAS holds items of one group"
    )
    with pytest.raises(edi.WriteError) as raised:
        edi.write_835([remit], check=False)
    assert str(raised.value) == said
    assert edi.check_remittances([remit]) == [said]


@pytest.mark.parametrize(
    ("header", "field", "value", "said"),
    [
        ("interchange", "sender_id", "AB*C", "ISA06 holds the element separator '*'"),
        ("interchange", "receiver_id", "AB~C", "ISA08 holds the terminator '~'"),
        ("group", "sender", "AB*C", "GS02 holds the element separator '*'"),
    ],
)
def test_an_unchecked_write_refuses_an_envelope_id_holding_a_delimiter_and_names_its_set(
    header: str, field: str, value: str, said: str
) -> None:
    """The ISA is written in its fixed layout, not through the segment writer's delimiter test:
    ISA06 `AB*C` was written as is, moving every ISA element after it, so the output read back as
    a broken interchange. Refused now, and, as the GS02 already was, named after its set."""
    remits = list(edi.read_remittances(FIXTURES / "multiple_sets.x12"))
    envelope = remits[1].envelope
    assert envelope is not None and envelope.set_control_number == "0002"
    setattr(envelope, header, getattr(envelope, header).model_copy(update={field: value}))
    with pytest.raises(edi.WriteError) as caught:
        edi.write_835(remits, check=False)
    assert str(caught.value).startswith(f"835 0002: envelope: {said}, so the segment would not")


def test_a_repeated_isa13_is_renumbered_past_the_numbers_other_interchanges_carry() -> None:
    """Three reads: A and B both of ISA13 5 (B's repeat is renumbered), C of 6, which keeps its
    own whatever the order: B takes 7, not C's 6."""
    text = (FIXTURES / "denied.x12").read_text()
    isa13 = text.split("*")[13]

    def read(number: int, time: str) -> edi.Remittance:
        changed = text.replace(isa13, f"{number:09d}").replace("*1200*^*", f"*{time}*^*")
        (remittance,) = edi.read_remittances(changed)
        return remittance

    a, b, c = read(5, "0900"), read(5, "1000"), read(6, "1100")
    for order in ([a, b, c], [a, c, b], [c, a, b]):
        out = edi.write_835(order)
        numbers = [line.split("*")[13] for line in _envelope_lines(out) if line.startswith("ISA")]
        expected = {id(a): "000000005", id(b): "000000007", id(c): "000000006"}
        assert numbers == [expected[id(r)] for r in order]
