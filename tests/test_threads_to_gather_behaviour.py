"""threads-to-gather keeps behaviour and stops stalling the event loop.

The subject ``tests/behaviour/threads_fanout/fanout.py`` holds the fan-outs a blocking
service writes (a create/start/append loop, a comprehension hitting a loopback HTTP
server, a ThreadPoolExecutor map, a fixed pair). It is migrated three ways: with
``asyncmig run threads-to-gather`` (a subprocess, defaults: ``errors = "preserve"``),
with ``errors = "raise"``, and with ``max_concurrency = 2``. Each scenario runs the
original and the migrated functions side by side.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from support import load_module, measure
from asyncmig.codemods.threads_to_gather import ThreadsToGather

from asyncmig.engine import CodemodSpec, transform_source

SUBJECT = Path(__file__).resolve().parent / "behaviour" / "threads_fanout" / "fanout.py"
REQUEST_DELAY = 0.2  # seconds the loopback server takes per request
STALL_LIMIT = 0.1  # the longest the event loop may go without ticking



@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    work = tmp_path_factory.mktemp("threads")
    source = SUBJECT.read_bytes()
    modules: dict[str, ModuleType] = {}
    (work / "original").mkdir()
    (work / "original" / "fanout.py").write_bytes(source)
    modules["original"] = load_module(work / "original" / "fanout.py", "fanout_original")

    (work / "preserve").mkdir()
    (work / "preserve" / "fanout.py").write_bytes(source)
    proc = subprocess.run(
        [sys.executable, "-m", "asyncmig", "run", "threads-to-gather", "fanout.py"],
        cwd=work / "preserve",
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"rewrote fanout.py: 4 changes" in proc.stderr, proc.stderr.decode()
    assert b", 0 skips, 0 errors" in proc.stderr, proc.stderr.decode()
    modules["preserve"] = load_module(work / "preserve" / "fanout.py", "fanout_preserve")

    for name, options in (("raise", {"errors": "raise"}), ("bounded", {"max_concurrency": 2})):
        result = transform_source(source, "fanout.py", [CodemodSpec.of(ThreadsToGather, **options)])
        assert result.status == "changed" and not result.skips, result
        (work / name).mkdir()
        (work / name / "fanout.py").write_bytes(result.new or b"")
        modules[name] = load_module(work / name / "fanout.py", f"fanout_{name}")
    for name, module in modules.items():
        text = Path(module.__file__ or "").read_text()
        assert ("threading.Thread(" in text) == (name == "original"), name
    return modules


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        time.sleep(REQUEST_DELAY)
        body = f"item {self.path.strip('/')}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _run(module: ModuleType, name: str, *args: Any) -> tuple[Any, float, float]:
    module.STATS.update(in_flight=0, peak=0)
    return asyncio.run(measure(getattr(module, name)(*args), tick=0.005))


@pytest.mark.parametrize("variant", ["preserve", "raise", "bounded"])
def test_same_results_as_threads(variants: dict[str, ModuleType], server: str, variant: str) -> None:
    original, migrated = variants["original"], variants[variant]
    urls = [f"{server}/{i}" for i in range(4)]
    for name, args in (
        ("double_all", (range(8), 0.01)),
        ("fetch_all", (urls,)),
        ("squares", (range(10),)),
        ("pair", (3, 4)),
    ):
        expected = _run(original, name, *args)[0]
        assert _run(migrated, name, *args)[0] == expected, name
    assert _run(migrated, "fetch_all", urls)[0] == [(u, f"item {i}") for i, u in enumerate(urls)]
    assert _run(migrated, "squares", range(10))[0] == [n * n for n in range(10)]  # map order


def test_failing_task_preserve_mode_logs_like_excepthook(
    variants: dict[str, ModuleType], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: seen.append(args.exc_value))
    original = _run(variants["original"], "double_all", [1, -1, 2], 0.01)[0]
    assert original == {1: 2, 2: 4}
    assert [repr(e) for e in seen] == ["ValueError('negative input -1')"]

    with caplog.at_level(logging.ERROR):
        migrated = _run(variants["preserve"], "double_all", [1, -1, 2], 0.01)[0]
    assert migrated == original  # one failing task does not fail the fan-out
    records = [r for r in caplog.records if r.name == "fanout_preserve"]
    assert [(r.levelname, r.getMessage()) for r in records] == [("ERROR", "Exception in task slow_double")]
    assert records[0].exc_info is not None
    assert repr(records[0].exc_info[1]) == "ValueError('negative input -1')"
    assert "raise ValueError" in caplog.text  # the traceback, as excepthook prints it


def test_failing_task_raise_mode_propagates(variants: dict[str, ModuleType]) -> None:
    with pytest.raises(ValueError, match="negative input -1"):
        _run(variants["raise"], "double_all", [1, -1, 2], 0.01)


def test_event_loop_keeps_ticking(variants: dict[str, ModuleType]) -> None:
    """6 tasks of 200 ms: threads+join stall the loop; the gather does not."""
    numbers, delay = range(6), 0.2
    result, stall, _ = _run(variants["original"], "double_all", numbers, delay)
    assert stall >= 0.15, stall  # the original really holds the loop (the test can fail)

    for variant in ("preserve", "raise"):
        migrated, stall, elapsed = _run(variants[variant], "double_all", numbers, delay)
        assert migrated == result
        assert stall < STALL_LIMIT, (variant, stall)
        assert elapsed < 6 * delay * 0.75, (variant, elapsed)  # still concurrent


def test_event_loop_keeps_ticking_on_http_fan_out(variants: dict[str, ModuleType], server: str) -> None:
    urls = [f"{server}/{i}" for i in range(6)]
    _, stall, _ = _run(variants["original"], "fetch_all", urls)
    assert stall >= 0.15, stall
    bodies, stall, elapsed = _run(variants["preserve"], "fetch_all", urls)
    assert len(bodies) == 6
    assert stall < STALL_LIMIT, stall
    assert elapsed < 6 * REQUEST_DELAY * 0.75, elapsed


def test_max_concurrency_bounds_tasks_in_flight(variants: dict[str, ModuleType]) -> None:
    numbers, delay = range(6), 0.1
    _run(variants["original"], "double_all", numbers, delay)
    assert variants["original"].STATS["peak"] > 2  # threads: all at once

    result, stall, _ = _run(variants["bounded"], "double_all", numbers, delay)
    assert result == {n: n * 2 for n in numbers}
    assert variants["bounded"].STATS["peak"] == 2
    assert stall < STALL_LIMIT, stall

    _run(variants["preserve"], "double_all", numbers, delay)
    assert variants["preserve"].STATS["peak"] > 2  # unbounded when the option is unset


def test_executor_max_workers_stays_the_bound(variants: dict[str, ModuleType]) -> None:
    module = variants["preserve"]
    original_square = module.square

    def square(n: int) -> int:
        module._enter()
        try:
            return original_square(n)
        finally:
            module._leave()

    module.square = square
    try:
        result = _run(module, "squares", range(9))[0]
    finally:
        module.square = original_square
    assert result == [n * n for n in range(9)]
    assert 2 <= module.STATS["peak"] <= 3  # ThreadPoolExecutor(max_workers=3)
