"""The `edi` command line: click commands over the public API. Presentation only, no X12 logic here.

Exit codes: 0 when the input is clean, 1 when problems were found, 2 when the input is unusable, an
output cannot be written or the command line is wrong; 141 (128 + SIGPIPE, as `cat`) when the reader
of the output went away (`edi remit big.835 | head`); 130 when interrupted (Ctrl-C); 70 for a bug
in edi itself (one line naming it, the traceback only with EDI_DEBUG=1).
Problems go to stderr, one line each: `FILE: segment 57 (line 57, loop 2300 claim): ...`.
"""

from __future__ import annotations

import codecs
import errno
import io
import json
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

import click

import edi
from edi.cli_common import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT_CLOSED,
    EXIT_PROBLEMS,
    EXIT_UNUSABLE,
    PLAIN_SYMBOLS,
    FilePath,
    echo_line,
    emit_json,
    exit_code,
    open_input,
    print_problem,
    report,
)
from edi.codes import TA1_ACKNOWLEDGMENTS, TA1_NOTES
from edi.diagnostics import Diagnostic
from edi.errors import EdiError, InputError
from edi.transactions.common import guide_envelope_problems, guide_for
from edi.x12.envelope import EnvelopeReader, Interchange
from edi.x12.reader import SegmentReader
from edi.x12.segment import Segment

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_UNUSABLE",
    "emit_json",
    "exit_code",
    "main",
    "open_input",
    "report",
]


class EdiGroup(click.Group):
    """The `edi` group: what goes wrong around the commands is one line on stderr too, with the
    documented exit code, never click's several lines or a traceback."""

    # click's parameters, named: a `*args` call matches none of the overloads click types it with.
    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **kwargs: Any,
    ) -> Any:
        before = _stop_by_signals()
        try:
            return self._main(args, prog_name, complete_var, standalone_mode, **kwargs)
        finally:
            for number, handler in before.items():
                signal.signal(number, handler)

    def _main(
        self,
        args: Sequence[str] | None,
        prog_name: str | None,
        complete_var: str | None,
        standalone_mode: bool,
        **kwargs: Any,
    ) -> Any:
        if not standalone_mode:  # a caller that handles click's exceptions itself
            return super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        try:
            # Not standalone: click raises its exceptions here instead of printing them its way.
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:  # `edi` alone: the help is the answer
            exc.show()
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            print_problem(usage_line(exc))
            sys.exit(EXIT_UNUSABLE)  # click's own convention too
        except click.ClickException as exc:
            print_problem(f"edi: {' '.join(exc.format_message().split())}")
            sys.exit(exc.exit_code)
        except click.Abort as exc:
            # Ctrl-C: 130 (128 + SIGINT) as shells do; 1 would say "problems found in the input".
            interrupted = isinstance(exc.__cause__, KeyboardInterrupt)
            sys.exit(EXIT_INTERRUPTED if interrupted else EXIT_PROBLEMS)
        # --help and --version end with click's Exit, returned as its code; commands exit themselves.
        sys.exit(result if isinstance(result, int) else EXIT_OK)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        if sys.stdout is None:
            # Started with stdout closed (`edi remit f.835 >&-`, `edi --version >&-`): what it
            # prints would be lost without a word, and it would exit 0. Said before the options
            # are parsed, as --help and --version print while they are.
            print_problem("edi: standard output is closed: nothing it prints could be written")
            sys.exit(EXIT_UNUSABLE)
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:  # `edi --help | head -1`: the help is printed while parsing
            output_closed()
        except OSError as exc:  # `edi --help > /dev/full`: the help cannot be written
            print_problem(f"edi: standard output: {exc.strerror or exc}")
            sys.exit(EXIT_UNUSABLE)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:
                # Flushed here, not at exit: a reader gone before the last buffered bytes is a
                # broken pipe below, not "Exception ignored ... BrokenPipeError" and exit 120.
                if sys.stdout is not None:  # None when started with stdout closed (>&-)
                    sys.stdout.flush()
        except BrokenPipeError:
            output_closed()
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            # The command's own usage errors: said here, where the command is known (click's
            # parser raises some without a context).
            command = f"edi {ctx.invoked_subcommand}" if ctx.invoked_subcommand else "edi"
            print_problem(usage_line(exc, command))
            sys.exit(EXIT_UNUSABLE)
        except EdiError as exc:  # what a command did not catch: one line all the same
            print_problem(f"edi: {exc}")
            sys.exit(EXIT_UNUSABLE)
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                output_closed()
            # A file that fails while it is read (an I/O error, a file removed mid-way): the input
            # is unusable, said in one line. Files that cannot be opened are caught before.
            where = exc.filename if exc.filename is not None else f"edi {ctx.invoked_subcommand}"
            print_problem(f"{where}: {exc.strerror or exc}")
            sys.exit(EXIT_UNUSABLE)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # said by `main`
        except Exception as exc:  # a bug in edi: one line all the same (EDI_DEBUG=1: the traceback)
            if os.environ.get("EDI_DEBUG"):
                raise
            print_problem(internal_error_line(exc, ctx.invoked_subcommand))
            sys.exit(EXIT_INTERNAL)


def internal_error_line(exc: BaseException, command: str | None) -> str:
    """A bug in edi as one line: the exception's type and where edi raised it, not its message (it
    may quote a value of the input: a name, a member id)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(edi.__file__)))
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):  # the innermost frame within edi
        path = os.path.abspath(frame.filename)
        if path.startswith(os.path.dirname(os.path.abspath(edi.__file__)) + os.sep):
            where = f" at {os.path.relpath(path, package).replace(os.sep, '/')}:{frame.lineno}"
    named = f"edi {command}" if command else "edi"
    return (
        f"{named}: internal error, a bug in edi ({type(exc).__name__}{where}); please report it "
        "with the command line (EDI_DEBUG=1 shows the traceback)"
    )


def usage_line(exc: click.UsageError, command: str = "edi") -> str:
    """A usage error as one line: `edi remit: --format: 'xml' is not one of 'table', 'json', 'csv'`."""
    names = []
    ctx = exc.ctx
    while ctx is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    if names:  # the group is `edi` whatever the program was called (`python -m edi`, a test)
        command = " ".join(["edi", *reversed(names[:-1])])
    param = exc.param if isinstance(exc, click.BadParameter) else None
    if param is not None and not isinstance(exc, click.MissingParameter):
        where = (
            "/".join(param.opts) if isinstance(param, click.Option) else param.human_readable_name
        )
        text = f"{where}: {exc.message}"
    else:
        text = exc.format_message()
    text = " ".join(text.split()).rstrip(".")  # click's choice lists come on several lines
    if text[1:2].islower():  # "Missing argument" → "missing argument", never "FILE" → "fILE"
        text = text[:1].lower() + text[1:]
    return f"{command}: {text}"


def output_closed() -> NoReturn:
    """The reader of stdout went away (`edi remit big.835 | head -1`): stop quietly with 141, the
    status a shell shows for `cat` killed by SIGPIPE there, so that `set -o pipefail` scripts see
    what they see for any other tool (and not 1, "problems found").

    The recipe of https://docs.python.org/3/library/signal.html#note-on-sigpipe: what is still
    buffered cannot be written, so stdout is pointed at devnull and the flush at exit succeeds.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with it closed (2>&-): Python has no stream there
            continue
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError):  # not a file descriptor (captured output)
            pass
    sys.exit(EXIT_OUTPUT_CLOSED)


def _unencodable(exc: UnicodeError) -> tuple[bytes, int]:
    """Error handler of stdout and stderr: a byte read that was not UTF-8 (a surrogate, as
    surrogateescape read it) is written as the byte it came from, so that it goes back out
    unchanged; a symbol the encoding lacks gets its plain spelling, anything else a \\u escape."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = bytearray()
    for char in exc.object[exc.start : exc.end]:
        if "\udc80" <= char <= "\udcff":
            out.append(ord(char) - 0xDC00)
        else:
            plain = PLAIN_SYMBOLS.get(char) or char.encode("ascii", "backslashreplace").decode()
            out += plain.encode("ascii")
    return bytes(out), exc.end


codecs.register_error("edi.output", _unencodable)


def _plain_ascii(name: str) -> codecs.CodecInfo | None:
    """ASCII under another name: click takes an ASCII stdout for a misconfigured UTF-8 one and
    writes UTF-8 bytes past it, so a stream asked to be ASCII (PYTHONIOENCODING=ascii) is given
    this name to get the plain spellings of `_unencodable` instead."""
    if name != "edi_ascii":
        return None
    ascii_codec = codecs.lookup("ascii")
    return codecs.CodecInfo(
        ascii_codec.encode,
        ascii_codec.decode,
        ascii_codec.streamreader,
        ascii_codec.streamwriter,
        ascii_codec.incrementalencoder,
        ascii_codec.incrementaldecoder,
        name="edi-ascii",
    )


codecs.register(_plain_ascii)


def _ended_by_signal(number: int, frame: object) -> None:
    raise SystemExit(128 + number)


def _stop_by_signals() -> dict[int, Any]:
    """Stopped by kill or timeout (SIGTERM) or a closed terminal (SIGHUP), a run ends as Ctrl-C ends
    it, unwinding, so that what it was writing is removed or put back (a CSV folder's files: the
    second hostile tester), with the shell's code for the signal (128 + its number: 143, 129). A
    signal ignored (`nohup`) stays ignored; the handlers before are given back (`main` may run in
    a process of the caller's: the review). Returns those handlers."""
    before: dict[int, Any] = {}
    if threading.current_thread() is not threading.main_thread():
        return before
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) == signal.SIG_DFL:
            before[number] = signal.signal(number, _ended_by_signal)
    return before


@click.group(cls=EdiGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(edi.__version__, prog_name="edi")
def main() -> None:
    """Read, check and write HIPAA X12 837 claims and 835 remittances.

    An input named - is read from standard input (edi build and edi cob write the 837 to standard
    output with -o -). Problems go to stderr, one line each. Exit codes: 0 clean (warnings, said
    as "warning: ...", alone leave it 0), 1 problems found (in the input, or transaction sets of
    another type left out), 2 input unusable (not X12, or no transaction set of the kind the
    command reads), an output that cannot be written or a wrong command line, 141 when the reader
    of the output goes away before its end (as for cat), 130 when interrupted (Ctrl-C), 143 when
    stopped (SIGTERM), 70 for a bug in edi (EDI_DEBUG=1 shows its traceback).
    """
    # Bytes that are not UTF-8 (a Latin-1 name, a stray control byte) are read as surrogates
    # (surrogateescape), so that they are written back unchanged; print them the same way, as the
    # bytes they came from, instead of failing on them (and on symbols a non-UTF-8 stdout lacks).
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            if codecs.lookup(stream.encoding).name == "ascii":
                stream.reconfigure(encoding="edi_ascii", errors="edi.output")
            else:
                stream.reconfigure(errors="edi.output")


def _table_or_json(json_help: str) -> Callable[[F], F]:
    """`--format table|json` (table by default) and `--json`, its shorthand."""

    def add(command: F) -> F:
        command = click.option(
            "--json", "as_json", is_flag=True, help="The same as --format json."
        )(command)
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(["table", "json"]),
            default="table",
            show_default=True,
            help=json_help,
        )(command)

    return add


@main.command()
@click.argument("file", type=FilePath(dir_okay=False, allow_dash=True))
@_table_or_json("json: one JSON object per segment (JSON Lines).")
def segments(file: str, fmt: str, as_json: bool) -> None:
    """List the segments of FILE with their positions.

    Columns: line, byte offset, number within the transaction set (ST = 1; '-' outside a set), text.
    """
    as_json = as_json or fmt == "json"
    path = open_input(file)
    reader = SegmentReader(path)
    try:
        for seg in reader:
            if as_json:
                click.echo(
                    json.dumps(
                        {
                            "id": seg.id,
                            "elements": seg.elements[1:],
                            "index": seg.index,
                            "line": seg.line,
                            "offset": seg.offset,
                        }
                    )
                )
            else:
                index = str(seg.index) if seg.index else "-"
                echo_line(f"{seg.line:>7} {seg.offset:>10} {index:>6}  {seg.text()}")
    except InputError as exc:
        reader.diagnostics.append(exc.diagnostic)
    report(file, reader.diagnostics)
    sys.exit(exit_code(reader.diagnostics))


@main.command()
@click.argument("file", type=FilePath(dir_okay=False, allow_dash=True))
@_table_or_json("json: the envelope tree and its problems.")
def envelopes(file: str, fmt: str, as_json: bool) -> None:
    """Show the interchanges, groups and transaction sets of FILE with their control numbers and
    counts, and every envelope problem found."""
    as_json = as_json or fmt == "json"
    path = open_input(file)
    reader = EnvelopeReader(path)
    # The ISA12 and GS01 of sets of the guides edi reads, as `edi claims` and `edi remit` say them.
    said: dict[str, object] = {}
    found: list[Diagnostic] = []
    for ts in reader:
        guide = guide_for(ts)
        if isinstance(guide, Diagnostic):
            continue  # another transaction or version: its envelope alone is looked at
        for wrong in guide_envelope_problems(ts, guide, said):
            owner = ts.interchange if wrong.code == "envelope.isa12" else ts.group
            if owner is not None:
                owner.diagnostics.append(wrong)
            found.append(wrong)
    diagnostics = _in_input_order(reader.diagnostics, found)
    if as_json:
        emit_json(
            {
                "file": file,
                "interchanges": [_interchange_json(ic) for ic in reader.interchanges],
                "problems": [d.to_dict() for d in diagnostics],
            }
        )
    else:
        for ic in reader.interchanges:
            _print_interchange(ic)
        if not reader.interchanges:
            click.echo("no interchange could be read")
    report(file, diagnostics)
    sys.exit(exit_code(diagnostics))


def _in_input_order(diagnostics: list[Diagnostic], found: list[Diagnostic]) -> list[Diagnostic]:
    """`diagnostics` (in input order) with each of `found` (an ISA's, a GS's) put before the first
    one read after it."""
    merged = list(diagnostics)
    for wrong in found:
        offset = wrong.location.offset if wrong.location else 0
        at = next(
            (i for i, d in enumerate(merged) if d.location and d.location.offset > offset),
            len(merged),
        )
        merged.insert(at, wrong)
    return merged


def _acknowledgment(ta1: Segment) -> dict[str, str]:
    """A TA1 an interchange carries: which interchange it answers, and how (x12-notes §11.2)."""
    return {
        "control_number": ta1.element(1),
        "date": ta1.element(2),
        "time": ta1.element(3),
        "code": ta1.element(4),
        "note": ta1.element(5),
    }


def _interchange_json(ic: Interchange) -> dict[str, Any]:
    return {
        "control_number": ic.control_number,
        "sender": ic.sender,
        "receiver": ic.receiver,
        "date": ic.date,
        "version": ic.version,
        "usage": ic.usage,
        "delimiters": {
            "element": ic.delimiters.element,
            "repetition": ic.delimiters.repetition,
            "component": ic.delimiters.component,
            "segment": ic.delimiters.segment,
            "line_break": ic.delimiters.suffix,
        },
        "trailer": ic.trailer.elements[1:] if ic.trailer else None,
        "acknowledgments": [_acknowledgment(ta1) for ta1 in ic.acknowledgements],
        "groups": [
            {
                "functional_id": g.functional_id,
                "control_number": g.control_number,
                "sender": g.sender,
                "receiver": g.receiver,
                "version": g.version,
                "trailer": g.trailer.elements[1:] if g.trailer else None,
                "sets": [
                    {
                        "type": s.transaction_type,
                        "control_number": s.control_number,
                        "implementation_reference": s.reference or None,
                        "segments": s.actual_count,
                        "declared_segments": s.declared_count,
                        "line": s.line,
                        "problems": [d.to_dict() for d in s.diagnostics],
                    }
                    for s in g.sets
                ],
                "problems": [d.to_dict() for d in g.diagnostics],
            }
            for g in ic.groups
        ],
        "problems": [d.to_dict() for d in ic.diagnostics],
    }


def _print_interchange(ic: Interchange) -> None:
    if ic.header is None:
        echo_line(f"no ISA envelope  delimiters {ic.delimiters.describe()}")
    else:
        trailer = f"IEA {'/'.join(ic.trailer.elements[1:3])}" if ic.trailer else "no IEA"
        echo_line(
            f"interchange {ic.control_number}  {ic.sender} -> {ic.receiver}  date {ic.date}  "
            f"version {ic.version}  usage {ic.usage}  {trailer}"
        )
        echo_line(f"  delimiters {ic.delimiters.describe()}")
    for ta1 in ic.acknowledgements:
        ack = _acknowledgment(ta1)
        code, note = ack["code"], ack["note"]
        echo_line(
            f"  TA1 of interchange {ack['control_number']}  date {ack['date']} {ack['time']}  "
            f"{code} {TA1_ACKNOWLEDGMENTS.get(code, 'unknown code')}  "
            f"note {note} {TA1_NOTES.get(note, 'unknown code')}"
        )
    for g in ic.groups:
        if g.header is None:
            echo_line("  (transaction sets outside a functional group)")
        else:
            trailer = f"GE {'/'.join(g.trailer.elements[1:3])}" if g.trailer else "no GE"
            echo_line(
                f"  group {g.control_number}  {g.functional_id}  {g.sender} -> {g.receiver}  "
                f"{g.version}  {len(g.sets)} set(s)  {trailer}"
            )
        for s in g.sets:
            declared = s.declared_count if s.declared_count is not None else "no SE"
            ref = f"  {s.reference}" if s.reference else ""
            echo_line(
                f"    set {s.transaction_type} {s.control_number}{ref}  {s.actual_count} segments "
                f"(SE01 {declared})  line {s.line}"
            )


def _register() -> None:
    """Commands of the transaction modules live in their own modules."""
    from edi import cli_claims, cli_cob, cli_remit

    cli_remit.register(main)
    cli_claims.register(main)
    cli_cob.register(main)


_register()


def run() -> None:  # pragma: no cover - console entry point
    main(prog_name="edi")  # `python -m edi --help` says `edi` too
