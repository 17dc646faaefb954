"""Streaming segment reader: bytes in chunks → `Segment`s with their positions.

Memory stays flat whatever the file size: the reader holds one chunk plus the unfinished segment at its
end. Delimiters are read from every ISA, so one file may hold interchanges with different delimiters;
a bare ST..SE with no envelope is read with delimiters guessed from its ST segment (and reported).
Text is decoded as UTF-8 with `surrogateescape`, so any byte survives a read → write round trip.
"""

from __future__ import annotations

import codecs
import functools
import gc
import io
import os
import re
from collections.abc import Callable, Iterator
from itertools import accumulate, chain, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TextIO, cast

from edi.diagnostics import Diagnostic, Location, Severity
from edi.errors import ConfigurationError, TokenizeError
from edi.x12.delimiters import (
    GAP_CHARS,
    Delimiters,
    guess_bare_delimiters,
    isa_ack,
    isa_delimiters,
)
from edi.x12.segment import Segment, encoded


class BinaryReadable(Protocol):
    """A binary stream that is no `BinaryIO` to a type checker (`gzip.open(path)`, a `GzipFile`;
    `io.BufferedReader`): what the reader needs of it is `read`."""

    def read(self, size: int = ..., /) -> bytes: ...


Source = str | bytes | bytearray | os.PathLike[str] | BinaryIO | TextIO | BinaryReadable
# 64 KiB: a chunk's segments stay in the CPU cache between being made and being used; with 1 MiB
# chunks the reader ran 2x slower, and the collector scanned 100,000 objects after each chunk.
CHUNK_SIZE = 1 << 16
_ISA_LOOKAHEAD = 512  # enough text to read an ISA's delimiters, however badly padded
_ENVELOPE_IDS = frozenset(("GE", "GS", "IEA", "ISA"))
_MARKERS = _ENVELOPE_IDS | {"SE", "ST"}  # the segments that set or reset the index within a set
_SEGMENT_START = re.compile(r"[A-Z][A-Z0-9]{1,2}(?![A-Za-z0-9])")  # a plausible segment ID
_MAX_SEGMENT = (
    1 << 22
)  # a "segment" longer than this means the terminator is wrong or the data binary


def open_source(source: Source) -> tuple[BinaryIO, bool]:
    """A binary stream for `source`, and whether we opened it (and must close it).

    A `str` that starts with ISA or ST (after a BOM or blanks) is X12 text; another `str` naming an
    existing file, or looking like a file name (`_looks_like_path`), is that file: a missing one
    raises `FileNotFoundError`, a directory `IsADirectoryError`, as a `Path` does. Anything else
    is read as (bad) X12 text and reported as such.
    """
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(bytes(source)), True
    if isinstance(source, str):
        head = source[:16].lstrip("\ufeff \t\r\n")
        if not head.startswith(("ISA", "ST")):
            if _is_file(source) or _looks_like_path(source):
                # `~/claims.837` is in the home folder, as a shell has it (a Path does not).
                path = Path(source).expanduser() if source.startswith("~") else Path(source)
                return open(path, "rb"), True  # noqa: SIM115 - closed by the reader
        return io.BytesIO(encoded(source)), True
    if isinstance(source, os.PathLike):
        return open(Path(source), "rb"), True  # noqa: SIM115
    if isinstance(source, io.TextIOBase):
        # A file opened in text mode: its bytes when it has them and stands where its text does
        # (a seekable file, which `SourcePasses` seeks there), else its text, chunk by chunk: a
        # pipe's text stream has read ahead of its bytes (after a `readline()`), and they are lost.
        buffer = getattr(source, "buffer", None)
        if buffer is not None and _position(source) is not None:
            return buffer, False
        return io.BufferedReader(_EncodedText(source)), True
    if hasattr(source, "read"):
        # The caller's stream, only read here (and never closed): a `BinaryReadable` will do.
        return cast(BinaryIO, source), False
    raise _not_a_source(source)


# Padding between segments that is said once a reading (`SegmentReader._padding_between`).
_PADDING_KINDS = (
    ("syntax.nul_between", "\x00", "NUL bytes"),
    ("syntax.blank_between", " \t", "blanks (spaces or tabs, as in an indented file)"),
    # Before a later interchange's ISA: files joined (`cat a.835 b.835`), each with its own
    # (x12-notes §1.2, §13: an ISA may follow a BOM).
    ("syntax.bom_between", "\ufeff", "a UTF-8 byte-order mark (files joined?)"),
)

_LINE_BREAK = "syntax.line_break"  # other line breaks after a segment than its interchange's
_EMPTY_SEGMENT = "syntax.empty_segment"  # two terminators in a row (`~~`)
_BREAK_NAMES = {"": "no line break", "\n": "LF", "\r\n": "CRLF", "\r": "CR"}


def _blank_run(offset: int, line: int) -> Diagnostic:
    """More blank characters (or terminators of empty segments) in a row than a segment may hold
    (`_MAX_SEGMENT`), and no segment: reading stops there, as for a segment that long (a stream of
    NUL bytes never ends)."""
    return _diag(
        "syntax.blank_run",
        f"over {_MAX_SEGMENT} blank characters (NUL bytes, spaces or line breaks) or empty "
        "segments in a row, and no segment after them: not X12 data",
        offset=offset,
        line=line,
    )


def _breaks_named(text: str) -> str:
    r"""`\r\n` as CRLF, `\n\n` as a blank line (LF LF), `\r\r\n` as CR CR LF."""
    named = _BREAK_NAMES.get(text)
    if named is not None:
        return named
    if len(text) > 8:  # a run: counted, not spelled (a line of its own for each break read)
        counts = [f"{text.count(c)} {name}" for c, name in (("\r", "CR"), ("\n", "LF"))]
        return " and ".join(c for c in counts if not c.startswith("0 ")) + " in a row"
    spelled = " ".join("CR" if c == "\r" else "LF" for c in text)
    blank = text in ("\n\n", "\r\n\r\n", "\r\r")
    return f"a blank line ({spelled})" if blank else spelled


# What DOS tools put at the end of a text file: read as padding after the last segment.
_EOF_MARK = "\x1a"


class _EncodedText(io.RawIOBase):
    """A text stream read as bytes, as it hands out its text (UTF-8; bytes it read that were not,
    as surrogates, go back as they came)."""

    def __init__(self, text: io.TextIOBase) -> None:
        self._text = text
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = self._text.read(CHUNK_SIZE)
            if not chunk:
                return 0
            self._pending = encoded(chunk)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def _not_a_source(source: object) -> TypeError:
    return TypeError(
        f"cannot read X12 from {type(source).__name__}; pass a file name (str or Path), X12 text "
        "(str or bytes) or a file object (binary or text mode)"
    )


class SourcePasses:
    """A reader's source, for each pass over it (each `iter(reader)`).

    Paths, bytes and text are read again from their start. A file object is read from where it stood
    when the reader was made: a later pass seeks back there, and one that cannot seek (a pipe,
    standard input) raises `ConfigurationError`, rather than read the exhausted stream as empty
    input. A source of no accepted type raises `TypeError` when the reader is made.
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self._stream = _stream_of(source)
        self._start = _position(self._stream)
        self._passes = 0

    def next_pass(self) -> Source:
        if self._stream is not None:
            if self._start is not None:
                # The first pass too: a text-mode file has read ahead of where it stands, and
                # seeking it puts its bytes (which `open_source` reads) there.
                self._stream.seek(self._start)
            elif self._passes:
                raise ConfigurationError(
                    "a file object is read once: it cannot seek back to read it again; iterate "
                    "the reader once, or pass a path or the bytes"
                )
        self._passes += 1
        return self.source


def _stream_of(source: object) -> Any:
    """The file object of `source`; None for a path, bytes or text."""
    if isinstance(source, (str, bytes, bytearray, os.PathLike)):
        return None
    if hasattr(source, "read"):
        return source
    raise _not_a_source(source)


def _position(stream: Any) -> int | None:
    """Where `stream` stands, when it can seek back there; else None."""
    try:
        return stream.tell() if stream is not None and stream.seekable() else None
    except (AttributeError, OSError, ValueError):  # no seekable() or tell(), or closed
        return None


def _looks_like_path(text: str) -> bool:
    """A short one-line text with no X12 delimiters in it, ending like a file name or naming a
    folder (`./claims`, `inbox/claims~1.x12`, `~/claims`; X12 text starts with ISA or ST, which
    `open_source` has ruled out). A `~` (a segment terminator) is in a name only in a folder."""
    if not 0 < len(text) < 1024 or any(c in text for c in "\n\x00*|"):
        return False
    in_folder = "/" in text or "\\" in text
    return in_folder or (Path(text).suffix != "" and "~" not in text)


def _is_file(text: str) -> bool:
    """Whether `text` names an existing file, or a directory (opened, it raises
    `IsADirectoryError`, as the `Path` does: the user meant a path, not X12 text)."""
    if len(text) > 4096 or "\n" in text or "\x00" in text or not text.strip():
        return False  # ("" would be the current folder)
    try:
        path = Path(text)
        return path.is_file() or path.is_dir()
    except OSError:
        return False


class SegmentReader:
    """Iterate over the segments of an X12 source.

    Problems that do not stop reading (a BOM, a bare ST with guessed delimiters, trailing garbage, a
    file that ends mid-segment) are appended to `diagnostics` as they are found. Input that cannot be
    read at all raises `TokenizeError` when iteration reaches it; segments read before that point have
    already been yielded.

    Example:
        >>> r = SegmentReader(b"ST*835*0001~BPR*I*0*C*NON~SE*3*0001~")
        >>> [(s.id, s.index) for s in r]
        [('ST', 1), ('BPR', 2), ('SE', 3)]
    """

    def __init__(self, source: Source, *, chunk_size: int = CHUNK_SIZE) -> None:
        self.source = source
        # Each iteration reads the source from its start (a file object from where it stood).
        self._passes = SourcePasses(source)
        self.chunk_size = chunk_size
        self.diagnostics: list[Diagnostic] = []
        self.preamble = ""  # BOM or blanks before the first segment (dropped on write; reported)
        self.bare = False  # True when the input had no ISA envelope
        self.segment_count = 0
        self._said_padding: set[str] = set()  # what `_padding_between` has said

    def __iter__(self) -> Iterator[Segment]:
        # The segments come in lists, one per chunk, and C code flattens them: no Python frame
        # is resumed per segment.
        return chain.from_iterable(self._batches())

    def _batches(self) -> Iterator[list[Segment]]:
        # Read again, from the start: what a reading before found is not kept twice.
        self.diagnostics, self.preamble, self.bare = [], "", False
        self.segment_count = 0
        self._said_padding = set()
        stream, owned = open_source(self._passes.next_pass())
        try:
            yield from self._segments(stream)
        finally:
            if owned:
                stream.close()

    # -- the hot path -------------------------------------------------------------------------------

    def _segments(self, stream: BinaryIO) -> Iterator[list[Segment]]:
        decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        chunk_size = self.chunk_size
        buf = ""
        offset = 0  # byte offset of buf[0]
        line = 1  # line number at buf[0]
        eof = False

        # Find the first segment and the delimiters. Only the text read last can end blanks read
        # before it: stripped alone, so that a long run of them is read in linear time.
        blanks = "\ufeff" + GAP_CHARS
        leads: list[str] = []
        lead_size = 0
        while not eof and len(buf) < _ISA_LOOKAHEAD:
            data = stream.read(chunk_size)
            eof = not data
            text = decoder.decode(data, final=eof)
            if not buf:
                buf = text.lstrip(blanks)
                leads.append(text[: len(text) - len(buf)])
                lead_size += len(leads[-1])
                if lead_size > _MAX_SEGMENT and not buf:
                    raise TokenizeError(_blank_run(offset, line))
            else:
                buf += text
        lead = "".join(leads)
        if len(lead) > _MAX_SEGMENT:  # read in one chunk: as if streamed
            raise TokenizeError(_blank_run(offset, line))
        if not buf:
            raise TokenizeError(
                _diag("syntax.empty", "the input is empty: no ISA or ST segment found")
            )
        if lead:
            offset += len(lead.encode("utf-8", "surrogateescape"))
            line += lead.count("\n") or lead.count("\r")
        delims = self._start_delimiters(buf, offset, line)
        if lead:
            self.preamble = lead
            what = "a UTF-8 byte-order mark" if "\ufeff" in lead else "blank characters"
            self.diagnostics.insert(
                0,
                _diag(
                    "syntax.preamble",
                    f"{what} before the first segment (dropped when written)",
                    Severity.WARNING,
                ),
            )
        index = 0  # number within the current transaction set; 0 outside
        # The last segment read, waiting for the rest of its tail (a str: `cast` where it grows).
        pending: Segment | None = None
        seg: Segment | None  # one read (None: the end was not X12)
        need_more = False  # the buffer holds no complete segment: read before splitting again

        while True:
            sep = delims.element
            term = delims.segment
            newline_is_term = term in "\r\n"
            # Some files write "\n~" between segments (a BOM before an ISA: `_past_bom`).
            gap = GAP_CHARS + ("~" if newline_is_term else "")
            count_nl = "\r" if (term == "\r" or delims.suffix == "\r") else "\n"
            term_bytes = _nbytes(term)
            restart = -1  # position in buf where an interchange with other delimiters starts
            tail = term + delims.suffix  # what follows each segment in a regular stretch
            tail_lines = tail.count(count_nl)
            # Splits a segment at a line break before a segment ID, where the file's segments end
            # with one (`~` and LF): None where they do not, or the terminator is a line break.
            fused_at = (
                _fused_splitter(sep) if count_nl in delims.suffix and not newline_is_term else None
            )

            if not eof and (need_more or len(buf) < chunk_size):
                need_more = False
                data = stream.read(chunk_size)
                eof = not data
                buf += decoder.decode(data, final=eof)
            # Most of a file is regular (see _regular_segments) and read without a loop over pieces.
            cut = buf.rfind(tail)
            regular = None
            if cut > 0:
                gc_was_enabled = gc.isenabled()
                gc.disable()  # the collector dominates code that makes this many small objects
                try:
                    regular = _regular_segments(buf, cut, tail, delims, index, line, offset)
                finally:
                    if gc_was_enabled:
                        gc.enable()
            if regular is not None:
                batch, index = regular
                line += len(batch) * tail_lines
                offset += cut + len(tail)
                if pending is not None:
                    batch.insert(0, pending)
                    if pending.tail != tail:  # read in a stretch that was not regular
                        self._line_breaks([pending])
                pending = batch.pop()
                self.segment_count += len(batch)
                yield batch
                rest = buf[cut + len(tail) :]
                if eof and term in rest:  # segments without the line break at the very end
                    buf = rest
                    continue
            else:
                pieces = buf.split(term)
                # No terminator after the last piece (yet): kept for the next chunk or the end.
                rest = pieces.pop()
                if not pieces and not eof:
                    if len(rest) > _MAX_SEGMENT:
                        body = rest.lstrip(gap)
                        lead = rest[: len(rest) - len(body)]
                        if pending is not None:
                            pending.tail = cast(str, pending.tail) + lead
                            self.segment_count += 1
                            yield [pending]
                        shown = _shown(body[:3])
                        raise TokenizeError(
                            _diag(
                                "syntax.no_terminator",
                                f"no segment terminator {term!r} in {_MAX_SEGMENT} characters after the "
                                f"start of segment {shown!r}: wrong terminator or not X12 data",
                                offset=offset + _nbytes(lead),
                                line=line + lead.count(count_nl),
                            )
                        )
                    need_more = True
                    continue
                ascii_only = buf.isascii()
                batch = []
                error: TokenizeError | None = None
                # An unusable ISA met: (where in buf, why, offset, line).
                bad_isa: tuple[int, str, int, int] | None = None
                pos = 0  # position in buf of the current piece
                # Text for the pending segment's tail, joined once it is complete: added piece by
                # piece to the tail, a run of empty segments (`~~~~`) took quadratic time.
                extra: list[str] = []
                gc_was_enabled = gc.isenabled()
                gc.disable()  # the collector dominates a loop that makes this many small objects
                try:
                    for piece in pieces:
                        body = piece.lstrip(gap)
                        if body[:1] == "\ufeff":
                            body = _past_bom(body, gap)
                        if len(body) != len(piece):
                            lead = piece[: len(piece) - len(body)]
                            if len(lead) > _MAX_SEGMENT:  # as a run read in chunks (below)
                                error = TokenizeError(_blank_run(offset, line))
                                break
                            if pending is not None:
                                extra.append(lead)
                                if body and lead.strip("\r\n"):
                                    pending.tail = cast(str, pending.tail) + "".join(extra)
                                    extra.clear()
                                    self._padding_between(pending, lead)
                            line += lead.count(count_nl)
                            offset += len(lead) if ascii_only else _nbytes(lead)
                        if not body:  # two terminators in a row: the extra one belongs to the tail
                            if pending is not None:
                                extra.append(term)
                            if newline_is_term:
                                line += 1
                            offset += term_bytes
                            pos += len(piece) + 1
                            continue
                        if extra:  # the pending segment's tail is complete: a segment follows
                            pending.tail = cast(str, pending.tail) + "".join(extra)  # type: ignore[union-attr]
                            extra.clear()
                            if len(pending.tail) > _MAX_SEGMENT:  # type: ignore[union-attr]
                                error = TokenizeError(_blank_run(offset, line))
                                break
                        if body[:3] == "ISA":
                            start = pos + len(piece) - len(body)
                            if not eof and start + _ISA_LOOKAHEAD > len(buf):
                                restart = start  # read the whole ISA before judging it
                                need_more = True
                                break
                            found = isa_delimiters(buf[start : start + _ISA_LOOKAHEAD])
                            if isinstance(found, str):
                                # Its interchange cannot be split: skipped to the next ISA that
                                # can (below), as a file of several interchanges goes on.
                                bad_isa = (start, found, offset, line)
                                break
                            if found[0] != delims:
                                delims = found[0]
                                restart = start
                                break
                            index = 0
                        if fused_at is not None and count_nl in body:
                            # Segments that end in a line break, and one inside a segment: its
                            # terminator is missing there. Each segment it joined is read as one.
                            *joined, body = fused_at(body)
                            for text, brk in zip(joined[::2], joined[1::2], strict=True):
                                index = self._next_index(text.split(sep, 1)[0], index)
                                seg = Segment(text.split(sep), delims, index, line, offset, brk)
                                self._missing_terminator(seg, term)
                                if seg.id == "SE":
                                    index = 0
                                if pending is not None:
                                    batch.append(pending)
                                pending = seg
                                line += brk.count(count_nl)
                                size = len(text) + len(brk)
                                offset += size if ascii_only else _nbytes(text + brk)
                        elements = body.split(sep)
                        seg_id = elements[0]
                        if seg_id == "ST":
                            index = 1
                        elif index:
                            index = 0 if seg_id in _ENVELOPE_IDS else index + 1
                        seg = Segment(elements, delims, index, line, offset, term)
                        if seg_id == "SE":
                            index = 0
                        if pending is not None:
                            batch.append(pending)
                        pending = seg
                        if newline_is_term:
                            line += 1
                        elif count_nl in body:
                            line += body.count(count_nl)
                        offset += (len(body) if ascii_only else _nbytes(body)) + term_bytes
                        pos += len(piece) + 1
                finally:
                    if gc_was_enabled:
                        gc.enable()
                if extra and pending is not None:
                    pending.tail = cast(str, pending.tail) + "".join(extra)
                    if len(pending.tail) > _MAX_SEGMENT and error is None:
                        # Empty segments and blanks past what a segment may hold: as a blank run
                        # (checked once a chunk, as the run goes on, and where a segment follows).
                        error = TokenizeError(_blank_run(offset, line))
                self._line_breaks(batch)
                self.segment_count += len(batch)
                yield batch
                if error is not None:
                    # Everything before the damage has been yielded; what follows cannot be split.
                    yield from self._last(pending)
                    raise error
                if restart >= 0:
                    buf = buf[restart:]
                    continue
                if bad_isa is not None:
                    at, why, offset, line = bad_isa
                    buf, eof, offset, line, next_delims, said = self._skip_interchange(
                        buf, at, why, offset, line, stream, decoder, eof, chunk_size, count_nl
                    )
                    if next_delims is None:  # what follows cannot be split: as before
                        yield from self._last(pending)
                        raise TokenizeError(said)
                    self.diagnostics.append(said)
                    delims, index = next_delims, 0
                    continue
            # An interchange whose delimiters differ may start in the unterminated rest. Read on
            # until its ISA is complete: split with the old terminator, it may never end.
            body = rest.lstrip(gap)
            if body[:1] == "\ufeff":
                body = _past_bom(body, gap)
            grown = False  # read on: `rest` may now hold whole segments
            while not eof and len(body) < _ISA_LOOKAHEAD and "ISA"[: len(body)] == body[:3]:
                data = stream.read(chunk_size)
                eof = not data
                text = decoder.decode(data, final=eof)
                rest += text
                # Blanks so far: only the text read last can end them (linear in a long run).
                body = body + text if body else text.lstrip(gap)
                if not body and len(rest) > _MAX_SEGMENT:
                    yield from self._last(pending)
                    raise TokenizeError(_blank_run(offset, line))
                grown = True
            if body[:3] == "ISA" and (eof or len(body) >= _ISA_LOOKAHEAD):
                found = isa_delimiters(body[:_ISA_LOOKAHEAD])
                if not isinstance(found, str) and found[0] != delims:
                    lead = rest[: len(rest) - len(body)]
                    if pending is not None:
                        pending.tail = cast(str, pending.tail) + lead
                        if lead.strip("\r\n"):  # before an ISA with other delimiters
                            self._padding_between(pending, lead)
                    line += lead.count(count_nl)
                    offset += _nbytes(lead)
                    delims = found[0]
                    buf = body
                    continue
                if isinstance(found, str) and not found.startswith("truncated"):
                    # An unusable ISA whose interchange never ends with this one's terminator
                    # (other delimiters): skipped as one met between segments (above), not read
                    # as a segment the input cuts short (the reviewer). One cut short by the end
                    # of the input is said so, at the end.
                    lead = rest[: len(rest) - len(body)]
                    if pending is not None:
                        pending.tail = cast(str, pending.tail) + lead
                    buf, eof, offset, line, next_delims, said = self._skip_interchange(
                        rest,
                        len(lead),
                        found,
                        offset + _nbytes(lead),
                        line + lead.count(count_nl),
                        stream,
                        decoder,
                        eof,
                        chunk_size,
                        count_nl,
                    )
                    if next_delims is None:
                        yield from self._last(pending)
                        raise TokenizeError(said)
                    self.diagnostics.append(said)
                    delims, index = next_delims, 0
                    continue
            buf = rest
            need_more = not grown
            if eof and not grown:
                break

        # End of input: what is left has no terminator.
        body = buf.lstrip(gap)
        # Padding after the last segment, with or without its terminator: line breaks, blanks,
        # NUL bytes and DOS end-of-file marks (Ctrl-Z), not part of its last element.
        kept = body.rstrip(gap + _EOF_MARK)
        padding = body[len(kept) :]
        body = kept
        lead = buf[: len(buf) - len(body) - len(padding)]
        if pending is not None and lead:
            pending.tail = cast(str, pending.tail) + lead
            if body and lead.strip("\r\n"):  # before the last segment, unterminated
                self._padding_between(pending, lead)
        if body:
            line += lead.count(count_nl)
            offset += _nbytes(lead)
            elements = body.split(sep)
            if elements[0] == "ST":
                index = 1
            elif index:
                index += 1
            seg = Segment(elements, delims, index, line, offset, "")
            if elements[0] in ("IEA", "GE", "SE"):
                self.diagnostics.append(
                    _diag(
                        "syntax.unterminated_last_segment",
                        f"the last segment {elements[0]} has no segment terminator {term!r}",
                        Severity.WARNING,
                        seg=seg,
                    )
                )
            elif _SEGMENT_START.match(body):
                self.diagnostics.append(
                    _diag(
                        "syntax.truncated",
                        f"the input ends in the middle of a {elements[0]!r} segment: "
                        f"no segment terminator {term!r} after it",
                        Severity.FATAL,
                        seg=seg,
                    )
                )
            else:
                # Said here, as an error: every segment before it was read. It is no segment, so it
                # is not yielded (the envelope would say it again, as one outside any set), and not
                # written back.
                self.diagnostics.append(
                    _diag(
                        "syntax.trailing_garbage",
                        f"the input ends with data that is not X12 ({_start(body)}): "
                        f"no segment ID and no segment terminator {term!r}",
                        Severity.ERROR,
                        offset=seg.offset,
                        line=seg.line,
                    )
                )
                body = padding = ""
                seg = None
            if seg is not None:
                if pending is not None:
                    self.segment_count += 1
                    yield [pending]
                pending = seg
        if pending is not None:
            if body:  # the last segment, unterminated: the padding after it is its tail's
                pending.tail = padding
            elif padding:
                pending.tail = (pending.tail or "") + padding
            self._line_breaks([pending])  # its tail complete: a terminator after its own?
            if "\x00" in (pending.tail or ""):
                self.diagnostics.append(
                    _diag(
                        "syntax.trailing_nul",
                        "NUL bytes after the last segment",
                        Severity.WARNING,
                        seg=pending,
                    )
                )
            if _EOF_MARK in (pending.tail or ""):
                self.diagnostics.append(
                    _diag(
                        "syntax.trailing_eof_mark",
                        "a DOS end-of-file mark (Ctrl-Z, byte 0x1A) after the last segment "
                        "(dropped when written)",
                        Severity.WARNING,
                        seg=pending,
                    )
                )
            self.segment_count += 1
            yield [pending]

    def _last(self, pending: Segment | None) -> Iterator[list[Segment]]:
        """The segment read last, if any, before reading stops: its tail is complete."""
        if pending is not None:
            self.segment_count += 1
            yield [pending]

    @staticmethod
    def _skip_interchange(
        buf: str,
        start: int,
        why: str,
        offset: int,
        line: int,
        stream: BinaryIO,
        decoder: Any,
        eof: bool,
        chunk_size: int,
        count_nl: str,
    ) -> _Skipped:
        """Past an interchange whose ISA at `buf[start]` (at `offset`, `line`) is unusable (`why`),
        to the next ISA that starts one (`_starts_interchange`): (the text from that ISA on, eof,
        its offset and line, counted as `count_nl`, its delimiters, what is said of the one
        skipped); no such ISA: ("", True, ..., None, ...). Read on in chunks, keeping only what
        may start an ISA, and the character before it."""
        size = lines = 0

        def skipped(rest: str, delims: Delimiters | None) -> _Skipped:
            at = line + lines
            said = _bad_isa(why, delims is not None, at, offset, line)
            return rest, eof, offset + size, at, delims, said

        search = start + 3
        while True:
            k = buf.find("ISA", search)
            while k != -1:
                if not eof and k + _ISA_LOOKAHEAD > len(buf):
                    break  # read more before judging it
                found = _starts_interchange(buf, k)
                if found is not None:
                    gone = buf[start:k]
                    size, lines = size + _nbytes(gone), lines + gone.count(count_nl)
                    return skipped(buf[k:], found)
                k = buf.find("ISA", k + 3)
            if eof:
                gone = buf[start:]
                size, lines = size + _nbytes(gone), lines + gone.count(count_nl)
                return skipped("", None)
            # "IS" may end the chunk; the character before a candidate tells what it follows.
            keep = max(start, (k if k != -1 else len(buf) - 2) - 1)
            gone = buf[start:keep]
            size, lines = size + _nbytes(gone), lines + gone.count(count_nl)
            data = stream.read(chunk_size)
            eof = not data
            buf = buf[keep:] + decoder.decode(data, final=eof)
            start, search = 0, 1

    @staticmethod
    def _next_index(seg_id: str, index: int) -> int:
        """The number within its set of a segment after one numbered `index` (0: outside a set)."""
        if seg_id == "ST":
            return 1
        return 0 if not index or seg_id in _ENVELOPE_IDS else index + 1

    def _missing_terminator(self, seg: Segment, term: str) -> None:
        """An error at a segment read up to a line break followed by a segment ID, in a file whose
        segments end with their terminator and a line break: its terminator is missing there."""
        self.diagnostics.append(
            _diag(
                "syntax.missing_terminator",
                f"no segment terminator {term!r} at the end of this segment: it ends in a line "
                "break that a segment ID follows, which is read as the next segment",
                Severity.ERROR,
                seg=seg,
                ack="IK304:8",  # as read whole, its last element holds a line break and more
            )
        )

    def _padding_between(self, seg: Segment, lead: str) -> None:
        """A warning, once a reading for each kind, for padding between two segments (after `seg`)
        other than line breaks: NUL bytes, or blanks (an indented file). Neither is X12, and both are
        dropped when written, as at the end of the input; but blanks after an IEA's terminator and
        line break, before the next interchange, are kept with it (`_note_iea_tail`)."""
        usual = seg.delimiters.segment + seg.delimiters.suffix
        kept = seg.id == "IEA" and seg.tail is not None and seg.tail.startswith(usual)
        for code, chars, what in _PADDING_KINDS:
            if kept and code == "syntax.blank_between":
                continue
            if code not in self._said_padding and any(c in lead for c in chars):
                self._said_padding.add(code)
                self.diagnostics.append(
                    _diag(
                        code,
                        f"{what} after this segment, before the next (dropped when written)",
                        Severity.WARNING,
                        seg=seg,
                    )
                )

    def _line_breaks(self, segments: list[Segment]) -> None:
        """A warning, once a reading, for a segment followed by other line breaks than those its
        interchange's segments end with (as after its ISA): a blank line, a CRLF in an LF file, an
        ISA on its own line before segments on one. Each is written back with the interchange's
        (what follows an IEA is kept: `_note_iea_tail`)."""
        said = self._said_padding
        if _LINE_BREAK in said and _EMPTY_SEGMENT in said:
            return
        for seg in segments:
            tail, term, suffix = seg.tail, seg.delimiters.segment, seg.delimiters.suffix
            if tail == term + suffix or not tail or not tail.startswith(term):
                continue
            found = tail[len(term) :]
            # (A terminator that is a line break makes a blank line: said below, or kept after an
            # IEA, as any line break is.)
            if term in found and _EMPTY_SEGMENT not in said and term not in "\r\n":
                said.add(_EMPTY_SEGMENT)
                text = (
                    f"an empty segment (a second terminator {term!r} in a row) after this segment "
                    "(dropped when written): an X12 segment holds at least one element (RFI 22)"
                )
                self.diagnostics.append(_diag(_EMPTY_SEGMENT, text, Severity.WARNING, seg=seg))
            if _LINE_BREAK in said or seg.id == "IEA" or found.strip("\r\n"):
                continue  # blanks and NUL are said apart (`_padding_between`)
            if not found and seg.id != "GS":
                # A terminator with no line break after it, in a file with line breaks, is most
                # often one inside a value (said where the rest reads as a segment); after the GS
                # it is the file's layout (an ISA on its own line, the rest on one line).
                continue
            said.add(_LINE_BREAK)
            usual_named = _breaks_named(suffix)
            text = (
                f"{_breaks_named(found)} after the ISA, read as {usual_named} after each segment "
                f"of its interchange: written with {usual_named}"
                if seg.id == "ISA"
                else f"{_breaks_named(found)} after this segment, where the segments of its "
                f"interchange end with {usual_named} (as after its ISA): written with {usual_named}"
            )
            self.diagnostics.append(_diag(_LINE_BREAK, text, Severity.WARNING, seg=seg))

    def _start_delimiters(self, buf: str, offset: int, line: int) -> Delimiters:
        if buf.startswith("ISA"):
            found = isa_delimiters(buf)
            if isinstance(found, str):
                raise TokenizeError(
                    _diag(
                        "syntax.bad_isa",
                        f"unusable ISA at the start of the input: {found}",
                        offset=offset,
                        line=line,
                        ack=isa_ack(found),
                    )
                )
            width = _wrapped_width(buf, found[0])
            if width:
                # Every segment after the first break would be cut in two: one line for the cause,
                # not a problem for each piece.
                first = buf[:width].rsplit(found[0].segment, 1)[-1].split(found[0].element, 1)[0]
                raise TokenizeError(
                    _diag(
                        "syntax.wrapped",
                        f"the input is wrapped at {width} characters a line: its line breaks fall "
                        f"inside segments (the first inside {_shown(first[:3])}); join its lines "
                        "(remove the line breaks) and read it again",
                        offset=offset + _nbytes(buf[:width]),
                        line=line,
                    )
                )
            return found[0]
        if buf.startswith("ST"):
            guessed = guess_bare_delimiters(buf)
            if isinstance(guessed, str):
                raise TokenizeError(
                    _diag(
                        "syntax.bad_st",
                        f"unusable bare ST segment: {guessed}",
                        offset=offset,
                        line=line,
                    )
                )
            self.bare = True
            self.diagnostics.append(
                _diag(
                    "envelope.no_isa",
                    "no ISA/GS envelope: the input starts with ST; delimiters taken from the ST segment "
                    f"({guessed.describe()})",
                    Severity.WARNING,
                )
            )
            return guessed
        kind = next((kind for start, kind in _NOT_X12 if buf.startswith(start)), None)
        if (
            kind is not None
        ):  # what it is, where '..I.S.A.' or '.......k' would leave the user guessing
            raise TokenizeError(
                _diag("syntax.not_x12", f"not X12: {kind}", offset=offset, line=line)
            )
        raise TokenizeError(
            _diag(
                "syntax.not_x12",
                f"not X12: expected the input to start with ISA (or ST), found {_start(buf)}",
                offset=offset,
                line=line,
            )
        )


def _wrapped_width(text: str, delims: Delimiters) -> int | None:
    """The width of the lines of `text` when it is X12 cut into lines of one width, as mainframes
    and some mail programs write it (80 characters a line): the first two lines and more, all of
    one width, most ending inside a segment rather than after its terminator. None otherwise."""
    if delims.segment in "\r\n":
        return None
    lines = text.split("\n", 9)[:-1]  # complete lines: the last piece may be cut by the chunk
    lines = [line[:-1] if line.endswith("\r") else line for line in lines[:8]]
    if len(lines) > 2 and len(lines[-1]) < len(lines[0]):
        lines.pop()  # the file's last line, shorter
    if len(lines) < 2 or len({len(line) for line in lines}) != 1:
        return None
    # Most lines end inside a segment (one may end after a terminator by chance).
    ends = sum(line.endswith(delims.segment) for line in lines)
    return len(lines[0]) if 2 * ends < len(lines) else None


# Files that X12 often comes wrapped in, by their first bytes as read (UTF-8 with surrogateescape:
# a byte that is not UTF-8 is a surrogate), and what to do about them.
_NOT_X12 = (
    ("\x1f\udc8b", "the input is gzip-compressed; decompress it first (gunzip)"),
    ("PK\x03\x04", "the input is a zip archive; extract the X12 file from it first"),
    ("\udcff\udcfe", "the input is UTF-16 text; save it as UTF-8 or ASCII"),
    ("\udcfe\udcff", "the input is UTF-16 text; save it as UTF-8 or ASCII"),
    ("I\x00S\x00A\x00", "the input is UTF-16 text; save it as UTF-8 or ASCII"),
    ("\x00I\x00S\x00A", "the input is UTF-16 text; save it as UTF-8 or ASCII"),
    ("%PDF", "the input is a PDF document"),
)


def _regular_segments(
    buf: str, cut: int, tail: str, delims: Delimiters, index: int, line: int, offset: int
) -> tuple[list[Segment], int] | None:
    """The segments of `buf[:cut]` and the set index of the last, or None if that text is irregular.

    Regular text is ASCII; each segment terminator in it is followed by exactly the interchange's
    line break and then a segment ID (no padding, no empty segment, no line break inside a
    segment); each ISA in it has the current delimiters. Every segment's tail is then `tail` and
    its position a sum, so the segments are made by comprehensions, not by a loop over pieces.
    `line` and `offset` are those of `buf[0]`, `index` that of the segment before it. Irregular
    text is left to the general loop in `SegmentReader._segments`.
    """
    head = buf[:cut]
    if not head.isascii():
        return None
    pieces = head.split(tail)
    count = len(pieces)
    term = delims.segment
    newline = "\r" if (term == "\r" or delims.suffix == "\r") else "\n"
    tail_lines = tail.count(newline)
    if head.count(newline) != tail_lines * (count - 1):
        return None  # a line break inside a segment, or an extra one after it
    if tail != term and head.count(term) != count - 1:
        return None  # a terminator without the line break after it
    # map() over C callables: no Python-level loop per segment.
    rows = list(map(str.split, pieces, repeat(delims.element)))
    ids = list(map(itemgetter(0), rows))
    joined = "".join(ids)
    if "" in ids or not joined.isalnum():
        return None  # padding, or an empty segment between two terminators
    if "ISA" in joined:  # maybe an interchange header, whose delimiters must be the current ones
        starts = list(accumulate(map(len(tail).__add__, map(len, pieces)), initial=0))
        for k, seg_id in enumerate(ids):
            if seg_id[:3] == "ISA":
                found = isa_delimiters(buf[starts[k] : starts[k] + _ISA_LOOKAHEAD])
                if isinstance(found, str) or found[0] != delims:
                    return None
    indexes, index = _set_indexes(ids, index)
    lines = range(line, line + count * tail_lines, tail_lines) if tail_lines else repeat(line)
    offsets = accumulate(map(len(tail).__add__, map(len, pieces)), initial=offset)
    # `offsets` has one more item than `rows`: map() stops at the shortest.
    segments = list(map(Segment, rows, repeat(delims), indexes, lines, offsets, repeat(tail)))
    return segments, index


def _set_indexes(ids: list[str], index: int) -> tuple[list[int] | range, int]:
    """The index within its transaction set of each segment in `ids` (ST = 1, 0 outside a set),
    given the index of the segment before them; and the index of the last one."""
    count = len(ids)
    present = _MARKERS.intersection(ids)
    if not present:  # the common case: the middle of a set, or between sets
        if index:
            return range(index + 1, index + 1 + count), index + count
        return [0] * count, 0
    marks = []  # positions of the markers, found by C code
    for seg_id in present:
        at = -1
        try:
            while True:
                at = ids.index(seg_id, at + 1)
                marks.append(at)
        except ValueError:
            pass
    marks.sort()
    out: list[int] = []
    done = 0
    for at in [*marks, count]:
        run = at - done  # plain segments before the next marker
        if index:
            out.extend(range(index + 1, index + 1 + run))
            index += run
        else:
            out.extend([0] * run)
        if at == count:
            break
        seg_id = ids[at]
        if seg_id == "ST":
            index = 1
        elif seg_id != "SE":
            index = 0
        elif index:
            index += 1
        out.append(index)
        if seg_id == "SE":
            index = 0
        done = at + 1
    return out, index


# What `SegmentReader._skip_interchange` gives: the text from the next interchange on, eof, its
# offset and line, its delimiters (None: none follows), and what is said of the one skipped.
_Skipped = tuple[str, bool, int, int, Delimiters | None, Diagnostic]


def _bad_isa(why: str, read_on: bool, next_line: int, offset: int, line: int) -> Diagnostic:
    """An unusable ISA's diagnostic: its interchange skipped, to the next ISA (at `next_line`)
    when `read_on` (an error: the sets read are the input's problems, 1), else to the end (fatal:
    the rest of the input is not read)."""
    after = (
        f"reading on at the next ISA (line {next_line})"
        if read_on
        else "no ISA follows: the rest of the input is not read"
    )
    return _diag(
        "syntax.bad_isa",
        f"unusable ISA: {why}; its interchange is not read, {after}",
        Severity.ERROR if read_on else Severity.FATAL,
        offset=offset,
        line=line,
        ack=isa_ack(why),
    )


def _past_bom(body: str, gap: str) -> str:
    """`body` past the BOMs and blanks that come before an ISA in it (files joined with `cat`,
    each with its own BOM: x12-notes §1.2, §13), said as padding; before anything else a BOM is
    damage, kept where it is (read as part of that segment)."""
    after = body.lstrip("\ufeff" + gap)
    return after if after[:3] == "ISA" or after[:3] == "ISA"[: len(after)] else body


def _starts_interchange(buf: str, k: int) -> Delimiters | None:
    """The delimiters of the ISA at `buf[k]` when it starts an interchange: usable, after no text
    of its own (a letter or digit, or one of its separators: `NM1*QC*1*ISA*JOHN` is a name), and
    followed by the segment an interchange goes on with (GS, TA1 or IEA); else None. The reader
    resumes there after an unusable ISA, and text taken for an ISA would quote a patient."""
    found = isa_delimiters(buf[k : k + _ISA_LOOKAHEAD])
    if isinstance(found, str):
        return None
    delims, length = found
    before = buf[k - 1 : k]
    if before and (before.isalnum() or before in (delims.element, delims.component)):
        return None
    after = buf[k + length : k + length + _ISA_LOOKAHEAD].lstrip(GAP_CHARS)
    sep = delims.element
    return delims if after.startswith((f"GS{sep}", f"TA1{sep}", f"IEA{sep}")) else None


def _nbytes(text: str) -> int:
    return len(text.encode("utf-8", "surrogateescape"))


def _start(text: str) -> str:
    """The start of text that is no X12, quoted for a message: three characters, as a segment ID
    that is none is shown (`diagnostics.quoted_id`): it may be data (a name, PHI)."""
    return repr(_shown(text[:3]) + ("…" if len(text) > 3 else ""))


@functools.cache
def _fused_splitter(sep: str) -> Callable[[str], list[str]]:
    """`split(body)`: the segments a body holds, between the line breaks that a segment ID (two or
    three capitals or digits, then the element separator) follows, with those line breaks:
    `[segment, break, segment, ..., last]`."""
    return re.compile(r"(\r\n|\r|\n)(?=[A-Z][A-Z0-9]{1,2}" + re.escape(sep) + ")").split


def _shown(text: str) -> str:
    """Text safe to put in a message: undecodable bytes and control characters shown as dots."""
    return "".join(
        ch if ch.isprintable() and not "\udc80" <= ch <= "\udcff" else "." for ch in text
    )


def _diag(
    code: str,
    message: str,
    severity: Severity = Severity.FATAL,
    *,
    seg: Segment | None = None,
    offset: int = 0,
    line: int = 0,
    ack: str | None = None,
) -> Diagnostic:
    if seg is not None:
        loc = Location(seg.index, _shown(seg.id[:3]), seg.line, seg.offset)
    else:
        loc = Location(0, "", line or 1, offset)
    if code == "syntax.truncated":
        ack = "TA1:023"
    return Diagnostic(code, message, severity, loc, ack=ack)


def read_segments(source: Source, *, chunk_size: int = CHUNK_SIZE) -> SegmentReader:
    """Iterate over the segments of `source` (path, bytes, X12 text or binary file object)."""
    return SegmentReader(source, chunk_size=chunk_size)
