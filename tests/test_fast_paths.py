"""The fast paths give exactly what the general code gives.

Two places remember or compile work for speed:

- the grammar driver replays remembered steps (`SegmentGrammar._parse_steps`) and hands any set the
  table refuses to the plain driver with error recovery (`_parse_recovering`);
- the codec compiles, per element map and per model, readers for text that needs no notes
  (`read_clean`), writers for values without notes (`write_clean`), instance builders (`build`) and
  the list of slots canonical writing visits (`to_write`); anything else goes to the general code.

"Exactly": the same loop trees (IDs, names, the very segment objects), the same models (field values,
fields set, and the private layout notes that keep writing lossless), the same diagnostics, and the
same text written back, on every fixture and corpus file, on damaged copies of the fixtures and on
random models.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import random
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import edi
from edi import grammar, mapping
from edi.grammar import SegmentGrammar, get_grammar
from edi.loops import Loop
from edi.models.base import ReadAt
from edi.transactions.common import guide_for
from edi.x12.envelope import EnvelopeReader
from edi.x12.reader import read_segments
from edi.x12.segment import Segment
from tests.helpers import GRAMMARS, corpus_files
from tests.strategies_835 import remittances
from tests.strategies_837 import claim_lists

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FILES = sorted(FIXTURES.glob("*/*.x12")) + [
    f.path for f in corpus_files() if f.path.suffix not in (".tsv", ".md")
]


def _damaged(path: Path, count: int) -> list[bytes]:
    """Copies of a fixture with a few segments dropped, doubled, swapped or altered (seeded)."""
    text = path.read_text(encoding="utf-8")
    term = text[105]
    segments = text.split(term)
    rnd = random.Random(path.name)
    out = []
    for _ in range(count):
        segs = list(segments)
        for _ in range(rnd.randint(1, 3)):
            i = rnd.randrange(3, len(segs) - 4)
            change = rnd.randrange(10)
            if change == 0:
                segs.insert(i, segs[i])
            elif change == 1:
                del segs[i]
            elif change == 2:
                segs[i], segs[i + 1] = segs[i + 1], segs[i]
            elif change == 3:
                segs[i] += "*"  # a trailing separator
            elif change == 4:
                segs[i] = segs[i].replace("*0.", "*.").replace(".00*", "*")  # non-canonical numbers
            elif change == 5:
                segs.insert(i, "\nZZZ*1*2")  # not a segment of the set
            elif change == 6:
                segs[i] = segs[i].replace("*", "**", 1)  # everything one element later
            elif change == 7:
                segs[i] = segs[i].replace("20", "2O", 1)  # a bad date or amount
            else:
                # A composite with an empty component at its end, or an extra one inside.
                at = rnd.choice([k for k, seg in enumerate(segs) if ":" in seg] or [i])
                composite = ":*" if change == 8 else "::"
                segs[at] = segs[at].replace(":", composite, 1) if ":" in segs[at] else segs[at]
        out.append(term.join(segs).encode("utf-8"))
    return out


DAMAGED = [
    pytest.param(data, id=f"{path.parent.name}/{path.stem}#{n}")
    for path in sorted(FIXTURES.glob("*/*.x12"))
    for n, data in enumerate(_damaged(path, 8))
]


# -- the grammar driver ----------------------------------------------------------------------------


def _tree(loop: Loop) -> tuple[object, ...]:
    """A loop tree with the identity of every segment in it."""
    return (
        loop.id,
        loop.name,
        [id(i) if isinstance(i, Segment) else _tree(i) for i in loop.items],
    )


def _sets(source: Path | bytes) -> Iterator[tuple[SegmentGrammar, list[Segment]]]:
    for ts in EnvelopeReader(source):
        guide = guide_for(ts)
        if not isinstance(guide, edi.Diagnostic):
            yield get_grammar(guide.grammar), ts.segments


def _check_steps(source: Path | bytes) -> None:
    for g, segs in _sets(source):
        plain = g._parse_recovering(segs, strict=False)
        root = g._parse_steps(segs)
        if root is None:  # only sets the plain driver has something to say about, or no SE
            assert plain.diagnostics or segs[-1].id != "SE"  # (the envelope reports that)
        else:
            assert not plain.diagnostics
            assert _tree(root) == _tree(plain.root)
        parsed = g.parse(segs)
        assert _tree(parsed.root) == _tree(plain.root)
        assert parsed.diagnostics == plain.diagnostics


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(p.parents[1])) for p in FILES])
def test_remembered_steps_build_the_plain_drivers_tree(path: Path) -> None:
    _check_steps(path)


@pytest.mark.parametrize("data", DAMAGED)
def test_sets_the_table_refuses_go_to_the_plain_driver(data: bytes) -> None:
    _check_steps(data)


def test_a_full_memory_of_stacks_starts_again_and_keeps_the_fast_driver(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Many shapes of file (random claims, many submitters) fill the remembered stacks: the memory
    starts again rather than sending every later new shape to the plain driver."""
    path = FIXTURES / "837p" / "ambulance_dme.x12"
    ((_, segs),) = _sets(path)
    expected = _tree(get_grammar("837p").parse(segs).root)
    monkeypatch.setattr(grammar, "_MAX_ROWS", 3)
    small = SegmentGrammar("837p")
    for _ in range(2):  # the second time over a memory that was full and started again
        root = small._parse_steps(segs)
        assert root is not None and _tree(root) == expected
        assert len(small._rows) <= 3
        assert small._first_row.stack == (small._start,)


def test_the_toy_grammar_remembers_its_steps() -> None:
    toy = SegmentGrammar("toy", source_dir=GRAMMARS)
    text = "ST*835*1~BPR*I*1~N1*PR*P~N1*PE*E~LX*1~CLP*A*1*1*1~SVC*HC:1*1*1~LX*2~CLP*B~SE*9*1~"
    segs = list(read_segments(text))
    first = toy.parse(segs)
    steps = sum(len(row) for row in toy._rows.values())
    assert steps and not first.diagnostics
    again = toy.parse(segs)  # replayed: no new steps, the same tree
    assert sum(len(row) for row in toy._rows.values()) == steps
    assert _tree(again.root) == _tree(first.root)


# -- the codec ---------------------------------------------------------------------------------------


def _reference_build(
    defaults: mapping._Defaults, data: dict[str, Any], notes: Any, at: Any = None
) -> Any:
    """What the compiled builder must do, written out plainly."""
    if any(name not in data for name, _ in defaults.required):
        return None
    values = defaults.base.copy()
    values.update(data)
    for name, factory in defaults.fresh:
        if name not in data:
            values[name] = factory()
    private = defaults.private.copy()
    private["_x12"] = notes
    if "_at" in private:  # a loop model: where it was read
        private["_at"] = at
    model = next(m for m, d in mapping._DEFAULTS.items() if d is defaults)
    inst = model.__new__(model)
    object.__setattr__(inst, "__dict__", values)
    object.__setattr__(inst, "__pydantic_fields_set__", set(data))
    object.__setattr__(inst, "__pydantic_extra__", None)
    object.__setattr__(inst, "__pydantic_private__", private)
    return inst


def _reference_to_write(codec: mapping._Codec, fields: dict[str, Any], notes: Any) -> list[Any]:
    out = []
    for slot, kind, names in codec.plan:
        if kind in (1, 2) or (notes and slot.key in notes):
            out.append((slot, kind))
            continue
        for name in names:
            value = fields[name]
            if value is None or (type(value) in (str, list, dict) and not value):
                continue
            out.append((slot, kind))
            break
    return out


def _general_write(
    emap: mapping._ElementMap,
    fields: dict[str, Any],
    comp: str,
    force: bool = False,
    checked: bool = False,
):  # type: ignore[no-untyped-def]
    wctx = SimpleNamespace(delimiters=SimpleNamespace(component=comp), checked=checked)
    return emap.write(dict(fields), None, wctx, force=force)  # type: ignore[arg-type]


@contextlib.contextmanager
def general_code_only() -> Iterator[None]:
    """Every compiled fast path of the codecs made so far replaced by the general code it stands for
    (`_check_codec` reads with the compiled paths first, which makes every codec the input needs)."""
    maps: set[mapping._ElementMap] = set(mapping._SEGMENT_MAPS.values())
    groups = []
    for codec in mapping._CODECS.values():
        for slot in codec.slots:
            for name in ("map", "header_map"):
                if hasattr(slot, name):
                    maps.add(getattr(slot, name))
            maps.update(getattr(slot, "group_maps", ()))
            if isinstance(slot, mapping._GroupSlot):
                groups.append(slot)
    saved: list[tuple[object, str, object]] = []

    def patch(owner: object, name: str, value: object) -> None:
        saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    for emap in maps:
        patch(emap, "read_clean", lambda els, data, comp: False)
        patch(emap, "write_clean", functools.partial(_general_write, emap))
    for slot in groups:
        patch(slot, "_read_clean", lambda els, comp, number: None)
    for defaults in mapping._DEFAULTS.values():
        patch(defaults, "build", functools.partial(_reference_build, defaults))
    for codec in mapping._CODECS.values():
        patch(codec, "to_write", functools.partial(_reference_to_write, codec))
    try:
        yield
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


def _deep(value: Any) -> Any:
    """A model tree with everything `==` leaves out: which fields are set, at every level."""
    if isinstance(value, BaseModel):
        return (
            type(value).__name__,
            {k: _deep(v) for k, v in value.__dict__.items()},
            sorted(value.__pydantic_fields_set__),
            {k: _deep(v) for k, v in (value.__pydantic_private__ or {}).items()},
        )
    if isinstance(value, ReadAt):  # named, beside its parts
        return ("read at", value.index, value.segment_id, value.line, value.offset, value.loop_id)
    if isinstance(value, (list, tuple)):
        return [_deep(v) for v in value]
    if isinstance(value, dict):
        return {k: _deep(v) for k, v in value.items()}
    return value


def _written_835(remits: list[edi.Remittance], when: datetime) -> str:
    """What write_835 writes, or its refusal: a remittance with claims not read is incomplete."""
    try:
        return edi.write_835(remits, check=False, when=when)
    except edi.WriteError as exc:
        return f"refused: {exc}"


def _everything(source: Path | bytes) -> tuple[object, ...]:
    remits = edi.read_remittances(source)
    got_remits = list(remits)
    claims = edi.read_claims(source)
    got_claims = list(claims)
    # The models as a user would build them (no notes): written canonically.
    built = [type(r).model_validate(r.model_dump()) for r in got_remits]
    when = datetime(2024, 1, 1, 12, 0)
    written = (
        _written_835(got_remits, when) if got_remits else "",
        edi.write_837(got_claims, check=False, when=when) if got_claims else "",
        _written_835(built, when) if built else "",
    )
    return (
        _deep(got_remits),
        [str(d) for d in remits.diagnostics],
        _deep(got_claims),
        [str(d) for d in claims.diagnostics],
        written,
    )


def _check_codec(source: Path | bytes) -> None:
    fast = _everything(source)
    with general_code_only():
        general = _everything(source)
    assert fast == general


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(p.parents[1])) for p in FILES])
def test_compiled_codec_gives_what_the_general_code_gives(path: Path) -> None:
    _check_codec(path)


@pytest.mark.parametrize("data", DAMAGED)
def test_compiled_codec_on_damaged_files(data: bytes) -> None:
    _check_codec(data)


def test_text_the_values_do_not_reproduce_is_kept() -> None:
    """`.50`, a trailing separator, an unmapped element, segments out of order: noted by the general
    code (the compiled readers leave these to it), and written back as read."""
    text = (FIXTURES / "835" / "partly_paid.x12").read_text()
    text = text.replace("CLP*PCN2002*1*90*60*15", "CLP*PCN2002*1*90.0*60*15")
    text = text.replace("CAS*PR*3*15~", "CAS*PR*3*15*~")
    text = text.replace("REF*EA*MRN2001~\nDTM*232*20240220~", "DTM*232*20240220~\nREF*EA*MRN2001~")
    text = text.replace("AMT*AU*170.00~", "AMT*AU*170.00*X~")
    remits = list(edi.read_remittances(text.encode()))
    assert edi.write_835(remits, check=False) == text  # AMT03 is not used: the check refuses it
    _check_codec(text.encode())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(remittances(with_envelope=False), min_size=1, max_size=2))
def test_compiled_codec_on_random_remittances(remits: list[edi.Remittance]) -> None:
    _check_codec(edi.write_835(remits).encode())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["professional", "institutional", "dental"]).flatmap(claim_lists))
def test_compiled_codec_on_random_claims(claims: list[edi.Claim]) -> None:
    _check_codec(edi.write_837(claims, check=False).encode())


_NUMBERISH = st.text("0123456789.-", min_size=1, max_size=10) | st.sampled_from(
    ["0", "-0", "-0.0", "-0.00", "00", "01", ".5", "1.", "1.50", "+1", "1e5", "١٢", "20240101"]
)


@given(_NUMBERISH)
def test_clean_conversions_take_exactly_the_canonical_text(text: str) -> None:
    for conv in (mapping.DECIMAL, mapping.INT, mapping.DATE, mapping.PERIOD):
        try:
            value = conv.parse(text)
            canonical = conv.fmt(value) == text
        except ValueError:
            canonical = False
        clean = conv.clean(text)
        if canonical:
            assert clean is not None and clean == value
        else:
            assert clean is None


# -- the collector ----------------------------------------------------------------------------------


@pytest.mark.parametrize("read", [edi.read_remittances, edi.read_claims])
def test_the_collector_is_left_as_found(read: Any) -> None:
    path = FIXTURES / ("835/paid_in_full.x12" if read is edi.read_remittances else "837p/drug.x12")
    assert gc.isenabled()
    list(read(path))
    assert gc.isenabled()
    gc.disable()
    try:
        list(read(path))
        assert not gc.isenabled()
    finally:
        gc.enable()
    gc.freeze()  # a caller's own freeze (say, before forking) is never undone
    try:
        frozen = gc.get_freeze_count()
        list(read(path))
        assert gc.get_freeze_count() == frozen > 0
    finally:
        gc.unfreeze()


def test_a_bad_set_among_clean_sets() -> None:
    text = (FIXTURES / "835" / "multiple_sets.x12").read_text()
    text = text.replace("CLP*PCN8003*1*40*20", "CLP*PCN8003*1*40*2O")  # the third set
    reader = edi.read_remittances(text.encode())
    remits = list(reader)
    # The third set is read without that claim, which it lists as not read.
    assert [r.envelope.set_control_number for r in remits if r.envelope] == ["0001", "0002", "0003"]
    assert [[u.patient_control_number for u in r.unread_claims] for r in remits] == [
        [],
        [],
        ["PCN8003"],
    ]
    assert any("CLP04 is '2O'" in str(d) for d in reader.diagnostics)


@pytest.mark.parametrize("general", [False, True], ids=["compiled", "general"])
def test_a_list_longer_than_its_segment_is_refused_not_cut(general: bool) -> None:
    """Validation refuses a fifth modifier; one added in place afterwards is refused by the writer,
    on both paths, instead of being dropped."""
    (claim,) = edi.read_claims(FIXTURES / "837p" / "drug.x12")
    claim.lines[0].professional.modifiers.extend(["25", "59", "76", "77", "91"])  # type: ignore[union-attr]
    with general_code_only() if general else contextlib.nullcontext():
        with pytest.raises(
            edi.WriteError, match="claim PCN5001: line 1: SV1 has room for 4 modifiers, not 5"
        ):
            edi.write_837([claim])
