"""`edi claims`, `edi build`, `edi schema`: 837 claims as a table, JSON or CSV; claims JSON → 837; the
JSON Schema of the claim object (issue: 837 end to end).

Presentation only: everything comes from `edi.read_claims`, `edi.load_claims`, `edi.write_837` and the
models.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click

import edi
from edi.cli_common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_UNUSABLE,
    SPREADSHEET_SAFE_HELP,
    UNUSABLE_JSON,
    Checked,
    FilePath,
    Said,
    exit_code,
    money,
    open_input,
    print_problem,
    refuse_output_over_input,
    replace_file,
    report,
    spreadsheet_safe,
    write_output,
    write_stdout,
)
from edi.diagnostics import one_line, short_id
from edi.models.base import keep_empty_defaults
from edi.models.claim import Claim
from edi.models.common import shown_name
from edi.transactions.claim_checks import claim_part_read_at
from edi.transactions.claim_problem import ENVELOPE, KEPT_NO_DATE, KEPT_NO_NUMBER, KEPT_UNUSED
from edi.transactions.cob import Coverage
from edi.transactions.common import EnvelopeDefaults, envelope_arguments, pick_delimiters

# The CSV's columns; new ones only ever go at the end (README).
COLUMNS = (
    "id",
    "kind",
    "patient",
    "payer",
    "charge",
    "lines",
    "diagnoses",
    "facility_code",
    "frequency_code",
    "submission_reason",
)
# The table's: the issue's, with CLM05-01, CLM05-03 and CLM19 in one narrow cell (`claim_type`).
TABLE_COLUMNS = ("id", "kind", "type", "patient", "payer", "charge", "lines", "diagnoses")


def register(group: click.Group) -> None:
    """Add the 837 commands to the `edi` group."""
    group.add_command(claims)
    group.add_command(build)
    group.add_command(schema)


# -- edi claims -----------------------------------------------------------------------------------------


@click.command()
@click.argument("file", type=FilePath(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table: one line per claim; json: the claim objects (what `edi build` reads); csv: one row "
    "per claim, with the facility and frequency codes and CLM19 in columns of their own.",
)
@click.option(
    "--check/--no-check",
    default=True,
    show_default=True,
    help="Check each claim as `edi build` would before writing it (`edi.check_claims`).",
)
@click.option("--spreadsheet-safe", "safe", is_flag=True, help=SPREADSHEET_SAFE_HELP)
def claims(file: str, fmt: str, check: bool, safe: bool) -> None:
    """Show the claims of the 837s in FILE, one per claim: id, kind, type, patient, payer, charge,
    number of lines and diagnosis codes. The type is the place of service (837I: the facility type
    code) and the frequency (1 original, 7 replacement, 8 void): `11/7` is a replacement, an 837I's
    `11/1` its type of bill 111; an 837D predetermination of benefits (CLM19 PB) ends with `PB`.

    Problems go to stderr, one line each: reading problems, and what the business checks find in the
    claims read (CLM02 = Σ lines, pointers, REF*F8, NPIs, the guides' usage and repeats, COB balance;
    `--no-check` leaves those out). A transaction set of another type (an 835, a 999 beside the
    837s) is left out and said, one line each, as a problem. The exit code is 1 when there were any
    problems, 2 when the file could not be read or holds no 837 at all.
    """
    if safe and fmt != "csv":
        print_problem(f"edi claims: --spreadsheet-safe is for --format csv, not --format {fmt}")
        sys.exit(EXIT_UNUSABLE)
    path = open_input(file)
    reader = edi.read_claims(path)
    checked = None
    if check:  # a set's problems are printed together: its claims share their header
        checked = Checked(file, _located(edi.ClaimChecker()), reader.diagnostics, _header)
    listed = checked.check(reader) if checked is not None else reader
    if fmt == "json":
        _print_json(listed)
    elif fmt == "csv":
        # A value holding a CR alone is quoted as one holding a line break (one claim, one row):
        # Python's csv quotes only the characters of its line terminator.
        writer = csv.writer(sys.stdout, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for claim in listed:
            writer.writerow(row(claim, safe))
    else:
        shown = _print_table(listed)
        if not shown:
            click.echo("no 837 claim could be read")
    if checked is not None:
        checked.rest()
    else:
        report(file, reader.diagnostics)
    flagged = checked is not None and checked.count > 0
    sys.exit(max(exit_code(reader.diagnostics), EXIT_PROBLEMS if flagged else EXIT_OK))


def _located(checker: edi.ClaimChecker) -> Any:
    """The checker's problems of a claim, each placed where what it is about was read: the claim's
    CLM, line (LX), prior payer (2320 SBR) or provider (NM1), or the loop of a billing provider,
    subscriber, payer or patient the claims of a set share, whose problem is said once, not once
    for each of its claims. A date or number kept from the file read that is none is left to the
    reader, which said it where it was read (the checks say it for `write_837`)."""
    said: dict[int, tuple[object, set[str]]] = {}  # recent context models (by identity): said

    def problems_of(claim: Claim) -> list[Said]:
        out: list[Said] = []
        for model, problem in checker.placed(claim):
            if problem.code in (KEPT_NO_DATE, KEPT_NO_NUMBER):
                continue
            unused = problem.code == KEPT_UNUSED and problem.read_at is not None
            if model is claim and problem.code == ENVELOPE:
                # Of its set's envelope (GS08, ISA ...; the checker says each once): at the ST
                # (the transaction header's place), as edi remit says them, not the claim's.
                read_at = getattr(claim.header, "read_at", None) or claim.read_at
                out.append(Said(read_at, problem, unused, element=problem.element))
                continue
            if model is claim:  # at its line, prior payer or provider when it names one
                read_at = problem.read_at or claim_part_read_at(claim, problem) or claim.read_at
                text = problem.prefixed(f"claim {short_id(claim.patient_control_number)}: ")
                out.append(Said(read_at, text, unused, element=problem.element))
                continue
            entry = said.get(id(model))
            if entry is None or entry[0] is not model:  # held, so its id is not reused meanwhile
                entry = said[id(model)] = (model, set())
                if len(said) > 64:
                    del said[next(iter(said))]
            if problem not in entry[1]:
                entry[1].add(problem)
                read_at = problem.read_at or getattr(model, "read_at", None) or claim.read_at
                out.append(Said(read_at, problem, unused, element=problem.element))
        return out

    return problems_of


def _header(claim: Claim) -> object:
    """What the claims of one transaction set share: its header (`Checked.set_of`)."""
    return claim.header


def patient_name(claim: Claim) -> str:
    """`"DOE, JANE Q JR"`: the patient, or the subscriber when they are the patient; with the middle
    name and suffix, as `edi remit` shows a name (a JR and a SR of one household apart)."""
    person = claim.patient or claim.subscriber
    return shown_name(person.last_name, person.first_name, person.middle_name, person.suffix)


def row(claim: Claim, safe: bool = False) -> list[str]:
    """The CSV columns of a claim (see `COLUMNS`); `safe`: its text after an apostrophe where it
    starts as a formula does (`spreadsheet_safe`)."""
    text = spreadsheet_safe if safe else str
    return [
        text(claim.patient_control_number),
        claim.kind,
        text(patient_name(claim)),
        text(claim.payer.name),
        format(claim.total_charge, "f"),  # as read; never 1E-7
        str(len(claim.lines)),
        text(_diagnoses(claim)),
        text(claim.facility_code or ""),
        text(claim.frequency_code or ""),
        text(claim.submission_reason or ""),
    ]


def claim_type(claim: Claim) -> str:
    """`"11/7"`: CLM05-01 (place of service; 837I: facility type code) / CLM05-03 (frequency), `-`
    for a code not given; an 837I's is its type of bill (`11/1`: 111). A dental predetermination of
    benefits (CLM19 PB) is no claim for payment: `11/1 PB`."""
    text = f"{claim.facility_code or '-'}/{claim.frequency_code or '-'}"
    return f"{text} PB" if claim.is_predetermination else text


def _diagnoses(claim: Claim) -> str:
    return " ".join(c.code or c.qualifier for c in claim.diagnoses)


def _print_table(reader: Iterable[Claim]) -> int:
    # Streamed, so the widths are fixed in advance. A longer id, type, charge or count pushes the
    # row rather than being cut (a cut amount is a wrong amount); a longer name is cut, marked '…'.
    widths = (20, 13, 7, 24, 24, 12, 5)  # the type column: `11/1 PB` at most, with two-digit codes
    header = "  ".join(
        f"{c:>{w}}" if n in (5, 6) else f"{c:<{w}}"
        for n, (c, w) in enumerate(zip(TABLE_COLUMNS, widths, strict=False))
    )
    header += "  diagnoses"
    shown = 0
    for claim in reader:
        if not shown:
            click.echo(header)
        cells = [
            claim.patient_control_number,
            claim.kind,
            claim_type(claim),
            patient_name(claim),
            claim.payer.name,
            money(claim.total_charge),
            str(len(claim.lines)),
            _diagnoses(claim),
        ]
        cells = [one_line(cell) for cell in cells]  # a name's escape sequence shown, not run
        text = "  ".join(
            f"{cell:>{w}}" if n in (5, 6) else f"{_cut(cell, w) if n in (3, 4) else cell:<{w}}"
            for n, (cell, w) in enumerate(zip(cells, widths, strict=False))
        )
        click.echo(f"{text}  {cells[7]}".rstrip())
        shown += 1
    return shown


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def dump(claim: Claim) -> dict[str, Any]:
    """The JSON form of a claim: what `edi build` reads back; fields at their defaults left out,
    but for one the model would fill that the file read left empty (null, kept empty by
    `load_claims`)."""
    return keep_empty_defaults(claim, claim.model_dump(mode="json", exclude_defaults=True))


def _print_json(reader: Iterable[Claim]) -> None:
    # Streamed: one claim at a time, so a large file never sits in memory as JSON.
    first = True
    click.echo("[", nl=False)
    for claim in reader:
        text = json.dumps(dump(claim), indent=2)
        click.echo(("\n" if first else ",\n") + _indent(text), nl=False)
        first = False
    click.echo("\n]")


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


# -- edi build --------------------------------------------------------------------------------------------


# Each envelope option with the `write_837` argument it gives (--control-number gives three).
_OPTION_ARGUMENTS = {
    "sender": ("sender_id",),
    "receiver": ("receiver_id",),
    "sender_qualifier": ("sender_qualifier",),
    "receiver_qualifier": ("receiver_qualifier",),
    "application_sender": ("application_sender",),
    "application_receiver": ("application_receiver",),
    "usage": ("usage",),
    "ack_requested": ("acknowledgment_requested",),
    "control_number": (
        "interchange_control_number",
        "group_control_number",
        "set_control_number",
    ),
}
# The envelope options that go into the ISA or GS as they are typed.
_HEADER_OPTIONS = (
    "sender",
    "receiver",
    "sender_qualifier",
    "receiver_qualifier",
    "application_sender",
    "application_receiver",
)
_DEFAULTS = EnvelopeDefaults()  # what write_837 takes for an option not given
# --line-break's names for the line breaks write_837 takes (`line_break`).
_LINE_BREAK_NAMES = {"none": "", "lf": "\n", "crlf": "\r\n", "cr": "\r"}


def _envelope_option_list(kept: bool) -> tuple[Callable[[Any], Any], ...]:
    """The options of a command that writes an 837; `kept`: claims that carry an envelope (read
    from an 837) keep it, so the defaults are for the others only."""

    def option(name: str, what: str, shown: str = "", **kwargs: Any) -> Callable[[Any], Any]:
        value = getattr(_DEFAULTS, _OPTION_ARGUMENTS[name][0])
        default_shown: str | bool = shown or True  # True: click shows the default value itself
        shown = shown or str(value)
        return click.option(
            "--" + name.replace("_", "-"),
            # With `kept`, None when not typed: `write_837` then keeps the envelopes the claims
            # carry, and one typed replaces them as a whole. Otherwise there are none to keep.
            default=None if kept else value,
            # An option typed replaces the claims' envelopes whole: the others then take their
            # own defaults, not the claims' values (the batch tester read "else" as per option).
            show_default=(
                f"the claims' envelope when no envelope option is given; else {shown}"
                if kept
                else default_shown
            ),
            help=what,
            **kwargs,
        )

    return (
        click.option(
            "-o",
            "--output",
            required=True,
            type=FilePath(dir_okay=False, allow_dash=True),
            help="The 837 file (- for standard output).",
        ),
        option("sender", "ISA06 / GS02 sender id."),
        option("receiver", "ISA08 / GS03 receiver id."),
        option("sender_qualifier", "ISA05."),
        option("receiver_qualifier", "ISA07."),
        option("application_sender", "GS02, when not the sender id.", "the sender id"),
        option("application_receiver", "GS03, when not the receiver id.", "the receiver id"),
        option(
            "usage",
            "ISA15: P production, T test.",
            # edi cob: a COB claim of claims read from a test interchange is a test one.
            "" if kept else "P; T for claims read from a test interchange (ISA15 T)",
            type=click.Choice(["P", "T"]),
        ),
        option(
            "ack_requested",
            "ISA14: 1 asks the receiver for a TA1 acknowledgment, 0 does not.",
            type=click.Choice(["0", "1"]),
        ),
        option("control_number", "First ISA13 / GS06 / ST02.", type=int),
        click.option(
            "--delimiters",
            default=None,
            metavar="ERCS",
            # Claims JSON does not keep the delimiters: only `edi cob` given an 837 has any read.
            help="Element, repetition, component and segment delimiters, e.g. '|^>~' (default: "
            + (
                "'*^:~': claims JSON does not keep them)."
                if kept
                else "those of the 837 the claims were read from; else '*^:~')."
            ),
        ),
        click.option(
            "--line-break",
            type=click.Choice(list(_LINE_BREAK_NAMES)),
            default=None,
            help="The line break after each segment: none (one line), lf, crlf or cr (default: "
            + ("lf)." if kept else "that of the 837 the claims were read from; else lf)."),
        ),
        click.option(
            "--when",
            type=click.DateTime(["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]),
            default=None,
            metavar="YYYY-MM-DDTHH:MM",
            help="The date and time of the envelopes made (ISA09-10, GS04-05), e.g. for a file "
            "that must come out the same each time (default: now)."
            + (" Claims that keep the envelope they carry keep its dates." if kept else ""),
        ),
    )


def envelope_options(*, kept: bool) -> Callable[[Any], Any]:
    """The options of a command that writes an 837: output file and envelope values (`kept`: see
    `_envelope_option_list`)."""

    def add(command: Any) -> Any:
        for option in reversed(_envelope_option_list(kept)):
            command = option(command)
        return command

    return add


def _envelope_arguments(envelope: dict[str, Any]) -> dict[str, Any]:
    """The envelope options as `write_837` takes them: None for one not given."""
    return {
        argument: envelope[option]
        for option, arguments in _OPTION_ARGUMENTS.items()
        for argument in arguments
    }


def _resolved(envelope: dict[str, Any]) -> EnvelopeDefaults:
    """The envelope `write_837` makes of the options (its defaults for those not given)."""
    return envelope_arguments(None, **_envelope_arguments(envelope))[0]


def check_envelope_options(command: str, envelope: dict[str, Any]) -> None:
    """Exit 2, one line per problem, when an envelope option does not fit its ISA/GS element: the
    command line is at fault, not the claims."""
    try:
        _resolved(envelope)
    except edi.WriteError as exc:
        said: set[str] = set()
        for problem in exc.problems:
            # --control-number is the ISA13, GS06 and ST02: said once, of the option.
            if " control number (" in problem and envelope.get("control_number") is not None:
                problem = "--control-number" + problem.split(")", 1)[1] + " (ISA13, GS06, ST02)"
            if problem not in said:
                said.add(problem)
                print_problem(f"edi {command}: {problem}")
        sys.exit(EXIT_UNUSABLE)
    try:
        delimiters_option(envelope["delimiters"])
    except (ValueError, edi.EdiError) as exc:
        print_problem(f"edi {command}: --delimiters: {exc}")
        sys.exit(EXIT_UNUSABLE)
    when = envelope.get("when")
    if when is not None and when.year < 1000:  # GS04 is CCYYMMDD: four digits of year
        print_problem(
            f"edi {command}: --when: the year {when.year} has fewer than four digits (GS04)"
        )
        sys.exit(EXIT_UNUSABLE)


def delimiters_option(text: str | None) -> edi.Delimiters | None:
    """`--delimiters '|^>~'`: element, repetition, component and segment, then a line break."""
    if text is None:
        return None
    if len(text) != 4:
        raise ValueError(
            f"{text!r} is not four characters: element, repetition, component, segment"
        )
    return edi.Delimiters(text[0], text[1], text[2], text[3], "\n")


def check_option_delimiters(envelope: dict[str, Any], claims: list[Claim]) -> None:
    """Exit 2 when an envelope option (or the default it stands for) holds a delimiter of the 837
    to be written (ISA06 'S*1' would add an element to the fixed-width ISA): the command line is at
    fault, not the claims. The delimiters are those of --delimiters, else those the first claim was
    read with (`write_837`)."""
    read_with = claims[0].header.__pydantic_private__.get("_delimiters") if claims else None  # type: ignore[union-attr]
    delimiters = pick_delimiters(delimiters_option(envelope["delimiters"]), read_with, None)
    resolved = _resolved(envelope)
    ctx = click.get_current_context()
    clashes = [
        (name, value, char)
        for name in _HEADER_OPTIONS
        for value in [getattr(resolved, _OPTION_ARGUMENTS[name][0])]
        if value is not None  # GS02, GS03 not given: the ISA06, ISA08 they default to
        for char in delimiters.characters()
        if char in value
    ]
    for name, value, char in clashes:
        option = "--" + name.replace("_", "-")
        print_problem(
            f"edi {ctx.info_name}: {option}: {value!r} holds {char!r}, a delimiter of the 837 "
            "written"
        )
    if clashes:
        sys.exit(EXIT_UNUSABLE)


def write_837_file(
    source: str,
    claims: list[Claim],
    output: str,
    envelope: dict[str, Any],
    *,
    check: bool = True,
) -> None:
    """Write `claims` as an 837 with the envelope options, or report why not (exit 1; exit 2 when
    an envelope option holds a delimiter). An option given replaces the envelopes the claims carry
    (`write_837`)."""
    check_option_delimiters(envelope, claims)
    try:
        text = edi.write_837(
            claims,
            **_envelope_arguments(envelope),
            delimiters=delimiters_option(envelope["delimiters"]),
            line_break=_LINE_BREAK_NAMES.get(envelope["line_break"]),
            when=envelope["when"],
            check=check,
        )
    except edi.ClaimCheckError as exc:
        for problem in exc.problems:
            print_problem(f"{source}: {problem}")
        sys.exit(EXIT_PROBLEMS)
    except edi.WriteError as exc:  # a value holds a delimiter: one line each
        for problem in exc.problems:
            print_problem(f"{source}: {problem}")
        sys.exit(EXIT_PROBLEMS)
    try:
        # Bytes, as the file gets them: UTF-8 whatever the console's encoding (cp1252 would
        # change the bytes of a name), bytes read that were not UTF-8 as they came.
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as exc:  # a lone surrogate from JSON (`"\ud800"`), with --no-check
        print_problem(
            f"{source}: the 837 holds a character that is no text (U+{ord(exc.object[exc.start]):04X}, "
            f"a lone UTF-16 surrogate) at character {exc.start} of the 837: nothing written"
        )
        sys.exit(EXIT_PROBLEMS)
    if output == "-":  # standard output, as `-` for an input is standard input
        write_stdout(data)
        print_problem(f"wrote standard output: {len(claims)} claim(s)")
        return
    write_output(Path(output), lambda path: replace_file(path, data))
    click.echo(f"wrote {output}: {len(claims)} claim(s)")


@click.command()
@click.argument(
    "claims_json", metavar="CLAIMS.json", type=FilePath(dir_okay=False, allow_dash=True)
)
@envelope_options(kept=True)
@click.option(
    "--check/--no-check",
    default=True,
    show_default=True,
    help="Refuse claims that break a business or guide rule (`edi.check_claims`); --no-check writes "
    "them as they are (test files). The schema is always enforced.",
)
def build(claims_json: str, output: str, check: bool, **envelope: Any) -> None:
    """Make an 837 from CLAIMS.json, a JSON list of claim objects or one claim object (`edi schema
    claim`; `edi claims --format json` writes them).

    Nothing is written when a claim breaks the schema (every field at fault is named) or a business
    rule (CLM02 = Σ line charges, diagnosis pointers, REF*F8 on replacements and voids and not on
    original claims, ...); the exit code is then 1. Claims that carry an `envelope` (claims read
    from an 837) keep it, unless an envelope option is given: then every claim gets its envelope
    from the options. `--no-check` writes claims that break the rules (not the schema), such as
    test files read from another system:
    `edi claims old.837 --format json | edi build - -o new.837 --no-check`.
    """
    check_envelope_options("build", envelope)
    refuse_output_over_input("build", output, claims_json)
    source = open_input(claims_json)
    try:
        loaded = edi.load_claims(source if isinstance(source, Path) else source.read())
    except edi.ClaimValidationError as exc:
        for problem in exc.problems:
            print_problem(f"{claims_json}: {problem}")
        sys.exit(EXIT_UNUSABLE if exc.problems[0].startswith(UNUSABLE_JSON) else EXIT_PROBLEMS)
    if not loaded:  # nothing to write: unusable, as an input with no set of the kind asked for
        print_problem(f"{claims_json}: no claims in it, so no 837 is written")
        sys.exit(EXIT_UNUSABLE)
    write_837_file(claims_json, loaded, output, envelope, check=check)
    sys.exit(EXIT_OK)


# -- edi schema ---------------------------------------------------------------------------------------------


def _schemas() -> Iterator[tuple[str, Any]]:
    yield "claim", edi.Claim
    yield "remittance", edi.Remittance
    yield "coverage", Coverage


@click.command()
@click.argument("name", type=click.Choice([name for name, _ in _schemas()]))
def schema(name: str) -> None:
    """Print the JSON Schema of an object edi reads and writes: `claim` (what `edi build` reads),
    `remittance`, or `coverage` (what `edi cob --coverage` reads)."""
    model = dict(_schemas())[name]
    # The dialect pydantic writes, declared so that a validator need not guess it.
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **model.model_json_schema(),
    }
    click.echo(json.dumps(schema, indent=2))
