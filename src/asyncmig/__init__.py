"""asyncmig: migrate a blocking Python service to asyncio with LibCST codemods."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asyncmig.codemod import AsyncCodemod
    from asyncmig.errors import AsyncmigError, ConfigError, UsageError
    from asyncmig.models import Change, FileResult, RunResult, Skip

__all__ = [
    "AsyncCodemod",
    "AsyncmigError",
    "Change",
    "ConfigError",
    "FileResult",
    "RunResult",
    "Skip",
    "UsageError",
]
__version__ = "0.1.0"

# Imported on first use (PEP 562): `asyncmig scan`/`check` and the ast-only modules must
# not pay for importing LibCST (about a second) when they never rewrite anything.
_LAZY = {
    "AsyncCodemod": "asyncmig.codemod",
    "AsyncmigError": "asyncmig.errors",
    "ConfigError": "asyncmig.errors",
    "UsageError": "asyncmig.errors",
    "Change": "asyncmig.models",
    "FileResult": "asyncmig.models",
    "RunResult": "asyncmig.models",
    "Skip": "asyncmig.models",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'asyncmig' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
