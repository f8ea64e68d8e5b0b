"""``asyncmig scan [PATHS]``: the inventory of blocking call sites (the audit table)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from asyncmig.cli.options import Exclude, Jobs, Paths
from asyncmig.cli.state import STATE
from asyncmig.config import find_config, load_plan
from asyncmig.discovery import discover, find_root
from asyncmig.errors import UsageError
from asyncmig.scan import ScanResult, print_table, scan as run_scan, to_json, to_markdown, to_sarif


class ScanFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    sarif = "sarif"


NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Neither read nor write .asyncmig_cache/.")
]
Output = Annotated[
    Optional[Path], typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
]


def scope(paths: list[Path] | None, exclude: list[str] | None) -> tuple[Path, list[Path], list[str]]:
    """Root, paths and excludes: the command line's, else migrations.toml's, else '.'.

    With no PATHS, a ``migrations.toml`` (``--config`` or found walking up) gives
    ``[migration].paths`` and ``exclude``; its directory is the root.
    """
    root, targets, excludes, _ = _scope(paths, exclude)
    return root, targets, excludes


def _scope(paths, exclude) -> tuple[Path, list[Path], list[str], list[str] | None]:
    """:func:`scope` plus the configured import roots (relative to the root), if any."""
    config = STATE.config or find_config(Path.cwd())
    excludes = list(exclude or [])
    plan = load_plan(Path(config)) if config is not None else None
    import_roots = None
    if plan is not None and plan.migration.import_roots is not None:
        base = Path(plan.root).resolve()
        top = find_root(base)
        import_roots = [
            "" if (base / r).resolve() == top else (base / r).resolve().relative_to(top).as_posix()
            for r in plan.migration.import_roots
        ]
    if paths:
        return find_root(Path.cwd()), [Path.cwd() / p for p in paths], excludes, import_roots
    if plan is not None:
        root = Path(plan.root)
        return (
            find_root(root), [root / p for p in plan.migration.paths],
            [*plan.migration.exclude, *excludes], import_roots,
        )
    return find_root(Path.cwd()), [Path(".")], excludes, None


def collect(paths, exclude, jobs, no_cache, *, on_loop_only: bool = False) -> ScanResult:
    root, targets, excludes, import_roots = _scope(paths, exclude)
    result = run_scan(
        targets, root, exclude=excludes, jobs=jobs, use_cache=not no_cache, progress=True,
        on_loop_only=on_loop_only, import_roots=import_roots,
    )
    if result.notes:
        err = Console(stderr=True)
        for note in result.notes:
            err.print(f"[yellow]note[/] {escape(note)}", highlight=False, soft_wrap=True)
    return result


def write_report(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc


def scan(
    paths: Paths = None,
    format: Annotated[ScanFormat, typer.Option("--format", "-f", help="Report format.")] = ScanFormat.table,
    output: Output = None,
    exclude: Exclude = None,
    jobs: Jobs = None,
    no_cache: NoCache = False,
    trace: Annotated[
        Optional[Path], typer.Option("--trace", help="Merge an `asyncmig trace` report: observed stalls per site, runtime-only sites.")
    ] = None,
) -> None:
    """List every blocking call with its context (async / reached / sync), priority P0–P3, timeout and codemod."""
    result = collect(paths, exclude, jobs, no_cache)
    if trace is not None:
        from asyncmig.trace import report_scan

        root, targets, excludes = scope(paths, exclude)
        files = discover(targets, root, excludes)
        return report_scan(result, trace, root, files, format.value, output, write_report)
    if format is ScanFormat.table:
        if output is None:
            print_table(Console(), result)
        else:
            with output.open("w", encoding="utf-8") as handle:
                print_table(Console(file=handle, width=200, no_color=True), result)
        return
    if format is ScanFormat.json:
        text = to_json(result)
    elif format is ScanFormat.markdown:
        text = to_markdown(result)
    else:
        text = to_sarif(result.findings)
    write_report(text, output)
    if output is not None:
        Console(stderr=True).print(
            f"{len(result.findings)} blocking call sites in {result.files} files → {output}", highlight=False
        )
