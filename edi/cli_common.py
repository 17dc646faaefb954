"""What the `edi` commands share: exit codes, how problems are printed, reading inputs, writing outputs.

Kept apart from `edi.cli` (which registers the commands of every module) so that each command module
can be imported on its own.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TypeVar

import click

from edi.cli_files import new_file_mode
from edi.diagnostics import (
    Diagnostic,
    Location,
    Severity,
    has_errors,
    is_error,
    is_fatal,
    one_line,
)
from edi.x12.envelope import missing_trailers_line

T = TypeVar("T")

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT: Ctrl-C, as shells report it
EXIT_OUTPUT_CLOSED = 141  # 128 + SIGPIPE: the reader of stdout went away, as for `cat`
EXIT_INTERNAL = 70  # EX_SOFTWARE of sysexits.h: a bug in edi, not a problem of the input
_CENT = Decimal("0.01")


# The command that reads each transaction type, named when another command is given it.
READ_BY = {"835": "edi remit", "837": "edi claims"}


def echo_line(text: str = "") -> None:
    """A line of a table on stdout, text read from a file in it: its control characters escaped
    (`one_line`), so that a value cannot drive the terminal (an escape sequence in a name)."""
    click.echo(one_line(text))


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
    for _, line in report_lines(path, diagnostics, warnings=warnings):
        print_problem(line)


def report_lines(
    path: Path | str, diagnostics: Iterable[Diagnostic], *, warnings: bool = True
) -> Iterator[tuple[Diagnostic, str]]:
    """The lines `report` prints, each with the (first) diagnostic it says."""
    diagnostics = list(diagnostics)
    none_of_kind = any(d.code == "guide.no_sets" for d in diagnostics)
    at = 0
    while at < len(diagnostics):
        diag = diagnostics[at]
        at += 1
        if diag.code == "guide.other_set":
            if not none_of_kind:
                yield diag, f"{path}: {_other_set_line(diag)}"
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
        yield diag, f"{path}: {label}{text}"


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
        if sys.stdin is None:  # closed (`<&-`): Python gives no stream at all
            print_problem("-: standard input is closed")
            raise SystemExit(EXIT_UNUSABLE)
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


# The JSON problems that make an input unusable (exit 2): not JSON, or JSON of another shape than a
# list of objects (`42`); others are problems of its claims (1).
UNUSABLE_JSON = ("not JSON", "expected a list of")


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str))


def write_stdout(data: bytes) -> None:
    """`data` to standard output, in chunks: one write of megabytes to a pipe whose reader goes
    away midway returns the part written, and Python lost the rest without a word (exit 0 under
    `| head`); a chunk's write then fails as a broken pipe, which exits 141."""
    sys.stdout.flush()  # what was printed before, first
    out = sys.stdout.buffer
    step = 1 << 16
    for start in range(0, len(data), step):
        out.write(data[start : start + step])
    out.flush()


def refuse_output_over_input(command: str, output: str, *inputs: str) -> None:
    """Exit 2 when the output file is one of the command's inputs (the same file, by any name, or
    standard input, `-`, redirected from it): the input would be gone before anyone saw that the
    output was wrong (`edi build claims.json -o claims.json`, `edi build - -o c.json < c.json`)."""
    out = Path(output)
    if output == "-" or not out.exists():
        return
    for given in inputs:
        try:
            if given == "-":
                stdin, written = os.fstat(0), out.stat()
                same = (stdin.st_dev, stdin.st_ino) == (written.st_dev, written.st_ino)
            else:
                same = out.samefile(given)
        except OSError:  # an input that is no file: its own message says so
            same = False
        if same:
            print_problem(
                f"edi {command}: the output {output} is the input "
                f"{given if given != '-' else 'on standard input (-)'}: writing it would "
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


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: into a file beside it, renamed over it once
    written, so that a write that fails (a full disk, a file size limit, Ctrl-C) leaves the file
    that was there, not a truncated 837 that looks usable (the batch tester). The new file gets the
    old one's permissions, or those of a file made anew. A path that is no regular file (a
    device, a named pipe: `/dev/stdout`) is written in place, and so is a file whose folder takes
    no new file; a symbolic link is followed."""
    target = path.resolve() if path.is_symlink() else path
    if target.exists() and not target.is_file():
        target.write_bytes(data)
        return
    try:
        # A name no one can guess, made anew (O_EXCL): no file or link planted there is followed.
        fd, part = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError:  # a folder that takes no new file, a file that may still be written
        target.write_bytes(data)
        return
    try:
        if hasattr(os, "fchmod"):  # by descriptor: a link swapped in for the part is not chmod-ed
            os.fchmod(fd, new_file_mode(target))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(part, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(part)
        raise


# What a spreadsheet takes for a formula at the start of a cell (OWASP's "CSV injection"; CWE-1236).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

SPREADSHEET_SAFE_HELP = (
    "With --format csv: put an apostrophe before text (a name, an id, a code) that starts with "
    "=, +, -, @, a tab or a CR, so that a spreadsheet shows it as text and never runs it as a "
    "formula. Amounts, dates and counts are written as they are. Off by default: the values then "
    "stay exactly as read, for a database."
)


# Symbols of edi's messages and tables, for a stdout that cannot show them (a Windows console
# redirected to a file is cp1252; PYTHONIOENCODING=ascii), and for CSV cells, which a spreadsheet
# may open in such a code page (Excel takes a CSV without a BOM for the ANSI code page).
PLAIN_SYMBOLS = {
    "−": "-",
    "–": "-",
    "≠": "!=",
    "Σ": "sum",
    "…": "...",
    "→": "->",
    "←": "<-",
    "↔": "<->",
    "≤": "<=",
    "≥": ">=",
    "×": "x",
    "§": "section ",
}


_PLAIN_TABLE = str.maketrans(PLAIN_SYMBOLS)


def plain_symbols(text: str) -> str:
    """`text` with each symbol of `PLAIN_SYMBOLS` spelled plainly (`≠` → `!=`)."""
    return text.translate(_PLAIN_TABLE)


def spreadsheet_safe(text: str) -> str:
    """`text` for a CSV cell a spreadsheet will open: after an apostrophe when it starts as a
    formula does (`=HYPERLINK(...)`, `@SUM(...)`), so that it is shown, not run; else as it is.

    Example:
        >>> spreadsheet_safe("=1+2"), spreadsheet_safe("DOE, JANE")
        ("'=1+2", 'DOE, JANE')
    """
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


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


class Said(NamedTuple):
    """A problem the checks found in a model, for `Checked`: where what it is about was read (a
    `Location`, or None), its text, and whether it says that the loop has no place for the segment
    read there (`DTM*472 is not used in loop 2100 ...`)."""

    where: Location | None
    text: str
    unused: bool = False
    warning: bool = False  # said as a warning (`warning: ...`), not counted as a problem
    element: str | None = None  # the element it is about (`CLM05-02`), when one


# What the reader says of a segment that the checks say more precisely when they say it is not used
# where it was read (`Said.unused`): kept as read though the model has no place for it, not a
# segment of the set or not expected there (not an ID that is no valid segment ID, IK304:1: the
# checks do not say that).
_SAID_AS_UNUSED: dict[str, tuple[str, ...] | None] = {
    "mapping.unplaced": None,
    "structure.unexpected_segment": ("IK304:6", "IK304:2"),
}


class Checked:
    """Models checked as they stream past: each one is passed on first (a problem is reported, never
    a reason to hide the data), then its problems go to stderr, one line each, and are counted.

    `problems_of` gives the checks' problems of a model (`Said`), each placed where what it is about
    was read (a loop model's `read_at`), printed as reading problems are (`segment 16 CLP (line 18,
    loop 2100): ...`). `diagnostics`: the reader's. Both are printed a transaction set at a time,
    in the order of the file (by the place of each; one without keeps the place of the line
    before), the reader's first at one segment: a set's when its last model was checked, so each
    model is a set of its own unless `set_of` gives what the models of one set share (the
    transaction header of the 837's claims). A reader's problem of a segment that the checks say
    is not used where it was read is left out: the checks say it. `rest()` prints what is left
    after the last model."""

    def __init__(
        self,
        file: str,
        problems_of: Callable[[Any], Iterable[Said]],
        diagnostics: list[Diagnostic] | None = None,
        set_of: Callable[[Any], object] | None = None,
    ) -> None:
        self.file = file
        self.problems_of = problems_of
        self.count = 0
        self.diagnostics = diagnostics
        self.set_of = set_of
        self.reported = 0  # of `diagnostics`
        self._pending: list[Said] = []  # the checks' problems of the set not printed yet
        self._set: object = None  # what the models of that set share (`set_of`)
        self._known = 0  # the reader's diagnostics when its last model was checked

    def check(self, models: Iterable[T]) -> Iterator[T]:
        for model in models:
            if self.set_of is not None:
                shared = self.set_of(model)
                if shared is not self._set:  # a new set: the last one's problems are all known
                    self._print(self._known)
                    self._set = shared
            yield model
            found = list(self.problems_of(model))
            self.count += sum(not said.warning for said in found)
            self._pending.extend(found)
            self._known = len(self.diagnostics) if self.diagnostics is not None else 0
            if self.set_of is None:
                self._print(self._known)

    def rest(self) -> None:
        """Print the problems not printed yet: the reader's after the last model, and the checks'
        of the last set."""
        self._print(len(self.diagnostics) if self.diagnostics is not None else 0)

    def _print(self, known: int) -> None:
        """Print the checks' problems not printed yet with the reader's up to `known`, in order."""
        read = self.diagnostics[self.reported : known] if self.diagnostics is not None else []
        self.reported = max(self.reported, known)
        unused = {s.where.offset for s in self._pending if s.unused and s.where is not None}
        if unused:
            read = [d for d in read if not _said_as_unused(d, unused)]
        if read:
            pending = [s for s in self._pending if not _said_by_reader(s, read)]
            self._pending[:] = pending
        lines: list[tuple[int, str]] = []
        last = -1
        for diag, line in report_lines(self.file, read):
            loc = diag.location
            if loc is not None and (loc.offset or loc.segment_index or loc.line):
                last = loc.offset
            lines.append((last, line))
        for where, text, _, warning, _ in self._pending:
            at = f"{where.describe()}: " if where is not None else ""
            kind = "warning: " if warning else ""
            line = f"{self.file}: {kind}{at}{text}"
            lines.append((where.offset if where is not None else last, line))
        self._pending.clear()
        lines.sort(key=itemgetter(0))  # stable: the reader's first, each in its own order
        for _, line in lines:
            print_problem(line)


_SERVICE_SEGMENTS = frozenset({"SV1", "SV2", "SV3"})


def _said_by_reader(said: Said, read: list[Diagnostic]) -> bool:
    """Whether the checks' `said` is of an element the reader found in error at the same segment
    (a CLM05 without its qualifier, CLM05-02): the reader's line says it, where and what it read."""
    if said.element is None or said.where is None or said.warning:
        return False
    where = said.where
    # A line's problem is placed at its LX; its SV1, SV2 or SV3 is the segment after it (2400).
    service = where.segment_id == "LX" and said.element[:3] in _SERVICE_SEGMENTS
    for diag in read:
        loc = diag.location
        if loc is None or loc.element is None:
            continue
        if loc.offset != where.offset and not (
            service
            and loc.segment_id == said.element[:3]
            and loc.segment_index == where.segment_index + 1
        ):
            continue
        ours, theirs = said.element, loc.element
        same = ours == theirs or ours.startswith(theirs + "-") or theirs.startswith(ours + "-")
        if same and is_error(diag):
            return True
    return False


def _said_as_unused(diag: Diagnostic, unused: set[int]) -> bool:
    """Whether the reader's `diag` is of a segment the checks say is not used (at `unused`)."""
    loc = diag.location
    if loc is None or loc.element is not None or loc.offset not in unused:
        return False
    acks = _SAID_AS_UNUSED.get(diag.code, ())
    return acks is None or diag.ack in acks
