"""The Done-when of docs/tests.md: a project's own suite, in every mocking style, passes
before and after the phase, and no test reaches the network (a loopback trap server
fails on any hit)."""

from __future__ import annotations

import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from asyncmig.testing import load_cases, read_tree, run_tree_case, write_tree

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
CASES = [c for c in load_cases(GOLDEN, "tests-to-async") if (c.directory / "input").is_dir()]


class _Trap(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def _fail(self) -> None:
        _Trap.hits.append(f"{self.command} {self.path}")
        self.send_response(599)
        self.end_headers()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _fail

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def trap():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trap)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Trap.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _suite(root: Path, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "API_URL": url, "PYTHONPATH": str(root)}
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning"],
        cwd=root, env=env, capture_output=True, text=True, timeout=240,
    )


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_suite_passes_before_and_after_and_never_reaches_the_network(case, tmp_path: Path, trap: str) -> None:
    write_tree(tmp_path, read_tree(case.directory / "input"))
    before = _suite(tmp_path, trap)
    assert before.returncode == 0, before.stdout + before.stderr
    run_tree_case(case, tmp_path)
    after = _suite(tmp_path, trap)
    assert after.returncode == 0, after.stdout + after.stderr
    assert _passed(before.stdout) == _passed(after.stdout) > 0
    assert _Trap.hits == []


def _passed(output: str) -> int:
    found = re.search(r"(\d+) passed", output)
    return int(found.group(1)) if found else 0


PACE = '''import time


def wait():
    time.sleep(0.001)
    return "waited"


async def tick():
    return wait()
'''
TEST_PACE = '''from app import pace


def test_wait():
    assert pace.wait() == "waited"
'''
PLAN = '''[migration]
name = "tested"
paths = ["app"]
sync_callers = "propagate"
python = "{python}"

[clients.default]
module = "app/http_clients.py"

[[phases]]
name = "http"
codemods = ["requests-to-httpx"]
verify = "python -m pytest -q -p no:cacheprovider -W ignore::DeprecationWarning"

[[phases]]
name = "sleeps"
codemods = ["sleep-to-asyncio"]
verify = "python -m pytest -q -p no:cacheprovider -W ignore::DeprecationWarning"
'''


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
def test_every_phase_branch_passes_the_projects_suite_and_the_pr_body_counts_it(tmp_path: Path, trap: str, monkeypatch) -> None:
    from asyncmig.config import load_plan
    from asyncmig.planner import apply_phase, diff_phase
    from asyncmig.report import to_markdown

    case = next(c for c in CASES if c.name == "tests-follow-the-code")
    repo = tmp_path / "repo"
    write_tree(repo, read_tree(case.directory / "input"))
    write_tree(repo, {
        "app/pace.py": PACE.encode(),
        "tests/test_pace.py": TEST_PACE.encode(),
        "migrations.toml": PLAN.format(python=sys.executable).encode(),
    })
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "-c", "user.name=T", "-c", "user.email=t@example.com", "add", "-A")
    _git(repo, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "initial")
    monkeypatch.setenv("API_URL", trap)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "T")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "t@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "T")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "t@example.com")
    plan = load_plan(repo / "migrations.toml")
    for number, branch, counted in ((1, "asyncmig/phase-1-http", "8 passed → 8 passed"), (2, "asyncmig/phase-2-sleeps", "8 passed → 8 passed")):
        applied = apply_phase(plan, number, verify=True)
        assert applied.branch == branch
        message = _git(repo, "log", "-1", "--format=%B", branch)
        assert f"Tests (verify): {counted} (python -m pytest" in message
        body = to_markdown(diff_phase(plan, number).result, "phase")
        assert f"Tests (verify, before → after): {counted}" in body
    assert "async def test_fetch_user_patch" in _git(repo, "show", "asyncmig/phase-1-http:tests/test_api.py")
    assert "async def test_wait" in _git(repo, "show", "asyncmig/phase-2-sleeps:tests/test_pace.py")
    assert _Trap.hits == []
