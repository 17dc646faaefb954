"""What the `edi` commands share: exit codes, how problems are printed, reading inputs, writing outputs.

Kept apart from `edi.cli` (which registers the commands of every module) so that each command module
can be imported on its own.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import click

from edi.diagnostics import Diagnostic, Location, Severity, has_errors, is_fatal, one_line
from edi.x12.envelope import missing_trailers_line

T = TypeVar("T")

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT: Ctrl-C, as shells report it
EXIT_OUTPUT_CLOSED = 141  # 128 + SIGPIPE: the reader of stdout went away, as for `cat`
EXIT_INTERNAL = 70  # EX_SOFTWARE of sysexits.h: a bug in edi, not a problem of the input
_CENT = Decimal("0.01")


# The command that reads each transaction type, named when another command is given it.
READ_BY = {"835": "edi remit", "837": "edi claims"}


def print_problem(line: str) -> None:
    """One problem on stderr, on one line whatever it holds: a file name or a value with a line
    break in it would split it in two, and a line read alone would say half of it."""
    click.echo(one_line(line), err=True)


def report(path: Path | str, diagnostics: Iterable[Diagnostic], *, warnings: bool = True) -> None:
    """Print problems to stderr, one line each.

    A set of another type than the command reads (`guide.other_set`) is a problem of the command
    line, said with the command that reads it, warnings or not; when the input holds no set of the
    kind at all, the one `guide.no_sets` line says it for all of them.
    """
    diagnostics = list(diagnostics)
    none_of_kind = any(d.code == "guide.no_sets" for d in diagnostics)
    at = 0
    while at < len(diagnostics):
        diag = diagnostics[at]
        at += 1
        if diag.code == "guide.other_set":
            if not none_of_kind:
                print_problem(f"{path}: {_other_set_line(diag)}")
            continue
        if diag.severity is Severity.INFO or (diag.severity is Severity.WARNING and not warnings):
            continue
        label = (
            "" if diag.severity in (Severity.ERROR, Severity.FATAL) else f"{diag.severity.value}: "
        )
        text = str(diag)
        if diag.code == "guide.no_sets":
            text += _use_instead(diag.context.get("found", "").split())
        # An input that ends inside a set lacks its SE, GE and IEA: one line, not three.
        for run in (3, 2) if diag.code.startswith("envelope.missing_") else ():
            joined = missing_trailers_line(diagnostics[at - 1 : at - 1 + run])
            if joined is not None:
                text = joined
                at += run - 1
                break
        print_problem(f"{path}: {label}{text}")


def _command() -> str:
    """`edi remit`: the command running."""
    ctx = click.get_current_context(silent=True)
    return f"edi {ctx.info_name}" if ctx is not None and ctx.parent is not None else "edi"


def _use_instead(found: Iterable[str]) -> str:
    """`; use edi claims` for `edi remit` given sets that another command reads."""
    command = _command()
    if command not in READ_BY.values():  # `edi cob`: each input has its place, no other command
        return ""
    others = sorted({READ_BY[t] for t in found if READ_BY.get(t, command) != command})
    return f"; use {' or '.join(others)}" if others else ""


def _other_set_line(diag: Diagnostic) -> str:
    """`segment 1 ST (line 3): 837 set 0001 skipped: edi remit reads 835s; use edi claims`: the
    set's type and control number (ST01, ST02) and where it starts, nothing of its content."""
    kind = diag.context.get("type", "")
    number = diag.context.get("control_number") or "''"
    where = f"{diag.location.describe()}: " if diag.location else ""
    reads = diag.context.get("reads", "")
    return f"{where}{kind} set {number} skipped: {_command()} reads {reads}s{_use_instead([kind])}"


def exit_code(diagnostics: list[Diagnostic]) -> int:
    """2 when the input could not be read to its end or holds no transaction set of the kind asked
    for, 1 when it has errors or sets of another type, else 0."""
    # No set of the kind at all (an 837 given to `edi remit`) leaves nothing to show: unusable, as
    # input that is not X12. Sets of the kind that could not be read are problems (1) instead, and
    # so are sets of another type beside them: part of the file was not shown.
    if is_fatal(diagnostics) or any(d.code == "guide.no_sets" for d in diagnostics):
        return EXIT_UNUSABLE
    if has_errors(diagnostics) or any(d.code == "guide.other_set" for d in diagnostics):
        return EXIT_PROBLEMS
    return EXIT_OK


class FilePath(click.Path):
    """`click.Path` that refuses an empty name: an unset shell variable (`--out "$DIR"`) would be
    the current folder, and `edi remit --format csv` would write its tables there."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value == "":
            self.fail("the name is empty", param, ctx)
        return super().convert(value, param, ctx)


def open_input(path: str) -> Path | BinaryIO:
    """The path of an input file, or a binary stream for `-` (standard input) and for a pipe given
    by name; exits 2 with a one-line message when the file cannot be read."""
    if path == "-":
        return sys.stdin.buffer
    p = Path(path)
    try:
        if p.is_dir():
            problem = "is a folder, not a file"
        elif not p.exists():
            problem = "no such file"
        elif p.is_file():
            # Opened and read once here: a file that cannot be read (no permission, an I/O error)
            # is one line now, not an error in the middle of reading it.
            with p.open("rb") as fh:
                fh.read(1)
            return p
        else:
            # A pipe: `edi remit <(gunzip -c payer.835.gz)` names /dev/fd/63, which is no regular
            # file ("no such file" before). Read once as it comes, as standard input is; closed
            # with the command.
            stream = p.open("rb")
            click.get_current_context().call_on_close(stream.close)
            return stream
    except OSError as exc:
        problem = f"cannot read: {exc.strerror or exc}"
    print_problem(f"{path}: {problem}")
    raise SystemExit(EXIT_UNUSABLE)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str))


def refuse_output_over_input(command: str, output: str, *inputs: str) -> None:
    """Exit 2 when the output file is one of the command's inputs (the same file, by any name): the
    input would be gone before anyone saw that the output was wrong (`edi build claims.json -o
    claims.json`)."""
    out = Path(output)
    if output == "-" or not out.exists():
        return
    for given in inputs:
        try:
            same = given != "-" and out.samefile(given)
        except OSError:  # an input that is no file: its own message says so
            same = False
        if same:
            print_problem(
                f"edi {command}: the output {output} is the input {given}: writing it would "
                "destroy the input; give another output file"
            )
            raise SystemExit(EXIT_UNUSABLE)


def write_output(path: Path, write: Callable[[Path], T]) -> T:
    """`write(path)`, or exit 2 with a one-line message when the file or folder cannot be written."""
    try:
        return write(path)
    except OSError as exc:
        # The file that failed (`out/claims.csv` of the folder `out`), else the output named.
        print_problem(f"{exc.filename or path}: cannot write: {exc.strerror or exc}")
        raise SystemExit(EXIT_UNUSABLE) from None


def money(value: Decimal | None) -> str:
    """Amount text for people: cents always shown, never rounded away (`150` → `150.00`)."""
    if value is None:
        return ""
    if value.is_zero():  # an amount read as -0 is no debt: shown 0.00, not -0.00
        value = value.copy_abs()
    try:
        cents = value.quantize(_CENT)
    except InvalidOperation:  # more digits than the context's 28: shown as read
        return f"{value:,f}"
    # `f`: never the exponent form (0.0000001 is not shown as 1E-7).
    return f"{cents:,}" if value == cents else f"{value:,f}"


class Checked:
    """Models checked as they stream past: each one is passed on first (a problem is reported, never
    a reason to hide the data), then its problems go to stderr, one line each, and are counted.

    `problems_of` gives (where, problem) pairs: where is the `Location` the problem was read at (a
    loop model's `read_at`), printed as reading problems are (`segment 16 CLP (line 18, loop
    2100): ...`), or None. `diagnostics`: the reader's, printed as they come, before the problems
    of the models of their set, so that stderr follows the file; `rest()` prints those after the
    last model."""

    def __init__(
        self,
        file: str,
        problems_of: Callable[[Any], Iterable[tuple[Location | None, str]]],
        diagnostics: list[Diagnostic] | None = None,
    ) -> None:
        self.file = file
        self.problems_of = problems_of
        self.count = 0
        self.diagnostics = diagnostics
        self.reported = 0  # of `diagnostics`

    def check(self, models: Iterable[T]) -> Iterator[T]:
        for model in models:
            yield model
            self._report_read()
            for where, problem in self.problems_of(model):
                at = f"{where.describe()}: " if where is not None else ""
                print_problem(f"{self.file}: {at}{problem}")
                self.count += 1

    def _report_read(self) -> None:
        if self.diagnostics is not None and len(self.diagnostics) > self.reported:
            report(self.file, self.diagnostics[self.reported :])
            self.reported = len(self.diagnostics)

    def rest(self) -> None:
        """Print the reader's diagnostics not printed yet."""
        if self.diagnostics is not None:
            report(self.file, self.diagnostics[self.reported :])
            self.reported = len(self.diagnostics)
