"""Reusable ``Annotated`` option aliases shared by commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

Jobs = Annotated[
    Optional[int],
    typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores)."),
]
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Print the diff; write nothing anywhere.")
]
Paths = Annotated[
    Optional[list[Path]],
    typer.Argument(help="Files or folders (default: the configured paths, else '.').", show_default=False),
]
CodemodOptions = Annotated[
    Optional[list[str]],
    typer.Option("--option", "-o", help="A codemod option as key=value (repeatable)."),
]
Exclude = Annotated[
    Optional[list[str]],
    typer.Option("--exclude", help="A glob to leave out, gitignore syntax (repeatable)."),
]
