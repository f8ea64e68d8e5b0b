"""The ``asyncmig`` command: wires the command modules, maps domain errors to exit 2."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from asyncmig.cli.commands.apply import apply
from asyncmig.cli.commands.check import check
from asyncmig.cli.commands.codemods import codemods
from asyncmig.cli.commands.diff import diff
from asyncmig.cli.commands.init import init
from asyncmig.cli.commands.monitor import monitor
from asyncmig.cli.commands.plan import plan
from asyncmig.cli.commands.run import run
from asyncmig.cli.commands.scan import scan
from asyncmig.cli.commands.trace import trace
from asyncmig.cli.state import STATE
from asyncmig.errors import AsyncmigError

app = typer.Typer(
    name="asyncmig",
    help="Migrate a blocking Python service to asyncio, one reviewable phase at a time.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _main(
    config: Annotated[
        Optional[Path],
        typer.Option("--config", "-c", help="migrations.toml (default: found walking up from here)."),
    ] = None,
) -> None:
    STATE.config = config


app.command("codemods")(codemods)
app.command("run")(run)
app.command("init")(init)
app.command("plan")(plan)
app.command("apply")(apply)
app.command("diff")(diff)
app.command("scan")(scan)
app.command("check")(check)
app.command("monitor")(monitor)
app.command("trace", context_settings={"allow_interspersed_args": False})(trace)


def main() -> None:
    try:
        app()
    except AsyncmigError as exc:
        Console(stderr=True).print(f"error: {exc}", style="red", highlight=False, markup=False)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
