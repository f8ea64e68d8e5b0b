"""migrations.toml → typed Plan / Phase / ClientConfig (DESIGN §4).

The types below are the contract every part of asyncmig reads; loading and validation
live in this module too (see ``load_plan``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SyncCallers = Literal["report", "offload", "propagate"]

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_CONNECTIONS = 100
DEFAULT_MAX_KEEPALIVE = 20
DEFAULT_CLIENT_MODULE = "http_clients.py"


@dataclass(frozen=True)
class ClientConfig:
    """One ``[clients.<name>]`` table: a shared ``httpx.AsyncClient`` and where it is used."""

    name: str = "default"
    module: str | None = None  # generated module path, relative to the repository root
    timeout: float = DEFAULT_TIMEOUT
    connect_timeout: float | None = None
    read_timeout: float | None = None
    write_timeout: float | None = None
    pool_timeout: float | None = None
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_keepalive_connections: int = DEFAULT_MAX_KEEPALIVE
    match: tuple[str, ...] = ()  # globs of call-site files that use this client


@dataclass(frozen=True)
class Phase:
    number: int  # 1-based, file order
    name: str
    codemods: tuple[str, ...]
    options: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()  # codemod → options
    paths: tuple[str, ...] | None = None  # narrower than Migration.paths
    verify: str | None = None
    line: int | None = None  # where the phase starts in migrations.toml

    def options_for(self, codemod: str) -> dict[str, object]:
        for name, values in self.options:
            if name == codemod:
                return dict(values)
        return {}


@dataclass(frozen=True)
class Migration:
    name: str = "migration"
    paths: tuple[str, ...] = (".",)
    exclude: tuple[str, ...] = ()
    base: str | None = None  # None: the current branch
    branch_prefix: str = "asyncmig/"
    sync_callers: SyncCallers = "report"
    keep_sync: tuple[str, ...] = ()
    unwrap_offloads: bool = False


@dataclass(frozen=True)
class Plan:
    path: str  # the migrations.toml, absolute
    root: str  # the directory paths are relative to (the file's directory)
    sha256: str  # of the file's bytes: the Asyncmig-Plan trailer
    migration: Migration = field(default_factory=Migration)
    clients: tuple[ClientConfig, ...] = ()
    phases: tuple[Phase, ...] = ()
