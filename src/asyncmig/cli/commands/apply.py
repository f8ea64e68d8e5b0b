"""``asyncmig apply --phase N``: one phase onto its own stacked branch, or its dry-run diff."""

from __future__ import annotations

import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from asyncmig.cli.commands.plan import current_plan
from asyncmig.cli.options import DryRun, Jobs
from asyncmig.diff import run_diff
from asyncmig.report import print_diff, print_summary, to_json, to_markdown

if TYPE_CHECKING:
    from asyncmig.planner import ApplyResult


class Format(str, Enum):
    diff = "diff"
    markdown = "markdown"
    json = "json"


PhaseNumber = Annotated[int, typer.Option("--phase", "-p", help="Phase number (1-based, file order).")]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="diff (git apply-able), markdown (a PR body) or json.")
]


def render(result: ApplyResult, fmt: Format, title: str, *, written: bool) -> None:
    """The result on stdout in ``fmt``; the summary and notes on stderr."""
    err = Console(stderr=True)
    for note in result.notes:
        err.print(f"[yellow]note[/] {escape(note)}")
    if fmt is Format.diff:
        print_diff(Console(), run_diff(result.result.files))
    elif fmt is Format.markdown:
        sys.stdout.write(to_markdown(result.result, title=title))
    else:
        sys.stdout.write(to_json(result.result))
    sys.stdout.flush()
    print_summary(err, result.result, written=written)


def apply(
    phase: PhaseNumber,
    dry_run: DryRun = False,
    format: FormatOption = Format.diff,
    verify: Annotated[
        bool, typer.Option("--verify", help="Run the phase's verify command; no branch when it fails.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace the phase's branch if it exists.")] = False,
    jobs: Jobs = None,
) -> None:
    """Apply phase N on branch <prefix>phase-N-<name> (never touching your checkout)."""
    plan = current_plan()
    err = Console(stderr=True)
    step = (lambda msg: err.print(f"[dim]… {escape(msg)}[/]")) if not dry_run else None
    from asyncmig.planner import apply_phase

    result = apply_phase(
        plan, phase, dry_run=dry_run, verify=verify, force=force, jobs=jobs, progress=True, on_step=step
    )
    name = result.phase.name
    if dry_run:
        render(result, format, f"asyncmig phase {phase}: {name} (dry run, from {result.base})", written=False)
        return
    if format is not Format.diff:
        render(result, format, f"asyncmig phase {phase}: {name} ({result.branch})", written=True)
    else:
        for note in result.notes:
            err.print(f"[yellow]note[/] {escape(note)}")
        print_summary(err, result.result, written=True)
    if result.verify_output is not None:
        err.print(f"[green]verify passed[/]: {escape(result.phase.verify or '')}")
    err.print(
        f"[green]created branch[/] {escape(result.branch or '')} (commit {(result.commit or '')[:12]} "
        f"on top of {escape(result.base)}); your checkout is unchanged"
    )
