"""`edi cob`: the secondary 837 from the claims as sent and the primary payer's 835.

`fixtures/837p/cob_primary.json` holds the claims of `cob_secondary` as they were sent to the primary
payer, `cob_coverage.json` the secondary coverage of each; the expected result is the hand-written
`fixtures/837p/cob_secondary.x12`, built by hand from `fixtures/835/partly_paid.x12`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner

import edi
from edi.cli import main
from tests.helpers import with_edits

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PRIMARY = FIXTURES / "837p" / "cob_primary.json"
COVERAGE = FIXTURES / "837p" / "cob_coverage.json"
REMIT = FIXTURES / "835" / "partly_paid.x12"
ENVELOPE = ("--sender", "EXAMPLECLINIC", "--receiver", "EXAMPLEPAYER", "--usage", "T")


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def dump(claim: edi.Claim) -> dict[str, Any]:
    data = claim.model_dump(mode="json", exclude_defaults=True)
    data.pop("envelope", None)
    return data


def test_cob_writes_the_secondary_837(tmp_path: Path) -> None:
    out = tmp_path / "secondary.837"
    code, stdout, stderr = run("cob", PRIMARY, REMIT, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert (code, stderr) == (0, "")
    assert stdout.strip() == f"wrote {out}: 2 claim(s)"
    expected = (FIXTURES / "837p" / "cob_secondary.x12").read_text().splitlines()
    written = out.read_text().splitlines()
    # The envelope holds the time of writing and the control numbers of the options; the set, ST to
    # SE, is the fixture's.
    assert written[2:-2] == expected[2:-2]
    expected_claims = edi.load_claims(FIXTURES / "837p" / "cob_secondary.json")
    assert [dump(c) for c in edi.read_claims(out)] == [dump(c) for c in expected_claims]


def test_cob_reads_the_claims_from_an_837_too(tmp_path: Path) -> None:
    sent = tmp_path / "primary.837"
    assert run("build", PRIMARY, "-o", sent, *ENVELOPE)[0] == 0
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", sent, REMIT, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert (code, stderr) == (0, "")
    expected_claims = edi.load_claims(FIXTURES / "837p" / "cob_secondary.json")
    assert [dump(c) for c in edi.read_claims(out)] == [dump(c) for c in expected_claims]


def test_claims_read_from_a_test_interchange_make_a_test_cob_837(tmp_path: Path) -> None:
    """Claims sent in a test interchange (ISA15 T) made a production COB 837 (the option's
    default, P) for another payer; now a test one, unless --usage says otherwise. Claims from
    JSON (no envelope) and from a production interchange keep the default."""
    sent = tmp_path / "primary.837"
    assert run("build", PRIMARY, "-o", sent, *ENVELOPE)[0] == 0  # --usage T
    out = tmp_path / "secondary.837"

    def usage(*options: str) -> str:
        code, _, stderr = run("cob", sent, REMIT, "--coverage", COVERAGE, "-o", out, *options)
        assert (code, stderr) == (0, "")
        return out.read_text().split("~")[0].split("*")[15]

    ids = ENVELOPE[:4]  # the sender and receiver, no --usage
    assert usage(*ids) == "T"
    assert usage(*ids, "--usage", "P") == "P"
    assert run("build", PRIMARY, "-o", sent, *ids, "--usage", "P")[0] == 0
    assert usage(*ids) == "P"


def test_errors_in_reading_the_835_exit_1_and_the_claims_are_still_written(tmp_path: Path) -> None:
    remit = tmp_path / "remit.835"
    remit.write_text(Path(REMIT).read_text().replace("SE*41*", "SE*40*"))
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, remit, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert code == 1
    assert stderr.splitlines() == [
        f"{remit}: segment 41 SE (line 43, element SE01): SE01 says '40' segments but the set has "
        "41 (ST to SE inclusive)"
    ]
    assert len(list(edi.read_claims(out))) == 2


def test_claims_without_a_payment_or_coverage_are_named_and_the_others_written(
    tmp_path: Path,
) -> None:
    claims = json.loads(PRIMARY.read_text())
    unpaid = json.loads(json.dumps(claims[1]))
    unpaid["patient_control_number"] = "PCN9999"
    primary = tmp_path / "primary.json"
    primary.write_text(json.dumps([*claims, unpaid]))
    coverage = json.loads(COVERAGE.read_text())
    del coverage["PCN2002"]
    cover = tmp_path / "coverage.json"
    cover.write_text(json.dumps(coverage))
    out = tmp_path / "secondary.837"
    code, stdout, stderr = run("cob", primary, REMIT, "--coverage", cover, "-o", out, *ENVELOPE)
    assert code == 1
    assert stderr.splitlines() == [
        f"{primary}: claim PCN2002: {cover} gives no coverage for it",
        f"{primary}: claim PCN9999: {REMIT} has no payment for it",
    ]
    assert [c.id for c in edi.read_claims(out)] == ["PCN2001"]


def test_a_coverage_for_no_claim_is_said(tmp_path: Path) -> None:
    """A typo in a claim id of the coverage (PCN2OO2): the claim it was meant for has none (said),
    and the coverage was passed over without a word."""
    coverage = json.loads(COVERAGE.read_text())
    coverage["PCN2OO2"] = coverage.pop("PCN2002")
    cover = tmp_path / "coverage.json"
    cover.write_text(json.dumps(coverage))
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, REMIT, "--coverage", cover, "-o", out, *ENVELOPE)
    assert code == 1
    assert stderr.splitlines() == [
        f"{PRIMARY}: claim PCN2002: {cover} gives no coverage for it",
        f"{cover}: coverage for claim PCN2OO2: {PRIMARY} has no such claim",
    ]
    assert [c.id for c in edi.read_claims(out)] == ["PCN2001"]


def test_one_coverage_for_every_claim(tmp_path: Path) -> None:
    coverage = json.loads(COVERAGE.read_text())["PCN2001"]
    cover = tmp_path / "coverage.json"
    cover.write_text(json.dumps(coverage))
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, REMIT, "--coverage", cover, "-o", out, *ENVELOPE)
    # PCN2001's coverage is its patient's own (SBR02 18): PCN2002's patient is another person, born
    # on another day, whose claim it would bill on PCN2001's membership (the COB tester).
    assert (code, stderr) == (
        1,
        f"{PRIMARY}: claim PCN2002: the next subscriber is the patient (SBR02 18), but its birth "
        "date (DMG02) is not the claim's patient's: the coverage is another person's (the "
        "patient's own coverage, or SBR02 the patient's relationship to this subscriber, with "
        "the patient)\n",
    )
    assert [(c.id, c.subscriber.member_id) for c in edi.read_claims(out)] == [
        ("PCN2001", "SEC2001")
    ]
    # One coverage for every claim of one patient is theirs.
    claims = tmp_path / "one_patient.json"
    claims.write_text(json.dumps(json.loads(PRIMARY.read_text())[:1]))
    code, _, stderr = run("cob", claims, REMIT, "--coverage", cover, "-o", out, *ENVELOPE)
    assert (code, stderr) == (0, "")


def test_without_a_header_the_cob_837_goes_to_the_next_payer(tmp_path: Path) -> None:
    """cob_primary.json was sent to EXAMPLE HEALTH PLAN (1000B, under its ETIN EXAMPLEPAYER): with
    no header in the coverage, the COB 837's receiver is the secondary payer, not the primary."""
    coverage = json.loads(COVERAGE.read_text())
    for cover in coverage.values():
        del cover["header"]
    cover = tmp_path / "coverage.json"
    cover.write_text(json.dumps(coverage))
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, REMIT, "--coverage", cover, "-o", out, *ENVELOPE)
    assert (code, stderr) == (0, "")
    receivers = [line for line in out.read_text().splitlines() if line.startswith("NM1*40*")]
    assert receivers == ["NM1*40*2*EXAMPLE SECONDARY PLAN*****46*EXAMPLESEC1~"]  # one set


def test_a_coverage_that_breaks_the_schema_names_the_field(tmp_path: Path) -> None:
    coverage = json.loads(COVERAGE.read_text())
    del coverage["PCN2001"]["payer"]["name"]
    cover = tmp_path / "coverage.json"
    cover.write_text(json.dumps(coverage))
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, REMIT, "--coverage", cover, "-o", out, *ENVELOPE)
    assert code == 1 and not out.exists()  # problems in the input, as claims JSON (edi build)
    assert stderr.splitlines() == [f"{cover}: PCN2001.payer.name: Field required"]


def test_a_reversal_makes_no_cob_claim(tmp_path: Path) -> None:
    remit = tmp_path / "reversal.835"
    text = REMIT.read_text()
    original = text[text.index(_PCN2002) : text.index("DTM*232*20240221~\n")]
    remit.write_text(_balanced(text.replace(original, _REVERSAL)))
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, remit, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert code == 1
    assert "claim PCN2002: CLP02 22 is a reversal" in stderr
    assert [c.id for c in edi.read_claims(out)] == ["PCN2001"]


def test_a_misspelled_coverage_key_is_named(tmp_path: Path) -> None:
    coverage = json.loads(COVERAGE.read_text())
    coverage["PCN2001"]["patinet"] = coverage["PCN2001"].pop("header")
    cover = tmp_path / "coverage.json"
    cover.write_text(json.dumps(coverage))
    code, _, stderr = run(
        "cob", PRIMARY, REMIT, "--coverage", cover, "-o", tmp_path / "x", *ENVELOPE
    )
    assert code == 1
    assert stderr.splitlines() == [f"{cover}: PCN2001.patinet: Extra inputs are not permitted"]


def test_schema_coverage() -> None:
    code, out, _ = run("schema", "coverage")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "Coverage"
    assert schema["required"] == ["subscriber", "payer"]


def test_inputs_of_the_wrong_kind_are_unusable(tmp_path: Path) -> None:
    """The 835 given as the claims, or the claims as the 835: no set of the kind, exit 2 (README)."""
    out = tmp_path / "x.837"
    code, _, stderr = run("cob", REMIT, REMIT, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert code == 2 and not out.exists() and "no 837 transaction set" in stderr
    claims_837 = FIXTURES / "837p/cob_secondary.x12"
    code, _, stderr = run(
        "cob", claims_837, claims_837, "--coverage", COVERAGE, "-o", out, *ENVELOPE
    )
    assert code == 2 and not out.exists() and "no 835 transaction set" in stderr


def test_a_cob_claim_that_fails_the_checks_is_left_out_and_the_others_written(
    tmp_path: Path,
) -> None:
    """PCN2001's next coverage gives the subscriber a state that is no state code: its COB claim
    fails the checks. It is named and left out, as the help says; PCN2002's is written (one
    failing claim made `write_837` refuse the batch: nothing was written)."""
    coverage = json.loads(COVERAGE.read_text())
    coverage["PCN2001"]["subscriber"]["state"] = "QQ"
    cover = tmp_path / "coverage.json"
    cover.write_text(json.dumps(coverage))
    out = tmp_path / "secondary.837"
    code, stdout, stderr = run("cob", PRIMARY, REMIT, "--coverage", cover, "-o", out, *ENVELOPE)
    assert code == 1
    # The COB claim's problems (here the coverage's), not the primary claims file's.
    (line,) = stderr.splitlines()
    assert line.startswith("edi cob: COB claim PCN2001: subscriber (2010BA): N402 (state)")
    assert line.endswith(f"(made from {PRIMARY} and {REMIT})")
    assert stdout == f"wrote {out}: 1 claim(s)\n"
    assert [c.id for c in edi.read_claims(out)] == ["PCN2002"]


def test_an_835_that_does_not_balance_makes_no_cob_claim(tmp_path: Path) -> None:
    """The primary's 835 does not balance on PCN2001's second line (CAS PR 25, not 20): `edi remit`
    refuses it, and an 835 that does not balance is not posted (x12-notes §9.1), nor sent on. The
    COB claims were made from it all the same, the others of its set too (the COB tester)."""
    remit = tmp_path / "remit.835"
    remit.write_text(REMIT.read_text().replace("CAS*PR*1*20.00~", "CAS*PR*1*25.00~"))
    out = tmp_path / "secondary.837"
    code, stdout, stderr = run("cob", PRIMARY, remit, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert (code, stdout) == (1, "")
    assert not out.exists()
    why = f"{remit} fails the checks edi remit runs (said above): no COB claim is made from an 835 that breaks them"
    assert stderr.splitlines() == [
        f"{remit}: segment 30 SVC (line 32, loop 2110): 835 0001 claim PCN2001 (#1) line 2: SVC02 "
        "70.00 − Σ CAS 55.00 = 15.00 ≠ SVC03 20.00 (off by 5.00)",
        f"{remit}: segment 16 CLP (line 18, loop 2100): 835 0001 claim PCN2001 (#1): CLP03 250.00 "
        "− Σ claim and line CAS 135.00 = 115.00 ≠ CLP04 120.00 (off by 5.00)",
        f"{remit}: warning: segment 16 CLP (line 18, loop 2100): 835 0001 claim PCN2001 (#1): CLP05 "
        "(patient responsibility) 50.00 ≠ Σ PR CAS 55.00 (claim and lines): the amount the patient "
        "owes is said twice, not alike",
        f"{PRIMARY}: claim PCN2001: {why}",
        f"{PRIMARY}: claim PCN2002: {why}",
        "edi cob: no COB claim to write",
    ]
    # The 835's lines as edi remit says them, placed where each was read (the README newcomer).
    _, _, said = run("remit", remit)
    assert sorted(said.splitlines()) == sorted(stderr.splitlines()[:3])


def test_a_reversal_that_names_a_payment_but_does_not_negate_it_makes_no_cob_claim(
    tmp_path: Path,
) -> None:
    """A CLP02 22 with PCN2002's payer claim number (ICN2002) but another paid amount (-50, not
    -60): the payer took back something of ICN2002, but what is in force is not known. The COB
    claim was made from ICN2002 as if no reversal were there (the COB tester)."""
    code, stderr, out = _split_pcn2002(
        tmp_path,
        "CLP*PCN2002*22*-90*-50*-15*12*ICN2002*11*1~\nCAS*CO*45*-20**253*-5~\nCAS*PR*3*-15~\n"
        "NM1*QC*1*TESTPATIENT*DELTA****MI*MBR2002~\n",
    )
    remit = tmp_path / "primary.835"
    assert code == 1
    assert (
        f"{PRIMARY}: claim PCN2002: {remit} reverses the payment of payer claim number ICN2002 "
        "(CLP07) with other amounts (CLP03 -90, CLP04 -50; the payment: 90, 60): a reversal "
        "negates them (x12-notes §9.3), so what is in force is not known"
    ) in stderr.splitlines()
    assert [c.id for c in edi.read_claims(out)] == ["PCN2001"]


def test_a_coverage_whose_subscriber_is_not_the_patient_says_to_give_the_patient(
    tmp_path: Path,
) -> None:
    """The message ended in `pass patient=`, the keyword of `edi.secondary_claim`: the command line
    user is told where the patient goes in the coverage JSON."""
    coverage = json.loads(COVERAGE.read_text())["PCN2001"]
    coverage["subscriber"]["relationship"] = "01"
    cover = tmp_path / "coverage.json"
    cover.write_text(json.dumps({"subscriber": coverage["subscriber"], "payer": coverage["payer"]}))
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, REMIT, "--coverage", cover, "-o", out, *ENVELOPE)
    assert code == 1
    assert stderr.splitlines()[0] == (
        f"{PRIMARY}: claim PCN2001: the new subscriber is not the patient (SBR02 is '01', not "
        """'18'): the patient is needed (patient=, or "patient" in the coverage of edi cob)"""
    )


def test_claims_json_is_known_by_its_first_character_whatever_its_name(tmp_path: Path) -> None:
    """Claims JSON saved as `claims.txt` was read as X12 ("not X12 ... found '[.  {.  '"); on
    standard input, JSON that starts with a UTF-8 BOM was too."""
    named = tmp_path / "primary.txt"
    named.write_text(PRIMARY.read_text())
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", named, REMIT, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert (code, stderr) == (0, "")
    assert [c.id for c in edi.read_claims(out)] == ["PCN2001", "PCN2002"]
    result = CliRunner().invoke(
        main,
        ["cob", "-", str(REMIT), "--coverage", str(COVERAGE), "-o", str(out), *ENVELOPE],
        input=b"\xef\xbb\xbf" + PRIMARY.read_bytes(),
    )
    assert (result.exit_code, result.stderr) == (0, "")


def test_a_coverage_nested_too_deep_is_no_json_edi_reads(tmp_path: Path) -> None:
    """Python's parser gives up past about a thousand levels: that was "a bug in edi" (exit 70)."""
    cover = tmp_path / "coverage.json"
    cover.write_text("{" + '"a":{' * 100_000 + "}" * 100_001)
    code, _, stderr = run("cob", PRIMARY, REMIT, "--coverage", cover, "-o", tmp_path / "out.837")
    assert (code, stderr) == (
        2,
        f"{cover}: not JSON: it nests lists and objects deeper than edi reads them\n",
    )


def test_a_coverage_key_given_twice_is_a_problem_of_the_coverage(tmp_path: Path) -> None:
    """JSON, but one value of the key given twice would be lost: said by its path, exit 1 as for
    any coverage that breaks its schema (it was read with the last value)."""
    text = COVERAGE.read_text()
    assert text.count('"subscriber": {') == 2  # one coverage per claim
    cover = tmp_path / "coverage.json"
    cover.write_text(text.replace('"subscriber": {', '"subscriber": {}, "subscriber": {', 1))
    code, _, stderr = run("cob", PRIMARY, REMIT, "--coverage", cover, "-o", tmp_path / "out.837")
    assert (code, stderr) == (
        1,
        f"{cover}: PCN2001.subscriber: given twice in one object (JSON keys are unique: all but the last "
        "value would be lost)\n",
    )
    assert not (tmp_path / "out.837").exists()


def test_cob_refuses_to_write_over_an_input(tmp_path: Path) -> None:
    for given in (PRIMARY, REMIT, COVERAGE):
        copies = {p: tmp_path / p.name for p in (PRIMARY, REMIT, COVERAGE)}
        for source, copy in copies.items():
            copy.write_bytes(source.read_bytes())
        out = copies[given]
        args = [copies[PRIMARY], copies[REMIT], "--coverage", copies[COVERAGE]]
        code, stdout, stderr = run("cob", *args, "-o", out, *ENVELOPE)
        assert (code, stdout) == (2, "")
        assert stderr == (
            f"edi cob: the output {out} is the input {out}: writing it would destroy the input; "
            "give another output file\n"
        )
        assert out.read_bytes() == given.read_bytes()


def test_a_coverage_that_is_no_object_is_unusable(tmp_path: Path) -> None:
    """JSON of another shape than an object is unusable input (exit 2), as claims JSON of another
    shape than a list of objects is for `edi build` (`UNUSABLE_JSON`); it had exit 1 (the
    robustness tester)."""
    coverage = tmp_path / "coverage.json"
    coverage.write_text("[]")
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, REMIT, "--coverage", coverage, "-o", out, *ENVELOPE)
    assert (code, stderr) == (2, f"{coverage}: expected a coverage (JSON object), got array\n")
    assert not out.exists()


# PCN2002 of partly_paid.x12 (CLP, its two CAS and NM1*QC, DTM*232), and segments to put after it.
_PCN2002 = "CLP*PCN2002*1*90*60*15*12*ICN2002*11*1~"
_REVERSAL = (
    "CLP*PCN2002*22*-90*-60*-15*12*ICN2002*11*1~\nCAS*CO*45*-10**253*-5~\nCAS*PR*3*-15~\n"
    "NM1*QC*1*TESTPATIENT*DELTA****MI*MBR2002~\n"
)
# Paid 70 rather than 60: 90 = 70 + CO 45 5 + PR 3 15 (x12-notes §8.1).
_CORRECTION = (
    "CLP*PCN2002*1*90*70*15*12*ICN2003*11*1~\nCAS*CO*45*5~\nCAS*PR*3*15~\n"
    "NM1*QC*1*TESTPATIENT*DELTA****MI*MBR2002~\n"
)


def _after_pcn2002(tmp_path: Path, added: str) -> Path:
    """partly_paid.x12 with `added` after PCN2002's payment, balanced again (`_balanced`)."""
    remit = tmp_path / "primary.835"
    remit.write_text(
        _balanced(REMIT.read_text().replace("DTM*232*20240221~\n", "DTM*232*20240221~\n" + added))
    )
    return remit


def _balanced(text: str) -> str:
    """An 835 of partly_paid.x12's kind (no PLB) with BPR02 = Σ CLP04 and SE01 counted again, as the
    payer would send it: `edi cob` makes no COB claim from an 835 that does not balance."""
    segments = text.split("~\n")
    # A CLP04 that is no number (a payment that cannot be read) is in no total.
    amounts = [s.split("*")[4] for s in segments if s.startswith("CLP*")]
    paid = sum(
        (Decimal(a) for a in amounts if a.lstrip("-").replace(".", "").isdigit()), Decimal(0)
    )
    out = []
    for segment in segments:
        elements = segment.split("*")
        if elements[0] == "BPR":
            elements[2] = f"{paid:.2f}"
        elif elements[0] == "SE":
            count = sum(1 for s in segments if s and not s.startswith(("ISA", "GS", "GE", "IEA")))
            elements[1] = str(count)
        out.append("*".join(elements))
    return "~\n".join(out)


def test_a_payment_reversed_without_its_correction_makes_no_cob_claim(tmp_path: Path) -> None:
    """x12-notes §9.3: a reversal without its correction sends the claim back to pending. The
    payment it reversed was used for the COB claim, as if it were still in force."""
    remit = _after_pcn2002(tmp_path, _REVERSAL)
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, remit, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert code == 1
    assert "claim PCN2002: CLP02 22 is a reversal" in stderr
    assert [c.id for c in edi.read_claims(out)] == ["PCN2001"]


def test_the_correction_after_a_reversal_makes_the_cob_claim(tmp_path: Path) -> None:
    remit = _after_pcn2002(tmp_path, _REVERSAL + _CORRECTION)
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, remit, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert (code, stderr) == (0, "")
    claims = {c.id: c for c in edi.read_claims(out)}
    (prior,) = claims["PCN2002"].prior_payers
    # The correction's payment and claim number (2320 AMT*D, 2330B REF*F8), not the original's.
    assert (prior.paid, prior.other_payer.claim_control_number) == (70, "ICN2003")
    assert "PCN2002" not in stderr


def test_two_payments_in_force_for_one_claim_are_not_combined(tmp_path: Path) -> None:
    """A claim the payer split in two (two CLPs with the claim's CLP01 and their own CLP07), or a
    claim id sent twice: a COB claim from either payment alone would send half the adjudication.
    The last one was used, without a word."""
    remit = _after_pcn2002(tmp_path, _CORRECTION)
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, remit, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert code == 1
    assert (
        f"claim PCN2002: {remit} has 2 payments for it that no reversal undoes (payer claim "
        "numbers, CLP07: ICN2002, ICN2003) and that its charge does not tell apart: a split "
        "claim, or the claim id sent twice; edi cob does not combine them"
    ) in stderr
    assert [c.id for c in edi.read_claims(out)] == ["PCN2001"]


def _split_pcn2002(tmp_path: Path, added: str) -> tuple[int, str, Path]:
    out = tmp_path / "secondary.837"
    remit = _after_pcn2002(tmp_path, added)
    code, _, stderr = run("cob", PRIMARY, remit, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    return code, stderr, out


def test_a_reversal_undoes_the_payment_it_reverses_not_the_last_one(tmp_path: Path) -> None:
    """PCN2002 paid twice (ICN2002, ICN2003), then ICN2002 reversed: ICN2003 is in force. The
    reversal undid the last payment (ICN2003), and the COB claim was made from the reversed one."""
    reversal_of_first = _REVERSAL  # CLP07 ICN2002, the original's
    code, stderr, out = _split_pcn2002(tmp_path, _CORRECTION + reversal_of_first)
    assert "PCN2002" not in stderr
    (prior,) = {c.id: c for c in edi.read_claims(out)}["PCN2002"].prior_payers
    assert (prior.paid, prior.other_payer.claim_control_number) == (70, "ICN2003")


def test_a_reversal_given_before_the_payment_it_reverses_is_said_as_out_of_order(
    tmp_path: Path,
) -> None:
    """The COB tester: the 835 of the reversal and correction given first, the original's after
    (`cat correction.835 original.835`). It was said as "2 payments ... that no reversal undoes",
    though the reversal negates the original exactly."""
    original = (
        _PCN2002 + "\nCAS*CO*45*10**253*5~\nCAS*PR*3*15~\n"
        "NM1*QC*1*TESTPATIENT*DELTA****MI*MBR2002~\nDTM*232*20240221~\n"
    )
    later = _after_pcn2002(tmp_path, _REVERSAL + _CORRECTION).read_text()
    assert later.count(original) == 1
    later = _balanced(later.replace(original, ""))
    later = later.replace("*000000102*", "*000000103*").replace("EFT2001", "EFT2009")
    both = tmp_path / "both.835"
    both.write_text(later + REMIT.read_text())
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, both, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert code == 1
    assert (
        f"claim PCN2002: {both} gives the reversal (CLP02 22) of the payment of payer claim "
        "number ICN2002 (CLP07) before that payment: the 835s may be out of order (the payment "
        "first, its reversal and correction after); edi cob does not guess which is in force"
    ) in stderr
    # PCN2001 is paid in both 835s (the same payment twice): refused too, so nothing is written.
    assert "claim PCN2001:" in stderr and not out.exists()


def test_a_reversal_of_a_payment_of_an_earlier_835_leaves_the_correction_in_force(
    tmp_path: Path,
) -> None:
    """The original (ICN2001X, paid in an earlier 835) is not in this one: its reversal, after the
    correction here, undoes nothing here. The reversal undid the correction: no COB claim."""
    earlier = _REVERSAL.replace("ICN2002", "ICN2001X")
    remit = _after_pcn2002(tmp_path, earlier)
    text = remit.read_text()
    # The original payment of this 835 becomes the correction (ICN2003, paid 70), listed first.
    remit.write_text(
        _balanced(
            text.replace(
                _PCN2002 + "\nCAS*CO*45*10**253*5~", _CORRECTION.split("\n")[0] + "\nCAS*CO*45*5~"
            )
        )
    )
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, remit, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert "PCN2002" not in stderr
    (prior,) = {c.id: c for c in edi.read_claims(out)}["PCN2002"].prior_payers
    assert (prior.paid, prior.other_payer.claim_control_number) == (70, "ICN2003")


def test_an_835_given_again_with_the_cob_claims_it_made_is_refused(tmp_path: Path) -> None:
    """The COB claims of partly_paid.x12 with partly_paid.x12 again: each claim's CLP07 is its
    prior payer's REF*F8 already. A second 2320 said the secondary payer paid what the primary did."""
    out = tmp_path / "third.837"
    sent = FIXTURES / "837p" / "cob_secondary.x12"
    code, _, stderr = run("cob", sent, REMIT, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert code == 1 and not out.exists()
    assert stderr.splitlines() == [
        f"{sent}: claim {cid}: the payment (CLP07 {icn}) is already on the claim, as prior payer "
        "EXAMPLE HEALTH PLAN's (2330B REF*F8): the 835 was applied to it before; a COB claim is "
        "made from the claim as sent to the payer of the 835"
        for cid, icn in (("PCN2001", "ICN2001"), ("PCN2002", "ICN2002"))
    ] + ["edi cob: no COB claim to write"]


def test_the_cob_837_has_the_delimiters_of_the_837_read_when_the_coverage_gives_a_header(
    tmp_path: Path,
) -> None:
    """--delimiters: "default: those of the 837 the claims were read from". cob_coverage.json gives
    each claim a header (from JSON, it knows no delimiters): the COB 837 was written with * ^ : ~."""
    assert "header" in json.loads(COVERAGE.read_text())["PCN2001"]
    sent = tmp_path / "primary.837"
    assert run("build", PRIMARY, "-o", sent, "--delimiters", "|^>!", *ENVELOPE)[0] == 0
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", sent, REMIT, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert (code, stderr) == (0, "")
    text = out.read_text()
    assert text.startswith("ISA|00|") and text.split("\n")[0].endswith("|0|T|>!")
    assert "SVD|EXAMPLEHP01|100|HC>99214||1!" in text and "*" not in text
    expected_claims = edi.load_claims(FIXTURES / "837p" / "cob_secondary.json")
    assert [dump(c) for c in edi.read_claims(out)] == [dump(c) for c in expected_claims]
    # --delimiters given is used, as before.
    code, _, _ = run(
        "cob", sent, REMIT, "--coverage", COVERAGE, "-o", out, "--delimiters", "*^:~", *ENVELOPE
    )
    assert code == 0 and out.read_text().startswith("ISA*00*")


def test_an_835_of_another_payer_is_refused_unless_the_payer_check_is_off(tmp_path: Path) -> None:
    """partly_paid.x12 said to be from another plan (N1*PR, no id of the claims' payer EXAMPLEHP01):
    refused, each claim on a line; --no-payer-check takes it as the claims' payer's answer (a payer
    named and numbered otherwise in its 835 than in the 837)."""
    remit = tmp_path / "other.835"
    remit.write_text(REMIT.read_text().replace("N1*PR*EXAMPLE HEALTH PLAN~", "N1*PR*OTHER PLAN~"))
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, remit, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert code == 1 and not out.exists()
    assert [line.split(": ")[1] for line in stderr.splitlines()[:-1]] == [
        "claim PCN2001",
        "claim PCN2002",
    ]
    assert "the 835 is from payer 'OTHER PLAN'" in stderr
    args = ("cob", PRIMARY, remit, "--coverage", COVERAGE, "-o", out, "--no-payer-check")
    code, _, stderr = run(*args, *ENVELOPE)
    assert (code, stderr) == (0, "")
    expected = edi.load_claims(FIXTURES / "837p" / "cob_secondary.json")
    assert [dump(c) for c in edi.read_claims(out)] == [dump(c) for c in expected]


def test_a_payment_of_the_claims_id_and_charge_is_its_own_among_others_of_its_id(
    tmp_path: Path,
) -> None:
    """Another claim with PCN2002's id (an account number used as claim id for several claims), of
    another charge (200, denied): x12-notes §9.2 has the charge as the next key. PCN2002 (90) gets
    the payment of its charge; both were refused as two payments in force."""
    another = (
        "CLP*PCN2002*4*200*0**12*ICN2009*11*1~\nCAS*CO*29*200~\n"
        "NM1*QC*1*TESTPATIENT*ECHO****MI*MBR2009~\n"
    )
    remit = tmp_path / "primary.835"
    remit.write_text(
        with_edits(REMIT.read_text(), ("DTM*232*20240221~\n", "DTM*232*20240221~\n" + another))
    )
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, remit, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert (code, stderr) == (0, "")
    (prior,) = {c.id: c for c in edi.read_claims(out)}["PCN2002"].prior_payers
    assert (prior.paid, prior.other_payer.claim_control_number) == (60, "ICN2002")


def test_a_payment_that_could_not_be_read_makes_no_cob_claim(tmp_path: Path) -> None:
    """The reversal of PCN2002's payment has an amount that is no number: it is not read (the rest
    of the 835 is). The payment it reverses was read and would make a COB claim from an
    adjudication the payer took back; no COB claim is made for PCN2002, and why is said."""
    remit = _after_pcn2002(tmp_path, _REVERSAL.replace("*-90*-60*", "*-90*-6O*"))
    out = tmp_path / "secondary.837"
    code, _, stderr = run("cob", PRIMARY, remit, "--coverage", COVERAGE, "-o", out, *ENVELOPE)
    assert code == 1
    assert (
        f"claim PCN2002: {remit} has a payment for it that could not be read (see the problems "
        "above)"
    ) in stderr
    assert "claim payment 'PCN2002' is not read" in stderr
    assert [c.id for c in edi.read_claims(out)] == ["PCN2001"]
