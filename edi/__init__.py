"""edi: lossless, streaming reading and writing of HIPAA X12 837 claims and 835 remittances.

The public API is what this module exports; everything else is internal.

    import edi
    for remit in edi.read_remittances(Path("payer.835")):
        print(remit.payment.amount, len(remit.claims))
"""

from __future__ import annotations

from edi.diagnostics import Diagnostic, Location, Severity
from edi.errors import (
    ConfigurationError,
    EdiError,
    InputError,
    MappingDefinitionError,
    StructureError,
    TokenizeError,
)
from edi.grammar import ParsedSet, get_grammar
from edi.loops import Loop
from edi.x12.delimiters import Delimiters
from edi.x12.envelope import EnvelopeReader, read_envelopes
from edi.x12.reader import SegmentReader, read_segments
from edi.x12.segment import Segment
from edi.x12.writer import write_segments

__version__ = "0.1.0"

__all__ = [
    "ConfigurationError",
    "Delimiters",
    "Diagnostic",
    "EdiError",
    "EnvelopeReader",
    "InputError",
    "Location",
    "Loop",
    "MappingDefinitionError",
    "ParsedSet",
    "Segment",
    "SegmentReader",
    "Severity",
    "StructureError",
    "TokenizeError",
    "__version__",
    "get_grammar",
    "read_envelopes",
    "read_segments",
    "write_segments",
]
