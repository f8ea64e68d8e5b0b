"""Codemods by entry point (group ``asyncmig.codemods``) plus a walk of the built-in package.

Built-ins are registered through the same entry-point group third parties use; the package
walk is a safety net for a source checkout whose metadata is stale.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from importlib.metadata import entry_points

from asyncmig.codemod import AsyncCodemod
from asyncmig.errors import UsageError

GROUP = "asyncmig.codemods"


@lru_cache(maxsize=1)
def codemods() -> dict[str, type[AsyncCodemod]]:
    """Every known codemod by NAME, sorted by name."""
    found: dict[str, type[AsyncCodemod]] = {}
    for ep in entry_points(group=GROUP):
        cls = ep.load()
        if isinstance(cls, type) and issubclass(cls, AsyncCodemod) and cls.NAME:
            found.setdefault(cls.NAME, cls)
    import asyncmig.codemods as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, AsyncCodemod)
                and value.__module__ == module.__name__
                and value.NAME
            ):
                found.setdefault(value.NAME, value)
    return dict(sorted(found.items()))


def get(name: str) -> type[AsyncCodemod]:
    known = codemods()
    if name not in known:
        raise UsageError(
            f"unknown codemod {name!r}",
            hint=f"known codemods: {', '.join(known)} (asyncmig codemods lists them)",
        )
    return known[name]
