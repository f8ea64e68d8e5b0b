"""``asyncmig trace`` and ``asyncmig scan --trace``: runtime evidence joined to the audit.

Timing is never asserted tightly here (a loaded 2-core machine stretches everything): the
tests pin which sites are seen, where, and how they merge; bench/ measures.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from asyncmig import trace as tracing
from asyncmig.discovery import discover
from asyncmig.errors import UsageError
from asyncmig.scan import Finding, ScanResult, scan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def asyncmig(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ASYNCMIG_TRACE_DIR")}
    return subprocess.run(
        [sys.executable, "-m", "asyncmig", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """The example and its driver in a fresh repository, traced once with threshold 0."""
    repo = tmp_path_factory.mktemp("traced")
    for name in ("legacy_service", "fakedb"):
        shutil.copytree(EXAMPLES / name, repo / "examples" / name, ignore=shutil.ignore_patterns("__pycache__", "http_clients.py"))
    shutil.copy(ROOT / "migrations.toml", repo)
    (repo / ".git").mkdir()  # the root marker is all discovery needs
    done = asyncmig(
        repo, "trace", "--threshold", "0", "-o", "trace.json", "--",
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "examples/legacy_service/tests",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "11 passed" in done.stdout
    return repo


def noted(report: tracing.TraceReport) -> tracing.TraceReport:
    """Only the sites of noted calls: where the watchdog's samples land depends on timing."""
    return replace(report, sites=tuple(s for s in report.sites if s.events))


def test_trace_sees_every_blocking_call_the_example_tests_run_on_the_loop(example):
    report = noted(tracing.load(example / "trace.json"))
    assert report.exit_code == 0 and report.processes == 1 and report.loop_processes == 1
    exclude = ["**/tests/**", "**/conftest.py"]
    result = scan(["examples/legacy_service"], example, exclude=exclude, use_cache=False)
    files = discover([example / "examples/legacy_service"], example, exclude)
    evidence = tracing.merge(result, report, example, graph=lambda: tracing.project_graph(example, files))
    seen = {(f.path.rsplit("/", 1)[1], f.line, f.kind) for f in evidence.findings if evidence.observed_of(f)}
    on_loop = {(f.path.rsplit("/", 1)[1], f.line, f.kind) for f in result.findings if f.context == "async"}
    runtime = {("store.py", 7, "runtime"), ("store.py", 8, "runtime")}
    assert seen == on_loop | runtime
    # The fan-out's helper runs in its threads: its requests.post never blocks the loop.
    assert [(f.function, f.context) for f in result.findings if f.context != "async"] == [("legacy_service.notify._notify", "offloaded")]
    # The driver is seen at the project frame that called into it, with the call below.
    store = {f.line: evidence.observed_of(f).via for f in evidence.findings if f.kind == "runtime"}
    assert store == {
        7: "fakedb.connect (time.sleep); fakedb.Connection.__exit__ (time.sleep)",
        8: "fakedb.Connection.execute (time.sleep)",
    } or store == {
        7: "fakedb.Connection.__exit__ (time.sleep); fakedb.connect (time.sleep)",
        8: "fakedb.Connection.execute (time.sleep)",
    }
    # save_recording is on the request path (the app's route awaits handle_recording).
    assert {f.priority for f in evidence.findings if f.kind == "runtime"} == {"P0"}
    # The tests' own blocking calls are listed apart, never merged into findings.
    assert {s.path for s in evidence.outside} == {"examples/legacy_service/tests/test_service.py"}


def test_trace_sites_carry_call_events_and_stack(example):
    report = noted(tracing.load(example / "trace.json"))
    by_place = {(s.path, s.line): s for s in report.sites}
    webhook = by_place[("examples/legacy_service/webhooks.py", 12)]
    assert (webhook.function, webhook.call, webhook.context) == ("deliver_webhook", "requests.api.post", "async")
    assert "socket.connect" in webhook.events
    assert webhook.count == 7  # 1 + 3 (flaky) + 2 (down) + 1 (end to end)
    assert webhook.stack[-1].startswith("requests/api.py:") or "requests/api.py" in " ".join(webhook.stack)
    assert any(line.startswith("examples/legacy_service/webhooks.py:12 in deliver_webhook") for line in webhook.stack)
    sleep = by_place[("examples/legacy_service/retry.py", 10)]
    assert (sleep.call, sleep.count) == ("time.sleep", 4)  # each call of a wrapped function counts
    join = by_place[("examples/legacy_service/notify.py", 22)]
    assert join.call == "threading.Thread.join"


def test_scan_trace_table_json_and_markdown(example):
    table = asyncmig(example, "scan", "--no-cache", "--trace", "trace.json", "-o", "table.txt")
    assert table.returncode == 0, table.stderr
    text = (example / "table.txt").read_text()
    assert "Observed" in text and "runtime" in text and "fakedb.Connection.execute" in text
    out = asyncmig(example, "scan", "--no-cache", "--trace", "trace.json", "--format", "json")
    data = json.loads(out.stdout)
    assert set(data) == {"files", "lines", "findings", "outside", "trace"}
    first = data["findings"][0]
    assert list(first)[:9] == ["path", "line", "col", "kind", "call", "function", "context", "priority", "codemod"]
    assert first["priority"] == "P0" and first["observed"]["count"] >= 1
    unobserved = [f for f in data["findings"] if f["observed"] is None]
    assert [(f["path"], f["line"]) for f in unobserved] == [("examples/legacy_service/notify.py", 9)]
    md = asyncmig(example, "scan", "--no-cache", "--trace", "trace.json", "--format", "markdown").stdout
    assert md.startswith("## Blocking calls, with observed stalls\n")
    assert "### Stalls outside the scanned files" in md


def test_scan_trace_of_a_file_that_is_no_report_exits_2(tmp_path):
    (tmp_path / "a.py").write_text("import time\nasync def f():\n    time.sleep(1)\n")
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "other.json").write_text('{"files": 1}')
    for name, message in (("bad.json", "not a trace report (invalid JSON"), ("other.json", "not an asyncmig trace report"), ("missing.json", "cannot read the trace")):
        done = asyncmig(tmp_path, "scan", "--no-cache", "--trace", name)
        assert done.returncode == 2, done.stderr
        assert name in done.stderr and message in done.stderr
        assert done.stdout == ""


SCRIPT = r'''
import asyncio, sys, time

def crunch(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass

async def main():
    time.sleep(0.4)        # a long stall: over the threshold
    await asyncio.sleep(0)
    time.sleep(0.001)      # a short one: far under it
    await asyncio.sleep(0)
    crunch(0.4)            # CPU work: only the watchdog's samples see it
    sys.exit(3)

asyncio.run(main())
'''


def test_the_threshold_keeps_long_stalls_and_samples_cpu_work(tmp_path):
    (tmp_path / "app.py").write_text(SCRIPT)
    # 100 ms rather than the default 20: a loaded machine can pause a process for 20 ms.
    done = asyncmig(tmp_path, "trace", "--threshold", "100", "--", sys.executable, "app.py")
    assert done.returncode == 3  # the command's exit code
    report = tracing.load(tmp_path / ".asyncmig_cache" / "trace.json")
    assert (tmp_path / ".asyncmig_cache" / ".gitignore").exists()
    places = {(s.line, s.function, s.call) for s in report.sites}
    assert (10, "main", "time.sleep") in places
    assert not any(line == 12 for line, _f, _c in places)  # 1 ms < 100 ms
    crunch = [s for s in report.sites if s.function == "crunch"]
    assert crunch and all(s.events == () for s in crunch)  # seen by sampling only
    assert "stalls ≥ 100 ms" in done.stderr


def test_processes_without_a_loop_and_an_existing_sitecustomize(tmp_path):
    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / "sitecustomize.py").write_text("import os\nos.environ['CUSTOMIZED'] = 'yes'\n")
    (tmp_path / "plain.py").write_text("import os, time\ntime.sleep(0.05)\nprint(os.environ.get('CUSTOMIZED'))\n")
    env = {**os.environ, "PYTHONPATH": str(custom)}
    report = tracing.run([sys.executable, "plain.py"], tmp_path, ["plain.py"], cwd=tmp_path, env=env)
    assert report.exit_code == 0
    assert (report.processes, report.loop_processes, report.sites) == (1, 0, ())


def test_nothing_to_trace_and_a_missing_program():
    with pytest.raises(UsageError, match="nothing to trace"):
        tracing.run([], ROOT, [])
    with pytest.raises(UsageError, match="cannot run no-such-program-here"):
        tracing.run(["no-such-program-here"], ROOT, [])


def _finding(path, line, kind, function, priority="P1", context="async"):
    return Finding(path, line, 5, kind, "call()", function, context, priority, None)


def _site(path, line, function, call, worst, *, module="pkg.mod", context="async", request=False, events=()):
    return tracing.TraceSite("project", path, line, function, module, call, context, 1, worst, worst, worst, request, events)


def test_merge_joins_promotes_and_ranks():
    findings = (
        _finding("pkg/mod.py", 3, "requests", "pkg.mod.fetch"),
        _finding("pkg/mod.py", 8, "thread", "pkg.mod.fan_out"),
        _finding("pkg/mod.py", 20, "sleep", "pkg.mod.helper", "P3", "sync"),
        _finding("pkg/mod.py", 30, "open", "pkg.mod.quiet"),
    )
    result = ScanResult(files=1, lines=40, findings=findings)
    report = tracing.TraceReport(
        ("pytest",), 0, 20.0, 1.0, 1, 1, 10, 4,
        sites=(
            _site("pkg/mod.py", 3, "fetch", "requests.api.post", 40.0),
            _site("pkg/mod.py", 9, "fan_out", "threading.Thread.start", 25.0),  # t.start() below Thread(...)
            _site("pkg/mod.py", 20, "helper", "time.sleep", 300.0, context="sync", request=True),
            _site("pkg/mod.py", 12, "fan_out", "driver.Cursor.execute", 90.0, events=("time.sleep",)),
        ),
    )
    evidence = tracing.merge(result, report, Path("."))
    rows = [(f.line, f.kind, f.priority, f.context) for f in evidence.findings]
    assert rows == [
        (20, "sleep", "P0", "async"),  # seen while serving a request: first
        (12, "runtime", "P1", "async"),  # the driver call, only seen at runtime
        (3, "requests", "P1", "async"),
        (8, "thread", "P1", "async"),
        (30, "open", "P1", "async"),  # not seen: after the seen ones
    ]
    assert evidence.observed_of(evidence.findings[1]).via == "driver.Cursor.execute (time.sleep)"
    assert evidence.observed_of(evidence.findings[3]).worst_ms == 25.0
    assert evidence.observed_of(evidence.findings[4]) is None
    assert evidence.promoted == {("pkg/mod.py", 20, 5, "sleep")}


def test_kinds_of_call():
    assert tracing.kinds_of_call("requests.sessions.Session.get") == {"requests"}
    assert tracing.kinds_of_call("threading.Thread.join") == {"thread-join"}
    assert tracing.kinds_of_call("pathlib.Path.read_text") == {"path-io", "open"}
    assert tracing.kinds_of_call("os.makedirs") == {"path-io"}
    assert tracing.kinds_of_call("os.system") == {"subprocess"}
    assert tracing.kinds_of_call("requestsx.post") == set()
    assert tracing.kinds_of_call(None) == set()


def test_a_server_traced_under_a_request_marks_its_stalls_request(example, tmp_path):
    """uvicorn serving the example, one slow request, SIGTERM: stalls on the request path."""
    import signal
    import socket

    import httpx

    sys.path.insert(0, str(EXAMPLES))
    try:
        from legacy_service.tests.server import WAV, LoopbackServer, wait_until_serving
    finally:
        sys.path.remove(str(EXAMPLES))
    audio = tmp_path / "call.wav"
    audio.write_bytes(WAV)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with LoopbackServer() as downstream:
        downstream.state.reset(delay=0.05)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ASYNCMIG_TRACE_DIR")}
        env.update(
            PYTHONPATH=str(example / "examples"),
            LEGACY_API_URL=downstream.url,
            LEGACY_WEBHOOK_URL=f"{downstream.url}/hooks/customer",
            LEGACY_REPORTS_DIR=str(tmp_path),
            LEGACY_DATABASE="memory://served",
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "asyncmig", "trace", "-o", "served.json", "--",
             sys.executable, "-m", "uvicorn", "legacy_service.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--loop", "asyncio", "--http", "h11", "--log-level", "warning"],
            cwd=example, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_serving(f"{base}/health", server)
            answer = httpx.post(f"{base}/recordings/r1", json={"audio_path": str(audio)}, timeout=60)
            assert answer.status_code == 200, answer.text
        finally:
            server.send_signal(signal.SIGTERM)
            _out, err = server.communicate(timeout=60)
    assert server.returncode in (0, 128 + signal.SIGTERM), err  # uvicorn re-raises SIGTERM once stopped
    report = tracing.load(example / "served.json")
    posts = [s for s in report.sites if s.call == "requests.api.post"]
    assert {s.path.rsplit("/", 1)[1] for s in posts} == {"auth.py", "transcribe.py", "webhooks.py"}
    assert all(s.request and s.worst_ms >= 40 for s in posts)  # a 50 ms answer, on the request path
    evidence = tracing.merge(scan(["examples/legacy_service"], example, exclude=["**/tests/**"], use_cache=False), report, example)
    assert evidence.findings[0].priority == "P0" and evidence.observed_of(evidence.findings[0]).request
