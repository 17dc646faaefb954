"""Benchmark of edi's streaming segment reader: speed against the split floor, and peak memory.

Speed, best of N runs each, both sides in this one process:
  * floor: the file already read and decoded in memory, then only
    `[s.split(elem) for s in text.split(term)]` timed, with the garbage collector paused
    (DESIGN.md, "Measured facts");
  * reader: `for seg in SegmentReader(path): pass` from the file on disk (the reader manages the
    collector itself; this script does not pause it).
  The ratio reader/floor is the number to watch (target <= 2.0). It is measured on a 100 MB file
  and, for comparison with DESIGN.md, on a 20,000-claim 835 (about 7 MB). On a big file the floor
  is partly the cost of holding every split segment at once (gigabytes of small objects; see the
  `sys` time printed with each run), which the streaming reader never pays.

Memory: peak RSS of a fresh Python process that streams the whole 1 GB file through
SegmentReader, next to that of a process that only imports edi. Target: < 100 MB.

Files are made by bench/synthetic.py in bench/out/ (git-ignored) and reused when present.

Usage:
    .venv/bin/python bench/bench_reader.py                      # 1 GB memory, 100 MB + 7 MB speed
    .venv/bin/python bench/bench_reader.py --speed-size 20M --skip-memory
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from synthetic import FileStats, parse_size, write_835, write_large

import edi
from edi.x12.delimiters import isa_delimiters
from edi.x12.reader import SegmentReader

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DEFAULT_OUT = BENCH_DIR / "out"
SPEED_TARGET = 2.0
RSS_TARGET_KB = 100 * 1024

# Run in a fresh interpreter; print a JSON object last. Peak RSS is read two ways. On Linux,
# ru_maxrss is inherited at exec from the process that spawned us (it counts the parent's RSS at
# spawn time, so it is useless under a big parent); VmHWM is the peak of this process's own address
# space, so it is the figure reported. ru_maxrss is kB on Linux, bytes on macOS.
_CHILD_PEAK = """
import json, resource, sys
def peak():
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":
        maxrss //= 1024
    try:
        with open("/proc/self/status") as f:
            hwm = next(int(ln.split()[1]) for ln in f if ln.startswith("VmHWM:"))
    except (OSError, StopIteration):
        hwm = maxrss
    return {"maxrss_kb": maxrss, "hwm_kb": hwm}
"""
_CHILD_READ = (
    _CHILD_PEAK
    + """
import time
from pathlib import Path
if len(sys.argv) > 2:  # a patched copy of the reader, from --reader
    import importlib.util
    spec = importlib.util.spec_from_file_location("_reader_under_test", sys.argv[2])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    SegmentReader = module.SegmentReader
else:
    from edi.x12.reader import SegmentReader
reader = SegmentReader(Path(sys.argv[1]))
start = time.perf_counter()
for seg in reader:
    pass
took = time.perf_counter() - start
print(json.dumps({"segments": reader.segment_count, "seconds": took, **peak()}))
"""
)
_CHILD_IMPORT = (
    _CHILD_PEAK
    + """
import edi
print(json.dumps(peak()))
"""
)


@dataclass(frozen=True, slots=True)
class Run:
    """One timed run: wall-clock seconds and the CPU time it used (user, system)."""

    wall: float
    user: float
    sys: float


@dataclass(frozen=True, slots=True)
class SpeedResult:
    label: str
    bytes: int
    segments: int  # as counted by SegmentReader
    # len(text.split(term)): one more than segments when the file ends in term + LF
    split_pieces: int
    floor_runs: list[Run]
    reader_runs: list[Run]

    @property
    def floor_s(self) -> float:
        return min(r.wall for r in self.floor_runs)

    @property
    def reader_s(self) -> float:
        return min(r.wall for r in self.reader_runs)

    @property
    def ratio(self) -> float:
        return self.reader_s / self.floor_s


@dataclass(frozen=True, slots=True)
class MemoryResult:
    bytes: int
    segments: int
    seconds: float
    peak_rss_kb: int  # VmHWM of the reading process (ru_maxrss where /proc is missing)
    ru_maxrss_kb: int
    import_peak_rss_kb: int
    import_ru_maxrss_kb: int


def human(nbytes: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if nbytes < 1024 or unit == "GiB":
            return f"{nbytes:,.0f} {unit}" if unit == "B" else f"{nbytes:,.1f} {unit}"
        nbytes /= 1024
    raise AssertionError


def size_label(nbytes: int) -> str:
    for unit, scale in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if nbytes % scale == 0:
            return f"{nbytes // scale}{unit}"
    return str(nbytes)


def _check_space(out: Path, size: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(out).free
    if free < size + (1 << 30):
        sys.exit(
            f"not enough disk space in {out}: {human(free)} free, {human(size)} + 1 GiB needed"
        )


def ensure_large(out: Path, size: int, regenerate: bool) -> Path:
    """The synthetic 835 of at least `size` bytes in `out`, generated unless already there."""
    path = out / f"synthetic_835_{size_label(size)}.x12"
    if path.exists() and path.stat().st_size >= size and not regenerate:
        print(f"reusing {path} ({human(path.stat().st_size)})")
        return path
    _check_space(out, size)
    print(f"writing {path} ({human(size)}) ...", end=" ", flush=True)
    start = time.perf_counter()
    stats: FileStats = write_large(path, size)
    print(f"{stats.segments:,} segments in {time.perf_counter() - start:.1f} s")
    return path


def ensure_claims(out: Path, claims: int, regenerate: bool) -> Path:
    """The synthetic 835 of `claims` claims in one transaction set (DESIGN.md's reference file)."""
    path = out / f"synthetic_835_{claims}_claims.x12"
    if path.exists() and not regenerate:
        print(f"reusing {path} ({human(path.stat().st_size)})")
        return path
    _check_space(out, claims * 400)
    stats = write_835(path, claims)
    print(f"wrote {path}: {human(stats.bytes)}, {stats.segments:,} segments")
    return path


def _timed(work: Callable[[], int]) -> tuple[Run, int]:
    before = os.times()
    start = time.perf_counter()
    count = work()
    wall = time.perf_counter() - start
    after = os.times()
    return Run(wall, after.user - before.user, after.system - before.system), count


def time_split_floor(text: str, elem: str, term: str) -> tuple[Run, int]:
    """One timing of the floor: split an in-memory text with the collector paused."""
    result: list[list[str]] = []

    def floor() -> int:
        nonlocal result
        result = [s.split(elem) for s in text.split(term)]
        return len(result)

    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        run, count = _timed(floor)
    finally:
        if was_enabled:
            gc.enable()
    del result  # freed outside the timing
    return run, count


def load_reader(source: Path | None) -> type[SegmentReader]:
    """edi's SegmentReader, or the one defined in `source` (a patched copy of reader.py)."""
    if source is None:
        return SegmentReader
    spec = importlib.util.spec_from_file_location("_reader_under_test", source)
    if spec is None or spec.loader is None:
        sys.exit(f"cannot load a reader from {source}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SegmentReader


def time_reader(path: Path, reader_class: type[SegmentReader]) -> tuple[Run, int]:
    """One timing of the streaming reader over the file on disk, collector left to the reader."""
    reader = reader_class(path)

    def read() -> int:
        for _seg in reader:
            pass
        return reader.segment_count

    gc.collect()
    return _timed(read)


def bench_speed(
    path: Path, repeat: int, label: str, reader_class: type[SegmentReader]
) -> SpeedResult:
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    found = isa_delimiters(text[:512])
    if isinstance(found, str):
        sys.exit(f"{path}: {found}")
    elem, term = found[0].element, found[0].segment
    floors: list[Run] = []
    readers: list[Run] = []
    pieces = segments = 0
    for n in range(1, repeat + 1):  # interleaved, so drift affects both sides alike
        run, pieces = time_split_floor(text, elem, term)
        floors.append(run)
        run, segments = time_reader(path, reader_class)
        readers.append(run)
        f, r = floors[-1], readers[-1]
        print(
            f"  run {n}: split floor {f.wall:.3f} s (user {f.user:.2f}, sys {f.sys:.2f}), "
            f"SegmentReader {r.wall:.3f} s (user {r.user:.2f}, sys {r.sys:.2f})"
        )
    del text
    return SpeedResult(label, path.stat().st_size, segments, pieces, floors, readers)


def run_child(code: str, *args: str) -> dict[str, float]:
    """Run `code` in a fresh interpreter; return the JSON object it prints last."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"benchmark subprocess failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_memory(path: Path, reader_source: Path | None) -> MemoryResult:
    base = run_child(_CHILD_IMPORT)
    read = run_child(_CHILD_READ, str(path), *([str(reader_source)] if reader_source else []))
    return MemoryResult(
        path.stat().st_size,
        int(read["segments"]),
        read["seconds"],
        int(read["hwm_kb"]),
        int(read["maxrss_kb"]),
        int(base["hwm_kb"]),
        int(base["maxrss_kb"]),
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        mem = f", {human(os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE'))} RAM"
    return f"{cpu}, {os.cpu_count()} CPUs{mem}, {platform.system()} {platform.release()}"


def revision(reader_source: Path | None) -> str:
    """The git commit, and which reader.py was timed with its digest (it may differ from HEAD)."""
    reader_py = reader_source or Path(sys.modules[SegmentReader.__module__].__file__ or "")
    digest = hashlib.sha256(reader_py.read_bytes()).hexdigest()[:12] if reader_py.is_file() else "?"
    try:
        done = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        )
        commit = done.stdout.strip() or "?"
    except OSError:
        commit = "?"
    shown = reader_py if reader_source else "edi/x12/reader.py"
    return f"commit {commit}; reader {shown} sha256 {digest}"


def summary(
    speeds: list[SpeedResult], memory: MemoryResult | None, reader_source: Path | None
) -> str:
    lines = [
        "edi SegmentReader benchmark (bench/bench_reader.py; all numbers from one run)",
        f"machine : {machine()}",
        f"python  : {platform.python_implementation()} {platform.python_version()}",
        f"edi     : {Path(edi.__file__).parent}; {revision(reader_source)}",
    ]
    for speed in speeds:
        verdict = "ok" if speed.ratio <= SPEED_TARGET else "ABOVE TARGET"
        best_floor = min(speed.floor_runs, key=lambda r: r.wall)
        lines += [
            f"speed   : {speed.label}: synthetic 835, {human(speed.bytes)} ({speed.bytes:,} bytes), "
            f"{speed.segments:,} segments; best of {len(speed.floor_runs)}",
            f"  split floor (in memory, gc paused)  : {speed.floor_s:.3f} s "
            f"(user {best_floor.user:.2f} s, sys {best_floor.sys:.2f} s; "
            f"runs {', '.join(f'{r.wall:.2f}' for r in speed.floor_runs)})",
            f"  SegmentReader (streaming from disk) : {speed.reader_s:.3f} s "
            f"({speed.reader_s / speed.segments * 1e9:,.0f} ns/segment, "
            f"{speed.bytes / speed.reader_s / 2**20:.1f} MiB/s; "
            f"runs {', '.join(f'{r.wall:.2f}' for r in speed.reader_runs)})",
            f"  ratio reader/floor                  : {speed.ratio:.2f}  "
            f"(target <= {SPEED_TARGET}: {verdict})",
        ]
    if memory is not None:
        verdict = "ok" if memory.peak_rss_kb < RSS_TARGET_KB else "ABOVE TARGET"
        lines += [
            f"memory  : synthetic 835, {human(memory.bytes)} ({memory.bytes:,} bytes), "
            f"{memory.segments:,} segments, read in {memory.seconds:.1f} s (fresh process)",
            f"  peak RSS, SegmentReader over the file : {memory.peak_rss_kb:,} kB VmHWM "
            f"(ru_maxrss {memory.ru_maxrss_kb:,} kB)  (target < {RSS_TARGET_KB:,} kB: {verdict})",
            f"  peak RSS, python -c 'import edi'      : {memory.import_peak_rss_kb:,} kB VmHWM "
            f"(ru_maxrss {memory.import_ru_maxrss_kb:,} kB)",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Speed (vs. the split floor) and peak memory of edi's SegmentReader."
    )
    parser.add_argument("--speed-size", type=parse_size, default=parse_size("100M"))
    parser.add_argument("--memory-size", type=parse_size, default=parse_size("1G"))
    parser.add_argument(
        "--reference-claims",
        type=int,
        default=20_000,
        help="also time DESIGN.md's reference 835 of this many claims (0: skip)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per side (best is kept)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the files live")
    parser.add_argument("--regenerate", action="store_true", help="rewrite the files")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--reader",
        type=Path,
        help="time the SegmentReader defined in this file (a patched copy of edi/x12/reader.py)",
    )
    args = parser.parse_args(argv)
    reader_class = load_reader(args.reader)

    speeds: list[SpeedResult] = []
    memory: MemoryResult | None = None
    # Memory first, while this process is still small (see _CHILD_PEAK on ru_maxrss).
    if not args.skip_memory:
        path = ensure_large(args.out, args.memory_size, args.regenerate)
        print(f"memory: {path.name} in a fresh process")
        memory = bench_memory(path, args.reader)
        print(
            f"  peak RSS {memory.peak_rss_kb:,} kB ({memory.seconds:.1f} s); "
            f"import edi alone {memory.import_peak_rss_kb:,} kB"
        )
    if not args.skip_speed:
        files = [
            (ensure_large(args.out, args.speed_size, args.regenerate), size_label(args.speed_size))
        ]
        if args.reference_claims:
            reference = ensure_claims(args.out, args.reference_claims, args.regenerate)
            files.append((reference, f"{args.reference_claims:,} claims"))
        for path, label in files:
            print(f"speed: {path.name}, best of {args.repeat}")
            speed = bench_speed(path, args.repeat, label, reader_class)
            speeds.append(speed)
            print(
                f"  best: split floor {speed.floor_s:.3f} s, SegmentReader {speed.reader_s:.3f} s,"
                f" ratio {speed.ratio:.2f}"
            )
    rule = "-" * 100
    print(f"\n{rule}\n{summary(speeds, memory, args.reader)}\n{rule}")
    if args.json:
        results = {
            "speed": [{**asdict(s), "ratio": s.ratio} for s in speeds],
            "memory": asdict(memory) if memory else None,
        }
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    missed = (speeds and speeds[0].ratio > SPEED_TARGET) or (
        memory is not None and memory.peak_rss_kb >= RSS_TARGET_KB
    )
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
