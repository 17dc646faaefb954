"""edi: lossless, streaming reading and writing of HIPAA X12 837 claims and 835 remittances.

The public API is what this module exports; everything else is internal.

    import edi
    for remit in edi.read_remittances(Path("payer.835")):
        print(remit.payment.amount, len(remit.claims))
"""

from __future__ import annotations

from edi import models
from edi.diagnostics import Diagnostic, Location, Severity
from edi.errors import (
    CheckError,
    ConfigurationError,
    DataError,
    EdiError,
    InputError,
    MappingDefinitionError,
    ModelValidationError,
    StructureError,
    TokenizeError,
    WriteError,
)
from edi.grammar import ParsedSet, get_grammar
from edi.loops import Loop
from edi.models import *  # noqa: F403 - the models (`edi.models.__all__`)
from edi.transactions.claim837 import ClaimCheckError, ClaimReader, read_claims, write_837
from edi.transactions.claim_checks import (
    ClaimChecker,
    ClaimValidationError,
    check_claims,
    load_claims,
)
from edi.transactions.claim_problem import ClaimProblem
from edi.transactions.cob import CobError, Coverage, secondary_claim
from edi.transactions.remit835 import (
    RemittanceCheckError,
    RemittanceReader,
    RemittanceValidationError,
    UnreadSet,
    balance_findings,
    balance_problems,
    balance_warnings,
    load_remittances,
    read_remittances,
    write_835,
)
from edi.transactions.remit_checks import RemittanceChecker, check_remittances
from edi.x12.delimiters import Delimiters
from edi.x12.envelope import EnvelopeReader, read_envelopes
from edi.x12.reader import SegmentReader, read_segments
from edi.x12.segment import Segment
from edi.x12.writer import write_segments

__version__ = "0.1.0"

__all__ = [
    *models.__all__,  # the model classes
    "CheckError",
    "ConfigurationError",
    "DataError",
    "Delimiters",
    "Diagnostic",
    "EdiError",
    "EnvelopeReader",
    "InputError",
    "Location",
    "Loop",
    "MappingDefinitionError",
    "ModelValidationError",
    "ParsedSet",
    "Segment",
    "SegmentReader",
    "Severity",
    "StructureError",
    "TokenizeError",
    "WriteError",
    "__version__",
    "get_grammar",
    "read_envelopes",
    "read_segments",
    "write_segments",
    # 835 remittances
    "RemittanceCheckError",
    "RemittanceChecker",
    "RemittanceReader",
    "RemittanceValidationError",
    "UnreadSet",
    "balance_findings",
    "balance_problems",
    "balance_warnings",
    "check_remittances",
    "load_remittances",
    "read_remittances",
    "write_835",
    # 837 claims
    "ClaimCheckError",
    "ClaimChecker",
    "ClaimProblem",
    "ClaimReader",
    "ClaimValidationError",
    "CobError",
    "Coverage",
    "check_claims",
    "load_claims",
    "read_claims",
    "secondary_claim",
    "write_837",
]
