"""``asyncmig trace [--output FILE] [--threshold MS] -- CMD ARGS...``: loop stalls, observed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from asyncmig.cli.commands.scan import scope
from asyncmig.cli.options import Exclude
from asyncmig.cli.state import STATE
from asyncmig.config import find_config, tomllib
from asyncmig.discovery import discover, find_root


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

    root, targets, excludes = _scope(paths, exclude)
    files = discover(targets, root, excludes)
    report = tracing.run(command, root, files, threshold_ms=threshold)
    target = output if output is not None else tracing.default_output(root)
    tracing.save(report, target)
    tracing.print_report(Console(stderr=True), report, target)
    sys.exit(report.exit_code if report.exit_code >= 0 else 128 - report.exit_code)  # killed by a signal


def _scope(paths: list[Path] | None, exclude: list[str] | None) -> tuple[Path, list[Path], list[str]]:
    """``scan``'s scope, reading only ``[migration]`` when it is plain (the command starts
    sooner: a full load validates codemod names, which imports every codemod and LibCST)."""
    config = STATE.config or find_config(Path.cwd())
    if paths or config is None:
        return scope(paths, exclude)
    try:
        migration = tomllib.loads(Path(config).read_text(encoding="utf-8")).get("migration", {})
        given, excluded = migration.get("paths", ["."]), migration.get("exclude", [])
    except (OSError, ValueError, AttributeError):
        return scope(paths, exclude)  # the full load says what is wrong, with file and line
    plain = all(isinstance(v, list) and all(isinstance(i, str) and i and ".." not in i and not i.startswith("/") for i in v) for v in (given, excluded))
    if not plain or not given:
        return scope(paths, exclude)
    folder = Path(config).resolve().parent
    return find_root(folder), [folder / p for p in given], [*excluded, *(exclude or [])]
