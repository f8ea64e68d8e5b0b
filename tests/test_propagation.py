"""Async propagation outside the golden cases: the plan, scope, columns, CLI, apply, reports.

The golden cases (``golden/async-propagation/``) pin the rewrites; these tests pin what a
golden case cannot show: the plan object, run scope, ``asyncmig run --sync-callers``,
``apply --phase N`` driven by ``migrations.toml``, the report sections and the harness.
"""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from asyncmig import propagate
from asyncmig.engine import CodemodSpec
from asyncmig.engine import run as run_engine
from asyncmig.registry import get
from asyncmig.report import propagation, to_markdown
from asyncmig.testing import assert_golden, load_tree_case

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "async-propagation"

HELPERS = b"import time\n\n\ndef pause(seconds):\n    time.sleep(seconds)\n    return seconds\n"
APP = b"from pkg.helpers import pause\n\n\nasync def handler():\n    return pause(1)\n"


def project(**files: bytes) -> dict[str, bytes]:
    return {"pkg/__init__.py": b"", "pkg/helpers.py": HELPERS, "pkg/app.py": APP, **{
        k.replace("__", "/") + ".py": v for k, v in files.items()
    }}


def plan_of(sources, mode="propagate", codemods=("sleep-to-asyncio",), **kw):
    return propagate.analyse(sources, codemods, propagate.Settings(mode, **kw))


# ----------------------------------------------------------------------------- the plan


def test_propagate_plan_is_exact_frozen_and_picklable() -> None:
    plan = plan_of(project())
    assert plan == propagate.PropagationPlan(
        "propagate",
        files=(
            propagate.FilePlan(
                "pkg/app.py",
                sites=(propagate.SitePlan(5, 12, "await", "pkg.helpers.pause", "pkg.helpers.pause is now async", "pause"),),
            ),
            propagate.FilePlan(
                "pkg/helpers.py",
                make_async=(("pause", "time.sleep(seconds) at pkg/helpers.py:5; every caller awaits it"),),
            ),
        ),
        decisions=(
            propagate.Decision(
                "pkg.helpers.pause", "pkg/helpers.py", 4, "async",
                "time.sleep(seconds) at pkg/helpers.py:5; every caller awaits it",
            ),
        ),
        check=("pkg/helpers.py",),  # where the dry pass of the phase looks
    )
    assert pickle.loads(pickle.dumps(plan)) == plan
    assert plan.forced_async == frozenset({("pkg/helpers.py", "pause")})
    env = plan.environment()
    assert env.is_forced_async("pkg/helpers.py", "pause")
    assert env.setting(propagate.SETTING) is plan


def test_offload_plan_offloads_at_the_async_call_only() -> None:
    plan = plan_of(project(), mode="offload")
    assert [f.path for f in plan.files] == ["pkg/app.py"]
    (site,) = plan.files[0].sites
    assert (site.line, site.col, site.action, site.helper) == (5, 12, "offload", "pkg.helpers.pause")
    assert plan.forced_async == frozenset()


def test_report_mode_and_other_phases_plan_nothing() -> None:
    assert plan_of(project(), mode="report") == propagate.PropagationPlan("report")
    # The helper's site belongs to sleep-to-asyncio; a requests phase does not count it.
    assert plan_of(project(), codemods=("requests-to-httpx",)).files == ()


def test_a_skip_comment_on_the_blocking_site_means_it_does_not_count() -> None:
    helpers = HELPERS.replace(b"time.sleep(seconds)", b"time.sleep(seconds)  # asyncmig: skip")
    assert plan_of({**project(), "pkg/helpers.py": helpers}).files == ()


def test_unparsable_files_are_left_out_of_the_graph() -> None:
    plan = plan_of(project(broken=b"def broken(:\n"))
    assert plan.forced_async == frozenset({("pkg/helpers.py", "pause")})


def test_a_caller_outside_the_run_keeps_the_helper_sync() -> None:
    other = b"from pkg.helpers import pause\n\n\ndef main():\n    return pause(2)\n"
    sources = {**project(), "tools/cli.py": other}  # tools/ is no package: module "cli"
    plan = propagate.analyse(sources, ["sleep-to-asyncio"], propagate.Settings("propagate"))
    (decision,) = plan.decisions
    assert decision.outcome == "offload"
    assert decision.why.endswith("; stays sync: called from sync code: cli.main (tools/cli.py:5)")
    # The graph is the project's; only the run's files are rewritten.
    inside = ["pkg/__init__.py", "pkg/helpers.py", "pkg/app.py", "tools/cli.py"][:3]
    plan = propagate.analyse(sources, ["sleep-to-asyncio"], propagate.Settings("propagate"), scope=inside)
    assert plan.forced_async == frozenset()
    # a caller outside the run's paths that cannot await keeps it sync, for that reason
    assert plan.decisions[0].why.endswith("; stays sync: called from sync code: cli.main (tools/cli.py:5)")
    plan = propagate.analyse(
        project(), ["sleep-to-asyncio"], propagate.Settings("propagate"), scope=["pkg/app.py"]
    )
    assert plan.decisions[0].why.endswith("; stays sync: pkg/helpers.py is outside the paths of this run")


# ----------------------------------------------------------------------------- the rewrite


def run_project(tmp_path: Path, files: dict[str, bytes], mode: str, codemod="sleep-to-asyncio", **options):
    for rel, data in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    specs = [CodemodSpec.of(get(codemod))]
    specs, env, found = propagate.prepare_paths(
        specs, None, tmp_path, [tmp_path], settings=propagate.Settings(mode), options=options
    )
    return run_engine(specs, [tmp_path], tmp_path, env=env, jobs=1, write=True, files=found)


def test_columns_are_matched_in_utf8_bytes(tmp_path: Path) -> None:
    app = 'from pkg.helpers import pause\n\n\nasync def handler():\n    label, waited = "héllo wörld", pause(1)\n    return label, waited\n'
    result = run_project(tmp_path, project(pkg__app=app.encode()), "offload")
    assert (tmp_path / "pkg/app.py").read_text() == (
        "import asyncio\n\nfrom pkg.helpers import pause\n\n\nasync def handler():\n"
        '    label, waited = "héllo wörld", await asyncio.to_thread(pause, 1)\n    return label, waited\n'
    )
    (change,) = [c for f in result.files for c in f.changes]
    assert (change.line, change.col) == (5, 36)  # characters, like every other report
    plan = plan_of(project(pkg__app=app.encode()), mode="offload")
    assert plan.files[0].sites[0].col == 38  # the ast pass counts UTF-8 bytes


def test_calls_the_graph_does_not_know_are_left_alone(tmp_path: Path) -> None:
    app = b"from pkg import helpers\n\n\nasync def handler(pause):\n    return pause(1), helpers.pause(2)\n"
    run_project(tmp_path, project(pkg__app=app), "propagate")
    assert (tmp_path / "pkg/app.py").read_bytes() == app.replace(b"helpers.pause(2)", b"await helpers.pause(2)")


def test_the_codemod_alone_changes_nothing() -> None:
    """Without a plan (python -m libcst.tool, a phase listing it) it is a no-op."""
    from asyncmig.engine import transform_source

    result = transform_source(APP, "pkg/app.py", [CodemodSpec.of(get("async-propagation"))])
    assert result.status == "unchanged" and not result.skips


# ----------------------------------------------------------------------------- reports


def test_report_rows_and_markdown_section(tmp_path: Path) -> None:
    cli = b"from pkg.helpers import pause\n\n\ndef main():\n    pause(1)\n"
    slow = b"import time\n\n\ndef nap():\n    time.sleep(1)\n\n\nasync def idle():\n    nap()\n"
    result = run_project(tmp_path, project(pkg__cli=cli, pkg__slow=slow), "propagate")
    assert propagation(result) == [
        ("pkg/app.py", 5, "offloaded: pause", "time.sleep(seconds) at pkg/helpers.py:5; stays sync: called from sync code: pkg.cli.main (pkg/cli.py:5)"),
        ("pkg/helpers.py", 4, "stays sync: pkg.helpers.pause", "called from sync code: pkg.cli.main (pkg/cli.py:5)"),
        ("pkg/slow.py", 4, "made async: nap", "time.sleep(1) at pkg/slow.py:5; every caller awaits it"),
    ]
    markdown = to_markdown(result)
    assert (
        "### Async propagation\n\n| where | outcome | why |\n|---|---|---|\n"
        "| `pkg/app.py:5` | offloaded: pause | time.sleep(seconds) at pkg/helpers.py:5; stays sync: "
        "called from sync code: pkg.cli.main (pkg/cli.py:5) |\n"
    ) in markdown
    assert "| `pkg/slow.py:4` | made async: nap |" in markdown


# ----------------------------------------------------------------------------- the CLI


def asyncmig(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asyncmig", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def write(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


def test_run_sync_callers_option_and_its_errors(tmp_path: Path) -> None:
    write(tmp_path, project())
    proc = asyncmig(tmp_path, "run", "sleep-to-asyncio", "pkg", "--sync-callers", "sideways")
    assert proc.returncode == 2
    assert "--sync-callers must be report, offload or propagate, not 'sideways'" in proc.stderr
    proc = asyncmig(tmp_path, "run", "sleep-to-asyncio", "pkg")  # default: report
    assert proc.returncode == 0 and "0 changes" in proc.stderr, proc.stderr
    assert (tmp_path / "pkg/app.py").read_bytes() == APP
    proc = asyncmig(tmp_path, "run", "sleep-to-asyncio", "pkg", "--sync-callers", "propagate")
    assert proc.returncode == 0, proc.stderr
    assert "made async: pause pkg/helpers.py:4:" in proc.stderr
    assert (tmp_path / "pkg/app.py").read_bytes() == APP.replace(b"return pause(1)", b"return await pause(1)")


def test_run_takes_sync_callers_and_keep_sync_from_the_config(tmp_path: Path) -> None:
    write(tmp_path, project())
    (tmp_path / "migrations.toml").write_text(
        '[migration]\npaths = ["pkg"]\nsync_callers = "propagate"\nkeep_sync = ["pkg.helpers.pause"]\n\n'
        '[[phases]]\nname = "sleep"\ncodemods = ["sleep-to-asyncio"]\n'
    )
    proc = asyncmig(tmp_path, "run", "sleep-to-asyncio")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "pkg/helpers.py").read_bytes() == HELPERS
    assert b"await asyncio.to_thread(pause, 1)" in (tmp_path / "pkg/app.py").read_bytes()
    assert "stays sync: pkg.helpers.pause pkg/helpers.py:4: listed in keep_sync" in proc.stderr


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def test_apply_phase_propagates_with_phase_options(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    agg = b"from pkg.helpers import pause\n\n\nasync def all_of(xs):\n    return [pause(x) for x in xs]\n"
    write(repo, {**project(), "pkg/agg.py": agg})
    (repo / "migrations.toml").write_text(
        '[migration]\nname = "demo"\npaths = ["pkg"]\nsync_callers = "propagate"\n\n'
        '[[phases]]\nname = "sleep"\ncodemods = ["sleep-to-asyncio"]\n'
        '[phases.options.async-propagation]\ngather_comprehensions = true\n'
    )
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.name=T", "-c", "user.email=t@example.com", "add", "-A")
    git(repo, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "initial")

    proc = asyncmig(repo, "apply", "--phase", "1", "--dry-run", "--format", "markdown")
    assert proc.returncode == 0, proc.stderr
    assert "| `pkg/helpers.py:4` | made async: pause |" in proc.stdout
    assert "+    return await asyncio.gather(*(pause(x) for x in xs))" in proc.stdout

    proc = asyncmig(repo, "apply", "--phase", "1")
    assert proc.returncode == 0, proc.stderr
    branch = "asyncmig/phase-1-sleep"
    assert git(repo, "show", f"{branch}:pkg/helpers.py") == (
        "import asyncio\n\n\nasync def pause(seconds):\n    await asyncio.sleep(seconds)\n    return seconds\n"
    )
    assert git(repo, "show", f"{branch}:pkg/app.py").endswith("    return await pause(1)\n")
    message = git(repo, "log", "-1", "--format=%B", branch)
    assert (
        "async-propagation: 3 files, 3 changes, 0 skips\n"
        "  pkg/agg.py: 1 change\n"
        "    line 5: [pause(...) for ...] → await asyncio.gather(*(pause(...) for ...)) (why: pkg.helpers.pause is now async)\n"
        "  pkg/app.py: 1 change\n"
        "    line 5: pause(...) → await pause(...) (why: pkg.helpers.pause is now async)\n"
        "  pkg/helpers.py: 1 change\n"
        "    line 4: def pause → async def pause (why: time.sleep(seconds) at pkg/helpers.py:5; every caller awaits it)\n"
    ) in message

    proc = asyncmig(repo, "diff", "--phase", "1", "--format", "markdown")
    assert proc.returncode == 0, proc.stderr
    assert (
        "| `pkg/helpers.py:4` | made async: pause | time.sleep(seconds) at pkg/helpers.py:5; every caller awaits it |"
        in proc.stdout
    )


def test_unknown_async_propagation_option_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path, project())
    (tmp_path / "migrations.toml").write_text(
        '[migration]\npaths = ["pkg"]\n\n[[phases]]\nname = "sleep"\ncodemods = ["sleep-to-asyncio"]\n'
        '[phases.options.async-propagation]\ngather = true\n'
    )
    proc = asyncmig(tmp_path, "plan")
    assert proc.returncode == 2
    message = " ".join(proc.stderr.split())
    assert "unknown option gather for codemod async-propagation" in message
    assert "hint: valid options: gather_comprehensions" in message


# ----------------------------------------------------------------------------- the harness


def test_tree_harness_fails_on_drift_and_updates(tmp_path: Path) -> None:
    case_dir = tmp_path / "async-propagation" / "basic"
    shutil.copytree(GOLDEN / "basic", case_dir)
    assert_golden(load_tree_case(case_dir))

    app = case_dir / "expected" / "pkg" / "app.py"
    app.write_text(app.read_text().replace("await pause(1)", "pause(1)"))
    with pytest.raises(AssertionError, match="output differs from expected/"):
        assert_golden(load_tree_case(case_dir))
    assert_golden(load_tree_case(case_dir), update=True)
    assert "await pause(1)" in app.read_text()

    toml = case_dir / "case.toml"
    toml.write_text(toml.read_text() + '\n[[skips]]\npath = "pkg/app.py"\nline = 5\nreason = "nope"\n')
    with pytest.raises(AssertionError, match="skips differ"):
        assert_golden(load_tree_case(case_dir))


def test_a_run_on_one_file_does_not_offload_helpers_and_callers_both_outside_it(tmp_path: Path) -> None:
    """`asyncmig run X one.py --sync-callers offload`: a helper elsewhere that blocks, called
    from async code elsewhere, is none of this run's business (seen on a real backend: one
    test file named, 35 files rewritten)."""
    from asyncmig import registry
    from asyncmig.engine import CodemodSpec, run

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/__init__.py").write_text("")
    (tmp_path / "pkg/config.py").write_text(
        "import time\n\n\ndef load():\n    time.sleep(1)\n    return {}\n"
    )
    (tmp_path / "pkg/server.py").write_text(
        "from pkg.config import load\n\n\nasync def handler():\n    return load()\n"
    )
    (tmp_path / "pkg/one.py").write_text(
        "import time\n\n\nasync def tick():\n    time.sleep(0.1)\n"
    )
    cls = registry.get("sleep-to-asyncio")
    named = [tmp_path / "pkg/one.py"]
    specs, env, files = propagate.prepare_paths(
        [CodemodSpec(cls, cls.parse_options({}))], None, tmp_path, named,
        project_paths=["."], settings=propagate.Settings(mode="offload"),
    )
    result = run(specs, named, tmp_path, env=env, files=files, jobs=1)
    assert [f.path for f in result.changed] == ["pkg/one.py"]
