"""Benchmark: file I/O in async code before and after `asyncmig run open-to-anyio`.

The async handlers in ``SUBJECT`` (a line copy, a line count, many small writes, a json
load and a json dump) are migrated by the open-to-anyio codemod in memory; original and
migrated functions then run on the same 1k, 10k and 100k-line files while a 5 ms ticker
measures how long the event loop could not run anything else (the worst stall). All
cases run in one event loop, as in a server (worker threads start once). A wall time is
the best of its runs (15 on 1k/10k lines, 5 on 100k: the machine's noise only ever adds
time); a stall is the median of the runs' worst stalls. Goal (DESIGN §9): migrated wall time at most 2x the
original at every size, and the migrated code's worst stall under 50 ms.

    python bench/fileio.py [--sizes 1000,10000,100000] [--repeat 5] [--strict]

Exits 1 when original and migrated return different values, and with ``--strict`` when
the goal is missed too (as the other benchmarks, it only prints a missed goal otherwise:
sub-millisecond cases are at the mercy of the machine's load).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType

import anyio.to_thread

from asyncmig.codemods.open_to_anyio import OpenToAnyio
from asyncmig.engine import CodemodSpec, transform_source

TICK = 0.005
GOAL_RATIO = 2.0
GOAL_STALL = 0.050

SUBJECT = b'''\
import json


async def copy_lines(src, dst):
    with open(src, encoding="utf-8") as source, open(dst, "w", encoding="utf-8") as target:
        for line in source:
            target.write(line)


async def count_lines(path, word):
    total = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if word in line:
                total += 1
    return total


async def write_rows(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(f"{row[0]},{row[1]},{row[2]}\\n")


async def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


async def dump_json(path, document):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2)
'''


# What open-to-anyio wrote before blocks ran as one unit (one thread round trip per line).
PREVIOUS = b'''\
import json
import anyio


async def copy_lines(src, dst):
    async with await anyio.open_file(src, encoding="utf-8") as source, await anyio.open_file(dst, "w", encoding="utf-8") as target:
        async for line in source:
            await target.write(line)


async def count_lines(path, word):
    total = 0
    async with await anyio.open_file(path, encoding="utf-8") as f:
        async for line in f:
            if word in line:
                total += 1
    return total


async def write_rows(path, rows):
    async with await anyio.open_file(path, "w", encoding="utf-8") as f:
        for row in rows:
            await f.write(f"{row[0]},{row[1]},{row[2]}\\n")


async def load_json(path):
    async with await anyio.open_file(path, encoding="utf-8") as f:
        return json.loads(await f.read())


async def dump_json(path, document):
    async with await anyio.open_file(path, "w", encoding="utf-8") as f:
        await f.write(json.dumps(document, indent=2))
'''
PREVIOUS_UP_TO = 10_000  # lines; beyond, the per-line form takes many seconds a run


def load(source: bytes, name: str, folder: Path) -> ModuleType:
    path = folder / f"{name}.py"
    path.write_bytes(source)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def timed(work: Callable[[], Awaitable[object]]) -> tuple[float, float, object]:
    """(wall seconds, worst gap between 5 ms ticks, result) of one awaited call."""
    gaps: list[float] = []
    done = False

    async def ticker() -> None:
        last = time.perf_counter()
        while not done:
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            gaps.append(now - last - TICK)
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(2 * TICK)
    start = time.perf_counter()
    result = await work()
    wall = time.perf_counter() - start
    done = True
    await task
    return wall, max(gaps), result


def cases(folder: Path, lines: int) -> dict[str, Callable[[ModuleType], Callable[[], Awaitable[object]]]]:
    text = folder / f"in-{lines}.txt"
    with open(text, "w", encoding="utf-8") as f:
        for i in range(lines):
            f.write(f"{i:08d} the quick brown fox jumps over the lazy dog, line {i}\n")
    rows = [(i, f"name {i}", i * 0.5) for i in range(lines)]
    # A json document that is `lines` lines long in its indent=2 form (5 lines a record).
    document = [{"id": i, "name": f"item {i}", "score": i * 0.5} for i in range(lines // 5)]
    doc = folder / f"doc-{lines}.json"
    doc.write_text(json.dumps(document, indent=2), encoding="utf-8")
    out = folder / f"out-{lines}"
    return {
        "line copy": lambda m: lambda: m.copy_lines(str(text), str(out)),
        "line count": lambda m: lambda: m.count_lines(str(text), "7"),
        "small writes": lambda m: lambda: m.write_rows(str(out), rows),
        "json load": lambda m: lambda: m.load_json(str(doc)),
        "json dump": lambda m: lambda: m.dump_json(str(out), document),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=5, help="runs on the largest size (3x that below 100k)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the goal is missed")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    result = transform_source(SUBJECT, "handlers.py", [CodemodSpec.of(OpenToAnyio)])
    if result.status != "changed" or result.new is None:
        sys.exit(f"open-to-anyio did not rewrite the subject: {result}")
    if result.skips:
        sys.exit(f"open-to-anyio skipped sites: {result.skips}")

    asyncio.run(run(result.new, sizes, args.repeat, args.strict))


async def run(migrated_source: bytes, sizes: list[int], repeat: int, strict: bool) -> None:
    """All cases in one event loop, as in a server: worker threads are started once."""
    failures = []
    header = (f"{'case':<13} {'lines':>7}  {'original':>9}  {'migrated':>9}  {'ratio':>6}  "
              f"{'stall before':>12}  {'stall after':>11}  {'per-line anyio (previous)':>25}")
    print(f"Python {sys.version.split()[0]}; wall time: best run; stall: median of the runs' "
          f"worst extra delay of a {TICK * 1000:.0f} ms ticker")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        original = load(SUBJECT, "handlers_original", folder)
        migrated = load(migrated_source, "handlers_migrated", folder)
        previous = load(PREVIOUS, "handlers_previous", folder)
        for lines in sizes:
            for case, make in cases(folder, lines).items():
                measured = {}
                for label, module in (("original", original), ("migrated", migrated)):
                    await make(module)()  # warm: files in the page cache, a worker thread up
                    n = repeat * (3 if lines < 100_000 else 1)
                    runs = [await timed(make(module)) for _ in range(n)]
                    stalls = sorted(r[1] for r in runs)
                    measured[label] = (min(r[0] for r in runs), stalls[len(stalls) // 2], runs[0][2])
                (t0, s0, r0), (t1, s1, r1) = measured["original"], measured["migrated"]
                before = ""
                if lines <= PREVIOUS_UP_TO:
                    await make(previous)()
                    slow = min([(await timed(make(previous)))[0] for _ in range(3)])
                    times = slow / t0
                    before = f"{slow * 1000:>15.1f}ms {times:>7.{0 if times >= 10 else 1}f}x"
                if r0 != r1:
                    sys.exit(f"{case} {lines}: original and migrated results differ")
                ratio = t1 / t0
                ok = ratio <= GOAL_RATIO and s1 < GOAL_STALL
                if not ok:
                    failures.append(f"{case} {lines}: ratio {ratio:.2f}, stall {s1 * 1000:.1f} ms")
                print(f"{case:<13} {lines:>7}  {t0 * 1000:>7.1f}ms  {t1 * 1000:>7.1f}ms  "
                      f"{ratio:>5.2f}x  {s0 * 1000:>10.1f}ms  {s1 * 1000:>9.1f}ms  {before:>25}"
                      + ("" if ok else "  MISSED"))
    for label, trip in (("anyio.to_thread.run_sync", lambda: anyio.to_thread.run_sync(int)),
                        ("asyncio.to_thread", lambda: asyncio.to_thread(int))):
        trips = []
        for _ in range(200):
            start = time.perf_counter()
            await trip()
            trips.append(time.perf_counter() - start)
        print(f"one empty worker-thread round trip ({label}) on this machine: "
              f"best {min(trips) * 1e6:.0f} us, median {statistics.median(trips) * 1e6:.0f} us")
    if failures:
        print("goal missed: " + "; ".join(failures))
        if strict:
            sys.exit(1)
        return
    print(f"goal met: migrated <= {GOAL_RATIO:g}x the original and worst stall "
          f"< {GOAL_STALL * 1000:.0f} ms at every size")


if __name__ == "__main__":
    main()
