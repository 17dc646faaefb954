"""Segment grammars: Lark LALR grammars whose terminals are whole segments.

A grammar in `grammars/*.lark` declares its terminals with `%declare`. A terminal is a segment ID (`CLP`)
or a segment ID with the qualifier that tells loops apart (`NM1_QC`, `N1_PR`, `HL_22`): the part after the
underscore is the value of the segment's qualifier element, element 01 unless a directive in the grammar
says otherwise (`// @qualifier HL 3`). A qualifier inside a composite is its first component. The
grammar is the only place that says which qualified tags exist: the tagger reads them off its terminals.

Rules are loops. A rule named `<name>_<loop id>` (`claim_payment_2100`, `payer_1000a`) builds a `Loop`
with that ID; the start rule `transaction` builds the root loop `ST`; rules whose names start with `_`
are helpers whose items are spliced into the loop that uses them. A loop rule starts with the terminal(s)
of its first segment, which is how an error message names the loop it happened in.

Lark compiles the grammar and its LALR table (once per process); a small driver runs the table and builds
the loop tree while it parses, with no second pass over a parse tree. In lenient mode (the default) an
unexpected segment is reported, kept in the loop being read, and parsing goes on.

What the table does with a tag depends only on the parser's state stack, and a transaction set visits
few distinct stacks, so each (stack, tag) is run through the table once and remembered as one step:
the loops it closes and the stack it leads to (`_Row`). A set the grammar accepts as it is is parsed
with those steps alone; the first segment the table refuses sends the set through the driver with
error recovery, from its start.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lark import Lark, Token
from lark.exceptions import GrammarError, LarkError
from lark.lexer import Lexer
from lark.parsers.lalr_analysis import Shift

from edi.diagnostics import Diagnostic, Location, Severity, quoted_id
from edi.errors import ConfigurationError, StructureError
from edi.loops import Loop
from edi.x12.segment import Segment

_QUALIFIER_DIRECTIVE = re.compile(r"^\s*//\s*@qualifier\s+([A-Z0-9]{2,3})\s+(\d{1,2})\s*$", re.M)
_LOOP_RULE = re.compile(r"^(?P<name>[a-z][a-z0-9_]*?)_(?P<id>\d{4}[a-z]{0,2})$")
_SEGMENT_ID = re.compile(r"^[A-Z][A-Z0-9]{1,2}$")
# Segments whose first element is a qualifier worth naming in messages ("NM1*QC is not expected").
_QUALIFIED_IDS = frozenset(
    {"NM1", "N1", "REF", "DTM", "DTP", "AMT", "QTY", "PER", "HL", "CAS", "NTE"}
)
_REDUCE = 1
_SHIFT = 0
# Segments whose qualifier names the loop they open, read as another of their tags when the segments
# after them fit only that one (`_relabel`).
_RELABELED = frozenset({"HL"})
_TOP_LEVEL = "HL_20"  # the 837 billing provider's level: the one HL without a parent (HL02)
# The segments an 837 HL level holds before its name loop (2000A PRV, CUR; 2000B SBR, PAT; 2000C
# PAT): a level opened just before SE with only these is a stray level (`_bare_level_before`).
_LEVEL_SEGMENTS = frozenset({"PRV", "CUR", "SBR", "PAT"})
_REPAIR_WINDOW = 4  # segments looked at when deciding whether a loop's first segment is missing
_REPAIR_REACH = 12  # segments looked at to choose between repairs that tie within the window
_MAX_TAIL = 8  # segments before SE left out, at most, to let a set's loops close (error path only)
_MISSING = object()  # stands for a missing loop-start segment on the value stack
MAX_EXPECTED_SHOWN = 16
# Parser stacks remembered per grammar (about 600 bytes each): the corpus reaches a few hundred, random
# claims of every shape many thousands; when full, the memory starts again (`_forget`).
_MAX_ROWS = 4096


def grammar_dir() -> Path:
    """Where the `.lark` files are: `grammars/` beside the package (source tree or installed data)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "grammars", here.parent / "grammars"):
        if candidate.is_dir():
            return candidate
    raise ConfigurationError(f"no grammars directory found next to {here}")


class SegmentLexer(Lexer):
    """Lark lexer over a sequence of segments: one token per segment, its type the segment's tag.

    Only used when a grammar is run through `Lark.parse` (tests compare it with the driver).
    """

    def __init__(self, lexer_conf: object) -> None:
        self.tagger: SegmentGrammar | None = None

    def lex(self, data: tuple[SegmentGrammar, Iterable[Segment]]) -> Iterator[Token]:  # type: ignore[override]
        # Lark's default (interface 0) custom-lexer protocol passes the parse input itself:
        # `lark.parse((grammar, segments))`.
        grammar, segments = data
        for seg in segments:
            yield Token(grammar.tag(seg), seg)


class _Items(list):  # type: ignore[type-arg]
    """Segments and loops of a helper rule, spliced into the loop that uses it."""

    __slots__ = ()


class _Row(dict):  # type: ignore[type-arg]
    """The steps remembered from one parser stack: tag → (next row, value index, loop reductions).

    A step feeds one tag: it makes the reductions (only those that build a loop, or start an empty
    value, need replaying: `_replay`) and shifts the segment, which becomes the value at that index.
    """

    __slots__ = ("stack",)

    def __init__(self, stack: tuple[int, ...]) -> None:
        super().__init__()
        self.stack = stack


@dataclass(slots=True)
class ParsedSet:
    """The loop tree of one transaction set and the structure problems found while building it."""

    root: Loop
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _LoopInfo:
    rule: str
    loop_id: str
    name: str


class SegmentGrammar:
    """A compiled segment grammar. Build with `get_grammar(name)`, which caches one per process."""

    def __init__(
        self, name: str, text: str | None = None, *, source_dir: Path | None = None
    ) -> None:
        source_dir = source_dir or grammar_dir()
        path = source_dir / f"{name}.lark"
        if text is None:
            if not path.is_file():
                raise ConfigurationError(f"no grammar {name!r} in {source_dir}")
            text = path.read_text(encoding="utf-8")
        self.name = name
        try:
            self.lark = Lark(
                text,
                parser="lalr",
                lexer=SegmentLexer,
                start="transaction",
                strict=True,
                import_paths=[str(source_dir)],
                source_path=str(path),
            )
        except (GrammarError, LarkError, AttributeError, KeyError) as exc:
            # Lark reports some grammar mistakes as parse errors or even attribute errors.
            raise ConfigurationError(f"grammar {name!r} does not compile: {exc}") from exc
        self._compile(_qualifier_directives(text, source_dir))
        # `_open_loop`'s last answer and what it was for (the stack, by identity and shape).
        self._open_memo: tuple[tuple[int, int, int, int], _LoopInfo | None] | None = None

    # -- compilation ------------------------------------------------------------------------------

    def _compile(self, positions: dict[str, int]) -> None:
        rules = self.lark.rules
        terminals: set[str] = set()
        for rule in rules:
            for sym in rule.expansion:
                if sym.is_term:
                    terminals.add(str(sym.name))
        # `%declare`d segment tags that no rule uses yet still name segments of this grammar.
        declared = self.lark.grammar.term_defs if hasattr(self.lark, "grammar") else ()
        for name, (tree, _priority) in declared:
            if tree is None and _SEGMENT_ID.match(name.partition("_")[0]):
                terminals.add(str(name))
        self.terminals = frozenset(terminals)
        # Tagging table: segment ID -> (element position, {qualifier: terminal}, bare terminal or None).
        qualified: dict[str, dict[str, str]] = {}
        for term in terminals:
            seg_id, _, qual = term.partition("_")
            if not _SEGMENT_ID.match(seg_id):
                raise ConfigurationError(
                    f"grammar {self.name!r}: terminal {term!r} is not a segment tag"
                )
            if qual:
                qualified.setdefault(seg_id, {})[qual] = term
        self._qualified = {
            seg_id: (positions.get(seg_id, 1), quals, seg_id if seg_id in terminals else None)
            for seg_id, quals in qualified.items()
        }
        self.segment_ids = frozenset(t.partition("_")[0] for t in terminals)
        self.qualifier_positions = {seg_id: q[0] for seg_id, q in self._qualified.items()}

        # Loop rules and what each rule builds.
        loop_info: dict[str, _LoopInfo] = {}
        for rule in rules:
            origin = str(rule.origin.name)
            if origin not in loop_info and not _is_helper(origin):
                loop_info[origin] = _loop_info(origin)
        self._loops = loop_info
        self._expansions: dict[str, list[Any]] = {}
        for rule in rules:
            self._expansions.setdefault(str(rule.origin.name), []).append(rule.expansion)

        # The LALR table as a list of dicts with plain tuples: (SHIFT, state) or (REDUCE, size, origin, builder).
        table = self.lark.parser.parser.parser.parse_table
        n_states = max(table.states) + 1
        states: list[dict[str, tuple]] = [{} for _ in range(n_states)]  # type: ignore[type-arg]
        for state, actions in table.states.items():
            row = states[state]
            for symbol, (action, arg) in actions.items():
                # Plain str keys: imported names are lark Tokens, whose == runs in Python.
                if action is Shift:
                    row[str(symbol)] = (_SHIFT, arg)
                else:
                    origin = str(arg.origin.name)
                    info = loop_info.get(origin)
                    row[str(symbol)] = (_REDUCE, len(arg.expansion), origin, info)
        self._states = states
        # Every tag some state takes: a segment of none (an unknown one) no repair can fit.
        self._terminals = frozenset(t for row in states for t in row if t.isupper())
        # `expected` by state: made once each (100,000 unknown segments in one claim each made
        # and sorted the same list again: the fuzz tester).
        self._expected: dict[int, tuple[str, ...]] = {}
        self._start = table.start_states["transaction"]
        self._end = table.end_states["transaction"]
        self._rows: dict[tuple[int, ...], _Row] = {}
        self._depth = 0  # the most values a remembered stack holds, plus one
        self._first_row = self._row((self._start,))

        # For error messages: which tags open which loops, and which loops contain which.
        starts: dict[str, list[str]] = {}
        edges: dict[str, set[str]] = {}
        for rule in rules:
            origin = str(rule.origin.name)
            syms = rule.expansion
            if origin in loop_info and syms and syms[0].is_term:
                lst = starts.setdefault(str(syms[0].name), [])
                if origin not in lst:
                    lst.append(origin)
            for sym in syms:
                if not sym.is_term:
                    edges.setdefault(origin, set()).add(sym.name)
        self._loop_starts = starts
        self._parents: dict[str, set[str]] = {}
        for origin in loop_info:
            seen: set[str] = set()
            todo = list(edges.get(origin, ()))
            while todo:
                name = todo.pop()
                if name in seen:
                    continue
                seen.add(name)
                if name in loop_info:
                    self._parents.setdefault(name, set()).add(origin)
                else:
                    todo.extend(edges.get(name, ()))

    # -- tagging -----------------------------------------------------------------------------------

    def tag(self, seg: Segment) -> str:
        """The token type of a segment: `NM1_QC` when the grammar has that qualified tag, else its ID."""
        sid = seg.id
        q = self._qualified.get(sid)
        if q is None:
            return sid
        pos, quals, bare = q
        els = seg.elements
        value = els[pos] if pos < len(els) else ""
        comp = seg.delimiters.component
        if comp in value:
            value = value.split(comp, 1)[0]
        term = quals.get(value)
        if term is not None:
            return term
        return bare if bare is not None else f"{sid}_{value}"

    def describe_tag(self, tag: str) -> str:
        """`NM1_82` → `NM1*82`; `HL_22` → `HL(HL03=22)`; `$END` → `end of transaction set`."""
        if tag == "$END":
            return "the end of the transaction set (SE)"
        seg_id, _, qual = tag.partition("_")
        if not qual:
            return seg_id
        pos = self.qualifier_positions.get(seg_id, 1)
        return f"{seg_id}*{qual}" if pos == 1 else f"{seg_id}({seg_id}{pos:02d}={qual})"

    def expected(self, state: int) -> tuple[str, ...]:
        """What the parser would accept in a state, as readable tags."""
        said = self._expected.get(state)
        if said is None:
            names = sorted(s for s in self._states[state] if s.isupper() or s == "$END")
            shown = [self.describe_tag(s) for s in names]
            if len(shown) > MAX_EXPECTED_SHOWN:
                more = f"… ({len(names) - MAX_EXPECTED_SHOWN} more)"
                shown = [*shown[:MAX_EXPECTED_SHOWN], more]
            said = self._expected[state] = tuple(shown)
        return said

    # -- parsing -----------------------------------------------------------------------------------

    def parse(self, segments: Iterable[Segment], *, strict: bool = False) -> ParsedSet:
        """Build the loop tree of one transaction set (ST..SE).

        In lenient mode (default) a segment the grammar does not allow where it stands is reported and
        kept in the loop being read, and parsing goes on. When the segment would fit had the first
        segment of a required loop been there (a missing NM1*PR opening 2330B, say), that missing
        segment is reported instead and parsing goes on inside the loop. With `strict=True` the first
        problem raises `StructureError`.
        """
        segs = segments if isinstance(segments, list) else list(segments)
        root = self._parse_steps(segs)
        if root is not None:
            return ParsedSet(root)
        return self._parse_recovering(segs, strict=strict)

    def _parse_steps(self, segs: list[Segment]) -> Loop | None:
        """The loop tree of a set the grammar accepts as it is, from remembered steps; None at the
        first segment the table refuses.

        The values of the parser's value stack are kept flat: `items` holds the segments and built
        loops in input order, `starts[i]` where value i begins in it (entries past the top of the
        stack are stale). Helper rules then cost nothing (their values are already in place), and a
        loop takes `items[starts[i]:]`.
        """
        row = self._first_row
        qualified = self._qualified
        tag = self.tag
        items: list[Segment | Loop] = []
        starts = [0] * self._depth
        try:
            for seg in segs:
                t = seg.id
                if t in qualified:  # most segment IDs are their own tag: no call for them
                    t = tag(seg)
                step = row.get(t)
                if step is None:
                    step = self._step(row, t)
                    if step is None:
                        return None
                    starts.extend([0] * (self._depth - len(starts)))
                row, at, loops = step
                if loops:
                    _replay(loops, items, starts)
                starts[at] = len(items)
                items.append(seg)
            step = row.get("$END") or self._step(row, "$END")
            if step is None:
                return None
            _replay(step[2], items, starts)
        except IndexError:
            # A step another thread remembered meanwhile leads deeper than `starts` reaches.
            return None
        root = items[0] if len(items) == 1 else None
        return root if type(root) is Loop else None

    def _row(self, stack: tuple[int, ...]) -> _Row:
        row = self._rows.get(stack)
        if row is None:
            if len(self._rows) >= _MAX_ROWS:
                self._forget()
            row = self._rows.get(stack)
        if row is None:
            row = self._rows[stack] = _Row(stack)
            self._depth = max(self._depth, len(stack))  # values on the stack: len(stack) - 1
        return row

    def _forget(self) -> None:
        """Drop every remembered step, to learn again from here on. Files of many shapes (random
        claims, a clearinghouse's many submitters) would otherwise fill the memory for good and send
        every later new shape to the plain driver. A parse that holds rows of the old memory goes on
        with them: a row only says what its stack does, whichever memory it is in."""
        first = (self._start,)
        self._rows = {first: _Row(first)}
        self._first_row = self._rows[first]

    def _step(self, row: _Row, tag: str) -> tuple[_Row, int, tuple[_Reduction, ...]] | None:
        """Run `tag` through the table from the stack of `row` and remember the step (None: refused).

        The step is (the row of the stack it leads to, the index of the value the segment becomes,
        the reductions to replay, as `_feed` gives them).
        """
        stack = list(row.stack)
        reductions: list[_Reduction] = []
        if not self._feed(stack, tag, reductions):
            return None
        following = self._row(tuple(stack))
        step = (following, len(stack) - 2, tuple(reductions))
        row[tag] = step
        return step

    def _feed(self, stack: list[int], tag: str, reductions: list[_Reduction] | None = None) -> bool:
        """Run one tag through the table on `stack` (changed in place): the reductions the table
        asks for, then the shift; `$END` stops at the end state. False when the table refuses it.

        With `reductions`, each reduction that builds a loop or an empty value is appended as (index
        of the value it makes, whether it is empty, the loop or None), for `_replay`.
        """
        states = self._states
        while True:
            action = states[stack[-1]].get(tag)
            if action is None:
                return False
            if action[0] == _SHIFT:
                stack.append(action[1])
                return True
            _, size, origin, info = action
            at = len(stack) - 1 - size
            if size:
                del stack[-size:]
            stack.append(states[stack[-1]][origin][1])
            if reductions is not None and (info is not None or not size):
                reductions.append((at, not size, info))
                self._depth = max(self._depth, len(stack))  # an empty value may go deeper
            if tag == "$END" and stack[-1] == self._end:
                return True

    def _parse_recovering(
        self, segs: list[Segment], *, strict: bool, tail: bool = True
    ) -> ParsedSet:
        """The plain driver over the table, with error recovery (see `parse`). With `tail`, a set
        whose loops cannot close at its end is tried without the segments just before its end
        (`_close_before_tail`)."""
        states = self._states
        tag = self.tag
        tags = [tag(seg) for seg in segs]
        state_stack = [self._start]
        value_stack: list[object] = []
        diagnostics: list[Diagnostic] = []
        # Unexpected segments before anything was accepted (typed for the loops an HL would close).
        strays: list[Segment | Loop] = []
        stray_ids: set[int] = set()  # segments kept where they were not expected
        pending: list[Segment] = []  # strays kept with the loop the next segment opens
        last: Segment | None = None
        fed_at = -1  # the segment a missing loop start was last fed before

        for i, seg in enumerate(segs):
            t = tags[i]
            last = seg
            if seg.id in _RELABELED:
                relabel = self._relabel(state_stack, tags, i, value_stack, seg)
                if relabel is not None:
                    diag = self._relabeled(seg, t, relabel, state_stack)
                    if strict:
                        raise StructureError(diag)
                    diagnostics.append(diag)
                    tags[i] = t = relabel
            while True:
                action = states[state_stack[-1]].get(t)
                if action is None:
                    if t == "SE" and tail and not strict and self._bare_level_before(tags, i):
                        end = self._unexpected(seg, "$END", state_stack, value_stack, stray_ids)
                        ended = self._close_before_tail(segs, end)
                        if ended is not None:
                            return ended
                    missing = (
                        self._missing_start(state_stack, tags, i, value_stack)[0]
                        if t in self._terminals
                        else None  # no state takes it: no loop start missing makes it fit
                    )
                    if missing is not None:
                        diag = self._missing(seg, missing, state_stack, value_stack, stray_ids)
                        if strict:
                            raise StructureError(diag)
                        diagnostics.append(diag)
                        # Not after a loop start fed for this segment already (the HL of a level
                        # missing whole, before its NM1): the segment before was never in it.
                        if i and id(segs[i - 1]) not in stray_ids and fed_at != i:
                            doubt = self._doubt(segs[i - 1], tags[i - 1], missing, state_stack)
                            if doubt is not None:
                                diagnostics.append(doubt)
                        self._feed_missing(missing, state_stack, value_stack)
                        fed_at = i
                        continue
                    if t.startswith("HL_") or (t == "SE" and not strict):
                        # A level's HL (or the SE) inside loops that are not complete: they are
                        # closed (kept, broken) and the level is read, not taken into them as a
                        # stray segment (nor, at the SE, left open with every loop around them).
                        diag = self._incomplete(seg, t, state_stack, value_stack, stray_ids)
                        closed = self._close_for(t, state_stack, value_stack)
                        if closed is not None:
                            if strict:
                                raise StructureError(diag)
                            diagnostics.append(diag)
                            for item in closed:
                                if value_stack:
                                    _keep(value_stack, item)
                                else:  # pragma: no cover - the header never takes an HL
                                    strays.append(item)
                            continue
                    # An unexpected SE means the set ended early: reported once, as the end below.
                    ahead = self._opened_after(state_stack, tags, i) if t != "SE" else None
                    if t != "SE":
                        diag = self._unexpected(seg, t, state_stack, value_stack, stray_ids)
                        if ahead is not None:
                            diag = _kept_ahead(diag, ahead, self.describe_tag(tags[i + 1]))
                        if strict:
                            raise StructureError(diag)
                        diagnostics.append(diag)
                    stray_ids.add(id(seg))
                    if ahead is not None:
                        pending.append(seg)
                    elif value_stack:
                        _keep(value_stack, seg)
                    else:
                        strays.append(seg)
                    break
                if action[0] == _SHIFT:
                    state_stack.append(action[1])
                    value_stack.append(_Items((*pending, seg)) if pending else seg)
                    pending.clear()
                    break
                _reduce(action, state_stack, value_stack, states)

        # End of input. A set without SE ends as if it had one when its loops can close there, so
        # that the loops read are kept; the envelope reader reports the missing trailer.
        if (
            not strict
            and last is not None
            and last.id != "SE"
            and self._accepts_seq(state_stack, ["SE"])
        ):
            self._feed_missing("SE", state_stack, value_stack)
        end = self._end
        while True:
            action = states[state_stack[-1]].get("$END")
            if action is None:
                diag = self._unexpected(last, "$END", state_stack, value_stack, stray_ids)
                if strict:
                    raise StructureError(diag)
                ended = None
                if tail and diag.code == "structure.unexpected_end":
                    ended = self._close_before_tail(segs, diag)
                if ended is not None:
                    return ended
                diagnostics.append(diag)
                items = _Items(strays)
                for value in value_stack:
                    _splice(items, value)
                return ParsedSet(Loop("ST", "transaction", list(items)), diagnostics)
            if action[0] == _SHIFT:  # pragma: no cover - lark never shifts $END
                break
            _reduce(action, state_stack, value_stack, states)
            if state_stack[-1] == end:
                break
        root = value_stack[-1]
        assert isinstance(root, Loop)
        if strays:
            root.items[0:0] = strays
        return ParsedSet(root, diagnostics)

    # -- error recovery ------------------------------------------------------------------------------

    def _feed_missing(self, tag: str, state_stack: list[int], value_stack: list[object]) -> None:
        """Run `tag` through the table (which must accept it) with no segment behind it."""
        states = self._states
        while True:
            fed = states[state_stack[-1]][tag]
            if fed[0] == _SHIFT:
                state_stack.append(fed[1])
                value_stack.append(_MISSING)
                return
            _reduce(fed, state_stack, value_stack, states)

    def _close_before_tail(self, segs: list[Segment], diag: Diagnostic) -> ParsedSet | None:
        """The set parsed without its last few segments before SE, from an HL on, when that lets
        its loops close: a hierarchical level opened at the very end (a stray HL) would otherwise
        leave every loop around it open, and the loops read before it would be lost. The segments
        left out are kept at the end of the root loop, before SE, and reported once (`diag`, moved
        to the first of them). None when no such cut is found within `_MAX_TAIL` segments."""
        has_se = segs[-1].id == "SE"
        body_end = len(segs) - 1 if has_se else len(segs)
        for cut in range(body_end - 1, max(1, body_end - _MAX_TAIL) - 1, -1):
            if segs[cut].id != "HL":
                # Only a hierarchical level opened at the end: written back at the end of the set,
                # an HL reads again as the start of a level; any other segment would be read into
                # the loop before it, and that loop would become the broken one.
                continue
            head = segs[:cut] + segs[body_end:]
            root = self._parse_steps(head)
            parsed = ParsedSet(root) if root is not None else None
            if parsed is None:
                parsed = self._parse_recovering(head, strict=False, tail=False)
                if any(d.code == "structure.unexpected_end" for d in parsed.diagnostics):
                    continue
            kept = segs[cut:body_end]
            items = parsed.root.items
            at = len(items) - 1 if has_se and items and items[-1] is segs[-1] else len(items)
            items[at:at] = kept
            first = kept[0]
            loc = diag.location
            moved = Location(first.index, first.id, first.line, first.offset) if loc else None
            message = (
                f"the transaction set ends before the loop {self._shown(first, self.tag(first))} "
                f"opens is complete ({len(kept)} segment(s) kept at the end of the set)"
            )
            note = Diagnostic(diag.code, message, diag.severity, moved, diag.expected, diag.ack)
            return ParsedSet(parsed.root, [*parsed.diagnostics, note])
        return None

    def _close_for(
        self, tag: str, state_stack: list[int], value_stack: list[object]
    ) -> list[Segment | Loop] | None:
        """Close the loops still open, innermost first, until the table takes `tag` (the HL of a
        level, or the SE): what they hold leaves the stack as one loop, that of their first segment (a claim
        cut short: its CLM, the 2320 its stray SBR opened, the segments taken in as strays), to be
        kept in the loop around them; as they are when their first segment opens no one loop.
        None (nothing changed) when no enclosing loop takes `tag`."""
        for k in range(len(state_stack) - 1, 0, -1):
            if self._accepts_seq(state_stack[:k], [tag]):
                break
        else:
            return None
        popped = value_stack[k - 1 :]
        del value_stack[k - 1 :]
        del state_stack[k:]
        flat: list[Segment | Loop] = []
        for value in popped:
            if type(value) is _Items:
                flat.extend(value)
            elif value is not _MISSING:
                flat.append(value)  # type: ignore[arg-type]
        first = flat[0] if flat else None
        opens = self._loop_starts.get(self.tag(first), []) if type(first) is Segment else []
        if len(opens) != 1:
            return flat
        info = self._loops[opens[0]]
        return [Loop(info.loop_id, info.name, flat)]

    def _incomplete(
        self,
        seg: Segment,
        tag: str,
        state_stack: list[int],
        value_stack: Sequence[object],
        stray_ids: set[int],
    ) -> Diagnostic:
        """The diagnostic of an HL or SE that closes loops that are not complete (`_close_for`)."""
        loop = self._loop_of_state(state_stack) or self._open_loop(value_stack, stray_ids)
        what = f"loop {loop.loop_id} {loop.name}" if loop else "the loop before it"
        if tag == "SE":
            message = (
                f"the transaction set ends before {what} is complete: the loops still open are "
                "closed there"
            )
        else:
            message = (
                f"{self._shown(seg, tag)} opens a level before {what} is complete: the loops open "
                "before it are closed, and the level is read"
            )
        loc = _located(seg, loop)
        return Diagnostic(
            "structure.incomplete_loop",
            message,
            Severity.ERROR,
            loc,
            self.expected(state_stack[-1]),
            ack="IK304:3",
        )

    def _doubt(
        self, before: Segment, tag: str, missing: str, stack: list[int]
    ) -> Diagnostic | None:
        """A warning that the segment `before` a loop whose first segment (`missing`) is missing
        may be that loop's, read into the loop before it: when the missing loop takes it right
        after its first segment and no loop of the missing one's kind closes in between (a
        claim's REF*F8 before its missing CLM went into the payer's name loop, which every claim
        of the subscriber shares: the next claim was read with it). The loop it was read in is
        then not trusted (a structure problem at that segment); None when nothing is in doubt."""
        if tag in self._loop_starts:
            return None
        after, closes = self._open(stack, missing)
        if after is None or closes or not self._feed(after, tag):
            return None
        starts = self._loop_starts[missing]
        loop = self._loop_of_state(stack)
        new = self._loops[starts[0]] if len(starts) == 1 else None
        what = f"loop {new.loop_id} {new.name}" if new else "a loop"
        return Diagnostic(
            "structure.doubtful_segment",
            f"{self._shown(before, tag)} may belong to {what} that lacks its first segment "
            f"({self.describe_tag(missing)}, said further on): the loop it is read in is not "
            "trusted",
            Severity.WARNING,
            _located(before, loop),
        )

    def _opened_after(self, stack: list[int], tags: list[str], i: int) -> _LoopInfo | None:
        """The loop the segment after tags[i] opens, when that loop takes this segment (refused
        here) right after its first one, and the loops it closes are of other kinds: a claim's
        DTP*431 or CR1 before its CLM, a PRV*BI before its billing provider's HL. The segment is
        then kept in that loop (its first item, before the segment that opens it), whose data it
        breaks, not in the loop before it: there it broke a loop every claim of a subscriber or a
        set shares, and every one of them was lost. Between two loops of one kind (an HI after a
        claim's last line, before the next CLM) it could be either's: it stays in the one before."""
        if i + 1 >= len(tags) or tags[i + 1] not in self._loop_starts:
            return None
        after, closes = self._open(stack, tags[i + 1])
        if after is None or closes or not self._feed(list(after), tags[i]):
            return None
        starts = self._loop_starts[tags[i + 1]]
        return self._loops[starts[0]] if len(starts) == 1 else self._loop_of_state(after)

    def _bare_level_before(self, tags: list[str], i: int) -> bool:
        """Whether an HL opens a level within the last few segments before tags[i] (an SE) with
        only the level's own segments after it (`_LEVEL_SEGMENTS`): a level begun at the very end
        (a stray HL, with its PAT or SBR). The set is then read without it (`_close_before_tail`),
        as when nothing can close the level, rather than with its missing name loop supplied: the
        supplied loop left a level that no claim writes back, with a report of each thing it
        lacks."""
        for k in range(i - 1, max(0, i - _MAX_TAIL) - 1, -1):
            if tags[k].startswith("HL"):
                return True
            if tags[k] not in _LEVEL_SEGMENTS:  # a name loop, a claim, a line's segments
                return False
        return False

    def _accepts(self, stack: list[int], tags: list[str], start: int, count: int) -> int:
        """How many of tags[start:start+count] the parser accepts from `stack` (a copy is used)."""
        return self._accepts_seq(stack, tags[start : start + count])

    def _accepts_seq(self, stack: list[int], seq: list[str]) -> int:
        """How many tags of `seq`, in order, the parser accepts from `stack` (a copy is used)."""
        stack = list(stack)
        for accepted, t in enumerate(seq):
            if not self._feed(stack, t):
                return accepted
        return len(seq)

    def _missing_start(
        self, stack: list[int], tags: list[str], i: int, values: Sequence[object]
    ) -> tuple[str | None, int]:
        """The loop-start tag whose absence explains the error at tags[i], if one does, and the
        score another repair must beat: how many of the next segments this repair, or skipping
        the segment, lets the parser accept.

        A candidate must let the parser accept this segment and go on at least as far as skipping it
        would; on a tie it must not turn up in the next few segments (then this segment is merely
        out of order, and skipping it is the better report), unless this segment opens a loop of
        its own: skipped, the next claim's CLM after a claim without any service line (LX) took
        that claim's lines into the claim before it, and the claim was lost. On a tie a missing HL
        is never the repair: a name loop repeated in a billing provider level (NM1*85 twice) reads
        as well as a new level whose HL is missing, and the repeat is far the likelier mistake. Nor
        is, on a tie, a loop that would close one of its own kind: an HI after a line reads as well
        as a claim whose CLM is missing, but that repair cut the claim before it short (its lines
        after the HI went to the claim without a CLM), and the claim cut short was read as whole.
        Candidates that tie are told apart by how far they let the parser go (`_REPAIR_REACH`): an
        SBR, NM1*IL, N3, N4 after a claim's line reads as a 2320 whose CLM is missing as well as a
        subscriber whose HL is missing, until the subscriber's DMG. A missing HL may come with
        the first segment of a loop its level requires (`_then_missing`: a whole 2000A missing
        before a subscriber's HL); such a repair of two must beat skipping the segment, not tie.
        (Any other loop repaired with a second one, a 2320 closed by an LX read as lacking its
        2330A and 2330B, where the loops open are better closed at the next HL.)
        """
        row = self._states[stack[-1]]
        window = _REPAIR_WINDOW
        skip_score = self._accepts(stack, tags, i + 1, window - 1)
        ahead = set(tags[i + 1 : i + 1 + window])
        opens = tags[i] in self._loop_starts
        best, best_score = None, -1
        for candidate in [*sorted(self._loop_starts), *self._required_only(row)]:
            if candidate not in row:
                continue
            seq = tags[i : i + window]
            accepted = self._accepts_seq(stack, [candidate, *seq]) - 1
            deeper = accepted == 0 and candidate.startswith("HL_")
            if deeper:  # a level may be missing whole: its HL and its name loop's NM1
                accepted = self._then_missing(stack, candidate, seq)
            if accepted <= 0:
                continue
            score = accepted - 1  # the segments after this one
            if (
                score < skip_score
                or (deeper and score == skip_score)
                or (
                    score == skip_score
                    and (
                        (candidate in ahead and not opens)
                        or candidate.startswith("HL_")
                        or self._cuts_short(stack, values, candidate, tags[i])
                    )
                )
            ):
                continue
            if score > best_score:
                best, best_score = candidate, score
            elif score == best_score and best is not None:
                reach = tags[i : i + _REPAIR_REACH]
                if self._accepts_seq(stack, [candidate, *reach]) > self._accepts_seq(
                    stack, [best, *reach]
                ):
                    best = candidate
        return best, max(skip_score, best_score)

    def _required_only(self, row: dict[str, Any]) -> list[str]:
        """The one segment a state takes, when it takes one only and it opens no loop: a segment
        the guide requires there (the BHT after an 837's ST, the BPR after an 835's), whose
        absence is repaired as a loop's missing first segment is. Skipped instead, every segment
        after it was unexpected, and the set was lost."""
        terminals = [t for t in row if t.isupper() and t != "$END"]
        if len(terminals) == 1 and terminals[0] not in self._loop_starts:
            return terminals
        return []

    def _then_missing(self, stack: list[int], first: str, seq: list[str]) -> int:
        """How many of `seq` the parser accepts after `first` and another loop's first segment, at
        best: a billing provider level missing whole (HL*20 and its NM1*85) before a subscriber's
        HL is two loop starts missing. 0 when no second one lets it take `seq[0]`."""
        after = list(stack)
        if not self._feed(after, first):
            return 0
        row = self._states[after[-1]]
        best = 0
        for second in sorted(self._loop_starts):
            if second in row:
                best = max(best, self._accepts_seq(after, [second, *seq]) - 1)
        return best

    def _open(self, stack: list[int], tag: str) -> tuple[list[int] | None, bool]:
        """Run `tag` (a loop's first segment) on a copy of `stack`: the stack it leads to (None when
        refused), and whether it closes a loop of the kind it opens (a CLM after a claim's line
        closes that claim; after the payer's name loop it closes no claim)."""
        after = list(stack)
        reductions: list[_Reduction] = []
        if not self._feed(after, tag, reductions):
            return None, False
        kinds = {self._loops[rule].loop_id for rule in self._loop_starts.get(tag, ())}
        return after, any(info is not None and info.loop_id in kinds for _, _, info in reductions)

    def _cuts_short(self, stack: list[int], values: Sequence[object], tag: str, this: str) -> bool:
        """Whether supplying `tag` (a loop's first segment) before a segment tagged `this` closes
        a loop of the kind `tag` opens whose own segments hold none with the ID of `this`: the
        segment then likely belongs to that loop, out of order (an HI after the first line of a
        claim without one), rather than to a new loop whose first segment is missing (an HI
        after a claim with its own: the next claim's CLM is missing)."""
        if not self._open(stack, tag)[1]:
            return False
        seg_id = this.partition("_")[0]
        for value in reversed(values):  # the open loop's own segments, back to its first
            for item in reversed(value) if type(value) is _Items else (value,):
                if type(item) is not Segment:
                    continue
                if item.id == seg_id:
                    return False
                if self.tag(item) == tag:
                    return True
        return True

    def _relabel(
        self, stack: list[int], tags: list[str], i: int, values: Sequence[object], seg: Segment
    ) -> str | None:
        """Another tag of the segment at tags[i] whose reading lets the parser go on further than
        its own tag, or than any repair when its own is refused: the next segments fit only that
        one. Only for the segments whose qualifier names a level (`_RELABELED`): an HL whose HL03
        names another level than its segments make (a subscriber's SBR after HL03 23 or 20) is
        that level with a wrong code, not a stray segment or a new level that breaks the levels
        around it."""
        seg_id = tags[i].partition("_")[0]
        if seg_id not in self._qualified:
            return None
        row = self._states[stack[-1]]
        ahead = tags[i + 1 : i + _REPAIR_WINDOW]
        if self._accepts_seq(stack, tags[i : i + 1]):
            to_beat = self._accepts_seq(stack, tags[i : i + _REPAIR_WINDOW]) - 1
        else:
            to_beat = self._missing_start(stack, tags, i, values)[1]
        best, best_score = None, to_beat
        for candidate in sorted(self._qualified[seg_id][1].values()):
            if candidate == tags[i] or candidate not in row:
                continue
            if (candidate == _TOP_LEVEL) == bool(seg.element(2)):
                continue  # the level its HL02 makes it: a billing provider's has no parent
            score = self._accepts_seq(stack, [candidate, *ahead]) - 1
            # Every segment of the window must fit: a segment moved next to a sound HL (a PRV
            # after a subscriber's HL) fits a billing provider's level for one segment.
            if score > best_score and score == len(ahead):
                best, best_score = candidate, score
        return best

    def _relabeled(
        self, seg: Segment, tag: str, relabel: str, state_stack: list[int]
    ) -> Diagnostic:
        """The diagnostic of a segment read as another tag of its ID (`_relabel`): its qualifier
        element is wrong for the loop it opens."""
        pos = self.qualifier_positions[seg.id]
        starts = self._loop_starts.get(relabel, [])
        loop = self._loops[starts[0]] if len(starts) == 1 else self._loop_of_state(state_stack)
        element = f"{seg.id}{pos:02d}"
        loc = _located(seg, loop, element)
        what = f"loop {loop.loop_id} {loop.name}" if loop else "a loop"
        expected = relabel.partition("_")[2]
        value = seg.component(pos, 1)
        # A value longer than any code is data in the wrong place: not quoted (PHI).
        shown = "empty" if not value else repr(value) if len(value) <= 3 else "not a code"
        return Diagnostic(
            "structure.wrong_qualifier",
            f"{element} is {shown}, expected {expected}: the segments after this {seg.id} are "
            f"those of {what} (read as {self.describe_tag(relabel)})",
            Severity.ERROR,
            loc,
            (expected,),
            ack="IK403:7",
        )

    def _missing(
        self,
        seg: Segment,
        missing: str,
        state_stack: list[int],
        value_stack: Sequence[object],
        stray_ids: set[int],
    ) -> Diagnostic:
        stack = list(state_stack)
        while True:
            fed = self._states[stack[-1]][missing]
            if fed[0] == _SHIFT:
                stack.append(fed[1])
                break
            _, size, origin, _info = fed
            if size:
                del stack[-size:]
            stack.append(self._states[stack[-1]][origin][1])
        starts = self._loop_starts.get(missing, [])
        loop = (
            self._loops[starts[0]]
            if len(starts) == 1
            else self._loop_of_state(stack) or self._open_loop(value_stack, stray_ids)
        )
        what = f"loop {loop.loop_id} {loop.name}" if loop else "a loop"
        loc = _located(seg, loop)
        shown = f"{self.describe_tag(missing)} is missing before {self._shown(seg, self.tag(seg))}"
        if not starts:  # a segment its loop requires (`_required_only`)
            text = f"a required segment is missing: {shown}"
        else:
            text = f"{what} has no first segment: {shown}"
        return Diagnostic(
            "structure.missing_segment",
            text,
            Severity.ERROR,
            loc,
            (self.describe_tag(missing),),
            ack="IK304:3",
        )

    def _loop_of_state(self, state_stack: list[int]) -> _LoopInfo | None:
        """The innermost loop being read, found by following reductions from the parser state."""
        states = self._states
        stack = list(state_stack)
        for _ in range(200):
            row = states[stack[-1]]
            reduce = next((a for a in row.values() if a[0] == _REDUCE), None)
            if reduce is None:
                return None
            _, size, origin, info = reduce
            if info is not None:
                return info
            if size:
                del stack[-size:]
            goto = states[stack[-1]].get(origin)
            if goto is None:
                return None
            stack.append(goto[1])
        return None  # pragma: no cover

    def _unexpected(
        self,
        seg: Segment | None,
        tag: str,
        state_stack: list[int],
        value_stack: Sequence[object],
        stray_ids: set[int],
    ) -> Diagnostic:
        state = state_stack[-1]
        loop = self._loop_of_state(state_stack) or self._open_loop(value_stack, stray_ids)
        expected = self.expected(state)
        if seg is None:
            return Diagnostic(
                "structure.empty",
                "the transaction set has no segments",
                Severity.ERROR,
                None,
                expected,
                ack="IK502:5",
            )
        loc = _located(seg, loop)
        if tag == "$END":
            return Diagnostic(
                "structure.unexpected_end",
                "the transaction set ends before its loops are complete",
                Severity.ERROR,
                loc,
                expected,
                ack="IK304:3",
            )
        if not _SEGMENT_ID.match(seg.id):
            message, ack = f"{quoted_id(seg.id)} is not a valid segment ID", "IK304:1"
            if seg.id.upper() in self.segment_ids:  # X12 IDs are upper case: say which it would be
                message += f" (segment IDs are upper case: {seg.id.upper()})"
        elif seg.id not in self.segment_ids:
            message, ack = f"{seg.id} is not a segment of this transaction set", "IK304:6"
        else:
            message, ack = f"{self._shown(seg, tag)} is not expected here", "IK304:2"
        return Diagnostic(
            "structure.unexpected_segment", message, Severity.ERROR, loc, expected, ack=ack
        )

    def _shown(self, seg: Segment, tag: str) -> str:
        """How a message names a segment: its tag, or its ID and qualifier when the tag is bare. A
        qualifier longer than any code (a name in N101) is data in the wrong place: not quoted
        (PHI)."""
        if len(tag.partition("_")[2]) > 3:
            return seg.id
        if "_" not in tag and seg.id in _QUALIFIED_IDS:
            pos = 3 if seg.id == "HL" else 1
            qual = seg.component(pos, 1)
            if 0 < len(qual) <= 3 and qual.isalnum():
                return f"{seg.id}*{qual}" if pos == 1 else f"{seg.id}({seg.id}03={qual})"
        return self.describe_tag(tag)

    def _open_loop(self, value_stack: Sequence[object], stray_ids: set[int]) -> _LoopInfo | None:
        """The innermost loop still open: the topmost loop-start segment on the stack.

        Remembered until the stack changes but for strays kept on its top value (they are skipped
        here): each of 16,000 unknown segments in one claim scanned all those before it, and the
        file took minutes (quadratic)."""
        key = (
            id(value_stack),
            id(stray_ids),
            len(value_stack),
            id(value_stack[-1]) if value_stack else 0,
        )
        memo = self._open_memo
        if memo is not None and memo[0] == key:
            return memo[1]
        found = self._scan_open_loop(value_stack, stray_ids)
        self._open_memo = (key, found)
        return found

    def _scan_open_loop(
        self, value_stack: Sequence[object], stray_ids: set[int]
    ) -> _LoopInfo | None:
        opened: list[list[str]] = []
        for value in reversed(value_stack):
            segs = (
                [v for v in value if isinstance(v, Segment)] if type(value) is _Items else [value]
            )
            for seg in reversed(segs):
                if isinstance(seg, Segment) and id(seg) not in stray_ids:
                    rules = self._loop_starts.get(self.tag(seg))
                    if rules:
                        opened.append(rules)
            if len(opened) >= 2:
                break
        if not opened:
            return self._loops.get("transaction")
        candidates = opened[0]
        if len(candidates) > 1 and len(opened) > 1:
            outer = set(opened[1])
            narrowed = [r for r in candidates if self._parents.get(r, set()) & outer]
            candidates = narrowed or candidates
        return self._loops[candidates[0]]

    def loop_contents(self, loop_id: str) -> tuple[frozenset[str], frozenset[str]]:
        """The IDs of the segments a loop holds, and of the loops right under it (`2400` in 837I:
        LX, SV2, PWK, DTP, ... and 2410, 2420A-D, 2430); both empty for a loop the grammar lacks."""
        segments: set[str] = set()
        loops: set[str] = set()
        todo = [rule for rule, info in self._loops.items() if info.loop_id == loop_id]
        seen: set[str] = set()
        while todo:
            rule = todo.pop()
            if rule in seen:
                continue
            seen.add(rule)
            for expansion in self._expansions.get(rule, ()):
                for sym in expansion:
                    name = str(sym.name)
                    if sym.is_term:
                        segments.add(name.partition("_")[0])
                    elif name in self._loops:
                        loops.add(self._loops[name].loop_id)
                    else:  # a helper rule (a segment bag, a repeat): part of this loop
                        todo.append(name)
        return frozenset(segments), frozenset(loops)

    def loop_name(self, loop_id: str) -> str:
        """The readable name of a loop ID in this grammar ("" when unknown)."""
        for info in self._loops.values():
            if info.loop_id == loop_id:
                return info.name
        return ""


_Reduction = tuple[int, bool, "_LoopInfo | None"]


def _replay(
    reductions: tuple[_Reduction, ...], items: list[Segment | Loop], starts: list[int]
) -> None:
    """The loops (and empty values) a remembered step makes, on the flat value stack of `_parse_steps`."""
    for at, empty, info in reductions:
        if empty:
            starts[at] = len(items)
        if info is not None:
            start = starts[at]
            loop = Loop(info.loop_id, info.name, items[start:])
            del items[start:]
            items.append(loop)


def _reduce(
    action: tuple, state_stack: list[int], value_stack: list[object], states: list[dict]
) -> None:  # type: ignore[type-arg]
    _, size, origin, info = action
    if size:
        values = value_stack[-size:]
        del value_stack[-size:]
        del state_stack[-size:]
    else:
        values = []
    if info is not None:
        items: list[object] = []
        for v in values:
            if type(v) is _Items:
                items.extend(v)
            elif v is not _MISSING:
                items.append(v)
        value: object = Loop(info.loop_id, info.name, items)  # type: ignore[arg-type]
    elif size == 1:
        value = values[0]
    else:
        # Left-recursive repetitions hand back the list they built: extend it in place (no copies).
        first = values[0] if values else None
        if type(first) is _Items:
            value, rest = first, values[1:]
        else:
            value, rest = _Items(), values
        for v in rest:
            _splice(value, v)  # type: ignore[arg-type]
    state_stack.append(states[state_stack[-1]][origin][1])
    value_stack.append(value)


def _located(seg: Segment, loop: _LoopInfo | None, element: str | None = None) -> Location:
    """Where a structure problem is: the segment, in the loop named (when one is)."""
    return Location(
        seg.index,
        seg.id,
        seg.line,
        seg.offset,
        loop.loop_id if loop else None,
        loop.name if loop else None,
        element,
    )


def _kept_ahead(diag: Diagnostic, loop: _LoopInfo, opener: str) -> Diagnostic:
    """A stray's diagnostic placed in the loop that keeps it, the one the next segment opens."""
    loc = diag.location
    assert loc is not None
    return replace(
        diag,
        message=f"{diag.message} (kept in loop {loop.loop_id} {loop.name}, which the {opener} "
        "after it opens)",
        location=replace(loc, loop_id=loop.loop_id, loop_name=loop.name),
    )


def _keep(value_stack: list[object], item: Segment | Loop) -> None:
    """Keep a segment (or loop) the table did not take with the value on top of the stack, to be
    spliced into the loop that value ends up in."""
    top = value_stack[-1]
    if type(top) is _Items:
        top.append(item)
    elif top is _MISSING:
        value_stack[-1] = _Items((item,))
    else:
        value_stack[-1] = _Items((top, item))


def _splice(items: _Items, value: object) -> None:
    if type(value) is _Items:
        items.extend(value)
    elif value is not _MISSING:
        items.append(value)


def _qualifier_directives(
    text: str, source_dir: Path, seen: set[str] | None = None
) -> dict[str, int]:
    """`// @qualifier SEG N` directives of a grammar and of the grammars it imports."""
    seen = seen if seen is not None else set()
    positions: dict[str, int] = {}
    for module in re.findall(r"^\s*%import\s+\.(\w+)", text, re.M):
        if module in seen:
            continue
        seen.add(module)
        imported = source_dir / f"{module}.lark"
        if imported.is_file():
            positions.update(
                _qualifier_directives(imported.read_text(encoding="utf-8"), source_dir, seen)
            )
    positions.update({seg: int(pos) for seg, pos in _QUALIFIER_DIRECTIVE.findall(text)})
    return positions


def _is_helper(rule_name: str) -> bool:
    return rule_name.startswith("_") or rule_name.split("__")[-1].startswith("_")


def _loop_info(rule_name: str) -> _LoopInfo:
    bare = rule_name.split("__")[-1]
    if bare == "transaction":
        return _LoopInfo(rule_name, "ST", "transaction")
    m = _LOOP_RULE.match(bare)
    if m:
        return _LoopInfo(rule_name, m.group("id").upper(), m.group("name").replace("_", " "))
    return _LoopInfo(rule_name, bare.upper(), bare.replace("_", " "))


@functools.cache
def get_grammar(name: str) -> SegmentGrammar:
    """The compiled grammar `grammars/<name>.lark`, built once per process."""
    return SegmentGrammar(name)
