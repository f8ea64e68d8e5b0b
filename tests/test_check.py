"""``asyncmig check``: the CI guard's exit codes and formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from asyncmig.cli.app import app

BLOCKING = """\
import requests


async def handler(url):
    return requests.get(url).json()
"""

MIGRATED = """\
import httpx


async def handler(url):
    async with httpx.AsyncClient() as client:
        return (await client.get(url)).json()
"""

REACHED_ONLY = """\
import time


def helper():
    time.sleep(1)


async def handler():
    helper()
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str):
    return CliRunner().invoke(app, ["check", *args])


def test_fails_on_requests_in_async_def_and_passes_once_migrated(project: Path) -> None:
    (project / "service.py").write_text(BLOCKING)
    out = check()
    assert out.exit_code == 1
    assert out.stdout == (
        "service.py:5:12: blocking requests call `requests.get(url)` in async function "
        "`service.handler` (P1, timeout none); `asyncmig run requests-to-httpx` rewrites it\n"
    )
    assert "1 blocking call in async context" in out.stderr
    (project / "service.py").write_text(MIGRATED)
    out = check()
    assert out.exit_code == 0, out.output
    assert out.stdout == ""
    assert "no blocking calls in async context (1 files checked)" in out.stderr


def test_skip_comment_exempts_a_line(project: Path) -> None:
    (project / "service.py").write_text(BLOCKING.replace(".json()", ".json()  # asyncmig: skip"))
    assert check().exit_code == 0


def test_fail_on_reached(project: Path) -> None:
    (project / "service.py").write_text(REACHED_ONLY)
    assert check().exit_code == 0
    out = check("--fail-on", "reached")
    assert out.exit_code == 1
    assert out.stdout.startswith("service.py:5:5: blocking sleep call `time.sleep(1)` in sync function reached")


def test_github_annotations(project: Path) -> None:
    (project / "service.py").write_text(BLOCKING)
    out = check("--format", "github")
    assert out.exit_code == 1
    assert out.stdout == (
        "::error file=service.py,line=5,col=12,title=asyncmig requests (P1)::blocking requests call "
        "`requests.get(url)` in async function `service.handler` (P1, timeout none); "
        "`asyncmig run requests-to-httpx` rewrites it\n"
    )


def test_sarif_lists_only_failing_sites(project: Path) -> None:
    (project / "service.py").write_text(BLOCKING)
    (project / "helpers.py").write_text(REACHED_ONLY)
    out = check("--format", "sarif")
    assert out.exit_code == 1
    results = json.loads(out.stdout)["runs"][0]["results"]
    assert [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results] == [
        ("asyncmig/requests", "error", "service.py")
    ]


def test_paths_argument_and_clean_tree(project: Path) -> None:
    (project / "clean").mkdir()
    (project / "clean" / "ok.py").write_text(MIGRATED)
    (project / "service.py").write_text(BLOCKING)
    assert check("clean").exit_code == 0
    assert check().exit_code == 1


def test_usage_errors_exit_2(project: Path) -> None:
    out = CliRunner().invoke(app, ["check", "--fail-on", "never"])
    assert out.exit_code == 2


def test_pre_commit_hooks_run_check() -> None:
    text = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text()
    hooks = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("- id:")]
    entries = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("entry:")]
    assert hooks == ["asyncmig-check", "asyncmig-check-reached", "asyncmig-plan"]
    assert entries == ["asyncmig check", "asyncmig check --fail-on reached", "asyncmig plan"]
    assert text.count("pass_filenames: false") == 3
