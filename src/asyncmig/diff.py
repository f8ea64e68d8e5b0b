"""Unified diffs that ``git apply`` accepts, built with the standard ``difflib``."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from asyncmig.models import FileResult

NO_NEWLINE = b"\\ No newline at end of file\n"


def file_diff(path: str, old: bytes | None, new: bytes | None) -> bytes:
    """A git-style unified diff of one file; ``old=None`` is a new file, ``new=None`` a deletion.

    Works on bytes so any encoding, CRLF and a missing final newline survive exactly.
    """
    if old == new:
        return b""
    a_lines = (old or b"").splitlines(keepends=True)
    b_lines = (new or b"").splitlines(keepends=True)
    header = [f"diff --git a/{path} b/{path}\n".encode()]
    if old is None:
        header.append(b"new file mode 100644\n")
    elif new is None:
        header.append(b"deleted file mode 100644\n")
    fromfile = b"/dev/null" if old is None else f"a/{path}".encode()
    tofile = b"/dev/null" if new is None else f"b/{path}".encode()
    body = difflib.diff_bytes(
        difflib.unified_diff, a_lines, b_lines, fromfile, tofile, b"", b"", n=3
    )
    out = bytearray(b"".join(header))
    for line in body:
        if line.startswith((b"---", b"+++")):
            out += line.rstrip(b"\n").rstrip() + b"\n"
            continue
        out += line
        if not line.endswith(b"\n"):
            out += b"\n" + NO_NEWLINE
    return bytes(out)


def run_diff(files: Iterable[FileResult]) -> bytes:
    """The diff of every changed file of a run, in path order."""
    return b"".join(file_diff(f.path, f.old, f.new) for f in files if f.status == "changed")
