"""``asyncmig init``: a commented starter migrations.toml, from the scan, that migrates."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from asyncmig.cli.options import Jobs
from asyncmig.cli.state import STATE
from asyncmig.config import CONFIG_NAME
from asyncmig.discovery import find_root, write_atomic
from asyncmig.errors import ConfigError, GitError


def init(
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing migrations.toml.")] = False,
    jobs: Jobs = None,
) -> None:
    """Write a starter migrations.toml: one phase per codemod with sites (HTTP → fan-outs → file I/O → sleeps)."""
    started = time.monotonic()
    target = Path(STATE.config) if STATE.config else find_root(Path.cwd()) / CONFIG_NAME
    target = target.resolve()
    if target.exists() and not force:
        raise ConfigError(
            f"{target.name} already exists", path=str(target), hint="--force overwrites it"
        )
    from asyncmig import git as gitops
    from asyncmig import starter

    root = target.parent
    base = None
    try:
        base = gitops.current_branch(gitops.open_repo(root))
    except GitError:
        pass
    found = starter.build(root, target, base=base, jobs=jobs)
    err = Console(stderr=True)
    if found.text is None:
        err.print(f"nothing to migrate in the {found.files} Python files here; {target.name} not written:")
        for line in found.advice:
            err.print(f"  {escape(line)}")
        return
    write_atomic(target, found.text.encode("utf-8"))
    seconds = time.monotonic() - started
    err.print(
        f"[green]wrote[/] {escape(target.name)} in {seconds:.1f} s: "
        f"{len(found.phases)} phase{'s' if len(found.phases) != 1 else ''}"
    )
    for number, phase in enumerate(found.phases, start=1):
        counted = phase.counted
        from asyncmig.planner import estimated_files

        about = "about " if counted and estimated_files(counted) else ""
        sites = f"{about}{counted.n_changes} site{'s' if counted.n_changes != 1 else ''}" if counted else "?"
        left = f", {counted.n_skips} left alone" if counted and counted.n_skips else ""
        if counted and counted.errors:
            left += f", {len(counted.errors)} file(s) not rewritten (error)"
        err.print(f"  {number}. {escape(phase.name)} ({escape(', '.join(phase.codemods))}): {sites}{left}")
    for phase, why in found.dropped:
        err.print(f"  [dim]left out: {escape(phase.name)}: {escape(why)}[/]")
    err.print("next: asyncmig plan, then asyncmig apply --phase 1 --dry-run")
