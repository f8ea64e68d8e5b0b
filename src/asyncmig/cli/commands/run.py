"""``asyncmig run CODEMOD [PATHS]``: one codemod ad hoc, in place or as a diff."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from asyncmig.cli.options import CodemodOptions, DryRun, Exclude, Jobs, Paths
from asyncmig.cli.state import STATE
from asyncmig.config import find_config, load_plan
from asyncmig.diff import run_diff
from asyncmig.discovery import discover, find_root
from asyncmig.errors import UsageError
from asyncmig.report import print_diff, print_summary


def parse_key_values(items: list[str] | None) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--option expects key=value, got {item!r}")
        values[key.strip().replace("-", "_")] = value.strip()
    return values


def run(
    codemod: Annotated[str, typer.Argument(help="Codemod name (see `asyncmig codemods`).")],
    paths: Paths = None,
    dry_run: DryRun = False,
    option: CodemodOptions = None,
    exclude: Exclude = None,
    jobs: Jobs = None,
    sync_callers: Annotated[
        Optional[str],
        typer.Option(
            "--sync-callers",
            help="Blocking sync helpers under async code: report | offload | propagate "
            "(default: the config's sync_callers, else report).",
        ),
    ] = None,
    unwrap_offloads: Annotated[
        Optional[bool],
        typer.Option(
            "--unwrap-offloads/--keep-offloads",
            help="Under propagate: await asyncio.to_thread(f, ...) / run_in_executor(ex, f, ...) "
            "as f(...) when f becomes async (default: the config's unwrap_offloads, else no).",
        ),
    ] = None,
) -> None:
    """Run one codemod over PATHS: rewrite in place, or print the diff with --dry-run."""
    from asyncmig import propagate, registry
    from asyncmig.engine import CodemodSpec, run as run_engine
    from asyncmig.planner import environment

    cls = registry.get(codemod)
    spec = CodemodSpec(cls, cls.parse_options(parse_key_values(option)))
    targets = paths or [Path(".")]
    root = find_root(Path.cwd())
    excludes, env = list(exclude or ()), None
    migration, project = None, []
    config = STATE.config or find_config(Path.cwd())
    if config is not None:  # the plan's [clients], excludes and paths apply to ad-hoc runs too
        plan = load_plan(Path(config))
        root, env = Path(plan.root), environment(plan)
        excludes += plan.migration.exclude
        targets = paths or [root / p for p in plan.migration.paths]
        migration, project = plan.migration, list(plan.migration.paths)
    if sync_callers is not None and sync_callers not in ("report", "offload", "propagate"):
        raise UsageError(f"--sync-callers must be report, offload or propagate, not {sync_callers!r}")
    settings = propagate.settings_of(migration, sync_callers)
    if unwrap_offloads is not None:
        settings = dataclasses.replace(settings, unwrap_offloads=unwrap_offloads)
    specs, env, files = propagate.prepare_paths(
        [spec], env, root, targets, exclude=excludes, project_paths=project, settings=settings
    )
    result = run_engine(
        specs, targets, root, exclude=excludes, env=env, jobs=jobs, write=not dry_run, progress=True,
        files=files,
    )
    err = Console(stderr=True)
    if dry_run:
        print_diff(Console(), run_diff(result.files))
    if paths:
        _note_outside(err, paths, discover(targets, root, excludes), result, root)
    print_summary(err, result, written=not dry_run)
    sys.stdout.flush()


def _note_outside(err: Console, paths: list[Path], named: list[str], result, root: Path) -> None:
    """Say why a run limited to ``paths`` touches other files (docs/propagation.md), and
    which named file the excludes left out."""
    own = set(named)
    for path in paths:
        try:
            rel = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
        if path.is_file() and rel not in own:
            err.print(f"note {rel} is left out by an exclude glob ([migration].exclude or --exclude)", highlight=False, markup=False)
    for file in result.files:
        if file.path in own or file.status not in ("changed", "error"):
            continue
        why = next((c.why or c.what for c in file.changes), file.error or "")
        err.print(f"note {file.path} is outside the paths given, touched for them: {why}", highlight=False, markup=False)
