"""Slow-downstream load test: the bundled example under uvicorn, before and after each phase.

The example service (``examples/legacy_service``, its driver ``examples/fakedb`` and the
root ``migrations.toml``) is copied into a fresh git repository; phases are applied one
after the other with ``asyncmig apply``. On the original code and on every phase branch:

- a downstream (the example tests' loopback server, in its own process) answers every
  request in ``--delay`` seconds (300 ms): the token, transcription, webhook and
  integration APIs;
- the service runs under uvicorn (``legacy_service.app:create_app``, asyncio loop, h11);
- ``--slow`` workers (8, in a process of their own) keep calling the slow endpoint
  (``POST /recordings/{id}``, the whole request path) for ``--seconds``; meanwhile one
  client calls the cheap endpoint (``GET /health``) every 10 ms and times each answer;
- with ``--trace``, the server runs under ``asyncmig trace`` and the top stall sites of
  each state are printed too.

Prints p50/p99/max of the cheap endpoint per state and checks the goal: p99 ≤ 20 ms
after the last phase. Every address is on 127.0.0.1; every loop is bounded in time.

    python bench/service.py [--slow 8] [--seconds 6] [--delay 0.3] [--trace]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))
from legacy_service.tests.server import wait_until_serving

GOAL_P99_MS = 20.0

DOWNSTREAM = r"""
import sys, time
sys.path.insert(0, "examples")
from legacy_service.tests.server import LoopbackServer

with LoopbackServer() as server:
    server.state.reset(delay=float(sys.argv[1]))
    print(server.url, flush=True)
    sys.stdin.read()  # until the bench closes our stdin
"""


def run(cwd: Path, *args: str) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=clean_env(), timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ASYNCMIG_TRACE_DIR")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def make_repo(folder: Path) -> Path:
    repo = folder / "service"
    for name in ("legacy_service", "fakedb"):
        shutil.copytree(
            ROOT / "examples" / name,
            repo / "examples" / name,
            ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", "http_clients.py"),
        )
    shutil.copy(ROOT / "migrations.toml", repo / "migrations.toml")
    (repo / ".gitignore").write_text("__pycache__/\n.asyncmig_cache/\n")
    for args in (
        ("init", "-q", "-b", "main"),
        ("config", "user.name", "bench"),
        ("config", "user.email", "bench@example.com"),
        ("add", "-A"),
        ("commit", "-q", "-m", "legacy service"),
    ):
        run(repo, "git", *args)
    return repo


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


# The slow calls come from their own process, so the cheap endpoint's timer shares its
# event loop with nothing else.
SLOW_LOAD = r"""
import asyncio, json, statistics, sys, time
import httpx

base, audio, slow, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])


async def main():
    limits = httpx.Limits(max_connections=slow + 2, max_keepalive_connections=slow + 2)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        await client.post("/recordings/warm-up", json={"audio_path": audio})  # imports, clients
        print("ready", flush=True)
        stop = time.perf_counter() + seconds
        times = []

        async def worker(n):
            i = 0
            while time.perf_counter() < stop:
                started = time.perf_counter()
                response = await client.post(f"/recordings/w{n}-{i}", json={"audio_path": audio})
                response.raise_for_status()
                times.append(time.perf_counter() - started)
                i += 1

        await asyncio.gather(*(worker(n) for n in range(slow)))
    print(json.dumps({"slow_n": len(times), "slow_mean": statistics.mean(times) if times else float("nan")}))


asyncio.run(main())
"""


async def probe(base: str, seconds: float) -> list[float]:
    """Latencies (ms) of the cheap endpoint, called again and again for ``seconds``."""
    cheap: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        stop = time.perf_counter() + seconds
        await asyncio.sleep(0.3)  # the slow calls are in flight
        while time.perf_counter() < stop:
            started = time.perf_counter()
            response = await client.get("/health")
            response.raise_for_status()
            cheap.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.01)
    return cheap


def load(base: str, audio: str, slow: int, seconds: float) -> dict:
    slow_calls = subprocess.Popen(
        [sys.executable, "-c", SLOW_LOAD, base, audio, str(slow), str(seconds)],
        stdout=subprocess.PIPE, text=True, env=clean_env(),
    )
    if slow_calls.stdout.readline().strip() != "ready":
        raise SystemExit("the slow-call load did not start")
    cheap = asyncio.run(probe(base, seconds))
    out, _ = slow_calls.communicate(timeout=600)
    slow_figures = json.loads(out.strip().splitlines()[-1])
    return {
        "cheap_n": len(cheap),
        "p50": statistics.median(cheap),
        "p99": percentile(cheap, 99),
        "max": max(cheap),
        **slow_figures,
    }


def measure(repo: Path, work: Path, args, state: str) -> tuple[dict, list]:
    downstream = subprocess.Popen(
        [sys.executable, "-c", DOWNSTREAM, str(args.delay)],
        cwd=repo, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=clean_env(),
    )
    url = downstream.stdout.readline().strip()
    reports = work / f"reports-{state.replace(' ', '-')}"
    reports.mkdir()
    audio = work / "call.wav"
    audio.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(32)))
    port = free_port()
    trace_file = work / f"trace-{state.replace(' ', '-')}.json"
    server_cmd = [
        sys.executable, "-m", "uvicorn", "legacy_service.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--loop", "asyncio", "--http", "h11",
        "--log-level", "warning", "--no-access-log",
    ]
    if args.trace:
        server_cmd = [sys.executable, "-m", "asyncmig", "trace", "-o", str(trace_file), "--", *server_cmd]
    env = clean_env(
        PYTHONPATH=str(repo / "examples"),
        LEGACY_API_URL=url,
        LEGACY_WEBHOOK_URL=f"{url}/hooks/customer",
        LEGACY_REPORTS_DIR=str(reports),
        LEGACY_INTEGRATION_URLS=",".join(f"{url}/integrations/{n}" for n in ("crm", "chat", "tickets")),
    )
    server = subprocess.Popen(server_cmd, cwd=repo, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(f"{base}/health", server)
        figures = load(base, str(audio), args.slow, args.seconds)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        downstream.stdin.close()
        downstream.wait(timeout=30)
    sites = []
    if args.trace and trace_file.exists():
        sites = json.loads(trace_file.read_text())["sites"]
    return figures, sites


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=8, help="concurrent calls of the slow endpoint")
    parser.add_argument("--seconds", type=float, default=6.0, help="how long each state is loaded")
    parser.add_argument("--delay", type=float, default=0.3, help="the downstream's answer time (s)")
    parser.add_argument("--trace", action="store_true", help="run the server under asyncmig trace")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        repo = make_repo(work)
        phases = len([line for line in (repo / "migrations.toml").read_text().splitlines() if line.strip() == "[[phases]]"])
        rows = [("before", *measure(repo, work, args, "before"))]
        for number in range(1, phases + 1):
            run(repo, sys.executable, "-m", "asyncmig", "apply", "--phase", str(number))
            branch = run(repo, "git", "branch", "--list", f"asyncmig/phase-{number}-*").split()[-1]
            run(repo, "git", "checkout", "-q", branch)
            rows.append((f"phase {number}", *measure(repo, work, args, f"phase {number}")))
            run(repo, "git", "checkout", "-q", "main")
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\ncheap endpoint (GET /health) while {args.slow} slow calls (POST /recordings) run, "
        f"downstream answers in {args.delay * 1000:.0f} ms, {args.seconds:g} s per state "
        f"(load average {load_avg:.1f}, {os.cpu_count()} cores)"
    )
    print(f"{'state':<9} {'p50':>9} {'p99':>9} {'max':>9} {'cheap calls':>12} {'slow calls':>11} {'slow mean':>10}")
    for state, f, _sites in rows:
        print(
            f"{state:<9} {f['p50']:>7.1f}ms {f['p99']:>7.1f}ms {f['max']:>7.1f}ms {f['cheap_n']:>12} "
            f"{f['slow_n']:>11} {f['slow_mean'] * 1000:>8.0f}ms"
        )
    last = rows[-1][1]["p99"]
    verdict = "met" if last <= GOAL_P99_MS else "NOT met"
    print(f"goal: p99 ≤ {GOAL_P99_MS:g} ms after the last phase with {args.slow} concurrent slow calls: {verdict} ({last:.1f} ms)")
    if args.trace:
        for state, _f, sites in rows:
            print(f"\n{state}: top loop stalls (asyncmig trace, threshold 20 ms)")
            for s in sites[:6]:
                request = " request" if s["request"] else ""
                print(
                    f"  {s['path']}:{s['line']} {s['function']} → {s['call']}: {s['count']}× "
                    f"worst {s['worst_ms']:.0f} ms, total {s['total_ms']:.0f} ms{request}"
                )
            if not sites:
                print("  none")


if __name__ == "__main__":
    main()
