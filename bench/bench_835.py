"""Benchmark: a 20,000-claim synthetic 835 (about 7 MB) read into `Remittance` models.

Every figure is measured in this one run, best of N, against the floor of DESIGN.md: the file already in
memory, `[s.split(elem) for s in text.split(term)]`, collector paused. Target: a full read into models
(`list(edi.read_remittances(path))`) in at most 5 times the floor.

Also shown: its parts (segment reader, envelopes + loop trees), what pydantic alone takes to create the
models read (model_floor.py: no parsing, no conversion), `write_835` of the models read with and
without its checks (the text must be the file), and, when a bench-only environment has them,
edi-835-parser, x12sdk and linuxforhealth-x12 on the same file, each timed inside its own interpreter
(imports excluded):

    python3 -m venv bench/.peers
    bench/.peers/bin/pip install edi-835-parser x12sdk linuxforhealth-x12
    .venv/bin/python bench/bench_835.py [--claims 20000] [--runs 5] [--peers bench/.peers/bin/python]
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from model_floor import construct_seconds
from synthetic import write_835

import edi
from edi.transactions.common import SetReader
from edi.x12.reader import SegmentReader

BENCH_DIR = Path(__file__).resolve().parent
TARGET = 5.0

# Each peer: (name, package, code run in the peer interpreter with `path` set; prints seconds).
_PEER_TIMER = """
import sys, time, json
path = sys.argv[1]
{imports}
best = None
for _ in range({runs}):
    start = time.perf_counter()
{body}
    took = time.perf_counter() - start
    best = took if best is None else min(best, took)
print(json.dumps({{"seconds": best}}))
"""
PEERS = {
    "edi-835-parser": ("from edi_835_parser import parse", "    parse(path)"),
    "x12sdk": (
        "from x12sdk.io import X12ModelReader",
        "    with X12ModelReader(path) as r:\n        models = list(r.models())",
    ),
    "linuxforhealth-x12": (
        "from linuxforhealth.x12.io import X12ModelReader",
        "    with X12ModelReader(path) as r:\n        models = list(r.models())",
    ),
}


def best_of(runs: int, fn: Callable[[], object], *, pause_gc: bool = False) -> float:
    best = float("inf")
    for _ in range(runs):
        if pause_gc:
            gc.disable()
        start = time.perf_counter()
        result = fn()
        took = time.perf_counter() - start
        if pause_gc:
            gc.enable()
        del result
        best = min(best, took)
    return best


def peer_time(python: str, name: str, path: Path, runs: int) -> tuple[float | None, str]:
    imports, body = PEERS[name]
    code = _PEER_TIMER.format(imports=imports, body=body, runs=runs)
    try:
        done = subprocess.run(
            [python, "-c", code, str(path)], capture_output=True, text=True, timeout=1800
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"did not run: {exc}"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"failed: {last[:160]}"
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"]), ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peers", default=str(BENCH_DIR / ".peers" / "bin" / "python"))
    parser.add_argument("--check", action="store_true", help="exit 1 when over the 5x target")
    args = parser.parse_args(argv)

    path = BENCH_DIR / "out" / f"synthetic_835_{args.claims}_claims.x12"
    if not path.is_file():
        write_835(path, claims=args.claims)
    text = path.read_bytes().decode("utf-8")
    size = len(text)
    segments = text.count("~")
    print(f"file: {path.name}, {size / 1e6:.1f} MB, {segments} segments, {args.claims} claims")
    print(f"python {sys.version.split()[0]}, best of {args.runs} runs each, in this process\n")

    floor = best_of(args.runs, lambda: [s.split("*") for s in text.split("~")], pause_gc=True)

    def read_models() -> list[edi.Remittance]:
        reader = edi.read_remittances(path)
        remits = list(reader)
        assert not reader.diagnostics and sum(len(r.claims) for r in remits) == args.claims
        return remits

    full = best_of(args.runs, read_models)
    split_only = best_of(max(1, args.runs // 2), lambda: sum(1 for _ in SegmentReader(path)))
    # Collector paused, as read_remittances pauses it while a set is read.
    trees = best_of(
        max(1, args.runs // 2), lambda: list(SetReader(path, "835").sets()), pause_gc=True
    )

    remits = read_models()
    construct, bare, count = construct_seconds(remits, max(1, args.runs // 2))
    # Writing back: the text must be the file (the synthetic 835 keeps every rule and balances).
    assert edi.write_835(remits) == text
    write_checked = best_of(max(1, args.runs // 2), lambda: edi.write_835(remits))
    write_plain = best_of(max(1, args.runs // 2), lambda: edi.write_835(remits, check=False))

    rows: list[tuple[str, float | None, str]] = [
        ("floor: str.split of the text in memory (gc paused)", floor, ""),
        ("edi: read_remittances → models", full, ""),
        ("edi: segment reader alone (positions, tails)", split_only, ""),
        ("edi: segments + envelopes + loop trees", trees, ""),
        (f"pydantic alone: model_construct of the {count:,} models read", construct, ""),
        ("pydantic alone: the same models made bare, as edi makes them", bare, ""),
        ("edi: write_835 of those models, checked (the default)", write_checked, ""),
        ("edi: write_835 of those models, check=False", write_plain, ""),
    ]
    python = args.peers
    for name in PEERS:
        if Path(python).is_file():
            took, why = peer_time(python, name, path, max(1, min(args.runs, 3)))
        else:
            took, why = None, f"not installed (no {python})"
        rows.append((name, took, why))

    width = max(len(r[0]) for r in rows)
    for label, took, why in rows:
        if took is None:
            print(f"{label:<{width}}  {'—':>8}  {why}")
        else:
            print(f"{label:<{width}}  {took:8.3f} s  {took / floor:6.1f}x floor")
    ratio = full / floor
    verdict = "meets" if ratio <= TARGET else "misses"
    print(f"\nfull read into models: {ratio:.1f}x the floor ({verdict} the {TARGET:.0f}x target)")
    return 1 if args.check and ratio > TARGET else 0


if __name__ == "__main__":
    raise SystemExit(main())
