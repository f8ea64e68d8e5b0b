"""Benchmark: what ``asyncmig trace`` costs the command it traces (goal: wall time ≤ 1.3x).

Two workloads, each run untraced and under ``asyncmig trace -- ...`` (default threshold,
20 ms), alternating, ``--rounds`` times; the medians and their ratio are printed:

- ``example tests``: the bundled example's test suite (``python -m pytest -q``), the
  everyday use (the traced wall time includes asyncmig's own start-up and report);
- ``callbacks``: 200,000 empty task steps (``await asyncio.sleep(0)`` in 10 tasks), the
  worst case: nothing but the per-callback cost of the detector's timing wrapper.

The goal is on the traced command's own wall time (``wall_s`` of the report, measured
around the child process); the total of ``asyncmig trace`` (its start-up, file discovery
and report) and the CPU time of all processes are printed beside it.

    python bench/trace.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.3

CALLBACKS = """
import asyncio


async def worker(n):
    for _ in range(n):
        await asyncio.sleep(0)


async def main():
    await asyncio.gather(*(worker(20_000) for _ in range(10)))


asyncio.run(main())
"""


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the command and its children)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ASYNCMIG_TRACE_DIR")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(name: str, command: list[str], cwd: Path, rounds: int, output: Path) -> tuple:
    traced = [sys.executable, "-m", "asyncmig", "trace", "-o", str(output), "--", *command]
    timed(command, cwd)  # warm the file-system cache and the bytecode
    plain, under, inside = [], [], []
    for _ in range(rounds):
        plain.append(timed(command, cwd))
        under.append(timed(traced, cwd))
        inside.append(json.loads(output.read_text())["wall_s"])  # the command alone, traced
    median = statistics.median
    return (
        name, median(w for w, _ in plain), median(inside), median(w for w, _ in under),
        median(c for _, c in plain), median(c for _, c in under),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "callbacks.py"
        script.write_text(CALLBACKS)
        output = Path(tmp) / "trace.json"
        tests = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "examples/legacy_service/tests"]
        rows = [
            measure("example tests", tests, ROOT, args.rounds, output),
            measure("callbacks", [sys.executable, str(script)], Path(tmp), args.rounds, output),
        ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"asyncmig trace overhead, median of {args.rounds} rounds (load average {load:.1f}, {os.cpu_count()} cores)")
    print("  untraced: the command alone; traced: the same command under the detector (its wall time,")
    print("  the goal); with start-up: all of `asyncmig trace` (its own start-up, discovery, report); cpu: all processes")
    print(
        f"{'workload':<14} {'untraced':>9} {'traced':>9} {'ratio':>6}  goal ≤ {GOAL}x   "
        f"{'with start-up':>13} {'ratio':>6}   {'cpu':>6} {'traced':>7} {'ratio':>6}"
    )
    for name, plain, inside, under, cpu, cpu_under in rows:
        ratio = inside / plain
        verdict = "met    " if ratio <= GOAL else "NOT met"
        print(
            f"{name:<14} {plain:>8.2f}s {inside:>8.2f}s {ratio:>5.2f}x  {verdict}       "
            f"{under:>12.2f}s {under / plain:>5.2f}x   {cpu:>5.2f}s {cpu_under:>6.2f}s {cpu_under / cpu:>5.2f}x"
        )


if __name__ == "__main__":
    main()
