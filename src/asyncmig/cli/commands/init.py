"""``asyncmig init``: a commented starter migrations.toml from a dry run over the repository."""

from __future__ import annotations

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
    """Write a starter migrations.toml: phases HTTP → fan-outs → file I/O, only where there are sites."""
    target = Path(STATE.config) if STATE.config else find_root(Path.cwd()) / CONFIG_NAME
    target = target.resolve()
    if target.exists() and not force:
        raise ConfigError(
            f"{target.name} already exists", path=str(target), hint="--force overwrites it"
        )
    from asyncmig import git as gitops
    from asyncmig.planner import starter_phases, starter_toml

    root = target.parent
    base = None
    try:
        base = gitops.current_branch(gitops.open_repo(root))
    except GitError:
        pass
    phases, result = starter_phases(root, jobs=jobs)
    err = Console(stderr=True)
    if not phases:
        err.print(
            f"no codemod has a site to rewrite in the {result.scanned} Python files here; "
            f"{target.name} not written"
        )
        return
    text = starter_toml(root, phases, result, base=base)
    write_atomic(target, text.encode("utf-8"))
    err.print(f"[green]wrote[/] {escape(str(target))}: {len(phases)} phase{'s' if len(phases) != 1 else ''}")
    for number, phase in enumerate(phases, start=1):
        counted = ", ".join(f"{c} ({n})" for c, n in phase.sites.items())
        err.print(f"  {number}. {escape(phase.name)}: {escape(counted)}")
    err.print("next: asyncmig plan, then asyncmig apply --phase 1 --dry-run")
