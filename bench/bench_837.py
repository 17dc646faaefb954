"""Benchmark of 837 claims: reading a synthetic 837P into `Claim` models and writing them back, against
the split floor, with x12sdk on the same file when a peer environment has it.

All numbers come from one run of this script, in this process (x12sdk in a subprocess):
  * floor: the file already in memory, `[s.split(elem) for s in text.split(term)]`, collector paused
    (DESIGN.md, "Measured facts"); best of N;
  * read: `list(edi.read_claims(path))` from the file on disk (the reader manages the collector);
    best of N. Its parts are timed too: the segment reader alone, and segments + envelopes + grammar
    (`SetReader`, collector paused as the claim reader pauses it), so the share of each layer is
    visible; the rest is mapping loop trees to models (and the collector's work between sets);
  * pydantic alone: `model_construct` of every model the read made, from its own (already converted)
    values, collector paused (model_floor.py): what the objects cost before any parsing;
  * write: `edi.write_837(claims, check=False)` of the claims just read (and with the checks:
    `check_claims` and the read-back of the text written); best of N; the text must equal the file;
  * x12sdk: `X12ModelReader(path).models()` in a separate interpreter (its own venv, pydantic 2 as
    well), run once because it is slow; skipped when --peer-python is missing.

Targets (the issue): read <= 5 x floor; write no slower than read.

Usage:
    .venv/bin/python bench/bench_837.py                    # 20,000 claims, best of 3
    .venv/bin/python bench/bench_837.py --claims 5000 --peer-python /tmp/peers/bin/python
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from model_floor import construct_seconds
from synthetic import write_837p

import edi
from edi.transactions.common import SetReader
from edi.x12.delimiters import isa_delimiters
from edi.x12.reader import SegmentReader

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_OUT = BENCH_DIR / "out"
DEFAULT_PEER = Path("/tmp/peers/bin/python")
READ_TARGET = 5.0

_X12SDK = """
import sys, time
from x12sdk.io import X12ModelReader
start = time.perf_counter()
sets = 0
with X12ModelReader(sys.argv[1]) as reader:
    for _ in reader.models():
        sets += 1
print(sets, time.perf_counter() - start)
"""


def best(work: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The best wall time of `repeat` runs, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def floor(text: str, elem: str, term: str) -> float:
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        pieces = [s.split(elem) for s in text.split(term)]
        took = time.perf_counter() - start
    finally:
        if was_enabled:
            gc.enable()
    del pieces
    return took


def x12sdk_time(peer: Path, path: Path) -> tuple[float, int] | str:
    if not peer.is_file():
        return f"no peer interpreter at {peer}"
    done = subprocess.run(
        [str(peer), "-c", _X12SDK, str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return f"x12sdk failed: {done.stderr.strip().splitlines()[-1:]}"
    sets, seconds = done.stdout.split()
    return float(seconds), int(sets)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--peer-python", type=Path, default=DEFAULT_PEER)
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"synthetic_837p_{args.claims}_claims.x12"
    if not path.exists():
        stats = write_837p(path, args.claims)
        print(f"wrote {path}: {stats.bytes:,} bytes, {stats.segments:,} segments")
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    found = isa_delimiters(text[:512])
    if isinstance(found, str):
        sys.exit(f"{path}: {found}")
    elem, term = found[0].element, found[0].segment

    floors = [floor(text, elem, term) for _ in range(args.repeat)]
    split_s = min(floors)

    def read_segments() -> int:
        return sum(1 for _ in SegmentReader(path))

    def read_sets() -> int:
        # As read_claims runs it: the collector paused while a set is parsed.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return sum(1 for _ in SetReader(path, "837").sets())
        finally:
            if was_enabled:
                gc.enable()

    def read_claims() -> list[edi.Claim]:
        reader = edi.read_claims(path)
        claims = list(reader)
        assert not reader.diagnostics, reader.diagnostics[:3]
        return claims

    segments_s, n_segments = best(read_segments, args.repeat)
    sets_s, n_sets = best(read_sets, args.repeat)
    read_s, claims = best(read_claims, args.repeat)
    write_s, written = best(lambda: edi.write_837(claims, check=False), args.repeat)
    assert written == text, "write_837 did not give back the file"
    checked_s, _ = best(lambda: edi.write_837(claims), args.repeat)
    construct_s, bare_s, n_models = construct_seconds(claims, args.repeat)
    peer = x12sdk_time(args.peer_python, path)

    results: dict[str, Any] = {
        "file": str(path),
        "bytes": path.stat().st_size,
        "segments": n_segments,
        "claims": len(claims),
        "sets": n_sets,
        "split_floor_s": split_s,
        "segment_reader_s": segments_s,
        "segments_envelopes_grammar_s": sets_s,
        "read_claims_s": read_s,
        "model_construct_s": construct_s,
        "models_bare_s": bare_s,
        "models": n_models,
        "write_837_s": write_s,
        "write_837_checked_s": checked_s,
        "read_ratio": read_s / split_s,
        "write_ratio": write_s / split_s,
        "write_over_read": write_s / read_s,
        "x12sdk_s": peer[0] if isinstance(peer, tuple) else None,
        "x12sdk_note": peer if isinstance(peer, str) else None,
    }
    rule = "-" * 100
    lines = [
        "edi 837 benchmark (bench/bench_837.py; all numbers from this one run)",
        f"python  : {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}",
        f"file    : {path.name}, {results['bytes']:,} bytes, {n_segments:,} segments, "
        f"{len(claims):,} claims in {n_sets} sets",
        f"split floor (in memory, gc paused)      : {split_s:.3f} s (runs "
        f"{', '.join(f'{t:.3f}' for t in floors)})",
        f"segment reader alone                    : {segments_s:.3f} s  "
        f"({segments_s / split_s:.1f} x floor)",
        f"+ envelopes + grammar (loop trees)      : {sets_s:.3f} s  ({sets_s / split_s:.1f} x floor)",
        f"read_claims -> {len(claims):,} Claim models     : {read_s:.3f} s  "
        f"({results['read_ratio']:.1f} x floor; target <= {READ_TARGET}: "
        f"{'ok' if results['read_ratio'] <= READ_TARGET else 'MISSED'})",
        f"pydantic alone: model_construct         : {construct_s:.3f} s  "
        f"({construct_s / split_s:.1f} x floor; the {n_models:,} models read, values given)",
        f"pydantic alone: made bare, as edi does  : {bare_s:.3f} s  "
        f"({bare_s / split_s:.1f} x floor)",
        f"write_837 (no checks)                   : {write_s:.3f} s  "
        f"({results['write_ratio']:.1f} x floor; {results['write_over_read']:.2f} x read: "
        f"{'ok' if write_s <= read_s else 'MISSED'})",
        f"write_837 (checks and read-back)        : {checked_s:.3f} s",
    ]
    if isinstance(peer, tuple):
        lines.append(
            f"x12sdk X12ModelReader (one run)         : {peer[0]:.3f} s  "
            f"({peer[0] / split_s:.1f} x floor; {peer[0] / read_s:.1f} x edi read)"
        )
    else:
        lines.append(f"x12sdk                                  : not timed ({peer})")
    print(f"{rule}\n" + "\n".join(lines) + f"\n{rule}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    missed = results["read_ratio"] > READ_TARGET or write_s > read_s
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
