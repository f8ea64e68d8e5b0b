"""``asyncmig codemods``: every codemod with its description and options."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from asyncmig import registry


def codemods() -> None:
    """List the available codemods, their descriptions and options."""
    table = Table(show_lines=True)
    table.add_column("codemod", style="bold")
    table.add_column("description")
    table.add_column("options (default)")
    for name, cls in registry.codemods().items():
        options = "\n".join(
            f"{field} = {default!r}  [dim]({getattr(tp, '__name__', None) or str(tp).replace('typing.', '')})[/]"
            for field, tp, default in cls.option_fields()
        )
        table.add_row(name, cls.DESCRIPTION, options or "—")
    Console().print(table)
