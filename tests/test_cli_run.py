"""`asyncmig run` and `asyncmig codemods` as a user calls them (a subprocess)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SOURCE = b"import time\n\n\nasync def f():\n    time.sleep(1)\n"
MIGRATED = b"import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n"


def asyncmig(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "asyncmig", *args], cwd=cwd, capture_output=True, timeout=120
    )


def test_dry_run_prints_diff_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "svc.py").write_bytes(SOURCE)
    proc = asyncmig(tmp_path, "run", "sleep-to-asyncio", "--dry-run", ".")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        b"diff --git a/svc.py b/svc.py\n--- a/svc.py\n+++ b/svc.py\n@@ -1,5 +1,5 @@\n"
        b"-import time\n+import asyncio\n \n \n async def f():\n"
        b"-    time.sleep(1)\n+    await asyncio.sleep(1)\n"
    )
    assert b"1 to change (1 change)" in proc.stderr
    assert (tmp_path / "svc.py").read_bytes() == SOURCE


def test_run_rewrites_in_place(tmp_path: Path) -> None:
    (tmp_path / "svc.py").write_bytes(SOURCE)
    proc = asyncmig(tmp_path, "run", "sleep-to-asyncio", "svc.py")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b""
    assert (tmp_path / "svc.py").read_bytes() == MIGRATED
    assert b"rewrote svc.py: 1 change" in proc.stderr


def test_unparseable_file_reported_exit_0(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_bytes(b"async def f(:\n    sleep\n")
    proc = asyncmig(tmp_path, "run", "sleep-to-asyncio", ".")
    assert proc.returncode == 0
    assert b"error bad.py: cannot parse:" in proc.stderr
    assert (tmp_path / "bad.py").read_bytes() == b"async def f(:\n    sleep\n"


def test_unknown_codemod_exit_2_lists_known(tmp_path: Path) -> None:
    proc = asyncmig(tmp_path, "run", "sleep-to-trio", ".")
    assert proc.returncode == 2
    assert b"unknown codemod 'sleep-to-trio'" in proc.stderr
    assert b"sleep-to-asyncio" in proc.stderr


def test_unknown_option_exit_2_lists_valid(tmp_path: Path) -> None:
    (tmp_path / "svc.py").write_bytes(SOURCE)
    proc = asyncmig(tmp_path, "run", "sleep-to-asyncio", "--option", "speed=11", ".")
    assert proc.returncode == 2
    assert b"unknown option speed for codemod sleep-to-asyncio" in proc.stderr
    assert (tmp_path / "svc.py").read_bytes() == SOURCE


def test_malformed_option_exit_2(tmp_path: Path) -> None:
    proc = asyncmig(tmp_path, "run", "sleep-to-asyncio", "--option", "novalue", ".")
    assert proc.returncode == 2
    assert b"--option expects key=value" in proc.stderr


def test_missing_path_exit_2(tmp_path: Path) -> None:
    proc = asyncmig(tmp_path, "run", "sleep-to-asyncio", "nope/")
    assert proc.returncode == 2
    assert b"no such file or directory: nope" in proc.stderr


def test_codemods_lists_builtins(tmp_path: Path) -> None:
    proc = asyncmig(tmp_path, "codemods")
    assert proc.returncode == 0
    assert b"sleep-to-asyncio" in proc.stdout
    assert b"sleep-to-asyncio: time.sleep(x) in async code becomes await asyncio.sleep(x).\n" in proc.stdout
