"""The benchmarks' corpus: the running Python's standard library, copied to a folder."""

from __future__ import annotations

import sysconfig
from pathlib import Path

SKIP_PARTS = frozenset({"site-packages", "__pycache__"})
TEST_PARTS = frozenset({"test", "tests", "idle_test"})


def copy_stdlib(target: Path, with_tests: bool = False) -> tuple[int, int]:
    """Copy the stdlib's ``.py`` files (test suites only if asked) below ``target``.

    Both tools of a benchmark then read the same files, and no cache or rewrite lands in
    the real installation. Returns (files, lines).
    """
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    skip = SKIP_PARTS if with_tests else SKIP_PARTS | TEST_PARTS
    files = lines = 0
    for path in stdlib.rglob("*.py"):
        rel = path.relative_to(stdlib)
        if skip & set(rel.parts) or not path.is_file():
            continue
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        dest.write_bytes(data)
        files += 1
        lines += data.count(b"\n")
    return files, lines
