"""Phases of a migrations.toml: status, dry runs, ``apply`` onto stacked branches, ``diff``.

``apply --phase N`` (DESIGN §6):

1. refuses, changing nothing, when the plan is not in a git repository, the previous
   phase's branch is missing, the phase's branch exists (without ``force``) or a file in
   scope has uncommitted changes;
2. checks out the base (phase 1: ``[migration].base`` or the current branch; phase N: the
   branch of phase N-1) in a temporary detached worktree and runs the phase's codemods
   there with the engine (``write=True``);
3. optionally runs the phase's ``verify`` command there and refuses on failure;
4. commits on the detached HEAD (message: per codemod the files, changes and skips, and
   the ``Asyncmig-Phase`` / ``Asyncmig-Plan`` trailers), removes the worktree and only then
   creates the branch ref: an interruption leaves no branch and no worktree.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from asyncmig import git as gitops
from asyncmig import registry, testrun
from asyncmig.cache import FileCache
from asyncmig.codemod import COUNT_ONLY
from asyncmig.config import Phase, Plan
from asyncmig.discovery import find_root
from asyncmig.engine import CodemodSpec
from asyncmig.engine import run as run_engine
from asyncmig.engine import write_results
from asyncmig.errors import AsyncmigError, GitError
from asyncmig.models import Change, Environment, FileResult, RunResult, Skip

PhaseState = Literal["applied", "pending", "stale"]
HTTP_CODEMOD = "requests-to-httpx"
LIFECYCLE = "client-lifecycle"  # asyncmig.lifecycle.NAME (imported lazily: it needs LibCST)
# Enough of the verify output to see why it failed, not a whole CI log.
VERIFY_OUTPUT_CHARS = 6000


class VerifyError(AsyncmigError):
    """The phase's ``verify`` command failed in the worktree: no branch was created."""


def environment(plan: Plan, root: Path | None = None) -> Environment:
    """What the codemods know about the project: the ``[clients]`` and ``[executors]``
    tables and, given the project's folder, how its files import each other
    (``import_style``)."""
    settings: tuple[tuple[str, object], ...] = (("clients", plan.clients), ("executors", plan.executors))
    if root is not None:
        style, tops = project_layout(root, plan.migration.paths, plan.migration.exclude)
        if style is not None:
            settings += (("import_style", style),)
        settings += (("first_party", tops), ("line_length", line_length(root)))
    return Environment(settings=settings)


def line_length(root: Path) -> int:
    """The project's line length: ``[tool.ruff] line-length`` (pyproject.toml, ruff.toml,
    .ruff.toml), else ``[tool.black] line-length``, else 88 (what both default to)."""
    from asyncmig.config import tomllib
    from asyncmig.imports import DEFAULT_LINE_LENGTH

    root = Path(root)
    for name, keys in (
        ("ruff.toml", ("line-length",)),
        (".ruff.toml", ("line-length",)),
        ("pyproject.toml", ("tool", "ruff", "line-length")),
        ("pyproject.toml", ("tool", "black", "line-length")),
    ):
        try:
            value: object = tomllib.loads((root / name).read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return DEFAULT_LINE_LENGTH


_RELATIVE_IMPORT = re.compile(rb"^[ \t]*from[ \t]+\.", re.MULTILINE)
_ABSOLUTE_IMPORT = re.compile(rb"^[ \t]*(?:from|import)[ \t]+([A-Za-z_]\w*)", re.MULTILINE)


def project_layout(
    root: Path, paths: Sequence[str], exclude: Sequence[str]
) -> tuple[str | None, tuple[str, ...]]:
    """How the project's files import its own packages (``"relative"`` or ``"absolute"``,
    by count of import lines; a file with no such import of its own gets this style), and
    the project's top-level package names (first party, for import sorting)."""
    from asyncmig.discovery import discover

    root = Path(root).resolve()
    rels = discover([root / p for p in paths if (root / p).exists()], root, exclude)
    folders = {rel.rpartition("/")[0] for rel in rels if rel.endswith("/__init__.py")}
    tops = set()
    for folder in folders:
        while folder.rpartition("/")[0] in folders:
            folder = folder.rpartition("/")[0]
        tops.add(folder.rpartition("/")[2].encode())
    relative = absolute = 0
    for rel in rels:
        try:
            source = (root / rel).read_bytes()
        except OSError:
            continue
        relative += len(_RELATIVE_IMPORT.findall(source))
        absolute += sum(1 for name in _ABSOLUTE_IMPORT.findall(source) if name in tops)
    names = tuple(sorted(t.decode() for t in tops))
    if not relative and not absolute:
        return None, names
    return ("relative" if relative > absolute else "absolute"), names


def specs_for(phase: Phase) -> list[CodemodSpec]:
    specs = []
    for name in phase.codemods:
        cls = registry.get(name)
        specs.append(CodemodSpec(cls, cls.parse_options(phase.options_for(name))))
    return specs


def run_phase(
    plan: Plan,
    phase: Phase,
    root: Path,
    *,
    write: bool = False,
    jobs: int | None = None,
    progress: bool = False,
) -> RunResult:
    """The phase's codemods over its paths below ``root`` (the plan's folder or its copy)."""
    paths = [root / p for p in plan.paths_of(phase) if (root / p).exists()]
    if not paths:
        return RunResult()
    specs, env, files = specs_for(phase), environment(plan, root), None
    settings = plan.settings_of(phase)
    if settings.sync_callers != "report":  # async propagation (DESIGN §5), per phase (§9)
        from asyncmig import propagate

        specs, env, files = propagate.prepare_paths(
            specs, env, root, paths, exclude=plan.migration.exclude,
            project_paths=plan.migration.paths, settings=propagate.settings_of(settings),
            options=phase.options_for(propagate.CODEMOD),
        )
    elif "requests-to-httpx" in phase.codemods:  # the tests' mocks follow the code (docs/tests.md)
        from asyncmig import testcallers

        specs, env, files = testcallers.with_tests(specs, env, None, None, testcallers.suite_for(root))
    result = run_engine(
        specs,
        paths,
        root,
        exclude=plan.migration.exclude,
        env=env,
        jobs=jobs,
        progress=progress,
        files=files,
    )
    if any(f.old is None and f.status == "changed" for f in result.files):  # a generated module
        from asyncmig import lifecycle
        from asyncmig.discovery import discover

        project = [root / p for p in plan.migration.paths if (root / p).exists()]
        result = lifecycle.wire(root, result, discover(project, root, plan.migration.exclude), env)
    return write_results(root, result) if write else result


# -- status ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseStatus:
    phase: Phase
    branch: str
    state: PhaseState
    changes: int | None = None  # sites the phase would change in the working tree (not
    # counting files a codemod generates, like the shared client module)
    skips: int | None = None
    files: int | None = None
    estimated: int = 0  # files whose sites come from the scan (not counted by the codemods yet)


def status(plan: Plan, *, count: bool = True, jobs: int | None = None) -> list[PhaseStatus]:
    """Every phase with its branch and state; ``count`` adds the sites each would change."""
    repo = _try_repo(plan)
    if repo is not None:
        gitops.cleanup_stale(repo)
    counted = count_phases(plan, plan.phases, jobs=jobs) if count else {}
    rows = []
    for phase in plan.phases:
        branch = plan.branch(phase)
        state: PhaseState = "pending"
        if repo is not None and gitops.branch_commit(repo, branch):
            found = gitops.find_phase_commit(repo, branch, phase.number)
            state = "applied" if found and found.plan_sha256 == plan.sha256 else "stale"
        result = counted.get(phase.number)
        if result is None:
            rows.append(PhaseStatus(phase, branch, state))
            continue
        rows.append(
            PhaseStatus(
                phase, branch, state, result.n_changes, result.n_skips, len(result.changed),
                len(estimated_files(result)),
            )
        )
    return rows


# -- counting sites (plan, init) ----------------------------------------------------------

RESULTS_NAMESPACE = "phase-results"


def count_phases(
    plan: Plan, phases: Sequence[Phase], *, jobs: int | None = None, scanned=None
) -> dict[int, RunResult]:
    """What each phase would change in the working tree now: changes and skips per file.

    Not a dry run of every file: the scan (cached per file by content) lists the blocking
    calls, and only the files holding a site of the phase's codemods in async context go
    through the codemods; each such file's result is cached by its content, the codemods
    and the settings, so the next ``plan`` parses nothing that did not change. A phase that
    propagates (``sync_callers`` offload or propagate) needs the project's call graph and
    runs in full. Files a codemod generates (the shared client module) are not counted.
    """
    from asyncmig.engine import transform_files
    from asyncmig.scan import scan

    root = Path(plan.root).resolve()
    if scanned is None:
        scanned = scan(list(plan.migration.paths), root, exclude=plan.migration.exclude, jobs=jobs)
    cache = FileCache(root, RESULTS_NAMESPACE, _code_version())
    counted: dict[int, list[FileResult]] = {}
    parsed: dict[int, int] = defaultdict(int)
    missing: list[tuple[int, str, str | None, str, list, Environment]] = []
    for phase in phases:
        if plan.settings_of(phase).sync_callers != "report":
            result = run_phase(plan, phase, root, jobs=jobs)
            counted[phase.number] = [f for f in result.files if f.old is not None or f.status != "changed"]
            continue
        specs = specs_for(phase)
        env = environment(plan, root)
        env = dataclasses.replace(env, settings=(*env.settings, ("root", str(root)), (COUNT_ONLY, True)))
        # The [clients] table only matters to the HTTP codemod: init's draft has one that a
        # plan without an HTTP phase drops, and the other phases' results stay valid.
        keyed = [kv for kv in env.settings if kv[0] != "clients" or HTTP_CODEMOD in phase.codemods]
        setup = hashlib.sha256(repr(([(s.cls.NAME, s.options) for s in specs], keyed)).encode()).hexdigest()
        counted[phase.number] = []
        for rel in site_files(plan, phase, scanned):
            digest, _ = cache.fingerprint(rel)
            key = f"{digest}\0{rel}\0{setup}"
            hit = cache.get(key) if digest else None
            if isinstance(hit, FileResult):
                counted[phase.number].append(hit)
            else:
                missing.append((phase.number, rel, digest, key, specs, env))
    # Within the budget (smallest files first) the codemods count exactly; past it the scan's
    # own sites stand in (the file is estimated), and the next run counts more of them.
    budget = max(EXACT_LINES_MIN, int(scanned.lines * EXACT_SHARE))
    sizes = {rel: _line_count(root / rel) for _, rel, *_ in missing}
    exact, estimated = [], []
    for item in sorted(missing, key=lambda m: (sizes[m[1]], m[1])):
        if sizes[item[1]] <= budget or not exact:  # at least one file a run: counts converge
            budget -= sizes[item[1]]
            exact.append(item)
        else:
            estimated.append(item)
    guessed: dict[int, set[str]] = defaultdict(set)
    for number, rel, *_ in estimated:
        phase = next(p for p in phases if p.number == number)
        counted[number].append(_from_scan(rel, phase, scanned))
        guessed[number].add(rel)
    fresh = transform_files(root, [(rel, specs, env) for _, rel, _, _, specs, env in exact], jobs=jobs)
    for (number, rel, digest, key, _, _), found in zip(exact, fresh):
        found = dataclasses.replace(found, old=None, new=None)  # counts only: no bytes kept
        counted[number].append(found)
        parsed[number] += 1
        if digest and not (found.error or "").startswith("cannot read"):
            cache.put(key, found)
    cache.save()
    return {
        number: RunResult(
            files=tuple(sorted(files, key=lambda f: f.path)),
            scanned=len(files),
            parsed=parsed[number],
            extra={"estimated": tuple(sorted(guessed[number]))},
        )
        for number, files in counted.items()
    }


# LibCST and the codemods cost some 100 times what the scan's ast pass does per line: counting
# exactly at most 1% of the project's lines per run (at least 600) keeps plan and init within about
# 3x a cold scan. Cached files cost nothing, so each run makes more of the counts exact.
EXACT_SHARE = 0.01
EXACT_LINES_MIN = 600
ESTIMATED = "(from the scan: apply --dry-run counts it exactly)"


def estimated_files(result: RunResult) -> tuple[str, ...]:
    """Files of a count whose sites come from the scan, not from the codemods."""
    return tuple(result.extra.get("estimated", ()))


def _from_scan(rel: str, phase: Phase, scanned) -> FileResult:
    found = [
        f for f in scanned.findings
        if f.path == rel and f.codemod in phase.codemods and f.context == "async"
    ]
    changes = tuple(Change(f.line, f.col, f.codemod or "", f"{f.call} {ESTIMATED}") for f in found)
    return FileResult(rel, "changed", changes)


def _line_count(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n") + 1
    except OSError:
        return 0


def site_files(plan: Plan, phase: Phase, scanned) -> list[str]:
    """Files (relative to the plan's folder) with a site of the phase's codemods in async
    context, under the phase's paths."""
    scopes = [p.strip("/") for p in plan.paths_of(phase)]
    files = {
        f.path for f in scanned.findings if f.codemod in phase.codemods and f.context == "async"
    }
    return sorted(p for p in files if any(s in ("", ".") or p == s or p.startswith(s + "/") for s in scopes))


@functools.lru_cache(maxsize=1)
def _code_version() -> str:
    """asyncmig's version plus a stamp of its own source files (an upgrade or a local edit
    of a codemod invalidates cached results)."""
    import asyncmig
    from asyncmig import codemods

    stamp = hashlib.sha256(asyncmig.__version__.encode())
    for folder in (Path(asyncmig.__file__).parent, Path(codemods.__file__).parent):
        for path in sorted(folder.rglob("*.py*")):
            try:
                info = path.stat()
            except OSError:
                continue
            stamp.update(f"{path.name}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return stamp.hexdigest()[:16]


def _try_repo(plan: Plan):
    try:
        return gitops.open_repo(Path(plan.root))
    except GitError:
        return None


# -- apply -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplyResult:
    phase: Phase
    branch: str | None  # None for a dry run
    base: str  # what the phase started from (a branch name or a sha)
    commit: str | None
    result: RunResult  # paths relative to the repository root
    verify_output: str | None = None
    notes: tuple[str, ...] = ()


def apply_phase(
    plan: Plan,
    number: int,
    *,
    dry_run: bool = False,
    verify: bool = False,
    force: bool = False,
    jobs: int | None = None,
    progress: bool = False,
    on_step: Callable[[str], None] | None = None,
) -> ApplyResult:
    """Apply phase ``number`` on its own branch, or compute its diff with ``dry_run``."""
    phase = plan.phase(number)
    step = on_step or (lambda _msg: None)
    plan_root = Path(plan.root)

    if dry_run:
        repo = _try_repo(plan)
        if repo is None:
            if number != 1:
                raise GitError(
                    f"phase {number} builds on phase {number - 1}'s branch, and "
                    f"{plan_root} is not in a git repository"
                )
            result = run_phase(plan, phase, plan_root, jobs=jobs, progress=progress)
            return ApplyResult(phase, None, "working tree", None, result)
    else:
        repo = gitops.open_repo(plan_root)
    gitops.cleanup_stale(repo)

    top = gitops.work_tree(repo)
    prefix = plan_root.relative_to(top).as_posix() if plan_root != top else ""
    base_name, base_sha = _base(repo, plan, phase)
    branch = plan.branch(phase)
    notes: list[str] = []

    if number > 1:
        previous = plan.phases[number - 2]
        found = gitops.find_phase_commit(repo, base_name, previous.number)
        if found is not None and found.plan_sha256 != plan.sha256:
            notes.append(
                f"phase {previous.number}'s branch {base_name} was made from another version "
                "of migrations.toml (stale); this phase stacks on it as it is"
            )

    scope = [_join(prefix, p) for p in plan.paths_of(phase)]
    scope += [_join(prefix, c.module) for c in plan.clients if c.module]
    dirty = gitops.dirty_files(repo, scope)

    if dry_run:
        if dirty:
            notes.append(
                "uncommitted changes in scope are not part of this diff (apply works from "
                f"{base_name}): {', '.join(dirty[:5])}{' …' if len(dirty) > 5 else ''}"
            )
        with tempfile.TemporaryDirectory(prefix="asyncmig-dry-run-") as tmp:
            export = Path(tmp)
            propagates = plan.settings_of(phase).sync_callers != "report"
            project = [_join(prefix, p) for p in plan.migration.paths] if propagates else []
            gitops.export_tree(repo, base_sha, scope + project + [_join(prefix, ".gitignore")], export)
            result = run_phase(plan, phase, export / prefix, jobs=jobs, progress=progress)
        return ApplyResult(phase, None, base_name, None, _rebase(result, prefix), notes=tuple(notes))

    if gitops.branch_commit(repo, branch) and not force:
        raise GitError(
            f"branch {branch} already exists (phase {number} was applied)",
            hint="asyncmig diff --phase N shows it; --force replaces it",
        )
    if force and branch in gitops.branches_checked_out(repo):
        raise GitError(
            f"branch {branch} is checked out in a worktree; asyncmig never moves a checked-out branch",
            hint="switch to another branch first",
        )
    if dirty:
        shown = "\n  ".join(dirty[:20])
        raise GitError(
            f"uncommitted changes in the files of phase {number}:\n  {shown}",
            hint="commit or stash them first: apply works from committed code only",
        )

    env = gitops.identity_env(repo)
    with gitops.interruptible():
        step(f"checking out {base_name} in a temporary worktree")
        with gitops.temporary_worktree(repo, base_sha) as tree:
            root = tree / prefix if prefix else tree
            before = None
            if verify and phase.verify:  # the before count of the project's tests (docs/tests.md)
                step(f"verifying the base: {phase.verify}")
                before = _verify(plan, phase, root, check=False)
            step(f"running {', '.join(phase.codemods)}")
            result = _rebase(run_phase(plan, phase, root, write=True, jobs=jobs, progress=progress), prefix)
            verify_output = None
            if verify and phase.verify:
                step(f"verifying: {phase.verify}")
                verify_output = _verify(plan, phase, root)
            message = commit_message(plan, phase, result, base_name)
            message = testrun.with_counts(message, testrun.line(before, verify_output, phase.verify or ""))
            step("committing")
            sha = gitops.commit_all(tree, message, env)
        gitops.create_branch(repo, branch, sha, force=force)
    return ApplyResult(phase, branch, base_name, sha, result, verify_output, tuple(notes))


def _base(repo, plan: Plan, phase: Phase) -> tuple[str, str]:
    if phase.number > 1:
        previous = plan.phases[phase.number - 2]
        name = plan.branch(previous)
        sha = gitops.branch_commit(repo, name)
        if sha is None:
            raise GitError(
                f"phase {phase.number - 1} ({previous.name}) is not applied: branch {name} does not exist",
                hint=f"run asyncmig apply --phase {phase.number - 1} first",
            )
        return name, sha
    name = plan.migration.base or gitops.current_branch(repo)
    if name is None:
        sha = gitops.resolve_commit(repo, "HEAD")
        if sha is None:
            raise GitError("the repository has no commit yet", hint="commit the code first")
        return sha[:12], sha
    sha = gitops.branch_commit(repo, name) or gitops.resolve_commit(repo, name)
    if sha is None:
        raise GitError(
            f"base {name!r} does not name a commit",
            hint="set [migration].base to an existing branch, or commit first",
        )
    return name, sha


def verify_environment(
    plan: Plan, phase: Phase, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment ``verify`` runs in: the one asyncmig was started from, minus
    asyncmig's own virtual environment, plus the interpreter the plan names.

    asyncmig's venv (the one running this code) leaves ``PATH`` and ``VIRTUAL_ENV`` unless
    it lies inside the repository (then it is the project's own venv, with asyncmig
    installed as a dev tool). ``python`` (the phase's, else ``[migration]``'s: absolute, or
    relative to the plan's folder) goes first on ``PATH``, and is ``VIRTUAL_ENV`` when it
    belongs to one, so ``python``/``pytest`` in the command are the project's.
    """
    env = dict(os.environ if environ is None else environ)
    own = Path(sys.prefix).resolve()
    repo = find_root(Path(plan.root))
    if own != Path(sys.base_prefix).resolve() and repo not in (own, *own.parents):
        scripts = own / ("Scripts" if os.name == "nt" else "bin")
        kept = [p for p in env.get("PATH", "").split(os.pathsep) if p and _resolved(p) != scripts]
        env["PATH"] = os.pathsep.join(kept)
        if env.get("VIRTUAL_ENV") and _resolved(env["VIRTUAL_ENV"]) == own:
            del env["VIRTUAL_ENV"]
    python = phase.python or plan.migration.python
    if python:
        interpreter = Path(python) if Path(python).is_absolute() else Path(plan.root) / python
        if not interpreter.is_file():
            raise VerifyError(
                f"the interpreter for verify does not exist: {python}",
                hint="set python in migrations.toml to an existing interpreter (relative to the plan's folder)",
            )
        folder = interpreter.parent
        env["PATH"] = os.pathsep.join([str(folder), *(p for p in env.get("PATH", "").split(os.pathsep) if p)])
        if (folder.parent / "pyvenv.cfg").is_file():
            env["VIRTUAL_ENV"] = str(folder.parent)
    return env


def _resolved(path: str) -> Path:
    try:
        return Path(path).resolve()
    except OSError:
        return Path(path)


def _verify(plan: Plan, phase: Phase, root: Path, check: bool = True) -> str:
    env = verify_environment(plan, phase)
    process = subprocess.Popen(
        phase.verify,
        shell=True,
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate()
    except BaseException:
        _kill_group(process)
        raise
    text = output.decode("utf-8", errors="replace")
    if process.returncode != 0 and check:
        raise VerifyError(
            f"verify failed (exit {process.returncode}): {phase.verify}\n{_tail(text)}",
            hint="no branch was created; fix the code or the phase, then apply again",
        )
    return text


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, 9)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def _tail(text: str) -> str:
    text = text.rstrip()
    if len(text) <= VERIFY_OUTPUT_CHARS:
        return text
    return "…\n" + text[-VERIFY_OUTPUT_CHARS:]


def _join(prefix: str, path: str) -> str:
    path = path.strip("/")
    if path in ("", "."):
        return prefix or "."
    return f"{prefix}/{path}" if prefix else path


def _rebase(result: RunResult, prefix: str) -> RunResult:
    """Paths relative to the repository root (what ``git apply`` and reviewers see)."""
    if not prefix:
        return result
    files = tuple(dataclasses.replace(f, path=_join(prefix, f.path)) for f in result.files)
    return dataclasses.replace(result, files=files)


# -- the commit message --------------------------------------------------------------------


TESTS = "tests-to-async"


def commit_message(plan: Plan, phase: Phase, result: RunResult, base: str) -> str:
    """Subject, per-codemod listing of files/changes/skips, then the trailers.

    The listing is also what ``diff --phase N`` reads back (``parse_listing``).
    """
    changed = result.changed
    lines = [
        f"asyncmig phase {phase.number}: {phase.name}",
        "",
        (
            f"Phase {phase.number} ({phase.name}) of migration {plan.migration.name!r}, on {base}: "
            f"{_plural(result.n_changes, 'change')} in {_plural(len(changed), 'file')}, "
            f"{_plural(result.n_skips, 'skip')}."
        ),
    ]
    propagation = "async-propagation"  # runs with sync_callers (DESIGN §5), listed when it acted
    # ... the project's tests follow the code (docs/tests.md)
    # ... and so does the wiring of the client module into the app (asyncmig.lifecycle)
    extra = tuple(
        name
        for name in (propagation, LIFECYCLE, TESTS)
        if any(c.codemod == name for f in result.files for c in f.changes)
        or any(s.codemod == name for f in result.files for s in f.skips)
    )
    for codemod in (*phase.codemods, *extra):
        files = [f for f in result.files if any(c.codemod == codemod for c in f.changes)]
        skips = [(f.path, s) for f in result.files for s in f.skips if s.codemod == codemod]
        n_changes = sum(1 for f in files for c in f.changes if c.codemod == codemod)
        lines += [
            "",
            (
                f"{codemod}: {_plural(len(files), 'file')}, {_plural(n_changes, 'change')}, "
                f"{_plural(len(skips), 'skip')}"
            ),
        ]
        for f in files:
            own = [c for c in f.changes if c.codemod == codemod]
            lines.append(f"  {f.path}: {_plural(len(own), 'change')}")
            lines += [
                f"    line {c.line}: {_one_line(c.what)}"
                + (f" (why: {_one_line(c.why)})" if codemod == propagation and c.why else "")
                for c in own
            ]
        lines += [f"  skip {path}:{s.line}: {_one_line(s.reason)}" for path, s in skips]
    generated = [f for f in changed if not f.changes]
    others = [
        (f.path, s) for f in result.files for s in f.skips
        if s.codemod not in phase.codemods and s.codemod not in extra
    ]
    if generated or others or result.errors:
        lines += ["", "other:"]
        lines += [f"  {f.path}: {'new file' if f.old is None else 'updated'}" for f in generated]
        lines += [f"  skip {path}:{s.line}: {_one_line(s.reason)}" for path, s in others]
        lines += [f"  error {f.path}: {_one_line(f.error or '')}" for f in result.errors]
    lines += [
        "",
        f"{gitops.PHASE_TRAILER}: {phase.number}",
        f"{gitops.PLAN_TRAILER}: {plan.sha256}",
        "",
    ]
    return "\n".join(lines)


_CODEMOD = re.compile(r"^([a-z0-9][a-z0-9-]*|other): ?")
_FILE = re.compile(r"^  (?!skip |error )(.+): \d+ changes?$")
_CHANGE = re.compile(r"^    line (\d+): (.*)$")
_SKIP = re.compile(r"^  skip (.+?):(\d+): (.*)$")
_ERROR = re.compile(r"^  error (.+?): (.*)$")


def parse_listing(message: str) -> tuple[dict[str, list[Change]], dict[str, list[Skip]], dict[str, str]]:
    """Changes, skips and errors per path, read back from ``commit_message``'s listing."""
    changes: dict[str, list[Change]] = defaultdict(list)
    skips: dict[str, list[Skip]] = defaultdict(list)
    errors: dict[str, str] = {}
    codemod = "*"
    path = None
    for line in message.splitlines():
        if match := _CODEMOD.match(line):
            codemod, path = ("*" if match.group(1) == "other" else match.group(1)), None
        elif match := _FILE.match(line):
            path = match.group(1)
        elif (match := _CHANGE.match(line)) and path:
            changes[path].append(Change(int(match.group(1)), 0, codemod, match.group(2)))
        elif match := _SKIP.match(line):
            skips[match.group(1)].append(Skip(int(match.group(2)), 0, codemod, match.group(3)))
        elif match := _ERROR.match(line):
            errors[match.group(1)] = match.group(2)
    return dict(changes), dict(skips), errors


# -- diff ------------------------------------------------------------------------------------


def diff_phase(plan: Plan, number: int) -> ApplyResult:
    """The applied phase branch against its base, as a RunResult for the three formats."""
    phase = plan.phase(number)
    repo = gitops.open_repo(Path(plan.root))
    gitops.cleanup_stale(repo)
    branch = plan.branch(phase)
    tip = gitops.branch_commit(repo, branch)
    if tip is None:
        raise GitError(
            f"phase {number} ({phase.name}) is not applied: branch {branch} does not exist",
            hint=f"asyncmig apply --phase {number} creates it (--dry-run shows the diff first)",
        )
    found = gitops.find_phase_commit(repo, branch, number)
    if found is None:
        raise GitError(
            f"branch {branch} has no commit with trailer {gitops.PHASE_TRAILER}: {number}",
            hint="was it made by asyncmig apply?",
        )
    changes, skips, errors = parse_listing(found.message)
    files: list[FileResult] = []
    seen = set()
    for path, old, new in gitops.changed_files(repo, found.parent, tip):
        seen.add(path)
        files.append(
            FileResult(
                path,
                "changed",
                tuple(changes.get(path, ())),
                tuple(skips.get(path, ())),
                old=old,
                new=new,
            )
        )
    for path in sorted(set(skips) | set(errors)):
        if path in seen:
            continue
        status = "error" if path in errors else "unchanged"
        files.append(FileResult(path, status, skips=tuple(skips.get(path, ())), error=errors.get(path)))
    files.sort(key=lambda f: f.path)
    result = RunResult(files=tuple(files), scanned=len(files), parsed=len(files))
    tests = testrun.read(found.message)
    if tests:
        result.extra["tests"] = tests
    notes = ()
    if found.plan_sha256 != plan.sha256:
        notes = ("the branch was made from another version of migrations.toml (stale)",)
    return ApplyResult(phase, branch, found.parent[:12], tip, result, notes=notes)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _one_line(text: str) -> str:
    return " ".join(text.split())


__all__ = [
    "ApplyResult",
    "PhaseStatus",
    "VerifyError",
    "apply_phase",
    "commit_message",
    "diff_phase",
    "count_phases",
    "environment",
    "estimated_files",
    "parse_listing",
    "run_phase",
    "specs_for",
    "status",
    "verify_environment",
]
