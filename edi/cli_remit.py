"""`edi remit`: 835 remittances as a table, JSON (the models) or flat CSV tables (issue: 835 end to end).

Presentation only: everything comes from `edi.read_remittances`, the models and their checks
(`edi.transactions.remit_checks`, which `edi.check_remittances` runs).
"""

from __future__ import annotations

import csv
import errno
import itertools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import click
from pydantic import BaseModel

import edi
from edi import codes
from edi.cli_common import (
    EXIT_PROBLEMS,
    EXIT_UNUSABLE,
    SPREADSHEET_SAFE_HELP,
    Checked,
    FilePath,
    Said,
    echo_line,
    exit_code,
    money,
    open_input,
    plain_symbols,
    print_problem,
    refuse_output_over_input,
    spreadsheet_safe,
    write_output,
)
from edi.cli_files import ReplacedTogether
from edi.diagnostics import Diagnostic, one_line
from edi.models.common import Party
from edi.models.remittance import ClaimPayment, Remittance
from edi.transactions.remit835 import (
    PLAIN_AMOUNT,
    UnreadSet,
    balance_findings,
    balance_warning_findings,
    balances_with_unread,
)
from edi.transactions.remit_checks import RemittanceChecker, unsaid

_GROUP_ORDER = ("CO", "PR", "OA", "PI")


def register(group: click.Group) -> None:
    """Add the 835 commands to the `edi` group."""
    group.add_command(remit)


@click.command()
@click.argument("file", type=FilePath(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table: one line per claim; json: the models; csv: flat tables in a folder.",
)
@click.option(
    "-o",
    "--out",
    "--output",
    "output",
    type=FilePath(file_okay=False),
    help="Folder for --format csv (default: FILE's name + '-csv' in the current folder).",
)
@click.option(
    "--check/--no-check",
    default=True,
    show_default=True,
    help="Check each remittance against 005010X221A1 as `edi.check_remittances` does; "
    "--no-check leaves out those rules, not the balancing.",
)
@click.option("--spreadsheet-safe", "safe", is_flag=True, help=SPREADSHEET_SAFE_HELP)
def remit(file: str, fmt: str, output: str | None, check: bool, safe: bool) -> None:
    """Show the 835 remittances in FILE: what was paid for each claim, and why.

    The table lists per claim the patient control number, its status, charge, paid amount, patient
    responsibility and adjustments by group (claim and line level together), then the provider-level
    adjustments (PLB) and the total paid (BPR02). The csv tables are remittances, claims,
    claim_amounts, claim_references, services, adjustments, provider_adjustments,
    claim_quantities, service_references, service_amounts, service_quantities, remarks (one row
    per MIA, MOA or LQ remark code), header_numbers (LX, TS3, TS2), inpatient_adjudications (MIA),
    outpatient_adjudications (MOA), unread_claims (claim payments of a set that could not be
    read; the set's other claims are), party_references (the payer's and payee's REF: REF*2U
    payer id, REF*TJ TIN), contacts (PER of the payer and of claims) and unread_sets (835 sets
    that could not be read); rows join on remittance, claim and service.

    Problems go to stderr, one line each, placed where what they are about was read: reading
    problems; what `edi.check_remittances` finds, as `write_835` would refuse it: the rules of
    005010X221A1 (required segments and elements, code lists, sizes, characters, NPI check digits,
    the envelope; `--no-check` leaves those out) and every balancing rule a remittance breaks (line,
    claim, claim vs lines, BPR02, PLB interest, zero-dollar PLB adjustments;
    `edi.balance_problems`), which are checked with `--no-check` too. A transaction set of another
    type (an 837 beside the 835s) is left out and said, one line each, as a problem. The exit code
    is 1 when there were any problems, 2 when the file could not be read or holds no 835 at all.
    """
    if safe and fmt != "csv":
        print_problem(f"edi remit: --spreadsheet-safe is for --format csv, not --format {fmt}")
        sys.exit(EXIT_UNUSABLE)
    if output is not None and fmt != "csv":
        # Not ignored: the user would look for tables that were never written.
        print_problem(f"edi remit: --out is for --format csv; --format {fmt} prints to stdout")
        sys.exit(EXIT_UNUSABLE)
    if output == "-":
        # `-` is standard input or output elsewhere: a folder so named would hide standard input
        # from every later `edi ... -` run in this folder.
        print_problem("edi remit: --out - is no folder: the csv tables are files; name a folder")
        sys.exit(EXIT_UNUSABLE)
    folder = Path(output) if output else Path(f"{Path(file).name if file != '-' else 'stdin'}-csv")
    if fmt == "csv":
        for table in TABLES:  # an input named as a table in the folder: it would be replaced
            refuse_output_over_input("remit", str(folder / f"{table}.csv"), file)
    path = open_input(file)
    reader = edi.read_remittances(path)
    checker = RemittanceChecker(guide=check)
    checked = Checked(file, _located(checker, reader.diagnostics), reader.diagnostics)
    remittances = checked.check(reader)
    unread = None  # said on stdout when no remittance could be read
    if fmt == "table":
        read = _print_tables(remittances, reader.unread_sets)
        if not read:
            unread = "no 835 remittance could be read"
    elif fmt == "json":
        _print_json(remittances)
    else:
        # The folder's tables are replaced, but not by empty ones when nothing could be read (an
        # 837 given by mistake): that would wipe the tables of the last good run. An 835 set not
        # read still has its row in unread_sets, with the payment it reports: a deposit that has
        # no posting, which a file of one set must not lose.
        first = next(remittances, None)
        if first is None and not reader.unread_sets:
            unread = f"no 835 remittance could be read: nothing written to {folder}/"
        else:
            rows = itertools.chain([first] if first is not None else [], remittances)
            counts = write_output(
                folder,
                lambda folder: write_csv(rows, folder, reader.unread_sets, safe=safe),
            )
            written = ", ".join(f"{name} {n}" for name, n in counts.items())
            click.echo(f"wrote {folder}/: {written}")
    checked.rest()
    if unread:
        click.echo(unread)
    sys.exit(max(exit_code(reader.diagnostics), EXIT_PROBLEMS if checked.count else 0))


def _located(
    checker: RemittanceChecker, read: list[Diagnostic]
) -> Callable[[Remittance], list[Said]]:
    """The checker's problems of each remittance in turn, each placed where what it is about was
    read: the segment kept as read it is about (`Finding.read_at`), else its model
    (`Finding.about`); those of an element the reader said already (`read`, the reader's
    diagnostics) are left out."""
    seen = 0  # of `read`: those of the sets before

    def problems_of(remit: Remittance) -> list[Said]:
        nonlocal seen
        found = unsaid(checker.placed(remit), remit, read[seen:])
        seen = len(read)
        said = [
            Said(f.read_at or f.about.read_at or remit.read_at, f.problem, f.unused) for f in found
        ]
        st02 = remit.envelope.set_control_number if remit.envelope else None
        name = f"835 {st02}" if st02 else "835"
        for where, what, model in balance_warning_findings(remit):
            text = f"{name} {where}: {what}"
            said.append(Said(model.read_at or remit.read_at, text, warning=True))
        return said

    return problems_of


# -- table ----------------------------------------------------------------------------------------


def _adjustment_text(claim: ClaimPayment) -> str:
    totals = claim.adjustments_by_group()
    ordered = sorted(totals, key=lambda g: (_GROUP_ORDER + (g,)).index(g))
    return "  ".join(f"{g} {money(totals[g])}" for g in ordered)


def _print_tables(remittances: Iterable[Remittance], unread_sets: list[UnreadSet]) -> int:
    """Each remittance's block, and each unread set's (`unread_sets`, as the reader lists them)
    where it is in the file: the reader lists a set it skips before it gives the next one read
    (they had all come after the sets read: the batch tester). How many remittances were read."""
    read = blocks = shown = 0
    for remit in remittances:
        blocks = _print_unread_sets(unread_sets[shown:], blocks)
        shown = len(unread_sets)
        if blocks:
            echo_line("")
        _print_remittance(remit)
        blocks += 1
        read += 1
    _print_unread_sets(unread_sets[shown:], blocks)
    return read


def _iso_date(text: str | None) -> str | None:
    """A CCYYMMDD date as YYYY-MM-DD; None when it is none."""
    try:
        return datetime.strptime(text or "", "%Y%m%d").date().isoformat()
    except ValueError:
        return None


def _print_unread_sets(unread_sets: Iterable[UnreadSet], after: int) -> int:
    """A block for each 835 set not read, with the payment it reports (its text as read): a deposit
    that has no posting (the problems say why). `after`: the blocks printed before; returns the
    blocks printed then."""
    n = after
    for n, unread in enumerate(unread_sets, after + 1):
        if n > 1:
            echo_line("")
        # Its text as read, shown as a read set's is where it is a valid amount, code or date.
        amount = unread.payment_amount
        number = amount is not None and PLAIN_AMOUNT.fullmatch(amount) is not None
        shown = money(Decimal(amount)) if number else ""  # type: ignore[arg-type]
        parts = [f"payment {shown}" if number else "no payment amount read (BPR02)"]
        credit_debit = codes.CREDIT_DEBIT.get(unread.credit_debit or "")
        if credit_debit:
            parts.append(credit_debit)
        method = codes.PAYMENT_METHODS.get(unread.payment_method or "")
        if method:  # a check and an ACH of one amount and day are two deposits (x12-notes §9.1.2)
            parts.append(f"by {method}")
        when = _iso_date(unread.payment_date)
        if when:
            parts.append(f"on {when}")
        trace = f", trace {unread.trace_number}" if unread.trace_number else ""
        echo_line(f"835 {unread.set_control_number}  not read (line {unread.line}): nothing posted")
        echo_line(f"{' '.join(parts)}{trace}")
    return n


def _print_remittance(remit: Remittance) -> None:
    pay, payer, payee = remit.payment, remit.payer, remit.payee
    st02 = remit.envelope.set_control_number if remit.envelope else ""
    # N103 and N104 go together, but a file may lack the qualifier: never shown as "None".
    payee_id = " ".join(part for part in (payee.id_qualifier, payee.id) if part)
    payee_id = f" ({payee_id})" if payee.id else ""
    echo_line(f"835 {st02}  {payer.name} -> {payee.name}{payee_id}".rstrip())
    when = f" on {pay.date.isoformat()}" if pay.date else ""
    echo_line(
        f"payment {money(pay.amount)} {codes.name(codes.CREDIT_DEBIT, pay.credit_debit)} "
        f"by {pay.method_name}{when}, trace {remit.trace.number}"
    )
    rows = [
        (
            claim.patient_control_number,
            f"{claim.status} {claim.status_name}",
            money(claim.charge),
            money(claim.paid),
            money(claim.patient_responsibility),
            _adjustment_text(claim),
        )
        for claim in remit.claims
    ]
    echo_line("")
    _print_claim_rows(rows)
    # The claims that do not balance, said under the rows as on stderr: a table read alone must
    # not look clean (the posting tester).
    for said in _balance_by_claim(remit)[1].values():
        for problem in said:
            echo_line(f"does not balance: {problem}")
    for unread in remit.unread_claims:  # why: the problems on stderr
        paid = f", CLP04 {money(unread.paid)}" if unread.paid is not None else ""
        name = unread.patient_control_number or "(no CLP01)"
        echo_line(f"not read: {name} (segment {unread.segment}{paid})")
    if remit.provider_adjustments:
        echo_line("")
        echo_line("provider adjustments (PLB)")
        for adj in remit.provider_adjustments:
            ref = f" {adj.reference}" if adj.reference else ""
            echo_line(
                f"  {adj.provider_id}  {adj.fiscal_period_date.isoformat()}  {adj.reason} "
                f"{adj.reason_name}{ref}  {money(adj.amount)}"
            )
    claims_total = sum((c.paid for c in remit.claims), Decimal(0))
    plb_total = sum((p.amount for p in remit.provider_adjustments), Decimal(0))
    echo_line("")
    # A debit (BPR03 D) is money back to the payer: BPR02 counts as negative (x12-notes §8.1 rule 4,
    # unverified there), so a set whose only claim is a reversal of −80 balances with BPR*I*80*D.
    debit = ", debit" if pay.is_debit else ""
    not_read = f", {len(remit.unread_claims)} claim(s) not read" if remit.unread_claims else ""
    echo_line(
        f"total paid (BPR02{debit}) {money(pay.signed_amount)}: {len(remit.claims)} claim(s) paid "
        f"{money(claims_total)}, provider adjustments {money(plb_total)}{not_read}"
    )
    if remit.total_paid != pay.signed_amount and not balances_with_unread(remit):
        off = abs(pay.signed_amount - remit.total_paid)
        echo_line(
            f"  does not balance: claims − provider adjustments = {money(remit.total_paid)} ≠ "
            f"BPR02 {money(pay.signed_amount)} (off by {money(off)})"
        )


def _print_claim_rows(rows: Sequence[tuple[str, ...]]) -> None:
    if not rows:  # a set of PLB adjustments only (or of claims not read): no header over nothing
        echo_line("no claims")
        return
    rows = [tuple(one_line(cell) for cell in row) for row in rows]  # widths of what is shown
    header = ("claim", "status", "charge", "paid", "patient resp", "adjustments")  # CLP05
    right = (False, False, True, True, True, False)
    widths = [max([len(header[i]), *(len(r[i]) for r in rows)]) for i in range(len(header))]
    for row in (header, *rows):
        cells = [
            (c.rjust(w) if r else c.ljust(w)) for c, w, r in zip(row, widths, right, strict=True)
        ]
        echo_line("  ".join(cells).rstrip())


# -- json -----------------------------------------------------------------------------------------


def _print_json(remittances: Iterable[Remittance]) -> None:
    # One remittance at a time, a claim at a time: a large file or set never sits in memory as one
    # JSON document.
    click.echo("[", nl=False)
    for n, remit in enumerate(remittances):
        click.echo(",\n" if n else "\n", nl=False)
        for part in remittance_json(remit):
            click.echo(part, nl=False)
    click.echo("\n]")


# The `claims` key of a remittance dumped with no claims, as `json.dumps(..., indent=2)` writes it at
# the remittance's own level: a newline in a value is escaped, so no other text reads so.
_NO_CLAIMS = '\n  "claims": []'


def remittance_json(remit: Remittance) -> Iterator[str]:
    """`json.dumps(remit.model_dump(mode="json"), indent=2)` in parts, a claim at a time: dumped whole,
    a set of 20,000 claims took 0.98 GB, against 0.58 GB for the rest of `edi remit`."""
    if not remit.claims:
        yield json.dumps(remit.model_dump(mode="json"), indent=2)
        return
    data = remit.model_dump(mode="json", exclude={"claims"})
    # Every field in its place, the claims as none, so that the text around them is as dumped whole.
    data = {name: [] if name == "claims" else data[name] for name in type(remit).model_fields}
    head, tail = json.dumps(data, indent=2).split(_NO_CLAIMS)
    yield head + '\n  "claims": ['
    for n, claim in enumerate(remit.claims):
        text = json.dumps(claim.model_dump(mode="json"), indent=2)
        yield ("," if n else "") + "\n    " + text.replace("\n", "\n    ")  # at the claims' depth
    yield "\n  ]" + tail


# -- csv ------------------------------------------------------------------------------------------

# Columns that are the fields of a model, named as its fields: each row takes them by these names
# (`_fields`). Listed here rather than taken from the model, so that a field the model gains is added
# at the end of its table, never between the columns a reader already has.
_BANK = (  # BPR05-15: Payment's fields that the first columns of `remittances` leave out
    "format",
    "sender_dfi_qualifier",
    "sender_dfi_id",
    "sender_account_qualifier",
    "sender_account",
    "payer_identifier",
    "originating_company_code",
    "receiver_dfi_qualifier",
    "receiver_dfi_id",
    "receiver_account_qualifier",
    "receiver_account",
)
_CONTACT = (  # PER, as named in the model
    "function",
    "name",
    "qualifier_1",
    "number_1",
    "qualifier_2",
    "number_2",
    "qualifier_3",
    "number_3",
)
_PROVIDER_SUMMARY = (  # TS3
    "provider_id",
    "facility_type",
    "fiscal_period_date",
    "claim_count",
    "total_charge",
    "msp_payer_amount",
    "non_lab_charge",
    "hcpcs_reported_charge",
    "hcpcs_payable",
    "professional_component",
    "msp_patient_liability_met",
    "patient_reimbursement",
    "pip_claim_count",
    "pip_adjustment",
)
_SUPPLEMENTAL_SUMMARY = (  # TS2
    "drg_amount",
    "federal_specific_amount",
    "hospital_specific_amount",
    "disproportionate_share_amount",
    "capital_amount",
    "indirect_medical_education_amount",
    "outlier_day_count",
    "day_outlier_amount",
    "cost_outlier_amount",
    "average_drg_length_of_stay",
    "discharge_count",
    "cost_report_day_count",
    "covered_day_count",
    "noncovered_day_count",
    "msp_pass_through_amount",
    "average_drg_weight",
    "pps_capital_fsp_drg_amount",
    "pps_capital_hsp_drg_amount",
    "pps_dsh_drg_amount",
)
_INPATIENT = (  # MIA
    "covered_days",
    "pps_operating_outlier_amount",
    "lifetime_psychiatric_days",
    "drg_amount",
    "remarks",
    "disproportionate_share_amount",
    "msp_pass_through_amount",
    "pps_capital_amount",
    "pps_capital_fsp_drg_amount",
    "pps_capital_hsp_drg_amount",
    "pps_capital_dsh_drg_amount",
    "old_capital_amount",
    "pps_capital_ime_amount",
    "pps_operating_hospital_specific_drg_amount",
    "cost_report_day_count",
    "pps_operating_federal_specific_drg_amount",
    "pps_capital_outlier_amount",
    "indirect_teaching_amount",
    "nonpayable_professional_component",
    "pps_capital_exception_amount",
)
_OUTPATIENT = (  # MOA
    "reimbursement_rate",
    "hcpcs_payable_amount",
    "remarks",
    "esrd_payment_amount",
    "nonpayable_professional_component",
)
# The first columns of a table of the claim's: its remittance, set and claim.
_CLAIM_KEY = ("remittance", "set_control_number", "claim", "patient_control_number")

TABLES: dict[str, tuple[str, ...]] = {
    "remittances": (
        "remittance",
        "set_control_number",
        "payer_name",
        "payer_id",
        "payee_name",
        "payee_id_qualifier",
        "payee_id",
        "handling",
        "amount",
        "credit_debit",
        "method",
        "payment_date",
        "trace_number",
        "production_date",
        "claims",
        "trace_payer_id",
        *_BANK,
        # The header's other values, then the envelope's numbers (a 999 answers with them; ST02
        # alone repeats across files: payers number every set 0001).
        "currency",
        "trace_originating_company_code",
        "receiver_id",
        "version_id",
        "interchange_control_number",
        "group_control_number",
        # The balancing rules the set breaks (x12-notes §8.1: BPR02, PLB L6 interest, a PLB of
        # 0), "; " between them; empty when it balances. Its claims' are on their rows.
        "balance",
    ),
    "claims": (
        "remittance",
        "claim",
        "header_number",
        "patient_control_number",
        "status",
        "status_name",
        "charge",
        "paid",
        "patient_responsibility",
        "filing_indicator",
        "payer_claim_control_number",
        "facility_type",
        "frequency",
        "patient_name",
        "patient_id",
        "insured_id",
        "statement_from",
        "statement_to",
        "received_date",
        "remarks",
        "set_control_number",
        "trace_number",
        "trace_payer_id",
        "rendering_provider_id_qualifier",
        "rendering_provider_id",
        "drg_code",
        "drg_weight",
        "discharge_fraction",
        "crossover_carrier_name",
        "crossover_carrier_id_qualifier",
        "crossover_carrier_id",
        "corrected_priority_payer_name",
        "corrected_priority_payer_id_qualifier",
        "corrected_priority_payer_id",
        "coverage_expiration",
        "insured_name",  # NM1*IL
        "corrected_name",  # NM1*74: the payer's correction of the patient's or insured's name and id
        "corrected_id",
        "other_subscriber_name",  # NM1*GB
        "other_subscriber_id",
        # The balancing rules the claim and its lines break (`edi.balance_problems`), "; " between
        # them; empty when it balances: a sheet of the folder shows which claim not to post.
        "balance",
    ),
    # AMT and REF repeat per claim with open-ended qualifiers (AMT: AU, D8, DY, F5, I, NL, T, T2,
    # ZK-ZO; REF: 1L, EA, F8, G1, 0B, ... up to 15), so one row per segment rather than a column per
    # qualifier: the header never changes when a payer sends a qualifier not listed, a REF qualifier
    # that occurs twice keeps both values, and a poster sums or looks up by qualifier (I = interest).
    "claim_amounts": (*_CLAIM_KEY, "qualifier", "amount"),
    "claim_references": (*_CLAIM_KEY, "qualifier", "value"),
    "services": (
        "remittance",
        "claim",
        "service",
        "patient_control_number",
        "qualifier",
        "code",
        "modifiers",
        "charge",
        "paid",
        "revenue_code",
        "units",
        "original_code",
        "original_units",
        "service_date",
        "start_date",
        "end_date",
        "line_control_number",
        "allowed",
        "remarks",
        "set_control_number",
        "original_qualifier",
        "original_modifiers",
        "original_description",
    ),
    "adjustments": (
        "remittance",
        "claim",
        "service",
        "patient_control_number",
        "level",
        "group",
        "group_name",
        "reason",
        "amount",
        "quantity",
        "set_control_number",
        "segment",  # the CAS of its loop (claim or line) that holds it, from 1: one CAS, one number
        # Its place among the adjustments of its claim or line, from 1: two alike (CAS*CO*45*10**
        # 45*10) are two rows, which a load keyed on the columns above would take for one.
        "adjustment",
    ),
    "provider_adjustments": (
        "remittance",
        "provider_id",
        "fiscal_period_date",
        "reason",
        "reason_name",
        "reference",
        "amount",
        "set_control_number",
        "segment",  # the PLB of the set that holds it, from 1: adjustments of one PLB share it
        "adjustment",  # its place among the set's provider adjustments, from 1 (as above)
    ),
    # Tables added after the first release come last. QTY: CA covered days, CD co-insured days,
    # LA lifetime reserve days, ... (one row per segment, as AMT).
    "claim_quantities": (*_CLAIM_KEY, "qualifier", "quantity"),
    # A line's REF, AMT and QTY, one row per segment as for the claim's: every one, the line item
    # control number (6R) and the allowed amount (B6) of `services` included, so that a lookup by
    # qualifier needs one table.
    "service_references": (
        "remittance",
        "set_control_number",
        "claim",
        "service",
        "patient_control_number",
        "qualifier",
        "value",
    ),
    "service_amounts": (
        "remittance",
        "set_control_number",
        "claim",
        "service",
        "patient_control_number",
        "qualifier",
        "amount",
    ),
    "service_quantities": (
        "remittance",
        "set_control_number",
        "claim",
        "service",
        "patient_control_number",
        "qualifier",
        "quantity",
    ),
    # One row per remark code, which `claims.remarks` and `services.remarks` join in one cell: the
    # claim's from MIA (MIA05, MIA20-23) and MOA (MOA03-07), RARCs without a qualifier; a line's
    # from LQ, with its qualifier (HE: a RARC, RX: an NCPDP reject code).
    "remarks": (
        "remittance",
        "set_control_number",
        "claim",
        "service",
        "patient_control_number",
        "level",
        "segment",
        "qualifier",
        "code",
    ),
    # One row per 2000 loop: LX01, which `claims.header_number` holds too, and its TS3 and TS2
    # (empty cells for a segment the loop lacks).
    "header_numbers": (
        "remittance",
        "set_control_number",
        "header_number",
        *_PROVIDER_SUMMARY,
        *_SUPPLEMENTAL_SUMMARY,
    ),
    # One row per claim with an MIA, or with an MOA: every element; `remarks` joins the remark codes
    # in one cell, as `claims.remarks` does.
    "inpatient_adjudications": (*_CLAIM_KEY, *_INPATIENT),
    "outpatient_adjudications": (*_CLAIM_KEY, *_OUTPATIENT),
    # One row per claim payment of a set that was not read (`Remittance.unread_claims`): the
    # remittance is incomplete, and BPR02 counts what these claims were paid.
    "unread_claims": (
        "remittance",
        "set_control_number",
        "patient_control_number",
        "paid",
        "segment",
        "reason",
    ),
    # One row per REF of the payer (1000A: 2U payer id, EO, HI, NF) and payee (1000B: TJ TIN, PQ,
    # D3, 0B): the payer's id may be in REF*2U alone, not in N104.
    "party_references": ("remittance", "set_control_number", "party", "qualifier", "value"),
    # One row per PER: the payer's (CX business, BL technical, IC web site) and a claim's (CX).
    "contacts": (
        "remittance",
        "set_control_number",
        "level",
        "claim",
        "patient_control_number",
        *_CONTACT,
    ),
    # One row per 835 set of the file that did not become a remittance (its problems on stderr
    # say why): the remittances are numbered without it.
    "unread_sets": (
        "set_control_number",
        "interchange_control_number",
        "group_control_number",
        "line",
        "reason",
        # The payment it reports, as read (`UnreadSet`): the deposit that has no posting.
        "payment_amount",
        "credit_debit",
        "payment_date",
        "trace_number",
        "payer_id",
        "payment_method",
    ),
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # remark codes: those read, as `claims.remarks` joins them
        return " ".join(_text(v) for v in value if v)
    if isinstance(value, Decimal):
        return format(value, "f")
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _fields(model: BaseModel | None, names: tuple[str, ...]) -> list[Any]:
    """The values of a model's fields `names`, in that order; all None for a model that is absent."""
    return [None if model is None else getattr(model, name) for name in names]


def _name_and_id(party: Party | None) -> tuple[str | None, str | None]:
    """A party's full name and its id (NM109), both None without one."""
    return (party.full_name, party.id) if party is not None else (None, None)


def _envelope_numbers(remit: Remittance) -> tuple[str | None, str | None]:
    """ISA13 and GS06 of the interchange and group the remittance was read from (None when made
    in code, or read without them)."""
    envelope = remit.envelope
    if envelope is None:
        return None, None
    isa, gs = envelope.interchange, envelope.group
    return (isa.control_number if isa else None, gs.control_number if gs else None)


def _rows(
    remittances: Iterable[Remittance], unread_sets: Iterable[UnreadSet] = ()
) -> Iterator[tuple[str, list[Any]]]:
    """(table, row) for every row of every table, one remittance at a time; then `unread_sets`
    (the reader's list, complete once the remittances are read)."""
    yield from _remittance_rows(remittances)
    for unread in unread_sets:
        yield (
            "unread_sets",
            [
                unread.set_control_number,
                unread.interchange_control_number,
                unread.group_control_number,
                unread.line,
                unread.reason,
                unread.payment_amount,
                unread.credit_debit,
                unread.payment_date,
                unread.trace_number,
                unread.payer_id,
                unread.payment_method,
            ],
        )


def _balance_by_claim(remit: Remittance) -> tuple[list[str], dict[int, list[str]]]:
    """The balancing problems of `remit` (`balance_findings`): the set's, and each claim's (its
    lines' included) by its place in `claims` (from 1)."""
    # By the model each is about: a claim, or one of its service lines.
    place = {
        id(model): c
        for c, claim in enumerate(remit.claims, 1)
        for model in (claim, *claim.services)
    }
    own: list[str] = []
    claims: dict[int, list[str]] = {}
    for where, what, about in balance_findings(remit):
        c = place.get(id(about)) if where else None  # "": a rule of the set (PLB L6 interest)
        if c is None:
            own.append(f"{where}: {what}" if where else what)
        else:
            claims.setdefault(c, []).append(f"{where}: {what}")
    return own, claims


def _remittance_rows(remittances: Iterable[Remittance]) -> Iterator[tuple[str, list[Any]]]:
    for r, remit in enumerate(remittances, 1):
        pay = remit.payment
        set_balance, claim_balance = _balance_by_claim(remit)
        st02 = remit.envelope.set_control_number if remit.envelope else None
        trace = remit.trace
        yield (
            "remittances",
            [
                r,
                st02,
                remit.payer.name,
                remit.payer.id,
                remit.payee.name,
                remit.payee.id_qualifier,
                remit.payee.id,
                pay.handling,
                pay.amount,
                pay.credit_debit,
                pay.method,
                pay.date,
                remit.trace.number,
                remit.production_date,
                len(remit.claims),
                trace.payer_id,
                *_fields(pay, _BANK),
                remit.currency,
                trace.originating_company_code,
                remit.receiver_id,
                remit.version_id,
                *_envelope_numbers(remit),
                plain_symbols("; ".join(set_balance)),
            ],
        )
        for party, level in ((remit.payer, "payer"), (remit.payee, "payee")):
            for ref in party.references:
                yield "party_references", [r, st02, level, ref.qualifier, ref.value]
        for contact in remit.payer.contacts:
            yield "contacts", [r, st02, "payer", None, None, *_fields(contact, _CONTACT)]
        for header in remit.header_numbers:
            yield (
                "header_numbers",
                [r, st02, header.number]
                + _fields(header.provider_summary, _PROVIDER_SUMMARY)
                + _fields(header.supplemental_summary, _SUPPLEMENTAL_SUMMARY),
            )
        for c, claim in enumerate(remit.claims, 1):
            pcn = claim.patient_control_number
            patient = claim.patient
            rendering = claim.rendering_provider
            crossover, priority = claim.crossover_carrier, claim.corrected_priority_payer
            yield (
                "claims",
                [
                    r,
                    c,
                    claim.header_number,
                    pcn,
                    claim.status,
                    claim.status_name,
                    claim.charge,
                    claim.paid,
                    claim.patient_responsibility,
                    claim.filing_indicator,
                    claim.payer_claim_control_number,
                    claim.facility_type,
                    claim.frequency,
                    patient.full_name if patient else None,
                    patient.id if patient else None,
                    claim.insured.id if claim.insured else None,
                    claim.statement_from,
                    claim.statement_to,
                    claim.received_date,
                    " ".join(claim.remarks),
                    st02,
                    trace.number,
                    trace.payer_id,
                    rendering.id_qualifier if rendering else None,
                    rendering.id if rendering else None,
                    claim.drg_code,
                    claim.drg_weight,
                    claim.discharge_fraction,
                    crossover.name if crossover else None,
                    crossover.id_qualifier if crossover else None,
                    crossover.id if crossover else None,
                    priority.name if priority else None,
                    priority.id_qualifier if priority else None,
                    priority.id if priority else None,
                    claim.coverage_expiration,
                    claim.insured.full_name if claim.insured else None,
                    *_name_and_id(claim.corrected_name),
                    *_name_and_id(claim.other_subscriber),
                    plain_symbols("; ".join(claim_balance.get(c, ()))),
                ],
            )
            for contact in claim.contacts:
                yield "contacts", [r, st02, "claim", c, pcn, *_fields(contact, _CONTACT)]
            for qualifier, amount in claim.amounts.items():
                yield "claim_amounts", [r, st02, c, pcn, qualifier, amount]
            for ref in claim.references:
                yield "claim_references", [r, st02, c, pcn, ref.qualifier, ref.value]
            for qualifier, quantity in claim.quantities.items():
                yield "claim_quantities", [r, st02, c, pcn, qualifier, quantity]
            for segment, adjudication, table, columns in (
                ("MIA", claim.inpatient, "inpatient_adjudications", _INPATIENT),
                ("MOA", claim.outpatient, "outpatient_adjudications", _OUTPATIENT),
            ):
                if adjudication is None:
                    continue
                yield table, [r, st02, c, pcn, *_fields(adjudication, columns)]
                for code in adjudication.remarks:
                    if code:
                        yield "remarks", [r, st02, c, None, pcn, "claim", segment, None, code]
            for a, adj in enumerate(claim.adjustments, 1):
                yield (
                    "adjustments",
                    [r, c, None, pcn, "claim", adj.group, adj.group_name, adj.reason]
                    + [adj.amount, adj.quantity, st02, adj.segment, a],
                )
            for s, svc in enumerate(claim.services, 1):
                yield (
                    "services",
                    [
                        r,
                        c,
                        s,
                        pcn,
                        svc.qualifier,
                        svc.code,
                        ":".join(svc.modifiers),
                        svc.charge,
                        svc.paid,
                        svc.revenue_code,
                        svc.units,
                        svc.original_code,
                        svc.original_units,
                        svc.service_date,
                        svc.start_date,
                        svc.end_date,
                        svc.line_control_number,
                        svc.allowed,
                        " ".join(f"{m.qualifier}:{m.code}" for m in svc.remarks),
                        st02,
                        svc.original_qualifier,
                        ":".join(svc.original_modifiers),
                        svc.original_description,
                    ],
                )
                for a, adj in enumerate(svc.adjustments, 1):
                    yield (
                        "adjustments",
                        [r, c, s, pcn, "service", adj.group, adj.group_name, adj.reason]
                        + [adj.amount, adj.quantity, st02, adj.segment, a],
                    )
                at = [r, st02, c, s, pcn]
                if svc.line_control_number is not None:
                    yield "service_references", [*at, "6R", svc.line_control_number]
                for ref in svc.references:
                    yield "service_references", [*at, ref.qualifier, ref.value]
                if svc.allowed is not None:
                    yield "service_amounts", [*at, "B6", svc.allowed]
                for qualifier, amount in svc.amounts.items():
                    yield "service_amounts", [*at, qualifier, amount]
                for qualifier, quantity in svc.quantities.items():
                    yield "service_quantities", [*at, qualifier, quantity]
                for remark in svc.remarks:
                    yield "remarks", [*at, "service", "LQ", remark.qualifier, remark.code]
        for unread in remit.unread_claims:
            yield (
                "unread_claims",
                [
                    r,
                    st02,
                    unread.patient_control_number,
                    unread.paid,
                    unread.segment,
                    unread.reason,
                ],
            )
        for a, plb in enumerate(remit.provider_adjustments, 1):
            yield (
                "provider_adjustments",
                [
                    r,
                    plb.provider_id,
                    plb.fiscal_period_date,
                    plb.reason,
                    plb.reason_name,
                    plb.reference,
                    plb.amount,
                    st02,
                    plb.segment,
                    a,
                ],
            )


def write_csv(
    remittances: Iterable[Remittance],
    folder: Path,
    unread_sets: Iterable[UnreadSet] = (),
    *,
    safe: bool = False,
) -> dict[str, int]:
    """Write the flat tables (`TABLES`) as `<folder>/<table>.csv`; return the rows per table.
    `safe`: text that starts as a formula does after an apostrophe (`spreadsheet_safe`).

    Rows join on `remittance` (1-based, in file order), `claim` and `service` (1-based within their
    parent); every row also carries the set control number (ST02, which need not be unique in a file)
    and, below the set, the claim's patient control number. Columns added later come last, so a
    column keeps its position. Amounts are written exactly as decimals, dates as ISO dates.

    The tables are written apart and put in place together at the end, with the folder locked
    against another run's doing the same (`ReplacedTogether`: never into a file or through a link
    found in the folder): a table that cannot be written or put in place (a full disk, a folder of
    that name, a file that cannot be replaced, Ctrl-C) leaves every table of the folder as it was,
    never new remittances beside the claims of an older run. The `OSError` raised names the table
    (`filename`), or the folder when it is locked.
    """
    # What mkdir says of these is "File exists" (the fuzz tester, the README newcomer).
    if folder.is_symlink() and not folder.exists():
        raise OSError(errno.ENOENT, "a symbolic link to nothing, not a folder", str(folder))
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, IO[str]] = {}
    writers: dict[str, Any] = {}
    counts = dict.fromkeys(TABLES, 0)
    table = next(iter(TABLES))
    try:
        with ReplacedTogether(folder) as tables:
            for table, columns in TABLES.items():
                files[table] = tables.open(f"{table}.csv")
                writers[table] = csv.writer(files[table])
                writers[table].writerow(columns)
            # Text read (a str, or a list of remark codes joined) only: amounts, dates and
            # positions are no formula, even negative.
            cell = (
                (lambda v: spreadsheet_safe(_text(v)) if type(v) in (str, list) else _text(v))
                if safe
                else _text
            )
            for table, row in _rows(remittances, unread_sets):
                writers[table].writerow([cell(v) for v in row])
                counts[table] += 1
            for table in TABLES:  # a full disk may show only now, when the rest is flushed
                files[table].close()
            for table in TABLES:  # a folder of a table's name is not moved aside: said first
                if (folder / f"{table}.csv").is_dir():
                    raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
            # Another run into this folder puts its tables in place before or after these, all of
            # them: the tables are never some of one run and some of the other (the hostile tester).
            tables.commit()
    except OSError as exc:
        # Said of the table (`out/claims.csv: cannot write: Is a directory`), not of the file it
        # was written in, nor of the folder, which is fine; of the folder when it is locked.
        if isinstance(exc.__cause__, OSError) and exc.filename:  # from `commit`: its table
            table = exc.filename.removesuffix(".csv")
        where = folder if exc.filename == "" else folder / f"{table}.csv"
        raise OSError(exc.errno, exc.strerror, str(where)) from exc
    return counts
