"""The git side of ``apply`` and ``diff`` (GitPython): worktrees, trailers, branches.

The user's branch, HEAD, index and working tree are never written. Work happens in a
temporary worktree on a detached HEAD kept under ``<git dir>/asyncmig-worktrees/``; the
branch ref is created last, after the worktree is gone, so an interruption at any point
leaves either nothing or the finished branch. A worktree left by a process that was
killed outright (SIGKILL, power loss) is removed by the next asyncmig run.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import git

from asyncmig.errors import GitError

WORKTREES_DIR = "asyncmig-worktrees"
PHASE_TRAILER = "Asyncmig-Phase"
PLAN_TRAILER = "Asyncmig-Plan"
FALLBACK_IDENTITY = {
    "GIT_AUTHOR_NAME": "asyncmig",
    "GIT_AUTHOR_EMAIL": "asyncmig@localhost",
    "GIT_COMMITTER_NAME": "asyncmig",
    "GIT_COMMITTER_EMAIL": "asyncmig@localhost",
}
# How far back `diff` and `plan` look on a phase branch for the phase's own commit.
MAX_WALK = 200


def open_repo(path: Path) -> git.Repo:
    """The repository containing ``path``; GitError when there is none."""
    try:
        repo = git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise GitError(
            f"{path} is not inside a git repository",
            hint="apply and diff work on git branches; run `git init` and commit first",
        ) from exc
    if repo.bare:
        raise GitError(f"{repo.git_dir} is a bare repository", hint="run asyncmig in a work tree")
    return repo


def work_tree(repo: git.Repo) -> Path:
    return Path(repo.working_tree_dir).resolve()


def current_branch(repo: git.Repo) -> str | None:
    """The checked-out branch, or None on a detached HEAD."""
    try:
        return repo.active_branch.name
    except TypeError:
        return None


def resolve_commit(repo: git.Repo, rev: str) -> str | None:
    """The commit sha ``rev`` names, or None."""
    try:
        return repo.git.rev_parse("--verify", "--quiet", f"{rev}^{{commit}}").strip() or None
    except git.GitCommandError:
        return None


def branch_commit(repo: git.Repo, branch: str) -> str | None:
    return resolve_commit(repo, f"refs/heads/{branch}")


def branches_checked_out(repo: git.Repo) -> set[str]:
    """Branches checked out in any worktree of ``repo`` (git refuses to move those)."""
    out = repo.git.worktree("list", "--porcelain")
    return {
        line[len("branch refs/heads/"):]
        for line in out.splitlines()
        if line.startswith("branch refs/heads/")
    }


def dirty_files(repo: git.Repo, paths: Sequence[str]) -> list[str]:
    """Uncommitted (staged, unstaged or untracked, not ignored) files under ``paths``."""
    if not paths:
        return []
    out = repo.git.status("--porcelain=v1", "-z", "--untracked-files=all", "--", *paths)
    files = []
    entries = out.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        status, name = entry[:2], entry[3:]
        if "R" in status or "C" in status:
            i += 1  # the rename source follows
        files.append(name)
    return sorted(files)


def trailers(message: str) -> dict[str, str]:
    """``Key: value`` trailers of the last paragraph of a commit message."""
    paragraphs = [p for p in message.strip().split("\n\n") if p.strip()]
    if not paragraphs:
        return {}
    found = {}
    for line in paragraphs[-1].splitlines():
        match = re.match(r"^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$", line.strip())
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


@dataclass(frozen=True)
class PhaseCommit:
    """The commit ``apply`` made for a phase, found on the phase branch."""

    sha: str
    parent: str
    message: str
    plan_sha256: str | None


def find_phase_commit(repo: git.Repo, branch: str, number: int) -> PhaseCommit | None:
    """The newest commit on ``branch`` whose ``Asyncmig-Phase`` trailer is ``number``.

    Review fixes committed on top of the phase branch are fine: they count as part of it.
    """
    tip = branch_commit(repo, branch)
    if tip is None:
        return None
    for commit in repo.iter_commits(tip, first_parent=True, max_count=MAX_WALK):
        found = trailers(commit.message)
        if found.get(PHASE_TRAILER) == str(number):
            if not commit.parents:
                return None
            return PhaseCommit(
                sha=commit.hexsha,
                parent=commit.parents[0].hexsha,
                message=commit.message,
                plan_sha256=found.get(PLAN_TRAILER),
            )
    return None


def changed_files(repo: git.Repo, base: str, tip: str) -> list[tuple[str, bytes | None, bytes | None]]:
    """``(path, old, new)`` of every file that differs between two commits (repo-relative)."""
    out = repo.git.diff("--name-only", "-z", "--no-renames", base, tip)
    result = []
    for path in sorted(p for p in out.split("\0") if p):
        result.append((path, blob(repo, base, path), blob(repo, tip, path)))
    return result


def blob(repo: git.Repo, rev: str, path: str) -> bytes | None:
    """The bytes of ``path`` at ``rev``, or None when it does not exist there."""
    try:
        tree = repo.commit(rev).tree
        item = tree / path
    except (KeyError, ValueError):
        return None
    if item.type != "blob":
        return None
    return item.data_stream.read()


def export_tree(repo: git.Repo, rev: str, paths: Sequence[str], target: Path) -> None:
    """Write the files under ``paths`` at ``rev`` into ``target`` (nothing in the repo)."""
    tree = repo.commit(rev).tree
    for top in paths:
        top = top.strip("/")
        try:
            item = tree if top in ("", ".") else tree / top
        except KeyError:
            continue
        items = [item] if item.type == "blob" else [i for i in item.traverse() if i.type == "blob"]
        for entry in items:
            if entry.mode == 0o120000:  # symlinks are not followed out of the tree
                continue
            dest = target / entry.path
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(entry.data_stream.read())


def identity_env(repo: git.Repo) -> dict[str, str]:
    """Author/committer for asyncmig's commit: the user's, else a fallback identity."""
    env = {}
    reader = repo.config_reader()
    for key, var in (("name", "GIT_AUTHOR_NAME"), ("email", "GIT_AUTHOR_EMAIL")):
        if os.environ.get(var):
            continue
        try:
            reader.get_value("user", key)
        except Exception:  # noqa: BLE001 - GitPython raises configparser errors here
            env[var] = FALLBACK_IDENTITY[var]
            env[var.replace("AUTHOR", "COMMITTER")] = FALLBACK_IDENTITY[
                var.replace("AUTHOR", "COMMITTER")
            ]
    return env


def commit_all(tree: Path, message: str, env: dict[str, str]) -> str:
    """Stage everything in the worktree ``tree`` and commit on its detached HEAD."""
    wt = git.Repo(tree)
    wt.git.add("-A", "--", ".")
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as handle:
        handle.write(message)
    try:
        with wt.git.custom_environment(**env):
            wt.git.commit("--allow-empty", "--no-verify", "--quiet", "--cleanup=verbatim", "-F", handle.name)
    finally:
        os.unlink(handle.name)
    return wt.head.commit.hexsha


def create_branch(repo: git.Repo, name: str, sha: str, *, force: bool) -> None:
    """Point ``refs/heads/<name>`` at ``sha`` (the one write apply makes in the user's repo)."""
    args = ["-f", name, sha] if force else [name, sha]
    try:
        repo.git.branch(*args)
    except git.GitCommandError as exc:
        raise GitError(f"cannot create branch {name}: {exc.stderr.strip()}") from exc


# -- temporary worktrees -------------------------------------------------------------------


def _worktrees_root(repo: git.Repo) -> Path:
    return Path(repo.common_dir) / WORKTREES_DIR


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def cleanup_stale(repo: git.Repo) -> list[Path]:
    """Remove worktrees left by asyncmig processes that no longer run; prune git's list."""
    removed = []
    root = _worktrees_root(repo)
    if root.is_dir():
        for entry in sorted(root.iterdir()):
            pid_text = entry.name.split("-", 1)[0]
            if pid_text.isdigit() and _pid_alive(int(pid_text)) and int(pid_text) != os.getpid():
                continue
            _remove_worktree(repo, entry)
            removed.append(entry)
    with contextlib.suppress(git.GitCommandError):
        repo.git.worktree("prune")
    return removed


def _remove_worktree(repo: git.Repo, path: Path) -> None:
    with contextlib.suppress(git.GitCommandError):
        repo.git.worktree("remove", "--force", "--force", str(path))
    if path.exists():
        shutil.rmtree(path, ignore_errors=True)
    with contextlib.suppress(git.GitCommandError):
        repo.git.worktree("prune")


@contextlib.contextmanager
def temporary_worktree(repo: git.Repo, commit: str) -> Iterator[Path]:
    """A detached worktree at ``commit``, removed on exit whatever happens."""
    root = _worktrees_root(repo)
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        repo.git.worktree("add", "--detach", "--quiet", str(path), commit)
        yield path
    finally:
        _remove_worktree(repo, path)
        with contextlib.suppress(OSError):
            root.rmdir()  # only when empty


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM and SIGHUP raise KeyboardInterrupt like Ctrl-C, so ``finally`` cleans up."""

    def _raise(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {}
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is None:
            continue
        try:
            previous[sig] = signal.signal(sig, _raise)
        except ValueError:  # not the main thread
            pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
