"""End to end: the example service migrated phase by phase in a temporary git repository.

On the original code and on every phase branch the example's own tests run unchanged, and
a probe measures the event loop's longest stall while the service handles one recording
against a loopback server whose every answer takes ``DELAY`` seconds. Before the
migration the request path blocks the loop for all of its I/O; after phase 3 it must not
block it for more than 50 ms.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "legacy_service"
DELAY = 0.15  # seconds per loopback answer
AFTER_PHASE_3_LIMIT_MS = 50.0

PROBE = r'''
import asyncio, json, sys, tempfile, time
from pathlib import Path

sys.path.insert(0, str(Path("examples").resolve()))
from legacy_service.service import handle_recording
from legacy_service.settings import ServiceConfig
from legacy_service.tests.server import WAV, LoopbackServer

DELAY = float(sys.argv[1])


async def longest_stall(work):
    """Run ``work`` while a ticker notes the longest time the loop did not run it."""
    stalls = []
    done = asyncio.Event()

    async def ticker():
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.002)
            now = time.perf_counter()
            stalls.append(now - last)
            last = now

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0.01)
    started = time.perf_counter()
    result = await work()
    elapsed = time.perf_counter() - started
    done.set()
    await tick
    return result, max(stalls), elapsed


async def main():
    with LoopbackServer() as server, tempfile.TemporaryDirectory() as tmp:
        audio = Path(tmp) / "call.wav"
        audio.write_bytes(WAV)
        config = ServiceConfig(
            api_url=server.url,
            webhook_url=f"{server.url}/hooks/flaky",  # two 503s: the retry loop sleeps
            reports_dir=tmp,
            integration_urls=tuple(f"{server.url}/integrations/{n}" for n in ("crm", "chat", "tickets")),
        )
        # Warm-up: imports, the shared clients and enough pool threads for the fan-out.
        server.state.reset(delay=DELAY / 3)
        await handle_recording(config, "warm-up", str(audio))
        server.state.reset(delay=DELAY)
        result, stall, elapsed = await longest_stall(lambda: handle_recording(config, "call-1", str(audio)))
        assert result["webhook_status"] == 200 and result["text"], result
        print(json.dumps({"stall_ms": stall * 1000, "elapsed_ms": elapsed * 1000}))


asyncio.run(main())
'''


def run(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
    if check:
        assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def git(repo: Path, *args: str) -> str:
    return run(repo, "git", *args).stdout


@pytest.fixture
def service_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "service"
    shutil.copytree(
        EXAMPLE,
        repo / "examples" / "legacy_service",
        ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", "http_clients.py"),
    )
    shutil.copytree(EXAMPLE.parent / "fakedb", repo / "examples" / "fakedb", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "migrations.toml", repo / "migrations.toml")
    (repo / ".gitignore").write_text("__pycache__/\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "E2E")
    git(repo, "config", "user.email", "e2e@example.com")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "legacy service")
    return repo


def example_tests(repo: Path) -> str:
    done = run(repo, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "examples/legacy_service/tests")
    return done.stdout.strip().splitlines()[-1]


def stall(repo: Path) -> dict:
    probe = repo.parent / "probe.py"
    probe.write_text(PROBE)
    done = run(repo, sys.executable, str(probe), str(DELAY))
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_example_migrates_in_three_phases_and_stops_stalling_the_loop(service_repo, capsys):
    repo = service_repo
    tests_dir = "examples/legacy_service/tests"
    figures = [("before", example_tests(repo), stall(repo))]

    for number in (1, 2, 3):
        done = run(repo, sys.executable, "-m", "asyncmig", "apply", "--phase", str(number))
        assert "created branch" in done.stderr
        branch = [b.strip() for b in git(repo, "branch", "--list", f"asyncmig/phase-{number}-*").splitlines()]
        assert len(branch) == 1, branch
        assert git(repo, "status", "--porcelain") == ""
        assert git(repo, "diff", "main", branch[0], "--", tests_dir) == ""  # tests unchanged
        git(repo, "checkout", "-q", branch[0])
        figures.append((f"phase {number}", example_tests(repo), stall(repo)))
        git(repo, "checkout", "-q", "main")

    def source(rev: str, name: str) -> str:
        return git(repo, "show", f"{rev}:examples/legacy_service/{name}")

    p3 = "asyncmig/phase-3-file-io"
    assert "requests" not in source(p3, "auth.py")
    assert "await get_default_client()." in source(p3, "auth.py")
    assert "await get_webhooks_client()." in source(p3, "webhooks.py")
    assert "threading" not in source(p3, "notify.py") and "asyncio.gather(" in source(p3, "notify.py")
    assert "await anyio.Path(path).read_text()" in source(p3, "reports.py")  # a whole-file read
    assert "await anyio.to_thread.run_sync(" in source(p3, "reports.py")  # the json.dump block
    assert "await asyncio.sleep(" in source(p3, "webhooks.py")
    assert "time.sleep" not in source(p3, "retry.py")
    plan = run(repo, sys.executable, "-m", "asyncmig", "plan").stdout
    assert plan.count("applied") == 4  # three rows and the legend

    with capsys.disabled():
        print(f"\nevent-loop stall while handling one recording (loopback answers take {DELAY * 1000:.0f} ms):")
        for name, tests, numbers in figures:
            print(
                f"  {name:<8} longest stall {numbers['stall_ms']:7.1f} ms   "
                f"request path {numbers['elapsed_ms']:7.1f} ms   example tests: {tests}"
            )
    for _name, tests, _numbers in figures:
        assert " passed" in tests and "failed" not in tests and "error" not in tests
    before, after = figures[0][2], figures[-1][2]
    # Before: the token call, the upload, the webhook attempts and the fan-out's join all
    # block the loop back to back.
    assert before["stall_ms"] >= 4 * DELAY * 1000
    assert after["stall_ms"] < AFTER_PHASE_3_LIMIT_MS
