"""Benchmark: `asyncmig scan` vs `ruff check --select ASYNC` on the standard library.

Corpus: the running Python's standard library (without site-packages; without the test
suites unless ``--with-tests``), copied to a temporary folder so both tools read the same
files and no cache lands in the real installation. Each tool runs once, as a subprocess:

- ruff: ``ruff check --select ASYNC --no-cache --isolated --output-format json``;
- asyncmig cold: ``asyncmig scan --format json -j N`` with no ``.asyncmig_cache/``;
- asyncmig warm: the same command again over the unchanged tree (content-hash cache);
- asyncmig warm through the library (``asyncmig.scan.scan``): the same minus CLI start-up;
- asyncmig warm, one file edited: a re-scan after appending a line to one module;
- ``asyncmig check``, cold and warm (it parses only what async code can reach).

Prints the times, the ratios to ruff, the number of sites each tool finds, and the sites
ruff's blocking-call rules (ASYNC2xx) report that the scan does not list (it should list
them all, plus the sync helpers async code reaches, which ruff cannot see).
Ruff is optional: without it the bench says so and times asyncmig alone.

    python bench/scan.py [-j N] [--with-tests]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from corpus import copy_stdlib

def find_ruff() -> str | None:
    beside = Path(sys.executable).with_name("ruff")
    if beside.exists():
        return str(beside)
    return shutil.which("ruff")


CPU: list[float] = []  # CPU seconds (user + sys) of the last timed subprocess


def timed(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, proc


def load() -> str:
    try:
        return "load average %.1f" % os.getloadavg()[0]
    except OSError:
        return "load average unknown"


def run_ruff(ruff: str, cwd: Path) -> tuple[float, list[dict]]:
    cmd = [ruff, "check", "--select", "ASYNC", "--no-cache", "--isolated", "--exit-zero",
           "--output-format", "json", "."]
    seconds, proc = timed(cmd, cwd)
    if proc.returncode != 0:
        raise SystemExit(f"ruff failed: {proc.stderr.decode(errors='replace')[:500]}")
    found = [d for d in json.loads(proc.stdout or b"[]") if (d.get("code") or "").startswith("ASYNC")]
    for d in found:
        d["path"] = Path(d["filename"]).resolve().relative_to(cwd.resolve()).as_posix()
    return seconds, found


# The same scan through the library: what the CLI costs beyond it is start-up (imports).
LIBRARY = (
    "import sys; from pathlib import Path; from asyncmig.scan import scan, to_json; "
    "sys.stdout.write(to_json(scan(['.'], Path('.'), jobs=int(sys.argv[1]))))"
)


def run_scan(cwd: Path, jobs: int, library: bool = False) -> tuple[float, dict]:
    cmd = [sys.executable, "-m", "asyncmig", "scan", "--format", "json", "-j", str(jobs), "."]
    if library:
        cmd = [sys.executable, "-c", LIBRARY, str(jobs)]
    seconds, proc = timed(cmd, cwd)
    if proc.returncode != 0:
        raise SystemExit(f"asyncmig scan failed: {proc.stderr.decode(errors='replace')[-2000:]}")
    return seconds, json.loads(proc.stdout)


def run_check(cwd: Path, jobs: int) -> float:
    """``asyncmig check`` (exit 0 or 1 are both answers; 2 is a failure)."""
    seconds, proc = timed([sys.executable, "-m", "asyncmig", "check", "-j", str(jobs), "."], cwd)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"asyncmig check failed: {proc.stderr.decode(errors='replace')[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--with-tests", action="store_true", help="include the stdlib test suites")
    args = parser.parse_args()

    ruff = find_ruff()
    with tempfile.TemporaryDirectory(prefix="asyncmig-bench-") as tmp:
        root = Path(tmp) / "stdlib"
        files, lines = copy_stdlib(root, args.with_tests)
        # Files older than the racy-clean window, as in a real checkout (not just written).
        old = time.time() - 3600
        for path in root.rglob("*.py"):
            os.utime(path, (old, old))
        print(f"corpus: {files} files, {lines} lines (stdlib{' with tests' if args.with_tests else ''}), "
              f"{os.cpu_count()} cores, -j {args.jobs}, {load()}")

        ruff_s = ruff_cpu = None
        ruff_found: list[dict] = []
        if ruff is None:
            print("ruff: NOT INSTALLED (pip install ruff) — timing asyncmig alone")
        else:
            version = subprocess.run([ruff, "--version"], capture_output=True, text=True).stdout.strip()
            ruff_s, ruff_found = run_ruff(ruff, root)
            ruff_cpu = CPU[-1]
            print(f"{version} check --select ASYNC --no-cache: {ruff_s:.2f} s "
                  f"(cpu {ruff_cpu:.2f} s), {len(ruff_found)} findings")

        rows = []
        cold_s, cold = run_scan(root, args.jobs)
        rows.append(("scan, cold (no cache)", cold_s, CPU[-1]))
        warm_s, warm = run_scan(root, args.jobs)
        rows.append(("scan, warm (unchanged tree)", warm_s, CPU[-1]))
        lib_s, lib = run_scan(root, args.jobs, library=True)
        rows.append(("scan, warm, library call (no CLI start-up)", lib_s, CPU[-1]))
        one = sorted(root.rglob("*.py"))[files // 2]
        with one.open("a", encoding="utf-8") as handle:
            handle.write("\n# edited by bench/scan.py\n")
        edit_s, edited = run_scan(root, args.jobs)
        rows.append(("scan, warm, one file edited", edit_s, CPU[-1]))
        assert warm == cold == lib, "a re-scan of an unchanged tree must give the same result"
        shutil.rmtree(root / ".asyncmig_cache")
        rows.append(("check, cold (no cache)", run_check(root, args.jobs), CPU[-1]))
        rows.append(("check, warm", run_check(root, args.jobs), CPU[-1]))

        for label, seconds, cpu in rows:
            ratio = f" = {seconds / ruff_s:5.1f}x ruff ({cpu / ruff_cpu:5.1f}x in cpu)" if ruff_s else ""
            print(f"asyncmig {label:43s} {seconds:6.2f} s (cpu {cpu:5.2f} s){ratio}")
        print(f"{load()} after the runs (times on a busy machine are not comparable across runs)")
        findings = cold["findings"]
        contexts = Counter(f["context"] for f in findings)
        print(f"asyncmig: {len(findings)} blocking sites "
              f"({contexts['async']} async, {contexts['reached']} reached, {contexts['sync']} sync) "
              f"in {cold['files']} files, {cold['lines']} lines")

        if ruff is not None:
            codes = Counter(d["code"] for d in ruff_found)
            print("ruff ASYNC findings by rule: " + (", ".join(f"{c} {n}" for c, n in sorted(codes.items())) or "none"))
            blocking = [d for d in ruff_found if d["code"].startswith("ASYNC2")]
            ours = {(f["path"], f["line"]) for f in findings}
            missed = [d for d in blocking if (d["path"], d["location"]["row"]) not in ours]
            print(f"ruff blocking-call findings (ASYNC2xx): {len(blocking)}; listed by asyncmig scan too: "
                  f"{len(blocking) - len(missed)}; missed: {len(missed)}")
            for d in missed:
                print(f"  MISSED {d['path']}:{d['location']['row']}: {d['code']} {d['message']}")
            in_async = sum(1 for f in findings if f["context"] == "async")
            print(f"asyncmig async-context sites: {in_async} (ruff sees only these); "
                  f"plus {contexts['reached']} in sync code reached from async code")


if __name__ == "__main__":
    main()
