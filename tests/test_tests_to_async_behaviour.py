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
