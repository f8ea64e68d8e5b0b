"""``asyncmig trace [--output FILE] [--threshold MS] -- CMD ARGS...``: loop stalls, observed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from asyncmig.cli.commands.scan import scope
from asyncmig.cli.options import Exclude
from asyncmig.discovery import discover


def trace(
    command: Annotated[list[str], typer.Argument(help="The command to run, after `--` (pytest, a server under a load script...).", show_default=False)],
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Where to write the JSON report (default .asyncmig_cache/trace.json).")
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", "-t", min=0, help="Record loop callbacks that run at least this long (ms); 0: every blocking call.")
    ] = 20.0,
    paths: Annotated[
        Optional[list[Path]], typer.Option("--path", "-p", help="Project files or folders (default: the configured paths, else '.').")
    ] = None,
    exclude: Exclude = None,
) -> None:
    """Run a command with a blocking-call detector in its Python processes; report where the event loop stalled."""
    from asyncmig import trace as tracing

    root, targets, excludes = scope(paths, exclude)
    files = discover(targets, root, excludes)
    report = tracing.run(command, root, files, threshold_ms=threshold)
    target = output if output is not None else tracing.default_output(root)
    tracing.save(report, target)
    tracing.print_report(Console(stderr=True), report, target)
    sys.exit(report.exit_code)
