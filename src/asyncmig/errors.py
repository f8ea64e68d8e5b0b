"""Domain errors. Raised below the CLI, caught only at the command edge (exit 2)."""

from __future__ import annotations


class AsyncmigError(Exception):
    """An error the user can act on: where it is, what is wrong, what to do."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.key = key
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        key = f"[{self.key}] " if self.key else ""
        hint = f"\n  hint: {self.hint}" if self.hint else ""
        return f"{where}{key}{self.message}{hint}"


class UsageError(AsyncmigError):
    """Bad command-line input: unknown codemod, unknown option, bad value."""


class ConfigError(AsyncmigError):
    """A migrations.toml that cannot be used as written."""


class GitError(AsyncmigError):
    """A git precondition that is not met (apply refuses and changes nothing)."""
