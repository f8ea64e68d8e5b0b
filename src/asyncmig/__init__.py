"""asyncmig: migrate a blocking Python service to asyncio with LibCST codemods."""

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
