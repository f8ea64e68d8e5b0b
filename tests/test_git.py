"""git helpers: trailers, dirty files, temporary worktrees and leftovers of killed runs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from asyncmig import git as gitops
from asyncmig.errors import GitError


def sh(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "a.py").write_text("a = 1\n")
    (repo / "src" / "b.py").write_text("b = 1\n")
    (repo / "other.py").write_text("o = 1\n")
    sh(repo, "init", "-q", "-b", "main")
    sh(repo, "add", "-A")
    sh(repo, "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-q", "-m", "init")
    return repo


def test_trailers_come_from_the_last_paragraph():
    message = "subject\n\nbody: not a trailer\n\nAsyncmig-Phase: 2\nAsyncmig-Plan: abc\n"
    assert gitops.trailers(message) == {"Asyncmig-Phase": "2", "Asyncmig-Plan": "abc"}
    assert gitops.trailers("") == {}


def test_open_repo_refuses_outside_git(tmp_path):
    with pytest.raises(GitError) as info:
        gitops.open_repo(tmp_path)
    assert "is not inside a git repository" in str(info.value)


def test_dirty_files_in_scope_only(repo):
    r = gitops.open_repo(repo)
    assert gitops.dirty_files(r, ["src"]) == []
    (repo / "src" / "a.py").write_text("a = 2\n")
    (repo / "src" / "new.py").write_text("")
    (repo / "other.py").write_text("o = 2\n")
    sh(repo, "mv", "src/b.py", "src/c.py")
    assert gitops.dirty_files(r, ["src"]) == ["src/a.py", "src/c.py", "src/new.py"]
    assert gitops.dirty_files(r, ["other.py"]) == ["other.py"]


def test_worktree_is_removed_when_the_work_fails(repo):
    r = gitops.open_repo(repo)
    head = gitops.resolve_commit(r, "HEAD")
    with pytest.raises(RuntimeError), gitops.temporary_worktree(r, head) as tree:
        assert (tree / "src" / "a.py").read_text() == "a = 1\n"
        assert str(tree) in sh(repo, "worktree", "list")
        raise RuntimeError("a codemod crashed")
    assert sh(repo, "worktree", "list").count("\n") == 1
    assert not (repo / ".git" / gitops.WORKTREES_DIR).exists()


def test_cleanup_removes_worktrees_of_dead_processes_only(repo):
    r = gitops.open_repo(repo)
    head = gitops.resolve_commit(r, "HEAD")
    root = repo / ".git" / gitops.WORKTREES_DIR
    root.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    sh(repo, "worktree", "add", "-q", "--detach", str(root / f"{dead.pid}-dead"), head)
    alive = subprocess.Popen(["sleep", "30"])
    try:
        sh(repo, "worktree", "add", "-q", "--detach", str(root / f"{alive.pid}-alive"), head)
        removed = gitops.cleanup_stale(r)
        assert [p.name for p in removed] == [f"{dead.pid}-dead"]
        assert sorted(p.name for p in root.iterdir()) == [f"{alive.pid}-alive"]
        assert f"{dead.pid}-dead" not in sh(repo, "worktree", "list")
    finally:
        alive.kill()
        alive.wait()
    gitops.cleanup_stale(r)
    assert list(root.iterdir()) == []


def test_commit_then_branch(repo):
    r = gitops.open_repo(repo)
    head = gitops.resolve_commit(r, "HEAD")
    with gitops.temporary_worktree(r, head) as tree:
        (tree / "src" / "a.py").write_text("a = 3\n")
        sha = gitops.commit_all(tree, "subject\n\nAsyncmig-Phase: 1\n", {"GIT_AUTHOR_NAME": "x", "GIT_AUTHOR_EMAIL": "x@y", "GIT_COMMITTER_NAME": "x", "GIT_COMMITTER_EMAIL": "x@y"})
    assert gitops.branch_commit(r, "phase") is None
    gitops.create_branch(r, "phase", sha, force=False)
    assert gitops.branch_commit(r, "phase") == sha
    found = gitops.find_phase_commit(r, "phase", 1)
    assert (found.sha, found.parent, found.plan_sha256) == (sha, head, None)
    assert gitops.changed_files(r, head, sha) == [("src/a.py", b"a = 1\n", b"a = 3\n")]
    assert sh(repo, "status", "--porcelain") == ""
    assert (repo / "src" / "a.py").read_text() == "a = 1\n"
    with pytest.raises(GitError):
        gitops.create_branch(r, "phase", head, force=False)
