"""``asyncmig codemods``: every codemod with its description and options."""

from __future__ import annotations

import typing
from typing import Any

from rich.console import Console
from rich.table import Table



def _type_name(tp: Any) -> str:
    if typing.get_origin(tp) is typing.Literal:
        return " | ".join(repr(arg) for arg in typing.get_args(tp))
    return getattr(tp, "__name__", None) or str(tp).replace("typing.", "")


def codemods() -> None:
    """List the available codemods, their descriptions and options."""
    console = Console()
    from asyncmig import registry

    known = registry.codemods()
    if not console.is_terminal:
        # Plain lines for pipes and scripts: one codemod, then one option a line.
        for name, cls in known.items():
            console.print(f"{name}: {cls.DESCRIPTION}", soft_wrap=True, markup=False, highlight=False)
            for field, tp, default in cls.option_fields():
                console.print(
                    f"    {field} = {default!r}  ({_type_name(tp)})",
                    soft_wrap=True, markup=False, highlight=False,
                )
        return
    table = Table(show_lines=True)
    table.add_column("codemod", style="bold", no_wrap=True)
    table.add_column("description")
    table.add_column("options (default)")
    for name, cls in known.items():
        options = "\n".join(
            f"{field} = {default!r}  [dim]({_type_name(tp)})[/]" for field, tp, default in cls.option_fields()
        )
        table.add_row(name, cls.DESCRIPTION, options or "—")
    console.print(table)
