"""Benchmark: `asyncmig run sleep-to-asyncio --dry-run` vs `python -m libcst.tool codemod`.

Corpus: the running Python's standard library (without site-packages and test suites),
copied to a temporary folder so both tools read the same files and nothing real is
touched. Both run once, as subprocesses, with the same ``-j``; the peer is the equivalent
plain LibCST codemod in ``bench/libcst_sleep.py``. Prints both times and the ratio.

    python bench/engine.py [-j N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import copy_stdlib

HERE = Path(__file__).resolve().parent
def changed_files(diff: bytes, marker: bytes) -> list[str]:
    """Paths named by the ``+++`` header lines of a unified diff, relative to stdlib/."""
    names = []
    for line in diff.splitlines():
        if line.startswith(marker):
            name = line[len(marker):].decode(errors="replace").split("\t")[0].strip()
            names.append(name.split("stdlib/", 1)[-1])
    return names


def timed(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True)
    return time.perf_counter() - start, proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tree = work / "stdlib"
        files, lines = copy_stdlib(tree)
        subprocess.run(["git", "init", "-q", str(work)], check=True)
        print(f"corpus: {files} files, {lines:,} lines (Python {sys.version.split()[0]} stdlib), -j {args.jobs}")

        ours_s, ours = timed(
            [sys.executable, "-m", "asyncmig", "run", "sleep-to-asyncio", "--dry-run",
             "-j", str(args.jobs), "stdlib"],
            work,
        )
        if ours.returncode != 0:
            sys.exit(f"asyncmig failed:\n{ours.stderr.decode()}")
        ours_files = changed_files(ours.stdout, b"+++ b/")
        summary = ours.stderr.decode().strip().splitlines()[-1]
        print(f"asyncmig run --dry-run : {ours_s:8.2f} s  ({len(ours_files)} files would change; {summary})")

        shutil.copy(HERE / "libcst_sleep.py", work / "libcst_sleep.py")
        peer_s, peer = timed(
            [sys.executable, "-m", "libcst.tool", "codemod", "-x", "libcst_sleep.SleepToAsyncioCommand",
             "--no-format", "--include-generated", "-u", "3", "-j", str(args.jobs), "stdlib"],
            work,
        )
        if peer.returncode not in (0, 1):
            sys.exit(f"libcst.tool failed:\n{peer.stderr.decode()[-2000:]}")
        peer_files = changed_files(peer.stdout, b"+++ ")
        print(f"python -m libcst.tool  : {peer_s:8.2f} s  ({len(peer_files)} files would change)")
        if sorted(ours_files) != sorted(peer_files):
            print(f"  files only asyncmig changes: {sorted(set(ours_files) - set(peer_files))}")
            print(f"  files only libcst.tool changes: {sorted(set(peer_files) - set(ours_files))}")
        print(f"ratio asyncmig/libcst.tool: {ours_s / peer_s:.4f}x  (goal: at most 0.05x)")
        print(f"throughput: asyncmig {lines / ours_s:,.0f} lines/s, libcst.tool {lines / peer_s:,.0f} lines/s")


if __name__ == "__main__":
    main()
