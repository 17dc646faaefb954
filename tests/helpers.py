"""Shared test helpers: synthetic X12 builders and access to the public corpus in ../shared/corpus."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from pydantic import BaseModel

from edi.mapping import segment_groups
from edi.models.base import Group, InSegment, marker_of
from edi.x12.reader import SegmentReader
from edi.x12.segment import Segment

TESTS = Path(__file__).resolve().parent
GRAMMARS = TESTS / "grammars"
# tests/ → the project → its parent, which holds shared/ beside the project checkout.
CORPUS = TESTS.parent.parent / "shared" / "corpus"

requires_corpus = pytest.mark.skipif(
    not (CORPUS / "SOURCES.tsv").is_file(), reason=f"public corpus not found at {CORPUS}"
)


_Model = TypeVar("_Model", bound=BaseModel)


def laid_out(model: _Model) -> _Model:
    """A copy of `model` whose items with an `InSegment` field (CAS adjustments, PLB provider
    adjustments) have the number of the segment the writer puts them in, counted from 1 in their
    loop or set: what the reader fills it with."""
    copy = model.model_copy(deep=True)
    _number(copy)
    return copy


def _number(model: BaseModel) -> None:
    for name, finfo in type(model).model_fields.items():
        value = getattr(model, name)
        items = value if isinstance(value, list) else [value]
        if isinstance(marker_of(finfo), Group) and value:
            item_fields = type(value[0]).model_fields
            numbered = [n for n, f in item_fields.items() if isinstance(marker_of(f), InSegment)]
            for field in numbered:
                for number, segment in enumerate(segment_groups(model, name), 1):  # type: ignore[arg-type]
                    for item in segment:
                        setattr(item, field, number)
            continue
        for item in items:
            if isinstance(item, BaseModel):
                _number(item)


def with_edits(text: str, *edits: tuple[str, str]) -> str:
    """An X12 text of one transaction set with each `old` segment text replaced by `new` (each found
    once), and SE01 counted again."""
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    st = re.search(r"(?:^|~\s*)ST\*", text)  # the ST segment, not "ST*" inside another's text
    assert st is not None
    body = text[st.end() - 3 : text.index("SE*")]
    return re.sub(r"SE\*\d+\*", f"SE*{body.count('~') + 1}*", text)


# -- synthetic inputs --------------------------------------------------------------------------------


def isa(
    element: str = "*",
    component: str = ":",
    terminator: str = "~",
    repetition: str = "^",
    *,
    version: str = "00501",
    control: str = "000000001",
    padded: bool = True,
) -> str:
    """An ISA segment with its terminator (106 characters when `padded`)."""
    fields = [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        "SENDER".ljust(15),
        "ZZ",
        "RECEIVER".ljust(15),
        "240101",
        "1200",
        repetition,
        version,
        control,
        "0",
        "P",
        component,
    ]
    if not padded:
        fields = [f.strip() for f in fields[:-1]] + [component]
    return element.join(fields) + terminator


# An 835's trace, payer (with its address and technical contact), payee and first LX: what comes
# between BPR and the first CLP in the hand-made 835s of the tests.
PAYER_PAYEE_835 = [
    "TRN*1*CHK100*1999999999",
    "N1*PR*EXAMPLE PLAN",
    "N3*1 MAIN ST",
    "N4*SPRINGFIELD*IL*62701",
    "PER*BL*EDI DESK*TE*8005550100",
    "N1*PE*EXAMPLE CLINIC*XX*1234567893",
    "LX*1",
]


def interchange(
    element: str = "*",
    component: str = ":",
    terminator: str = "~",
    repetition: str = "^",
    suffix: str = "\n",
    *,
    control: str = "000000001",
    group: str = "1",
    body: list[str] | None = None,
    version: str = "00501",
) -> str:
    """A complete, consistent ISA/GS/ST..SE/GE/IEA interchange with one 835 transaction set.

    `body` holds the segments between ST and SE, written with `*` and `:` (translated to the chosen
    delimiters).
    """
    body = body if body is not None else ["BPR*I*100*C*ACH", "TRN*1*12345*1512345678"]
    translate = str.maketrans({"*": element, ":": component})
    inner = [b.translate(translate) for b in body]
    e = element
    segments = [
        isa(element, component, terminator, repetition, version=version, control=control)[:-1],
        e.join(["GS", "HP", "SENDER", "RECEIVER", "20240101", "1200", group, "X", "005010X221A1"]),
        e.join(["ST", "835", "0001"]),
        *inner,
        e.join(["SE", str(len(inner) + 2), "0001"]),
        e.join(["GE", "1", group]),
        e.join(["IEA", "1", control]),
    ]
    return "".join(s + terminator + suffix for s in segments)


def read(data: str | bytes, chunk_size: int | None = None) -> tuple[list[Segment], SegmentReader]:
    """All segments of `data` and the reader (for its diagnostics and preamble)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    reader = (
        SegmentReader(data) if chunk_size is None else SegmentReader(data, chunk_size=chunk_size)
    )
    return list(reader), reader


def snapshot(segments: list[Segment]) -> list[tuple[object, ...]]:
    """Everything a segment carries, for exact comparisons."""
    return [
        (s.id, list(s.elements), s.index, s.line, s.offset, s.tail, s.delimiters) for s in segments
    ]


# -- the corpus ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusFile:
    local_path: str
    path: Path
    transaction: str
    notes: str

    @property
    def issues(self) -> list[str]:
        """The items of the notes' "ENVELOPE/SYNTAX ISSUES: a; b; c" column, or []."""
        for part in self.notes.split(" | "):
            if part.startswith("ENVELOPE/SYNTAX ISSUES:"):
                return [i.strip() for i in part.split(":", 1)[1].split(";") if i.strip()]
        return []

    @property
    def consistent(self) -> bool:
        return "envelope counts/control numbers consistent" in self.notes

    def count(self, what: str) -> int:
        """The `ISA=n`, `GS=n` or `ST=n` figure of the notes."""
        for part in self.notes.split(" | "):
            for item in part.split():
                if item.startswith(f"{what}="):
                    return int(item.split("=", 1)[1])
        raise KeyError(what)

    def __str__(self) -> str:
        return self.local_path


def corpus_files() -> list[CorpusFile]:
    """Every file listed in the corpus' SOURCES.tsv ([] when the corpus is absent)."""
    sources = CORPUS / "SOURCES.tsv"
    if not sources.is_file():
        return []
    with sources.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [
        CorpusFile(row["local_path"], CORPUS / row["local_path"], row["transaction"], row["notes"])
        for row in rows
    ]


def corpus_params() -> list[object]:
    """`corpus_files()` as pytest params with readable ids."""
    return [pytest.param(f, id=f.local_path) for f in corpus_files()]
