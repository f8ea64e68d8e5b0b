"""Diffs must be accepted by `git apply` in every awkward case."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from asyncmig.diff import file_diff

CASES = {
    "plain": (b"a\nb\nc\n", b"a\nB\nc\n"),
    "no-newline-at-eof-old": (b"a\nb", b"a\nb\n"),
    "no-newline-at-eof-both": (b"a\nb", b"a\nc"),
    "crlf": (b"a\r\nb\r\n", b"a\r\nB\r\n"),
    "latin-1": ("# -*- coding: latin-1 -*-\nx = 'é'\n".encode("latin-1"), "# -*- coding: latin-1 -*-\ny = 'é'\n".encode("latin-1")),
    "new-file": (None, b"import httpx\n"),
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.parametrize("name", sorted(CASES))
def test_git_apply_accepts(tmp_path: Path, name: str) -> None:
    old, new = CASES[name]
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "core.autocrlf", "false")
    target = tmp_path / "pkg" / "m.py"
    target.parent.mkdir()
    if old is not None:
        target.write_bytes(old)
    patch = tmp_path / "change.diff"
    patch.write_bytes(file_diff("pkg/m.py", old, new))
    git(tmp_path, "apply", "--check", str(patch))
    git(tmp_path, "apply", str(patch))
    assert target.read_bytes() == new


def test_exact_text() -> None:
    assert file_diff("m.py", b"a\nb\n", b"a\nc") == (
        b"diff --git a/m.py b/m.py\n"
        b"--- a/m.py\n"
        b"+++ b/m.py\n"
        b"@@ -1,2 +1,2 @@\n"
        b" a\n"
        b"-b\n"
        b"+c\n"
        b"\\ No newline at end of file\n"
    )


def test_new_file_header() -> None:
    assert file_diff("n.py", None, b"x\n") == (
        b"diff --git a/n.py b/n.py\nnew file mode 100644\n--- /dev/null\n+++ b/n.py\n@@ -0,0 +1 @@\n+x\n"
    )


def test_identical_is_empty() -> None:
    assert file_diff("m.py", b"a\n", b"a\n") == b""
