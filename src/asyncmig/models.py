"""The closed set of results: small, frozen and picklable (they cross process pools)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["unchanged", "changed", "skipped", "error"]


@dataclass(frozen=True, order=True)
class Change:
    """One rewritten site."""

    line: int
    col: int
    codemod: str
    what: str
    why: str = ""


@dataclass(frozen=True, order=True)
class Skip:
    """A site a codemod recognized but left alone, and why."""

    line: int
    col: int
    codemod: str
    reason: str


@dataclass(frozen=True)
class FileResult:
    """What happened to one file.

    ``status`` is ``changed`` when ``new`` differs from ``old``; ``skipped`` when the whole
    file was left alone on purpose (skip-file comment, round-trip guard); ``error`` when it
    could not be read, parsed or the rewrite did not compile (``error`` says which).
    ``old``/``new`` are the exact bytes, kept only for changed files.
    """

    path: str
    status: Status
    changes: tuple[Change, ...] = ()
    skips: tuple[Skip, ...] = ()
    error: str | None = None
    old: bytes | None = None
    new: bytes | None = None


@dataclass(frozen=True)
class RunResult:
    """All files of one run, in path order, plus how many were looked at."""

    files: tuple[FileResult, ...] = ()
    scanned: int = 0
    parsed: int = 0
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def changed(self) -> tuple[FileResult, ...]:
        return tuple(f for f in self.files if f.status == "changed")

    @property
    def errors(self) -> tuple[FileResult, ...]:
        return tuple(f for f in self.files if f.status == "error")

    @property
    def n_changes(self) -> int:
        return sum(len(f.changes) for f in self.files)

    @property
    def n_skips(self) -> int:
        return sum(len(f.skips) for f in self.files)


@dataclass(frozen=True)
class Environment:
    """What a codemod may know beyond its one file; the same for every file of a run.

    ``forced_async`` holds ``(path, qualname)`` of sync functions that async propagation
    (DESIGN §5) turns into ``async def``: their bodies count as async context.
    ``settings`` carries typed project configuration (e.g. the ``[clients]`` table) keyed
    by the codemod that needs it.
    """

    forced_async: frozenset[tuple[str, str]] = frozenset()
    settings: tuple[tuple[str, object], ...] = ()

    def is_forced_async(self, path: str, qualname: str) -> bool:
        return (path, qualname) in self.forced_async

    def has_forced_async(self, path: str) -> bool:
        return any(p == path for p, _ in self.forced_async)

    def setting(self, key: str, default: object = None) -> object:
        for name, value in self.settings:
            if name == key:
                return value
        return default
