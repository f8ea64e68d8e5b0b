"""The phase commit message: what it lists, and that ``diff`` reads it back exactly."""

from __future__ import annotations

from asyncmig.config import Migration, Phase, Plan
from asyncmig.models import Change, Environment, FileResult, RunResult, Skip
from asyncmig.planner import commit_message, environment, parse_listing, specs_for

PLAN = Plan(
    path="/repo/migrations.toml",
    root="/repo",
    sha256="ab" * 32,
    migration=Migration(name="svc"),
    phases=(Phase(3, "file-io", ("open-to-anyio", "sleep-to-asyncio")),),
)
PHASE = PLAN.phases[0]
RESULT = RunResult(
    files=(
        FileResult(
            "app/reports.py",
            "changed",
            (
                Change(7, 5, "open-to-anyio", "with open(...) → async with await anyio.open_file(...)"),
                Change(12, 9, "sleep-to-asyncio", "time.sleep(...) → await asyncio.sleep(...)"),
            ),
            (Skip(20, 5, "open-to-anyio", "the file object escapes the block: passed to parse(f)"),),
            old=b"a",
            new=b"b",
        ),
        FileResult("app/retry.py", "changed", (Change(3, 9, "sleep-to-asyncio", "time.sleep(...) → await asyncio.sleep(...)"),), old=b"a", new=b"b"),
        FileResult("app/odd.py", "skipped", skips=(Skip(1, 1, "*", "LibCST does not reproduce this file byte for byte"),)),
        FileResult("app/broken.py", "error", error="cannot parse: bad input"),
        FileResult("app/gen.py", "changed", old=None, new=b"generated"),
    ),
    scanned=9,
    parsed=5,
)

MESSAGE = """\
asyncmig phase 3: file-io

Phase 3 (file-io) of migration 'svc', on asyncmig/phase-2-fan-out: 3 changes in 3 files, 2 skips.

open-to-anyio: 1 file, 1 change, 1 skip
  app/reports.py: 1 change
    line 7: with open(...) → async with await anyio.open_file(...)
  skip app/reports.py:20: the file object escapes the block: passed to parse(f)

sleep-to-asyncio: 2 files, 2 changes, 0 skips
  app/reports.py: 1 change
    line 12: time.sleep(...) → await asyncio.sleep(...)
  app/retry.py: 1 change
    line 3: time.sleep(...) → await asyncio.sleep(...)

other:
  app/gen.py: new file
  skip app/odd.py:1: LibCST does not reproduce this file byte for byte
  error app/broken.py: cannot parse: bad input

Asyncmig-Phase: 3
Asyncmig-Plan: abababababababababababababababababababababababababababababababab
"""


def test_commit_message_lists_every_codemod_file_change_and_skip():
    assert commit_message(PLAN, PHASE, RESULT, "asyncmig/phase-2-fan-out") == MESSAGE


def test_listing_reads_back_changes_skips_and_errors():
    changes, skips, errors = parse_listing(MESSAGE)
    assert changes == {
        "app/reports.py": [
            Change(7, 0, "open-to-anyio", "with open(...) → async with await anyio.open_file(...)"),
            Change(12, 0, "sleep-to-asyncio", "time.sleep(...) → await asyncio.sleep(...)"),
        ],
        "app/retry.py": [Change(3, 0, "sleep-to-asyncio", "time.sleep(...) → await asyncio.sleep(...)")],
    }
    assert skips == {
        "app/reports.py": [Skip(20, 0, "open-to-anyio", "the file object escapes the block: passed to parse(f)")],
        "app/odd.py": [Skip(1, 0, "*", "LibCST does not reproduce this file byte for byte")],
    }
    assert errors == {"app/broken.py": "cannot parse: bad input"}


def test_a_phase_without_changes_still_gets_a_commit_message():
    message = commit_message(PLAN, PHASE, RunResult(), "main")
    assert message.splitlines()[2] == "Phase 3 (file-io) of migration 'svc', on main: 0 changes in 0 files, 0 skips."
    assert message.endswith("Asyncmig-Phase: 3\nAsyncmig-Plan: " + "ab" * 32 + "\n")


def test_environment_carries_the_clients_and_executors_tables():
    assert environment(PLAN) == Environment(settings=(("clients", ()), ("executors", ())))


def test_specs_get_the_phase_codemods():
    phase = Phase(1, "x", ("sleep-to-asyncio",))
    [spec] = specs_for(phase)
    assert spec.cls.NAME == "sleep-to-asyncio"


HELPER = """\
import time


def wait(seconds):
    time.sleep(seconds)


async def handler():
    wait(1)
"""
PER_PHASE_PLAN = """\
[migration]
name = "svc"

[[phases]]
name = "report"
codemods = ["sleep-to-asyncio"]

[[phases]]
name = "offload"
codemods = ["sleep-to-asyncio"]
sync_callers = "offload"
"""


def test_each_phase_runs_with_its_own_sync_callers(tmp_path):
    from asyncmig.config import load_plan
    from asyncmig.planner import run_phase

    (tmp_path / ".git").mkdir()
    (tmp_path / "svc.py").write_text(HELPER)
    (tmp_path / "migrations.toml").write_text(PER_PHASE_PLAN)
    plan = load_plan(tmp_path / "migrations.toml")
    report = run_phase(plan, plan.phases[0], tmp_path)
    assert report.changed == ()
    offload = run_phase(plan, plan.phases[1], tmp_path)
    assert [f.path for f in offload.changed] == ["svc.py"]
    assert offload.changed[0].new.decode() == HELPER.replace(
        "import time\n", "import asyncio\nimport time\n"
    ).replace("    wait(1)\n", "    await asyncio.to_thread(wait, 1)\n")


def _plan_with(tmp_path, migration_python=None, phase_python=None):
    import dataclasses

    phase = Phase(1, "http", ("requests-to-httpx",), verify="pytest -q", python=phase_python)
    return dataclasses.replace(
        PLAN, root=str(tmp_path), migration=Migration(python=migration_python), phases=(phase,)
    ), phase


def test_verify_leaves_out_asyncmigs_own_venv(tmp_path, monkeypatch):
    import os
    import sys

    from asyncmig.planner import verify_environment

    (tmp_path / ".git").mkdir()
    own = tmp_path.parent / "tools" / "asyncmig-venv"
    (own / "bin").mkdir(parents=True)
    monkeypatch.setattr(sys, "prefix", str(own))
    monkeypatch.setattr(sys, "base_prefix", "/usr")
    plan, phase = _plan_with(tmp_path)
    env = verify_environment(
        plan, phase, {"PATH": os.pathsep.join([str(own / "bin"), "/usr/bin"]), "VIRTUAL_ENV": str(own), "HOME": "/h"}
    )
    assert env == {"PATH": "/usr/bin", "HOME": "/h"}


def test_verify_keeps_a_venv_inside_the_repository(tmp_path, monkeypatch):
    import os
    import sys

    from asyncmig.planner import verify_environment

    (tmp_path / ".git").mkdir()
    own = tmp_path / ".venv"
    (own / "bin").mkdir(parents=True)
    monkeypatch.setattr(sys, "prefix", str(own))
    monkeypatch.setattr(sys, "base_prefix", "/usr")
    plan, phase = _plan_with(tmp_path)
    environ = {"PATH": os.pathsep.join([str(own / "bin"), "/usr/bin"]), "VIRTUAL_ENV": str(own)}
    assert verify_environment(plan, phase, environ) == environ


def test_verify_runs_with_the_named_interpreter(tmp_path):
    import os

    import pytest

    from asyncmig.planner import VerifyError, verify_environment

    (tmp_path / ".git").mkdir()
    venv = tmp_path / "env"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    plan, phase = _plan_with(tmp_path, migration_python="/nowhere/python", phase_python="env/bin/python")
    env = verify_environment(plan, phase, {"PATH": "/usr/bin"})
    assert env == {"PATH": os.pathsep.join([str(venv / "bin"), "/usr/bin"]), "VIRTUAL_ENV": str(venv)}
    plan, phase = _plan_with(tmp_path, migration_python="missing/python")
    with pytest.raises(VerifyError, match="the interpreter for verify does not exist: missing/python"):
        verify_environment(plan, phase, {"PATH": "/usr/bin"})


def test_counting_skips_the_import_passes_and_finds_the_same_changes_and_skips():
    """plan/init count with COUNT_ONLY (no AddImports/RemoveImports pass): on every golden
    case of the built-in codemods that is one file, the changes and skips are the same."""
    import dataclasses
    from pathlib import Path

    from asyncmig import registry
    from asyncmig.codemod import COUNT_ONLY
    from asyncmig.engine import CodemodSpec, transform_source
    from asyncmig.testing import GoldenCase, load_cases

    golden = Path(__file__).resolve().parents[1] / "golden"
    cases = [c for c in load_cases(golden) if isinstance(c, GoldenCase) and c.codemod != "async-propagation"]
    assert len(cases) > 100
    for case in cases[::6]:  # a sixth of them keeps the test quick; the rest behave alike
        cls = registry.get(case.codemod)
        spec = CodemodSpec(cls, cls.parse_options(case.options))
        env = cls.golden_env(case.env, case.path)
        full = transform_source(case.input, case.path, [spec], env)
        counted = transform_source(
            case.input, case.path, [spec], dataclasses.replace(env, settings=(*env.settings, (COUNT_ONLY, True)))
        )
        assert (counted.changes, counted.skips) == (full.changes, full.skips), case.id


def test_past_the_budget_a_file_is_counted_from_the_scan_and_the_next_run_counts_it(tmp_path, monkeypatch):
    from asyncmig import planner
    from asyncmig.config import load_plan

    (tmp_path / ".git").mkdir()
    (tmp_path / "a.py").write_text("import time\n\n\nasync def f():\n    time.sleep(1)\n")
    (tmp_path / "b.py").write_text("import time\n\n\nasync def g():\n    time.sleep(1)\n    time.sleep(2)  # asyncmig: skip\n\n\n\n")
    (tmp_path / "migrations.toml").write_text('[[phases]]\nname = "sleeps"\ncodemods = ["sleep-to-asyncio"]\n')
    plan = load_plan(tmp_path / "migrations.toml")
    monkeypatch.setattr(planner, "EXACT_SHARE", 0.0)
    monkeypatch.setattr(planner, "EXACT_LINES_MIN", 7)  # room for a.py (6 lines), not b.py (10) too
    first = planner.count_phases(plan, plan.phases)[1]
    assert planner.estimated_files(first) == ("b.py",)
    assert (first.n_changes, first.n_skips, first.parsed) == (2, 0, 1)  # b.py's skip-comment site is no site
    second = planner.count_phases(plan, plan.phases)[1]
    assert planner.estimated_files(second) == ()
    assert (second.n_changes, second.n_skips, second.parsed) == (2, 1, 1)  # a.py came from the cache
    rows = planner.status(plan)
    assert (rows[0].changes, rows[0].skips, rows[0].estimated) == (2, 1, 0)


def test_line_length_comes_from_ruff_then_black_then_88(tmp_path):
    from asyncmig.planner import line_length

    assert line_length(tmp_path) == 88
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    assert line_length(tmp_path) == 100
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n[tool.ruff]\nline-length = 120\n")
    assert line_length(tmp_path) == 120
    (tmp_path / "ruff.toml").write_text("line-length = 79\n")
    assert line_length(tmp_path) == 79
