"""The `edi` command line: click commands over the public API. Presentation only, no X12 logic here.

Exit codes: 0 when the input is clean, 1 when problems were found, 2 when the input is unusable or an
output cannot be written.
Problems go to stderr, one line each: `FILE: segment 57 (line 57, loop 2300 claim): ...`.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

import edi
from edi.cli_common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_UNUSABLE,
    emit_json,
    exit_code,
    open_input,
    report,
)
from edi.errors import EdiError, InputError
from edi.x12.envelope import EnvelopeReader, Interchange
from edi.x12.reader import SegmentReader

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(edi.__version__, prog_name="edi")
def main() -> None:
    """Read, check and write HIPAA X12 837 claims and 835 remittances.

    An input named - is read from standard input (edi build and edi cob write the 837 to standard
    output with -o -). Problems go to stderr, one line each. Exit codes: 0 clean, 1 problems
    found (in the input, or transaction sets of another type left out), 2 input unusable (not X12,
    or no transaction set of the kind the command reads) or an output that cannot be written.
    """
    # Bytes that are not UTF-8 (a Latin-1 name, a stray control byte) are read as surrogates
    # (surrogateescape), so that they are written back unchanged; print them the same way, as the
    # bytes they came from, instead of failing on them.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="surrogateescape")


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
@click.argument("file", type=click.Path(dir_okay=False))
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
                click.echo(f"{seg.line:>7} {seg.offset:>10} {index:>6}  {seg.text()}")
    except InputError as exc:
        reader.diagnostics.append(exc.diagnostic)
    report(file, reader.diagnostics)
    sys.exit(exit_code(reader.diagnostics))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_table_or_json("json: the envelope tree and its problems.")
def envelopes(file: str, fmt: str, as_json: bool) -> None:
    """Show the interchanges, groups and transaction sets of FILE with their control numbers and
    counts, and every envelope problem found."""
    as_json = as_json or fmt == "json"
    path = open_input(file)
    reader = EnvelopeReader(path)
    for _ in reader:
        pass
    diagnostics = reader.diagnostics
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
        click.echo(f"no ISA envelope  delimiters {ic.delimiters.describe()}")
    else:
        trailer = f"IEA {'/'.join(ic.trailer.elements[1:3])}" if ic.trailer else "no IEA"
        click.echo(
            f"interchange {ic.control_number}  {ic.sender} -> {ic.receiver}  date {ic.date}  "
            f"version {ic.version}  usage {ic.usage}  {trailer}"
        )
        click.echo(f"  delimiters {ic.delimiters.describe()}")
    for g in ic.groups:
        if g.header is None:
            click.echo("  (transaction sets outside a functional group)")
        else:
            trailer = f"GE {'/'.join(g.trailer.elements[1:3])}" if g.trailer else "no GE"
            click.echo(
                f"  group {g.control_number}  {g.functional_id}  {g.sender} -> {g.receiver}  "
                f"{g.version}  {len(g.sets)} set(s)  {trailer}"
            )
        for s in g.sets:
            declared = s.declared_count if s.declared_count is not None else "no SE"
            ref = f"  {s.reference}" if s.reference else ""
            click.echo(
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
    try:
        main()
    except EdiError as exc:
        click.echo(f"edi: {exc}", err=True)
        sys.exit(EXIT_UNUSABLE)
