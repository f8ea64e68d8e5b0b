"""``asyncmig plan / apply / diff`` on a real temporary git repository.

Every refusal exits 2 and changes nothing (refs, worktrees, HEAD, index, working tree);
an interrupted apply (SIGINT, SIGTERM, SIGKILL + next run) leaves no branch and no worktree.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from asyncmig.cli.app import main
from asyncmig.cli.state import STATE

pytestmark = pytest.mark.slow

JOBS_A = """\
import time


async def poll(check):
    while not check():
        time.sleep(0.01)
    return True
"""
JOBS_B = """\
from time import sleep


async def backoff(n):
    sleep(n)  # asyncmig: skip
    sleep(n * 2)
"""
PLAN = """\
[migration]
name = "demo"
paths = ["svc"]

[[phases]]
name = "jobs"
codemods = ["sleep-to-asyncio"]
paths = ["svc/a"]

[[phases]]
name = "Back off"
codemods = ["sleep-to-asyncio"]
paths = ["svc/b"]
verify = "python -c 'import svc.b.jobs'"
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True)
def _cli_env(monkeypatch):
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def asyncmig(monkeypatch, capsys):
    """Run the CLI in this process (as ``main()`` does: exit codes, errors on stderr)."""

    def run(cwd: Path, *args: str, check: int | None = 0) -> Done:
        monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "argv", ["asyncmig", *args])
        STATE.config = None
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        done = Done(code, out, err)
        if check is not None:
            assert done.returncode == check, done.stdout + done.stderr
        return done

    return run


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    for rel, text in {
        "svc/__init__.py": "",
        "svc/a/__init__.py": "",
        "svc/a/jobs.py": JOBS_A,
        "svc/b/__init__.py": "",
        "svc/b/jobs.py": JOBS_B,
        "migrations.toml": PLAN,
        "README.md": "demo\n",
    }.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "user.email", "test@example.com")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    return repo


def snapshot(repo: Path) -> dict:
    """Everything apply must leave alone."""
    files = {
        str(p.relative_to(repo)): p.read_bytes()
        for p in sorted(repo.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(repo).parts and "__pycache__" not in p.parts
    }
    return {
        "refs": git(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
        "head": git(repo, "symbolic-ref", "HEAD") + git(repo, "rev-parse", "HEAD"),
        "index": git(repo, "ls-files", "--stage"),
        "status": git(repo, "status", "--porcelain", "--untracked-files=all"),
        "worktrees": git(repo, "worktree", "list", "--porcelain"),
        "files": files,
        "leftovers": sorted(os.listdir(repo / ".git" / "asyncmig-worktrees"))
        if (repo / ".git" / "asyncmig-worktrees").exists()
        else [],
    }


def show(repo: Path, rev: str, path: str) -> str:
    return git(repo, "show", f"{rev}:{path}")


def test_apply_creates_the_stacked_branch_and_leaves_the_checkout_alone(repo, asyncmig):
    before = snapshot(repo)
    done = asyncmig(repo, "apply", "--phase", "1")
    assert snapshot(repo) == {**before, "refs": snapshot(repo)["refs"]}
    sha = git(repo, "rev-parse", "--short=12", "asyncmig/phase-1-jobs").strip()
    assert f"created branch asyncmig/phase-1-jobs (commit {sha} on top of main)" in done.stderr
    assert "your checkout is unchanged" in done.stderr
    assert done.stdout == ""

    assert git(repo, "rev-parse", "asyncmig/phase-1-jobs^") == git(repo, "rev-parse", "main")
    assert show(repo, "asyncmig/phase-1-jobs", "svc/a/jobs.py") == JOBS_A.replace(
        "import time\n", "import asyncio\n"
    ).replace("        time.sleep(0.01)", "        await asyncio.sleep(0.01)")
    assert show(repo, "asyncmig/phase-1-jobs", "svc/b/jobs.py") == JOBS_B  # phase 2's paths
    sha = __import__("hashlib").sha256(PLAN.encode()).hexdigest()
    assert git(repo, "log", "-1", "--format=%B", "asyncmig/phase-1-jobs") == (
        "asyncmig phase 1: jobs\n"
        "\n"
        "Phase 1 (jobs) of migration 'demo', on main: 1 change in 1 file, 0 skips.\n"
        "\n"
        "sleep-to-asyncio: 1 file, 1 change, 0 skips\n"
        "  svc/a/jobs.py: 1 change\n"
        "    line 6: time.sleep(...) → await asyncio.sleep(...)\n"
        "\n"
        "Asyncmig-Phase: 1\n"
        f"Asyncmig-Plan: {sha}\n"
        "\n"
    )
    assert git(repo, "log", "-1", "--format=%an <%ae>", "asyncmig/phase-1-jobs") == "Test <test@example.com>\n"

    # Phase 2 stacks on phase 1, runs verify in the worktree, and lists the skip.
    before = snapshot(repo)
    done = asyncmig(repo, "apply", "--phase", "2", "--verify")
    assert "verify passed" in done.stderr
    assert {k: v for k, v in snapshot(repo).items() if k != "refs"} == {
        k: v for k, v in before.items() if k != "refs"
    }
    assert git(repo, "rev-parse", "asyncmig/phase-2-back-off^") == git(repo, "rev-parse", "asyncmig/phase-1-jobs")
    message = git(repo, "log", "-1", "--format=%B", "asyncmig/phase-2-back-off")
    assert message.splitlines()[:8] == [
        "asyncmig phase 2: Back off",
        "",
        "Phase 2 (Back off) of migration 'demo', on asyncmig/phase-1-jobs: 1 change in 1 file, 1 skip.",
        "",
        "sleep-to-asyncio: 1 file, 1 change, 1 skip",
        "  svc/b/jobs.py: 1 change",
        "    line 6: time.sleep(...) → await asyncio.sleep(...)",
        "  skip svc/b/jobs.py:5: skipped by request (# asyncmig: skip)",
    ]

    plan = asyncmig(repo, "plan").stdout
    assert "asyncmig/phase-1-jobs" in plan and "asyncmig/phase-2-back-off" in plan
    assert plan.count("applied") == 2 + 1  # two rows and the legend


def plan_rows(out: str) -> list[list[str]]:
    """The plan table's rows, cells split on runs of two or more spaces."""
    rows = [re.split(r"\s{2,}", line.strip()) for line in out.splitlines() if re.match(r"^\s*\d+\s{2}", line)]
    return rows


def test_plan_shows_pending_applied_and_stale(repo, asyncmig):
    out = asyncmig(repo, "plan").stdout
    assert out.splitlines()[0].strip() == "demo (migrations.toml): paths svc"
    assert out.splitlines()[2].split() == ["#", "phase", "codemods", "paths", "branch", "status", "sites", "skips"]
    assert plan_rows(out) == [
        ["1", "jobs", "sleep-to-asyncio", "svc/a", "asyncmig/phase-1-jobs", "pending", "1 in 1 file", "0"],
        ["2", "Back off", "sleep-to-asyncio", "svc/b", "asyncmig/phase-2-back-off", "pending", "1 in 1 file", "1"],
    ]
    asyncmig(repo, "apply", "--phase", "1")
    rows = plan_rows(asyncmig(repo, "plan").stdout)
    assert [r[5] for r in rows] == ["applied", "pending"]
    (repo / "migrations.toml").write_text(PLAN + "# edited\n")
    rows = plan_rows(asyncmig(repo, "plan").stdout)
    assert [r[5] for r in rows] == ["stale", "pending"]


def test_dry_run_prints_a_git_apply_able_diff_and_writes_nothing(repo, asyncmig):
    before = snapshot(repo)
    done = asyncmig(repo, "apply", "--phase", "1", "--dry-run")
    assert snapshot(repo) == before
    assert done.stdout == (
        "diff --git a/svc/a/jobs.py b/svc/a/jobs.py\n"
        "--- a/svc/a/jobs.py\n"
        "+++ b/svc/a/jobs.py\n"
        "@@ -1,7 +1,7 @@\n"
        "-import time\n"
        "+import asyncio\n"
        " \n"
        " \n"
        " async def poll(check):\n"
        "     while not check():\n"
        "-        time.sleep(0.01)\n"
        "+        await asyncio.sleep(0.01)\n"
        "     return True\n"
    )
    assert "would rewrite svc/a/jobs.py: 1 change" in done.stderr
    subprocess.run(["git", "apply", "--check", "-"], cwd=repo, input=done.stdout, text=True, check=True)


def test_dry_run_of_phase_2_builds_on_phase_1_branch(repo, asyncmig):
    done = asyncmig(repo, "apply", "--phase", "2", "--dry-run", check=2)
    assert "phase 1 (jobs) is not applied: branch asyncmig/phase-1-jobs does not exist" in done.stderr
    asyncmig(repo, "apply", "--phase", "1")
    done = asyncmig(repo, "apply", "--phase", "2", "--dry-run")
    assert done.stdout.startswith("diff --git a/svc/b/jobs.py b/svc/b/jobs.py\n")


def test_dry_run_formats(repo, asyncmig):
    md = asyncmig(repo, "apply", "--phase", "2", "--dry-run", "--format", "markdown", check=2)
    asyncmig(repo, "apply", "--phase", "1")
    md = asyncmig(repo, "apply", "--phase", "2", "--dry-run", "--format", "markdown").stdout
    assert md.startswith("## asyncmig phase 2: Back off (dry run, from asyncmig/phase-1-jobs)\n")
    assert "| `sleep-to-asyncio` | 1 | 1 |" in md
    assert "```diff\ndiff --git a/svc/b/jobs.py b/svc/b/jobs.py\n" in md
    assert "| `svc/b/jobs.py:5` | `sleep-to-asyncio` | skipped by request (# asyncmig: skip) |" in md
    data = json.loads(asyncmig(repo, "apply", "--phase", "2", "--dry-run", "--format", "json").stdout)
    assert data["summary"] == {"files": 2, "parsed": 1, "changed": 1, "changes": 1, "skips": 1, "errors": 0}
    [entry] = data["files"]
    assert entry["path"] == "svc/b/jobs.py"
    assert [c["line"] for c in entry["changes"]] == [6]
    assert [(s["line"], s["reason"]) for s in entry["skips"]] == [(5, "skipped by request (# asyncmig: skip)")]


def test_diff_shows_the_applied_branch_in_three_formats(repo, asyncmig):
    dry = asyncmig(repo, "apply", "--phase", "1", "--dry-run").stdout
    done = asyncmig(repo, "diff", "--phase", "1", check=2)
    assert "phase 1 (jobs) is not applied" in done.stderr
    asyncmig(repo, "apply", "--phase", "1")
    assert asyncmig(repo, "diff", "--phase", "1").stdout == dry
    from_git = git(repo, "diff", "main", "asyncmig/phase-1-jobs").splitlines(keepends=True)
    assert dry == "".join(line for line in from_git if not line.startswith("index "))
    asyncmig(repo, "apply", "--phase", "2")
    data = json.loads(asyncmig(repo, "diff", "--phase", "2", "--format", "json").stdout)
    [entry] = data["files"]
    assert entry["path"] == "svc/b/jobs.py"
    assert [(c["line"], c["codemod"], c["what"]) for c in entry["changes"]] == [
        (6, "sleep-to-asyncio", "time.sleep(...) → await asyncio.sleep(...)")
    ]
    assert [(s["line"], s["reason"]) for s in entry["skips"]] == [(5, "skipped by request (# asyncmig: skip)")]
    md = asyncmig(repo, "diff", "--phase", "2", "--format", "markdown").stdout
    assert md.startswith("## asyncmig phase 2: Back off (asyncmig/phase-2-back-off)\n")
    assert "| `svc/b/jobs.py:5` | `sleep-to-asyncio` | skipped by request (# asyncmig: skip) |" in md


# -- refusals: exit 2, nothing changed --------------------------------------------------------


def refused(asyncmig, repo: Path, *args: str) -> str:
    before = snapshot(repo)
    done = asyncmig(repo, *args, check=2)
    assert snapshot(repo) == before
    assert done.stdout == ""
    return done.stderr


def test_refuses_outside_a_git_repository(tmp_path, asyncmig):
    (tmp_path / "svc" / "a").mkdir(parents=True)
    (tmp_path / "svc" / "b").mkdir(parents=True)
    (tmp_path / "svc" / "a" / "jobs.py").write_text(JOBS_A)
    (tmp_path / "migrations.toml").write_text(PLAN)
    files = sorted(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    done = asyncmig(tmp_path, "apply", "--phase", "1", check=2)
    assert "is not inside a git repository" in done.stderr
    assert sorted(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()) == files


def test_refuses_when_the_previous_phase_is_missing(repo, asyncmig):
    err = refused(asyncmig, repo, "apply", "--phase", "2")
    assert "phase 1 (jobs) is not applied: branch asyncmig/phase-1-jobs does not exist" in err
    assert "run asyncmig apply --phase 1 first" in err


def test_refuses_when_the_branch_exists_unless_forced(repo, asyncmig):
    asyncmig(repo, "apply", "--phase", "1")
    first = git(repo, "rev-parse", "asyncmig/phase-1-jobs")
    err = refused(asyncmig, repo, "apply", "--phase", "1")
    assert "branch asyncmig/phase-1-jobs already exists" in err
    (repo / "README.md").write_text("demo, changed\n")
    git(repo, "commit", "-q", "-am", "base moved")
    asyncmig(repo, "apply", "--phase", "1", "--force")
    second = git(repo, "rev-parse", "asyncmig/phase-1-jobs")
    assert second != first
    assert git(repo, "rev-parse", "asyncmig/phase-1-jobs^") == git(repo, "rev-parse", "main")


@pytest.mark.parametrize("change", ["modified", "untracked", "staged"])
def test_refuses_uncommitted_changes_in_scope(repo, change, asyncmig):
    if change == "modified":
        (repo / "svc" / "a" / "jobs.py").write_text(JOBS_A + "# local edit\n")
    elif change == "untracked":
        (repo / "svc" / "a" / "new.py").write_text("x = 1\n")
    else:
        (repo / "svc" / "a" / "jobs.py").write_text(JOBS_A + "# staged\n")
        git(repo, "add", "svc/a/jobs.py")
    err = refused(asyncmig, repo, "apply", "--phase", "1")
    assert "uncommitted changes in the files of phase 1:" in err
    assert "svc/a/" in err


def test_changes_outside_the_phase_scope_do_not_block(repo, asyncmig):
    (repo / "svc" / "b" / "jobs.py").write_text(JOBS_B + "# not phase 1's business\n")
    asyncmig(repo, "apply", "--phase", "1")
    assert (repo / "svc" / "b" / "jobs.py").read_text().endswith("# not phase 1's business\n")


def test_refuses_a_phase_out_of_range(repo, asyncmig):
    err = refused(asyncmig, repo, "apply", "--phase", "3")
    assert "phase 3 is out of range: this plan has phases 1..2" in err


def test_refuses_a_broken_plan(repo, asyncmig):
    (repo / "migrations.toml").write_text(PLAN.replace('name = "jobs"', 'name = "jobs"\ncodemod = "x"'))
    err = refused(asyncmig, repo, "apply", "--phase", "1")
    assert "migrations.toml:7: [phases[1].codemod] unknown key 'codemod'" in err


def test_verify_failure_creates_no_branch_and_shows_the_output(repo, asyncmig):
    (repo / "migrations.toml").write_text(
        PLAN.replace("import svc.b.jobs", "print(\\\"tests: 1 failed\\\"); raise SystemExit(3)")
    )
    git(repo, "commit", "-q", "-am", "verify that fails")
    asyncmig(repo, "apply", "--phase", "1")
    err = refused(asyncmig, repo, "apply", "--phase", "2", "--verify")
    assert "verify failed (exit 3)" in err
    assert "tests: 1 failed" in err
    assert "no branch was created" in err


def test_config_is_found_from_a_subfolder_or_named(repo, tmp_path, asyncmig):
    done = asyncmig(repo / "svc" / "a", "apply", "--phase", "1", "--dry-run")
    assert done.stdout.startswith("diff --git a/svc/a/jobs.py")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = asyncmig(elsewhere, "plan", check=2)
    assert "no migrations.toml found" in done.stderr
    done = asyncmig(elsewhere, "--config", str(repo / "migrations.toml"), "apply", "--phase", "1", "--dry-run")
    assert done.stdout.startswith("diff --git a/svc/a/jobs.py")


# -- interruption: no branch, no worktree ------------------------------------------------------


def start_slow_apply(asyncmig, repo: Path, marker: Path) -> subprocess.Popen:
    """Phase 2 whose verify step signals it started, then takes its time."""
    slow = f"python -c \\\"import pathlib, time; pathlib.Path(r'{marker}').write_text('x'); time.sleep(60)\\\""
    (repo / "migrations.toml").write_text(PLAN.replace("python -c 'import svc.b.jobs'", slow))
    git(repo, "commit", "-q", "-am", "slow verify")
    asyncmig(repo, "apply", "--phase", "1")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "asyncmig", "apply", "--phase", "2", "--verify"],
        cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "verify never started"
        time.sleep(0.05)
    worktrees = git(repo, "worktree", "list", "--porcelain")
    assert "asyncmig-worktrees" in worktrees  # caught mid-run: the worktree exists now
    return process


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_apply_leaves_no_branch_and_no_worktree(repo, tmp_path, sig, asyncmig):
    process = start_slow_apply(asyncmig, repo, tmp_path / "verify-started")
    before = snapshot(repo)
    process.send_signal(sig)
    process.communicate(timeout=30)
    assert process.returncode != 0
    after = snapshot(repo)
    assert after["refs"] == before["refs"]
    assert "asyncmig/phase-2" not in after["refs"]
    assert "asyncmig-worktrees" not in after["worktrees"]
    assert after["leftovers"] == []
    assert {k: after[k] for k in ("head", "index", "status", "files")} == {
        k: before[k] for k in ("head", "index", "status", "files")
    }


def test_killed_apply_leaves_no_branch_and_the_next_run_removes_its_worktree(repo, tmp_path, asyncmig):
    process = start_slow_apply(asyncmig, repo, tmp_path / "verify-started")
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    assert "asyncmig/phase-2" not in git(repo, "branch", "--list")
    assert len(os.listdir(repo / ".git" / "asyncmig-worktrees")) == 1  # what a crash leaves
    asyncmig(repo, "apply", "--phase", "2", "--dry-run")  # any later run cleans up
    assert not (repo / ".git" / "asyncmig-worktrees").exists() or not os.listdir(repo / ".git" / "asyncmig-worktrees")
    assert "asyncmig-worktrees" not in git(repo, "worktree", "list", "--porcelain")
    assert "asyncmig/phase-2" not in git(repo, "branch", "--list")


def test_diff_includes_review_fixes_committed_on_the_phase_branch(repo, tmp_path, asyncmig):
    asyncmig(repo, "apply", "--phase", "1")
    review = tmp_path / "review"
    git(repo, "worktree", "add", "-q", str(review), "asyncmig/phase-1-jobs")
    (review / "svc" / "a" / "jobs.py").write_text(show(repo, "asyncmig/phase-1-jobs", "svc/a/jobs.py") + "# reviewed\n")
    git(review, "commit", "-q", "-am", "review fix")
    diff = asyncmig(repo, "diff", "--phase", "1").stdout
    assert diff.endswith("     return True\n+# reviewed\n")
    assert "+        await asyncio.sleep(0.01)\n" in diff
    assert [r[5] for r in plan_rows(asyncmig(repo, "plan").stdout)] == ["applied", "pending"]


def test_run_uses_the_plans_paths_and_excludes(repo, asyncmig):
    (repo / "tools").mkdir()
    (repo / "tools" / "slow.py").write_text(JOBS_A)  # outside [migration].paths
    (repo / "migrations.toml").write_text(PLAN.replace('paths = ["svc"]', 'paths = ["svc"]\nexclude = ["svc/b/**"]'))
    diff = asyncmig(repo, "run", "sleep-to-asyncio", "--dry-run").stdout
    assert [line for line in diff.splitlines() if line.startswith("diff --git")] == [
        "diff --git a/svc/a/jobs.py b/svc/a/jobs.py"
    ]
    diff = asyncmig(repo, "run", "sleep-to-asyncio", "--dry-run", "tools").stdout
    assert diff.startswith("diff --git a/tools/slow.py b/tools/slow.py\n")
