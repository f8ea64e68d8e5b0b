"""Which files a run looks at, and byte-exact reading and atomic writing."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pathspec

from asyncmig.errors import UsageError

# Never descended into: tool caches, virtualenvs, VCS metadata (ruff's defaults, roughly).
DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".eggs",
    "__pycache__",
    "node_modules",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".asyncmig_cache",
    "site-packages",
)


def find_root(start: Path) -> Path:
    """The git work tree containing ``start``, else ``start`` itself (a directory)."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return start


def relpath(path: Path, root: Path) -> str:
    """``/``-separated path of ``path`` relative to ``root``."""
    return path.relative_to(root).as_posix()


def discover(
    paths: Sequence[str | Path],
    root: Path,
    exclude: Iterable[str] = (),
    respect_gitignore: bool = True,
) -> list[str]:
    """Python files under ``paths`` (relative to ``root``), sorted, as relative paths.

    In a git repository (``root`` holds ``.git``) the project's files are git's: every
    tracked file — even one a ``.gitignore`` matches, as git itself keeps tracking it —
    plus the untracked files git does not ignore (``git ls-files --cached --others
    --exclude-standard``). Elsewhere, or when git cannot answer, directories are walked
    without following symlinks that lead outside ``root`` and ``.gitignore`` files prune
    the walk. Either way ``exclude`` globs (gitignore syntax, relative to ``root``) and
    :data:`DEFAULT_EXCLUDES` folders leave files out, and a file named explicitly is taken
    unless it lies outside ``root``.
    """
    root = root.resolve()
    excluded = pathspec.GitIgnoreSpec.from_lines(list(exclude))
    ignores = _GitIgnores(root) if respect_gitignore else None
    listed = _git_files(root) if respect_gitignore else None
    found: set[str] = set()
    for given in paths:
        path = Path(given)
        if not path.is_absolute():
            path = Path.cwd() / path
        if not path.exists():
            raise UsageError(f"no such file or directory: {given}", hint="check the path")
        real = path.resolve()
        if not _inside(real, root):
            raise UsageError(
                f"{given} is outside the project root {root.name}/",
                hint="run asyncmig from inside the repository that holds the files",
            )
        if real.is_file():
            rel = relpath(real, root)
            if not excluded.match_file(rel):
                found.add(rel)
            continue
        if listed is not None:
            found.update(_from_git(listed, relpath(real, root), root, excluded))
            continue
        for rel in _walk(real, root, excluded, ignores):
            found.add(rel)
    return sorted(found)


def _git_files(root: Path) -> list[str] | None:
    """The ``.py`` files git knows in the work tree at ``root``, or None (no repository, no git)."""
    if not (root / ".git").exists():
        return None
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.py"],
            capture_output=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    return sorted({p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p})


def _from_git(listed: list[str], top: str, root: Path, excluded: pathspec.PathSpec):
    """The files of ``listed`` under folder ``top`` (``"."`` for all) that discovery keeps."""
    prefix = "" if top in ("", ".") else top.rstrip("/") + "/"
    for rel in listed:
        if prefix and not rel.startswith(prefix):
            continue
        parts = rel.split("/")
        if any(part in DEFAULT_EXCLUDES for part in parts[:-1]) or excluded.match_file(rel):
            continue
        full = root / rel
        if full.is_symlink() and not _inside(full.resolve(), root):
            continue  # never followed out of the root
        if full.is_file():  # tracked but deleted in the work tree: nothing to read
            yield rel


def _inside(path: Path, root: Path) -> bool:
    # Lexical, like ``root in path.parents`` but without building every parent (hot: once
    # per walked entry).
    text, base = str(path), str(root)
    return text == base or text.startswith(base if base.endswith(os.sep) else base + os.sep)


def _walk(top: Path, root: Path, excluded: pathspec.PathSpec, ignores: _GitIgnores | None):
    seen: set[Path] = set()
    stack = [top]
    while stack:
        directory = stack.pop()
        real_dir = directory.resolve()
        if real_dir in seen or not _inside(real_dir, root):
            continue
        seen.add(real_dir)
        if ignores is not None:
            ignores.load(real_dir)
        try:
            entries = sorted(os.scandir(real_dir), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            full = Path(entry.path)
            if entry.is_symlink():
                target = full.resolve()
                if not _inside(target, root):
                    continue  # never followed out of the root
            rel = relpath(full, root) if _inside(full, root) else None
            if rel is None:
                continue
            if entry.is_dir():
                if entry.name in DEFAULT_EXCLUDES or excluded.match_file(rel + "/"):
                    continue
                if ignores is not None and ignores.ignored(full, is_dir=True):
                    continue
                stack.append(full)
            elif entry.name.endswith(".py") and entry.is_file():
                if excluded.match_file(rel):
                    continue
                if ignores is not None and ignores.ignored(full, is_dir=False):
                    continue
                yield rel


class _GitIgnores:
    """``.gitignore`` files from the root down, each applying below its own folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.specs: dict[Path, pathspec.PathSpec | None] = {}

    def load(self, directory: Path) -> None:
        # Folders between the root and a walked folder count too.
        for folder in (directory, *directory.parents):
            if folder in self.specs:
                continue
            self.specs[folder] = self._read(folder / ".gitignore")
            if folder == self.root or self.root not in folder.parents:
                break

    @staticmethod
    def _read(path: Path) -> pathspec.PathSpec | None:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None
        return pathspec.GitIgnoreSpec.from_lines(lines)

    def ignored(self, path: Path, is_dir: bool) -> bool:
        for folder in path.parents:
            spec = self.specs.get(folder)
            if spec is not None:
                rel = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
                if spec.match_file(rel):
                    return True
            if folder == self.root:
                break
        return False


def read_bytes(path: Path) -> bytes:
    return path.read_bytes()


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` via a temp file + rename, keeping its mode."""
    mode = None
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".asyncmig")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
