"""Golden scan cases: small projects shaped like real layouts, and their exact outputs.

Each folder of ``tests/fixtures/scan/cases/`` holds ``project/`` (copied to a temporary
folder first, so no cache lands in the repository), ``scan.json`` (``asyncmig scan
--format json`` there, byte for byte), optionally ``notes.txt`` (what scan says on stderr
besides the findings), ``check.txt`` (``asyncmig check`` output and exit code) and
``case.toml``:

- ``git = true``: the copy becomes a git repository with every file committed, also the
  ones listed in ``force_add`` that its ``.gitignore`` matches (``git add -f``), except
  the ``untracked`` ones (a fixture's ``gitignore.txt`` becomes its ``.gitignore``);
- ``check = true`` (and ``check_args``): ``check.txt`` holds ``asyncmig check`` output;
- ``table = true``: ``table.txt`` holds ``asyncmig scan`` as a pipe at ``COLUMNS=80``.

``pytest --update-golden`` rewrites the expected files (review the diff).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from asyncmig.cli.app import app

CASES = Path(__file__).parent / "fixtures" / "scan" / "cases"


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def _project(case: Path, tmp_path: Path) -> tuple[Path, dict]:
    config = tomllib.loads((case / "case.toml").read_text()) if (case / "case.toml").exists() else {}
    project = tmp_path / "project"
    shutil.copytree(case / "project", project)
    for stored in project.rglob("gitignore.txt"):  # a real .gitignore would hide fixture files
        stored.rename(stored.with_name(".gitignore"))
    if config.get("git"):
        _git(project, "init", "-q", "-b", "main")
        _git(project, "add", ".")
        for rel in config.get("force_add", []):
            _git(project, "add", "-f", rel)
        for rel in config.get("untracked", []):
            _git(project, "rm", "-q", "--cached", rel)
        _git(project, "commit", "-q", "-m", "fixture")
    return project, config


def _golden(path: Path, text: str, update: bool) -> None:
    if update:
        if text:
            path.write_text(text, encoding="utf-8")
        elif path.exists():
            path.unlink()
        return
    expected = path.read_text(encoding="utf-8") if path.exists() else ""
    assert text == expected, f"{path.relative_to(CASES)} differs (pytest --update-golden rewrites it)"


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if (p / "project").is_dir()))
def test_scan_case(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    case = CASES / name
    project, config = _project(case, tmp_path)
    monkeypatch.chdir(project)
    out = CliRunner().invoke(app, ["scan", "--format", "json", "--no-cache", "-j", "1"])
    assert out.exit_code == 0, out.output
    _golden(case / "scan.json", out.stdout, update_golden)
    _golden(case / "notes.txt", out.stderr, update_golden)
    if (case / "check.txt").exists() or config.get("check"):
        checked = CliRunner().invoke(app, ["check", "--no-cache", "-j", "1", *config.get("check_args", [])])
        assert checked.exit_code in (0, 1), checked.output
        _golden(case / "check.txt", f"{checked.stdout}exit {checked.exit_code}\n", update_golden)
    if config.get("table"):
        monkeypatch.setenv("COLUMNS", "80")
        table = CliRunner().invoke(app, ["scan", "--no-cache", "-j", "1"])
        assert table.exit_code == 0, table.output
        _golden(case / "table.txt", table.stdout, update_golden)
