"""Whether a claim can be written with the delimiters `write_837` would use (`check_claims`).

A checked `write_837` refuses a value that holds one of its delimiters (`WriteError`): X12 has no
escape, so the segment would not read back as written. Most often it is a simple element holding
the component separator, such as a claim id `PCN:1001` (read back, it would be a composite; pyx12
says "invalid composite"). `check_claims` says so too, in the writer's own words, so that a claim it
passes is one `write_837` writes: the segments of each model of the claim are made as `write_837`
makes them, with its checks (`model_write_problems`), for the few claims whose text may hold a
delimiter, so that each problem is about the model whose segment holds it. A scan of the text
the models hold finds those first; it only decides whether to ask the writer, so it may be
generous (the component separator of a composite kept from the file read counts). A date, time
or amount of another type, put around pydantic (`edi.models.unvalidated`), sends its claim to the
writer too, which fails on it as `write_837` does: the checks then say the field, as it does.

The scan runs for every claim checked: it joins the texts of a model (of a list of segment models)
and searches them in one go, in C; the claims of a set share their context models, whose scan the
caller remembers.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from itertools import chain
from operator import attrgetter, itemgetter, methodcaller
from typing import Any, Literal

from pydantic import BaseModel

from edi.diagnostics import short_id
from edi.errors import WriteError
from edi.loops import Loop
from edi.mapping import SegNotes, WriteContext, redelimit, segments_of, write_own
from edi.models.base import Period
from edi.models.claim import Claim
from edi.transactions.claim837 import transaction_segments
from edi.transactions.claim_syntax import sizes
from edi.transactions.x12_syntax import (
    number_form_problem,
    trailing_component,
    trailing_element,
)
from edi.x12.delimiters import Delimiters
from edi.x12.segment import Segment
from edi.x12.writer import write_segments

# The claim's context (shared by the claims of a set), its envelope (the writer's envelope options,
# not a segment of the claim's) and its kind (a code) are not scanned with the claim.
_CONTEXT = ("header", "billing_provider", "subscriber", "payer", "patient")
_SKIPPED = frozenset({*_CONTEXT, "envelope", "kind"})
# What amounts and dates are written with: a delimiter among these may be in any number (`-1.5`).
_NUMBER_CHARACTERS = frozenset("-.")

_Get = Callable[[dict[str, Any]], Any]
# The types the writer formats a value of (a date as CCYYMMDD): what a field of each may hold. A
# value of another type, put around pydantic (a str where a date goes: `edi.models.unvalidated`),
# fails the writer; the scan sends its claim to the writer, as one that may hold a delimiter.
_FORMATTED: dict[Any, tuple[type, ...]] = {
    kind: (kind, type(None)) for kind in (date, datetime, time, Decimal)
}
_join = "\x1f".join
_dict_of = attrgetter("__dict__")
_private_of = attrgetter("__pydantic_private__")
_kept_of = methodcaller("get", "_x12")


@dataclass(frozen=True, slots=True, eq=False)
class _Plan:
    """Where one model type holds text, each read from a `__dict__` in one call (None: nowhere)."""

    texts: _Get | None  # its text fields (a tuple of them)
    lists: _Get | None  # its lists of texts and dicts keyed by text
    models: _Get | None  # its fields of models (a tuple of models, lists of models and None)
    kept: bool  # whether it may keep text read (`_x12`)
    typed: _Get | None = None  # its dates, times and amounts (a tuple of them)
    types: tuple[tuple[type, ...], ...] = ()  # what each of those may be, None included


def _inner(annotation: Any) -> tuple[Any, str]:
    """The type a field holds and how: "list", "dict" or "one"."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _inner(args[0]) if len(args) == 1 else (annotation, "one")
    if origin is list:
        return _inner(typing.get_args(annotation)[0])[0], "list"
    if origin is dict:
        return typing.get_args(annotation)[0], "dict"
    if origin is Literal:
        return str, "one"
    return annotation, "one"


def _getter(names: list[str]) -> _Get | None:
    if not names:
        return None
    if len(names) == 1:
        name = names[0]
        return lambda values: (values[name],)
    return itemgetter(*names)


_PLANS: dict[type, _Plan] = {}


def _plan(model_type: type[BaseModel]) -> _Plan:
    texts: list[str] = []
    lists: list[str] = []
    models: list[str] = []
    typed: list[str] = []
    for name, finfo in model_type.model_fields.items():
        if model_type is Claim and name in _SKIPPED:
            continue
        inner, how = _inner(finfo.annotation)
        if how == "dict" or (inner is str and how == "list"):
            lists.append(name)
        elif inner is str:
            texts.append(name)
        elif isinstance(inner, type) and issubclass(inner, BaseModel) and inner is not Period:
            models.append(name)
        elif how == "one" and inner in _FORMATTED:
            typed.append(name)
    plan = _PLANS[model_type] = _Plan(
        texts=_getter(texts),
        lists=_getter(lists),
        models=_getter(models),
        kept="_x12" in model_type.__private_attributes__,
        typed=_getter(typed),
        types=tuple(_FORMATTED[_inner(model_type.model_fields[n].annotation)[0]] for n in typed),
    )
    return plan


@cache
def _search(delimiters: Delimiters) -> Callable[[str], object]:
    """A search for any of the delimiters in a text (one pass, in C)."""
    return re.compile("[" + re.escape("".join(delimiters.characters())) + "]").search


def asks_the_writer(header: BaseModel, delimiters: Delimiters) -> bool:
    """Whether the writer must judge the claims of `header` whatever their text: they were read
    with other delimiters (what they keep of the file is translated, and the writer checks each
    text), or a delimiter is a character numbers are written with."""
    private = header.__pydantic_private__ or {}
    read_with = private.get("_delimiters")
    if read_with is not None and read_with.characters() != delimiters.characters():
        return True
    return bool(_NUMBER_CHARACTERS.intersection(delimiters.characters()))


# -- one claim ------------------------------------------------------------------------------------


def may_clash(claim: Claim, delimiters: Delimiters, context: Callable[[BaseModel], bool]) -> bool:
    """Whether writing `claim` with `delimiters` may be refused for a delimiter in its text, so that
    `write_problems` must ask the writer. `context(model)` says so of its context models (the caller
    remembers it: the claims of a set share them; see `context_may_clash`)."""
    if asks_the_writer(claim.header, delimiters):
        return True
    if any(context(model) for model in _context_models(claim)):
        return True
    return model_may_clash(claim, _search(delimiters))


def _context_models(claim: Claim) -> list[BaseModel]:
    """The models a claim shares with the claims of its set: header, billing provider, subscriber,
    payer, and the patient when there is one."""
    models = (claim.header, claim.billing_provider, claim.subscriber, claim.payer, claim.patient)
    return [model for model in models if model is not None]


def own_text_may_clash(claim: Claim, delimiters: Delimiters) -> bool:
    """Whether the claim's own text (its 2300 loop and lines, not the context models it shares
    with the claims of its set) may hold one of `delimiters`."""
    return model_may_clash(claim, _search(delimiters))


def context_may_clash(model: BaseModel, delimiters: Delimiters) -> bool:
    """`model_may_clash` of a context model (and of the segments a set keeps after its last
    claim, when it is the header)."""
    hit = _search(delimiters)
    trailing = (model.__pydantic_private__ or {}).get("_trailing")
    if trailing and _kept_texts_may_clash([], trailing, hit):
        return True
    return model_may_clash(model, hit)


def model_may_clash(model: BaseModel, hit: Callable[[str], object]) -> bool:
    """Whether `model`, or a model in it, holds a text `hit` finds (a delimiter), or keeps text read
    that does: the texts of all its models, joined, in one search."""
    texts: list[str] = []
    return _collect(model, texts, hit) or bool(texts and hit(_join(texts)))


def _collect(model: BaseModel, texts: list[str], hit: Callable[[str], object]) -> bool:
    """Add the texts of `model` and the models in it to `texts`; True at once when text it keeps
    from the file read holds a delimiter."""
    values = model.__dict__
    plan = _PLANS.get(type(model)) or _plan(type(model))
    if plan.typed is not None and not all(map(isinstance, plan.typed(values), plan.types)):
        return True  # a value the writer cannot format: it says so (`_FORMATTED`)
    if plan.texts is not None:
        texts += filter(None, plan.texts(values))
    if plan.lists is not None:
        for listed in filter(None, plan.lists(values)):
            texts += map(str, listed)
    if plan.kept:
        kept = model.__pydantic_private__.get("_x12")  # type: ignore[union-attr]
        if kept is not None and _kept_may_clash(kept, hit):
            return True
    if plan.models is not None:
        for value in filter(None, plan.models(values)):
            if type(value) is not list:
                if _collect(value, texts, hit):
                    return True
                continue
            first = type(value[0])
            leaf = _PLANS.get(first) or _plan(first)
            if (
                leaf.lists is None
                and leaf.models is None
                and leaf.typed is None
                and leaf.texts is not None
                and all(type(item) is first for item in value)
                and not any(map(_kept_of, map(_private_of, value)))
            ):
                # Segment models that only hold texts (REF, HI composites): in one go, in C.
                texts += filter(None, chain.from_iterable(map(leaf.texts, map(_dict_of, value))))
                continue
            for item in value:
                if _collect(item, texts, hit):
                    return True
    return False


# -- text kept from the file read ---------------------------------------------------------------------


def _kept_may_clash(kept: Any, hit: Callable[[str], object]) -> bool:
    """Whether the text a model keeps from the file read (notes of element text, segments no field
    took) holds a delimiter, or may be what X12 forbids though edi reads it back as written (a
    trailing separator, a number not in X12's form: `x12_problems`). A composite's component
    separator counts too, and so does any text that may be such a number (so the writer is asked
    about a few claims that pass)."""
    texts: list[str] = []
    notes = [kept] if type(kept) is SegNotes else []  # a segment model's notes
    for note in getattr(kept, "notes", {}).values():  # a loop model's notes, per slot
        if isinstance(note, dict):
            notes += note.values()
        elif isinstance(note, list):  # a group slot's (HI, CAS): (count, notes, override) a segment
            notes += [one[1] for one in note]
        else:
            notes.append(note)
    for one in notes:
        if type(one) is SegNotes:
            if one.length > one.last:  # read with empty elements at its end
                return True
            texts += [text for text, _ in one.raw.values()]
    return _kept_texts_may_clash(texts, getattr(kept, "unmapped", ()), hit)


def _kept_texts_may_clash(
    texts: list[str], items: Iterable[Segment | Loop], hit: Callable[[str], object]
) -> bool:
    """`_kept_may_clash` of element texts read and of segments (and loops) kept as read."""
    segments = [seg for item in items for seg in _segments(item)]
    if any(len(seg.elements) > 1 and not seg.elements[-1] for seg in segments):
        return True  # a trailing separator
    texts += chain.from_iterable(seg.elements[1:] for seg in segments)
    # A text ending in a point, or with leading zeros, or `-0`, may be a number not in X12's form
    # (`number_form_problem`), one ending in a component separator a composite.
    return bool(texts) and (bool(hit(_join(texts))) or any(map(_number_form_may_break, texts)))


def _number_form_may_break(text: str) -> bool:
    return text[-1:] == "." or text[:2] in ("-0", "-.") or (text[:1] == "0" and text[1:2].isdigit())


def _segments(item: Segment | Loop) -> list[Segment]:
    if isinstance(item, Segment):
        return [item]
    return [seg for sub in item.items for seg in _segments(sub)]


# -- the writer's word ------------------------------------------------------------------------------


def writes_clean(claim: Claim, delimiters: Delimiters) -> bool:
    """Whether a checked `write_837` writes `claim` with `delimiters` with nothing to refuse nor
    anything X12 forbids in it: the whole claim in one go, which most claims whose text may hold
    a delimiter pass (`model_write_problems` then says nothing, model by model, at more cost)."""
    try:
        segments = transaction_segments([claim], delimiters, checked=True)
        write_segments(segments, delimiters, repeats=False)
    except WriteError:
        return False
    return not x12_problems(segments, delimiters)


def model_write_problems(model: BaseModel, delimiters: Delimiters, kind: str) -> list[str]:
    """What a checked `write_837` of a claim of `kind` with `delimiters` would refuse in the segments
    of `model`'s own loop (not those of the loops in it: `write_own`), in its words: each segment's
    first value that holds a delimiter (`"CLM01 holds the component separator ':', so ..."`), and
    what X12 forbids in the segments it writes (`x12_problems`). The header's are those of the
    segments a set keeps after its last claim too."""
    wctx = WriteContext(delimiters, checked=True, listing=kind)
    segments, refused = write_own(model, wctx)  # type: ignore[arg-type]
    out = [p for exc in refused for p in exc.problems]
    for item in (model.__pydantic_private__ or {}).get("_trailing") or ():
        try:
            segments_of([redelimit(item, wctx)], segments)
        except WriteError as exc:
            out += exc.problems
    written: list[Segment] = []
    for segment in segments:  # a delimiter other than the component separator
        try:
            write_segments([segment], delimiters, repeats=False)
            written.append(segment)
        except WriteError as exc:
            out += exc.problems
    return out + x12_problems(written, delimiters)


def written_x12_problems(
    text: str, claims: list[Claim], delimiters_of: Callable[[Claim], Delimiters]
) -> list[str]:
    """`x12_problems` of the claims `write_837` wrote as `text`, each prefixed with its claim
    (`claim PCN1: billing provider (2010AA): REF03 ...`). A search of the text, in C, for a
    separator before a terminator or a digit and point before a delimiter finds the few files that
    may hold one; only then are the claims' segments made again, one model at a time."""
    from edi.transactions.claim_checks import name_write_problems  # (imports this module)

    if not any(_may_break_x12(text, d) for d in {delimiters_of(c) for c in claims}):
        # A number read with leading zeros or as `-0` is no pattern of the text (codes such as
        # PAT01 `01` start with a zero too): the text the claims keep from the file read is asked.
        claims = [claim for claim in claims if _keeps_odd_number(claim)]
    out: list[str] = []
    for claim in claims:
        d = delimiters_of(claim)
        # The claim's segments in one go first (most claims of such a file have none); only one
        # with a problem is made again model by model, to say each of the model it is about.
        try:
            if not x12_problems(transaction_segments([claim], d), d):
                continue
        except WriteError:  # a delimiter in a value: what the checked writing refused already
            continue
        prefix = f"claim {short_id(claim.patient_control_number)}: "
        found = name_write_problems(claim, d, everywhere=True)
        out += [str(p.prefixed(prefix)) for p in found]
    return out


def _keeps_odd_number(claim: Claim) -> bool:
    """Whether the claim, or a context model of it, keeps text read that may be a number not in
    X12's form (`_number_form_may_break`; `x12_problems` says which)."""
    never: Callable[[str], object] = lambda text: None  # noqa: E731 (no delimiter searched for)
    return any(model_may_clash(m, never) for m in (claim, *_context_models(claim)))


@cache
def _before_delimiter(char: str, delimiters: Delimiters) -> re.Pattern[str]:
    """`char` followed by a delimiter: a literal first, which the search skips to in C."""
    ends = re.escape("".join(delimiters.characters()))
    return re.compile(f"{re.escape(char)}[{ends}]")


def _may_break_x12(text: str, delimiters: Delimiters) -> bool:
    """Whether `text` may hold what `x12_problems` finds: a separator before a terminator, a
    component separator ending an element (not ISA16, which follows an element separator), a digit
    and a point before a delimiter."""
    e = delimiters.element
    if e + delimiters.segment in text:
        return True
    for found in _before_delimiter(delimiters.component, delimiters).finditer(text):
        if text[found.start() - 1] != e:
            return True
    for found in _before_delimiter(".", delimiters).finditer(text):
        if text[found.start() - 1 : found.start()].isdigit():
            return True
    return False


def x12_problems(segments: list[Segment], delimiters: Delimiters) -> list[str]:
    """What X12 forbids in `segments` though edi reads it back as written, so that a file read
    with it is written back as read: a segment that ends with an empty element (a trailing
    separator: X12 leaves out empty elements at the end of a segment, x12-notes §1.2; pyx12
    refuses it), or a composite that ends with an empty component (`HC:99213:`: so are empty
    components at the end of a composite, X12.6 3.6 as X12 RFI 1498 quotes it), and a number
    (type R) that ends in its decimal point (`90.`: the guides' appendix B.1.1.3.1.2 omits the
    point of a whole number, X12 RFI 1526; pyx12 refuses it). Only text kept from the file read
    can be so."""
    out: list[str] = []
    comp = delimiters.component
    for seg in segments:
        els = seg.elements
        if len(els) > 1 and not els[-1]:
            out.append(trailing_element(f"{seg.id}{len(els) - 1:02d}"))
        for n, text in enumerate(els[1:], 1):
            if text[-1:] == comp:
                out.append(trailing_component(f"{seg.id}{n:02d}"))
        for ref, size in sizes(seg.id).items():
            if size.type != "R":
                continue
            element, _, component = ref.partition("-")
            pos = int(element)
            text = els[pos] if pos < len(els) else ""
            if component:
                parts = text.split(delimiters.component)
                k = int(component) - 1
                text = parts[k] if k < len(parts) else ""
            problem = number_form_problem(f"{seg.id}{ref}", text)
            if problem is not None:
                out.append(problem)
    return out


__all__ = [
    "asks_the_writer",
    "context_may_clash",
    "may_clash",
    "model_may_clash",
    "model_write_problems",
    "own_text_may_clash",
    "writes_clean",
    "written_x12_problems",
    "x12_problems",
]
