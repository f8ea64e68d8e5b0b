from __future__ import annotations

import os
from pathlib import Path

import pytest

from asyncmig.discovery import discover, find_root
from asyncmig.errors import UsageError


def make(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_walks_python_files_sorted(tmp_path: Path) -> None:
    make(tmp_path, {"b.py": "", "a/x.py": "", "a/y.txt": "", "a/z.pyi": ""})
    assert discover([tmp_path], tmp_path) == ["a/x.py", "b.py"]


def test_default_excludes(tmp_path: Path) -> None:
    make(tmp_path, {".venv/lib/m.py": "", "__pycache__/m.py": "", "node_modules/m.py": "", "ok.py": ""})
    assert discover([tmp_path], tmp_path) == ["ok.py"]


def test_gitignore_honoured_at_every_level(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            ".gitignore": "generated/\n*_pb2.py\n",
            "pkg/.gitignore": "local.py\n",
            "generated/m.py": "",
            "pkg/api_pb2.py": "",
            "pkg/local.py": "",
            "pkg/keep.py": "",
            "other/local.py": "",
        },
    )
    assert discover([tmp_path], tmp_path) == ["other/local.py", "pkg/keep.py"]
    # Walking a subfolder still applies the root's .gitignore.
    assert discover([tmp_path / "pkg"], tmp_path) == ["pkg/keep.py"]


def test_exclude_globs(tmp_path: Path) -> None:
    make(tmp_path, {"svc/tests/test_a.py": "", "svc/a.py": "", "svc/b.py": ""})
    assert discover([tmp_path], tmp_path, exclude=["**/tests/**", "svc/b.py"]) == ["svc/a.py"]


def test_symlinks_not_followed_out_of_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    root = tmp_path / "root"
    make(outside, {"secret.py": ""})
    make(root, {"in.py": ""})
    os.symlink(outside, root / "link_dir")
    os.symlink(outside / "secret.py", root / "link.py")
    os.symlink(root / "in.py", root / "alias.py")  # inside the root: fine
    assert discover([root], root) == ["alias.py", "in.py"]


def test_symlink_loop_terminates(tmp_path: Path) -> None:
    make(tmp_path, {"pkg/m.py": ""})
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "again")
    assert discover([tmp_path], tmp_path) == ["pkg/again/m.py", "pkg/m.py"] or discover([tmp_path], tmp_path) == ["pkg/m.py"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        discover([tmp_path / "nope"], tmp_path)


def test_path_outside_root_is_refused(tmp_path: Path) -> None:
    make(tmp_path, {"root/a.py": "", "elsewhere/b.py": ""})
    with pytest.raises(UsageError, match="outside the project root"):
        discover([tmp_path / "elsewhere"], tmp_path / "root")


def test_find_root_is_the_git_work_tree(tmp_path: Path) -> None:
    make(tmp_path, {"repo/.git/HEAD": "", "repo/src/pkg/m.py": ""})
    assert find_root(tmp_path / "repo" / "src" / "pkg") == (tmp_path / "repo").resolve()


def test_in_a_git_repository_tracked_files_count_even_when_ignored(tmp_path: Path) -> None:
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
            cwd=tmp_path, check=True, capture_output=True,
        )

    for rel in ("src/app/gen/client.py", "src/app/api.py", "src/app/gone.py", "src/.venv/lib.py", "docs/conf.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n")
    (tmp_path / ".gitignore").write_text("gen/\nscratch.py\n")
    git("init", "-q")
    git("add", ".")
    git("add", "-f", "src/app/gen/client.py", "src/.venv/lib.py")
    git("commit", "-q", "-m", "init")
    (tmp_path / "src/app/gone.py").unlink()  # tracked, deleted in the work tree
    (tmp_path / "src/app/new.py").write_text("")  # untracked, not ignored
    (tmp_path / "src/app/scratch.py").write_text("")  # untracked, ignored
    assert discover([tmp_path], tmp_path) == ["docs/conf.py", "src/app/api.py", "src/app/gen/client.py", "src/app/new.py"]
    assert discover([tmp_path / "src"], tmp_path, exclude=["**/api.py"]) == ["src/app/gen/client.py", "src/app/new.py"]
    # without .gitignore handling the walk is the rule
    assert "src/app/scratch.py" in discover([tmp_path], tmp_path, respect_gitignore=False)
