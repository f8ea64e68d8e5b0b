"""Every codemod is also a plain LibCST codemod (`python -m libcst.tool codemod -x ...`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from asyncmig import registry


def test_each_codemod_is_a_libcst_command() -> None:
    from libcst.codemod import CodemodCommand

    for cls in registry.codemods().values():
        assert issubclass(cls, CodemodCommand)
        assert cls.DESCRIPTION


def test_libcst_tool_runs_sleep_to_asyncio(tmp_path: Path) -> None:
    target = tmp_path / "svc.py"
    target.write_bytes(b"import time\n\n\nasync def f():\n    time.sleep(1)\n\n\ndef g():\n    time.sleep(1)\n")
    proc = subprocess.run(
        [
            sys.executable, "-m", "libcst.tool", "codemod", "-x", "--no-format",
            "asyncmig.codemods.sleep_to_asyncio.SleepToAsyncio", str(target),
        ],
        cwd=tmp_path, capture_output=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert target.read_bytes() == (
        b"import asyncio\nimport time\n\n\nasync def f():\n    await asyncio.sleep(1)\n\n\ndef g():\n    time.sleep(1)\n"
    )
