"""The foundation commands: `edi segments`, `edi envelopes`, `edi --version`, and their exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import edi
from edi.cli import main

ISA = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*"
    "000000007*0*T*:~"
)
CLEAN = "\n".join(
    [
        ISA,
        "GS*HP*SENDER*RECEIVER*20240101*1200*7*X*005010X221A1~",
        "ST*835*0001~",
        "BPR*H*0*C*NON************20240101~",
        "SE*3*0001~",
        "GE*1*7~",
        "IEA*1*000000007~",
        "",
    ]
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, text: str | bytes, name: str = "in.x12") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(path)


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"edi, version {edi.__version__}"


def test_segments_lists_positions(tmp_path: Path) -> None:
    code, out, err = run("segments", write(tmp_path, CLEAN))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 7
    # line, byte offset, number within the set ('-' outside a set), text
    assert lines[0].split()[:3] == ["1", "0", "-"]
    assert lines[2].split() == ["3", str(len(ISA) + 1 + 54), "1", "ST*835*0001"]
    assert lines[4].split() == ["5", lines[4].split()[1], "3", "SE*3*0001"]


def test_segments_json_lines(tmp_path: Path) -> None:
    code, out, _ = run("segments", "--json", write(tmp_path, CLEAN))
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[3] == {
        "id": "BPR",
        "elements": ["H", "0", "C", "NON", "", "", "", "", "", "", "", "", "", "", "", "20240101"],
        "index": 2,
        "line": 4,
        "offset": rows[3]["offset"],
    }
    assert [r["index"] for r in rows] == [0, 0, 1, 2, 3, 0, 0]


def test_envelopes_clean_file_exits_0(tmp_path: Path) -> None:
    code, out, err = run("envelopes", write(tmp_path, CLEAN))
    assert code == 0 and err == ""
    assert "interchange 000000007  ZZ:SENDER -> ZZ:RECEIVER" in out
    assert "group 7  HP  SENDER -> RECEIVER  005010X221A1  1 set(s)  GE 1/7" in out
    assert "set 835 0001  3 segments (SE01 3)" in out


def test_envelopes_problems_exit_1_one_line_each(tmp_path: Path) -> None:
    bad = CLEAN.replace("SE*3*0001", "SE*9*0002").replace("IEA*1*000000007", "IEA*2*000000008")
    code, _, err = run("envelopes", write(tmp_path, bad))
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 4
    assert all(line.startswith(str(tmp_path)) for line in lines)
    assert "SE02 '0002' does not match ST02 '0001'" in err
    assert "SE01 says '9' segments but the set has 3" in err
    assert "IEA02 '000000008' does not match ISA13 '000000007'" in err
    assert "IEA01 says '2' functional groups but the interchange has 1" in err


def test_envelopes_json(tmp_path: Path) -> None:
    bad = CLEAN.replace("GE*1*7", "GE*2*7")
    code, out, _ = run("envelopes", "--json", write(tmp_path, bad))
    assert code == 1
    data = json.loads(out)
    (ic,) = data["interchanges"]
    assert ic["control_number"] == "000000007"
    assert ic["delimiters"] == {
        "element": "*",
        "repetition": "^",
        "component": ":",
        "segment": "~",
        "line_break": "\n",
    }
    (group,) = ic["groups"]
    assert group["sets"][0]["segments"] == 3
    (problem,) = data["problems"]
    assert problem["ack"] == "AK905:5" and problem["segment_id"] == "GE" and problem["line"] == 6


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the input is empty"),
        (b'{"not": "x12"}', "not X12"),
        (bytes(range(256)), "not X12"),
        (b"ISA*00*   ", "truncated ISA"),
    ],
)
def test_unusable_input_exits_2_without_traceback(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = write(tmp_path, content)
    for command in ("segments", "envelopes"):
        code, _, err = run(command, path)
        assert code == 2, (command, err)
        assert message in err
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1


def test_stops_mid_segment_keeps_what_came_before(tmp_path: Path) -> None:
    second = CLEAN.replace("000000007", "000000008")
    text = CLEAN + second[: second.index("BPR") + 6]  # the second interchange breaks off in BPR
    code, out, err = run("envelopes", write(tmp_path, text))
    assert code == 2
    assert "interchange 000000007" in out and "interchange 000000008" in out
    assert "ends in the middle of a 'BPR' segment" in err


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("envelopes", str(tmp_path / "nope.x12"))
    assert code == 2 and "no such file" in err


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LATIN1_NAME = (
    b"CLINIQUE \xc9T\xc9"  # Latin-1, not UTF-8: read as surrogates, written back as these bytes
)


def run_bytes(*args: str) -> tuple[int, bytes, bytes]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout_bytes, result.stderr_bytes


def test_bytes_that_are_not_utf8_are_printed_and_written_as_they_came(tmp_path: Path) -> None:
    remit = (FIXTURES / "835/partly_paid.x12").read_bytes().replace(b"EXAMPLE CLINIC", LATIN1_NAME)
    claims = (FIXTURES / "837p/dependent.x12").read_bytes()
    claims = claims.replace(b"EXAMPLE HEALTH PLAN", LATIN1_NAME)  # the payer, shown by `claims`
    remit_path = write(tmp_path, remit, "remit.x12")
    claims_path = write(tmp_path, claims, "claims.x12")

    for args in (("remit", remit_path), ("claims", claims_path), ("segments", claims_path)):
        code, out, err = run_bytes(*args)
        assert code == 0, err
        assert LATIN1_NAME in out
    code, out, _ = run_bytes("remit", remit_path, "--format", "csv", "--out", str(tmp_path / "csv"))
    assert code == 0
    assert LATIN1_NAME in (tmp_path / "csv/remittances.csv").read_bytes()
    # JSON escapes the byte as a lone surrogate; edi build turns it back into the same byte.
    code, out, _ = run_bytes("claims", claims_path, "--format", "json")
    assert code == 0
    (tmp_path / "claims.json").write_bytes(out)
    assert b'"name": "CLINIQUE \\udcc9T\\udcc9"' in out
    code, out, err = run_bytes(
        "build", str(tmp_path / "claims.json"), "-o", str(tmp_path / "out.x12")
    )
    assert code == 0, err
    written = (tmp_path / "out.x12").read_bytes()
    assert written.count(LATIN1_NAME) == claims.count(LATIN1_NAME)
    # A problem about such text goes to stderr the same way.
    bad = claims.replace(b"CLM*PCN2001*95*", b"CLM*PCN2001*9\xe95*")
    code, _, err = run_bytes("claims", write(tmp_path, bad, "bad.x12"))
    assert code == 1 and b"segment 18 CLM (line 20, loop 2300 claim" in err


def test_dash_reads_standard_input(tmp_path: Path) -> None:
    remit = (FIXTURES / "835/partly_paid.x12").read_bytes()
    claims = (FIXTURES / "837p/dependent.x12").read_bytes()
    for command, data in (("segments", claims), ("envelopes", remit), ("remit", remit)):
        from_file = CliRunner().invoke(main, [command, write(tmp_path, data)])
        from_stdin = CliRunner().invoke(main, [command, "-"], input=data)
        assert from_stdin.exit_code == from_file.exit_code == 0
        assert from_stdin.stdout == from_file.stdout.replace(str(tmp_path / "in.x12"), "-")
    # A real pipe (not seekable): the claims as JSON, then built back into the same 837.
    edi_cmd = [sys.executable, "-m", "edi"]
    listed = subprocess.run(
        [*edi_cmd, "claims", "-", "--format", "json"], input=claims, capture_output=True, check=True
    )
    out = tmp_path / "built.x12"
    subprocess.run(
        [*edi_cmd, "build", "-", "-o", str(out)],
        input=listed.stdout,
        capture_output=True,
        check=True,
    )
    assert _set_of(out.read_bytes()) == _set_of(claims)
    # The COB inputs: the claims as JSON on standard input, the same as from the file.
    cob_args = ["-", str(FIXTURES / "835/partly_paid.x12"), "--coverage"]
    cob_args += [str(FIXTURES / "837p/cob_coverage.json"), "-o", str(tmp_path / "cob.x12")]
    from_stdin = CliRunner().invoke(
        main, ["cob", *cob_args], input=(FIXTURES / "837p/cob_primary.json").read_bytes()
    )
    assert from_stdin.exit_code == 0, from_stdin.stderr
    assert _set_of((tmp_path / "cob.x12").read_bytes()) == _set_of(
        (FIXTURES / "837p/cob_secondary.x12").read_bytes()
    )
    code, _, err = run("cob", "-", "-", "--coverage", "x.json", "-o", str(tmp_path / "x.x12"))
    assert code == 2 and "one input only" in err


def _set_of(data: bytes) -> list[bytes]:
    """The lines from ST to SE (the envelope's dates and control numbers differ)."""
    lines = data.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(b"ST*"))
    end = next(i for i, line in enumerate(lines) if line.startswith(b"SE*"))
    return lines[start : end + 1]


@pytest.mark.parametrize("module", ["edi.cli_claims", "edi.cli_cob", "edi.cli_remit", "edi.cli"])
def test_each_command_module_imports_on_its_own(module: str) -> None:
    """A fresh interpreter importing one command module first (no circular import)."""
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_every_reading_command_takes_format_json(tmp_path: Path) -> None:
    """`edi remit` and `edi claims` take `--format json`; `segments` and `envelopes` took only
    `--json` ("No such option: --format"). Both spellings work for them now."""
    path = write(tmp_path, CLEAN)
    for command in ("segments", "envelopes"):
        code, out, err = run(command, "--format", "json", path)
        assert (code, err) == (0, "")
        assert out == run(command, "--json", path)[1]
        assert out != run(command, "--format", "table", path)[1] == run(command, path)[1]


def test_help_says_how_to_read_stdin_and_what_exit_codes_mean() -> None:
    code, out, _ = run("--help")
    assert code == 0
    text = " ".join(out.split())
    assert "An input named - is read from standard input" in text
    assert (
        'Exit codes: 0 clean (warnings, said as "warning: ...", alone leave it 0), 1 problems '
        "found (in the input, or transaction sets of another " in text
    )
    assert "2 input unusable" in text and "or a wrong command line" in text
    assert "141 when the reader of the output goes away" in text


@pytest.mark.parametrize(
    ("command", "fixture"),
    [
        ("segments", "835/denied.x12"),
        ("envelopes", "835/denied.x12"),
        ("remit", "835/denied.x12"),
        ("claims", "837p/dependent.x12"),
    ],
)
def test_dash_is_standard_input_even_beside_a_folder_named_dash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, fixture: str
) -> None:
    # A folder named `-` in the current folder made every `edi ... -` fail ("File '-' is a
    # directory"): the name is standard input, whatever the folder holds.
    (tmp_path / "-").mkdir()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [command, "-"], input=(FIXTURES / fixture).read_bytes())
    assert result.exit_code == 0, result.output
    assert result.stdout


def test_remit_csv_into_a_folder_named_dash_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It made the folder that hides standard input (above); `-` names no folder.
    monkeypatch.chdir(tmp_path)
    code, out, err = run("remit", str(FIXTURES / "835/denied.x12"), "--format", "csv", "--out", "-")
    assert (code, out) == (2, "")
    assert err == "edi remit: --out - is no folder: the csv tables are files; name a folder\n"
    assert list(tmp_path.iterdir()) == []


def test_envelopes_shows_the_ta1s_an_interchange_carries(tmp_path: Path) -> None:
    text = CLEAN.replace("\nGS*", "\nTA1*000000123*231231*2359*R*024~\nGS*", 1)
    code, out, err = run("envelopes", write(tmp_path, text))
    assert (code, err) == (0, "")
    assert (
        "  TA1 of interchange 000000123  date 231231 2359  R rejected  note 024 invalid interchange content"
        in out.splitlines()
    )
    code, out, _ = run("envelopes", "--json", write(tmp_path, text))
    assert json.loads(out)["interchanges"][0]["acknowledgments"] == [
        {
            "control_number": "000000123",
            "date": "231231",
            "time": "2359",
            "code": "R",
            "note": "024",
        }
    ]


def test_envelopes_says_an_isa12_and_gs01_wrong_for_the_sets_held(tmp_path: Path) -> None:
    # 835 sets (005010X221A1) in an interchange of 00401 and a group of HC (the 837's): what
    # `edi remit` says of them, `edi envelopes` says too, in input order.
    text = CLEAN.replace("*00501*", "*00401*").replace("GS*HP*", "GS*HC*")
    code, out, err = run("envelopes", write(tmp_path, text))
    assert code == 1
    assert [line.split(": ", 1)[1] for line in err.splitlines()] == [
        "segment ISA (line 1, element ISA12): ISA12 '00401' is not the interchange version of the "
        "835 sets it holds (005010X221A1); expected 00501",
        "segment GS (line 2, element GS01): GS01 'HC' is not the functional id of the 835 sets the "
        "group holds; expected HP",
    ]
    code, out, _ = run("envelopes", "--json", write(tmp_path, text))
    tree = json.loads(out)
    assert [p["code"] for p in tree["interchanges"][0]["problems"]] == ["envelope.isa12"]
    assert [p["code"] for p in tree["interchanges"][0]["groups"][0]["problems"]] == [
        "envelope.functional_id"
    ]
    # a set of no guide edi reads (a 999) is not looked at
    other = CLEAN.replace("*00501*", "*00401*").replace("ST*835*0001~", "ST*999*0001~")
    assert run("envelopes", write(tmp_path, other))[0] == 0


def test_a_file_written_is_replaced_whole_or_not_at_all(tmp_path: Path, monkeypatch) -> None:
    """`edi build` wrote its 837 in place: a write that failed (a full disk, a file size limit)
    destroyed the 837 that was there and left a truncated one that looked usable (the batch
    tester). It is written beside it and renamed over it once whole."""
    import errno
    import os

    from edi import cli_common

    target = tmp_path / "claims.837"
    target.write_bytes(b"OLD 837")
    target.chmod(0o640)
    cli_common.replace_file(target, b"NEW 837")
    assert target.read_bytes() == b"NEW 837" and (target.stat().st_mode & 0o777) == 0o640
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(data[:3])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    code, _, err = run("build", str(FIXTURES / "837p" / "dependent.json"), "-o", str(target))
    assert code == 2 and err.endswith("cannot write: No space left on device\n")
    assert target.read_bytes() == b"NEW 837"  # as it was
    assert [p.name for p in tmp_path.iterdir()] == ["claims.837"]  # no part left behind


def test_the_envelope_options_help_says_each_commands_own_defaults() -> None:
    """`edi cob --help` showed `--usage [default: P]`, while a COB claim of claims read from a test
    interchange is a test one; `edi build --help` gave its --delimiters and --line-break the
    defaults of edi cob given an 837 (the README newcomer)."""
    _, cob, _ = run("cob", "--help")
    _, build, _ = run("build", "--help")
    flat_cob, flat_build = " ".join(cob.split()), " ".join(build.split())
    assert "T for claims read from a test interchange" in flat_cob
    assert "edi cob" not in flat_build.split("--delimiters", 1)[1]
    assert "default: '*^:~': claims JSON does not keep them" in flat_build
    assert "default: those of the 837 the claims were read from; else '*^:~'" in flat_cob
    assert "keep its dates" in flat_build and "keep its dates" not in flat_cob
