"""``asyncmig plan``: the phases of migrations.toml, their branches, status and size."""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from asyncmig.cli.options import Jobs
from asyncmig.cli.state import STATE
from asyncmig.config import Plan, find_config, load_plan
from asyncmig.discovery import find_root
from asyncmig.errors import ConfigError

STATE_STYLE = {"applied": "green", "pending": "yellow", "stale": "red"}


def current_plan() -> Plan:
    """The plan named by ``--config``, else the migrations.toml found walking up from here."""
    path = STATE.config or find_config(Path.cwd())
    if path is None:
        from asyncmig.starter import nothing_to_migrate

        advice = nothing_to_migrate(find_root(Path.cwd()))
        if advice is not None:  # init ran and found nothing: do not send the user back to it
            raise ConfigError(
                "no migrations.toml: asyncmig init found nothing to migrate in this code\n  "
                + "\n  ".join(advice),
                hint="asyncmig scan lists every blocking call; --config names a plan elsewhere",
            )
        raise ConfigError(
            "no migrations.toml found in this folder or its parents (up to the repository root)",
            hint="asyncmig init writes a starter plan; --config names one elsewhere",
        )
    return load_plan(Path(path))


def plan(jobs: Jobs = None) -> None:
    """Show the phases: codemods, paths, branch, status and the sites each would change."""
    current = current_plan()
    from asyncmig.planner import status

    rows = status(current, jobs=jobs)
    title = (
        f"{current.migration.name} ({Path(current.path).name}): "
        f"paths {', '.join(current.migration.paths)}"
    )
    table = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True
    )
    narrowed = any(p.paths for p in current.phases)  # else the title lists the paths
    skipping = any(r.skips for r in rows)
    shown = [
        c for c in ("#", "phase", "codemods", "paths", "branch", "status", "sites", "skips")
        if (c != "paths" or narrowed) and (c != "skips" or skipping)
    ]
    for column in shown:
        table.add_column(
            column,
            justify="right" if column in ("#", "sites", "skips") else "left",
            overflow="fold",
            no_wrap=column in ("phase", "codemods", "branch", "status"),
        )
    for row in rows:
        phase = row.phase
        cells = {
            "#": str(phase.number),
            "phase": phase.name,
            "codemods": "\n".join(phase.codemods),
            "paths": "\n".join(phase.paths or ("(all)",)),
            "branch": row.branch,
            "status": f"[{STATE_STYLE[row.state]}]{row.state}[/]",
            "sites": "—" if row.changes is None else f"{'~' if row.estimated else ''}{row.changes} in {_plural(row.files, 'file')}",
            "skips": "—" if row.skips is None else str(row.skips),
        }
        table.add_row(*(cells[c] for c in shown))
    console = Console()
    console.print(table)
    if any(r.estimated for r in rows):
        console.print(
            "[dim]~: some files are counted from the scan (their sites, before the codemods decide "
            "which they rewrite); each plan counts more of them exactly, apply --dry-run all[/]"
        )
    console.print(
        "[dim]status: applied = the branch exists and was made from this migrations.toml; "
        "stale = made from another version of it; sites = what the phase would change "
        "in the working tree now (skips: sites it would leave alone)[/]"
    )


def _plural(n: int | None, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
