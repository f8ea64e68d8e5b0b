"""``asyncmig check [PATHS]``: the CI guard — exit 1 while blocking calls run in async code."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from asyncmig.cli.commands.scan import NoCache, Output, collect, scope, write_report
from asyncmig.cli.state import STATE
from asyncmig.config import find_config, load_plan
from asyncmig.cli.options import Exclude, Jobs, Paths
from asyncmig.scan import Finding, message, to_sarif
from asyncmig.sites import BLOCKING_KINDS


class CheckFormat(str, Enum):
    text = "text"
    github = "github"
    sarif = "sarif"


class FailOn(str, Enum):
    async_ = "async"
    reached = "reached"


FAILING = {FailOn.async_: ("async",), FailOn.reached: ("async", "reached")}


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_annotation(f: Finding, next_step: str | None = None) -> str:
    """``::error file=...,line=...,col=...,title=...::message`` (GitHub workflow command)."""
    title = _github_escape(f"asyncmig {f.kind} ({f.priority})", prop=True)
    return (
        f"::error file={_github_escape(f.path, prop=True)},line={f.line},col={f.col},"
        f"title={title}::{_github_escape(message(f, next_step))}"
    )


def _next_steps(failing: list[Finding], no_cache: bool, jobs: int | None) -> dict[Finding, str]:
    """What really happens to each failing site (the codemods' dry passes, cached)."""
    if not failing:
        return {}
    from asyncmig.checkhints import hints

    root, _, _ = scope(None, None)
    config = STATE.config or find_config(Path.cwd())
    env = None
    if config is not None:
        from asyncmig.planner import environment

        env = environment(load_plan(Path(config)))
    return hints(failing, root, env, use_cache=not no_cache, jobs=jobs)


def check(
    paths: Paths = None,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.text,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="async: fail on blocking calls in async defs; reached: also in sync code they call.",
        ),
    ] = FailOn.async_,
    output: Output = None,
    exclude: Exclude = None,
    jobs: Jobs = None,
    no_cache: NoCache = False,
) -> None:
    """Fail (exit 1) when a blocking call runs in async context; `# asyncmig: skip` exempts a line."""
    # Only async and reached sites can fail a check: parse only what can hold them.
    result = collect(paths, exclude, jobs, no_cache, on_loop_only=True)
    contexts = FAILING[fail_on]
    # Creating or starting a thread does not block (its join does): never a failure.
    failing = [f for f in result.findings if f.context in contexts and f.kind in BLOCKING_KINDS]
    steps = _next_steps(failing, no_cache, jobs)
    if format is CheckFormat.sarif:
        write_report(to_sarif(failing, hints=steps), output)
    elif format is CheckFormat.github:
        write_report("".join(github_annotation(f, steps.get(f)) + "\n" for f in failing), output)
    else:
        write_report("".join(f"{f.path}:{f.line}:{f.col}: {message(f, steps.get(f))}\n" for f in failing), output)
    err = Console(stderr=True)
    where = "async context" if fail_on is FailOn.async_ else "async context or code it reaches"
    if failing:
        err.print(
            f"[red]{len(failing)} blocking call{'s' if len(failing) != 1 else ''} in {where}[/] "
            f"({result.files} files checked)"
        )
        for path, error in result.errors:
            err.print(f"[yellow]not analysed[/] {escape(path)}: {escape(error)}")
        sys.stdout.flush()
        raise typer.Exit(1)
    err.print(f"[green]no blocking calls in {where}[/] ({result.files} files checked)")
    for path, error in result.errors:
        err.print(f"[yellow]not analysed[/] {escape(path)}: {escape(error)}")
