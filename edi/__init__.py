"""edi: lossless, streaming reading and writing of HIPAA X12 837 claims and 835 remittances.

The public API is what this module exports; everything else is internal.

    import edi
    for remit in edi.read_remittances(Path("payer.835")):
        print(remit.payment.amount, len(remit.claims))
"""

from __future__ import annotations

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
from edi.models.base import Period
from edi.models.claim import Claim, HealthCode, ToothStatus
from edi.models.claim_cob import OtherPayer, OtherSubscriber, PriorPayer
from edi.models.claim_lines import (
    DentalService,
    Drug,
    EquipmentService,
    Form,
    FormAnswer,
    InstitutionalService,
    LineAdjudication,
    ProfessionalService,
    PurchasedService,
    ServiceLine,
    TestResult,
    Tooth,
)
from edi.models.claim_parties import (
    BillingProvider,
    ClaimPayer,
    Patient,
    PayToAddress,
    PayToPlan,
    Provider,
    Receiver,
    Submitter,
    Subscriber,
    TransactionHeader,
)
from edi.models.claim_segments import (
    AmbulanceTransport,
    Attachment,
    ConditionIndicator,
    Contract,
    DateTimeRef,
    EquipmentCertification,
    FileInformation,
    Note,
    Repricing,
    SpinalManipulation,
)
from edi.models.common import Contact, Party, PayerReference, Reference
from edi.models.envelope import EnvelopeInfo, GroupHeader, InterchangeHeader
from edi.models.remittance import (
    Adjustment,
    ClaimPayment,
    DeliveryMethod,
    HeaderNumber,
    InpatientAdjudication,
    OutpatientAdjudication,
    Payee,
    Payer,
    Payment,
    ProviderAdjustment,
    ProviderSummary,
    Remark,
    Remittance,
    ServicePayment,
    SupplementalSummary,
    Trace,
    UnreadClaim,
)
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
    balance_findings,
    balance_problems,
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
    "CheckError",
    "ConfigurationError",
    "DataError",
    "Delimiters",
    "Diagnostic",
    "EdiError",
    "EnvelopeInfo",
    "EnvelopeReader",
    "GroupHeader",
    "InterchangeHeader",
    "InputError",
    "Location",
    "Loop",
    "MappingDefinitionError",
    "ModelValidationError",
    "ParsedSet",
    "Period",
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
    "Adjustment",
    "ClaimPayment",
    "Contact",
    "DeliveryMethod",
    "HeaderNumber",
    "InpatientAdjudication",
    "OutpatientAdjudication",
    "Party",
    "Payee",
    "Payer",
    "PayerReference",
    "Payment",
    "ProviderAdjustment",
    "ProviderSummary",
    "Reference",
    "Remark",
    "Remittance",
    "RemittanceCheckError",
    "RemittanceChecker",
    "RemittanceReader",
    "RemittanceValidationError",
    "ServicePayment",
    "SupplementalSummary",
    "Trace",
    "UnreadClaim",
    "balance_findings",
    "balance_problems",
    "check_remittances",
    "load_remittances",
    "read_remittances",
    "write_835",
    # 837 claims
    "AmbulanceTransport",
    "Attachment",
    "BillingProvider",
    "Claim",
    "ClaimCheckError",
    "ClaimChecker",
    "ClaimPayer",
    "ClaimProblem",
    "ClaimReader",
    "ClaimValidationError",
    "CobError",
    "Coverage",
    "ConditionIndicator",
    "Contract",
    "DateTimeRef",
    "DentalService",
    "Drug",
    "EquipmentCertification",
    "EquipmentService",
    "FileInformation",
    "Form",
    "FormAnswer",
    "HealthCode",
    "InstitutionalService",
    "LineAdjudication",
    "Note",
    "OtherPayer",
    "OtherSubscriber",
    "Patient",
    "PayToAddress",
    "PayToPlan",
    "PriorPayer",
    "ProfessionalService",
    "Provider",
    "PurchasedService",
    "Receiver",
    "Repricing",
    "ServiceLine",
    "SpinalManipulation",
    "Submitter",
    "Subscriber",
    "TestResult",
    "Tooth",
    "ToothStatus",
    "TransactionHeader",
    "check_claims",
    "load_claims",
    "read_claims",
    "secondary_claim",
    "write_837",
]
