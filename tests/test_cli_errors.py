"""What goes wrong around the commands, each case one line per problem on stderr and a documented
exit code, never a traceback."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import threading
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import edi
from edi.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REMIT = FIXTURES / "835/partly_paid.x12"
CLAIMS = FIXTURES / "837p/dependent.x12"
EDI = [sys.executable, "-m", "edi"]
# The project on the path of a child interpreter, as it is on ours.
# click 8.4 quotes an unknown option and suggests a command for a misspelt one; the floor is 8.2.
CLICK_8_4 = tuple(int(part) for part in version("click").split(".")[:2]) >= (8, 4)
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

# A 999 acknowledging the 837: its own interchange, as a clearinghouse returns it.
ACK_999 = "\n".join(
    [
        "ISA*00*          *00*          *ZZ*EXAMPLEPAYER   *ZZ*EXAMPLECLINIC  *240316*0900*^*00501*"
        "000000301*0*T*:~",
        "GS*FA*EXAMPLEPAYER*EXAMPLECLINIC*20240316*0900*301*X*005010X231A1~",
        "ST*999*0042*005010X231A1~",
        "AK1*HC*202*005010X222A1~",
        "AK9*A*1*1*1~",
        "SE*4*0042~",
        "GE*1*301~",
        "IEA*1*000000301~",
        "",
    ]
)


def run(*args: str | Path, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def mixed(tmp_path: Path, *parts: Path | str) -> Path:
    path = tmp_path / "mixed.x12"
    path.write_bytes(b"".join(p.read_bytes() if isinstance(p, Path) else p.encode() for p in parts))
    return path


# -- sets of another type --------------------------------------------------------------------------


def test_remit_says_which_sets_it_left_out(tmp_path: Path) -> None:
    """An 837 beside the 835: the remittance is shown, the 837 set is said (it was dropped without
    a word) with where it starts and the command that reads it, and the exit code is 1."""
    path = mixed(tmp_path, REMIT, CLAIMS)
    skipped = f"{path}: segment 1 ST (line 48): 837 set 0001 skipped: edi remit reads 835s; use edi claims\n"
    for fmt in ("table", "json", "csv"):
        out_dir = tmp_path / f"csv-{fmt}"
        extra = ["--out", str(out_dir)] if fmt == "csv" else []
        code, out, err = run("remit", path, "--format", fmt, *extra)
        assert (code, err) == (1, skipped), fmt
        assert "PCN2001" in (out if fmt != "csv" else (out_dir / "claims.csv").read_text())
    # Nothing of the set's content (names, ids): only its type, control number and position.
    assert "TESTSUBSCRIBER" not in skipped and "EXAMPLE" not in skipped


def test_claims_says_which_sets_it_left_out(tmp_path: Path) -> None:
    path = mixed(tmp_path, REMIT, CLAIMS, ACK_999)
    code, out, err = run("claims", path)
    assert code == 1
    ack_line = len((REMIT.read_text() + CLAIMS.read_text()).splitlines()) + 3
    assert err.splitlines() == [
        f"{path}: segment 1 ST (line 3): 835 set 0001 skipped: edi claims reads 837s; use edi remit",
        f"{path}: segment 1 ST (line {ack_line}): 999 set 0042 skipped: edi claims reads 837s",
    ]
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["PCN2001", "PCN2002", "PCN2003"]
    # The claims themselves are clean: --no-check leaves the skipped sets said all the same.
    assert run("claims", path, "--no-check")[::2] == (1, err)


def test_no_set_of_the_kind_is_one_line_for_all_of_them(tmp_path: Path) -> None:
    """Only sets of other types: exit 2 as before, one line (not one per set) naming what was found
    and the command that reads it."""
    path = mixed(tmp_path, CLAIMS, FIXTURES / "837p/drug.x12", ACK_999)
    code, _, err = run("remit", path)
    assert (code, err) == (
        2,
        f"{path}: no 835 transaction set in the input (found 837, 999); use edi claims\n",
    )
    ack = mixed(tmp_path, ACK_999)
    assert run("claims", ack)[::2] == (
        2,
        f"{ack}: no 837 transaction set in the input (found 999)\n",
    )


def test_cob_says_which_sets_it_left_out(tmp_path: Path) -> None:
    """`edi cob` writes what it can from a mixed 835 file, and says the set left out (exit 1)."""
    path = mixed(tmp_path, REMIT, CLAIMS)
    out = tmp_path / "cob.837"
    code, _, err = run(
        "cob",
        FIXTURES / "837p/cob_primary.json",
        path,
        "--coverage",
        FIXTURES / "837p/cob_coverage.json",
        "-o",
        out,
    )
    assert (code, err) == (
        1,
        f"{path}: segment 1 ST (line 48): 837 set 0001 skipped: edi cob reads 835s\n",
    )
    assert len(list(edi.read_claims(out))) == 2


# -- usage errors, interrupts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["remit", REMIT, "--format", "xml"], "edi remit: --format: 'xml' is not one of 'table', 'json', 'csv'"),
        (["segments", REMIT, "--format", "csv"], "edi segments: --format: 'csv' is not one of 'table', 'json'"),
        (["remit", FIXTURES], f"edi remit: FILE: File '{FIXTURES}' is a directory"),
        (["envelopes", FIXTURES], f"edi envelopes: FILE: File '{FIXTURES}' is a directory"),
        (["remit", REMIT, "--out"], "edi remit: option '--out' requires an argument"),
        # An unset shell variable: not the current folder (the csv tables would go there).
        (["remit", ""], "edi remit: FILE: the name is empty"),
        (["remit", REMIT, "--format", "csv", "--out", ""], "edi remit: -o/--out/--output: the name is empty"),
        (["build", "x.json", "-o", ""], "edi build: -o/--output: the name is empty"),
        (["remit", REMIT, REMIT], f"edi remit: got unexpected extra argument ({REMIT})"),
        (["claims", REMIT, "--out", "x"], "edi claims: no such option '--out'. Did you mean '--format'?" if CLICK_8_4 else "edi claims: no such option: --out Did you mean --format?"),
        (["build", FIXTURES / "837p/drug.json"], "edi build: missing option '-o' / '--output'"),
        (["build", FIXTURES / "837p/drug.json", "-o", FIXTURES], f"edi build: -o/--output: File '{FIXTURES}' is a directory"),
        (["build", "x.json", "-o", "x", "--control-number", "abc"], "edi build: --control-number: 'abc' is not a valid integer"),
        (["build", "x.json", "-o", "x", "--usage", "X"], "edi build: --usage: 'X' is not one of 'P', 'T'"),
        (["cob", "a", "b", "-o", "x"], "edi cob: missing option '--coverage'"),
        (["schema", "bill"], "edi schema: NAME: 'bill' is not one of 'claim', 'remittance', 'coverage'"),
        (["schema"], "edi schema: missing argument '{claim|remittance|coverage}'. Choose from: claim, remittance, coverage"),
        (["remits", REMIT], "edi: no such command 'remits'" + (". Did you mean 'remit'?" if CLICK_8_4 else "")),
        (["--bogus"], "edi: no such option '--bogus'" if CLICK_8_4 else "edi: no such option: --bogus"),
    ],
)  # fmt: skip
def test_usage_errors_are_one_line_and_exit_2(args: list[str | Path], line: str) -> None:
    """click printed `Usage: ...`, `Try ... --help`, a blank line and `Error: ...`: one line now."""
    code, out, err = run(*args)
    assert (code, out, err) == (2, "", line + "\n")


def test_help_and_version_still_exit_0_and_no_command_shows_the_help() -> None:
    assert run("--help")[0] == run("remit", "--help")[0] == run("--version")[0] == 0
    code, _, err = run()
    assert code == 2 and err.startswith("Usage: ") and "Commands:" in err


def test_an_option_holding_a_delimiter_is_a_usage_error_in_cob_too(tmp_path: Path) -> None:
    """`--receiver 'A:B'` would break the ISA: exit 2 (it was 1, as for a problem in the input)."""
    out = tmp_path / "cob.837"
    args = ["cob", FIXTURES / "837p/cob_primary.json", REMIT, "--coverage"]
    args += [FIXTURES / "837p/cob_coverage.json", "-o", out, "--receiver", "A:B"]
    code, _, err = run(*args)
    assert (code, err) == (
        2,
        "edi cob: --receiver: 'A:B' holds ':', a delimiter of the 837 written\n",
    )
    assert not out.exists()


def test_ctrl_c_exits_130_not_1(monkeypatch: pytest.MonkeyPatch) -> None:
    """1 says "problems found in the input"; an interrupt is 130 (128 + SIGINT), as shells say."""

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(edi, "read_remittances", interrupted)
    result = CliRunner().invoke(main, ["remit", str(REMIT)])
    assert result.exit_code == 130


def test_a_bug_in_edi_is_one_line_with_exit_70(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a traceback, and not the exception's message (it may quote the input: a member id)."""

    def broken(*_: object, **__: object) -> None:
        raise KeyError("MEMBER123456")

    monkeypatch.setattr(edi, "read_remittances", broken)
    monkeypatch.delenv("EDI_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["remit", str(REMIT)])
    assert result.exit_code == 70
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        "edi remit: internal error, a bug in edi (KeyError at edi/cli_remit.py:"
    )
    assert "EDI_DEBUG=1" in lines[0]
    assert "MEMBER123456" not in result.output + result.stderr


def test_edi_debug_shows_the_bug_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise KeyError("x")

    monkeypatch.setattr(edi, "read_remittances", broken)
    monkeypatch.setenv("EDI_DEBUG", "1")
    result = CliRunner().invoke(main, ["remit", str(REMIT)])
    assert isinstance(result.exception, KeyError)  # raised on, for the traceback


# -- files that cannot be read ---------------------------------------------------------------------


def test_a_file_that_cannot_be_opened_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No permission to read (the tests may run as root, who reads everything: open is made to
    refuse)."""
    locked = tmp_path / "locked.835"
    locked.write_bytes(REMIT.read_bytes())
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    for command in ("segments", "remit", "claims"):
        assert run(command, locked)[::2] == (2, f"{locked}: cannot read: Permission denied\n")


@pytest.mark.skipif(not Path("/proc/self/mem").is_file(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    "args",
    [
        ["segments", "{bad}"],
        ["envelopes", "{bad}"],
        ["remit", "{bad}"],
        ["claims", "{bad}"],
        ["build", "{bad}", "-o", "{out}"],
        ["cob", "{bad}", REMIT, "--coverage", FIXTURES / "837p/cob_coverage.json", "-o", "{out}"],
        ["cob", CLAIMS, "{bad}", "--coverage", FIXTURES / "837p/cob_coverage.json", "-o", "{out}"],
        ["cob", CLAIMS, REMIT, "--coverage", "{bad}", "-o", "{out}"],
    ],
)
def test_a_file_that_fails_while_read_is_one_line_and_exit_2(
    tmp_path: Path, args: list[str | Path]
) -> None:
    """A regular file whose reading fails (an I/O error: here /proc/self/mem, whose first page is not
    mapped) was a traceback and exit 1."""
    bad = "/proc/self/mem"
    filled = [str(a).format(bad=bad, out=tmp_path / "out.837") for a in args]
    code, _, err = run(*filled)
    assert (code, err) == (2, f"{bad}: cannot read: Input/output error\n")


def test_an_error_in_the_middle_of_reading_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that fails after it was opened (a disk error, a network share gone): no traceback."""

    def failing(*_: object, **__: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(edi, "read_remittances", failing)
    assert run("remit", REMIT)[::2] == (2, "edi remit: Input/output error\n")


def test_a_pipe_given_by_name_is_read(tmp_path: Path) -> None:
    """`edi remit <(gunzip -c payer.835.gz)` names a pipe (/dev/fd/63), no regular file: it was
    "no such file". It is read as standard input is."""
    fifo = tmp_path / "remit.pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_bytes, args=(REMIT.read_bytes(),))
    writer.start()
    code, out, err = run("remit", fifo)
    writer.join()
    assert (code, err) == (0, "") and out == run("remit", REMIT)[1]


# -- a reader of the output that goes away ---------------------------------------------------------


def _big_835(tmp_path: Path, copies: int = 300) -> Path:
    """Some 400 kB of 835s (`copies` interchanges): their table is more than a pipe holds."""
    path = tmp_path / "big.835"
    one = (FIXTURES / "835/multiple_sets.x12").read_bytes()
    # Interchange control numbers and traces of their own: a repeated one is a problem (exit 1),
    # a payment repeated a warning.
    path.write_bytes(
        b"".join(
            one.replace(b"000000108", b"%09d" % n).replace(b"*CHK800", b"*CHK%d-" % n)
            for n in range(1, copies + 1)
        )
    )
    return path


@pytest.mark.skipif(sys.platform == "win32", reason="SIGPIPE is POSIX")
@pytest.mark.parametrize(
    "args",
    [
        ["remit", "{big}"],
        ["remit", "{big}", "--format", "json"],
        ["segments", "{big}"],
        ["claims", str(CLAIMS), "--format", "csv"],  # a few hundred bytes, buffered to the end
        ["build", str(FIXTURES / "837p/drug.json"), "-o", "-"],
        ["--help"],
    ],
)
def test_a_closed_pipe_is_quiet_and_exits_141(tmp_path: Path, args: list[str]) -> None:
    """`edi remit big.835 | head -1`: exit 1 and, for output still buffered at exit, "Exception
    ignored ... BrokenPipeError". Now nothing on stderr, and 141 (128 + SIGPIPE) as `cat` gets."""
    big = _big_835(tmp_path)
    filled = [a.format(big=big) for a in args]
    with subprocess.Popen(
        [*EDI, *filled], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, cwd=tmp_path
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        # The reader reads a line at most (none for the small outputs: gone before the first byte).
        if filled[0] in ("remit", "segments"):
            proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read()
        assert (proc.wait(timeout=60), err) == (141, b"")


def test_a_full_pipe_is_read_to_its_end_as_before(tmp_path: Path) -> None:
    done = subprocess.run(
        [*EDI, "remit", str(_big_835(tmp_path))], capture_output=True, env=ENV, check=False
    )
    assert done.returncode == 0 and done.stderr == b""
    assert done.stdout.count(b"total paid") == 900


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell closes stdout")
def test_a_stdout_closed_from_the_start_is_no_traceback() -> None:
    """`edi remit payer.835 >&-`: Python has no sys.stdout then; the flush at the end failed on it.
    Then it exited 0 with the table lost without a word (`build -o -` said it wrote the 837):
    an output that cannot be written is 2, said in one line, as `cat f >&-` fails. `--version`
    and `--help`, which print while the options are parsed, had exited 0 (the fuzz tester)."""
    commands = (
        ["remit", str(REMIT)],
        ["build", str(FIXTURES / "837p/drug.json"), "-o", "-"],
        ["--version"],
        ["--help"],
    )
    for args in commands:
        command = " ".join([*EDI, *args]) + " >&-"
        done = subprocess.run(["sh", "-c", command], capture_output=True, env=ENV, check=False)
        assert (done.returncode, done.stderr) == (
            2,
            b"edi: standard output is closed: nothing it prints could be written\n",
        )


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell closes stdin")
def test_a_stdin_closed_from_the_start_is_no_traceback(tmp_path: Path) -> None:
    """`edi claims - <&-`: Python has no sys.stdin then; reading it was an AttributeError, said as a
    bug in edi (exit 70). An input that cannot be read is 2, in one line (the fuzz tester)."""
    for args in (["claims", "-"], ["remit", "-"], ["build", "-", "-o", str(tmp_path / "x.837")]):
        command = " ".join([*EDI, *args]) + " <&-"
        done = subprocess.run(["sh", "-c", command], capture_output=True, env=ENV, check=False)
        assert (done.returncode, done.stdout, done.stderr) == (
            2,
            b"",
            b"-: standard input is closed\n",
        ), args


@pytest.mark.skipif(sys.platform == "win32", reason="SIGPIPE is POSIX")
def test_an_837_on_stdout_cut_short_by_its_reader_exits_141(tmp_path: Path) -> None:
    """`edi build big.json -o - | head -c 300000`: the 837 went to the pipe in one write, which
    returns the part the reader took before it went; the rest was lost and edi said "wrote standard
    output: N claim(s)" and exited 0, so a script saw a truncated 837 as written."""
    data = json.loads((FIXTURES / "837p/dependent.json").read_text())
    claims = [{**data[0], "patient_control_number": f"PCN{n}"} for n in range(3000)]
    source = tmp_path / "many.json"
    source.write_text(json.dumps(claims))
    with subprocess.Popen(
        [*EDI, "build", str(source), "-o", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.read(100).startswith(b"ISA*")  # the reader takes a little, and goes
        proc.stdout.close()
        err = proc.stderr.read()
        assert (proc.wait(timeout=120), err) == (141, b"")
    done = subprocess.run([*EDI, "build", str(source), "-o", "-"], capture_output=True, env=ENV)
    assert done.returncode == 0 and done.stdout.count(b"~\nCLM*") == 3000  # read whole: all


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_help_to_a_full_device_is_one_line_and_2() -> None:
    """`edi --help > /dev/full`: a traceback (OSError: No space left on device)."""
    for args in (["--help"], ["--version"]):
        with open("/dev/full", "wb") as full:
            done = subprocess.run([*EDI, *args], stdout=full, stderr=subprocess.PIPE, env=ENV)
        assert done.returncode == 2
        assert done.stderr.decode().splitlines() == [
            "edi: standard output: No space left on device"
        ]


def test_standard_input_redirected_from_the_output_file_is_refused(tmp_path: Path) -> None:
    """`edi build - -o c.json < c.json` destroyed the claims: the output named as an input was
    refused, but not one standard input was read from."""
    claims = tmp_path / "c.json"
    claims.write_text((FIXTURES / "837p/dependent.json").read_text())
    before = claims.read_bytes()
    with claims.open("rb") as stdin:
        done = subprocess.run(
            [*EDI, "build", "-", "-o", str(claims)], stdin=stdin, capture_output=True, env=ENV
        )
    assert done.returncode == 2 and claims.read_bytes() == before
    assert done.stderr.decode() == (
        f"edi build: the output {claims} is the input on standard input (-): writing it would "
        "destroy the input; give another output file\n"
    )


# -- consoles that are not UTF-8 -------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_a_console_that_is_not_utf8_gets_plain_symbols_not_a_traceback(
    tmp_path: Path, encoding: str
) -> None:
    """Windows writes a redirected stdout in cp1252, which has no '−', '≠' or 'Σ': the table of an
    unbalanced remittance and its problem line were a UnicodeEncodeError traceback. An ASCII one
    got UTF-8 bytes instead (click takes ASCII for a misconfigured UTF-8 console)."""
    text = (FIXTURES / "835/paid_in_full.x12").read_bytes().replace(b"BPR*I*100*", b"BPR*I*99*")
    path = tmp_path / "off.835"
    path.write_bytes(text.replace(b"EXAMPLE CLINIC", b"CLINIQUE \xc9T\xc9"))  # Latin-1 bytes
    env = {**ENV, "PYTHONIOENCODING": encoding}
    done = subprocess.run([*EDI, "remit", str(path)], capture_output=True, env=env, check=False)
    assert done.returncode == 1
    assert (
        done.stderr
        == f"{path}: segment 2 BPR (line 4): 835 0001: BPR02 99 != sum CLP04 100 - sum PLB 0 = 100 (off by 1)\n".encode()
    )
    assert b"does not balance: claims - provider adjustments = 100.00" in done.stdout
    assert b"CLINIQUE \xc9T\xc9" in done.stdout  # bytes read that were not UTF-8: as they came


def test_build_to_standard_output_writes_utf8_whatever_the_console(tmp_path: Path) -> None:
    """`edi build -o -` wrote the 837 in the console's encoding: a cp1252 console changed the bytes
    of a name ('É' as 0xC9, where the file gets UTF-8 0xC3 0x89)."""
    source = (FIXTURES / "837p/drug.json").read_text(encoding="utf-8")
    claims = tmp_path / "claims.json"
    claims.write_text(source.replace("TESTPATIENT", "TESTPATIÉNT"), encoding="utf-8")
    env = {**ENV, "PYTHONIOENCODING": "cp1252"}
    done = subprocess.run(
        [*EDI, "build", str(claims), "-o", "-", "--no-check"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "TESTPATIÉNT".encode() in done.stdout
    assert run("build", claims, "-o", tmp_path / "file.837", "--no-check")[0] == 0
    # From the ST on: the ISA and GS carry the time written, which may be another minute.
    written = (tmp_path / "file.837").read_bytes()
    assert done.stdout.split(b"ST*", 1)[1] == written.split(b"ST*", 1)[1]


# -- what X12 comes wrapped in ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (gzip.compress(REMIT.read_bytes()), "the input is gzip-compressed; decompress it first"),
        (REMIT.read_text().encode("utf-16"), "the input is UTF-16 text; save it as UTF-8 or ASCII"),
        (REMIT.read_text().encode("utf-16-le"), "the input is UTF-16 text"),
        (b"PK\x03\x04\x14\x00\x00\x00", "the input is a zip archive"),
        (b"%PDF-1.7\n", "the input is a PDF document"),
    ],
)
def test_what_x12_comes_wrapped_in_is_named(tmp_path: Path, data: bytes, said: str) -> None:
    """'found .......k' (a gzip file) or '..I.S.A.' (UTF-16) left the user guessing."""
    path = tmp_path / "payer.835"
    path.write_bytes(data)
    code, _, err = run("remit", path)
    assert code == 2 and err.startswith(f"{path}: byte 0 (line 1): not X12: {said}")
    assert len(err.splitlines()) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="SIGPIPE is POSIX")
def test_a_closed_pipe_with_stderr_closed_from_the_start_still_exits_141(tmp_path: Path) -> None:
    """`edi remit big.835 2>&- | head -1`: Python has no sys.stderr then; pointing it at devnull
    failed on None (AttributeError), and the exit code was 1, "problems found"."""
    with subprocess.Popen(
        [*EDI, "remit", str(_big_835(tmp_path))],
        stdout=subprocess.PIPE,
        env=ENV,
        preexec_fn=lambda: os.close(2),  # the child starts without fd 2
    ) as proc:
        assert proc.stdout is not None
        proc.stdout.readline()
        proc.stdout.close()
        assert proc.wait(timeout=60) == 141


# -- bad input from partners: one line per problem, a root cause said once -------------------------


def test_a_line_break_inside_a_segment_stays_on_its_problem_line(tmp_path: Path) -> None:
    """A line break inside a segment (a hand-edited file) was printed as it is: the message went on
    over two lines, the second without the file name (`N4` / ` is not a segment ...`)."""
    path = tmp_path / "stray.837"
    text = CLAIMS.read_text().replace("NM1*41*2", "NM1*4\n1*2")
    path.write_text(
        text.replace(
            "N4*SPRINGFIELD*IL*62703~\nDMG*D8*19810303",
            "N4\n*SPRINGFIELD*IL*62703~\nDMG*D8*19810303",
        )
    )
    code, _, err = run("claims", path)
    assert code == 1
    lines = err.splitlines()
    assert all(line.startswith(f"{path}: segment ") for line in lines), lines
    assert (
        f"{path}: segment 3 NM1 (line 5, loop ST transaction): NM1*4\\n1 is not expected here; expected NM1*41"
        in lines
    )
    assert any(
        "'N4\\n' (line 52, loop 2010CA patient name): N4\\n is not a segment" in line
        for line in lines
    )


def test_a_wrapped_file_is_one_line_that_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.837"
    flat = CLAIMS.read_text().replace("\n", "")
    path.write_text("\n".join(flat[i : i + 80] for i in range(0, len(flat), 80)) + "\n")
    for command in ("claims", "envelopes", "segments"):
        code, _, err = run(command, path)
        assert (code, err) == (
            2,
            f"{path}: byte 80 (line 1): the input is wrapped at 80 characters a line: its line breaks "
            "fall inside segments (the first inside ISA); join its lines (remove the line breaks) "
            "and read it again\n",
        ), command


def test_a_file_cut_short_says_the_missing_trailers_in_one_line(tmp_path: Path) -> None:
    """Cut in the middle of the second set: the set not read, where the input ends, and the SE,
    GE and IEA it lacks, in one line (they were three, after the cut: one cause)."""
    text = (FIXTURES / "835/multiple_sets.x12").read_text()
    path = tmp_path / "cut.835"
    path.write_text(text[: text.index("CLP*PCN8002") + 12])
    code, out, err = run("remit", path)
    assert code == 2 and "PCN8001" in out
    assert err.splitlines() == [
        f"{path}: segment 1 ST (line 15): transaction set '0002' ends with the input, before its "
        "SE: it is not read",
        f"{path}: segment 10 CLP (line 24): the input ends in the middle of a 'CLP' segment: no "
        "segment terminator '~' after it",
        f"{path}: segment 10 CLP (line 24): transaction set '0002' has no SE, functional group "
        "'801' no GE and interchange '000000108' no IEA trailer before the end of the input",
    ]
    code, _, err = run("envelopes", path)
    assert code == 2 and len(err.splitlines()) == 2
    # Each is still a diagnostic of its own, with its acknowledgement code.
    reader = edi.read_envelopes(path)
    assert [d.ack for d in reader.diagnostics if d.code.startswith("envelope.missing_")] == [
        "IK502:2",
        "AK905:3",
        "TA1:023",
    ]


@pytest.mark.parametrize(
    ("command", "source", "extra"),
    [
        ("remit", "claims", []),  # an 837 given to edi remit
        ("claims", "remit", []),
        ("envelopes", "truncated", []),
        ("build", "claims", ["-o", "out.837"]),  # X12 where claims JSON belongs
        ("remit", "missing", []),
    ],
)
def test_a_file_name_with_a_line_break_stays_on_its_problem_line(
    tmp_path: Path, command: str, source: str, extra: list[str]
) -> None:
    """A file's name is part of every problem line: one holding a line break split each line in
    two, and the second half had no file name (`/tmp/bad` / `name.x12: no 835 ...`)."""
    path = tmp_path / "bad\nname.x12"
    if source != "missing":
        data = {"claims": CLAIMS, "remit": REMIT, "truncated": REMIT}[source].read_bytes()
        path.write_bytes(data[:200] if source == "truncated" else data)
    extra = [str(tmp_path / e) if e.endswith(".837") else e for e in extra]
    code, _, err = run(command, path, *extra)
    assert code != 0
    lines = err.splitlines()
    assert lines, err
    shown = str(path).replace("\n", "\\n")
    assert all(line.startswith(shown) for line in lines), lines


def test_a_ctrl_z_at_the_end_is_a_warning_and_the_claims_are_read(tmp_path: Path) -> None:
    path = tmp_path / "dos.837"
    path.write_bytes(CLAIMS.read_bytes() + b"\x1a")
    code, out, err = run("claims", path, "--format", "csv")
    assert code == 0
    assert err.splitlines() == [
        f"{path}: warning: segment IEA (line 60): a DOS end-of-file mark (Ctrl-Z, byte 0x1A) "
        "after the last segment (dropped when written)"
    ]
    assert [row.split(",")[0] for row in out.splitlines()] == [
        "id",
        "PCN2001",
        "PCN2002",
        "PCN2003",
    ]
    written = edi.write_837(edi.read_claims(path))
    assert written == CLAIMS.read_text()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM ends a Windows process at once")
def test_a_run_stopped_by_sigterm_leaves_no_file_of_its_own(tmp_path: Path) -> None:
    """kill, timeout and systemd stop a process with SIGTERM: it had left the hidden files of the
    CSV tables it was writing, 19 a run (the second hostile tester). Now it ends as Ctrl-C ends it,
    removing them, with 143 (128 + SIGTERM) as a shell reports it."""
    big = _big_835(tmp_path, copies=3000)
    out = tmp_path / "out"
    out.mkdir()
    with subprocess.Popen(
        [*EDI, "remit", str(big), "--format", "csv", "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=ENV,
    ) as proc:
        for _ in range(6000):  # its private folder, where the tables are being written
            if any(out.iterdir()) or proc.poll() is not None:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the run ended before it could be stopped"
        proc.send_signal(signal.SIGTERM)
        assert proc.stderr is not None
        assert (proc.wait(timeout=60), proc.stderr.read()) == (143, b"")
    assert list(out.iterdir()) == []


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="no SIGTERM")
def test_the_cli_keeps_an_ignored_signal_ignored_and_gives_the_handlers_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`nohup edi ...` ignores SIGHUP, a `trap '' TERM` SIGTERM: the CLI's handler had replaced an
    ignored signal, so that nohup no longer protected a run; and it outlived `main`, turning a
    later SIGTERM of a process that called `main` into SystemExit (the review)."""
    import edi.cli

    during: list[object] = []
    opened = edi.cli.open_input

    def watched(name: str) -> Path:
        during.append(signal.getsignal(signal.SIGTERM))
        return opened(name)

    monkeypatch.setattr(edi.cli, "open_input", watched)
    before = signal.getsignal(signal.SIGTERM)
    try:
        for disposition in (signal.SIG_IGN, signal.SIG_DFL):
            signal.signal(signal.SIGTERM, disposition)
            code, _, _ = run("envelopes", REMIT)
            assert code == 0 and signal.getsignal(signal.SIGTERM) == disposition
    finally:
        signal.signal(signal.SIGTERM, before)
    assert [d if d == signal.SIG_IGN else "handled" for d in during] == [signal.SIG_IGN, "handled"]
